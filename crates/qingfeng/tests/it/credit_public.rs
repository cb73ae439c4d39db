//! The public side of the credit platform: subject search through the shared index
//! (parts of names, former names, codes), persons the law publishes (失信被执行人), and a
//! person's own profile at `/credit/me` — on both databases.

use std::time::Duration;

use qingfeng_platform::audit::Actor;
use qingfeng_platform::{session, users};

use crate::harness::{PW, TestApp, apps};

/// A valid USCC of a Qingfeng firm with this 8-character body.
pub fn firm_code(body: &str) -> String {
    let org = qingfeng_core::gb11714_check_char(body).unwrap();
    let first17 = format!("91410922{body}{org}");
    format!("{first17}{}", qingfeng_core::uscc_check_char(&first17).unwrap())
}

/// GET `path` until the page contains `needle` (the index is updated by a job a moment
/// after an import); returns the page.
pub async fn eventually(app: &TestApp, c: &reqwest::Client, path: &str, needle: &str) -> String {
    let mut page = String::new();
    for _ in 0..100 {
        page = c.get(app.url(path)).send().await.unwrap().text().await.unwrap();
        if page.contains(needle) {
            return page;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("{}: {path} never showed {needle}:\n{page}", app.backend);
}

async fn token(app: &TestApp, username: &str) -> String {
    let known = qingfeng_platform::web::all_permissions(&qingfeng::modules());
    let u = users::by_username(&app.db, username).await.unwrap().unwrap();
    session::create_token(&app.db, session::Issuer::Operator, u.id, username, &[], &known, None, &Actor::System("test"), 0).await.unwrap().1
}

async fn dept(app: &TestApp) -> String {
    let c = app.login("county", PW).await;
    let orgs: serde_json::Value =
        c.get(app.url("/api/v1/orgs")).query(&[("q", "清丰县市场监督管理局")]).send().await.unwrap().json().await.unwrap();
    orgs["items"][0]["uscc"].as_str().unwrap().to_string()
}

fn penalty(name: &str, kind: &str, code_field: (&str, &str), doc: &str, dept: &str) -> serde_json::Value {
    let mut v = serde_json::json!({
        "CF_XDR_MC": name, "CF_XDR_LB": kind,
        "CF_WSH": doc, "CF_WFXW": "无证经营", "CF_SY": "无证经营食品", "CF_YJ": "《中华人民共和国食品安全法》第一百二十二条",
        "CF_CFLB": "罚款", "CF_NR": "罚款一万元", "CF_NR_FK": "1", "CF_JDRQ": "2025/05/06", "CF_YXQ": "2026/05/06",
        "CF_CFJG": "清丰县市场监督管理局", "CF_CFJGDM": dept, "CF_SJLY": "清丰县市场监督管理局", "CF_SJLYDM": dept
    });
    v[code_field.0] = code_field.1.into();
    v
}

async fn push(app: &TestApp, token: &str, rows: &[serde_json::Value]) {
    let r = reqwest::Client::new()
        .post(app.url("/api/v1/credit/records?kind=cf"))
        .bearer_auth(token)
        .json(&serde_json::Value::Array(rows.to_vec()))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200, "{}", app.backend);
    let a: serde_json::Value = r.json().await.unwrap();
    assert_eq!(a["rejected"], 0, "{}: {a}", app.backend);
}

#[tokio::test]
async fn subjects_are_found_by_parts_of_their_name_and_by_a_former_name() {
    for app in apps().await {
        let scjg = dept(&app).await;
        let push_token = token(&app, "scjg").await;
        let code = firm_code("MA40AB12");
        let firm = |name: &str, doc: &str| penalty(name, "法人及非法人组织", ("CF_XDR_SHXYM", &code), doc, &scjg);
        // First under its former name, then renamed (名称变更).
        push(&app, &push_token, &[firm("清丰县鑫源石材厂", "清市监罚〔2025〕31号")]).await;
        push(&app, &push_token, &[firm("清丰县鑫源建材有限公司", "清市监罚〔2025〕32号")]).await;
        let public = app.client();
        let name = "清丰县鑫源建材有限公司";
        let link = format!("/credit/subjects/{code}");
        for q in ["鑫源", "建材", "清丰县鑫源石材厂"] {
            let page = eventually(&app, &public, &format!("/credit?q={q}"), name).await;
            assert!(page.contains(&link), "{} {q}", app.backend);
            assert!(!page.contains(">清丰县鑫源石材厂<"), "the current name is shown");
        }
        // A code typed in full (any case) finds the subject directly.
        let page = public.get(app.url(&format!("/credit?q={}", code.to_lowercase()))).send().await.unwrap().text().await.unwrap();
        assert!(page.contains(&link), "{}", app.backend);
        // Text that is not a name finds nothing, and query syntax is just text.
        for q in ["鑫源 AND", "\"*:~", "%25"] {
            let r = public.get(app.url(&format!("/credit?q={q}"))).send().await.unwrap();
            assert_eq!(r.status(), 200, "{q}");
        }
        // Staff find it by name too and open it by subject id.
        let office = app.login("credit", PW).await;
        let page = eventually(&app, &office, "/console/credit/subjects?code=石材", name).await;
        let at = page.find("/console/credit/subjects?id=").unwrap();
        let href: String = page[at..].chars().take_while(|c| *c != '"').collect();
        let page = office.get(app.url(&href.replace("&amp;", "&"))).send().await.unwrap().text().await.unwrap();
        assert!(page.contains("清市监罚〔2025〕31号") && page.contains("清市监罚〔2025〕32号"), "{}", app.backend);
        let r = office.get(app.url("/console/credit/subjects?code=不存在的企业")).send().await.unwrap();
        assert_eq!(r.status(), 404);
        app.stop().await;
    }
}

#[tokio::test]
async fn the_public_sees_a_person_only_on_the_dishonest_debtor_list() {
    for app in apps().await {
        let scjg = dept(&app).await;
        let push_token = token(&app, "scjg").await;
        let (listed_id, other_id) = ("410922195001010013", "41092219450315002X");
        push(
            &app,
            &push_token,
            &[
                penalty("张鑫源", "自然人", ("CF_XDR_ZJHM", listed_id), "清市监罚〔2025〕41号", &scjg),
                penalty("李鑫源", "自然人", ("CF_XDR_ZJHM", other_id), "清市监罚〔2025〕42号", &scjg),
            ],
        )
        .await;
        let office = token(&app, "credit").await;
        let r = reqwest::Client::new()
            .post(app.url("/api/v1/credit/lists"))
            .bearer_auth(&office)
            .json(&serde_json::json!({"kind": "dishonest_debtor", "code": listed_id, "name": "张鑫源", "basis": "有履行能力而拒不履行生效法律文书确定义务", "authority": "清丰县人民法院", "source_ref": "(2026)豫0922执200号", "listed_on": "2026-01-05"}))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 200, "{}", app.backend);

        let public = app.client();
        let page = eventually(&app, &public, "/credit?q=鑫源", "张鑫源").await;
        assert!(page.contains("4109**********0013") && !page.contains(listed_id), "{}: masked", app.backend);
        assert!(!page.contains("李鑫源"), "{}: a person not on the list is not public", app.backend);
        let at = page.find("/credit/persons/").unwrap();
        let href: String = page[at..].chars().take_while(|c| *c != '"').collect();
        let profile = public.get(app.url(&href)).send().await.unwrap().text().await.unwrap();
        assert!(profile.contains("张鑫源") && profile.contains("(2026)豫0922执200号") && profile.contains("4109**********0013"));
        assert!(!profile.contains("清市监罚〔2025〕41号"), "{}: only the list entry, not other records", app.backend);
        // The ID typed in full finds only the listed person; the other answers like nobody.
        let page = public.get(app.url(&format!("/credit?q={listed_id}"))).send().await.unwrap().text().await.unwrap();
        assert!(page.contains("张鑫源"), "{}", app.backend);
        let page = public.get(app.url(&format!("/credit?q={other_id}"))).send().await.unwrap().text().await.unwrap();
        assert!(!page.contains("李鑫源") && !page.contains("/credit/persons/"), "{}", app.backend);
        // Another person's page, an enterprise's id, a missing id and junk: the same 404.
        let other = qingfeng_credit::store::subject_by_key(
            &app.db,
            "410922",
            qingfeng_credit::ingest::SubjectCode::Person(&app.running.as_ref().unwrap().state.pii.lookup_hash(other_id)).key("410922"),
        )
        .await
        .unwrap()
        .unwrap()
        .0;
        let mut bodies = Vec::new();
        for path in [format!("/credit/persons/{other}"), "/credit/persons/99999999".into(), "/credit/persons/abc".into()] {
            let r = public.get(app.url(&path)).send().await.unwrap();
            assert_eq!(r.status(), 404, "{path}");
            let body = r.text().await.unwrap();
            assert!(body.contains("credit.subject_not_found"), "{path}");
            bodies.push(body.replace(&path, ""));
        }
        assert!(bodies.windows(2).all(|w| w[0] == w[1]), "{}: out of scope and missing look the same", app.backend);
        app.stop().await;
    }
}

/// The result links of the public search page, in order.
fn result_links(page: &str) -> Vec<String> {
    page.match_indices("<a class=\"stack\" href=\"").map(|(i, m)| page[i + m.len()..].chars().take_while(|c| *c != '"').collect()).collect()
}

#[tokio::test]
async fn other_systems_search_subjects_as_json() {
    for app in apps().await {
        let scjg = dept(&app).await;
        let push_token = token(&app, "scjg").await;
        let (a, b) = (firm_code("MA40AB12"), firm_code("MA40CD34"));
        let (listed_id, other_id) = ("410922195001010013", "41092219450315002X");
        push(
            &app,
            &push_token,
            &[
                penalty("清丰县鑫源建材有限公司", "法人及非法人组织", ("CF_XDR_SHXYM", &a), "清市监罚〔2025〕61号", &scjg),
                penalty("清丰县鑫源物流有限公司", "法人及非法人组织", ("CF_XDR_SHXYM", &b), "清市监罚〔2025〕62号", &scjg),
                penalty("张鑫源", "自然人", ("CF_XDR_ZJHM", listed_id), "清市监罚〔2025〕63号", &scjg),
                penalty("李鑫源", "自然人", ("CF_XDR_ZJHM", other_id), "清市监罚〔2025〕64号", &scjg),
            ],
        )
        .await;
        let office = token(&app, "credit").await;
        let r = reqwest::Client::new()
            .post(app.url("/api/v1/credit/lists"))
            .bearer_auth(&office)
            .json(&serde_json::json!({"kind": "dishonest_debtor", "code": listed_id, "name": "张鑫源", "basis": "有履行能力而拒不履行生效法律文书确定义务", "authority": "清丰县人民法院", "source_ref": "(2026)豫0922执300号", "listed_on": "2026-01-05"}))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 200, "{}", app.backend);
        let public = app.client();
        eventually(&app, &public, "/credit?q=鑫源", "张鑫源").await;
        let page = eventually(&app, &public, "/credit?q=鑫源", "清丰县鑫源物流有限公司").await;
        let api = |query: &'static str| {
            let c = public.clone();
            let url = app.url(&format!("/api/v1/credit/subjects?{query}"));
            async move { c.get(url).send().await.unwrap() }
        };

        // No account needed; the same subjects as the page, in the same order.
        let r = api("q=鑫源").await;
        assert_eq!(r.status(), 200, "{}", app.backend);
        let body = r.text().await.unwrap();
        assert!(!body.contains(listed_id) && !body.contains("李鑫源"), "{}: persons only while listed, ID masked", app.backend);
        let v: serde_json::Value = serde_json::from_str(&body).unwrap();
        let hrefs: Vec<String> = v["items"].as_array().unwrap().iter().map(|i| i["href"].as_str().unwrap().to_string()).collect();
        assert_eq!(hrefs, result_links(&page), "{}", app.backend);
        assert_eq!((v["total"].as_i64(), v["page"].as_i64(), v["per_page"].as_i64()), (Some(3), Some(1), Some(20)), "{}: {v}", app.backend);
        let person = v["items"].as_array().unwrap().iter().find(|i| i["kind"] == "natural").unwrap();
        assert_eq!((person["name"].as_str(), person["code"].as_str()), (Some("张鑫源"), Some("4109**********0013")));
        assert_eq!(person["listed_debtor"], true);
        // Pages through the list helper's parameters.
        let v: serde_json::Value = api("q=鑫源&per_page=2").await.json().await.unwrap();
        assert_eq!((v["items"].as_array().unwrap().len(), v["total"].as_i64()), (2, Some(3)));
        let v: serde_json::Value = api("q=鑫源&per_page=2&page=2").await.json().await.unwrap();
        assert_eq!(v["items"].as_array().unwrap().len(), 1);
        assert_eq!(v["items"][0]["href"].as_str(), Some(hrefs[2].as_str()));
        let v: serde_json::Value = api("q=鑫源&page=9").await.json().await.unwrap();
        assert!(v["items"].as_array().unwrap().is_empty() && v["total"] == 3);
        // A code typed in full, any case.
        let v: serde_json::Value =
            public.get(app.url(&format!("/api/v1/credit/subjects?q={}", b.to_lowercase()))).send().await.unwrap().json().await.unwrap();
        assert_eq!(v["items"][0]["name"], "清丰县鑫源物流有限公司", "{}", app.backend);
        // Bad input: Chinese messages with stable codes, never a 500.
        let long = format!("q={}", "鑫".repeat(101));
        let long: &'static str = Box::leak(long.into_boxed_str());
        for (query, code) in [
            ("", "credit.query_short"),
            ("q=鑫", "credit.query_short"),
            ("q=鑫源&page=0", "list.page"),
            ("q=鑫源&per_page=abc", "list.per_page"),
            ("q=鑫源&per_page=500", "list.per_page"),
            ("q=鑫源&sort=name", "list.sort"),
            (long, "list.q"),
        ] {
            let r = api(query).await;
            assert_eq!(r.status(), 400, "{}: {query}", app.backend);
            let e: serde_json::Value = r.json().await.unwrap();
            assert_eq!(e["error"]["code"], code, "{query}");
            assert!(e["error"]["message"].as_str().unwrap().chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)), "{query}: in Chinese");
        }
        app.stop().await;
    }
}

#[tokio::test]
async fn a_person_sees_their_own_profile_after_identifying_themselves() {
    for app in apps().await {
        let scjg = dept(&app).await;
        let push_token = token(&app, "scjg").await;
        let id = "41092219450315002X";
        push(&app, &push_token, &[penalty("李四", "自然人", ("CF_XDR_ZJHM", id), "清市监罚〔2025〕51号", &scjg)]).await;
        let c = app.client();
        let page = c.get(app.url("/credit/me")).send().await.unwrap();
        assert_eq!(page.headers()["cache-control"], "no-store");
        let page = page.text().await.unwrap();
        assert!(page.contains("本平台未接入实名认证") && page.contains("real_name_provider"), "{}: the page says so plainly", app.backend);
        let csrf = crate::harness::extract_csrf(&page).unwrap();
        let ask = |name: &str, number: &str| {
            c.post(app.url("/credit/me")).form(&[("csrf", csrf.as_str()), ("name", name), ("id_number", number)]).send()
        };
        // Their own name and ID (lower-case x accepted): records in publicity, ID masked.
        let r = ask("李四", "41092219450315002x").await.unwrap();
        assert_eq!(r.status(), 200, "{}", app.backend);
        assert_eq!(r.headers()["cache-control"], "no-store");
        let html = r.text().await.unwrap();
        assert!(html.contains("清市监罚〔2025〕51号") && html.contains("4109**********002X") && !html.contains(id), "{}", app.backend);
        // A wrong name for a known ID and an unknown ID: the same answer.
        let r = ask("王五", id).await.unwrap();
        assert_eq!(r.status(), 404);
        let wrong_name = r.text().await.unwrap();
        let r = ask("王五", "410922195001010013").await.unwrap();
        assert_eq!(r.status(), 404);
        let unknown = r.text().await.unwrap();
        assert!(wrong_name.contains("credit.self_not_found"), "{}", app.backend);
        assert_eq!(wrong_name, unknown, "{}: no answer tells whether an ID exists", app.backend);
        // Bad input: Chinese messages with stable codes, never a 500.
        for (name, number, code) in [
            ("李四", "410922194503150021", "id.check_digit"),
            ("李四", "4109", "id.length"),
            ("", id, "credit.name_required"),
            ("李四", "", "credit.id_required"),
        ] {
            let r = ask(name, number).await.unwrap();
            assert_eq!(r.status(), 400, "{number}");
            let body = r.text().await.unwrap();
            assert!(body.contains(code), "{}: {number} → {code}", app.backend);
        }
        let r = c.post(app.url("/credit/me")).form(&[("name", "李四"), ("id_number", id)]).send().await.unwrap();
        assert_eq!(r.status(), 403, "no CSRF token");
        // Every attempt is in the audit chain, without the ID number.
        let rows: Vec<(String, String)> = qingfeng_platform::on_db!(&app.db, |p| sqlx::query_as(
            "SELECT entity_id, detail FROM audit_log WHERE action = 'credit.self_lookup' ORDER BY seq"
        )
        .fetch_all(p)
        .await)
        .unwrap();
        assert_eq!(rows.len(), 3, "{}", app.backend);
        assert!(rows[0].1.contains("\"matched\":true") && rows[1].1.contains("\"matched\":false"));
        assert!(rows.iter().all(|(e, d)| !d.contains("4109221945") && !e.contains("4109221945")));
        // Throttled per ID like a login: after repeated failures even the right name waits.
        for _ in 0..5 {
            ask("王五", id).await.unwrap();
        }
        let r = ask("李四", id).await.unwrap();
        assert_eq!(r.status(), 429, "{}", app.backend);
        assert!(r.text().await.unwrap().contains("credit.self_throttled"));
        app.stop().await;
    }
}

#[tokio::test]
async fn on_a_phone_the_public_searches_opens_a_profile_and_looks_itself_up() {
    use fantoccini::Locator;
    let Some((b, _driver)) = crate::browser::browser().await else { return };
    let app = TestApp::start_with(qingfeng_platform::testing::sqlite().await.unwrap(), 200).await;
    let shots = crate::browser::screenshot_dir();
    let fits = |what: &'static str| {
        let b = b.clone();
        async move {
            let width = b.execute("return document.documentElement.scrollWidth", vec![]).await.unwrap();
            assert!(width.as_i64().unwrap() <= 390, "{what} is {width}px wide on a 390px window");
        }
    };
    b.set_window_size(390, 844).await.unwrap();
    // Search by part of a name, open the first enterprise.
    b.goto(&app.url("/credit")).await.unwrap();
    b.find(Locator::Css("input[name='q']")).await.unwrap().send_keys("清丰县").await.unwrap();
    b.find(Locator::Css("form.filters button")).await.unwrap().click().await.unwrap();
    b.wait().for_element(Locator::Id("credit-results")).await.unwrap();
    fits("the results").await;
    std::fs::write(shots.join("credit-search-390x844.png"), b.screenshot().await.unwrap()).unwrap();
    b.find(Locator::Css("#credit-results a[href^='/credit/subjects/']")).await.unwrap().click().await.unwrap();
    let card = b.wait().for_element(Locator::Id("credit-profile")).await.unwrap().text().await.unwrap();
    assert!(card.contains("统一社会信用代码"), "{card}");
    fits("the profile").await;
    std::fs::write(shots.join("credit-profile-390x844.png"), b.screenshot().await.unwrap()).unwrap();
    // A credit report from the profile: every group of the standard, on a phone too.
    b.find(Locator::Id("issue-report")).await.unwrap().click().await.unwrap();
    let report = b.wait().for_element(Locator::Id("credit-report")).await.unwrap().text().await.unwrap();
    assert!(report.contains("本报告由本平台出具") && report.contains("V2.0") && report.contains("8. 其他"), "{report}");
    fits("the report").await;
    std::fs::write(shots.join("credit-report-390x844.png"), b.screenshot().await.unwrap()).unwrap();
    // The listed demo person: public with the ID masked, the list entry only.
    b.goto(&app.url(&format!("/credit?q={}", qingfeng::demo::DEMO_PERSON_NAME))).await.unwrap();
    b.find(Locator::Css("#credit-results a[href^='/credit/persons/']")).await.unwrap().click().await.unwrap();
    let card = b.wait().for_element(Locator::Id("credit-person")).await.unwrap().text().await.unwrap();
    assert!(card.contains("4109**********0013") && card.contains("失信被执行人"), "{card}");
    fits("the person").await;
    std::fs::write(shots.join("credit-person-390x844.png"), b.screenshot().await.unwrap()).unwrap();
    // /credit/me from the search page's link: a wrong name, then the right one.
    b.goto(&app.url("/credit")).await.unwrap();
    b.find(Locator::Id("credit-me-link")).await.unwrap().click().await.unwrap();
    b.wait().for_element(Locator::Id("real-name-notice")).await.unwrap();
    fits("the self-lookup form").await;
    std::fs::write(shots.join("credit-me-390x844.png"), b.screenshot().await.unwrap()).unwrap();
    let ask = |name: &'static str| {
        let b = b.clone();
        async move {
            b.find(Locator::Css("input[name='name']")).await.unwrap().clear().await.unwrap();
            b.find(Locator::Css("input[name='name']")).await.unwrap().send_keys(name).await.unwrap();
            b.find(Locator::Css("input[name='id_number']")).await.unwrap().send_keys(qingfeng::demo::DEMO_PERSON_ID).await.unwrap();
            b.find(Locator::Id("credit-me-submit")).await.unwrap().click().await.unwrap();
        }
    };
    ask("王五").await;
    let error = b.wait().for_element(Locator::Id("me-error")).await.unwrap().text().await.unwrap();
    assert!(error.contains("未找到") && error.contains("credit.self_not_found"), "{error}");
    std::fs::write(shots.join("credit-me-error-390x844.png"), b.screenshot().await.unwrap()).unwrap();
    ask(qingfeng::demo::DEMO_PERSON_NAME).await;
    let card = b.wait().for_element(Locator::Id("credit-me-profile")).await.unwrap().text().await.unwrap();
    assert!(card.contains("4109**********0013") && card.contains("失信被执行人"), "{card}");
    fits("the own profile").await;
    std::fs::write(shots.join("credit-me-profile-390x844.png"), b.screenshot().await.unwrap()).unwrap();
    b.close().await.unwrap();
    app.stop().await;
}
