//! 营商动态 and 曝光台 in real Chromium on a 390×844 phone, on each database: a department
//! staff member writes a news item and submits it, the county's reviewer approves it, it
//! appears on `/portal/news`; the exposure board and an entry's basis. Screenshots:
//! `target/screenshots/portal-news-{write,review,list,article}-390x844.png` and
//! `portal-exposure-390x844.png`, `portal-exposure-entry-390x844.png`.

use fantoccini::{Client, Locator};

use crate::browser::{browser, fits_the_phone, sign_in};
use crate::harness::TestApp;

async fn shot(b: &Client, name: &str) {
    crate::browser::shot(b, &format!("portal-{name}")).await;
}

#[tokio::test]
async fn portal_news_written_approved_and_published_and_the_exposure_board() {
    let Some((b, _driver)) = browser().await else { return };
    b.set_window_size(390, 844).await.unwrap();
    for tdb in qingfeng_platform::testing::all().await.unwrap() {
        let app = TestApp::start(tdb).await;
        let title = format!("演示：政务服务中心延时服务（{}）", app.backend);

        // 市场监管局的工作人员 writes and submits.
        sign_in(&b, &app, "scjg").await;
        b.goto(&app.url("/console/portal/news/new")).await.unwrap();
        b.find(Locator::Id("news-category")).await.unwrap().select_by_value("notice").await.unwrap();
        b.find(Locator::Id("news-title")).await.unwrap().send_keys(&title).await.unwrap();
        b.find(Locator::Id("news-summary")).await.unwrap().send_keys("工作日中午和周六上午照常办理。").await.unwrap();
        b.find(Locator::Id("news-body"))
            .await
            .unwrap()
            .send_keys("本文为演示数据。\n即日起，政务服务中心工作日中午不休息。")
            .await
            .unwrap();
        fits_the_phone(&b, "the editor").await;
        shot(&b, "news-write").await;
        b.find(Locator::Id("news-save")).await.unwrap().click().await.unwrap();
        b.wait().for_element(Locator::Id("news-submit")).await.unwrap().click().await.unwrap();
        b.wait().for_element(Locator::Id("done")).await.unwrap();
        assert_eq!(b.find(Locator::Id("news-state")).await.unwrap().text().await.unwrap(), "待审核");

        // The county's reviewer finds it in the review queue and approves it.
        sign_in(&b, &app, "county").await;
        b.goto(&app.url("/console/portal/news/review")).await.unwrap();
        b.find(Locator::XPath(&format!("//a[contains(., '{title}')]"))).await.unwrap().click().await.unwrap();
        b.wait().for_element(Locator::Id("news-approve")).await.unwrap();
        fits_the_phone(&b, "the review page").await;
        shot(&b, "news-review").await;
        b.find(Locator::Id("news-approve")).await.unwrap().click().await.unwrap();
        b.wait().for_element(Locator::Id("done")).await.unwrap();
        assert_eq!(b.find(Locator::Id("news-state")).await.unwrap().text().await.unwrap(), "已发布");

        // The public sees it first on /portal/news, from the home tile.
        b.delete_all_cookies().await.unwrap();
        b.goto(&app.url("/portal")).await.unwrap();
        b.find(Locator::Id("module-news")).await.unwrap().click().await.unwrap();
        b.wait().for_element(Locator::Id("news-list")).await.unwrap();
        let first = b.find(Locator::Css("#news-list a.pt-hit strong")).await.unwrap().text().await.unwrap();
        assert!(first.starts_with(&title), "newest first: {first}");
        let tab = b.execute("return document.querySelector('#news-tabs a').getBoundingClientRect().height", vec![]).await.unwrap();
        assert!(tab.as_f64().unwrap() >= 40.0, "category tabs are {tab}px high");
        fits_the_phone(&b, "the news list").await;
        shot(&b, "news-list").await;
        b.find(Locator::Css("#news-list a.pt-hit")).await.unwrap().click().await.unwrap();
        let article = b.wait().for_element(Locator::Id("article")).await.unwrap().text().await.unwrap();
        assert!(article.contains("工作日中午不休息"), "{article}");
        fits_the_phone(&b, "the article").await;
        shot(&b, "news-article").await;

        // 经典案例: the same engine's other channel, from its own tile (the demo's cases).
        b.goto(&app.url("/portal")).await.unwrap();
        b.find(Locator::Id("module-cases")).await.unwrap().click().await.unwrap();
        b.wait().for_element(Locator::Id("news-list")).await.unwrap();
        fits_the_phone(&b, "the case list").await;
        shot(&b, "cases-list").await;
        b.find(Locator::Css("#news-list a.pt-hit")).await.unwrap().click().await.unwrap();
        let case = b.wait().for_element(Locator::Id("article")).await.unwrap().text().await.unwrap();
        assert!(case.contains("演示"), "{case}");
        fits_the_phone(&b, "a case").await;

        // The exposure board, and an entry with its basis: a (synthetic) enterprise on the
        // 严重失信主体名单 comes onto the board with the check.
        let county = "410922";
        let body = "MA41BR12";
        let first17 = format!("91410922{body}{}", qingfeng_core::gb11714_check_char(body).unwrap());
        let uscc = format!("{first17}{}", qingfeng_core::uscc_check_char(&first17).unwrap());
        let now = app.state().clock.now_ms();
        let subject = qingfeng_credit::store::NewSubject {
            county,
            key_hash: qingfeng_credit::ingest::SubjectCode::Uscc(&uscc).key(county),
            kind: "legal",
            name: "清丰县某演示食品有限公司（演示）",
            uscc: Some(&uscc),
            id_hash: None,
            id_enc: None,
        };
        let subject_id = qingfeng_credit::store::ensure_subject(&app.db, &subject, now).await.unwrap();
        let today = app.state().clock.today();
        let entry = qingfeng_credit::store::NewListEntry {
            county,
            list_kind: "black",
            subject_id,
            basis: "拒不履行法定义务，情节严重（演示数据）",
            authority: "清丰县市场监督管理局（演示）",
            source_ref: "清市监列〔2026〕演示7号",
            listed_on: &today.to_string(),
            ends_on: Some(&(today + chrono::Days::new(365)).to_string()),
        };
        qingfeng_credit::store::add_list_entry(&app.db, &entry, &qingfeng_platform::audit::Actor::System("test"), now).await.unwrap();
        let cal = app.state().calendar_now();
        qingfeng_portal::exposure::store::sweep(&app.db, &cal, county, today, now).await.unwrap();
        b.goto(&app.url("/portal")).await.unwrap();
        b.find(Locator::Id("module-exposure")).await.unwrap().click().await.unwrap();
        b.wait().for_element(Locator::Id("exposure-list")).await.unwrap();
        assert_eq!(b.find_all(Locator::Css("#exposure-list a.pt-hit")).await.unwrap().len(), 2, "the list entry and the demo's hand entry");
        fits_the_phone(&b, "the exposure board").await;
        shot(&b, "exposure").await;
        b.find(Locator::Css("#exposure-list a.pt-hit")).await.unwrap().click().await.unwrap();
        let basis = b.wait().for_element(Locator::Id("exposure-basis")).await.unwrap().text().await.unwrap();
        assert!(basis.contains("情节严重"), "{basis}");
        let who = b.find(Locator::Id("exposure-subject")).await.unwrap().text().await.unwrap();
        assert!(who.contains(&uscc), "the enterprise with its code: {who}");
        assert!(!b.find(Locator::Id("exposure-doc")).await.unwrap().text().await.unwrap().is_empty());
        fits_the_phone(&b, "an exposure entry").await;
        shot(&b, "exposure-entry").await;
        app.stop().await;
    }
}
