//! 接口 The lists' JSON API, public (the lists are published):
//! - `GET /api/v1/portal/negative-list/check?q=` — the checker's answer: `verdict`
//!   (`prohibited` | `needs_permit` | `not_listed`), `verdict_zh`, the `edition` that
//!   answered, the deciding `items`, `explanation` and `caveat`. An empty, too short or too
//!   long question is a 400 with a code (`portal.question_*`).
//! - `GET /api/v1/portal/powers?department=&type=&q=&page=&per_page=` — a page of the
//!   current powers list (`items`, `total`, `page`, `per_page`, `version`).
//! - `GET /api/v1/portal/fees` — the current fees list grouped by department, with the
//!   rule 「清单之外一律不得收费」 and the complaint links.

use axum::extract::State;
use axum::routing::get;
use axum::{Json, Router};
use qingfeng_platform::web::{ApiQuery, AppState};
use qingfeng_platform::{ApiError, AppError};
use serde::Serialize;

use super::store::{Power, Version};
use super::web::{self, Answer, CheckQuery, FeeGroup, PowersQuery, check_question, report_href};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/api/v1/portal/negative-list/check", get(check))
        .route("/api/v1/portal/powers", get(powers))
        .route("/api/v1/portal/fees", get(fees))
}

async fn check(State(st): State<AppState>, ApiQuery(raw): ApiQuery<CheckQuery>) -> Result<Json<Answer>, ApiError> {
    let q = check_question(&raw.q)?.ok_or_else(|| {
        AppError::bad_request("portal.question_empty", "请输入要查询的行业或经营内容（参数 q），例如：网吧、餐饮、小额贷款")
    })?;
    Ok(Json(web::answer(&st, &q).await?))
}

#[derive(Serialize)]
struct PowerJson {
    #[serde(flatten)]
    power: Power,
    href: String,
}

#[derive(Serialize)]
struct PowersAnswer {
    version: Option<Version>,
    total: i64,
    page: i64,
    per_page: i64,
    items: Vec<PowerJson>,
}

async fn powers(State(st): State<AppState>, ApiQuery(raw): ApiQuery<PowersQuery>) -> Result<Json<PowersAnswer>, ApiError> {
    let v = web::powers_view(&st, &raw).await?;
    Ok(Json(PowersAnswer {
        version: v.version,
        total: v.page.total,
        page: v.page.page,
        per_page: v.page.per_page,
        items: v.page.items.into_iter().map(|p| PowerJson { href: format!("/portal/powers/{}", p.id), power: p }).collect(),
    }))
}

#[derive(Serialize)]
struct FeesAnswer {
    rule: &'static str,
    /// The complaint form for a fee not on the list.
    report_off_list: String,
    version: Option<Version>,
    departments: Vec<FeeGroup>,
}

async fn fees(State(st): State<AppState>) -> Result<Json<FeesAnswer>, ApiError> {
    let (version, departments) = web::fee_groups(&st).await?;
    Ok(Json(FeesAnswer { rule: "清单之外一律不得收费", report_off_list: report_href(0), version, departments }))
}
