-- Statistics read steps, holds and recoveries by time (issue 16).
CREATE INDEX report_events_by_time ON report_events(created_at);
CREATE INDEX hold_requests_by_time ON hold_requests(created_at);
CREATE INDEX hold_events_by_time ON hold_events(at);
CREATE INDEX recoveries_by_time ON recoveries(at);

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
