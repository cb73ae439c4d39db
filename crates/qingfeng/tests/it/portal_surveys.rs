//! 问卷调查 and the cross-content search over HTTP on both databases: a survey built,
//! published (its questions then frozen), answered once per person — per browser or per
//! mobile number —, refused outside its window and with a clear message per question;
//! the results counted and exported to Excel; and one search over every portal kind,
//! covering the county's content and national content but no other county's.

use calamine::{Data, Reader as _};
use chrono::TimeZone as _;
use qingfeng_platform::{Clock, on_db, testing};
use serde_json::Value;

use crate::harness::{PW, TestApp, extract_csrf};

fn start_time() -> chrono::DateTime<chrono::Utc> {
    // 2026-12-01 09:00 in Qingfeng.
    qingfeng_core::CHINA_STANDARD_TIME.with_ymd_and_hms(2026, 12, 1, 9, 0, 0).unwrap().with_timezone(&chrono::Utc)
}

async fn text(r: reqwest::Response) -> (u16, String) {
    let s = r.status().as_u16();
    (s, r.text().await.unwrap())
}

fn location(r: &reqwest::Response) -> String {
    r.headers().get("location").map(|v| v.to_str().unwrap().to_string()).unwrap_or_default()
}

/// POST a form from the page at `page` (its CSRF token added).
async fn post(app: &TestApp, c: &reqwest::Client, page: &str, action: &str, fields: &[(&str, &str)]) -> reqwest::Response {
    let csrf = app.csrf_from(c, page).await;
    let mut form: Vec<(&str, &str)> = vec![("csrf", &csrf)];
    form.extend_from_slice(fields);
    c.post(app.url(action)).form(&form).send().await.unwrap()
}

/// Create a survey as `staff` and return its id.
async fn create(app: &TestApp, staff: &reqwest::Client, fields: &[(&str, &str)]) -> i64 {
    let r = post(app, staff, "/console/portal/surveys", "/console/portal/surveys", fields).await;
    assert_eq!(r.status(), 303, "{}: {}", app.backend, r.text().await.unwrap());
    location(&r).rsplit('/').next().unwrap().parse().unwrap()
}

async fn add_question(app: &TestApp, staff: &reqwest::Client, id: i64, fields: &[(&str, &str)]) -> (u16, String) {
    let page = format!("/console/portal/surveys/{id}");
    text(post(app, staff, &page, &format!("{page}/questions"), fields).await).await
}

async fn transition(app: &TestApp, staff: &reqwest::Client, id: i64, event: &str) -> (u16, String) {
    let page = format!("/console/portal/surveys/{id}");
    text(post(app, staff, &page, &format!("{page}/transition"), &[("action", event)]).await).await
}

/// The survey's question ids in their order (read from the database: drafts are not public).
async fn question_ids(app: &TestApp, id: i64) -> Vec<i64> {
    on_db!(&app.db, |p| sqlx::query_scalar("SELECT id FROM portal_survey_questions WHERE survey_id = $1 ORDER BY position, id")
        .bind(id)
        .fetch_all(p)
        .await)
    .unwrap()
}

/// Answer survey `id` from the browser `c` (the form page is fetched first, as a person
/// would, which gives the browser its token).
async fn answer(app: &TestApp, c: &reqwest::Client, id: i64, fields: &[(String, String)]) -> reqwest::Response {
    let page = format!("/portal/surveys/{id}");
    let html = c.get(app.url(&page)).send().await.unwrap().text().await.unwrap();
    // Once answered, the page shows no form: a second answer is sent as a replayed form would be.
    let csrf = match extract_csrf(&html) {
        Some(t) => t,
        None => app.csrf_from(c, "/login").await,
    };
    let mut form: Vec<(String, String)> = vec![("csrf".into(), csrf)];
    form.extend_from_slice(fields);
    c.post(app.url(&page)).form(&form).send().await.unwrap()
}

fn f(k: String, v: &str) -> (String, String) {
    (k, v.to_string())
}

#[tokio::test]
async fn a_survey_is_built_published_answered_once_counted_and_exported() {
    for tdb in testing::all().await.unwrap() {
        let app = TestApp::start_at(tdb, Clock::fixed(start_time())).await;
        let be = app.backend;
        let st = app.state().clone();
        // Department staff build surveys (the permission is theirs too).
        let staff = app.login("scjg", PW).await;
        let (s, list) = text(staff.get(app.url("/console/portal/surveys")).send().await.unwrap()).await;
        assert_eq!(s, 200, "{be}");
        assert!(list.contains("【演示】企业对营商环境的满意度调查"), "{be}: the demo survey is listed");

        // A bad window is refused with its code, and what was typed stays in the form.
        let r = post(
            &app,
            &staff,
            "/console/portal/surveys",
            "/console/portal/surveys",
            &[("title", "窗口测试问卷"), ("identity", "anonymous"), ("opens", "2026-12-02T10:00"), ("closes", "2026-12-01T10:00")],
        )
        .await;
        let (s, page) = text(r).await;
        assert_eq!(s, 400, "{be}");
        assert!(page.contains("portal.survey_window") && page.contains("value=\"窗口测试问卷\""), "{be}");

        let id = create(
            &app,
            &staff,
            &[
                ("title", "个体工商户开办体验调查"),
                ("intro", "了解开办环节的体验。"),
                ("identity", "anonymous"),
                ("opens", "2026-12-01T10:00"),
                ("closes", "2026-12-02T10:00"),
                ("results_public", "1"),
            ],
        )
        .await;
        // Publishing an empty survey is refused.
        let (s, page) = transition(&app, &staff, id, "publish").await;
        assert!(s == 400 && page.contains("portal.survey_empty"), "{be}: {s}");

        let single = [("kind", "single"), ("prompt", "您办理的是哪类业务"), ("required", "1"), ("options", "设立登记\n变更登记\n注销登记")];
        assert_eq!(add_question(&app, &staff, id, &single).await.0, 303, "{be}");
        let multi = [
            ("kind", "multiple"),
            ("prompt", "您通过哪些渠道办理"),
            ("required", "1"),
            ("options", "窗口\n网上\n掌上\n自助机"),
            ("max_picks", "2"),
        ];
        assert_eq!(add_question(&app, &staff, id, &multi).await.0, 303, "{be}");
        assert_eq!(add_question(&app, &staff, id, &[("kind", "rating"), ("prompt", "总体满意度"), ("required", "1")]).await.0, 303);
        assert_eq!(add_question(&app, &staff, id, &[("kind", "text"), ("prompt", "建议"), ("max_chars", "10")]).await.0, 303);
        // A choice question needs two choices; a kind must be one of the four.
        let (s, page) = add_question(&app, &staff, id, &[("kind", "single"), ("prompt", "只有一个选项"), ("options", "是")]).await;
        assert!(s == 400 && page.contains("portal.question_options") && page.contains("value=\"只有一个选项\""), "{be}: {s}");
        let (s, page) = add_question(&app, &staff, id, &[("kind", "ranking"), ("prompt", "排序")]).await;
        assert!(s == 400 && page.contains("portal.question_kind"), "{be}");
        // Drafts are not public.
        assert_eq!(app.client().get(app.url(&format!("/portal/surveys/{id}"))).send().await.unwrap().status(), 404, "{be}");
        // Order: move the rating question above the multiple-choice one, then back.
        let qs = question_ids(&app, id).await;
        assert_eq!(qs.len(), 4, "{be}");
        let edit = format!("/console/portal/surveys/{id}");
        let r = post(&app, &staff, &edit, &format!("{edit}/questions/{}", qs[2]), &[("action", "up")]).await;
        assert_eq!(r.status(), 303, "{be}");
        assert_eq!(question_ids(&app, id).await, vec![qs[0], qs[2], qs[1], qs[3]], "{be}");
        post(&app, &staff, &edit, &format!("{edit}/questions/{}", qs[2]), &[("action", "down")]).await;
        assert_eq!(question_ids(&app, id).await, qs, "{be}");

        let (s, _) = transition(&app, &staff, id, "publish").await;
        assert_eq!(s, 303, "{be}");
        // The transition is in the audit chain; the questions are frozen now.
        let audited: i64 = on_db!(&app.db, |p| sqlx::query_scalar(
            "SELECT COUNT(*) FROM audit_log WHERE entity = 'portal_survey' AND entity_id = $1 AND action = 'portal_survey.transition'"
        )
        .bind(id.to_string())
        .fetch_one(p)
        .await)
        .unwrap();
        assert_eq!(audited, 1, "{be}");
        let (s, page) = add_question(&app, &staff, id, &[("kind", "rating"), ("prompt", "再加一题")]).await;
        assert!(s == 409 && page.contains("portal.survey_frozen"), "{be}: {s}");
        let r = post(&app, &staff, &edit, &format!("{edit}/questions/{}", qs[0]), &[("action", "delete")]).await;
        assert!(text(r).await.1.contains("portal.survey_frozen"), "{be}");
        assert_eq!(question_ids(&app, id).await.len(), 4, "{be}");

        // Before the window opens: shown as not yet open, and an answer is refused.
        let alice = app.client();
        let (_, page) = text(alice.get(app.url(&format!("/portal/surveys/{id}"))).send().await.unwrap()).await;
        assert!(page.contains("id=\"survey-not-yet\"") && !page.contains("id=\"survey-form\""), "{be}");
        let csrf = extract_csrf(&text(alice.get(app.url("/login")).send().await.unwrap()).await.1).unwrap();
        let r = alice
            .post(app.url(&format!("/portal/surveys/{id}")))
            .form(&[("csrf", csrf.as_str()), (&format!("q{}", qs[0]), "0")])
            .send()
            .await
            .unwrap();
        let (s, page) = text(r).await;
        assert!(s == 409 && page.contains("portal.survey_not_open"), "{be}: {s}");
        let (_, list) = text(alice.get(app.url("/portal/surveys")).send().await.unwrap()).await;
        assert!(list.contains("id=\"surveys-upcoming\"") && list.contains("个体工商户开办体验调查"), "{be}");

        st.clock.advance(chrono::Duration::hours(2));
        let (_, list) = text(alice.get(app.url("/portal/surveys")).send().await.unwrap()).await;
        let open = &list[list.find("id=\"surveys-open\"").unwrap()..list.find("</section>").unwrap()];
        assert!(open.contains("个体工商户开办体验调查") && open.contains("【演示】"), "{be}: open ones first");

        // Every question wrong at once: each has its own message and code, nothing typed is lost.
        let bad = vec![
            f(format!("q{}", qs[0]), "9"),
            f(format!("q{}", qs[1]), "0"),
            f(format!("q{}", qs[1]), "1"),
            f(format!("q{}", qs[1]), "2"),
            f(format!("q{}", qs[2]), "6"),
            f(format!("q{}", qs[3]), "这条建议超过了十个字的限制"),
        ];
        let (s, page) = text(answer(&app, &alice, id, &bad).await).await;
        assert_eq!(s, 400, "{be}");
        for code in ["portal.survey_choice", "portal.survey_too_many", "portal.survey_rating", "portal.survey_text_too_long"] {
            assert!(page.contains(&format!("data-code=\"{code}\"")), "{be}: {code} missing");
        }
        assert!(page.contains("最多选择 2 项，您选了 3 项"), "{be}");
        assert!(page.contains(">这条建议超过了十个字的限制</textarea>"), "{be}: the text typed is kept");
        assert!(page.contains(&format!("name=\"q{}\" value=\"2\" checked", qs[1])), "{be}: the boxes ticked stay ticked");
        // Required questions left empty.
        let (s, page) = text(answer(&app, &alice, id, &[]).await).await;
        assert!(s == 400 && page.matches("data-code=\"portal.survey_required\"").count() == 3, "{be}");

        let good = vec![
            f(format!("q{}", qs[0]), "0"),
            f(format!("q{}", qs[1]), "1"),
            f(format!("q{}", qs[1]), "2"),
            f(format!("q{}", qs[2]), "5"),
            f(format!("q{}", qs[3]), "材料再少些"),
        ];
        let r = answer(&app, &alice, id, &good).await;
        assert_eq!((r.status().as_u16(), location(&r)), (303, format!("/portal/surveys/{id}?done=1")), "{be}");
        // A second answer from the same browser is refused, and the page says so.
        let (s, page) = text(answer(&app, &alice, id, &good).await).await;
        assert!(s == 409 && page.contains("portal.survey_duplicate") && page.contains("已经填写过"), "{be}: {s}");
        let (_, page) = text(alice.get(app.url(&format!("/portal/surveys/{id}"))).send().await.unwrap()).await;
        assert!(page.contains("id=\"survey-answered\"") && !page.contains("id=\"survey-form\""), "{be}");
        // A forged token is no token.
        let forged = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap();
        let csrf_page = forged.get(app.url("/login")).send().await.unwrap();
        let pre = csrf_page
            .headers()
            .get_all("set-cookie")
            .iter()
            .map(|v| v.to_str().unwrap().split(';').next().unwrap().to_string())
            .collect::<Vec<_>>()
            .join("; ");
        let csrf = extract_csrf(&csrf_page.text().await.unwrap()).unwrap();
        let r = forged
            .post(app.url(&format!("/portal/surveys/{id}")))
            .header("cookie", format!("{pre}; qf_survey={}.{}", "a".repeat(43), "0".repeat(32)))
            .form(&[("csrf", csrf.as_str()), (&format!("q{}", qs[0]), "0"), (&format!("q{}", qs[1]), "0"), (&format!("q{}", qs[2]), "3")])
            .send()
            .await
            .unwrap();
        let (s, page) = text(r).await;
        assert!(s == 400 && page.contains("portal.survey_cookie"), "{be}: {s}");

        // A second person.
        let bob = app.client();
        let r =
            answer(&app, &bob, id, &[f(format!("q{}", qs[0]), "2"), f(format!("q{}", qs[1]), "1"), f(format!("q{}", qs[2]), "4")]).await;
        assert_eq!(r.status(), 303, "{be}");

        // Staff see the numbers; the public does not while the survey is open.
        let (s, res) = text(staff.get(app.url(&format!("/console/portal/surveys/{id}/results"))).send().await.unwrap()).await;
        assert_eq!(s, 200, "{be}");
        assert!(res.contains("共 2 份答卷"), "{be}");
        assert!(res.contains("<td>设立登记</td><td>1</td><td>50.0%</td>"), "{be}");
        assert!(res.contains("<td>网上</td><td>2</td><td>100.0%</td>"), "{be}");
        assert!(res.contains("<td>掌上</td><td>1</td><td>50.0%</td>"), "{be}");
        assert!(res.contains("id=\"avg-3\">4.5</strong>"), "{be}");
        assert!(res.contains("<td>5 分</td><td>1</td><td>50.0%</td>"), "{be}");
        assert!(res.contains("<li>材料再少些</li>"), "{be}");
        assert!(res.contains("<svg class=\"chart\" id=\"chart-q1\"") && res.contains(">1 人 · 50.0%</text>"), "{be}");
        let r = app.client().get(app.url(&format!("/portal/surveys/{id}/results"))).send().await.unwrap();
        let (s, page) = text(r).await;
        assert!(s == 403 && page.contains("portal.survey_results_hidden"), "{be}: {s}");

        // Excel: every response, one column per question.
        let r = staff.get(app.url(&format!("/console/portal/surveys/{id}/responses.xlsx"))).send().await.unwrap();
        assert_eq!(r.status(), 200, "{be}");
        let bytes = r.bytes().await.unwrap().to_vec();
        let mut book: calamine::Xlsx<_> = calamine::open_workbook_from_rs(std::io::Cursor::new(bytes)).unwrap();
        let sheet = book.worksheet_range("答卷").unwrap();
        let cell = |r: usize, c: usize| sheet.get((r, c)).map(|d| d.to_string()).unwrap_or_default();
        assert_eq!(sheet.height(), 4, "{be}: title, header and two responses");
        assert_eq!(cell(1, 3), "1. 您办理的是哪类业务");
        assert_eq!((cell(2, 3), cell(2, 4), cell(2, 6)), ("设立登记".into(), "网上；掌上".into(), "材料再少些".into()), "{be}");
        assert!(matches!(sheet.get((2, 5)), Some(Data::Float(v)) if *v == 5.0), "{be}");
        assert_eq!((cell(3, 3), cell(3, 4), cell(3, 6)), ("注销登记".into(), "网上".into(), String::new()), "{be}");
        let summary = book.worksheet_range("统计").unwrap();
        assert!(
            summary
                .rows()
                .any(|r| r.first().map(|d| d.to_string()) == Some("总体满意度".into())
                    && r.get(4).map(|d| d.to_string()) == Some("4.5".into())),
            "{be}"
        );

        // After the window: answers refused, the published results are public.
        st.clock.advance(chrono::Duration::days(1));
        let carol = app.client();
        let (s, page) = text(carol.get(app.url(&format!("/portal/surveys/{id}"))).send().await.unwrap()).await;
        assert!(s == 200 && page.contains("id=\"survey-ended\"") && page.contains("id=\"survey-results-link\""), "{be}");
        let csrf = extract_csrf(&text(carol.get(app.url("/login")).send().await.unwrap()).await.1).unwrap();
        let r = carol
            .post(app.url(&format!("/portal/surveys/{id}")))
            .form(&[("csrf", csrf.as_str()), (&format!("q{}", qs[0]), "0")])
            .send()
            .await
            .unwrap();
        let (s, page) = text(r).await;
        assert!(s == 409 && page.contains("portal.survey_ended"), "{be}: {s}");
        let (s, page) = text(carol.get(app.url(&format!("/portal/surveys/{id}/results"))).send().await.unwrap()).await;
        assert!(s == 200 && page.contains("<td>网上</td><td>2</td><td>100.0%</td>"), "{be}: {s}");
        let (_, list) = text(carol.get(app.url("/portal/surveys")).send().await.unwrap()).await;
        assert!(list.contains(&format!("href=\"/portal/surveys/{id}/results\"")), "{be}");
        let v: Value = carol.get(app.url(&format!("/api/v1/portal/surveys/{id}"))).send().await.unwrap().json().await.unwrap();
        assert_eq!(v["results"]["responses"], 2, "{be}: {v}");
        assert_eq!(v["survey"]["availability"], "ended", "{be}");
        let ids: Vec<i64> = v["questions"].as_array().unwrap().iter().map(|q| q["id"].as_i64().unwrap()).collect();
        assert_eq!(ids, qs, "{be}");

        // Closing is a transition too; closing twice is refused by the machine.
        let staff = app.login("county", PW).await;
        assert_eq!(transition(&app, &staff, id, "close").await.0, 303, "{be}");
        let (s, page) = transition(&app, &staff, id, "close").await;
        assert!(s == 409 && page.contains("state.illegal"), "{be}: {s}");
        // Staff without the permission cannot reach the pages.
        let grid = app.login("grid01", PW).await;
        assert_eq!(grid.get(app.url("/console/portal/surveys")).send().await.unwrap().status(), 403, "{be}");
        app.stop().await;
    }
}

#[tokio::test]
async fn real_name_surveys_take_one_answer_per_mobile_number_and_keep_only_its_hash() {
    for tdb in testing::all().await.unwrap() {
        let app = TestApp::start_at(tdb, Clock::fixed(start_time())).await;
        let be = app.backend;
        let staff = app.login("county", PW).await;
        let id = create(&app, &staff, &[("title", "实名回访"), ("identity", "real_name")]).await;
        add_question(&app, &staff, id, &[("kind", "rating"), ("prompt", "办理满意度"), ("required", "1")]).await;
        assert_eq!(transition(&app, &staff, id, "publish").await.0, 303, "{be}");
        let q = question_ids(&app, id).await[0];

        let a = app.client();
        let (s, page) = text(answer(&app, &a, id, &[f(format!("q{q}"), "4"), f("phone".into(), "12345")]).await).await;
        assert!(s == 400 && page.contains("portal.survey_phone") && page.contains("value=\"12345\""), "{be}: {s}");
        let r = answer(&app, &a, id, &[f(format!("q{q}"), "4"), f("phone".into(), "138 0000 1234")]).await;
        assert_eq!(r.status(), 303, "{be}");
        // Another browser, the same number written differently.
        let b = app.client();
        let (s, page) = text(answer(&app, &b, id, &[f(format!("q{q}"), "2"), f("phone".into(), "+86 13800001234")]).await).await;
        assert!(s == 409 && page.contains("portal.survey_duplicate") && page.contains("该手机号已经填写过"), "{be}: {s}");
        let r = answer(&app, &b, id, &[f(format!("q{q}"), "2"), f("phone".into(), "13900001234")]).await;
        assert_eq!(r.status(), 303, "{be}");
        // Only the keyed hash is stored.
        let keys: Vec<String> =
            on_db!(&app.db, |p| sqlx::query_scalar("SELECT respondent_key FROM portal_survey_responses WHERE survey_id = $1 ORDER BY id")
                .bind(id)
                .fetch_all(p)
                .await)
            .unwrap();
        assert_eq!(keys.len(), 2, "{be}");
        assert!(keys.iter().all(|k| k.starts_with("p:") && k.len() == 66 && !k.contains("1380000")), "{be}: {keys:?}");
        assert_eq!(keys[0], format!("p:{}", app.state().pii.lookup_hash("13800001234")), "{be}");
        app.stop().await;
    }
}

#[tokio::test]
async fn the_cross_content_search_covers_every_kind_national_and_county_content_only() {
    for app in crate::harness::apps().await {
        let be = app.backend;
        let search = &app.state().search;
        let county = app.state().cfg.county_code.clone();
        // One document of each county kind (as the other modules will write them), one
        // of another county, and the policy library's national articles already there.
        let kinds = [
            ("portal_news", "/portal/news/"),
            ("portal_case", "/portal/cases/"),
            ("portal_department", "/portal/departments/"),
            ("portal_power", "/portal/powers/"),
            ("portal_negative_item", "/portal/negative-list/items/"),
            ("portal_service", "/portal/services/"),
            ("portal_fee", "/portal/fees/"),
        ];
        let mut docs: Vec<qingfeng_search::Doc> = kinds
            .iter()
            .enumerate()
            .map(|(i, (kind, _))| qingfeng_search::Doc {
                kind: kind.to_string(),
                id: (i + 11).to_string(),
                county: county.clone(),
                title: format!("中小企业款项支付测试{kind}"),
                body: "关于中小企业款项支付的测试内容，由测试直接写入检索索引。".into(),
                tags: vec![],
            })
            .collect();
        docs.push(qingfeng_search::Doc {
            kind: "portal_news".into(),
            id: "99".into(),
            county: "410923".into(),
            title: "外县中小企业款项支付新闻".into(),
            body: "另一个县的内容，不应出现在本县的搜索里。".into(),
            tags: vec![],
        });
        search.upsert(&docs).unwrap();

        // The home's box leads to the cross-content search.
        let c = app.client();
        let home = c.get(app.url("/portal")).send().await.unwrap().text().await.unwrap();
        assert!(home.contains("action=\"/portal/search\""), "{be}");
        let q = qingfeng_platform::web::urlencode("中小企业款项支付");
        let (s, page) = text(c.get(app.url(&format!("/portal/search?q={q}"))).send().await.unwrap()).await;
        assert_eq!(s, 200, "{be}");
        for (i, (kind, base)) in kinds.iter().enumerate() {
            assert!(page.contains(&format!("href=\"{base}{}\" data-kind=\"{kind}\"", i + 11)), "{be}: {kind} missing");
        }
        assert!(page.contains("data-kind=\"policy_article\""), "{be}: national policy articles are found");
        assert!(!page.contains("外县中小企业款项支付新闻") && !page.contains("/portal/news/99"), "{be}: another county's content");
        assert!(page.contains("<mark>中小企业</mark>"), "{be}: highlighted");
        assert!(page.contains("<span class=\"pt-kind\">收费清单</span>"), "{be}: labelled by kind");
        assert!(page.contains("id=\"search-tabs\"") && page.contains("kind=fees"), "{be}");
        assert!(page.contains("rel=\"next\""), "{be}: more than a page of hits");

        // A kind tab keeps to its kind.
        let (_, fees) = text(c.get(app.url(&format!("/portal/search?q={q}&kind=fees"))).send().await.unwrap()).await;
        assert_eq!(fees.matches("class=\"pt-hit\"").count(), 1, "{be}");
        assert!(fees.contains("href=\"/portal/fees/17\""), "{be}");
        let (_, pol) = text(c.get(app.url(&format!("/portal/search?q={q}&kind=policies&page=2"))).send().await.unwrap()).await;
        assert!(pol.contains("data-kind=\"policy_article\"") && !pol.contains("data-kind=\"portal_fee\""), "{be}");
        // Bad input: a Chinese message and a code.
        let (s, page) = text(c.get(app.url(&format!("/portal/search?q={q}&kind=exposure"))).send().await.unwrap()).await;
        assert!(s == 400 && page.contains("portal.bad_kind"), "{be}: {s}");
        let long = "长".repeat(101);
        let (s, page) = text(c.get(app.url(&format!("/portal/search?q={long}"))).send().await.unwrap()).await;
        assert!(s == 400 && page.contains("portal.query_too_long"), "{be}: {s}");

        // The API: the same hits, counts per kind.
        let v: Value = c.get(app.url(&format!("/api/v1/portal/search?q={q}"))).send().await.unwrap().json().await.unwrap();
        let total = v["total"].as_u64().unwrap();
        assert!(total > 20, "{be}: {v}");
        let counts: Vec<(String, u64)> = v["counts"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| (c["param"].as_str().unwrap().to_string(), c["count"].as_u64().unwrap()))
            .collect();
        assert_eq!(counts.iter().map(|(_, n)| n).sum::<u64>(), total, "{be}");
        assert!(counts.iter().filter(|(p, _)| p != "policies").all(|(_, n)| *n == 1), "{be}: {counts:?}");
        assert_eq!(v["items"][0]["href"].as_str().map(|h| h.starts_with("/portal/")), Some(true), "{be}");
        let r = c.get(app.url(&format!("/api/v1/portal/search?q={q}&kind=nope"))).send().await.unwrap();
        assert_eq!(r.status(), 400, "{be}");
        let v: Value = r.json().await.unwrap();
        assert_eq!(v["error"]["code"], "portal.bad_kind", "{be}: {v}");
        // The policy search is unchanged.
        let (s, pol) = text(c.get(app.url(&format!("/portal/policies?q={q}"))).send().await.unwrap()).await;
        assert!(s == 200 && pol.contains("id=\"policy-hits\"") && !pol.contains("/portal/fees/"), "{be}");
        app.stop().await;
    }
}
