//! 读取 Reading a department's file as rows of the standard: CSV in UTF-8 or GBK (the
//! encoding is detected), or JSON lines keyed by field code. Files are streamed, so a
//! file of millions of rows never sits in memory whole.

use std::io::{BufRead, BufReader, Read};

use encoding_rs::{Decoder, GBK, UTF_8};

use super::fields::{HeaderError, HeaderMap, fields, map_header};
use crate::model::RecordKind;

/// The formats the import understands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Csv,
    JsonLines,
}

impl Format {
    pub fn key(self) -> &'static str {
        match self {
            Format::Csv => "csv",
            Format::JsonLines => "jsonl",
        }
    }
    /// From a file name: `.jsonl`/`.ndjson` are JSON lines, everything else CSV.
    pub fn from_name(name: &str) -> Format {
        let lower = name.to_ascii_lowercase();
        if lower.ends_with(".jsonl") || lower.ends_with(".ndjson") { Format::JsonLines } else { Format::Csv }
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
}

/// Open `input` (the whole byte stream of a file) as rows of `kind`.
pub fn open(kind: RecordKind, format: Format, input: Box<dyn Read + Send>) -> Result<Rows, HeaderError> {
    let mut buffered = BufReader::with_capacity(1 << 16, input);
    let head = buffered.fill_buf().map_err(|e| HeaderError { code: "import.io", message: format!("无法读取文件：{e}") })?.to_vec();
    let encoding = sniff_encoding(&head);
    let decoder = (encoding != UTF_8).then(|| encoding.new_decoder_without_bom_handling());
    let text: Box<dyn Read + Send> = Box::new(Utf8Reader { inner: buffered, decoder, out: Vec::new(), pos: 0, done: false });
    match format {
        Format::Csv => {
            let mut rdr = csv::ReaderBuilder::new().flexible(true).from_reader(text);
            let header: Vec<String> = rdr
                .headers()
                .map_err(|e| HeaderError { code: "import.header", message: format!("无法读取表头：{e}") })?
                .iter()
                .map(|h| h.trim_start_matches('\u{feff}').to_string())
                .collect();
            let map = map_header(kind, &header)?;
            Ok(Rows { inner: Inner::Csv(rdr.into_records()), header: map, original_header: header, encoding: encoding.name(), format })
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

impl Rows {
    fn order(&self, cells: &[String]) -> Vec<String> {
        self.header.column_of_field.iter().map(|c| c.and_then(|i| cells.get(i)).cloned().unwrap_or_default()).collect()
    }

    /// The next row, or `None` at the end of the file.
    pub fn next_row(&mut self, kind: RecordKind) -> Option<Result<RawRow, Unreadable>> {
        match &mut self.inner {
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
}
