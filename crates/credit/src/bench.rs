//! 归集基准 The import benchmark behind `qingfeng bench credit-ingest`: generate N
//! synthetic records, import them through the real pipeline (reading, validation,
//! keys, dedup, subjects, publicity, audit), then load the identical rows into a second
//! fresh database by the fastest raw path the backend has ([`qingfeng_platform::bulk`]:
//! multi-row INSERT on SQLite, COPY on PostgreSQL) and compare.
//!
//! The ceiling gets everything the pipeline computed beforehand, outside its clock: it
//! measures only what the database must do to store those rows. Generation is timed
//! apart and counts for neither.

use std::collections::HashMap;
use std::path::Path;
use std::time::{Duration, Instant};

use qingfeng_platform::AppError;
use qingfeng_platform::bulk::{self, Val};
use qingfeng_platform::db::{Db, Tx};
use qingfeng_platform::pii::Pii;
use serde::Serialize;

use crate::generate::{self, GenOptions};
use crate::ingest::{self, Collect, Request, reader};
use crate::model::RecordKind;
use crate::rules::validate::{self, Options};
use crate::store::{self, Prepared};

/// What the benchmark prints (one JSON object).
#[derive(Debug, Clone, Serialize)]
pub struct Figures {
    pub backend: &'static str,
    pub records: u64,
    /// Wall time of the pipeline import (all files).
    pub seconds: f64,
    pub records_per_s: f64,
    /// Rows per second the raw path stored the identical rows at.
    pub ceiling_records_per_s: f64,
    pub ceiling_seconds: f64,
    /// `records_per_s / ceiling_records_per_s`.
    pub ratio: f64,
    /// Peak resident memory of this process over the whole run.
    pub peak_rss_mb: f64,
    pub stored: u64,
    pub rejected: u64,
    pub subjects: i64,
    pub generate_seconds: f64,
    /// Share of generated rows with a deliberate defect.
    pub bad_share: f64,
}

/// How the records are split: 双公示 permits and penalties from one subject pool.
fn plan(records: u64) -> [(RecordKind, u64); 2] {
    let xk = records / 2;
    [(RecordKind::Xk, xk), (RecordKind::Cf, records - xk)]
}

/// Peak resident set size of this process in MB (Linux `VmHWM`), 0 elsewhere.
pub fn peak_rss_mb() -> f64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| s.lines().find(|l| l.starts_with("VmHWM:")).and_then(|l| l.split_whitespace().nth(1)?.parse::<f64>().ok()))
        .map(|kb| kb / 1024.0)
        .unwrap_or(0.0)
}

/// How much to generate, and where.
#[derive(Debug, Clone, Copy)]
pub struct Size<'a> {
    pub records: u64,
    /// Share of rows with one deliberate defect.
    pub bad_share: f64,
    pub work_dir: &'a Path,
}

/// Run the benchmark: `pipeline` and `ceiling` are two fresh, migrated databases of the
/// same backend; `work_dir` holds the generated files.
pub async fn credit_ingest(
    pipeline: &Db,
    ceiling: &Db,
    pii: &Pii,
    size: &Size<'_>,
    base: &Request,
    say: &(dyn Fn(&str) + Sync),
) -> Result<Figures, AppError> {
    let Size { records, bad_share, work_dir } = *size;
    let started = Instant::now();
    let mut files = Vec::new();
    for (kind, n) in plan(records) {
        let path = work_dir.join(format!("bench-{}.csv", kind.key()));
        let file = std::fs::File::create(&path).map_err(AppError::internal)?;
        let opts = GenOptions { bad_share, seed: 2026, subjects: (records / 20).max(1), ..GenOptions::new(kind, n) };
        generate::write_csv(std::io::BufWriter::new(file), &opts).map_err(AppError::internal)?;
        files.push((kind, path));
    }
    let generate_seconds = started.elapsed().as_secs_f64();
    say(&format!("generated {records} records in {generate_seconds:.1} s"));

    let (mut stored, mut rejected) = (0u64, 0u64);
    let started = Instant::now();
    for (kind, path) in &files {
        let req = Request { kind: (*kind).into(), file_name: path.display().to_string(), format: reader::Format::Csv, ..base.clone() };
        let input = std::fs::File::open(path).map_err(AppError::internal)?;
        let mut sink = Collect { rows: Vec::new(), limit: 0 };
        let sum = ingest::run(pipeline, pii, &req, Box::new(input), &mut sink, &mut |_| {}).await?;
        if !sum.reconciles() {
            return Err(AppError::internal(format!("counts do not reconcile: {}", sum.line())));
        }
        stored += sum.stored;
        rejected += sum.rejected;
    }
    let seconds = started.elapsed().as_secs_f64();
    say(&format!("pipeline: {stored} stored, {rejected} rejected in {seconds:.1} s"));
    let (_, subjects) = store::totals(pipeline, &base.county_code).await?;

    let mut ceiling_time = Duration::ZERO;
    let mut ceiling_rows = 0u64;
    let mut subject_ids: HashMap<i64, i64> = HashMap::new();
    // Transactions as long as the pipeline's (see [`ingest::COMMIT_EVERY`]), timed alike.
    let mut tx: Option<(qingfeng_platform::db::Tx, Duration)> = None;
    for (kind, path) in &files {
        let input = std::fs::File::open(path).map_err(AppError::internal)?;
        let mut rows = reader::open(*kind, reader::Format::Csv, Box::new(input)).map_err(|e| AppError::bad_request(e.code, e.message))?;
        let opts = Options { lenient_uscc: base.lenient_uscc, today: base.today };
        let mut batch: Vec<Prepared> = Vec::with_capacity(ingest::BATCH_ROWS);
        loop {
            let next = rows.next_row(*kind);
            let end = next.is_none();
            if let Some(Ok(raw)) = next {
                let values: Vec<&str> = raw.values.iter().map(String::as_str).collect();
                if let Ok(valid) = validate::validate(*kind, &values, &opts) {
                    let samr = base.market_regulation.contains(&valid.source_dept);
                    batch.push(ingest::prepare(&base.county_code, raw.line, valid, pii, samr, base.today, &base.calendar));
                }
            }
            if batch.len() >= ingest::BATCH_ROWS || (end && !batch.is_empty()) {
                let t = Instant::now();
                let (open, spent) = match &mut tx {
                    Some(open) => open,
                    None => tx.insert((ceiling.begin().await?, Duration::ZERO)),
                };
                ceiling_rows += raw_load(open, &base.county_code, &batch, &mut subject_ids).await?;
                *spent += t.elapsed();
                if *spent >= ingest::COMMIT_EVERY
                    && let Some((open, _)) = tx.take()
                {
                    open.commit().await?;
                }
                ceiling_time += t.elapsed();
                batch.clear();
            }
            if end {
                break;
            }
        }
    }
    if let Some((open, _)) = tx.take() {
        let t = Instant::now();
        open.commit().await?;
        ceiling_time += t.elapsed();
    }
    let ceiling_seconds = ceiling_time.as_secs_f64();
    say(&format!("ceiling: {ceiling_rows} rows in {ceiling_seconds:.1} s"));
    for (_, path) in &files {
        let _ = std::fs::remove_file(path);
    }
    let records_per_s = records as f64 / seconds.max(1e-9);
    let ceiling_records_per_s = ceiling_rows as f64 / ceiling_seconds.max(1e-9);
    Ok(Figures {
        backend: match pipeline.backend() {
            qingfeng_platform::db::Backend::Sqlite => "sqlite",
            qingfeng_platform::db::Backend::Postgres => "postgres",
        },
        records,
        seconds,
        records_per_s,
        ceiling_records_per_s,
        ceiling_seconds,
        ratio: records_per_s / ceiling_records_per_s.max(1e-9),
        peak_rss_mb: peak_rss_mb(),
        stored,
        rejected,
        subjects,
        generate_seconds,
        bad_share,
    })
}

/// The raw path: the batch's new subjects and its records, as bulk loads in the open
/// transaction, with no lookups (ids are assigned here). Returns the records written.
async fn raw_load(tx: &mut Tx, county: &str, batch: &[Prepared], subject_ids: &mut HashMap<i64, i64>) -> Result<u64, AppError> {
    let mut new_subjects: Vec<(i64, &Prepared)> = Vec::new();
    let mut rows: Vec<(&Prepared, i64)> = Vec::with_capacity(batch.len());
    let mut keys: HashMap<i64, ()> = HashMap::with_capacity(batch.len());
    for p in batch {
        // The generator writes no duplicate keys among good rows; skip any it might.
        if keys.insert(p.natural_key, ()).is_some() {
            continue;
        }
        let next = subject_ids.len() as i64 + 1;
        let id = *subject_ids.entry(p.subject_key).or_insert_with(|| {
            new_subjects.push((next, p));
            next
        });
        rows.push((p, id));
    }
    rows.sort_by_key(|(_, id)| *id);
    bulk::load(
        tx,
        "credit_subjects",
        &["id", "county_code", "kind", "key_hash", "uscc", "id_hash", "id_enc", "name", "created_at", "updated_at"],
        &new_subjects,
        |(id, p), out| {
            let v = &p.valid;
            out.extend([
                Val::Int(*id),
                Val::Text(county),
                Val::Text(v.subject_kind.key()),
                Val::Int(p.subject_key),
                v.uscc.as_deref().into(),
                p.id_hash.as_deref().into(),
                p.id_enc.as_deref().into(),
                Val::Text(&v.subject_name),
                Val::Int(0),
                Val::Int(0),
            ]);
        },
    )
    .await?;
    bulk::load(tx, "credit_subject_names", &["subject_id", "name", "first_seen"], &new_subjects, |(id, p), out| {
        out.extend([Val::Int(*id), Val::Text(&p.valid.subject_name), Val::Int(0)]);
    })
    .await?;
    store::insert_records(tx, county, 0, &rows, 0).await
}

#[cfg(test)]
mod tests {
    use super::*;
    use qingfeng_platform::testing;

    #[tokio::test]
    async fn the_pipeline_and_the_ceiling_store_the_same_rows() {
        let dir = tempfile::tempdir().unwrap();
        let pii = Pii::load_or_create("", dir.path()).unwrap();
        let (pipelines, ceilings) = (testing::all().await.unwrap(), testing::all().await.unwrap());
        for (p, c) in pipelines.iter().zip(&ceilings) {
            let base = Request {
                county_code: "410922".into(),
                kind: RecordKind::Cf.into(),
                source_dept: None,
                file_name: String::new(),
                format: reader::Format::Csv,
                door: "cli",
                actor: qingfeng_platform::audit::Actor::System("bench"),
                lenient_uscc: false,
                today: chrono::NaiveDate::from_ymd_opt(2026, 11, 30).unwrap(),
                market_regulation: Default::default(),
                calendar: std::sync::Arc::new(qingfeng_core::HolidayCalendar::builtin()),
                clock: qingfeng_platform::Clock::System,
            };
            let size = Size { records: 12_001, bad_share: 0.05, work_dir: dir.path() };
            let f = credit_ingest(&p.db, &c.db, &pii, &size, &base, &|_| {}).await.unwrap();
            assert_eq!(f.records, 12_001);
            assert!(f.rejected > 300 && f.rejected < 900, "{}: about 5 % defects: {f:?}", p.name);
            assert_eq!(f.stored + f.rejected, f.records, "{}", p.name);
            let (pipeline_records, pipeline_subjects) = store::totals(&p.db, "410922").await.unwrap();
            let (ceiling_records, ceiling_subjects) = store::totals(&c.db, "410922").await.unwrap();
            assert_eq!((pipeline_records, pipeline_subjects), (ceiling_records, ceiling_subjects), "{}: identical rows", p.name);
            assert!(f.records_per_s > 0.0 && f.ceiling_records_per_s > 0.0 && f.ratio > 0.0);
        }
    }
}
