//! 部门职责检索 Department profiles in the shared search index: one document per
//! department with a profile (kind [`KIND`], id the organisation id, title the
//! department's name, body its duties, address and office hours), rebuilt at start-up
//! and by `qingfeng reindex`, and replaced whenever staff save a profile.

use qingfeng_platform::AppError;
use qingfeng_platform::db::Db;
use qingfeng_search::{Doc, SearchIndex};

use super::store::{self, Department};

/// 部门职责 The search kind of a department profile; its page is `/portal/departments/{id}`.
pub const KIND: &str = "portal_department";

pub(crate) fn search_err(e: qingfeng_search::SearchError) -> AppError {
    AppError::unavailable(e.code(), e.to_string())
}

fn doc(d: &Department) -> Doc {
    let mut body = d.duties.clone();
    for extra in [&d.address, &d.office_hours] {
        if !extra.is_empty() {
            body.push('\n');
            body.push_str(extra);
        }
    }
    let mut tags = vec!["部门职责".to_string()];
    if d.is_demo() {
        tags.push("演示".to_string());
    }
    Doc { kind: KIND.into(), id: d.org_id.to_string(), county: d.county_code.clone(), title: d.name.clone(), body, tags }
}

/// Rebuild the department documents from the database. Returns documents written.
pub async fn reindex(db: &Db, index: &SearchIndex) -> Result<usize, AppError> {
    let docs: Vec<Doc> = store::all_profiled(db).await?.iter().map(doc).collect();
    index.clear_kind(KIND).map_err(search_err)?;
    index.upsert(&docs).map_err(search_err)?;
    Ok(docs.len())
}

/// Put one department's current profile in the index (after a save).
pub fn sync(index: &SearchIndex, d: &Department) -> Result<(), AppError> {
    if d.has_profile() {
        index.upsert(&[doc(d)]).map_err(search_err)
    } else {
        index.delete(KIND, &d.org_id.to_string()).map_err(search_err)
    }
}
