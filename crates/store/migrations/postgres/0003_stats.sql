-- Statistics read steps, holds and recoveries by time (issue 16).
CREATE INDEX report_events_by_time ON report_events(created_at);
CREATE INDEX hold_requests_by_time ON hold_requests(created_at);
CREATE INDEX hold_events_by_time ON hold_events(at);
CREATE INDEX recoveries_by_time ON recoveries(at);
