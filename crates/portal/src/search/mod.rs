//! 全站检索 One search over every kind of portal content — policy articles, news, model
//! cases, department duties, the powers list, the negative list, public services and
//! fees — for the home page's search box (`/portal/search?q=`) and the API
//! (`/api/v1/portal/search?q=`).
//!
//! Each module puts its documents in the shared index under the kind and id of the
//! portal's URL contract; this module only maps a hit back to its page ([`href`]).
//! County content carries the install's county code, national content (the policy
//! library) the empty code: a search covers both, never another county's content.

pub mod bench;
pub mod web;

use qingfeng_platform::AppError;
use qingfeng_search::{SearchIndex, SearchQuery};
use serde::Serialize;

use crate::highlight;

/// Hits per page.
pub const PER_PAGE: usize = 20;
/// Deepest page served.
pub const MAX_PAGE: usize = qingfeng_search::MAX_OFFSET / PER_PAGE;

/// 内容类型 A kind of portal content in the index.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct ContentKind {
    /// The index kind (`policy_article`, `portal_news`…).
    pub key: &'static str,
    /// The short key used in `?kind=` (`policies`, `news`…).
    pub param: &'static str,
    pub zh: &'static str,
    pub en: &'static str,
}

/// Every kind the cross-content search covers, in the order of the home's modules.
pub const KINDS: &[ContentKind] = &[
    ContentKind { key: "portal_news", param: "news", zh: "营商动态", en: "News" },
    ContentKind { key: crate::index::KIND_ARTICLE, param: "policies", zh: "营商政策", en: "Policies" },
    ContentKind { key: "portal_department", param: "departments", zh: "部门职责", en: "Departments" },
    ContentKind { key: "portal_power", param: "powers", zh: "权责清单", en: "Powers" },
    ContentKind { key: "portal_negative_item", param: "negative-list", zh: "负面清单", en: "Negative list" },
    ContentKind { key: "portal_service", param: "services", zh: "公共服务", en: "Public services" },
    ContentKind { key: "portal_fee", param: "fees", zh: "收费清单", en: "Fees" },
    ContentKind { key: "portal_case", param: "cases", zh: "经典案例", en: "Model cases" },
];

pub fn kind_by_param(param: &str) -> Option<&'static ContentKind> {
    KINDS.iter().find(|k| k.param == param)
}

pub fn kind_by_key(key: &str) -> Option<&'static ContentKind> {
    KINDS.iter().find(|k| k.key == key)
}

/// A row id from a document id: a positive integer, nothing else (it goes into a URL).
fn row_id(id: &str) -> Option<i64> {
    id.parse::<i64>().ok().filter(|n| *n > 0)
}

/// The page of a document, by the portal's URL contract. `None` for an unknown kind or
/// an id that is not of the kind's form.
pub fn href(kind: &str, id: &str) -> Option<String> {
    if kind == crate::index::KIND_ARTICLE {
        let (p, n) = id.split_once('-')?;
        let (p, n) = (row_id(p)?, row_id(n)?);
        return Some(format!("/portal/policies/{p}#art-{n}"));
    }
    let base = match kind {
        "portal_news" => "/portal/news",
        "portal_case" => "/portal/cases",
        "portal_department" => "/portal/departments",
        "portal_power" => "/portal/powers",
        "portal_negative_item" => "/portal/negative-list/items",
        "portal_service" => "/portal/services",
        "portal_fee" => "/portal/fees",
        _ => return None,
    };
    Some(format!("{base}/{}", row_id(id)?))
}

/// One hit, labelled with its kind.
#[derive(Debug, Clone, Serialize)]
pub struct Hit {
    pub kind: &'static str,
    pub kind_zh: &'static str,
    pub kind_en: &'static str,
    pub id: String,
    pub title: String,
    /// Plain text around the matched words.
    pub snippet: String,
    /// [`Self::snippet`] escaped, the matched words in `<mark>`.
    pub snippet_html: String,
    /// [`Self::title`] escaped, the matched words in `<mark>`.
    pub title_html: String,
    pub href: String,
}

/// A page of hits.
#[derive(Debug, Clone, Serialize)]
pub struct Hits {
    pub total: usize,
    pub page: usize,
    pub per_page: usize,
    /// The kind searched (`?kind=`), if one.
    pub kind: Option<&'static str>,
    pub items: Vec<Hit>,
}

impl Hits {
    pub fn pages(&self) -> usize {
        self.total.div_ceil(self.per_page).min(MAX_PAGE)
    }
}

fn search_err(e: qingfeng_search::SearchError) -> AppError {
    AppError::unavailable(e.code(), e.to_string())
}

/// The counties a portal search covers: the install's county and national content.
fn counties(county: &str) -> [String; 2] {
    [county.to_string(), String::new()]
}

fn query(q: &str, kinds: Vec<String>, limit: usize, offset: usize) -> SearchQuery {
    SearchQuery { text: q.to_string(), kinds, county: None, limit, offset }
}

/// Search every portal kind (or only `kind`) for `q` (already checked), page `page`
/// (1-based, at most [`MAX_PAGE`]), over `county`'s content and national content.
pub fn search(index: &SearchIndex, county: &str, q: &str, kind: Option<&ContentKind>, page: usize) -> Result<Hits, AppError> {
    let kinds = match kind {
        Some(k) => vec![k.key.to_string()],
        None => KINDS.iter().map(|k| k.key.to_string()).collect(),
    };
    let page = page.max(1);
    let res = index.search_in(&query(q, kinds, PER_PAGE, (page - 1) * PER_PAGE), &counties(county)).map_err(search_err)?;
    let terms = qingfeng_search::highlight_terms(q);
    let items = res
        .hits
        .into_iter()
        .filter_map(|h| {
            let k = kind_by_key(&h.kind)?;
            Some(Hit {
                kind: k.key,
                kind_zh: k.zh,
                kind_en: k.en,
                href: href(&h.kind, &h.id)?,
                snippet_html: highlight::mark(&h.snippet, &terms),
                title_html: highlight::mark(&h.title, &terms),
                snippet: h.snippet,
                title: h.title,
                id: h.id,
            })
        })
        .collect();
    Ok(Hits { total: res.total, page, per_page: PER_PAGE, kind: kind.map(|k| k.key), items })
}

/// How many hits `q` has in each kind (for the filter tabs), in [`KINDS`] order: one
/// counting pass over the matches.
pub fn counts(index: &SearchIndex, county: &str, q: &str) -> Result<Vec<(&'static ContentKind, usize)>, AppError> {
    let all = KINDS.iter().map(|k| k.key.to_string()).collect();
    let n = index.count_kinds(&query(q, all, 0, 0), &counties(county)).map_err(search_err)?;
    Ok(KINDS.iter().zip(n).collect())
}

#[cfg(test)]
mod tests {
    use super::*;
    use qingfeng_search::Doc;

    #[test]
    fn hrefs_follow_the_contract() {
        assert_eq!(href("policy_article", "12-30").as_deref(), Some("/portal/policies/12#art-30"));
        assert_eq!(href("portal_news", "7").as_deref(), Some("/portal/news/7"));
        assert_eq!(href("portal_case", "7").as_deref(), Some("/portal/cases/7"));
        assert_eq!(href("portal_department", "7").as_deref(), Some("/portal/departments/7"));
        assert_eq!(href("portal_power", "7").as_deref(), Some("/portal/powers/7"));
        assert_eq!(href("portal_negative_item", "7").as_deref(), Some("/portal/negative-list/items/7"));
        assert_eq!(href("portal_service", "7").as_deref(), Some("/portal/services/7"));
        assert_eq!(href("portal_fee", "7").as_deref(), Some("/portal/fees/7"));
        assert_eq!(href("portal_fee", "7\"><script>"), None);
        assert_eq!(href("portal_exposure", "7"), None);
        assert_eq!(href("policy_article", "12"), None);
        assert_eq!(KINDS.len(), 8);
    }

    #[test]
    fn county_and_national_content_are_found_never_another_county() {
        let index = SearchIndex::open_in_ram().unwrap();
        let doc = |kind: &str, id: &str, county: &str, title: &str| Doc {
            kind: kind.into(),
            id: id.into(),
            county: county.into(),
            title: title.into(),
            body: format!("{title}的正文，关于营业执照办理。"),
            tags: vec![],
        };
        index
            .upsert(&[
                doc("policy_article", "1-2", "", "市场主体登记管理条例 第二条"),
                doc("portal_service", "3", "410922", "营业执照办理"),
                doc("portal_fee", "4", "410922", "营业执照工本费"),
                doc("portal_news", "5", "410923", "外县营业执照新闻"),
                doc("credit_subject", "6", "410922", "营业执照信用主体"),
            ])
            .unwrap();
        let hits = search(&index, "410922", "营业执照", None, 1).unwrap();
        let mut got: Vec<_> = hits.items.iter().map(|h| h.href.as_str()).collect();
        got.sort();
        assert_eq!(got, vec!["/portal/fees/4", "/portal/policies/1#art-2", "/portal/services/3"]);
        assert_eq!(hits.total, 3);
        assert!(hits.items.iter().all(|h| h.snippet_html.contains("<mark>")));
        let only = search(&index, "410922", "营业执照", kind_by_param("fees"), 1).unwrap();
        assert_eq!(only.items.len(), 1);
        // A replaced document counts once (the old version is deleted, not counted).
        index.upsert(&[doc("portal_fee", "4", "410922", "营业执照工本费")]).unwrap();
        let counts = counts(&index, "410922", "营业执照").unwrap();
        let n: Vec<_> = counts.iter().filter(|(_, n)| *n > 0).map(|(k, n)| (k.param, *n)).collect();
        assert_eq!(n, vec![("policies", 1), ("services", 1), ("fees", 1)]);
    }
}
