//! 曝光台 pages and API: `/portal/exposure` (the entries shown now, newest first) and
//! `/portal/exposure/{id}` (the basis: 文号/决定书号, authority, dates, publicity end),
//! `GET /api/v1/portal/exposure?page=` and `…/{id}`; the staff page
//! `/console/portal/exposure` (flag a penalty in publicity, publish a hand entry with its
//! basis, withdraw with a reason, run the check now).

use askama::Template;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use qingfeng_credit::store::PublicRecord;
use qingfeng_platform::users::User;
use qingfeng_platform::web::console::{actor_of, parse_id};
use qingfeng_platform::web::{ApiQuery, AppState, Ctx, Form, Query, render_with};
use qingfeng_platform::{ApiError, AppError};
use serde::{Deserialize, Serialize};

use super::store::{self, Entry, NewEntry, Withdrawal};
use super::{HandEntry, PER_PAGE, SHOWN, SourceKind, within};
use crate::PERM_EXPOSURE;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/portal/exposure", get(list))
        .route("/portal/exposure/{id}", get(one))
        .route("/api/v1/portal/exposure", get(list_api))
        .route("/api/v1/portal/exposure/{id}", get(one_api))
        .route("/console/portal/exposure", get(console))
        .route("/console/portal/exposure/manual", post(manual))
        .route("/console/portal/exposure/flag", post(flag))
        .route("/console/portal/exposure/sweep", post(sweep_now))
        .route("/console/portal/exposure/{id}/withdraw", post(withdraw))
}

/// Persons' ID numbers, masked as the credit module masks them on public pages.
async fn fill_codes(st: &AppState, entries: &mut [Entry]) -> Result<(), AppError> {
    for e in entries.iter_mut().filter(|e| e.subject_code.is_empty()) {
        let Some(subject) = e.subject_id else { continue };
        if let Some(card) = qingfeng_credit::store::lookup::card(&st.db, &st.cfg.county_code, subject).await?
            && card.kind == "natural"
        {
            e.subject_code = qingfeng_credit::index::masked_id(&st.pii, card.id_enc.as_deref());
        }
    }
    Ok(())
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct PageQuery {
    pub page: String,
}

/// A page of the entries shown now.
#[derive(Debug, Serialize)]
pub struct Shown {
    pub items: Vec<Entry>,
    pub total: usize,
    pub page: usize,
    pub per_page: usize,
}

impl Shown {
    pub fn pages(&self) -> usize {
        self.total.div_ceil(self.per_page).max(1)
    }
}

async fn shown(st: &AppState, q: &PageQuery) -> Result<Shown, AppError> {
    let page = match q.page.trim() {
        "" => 1,
        raw => raw.parse::<usize>().ok().filter(|p| (1..=10_000).contains(p)).ok_or_else(|| {
            AppError::bad_request("list.page", format!("页码必须是正整数，收到“{}”", raw.chars().take(20).collect::<String>()))
        })?,
    };
    let all = store::visible(&st.db, &st.cfg.county_code, &st.clock.today().to_string()).await?;
    let total = all.len();
    let mut items: Vec<Entry> = all.into_iter().skip((page - 1) * PER_PAGE).take(PER_PAGE).collect();
    fill_codes(st, &mut items).await?;
    Ok(Shown { items, total, page, per_page: PER_PAGE })
}

async fn shown_one(st: &AppState, raw: &str) -> Result<Entry, AppError> {
    let not_found = || AppError::not_found("portal.exposure_not_found", "该曝光信息不存在或已撤下");
    let id = raw.trim().parse::<i64>().ok().filter(|n| *n > 0).ok_or_else(not_found)?;
    let e = store::visible_one(&st.db, &st.cfg.county_code, id, &st.clock.today().to_string()).await?.ok_or_else(not_found)?;
    let mut one = [e];
    fill_codes(st, &mut one).await?;
    let [e] = one;
    Ok(e)
}

#[derive(Template)]
#[template(path = "exposure_list.html")]
struct ListPage<'a> {
    ctx: &'a Ctx,
    title: &'a str,
    shown: Shown,
}

async fn list(State(st): State<AppState>, ctx: Ctx, Query(q): Query<PageQuery>) -> Result<Response, AppError> {
    let shown = shown(&st, &q).await?;
    render_with(&ListPage { ctx: &ctx, title: ctx.pick("曝光台", "Exposure board"), shown }, None)
}

#[derive(Template)]
#[template(path = "exposure_entry.html")]
struct EntryPage<'a> {
    ctx: &'a Ctx,
    title: &'a str,
    e: Entry,
}

async fn one(State(st): State<AppState>, ctx: Ctx, Path(raw): Path<String>) -> Result<Response, AppError> {
    let e = shown_one(&st, &raw).await?;
    let title = e.title.clone();
    render_with(&EntryPage { ctx: &ctx, title: &title, e }, None)
}

async fn list_api(State(st): State<AppState>, ApiQuery(q): ApiQuery<PageQuery>) -> Result<Json<Shown>, ApiError> {
    Ok(Json(shown(&st, &q).await?))
}

async fn one_api(State(st): State<AppState>, Path(raw): Path<String>) -> Result<Json<Entry>, ApiError> {
    Ok(Json(shown_one(&st, &raw).await?))
}

// ---- staff ----

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
struct ConsoleQuery {
    code: String,
}

/// A staff row: the entry and whether it is shown now.
struct Row {
    e: Entry,
    /// `None` = shown now; else why not.
    lapsed: Option<&'static str>,
}

#[derive(Template)]
#[template(path = "exposure_console.html")]
struct ConsolePage<'a> {
    ctx: &'a Ctx,
    title: &'a str,
    rows: Vec<Row>,
    code: String,
    /// The penalties in publicity of the subject looked up, with its name.
    found: Option<(String, Vec<PublicRecord>)>,
    hand: HandEntry,
    error: Option<AppError>,
}

async fn console_page(
    st: &AppState,
    ctx: &Ctx,
    me: &User,
    code: &str,
    hand: HandEntry,
    error: Option<AppError>,
) -> Result<Response, AppError> {
    let today = st.clock.today().to_string();
    let mut sources = store::Sources::default();
    let mut rows = Vec::new();
    for e in store::all(&st.db, &me.county_code, 500).await? {
        let lapsed = sources.lapsed(&st.db, &e, &today).await?;
        rows.push(Row { e, lapsed });
    }
    let mut error = error;
    let found = match code.trim() {
        "" => None,
        c => match penalties_of(st, c).await {
            Ok(f) => Some(f),
            Err(e) if e.status.is_client_error() => {
                error = error.or(Some(e));
                None
            }
            Err(e) => return Err(e),
        },
    };
    let page =
        ConsolePage { ctx, title: ctx.pick("曝光台维护", "Exposure board"), rows, code: code.trim().to_string(), found, hand, error };
    render_with(&page, page.error.as_ref())
}

/// The subject with this USCC and its 行政处罚 records in publicity.
async fn penalties_of(st: &AppState, code: &str) -> Result<(String, Vec<PublicRecord>), AppError> {
    let uscc = qingfeng_core::Uscc::parse(code.trim())?;
    let subject = qingfeng_credit::store::public_subject(&st.db, &st.cfg.county_code, uscc.as_str()).await?.ok_or_else(|| {
        AppError::not_found("portal.exposure_subject", format!("信用平台没有统一社会信用代码为 {} 的主体", uscc.as_str()))
    })?;
    let today = st.clock.today().to_string();
    let recs = qingfeng_credit::store::records_of(&st.db, subject.id, true)
        .await?
        .into_iter()
        .filter(|r| r.kind == "cf" && within(r.publicity_max_end.as_deref(), &today))
        .collect();
    Ok((subject.name, recs))
}

async fn console(State(st): State<AppState>, ctx: Ctx, Query(q): Query<ConsoleQuery>) -> Result<Response, AppError> {
    let me = ctx.require(&PERM_EXPOSURE)?;
    console_page(&st, &ctx, me, &q.code, HandEntry::default(), None).await
}

async fn manual(State(st): State<AppState>, ctx: Ctx, Form(f): Form<HandEntry>) -> Result<Response, AppError> {
    let me = ctx.require(&PERM_EXPOSURE)?;
    ctx.check_csrf(&f.csrf)?;
    let h = match f.check(st.clock.today()) {
        Ok(h) => h,
        Err(e) => return console_page(&st, &ctx, me, "", f, Some(e)).await,
    };
    let now = st.clock.now_ms();
    // A hand entry is identified by its document number: the same decision is published once.
    let reference = format!("{}:{}", h.authority, h.doc_no);
    let e = NewEntry {
        county_code: &me.county_code,
        source_ref: &reference,
        subject_id: None,
        subject_name: &h.subject_name,
        subject_code: "",
        title: &h.title,
        basis: &h.basis,
        doc_no: &h.doc_no,
        authority: &h.authority,
        decided_on: Some(&h.decided_on),
        publicity_end: Some(&h.publicity_end),
        is_demo: false,
    };
    let mut tx = st.db.begin().await?;
    let id = store::insert(&mut tx, SourceKind::Manual, &e, &actor_of(me), now).await?;
    tx.commit().await?;
    match id {
        Some(id) => Ok(Redirect::to(&format!("/console/portal/exposure?published={id}")).into_response()),
        None => {
            let e = AppError::conflict("portal.exposure_duplicate", "该决定书已在曝光台发布过");
            console_page(&st, &ctx, me, "", f, Some(e)).await
        }
    }
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
struct FlagForm {
    csrf: String,
    code: String,
    record_id: String,
}

/// 标记曝光 Put a penalty in publicity on the board, with the record's basis.
async fn flag(State(st): State<AppState>, ctx: Ctx, Form(f): Form<FlagForm>) -> Result<Response, AppError> {
    let me = ctx.require(&PERM_EXPOSURE)?;
    ctx.check_csrf(&f.csrf)?;
    let result = async {
        let (name, recs) = penalties_of(&st, &f.code).await?;
        let record_id = f.record_id.trim().parse::<i64>().unwrap_or(0);
        let r = recs
            .iter()
            .find(|r| r.id == record_id)
            .ok_or_else(|| AppError::bad_request("portal.exposure_record", "该行政处罚不在公示期内或不属于该主体，不能曝光"))?;
        let subject = qingfeng_credit::store::public_subject(&st.db, &st.cfg.county_code, f.code.trim()).await?;
        let uscc = subject.as_ref().and_then(|s| s.uscc.clone()).unwrap_or_default();
        let mut basis = Vec::new();
        for (label, code) in [("违法行为", "CF_WFXW"), ("违法事实", "CF_SY"), ("处罚依据", "CF_YJ"), ("处罚内容", "CF_NR")]
        {
            let v = r.field(code);
            if !v.is_empty() {
                basis.push(format!("{label}：{v}"));
            }
        }
        let basis = basis.join("\n");
        let title = format!("{name}受到行政处罚");
        let reference = r.id.to_string();
        let authority = r.field("CF_CFJG");
        let e = NewEntry {
            county_code: &me.county_code,
            source_ref: &reference,
            subject_id: subject.as_ref().map(|s| s.id),
            subject_name: &name,
            subject_code: &uscc,
            title: &title,
            basis: &basis,
            doc_no: &r.doc_no,
            authority: &authority,
            decided_on: Some(&r.decision_date),
            publicity_end: r.publicity_max_end.as_deref(),
            is_demo: r.is_demo(),
        };
        let mut tx = st.db.begin().await?;
        let id = store::insert(&mut tx, SourceKind::CreditPenalty, &e, &actor_of(me), st.clock.now_ms()).await?;
        tx.commit().await?;
        id.ok_or_else(|| AppError::conflict("portal.exposure_duplicate", "该行政处罚已在曝光台上"))
    }
    .await;
    match result {
        Ok(id) => Ok(Redirect::to(&format!("/console/portal/exposure?published={id}")).into_response()),
        Err(e) if e.status.is_client_error() => console_page(&st, &ctx, me, &f.code, HandEntry::default(), Some(e)).await,
        Err(e) => Err(e),
    }
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
struct WithdrawForm {
    csrf: String,
    reason: String,
}

async fn withdraw(
    State(st): State<AppState>,
    ctx: Ctx,
    Path(raw): Path<String>,
    Form(f): Form<WithdrawForm>,
) -> Result<Response, AppError> {
    let me = ctx.require(&PERM_EXPOSURE)?;
    ctx.check_csrf(&f.csrf)?;
    let id = parse_id(&raw)?;
    let e =
        store::get(&st.db, &me.county_code, id).await?.ok_or_else(|| AppError::not_found("portal.exposure_not_found", "曝光条目不存在"))?;
    let reason = match crate::content::check_reason(&f.reason, "portal.reason", "撤下理由") {
        Ok(r) => r,
        Err(err) => return console_page(&st, &ctx, me, "", HandEntry::default(), Some(err)).await,
    };
    if e.state != SHOWN {
        let err = AppError::conflict("state.illegal", "该条目已撤下");
        return console_page(&st, &ctx, me, "", HandEntry::default(), Some(err)).await;
    }
    let cal = st.calendar_now();
    let roles = me.role_list();
    let actor = actor_of(me);
    let w = Withdrawal { event: "withdraw", reason: &reason, actor: &actor, roles: &roles, now_ms: st.clock.now_ms() };
    store::withdraw(&st.db, &cal, &e, &w).await?;
    Ok(Redirect::to("/console/portal/exposure?withdrawn=1").into_response())
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
struct CsrfForm {
    csrf: String,
}

/// 立即核查 Run the sweep now (the same as the five-minute job).
async fn sweep_now(State(st): State<AppState>, ctx: Ctx, Form(f): Form<CsrfForm>) -> Result<Response, AppError> {
    let me = ctx.require(&PERM_EXPOSURE)?;
    ctx.check_csrf(&f.csrf)?;
    let cal = st.calendar_now();
    let run = store::sweep(&st.db, &cal, &me.county_code, st.clock.today(), st.clock.now_ms()).await?;
    Ok(Redirect::to(&format!("/console/portal/exposure?added={}&lapsed={}", run.added, run.withdrawn)).into_response())
}
