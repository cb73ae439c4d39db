//! 清单管理 The staff side of the three lists: import a file (upload with CSRF) as a new
//! version, see what each import did (read = accepted + rejected, every rejected row with
//! its line, column and reason) and download its rejects as CSV, switch the current
//! version, add a power type, and keep a negative-list item's checker tags. Department
//! staff may look ([`PERM_LISTS_VIEW`]); the county office changes ([`PERM_LISTS`]). Every
//! change goes to the audit chain.

use askama::Template;
use axum::Router;
use axum::extract::{Multipart, Path, State};
use axum::http::header;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use qingfeng_platform::AppError;
use qingfeng_platform::audit::{self, Change};
use qingfeng_platform::web::console::actor_of;
use qingfeng_platform::web::{AppState, Ctx, Form, render_with, upload};
use serde::Deserialize;

use super::import::{self, Meta, Reject};
use super::store::{self, ImportRecord, NegativeItem, Version};
use super::web::{not_found, parse_id};
use super::{ListKind, index, negative, normalize_tags};
use crate::{PERM_LISTS, PERM_LISTS_VIEW};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/console/portal/lists", get(overview))
        .route("/console/portal/lists/import", post(upload))
        .route("/console/portal/lists/imports/{id}", get(one_import))
        .route("/console/portal/lists/imports/{id}/rejects.csv", get(rejects_csv))
        .route("/console/portal/lists/versions/{id}/current", post(set_current))
        .route("/console/portal/lists/power-types", post(add_power_type))
        .route("/console/portal/negative-list/items/{id}", get(item).post(save_item))
}

/// A kind with its versions, for the overview.
struct KindVersions {
    kind: ListKind,
    versions: Vec<Version>,
}

#[derive(Template)]
#[template(path = "lists_console.html")]
struct Overview<'a> {
    ctx: &'a Ctx,
    title: &'a str,
    kinds: Vec<KindVersions>,
    imports: Vec<ImportRecord>,
    power_types: Vec<String>,
    editions: &'static [negative::Edition],
    can_change: bool,
    error: Option<AppError>,
}

async fn overview_page(st: &AppState, ctx: &Ctx, error: Option<AppError>) -> Result<Response, AppError> {
    let county = &st.cfg.county_code;
    let mut kinds = Vec::new();
    for kind in ListKind::ALL {
        kinds.push(KindVersions { kind, versions: store::versions(&st.db, county, kind).await? });
    }
    let page = Overview {
        ctx,
        title: ctx.pick("清单管理", "Published lists"),
        kinds,
        imports: store::imports(&st.db, county, 20).await?,
        power_types: store::power_types(&st.db).await?,
        editions: negative::EDITIONS,
        can_change: ctx.user().is_some_and(|u| u.can(&PERM_LISTS)),
        error,
    };
    render_with(&page, page.error.as_ref())
}

async fn overview(State(st): State<AppState>, ctx: Ctx) -> Result<Response, AppError> {
    ctx.require(&PERM_LISTS_VIEW)?;
    overview_page(&st, &ctx, None).await
}

/// The kind of a form or CLI argument.
pub fn parse_kind(raw: &str) -> Result<ListKind, AppError> {
    ListKind::from_key(raw).ok_or_else(|| {
        AppError::bad_request("portal.list_kind", "请选择清单类别：negative（负面清单）、powers（权责清单）或 fees（收费清单）")
    })
}

/// The metadata staff gave: a known edition fills the negative list's facts; typed fields
/// override.
pub fn meta_from(
    kind: ListKind,
    edition: &str,
    title: &str,
    doc_number: &str,
    official_count: &str,
    source: &str,
) -> Result<Meta, AppError> {
    let mut meta = match (kind, edition.trim()) {
        (ListKind::Negative, e) if !e.is_empty() => Meta::edition(e).ok_or_else(|| {
            AppError::bad_request(
                "portal.list_edition",
                format!("没有“{}”版负面清单的资料，请填写版本名称与文号", e.chars().take(10).collect::<String>()),
            )
        })?,
        _ => Meta::default(),
    };
    for (field, v) in [(&mut meta.title, title), (&mut meta.doc_number, doc_number), (&mut meta.source, source)] {
        if !v.trim().is_empty() {
            *field = v.to_string();
        }
    }
    if !official_count.trim().is_empty() {
        meta.official_count =
            Some(official_count.trim().parse::<i64>().map_err(|_| AppError::bad_request("portal.list_meta", "官方文本事项数应为整数"))?);
    }
    Ok(meta)
}

async fn upload(State(st): State<AppState>, ctx: Ctx, mp: Multipart) -> Result<Response, AppError> {
    let user = ctx.require(&PERM_LISTS)?;
    let result = async {
        let up = upload::read(mp).await?;
        ctx.check_csrf(up.field("csrf"))?;
        let kind = parse_kind(up.field("kind"))?;
        if up.bytes.is_empty() {
            return Err(AppError::bad_request("portal.list_file_empty", "请选择要导入的文件（CSV 或 .xlsx）"));
        }
        let mut meta = meta_from(
            kind,
            up.field("edition"),
            up.field("title"),
            up.field("doc_number"),
            up.field("official_count"),
            up.field("source"),
        )?;
        meta.make_current = up.checked("make_current");
        let sum = import::run(
            &st.db,
            &st.cfg.county_code,
            kind,
            &up.file_name,
            Box::new(std::io::Cursor::new(up.bytes)),
            meta,
            &actor_of(user),
            st.clock.now_ms(),
        )
        .await?;
        if sum.version_id.is_some() {
            index::refresh(&st.db, &st.search).await;
        }
        Ok(sum)
    }
    .await;
    match result {
        Ok(sum) => Ok(Redirect::to(&format!("/console/portal/lists/imports/{}", sum.import_id)).into_response()),
        Err(e) => overview_page(&st, &ctx, Some(e)).await,
    }
}

#[derive(Template)]
#[template(path = "lists_console_import.html")]
struct ImportPage<'a> {
    ctx: &'a Ctx,
    title: &'a str,
    record: ImportRecord,
    rejects: Vec<Reject>,
    shown: usize,
}

async fn import_of(st: &AppState, raw: &str) -> Result<ImportRecord, AppError> {
    let id = parse_id(raw, "portal.import_not_found", "导入记录")?;
    store::import_record(&st.db, id)
        .await?
        .filter(|r| r.county_code == st.cfg.county_code)
        .ok_or_else(|| not_found(raw, "portal.import_not_found", "导入记录"))
}

async fn one_import(State(st): State<AppState>, ctx: Ctx, Path(raw): Path<String>) -> Result<Response, AppError> {
    ctx.require(&PERM_LISTS_VIEW)?;
    let record = import_of(&st, &raw).await?;
    let mut rejects = store::rejects(&st.db, record.id).await?;
    let shown = rejects.len().min(import::SHOWN_REJECTS);
    rejects.truncate(shown);
    render_with(&ImportPage { ctx: &ctx, title: ctx.pick("导入结果", "Import result"), record, rejects, shown }, None)
}

async fn rejects_csv(State(st): State<AppState>, ctx: Ctx, Path(raw): Path<String>) -> Result<Response, AppError> {
    ctx.require(&PERM_LISTS_VIEW)?;
    let record = import_of(&st, &raw).await?;
    let rejects = store::rejects(&st.db, record.id).await?;
    let body = import::rejects_csv(&record.header, &rejects)?;
    let name = format!("attachment; filename=\"list-import-{}-rejects.csv\"", record.id);
    Ok(([(header::CONTENT_TYPE, "text/csv; charset=utf-8".to_string()), (header::CONTENT_DISPOSITION, name)], body).into_response())
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
struct CsrfForm {
    csrf: String,
    name: String,
    keywords: String,
}

/// Write a staff change to the audit chain inside `tx`.
async fn record(
    tx: &mut qingfeng_platform::db::Tx,
    now_ms: i64,
    me: &qingfeng_platform::users::User,
    action: &str,
    entity: &str,
    entity_id: &str,
    detail: serde_json::Value,
) -> Result<(), sqlx::Error> {
    let change = Change { county_code: &me.county_code, actor: &actor_of(me), action, entity, entity_id, detail };
    audit::append(tx, now_ms, &change).await.map(|_| ())
}

/// 设为现行版本
async fn set_current(State(st): State<AppState>, ctx: Ctx, Path(raw): Path<String>, Form(f): Form<CsrfForm>) -> Result<Response, AppError> {
    let me = ctx.require(&PERM_LISTS)?;
    ctx.check_csrf(&f.csrf)?;
    let missing = || not_found(&raw, "portal.version_not_found", "版本");
    let id = parse_id(&raw, "portal.version_not_found", "版本")?;
    let v = store::version(&st.db, id).await?.filter(|v| v.county_code == st.cfg.county_code).ok_or_else(missing)?;
    let kind = ListKind::from_key(&v.kind).ok_or_else(missing)?;
    let now = st.clock.now_ms();
    let mut tx = st.db.begin().await?;
    store::make_current(&mut tx, &v.county_code, kind, id).await?;
    record(
        &mut tx,
        now,
        me,
        "portal.list_current",
        "portal_list_version",
        &id.to_string(),
        serde_json::json!({"kind": kind.key(), "title": v.title}),
    )
    .await?;
    tx.commit().await?;
    index::refresh(&st.db, &st.search).await;
    Ok(Redirect::to("/console/portal/lists?switched=1").into_response())
}

/// 新增权力类型
async fn add_power_type(State(st): State<AppState>, ctx: Ctx, Form(f): Form<CsrfForm>) -> Result<Response, AppError> {
    let me = ctx.require(&PERM_LISTS)?;
    ctx.check_csrf(&f.csrf)?;
    let name: String = f.name.chars().filter(|c| !c.is_whitespace()).collect();
    let problem = if name.is_empty() {
        Some("请填写权力类型名称，如：行政征用")
    } else if name.chars().count() > 20 {
        Some("权力类型名称不能超过 20 个字")
    } else {
        None
    };
    if let Some(p) = problem {
        return overview_page(&st, &ctx, Some(AppError::bad_request("portal.power_type", p))).await;
    }
    let mut tx = st.db.begin().await?;
    if store::add_power_type(&mut tx, &name).await? {
        record(&mut tx, st.clock.now_ms(), me, "portal.power_type_add", "portal_power_type", &name, serde_json::json!({"name": name}))
            .await?;
    }
    tx.commit().await?;
    Ok(Redirect::to("/console/portal/lists").into_response())
}

#[derive(Template)]
#[template(path = "lists_console_item.html")]
struct ItemPage<'a> {
    ctx: &'a Ctx,
    title: &'a str,
    item: NegativeItem,
    keywords: String,
    can_change: bool,
    error: Option<AppError>,
}

async fn item_of(st: &AppState, raw: &str) -> Result<NegativeItem, AppError> {
    let missing = || not_found(raw, "portal.negative_item_not_found", "清单事项");
    let id = parse_id(raw, "portal.negative_item_not_found", "清单事项")?;
    let item = store::negative_item(&st.db, id).await?.ok_or_else(missing)?;
    store::version(&st.db, item.version_id).await?.filter(|v| v.county_code == st.cfg.county_code).ok_or_else(missing)?;
    Ok(item)
}

async fn item(State(st): State<AppState>, ctx: Ctx, Path(raw): Path<String>) -> Result<Response, AppError> {
    let user = ctx.require(&PERM_LISTS_VIEW)?;
    let item = item_of(&st, &raw).await?;
    let keywords = item.tag_list().join("、");
    render_with(
        &ItemPage {
            ctx: &ctx,
            title: ctx.pick("检索标签", "Checker tags"),
            item,
            keywords,
            can_change: user.can(&PERM_LISTS),
            error: None,
        },
        None,
    )
}

/// Longest tags text, in characters.
const MAX_KEYWORDS_CHARS: usize = 500;

async fn save_item(State(st): State<AppState>, ctx: Ctx, Path(raw): Path<String>, Form(f): Form<CsrfForm>) -> Result<Response, AppError> {
    let me = ctx.require(&PERM_LISTS)?;
    ctx.check_csrf(&f.csrf)?;
    let item = item_of(&st, &raw).await?;
    if f.keywords.chars().count() > MAX_KEYWORDS_CHARS {
        let e = AppError::bad_request("portal.keywords", format!("关键词/行业不能超过 {MAX_KEYWORDS_CHARS} 个字"));
        let page = ItemPage {
            ctx: &ctx,
            title: ctx.pick("检索标签", "Checker tags"),
            keywords: f.keywords,
            item,
            can_change: true,
            error: Some(e),
        };
        return render_with(&page, page.error.as_ref());
    }
    let keywords = normalize_tags(&f.keywords);
    let mut tx = st.db.begin().await?;
    store::set_keywords(&mut tx, item.id, &keywords).await?;
    record(
        &mut tx,
        st.clock.now_ms(),
        me,
        "portal.negative_keywords",
        "portal_negative_item",
        &item.id.to_string(),
        serde_json::json!({"old": item.keywords, "new": keywords}),
    )
    .await?;
    tx.commit().await?;
    index::refresh(&st.db, &st.search).await;
    Ok(Redirect::to(&format!("/console/portal/negative-list/items/{}?saved=1", item.id)).into_response())
}
