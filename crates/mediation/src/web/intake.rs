//! 纠纷登记 The report form: a grid worker on a phone (390×844, one column, draft kept on
//! the device if the network drops), window and hotline staff, a tribunal's window; and
//! the same form for citizens applying online, who get a tracking code.

use askama::Template;
use axum::Router;
use axum::extract::State;
use axum::response::Response;
use axum::routing::get;
use qingfeng_platform::AppError;
use qingfeng_platform::audit::Actor;
use qingfeng_platform::auth::Role;
use qingfeng_platform::users::User;
use qingfeng_platform::web::{AppState, Ctx, Form, render_with};
use serde::Deserialize;

use super::{Township, calendar, categories, env, places};
use crate::PERM_INTAKE;
use crate::model;
use crate::store::Case;
use crate::workflow::{self, IntakeInput, PartyInput};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/console/mediation/report", get(report_page).post(report_submit))
        .route("/mediation/apply", get(apply_page).post(apply_submit))
}

/// The form as posted (flat, as browsers send it).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct IntakeForm {
    pub csrf: String,
    pub channel: String,
    pub category: String,
    pub summary: String,
    pub claim: String,
    pub amount_yuan: String,
    pub village_code: String,
    pub place: String,
    pub occurred_on: String,
    pub applicant_name: String,
    pub applicant_code: String,
    pub applicant_phone: String,
    pub respondent_name: String,
    pub respondent_code: String,
    pub respondent_phone: String,
}

impl IntakeForm {
    pub fn input(&self) -> IntakeInput {
        IntakeInput {
            category: self.category.clone(),
            summary: self.summary.clone(),
            claim: self.claim.clone(),
            amount_yuan: self.amount_yuan.clone(),
            village_code: self.village_code.clone(),
            place: self.place.clone(),
            occurred_on: self.occurred_on.clone(),
            applicant: PartyInput {
                name: self.applicant_name.clone(),
                code: self.applicant_code.clone(),
                phone: self.applicant_phone.clone(),
            },
            respondent: PartyInput {
                name: self.respondent_name.clone(),
                code: self.respondent_code.clone(),
                phone: self.respondent_phone.clone(),
            },
            external_ref: String::new(),
        }
    }
}

#[derive(Template)]
#[template(path = "med_intake.html")]
struct IntakePage<'a> {
    ctx: &'a Ctx,
    title: &'a str,
    public: bool,
    action: &'a str,
    channels: Vec<(&'static str, &'static str)>,
    categories: Vec<(String, String)>,
    places: Vec<Township>,
    form: IntakeForm,
    error: Option<AppError>,
}

#[derive(Template)]
#[template(path = "med_created.html")]
struct CreatedPage<'a> {
    ctx: &'a Ctx,
    title: &'a str,
    public: bool,
    case: Case,
    category: String,
}

/// The channels a person may register through: a grid worker reports from the grid, a
/// judge from the court's window, other staff at a window or the hotline.
fn channels_for(user: &User) -> Vec<(&'static str, &'static str)> {
    let keys: &[&str] = if user.has_role(Role::GridWorker) {
        &["grid"]
    } else if user.has_role(Role::TribunalJudge) {
        &["court", "window"]
    } else {
        &["window", "hotline", "grid"]
    };
    keys.iter().filter_map(|k| model::channel(k)).map(|c| (c.key, c.zh)).collect()
}

async fn show(
    st: &AppState,
    ctx: &Ctx,
    public: bool,
    channels: Vec<(&'static str, &'static str)>,
    form: IntakeForm,
    error: Option<AppError>,
) -> Result<Response, AppError> {
    let title = if public { ctx.pick("申请调解", "Apply for mediation") } else { ctx.pick("纠纷上报", "Report a dispute") };
    let page = IntakePage {
        ctx,
        title,
        public,
        action: if public { "/mediation/apply" } else { "/console/mediation/report" },
        channels,
        categories: categories(),
        places: places(&st.db, &st.cfg.county_code).await?,
        form,
        error,
    };
    render_with(&page, page.error.as_ref())
}

async fn report_page(State(st): State<AppState>, ctx: Ctx) -> Result<Response, AppError> {
    let me = ctx.require(&PERM_INTAKE)?;
    // A grid worker's village (their scope) is the likely place: preselect it.
    let form = IntakeForm {
        village_code: if me.scope_division.len() == 12 { me.scope_division.clone() } else { String::new() },
        ..Default::default()
    };
    show(&st, &ctx, false, channels_for(me), form, None).await
}

async fn report_submit(State(st): State<AppState>, ctx: Ctx, Form(f): Form<IntakeForm>) -> Result<Response, AppError> {
    let me = ctx.require(&PERM_INTAKE)?;
    ctx.check_csrf(&f.csrf)?;
    let channels = channels_for(me);
    let Some(channel) = channels.iter().find(|c| c.0 == f.channel.trim()).map(|c| c.0) else {
        let e = AppError::bad_request("mediation.channel", "请选择登记渠道");
        return show(&st, &ctx, false, channels, f, Some(e)).await;
    };
    let cal = calendar(&st);
    let result = async {
        let (new, parties) = workflow::check_intake(&st.db, &st.pii, &me.county_code, channel, &f.input(), st.clock.today()).await?;
        let actor = qingfeng_platform::web::console::actor_of(me);
        workflow::intake(env(&st, &cal), new, parties, Some(me), &actor).await
    }
    .await;
    match result {
        Ok(case) => created(&ctx, false, case),
        Err(e) if e.status.is_client_error() => show(&st, &ctx, false, channels, f, Some(e)).await,
        Err(e) => Err(e),
    }
}

fn created(ctx: &Ctx, public: bool, case: Case) -> Result<Response, AppError> {
    let category = case.category_zh();
    let page = CreatedPage { ctx, title: ctx.pick("已登记", "Registered"), public, case, category };
    render_with(&page, None)
}

async fn apply_page(State(st): State<AppState>, ctx: Ctx) -> Result<Response, AppError> {
    show(&st, &ctx, true, Vec::new(), IntakeForm::default(), None).await
}

async fn apply_submit(State(st): State<AppState>, ctx: Ctx, Form(f): Form<IntakeForm>) -> Result<Response, AppError> {
    ctx.check_csrf(&f.csrf)?;
    let cal = calendar(&st);
    let county = st.cfg.county_code.clone();
    let result = async {
        let (new, parties) = workflow::check_intake(&st.db, &st.pii, &county, "online", &f.input(), st.clock.today()).await?;
        workflow::intake(env(&st, &cal), new, parties, None, &Actor::System("mediation.online")).await
    }
    .await;
    match result {
        Ok(case) => created(&ctx, true, case),
        Err(e) if e.status.is_client_error() => show(&st, &ctx, true, Vec::new(), f, Some(e)).await,
        Err(e) => Err(e),
    }
}
