//! 化解网络 The network that resolves disputes: the tribunals with their 网格之家 and the
//! court, professional organisations and the administrative dispute centre, one
//! mediation committee per township, the village grids and their grid workers, and the
//! mediator register with titles and specialities (kept by county administrators).

use askama::Template;
use axum::Router;
use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use qingfeng_platform::AppError;
use qingfeng_platform::audit::{self, Change};
use qingfeng_platform::auth::{Role, Scope};
use qingfeng_platform::listing::{ListParams, ListQuery};
use qingfeng_platform::registry::{self, Organisation};
use qingfeng_platform::sql::Sql;
use qingfeng_platform::web::{AppState, Ctx, Form, render_with};
use serde::Deserialize;

use super::categories;
use crate::PERM_CASES;
use crate::store::{self, Mediator};

pub fn routes() -> Router<AppState> {
    Router::new().route("/console/mediation/network", get(page).post(save_mediator))
}

/// One township's committee and grid coverage.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct TownRow {
    pub code: String,
    pub name: String,
    pub grids: i64,
    pub staffed: i64,
    pub open_cases: i64,
}

#[derive(Template)]
#[template(path = "med_network.html")]
struct NetworkPage<'a> {
    ctx: &'a Ctx,
    title: &'a str,
    tribunals: Vec<Organisation>,
    courts: Vec<Organisation>,
    orgs: Vec<Organisation>,
    towns: Vec<TownRow>,
    mediators: Vec<Mediator>,
    categories: Vec<(String, String)>,
    can_edit: bool,
    grids: i64,
    staffed: i64,
    error: Option<AppError>,
}

fn can_edit(roles: &[Role]) -> bool {
    roles.iter().any(|r| matches!(r, Role::CountyAdmin | Role::SystemAdmin))
}

async fn orgs_of(st: &AppState, kind: &str) -> Result<Vec<Organisation>, AppError> {
    let params = ListParams::parse(&ListQuery { per_page: Some("200".into()), ..Default::default() }, registry::ORG_SORT, "name")?;
    Ok(registry::list_orgs(&st.db, &Scope::everything(), Some(kind), &params).await?.items)
}

async fn view(st: &AppState, ctx: &Ctx, error: Option<AppError>) -> Result<Response, AppError> {
    let me = ctx.require(&PERM_CASES)?;
    let county = me.county_code.as_str();
    let mut s = Sql::new(
        "SELECT d.code, d.name, \
         (SELECT COUNT(*) FROM grids g WHERE g.township_code = d.code) AS grids, \
         (SELECT COUNT(*) FROM grids g WHERE g.township_code = d.code AND g.worker_user_id IS NOT NULL) AS staffed, \
         (SELECT COUNT(*) FROM mediation_cases c WHERE c.township_code = d.code AND c.closed_at IS NULL) AS open_cases \
         FROM divisions d WHERE d.level = 'township' AND d.county_code = ",
    );
    s.bind(county).push(" ORDER BY d.code");
    let towns = s.fetch_all::<TownRow>(&st.db).await?;
    let page = NetworkPage {
        ctx,
        title: ctx.pick("化解网络", "Resolution network"),
        tribunals: orgs_of(st, "tribunal").await?,
        courts: orgs_of(st, "court").await?,
        orgs: orgs_of(st, "mediation").await?,
        grids: towns.iter().map(|t| t.grids).sum(),
        staffed: towns.iter().map(|t| t.staffed).sum(),
        towns,
        mediators: store::mediators(&st.db, county).await?,
        categories: categories(),
        can_edit: can_edit(&me.role_list()),
        error,
    };
    render_with(&page, page.error.as_ref())
}

async fn page(State(st): State<AppState>, ctx: Ctx) -> Result<Response, AppError> {
    view(&st, &ctx, None).await
}

/// The register form: the mediator, a title and the specialities ticked.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
struct MediatorForm {
    csrf: String,
    user_id: String,
    title: String,
    /// Ticked categories arrive as `sp_<category>=1`.
    #[serde(flatten)]
    ticked: std::collections::HashMap<String, String>,
}

async fn save_mediator(State(st): State<AppState>, ctx: Ctx, Form(f): Form<MediatorForm>) -> Result<Response, AppError> {
    let me = ctx.require(&PERM_CASES)?;
    ctx.check_csrf(&f.csrf)?;
    if !can_edit(&me.role_list()) {
        return Err(AppError::forbidden("mediation.register_forbidden", "只有县级管理员可以维护调解员名册"));
    }
    let result = async {
        let uid: i64 = f.user_id.trim().parse().map_err(|_| AppError::bad_request("mediation.mediator", "请选择调解员"))?;
        if !store::mediators(&st.db, &me.county_code).await?.iter().any(|m| m.id == uid) {
            return Err(AppError::bad_request("mediation.mediator", "所选人员不是本县的调解员"));
        }
        let mut keys: Vec<String> = f.ticked.keys().filter_map(|k| k.strip_prefix("sp_")).map(str::to_string).collect();
        // In the order of the category list, as people read it.
        let order = |k: &String| crate::rules::Rules::shipped().categories.iter().position(|c| &c.key == k).unwrap_or(usize::MAX);
        keys.sort_by_key(order);
        let now = st.clock.now_ms();
        let mut tx = st.db.begin().await?;
        store::set_mediator(&mut tx, &me.county_code, uid, &f.title, &keys, false, now).await?;
        audit::append(
            &mut tx,
            now,
            &Change {
                county_code: &me.county_code,
                actor: &qingfeng_platform::web::console::actor_of(me),
                action: "mediation.mediator_register",
                entity: "user",
                entity_id: &uid.to_string(),
                detail: serde_json::json!({"title": f.title.trim(), "specialities": keys}),
            },
        )
        .await?;
        tx.commit().await?;
        Ok::<(), AppError>(())
    }
    .await;
    match result {
        Ok(()) => Ok(Redirect::to("/console/mediation/network#mediators").into_response()),
        Err(e) if e.status.is_client_error() => view(&st, &ctx, Some(e)).await,
        Err(e) => Err(e),
    }
}
