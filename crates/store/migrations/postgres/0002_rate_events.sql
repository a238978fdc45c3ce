-- Rate limits shared by every node: one row per counted event in its window. `client`
-- is a keyed fingerprint of the address, never the address itself.
CREATE TABLE rate_events (
    bucket TEXT NOT NULL,
    client TEXT NOT NULL,
    at_ms BIGINT NOT NULL
);
CREATE INDEX rate_events_client ON rate_events (bucket, client, at_ms);
CREATE INDEX rate_events_at ON rate_events (at_ms);
