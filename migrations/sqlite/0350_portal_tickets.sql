-- 小事快办 / 企业家维权投诉 The ticket loop of DOMAIN.md §6.4: first receiver responsible
-- (首接负责), dispatch to a department, signing within a deadline, return with reason,
-- extension requests, reply, follow-up visit, reopen; overdue tickets escalate. The state
-- columns move only through the state machines (crates/portal/src/tickets/mod.rs and
-- crates/portal/src/ratings/mod.rs); every move is in the audit chain.
-- Keep this file in step with its twin in the other migration tree.

CREATE TABLE portal_tickets (
    id INTEGER PRIMARY KEY,
    county_code TEXT NOT NULL,
    -- 查询码 GD…: alone it opens an anonymous ticket; with the phone number given, a named one.
    tracking_code TEXT NOT NULL UNIQUE,
    -- quick (小事快办) | complaint (企业家维权投诉)
    kind TEXT NOT NULL,
    -- consult | help | complaint | suggestion | praise (DOMAIN.md §6.4 ticket types)
    category TEXT NOT NULL,
    -- urgent | normal | complex
    priority TEXT NOT NULL,
    -- online | phone | window
    channel TEXT NOT NULL,
    title TEXT NOT NULL,
    content TEXT NOT NULL,
    -- 清单外收费 An off-list fee report: the fee item the person was charged under
    -- (portal fee list id), or none when the charge has no item on the list at all.
    fee_report BOOLEAN NOT NULL DEFAULT FALSE,
    fee_item_id BIGINT,
    anonymous BOOLEAN NOT NULL,
    contact_name TEXT NOT NULL DEFAULT '',
    company TEXT NOT NULL DEFAULT '',
    uscc TEXT,
    phone_masked TEXT NOT NULL DEFAULT '',
    phone_hash TEXT,
    phone_enc TEXT,
    state TEXT NOT NULL,
    -- 首接负责 The body that first received it: it dispatches, takes returns back and revisits.
    receiver_org_id BIGINT NOT NULL,
    receiver_user_id BIGINT,
    -- The department it is dispatched to.
    handler_org_id BIGINT,
    -- The deadline of the current state and its basis (ms since epoch, exclusive end).
    due_at BIGINT,
    due_basis TEXT NOT NULL DEFAULT '',
    -- 办理时限 The handling deadline, counted from dispatch, moved by approved extensions.
    reply_due_at BIGINT,
    reply_due_basis TEXT NOT NULL DEFAULT '',
    dispatched_at BIGINT,
    signed_at BIGINT,
    return_count BIGINT NOT NULL DEFAULT 0,
    return_reason TEXT NOT NULL DEFAULT '',
    extension_requested_days BIGINT NOT NULL DEFAULT 0,
    extension_reason TEXT NOT NULL DEFAULT '',
    extended_days BIGINT NOT NULL DEFAULT 0,
    reply TEXT NOT NULL DEFAULT '',
    replied_at BIGINT,
    -- 回访 The follow-up visit: resolved? satisfied?
    revisit_resolved BOOLEAN,
    revisit_satisfied BOOLEAN,
    revisit_note TEXT NOT NULL DEFAULT '',
    revisited_at BIGINT,
    reopen_count BIGINT NOT NULL DEFAULT 0,
    -- 超期 First seen overdue, and how far it escalated: 1 催办 (urged), 2 通报 (reported).
    overdue_at BIGINT,
    overdue_level BIGINT NOT NULL DEFAULT 0,
    overdue_reported_at BIGINT,
    closed_at BIGINT,
    is_demo BOOLEAN NOT NULL DEFAULT FALSE,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX portal_tickets_state ON portal_tickets(county_code, state, created_at);
CREATE INDEX portal_tickets_handler ON portal_tickets(handler_org_id, state);
CREATE INDEX portal_tickets_due ON portal_tickets(due_at);

-- 好差评 Ratings of closed tickets and of services (DOMAIN.md §6.1): five levels; a 差评
-- (level 1 or 2) runs its own workflow in `state` (crates/portal/src/ratings/mod.rs).
CREATE TABLE portal_ratings (
    id INTEGER PRIMARY KEY,
    county_code TEXT NOT NULL,
    -- 评价码 PJ…: with the phone number given, the rater follows what became of it.
    code TEXT NOT NULL UNIQUE,
    -- ticket | service
    subject_kind TEXT NOT NULL,
    subject_id BIGINT NOT NULL,
    subject_title TEXT NOT NULL,
    -- The department rated (谁办理、谁负责).
    org_id BIGINT NOT NULL,
    -- 1 非常不满意 … 5 非常满意
    level BIGINT NOT NULL,
    comment TEXT NOT NULL DEFAULT '',
    channel TEXT NOT NULL,
    anonymous BOOLEAN NOT NULL,
    rater_name TEXT NOT NULL DEFAULT '',
    phone_masked TEXT NOT NULL DEFAULT '',
    phone_hash TEXT,
    phone_enc TEXT,
    -- YYYY-MM (county time), the month it counts in; YYYY-MM-DD for 一次一评 of services.
    month TEXT NOT NULL,
    day TEXT NOT NULL,
    -- The 差评 workflow; NULL for the other levels.
    state TEXT,
    due_at BIGINT,
    due_basis TEXT NOT NULL DEFAULT '',
    -- valid (属实) | explained (解释说明) | invalid (误评/恶意, appealed)
    verdict TEXT,
    visit_note TEXT NOT NULL DEFAULT '',
    rectification TEXT NOT NULL DEFAULT '',
    feedback TEXT NOT NULL DEFAULT '',
    appeal_reason TEXT NOT NULL DEFAULT '',
    review_note TEXT NOT NULL DEFAULT '',
    -- An upheld appeal takes the rating out of the published scores.
    excluded BOOLEAN NOT NULL DEFAULT FALSE,
    overdue_at BIGINT,
    closed_at BIGINT,
    is_demo BOOLEAN NOT NULL DEFAULT FALSE,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
-- 一事一评: one rating per ticket; 一次一评: one per person, service and day.
CREATE UNIQUE INDEX portal_ratings_ticket ON portal_ratings(subject_id) WHERE subject_kind = 'ticket';
CREATE UNIQUE INDEX portal_ratings_service ON portal_ratings(subject_id, phone_hash, day) WHERE subject_kind = 'service';
CREATE INDEX portal_ratings_month ON portal_ratings(county_code, month, org_id);
CREATE INDEX portal_ratings_state ON portal_ratings(county_code, state);

-- 月度公布 The monthly scores and ranking per department, frozen when the county's
-- business-environment office publishes a month, so published figures never change.
CREATE TABLE portal_rating_months (
    county_code TEXT NOT NULL,
    month TEXT NOT NULL,
    org_id BIGINT NOT NULL,
    org_name TEXT NOT NULL,
    ratings BIGINT NOT NULL,
    -- Mean level ×100 (e.g. 462 = 4.62).
    mean_x100 BIGINT NOT NULL,
    good BIGINT NOT NULL,
    bad BIGINT NOT NULL,
    bad_closed BIGINT NOT NULL,
    rank BIGINT NOT NULL,
    published_at BIGINT NOT NULL,
    published_by TEXT NOT NULL,
    PRIMARY KEY (county_code, month, org_id)
);
