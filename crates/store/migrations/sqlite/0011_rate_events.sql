-- Rate limits shared by every node (used on PostgreSQL, where several nodes serve; a
-- single SQLite process keeps them in memory, but the table keeps both schemas alike).
-- `client` is a keyed fingerprint of the address, never the address itself.
CREATE TABLE rate_events (
    bucket TEXT NOT NULL,
    client TEXT NOT NULL,
    at_ms INTEGER NOT NULL
);
CREATE INDEX rate_events_client ON rate_events (bucket, client, at_ms);
CREATE INDEX rate_events_at ON rate_events (at_ms);
