//! 信用查询 The public lookup: search enterprises and individual businesses by any part
//! of their name, a former name or their unified social credit code (through the shared
//! search index, [`crate::index`]), and see their records in publicity. Natural persons
//! are not searchable by the public (个人信息保护法) except where the law publishes them
//! (失信被执行人, [`super::person`]); records out of publicity are not shown.

use askama::Template;
use axum::extract::{Path, State};
use axum::response::Html;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use qingfeng_platform::audit::Actor;
use qingfeng_platform::web::{AppState, Ctx, Form, Query, render};
use qingfeng_platform::{ApiError, AppError};
use serde::{Deserialize, Serialize};

use crate::store::{self, PublicRecord, SubjectSummary};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/credit", get(search_page))
        .route("/credit/subjects/{code}", get(profile_page))
        .route("/credit/subjects/{code}/report", post(issue_report))
        .route("/credit/reports/{number}", get(report_page))
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

async fn search_page(State(st): State<AppState>, ctx: Ctx, Query(f): Query<SearchForm>) -> Result<Html<String>, AppError> {
    let q: String = f.q.trim().chars().take(60).collect();
    let found = if q.chars().count() >= 2 {
        let today = st.clock.today().to_string();
        crate::index::search(&st.db, &st.search, &st.pii, &st.cfg.county_code, &q, crate::index::Audience::Public, &today).await?
    } else {
        Vec::new()
    };
    render(&SearchPage { ctx: &ctx, title: ctx.pick("信用查询", "Credit lookup"), searched: !q.is_empty(), q, found })
}

/// A public profile: the subject and its records in publicity, by report section.
#[derive(Debug, Clone, Serialize)]
pub struct Profile {
    pub subject: SubjectSummary,
    /// 行政管理: 行政许可 then 行政处罚.
    pub permits: Vec<PublicRecord>,
    pub penalties: Vec<PublicRecord>,
    /// The other records (信用承诺, 信用评价 …) by credit-report group, in the report's
    /// order; a kind's group comes from the catalog (`data/catalog.csv`).
    pub groups: Vec<RecordGroup>,
    /// The lists the subject is on today (名单标签).
    pub lists: Vec<String>,
}

/// The records of one credit-report group (信用报告栏目).
#[derive(Debug, Clone, Serialize)]
pub struct RecordGroup {
    pub name: &'static str,
    pub records: Vec<PublicRecord>,
}

/// Sort records into the report's groups by the catalog: 行政管理 into permits and
/// penalties, every other group on its own.
fn group_records(records: Vec<PublicRecord>) -> (Vec<PublicRecord>, Vec<PublicRecord>, Vec<RecordGroup>) {
    use crate::rules::catalog;
    let (mut permits, mut penalties) = (Vec::new(), Vec::new());
    let mut groups: Vec<RecordGroup> =
        catalog::REPORT_GROUPS.iter().skip(1).map(|name| RecordGroup { name, records: Vec::new() }).collect();
    for r in records {
        match catalog::report_group(&r.kind) {
            "行政管理" if r.kind == "xk" => permits.push(r),
            "行政管理" => penalties.push(r),
            g => {
                if let Some(group) = groups.iter_mut().find(|x| x.name == g) {
                    group.records.push(r);
                }
            }
        }
    }
    groups.retain(|g| !g.records.is_empty());
    (permits, penalties, groups)
}

/// The public profile of the enterprise or individual business with this code.
pub async fn profile(st: &AppState, code: &str) -> Result<Profile, AppError> {
    let uscc = qingfeng_core::Uscc::parse(code)?;
    let subject = store::public_subject(&st.db, &st.cfg.county_code, uscc.as_str())
        .await?
        .ok_or_else(|| AppError::not_found("credit.subject_not_found", format!("没有统一社会信用代码为 {} 的公示主体", uscc.as_str())))?;
    let records = store::public_records(&st.db, subject.id).await?;
    let (permits, penalties, groups) = group_records(records);
    let today = st.clock.today().to_string();
    let lists = store::active_list_entries(&st.db, subject.id, &today)
        .await?
        .into_iter()
        .filter_map(|e| crate::model::ListKind::parse(&e.list_kind).map(|k| k.zh().to_string()))
        .collect();
    Ok(Profile { subject, permits, penalties, groups, lists })
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

/// 出具单位 Who issues the reports.
pub const ISSUER: &str = "清丰县社会信用信息平台";

/// One record as a report states it.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ReportRecord {
    pub doc_no: String,
    pub title: String,
    pub detail: String,
    pub decision_date: String,
    pub authority: String,
    pub severity: String,
    pub amount_yuan: String,
    pub publicity_until: String,
}

/// What a report says: the snapshot that is stored, hashed and shown.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ReportContent {
    pub number: String,
    pub issued_by: String,
    pub issued_at: String,
    pub subject_name: String,
    pub uscc: String,
    pub subject_kind: String,
    /// 行政管理 · 行政许可
    pub permits: Vec<ReportRecord>,
    /// 行政管理 · 行政处罚
    pub penalties: Vec<ReportRecord>,
}

fn report_record(r: &PublicRecord, permit: bool) -> ReportRecord {
    let (title, detail, authority) = if permit {
        (r.field("XK_XKWS"), r.field("XK_XKLB"), r.field("XK_XKJG"))
    } else {
        (r.field("CF_WFXW"), r.field("CF_CFLB"), r.field("CF_CFJG"))
    };
    ReportRecord {
        doc_no: r.doc_no.clone(),
        title,
        detail,
        decision_date: r.decision_date.clone(),
        authority,
        severity: r.severity_zh().to_string(),
        amount_yuan: r.amount_yuan(),
        publicity_until: r.publicity_max_end.clone().unwrap_or_default(),
    }
}

fn sha256_hex(s: &str) -> String {
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
    let mut last = None;
    for _ in 0..3 {
        let number = report_number(&st.cfg.county_code, now);
        let content = ReportContent {
            number: number.clone(),
            issued_by: ISSUER.into(),
            issued_at: now.with_timezone(&qingfeng_core::CHINA_STANDARD_TIME).format("%Y-%m-%d %H:%M:%S").to_string(),
            subject_name: p.subject.name.clone(),
            uscc: p.subject.uscc.clone().unwrap_or_default(),
            subject_kind: if p.subject.kind == "individual_business" { "个体工商户" } else { "法人及非法人组织" }.into(),
            permits: p.permits.iter().map(|r| report_record(r, true)).collect(),
            penalties: p.penalties.iter().map(|r| report_record(r, false)).collect(),
        };
        let text = serde_json::to_string(&content).map_err(AppError::internal)?;
        let report = store::Report {
            number: number.clone(),
            subject_id: p.subject.id,
            content_sha256: sha256_hex(&text),
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
    let genuine = sha256_hex(&r.content) == r.content_sha256;
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
