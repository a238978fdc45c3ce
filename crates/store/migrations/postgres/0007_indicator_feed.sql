-- The partners' feed of indicator changes reads the officers' decisions out of the
-- changes log by kind, from a cursor.
CREATE INDEX changes_by_kind ON changes(kind, seq);
