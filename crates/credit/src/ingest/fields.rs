//! 字段 The columns of every kind a file can carry, as data: the 双公示 data standard
//! (行政许可 XK, 行政处罚 CF) in `data/shuanggongshi_fields.csv`, and the other catalog
//! kinds (信用承诺, 纳税信用A级, the four lists) in `data/catalog_fields.csv`, where each
//! column also names its role for the checks, its tag and its source. A file's header may
//! use the Chinese column names or the field codes (`CF_XDR_SHXYM`, `caseCode`);
//! full-width parentheses and spaces are tolerated.

use std::collections::HashMap;
use std::sync::LazyLock;

use crate::model::ImportKind;

const FIELDS_CSV: &str = include_str!("../../data/shuanggongshi_fields.csv");
const CATALOG_FIELDS_CSV: &str = include_str!("../../data/catalog_fields.csv");

/// One column of the standard.
#[derive(Debug, Clone)]
pub struct FieldDef {
    pub code: String,
    pub zh: String,
    /// Marked 必填 without condition in the standard.
    pub required: bool,
    pub note: String,
    /// What the checks use the column for (`subject_name`, `doc_no`, `listed_on`, …);
    /// empty for the 双公示 columns, which the checks name by code.
    pub role: String,
    /// Source tag ([V]/[S]/[R]/[?], or `platform` for this platform's own columns).
    pub tag: String,
    pub source: String,
}

impl FieldDef {
    /// A date column (its name says 日期, 时间, 有效期 or 截止期): spreadsheet cells in it
    /// that hold a serial number are read as dates.
    pub fn is_date(&self) -> bool {
        ["日期", "时间", "有效期", "截止期"].iter().any(|w| self.zh.contains(w))
    }
}

struct Schema {
    fields: Vec<FieldDef>,
    by_name: HashMap<String, usize>,
    /// Positions in `fields`, in the byte order of the codes.
    by_code: Vec<usize>,
}

fn normalise(name: &str) -> String {
    name.trim_start_matches('\u{feff}')
        .chars()
        .filter(|c| !c.is_whitespace())
        .map(|c| match c {
            '（' => '(',
            '）' => ')',
            c => c.to_ascii_uppercase(),
        })
        .collect()
}

static SCHEMAS: LazyLock<HashMap<ImportKind, Schema>> = LazyLock::new(|| {
    let mut out = HashMap::new();
    for kind in ImportKind::ALL {
        let mut fields = Vec::new();
        for text in [FIELDS_CSV, CATALOG_FIELDS_CSV] {
            let mut rdr = csv::Reader::from_reader(text.as_bytes());
            for rec in rdr.records().flatten() {
                if rec.get(0) != Some(kind.zh()) {
                    continue;
                }
                let note = rec.get(4).unwrap_or("").to_string();
                let get = |i: usize| rec.get(i).unwrap_or("").to_string();
                fields.push(FieldDef {
                    code: get(3),
                    zh: get(2),
                    required: note.starts_with("必填"),
                    note,
                    role: get(5),
                    tag: get(6),
                    source: get(7),
                });
            }
        }
        let mut by_name = HashMap::new();
        for (i, f) in fields.iter().enumerate() {
            by_name.insert(normalise(&f.code), i);
            by_name.insert(normalise(&f.zh), i);
        }
        let mut by_code: Vec<usize> = (0..fields.len()).collect();
        by_code.sort_by(|a, b| fields[*a].code.cmp(&fields[*b].code));
        out.insert(kind, Schema { fields, by_name, by_code });
    }
    out
});

/// The columns of `kind`, in the standard's order.
pub fn fields(kind: impl Into<ImportKind>) -> &'static [FieldDef] {
    SCHEMAS.get(&kind.into()).map(|s| s.fields.as_slice()).unwrap_or(&[])
}

/// Positions of [`fields`] in the byte order of their codes: the order of a stored
/// payload's keys.
pub fn in_code_order(kind: impl Into<ImportKind>) -> &'static [usize] {
    SCHEMAS.get(&kind.into()).map(|s| s.by_code.as_slice()).unwrap_or(&[])
}

/// Position of the field with this code in [`fields`].
pub fn index_of(kind: impl Into<ImportKind>, code: &str) -> Option<usize> {
    let schema = SCHEMAS.get(&kind.into())?;
    // The checks name fields by code, already in normal form (normalising is idempotent):
    // found without building a normalised copy, which was a sixth of the reading
    // thread's time in a bulk import (docs/benchmarks.md).
    schema.by_name.get(code).or_else(|| schema.by_name.get(&normalise(code))).copied()
}

/// Position of the field with this role in [`fields`].
pub fn index_of_role(kind: impl Into<ImportKind>, role: &str) -> Option<usize> {
    fields(kind).iter().position(|f| f.role == role)
}

/// How a file's columns map onto the standard's fields.
#[derive(Debug, Clone)]
pub struct HeaderMap {
    /// For each field of the standard, the file column that carries it.
    pub column_of_field: Vec<Option<usize>>,
    /// Columns the standard does not know (kept out of the record, reported once).
    pub unknown: Vec<String>,
}

/// A header that cannot be used, with the reason in Chinese.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct HeaderError {
    pub code: &'static str,
    pub message: String,
}

/// Match a file's header row against the standard of `kind`.
pub fn map_header(kind: impl Into<ImportKind>, header: &[String]) -> Result<HeaderMap, HeaderError> {
    let kind = kind.into();
    let fields = fields(kind);
    let mut column_of_field = vec![None; fields.len()];
    let mut unknown = Vec::new();
    for (col, name) in header.iter().enumerate() {
        match index_of(kind, name) {
            Some(i) if column_of_field[i].is_some() => {
                return Err(HeaderError {
                    code: "import.header_duplicate", message: format!("表头中“{}”出现了两次", name.trim())
                });
            }
            Some(i) => column_of_field[i] = Some(col),
            None if name.trim().is_empty() => {}
            None => unknown.push(name.trim().to_string()),
        }
    }
    let missing: Vec<&str> =
        fields.iter().zip(&column_of_field).filter(|(f, c)| f.required && c.is_none()).map(|(f, _)| f.zh.as_str()).collect();
    if !missing.is_empty() {
        return Err(HeaderError {
            code: "import.header_missing",
            message: format!("文件不是{}数据：表头缺少必填列 {}", kind.zh(), missing.join("、")),
        });
    }
    Ok(HeaderMap { column_of_field, unknown })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{ListKind, RecordKind};

    #[test]
    fn the_standard_is_loaded_from_data() {
        assert_eq!(fields(RecordKind::Xk).len(), 28);
        assert_eq!(fields(RecordKind::Cf).len(), 30);
        assert_eq!(index_of(RecordKind::Cf, "CF_XDR_SHXYM"), Some(2));
        assert_eq!(index_of(RecordKind::Cf, "cf_xdr_shxym"), Some(2));
        assert_eq!(index_of(RecordKind::Cf, "罚款金额（万元）"), index_of(RecordKind::Cf, "CF_NR_FK"));
        assert!(fields(RecordKind::Xk)[0].required);
        assert!(fields(RecordKind::Xk)[19].is_date() && !fields(RecordKind::Xk)[18].is_date(), "许可决定日期 / 许可编号");
    }

    #[test]
    fn every_other_kind_has_its_columns_with_roles_tags_and_sources() {
        for kind in ImportKind::ALL {
            let fs = fields(kind);
            assert!(!fs.is_empty(), "{}", kind.zh());
            assert!(fs.iter().all(|f| !f.code.is_empty() && !f.zh.is_empty()), "{}", kind.zh());
            if matches!(kind, ImportKind::Record(k) if k.is_shuanggongshi()) {
                continue;
            }
            assert!(fs.iter().all(|f| !f.tag.is_empty()), "{}: every column carries its tag", kind.zh());
            // 纳税信用A级: the rating year is the document number.
            let doc = if kind == ImportKind::Record(RecordKind::TaxA) { "year" } else { "doc_no" };
            for role in ["subject_name", doc, "authority_name", "source", "source_code"] {
                assert!(index_of_role(kind, role).is_some(), "{}: {role}", kind.zh());
            }
            let mut codes: Vec<String> = fs.iter().map(|f| normalise(&f.code)).collect();
            codes.sort();
            codes.dedup();
            assert_eq!(codes.len(), fs.len(), "{}: codes are unique", kind.zh());
        }
        let d = ListKind::DishonestDebtor;
        assert_eq!(index_of(d, "案号"), index_of(d, "caseCode"));
        assert_eq!(index_of(d, "CASECODE"), index_of_role(d, "doc_no"));
        assert!(fields(d)[index_of(d, "publishDate").unwrap()].is_date());
        assert!(!fields(RecordKind::TaxA)[index_of(RecordKind::TaxA, "评价年度").unwrap()].is_date());
    }

    #[test]
    fn headers_by_name_or_code_and_clear_errors() {
        let names: Vec<String> = fields(RecordKind::Cf).iter().map(|f| f.zh.clone()).collect();
        let m = map_header(RecordKind::Cf, &names).unwrap();
        assert!(m.column_of_field.iter().all(Option::is_some));
        let codes: Vec<String> = fields(RecordKind::Cf).iter().map(|f| f.code.to_lowercase()).chain(["备用".to_string()]).collect();
        let m = map_header(RecordKind::Cf, &codes).unwrap();
        assert_eq!(m.unknown, vec!["备用".to_string()]);
        let e = map_header(RecordKind::Xk, &names).unwrap_err();
        assert_eq!(e.code, "import.header_missing");
        assert!(e.message.contains("行政许可"));
        let mut dup = names.clone();
        dup.push("CF_WSH".into());
        assert_eq!(map_header(RecordKind::Cf, &dup).unwrap_err().code, "import.header_duplicate");
    }
}
