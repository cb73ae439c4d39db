//! 小事快办 · 企业家维权投诉 · 好差评 through the pages, on both databases and a clock the
//! test moves: a named complaint dispatched, signed, extended, replied, revisited and
//! rated; a 差评 verified, rectified and fed back; returns, overdue urging and reporting,
//! the extension rule and a reopen; an appeal upheld and a month published; bad input.

use chrono::TimeZone;
use qingfeng_platform::Clock;
use qingfeng_platform::testing;

use crate::harness::{PW, TestApp};

const SCJG: &str = "清丰县市场监督管理局";

fn start() -> chrono::DateTime<chrono::Utc> {
    // Monday 2026-11-30 09:00 in Qingfeng.
    qingfeng_core::CHINA_STANDARD_TIME.with_ymd_and_hms(2026, 11, 30, 9, 0, 0).unwrap().with_timezone(&chrono::Utc)
}

/// Post a form on `path` (its CSRF token taken from `form_page`); returns status and body.
async fn post(app: &TestApp, c: &reqwest::Client, form_page: &str, path: &str, fields: &[(&str, &str)]) -> (u16, String) {
    let csrf = app.csrf_from(c, form_page).await;
    let mut form: Vec<(&str, &str)> = vec![("csrf", &csrf)];
    form.extend_from_slice(fields);
    let r = c.post(app.url(path)).form(&form).send().await.unwrap();
    let status = r.status().as_u16();
    if status == 303 {
        let to = r.headers()["location"].to_str().unwrap().to_string();
        return (303, c.get(app.url(&to)).send().await.unwrap().text().await.unwrap());
    }
    (status, r.text().await.unwrap())
}

fn between<'a>(page: &'a str, before: &str, after: &str) -> &'a str {
    let i = page.find(before).unwrap_or_else(|| panic!("no {before:?} in:\n{page}"));
    let rest = &page[i + before.len()..];
    &rest[..rest.find(after).unwrap()]
}

fn code_of(page: &str) -> String {
    between(page, "id=\"tracking-code\">", "<").to_string()
}

fn named_complaint() -> Vec<(&'static str, &'static str)> {
    vec![
        ("kind", "complaint"),
        ("category", "complaint"),
        ("title", "检查过多影响经营（测试）"),
        ("content", "同一月内被同一部门检查三次，每次内容相同，影响正常经营。"),
        ("company", "清丰县测试商贸有限公司"),
        ("contact_name", "张测试"),
        ("phone", "13800000002"),
    ]
}

/// Submit on the portal as a person; returns the tracking code.
async fn submit(app: &TestApp, fields: &[(&str, &str)]) -> String {
    let c = app.client();
    let (status, page) = post(app, &c, "/portal/complaints/new", "/portal/tickets", fields).await;
    assert_eq!(status, 200, "{}: {page}", app.backend);
    code_of(&page)
}

/// The ticket's id, as the county office finds it by code in the API.
async fn ticket_id(app: &TestApp, county: &reqwest::Client, code: &str) -> i64 {
    let v: serde_json::Value =
        county.get(app.url("/api/v1/portal/tickets")).query(&[("q", code)]).send().await.unwrap().json().await.unwrap();
    assert_eq!(v["total"], 1, "{}: {v}", app.backend);
    v["items"][0]["id"].as_i64().unwrap()
}

async fn ticket_json(app: &TestApp, c: &reqwest::Client, id: i64) -> serde_json::Value {
    c.get(app.url(&format!("/api/v1/portal/tickets/{id}"))).send().await.unwrap().json().await.unwrap()
}

async fn act(app: &TestApp, c: &reqwest::Client, id: i64, fields: &[(&str, &str)]) -> (u16, String) {
    let path = format!("/console/portal/tickets/{id}");
    post(app, c, &path, &path, fields).await
}

async fn rating_act(app: &TestApp, c: &reqwest::Client, id: i64, fields: &[(&str, &str)]) -> (u16, String) {
    let path = format!("/console/portal/ratings/{id}");
    post(app, c, &path, &path, fields).await
}

/// The id of the department named `name` in the dispatch list of ticket `id`.
async fn org_option(app: &TestApp, c: &reqwest::Client, id: i64, name: &str) -> String {
    let page = c.get(app.url(&format!("/console/portal/tickets/{id}"))).send().await.unwrap().text().await.unwrap();
    let i = page.find(&format!(">{name}</option>")).unwrap_or_else(|| panic!("{name} not offered:\n{page}"));
    let head = &page[..i];
    let v = &head[head.rfind("value=\"").unwrap() + 7..];
    v[..v.find('"').unwrap()].to_string()
}

/// Track as the person: the code and the phone given.
async fn track(app: &TestApp, fields: &[(&str, &str)]) -> (u16, String) {
    let c = app.client();
    post(app, &c, "/portal/track", "/portal/track", fields).await
}

async fn timers(app: &TestApp) -> qingfeng_portal::tickets::workflow::TimerRun {
    let st = app.state();
    let cal = st.calendar_now();
    qingfeng_portal::tickets::workflow::run_timers(&st.db, &cal, st.clock.now_ms(), "410922").await.unwrap()
}

#[tokio::test]
async fn a_complaint_is_dispatched_handled_extended_replied_revisited_and_its_bad_rating_rectified() {
    for tdb in testing::all().await.unwrap() {
        let app = TestApp::start_at(tdb, Clock::fixed(start())).await;
        let b = app.backend;

        // A bad phone number: a Chinese error with its code, and what was typed is kept.
        let mut bad = named_complaint();
        bad.retain(|(k, _)| *k != "phone");
        bad.push(("phone", "1380000"));
        let c = app.client();
        let (status, page) = post(&app, &c, "/portal/complaints/new", "/portal/tickets", &bad).await;
        assert_eq!(status, 400, "{b}: {page}");
        assert!(page.contains("portal.ticket_phone") && page.contains("同一月内被同一部门检查三次"), "{b}: {page}");

        let code = submit(&app, &named_complaint()).await;
        assert!(code.starts_with("GD") && code.len() == 12, "{b}: {code}");
        let county = app.login("county", PW).await;
        let id = ticket_id(&app, &county, &code).await;
        let t = ticket_json(&app, &county, id).await;
        assert_eq!(t["state"], "received", "{b}");
        assert_eq!(t["receiver_name"], "清丰县人民政府", "{b}: the county office receives online tickets");
        assert_eq!(t["phone_masked"], "138****0002", "{b}");
        assert!(t.get("phone_hash").is_none() && t.get("phone_enc").is_none(), "{b}: no secrets in the API");

        // The department cannot act before it is dispatched; the office dispatches.
        let scjg = app.login("scjg", PW).await;
        let r = scjg.get(app.url(&format!("/console/portal/tickets/{id}"))).send().await.unwrap();
        assert_eq!(r.status(), 404, "{b}: not the department's yet");
        let (status, page) = act(&app, &county, id, &[("event", "dispatch"), ("handler_org_id", "")]).await;
        assert_eq!(status, 400, "{b}: {page}");
        assert!(page.contains("portal.ticket_handler"), "{b}");
        let org = org_option(&app, &county, id, SCJG).await;
        let (status, _) = act(&app, &county, id, &[("event", "dispatch"), ("handler_org_id", &org)]).await;
        assert_eq!(status, 303, "{b}");
        let t = ticket_json(&app, &county, id).await;
        assert_eq!((t["state"].as_str(), t["handler_name"].as_str()), (Some("dispatched"), Some(SCJG)), "{b}");
        // Signing within 1 working day; handling within 13 working days for a complaint.
        let due = t["due_at"].as_i64().unwrap();
        let reply_due = t["reply_due_at"].as_i64().unwrap();
        let local = |ms: i64| (qingfeng_platform::clock::from_ms(ms) + chrono::Duration::hours(8)).format("%Y-%m-%d").to_string();
        assert_eq!(local(due), "2026-12-02", "{b}: signed by the end of 1 December");
        assert_eq!(local(reply_due), "2026-12-18", "{b}: 13 working days from 30 November end on 17 December");
        assert!(t["reply_due_basis"].as_str().unwrap().contains("13"), "{b}: {t}");

        // The office cannot sign for the department's ticket? It can (oversight), but the
        // department does; a second sign is refused with the machine's message.
        let (status, _) = act(&app, &scjg, id, &[("event", "sign")]).await;
        assert_eq!(status, 303, "{b}");
        let (status, page) = act(&app, &scjg, id, &[("event", "sign")]).await;
        assert_eq!(status, 409, "{b}: {page}");
        assert!(page.contains("state.illegal"), "{b}");

        // An extension: asked by the department, approved by the first receiver.
        let (status, page) = act(&app, &scjg, id, &[("event", "request_extension"), ("days", "30"), ("reason", "需调取外地材料")]).await;
        assert_eq!(status, 400, "{b}: {page}");
        assert!(page.contains("portal.ticket_days"), "{b}");
        let (status, _) = act(&app, &scjg, id, &[("event", "request_extension"), ("days", "3"), ("reason", "需调取外地材料")]).await;
        assert_eq!(status, 303, "{b}");
        let (status, page) = act(&app, &scjg, id, &[("event", "approve_extension")]).await;
        assert_eq!(status, 403, "{b}: only the first receiver decides: {page}");
        let (status, _) = act(&app, &county, id, &[("event", "approve_extension")]).await;
        assert_eq!(status, 303, "{b}");
        let t = ticket_json(&app, &county, id).await;
        assert_eq!(t["state"], "processing", "{b}");
        assert_eq!(local(t["reply_due_at"].as_i64().unwrap()), "2026-12-23", "{b}: 3 more working days");
        assert_eq!(t["due_at"], t["reply_due_at"], "{b}");

        let (status, _) = act(&app, &scjg, id, &[("event", "reply"), ("reply", "经核实，已合并检查事项，本月不再重复检查。")]).await;
        assert_eq!(status, 303, "{b}");

        // The person sees the reply and the public timeline, never a staff reason.
        let (_, page) = track(&app, &[("code", &code.to_lowercase()), ("phone", "13800000003")]).await;
        assert!(page.contains("portal.track_no_match"), "{b}: a wrong phone gets the same answer as a wrong code");
        let (_, page) = track(&app, &[("code", &code), ("phone", "13800000002")]).await;
        assert!(page.contains("已答复待回访") && page.contains("已合并检查事项"), "{b}: {page}");
        assert!(page.contains(&format!("已派至{SCJG}办理")) && !page.contains("需调取外地材料"), "{b}");
        assert!(!page.contains("id=\"rate-form\""), "{b}: rated only once closed");

        // The first receiver revisits: solved and satisfied → closed.
        let (status, _) =
            act(&app, &county, id, &[("event", "revisit"), ("resolved", "yes"), ("satisfied", "no"), ("note", "电话回访")]).await;
        assert_eq!(status, 303, "{b}");
        assert_eq!(ticket_json(&app, &county, id).await["state"], "closed", "{b}");

        // 好差评: a 差评 needs its reason; then it starts its own workflow.
        let rate = |level: &'static str, comment: &'static str| {
            let code = code.clone();
            let app = &app;
            async move {
                track(app, &[("code", &code), ("phone", "13800000002"), ("action", "rate"), ("level", level), ("comment", comment)]).await
            }
        };
        let (_, page) = rate("2", "").await;
        assert!(page.contains("portal.rating_comment"), "{b}: {page}");
        let (_, page) = rate("2", "答复后仍被重复检查").await;
        assert!(page.contains("感谢您的评价") && page.contains("待回访核实"), "{b}: {page}");
        let (_, page) = rate("5", "").await;
        assert!(page.contains("portal.rating_twice"), "{b}: one rating per matter");

        // The department sees it in its queue, verifies, rectifies and feeds back.
        let dash = scjg.get(app.url("/console/portal/ratings")).send().await.unwrap().text().await.unwrap();
        let rid: i64 = between(&dash, "href=\"/console/portal/ratings/", "\"").parse().unwrap();
        assert!(dash.contains("答复后仍被重复检查") || dash.contains("检查过多影响经营"), "{b}: {dash}");
        let (status, page) = rating_act(&app, &scjg, rid, &[("event", "confirm"), ("visit_note", "")]).await;
        assert_eq!(status, 400, "{b}: {page}");
        let (status, page) = rating_act(&app, &scjg, rid, &[("event", "confirm"), ("visit_note", "回访核实：确有重复检查")]).await;
        assert_eq!(status, 303, "{b}: {page}");
        assert!(page.contains("整改中"), "{b}");
        // The rectification period: 5 working days by default (DOMAIN.md §6.1, configurable).
        assert!(page.contains("差评整改5个工作日"), "{b}: {page}");
        let (status, _) = rating_act(&app, &scjg, rid, &[("event", "rectify"), ("rectification", "建立检查计划，合并同类检查")]).await;
        assert_eq!(status, 303, "{b}");
        let (status, _) = rating_act(&app, &scjg, rid, &[("event", "feed_back"), ("feedback", "已整改：今后同类检查合并进行")]).await;
        assert_eq!(status, 303, "{b}");
        let (_, page) = track(&app, &[("code", &code), ("phone", "13800000002")]).await;
        assert!(page.contains("已整改：今后同类检查合并进行") && page.contains("已办结"), "{b}: {page}");

        // Other departments see none of it.
        let other = app.login("chengguan", PW).await;
        let r = other.get(app.url(&format!("/console/portal/tickets/{id}"))).send().await.unwrap();
        assert_eq!(r.status(), 404, "{b}");
        let r = other.get(app.url(&format!("/console/portal/ratings/{rid}"))).send().await.unwrap();
        assert_eq!(r.status(), 404, "{b}");
        assert!(qingfeng_platform::audit::verify(&app.state().db).await.unwrap().is_intact(), "{b}");
        app.stop().await;
    }
}

#[tokio::test]
async fn returns_overdue_urging_and_reporting_the_extension_rule_and_a_reopen() {
    for tdb in testing::all().await.unwrap() {
        let app = TestApp::start_at(tdb, Clock::fixed(start())).await;
        let b = app.backend;
        let st = app.state().clone();

        // Anonymous: the code alone opens it.
        let code = submit(
            &app,
            &[
                ("kind", "quick"),
                ("category", "help"),
                ("title", "营业执照地址变更咨询（测试）"),
                ("content", "营业执照地址变更需要哪些材料，能否网上办理？"),
                ("anonymous", "on"),
            ],
        )
        .await;
        let (_, page) = track(&app, &[("code", &code)]).await;
        assert!(page.contains("已受理"), "{b}: {page}");

        let county = app.login("county", PW).await;
        let id = ticket_id(&app, &county, &code).await;
        let org = org_option(&app, &county, id, SCJG).await;
        act(&app, &county, id, &[("event", "dispatch"), ("handler_org_id", &org)]).await;
        let scjg = app.login("scjg", PW).await;
        // A return needs its reason and goes back to the first receiver.
        let (status, _) = act(&app, &scjg, id, &[("event", "return"), ("reason", "")]).await;
        assert_eq!(status, 400, "{b}");
        let (status, _) = act(&app, &scjg, id, &[("event", "return"), ("reason", "属行政审批局职责")]).await;
        assert_eq!(status, 303, "{b}");
        let t = ticket_json(&app, &county, id).await;
        assert_eq!((t["state"].as_str(), t["return_count"].as_i64()), (Some("returned"), Some(1)), "{b}");
        act(&app, &county, id, &[("event", "dispatch"), ("handler_org_id", &org)]).await;
        act(&app, &scjg, id, &[("event", "sign")]).await;
        // A quick matter: 3 working days → due at the end of 3 December.
        let t = ticket_json(&app, &county, id).await;
        let due = t["due_at"].as_i64().unwrap();
        assert!(t["due_basis"].as_str().unwrap().contains("小事快办"), "{b}: {t}");

        // Nothing is overdue before the deadline.
        assert_eq!(timers(&app).await.urged, 0, "{b}");
        st.clock.advance(chrono::Duration::milliseconds(due - st.clock.now_ms() + 60_000));
        let run = timers(&app).await;
        assert_eq!((run.urged, run.reported), (1, 0), "{b}");
        assert_eq!(timers(&app).await.urged, 0, "{b}: urged once");
        let county = app.login("county", PW).await;
        let list = county.get(app.url("/console/portal/tickets?overdue=1")).send().await.unwrap().text().await.unwrap();
        assert!(list.contains(&code) && list.contains("已催办"), "{b}: {list}");
        // The desk shows it to the office and to the department handling it, not to others.
        for (who, overdue) in [("county", "1"), ("scjg", "1"), ("chengguan", "0")] {
            let c = app.login(who, PW).await;
            let desk = c.get(app.url("/console/portal")).send().await.unwrap().text().await.unwrap();
            assert_eq!(between(&desk, "id=\"desk-tickets-overdue\"><strong>", "<"), overdue, "{b}: {who}");
        }
        // Too late to ask for more time.
        let scjg = app.login("scjg", PW).await;
        let (status, page) = act(&app, &scjg, id, &[("event", "request_extension"), ("days", "2"), ("reason", "材料未齐")]).await;
        assert_eq!(status, 400, "{b}: {page}");
        assert!(page.contains("portal.ticket_extension_late"), "{b}");
        // Still overdue 5 working days after the urging: reported.
        st.clock.advance(chrono::Duration::days(4));
        assert_eq!(timers(&app).await.reported, 0, "{b}");
        st.clock.advance(chrono::Duration::days(4));
        assert_eq!(timers(&app).await.reported, 1, "{b}");
        let county = app.login("county", PW).await;
        let list = county.get(app.url("/console/portal/tickets?overdue=1")).send().await.unwrap().text().await.unwrap();
        assert!(list.contains("已通报"), "{b}: {list}");

        // The reply clears the overdue mark; the person says it is not solved: reopened.
        let scjg = app.login("scjg", PW).await;
        act(&app, &scjg, id, &[("event", "reply"), ("reply", "地址变更可在河南政务服务网全程网办。")]).await;
        let (_, page) = track(&app, &[("code", &code), ("action", "reopen"), ("reason", "网上办理时系统报错")]).await;
        assert!(page.contains("已申请重办") && page.contains("已重办"), "{b}: {page}");
        let t = ticket_json(&app, &county, id).await;
        assert_eq!(
            (t["state"].as_str(), t["reopen_count"].as_i64(), t["overdue_level"].as_i64()),
            (Some("reopened"), Some(1), Some(0)),
            "{b}"
        );
        app.stop().await;
    }
}

#[tokio::test]
async fn an_appeal_upheld_leaves_the_scores_and_a_month_is_published_once() {
    for tdb in testing::all().await.unwrap() {
        let app = TestApp::start_at(tdb, Clock::fixed(start())).await;
        let b = app.backend;
        let st = app.state().clone();
        let county = app.login("county", PW).await;
        let scjg = app.login("scjg", PW).await;
        let mut codes = Vec::new();
        for (level, comment) in [("5", ""), ("1", "态度恶劣（测试）")] {
            let code = submit(&app, &named_complaint()).await;
            let id = ticket_id(&app, &county, &code).await;
            act(&app, &county, id, &[("event", "answer"), ("reply", "已电话解答，检查计划见县政府网站。")]).await;
            let (status, _) = act(&app, &county, id, &[("event", "revisit"), ("resolved", "yes"), ("satisfied", "yes")]).await;
            assert_eq!(status, 303, "{b}");
            let (_, page) =
                track(&app, &[("code", &code), ("phone", "13800000002"), ("action", "rate"), ("level", level), ("comment", comment)]).await;
            assert!(page.contains("感谢您的评价"), "{b}: {page}");
            codes.push(code);
        }
        // Answered directly: the county government is the one rated; scjg sees nothing.
        let dash = scjg.get(app.url("/console/portal/ratings?show=all")).send().await.unwrap().text().await.unwrap();
        assert!(!dash.contains("态度恶劣"), "{b}");
        let dash = county.get(app.url("/console/portal/ratings")).send().await.unwrap().text().await.unwrap();
        let rid: i64 = between(&dash, "href=\"/console/portal/ratings/", "\"").parse().unwrap();
        let (status, _) = rating_act(
            &app,
            &county,
            rid,
            &[("event", "appeal"), ("visit_note", "核实：通话录音显示态度正常"), ("appeal_reason", "评价与事实不符")],
        )
        .await;
        assert_eq!(status, 303, "{b}");
        let (status, page) = rating_act(&app, &county, rid, &[("event", "uphold"), ("review_note", "")]).await;
        assert_eq!(status, 400, "{b}: {page}");
        let (status, _) = rating_act(&app, &county, rid, &[("event", "uphold"), ("review_note", "经复核录音，评价不实，不计入得分")]).await;
        assert_eq!(status, 303, "{b}");

        // November is not over: it cannot be published yet.
        let (status, page) = post(&app, &county, "/console/portal/ratings", "/console/portal/ratings", &[("month", "2026-11")]).await;
        assert_eq!(status, 400, "{b}: {page}");
        assert!(page.contains("portal.rating_month_open"), "{b}");
        st.clock.advance(chrono::Duration::days(2));
        let county = app.login("county", PW).await;
        let (status, page) =
            post(&app, &county, "/console/portal/ratings?month=2026-11", "/console/portal/ratings", &[("month", "2026-11")]).await;
        assert_eq!(status, 200, "{b}: {page}");
        assert!(page.contains("已公布 2026-11"), "{b}: {page}");
        let (status, page) =
            post(&app, &county, "/console/portal/ratings?month=2026-11", "/console/portal/ratings", &[("month", "2026-11")]).await;
        assert_eq!(status, 409, "{b}: {page}");
        let (status, page) = post(&app, &county, "/console/portal/ratings", "/console/portal/ratings", &[("month", "11/2026")]).await;
        assert_eq!(status, 400, "{b}: {page}");
        assert!(page.contains("portal.rating_month"), "{b}");

        // The published month: one department, one rating counted (the upheld appeal is out), 5.00.
        let v: serde_json::Value = app.client().get(app.url("/api/v1/portal/ratings/scores")).send().await.unwrap().json().await.unwrap();
        assert_eq!(v["month"], "2026-11", "{b}: {v}");
        assert_eq!(v["items"].as_array().unwrap().len(), 1, "{b}: {v}");
        assert_eq!((v["items"][0]["ratings"].as_i64(), v["items"][0]["mean_x100"].as_i64()), (Some(1), Some(500)), "{b}: {v}");
        let page = app.client().get(app.url("/portal/ratings")).send().await.unwrap().text().await.unwrap();
        assert!(page.contains("清丰县人民政府") && page.contains("100.0%"), "{b}: {page}");
        let r = app.client().get(app.url("/portal/ratings?month=2026-10")).send().await.unwrap();
        assert_eq!(r.status(), 404, "{b}");

        // Bad input on the public side: an unknown kind, a wrong USCC, a rating of nothing.
        let c = app.client();
        let mut f = named_complaint();
        f.retain(|(k, _)| *k != "kind");
        f.push(("kind", "moon"));
        let (status, page) = post(&app, &c, "/portal/complaints/new", "/portal/tickets", &f).await;
        assert_eq!(status, 400, "{b}");
        assert!(page.contains("portal.ticket_kind"), "{b}");
        let mut f = named_complaint();
        f.push(("uscc", "91410922MA00000000"));
        let (status, page) = post(&app, &c, "/portal/complaints/new", "/portal/tickets", &f).await;
        assert_eq!(status, 400, "{b}");
        assert!(page.contains("portal.ticket_uscc"), "{b}");
        let r = c.get(app.url("/portal/ratings/new?service=abc")).send().await.unwrap();
        assert_eq!(r.status(), 404, "{b}");
        // The JSON submission answers with the tracking code.
        let r = c
            .post(app.url("/api/v1/portal/tickets"))
            .json(&serde_json::json!({"kind": "quick", "category": "consult", "title": "接口提交（测试）", "content": "接口提交的诉求内容。", "anonymous": "on"}))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 201, "{b}");
        let v: serde_json::Value = r.json().await.unwrap();
        assert!(v["tracking_code"].as_str().unwrap().starts_with("GD"), "{b}: {v}");
        let r = c.post(app.url("/api/v1/portal/tickets")).json(&serde_json::json!({"kind": "quick"})).send().await.unwrap();
        assert_eq!(r.status(), 400, "{b}");
        let v: serde_json::Value = r.json().await.unwrap();
        assert_eq!(v["error"]["code"], "portal.ticket_category", "{b}: {v}");
        let _ = codes;
        app.stop().await;
    }
}

#[tokio::test]
async fn the_demo_history_goes_through_the_real_workflow_once() {
    for tdb in testing::all().await.unwrap() {
        let app = TestApp::start_at(tdb, Clock::fixed(start())).await;
        let b = app.backend;
        let st = app.state();
        let cal = st.calendar_now();
        let made = qingfeng_portal::tickets::demo::load(&st.db, &st.pii, &cal, "410922", st.clock.now_ms(), 12).await.unwrap();
        assert_eq!(made, 12, "{b}");
        let again = qingfeng_portal::tickets::demo::load(&st.db, &st.pii, &cal, "410922", st.clock.now_ms(), 12).await.unwrap();
        assert_eq!(again, 0, "{b}: loaded once");
        let county = app.login("county", PW).await;
        let v: serde_json::Value = county.get(app.url("/api/v1/portal/tickets?state=closed")).send().await.unwrap().json().await.unwrap();
        assert_eq!(v["total"], 7, "{b}: {v}");
        assert!(v["items"].as_array().unwrap().iter().all(|t| t["is_demo"] == true), "{b}");
        let page = county.get(app.url("/console/portal/ratings?month=2026-11&show=all")).send().await.unwrap().text().await.unwrap();
        assert!(page.contains("演示") && page.contains("已办结"), "{b}: {page}");
        let audit = qingfeng_platform::audit::verify(&st.db).await.unwrap();
        assert!(audit.is_intact(), "{b}: {:?}", audit.problems);
        app.stop().await;
    }
}

#[tokio::test]
async fn an_off_list_fee_report_names_the_fee_and_a_verified_complaint_goes_on_the_exposure_board() {
    for tdb in testing::all().await.unwrap() {
        let app = TestApp::start_at(tdb, Clock::fixed(start())).await;
        let b = app.backend;
        // The fee list's report link opens a prefilled complaint naming the fee.
        let c = app.client();
        let fees = c.get(app.url("/portal/fees")).send().await.unwrap().text().await.unwrap();
        let fee_id = fees
            .split("/portal/complaints/new?fee=")
            .skip(1)
            .map(|rest| &rest[..rest.find('"').unwrap()])
            .find(|id| *id != "0")
            .unwrap_or_else(|| panic!("{b}: no per-fee report link: {fees}"))
            .to_string();
        let form = c.get(app.url(&format!("/portal/complaints/new?fee={fee_id}"))).send().await.unwrap().text().await.unwrap();
        assert!(form.contains("id=\"fee-report\"") && form.contains("反映清单外收费"), "{b}: {form}");
        let mut fields = named_complaint();
        fields.push(("fee", &fee_id));
        let code = submit(&app, &fields).await;
        let county = app.login("county", PW).await;
        let id = ticket_id(&app, &county, &code).await;
        let t = ticket_json(&app, &county, id).await;
        assert_eq!((t["fee_report"].as_bool(), t["fee_item_id"].as_i64()), (Some(true), fee_id.parse().ok()), "{b}: {t}");
        assert_eq!(t["category"], "complaint", "{b}");
        let mut fields = named_complaint();
        fields.push(("fee", "999999"));
        let (status, page) = post(&app, &c, "/portal/complaints/new", "/portal/tickets", &fields).await;
        assert_eq!(status, 400, "{b}: {page}");
        assert!(page.contains("portal.ticket_fee"), "{b}");

        // Not before it is verified and closed.
        let (status, page) = post(
            &app,
            &county,
            &format!("/console/portal/tickets/{id}"),
            &format!("/console/portal/tickets/{id}/expose"),
            &[("title", "违规收费"), ("basis", "经核实存在清单外收费行为，已责令退还。")],
        )
        .await;
        assert_eq!(status, 409, "{b}: {page}");
        assert!(page.contains("portal.ticket_not_exposable"), "{b}");
        act(&app, &county, id, &[("event", "answer"), ("reply", "经核实属清单外收费，已责令退还。")]).await;
        act(&app, &county, id, &[("event", "revisit"), ("resolved", "yes"), ("satisfied", "yes")]).await;
        let page = county.get(app.url(&format!("/console/portal/tickets/{id}"))).send().await.unwrap().text().await.unwrap();
        assert!(page.contains("id=\"ticket-expose\""), "{b}");
        let (status, page) = post(
            &app,
            &county,
            &format!("/console/portal/tickets/{id}"),
            &format!("/console/portal/tickets/{id}/expose"),
            &[("title", "违规收费"), ("basis", "短")],
        )
        .await;
        assert_eq!(status, 400, "{b}: {page}");
        assert!(page.contains("portal.exposure_basis"), "{b}");
        let (status, page) = post(
            &app,
            &county,
            &format!("/console/portal/tickets/{id}"),
            &format!("/console/portal/tickets/{id}/expose"),
            &[("title", "某单位清单外收费（测试）"), ("basis", "经核实存在清单外收费行为，已责令退还。")],
        )
        .await;
        assert_eq!(status, 303, "{b}: {page}");
        assert!(page.contains("id=\"ticket-exposure\"") && !page.contains("id=\"ticket-expose\""), "{b}");
        let board = app.client().get(app.url("/portal/exposure")).send().await.unwrap().text().await.unwrap();
        assert!(board.contains("某单位清单外收费（测试）") && !board.contains("张测试"), "{b}: the complainant is never named");
        // Department staff without the exposure permission cannot.
        let scjg = app.login("scjg", PW).await;
        let r = scjg.post(app.url(&format!("/console/portal/tickets/{id}/expose"))).form(&[("csrf", "x")]).send().await.unwrap();
        assert_eq!(r.status(), 403, "{b}");
        app.stop().await;
    }
}
