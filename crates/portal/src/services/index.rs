//! 公共服务检索 Published guides in the shared search index: one document per guide
//! (kind [`KIND`], id the guide id, title its name, body its conditions, materials and
//! the department, tags the type and the department), rebuilt at start-up and by
//! `qingfeng reindex`, and put in or taken out whenever staff save, publish or withdraw.

use qingfeng_platform::AppError;
use qingfeng_platform::db::Db;
use qingfeng_search::{Doc, SearchIndex};

use super::Material;
use super::store::{self, Service};
use crate::departments::index::search_err;

/// 公共服务 The search kind of a guide; its page is `/portal/services/{id}`.
pub const KIND: &str = "portal_service";

fn doc(s: &Service, materials: &[Material]) -> Doc {
    let mut body = format!("{} {}", s.org_name, s.task_type_zh());
    for part in [&s.conditions, &s.process] {
        if !part.is_empty() {
            body.push('\n');
            body.push_str(part);
        }
    }
    if !materials.is_empty() {
        body.push_str("\n申请材料：");
        body.push_str(&materials.iter().map(|m| m.name.as_str()).collect::<Vec<_>>().join("、"));
    }
    let mut tags = vec![s.task_type_zh().to_string(), s.org_name.clone(), "公共服务".to_string()];
    if s.is_demo {
        tags.push("演示".to_string());
    }
    tags.dedup();
    Doc { kind: KIND.into(), id: s.id.to_string(), county: s.county_code.clone(), title: s.name.clone(), body, tags }
}

/// Rebuild the guide documents from the database. Returns documents written.
pub async fn reindex(db: &Db, index: &SearchIndex) -> Result<usize, AppError> {
    let all = store::all_published(db).await?;
    let ids: Vec<i64> = all.iter().map(|s| s.id).collect();
    let materials = store::materials_of(db, &ids).await?;
    let docs: Vec<Doc> = all.iter().map(|s| doc(s, materials.get(&s.id).map(Vec::as_slice).unwrap_or_default())).collect();
    index.clear_kind(KIND).map_err(search_err)?;
    index.upsert(&docs).map_err(search_err)?;
    Ok(docs.len())
}

/// Make the index follow guide `s`: in it while published, out of it otherwise.
pub fn sync(index: &SearchIndex, s: &Service, materials: &[Material]) -> Result<(), AppError> {
    if s.is_published() {
        index.upsert(&[doc(s, materials)]).map_err(search_err)
    } else {
        index.delete(KIND, &s.id.to_string()).map_err(search_err)
    }
}
