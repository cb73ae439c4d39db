//! 页面与接口 The portal's pages (mobile-first, no JavaScript on the main paths) and
//! its JSON API.

pub mod api;
pub mod console;
pub mod desk;
pub mod home;
pub mod policies;

use axum::Router;
use qingfeng_platform::AppError;
use qingfeng_platform::web::AppState;
use serde::Deserialize;

use crate::index::{MAX_PAGE, MAX_QUERY_CHARS};
use crate::model::Level;

pub fn routes() -> Router<AppState> {
    Router::new()
        .merge(home::routes())
        .merge(policies::routes())
        .merge(api::routes())
        .merge(console::routes())
        .merge(desk::routes())
        .merge(crate::departments::web::routes())
        .merge(crate::services::web::routes())
        .merge(crate::tickets::web::routes())
        .merge(crate::ratings::web::routes())
        .merge(crate::content::web::routes())
        .merge(crate::content::console::routes())
        .merge(crate::exposure::web::routes())
        .merge(crate::surveys::web::routes())
        .merge(crate::search::web::routes())
        .merge(crate::lists::web::routes().merge(crate::lists::console::routes()).merge(crate::lists::api::routes()))
}

/// The query string of a policy search or listing, as typed (checked by [`Self::check`]
/// so that bad input gets our Chinese message, not the framework's).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct PolicyQuery {
    pub q: String,
    pub page: String,
    pub level: String,
}

/// A [`PolicyQuery`] after checking.
#[derive(Debug, Clone)]
pub struct Checked {
    pub q: String,
    pub page: usize,
    pub level: Option<Level>,
}

impl PolicyQuery {
    pub fn check(&self) -> Result<Checked, AppError> {
        let q = self.q.split_whitespace().collect::<Vec<_>>().join(" ");
        if q.chars().count() > MAX_QUERY_CHARS {
            return Err(AppError::bad_request("portal.query_too_long", format!("搜索内容不能超过 {MAX_QUERY_CHARS} 个字，请精简后再试")));
        }
        let page = match self.page.trim() {
            "" => 1,
            raw => raw
                .parse::<usize>()
                .ok()
                .filter(|p| (1..=MAX_PAGE).contains(p))
                .ok_or_else(|| AppError::bad_request("portal.bad_page", format!("页码应为 1 到 {MAX_PAGE} 之间的整数")))?,
        };
        let level = match self.level.trim() {
            "" | "all" => None,
            raw => {
                Some(Level::from_key(raw).ok_or_else(|| AppError::bad_request("portal.bad_level", "层级应为 national、henan 或 puyang"))?)
            }
        };
        Ok(Checked { q, page, level })
    }
}

pub(crate) fn parse_policy_id(raw: &str) -> Result<i64, AppError> {
    raw.trim().parse::<i64>().ok().filter(|n| *n > 0).ok_or_else(|| policy_not_found(raw))
}

pub(crate) fn policy_not_found(raw: &str) -> AppError {
    let shown: String = raw.chars().take(20).collect();
    AppError::not_found("portal.policy_not_found", format!("政策 {shown} 不存在"))
}
