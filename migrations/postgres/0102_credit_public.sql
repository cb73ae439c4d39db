-- Credit public lookup (信用查询): keeping the search index of credit subjects current.
-- Subjects changed since the watermark are re-indexed by a job after each import and by
-- a recurring job; the index on updated_at makes that scan cheap without touching the
-- records table the imports write.
-- Keep this file in step with ../sqlite/0102_credit_public.sql.

CREATE INDEX credit_subjects_updated ON credit_subjects(county_code, updated_at, id);

CREATE TABLE credit_index_state (
    county_code TEXT PRIMARY KEY,
    indexed_until BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
