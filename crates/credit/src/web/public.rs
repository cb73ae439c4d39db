//! 信用查询 The public lookup: search enterprises and individual businesses by name or
//! unified social credit code, and see their records in publicity. Natural persons are
//! not searchable by the public (个人信息保护法); records out of publicity are not shown.

use askama::Template;
use axum::extract::{Path, State};
use axum::response::Html;
use axum::routing::get;
use axum::{Json, Router};
use qingfeng_platform::web::{AppState, Ctx, Query, render};
use qingfeng_platform::{ApiError, AppError};
use serde::{Deserialize, Serialize};

use crate::store::{self, PublicRecord, SubjectSummary};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/credit", get(search_page))
        .route("/credit/subjects/{code}", get(profile_page))
        .route("/api/v1/credit/subjects/{code}", get(profile_api))
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct SearchForm {
    q: String,
}

#[derive(Template)]
#[template(path = "credit_search.html")]
struct SearchPage<'a> {
    ctx: &'a Ctx,
    title: &'a str,
    q: String,
    found: Vec<SubjectSummary>,
    searched: bool,
}

async fn search_page(State(st): State<AppState>, ctx: Ctx, Query(f): Query<SearchForm>) -> Result<Html<String>, AppError> {
    let q: String = f.q.trim().chars().take(60).collect();
    let found = if q.chars().count() >= 2 { store::search_public(&st.db, &st.cfg.county_code, &q, 30).await? } else { Vec::new() };
    render(&SearchPage { ctx: &ctx, title: ctx.pick("信用查询", "Credit lookup"), searched: !q.is_empty(), q, found })
}

/// A public profile: the subject and its records in publicity, by report section.
#[derive(Debug, Clone, Serialize)]
pub struct Profile {
    pub subject: SubjectSummary,
    /// 行政管理: 行政许可 then 行政处罚.
    pub permits: Vec<PublicRecord>,
    pub penalties: Vec<PublicRecord>,
}

/// The public profile of the enterprise or individual business with this code.
pub async fn profile(st: &AppState, code: &str) -> Result<Profile, AppError> {
    let uscc = qingfeng_core::Uscc::parse(code)?;
    let subject = store::public_subject(&st.db, &st.cfg.county_code, uscc.as_str())
        .await?
        .ok_or_else(|| AppError::not_found("credit.subject_not_found", format!("没有统一社会信用代码为 {} 的公示主体", uscc.as_str())))?;
    let records = store::public_records(&st.db, subject.id).await?;
    let (permits, penalties) = records.into_iter().partition(|r| r.kind == "xk");
    Ok(Profile { subject, permits, penalties })
}

#[derive(Template)]
#[template(path = "credit_profile.html")]
struct ProfilePage<'a> {
    ctx: &'a Ctx,
    title: String,
    p: Profile,
}

async fn profile_page(State(st): State<AppState>, ctx: Ctx, Path(code): Path<String>) -> Result<Html<String>, AppError> {
    let p = profile(&st, &code).await?;
    render(&ProfilePage { ctx: &ctx, title: p.subject.name.clone(), p })
}

async fn profile_api(State(st): State<AppState>, Path(code): Path<String>) -> Result<Json<Profile>, ApiError> {
    Ok(Json(profile(&st, &code).await?))
}
