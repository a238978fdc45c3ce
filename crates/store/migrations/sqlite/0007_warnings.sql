-- Warnings: the method catalogue with its history, and bulletins.

-- Each method's current version and when it was first seen (unix seconds; NULL for the
-- shipped methods, whose year is in the data).
ALTER TABLE methods ADD COLUMN version INTEGER NOT NULL DEFAULT 1;
ALTER TABLE methods ADD COLUMN created_at INTEGER;
ALTER TABLE methods ADD COLUMN updated_at INTEGER;

-- Every version of every method, the first one included: who changed what, when.
CREATE TABLE method_versions (
    key        TEXT NOT NULL REFERENCES methods(key),
    version    INTEGER NOT NULL,
    data       TEXT NOT NULL,            -- the whole entry as JSON, as it was
    changed_by INTEGER REFERENCES officers(id),
    changed_at INTEGER,
    note       TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (key, version)
) WITHOUT ROWID;
INSERT INTO method_versions (key, version, data) SELECT key, 1, data FROM methods;

CREATE TABLE bulletins (
    id           INTEGER PRIMARY KEY,
    title        TEXT NOT NULL,
    audience     TEXT NOT NULL,
    method_keys  TEXT NOT NULL,          -- JSON array
    channels     TEXT NOT NULL,          -- JSON array
    sms          TEXT NOT NULL,
    sms_plain    TEXT NOT NULL,
    zalo         TEXT NOT NULL,
    fanpage      TEXT NOT NULL,
    leaflet      TEXT NOT NULL,          -- JSON {heading, red_flags, advice}
    status       TEXT NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'published')),
    created_by   INTEGER NOT NULL REFERENCES officers(id),
    created_at   INTEGER NOT NULL,
    updated_at   INTEGER NOT NULL,
    published_by INTEGER REFERENCES officers(id),
    published_at INTEGER
);
CREATE INDEX bulletins_published ON bulletins(published_at) WHERE status = 'published';

-- Reports by time, with what the statistics per method need (this month's count and
-- losses on the warnings pages, weekly trends).
CREATE INDEX reports_by_time ON reports(created_at, method_key, amount_lost_vnd);
