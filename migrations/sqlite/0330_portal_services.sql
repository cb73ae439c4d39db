-- 部门职责 and 公共服务: the portal's department profiles and its service guides (办事指南).
-- Keep this file in step with its twin in the other migration tree.

-- 部门职责 One public profile per county department (an organisation of kind
-- 'department'): its duties (职责, paragraphs separated by newlines), address, office
-- hours, the office phone (normalised by qingfeng_core::Phone) and further office lines
-- (contacts: one "label<TAB>phone" a line). These are the department's published office
-- numbers, not personal data. Edited by the department's own staff or a county admin;
-- every edit is in the audit chain (portal.department_profile).
CREATE TABLE portal_department_profiles (
    org_id BIGINT PRIMARY KEY REFERENCES organisations (id),
    county_code TEXT NOT NULL,
    duties TEXT NOT NULL DEFAULT '',
    address TEXT NOT NULL DEFAULT '',
    office_hours TEXT NOT NULL DEFAULT '',
    phone TEXT NOT NULL DEFAULT '',
    contacts TEXT NOT NULL DEFAULT '',
    is_demo BOOLEAN NOT NULL DEFAULT FALSE,
    updated_by TEXT NOT NULL DEFAULT '',
    updated_at BIGINT NOT NULL
);

-- 办事指南 A service guide with the elements of the provincial platforms (DOMAIN.md §6.2).
-- Written so that the government-services module can take the table over: every column
-- is a guide element, task_type carries the national taskType codes (01 行政许可,
-- 05 行政给付, 07 行政确认, 08 行政奖励, 09 行政裁决, 10 其他行政权力, 20 公共服务, 99 其它),
-- org_id is the 实施主体. state: draft | published | withdrawn (moved only by the
-- state machine portal_service, audited).
CREATE TABLE portal_services (
    id INTEGER PRIMARY KEY,
    county_code TEXT NOT NULL,
    org_id BIGINT NOT NULL REFERENCES organisations (id),
    name TEXT NOT NULL,
    task_type TEXT NOT NULL,
    -- 办件类型: immediate (即办件) | promised (承诺件)
    handling_kind TEXT NOT NULL,
    -- 法定/承诺办结时限, working days
    legal_days BIGINT NOT NULL,
    promised_days BIGINT NOT NULL,
    conditions TEXT NOT NULL DEFAULT '',
    -- 办理流程, one step a line
    process TEXT NOT NULL DEFAULT '',
    -- 办理形式, comma-separated: window (窗口办理) | online (网上办理) | post (邮寄申请)
    forms TEXT NOT NULL DEFAULT '',
    -- 到办事现场次数 and, when above 0, 必须现场办理原因说明
    visits BIGINT NOT NULL,
    visit_reason TEXT NOT NULL DEFAULT '',
    -- 审批结果名称 and 类型: certificate (出证办结) | document (出文办结) | approval (审批办结) | '' (none)
    result_name TEXT NOT NULL DEFAULT '',
    result_kind TEXT NOT NULL DEFAULT '',
    charged BOOLEAN NOT NULL DEFAULT FALSE,
    fee_basis TEXT NOT NULL DEFAULT '',
    place TEXT NOT NULL DEFAULT '',
    hours TEXT NOT NULL DEFAULT '',
    phone TEXT NOT NULL DEFAULT '',
    supervision TEXT NOT NULL DEFAULT '',
    state TEXT NOT NULL DEFAULT 'draft',
    is_demo BOOLEAN NOT NULL DEFAULT FALSE,
    created_by TEXT NOT NULL DEFAULT '',
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    published_at BIGINT
);
CREATE INDEX portal_services_org ON portal_services (org_id, state);
CREATE INDEX portal_services_state ON portal_services (county_code, state, task_type);

-- 申请材料 The materials of a guide, in order: name, 纸质/电子 (paper | electronic |
-- both), 份数 and 必要性 (required: TRUE 必要 / FALSE 容缺或非必要).
CREATE TABLE portal_service_materials (
    service_id BIGINT NOT NULL REFERENCES portal_services (id),
    seq BIGINT NOT NULL,
    name TEXT NOT NULL,
    medium TEXT NOT NULL,
    copies BIGINT NOT NULL,
    required BOOLEAN NOT NULL,
    PRIMARY KEY (service_id, seq)
);
