//! 案件办理 The case list, the case page with the actions open to the person looking at
//! it (assign, accept, sessions, agreement, confirmation, referral, follow-up), the
//! printable agreement, and the tribunal's console.

use askama::Template;
use axum::Router;
use axum::extract::Multipart;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use qingfeng_platform::attachments::{self, Attachment, NewAttachment};
use qingfeng_platform::auth::Role;
use qingfeng_platform::listing::{ListParams, ListQuery, Page};
use qingfeng_platform::users::User;
use qingfeng_platform::web::{AppState, Ctx, Form, Pager, Query, render_with};
use qingfeng_platform::{AppError, audit};
use serde::Deserialize;

use super::{calendar, categories, env, parse_id, places};
use crate::model::{self, MACHINE};
use crate::store::{self, Case, CaseFilter, Notice, Party, Session};
use crate::workflow::{self, ActionInput};
use crate::{PERM_CASES, PERM_FIGURES};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/console/mediation/cases", get(list_page))
        .route("/console/mediation/cases/{id}", get(case_page))
        .route("/console/mediation/cases/{id}/act", post(act))
        .route("/console/mediation/cases/{id}/sessions", post(session))
        .route("/console/mediation/cases/{id}/sessions/{sid}/minutes", post(minutes))
        .route("/console/mediation/cases/{id}/followup", post(followup))
        .route("/console/mediation/cases/{id}/agreement", get(agreement))
        .route("/console/mediation/court", get(court_page))
        .route("/console/mediation/cases/{id}/attachments", post(attach))
        .route("/console/mediation/attachments/{id}", get(attachment))
}

/// The list's query string.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct CasesQuery {
    pub page: Option<String>,
    pub per_page: Option<String>,
    pub q: Option<String>,
    pub sort: Option<String>,
    pub state: String,
    pub category: String,
    pub township: String,
    pub stage: String,
    pub mine: String,
}

impl CasesQuery {
    pub fn params(&self) -> Result<ListParams, AppError> {
        let raw = ListQuery { page: self.page.clone(), per_page: self.per_page.clone(), q: self.q.clone(), sort: self.sort.clone() };
        ListParams::parse(&raw, store::CASE_SORT, "-id")
    }

    pub fn filter(&self, now_ms: i64) -> Result<CaseFilter, AppError> {
        let some = |s: &str| Some(s.trim().to_string()).filter(|s| !s.is_empty());
        let state = some(&self.state);
        if let Some(s) = &state
            && MACHINE.state(s).is_none()
        {
            return Err(AppError::bad_request("mediation.state", format!("未知状态“{s}”")));
        }
        let stage = some(&self.stage);
        if let Some(s) = &stage
            && !matches!(s.as_str(), "open" | "overdue" | "closed")
        {
            return Err(AppError::bad_request("mediation.stage", "办理阶段须为 open、overdue 或 closed"));
        }
        Ok(CaseFilter { state, category: some(&self.category), township: some(&self.township), stage, mine: self.mine == "1", now_ms })
    }
}

#[derive(Template)]
#[template(path = "med_cases.html")]
struct ListPage<'a> {
    ctx: &'a Ctx,
    title: &'a str,
    page: Page<Case>,
    pager: Pager,
    query: CasesQuery,
    q: String,
    states: Vec<(&'static str, &'static str)>,
    categories: Vec<(String, String)>,
    towns: Vec<(String, String)>,
    now_ms: i64,
    notices: Vec<Notice>,
    error: Option<AppError>,
}

impl ListPage<'_> {
    fn status_of(&self, c: &Case) -> &'static str {
        match c.due_status(self.now_ms, 48 * 3_600_000) {
            Some(qingfeng_core::DeadlineStatus::Overdue) => "overdue",
            Some(qingfeng_core::DeadlineStatus::DueSoon) => "soon",
            _ => "",
        }
    }
}

async fn list_page(State(st): State<AppState>, ctx: Ctx, Query(q): Query<CasesQuery>) -> Result<Response, AppError> {
    let me = ctx.require(&PERM_CASES)?;
    let now = st.clock.now_ms();
    let towns = places(&st.db, &st.cfg.county_code).await?.into_iter().map(|t| (t.code, t.name)).collect();
    let notices = store::notices_for_user(&st.db, me.id, 5).await?;
    let states = model::STATES.iter().map(|s| (s.key, s.zh)).collect();
    let (page, error) = match q.params().and_then(|p| q.filter(now).map(|f| (p, f))) {
        Ok((params, filter)) => (store::list_cases(&st.db, me, &filter, &params).await?, None),
        Err(e) => (Page { items: Vec::new(), total: 0, page: 1, per_page: 20 }, Some(e)),
    };
    let extra: Vec<(&str, &str)> = [
        ("q", q.q.as_deref().unwrap_or("")),
        ("state", q.state.as_str()),
        ("category", q.category.as_str()),
        ("township", q.township.as_str()),
        ("stage", q.stage.as_str()),
        ("mine", q.mine.as_str()),
    ]
    .into_iter()
    .filter(|(_, v)| !v.is_empty())
    .collect();
    let pager = Pager::new(&page, "/console/mediation/cases", &extra);
    let view = ListPage {
        ctx: &ctx,
        title: ctx.pick("调解案件", "Mediation cases"),
        pager,
        page,
        q: q.q.clone().unwrap_or_default(),
        query: q,
        states,
        categories: categories(),
        towns,
        now_ms: now,
        notices,
        error,
    };
    render_with(&view, view.error.as_ref())
}

/// An action the person looking at the case may take.
#[derive(Debug, Clone)]
pub struct ActionView {
    pub event: &'static str,
    pub zh: &'static str,
    /// What the form asks for: `mediator`, `reason`, `days`, `agreement`, `court_case_no` or nothing.
    pub needs: &'static str,
}

fn needs(event: &str) -> &'static str {
    match event {
        "assign" => "mediator",
        "extend" => "days",
        "succeed" => "agreement",
        "file" => "court_case_no",
        "refuse" | "recuse" | "fail" | "withdraw" | "not_accept" | "dismiss" | "reject_confirmation" | "breach" => "reason",
        _ => "",
    }
}

/// The actions open to `user` on `case`: the machine's transitions from its state that
/// the user's roles allow, less those reserved to the assignee or the case's tribunal,
/// and less those the system takes by itself (routing, expiry, escalation by timer).
pub fn actions_for(user: &User, case: &Case) -> Vec<ActionView> {
    let roles = user.role_list();
    let admin = user.has_role(Role::SystemAdmin) || user.has_role(Role::CountyAdmin);
    MACHINE
        .events_from(&case.state)
        .filter(|t| !matches!(t.event, "route" | "expire"))
        .filter(|t| t.roles.is_empty() || roles.iter().any(|r| t.roles.contains(r)))
        .filter(|t| !matches!(t.event, "accept" | "refuse" | "recuse") || case.mediator_user_id == Some(user.id) || admin)
        .filter(|t| t.roles != [Role::TribunalJudge] || (case.tribunal_org_id.is_some() && user.org_id == case.tribunal_org_id))
        .filter(|t| t.event != "escalate" || (case.level != "county" && admin))
        .map(|t| ActionView { event: t.event, zh: t.zh, needs: needs(t.event) })
        .collect()
}

#[derive(Template)]
#[template(path = "med_case.html")]
struct CasePage<'a> {
    ctx: &'a Ctx,
    title: &'a str,
    case: Case,
    category: String,
    village: String,
    mediator: String,
    parties: Vec<Party>,
    sessions: Vec<Session>,
    notices: Vec<Notice>,
    history: Vec<audit::Entry>,
    attachments: Vec<Attachment>,
    actions: Vec<ActionView>,
    candidates: Vec<store::Candidate>,
    due_status: String,
    can_followup: bool,
    error: Option<AppError>,
}

impl CasePage<'_> {
    fn entry_zh(&self, e: &audit::Entry) -> String {
        let detail: serde_json::Value = serde_json::from_str(&e.detail).unwrap_or_default();
        match detail.get("event").and_then(|v| v.as_str()) {
            Some(ev) => {
                let zh = MACHINE.transitions.iter().find(|t| t.event == ev).map(|t| t.zh).unwrap_or(ev);
                let to = detail.get("to").and_then(|v| v.as_str()).map(model::state_zh).unwrap_or("");
                format!("{zh} → {to}")
            }
            None => match e.action.as_str() {
                "mediation_case.created" => "登记".into(),
                "mediation_case.session_held" => "记录调解笔录".into(),
                "mediation_case.session_scheduled" => "安排调解".into(),
                "mediation_case.followup" => "回访".into(),
                other => other.to_string(),
            },
        }
    }
    fn entry_when(&self, e: &audit::Entry) -> String {
        qingfeng_platform::clock::local_display(e.at)
    }
}

async fn case_view(st: &AppState, ctx: &Ctx, id: i64, error: Option<AppError>) -> Result<Response, AppError> {
    let me = ctx.require(&PERM_CASES)?;
    let case = store::visible_case(&st.db, me, id).await?;
    let village = qingfeng_platform::registry::division(&st.db, &case.village_code).await?.map(|d| d.name).unwrap_or_default();
    let mediator = match case.mediator_user_id {
        Some(uid) => qingfeng_platform::users::by_id(&st.db, uid).await?.map(|u| u.display_name).unwrap_or_default(),
        None => String::new(),
    };
    let actions = actions_for(me, &case);
    let candidates = if actions.iter().any(|a| a.event == "assign") { store::candidates(&st.db, &case).await? } else { Vec::new() };
    let due_status = case.due_status(st.clock.now_ms(), 48 * 3_600_000).map(|s| s.zh_name().to_string()).unwrap_or_default();
    let page = CasePage {
        ctx,
        title: ctx.pick("案件详情", "Case"),
        category: case.category_zh(),
        village,
        mediator,
        parties: store::parties(&st.db, id).await?,
        sessions: store::sessions(&st.db, id).await?,
        notices: store::notices_for_case(&st.db, id, false).await?,
        history: audit::history(&st.db, MACHINE.entity, &id.to_string(), 100).await?,
        attachments: attachments::list_for_owner(&st.db, MACHINE.entity, id).await?,
        actions,
        candidates,
        due_status,
        can_followup: case.outcome.is_some() && case.followup_at.is_none(),
        case,
        error,
    };
    render_with(&page, page.error.as_ref())
}

async fn case_page(State(st): State<AppState>, ctx: Ctx, Path(id): Path<String>) -> Result<Response, AppError> {
    case_view(&st, &ctx, parse_id(&id)?, None).await
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
struct ActForm {
    csrf: String,
    #[serde(flatten)]
    input: ActionInput,
}

async fn act(State(st): State<AppState>, ctx: Ctx, Path(id): Path<String>, Form(f): Form<ActForm>) -> Result<Response, AppError> {
    let me = ctx.require(&PERM_CASES)?;
    ctx.check_csrf(&f.csrf)?;
    let id = parse_id(&id)?;
    let cal = calendar(&st);
    match workflow::act(env(&st, &cal), me, id, &f.input).await {
        Ok(_) => Ok(Redirect::to(&format!("/console/mediation/cases/{id}")).into_response()),
        Err(e) if e.status.is_client_error() && e.status != axum::http::StatusCode::NOT_FOUND => case_view(&st, &ctx, id, Some(e)).await,
        Err(e) => Err(e),
    }
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
struct SessionForm {
    csrf: String,
    when: String,
    place: String,
    minutes: String,
}

async fn session(State(st): State<AppState>, ctx: Ctx, Path(id): Path<String>, Form(f): Form<SessionForm>) -> Result<Response, AppError> {
    let me = ctx.require(&PERM_CASES)?;
    ctx.check_csrf(&f.csrf)?;
    let id = parse_id(&id)?;
    let cal = calendar(&st);
    match workflow::record_session(env(&st, &cal), me, id, &f.when, &f.place, &f.minutes).await {
        Ok(()) => Ok(Redirect::to(&format!("/console/mediation/cases/{id}")).into_response()),
        Err(e) if e.status.is_client_error() && e.status != axum::http::StatusCode::NOT_FOUND => case_view(&st, &ctx, id, Some(e)).await,
        Err(e) => Err(e),
    }
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
struct MinutesForm {
    csrf: String,
    minutes: String,
}

async fn minutes(
    State(st): State<AppState>,
    ctx: Ctx,
    Path((id, sid)): Path<(String, String)>,
    Form(f): Form<MinutesForm>,
) -> Result<Response, AppError> {
    let me = ctx.require(&PERM_CASES)?;
    ctx.check_csrf(&f.csrf)?;
    let id = parse_id(&id)?;
    let sid = parse_id(&sid)?;
    let cal = calendar(&st);
    match workflow::record_minutes(env(&st, &cal), me, id, sid, &f.minutes).await {
        Ok(()) => Ok(Redirect::to(&format!("/console/mediation/cases/{id}#case-sessions")).into_response()),
        Err(e) if e.status.is_client_error() && e.status != axum::http::StatusCode::NOT_FOUND => case_view(&st, &ctx, id, Some(e)).await,
        Err(e) => Err(e),
    }
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
struct FollowupForm {
    csrf: String,
    satisfaction: String,
    note: String,
}

async fn followup(State(st): State<AppState>, ctx: Ctx, Path(id): Path<String>, Form(f): Form<FollowupForm>) -> Result<Response, AppError> {
    let me = ctx.require(&PERM_CASES)?;
    ctx.check_csrf(&f.csrf)?;
    let id = parse_id(&id)?;
    let cal = calendar(&st);
    match workflow::followup(env(&st, &cal), me, id, &f.satisfaction, &f.note).await {
        Ok(()) => Ok(Redirect::to(&format!("/console/mediation/cases/{id}")).into_response()),
        Err(e) if e.status.is_client_error() && e.status != axum::http::StatusCode::NOT_FOUND => case_view(&st, &ctx, id, Some(e)).await,
        Err(e) => Err(e),
    }
}

#[derive(Template)]
#[template(path = "med_agreement.html")]
struct AgreementPage<'a> {
    ctx: &'a Ctx,
    title: &'a str,
    case: Case,
    category: String,
    parties: Vec<Party>,
    agreed_on: String,
}

/// 调解协议书 The agreement document generated from the case, printable on A4.
async fn agreement(State(st): State<AppState>, ctx: Ctx, Path(id): Path<String>) -> Result<Response, AppError> {
    let me = ctx.require(&PERM_CASES)?;
    let case = store::visible_case(&st.db, me, parse_id(&id)?).await?;
    let Some(at) = case.agreement_at else {
        return Err(AppError::conflict("mediation.no_agreement", "本案尚未达成调解协议"));
    };
    let agreed_on =
        qingfeng_platform::clock::from_ms(at).with_timezone(&qingfeng_core::CHINA_STANDARD_TIME).format("%Y年%m月%d日").to_string();
    let page = AgreementPage {
        ctx: &ctx,
        title: ctx.pick("人民调解协议书", "Mediation agreement"),
        category: case.category_zh(),
        parties: store::parties(&st.db, case.id).await?,
        case,
        agreed_on,
    };
    render_with(&page, None)
}

#[derive(Template)]
#[template(path = "med_court.html")]
struct CourtPage<'a> {
    ctx: &'a Ctx,
    title: &'a str,
    groups: Vec<(&'static str, Vec<Case>)>,
    can_figures: bool,
}

/// 法庭工作台 The tribunal's console: confirmation requests to accept and decide, paper
/// requests, referrals awaiting filing, and recent decisions.
async fn court_page(State(st): State<AppState>, ctx: Ctx) -> Result<Response, AppError> {
    let me = ctx.require(&crate::PERM_COURT)?;
    let now = st.clock.now_ms();
    let params = ListParams::parse(&ListQuery { per_page: Some("50".into()), ..Default::default() }, store::CASE_SORT, "due")?;
    let mut groups = Vec::new();
    for (state, zh) in [
        ("confirmation_requested", "司法确认申请（待受理，3日内）"),
        ("confirmation_accepted", "司法确认审查中（15日内决定）"),
        ("paper_requested", "待出具诉前调解书"),
        ("referred", "移送立案（待登记立案）"),
        ("confirmed", "已裁定确认有效"),
    ] {
        let f = CaseFilter { state: Some(state.to_string()), now_ms: now, ..Default::default() };
        groups.push((zh, store::list_cases(&st.db, me, &f, &params).await?.items));
    }
    let page = CourtPage { ctx: &ctx, title: ctx.pick("法庭工作台", "Tribunal console"), groups, can_figures: me.can(&PERM_FIGURES) };
    render_with(&page, None)
}

/// 附件 Add evidence (photos, documents) to a case the person can see.
async fn attach(State(st): State<AppState>, ctx: Ctx, Path(id): Path<String>, mp: Multipart) -> Result<Response, AppError> {
    let me = ctx.require(&PERM_CASES)?;
    let id = parse_id(&id)?;
    let result = async {
        let up = qingfeng_platform::web::upload::read(mp).await?;
        ctx.check_csrf(up.field("csrf"))?;
        let case = store::visible_case(&st.db, me, id).await?;
        if up.bytes.is_empty() {
            return Err(AppError::bad_request("mediation.file_empty", "请选择要上传的文件"));
        }
        let actor = qingfeng_platform::web::console::actor_of(me);
        let new = NewAttachment {
            county_code: &case.county_code,
            owner_kind: MACHINE.entity,
            owner_id: case.id,
            filename: &up.file_name,
            declared_mime: &up.content_type,
            bytes: &up.bytes,
            actor: &actor,
        };
        st.attachments().store(&st.db, st.clock.now_ms(), &new).await
    }
    .await;
    match result {
        Ok(_) => Ok(Redirect::to(&format!("/console/mediation/cases/{id}#case-files")).into_response()),
        Err(e) if e.status.is_client_error() && e.status != axum::http::StatusCode::NOT_FOUND => case_view(&st, &ctx, id, Some(e)).await,
        Err(e) => Err(e),
    }
}

/// An attachment of a case, for those who may see the case.
async fn attachment(State(st): State<AppState>, ctx: Ctx, Path(id): Path<String>) -> Result<Response, AppError> {
    let me = ctx.require(&PERM_CASES)?;
    let aid = parse_id(&id)?;
    let not_found = || AppError::not_found("attachment.not_found", "附件不存在");
    let a = attachments::get(&st.db, aid).await?.ok_or_else(not_found)?;
    if a.owner_kind != MACHINE.entity || store::visible_case(&st.db, me, a.owner_id).await.is_err() {
        return Err(not_found());
    }
    let (a, bytes) = st.attachments().open(&st.db, aid, |_| true).await?;
    let disposition = format!("attachment; filename*=UTF-8''{}", qingfeng_platform::web::urlencode(&a.filename));
    Ok(([(axum::http::header::CONTENT_TYPE, a.mime.clone()), (axum::http::header::CONTENT_DISPOSITION, disposition)], bytes)
        .into_response())
}
