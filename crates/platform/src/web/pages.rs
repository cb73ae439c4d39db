//! Public pages: home and sign-in.

use askama::Template;
use axum::extract::State;
use axum::http::header;
use axum::response::{Html, IntoResponse, Redirect, Response};
use serde::Deserialize;

use super::{AppState, Ctx, Form, Query, SYSTEMS, System, render, render_with, set_cookie};
use crate::auth::Scope;
use crate::error::AppError;
use crate::session::{self, SESSION_COOKIE};

pub struct Tile {
    pub system: &'static System,
    pub live: bool,
}

#[derive(Template)]
#[template(path = "home.html")]
struct HomePage<'a> {
    ctx: &'a Ctx,
    title: &'a str,
    tiles: Vec<Tile>,
    townships: i64,
    villages: i64,
    grids: i64,
    orgs: i64,
}

pub async fn home(State(st): State<AppState>, ctx: Ctx) -> Result<Html<String>, AppError> {
    let county = Scope { division: st.cfg.county_code.clone(), org_id: None, own_org_only: false };
    let (townships, villages, grids, orgs) = crate::registry::counts(&st.db, &county).await?;
    let tiles = SYSTEMS.iter().map(|s| Tile { system: s, live: st.is_live(s.key) }).collect();
    render(&HomePage { ctx: &ctx, title: ctx.t("app.name"), tiles, townships, villages, grids, orgs })
}

#[derive(Template)]
#[template(path = "login.html")]
struct LoginPage<'a> {
    ctx: &'a Ctx,
    title: &'a str,
    username: &'a str,
    error: Option<AppError>,
    next: &'a str,
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct LoginQuery {
    next: String,
}

/// Only local paths may follow a login.
fn safe_next(next: &str) -> &str {
    super::local_path(next).unwrap_or("/console")
}

pub async fn login_form(ctx: Ctx, Query(q): Query<LoginQuery>) -> Result<Response, AppError> {
    if ctx.user().is_some() {
        return Ok(Redirect::to("/console").into_response());
    }
    Ok(render(&LoginPage { ctx: &ctx, title: ctx.t("login.title"), username: "", error: None, next: safe_next(&q.next) })?.into_response())
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct LoginForm {
    username: String,
    password: String,
    csrf: String,
    next: String,
}

pub async fn login_submit(State(st): State<AppState>, ctx: Ctx, Form(f): Form<LoginForm>) -> Result<Response, AppError> {
    let next = safe_next(&f.next).to_string();
    let result = async {
        ctx.check_csrf(&f.csrf)?;
        if f.username.trim().is_empty() || f.password.is_empty() {
            return Err(AppError::bad_request("auth.missing", "请输入用户名和密码"));
        }
        let _permit = tokio::time::timeout(std::time::Duration::from_secs(10), st.login_gate.acquire())
            .await
            .map_err(|_| AppError::unavailable("auth.busy", "登录人数较多，请稍后再试"))?
            .map_err(AppError::internal)?;
        session::login(&st.db, &st.cfg, &f.username, &f.password, &ctx.ip, st.clock.now_ms()).await
    }
    .await;
    match result {
        Ok((token, s)) => {
            let target = if s.user.must_change_password { "/console/password".to_string() } else { next };
            let mut resp = Redirect::to(&target).into_response();
            resp.headers_mut().append(header::SET_COOKIE, set_cookie(&st.cfg, SESSION_COOKIE, &token, None));
            Ok(resp)
        }
        Err(e) => {
            let page = LoginPage { ctx: &ctx, title: ctx.t("login.title"), username: f.username.trim(), error: Some(e), next: &next };
            render_with(&page, page.error.as_ref())
        }
    }
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct CsrfForm {
    pub csrf: String,
}

pub async fn logout(State(st): State<AppState>, ctx: Ctx, Form(f): Form<CsrfForm>) -> Result<Response, AppError> {
    ctx.check_csrf(&f.csrf)?;
    if let Some(token) = &ctx.session_cookie {
        session::logout(&st.db, token, st.clock.now_ms()).await?;
    }
    let mut resp = Redirect::to("/").into_response();
    resp.headers_mut().append(header::SET_COOKIE, set_cookie(&st.cfg, SESSION_COOKIE, "", Some(0)));
    Ok(resp)
}
