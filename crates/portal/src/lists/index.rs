//! 清单检索 The current version of each list in the shared search index: one document per
//! item, kinds [`KIND_NEGATIVE`] (`/portal/negative-list/items/{id}`), [`KIND_POWER`]
//! (`/portal/powers/{id}`) and [`KIND_FEE`] (`/portal/fees/{id}`), doc id = the row id.
//! The negative list is national content (county `""`); powers and fees belong to their
//! county. Rebuilt at start-up and by `qingfeng reindex`, and after every import or switch
//! of the current version ([`refresh`]).

use qingfeng_platform::AppError;
use qingfeng_platform::db::Db;
use qingfeng_search::{Doc, SearchIndex};

use super::{ListKind, store};

pub const KIND_NEGATIVE: &str = "portal_negative_item";
pub const KIND_POWER: &str = "portal_power";
pub const KIND_FEE: &str = "portal_fee";

fn search_err(e: qingfeng_search::SearchError) -> AppError {
    AppError::unavailable(e.code(), e.to_string())
}

fn join(parts: &[&str]) -> String {
    parts.iter().filter(|p| !p.is_empty()).copied().collect::<Vec<_>>().join("\n")
}

/// The documents of the current versions.
pub async fn docs(db: &Db) -> Result<Vec<Doc>, AppError> {
    let mut out = Vec::new();
    for v in store::all_current(db).await? {
        match ListKind::from_key(&v.kind) {
            Some(ListKind::Negative) => {
                for it in store::negative_items(db, v.id).await? {
                    let mut tags: Vec<String> = it.tag_list().into_iter().map(str::to_string).collect();
                    tags.push(it.category_zh().to_string());
                    tags.push("负面清单".into());
                    out.push(Doc {
                        kind: KIND_NEGATIVE.into(),
                        id: it.id.to_string(),
                        county: String::new(),
                        title: format!("{}（{}）", it.name, it.category_zh()),
                        body: join(&[&it.code, &it.measures, &it.department, &it.local_items]),
                        tags,
                    });
                }
            }
            Some(ListKind::Powers) => {
                for p in store::powers_of(db, v.id).await? {
                    let title = if p.sub_item.is_empty() { p.name.clone() } else { format!("{}（{}）", p.name, p.sub_item) };
                    out.push(Doc {
                        kind: KIND_POWER.into(),
                        id: p.id.to_string(),
                        county: v.county_code.clone(),
                        title,
                        body: join(&[&p.department, &p.basis, &p.duties, &p.code]),
                        tags: vec![p.power_type.clone(), "权责清单".into()],
                    });
                }
            }
            Some(ListKind::Fees) => {
                for f in store::fees(db, v.id).await? {
                    out.push(Doc {
                        kind: KIND_FEE.into(),
                        id: f.id.to_string(),
                        county: v.county_code.clone(),
                        title: f.name.clone(),
                        body: join(&[&f.department, &f.basis, &f.standard, &f.fund_management]),
                        tags: vec![f.department.clone(), "收费清单".into()],
                    });
                }
            }
            None => {}
        }
    }
    Ok(out)
}

/// Rebuild the lists' part of the index. Returns documents written.
pub async fn reindex(db: &Db, index: &SearchIndex) -> Result<usize, AppError> {
    let docs = docs(db).await?;
    for kind in [KIND_NEGATIVE, KIND_POWER, KIND_FEE] {
        index.clear_kind(kind).map_err(search_err)?;
    }
    index.upsert(&docs).map_err(search_err)?;
    Ok(docs.len())
}

/// After a change of a list: rebuild its part of the index; a failure is logged (the
/// database is right, and `qingfeng reindex` repairs the index).
pub async fn refresh(db: &Db, index: &SearchIndex) {
    if let Err(e) = reindex(db, index).await {
        tracing::warn!(code = %e.code, "list search documents not refreshed: {}", e.message);
    }
}
