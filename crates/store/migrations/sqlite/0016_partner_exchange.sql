-- The partners' feed of indicator changes reads the officers' decisions out of the
-- changes log by kind, from a cursor.
CREATE INDEX changes_by_kind ON changes(kind, seq);

-- Partners' blocklists: who sent which list, when they listed it and how sure they
-- are. A list is in force until disabled or replaced by the partner's next list of
-- the same name. The check shows them as "reported by partner X", never as verified.
CREATE TABLE partner_lists (
    id          INTEGER PRIMARY KEY,
    partner_id  INTEGER NOT NULL REFERENCES partners(id),
    key_prefix  TEXT NOT NULL,
    name        TEXT NOT NULL,
    format      TEXT NOT NULL,
    listed_on   INTEGER NOT NULL,
    confidence  INTEGER NOT NULL CHECK (confidence BETWEEN 0 AND 100),
    entries     INTEGER NOT NULL,
    active      INTEGER NOT NULL DEFAULT 1,
    version     INTEGER NOT NULL DEFAULT 1,
    imported_at INTEGER NOT NULL,
    ended_at    INTEGER
);
CREATE INDEX partner_lists_by_partner ON partner_lists(partner_id, name, active);

CREATE TABLE partner_list_entries (
    list_id INTEGER NOT NULL REFERENCES partner_lists(id),
    key     TEXT NOT NULL,
    line    INTEGER NOT NULL,
    PRIMARY KEY (list_id, key)
) WITHOUT ROWID;

-- A bank's webhook: where to tell it of a new hold request, and the secret its
-- deliveries are signed with (sealed with the data key). Deliveries wait in an outbox
-- written in the same transaction as the request's change, and are retried.
CREATE TABLE partner_webhooks (
    partner_id    INTEGER PRIMARY KEY REFERENCES partners(id),
    url           TEXT NOT NULL,
    secret_sealed BLOB NOT NULL,
    version       INTEGER NOT NULL DEFAULT 1,
    created_at    INTEGER NOT NULL
);

CREATE TABLE webhook_deliveries (
    id           INTEGER PRIMARY KEY,
    partner_id   INTEGER NOT NULL REFERENCES partners(id),
    event        TEXT NOT NULL,
    payload      TEXT NOT NULL,
    created_at   INTEGER NOT NULL,
    attempts     INTEGER NOT NULL DEFAULT 0,
    next_at      INTEGER NOT NULL,
    delivered_at INTEGER,
    last_status  INTEGER,
    last_error   TEXT
);
CREATE INDEX webhook_deliveries_due ON webhook_deliveries(delivered_at, next_at);
