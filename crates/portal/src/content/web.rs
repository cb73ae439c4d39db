//! 营商动态 / 经典案例 public pages and API: `/portal/news`, `/portal/cases` (newest
//! first, category tabs, pagination), `/portal/news/{id}`, `/portal/cases/{id}` (published
//! articles only), their images at `/portal/media/{id}` (only once the article is
//! published), and `GET /api/v1/portal/news`, `/api/v1/portal/cases` (`?category=&page=`)
//! and `…/{id}`. Public, no token needed.

use askama::Template;
use axum::extract::{Path, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use qingfeng_platform::attachments;
use qingfeng_platform::listing::{ListParams, ListQuery, Page};
use qingfeng_platform::web::{ApiQuery, AppState, Ctx, Pager, Query, render_with};
use qingfeng_platform::{ApiError, AppError};
use serde::{Deserialize, Serialize};

use super::store::{self, Article, Category, Filter};
use super::{Block, Channel, OWNER_KIND, PER_PAGE, PUBLISHED, blocks};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/portal/news", get(news_list))
        .route("/portal/cases", get(cases_list))
        .route("/portal/news/{id}", get(news_one))
        .route("/portal/cases/{id}", get(cases_one))
        .route("/portal/media/{id}", get(media))
        .route("/api/v1/portal/news", get(news_api))
        .route("/api/v1/portal/cases", get(cases_api))
        .route("/api/v1/portal/news/{id}", get(news_one_api))
        .route("/api/v1/portal/cases/{id}", get(cases_one_api))
}

/// The query string of a public list.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct PublicQuery {
    pub category: String,
    pub page: String,
}

/// A published page of `channel`, with the category checked against the channel's.
pub async fn published(
    st: &AppState,
    channel: Channel,
    q: &PublicQuery,
) -> Result<(Page<Article>, Vec<Category>, Option<String>), AppError> {
    let cats = store::categories(&st.db, channel).await?;
    let category = match q.category.trim() {
        "" | "all" => None,
        c if cats.iter().any(|x| x.slug == c) => Some(c.to_string()),
        _ => return Err(AppError::bad_request("portal.category", "没有这个分类")),
    };
    let raw = ListQuery { page: Some(q.page.clone()), per_page: Some(PER_PAGE.to_string()), q: None, sort: None };
    let params = ListParams::parse(&raw, store::SORT, "-published")?;
    let f =
        Filter { county: st.cfg.county_code.clone(), channel: Some(channel), state: Some(PUBLISHED.into()), category: category.clone() };
    Ok((store::list(&st.db, &f, &params).await?, cats, category))
}

/// A published article of `channel`, or not found.
pub async fn published_one(st: &AppState, channel: Channel, raw: &str) -> Result<(Article, Vec<Block>, String), AppError> {
    let not_found = || AppError::not_found("portal.article_not_found", "文章不存在或已撤回");
    let id = raw.trim().parse::<i64>().ok().filter(|n| *n > 0).ok_or_else(not_found)?;
    let a =
        store::get(&st.db, &st.cfg.county_code, id).await?.filter(|a| a.is_published() && a.channel() == channel).ok_or_else(not_found)?;
    let (blocks, _) = article_blocks(st, &a).await?;
    let cats = store::categories(&st.db, channel).await?;
    let category = cats.iter().find(|c| c.slug == a.category).map(|c| c.name.clone()).unwrap_or_default();
    Ok((a, blocks, category))
}

/// The body of `a` as blocks, and its images other than the cover (id, file name).
pub async fn article_blocks(st: &AppState, a: &Article) -> Result<(Vec<Block>, Vec<(i64, String)>), AppError> {
    let images: Vec<(i64, String)> = attachments::list_for_owner(&st.db, OWNER_KIND, a.id)
        .await?
        .into_iter()
        .filter(|x| Some(x.id) != a.cover_id && x.mime.starts_with("image/"))
        .map(|x| (x.id, x.filename))
        .collect();
    Ok((blocks(&a.body, &images), images))
}

#[derive(Template)]
#[template(path = "news_list.html")]
struct ListPage<'a> {
    ctx: &'a Ctx,
    title: &'a str,
    channel: Channel,
    categories: Vec<Category>,
    category: Option<String>,
    items: Vec<Article>,
    pager: Pager,
}

impl ListPage<'_> {
    fn is_category(&self, slug: &str) -> bool {
        self.category.as_deref() == Some(slug)
    }
    fn category_name(&self, slug: &str) -> String {
        self.categories.iter().find(|c| c.slug == slug).map(|c| c.name.clone()).unwrap_or_default()
    }
}

async fn list_page(st: AppState, ctx: Ctx, channel: Channel, q: PublicQuery) -> Result<Response, AppError> {
    let (page, categories, category) = published(&st, channel, &q).await?;
    let pager = Pager::new(&page, channel.public_path(), &[("category", category.as_deref().unwrap_or(""))]);
    let title = ctx.pick(channel.zh(), channel.en());
    render_with(&ListPage { ctx: &ctx, title, channel, categories, category, items: page.items, pager }, None)
}

async fn news_list(State(st): State<AppState>, ctx: Ctx, Query(q): Query<PublicQuery>) -> Result<Response, AppError> {
    list_page(st, ctx, Channel::News, q).await
}

async fn cases_list(State(st): State<AppState>, ctx: Ctx, Query(q): Query<PublicQuery>) -> Result<Response, AppError> {
    list_page(st, ctx, Channel::Cases, q).await
}

#[derive(Template)]
#[template(path = "news_article.html")]
struct ArticlePage<'a> {
    ctx: &'a Ctx,
    title: &'a str,
    a: Article,
    category: String,
    blocks: Vec<Block>,
    /// `/portal/media/{id}` for public pages, the console's address for previews.
    media: &'a str,
    preview: bool,
}

async fn one_page(st: AppState, ctx: Ctx, channel: Channel, raw: String) -> Result<Response, AppError> {
    let (a, blocks, category) = published_one(&st, channel, &raw).await?;
    let title = a.title.clone();
    render_with(&ArticlePage { ctx: &ctx, title: &title, a, category, blocks, media: "/portal/media", preview: false }, None)
}

/// The staff preview of any article (same page, images from the console's address).
pub(crate) async fn preview_page(st: &AppState, ctx: &Ctx, a: Article) -> Result<Response, AppError> {
    let (blocks, _) = article_blocks(st, &a).await?;
    let cats = store::categories(&st.db, a.channel()).await?;
    let category = cats.iter().find(|c| c.slug == a.category).map(|c| c.name.clone()).unwrap_or_default();
    let title = a.title.clone();
    render_with(&ArticlePage { ctx, title: &title, a, category, blocks, media: "/console/portal/news/media", preview: true }, None)
}

async fn news_one(State(st): State<AppState>, ctx: Ctx, Path(raw): Path<String>) -> Result<Response, AppError> {
    one_page(st, ctx, Channel::News, raw).await
}

async fn cases_one(State(st): State<AppState>, ctx: Ctx, Path(raw): Path<String>) -> Result<Response, AppError> {
    one_page(st, ctx, Channel::Cases, raw).await
}

/// An image of an article, with `allowed` deciding on the owning article.
pub(crate) async fn serve_image(st: &AppState, raw: &str, allowed: impl Fn(&Article) -> bool) -> Result<Response, AppError> {
    let not_found = || AppError::not_found("attachment.not_found", "图片不存在");
    let id = raw.trim().parse::<i64>().ok().filter(|n| *n > 0).ok_or_else(not_found)?;
    let meta = attachments::get(&st.db, id).await?.ok_or_else(not_found)?;
    if meta.owner_kind != OWNER_KIND || !meta.mime.starts_with("image/") {
        return Err(not_found());
    }
    let article = store::get(&st.db, &st.cfg.county_code, meta.owner_id).await?.ok_or_else(not_found)?;
    if !allowed(&article) {
        return Err(not_found());
    }
    let (meta, bytes) = st.attachments().open(&st.db, id, |_| true).await?;
    Ok(([(header::CONTENT_TYPE, meta.mime.clone()), (header::CACHE_CONTROL, "public, max-age=300".to_string())], bytes).into_response())
}

async fn media(State(st): State<AppState>, Path(raw): Path<String>) -> Result<Response, AppError> {
    serve_image(&st, &raw, Article::is_published).await
}

/// An article in a list, as the API gives it.
#[derive(Debug, Serialize)]
pub struct ArticleCard {
    pub id: i64,
    pub channel: &'static str,
    pub category: String,
    pub category_name: String,
    pub title: String,
    pub summary: String,
    /// Beijing date of publication.
    pub date: String,
    pub href: String,
    /// `/portal/media/{id}` of the cover, if any.
    pub cover: Option<String>,
    pub is_demo: bool,
}

fn card(a: &Article, cats: &[Category]) -> ArticleCard {
    ArticleCard {
        id: a.id,
        channel: a.channel().key(),
        category: a.category.clone(),
        category_name: cats.iter().find(|c| c.slug == a.category).map(|c| c.name.clone()).unwrap_or_default(),
        title: a.title.clone(),
        summary: a.teaser(),
        date: a.date(),
        href: a.href(),
        cover: a.cover_id.map(|c| format!("/portal/media/{c}")),
        is_demo: a.is_demo,
    }
}

#[derive(Serialize)]
struct ListJson {
    items: Vec<ArticleCard>,
    total: i64,
    page: i64,
    per_page: i64,
}

async fn list_api(st: AppState, channel: Channel, q: PublicQuery) -> Result<Json<ListJson>, ApiError> {
    let (page, cats, _) = published(&st, channel, &q).await?;
    let items = page.items.iter().map(|a| card(a, &cats)).collect();
    Ok(Json(ListJson { items, total: page.total, page: page.page, per_page: page.per_page }))
}

async fn news_api(State(st): State<AppState>, ApiQuery(q): ApiQuery<PublicQuery>) -> Result<Json<ListJson>, ApiError> {
    list_api(st, Channel::News, q).await
}

async fn cases_api(State(st): State<AppState>, ApiQuery(q): ApiQuery<PublicQuery>) -> Result<Json<ListJson>, ApiError> {
    list_api(st, Channel::Cases, q).await
}

#[derive(Serialize)]
struct OneJson {
    #[serde(flatten)]
    card: ArticleCard,
    source: String,
    /// The body: paragraphs of plain text and images (`/portal/media/{id}`).
    blocks: Vec<Block>,
}

async fn one_api(st: AppState, channel: Channel, raw: String) -> Result<Json<OneJson>, ApiError> {
    let (a, blocks, _) = published_one(&st, channel, &raw).await?;
    let cats = store::categories(&st.db, channel).await?;
    Ok(Json(OneJson { card: card(&a, &cats), source: a.source.clone(), blocks }))
}

async fn news_one_api(State(st): State<AppState>, Path(raw): Path<String>) -> Result<Json<OneJson>, ApiError> {
    one_api(st, Channel::News, raw).await
}

async fn cases_one_api(State(st): State<AppState>, Path(raw): Path<String>) -> Result<Json<OneJson>, ApiError> {
    one_api(st, Channel::Cases, raw).await
}
