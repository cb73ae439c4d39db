-- 调解员名册 The mediator register: a mediator's title (专职人民调解员, 驻庭调解员,
-- 特邀调解员…) and specialities (dispute categories of crates/mediation/data/categories.csv),
-- shown when a case is assigned so that it goes to someone who knows the field.
-- Keep this file in step with its twin in the other migration tree.
CREATE TABLE mediation_mediators (
    user_id BIGINT PRIMARY KEY,
    county_code TEXT NOT NULL,
    title TEXT NOT NULL DEFAULT '',
    -- Category keys separated by commas.
    specialities TEXT NOT NULL DEFAULT '',
    note TEXT NOT NULL DEFAULT '',
    is_demo BOOLEAN NOT NULL DEFAULT FALSE,
    updated_at BIGINT NOT NULL
);
