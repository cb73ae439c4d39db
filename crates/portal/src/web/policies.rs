//! 营商政策 The policy library: search with highlighted snippets, browse by level, and
//! a policy's page with its chapters and articles (anchors `art-N`).

use askama::Template;
use axum::Router;
use axum::extract::{Path, State};
use axum::response::Response;
use axum::routing::get;
use qingfeng_platform::AppError;
use qingfeng_platform::web::{AppState, Ctx, Query, render_with, urlencode};

use super::{Checked, PolicyQuery, parse_policy_id, policy_not_found};
use crate::index::{self, ArticleHits, MAX_QUERY_CHARS};
use crate::model::Level;
use crate::store::{self, Article, Policy};

pub fn routes() -> Router<AppState> {
    Router::new().route("/portal/policies", get(list)).route("/portal/policies/{id}", get(one))
}

#[derive(Template)]
#[template(path = "portal_policies.html")]
struct ListPage<'a> {
    ctx: &'a Ctx,
    title: &'a str,
    q: String,
    level: Option<Level>,
    levels: [Level; 3],
    max_chars: usize,
    hits: Option<ArticleHits>,
    prev: Option<String>,
    next: Option<String>,
    policies: Vec<Policy>,
    error: Option<AppError>,
}

impl ListPage<'_> {
    fn is_level(&self, l: &Level) -> bool {
        self.level == Some(*l)
    }
}

async fn list(State(st): State<AppState>, ctx: Ctx, Query(raw): Query<PolicyQuery>) -> Result<Response, AppError> {
    let title = ctx.pick("营商政策", "Policies");
    let mut page = ListPage {
        ctx: &ctx,
        title,
        q: raw.q.chars().take(MAX_QUERY_CHARS * 2).collect(),
        level: None,
        levels: Level::ALL,
        max_chars: MAX_QUERY_CHARS,
        hits: None,
        prev: None,
        next: None,
        policies: Vec::new(),
        error: None,
    };
    let Checked { q, page: n, level } = match raw.check() {
        Ok(c) => c,
        Err(e) => {
            page.error = Some(e);
            return render_with(&page, page.error.as_ref());
        }
    };
    page.level = level;
    if q.is_empty() {
        page.policies = store::list(&st.db, level).await?;
    } else {
        if n == 1 {
            page.policies = store::find_by_title(&st.db, &q, 5).await?;
        }
        let hits = index::search(&st.search, &q, n)?;
        let link = |p: usize| format!("/portal/policies?q={}&page={p}", urlencode(&q));
        page.prev = (hits.page > 1).then(|| link(hits.page - 1));
        page.next = (hits.page < hits.pages()).then(|| link(hits.page + 1));
        page.hits = Some(hits);
    }
    page.q = q;
    render_with(&page, None)
}

/// A chapter (or the whole policy, when it has none) with its articles.
struct Chapter {
    heading: String,
    articles: Vec<ArticleView>,
}

struct ArticleView {
    article: Article,
    /// The section heading to show before this article (first of its section).
    section: Option<String>,
}

#[derive(Template)]
#[template(path = "portal_policy.html")]
struct PolicyPage<'a> {
    ctx: &'a Ctx,
    title: &'a str,
    policy: Policy,
    chapters: Vec<Chapter>,
}

async fn one(State(st): State<AppState>, ctx: Ctx, Path(raw): Path<String>) -> Result<Response, AppError> {
    let id = parse_policy_id(&raw)?;
    let policy = store::policy(&st.db, id).await?.ok_or_else(|| policy_not_found(&raw))?;
    let mut chapters: Vec<Chapter> = Vec::new();
    let mut last_section = String::new();
    for a in store::articles(&st.db, id).await? {
        if chapters.last().is_none_or(|c| c.heading != a.chapter) {
            chapters.push(Chapter { heading: a.chapter.clone(), articles: Vec::new() });
            last_section.clear();
        }
        let section = (a.section != last_section && !a.section.is_empty()).then(|| a.section.clone());
        last_section = a.section.clone();
        if let Some(c) = chapters.last_mut() {
            c.articles.push(ArticleView { article: a, section });
        }
    }
    let title = policy.title.clone();
    render_with(&PolicyPage { ctx: &ctx, title: &title, policy, chapters }, None)
}
