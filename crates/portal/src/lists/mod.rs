//! 清单 The three published lists of the portal that departments publish as spreadsheets:
//! 市场准入负面清单 ([`negative`], DOMAIN §7.1), 权责清单 ([`powers`], §7.2) and 收费清单
//! ([`fees`], §7.3).
//!
//! One import pipeline serves all three ([`import`]): the file is read by the platform's
//! one table reader ([`qingfeng_platform::tabular`], CSV in UTF-8/GBK or .xlsx), its header
//! matched against the kind's [`Column`]s, every row checked; each rejected row is named
//! with its line, column and a Chinese reason, and the counts reconcile (read = accepted +
//! rejected). A file with any rejected row is refused whole — a published list stored in
//! part would answer wrongly (a missing 禁止 item reads as 非禁即入) — and a clean file
//! becomes one new version, stored in one transaction. One version per kind is current.
//!
//! Rooms: this file (kinds, columns, the row checks' shared parts), [`negative`],
//! [`powers`], [`fees`] (each kind's row rules and model; the checker), [`import`] (the
//! pipeline), [`store`] (SQL), [`index`] (search documents), [`web`] (public pages),
//! [`console`] (staff pages), [`api`] (JSON), [`demo`] (the shipped samples).

pub mod api;
pub mod console;
pub mod demo;
pub mod fees;
pub mod import;
pub mod index;
pub mod negative;
pub mod powers;
pub mod store;
pub mod web;

use std::collections::HashMap;

use serde::Serialize;

/// 清单类别 Which list.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ListKind {
    /// 市场准入负面清单
    Negative,
    /// 权责清单
    Powers,
    /// 收费清单（涉企收费目录清单）
    Fees,
}

impl ListKind {
    pub const ALL: [ListKind; 3] = [ListKind::Negative, ListKind::Powers, ListKind::Fees];

    pub fn key(self) -> &'static str {
        match self {
            ListKind::Negative => "negative",
            ListKind::Powers => "powers",
            ListKind::Fees => "fees",
        }
    }
    pub fn zh(self) -> &'static str {
        match self {
            ListKind::Negative => "市场准入负面清单",
            ListKind::Powers => "权责清单",
            ListKind::Fees => "收费清单",
        }
    }
    pub fn from_key(key: &str) -> Option<ListKind> {
        ListKind::ALL.into_iter().find(|k| k.key() == key.trim())
    }
    /// The kind's columns.
    pub fn columns(self) -> &'static [Column] {
        match self {
            ListKind::Negative => negative::COLUMNS,
            ListKind::Powers => powers::COLUMNS,
            ListKind::Fees => fees::COLUMNS,
        }
    }
    /// The public page of the list.
    pub fn href(self) -> &'static str {
        match self {
            ListKind::Negative => "/portal/negative-list",
            ListKind::Powers => "/portal/powers",
            ListKind::Fees => "/portal/fees",
        }
    }
}

/// 列 A column a list file may carry: its key, the names it goes by in published files
/// (the first is the one shown), whether every file must have it, and its longest text.
#[derive(Debug, Clone, Copy)]
pub struct Column {
    pub key: &'static str,
    pub names: &'static [&'static str],
    pub required: bool,
    pub max_chars: usize,
}

impl Column {
    pub fn zh(&self) -> &'static str {
        self.names.first().copied().unwrap_or(self.key)
    }
}

/// A header cell as compared: without BOM, spaces, the ★ some published tables carry, and
/// a trailing （必填）.
fn header_name(cell: &str) -> String {
    cell.trim_start_matches('\u{feff}')
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '★' && *c != '*')
        .collect::<String>()
        .trim_end_matches("（必填）")
        .trim_end_matches("(必填)")
        .to_string()
}

/// A file refused at its header: a stable code and a Chinese reason.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HeaderProblem {
    pub code: &'static str,
    pub message: String,
}

/// Which file column holds which of the kind's columns.
#[derive(Debug, Clone)]
pub struct HeaderMap {
    kind: ListKind,
    /// Column key → index in the file's row.
    at: HashMap<&'static str, usize>,
    /// Header cells no column claims (ignored, reported).
    pub unknown: Vec<String>,
}

/// Match a file's header against the columns of `kind`.
pub fn map_header(kind: ListKind, header: &[String]) -> Result<HeaderMap, HeaderProblem> {
    let mut at = HashMap::new();
    let mut unknown = Vec::new();
    for (i, cell) in header.iter().enumerate() {
        let name = header_name(cell);
        if name.is_empty() {
            continue;
        }
        match kind.columns().iter().find(|c| c.names.iter().any(|n| *n == name) || c.key == name) {
            Some(c) if at.contains_key(c.key) => {
                return Err(HeaderProblem {
                    code: "portal.list_header_duplicate", message: format!("表头中“{}”出现了两次", c.zh())
                });
            }
            Some(c) => {
                at.insert(c.key, i);
            }
            None => unknown.push(name),
        }
    }
    let missing: Vec<&str> = kind.columns().iter().filter(|c| c.required && !at.contains_key(c.key)).map(Column::zh).collect();
    if !missing.is_empty() {
        return Err(HeaderProblem {
            code: "portal.list_header_missing",
            message: format!("文件不是{}：表头缺少必填列 {}（第一行应为表头）", kind.zh(), missing.join("、")),
        });
    }
    Ok(HeaderMap { kind, at, unknown })
}

/// One problem of a row: the column (its name as shown; empty for the whole row) and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Problem {
    pub column: String,
    pub reason: String,
}

/// A row's cells by column key, trimmed, with the problems found while reading them.
pub struct Cells<'a> {
    map: &'a HeaderMap,
    cells: &'a [String],
    pub problems: Vec<Problem>,
}

impl<'a> Cells<'a> {
    pub fn new(map: &'a HeaderMap, cells: &'a [String]) -> Cells<'a> {
        Cells { map, cells, problems: Vec::new() }
    }

    fn column(&self, key: &str) -> Option<&'static Column> {
        self.map.kind.columns().iter().find(|c| c.key == key)
    }

    /// Record a problem of column `key`.
    pub fn problem(&mut self, key: &str, reason: impl Into<String>) {
        let column = self.column(key).map(Column::zh).unwrap_or(key).to_string();
        self.problems.push(Problem { column, reason: reason.into() });
    }

    /// The cell of column `key`, trimmed (empty when the file has no such column). Too
    /// long a text, or an empty required one, is a problem.
    pub fn text(&mut self, key: &str) -> String {
        let raw = self.map.at.get(key).and_then(|i| self.cells.get(*i)).map(|s| s.trim().to_string()).unwrap_or_default();
        if let Some(c) = self.column(key) {
            if c.required && raw.is_empty() {
                self.problem(key, format!("{}不能为空", c.zh()));
            } else if raw.chars().count() > c.max_chars {
                self.problem(key, format!("{}不能超过 {} 个字", c.zh(), c.max_chars));
            }
        }
        raw
    }

    /// A positive whole number (序号, 项目号); a spreadsheet's `4.0` reads as 4.
    pub fn number(&mut self, key: &str) -> Option<i64> {
        let raw = self.text(key);
        if raw.is_empty() {
            return None;
        }
        let n = raw.strip_suffix(".0").unwrap_or(&raw).parse::<i64>().ok().filter(|n| *n > 0);
        if n.is_none() {
            let zh = self.column(key).map(Column::zh).unwrap_or(key);
            self.problem(key, format!("{zh}应为正整数，收到“{}”", raw.chars().take(20).collect::<String>()));
        }
        n
    }
}

/// Split a tags cell (关键词、行业) on commas, 、, semicolons and spaces; joined with
/// commas, each tag once.
pub fn normalize_tags(raw: &str) -> String {
    let mut out: Vec<&str> = Vec::new();
    for t in raw.split(|c: char| matches!(c, ',' | '，' | '、' | ';' | '；' | '|' | '/') || c.is_whitespace()) {
        let t = t.trim();
        if !t.is_empty() && !out.contains(&t) {
            out.push(t);
        }
    }
    out.join(",")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn header(cells: &[&str]) -> Vec<String> {
        cells.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn headers_by_published_names_with_markers() {
        let m = map_header(ListKind::Powers, &header(&["\u{feff}序号", "事项名称 ", "职权类别", "部门", "依据", "随便"])).unwrap();
        assert_eq!(m.unknown, vec!["随便"]);
        assert_eq!(m.at.get("power_type"), Some(&2));
        let e = map_header(ListKind::Fees, &header(&["部门", "项目名称"])).unwrap_err();
        assert_eq!(e.code, "portal.list_header_missing");
        assert!(e.message.contains("政策依据"), "{}", e.message);
        let e = map_header(ListKind::Powers, &header(&["序号", "事项名称", "权力类型", "职权类别", "部门"])).unwrap_err();
        assert_eq!(e.code, "portal.list_header_duplicate");
        assert!(map_header(ListKind::Negative, &header(&["★项目号", "禁止或许可事项（必填）", "事项编码"])).is_ok());
    }

    #[test]
    fn tags_are_split_and_deduplicated() {
        assert_eq!(normalize_tags(" 网吧，上网服务场所、网吧; 游戏 "), "网吧,上网服务场所,游戏");
        assert_eq!(normalize_tags(""), "");
    }
}
