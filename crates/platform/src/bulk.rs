//! 批量写入 Bulk loading: many rows of one shape into one table, by the fastest path
//! each backend has: on SQLite one `INSERT … SELECT … FROM jsonb_each(?)` per half MiB of
//! rows (the rows travel as one JSON value: one bind, one parse, no parameter limit, no
//! per-row statement work) and `COPY … FROM STDIN` on PostgreSQL. Callers describe a row once, as [`Val`]s.
//!
//! The rows go in inside the caller's transaction, so a bulk load is as atomic as any
//! other write. `COPY` has no `ON CONFLICT`: callers settle duplicates before loading.

use std::fmt::Write as _;

use chrono::{Datelike, NaiveDate};

use crate::db::Tx;
use crate::sql::Sql;

/// One value of a bulk row.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Val<'a> {
    Text(&'a str),
    Int(i64),
    Bool(bool),
    /// Stored as `YYYY-MM-DD` text, like every date column of the platform.
    Date(NaiveDate),
    /// A JSON document stored as text, exactly one valid JSON value (the caller's
    /// serializer made it). Stored like [`Val::Text`], but on SQLite it travels inside the
    /// batch's JSON as itself rather than as an escaped string: nothing to escape on the
    /// way in, nothing to unescape on SQLite's side.
    Json(&'a str),
    Null,
}

impl<'a> From<&'a str> for Val<'a> {
    fn from(v: &'a str) -> Self {
        Val::Text(v)
    }
}
impl From<i64> for Val<'_> {
    fn from(v: i64) -> Self {
        Val::Int(v)
    }
}
impl From<bool> for Val<'_> {
    fn from(v: bool) -> Self {
        Val::Bool(v)
    }
}
impl From<NaiveDate> for Val<'_> {
    fn from(v: NaiveDate) -> Self {
        Val::Date(v)
    }
}
impl<'a, T: Into<Val<'a>>> From<Option<T>> for Val<'a> {
    fn from(v: Option<T>) -> Self {
        v.map(Into::into).unwrap_or(Val::Null)
    }
}

/// A value as a statement parameter (a fixed column of [`load_with`]), bound as the
/// platform binds it anywhere else.
impl From<Val<'_>> for crate::sql::Arg {
    fn from(v: Val<'_>) -> Self {
        match v {
            Val::Text(s) | Val::Json(s) => s.into(),
            Val::Int(i) => i.into(),
            Val::Bool(b) => b.into(),
            Val::Date(d) => {
                let mut out = String::with_capacity(10);
                push_date(&mut out, d);
                out.into()
            }
            Val::Null => crate::sql::Arg::NullText,
        }
    }
}

/// `YYYY-MM-DD`, appended to `out`.
pub fn push_date(out: &mut String, d: NaiveDate) {
    let _ = write!(out, "{:04}-{:02}-{:02}", d.year(), d.month(), d.day());
}

/// Bytes of COPY data sent per message batch.
const COPY_BUFFER: usize = 4 << 20;

/// Rows in PostgreSQL's `COPY` text format: tab-separated, `\N` for NULL, backslash
/// escapes for backslash, tab, newline and carriage return.
#[derive(Debug, Default)]
pub struct CopyText {
    buf: String,
    fields: usize,
}

impl CopyText {
    pub fn new() -> CopyText {
        CopyText::default()
    }
    fn sep(&mut self) {
        if self.fields > 0 {
            self.buf.push('\t');
        }
        self.fields += 1;
    }
    pub fn push(&mut self, v: Val<'_>) {
        self.sep();
        match v {
            Val::Null => self.buf.push_str("\\N"),
            Val::Int(i) => {
                let _ = write!(self.buf, "{i}");
            }
            Val::Bool(b) => self.buf.push(if b { 't' } else { 'f' }),
            Val::Date(d) => push_date(&mut self.buf, d),
            Val::Text(s) | Val::Json(s) => {
                for ch in s.chars() {
                    match ch {
                        '\\' => self.buf.push_str("\\\\"),
                        '\t' => self.buf.push_str("\\t"),
                        '\n' => self.buf.push_str("\\n"),
                        '\r' => self.buf.push_str("\\r"),
                        c => self.buf.push(c),
                    }
                }
            }
        }
    }
    pub fn end_row(&mut self) {
        self.buf.push('\n');
        self.fields = 0;
    }
    pub fn len(&self) -> usize {
        self.buf.len()
    }
    pub fn is_empty(&self) -> bool {
        self.buf.is_empty()
    }
    pub fn as_bytes(&self) -> &[u8] {
        self.buf.as_bytes()
    }
    fn clear(&mut self) {
        self.buf.clear();
        self.fields = 0;
    }
}

/// Bytes of JSON rows bound per statement on SQLite (≈ 700 credit records). Small enough
/// that the buffers come from the allocator's reused pages (at 4 MiB each statement's
/// buffer was fresh memory, zeroed by the kernel on first touch), and that writing the
/// next statement's rows overlaps SQLite running this one in short steps.
const JSON_BUFFER: usize = 512 << 10;

/// Rows as one JSON array of arrays, `[[1,"a",null],…]`, for SQLite to unpack with
/// `jsonb_each`: the whole batch is one bound value, parsed once by SQLite into its binary
/// JSON, and each cell is read from that by position.
#[derive(Debug, Default)]
pub struct JsonRows {
    buf: String,
}

impl JsonRows {
    pub fn new() -> JsonRows {
        JsonRows::default()
    }
    pub fn push_row(&mut self, vals: &[Val<'_>]) {
        self.buf.push(if self.buf.is_empty() { '[' } else { ',' });
        self.buf.push('[');
        for (i, v) in vals.iter().enumerate() {
            if i > 0 {
                self.buf.push(',');
            }
            match *v {
                Val::Null => self.buf.push_str("null"),
                Val::Int(i) => {
                    let _ = write!(self.buf, "{i}");
                }
                Val::Bool(b) => self.buf.push(if b { '1' } else { '0' }),
                Val::Date(d) => {
                    self.buf.push('"');
                    push_date(&mut self.buf, d);
                    self.buf.push('"');
                }
                Val::Text(s) => json_string(&mut self.buf, s),
                Val::Json(s) => self.buf.push_str(s),
            }
        }
        self.buf.push(']');
    }
    pub fn len(&self) -> usize {
        self.buf.len()
    }
    pub fn is_empty(&self) -> bool {
        self.buf.is_empty()
    }
    /// The rows so far as one JSON text; empties the buffer (keeping room for the next
    /// batch, so it is not grown again by doubling).
    pub fn take(&mut self) -> String {
        let room = self.buf.capacity();
        let mut out = std::mem::replace(&mut self.buf, String::with_capacity(room));
        if !out.is_empty() {
            out.push(']');
        }
        out
    }
}

/// `s` as a JSON string literal.
fn json_string(out: &mut String, s: &str) {
    out.push('"');
    let mut start = 0;
    for (i, b) in s.bytes().enumerate() {
        let esc = match b {
            b'"' => "\\\"",
            b'\\' => "\\\\",
            b'\n' => "\\n",
            b'\r' => "\\r",
            b'\t' => "\\t",
            0..=0x1f => "",
            _ => continue,
        };
        out.push_str(&s[start..i]);
        if esc.is_empty() {
            let _ = write!(out, "\\u{b:04x}");
        } else {
            out.push_str(esc);
        }
        start = i + 1;
    }
    out.push_str(&s[start..]);
    out.push('"');
}

/// Load `items` into `table` (`columns` in order) inside `tx`; `row` writes one item's
/// values, exactly one per column. Returns the rows written.
pub async fn load<'a, T>(
    tx: &mut Tx,
    table: &'static str,
    columns: &'static [&'static str],
    items: &'a [T],
    row: impl Fn(&'a T, &mut Vec<Val<'a>>),
) -> Result<u64, sqlx::Error> {
    load_with(tx, table, &[], columns, items, row).await
}

/// [`load`] with `fixed` columns: the same value in every row, given once. On SQLite they
/// are bound once per statement rather than carried in each row's JSON, where SQLite
/// would walk to every cell of every row (each `value ->> i` steps over the cells before
/// it): seven fixed columns of 24 took a fifth off the insert (docs/benchmarks.md).
pub async fn load_with<'a, T>(
    tx: &mut Tx,
    table: &'static str,
    fixed: &[(&'static str, Val<'_>)],
    columns: &'static [&'static str],
    items: &'a [T],
    row: impl Fn(&'a T, &mut Vec<Val<'a>>),
) -> Result<u64, sqlx::Error> {
    if items.is_empty() {
        return Ok(0);
    }
    let cols = fixed.iter().map(|(c, _)| *c).chain(columns.iter().copied()).collect::<Vec<_>>().join(", ");
    let mut vals: Vec<Val<'a>> = Vec::with_capacity(columns.len());
    match tx {
        Tx::Sqlite(_) => {
            // `->>` gives a cell as an SQL value, and a nested JSON document
            // ([`Val::Json`]) as its text. The fixed values come first, as parameters.
            let head = format!("INSERT INTO {table} ({cols}) SELECT ");
            let picks: Vec<String> = (0..columns.len()).map(|i| format!("value ->> {i}")).collect();
            let picks = picks.join(", ");
            let run = |json: String| {
                let mut s = Sql::new(&head);
                for (_, v) in fixed {
                    s.bind(*v).push(", ");
                }
                s.push(&picks).push(" FROM jsonb_each(").bind(json).push(")");
                s
            };
            let mut json = JsonRows::new();
            let mut rest = items.iter();
            // The next statement's rows, up to JSON_BUFFER bytes (empty when none are left).
            let mut fill = |json: &mut JsonRows| {
                for item in rest.by_ref() {
                    vals.clear();
                    row(item, &mut vals);
                    debug_assert_eq!(vals.len(), columns.len());
                    json.push_row(&vals);
                    if json.len() >= JSON_BUFFER {
                        break;
                    }
                }
                json.take()
            };
            let mut written = 0;
            let mut next = fill(&mut json);
            while !next.is_empty() {
                // SQLite runs this statement on its own thread while this one writes the
                // next statement's rows: the two halves of a load overlap on two cores.
                let statement = run(next);
                let (done, following) = tokio::join!(tx.execute_sql(&statement), async { fill(&mut json) });
                written += done?;
                next = following;
            }
            Ok(written)
        }
        Tx::Postgres(t) => {
            let statement = format!("COPY {table} ({cols}) FROM STDIN");
            let mut copy = t.copy_in_raw(&statement).await?;
            let mut text = CopyText::new();
            for item in items {
                vals.clear();
                row(item, &mut vals);
                debug_assert_eq!(vals.len(), columns.len());
                for (_, v) in fixed {
                    text.push(*v);
                }
                for v in &vals {
                    text.push(*v);
                }
                text.end_row();
                if text.len() >= COPY_BUFFER {
                    copy.send(text.as_bytes()).await?;
                    text.clear();
                }
            }
            if !text.is_empty() {
                copy.send(text.as_bytes()).await?;
            }
            copy.finish().await
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing;

    #[test]
    fn copy_text_escapes_what_copy_would_misread() {
        let mut c = CopyText::new();
        c.push(Val::Text("a\tb\\c\nd"));
        c.push(Val::Null);
        c.push(Val::Int(-5));
        c.push(Val::Bool(true));
        c.push(Val::Date(NaiveDate::from_ymd_opt(2026, 4, 1).unwrap()));
        c.end_row();
        assert_eq!(std::str::from_utf8(c.as_bytes()).unwrap(), "a\\tb\\\\c\\nd\t\\N\t-5\tt\t2026-04-01\n");
    }

    /// Fixed columns are given once and stored in every row, over loads of several
    /// statements (each row here is ≈ 1 KiB, so 2,000 rows take four on SQLite).
    #[tokio::test]
    async fn fixed_columns_are_given_once_and_stored_in_every_row() {
        for t in testing::all().await.unwrap() {
            t.db.execute(
                "CREATE TABLE bulk_f (k TEXT NOT NULL, day TEXT NOT NULL, n BIGINT NOT NULL, ok BOOLEAN NOT NULL, id BIGINT NOT NULL, note TEXT)",
                &[],
            )
            .await
            .unwrap();
            let items: Vec<(i64, String)> = (0..2000).map(|i| (i, format!("{i}:{}", "备注\"'\t".repeat(100)))).collect();
            let day = NaiveDate::from_ymd_opt(2026, 11, 30).unwrap();
            let fixed = [("k", Val::Text("410922")), ("day", Val::Date(day)), ("n", Val::Int(7)), ("ok", Val::Bool(true))];
            let mut tx = t.db.begin().await.unwrap();
            let n = load_with(&mut tx, "bulk_f", &fixed, &["id", "note"], &items, |(i, note), out| {
                out.extend([Val::Int(*i), Val::Text(note)]);
            })
            .await
            .unwrap();
            tx.commit().await.unwrap();
            assert_eq!(n, 2000, "{}", t.name);
            let fixed_back: Vec<(String, String, i64, bool)> =
                Sql::new("SELECT DISTINCT k, day, n, ok FROM bulk_f").fetch_all(&t.db).await.unwrap();
            assert_eq!(fixed_back, vec![("410922".into(), "2026-11-30".into(), 7, true)], "{}", t.name);
            let back: Vec<(i64, String)> = Sql::new("SELECT id, note FROM bulk_f ORDER BY id").fetch_all(&t.db).await.unwrap();
            assert_eq!(back, items, "{}: every row once, in full", t.name);
        }
    }

    #[tokio::test]
    async fn loads_the_same_rows_on_both_backends() {
        for t in testing::all().await.unwrap() {
            let on = |sql: &'static str| {
                let db = t.db.clone();
                async move { db.execute(sql, &[]).await.unwrap() }
            };
            on("CREATE TABLE bulk_t (id BIGINT NOT NULL, name TEXT, day TEXT, ok BOOLEAN NOT NULL, doc TEXT NOT NULL)").await;
            let items: Vec<(i64, Option<String>)> =
                (0..1500).map(|i| (i, if i % 7 == 0 { None } else { Some(format!("名\t{i}\\\n\"\u{1}")) })).collect();
            let mut tx = t.db.begin().await.unwrap();
            let day = NaiveDate::from_ymd_opt(2026, 11, 30).unwrap();
            let doc = r#"{"名称":"某\"公司\"","金额":1.50,"列":[1,null]}"#;
            let n = load(&mut tx, "bulk_t", &["id", "name", "day", "ok", "doc"], &items, |(i, name), out| {
                out.extend([Val::Int(*i), name.as_deref().into(), Val::Date(day), Val::Bool(i % 2 == 0), Val::Json(doc)]);
            })
            .await
            .unwrap();
            tx.commit().await.unwrap();
            assert_eq!(n, 1500, "{}", t.name);
            let back: Vec<(i64, Option<String>, String, bool)> =
                Sql::new("SELECT id, name, day, ok FROM bulk_t ORDER BY id").fetch_all(&t.db).await.unwrap();
            assert_eq!(back.len(), 1500);
            // A JSON document comes back as the same text, byte for byte.
            let docs: Vec<(String,)> = Sql::new("SELECT DISTINCT doc FROM bulk_t").fetch_all(&t.db).await.unwrap();
            assert_eq!(docs, vec![(doc.to_string(),)], "{}", t.name);
            assert_eq!(back[1], (1, Some("名\t1\\\n\"\u{1}".into()), "2026-11-30".into(), false), "{}", t.name);
            assert_eq!(back[7].1, None);
            // Many keys at once: one array on PostgreSQL, IN lists on SQLite.
            let keys: Vec<i64> = (0..3000).filter(|k| k % 3 == 0).collect();
            let base = Sql::new("SELECT id FROM bulk_t WHERE ok = TRUE AND ");
            let found: Vec<(i64,)> = t.db.fetch_by_keys(&base, "id", &keys, " ORDER BY id").await.unwrap();
            let want: Vec<(i64,)> = (0..1500).filter(|k| k % 6 == 0).map(|k| (k,)).collect();
            assert_eq!(found, want, "{}", t.name);
            let mut tx = t.db.begin().await.unwrap();
            let none: Vec<(i64,)> = tx.fetch_by_keys(&base, "id", &[], "").await.unwrap();
            assert!(none.is_empty());
        }
    }
}
