//! SQL of the articles (`portal_articles`, `portal_content_categories`, migration 0320),
//! both backends. The state column is only ever moved by [`super::MACHINE`].

use qingfeng_platform::AppError;
use qingfeng_platform::db::{Db, Tx};
use qingfeng_platform::listing::{self, ListParams, Page, SortKey};
use qingfeng_platform::sql::{Arg, Sql, Where};
use qingfeng_platform::{on_db, on_tx};
use serde::Serialize;

use super::{Channel, CheckedDraft, PUBLISHED};

/// 分类 A category of a channel.
#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct Category {
    pub channel: String,
    pub slug: String,
    pub name: String,
}

/// The categories of `channel`, in their order.
pub async fn categories(db: &Db, channel: Channel) -> Result<Vec<Category>, AppError> {
    Ok(on_db!(db, |p| sqlx::query_as(
        "SELECT channel, slug, name FROM portal_content_categories WHERE channel = $1 ORDER BY sort_order, slug"
    )
    .bind(channel.key())
    .fetch_all(p)
    .await)?)
}

/// 文章 An article as stored.
#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct Article {
    pub id: i64,
    pub county_code: String,
    pub channel: String,
    pub category: String,
    pub title: String,
    pub summary: String,
    pub body: String,
    pub source: String,
    pub cover_id: Option<i64>,
    pub state: String,
    pub publish_at: Option<i64>,
    pub published_at: Option<i64>,
    #[serde(skip)]
    pub author_id: i64,
    #[serde(skip)]
    pub author_name: String,
    #[serde(skip)]
    pub reviewer_name: String,
    #[serde(skip)]
    pub return_reason: String,
    #[serde(skip)]
    pub withdraw_reason: String,
    pub is_demo: bool,
    pub created_at: i64,
    pub updated_at: i64,
}

impl Article {
    pub fn channel(&self) -> Channel {
        Channel::from_key(&self.channel).unwrap_or(Channel::News)
    }
    pub fn state_zh(&self) -> &'static str {
        super::state_zh(&self.state)
    }
    pub fn is_published(&self) -> bool {
        self.state == PUBLISHED
    }
    /// The date shown (published, else last changed), Beijing time `YYYY-MM-DD`.
    pub fn date(&self) -> String {
        let ms = self.published_at.unwrap_or(self.updated_at);
        qingfeng_platform::clock::local_display(ms).chars().take(10).collect()
    }
    pub fn publish_at_display(&self) -> Option<String> {
        self.publish_at.map(qingfeng_platform::clock::local_display)
    }
    /// The public address of the article.
    pub fn href(&self) -> String {
        format!("{}/{}", self.channel().public_path(), self.id)
    }
    /// The summary, or the body's first characters.
    pub fn teaser(&self) -> String {
        if !self.summary.is_empty() {
            return self.summary.clone();
        }
        let first = self.body.lines().next().unwrap_or("");
        let mut t: String = first.chars().take(60).collect();
        if first.chars().count() > 60 {
            t.push('…');
        }
        t
    }
}

const COLUMNS: &str = "SELECT id, county_code, channel, category, title, summary, body, source, cover_id, state, publish_at, published_at, \
     author_id, author_name, reviewer_name, return_reason, withdraw_reason, is_demo, created_at, updated_at FROM portal_articles";

/// Who writes an article.
pub struct Author<'a> {
    pub id: i64,
    pub name: &'a str,
}

/// A new draft; returns its id.
pub async fn insert(tx: &mut Tx, county: &str, d: &CheckedDraft, author: &Author<'_>, is_demo: bool, now_ms: i64) -> Result<i64, AppError> {
    Ok(on_tx!(tx, |c| sqlx::query_scalar(
        "INSERT INTO portal_articles (county_code, channel, category, title, summary, body, source, state, author_id, author_name, \
         is_demo, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, 'draft', $8, $9, $10, $11, $11) RETURNING id"
    )
    .bind(county)
    .bind(d.channel.key())
    .bind(&d.category)
    .bind(&d.title)
    .bind(&d.summary)
    .bind(&d.body)
    .bind(&d.source)
    .bind(author.id)
    .bind(author.name)
    .bind(is_demo)
    .bind(now_ms)
    .fetch_one(&mut *c)
    .await)?)
}

/// Replace the text of a draft (only while it is a draft); returns whether it was.
pub async fn update_draft(tx: &mut Tx, id: i64, d: &CheckedDraft, now_ms: i64) -> Result<bool, AppError> {
    let n = tx
        .execute(
            "UPDATE portal_articles SET channel = $1, category = $2, title = $3, summary = $4, body = $5, source = $6, updated_at = $7 \
             WHERE id = $8 AND state = 'draft'",
            &[
                Arg::from(d.channel.key()),
                Arg::from(d.category.as_str()),
                Arg::from(d.title.as_str()),
                Arg::from(d.summary.as_str()),
                Arg::from(d.body.as_str()),
                Arg::from(d.source.as_str()),
                Arg::from(now_ms),
                Arg::from(id),
            ],
        )
        .await?;
    Ok(n > 0)
}

/// The other columns a transition changes, set beside the machine's state move.
#[derive(Debug, Clone, Default)]
pub struct Facts<'a> {
    pub publish_at: Option<i64>,
    pub published_at: Option<i64>,
    pub reviewer_name: Option<&'a str>,
    pub return_reason: Option<&'a str>,
    pub withdraw_reason: Option<&'a str>,
}

pub async fn set_facts(tx: &mut Tx, id: i64, f: &Facts<'_>, now_ms: i64) -> Result<(), AppError> {
    let mut s = Sql::new("UPDATE portal_articles SET updated_at = ");
    s.bind(now_ms);
    if let Some(v) = f.publish_at {
        s.push(", publish_at = ").bind(v);
    }
    if let Some(v) = f.published_at {
        s.push(", published_at = ").bind(v);
    }
    if let Some(v) = f.reviewer_name {
        s.push(", reviewer_name = ").bind(v);
    }
    if let Some(v) = f.return_reason {
        s.push(", return_reason = ").bind(v);
    }
    if let Some(v) = f.withdraw_reason {
        s.push(", withdraw_reason = ").bind(v);
    }
    s.push(" WHERE id = ").bind(id);
    tx.execute_sql(&s).await?;
    Ok(())
}

pub async fn set_cover(tx: &mut Tx, id: i64, cover: Option<i64>, now_ms: i64) -> Result<(), AppError> {
    tx.execute(
        "UPDATE portal_articles SET cover_id = $1, updated_at = $2 WHERE id = $3",
        &[Arg::from(cover), Arg::from(now_ms), Arg::from(id)],
    )
    .await?;
    Ok(())
}

/// One article of `county`, any state.
pub async fn get(db: &Db, county: &str, id: i64) -> Result<Option<Article>, AppError> {
    let mut s = Sql::new(COLUMNS);
    s.push(" WHERE id = ").bind(id).push(" AND county_code = ").bind(county);
    Ok(s.fetch_optional(db).await?)
}

/// One article, any county and state (the job, and re-reading after a change).
pub async fn get_any(db: &Db, id: i64) -> Result<Option<Article>, AppError> {
    let mut s = Sql::new(COLUMNS);
    s.push(" WHERE id = ").bind(id);
    Ok(s.fetch_optional(db).await?)
}

/// The columns staff may sort by (the first is the unique tie-breaker).
pub const SORT: &[SortKey] = &[
    SortKey { key: "id", column: "id" },
    SortKey { key: "updated", column: "updated_at" },
    SortKey { key: "published", column: "published_at" },
];

/// Filters of the staff list.
#[derive(Debug, Clone, Default)]
pub struct Filter {
    pub county: String,
    pub channel: Option<Channel>,
    pub state: Option<String>,
    pub category: Option<String>,
}

/// A page of articles (staff: any state; the public passes state `published`).
pub async fn list(db: &Db, f: &Filter, params: &ListParams) -> Result<Page<Article>, AppError> {
    let mut w = Where::new();
    w.eq("county_code", f.county.as_str());
    if let Some(c) = f.channel {
        w.eq("channel", c.key());
    }
    if let Some(s) = &f.state {
        w.eq("state", s.as_str());
    }
    if let Some(c) = &f.category {
        w.eq("category", c.as_str());
    }
    if let Some(q) = &params.q {
        w.contains_any(&["title", "summary"], q);
    }
    Ok(listing::fetch_page(db, COLUMNS, &w, params).await?)
}

/// How many articles of `county` are in each state.
pub async fn state_counts(db: &Db, county: &str) -> Result<Vec<(String, i64)>, AppError> {
    Ok(on_db!(db, |p| sqlx::query_as("SELECT state, COUNT(*) FROM portal_articles WHERE county_code = $1 GROUP BY state")
        .bind(county)
        .fetch_all(p)
        .await)?)
}

/// Every published article (for the search index).
pub async fn all_published(db: &Db) -> Result<Vec<Article>, AppError> {
    let mut s = Sql::new(COLUMNS);
    s.push(" WHERE state = ").bind(PUBLISHED).push(" ORDER BY id");
    Ok(s.fetch_all(db).await?)
}

/// Scheduled articles whose time has come (a safety net beside the per-article job).
pub async fn due_scheduled(db: &Db, now_ms: i64) -> Result<Vec<i64>, AppError> {
    Ok(on_db!(db, |p| sqlx::query_scalar(
        "SELECT id FROM portal_articles WHERE state = 'scheduled' AND publish_at <= $1 ORDER BY publish_at, id LIMIT 100"
    )
    .bind(now_ms)
    .fetch_all(p)
    .await)?)
}

/// Are there demo articles already?
pub async fn has_demo(db: &Db) -> Result<bool, AppError> {
    let n: i64 = on_db!(db, |p| sqlx::query_scalar("SELECT COUNT(*) FROM portal_articles WHERE is_demo").fetch_one(p).await)?;
    Ok(n > 0)
}
