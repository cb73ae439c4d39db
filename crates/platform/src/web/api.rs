//! JSON API under `/api/v1`. Errors are `{"error":{"code","message"}}` with a 4xx status.
//! Callers are staff with a session cookie or machine clients with
//! `Authorization: Bearer <token>`.

use axum::extract::{FromRequestParts, Path, State};
use axum::http::header;
use axum::http::request::Parts;
use axum::routing::get;
use axum::{Json, Router};
use serde::{Deserialize, Serialize};

use super::{ApiQuery, AppState, Ctx};
use crate::auth::{Permission, perms};
use crate::error::{ApiError, AppError};
use crate::listing::{ListParams, ListQuery, Page};
use crate::registry::{self, Division, Grid, Organisation};
use crate::session::{self, TokenAuth};
use crate::users::User;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/api/v1/divisions/{code}", get(division))
        .route("/api/v1/divisions/{code}/children", get(children))
        .route("/api/v1/me", get(me))
        .route("/api/v1/grids", get(grids))
        .route("/api/v1/grids/{id}", get(grid))
        .route("/api/v1/orgs", get(orgs))
}

/// An authenticated API caller: a signed-in person or a token.
pub enum Caller {
    Session(User),
    Token(TokenAuth),
}

impl Caller {
    pub fn user(&self) -> &User {
        match self {
            Caller::Session(u) => u,
            Caller::Token(t) => &t.user,
        }
    }
    /// The caller holding `perm` (a token also needs it among its own permissions).
    pub fn require(&self, perm: &Permission) -> Result<&User, ApiError> {
        let ok = match self {
            Caller::Session(u) => u.can(perm),
            Caller::Token(t) => t.allows(perm),
        };
        if ok { Ok(self.user()) } else { Err(AppError::forbidden("auth.permission", format!("没有“{}”权限", perm.zh)).into()) }
    }
}

impl FromRequestParts<AppState> for Caller {
    type Rejection = ApiError;
    async fn from_request_parts(parts: &mut Parts, st: &AppState) -> Result<Self, Self::Rejection> {
        if let Some(auth) = parts.headers.get(header::AUTHORIZATION) {
            let value = auth.to_str().unwrap_or_default();
            let Some(secret) = value.strip_prefix("Bearer ") else {
                return Err(
                    AppError::new(axum::http::StatusCode::UNAUTHORIZED, "token.format", "Authorization 头须为 “Bearer <令牌>”").into()
                );
            };
            return Ok(Caller::Token(session::authenticate_token(&st.db, secret, st.clock.now_ms()).await?));
        }
        let ctx = Ctx::from_request_parts(parts, st).await?;
        match ctx.session {
            Some(s) => Ok(Caller::Session(s.user)),
            None => Err(AppError::new(axum::http::StatusCode::UNAUTHORIZED, "auth.required", "需要登录或接口令牌").into()),
        }
    }
}

/// 区划 One division (public reference data).
async fn division(State(st): State<AppState>, Path(code): Path<String>) -> Result<Json<Division>, ApiError> {
    let d =
        registry::division(&st.db, &code).await?.ok_or_else(|| AppError::not_found("division.not_found", format!("区划 {code} 不存在")))?;
    Ok(Json(d))
}

#[derive(Serialize)]
struct Children {
    parent: Division,
    count: usize,
    items: Vec<Division>,
}

/// The children of a division.
async fn children(State(st): State<AppState>, Path(code): Path<String>) -> Result<Json<Children>, ApiError> {
    let parent =
        registry::division(&st.db, &code).await?.ok_or_else(|| AppError::not_found("division.not_found", format!("区划 {code} 不存在")))?;
    let items = registry::children(&st.db, &parent.code).await?;
    Ok(Json(Children { parent, count: items.len(), items }))
}

#[derive(Serialize)]
struct Me {
    id: i64,
    username: String,
    display_name: String,
    roles: Vec<&'static str>,
    scope: crate::auth::Scope,
    via_token: bool,
}

async fn me(caller: Caller) -> Json<Me> {
    let u = caller.user();
    Json(Me {
        id: u.id,
        username: u.username.clone(),
        display_name: u.display_name.clone(),
        roles: u.role_list().iter().map(|r| r.key()).collect(),
        scope: u.scope(),
        via_token: matches!(caller, Caller::Token(_)),
    })
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct GridQuery {
    township: String,
    #[serde(flatten)]
    list: ListQuery,
}

/// Grids within the caller's scope.
async fn grids(State(st): State<AppState>, caller: Caller, ApiQuery(q): ApiQuery<GridQuery>) -> Result<Json<Page<Grid>>, ApiError> {
    let u = caller.require(&perms::REGISTRY_READ)?;
    let params = ListParams::parse(&q.list, registry::GRID_SORT, "code")?;
    Ok(Json(registry::list_grids(&st.db, &u.scope(), Some(&q.township), &params).await?))
}

async fn grid(State(st): State<AppState>, caller: Caller, Path(id): Path<String>) -> Result<Json<Grid>, ApiError> {
    let u = caller.require(&perms::REGISTRY_READ)?;
    Ok(Json(registry::grid(&st.db, &u.scope(), super::console::parse_id(&id)?).await?))
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct OrgQuery {
    kind: String,
    #[serde(flatten)]
    list: ListQuery,
}

async fn orgs(State(st): State<AppState>, caller: Caller, ApiQuery(q): ApiQuery<OrgQuery>) -> Result<Json<Page<Organisation>>, ApiError> {
    let u = caller.require(&perms::REGISTRY_READ)?;
    let params = ListParams::parse(&q.list, registry::ORG_SORT, "id")?;
    Ok(Json(registry::list_orgs(&st.db, &u.scope(), Some(&q.kind), &params).await?))
}
