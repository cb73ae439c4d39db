//! 归集数据质量 Per department: records sent, the share of rows rejected, and 双公示
//! timeliness (arrived within 7 working days of the decision), with an SVG chart drawn
//! on the server; county totals and records per resident (the seed's "人均20条").

use std::collections::HashMap;

use askama::Template;
use axum::Router;
use axum::extract::State;
use axum::response::Html;
use axum::routing::get;
use qingfeng_platform::auth::Scope;
use qingfeng_platform::listing::{ListParams, ListQuery, MAX_PER_PAGE};
use qingfeng_platform::web::{AppState, Ctx, render};
use qingfeng_platform::{AppError, registry};

use crate::store;
use crate::{COUNTY_POPULATION, PERM_QUALITY};

pub fn routes() -> Router<AppState> {
    Router::new().route("/console/credit/quality", get(page))
}

/// One department's row.
pub struct Row {
    pub name: String,
    pub code: String,
    pub records: i64,
    pub timely_pct: String,
    pub read: i64,
    pub rejected_pct: String,
    /// Width of the timeliness bar in the chart (0–240).
    pub bar: i64,
}

#[derive(Template)]
#[template(path = "credit_quality.html")]
struct Page<'a> {
    ctx: &'a Ctx,
    title: &'a str,
    rows: Vec<Row>,
    records: i64,
    subjects: i64,
    per_resident: String,
    chart_height: usize,
}

fn pct(part: i64, whole: i64) -> String {
    if whole == 0 { "—".into() } else { format!("{:.1}%", part as f64 * 100.0 / whole as f64) }
}

async fn page(State(st): State<AppState>, ctx: Ctx) -> Result<Html<String>, AppError> {
    let user = ctx.require(&PERM_QUALITY)?;
    let county = &user.county_code;
    let dept = super::own_department(&st, user).await?;
    let records = store::records_by_dept(&st.db, county, dept.as_deref()).await?;
    let imports: HashMap<String, store::DeptImports> =
        store::imports_by_dept(&st.db, county, dept.as_deref()).await?.into_iter().map(|i| (i.source_dept.clone(), i)).collect();
    // Department names through the registry's API.
    let all = ListQuery { per_page: Some(MAX_PER_PAGE.to_string()), ..ListQuery::default() };
    let orgs =
        registry::list_orgs(&st.db, &Scope::everything(), Some("department"), &ListParams::parse(&all, registry::ORG_SORT, "id")?).await?;
    let names: HashMap<String, String> = orgs.items.into_iter().filter_map(|o| o.uscc.map(|u| (u, o.name))).collect();
    let rows: Vec<Row> = records
        .iter()
        .map(|r| {
            let imp = imports.get(&r.source_dept);
            Row {
                name: names.get(&r.source_dept).cloned().unwrap_or_else(|| r.source_dept.clone()),
                code: r.source_dept.clone(),
                records: r.records,
                timely_pct: pct(r.timely, r.records),
                read: imp.map_or(0, |i| i.read),
                rejected_pct: imp.map_or("—".into(), |i| pct(i.rejected, i.read)),
                bar: if r.records == 0 { 0 } else { r.timely * 240 / r.records },
            }
        })
        .collect();
    let (total, subjects) =
        if dept.is_some() { (records.iter().map(|r| r.records).sum(), 0) } else { store::totals(&st.db, county).await? };
    let per_resident = format!("{:.2}", total as f64 / COUNTY_POPULATION as f64);
    let chart_height = rows.len() * 34 + 4;
    render(&Page {
        ctx: &ctx, title: ctx.pick("归集数据质量", "Data quality"), rows, records: total, subjects, per_resident, chart_height
    })
}
