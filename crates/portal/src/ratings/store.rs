//! 评价存取 SQL of ratings and the published months.

use qingfeng_platform::db::{Db, Tx};
use qingfeng_platform::listing::{ListParams, Page, SortKey, fetch_page};
use qingfeng_platform::sql::{Arg, Sql, Where};
use serde::Serialize;

use super::{level_zh, state_zh};
use crate::tickets::store::opt_text;
use qingfeng_platform::clock::local_display;

/// 评价 A rating.
#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct Rating {
    pub id: i64,
    pub county_code: String,
    pub code: String,
    pub subject_kind: String,
    pub subject_id: i64,
    pub subject_title: String,
    pub org_id: i64,
    pub level: i64,
    pub comment: String,
    pub channel: String,
    pub anonymous: bool,
    pub rater_name: String,
    pub phone_masked: String,
    #[serde(skip)]
    pub phone_hash: Option<String>,
    #[serde(skip)]
    pub phone_enc: Option<String>,
    pub month: String,
    pub day: String,
    pub state: Option<String>,
    pub due_at: Option<i64>,
    pub due_basis: String,
    pub verdict: Option<String>,
    pub visit_note: String,
    pub rectification: String,
    pub feedback: String,
    pub appeal_reason: String,
    pub review_note: String,
    pub excluded: bool,
    pub overdue_at: Option<i64>,
    pub closed_at: Option<i64>,
    pub is_demo: bool,
    pub created_at: i64,
    pub updated_at: i64,
    pub org_name: String,
}

const COLUMNS: &str = "g.id, g.county_code, g.code, g.subject_kind, g.subject_id, g.subject_title, g.org_id, g.level, g.comment, \
     g.channel, g.anonymous, g.rater_name, g.phone_masked, g.phone_hash, g.phone_enc, g.month, g.day, g.state, g.due_at, g.due_basis, \
     g.verdict, g.visit_note, g.rectification, g.feedback, g.appeal_reason, g.review_note, g.excluded, g.overdue_at, g.closed_at, \
     g.is_demo, g.created_at, g.updated_at, o.name AS org_name";

fn select() -> String {
    format!("SELECT {COLUMNS} FROM portal_ratings g JOIN organisations o ON o.id = g.org_id")
}

impl Rating {
    pub fn level_zh(&self) -> &'static str {
        level_zh(self.level)
    }
    pub fn is_bad(&self) -> bool {
        super::is_bad(self.level)
    }
    pub fn state_zh(&self) -> &'static str {
        self.state.as_deref().map(state_zh).unwrap_or("")
    }
    pub fn state_key(&self) -> &str {
        self.state.as_deref().unwrap_or("")
    }
    pub fn is_open(&self) -> bool {
        self.state.as_deref().is_some_and(|s| s != "closed")
    }
    pub fn due_zh(&self) -> String {
        self.due_at.map(qingfeng_platform::clock::due_display).unwrap_or_default()
    }
    pub fn created_zh(&self) -> String {
        local_display(self.created_at)
    }
    pub fn is_overdue(&self, now_ms: &i64) -> bool {
        self.is_open() && self.due_at.is_some_and(|d| d <= *now_ms)
    }
    pub fn subject_zh(&self) -> &'static str {
        if self.subject_kind == "ticket" { "工单" } else { "服务" }
    }
    pub fn stars(&self) -> String {
        "★".repeat(usize::try_from(self.level).unwrap_or(0))
    }
}

/// What a new rating stores.
pub struct NewRating {
    pub county_code: String,
    pub code: String,
    pub subject_kind: &'static str,
    pub subject_id: i64,
    pub subject_title: String,
    pub org_id: i64,
    pub level: i64,
    pub comment: String,
    pub channel: &'static str,
    pub anonymous: bool,
    pub rater_name: String,
    pub phone_masked: String,
    pub phone_hash: Option<String>,
    pub phone_enc: Option<String>,
    pub month: String,
    pub day: String,
    pub state: Option<&'static str>,
    pub due_at: Option<i64>,
    pub due_basis: String,
    pub is_demo: bool,
    pub now_ms: i64,
}

pub async fn insert(tx: &mut Tx, r: &NewRating) -> Result<i64, sqlx::Error> {
    let mut s = Sql::new(
        "INSERT INTO portal_ratings (county_code, code, subject_kind, subject_id, subject_title, org_id, level, comment, channel, \
         anonymous, rater_name, phone_masked, phone_hash, phone_enc, month, day, state, due_at, due_basis, is_demo, created_at, \
         updated_at) VALUES (",
    );
    let args: Vec<Arg> = vec![
        r.county_code.as_str().into(),
        r.code.as_str().into(),
        r.subject_kind.into(),
        Arg::Int(r.subject_id),
        r.subject_title.as_str().into(),
        Arg::Int(r.org_id),
        Arg::Int(r.level),
        r.comment.as_str().into(),
        r.channel.into(),
        Arg::Bool(r.anonymous),
        r.rater_name.as_str().into(),
        r.phone_masked.as_str().into(),
        opt_text(r.phone_hash.as_deref()),
        opt_text(r.phone_enc.as_deref()),
        r.month.as_str().into(),
        r.day.as_str().into(),
        opt_text(r.state),
        r.due_at.map(Arg::Int).unwrap_or(Arg::NullInt),
        r.due_basis.as_str().into(),
        Arg::Bool(r.is_demo),
        Arg::Int(r.now_ms),
        Arg::Int(r.now_ms),
    ];
    s.bind_all(args).push(") RETURNING id");
    let ids: Vec<(i64,)> = tx.fetch_all(&s).await?;
    ids.first().map(|r| r.0).ok_or(sqlx::Error::RowNotFound)
}

pub async fn by_id(db: &Db, id: i64) -> Result<Option<Rating>, sqlx::Error> {
    let mut s = Sql::new(&select());
    s.push(" WHERE g.id = ").bind(id);
    s.fetch_optional(db).await
}

pub async fn by_id_tx(tx: &mut Tx, id: i64) -> Result<Option<Rating>, sqlx::Error> {
    let mut s = Sql::new(&select());
    s.push(" WHERE g.id = ").bind(id);
    Ok(tx.fetch_all(&s).await?.pop())
}

pub async fn by_code(db: &Db, code: &str) -> Result<Option<Rating>, sqlx::Error> {
    let mut s = Sql::new(&select());
    s.push(" WHERE g.code = ").bind(code);
    s.fetch_optional(db).await
}

pub async fn for_ticket(db: &Db, ticket_id: i64) -> Result<Option<Rating>, sqlx::Error> {
    let mut s = Sql::new(&select());
    s.push(" WHERE g.subject_kind = 'ticket' AND g.subject_id = ").bind(ticket_id);
    s.fetch_optional(db).await
}

/// What a staff list asks for.
#[derive(Debug, Clone, Default)]
pub struct Filter {
    pub county_code: String,
    pub org_id: Option<i64>,
    /// Only 差评 (with a workflow).
    pub bad_only: bool,
    /// Only 差评 still open.
    pub open_only: bool,
    pub month: Option<String>,
}

pub const SORT: &[SortKey] = &[SortKey { key: "id", column: "g.id" }, SortKey { key: "due", column: "g.due_at" }];

pub async fn list(db: &Db, f: &Filter, params: &ListParams) -> Result<Page<Rating>, sqlx::Error> {
    let mut w = Where::new();
    w.eq("g.county_code", f.county_code.as_str());
    if let Some(org) = f.org_id {
        w.eq("g.org_id", org);
    }
    if f.bad_only {
        w.raw(&Sql::new("g.state IS NOT NULL"));
    }
    if f.open_only {
        w.raw(&Sql::new("g.state IS NOT NULL AND g.state <> 'closed'"));
    }
    if let Some(m) = &f.month {
        w.eq("g.month", m.as_str());
    }
    if let Some(q) = &params.q {
        w.contains_any(&["g.code", "g.subject_title", "g.comment"], q);
    }
    fetch_page(db, &select(), &w, params).await
}

/// 月度得分 One department's figures for a month.
#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct MonthRow {
    pub org_id: i64,
    pub org_name: String,
    pub ratings: i64,
    pub mean_x100: i64,
    pub good: i64,
    pub bad: i64,
    pub bad_closed: i64,
    pub rank: i64,
}

impl MonthRow {
    pub fn mean(&self) -> String {
        format!("{}.{:02}", self.mean_x100 / 100, self.mean_x100 % 100)
    }
    /// 好评率 as a percentage with one decimal.
    pub fn good_rate(&self) -> String {
        share(self.good, self.ratings)
    }
    /// 差评整改率: 差评 whose handling is closed.
    pub fn bad_closed_rate(&self) -> String {
        if self.bad == 0 { "—".into() } else { share(self.bad_closed, self.bad) }
    }
}

fn share(part: i64, whole: i64) -> String {
    if whole == 0 {
        return "—".into();
    }
    let permille = (part * 1000 + whole / 2) / whole;
    format!("{}.{}%", permille / 10, permille % 10)
}

#[derive(sqlx::FromRow)]
struct Agg {
    org_id: i64,
    org_name: String,
    ratings: i64,
    level_sum: i64,
    good: i64,
    bad: i64,
    bad_closed: i64,
}

/// The live figures of `month` per department, ranked: the mean level first, then the
/// number of ratings. Ratings taken out by an upheld appeal do not count.
pub async fn month_scores(db: &Db, county: &str, month: &str) -> Result<Vec<MonthRow>, sqlx::Error> {
    let mut s = Sql::new(
        "SELECT g.org_id, o.name AS org_name, COUNT(*) AS ratings, CAST(SUM(g.level) AS BIGINT) AS level_sum, \
         CAST(SUM(CASE WHEN g.level >= 4 THEN 1 ELSE 0 END) AS BIGINT) AS good, \
         CAST(SUM(CASE WHEN g.level <= 2 THEN 1 ELSE 0 END) AS BIGINT) AS bad, \
         CAST(SUM(CASE WHEN g.level <= 2 AND g.state = 'closed' THEN 1 ELSE 0 END) AS BIGINT) AS bad_closed \
         FROM portal_ratings g JOIN organisations o ON o.id = g.org_id WHERE g.county_code = ",
    );
    s.bind(county).push(" AND g.month = ").bind(month).push(" AND g.excluded = ").bind(false).push(" GROUP BY g.org_id, o.name");
    let aggs: Vec<Agg> = s.fetch_all(db).await?;
    let mut rows: Vec<MonthRow> = aggs
        .into_iter()
        .map(|a| MonthRow {
            org_id: a.org_id,
            org_name: a.org_name,
            mean_x100: if a.ratings == 0 { 0 } else { (a.level_sum * 100 + a.ratings / 2) / a.ratings },
            ratings: a.ratings,
            good: a.good,
            bad: a.bad,
            bad_closed: a.bad_closed,
            rank: 0,
        })
        .collect();
    rows.sort_by(|a, b| b.mean_x100.cmp(&a.mean_x100).then(b.ratings.cmp(&a.ratings)).then(a.org_name.cmp(&b.org_name)));
    for (i, r) in rows.iter_mut().enumerate() {
        r.rank = i64::try_from(i).unwrap_or(0) + 1;
    }
    Ok(rows)
}

/// The published figures of `month`, by rank.
pub async fn published(db: &Db, county: &str, month: &str) -> Result<Vec<MonthRow>, sqlx::Error> {
    let mut s =
        Sql::new("SELECT org_id, org_name, ratings, mean_x100, good, bad, bad_closed, rank FROM portal_rating_months WHERE county_code = ");
    s.bind(county).push(" AND month = ").bind(month).push(" ORDER BY rank");
    s.fetch_all(db).await
}

/// The months published, newest first.
pub async fn published_months(db: &Db, county: &str) -> Result<Vec<String>, sqlx::Error> {
    let mut s = Sql::new("SELECT DISTINCT month FROM portal_rating_months WHERE county_code = ");
    s.bind(county).push(" ORDER BY month DESC");
    Ok(s.fetch_all::<(String,)>(db).await?.into_iter().map(|r| r.0).collect())
}

pub async fn insert_month(tx: &mut Tx, county: &str, month: &str, rows: &[MonthRow], by: &str, now_ms: i64) -> Result<(), sqlx::Error> {
    for r in rows {
        tx.execute(
            "INSERT INTO portal_rating_months (county_code, month, org_id, org_name, ratings, mean_x100, good, bad, bad_closed, rank, \
             published_at, published_by) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)",
            &[
                county.into(),
                month.into(),
                Arg::Int(r.org_id),
                r.org_name.as_str().into(),
                Arg::Int(r.ratings),
                Arg::Int(r.mean_x100),
                Arg::Int(r.good),
                Arg::Int(r.bad),
                Arg::Int(r.bad_closed),
                Arg::Int(r.rank),
                Arg::Int(now_ms),
                by.into(),
            ],
        )
        .await?;
    }
    Ok(())
}

/// Open 差评 past their deadline and not yet reported.
pub async fn overdue(db: &Db, county: &str, now_ms: i64) -> Result<Vec<Rating>, sqlx::Error> {
    let mut s = Sql::new(&select());
    s.push(" WHERE g.county_code = ")
        .bind(county)
        .push(" AND g.state IS NOT NULL AND g.state <> 'closed' AND g.overdue_at IS NULL AND g.due_at <= ")
        .bind(now_ms)
        .push(" ORDER BY g.due_at LIMIT 500");
    s.fetch_all(db).await
}
