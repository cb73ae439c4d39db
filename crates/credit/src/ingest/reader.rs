//! 读取 Reading a department's file as rows of the standard: CSV in UTF-8 or GBK (the
//! encoding is detected), JSON lines keyed by field code, or an Excel workbook (.xlsx:
//! the first worksheet, its first row the header). CSV and JSON lines are streamed, so a
//! file of millions of rows never sits in memory whole; a workbook is read whole (the
//! format caps a sheet at 1,048,576 rows).
//!
//! Workbook cells become the text a department would have typed: date cells, and serial
//! numbers in a date column (1900 date system), become `YYYY-MM-DD`; numbers become their
//! shortest exact decimal text (`0.5` stays `0.5`, so 万元 amounts convert exactly to fen);
//! line numbers are the sheet's row numbers.

use std::io::{BufRead, BufReader, Read};

use encoding_rs::{Decoder, GBK, UTF_8};

use calamine::{Data, Reader as _};

use super::fields::{HeaderError, HeaderMap, fields, map_header};
use crate::model::ImportKind;

/// The formats the import understands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Csv,
    JsonLines,
    /// Excel 2007+ workbook (Office Open XML).
    Xlsx,
}

/// The first bytes of a ZIP archive (an .xlsx is one).
const ZIP_MAGIC: &[u8] = b"PK\x03\x04";
/// The first bytes of an OLE compound file (old .xls, and .xlsx encrypted with a password).
const OLE_MAGIC: &[u8] = &[0xD0, 0xCF, 0x11, 0xE0];

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
        if head.starts_with(ZIP_MAGIC) { Format::Xlsx } else { Format::from_name(name) }
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

/// A row that could not even be read (broken CSV quoting, invalid JSON).
#[derive(Debug, Clone)]
pub struct Unreadable {
    pub line: u64,
    pub message: String,
    pub original: Vec<String>,
}

/// Decodes GBK (or passes UTF-8 through) into a UTF-8 byte stream.
struct Utf8Reader<R> {
    inner: R,
    decoder: Option<Decoder>,
    out: Vec<u8>,
    pos: usize,
    done: bool,
}

impl<R: BufRead> Read for Utf8Reader<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let Some(decoder) = self.decoder.as_mut() else { return self.inner.read(buf) };
        while self.pos >= self.out.len() && !self.done {
            let input = self.inner.fill_buf()?;
            let last = input.is_empty();
            self.out.clear();
            self.out.resize(decoder.max_utf8_buffer_length(input.len()).unwrap_or(input.len() * 3 + 16), 0);
            let (_, read, written, _) = decoder.decode_to_utf8(input, &mut self.out, last);
            self.out.truncate(written);
            self.pos = 0;
            self.inner.consume(read);
            self.done = last;
        }
        let n = buf.len().min(self.out.len() - self.pos);
        buf[..n].copy_from_slice(&self.out[self.pos..self.pos + n]);
        self.pos += n;
        Ok(n)
    }
}

/// Which text encoding a file is in, judged from its first 64 KiB: UTF-8 if that
/// decodes cleanly (a BOM also says so), GBK otherwise.
pub fn sniff_encoding(head: &[u8]) -> &'static encoding_rs::Encoding {
    if head.starts_with(&[0xEF, 0xBB, 0xBF]) {
        return UTF_8;
    }
    // A multi-byte character may be cut at the end of the sample.
    let trimmed = match std::str::from_utf8(head) {
        Ok(_) => return UTF_8,
        Err(e) if e.error_len().is_none() => &head[..e.valid_up_to()],
        Err(_) => return GBK,
    };
    if std::str::from_utf8(trimmed).is_ok() { UTF_8 } else { GBK }
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
    Csv(csv::StringRecordsIntoIter<Box<dyn Read + Send>>),
    Json { lines: std::io::Lines<BufReader<Box<dyn Read + Send>>>, line: u64 },
    Sheet(Sheet),
}

/// The first worksheet of a workbook, read row by row.
struct Sheet {
    range: calamine::Range<Data>,
    /// Sheet row number (1-based) of the range's first row.
    first_line: u64,
    /// Index of the next row within the range.
    next: usize,
    /// Per column: a date column of the kind.
    date_column: Vec<bool>,
}

fn xlsx_error(message: String) -> HeaderError {
    HeaderError { code: "import.xlsx_unreadable", message }
}

/// A cell as text (see the module comment); an error value (`#N/A`, `#DIV/0!`) is `Err`.
pub fn cell_text(cell: &Data, date_column: bool) -> Result<String, String> {
    Ok(match cell {
        Data::Empty => String::new(),
        Data::String(s) => s.clone(),
        Data::Bool(b) => if *b { "TRUE" } else { "FALSE" }.to_string(),
        Data::Int(i) if date_column => serial_date(*i as f64).unwrap_or_else(|| i.to_string()),
        Data::Int(i) => i.to_string(),
        Data::Float(f) if date_column => serial_date(*f).unwrap_or_else(|| number_text(*f)),
        Data::Float(f) => number_text(*f),
        Data::DateTime(dt) if dt.is_datetime() => match dt.as_datetime() {
            Some(t) if t.time() == chrono::NaiveTime::MIN || date_column => t.date().format("%Y-%m-%d").to_string(),
            Some(t) => t.format("%Y-%m-%d %H:%M:%S").to_string(),
            None => number_text(dt.as_f64()),
        },
        Data::DateTime(dt) => number_text(dt.as_f64()),
        Data::DateTimeIso(s) if date_column => s.split('T').next().unwrap_or(s).to_string(),
        Data::DateTimeIso(s) | Data::DurationIso(s) => s.clone(),
        Data::Error(e) => return Err(e.to_string()),
    })
}

/// The shortest decimal text that reads back as the same number (never an exponent).
pub fn number_text(f: f64) -> String {
    if f == 0.0 { "0".to_string() } else { format!("{f}") }
}

/// An Excel serial day number (1900 date system) as `YYYY-MM-DD`; a fraction (time of
/// day) is dropped. `None` outside 1900-01-01 … 9999-12-31.
pub fn serial_date(serial: f64) -> Option<String> {
    if !(1.0..2_958_466.0).contains(&serial) {
        return None;
    }
    let dt = calamine::ExcelDateTime::new(serial.floor(), calamine::ExcelDateTimeType::DateTime, false);
    dt.as_datetime().map(|t| t.date().format("%Y-%m-%d").to_string())
}

/// Read the whole of `bytes` as a workbook and take its first worksheet. A file that is
/// not a readable workbook is refused with a reason, never a panic.
fn open_sheet(bytes: Vec<u8>) -> Result<calamine::Range<Data>, HeaderError> {
    if bytes.starts_with(OLE_MAGIC) {
        return Err(HeaderError {
            code: "import.xls_unsupported",
            message: "不支持旧版 Excel（.xls）或加密的工作簿，请在 Excel/WPS 中另存为 .xlsx（不加密）或 CSV 后再导入".into(),
        });
    }
    let read = std::panic::catch_unwind(move || {
        let mut book: calamine::Xlsx<_> = calamine::open_workbook_from_rs(std::io::Cursor::new(bytes))
            .map_err(|e| xlsx_error(format!("文件不是可读取的 Excel 工作簿（.xlsx）：{e}")))?;
        match book.worksheet_range_at(0) {
            Some(Ok(range)) => Ok(range),
            Some(Err(e)) => Err(xlsx_error(format!("无法读取第一个工作表：{e}"))),
            None => Err(HeaderError { code: "import.xlsx_no_sheet", message: "工作簿中没有工作表".into() }),
        }
    });
    read.unwrap_or_else(|_| Err(xlsx_error("文件不是可读取的 Excel 工作簿（.xlsx），内容已损坏".into())))
}

/// Open `input` (the whole byte stream of a file) as rows of `kind`. A ZIP archive is
/// read as a workbook whatever `format` says.
pub fn open(kind: impl Into<ImportKind>, format: Format, input: Box<dyn Read + Send>) -> Result<Rows, HeaderError> {
    let kind = kind.into();
    let mut buffered = BufReader::with_capacity(1 << 16, input);
    let head = buffered.fill_buf().map_err(|e| HeaderError { code: "import.io", message: format!("无法读取文件：{e}") })?.to_vec();
    if format == Format::Xlsx || (format == Format::Csv && (head.starts_with(ZIP_MAGIC) || head.starts_with(OLE_MAGIC))) {
        let mut bytes = Vec::new();
        buffered.read_to_end(&mut bytes).map_err(|e| HeaderError { code: "import.io", message: format!("无法读取文件：{e}") })?;
        return open_xlsx(kind, bytes);
    }
    let encoding = sniff_encoding(&head);
    let decoder = (encoding != UTF_8).then(|| encoding.new_decoder_without_bom_handling());
    let text: Box<dyn Read + Send> = Box::new(Utf8Reader { inner: buffered, decoder, out: Vec::new(), pos: 0, done: false });
    match format {
        Format::Csv | Format::Xlsx => {
            let mut rdr = csv::ReaderBuilder::new().flexible(true).from_reader(text);
            let header: Vec<String> = rdr
                .headers()
                .map_err(|e| HeaderError { code: "import.header", message: format!("无法读取表头：{e}") })?
                .iter()
                .map(|h| h.trim_start_matches('\u{feff}').to_string())
                .collect();
            let map = map_header(kind, &header)?;
            Ok(Rows {
                inner: Inner::Csv(rdr.into_records()),
                header: map,
                original_header: header,
                encoding: encoding.name(),
                format: Format::Csv,
            })
        }
        Format::JsonLines => {
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
    }
}

fn is_blank(row: &[Data]) -> bool {
    row.iter().all(|c| match c {
        Data::Empty => true,
        Data::String(s) => s.trim().is_empty(),
        _ => false,
    })
}

fn open_xlsx(kind: ImportKind, bytes: Vec<u8>) -> Result<Rows, HeaderError> {
    let range = open_sheet(bytes)?;
    let first_line = range.start().map(|(r, _)| u64::from(r) + 1).unwrap_or(1);
    // The header is the first row that is not blank.
    let Some(at) = range.rows().position(|r| !is_blank(r)) else {
        return Err(HeaderError { code: "import.header", message: "第一个工作表是空的：第一行应为表头".into() });
    };
    let header: Vec<String> = range
        .rows()
        .nth(at)
        .unwrap_or(&[])
        .iter()
        .map(|c| cell_text(c, false).unwrap_or_default().trim_start_matches('\u{feff}').to_string())
        .collect();
    let map = map_header(kind, &header)?;
    let defs = fields(kind);
    let mut date_column = vec![false; header.len()];
    for (f, col) in defs.iter().zip(&map.column_of_field) {
        if let Some(c) = col
            && f.is_date()
            && let Some(d) = date_column.get_mut(*c)
        {
            *d = true;
        }
    }
    let sheet = Sheet { range, first_line, next: at + 1, date_column };
    Ok(Rows { inner: Inner::Sheet(sheet), header: map, original_header: header, encoding: "xlsx", format: Format::Xlsx })
}

/// A spreadsheet column's letters (`A`, `Z`, `AA`).
fn column_name(mut i: usize) -> String {
    let mut out = Vec::new();
    loop {
        out.push(b'A' + (i % 26) as u8);
        if i < 26 {
            break;
        }
        i = i / 26 - 1;
    }
    out.reverse();
    String::from_utf8(out).unwrap_or_default()
}

impl Rows {
    fn order(&self, cells: &[String]) -> Vec<String> {
        self.header.column_of_field.iter().map(|c| c.and_then(|i| cells.get(i)).cloned().unwrap_or_default()).collect()
    }

    /// The next row, or `None` at the end of the file.
    pub fn next_row(&mut self, kind: impl Into<ImportKind>) -> Option<Result<RawRow, Unreadable>> {
        let kind = kind.into();
        match &mut self.inner {
            Inner::Sheet(sheet) => loop {
                let row = sheet.range.rows().nth(sheet.next)?;
                let line = sheet.first_line + sheet.next as u64;
                sheet.next += 1;
                if is_blank(row) {
                    continue;
                }
                let mut cells = Vec::with_capacity(row.len());
                let mut bad = Vec::new();
                for (i, c) in row.iter().enumerate() {
                    match cell_text(c, sheet.date_column.get(i).copied().unwrap_or(false)) {
                        Ok(t) => cells.push(t),
                        Err(e) => {
                            bad.push(format!("{}列为错误值 {e}", column_name(i)));
                            cells.push(e);
                        }
                    }
                }
                if !bad.is_empty() {
                    return Some(Err(Unreadable {
                        line, message: format!("单元格有公式错误：{}", bad.join("、")), original: cells
                    }));
                }
                return Some(Ok(RawRow { line, values: self.order(&cells), original: cells }));
            },
            Inner::Csv(records) => {
                let rec = records.next()?;
                Some(match rec {
                    Ok(r) => {
                        let line = r.position().map(|p| p.line()).unwrap_or(0);
                        let cells: Vec<String> = r.iter().map(str::to_string).collect();
                        Ok(RawRow { line, values: self.order(&cells), original: cells })
                    }
                    Err(e) => {
                        let line = e.position().map(|p| p.line()).unwrap_or(0);
                        Err(Unreadable { line, message: format!("CSV 格式错误：{e}"), original: Vec::new() })
                    }
                })
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
    fn sniffing_tolerates_a_cut_character() {
        let s = "清丰县".as_bytes();
        assert_eq!(sniff_encoding(&s[..s.len() - 1]), UTF_8);
        assert_eq!(sniff_encoding(&GBK.encode("清丰县人民政府").0), GBK);
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

    #[test]
    fn cells_and_serials() {
        assert_eq!(number_text(0.5), "0.5");
        assert_eq!(number_text(-0.0), "0");
        assert_eq!(number_text(1e21), "1000000000000000000000");
        assert_eq!(number_text(0.1 + 0.2), "0.30000000000000004");
        assert_eq!(serial_date(45809.0).as_deref(), Some("2025-06-01"));
        assert_eq!(serial_date(45809.75).as_deref(), Some("2025-06-01"), "the time of day is dropped");
        assert_eq!(serial_date(61.0).as_deref(), Some("1900-03-01"));
        assert_eq!(serial_date(0.0), None);
        assert_eq!(cell_text(&Data::Float(45809.0), false).unwrap(), "45809");
        assert_eq!(cell_text(&Data::Int(45809), true).unwrap(), "2025-06-01");
        assert_eq!(cell_text(&Data::DateTimeIso("2025-06-01T08:00:00".into()), true).unwrap(), "2025-06-01");
        assert!(cell_text(&Data::Error(calamine::CellErrorType::NA), false).is_err());
        assert_eq!(column_name(0), "A");
        assert_eq!(column_name(27), "AB");
    }
}
