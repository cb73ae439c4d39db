-- 清单 The portal's three published lists imported from spreadsheets: 市场准入负面清单
-- (kind 'negative'), 权责清单 ('powers') and 收费清单 ('fees'). Each import is one row of
-- portal_list_imports (read = accepted + rejected, every rejected row kept with its line,
-- column and reason for the rejects file); an import without a rejected row creates one
-- version (portal_list_versions) with all of its items in one transaction, so a version
-- is only ever stored whole. One version per kind and county is current (is_current = 1):
-- the public pages, the checker and the search index show that one.
-- Keep this file in step with its twin in the other migration tree.
CREATE TABLE portal_list_versions (
    id INTEGER PRIMARY KEY,
    county_code TEXT NOT NULL,
    -- negative | powers | fees
    kind TEXT NOT NULL,
    -- e.g. 市场准入负面清单（2022年版）
    title TEXT NOT NULL,
    -- 文号, e.g. 发改体改规〔2022〕397号; empty when not stated
    doc_number TEXT NOT NULL DEFAULT '',
    published_on TEXT NOT NULL DEFAULT '',
    -- Number of items in the official text (117 for the 2022 negative list), when known;
    -- the page compares it with the items held.
    official_count BIGINT,
    -- Where the file came from (publisher, URL).
    source TEXT NOT NULL DEFAULT '',
    item_count BIGINT NOT NULL,
    is_current BIGINT NOT NULL DEFAULT 0,
    import_id BIGINT,
    created_by TEXT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX portal_list_versions_kind ON portal_list_versions (county_code, kind, is_current);

CREATE TABLE portal_list_imports (
    id INTEGER PRIMARY KEY,
    county_code TEXT NOT NULL,
    kind TEXT NOT NULL,
    file_name TEXT NOT NULL,
    -- UTF-8 | GBK | xlsx
    encoding TEXT NOT NULL DEFAULT '',
    -- The file's header row, tab-separated (for the rejects file).
    header TEXT NOT NULL DEFAULT '',
    rows_read BIGINT NOT NULL,
    rows_accepted BIGINT NOT NULL,
    rows_rejected BIGINT NOT NULL,
    -- The version created, NULL when the file was refused.
    version_id BIGINT,
    -- stored | refused
    outcome TEXT NOT NULL,
    -- Why a file was refused as a whole (bad header, no rows, rejected rows).
    message TEXT NOT NULL DEFAULT '',
    created_by TEXT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX portal_list_imports_kind ON portal_list_imports (county_code, kind, id);

CREATE TABLE portal_list_rejects (
    import_id BIGINT NOT NULL REFERENCES portal_list_imports (id),
    line BIGINT NOT NULL,
    -- The column's name as in the file (empty for a row-level problem).
    column_name TEXT NOT NULL DEFAULT '',
    reason TEXT NOT NULL,
    -- The row's cells, tab-separated.
    original TEXT NOT NULL DEFAULT ''
);
CREATE INDEX portal_list_rejects_import ON portal_list_rejects (import_id, line);

-- 负面清单事项 An item of an edition of the 市场准入负面清单 (DOMAIN §7.1).
CREATE TABLE portal_negative_items (
    id INTEGER PRIMARY KEY,
    version_id BIGINT NOT NULL REFERENCES portal_list_versions (id),
    -- 项目号
    seq BIGINT NOT NULL,
    -- 事项编码 (6 digits; first digit 1 = 禁止, 2 = 许可); empty when not published
    code TEXT NOT NULL DEFAULT '',
    -- prohibited (禁止准入类) | permitted (许可准入类)
    category TEXT NOT NULL,
    -- 禁止或许可事项
    name TEXT NOT NULL,
    -- 禁止或许可准入措施描述
    measures TEXT NOT NULL DEFAULT '',
    -- 主管部门
    department TEXT NOT NULL DEFAULT '',
    -- 地方性许可事项
    local_items TEXT NOT NULL DEFAULT '',
    -- 关键词/行业 tags the checker matches, separated by commas (staff-maintained)
    keywords TEXT NOT NULL DEFAULT '',
    -- confirmed | pending (待核实) | demo (演示示例) | '' (not stated: the official file)
    verification TEXT NOT NULL DEFAULT '',
    verification_note TEXT NOT NULL DEFAULT ''
);
CREATE INDEX portal_negative_items_version ON portal_negative_items (version_id, category, seq);

-- 权力类型 The power types of the 权责清单 (DOMAIN §7.2), as data: provinces add their own.
CREATE TABLE portal_power_types (
    name TEXT PRIMARY KEY,
    sort BIGINT NOT NULL
);
INSERT INTO portal_power_types (name, sort) VALUES
    ('行政许可', 1), ('行政处罚', 2), ('行政强制', 3), ('行政征收', 4), ('行政给付', 5),
    ('行政检查', 6), ('行政确认', 7), ('行政奖励', 8), ('行政裁决', 9), ('其他行政权力', 10),
    ('公共服务', 11);

-- 权责事项 An item of a version of the 权责清单.
CREATE TABLE portal_powers (
    id INTEGER PRIMARY KEY,
    version_id BIGINT NOT NULL REFERENCES portal_list_versions (id),
    -- 序号
    seq BIGINT NOT NULL,
    -- 事项编码
    code TEXT NOT NULL DEFAULT '',
    -- 事项名称
    name TEXT NOT NULL,
    -- 子项名称
    sub_item TEXT NOT NULL DEFAULT '',
    -- 权力类型 / 职权类别 (a name of portal_power_types)
    power_type TEXT NOT NULL,
    -- 实施主体 / 部门
    department TEXT NOT NULL,
    -- 设定依据 / 实施依据
    basis TEXT NOT NULL DEFAULT '',
    -- 责任事项
    duties TEXT NOT NULL DEFAULT '',
    -- 追责情形
    accountability TEXT NOT NULL DEFAULT '',
    -- 行使层级
    exercise_level TEXT NOT NULL DEFAULT '',
    -- 状态 as published (已发布…)
    status TEXT NOT NULL DEFAULT '',
    -- 备注 / 来源
    note TEXT NOT NULL DEFAULT ''
);
CREATE INDEX portal_powers_version ON portal_powers (version_id, department, power_type);

-- 收费项目 An item of a version of the 涉企收费目录清单 (DOMAIN §7.3).
CREATE TABLE portal_fees (
    id INTEGER PRIMARY KEY,
    version_id BIGINT NOT NULL REFERENCES portal_list_versions (id),
    -- Order in the file.
    seq BIGINT NOT NULL,
    -- 部门
    department TEXT NOT NULL,
    -- 项目序号 as published
    item_no TEXT NOT NULL DEFAULT '',
    -- 项目名称 / 收费项目
    name TEXT NOT NULL,
    -- 收费性质 / 类别 (行政事业性收费, 政府性基金…)
    fee_type TEXT NOT NULL DEFAULT '',
    -- 资金管理方式
    fund_management TEXT NOT NULL DEFAULT '',
    -- 政策依据 (文号)
    basis TEXT NOT NULL,
    -- 收费标准
    standard TEXT NOT NULL DEFAULT '',
    -- 备注
    note TEXT NOT NULL DEFAULT '',
    -- 来源
    source TEXT NOT NULL DEFAULT ''
);
CREATE INDEX portal_fees_version ON portal_fees (version_id, department, seq);
