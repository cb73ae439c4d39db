//! The credit platform's import doors: the upload page and the push API, on both
//! databases, with department limits.

use qingfeng_platform::audit::Actor;
use qingfeng_platform::{session, users};

use crate::harness::{PW, TestApp, apps};

async fn dept_code(app: &TestApp, c: &reqwest::Client, name: &str) -> String {
    let orgs: serde_json::Value = c.get(app.url("/api/v1/orgs")).query(&[("q", name)]).send().await.unwrap().json().await.unwrap();
    orgs["items"][0]["uscc"].as_str().unwrap().to_string()
}

fn firm() -> String {
    let body = "MA40AB12";
    let org = qingfeng_core::gb11714_check_char(body).unwrap();
    let first17 = format!("91410922{body}{org}");
    format!("{first17}{}", qingfeng_core::uscc_check_char(&first17).unwrap())
}

fn cf(doc: &str, dept: &str) -> serde_json::Value {
    serde_json::json!({
        "CF_XDR_MC": "清丰县鑫源建材有限公司", "CF_XDR_LB": "法人及非法人组织", "CF_XDR_SHXYM": firm(),
        "CF_WSH": doc, "CF_WFXW": "无证经营", "CF_SY": "无证经营食品", "CF_YJ": "《中华人民共和国食品安全法》第一百二十二条",
        "CF_CFLB": "罚款", "CF_NR": "罚款一万元", "CF_NR_FK": "1", "CF_JDRQ": "2025/05/06", "CF_YXQ": "2026/05/06",
        "CF_CFJG": "清丰县市场监督管理局", "CF_CFJGDM": dept, "CF_SJLY": "清丰县市场监督管理局", "CF_SJLYDM": dept
    })
}

#[tokio::test]
async fn departments_push_their_own_records_through_the_api() {
    for app in apps().await {
        let county = app.login("county", PW).await;
        let scjg_code = dept_code(&app, &county, "清丰县市场监督管理局").await;
        let other_code = dept_code(&app, &county, "清丰县应急管理局").await;
        let scjg = users::by_username(&app.db, "scjg").await.unwrap().unwrap();
        let known = qingfeng_platform::web::all_permissions(&qingfeng::modules());
        let (_, token) = session::create_token(
            &app.db,
            session::Issuer::Operator,
            scjg.id,
            "市场监管推送",
            &["credit.import".into()],
            &known,
            None,
            &Actor::System("test"),
            0,
        )
        .await
        .unwrap();
        let c = reqwest::Client::new();
        let body = serde_json::json!([cf("清市监罚〔2025〕1号", &scjg_code), cf("清市监罚〔2025〕2号", &other_code), {"CF_XDR_MC": ""}]);
        let r = c.post(app.url("/api/v1/credit/records?kind=cf")).bearer_auth(&token).json(&body).send().await.unwrap();
        assert_eq!(r.status(), 200, "{}", app.backend);
        let a: serde_json::Value = r.json().await.unwrap();
        assert_eq!((a["read"].as_u64(), a["stored"].as_u64(), a["rejected"].as_u64()), (Some(3), Some(1), Some(2)), "{}: {a}", app.backend);
        assert_eq!(a["rejects"][0]["line"], 2);
        assert_eq!(a["rejects"][0]["errors"][0]["code"], "row.source_dept", "another department's record is refused");
        assert_eq!(a["rejects"][1]["errors"][0]["code"], "row.required");
        // Pushing again stores nothing twice.
        let a: serde_json::Value =
            c.post(app.url("/api/v1/credit/records?kind=cf")).bearer_auth(&token).json(&body).send().await.unwrap().json().await.unwrap();
        assert_eq!((a["stored"].as_u64(), a["duplicate"].as_u64()), (Some(0), Some(1)), "{}", app.backend);
        // Bad requests: Chinese errors with codes, never a 500.
        for (query, payload, code) in [
            ("kind=zz", "[]".to_string(), "credit.kind"),
            ("kind=cf", "[1, 2".to_string(), "request.json"),
            ("kind=cf", "[]".to_string(), "credit.empty"),
        ] {
            let r = c.post(app.url(&format!("/api/v1/credit/records?{query}"))).bearer_auth(&token).body(payload).send().await.unwrap();
            assert_eq!(r.status(), 400, "{query}");
            assert_eq!(r.json::<serde_json::Value>().await.unwrap()["error"]["code"], code);
        }
        // A token without the permission, and a grid worker, may not push.
        let grid01 = users::by_username(&app.db, "grid01").await.unwrap().unwrap();
        let (_, weak) =
            session::create_token(&app.db, session::Issuer::Operator, grid01.id, "x", &[], &known, None, &Actor::System("test"), 0)
                .await
                .unwrap();
        let r = c.post(app.url("/api/v1/credit/records?kind=cf")).bearer_auth(&weak).json(&body).send().await.unwrap();
        assert_eq!(r.status(), 403);
        let imports: serde_json::Value =
            c.get(app.url("/api/v1/credit/imports")).bearer_auth(&token).send().await.unwrap().json().await.unwrap();
        assert_eq!(imports.as_array().unwrap().len(), 2, "{}", app.backend);
        assert_eq!(imports[0]["door"], "api");
        app.stop().await;
    }
}

#[tokio::test]
async fn department_staff_upload_a_file_on_the_page() {
    for app in apps().await {
        let county = app.login("county", PW).await;
        let scjg_code = dept_code(&app, &county, "清丰县市场监督管理局").await;
        let staff = app.login("scjg", PW).await;
        let page = staff.get(app.url("/console")).send().await.unwrap().text().await.unwrap();
        assert!(page.contains("/console/credit/imports"), "the console offers the import page");
        let csrf = app.csrf_from(&staff, "/console/credit/imports").await;
        let lines: Vec<String> = [cf("清市监罚〔2025〕7号", &scjg_code), cf("清市监罚〔2025〕8号", "91410922MA40AB1210")]
            .iter()
            .map(|v| v.to_string())
            .collect();
        let form = reqwest::multipart::Form::new()
            .text("csrf", csrf.clone())
            .text("kind", "cf")
            .part("file", reqwest::multipart::Part::bytes(lines.join("\n").into_bytes()).file_name("cf.jsonl"));
        let r = staff.post(app.url("/console/credit/imports")).multipart(form).send().await.unwrap();
        assert_eq!(r.status(), 200, "{}", app.backend);
        let html = r.text().await.unwrap();
        assert!(html.contains("read=2 stored=1 updated=0 duplicate=0 rejected=1"), "{}", app.backend);
        assert!(html.contains("第 2 行") || html.contains("uscc.check_digit"), "the rejected row is shown with its reason");
        // The department's import list says who, when, through which door, how long, and the file's hash.
        let list = staff.get(app.url("/console/credit/imports")).send().await.unwrap().text().await.unwrap();
        for shown in ["网页上传", "已完成", "用时", "SHA-256", "cf.jsonl"] {
            assert!(list.contains(shown), "{}: {shown} in {list}", app.backend);
        }
        // No CSRF token, no import; a broken workbook gets a clear answer.
        let form = reqwest::multipart::Form::new()
            .text("kind", "cf")
            .part("file", reqwest::multipart::Part::bytes(b"x".to_vec()).file_name("a.csv"));
        let r = staff.post(app.url("/console/credit/imports")).multipart(form).send().await.unwrap();
        assert_eq!(r.status(), 403);
        let form = reqwest::multipart::Form::new()
            .text("csrf", csrf)
            .text("kind", "cf")
            .part("file", reqwest::multipart::Part::bytes(b"PK\x03\x04".to_vec()).file_name("a.xlsx"));
        let r = staff.post(app.url("/console/credit/imports")).multipart(form).send().await.unwrap();
        assert_eq!(r.status(), 400);
        let html = r.text().await.unwrap();
        assert!(html.contains("import.xlsx_unreadable") && html.contains("不是可读取的 Excel 工作簿"), "{html}");
        // Township staff have no import page.
        let cg = app.login("chengguan", PW).await;
        assert_eq!(cg.get(app.url("/console/credit/imports")).send().await.unwrap().status(), 403);
        app.stop().await;
    }
}

#[tokio::test]
async fn the_public_finds_enterprises_and_their_records_in_publicity_only() {
    for app in apps().await {
        let county = app.login("county", PW).await;
        let scjg_code = dept_code(&app, &county, "清丰县市场监督管理局").await;
        let csrf = app.csrf_from(&county, "/console/credit/imports").await;
        let mut old = cf("清市监罚〔2022〕5号", &scjg_code);
        old["CF_JDRQ"] = "2022/01/05".into();
        old["CF_WFXW"] = "旧的违法行为".into();
        let person = serde_json::json!({
            "CF_XDR_MC": "张三", "CF_XDR_LB": "自然人", "CF_XDR_ZJLX": "身份证", "CF_XDR_ZJHM": "410922195001010013",
            "CF_WSH": "清市监罚〔2025〕99号", "CF_WFXW": "无证经营", "CF_SY": "无证经营", "CF_YJ": "《食品安全法》",
            "CF_CFLB": "警告", "CF_NR": "警告", "CF_JDRQ": "2025/05/06", "CF_YXQ": "2026/05/06",
            "CF_CFJG": "清丰县市场监督管理局", "CF_CFJGDM": scjg_code, "CF_SJLY": "清丰县市场监督管理局", "CF_SJLYDM": scjg_code
        });
        let lines: Vec<String> = [cf("清市监罚〔2025〕3号", &scjg_code), old, person].iter().map(|v| v.to_string()).collect();
        let form = reqwest::multipart::Form::new()
            .text("csrf", csrf)
            .text("kind", "cf")
            .part("file", reqwest::multipart::Part::bytes(lines.join("\n").into_bytes()).file_name("cf.jsonl"));
        let html = county.post(app.url("/console/credit/imports")).multipart(form).send().await.unwrap().text().await.unwrap();
        assert!(html.contains("stored=3"), "{}", app.backend);

        let public = app.client();
        // The home tile now leads to the lookup.
        let home = public.get(app.url("/")).send().await.unwrap().text().await.unwrap();
        assert!(home.contains("href=\"/credit\""), "{}", app.backend);
        // The search index is brought up to date by a job right after the import.
        crate::credit_public::eventually(&app, &public, "/credit?q=鑫源", "清丰县鑫源建材有限公司").await;
        let page = public.get(app.url(&format!("/credit?q={}", firm().to_lowercase()))).send().await.unwrap().text().await.unwrap();
        assert!(page.contains("清丰县鑫源建材有限公司"), "by code, any case");
        // People are not searchable by the public.
        let page = public.get(app.url("/credit?q=张三")).send().await.unwrap().text().await.unwrap();
        assert!(!page.contains("/credit/subjects/"), "{}", app.backend);
        // The profile shows what is in publicity, not the record whose period is over.
        let profile = public.get(app.url(&format!("/credit/subjects/{}", firm()))).send().await.unwrap().text().await.unwrap();
        assert!(profile.contains("清市监罚〔2025〕3号") && !profile.contains("旧的违法行为"), "{}", app.backend);
        let api: serde_json::Value =
            public.get(app.url(&format!("/api/v1/credit/subjects/{}", firm()))).send().await.unwrap().json().await.unwrap();
        assert_eq!(api["penalties"].as_array().unwrap().len(), 1, "{}: {api}", app.backend);
        assert_eq!(api["subject"]["published"], 1);
        assert_eq!((api["lists"].as_array().map(Vec::len), api["labels"].as_array().map(Vec::len)), (Some(0), Some(0)), "on no list");
        // The JSON carries the record's fields of the standard, as the page shows them.
        assert_eq!(api["penalties"][0]["fields"]["CF_WSH"], "清市监罚〔2025〕3号", "{}: {api}", app.backend);
        // Bad and unknown codes: Chinese errors with codes.
        let r = public.get(app.url("/api/v1/credit/subjects/91410922MA40AB1210")).send().await.unwrap();
        assert_eq!(r.status(), 400);
        assert_eq!(r.json::<serde_json::Value>().await.unwrap()["error"]["code"], "uscc.check_digit");
        let r = public
            .get(app.url(&format!("/api/v1/credit/subjects/{}", dept_code(&app, &county, "清丰县应急管理局").await)))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 404);
        assert_eq!(r.json::<serde_json::Value>().await.unwrap()["error"]["code"], "credit.subject_not_found");
        app.stop().await;
    }
}

#[tokio::test]
async fn data_quality_shows_timeliness_per_department() {
    for app in apps().await {
        let county = app.login("county", PW).await;
        let scjg_code = dept_code(&app, &county, "清丰县市场监督管理局").await;
        let yesterday = (chrono::Utc::now().with_timezone(&qingfeng_core::CHINA_STANDARD_TIME).date_naive() - chrono::Days::new(1))
            .format("%Y/%m/%d")
            .to_string();
        let mut fresh = cf("清市监罚〔2026〕1号", &scjg_code);
        fresh["CF_JDRQ"] = yesterday.clone().into();
        fresh["CF_YXQ"] = "2099/12/31".into();
        let late = cf("清市监罚〔2025〕4号", &scjg_code);
        let lines: Vec<String> = [fresh, late].iter().map(|v| v.to_string()).collect();
        let csrf = app.csrf_from(&county, "/console/credit/imports").await;
        let form = reqwest::multipart::Form::new()
            .text("csrf", csrf)
            .text("kind", "cf")
            .part("file", reqwest::multipart::Part::bytes(lines.join("\n").into_bytes()).file_name("cf.jsonl"));
        let html = county.post(app.url("/console/credit/imports")).multipart(form).send().await.unwrap().text().await.unwrap();
        assert!(html.contains("stored=2"), "{}", app.backend);
        // A fresh 信用承诺 from the same department: in the record counts, labelled by
        // kind, but not in the 双公示 timeliness share (it has no 7-working-day limit).
        let commitment = serde_json::json!({
            "subject_name": "清丰县鑫源建材有限公司", "subject_kind": "法人及非法人组织", "uscc": firm(),
            "commitment_type": "审批替代型", "commitment_code": "CN-2026-1", "commitment_date": yesterday.replace('/', "-"),
            "accepting_unit": "清丰县市场监督管理局", "accepting_unit_uscc": scjg_code, "content": "按期补交材料",
            "performance_status": "全部履行", "source_dept_name": "清丰县市场监督管理局", "source_dept_uscc": scjg_code
        });
        let csrf = app.csrf_from(&county, "/console/credit/imports").await;
        let form = reqwest::multipart::Form::new()
            .text("csrf", csrf)
            .text("kind", "commitment")
            .part("file", reqwest::multipart::Part::bytes(commitment.to_string().into_bytes()).file_name("commitment.jsonl"));
        let html = county.post(app.url("/console/credit/imports")).multipart(form).send().await.unwrap().text().await.unwrap();
        assert!(html.contains("stored=1"), "{}: {html}", app.backend);
        let page = county.get(app.url("/console/credit/quality")).send().await.unwrap().text().await.unwrap();
        assert!(page.contains("清丰县市场监督管理局") && page.contains("50.0%"), "{}: one of two 双公示 on time", app.backend);
        assert!(!page.contains("66.7%"), "{}: the commitment does not count in the share", app.backend);
        assert!(page.contains("行政处罚 2") && page.contains("信用承诺 1"), "{}: counts by kind", app.backend);
        assert!(page.contains("id=\"q-records\">3<") && page.contains("<svg"), "{}", app.backend);
        // Department staff see their own department; township staff have no such page.
        let staff = app.login("scjg", PW).await;
        let page = staff.get(app.url("/console/credit/quality")).send().await.unwrap().text().await.unwrap();
        assert!(page.contains("50.0%"), "{}", app.backend);
        let cg = app.login("chengguan", PW).await;
        assert_eq!(cg.get(app.url("/console/credit/quality")).send().await.unwrap().status(), 403);
        app.stop().await;
    }
}

#[tokio::test]
async fn the_demo_county_has_synthetic_credit_records_to_browse() {
    let app = TestApp::start_with(qingfeng_platform::testing::sqlite().await.unwrap(), 300).await;
    let (records, subjects) = qingfeng_credit::store::totals(&app.db, "410922").await.unwrap();
    assert_eq!(records, 600);
    assert!(subjects > 0);
    let page = app.client().get(app.url("/credit?q=清丰县")).send().await.unwrap().text().await.unwrap();
    assert!(page.contains("/credit/subjects/"), "the lookup finds demo enterprises");
    // Starting again loads nothing twice.
    let state = qingfeng::build_state_with(
        qingfeng_platform::config::Config {
            data_dir: tempfile::tempdir().unwrap().keep(),
            database_url: app.running.as_ref().unwrap().state.cfg.effective_database_url(),
            ..Default::default()
        },
        qingfeng_platform::Clock::System,
        true,
        qingfeng::DemoVolume { credit_records: 300, ..qingfeng::DEMO_ACCOUNTS_ONLY },
    )
    .await
    .unwrap();
    assert_eq!(qingfeng_credit::store::totals(&state.db, "410922").await.unwrap().0, 600);
    app.stop().await;
}

#[tokio::test]
async fn anyone_issues_a_credit_report_and_anyone_can_verify_it() {
    for app in apps().await {
        let county = app.login("county", PW).await;
        let scjg_code = dept_code(&app, &county, "清丰县市场监督管理局").await;
        let csrf = app.csrf_from(&county, "/console/credit/imports").await;
        let form = reqwest::multipart::Form::new().text("csrf", csrf).text("kind", "cf").part(
            "file",
            reqwest::multipart::Part::bytes(cf("清市监罚〔2025〕21号", &scjg_code).to_string().into_bytes()).file_name("cf.jsonl"),
        );
        county.post(app.url("/console/credit/imports")).multipart(form).send().await.unwrap();
        // A 信用承诺 and a black-list entry: the report carries the whole profile.
        let commitment = serde_json::json!({
            "subject_name": "清丰县鑫源建材有限公司", "subject_kind": "法人及非法人组织", "uscc": firm(),
            "commitment_type": "审批替代型", "commitment_code": "CN-2026-7", "commitment_date": "2026-03-02",
            "accepting_unit": "清丰县市场监督管理局", "accepting_unit_uscc": scjg_code, "content": "按期补交材料",
            "performance_status": "全部履行", "source_dept_name": "清丰县市场监督管理局", "source_dept_uscc": scjg_code
        });
        let csrf = app.csrf_from(&county, "/console/credit/imports").await;
        let form = reqwest::multipart::Form::new()
            .text("csrf", csrf)
            .text("kind", "commitment")
            .part("file", reqwest::multipart::Part::bytes(commitment.to_string().into_bytes()).file_name("c.jsonl"));
        let html = county.post(app.url("/console/credit/imports")).multipart(form).send().await.unwrap().text().await.unwrap();
        assert!(html.contains("stored=1"), "{}: {html}", app.backend);
        let known = qingfeng_platform::web::all_permissions(&qingfeng::modules());
        let credit = users::by_username(&app.db, "credit").await.unwrap().unwrap();
        let (_, office) =
            session::create_token(&app.db, session::Issuer::Operator, credit.id, "credit", &[], &known, None, &Actor::System("test"), 0)
                .await
                .unwrap();
        let r = reqwest::Client::new()
            .post(app.url("/api/v1/credit/lists"))
            .bearer_auth(&office)
            .json(&serde_json::json!({"kind": "black", "code": firm(), "name": "清丰县鑫源建材有限公司", "basis": "严重违法失信行为", "authority": "清丰县市场监督管理局", "source_ref": "清市监列〔2026〕1号", "listed_on": "2026-01-10", "ends_on": "2029-01-10"}))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 200, "{}", app.backend);

        // A member of the public, from the profile page.
        let public = app.client();
        let csrf = app.csrf_from(&public, &format!("/credit/subjects/{}", firm())).await;
        let r = public.post(app.url(&format!("/credit/subjects/{}/report", firm()))).form(&[("csrf", csrf.as_str())]).send().await.unwrap();
        assert_eq!(r.status(), 303, "{}", app.backend);
        let location = r.headers()["location"].to_str().unwrap().to_string();
        let number = location.rsplit('/').next().unwrap().to_string();
        assert!(number.starts_with("QF410922") && number.len() == 26, "{number}");
        let page = public.get(app.url(&location)).send().await.unwrap().text().await.unwrap();
        assert!(
            page.contains("本报告由本平台出具") && page.contains("清市监罚〔2025〕21号") && page.contains("清丰县鑫源建材有限公司"),
            "{}",
            app.backend
        );
        // Header, every group in the standard order (empty ones as 无), labels and lists.
        for text in ["报告编号", "生成时间", "（北京时间）", "版本", "V2.0", "出具单位", "清丰县社会信用信息平台", "失信惩戒对象"]
        {
            assert!(page.contains(text), "{}: {text}", app.backend);
        }
        let mut at = 0;
        for (i, g) in ["行政管理", "诚实守信", "严重失信", "经营异常", "信用承诺", "信用评价", "司法判决", "其他"].iter().enumerate()
        {
            let heading = format!("{}. {g}", i + 1);
            let pos = page.find(&heading).unwrap_or_else(|| panic!("{}: {heading}", app.backend));
            assert!(pos > at, "{}: {g} in order", app.backend);
            at = pos;
        }
        assert!(page.contains("<p class=\"muted\">无</p>"), "{}: empty groups say 无", app.backend);
        assert!(
            page.contains("严重违法失信行为") && page.contains("2026-01-10 至 2029-01-10") && page.contains("信用承诺（审批替代型）"),
            "{}: the list entry with basis and period, and the commitment",
            app.backend
        );
        let v: serde_json::Value =
            public.get(app.url(&format!("/api/v1/credit/reports/{number}"))).send().await.unwrap().json().await.unwrap();
        assert_eq!(v["genuine"], true);
        assert_eq!(v["content_sha256"].as_str().unwrap().len(), 64);
        assert_eq!(v["content"]["version"], "V2.0");
        assert_eq!(v["content"]["groups"].as_array().unwrap().len(), 8);
        assert_eq!(v["content"]["labels"][0], "失信惩戒对象");
        // 生成时间 is Beijing time.
        let issued = chrono::NaiveDateTime::parse_from_str(v["content"]["issued_at"].as_str().unwrap(), "%Y-%m-%d %H:%M:%S").unwrap();
        let beijing = chrono::Utc::now().with_timezone(&qingfeng_core::CHINA_STANDARD_TIME).naive_local();
        assert!((beijing - issued).num_seconds().abs() < 300, "{}: {issued} vs {beijing}", app.backend);

        // A report issued before reports carried the whole profile (format V1.0, no
        // version field), stored as it was: it still verifies and shows what it said.
        let v1_number = "QF41092220260101120000ABCD";
        let v1 = format!(
            r#"{{"number":"{v1_number}","issued_by":"清丰县社会信用信息平台","issued_at":"2026-01-01 12:00:00","subject_name":"清丰县鑫源建材有限公司","uscc":"{}","subject_kind":"法人及非法人组织","permits":[],"penalties":[{{"doc_no":"清市监罚〔2025〕9号","title":"无证经营","detail":"罚款","decision_date":"2025-05-06","authority":"清丰县市场监督管理局","severity":"一般","amount_yuan":"10000.00","publicity_until":"2028-05-06"}}]}}"#,
            firm()
        );
        let old = qingfeng_credit::store::Report {
            number: v1_number.into(),
            subject_id: 1,
            content_sha256: qingfeng_credit::web::public::content_sha256(&v1),
            content: v1,
            created_at: 0,
        };
        qingfeng_credit::store::insert_report(&app.db, "410922", &old, &Actor::System("test")).await.unwrap();
        let page = public.get(app.url(&format!("/credit/reports/{v1_number}"))).send().await.unwrap().text().await.unwrap();
        assert!(page.contains("本报告由本平台出具") && page.contains("清市监罚〔2025〕9号"), "{}: {page}", app.backend);
        assert!(page.contains("V1.0") && page.contains("行政管理 · 行政许可"), "{}: shown as issued", app.backend);
        let v: serde_json::Value =
            public.get(app.url(&format!("/api/v1/credit/reports/{v1_number}"))).send().await.unwrap().json().await.unwrap();
        assert_eq!((v["genuine"].as_bool(), v["content"]["version"].as_str()), (Some(true), Some("V1.0")), "{}", app.backend);
        // A report edited in the database no longer verifies.
        qingfeng_platform::on_db!(&app.db, |p| sqlx::query("UPDATE credit_reports SET content = REPLACE(content, '21号', '22号')")
            .execute(p)
            .await
            .map(|_| ()))
        .unwrap();
        let page = public.get(app.url(&location)).send().await.unwrap().text().await.unwrap();
        assert!(page.contains("报告内容与签发时不符"), "{}", app.backend);
        // Unknown and malformed numbers; no report without the form token.
        let r = public.get(app.url("/api/v1/credit/reports/QF410922202601010000000000")).send().await.unwrap();
        assert_eq!(
            (r.status().as_u16(), r.json::<serde_json::Value>().await.unwrap()["error"]["code"].as_str().unwrap().to_string()),
            (404, "credit.report_not_found".into())
        );
        let r = public.get(app.url("/api/v1/credit/reports/a'b")).send().await.unwrap();
        assert_eq!(r.status(), 400);
        let r = public.post(app.url(&format!("/credit/subjects/{}/report", firm()))).form(&[("csrf", "x")]).send().await.unwrap();
        assert_eq!(r.status(), 403);
        app.stop().await;
    }
}

#[tokio::test]
async fn lists_and_the_joint_check() {
    for app in apps().await {
        let known = qingfeng_platform::web::all_permissions(&qingfeng::modules());
        let token_for = |name: &'static str| {
            let (db, known) = (app.db.clone(), known.clone());
            async move {
                let u = users::by_username(&db, name).await.unwrap().unwrap();
                session::create_token(&db, session::Issuer::Operator, u.id, name, &[], &known, None, &Actor::System("test"), 0)
                    .await
                    .unwrap()
                    .1
            }
        };
        let office = token_for("credit").await;
        let bank = token_for("bank").await;
        let c = reqwest::Client::new();
        let add = |body: serde_json::Value| c.post(app.url("/api/v1/credit/lists")).bearer_auth(&office).json(&body).send();
        let r = add(serde_json::json!({"kind": "black", "code": firm(), "name": "清丰县鑫源建材有限公司", "basis": "严重违法失信行为", "authority": "清丰县市场监督管理局", "source_ref": "清市监列〔2026〕1号", "listed_on": "2026-01-10", "ends_on": "2029-01-10"})).await.unwrap();
        assert_eq!(r.status(), 200, "{}", app.backend);
        let a: serde_json::Value = r.json().await.unwrap();
        assert_eq!(a["created"], true);
        // The same entry twice is stored once; an ended entry does not count.
        let a: serde_json::Value = add(serde_json::json!({"kind": "black", "code": firm(), "name": "清丰县鑫源建材有限公司", "basis": "严重违法失信行为", "authority": "清丰县市场监督管理局", "source_ref": "清市监列〔2026〕1号", "listed_on": "2026-01-10", "ends_on": "2029-01-10"})).await.unwrap().json().await.unwrap();
        assert_eq!(a["created"], false);
        add(serde_json::json!({"kind": "abnormal", "code": firm(), "name": "清丰县鑫源建材有限公司", "basis": "未按期公示年报", "authority": "清丰县市场监督管理局", "source_ref": "旧1号", "listed_on": "2020-01-10", "ends_on": "2021-01-10"})).await.unwrap();
        add(serde_json::json!({"kind": "dishonest_debtor", "code": "410922195001010013", "name": "张三", "basis": "有履行能力而拒不履行生效法律文书确定义务", "authority": "清丰县人民法院", "source_ref": "(2026)豫0922执100号", "listed_on": "2026-03-01"})).await.unwrap();

        // A bank checks an enterprise and a person.
        let ans: serde_json::Value =
            c.get(app.url(&format!("/api/v1/credit/check?code={}", firm()))).bearer_auth(&bank).send().await.unwrap().json().await.unwrap();
        assert_eq!(ans["lists"].as_array().unwrap().len(), 1, "{}: {ans}", app.backend);
        assert_eq!(ans["lists"][0]["kind"], "black");
        assert_eq!(ans["labels"][0], "失信惩戒对象");
        let ans: serde_json::Value =
            c.get(app.url("/api/v1/credit/check?code=410922195001010013")).bearer_auth(&bank).send().await.unwrap().json().await.unwrap();
        assert_eq!(ans["code"], "4109**********0013", "the ID is never echoed in full");
        assert_eq!(ans["lists"][0]["kind"], "dishonest_debtor");
        assert_eq!(ans["lists"][0]["measures"].as_array().unwrap().len(), 7);
        let ans: serde_json::Value =
            c.get(app.url("/api/v1/credit/check?code=91410922MA40AB1210")).bearer_auth(&bank).send().await.unwrap().json().await.unwrap();
        assert_eq!(ans["error"]["code"], "uscc.check_digit");
        let other = {
            let body = "MA40CD34";
            let org = qingfeng_core::gb11714_check_char(body).unwrap();
            let first17 = format!("91410922{body}{org}");
            format!("{first17}{}", qingfeng_core::uscc_check_char(&first17).unwrap())
        };
        let ans: serde_json::Value =
            c.get(app.url(&format!("/api/v1/credit/check?code={other}"))).bearer_auth(&bank).send().await.unwrap().json().await.unwrap();
        assert_eq!((ans["known"].as_bool(), ans["lists"].as_array().map(Vec::len)), (Some(false), Some(0)));
        // Bad list entries and callers without the permission.
        let r = add(serde_json::json!({"kind": "gold", "code": firm()})).await.unwrap();
        assert_eq!(r.json::<serde_json::Value>().await.unwrap()["error"]["code"], "credit.list_kind");
        let r = add(serde_json::json!({"kind": "black", "code": firm(), "name": "x", "basis": "y", "authority": "z", "source_ref": "r", "listed_on": "2026-02-30"})).await.unwrap();
        assert_eq!(r.json::<serde_json::Value>().await.unwrap()["error"]["code"], "row.date");
        let grid = token_for("grid01").await;
        assert_eq!(c.get(app.url(&format!("/api/v1/credit/check?code={}", firm()))).bearer_auth(&grid).send().await.unwrap().status(), 403);
        assert_eq!(
            c.post(app.url("/api/v1/credit/lists")).bearer_auth(&bank).json(&serde_json::json!({})).send().await.unwrap().status(),
            403
        );
        // The public profile shows the label; its JSON names the current list only (the
        // abnormal-operations entry has ended).
        let page = app.client().get(app.url(&format!("/credit/subjects/{}", firm()))).send().await.unwrap().text().await.unwrap();
        assert!(page.contains("严重失信主体名单"), "{}", app.backend);
        let api: serde_json::Value =
            app.client().get(app.url(&format!("/api/v1/credit/subjects/{}", firm()))).send().await.unwrap().json().await.unwrap();
        assert_eq!(api["lists"], serde_json::json!(["严重失信主体名单"]), "{}: {api}", app.backend);
        assert_eq!(api["labels"], serde_json::json!(["失信惩戒对象"]), "{}: {api}", app.backend);
        app.stop().await;
    }
}

#[tokio::test]
async fn staff_see_records_out_of_publicity_and_people() {
    for app in apps().await {
        let county = app.login("county", PW).await;
        let scjg_code = dept_code(&app, &county, "清丰县市场监督管理局").await;
        let mut old = cf("清市监罚〔2022〕8号", &scjg_code);
        old["CF_JDRQ"] = "2022/01/05".into();
        let person = serde_json::json!({
            "CF_XDR_MC": "李四", "CF_XDR_LB": "自然人", "CF_XDR_ZJLX": "身份证", "CF_XDR_ZJHM": "41092219450315002X",
            "CF_WSH": "清市监罚〔2025〕77号", "CF_WFXW": "无证经营", "CF_SY": "无证经营", "CF_YJ": "《食品安全法》",
            "CF_CFLB": "警告", "CF_NR": "警告", "CF_JDRQ": "2025/05/06", "CF_YXQ": "2026/05/06",
            "CF_CFJG": "清丰县市场监督管理局", "CF_CFJGDM": scjg_code, "CF_SJLY": "清丰县市场监督管理局", "CF_SJLYDM": scjg_code
        });
        let lines: Vec<String> = [cf("清市监罚〔2025〕8号", &scjg_code), old, person].iter().map(|v| v.to_string()).collect();
        let csrf = app.csrf_from(&county, "/console/credit/imports").await;
        let form = reqwest::multipart::Form::new()
            .text("csrf", csrf)
            .text("kind", "cf")
            .part("file", reqwest::multipart::Part::bytes(lines.join("\n").into_bytes()).file_name("cf.jsonl"));
        county.post(app.url("/console/credit/imports")).multipart(form).send().await.unwrap();
        let office = app.login("credit", PW).await;
        let page = office.get(app.url(&format!("/console/credit/subjects?code={}", firm()))).send().await.unwrap().text().await.unwrap();
        assert!(
            page.contains("清市监罚〔2022〕8号") && page.contains("公示期外") && page.contains("清市监罚〔2025〕8号"),
            "{}",
            app.backend
        );
        // A person, found by ID number, shown masked.
        let page = office.get(app.url("/console/credit/subjects?code=41092219450315002x")).send().await.unwrap().text().await.unwrap();
        assert!(page.contains("李四") && page.contains("4109**********002X") && !page.contains("41092219450315002X"), "{}", app.backend);
        assert!(page.contains("自然人") && !page.contains(">natural<"), "kinds in Chinese");
        let r = office.get(app.url("/console/credit/subjects?code=91410922MA40AB1210")).send().await.unwrap();
        assert_eq!(r.status(), 400, "a malformed code");
        let r = office.get(app.url("/console/credit/subjects?code=nonsense")).send().await.unwrap();
        assert_eq!(r.status(), 404, "words of a name that nothing has");
        // Department staff and township staff may not look.
        let staff = app.login("scjg", PW).await;
        assert_eq!(staff.get(app.url("/console/credit/subjects")).send().await.unwrap().status(), 403);
        app.stop().await;
    }
}

/// A cell of a workbook row: text, a date cell, or a bare number (a serial date in a
/// date column, an amount elsewhere).
enum Cell {
    Text(String),
    Date(u16, u8, u8),
    Number(f64),
}

fn workbook(header: &[String], rows: &[Vec<(String, Cell)>]) -> Vec<u8> {
    use rust_xlsxwriter::{ExcelDateTime, Format, Workbook};
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    for (c, h) in header.iter().enumerate() {
        ws.write_string(0, c as u16, h).unwrap();
    }
    let date = Format::new().set_num_format("yyyy/mm/dd");
    for (r, row) in rows.iter().enumerate() {
        for (code, cell) in row {
            let c = header.iter().position(|h| h == code).unwrap() as u16;
            let r = r as u32 + 1;
            match cell {
                Cell::Text(t) => ws.write_string(r, c, t),
                Cell::Date(y, m, d) => ws.write_datetime_with_format(r, c, ExcelDateTime::from_ymd(*y, *m, *d).unwrap(), &date),
                Cell::Number(n) => ws.write_number(r, c, *n),
            }
            .unwrap();
        }
    }
    wb.save_to_buffer().unwrap()
}

fn cf_cells(doc: &str, dept: &str) -> Vec<(String, Cell)> {
    let mut cells: Vec<(String, Cell)> = cf(doc, dept)
        .as_object()
        .unwrap()
        .iter()
        .filter(|(k, _)| !["CF_JDRQ", "CF_YXQ", "CF_NR_FK"].contains(&k.as_str()))
        .map(|(k, v)| (k.clone(), Cell::Text(v.as_str().unwrap().to_string())))
        .collect();
    cells.push(("CF_JDRQ".into(), Cell::Date(2025, 5, 6)));
    cells.push(("CF_YXQ".into(), Cell::Number(46148.0))); // the serial number of 2026-05-06
    cells.push(("CF_NR_FK".into(), Cell::Number(1.234567))); // 万元, six decimals
    cells
}

#[tokio::test]
async fn an_excel_workbook_and_a_dishonest_debtor_list_through_the_upload_page() {
    for app in apps().await {
        let county = app.login("county", PW).await;
        let scjg_code = dept_code(&app, &county, "清丰县市场监督管理局").await;
        let staff = app.login("scjg", PW).await;
        let csrf = app.csrf_from(&staff, "/console/credit/imports").await;
        let page = staff.get(app.url("/console/credit/imports")).send().await.unwrap().text().await.unwrap();
        for k in qingfeng_credit::model::ImportKind::ALL {
            assert!(page.contains(&format!("<option value=\"{}\">{}", k.key(), k.zh())), "the selector lists {}", k.zh());
        }
        // 行政处罚 as a workbook, Chinese column names, named .dat: the ZIP bytes decide.
        let header: Vec<String> =
            qingfeng_credit::ingest::fields::fields(qingfeng_credit::model::RecordKind::Cf).iter().map(|f| f.code.clone()).collect();
        let mut bad = cf_cells("清市监罚〔2025〕22号", &scjg_code);
        bad.retain(|(k, _)| k != "CF_XDR_SHXYM");
        bad.push(("CF_XDR_SHXYM".into(), Cell::Text("91410922MA40AB1210".into())));
        let bytes = workbook(&header, &[cf_cells("清市监罚〔2025〕21号", &scjg_code), bad]);
        let form = reqwest::multipart::Form::new()
            .text("csrf", csrf.clone())
            .text("kind", "cf")
            .part("file", reqwest::multipart::Part::bytes(bytes).file_name("处罚.dat"));
        let r = staff.post(app.url("/console/credit/imports")).multipart(form).send().await.unwrap();
        assert_eq!(r.status(), 200, "{}", app.backend);
        let html = r.text().await.unwrap();
        assert!(html.contains("read=2 stored=1 updated=0 duplicate=0 rejected=1"), "{}: {html}", app.backend);
        assert!(html.contains("uscc.check_digit"), "the bad row is shown with its reason");
        let (date, until, fen): (String, Option<String>, Option<i64>) = qingfeng_platform::on_db!(&app.db, |p| sqlx::query_as(
            "SELECT decision_date, valid_to, amount_fen FROM credit_records WHERE doc_no = '清市监罚〔2025〕21号'"
        )
        .fetch_one(p)
        .await)
        .unwrap();
        assert_eq!((date.as_str(), until.as_deref(), fen), ("2025-05-06", Some("2026-05-06"), Some(1_234_567)), "{}", app.backend);

        // 失信被执行人 from the court, sent by the credit office, then checked by a bank.
        let office = app.login("credit", PW).await;
        let csrf = app.csrf_from(&office, "/console/credit/imports").await;
        let court = {
            let body = "MB000009";
            let org = qingfeng_core::gb11714_check_char(body).unwrap();
            let first17 = format!("11410922{body}{org}");
            format!("{first17}{}", qingfeng_core::uscc_check_char(&first17).unwrap())
        };
        let debtor = |case: &str, code: &str, situation: &str| {
            [
                ("被执行人姓名/名称", "李四"),
                ("身份证号码/组织机构代码", code),
                ("案号", case),
                ("执行法院", "清丰县人民法院"),
                ("执行依据文号", "（2025）豫0922民初9号"),
                ("做出执行依据单位", "清丰县人民法院"),
                ("生效法律文书确定的义务", "给付工程款十万元"),
                ("被执行人的履行情况", "全部未履行"),
                ("失信被执行人行为具体情形", situation),
                ("立案时间", "2026/01/05"),
                ("发布时间", "2026-03-01"),
                ("数据来源单位", "清丰县人民法院"),
                ("数据来源单位统一社会信用代码", court.as_str()),
            ]
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect::<Vec<_>>()
        };
        let rows = [
            debtor("（2026）豫0922执200号", "410922195001010013", "违反限制消费令"),
            debtor("（2026）豫0922执201号", "4109**********0013", "违反限制消费令"),
        ];
        let header: Vec<String> = rows[0].iter().map(|(k, _)| k.clone()).collect();
        let mut w = csv::Writer::from_writer(Vec::new());
        w.write_record(&header).unwrap();
        for r in &rows {
            w.write_record(r.iter().map(|(_, v)| v)).unwrap();
        }
        let form = reqwest::multipart::Form::new()
            .text("csrf", csrf)
            .text("kind", "失信被执行人")
            .part("file", reqwest::multipart::Part::bytes(w.into_inner().unwrap()).file_name("失信被执行人.csv"));
        let r = office.post(app.url("/console/credit/imports")).multipart(form).send().await.unwrap();
        assert_eq!(r.status(), 200, "{}", app.backend);
        let html = r.text().await.unwrap();
        assert!(html.contains("read=2 stored=1 updated=0 duplicate=0 rejected=1"), "{}: {html}", app.backend);
        assert!(html.contains("row.code_masked"), "a masked ID cannot name the subject");
        let known = qingfeng_platform::web::all_permissions(&qingfeng::modules());
        let bank = users::by_username(&app.db, "bank").await.unwrap().unwrap();
        let (_, token) =
            session::create_token(&app.db, session::Issuer::Operator, bank.id, "bank", &[], &known, None, &Actor::System("test"), 0)
                .await
                .unwrap();
        let ans: serde_json::Value = reqwest::Client::new()
            .get(app.url("/api/v1/credit/check?code=410922195001010013"))
            .bearer_auth(&token)
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        assert_eq!(ans["lists"][0]["kind"], "dishonest_debtor", "{}: {ans}", app.backend);
        assert_eq!(ans["lists"][0]["basis"], "违反限制消费令");
        assert_eq!(ans["lists"][0]["listed_on"], "2026-03-01");
        assert_eq!(ans["lists"][0]["ends_on"], "2028-03-01", "situation 5: two years from publication (Art. 2)");
        assert_eq!(ans["labels"][0], "失信惩戒对象");

        // 纳税信用A级 through the push API; the public profile shows it under 信用评价.
        let credit = users::by_username(&app.db, "credit").await.unwrap().unwrap();
        let (_, office_token) =
            session::create_token(&app.db, session::Issuer::Operator, credit.id, "credit", &[], &known, None, &Actor::System("test"), 0)
                .await
                .unwrap();
        let body = serde_json::json!([{
            "taxpayer_name": "清丰县鑫源建材有限公司", "taxpayer_id": firm(), "evaluation_year": "2025", "evaluation_result": "A",
            "evaluating_unit": "国家税务总局清丰县税务局", "evaluating_unit_uscc": scjg_code, "published_date": "2026-04-20",
            "source_dept_name": "国家税务总局清丰县税务局", "source_dept_uscc": scjg_code
        }]);
        let a: serde_json::Value = reqwest::Client::new()
            .post(app.url("/api/v1/credit/records?kind=tax_a"))
            .bearer_auth(&office_token)
            .json(&body)
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        assert_eq!(a["stored"], 1, "{}: {a}", app.backend);
        let page = app.client().get(app.url(&format!("/credit/subjects/{}", firm()))).send().await.unwrap().text().await.unwrap();
        assert!(page.contains("信用评价") && page.contains("纳税信用A级") && page.contains("2025年度"), "{}", app.backend);
        app.stop().await;
    }
}
