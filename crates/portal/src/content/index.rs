//! 文章检索 Published articles in the shared search index: kind `portal_news` or
//! `portal_case` ([`super::Channel::search_kind`]), id = the row id, county = the
//! article's county, tags = the category and the channel. An article enters the index
//! when it is published and leaves it when withdrawn; [`reindex`] rebuilds both kinds
//! (start-up, `qingfeng reindex`).

use qingfeng_platform::AppError;
use qingfeng_platform::db::Db;
use qingfeng_search::{Doc, SearchIndex};

use super::Channel;
use super::store::{self, Article};

fn search_err(e: qingfeng_search::SearchError) -> AppError {
    AppError::unavailable(e.code(), e.to_string())
}

/// The search document of a published article.
pub fn doc(a: &Article, category_name: &str) -> Doc {
    let ch = a.channel();
    let mut body = String::new();
    if !a.summary.is_empty() {
        body.push_str(&a.summary);
        body.push('\n');
    }
    body.push_str(&a.body);
    let mut tags = vec![ch.zh().to_string()];
    if !category_name.is_empty() {
        tags.push(category_name.to_string());
    }
    Doc { kind: ch.search_kind().into(), id: a.id.to_string(), county: a.county_code.clone(), title: a.title.clone(), body, tags }
}

/// Put a published article in the index (replacing its old document).
pub async fn put(db: &Db, index: &SearchIndex, a: &Article) -> Result<(), AppError> {
    let cats = store::categories(db, a.channel()).await?;
    let name = cats.iter().find(|c| c.slug == a.category).map(|c| c.name.as_str()).unwrap_or("");
    index.upsert(&[doc(a, name)]).map_err(search_err)
}

/// Take an article out of the index.
pub fn remove(index: &SearchIndex, channel: Channel, id: i64) -> Result<(), AppError> {
    index.delete(channel.search_kind(), &id.to_string()).map_err(search_err)
}

/// Rebuild the article part of the index from the database. Returns documents written.
pub async fn reindex(db: &Db, index: &SearchIndex) -> Result<usize, AppError> {
    let all = store::all_published(db).await?;
    let mut docs = Vec::with_capacity(all.len());
    for ch in Channel::ALL {
        let cats = store::categories(db, ch).await?;
        for a in all.iter().filter(|a| a.channel() == ch) {
            let name = cats.iter().find(|c| c.slug == a.category).map(|c| c.name.as_str()).unwrap_or("");
            docs.push(doc(a, name));
        }
        index.clear_kind(ch.search_kind()).map_err(search_err)?;
    }
    index.upsert(&docs).map_err(search_err)?;
    Ok(docs.len())
}
