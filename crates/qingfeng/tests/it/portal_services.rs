//! 部门职责 and 公共服务 over HTTP on both databases: department profiles edited by their
//! own department and refused to another, validation answered with Chinese messages and
//! stable codes, the §6.2 guide rules, publish / withdraw with the search index
//! following, the public filters and the JSON API.

use qingfeng_search::SearchQuery;
use serde_json::Value;

use crate::harness::{PW, TestApp, apps};

fn enc(s: &str) -> String {
    qingfeng_platform::web::urlencode(s)
}

async fn get(c: &reqwest::Client, app: &TestApp, path: &str) -> (u16, String) {
    let r = c.get(app.url(path)).send().await.unwrap();
    (r.status().as_u16(), r.text().await.unwrap())
}

async fn json(c: &reqwest::Client, app: &TestApp, path: &str) -> (u16, Value) {
    let r = c.get(app.url(path)).send().await.unwrap();
    (r.status().as_u16(), r.json().await.unwrap())
}

/// POST a form; (status, Location header, body).
async fn post<F: serde::Serialize + ?Sized>(c: &reqwest::Client, app: &TestApp, path: &str, form: &F) -> (u16, String, String) {
    let r = c.post(app.url(path)).form(form).send().await.unwrap();
    let status = r.status().as_u16();
    let loc = r.headers().get("location").map(|v| v.to_str().unwrap().to_string()).unwrap_or_default();
    (status, loc, r.text().await.unwrap())
}

/// The organisation id of a demo department, through the public API.
async fn dept_id(app: &TestApp, name: &str) -> i64 {
    let (s, v) = json(&app.client(), app, &format!("/api/v1/portal/departments?q={}", enc(name))).await;
    assert_eq!(s, 200, "{v}");
    v["items"].as_array().unwrap().iter().find(|d| d["name"] == name).unwrap_or_else(|| panic!("{name} not listed: {v}"))["org_id"]
        .as_i64()
        .unwrap()
}

fn hits(app: &TestApp, kind: &str, text: &str) -> Vec<String> {
    let q = SearchQuery { text: text.into(), kinds: vec![kind.into()], county: None, limit: 20, offset: 0 };
    app.state().search.search(&q).unwrap().hits.into_iter().map(|h| h.id).collect()
}

async fn audit_count(app: &TestApp, action: &str, entity_id: &str) -> i64 {
    qingfeng_platform::on_db!(&app.db, |p| sqlx::query_scalar("SELECT COUNT(*) FROM audit_log WHERE action = $1 AND entity_id = $2")
        .bind(action)
        .bind(entity_id)
        .fetch_one(p)
        .await)
    .unwrap()
}

#[tokio::test]
async fn department_profiles_are_edited_by_their_own_department_only() {
    for app in apps().await {
        let be = app.backend;
        let anon = app.client();
        let scjg_org = dept_id(&app, "清丰县市场监督管理局").await;
        let yb_org = dept_id(&app, "清丰县医疗保障局").await;

        // The home tile links, the list shows the demo profiles marked 演示, the search narrows.
        let (_, home) = get(&anon, &app, "/portal").await;
        assert!(home.contains("href=\"/portal/departments\"") && home.contains("href=\"/portal/services\""), "{be}");
        let (s, list) = get(&anon, &app, "/portal/departments").await;
        assert_eq!(s, 200, "{be}");
        assert!(list.contains("清丰县市场监督管理局") && list.contains("清丰县教育局") && list.contains("演示"), "{be}");
        let (_, found) = get(&anon, &app, &format!("/portal/departments?q={}", enc("医疗保险"))).await;
        assert!(found.contains("清丰县医疗保障局") && !found.contains("清丰县教育局"), "{be}: search by duties");
        let (s, bad) = get(&anon, &app, "/portal/departments?page=x").await;
        assert_eq!(s, 400, "{be}");
        assert!(bad.contains("list.page"), "{be}");
        let (s, page) = get(&anon, &app, &format!("/portal/departments/{scjg_org}")).await;
        assert_eq!(s, 200, "{be}");
        assert!(page.contains("食品经营许可（演示）") && page.contains("0393-1000101"), "{be}: services and phone on the page");
        assert_eq!(get(&anon, &app, "/portal/departments/999999").await.0, 404, "{be}");
        assert_eq!(get(&anon, &app, "/portal/departments/abc").await.0, 404, "{be}");

        // Market-regulation staff see and edit their own department only.
        let scjg = app.login("scjg", PW).await;
        let (s, mine) = get(&scjg, &app, "/console/portal/departments").await;
        assert_eq!(s, 200, "{be}");
        assert!(mine.contains("清丰县市场监督管理局") && !mine.contains("清丰县医疗保障局"), "{be}");
        let path = format!("/console/portal/departments/{scjg_org}");
        let csrf = app.csrf_from(&scjg, &path).await;
        let good = [
            ("csrf", csrf.as_str()),
            ("duties", "负责犀牛角市场专项整治（测试）。\n\n  负责登记注册。 "),
            ("address", "测试地址 1 号"),
            ("office_hours", "工作日 9:00—17:00"),
            ("phone", "0393 1000109"),
            ("contacts", "办公室 0393-1000110"),
        ];
        // Bad input: a clear message with its code, nothing stored.
        for (field, value, code) in [
            ("phone", "12345", "portal.department_phone"),
            ("duties", "   ", "portal.department_duties"),
            ("contacts", "办公室 123", "portal.department_contact"),
        ] {
            let form: Vec<(&str, &str)> = good.iter().map(|(k, v)| if *k == field { (*k, value) } else { (*k, *v) }).collect();
            let (s, _, body) = post(&scjg, &app, &path, &form).await;
            assert_eq!(s, 400, "{be}: {field}");
            assert!(body.contains(code), "{be}: {field} should answer {code}");
            assert!(body.contains(value.trim()) || value.trim().is_empty(), "{be}: what was typed is shown again");
        }
        assert!(hits(&app, "portal_department", "犀牛").is_empty(), "{be}");
        let (s, loc, _) = post(&scjg, &app, &path, &good).await;
        assert_eq!(s, 303, "{be}");
        assert_eq!(loc, format!("{path}?saved=1"));
        let (_, page) = get(&anon, &app, &format!("/portal/departments/{scjg_org}")).await;
        assert!(
            page.contains("负责犀牛角市场专项整治（测试）。") && page.contains("0393-1000109") && page.contains("0393-1000110"),
            "{be}"
        );
        assert!(!page.contains("演示数据：本页内容"), "{be}: a profile edited by staff is no longer demo text");
        assert_eq!(audit_count(&app, "portal.department_profile", &scjg_org.to_string()).await, 1, "{be}");
        assert_eq!(hits(&app, "portal_department", "犀牛"), vec![scjg_org.to_string()], "{be}: the index follows the edit");

        // Another department's profile: refused, on the form and on the post.
        let other = format!("/console/portal/departments/{yb_org}");
        let (s, body) = get(&scjg, &app, &other).await;
        assert_eq!(s, 403, "{be}");
        assert!(body.contains("portal.not_your_department"), "{be}");
        let (s, _, _) = post(&scjg, &app, &other, &good).await;
        assert_eq!(s, 403, "{be}");
        assert_eq!(audit_count(&app, "portal.department_profile", &yb_org.to_string()).await, 0, "{be}");

        // Township staff have no such permission; the county admin edits any department.
        let cg = app.login("chengguan", PW).await;
        assert_eq!(get(&cg, &app, "/console/portal/departments").await.0, 403, "{be}");
        let county = app.login("county", PW).await;
        let (_, all) = get(&county, &app, "/console/portal/departments").await;
        assert!(all.contains("清丰县医疗保障局") && all.contains("清丰县教育局"), "{be}");
        let csrf = app.csrf_from(&county, &other).await;
        let mut form = good.to_vec();
        form[0] = ("csrf", csrf.as_str());
        form[1] = ("duties", "负责医保基金监管（县级管理员修改）。");
        let (s, _, _) = post(&county, &app, &other, &form).await;
        assert_eq!(s, 303, "{be}");
        let (_, page) = get(&anon, &app, &format!("/portal/departments/{yb_org}")).await;
        assert!(page.contains("负责医保基金监管（县级管理员修改）。"), "{be}");
        // The API shows the saved profile with its office lines.
        let (_, v) = json(&anon, &app, &format!("/api/v1/portal/departments?q={}", enc("市场监督"))).await;
        let d = &v["items"][0];
        assert_eq!(d["phone"], "0393-1000109", "{be}");
        assert_eq!(d["contacts"][0]["label"], "办公室", "{be}");
        assert_eq!(d["has_profile"], true);
        assert!(d.get("updated_by").is_none(), "{be}: the editor's username is not public");
        app.stop().await;
    }
}

/// A valid guide form for the market-regulation department.
fn guide(csrf: &str, org: &str, name: &str) -> Vec<(String, String)> {
    [
        ("csrf", csrf),
        ("org_id", org),
        ("name", name),
        ("task_type", "01"),
        ("handling_kind", "promised"),
        ("legal_days", "20"),
        ("promised_days", "5"),
        ("conditions", "符合条件的经营者"),
        ("materials", "申请书｜纸质｜1｜必要\n场所证明｜电子｜2｜非必要"),
        ("process", "申请\n受理\n办结"),
        ("form_window", "on"),
        ("visits", "1"),
        ("visit_reason", "核验原件"),
        ("result_name", "测试许可证"),
        ("result_kind", ""),
        ("charged", "no"),
        ("fee_basis", ""),
        ("place", "政务服务中心"),
        ("hours", "工作日"),
        ("phone", "0393-1000102"),
        ("supervision", "投诉电话"),
    ]
    .iter()
    .map(|(k, v)| ((*k).to_string(), (*v).to_string()))
    .collect()
}

fn with(form: &[(String, String)], changes: &[(&str, &str)]) -> Vec<(String, String)> {
    let mut f = form.to_vec();
    for (k, v) in changes {
        match f.iter_mut().find(|(fk, _)| fk == k) {
            Some(e) => e.1 = (*v).to_string(),
            None => f.push(((*k).to_string(), (*v).to_string())),
        }
    }
    f.retain(|(_, v)| v != "\u{0}");
    f
}

#[tokio::test]
async fn service_guides_follow_the_rules_and_publishing_moves_the_index() {
    for app in apps().await {
        let be = app.backend;
        let anon = app.client();
        let scjg_org = dept_id(&app, "清丰县市场监督管理局").await.to_string();
        let yb_org = dept_id(&app, "清丰县医疗保障局").await.to_string();
        let scjg = app.login("scjg", PW).await;
        let csrf = app.csrf_from(&scjg, "/console/portal/services/new").await;
        let base = guide(&csrf, &scjg_org, "犀牛饲养场登记");

        // The §6.2 rules, each with its code; nothing is stored.
        for (changes, code) in [
            (vec![("visit_reason", "")], "portal.service_visit_reason"),
            (vec![("visits", "0"), ("visit_reason", "")], "portal.service_forms"),
            (vec![("form_window", "\u{0}")], "portal.service_forms"),
            (vec![("promised_days", "30")], "portal.service_promised_days"),
            (vec![("handling_kind", "immediate")], "portal.service_promised_days"),
            (vec![("result_kind", "document")], "portal.service_result"),
            (vec![("charged", "yes")], "portal.service_fee"),
            (vec![("phone", "110")], "portal.service_phone"),
            (vec![("task_type", "02")], "portal.service_type"),
            (vec![("materials", "申请书｜复印件")], "portal.service_materials"),
            (vec![("org_id", yb_org.as_str())], "portal.service_org"),
        ] {
            let (s, _, body) = post(&scjg, &app, "/console/portal/services/new", &with(&base, &changes)).await;
            assert_eq!(s, 400, "{be}: {code}");
            assert!(body.contains(code), "{be}: expected {code}");
            assert!(body.contains("犀牛饲养场登记"), "{be}: the form keeps what was typed");
        }
        let n: i64 = qingfeng_platform::on_db!(&app.db, |p| sqlx::query_scalar("SELECT COUNT(*) FROM portal_services WHERE NOT is_demo")
            .fetch_one(p)
            .await)
        .unwrap();
        assert_eq!(n, 0, "{be}: refused guides are not stored");

        // Created as a draft: not public, not searchable.
        let (s, loc, _) = post(&scjg, &app, "/console/portal/services/new", &base).await;
        assert_eq!(s, 303, "{be}");
        let id: i64 = loc.trim_start_matches("/console/portal/services/").trim_end_matches("?saved=1").parse().unwrap();
        let edit = format!("/console/portal/services/{id}");
        let (_, page) = get(&scjg, &app, &edit).await;
        assert!(page.contains("草稿") && page.contains("id=\"event-publish\""), "{be}");
        assert!(page.contains("申请书｜纸质｜1｜必要"), "{be}: materials round-trip through the form");
        assert_eq!(get(&anon, &app, &format!("/portal/services/{id}")).await.0, 404, "{be}");
        assert_eq!(json(&anon, &app, &format!("/api/v1/portal/services/{id}")).await.0, 404, "{be}");
        assert!(hits(&app, "portal_service", "犀牛").is_empty(), "{be}");

        // Published: public, with the rating link, and in the index.
        let (s, _, _) = post(&scjg, &app, &format!("{edit}/publish"), &[("csrf", &csrf)]).await;
        assert_eq!(s, 303, "{be}");
        let (s, page) = get(&anon, &app, &format!("/portal/services/{id}")).await;
        assert_eq!(s, 200, "{be}");
        assert!(page.contains(&format!("href=\"/portal/ratings/new?service={id}\"")) && page.contains("评价 好差评"), "{be}");
        assert!(page.contains("出证办结") && page.contains("核验原件") && page.contains("场所证明"), "{be}");
        assert_eq!(hits(&app, "portal_service", "犀牛"), vec![id.to_string()], "{be}");
        let (s, rate) = get(&anon, &app, &format!("/portal/ratings/new?service={id}")).await;
        assert_eq!(s, 200, "{be}: the 好差评 module rates a published guide");
        assert!(rate.contains("犀牛饲养场登记"), "{be}");
        assert_eq!(audit_count(&app, "portal_service.transition", &id.to_string()).await, 1, "{be}");
        // Publishing twice is refused by the state machine.
        let (s, _, body) = post(&scjg, &app, &format!("{edit}/publish"), &[("csrf", &csrf)]).await;
        assert_eq!(s, 409, "{be}");
        assert!(body.contains("state.illegal"), "{be}");
        assert_eq!(post(&scjg, &app, &format!("{edit}/delete"), &[("csrf", &csrf)]).await.0, 409, "{be}");

        // An edit of a published guide moves its document.
        let (s, _, _) = post(&scjg, &app, &edit, &with(&base, &[("name", "河马饲养场登记")])).await;
        assert_eq!(s, 303, "{be}");
        assert!(hits(&app, "portal_service", "犀牛").is_empty(), "{be}");
        assert_eq!(hits(&app, "portal_service", "河马"), vec![id.to_string()], "{be}");
        assert_eq!(audit_count(&app, "portal_service.update", &id.to_string()).await, 0, "{be}: action names are portal.service_*");
        assert_eq!(audit_count(&app, "portal.service_update", &id.to_string()).await, 1, "{be}");

        // Withdrawn: gone from the public pages and the index; published again: back.
        let (s, _, _) = post(&scjg, &app, &format!("{edit}/unpublish"), &[("csrf", &csrf)]).await;
        assert_eq!(s, 303, "{be}");
        assert_eq!(get(&anon, &app, &format!("/portal/services/{id}")).await.0, 404, "{be}");
        assert!(hits(&app, "portal_service", "河马").is_empty(), "{be}");
        assert_eq!(get(&anon, &app, &format!("/portal/ratings/new?service={id}")).await.0, 404, "{be}: nor rated");
        let (_, page) = get(&scjg, &app, &edit).await;
        assert!(page.contains("已下架"), "{be}");
        post(&scjg, &app, &format!("{edit}/publish"), &[("csrf", &csrf)]).await;
        assert_eq!(hits(&app, "portal_service", "河马"), vec![id.to_string()], "{be}");

        // Another department's guide: refused to market-regulation staff, open to the county admin.
        let (_, v) = json(&anon, &app, &format!("/api/v1/portal/services?dept={yb_org}")).await;
        let yb_guide = v["items"][0]["id"].as_i64().unwrap();
        let (s, body) = get(&scjg, &app, &format!("/console/portal/services/{yb_guide}")).await;
        assert_eq!(s, 403, "{be}");
        assert!(body.contains("portal.not_your_department"), "{be}");
        assert_eq!(post(&scjg, &app, &format!("/console/portal/services/{yb_guide}/unpublish"), &[("csrf", &csrf)]).await.0, 403, "{be}");
        let (_, mine) = get(&scjg, &app, "/console/portal/services").await;
        assert!(mine.contains("河马饲养场登记") && !mine.contains("异地就医备案"), "{be}: staff see their department's guides");
        let county = app.login("county", PW).await;
        let ccsrf = app.csrf_from(&county, "/console/portal/services").await;
        let (s, _, _) = post(&county, &app, &format!("/console/portal/services/{yb_guide}/unpublish"), &[("csrf", &ccsrf)]).await;
        assert_eq!(s, 303, "{be}");
        assert_eq!(get(&anon, &app, &format!("/portal/services/{yb_guide}")).await.0, 404, "{be}");
        let cg = app.login("chengguan", PW).await;
        assert_eq!(get(&cg, &app, "/console/portal/services").await.0, 403, "{be}");
        app.stop().await;
    }
}

#[tokio::test]
async fn the_service_list_filters_and_the_api() {
    for app in apps().await {
        let be = app.backend;
        let c = app.client();
        let scjg_org = dept_id(&app, "清丰县市场监督管理局").await;

        let (s, all) = get(&c, &app, "/portal/services").await;
        assert_eq!(s, 200, "{be}");
        assert!(all.contains("9 项") && all.contains("演示"), "{be}: the nine demo guides");
        let (_, licences) = get(&c, &app, "/portal/services?type=01").await;
        assert!(licences.contains("食品经营许可（演示）") && licences.contains("个体工商户设立登记（演示）"), "{be}");
        assert!(!licences.contains("消费投诉受理（演示）") && licences.contains("2 项"), "{be}");
        let (_, dept) = get(&c, &app, &format!("/portal/services?dept={scjg_org}&type=20")).await;
        assert!(dept.contains("消费投诉受理（演示）") && dept.contains("1 项"), "{be}");
        let (_, q) = get(&c, &app, &format!("/portal/services?q={}", enc("异地就医"))).await;
        assert!(q.contains("异地就医备案（演示）") && q.contains("1 项"), "{be}");
        let (_, paged) = get(&c, &app, "/portal/services?per_page=4&page=2").await;
        assert!(paged.contains("2/3") && paged.contains("per_page=4&#38;page=3"), "{be}: {paged}");

        for (path, code) in [
            ("/portal/services?type=02", "portal.service_filter_type"),
            ("/portal/services?dept=abc", "portal.service_filter_dept"),
            ("/portal/services?page=0", "list.page"),
        ] {
            let (s, body) = get(&c, &app, path).await;
            assert_eq!(s, 400, "{be}: {path}");
            assert!(body.contains(code), "{be}: {path}");
            let (s, v) = json(&c, &app, &path.replace("/portal/", "/api/v1/portal/")).await;
            assert_eq!((s, v["error"]["code"].as_str().unwrap()), (400, code), "{be}: API {path}");
        }

        let (s, v) = json(&c, &app, &format!("/api/v1/portal/services?dept={scjg_org}")).await;
        assert_eq!(s, 200, "{be}");
        assert_eq!(v["total"], 3, "{be}");
        let first = &v["items"][0];
        assert!(first.get("materials").is_none() && first.get("created_by").is_none(), "{be}");
        let id = first["id"].as_i64().unwrap();
        let (s, one) = json(&c, &app, &format!("/api/v1/portal/services/{id}")).await;
        assert_eq!(s, 200, "{be}");
        assert_eq!(one["org_name"], "清丰县市场监督管理局");
        assert_eq!(one["rate_href"], format!("/portal/ratings/new?service={id}"));
        assert_eq!(one["href"], format!("/portal/services/{id}"));
        assert!(one["materials"].as_array().is_some_and(|m| !m.is_empty() && m[0]["name"].is_string()), "{be}: {one}");
        assert_eq!(one["is_demo"], true);
        let (s, v) = json(&c, &app, "/api/v1/portal/services/abc").await;
        assert_eq!((s, v["error"]["code"].as_str().unwrap()), (404, "portal.service_not_found"), "{be}");

        // The demo content is in the search index from start-up on.
        let (_, food) = json(&c, &app, &format!("/api/v1/portal/services?q={}", enc("食品经营许可"))).await;
        let food_id = food["items"][0]["id"].as_i64().unwrap().to_string();
        assert_eq!(hits(&app, "portal_service", "食品经营许可").first(), Some(&food_id), "{be}");
        let yb = dept_id(&app, "清丰县医疗保障局").await.to_string();
        assert!(hits(&app, "portal_department", "医疗保险").contains(&yb), "{be}");
        let (_, v) = json(&c, &app, "/api/v1/portal/departments?per_page=100").await;
        assert_eq!(v["total"], 26, "{be}: every demo county department");
        assert_eq!(v["items"].as_array().unwrap().iter().filter(|d| d["has_profile"] == true).count(), 4, "{be}");
        app.stop().await;
    }
}
