-- 统计与列表 Indexes for the case list and the county's figures at 100k+ cases (see
-- docs/benchmarks.md, "Mediation: lists and figures"). Keep this file in step with its
-- twin in the other migration tree.

-- The case list sorts by (created_at, id) within the county and filters by the village
-- code prefix of the viewer's division: with both in the index, counting and skipping
-- to a deep page never touch the table, and the order needs no sort.
DROP INDEX mediation_cases_created;
CREATE INDEX mediation_cases_created ON mediation_cases(county_code, created_at, id, village_code);

-- The figures read these columns only, grouped by (township, body, channel, reporter):
-- a covering index in that order lets the aggregate stream without a sort and without
-- reading the wide rows (summary, agreement text).
CREATE INDEX mediation_cases_figures ON mediation_cases(
    county_code, township_code, body_name, channel, reporter_user_id,
    created_at, state, outcome, agreement_at, mediation_started_at, court_case_no, is_demo
);

-- 案件检索 The case list's search (q=) at 100k cases: a trigram index (pg_trgm) over the
-- searched columns (tracking code, summary, body, court case number, external
-- reference), one line each, lower-cased; `LIKE '%…%'` of 3 or more characters is
-- answered from it (crates/mediation/src/store.rs). pg_trgm ships with PostgreSQL and is a
-- trusted extension (PostgreSQL 13+): the database owner may create it. Where it cannot
-- be created the migration goes on without the index and the search scans, as before.
-- The SQLite twin keeps an FTS5 trigram table instead.
DO $$
BEGIN
    CREATE EXTENSION IF NOT EXISTS pg_trgm;
EXCEPTION WHEN OTHERS THEN
    RAISE NOTICE 'pg_trgm is not available (%): the case search scans', SQLERRM;
END $$;
DO $$
BEGIN
    IF EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm') THEN
        EXECUTE $sql$CREATE INDEX mediation_cases_search ON mediation_cases USING gin (LOWER(tracking_code || chr(10) || summary
            || chr(10) || body_name || chr(10) || COALESCE(court_case_no, '') || chr(10) || COALESCE(external_ref, '')) gin_trgm_ops)$sql$;
    END IF;
END $$;
