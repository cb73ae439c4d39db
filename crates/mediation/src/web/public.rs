//! 群众端 The citizen's side: what the service is, where to apply, and tracking a case
//! with its tracking code and the phone number given on the application. Tracking is
//! throttled like a login; an unknown code and a wrong phone number get the same answer.

use askama::Template;
use axum::Router;
use axum::extract::State;
use axum::response::Response;
use axum::routing::get;
use qingfeng_core::Phone;
use qingfeng_platform::web::{AppState, Ctx, Form, render_with};
use qingfeng_platform::{AppError, session};
use serde::Deserialize;

use crate::store::{self, Case, Notice, Session};

pub fn routes() -> Router<AppState> {
    Router::new().route("/mediation", get(landing)).route("/mediation/track", get(track_page).post(track_submit))
}

#[derive(Template)]
#[template(path = "med_landing.html")]
struct Landing<'a> {
    ctx: &'a Ctx,
    title: &'a str,
}

async fn landing(ctx: Ctx) -> Result<Response, AppError> {
    render_with(&Landing { ctx: &ctx, title: ctx.pick("诉源治理", "Dispute resolution") }, None)
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
struct TrackForm {
    csrf: String,
    tracking_code: String,
    phone: String,
}

/// What a party sees of their case.
struct Tracked {
    case: Case,
    category: String,
    notices: Vec<Notice>,
    sessions: Vec<Session>,
}

#[derive(Template)]
#[template(path = "med_track.html")]
struct TrackPage<'a> {
    ctx: &'a Ctx,
    title: &'a str,
    code: String,
    found: Option<Tracked>,
    error: Option<AppError>,
}

async fn track_page(ctx: Ctx) -> Result<Response, AppError> {
    let page = TrackPage { ctx: &ctx, title: ctx.pick("进度查询", "Track a case"), code: String::new(), found: None, error: None };
    render_with(&page, None)
}

fn no_match() -> AppError {
    AppError::not_found("mediation.track_no_match", "查询码与电话号码不匹配，请核对后重试")
}

async fn lookup(st: &AppState, ctx: &Ctx, f: &TrackForm) -> Result<Tracked, AppError> {
    ctx.check_csrf(&f.csrf)?;
    let code = f.tracking_code.trim().to_uppercase();
    if code.is_empty() {
        return Err(AppError::bad_request("mediation.tracking_code", "请填写查询码"));
    }
    let phone = Phone::parse(&f.phone).map_err(|e| AppError::bad_request("mediation.party_phone", format!("联系电话：{}", e.message)))?;
    let now = st.clock.now_ms();
    let throttle_key = format!("mediation.track:{}", code.chars().take(16).collect::<String>());
    session::check_throttle(&st.db, &st.cfg, &throttle_key, &ctx.ip, now).await.map_err(|e| {
        if e.code == "auth.throttled" {
            AppError::too_many("mediation.track_throttled", format!("查询失败次数过多，请 {} 分钟后再试", st.cfg.login_window_minutes))
        } else {
            e
        }
    })?;
    let hash = st.pii.lookup_hash(phone.as_str());
    let case = match store::case_by_tracking(&st.db, &code).await? {
        Some(c) => store::parties(&st.db, c.id).await?.iter().any(|p| p.phone_hash.as_deref() == Some(hash.as_str())).then_some(c),
        None => None,
    };
    session::record_attempt(&st.db, &throttle_key, &ctx.ip, case.is_some(), now).await?;
    let case = case.ok_or_else(no_match)?;
    Ok(Tracked {
        category: case.category_zh(),
        notices: store::notices_for_case(&st.db, case.id, true).await?,
        sessions: store::sessions(&st.db, case.id).await?,
        case,
    })
}

async fn track_submit(State(st): State<AppState>, ctx: Ctx, Form(f): Form<TrackForm>) -> Result<Response, AppError> {
    let title = ctx.pick("进度查询", "Track a case");
    match lookup(&st, &ctx, &f).await {
        Ok(found) => {
            render_with(&TrackPage { ctx: &ctx, title, code: f.tracking_code.trim().to_uppercase(), found: Some(found), error: None }, None)
        }
        Err(e) if e.status.is_client_error() => {
            let page = TrackPage { ctx: &ctx, title, code: f.tracking_code.trim().to_string(), found: None, error: Some(e) };
            render_with(&page, page.error.as_ref())
        }
        Err(e) => Err(e),
    }
}
