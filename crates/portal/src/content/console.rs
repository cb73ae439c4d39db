//! 文章管理 The staff side of 营商动态 and 经典案例: the list with a state filter
//! (`/console/portal/news?state=`), the review queue (`/console/portal/news/review`), the
//! editor with its images (`/console/portal/news/new`, `/console/portal/news/{id}`), the
//! workflow actions (`…/{id}/act`) and a preview. Authors hold [`PERM_CONTENT_EDIT`],
//! reviewers [`PERM_CONTENT_REVIEW`]; nobody reviews their own article.

use askama::Template;
use axum::Router;
use axum::extract::{Multipart, Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use qingfeng_platform::AppError;
use qingfeng_platform::attachments::{self, Attachment, NewAttachment};
use qingfeng_platform::audit;
use qingfeng_platform::db::Tx;
use qingfeng_platform::listing::{ListParams, ListQuery};
use qingfeng_platform::users::User;
use qingfeng_platform::web::console::{actor_of, parse_id};
use qingfeng_platform::web::{AppState, Ctx, Form, Pager, Query, render_with};
use serde::Deserialize;

use super::store::{self, Article, Author, Category, Filter};
use super::workflow::{self, ActionForm, Env, Who};
use super::{Channel, DRAFT, Draft, MACHINE, OWNER_KIND, PUBLISHED, REVIEW, SCHEDULED, WITHDRAWN};
use crate::{PERM_CONTENT_EDIT, PERM_CONTENT_REVIEW};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/console/portal/news", get(list))
        .route("/console/portal/news/review", get(review_queue))
        .route("/console/portal/news/new", get(new_form).post(create))
        .route("/console/portal/news/{id}", get(edit).post(save))
        .route("/console/portal/news/{id}/act", post(act))
        .route("/console/portal/news/{id}/images", post(upload))
        .route("/console/portal/news/{id}/preview", get(preview))
        .route("/console/portal/news/media/{id}", get(media))
}

/// Staff who write or review.
fn staff(ctx: &Ctx) -> Result<&User, AppError> {
    let u = ctx.require_user()?;
    if u.can(&PERM_CONTENT_EDIT) || u.can(&PERM_CONTENT_REVIEW) {
        Ok(u)
    } else {
        Err(AppError::forbidden("auth.permission", format!("您没有“{}”权限", PERM_CONTENT_EDIT.zh)))
    }
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
struct ListForm {
    state: String,
    channel: String,
    q: String,
    page: String,
}

#[derive(Template)]
#[template(path = "news_console_list.html")]
struct ListPage<'a> {
    ctx: &'a Ctx,
    title: &'a str,
    state: String,
    channel: String,
    q: String,
    states: Vec<(&'static str, &'static str, i64)>,
    items: Vec<Article>,
    pager: Pager,
    can_edit: bool,
    review_queue: bool,
}

async fn list_page(st: &AppState, ctx: &Ctx, me: &User, raw: ListForm, review_queue: bool) -> Result<Response, AppError> {
    let state = raw.state.trim().to_string();
    if !state.is_empty() && MACHINE.state(&state).is_none() {
        return Err(AppError::bad_request("portal.state", "状态应为 draft、review、scheduled、published 或 withdrawn"));
    }
    let channel = match raw.channel.trim() {
        "" => None,
        c => Some(Channel::from_key(c).ok_or_else(|| AppError::bad_request("portal.channel", "栏目应为 news 或 cases"))?),
    };
    let params = ListParams::parse(
        &ListQuery { page: Some(raw.page.clone()), per_page: None, q: Some(raw.q.clone()), sort: None },
        store::SORT,
        "-updated",
    )?;
    let f = Filter { county: me.county_code.clone(), channel, state: (!state.is_empty()).then(|| state.clone()), category: None };
    let page = store::list(&st.db, &f, &params).await?;
    let counts = store::state_counts(&st.db, &me.county_code).await?;
    let states = [DRAFT, REVIEW, SCHEDULED, PUBLISHED, WITHDRAWN]
        .into_iter()
        .map(|k| (k, super::state_zh(k), counts.iter().find(|(s, _)| s == k).map(|(_, n)| *n).unwrap_or(0)))
        .collect();
    let base = if review_queue { "/console/portal/news/review" } else { "/console/portal/news" };
    let pager = Pager::new(&page, base, &[("state", &state), ("channel", raw.channel.trim()), ("q", raw.q.trim())]);
    let title = if review_queue { ctx.pick("文章审核", "Article review") } else { ctx.pick("营商动态与案例", "News and cases") };
    let p = ListPage {
        ctx,
        title,
        state,
        channel: raw.channel.trim().to_string(),
        q: raw.q.trim().to_string(),
        states,
        items: page.items,
        pager,
        can_edit: me.can(&PERM_CONTENT_EDIT),
        review_queue,
    };
    render_with(&p, None)
}

async fn list(State(st): State<AppState>, ctx: Ctx, Query(raw): Query<ListForm>) -> Result<Response, AppError> {
    let me = staff(&ctx)?;
    list_page(&st, &ctx, me, raw, false).await
}

async fn review_queue(State(st): State<AppState>, ctx: Ctx, Query(mut raw): Query<ListForm>) -> Result<Response, AppError> {
    let me = ctx.require(&PERM_CONTENT_REVIEW)?;
    if raw.state.trim().is_empty() {
        raw.state = REVIEW.into();
    }
    list_page(&st, &ctx, me, raw, true).await
}

#[derive(Template)]
#[template(path = "news_console_edit.html")]
struct EditPage<'a> {
    ctx: &'a Ctx,
    title: &'a str,
    /// `None` for a new article.
    article: Option<Article>,
    form: Draft,
    categories: Vec<Category>,
    images: Vec<Attachment>,
    history: Vec<audit::Entry>,
    error: Option<AppError>,
    can_edit: bool,
    can_review: bool,
    /// The reviewer is the author: approving is refused, and the page says so.
    own: bool,
}

impl EditPage<'_> {
    fn editable(&self) -> bool {
        self.can_edit && self.article.as_ref().is_none_or(|a| a.state == DRAFT)
    }
    fn is_channel(&self, c: &str) -> bool {
        self.form.channel == c
    }
    fn is_category(&self, c: &Category) -> bool {
        self.form.category == c.slug && self.form.channel == c.channel
    }
    fn is_cover(&self, id: &i64) -> bool {
        self.article.as_ref().and_then(|a| a.cover_id) == Some(*id)
    }
    fn local(&self, ms: &i64) -> String {
        qingfeng_platform::clock::local_display(*ms)
    }
}

async fn all_categories(st: &AppState) -> Result<Vec<Category>, AppError> {
    let mut all = store::categories(&st.db, Channel::News).await?;
    all.extend(store::categories(&st.db, Channel::Cases).await?);
    Ok(all)
}

async fn edit_page(
    st: &AppState,
    ctx: &Ctx,
    me: &User,
    article: Option<Article>,
    form: Option<Draft>,
    error: Option<AppError>,
) -> Result<Response, AppError> {
    let form = form.unwrap_or_else(|| match &article {
        Some(a) => Draft {
            channel: a.channel.clone(),
            category: a.category.clone(),
            title: a.title.clone(),
            summary: a.summary.clone(),
            body: a.body.clone(),
            source: a.source.clone(),
        },
        None => Draft { channel: Channel::News.key().into(), ..Draft::default() },
    });
    let (images, history) = match &article {
        Some(a) => (
            attachments::list_for_owner(&st.db, OWNER_KIND, a.id).await?,
            audit::history(&st.db, MACHINE.entity, &a.id.to_string(), 30).await?,
        ),
        None => (Vec::new(), Vec::new()),
    };
    let own = article.as_ref().is_some_and(|a| a.author_id == me.id);
    let title = match &article {
        Some(_) => ctx.pick("文章", "Article"),
        None => ctx.pick("撰写文章", "New article"),
    };
    let page = EditPage {
        ctx,
        title,
        article,
        form,
        categories: all_categories(st).await?,
        images,
        history,
        error,
        can_edit: me.can(&PERM_CONTENT_EDIT),
        can_review: me.can(&PERM_CONTENT_REVIEW),
        own,
    };
    render_with(&page, page.error.as_ref())
}

async fn new_form(State(st): State<AppState>, ctx: Ctx) -> Result<Response, AppError> {
    let me = ctx.require(&PERM_CONTENT_EDIT)?;
    edit_page(&st, &ctx, me, None, None, None).await
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
struct DraftForm {
    csrf: String,
    #[serde(flatten)]
    draft: Draft,
}

async fn categories_of(st: &AppState, channel: &str) -> Result<Vec<String>, AppError> {
    Ok(match Channel::from_key(channel.trim()) {
        Some(c) => store::categories(&st.db, c).await?.into_iter().map(|c| c.slug).collect(),
        None => Vec::new(),
    })
}

async fn create(State(st): State<AppState>, ctx: Ctx, Form(f): Form<DraftForm>) -> Result<Response, AppError> {
    let me = ctx.require(&PERM_CONTENT_EDIT)?;
    ctx.check_csrf(&f.csrf)?;
    let checked = match f.draft.check(&categories_of(&st, &f.draft.channel).await?) {
        Ok(c) => c,
        Err(e) => return edit_page(&st, &ctx, me, None, Some(f.draft), Some(e)).await,
    };
    let now = st.clock.now_ms();
    let mut tx = st.db.begin().await?;
    let id = store::insert(&mut tx, &me.county_code, &checked, &Author { id: me.id, name: &me.display_name }, false, now).await?;
    log(&mut tx, me, "portal_article.create", id, serde_json::json!({"channel": checked.channel.key(), "title": checked.title}), now)
        .await?;
    tx.commit().await?;
    Ok(Redirect::to(&format!("/console/portal/news/{id}?saved=1")).into_response())
}

/// Record a change of an article's text in the audit chain.
async fn log(tx: &mut Tx, me: &User, action: &str, id: i64, detail: serde_json::Value, now: i64) -> Result<(), AppError> {
    let change = audit::Change {
        county_code: &me.county_code,
        actor: &actor_of(me),
        action,
        entity: MACHINE.entity,
        entity_id: &id.to_string(),
        detail,
    };
    audit::append(tx, now, &change).await?;
    Ok(())
}

async fn load(st: &AppState, me: &User, raw: &str) -> Result<Article, AppError> {
    let id = parse_id(raw)?;
    store::get(&st.db, &me.county_code, id).await?.ok_or_else(|| AppError::not_found("portal.article_not_found", "文章不存在"))
}

async fn edit(State(st): State<AppState>, ctx: Ctx, Path(raw): Path<String>) -> Result<Response, AppError> {
    let me = staff(&ctx)?;
    let a = load(&st, me, &raw).await?;
    edit_page(&st, &ctx, me, Some(a), None, None).await
}

async fn save(State(st): State<AppState>, ctx: Ctx, Path(raw): Path<String>, Form(f): Form<DraftForm>) -> Result<Response, AppError> {
    let me = ctx.require(&PERM_CONTENT_EDIT)?;
    ctx.check_csrf(&f.csrf)?;
    let a = load(&st, me, &raw).await?;
    if a.state != DRAFT {
        let e = AppError::conflict("portal.not_draft", format!("文章当前为“{}”，只有草稿可以修改", a.state_zh()));
        return edit_page(&st, &ctx, me, Some(a), Some(f.draft), Some(e)).await;
    }
    let checked = match f.draft.check(&categories_of(&st, &f.draft.channel).await?) {
        Ok(c) => c,
        Err(e) => return edit_page(&st, &ctx, me, Some(a), Some(f.draft), Some(e)).await,
    };
    let now = st.clock.now_ms();
    let mut tx = st.db.begin().await?;
    if !store::update_draft(&mut tx, a.id, &checked, now).await? {
        return Err(AppError::conflict("state.conflict", "该文章已被他人提交，请刷新后重试"));
    }
    log(&mut tx, me, "portal_article.edit", a.id, serde_json::json!({"title": checked.title}), now).await?;
    tx.commit().await?;
    Ok(Redirect::to(&format!("/console/portal/news/{}?saved=1", a.id)).into_response())
}

async fn act(State(st): State<AppState>, ctx: Ctx, Path(raw): Path<String>, Form(f): Form<ActionForm>) -> Result<Response, AppError> {
    let me = staff(&ctx)?;
    ctx.check_csrf(&f.csrf)?;
    let a = load(&st, me, &raw).await?;
    let reviewing = matches!(f.event.as_str(), "approve" | "return" | "withdraw");
    let perm = if reviewing { &PERM_CONTENT_REVIEW } else { &PERM_CONTENT_EDIT };
    ctx.require(perm)?;
    let cal = st.calendar_now();
    let env = Env { db: &st.db, cal: &cal, search: Some(&st.search), now_ms: st.clock.now_ms() };
    let roles = me.role_list();
    let actor = actor_of(me);
    let who = Who { actor: &actor, user_id: me.id, name: &me.display_name, roles: &roles };
    match workflow::act(&env, &a, &who, &f).await {
        Ok(_) => Ok(Redirect::to(&format!("/console/portal/news/{}?done=1", a.id)).into_response()),
        Err(e) if e.status.is_client_error() => edit_page(&st, &ctx, me, Some(a), None, Some(e)).await,
        Err(e) => Err(e),
    }
}

/// 图片 Add a cover or an inline image (PNG or JPEG) to a draft.
async fn upload(State(st): State<AppState>, ctx: Ctx, Path(raw): Path<String>, mp: Multipart) -> Result<Response, AppError> {
    let me = ctx.require(&PERM_CONTENT_EDIT)?;
    let a = load(&st, me, &raw).await?;
    let result = async {
        let up = qingfeng_platform::web::upload::read(mp).await?;
        ctx.check_csrf(up.field("csrf"))?;
        if a.state != DRAFT {
            return Err(AppError::conflict("portal.not_draft", "只有草稿可以添加图片"));
        }
        if up.bytes.is_empty() {
            return Err(AppError::bad_request("portal.image_empty", "请选择要上传的图片"));
        }
        let ext = up.file_name.rsplit_once('.').map(|(_, e)| e.to_ascii_lowercase()).unwrap_or_default();
        if !matches!(ext.as_str(), "png" | "jpg" | "jpeg") {
            return Err(AppError::bad_request("portal.image_type", "图片只接受 PNG 或 JPEG 格式"));
        }
        let actor = actor_of(me);
        let new = NewAttachment {
            county_code: &a.county_code,
            owner_kind: OWNER_KIND,
            owner_id: a.id,
            filename: &up.file_name,
            declared_mime: &up.content_type,
            bytes: &up.bytes,
            actor: &actor,
        };
        let now = st.clock.now_ms();
        let stored = st.attachments().store(&st.db, now, &new).await?;
        if up.field("role") == "cover" {
            let mut tx = st.db.begin().await?;
            store::set_cover(&mut tx, a.id, Some(stored.id), now).await?;
            tx.commit().await?;
        }
        Ok(())
    }
    .await;
    match result {
        Ok(()) => Ok(Redirect::to(&format!("/console/portal/news/{}#images", a.id)).into_response()),
        Err(e) if e.status.is_client_error() && e.code != "auth.csrf" => edit_page(&st, &ctx, me, Some(a), None, Some(e)).await,
        Err(e) => Err(e),
    }
}

async fn preview(State(st): State<AppState>, ctx: Ctx, Path(raw): Path<String>) -> Result<Response, AppError> {
    let me = staff(&ctx)?;
    let a = load(&st, me, &raw).await?;
    super::web::preview_page(&st, &ctx, a).await
}

async fn media(State(st): State<AppState>, ctx: Ctx, Path(raw): Path<String>) -> Result<Response, AppError> {
    staff(&ctx)?;
    super::web::serve_image(&st, &raw, |_| true).await
}
