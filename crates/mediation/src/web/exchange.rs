//! 平台对接接口 The inbound side of the exchange (`docs/exchange.md`):
//! `POST /api/v1/mediation/inbound/{source}` with `source` = `zongzhi` (县综治平台 pushes
//! new disputes) or `court` (法院调解平台 pushes the court's decisions).
//!
//! Two locks on the door: an API token holding [`PERM_EXCHANGE`], and a body signed with
//! the secret configured for that platform, as the outbox signs what we send
//! (`X-Qingfeng-Timestamp` within ±5 minutes, `X-Qingfeng-Signature`). Each
//! `X-Qingfeng-Idempotency-Key` is processed once.

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::routing::post;
use axum::{Json, Router};
use qingfeng_platform::web::AppState;
use qingfeng_platform::web::api::Caller;
use qingfeng_platform::{ApiError, AppError};

use crate::PERM_EXCHANGE;
use crate::exchange::{self, Receipt, Source};
use crate::rules::Rules;
use crate::workflow::Env;

pub fn routes() -> Router<AppState> {
    Router::new().route("/api/v1/mediation/inbound/{source}", post(inbound))
}

/// 接收推送 One message from an outside platform; answered with the case it concerns.
async fn inbound(
    State(st): State<AppState>,
    caller: Caller,
    Path(source): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Json<Receipt>, ApiError> {
    let user = caller.require(&PERM_EXCHANGE)?;
    if !matches!(caller, Caller::Token(_)) {
        return Err(AppError::new(
            StatusCode::UNAUTHORIZED,
            "mediation.inbound_token",
            "平台对接须使用接口令牌（Authorization: Bearer <令牌>）",
        )
        .into());
    }
    let source = Source::parse(&source).ok_or_else(|| {
        AppError::not_found(
            "mediation.inbound_source",
            format!("未知的来源平台“{source}”：须为 zongzhi（县综治平台）或 court（法院调解平台）"),
        )
    })?;
    let secret = match source {
        Source::Zongzhi => &st.cfg.mediation_zongzhi_secret,
        Source::Court => &st.cfg.mediation_court_secret,
    };
    if secret.is_empty() {
        return Err(AppError::forbidden(
            "mediation.inbound_disabled",
            format!("尚未配置与{}的共享密钥（{}），暂不接收该平台的推送", source.zh(), source.secret_setting()),
        )
        .into());
    }
    if body.len() > exchange::MAX_INBOUND_BYTES {
        return Err(AppError::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            "mediation.inbound_too_large",
            format!("消息不能超过 {} KiB", exchange::MAX_INBOUND_BYTES / 1024),
        )
        .into());
    }
    let header = |name: &str| headers.get(name).and_then(|v| v.to_str().ok()).map(str::trim).filter(|v| !v.is_empty());
    exchange::check_signature(
        secret,
        header(exchange::HEADER_TIMESTAMP),
        header(exchange::HEADER_SIGNATURE),
        &body,
        st.clock.now().timestamp(),
    )?;
    let key = header(exchange::HEADER_KEY).unwrap_or_default();
    let calendar = st.calendar_now();
    let env = Env { db: &st.db, cal: &calendar, rules: Rules::shipped(), now_ms: st.clock.now_ms() };
    Ok(Json(exchange::receive(env, &st.pii, &user.county_code, source, key, &body).await?))
}
