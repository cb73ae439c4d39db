//! SQL of the portal, both backends: the policy library (`portal_policies`,
//! `portal_policy_articles`, migration 0300).

use std::collections::HashMap;

use qingfeng_platform::db::{Db, is_unique_violation};
use qingfeng_platform::sql::{Arg, Sql, like_escape};
use qingfeng_platform::{AppError, on_db, on_tx};
use serde::Serialize;

use crate::model::{Level, Status};
use crate::policy::{ParsedArticle, ParsedPolicy};

/// Articles per multi-row `INSERT` (7 values each, far below either backend's limit).
const BATCH: usize = 200;

/// 政策 A policy of the library as stored.
#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct Policy {
    pub id: i64,
    pub slug: String,
    pub title: String,
    pub level: String,
    pub issuer: String,
    pub doc_number: String,
    pub adopted_on: Option<String>,
    pub revised_on: Option<String>,
    pub effective_on: Option<String>,
    pub version_date: Option<String>,
    pub status: String,
    /// 核实依据 What the status was checked against; empty while unknown.
    pub status_basis: String,
    /// Username of who confirmed the status (staff pages only, not the public API).
    #[serde(skip)]
    pub status_checked_by: String,
    pub status_checked_at: Option<i64>,
    pub tags: String,
    pub history: String,
    pub article_count: i64,
}

impl Policy {
    pub fn level(&self) -> Option<Level> {
        Level::from_key(&self.level)
    }
    pub fn level_zh(&self) -> &'static str {
        self.level().map(Level::zh).unwrap_or("")
    }
    pub fn status(&self) -> Status {
        Status::from_key(&self.status)
    }
    /// When the status was confirmed, local time (`YYYY-MM-DD HH:MM`).
    pub fn checked_at_display(&self) -> Option<String> {
        self.status_checked_at.map(qingfeng_platform::clock::local_display)
    }
    pub fn tag_list(&self) -> Vec<&str> {
        self.tags.split(',').filter(|t| !t.is_empty()).collect()
    }
    pub fn history_lines(&self) -> Vec<&str> {
        self.history.lines().filter(|l| !l.is_empty()).collect()
    }
}

/// 条 One article as stored.
#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct Article {
    pub policy_id: i64,
    pub number: i64,
    pub label: String,
    pub chapter: String,
    pub section: String,
    pub body: String,
}

impl Article {
    pub fn paragraphs(&self) -> Vec<&str> {
        self.body.lines().collect()
    }
}

/// What [`ensure_loaded`] did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct LoadSummary {
    pub inserted: usize,
    pub updated: usize,
    pub unchanged: usize,
}

impl LoadSummary {
    /// Did the library in the database change (so the index must follow)?
    pub fn changed(&self) -> bool {
        self.inserted + self.updated > 0
    }
}

const POLICY_COLUMNS: &str = "id, slug, title, level, issuer, doc_number, adopted_on, revised_on, effective_on, version_date, status, \
                              status_basis, status_checked_by, status_checked_at, tags, history, article_count";

/// Load `library` into the database: new files are inserted, changed files (by
/// SHA-256) replace their articles under the same policy id — and their status goes back
/// to unknown, since a confirmation was of the old text —, unchanged ones are left
/// alone. Idempotent; safe when two servers start at once (the loser's insert is
/// skipped).
pub async fn ensure_loaded(db: &Db, library: &[ParsedPolicy], now_ms: i64) -> Result<LoadSummary, AppError> {
    #[derive(sqlx::FromRow)]
    struct Known {
        id: i64,
        slug: String,
        source_sha256: String,
    }
    let known: Vec<Known> = on_db!(db, |p| sqlx::query_as("SELECT id, slug, source_sha256 FROM portal_policies").fetch_all(p).await)?;
    let known: HashMap<&str, &Known> = known.iter().map(|k| (k.slug.as_str(), k)).collect();
    let mut sum = LoadSummary::default();
    for p in library {
        match known.get(p.slug.as_str()) {
            Some(k) if k.source_sha256 == p.sha256 => sum.unchanged += 1,
            Some(k) => {
                replace(db, k.id, p, now_ms).await?;
                sum.updated += 1;
            }
            None => match insert(db, p, now_ms).await {
                Ok(()) => sum.inserted += 1,
                Err(e) if is_unique_violation(&e) => sum.unchanged += 1,
                Err(e) => return Err(e.into()),
            },
        }
    }
    Ok(sum)
}

fn policy_args(p: &ParsedPolicy, now_ms: i64) -> Vec<Arg> {
    vec![
        p.title.clone().into(),
        p.level.key().into(),
        p.issuer.clone().into(),
        p.doc_number.clone().into(),
        p.adopted_on.clone().into(),
        p.revised_on.clone().into(),
        p.effective_on.clone().into(),
        p.version_date.clone().into(),
        p.status.key().into(),
        p.tags.join(",").into(),
        p.history.join("\n").into(),
        (p.articles.len() as i64).into(),
        p.sha256.clone().into(),
        now_ms.into(),
        p.slug.clone().into(),
    ]
}

async fn insert(db: &Db, p: &ParsedPolicy, now_ms: i64) -> Result<(), sqlx::Error> {
    const SQL: &str = "INSERT INTO portal_policies (title, level, issuer, doc_number, adopted_on, revised_on, effective_on, version_date, \
                       status, tags, history, article_count, source_sha256, loaded_at, slug) \
                       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15) RETURNING id";
    let mut tx = db.begin().await?;
    let id: i64 = on_tx!(&mut tx, |c| {
        sqlx::query_scalar(SQL)
            .bind(&p.title)
            .bind(p.level.key())
            .bind(&p.issuer)
            .bind(&p.doc_number)
            .bind(&p.adopted_on)
            .bind(&p.revised_on)
            .bind(&p.effective_on)
            .bind(&p.version_date)
            .bind(p.status.key())
            .bind(p.tags.join(","))
            .bind(p.history.join("\n"))
            .bind(p.articles.len() as i64)
            .bind(&p.sha256)
            .bind(now_ms)
            .bind(&p.slug)
            .fetch_one(&mut *c)
            .await
    })?;
    insert_articles(&mut tx, id, &p.articles).await?;
    tx.commit().await
}

async fn replace(db: &Db, id: i64, p: &ParsedPolicy, now_ms: i64) -> Result<(), sqlx::Error> {
    let mut tx = db.begin().await?;
    let mut args = policy_args(p, now_ms);
    args.pop();
    args.push(id.into());
    tx.execute(
        "UPDATE portal_policies SET title = $1, level = $2, issuer = $3, doc_number = $4, adopted_on = $5, revised_on = $6, \
         effective_on = $7, version_date = $8, status = $9, tags = $10, history = $11, article_count = $12, source_sha256 = $13, \
         loaded_at = $14, status_basis = '', status_checked_by = '', status_checked_at = NULL WHERE id = $15",
        &args,
    )
    .await?;
    tx.execute("DELETE FROM portal_policy_articles WHERE policy_id = $1", &[id.into()]).await?;
    insert_articles(&mut tx, id, &p.articles).await?;
    tx.commit().await
}

async fn insert_articles(tx: &mut qingfeng_platform::db::Tx, policy_id: i64, articles: &[ParsedArticle]) -> Result<(), sqlx::Error> {
    for chunk in articles.chunks(BATCH) {
        let mut sql = Sql::new("INSERT INTO portal_policy_articles (policy_id, number, label, chapter, section, body) VALUES ");
        for (i, a) in chunk.iter().enumerate() {
            sql.push(if i == 0 { "(" } else { ", (" });
            sql.bind(policy_id).push(", ").bind(a.number).push(", ").bind(&a.label).push(", ").bind(&a.chapter);
            sql.push(", ").bind(&a.section).push(", ").bind(&a.body).push(")");
        }
        tx.execute_sql(&sql).await?;
    }
    Ok(())
}

/// The policies of `level` (all when `None`): national first, then by title.
pub async fn list(db: &Db, level: Option<Level>) -> Result<Vec<Policy>, AppError> {
    let mut sql = Sql::new(&format!("SELECT {POLICY_COLUMNS} FROM portal_policies"));
    if let Some(l) = level {
        sql.push(" WHERE level = ").bind(l.key());
    }
    sql.push(" ORDER BY CASE level WHEN 'national' THEN 0 WHEN 'henan' THEN 1 ELSE 2 END, title");
    Ok(sql.fetch_all(db).await?)
}

/// 核实效力 Record the in-force status staff confirmed, inside `tx` (with its audit
/// entry). Returns whether the policy exists.
pub async fn set_status(
    tx: &mut qingfeng_platform::db::Tx,
    id: i64,
    status: Status,
    basis: &str,
    by: &str,
    now_ms: i64,
) -> Result<bool, sqlx::Error> {
    let n = tx
        .execute(
            "UPDATE portal_policies SET status = $1, status_basis = $2, status_checked_by = $3, status_checked_at = $4 WHERE id = $5",
            &[status.key().into(), basis.into(), by.into(), now_ms.into(), id.into()],
        )
        .await?;
    Ok(n == 1)
}

/// Policies whose title contains every whitespace-separated word of `q` (a search for a
/// statute by name), at most `limit`.
pub async fn find_by_title(db: &Db, q: &str, limit: i64) -> Result<Vec<Policy>, AppError> {
    let words: Vec<&str> = q.split_whitespace().take(8).collect();
    if words.is_empty() {
        return Ok(Vec::new());
    }
    let mut sql = Sql::new(&format!("SELECT {POLICY_COLUMNS} FROM portal_policies WHERE "));
    for (i, w) in words.iter().enumerate() {
        if i > 0 {
            sql.push(" AND ");
        }
        sql.push("title LIKE ").bind(format!("%{}%", like_escape(w))).push(" ESCAPE '\\'");
    }
    sql.push(" ORDER BY CASE level WHEN 'national' THEN 0 WHEN 'henan' THEN 1 ELSE 2 END, title LIMIT ").bind(limit);
    Ok(sql.fetch_all(db).await?)
}

/// One policy.
pub async fn policy(db: &Db, id: i64) -> Result<Option<Policy>, AppError> {
    let mut sql = Sql::new(&format!("SELECT {POLICY_COLUMNS} FROM portal_policies WHERE id = "));
    sql.bind(id);
    Ok(sql.fetch_optional(db).await?)
}

/// The articles of a policy, in order.
pub async fn articles(db: &Db, policy_id: i64) -> Result<Vec<Article>, AppError> {
    Ok(on_db!(db, |p| sqlx::query_as(
        "SELECT policy_id, number, label, chapter, section, body FROM portal_policy_articles WHERE policy_id = $1 ORDER BY number"
    )
    .bind(policy_id)
    .fetch_all(p)
    .await)?)
}

/// Every article of the library with its policy (for the search index).
pub async fn all_articles(db: &Db) -> Result<Vec<(Policy, Vec<Article>)>, AppError> {
    let policies = list(db, None).await?;
    let all: Vec<Article> = on_db!(db, |p| sqlx::query_as(
        "SELECT policy_id, number, label, chapter, section, body FROM portal_policy_articles ORDER BY policy_id, number"
    )
    .fetch_all(p)
    .await)?;
    let mut by_policy: HashMap<i64, Vec<Article>> = HashMap::new();
    for a in all {
        by_policy.entry(a.policy_id).or_default().push(a);
    }
    Ok(policies
        .into_iter()
        .map(|p| {
            let arts = by_policy.remove(&p.id).unwrap_or_default();
            (p, arts)
        })
        .collect())
}
