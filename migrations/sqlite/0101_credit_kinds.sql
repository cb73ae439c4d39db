-- Credit kinds (issue: every catalog kind through one pipeline): list entries imported
-- from files get the same natural key, content hash and correction trail as records.
-- natural_key = 64-bit hash of county + list kind + source department + document/case
-- number + subject (NULL for entries added one by one through POST /api/v1/credit/lists).
-- Keep this file in step with ../postgres/0101_credit_kinds.sql.

ALTER TABLE credit_list_entries ADD COLUMN natural_key BIGINT;
ALTER TABLE credit_list_entries ADD COLUMN content_hash BIGINT;
ALTER TABLE credit_list_entries ADD COLUMN source_dept TEXT NOT NULL DEFAULT '';
ALTER TABLE credit_list_entries ADD COLUMN payload TEXT NOT NULL DEFAULT '{}';
ALTER TABLE credit_list_entries ADD COLUMN import_id BIGINT;
ALTER TABLE credit_list_entries ADD COLUMN updated_at BIGINT;
CREATE UNIQUE INDEX credit_list_entries_natural_key ON credit_list_entries(natural_key);
