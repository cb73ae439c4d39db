//! 政策检索 The policy library in the shared search index: one document per article
//! (kind [`KIND_ARTICLE`], title 「法规名 第X条」, body the article's text, tags the
//! policy's tags and level), and the one article search the page and the API share.
//!
//! Kept current: the library only changes when the binary's embedded files change, so
//! the documents are rebuilt whenever [`crate::store::ensure_loaded`] changed the
//! database (at start-up) and by `qingfeng reindex`.

use qingfeng_platform::AppError;
use qingfeng_platform::db::Db;
use qingfeng_search::{Doc, SearchIndex, SearchQuery};
use serde::Serialize;

use crate::highlight;
use crate::store::{self, Article, Policy};

/// 条文 An article of a policy.
pub const KIND_ARTICLE: &str = "policy_article";
/// Hits per page.
pub const PER_PAGE: usize = 20;
/// Longest query accepted, in characters.
pub const MAX_QUERY_CHARS: usize = 100;
/// Deepest page served.
pub const MAX_PAGE: usize = qingfeng_search::MAX_OFFSET / PER_PAGE;

fn search_err(e: qingfeng_search::SearchError) -> AppError {
    AppError::unavailable(e.code(), e.to_string())
}

/// The id of an article's document: `{policy id}-{N}`.
fn doc_id(policy_id: i64, number: i64) -> String {
    format!("{policy_id}-{number}")
}

fn parse_doc_id(id: &str) -> Option<(i64, i64)> {
    let (p, n) = id.split_once('-')?;
    Some((p.parse().ok()?, n.parse().ok()?))
}

fn doc(p: &Policy, a: &Article) -> Doc {
    let mut tags: Vec<String> = p.tag_list().into_iter().map(str::to_string).collect();
    tags.push(p.level_zh().to_string());
    Doc {
        kind: KIND_ARTICLE.into(),
        id: doc_id(p.id, a.number),
        // National and provincial law applies to every county of an install.
        county: String::new(),
        title: format!("{} {}", p.title, a.label),
        body: a.body.clone(),
        tags,
    }
}

/// Rebuild the policy part of the index from the database. Returns documents written.
pub async fn reindex(db: &Db, index: &SearchIndex) -> Result<usize, AppError> {
    let all = store::all_articles(db).await?;
    let docs: Vec<Doc> = all.iter().flat_map(|(p, arts)| arts.iter().map(move |a| doc(p, a))).collect();
    index.clear_kind(KIND_ARTICLE).map_err(search_err)?;
    index.upsert(&docs).map_err(search_err)?;
    Ok(docs.len())
}

/// One hit of an article search, ready to show.
#[derive(Debug, Clone, Serialize)]
pub struct ArticleHit {
    pub policy_id: i64,
    pub number: i64,
    /// 「保障中小企业款项支付条例 第十条」
    pub title: String,
    /// Plain text around the matched words.
    pub snippet: String,
    /// [`Self::snippet`] escaped, the matched words in `<mark>`.
    pub snippet_html: String,
    /// `/portal/policies/{id}#art-N`
    pub href: String,
}

/// A page of hits.
#[derive(Debug, Clone, Serialize)]
pub struct ArticleHits {
    pub total: usize,
    pub page: usize,
    pub per_page: usize,
    pub items: Vec<ArticleHit>,
}

impl ArticleHits {
    pub fn pages(&self) -> usize {
        self.total.div_ceil(self.per_page).min(MAX_PAGE)
    }
}

/// Search the articles for `q` (already checked: not longer than [`MAX_QUERY_CHARS`]),
/// page `page` (1-based, at most [`MAX_PAGE`]).
pub fn search(index: &SearchIndex, q: &str, page: usize) -> Result<ArticleHits, AppError> {
    let query = SearchQuery {
        text: q.to_string(),
        kinds: vec![KIND_ARTICLE.into()],
        county: None,
        limit: PER_PAGE,
        offset: (page.max(1) - 1) * PER_PAGE,
    };
    let res = index.search(&query).map_err(search_err)?;
    let terms = qingfeng_search::highlight_terms(q);
    let items = res
        .hits
        .into_iter()
        .filter_map(|h| {
            let (policy_id, number) = parse_doc_id(&h.id)?;
            Some(ArticleHit {
                policy_id,
                number,
                snippet_html: highlight::mark(&h.snippet, &terms),
                snippet: h.snippet,
                href: format!("/portal/policies/{policy_id}#art-{number}"),
                title: h.title,
            })
        })
        .collect();
    Ok(ArticleHits { total: res.total, page: page.max(1), per_page: PER_PAGE, items })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn doc_ids_round_trip() {
        assert_eq!(parse_doc_id(&doc_id(12, 30)), Some((12, 30)));
        assert_eq!(parse_doc_id("x-1"), None);
        assert_eq!(parse_doc_id("12"), None);
    }
}
