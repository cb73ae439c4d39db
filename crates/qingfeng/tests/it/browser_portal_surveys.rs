//! 问卷调查 and the cross-content search in real Chromium on a 390×844 phone window, on
//! each database: the demo survey reached from the home tile, sent with questions left
//! out (each marked, what was chosen kept), completed and sent; staff close it, and its
//! published results show their charts with the numbers as text; then the home's search
//! box leads to hits of several kinds. Screenshots: `portal-survey-390x844.png`,
//! `portal-survey-results-390x844.png`, `portal-search-390x844.png`.

use fantoccini::{Client, Locator};
use qingfeng_platform::on_db;

use crate::browser::{browser, fits_the_phone, shot};
use crate::harness::TestApp;

async fn smallest(b: &Client, css: &str) -> f64 {
    let js = format!("return Math.min(...[...document.querySelectorAll('{css}')].map(t => t.getBoundingClientRect().height))");
    b.execute(&js, vec![]).await.unwrap().as_f64().unwrap()
}

#[tokio::test]
async fn a_survey_answered_its_results_and_a_mixed_search_on_a_phone() {
    let Some((b, _driver)) = browser().await else { return };
    b.set_window_size(390, 844).await.unwrap();
    for tdb in qingfeng_platform::testing::all().await.unwrap() {
        let app = TestApp::start(tdb).await;
        let be = app.backend;
        let id: i64 = on_db!(&app.db, |p| sqlx::query_scalar("SELECT id FROM portal_surveys WHERE is_demo").fetch_one(p).await).unwrap();
        let _ = b.delete_all_cookies().await;

        b.goto(&app.url("/portal")).await.unwrap();
        b.find(Locator::Id("module-surveys")).await.unwrap().click().await.unwrap();
        b.wait().for_element(Locator::Id("surveys-open")).await.unwrap();
        fits_the_phone(&b, "the survey list").await;
        b.find(Locator::Css(&format!("#surveys-open a[href='/portal/surveys/{id}']"))).await.unwrap().click().await.unwrap();
        b.wait().for_element(Locator::Id("survey-form")).await.unwrap();
        assert!(smallest(&b, ".sv-opt, .sv-star span, #survey-submit").await >= 44.0, "{be}: a touch target under 44px");

        // The first question only, then send: the others are marked, the choice kept.
        b.find(Locator::Css("#question-1 .sv-opt:nth-of-type(2)")).await.unwrap().click().await.unwrap();
        b.find(Locator::Id("survey-submit")).await.unwrap().click().await.unwrap();
        b.wait().for_element(Locator::Id("survey-problems")).await.unwrap();
        assert_eq!(b.find_all(Locator::Css(".sv-q.sv-bad")).await.unwrap().len(), 2, "{be}: the two required questions left out");
        let kept = b.execute("return document.querySelector('#question-1 input:checked').value", vec![]).await.unwrap();
        assert_eq!(kept.as_str(), Some("1"), "{be}: the choice was lost");
        b.find(Locator::Css("#question-2 .sv-opt:nth-of-type(1)")).await.unwrap().click().await.unwrap();
        b.find(Locator::Css("#question-2 .sv-opt:nth-of-type(3)")).await.unwrap().click().await.unwrap();
        b.find(Locator::Css("#question-3 .sv-star:nth-of-type(4)")).await.unwrap().click().await.unwrap();
        b.find(Locator::Css("#question-4 textarea")).await.unwrap().send_keys("窗口很方便（浏览器测试）").await.unwrap();
        b.execute("document.getElementById('question-2').scrollIntoView()", vec![]).await.unwrap();
        fits_the_phone(&b, "the survey form").await;
        shot(&b, "portal-survey").await;
        b.find(Locator::Id("survey-submit")).await.unwrap().click().await.unwrap();
        b.wait().for_element(Locator::Id("survey-done")).await.unwrap();
        let n: i64 =
            on_db!(&app.db, |p| sqlx::query_scalar("SELECT COUNT(*) FROM portal_survey_responses WHERE survey_id = $1 AND NOT is_demo")
                .bind(id)
                .fetch_one(p)
                .await)
            .unwrap();
        assert_eq!(n, 1, "{be}");

        // Staff close it; its results were chosen to be public.
        crate::browser::sign_in(&b, &app, "county").await;
        b.goto(&app.url(&format!("/console/portal/surveys/{id}"))).await.unwrap();
        b.find(Locator::Id("survey-close")).await.unwrap().click().await.unwrap();
        b.wait().for_element(Locator::Id("saved")).await.unwrap();
        fits_the_phone(&b, "the survey's console page").await;

        b.goto(&app.url(&format!("/portal/surveys/{id}/results"))).await.unwrap();
        b.wait().for_element(Locator::Id("chart-q1")).await.unwrap();
        let total = b.find(Locator::Id("results-total")).await.unwrap().text().await.unwrap();
        assert!(total.contains("37"), "{be}: {total}");
        let bars = b.find_all(Locator::Css("#chart-q2 rect")).await.unwrap();
        assert_eq!(bars.len(), 5, "{be}: one bar per option");
        let value = b.find(Locator::Css("#result-3 .sv-avg")).await.unwrap().text().await.unwrap();
        assert!(value.parse::<f64>().is_ok_and(|v| (1.0..=5.0).contains(&v)), "{be}: {value}");
        fits_the_phone(&b, "the survey results").await;
        shot(&b, "portal-survey-results").await;

        // The home's search box: hits of several kinds (documents the other modules will
        // write, put in the index here), each labelled.
        let county = app.state().cfg.county_code.clone();
        let doc = |kind: &str, id: &str, title: &str, body: &str| qingfeng_search::Doc {
            kind: kind.into(),
            id: id.into(),
            county: county.clone(),
            title: title.into(),
            body: body.into(),
            tags: vec![],
        };
        app.state()
            .search
            .upsert(&[
                doc("portal_service", "1", "企业开办一窗通办（测试数据）", "营业执照、印章刻制、税务登记一次办结。"),
                doc("portal_fee", "2", "营业执照工本费（测试数据）", "营业执照免收工本费。"),
                doc("portal_news", "3", "营业执照全程电子化（测试数据）", "新设企业可在网上申领营业执照。"),
            ])
            .unwrap();
        b.goto(&app.url("/portal")).await.unwrap();
        b.find(Locator::Id("portal-q")).await.unwrap().send_keys("营业执照").await.unwrap();
        b.find(Locator::Id("portal-search")).await.unwrap().click().await.unwrap();
        b.wait().for_element(Locator::Id("search-hits")).await.unwrap();
        let kinds = b
            .execute("return [...new Set([...document.querySelectorAll('#search-hits a.pt-hit')].map(a => a.dataset.kind))]", vec![])
            .await
            .unwrap();
        let kinds: Vec<&str> = kinds.as_array().unwrap().iter().map(|k| k.as_str().unwrap()).collect();
        for k in ["portal_service", "portal_fee", "portal_news", "policy_article"] {
            assert!(kinds.contains(&k), "{be}: no {k} hit in {kinds:?}");
        }
        assert!(!b.find_all(Locator::Css("#search-hits mark")).await.unwrap().is_empty(), "{be}");
        assert!(smallest(&b, "#search-tabs a").await >= 40.0, "{be}");
        fits_the_phone(&b, "the cross-content search").await;
        shot(&b, "portal-search").await;
        app.stop().await;
    }
}
