-- Periodic reports to the People's Committee: the text as edited, the figures as
-- drafted (JSON), a version for compare-and-set saves.
CREATE TABLE periodic_reports (
    id         INTEGER PRIMARY KEY,
    period_key TEXT NOT NULL,
    number     TEXT NOT NULL,
    sections   TEXT NOT NULL,
    figures    TEXT NOT NULL,
    version    INTEGER NOT NULL,
    created_by INTEGER NOT NULL REFERENCES officers(id),
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);
