-- The protected brands the lookalike check compares websites against. Filled from the
-- shipped list on first start; officers edit them (each change is in the audit log).
CREATE TABLE brands (
    key        TEXT PRIMARY KEY,
    name       TEXT NOT NULL,
    category   TEXT NOT NULL,
    domains    TEXT NOT NULL,   -- JSON array of the brand's real domains
    updated_by INTEGER REFERENCES officers(id),
    updated_at INTEGER NOT NULL
) WITHOUT ROWID;
