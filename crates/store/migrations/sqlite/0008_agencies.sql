-- Agencies that warn people, their liaison accounts, and the activities they report.
CREATE TABLE agencies (
    id         INTEGER PRIMARY KEY,
    name       TEXT NOT NULL UNIQUE,
    kind       TEXT NOT NULL,            -- department, commune, school, industrial_park, press, other
    place_code INTEGER REFERENCES places(code),
    created_at INTEGER NOT NULL
);

-- A liaison account belongs to one agency.
ALTER TABLE officers ADD COLUMN agency_id INTEGER REFERENCES agencies(id);

CREATE TABLE activities (
    id          INTEGER PRIMARY KEY,
    agency_id   INTEGER NOT NULL REFERENCES agencies(id),
    officer_id  INTEGER NOT NULL REFERENCES officers(id),
    kind        TEXT NOT NULL,
    held_on     TEXT NOT NULL,           -- YYYY-MM-DD, Vietnam
    audience    TEXT NOT NULL,
    reached     INTEGER NOT NULL CHECK (reached >= 0),
    bulletin_id INTEGER REFERENCES bulletins(id),
    link        TEXT NOT NULL DEFAULT '',
    note        TEXT NOT NULL DEFAULT '',
    created_at  INTEGER NOT NULL
);
CREATE INDEX activities_by_day ON activities(held_on);
CREATE INDEX activities_by_agency ON activities(agency_id, held_on);
