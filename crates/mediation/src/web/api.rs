//! 接口 The JSON API of the mediation module: the case list (same filters and paging as
//! the page, same visibility) and one case.

use axum::extract::{Path, State};
use axum::routing::get;
use axum::{Json, Router};
use qingfeng_platform::ApiError;
use qingfeng_platform::listing::Page;
use qingfeng_platform::web::api::Caller;
use qingfeng_platform::web::{ApiQuery, AppState};
use serde::Serialize;

use super::cases::CasesQuery;
use super::parse_id;
use crate::PERM_CASES;
use crate::store::{self, Case, Party};

pub fn routes() -> Router<AppState> {
    Router::new().route("/api/v1/mediation/cases", get(list)).route("/api/v1/mediation/cases/{id}", get(one))
}

/// A case in the API: the stored case with its state in Chinese.
#[derive(Serialize)]
struct CaseJson {
    #[serde(flatten)]
    case: Case,
    state_zh: &'static str,
    category_zh: String,
}

impl From<Case> for CaseJson {
    fn from(case: Case) -> Self {
        CaseJson { state_zh: case.state_zh(), category_zh: case.category_zh(), case }
    }
}

async fn list(State(st): State<AppState>, caller: Caller, ApiQuery(q): ApiQuery<CasesQuery>) -> Result<Json<Page<CaseJson>>, ApiError> {
    let me = caller.require(&PERM_CASES)?;
    let params = q.params()?;
    let filter = q.filter(st.clock.now_ms())?;
    let page = store::list_cases(&st.db, me, &filter, &params).await?;
    Ok(Json(Page {
        items: page.items.into_iter().map(CaseJson::from).collect(),
        total: page.total,
        page: page.page,
        per_page: page.per_page,
    }))
}

#[derive(Serialize)]
struct OneJson {
    #[serde(flatten)]
    case: CaseJson,
    parties: Vec<Party>,
}

async fn one(State(st): State<AppState>, caller: Caller, Path(id): Path<String>) -> Result<Json<OneJson>, ApiError> {
    let me = caller.require(&PERM_CASES)?;
    let case = store::visible_case(&st.db, me, parse_id(&id)?).await?;
    let parties = store::parties(&st.db, case.id).await?;
    Ok(Json(OneJson { case: case.into(), parties }))
}
