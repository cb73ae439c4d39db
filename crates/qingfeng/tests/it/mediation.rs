//! 诉源治理 The mediation workflow end to end through the pages, on both databases: a
//! grid worker's report routed to the village committee, mediated, agreed and
//! judicially confirmed; the escalation ladder and the mediation deadline on a clock the
//! test moves; failure, referral and filing; who sees what; tracking; bad input.

use chrono::TimeZone;
use qingfeng_platform::Clock;
use qingfeng_platform::testing;

use crate::harness::{PW, TestApp, apps};

pub const VILLAGE: &str = "410922100201";

/// Post the report form as `c`; returns the page.
pub async fn report(app: &TestApp, c: &reqwest::Client, fields: &[(&str, &str)]) -> (u16, String) {
    let csrf = app.csrf_from(c, "/console/mediation/report").await;
    let mut form: Vec<(&str, &str)> = vec![("csrf", &csrf)];
    form.extend_from_slice(fields);
    let r = c.post(app.url("/console/mediation/report")).form(&form).send().await.unwrap();
    (r.status().as_u16(), r.text().await.unwrap())
}

pub fn neighbour_dispute(channel: &'static str) -> Vec<(&'static str, &'static str)> {
    vec![
        ("channel", channel),
        ("category", "neighbour"),
        ("village_code", VILLAGE),
        ("summary", "两户因院墙排水问题发生争执（测试）"),
        ("applicant_name", "刘测试"),
        ("applicant_phone", "13800000001"),
        ("respondent_name", "王测试"),
    ]
}

pub fn tracking_code(page: &str) -> String {
    let i = page.find("id=\"tracking-code\">").unwrap_or_else(|| panic!("no tracking code in:\n{page}"));
    let rest = &page[i + "id=\"tracking-code\">".len()..];
    rest[..rest.find('<').unwrap()].to_string()
}

/// The id of the case with this tracking code, as `c` sees it through the API.
pub async fn case_id(app: &TestApp, c: &reqwest::Client, code: &str) -> i64 {
    let v: serde_json::Value = c.get(app.url("/api/v1/mediation/cases")).query(&[("q", code)]).send().await.unwrap().json().await.unwrap();
    assert_eq!(v["total"], 1, "{}: {v}", app.backend);
    v["items"][0]["id"].as_i64().unwrap()
}

pub async fn case_json(app: &TestApp, c: &reqwest::Client, id: i64) -> serde_json::Value {
    c.get(app.url(&format!("/api/v1/mediation/cases/{id}"))).send().await.unwrap().json().await.unwrap()
}

/// Fire `event` on case `id` through the case page's form; returns the final page.
pub async fn act(app: &TestApp, c: &reqwest::Client, id: i64, fields: &[(&str, &str)]) -> String {
    let path = format!("/console/mediation/cases/{id}");
    let csrf = app.csrf_from(c, &path).await;
    let mut form: Vec<(&str, &str)> = vec![("csrf", &csrf)];
    form.extend_from_slice(fields);
    let r = c.post(app.url(&format!("{path}/act"))).form(&form).send().await.unwrap();
    if r.status() == 303 {
        return c.get(app.url(&path)).send().await.unwrap().text().await.unwrap();
    }
    r.text().await.unwrap()
}

async fn user_id(app: &TestApp, username: &str) -> i64 {
    qingfeng_platform::users::by_username(&app.db, username).await.unwrap().unwrap().id
}

#[tokio::test]
async fn a_grid_report_is_routed_mediated_agreed_and_judicially_confirmed() {
    for app in apps().await {
        let grid = app.login("grid01", PW).await;
        let (status, page) = report(&app, &grid, &neighbour_dispute("grid")).await;
        assert_eq!(status, 200, "{}: {page}", app.backend);
        let code = tracking_code(&page);
        assert!(page.contains("人民调解委员会（村级）"), "{}: routed to the village committee:\n{page}", app.backend);
        let id = case_id(&app, &grid, &code).await;

        // Who sees what: another township's staff and an unrelated mediator do not.
        for other in ["liuta", "mediator"] {
            let c = app.login(other, PW).await;
            let r = c.get(app.url(&format!("/console/mediation/cases/{id}"))).send().await.unwrap();
            assert_eq!(r.status(), 404, "{}: {other} must not see the case", app.backend);
            let v: serde_json::Value = c.get(app.url("/api/v1/mediation/cases")).send().await.unwrap().json().await.unwrap();
            assert_eq!(v["total"], 0, "{}: {other} lists nothing: {v}", app.backend);
        }
        let county = app.login("county", PW).await;
        assert_eq!(case_json(&app, &county, id).await["tracking_code"], code.as_str());

        // The grid worker mediates the village case: assign to self, accept, a session.
        let me = user_id(&app, "grid01").await.to_string();
        let page = act(&app, &grid, id, &[("event", "assign"), ("mediator_user_id", &me)]).await;
        assert!(page.contains("待调解员接受"), "{}: {page}", app.backend);
        let page = act(&app, &grid, id, &[("event", "accept")]).await;
        assert!(page.contains("id=\"case-state\">调解中"), "{}: {page}", app.backend);
        assert!(page.contains("诉前调解期限"), "{}: the 30-day limit and its basis are shown", app.backend);
        let csrf = app.csrf_from(&grid, &format!("/console/mediation/cases/{id}")).await;
        // A week ahead of the real clock the server runs on (a fixed date here became
        // the past on the day it named).
        let ahead = (chrono::Utc::now().with_timezone(&qingfeng_core::CHINA_STANDARD_TIME) + chrono::Duration::days(7))
            .format("%Y-%m-%dT%H:%M")
            .to_string();
        let r = grid
            .post(app.url(&format!("/console/mediation/cases/{id}/sessions")))
            .form(&[("csrf", csrf.as_str()), ("when", ahead.as_str()), ("place", "村委会调解室"), ("minutes", "")])
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 303, "{}", app.backend);
        // A session that has taken place gets its minutes; one still ahead cannot.
        let r = grid
            .post(app.url(&format!("/console/mediation/cases/{id}/sessions")))
            .form(&[("csrf", csrf.as_str()), ("when", "2026-11-01 15:00"), ("place", "西关村网格之家"), ("minutes", "")])
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 303, "{}", app.backend);
        let page = grid.get(app.url(&format!("/console/mediation/cases/{id}"))).send().await.unwrap().text().await.unwrap();
        let forms: Vec<String> = page
            .match_indices("/sessions/")
            .map(|(i, _)| page[i + "/sessions/".len()..].chars().take_while(|c| c.is_ascii_digit()).collect())
            .collect();
        assert_eq!(forms.len(), 2, "{}: two sessions to record", app.backend);
        let mut outcomes = Vec::new();
        for sid in &forms {
            let r = grid
                .post(app.url(&format!("/console/mediation/cases/{id}/sessions/{sid}/minutes")))
                .form(&[("csrf", csrf.as_str()), ("minutes", "双方陈述了意见，同意再协商")])
                .send()
                .await
                .unwrap();
            outcomes.push((r.status().as_u16(), r.text().await.unwrap()));
        }
        assert!(outcomes.iter().any(|o| o.0 == 303), "{}: the past session is recorded", app.backend);
        assert!(outcomes.iter().any(|o| o.0 == 400 && o.1.contains("mediation.session_time")), "{}: the future one is not", app.backend);

        // Events the system fires by itself cannot be forced from a page.
        for event in ["expire", "escalate"] {
            let page = act(&app, &grid, id, &[("event", event)]).await;
            assert!(page.contains("mediation.system_event"), "{}: {event}: {page}", app.backend);
        }
        // An illegal event is refused with the machine's code, nothing changes.
        let page = act(&app, &grid, id, &[("event", "confirm")]).await;
        assert!(page.contains("mediation.not_tribunal") || page.contains("state.illegal"), "{}: {page}", app.backend);
        let page = act(&app, &grid, id, &[("event", "succeed"), ("agreement", "")]).await;
        assert!(page.contains("mediation.agreement"), "{}: an empty agreement is refused", app.backend);

        let page = act(&app, &grid, id, &[("event", "succeed"), ("agreement", "王测试于十日内疏通排水沟并承担费用八百元")]).await;
        assert!(page.contains("id=\"case-state\">调解成功"), "{}: {page}", app.backend);
        let doc = grid.get(app.url(&format!("/console/mediation/cases/{id}/agreement"))).send().await.unwrap().text().await.unwrap();
        assert!(doc.contains("人民调解协议书") && doc.contains("疏通排水沟") && doc.contains("138****0001"), "{}: {doc}", app.backend);
        assert!(!doc.contains("13800000001"), "{}: the phone number is masked on paper", app.backend);

        let page = act(&app, &grid, id, &[("event", "request_confirmation")]).await;
        assert!(page.contains("司法确认待受理"), "{}: {page}", app.backend);

        // The tribunal serving 城关镇 takes it from its console.
        let judge = app.login("judge", PW).await;
        let console = judge.get(app.url("/console/mediation/court")).send().await.unwrap().text().await.unwrap();
        assert!(console.contains(&code), "{}: the request is on the tribunal console", app.backend);
        let page = act(&app, &judge, id, &[("event", "accept_confirmation")]).await;
        assert!(page.contains("司法确认审查中"), "{}: {page}", app.backend);
        let page = act(&app, &judge, id, &[("event", "confirm")]).await;
        assert!(page.contains("已司法确认") && page.contains("（2026）豫0922民诉前调确1号"), "{}: {page}", app.backend);

        // The applicant follows the case with the code and the phone number.
        let public = app.client();
        let csrf = app.csrf_from(&public, "/mediation/track").await;
        let r = public
            .post(app.url("/mediation/track"))
            .form(&[("csrf", csrf.as_str()), ("tracking_code", code.as_str()), ("phone", "138 0000 0001")])
            .send()
            .await
            .unwrap();
        let page = r.text().await.unwrap();
        assert!(page.contains("id=\"track-state\">已司法确认") && page.contains("诉前调确"), "{}: {page}", app.backend);
        let csrf = app.csrf_from(&public, "/mediation/track").await;
        let r = public
            .post(app.url("/mediation/track"))
            .form(&[("csrf", csrf.as_str()), ("tracking_code", code.as_str()), ("phone", "13900000009")])
            .send()
            .await
            .unwrap();
        let wrong = r.text().await.unwrap();
        assert!(wrong.contains("mediation.track_no_match") && !wrong.contains("track-state"), "{}: {wrong}", app.backend);

        // Performance and the follow-up visit close the loop.
        let page = act(&app, &grid, id, &[("event", "perform")]).await;
        assert!(page.contains("id=\"case-state\">已履行"), "{}: {page}", app.backend);
        let csrf = app.csrf_from(&grid, &format!("/console/mediation/cases/{id}")).await;
        let r = grid
            .post(app.url(&format!("/console/mediation/cases/{id}/followup")))
            .form(&[("csrf", csrf.as_str()), ("satisfaction", "5"), ("note", "双方满意")])
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 303, "{}", app.backend);
        assert_eq!(case_json(&app, &county, id).await["satisfaction"], 5);
        assert!(qingfeng_platform::audit::verify(&app.db).await.unwrap().is_intact(), "{}", app.backend);
        app.stop().await;
    }
}

#[tokio::test]
async fn the_ladder_escalates_on_time_the_mediation_period_expires_and_a_failure_is_filed() {
    for tdb in testing::all().await.unwrap() {
        // 2026-11-30 09:00 in Qingfeng.
        let start = qingfeng_core::CHINA_STANDARD_TIME.with_ymd_and_hms(2026, 11, 30, 9, 0, 0).unwrap().with_timezone(&chrono::Utc);
        let app = TestApp::start_at(tdb, Clock::fixed(start)).await;
        let st = app.state().clone();
        let timers = || async {
            let cal = st.calendar.read().unwrap().clone();
            let env = qingfeng_mediation::workflow::Env {
                db: &st.db,
                cal: &cal,
                rules: qingfeng_mediation::rules::Rules::shipped(),
                now_ms: st.clock.now_ms(),
            };
            qingfeng_mediation::workflow::run_timers(env, "410922").await.unwrap()
        };
        let grid = app.login("grid01", PW).await;
        let (_, page) = report(&app, &grid, &neighbour_dispute("grid")).await;
        let code = tracking_code(&page);
        let county = app.login("county", PW).await;
        let id = case_id(&app, &county, &code).await;
        let case = case_json(&app, &county, id).await;
        assert_eq!(case["level"], "village", "{}", app.backend);

        // Nothing moves before the village rung's 7 days are up; a reminder comes first.
        st.clock.advance(chrono::Duration::days(6));
        let run = timers().await;
        assert_eq!(run.escalated, 0, "{}: {run:?}", app.backend);
        st.clock.advance(chrono::Duration::days(2));
        let run = timers().await;
        assert_eq!(run.escalated, 1, "{}: {run:?}", app.backend);
        // Sessions do not last a week: sign in again after moving the clock.
        let county = app.login("county", PW).await;
        let case = case_json(&app, &county, id).await;
        assert_eq!((case["level"].as_str(), case["state"].as_str()), (Some("township"), Some("unassigned")), "{}: {case}", app.backend);
        assert_eq!(case["body_name"], "城关镇人民调解委员会");
        // The township's staff are told, and see it in their list.
        let town = app.login("chengguan", PW).await;
        let list = town.get(app.url("/console/mediation/cases")).send().await.unwrap().text().await.unwrap();
        assert!(list.contains("已升级至城关镇人民调解委员会"), "{}: the township is notified:\n{list}", app.backend);
        let run = timers().await;
        assert_eq!(run.escalated, 0, "{}: escalation happens once", app.backend);

        // The township assigns its mediator, who accepts; 11 days on, the township rung
        // has run out too and the case goes up to the tribunal's 网格之家.
        let tjcg = user_id(&app, "tjcg").await.to_string();
        act(&app, &town, id, &[("event", "assign"), ("mediator_user_id", &tjcg)]).await;
        let mediator = app.login("tjcg", PW).await;
        let page = act(&app, &mediator, id, &[("event", "accept")]).await;
        assert!(page.contains("id=\"case-state\">调解中"), "{}: {page}", app.backend);
        st.clock.advance(chrono::Duration::days(11));
        assert_eq!(timers().await.escalated, 1, "{}", app.backend);
        let county = app.login("county", PW).await;
        let case = case_json(&app, &county, id).await;
        assert_eq!(
            (case["level"].as_str(), case["body_name"].as_str()),
            (Some("county"), Some("清丰县人民法院城关法庭网格之家")),
            "{}",
            app.backend
        );

        // At the top rung the 30-day mediation period (from the first acceptance) decides:
        // without an extension the case fails by itself.
        let judge = app.login("judge", PW).await;
        let me = user_id(&app, "judge").await.to_string();
        act(&app, &judge, id, &[("event", "assign"), ("mediator_user_id", &me)]).await;
        let page = act(&app, &judge, id, &[("event", "accept")]).await;
        assert!(page.contains("调解中"), "{}: {page}", app.backend);
        let page = act(&app, &judge, id, &[("event", "extend"), ("days", "40"), ("reason", "双方同意")]).await;
        assert!(page.contains("mediation.days"), "{}: more than 30 days of extension is refused", app.backend);
        st.clock.advance(chrono::Duration::days(20));
        let run = timers().await;
        assert_eq!(run.expired, 1, "{}: {run:?}", app.backend);
        let county = app.login("county", PW).await;
        let judge = app.login("judge", PW).await;
        let case = case_json(&app, &county, id).await;
        assert_eq!(case["state"], "failed", "{}: {case}", app.backend);
        assert!(case["failure_reason"].as_str().unwrap().contains("期限届满"), "{}", app.backend);

        // Failure → referral → the tribunal files it and the court's number is kept.
        let page = act(&app, &judge, id, &[("event", "refer")]).await;
        assert!(page.contains("已移送立案"), "{}: {page}", app.backend);
        let page = act(&app, &judge, id, &[("event", "file"), ("court_case_no", "")]).await;
        assert!(page.contains("mediation.court_case_no"), "{}: a filing needs the case number", app.backend);
        let page = act(&app, &judge, id, &[("event", "file"), ("court_case_no", "（2026）豫0922民初321号")]).await;
        assert!(page.contains("已立案") && page.contains("（2026）豫0922民初321号"), "{}: {page}", app.backend);
        let case = case_json(&app, &county, id).await;
        assert!(case["closed_at"].is_i64(), "{}: {case}", app.backend);
        assert!(qingfeng_platform::audit::verify(&app.db).await.unwrap().is_intact(), "{}", app.backend);
        app.stop().await;
    }
}

#[tokio::test]
async fn bad_input_is_refused_in_chinese_and_nothing_is_stored() {
    for app in apps().await {
        let grid = app.login("grid01", PW).await;
        let cases = |c: reqwest::Client| {
            let app = &app;
            async move {
                let v: serde_json::Value = c.get(app.url("/api/v1/mediation/cases")).send().await.unwrap().json().await.unwrap();
                v["total"].as_i64().unwrap()
            }
        };
        let before = cases(grid.clone()).await;
        let mut bad_id = neighbour_dispute("grid");
        bad_id.push(("applicant_code", "410922195001010014"));
        let mut bad_phone = neighbour_dispute("grid");
        bad_phone.retain(|f| f.0 != "applicant_phone");
        bad_phone.push(("applicant_phone", "12345"));
        let mut bad_village = neighbour_dispute("grid");
        bad_village.retain(|f| f.0 != "village_code");
        bad_village.push(("village_code", "410923100201"));
        let mut bad_category = neighbour_dispute("grid");
        bad_category.retain(|f| f.0 != "category");
        bad_category.push(("category", "gossip"));
        let mut bad_channel = neighbour_dispute("hotline");
        bad_channel.retain(|f| f.0 != "summary");
        bad_channel.push(("summary", "吵架"));
        for (fields, code) in [
            (bad_id, "mediation.party_code"),
            (bad_phone, "mediation.party_phone"),
            (bad_village, "mediation.village"),
            (bad_category, "mediation.category"),
            (bad_channel, "mediation.channel"),
        ] {
            let (status, page) = report(&app, &grid, &fields).await;
            assert_eq!(status, 400, "{}: {code}", app.backend);
            assert!(page.contains(code), "{}: expected {code}:\n{page}", app.backend);
            assert!(page.contains("刘测试"), "{}: the form keeps what was typed", app.backend);
        }
        assert_eq!(cases(grid.clone()).await, before, "{}: nothing stored", app.backend);
        let r = grid.get(app.url("/api/v1/mediation/cases?stage=someday")).send().await.unwrap();
        assert_eq!(r.status(), 400, "{}", app.backend);
        let v: serde_json::Value = r.json().await.unwrap();
        assert_eq!(v["error"]["code"], "mediation.stage", "{}: {v}", app.backend);
        let r = grid.get(app.url("/console/mediation/cases/abc")).send().await.unwrap();
        assert_eq!(r.status(), 404, "{}", app.backend);
        // A citizen applies online (medical → the medical mediation committee).
        let public = app.client();
        let csrf = app.csrf_from(&public, "/mediation/apply").await;
        let r = public
            .post(app.url("/mediation/apply"))
            .form(&[
                ("csrf", csrf.as_str()),
                ("category", "medical"),
                ("village_code", VILLAGE),
                ("summary", "住院期间护理不当导致摔伤（测试）"),
                ("applicant_name", "赵测试"),
                ("applicant_phone", "0393-7221234"),
            ])
            .send()
            .await
            .unwrap();
        let page = r.text().await.unwrap();
        assert!(page.contains("清丰县医疗纠纷人民调解委员会"), "{}: {page}", app.backend);
        assert!(page.contains("data-draft-clear=\"mediation-apply\""), "{}: the device draft is cleared", app.backend);
        app.stop().await;
    }
}

#[tokio::test]
async fn evidence_is_attached_for_those_who_see_the_case_and_the_register_guides_assignment() {
    for app in apps().await {
        let grid = app.login("grid01", PW).await;
        let (_, page) = report(&app, &grid, &neighbour_dispute("grid")).await;
        let code = tracking_code(&page);
        let id = case_id(&app, &grid, &code).await;
        // A photo from the phone, as multipart.
        let csrf = app.csrf_from(&grid, &format!("/console/mediation/cases/{id}")).await;
        let png = b"\x89PNG\r\n\x1a\n-test-image-".to_vec();
        let form = reqwest::multipart::Form::new()
            .text("csrf", csrf.clone())
            .part("file", reqwest::multipart::Part::bytes(png.clone()).file_name("院墙.png").mime_str("image/png").unwrap());
        let r = grid.post(app.url(&format!("/console/mediation/cases/{id}/attachments"))).multipart(form).send().await.unwrap();
        assert_eq!(r.status(), 303, "{}: {}", app.backend, r.text().await.unwrap());
        let page = grid.get(app.url(&format!("/console/mediation/cases/{id}"))).send().await.unwrap().text().await.unwrap();
        let i = page.find("/console/mediation/attachments/").expect("the attachment is listed");
        let link: String = page[i..].chars().take_while(|c| *c != '"').collect();
        assert!(page.contains("院墙.png"), "{}", app.backend);
        let got = grid.get(app.url(&link)).send().await.unwrap();
        assert_eq!(got.status(), 200, "{}", app.backend);
        assert_eq!(got.bytes().await.unwrap().to_vec(), png, "{}", app.backend);
        // Someone who may not see the case may not see its files either.
        let other = app.login("liuta", PW).await;
        assert_eq!(other.get(app.url(&link)).send().await.unwrap().status(), 404, "{}", app.backend);
        // A file that is not what it claims is refused with a reason.
        let form = reqwest::multipart::Form::new()
            .text("csrf", csrf)
            .part("file", reqwest::multipart::Part::bytes(b"MZ\x90\x00".to_vec()).file_name("a.png").mime_str("image/png").unwrap());
        let r = grid.post(app.url(&format!("/console/mediation/cases/{id}/attachments"))).multipart(form).send().await.unwrap();
        assert!(r.status().is_client_error(), "{}", app.backend);
        assert!(r.text().await.unwrap().contains("attachment."), "{}", app.backend);

        // The register: the county sets a speciality; the assign list puts that person first.
        let county = app.login("county", PW).await;
        let network = county.get(app.url("/console/mediation/network")).send().await.unwrap().text().await.unwrap();
        assert!(network.contains("调解员名册") && network.contains("调解员李（演示）"), "{}", app.backend);
        let tjcg = user_id(&app, "tjcg").await.to_string();
        let csrf = app.csrf_from(&county, "/console/mediation/network").await;
        let r = county
            .post(app.url("/console/mediation/network"))
            .form(&[
                ("csrf", csrf.as_str()),
                ("user_id", tjcg.as_str()),
                ("title", "专职人民调解员"),
                ("sp_neighbour", "1"),
                ("sp_contract", "1"),
            ])
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 303, "{}", app.backend);
        let network = county.get(app.url("/console/mediation/network")).send().await.unwrap().text().await.unwrap();
        assert!(network.contains("邻里纠纷、合同纠纷"), "{}: {network}", app.backend);
        // Only county administrators keep the register.
        let csrf = app.csrf_from(&grid, "/console/mediation/network").await;
        let r = grid
            .post(app.url("/console/mediation/network"))
            .form(&[("csrf", csrf.as_str()), ("user_id", tjcg.as_str()), ("title", "x")])
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 403, "{}", app.backend);
        app.stop().await;
    }
}

#[tokio::test]
async fn the_courts_time_limits_hold_confirmation_window_review_period_and_one_extension() {
    for tdb in testing::all().await.unwrap() {
        let start = qingfeng_core::CHINA_STANDARD_TIME.with_ymd_and_hms(2026, 11, 30, 9, 0, 0).unwrap().with_timezone(&chrono::Utc);
        let app = TestApp::start_at(tdb, Clock::fixed(start)).await;
        let st = app.state().clone();
        let grid = app.login("grid01", PW).await;
        let me = user_id(&app, "grid01").await.to_string();
        let mut agreed = Vec::new();
        for _ in 0..2 {
            let (_, page) = report(&app, &grid, &neighbour_dispute("grid")).await;
            let id = case_id(&app, &grid, &tracking_code(&page)).await;
            act(&app, &grid, id, &[("event", "assign"), ("mediator_user_id", &me)]).await;
            act(&app, &grid, id, &[("event", "accept")]).await;
            let page = act(&app, &grid, id, &[("event", "succeed"), ("agreement", "双方各让一步，修缮费用平摊")]).await;
            assert!(page.contains("id=\"case-state\">调解成功"), "{}: {page}", app.backend);
            agreed.push(id);
        }
        // 人民调解法 第三十三条: within 30 days of the agreement, and not after.
        let page = act(&app, &grid, agreed[0], &[("event", "request_confirmation")]).await;
        assert!(page.contains("司法确认待受理"), "{}: {page}", app.backend);
        st.clock.advance(chrono::Duration::days(31));
        let grid = app.login("grid01", PW).await;
        let page = act(&app, &grid, agreed[1], &[("event", "request_confirmation")]).await;
        assert!(page.contains("mediation.confirmation_window"), "{}: {page}", app.backend);
        // The tribunal: 15 days to decide from acceptance, +10 once with the president's approval.
        let judge = app.login("judge", PW).await;
        act(&app, &judge, agreed[0], &[("event", "accept_confirmation")]).await;
        let due = |v: serde_json::Value| v["due_at"].as_i64().unwrap();
        let before = due(case_json(&app, &judge, agreed[0]).await);
        let page = act(&app, &judge, agreed[0], &[("event", "extend_review")]).await;
        assert!(page.contains("院长批准"), "{}: {page}", app.backend);
        let after = due(case_json(&app, &judge, agreed[0]).await);
        assert!(after - before >= 10 * 86_400_000, "{}: extended by at least 10 days ({before} → {after})", app.backend);
        let page = act(&app, &judge, agreed[0], &[("event", "extend_review")]).await;
        assert!(page.contains("mediation.extend_once"), "{}: {page}", app.backend);
        app.stop().await;
    }
}
