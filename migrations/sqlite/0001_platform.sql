-- Platform foundation: registry, accounts, sessions, tokens, audit chain, calendar.
-- Instants are BIGINT milliseconds since the Unix epoch (UTC); local dates are TEXT 'YYYY-MM-DD'.
-- Keep this file in step with ../postgres/0001_platform.sql (same tables, same columns).

CREATE TABLE settings (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

CREATE TABLE divisions (
    code TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    level TEXT NOT NULL,
    parent_code TEXT REFERENCES divisions(code),
    county_code TEXT,
    kind TEXT NOT NULL DEFAULT '',
    lon REAL,
    lat REAL,
    source TEXT NOT NULL DEFAULT ''
);
CREATE INDEX divisions_parent ON divisions(parent_code);

CREATE TABLE organisations (
    id INTEGER PRIMARY KEY,
    county_code TEXT NOT NULL,
    division_code TEXT NOT NULL REFERENCES divisions(code),
    kind TEXT NOT NULL,
    name TEXT NOT NULL,
    uscc TEXT,
    parent_id BIGINT REFERENCES organisations(id),
    is_demo BOOLEAN NOT NULL DEFAULT FALSE,
    note TEXT NOT NULL DEFAULT '',
    created_at BIGINT NOT NULL,
    UNIQUE (county_code, name)
);
CREATE INDEX organisations_division ON organisations(division_code);

CREATE TABLE grids (
    id INTEGER PRIMARY KEY,
    county_code TEXT NOT NULL,
    township_code TEXT NOT NULL REFERENCES divisions(code),
    village_code TEXT NOT NULL UNIQUE REFERENCES divisions(code),
    name TEXT NOT NULL,
    kind TEXT NOT NULL,
    worker_user_id BIGINT,
    created_at BIGINT NOT NULL
);
CREATE INDEX grids_township ON grids(township_code);

CREATE TABLE users (
    id INTEGER PRIMARY KEY,
    county_code TEXT NOT NULL,
    username TEXT NOT NULL UNIQUE,
    display_name TEXT NOT NULL,
    org_id BIGINT REFERENCES organisations(id),
    scope_division TEXT NOT NULL REFERENCES divisions(code),
    password_hash TEXT NOT NULL,
    disabled BOOLEAN NOT NULL DEFAULT FALSE,
    must_change_password BOOLEAN NOT NULL DEFAULT FALSE,
    phone TEXT NOT NULL DEFAULT '',
    id_number_enc TEXT,
    id_number_hash TEXT,
    is_demo BOOLEAN NOT NULL DEFAULT FALSE,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX users_scope ON users(scope_division);
CREATE INDEX users_id_hash ON users(id_number_hash);

CREATE TABLE user_roles (
    user_id BIGINT NOT NULL REFERENCES users(id),
    role TEXT NOT NULL,
    PRIMARY KEY (user_id, role)
);

CREATE TABLE sessions (
    id_hash TEXT PRIMARY KEY,
    user_id BIGINT NOT NULL REFERENCES users(id),
    csrf_token TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL,
    last_seen_at BIGINT NOT NULL,
    ip TEXT NOT NULL DEFAULT ''
);
CREATE INDEX sessions_user ON sessions(user_id);

CREATE TABLE login_attempts (
    id INTEGER PRIMARY KEY,
    username TEXT NOT NULL,
    ip TEXT NOT NULL,
    at BIGINT NOT NULL,
    success BOOLEAN NOT NULL
);
CREATE INDEX login_attempts_username ON login_attempts(username, at);
CREATE INDEX login_attempts_ip ON login_attempts(ip, at);

CREATE TABLE api_tokens (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    prefix TEXT NOT NULL,
    token_hash TEXT NOT NULL UNIQUE,
    user_id BIGINT NOT NULL REFERENCES users(id),
    permissions TEXT NOT NULL,
    created_by BIGINT REFERENCES users(id),
    created_at BIGINT NOT NULL,
    expires_at BIGINT,
    revoked_at BIGINT,
    last_used_at BIGINT
);

CREATE TABLE audit_log (
    seq BIGINT PRIMARY KEY,
    at BIGINT NOT NULL,
    county_code TEXT NOT NULL,
    actor TEXT NOT NULL,
    action TEXT NOT NULL,
    entity TEXT NOT NULL,
    entity_id TEXT NOT NULL,
    detail TEXT NOT NULL,
    prev_hash TEXT NOT NULL,
    hash TEXT NOT NULL
);
CREATE INDEX audit_log_entity ON audit_log(entity, entity_id);

-- The audit log is append-only: the database itself refuses to edit or remove an entry.
-- (Dropping these triggers takes a DBA; `qingfeng audit verify` still finds the edit.)
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'audit_log is append-only');
END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'audit_log is append-only');
END;

CREATE TABLE audit_head (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    seq BIGINT NOT NULL,
    hash TEXT NOT NULL
);
INSERT INTO audit_head (id, seq, hash) VALUES (1, 0, '0000000000000000000000000000000000000000000000000000000000000000');

CREATE TABLE holidays (
    date TEXT PRIMARY KEY,
    kind TEXT NOT NULL,
    name TEXT NOT NULL,
    source TEXT NOT NULL
);
