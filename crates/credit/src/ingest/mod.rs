//! 归集 The import pipeline: one path for all three doors (command line, upload page,
//! push API). Read → check each row → key it → store in batches. Every row ends up in
//! exactly one count, so `read = stored + updated + duplicate + rejected` always holds,
//! and every rejected row is reported with its line, field, code and Chinese reason.
//!
//! Each batch is one transaction and rows are keyed by their natural key, so an import
//! killed half-way leaves the database consistent, and running it again completes it
//! without storing anything twice.

pub mod fields;
pub mod lists;
pub mod reader;

use std::io::Read;

use chrono::NaiveDate;
use qingfeng_platform::AppError;
use qingfeng_platform::audit::Actor;
use qingfeng_platform::db::{Db, Tx};
use qingfeng_platform::pii::Pii;
use serde::Serialize;
use sha2::{Digest, Sha256};

use crate::model::{ImportKind, SubjectKind};
use crate::rules::validate::{self, Options, RowError, Valid};
use crate::store::{self, Prepared};
use reader::{Format, RawRow, Rows, Unreadable};

/// Rows the reading thread hands the writer at a time. Each batch costs the writer a
/// fixed handful of statements (subjects, key lookups, one bulk insert), so batches are
/// large.
pub const BATCH_ROWS: usize = 20_000;

/// How long the import keeps one transaction open before it commits: batches are
/// written into the same transaction until it has run this long. Each commit writes
/// every index page the transaction touched, and the keys arrive in random order, so
/// short transactions wrote the same index pages again and again (at 5,000 rows per
/// commit, about 8 kB per row on a 13 M-record table). Other writers wait at most about
/// this long for the database (their busy timeout is 10 s).
pub const COMMIT_EVERY: std::time::Duration = std::time::Duration::from_millis(1500);

/// What an import is asked to do.
#[derive(Debug, Clone)]
pub struct Request {
    pub county_code: String,
    /// Records of a kind, or entries of a list.
    pub kind: ImportKind,
    /// For department staff: rows from any other 数据来源单位 are refused.
    pub source_dept: Option<String>,
    pub file_name: String,
    pub format: Format,
    /// `cli`, `upload` or `api`.
    pub door: &'static str,
    pub actor: Actor,
    pub lenient_uscc: bool,
    pub today: NaiveDate,
    /// USCCs of market-regulation departments, whose penalties follow their own
    /// publicity rule (see [`crate::rules::publicity`]).
    pub market_regulation: std::collections::HashSet<String>,
    /// 工作日历 For the 双公示 timeliness check.
    pub calendar: std::sync::Arc<qingfeng_core::HolidayCalendar>,
    /// Where the import's instants come from.
    pub clock: qingfeng_platform::Clock,
}

/// The counts of one import (they always reconcile).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Summary {
    pub import_id: i64,
    pub read: u64,
    pub stored: u64,
    pub updated: u64,
    pub duplicate: u64,
    pub rejected: u64,
    pub encoding: String,
    pub unknown_columns: Vec<String>,
}

impl Summary {
    /// The closing line the command prints.
    pub fn line(&self) -> String {
        format!(
            "read={} stored={} updated={} duplicate={} rejected={}",
            self.read, self.stored, self.updated, self.duplicate, self.rejected
        )
    }
    pub fn reconciles(&self) -> bool {
        self.read == self.stored + self.updated + self.duplicate + self.rejected
    }
}

/// A rejected row: where, and every reason.
#[derive(Debug, Clone, Serialize)]
pub struct Rejected {
    pub line: u64,
    pub errors: Vec<(String, &'static str, String)>,
    #[serde(skip)]
    pub original: Vec<String>,
}

impl Rejected {
    /// `第 12 行 · CF_XDR_SHXYM · uscc.check_digit · 说明；…`
    pub fn reason(&self) -> String {
        self.errors
            .iter()
            .map(|(f, c, m)| if f.is_empty() { format!("{c} {m}") } else { format!("{f} {c} {m}") })
            .collect::<Vec<_>>()
            .join("；")
    }
}

/// Where rejected rows go (a rejects file, a list for the page, the API answer).
pub trait RejectSink {
    fn header(&mut self, _original_header: &[String]) -> std::io::Result<()> {
        Ok(())
    }
    fn reject(&mut self, r: &Rejected) -> std::io::Result<()>;
}

/// Keep rejected rows in memory, up to a limit (for pages and API answers).
#[derive(Default)]
pub struct Collect {
    pub rows: Vec<Rejected>,
    pub limit: usize,
}

impl RejectSink for Collect {
    fn reject(&mut self, r: &Rejected) -> std::io::Result<()> {
        if self.rows.len() < self.limit {
            self.rows.push(r.clone());
        }
        Ok(())
    }
}

/// Write rejected rows as CSV in the input's columns plus 行号 and 错误原因.
pub struct CsvRejects<W: std::io::Write>(pub csv::Writer<W>);

impl<W: std::io::Write> RejectSink for CsvRejects<W> {
    fn header(&mut self, original_header: &[String]) -> std::io::Result<()> {
        let mut h: Vec<&str> = original_header.iter().map(String::as_str).collect();
        h.extend(["行号", "错误原因"]);
        self.0.write_record(&h).map_err(std::io::Error::other)
    }
    fn reject(&mut self, r: &Rejected) -> std::io::Result<()> {
        let mut row: Vec<String> = r.original.clone();
        row.push(r.line.to_string());
        row.push(r.reason());
        self.0.write_record(&row).map_err(std::io::Error::other)
    }
}

/// The unified social credit codes of the county's market-regulation departments
/// (市场监督管理), read through the registry's API.
pub async fn market_regulation_departments(db: &Db) -> Result<std::collections::HashSet<String>, AppError> {
    use qingfeng_platform::listing::{ListParams, ListQuery, MAX_PER_PAGE};
    use qingfeng_platform::registry;
    let raw = ListQuery { q: Some("市场监督管理".into()), per_page: Some(MAX_PER_PAGE.to_string()), ..ListQuery::default() };
    let params = ListParams::parse(&raw, registry::ORG_SORT, "id")?;
    let page = registry::list_orgs(db, &qingfeng_platform::auth::Scope::everything(), Some("department"), &params).await?;
    Ok(page.items.into_iter().filter_map(|o| o.uscc).collect())
}

/// The first 8 bytes of SHA-256 as a signed 64-bit key.
pub fn hash64(parts: &[&str]) -> i64 {
    let mut h = Sha256::new();
    for p in parts {
        h.update((p.len() as u64).to_le_bytes());
        h.update(p.as_bytes());
    }
    let d = h.finalize();
    let mut b = [0u8; 8];
    b.copy_from_slice(&d[..8]);
    i64::from_le_bytes(b)
}

/// How a subject is identified: by its USCC, or by the keyed hash of a person's ID.
pub enum SubjectCode<'a> {
    Uscc(&'a str),
    Person(&'a str),
}

impl SubjectCode<'_> {
    pub fn text(&self) -> String {
        match self {
            SubjectCode::Uscc(u) => format!("U:{u}"),
            SubjectCode::Person(h) => format!("P:{h}"),
        }
    }
    /// The 64-bit subject key within a county.
    pub fn key(&self, county: &str) -> i64 {
        hash64(&[county, &self.text()])
    }
}

/// The subject code of a row (`U:`USCC, `P:`keyed hash of the ID, `N:`name), with the
/// ID's lookup hash and its encryption for a natural person.
pub fn subject_code(
    uscc: Option<&str>,
    id_number: Option<&str>,
    kind: SubjectKind,
    name: &str,
    pii: &Pii,
) -> (String, Option<String>, Option<String>) {
    match (uscc, id_number, kind) {
        (_, Some(id), SubjectKind::Natural) => {
            let h = pii.lookup_hash(id);
            (SubjectCode::Person(&h).text(), Some(h.clone()), Some(pii.encrypt(id)))
        }
        (Some(u), _, _) => (SubjectCode::Uscc(u).text(), None, None),
        _ => (format!("N:{name}"), None, None),
    }
}

/// 归集键 The natural key of a row: county + kind + source department + document
/// number + subject (records and list entries alike).
pub fn natural_key(county: &str, kind: &str, source_dept: &str, doc_no: &str, subject_code: &str) -> i64 {
    hash64(&[county, kind, source_dept, doc_no, subject_code])
}

/// Key a valid row: subject key, natural key, content hash, encrypted ID.
pub fn prepare(
    county: &str,
    line: u64,
    mut valid: Valid,
    pii: &Pii,
    market_regulation: bool,
    today: NaiveDate,
    cal: &qingfeng_core::HolidayCalendar,
) -> Prepared {
    let (subject_code, id_hash, id_enc) =
        subject_code(valid.uscc.as_deref(), valid.id_number.as_deref(), valid.subject_kind, &valid.subject_name, pii);
    let subject_key = hash64(&[county, &subject_code]);
    let natural_key = natural_key(county, valid.kind.key(), &valid.source_dept, &valid.doc_no, &subject_code);
    // The map is only needed as its JSON text; it is taken here so that it is freed on
    // the reading thread, not by the single writer (measured: ~5 % of the writer's time).
    let payload = std::mem::take(&mut valid.payload);
    let content_hash = hash64(&[&payload]);
    let window = crate::rules::publicity::window(valid.kind, valid.decision_date, valid.severity, &valid.penalty_kinds, market_regulation);
    let published = window.in_force_on(today);
    let timely = crate::rules::timeliness::on_time(valid.decision_date, today, cal);
    Prepared { line, valid, subject_key, id_hash, id_enc, natural_key, content_hash, payload, window, published, received: today, timely }
}

/// What differs between importing records and importing list entries: how one row is
/// checked and keyed, and how a batch is stored. Everything else (reading, the reading
/// thread, counts, rejects, the import's own record) is [`run_lane`], written once.
pub(crate) trait Lane: Send + Sync + 'static {
    type Item: Send + 'static;
    /// The reason given for a row whose key matched another subject's or department's.
    const COLLISION: &'static str;
    /// Check and key one row, on the reading thread: its line and input cells, and the
    /// keyed item; or why it is rejected.
    fn prepare(&self, req: &Request, opts: &Options, pii: &Pii, item: Result<RawRow, Unreadable>)
    -> Result<(RawRow, Self::Item), Rejected>;
    /// Store one batch in the import's open transaction.
    fn store<'a>(
        &'a self,
        tx: &'a mut Tx,
        req: &'a Request,
        import_id: i64,
        known: &'a mut store::KnownSubjects,
        batch: &'a [Self::Item],
        now_ms: i64,
    ) -> impl std::future::Future<Output = Result<store::BatchOutcome, AppError>> + Send + 'a;
}

/// 信用记录 Records of one catalog kind.
struct Records(crate::model::RecordKind);

impl Lane for Records {
    type Item = Prepared;
    const COLLISION: &'static str = "与另一条记录的归集键哈希冲突，未覆盖已有记录，请联系管理员";
    fn prepare(&self, req: &Request, opts: &Options, pii: &Pii, item: Result<RawRow, Unreadable>) -> Result<(RawRow, Prepared), Rejected> {
        let (raw, valid) = check_row(req, item, |v| validate::validate(self.0, v, opts), |v: &Valid| &v.source_dept)?;
        let samr = req.market_regulation.contains(&valid.source_dept);
        let p = prepare(&req.county_code, raw.line, valid, pii, samr, req.today, &req.calendar);
        Ok((raw, p))
    }
    fn store<'a>(
        &'a self,
        tx: &'a mut Tx,
        req: &'a Request,
        import_id: i64,
        known: &'a mut store::KnownSubjects,
        batch: &'a [Prepared],
        now_ms: i64,
    ) -> impl std::future::Future<Output = Result<store::BatchOutcome, AppError>> + Send + 'a {
        store::store_batch(tx, &req.county_code, import_id, batch, known, &req.actor, now_ms)
    }
}

/// What the reading thread hands the writer: up to [`BATCH_ROWS`] checked rows.
struct Chunk<I> {
    /// Rows read into this chunk (valid and rejected).
    read: u64,
    prepared: Vec<I>,
    rejected: Vec<Rejected>,
    /// The input cells of each prepared row, by line, for the rare row the store refuses.
    originals: std::collections::HashMap<u64, Vec<String>>,
}

impl<I> Chunk<I> {
    fn new() -> Chunk<I> {
        Chunk { read: 0, prepared: Vec::with_capacity(BATCH_ROWS), rejected: Vec::new(), originals: Default::default() }
    }

    /// A chunk the writer has finished with, emptied for the next rows: its rows are
    /// freed here, on the thread that allocated them, and its room is used again.
    fn reuse(mut self) -> Chunk<I> {
        self.read = 0;
        self.prepared.clear();
        self.rejected.clear();
        self.originals.clear();
        self
    }
}

/// Read, check and key rows on a thread of their own, one chunk at a time, so that
/// parsing and validation of the next chunk overlap the database writing this one.
/// The writer hands each chunk back through `spent`: a chunk's ≈ 40 small allocations
/// per row are then freed by the thread that made them and its memory is reused; freed
/// on the writer's thread, they cost the writer a sixth of its time and the reading
/// thread fresh pages the kernel had to zero (docs/benchmarks.md).
fn produce<L: Lane>(
    mut rows: Rows,
    req: Request,
    pii: Pii,
    lane: std::sync::Arc<L>,
    out: tokio::sync::mpsc::Sender<Chunk<L::Item>>,
    spent: std::sync::mpsc::Receiver<Chunk<L::Item>>,
) {
    let opts = Options { lenient_uscc: req.lenient_uscc, today: req.today };
    let next = || spent.try_recv().map(Chunk::reuse).unwrap_or_else(|_| Chunk::new());
    let mut chunk = Chunk::new();
    while let Some(item) = rows.next_row(req.kind) {
        chunk.read += 1;
        match lane.prepare(&req, &opts, &pii, item) {
            Ok((raw, p)) => {
                chunk.originals.insert(raw.line, raw.original);
                chunk.prepared.push(p);
            }
            Err(rej) => chunk.rejected.push(rej),
        }
        if chunk.prepared.len() >= BATCH_ROWS || chunk.rejected.len() >= BATCH_ROWS {
            // The writer has gone (it failed): stop reading.
            if out.blocking_send(std::mem::replace(&mut chunk, next())).is_err() {
                return;
            }
        }
    }
    if chunk.read > 0 {
        let _ = out.blocking_send(chunk);
    }
}

/// Import every row of `input`, reporting rejects to `sink` and progress (rows read so
/// far) to `progress`.
pub async fn run(
    db: &Db,
    pii: &Pii,
    req: &Request,
    input: Box<dyn Read + Send>,
    sink: &mut (dyn RejectSink + Send),
    progress: &mut (dyn FnMut(u64) + Send),
) -> Result<Summary, AppError> {
    match req.kind {
        ImportKind::List(list) => run_lane(db, pii, req, input, sink, progress, lists::Entries(list)).await,
        ImportKind::Record(kind) => run_lane(db, pii, req, input, sink, progress, Records(kind)).await,
    }
}

/// The one import driver: open, record the import, read and check on a thread of its
/// own, store batch by batch, record the outcome (`done`, or `failed` with what was
/// committed).
async fn run_lane<L: Lane>(
    db: &Db,
    pii: &Pii,
    req: &Request,
    input: Box<dyn Read + Send>,
    sink: &mut (dyn RejectSink + Send),
    progress: &mut (dyn FnMut(u64) + Send),
    lane: L,
) -> Result<Summary, AppError> {
    let now = || req.clock.now_ms();
    let hasher = std::sync::Arc::new(std::sync::Mutex::new(Sha256::new()));
    let input: Box<dyn Read + Send> = Box::new(HashingReader { inner: input, hasher: hasher.clone() });
    let rows: Rows = reader::open(req.kind, req.format, input).map_err(|e| AppError::bad_request(e.code, e.message))?;
    sink.header(&rows.original_header).map_err(AppError::internal)?;
    let import_id = store::start_import(
        db,
        &req.county_code,
        req.kind.key(),
        req.source_dept.as_deref().unwrap_or(""),
        &req.file_name,
        "",
        rows.format.key(),
        req.door,
        &req.actor,
        now(),
    )
    .await?;
    let mut sum =
        Summary { import_id, encoding: rows.encoding.to_string(), unknown_columns: rows.header.unknown.clone(), ..Summary::default() };
    let lane = std::sync::Arc::new(lane);
    let (tx, mut rx) = tokio::sync::mpsc::channel::<Chunk<L::Item>>(1);
    let (spent, spent_rx) = std::sync::mpsc::channel::<Chunk<L::Item>>();
    let reading = {
        let (req, pii, lane) = (req.clone(), pii.clone(), lane.clone());
        tokio::task::spawn_blocking(move || produce(rows, req, pii, lane, tx, spent_rx))
    };
    // `sum` counts what is committed; `open` what the open transaction holds.
    let mut open = Summary::default();
    let mut known = store::KnownSubjects::default();
    let written: Result<(), AppError> = async {
        let mut tx: Option<(Tx, std::time::Instant)> = None;
        while let Some(mut chunk) = rx.recv().await {
            let (t, _) = match &mut tx {
                Some(open_tx) => open_tx,
                None => {
                    let mut t = db.begin().await?;
                    t.prefer_index_lookups().await?;
                    tx.insert((t, std::time::Instant::now()))
                }
            };
            open.read += chunk.read;
            open.rejected += chunk.rejected.len() as u64;
            for rej in &chunk.rejected {
                sink.reject(rej).map_err(AppError::internal)?;
            }
            let out = lane.store(t, req, import_id, &mut known, &chunk.prepared, now()).await?;
            open.stored += out.stored;
            open.updated += out.updated;
            open.duplicate += out.duplicate;
            for line in &out.collisions {
                open.rejected += 1;
                let rej = Rejected {
                    line: *line,
                    errors: vec![(String::new(), "row.key_collision", L::COLLISION.into())],
                    original: chunk.originals.remove(line).unwrap_or_default(),
                };
                sink.reject(&rej).map_err(AppError::internal)?;
            }
            if tx.as_ref().is_some_and(|(_, began)| began.elapsed() >= COMMIT_EVERY) {
                commit(&mut tx, &mut sum, &mut open).await?;
            }
            progress(sum.read + open.read);
            // Back to the reading thread, which frees its rows and fills it again (if
            // reading has ended, the chunk is dropped here).
            let _ = spent.send(chunk);
        }
        commit(&mut tx, &mut sum, &mut open).await
    }
    .await;
    if let Err(e) = written {
        // Say so in the import's record: what was committed stays, and running the same
        // file again completes it without duplicates.
        let counts = [sum.read, sum.stored, sum.updated, sum.duplicate, sum.rejected];
        let _ = store::finish_import(db, &req.county_code, import_id, "failed", counts, "", &req.actor, now()).await;
        return Err(e);
    }
    reading.await.map_err(AppError::internal)?;
    let digest = hasher.lock().map(|h| hex(&h.clone().finalize())).unwrap_or_default();
    let counts = [sum.read, sum.stored, sum.updated, sum.duplicate, sum.rejected];
    store::finish_import(db, &req.county_code, import_id, "done", counts, &digest, &req.actor, now()).await?;
    Ok(sum)
}

/// Commit the import's open transaction, if any, and move its counts to the committed ones.
async fn commit(tx: &mut Option<(Tx, std::time::Instant)>, sum: &mut Summary, open: &mut Summary) -> Result<(), AppError> {
    if let Some((t, _)) = tx.take() {
        t.commit().await?;
    }
    sum.read += open.read;
    sum.stored += open.stored;
    sum.updated += open.updated;
    sum.duplicate += open.duplicate;
    sum.rejected += open.rejected;
    *open = Summary::default();
    Ok(())
}

pub(crate) fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Validate one read row (with the kind's own rules), or say why it is rejected: an
/// unreadable row, its field errors, or another department's row.
pub(crate) fn check_row<V>(
    req: &Request,
    item: Result<RawRow, Unreadable>,
    validate: impl FnOnce(&[&str]) -> Result<V, Vec<RowError>>,
    source_dept: impl Fn(&V) -> &str,
) -> Result<(RawRow, V), Rejected> {
    let raw = item.map_err(unreadable)?;
    let values: Vec<&str> = raw.values.iter().map(String::as_str).collect();
    let valid = validate(&values).map_err(|errs| Rejected {
        line: raw.line,
        errors: errs.into_iter().map(|e| (e.field, e.code, e.message)).collect(),
        original: raw.original.clone(),
    })?;
    if let Some(rej) = foreign_department(req, raw.line, source_dept(&valid), &raw.original) {
        return Err(rej);
    }
    Ok((raw, valid))
}

/// Department staff may send only their own department's rows.
fn foreign_department(req: &Request, line: u64, source_dept: &str, original: &[String]) -> Option<Rejected> {
    let dept = req.source_dept.as_ref().filter(|d| d.as_str() != source_dept)?;
    Some(Rejected {
        line,
        errors: vec![(String::new(), "row.source_dept", format!("数据来源单位 {source_dept} 不是本部门（{dept}），不能代为报送"))],
        original: original.to_vec(),
    })
}

/// A row that could not be read, as a rejection.
fn unreadable(u: Unreadable) -> Rejected {
    Rejected { line: u.line, errors: vec![(String::new(), "row.unreadable", u.message)], original: u.original }
}

/// Feeds the bytes read into a SHA-256 (the file hash recorded with the import).
pub(crate) struct HashingReader {
    pub(crate) inner: Box<dyn Read + Send>,
    pub(crate) hasher: std::sync::Arc<std::sync::Mutex<Sha256>>,
}

impl Read for HashingReader {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        if let Ok(mut h) = self.hasher.lock() {
            h.update(&buf[..n]);
        }
        Ok(n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::RecordKind;
    use qingfeng_platform::audit;
    use qingfeng_platform::sql::Sql;
    use qingfeng_platform::testing;

    fn uscc(prefix2: &str, body8: &str) -> String {
        qingfeng_core::compose_uscc(prefix2, "410922", body8).unwrap()
    }

    fn dept() -> String {
        uscc("11", "MB000001")
    }

    /// A valid 行政处罚 row, with `changes` applied.
    fn cf(doc: &str, changes: &[(&str, &str)]) -> Vec<(String, String)> {
        let mut row: Vec<(String, String)> = [
            ("CF_XDR_MC", "清丰县鑫源建材有限公司"),
            ("CF_XDR_LB", "法人及非法人组织"),
            ("CF_FRDB", "王建国"),
            ("CF_WFXW", "未按规定公示年度报告"),
            ("CF_SY", "当事人未按规定公示年度报告"),
            ("CF_YJ", "《企业信息公示暂行条例》第十条"),
            ("CF_CFLB", "罚款;警告"),
            ("CF_NR", "罚款五千元"),
            ("CF_NR_FK", "0.5"),
            ("CF_JDRQ", "2025/06/01"),
            ("CF_YXQ", "2026/06/01"),
            ("CF_CFJG", "清丰县市场监督管理局"),
            ("CF_SJLY", "清丰县市场监督管理局"),
        ]
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
        row.push(("CF_XDR_SHXYM".into(), uscc("91", "MA40AB12")));
        row.push(("CF_CFJGDM".into(), dept()));
        row.push(("CF_SJLYDM".into(), dept()));
        row.push(("CF_WSH".into(), doc.into()));
        for (k, v) in changes {
            row.retain(|(c, _)| c != k);
            row.push((k.to_string(), v.to_string()));
        }
        row
    }

    fn csv_text(kind: RecordKind, rows: &[Vec<(String, String)>]) -> String {
        let fs = fields::fields(kind);
        let mut w = csv::Writer::from_writer(Vec::new());
        w.write_record(fs.iter().map(|f| f.zh.as_str())).unwrap();
        for r in rows {
            w.write_record(fs.iter().map(|f| r.iter().find(|(c, _)| *c == f.code).map(|(_, v)| v.as_str()).unwrap_or(""))).unwrap();
        }
        String::from_utf8(w.into_inner().unwrap()).unwrap()
    }

    fn request(kind: impl Into<ImportKind>) -> Request {
        Request {
            county_code: "410922".into(),
            kind: kind.into(),
            source_dept: None,
            file_name: "test.csv".into(),
            format: Format::Csv,
            door: "cli",
            actor: Actor::System("test"),
            lenient_uscc: false,
            today: NaiveDate::from_ymd_opt(2026, 11, 30).unwrap(),
            market_regulation: Default::default(),
            calendar: std::sync::Arc::new(qingfeng_core::HolidayCalendar::builtin()),
            clock: qingfeng_platform::Clock::System,
        }
    }

    async fn import(db: &Db, pii: &Pii, req: &Request, bytes: Vec<u8>) -> (Summary, Vec<Rejected>) {
        let mut sink = Collect { rows: Vec::new(), limit: 1000 };
        let sum = run(db, pii, req, Box::new(std::io::Cursor::new(bytes)), &mut sink, &mut |_| {}).await.unwrap();
        assert!(sum.reconciles(), "{sum:?}");
        (sum, sink.rows)
    }

    fn pii() -> (Pii, tempfile::TempDir) {
        let dir = tempfile::tempdir().unwrap();
        (Pii::load_or_create("", dir.path()).unwrap(), dir)
    }

    /// `rows` checked and keyed as the reading thread does it, ready for a batch.
    fn prepared(req: &Request, pii: &Pii, rows: &[Vec<(String, String)>]) -> Vec<Prepared> {
        let text = csv_text(RecordKind::Cf, rows);
        let mut read = reader::open(req.kind, Format::Csv, Box::new(std::io::Cursor::new(text.into_bytes()))).unwrap();
        let opts = Options { lenient_uscc: false, today: req.today };
        let lane = Records(RecordKind::Cf);
        std::iter::from_fn(|| read.next_row(req.kind)).map(|item| lane.prepare(req, &opts, pii, item).unwrap().1).collect()
    }

    /// An import looks a subject up once, not in every batch: what a later batch does
    /// with a subject an earlier one created or found is what it did before. A row
    /// stored by an earlier batch is a duplicate, a new name is recorded with the old
    /// one kept, and the same new name again records nothing more.
    #[tokio::test]
    async fn an_import_remembers_its_subjects_from_batch_to_batch() {
        let (pii, _dir) = pii();
        let renamed = [("CF_XDR_MC", "清丰县鑫源新材料有限公司")];
        for t in testing::all().await.unwrap() {
            let req = request(RecordKind::Cf);
            let now = 1_764_547_200_000;
            let mut known = store::KnownSubjects::default();
            let mut tx = t.db.begin().await.unwrap();
            let batches = [
                (vec![cf("清市监罚〔2026〕1号", &[])], (1, 0)),
                (vec![cf("清市监罚〔2026〕1号", &[])], (0, 1)),
                (vec![cf("清市监罚〔2026〕2号", &renamed)], (1, 0)),
                (vec![cf("清市监罚〔2026〕3号", &renamed)], (1, 0)),
            ];
            for (i, (rows, (stored, duplicate))) in batches.iter().enumerate() {
                let batch = prepared(&req, &pii, rows);
                let out = store::store_batch(&mut tx, "410922", 0, &batch, &mut known, &req.actor, now + i as i64).await.unwrap();
                assert_eq!((out.stored, out.duplicate, out.updated), (*stored, *duplicate, 0), "{}: batch {i}", t.name);
                assert_eq!(known.len(), 1, "{}: one subject remembered", t.name);
            }
            tx.commit().await.unwrap();
            let (records, subjects) = store::totals(&t.db, "410922").await.unwrap();
            assert_eq!((records, subjects), (3, 1), "{}", t.name);
            let names: Vec<(String,)> =
                Sql::new("SELECT n.name FROM credit_subject_names n ORDER BY n.first_seen, n.name").fetch_all(&t.db).await.unwrap();
            assert_eq!(names, vec![("清丰县鑫源建材有限公司".to_string(),), ("清丰县鑫源新材料有限公司".to_string(),)], "{}", t.name);
            let current: Vec<(String,)> = Sql::new("SELECT name FROM credit_subjects").fetch_all(&t.db).await.unwrap();
            assert_eq!(current, vec![("清丰县鑫源新材料有限公司".to_string(),)], "{}", t.name);
        }
    }

    #[tokio::test]
    async fn stores_once_counts_duplicates_and_keeps_corrections_in_the_audit_chain() {
        let (pii, _dir) = pii();
        for t in testing::all().await.unwrap() {
            let req = request(RecordKind::Cf);
            let text = csv_text(RecordKind::Cf, &[cf("清市监罚〔2025〕1号", &[]), cf("清市监罚〔2025〕2号", &[])]);
            let (s, rej) = import(&t.db, &pii, &req, text.clone().into_bytes()).await;
            assert_eq!((s.read, s.stored, s.rejected), (2, 2, 0), "{}: {rej:?}", t.name);
            // The same file again: nothing stored twice.
            let (s, _) = import(&t.db, &pii, &req, text.into_bytes()).await;
            assert_eq!((s.read, s.stored, s.duplicate), (2, 0, 2), "{}", t.name);
            // A corrected row updates, and the old version stays in the audit chain.
            let text = csv_text(RecordKind::Cf, &[cf("清市监罚〔2025〕1号", &[("CF_NR", "罚款六千元"), ("CF_NR_FK", "0.6")])]);
            let (s, _) = import(&t.db, &pii, &req, text.into_bytes()).await;
            assert_eq!((s.read, s.updated), (1, 1), "{}", t.name);
            let (records, subjects) = store::totals(&t.db, "410922").await.unwrap();
            assert_eq!((records, subjects), (2, 1), "{}: one subject, two records", t.name);
            let corrections: Vec<_> =
                audit::recent(&t.db, None, 50, 0).await.unwrap().into_iter().filter(|e| e.action == "credit.record_correct").collect();
            assert_eq!(corrections.len(), 1, "{}", t.name);
            assert!(corrections[0].detail.contains("罚款五千元"), "old version kept: {}", corrections[0].detail);
            let amount: Option<i64> = qingfeng_platform::on_db!(&t.db, |p| sqlx::query_scalar(
                "SELECT amount_fen FROM credit_records WHERE doc_no = '清市监罚〔2025〕1号'"
            )
            .fetch_one(p)
            .await)
            .unwrap();
            assert_eq!(amount, Some(600_000), "0.6 万元 = 6000 元 = 600000 分");
            // Twice in one file, with different content: one stored, the later one wins.
            let text = csv_text(RecordKind::Cf, &[cf("清市监罚〔2025〕9号", &[]), cf("清市监罚〔2025〕9号", &[("CF_NR", "改正后")])]);
            let (s, _) = import(&t.db, &pii, &req, text.into_bytes()).await;
            assert_eq!((s.read, s.stored, s.updated), (2, 1, 1), "{}", t.name);
            // The kept per-department counts agree with the records, row by row.
            let (records, _) = store::totals(&t.db, "410922").await.unwrap();
            let kept: i64 = store::records_by_dept(&t.db, "410922", None).await.unwrap().iter().map(|r| r.records).sum();
            assert_eq!(kept, records, "{}", t.name);
            let imports = store::list_imports(&t.db, "410922", None, 10).await.unwrap();
            assert_eq!(imports.len(), 4);
            assert_eq!(imports[0].status, "done");
            assert_eq!(imports[0].file_sha256.len(), 64);
            assert!(audit::verify(&t.db).await.unwrap().is_intact());
        }
    }

    /// doc_no, published, min end, max end, regime.
    type WindowRow = (String, bool, Option<String>, Option<String>, String);

    #[tokio::test]
    async fn publicity_windows_are_stored_and_expire() {
        let (pii, _dir) = pii();
        for t in testing::all().await.unwrap() {
            let mut req = request(RecordKind::Cf);
            let rows = vec![
                // 2019 regime, general: max 2023-06-15, long over.
                cf("旧1号", &[("CF_JDRQ", "2022-06-15"), ("CF_CFLB", "罚款")]),
                // 2026 regime, general: 3 months – 1 year.
                cf("新1号", &[("CF_JDRQ", "2026-05-10"), ("CF_CFLB", "罚款")]),
                // 2026 regime, minor: not published.
                cf("新2号", &[("CF_JDRQ", "2026-05-10"), ("CF_CFLB", "警告"), ("CF_NR_FK", "")]),
            ];
            let (s, rej) = import(&t.db, &pii, &req, csv_text(RecordKind::Cf, &rows).into_bytes()).await;
            assert_eq!(s.stored, 3, "{}: {rej:?}", t.name);
            let got: Vec<WindowRow> = qingfeng_platform::on_db!(&t.db, |p| sqlx::query_as(
                "SELECT doc_no, published, publicity_min_end, publicity_max_end, publicity_regime FROM credit_records ORDER BY doc_no"
            )
            .fetch_all(p)
            .await)
            .unwrap();
            assert_eq!(got[0], ("新1号".into(), true, Some("2026-08-10".into()), Some("2027-05-10".into()), "2026".into()), "{}", t.name);
            assert_eq!((got[1].1, got[1].3.as_deref(), got[1].4.as_str()), (false, None, "2026"), "minor: not published");
            assert_eq!((got[2].1, got[2].3.as_deref(), got[2].4.as_str()), (false, Some("2023-06-15"), "2019"), "past its maximum");
            // A market-regulation department's penalty follows SAMR Art. 13: 3 years.
            req.market_regulation.insert(dept());
            let (s, _) =
                import(&t.db, &pii, &req, csv_text(RecordKind::Cf, &[cf("市监1号", &[("CF_JDRQ", "2026-05-10")])]).into_bytes()).await;
            assert_eq!(s.stored, 1);
            let (regime, max): (String, Option<String>) = qingfeng_platform::on_db!(&t.db, |p| sqlx::query_as(
                "SELECT publicity_regime, publicity_max_end FROM credit_records WHERE doc_no = '市监1号'"
            )
            .fetch_one(p)
            .await)
            .unwrap();
            assert_eq!((regime.as_str(), max.as_deref()), ("samr", Some("2029-05-10")));
            // The nightly job: on 2027-05-11 the 2026 general record leaves publicity.
            assert_eq!(store::expire_publicity(&t.db, "2027-05-10").await.unwrap(), 0, "still in on its last day");
            assert_eq!(store::expire_publicity(&t.db, "2027-05-11").await.unwrap(), 1, "{}", t.name);
        }
    }

    #[tokio::test]
    async fn every_rejected_row_has_its_line_field_code_and_reason() {
        let (pii, _dir) = pii();
        let t = testing::sqlite().await.unwrap();
        let bad_uscc = {
            let good = uscc("91", "MA40AB12");
            let last = if good.ends_with('0') { '1' } else { '0' };
            format!("{}{last}", &good[..17])
        };
        let rows = vec![
            cf("1号", &[]),
            cf("2号", &[("CF_XDR_SHXYM", &bad_uscc)]),
            cf("3号", &[("CF_XDR_MC", "")]),
            cf("4号", &[("CF_JDRQ", "2024/13/45")]),
            cf("5号", &[("CF_NR_FK", "1.2345678")]),
            cf("6号", &[("CF_NR_FK", "-1")]),
            cf("7号", &[("CF_CFLB", "打屁股")]),
            cf("8号", &[("CF_XDR_LB", "自然人"), ("CF_XDR_ZJLX", "身份证"), ("CF_XDR_ZJHM", "410922195001010014")]),
            cf("9号", &[("CF_JDRQ", "2027/01/01")]),
            cf("10号", &[("CF_CFLB", "罚款"), ("CF_NR_FK", "")]),
        ];
        let (s, rej) = import(&t.db, &pii, &request(RecordKind::Cf), csv_text(RecordKind::Cf, &rows).into_bytes()).await;
        assert_eq!((s.read, s.stored, s.rejected), (10, 1, 9));
        let codes: Vec<(u64, &str, &str)> = rej.iter().map(|r| (r.line, r.errors[0].0.as_str(), r.errors[0].1)).collect();
        assert_eq!(
            codes,
            vec![
                (3, "CF_XDR_SHXYM", "uscc.check_digit"),
                (4, "CF_XDR_MC", "row.required"),
                (5, "CF_JDRQ", "row.date"),
                (6, "CF_NR_FK", "money.precision"),
                (7, "CF_NR_FK", "row.amount_negative"),
                (8, "CF_CFLB", "row.penalty_kind"),
                (9, "CF_XDR_ZJHM", "id.check_digit"),
                (10, "CF_JDRQ", "row.date_future"),
                (11, "CF_NR_FK", "row.required"),
            ]
        );
        for r in &rej {
            assert!(r.reason().chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)), "{}", r.reason());
        }
        // The rejects file: the input's columns plus 行号 and 错误原因.
        let mut out = CsvRejects(csv::Writer::from_writer(Vec::new()));
        let text = csv_text(RecordKind::Cf, &rows[1..3]);
        run(&t.db, &pii, &request(RecordKind::Cf), Box::new(std::io::Cursor::new(text.into_bytes())), &mut out, &mut |_| {}).await.unwrap();
        let written = String::from_utf8(out.0.into_inner().unwrap()).unwrap();
        let lines: Vec<&str> = written.lines().collect();
        assert_eq!(lines.len(), 3);
        assert!(lines[0].ends_with("行号,错误原因"));
        assert!(lines[1].contains("uscc.check_digit") && lines[1].contains(&bad_uscc));
    }

    #[tokio::test]
    async fn xk_people_gbk_and_department_limits() {
        let (pii, _dir) = pii();
        let t = testing::sqlite().await.unwrap();
        let xk = |doc: &str, changes: &[(&str, &str)]| {
            let mut row: Vec<(String, String)> = [
                ("XK_XDR_MC", "张三"),
                ("XK_XDR_LB", "自然人"),
                ("XK_XDR_ZJLX", "身份证"),
                ("XK_XDR_ZJHM", "41092219450315002x"),
                ("XK_XKWS", "食品经营许可决定书"),
                ("XK_XKLB", "普通"),
                ("XK_NR", "食品销售"),
                ("XK_JDRQ", "20250301"),
                ("XK_YXQZ", "2025-03-01"),
                ("XK_YXQZI", "2099/12/31"),
                ("XK_XKJG", "清丰县市场监督管理局"),
                ("XK_ZT", "1"),
                ("XK_LYDW", "清丰县市场监督管理局"),
            ]
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
            row.push(("XK_XKJGDM".into(), dept()));
            row.push(("XK_LYDWDM".into(), dept()));
            row.push(("XK_WSH".into(), doc.into()));
            for (k, v) in changes {
                row.retain(|(c, _)| c != k);
                row.push((k.to_string(), v.to_string()));
            }
            row
        };
        let text = csv_text(RecordKind::Xk, &[xk("许1", &[]), xk("许2", &[("XK_YXQZI", "2024/01/01")]), xk("许3", &[("XK_XKLB", "随便")])]);
        let (gbk, _, _) = encoding_rs::GBK.encode(&text);
        let (s, rej) = import(&t.db, &pii, &request(RecordKind::Xk), gbk.into_owned()).await;
        assert_eq!((s.stored, s.rejected, s.encoding.as_str()), (1, 2, "GBK"), "{rej:?}");
        assert_eq!(rej[0].errors[0].1, "row.validity_order");
        assert_eq!(rej[1].errors[0].1, "row.permit_category");
        // The person's ID is stored encrypted and masked, never in clear.
        let clear: i64 = qingfeng_platform::on_db!(&t.db, |p| sqlx::query_scalar(
            "SELECT COUNT(*) FROM credit_records r JOIN credit_subjects s ON s.id = r.subject_id WHERE r.payload LIKE '%41092219450315002%' OR s.id_enc LIKE '%410922%'"
        )
        .fetch_one(p)
        .await)
        .unwrap();
        assert_eq!(clear, 0);
        let masked: String =
            qingfeng_platform::on_db!(&t.db, |p| sqlx::query_scalar("SELECT payload FROM credit_records").fetch_one(p).await).unwrap();
        assert!(masked.contains("4109**********002X"), "{masked}");
        // Department staff may send only their own department's data.
        let mut req = request(RecordKind::Xk);
        req.source_dept = Some(uscc("11", "MB000002"));
        let (s, rej) = import(&t.db, &pii, &req, csv_text(RecordKind::Xk, &[xk("许9", &[])]).into_bytes()).await;
        assert_eq!((s.stored, rej[0].errors[0].1), (0, "row.source_dept"));
        // A file of the other kind is refused at the header, in Chinese.
        let mut sink = Collect::default();
        let e = run(
            &t.db,
            &pii,
            &request(RecordKind::Cf),
            Box::new(std::io::Cursor::new(csv_text(RecordKind::Xk, &[]).into_bytes())),
            &mut sink,
            &mut |_| {},
        )
        .await
        .unwrap_err();
        assert_eq!(e.code, "import.header_missing");
    }
}
