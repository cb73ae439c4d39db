//! 全站检索页面与接口 `/portal/search?q=&kind=&page=` (the home's search box) and
//! `GET /api/v1/portal/search?q=&kind=&page=` (`total`, `page`, `per_page`, `kind`,
//! `items` with `kind`, `kind_zh`, `title`, `snippet`, `snippet_html`, `href`, and
//! `counts` per kind). Public, no token needed.

use askama::Template;
use axum::extract::State;
use axum::response::Response;
use axum::routing::get;
use axum::{Json, Router};
use qingfeng_platform::web::{ApiQuery, AppState, Ctx, Query, render_with, urlencode};
use qingfeng_platform::{ApiError, AppError};
use serde::{Deserialize, Serialize};

use super::{ContentKind, Hits, KINDS, counts, kind_by_param, search};
use crate::index::MAX_QUERY_CHARS;
use crate::web::PolicyQuery;

pub fn routes() -> Router<AppState> {
    Router::new().route("/portal/search", get(page)).route("/api/v1/portal/search", get(api))
}

/// The query string as typed.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct SearchParams {
    pub q: String,
    pub page: String,
    pub kind: String,
}

struct Checked {
    q: String,
    page: usize,
    kind: Option<&'static ContentKind>,
}

impl SearchParams {
    fn check(&self) -> Result<Checked, AppError> {
        // The same rules for the text and the page as the policy search.
        let c = PolicyQuery { q: self.q.clone(), page: self.page.clone(), level: String::new() }.check()?;
        let kind = match self.kind.trim() {
            "" | "all" => None,
            raw => Some(kind_by_param(raw).ok_or_else(|| {
                let all: Vec<&str> = KINDS.iter().map(|k| k.param).collect();
                AppError::bad_request("portal.bad_kind", format!("内容类型应为 {} 之一", all.join("、")))
            })?),
        };
        Ok(Checked { q: c.q, page: c.page.min(super::MAX_PAGE), kind })
    }
}

/// A filter tab: (href, label, count, selected).
struct Tab {
    href: String,
    zh: &'static str,
    en: &'static str,
    count: usize,
    on: bool,
}

#[derive(Template)]
#[template(path = "search_results.html")]
struct Page<'a> {
    ctx: &'a Ctx,
    title: &'a str,
    q: String,
    max_chars: usize,
    tabs: Vec<Tab>,
    all_count: usize,
    all_href: String,
    hits: Option<Hits>,
    prev: Option<String>,
    next: Option<String>,
    error: Option<AppError>,
}

fn link(q: &str, kind: Option<&ContentKind>, page: usize) -> String {
    let mut s = format!("/portal/search?q={}", urlencode(q));
    if let Some(k) = kind {
        s.push_str(&format!("&kind={}", k.param));
    }
    if page > 1 {
        s.push_str(&format!("&page={page}"));
    }
    s
}

async fn page(State(st): State<AppState>, ctx: Ctx, Query(raw): Query<SearchParams>) -> Result<Response, AppError> {
    let mut p = Page {
        ctx: &ctx,
        title: ctx.pick("全站搜索", "Search"),
        q: raw.q.chars().take(MAX_QUERY_CHARS * 2).collect(),
        max_chars: MAX_QUERY_CHARS,
        tabs: Vec::new(),
        all_count: 0,
        all_href: String::new(),
        hits: None,
        prev: None,
        next: None,
        error: None,
    };
    let c = match raw.check() {
        Ok(c) => c,
        Err(e) => {
            p.error = Some(e);
            return render_with(&p, p.error.as_ref());
        }
    };
    p.q = c.q.clone();
    if !c.q.is_empty() {
        let county = &st.cfg.county_code;
        let per_kind = counts(&st.search, county, &c.q)?;
        p.all_count = per_kind.iter().map(|(_, n)| n).sum();
        p.all_href = link(&c.q, None, 1);
        p.tabs = per_kind
            .into_iter()
            .filter(|(k, n)| *n > 0 || c.kind.is_some_and(|s| s.key == k.key))
            .map(|(k, n)| Tab { href: link(&c.q, Some(k), 1), zh: k.zh, en: k.en, count: n, on: c.kind.is_some_and(|s| s.key == k.key) })
            .collect();
        let hits = search(&st.search, county, &c.q, c.kind, c.page)?;
        p.prev = (hits.page > 1).then(|| link(&c.q, c.kind, hits.page - 1));
        p.next = (hits.page < hits.pages()).then(|| link(&c.q, c.kind, hits.page + 1));
        p.hits = Some(hits);
    }
    render_with(&p, None)
}

#[derive(Serialize)]
struct KindCount {
    kind: &'static str,
    param: &'static str,
    zh: &'static str,
    count: usize,
}

#[derive(Serialize)]
struct Answer {
    #[serde(flatten)]
    hits: Hits,
    counts: Vec<KindCount>,
}

async fn api(State(st): State<AppState>, ApiQuery(raw): ApiQuery<SearchParams>) -> Result<Json<Answer>, ApiError> {
    let c = raw.check()?;
    let county = &st.cfg.county_code;
    let hits = search(&st.search, county, &c.q, c.kind, c.page)?;
    let counts = if c.q.is_empty() {
        Vec::new()
    } else {
        counts(&st.search, county, &c.q)?.into_iter().map(|(k, n)| KindCount { kind: k.key, param: k.param, zh: k.zh, count: n }).collect()
    };
    Ok(Json(Answer { hits, counts }))
}
