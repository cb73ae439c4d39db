//! 任务 Persistent jobs and the in-process scheduler.
//!
//! A job is a row of `jobs` with a due time. Modules enqueue jobs — inside their own
//! transaction with [`enqueue_tx`], so the job exists exactly when their change does —
//! and register a [`JobHandler`] per kind. The [`Scheduler`] claims due jobs one at a
//! time with a lease (`locked_until`): a worker that crashes mid-job loses its lease and
//! the job is claimed again once the lease has run out. A failing job is retried with
//! exponential backoff ([`retry_delay_ms`]) until `max_attempts`, then it is `failed`
//! and an audit entry records it.
//!
//! Handlers must be idempotent: a job may run again after a crash. An idempotency key
//! makes enqueueing idempotent too; recurring jobs ([`Recurring`]) use the key
//! `kind@county@period-start`, so a restart or a second instance never runs the same
//! period twice.

use std::collections::HashMap;
use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use serde::Serialize;
use serde_json::Value;
use tokio::sync::watch;
use tokio::task::JoinHandle;

use crate::audit::{self, Actor, Change};
use crate::clock::{Clock, from_ms};
use crate::db::{Db, Tx};
use crate::{on_db, on_tx};

/// Waiting for its `run_at`.
pub const QUEUED: &str = "queued";
/// Claimed by a worker until `locked_until`.
pub const RUNNING: &str = "running";
/// Finished successfully.
pub const DONE: &str = "done";
/// Gave up: attempts exhausted, permanent error or unknown kind.
pub const FAILED: &str = "failed";

/// Attempts a job gets unless its enqueuer says otherwise.
pub const DEFAULT_MAX_ATTEMPTS: i64 = 5;
/// How long a claimed job stays locked to its worker unless configured otherwise.
pub const DEFAULT_LEASE: Duration = Duration::from_secs(300);
/// At most this many jobs per [`Scheduler::run_due_once`], so one call always ends.
const MAX_PER_RUN: usize = 100;
const MAX_ERROR_CHARS: usize = 2000;
const HOUR_MS: i64 = 3_600_000;
const DAY_MS: i64 = 24 * HOUR_MS;
/// Asia/Shanghai is UTC+8 all year round.
const CHINA_OFFSET_MS: i64 = qingfeng_core::CHINA_STANDARD_TIME.local_minus_utc() as i64 * 1000;

/// A job to enqueue.
#[derive(Debug, Clone)]
pub struct NewJob {
    pub county_code: String,
    /// The handler that runs it ([`JobHandler::kind`]), e.g. `mediation.sla_reminder`.
    pub kind: String,
    pub payload: Value,
    /// When it becomes due (ms since the epoch, UTC).
    pub run_at_ms: i64,
    /// Enqueueing again with a key already present does nothing.
    pub idempotency_key: Option<String>,
    pub max_attempts: i64,
}

impl NewJob {
    pub fn new(county_code: impl Into<String>, kind: impl Into<String>, payload: Value, run_at_ms: i64) -> NewJob {
        NewJob {
            county_code: county_code.into(),
            kind: kind.into(),
            payload,
            run_at_ms,
            idempotency_key: None,
            max_attempts: DEFAULT_MAX_ATTEMPTS,
        }
    }

    pub fn with_key(mut self, key: impl Into<String>) -> NewJob {
        self.idempotency_key = Some(key.into());
        self
    }

    pub fn with_max_attempts(mut self, max_attempts: i64) -> NewJob {
        self.max_attempts = max_attempts;
        self
    }
}

/// A stored job, as the admin page shows it.
#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct Job {
    pub id: i64,
    pub county_code: String,
    pub kind: String,
    pub payload: String,
    pub idempotency_key: Option<String>,
    pub run_at: i64,
    pub status: String,
    pub attempts: i64,
    pub max_attempts: i64,
    pub last_error: Option<String>,
    pub locked_until: Option<i64>,
    pub created_at: i64,
    pub updated_at: i64,
}

const INSERT_JOB: &str = "INSERT INTO jobs (county_code, kind, payload, idempotency_key, run_at, status, attempts, max_attempts, created_at, updated_at) \
     VALUES ($1, $2, $3, $4, $5, 'queued', 0, $6, $7, $7) ON CONFLICT (idempotency_key) DO NOTHING RETURNING id";

/// The columns of [`Job`], for `concat!`.
macro_rules! job_columns {
    () => {
        "id, county_code, kind, payload, idempotency_key, run_at, status, attempts, max_attempts, last_error, locked_until, created_at, updated_at"
    };
}

/// Enqueue `job` inside `tx`, atomically with the change that calls for it. Returns the
/// new id, or `None` when a job with the same idempotency key already exists.
pub async fn enqueue_tx(tx: &mut Tx, now_ms: i64, job: &NewJob) -> Result<Option<i64>, sqlx::Error> {
    let payload = job.payload.to_string();
    let max_attempts = job.max_attempts.max(1);
    on_tx!(tx, |c| sqlx::query_scalar(INSERT_JOB)
        .bind(&job.county_code)
        .bind(&job.kind)
        .bind(&payload)
        .bind(job.idempotency_key.as_deref())
        .bind(job.run_at_ms)
        .bind(max_attempts)
        .bind(now_ms)
        .fetch_optional(&mut *c)
        .await)
}

/// Enqueue `job` on its own. See [`enqueue_tx`].
pub async fn enqueue(db: &Db, now_ms: i64, job: &NewJob) -> Result<Option<i64>, sqlx::Error> {
    let payload = job.payload.to_string();
    let max_attempts = job.max_attempts.max(1);
    on_db!(db, |p| sqlx::query_scalar(INSERT_JOB)
        .bind(&job.county_code)
        .bind(&job.kind)
        .bind(&payload)
        .bind(job.idempotency_key.as_deref())
        .bind(job.run_at_ms)
        .bind(max_attempts)
        .bind(now_ms)
        .fetch_optional(p)
        .await)
}

/// The latest jobs, newest first (for the admin page).
pub async fn list_recent(db: &Db, limit: i64) -> Result<Vec<Job>, sqlx::Error> {
    const SQL: &str = concat!("SELECT ", job_columns!(), " FROM jobs ORDER BY id DESC LIMIT $1");
    on_db!(db, |p| sqlx::query_as(SQL).bind(limit).fetch_all(p).await)
}

/// One job, by id.
pub async fn get(db: &Db, id: i64) -> Result<Option<Job>, sqlx::Error> {
    const SQL: &str = concat!("SELECT ", job_columns!(), " FROM jobs WHERE id = $1");
    on_db!(db, |p| sqlx::query_as(SQL).bind(id).fetch_optional(p).await)
}

/// Delay before the next attempt once `attempts` attempts have failed:
/// 30 s · 2^(attempts−1), capped at one hour (30 s, 1 min, 2 min, 4 min…).
pub fn retry_delay_ms(attempts: i64) -> i64 {
    let exp = attempts.saturating_sub(1).clamp(0, 20) as u32;
    (30_000i64 << exp).min(HOUR_MS)
}

/// What a handler reports when it did not finish.
///
/// Any `std::error::Error` converts into a retryable `JobError`, so handlers can use `?`.
#[derive(Debug, Clone)]
pub struct JobError {
    pub message: String,
    /// Do not retry: retrying cannot help (e.g. the payload refers to nothing).
    pub permanent: bool,
}

impl JobError {
    pub fn retry(message: impl Into<String>) -> JobError {
        JobError { message: message.into(), permanent: false }
    }

    pub fn permanent(message: impl Into<String>) -> JobError {
        JobError { message: message.into(), permanent: true }
    }
}

impl<E: std::error::Error + Send + Sync + 'static> From<E> for JobError {
    fn from(e: E) -> Self {
        JobError::retry(e.to_string())
    }
}

impl std::fmt::Display for JobError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

/// What a handler runs with.
#[derive(Debug, Clone)]
pub struct JobContext {
    pub db: Db,
    pub clock: Clock,
    pub job_id: i64,
    /// 1 on the first attempt.
    pub attempt: i64,
    pub county_code: String,
    /// 全文检索 The shared search index, for handlers that keep it current (`None` when
    /// the scheduler runs without one).
    pub search: Option<Arc<qingfeng_search::SearchIndex>>,
}

/// The future a [`JobHandler`] returns.
pub type JobFuture<'a> = Pin<Box<dyn Future<Output = Result<(), JobError>> + Send + 'a>>;

/// Runs the jobs of one kind. Must be idempotent: after a crash a job runs again.
pub trait JobHandler: Send + Sync + 'static {
    fn kind(&self) -> &'static str;
    fn run<'a>(&'a self, ctx: &'a JobContext, payload: &'a Value) -> JobFuture<'a>;
}

/// How often a [`Recurring`] job comes round.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Every {
    /// Once a day at this hour of Beijing time (0–23).
    Daily { local_hour: u32 },
    /// Every n minutes, periods aligned to the epoch (and so to the local day when n divides 480).
    EveryMinutes(u32),
}

/// A job the scheduler enqueues once per period (nightly grading, SLA sweeps…).
#[derive(Debug, Clone)]
pub struct Recurring {
    pub county_code: String,
    pub kind: &'static str,
    pub every: Every,
}

impl Recurring {
    pub fn new(county_code: impl Into<String>, kind: &'static str, every: Every) -> Recurring {
        Recurring { county_code: county_code.into(), kind, every }
    }

    /// The idempotency key of the period starting at `period_start_ms`:
    /// `kind@county@YYYY-MM-DDTHH:MM+08:00`.
    pub fn key(&self, period_start_ms: i64) -> String {
        let local = from_ms(period_start_ms + CHINA_OFFSET_MS).format("%Y-%m-%dT%H:%M");
        format!("{}@{}@{local}+08:00", self.kind, self.county_code)
    }
}

/// The start (ms, UTC) of the period of `every` that contains `now_ms`.
pub fn period_start_ms(every: Every, now_ms: i64) -> i64 {
    match every {
        Every::Daily { local_hour } => {
            let local = now_ms + CHINA_OFFSET_MS;
            let mut start = local - local.rem_euclid(DAY_MS) + i64::from(local_hour % 24) * HOUR_MS;
            if start > local {
                start -= DAY_MS;
            }
            start - CHINA_OFFSET_MS
        }
        Every::EveryMinutes(n) => {
            let len = i64::from(n.max(1)) * 60_000;
            now_ms - now_ms.rem_euclid(len)
        }
    }
}

/// A job as claimed by a worker.
#[derive(Debug, sqlx::FromRow)]
struct Claimed {
    id: i64,
    county_code: String,
    kind: String,
    payload: String,
    attempts: i64,
    max_attempts: i64,
}

const CLAIM: &str = "UPDATE jobs SET status = 'running', attempts = attempts + 1, locked_until = $2, updated_at = $1 \
     WHERE id = (SELECT id FROM jobs \
        WHERE (status = 'queued' AND run_at <= $1) OR (status = 'running' AND locked_until <= $1) \
        ORDER BY run_at, id LIMIT 1) \
     RETURNING id, county_code, kind, payload, attempts, max_attempts";

const CLAIM_PG: &str = "UPDATE jobs SET status = 'running', attempts = attempts + 1, locked_until = $2, updated_at = $1 \
     WHERE id = (SELECT id FROM jobs \
        WHERE (status = 'queued' AND run_at <= $1) OR (status = 'running' AND locked_until <= $1) \
        ORDER BY run_at, id LIMIT 1 FOR UPDATE SKIP LOCKED) \
     RETURNING id, county_code, kind, payload, attempts, max_attempts";

/// Claim the next due job (or one whose lease ran out) for `lease_ms`.
async fn claim(db: &Db, now_ms: i64, lease_ms: i64) -> Result<Option<Claimed>, sqlx::Error> {
    let until = now_ms + lease_ms;
    match db {
        Db::Sqlite(p) => sqlx::query_as(CLAIM).bind(now_ms).bind(until).fetch_optional(p).await,
        Db::Postgres(p) => sqlx::query_as(CLAIM_PG).bind(now_ms).bind(until).fetch_optional(p).await,
    }
}

fn truncate(s: &str, max_chars: usize) -> String {
    s.chars().take(max_chars).collect()
}

/// 调度器 The one scheduler of the process.
pub struct Scheduler {
    db: Db,
    clock: Clock,
    handlers: HashMap<&'static str, Arc<dyn JobHandler>>,
    tick: Duration,
    lease: Duration,
    recurring: Vec<Recurring>,
    search: Option<Arc<qingfeng_search::SearchIndex>>,
    /// The last period enqueued per recurring job, so a tick writes only when a period starts.
    enqueued_periods: Mutex<HashMap<usize, i64>>,
}

impl Scheduler {
    pub fn new(db: Db, clock: Clock, handlers: Vec<Arc<dyn JobHandler>>, tick: Duration) -> Scheduler {
        Scheduler {
            db,
            clock,
            handlers: handlers.into_iter().map(|h| (h.kind(), h)).collect(),
            tick,
            lease: DEFAULT_LEASE,
            recurring: Vec::new(),
            search: None,
            enqueued_periods: Mutex::new(HashMap::new()),
        }
    }

    /// The search index handlers see in [`JobContext::search`].
    pub fn with_search(mut self, search: Arc<qingfeng_search::SearchIndex>) -> Scheduler {
        self.search = Some(search);
        self
    }

    /// How long a claimed job stays with its worker; also the time limit of one run.
    pub fn with_lease(mut self, lease: Duration) -> Scheduler {
        self.lease = lease;
        self
    }

    pub fn with_recurring(mut self, recurring: Recurring) -> Scheduler {
        self.recurring.push(recurring);
        self
    }

    /// Enqueue the current period of every recurring job that is not enqueued yet.
    /// Returns how many jobs were newly enqueued (by this call, across all instances).
    pub async fn enqueue_recurring(&self) -> Result<usize, sqlx::Error> {
        let now = self.clock.now_ms();
        let mut added = 0;
        for (i, r) in self.recurring.iter().enumerate() {
            let start = period_start_ms(r.every, now);
            if self.lock_periods().get(&i) == Some(&start) {
                continue;
            }
            let job = NewJob::new(&r.county_code, r.kind, serde_json::json!({ "period_start": start }), start).with_key(r.key(start));
            if enqueue(&self.db, now, &job).await?.is_some() {
                added += 1;
            }
            self.lock_periods().insert(i, start);
        }
        Ok(added)
    }

    fn lock_periods(&self) -> std::sync::MutexGuard<'_, HashMap<usize, i64>> {
        self.enqueued_periods.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Run due jobs one at a time until none is due (at most 100 per call). Returns how
    /// many jobs were taken, whatever their outcome.
    pub async fn run_due_once(&self) -> Result<usize, sqlx::Error> {
        let lease_ms = i64::try_from(self.lease.as_millis()).unwrap_or(i64::MAX / 4);
        let mut taken = 0;
        while taken < MAX_PER_RUN {
            let Some(job) = claim(&self.db, self.clock.now_ms(), lease_ms).await? else {
                break;
            };
            taken += 1;
            self.run_claimed(job).await?;
        }
        Ok(taken)
    }

    async fn run_claimed(&self, job: Claimed) -> Result<(), sqlx::Error> {
        if job.attempts > job.max_attempts {
            return self.fail(&job, "任务多次执行中断（租约过期），已停止重试").await;
        }
        let Some(handler) = self.handlers.get(job.kind.as_str()).cloned() else {
            return self.fail(&job, &format!("未知的任务类型：{}（没有登记处理程序）", job.kind)).await;
        };
        let payload: Value = match serde_json::from_str(&job.payload) {
            Ok(v) => v,
            Err(e) => {
                return self.fail(&job, &format!("任务数据不是有效的 JSON：{e}")).await;
            }
        };
        let ctx = JobContext {
            db: self.db.clone(),
            clock: self.clock.clone(),
            job_id: job.id,
            attempt: job.attempts,
            county_code: job.county_code.clone(),
            search: self.search.clone(),
        };
        let lease = self.lease;
        // Run on its own task so that a panicking handler fails its job, not the scheduler.
        let outcome = tokio::spawn(async move { tokio::time::timeout(lease, handler.run(&ctx, &payload)).await }).await;
        let error = match outcome {
            Ok(Ok(Ok(()))) => return self.finish(&job).await,
            Ok(Ok(Err(e))) => e,
            Ok(Err(_)) => JobError::retry(format!("任务执行超时（超过 {} 秒）", lease.as_secs())),
            Err(e) => JobError::retry(format!("任务处理程序异常终止：{e}")),
        };
        tracing::warn!(job = job.id, kind = %job.kind, attempt = job.attempts, error = %error, "job attempt failed");
        if error.permanent || job.attempts >= job.max_attempts {
            self.fail(&job, &error.message).await
        } else {
            self.retry_later(&job, &error.message).await
        }
    }

    /// Mark done — only if this worker still holds the job (same attempt number).
    async fn finish(&self, job: &Claimed) -> Result<(), sqlx::Error> {
        let now = self.clock.now_ms();
        let n = on_db!(&self.db, |p| {
            sqlx::query(
            "UPDATE jobs SET status = 'done', locked_until = NULL, updated_at = $1 WHERE id = $2 AND status = 'running' AND attempts = $3"
        )
        .bind(now)
        .bind(job.id)
        .bind(job.attempts)
        .execute(p)
        .await
        .map(|r| r.rows_affected())
        })?;
        if n == 0 {
            tracing::warn!(job = job.id, "job finished after its lease was taken over");
        }
        Ok(())
    }

    async fn retry_later(&self, job: &Claimed, error: &str) -> Result<(), sqlx::Error> {
        let now = self.clock.now_ms();
        on_db!(&self.db, |p| {
            sqlx::query(
                "UPDATE jobs SET status = 'queued', run_at = $1, last_error = $2, locked_until = NULL, updated_at = $3 \
             WHERE id = $4 AND status = 'running' AND attempts = $5",
            )
            .bind(now + retry_delay_ms(job.attempts))
            .bind(truncate(error, MAX_ERROR_CHARS))
            .bind(now)
            .bind(job.id)
            .bind(job.attempts)
            .execute(p)
            .await
            .map(|r| r.rows_affected())
        })?;
        Ok(())
    }

    /// Give up on the job and record it in the audit chain.
    async fn fail(&self, job: &Claimed, error: &str) -> Result<(), sqlx::Error> {
        let now = self.clock.now_ms();
        let error = truncate(error, MAX_ERROR_CHARS);
        let mut tx = self.db.begin().await?;
        let n = on_tx!(&mut tx, |c| {
            sqlx::query(
                "UPDATE jobs SET status = 'failed', last_error = $1, locked_until = NULL, updated_at = $2 \
             WHERE id = $3 AND status = 'running' AND attempts = $4",
            )
            .bind(&error)
            .bind(now)
            .bind(job.id)
            .bind(job.attempts)
            .execute(&mut *c)
            .await
            .map(|r| r.rows_affected())
        })?;
        if n == 1 {
            let actor = Actor::System("scheduler");
            let id = job.id.to_string();
            let change = Change {
                county_code: &job.county_code,
                actor: &actor,
                action: "job.failed",
                entity: "job",
                entity_id: &id,
                detail: serde_json::json!({ "kind": job.kind, "attempts": job.attempts, "error": error }),
            };
            audit::append(&mut tx, now, &change).await?;
        }
        tx.commit().await?;
        tracing::error!(job = job.id, kind = %job.kind, error = %error, "job failed");
        Ok(())
    }

    /// Run the scheduler every `tick` until `shutdown` turns true (or its sender is dropped).
    pub fn spawn(self, mut shutdown: watch::Receiver<bool>) -> JoinHandle<()> {
        tokio::spawn(async move {
            loop {
                if *shutdown.borrow() {
                    break;
                }
                if let Err(e) = self.enqueue_recurring().await {
                    tracing::warn!(error = %e, "scheduler: enqueueing recurring jobs failed");
                }
                if let Err(e) = self.run_due_once().await {
                    tracing::warn!(error = %e, "scheduler: running due jobs failed");
                }
                tokio::select! {
                    _ = tokio::time::sleep(self.tick) => {}
                    changed = shutdown.changed() => if changed.is_err() { break },
                }
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use std::sync::atomic::{AtomicUsize, Ordering};

    use chrono::{TimeZone, Utc};

    use super::*;
    use crate::testing;

    const COUNTY: &str = "410922";

    /// Counts its runs; fails while `fail` says so.
    struct Counting {
        calls: Arc<AtomicUsize>,
        fail: bool,
    }

    impl JobHandler for Counting {
        fn kind(&self) -> &'static str {
            "test.count"
        }
        fn run<'a>(&'a self, _ctx: &'a JobContext, _payload: &'a Value) -> JobFuture<'a> {
            Box::pin(async move {
                self.calls.fetch_add(1, Ordering::SeqCst);
                if self.fail { Err(JobError::retry("故意失败")) } else { Ok(()) }
            })
        }
    }

    fn clock() -> Clock {
        Clock::fixed(Utc.with_ymd_and_hms(2025, 3, 1, 1, 0, 0).unwrap())
    }

    fn scheduler(db: &Db, clock: &Clock, fail: bool) -> (Scheduler, Arc<AtomicUsize>) {
        let calls = Arc::new(AtomicUsize::new(0));
        let h: Arc<dyn JobHandler> = Arc::new(Counting { calls: calls.clone(), fail });
        (Scheduler::new(db.clone(), clock.clone(), vec![h], Duration::from_millis(10)), calls)
    }

    #[tokio::test]
    async fn jobs_run_once_and_idempotency_key_dedups() {
        for t in testing::all().await.unwrap() {
            let clock = clock();
            let (s, calls) = scheduler(&t.db, &clock, false);
            let job = NewJob::new(COUNTY, "test.count", serde_json::json!({"n": 1}), clock.now_ms()).with_key("once");
            let id = enqueue(&t.db, clock.now_ms(), &job).await.unwrap().expect("new job");
            assert_eq!(enqueue(&t.db, clock.now_ms(), &job).await.unwrap(), None, "{}", t.name);
            let mut tx = t.db.begin().await.unwrap();
            assert_eq!(enqueue_tx(&mut tx, clock.now_ms(), &job).await.unwrap(), None, "{}", t.name);
            tx.commit().await.unwrap();

            assert_eq!(s.run_due_once().await.unwrap(), 1, "{}", t.name);
            assert_eq!(s.run_due_once().await.unwrap(), 0, "{}", t.name);
            assert_eq!(calls.load(Ordering::SeqCst), 1);
            let j = get(&t.db, id).await.unwrap().unwrap();
            assert_eq!((j.status.as_str(), j.attempts), (DONE, 1), "{}", t.name);
            assert_eq!(list_recent(&t.db, 10).await.unwrap().len(), 1, "{}", t.name);
        }
    }

    #[tokio::test]
    async fn jobs_in_transaction_follow_commit_and_wait_for_run_at() {
        for t in testing::all().await.unwrap() {
            let clock = clock();
            let (s, calls) = scheduler(&t.db, &clock, false);
            let mut tx = t.db.begin().await.unwrap();
            let later = NewJob::new(COUNTY, "test.count", Value::Null, clock.now_ms() + 60_000);
            assert!(enqueue_tx(&mut tx, clock.now_ms(), &later).await.unwrap().is_some());
            drop(tx); // rolled back
            assert!(list_recent(&t.db, 10).await.unwrap().is_empty(), "{}", t.name);

            let mut tx = t.db.begin().await.unwrap();
            enqueue_tx(&mut tx, clock.now_ms(), &later).await.unwrap();
            tx.commit().await.unwrap();
            assert_eq!(s.run_due_once().await.unwrap(), 0, "not due yet on {}", t.name);
            clock.advance(chrono::Duration::seconds(60));
            assert_eq!(s.run_due_once().await.unwrap(), 1, "{}", t.name);
            assert_eq!(calls.load(Ordering::SeqCst), 1);
        }
    }

    #[tokio::test]
    async fn jobs_failing_handler_backs_off_then_fails_with_audit_entry() {
        for t in testing::all().await.unwrap() {
            let clock = clock();
            let (s, calls) = scheduler(&t.db, &clock, true);
            let job = NewJob::new(COUNTY, "test.count", Value::Null, clock.now_ms()).with_max_attempts(3);
            let id = enqueue(&t.db, clock.now_ms(), &job).await.unwrap().unwrap();

            assert_eq!(s.run_due_once().await.unwrap(), 1);
            let j = get(&t.db, id).await.unwrap().unwrap();
            assert_eq!((j.status.as_str(), j.attempts), (QUEUED, 1), "{}", t.name);
            assert_eq!(j.run_at, clock.now_ms() + 30_000);
            assert_eq!(j.last_error.as_deref(), Some("故意失败"));

            clock.advance(chrono::Duration::seconds(29));
            assert_eq!(s.run_due_once().await.unwrap(), 0, "backing off on {}", t.name);
            clock.advance(chrono::Duration::seconds(1));
            assert_eq!(s.run_due_once().await.unwrap(), 1);
            let j = get(&t.db, id).await.unwrap().unwrap();
            assert_eq!((j.status.as_str(), j.attempts, j.run_at), (QUEUED, 2, clock.now_ms() + 60_000), "{}", t.name);

            clock.advance(chrono::Duration::seconds(60));
            assert_eq!(s.run_due_once().await.unwrap(), 1);
            let j = get(&t.db, id).await.unwrap().unwrap();
            assert_eq!((j.status.as_str(), j.attempts), (FAILED, 3), "{}", t.name);
            assert_eq!(calls.load(Ordering::SeqCst), 3);

            clock.advance(chrono::Duration::hours(2));
            assert_eq!(s.run_due_once().await.unwrap(), 0, "failed jobs stay failed on {}", t.name);
            let history = audit::history(&t.db, "job", &id.to_string(), 10).await.unwrap();
            assert_eq!(history.len(), 1, "{}", t.name);
            assert_eq!(history[0].action, "job.failed");
            assert_eq!(history[0].actor, "system:scheduler");
            assert!(audit::verify(&t.db).await.unwrap().is_intact());
        }
    }

    #[tokio::test]
    async fn jobs_unknown_kind_fails_at_once() {
        for t in testing::all().await.unwrap() {
            let clock = clock();
            let (s, _) = scheduler(&t.db, &clock, false);
            let id = enqueue(&t.db, clock.now_ms(), &NewJob::new(COUNTY, "nobody.handles", Value::Null, 0)).await.unwrap().unwrap();
            assert_eq!(s.run_due_once().await.unwrap(), 1);
            let j = get(&t.db, id).await.unwrap().unwrap();
            assert_eq!(j.status, FAILED, "{}", t.name);
            assert!(j.last_error.unwrap().contains("未知的任务类型"));
        }
    }

    #[tokio::test]
    async fn jobs_expired_lease_is_claimed_again() {
        for t in testing::all().await.unwrap() {
            let clock = clock();
            let (s, calls) = scheduler(&t.db, &clock, false);
            let s = s.with_lease(Duration::from_secs(60));
            let id = enqueue(&t.db, clock.now_ms(), &NewJob::new(COUNTY, "test.count", Value::Null, 0)).await.unwrap().unwrap();
            // A worker claims the job and dies before finishing it.
            let crashed = claim(&t.db, clock.now_ms(), 60_000).await.unwrap().unwrap();
            assert_eq!(crashed.id, id);
            assert_eq!(s.run_due_once().await.unwrap(), 0, "lease still held on {}", t.name);
            clock.advance(chrono::Duration::seconds(60));
            assert_eq!(s.run_due_once().await.unwrap(), 1, "{}", t.name);
            let j = get(&t.db, id).await.unwrap().unwrap();
            assert_eq!((j.status.as_str(), j.attempts, j.locked_until), (DONE, 2, None), "{}", t.name);
            assert_eq!(calls.load(Ordering::SeqCst), 1);
        }
    }

    #[tokio::test]
    async fn jobs_recurring_enqueue_is_idempotent_per_period() {
        for t in testing::all().await.unwrap() {
            let clock = clock(); // 2025-03-01 09:00 Beijing time
            let make = || {
                scheduler(&t.db, &clock, false)
                    .0
                    .with_recurring(Recurring::new(COUNTY, "test.count", Every::Daily { local_hour: 2 }))
                    .with_recurring(Recurring::new(COUNTY, "test.count", Every::EveryMinutes(15)))
            };
            let (a, b) = (make(), make());
            assert_eq!(a.enqueue_recurring().await.unwrap(), 2, "{}", t.name);
            assert_eq!(a.enqueue_recurring().await.unwrap(), 0);
            assert_eq!(b.enqueue_recurring().await.unwrap(), 0, "second instance on {}", t.name);
            let keys: Vec<_> = list_recent(&t.db, 10).await.unwrap().into_iter().filter_map(|j| j.idempotency_key).collect();
            assert!(keys.contains(&"test.count@410922@2025-03-01T02:00+08:00".to_string()), "{keys:?}");
            assert!(keys.contains(&"test.count@410922@2025-03-01T09:00+08:00".to_string()), "{keys:?}");

            clock.advance(chrono::Duration::minutes(15));
            assert_eq!(b.enqueue_recurring().await.unwrap(), 1, "next quarter hour on {}", t.name);
            assert_eq!(a.enqueue_recurring().await.unwrap(), 0);
            assert_eq!(a.run_due_once().await.unwrap(), 3);
            assert_eq!(b.run_due_once().await.unwrap(), 0);
        }
    }

    #[test]
    fn jobs_periods_and_backoff() {
        let at = |h, m| Utc.with_ymd_and_hms(2025, 3, 1, h, m, 0).unwrap().timestamp_millis();
        // 01:00 UTC is 09:00 in Beijing: today's 02:00 period started at 18:00 UTC the day before.
        assert_eq!(period_start_ms(Every::Daily { local_hour: 2 }, at(1, 0)), at(0, 0) - 6 * HOUR_MS);
        // 17:30 UTC is 01:30 in Beijing on 2 March: still the 1 March 02:00 period.
        assert_eq!(period_start_ms(Every::Daily { local_hour: 2 }, at(17, 30)), at(0, 0) - 6 * HOUR_MS);
        assert_eq!(period_start_ms(Every::Daily { local_hour: 2 }, at(18, 0)), at(18, 0));
        assert_eq!(period_start_ms(Every::EveryMinutes(15), at(1, 14)), at(1, 0));
        assert_eq!(retry_delay_ms(1), 30_000);
        assert_eq!(retry_delay_ms(2), 60_000);
        assert_eq!(retry_delay_ms(8), HOUR_MS);
        assert_eq!(retry_delay_ms(60), HOUR_MS);
    }

    #[tokio::test]
    async fn jobs_spawned_scheduler_runs_and_stops() {
        for t in testing::all().await.unwrap() {
            let clock = clock();
            let (s, calls) = scheduler(&t.db, &clock, false);
            let (stop, rx) = watch::channel(false);
            let handle = s.spawn(rx);
            enqueue(&t.db, clock.now_ms(), &NewJob::new(COUNTY, "test.count", Value::Null, 0)).await.unwrap();
            for _ in 0..500 {
                if calls.load(Ordering::SeqCst) == 1 {
                    break;
                }
                tokio::time::sleep(Duration::from_millis(10)).await;
            }
            assert_eq!(calls.load(Ordering::SeqCst), 1, "{}", t.name);
            stop.send(true).unwrap();
            tokio::time::timeout(Duration::from_secs(5), handle).await.unwrap().unwrap();
        }
    }
}
