//! 页面与接口 The pages and API of the mediation module: the report form for a grid
//! worker's phone, the online application and tracking for citizens, the case list and
//! case page for mediators and staff, the tribunal's console, and the JSON API.

pub mod api;
pub mod cases;
pub mod exchange;
pub mod figures;
pub mod intake;
pub mod network;
pub mod public;

use axum::Router;
use qingfeng_core::HolidayCalendar;
use qingfeng_platform::web::AppState;
use qingfeng_platform::{AppError, Db};
use serde::Serialize;

use crate::rules::Rules;
use crate::workflow::Env;

pub fn routes() -> Router<AppState> {
    Router::new()
        .merge(intake::routes())
        .merge(cases::routes())
        .merge(public::routes())
        .merge(api::routes())
        .merge(exchange::routes())
        .merge(network::routes())
        .merge(figures::routes())
}

/// The working-day calendar as it stands now.
pub(crate) fn calendar(st: &AppState) -> HolidayCalendar {
    st.calendar_now()
}

pub(crate) fn env<'a>(st: &'a AppState, cal: &'a HolidayCalendar) -> Env<'a> {
    Env { db: &st.db, cal, rules: Rules::shipped(), now_ms: st.clock.now_ms() }
}

/// A township with its villages, for the place picker (grouped options, no JavaScript).
#[derive(Debug, Clone, Serialize)]
pub struct Township {
    pub code: String,
    pub name: String,
    pub villages: Vec<(String, String)>,
}

/// The townships and villages of the county, in code order.
pub(crate) async fn places(db: &Db, county: &str) -> Result<Vec<Township>, AppError> {
    #[derive(sqlx::FromRow)]
    struct D {
        code: String,
        name: String,
        level: String,
        parent_code: Option<String>,
    }
    let mut s = qingfeng_platform::sql::Sql::new(
        "SELECT code, name, level, parent_code FROM divisions WHERE level IN ('township', 'village') AND county_code = ",
    );
    s.bind(county).push(" ORDER BY code");
    let rows = s.fetch_all::<D>(db).await?;
    let mut out: Vec<Township> = Vec::new();
    for d in rows.iter().filter(|d| d.level == "township") {
        out.push(Township { code: d.code.clone(), name: d.name.clone(), villages: Vec::new() });
    }
    for d in rows.iter().filter(|d| d.level == "village") {
        if let Some(t) = out.iter_mut().find(|t| Some(&t.code) == d.parent_code.as_ref()) {
            t.villages.push((d.code.clone(), d.name.clone()));
        }
    }
    Ok(out)
}

/// A category for a select: key and name.
pub(crate) fn categories() -> Vec<(String, String)> {
    Rules::shipped().categories.iter().map(|c| (c.key.clone(), c.zh.clone())).collect()
}

pub(crate) fn parse_id(raw: &str) -> Result<i64, AppError> {
    raw.trim()
        .parse::<i64>()
        .ok()
        .filter(|n| *n > 0)
        .ok_or_else(|| AppError::not_found("mediation.case_not_found", format!("案件 {raw} 不存在")))
}
