//! SQL of the credit platform, for both backends. Handlers and the import pipeline call
//! these functions; nothing else touches the credit tables.

use std::collections::HashMap;

use qingfeng_platform::audit::{self, Actor, Change};
use qingfeng_platform::bulk::{self, Val};
use qingfeng_platform::db::{Db, Tx};
use qingfeng_platform::sql::{Arg, Sql};
use qingfeng_platform::{AppError, on_tx};
use serde::Serialize;

use crate::model::SubjectKind;
use crate::rules::kinds::ValidListEntry;
use crate::rules::validate::Valid;

pub mod lookup;

/// A validated row with its keys, ready to store.
#[derive(Debug, Clone)]
pub struct Prepared {
    pub line: u64,
    pub valid: Valid,
    /// 64-bit hash of the subject's identifying code (USCC, or the keyed hash of the ID).
    pub subject_key: i64,
    pub id_hash: Option<String>,
    pub id_enc: Option<String>,
    /// 64-bit hash of source department + document number + subject + kind.
    pub natural_key: i64,
    /// 64-bit hash of the stored content.
    pub content_hash: i64,
    pub payload: String,
    pub window: crate::rules::publicity::Window,
    /// In publicity on the day of the import.
    pub published: bool,
    /// The day it arrived, and whether that was within the 双公示 limit.
    pub received: chrono::NaiveDate,
    pub timely: bool,
}

/// What one batch did.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct BatchOutcome {
    pub stored: u64,
    pub updated: u64,
    pub duplicate: u64,
    /// Lines whose natural-key hash matched a different record (never overwritten).
    pub collisions: Vec<u64>,
}

/// 归集键判定 What the import does with one keyed row — the one natural-key decision,
/// shared by records ([`store_batch`]) and list entries ([`store_list_batch`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyDecision {
    /// New key: insert.
    Insert,
    /// Same key, same content: nothing to do.
    Duplicate,
    /// Same key, changed content: update, the old version kept in the audit chain.
    Correct,
    /// Same key as a row earlier in the same batch, changed content: the later row
    /// replaces it before it is inserted (counted as an update).
    ReplacePending,
    /// The key's hash matches a stored row with other identifying fields: never
    /// overwritten, the row is rejected.
    Collision,
}

/// Decide for a row with `content_hash`, given what is stored under its key
/// (`Some((same identifying fields, stored content hash))`) and the content hash of a
/// row with the same key earlier in the batch.
pub fn decide(stored: Option<(bool, i64)>, pending: Option<i64>, content_hash: i64) -> KeyDecision {
    match (stored, pending) {
        (Some((false, _)), _) => KeyDecision::Collision,
        (Some((true, stored)), _) if stored == content_hash => KeyDecision::Duplicate,
        (Some((true, _)), _) => KeyDecision::Correct,
        (None, Some(earlier)) if earlier == content_hash => KeyDecision::Duplicate,
        (None, Some(_)) => KeyDecision::ReplacePending,
        (None, None) => KeyDecision::Insert,
    }
}

/// End the publicity of every record whose maximum period passed before `today`
/// (`YYYY-MM-DD`); returns how many left publicity.
pub async fn expire_publicity(db: &Db, today: &str) -> Result<u64, AppError> {
    Ok(db
        .execute(
            "UPDATE credit_records SET published = FALSE WHERE published AND publicity_max_end IS NOT NULL AND publicity_max_end < $1",
            &[Arg::from(today)],
        )
        .await?)
}

/// The columns an import writes to `credit_subjects`.
const SUBJECT_COLUMNS: &[&str] = &["county_code", "kind", "key_hash", "uscc", "id_hash", "id_enc", "name", "created_at", "updated_at"];

/// A row that names a subject (a record or a list entry), for [`subjects`].
pub trait SubjectRow {
    fn subject_key(&self) -> i64;
    fn subject_kind(&self) -> SubjectKind;
    fn subject_name(&self) -> &str;
    fn uscc(&self) -> Option<&str>;
    fn id_hash(&self) -> Option<&str>;
    fn id_enc(&self) -> Option<&str>;
}

impl SubjectRow for Prepared {
    fn subject_key(&self) -> i64 {
        self.subject_key
    }
    fn subject_kind(&self) -> SubjectKind {
        self.valid.subject_kind
    }
    fn subject_name(&self) -> &str {
        &self.valid.subject_name
    }
    fn uscc(&self) -> Option<&str> {
        self.valid.uscc.as_deref()
    }
    fn id_hash(&self) -> Option<&str> {
        self.id_hash.as_deref()
    }
    fn id_enc(&self) -> Option<&str> {
        self.id_enc.as_deref()
    }
}

/// 已知主体 The subjects one import has already found or created, by subject key: the id
/// and the name it last saw or wrote. An import names the same subjects batch after
/// batch (≈ 20 records each), and asking the database again for each batch was a fifth
/// of a bulk import's time (docs/benchmarks.md). Subjects are never deleted, so a
/// remembered id stays right; a remembered name is this import's own view, so a rename
/// another door makes while the import runs is compared with the name the import last
/// saw, as if that door had come first.
#[derive(Debug, Default)]
pub struct KnownSubjects {
    by_key: HashMap<i64, (i64, String)>,
}

impl KnownSubjects {
    /// Past this many subjects the import forgets them all and starts again (≈ 100 bytes
    /// each): memory stays bounded in a province-wide import, at the cost of one lookup.
    pub const MAX: usize = 1_000_000;

    /// How many subjects are remembered.
    pub fn len(&self) -> usize {
        self.by_key.len()
    }

    pub fn is_empty(&self) -> bool {
        self.by_key.is_empty()
    }
}

/// Find or create the subjects of a batch; returns subject key → id, and the keys of
/// the subjects created here (which have nothing stored yet). Subjects in `known` are
/// not looked up again.
async fn subjects<P: SubjectRow>(
    tx: &mut Tx,
    county: &str,
    batch: &[P],
    known: &mut KnownSubjects,
    now_ms: i64,
) -> Result<(HashMap<i64, i64>, std::collections::HashSet<i64>), AppError> {
    let mut wanted: Vec<&P> = Vec::new();
    let mut seen = std::collections::HashSet::new();
    for p in batch {
        if seen.insert(p.subject_key()) {
            wanted.push(p);
        }
    }
    if known.by_key.len() > KnownSubjects::MAX {
        known.by_key.clear();
    }
    let lookup: Vec<i64> = wanted.iter().map(|p| p.subject_key()).filter(|k| !known.by_key.contains_key(k)).collect();
    let mut q = Sql::new("SELECT key_hash, id, name FROM credit_subjects WHERE county_code = ");
    q.bind(county).push(" AND ");
    for (k, id, name) in tx.fetch_by_keys::<(i64, i64, String)>(&q, "key_hash", &lookup, "").await? {
        known.by_key.insert(k, (id, name));
    }
    let mut ids: HashMap<i64, i64> = HashMap::with_capacity(wanted.len());
    let (found, new): (Vec<&P>, Vec<&P>) = wanted.into_iter().partition(|p| known.by_key.contains_key(&p.subject_key()));
    for p in found {
        let Some((id, old)) = known.by_key.get_mut(&p.subject_key()) else { continue };
        let id = *id;
        ids.insert(p.subject_key(), id);
        // 名称变更: keep the history, show the latest name.
        let name = p.subject_name();
        if old != name {
            tx.execute(
                "INSERT INTO credit_subject_names (subject_id, name, first_seen) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING",
                &[Arg::from(id), Arg::from(name), Arg::from(now_ms)],
            )
            .await?;
            tx.execute(
                "UPDATE credit_subjects SET name = $1, updated_at = $2 WHERE id = $3",
                &[Arg::from(name), Arg::from(now_ms), Arg::from(id)],
            )
            .await?;
            *old = name.to_string();
        }
    }
    if new.is_empty() {
        return Ok((ids, Default::default()));
    }
    let created_keys = new.iter().map(|p| p.subject_key()).collect();
    bulk::load(tx, "credit_subjects", SUBJECT_COLUMNS, &new, |p, out| {
        out.extend([
            Val::Text(county),
            Val::Text(p.subject_kind().key()),
            Val::Int(p.subject_key()),
            p.uscc().into(),
            p.id_hash().into(),
            p.id_enc().into(),
            Val::Text(p.subject_name()),
            Val::Int(now_ms),
            Val::Int(now_ms),
        ]);
    })
    .await?;
    let mut created: Vec<(i64, i64)> = Vec::with_capacity(new.len());
    let mut q = Sql::new("SELECT id, key_hash FROM credit_subjects WHERE county_code = ");
    q.bind(county).push(" AND ");
    let keys: Vec<i64> = new.iter().map(|p| p.subject_key()).collect();
    for (id, k) in tx.fetch_by_keys::<(i64, i64)>(&q, "key_hash", &keys, "").await? {
        ids.insert(k, id);
        created.push((id, k));
    }
    let first_names: HashMap<i64, &str> = new.iter().map(|p| (p.subject_key(), p.subject_name())).collect();
    for (id, k) in &created {
        known.by_key.insert(*k, (*id, first_names.get(k).copied().unwrap_or_default().to_string()));
    }
    bulk::load(tx, "credit_subject_names", &["subject_id", "name", "first_seen"], &created, |(id, k), out| {
        out.extend([Val::Int(*id), Val::Text(first_names.get(k).copied().unwrap_or_default()), Val::Int(now_ms)]);
    })
    .await?;
    Ok((ids, created_keys))
}

/// The columns of `credit_records` that vary from record to record, in the order
/// [`insert_records`] gives them; the rest are [`insert_records`]' fixed columns.
const RECORD_COLUMNS: &[&str] = &[
    "natural_key",
    "content_hash",
    "subject_id",
    "source_dept",
    "authority",
    "doc_no",
    "decision_date",
    "valid_from",
    "valid_to",
    "severity",
    "amount_fen",
    "published",
    "publicity_min_end",
    "publicity_max_end",
    "publicity_regime",
    "timely",
    "payload",
];

/// Write the new records of a batch (keys already settled) by the backend's bulk path.
/// What is the same for every record of one import (county, kind and so polarity, the
/// day received, the import, the time) is given once per load ([`bulk::load_with`]);
/// rows are loaded in runs of one kind and day, which an import's batch is.
pub async fn insert_records(tx: &mut Tx, county: &str, import_id: i64, rows: &[(&Prepared, i64)], now_ms: i64) -> Result<u64, AppError> {
    let mut written = 0;
    for run in rows.chunk_by(|(a, _), (b, _)| a.valid.kind == b.valid.kind && a.received == b.received) {
        let Some((first, _)) = run.first() else { continue };
        let kind = first.valid.kind;
        let fixed = [
            ("county_code", Val::Text(county)),
            ("kind", Val::Text(kind.key())),
            ("polarity", Val::Text(kind.polarity().key())),
            ("received_date", Val::Date(first.received)),
            ("import_id", Val::Int(import_id)),
            ("created_at", Val::Int(now_ms)),
            ("updated_at", Val::Int(now_ms)),
        ];
        written += bulk::load_with(tx, "credit_records", &fixed, RECORD_COLUMNS, run, |(p, subject_id), out| {
            let v = &p.valid;
            let w = &p.window;
            out.extend([
                Val::Int(p.natural_key),
                Val::Int(p.content_hash),
                Val::Int(*subject_id),
                Val::Text(&v.source_dept),
                Val::Text(&v.authority),
                Val::Text(&v.doc_no),
                Val::Date(v.decision_date),
                v.valid_from.into(),
                v.valid_to.into(),
                v.severity.map(|x| x.key()).into(),
                v.amount_fen.into(),
                Val::Bool(p.published),
                w.min_end.into(),
                w.max_end.into(),
                Val::Text(w.regime.as_str()),
                Val::Bool(p.timely),
                Val::Json(&p.payload),
            ]);
        })
        .await?;
    }
    Ok(written)
}

#[derive(sqlx::FromRow)]
struct Existing {
    id: i64,
    natural_key: i64,
    content_hash: i64,
    kind: String,
    source_dept: String,
    doc_no: String,
    subject_id: i64,
    payload: String,
}

/// Store one batch in the caller's transaction: new records inserted, identical ones
/// counted as duplicates, changed ones updated as corrections with the old version kept
/// in the audit chain. Running the same batch again stores nothing twice.
///
/// A row's natural key contains its subject, so it is looked up under its subject (the
/// one index `UNIQUE (subject_id, natural_key)`), and not at all when its subject was
/// created by this very batch.
pub async fn store_batch(
    tx: &mut Tx,
    county: &str,
    import_id: i64,
    batch: &[Prepared],
    known: &mut KnownSubjects,
    actor: &Actor,
    now_ms: i64,
) -> Result<BatchOutcome, AppError> {
    let mut out = BatchOutcome::default();
    if batch.is_empty() {
        return Ok(out);
    }
    let (subject_ids, created) = subjects(tx, county, batch, known, now_ms).await?;
    let mut by_key: HashMap<i64, Existing> = HashMap::new();
    let q = Sql::new("SELECT id, natural_key, content_hash, kind, source_dept, doc_no, subject_id, payload FROM credit_records WHERE ");
    let pairs: Vec<(i64, i64)> = batch
        .iter()
        .filter(|p| !created.contains(&p.subject_key))
        .filter_map(|p| Some((*subject_ids.get(&p.subject_key)?, p.natural_key)))
        .collect();
    let existing: Vec<Existing> = tx.fetch_by_key_pairs(&q, ("subject_id", "natural_key"), &pairs).await?;
    by_key.extend(existing.into_iter().map(|e| (e.natural_key, e)));
    let mut inserts: Vec<(&Prepared, i64)> = Vec::new();
    let mut pending: HashMap<i64, usize> = HashMap::new();
    for p in batch {
        let subject_id = subject_ids.get(&p.subject_key).copied().unwrap_or_default();
        let v = &p.valid;
        let stored = by_key.get(&p.natural_key).map(|e| {
            (e.kind == v.kind.key() && e.source_dept == v.source_dept && e.doc_no == v.doc_no && e.subject_id == subject_id, e.content_hash)
        });
        let earlier = pending.get(&p.natural_key).copied();
        match decide(stored, earlier.map(|i| inserts[i].0.content_hash), p.content_hash) {
            KeyDecision::Collision => out.collisions.push(p.line),
            KeyDecision::Duplicate => out.duplicate += 1,
            KeyDecision::Correct => {
                let Some(e) = by_key.get_mut(&p.natural_key) else { continue };
                tx.execute(
                    "UPDATE credit_records SET content_hash = $1, decision_date = $2, valid_from = $3, valid_to = $4, severity = $5, amount_fen = $6, \
                     payload = $7, authority = $8, import_id = $9, updated_at = $10, published = $12, publicity_min_end = $13, \
                     publicity_max_end = $14, publicity_regime = $15 WHERE id = $11",
                    &[
                        Arg::from(p.content_hash),
                        Arg::from(v.decision_date.to_string()),
                        Arg::from(v.valid_from.map(|d| d.to_string())),
                        Arg::from(v.valid_to.map(|d| d.to_string())),
                        Arg::from(v.severity.map(|s| s.key())),
                        Arg::from(v.amount_fen),
                        Arg::from(p.payload.as_str()),
                        Arg::from(v.authority.as_str()),
                        Arg::from(import_id),
                        Arg::from(now_ms),
                        Arg::from(e.id),
                        Arg::from(p.published),
                        Arg::from(p.window.min_end.map(|d| d.to_string())),
                        Arg::from(p.window.max_end.map(|d| d.to_string())),
                        Arg::from(p.window.regime.as_str()),
                    ],
                )
                .await?;
                let old: serde_json::Value = serde_json::from_str(&e.payload).unwrap_or_default();
                let detail = serde_json::json!({"import": import_id, "line": p.line, "doc_no": v.doc_no, "old": old});
                audit::append(
                    tx,
                    now_ms,
                    &Change {
                        county_code: county,
                        actor,
                        action: "credit.record_correct",
                        entity: "credit_record",
                        entity_id: &e.id.to_string(),
                        detail,
                    },
                )
                .await?;
                e.content_hash = p.content_hash;
                e.payload = p.payload.clone();
                out.updated += 1;
            }
            // The same key twice within the batch: the later row is a duplicate of the
            // earlier (above), or a correction that replaces it before it is inserted.
            KeyDecision::ReplacePending => {
                if let Some(i) = earlier {
                    inserts[i].0 = p;
                }
                out.updated += 1;
            }
            KeyDecision::Insert => {
                pending.insert(p.natural_key, inserts.len());
                inserts.push((p, subject_id));
            }
        }
    }
    // In subject order: a subject's new records lie together in the table, and the
    // index is written front to back (after kind and day, which one import does not vary:
    // see [`insert_records`]).
    inserts.sort_by_key(|(p, subject_id)| (p.valid.kind.key(), p.received, *subject_id));
    out.stored += insert_records(tx, county, import_id, &inserts, now_ms).await?;
    add_dept_stats(tx, county, &inserts).await?;
    Ok(out)
}

/// 归集批次 One import as recorded.
#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct ImportRecord {
    pub id: i64,
    pub county_code: String,
    pub kind: String,
    pub source_dept: String,
    pub file_name: String,
    pub file_sha256: String,
    pub format: String,
    pub door: String,
    pub actor: String,
    pub status: String,
    pub read_count: i64,
    pub stored_count: i64,
    pub updated_count: i64,
    pub duplicate_count: i64,
    pub rejected_count: i64,
    pub started_at: i64,
    pub finished_at: Option<i64>,
}

impl ImportRecord {
    /// 状态 as staff read it.
    pub fn status_zh(&self) -> &'static str {
        match self.status.as_str() {
            "done" => "已完成",
            "failed" => "失败（已提交的批次保留，重新导入同一文件可补全）",
            "running" => "进行中或已中断（重新导入同一文件可补全）",
            _ => "未知",
        }
    }
    /// 用时 How long it took, e.g. `12.3 秒` (empty while it runs or if it was cut off).
    pub fn duration_zh(&self) -> String {
        self.finished_at.map(|f| format!("{:.1} 秒", (f - self.started_at).max(0) as f64 / 1000.0)).unwrap_or_default()
    }
    /// The first 12 hex digits of the file's SHA-256 (the whole hash is in the record).
    pub fn sha256_short(&self) -> &str {
        self.file_sha256.get(..12).unwrap_or(&self.file_sha256)
    }
    /// 渠道 The door it came through.
    pub fn door_zh(&self) -> &'static str {
        match self.door.as_str() {
            "cli" => "命令行",
            "upload" => "网页上传",
            "api" => "接口推送",
            "demo" => "演示数据",
            _ => "其他",
        }
    }
}

/// Record that an import starts; returns its id.
#[allow(clippy::too_many_arguments)]
pub async fn start_import(
    db: &Db,
    county: &str,
    kind: &str,
    source_dept: &str,
    file_name: &str,
    file_sha256: &str,
    format: &str,
    door: &str,
    actor: &Actor,
    now_ms: i64,
) -> Result<i64, AppError> {
    let id: i64 = qingfeng_platform::on_db!(db, |p| sqlx::query_scalar(
        "INSERT INTO credit_imports (county_code, kind, source_dept, file_name, file_sha256, format, door, actor, status, started_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'running', $9) RETURNING id"
    )
    .bind(county)
    .bind(kind)
    .bind(source_dept)
    .bind(file_name)
    .bind(file_sha256)
    .bind(format)
    .bind(door)
    .bind(actor.as_string())
    .bind(now_ms)
    .fetch_one(p)
    .await)?;
    Ok(id)
}

/// Record how an import ended, with an audit entry.
#[allow(clippy::too_many_arguments)]
pub async fn finish_import(
    db: &Db,
    county: &str,
    import_id: i64,
    status: &str,
    counts: [u64; 5],
    file_sha256: &str,
    actor: &Actor,
    now_ms: i64,
) -> Result<(), AppError> {
    let [read, stored, updated, duplicate, rejected] = counts.map(|n| i64::try_from(n).unwrap_or(i64::MAX));
    let mut tx = db.begin().await?;
    tx.execute(
        "UPDATE credit_imports SET status = $1, read_count = $2, stored_count = $3, updated_count = $4, duplicate_count = $5, rejected_count = $6, \
         finished_at = $7, file_sha256 = $8 WHERE id = $9",
        &[
            Arg::from(status),
            Arg::from(read),
            Arg::from(stored),
            Arg::from(updated),
            Arg::from(duplicate),
            Arg::from(rejected),
            Arg::from(now_ms),
            Arg::from(file_sha256),
            Arg::from(import_id),
        ],
    )
    .await?;
    let detail = serde_json::json!({"status": status, "read": read, "stored": stored, "updated": updated, "duplicate": duplicate, "rejected": rejected, "sha256": file_sha256});
    audit::append(
        &mut tx,
        now_ms,
        &Change { county_code: county, actor, action: "credit.import", entity: "credit_import", entity_id: &import_id.to_string(), detail },
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Imports, newest first (optionally of one source department).
pub async fn list_imports(db: &Db, county: &str, source_dept: Option<&str>, limit: i64) -> Result<Vec<ImportRecord>, AppError> {
    let mut s = Sql::new(
        "SELECT id, county_code, kind, source_dept, file_name, file_sha256, format, door, actor, status, read_count, stored_count, updated_count, \
         duplicate_count, rejected_count, started_at, finished_at FROM credit_imports WHERE county_code = ",
    );
    s.bind(county);
    if let Some(d) = source_dept {
        s.push(" AND source_dept = ").bind(d);
    }
    s.push(" ORDER BY id DESC LIMIT ").bind(limit);
    Ok(s.fetch_all(db).await?)
}

/// How many records and subjects the county holds.
/// Subjects of a county.
pub async fn subject_count(db: &Db, county: &str) -> Result<i64, AppError> {
    let mut s = Sql::new("SELECT COUNT(*) FROM credit_subjects WHERE county_code = ");
    s.bind(county);
    Ok(s.fetch_i64(db).await?)
}

/// Records and subjects of a county, counted row by row (tests, the benchmark, the demo;
/// pages read the kept counts of [`records_by_dept`]).
pub async fn totals(db: &Db, county: &str) -> Result<(i64, i64), AppError> {
    let mut r = Sql::new("SELECT COUNT(*) FROM credit_records WHERE county_code = ");
    r.bind(county);
    let mut s = Sql::new("SELECT COUNT(*) FROM credit_subjects WHERE county_code = ");
    s.bind(county);
    Ok((r.fetch_i64(db).await?, s.fetch_i64(db).await?))
}

/// A subject as the public sees it (enterprises and individual businesses only).
#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct SubjectSummary {
    pub id: i64,
    pub kind: String,
    pub name: String,
    pub uscc: Option<String>,
    /// Records in publicity.
    pub published: i64,
}

/// The public subject with this code, if any (`published` not yet counted).
pub async fn public_subject(db: &Db, county: &str, uscc: &str) -> Result<Option<SubjectSummary>, AppError> {
    Ok(public_subject_sql("", county, uscc).fetch_optional(db).await?)
}

/// The subject of a public profile, and whether any list entry names it.
#[derive(Debug, sqlx::FromRow)]
pub struct ProfileSubject {
    #[sqlx(flatten)]
    pub summary: SubjectSummary,
    /// 是否有名单记录 Named by any list entry, current or past. Most subjects are on no
    /// list, and their profile then skips reading list entries: one statement fewer on
    /// the hot path of the public API (docs/benchmarks.md, profile API).
    pub listed: bool,
}

/// The statement that finds a profile's [`ProfileSubject`] (for a caller that holds a
/// connection).
pub fn profile_subject_sql(county: &str, uscc: &str) -> Sql {
    public_subject_sql(", EXISTS (SELECT 1 FROM credit_list_entries e WHERE e.subject_id = s.id) AS listed", county, uscc)
}

/// The public subject with this code, with `extra` columns. `published` is left 0: the
/// caller counts the records it reads anyway (counting here read each of the subject's
/// records twice per profile).
fn public_subject_sql(extra: &str, county: &str, uscc: &str) -> Sql {
    let mut s = Sql::new(&format!("SELECT s.id, s.kind, s.name, s.uscc, CAST(0 AS BIGINT) AS published{extra} FROM credit_subjects s"));
    s.push(" WHERE s.county_code = ").bind(county).push(" AND s.kind <> 'natural' AND s.uscc = ").bind(uscc);
    s
}

/// A record as published: its facts, window and the fields of the standard.
#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct PublicRecord {
    pub id: i64,
    pub kind: String,
    pub doc_no: String,
    pub decision_date: String,
    pub severity: Option<String>,
    pub amount_fen: Option<i64>,
    pub publicity_max_end: Option<String>,
    pub published: bool,
    /// The record's fields of the standard by code (ID numbers masked), as JSON.
    #[serde(rename = "fields", serialize_with = "payload_as_object")]
    pub payload: String,
}

/// The stored payload text as the JSON object it is (empty if it is not one), written out
/// as stored rather than parsed into a map and encoded again: the import stores the
/// fields' map as serde_json encodes it (keys in order, compact), so the bytes are the
/// same, without a map and its strings allocated for each of the ≈ 22 records of a
/// profile (docs/benchmarks.md). Checked as JSON on the way, so a damaged payload still
/// becomes `{}` and never breaks the response.
fn payload_as_object<S: serde::Serializer>(payload: &str, s: S) -> Result<S::Ok, S::Error> {
    match serde_json::from_str::<&serde_json::value::RawValue>(payload) {
        Ok(raw) if raw.get().starts_with('{') => serde::Serialize::serialize(raw, s),
        _ => serde::Serialize::serialize(&serde_json::Map::new(), s),
    }
}

impl PublicRecord {
    /// One field of the payload by code (empty when absent).
    pub fn field(&self, code: &str) -> String {
        serde_json::from_str::<serde_json::Value>(&self.payload)
            .ok()
            .and_then(|v| v.get(code).and_then(|x| x.as_str().map(str::to_string)))
            .unwrap_or_default()
    }
    /// Synthetic demo data (the generator marks 备注 合成演示数据).
    pub fn is_demo(&self) -> bool {
        self.field("BZ").contains("演示")
    }
    /// The kind's name in the catalog (信用承诺, 纳税信用A级 …).
    pub fn kind_zh(&self) -> &str {
        crate::rules::catalog::item(&self.kind).map(|i| i.name_zh.as_str()).unwrap_or(&self.kind)
    }
    pub fn severity_zh(&self) -> &'static str {
        match self.severity.as_deref() {
            Some("minor") => "轻微",
            Some("general") => "一般",
            Some("serious") => "严重",
            _ => "",
        }
    }
    /// The fine in yuan with two decimals.
    pub fn amount_yuan(&self) -> String {
        self.amount_fen.map(|f| qingfeng_core::Fen(f).to_string()).unwrap_or_default()
    }
}

/// The records of a subject that are in publicity, newest first.
pub async fn public_records(db: &Db, subject_id: i64) -> Result<Vec<PublicRecord>, AppError> {
    records_of(db, subject_id, true).await
}

/// The records of a subject, newest first; `published_only` for public views, all of
/// them (in publicity or not) for authorised staff.
pub async fn records_of(db: &Db, subject_id: i64, published_only: bool) -> Result<Vec<PublicRecord>, AppError> {
    Ok(records_of_sql(subject_id, published_only).fetch_all(db).await?)
}

/// The statement of [`records_of`] (for a caller that holds a connection).
pub fn records_of_sql(subject_id: i64, published_only: bool) -> Sql {
    let mut s = Sql::new(
        "SELECT id, kind, doc_no, decision_date, severity, amount_fen, publicity_max_end, published, payload FROM credit_records WHERE subject_id = ",
    );
    s.bind(subject_id);
    if published_only {
        s.push(" AND published");
    }
    s.push(" ORDER BY decision_date DESC, id DESC LIMIT 500");
    s
}

/// Every list entry of a subject, in force or not.
pub async fn all_list_entries(db: &Db, subject_id: i64) -> Result<Vec<ListEntry>, AppError> {
    let mut s = Sql::new(
        "SELECT id, list_kind, subject_id, basis, authority, source_ref, listed_on, ends_on, removed_on FROM credit_list_entries WHERE subject_id = ",
    );
    s.bind(subject_id).push(" ORDER BY listed_on DESC, id DESC");
    Ok(s.fetch_all(db).await?)
}

/// 数据质量 What one source department sent.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct DeptRecords {
    pub source_dept: String,
    /// Records of every kind.
    pub records: i64,
    /// 双公示 records (行政许可, 行政处罚): the base of the timeliness share. The other
    /// kinds (信用承诺, 纳税信用A级 …) have no 7-working-day limit and are not counted in it.
    pub shuanggongshi: i64,
    /// 双公示 records that arrived within the limit.
    pub timely: i64,
    /// Records per kind (kind key, count), in [`crate::model::RecordKind::ALL`] order,
    /// kinds the platform no longer knows last.
    pub by_kind: Vec<(String, i64)>,
}

/// Run a per-department aggregate (`select` ends with `WHERE county_code = `), for one
/// department or all, grouped by `group` (which starts with `source_dept`) and ordered
/// by it. PostgreSQL sums BIGINT as NUMERIC, so the selects cast their sums back to
/// BIGINT for one row type on both.
async fn per_dept<T>(db: &Db, select: &str, county: &str, dept: Option<&str>, group: &str) -> Result<Vec<T>, AppError>
where
    T: for<'r> sqlx::FromRow<'r, sqlx::sqlite::SqliteRow> + for<'r> sqlx::FromRow<'r, sqlx::postgres::PgRow> + Send + Unpin,
{
    let mut s = Sql::new(select);
    s.bind(county);
    if let Some(d) = dept {
        s.push(" AND source_dept = ").bind(d);
    }
    s.push(" GROUP BY ").push(group).push(" ORDER BY ").push(group);
    Ok(s.fetch_all(db).await?)
}

/// One (department, kind) cell of the records aggregate.
#[derive(sqlx::FromRow)]
struct DeptKindCount {
    source_dept: String,
    kind: String,
    records: i64,
    timely: i64,
}

/// Fold (department, kind) counts into one row per department: every kind counts in
/// the records, only the 双公示 kinds (`RecordKind::is_shuanggongshi`) in the timeliness
/// share — the 7-working-day limit (rules/timeliness.rs) is theirs alone, whatever
/// the stored `timely` flag of another kind says.
fn fold_by_dept(cells: Vec<DeptKindCount>) -> Vec<DeptRecords> {
    use crate::model::RecordKind;
    let rank = |kind: &str| RecordKind::ALL.iter().position(|k| k.key() == kind).unwrap_or(RecordKind::ALL.len());
    let mut out: Vec<DeptRecords> = Vec::new();
    for c in cells {
        if out.last().is_none_or(|d| d.source_dept != c.source_dept) {
            out.push(DeptRecords { source_dept: c.source_dept.clone(), ..DeptRecords::default() });
        }
        let Some(d) = out.last_mut() else { continue };
        d.records += c.records;
        if RecordKind::parse(&c.kind).is_some_and(RecordKind::is_shuanggongshi) {
            d.shuanggongshi += c.records;
            d.timely += c.timely;
        }
        d.by_kind.push((c.kind, c.records));
    }
    for d in &mut out {
        d.by_kind.sort_by(|a, b| rank(&a.0).cmp(&rank(&b.0)).then_with(|| a.0.cmp(&b.0)));
    }
    out
}

/// Records per source department (optionally one), with the 双公示 records and those of
/// them on time, and the count of every kind.
pub async fn records_by_dept(db: &Db, county: &str, dept: Option<&str>) -> Result<Vec<DeptRecords>, AppError> {
    let cells: Vec<DeptKindCount> = per_dept(
        db,
        "SELECT source_dept, kind, CAST(SUM(records) AS BIGINT) AS records, CAST(SUM(timely) AS BIGINT) AS timely \
         FROM credit_dept_stats WHERE county_code = ",
        county,
        dept,
        "source_dept, kind",
    )
    .await?;
    Ok(fold_by_dept(cells))
}

/// Count a batch's new records in `credit_dept_stats`, in the batch's transaction.
async fn add_dept_stats(tx: &mut Tx, county: &str, inserted: &[(&Prepared, i64)]) -> Result<(), AppError> {
    let mut cells: HashMap<(&str, &str), (i64, i64)> = HashMap::new();
    for (p, _) in inserted {
        let c = cells.entry((p.valid.source_dept.as_str(), p.valid.kind.key())).or_default();
        c.0 += 1;
        c.1 += i64::from(p.timely);
    }
    for ((dept, kind), (records, timely)) in cells {
        tx.execute(
            "INSERT INTO credit_dept_stats (county_code, source_dept, kind, records, timely) VALUES ($1, $2, $3, $4, $5) \
             ON CONFLICT (county_code, source_dept, kind) DO UPDATE SET records = credit_dept_stats.records + excluded.records, \
             timely = credit_dept_stats.timely + excluded.timely",
            &[Arg::from(county), Arg::from(dept), Arg::from(kind), Arg::from(records), Arg::from(timely)],
        )
        .await?;
    }
    Ok(())
}

/// Rows read and rejected per import door's department (`''` = sent on behalf of several).
#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct DeptImports {
    pub source_dept: String,
    pub read: i64,
    pub rejected: i64,
}

pub async fn imports_by_dept(db: &Db, county: &str, dept: Option<&str>) -> Result<Vec<DeptImports>, AppError> {
    per_dept(
        db,
        "SELECT source_dept, CAST(COALESCE(SUM(read_count), 0) AS BIGINT) AS read, CAST(COALESCE(SUM(rejected_count), 0) AS BIGINT) AS rejected \
         FROM credit_imports WHERE county_code = ",
        county,
        dept,
        "source_dept",
    )
    .await
}

/// 信用报告 An issued report.
#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct Report {
    pub number: String,
    pub subject_id: i64,
    pub content: String,
    pub content_sha256: String,
    pub created_at: i64,
}

/// Store an issued report (its number must be new) with an audit entry.
pub async fn insert_report(db: &Db, county: &str, report: &Report, actor: &Actor) -> Result<(), AppError> {
    let mut tx = db.begin().await?;
    tx.execute(
        "INSERT INTO credit_reports (county_code, number, subject_id, content, content_sha256, requested_by, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7)",
        &[
            Arg::from(county),
            Arg::from(report.number.as_str()),
            Arg::from(report.subject_id),
            Arg::from(report.content.as_str()),
            Arg::from(report.content_sha256.as_str()),
            Arg::from(actor.as_string()),
            Arg::from(report.created_at),
        ],
    )
    .await?;
    let detail = serde_json::json!({"number": report.number, "subject": report.subject_id, "sha256": report.content_sha256});
    audit::append(
        &mut tx,
        report.created_at,
        &Change { county_code: county, actor, action: "credit.report_issue", entity: "credit_report", entity_id: &report.number, detail },
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

pub async fn report(db: &Db, number: &str) -> Result<Option<Report>, AppError> {
    let mut s = Sql::new("SELECT number, subject_id, content, content_sha256, created_at FROM credit_reports WHERE number = ");
    s.bind(number);
    Ok(s.fetch_optional(db).await?)
}

/// 名单条目 One entry on a list.
#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct ListEntry {
    pub id: i64,
    pub list_kind: String,
    pub subject_id: i64,
    pub basis: String,
    pub authority: String,
    pub source_ref: String,
    pub listed_on: String,
    pub ends_on: Option<String>,
    pub removed_on: Option<String>,
}

impl ListEntry {
    /// The list's Chinese name.
    pub fn kind_zh(&self) -> &str {
        crate::model::ListKind::parse(&self.list_kind).map(|k| k.zh()).unwrap_or(&self.list_kind)
    }
}

/// A new entry to put on a list.
#[derive(Debug, Clone)]
pub struct NewListEntry<'a> {
    pub county: &'a str,
    pub list_kind: &'a str,
    pub subject_id: i64,
    pub basis: &'a str,
    pub authority: &'a str,
    pub source_ref: &'a str,
    pub listed_on: &'a str,
    pub ends_on: Option<&'a str>,
}

/// Put a subject on a list (once per source reference), with an audit entry; returns
/// whether it was new.
pub async fn add_list_entry(db: &Db, e: &NewListEntry<'_>, actor: &Actor, now_ms: i64) -> Result<bool, AppError> {
    let mut tx = db.begin().await?;
    let n = tx
        .execute(
            "INSERT INTO credit_list_entries (county_code, list_kind, subject_id, basis, authority, source_ref, listed_on, ends_on, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT (county_code, list_kind, subject_id, source_ref) DO NOTHING",
            &[
                Arg::from(e.county),
                Arg::from(e.list_kind),
                Arg::from(e.subject_id),
                Arg::from(e.basis),
                Arg::from(e.authority),
                Arg::from(e.source_ref),
                Arg::from(e.listed_on),
                Arg::from(e.ends_on),
                Arg::from(now_ms),
            ],
        )
        .await?;
    if n > 0 {
        let detail = serde_json::json!({"list": e.list_kind, "subject": e.subject_id, "basis": e.basis, "ref": e.source_ref, "listed_on": e.listed_on, "ends_on": e.ends_on});
        audit::append(
            &mut tx,
            now_ms,
            &Change {
                county_code: e.county,
                actor,
                action: "credit.list_add",
                entity: "credit_subject",
                entity_id: &e.subject_id.to_string(),
                detail,
            },
        )
        .await?;
    }
    tx.commit().await?;
    Ok(n > 0)
}

/// A validated list row with its keys, ready to store (the list counterpart of
/// [`Prepared`]).
#[derive(Debug, Clone)]
pub struct PreparedListEntry {
    pub line: u64,
    pub valid: ValidListEntry,
    pub subject_key: i64,
    pub id_hash: Option<String>,
    pub id_enc: Option<String>,
    /// 64-bit hash of county + list kind + source department + document number + subject.
    pub natural_key: i64,
    /// 64-bit hash of the stored content (payload and computed end).
    pub content_hash: i64,
    pub payload: String,
}

impl SubjectRow for PreparedListEntry {
    fn subject_key(&self) -> i64 {
        self.subject_key
    }
    fn subject_kind(&self) -> SubjectKind {
        self.valid.subject_kind
    }
    fn subject_name(&self) -> &str {
        &self.valid.subject_name
    }
    fn uscc(&self) -> Option<&str> {
        self.valid.uscc.as_deref()
    }
    fn id_hash(&self) -> Option<&str> {
        self.id_hash.as_deref()
    }
    fn id_enc(&self) -> Option<&str> {
        self.id_enc.as_deref()
    }
}

#[derive(sqlx::FromRow)]
struct StoredEntry {
    id: i64,
    natural_key: Option<i64>,
    content_hash: Option<i64>,
    list_kind: String,
    subject_id: i64,
    source_ref: String,
    source_dept: String,
    basis: String,
    authority: String,
    listed_on: String,
    ends_on: Option<String>,
    removed_on: Option<String>,
    payload: String,
}

/// Store one batch of list rows in one transaction, by the same rules as records
/// ([`decide`]): new entries inserted, identical ones duplicates, changed ones corrected
/// with the old version in the audit chain. An entry added earlier through the API
/// (same list, subject and document number, no natural key yet) is taken over by the
/// file's row; one that another department sent is a collision, never overwritten.
pub async fn store_list_batch(
    tx: &mut Tx,
    county: &str,
    import_id: i64,
    batch: &[PreparedListEntry],
    known: &mut KnownSubjects,
    actor: &Actor,
    now_ms: i64,
) -> Result<BatchOutcome, AppError> {
    let mut out = BatchOutcome::default();
    if batch.is_empty() {
        return Ok(out);
    }
    let (subject_ids, _) = subjects(tx, county, batch, known, now_ms).await?;
    // What is stored for the batch's subjects, by natural key and by the table's own
    // unique key (list, subject, document number).
    let mut stored: Vec<StoredEntry> = Vec::new();
    let ids: Vec<i64> = {
        let mut v: Vec<i64> = subject_ids.values().copied().collect();
        v.sort_unstable();
        v.dedup();
        v
    };
    let mut q = Sql::new(
        "SELECT id, natural_key, content_hash, list_kind, subject_id, source_ref, source_dept, basis, authority, listed_on, ends_on, \
         removed_on, payload FROM credit_list_entries WHERE county_code = ",
    );
    q.bind(county).push(" AND ");
    stored.extend(tx.fetch_by_keys::<StoredEntry>(&q, "subject_id", &ids, "").await?);
    let mut by_natural: HashMap<i64, usize> = HashMap::new();
    let mut by_unique: HashMap<(String, i64, String), usize> = HashMap::new();
    for (i, e) in stored.iter().enumerate() {
        if let Some(k) = e.natural_key {
            by_natural.insert(k, i);
        }
        by_unique.insert((e.list_kind.clone(), e.subject_id, e.source_ref.clone()), i);
    }
    let mut inserts: Vec<(&PreparedListEntry, i64)> = Vec::new();
    let mut pending: HashMap<i64, usize> = HashMap::new();
    for p in batch {
        let subject_id = subject_ids.get(&p.subject_key).copied().unwrap_or_default();
        let v = &p.valid;
        let kind = v.list_kind.key();
        let found =
            by_natural.get(&p.natural_key).or_else(|| by_unique.get(&(kind.to_string(), subject_id, v.source_ref.clone()))).copied();
        let current = found.and_then(|i| stored.get(i)).map(|e| {
            let same = e.list_kind == kind
                && e.subject_id == subject_id
                && e.source_ref == v.source_ref
                && (e.source_dept == v.source_dept || (e.natural_key.is_none() && e.source_dept.is_empty()));
            (same, e.content_hash.unwrap_or(0))
        });
        let earlier = pending.get(&p.natural_key).copied();
        match decide(current, earlier.map(|i| inserts[i].0.content_hash), p.content_hash) {
            KeyDecision::Collision => out.collisions.push(p.line),
            KeyDecision::Duplicate => out.duplicate += 1,
            KeyDecision::Correct => {
                let Some(e) = found.and_then(|i| stored.get_mut(i)) else { continue };
                tx.execute(
                    "UPDATE credit_list_entries SET natural_key = $1, content_hash = $2, source_dept = $3, basis = $4, authority = $5, \
                     listed_on = $6, ends_on = $7, removed_on = $8, payload = $9, import_id = $10, updated_at = $11 WHERE id = $12",
                    &[
                        Arg::from(p.natural_key),
                        Arg::from(p.content_hash),
                        Arg::from(v.source_dept.as_str()),
                        Arg::from(v.basis.as_str()),
                        Arg::from(v.authority.as_str()),
                        Arg::from(v.listed_on.to_string()),
                        Arg::from(v.ends_on.map(|d| d.to_string())),
                        Arg::from(v.removed_on.map(|d| d.to_string())),
                        Arg::from(p.payload.as_str()),
                        Arg::from(import_id),
                        Arg::from(now_ms),
                        Arg::from(e.id),
                    ],
                )
                .await?;
                let old_payload: serde_json::Value = serde_json::from_str(&e.payload).unwrap_or_default();
                let detail = serde_json::json!({
                    "import": import_id, "line": p.line, "list": kind, "ref": v.source_ref,
                    "old": {"basis": e.basis, "authority": e.authority, "listed_on": e.listed_on, "ends_on": e.ends_on,
                            "removed_on": e.removed_on, "payload": old_payload}
                });
                audit::append(
                    tx,
                    now_ms,
                    &Change {
                        county_code: county,
                        actor,
                        action: "credit.list_correct",
                        entity: "credit_subject",
                        entity_id: &subject_id.to_string(),
                        detail,
                    },
                )
                .await?;
                e.natural_key = Some(p.natural_key);
                e.content_hash = Some(p.content_hash);
                e.source_dept = v.source_dept.clone();
                e.basis = v.basis.clone();
                e.authority = v.authority.clone();
                e.listed_on = v.listed_on.to_string();
                e.ends_on = v.ends_on.map(|d| d.to_string());
                e.removed_on = v.removed_on.map(|d| d.to_string());
                e.payload = p.payload.clone();
                out.updated += 1;
            }
            KeyDecision::ReplacePending => {
                if let Some(i) = earlier {
                    inserts[i].0 = p;
                }
                out.updated += 1;
            }
            KeyDecision::Insert => {
                pending.insert(p.natural_key, inserts.len());
                inserts.push((p, subject_id));
            }
        }
    }
    for (p, subject_id) in inserts {
        let v = &p.valid;
        tx.execute(
            "INSERT INTO credit_list_entries (county_code, list_kind, subject_id, basis, authority, source_ref, listed_on, ends_on, removed_on, \
             created_at, natural_key, content_hash, source_dept, payload, import_id, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $10)",
            &[
                Arg::from(county),
                Arg::from(v.list_kind.key()),
                Arg::from(subject_id),
                Arg::from(v.basis.as_str()),
                Arg::from(v.authority.as_str()),
                Arg::from(v.source_ref.as_str()),
                Arg::from(v.listed_on.to_string()),
                Arg::from(v.ends_on.map(|d| d.to_string())),
                Arg::from(v.removed_on.map(|d| d.to_string())),
                Arg::from(now_ms),
                Arg::from(p.natural_key),
                Arg::from(p.content_hash),
                Arg::from(v.source_dept.as_str()),
                Arg::from(p.payload.as_str()),
                Arg::from(import_id),
            ],
        )
        .await?;
        let detail = serde_json::json!({"import": import_id, "line": p.line, "list": v.list_kind.key(), "subject": subject_id, "basis": v.basis,
            "ref": v.source_ref, "listed_on": v.listed_on.to_string(), "ends_on": v.ends_on.map(|d| d.to_string())});
        audit::append(
            tx,
            now_ms,
            &Change {
                county_code: county,
                actor,
                action: "credit.list_add",
                entity: "credit_subject",
                entity_id: &subject_id.to_string(),
                detail,
            },
        )
        .await?;
        out.stored += 1;
    }
    Ok(out)
}

/// The entries of a subject in force on `today` (`YYYY-MM-DD`).
pub async fn active_list_entries(db: &Db, subject_id: i64, today: &str) -> Result<Vec<ListEntry>, AppError> {
    Ok(active_list_entries_sql(subject_id, today).fetch_all(db).await?)
}

/// The statement of [`active_list_entries`] (for a caller that holds a connection).
pub fn active_list_entries_sql(subject_id: i64, today: &str) -> Sql {
    let mut s = Sql::new(
        "SELECT id, list_kind, subject_id, basis, authority, source_ref, listed_on, ends_on, removed_on FROM credit_list_entries WHERE subject_id = ",
    );
    s.bind(subject_id)
        .push(" AND removed_on IS NULL AND listed_on <= ")
        .bind(today)
        .push(" AND (ends_on IS NULL OR ends_on >= ")
        .bind(today);
    s.push(") ORDER BY listed_on, id");
    s
}

/// The subject a code names: a USCC, or a resident ID through its keyed hash.
pub async fn subject_by_key(db: &Db, county: &str, key_hash: i64) -> Result<Option<(i64, String, String)>, AppError> {
    let mut s = Sql::new("SELECT id, kind, name FROM credit_subjects WHERE county_code = ");
    s.bind(county).push(" AND key_hash = ").bind(key_hash);
    Ok(s.fetch_optional(db).await?)
}

/// A subject to find or create.
pub struct NewSubject<'a> {
    pub county: &'a str,
    pub key_hash: i64,
    pub kind: &'a str,
    pub name: &'a str,
    pub uscc: Option<&'a str>,
    pub id_hash: Option<&'a str>,
    pub id_enc: Option<&'a str>,
}

/// Find or create a subject (for list entries of subjects with no record yet).
pub async fn ensure_subject(db: &Db, n: &NewSubject<'_>, now_ms: i64) -> Result<i64, AppError> {
    let NewSubject { county, key_hash, kind, name, uscc, id_hash, id_enc } = *n;
    if let Some((id, _, _)) = subject_by_key(db, county, key_hash).await? {
        return Ok(id);
    }
    let mut tx = db.begin().await?;
    let id: i64 = on_tx!(&mut tx, |c| sqlx::query_scalar(
        "INSERT INTO credit_subjects (county_code, kind, key_hash, uscc, id_hash, id_enc, name, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8) RETURNING id"
    )
    .bind(county)
    .bind(kind)
    .bind(key_hash)
    .bind(uscc)
    .bind(id_hash)
    .bind(id_enc)
    .bind(name)
    .bind(now_ms)
    .fetch_one(&mut *c)
    .await)?;
    tx.commit().await?;
    Ok(id)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_key_decision_for_records_and_lists() {
        use KeyDecision::*;
        assert_eq!(decide(None, None, 7), Insert);
        assert_eq!(decide(Some((true, 7)), None, 7), Duplicate);
        assert_eq!(decide(Some((true, 6)), None, 7), Correct);
        assert_eq!(decide(Some((false, 7)), None, 7), Collision, "a hash match with other fields is never a duplicate");
        assert_eq!(decide(Some((true, 6)), Some(7), 7), Correct, "what is stored decides first");
        assert_eq!(decide(None, Some(7), 7), Duplicate);
        assert_eq!(decide(None, Some(6), 7), ReplacePending);
    }
}
