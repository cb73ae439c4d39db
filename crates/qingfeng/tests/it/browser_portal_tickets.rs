//! 企业家维权投诉 and 好差评 in real Chromium on a 390×844 phone window, on each database:
//! an entrepreneur files a complaint from the portal home, the county office dispatches
//! it, the market-regulation bureau signs and replies, the office revisits; the
//! entrepreneur rates it 不满意, the bureau verifies, rectifies and feeds back, and the
//! entrepreneur sees the feedback. Screenshots: `target/screenshots/portal-complaint-*`,
//! `portal-track-*`, `portal-rating-*` (390×844).

use fantoccini::{Client, Locator};

use crate::browser::{browser, fits_the_phone, shot, sign_in, submit_and_wait};
use crate::harness::TestApp;

const CODE_PHONE: &str = "13800000005";

/// Look the ticket (or rating) up on the tracking page.
async fn track(b: &Client, app: &TestApp, code: &str) {
    b.goto(&app.url("/portal/track")).await.unwrap();
    b.find(Locator::Id("code")).await.unwrap().send_keys(code).await.unwrap();
    b.find(Locator::Id("track_phone")).await.unwrap().send_keys(CODE_PHONE).await.unwrap();
    submit_and_wait(b, Locator::Id("track-submit"), Locator::Id("track-result")).await;
}

async fn open_ticket(b: &Client, app: &TestApp, code: &str) {
    b.goto(&app.url(&format!("/console/portal/tickets?q={code}"))).await.unwrap();
    b.find(Locator::Css("#ticket-list ul.rows a")).await.unwrap().click().await.unwrap();
    b.wait().for_element(Locator::Id("ticket-state")).await.unwrap();
}

async fn state(b: &Client, id: &str) -> String {
    b.find(Locator::Id(id)).await.unwrap().text().await.unwrap()
}

#[tokio::test]
async fn a_complaint_filed_on_a_phone_is_handled_rated_and_its_bad_rating_rectified() {
    let Some((b, _driver)) = browser().await else { return };
    b.set_window_size(390, 844).await.unwrap();
    for tdb in qingfeng_platform::testing::all().await.unwrap() {
        let app = TestApp::start(tdb).await;
        let first = app.backend == "sqlite";
        b.delete_all_cookies().await.unwrap();

        // 小事快办, anonymous: the code alone follows it.
        b.goto(&app.url("/portal")).await.unwrap();
        b.find(Locator::Id("module-quick_matters")).await.unwrap().click().await.unwrap();
        b.wait().for_element(Locator::Id("ticket-form")).await.unwrap();
        b.find(Locator::Id("category")).await.unwrap().select_by_value("consult").await.unwrap();
        b.find(Locator::Id("title")).await.unwrap().send_keys("执照地址变更咨询（演示）").await.unwrap();
        b.find(Locator::Id("content")).await.unwrap().send_keys("营业执照地址变更需要哪些材料？").await.unwrap();
        b.find(Locator::Id("anonymous")).await.unwrap().click().await.unwrap();
        submit_and_wait(&b, Locator::Id("ticket-submit"), Locator::Id("tracking-code")).await;
        let quick = state(&b, "tracking-code").await;
        b.goto(&app.url("/portal/track")).await.unwrap();
        b.find(Locator::Id("code")).await.unwrap().send_keys(&quick).await.unwrap();
        submit_and_wait(&b, Locator::Id("track-submit"), Locator::Id("track-result")).await;
        assert_eq!(state(&b, "track-state").await, "已受理");
        fits_the_phone(&b, "a quick matter tracked").await;
        if first {
            shot(&b, "portal-quick-track").await;
        }

        // The entrepreneur, from the portal home.
        b.goto(&app.url("/portal")).await.unwrap();
        b.find(Locator::Id("module-complaints")).await.unwrap().click().await.unwrap();
        b.wait().for_element(Locator::Id("ticket-form")).await.unwrap();
        b.find(Locator::Id("category")).await.unwrap().select_by_value("complaint").await.unwrap();
        b.find(Locator::Id("title")).await.unwrap().send_keys("多头检查影响经营（演示）").await.unwrap();
        b.find(Locator::Id("content")).await.unwrap().send_keys("本月内三个部门先后上门检查同一事项，影响正常经营。").await.unwrap();
        b.find(Locator::Id("company")).await.unwrap().send_keys("清丰县演示商贸有限公司").await.unwrap();
        b.find(Locator::Id("contact_name")).await.unwrap().send_keys("张演示").await.unwrap();
        // A mistyped phone number first: the message, and nothing typed is lost.
        b.find(Locator::Id("phone")).await.unwrap().send_keys("1380000").await.unwrap();
        fits_the_phone(&b, "the complaint form").await;
        if first {
            shot(&b, "portal-complaint-form").await;
        }
        submit_and_wait(&b, Locator::Id("ticket-submit"), Locator::Id("ticket-error")).await;
        assert!(state(&b, "ticket-error").await.contains("portal.ticket_phone"));
        let kept = b.find(Locator::Id("content")).await.unwrap().prop("value").await.unwrap().unwrap_or_default();
        assert!(kept.contains("三个部门"), "the details were lost: {kept:?}");
        let phone = b.find(Locator::Id("phone")).await.unwrap();
        phone.clear().await.unwrap();
        phone.send_keys(CODE_PHONE).await.unwrap();
        submit_and_wait(&b, Locator::Id("ticket-submit"), Locator::Id("tracking-code")).await;
        let code = state(&b, "tracking-code").await;
        fits_the_phone(&b, "the receipt").await;
        if first {
            shot(&b, "portal-complaint-received").await;
        }

        // The county office dispatches it to the market-regulation bureau.
        sign_in(&b, &app, "county").await;
        open_ticket(&b, &app, &code).await;
        let select = b.find(Locator::Id("handler_org_id")).await.unwrap();
        select.select_by_label("清丰县市场监督管理局").await.unwrap();
        submit_and_wait(&b, Locator::Id("do-dispatch"), Locator::Id("ticket-state")).await;
        assert_eq!(state(&b, "ticket-state").await, "已派单待签收");

        // The bureau signs and replies, on the phone.
        sign_in(&b, &app, "scjg").await;
        open_ticket(&b, &app, &code).await;
        submit_and_wait(&b, Locator::Id("do-sign"), Locator::Id("ticket-state")).await;
        assert_eq!(state(&b, "ticket-state").await, "办理中");
        b.find(Locator::Id("reply")).await.unwrap().send_keys("已协调相关部门实行联合检查，同一事项一次查完。").await.unwrap();
        fits_the_phone(&b, "the ticket page").await;
        if first {
            shot(&b, "portal-ticket-staff").await;
        }
        submit_and_wait(&b, Locator::Id("do-reply"), Locator::Id("ticket-state")).await;
        assert_eq!(state(&b, "ticket-state").await, "已答复待回访");

        // The office revisits: solved.
        sign_in(&b, &app, "county").await;
        open_ticket(&b, &app, &code).await;
        b.find(Locator::Id("resolved-yes")).await.unwrap().click().await.unwrap();
        b.find(Locator::Id("satisfied-no")).await.unwrap().click().await.unwrap();
        submit_and_wait(&b, Locator::Id("do-revisit"), Locator::Id("ticket-state")).await;
        assert_eq!(state(&b, "ticket-state").await, "已办结");
        // The office's desk across the modules.
        b.goto(&app.url("/console/portal")).await.unwrap();
        b.wait().for_element(Locator::Id("portal-desk")).await.unwrap();
        fits_the_phone(&b, "the staff desk").await;
        if first {
            shot(&b, "portal-desk").await;
        }

        // The entrepreneur tracks it and rates it 不满意, with the reason.
        b.delete_all_cookies().await.unwrap();
        track(&b, &app, &code).await;
        assert_eq!(state(&b, "track-state").await, "已办结");
        assert!(state(&b, "track-reply").await.contains("联合检查"));
        b.find(Locator::Id("level-2")).await.unwrap().click().await.unwrap();
        b.find(Locator::Id("rate-comment")).await.unwrap().send_keys("联合检查后仍有部门单独上门").await.unwrap();
        fits_the_phone(&b, "the tracking page").await;
        if first {
            shot(&b, "portal-track-rate").await;
        }
        submit_and_wait(&b, Locator::Id("rate-submit"), Locator::Id("my-rating")).await;
        assert!(state(&b, "my-rating-state").await.contains("待回访核实"));

        // The bureau verifies, rectifies within its deadline and feeds back.
        sign_in(&b, &app, "scjg").await;
        b.goto(&app.url("/console/portal/ratings")).await.unwrap();
        b.find(Locator::Css("#rating-list ul.rows a")).await.unwrap().click().await.unwrap();
        b.wait().for_element(Locator::Id("rating-state")).await.unwrap();
        b.find(Locator::Id("visit_note")).await.unwrap().send_keys("电话回访核实：税务部门单独上门一次，属实").await.unwrap();
        submit_and_wait(&b, Locator::Id("do-confirm"), Locator::Id("rating-state")).await;
        assert!(state(&b, "rating-state").await.starts_with("整改中"));
        b.find(Locator::Id("rectification")).await.unwrap().send_keys("已将税务检查纳入联合检查计划").await.unwrap();
        submit_and_wait(&b, Locator::Id("do-rectify"), Locator::Id("rating-state")).await;
        b.find(Locator::Id("feedback")).await.unwrap().send_keys("整改完成：此后同一事项只检查一次").await.unwrap();
        fits_the_phone(&b, "the bad-rating page").await;
        if first {
            shot(&b, "portal-rating-rectify").await;
        }
        submit_and_wait(&b, Locator::Id("do-feed-back"), Locator::Id("rating-state")).await;
        assert!(state(&b, "rating-state").await.starts_with("已办结"));

        // The entrepreneur sees the feedback.
        b.delete_all_cookies().await.unwrap();
        track(&b, &app, &code).await;
        assert!(state(&b, "my-rating-state").await.contains("此后同一事项只检查一次"));
        b.execute("document.getElementById('my-rating').scrollIntoView()", vec![]).await.unwrap();
        if first {
            shot(&b, "portal-track-feedback").await;
        }
        app.stop().await;
    }
    b.close().await.unwrap();
}
