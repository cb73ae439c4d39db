-- The nightly publicity expiry only ever looks at records still in publicity that have a
-- maximum end (penalties). Index just those: permits, and the many records whose
-- publicity has ended, no longer cost an index entry each on import.
-- Keep this file in step with its twin in the other migration tree.
DROP INDEX credit_records_publicity;
CREATE INDEX credit_records_in_publicity ON credit_records(publicity_max_end) WHERE published AND publicity_max_end IS NOT NULL;
