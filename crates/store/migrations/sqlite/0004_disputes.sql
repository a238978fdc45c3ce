-- Requests for review from the owners of listed phone numbers, accounts or websites.
CREATE TABLE disputes (
    id                 INTEGER PRIMARY KEY,
    code               TEXT NOT NULL UNIQUE,   -- given to the requester to follow the outcome
    identifier_key     TEXT NOT NULL,
    identifier_display TEXT NOT NULL,
    explanation        TEXT NOT NULL,
    contact_sealed     BLOB NOT NULL,          -- the requester's name and contact, encrypted
    status             TEXT NOT NULL DEFAULT 'open',  -- open, kept, cleared
    decision_reason    TEXT,
    decided_by         INTEGER REFERENCES officers(id),
    decided_at         INTEGER,
    created_at         INTEGER NOT NULL
);
CREATE INDEX disputes_by_status ON disputes(status, created_at);
