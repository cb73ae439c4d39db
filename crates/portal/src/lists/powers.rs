//! 权责清单 The powers and responsibilities list (DOMAIN §7.2): one row per 事项 (and
//! 子项), with its 权力类型 — the types are data (`portal_power_types`), seeded with the
//! national integrated platform's types and extensible, since provinces add their own
//! (行政征用, 内部审批, 共性权力…). Files in the published format
//! (序号, 事项名称, 职权类别, 部门, 依据 — e.g. the 河南省市场监督管理局 list) and in the
//! full §7.2 layout are both read.

use std::collections::HashSet;

use super::{Cells, Column};

pub const COLUMNS: &[Column] = &[
    Column { key: "seq", names: &["序号"], required: true, max_chars: 10 },
    Column { key: "code", names: &["事项编码", "编码"], required: false, max_chars: 50 },
    Column { key: "name", names: &["事项名称", "权力事项名称"], required: true, max_chars: 300 },
    Column { key: "sub_item", names: &["子项", "子项名称"], required: false, max_chars: 300 },
    Column { key: "power_type", names: &["权力类型", "职权类别", "事项类型"], required: true, max_chars: 20 },
    Column { key: "department", names: &["实施主体", "部门", "实施机关"], required: true, max_chars: 200 },
    Column {
        key: "basis", names: &["依据", "设定依据", "实施依据", "设定依据/实施依据"], required: false, max_chars: 8000
    },
    Column { key: "duties", names: &["责任事项"], required: false, max_chars: 8000 },
    Column { key: "accountability", names: &["追责情形"], required: false, max_chars: 8000 },
    Column { key: "exercise_level", names: &["行使层级"], required: false, max_chars: 100 },
    Column { key: "status", names: &["状态"], required: false, max_chars: 20 },
    Column { key: "note", names: &["备注", "来源"], required: false, max_chars: 1000 },
];

/// A checked row of a powers file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PowerRow {
    pub seq: i64,
    pub code: String,
    pub name: String,
    pub sub_item: String,
    pub power_type: String,
    pub department: String,
    pub basis: String,
    pub duties: String,
    pub accountability: String,
    pub exercise_level: String,
    pub status: String,
    pub note: String,
}

/// What a file must not repeat: a 事项编码 with its 子项, a 序号 with its 子项.
#[derive(Default)]
pub struct Seen {
    code: HashSet<(String, String)>,
    seq: HashSet<(i64, String)>,
}

/// Check one row against the known power `types`.
pub fn check_row(cells: &mut Cells<'_>, types: &[String], seen: &mut Seen) -> Option<PowerRow> {
    let seq = cells.number("seq");
    let code = cells.text("code");
    let name = cells.text("name");
    let sub_item = cells.text("sub_item");
    let power_type = cells.text("power_type");
    if !power_type.is_empty() && !types.contains(&power_type) {
        cells
            .problem("power_type", format!("权力类型“{power_type}”不在类型表中（可选：{}；新类型请先在清单管理中添加）", types.join("、")));
    }
    let department = cells.text("department");
    let basis = cells.text("basis");
    let duties = cells.text("duties");
    let accountability = cells.text("accountability");
    let exercise_level = cells.text("exercise_level");
    let status = cells.text("status");
    let note = cells.text("note");
    let seq = seq?;
    if !cells.problems.is_empty() {
        return None;
    }
    if !seen.seq.insert((seq, sub_item.clone())) {
        cells.problem("seq", format!("序号 {seq} 在文件中重复"));
        return None;
    }
    if !code.is_empty() && !seen.code.insert((code.clone(), sub_item.clone())) {
        cells.problem("code", format!("事项编码 {code} 在文件中重复"));
        return None;
    }
    Some(PowerRow { seq, code, name, sub_item, power_type, department, basis, duties, accountability, exercise_level, status, note })
}
