//! 诉源治理统计 The figures page: county (or township) totals, rows per township,
//! handling body and grid worker, server-drawn SVG charts that fit a phone, the
//! definitions, the court's yearly civil intake (entered here by county administrators
//! and judges, audited) and the Excel export.

use askama::Template;
use axum::Router;
use axum::extract::State;
use axum::http::header;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use qingfeng_platform::AppError;
use qingfeng_platform::auth::Role;
use qingfeng_platform::users::User;
use qingfeng_platform::web::chart::{BarItem, Chart};
use qingfeng_platform::web::{AppState, Ctx, Form, Query, render_with};
use serde::Deserialize;

use crate::PERM_FIGURES;
use crate::figures::{self, Counts, FigureScope, Figures, Period, Row, days, pct, signed_pct};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/console/mediation/figures", get(page))
        .route("/console/mediation/figures.xlsx", get(export))
        .route("/console/mediation/figures/court-intake", post(save_intake))
}

/// Rows of the longer breakdowns shown on the page (the spreadsheet has them all).
pub const PAGE_ROWS: usize = 50;
/// Bars in the per-body chart.
const CHART_BODIES: usize = 10;

/// One row as the page prints it.
pub struct RowView {
    pub name: String,
    pub registered: i64,
    pub agreed: i64,
    pub rate: String,
    pub resolved: i64,
    pub failed: i64,
    pub success: String,
    pub confirmed: i64,
    pub papers: i64,
    pub litigation: i64,
    pub litigation_prev: i64,
    pub litigation_change: String,
    pub avg_days: String,
    pub overdue: i64,
}

impl RowView {
    fn of(name: &str, c: &Counts) -> RowView {
        RowView {
            name: name.to_string(),
            registered: c.registered,
            agreed: c.agreed,
            rate: pct(c.resolution_rate()),
            resolved: c.resolved,
            failed: c.failed,
            success: pct(c.success_rate()),
            confirmed: c.confirmed,
            papers: c.papers,
            litigation: c.litigation,
            litigation_prev: c.litigation_prev,
            litigation_change: signed_pct(c.litigation_change()),
            avg_days: days(c.avg_days()),
            overdue: c.overdue,
        }
    }
}

/// A bar of a whole (light) with its part (dark), and the text after it.
fn two_tone(label: String, whole: i64, part: i64, value: String) -> BarItem {
    BarItem { label, whole, part: Some(part), value }
}

/// A single dark bar and the text after it.
fn single(label: String, whole: i64, value: String) -> BarItem {
    BarItem { label, whole, part: None, value }
}

/// A year of court intake as printed.
pub struct IntakeView {
    pub year: i64,
    pub civil_cases: i64,
    pub prev: String,
    pub change: String,
    pub source: String,
    pub demo: bool,
    pub selected: bool,
}

#[derive(Template)]
#[template(path = "mediation_figures.html")]
pub struct FiguresPage<'a> {
    pub ctx: &'a Ctx,
    pub title: String,
    pub period_zh: String,
    pub period_param: String,
    pub year: Option<i32>,
    pub scope_name: String,
    pub township_scoped: bool,
    pub total: RowView,
    pub demo: i64,
    pub townships: Vec<RowView>,
    pub bodies: Vec<RowView>,
    pub bodies_total: usize,
    pub workers: Vec<RowView>,
    pub workers_total: usize,
    pub chart_townships: Chart,
    pub chart_bodies: Chart,
    pub chart_years: Chart,
    /// (param, label, selected)
    pub years: Vec<(String, String, bool)>,
    pub court: Vec<IntakeView>,
    /// The court intake of the selected year and its change, or `None` when not entered.
    pub court_year: Option<(i64, String)>,
    pub can_enter: bool,
    pub intake_year: String,
    pub error: Option<AppError>,
    pub saved: bool,
    pub definitions: &'static [(&'static str, &'static str)],
    pub page_rows: usize,
}

/// Who may enter the court's intake: county and system administrators, tribunal judges.
pub fn can_enter_intake(user: &User) -> bool {
    [Role::SystemAdmin, Role::CountyAdmin, Role::TribunalJudge].iter().any(|r| user.has_role(*r))
}

fn rows(rows: &[Row], limit: usize) -> Vec<RowView> {
    rows.iter().take(limit).map(|r| RowView::of(&r.name, &r.counts)).collect()
}

/// The page for `f`, rendered (public for the benchmark, which times it).
pub fn render_page<'a>(
    ctx: &'a Ctx,
    f: &Figures,
    current_year: i32,
    can_enter: bool,
    error: Option<AppError>,
    saved: bool,
) -> FiguresPage<'a> {
    let t = &f.total;
    let chart_townships = Chart::new(
        "chart-townships",
        ctx.pick("各乡镇化解率", "Resolution by township"),
        f.townships
            .iter()
            .map(|r| {
                let c = &r.counts;
                two_tone(format!("{} {}件", r.name, c.registered), c.registered, c.agreed, format!("化解率 {}", pct(c.resolution_rate())))
            })
            .collect(),
    );
    let chart_bodies = Chart::new(
        "chart-bodies",
        ctx.pick("各调解组织化解率", "Resolution by body"),
        f.bodies
            .iter()
            .filter(|r| r.counts.registered > 0)
            .take(CHART_BODIES)
            .map(|r| {
                let c = &r.counts;
                two_tone(format!("{} {}件", r.name, c.registered), c.registered, c.agreed, format!("化解率 {}", pct(c.resolution_rate())))
            })
            .collect(),
    );
    let court_year = f.court_for_year().map(|c| (c.intake.civil_cases, signed_pct(c.change)));
    let mut years_items = Vec::new();
    if let Some(y) = f.period.year() {
        years_items.push(single(format!("{}年进入诉讼", y - 1), t.litigation_prev, t.litigation_prev.to_string()));
        years_items.push(single(
            format!("{y}年进入诉讼"),
            t.litigation,
            format!("{} 同比 {}", t.litigation, signed_pct(t.litigation_change())),
        ));
        if let Some(c) = f.court_for_year() {
            if let Some(p) = c.prev {
                years_items.push(single(format!("{}年法院民事收案", y - 1), p, p.to_string()));
            }
            years_items.push(single(
                format!("{y}年法院民事收案"),
                c.intake.civil_cases,
                format!("{} 同比 {}", c.intake.civil_cases, signed_pct(c.change)),
            ));
        }
    }
    let mut years: Vec<(String, String, bool)> =
        (current_year - 3..=current_year).rev().map(|y| (y.to_string(), format!("{y}年"), f.period == Period::Year(y))).collect();
    years.push(("all".into(), "全部年份".into(), f.period == Period::All));
    let selected = f.period.year().map(i64::from);
    FiguresPage {
        ctx,
        title: ctx.pick("诉源治理统计", "Dispute figures").to_string(),
        period_zh: f.period.zh(),
        period_param: f.period.param(),
        year: f.period.year(),
        scope_name: f.scope_name.clone(),
        township_scoped: f.scope.is_some(),
        total: RowView::of(&f.scope_name, t),
        demo: t.demo,
        townships: rows(&f.townships, usize::MAX),
        bodies: rows(&f.bodies, PAGE_ROWS),
        bodies_total: f.bodies.len(),
        workers: rows(&f.workers, PAGE_ROWS),
        workers_total: f.workers.len(),
        chart_townships,
        chart_bodies,
        chart_years: Chart::new("chart-years", ctx.pick("进入诉讼同比", "Litigation year on year"), years_items),
        years,
        court: f
            .court
            .iter()
            .map(|c| IntakeView {
                year: c.intake.year,
                civil_cases: c.intake.civil_cases,
                prev: c.prev.map(|p| p.to_string()).unwrap_or_else(|| "—".into()),
                change: signed_pct(c.change),
                source: c.intake.source.clone(),
                demo: c.intake.is_demo,
                selected: Some(c.intake.year) == selected,
            })
            .collect(),
        court_year,
        can_enter,
        intake_year: f.period.year().unwrap_or(current_year).min(current_year).to_string(),
        error,
        saved,
        definitions: figures::DEFINITIONS,
        page_rows: PAGE_ROWS,
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct FiguresQuery {
    year: Option<String>,
    saved: Option<String>,
}

async fn compute_for(st: &AppState, user: &User, year: Option<&str>) -> Result<(Figures, i32), AppError> {
    let now = st.clock.now_ms();
    let current = figures::year_of(now);
    let period = Period::parse(year, current)?;
    let f = figures::compute(&st.db, &FigureScope::of(user), period, now).await?;
    Ok((f, current))
}

async fn page(State(st): State<AppState>, ctx: Ctx, Query(q): Query<FiguresQuery>) -> Result<Response, AppError> {
    let user = ctx.require(&PERM_FIGURES)?;
    let (f, current) = compute_for(&st, user, q.year.as_deref()).await?;
    let p = render_page(&ctx, &f, current, can_enter_intake(user), None, q.saved.is_some());
    render_with(&p, None)
}

async fn export(State(st): State<AppState>, ctx: Ctx, Query(q): Query<FiguresQuery>) -> Result<Response, AppError> {
    let user = ctx.require(&PERM_FIGURES)?;
    let (f, _) = compute_for(&st, user, q.year.as_deref()).await?;
    let bytes = figures::xlsx(&f)?;
    let name = format!("mediation-figures-{}{}.xlsx", f.period.param(), f.scope.as_deref().map(|t| format!("-{t}")).unwrap_or_default());
    Ok((
        [
            (header::CONTENT_TYPE, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet".to_string()),
            (header::CONTENT_DISPOSITION, format!("attachment; filename=\"{name}\"")),
        ],
        bytes,
    )
        .into_response())
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct IntakeForm {
    csrf: String,
    year: String,
    civil_cases: String,
    source: String,
}

async fn save_intake(State(st): State<AppState>, ctx: Ctx, Form(form): Form<IntakeForm>) -> Result<Response, AppError> {
    let user = ctx.require(&PERM_FIGURES)?;
    ctx.check_csrf(&form.csrf)?;
    if !can_enter_intake(user) {
        return Err(AppError::forbidden("mediation.intake_forbidden", "只有县级管理员和人民法庭法官可以录入法院民事收案数"));
    }
    let now = st.clock.now_ms();
    let current = figures::year_of(now);
    let result = async {
        let input = figures::check_intake(&form.year, &form.civil_cases, &form.source, current)?;
        let actor = qingfeng_platform::web::console::actor_of(user);
        figures::set_court_intake(&st.db, &user.county_code, &input, &actor, now).await?;
        Ok::<i32, AppError>(input.year)
    }
    .await;
    match result {
        Ok(year) => Ok(Redirect::to(&format!("/console/mediation/figures?year={year}&saved=1#court")).into_response()),
        Err(e) => {
            let year = form.year.trim().parse::<i32>().ok().filter(|y| (2000..=current).contains(y)).map(|y| y.to_string());
            let (f, current) = compute_for(&st, user, year.as_deref()).await?;
            let p = render_page(&ctx, &f, current, true, Some(e.clone()), false);
            render_with(&p, Some(&e))
        }
    }
}
