-- 诉源治理 Litigation-source governance: disputes (矛盾纠纷) from intake on a grid
-- worker's phone, online, at a window or from the 综治 platform, through routing,
-- mediation and judicial confirmation, to performance, referral for filing and the
-- follow-up visit. The state column moves only through the state machine
-- (crates/mediation/src/model.rs); every move is in the audit chain.
-- Keep this file in step with its twin in the other migration tree.

CREATE TABLE mediation_cases (
    id INTEGER PRIMARY KEY,
    county_code TEXT NOT NULL,
    -- 查询码 given to the applicant; with a party's phone number it opens the case.
    tracking_code TEXT NOT NULL UNIQUE,
    -- grid | online | window | hotline | zongzhi | court
    channel TEXT NOT NULL,
    category TEXT NOT NULL,
    summary TEXT NOT NULL,
    claim TEXT NOT NULL DEFAULT '',
    amount_fen BIGINT,
    township_code TEXT NOT NULL,
    village_code TEXT NOT NULL,
    place TEXT NOT NULL DEFAULT '',
    occurred_on TEXT,
    grid_id BIGINT,
    reporter_user_id BIGINT,
    -- The case number of the sending system (综治 platform), unique per channel.
    external_ref TEXT,
    state TEXT NOT NULL,
    -- village | township | county: the rung of the escalation ladder.
    level TEXT NOT NULL,
    -- village_committee | township_committee | professional | grid_home | admin_centre
    body_kind TEXT NOT NULL,
    body_org_id BIGINT,
    body_name TEXT NOT NULL,
    mediator_user_id BIGINT,
    tribunal_org_id BIGINT,
    route_rule TEXT NOT NULL DEFAULT '',
    -- The deadline of the current state and its basis (ms since epoch, exclusive end).
    due_at BIGINT,
    due_basis TEXT NOT NULL DEFAULT '',
    reminded_at BIGINT,
    overdue_notified_at BIGINT,
    -- The escalation timer of the current rung (village and township only).
    level_due_at BIGINT,
    mediation_started_at BIGINT,
    extension_days BIGINT NOT NULL DEFAULT 0,
    agreement_at BIGINT,
    agreement_text TEXT,
    failure_reason TEXT,
    court_case_no TEXT,
    closed_at BIGINT,
    -- resolved | failed | withdrawn | not_accepted, once known.
    outcome TEXT,
    followup_at BIGINT,
    satisfaction BIGINT,
    followup_note TEXT,
    is_demo BOOLEAN NOT NULL DEFAULT FALSE,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX mediation_cases_place ON mediation_cases(village_code, created_at);
CREATE INDEX mediation_cases_created ON mediation_cases(county_code, created_at);
CREATE INDEX mediation_cases_mediator ON mediation_cases(mediator_user_id, created_at);
CREATE INDEX mediation_cases_body ON mediation_cases(body_org_id, created_at);
CREATE INDEX mediation_cases_tribunal ON mediation_cases(tribunal_org_id, created_at);
CREATE INDEX mediation_cases_due ON mediation_cases(due_at) WHERE due_at IS NOT NULL;
CREATE INDEX mediation_cases_level_due ON mediation_cases(level_due_at) WHERE level_due_at IS NOT NULL;
CREATE UNIQUE INDEX mediation_cases_external ON mediation_cases(channel, external_ref);

-- 当事人 Parties: IDs and phone numbers encrypted, looked up by keyed hash, shown masked.
CREATE TABLE mediation_parties (
    id INTEGER PRIMARY KEY,
    case_id BIGINT NOT NULL,
    -- applicant | respondent
    role TEXT NOT NULL,
    -- person | org
    kind TEXT NOT NULL,
    name TEXT NOT NULL,
    code_masked TEXT NOT NULL DEFAULT '',
    code_hash TEXT,
    code_enc TEXT,
    phone_masked TEXT NOT NULL DEFAULT '',
    phone_hash TEXT,
    phone_enc TEXT,
    created_at BIGINT NOT NULL
);
CREATE INDEX mediation_parties_case ON mediation_parties(case_id);

-- 调解记录 Sessions: scheduled, then held with minutes.
CREATE TABLE mediation_sessions (
    id INTEGER PRIMARY KEY,
    case_id BIGINT NOT NULL,
    scheduled_at BIGINT NOT NULL,
    place TEXT NOT NULL,
    held BOOLEAN NOT NULL DEFAULT FALSE,
    minutes TEXT NOT NULL DEFAULT '',
    recorded_by BIGINT,
    created_at BIGINT NOT NULL
);
CREATE INDEX mediation_sessions_case ON mediation_sessions(case_id);

-- 提醒 Notices to the people involved: staff (user) or a party (shown on the tracking page).
CREATE TABLE mediation_notices (
    id INTEGER PRIMARY KEY,
    case_id BIGINT NOT NULL,
    user_id BIGINT,
    party_id BIGINT,
    kind TEXT NOT NULL,
    text TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    read_at BIGINT
);
CREATE INDEX mediation_notices_user ON mediation_notices(user_id, created_at);
CREATE INDEX mediation_notices_case ON mediation_notices(case_id);

-- 法院案号 Court case numbers issued per year and type (诉前调确, 诉前调书).
CREATE TABLE mediation_case_numbers (
    county_code TEXT NOT NULL,
    year BIGINT NOT NULL,
    kind TEXT NOT NULL,
    last_seq BIGINT NOT NULL,
    PRIMARY KEY (county_code, year, kind)
);

-- 民事收案数 The court's yearly count of civil cases entering litigation, as the court
-- reports it (for "cases entering litigation year over year").
CREATE TABLE mediation_court_intake (
    county_code TEXT NOT NULL,
    year BIGINT NOT NULL,
    civil_cases BIGINT NOT NULL,
    source TEXT NOT NULL,
    is_demo BOOLEAN NOT NULL DEFAULT FALSE,
    entered_by TEXT NOT NULL,
    updated_at BIGINT NOT NULL,
    PRIMARY KEY (county_code, year)
);

-- 外部平台来件 Messages received from the 综治 platform and the court mediation
-- platform, once each (their idempotency key).
CREATE TABLE mediation_inbound (
    source TEXT NOT NULL,
    idempotency_key TEXT NOT NULL,
    topic TEXT NOT NULL,
    case_id BIGINT,
    result TEXT NOT NULL,
    received_at BIGINT NOT NULL,
    PRIMARY KEY (source, idempotency_key)
);
