//! 诉源治理统计 The figures page on a generated demo history: the county sees every
//! township, a township's staff only their own; bad years are Chinese errors; the Excel
//! export downloads; the court's intake is entered with a CSRF token, by those allowed.

use qingfeng_mediation::generate::{GenOptions, generate};

use crate::harness::{PW, apps, extract_csrf};

/// The number in the element `id="{id}">…<`.
fn figure(html: &str, id: &str) -> i64 {
    let start = html.find(&format!("id=\"{id}\">")).unwrap_or_else(|| panic!("no #{id}")) + id.len() + 6;
    html[start..].chars().take_while(char::is_ascii_digit).collect::<String>().parse().unwrap()
}

#[tokio::test]
async fn figures_page_is_scoped_exported_and_takes_the_court_intake() {
    for app in apps().await {
        let b = app.backend;
        let now = chrono::Utc::now().timestamp_millis();
        let sum = generate(&app.db, &GenOptions::new("410922", 600, now), &|_| {}).await.unwrap();
        assert_eq!(sum.cases, 600);

        let county = app.login("county", PW).await;
        let r = county.get(app.url("/console/mediation/figures?year=all")).send().await.unwrap();
        assert_eq!(r.status(), 200, "{b}");
        let html = r.text().await.unwrap();
        assert_eq!(figure(&html, "f-registered"), 600, "{b}");
        for needle in [
            "诉源治理统计",
            "化解率",
            "诉前调解成功率",
            "<svg class=\"chart\" id=\"chart-townships\"",
            "城关镇",
            "六塔乡",
            "id=\"figures-demo\"",
            "指标说明",
        ] {
            assert!(html.contains(needle), "{b}: {needle}");
        }
        // Nothing but the shared form-draft helper: the page works without JavaScript.
        assert!(!html.replace("<script src=\"/static/draft.js\" defer></script>", "").contains("<script"), "{b}: no JavaScript");
        let county_year = county.get(app.url("/console/mediation/figures")).send().await.unwrap().text().await.unwrap();
        assert!(county_year.contains("id=\"f-litigation-change\""), "{b}: a year has its year-over-year change");

        // 城关镇's staff: their township only.
        let cg = app.login("chengguan", PW).await;
        let mine = cg.get(app.url("/console/mediation/figures?year=all")).send().await.unwrap().text().await.unwrap();
        assert!(mine.contains("id=\"figures-scope\""), "{b}");
        assert!(mine.contains("城关镇"), "{b}");
        assert!(!mine.contains("六塔乡"), "{b}: another township's rows leak");
        let n = figure(&mine, "f-registered");
        assert!(n > 0 && n < 600, "{b}: {n}");
        let xlsx = cg.get(app.url("/console/mediation/figures.xlsx?year=all")).send().await.unwrap();
        assert_eq!(xlsx.status(), 200, "{b}");
        assert!(xlsx.headers()["content-disposition"].to_str().unwrap().contains("410922100"), "{b}");

        // Bad years: a Chinese error with a stable code, never a 500.
        for bad in ["abc", "1999", "%E4%BA%8C%E9%9B%B6"] {
            let r = county.get(app.url(&format!("/console/mediation/figures?year={bad}"))).send().await.unwrap();
            assert_eq!(r.status(), 400, "{b}: {bad}");
            let text = r.text().await.unwrap();
            assert!(text.contains("mediation.figures_year") && text.contains("年份"), "{b}: {bad}");
        }
        assert_eq!(county.get(app.url("/console/mediation/figures.xlsx?year=abc")).send().await.unwrap().status(), 400, "{b}");

        // The export.
        let r = county.get(app.url("/console/mediation/figures.xlsx?year=all")).send().await.unwrap();
        assert_eq!(r.status(), 200, "{b}");
        assert!(r.headers()["content-type"].to_str().unwrap().contains("spreadsheetml"), "{b}");
        let bytes = r.bytes().await.unwrap();
        assert!(bytes.starts_with(b"PK"), "{b}: a zip container");

        // Grid workers and mediators have no figures permission.
        let grid = app.login("grid01", PW).await;
        assert_eq!(grid.get(app.url("/console/mediation/figures")).send().await.unwrap().status(), 403, "{b}");

        // The court intake: a judge enters it (CSRF-checked); township staff may not.
        let year = chrono::Utc::now().format("%Y").to_string().parse::<i32>().unwrap();
        let judge = app.login("judge", PW).await;
        let page = judge.get(app.url("/console/mediation/figures")).send().await.unwrap().text().await.unwrap();
        let csrf = extract_csrf(&page).unwrap();
        let form = |csrf: &str, y: i32, n: &str| {
            vec![
                ("csrf", csrf.to_string()),
                ("year", y.to_string()),
                ("civil_cases", n.to_string()),
                ("source", "清丰县人民法院司法统计报表（测试）".to_string()),
            ]
        };
        let post = |c: &reqwest::Client, f: Vec<(&'static str, String)>| {
            c.post(app.url("/console/mediation/figures/court-intake")).form(&f).send()
        };
        let r = post(&judge, form("wrong", year, "100")).await.unwrap();
        assert_eq!(r.status(), 403, "{b}: a bad CSRF token is refused");
        let r = post(&judge, form(&csrf, year, "lots")).await.unwrap();
        assert_eq!(r.status(), 400, "{b}");
        assert!(r.text().await.unwrap().contains("mediation.intake_cases"), "{b}");
        assert_eq!(post(&judge, form(&csrf, year - 1, "1000")).await.unwrap().status(), 303, "{b}");
        assert_eq!(post(&judge, form(&csrf, year, "700")).await.unwrap().status(), 303, "{b}");
        let page = judge.get(app.url(&format!("/console/mediation/figures?year={year}"))).send().await.unwrap().text().await.unwrap();
        assert_eq!(figure(&page, "f-court"), 700, "{b}");
        assert!(page.contains("-30.0%"), "{b}: down 30 % against last year");
        let cg_page = cg.get(app.url("/console/mediation/figures")).send().await.unwrap().text().await.unwrap();
        assert!(!cg_page.contains("name=\"civil_cases\""), "{b}: no form for township staff");
        let cg_csrf = extract_csrf(&cg_page).unwrap();
        let r = post(&cg, form(&cg_csrf, year, "1")).await.unwrap();
        assert_eq!(r.status(), 403, "{b}");
        assert!(r.text().await.unwrap().contains("mediation.intake_forbidden"), "{b}");
        app.stop().await;
    }
}
