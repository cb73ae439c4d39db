//! 工作台 The staff console: dashboard, registry browser, organisations, grids,
//! accounts, password, API tokens, audit log.

use askama::Template;
use axum::Router;
use axum::extract::{Path, State};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use std::collections::HashMap;

use serde::Deserialize;

use super::{AppState, Ctx, Form, Pager, Query, render, render_with};
use crate::audit::{self, Actor};
use crate::auth::{ALL_ROLES, Role, perms};
use crate::error::AppError;
use crate::listing::{ListParams, ListQuery};
use crate::registry::{self, Division, Grid, Organisation};
use crate::session::{self, ApiToken};
use crate::users::{self, NewUser, User};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/console", get(dashboard))
        .route("/console/registry", get(registry_root))
        .route("/console/registry/{code}", get(registry_page))
        .route("/console/orgs", get(orgs))
        .route("/console/orgs/{id}", get(org_page))
        .route("/console/grids", get(grids))
        .route("/console/grids/{id}", get(grid_page))
        .route("/console/grids/{id}/worker", post(grid_assign))
        .route("/console/users", get(users_page).post(user_create))
        .route("/console/users/{id}/disable", post(user_disable))
        .route("/console/users/{id}/enable", post(user_enable))
        .route("/console/password", get(password_form).post(password_submit))
        .route("/console/tokens", get(tokens_page).post(token_create))
        .route("/console/tokens/{id}/revoke", post(token_revoke))
        .route("/console/audit", get(audit_page))
        .route("/console/search", get(search_page))
        .route("/console/ops", get(ops_page).post(webhook_create))
        .route("/console/ops/webhooks/{id}/{action}", post(webhook_toggle))
}

/// A numeric id from the path, with a Chinese error.
pub fn parse_id(raw: &str) -> Result<i64, AppError> {
    raw.trim()
        .parse::<i64>()
        .ok()
        .filter(|n| *n > 0)
        .ok_or_else(|| AppError::bad_request("path.id", format!("编号必须是正整数，收到“{raw}”")))
}

pub fn actor_of(u: &User) -> Actor {
    Actor::User { id: u.id, username: u.username.clone() }
}

/// A console menu entry.
pub struct MenuItem {
    pub href: &'static str,
    pub label: String,
}

fn menu(ctx: &Ctx, modules: &[std::sync::Arc<dyn super::Module>]) -> Vec<MenuItem> {
    let Some(u) = ctx.user() else { return vec![] };
    let mut m = Vec::new();
    let mut add = |href: &'static str, key: &str, perm: Option<&crate::auth::Permission>| {
        if perm.is_none_or(|p| u.can(p)) {
            m.push(MenuItem { href, label: ctx.t(key).to_string() });
        }
    };
    add("/console/registry", "menu.registry", Some(&perms::REGISTRY_READ));
    add("/console/orgs", "menu.orgs", Some(&perms::REGISTRY_READ));
    add("/console/grids", "menu.grids", Some(&perms::REGISTRY_READ));
    add("/console/users", "menu.users", Some(&perms::USERS_MANAGE));
    add("/console/tokens", "menu.tokens", Some(&perms::TOKENS_MANAGE));
    add("/console/audit", "menu.audit", Some(&perms::AUDIT_READ));
    add("/console/ops", "menu.ops", Some(&perms::OPS_MANAGE));
    add("/console/search", "menu.search", Some(&perms::REGISTRY_READ));
    add("/console/password", "menu.password", None);
    let modules_first: Vec<MenuItem> = modules
        .iter()
        .flat_map(|md| md.console_links())
        .filter(|link| u.can(link.permission))
        .map(|link| MenuItem { href: link.href, label: ctx.pick(link.zh, link.en).to_string() })
        .collect();
    modules_first.into_iter().chain(m).collect()
}

#[derive(Template)]
#[template(path = "console.html")]
struct Dashboard<'a> {
    ctx: &'a Ctx,
    title: &'a str,
    user: &'a User,
    scope_name: String,
    menu: Vec<MenuItem>,
    townships: i64,
    villages: i64,
    grids: i64,
    orgs: i64,
}

async fn scope_name(st: &AppState, code: &str) -> Result<String, AppError> {
    let chain = registry::ancestors(&st.db, code).await?;
    Ok(chain.iter().map(|d| d.name.as_str()).collect::<Vec<_>>().join(" › "))
}

async fn dashboard(State(st): State<AppState>, ctx: Ctx) -> Result<Html<String>, AppError> {
    let user = ctx.require_user()?;
    let (townships, villages, grids, orgs) = registry::counts(&st.db, &user.scope()).await?;
    let scope_name = scope_name(&st, &user.scope_division).await?;
    render(&Dashboard {
        ctx: &ctx,
        title: ctx.t("console.title"),
        user,
        scope_name,
        menu: menu(&ctx, &st.modules),
        townships,
        villages,
        grids,
        orgs,
    })
}

#[derive(Template)]
#[template(path = "registry.html")]
struct RegistryPage<'a> {
    ctx: &'a Ctx,
    title: String,
    trail: Vec<Division>,
    division: Division,
    children: Vec<Division>,
}

async fn registry_root(State(st): State<AppState>) -> Redirect {
    Redirect::to(&format!("/console/registry/{}", st.cfg.county_code))
}

async fn registry_page(State(st): State<AppState>, ctx: Ctx, Path(code): Path<String>) -> Result<Html<String>, AppError> {
    ctx.require(&perms::REGISTRY_READ)?;
    let division =
        registry::division(&st.db, &code).await?.ok_or_else(|| AppError::not_found("division.not_found", format!("区划 {code} 不存在")))?;
    let trail = registry::ancestors(&st.db, &division.code).await?;
    let children = registry::children(&st.db, &division.code).await?;
    render(&RegistryPage { ctx: &ctx, title: division.name.clone(), trail, division, children })
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct OrgFilter {
    kind: String,
    #[serde(flatten)]
    list: ListQuery,
}

#[derive(Template)]
#[template(path = "orgs.html")]
struct OrgsPage<'a> {
    ctx: &'a Ctx,
    title: &'a str,
    items: Vec<Organisation>,
    pager: Pager,
    kind: String,
    q: String,
    kinds: &'static [(&'static str, &'static str, &'static str)],
}

async fn orgs(State(st): State<AppState>, ctx: Ctx, Query(f): Query<OrgFilter>) -> Result<Html<String>, AppError> {
    let user = ctx.require(&perms::REGISTRY_READ)?;
    let params = ListParams::parse(&f.list, registry::ORG_SORT, "id")?;
    let page = registry::list_orgs(&st.db, &user.scope(), Some(&f.kind), &params).await?;
    let q = params.q.clone().unwrap_or_default();
    let pager = Pager::new(&page, "/console/orgs", &[("kind", &f.kind), ("q", &q)]);
    render(&OrgsPage { ctx: &ctx, title: ctx.t("menu.orgs"), items: page.items, pager, kind: f.kind, q, kinds: registry::ORG_KINDS })
}

#[derive(Template)]
#[template(path = "org.html")]
struct OrgPage<'a> {
    ctx: &'a Ctx,
    title: String,
    org: Organisation,
    division: String,
}

async fn org_page(State(st): State<AppState>, ctx: Ctx, Path(id): Path<String>) -> Result<Html<String>, AppError> {
    let user = ctx.require(&perms::REGISTRY_READ)?;
    let org = registry::org(&st.db, &user.scope(), parse_id(&id)?).await?;
    let division = scope_name(&st, &org.division_code).await?;
    render(&OrgPage { ctx: &ctx, title: org.name.clone(), org, division })
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct GridFilter {
    township: String,
    #[serde(flatten)]
    list: ListQuery,
}

#[derive(Template)]
#[template(path = "grids.html")]
struct GridsPage<'a> {
    ctx: &'a Ctx,
    title: &'a str,
    items: Vec<Grid>,
    pager: Pager,
    township: String,
    q: String,
    townships: Vec<Division>,
}

async fn grids(State(st): State<AppState>, ctx: Ctx, Query(f): Query<GridFilter>) -> Result<Html<String>, AppError> {
    let user = ctx.require(&perms::REGISTRY_READ)?;
    let scope = user.scope();
    let params = ListParams::parse(&f.list, registry::GRID_SORT, "code")?;
    let page = registry::list_grids(&st.db, &scope, Some(&f.township), &params).await?;
    let q = params.q.clone().unwrap_or_default();
    let pager = Pager::new(&page, "/console/grids", &[("township", &f.township), ("q", &q)]);
    let townships = registry::children(&st.db, &st.cfg.county_code)
        .await?
        .into_iter()
        .filter(|t| scope.covers_division(&t.code) || scope.division.starts_with(&t.code))
        .collect();
    render(&GridsPage { ctx: &ctx, title: ctx.t("menu.grids"), items: page.items, pager, township: f.township, q, townships })
}

#[derive(Template)]
#[template(path = "grid.html")]
struct GridPage<'a> {
    ctx: &'a Ctx,
    title: String,
    grid: Grid,
    /// Grid workers who may be assigned, when the viewer may assign them.
    candidates: Option<Vec<User>>,
}

async fn grid_page(State(st): State<AppState>, ctx: Ctx, Path(id): Path<String>) -> Result<Html<String>, AppError> {
    let user = ctx.require(&perms::REGISTRY_READ)?;
    let grid = registry::grid(&st.db, &user.scope(), parse_id(&id)?).await?;
    let candidates = if user.can(&perms::GRIDS_MANAGE) { Some(grid_workers_for(&st, user, &grid).await?) } else { None };
    render(&GridPage { ctx: &ctx, title: grid.name.clone(), grid, candidates })
}

/// Grid workers in the viewer's scope whose own scope covers the grid's village.
async fn grid_workers_for(st: &AppState, viewer: &User, grid: &Grid) -> Result<Vec<User>, AppError> {
    let all = users::with_role(&st.db, &viewer.scope(), Role::GridWorker).await?;
    Ok(all.into_iter().filter(|u| grid.village_code.starts_with(&u.scope_division)).collect())
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct AssignForm {
    csrf: String,
    user_id: String,
}

async fn grid_assign(
    State(st): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
    Form(f): Form<AssignForm>,
) -> Result<Response, AppError> {
    let me = ctx.require(&perms::GRIDS_MANAGE)?;
    ctx.check_csrf(&f.csrf)?;
    let grid = registry::grid(&st.db, &me.scope(), parse_id(&id)?).await?;
    let worker = match f.user_id.trim() {
        "" => None,
        raw => {
            let wanted = parse_id(raw)?;
            let ok = grid_workers_for(&st, me, &grid).await?.into_iter().find(|u| u.id == wanted);
            Some(ok.ok_or_else(|| AppError::bad_request("grid.worker", "所选账号不是本网格所在区域的网格员"))?.id)
        }
    };
    registry::assign_grid_worker(&st.db, &me.scope(), grid.id, worker, &actor_of(me), st.clock.now_ms()).await?;
    Ok(Redirect::to(&format!("/console/grids/{}", grid.id)).into_response())
}

/// An account as listed, with its ID number as the viewer may see it.
pub struct UserRow {
    pub user: User,
    pub id_number: String,
}

#[derive(Template)]
#[template(path = "users.html")]
struct UsersPage<'a> {
    ctx: &'a Ctx,
    title: &'a str,
    rows: Vec<UserRow>,
    pager: Pager,
    q: String,
    roles: &'static [Role],
    townships: Vec<Division>,
    orgs: Vec<Organisation>,
    error: Option<AppError>,
    notice: Option<String>,
}

async fn users_view(
    st: &AppState,
    ctx: &Ctx,
    list: &ListQuery,
    error: Option<AppError>,
    notice: Option<String>,
) -> Result<Response, AppError> {
    let me = ctx.require(&perms::USERS_MANAGE)?;
    let params = ListParams::parse(list, users::USER_SORT, "id")?;
    let page = users::list(&st.db, &me.scope(), &params).await?;
    let q = params.q.clone().unwrap_or_default();
    let pager = Pager::new(&page, "/console/users", &[("q", &q)]);
    let rows = page.items.into_iter().map(|u| UserRow { id_number: u.id_number_for(me, &st.pii).unwrap_or_default(), user: u }).collect();
    let townships =
        registry::children(&st.db, &st.cfg.county_code).await?.into_iter().filter(|t| me.scope().covers_division(&t.code)).collect();
    let all = ListQuery { per_page: Some(crate::listing::MAX_PER_PAGE.to_string()), sort: Some("name".into()), ..Default::default() };
    let orgs = registry::list_orgs(&st.db, &me.scope(), None, &ListParams::parse(&all, registry::ORG_SORT, "name")?).await?.items;
    let page = UsersPage { ctx, title: ctx.t("menu.users"), rows, pager, q, roles: ALL_ROLES, townships, orgs, error, notice };
    render_with(&page, page.error.as_ref())
}

async fn users_page(State(st): State<AppState>, ctx: Ctx, Query(list): Query<ListQuery>) -> Result<Response, AppError> {
    users_view(&st, &ctx, &list, None, None).await
}

/// The new-account form: fixed fields plus one checkbox per role (`role.<key>`), so
/// it is read as a map (repeated keys do not fit a plain form struct).
async fn user_create(State(st): State<AppState>, ctx: Ctx, Form(f): Form<HashMap<String, String>>) -> Result<Response, AppError> {
    let me = ctx.require(&perms::USERS_MANAGE)?;
    let field = |k: &str| f.get(k).map(|v| v.trim()).unwrap_or("");
    ctx.check_csrf(field("csrf"))?;
    let result = async {
        let mut roles = Vec::new();
        for key in f.keys().filter_map(|k| k.strip_prefix("role.")).chain(Some(field("role")).filter(|r| !r.is_empty())) {
            roles.push(Role::parse(key)?);
        }
        roles.sort_by_key(|r| r.key());
        roles.dedup();
        if !me.has_role(Role::SystemAdmin)
            && let Some(r) = roles.iter().find(|r| !me.has_role(**r) && (**r == Role::SystemAdmin || **r == Role::CountyAdmin))
        {
            return Err(AppError::forbidden("user.role_denied", format!("您不能授予“{}”角色", r.zh())));
        }
        let division =
            registry::normalise_code(if field("scope_division").is_empty() { &me.scope_division } else { field("scope_division") })?;
        if !me.scope().covers_division(&division) {
            return Err(crate::auth::Scope::denied());
        }
        let org_id = match field("org_id") {
            "" => None,
            raw => Some(registry::org(&st.db, &me.scope(), parse_id(raw)?).await?.id),
        };
        let new = NewUser {
            county_code: &st.cfg.county_code,
            username: field("username"),
            display_name: field("display_name"),
            password: f.get("password").map(String::as_str).unwrap_or(""),
            org_id,
            scope_division: &division,
            roles: &roles,
            phone: field("phone"),
            id_number: Some(field("id_number")).filter(|s| !s.is_empty()),
            must_change_password: true,
            is_demo: false,
        };
        users::create(&st.db, &st.pii, &new, &actor_of(me), st.clock.now_ms()).await
    }
    .await;
    match result {
        Ok(_) => users_view(&st, &ctx, &ListQuery::default(), None, Some(format!("已创建账号 {}", field("username")))).await,
        Err(e) => users_view(&st, &ctx, &ListQuery::default(), Some(e), None).await,
    }
}

async fn set_user_disabled(st: AppState, ctx: Ctx, id: String, f: super::pages::CsrfForm, disabled: bool) -> Result<Response, AppError> {
    let me = ctx.require(&perms::USERS_MANAGE)?;
    ctx.check_csrf(&f.csrf)?;
    let id = parse_id(&id)?;
    let target = users::by_id(&st.db, id).await?.ok_or_else(|| AppError::not_found("user.not_found", "账号不存在"))?;
    if !me.scope().covers(&target.scope_division, target.org_id) {
        return Err(crate::auth::Scope::denied());
    }
    if target.id == me.id {
        return Err(AppError::bad_request("user.self", "不能停用自己的账号"));
    }
    users::set_disabled(&st.db, id, disabled, &actor_of(me), st.clock.now_ms()).await?;
    Ok(Redirect::to("/console/users").into_response())
}

async fn user_disable(
    State(st): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
    Form(f): Form<super::pages::CsrfForm>,
) -> Result<Response, AppError> {
    set_user_disabled(st, ctx, id, f, true).await
}

async fn user_enable(
    State(st): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
    Form(f): Form<super::pages::CsrfForm>,
) -> Result<Response, AppError> {
    set_user_disabled(st, ctx, id, f, false).await
}

#[derive(Template)]
#[template(path = "password.html")]
struct PasswordPage<'a> {
    ctx: &'a Ctx,
    title: &'a str,
    must_change: bool,
    error: Option<AppError>,
    done: bool,
}

async fn password_form(ctx: Ctx) -> Result<Html<String>, AppError> {
    let u = ctx.require_user()?;
    render(&PasswordPage { ctx: &ctx, title: ctx.t("menu.password"), must_change: u.must_change_password, error: None, done: false })
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct PasswordForm {
    csrf: String,
    old: String,
    new: String,
    repeat: String,
}

async fn password_submit(State(st): State<AppState>, ctx: Ctx, Form(f): Form<PasswordForm>) -> Result<Response, AppError> {
    let u = ctx.require_user()?;
    ctx.check_csrf(&f.csrf)?;
    let result = async {
        // The same throttle and concurrency cap as signing in: a session must not become
        // a way to guess the password or to load the machine with Argon2.
        let now = st.clock.now_ms();
        session::check_throttle(&st.db, &st.cfg, &u.username, &ctx.ip, now).await?;
        let _permit = tokio::time::timeout(std::time::Duration::from_secs(10), st.login_gate.acquire())
            .await
            .map_err(|_| AppError::unavailable("auth.busy", "系统繁忙，请稍后再试"))?
            .map_err(AppError::internal)?;
        let stored = users::password_hash(&st.db, u.id).await?.unwrap_or_default();
        let ok = users::verify_password(&f.old, &stored).await?;
        session::record_attempt(&st.db, &u.username, &ctx.ip, ok, now).await?;
        if !ok {
            return Err(AppError::bad_request("password.old_wrong", "原密码不正确"));
        }
        if f.new != f.repeat {
            return Err(AppError::bad_request("password.mismatch", "两次输入的新密码不一致"));
        }
        if f.new == f.old {
            return Err(AppError::bad_request("password.same", "新密码不能与原密码相同"));
        }
        users::set_password(&st.db, u.id, &f.new, false, &actor_of(u), st.clock.now_ms()).await
    }
    .await;
    match result {
        // Changing the password ends every session, this one included: sign in again.
        Ok(()) => Ok(Redirect::to("/login").into_response()),
        Err(e) => {
            let page =
                PasswordPage { ctx: &ctx, title: ctx.t("menu.password"), must_change: u.must_change_password, error: Some(e), done: false };
            render_with(&page, page.error.as_ref())
        }
    }
}

#[derive(Template)]
#[template(path = "tokens.html")]
struct TokensPage<'a> {
    ctx: &'a Ctx,
    title: &'a str,
    tokens: Vec<ApiToken>,
    secret: Option<String>,
    error: Option<AppError>,
}

async fn tokens_view(st: &AppState, ctx: &Ctx, secret: Option<String>, error: Option<AppError>) -> Result<Response, AppError> {
    let me = ctx.require(&perms::TOKENS_MANAGE)?;
    let tokens = session::list_tokens(&st.db, &me.scope()).await?;
    let page = TokensPage { ctx, title: ctx.t("menu.tokens"), tokens, secret, error };
    render_with(&page, page.error.as_ref())
}

async fn tokens_page(State(st): State<AppState>, ctx: Ctx) -> Result<Response, AppError> {
    tokens_view(&st, &ctx, None, None).await
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct TokenForm {
    csrf: String,
    name: String,
    username: String,
    permissions: String,
}

async fn token_create(State(st): State<AppState>, ctx: Ctx, Form(f): Form<TokenForm>) -> Result<Response, AppError> {
    let me = ctx.require(&perms::TOKENS_MANAGE)?;
    ctx.check_csrf(&f.csrf)?;
    let result = async {
        let target = users::by_username(&st.db, f.username.trim())
            .await?
            .filter(|t| me.scope().covers(&t.scope_division, t.org_id))
            .ok_or_else(|| AppError::bad_request("token.user", format!("账号“{}”不存在或不在您的管辖范围内", f.username.trim())))?;
        let perms: Vec<String> =
            f.permissions.split([',', '，', ' ']).map(str::trim).filter(|s| !s.is_empty()).map(str::to_string).collect();
        let known = st.permissions();
        session::create_token(
            &st.db,
            session::Issuer::Person(me),
            target.id,
            &f.name,
            &perms,
            &known,
            None,
            &actor_of(me),
            st.clock.now_ms(),
        )
        .await
    }
    .await;
    match result {
        Ok((_, secret)) => tokens_view(&st, &ctx, Some(secret), None).await,
        Err(e) => tokens_view(&st, &ctx, None, Some(e)).await,
    }
}

async fn token_revoke(
    State(st): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
    Form(f): Form<super::pages::CsrfForm>,
) -> Result<Response, AppError> {
    let me = ctx.require(&perms::TOKENS_MANAGE)?;
    ctx.check_csrf(&f.csrf)?;
    session::revoke_token(&st.db, &me.scope(), parse_id(&id)?, &actor_of(me), st.clock.now_ms()).await?;
    Ok(Redirect::to("/console/tokens").into_response())
}

#[derive(Template)]
#[template(path = "audit.html")]
struct AuditPage<'a> {
    ctx: &'a Ctx,
    title: &'a str,
    entries: Vec<audit::Entry>,
    report: Option<audit::Report>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct AuditQuery {
    verify: String,
}

/// The latest entries of the county; the whole chain is checked on request (it reads
/// every entry, so it is not done on every view).
async fn audit_page(State(st): State<AppState>, ctx: Ctx, Query(q): Query<AuditQuery>) -> Result<Html<String>, AppError> {
    ctx.require(&perms::AUDIT_READ)?;
    let entries = audit::recent(&st.db, Some(&st.cfg.county_code), 100, 0).await?;
    let report = if q.verify == "1" { Some(audit::verify(&st.db).await?) } else { None };
    render(&AuditPage { ctx: &ctx, title: ctx.t("menu.audit"), entries, report })
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct SearchForm {
    q: String,
}

#[derive(Template)]
#[template(path = "search.html")]
struct SearchPage<'a> {
    ctx: &'a Ctx,
    title: &'a str,
    q: String,
    found: Vec<crate::indexing::Found>,
}

async fn search_page(State(st): State<AppState>, ctx: Ctx, Query(f): Query<SearchForm>) -> Result<Html<String>, AppError> {
    let user = ctx.require(&perms::REGISTRY_READ)?;
    let q: String = f.q.trim().chars().take(100).collect();
    let found = if q.is_empty() {
        Vec::new()
    } else {
        crate::indexing::search_registry(&st.db, &st.search, &user.scope(), &st.cfg.county_code, &q).await?
    };
    render(&SearchPage { ctx: &ctx, title: ctx.t("menu.search"), q, found })
}

#[derive(Template)]
#[template(path = "ops.html")]
struct OpsPage<'a> {
    ctx: &'a Ctx,
    title: &'a str,
    jobs: Vec<crate::jobs::Job>,
    endpoints: Vec<crate::outbox::Endpoint>,
    messages: Vec<crate::outbox::Message>,
    error: Option<AppError>,
    secret: Option<String>,
}

async fn ops_view(st: &AppState, ctx: &Ctx, error: Option<AppError>, secret: Option<String>) -> Result<Response, AppError> {
    ctx.require(&perms::OPS_MANAGE)?;
    let jobs = crate::jobs::list_recent(&st.db, 50).await?;
    let endpoints = crate::outbox::list_endpoints(&st.db, Some(&st.cfg.county_code)).await?;
    let messages = crate::outbox::list_recent(&st.db, 50).await?;
    let page = OpsPage { ctx, title: ctx.t("menu.ops"), jobs, endpoints, messages, error, secret };
    render_with(&page, page.error.as_ref())
}

async fn ops_page(State(st): State<AppState>, ctx: Ctx) -> Result<Response, AppError> {
    ops_view(&st, &ctx, None, None).await
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct WebhookForm {
    csrf: String,
    name: String,
    url: String,
    topics: String,
}

async fn webhook_create(State(st): State<AppState>, ctx: Ctx, Form(f): Form<WebhookForm>) -> Result<Response, AppError> {
    let me = ctx.require(&perms::OPS_MANAGE)?;
    ctx.check_csrf(&f.csrf)?;
    let new = crate::outbox::NewEndpoint {
        county_code: &st.cfg.county_code,
        name: f.name.trim(),
        url: f.url.trim(),
        topics: f.topics.trim(),
        secret: None,
    };
    match crate::outbox::create_endpoint(&st.db, st.clock.now_ms(), &new, &actor_of(me)).await {
        Ok(ep) => ops_view(&st, &ctx, None, Some(ep.secret)).await,
        Err(e) => ops_view(&st, &ctx, Some(e), None).await,
    }
}

async fn webhook_toggle(
    State(st): State<AppState>,
    ctx: Ctx,
    Path((id, action)): Path<(String, String)>,
    Form(f): Form<super::pages::CsrfForm>,
) -> Result<Response, AppError> {
    let me = ctx.require(&perms::OPS_MANAGE)?;
    ctx.check_csrf(&f.csrf)?;
    let active = match action.as_str() {
        "resume" => true,
        "pause" => false,
        _ => return Err(AppError::not_found("not_found", "页面不存在")),
    };
    crate::outbox::set_endpoint_active(&st.db, st.clock.now_ms(), parse_id(&id)?, active, &actor_of(me)).await?;
    Ok(Redirect::to("/console/ops").into_response())
}
