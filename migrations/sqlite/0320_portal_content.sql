-- 营商动态 / 经典案例 / 曝光台 The portal's articles (one engine, two channels: news |
-- cases), their categories as data, and the exposure board's entries with their basis.
-- Keep this file in step with its twin in the other migration tree.

-- 栏目分类 Categories of each channel, as data (staff pick one per article).
CREATE TABLE portal_content_categories (
    channel TEXT NOT NULL,
    slug TEXT NOT NULL,
    name TEXT NOT NULL,
    sort_order BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (channel, slug)
);
INSERT INTO portal_content_categories (channel, slug, name, sort_order) VALUES
    ('news', 'work', '工作动态', 1),
    ('news', 'policy', '政策解读', 2),
    ('news', 'notice', '通知公告', 3),
    ('cases', 'credit', '信用修复', 1),
    ('cases', 'mediation', '矛盾化解', 2),
    ('cases', 'service', '助企服务', 3);

-- 文章 An article. state: draft | review | scheduled | published | withdrawn, moved only
-- by the state machine (every move in the audit chain). body: plain paragraphs, one per
-- line, never HTML; a line 【图N】 places the N-th inline image. cover_id: an attachment
-- of owner kind portal_article.
CREATE TABLE portal_articles (
    id INTEGER PRIMARY KEY,
    county_code TEXT NOT NULL,
    channel TEXT NOT NULL,
    category TEXT NOT NULL,
    title TEXT NOT NULL,
    summary TEXT NOT NULL DEFAULT '',
    body TEXT NOT NULL,
    source TEXT NOT NULL DEFAULT '',
    cover_id BIGINT,
    state TEXT NOT NULL,
    -- 定时发布 When the reviewer set it to go out (ms, UTC); NULL = at approval.
    publish_at BIGINT,
    published_at BIGINT,
    author_id BIGINT NOT NULL,
    author_name TEXT NOT NULL,
    reviewer_name TEXT NOT NULL DEFAULT '',
    return_reason TEXT NOT NULL DEFAULT '',
    withdraw_reason TEXT NOT NULL DEFAULT '',
    is_demo BOOLEAN NOT NULL DEFAULT FALSE,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX portal_articles_public ON portal_articles (channel, state, published_at);

-- 曝光台 An exposure entry. source_kind: credit_list (严重失信主体名单 entry id) |
-- credit_penalty (行政处罚 record id, flagged by staff) | complaint (complaint number) |
-- manual. It is shown only while its source still justifies it (checked when read);
-- state: shown | withdrawn, the withdrawal recorded in the audit chain. subject_code is
-- stored as the public may see it (USCC, or a masked ID number).
CREATE TABLE portal_exposures (
    id INTEGER PRIMARY KEY,
    county_code TEXT NOT NULL,
    source_kind TEXT NOT NULL,
    source_ref TEXT NOT NULL,
    subject_id BIGINT,
    subject_name TEXT NOT NULL,
    subject_code TEXT NOT NULL DEFAULT '',
    title TEXT NOT NULL,
    basis TEXT NOT NULL,
    doc_no TEXT NOT NULL DEFAULT '',
    authority TEXT NOT NULL DEFAULT '',
    decided_on TEXT,
    -- 公示截止 The last day shown; NULL = no fixed end (until the source ends).
    publicity_end TEXT,
    state TEXT NOT NULL,
    withdraw_reason TEXT NOT NULL DEFAULT '',
    withdrawn_at BIGINT,
    published_by TEXT NOT NULL,
    is_demo BOOLEAN NOT NULL DEFAULT FALSE,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    UNIQUE (county_code, source_kind, source_ref)
);
CREATE INDEX portal_exposures_state ON portal_exposures (county_code, state, created_at);
