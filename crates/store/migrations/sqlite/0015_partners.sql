-- Partners (banks, carriers, platforms, other provinces, national systems), their API
-- keys (only the SHA-256 of a key is kept) and how often each key was used; hold
-- events may now come from a bank (a partner) instead of an officer.
CREATE TABLE partners (
    id         INTEGER PRIMARY KEY,
    name       TEXT NOT NULL UNIQUE,
    kind       TEXT NOT NULL,            -- bank, carrier, platform, province, national
    bank_bin   TEXT,                     -- a bank's BIN: the hold requests it answers
    active     INTEGER NOT NULL DEFAULT 1,
    version    INTEGER NOT NULL DEFAULT 1,
    created_by INTEGER REFERENCES officers(id),
    created_at INTEGER NOT NULL,
    CHECK ((kind = 'bank') = (bank_bin IS NOT NULL))
);
CREATE UNIQUE INDEX partners_by_bin ON partners(bank_bin) WHERE bank_bin IS NOT NULL;

CREATE TABLE partner_keys (
    id              INTEGER PRIMARY KEY,
    partner_id      INTEGER NOT NULL REFERENCES partners(id),
    prefix          TEXT NOT NULL UNIQUE,
    hash            BLOB NOT NULL,
    scopes          TEXT NOT NULL,
    per_minute      INTEGER NOT NULL CHECK (per_minute > 0),
    label           TEXT NOT NULL DEFAULT '',
    created_by      INTEGER REFERENCES officers(id),
    created_at      INTEGER NOT NULL,
    expires_at      INTEGER,
    revoked_at      INTEGER,
    revoked_by      INTEGER REFERENCES officers(id),
    replaced_by     INTEGER REFERENCES partner_keys(id),
    last_used_at    INTEGER
);
CREATE INDEX partner_keys_by_partner ON partner_keys(partner_id);

-- Uses of a key, counted per minute, route and answer.
CREATE TABLE partner_key_uses (
    key_id  INTEGER NOT NULL REFERENCES partner_keys(id),
    minute  INTEGER NOT NULL,            -- unix seconds / 60
    route   TEXT NOT NULL,
    status  INTEGER NOT NULL,
    uses    INTEGER NOT NULL,
    PRIMARY KEY (key_id, minute, route, status)
) WITHOUT ROWID;

-- A hold event is recorded by an officer or by a bank's key; banks say what they did
-- (`answer`) and when it happened at the bank (`effective_at`).
CREATE TABLE hold_events_new (
    id           INTEGER PRIMARY KEY,
    request_id   INTEGER NOT NULL REFERENCES hold_requests(id),
    state        TEXT NOT NULL,
    amount_vnd   INTEGER,
    note         TEXT NOT NULL DEFAULT '',
    officer_id   INTEGER REFERENCES officers(id),
    partner_id   INTEGER REFERENCES partners(id),
    answer       TEXT,
    effective_at INTEGER,
    at           INTEGER NOT NULL,
    CHECK ((officer_id IS NULL) <> (partner_id IS NULL))
);
INSERT INTO hold_events_new (id, request_id, state, amount_vnd, note, officer_id, at)
    SELECT id, request_id, state, amount_vnd, note, officer_id, at FROM hold_events;
DROP TABLE hold_events;
ALTER TABLE hold_events_new RENAME TO hold_events;
CREATE INDEX hold_events_by_request ON hold_events(request_id, id);

ALTER TABLE hold_requests ADD COLUMN returned_amount_vnd INTEGER NOT NULL DEFAULT 0 CHECK (returned_amount_vnd >= 0);
ALTER TABLE hold_requests ADD COLUMN version INTEGER NOT NULL DEFAULT 1;

-- Sessions of the bank portal (a bank without an integration signs in with its key):
-- only the SHA-256 of the cookie's token is kept.
CREATE TABLE partner_sessions (
    token_hash BLOB PRIMARY KEY,
    key_id     INTEGER NOT NULL REFERENCES partner_keys(id),
    csrf       TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL
);
