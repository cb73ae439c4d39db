//! 信用主体查询（工作人员） Authorised staff find a subject by any part of its name or a
//! former name (the shared search index, natural persons included), by USCC or by
//! resident ID, and see every record, in publicity or not, with its window, and every
//! list entry. Person IDs never appear in addresses: a hit links by subject id.

use askama::Template;
use axum::Router;
use axum::extract::State;

use axum::routing::get;
use qingfeng_platform::AppError;
use qingfeng_platform::web::{AppState, Ctx, Query};
use serde::Deserialize;

use super::lists::{key_of, parse_code};
use crate::PERM_READ_ALL;
use crate::store::lookup;
use crate::store::{self, ListEntry, PublicRecord};

fn not_found() -> AppError {
    AppError::not_found("credit.subject_not_found", "没有该信用主体")
}

/// Text that is meant as a code (a USCC or an ID number: ASCII letters and digits, 15+
/// characters) rather than words of a name.
fn looks_like_code(s: &str) -> bool {
    s.len() >= 15 && s.chars().all(|c| c.is_ascii_alphanumeric())
}

pub fn routes() -> Router<AppState> {
    Router::new().route("/console/credit/subjects", get(page))
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct Lookup {
    /// A USCC, a resident ID number, or words of a name.
    code: String,
    /// A subject chosen from the hits.
    id: String,
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
    hits: Vec<crate::index::Found>,
    error: Option<AppError>,
}

/// What a staff lookup answered: one subject, or hits to choose from.
enum Answer {
    Nothing,
    One(i64, String),
    Hits(Vec<crate::index::Found>),
}

async fn page(State(st): State<AppState>, ctx: Ctx, Query(q): Query<Lookup>) -> Result<axum::response::Response, AppError> {
    let user = ctx.require(&PERM_READ_ALL)?;
    let code: String = q.code.trim().chars().take(40).collect();
    let county = &user.county_code;
    let result = async {
        let answer = if let Ok(id) = q.id.trim().parse::<i64>() {
            let card = lookup::card(&st.db, county, id).await?.ok_or_else(not_found)?;
            let shown = match &card.uscc {
                Some(u) => u.clone(),
                None => crate::index::masked_id(&st.pii, card.id_enc.as_deref()),
            };
            Answer::One(card.id, shown)
        } else if code.is_empty() {
            Answer::Nothing
        } else if looks_like_code(&code) {
            let (shown, key) = key_of(&parse_code(&code)?, county, &st.pii);
            let (id, _, _) = store::subject_by_key(&st.db, county, key)
                .await?
                .ok_or_else(|| AppError::not_found("credit.subject_not_found", format!("没有代码为 {shown} 的信用主体")))?;
            Answer::One(id, shown)
        } else {
            let today = st.clock.today().to_string();
            let hits = crate::index::search(&st.db, &st.search, &st.pii, county, &code, crate::index::Audience::Staff, &today).await?;
            if hits.is_empty() {
                return Err(AppError::not_found("credit.subject_not_found", format!("没有名称含“{code}”的信用主体")));
            }
            Answer::Hits(hits)
        };
        match answer {
            Answer::Nothing => Ok((None, Vec::new())),
            Answer::Hits(h) => Ok((None, h)),
            Answer::One(id, shown) => {
                let card = lookup::card(&st.db, county, id).await?.ok_or_else(not_found)?;
                let records = store::records_of(&st.db, id, false).await?;
                let lists = store::all_list_entries(&st.db, id).await?;
                let kind = crate::model::SubjectKind::from_key(&card.kind).map(|k| k.zh().to_string()).unwrap_or(card.kind);
                Ok((Some(Found { shown_code: shown, name: card.name, kind, records, lists }), Vec::new()))
            }
        }
    }
    .await;
    let (found, hits, error) = match result {
        Ok((f, h)) => (f, h, None),
        Err(e) => (None, Vec::new(), Some(e)),
    };
    let page = Page { ctx: &ctx, title: ctx.pick("信用主体查询", "Credit subjects"), code, found, hits, error };
    qingfeng_platform::web::render_with(&page, page.error.as_ref())
}
