//! 负面清单、收费清单、权责清单 in real Chromium on a 390×844 phone window, on each
//! database: the negative-list tile tapped from the portal home, a question asked and
//! answered (需要许可, then 禁止准入) with the edition named; the fees list with its
//! complaint links; the powers list filtered by type. Screenshots:
//! `target/screenshots/portal-{negative-list,negative-list-check,negative-list-prohibited,fees,powers,lists-console}-390x844.png`.

use fantoccini::{Client, Locator};

use crate::browser::{browser, fits_the_phone, screenshot_dir, sign_in};
use crate::harness::TestApp;

async fn shot(b: &Client, name: &str) {
    let png = b.screenshot().await.unwrap();
    std::fs::write(screenshot_dir().join(format!("portal-{name}-390x844.png")), png).unwrap();
}

/// The smallest height of the elements matching `css`.
async fn smallest(b: &Client, css: &str) -> f64 {
    let js = format!("return Math.min(...[...document.querySelectorAll(\"{css}\")].map(t => t.getBoundingClientRect().height))");
    b.execute(&js, vec![]).await.unwrap().as_f64().unwrap()
}

#[tokio::test]
async fn a_negative_list_question_the_fees_and_the_powers_on_a_phone() {
    let Some((b, _driver)) = browser().await else { return };
    b.set_window_size(390, 844).await.unwrap();
    for tdb in qingfeng_platform::testing::all().await.unwrap() {
        let be = tdb.name;
        let app = TestApp::start(tdb).await;

        // From the home tile to the list and its checker.
        b.goto(&app.url("/portal")).await.unwrap();
        b.find(Locator::Css("a.pt-tile[href='/portal/negative-list']")).await.unwrap().click().await.unwrap();
        b.wait().for_element(Locator::Id("nl-checker")).await.unwrap();
        assert!(!b.find_all(Locator::Css("#nl-prohibited li")).await.unwrap().is_empty(), "{be}");
        fits_the_phone(&b, "the negative list").await;
        shot(&b, "negative-list").await;

        // 需要许可: the permit, its department, the edition that answered.
        b.find(Locator::Id("nl-q")).await.unwrap().send_keys("我想开一家饭店").await.unwrap();
        b.find(Locator::Id("nl-ask")).await.unwrap().click().await.unwrap();
        b.wait().for_element(Locator::Id("nl-answer")).await.unwrap();
        let answer = b.find(Locator::Id("nl-answer")).await.unwrap();
        assert_eq!(answer.attr("data-verdict").await.unwrap().as_deref(), Some("needs_permit"), "{be}");
        let text = answer.text().await.unwrap();
        assert!(text.contains("需要许可") && text.contains("市场监管部门（演示）") && text.contains("演示示例"), "{be}: {text}");
        let edition = b.find(Locator::Id("nl-edition")).await.unwrap().text().await.unwrap();
        assert!(edition.contains("市场准入负面清单（2022年版）"), "{be}: {edition}");
        assert!(b.find(Locator::Id("nl-caveat")).await.unwrap().text().await.unwrap().contains("为准"));
        assert!(smallest(&b, "#nl-ask, #nl-q").await >= 44.0, "{be}: the question box is too small to tap");
        fits_the_phone(&b, "the checker's answer").await;
        shot(&b, "negative-list-check").await;

        // 禁止准入, asked again from the answer page.
        let q = b.find(Locator::Id("nl-q")).await.unwrap();
        q.clear().await.unwrap();
        q.send_keys("金融").await.unwrap();
        b.find(Locator::Id("nl-ask")).await.unwrap().click().await.unwrap();
        b.wait().for_element(Locator::Css("#nl-answer[data-verdict='prohibited']")).await.unwrap();
        let text = b.find(Locator::Id("nl-answer")).await.unwrap().text().await.unwrap();
        assert!(text.contains("禁止准入") && text.contains("100004") && text.contains("已核实"), "{be}: {text}");
        fits_the_phone(&b, "a 禁止 answer").await;
        shot(&b, "negative-list-prohibited").await;

        // The fees list: the rule, one tap to report an off-list fee, one per fee.
        b.goto(&app.url("/portal/fees")).await.unwrap();
        let banner = b.find(Locator::Id("fee-banner")).await.unwrap().text().await.unwrap();
        assert!(banner.contains("清单之外一律不得收费") && banner.contains("举报清单外收费"), "{be}");
        let off = b.find(Locator::Id("fee-report-off-list")).await.unwrap();
        assert_eq!(off.attr("href").await.unwrap().as_deref(), Some("/portal/complaints/new?fee=0"));
        assert_eq!(b.find_all(Locator::Css(".fee-row a.fee-report-one")).await.unwrap().len(), 4, "{be}");
        assert!(smallest(&b, "#fee-report-off-list, .fee-report-one, .fee-row a.stack").await >= 44.0, "{be}: a report link is too small");
        fits_the_phone(&b, "the fees list").await;
        shot(&b, "fees").await;

        // The powers list filtered by type (no JavaScript: a plain GET form).
        b.goto(&app.url("/portal/powers")).await.unwrap();
        assert_eq!(b.find_all(Locator::Css("#powers-list li")).await.unwrap().len(), 20, "{be}: the first page of 22");
        b.find(Locator::Css("#powers-filter select[name='type']")).await.unwrap().select_by_value("行政处罚").await.unwrap();
        b.find(Locator::Id("powers-go")).await.unwrap().click().await.unwrap();
        b.wait().for_element(Locator::Css("#powers-filter select[name='type'] option[value='行政处罚'][selected]")).await.unwrap();
        assert_eq!(b.find_all(Locator::Css("#powers-list li")).await.unwrap().len(), 7, "{be}");
        fits_the_phone(&b, "the powers list").await;
        shot(&b, "powers").await;

        // The staff page fits the phone too.
        sign_in(&b, &app, "county").await;
        b.goto(&app.url("/console/portal/lists")).await.unwrap();
        b.wait().for_element(Locator::Id("lists-upload")).await.unwrap();
        assert_eq!(b.find_all(Locator::Css("#lists-imports li")).await.unwrap().len(), 3, "{be}: the demo's three imports");
        fits_the_phone(&b, "the lists console").await;
        shot(&b, "lists-console").await;
        b.goto(&app.url("/logout")).await.unwrap();
        b.delete_all_cookies().await.unwrap();

        app.stop().await;
    }
}
