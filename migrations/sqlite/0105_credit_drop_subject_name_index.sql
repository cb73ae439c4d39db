-- Subject names are searched through the shared search index (crates/credit/src/index.rs),
-- never with SQL on credit_subjects.name: the index on it only cost each import time.
-- Keep this file in step with its twin in the other migration tree.
DROP INDEX credit_subjects_name;
