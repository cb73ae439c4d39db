//! 页面与接口 The pages and API of the mediation module.

pub mod exchange;

use axum::Router;
use qingfeng_platform::web::AppState;

pub fn routes() -> Router<AppState> {
    Router::new().merge(exchange::routes())
}
