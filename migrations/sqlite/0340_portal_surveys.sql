-- 问卷调查 The portal's surveys: staff build a survey (questions of four kinds), publish
-- it for a window (opens_at..closes_at, either end open), the public answers it once per
-- person, staff (and the public, if results_public) see the results.
-- state: draft | published | closed (qingfeng_platform::state::Machine, audited);
-- questions are frozen once a survey leaves draft.
-- identity: anonymous (one response per browser: the keyed hash of a signed cookie
-- token) | real_name (a mobile number is required; only its keyed hash is stored, one
-- response per hash). respondent_key holds that hash, never the number or the token.
-- Instants are UTC milliseconds.
-- Keep this file in step with its twin in the other migration tree.
CREATE TABLE portal_surveys (
    id INTEGER PRIMARY KEY,
    county_code TEXT NOT NULL,
    title TEXT NOT NULL,
    intro TEXT NOT NULL DEFAULT '',
    state TEXT NOT NULL DEFAULT 'draft',
    identity TEXT NOT NULL DEFAULT 'anonymous',
    opens_at BIGINT,
    closes_at BIGINT,
    results_public BOOLEAN NOT NULL DEFAULT FALSE,
    is_demo BOOLEAN NOT NULL DEFAULT FALSE,
    created_by TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX portal_surveys_county ON portal_surveys (county_code, state);

-- kind: single | multiple | rating | text. options: the choices, one per line (single,
-- multiple). max_picks: most choices of a multiple question (NULL = any). max_chars:
-- longest free-text answer.
CREATE TABLE portal_survey_questions (
    id INTEGER PRIMARY KEY,
    survey_id BIGINT NOT NULL REFERENCES portal_surveys (id),
    position BIGINT NOT NULL,
    kind TEXT NOT NULL,
    prompt TEXT NOT NULL,
    required BOOLEAN NOT NULL DEFAULT TRUE,
    options TEXT NOT NULL DEFAULT '',
    max_picks BIGINT,
    max_chars BIGINT
);
CREATE INDEX portal_survey_questions_survey ON portal_survey_questions (survey_id, position);

CREATE TABLE portal_survey_responses (
    id INTEGER PRIMARY KEY,
    survey_id BIGINT NOT NULL REFERENCES portal_surveys (id),
    respondent_key TEXT NOT NULL,
    submitted_at BIGINT NOT NULL,
    is_demo BOOLEAN NOT NULL DEFAULT FALSE,
    UNIQUE (survey_id, respondent_key)
);

-- One row per answered question; a multiple-choice question has one row per pick.
-- option_index: 0-based choice (single, multiple); rating: 1–5; text: free text.
CREATE TABLE portal_survey_answers (
    response_id BIGINT NOT NULL REFERENCES portal_survey_responses (id),
    question_id BIGINT NOT NULL REFERENCES portal_survey_questions (id),
    option_index BIGINT,
    rating BIGINT,
    answer_text TEXT
);
CREATE INDEX portal_survey_answers_response ON portal_survey_answers (response_id);
CREATE INDEX portal_survey_answers_question ON portal_survey_answers (question_id);
