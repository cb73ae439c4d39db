//! 表格文件读取 Reading a spreadsheet-like file as a header and rows of text: CSV in
//! UTF-8 or GBK (the encoding is detected), or an Excel workbook (.xlsx: the first
//! worksheet, its first non-blank row the header). Every row keeps its line number (the
//! CSV line, or the sheet's row number) so that an import can name the line it rejects.
//!
//! This is the one reader every import uses (the credit platform's 双公示 files, the
//! portal's published lists); what a column *means* is the importer's business. CSV is
//! streamed, so a file of millions of rows never sits in memory whole; a workbook is read
//! whole (the format caps a sheet at 1,048,576 rows).
//!
//! Workbook cells become the text a person would have typed: date cells, and serial
//! numbers in a column the importer marks as a date column (1900 date system), become
//! `YYYY-MM-DD`; numbers become their shortest exact decimal text (`0.5` stays `0.5`).

use std::io::{BufRead, BufReader, Read};

use calamine::{Data, Reader as _};
use encoding_rs::{Decoder, Encoding, GBK, UTF_8};

/// The first bytes of a ZIP archive (an .xlsx is one).
pub const ZIP_MAGIC: &[u8] = b"PK\x03\x04";
/// The first bytes of an OLE compound file (old .xls, and .xlsx encrypted with a password).
pub const OLE_MAGIC: &[u8] = &[0xD0, 0xCF, 0x11, 0xE0];

/// A file that cannot be read as a table at all: a stable code and a Chinese reason.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TableError {
    pub code: &'static str,
    pub message: String,
}

impl std::fmt::Display for TableError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}：{}", self.code, self.message)
    }
}

impl std::error::Error for TableError {}

/// The two table formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TableFormat {
    Csv,
    /// Excel 2007+ workbook (Office Open XML).
    Xlsx,
}

impl TableFormat {
    pub fn key(self) -> &'static str {
        match self {
            TableFormat::Csv => "csv",
            TableFormat::Xlsx => "xlsx",
        }
    }
}

/// Whether the first bytes of a file are those of a spreadsheet (a ZIP archive, or an
/// old-style OLE file that is refused with a reason when opened).
pub fn looks_like_workbook(head: &[u8]) -> bool {
    head.starts_with(ZIP_MAGIC) || head.starts_with(OLE_MAGIC)
}

/// A row as read: its line number and its cells, in the file's column order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Line {
    pub line: u64,
    pub cells: Vec<String>,
}

/// A row that could not even be read (broken CSV quoting, a formula error in a cell).
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
pub fn sniff_encoding(head: &[u8]) -> &'static Encoding {
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

fn io_error(e: std::io::Error) -> TableError {
    TableError { code: "import.io", message: format!("无法读取文件：{e}") }
}

/// A file as it arrives: either a workbook (read whole) or a text stream decoded to UTF-8.
pub enum Source {
    Workbook(Vec<u8>),
    Text { text: Box<dyn Read + Send>, encoding: &'static Encoding },
}

/// Look at the first bytes of `input` and decide: a workbook when `as_workbook(head)`
/// says so (typically: the name ends `.xlsx`, or [`looks_like_workbook`]), else text in
/// the detected encoding.
pub fn source(input: Box<dyn Read + Send>, as_workbook: impl FnOnce(&[u8]) -> bool) -> Result<Source, TableError> {
    let mut buffered = BufReader::with_capacity(1 << 16, input);
    let head = buffered.fill_buf().map_err(io_error)?.to_vec();
    if as_workbook(&head) {
        let mut bytes = Vec::new();
        buffered.read_to_end(&mut bytes).map_err(io_error)?;
        return Ok(Source::Workbook(bytes));
    }
    let encoding = sniff_encoding(&head);
    let decoder = (encoding != UTF_8).then(|| encoding.new_decoder_without_bom_handling());
    Ok(Source::Text { text: Box::new(Utf8Reader { inner: buffered, decoder, out: Vec::new(), pos: 0, done: false }), encoding })
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

/// A spreadsheet column's letters (`A`, `Z`, `AA`).
pub fn column_name(mut i: usize) -> String {
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

fn xlsx_error(message: String) -> TableError {
    TableError { code: "import.xlsx_unreadable", message }
}

/// Read the whole of `bytes` as a workbook and take its first worksheet. A file that is
/// not a readable workbook is refused with a reason, never a panic.
fn open_sheet(bytes: Vec<u8>) -> Result<calamine::Range<Data>, TableError> {
    if bytes.starts_with(OLE_MAGIC) {
        return Err(TableError {
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
            None => Err(TableError { code: "import.xlsx_no_sheet", message: "工作簿中没有工作表".into() }),
        }
    });
    read.unwrap_or_else(|_| Err(xlsx_error("文件不是可读取的 Excel 工作簿（.xlsx），内容已损坏".into())))
}

fn is_blank(row: &[Data]) -> bool {
    row.iter().all(|c| match c {
        Data::Empty => true,
        Data::String(s) => s.trim().is_empty(),
        _ => false,
    })
}

/// A table being read: its header cells (a leading BOM removed), then row after row.
pub struct Table {
    pub header: Vec<String>,
    /// `UTF-8`, `GBK` or `xlsx`.
    pub encoding: &'static str,
    pub format: TableFormat,
    inner: Inner,
}

enum Inner {
    Csv(csv::StringRecordsIntoIter<Box<dyn Read + Send>>),
    Sheet(Sheet),
}

/// The first worksheet of a workbook, read row by row.
struct Sheet {
    range: calamine::Range<Data>,
    /// Sheet row number (1-based) of the range's first row.
    first_line: u64,
    /// Index of the next row within the range.
    next: usize,
    /// Per column: serial numbers in it are dates.
    date_column: Vec<bool>,
}

impl Table {
    /// Open `input` (the whole byte stream of a file): a workbook when `as_workbook(head)`
    /// says so, CSV otherwise.
    pub fn open(input: Box<dyn Read + Send>, as_workbook: impl FnOnce(&[u8]) -> bool) -> Result<Table, TableError> {
        Table::from_source(source(input, as_workbook)?)
    }

    /// Open a file whose kind is judged from its name and first bytes: `.xlsx` or a ZIP /
    /// OLE file is a workbook, anything else CSV.
    pub fn open_named(name: &str, input: Box<dyn Read + Send>) -> Result<Table, TableError> {
        let xlsx = name.to_ascii_lowercase().ends_with(".xlsx");
        Table::open(input, |head| xlsx || looks_like_workbook(head))
    }

    pub fn from_source(source: Source) -> Result<Table, TableError> {
        match source {
            Source::Workbook(bytes) => Table::xlsx(bytes),
            Source::Text { text, encoding } => Table::csv(text, encoding),
        }
    }

    fn csv(text: Box<dyn Read + Send>, encoding: &'static Encoding) -> Result<Table, TableError> {
        let mut rdr = csv::ReaderBuilder::new().flexible(true).from_reader(text);
        let header: Vec<String> = rdr
            .headers()
            .map_err(|e| TableError { code: "import.header", message: format!("无法读取表头：{e}") })?
            .iter()
            .map(|h| h.trim_start_matches('\u{feff}').to_string())
            .collect();
        Ok(Table { header, encoding: encoding.name(), format: TableFormat::Csv, inner: Inner::Csv(rdr.into_records()) })
    }

    fn xlsx(bytes: Vec<u8>) -> Result<Table, TableError> {
        let range = open_sheet(bytes)?;
        let first_line = range.start().map(|(r, _)| u64::from(r) + 1).unwrap_or(1);
        // The header is the first row that is not blank.
        let Some(at) = range.rows().position(|r| !is_blank(r)) else {
            return Err(TableError { code: "import.header", message: "第一个工作表是空的：第一行应为表头".into() });
        };
        let header: Vec<String> = range
            .rows()
            .nth(at)
            .unwrap_or(&[])
            .iter()
            .map(|c| cell_text(c, false).unwrap_or_default().trim_start_matches('\u{feff}').to_string())
            .collect();
        let sheet = Sheet { range, first_line, next: at + 1, date_column: Vec::new() };
        Ok(Table { header, encoding: "xlsx", format: TableFormat::Xlsx, inner: Inner::Sheet(sheet) })
    }

    /// Mark the columns (by index) whose serial numbers are dates; only workbooks care.
    pub fn set_date_columns(&mut self, date_column: Vec<bool>) {
        if let Inner::Sheet(sheet) = &mut self.inner {
            sheet.date_column = date_column;
        }
    }

    /// The next row that is not blank, or `None` at the end of the file. Blank sheet rows
    /// are skipped with their numbers kept; CSV rows come as they are.
    pub fn next_line(&mut self) -> Option<Result<Line, Unreadable>> {
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
                return Some(Ok(Line { line, cells }));
            },
            Inner::Csv(records) => {
                let rec = records.next()?;
                Some(match rec {
                    Ok(r) => {
                        let line = r.position().map(|p| p.line()).unwrap_or(0);
                        Ok(Line { line, cells: r.iter().map(str::to_string).collect() })
                    }
                    Err(e) => {
                        let line = e.position().map(|p| p.line()).unwrap_or(0);
                        Err(Unreadable { line, message: format!("CSV 格式错误：{e}"), original: Vec::new() })
                    }
                })
            }
        }
    }
}

impl Iterator for Table {
    type Item = Result<Line, Unreadable>;
    fn next(&mut self) -> Option<Self::Item> {
        self.next_line()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_xlsxwriter::Workbook;

    fn read(bytes: Vec<u8>, name: &str) -> Result<(Table, Vec<Result<Line, Unreadable>>), TableError> {
        let mut t = Table::open_named(name, Box::new(std::io::Cursor::new(bytes)))?;
        let rows: Vec<_> = t.by_ref().collect();
        Ok((t, rows))
    }

    #[test]
    fn gbk_utf8_and_bom_read_the_same() {
        let text = "事项名称,部门\n重要工业产品生产许可证核发,河南省市场监督管理局\n\"带,逗号\",乙\n";
        let (gbk, _, _) = GBK.encode(text);
        for (bytes, enc) in
            [(text.as_bytes().to_vec(), "UTF-8"), (gbk.into_owned(), "GBK"), ([&[0xEF, 0xBB, 0xBF][..], text.as_bytes()].concat(), "UTF-8")]
        {
            let (t, rows) = read(bytes, "a.csv").unwrap();
            assert_eq!(t.header, vec!["事项名称", "部门"]);
            assert_eq!((t.encoding, t.format), (enc, TableFormat::Csv));
            let rows: Vec<Line> = rows.into_iter().map(Result::unwrap).collect();
            assert_eq!(rows[0], Line { line: 2, cells: vec!["重要工业产品生产许可证核发".into(), "河南省市场监督管理局".into()] });
            assert_eq!(rows[1].cells[0], "带,逗号");
            assert_eq!(rows[1].line, 3);
        }
    }

    #[test]
    fn sniffing_tolerates_a_cut_character() {
        let s = "清丰县".as_bytes();
        assert_eq!(sniff_encoding(&s[..s.len() - 1]), UTF_8);
        assert_eq!(sniff_encoding(&GBK.encode("清丰县人民政府").0), GBK);
    }

    #[test]
    fn a_workbook_by_name_or_by_magic_with_sheet_line_numbers() {
        let mut wb = Workbook::new();
        let ws = wb.add_worksheet();
        ws.write_string(0, 0, "项目号").unwrap();
        ws.write_string(0, 1, "禁止或许可事项").unwrap();
        ws.write_number(1, 0, 4.0).unwrap();
        ws.write_string(1, 1, "禁止违规开展金融相关经营活动").unwrap();
        ws.write_number(3, 1, 45809.0).unwrap();
        let bytes = wb.save_to_buffer().unwrap();
        for name in ["list.xlsx", "list.csv"] {
            let mut t = Table::open_named(name, Box::new(std::io::Cursor::new(bytes.clone()))).unwrap();
            assert_eq!(t.format, TableFormat::Xlsx);
            assert_eq!(t.header, vec!["项目号", "禁止或许可事项"]);
            t.set_date_columns(vec![false, name == "list.csv"]);
            let rows: Vec<Line> = t.map(Result::unwrap).collect();
            assert_eq!(rows[0], Line { line: 2, cells: vec!["4".into(), "禁止违规开展金融相关经营活动".into()] });
            assert_eq!(rows[1].line, 4, "the blank row is skipped, its number kept");
            assert_eq!(rows[1].cells[1], if name == "list.csv" { "2025-06-01" } else { "45809" }, "a serial in a date column");
        }
    }

    #[test]
    fn junk_is_refused_with_a_code_and_a_chinese_reason() {
        for (bytes, name, code) in [
            (b"PK\x03\x04 not really a zip".to_vec(), "a.csv", "import.xlsx_unreadable"),
            (b"just text".to_vec(), "a.xlsx", "import.xlsx_unreadable"),
            (vec![0xD0, 0xCF, 0x11, 0xE0, 0, 0], "a.xls", "import.xls_unsupported"),
        ] {
            let e = read(bytes, name).err().unwrap();
            assert_eq!(e.code, code);
            assert!(e.message.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)), "{}", e.message);
        }
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
