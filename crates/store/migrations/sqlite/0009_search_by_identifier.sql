-- Officers find reports by a phone number, an account or a site they name: the
-- reports of an identifier, read through its key.
CREATE INDEX report_identifiers_by_identifier ON report_identifiers(identifier_key, report_id);
