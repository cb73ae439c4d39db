//! 案件基准 The benchmark behind `qingfeng bench mediation`: generate N synthetic cases
//! ([`crate::generate`]) into a fresh database, then time many runs of what people do
//! most: the county administrator's case list (page 1 and a deep page), a township's
//! list, a search over the list, and the figures (the aggregate queries, then the page
//! rendered to HTML). Prints p50/p99 per query; the goals are p99 ≤ 50 ms for lists and
//! searches and ≤ 200 ms for the figures page.

use std::time::Instant;

use qingfeng_platform::AppError;
use qingfeng_platform::auth::Role;
use qingfeng_platform::db::Db;
use qingfeng_platform::listing::{ListParams, ListQuery};
use qingfeng_platform::users::User;
use qingfeng_platform::web::Ctx;
use qingfeng_platform::web::i18n::Lang;
use serde::Serialize;

use crate::figures::{self, FigureScope, Period};
use crate::generate::{self, GenOptions};
use crate::store::{self, CaseFilter};

/// The timings of one query.
#[derive(Debug, Clone, Serialize)]
pub struct Timing {
    pub name: String,
    pub runs: usize,
    pub p50_ms: f64,
    pub p99_ms: f64,
    pub max_ms: f64,
    /// Rows matched (the list total) or groups read, for context.
    pub matched: i64,
}

/// What the benchmark prints (one JSON object).
#[derive(Debug, Clone, Serialize)]
pub struct BenchFigures {
    pub backend: &'static str,
    pub cases: u64,
    pub generate_seconds: f64,
    pub cases_per_s: f64,
    pub queries: Vec<Timing>,
    /// The figures page: aggregate queries plus rendering, per run.
    pub figures_page_p99_ms: f64,
    pub lists_p99_max_ms: f64,
    pub goals_met: bool,
    pub peak_rss_mb: f64,
}

fn percentile(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i.min(sorted.len() - 1)]
}

fn timing(name: &str, mut ms: Vec<f64>, matched: i64) -> Timing {
    ms.sort_by(f64::total_cmp);
    Timing {
        name: name.to_string(),
        runs: ms.len(),
        p50_ms: percentile(&ms, 0.5),
        p99_ms: percentile(&ms, 0.99),
        max_ms: ms.last().copied().unwrap_or(0.0),
        matched,
    }
}

/// A user held in memory for the benchmark and tests (the queries only read these fields).
pub fn memory_user(id: i64, county: &str, role: Role, scope: &str) -> User {
    User {
        id,
        county_code: county.to_string(),
        username: format!("bench-{}", role.key()),
        display_name: role.zh().to_string(),
        org_id: None,
        org_name: None,
        scope_division: scope.to_string(),
        disabled: false,
        must_change_password: false,
        phone: String::new(),
        id_number_enc: None,
        is_demo: true,
        roles: role.key().to_string(),
    }
}

fn params(page: i64, q: Option<&str>) -> Result<ListParams, AppError> {
    let raw = ListQuery { page: Some(page.to_string()), per_page: None, q: q.map(str::to_string), sort: None };
    ListParams::parse(&raw, store::CASE_SORT, "-created")
}

/// Time `runs` runs of one case list.
async fn time_list(db: &Db, name: &str, u: &User, page: i64, q: Option<&str>, runs: usize) -> Result<Timing, AppError> {
    let f = CaseFilter::default();
    let p = params(page, q)?;
    let mut ms = Vec::with_capacity(runs);
    let mut matched = 0;
    // One warm-up run, not counted.
    store::list_cases(db, u, &f, &p).await?;
    for _ in 0..runs {
        let t = Instant::now();
        let page = store::list_cases(db, u, &f, &p).await?;
        ms.push(t.elapsed().as_secs_f64() * 1000.0);
        matched = page.total;
    }
    Ok(timing(name, ms, matched))
}

/// Run the benchmark on `db` (fresh, migrated, with the county registry loaded).
pub async fn run(
    db: &Db,
    county: &str,
    cases: u64,
    runs: usize,
    now_ms: i64,
    say: &(dyn Fn(&str) + Sync),
) -> Result<BenchFigures, AppError> {
    let generated = generate::generate(db, &GenOptions::new(county, cases, now_ms), say).await?;
    say(&format!(
        "generated {} cases in {:.1} s ({} open, {} overdue)",
        generated.cases, generated.seconds, generated.open, generated.overdue
    ));
    // PostgreSQL's autovacuum vacuums and analyses a table after a load this size within
    // a minute or so (which also lets index-only scans skip the table); do it now, as the
    // steady state a county runs in. SQLite gathers no statistics unless asked, and the
    // platform does not ask, so it is measured as it runs.
    if matches!(db, Db::Postgres(_)) {
        db.execute("VACUUM ANALYZE mediation_cases", &[]).await?;
    }
    let county_admin = memory_user(1, county, Role::CountyAdmin, county);
    let township = format!("{county}100");
    let staff = memory_user(2, county, Role::TownshipStaff, &township);
    let mut queries = Vec::new();
    let first = time_list(db, "county_list_page1", &county_admin, 1, None, runs).await?;
    let deep_page = (first.matched / 20 / 2).max(1);
    queries.push(first);
    queries.push(time_list(db, &format!("county_list_page{deep_page}"), &county_admin, deep_page, None, runs).await?);
    queries.push(time_list(db, "township_list_page1", &staff, 1, None, runs).await?);
    queries.push(time_list(db, "county_search_q=宅基地", &county_admin, 1, Some("宅基地"), runs).await?);
    queries.push(time_list(db, "county_search_q=TJ(no match)", &county_admin, 1, Some("TJ000000"), runs).await?);
    queries.push(time_list(db, "township_search_q=邻居", &staff, 1, Some("邻居"), runs).await?);
    for q in &queries {
        say(&format!("{}: p50 {:.2} ms, p99 {:.2} ms ({} matched)", q.name, q.p50_ms, q.p99_ms, q.matched));
    }
    let lists_p99_max_ms = queries.iter().map(|q| q.p99_ms).fold(0.0, f64::max);

    let ctx = Ctx {
        lang: Lang::Zh,
        session: None,
        prelogin: "bench".into(),
        path: "/console/mediation/figures".into(),
        ip: String::new(),
        session_cookie: None,
    };
    let year = figures::year_of(now_ms);
    let fig_runs = (runs / 4).max(10);
    let mut page_worst: f64 = 0.0;
    for (name, scope, period) in [
        ("figures_county_year", FigureScope::county(county), Period::Year(year)),
        ("figures_county_all", FigureScope::county(county), Period::All),
        ("figures_township_year", FigureScope { county_code: county.to_string(), township: Some(township.clone()) }, Period::Year(year)),
    ] {
        let (mut compute_ms, mut render_ms, mut page_ms) = (Vec::new(), Vec::new(), Vec::new());
        let mut matched = 0;
        figures::compute(db, &scope, period, now_ms).await?;
        for _ in 0..fig_runs {
            let t = Instant::now();
            let f = figures::compute(db, &scope, period, now_ms).await?;
            let computed = t.elapsed();
            let html = askama::Template::render(&crate::web::figures::render_page(&ctx, &f, year, true, None, false))
                .map_err(AppError::internal)?;
            let total = t.elapsed();
            matched = f.total.registered;
            compute_ms.push(computed.as_secs_f64() * 1000.0);
            render_ms.push((total - computed).as_secs_f64() * 1000.0);
            page_ms.push(total.as_secs_f64() * 1000.0);
            if html.is_empty() {
                return Err(AppError::internal("empty figures page"));
            }
        }
        let (c, r, p) = (
            timing(&format!("{name}_compute"), compute_ms, matched),
            timing(&format!("{name}_render"), render_ms, matched),
            timing(&format!("{name}_page"), page_ms, matched),
        );
        say(&format!("{name}: compute p99 {:.1} ms, render p99 {:.1} ms, page p99 {:.1} ms", c.p99_ms, r.p99_ms, p.p99_ms));
        page_worst = page_worst.max(p.p99_ms);
        queries.extend([c, r, p]);
    }
    Ok(BenchFigures {
        backend: match db {
            Db::Sqlite(_) => "sqlite",
            Db::Postgres(_) => "postgres",
        },
        cases: generated.cases,
        generate_seconds: generated.seconds,
        cases_per_s: generated.cases as f64 / generated.seconds.max(1e-9),
        queries,
        figures_page_p99_ms: page_worst,
        lists_p99_max_ms,
        goals_met: lists_p99_max_ms <= 50.0 && page_worst <= 200.0,
        peak_rss_mb: peak_rss_mb(),
    })
}

/// Peak resident set size of this process in MB (Linux `VmHWM`), 0 elsewhere.
fn peak_rss_mb() -> f64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| s.lines().find(|l| l.starts_with("VmHWM:")).and_then(|l| l.split_whitespace().nth(1)?.parse::<f64>().ok()))
        .map(|kb| kb / 1024.0)
        .unwrap_or(0.0)
}
