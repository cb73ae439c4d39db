//! 信用查询 The public lookup: search enterprises and individual businesses by any part
//! of their name, a former name or their unified social credit code (through the shared
//! search index, [`crate::index`]), and see their records in publicity. Natural persons
//! are not searchable by the public (个人信息保护法) except where the law publishes them
//! (失信被执行人, [`super::person`]); records out of publicity are not shown.
//!
//! The same search answers other systems as JSON (`GET /api/v1/credit/subjects?q=`).
//! Anyone may issue a credit report (信用报告) on a profile: a snapshot of everything the
//! profile shows, by the report's groups, stored with its hash and verifiable at
//! `/credit/reports/{number}`.

use askama::Template;
use axum::extract::{Path, State};
use axum::response::Html;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use qingfeng_platform::audit::Actor;
use qingfeng_platform::listing::{ListParams, ListQuery, Page, SortKey};
use qingfeng_platform::web::{ApiQuery, AppState, Ctx, Form, Query, render};
use qingfeng_platform::{ApiError, AppError};
use serde::{Deserialize, Serialize};

use crate::model::{RecordKind, SubjectKind};
use crate::store::{self, PublicRecord, SubjectSummary};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/credit", get(search_page))
        .route("/credit/subjects/{code}", get(profile_page))
        .route("/credit/subjects/{code}/report", post(issue_report))
        .route("/credit/reports/{number}", get(report_page))
        .route("/api/v1/credit/subjects", get(search_api))
        .route("/api/v1/credit/subjects/{code}", get(profile_api))
        .route("/api/v1/credit/reports/{number}", get(report_api))
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct SearchForm {
    q: String,
}

#[derive(Template)]
#[template(path = "credit_search.html")]
struct SearchPage<'a> {
    ctx: &'a Ctx,
    title: &'a str,
    q: String,
    found: Vec<crate::index::Found>,
    searched: bool,
}

/// Characters of a query that are searched (the rest is cut off).
const QUERY_CHARS: usize = 60;
/// Characters a query needs before anything is searched.
const QUERY_MIN_CHARS: usize = 2;

/// The public search the page and the JSON API share: enterprises and individual
/// businesses by any part of a name, a former name or the code, and persons only while
/// on the 失信被执行人 list (ID masked), best first, at most `shown`.
async fn public_search(st: &AppState, q: &str, shown: usize) -> Result<Vec<crate::index::Found>, AppError> {
    let q: String = q.trim().chars().take(QUERY_CHARS).collect();
    if q.chars().count() < QUERY_MIN_CHARS {
        return Ok(Vec::new());
    }
    let today = st.clock.today().to_string();
    crate::index::search_up_to(&st.db, &st.search, &st.pii, &st.cfg.county_code, &q, crate::index::Audience::Public, &today, shown).await
}

async fn search_page(State(st): State<AppState>, ctx: Ctx, Query(f): Query<SearchForm>) -> Result<Html<String>, AppError> {
    let q: String = f.q.trim().chars().take(QUERY_CHARS).collect();
    let found = public_search(&st, &q, crate::index::SHOWN).await?;
    render(&SearchPage { ctx: &ctx, title: ctx.pick("信用查询", "Credit lookup"), searched: !q.is_empty(), q, found })
}

/// The search API has one order: the index's relevance.
const SEARCH_SORT: &[SortKey] = &[SortKey { key: "relevance", column: "relevance" }];

/// Subjects the search API pages through for one query (the page shows the first
/// [`crate::index::SHOWN`] of them, in the same order).
pub const API_RESULTS: usize = 200;

/// `GET /api/v1/credit/subjects?q=…&page=…&per_page=…`: the public search as JSON for
/// other systems, no account needed, paged by the platform's list helper (bad page
/// parameters answer with its Chinese errors and codes).
async fn search_api(State(st): State<AppState>, ApiQuery(raw): ApiQuery<ListQuery>) -> Result<Json<Page<crate::index::Found>>, ApiError> {
    let params = ListParams::parse(&raw, SEARCH_SORT, "relevance")?;
    let q = params.q.clone().unwrap_or_default();
    if q.chars().count() < QUERY_MIN_CHARS {
        return Err(AppError::bad_request(
            "credit.query_short",
            format!("请在参数 q 中输入至少 {QUERY_MIN_CHARS} 个字：名称的任意部分、曾用名或统一社会信用代码"),
        )
        .into());
    }
    let found = public_search(&st, &q, API_RESULTS).await?;
    let total = i64::try_from(found.len()).unwrap_or(i64::MAX);
    let skip = usize::try_from(params.offset()).unwrap_or(usize::MAX);
    let take = usize::try_from(params.per_page).unwrap_or(0);
    let items = found.into_iter().skip(skip).take(take).collect();
    Ok(Json(Page { items, total, page: params.page, per_page: params.per_page }))
}

/// A public profile: the subject, its records in publicity and the lists it is on, by
/// report section.
#[derive(Debug, Clone, Serialize)]
pub struct Profile {
    pub subject: SubjectSummary,
    /// 行政管理: 行政许可 then 行政处罚.
    pub permits: Vec<PublicRecord>,
    pub penalties: Vec<PublicRecord>,
    /// The other records (信用承诺, 信用评价 …) and the list entries in force, by
    /// credit-report group, in the report's order; a kind's group comes from the catalog
    /// (`data/catalog.csv`). Groups with nothing in them are left out.
    pub groups: Vec<RecordGroup>,
    /// The lists the subject is on today (名单标签).
    pub lists: Vec<String>,
    /// 守信激励对象 / 失信惩戒对象.
    pub labels: Vec<&'static str>,
}

/// The records and list entries of one credit-report group (信用报告栏目).
#[derive(Debug, Clone, Serialize)]
pub struct RecordGroup {
    pub name: &'static str,
    pub records: Vec<PublicRecord>,
    pub entries: Vec<PublicListEntry>,
}

/// 名单信息 A list entry in force, as the public sees it: which list, on what basis, by
/// whom, and for how long.
#[derive(Debug, Clone, Serialize)]
pub struct PublicListEntry {
    pub kind: &'static str,
    pub kind_zh: &'static str,
    /// 守信激励 (true) or 失信惩戒.
    pub incentive: bool,
    pub basis: String,
    pub authority: String,
    pub source_ref: String,
    pub listed_on: String,
    /// `None`: no fixed end (未定期限).
    pub ends_on: Option<String>,
}

/// Sort records and list entries into the report's groups by the catalog: 行政管理
/// records into permits and penalties, everything else into its group.
fn group_records(records: Vec<PublicRecord>, entries: Vec<PublicListEntry>) -> (Vec<PublicRecord>, Vec<PublicRecord>, Vec<RecordGroup>) {
    use crate::rules::catalog;
    let (mut permits, mut penalties) = (Vec::new(), Vec::new());
    let mut groups: Vec<RecordGroup> =
        catalog::REPORT_GROUPS.iter().map(|name| RecordGroup { name, records: Vec::new(), entries: Vec::new() }).collect();
    let slot = |groups: &mut Vec<RecordGroup>, g: &str| groups.iter().position(|x| x.name == g);
    for r in records {
        match catalog::report_group(&r.kind) {
            "行政管理" if r.kind == "xk" => permits.push(r),
            "行政管理" if r.kind == "cf" => penalties.push(r),
            g => {
                if let Some(i) = slot(&mut groups, g) {
                    groups[i].records.push(r);
                }
            }
        }
    }
    for e in entries {
        if let Some(i) = slot(&mut groups, catalog::report_group(e.kind)) {
            groups[i].entries.push(e);
        }
    }
    groups.retain(|g| !g.records.is_empty() || !g.entries.is_empty());
    (permits, penalties, groups)
}

/// The public profile of the enterprise or individual business with this code.
pub async fn profile(st: &AppState, code: &str) -> Result<Profile, AppError> {
    let uscc = qingfeng_core::Uscc::parse(code)?;
    // The reads on one connection: the hot path of the public API, where taking a
    // pooled connection for each read and giving it back cost more than running two of
    // them at once saved, and each statement is a round trip to SQLite's thread
    // (docs/benchmarks.md, profile API). List entries are read only for a subject
    // that has any.
    let mut conn = st.db.conn().await?;
    let found: store::ProfileSubject = conn
        .fetch_optional(&store::profile_subject_sql(&st.cfg.county_code, uscc.as_str()))
        .await?
        .ok_or_else(|| AppError::not_found("credit.subject_not_found", format!("没有统一社会信用代码为 {} 的公示主体", uscc.as_str())))?;
    let mut subject: SubjectSummary = found.summary;
    let today = st.clock.today().to_string();
    let records: Vec<PublicRecord> = conn.fetch_all(&store::records_of_sql(subject.id, true)).await?;
    let entries: Vec<store::ListEntry> =
        if found.listed { conn.fetch_all(&store::active_list_entries_sql(subject.id, &today)).await? } else { Vec::new() };
    drop(conn);
    subject.published = records.len() as i64;
    let entries: Vec<PublicListEntry> = entries
        .into_iter()
        .filter_map(|e| {
            let kind = crate::model::ListKind::parse(&e.list_kind)?;
            Some(PublicListEntry {
                kind: kind.key(),
                kind_zh: kind.zh(),
                incentive: kind.incentive(),
                basis: e.basis,
                authority: e.authority,
                source_ref: e.source_ref,
                listed_on: e.listed_on,
                ends_on: e.ends_on,
            })
        })
        .collect();
    let mut lists: Vec<String> = Vec::new();
    for e in &entries {
        if !lists.iter().any(|l| l == e.kind_zh) {
            lists.push(e.kind_zh.to_string());
        }
    }
    let labels = crate::rules::lists::labels(entries.iter().filter_map(|e| crate::model::ListKind::parse(e.kind)));
    let (permits, penalties, groups) = group_records(records, entries);
    Ok(Profile { subject, permits, penalties, groups, lists, labels })
}

#[derive(Template)]
#[template(path = "credit_profile.html")]
struct ProfilePage<'a> {
    ctx: &'a Ctx,
    title: String,
    p: Profile,
}

async fn profile_page(State(st): State<AppState>, ctx: Ctx, Path(code): Path<String>) -> Result<Html<String>, AppError> {
    let p = profile(&st, &code).await?;
    render(&ProfilePage { ctx: &ctx, title: p.subject.name.clone(), p })
}

async fn profile_api(State(st): State<AppState>, Path(code): Path<String>) -> Result<Json<Profile>, ApiError> {
    Ok(Json(profile(&st, &code).await?))
}

/// 出具单位 Who issues the reports when the county's name cannot be read.
pub const ISSUER: &str = "清丰县社会信用信息平台";

/// 报告版本 The version of the report's content. Reports issued before the field existed
/// are [`LEGACY_VERSION`]: they carry 行政许可 and 行政处罚 only, still verify (the hash
/// is over the stored text) and are shown as they were issued.
pub const REPORT_VERSION: &str = "V2.0";
pub const LEGACY_VERSION: &str = "V1.0";

fn legacy_version() -> String {
    LEGACY_VERSION.into()
}

/// One record as a report states it.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ReportRecord {
    /// The kind's name (行政许可, 信用承诺 …); absent in V1.0 reports.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub kind: String,
    pub doc_no: String,
    pub title: String,
    pub detail: String,
    pub decision_date: String,
    pub authority: String,
    pub severity: String,
    pub amount_yuan: String,
    pub publicity_until: String,
    /// 法定代表人 with the ID number masked (`王建国（4109**********0013）`), when sent.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub legal_rep: String,
}

/// One list entry as a report states it.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ReportListEntry {
    /// The list's name (严重失信主体名单 …).
    pub list: String,
    pub basis: String,
    pub authority: String,
    pub source_ref: String,
    pub listed_on: String,
    /// Empty: no fixed end (未定期限).
    pub ends_on: String,
}

/// One credit-report group (信用报告栏目); an empty one is printed as 无.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ReportGroup {
    pub name: String,
    pub records: Vec<ReportRecord>,
    pub entries: Vec<ReportListEntry>,
}

impl ReportGroup {
    pub fn is_empty(&self) -> bool {
        self.records.is_empty() && self.entries.is_empty()
    }
}

/// What a report says: the snapshot that is stored, hashed and shown.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ReportContent {
    pub number: String,
    /// 版本 ([`REPORT_VERSION`]; [`LEGACY_VERSION`] for reports issued without one).
    #[serde(default = "legacy_version")]
    pub version: String,
    pub issued_by: String,
    /// 生成时间, Beijing time (`YYYY-MM-DD HH:MM:SS`).
    pub issued_at: String,
    pub subject_name: String,
    pub uscc: String,
    pub subject_kind: String,
    /// 守信激励对象 / 失信惩戒对象.
    #[serde(default)]
    pub labels: Vec<String>,
    /// The lists the subject is on (名单标签).
    #[serde(default)]
    pub lists: Vec<String>,
    /// Every group of the report, in the standard order (行政管理 … 其他).
    #[serde(default)]
    pub groups: Vec<ReportGroup>,
    /// V1.0 only: 行政管理 · 行政许可.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub permits: Vec<ReportRecord>,
    /// V1.0 only: 行政管理 · 行政处罚.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub penalties: Vec<ReportRecord>,
}

impl ReportContent {
    /// Issued before reports carried the whole profile.
    pub fn is_legacy(&self) -> bool {
        self.version == LEGACY_VERSION
    }
}

/// An ID number as a report may print it: masked whatever was stored.
fn masked(raw: &str) -> String {
    if qingfeng_core::ResidentId::parse(raw).is_err() && raw.contains("**") {
        return raw.to_string();
    }
    qingfeng_core::ResidentId::mask_text(raw)
}

/// The value of the field with `role` among the columns of a catalog kind.
fn by_role(r: &PublicRecord, kind: RecordKind, role: &str) -> String {
    let fields = crate::ingest::fields::fields(kind);
    crate::ingest::fields::index_of_role(kind, role).and_then(|i| fields.get(i)).map(|f| r.field(&f.code)).unwrap_or_default()
}

fn report_record(r: &PublicRecord) -> ReportRecord {
    let kind = RecordKind::parse(&r.kind);
    let rep = |name: &str, id: &str| {
        let (name, id) = (r.field(name), r.field(id));
        match (name.is_empty(), id.is_empty()) {
            (true, _) => String::new(),
            (false, true) => name,
            (false, false) => format!("{name}（{}）", masked(&id)),
        }
    };
    let (title, detail, authority, legal_rep) = match kind {
        Some(RecordKind::Xk) => (r.field("XK_XKWS"), r.field("XK_XKLB"), r.field("XK_XKJG"), rep("XK_FRDB", "XK_FR_ZJHM")),
        Some(RecordKind::Cf) => (r.field("CF_WFXW"), r.field("CF_CFLB"), r.field("CF_CFJG"), rep("CF_FRDB", "CF_FR_ZJHM")),
        Some(k) => {
            let kind_type = by_role(r, k, "type");
            let title = if kind_type.is_empty() { k.zh().to_string() } else { format!("{}（{kind_type}）", k.zh()) };
            let detail: Vec<String> =
                ["content", "result", "performance"].iter().map(|role| by_role(r, k, role)).filter(|v| !v.is_empty()).collect();
            (title, detail.join(" · "), by_role(r, k, "authority_name"), String::new())
        }
        None => (r.kind_zh().to_string(), String::new(), String::new(), String::new()),
    };
    ReportRecord {
        kind: r.kind_zh().to_string(),
        doc_no: r.doc_no.clone(),
        title,
        detail,
        decision_date: r.decision_date.clone(),
        authority,
        severity: r.severity_zh().to_string(),
        amount_yuan: r.amount_yuan(),
        publicity_until: r.publicity_max_end.clone().unwrap_or_default(),
        legal_rep,
    }
}

fn report_entry(e: &PublicListEntry) -> ReportListEntry {
    ReportListEntry {
        list: e.kind_zh.to_string(),
        basis: e.basis.clone(),
        authority: e.authority.clone(),
        source_ref: e.source_ref.clone(),
        listed_on: e.listed_on.clone(),
        ends_on: e.ends_on.clone().unwrap_or_default(),
    }
}

/// Every report group in the standard order, filled from the profile.
fn report_groups(p: &Profile) -> Vec<ReportGroup> {
    crate::rules::catalog::REPORT_GROUPS
        .iter()
        .map(|name| {
            let found = p.groups.iter().find(|g| g.name == *name);
            let mut records: Vec<ReportRecord> = Vec::new();
            if *name == "行政管理" {
                records.extend(p.permits.iter().chain(&p.penalties).map(report_record));
            }
            if let Some(g) = found {
                records.extend(g.records.iter().map(report_record));
            }
            let entries = found.map(|g| g.entries.iter().map(report_entry).collect()).unwrap_or_default();
            ReportGroup { name: name.to_string(), records, entries }
        })
        .collect()
}

/// The content of a report on profile `p`.
fn report_content(p: &Profile, number: &str, issued_by: &str, at: chrono::DateTime<chrono::Utc>) -> ReportContent {
    let kind = if p.subject.kind == SubjectKind::IndividualBusiness.key() { SubjectKind::IndividualBusiness } else { SubjectKind::Legal };
    ReportContent {
        number: number.to_string(),
        version: REPORT_VERSION.into(),
        issued_by: issued_by.to_string(),
        issued_at: at.with_timezone(&qingfeng_core::CHINA_STANDARD_TIME).format("%Y-%m-%d %H:%M:%S").to_string(),
        subject_name: p.subject.name.clone(),
        uscc: p.subject.uscc.clone().unwrap_or_default(),
        subject_kind: kind.zh().into(),
        labels: p.labels.iter().map(|l| l.to_string()).collect(),
        lists: p.lists.clone(),
        groups: report_groups(p),
        permits: Vec::new(),
        penalties: Vec::new(),
    }
}

/// 出具单位: the county's platform (清丰县社会信用信息平台), by the county's name in the
/// registry.
async fn issuer(st: &AppState) -> String {
    match qingfeng_platform::registry::division(&st.db, &st.cfg.county_code).await {
        Ok(Some(d)) => format!("{}社会信用信息平台", d.name),
        _ => ISSUER.into(),
    }
}

/// The hash stored with a report's content (SHA-256 of the stored text, hex), which
/// verification recomputes.
pub fn content_sha256(s: &str) -> String {
    use sha2::Digest;
    sha2::Sha256::digest(s.as_bytes()).iter().map(|b| format!("{b:02x}")).collect()
}

/// A new report number: `QF` + county + local time to the second + 4 random characters.
fn report_number(county: &str, at: chrono::DateTime<chrono::Utc>) -> String {
    use rand::Rng;
    const CHARS: &[u8] = b"ABCDEFGHJKLMNPQRTUWXY0123456789";
    let mut rng = rand::rng();
    let tail: String = (0..4).map(|_| CHARS[rng.random_range(0..CHARS.len())] as char).collect();
    format!("QF{county}{}{tail}", at.with_timezone(&qingfeng_core::CHINA_STANDARD_TIME).format("%Y%m%d%H%M%S"))
}

/// Issue a report on a subject's public profile (anyone may ask; the request is audited).
async fn issue_report(
    State(st): State<AppState>,
    ctx: Ctx,
    Path(code): Path<String>,
    Form(f): Form<qingfeng_platform::web::pages::CsrfForm>,
) -> Result<Response, AppError> {
    ctx.check_csrf(&f.csrf)?;
    let p = profile(&st, &code).await?;
    let now = st.clock.now();
    let actor = match ctx.user() {
        Some(u) => Actor::User { id: u.id, username: u.username.clone() },
        None => Actor::System("public"),
    };
    let issued_by = issuer(&st).await;
    let mut last = None;
    for _ in 0..3 {
        let number = report_number(&st.cfg.county_code, now);
        let content = report_content(&p, &number, &issued_by, now);
        let text = serde_json::to_string(&content).map_err(AppError::internal)?;
        let report = store::Report {
            number: number.clone(),
            subject_id: p.subject.id,
            content_sha256: content_sha256(&text),
            content: text,
            created_at: now.timestamp_millis(),
        };
        match store::insert_report(&st.db, &st.cfg.county_code, &report, &actor).await {
            Ok(()) => return Ok(Redirect::to(&format!("/credit/reports/{number}")).into_response()),
            Err(e) if e.code == "db.conflict" => last = Some(e),
            Err(e) => return Err(e),
        }
    }
    Err(last.unwrap_or_else(|| AppError::internal("report number")))
}

/// A stored report and whether its content is as issued.
#[derive(Debug, Clone, Serialize)]
pub struct Verified {
    pub genuine: bool,
    pub content_sha256: String,
    pub content: Option<ReportContent>,
}

async fn verify(st: &AppState, number: &str) -> Result<Verified, AppError> {
    let number = number.trim();
    if number.len() > 40 || !number.chars().all(|c| c.is_ascii_alphanumeric()) {
        return Err(AppError::bad_request("credit.report_number", "报告编号格式不正确"));
    }
    let r = store::report(&st.db, number)
        .await?
        .ok_or_else(|| AppError::not_found("credit.report_not_found", format!("报告编号 {number} 不存在：该报告不是本平台出具的")))?;
    let genuine = content_sha256(&r.content) == r.content_sha256;
    Ok(Verified { genuine, content_sha256: r.content_sha256, content: serde_json::from_str(&r.content).ok() })
}

#[derive(Template)]
#[template(path = "credit_report.html")]
struct ReportPage<'a> {
    ctx: &'a Ctx,
    title: String,
    v: Verified,
}

async fn report_page(State(st): State<AppState>, ctx: Ctx, Path(number): Path<String>) -> Result<Html<String>, AppError> {
    let v = verify(&st, &number).await?;
    render(&ReportPage { ctx: &ctx, title: format!("信用报告 {number}"), v })
}

async fn report_api(State(st): State<AppState>, Path(number): Path<String>) -> Result<Json<Verified>, ApiError> {
    Ok(Json(verify(&st, &number).await?))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(id: i64, kind: &str, doc_no: &str, payload: serde_json::Value) -> PublicRecord {
        PublicRecord {
            id,
            kind: kind.into(),
            doc_no: doc_no.into(),
            decision_date: "2026-05-06".into(),
            severity: None,
            amount_fen: None,
            publicity_max_end: None,
            published: true,
            payload: payload.to_string(),
        }
    }

    /// A record's `fields` are its stored payload as is: the same bytes as parsing the
    /// payload into a map and encoding it again, and `{}` for a payload that is not a
    /// JSON object.
    #[test]
    fn fields_are_the_stored_payload_object() {
        let fields = serde_json::json!({"CF_WSH": "清市监罚〔2025〕3号", "BZ": "引号\"与\\反斜杠", "CF_FR_ZJHM": "4109**********0013"});
        let r = record(1, "cf", "罚1", fields.clone());
        let json = serde_json::to_string(&r).unwrap();
        assert!(json.contains(&format!("\"fields\":{}", serde_json::to_string(&fields).unwrap())), "{json}");
        for bad in ["", "not json", "[1,2]", "\"text\"", "{\"a\":"] {
            let mut r = record(2, "cf", "罚2", serde_json::json!({}));
            r.payload = bad.into();
            let v: serde_json::Value = serde_json::from_str(&serde_json::to_string(&r).unwrap()).unwrap();
            assert_eq!(v["fields"], serde_json::json!({}), "{bad:?}");
        }
    }

    fn entry(kind: crate::model::ListKind, ends_on: Option<&str>) -> PublicListEntry {
        PublicListEntry {
            kind: kind.key(),
            kind_zh: kind.zh(),
            incentive: kind.incentive(),
            basis: "严重违法失信行为".into(),
            authority: "清丰县市场监督管理局".into(),
            source_ref: "清市监列〔2026〕1号".into(),
            listed_on: "2026-01-10".into(),
            ends_on: ends_on.map(str::to_string),
        }
    }

    fn profile() -> Profile {
        use crate::model::ListKind;
        let records = vec![
            record(1, "xk", "许1", serde_json::json!({"XK_XKWS": "食品经营许可", "XK_XKLB": "普通", "XK_XKJG": "清丰县市场监督管理局"})),
            record(
                2,
                "cf",
                "罚1",
                serde_json::json!({"CF_WFXW": "无证经营", "CF_CFLB": "罚款", "CF_CFJG": "清丰县市场监督管理局", "CF_FRDB": "王建国", "CF_FR_ZJHM": "410922195001010013"}),
            ),
            record(
                3,
                "commitment",
                "CN-1",
                serde_json::json!({"commitment_type": "审批替代型", "content": "按期补交材料", "performance_status": "全部履行", "accepting_unit": "清丰县行政审批服务局"}),
            ),
            record(4, "tax_a", "2025年度", serde_json::json!({"evaluation_result": "A", "evaluating_unit": "国家税务总局清丰县税务局"})),
        ];
        let entries = vec![entry(ListKind::Black, Some("2029-01-10")), entry(ListKind::Red, None)];
        let labels = crate::rules::lists::labels([ListKind::Black, ListKind::Red]);
        let (permits, penalties, groups) = group_records(records, entries);
        Profile {
            subject: SubjectSummary {
                id: 1,
                kind: "legal".into(),
                name: "清丰县鑫源建材有限公司".into(),
                uscc: Some("91410922MA40AB121G".into()),
                published: 4,
            },
            permits,
            penalties,
            groups,
            lists: vec!["严重失信主体名单".into(), "守信激励对象".into()],
            labels,
        }
    }

    #[test]
    fn a_report_carries_every_group_in_order_with_lists_and_masked_ids() {
        let p = profile();
        let at = chrono::DateTime::parse_from_rfc3339("2026-11-30T16:30:00Z").unwrap().with_timezone(&chrono::Utc);
        let c = report_content(&p, "QF41092220261201003000ABCD", "清丰县社会信用信息平台", at);
        assert_eq!(c.version, REPORT_VERSION);
        assert_eq!(c.issued_at, "2026-12-01 00:30:00", "生成时间 in Beijing time");
        assert_eq!(c.subject_kind, "法人及非法人组织");
        assert_eq!(c.labels, vec!["守信激励对象", "失信惩戒对象"]);
        let names: Vec<&str> = c.groups.iter().map(|g| g.name.as_str()).collect();
        assert_eq!(names, crate::rules::catalog::REPORT_GROUPS.to_vec(), "all eight, in the standard's order");
        let group = |n: &str| c.groups.iter().find(|g| g.name == n).unwrap();
        let admin = group("行政管理");
        assert_eq!(admin.records.iter().map(|r| r.kind.as_str()).collect::<Vec<_>>(), vec!["行政许可", "行政处罚"]);
        assert_eq!(admin.records[1].legal_rep, "王建国（4109**********0013）", "the ID number is masked");
        assert!(!serde_json::to_string(&c).unwrap().contains("410922195001010013"));
        let commitment = &group("信用承诺").records[0];
        assert_eq!((commitment.title.as_str(), commitment.authority.as_str()), ("信用承诺（审批替代型）", "清丰县行政审批服务局"));
        assert_eq!(commitment.detail, "按期补交材料 · 全部履行");
        assert_eq!(group("信用评价").records[0].detail, "A");
        let black = &group("严重失信").entries[0];
        assert_eq!(
            (black.list.as_str(), black.listed_on.as_str(), black.ends_on.as_str()),
            ("严重失信主体名单", "2026-01-10", "2029-01-10")
        );
        assert_eq!(group("诚实守信").entries[0].ends_on, "", "no fixed end");
        for empty in ["经营异常", "司法判决", "其他"] {
            assert!(group(empty).is_empty(), "{empty} is printed as 无");
        }
        // The content survives its own round trip (what verification reads back).
        let back: ReportContent = serde_json::from_str(&serde_json::to_string(&c).unwrap()).unwrap();
        assert!(!back.is_legacy() && back.groups.len() == 8);
    }

    #[test]
    fn reports_issued_before_the_version_field_still_read() {
        // Exactly what the first report format stored.
        let v1 = r#"{"number":"QF41092220260101120000ABCD","issued_by":"清丰县社会信用信息平台","issued_at":"2026-01-01 12:00:00","subject_name":"清丰县鑫源建材有限公司","uscc":"91410922MA40AB121G","subject_kind":"法人及非法人组织","permits":[],"penalties":[{"doc_no":"清市监罚〔2025〕21号","title":"无证经营","detail":"罚款","decision_date":"2025-05-06","authority":"清丰县市场监督管理局","severity":"一般","amount_yuan":"10000.00","publicity_until":"2028-05-06"}]}"#;
        let c: ReportContent = serde_json::from_str(v1).unwrap();
        assert!(c.is_legacy());
        assert_eq!(c.version, LEGACY_VERSION);
        assert_eq!(c.penalties[0].doc_no, "清市监罚〔2025〕21号");
        assert!(c.groups.is_empty() && c.labels.is_empty());
    }

    #[test]
    fn ids_in_a_report_are_masked_whatever_was_stored() {
        assert_eq!(masked("410922195001010013"), "4109**********0013");
        assert_eq!(masked("4109**********0013"), "4109**********0013");
        assert_eq!(masked("E12345678"), "******");
    }
}
