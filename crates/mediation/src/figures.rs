//! 统计 The county's litigation-source governance figures (DOMAIN.md §5.6), for one
//! year or for all time, in one scope (the county, or one township for its staff):
//! county totals and rows per township, per handling body and per grid worker.
//!
//! One aggregate query reads the cases once, grouped by (township, body, channel,
//! reporter); the three breakdowns and the totals are folded from its rows here, so they
//! always add up. A second aggregate query counts the overdue open cases (a snapshot at
//! `now`, through the deadline index). The definitions below are the ones the county
//! reports, and the page and the spreadsheet print them as written here.
//!
//! **Cohort.** For a year, a case counts in the year it was registered (`created_at`,
//! China Standard Time), and what happened to it afterwards is credited to that year:
//! so 化解数 can never exceed 排查数 and last year's figures settle as its cases finish.

use std::collections::BTreeMap;

use chrono::{Datelike, NaiveDate, TimeZone};
use qingfeng_core::CHINA_STANDARD_TIME;
use qingfeng_platform::AppError;
use qingfeng_platform::auth::Role;
use qingfeng_platform::db::Db;
use qingfeng_platform::sql::Sql;
use qingfeng_platform::users::User;
use serde::Serialize;

use crate::model;

/// 统计期间 A calendar year (China Standard Time) or all time.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Period {
    Year(i32),
    All,
}

impl Period {
    /// Parse `year=` of the page: empty is `current`, `all` is all time, else a year from
    /// 2000 to next year. Bad input is a Chinese error with the stable code
    /// `mediation.figures_year`.
    pub fn parse(raw: Option<&str>, current: i32) -> Result<Period, AppError> {
        let raw = raw.map(str::trim).unwrap_or("");
        if raw.is_empty() {
            return Ok(Period::Year(current));
        }
        if raw.eq_ignore_ascii_case("all") {
            return Ok(Period::All);
        }
        let shown: String = raw.chars().take(20).collect();
        match raw.parse::<i32>() {
            Ok(y) if (2000..=current + 1).contains(&y) => Ok(Period::Year(y)),
            Ok(_) => Err(AppError::bad_request("mediation.figures_year", format!("年份须在 2000 至 {} 之间，收到“{shown}”", current + 1))),
            Err(_) => Err(AppError::bad_request(
                "mediation.figures_year",
                format!("年份须为四位数字（如 {current}）或 all（全部年份），收到“{shown}”"),
            )),
        }
    }

    pub fn year(self) -> Option<i32> {
        match self {
            Period::Year(y) => Some(y),
            Period::All => None,
        }
    }

    /// `2026` or `all`, for links.
    pub fn param(self) -> String {
        match self {
            Period::Year(y) => y.to_string(),
            Period::All => "all".into(),
        }
    }

    pub fn zh(self) -> String {
        match self {
            Period::Year(y) => format!("{y}年"),
            Period::All => "全部年份".into(),
        }
    }
}

/// The first instant (ms) of `year` in China Standard Time.
pub fn year_start_ms(year: i32) -> i64 {
    NaiveDate::from_ymd_opt(year, 1, 1)
        .and_then(|d| d.and_hms_opt(0, 0, 0))
        .and_then(|dt| CHINA_STANDARD_TIME.from_local_datetime(&dt).single())
        .map(|dt| dt.timestamp_millis())
        .unwrap_or(0)
}

/// The year (China Standard Time) of the instant `ms`.
pub fn year_of(ms: i64) -> i32 {
    qingfeng_platform::clock::from_ms(ms).with_timezone(&CHINA_STANDARD_TIME).year()
}

/// 统计范围 Whose cases: the county, or one township.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FigureScope {
    pub county_code: String,
    /// 乡镇 The township code when the figures are limited to one township.
    pub township: Option<String>,
}

impl FigureScope {
    /// Township staff see their own township (their scope division, cut to its 9-digit
    /// township code); county administrators, system administrators and tribunal judges
    /// see the county (the court's figures are the county's).
    pub fn of(user: &User) -> FigureScope {
        let county_wide = [Role::SystemAdmin, Role::CountyAdmin, Role::TribunalJudge].iter().any(|r| user.has_role(*r));
        let township = if !county_wide && user.has_role(Role::TownshipStaff) {
            Some(user.scope_division.chars().take(9).collect())
        } else if county_wide {
            None
        } else {
            // Anybody else holding the permission is limited to their own division.
            Some(user.scope_division.chars().take(9).collect())
        };
        FigureScope { county_code: user.county_code.clone(), township: township.filter(|t: &String| t.len() == 9) }
    }

    pub fn county(county_code: &str) -> FigureScope {
        FigureScope { county_code: county_code.to_string(), township: None }
    }
}

/// The counts behind every figure of one row (or of the totals). Rates and averages are
/// computed from these, never summed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct Counts {
    /// 排查数 Disputes registered (found by grid workers, applied for, brought to a
    /// window, hotline, the 综治 platform or the court) in the period.
    pub registered: i64,
    /// 化解数 Of those, disputes that reached a mediation agreement (`agreement_at` set),
    /// whatever happened afterwards (confirmation, paper, performance, or a breach that
    /// sent them to court).
    pub agreed: i64,
    /// 诉前化解数 Of those, disputes whose mediation ended resolved (`outcome =
    /// resolved`: the agreement stands). The seed's "6,402" is this figure.
    pub resolved: i64,
    /// 调解不成 Of those, mediations that ended failed (`outcome = failed`).
    pub failed: i64,
    /// 司法确认数 Agreements judicially confirmed by a tribunal: a 诉前调确 case number,
    /// or the state `confirmed`.
    pub confirmed: i64,
    /// 调解书数 诉前调解书 issued: a 诉前调书 case number, or the state `paper_issued`.
    pub papers: i64,
    /// 进入诉讼 Disputes referred for filing or filed with the court (state `referred` or
    /// `filed`).
    pub litigation: i64,
    /// 进入诉讼（上年） The same for the previous year's cases (0 for all time).
    pub litigation_prev: i64,
    /// Sum of (`agreement_at` − `mediation_started_at`) in ms over resolved cases that
    /// have both instants, and their number: the base of 平均调解时长.
    pub duration_ms: i64,
    pub duration_cases: i64,
    /// 逾期未办结 Open cases (non-terminal state) whose current deadline has passed
    /// (`due_at` ≤ now): a snapshot at the moment of the query, not tied to the period.
    pub overdue: i64,
    /// Cases marked as demo data (演示数据) among those registered.
    pub demo: i64,
}

impl Counts {
    fn add(&mut self, o: &Counts) {
        self.registered += o.registered;
        self.agreed += o.agreed;
        self.resolved += o.resolved;
        self.failed += o.failed;
        self.confirmed += o.confirmed;
        self.papers += o.papers;
        self.litigation += o.litigation;
        self.litigation_prev += o.litigation_prev;
        self.duration_ms += o.duration_ms;
        self.duration_cases += o.duration_cases;
        self.overdue += o.overdue;
        self.demo += o.demo;
    }

    /// 化解率 = 化解数 / 排查数 (e.g. 2260/2330 = 97.0%); `None` without cases.
    pub fn resolution_rate(&self) -> Option<f64> {
        ratio(self.agreed, self.registered)
    }

    /// 诉前调解成功率 = 诉前化解数 / (诉前化解数 + 调解不成): among mediations that have
    /// finished either way (withdrawn and not-accepted cases are not mediations that
    /// failed, and open cases have not finished).
    pub fn success_rate(&self) -> Option<f64> {
        ratio(self.resolved, self.resolved + self.failed)
    }

    /// 平均调解时长（天） Mean of (agreement − start of mediation) over resolved cases.
    pub fn avg_days(&self) -> Option<f64> {
        (self.duration_cases > 0).then(|| self.duration_ms as f64 / self.duration_cases as f64 / 86_400_000.0)
    }

    /// 进入诉讼同比 Change of 进入诉讼 against the previous year, as a share (−0.30 is
    /// "down 30 %"); `None` when the previous year had none.
    pub fn litigation_change(&self) -> Option<f64> {
        change(self.litigation, self.litigation_prev)
    }
}

fn ratio(part: i64, whole: i64) -> Option<f64> {
    (whole > 0).then(|| part as f64 / whole as f64)
}

/// `(now − before) / before`; `None` when `before` is 0.
pub fn change(now: i64, before: i64) -> Option<f64> {
    (before > 0).then(|| (now - before) as f64 / before as f64)
}

/// `97.0%` or `—`.
pub fn pct(v: Option<f64>) -> String {
    v.map(|v| format!("{:.1}%", v * 100.0)).unwrap_or_else(|| "—".into())
}

/// `+12.5%`, `-30.0%` or `—`.
pub fn signed_pct(v: Option<f64>) -> String {
    v.map(|v| format!("{:+.1}%", v * 100.0)).unwrap_or_else(|| "—".into())
}

/// `12.3` or `—`.
pub fn days(v: Option<f64>) -> String {
    v.map(|v| format!("{v:.1}")).unwrap_or_else(|| "—".into())
}

/// One row of a breakdown.
#[derive(Debug, Clone, Serialize)]
pub struct Row {
    /// Township code, body name or reporter user id (empty for "not recorded").
    pub key: String,
    pub name: String,
    pub counts: Counts,
}

/// 民事收案数 The court's civil intake of one year, as the court reported it.
#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct CourtIntake {
    pub year: i64,
    pub civil_cases: i64,
    pub source: String,
    pub entered_by: String,
    pub is_demo: bool,
    pub updated_at: i64,
}

/// A year of court intake with its change against the year before (when entered).
#[derive(Debug, Clone, Serialize)]
pub struct IntakeYear {
    pub intake: CourtIntake,
    pub prev: Option<i64>,
    /// 收案同比 (civil_cases − prev) / prev.
    pub change: Option<f64>,
}

/// Everything the page and the spreadsheet show.
#[derive(Debug, Clone, Serialize)]
pub struct Figures {
    pub period: Period,
    pub scope: Option<String>,
    pub scope_name: String,
    pub total: Counts,
    /// 按乡镇 Every township in scope, by code (zero rows included).
    pub townships: Vec<Row>,
    /// 按调解组织 Per handling body (`body_name`: committee, organisation, 网格之家),
    /// most cases first.
    pub bodies: Vec<Row>,
    /// 按网格员 Cases that came in through the grid channel, per reporting grid worker,
    /// most cases first.
    pub workers: Vec<Row>,
    /// 民事收案数 Every year the court's intake was entered for, newest first.
    pub court: Vec<IntakeYear>,
    pub now_ms: i64,
}

impl Figures {
    /// The court intake of the period's year, if entered.
    pub fn court_for_year(&self) -> Option<&IntakeYear> {
        let y = i64::from(self.period.year()?);
        self.court.iter().find(|c| c.intake.year == y)
    }
}

/// One row of the aggregate query.
#[derive(Debug, sqlx::FromRow)]
struct Group {
    township: String,
    body_name: String,
    channel: String,
    reporter: Option<i64>,
    #[sqlx(flatten)]
    counts: Counts,
}

/// The states that end a case; the others are open.
fn terminal_list() -> String {
    let keys: Vec<String> = model::STATES.iter().filter(|s| s.terminal).map(|s| format!("'{}'", s.key)).collect();
    keys.join(", ")
}

/// `CAST(COALESCE(SUM(CASE WHEN cond THEN value ELSE 0 END), 0) AS BIGINT) AS name`:
/// PostgreSQL sums BIGINT into NUMERIC, hence the cast on both backends.
fn sum(cond: &str, value: &str, name: &str) -> String {
    format!("CAST(COALESCE(SUM(CASE WHEN {cond} THEN {value} ELSE 0 END), 0) AS BIGINT) AS {name}")
}

/// The group keys: plain columns, in the order of the `mediation_cases_figures` index
/// (migration 0201), so that SQLite aggregates while it walks the index, without a sort.
const GROUP_KEYS: &str = "c.township_code AS township, c.body_name AS body_name, c.channel AS channel, c.reporter_user_id AS reporter";
const GROUP_BY: &str = " GROUP BY c.township_code, c.body_name, c.channel, c.reporter_user_id";

/// The aggregate SQL for `period`, up to the county condition. The period is a condition
/// inside each sum, not a range in WHERE: a range on `created_at` would steer the planner
/// to the date index and a sort of two years of rows, while the whole covering index
/// streams faster. The bounds are integers computed here from a parsed year, never text.
fn period_select(period: Period) -> String {
    let (cur, prev) = match period {
        Period::Year(y) => {
            let (prev_start, start, end) = (year_start_ms(y - 1), year_start_ms(y), year_start_ms(y + 1));
            (
                format!("c.created_at >= {start} AND c.created_at < {end}"),
                format!("c.created_at >= {prev_start} AND c.created_at < {start}"),
            )
        }
        Period::All => ("1 = 1".to_string(), "1 = 0".to_string()),
    };
    let cur_and = |cond: &str| format!("{cur} AND ({cond})");
    let litigation = "c.state IN ('referred', 'filed')";
    let timed = "c.outcome = 'resolved' AND c.agreement_at IS NOT NULL AND c.mediation_started_at IS NOT NULL";
    let columns = [
        sum(&cur, "1", "registered"),
        sum(&cur_and("c.agreement_at IS NOT NULL"), "1", "agreed"),
        sum(&cur_and("c.outcome = 'resolved'"), "1", "resolved"),
        sum(&cur_and("c.outcome = 'failed'"), "1", "failed"),
        sum(&cur_and(&format!("c.court_case_no LIKE '%{}%' OR c.state = 'confirmed'", model::CASE_NO_CONFIRMATION)), "1", "confirmed"),
        sum(&cur_and(&format!("c.court_case_no LIKE '%{}%' OR c.state = 'paper_issued'", model::CASE_NO_PAPER)), "1", "papers"),
        sum(&cur_and(litigation), "1", "litigation"),
        sum(&format!("{prev} AND {litigation}"), "1", "litigation_prev"),
        sum(&cur_and(timed), "c.agreement_at - c.mediation_started_at", "duration_ms"),
        sum(&cur_and(timed), "1", "duration_cases"),
        "CAST(0 AS BIGINT) AS overdue".to_string(),
        sum(&cur_and("c.is_demo"), "1", "demo"),
    ];
    format!("SELECT {GROUP_KEYS}, {} FROM mediation_cases c WHERE c.county_code = ", columns.join(", "))
}

/// The groups of `scope` in `period` (groups with nothing in the period left out), and
/// the overdue groups at `now_ms`.
async fn groups(db: &Db, scope: &FigureScope, period: Period, now_ms: i64) -> Result<Vec<Group>, sqlx::Error> {
    let mut s = Sql::new(&period_select(period));
    s.bind(scope.county_code.as_str());
    if let Some(t) = &scope.township {
        s.push(" AND c.township_code = ").bind(t.as_str());
    }
    s.push(GROUP_BY);
    let mut out: Vec<Group> = s.fetch_all(db).await?;
    out.retain(|g| g.counts != Counts::default());

    let zeros: Vec<String> = [
        "registered",
        "agreed",
        "resolved",
        "failed",
        "confirmed",
        "papers",
        "litigation",
        "litigation_prev",
        "duration_ms",
        "duration_cases",
    ]
    .iter()
    .map(|n| format!("CAST(0 AS BIGINT) AS {n}"))
    .collect();
    let mut o = Sql::new(&format!(
        "SELECT {GROUP_KEYS}, {}, CAST(COUNT(*) AS BIGINT) AS overdue, CAST(0 AS BIGINT) AS demo FROM mediation_cases c \
         WHERE c.due_at <= ",
        zeros.join(", ")
    ));
    o.bind(now_ms).push(&format!(" AND c.state NOT IN ({}) AND c.county_code = ", terminal_list())).bind(scope.county_code.as_str());
    if let Some(t) = &scope.township {
        o.push(" AND c.township_code = ").bind(t.as_str());
    }
    o.push(GROUP_BY);
    out.extend(o.fetch_all::<Group>(db).await?);
    Ok(out)
}

/// Names of the townships of the county (code → name), from the registry.
async fn township_names(db: &Db, county: &str) -> Result<Vec<(String, String)>, AppError> {
    Ok(qingfeng_platform::registry::children(db, county).await?.into_iter().map(|d| (d.code, d.name)).collect())
}

/// Display names of users by id.
async fn user_names(db: &Db, ids: &[i64]) -> Result<BTreeMap<i64, String>, sqlx::Error> {
    #[derive(sqlx::FromRow)]
    struct U {
        id: i64,
        display_name: String,
    }
    let base = Sql::new("SELECT id, display_name FROM users WHERE ");
    let rows: Vec<U> = db.fetch_by_keys(&base, "id", ids, "").await?;
    Ok(rows.into_iter().map(|u| (u.id, u.display_name)).collect())
}

/// Every year's court intake for the county, newest first, with year-over-year change.
pub async fn court_intake(db: &Db, county: &str) -> Result<Vec<IntakeYear>, sqlx::Error> {
    let mut s =
        Sql::new("SELECT year, civil_cases, source, entered_by, is_demo, updated_at FROM mediation_court_intake WHERE county_code = ");
    s.bind(county).push(" ORDER BY year");
    let rows: Vec<CourtIntake> = s.fetch_all(db).await?;
    let mut out: Vec<IntakeYear> = Vec::with_capacity(rows.len());
    for r in &rows {
        let prev = rows.iter().find(|p| p.year == r.year - 1).map(|p| p.civil_cases);
        out.push(IntakeYear { intake: r.clone(), prev, change: prev.and_then(|p| change(r.civil_cases, p)) });
    }
    out.reverse();
    Ok(out)
}

/// 统计 Compute the figures of `scope` for `period` at `now_ms`.
pub async fn compute(db: &Db, scope: &FigureScope, period: Period, now_ms: i64) -> Result<Figures, AppError> {
    let groups = groups(db, scope, period, now_ms).await?;
    let mut total = Counts::default();
    let mut by_township: BTreeMap<String, Counts> = BTreeMap::new();
    let mut by_body: BTreeMap<String, Counts> = BTreeMap::new();
    let mut by_worker: BTreeMap<Option<i64>, Counts> = BTreeMap::new();
    for g in &groups {
        total.add(&g.counts);
        by_township.entry(g.township.clone()).or_default().add(&g.counts);
        by_body.entry(g.body_name.clone()).or_default().add(&g.counts);
        if g.channel == "grid" {
            by_worker.entry(g.reporter).or_default().add(&g.counts);
        }
    }
    let names = township_names(db, &scope.county_code).await?;
    let mut townships: Vec<Row> = names
        .iter()
        .filter(|(code, _)| scope.township.as_deref().is_none_or(|t| t == code))
        .map(|(code, name)| Row { key: code.clone(), name: name.clone(), counts: by_township.remove(code).unwrap_or_default() })
        .collect();
    // Cases filed under a township code the registry does not know still count.
    for (code, counts) in by_township {
        townships.push(Row { name: code.clone(), key: code, counts });
    }
    let mut bodies: Vec<Row> = by_body
        .into_iter()
        .map(|(name, counts)| Row { name: if name.is_empty() { "（未分流）".into() } else { name.clone() }, key: name, counts })
        .collect();
    bodies.sort_by(|a, b| b.counts.registered.cmp(&a.counts.registered).then_with(|| a.name.cmp(&b.name)));
    let ids: Vec<i64> = by_worker.keys().flatten().copied().collect();
    let users = user_names(db, &ids).await?;
    let mut workers: Vec<Row> = by_worker
        .into_iter()
        .map(|(id, counts)| match id {
            Some(id) => Row { key: id.to_string(), name: users.get(&id).cloned().unwrap_or_else(|| format!("用户 {id}")), counts },
            None => Row { key: String::new(), name: "（未记录上报网格员）".into(), counts },
        })
        .collect();
    workers.sort_by(|a, b| b.counts.registered.cmp(&a.counts.registered).then_with(|| a.key.cmp(&b.key)));
    let scope_name = match &scope.township {
        Some(t) => names.iter().find(|(c, _)| c == t).map(|(_, n)| n.clone()).unwrap_or_else(|| t.clone()),
        None => qingfeng_platform::registry::division(db, &scope.county_code)
            .await?
            .map(|d| d.name)
            .unwrap_or_else(|| scope.county_code.clone()),
    };
    let court = court_intake(db, &scope.county_code).await?;
    Ok(Figures { period, scope: scope.township.clone(), scope_name, total, townships, bodies, workers, court, now_ms })
}

/// 录入民事收案数 What the court reported for a year.
#[derive(Debug, Clone)]
pub struct IntakeInput {
    pub year: i32,
    pub civil_cases: i64,
    pub source: String,
}

/// Check the intake form: a year from 2000 to `current`, a whole number of cases, a source.
pub fn check_intake(year: &str, civil_cases: &str, source: &str, current: i32) -> Result<IntakeInput, AppError> {
    let y: i32 = year
        .trim()
        .parse()
        .ok()
        .filter(|y| (2000..=current).contains(y))
        .ok_or_else(|| AppError::bad_request("mediation.intake_year", format!("收案年份须为 2000 至 {current} 之间的年份")))?;
    let raw = civil_cases.trim().replace([',', '，'], "");
    let n: i64 = raw.parse().ok().filter(|n| (0..=10_000_000).contains(n)).ok_or_else(|| {
        AppError::bad_request("mediation.intake_cases", format!("民事收案数须为 0 至 10000000 的整数，收到“{}”", civil_cases.trim()))
    })?;
    let source = source.trim();
    if source.chars().count() < 2 || source.chars().count() > 100 {
        return Err(AppError::bad_request("mediation.intake_source", "请写明数据来源（2至100个字），如：清丰县人民法院司法统计报表"));
    }
    Ok(IntakeInput { year: y, civil_cases: n, source: source.to_string() })
}

/// Store the court's intake of a year (insert or replace), with the change in the audit chain.
pub async fn set_court_intake(
    db: &Db,
    county: &str,
    input: &IntakeInput,
    actor: &qingfeng_platform::audit::Actor,
    now_ms: i64,
) -> Result<(), AppError> {
    use qingfeng_platform::sql::Arg;
    let mut tx = db.begin().await?;
    let mut s =
        Sql::new("SELECT year, civil_cases, source, entered_by, is_demo, updated_at FROM mediation_court_intake WHERE county_code = ");
    s.bind(county).push(" AND year = ").bind(i64::from(input.year));
    let before: Option<CourtIntake> = tx.fetch_all::<CourtIntake>(&s).await?.into_iter().next();
    tx.execute(
        "INSERT INTO mediation_court_intake (county_code, year, civil_cases, source, is_demo, entered_by, updated_at) \
         VALUES ($1, $2, $3, $4, FALSE, $5, $6) ON CONFLICT (county_code, year) DO UPDATE SET civil_cases = excluded.civil_cases, \
         source = excluded.source, is_demo = FALSE, entered_by = excluded.entered_by, updated_at = excluded.updated_at",
        &[
            Arg::from(county),
            Arg::Int(i64::from(input.year)),
            Arg::Int(input.civil_cases),
            Arg::from(input.source.as_str()),
            Arg::from(actor.as_string()),
            Arg::Int(now_ms),
        ],
    )
    .await?;
    qingfeng_platform::audit::append(
        &mut tx,
        now_ms,
        &qingfeng_platform::audit::Change {
            county_code: county,
            actor,
            action: "mediation_court_intake.set",
            entity: "mediation_court_intake",
            entity_id: &format!("{county}:{}", input.year),
            detail: serde_json::json!({
                "year": input.year,
                "civil_cases": input.civil_cases,
                "source": input.source,
                "before": before.map(|b| serde_json::json!({"civil_cases": b.civil_cases, "source": b.source})),
            }),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// The definitions as the page and the spreadsheet print them: (name, definition).
pub const DEFINITIONS: &[(&str, &str)] = &[
    ("统计口径", "按登记年份（北京时间）归集：某年登记的案件，其后的化解、确认、诉讼结果都计入登记当年。"),
    ("排查数", "统计期内登记的矛盾纠纷件数（网格员上报、群众在线申请、窗口、热线、综治平台推送、法院委派）。"),
    ("化解数", "排查数中达成调解协议的件数（不论其后是否司法确认、出具调解书或履行）。"),
    ("化解率", "化解数 ÷ 排查数。"),
    ("诉前化解数", "排查数中调解结果为“化解”（调解协议有效存续）的件数。"),
    ("诉前调解成功率", "诉前化解数 ÷（诉前化解数 + 调解不成数）；撤回、不予受理和尚未办结的案件不计入分母。"),
    ("司法确认数", "调解协议经人民法庭裁定确认有效的件数（案号含“诉前调确”或状态为已司法确认）。"),
    ("调解书数", "人民法庭出具诉前调解书的件数（案号含“诉前调书”或状态为已出具调解书）。"),
    ("进入诉讼", "移送立案或已由法院登记立案的件数；同比为与上一年登记案件同口径相比的变化。"),
    ("民事收案数", "法院报送的全年民事案件收案数（由县级管理员或法官录入，注明来源）；同比为与上年收案数相比的变化。"),
    ("平均调解时长", "诉前化解案件自调解员接受委派开始调解至达成协议的平均天数。"),
    ("逾期未办结", "当前仍未办结、且当前环节期限已届满的案件数（统计时点的快照，不分年份）。"),
    ("按网格员", "网格员上报渠道登记的案件，按上报网格员统计。"),
];

/// 导出 The figures as an .xlsx workbook: 汇总, 按乡镇, 按调解组织, 按网格员, 法院收案, 指标说明.
pub fn xlsx(f: &Figures) -> Result<Vec<u8>, AppError> {
    use rust_xlsxwriter::{Format, Workbook, XlsxError};
    let err = |e: XlsxError| AppError::internal(format!("xlsx: {e}"));
    let mut wb = Workbook::new();
    let bold = Format::new().set_bold();
    const HEADERS: &[&str] = &[
        "名称",
        "排查数",
        "化解数",
        "化解率",
        "诉前化解数",
        "调解不成",
        "诉前调解成功率",
        "司法确认数",
        "调解书数",
        "进入诉讼",
        "进入诉讼（上年）",
        "进入诉讼同比",
        "平均调解时长（天）",
        "逾期未办结",
        "其中演示数据",
    ];
    let title = format!("{}诉源治理统计（{}）", f.scope_name, f.period.zh());
    let sheets: [(&str, &str, Vec<Row>); 4] = [
        ("汇总", "范围", vec![Row { key: String::new(), name: f.scope_name.clone(), counts: f.total.clone() }]),
        ("按乡镇", "乡镇", f.townships.clone()),
        ("按调解组织", "调解组织", f.bodies.clone()),
        ("按网格员", "网格员", f.workers.clone()),
    ];
    for (sheet, first, rows) in sheets {
        let ws = wb.add_worksheet();
        ws.set_name(sheet).map_err(err)?;
        ws.write_string_with_format(0, 0, &title, &bold).map_err(err)?;
        for (i, h) in HEADERS.iter().enumerate() {
            let h: &str = if i == 0 { first } else { h };
            ws.write_string_with_format(1, i as u16, h, &bold).map_err(err)?;
        }
        for (r, row) in rows.iter().enumerate() {
            let r = r as u32 + 2;
            let c = &row.counts;
            ws.write_string(r, 0, &row.name).map_err(err)?;
            let cells: [String; 14] = [
                c.registered.to_string(),
                c.agreed.to_string(),
                pct(c.resolution_rate()),
                c.resolved.to_string(),
                c.failed.to_string(),
                pct(c.success_rate()),
                c.confirmed.to_string(),
                c.papers.to_string(),
                c.litigation.to_string(),
                c.litigation_prev.to_string(),
                signed_pct(c.litigation_change()),
                days(c.avg_days()),
                c.overdue.to_string(),
                c.demo.to_string(),
            ];
            for (i, v) in cells.iter().enumerate() {
                let col = i as u16 + 1;
                match v.parse::<f64>() {
                    Ok(n) => ws.write_number(r, col, n).map_err(err)?,
                    Err(_) => ws.write_string(r, col, v).map_err(err)?,
                };
            }
        }
        ws.set_column_width(0, 28).map_err(err)?;
    }
    let ws = wb.add_worksheet();
    ws.set_name("法院收案").map_err(err)?;
    for (i, h) in ["年份", "民事收案数", "上年收案数", "同比", "数据来源", "录入人"].iter().enumerate() {
        ws.write_string_with_format(0, i as u16, *h, &bold).map_err(err)?;
    }
    for (r, c) in f.court.iter().enumerate() {
        let r = r as u32 + 1;
        ws.write_number(r, 0, c.intake.year as f64).map_err(err)?;
        ws.write_number(r, 1, c.intake.civil_cases as f64).map_err(err)?;
        match c.prev {
            Some(p) => ws.write_number(r, 2, p as f64).map_err(err)?,
            None => ws.write_string(r, 2, "—").map_err(err)?,
        };
        ws.write_string(r, 3, signed_pct(c.change)).map_err(err)?;
        ws.write_string(r, 4, &c.intake.source).map_err(err)?;
        ws.write_string(r, 5, &c.intake.entered_by).map_err(err)?;
    }
    let ws = wb.add_worksheet();
    ws.set_name("指标说明").map_err(err)?;
    ws.write_string_with_format(0, 0, "指标", &bold).map_err(err)?;
    ws.write_string_with_format(0, 1, "定义", &bold).map_err(err)?;
    for (r, (k, v)) in DEFINITIONS.iter().enumerate() {
        ws.write_string(r as u32 + 1, 0, *k).map_err(err)?;
        ws.write_string(r as u32 + 1, 1, *v).map_err(err)?;
    }
    ws.set_column_width(1, 90).map_err(err)?;
    wb.save_to_buffer().map_err(err)
}

#[cfg(test)]
mod tests;
