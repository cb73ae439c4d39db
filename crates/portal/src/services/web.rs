//! 公共服务 pages and API: the public list of published guides (filter by department and
//! type, search, pages), a guide's page with the 「评价 好差评」 link to the rating
//! module (`/portal/ratings/new?service={id}`); the staff console at
//! `/console/portal/services` (new, edit, publish, withdraw); and the public JSON API
//! `GET /api/v1/portal/services?dept=&type=&q=&page=&per_page=` and
//! `GET /api/v1/portal/services/{id}` (published guides only, no token).

use askama::Template;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use qingfeng_platform::audit::{self, Change};
use qingfeng_platform::auth::Role;
use qingfeng_platform::listing::{ListParams, ListQuery, Page};
use qingfeng_platform::state::Firing;
use qingfeng_platform::users::User;
use qingfeng_platform::web::console::actor_of;
use qingfeng_platform::web::{ApiQuery, AppState, Ctx, Form, Pager, Query, render_with};
use qingfeng_platform::{ApiError, AppError};
use serde::{Deserialize, Serialize};

use super::store::{self, Filter, Service};
use super::{FORMS, GuideInput, HandlingKind, MACHINE, Material, PUBLISHED, RESULT_KINDS, TASK_TYPES, task_type_zh};
use crate::PERM_SERVICES;
use crate::departments::store::{self as dept_store, Department};
use crate::departments::web::editable;
use crate::departments::{may_edit, not_your_department};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/portal/services", get(list))
        .route("/portal/services/{id}", get(one))
        .route("/console/portal/services", get(console_list))
        .route("/console/portal/services/new", get(new_form).post(create))
        .route("/console/portal/services/{id}", get(edit).post(save))
        .route("/console/portal/services/{id}/{event}", post(fire))
        .route("/api/v1/portal/services", get(api_list))
        .route("/api/v1/portal/services/{id}", get(api_one))
}

fn not_found(raw: &str) -> AppError {
    let shown: String = raw.chars().take(20).collect();
    AppError::not_found("portal.service_not_found", format!("办事指南 {shown} 不存在或未发布"))
}

fn parse_id(raw: &str) -> Result<i64, AppError> {
    raw.trim().parse::<i64>().ok().filter(|n| *n > 0).ok_or_else(|| not_found(raw))
}

/// The query string of a guide list, as typed.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct ServiceQuery {
    pub q: String,
    pub page: String,
    pub per_page: String,
    /// 实施主体: a department's organisation id.
    pub dept: String,
    /// 事项类型: a `taskType` code.
    #[serde(rename = "type")]
    pub task_type: String,
}

impl ServiceQuery {
    /// Check the query: list parameters, the department id, the type code.
    pub fn check(&self) -> Result<(ListParams, Filter), AppError> {
        let some = |s: &str| Some(s.to_string()).filter(|s| !s.trim().is_empty());
        let raw = ListQuery { page: some(&self.page), per_page: some(&self.per_page), q: some(&self.q), sort: None };
        let params = ListParams::parse(&raw, store::SORT, "id")?;
        let org_id = match self.dept.trim() {
            "" | "all" => None,
            d => Some(d.parse::<i64>().ok().filter(|n| *n > 0).ok_or_else(|| {
                AppError::bad_request(
                    "portal.service_filter_dept",
                    format!("部门应为部门编号（正整数），收到“{}”", d.chars().take(20).collect::<String>()),
                )
            })?),
        };
        let task_type = match self.task_type.trim() {
            "" | "all" => None,
            t if !task_type_zh(t).is_empty() => Some(t.to_string()),
            t => {
                let codes: Vec<String> = TASK_TYPES.iter().map(|(c, n)| format!("{c} {n}")).collect();
                return Err(AppError::bad_request(
                    "portal.service_filter_type",
                    format!("事项类型“{}”不存在，可选：{}", t.chars().take(20).collect::<String>(), codes.join("、")),
                ));
            }
        };
        Ok((params, Filter { org_id, task_type, published_only: true }))
    }
}

#[derive(Template)]
#[template(path = "services_list.html")]
struct ListPage<'a> {
    ctx: &'a Ctx,
    title: &'a str,
    q: String,
    dept: Option<i64>,
    task_type: String,
    departments: Vec<Department>,
    types: &'static [(&'static str, &'static str)],
    services: Vec<Service>,
    pager: Pager,
    error: Option<AppError>,
}

impl ListPage<'_> {
    fn is_dept(&self, id: &i64) -> bool {
        self.dept == Some(*id)
    }
    fn is_type(&self, code: &str) -> bool {
        self.task_type == code
    }
}

async fn list(State(st): State<AppState>, ctx: Ctx, Query(raw): Query<ServiceQuery>) -> Result<Response, AppError> {
    let county = &st.cfg.county_code;
    let mut page = ListPage {
        ctx: &ctx,
        title: ctx.pick("公共服务", "Public services"),
        q: raw.q.chars().take(200).collect(),
        dept: None,
        task_type: String::new(),
        departments: dept_store::all(&st.db, county).await?,
        types: TASK_TYPES,
        services: Vec::new(),
        pager: Pager::default(),
        error: None,
    };
    match raw.check() {
        Ok((params, f)) => {
            let found = store::list(&st.db, county, &f, &params).await?;
            page.q = params.q.clone().unwrap_or_default();
            page.dept = f.org_id;
            page.task_type = f.task_type.clone().unwrap_or_default();
            let dept = f.org_id.map(|d| d.to_string()).unwrap_or_default();
            page.pager = Pager::new(&found, "/portal/services", &[("q", &page.q), ("dept", &dept), ("type", &page.task_type)]);
            page.services = found.items;
        }
        Err(e) => page.error = Some(e),
    }
    render_with(&page, page.error.as_ref())
}

#[derive(Template)]
#[template(path = "services_one.html")]
struct OnePage<'a> {
    ctx: &'a Ctx,
    title: &'a str,
    s: Service,
    materials: Vec<Material>,
    can_edit: bool,
}

async fn published(st: &AppState, raw: &str) -> Result<Service, AppError> {
    let id = parse_id(raw)?;
    store::one(&st.db, &st.cfg.county_code, id).await?.filter(Service::is_published).ok_or_else(|| not_found(raw))
}

async fn one(State(st): State<AppState>, ctx: Ctx, Path(raw): Path<String>) -> Result<Response, AppError> {
    let s = published(&st, &raw).await?;
    let materials = store::materials(&st.db, s.id).await?;
    let can_edit = ctx.user().is_some_and(|u| u.can(&PERM_SERVICES) && may_edit(u, s.org_id, &s.county_code));
    let title = s.name.clone();
    render_with(&OnePage { ctx: &ctx, title: &title, s, materials, can_edit }, None)
}

// ---- staff ----

fn is_admin(u: &User) -> bool {
    u.has_role(Role::SystemAdmin) || u.has_role(Role::CountyAdmin)
}

#[derive(Template)]
#[template(path = "services_console_list.html")]
struct ConsoleList<'a> {
    ctx: &'a Ctx,
    title: &'a str,
    services: Vec<Service>,
    pager: Pager,
    can_create: bool,
}

async fn console_list(State(st): State<AppState>, ctx: Ctx, Query(raw): Query<ListQuery>) -> Result<Response, AppError> {
    let me = ctx.require(&PERM_SERVICES)?;
    let params = ListParams::parse(&raw, store::SORT, "-updated")?;
    let mine = editable(&st, me).await?;
    let (services, pager) = if is_admin(me) || mine.len() == 1 {
        let f = Filter { org_id: if is_admin(me) { None } else { mine.first().map(|d| d.org_id) }, task_type: None, published_only: false };
        let found = store::list(&st.db, &st.cfg.county_code, &f, &params).await?;
        let pager = Pager::new(&found, "/console/portal/services", &[("q", params.q.as_deref().unwrap_or_default())]);
        (found.items, pager)
    } else {
        (Vec::new(), Pager::default())
    };
    render_with(
        &ConsoleList { ctx: &ctx, title: ctx.pick("办事指南维护", "Service guides"), services, pager, can_create: !mine.is_empty() },
        None,
    )
}

#[derive(Template)]
#[template(path = "services_console_edit.html")]
struct EditPage<'a> {
    ctx: &'a Ctx,
    title: &'a str,
    /// The guide being edited; `None` for a new one.
    s: Option<Service>,
    input: GuideInput,
    departments: Vec<Department>,
    types: &'static [(&'static str, &'static str)],
    handling: [HandlingKind; 2],
    forms: &'static [(&'static str, &'static str)],
    results: &'static [(&'static str, &'static str, &'static str)],
    events: Vec<(&'static str, &'static str)>,
    error: Option<AppError>,
}

impl EditPage<'_> {
    fn is_org(&self, id: &i64) -> bool {
        self.input.org_id.trim() == id.to_string()
    }
    fn is_type(&self, code: &str) -> bool {
        self.input.task_type == code
    }
    fn is_handling(&self, h: &HandlingKind) -> bool {
        self.input.handling_kind == h.key()
    }
    fn is_result(&self, key: &str) -> bool {
        self.input.result_kind == key
    }
    fn is_charged(&self) -> bool {
        self.input.charged == "yes"
    }
    fn action(&self) -> String {
        match &self.s {
            Some(s) => format!("/console/portal/services/{}", s.id),
            None => "/console/portal/services/new".to_string(),
        }
    }
}

async fn edit_page(
    st: &AppState,
    ctx: &Ctx,
    me: &User,
    s: Option<Service>,
    input: GuideInput,
    error: Option<AppError>,
) -> Result<Response, AppError> {
    let events = s.as_ref().map(|s| MACHINE.events_from(&s.state).map(|t| (t.event, t.zh)).collect()).unwrap_or_default();
    let page = EditPage {
        ctx,
        title: if s.is_some() { ctx.pick("编辑办事指南", "Edit guide") } else { ctx.pick("新建办事指南", "New guide") },
        s,
        input,
        departments: editable(st, me).await?,
        types: TASK_TYPES,
        handling: HandlingKind::ALL,
        forms: FORMS,
        results: RESULT_KINDS,
        events,
        error,
    };
    render_with(&page, page.error.as_ref())
}

async fn new_form(State(st): State<AppState>, ctx: Ctx) -> Result<Response, AppError> {
    let me = ctx.require(&PERM_SERVICES)?;
    let mine = editable(&st, me).await?;
    let input = GuideInput {
        org_id: if mine.len() == 1 { mine[0].org_id.to_string() } else { String::new() },
        task_type: "20".into(),
        handling_kind: "promised".into(),
        charged: "no".into(),
        visits: "0".into(),
        form_online: "on".into(),
        ..Default::default()
    };
    edit_page(&st, &ctx, me, None, input, None).await
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
struct GuideForm {
    csrf: String,
    #[serde(flatten)]
    input: GuideInput,
}

/// Check the form and that the chosen department is one `me` may edit.
async fn checked(st: &AppState, me: &User, input: &GuideInput) -> Result<super::Guide, AppError> {
    let g = input.check()?;
    let d = dept_store::one(&st.db, &st.cfg.county_code, g.org_id)
        .await?
        .ok_or_else(|| AppError::bad_request("portal.service_org", "实施主体须为本县的部门"))?;
    if !may_edit(me, d.org_id, &d.county_code) {
        return Err(AppError::bad_request("portal.service_org", "只能以本部门为实施主体（县级管理员可选择任一部门）"));
    }
    Ok(g)
}

fn audit_detail(g: &super::Guide) -> serde_json::Value {
    serde_json::to_value(g).unwrap_or_default()
}

async fn create(State(st): State<AppState>, ctx: Ctx, Form(f): Form<GuideForm>) -> Result<Response, AppError> {
    let me = ctx.require(&PERM_SERVICES)?.clone();
    ctx.check_csrf(&f.csrf)?;
    let g = match checked(&st, &me, &f.input).await {
        Ok(g) => g,
        Err(e) => return edit_page(&st, &ctx, &me, None, f.input, Some(e)).await,
    };
    let now = st.clock.now_ms();
    let county = st.cfg.county_code.clone();
    let mut tx = st.db.begin().await?;
    let id = store::insert(&mut tx, &county, &g, false, &me.username, now).await?;
    audit::append(
        &mut tx,
        now,
        &Change {
            county_code: &county,
            actor: &actor_of(&me),
            action: "portal.service_create",
            entity: MACHINE.entity,
            entity_id: &id.to_string(),
            detail: audit_detail(&g),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(Redirect::to(&format!("/console/portal/services/{id}?saved=1")).into_response())
}

/// The guide `raw` in any state, if `me` may edit it.
async fn editable_service(st: &AppState, me: &User, raw: &str) -> Result<Service, AppError> {
    let id = qingfeng_platform::web::console::parse_id(raw)?;
    let s = store::one(&st.db, &st.cfg.county_code, id).await?.ok_or_else(|| not_found(raw))?;
    if !may_edit(me, s.org_id, &s.county_code) {
        return Err(not_your_department());
    }
    Ok(s)
}

async fn edit(State(st): State<AppState>, ctx: Ctx, Path(raw): Path<String>) -> Result<Response, AppError> {
    let me = ctx.require(&PERM_SERVICES)?.clone();
    let s = editable_service(&st, &me, &raw).await?;
    let materials = store::materials(&st.db, s.id).await?;
    let input = GuideInput::from_guide(&s.to_guide(materials));
    edit_page(&st, &ctx, &me, Some(s), input, None).await
}

/// Make the index follow guide `id` after a change (a failure is logged: the change is
/// stored, and `qingfeng reindex` repairs the index).
async fn follow(st: &AppState, id: i64) -> Result<(), AppError> {
    if let Some(s) = store::one(&st.db, &st.cfg.county_code, id).await? {
        let materials = store::materials(&st.db, id).await?;
        if let Err(e) = super::index::sync(&st.search, &s, &materials) {
            tracing::warn!(code = e.code, "service guide saved but not indexed: {}", e.message);
        }
    }
    Ok(())
}

async fn save(State(st): State<AppState>, ctx: Ctx, Path(raw): Path<String>, Form(f): Form<GuideForm>) -> Result<Response, AppError> {
    let me = ctx.require(&PERM_SERVICES)?.clone();
    ctx.check_csrf(&f.csrf)?;
    let s = editable_service(&st, &me, &raw).await?;
    let g = match checked(&st, &me, &f.input).await {
        Ok(g) => g,
        Err(e) => return edit_page(&st, &ctx, &me, Some(s), f.input, Some(e)).await,
    };
    let now = st.clock.now_ms();
    let mut tx = st.db.begin().await?;
    if !store::update(&mut tx, &s.county_code, s.id, &g, now).await? {
        return Err(not_found(&raw));
    }
    audit::append(
        &mut tx,
        now,
        &Change {
            county_code: &s.county_code,
            actor: &actor_of(&me),
            action: "portal.service_update",
            entity: MACHINE.entity,
            entity_id: &s.id.to_string(),
            detail: audit_detail(&g),
        },
    )
    .await?;
    tx.commit().await?;
    follow(&st, s.id).await?;
    Ok(Redirect::to(&format!("/console/portal/services/{}?saved=1", s.id)).into_response())
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
struct CsrfForm {
    csrf: String,
}

/// Publish (发布) or withdraw (下架) a guide through [`MACHINE`].
async fn fire(
    State(st): State<AppState>,
    ctx: Ctx,
    Path((raw, event)): Path<(String, String)>,
    Form(f): Form<CsrfForm>,
) -> Result<Response, AppError> {
    let me = ctx.require(&PERM_SERVICES)?.clone();
    ctx.check_csrf(&f.csrf)?;
    let s = editable_service(&st, &me, &raw).await?;
    let now = st.clock.now_ms();
    let cal = st.calendar_now();
    let roles = me.role_list();
    let mut tx = st.db.begin().await?;
    let fired = MACHINE
        .apply(
            &mut tx,
            &cal,
            Firing {
                county_code: &s.county_code,
                row_id: s.id,
                from: &s.state,
                event: &event,
                actor: &actor_of(&me),
                roles: &roles,
                now_ms: now,
                detail: serde_json::json!({"name": s.name}),
                due: None,
            },
        )
        .await?;
    if fired.transition.to == PUBLISHED {
        store::mark_published(&mut tx, s.id, now).await?;
    }
    tx.commit().await?;
    follow(&st, s.id).await?;
    Ok(Redirect::to(&format!("/console/portal/services/{}?saved=1", s.id)).into_response())
}

// ---- API ----

/// A guide in the API, with its materials and page.
#[derive(Serialize)]
pub struct ServiceJson {
    #[serde(flatten)]
    pub service: Service,
    pub task_type_zh: &'static str,
    pub handling_zh: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub materials: Option<Vec<Material>>,
    pub href: String,
    /// Where to rate the service (好差评).
    pub rate_href: String,
}

impl ServiceJson {
    fn new(s: Service, materials: Option<Vec<Material>>) -> Self {
        ServiceJson {
            task_type_zh: s.task_type_zh(),
            handling_zh: s.handling_zh(),
            href: format!("/portal/services/{}", s.id),
            rate_href: format!("/portal/ratings/new?service={}", s.id),
            materials,
            service: s,
        }
    }
}

async fn api_list(State(st): State<AppState>, ApiQuery(raw): ApiQuery<ServiceQuery>) -> Result<Json<Page<ServiceJson>>, ApiError> {
    let (params, f) = raw.check()?;
    let p = store::list(&st.db, &st.cfg.county_code, &f, &params).await?;
    Ok(Json(Page {
        items: p.items.into_iter().map(|s| ServiceJson::new(s, None)).collect(),
        total: p.total,
        page: p.page,
        per_page: p.per_page,
    }))
}

async fn api_one(State(st): State<AppState>, Path(raw): Path<String>) -> Result<Json<ServiceJson>, ApiError> {
    let s = published(&st, &raw).await?;
    let materials = store::materials(&st.db, s.id).await?;
    Ok(Json(ServiceJson::new(s, Some(materials))))
}
