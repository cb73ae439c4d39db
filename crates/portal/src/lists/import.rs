//! 导入 The one import pipeline of the three lists: read (the platform's table reader) →
//! header → row-level checks → every rejected row with its line, column and Chinese
//! reason → counts that reconcile (read = accepted + rejected) → a new version stored
//! whole, or nothing stored when a row was rejected. Each attempt is kept
//! (`portal_list_imports`) with its rejects, so they can be downloaded as CSV.

use std::io::Read;

use qingfeng_platform::AppError;
use qingfeng_platform::audit::Actor;
use qingfeng_platform::db::Db;
use qingfeng_platform::tabular::Table;
use serde::Serialize;

use super::{Cells, HeaderProblem, ListKind, fees, map_header, negative, powers, store};

/// Most data rows a list file may have (the largest published lists have a few thousand).
pub const MAX_ROWS: u64 = 50_000;

/// The checked rows of a file, by kind.
#[derive(Debug, Clone)]
pub enum Items {
    Negative(Vec<negative::NegativeRow>),
    Powers(Vec<powers::PowerRow>),
    Fees(Vec<fees::FeeRow>),
}

impl Items {
    pub fn len(&self) -> usize {
        match self {
            Items::Negative(v) => v.len(),
            Items::Powers(v) => v.len(),
            Items::Fees(v) => v.len(),
        }
    }
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// 退回行 A rejected row's problem: the line, the column (empty: the whole row), why, and
/// the row's cells as they were.
#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct Reject {
    pub line: i64,
    pub column_name: String,
    pub reason: String,
    #[serde(skip)]
    pub original: String,
}

/// A file after reading and checking.
#[derive(Debug, Clone)]
pub struct Checked {
    pub header: Vec<String>,
    pub encoding: &'static str,
    pub unknown_columns: Vec<String>,
    pub read: u64,
    pub rejected: u64,
    pub items: Items,
    pub rejects: Vec<Reject>,
}

fn refused(p: HeaderProblem) -> AppError {
    AppError::bad_request(p.code, p.message)
}

/// Read `input` (a CSV in UTF-8 or GBK, or an .xlsx; `file_name` decides with the first
/// bytes) as a file of `kind` and check every row. A file that is not a table of the
/// kind at all (unreadable, wrong header, too many rows) is an error.
pub fn check_file(kind: ListKind, file_name: &str, input: Box<dyn Read + Send>, power_types: &[String]) -> Result<Checked, AppError> {
    let mut table = Table::open_named(file_name, input).map_err(|e| AppError::bad_request(e.code, e.message))?;
    let map = map_header(kind, &table.header).map_err(refused)?;
    let mut out = Checked {
        header: table.header.clone(),
        encoding: table.encoding,
        unknown_columns: map.unknown.clone(),
        read: 0,
        rejected: 0,
        items: match kind {
            ListKind::Negative => Items::Negative(Vec::new()),
            ListKind::Powers => Items::Powers(Vec::new()),
            ListKind::Fees => Items::Fees(Vec::new()),
        },
        rejects: Vec::new(),
    };
    let mut seen_negative = negative::Seen::default();
    let mut seen_powers = powers::Seen::default();
    let mut seen_fees = fees::Seen::default();
    while let Some(next) = table.next_line() {
        let line = match next {
            Ok(l) => l,
            Err(u) => {
                out.read += 1;
                out.rejected += 1;
                out.rejects.push(Reject {
                    line: u.line as i64,
                    column_name: String::new(),
                    reason: u.message,
                    original: u.original.join("\t"),
                });
                continue;
            }
        };
        // A CSV line of empty cells (a spreadsheet's trailing rows) is not a row.
        if line.cells.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        out.read += 1;
        if out.read > MAX_ROWS {
            return Err(AppError::bad_request("portal.list_too_long", format!("文件超过 {MAX_ROWS} 行，请分部门拆分后导入")));
        }
        let mut cells = Cells::new(&map, &line.cells);
        let ok = match &mut out.items {
            Items::Negative(v) => negative::check_row(&mut cells, &mut seen_negative).map(|r| v.push(r)).is_some(),
            Items::Powers(v) => powers::check_row(&mut cells, power_types, &mut seen_powers).map(|r| v.push(r)).is_some(),
            Items::Fees(v) => fees::check_row(&mut cells, &mut seen_fees).map(|r| v.push(r)).is_some(),
        };
        if !ok {
            out.rejected += 1;
            let original = line.cells.join("\t");
            for p in cells.problems {
                out.rejects.push(Reject { line: line.line as i64, column_name: p.column, reason: p.reason, original: original.clone() });
            }
        }
    }
    Ok(out)
}

/// 版本信息 What staff say about the version a file becomes.
#[derive(Debug, Clone, Default)]
pub struct Meta {
    pub title: String,
    pub doc_number: String,
    pub published_on: String,
    /// Items in the official text, when known.
    pub official_count: Option<i64>,
    pub source: String,
    /// Make the new version the current one.
    pub make_current: bool,
}

impl Meta {
    /// The metadata of a known negative-list edition (`2022`, `2025`).
    pub fn edition(key: &str) -> Option<Meta> {
        negative::edition(key).map(|e| Meta {
            title: e.title.into(),
            doc_number: e.doc_number.into(),
            published_on: e.published_on.into(),
            official_count: Some(e.items),
            source: "国家发展改革委、商务部".into(),
            make_current: true,
        })
    }

    /// Check the fields staff typed (lengths; a title is made from the kind when empty).
    pub fn checked(mut self, kind: ListKind, file_name: &str) -> Result<Meta, AppError> {
        let clean = |s: &str| s.split_whitespace().collect::<Vec<_>>().join(" ");
        self.title = clean(&self.title);
        self.doc_number = clean(&self.doc_number);
        self.published_on = clean(&self.published_on);
        self.source = clean(&self.source);
        if self.title.is_empty() {
            self.title = format!("{}（{}）", kind.zh(), file_name.chars().take(60).collect::<String>());
        }
        for (what, v, max) in [
            ("版本名称", &self.title, 100),
            ("文号", &self.doc_number, 60),
            ("发布日期", &self.published_on, 20),
            ("来源", &self.source, 300),
        ] {
            if v.chars().count() > max {
                return Err(AppError::bad_request("portal.list_meta", format!("{what}不能超过 {max} 个字")));
            }
        }
        if let Some(n) = self.official_count
            && !(1..=100_000).contains(&n)
        {
            return Err(AppError::bad_request("portal.list_meta", "官方文本事项数应为 1 到 100000 之间的整数"));
        }
        Ok(self)
    }
}

/// What an import did.
#[derive(Debug, Clone, Serialize)]
pub struct Summary {
    pub import_id: i64,
    pub kind: ListKind,
    pub file_name: String,
    pub encoding: String,
    pub read: i64,
    pub accepted: i64,
    pub rejected: i64,
    /// The version created; `None` when the file was refused.
    pub version_id: Option<i64>,
    /// Why the file was refused as a whole.
    pub message: String,
    pub unknown_columns: Vec<String>,
    /// The first rejects (all of them are in the rejects file).
    pub rejects: Vec<Reject>,
}

/// Rejects shown with a summary; the rest are in the CSV.
pub const SHOWN_REJECTS: usize = 200;

/// Import a file of `kind` for `county`: check it, keep the attempt and its rejects, and
/// store a new version when no row was rejected. The search index is the caller's to
/// refresh ([`super::index::refresh`]) when a version was stored.
#[allow(clippy::too_many_arguments)]
pub async fn run(
    db: &Db,
    county: &str,
    kind: ListKind,
    file_name: &str,
    input: Box<dyn Read + Send>,
    meta: Meta,
    actor: &Actor,
    now_ms: i64,
) -> Result<Summary, AppError> {
    let meta = meta.checked(kind, file_name)?;
    let types = store::power_types(db).await?;
    let checked = check_file(kind, file_name, input, &types)?;
    let accepted = checked.read - checked.rejected;
    debug_assert_eq!(checked.read, accepted + checked.rejected);
    let message = if checked.rejected > 0 {
        format!("有 {} 行未通过检查，整份文件未入库：请按退回原因改正后重新导入（清单只按整版保存）", checked.rejected)
    } else if checked.read == 0 {
        "文件没有数据行，未入库".to_string()
    } else {
        String::new()
    };
    let store_it = message.is_empty();
    let (import_id, version_id) =
        store::save_import(db, county, kind, file_name, &checked, &meta, store_it, &message, actor, now_ms).await?;
    Ok(Summary {
        import_id,
        kind,
        file_name: file_name.to_string(),
        encoding: checked.encoding.to_string(),
        read: checked.read as i64,
        accepted: accepted as i64,
        rejected: checked.rejected as i64,
        version_id,
        message,
        unknown_columns: checked.unknown_columns,
        rejects: checked.rejects.into_iter().take(SHOWN_REJECTS).collect(),
    })
}

/// The rejects of an import as a CSV (UTF-8 with BOM so that Excel opens it): 行号, 列,
/// 原因, then the row's cells under the file's own header.
pub fn rejects_csv(header: &str, rejects: &[Reject]) -> Result<Vec<u8>, AppError> {
    let mut w = csv::WriterBuilder::new().flexible(true).from_writer(vec![0xEF, 0xBB, 0xBF]);
    let mut head = vec!["行号".to_string(), "列".to_string(), "原因".to_string()];
    head.extend(header.split('\t').filter(|h| !h.is_empty()).map(str::to_string));
    w.write_record(&head).map_err(AppError::internal)?;
    for r in rejects {
        let mut rec = vec![r.line.to_string(), r.column_name.clone(), r.reason.clone()];
        if !r.original.is_empty() {
            rec.extend(r.original.split('\t').map(str::to_string));
        }
        w.write_record(&rec).map_err(AppError::internal)?;
    }
    w.into_inner().map_err(|e| AppError::internal(e.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(kind: ListKind, text: &str) -> Checked {
        check_file(
            kind,
            "a.csv",
            Box::new(std::io::Cursor::new(text.as_bytes().to_vec())),
            &["行政许可".to_string(), "行政处罚".to_string()],
        )
        .unwrap()
    }

    #[test]
    fn counts_reconcile_and_rejects_name_line_and_column() {
        let c = check(
            ListKind::Powers,
            "序号,事项名称,职权类别,部门,依据\n1,甲,行政许可,某局,x\n2,乙,行政征用,某局,x\n\n,,,,\n3,,行政处罚,某局,x\n1,丙,行政许可,某局,x\n",
        );
        assert_eq!((c.read, c.rejected, c.items.len()), (4, 3, 1));
        let lines: Vec<(i64, &str)> = c.rejects.iter().map(|r| (r.line, r.column_name.as_str())).collect();
        assert_eq!(lines, vec![(3, "权力类型"), (6, "事项名称"), (7, "序号")]);
        assert!(c.rejects[0].reason.contains("行政征用") && c.rejects[0].reason.contains("行政许可"), "{}", c.rejects[0].reason);
    }

    #[test]
    fn the_shipped_samples_read_clean() {
        let neg = check(ListKind::Negative, include_str!("../../data/lists/market_access_negative_list_2022_prohibited.csv"));
        assert_eq!((neg.read, neg.rejected), (6, 0));
        let fees = check(ListKind::Fees, include_str!("../../data/lists/henan_county_fee_list_sample.csv"));
        assert_eq!((fees.read, fees.rejected), (4, 0));
        let types: Vec<String> = ["行政许可", "行政处罚"].map(String::from).to_vec();
        let powers = check_file(
            ListKind::Powers,
            "p.csv",
            Box::new(std::io::Cursor::new(include_bytes!("../../data/lists/henan_amr_power_list_sample.csv").to_vec())),
            &types,
        )
        .unwrap();
        assert_eq!((powers.read, powers.rejected), (22, 0));
    }

    #[test]
    fn the_rejects_file_keeps_the_row() {
        let c = check(ListKind::Fees, "部门,项目名称,政策依据\n教育,学费,\n");
        let csv = String::from_utf8(rejects_csv(&c.header.join("\t"), &c.rejects).unwrap()).unwrap();
        assert_eq!(csv, "\u{feff}行号,列,原因,部门,项目名称,政策依据\n2,政策依据,政策依据不能为空,教育,学费,\n");
    }
}
