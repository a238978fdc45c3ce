-- canhgiac schema, SQLite. Times are unix seconds (UTC); money is whole VND.

CREATE TABLE methods (
    key        TEXT PRIMARY KEY,
    grp        TEXT NOT NULL,
    name_vi    TEXT NOT NULL,
    name_en    TEXT NOT NULL,
    data       TEXT NOT NULL          -- the catalogue entry as JSON
);

CREATE TABLE banks (
    code       TEXT PRIMARY KEY,
    bin        TEXT NOT NULL,
    short_name TEXT NOT NULL,
    name_vi    TEXT NOT NULL,
    name_en    TEXT NOT NULL
);

CREATE TABLE places (
    code          INTEGER PRIMARY KEY,  -- commune/ward code of the 2025 divisions
    province_code INTEGER NOT NULL,
    name          TEXT NOT NULL,
    kind          TEXT NOT NULL         -- xã, phường, đặc khu
);

CREATE TABLE reports (
    id              INTEGER PRIMARY KEY,
    tracking_code   TEXT NOT NULL UNIQUE,
    secret_sealed   BLOB NOT NULL,       -- the reporter's secret, encrypted (returned again on an idempotent retry)
    idempotency_key TEXT,
    request_hash    TEXT,
    status          TEXT NOT NULL DEFAULT 'received',
    channel         TEXT NOT NULL,
    method_key      TEXT REFERENCES methods(key),
    contacted_at    INTEGER,
    narrative       TEXT NOT NULL,
    amount_lost_vnd INTEGER NOT NULL DEFAULT 0 CHECK (amount_lost_vnd >= 0),
    place_code      INTEGER REFERENCES places(code),
    reporter_sealed BLOB,                -- contact details, XChaCha20-Poly1305; never plain text
    reporter_fp     TEXT NOT NULL,       -- keyed hash of who reported, to count distinct reporters
    source          TEXT NOT NULL,       -- web, api, import, demo
    created_at      INTEGER NOT NULL
);
-- Only reports sent with a key take part (most imported reports have none).
CREATE UNIQUE INDEX reports_by_idempotency_key ON reports(idempotency_key) WHERE idempotency_key IS NOT NULL;

CREATE TABLE transfers (
    report_id      INTEGER NOT NULL REFERENCES reports(id),
    seq            INTEGER NOT NULL,
    bank_bin       TEXT NOT NULL,
    account        TEXT NOT NULL,
    amount_vnd     INTEGER NOT NULL CHECK (amount_vnd >= 0),
    transferred_at INTEGER,
    PRIMARY KEY (report_id, seq)
) WITHOUT ROWID;

CREATE TABLE identifiers (
    key        TEXT PRIMARY KEY,          -- kind:normalised value
    kind       TEXT NOT NULL,
    display    TEXT NOT NULL,
    created_at INTEGER NOT NULL
) WITHOUT ROWID;

CREATE TABLE report_identifiers (
    report_id      INTEGER NOT NULL REFERENCES reports(id),
    identifier_key TEXT NOT NULL REFERENCES identifiers(key),
    role           TEXT NOT NULL,
    PRIMARY KEY (report_id, identifier_key, role)
) WITHOUT ROWID;

CREATE TABLE evidence (
    sha256       TEXT PRIMARY KEY,
    content_type TEXT NOT NULL,
    size         INTEGER NOT NULL,
    created_at   INTEGER NOT NULL
) WITHOUT ROWID;

CREATE TABLE report_evidence (
    report_id INTEGER NOT NULL REFERENCES reports(id),
    sha256    TEXT NOT NULL REFERENCES evidence(sha256),
    PRIMARY KEY (report_id, sha256)
) WITHOUT ROWID;

-- Every change that the lookup index must see, in order. Nodes follow it.
CREATE TABLE changes (
    seq        INTEGER PRIMARY KEY,
    kind       TEXT NOT NULL,
    payload    TEXT NOT NULL,
    created_at INTEGER NOT NULL
);

CREATE TABLE settings (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
