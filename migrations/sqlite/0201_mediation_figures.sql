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

-- 案件检索 The case list's search (q=) at 100k cases: a trigram full-text index over the
-- searched columns (tracking code, summary, body, court case number, external reference),
-- one line each, kept in step with the cases by triggers. `text LIKE '%…%'` of 3 or more
-- characters is answered from the index (FTS5 trigram, ASCII case ignored); shorter text
-- is searched in the cases themselves (crates/mediation/src/store.rs). The PostgreSQL
-- twin uses a pg_trgm index instead.
CREATE VIRTUAL TABLE mediation_cases_search USING fts5(text, tokenize = 'trigram');
INSERT INTO mediation_cases_search (rowid, text)
    SELECT id, tracking_code || char(10) || summary || char(10) || body_name || char(10) || COALESCE(court_case_no, '') || char(10) || COALESCE(external_ref, '')
    FROM mediation_cases;
CREATE TRIGGER mediation_cases_search_insert AFTER INSERT ON mediation_cases BEGIN
    INSERT INTO mediation_cases_search (rowid, text) VALUES (new.id,
        new.tracking_code || char(10) || new.summary || char(10) || new.body_name || char(10) || COALESCE(new.court_case_no, '') || char(10) || COALESCE(new.external_ref, ''));
END;
CREATE TRIGGER mediation_cases_search_update AFTER UPDATE OF tracking_code, summary, body_name, court_case_no, external_ref ON mediation_cases BEGIN
    DELETE FROM mediation_cases_search WHERE rowid = old.id;
    INSERT INTO mediation_cases_search (rowid, text) VALUES (new.id,
        new.tracking_code || char(10) || new.summary || char(10) || new.body_name || char(10) || COALESCE(new.court_case_no, '') || char(10) || COALESCE(new.external_ref, ''));
END;
CREATE TRIGGER mediation_cases_search_delete AFTER DELETE ON mediation_cases BEGIN
    DELETE FROM mediation_cases_search WHERE rowid = old.id;
END;
