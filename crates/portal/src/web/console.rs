//! 营商政策维护 The staff side of the policy library: the policies with their status, and
//! a form to record the in-force status confirmed against the authoritative text
//! (国家法律法规数据库 or the issuing authority), with its basis. Each change goes to the
//! audit chain.

use askama::Template;
use axum::Router;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use qingfeng_platform::AppError;
use qingfeng_platform::audit::{self, Change};
use qingfeng_platform::web::{AppState, Ctx, Form, render_with};
use serde::Deserialize;

use super::{parse_policy_id, policy_not_found};
use crate::PERM_POLICIES;
use crate::model::Status;
use crate::store::{self, Policy};

/// Longest basis accepted, in characters.
const MAX_BASIS_CHARS: usize = 200;

pub fn routes() -> Router<AppState> {
    Router::new().route("/console/portal/policies", get(list)).route("/console/portal/policies/{id}", get(edit).post(save))
}

#[derive(Template)]
#[template(path = "portal_console_policies.html")]
struct ListPage<'a> {
    ctx: &'a Ctx,
    title: &'a str,
    policies: Vec<Policy>,
}

async fn list(State(st): State<AppState>, ctx: Ctx) -> Result<Response, AppError> {
    ctx.require(&PERM_POLICIES)?;
    let policies = store::list(&st.db, None).await?;
    render_with(&ListPage { ctx: &ctx, title: ctx.pick("营商政策维护", "Policy library"), policies }, None)
}

#[derive(Template)]
#[template(path = "portal_console_policy.html")]
struct EditPage<'a> {
    ctx: &'a Ctx,
    title: &'a str,
    policy: Policy,
    statuses: [Status; 3],
    /// The values to show in the form (what was sent, after an error).
    status: Status,
    basis: String,
    error: Option<AppError>,
}

impl EditPage<'_> {
    fn is_status(&self, s: &Status) -> bool {
        self.status == *s
    }
}

async fn edit_page(
    st: &AppState,
    ctx: &Ctx,
    id: i64,
    form: Option<(Status, String)>,
    error: Option<AppError>,
) -> Result<Response, AppError> {
    let policy = store::policy(&st.db, id).await?.ok_or_else(|| policy_not_found(&id.to_string()))?;
    let (status, basis) = form.unwrap_or_else(|| (policy.status(), policy.status_basis.clone()));
    let page = EditPage {
        ctx,
        title: ctx.pick("核实效力状态", "Confirm status"),
        policy,
        statuses: [Status::InForce, Status::Repealed, Status::Unknown],
        status,
        basis,
        error,
    };
    render_with(&page, page.error.as_ref())
}

async fn edit(State(st): State<AppState>, ctx: Ctx, Path(raw): Path<String>) -> Result<Response, AppError> {
    ctx.require(&PERM_POLICIES)?;
    edit_page(&st, &ctx, parse_policy_id(&raw)?, None, None).await
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
struct StatusForm {
    csrf: String,
    status: String,
    basis: String,
}

async fn save(State(st): State<AppState>, ctx: Ctx, Path(raw): Path<String>, Form(f): Form<StatusForm>) -> Result<Response, AppError> {
    let me = ctx.require(&PERM_POLICIES)?;
    ctx.check_csrf(&f.csrf)?;
    let id = parse_policy_id(&raw)?;
    let status = match f.status.as_str() {
        "in_force" => Status::InForce,
        "repealed" => Status::Repealed,
        "unknown" => Status::Unknown,
        _ => return edit_page(&st, &ctx, id, None, Some(AppError::bad_request("portal.status", "请选择效力状态"))).await,
    };
    let basis = f.basis.split_whitespace().collect::<Vec<_>>().join(" ");
    let problem = if status != Status::Unknown && basis.is_empty() {
        Some(AppError::bad_request("portal.status_basis", "请填写核实依据（如：国家法律法规数据库，2026年11月30日查询）"))
    } else if basis.chars().count() > MAX_BASIS_CHARS {
        Some(AppError::bad_request("portal.status_basis", format!("核实依据不能超过 {MAX_BASIS_CHARS} 个字")))
    } else {
        None
    };
    if let Some(e) = problem {
        return edit_page(&st, &ctx, id, Some((status, f.basis.clone())), Some(e)).await;
    }
    let now = st.clock.now_ms();
    let mut tx = st.db.begin().await?;
    if !store::set_status(&mut tx, id, status, &basis, &me.username, now).await? {
        return Err(policy_not_found(&raw));
    }
    audit::append(
        &mut tx,
        now,
        &Change {
            county_code: &me.county_code,
            actor: &qingfeng_platform::web::console::actor_of(me),
            action: "portal.policy_status",
            entity: "portal_policy",
            entity_id: &id.to_string(),
            detail: serde_json::json!({"status": status.key(), "basis": basis}),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(Redirect::to(&format!("/console/portal/policies/{id}?saved=1")).into_response())
}
