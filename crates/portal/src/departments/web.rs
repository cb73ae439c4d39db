//! 部门职责 pages and API: the public list (searchable) and a department's page with its
//! duties, contacts and published guides; the staff form that edits a profile; and
//! `GET /api/v1/portal/departments?q=&page=&per_page=` (public, no token: the profiles
//! are published information).

use askama::Template;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use axum::{Json, Router};
use qingfeng_platform::audit::{self, Change};
use qingfeng_platform::listing::{ListParams, ListQuery, Page};
use qingfeng_platform::users::User;
use qingfeng_platform::web::console::actor_of;
use qingfeng_platform::web::{ApiQuery, AppState, Ctx, Form, Pager, Query, render_with};
use qingfeng_platform::{ApiError, AppError};
use serde::{Deserialize, Serialize};

use super::store::{self, Department};
use super::{Contact, ProfileInput, may_edit, not_your_department};
use crate::PERM_DEPARTMENTS;
use crate::services::store::{self as services_store, Filter, Service};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/portal/departments", get(list))
        .route("/portal/departments/{org_id}", get(one))
        .route("/console/portal/departments", get(console_list))
        .route("/console/portal/departments/{org_id}", get(edit).post(save))
        .route("/api/v1/portal/departments", get(api_list))
}

/// A department id from the path; anything else is "no such department".
pub(crate) fn parse_org_id(raw: &str) -> Result<i64, AppError> {
    raw.trim().parse::<i64>().ok().filter(|n| *n > 0).ok_or_else(|| not_found(raw))
}

pub(crate) fn not_found(raw: &str) -> AppError {
    let shown: String = raw.chars().take(20).collect();
    AppError::not_found("portal.department_not_found", format!("部门 {shown} 不存在"))
}

pub(crate) async fn department(st: &AppState, raw: &str) -> Result<Department, AppError> {
    let id = parse_org_id(raw)?;
    store::one(&st.db, &st.cfg.county_code, id).await?.ok_or_else(|| not_found(raw))
}

/// The published guides of a department (all of them: a department has few).
pub(crate) async fn published_services(st: &AppState, org_id: i64) -> Result<Vec<Service>, AppError> {
    let raw = ListQuery { per_page: Some("200".into()), sort: Some("name".into()), ..Default::default() };
    let params = ListParams::parse(&raw, services_store::SORT, "name")?;
    let f = Filter { org_id: Some(org_id), task_type: None, published_only: true };
    Ok(services_store::list(&st.db, &st.cfg.county_code, &f, &params).await?.items)
}

#[derive(Template)]
#[template(path = "departments_list.html")]
struct ListPage<'a> {
    ctx: &'a Ctx,
    title: &'a str,
    q: String,
    departments: Vec<Department>,
    pager: Pager,
    error: Option<AppError>,
}

async fn list(State(st): State<AppState>, ctx: Ctx, Query(raw): Query<ListQuery>) -> Result<Response, AppError> {
    let mut page = ListPage {
        ctx: &ctx,
        title: ctx.pick("部门职责", "Department duties"),
        q: raw.q.clone().unwrap_or_default().chars().take(200).collect(),
        departments: Vec::new(),
        pager: Pager::default(),
        error: None,
    };
    match ListParams::parse(&raw, store::SORT, "profile") {
        Ok(params) => {
            let found = store::list(&st.db, &st.cfg.county_code, &params).await?;
            page.q = params.q.clone().unwrap_or_default();
            page.pager = Pager::new(&found, "/portal/departments", &[("q", &page.q)]);
            page.departments = found.items;
        }
        Err(e) => page.error = Some(e),
    }
    render_with(&page, page.error.as_ref())
}

#[derive(Template)]
#[template(path = "departments_one.html")]
struct OnePage<'a> {
    ctx: &'a Ctx,
    title: &'a str,
    d: Department,
    contacts: Vec<Contact>,
    services: Vec<Service>,
    can_edit: bool,
}

async fn one(State(st): State<AppState>, ctx: Ctx, Path(raw): Path<String>) -> Result<Response, AppError> {
    let d = department(&st, &raw).await?;
    let services = published_services(&st, d.org_id).await?;
    let can_edit = ctx.user().is_some_and(|u| u.can(&PERM_DEPARTMENTS) && may_edit(u, d.org_id, &d.county_code));
    let title = d.name.clone();
    render_with(&OnePage { ctx: &ctx, title: &title, contacts: d.contact_list(), d, services, can_edit }, None)
}

#[derive(Template)]
#[template(path = "departments_console_list.html")]
struct ConsoleList<'a> {
    ctx: &'a Ctx,
    title: &'a str,
    departments: Vec<Department>,
}

/// The departments `user` may edit.
pub(crate) async fn editable(st: &AppState, user: &User) -> Result<Vec<Department>, AppError> {
    Ok(store::all(&st.db, &st.cfg.county_code).await?.into_iter().filter(|d| may_edit(user, d.org_id, &d.county_code)).collect())
}

async fn console_list(State(st): State<AppState>, ctx: Ctx) -> Result<Response, AppError> {
    let me = ctx.require(&PERM_DEPARTMENTS)?;
    let departments = editable(&st, me).await?;
    render_with(&ConsoleList { ctx: &ctx, title: ctx.pick("部门职责维护", "Department profiles"), departments }, None)
}

#[derive(Template)]
#[template(path = "departments_console_edit.html")]
struct EditPage<'a> {
    ctx: &'a Ctx,
    title: &'a str,
    d: Department,
    input: ProfileInput,
    error: Option<AppError>,
}

async fn edit_page(ctx: &Ctx, d: Department, input: Option<ProfileInput>, error: Option<AppError>) -> Result<Response, AppError> {
    let input = input.unwrap_or_else(|| ProfileInput {
        duties: d.duties.clone(),
        address: d.address.clone(),
        office_hours: d.office_hours.clone(),
        phone: d.phone.clone(),
        contacts: d.contacts_input(),
    });
    let page = EditPage { ctx, title: ctx.pick("编辑部门职责", "Edit department profile"), d, input, error };
    render_with(&page, page.error.as_ref())
}

async fn editable_department(st: &AppState, ctx: &Ctx, raw: &str) -> Result<(Department, User), AppError> {
    let me = ctx.require(&PERM_DEPARTMENTS)?.clone();
    let d = department(st, raw).await?;
    if !may_edit(&me, d.org_id, &d.county_code) {
        return Err(not_your_department());
    }
    Ok((d, me))
}

async fn edit(State(st): State<AppState>, ctx: Ctx, Path(raw): Path<String>) -> Result<Response, AppError> {
    let (d, _) = editable_department(&st, &ctx, &raw).await?;
    edit_page(&ctx, d, None, None).await
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
struct ProfileForm {
    csrf: String,
    duties: String,
    address: String,
    office_hours: String,
    phone: String,
    contacts: String,
}

async fn save(State(st): State<AppState>, ctx: Ctx, Path(raw): Path<String>, Form(f): Form<ProfileForm>) -> Result<Response, AppError> {
    ctx.check_csrf(&f.csrf)?;
    let (d, me) = editable_department(&st, &ctx, &raw).await?;
    let input = ProfileInput { duties: f.duties, address: f.address, office_hours: f.office_hours, phone: f.phone, contacts: f.contacts };
    let profile = match input.check() {
        Ok(p) => p,
        Err(e) => return edit_page(&ctx, d, Some(input), Some(e)).await,
    };
    let now = st.clock.now_ms();
    let mut tx = st.db.begin().await?;
    // A profile edited by a person is no longer demo text.
    store::save(&mut tx, &d.county_code, d.org_id, &profile, false, &me.username, now).await?;
    audit::append(
        &mut tx,
        now,
        &Change {
            county_code: &d.county_code,
            actor: &actor_of(&me),
            action: "portal.department_profile",
            entity: "portal_department",
            entity_id: &d.org_id.to_string(),
            detail: serde_json::to_value(&profile).unwrap_or_default(),
        },
    )
    .await?;
    tx.commit().await?;
    if let Some(saved) = store::one(&st.db, &d.county_code, d.org_id).await?
        && let Err(e) = super::index::sync(&st.search, &saved)
    {
        tracing::warn!(code = e.code, "department profile saved but not indexed: {}", e.message);
    }
    Ok(Redirect::to(&format!("/console/portal/departments/{}?saved=1", d.org_id)).into_response())
}

/// A department in the API: the profile with its office lines and page.
#[derive(Serialize)]
pub struct DepartmentJson {
    #[serde(flatten)]
    pub department: Department,
    pub contacts: Vec<Contact>,
    pub has_profile: bool,
    pub href: String,
}

impl From<Department> for DepartmentJson {
    fn from(d: Department) -> Self {
        DepartmentJson {
            contacts: d.contact_list(),
            has_profile: d.has_profile(),
            href: format!("/portal/departments/{}", d.org_id),
            department: d,
        }
    }
}

async fn api_list(State(st): State<AppState>, ApiQuery(raw): ApiQuery<ListQuery>) -> Result<Json<Page<DepartmentJson>>, ApiError> {
    let params = ListParams::parse(&raw, store::SORT, "profile")?;
    let p = store::list(&st.db, &st.cfg.county_code, &params).await?;
    Ok(Json(Page { items: p.items.into_iter().map(DepartmentJson::from).collect(), total: p.total, page: p.page, per_page: p.per_page }))
}
