-- 营商政策 The portal's policy library: statutes embedded in the binary
-- (crates/portal/data/policies), loaded at start-up when missing or changed, one row per
-- policy and one per article (第X条). Chapters and sections are kept on each article.
-- Issuer, 文号 and dates are empty when the text does not state them; status is
-- 'unknown' (未核实) until staff confirm it (/console/portal/policies): in_force |
-- repealed | unknown.
-- Keep this file in step with its twin in the other migration tree.
CREATE TABLE portal_policies (
    id INTEGER PRIMARY KEY,
    -- folder/file stem of the embedded file, e.g. national/优化营商环境条例(2019-10-22)
    slug TEXT NOT NULL UNIQUE,
    title TEXT NOT NULL,
    -- national | henan | puyang
    level TEXT NOT NULL,
    issuer TEXT NOT NULL DEFAULT '',
    doc_number TEXT NOT NULL DEFAULT '',
    adopted_on TEXT,
    revised_on TEXT,
    effective_on TEXT,
    version_date TEXT,
    status TEXT NOT NULL DEFAULT 'unknown',
    -- 核实 Who confirmed the status, when, and on what basis (e.g. 国家法律法规数据库);
    -- cleared when the text changes, since the confirmation was of the old text.
    status_basis TEXT NOT NULL DEFAULT '',
    status_checked_by TEXT NOT NULL DEFAULT '',
    status_checked_at BIGINT,
    -- Tags separated by commas.
    tags TEXT NOT NULL DEFAULT '',
    -- The promulgation and amendment lines, one per line.
    history TEXT NOT NULL DEFAULT '',
    article_count BIGINT NOT NULL,
    source_sha256 TEXT NOT NULL,
    loaded_at BIGINT NOT NULL
);
CREATE INDEX portal_policies_level ON portal_policies (level, title);

CREATE TABLE portal_policy_articles (
    policy_id BIGINT NOT NULL REFERENCES portal_policies (id),
    -- N of 第N条, consecutive from 1.
    number BIGINT NOT NULL,
    label TEXT NOT NULL,
    chapter TEXT NOT NULL DEFAULT '',
    section TEXT NOT NULL DEFAULT '',
    body TEXT NOT NULL,
    PRIMARY KEY (policy_id, number)
);
