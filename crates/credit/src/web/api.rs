//! 推送接口 The push API for department systems (API token with `credit.import`):
//! `POST /api/v1/credit/records?kind=cf` with a JSON array of records keyed by field
//! code (or JSON lines), answered with the counts and every rejected row's reasons.
//! `kind` is any kind of [`ImportKind`]: the 双公示 kinds, `commitment`, `tax_a`, and the
//! lists (`red`, `black`, `dishonest_debtor`, `abnormal`), which become list entries.

use axum::body::Bytes;
use axum::extract::State;
use axum::routing::{get, post};
use axum::{Json, Router};
use qingfeng_platform::audit::Actor;
use qingfeng_platform::web::api::Caller;
use qingfeng_platform::web::{ApiQuery, AppState};
use qingfeng_platform::{ApiError, AppError};
use serde::{Deserialize, Serialize};

use crate::PERM_IMPORT;
use crate::ingest::{self, Collect, Summary};
use crate::model::ImportKind;
use crate::store::{self, ImportRecord};

pub fn routes() -> Router<AppState> {
    Router::new().route("/api/v1/credit/records", post(push)).route("/api/v1/credit/imports", get(imports))
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct PushQuery {
    kind: String,
    lenient: String,
}

#[derive(Serialize)]
struct RejectedOut {
    line: u64,
    errors: Vec<ErrorOut>,
}

#[derive(Serialize)]
struct ErrorOut {
    field: String,
    code: &'static str,
    message: String,
}

#[derive(Serialize)]
struct PushAnswer {
    #[serde(flatten)]
    summary: Summary,
    rejects: Vec<RejectedOut>,
}

/// Up to this many records per call; larger sets go in several calls.
const MAX_RECORDS: usize = 50_000;

async fn push(
    State(st): State<AppState>,
    caller: Caller,
    ApiQuery(q): ApiQuery<PushQuery>,
    body: Bytes,
) -> Result<Json<PushAnswer>, ApiError> {
    let user = caller.require(&PERM_IMPORT)?;
    let kind = ImportKind::parse(&q.kind)
        .ok_or_else(|| AppError::bad_request("credit.kind", format!("参数 kind 须为 {}", ImportKind::choices())))?;
    // A JSON array becomes JSON lines; JSON lines pass through.
    let text = std::str::from_utf8(&body).map_err(|_| AppError::bad_request("request.encoding", "请求体须为 UTF-8 编码的 JSON"))?;
    let lines: String = if text.trim_start().starts_with('[') {
        let items: Vec<serde_json::Value> =
            serde_json::from_str(text).map_err(|e| AppError::bad_request("request.json", format!("JSON 格式错误：{e}")))?;
        if items.len() > MAX_RECORDS {
            return Err(AppError::bad_request("credit.too_many", format!("一次最多推送 {MAX_RECORDS} 条，请分批推送")).into());
        }
        items.iter().map(|v| v.to_string()).collect::<Vec<_>>().join("\n")
    } else {
        text.to_string()
    };
    if lines.trim().is_empty() {
        return Err(AppError::bad_request("credit.empty", "请求体中没有记录").into());
    }
    let dept = super::own_department(&st, user).await?;
    let actor = match &caller {
        Caller::Token(t) => Actor::Token { id: t.token_id, user_id: user.id },
        Caller::Session(u) => Actor::User { id: u.id, username: u.username.clone() },
    };
    let req = ingest::Request {
        file_name: "api".into(),
        format: ingest::reader::Format::JsonLines,
        source_dept: dept,
        lenient_uscc: q.lenient == "1",
        ..super::request(&st, user, kind, "api", actor).await?
    };
    let mut sink = Collect { rows: Vec::new(), limit: MAX_RECORDS };
    let started = st.clock.now_ms();
    let summary = ingest::run(&st.db, &st.pii, &req, Box::new(std::io::Cursor::new(lines.into_bytes())), &mut sink, &mut |_| {}).await?;
    crate::index::after_import(&st.db, &req.county_code, started, st.clock.now_ms()).await;
    let rejects = sink
        .rows
        .into_iter()
        .map(|r| RejectedOut {
            line: r.line,
            errors: r.errors.into_iter().map(|(field, code, message)| ErrorOut { field, code, message }).collect(),
        })
        .collect();
    Ok(Json(PushAnswer { summary, rejects }))
}

async fn imports(State(st): State<AppState>, caller: Caller) -> Result<Json<Vec<ImportRecord>>, ApiError> {
    let user = caller.require(&PERM_IMPORT)?;
    let dept = super::own_department(&st, user).await?;
    Ok(Json(store::list_imports(&st.db, &user.county_code, dept.as_deref(), 100).await?))
}
