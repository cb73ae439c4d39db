//! 营商环境直通车 in real Chromium on a 390×844 phone window: the portal home, a policy
//! searched from the home box, a hit tapped, the article reached and marked. Screenshots
//! go to `target/screenshots/portal-*-390x844.png` (home, search-policies, article,
//! policies, policy, console-status).

use fantoccini::{Client, Locator};

use crate::browser::{browser, fits_the_phone, sign_in};
use crate::harness::TestApp;

async fn shot(b: &Client, name: &str) {
    crate::browser::shot(b, &format!("portal-{name}")).await;
}

#[tokio::test]
async fn a_policy_search_to_an_article() {
    let Some((b, _driver)) = browser().await else { return };
    b.set_window_size(390, 844).await.unwrap();
    // On each database; screenshots from the first (SQLite).
    for tdb in qingfeng_platform::testing::all().await.unwrap() {
        let app = TestApp::start(tdb).await;
        b.delete_all_cookies().await.unwrap();

        b.goto(&app.url("/portal")).await.unwrap();
        let tiles = b.find_all(Locator::Css("#portal-modules > li")).await.unwrap();
        assert_eq!(tiles.len(), 13);
        // Large touch targets: every tile at least 44px high.
        let smallest = b
            .execute("return Math.min(...[...document.querySelectorAll('.pt-tile')].map(t => t.getBoundingClientRect().height))", vec![])
            .await
            .unwrap();
        assert!(smallest.as_f64().unwrap() >= 44.0, "a tile is only {smallest}px high");
        fits_the_phone(&b, "the portal home").await;
        shot(&b, "home").await;

        b.find(Locator::Id("portal-q")).await.unwrap().send_keys("中小企业 款项").await.unwrap();
        b.find(Locator::Id("portal-search")).await.unwrap().click().await.unwrap();
        // The home's box searches every kind of content; only policies exist here.
        b.wait().for_element(Locator::Id("search-hits")).await.unwrap();
        let first = b.find(Locator::Css("#search-hits a.pt-hit")).await.unwrap();
        assert!(first.find(Locator::Css("strong")).await.unwrap().text().await.unwrap().starts_with("保障中小企业款项支付条例 第"));
        assert!(!b.find_all(Locator::Css("#search-hits a.pt-hit mark")).await.unwrap().is_empty(), "no highlighted words");
        fits_the_phone(&b, "the search results").await;
        shot(&b, "search-policies").await;

        let href = first.attr("href").await.unwrap().unwrap();
        let anchor = href.split_once('#').unwrap().1.to_string();
        first.click().await.unwrap();
        b.wait().for_element(Locator::Id("policy")).await.unwrap();
        assert!(b.current_url().await.unwrap().as_str().ends_with(&format!("#{anchor}")));
        b.find(Locator::Id(&anchor)).await.unwrap();
        let target = b.execute("const t = document.querySelector(':target'); return t ? t.id : null", vec![]).await.unwrap();
        assert_eq!(target.as_str(), Some(anchor.as_str()), "the article is not the page's target");
        let top = b.execute(&format!("return document.getElementById('{anchor}').getBoundingClientRect().top"), vec![]).await.unwrap();
        let top = top.as_f64().unwrap();
        assert!((0.0..400.0).contains(&top), "the article is not in view (top {top}px)");
        fits_the_phone(&b, "the article page").await;
        shot(&b, "article").await;

        // Browsing by level, from the tabs.
        b.goto(&app.url("/portal/policies")).await.unwrap();
        b.find(Locator::Css(".pt-tabs a[href='/portal/policies?level=puyang']")).await.unwrap().click().await.unwrap();
        b.wait().for_element(Locator::Css(".pt-tabs a.on[href='/portal/policies?level=puyang']")).await.unwrap();
        assert_eq!(b.find_all(Locator::Css("#policy-list li")).await.unwrap().len(), 3);
        fits_the_phone(&b, "the policy list").await;
        shot(&b, "policies").await;
        b.find(Locator::Css("#policy-list a.stack")).await.unwrap().click().await.unwrap();
        b.wait().for_element(Locator::Id("policy")).await.unwrap();
        assert!(b.find(Locator::Id("art-1")).await.is_ok());
        fits_the_phone(&b, "a policy's first page").await;
        shot(&b, "policy").await;

        // Staff confirm a policy's status from the console, on the same phone.
        sign_in(&b, &app, "county").await;
        b.goto(&app.url("/console/portal/policies")).await.unwrap();
        b.find(Locator::Css("#console-policies a.stack")).await.unwrap().click().await.unwrap();
        b.wait().for_element(Locator::Id("status-form")).await.unwrap();
        b.find(Locator::Id("status")).await.unwrap().select_by_value("in_force").await.unwrap();
        b.find(Locator::Id("basis")).await.unwrap().send_keys("国家法律法规数据库，2026年11月30日查询").await.unwrap();
        b.find(Locator::Id("status-submit")).await.unwrap().click().await.unwrap();
        b.wait().for_element(Locator::Id("saved")).await.unwrap();
        fits_the_phone(&b, "the status form").await;
        shot(&b, "console-status").await;
        app.stop().await;
    }
}
