-- Urgent requests to banks to hold receiving accounts, their states, and the money
-- recovered per victim.

CREATE TABLE hold_requests (
    id              INTEGER PRIMARY KEY,
    letter_no       TEXT NOT NULL UNIQUE,      -- "12/CV-PA05"
    bank_bin        TEXT NOT NULL,
    report_id       INTEGER NOT NULL REFERENCES reports(id),  -- the report it was made from
    whole_ring      INTEGER NOT NULL DEFAULT 0,                -- made for the report's whole ring
    unit_id         INTEGER NOT NULL REFERENCES units(id),
    state           TEXT NOT NULL DEFAULT 'created',           -- created, sent, acknowledged, held, refused, released
    held_amount_vnd INTEGER NOT NULL DEFAULT 0 CHECK (held_amount_vnd >= 0),
    created_by      INTEGER NOT NULL REFERENCES officers(id),
    created_at      INTEGER NOT NULL,
    updated_at      INTEGER NOT NULL
);
CREATE INDEX hold_requests_by_report ON hold_requests(report_id);

-- The transfers a request lists (copied: the letter must not change afterwards).
CREATE TABLE hold_items (
    request_id     INTEGER NOT NULL REFERENCES hold_requests(id),
    report_id      INTEGER NOT NULL REFERENCES reports(id),
    seq            INTEGER NOT NULL,
    account        TEXT NOT NULL,
    amount_vnd     INTEGER NOT NULL,
    transferred_at INTEGER,
    PRIMARY KEY (request_id, report_id, seq)
) WITHOUT ROWID;
CREATE INDEX hold_items_by_report ON hold_items(report_id);

CREATE TABLE hold_events (
    id         INTEGER PRIMARY KEY,
    request_id INTEGER NOT NULL REFERENCES hold_requests(id),
    state      TEXT NOT NULL,
    amount_vnd INTEGER,
    note       TEXT NOT NULL DEFAULT '',
    officer_id INTEGER NOT NULL REFERENCES officers(id),
    at         INTEGER NOT NULL
);
CREATE INDEX hold_events_by_request ON hold_events(request_id, id);

CREATE TABLE recoveries (
    id         INTEGER PRIMARY KEY,
    report_id  INTEGER NOT NULL REFERENCES reports(id),
    amount_vnd INTEGER NOT NULL CHECK (amount_vnd > 0),
    note       TEXT NOT NULL DEFAULT '',
    officer_id INTEGER NOT NULL REFERENCES officers(id),
    at         INTEGER NOT NULL
);
CREATE INDEX recoveries_by_report ON recoveries(report_id);
