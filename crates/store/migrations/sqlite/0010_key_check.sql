-- The data key's check value (`Sealer::key_check`), written on first start: a server
-- started with another key refuses to run instead of sealing new personal data with
-- a key that cannot open the old.
CREATE TABLE key_check (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    value TEXT NOT NULL
);
