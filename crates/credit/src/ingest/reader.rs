//! 读取 Reading a department's file as rows of the standard: CSV in UTF-8 or GBK, or an
//! Excel workbook, through the platform's one table reader
//! ([`qingfeng_platform::tabular`]: encoding detection, workbook cells as text, line
//! numbers), plus JSON lines keyed by field code. Here the header is matched against the
//! standard of the kind, the standard's date columns are marked (a serial number there is
//! a date), and each row is put in the standard's field order. Numbers stay their shortest
//! exact decimal text, so 万元 amounts convert exactly to fen.

use std::io::{BufRead, BufReader, Read};

use qingfeng_platform::tabular::{self, Source, Table, TableError, TableFormat, looks_like_workbook};

use super::fields::{HeaderError, HeaderMap, fields, map_header};
use crate::model::ImportKind;

pub use qingfeng_platform::tabular::Unreadable;

/// The formats the import understands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Csv,
    JsonLines,
    /// Excel 2007+ workbook (Office Open XML).
    Xlsx,
}

impl Format {
    pub fn key(self) -> &'static str {
        match self {
            Format::Csv => "csv",
            Format::JsonLines => "jsonl",
            Format::Xlsx => "xlsx",
        }
    }
    /// From a file name: `.jsonl`/`.ndjson` are JSON lines, `.xlsx` a workbook,
    /// everything else CSV.
    pub fn from_name(name: &str) -> Format {
        let lower = name.to_ascii_lowercase();
        if lower.ends_with(".jsonl") || lower.ends_with(".ndjson") {
            Format::JsonLines
        } else if lower.ends_with(".xlsx") {
            Format::Xlsx
        } else {
            Format::Csv
        }
    }
    /// From the name and the first bytes: a ZIP archive is a workbook whatever its name.
    pub fn detect(name: &str, head: &[u8]) -> Format {
        if head.starts_with(tabular::ZIP_MAGIC) { Format::Xlsx } else { Format::from_name(name) }
    }
}

/// A row as read: its line number, the standard's fields in order, and the cells as
/// they were (for the rejects file).
#[derive(Debug, Clone)]
pub struct RawRow {
    pub line: u64,
    pub values: Vec<String>,
    pub original: Vec<String>,
}

impl From<TableError> for HeaderError {
    fn from(e: TableError) -> Self {
        HeaderError { code: e.code, message: e.message }
    }
}

/// A stream of rows from a file.
pub struct Rows {
    inner: Inner,
    pub header: HeaderMap,
    /// The file's own header cells (for the rejects file).
    pub original_header: Vec<String>,
    pub encoding: &'static str,
    pub format: Format,
}

enum Inner {
    /// CSV or a workbook: the platform's table reader.
    Table(Table),
    Json {
        lines: std::io::Lines<BufReader<Box<dyn Read + Send>>>,
        line: u64,
    },
}

/// Open `input` (the whole byte stream of a file) as rows of `kind`. A ZIP archive is
/// read as a workbook whatever `format` says.
pub fn open(kind: impl Into<ImportKind>, format: Format, input: Box<dyn Read + Send>) -> Result<Rows, HeaderError> {
    let kind = kind.into();
    let source = tabular::source(input, |head| format == Format::Xlsx || (format == Format::Csv && looks_like_workbook(head)))?;
    match (format, source) {
        (Format::JsonLines, Source::Text { text, encoding }) => {
            let codes: Vec<String> = fields(kind).iter().map(|f| f.code.clone()).collect();
            let map = HeaderMap { column_of_field: (0..codes.len()).map(Some).collect(), unknown: Vec::new() };
            Ok(Rows {
                inner: Inner::Json { lines: BufReader::new(text).lines(), line: 0 },
                header: map,
                original_header: codes,
                encoding: encoding.name(),
                format,
            })
        }
        (_, source) => {
            let mut table = Table::from_source(source)?;
            let map = map_header(kind, &table.header)?;
            if table.format == TableFormat::Xlsx {
                let mut date_column = vec![false; table.header.len()];
                for (f, col) in fields(kind).iter().zip(&map.column_of_field) {
                    if let Some(c) = col
                        && f.is_date()
                        && let Some(d) = date_column.get_mut(*c)
                    {
                        *d = true;
                    }
                }
                table.set_date_columns(date_column);
            }
            let format = match table.format {
                TableFormat::Csv => Format::Csv,
                TableFormat::Xlsx => Format::Xlsx,
            };
            Ok(Rows { header: map, original_header: table.header.clone(), encoding: table.encoding, format, inner: Inner::Table(table) })
        }
    }
}

impl Rows {
    fn order(&self, cells: &[String]) -> Vec<String> {
        self.header.column_of_field.iter().map(|c| c.and_then(|i| cells.get(i)).cloned().unwrap_or_default()).collect()
    }

    /// The next row, or `None` at the end of the file.
    pub fn next_row(&mut self, kind: impl Into<ImportKind>) -> Option<Result<RawRow, Unreadable>> {
        let kind = kind.into();
        match &mut self.inner {
            Inner::Table(table) => {
                let line = table.next_line()?;
                Some(line.map(|l| RawRow { line: l.line, values: self.order(&l.cells), original: l.cells }))
            }
            Inner::Json { lines, line } => loop {
                let next = lines.next()?;
                *line += 1;
                let text = match next {
                    Ok(t) => t,
                    Err(e) => return Some(Err(Unreadable { line: *line, message: format!("无法读取：{e}"), original: Vec::new() })),
                };
                if text.trim().is_empty() {
                    continue;
                }
                let parsed: Result<serde_json::Map<String, serde_json::Value>, _> = serde_json::from_str(&text);
                return Some(match parsed {
                    Ok(obj) => {
                        let mut values = vec![String::new(); fields(kind).len()];
                        for (k, v) in &obj {
                            if let Some(i) = super::fields::index_of(kind, k) {
                                values[i] = match v {
                                    serde_json::Value::String(s) => s.clone(),
                                    serde_json::Value::Null => String::new(),
                                    other => other.to_string(),
                                };
                            }
                        }
                        Ok(RawRow { line: *line, original: values.clone(), values })
                    }
                    Err(e) => Err(Unreadable { line: *line, message: format!("JSON 格式错误：{e}"), original: vec![text] }),
                });
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ingest::fields::index_of;
    use crate::model::{ListKind, RecordKind};
    use encoding_rs::GBK;
    use rust_xlsxwriter::{ExcelDateTime, Format as CellFormat, Workbook};

    fn header_line(kind: RecordKind) -> String {
        fields(kind).iter().map(|f| f.zh.clone()).collect::<Vec<_>>().join(",")
    }

    #[test]
    fn gbk_and_utf8_read_the_same() {
        let mut row: Vec<String> = vec![String::new(); fields(RecordKind::Xk).len()];
        row[0] = "清丰县鑫源建材有限公司".into();
        let text = format!("{}\n{}\n", header_line(RecordKind::Xk), row.join(","));
        let (gbk, _, _) = GBK.encode(&text);
        for bytes in [text.as_bytes().to_vec(), gbk.into_owned(), [&[0xEF, 0xBB, 0xBF][..], text.as_bytes()].concat()] {
            let mut rows = open(RecordKind::Xk, Format::Csv, Box::new(std::io::Cursor::new(bytes))).unwrap();
            let r = rows.next_row(RecordKind::Xk).unwrap().unwrap();
            assert_eq!(r.values[0], "清丰县鑫源建材有限公司");
            assert_eq!(r.line, 2);
            assert!(rows.next_row(RecordKind::Xk).is_none());
        }
    }

    #[test]
    fn json_lines_by_field_code() {
        let text = "{\"CF_XDR_MC\": \"张三\", \"CF_NR_FK\": 1.5}\n\nnot json\n";
        let mut rows = open(RecordKind::Cf, Format::JsonLines, Box::new(std::io::Cursor::new(text.as_bytes().to_vec()))).unwrap();
        let r = rows.next_row(RecordKind::Cf).unwrap().unwrap();
        assert_eq!(r.values[0], "张三");
        assert_eq!(r.values[crate::ingest::fields::index_of(RecordKind::Cf, "CF_NR_FK").unwrap()], "1.5");
        let bad = rows.next_row(RecordKind::Cf).unwrap().unwrap_err();
        assert_eq!(bad.line, 3);
        assert!(rows.next_row(RecordKind::Cf).is_none());
    }

    /// A 行政处罚 workbook: header of Chinese names, a real date cell, a serial number
    /// in a date column, amounts as numbers, a blank row, a text cell.
    fn cf_workbook() -> Vec<u8> {
        let mut wb = Workbook::new();
        let ws = wb.add_worksheet();
        let fs = fields(RecordKind::Cf);
        for (c, f) in fs.iter().enumerate() {
            ws.write_string(0, c as u16, &f.zh).unwrap();
        }
        let col = |code: &str| index_of(RecordKind::Cf, code).unwrap() as u16;
        let date_fmt = CellFormat::new().set_num_format("yyyy-mm-dd");
        ws.write_string(1, col("CF_XDR_MC"), "清丰县鑫源建材有限公司").unwrap();
        ws.write_datetime_with_format(1, col("CF_JDRQ"), ExcelDateTime::from_ymd(2025, 6, 1).unwrap(), &date_fmt).unwrap();
        ws.write_number(1, col("CF_YXQ"), 46174.0).unwrap(); // serial of 2026-06-01
        ws.write_number(1, col("CF_NR_FK"), 0.5).unwrap();
        ws.write_number(1, col("CF_NR_WFFF"), 1.234567).unwrap();
        ws.write_number(1, col("CF_WSH"), 20250001.0).unwrap();
        // Row 3 left blank; row 4 has text dates and a huge amount.
        ws.write_string(3, col("CF_XDR_MC"), "张三").unwrap();
        ws.write_string(3, col("CF_JDRQ"), "2025/06/02").unwrap();
        ws.write_number(3, col("CF_NR_FK"), 123_456_789_012.123_46).unwrap();
        wb.save_to_buffer().unwrap()
    }

    #[test]
    fn xlsx_cells_become_the_text_a_department_types() {
        let mut rows = open(RecordKind::Cf, Format::Xlsx, Box::new(std::io::Cursor::new(cf_workbook()))).unwrap();
        assert_eq!((rows.format, rows.encoding), (Format::Xlsx, "xlsx"));
        assert!(rows.header.unknown.is_empty());
        let v = |r: &RawRow, code: &str| r.values[index_of(RecordKind::Cf, code).unwrap()].clone();
        let r = rows.next_row(RecordKind::Cf).unwrap().unwrap();
        assert_eq!(r.line, 2, "line numbers are sheet row numbers");
        assert_eq!(v(&r, "CF_XDR_MC"), "清丰县鑫源建材有限公司");
        assert_eq!(v(&r, "CF_JDRQ"), "2025-06-01", "a date cell");
        assert_eq!(v(&r, "CF_YXQ"), "2026-06-01", "a serial number in a date column");
        assert_eq!(v(&r, "CF_NR_FK"), "0.5");
        assert_eq!(v(&r, "CF_NR_WFFF"), "1.234567");
        assert_eq!(qingfeng_core::Fen::from_wan_yuan_str(&v(&r, "CF_NR_WFFF")).unwrap().0, 1_234_567, "1.234567 万元 = 12345.67 元");
        assert_eq!(v(&r, "CF_WSH"), "20250001", "a whole number has no decimals and is not a date");
        let r = rows.next_row(RecordKind::Cf).unwrap().unwrap();
        assert_eq!(r.line, 4, "the blank row is skipped, the numbering kept");
        assert_eq!(v(&r, "CF_JDRQ"), "2025/06/02");
        assert_eq!(v(&r, "CF_NR_FK"), "123456789012.12346", "as the double Excel stored, exactly");
        assert!(rows.next_row(RecordKind::Cf).is_none());
    }

    #[test]
    fn a_zip_is_read_as_a_workbook_and_junk_is_refused_with_a_code() {
        // Sniffed: a workbook sent as "CSV".
        let mut rows = open(RecordKind::Cf, Format::Csv, Box::new(std::io::Cursor::new(cf_workbook()))).unwrap();
        assert_eq!(rows.format, Format::Xlsx);
        assert!(rows.next_row(RecordKind::Cf).unwrap().is_ok());
        assert_eq!(Format::detect("a.csv", b"PK\x03\x04rest"), Format::Xlsx);
        assert_eq!(Format::detect("A.XLSX", b""), Format::Xlsx);
        assert_eq!(Format::detect("a.jsonl", b"{"), Format::JsonLines);
        for (bytes, code) in [
            (b"PK\x03\x04 not really a zip".to_vec(), "import.xlsx_unreadable"),
            (b"just text".to_vec(), "import.xlsx_unreadable"),
            (vec![0xD0, 0xCF, 0x11, 0xE0, 0, 0], "import.xls_unsupported"),
            (Vec::new(), "import.xlsx_unreadable"),
        ] {
            let e = open(RecordKind::Cf, Format::Xlsx, Box::new(std::io::Cursor::new(bytes))).err().unwrap();
            assert_eq!(e.code, code);
            assert!(e.message.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)), "{}", e.message);
        }
        // A workbook of another kind, and an empty one, are refused at the header.
        let mut wb = Workbook::new();
        wb.add_worksheet().write_string(0, 0, "随便").unwrap();
        let e = open(ListKind::DishonestDebtor, Format::Xlsx, Box::new(std::io::Cursor::new(wb.save_to_buffer().unwrap()))).err().unwrap();
        assert_eq!(e.code, "import.header_missing");
        let mut wb = Workbook::new();
        wb.add_worksheet();
        let e = open(RecordKind::Cf, Format::Xlsx, Box::new(std::io::Cursor::new(wb.save_to_buffer().unwrap()))).err().unwrap();
        assert_eq!(e.code, "import.header");
    }
}
