//! The figure definitions on a small hand-made set of cases, with exact expectations,
//! on SQLite and (when configured) PostgreSQL.

use qingfeng_platform::db::Db;
use qingfeng_platform::sql::Sql;
use qingfeng_platform::testing;

use super::*;

const COUNTY: &str = "410922";
const CHENGGUAN: &str = "410922100";
const LIUTA: &str = "410922200";
const DAY: i64 = 86_400_000;

/// A case as the test writes it: only what the figures read.
#[derive(Clone)]
struct T {
    township: &'static str,
    channel: &'static str,
    reporter: Option<i64>,
    body: &'static str,
    state: &'static str,
    outcome: Option<&'static str>,
    /// Days from the start of mediation to the agreement.
    agreed_after: Option<i64>,
    court_case_no: Option<&'static str>,
    due_at: Option<i64>,
    demo: bool,
    created_at: i64,
}

fn t(township: &'static str, channel: &'static str, body: &'static str, state: &'static str, created_at: i64) -> T {
    T {
        township,
        channel,
        reporter: None,
        body,
        state,
        outcome: None,
        agreed_after: None,
        court_case_no: None,
        due_at: None,
        demo: false,
        created_at,
    }
}

async fn insert(db: &Db, i: usize, c: &T) {
    let started = c.created_at + DAY;
    let mut s = Sql::new(
        "INSERT INTO mediation_cases (county_code, tracking_code, channel, category, summary, township_code, village_code, \
         reporter_user_id, state, level, body_kind, body_name, mediation_started_at, agreement_at, outcome, court_case_no, due_at, \
         is_demo, created_at, updated_at) VALUES (",
    );
    s.bind(COUNTY)
        .push(", ")
        .bind(format!("TJTEST{i:04}"))
        .push(", ")
        .bind(c.channel)
        .push(", 'neighbour', '测试案件', ")
        .bind(c.township)
        .push(", ")
        .bind(format!("{}201", c.township))
        .push(", ")
        .bind(c.reporter)
        .push(", ")
        .bind(c.state)
        .push(", 'village', 'village_committee', ")
        .bind(c.body)
        .push(", ")
        .bind(Some(started))
        .push(", ")
        .bind(c.agreed_after.map(|d| started + d * DAY))
        .push(", ")
        .bind(c.outcome)
        .push(", ")
        .bind(c.court_case_no)
        .push(", ")
        .bind(c.due_at)
        .push(", ")
        .bind(c.demo)
        .push(", ")
        .bind(c.created_at)
        .push(", ")
        .bind(c.created_at)
        .push(")");
    let mut tx = db.begin().await.unwrap();
    tx.execute_sql(&s).await.unwrap();
    tx.commit().await.unwrap();
}

const A: &str = "城关镇甲村人民调解委员会";
const B: &str = "清丰县婚姻家庭纠纷人民调解委员会";
const CG: &str = "城关镇人民调解委员会";
const LT: &str = "六塔乡人民调解委员会";
const C: &str = "清丰县消费纠纷人民调解委员会";

/// Eight cases of 2026, three of 2025; "now" is 2026-11-30 12:00 (UTC+8).
fn cases(now: i64) -> Vec<T> {
    let y26 = year_start_ms(2026) + 60 * DAY;
    let y25 = year_start_ms(2025) + 150 * DAY;
    vec![
        // 1. grid, reporter 7, agreed in 2 days, performed.
        T { reporter: Some(7), outcome: Some("resolved"), agreed_after: Some(2), ..t(CHENGGUAN, "grid", A, "performed", y26) },
        // 2. grid, reporter 7, judicially confirmed, 4 days.
        T {
            reporter: Some(7),
            outcome: Some("resolved"),
            agreed_after: Some(4),
            court_case_no: Some("（2026）豫0922民诉前调确1号"),
            ..t(CHENGGUAN, "grid", A, "confirmed", y26 + DAY)
        },
        // 3. window, mediation paper issued then performed, 6 days.
        T {
            outcome: Some("resolved"),
            agreed_after: Some(6),
            court_case_no: Some("（2026）豫0922民诉前调书1号"),
            ..t(CHENGGUAN, "window", CG, "performed", y26 + 2 * DAY)
        },
        // 4. grid without a recorded reporter: failed and referred.
        T { outcome: Some("failed"), ..t(CHENGGUAN, "grid", A, "referred", y26 + 3 * DAY) },
        // 5. online: failed and filed.
        T {
            outcome: Some("failed"), court_case_no: Some("（2026）豫0922民初5号"), ..t(CHENGGUAN, "online", B, "filed", y26 + 4 * DAY)
        },
        // 6. grid, reporter 8: still mediating, past its deadline.
        T { reporter: Some(8), due_at: Some(now - DAY), ..t(LIUTA, "grid", LT, "mediating", y26 + 5 * DAY) },
        // 7. hotline: withdrawn; demo data.
        T { outcome: Some("withdrawn"), demo: true, ..t(LIUTA, "hotline", C, "withdrawn", y26 + 6 * DAY) },
        // 8. window: agreement in 10 days, then breached and referred.
        T { outcome: Some("resolved"), agreed_after: Some(10), ..t(LIUTA, "window", C, "referred", y26 + 7 * DAY) },
        // 9. 2025: filed.
        T { outcome: Some("failed"), ..t(CHENGGUAN, "window", A, "filed", y25) },
        // 10. 2025: referred.
        T { outcome: Some("failed"), ..t(LIUTA, "window", C, "referred", y25 + DAY) },
        // 11. 2025: never assigned, overdue now.
        T { due_at: Some(now - 10 * DAY), ..t(CHENGGUAN, "window", A, "unassigned", y25 + 2 * DAY) },
    ]
}

/// The expected counts in the order the county reports them.
#[allow(clippy::too_many_arguments)]
fn counts(
    registered: i64,
    agreed: i64,
    resolved: i64,
    failed: i64,
    confirmed: i64,
    papers: i64,
    (litigation, litigation_prev): (i64, i64),
    (duration_days, duration_cases): (i64, i64),
    overdue: i64,
    demo: i64,
) -> Counts {
    Counts {
        registered,
        agreed,
        resolved,
        failed,
        confirmed,
        papers,
        litigation,
        litigation_prev,
        duration_ms: duration_days * DAY,
        duration_cases,
        overdue,
        demo,
    }
}

fn row<'a>(rows: &'a [Row], key: &str) -> &'a Counts {
    &rows.iter().find(|r| r.key == key).unwrap_or_else(|| panic!("no row {key}")).counts
}

#[tokio::test]
async fn figures_follow_their_definitions_on_both_databases() {
    let now = year_start_ms(2026) + 333 * DAY + 12 * 3_600_000;
    assert_eq!(year_of(now), 2026);
    for tdb in testing::all().await.unwrap() {
        let db = &tdb.db;
        qingfeng_platform::registry::load_reference(db, now).await.unwrap();
        for (i, c) in cases(now).iter().enumerate() {
            insert(db, i, c).await;
        }
        let name = tdb.name;

        let f = compute(db, &FigureScope::county(COUNTY), Period::Year(2026), now).await.unwrap();
        assert_eq!(f.total, counts(8, 4, 4, 2, 1, 1, (3, 2), (22, 4), 2, 1), "{name}: county 2026");
        assert_eq!(pct(f.total.resolution_rate()), "50.0%", "{name}: 化解率 = 4/8");
        assert_eq!(pct(f.total.success_rate()), "66.7%", "{name}: 成功率 = 4/(4+2)");
        assert_eq!(signed_pct(f.total.litigation_change()), "+50.0%", "{name}: 3 against 2");
        assert_eq!(days(f.total.avg_days()), "5.5", "{name}: (2+4+6+10)/4");
        assert_eq!(f.scope_name, "清丰县", "{name}");

        // Per township: all 17 listed, two with cases.
        assert_eq!(f.townships.len(), 17, "{name}");
        assert_eq!(f.townships[0].key, CHENGGUAN, "{name}: by code");
        assert_eq!(f.townships[0].name, "城关镇", "{name}");
        assert_eq!(*row(&f.townships, CHENGGUAN), counts(5, 3, 3, 2, 1, 1, (2, 1), (12, 3), 1, 0), "{name}");
        assert_eq!(*row(&f.townships, LIUTA), counts(3, 1, 1, 0, 0, 0, (1, 1), (10, 1), 1, 1), "{name}");
        let sum: i64 = f.townships.iter().map(|r| r.counts.registered).sum();
        assert_eq!(sum, f.total.registered, "{name}: the rows add up");

        // Per body, busiest first.
        assert_eq!(f.bodies[0].key, A, "{name}");
        assert_eq!(*row(&f.bodies, A), counts(3, 2, 2, 1, 1, 0, (1, 1), (6, 2), 1, 0), "{name}");
        assert_eq!(*row(&f.bodies, C), counts(2, 1, 1, 0, 0, 0, (1, 1), (10, 1), 0, 1), "{name}");
        assert_eq!(*row(&f.bodies, LT), counts(1, 0, 0, 0, 0, 0, (0, 0), (0, 0), 1, 0), "{name}");
        assert_eq!(row(&f.bodies, B).litigation, 1, "{name}");
        assert_eq!(row(&f.bodies, CG).papers, 1, "{name}");

        // Per grid worker: grid-channel cases only.
        assert_eq!(f.workers.len(), 3, "{name}: {:?}", f.workers);
        assert_eq!(f.workers[0].key, "7", "{name}");
        assert_eq!(f.workers[0].name, "用户 7", "{name}: an unknown account still shows");
        assert_eq!(*row(&f.workers, "7"), counts(2, 2, 2, 0, 1, 0, (0, 0), (6, 2), 0, 0), "{name}");
        assert_eq!(*row(&f.workers, "8"), counts(1, 0, 0, 0, 0, 0, (0, 0), (0, 0), 1, 0), "{name}");
        assert_eq!(row(&f.workers, "").registered, 1, "{name}: no reporter recorded");
        assert_eq!(f.workers.iter().find(|w| w.key.is_empty()).unwrap().name, "（未记录上报网格员）");

        // 2025: its own cohort, litigation against 2024 (none).
        let f25 = compute(db, &FigureScope::county(COUNTY), Period::Year(2025), now).await.unwrap();
        assert_eq!(f25.total, counts(3, 0, 0, 2, 0, 0, (2, 0), (0, 0), 2, 0), "{name}: 2025");
        assert_eq!(f25.total.litigation_change(), None, "{name}: no base year");

        // All time.
        let all = compute(db, &FigureScope::county(COUNTY), Period::All, now).await.unwrap();
        assert_eq!(all.total, counts(11, 4, 4, 4, 1, 1, (5, 0), (22, 4), 2, 1), "{name}: all time");

        // A township's staff: their township only.
        let scope = FigureScope { county_code: COUNTY.into(), township: Some(LIUTA.into()) };
        let lt = compute(db, &scope, Period::Year(2026), now).await.unwrap();
        assert_eq!(lt.total, counts(3, 1, 1, 0, 0, 0, (1, 1), (10, 1), 1, 1), "{name}: 六塔乡");
        assert_eq!(lt.townships.len(), 1, "{name}");
        assert_eq!(lt.scope_name, "六塔乡", "{name}");
        assert!(lt.bodies.iter().all(|b| b.key != A), "{name}: no 城关镇 bodies");
        assert_eq!(lt.workers.len(), 1, "{name}");

        // Court intake: entered twice for one year (the second replaces the first), audited.
        let actor = qingfeng_platform::audit::Actor::System("test");
        let input = |year, n| IntakeInput { year, civil_cases: n, source: "清丰县人民法院司法统计报表".into() };
        set_court_intake(db, COUNTY, &input(2025, 1000), &actor, now).await.unwrap();
        set_court_intake(db, COUNTY, &input(2026, 800), &actor, now).await.unwrap();
        set_court_intake(db, COUNTY, &input(2026, 700), &actor, now).await.unwrap();
        let f = compute(db, &FigureScope::county(COUNTY), Period::Year(2026), now).await.unwrap();
        assert_eq!(f.court.len(), 2, "{name}");
        let c = f.court_for_year().unwrap();
        assert_eq!((c.intake.civil_cases, c.prev), (700, Some(1000)), "{name}");
        assert_eq!(signed_pct(c.change), "-30.0%", "{name}: 700 against 1000 is down 30 %");
        let mut s = Sql::new("SELECT COUNT(*) FROM audit_log WHERE action = ");
        s.bind("mediation_court_intake.set");
        assert_eq!(s.fetch_i64(db).await.unwrap(), 3, "{name}: every entry audited");

        // The export opens, one sheet per breakdown, with Chinese headers.
        let bytes = xlsx(&f).unwrap();
        check_workbook(&bytes, name);
    }
}

fn check_workbook(bytes: &[u8], name: &str) {
    use calamine::{Data, Reader, Xlsx};
    let mut wb: Xlsx<_> = calamine::open_workbook_from_rs(std::io::Cursor::new(bytes.to_vec())).unwrap();
    assert_eq!(wb.sheet_names(), vec!["汇总", "按乡镇", "按调解组织", "按网格员", "法院收案", "指标说明"], "{name}");
    let cell = |r: &calamine::Range<Data>, row: u32, col: u32| r.get_value((row, col)).map(|d| d.to_string()).unwrap_or_default();
    let t = wb.worksheet_range("按乡镇").unwrap();
    let headers: Vec<String> = (0..15).map(|c| cell(&t, 1, c)).collect();
    assert_eq!(headers[..4], ["乡镇", "排查数", "化解数", "化解率"], "{name}");
    assert_eq!(headers[6], "诉前调解成功率", "{name}");
    assert_eq!(headers[12], "平均调解时长（天）", "{name}");
    assert_eq!(cell(&t, 2, 0), "城关镇", "{name}");
    assert_eq!(cell(&t, 2, 1), "5", "{name}");
    assert_eq!(cell(&t, 2, 3), "60.0%", "{name}");
    let total = wb.worksheet_range("汇总").unwrap();
    assert_eq!(cell(&total, 2, 1), "8", "{name}");
    let w = wb.worksheet_range("按网格员").unwrap();
    assert_eq!(cell(&w, 1, 0), "网格员", "{name}");
    let c = wb.worksheet_range("法院收案").unwrap();
    assert_eq!(cell(&c, 0, 1), "民事收案数", "{name}");
    assert_eq!(cell(&c, 1, 1), "700", "{name}");
    assert_eq!(cell(&c, 1, 3), "-30.0%", "{name}");
}

#[test]
fn years_are_parsed_with_chinese_errors() {
    assert_eq!(Period::parse(None, 2026).unwrap(), Period::Year(2026));
    assert_eq!(Period::parse(Some(" "), 2026).unwrap(), Period::Year(2026));
    assert_eq!(Period::parse(Some("2024"), 2026).unwrap(), Period::Year(2024));
    assert_eq!(Period::parse(Some("ALL"), 2026).unwrap(), Period::All);
    for bad in ["abc", "1999", "2028", "20261", "-1", "2026.5"] {
        let e = Period::parse(Some(bad), 2026).unwrap_err();
        assert_eq!(e.code, "mediation.figures_year", "{bad}");
        assert_eq!(e.status, axum::http::StatusCode::BAD_REQUEST);
        assert!(e.message.contains("年份"), "{bad}: {}", e.message);
    }
}

#[test]
fn intake_form_is_checked() {
    let ok = check_intake("2025", "12,345", "法院司法统计", 2026).unwrap();
    assert_eq!((ok.year, ok.civil_cases), (2025, 12345));
    assert_eq!(check_intake("2027", "1", "法院司法统计", 2026).unwrap_err().code, "mediation.intake_year");
    assert_eq!(check_intake("abc", "1", "法院司法统计", 2026).unwrap_err().code, "mediation.intake_year");
    assert_eq!(check_intake("2025", "-3", "法院司法统计", 2026).unwrap_err().code, "mediation.intake_cases");
    assert_eq!(check_intake("2025", "many", "法院司法统计", 2026).unwrap_err().code, "mediation.intake_cases");
    assert_eq!(check_intake("2025", "3", " ", 2026).unwrap_err().code, "mediation.intake_source");
}

#[test]
fn rates_and_changes() {
    let c = Counts { registered: 2330, agreed: 2260, ..Counts::default() };
    assert_eq!(pct(c.resolution_rate()), "97.0%", "DOMAIN.md §5.6's example");
    assert_eq!(pct(Counts::default().resolution_rate()), "—");
    assert_eq!(signed_pct(change(70, 100)), "-30.0%");
    assert_eq!(change(5, 0), None);
    assert_eq!(year_start_ms(2026), 1_767_196_800_000, "2026-01-01T00:00+08:00");
}

#[tokio::test]
async fn the_generator_writes_a_plausible_marked_history() {
    let now = year_start_ms(2026) + 333 * DAY;
    for tdb in testing::all().await.unwrap() {
        let db = &tdb.db;
        qingfeng_platform::registry::load_reference(db, now).await.unwrap();
        let opts = crate::generate::GenOptions::new(COUNTY, 3000, now);
        let sum = crate::generate::generate(db, &opts, &|_| {}).await.unwrap();
        assert_eq!(sum.cases, 3000);
        let all = compute(db, &FigureScope::county(COUNTY), Period::All, now).await.unwrap();
        let t = &all.total;
        assert_eq!(t.registered, 3000, "{}", tdb.name);
        assert_eq!(t.demo, 3000, "{}: every row is demo data", tdb.name);
        let success = t.success_rate().unwrap();
        assert!((0.85..=0.95).contains(&success), "{}: success rate {success}", tdb.name);
        assert!(t.confirmed > 0 && t.papers > 0 && t.litigation > 0 && t.overdue > 0, "{}: {t:?}", tdb.name);
        let avg = t.avg_days().unwrap();
        assert!((3.0..=15.0).contains(&avg), "{}: mean duration {avg}", tdb.name);
        assert!(all.townships.iter().filter(|r| r.counts.registered > 0).count() == 17, "{}", tdb.name);
        let mut s = Sql::new("SELECT COUNT(*) FROM mediation_cases WHERE summary NOT LIKE ");
        s.bind("【演示数据】%");
        assert_eq!(s.fetch_i64(db).await.unwrap(), 0, "{}: every summary is marked", tdb.name);
        let mut s = Sql::new("SELECT COUNT(*) FROM mediation_court_intake WHERE county_code = ");
        s.bind(COUNTY);
        assert_eq!(s.fetch_i64(db).await.unwrap(), 0, "{}: no official figures invented", tdb.name);
        // Neighbours, families and homesteads lead.
        let s = Sql::new("SELECT COUNT(*) FROM mediation_cases WHERE category IN ('neighbour', 'marriage_family', 'homestead')");
        let top = s.fetch_i64(db).await.unwrap();
        assert!(top > 1500, "{}: {top}", tdb.name);
    }
}

#[tokio::test]
async fn case_search_ignores_ascii_case_on_both_databases() {
    use qingfeng_platform::listing::{ListParams, ListQuery};
    let now = year_start_ms(2026) + 333 * DAY;
    for tdb in testing::all().await.unwrap() {
        let db = &tdb.db;
        for (i, c) in cases(now).iter().enumerate() {
            insert(db, i, c).await;
        }
        let admin = crate::bench::memory_user(1, COUNTY, qingfeng_platform::auth::Role::CountyAdmin, COUNTY);
        let staff = crate::bench::memory_user(2, COUNTY, qingfeng_platform::auth::Role::TownshipStaff, LIUTA);
        let find = |u: &qingfeng_platform::users::User, q: &str| {
            let raw = ListQuery { q: Some(q.to_string()), ..ListQuery::default() };
            let p = ListParams::parse(&raw, crate::store::CASE_SORT, "-created").unwrap();
            let u = u.clone();
            async move { crate::store::list_cases(db, &u, &crate::store::CaseFilter::default(), &p).await.unwrap().total }
        };
        assert_eq!(find(&admin, "测试").await, 11, "{}: Chinese, no case", tdb.name);
        assert_eq!(find(&admin, "tjtest0001").await, 1, "{}: ASCII in any case", tdb.name);
        assert_eq!(find(&admin, "TJTEST000").await, 10, "{}", tdb.name);
        assert_eq!(find(&admin, "诉前调确").await, 1, "{}: court case number", tdb.name);
        assert_eq!(find(&admin, "消费纠纷").await, 3, "{}: body name", tdb.name);
        assert_eq!(find(&admin, "100%").await, 0, "{}: wildcards are literal", tdb.name);
        assert_eq!(find(&staff, "测试").await, 4, "{}: within the township", tdb.name);
        // A later change of a searched column is found (SQLite keeps its index by trigger).
        let mut s = Sql::new("UPDATE mediation_cases SET court_case_no = ");
        s.bind("（2026）豫0922民诉前调书9号").push(" WHERE tracking_code = ").bind("TJTEST0000");
        let mut tx = db.begin().await.unwrap();
        tx.execute_sql(&s).await.unwrap();
        tx.commit().await.unwrap();
        assert_eq!(find(&admin, "诉前调书9").await, 1, "{}", tdb.name);
        assert_eq!(find(&admin, "诉前调书").await, 2, "{}", tdb.name);
    }
}
