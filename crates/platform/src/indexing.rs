//! 检索索引 What the platform puts in the shared search index: organisations and
//! divisions, so that staff find a bureau, a tribunal or a village by any part of
//! its name. Modules index their own records the same way.

use qingfeng_search::{Doc, SearchIndex, SearchQuery};
use serde::Serialize;

use crate::auth::Scope;
use crate::db::Db;
use crate::error::AppError;
use crate::on_db;
use crate::registry::org_kind_zh;

pub const KIND_ORG: &str = "org";
pub const KIND_DIVISION: &str = "division";

fn search_err(e: qingfeng_search::SearchError) -> AppError {
    AppError::unavailable(e.code(), e.to_string())
}

/// Rebuild the platform's part of the index from the database; returns documents written.
pub async fn reindex_registry(db: &Db, index: &SearchIndex) -> Result<usize, AppError> {
    let orgs: Vec<(i64, String, String, String, Option<String>, String)> =
        on_db!(db, |p| sqlx::query_as("SELECT id, county_code, division_code, kind, uscc, name FROM organisations").fetch_all(p).await)?;
    let divisions: Vec<(String, String, String, Option<String>, String)> =
        on_db!(db, |p| sqlx::query_as("SELECT code, name, level, county_code, kind FROM divisions WHERE county_code IS NOT NULL")
            .fetch_all(p)
            .await)?;
    let mut docs = Vec::with_capacity(orgs.len() + divisions.len());
    for (id, county, division, kind, uscc, name) in orgs {
        let mut tags = vec![kind.clone(), format!("div:{division}")];
        tags.extend(uscc.clone());
        docs.push(Doc {
            kind: KIND_ORG.into(),
            id: id.to_string(),
            county,
            title: name,
            body: format!("{} {}", org_kind_zh(&kind), uscc.unwrap_or_default()),
            tags,
        });
    }
    for (code, name, level, county, kind) in divisions {
        docs.push(Doc {
            kind: KIND_DIVISION.into(),
            id: code.clone(),
            county: county.unwrap_or_default(),
            title: name,
            body: format!("{kind} {code}"),
            tags: vec![level, code],
        });
    }
    index.clear_kind(KIND_ORG).map_err(search_err)?;
    index.clear_kind(KIND_DIVISION).map_err(search_err)?;
    index.upsert(&docs).map_err(search_err)?;
    Ok(docs.len())
}

/// One search hit with the page it leads to.
#[derive(Debug, Clone, Serialize)]
pub struct Found {
    pub kind: String,
    pub id: String,
    pub title: String,
    pub snippet: String,
    pub href: String,
}

/// Search organisations and divisions of `county`; organisations only where the scope
/// reaches (divisions are public reference data).
pub async fn search_registry(db: &Db, index: &SearchIndex, scope: &Scope, county: &str, text: &str) -> Result<Vec<Found>, AppError> {
    let q = SearchQuery {
        text: text.to_string(),
        kinds: vec![KIND_ORG.into(), KIND_DIVISION.into()],
        county: Some(county.into()),
        limit: 50,
        offset: 0,
    };
    let results = index.search(&q).map_err(search_err)?;
    // Organisations are shown only where the scope reaches: one query for all hits.
    let org_ids: Vec<i64> = results.hits.iter().filter(|h| h.kind == KIND_ORG).filter_map(|h| h.id.parse().ok()).collect();
    let visible: std::collections::HashSet<i64> =
        crate::registry::visible_orgs(db, scope, &org_ids).await?.into_iter().map(|o| o.id).collect();
    let found = results
        .hits
        .into_iter()
        .filter(|h| h.kind != KIND_ORG || h.id.parse().is_ok_and(|id| visible.contains(&id)))
        .take(20)
        .map(|h| {
            let href = if h.kind == KIND_ORG { format!("/console/orgs/{}", h.id) } else { format!("/console/registry/{}", h.id) };
            Found { kind: h.kind, id: h.id, title: h.title, snippet: h.snippet, href }
        })
        .collect();
    Ok(found)
}
