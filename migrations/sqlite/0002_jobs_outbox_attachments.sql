-- Shared services: persistent jobs (任务), the outbox and webhook endpoints (发件箱),
-- content-addressed attachments (附件).
-- Instants are BIGINT milliseconds since the Unix epoch (UTC).
-- Keep this file in step with ../postgres/0002_jobs_outbox_attachments.sql (same tables, same columns).

CREATE TABLE jobs (
    id INTEGER PRIMARY KEY,
    county_code TEXT NOT NULL,
    kind TEXT NOT NULL,
    payload TEXT NOT NULL,
    idempotency_key TEXT UNIQUE,
    run_at BIGINT NOT NULL,
    status TEXT NOT NULL DEFAULT 'queued',
    attempts BIGINT NOT NULL DEFAULT 0,
    max_attempts BIGINT NOT NULL,
    last_error TEXT,
    locked_until BIGINT,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX jobs_due ON jobs(status, run_at);

CREATE TABLE webhook_endpoints (
    id INTEGER PRIMARY KEY,
    county_code TEXT NOT NULL,
    name TEXT NOT NULL,
    url TEXT NOT NULL,
    secret TEXT NOT NULL,
    topics TEXT NOT NULL,
    active BOOLEAN NOT NULL DEFAULT TRUE,
    created_at BIGINT NOT NULL,
    UNIQUE (county_code, name)
);

CREATE TABLE outbox (
    id INTEGER PRIMARY KEY,
    county_code TEXT NOT NULL,
    endpoint_id BIGINT NOT NULL REFERENCES webhook_endpoints(id),
    topic TEXT NOT NULL,
    payload TEXT NOT NULL,
    idempotency_key TEXT NOT NULL,
    status TEXT NOT NULL DEFAULT 'pending',
    attempts BIGINT NOT NULL DEFAULT 0,
    next_attempt_at BIGINT NOT NULL,
    last_error TEXT,
    last_status BIGINT,
    created_at BIGINT NOT NULL,
    delivered_at BIGINT,
    UNIQUE (endpoint_id, idempotency_key)
);
CREATE INDEX outbox_due ON outbox(status, next_attempt_at);

CREATE TABLE attachments (
    id INTEGER PRIMARY KEY,
    county_code TEXT NOT NULL,
    sha256 TEXT NOT NULL,
    size BIGINT NOT NULL,
    mime TEXT NOT NULL,
    filename TEXT NOT NULL,
    owner_kind TEXT NOT NULL,
    owner_id BIGINT NOT NULL,
    created_by TEXT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX attachments_owner ON attachments(owner_kind, owner_id);
CREATE INDEX attachments_sha256 ON attachments(sha256);
