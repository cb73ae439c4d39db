//! 错误 Errors at the HTTP edge: a status, a stable machine code and a Chinese message.
//!
//! Handlers of pages return `Result<_, AppError>` (rendered as a friendly HTML page);
//! handlers of the JSON API return `Result<_, ApiError>` (rendered as
//! `{"error":{"code":…,"message":…}}`). Both carry the same fields; bad input is a
//! 4xx with a code, never a 500.

use axum::Json;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::Serialize;

#[derive(Debug, Clone)]
pub struct AppError {
    pub status: StatusCode,
    /// Stable machine code, e.g. `auth.invalid_credentials`.
    pub code: &'static str,
    /// Message for a person, in Chinese.
    pub message: String,
}

impl AppError {
    pub fn new(status: StatusCode, code: &'static str, message: impl Into<String>) -> Self {
        AppError { status, code, message: message.into() }
    }
    pub fn bad_request(code: &'static str, message: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, code, message)
    }
    pub fn not_found(code: &'static str, message: impl Into<String>) -> Self {
        Self::new(StatusCode::NOT_FOUND, code, message)
    }
    pub fn forbidden(code: &'static str, message: impl Into<String>) -> Self {
        Self::new(StatusCode::FORBIDDEN, code, message)
    }
    pub fn unauthorized() -> Self {
        Self::new(StatusCode::UNAUTHORIZED, "auth.required", "请先登录")
    }
    pub fn conflict(code: &'static str, message: impl Into<String>) -> Self {
        Self::new(StatusCode::CONFLICT, code, message)
    }
    pub fn too_many(code: &'static str, message: impl Into<String>) -> Self {
        Self::new(StatusCode::TOO_MANY_REQUESTS, code, message)
    }
    pub fn unavailable(code: &'static str, message: impl Into<String>) -> Self {
        Self::new(StatusCode::SERVICE_UNAVAILABLE, code, message)
    }
    /// A fault of ours: logged in full, shown without detail.
    pub fn internal(err: impl std::fmt::Display) -> Self {
        tracing::error!(error = %err, "internal error");
        Self::new(StatusCode::INTERNAL_SERVER_ERROR, "internal", "服务器内部错误，请稍后再试")
    }
    pub fn csrf() -> Self {
        Self::new(StatusCode::FORBIDDEN, "csrf.invalid", "表单已过期或来源无效，请刷新页面后重试")
    }
}

impl std::fmt::Display for AppError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} {}: {}", self.status.as_u16(), self.code, self.message)
    }
}

impl std::error::Error for AppError {}

impl From<sqlx::Error> for AppError {
    fn from(e: sqlx::Error) -> Self {
        match e {
            sqlx::Error::PoolTimedOut => AppError::unavailable("db.busy", "系统繁忙，请稍后再试"),
            // Two people saving the same thing at once: the second is told, nothing is lost.
            e if crate::db::is_unique_violation(&e) => AppError::conflict("db.conflict", "数据已存在（可能是重复提交），请刷新后查看"),
            e => AppError::internal(e),
        }
    }
}

impl From<qingfeng_core::IdError> for AppError {
    fn from(e: qingfeng_core::IdError) -> Self {
        AppError::bad_request(e.code, e.message)
    }
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        crate::web::error_page(&self)
    }
}

/// An [`AppError`] rendered as JSON, for `/api/v1`.
#[derive(Debug)]
pub struct ApiError(pub AppError);

impl From<AppError> for ApiError {
    fn from(e: AppError) -> Self {
        ApiError(e)
    }
}

impl From<sqlx::Error> for ApiError {
    fn from(e: sqlx::Error) -> Self {
        ApiError(e.into())
    }
}

#[derive(Serialize)]
struct ErrorBody<'a> {
    error: ErrorFields<'a>,
}

#[derive(Serialize)]
struct ErrorFields<'a> {
    code: &'a str,
    message: &'a str,
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let body = ErrorBody { error: ErrorFields { code: self.0.code, message: &self.0.message } };
        (self.0.status, Json(body)).into_response()
    }
}
