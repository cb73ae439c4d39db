//! 页面与接口 The pages and API of the mediation module.

pub mod figures;

use axum::Router;
use qingfeng_platform::web::AppState;

pub fn routes() -> Router<AppState> {
    Router::new().merge(figures::routes())
}
