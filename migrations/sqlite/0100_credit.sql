-- Credit platform (社会信用信息平台): subjects, imports, records.
-- The records table is the large one (13 M rows per county): integer keys, a 64-bit hash
-- of the natural key as its unique index, no foreign keys (the import pipeline keeps
-- the references whole; a foreign-key check per row would halve the load rate).
-- Keep this file in step with ../postgres/0100_credit.sql.

CREATE TABLE credit_subjects (
    id INTEGER PRIMARY KEY,
    county_code TEXT NOT NULL,
    kind TEXT NOT NULL,
    key_hash BIGINT NOT NULL,
    uscc TEXT,
    id_hash TEXT,
    id_enc TEXT,
    name TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    UNIQUE (county_code, key_hash)
);
CREATE INDEX credit_subjects_uscc ON credit_subjects(uscc);
CREATE INDEX credit_subjects_name ON credit_subjects(name);

CREATE TABLE credit_subject_names (
    subject_id BIGINT NOT NULL,
    name TEXT NOT NULL,
    first_seen BIGINT NOT NULL,
    PRIMARY KEY (subject_id, name)
);

CREATE TABLE credit_imports (
    id INTEGER PRIMARY KEY,
    county_code TEXT NOT NULL,
    kind TEXT NOT NULL,
    source_dept TEXT NOT NULL DEFAULT '',
    file_name TEXT NOT NULL,
    file_sha256 TEXT NOT NULL,
    format TEXT NOT NULL,
    door TEXT NOT NULL,
    actor TEXT NOT NULL,
    status TEXT NOT NULL,
    read_count BIGINT NOT NULL DEFAULT 0,
    stored_count BIGINT NOT NULL DEFAULT 0,
    updated_count BIGINT NOT NULL DEFAULT 0,
    duplicate_count BIGINT NOT NULL DEFAULT 0,
    rejected_count BIGINT NOT NULL DEFAULT 0,
    started_at BIGINT NOT NULL,
    finished_at BIGINT
);
CREATE INDEX credit_imports_dept ON credit_imports(source_dept, started_at);

CREATE TABLE credit_records (
    id INTEGER PRIMARY KEY,
    county_code TEXT NOT NULL,
    natural_key BIGINT NOT NULL UNIQUE,
    content_hash BIGINT NOT NULL,
    subject_id BIGINT NOT NULL,
    kind TEXT NOT NULL,
    source_dept TEXT NOT NULL,
    authority TEXT NOT NULL,
    doc_no TEXT NOT NULL,
    decision_date TEXT NOT NULL,
    valid_from TEXT,
    valid_to TEXT,
    polarity TEXT NOT NULL,
    severity TEXT,
    amount_fen BIGINT,
    published BOOLEAN NOT NULL,
    publicity_min_end TEXT,
    publicity_max_end TEXT,
    publicity_regime TEXT NOT NULL,
    received_date TEXT NOT NULL,
    timely BOOLEAN NOT NULL,
    payload TEXT NOT NULL,
    import_id BIGINT,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX credit_records_subject ON credit_records(subject_id);
CREATE INDEX credit_records_dept ON credit_records(county_code, source_dept);
CREATE INDEX credit_records_publicity ON credit_records(published, publicity_max_end);

-- 信用报告 Issued credit reports: a snapshot of the public profile and its hash, so that a
-- printed report can be checked against what was issued.
CREATE TABLE credit_reports (
    id INTEGER PRIMARY KEY,
    county_code TEXT NOT NULL,
    number TEXT NOT NULL UNIQUE,
    subject_id BIGINT NOT NULL,
    content TEXT NOT NULL,
    content_sha256 TEXT NOT NULL,
    requested_by TEXT NOT NULL,
    created_at BIGINT NOT NULL
);

-- 红黑名单 List entries: red list (守信激励), black list (严重失信主体名单), dishonest
-- judgment debtors (失信被执行人), abnormal operations (经营异常名录).
CREATE TABLE credit_list_entries (
    id INTEGER PRIMARY KEY,
    county_code TEXT NOT NULL,
    list_kind TEXT NOT NULL,
    subject_id BIGINT NOT NULL,
    basis TEXT NOT NULL,
    authority TEXT NOT NULL,
    source_ref TEXT NOT NULL,
    listed_on TEXT NOT NULL,
    ends_on TEXT,
    removed_on TEXT,
    created_at BIGINT NOT NULL,
    UNIQUE (county_code, list_kind, subject_id, source_ref)
);
CREATE INDEX credit_list_entries_subject ON credit_list_entries(subject_id);
