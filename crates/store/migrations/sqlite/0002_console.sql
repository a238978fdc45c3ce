-- Police console: units, officer accounts, sessions, the handling of reports, the
-- verdicts of officers on identifiers, full-text search and the audit log.

CREATE TABLE units (
    id         INTEGER PRIMARY KEY,
    code       TEXT NOT NULL UNIQUE,
    name       TEXT NOT NULL,
    kind       TEXT NOT NULL,                 -- province (a provincial department) or commune
    place_code INTEGER REFERENCES places(code) -- the commune/ward a commune unit serves
);

CREATE TABLE officers (
    id                  INTEGER PRIMARY KEY,
    username            TEXT NOT NULL UNIQUE COLLATE NOCASE,
    display_name        TEXT NOT NULL,
    role                TEXT NOT NULL,
    unit_id             INTEGER NOT NULL REFERENCES units(id),
    password_hash       TEXT NOT NULL,        -- argon2id, PHC string
    failed_logins       INTEGER NOT NULL DEFAULT 0,
    locked_until        INTEGER,
    active              INTEGER NOT NULL DEFAULT 1,
    created_at          INTEGER NOT NULL,
    password_changed_at INTEGER NOT NULL
);

-- Only hashes of session tokens are stored: a copy of the database opens no session.
CREATE TABLE sessions (
    token_hash TEXT PRIMARY KEY,
    officer_id INTEGER NOT NULL REFERENCES officers(id),
    csrf       TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    seen_at    INTEGER NOT NULL
) WITHOUT ROWID;
CREATE INDEX sessions_by_officer ON sessions(officer_id);

ALTER TABLE reports ADD COLUMN unit_id INTEGER REFERENCES units(id);
ALTER TABLE reports ADD COLUMN assignee_id INTEGER REFERENCES officers(id);
ALTER TABLE reports ADD COLUMN accepted_at INTEGER;     -- formal receipt (tiếp nhận): the clock starts
ALTER TABLE reports ADD COLUMN merged_into INTEGER REFERENCES reports(id);
CREATE INDEX reports_by_status ON reports(status, created_at);
CREATE INDEX reports_by_assignee ON reports(assignee_id) WHERE assignee_id IS NOT NULL;

-- Every step of a report's handling, in order. The statutory clock is replayed from
-- these rows; nothing is updated in place.
CREATE TABLE report_events (
    id          INTEGER PRIMARY KEY,
    report_id   INTEGER NOT NULL REFERENCES reports(id),
    kind        TEXT NOT NULL,
    on_date     TEXT,          -- the legal date of the step, YYYY-MM-DD (Vietnam)
    until_date  TEXT,          -- a new deadline (extensions)
    reason      TEXT NOT NULL DEFAULT '',
    detail      TEXT,          -- JSON: unit transferred to, assignee, procuracy decision number
    officer_id  INTEGER NOT NULL REFERENCES officers(id),
    approved_by INTEGER REFERENCES officers(id),
    created_at  INTEGER NOT NULL
);
CREATE INDEX report_events_by_report ON report_events(report_id, id);

-- Officers' verdicts on identifiers (verified scam, or cleared after review).
CREATE TABLE identifier_status (
    key        TEXT PRIMARY KEY,
    status     TEXT NOT NULL,   -- verified or cleared
    reason     TEXT NOT NULL,
    officer_id INTEGER NOT NULL REFERENCES officers(id),
    at         INTEGER NOT NULL
) WITHOUT ROWID;

-- Who did what, when and why. Each row carries the hash of the one before it, so a
-- changed or removed row breaks the chain (`canhgiac audit verify`).
CREATE TABLE audit_log (
    seq        INTEGER PRIMARY KEY,
    at         INTEGER NOT NULL,
    officer_id INTEGER,
    actor      TEXT NOT NULL,
    action     TEXT NOT NULL,
    target     TEXT NOT NULL,
    reason     TEXT NOT NULL DEFAULT '',
    prev_hash  TEXT NOT NULL,
    hash       TEXT NOT NULL
);
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log BEGIN
    SELECT RAISE(ABORT, 'audit_log is append-only');
END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log BEGIN
    SELECT RAISE(ABORT, 'audit_log is append-only');
END;
