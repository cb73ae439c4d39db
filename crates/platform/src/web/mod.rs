//! 网页外壳 The web shell: application state, request context (language, session,
//! CSRF), the router with security headers, static assets, health checks and error
//! pages. Modules plug in through [`Module`].

pub mod api;
pub mod chart;
pub mod console;
pub mod i18n;
pub mod pages;
pub mod upload;

use std::net::SocketAddr;
use std::sync::{Arc, RwLock};

use askama::Template;
use axum::Router;
use axum::extract::{ConnectInfo, FromRequestParts, Path, Request, State};
use axum::http::header::{self, HeaderName, HeaderValue};
use axum::http::request::Parts;
use axum::http::{HeaderMap, StatusCode};
use axum::middleware::Next;
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use tokio::sync::Semaphore;
use tower_http::set_header::SetResponseHeaderLayer;

use crate::auth::Permission;
use crate::clock::Clock;
use crate::config::Config;
use crate::db::Db;
use crate::error::AppError;
use crate::pii::Pii;
use crate::session::{self, PRELOGIN_COOKIE, SESSION_COOKIE, Session};
use crate::users::User;
use i18n::{Lang, tr};
use qingfeng_core::HolidayCalendar;

/// 系统 One of the six systems, as shown on the home page.
#[derive(Debug, Clone, Copy)]
pub struct System {
    pub key: &'static str,
    pub zh: &'static str,
    pub en: &'static str,
    pub about_zh: &'static str,
    pub about_en: &'static str,
    /// Where its pages start once its module is installed.
    pub href: &'static str,
}

pub const SYSTEMS: &[System] = &[
    System {
        key: "credit",
        zh: "社会信用信息平台",
        en: "Credit platform",
        about_zh: "信用记录归集、主体画像、公示、分级分类监管、信用修复、红黑名单、信用报告",
        about_en: "Credit records, profiles, publicity, graded supervision, repair, lists, reports",
        href: "/credit",
    },
    System {
        key: "lending",
        zh: "信易贷",
        en: "Credit lending",
        about_zh: "授权共享信用信息，银行产品、申请、授信、放款",
        about_en: "Consent-based sharing with banks, products, applications, credit and loans",
        href: "/lending",
    },
    System {
        key: "mediation",
        zh: "诉源治理",
        en: "Dispute resolution",
        about_zh: "网格员、调解组织、人民法庭，把纠纷化解在诉前",
        about_en: "Grid workers, mediators and tribunals resolving disputes before litigation",
        href: "/mediation",
    },
    System {
        key: "portal",
        zh: "营商环境直通车",
        en: "Business express",
        about_zh: "政策、负面清单、投诉、好差评、曝光台等 13 个模块",
        about_en: "Policies, negative list, complaints, ratings, exposure board and more",
        href: "/portal",
    },
    System {
        key: "services",
        zh: "政务服务",
        en: "Government services",
        about_zh: "办事指南、一件事、跨省通办、免罚清单、企业码",
        about_en: "Service guides, bundles, cross-region services, no-penalty lists",
        href: "/services",
    },
    System {
        key: "eldercare",
        zh: "智慧养老",
        en: "Elderly care",
        about_zh: "老人档案、能力评估、养老机构、服务工单、补贴、紧急呼叫",
        about_en: "Elder register, assessments, institutions, services, subsidies, calls",
        href: "/eldercare",
    },
];

/// A module of the platform (credit, mediation…): its routes and permissions.
pub trait Module: Send + Sync + 'static {
    /// The [`System`] key it implements.
    fn system(&self) -> &'static str;
    fn permissions(&self) -> &'static [Permission] {
        &[]
    }
    fn routes(&self) -> Router<AppState>;
    /// Entries this module adds to the staff console menu: (href, 中文, English, permission).
    fn console_links(&self) -> &'static [ConsoleLink] {
        &[]
    }
    /// Does the module have its public pages (its home tile then links to them)?
    fn has_public_pages(&self) -> bool {
        true
    }
    /// Handlers of the background jobs this module enqueues.
    fn jobs(&self) -> Vec<Arc<dyn crate::jobs::JobHandler>> {
        Vec::new()
    }
    /// Jobs the scheduler runs on a timetable for `county` (nightly grading…).
    fn recurring(&self, _county: &str) -> Vec<crate::jobs::Recurring> {
        Vec::new()
    }
}

/// The platform's permissions and those `modules` declare.
pub fn all_permissions(modules: &[Arc<dyn Module>]) -> Vec<&'static Permission> {
    let mut p: Vec<&'static Permission> = crate::auth::perms::ALL.iter().collect();
    for m in modules {
        p.extend(m.permissions().iter());
    }
    p
}

/// A module's entry in the staff console menu.
#[derive(Debug, Clone, Copy)]
pub struct ConsoleLink {
    pub href: &'static str,
    pub zh: &'static str,
    pub en: &'static str,
    pub permission: &'static Permission,
}

/// What every handler can reach.
pub struct Inner {
    pub db: Db,
    pub cfg: Config,
    pub clock: Clock,
    pub pii: Pii,
    /// Caps password checks running at once.
    pub login_gate: Semaphore,
    /// 工作日历 The working-day calendar (built-in years plus those an administrator loaded).
    pub calendar: RwLock<HolidayCalendar>,
    pub modules: Vec<Arc<dyn Module>>,
    /// 全文检索 The shared search index.
    pub search: Arc<qingfeng_search::SearchIndex>,
}

/// Shared application state.
#[derive(Clone)]
pub struct AppState(pub Arc<Inner>);

impl std::ops::Deref for AppState {
    type Target = Inner;
    fn deref(&self) -> &Inner {
        &self.0
    }
}

impl AppState {
    pub fn new(
        db: Db,
        cfg: Config,
        clock: Clock,
        pii: Pii,
        calendar: HolidayCalendar,
        search: Arc<qingfeng_search::SearchIndex>,
        modules: Vec<Arc<dyn Module>>,
    ) -> AppState {
        let gate = Semaphore::new(cfg.max_concurrent_logins);
        AppState(Arc::new(Inner { db, cfg, clock, pii, login_gate: gate, calendar: RwLock::new(calendar), modules, search }))
    }

    /// Every job handler: the platform's and each module's.
    pub fn job_handlers(&self) -> Vec<Arc<dyn crate::jobs::JobHandler>> {
        let mut h = crate::housekeeping::handlers();
        for m in &self.modules {
            h.extend(m.jobs());
        }
        h
    }

    /// Every permission: the platform's and each module's.
    pub fn permissions(&self) -> Vec<&'static Permission> {
        all_permissions(&self.modules)
    }

    /// Every recurring job for the configured county.
    pub fn recurring_jobs(&self) -> Vec<crate::jobs::Recurring> {
        let county = &self.cfg.county_code;
        let mut r = crate::housekeeping::recurring(county);
        for m in &self.modules {
            r.extend(m.recurring(county));
        }
        r
    }

    /// 工作日历 The working-day calendar as it stands now (a copy: an administrator may
    /// load another year while a request runs).
    pub fn calendar_now(&self) -> HolidayCalendar {
        self.calendar.read().map(|c| c.clone()).unwrap_or_else(|p| p.into_inner().clone())
    }

    /// 附件 The attachment store under the data directory, capped at the upload limit.
    pub fn attachments(&self) -> crate::attachments::AttachmentStore {
        crate::attachments::AttachmentStore::new(&self.cfg.data_dir, self.cfg.max_upload_mib.saturating_mul(1024 * 1024))
    }

    pub fn is_live(&self, system: &str) -> bool {
        self.modules.iter().any(|m| m.system() == system && m.has_public_pages())
    }
}

/// 请求上下文 Who is asking, in which language, with which CSRF token.
#[derive(Clone)]
pub struct Ctx {
    pub lang: Lang,
    pub session: Option<Session>,
    /// The double-submit token for forms shown before login.
    pub prelogin: String,
    /// The path and query string of this request.
    pub path: String,
    pub ip: String,
    pub session_cookie: Option<String>,
}

impl Ctx {
    pub fn t<'a>(&self, key: &'a str) -> &'a str {
        tr(self.lang, key)
    }
    pub fn pick<'a>(&self, zh: &'a str, en: &'a str) -> &'a str {
        self.lang.pick(zh, en)
    }
    pub fn user(&self) -> Option<&User> {
        self.session.as_ref().map(|s| &s.user)
    }
    /// The CSRF token forms on this page must carry.
    pub fn csrf(&self) -> &str {
        match &self.session {
            Some(s) => &s.csrf_token,
            None => &self.prelogin,
        }
    }
    pub fn check_csrf(&self, given: &str) -> Result<(), AppError> {
        if !given.is_empty() && session::same_secret(given, self.csrf()) { Ok(()) } else { Err(AppError::csrf()) }
    }
    /// This page's address, percent-encoded for a `next=` parameter.
    pub fn path_param(&self) -> String {
        urlencode(&self.path)
    }
    /// The signed-in user, or a redirect to the login page. An account that must change
    /// its initial password is sent to do that first.
    pub fn require_user(&self) -> Result<&User, AppError> {
        let u = self.user().ok_or_else(AppError::unauthorized)?;
        if u.must_change_password && !self.path.starts_with("/console/password") {
            return Err(AppError::new(StatusCode::SEE_OTHER, "auth.must_change_password", "请先修改初始密码"));
        }
        Ok(u)
    }
    /// The signed-in user holding `perm`.
    pub fn require(&self, perm: &Permission) -> Result<&User, AppError> {
        let u = self.require_user()?;
        if u.can(perm) { Ok(u) } else { Err(AppError::forbidden("auth.permission", format!("您没有“{}”权限", perm.zh))) }
    }
}

impl<S: Send + Sync> FromRequestParts<S> for Ctx {
    type Rejection = AppError;
    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        parts.extensions.get::<Ctx>().cloned().ok_or_else(|| AppError::internal("request context missing"))
    }
}

/// The query string of a page, as `T`; a malformed one is a Chinese error page, not
/// the framework's English text.
#[derive(axum::extract::FromRequestParts)]
#[from_request(via(axum::extract::Query), rejection(AppError))]
pub struct Query<T>(pub T);

/// A submitted form, as `T`; a malformed one is a Chinese error page.
#[derive(axum::extract::FromRequest)]
#[from_request(via(axum::Form), rejection(AppError))]
pub struct Form<T>(pub T);

/// The query string of an API call, as `T`; a malformed one is a JSON error.
#[derive(axum::extract::FromRequestParts)]
#[from_request(via(axum::extract::Query), rejection(crate::error::ApiError))]
pub struct ApiQuery<T>(pub T);

impl From<axum::extract::rejection::QueryRejection> for AppError {
    fn from(r: axum::extract::rejection::QueryRejection) -> Self {
        AppError::bad_request("request.query", format!("查询参数格式有误（{}）", r.body_text()))
    }
}

impl From<axum::extract::rejection::QueryRejection> for crate::error::ApiError {
    fn from(r: axum::extract::rejection::QueryRejection) -> Self {
        crate::error::ApiError(r.into())
    }
}

impl From<axum::extract::rejection::FormRejection> for AppError {
    fn from(r: axum::extract::rejection::FormRejection) -> Self {
        AppError::new(r.status(), "request.form", format!("表单内容有误（{}）", r.body_text()))
    }
}

/// Read one cookie from the request headers.
pub fn cookie<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers.get_all(header::COOKIE).iter().filter_map(|v| v.to_str().ok()).flat_map(|v| v.split(';')).find_map(|kv| {
        let (k, v) = kv.trim().split_once('=')?;
        (k == name).then_some(v)
    })
}

/// The client address a trusted reverse proxy appended to `X-Forwarded-For` (the last
/// entry; earlier ones come from the client and can be anything).
fn forwarded_client(headers: &HeaderMap) -> Option<String> {
    let all: Vec<&str> = headers.get_all("x-forwarded-for").iter().filter_map(|v| v.to_str().ok()).collect();
    let last = all.last()?.rsplit(',').next()?.trim();
    last.parse::<std::net::IpAddr>().ok().map(|ip| ip.to_string())
}

/// A `Set-Cookie` value with our flags (HttpOnly, SameSite=Lax, Secure when configured).
pub fn set_cookie(cfg: &Config, name: &str, value: &str, max_age_secs: Option<i64>) -> HeaderValue {
    let mut s = format!("{name}={value}; Path=/; HttpOnly; SameSite=Lax");
    if let Some(age) = max_age_secs {
        s.push_str(&format!("; Max-Age={age}"));
    }
    if cfg.cookie_secure {
        s.push_str("; Secure");
    }
    HeaderValue::from_str(&s).unwrap_or_else(|_| HeaderValue::from_static("x=; Path=/"))
}

/// Middleware: build the [`Ctx`] of every request.
async fn load_ctx(State(st): State<AppState>, mut req: Request, next: Next) -> Response {
    let headers = req.headers();
    let lang = Lang::from_cookie(cookie(headers, "lang"));
    let peer = req.extensions().get::<ConnectInfo<SocketAddr>>().map(|c| c.0.ip().to_string()).unwrap_or_default();
    let ip = if st.cfg.trust_forwarded_for { forwarded_client(headers).unwrap_or(peer) } else { peer };
    let token = cookie(headers, SESSION_COOKIE).map(str::to_string);
    let session = match &token {
        Some(t) => match session::lookup(&st.db, &st.cfg, t, st.clock.now_ms()).await {
            Ok(s) => s,
            Err(e) => return e.into_response(),
        },
        None => None,
    };
    let existing_pre = cookie(headers, PRELOGIN_COOKIE).filter(|v| v.len() >= 32).map(str::to_string);
    let new_pre = existing_pre.is_none().then(session::random_token);
    let prelogin = existing_pre.or(new_pre.clone()).unwrap_or_default();
    let path = req.uri().path_and_query().map(|p| p.as_str().to_string()).unwrap_or_else(|| "/".into());
    let ctx = Ctx { lang, session, prelogin, path, ip, session_cookie: token };
    req.extensions_mut().insert(ctx);
    let signed_in = req.extensions().get::<Ctx>().is_some_and(|c| c.session.is_some());
    let mut resp = next.run(req).await;
    // Pages of a signed-in person (tokens and secrets shown once among them) are never cached.
    if signed_in {
        resp.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    if let Some(p) = new_pre {
        resp.headers_mut().append(header::SET_COOKIE, set_cookie(&st.cfg, PRELOGIN_COOKIE, &p, None));
    }
    resp
}

const CSP: &str = "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; object-src 'none'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'";

/// The whole application: platform pages, API, every module's routes, middleware.
pub fn router(state: AppState) -> Router {
    let mut app = Router::new()
        .route("/", get(pages::home))
        .route("/healthz", get(|| async { "ok" }))
        .route("/readyz", get(readyz))
        .route("/static/{file}", get(static_file))
        .route("/lang/{lang}", get(set_lang))
        .route("/login", get(pages::login_form).post(pages::login_submit))
        .route("/logout", post(pages::logout))
        .merge(console::routes())
        .merge(api::routes());
    for m in &state.modules {
        app = app.merge(m.routes());
    }
    let limit = usize::try_from(state.cfg.max_upload_mib.saturating_mul(1024 * 1024)).unwrap_or(usize::MAX);
    app.fallback(not_found)
        .layer(axum::middleware::from_fn_with_state(state.clone(), load_ctx))
        .layer(axum::extract::DefaultBodyLimit::max(limit))
        .layer(SetResponseHeaderLayer::if_not_present(header::CONTENT_SECURITY_POLICY, HeaderValue::from_static(CSP)))
        .layer(SetResponseHeaderLayer::overriding(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY")))
        .layer(SetResponseHeaderLayer::overriding(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff")))
        .layer(SetResponseHeaderLayer::overriding(header::REFERRER_POLICY, HeaderValue::from_static("same-origin")))
        .layer(SetResponseHeaderLayer::overriding(
            HeaderName::from_static("permissions-policy"),
            HeaderValue::from_static("camera=(), microphone=(), geolocation=(self)"),
        ))
        .with_state(state)
}

async fn readyz(State(st): State<AppState>) -> Response {
    if st.db.ping().await {
        (StatusCode::OK, axum::Json(serde_json::json!({"status": "ready", "database": format!("{:?}", st.db.backend())}))).into_response()
    } else {
        (
            StatusCode::SERVICE_UNAVAILABLE,
            axum::Json(serde_json::json!({"status": "unavailable", "error": {"code": "db.unavailable", "message": "数据库不可用"}})),
        )
            .into_response()
    }
}

const APP_CSS: &str = include_str!("../../static/app.css");
const FAVICON: &str = include_str!("../../static/favicon.svg");
const DRAFT_JS: &str = include_str!("../../static/draft.js");

async fn static_file(Path(file): Path<String>) -> Response {
    let (body, ctype) = match file.as_str() {
        "app.css" => (APP_CSS, "text/css; charset=utf-8"),
        "favicon.svg" => (FAVICON, "image/svg+xml"),
        "draft.js" => (DRAFT_JS, "text/javascript; charset=utf-8"),
        _ => return AppError::not_found("static.not_found", "文件不存在").into_response(),
    };
    ([(header::CONTENT_TYPE, ctype), (header::CACHE_CONTROL, "public, max-age=3600")], body).into_response()
}

/// `next` if it is a path on this site, so that a link cannot send people elsewhere:
/// it must start with one `/` (not `//` or `/\\`) and hold no control characters,
/// spaces or backslashes (browsers drop a tab, turning `/\t/evil` into `//evil`).
pub fn local_path(next: &str) -> Option<&str> {
    let mut chars = next.chars();
    let ok = chars.next() == Some('/')
        && !matches!(chars.next(), Some('/' | '\\'))
        && next.chars().all(|c| !c.is_control() && !c.is_whitespace() && c != '\\');
    ok.then_some(next)
}

#[derive(serde::Deserialize, Default)]
#[serde(default)]
struct NextQuery {
    next: String,
}

async fn set_lang(State(st): State<AppState>, Path(lang): Path<String>, Query(q): Query<NextQuery>) -> Response {
    let value = if lang == "en" { "en" } else { "zh" };
    let next = local_path(&q.next).unwrap_or("/");
    let mut resp = Redirect::to(next).into_response();
    resp.headers_mut().append(header::SET_COOKIE, set_cookie(&st.cfg, "lang", value, Some(365 * 86400)));
    resp
}

async fn not_found(uri: axum::http::Uri) -> Response {
    if uri.path().starts_with("/api/") {
        crate::error::ApiError(AppError::not_found("not_found", "接口不存在")).into_response()
    } else {
        AppError::not_found("not_found", "页面不存在").into_response()
    }
}

#[derive(Template)]
#[template(path = "error.html")]
struct ErrorPage<'a> {
    status: u16,
    code: &'a str,
    message: &'a str,
}

/// Render an error as a friendly page (a sign-in redirect when signing in would help).
pub fn error_page(e: &AppError) -> Response {
    if e.status == StatusCode::UNAUTHORIZED && e.code == "auth.required" {
        return Redirect::to("/login").into_response();
    }
    if e.code == "auth.must_change_password" {
        return Redirect::to("/console/password").into_response();
    }
    let page = ErrorPage { status: e.status.as_u16(), code: e.code, message: &e.message };
    match page.render() {
        Ok(html) => (e.status, Html(html)).into_response(),
        Err(_) => (e.status, e.message.clone()).into_response(),
    }
}

/// Render a template or fail as an internal error.
pub fn render<T: Template>(t: &T) -> Result<Html<String>, AppError> {
    t.render().map(Html).map_err(AppError::internal)
}

/// Render a page that may carry a form error: the error's status (so a failed form
/// answers 4xx, as tests and proxies expect), 200 otherwise.
pub fn render_with<T: Template>(t: &T, error: Option<&AppError>) -> Result<Response, AppError> {
    let status = error.map(|e| e.status).unwrap_or(StatusCode::OK);
    Ok((status, render(t)?).into_response())
}

/// Links to the previous and next page of a list, keeping the other parameters.
#[derive(Debug, Clone, Default)]
pub struct Pager {
    pub total: i64,
    pub page: i64,
    pub pages: i64,
    pub prev: Option<String>,
    pub next: Option<String>,
}

impl Pager {
    /// `base` is the path with its other query parameters, e.g. `/console/grids?township=410922100`.
    pub fn new<T>(p: &crate::listing::Page<T>, base: &str, extra: &[(&str, &str)]) -> Pager {
        let mut q: Vec<String> = extra.iter().filter(|(_, v)| !v.is_empty()).map(|(k, v)| format!("{k}={}", urlencode(v))).collect();
        q.push(format!("per_page={}", p.per_page));
        let link = |page: i64| format!("{base}?{}&page={page}", q.join("&"));
        Pager {
            total: p.total,
            page: p.page,
            pages: p.pages(),
            prev: p.has_prev().then(|| link(p.page - 1)),
            next: p.has_next().then(|| link(p.page + 1)),
        }
    }
}

/// Percent-encode a query value.
pub fn urlencode(s: &str) -> String {
    let mut out = String::new();
    for b in s.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => out.push(b as char),
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::{forwarded_client, local_path};

    #[test]
    fn the_proxy_appended_address_counts() {
        let mut h = axum::http::HeaderMap::new();
        assert_eq!(forwarded_client(&h), None);
        h.append("x-forwarded-for", "6.6.6.6, 10.1.2.3".parse().unwrap());
        assert_eq!(forwarded_client(&h).as_deref(), Some("10.1.2.3"));
        h.append("x-forwarded-for", "203.0.113.9".parse().unwrap());
        assert_eq!(forwarded_client(&h).as_deref(), Some("203.0.113.9"));
        let mut bad = axum::http::HeaderMap::new();
        bad.append("x-forwarded-for", "not-an-ip".parse().unwrap());
        assert_eq!(forwarded_client(&bad), None);
    }

    #[test]
    fn only_local_paths_are_followed() {
        for ok in ["/", "/console", "/console/grids?township=410922100&page=2", "/%E4%B8%AD"] {
            assert_eq!(local_path(ok), Some(ok));
        }
        for bad in ["", "console", "//evil.example", "/\\evil.example", "/\t/evil.example", "/\n", "/ /x", "https://evil.example", "/a\\b"]
        {
            assert_eq!(local_path(bad), None, "{bad:?}");
        }
    }
}
