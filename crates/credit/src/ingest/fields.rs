//! 字段 The columns of the 双公示 data standard (行政许可 XK, 行政处罚 CF), as data:
//! `data/shuanggongshi_fields.csv`. A file's header may use the Chinese column names or
//! the field codes (`CF_XDR_SHXYM`); full-width parentheses and spaces are tolerated.

use std::collections::HashMap;
use std::sync::LazyLock;

use crate::model::RecordKind;

const FIELDS_CSV: &str = include_str!("../../data/shuanggongshi_fields.csv");

/// One column of the standard.
#[derive(Debug, Clone)]
pub struct FieldDef {
    pub code: String,
    pub zh: String,
    /// Marked 必填 without condition in the standard.
    pub required: bool,
    pub note: String,
}

struct Schema {
    fields: Vec<FieldDef>,
    by_name: HashMap<String, usize>,
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

static SCHEMAS: LazyLock<HashMap<RecordKind, Schema>> = LazyLock::new(|| {
    let mut out = HashMap::new();
    for kind in RecordKind::ALL {
        let mut fields = Vec::new();
        let mut rdr = csv::Reader::from_reader(FIELDS_CSV.as_bytes());
        for rec in rdr.records().flatten() {
            if rec.get(0) != Some(kind.zh()) {
                continue;
            }
            let note = rec.get(4).unwrap_or("").to_string();
            fields.push(FieldDef {
                code: rec.get(3).unwrap_or("").to_string(),
                zh: rec.get(2).unwrap_or("").to_string(),
                required: note.starts_with("必填"),
                note,
            });
        }
        let mut by_name = HashMap::new();
        for (i, f) in fields.iter().enumerate() {
            by_name.insert(normalise(&f.code), i);
            by_name.insert(normalise(&f.zh), i);
        }
        out.insert(kind, Schema { fields, by_name });
    }
    out
});

/// The columns of `kind`, in the standard's order.
pub fn fields(kind: RecordKind) -> &'static [FieldDef] {
    SCHEMAS.get(&kind).map(|s| s.fields.as_slice()).unwrap_or(&[])
}

/// Position of the field with this code in [`fields`].
pub fn index_of(kind: RecordKind, code: &str) -> Option<usize> {
    SCHEMAS.get(&kind)?.by_name.get(&normalise(code)).copied()
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
pub fn map_header(kind: RecordKind, header: &[String]) -> Result<HeaderMap, HeaderError> {
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

    #[test]
    fn the_standard_is_loaded_from_data() {
        assert_eq!(fields(RecordKind::Xk).len(), 28);
        assert_eq!(fields(RecordKind::Cf).len(), 30);
        assert_eq!(index_of(RecordKind::Cf, "CF_XDR_SHXYM"), Some(2));
        assert_eq!(index_of(RecordKind::Cf, "cf_xdr_shxym"), Some(2));
        assert_eq!(index_of(RecordKind::Cf, "罚款金额（万元）"), index_of(RecordKind::Cf, "CF_NR_FK"));
        assert!(fields(RecordKind::Xk)[0].required);
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
