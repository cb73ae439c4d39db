//! 存储 The SQL of the mediation module: cases, parties, sessions, notices and court
//! case numbers, with the visibility rule (who sees what) applied in one place.

use qingfeng_core::{Deadline, DeadlineStatus};
use qingfeng_platform::auth::Role;
use qingfeng_platform::db::{Db, Tx};
use qingfeng_platform::listing::{ListParams, Page, SortKey, fetch_page};
use qingfeng_platform::sql::{Arg, Sql, Where};
use qingfeng_platform::users::User;
use qingfeng_platform::{AppError, on_db, on_tx};
use serde::Serialize;

use crate::model;
use crate::rules::Rules;

/// 案件 A dispute case.
#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct Case {
    pub id: i64,
    pub county_code: String,
    pub tracking_code: String,
    pub channel: String,
    pub category: String,
    pub summary: String,
    pub claim: String,
    pub amount_fen: Option<i64>,
    pub township_code: String,
    pub village_code: String,
    pub place: String,
    pub occurred_on: Option<String>,
    pub grid_id: Option<i64>,
    pub reporter_user_id: Option<i64>,
    pub external_ref: Option<String>,
    pub state: String,
    pub level: String,
    pub body_kind: String,
    pub body_org_id: Option<i64>,
    pub body_name: String,
    pub mediator_user_id: Option<i64>,
    pub tribunal_org_id: Option<i64>,
    pub route_rule: String,
    pub due_at: Option<i64>,
    pub due_basis: String,
    pub reminded_at: Option<i64>,
    pub overdue_notified_at: Option<i64>,
    pub level_due_at: Option<i64>,
    pub mediation_started_at: Option<i64>,
    pub extension_days: i64,
    pub agreement_at: Option<i64>,
    pub agreement_text: Option<String>,
    pub failure_reason: Option<String>,
    pub court_case_no: Option<String>,
    pub closed_at: Option<i64>,
    pub outcome: Option<String>,
    pub followup_at: Option<i64>,
    pub satisfaction: Option<i64>,
    pub followup_note: Option<String>,
    pub is_demo: bool,
    pub created_at: i64,
    pub updated_at: i64,
}

pub const CASE_COLUMNS: &str = "c.id, c.county_code, c.tracking_code, c.channel, c.category, c.summary, c.claim, c.amount_fen, \
    c.township_code, c.village_code, c.place, c.occurred_on, c.grid_id, c.reporter_user_id, c.external_ref, c.state, c.level, \
    c.body_kind, c.body_org_id, c.body_name, c.mediator_user_id, c.tribunal_org_id, c.route_rule, c.due_at, c.due_basis, \
    c.reminded_at, c.overdue_notified_at, c.level_due_at, c.mediation_started_at, c.extension_days, c.agreement_at, c.agreement_text, c.failure_reason, \
    c.court_case_no, c.closed_at, c.outcome, c.followup_at, c.satisfaction, c.followup_note, c.is_demo, c.created_at, c.updated_at";

impl Case {
    pub fn state_zh(&self) -> &'static str {
        model::state_zh(&self.state)
    }
    pub fn state_en(&self) -> &'static str {
        model::state_en(&self.state)
    }
    pub fn channel_zh(&self) -> &'static str {
        model::channel_zh(&self.channel)
    }
    pub fn level_zh(&self) -> &'static str {
        model::level_zh(&self.level)
    }
    pub fn category_zh(&self) -> String {
        Rules::shipped().category_zh(&self.category)
    }
    pub fn is_open(&self) -> bool {
        model::is_open(&self.state)
    }
    pub fn created_zh(&self) -> String {
        qingfeng_platform::clock::local_display(self.created_at)
    }
    /// The deadline of the current state in local time (UTC+8), or empty. A day-based
    /// deadline ends at 24:00 of its last day (民法典 第203条), shown as such rather than
    /// as 00:00 of the next day.
    pub fn due_zh(&self) -> String {
        self.due_at.map(qingfeng_platform::clock::due_display).unwrap_or_default()
    }
    /// Where the deadline stands at `now_ms`: 正常, 即将到期 (within `warn_ms`) or 已逾期.
    pub fn due_status(&self, now_ms: i64, warn_ms: i64) -> Option<DeadlineStatus> {
        let due = self.due_at?;
        if !self.is_open() {
            return None;
        }
        let d = Deadline { due_local_date: None, due_at: qingfeng_platform::clock::from_ms(due) };
        Some(d.status(qingfeng_platform::clock::from_ms(now_ms), chrono::TimeDelta::milliseconds(warn_ms)))
    }
    pub fn amount_yuan(&self) -> String {
        self.amount_fen.map(|f| format!("{}.{:02}", f / 100, f % 100)).unwrap_or_default()
    }
}

/// 当事人 A party as stored (the code and phone only masked and hashed).
#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct Party {
    pub id: i64,
    pub case_id: i64,
    pub role: String,
    pub kind: String,
    pub name: String,
    pub code_masked: String,
    #[serde(skip)]
    pub code_hash: Option<String>,
    pub phone_masked: String,
    #[serde(skip)]
    pub phone_hash: Option<String>,
}

impl Party {
    pub fn role_zh(&self) -> &'static str {
        model::party_role_zh(&self.role)
    }
}

/// A party ready to store: codes and phone already encrypted/hashed by the caller.
#[derive(Debug, Clone)]
pub struct NewParty {
    pub role: &'static str,
    pub kind: &'static str,
    pub name: String,
    pub code_masked: String,
    pub code_hash: Option<String>,
    pub code_enc: Option<String>,
    pub phone_masked: String,
    pub phone_hash: Option<String>,
    pub phone_enc: Option<String>,
}

/// 调解记录 A mediation session.
#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct Session {
    pub id: i64,
    pub case_id: i64,
    pub scheduled_at: i64,
    pub place: String,
    pub held: bool,
    pub minutes: String,
}

impl Session {
    pub fn when_zh(&self) -> String {
        qingfeng_platform::clock::local_display(self.scheduled_at)
    }
}

/// 提醒 A notice.
#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct Notice {
    pub id: i64,
    pub case_id: i64,
    pub kind: String,
    pub text: String,
    pub created_at: i64,
    pub read_at: Option<i64>,
}

impl Notice {
    pub fn when_zh(&self) -> String {
        qingfeng_platform::clock::local_display(self.created_at)
    }
}

/// The case fields a new case is stored with (checked by [`crate::workflow::intake`]).
#[derive(Debug, Clone)]
pub struct NewCase {
    pub county_code: String,
    pub tracking_code: String,
    pub channel: &'static str,
    pub category: String,
    pub summary: String,
    pub claim: String,
    pub amount_fen: Option<i64>,
    pub township_code: String,
    pub village_code: String,
    pub place: String,
    pub occurred_on: Option<String>,
    pub grid_id: Option<i64>,
    pub reporter_user_id: Option<i64>,
    pub external_ref: Option<String>,
    pub is_demo: bool,
}

pub async fn insert_case(tx: &mut Tx, new: &NewCase, parties: &[NewParty], now_ms: i64) -> Result<i64, sqlx::Error> {
    const SQL: &str = "INSERT INTO mediation_cases (county_code, tracking_code, channel, category, summary, claim, amount_fen, \
        township_code, village_code, place, occurred_on, grid_id, reporter_user_id, external_ref, state, level, body_kind, body_name, \
        is_demo, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, 'received', 'village', \
        'village_committee', '', $15, $16, $16) RETURNING id";
    let id: i64 = on_tx!(tx, |c| {
        sqlx::query_scalar(SQL)
            .bind(&new.county_code)
            .bind(&new.tracking_code)
            .bind(new.channel)
            .bind(&new.category)
            .bind(&new.summary)
            .bind(&new.claim)
            .bind(new.amount_fen)
            .bind(&new.township_code)
            .bind(&new.village_code)
            .bind(&new.place)
            .bind(&new.occurred_on)
            .bind(new.grid_id)
            .bind(new.reporter_user_id)
            .bind(&new.external_ref)
            .bind(new.is_demo)
            .bind(now_ms)
            .fetch_one(&mut *c)
            .await
    })?;
    for p in parties {
        tx.execute(
            "INSERT INTO mediation_parties (case_id, role, kind, name, code_masked, code_hash, code_enc, phone_masked, phone_hash, phone_enc, \
             created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
            &[
                Arg::Int(id),
                Arg::from(p.role),
                Arg::from(p.kind),
                Arg::from(&p.name),
                Arg::from(&p.code_masked),
                Arg::from(p.code_hash.clone()),
                Arg::from(p.code_enc.clone()),
                Arg::from(&p.phone_masked),
                Arg::from(p.phone_hash.clone()),
                Arg::from(p.phone_enc.clone()),
                Arg::Int(now_ms),
            ],
        )
        .await?;
    }
    Ok(id)
}

/// The case with this id inside a transaction (no visibility check: the caller has made it).
pub async fn case_tx(tx: &mut Tx, id: i64) -> Result<Option<Case>, sqlx::Error> {
    let mut s = Sql::new(&format!("SELECT {CASE_COLUMNS} FROM mediation_cases c WHERE c.id = "));
    s.bind(id);
    Ok(tx.fetch_all::<Case>(&s).await?.into_iter().next())
}

/// The case by its external reference from a channel (综治 platform case number).
pub async fn case_by_external(db: &Db, channel: &str, external_ref: &str) -> Result<Option<Case>, sqlx::Error> {
    let mut s = Sql::new(&format!("SELECT {CASE_COLUMNS} FROM mediation_cases c WHERE c.channel = "));
    s.bind(channel).push(" AND c.external_ref = ").bind(external_ref);
    s.fetch_optional(db).await
}

pub async fn case_by_tracking(db: &Db, tracking_code: &str) -> Result<Option<Case>, sqlx::Error> {
    let mut s = Sql::new(&format!("SELECT {CASE_COLUMNS} FROM mediation_cases c WHERE c.tracking_code = "));
    s.bind(tracking_code);
    s.fetch_optional(db).await
}

/// 谁能看到什么 The cases `user` may see, as a condition on `mediation_cases c`:
/// county staff everything in their division; township staff and grid workers their
/// township or village (by the case's village code); mediators the cases assigned to them
/// and to their organisation; judges the cases of their tribunal.
pub fn visibility(user: &User) -> Sql {
    let mut any: Vec<Sql> = Vec::new();
    let division = |u: &User| {
        let mut s = Sql::new("c.village_code LIKE ");
        s.bind(format!("{}%", qingfeng_platform::sql::like_escape(&u.scope_division))).push(" ESCAPE '\\'");
        s
    };
    if [Role::SystemAdmin, Role::CountyAdmin, Role::TownshipStaff, Role::GridWorker].iter().any(|r| user.has_role(*r)) {
        any.push(division(user));
    }
    if user.has_role(Role::Mediator) {
        let mut s = Sql::new("c.mediator_user_id = ");
        s.bind(user.id);
        if let Some(org) = user.org_id {
            s.push(" OR c.body_org_id = ").bind(org);
        }
        any.push(s);
    }
    if user.has_role(Role::TribunalJudge)
        && let Some(org) = user.org_id
    {
        let mut s = Sql::new("c.tribunal_org_id = ");
        s.bind(org).push(" OR c.body_org_id = ").bind(org);
        any.push(s);
    }
    let mut out = Sql::new("c.county_code = ");
    out.bind(user.county_code.as_str());
    if any.is_empty() {
        out.push(" AND 1 = 0");
        return out;
    }
    out.push(" AND (");
    for (i, s) in any.iter().enumerate() {
        if i > 0 {
            out.push(" OR ");
        }
        out.push("(").append(s).push(")");
    }
    out.push(")");
    out
}

/// The case `id` if `user` may see it; otherwise the same "not found" as for a missing case.
pub async fn visible_case(db: &Db, user: &User, id: i64) -> Result<Case, AppError> {
    let mut s = Sql::new(&format!("SELECT {CASE_COLUMNS} FROM mediation_cases c WHERE c.id = "));
    s.bind(id).push(" AND ").append(&visibility(user));
    s.fetch_optional(db)
        .await?
        .ok_or_else(|| AppError::not_found("mediation.case_not_found", format!("案件 {id} 不存在或不在您的管辖范围内")))
}

pub const CASE_SORT: &[SortKey] = &[
    SortKey { key: "id", column: "c.id" },
    SortKey { key: "created", column: "c.created_at" },
    SortKey { key: "due", column: "c.due_at" },
    SortKey { key: "state", column: "c.state" },
];

/// Filters of the case list.
#[derive(Debug, Clone, Default)]
pub struct CaseFilter {
    pub state: Option<String>,
    pub category: Option<String>,
    pub township: Option<String>,
    /// `open`, `overdue` or `closed`.
    pub stage: Option<String>,
    pub mine: bool,
    pub now_ms: i64,
}

/// One page of the cases `user` may see. `q` matches the tracking code, the summary,
/// the body and the court case number.
pub async fn list_cases(db: &Db, user: &User, f: &CaseFilter, params: &ListParams) -> Result<Page<Case>, AppError> {
    let mut w = Where::new();
    w.raw(&visibility(user));
    if let Some(s) = &f.state {
        w.eq("c.state", s.as_str());
    }
    if let Some(c) = &f.category {
        w.eq("c.category", c.as_str());
    }
    if let Some(t) = &f.township {
        w.eq("c.township_code", t.as_str());
    }
    if f.mine {
        w.eq("c.mediator_user_id", user.id);
    }
    let terminal: Vec<&str> = model::STATES.iter().filter(|s| s.terminal).map(|s| s.key).collect();
    let in_terminal = |open: bool| {
        let mut s = Sql::new(if open { "c.state NOT IN (" } else { "c.state IN (" });
        for (i, t) in terminal.iter().enumerate() {
            if i > 0 {
                s.push(", ");
            }
            s.bind(*t);
        }
        s.push(")");
        s
    };
    match f.stage.as_deref() {
        Some("open") => {
            w.raw(&in_terminal(true));
        }
        Some("closed") => {
            w.raw(&in_terminal(false));
        }
        Some("overdue") => {
            let mut s = in_terminal(true);
            s.push(" AND c.due_at <= ").bind(f.now_ms);
            w.raw(&s);
        }
        _ => {}
    }
    if let Some(q) = &params.q {
        w.raw(&search_condition(db, q).await?);
    }
    Ok(fetch_page(db, &format!("SELECT {CASE_COLUMNS} FROM mediation_cases c"), &w, params).await?)
}

/// The columns `q=` searches.
const SEARCH_COLUMNS: &[&str] = &["c.tracking_code", "c.summary", "c.body_name", "c.court_case_no", "c.external_ref"];

/// `q` appears in one of [`SEARCH_COLUMNS`], ignoring ASCII case, as the platform's
/// `Where::contains_any` would say — but without scanning 100k rows through `LOWER()`
/// (docs/benchmarks.md, "Mediation: lists and figures").
///
/// Text of 3 or more characters is looked up in the trigram index
/// `mediation_cases_search` (migration 0201): on SQLite an FTS5 table whose `LIKE`
/// ignores ASCII case like SQLite's own (text with LIKE wildcards excepted: FTS5 knows no
/// `ESCAPE`), on PostgreSQL a pg_trgm index over the lower-cased columns (a scan where the
/// extension could not be created). Shorter text — a trigram index cannot answer it —
/// scans: without ASCII letters (most Chinese searches) there is no
/// case, so a plain substring test (`instr` / `strpos`) answers; with letters, SQLite's
/// `LIKE` (ASCII case-insensitive already) or PostgreSQL's `LOWER(…) LIKE LOWER(…)`
/// (measured a fifth faster than `ILIKE` on 100k rows).
///
/// The index is asked once and its matches travel as one JSON parameter, so that the
/// count and the page of [`fetch_page`] do not each repeat the full-text lookup.
async fn search_condition(db: &Db, q: &str) -> Result<Sql, sqlx::Error> {
    let sqlite = matches!(db, Db::Sqlite(_));
    let caseless = !q.chars().any(|c| c.is_ascii_alphabetic());
    let pattern = format!("%{}%", qingfeng_platform::sql::like_escape(q));
    if sqlite && q.chars().count() >= 3 && !q.contains(['%', '_', '\\']) {
        #[derive(sqlx::FromRow)]
        struct Id {
            id: i64,
        }
        // A quoted phrase of trigrams: a substring match answered from the index's
        // position lists alone (LIKE would re-check every candidate's text).
        let mut f = Sql::new("SELECT rowid AS id FROM mediation_cases_search WHERE mediation_cases_search MATCH ");
        f.bind(format!("\"{}\"", q.replace('"', "\"\"")));
        let ids = f.fetch_all::<Id>(db).await?;
        let mut list = String::with_capacity(ids.len() * 8 + 2);
        list.push('[');
        for (i, r) in ids.iter().enumerate() {
            if i > 0 {
                list.push(',');
            }
            list.push_str(&r.id.to_string());
        }
        list.push(']');
        let mut s = Sql::new("c.id IN (SELECT value FROM json_each(");
        s.bind(list).push("))");
        return Ok(s);
    }
    if !sqlite && q.chars().count() >= 3 {
        // The expression of the trigram index `mediation_cases_search` (migration 0201).
        let mut s = Sql::new(
            "LOWER(c.tracking_code || chr(10) || c.summary || chr(10) || c.body_name || chr(10) || COALESCE(c.court_case_no, '') \
             || chr(10) || COALESCE(c.external_ref, '')) LIKE LOWER(",
        );
        s.bind(pattern).push(") ESCAPE '\\'");
        return Ok(s);
    }
    let mut s = Sql::new("");
    for (i, col) in SEARCH_COLUMNS.iter().enumerate() {
        if i > 0 {
            s.push(" OR ");
        }
        match (caseless, sqlite) {
            (true, true) => s.push("instr(").push(col).push(", ").bind(q).push(") > 0"),
            (true, false) => s.push("strpos(").push(col).push(", ").bind(q).push(") > 0"),
            (false, true) => s.push(col).push(" LIKE ").bind(pattern.clone()).push(" ESCAPE '\\'"),
            (false, false) => s.push("LOWER(").push(col).push(") LIKE LOWER(").bind(pattern.clone()).push(") ESCAPE '\\'"),
        };
    }
    Ok(s)
}

pub async fn parties(db: &Db, case_id: i64) -> Result<Vec<Party>, sqlx::Error> {
    on_db!(db, |p| {
        sqlx::query_as(
        "SELECT id, case_id, role, kind, name, code_masked, code_hash, phone_masked, phone_hash FROM mediation_parties WHERE case_id = $1 ORDER BY id"
    )
    .bind(case_id)
    .fetch_all(p)
    .await
    })
}

pub async fn sessions(db: &Db, case_id: i64) -> Result<Vec<Session>, sqlx::Error> {
    on_db!(db, |p| sqlx::query_as(
        "SELECT id, case_id, scheduled_at, place, held, minutes FROM mediation_sessions WHERE case_id = $1 ORDER BY scheduled_at, id"
    )
    .bind(case_id)
    .fetch_all(p)
    .await)
}

pub async fn notices_for_case(db: &Db, case_id: i64, parties_only: bool) -> Result<Vec<Notice>, sqlx::Error> {
    let sql = if parties_only {
        "SELECT id, case_id, kind, text, created_at, read_at FROM mediation_notices WHERE case_id = $1 AND party_id IS NOT NULL ORDER BY id DESC"
    } else {
        "SELECT id, case_id, kind, text, created_at, read_at FROM mediation_notices WHERE case_id = $1 ORDER BY id DESC"
    };
    on_db!(db, |p| sqlx::query_as(sql).bind(case_id).fetch_all(p).await)
}

pub async fn notices_for_user(db: &Db, user_id: i64, limit: i64) -> Result<Vec<Notice>, sqlx::Error> {
    on_db!(db, |p| sqlx::query_as(
        "SELECT id, case_id, kind, text, created_at, read_at FROM mediation_notices WHERE user_id = $1 ORDER BY id DESC LIMIT $2"
    )
    .bind(user_id)
    .bind(limit)
    .fetch_all(p)
    .await)
}

/// Write a notice to each user and, when `to_parties`, to the case's applicants.
pub async fn notify(
    tx: &mut Tx,
    case_id: i64,
    users: &[i64],
    to_parties: bool,
    kind: &str,
    text: &str,
    now_ms: i64,
) -> Result<(), sqlx::Error> {
    let mut seen = std::collections::BTreeSet::new();
    for u in users {
        if seen.insert(*u) {
            tx.execute(
                "INSERT INTO mediation_notices (case_id, user_id, kind, text, created_at) VALUES ($1, $2, $3, $4, $5)",
                &[Arg::Int(case_id), Arg::Int(*u), Arg::from(kind), Arg::from(text), Arg::Int(now_ms)],
            )
            .await?;
        }
    }
    if to_parties {
        tx.execute(
            "INSERT INTO mediation_notices (case_id, party_id, kind, text, created_at) \
             SELECT case_id, id, $2, $3, $4 FROM mediation_parties WHERE case_id = $1 AND role = 'applicant'",
            &[Arg::Int(case_id), Arg::from(kind), Arg::from(text), Arg::Int(now_ms)],
        )
        .await?;
    }
    Ok(())
}

/// Who belongs to the body handling `case`, as a condition on `users u` joined with
/// `user_roles r`: for a village committee the village's grid worker and the township's
/// `township_role` holders; for a township committee its staff and mediators; for an
/// organisation (professional, centre, tribunal) its mediators and judges; else holders
/// of `fallback`.
fn body_people(case: &Case, township_role: &str, fallback: &str) -> Sql {
    let mut s = Sql::new("");
    match (case.body_kind.as_str(), case.body_org_id) {
        ("village_committee", _) => {
            s.push("(r.role = 'grid_worker' AND u.id IN (SELECT worker_user_id FROM grids WHERE village_code = ")
                .bind(case.village_code.as_str())
                .push(")) OR (r.role = ")
                .bind(township_role)
                .push(" AND u.scope_division = ")
                .bind(case.township_code.as_str())
                .push(")");
        }
        ("township_committee", _) => {
            s.push("r.role IN ('township_staff', 'mediator') AND u.scope_division = ").bind(case.township_code.as_str());
        }
        (_, Some(org)) => {
            s.push("r.role IN ('mediator', 'tribunal_judge') AND u.org_id = ").bind(org);
        }
        _ => {
            s.push("r.role = ").bind(fallback);
        }
    }
    s
}

/// The people told when a case reaches a body: its members (see [`body_people`]), with
/// the township's staff for a village committee and the county administrators as the
/// last resort.
pub async fn body_handlers(tx: &mut Tx, case: &Case) -> Result<Vec<i64>, sqlx::Error> {
    let mut s =
        Sql::new("SELECT DISTINCT u.id FROM users u JOIN user_roles r ON r.user_id = u.id WHERE NOT u.disabled AND u.county_code = ");
    s.bind(case.county_code.as_str()).push(" AND (").append(&body_people(case, "township_staff", "county_admin")).push(") ORDER BY u.id");
    #[derive(sqlx::FromRow)]
    struct Id {
        id: i64,
    }
    Ok(tx.fetch_all::<Id>(&s).await?.into_iter().map(|r| r.id).collect())
}

/// The judges of a tribunal.
pub async fn judges(tx: &mut Tx, tribunal_org_id: i64) -> Result<Vec<i64>, sqlx::Error> {
    let mut s = Sql::new(
        "SELECT DISTINCT u.id FROM users u JOIN user_roles r ON r.user_id = u.id WHERE NOT u.disabled AND r.role = 'tribunal_judge' AND u.org_id = ",
    );
    s.bind(tribunal_org_id).push(" ORDER BY u.id");
    #[derive(sqlx::FromRow)]
    struct Id {
        id: i64,
    }
    Ok(tx.fetch_all::<Id>(&s).await?.into_iter().map(|r| r.id).collect())
}

/// The next court case number of `kind` (诉前调确 / 诉前调书) in `year`:
/// `（2026）豫0922民诉前调确1号`.
pub async fn next_case_number(tx: &mut Tx, county: &str, year: i32, kind: &str, court_code: &str) -> Result<String, sqlx::Error> {
    tx.execute(
        "INSERT INTO mediation_case_numbers (county_code, year, kind, last_seq) VALUES ($1, $2, $3, 1) \
         ON CONFLICT (county_code, year, kind) DO UPDATE SET last_seq = mediation_case_numbers.last_seq + 1",
        &[Arg::from(county), Arg::Int(i64::from(year)), Arg::from(kind)],
    )
    .await?;
    let mut s = Sql::new("SELECT last_seq AS n FROM mediation_case_numbers WHERE county_code = ");
    s.bind(county).push(" AND year = ").bind(i64::from(year)).push(" AND kind = ").bind(kind);
    #[derive(sqlx::FromRow)]
    struct N {
        n: i64,
    }
    let n = tx.fetch_all::<N>(&s).await?.into_iter().next().map(|r| r.n).unwrap_or(1);
    Ok(format!("（{year}）{court_code}民{kind}{n}号"))
}

/// A user of the county by id, for assignment checks.
pub async fn user_in_county(db: &Db, county: &str, id: i64) -> Result<Option<User>, AppError> {
    Ok(qingfeng_platform::users::by_id(db, id).await?.filter(|u| u.county_code == county && !u.disabled))
}

/// 候选调解员 A person a case can be assigned to, with their register entry.
#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct Candidate {
    pub id: i64,
    pub display_name: String,
    pub role: String,
    pub title: Option<String>,
    pub specialities: Option<String>,
    /// Open cases assigned to them now.
    pub open_cases: i64,
}

impl Candidate {
    /// Whether `category` is among the person's specialities.
    pub fn knows(&self, category: &str) -> bool {
        self.specialities.as_deref().unwrap_or("").split(',').any(|s| s.trim() == category)
    }
    /// The specialities in Chinese, joined.
    pub fn specialities_zh(&self) -> String {
        speciality_names(self.specialities.as_deref().unwrap_or(""))
    }
}

/// Category keys (comma-separated) as their Chinese names.
pub fn speciality_names(keys: &str) -> String {
    let rules = Rules::shipped();
    keys.split(',').map(str::trim).filter(|k| !k.is_empty()).map(|k| rules.category_zh(k)).collect::<Vec<_>>().join("、")
}

const OPEN_CASES: &str = "(SELECT COUNT(*) FROM mediation_cases oc WHERE oc.mediator_user_id = u.id AND oc.closed_at IS NULL)";

/// The people a case can be assigned to: mediators of the body's organisation, the
/// township's mediators and staff, and the village's grid worker.
pub async fn candidates(db: &Db, case: &Case) -> Result<Vec<Candidate>, sqlx::Error> {
    let mut s = Sql::new(&format!(
        "SELECT DISTINCT u.id, u.display_name, r.role, m.title, m.specialities, {OPEN_CASES} AS open_cases \
         FROM users u JOIN user_roles r ON r.user_id = u.id LEFT JOIN mediation_mediators m ON m.user_id = u.id \
         WHERE NOT u.disabled AND u.county_code = "
    ));
    s.bind(case.county_code.as_str()).push(" AND (").append(&body_people(case, "mediator", "mediator"));
    s.push(") ORDER BY u.id");
    let mut rows = s.fetch_all::<Candidate>(db).await?;
    // Someone who knows the field first, then the least loaded.
    rows.sort_by_key(|c| (!c.knows(&case.category), c.open_cases, c.id));
    rows.dedup_by_key(|c| c.id);
    Ok(rows)
}

/// 调解员 A mediator in the register, with their organisation and load.
#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct Mediator {
    pub id: i64,
    pub display_name: String,
    pub org_name: Option<String>,
    pub scope_division: String,
    pub title: Option<String>,
    pub specialities: Option<String>,
    pub open_cases: i64,
}

impl Mediator {
    pub fn specialities_zh(&self) -> String {
        speciality_names(self.specialities.as_deref().unwrap_or(""))
    }
}

/// Every person with the mediator role in the county, with their register entry.
pub async fn mediators(db: &Db, county: &str) -> Result<Vec<Mediator>, sqlx::Error> {
    let mut s = Sql::new(&format!(
        "SELECT u.id, u.display_name, o.name AS org_name, u.scope_division, m.title, m.specialities, {OPEN_CASES} AS open_cases \
         FROM users u JOIN user_roles r ON r.user_id = u.id AND r.role = 'mediator' \
         LEFT JOIN organisations o ON o.id = u.org_id LEFT JOIN mediation_mediators m ON m.user_id = u.id \
         WHERE NOT u.disabled AND u.county_code = "
    ));
    s.bind(county).push(" ORDER BY o.name, u.id");
    s.fetch_all(db).await
}

/// Set a mediator's title and specialities (category keys, checked against the rules).
pub async fn set_mediator(
    tx: &mut Tx,
    county: &str,
    user_id: i64,
    title: &str,
    specialities: &[String],
    is_demo: bool,
    now_ms: i64,
) -> Result<(), AppError> {
    let rules = Rules::shipped();
    if let Some(bad) = specialities.iter().find(|k| rules.category(k).is_none()) {
        return Err(AppError::bad_request("mediation.speciality", format!("未知纠纷类型“{bad}”")));
    }
    if title.chars().count() > 50 {
        return Err(AppError::bad_request("mediation.title", "职务不能超过50个字"));
    }
    tx.execute(
        "INSERT INTO mediation_mediators (user_id, county_code, title, specialities, is_demo, updated_at) VALUES ($1, $2, $3, $4, $5, $6) \
         ON CONFLICT (user_id) DO UPDATE SET title = excluded.title, specialities = excluded.specialities, updated_at = excluded.updated_at",
        &[Arg::Int(user_id), Arg::from(county), Arg::from(title.trim()), Arg::from(specialities.join(",")), Arg::Bool(is_demo), Arg::Int(now_ms)],
    )
    .await?;
    Ok(())
}
