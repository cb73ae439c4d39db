//! 信用平台页面与接口 The credit platform's doors: the upload page for department staff
//! and the push API for department systems. Both go through [`crate::ingest::run`],
//! the same pipeline as `qingfeng credit import`.

pub mod api;
pub mod lists;
pub mod person;
pub mod public;
pub mod quality;
pub mod staff;

use askama::Template;
use axum::Router;
use axum::extract::{Multipart, State};
use axum::response::Response;
use axum::routing::get;
use qingfeng_platform::audit::Actor;
use qingfeng_platform::auth::{Role, Scope};
use qingfeng_platform::users::User;
use qingfeng_platform::web::{AppState, Ctx, render_with};
use qingfeng_platform::{AppError, registry};

use crate::PERM_IMPORT;
use crate::ingest::{self, Collect, Rejected, Summary};
use crate::model::ImportKind;
use crate::store::{self, ImportRecord};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/console/credit/imports", get(imports_page).post(upload))
        .merge(api::routes())
        .merge(public::routes())
        .merge(person::routes())
        .merge(quality::routes())
        .merge(lists::routes())
        .merge(staff::routes())
}

/// The 数据来源单位 a person may send for: department staff only their own
/// organisation's code; credit office and administrators any (`None`).
pub async fn own_department(st: &AppState, user: &User) -> Result<Option<String>, AppError> {
    let on_behalf = [Role::CreditOfficer, Role::CountyAdmin, Role::SystemAdmin].iter().any(|r| user.has_role(*r));
    if on_behalf {
        return Ok(None);
    }
    let org_id = user.org_id.ok_or_else(|| AppError::forbidden("credit.no_department", "您的账号未关联部门，不能报送信用信息"))?;
    let org = registry::org(&st.db, &Scope::everything(), org_id).await?;
    org.uscc
        .map(Some)
        .ok_or_else(|| AppError::forbidden("credit.no_department_code", format!("“{}”没有统一社会信用代码，不能报送信用信息", org.name)))
}

/// The import request of a person or token acting for `user`, through `door`; the
/// caller fills in the file's name, format and options.
pub async fn request(st: &AppState, user: &User, kind: ImportKind, door: &'static str, actor: Actor) -> Result<ingest::Request, AppError> {
    Ok(ingest::Request {
        county_code: user.county_code.clone(),
        kind,
        source_dept: None,
        file_name: String::new(),
        format: ingest::reader::Format::Csv,
        door,
        actor,
        lenient_uscc: false,
        today: st.clock.today(),
        market_regulation: ingest::market_regulation_departments(&st.db).await?,
        calendar: std::sync::Arc::new(st.calendar_now()),
        clock: st.clock.clone(),
    })
}

#[derive(Template)]
#[template(path = "credit_imports.html")]
struct ImportsPage<'a> {
    ctx: &'a Ctx,
    title: &'a str,
    imports: Vec<ImportRecord>,
    summary: Option<Summary>,
    rejected: Vec<Rejected>,
    error: Option<AppError>,
    department: Option<String>,
    /// Every kind a file can carry, for the selector.
    kinds: [ImportKind; 8],
}

async fn view(
    st: &AppState,
    ctx: &Ctx,
    summary: Option<Summary>,
    rejected: Vec<Rejected>,
    error: Option<AppError>,
) -> Result<Response, AppError> {
    let user = ctx.require(&PERM_IMPORT)?;
    let department = own_department(st, user).await;
    let (department, error) = match department {
        Ok(d) => (d, error),
        Err(e) => (None, error.or(Some(e))),
    };
    let imports = store::list_imports(&st.db, &user.county_code, department.as_deref(), 50).await?;
    let page = ImportsPage {
        ctx,
        title: ctx.pick("信用信息归集", "Credit data imports"),
        imports,
        summary,
        rejected,
        error,
        department,
        kinds: ImportKind::ALL,
    };
    render_with(&page, page.error.as_ref())
}

async fn imports_page(State(st): State<AppState>, ctx: Ctx) -> Result<Response, AppError> {
    view(&st, &ctx, None, Vec::new(), None).await
}

/// What the upload form sent.
struct Upload {
    csrf: String,
    kind: String,
    lenient: bool,
    file_name: String,
    bytes: Vec<u8>,
}

async fn read_form(mp: Multipart) -> Result<Upload, AppError> {
    let up = qingfeng_platform::web::upload::read(mp).await?;
    Ok(Upload {
        csrf: up.field("csrf").to_string(),
        kind: up.field("kind").to_string(),
        lenient: up.checked("lenient"),
        file_name: up.file_name,
        bytes: up.bytes,
    })
}

async fn upload(State(st): State<AppState>, ctx: Ctx, mp: Multipart) -> Result<Response, AppError> {
    let user = ctx.require(&PERM_IMPORT)?;
    let result = async {
        let up = read_form(mp).await?;
        ctx.check_csrf(&up.csrf)?;
        let kind = ImportKind::parse(&up.kind)
            .ok_or_else(|| AppError::bad_request("credit.kind", format!("请选择信息类别：{}", ImportKind::choices())))?;
        if up.bytes.is_empty() {
            return Err(AppError::bad_request("credit.file_empty", "请选择要上传的文件"));
        }
        if up.file_name.to_ascii_lowercase().ends_with(".xls") {
            return Err(AppError::bad_request(
                "import.xls_unsupported",
                "不支持旧版 Excel（.xls）文件，请在 Excel/WPS 中另存为 .xlsx 或 CSV（UTF-8 或 GBK）后上传",
            ));
        }
        let dept = own_department(&st, user).await?;
        // The extension, or the ZIP magic bytes of a workbook whatever its name.
        let format = ingest::reader::Format::detect(&up.file_name, &up.bytes);
        let actor = Actor::User { id: user.id, username: user.username.clone() };
        let req = ingest::Request {
            file_name: up.file_name.clone(),
            format,
            source_dept: dept,
            lenient_uscc: up.lenient,
            ..request(&st, user, kind, "upload", actor).await?
        };
        let mut sink = Collect { rows: Vec::new(), limit: 200 };
        let started = st.clock.now_ms();
        let sum = ingest::run(&st.db, &st.pii, &req, Box::new(std::io::Cursor::new(up.bytes)), &mut sink, &mut |_| {}).await?;
        crate::index::after_import(&st.db, &req.county_code, started, st.clock.now_ms()).await;
        Ok((sum, sink.rows))
    }
    .await;
    match result {
        Ok((sum, rejected)) => view(&st, &ctx, Some(sum), rejected, None).await,
        Err(e) => view(&st, &ctx, None, Vec::new(), Some(e)).await,
    }
}
