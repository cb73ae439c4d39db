//! The division API, health checks, headers and error shapes.

use crate::harness::apps;

#[tokio::test]
async fn divisions_of_the_real_county() {
    for app in apps().await {
        let c = app.client();
        let county: serde_json::Value = c.get(app.url("/api/v1/divisions/410922")).send().await.unwrap().json().await.unwrap();
        assert_eq!(county["name"], "清丰县", "{}", app.backend);
        assert_eq!(county["level"], "county");
        assert_eq!(county["parent_code"], "4109");
        let kids: serde_json::Value = c.get(app.url("/api/v1/divisions/410922/children")).send().await.unwrap().json().await.unwrap();
        assert_eq!(kids["count"], 17, "{}", app.backend);
        let chengguan: serde_json::Value =
            c.get(app.url("/api/v1/divisions/410922100/children")).send().await.unwrap().json().await.unwrap();
        assert_eq!(chengguan["count"], 31, "{}", app.backend);
        assert_eq!(chengguan["items"][0]["level"], "village");
        // The 12-digit form of the county code names the same division.
        let same: serde_json::Value = c.get(app.url("/api/v1/divisions/410922000000")).send().await.unwrap().json().await.unwrap();
        assert_eq!(same["code"], "410922");
        // All 512 village-level units are there.
        let mut villages = 0;
        for t in kids["items"].as_array().unwrap() {
            let v: serde_json::Value = c
                .get(app.url(&format!("/api/v1/divisions/{}/children", t["code"].as_str().unwrap())))
                .send()
                .await
                .unwrap()
                .json()
                .await
                .unwrap();
            villages += v["count"].as_i64().unwrap();
        }
        assert_eq!(villages, 512, "{}", app.backend);
        app.stop().await;
    }
}

#[tokio::test]
async fn bad_input_is_a_chinese_error_with_a_code_never_a_500() {
    for app in apps().await {
        let c = app.client();
        for (path, status, code) in [
            ("/api/v1/divisions/41092x", 400, "division.charset"),
            ("/api/v1/divisions/4109221", 400, "division.length"),
            ("/api/v1/divisions/410999", 404, "division.not_found"),
            ("/api/v1/no-such-thing", 404, "not_found"),
            ("/api/v1/grids", 401, "auth.required"),
        ] {
            let r = c.get(app.url(path)).send().await.unwrap();
            assert_eq!(r.status().as_u16(), status, "{} {path}", app.backend);
            let body: serde_json::Value = r.json().await.unwrap();
            assert_eq!(body["error"]["code"], code, "{} {path}: {body}", app.backend);
            let msg = body["error"]["message"].as_str().unwrap();
            assert!(msg.chars().any(|ch| ('\u{4e00}'..='\u{9fff}').contains(&ch)), "message not Chinese: {msg}");
        }
        // Malformed query strings and forms: our codes and Chinese, not the framework's text.
        let staff = app.login("county", crate::harness::PW).await;
        let r = staff.get(app.url("/api/v1/grids?page=1&page=2")).send().await.unwrap();
        assert_eq!(r.status(), 400, "{}", app.backend);
        assert_eq!(r.json::<serde_json::Value>().await.unwrap()["error"]["code"], "request.query");
        let r = staff.get(app.url("/api/v1/grids?page=-1")).send().await.unwrap();
        assert_eq!(r.json::<serde_json::Value>().await.unwrap()["error"]["code"], "list.page");
        let r = staff.get(app.url("/console/orgs?per_page=1&per_page=2")).send().await.unwrap();
        assert_eq!(r.status(), 400);
        assert!(r.text().await.unwrap().contains("查询参数格式有误"));
        let r = staff.get(app.url("/console/orgs?sort=password")).send().await.unwrap();
        assert_eq!(r.status(), 400);
        assert!(r.text().await.unwrap().contains("list.sort"));
        let r = c.post(app.url("/login")).header("content-type", "application/json").body("{}").send().await.unwrap();
        assert_eq!(r.status(), 415);
        assert!(r.text().await.unwrap().contains("request.form"));
        let r = c.get(app.url("/no/such/page")).send().await.unwrap();
        assert_eq!(r.status(), 404);
        assert!(r.text().await.unwrap().contains("页面不存在"));
        app.stop().await;
    }
}

#[tokio::test]
async fn health_home_and_security_headers() {
    for app in apps().await {
        let c = app.client();
        assert_eq!(c.get(app.url("/healthz")).send().await.unwrap().text().await.unwrap(), "ok");
        let ready = c.get(app.url("/readyz")).send().await.unwrap();
        assert_eq!(ready.status(), 200);
        let home = c.get(app.url("/")).send().await.unwrap();
        let h = home.headers().clone();
        assert!(h["content-security-policy"].to_str().unwrap().contains("frame-ancestors 'none'"));
        assert_eq!(h["x-frame-options"], "DENY");
        assert_eq!(h["referrer-policy"], "same-origin");
        assert_eq!(h["x-content-type-options"], "nosniff");
        let html = home.text().await.unwrap();
        assert!(html.contains("社会信用信息平台") && html.contains("智慧养老"));
        assert!(html.contains("id=\"stat-townships\">17<"), "home shows 17 townships");
        assert!(html.contains("id=\"stat-villages\">512<"), "home shows 512 villages");
        // English switch.
        let en = app.client();
        let r = en.get(app.url("/lang/en?next=/")).send().await.unwrap();
        assert_eq!(r.status(), 303);
        let html = en.get(app.url("/")).send().await.unwrap().text().await.unwrap();
        assert!(html.contains("Qingfeng County Digital Governance"));
        // The switch never redirects off-site.
        let r = en.get(app.url("/lang/en?next=//evil.example")).send().await.unwrap();
        assert_eq!(r.headers()["location"], "/");
        let css = c.get(app.url("/static/app.css")).send().await.unwrap();
        assert_eq!(css.headers()["content-type"], "text/css; charset=utf-8");
        app.stop().await;
    }
}
