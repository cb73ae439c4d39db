//! 诉源治理 in real Chromium on a 390×844 phone window: a grid worker reports a dispute
//! (the draft survives a reload), it is routed to the professional committee, the
//! mediator mediates to an agreement, the tribunal confirms it, and the figures count
//! it; another case times out at the village and escalates; a third fails and is
//! referred for filing. Screenshots go to `target/screenshots/mediation-*.png`.

use chrono::TimeZone;
use fantoccini::{Client, Locator};
use qingfeng_platform::Clock;

use crate::browser::{browser, fits_the_phone, screenshot_dir, sign_in};
use crate::harness::TestApp;

async fn shot(b: &Client, name: &str) {
    let png = b.screenshot().await.unwrap();
    std::fs::write(screenshot_dir().join(format!("mediation-{name}-390x844.png")), png).unwrap();
}

/// Fill the report form (category, village, summary, applicant) and send it; returns the
/// tracking code.
async fn report(b: &Client, app: &TestApp, category: &str, summary: &str) -> String {
    b.goto(&app.url("/console/mediation/report")).await.unwrap();
    b.find(Locator::Id("category")).await.unwrap().select_by_value(category).await.unwrap();
    b.find(Locator::Id("village_code")).await.unwrap().select_by_value("410922100201").await.unwrap();
    b.find(Locator::Id("summary")).await.unwrap().send_keys(summary).await.unwrap();
    b.find(Locator::Id("applicant_name")).await.unwrap().send_keys("刘演示").await.unwrap();
    b.find(Locator::Id("applicant_phone")).await.unwrap().send_keys("13800000001").await.unwrap();
    b.find(Locator::Id("intake-submit")).await.unwrap().click().await.unwrap();
    b.wait().for_element(Locator::Id("tracking-code")).await.unwrap().text().await.unwrap()
}

/// Open the case with this tracking code from the case list.
async fn open_case(b: &Client, app: &TestApp, code: &str) {
    b.goto(&app.url(&format!("/console/mediation/cases?q={code}"))).await.unwrap();
    b.find(Locator::Css("#case-list ul.rows a")).await.unwrap().click().await.unwrap();
    b.wait().for_element(Locator::Id("case-state")).await.unwrap();
}

/// Press the action button `event`, after filling the textarea/input `field` if given.
async fn act(b: &Client, event: &str, field: Option<(&str, &str)>) -> String {
    let form = b.find(Locator::Css(&format!("form.action-{event}"))).await.unwrap();
    if let Some((name, value)) = field {
        let el = form.find(Locator::Css(&format!("[name='{name}']"))).await.unwrap();
        if el.tag_name().await.unwrap() == "select" {
            el.select_by_value(value).await.unwrap();
        } else {
            el.send_keys(value).await.unwrap();
        }
    }
    let before = b.find(Locator::Id("case-state")).await.unwrap();
    form.find(Locator::Id(&format!("do-{event}"))).await.unwrap().click().await.unwrap();
    // Wait for the page to be replaced before reading the new state.
    for _ in 0..100 {
        if before.text().await.is_err() {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    b.wait().for_element(Locator::Id("case-state")).await.unwrap().text().await.unwrap()
}

#[tokio::test]
async fn from_a_grid_workers_phone_to_a_confirmed_agreement_an_escalation_and_a_filing() {
    let Some((b, _driver)) = browser().await else { return };
    let start = qingfeng_core::CHINA_STANDARD_TIME.with_ymd_and_hms(2026, 11, 30, 9, 0, 0).unwrap().with_timezone(&chrono::Utc);
    let app = TestApp::start_at(qingfeng_platform::testing::sqlite().await.unwrap(), Clock::fixed(start)).await;
    b.set_window_size(390, 844).await.unwrap();

    // 1. The grid worker reports a family dispute; a reload keeps the draft.
    sign_in(&b, &app, "grid01").await;
    b.goto(&app.url("/console/mediation/report")).await.unwrap();
    b.find(Locator::Id("summary")).await.unwrap().send_keys("夫妻因赡养老人费用分担发生矛盾（演示）").await.unwrap();
    b.refresh().await.unwrap();
    let kept = b.find(Locator::Id("summary")).await.unwrap().prop("value").await.unwrap().unwrap_or_default();
    assert!(kept.contains("赡养老人"), "the draft survives a reload: {kept:?}");
    fits_the_phone(&b, "the report form").await;
    shot(&b, "report").await;
    b.find(Locator::Id("summary")).await.unwrap().clear().await.unwrap();
    let code = report(&b, &app, "marriage_family", "夫妻因赡养老人费用分担发生矛盾（演示）").await;
    let body = b.find(Locator::Id("case-body")).await.unwrap().text().await.unwrap();
    assert!(body.contains("清丰县婚姻家庭纠纷人民调解委员会"), "routed by the rules: {body}");
    shot(&b, "reported").await;

    // 2. The committee's mediator takes it, mediates and records the agreement.
    sign_in(&b, &app, "mediator").await;
    open_case(&b, &app, &code).await;
    let mediator_id = qingfeng_platform::users::by_username(&app.db, "mediator").await.unwrap().unwrap().id.to_string();
    assert_eq!(act(&b, "assign", Some(("mediator_user_id", &mediator_id))).await, "待调解员接受");
    assert_eq!(act(&b, "accept", None).await, "调解中");
    fits_the_phone(&b, "the case page").await;
    shot(&b, "mediating").await;
    assert_eq!(act(&b, "succeed", Some(("agreement", "双方按月各承担赡养费五百元，自2026年12月起执行"))).await, "调解成功");
    b.find(Locator::Id("print-agreement")).await.unwrap().click().await.unwrap();
    let doc = b.wait().for_element(Locator::Id("agreement-doc")).await.unwrap().text().await.unwrap();
    assert!(doc.contains("人民调解协议书") && doc.contains("五百元"), "{doc}");
    shot(&b, "agreement").await;
    b.back().await.unwrap();
    b.wait().for_element(Locator::Id("case-state")).await.unwrap();
    assert_eq!(act(&b, "request_confirmation", None).await, "司法确认待受理");

    // 3. The tribunal accepts and confirms from its console.
    sign_in(&b, &app, "judge").await;
    b.goto(&app.url("/console/mediation/court")).await.unwrap();
    let console = b.find(Locator::Id("court-console")).await.unwrap();
    assert!(console.text().await.unwrap().contains("法庭工作台"));
    shot(&b, "court").await;
    b.find(Locator::Css(".court-group ul.rows a")).await.unwrap().click().await.unwrap();
    b.wait().for_element(Locator::Id("case-state")).await.unwrap();
    assert_eq!(act(&b, "accept_confirmation", None).await, "司法确认审查中");
    assert_eq!(act(&b, "confirm", None).await, "已司法确认");
    let no = b.find(Locator::Id("case-court-no")).await.unwrap().text().await.unwrap();
    assert!(no.contains("诉前调确"), "{no}");
    shot(&b, "confirmed").await;
    // The figures page counts it: registered, agreed, judicially confirmed.
    let figure = |id: &'static str| {
        let b = b.clone();
        async move { b.find(Locator::Id(id)).await.unwrap().text().await.unwrap() }
    };
    b.goto(&app.url("/console/mediation/figures")).await.unwrap();
    assert_eq!((figure("f-registered").await, figure("f-agreed").await, figure("f-confirmed").await), ("1".into(), "1".into(), "1".into()));
    fits_the_phone(&b, "the figures page").await;
    shot(&b, "figures").await;

    // 4. A neighbours' dispute stays at the village past its 7 days and escalates.
    sign_in(&b, &app, "grid01").await;
    let slow = report(&b, &app, "neighbour", "两户因宅前排水沟堵塞争执（演示）").await;
    assert!(b.find(Locator::Id("case-body")).await.unwrap().text().await.unwrap().contains("村级"));
    let st = app.state().clone();
    st.clock.advance(chrono::Duration::days(8));
    let cal = st.calendar.read().unwrap().clone();
    let env = qingfeng_mediation::workflow::Env {
        db: &st.db,
        cal: &cal,
        rules: qingfeng_mediation::rules::Rules::shipped(),
        now_ms: st.clock.now_ms(),
    };
    let run = qingfeng_mediation::workflow::run_timers(env, "410922").await.unwrap();
    assert_eq!(run.escalated, 1, "{run:?}");
    sign_in(&b, &app, "chengguan").await;
    b.goto(&app.url("/console/mediation/cases")).await.unwrap();
    let notices = b.find(Locator::Id("my-notices")).await.unwrap().text().await.unwrap();
    assert!(notices.contains(&slow) && notices.contains("已升级"), "{notices}");
    open_case(&b, &app, &slow).await;
    let body = b.find(Locator::Id("case-body")).await.unwrap().text().await.unwrap();
    assert!(body.contains("城关镇人民调解委员会") && body.contains("乡镇级"), "{body}");
    shot(&b, "escalated").await;
    b.goto(&app.url("/console/mediation/cases")).await.unwrap();
    fits_the_phone(&b, "the case list").await;
    shot(&b, "cases").await;
    b.goto(&app.url("/console/mediation/network")).await.unwrap();
    fits_the_phone(&b, "the network page").await;
    shot(&b, "network").await;
    open_case(&b, &app, &slow).await;

    // 5. The township's mediator tries, fails, and the case is referred and filed.
    let tjcg = qingfeng_platform::users::by_username(&app.db, "tjcg").await.unwrap().unwrap().id.to_string();
    assert_eq!(act(&b, "assign", Some(("mediator_user_id", &tjcg))).await, "待调解员接受");
    sign_in(&b, &app, "tjcg").await;
    open_case(&b, &app, &slow).await;
    assert_eq!(act(&b, "accept", None).await, "调解中");
    assert_eq!(act(&b, "fail", Some(("reason", "被申请人拒绝调解"))).await, "调解不成");
    assert_eq!(act(&b, "refer", None).await, "已移送立案");
    sign_in(&b, &app, "judge").await;
    open_case(&b, &app, &slow).await;
    assert_eq!(act(&b, "file", Some(("court_case_no", "（2026）豫0922民初88号"))).await, "已立案");
    shot(&b, "filed").await;
    b.goto(&app.url("/console/mediation/figures")).await.unwrap();
    assert_eq!((figure("f-registered").await, figure("f-litigation").await), ("2".into(), "1".into()), "the filing enters litigation");

    // 6. A citizen applies on the phone and follows the case with code and phone number.
    b.find(Locator::Css("form[action='/logout'] button")).await.unwrap().click().await.unwrap();
    b.wait().for_element(Locator::Css("section.hero")).await.unwrap();
    b.goto(&app.url("/mediation")).await.unwrap();
    fits_the_phone(&b, "the mediation landing page").await;
    shot(&b, "landing").await;
    b.find(Locator::Id("go-apply")).await.unwrap().click().await.unwrap();
    b.wait().for_element(Locator::Id("intake-form")).await.unwrap();
    let code = {
        b.find(Locator::Id("category")).await.unwrap().select_by_value("consumer").await.unwrap();
        b.find(Locator::Id("village_code")).await.unwrap().select_by_value("410922100201").await.unwrap();
        b.find(Locator::Id("summary")).await.unwrap().send_keys("网购家电到货损坏，商家拒绝退换（演示）").await.unwrap();
        b.find(Locator::Id("applicant_name")).await.unwrap().send_keys("孙演示").await.unwrap();
        b.find(Locator::Id("applicant_phone")).await.unwrap().send_keys("13900000002").await.unwrap();
        fits_the_phone(&b, "the application form").await;
        b.find(Locator::Id("intake-submit")).await.unwrap().click().await.unwrap();
        b.wait().for_element(Locator::Id("tracking-code")).await.unwrap().text().await.unwrap()
    };
    shot(&b, "applied").await;
    b.goto(&app.url("/mediation/track")).await.unwrap();
    b.find(Locator::Id("tracking_code")).await.unwrap().send_keys(&code).await.unwrap();
    b.find(Locator::Id("track_phone")).await.unwrap().send_keys("139 0000 0002").await.unwrap();
    b.find(Locator::Id("track-submit")).await.unwrap().click().await.unwrap();
    let state = b.wait().for_element(Locator::Id("track-state")).await.unwrap().text().await.unwrap();
    assert_eq!(state, "待分派");
    let result = b.find(Locator::Id("track-result")).await.unwrap().text().await.unwrap();
    assert!(result.contains("清丰县消费纠纷人民调解委员会"), "{result}");
    fits_the_phone(&b, "the tracking page").await;
    shot(&b, "tracked").await;
    b.close().await.unwrap();
    app.stop().await;
}
