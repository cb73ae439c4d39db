//! 直通车首页 The portal home: one search box and the 13 modules as large tiles.

use askama::Template;
use axum::Router;
use axum::response::Response;
use axum::routing::get;
use qingfeng_platform::AppError;
use qingfeng_platform::web::{AppState, Ctx, render_with};

use crate::model::{MODULES, PortalModule};

pub fn routes() -> Router<AppState> {
    Router::new().route("/portal", get(home))
}

#[derive(Template)]
#[template(path = "portal_home.html")]
struct Home<'a> {
    ctx: &'a Ctx,
    title: &'a str,
    modules: &'static [PortalModule],
}

/// The home. Its search box goes to the cross-content search (`/portal/search`), which
/// covers every kind of portal content in the shared index.
async fn home(ctx: Ctx) -> Result<Response, AppError> {
    render_with(&Home { ctx: &ctx, title: ctx.pick("营商环境直通车", "Business express"), modules: MODULES }, None)
}
