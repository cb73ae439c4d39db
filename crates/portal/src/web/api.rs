//! 接口 The portal's JSON API: `GET /api/v1/portal/policies?q=&page=&level=` — article
//! hits (`total`, `page`, `per_page`, `items` with `snippet` as plain text and
//! `snippet_html` escaped with the matched words in `<mark>`) when `q` is given; else
//! every policy, or those of `level` (`national`, `henan`, `puyang`; ignored by a
//! search). Public, no token needed: the library is published law.

use axum::extract::State;
use axum::routing::get;
use axum::{Json, Router};
use qingfeng_platform::ApiError;
use qingfeng_platform::web::{ApiQuery, AppState};
use serde::Serialize;

use super::PolicyQuery;
use crate::index::{self, ArticleHits};
use crate::store::{self, Policy};

pub fn routes() -> Router<AppState> {
    Router::new().route("/api/v1/portal/policies", get(policies))
}

#[derive(Serialize)]
#[serde(untagged)]
enum Answer {
    Hits(ArticleHits),
    Policies { items: Vec<PolicyJson>, total: usize },
}

#[derive(Serialize)]
struct PolicyJson {
    #[serde(flatten)]
    policy: Policy,
    level_zh: &'static str,
    status_zh: &'static str,
    href: String,
}

async fn policies(State(st): State<AppState>, ApiQuery(raw): ApiQuery<PolicyQuery>) -> Result<Json<Answer>, ApiError> {
    let c = raw.check()?;
    if c.q.is_empty() {
        let items: Vec<PolicyJson> = store::list(&st.db, c.level)
            .await?
            .into_iter()
            .map(|p| PolicyJson {
                level_zh: p.level_zh(),
                status_zh: p.status().zh(),
                href: format!("/portal/policies/{}", p.id),
                policy: p,
            })
            .collect();
        return Ok(Json(Answer::Policies { total: items.len(), items }));
    }
    Ok(Json(Answer::Hits(index::search(&st.search, &c.q, c.page)?)))
}
