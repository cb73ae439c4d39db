//! 收费清单 The catalogue of fees charged to enterprises (涉企收费目录清单, DOMAIN §7.3):
//! 行政事业性收费, 政府性基金, 实行政府定价的经营服务性收费, 涉企保证金 — and
//! 「清单之外一律不得收费」: a fee not on the list may not be charged, so every page links
//! to the complaint form for a fee off the list. Files in the layout of a Henan county's
//! 行政事业性收费目录清单 (部门, 项目序号, 项目名称, 资金管理方式, 政策依据, 标准, 备注)
//! and with the §7.3 columns (收费单位, 收费性质, 收费标准…) are both read.

use std::collections::HashSet;

use super::{Cells, Column};

pub const COLUMNS: &[Column] = &[
    Column { key: "seq", names: &["序号"], required: false, max_chars: 10 },
    Column { key: "department", names: &["部门", "收费单位", "执收单位"], required: true, max_chars: 200 },
    Column { key: "item_no", names: &["项目序号"], required: false, max_chars: 20 },
    Column { key: "name", names: &["项目名称", "收费项目", "收费项目名称"], required: true, max_chars: 300 },
    Column { key: "fee_type", names: &["收费性质", "类别", "收费类别"], required: false, max_chars: 50 },
    Column { key: "fund_management", names: &["资金管理方式"], required: false, max_chars: 100 },
    Column { key: "basis", names: &["政策依据", "依据", "设立依据"], required: true, max_chars: 4000 },
    Column { key: "standard", names: &["标准", "收费标准"], required: false, max_chars: 2000 },
    Column { key: "note", names: &["备注"], required: false, max_chars: 1000 },
    Column { key: "source", names: &["来源"], required: false, max_chars: 500 },
];

/// A checked row of a fees file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FeeRow {
    pub department: String,
    pub item_no: String,
    pub name: String,
    pub fee_type: String,
    pub fund_management: String,
    pub basis: String,
    pub standard: String,
    pub note: String,
    pub source: String,
}

/// What a file must not repeat: a fee of a department.
#[derive(Default)]
pub struct Seen {
    fee: HashSet<(String, String)>,
}

/// Check one row. Every fee on the list needs its policy basis (政策依据): a fee without
/// one has no place on it.
pub fn check_row(cells: &mut Cells<'_>, seen: &mut Seen) -> Option<FeeRow> {
    let _ = cells.text("seq");
    let department = cells.text("department");
    let item_no = cells.text("item_no");
    let name = cells.text("name");
    let fee_type = cells.text("fee_type");
    let fund_management = cells.text("fund_management");
    let basis = cells.text("basis");
    let standard = cells.text("standard");
    let note = cells.text("note");
    let source = cells.text("source");
    if !cells.problems.is_empty() {
        return None;
    }
    if !seen.fee.insert((department.clone(), name.clone())) {
        cells.problem("name", format!("{department}的收费项目“{name}”在文件中重复"));
        return None;
    }
    Some(FeeRow { department, item_no, name, fee_type, fund_management, basis, standard, note, source })
}
