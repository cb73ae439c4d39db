//! 信用主体查询（工作人员） Authorised staff look a subject up by USCC or resident ID and
//! see every record, in publicity or not, with its window, and every list entry.

use askama::Template;
use axum::Router;
use axum::extract::State;

use axum::routing::get;
use qingfeng_platform::AppError;
use qingfeng_platform::web::{AppState, Ctx, Query};
use serde::Deserialize;

use super::lists::{key_of, parse_code};
use crate::PERM_READ_ALL;
use crate::store::{self, ListEntry, PublicRecord};

pub fn routes() -> Router<AppState> {
    Router::new().route("/console/credit/subjects", get(page))
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct Lookup {
    code: String,
}

/// What was found.
pub struct Found {
    pub shown_code: String,
    pub name: String,
    pub kind: String,
    pub records: Vec<PublicRecord>,
    pub lists: Vec<ListEntry>,
}

#[derive(Template)]
#[template(path = "credit_staff.html")]
struct Page<'a> {
    ctx: &'a Ctx,
    title: &'a str,
    code: String,
    found: Option<Found>,
    error: Option<AppError>,
}

async fn page(State(st): State<AppState>, ctx: Ctx, Query(q): Query<Lookup>) -> Result<axum::response::Response, AppError> {
    let user = ctx.require(&PERM_READ_ALL)?;
    let code: String = q.code.trim().chars().take(40).collect();
    let result = async {
        if code.is_empty() {
            return Ok(None);
        }
        let (shown, key) = key_of(&parse_code(&code)?, &user.county_code, &st.pii);
        let Some((id, kind, name)) = store::subject_by_key(&st.db, &user.county_code, key).await? else {
            return Err(AppError::not_found("credit.subject_not_found", format!("没有代码为 {shown} 的信用主体")));
        };
        let records = store::records_of(&st.db, id, false).await?;
        let lists = store::all_list_entries(&st.db, id).await?;
        let kind = crate::model::SubjectKind::from_key(&kind).map(|k| k.zh().to_string()).unwrap_or(kind);
        Ok(Some(Found { shown_code: shown, name, kind, records, lists }))
    }
    .await;
    let (found, error) = match result {
        Ok(f) => (f, None),
        Err(e) => (None, Some(e)),
    };
    let page = Page { ctx: &ctx, title: ctx.pick("信用主体查询", "Credit subjects"), code, found, error };
    qingfeng_platform::web::render_with(&page, page.error.as_ref())
}
