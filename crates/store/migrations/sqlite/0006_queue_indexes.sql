-- The triage queue reads its candidates through indexes: the largest losses, and the
-- transfers of the last hours.
CREATE INDEX reports_by_amount ON reports(amount_lost_vnd);
CREATE INDEX transfers_by_time ON transfers(transferred_at);
-- A commune unit's scope and the commune filter.
CREATE INDEX reports_by_place ON reports(place_code, amount_lost_vnd);
