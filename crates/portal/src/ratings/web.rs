//! 好差评页面 The public side — the five levels, the published monthly scores and
//! ranking per department, rating a service — and the staff side: the month's live
//! figures, the 差评 queue with overdue ones marked, one 差评 with its actions, and
//! publishing a month. `GET /api/v1/portal/ratings/scores?month=` gives a published
//! month as JSON.

use askama::Template;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use axum::{Json, Router};
use qingfeng_platform::audit;
use qingfeng_platform::listing::{ListParams, ListQuery, Page};
use qingfeng_platform::state::Transition;
use qingfeng_platform::users::User;
use qingfeng_platform::web::console::parse_id;
use qingfeng_platform::web::{ApiQuery, AppState, Ctx, Form, Pager, Query, render_with};
use qingfeng_platform::{ApiError, AppError};
use serde::{Deserialize, Serialize};

use super::store::{self, Filter, MonthRow, Rating};
use super::workflow::{self, ActionInput, RatedService, RatingInput, month_and_day};
use super::{ENTITY, LEVELS, Level};
use crate::tickets::workflow::Env;
use crate::{PERM_RATINGS, PERM_RATINGS_PUBLISH};
use qingfeng_platform::clock::local_display;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/portal/ratings", get(public_scores))
        .route("/portal/ratings/new", get(service_form).post(service_submit))
        .route("/console/portal/ratings", get(dashboard).post(publish))
        .route("/console/portal/ratings/{id}", get(one).post(act))
        .route("/api/v1/portal/ratings/scores", get(api_scores))
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
struct MonthQuery {
    month: String,
}

#[derive(Template)]
#[template(path = "ratings_public.html")]
struct PublicPage<'a> {
    ctx: &'a Ctx,
    title: &'a str,
    levels: &'static [Level],
    months: Vec<String>,
    month: String,
    rows: Vec<MonthRow>,
}

impl PublicPage<'_> {
    fn stars(&self, v: &i64) -> String {
        "★".repeat(usize::try_from(*v).unwrap_or(0))
    }
}

async fn public_scores(State(st): State<AppState>, ctx: Ctx, Query(q): Query<MonthQuery>) -> Result<Response, AppError> {
    let county = &st.cfg.county_code;
    let months = store::published_months(&st.db, county).await?;
    let month = match q.month.trim() {
        "" => months.first().cloned().unwrap_or_default(),
        m if months.iter().any(|x| x == m) => m.to_string(),
        m => {
            return Err(AppError::not_found(
                "portal.rating_month_unpublished",
                format!("{} 的结果尚未公布", m.chars().take(7).collect::<String>()),
            ));
        }
    };
    let rows = if month.is_empty() { Vec::new() } else { store::published(&st.db, county, &month).await? };
    render_with(&PublicPage { ctx: &ctx, title: ctx.pick("好差评", "Service ratings"), levels: LEVELS, months, month, rows }, None)
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
struct ServiceQuery {
    service: String,
}

#[derive(Template)]
#[template(path = "ratings_service.html")]
struct ServiceForm<'a> {
    ctx: &'a Ctx,
    title: &'a str,
    service: RatedService,
    org_name: String,
    levels: &'static [Level],
    input: RatingInput,
    done: Option<Rating>,
    error: Option<AppError>,
}

impl ServiceForm<'_> {
    fn is_level(&self, v: &i64) -> bool {
        self.input.level == v.to_string()
    }
}

/// The service rated (the 公共服务 module's published guides, read through its store).
async fn rated_service(st: &AppState, raw: &str) -> Result<(RatedService, String), AppError> {
    let missing = || AppError::not_found("portal.rating_service", "要评价的服务不存在或未公布");
    let id: i64 = raw.trim().parse().map_err(|_| missing())?;
    let s = crate::services::store::one(&st.db, &st.cfg.county_code, id)
        .await?
        .filter(crate::services::store::Service::is_published)
        .ok_or_else(missing)?;
    Ok((RatedService { id: s.id, county_code: s.county_code, title: s.name, org_id: s.org_id }, s.org_name))
}

async fn service_form(State(st): State<AppState>, ctx: Ctx, Query(q): Query<ServiceQuery>) -> Result<Response, AppError> {
    let (service, org_name) = rated_service(&st, &q.service).await?;
    let page = ServiceForm {
        ctx: &ctx,
        title: ctx.pick("服务评价", "Rate a service"),
        service,
        org_name,
        levels: LEVELS,
        input: RatingInput::default(),
        done: None,
        error: None,
    };
    render_with(&page, None)
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
struct ServiceRatingForm {
    csrf: String,
    service: String,
    #[serde(flatten)]
    input: RatingInput,
}

async fn service_submit(State(st): State<AppState>, ctx: Ctx, Form(f): Form<ServiceRatingForm>) -> Result<Response, AppError> {
    ctx.check_csrf(&f.csrf)?;
    let (service, org_name) = rated_service(&st, &f.service).await?;
    let cal = st.calendar_now();
    let e = Env { db: &st.db, cal: &cal, pii: &st.pii, now_ms: st.clock.now_ms() };
    let (done, error) = match workflow::rate_service(e, &service, &f.input).await {
        Ok(r) => (Some(r), None),
        Err(err) if err.status.is_client_error() => (None, Some(err)),
        Err(err) => return Err(err),
    };
    let page = ServiceForm {
        ctx: &ctx,
        title: ctx.pick("服务评价", "Rate a service"),
        service,
        org_name,
        levels: LEVELS,
        input: f.input,
        done,
        error,
    };
    render_with(&page, page.error.as_ref())
}

// ---------------------------------------------------------------------------------
// Staff

/// The dashboard's query string.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
struct DashQuery {
    month: String,
    /// `all`: every rating of the month, not only open 差评.
    show: String,
    q: String,
    page: String,
}

fn own_org(me: &User) -> Option<i64> {
    use qingfeng_platform::auth::Role;
    if me.has_role(Role::CountyAdmin) || me.has_role(Role::SystemAdmin) { None } else { me.org_id.or(Some(-1)) }
}

#[derive(Template)]
#[template(path = "ratings_dashboard.html")]
struct Dashboard<'a> {
    ctx: &'a Ctx,
    title: &'a str,
    month: String,
    current_month: String,
    show: String,
    rows: Vec<MonthRow>,
    page: Page<Rating>,
    pager: Pager,
    can_publish: bool,
    published: bool,
    now_ms: i64,
    notice: Option<String>,
    error: Option<AppError>,
}

fn check_month(raw: &str, default: &str) -> Result<String, AppError> {
    let m = raw.trim();
    if m.is_empty() {
        return Ok(default.to_string());
    }
    let ok = m.len() == 7 && chrono::NaiveDate::parse_from_str(&format!("{m}-01"), "%Y-%m-%d").is_ok();
    if ok { Ok(m.to_string()) } else { Err(AppError::bad_request("portal.rating_month", "月份格式应为 YYYY-MM，如 2026-10")) }
}

async fn dashboard_page(
    st: &AppState,
    ctx: &Ctx,
    me: &User,
    q: DashQuery,
    notice: Option<String>,
    error: Option<AppError>,
) -> Result<Response, AppError> {
    let now = st.clock.now_ms();
    let (current_month, _) = month_and_day(now);
    let month = check_month(&q.month, &current_month)?;
    let org = own_org(me);
    let mut rows = store::month_scores(&st.db, &me.county_code, &month).await?;
    if let Some(o) = org {
        rows.retain(|r| r.org_id == o);
    }
    let all = q.show == "all";
    let raw = ListQuery { page: Some(q.page.clone()).filter(|s| !s.is_empty()), per_page: None, q: Some(q.q.clone()), sort: None };
    let params = ListParams::parse(&raw, store::SORT, "-id")?;
    let filter =
        Filter { county_code: me.county_code.clone(), org_id: org, bad_only: false, open_only: !all, month: all.then(|| month.clone()) };
    let page = store::list(&st.db, &filter, &params).await?;
    let pager = Pager::new(&page, "/console/portal/ratings", &[("month", &month), ("show", &q.show), ("q", &q.q)]);
    let published = !store::published(&st.db, &me.county_code, &month).await?.is_empty();
    let dash = Dashboard {
        ctx,
        title: ctx.pick("好差评", "Service ratings"),
        can_publish: me.can(&PERM_RATINGS_PUBLISH),
        month,
        current_month,
        show: q.show,
        rows,
        page,
        pager,
        published,
        now_ms: now,
        notice,
        error,
    };
    render_with(&dash, dash.error.as_ref())
}

async fn dashboard(State(st): State<AppState>, ctx: Ctx, Query(q): Query<DashQuery>) -> Result<Response, AppError> {
    let me = ctx.require(&PERM_RATINGS)?;
    dashboard_page(&st, &ctx, me, q, None, None).await
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
struct PublishForm {
    csrf: String,
    month: String,
}

async fn publish(State(st): State<AppState>, ctx: Ctx, Form(f): Form<PublishForm>) -> Result<Response, AppError> {
    let me = ctx.require(&PERM_RATINGS_PUBLISH)?;
    ctx.check_csrf(&f.csrf)?;
    let cal = st.calendar_now();
    let e = Env { db: &st.db, cal: &cal, pii: &st.pii, now_ms: st.clock.now_ms() };
    let q = DashQuery { month: f.month.trim().to_string(), ..Default::default() };
    match workflow::publish_month(e, me, f.month.trim()).await {
        Ok(n) => dashboard_page(&st, &ctx, me, q, Some(format!("已公布 {} 的结果（{n} 个单位）", f.month.trim())), None).await,
        Err(err) if err.status.is_client_error() => {
            let q = DashQuery { month: check_month(&q.month, "").unwrap_or_default(), ..Default::default() };
            dashboard_page(&st, &ctx, me, q, None, Some(err)).await
        }
        Err(err) => Err(err),
    }
}

/// One line of a 差评's history.
pub struct HistoryLine {
    pub at: String,
    pub actor: String,
    pub what: String,
    pub basis: String,
}

#[derive(Template)]
#[template(path = "ratings_one.html")]
struct OnePage<'a> {
    ctx: &'a Ctx,
    title: &'a str,
    r: Rating,
    phone: String,
    events: Vec<&'static Transition>,
    history: Vec<HistoryLine>,
    input: ActionInput,
    now_ms: i64,
    error: Option<AppError>,
}

impl OnePage<'_> {
    fn has(&self, event: &str) -> bool {
        self.events.iter().any(|t| t.event == event)
    }
    fn zh(&self, event: &str) -> &'static str {
        self.events.iter().find(|t| t.event == event).map(|t| t.zh).unwrap_or("")
    }
}

async fn one_page(st: &AppState, ctx: &Ctx, me: &User, id: i64, input: ActionInput, error: Option<AppError>) -> Result<Response, AppError> {
    let r = store::by_id(&st.db, id).await?.filter(|r| workflow::can_handle(me, r)).ok_or_else(|| workflow::not_found(id))?;
    let history = audit::history(&st.db, ENTITY, &r.id.to_string(), 100)
        .await?
        .iter()
        .rev()
        .map(|e| {
            let d: serde_json::Value = serde_json::from_str(&e.detail).unwrap_or_default();
            let what = match e.action.as_str() {
                "portal_rating.create" => "收到评价".to_string(),
                "portal_rating.overdue" => "超期通报".to_string(),
                "portal_rating.transition" => {
                    let ev = d.get("event").and_then(|v| v.as_str()).unwrap_or_default();
                    let from = d.get("from").and_then(|v| v.as_str()).unwrap_or_default();
                    super::MACHINE.next(from, ev).map(|t| t.zh.to_string()).unwrap_or_else(|_| ev.to_string())
                }
                other => other.to_string(),
            };
            let mut basis = d.get("legal_basis").and_then(|v| v.as_str()).unwrap_or_default().to_string();
            if let Some(due) = d.get("due_at").and_then(|v| v.as_i64()) {
                basis = format!("期限 {} · {basis}", qingfeng_platform::clock::due_display(due));
            }
            HistoryLine { at: local_display(e.at), actor: e.actor.clone(), what, basis }
        })
        .collect();
    let phone = match &r.phone_enc {
        Some(enc) => st.pii.decrypt(enc).unwrap_or_else(|_| r.phone_masked.clone()),
        None => String::new(),
    };
    let events = workflow::open_events(me, &r);
    let page =
        OnePage { ctx, title: ctx.pick("差评处置", "Bad rating"), r, phone, events, history, input, now_ms: st.clock.now_ms(), error };
    render_with(&page, page.error.as_ref())
}

async fn one(State(st): State<AppState>, ctx: Ctx, Path(raw): Path<String>) -> Result<Response, AppError> {
    let me = ctx.require(&PERM_RATINGS)?;
    one_page(&st, &ctx, me, parse_id(&raw)?, ActionInput::default(), None).await
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
struct ActForm {
    csrf: String,
    #[serde(flatten)]
    input: ActionInput,
}

async fn act(State(st): State<AppState>, ctx: Ctx, Path(raw): Path<String>, Form(f): Form<ActForm>) -> Result<Response, AppError> {
    let me = ctx.require(&PERM_RATINGS)?;
    ctx.check_csrf(&f.csrf)?;
    let id = parse_id(&raw)?;
    let cal = st.calendar_now();
    let e = Env { db: &st.db, cal: &cal, pii: &st.pii, now_ms: st.clock.now_ms() };
    match workflow::act(e, me, id, &f.input).await {
        Ok(r) => Ok(Redirect::to(&format!("/console/portal/ratings/{}?done={}", r.id, f.input.event)).into_response()),
        Err(err) if err.status.is_client_error() && err.code != "portal.rating_not_found" => {
            one_page(&st, &ctx, me, id, f.input, Some(err)).await
        }
        Err(err) => Err(err),
    }
}

#[derive(Serialize)]
struct ScoresJson {
    month: String,
    months: Vec<String>,
    items: Vec<MonthRow>,
}

async fn api_scores(State(st): State<AppState>, ApiQuery(q): ApiQuery<MonthQuery>) -> Result<Json<ScoresJson>, ApiError> {
    let county = &st.cfg.county_code;
    let months = store::published_months(&st.db, county).await?;
    let month = match q.month.trim() {
        "" => months.first().cloned().unwrap_or_default(),
        m => check_month(m, "")?,
    };
    let items = if month.is_empty() { Vec::new() } else { store::published(&st.db, county, &month).await? };
    Ok(Json(ScoresJson { month, months, items }))
}
