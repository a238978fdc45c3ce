-- Peak campaigns: a period, a scope (JSON: communes, methods, channels) and an optional
-- target on holds.
CREATE TABLE campaigns (
    id             INTEGER PRIMARY KEY,
    name           TEXT NOT NULL,
    first_day      TEXT NOT NULL,
    last_day       TEXT NOT NULL,
    scope          TEXT NOT NULL,
    target_hours   INTEGER,
    target_percent INTEGER,
    created_by     INTEGER NOT NULL REFERENCES officers(id),
    created_at     INTEGER NOT NULL
);
