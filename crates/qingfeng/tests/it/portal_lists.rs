//! 负面清单、权责清单、收费清单 over HTTP on both databases: the demo's shipped lists,
//! imports with bad rows (each rejected row named with its line, column and Chinese
//! reason; read = accepted + rejected; nothing stored), a clean second version that becomes
//! current, the powers filters, the checker's three answers and the edition that gave
//! them, the fees page's complaint links, the JSON API, the search index, permissions, and
//! bad input answered with a Chinese message and a stable code.

use reqwest::multipart::{Form, Part};
use serde_json::Value;

use crate::harness::{TestApp, apps};

fn enc(s: &str) -> String {
    qingfeng_platform::web::urlencode(s)
}

async fn get(app: &TestApp, c: &reqwest::Client, path: &str) -> (u16, String) {
    let r = c.get(app.url(path)).send().await.unwrap();
    let s = r.status().as_u16();
    (s, r.text().await.unwrap())
}

async fn api(app: &TestApp, path: &str) -> (u16, Value) {
    let r = app.client().get(app.url(path)).send().await.unwrap();
    let s = r.status().as_u16();
    (s, r.json().await.unwrap())
}

/// Upload `bytes` as `file_name` of `kind` from the console; returns the response.
async fn upload(
    app: &TestApp,
    c: &reqwest::Client,
    kind: &str,
    file_name: &str,
    bytes: Vec<u8>,
    extra: &[(&str, &str)],
) -> reqwest::Response {
    let csrf = app.csrf_from(c, "/console/portal/lists").await;
    let mut form = Form::new().text("csrf", csrf).text("kind", kind.to_string()).text("make_current", "1");
    for (k, v) in extra {
        form = form.text(k.to_string(), v.to_string());
    }
    form = form.part("file", Part::bytes(bytes).file_name(file_name.to_string()));
    c.post(app.url("/console/portal/lists/import")).multipart(form).send().await.unwrap()
}

fn location(r: &reqwest::Response) -> String {
    r.headers().get("location").map(|l| l.to_str().unwrap().to_string()).unwrap_or_default()
}

async fn count(app: &TestApp, sql: &'static str) -> i64 {
    qingfeng_platform::on_db!(&app.db, |p| sqlx::query_scalar::<_, i64>(sql).fetch_one(p).await).unwrap()
}

/// The verdict of the checker page (`data-verdict`).
fn verdict(html: &str) -> &str {
    let at = html.find("data-verdict=\"").expect("an answer");
    let rest = &html[at + "data-verdict=\"".len()..];
    &rest[..rest.find('"').unwrap()]
}

#[tokio::test]
async fn the_three_lists_imports_versions_checker_and_api() {
    for app in apps().await {
        let be = app.backend;
        let anon = app.client();

        // The home links the three modules.
        let (_, home) = get(&app, &anon, "/portal").await;
        for href in ["/portal/negative-list", "/portal/powers", "/portal/fees"] {
            assert!(home.contains(&format!("class=\"pt-tile\" href=\"{href}\"")), "{be}: {href} tile");
        }

        // The demo's 2022 edition: its facts, the six 禁止 items with their verification,
        // and the illustrative 许可 entries marked 演示示例.
        let (s, page) = get(&app, &anon, "/portal/negative-list").await;
        assert_eq!(s, 200, "{be}");
        for needle in ["市场准入负面清单（2022年版）", "发改体改规〔2022〕397号", "原文共 117 项", "已核实", "待核实", "演示示例", "100004"]
        {
            assert!(page.contains(needle), "{be}: {needle} missing");
        }
        assert_eq!(page.matches("/portal/negative-list/items/").count(), 9, "{be}: 6 禁止 + 3 演示");

        // The checker's three answers, each naming the edition and the caveat.
        let (s, html) = get(&app, &anon, &format!("/portal/negative-list/check?q={}", enc("金融"))).await;
        assert_eq!(s, 200);
        assert_eq!(verdict(&html), "prohibited", "{be}");
        assert!(html.contains("禁止准入") && html.contains("100004 禁止违规开展金融相关经营活动"), "{be}");
        assert!(html.contains("答复依据：市场准入负面清单（2022年版）（发改体改规〔2022〕397号）"), "{be}");
        assert!(html.contains("正式文本及主管部门解释为准") && html.contains("本版清单共 117 项"), "{be}");
        let (_, html) = get(&app, &anon, &format!("/portal/negative-list/check?q={}", enc("我想开一家饭店"))).await;
        assert_eq!(verdict(&html), "needs_permit", "{be}");
        assert!(html.contains("市场监管部门（演示）") && html.contains("关键词/行业"), "{be}");
        let (_, html) = get(&app, &anon, &format!("/portal/negative-list/check?q={}", enc("卖水果"))).await;
        assert_eq!(verdict(&html), "not_listed", "{be}");
        assert!(html.contains("非禁即入") && html.contains("“未列入”不代表清单原文没有"), "{be}");
        // Bad questions: a Chinese message with a code, never a 500.
        let (s, html) = get(&app, &anon, "/portal/negative-list/check?q=x").await;
        assert_eq!(s, 400);
        assert!(html.contains("data-code=\"portal.question_too_short\"") && html.contains("请至少输入两个字"), "{be}");
        let (s, html) = get(&app, &anon, &format!("/portal/negative-list/check?q={}", "网".repeat(60))).await;
        assert_eq!(s, 400);
        assert!(html.contains("data-code=\"portal.question_too_long\""), "{be}");
        let (s, _) = get(&app, &anon, "/portal/negative-list/items/abc").await;
        assert_eq!(s, 404);

        // The same answers from the API.
        let (s, j) = api(&app, &format!("/api/v1/portal/negative-list/check?q={}", enc("金融"))).await;
        assert_eq!((s, j["verdict"].as_str()), (200, Some("prohibited")), "{be}");
        assert_eq!(j["items"][0]["code"], "100004");
        assert_eq!(j["items"][0]["verification_zh"], "已核实");
        assert_eq!(j["edition"]["official_count"], 117);
        let (_, j) = api(&app, &format!("/api/v1/portal/negative-list/check?q={}", enc("物流"))).await;
        assert_eq!(j["verdict"], "needs_permit", "{be}");
        let (_, j) = api(&app, &format!("/api/v1/portal/negative-list/check?q={}", enc("卖水果"))).await;
        assert_eq!(j["verdict"], "not_listed", "{be}");
        assert!(j["explanation"].as_str().unwrap().contains("非禁即入"));
        let (s, j) = api(&app, "/api/v1/portal/negative-list/check?q=").await;
        assert_eq!((s, j["error"]["code"].as_str()), (400, Some("portal.question_empty")), "{be}");

        // The powers list: the shipped sample, filtered by type and department.
        let (s, page) = get(&app, &anon, "/portal/powers").await;
        assert_eq!(s, 200);
        assert!(page.contains("重要工业产品生产许可证核发") && page.contains("scjg.henan.gov.cn"), "{be}");
        let (_, j) = api(&app, &format!("/api/v1/portal/powers?type={}&per_page=50", enc("行政处罚"))).await;
        assert_eq!(j["total"], 7, "{be}: rows 16–22 are 行政处罚");
        assert!(j["items"].as_array().unwrap().iter().all(|p| p["power_type"] == "行政处罚"));
        let (s, j) = api(&app, &format!("/api/v1/portal/powers?type={}", enc("行政魔法"))).await;
        assert_eq!((s, j["error"]["code"].as_str()), (400, Some("portal.power_type")), "{be}");
        let (s, j) = api(&app, "/api/v1/portal/powers?page=0").await;
        assert_eq!((s, j["error"]["code"].as_str()), (400, Some("list.page")), "{be}");

        // The fees list: the rule, the off-list report link and one per fee.
        let (s, page) = get(&app, &anon, "/portal/fees").await;
        assert_eq!(s, 200);
        assert!(page.contains("清单之外一律不得收费") && page.contains("href=\"/portal/complaints/new?fee=0\""), "{be}");
        let (_, j) = api(&app, "/api/v1/portal/fees").await;
        assert_eq!(j["rule"], "清单之外一律不得收费");
        let fees = j["departments"][0]["fees"].as_array().unwrap();
        assert_eq!((j["departments"][0]["department"].as_str(), fees.len()), (Some("教育"), 4), "{be}");
        let fee_id = fees[0]["id"].as_i64().unwrap();
        assert!(page.contains(&format!("href=\"/portal/complaints/new?fee={fee_id}\"")), "{be}");
        let (s, one) = get(&app, &anon, &format!("/portal/fees/{fee_id}")).await;
        assert_eq!(s, 200);
        assert!(one.contains("公办幼儿园保育费、住宿费") && one.contains("/portal/complaints/new?fee=0"), "{be}");

        // Every current item is in the search index under its kind.
        let search = &app.state().search;
        for (kind, q) in [("portal_negative_item", "金融"), ("portal_power", "特种设备"), ("portal_fee", "幼儿园")] {
            let res = search
                .search(&qingfeng_search::SearchQuery { text: q.into(), kinds: vec![kind.into()], county: None, limit: 5, offset: 0 })
                .unwrap();
            assert!(res.total > 0, "{be}: no {kind} hit for {q}");
        }

        // Staff import: a powers file with bad rows is refused whole, every rejected row
        // named; the counts reconcile.
        let county = app.login("county", "qingfeng2026").await;
        let bad = "序号,事项名称,职权类别,部门,依据\n\
                   1,测试事项甲,行政许可,测试局,测试依据\n\
                   2,测试事项乙,行政魔法,测试局,测试依据\n\
                   3,,行政处罚,测试局,测试依据\n\
                   4,测试事项丁,行政处罚,测试局,测试依据\n\
                   4,测试事项戊,行政检查,测试局,测试依据\n";
        let versions_before = count(&app, "SELECT COUNT(*) FROM portal_list_versions").await;
        let r = upload(&app, &county, "powers", "powers-bad.csv", bad.as_bytes().to_vec(), &[]).await;
        assert_eq!(r.status(), 303, "{be}");
        let result = location(&r);
        assert!(result.starts_with("/console/portal/lists/imports/"), "{be}: {result}");
        let (_, html) = get(&app, &county, &result).await;
        assert!(html.contains("data-outcome=\"refused\""), "{be}");
        assert!(html.contains("读取 5 = 通过 2 + 退回 3"), "{be}: counts do not reconcile");
        assert!(html.contains("第3行 · 权力类型") && html.contains("权力类型“行政魔法”不在类型表中"), "{be}");
        assert!(html.contains("第4行 · 事项名称") && html.contains("事项名称不能为空"), "{be}");
        assert!(html.contains("第6行 · 序号") && html.contains("序号 4 在文件中重复"), "{be}");
        assert_eq!(count(&app, "SELECT COUNT(*) FROM portal_list_versions").await, versions_before, "{be}: stored in part");
        let csv = county.get(app.url(&format!("{result}/rejects.csv"))).send().await.unwrap();
        assert_eq!(csv.status(), 200);
        assert!(csv.headers()["content-type"].to_str().unwrap().starts_with("text/csv"));
        let csv = csv.text().await.unwrap();
        assert!(csv.starts_with("\u{feff}行号,列,原因,序号,事项名称,职权类别,部门,依据\n"), "{be}: {csv}");
        assert!(csv.contains("3,权力类型,") && csv.contains(",2,测试事项乙,行政魔法,测试局,测试依据"), "{be}: {csv}");
        assert_eq!(csv.lines().count(), 4);

        // The same file fixed (as an .xlsx, with a GBK-free header in a workbook) is a
        // second version and becomes current.
        let mut wb = rust_xlsxwriter::Workbook::new();
        let ws = wb.add_worksheet();
        for (c, h) in ["序号", "事项名称", "权力类型", "实施主体", "依据", "责任事项"].iter().enumerate() {
            ws.write_string(0, c as u16, *h).unwrap();
        }
        let rows = [
            (1.0, "测试事项甲", "行政许可", "测试局"),
            (2.0, "测试事项乙", "行政处罚", "测试局"),
            (3.0, "测试事项丙", "行政处罚", "测试二局"),
        ];
        for (r, (n, name, t, d)) in rows.iter().enumerate() {
            let r = r as u32 + 1;
            ws.write_number(r, 0, *n).unwrap();
            ws.write_string(r, 1, *name).unwrap();
            ws.write_string(r, 2, *t).unwrap();
            ws.write_string(r, 3, *d).unwrap();
            ws.write_string(r, 4, "测试依据").unwrap();
            ws.write_string(r, 5, "测试责任事项").unwrap();
        }
        let r =
            upload(&app, &county, "powers", "powers-2026.xlsx", wb.save_to_buffer().unwrap(), &[("title", "测试权责清单（第二版）")]).await;
        assert_eq!(r.status(), 303);
        let (_, html) = get(&app, &county, &location(&r)).await;
        assert!(html.contains("data-outcome=\"stored\"") && html.contains("读取 3 = 通过 3 + 退回 0"), "{be}");
        let (_, j) = api(&app, "/api/v1/portal/powers").await;
        assert_eq!((j["total"].as_i64(), j["version"]["title"].as_str()), (Some(3), Some("测试权责清单（第二版）")), "{be}");
        let (_, j) = api(&app, &format!("/api/v1/portal/powers?department={}&type={}", enc("测试局"), enc("行政处罚"))).await;
        assert_eq!(j["total"], 1, "{be}");
        let power_id = j["items"][0]["id"].as_i64().unwrap();
        let (_, page) = get(&app, &anon, &format!("/portal/powers?department={}", enc("测试二局"))).await;
        assert!(page.contains("测试事项丙") && !page.contains("测试事项甲"), "{be}");
        let (s, one) = get(&app, &anon, &format!("/portal/powers/{power_id}")).await;
        assert_eq!(s, 200);
        assert!(one.contains("测试责任事项") && one.contains("测试权责清单（第二版）"), "{be}");
        assert_eq!(count(&app, "SELECT COUNT(*) FROM portal_list_versions WHERE kind = 'powers'").await, 2);
        assert_eq!(count(&app, "SELECT COUNT(*) FROM portal_list_versions WHERE kind = 'powers' AND is_current = 1").await, 1);

        // A second negative-list edition (2025 facts), current; the checker answers from it.
        let neg = "项目号,禁止或许可事项,事项编码,禁止或许可准入措施描述,主管部门,关键词\n\
                   1,测试禁止事项,100001,测试措施,测试部门,测试行业\n\
                   1,测试许可事项,200001,未获得许可，不得从事测试经营,测试部门,\n";
        let r = upload(&app, &county, "negative", "negative-2025.csv", neg.as_bytes().to_vec(), &[("edition", "2025")]).await;
        assert_eq!(r.status(), 303);
        let (_, j) = api(&app, &format!("/api/v1/portal/negative-list/check?q={}", enc("测试行业"))).await;
        assert_eq!(j["verdict"], "prohibited", "{be}");
        assert_eq!(j["edition"]["doc_number"], "发改体改规〔2025〕466号");
        assert_eq!(j["edition"]["official_count"], 106);
        let (_, j) = api(&app, &format!("/api/v1/portal/negative-list/check?q={}", enc("金融"))).await;
        assert_eq!(j["verdict"], "not_listed", "{be}: the 2022 items are not in the 2025 test edition");
        // Staff switch back to 2022.
        let v2022: i64 = qingfeng_platform::on_db!(&app.db, |p| sqlx::query_scalar::<_, i64>(
            "SELECT id FROM portal_list_versions WHERE kind = 'negative' AND doc_number = '发改体改规〔2022〕397号'"
        )
        .fetch_one(p)
        .await)
        .unwrap();
        let csrf = app.csrf_from(&county, "/console/portal/lists").await;
        let r = county
            .post(app.url(&format!("/console/portal/lists/versions/{v2022}/current")))
            .form(&[("csrf", csrf.as_str())])
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 303, "{be}");
        let (_, j) = api(&app, &format!("/api/v1/portal/negative-list/check?q={}", enc("金融"))).await;
        assert_eq!((j["verdict"].as_str(), j["edition"]["id"].as_i64()), (Some("prohibited"), Some(v2022)), "{be}");
        let (_, page) = get(&app, &anon, "/portal/negative-list").await;
        assert!(page.contains("市场准入负面清单（2025年版）") && page.contains("id=\"nl-editions\""), "{be}: the editions are listed");

        // Bad uploads: a file of another kind, no file, a wrong kind — Chinese, with a code.
        let r = upload(&app, &county, "fees", "x.csv", b"a,b\n1,2\n".to_vec(), &[]).await;
        assert_eq!(r.status(), 400);
        let html = r.text().await.unwrap();
        assert!(html.contains("data-code=\"portal.list_header_missing\"") && html.contains("文件不是收费清单"), "{be}");
        let r = upload(&app, &county, "fees", "x.csv", Vec::new(), &[]).await;
        assert!(r.text().await.unwrap().contains("data-code=\"portal.list_file_empty\""), "{be}");
        let r = upload(&app, &county, "nonsense", "x.csv", b"a\n".to_vec(), &[]).await;
        assert!(r.text().await.unwrap().contains("data-code=\"portal.list_kind\""), "{be}");
        let r = upload(&app, &county, "fees", "x.xlsx", b"PK\x03\x04 broken".to_vec(), &[]).await;
        assert!(r.text().await.unwrap().contains("data-code=\"import.xlsx_unreadable\""), "{be}");

        // Department staff may look, not change; the public may not look.
        let scjg = app.login("scjg", "qingfeng2026").await;
        let (s, html) = get(&app, &scjg, "/console/portal/lists").await;
        assert_eq!(s, 200, "{be}");
        assert!(!html.contains("id=\"lists-upload\""), "{be}: department staff see no upload form");
        let form = Form::new().text("csrf", app.csrf_from(&scjg, "/console/portal/lists").await).text("kind", "fees");
        let r = scjg.post(app.url("/console/portal/lists/import")).multipart(form).send().await.unwrap();
        assert_eq!(r.status(), 403, "{be}");
        let (s, _) = get(&app, &anon, "/console/portal/lists").await;
        assert!(s == 303 || s == 401 || s == 403, "{be}: anonymous got {s}");

        // Every import and switch is in the audit chain.
        assert!(count(&app, "SELECT COUNT(*) FROM audit_log WHERE action = 'portal.list_import'").await >= 6, "{be}");
        assert_eq!(count(&app, "SELECT COUNT(*) FROM audit_log WHERE action = 'portal.list_current'").await, 1, "{be}");
        app.stop().await;
    }
}

#[tokio::test]
async fn staff_keep_the_checker_keywords() {
    for app in apps().await {
        let be = app.backend;
        let county = app.login("county", "qingfeng2026").await;
        let (_, j) = api(&app, &format!("/api/v1/portal/negative-list/check?q={}", enc("互联网"))).await;
        let item = j["items"][0]["id"].as_i64().unwrap();
        let (_, j) = api(&app, &format!("/api/v1/portal/negative-list/check?q={}", enc("测试标签"))).await;
        assert_eq!(j["verdict"], "not_listed", "{be}");
        let path = format!("/console/portal/negative-list/items/{item}");
        let csrf = app.csrf_from(&county, &path).await;
        let r =
            county.post(app.url(&path)).form(&[("csrf", csrf.as_str()), ("keywords", "测试标签、 测试标签，另一个")]).send().await.unwrap();
        assert_eq!(r.status(), 303, "{be}");
        let (_, j) = api(&app, &format!("/api/v1/portal/negative-list/check?q={}", enc("我问测试标签"))).await;
        assert_eq!((j["verdict"].as_str(), j["items"][0]["id"].as_i64()), (Some("prohibited"), Some(item)), "{be}");
        assert_eq!(j["items"][0]["keywords"], "测试标签,另一个");
        assert_eq!(j["items"][0]["matched_on"], "关键词/行业");
        let r = county.post(app.url(&path)).form(&[("keywords", "x")]).send().await.unwrap();
        assert_eq!(r.status(), 403, "{be}: no CSRF token");
        app.stop().await;
    }
}

/// `qingfeng portal import-list`: the same pipeline from the command line, the counts on
/// stdout, each rejected row on stderr, the rejects as CSV, exit 1 when nothing is stored.
#[test]
fn the_command_line_imports_a_list() {
    let dir = tempfile::tempdir().unwrap();
    let run = |args: &[&str]| {
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_qingfeng"))
            .env_remove("QINGFENG_DATABASE_URL")
            .env("QINGFENG_DATA_DIR", dir.path())
            .args(args)
            .output()
            .unwrap();
        (
            out.status.code().unwrap_or(-1),
            String::from_utf8_lossy(&out.stdout).into_owned(),
            String::from_utf8_lossy(&out.stderr).into_owned(),
        )
    };
    let bad = dir.path().join("fees-bad.csv");
    std::fs::write(&bad, "部门,项目名称,政策依据\n教育,测试收费,测试依据\n教育,,测试依据\n").unwrap();
    let rejects = dir.path().join("rejects.csv");
    let (code, out, err) = run(&["portal", "import-list", "--kind", "fees", bad.to_str().unwrap(), "--rejects", rejects.to_str().unwrap()]);
    assert_eq!((code, out.trim()), (1, "read=2 accepted=1 rejected=1 version=-"), "{err}");
    assert!(err.contains("第3行\t项目名称\t项目名称不能为空"), "{err}");
    let csv = std::fs::read_to_string(&rejects).unwrap();
    assert_eq!(csv, "\u{feff}行号,列,原因,部门,项目名称,政策依据\n3,项目名称,项目名称不能为空,教育,,测试依据\n");
    let good = dir.path().join("fees.csv");
    std::fs::write(&good, "部门,项目名称,政策依据\n教育,测试收费,测试依据\n").unwrap();
    let (code, out, err) = run(&["portal", "import-list", "--kind", "fees", good.to_str().unwrap(), "--title", "测试收费清单"]);
    assert_eq!((code, out.trim()), (0, "read=1 accepted=1 rejected=0 version=1"), "{err}");
    let (code, _, err) = run(&["portal", "import-list", "--kind", "bogus", good.to_str().unwrap()]);
    assert_eq!(code, 1);
    assert!(err.contains("portal.list_kind") && err.contains("请选择清单类别"), "{err}");
}
