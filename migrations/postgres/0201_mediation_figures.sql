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

-- 案件检索 The SQLite twin adds a trigram full-text index (FTS5) for the case list's
-- search. PostgreSQL has no FTS5; its search scans (strpos / ILIKE, see
-- crates/mediation/src/store.rs), which a parallel sequential scan keeps within the goal
-- at 100k cases (docs/benchmarks.md). pg_trgm would need an extension and a locale that
-- treats Chinese characters as word characters, so it is not assumed here.
