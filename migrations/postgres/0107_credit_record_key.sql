-- 归集键索引 One index on the largest table serves both the import's natural-key check
-- and a subject's profile: UNIQUE (subject_id, natural_key). The natural key already
-- contains the subject's code, so the import knows a row's subject before it asks
-- whether the key is stored. Before, the table kept two indexes of random 64-bit order
-- (the natural key's, and the subject's), and a bulk import dirtied a random page of
-- each for every row (docs/benchmarks.md).
-- Keep this file in step with its twin in the other migration tree.
ALTER TABLE credit_records DROP CONSTRAINT credit_records_natural_key_key;
DROP INDEX credit_records_subject;
CREATE UNIQUE INDEX credit_records_subject_key ON credit_records(subject_id, natural_key);
