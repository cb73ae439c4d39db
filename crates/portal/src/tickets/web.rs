//! 工单页面 The person's side — the 小事快办 and 投诉 forms (named or anonymous, an
//! off-list fee report prefilled from the fee list), the tracking page (state, timeline,
//! reply, 未解决 → 重办, and 好差评 once closed) — the staff side (the list with the
//! overdue list and counts, registration of phone and window requests, one ticket with
//! its timeline and the actions open to the person looking) and the JSON API.

use askama::Template;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use qingfeng_core::Phone;
use qingfeng_platform::audit::{self, Entry};
use qingfeng_platform::listing::{ListParams, ListQuery, Page};
use qingfeng_platform::state::Transition;
use qingfeng_platform::users::User;
use qingfeng_platform::web::api::Caller;
use qingfeng_platform::web::console::{actor_of, parse_id};
use qingfeng_platform::web::{ApiQuery, AppState, Ctx, Form, Pager, Query, render_with};
use qingfeng_platform::{ApiError, AppError, session, tracking};
use serde::{Deserialize, Serialize};

use super::store::{self, Filter, Ticket};
use super::workflow::{self, ActionInput, Env, TicketInput};
use super::{CATEGORIES, CHANNELS, ENTITY, KINDS, Label, MACHINE, PRIORITIES};
use crate::PERM_TICKETS;
use crate::ratings::store::Rating;
use crate::ratings::workflow::RatingInput;
use crate::ratings::{self, LEVELS, Level};
use qingfeng_platform::clock::local_display;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/portal/quick/new", get(quick_form))
        .route("/portal/complaints/new", get(complaint_form))
        .route("/portal/tickets", post(submit))
        .route("/portal/track", get(track_page).post(track_submit))
        .route("/console/portal/tickets", get(list))
        .route("/console/portal/tickets/new", get(staff_form).post(staff_submit))
        .route("/console/portal/tickets/{id}", get(one).post(act))
        .route("/console/portal/tickets/{id}/expose", post(expose))
        .route("/api/v1/portal/tickets", get(api_list).post(api_submit))
        .route("/api/v1/portal/tickets/{id}", get(api_one))
}

// ---------------------------------------------------------------------------------
// The person's forms

#[derive(Template)]
#[template(path = "tickets_form.html")]
struct FormPage<'a> {
    ctx: &'a Ctx,
    title: &'a str,
    kind: &'static Label,
    categories: &'static [Label],
    input: TicketInput,
    /// The fee reported, when the form was opened from the fee list.
    fee_name: Option<String>,
    error: Option<AppError>,
}

impl FormPage<'_> {
    fn is_category(&self, key: &&str) -> bool {
        self.input.category == *key
    }
    fn is_anonymous(&self) -> bool {
        self.input.anonymous == "on"
    }
    fn is_fee(&self) -> bool {
        !self.input.fee.is_empty()
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct NewQuery {
    fee: String,
}

async fn form_page(st: &AppState, ctx: &Ctx, input: TicketInput, error: Option<AppError>) -> Result<Response, AppError> {
    let kind = super::label(KINDS, &input.kind).unwrap_or(&KINDS[0]);
    let fee_name = match input.fee.trim() {
        "" => None,
        "0" => Some(ctx.pick("清单之外的收费", "A fee not on the list").to_string()),
        raw => match raw.parse::<i64>() {
            Ok(id) => fee_name(&st.db, id).await?,
            Err(_) => None,
        },
    };
    let page = FormPage { ctx, title: kind.zh, kind, categories: CATEGORIES, input, fee_name, error };
    render_with(&page, page.error.as_ref())
}

/// The fee item's name and department (the 收费清单), to show what is reported.
async fn fee_name(db: &qingfeng_platform::db::Db, id: i64) -> Result<Option<String>, AppError> {
    Ok(crate::lists::store::fee(db, id).await?.map(|f| format!("{} · {}", f.department, f.name)))
}

async fn quick_form(State(st): State<AppState>, ctx: Ctx) -> Result<Response, AppError> {
    form_page(&st, &ctx, TicketInput { kind: "quick".into(), category: "help".into(), ..Default::default() }, None).await
}

async fn complaint_form(State(st): State<AppState>, ctx: Ctx, Query(q): Query<NewQuery>) -> Result<Response, AppError> {
    let fee = q.fee.trim().to_string();
    let input = if fee.is_empty() {
        TicketInput { kind: "complaint".into(), category: "complaint".into(), ..Default::default() }
    } else {
        TicketInput {
            kind: "complaint".into(), category: "complaint".into(), title: "反映清单外收费".into(), fee, ..Default::default()
        }
    };
    form_page(&st, &ctx, input, None).await
}

#[derive(Template)]
#[template(path = "tickets_created.html")]
struct Created<'a> {
    ctx: &'a Ctx,
    title: &'a str,
    ticket: Ticket,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
struct SubmitForm {
    csrf: String,
    #[serde(flatten)]
    input: TicketInput,
}

async fn submit(State(st): State<AppState>, ctx: Ctx, Form(f): Form<SubmitForm>) -> Result<Response, AppError> {
    ctx.check_csrf(&f.csrf)?;
    let cal = st.calendar_now();
    let e = Env { db: &st.db, cal: &cal, pii: &st.pii, now_ms: st.clock.now_ms() };
    let new = match workflow::check(e, &st.cfg.county_code, &f.input, None).await {
        Ok(n) => n,
        Err(err) if err.status.is_client_error() => return form_page(&st, &ctx, f.input, Some(err)).await,
        Err(err) => return Err(err),
    };
    let ticket = workflow::create(e, &new, &qingfeng_platform::audit::Actor::System("portal.applicant")).await?;
    render_with(&Created { ctx: &ctx, title: ctx.pick("已提交", "Submitted"), ticket }, None)
}

// ---------------------------------------------------------------------------------
// Tracking

/// One line of the public timeline.
#[derive(Debug, Clone, Serialize)]
pub struct Step {
    pub at: String,
    pub what: String,
    pub note: String,
}

/// The public timeline of a ticket from its audit chain: what happened and the notes
/// meant for the person (dispatch, reply, extension), never staff-internal reasons.
pub fn public_steps(history: &[Entry]) -> Vec<Step> {
    let mut steps: Vec<Step> = history
        .iter()
        .rev()
        .filter_map(|e| {
            let d: serde_json::Value = serde_json::from_str(&e.detail).unwrap_or_default();
            let what = match e.action.as_str() {
                "portal_ticket.create" => "已受理".to_string(),
                "portal_ticket.transition" => {
                    let event = d.get("event").and_then(|v| v.as_str()).unwrap_or_default();
                    let from = d.get("from").and_then(|v| v.as_str()).unwrap_or_default();
                    MACHINE.next(from, event).map(|t| t.zh.to_string()).unwrap_or_default()
                }
                _ => return None,
            };
            let note = d.get("public_note").and_then(|v| v.as_str()).unwrap_or_default().to_string();
            Some(Step { at: local_display(e.at), what, note })
        })
        .collect();
    steps.retain(|s| !s.what.is_empty());
    steps
}

struct Tracked {
    ticket: Ticket,
    steps: Vec<Step>,
    rating: Option<Rating>,
}

struct TrackedRating {
    rating: Rating,
}

#[derive(Template)]
#[template(path = "tickets_track.html")]
struct TrackPage<'a> {
    ctx: &'a Ctx,
    title: &'a str,
    code: String,
    /// The phone number the person typed, carried into the reopen and rating forms.
    phone: String,
    found: Option<Tracked>,
    found_rating: Option<TrackedRating>,
    levels: &'static [Level],
    notice: Option<&'static str>,
    error: Option<AppError>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
struct TrackForm {
    csrf: String,
    code: String,
    phone: String,
    /// `reopen` or `rate` (else a lookup).
    action: String,
    reason: String,
    level: String,
    comment: String,
}

fn no_match() -> AppError {
    AppError::not_found("portal.track_no_match", "查询码与电话号码不匹配，请核对后重试（匿名提交的只填查询码）")
}

async fn track_page(ctx: Ctx) -> Result<Response, AppError> {
    let page = TrackPage {
        ctx: &ctx,
        title: ctx.pick("进度查询", "Track"),
        code: String::new(),
        phone: String::new(),
        found: None,
        found_rating: None,
        levels: LEVELS,
        notice: None,
        error: None,
    };
    render_with(&page, None)
}

enum Found {
    Ticket(Box<Ticket>),
    Rating(Box<Rating>),
}

/// Find what the code opens: an anonymous ticket by its code alone, a named ticket or a
/// rating by its code and the phone number given. Throttled like a login; every miss
/// gets the same answer.
async fn lookup(st: &AppState, ctx: &Ctx, f: &TrackForm) -> Result<Found, AppError> {
    ctx.check_csrf(&f.csrf)?;
    let code = tracking::normalise(&f.code);
    if code.is_empty() {
        return Err(AppError::bad_request("portal.track_code", "请填写查询码"));
    }
    let now = st.clock.now_ms();
    let throttle_key = format!("portal.track:{}", code.chars().take(16).collect::<String>());
    session::check_throttle(&st.db, &st.cfg, &throttle_key, &ctx.ip, now).await.map_err(|e| {
        if e.code == "auth.throttled" {
            AppError::too_many("portal.track_throttled", format!("查询失败次数过多，请 {} 分钟后再试", st.cfg.login_window_minutes))
        } else {
            e
        }
    })?;
    let phone_hash = Phone::parse(f.phone.trim()).ok().map(|p| st.pii.lookup_hash(p.as_str()));
    let found = if code.starts_with("PJ") {
        store_rating(st, &code).await?.filter(|r| r.phone_hash.is_some() && r.phone_hash == phone_hash).map(|r| Found::Rating(Box::new(r)))
    } else {
        store::by_tracking_code(&st.db, &code)
            .await?
            .filter(|t| t.anonymous || (t.phone_hash.is_some() && t.phone_hash == phone_hash))
            .map(|t| Found::Ticket(Box::new(t)))
    };
    session::record_attempt(&st.db, &throttle_key, &ctx.ip, found.is_some(), now).await?;
    found.ok_or_else(no_match)
}

async fn store_rating(st: &AppState, code: &str) -> Result<Option<Rating>, AppError> {
    Ok(ratings::store::by_code(&st.db, code).await?)
}

async fn tracked(st: &AppState, t: Ticket) -> Result<Tracked, AppError> {
    let history = audit::history(&st.db, ENTITY, &t.id.to_string(), 200).await?;
    let rating = ratings::store::for_ticket(&st.db, t.id).await?;
    Ok(Tracked { steps: public_steps(&history), rating, ticket: t })
}

async fn track_submit(State(st): State<AppState>, ctx: Ctx, Form(f): Form<TrackForm>) -> Result<Response, AppError> {
    let title = ctx.pick("进度查询", "Track");
    let code = tracking::normalise(&f.code);
    let mut page = TrackPage {
        ctx: &ctx,
        title,
        code: code.clone(),
        phone: f.phone.trim().to_string(),
        found: None,
        found_rating: None,
        levels: LEVELS,
        notice: None,
        error: None,
    };
    let found = match lookup(&st, &ctx, &f).await {
        Ok(found) => found,
        Err(e) if e.status.is_client_error() => {
            page.error = Some(e);
            return render_with(&page, page.error.as_ref());
        }
        Err(e) => return Err(e),
    };
    match found {
        Found::Rating(r) => {
            page.found_rating = Some(TrackedRating { rating: *r });
        }
        Found::Ticket(t) => {
            let t = *t;
            let cal = st.calendar_now();
            let e = Env { db: &st.db, cal: &cal, pii: &st.pii, now_ms: st.clock.now_ms() };
            let outcome = match f.action.as_str() {
                "reopen" => workflow::reopen_by_applicant(e, &t, &f.reason).await.map(|t| (t, "已申请重办，首接单位将重新办理")),
                "rate" => {
                    let input = RatingInput { level: f.level.clone(), comment: f.comment.clone(), ..Default::default() };
                    ratings::workflow::rate_ticket(e, &t, &input).await.map(|_| (t, "感谢您的评价"))
                }
                _ => Ok((t, "")),
            };
            match outcome {
                Ok((t, notice)) => {
                    page.notice = (!notice.is_empty()).then_some(notice);
                    page.found = Some(tracked(&st, t).await?);
                }
                Err(err) if err.status.is_client_error() => {
                    let t = store::by_tracking_code(&st.db, &code).await?.ok_or_else(no_match)?;
                    page.found = Some(tracked(&st, t).await?);
                    page.error = Some(err);
                }
                Err(err) => return Err(err),
            }
        }
    }
    render_with(&page, page.error.as_ref())
}

// ---------------------------------------------------------------------------------
// Staff

/// The list's query string.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct TicketsQuery {
    pub state: String,
    pub kind: String,
    /// `1`: the overdue list.
    pub overdue: String,
    pub q: String,
    pub page: String,
    pub per_page: String,
    pub sort: String,
}

impl TicketsQuery {
    fn params(&self) -> Result<ListParams, AppError> {
        let raw = ListQuery {
            page: Some(self.page.clone()).filter(|s| !s.is_empty()),
            per_page: Some(self.per_page.clone()).filter(|s| !s.is_empty()),
            q: Some(self.q.clone()),
            sort: Some(self.sort.clone()).filter(|s| !s.is_empty()),
        };
        let default = if self.overdue == "1" { "due" } else { "-id" };
        ListParams::parse(&raw, store::SORT, default)
    }

    fn filter(&self, me: &User, now_ms: i64) -> Result<Filter, AppError> {
        let state = match self.state.trim() {
            "" => None,
            s if MACHINE.state(s).is_some() => Some(s.to_string()),
            _ => return Err(AppError::bad_request("portal.ticket_state", "状态参数有误")),
        };
        let kind = match self.kind.trim() {
            "" => None,
            k if super::label(KINDS, k).is_some() => Some(k.to_string()),
            _ => return Err(AppError::bad_request("portal.ticket_kind", "类别参数应为 quick 或 complaint")),
        };
        Ok(Filter {
            county_code: me.county_code.clone(),
            org_id: own_org(me),
            state,
            kind,
            overdue_at: (self.overdue == "1").then_some(now_ms),
        })
    }
}

/// A department sees its own tickets; the county office sees all of them.
fn own_org(me: &User) -> Option<i64> {
    use qingfeng_platform::auth::Role;
    if me.has_role(Role::CountyAdmin) || me.has_role(Role::SystemAdmin) { None } else { me.org_id.or(Some(-1)) }
}

#[derive(Template)]
#[template(path = "tickets_list.html")]
struct ListPage<'a> {
    ctx: &'a Ctx,
    title: &'a str,
    q: TicketsQuery,
    page: Page<Ticket>,
    pager: Pager,
    counts: store::Counts,
    states: &'static [qingfeng_platform::state::State],
    kinds: &'static [Label],
    now_ms: i64,
}

impl ListPage<'_> {
    fn is_state(&self, key: &&str) -> bool {
        self.q.state == *key
    }
    fn is_kind(&self, key: &&str) -> bool {
        self.q.kind == *key
    }
}

async fn list(State(st): State<AppState>, ctx: Ctx, Query(q): Query<TicketsQuery>) -> Result<Response, AppError> {
    let me = ctx.require(&PERM_TICKETS)?;
    let now = st.clock.now_ms();
    let params = q.params()?;
    let filter = q.filter(me, now)?;
    let page = store::list(&st.db, &filter, &params).await?;
    let counts = store::counts(&st.db, &me.county_code, filter.org_id, now).await?;
    let pager = Pager::new(
        &page,
        "/console/portal/tickets",
        &[("state", &q.state), ("kind", &q.kind), ("overdue", &q.overdue), ("q", &q.q), ("sort", &q.sort)],
    );
    let title = if q.overdue == "1" { ctx.pick("超期工单", "Overdue tickets") } else { ctx.pick("直通车工单", "Tickets") };
    render_with(&ListPage { ctx: &ctx, title, q, page, pager, counts, states: super::STATES, kinds: KINDS, now_ms: now }, None)
}

#[derive(Template)]
#[template(path = "tickets_staff_form.html")]
struct StaffForm<'a> {
    ctx: &'a Ctx,
    title: &'a str,
    input: TicketInput,
    kinds: &'static [Label],
    categories: &'static [Label],
    priorities: &'static [Label],
    channels: &'static [Label],
    error: Option<AppError>,
}

impl StaffForm<'_> {
    fn is(&self, field: &str, key: &&str) -> bool {
        let v = match field {
            "kind" => &self.input.kind,
            "category" => &self.input.category,
            "priority" => &self.input.priority,
            _ => &self.input.channel,
        };
        v == *key
    }
}

fn staff_form_page(ctx: &Ctx, input: TicketInput, error: Option<AppError>) -> Result<Response, AppError> {
    let page = StaffForm {
        ctx,
        title: ctx.pick("登记工单", "Register a ticket"),
        input,
        kinds: KINDS,
        categories: CATEGORIES,
        priorities: PRIORITIES,
        channels: &CHANNELS[1..],
        error,
    };
    render_with(&page, page.error.as_ref())
}

async fn staff_form(ctx: Ctx) -> Result<Response, AppError> {
    ctx.require(&PERM_TICKETS)?;
    let input = TicketInput {
        kind: "complaint".into(),
        category: "complaint".into(),
        priority: "normal".into(),
        channel: "phone".into(),
        ..Default::default()
    };
    staff_form_page(&ctx, input, None)
}

async fn staff_submit(State(st): State<AppState>, ctx: Ctx, Form(f): Form<SubmitForm>) -> Result<Response, AppError> {
    let me = ctx.require(&PERM_TICKETS)?;
    ctx.check_csrf(&f.csrf)?;
    let cal = st.calendar_now();
    let e = Env { db: &st.db, cal: &cal, pii: &st.pii, now_ms: st.clock.now_ms() };
    let new = match workflow::check(e, &me.county_code, &f.input, Some(me)).await {
        Ok(n) => n,
        Err(err) if err.status.is_client_error() => return staff_form_page(&ctx, f.input, Some(err)),
        Err(err) => return Err(err),
    };
    let t = workflow::create(e, &new, &actor_of(me)).await?;
    Ok(Redirect::to(&format!("/console/portal/tickets/{}?created=1", t.id)).into_response())
}

/// One line of the staff timeline: everything in the audit chain.
pub struct StaffStep {
    pub at: String,
    pub actor: String,
    pub what: String,
    pub detail: String,
}

fn staff_steps(history: &[Entry]) -> Vec<StaffStep> {
    history
        .iter()
        .rev()
        .map(|e| {
            let d: serde_json::Value = serde_json::from_str(&e.detail).unwrap_or_default();
            let what = match e.action.as_str() {
                "portal_ticket.create" => "受理".to_string(),
                "portal_ticket.urge" => "超期催办".to_string(),
                "portal_ticket.report" => "超期通报".to_string(),
                "portal_ticket.transition" => {
                    let event = d.get("event").and_then(|v| v.as_str()).unwrap_or_default();
                    let from = d.get("from").and_then(|v| v.as_str()).unwrap_or_default();
                    MACHINE.next(from, event).map(|t| t.zh.to_string()).unwrap_or_else(|_| event.to_string())
                }
                other => other.to_string(),
            };
            let mut bits: Vec<String> = Vec::new();
            for key in ["handler", "reason", "days", "public_note", "legal_basis"] {
                if let Some(v) = d.get(key).filter(|v| !v.is_null()) {
                    bits.push(v.as_str().map(str::to_string).unwrap_or_else(|| v.to_string()));
                }
            }
            if let Some(due) = d.get("due_at").and_then(|v| v.as_i64()) {
                bits.push(format!("期限 {}", qingfeng_platform::clock::due_display(due)));
            }
            StaffStep { at: local_display(e.at), actor: e.actor.clone(), what, detail: bits.join(" · ") }
        })
        .collect()
}

#[derive(Template)]
#[template(path = "tickets_one.html")]
struct OnePage<'a> {
    ctx: &'a Ctx,
    title: &'a str,
    t: Ticket,
    phone: String,
    steps: Vec<StaffStep>,
    events: Vec<&'static Transition>,
    targets: Vec<(i64, String)>,
    rating: Option<Rating>,
    /// The exposure board: the entry made from this complaint, and whether the person
    /// looking may put it there.
    exposure: Option<crate::exposure::store::Entry>,
    may_expose: bool,
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
    fn is_handler(&self, id: &i64) -> bool {
        self.input.handler_org_id == id.to_string() || (self.input.handler_org_id.is_empty() && self.t.handler_org_id == Some(*id))
    }
}

async fn one_page(st: &AppState, ctx: &Ctx, me: &User, id: i64, input: ActionInput, error: Option<AppError>) -> Result<Response, AppError> {
    let t = store::by_id(&st.db, id).await?.filter(|t| workflow::can_see(me, t)).ok_or_else(|| workflow::not_found(id))?;
    let history = audit::history(&st.db, ENTITY, &t.id.to_string(), 200).await?;
    let phone = match &t.phone_enc {
        Some(enc) => st.pii.decrypt(enc).unwrap_or_else(|_| t.phone_masked.clone()),
        None => String::new(),
    };
    let events = workflow::open_events(me, &t);
    let targets =
        if events.iter().any(|e| e.event == "dispatch") { store::dispatch_targets(&st.db, &t.county_code).await? } else { Vec::new() };
    let rating = ratings::store::for_ticket(&st.db, t.id).await?;
    let exposure = crate::exposure::store::by_source(&st.db, workflow::exposure_source(&t)).await?;
    let may_expose = exposure.is_none() && workflow::can_expose(&t) && me.can(&crate::PERM_EXPOSURE);
    let page = OnePage {
        ctx,
        title: ctx.pick("工单详情", "Ticket"),
        steps: staff_steps(&history),
        phone,
        events,
        targets,
        rating,
        exposure,
        may_expose,
        input,
        now_ms: st.clock.now_ms(),
        t,
        error,
    };
    render_with(&page, page.error.as_ref())
}

async fn one(State(st): State<AppState>, ctx: Ctx, Path(raw): Path<String>) -> Result<Response, AppError> {
    let me = ctx.require(&PERM_TICKETS)?;
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
    let me = ctx.require(&PERM_TICKETS)?;
    ctx.check_csrf(&f.csrf)?;
    let id = parse_id(&raw)?;
    let cal = st.calendar_now();
    let e = Env { db: &st.db, cal: &cal, pii: &st.pii, now_ms: st.clock.now_ms() };
    // A revisit that finds the matter unresolved reopens it.
    let mut input = f.input.clone();
    if input.event == "revisit" && input.resolved == "no" {
        input.event = "reopen".into();
        if input.reason.trim().is_empty() {
            input.reason = input.note.clone();
        }
    }
    match workflow::act(e, me, id, &input).await {
        Ok(t) => Ok(Redirect::to(&format!("/console/portal/tickets/{}?done={}", t.id, input.event)).into_response()),
        Err(err) if err.status.is_client_error() && err.code != "portal.ticket_not_found" => {
            one_page(&st, &ctx, me, id, f.input, Some(err)).await
        }
        Err(err) => Err(err),
    }
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
struct ExposeForm {
    csrf: String,
    title: String,
    basis: String,
}

async fn expose(State(st): State<AppState>, ctx: Ctx, Path(raw): Path<String>, Form(f): Form<ExposeForm>) -> Result<Response, AppError> {
    let me = ctx.require(&crate::PERM_EXPOSURE)?;
    ctx.check_csrf(&f.csrf)?;
    let id = parse_id(&raw)?;
    let cal = st.calendar_now();
    let e = Env { db: &st.db, cal: &cal, pii: &st.pii, now_ms: st.clock.now_ms() };
    match workflow::expose(e, me, id, &f.title, &f.basis).await {
        Ok(_) => Ok(Redirect::to(&format!("/console/portal/tickets/{id}?done=expose")).into_response()),
        Err(err) if err.status.is_client_error() && err.code != "portal.ticket_not_found" => {
            one_page(&st, &ctx, me, id, ActionInput { note: f.basis, reason: f.title, ..Default::default() }, Some(err)).await
        }
        Err(err) => Err(err),
    }
}

// ---------------------------------------------------------------------------------
// API

#[derive(Serialize)]
struct TicketJson {
    #[serde(flatten)]
    ticket: Ticket,
    state_zh: &'static str,
    kind_zh: &'static str,
    category_zh: &'static str,
}

impl From<Ticket> for TicketJson {
    fn from(t: Ticket) -> Self {
        TicketJson { state_zh: t.state_zh(), kind_zh: t.kind_zh(), category_zh: t.category_zh(), ticket: t }
    }
}

async fn api_list(
    State(st): State<AppState>,
    caller: Caller,
    ApiQuery(q): ApiQuery<TicketsQuery>,
) -> Result<Json<Page<TicketJson>>, ApiError> {
    let me = caller.require(&PERM_TICKETS)?;
    let params = q.params()?;
    let filter = q.filter(me, st.clock.now_ms())?;
    let page = store::list(&st.db, &filter, &params).await?;
    Ok(Json(Page {
        items: page.items.into_iter().map(TicketJson::from).collect(),
        total: page.total,
        page: page.page,
        per_page: page.per_page,
    }))
}

#[derive(Serialize)]
struct OneJson {
    #[serde(flatten)]
    ticket: TicketJson,
    timeline: Vec<Step>,
}

async fn api_one(State(st): State<AppState>, caller: Caller, Path(raw): Path<String>) -> Result<Json<OneJson>, ApiError> {
    let me = caller.require(&PERM_TICKETS)?;
    let id = parse_id(&raw)?;
    let t = store::by_id(&st.db, id).await?.filter(|t| workflow::can_see(me, t)).ok_or_else(|| workflow::not_found(id))?;
    let history = audit::history(&st.db, ENTITY, &t.id.to_string(), 200).await?;
    Ok(Json(OneJson { timeline: public_steps(&history), ticket: t.into() }))
}

/// What the API answers a submission: the tracking code to keep.
#[derive(Serialize)]
struct Receipt {
    tracking_code: String,
    state: String,
    state_zh: &'static str,
    due_at: Option<i64>,
}

/// `POST /api/v1/portal/tickets` (JSON `TicketInput`): the mini program's submission.
/// Public like the form; the answer carries the tracking code.
async fn api_submit(State(st): State<AppState>, body: axum::body::Bytes) -> Result<(axum::http::StatusCode, Json<Receipt>), ApiError> {
    let input: TicketInput =
        serde_json::from_slice(&body).map_err(|e| AppError::bad_request("request.json", format!("请求内容不是有效的 JSON（{e}）")))?;
    let cal = st.calendar_now();
    let e = Env { db: &st.db, cal: &cal, pii: &st.pii, now_ms: st.clock.now_ms() };
    let new = workflow::check(e, &st.cfg.county_code, &input, None).await?;
    let t = workflow::create(e, &new, &qingfeng_platform::audit::Actor::System("portal.applicant")).await?;
    Ok((
        axum::http::StatusCode::CREATED,
        Json(Receipt { state_zh: t.state_zh(), tracking_code: t.tracking_code, state: t.state, due_at: t.due_at }),
    ))
}
