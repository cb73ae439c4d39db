//! Search, background jobs and webhooks as staff reach them.

use std::time::Duration;

use qingfeng_platform::jobs::{self, NewJob};

use crate::harness::{PW, apps};

#[tokio::test]
async fn staff_search_finds_bureaus_and_villages_within_scope() {
    for app in apps().await {
        let county = app.login("county", PW).await;
        let page = county.get(app.url("/console/search?q=市场监督")).send().await.unwrap().text().await.unwrap();
        assert!(page.contains("清丰县市场监督管理局"), "{}", app.backend);
        let page = county.get(app.url("/console/search?q=西关")).send().await.unwrap().text().await.unwrap();
        assert!(page.contains("西关村委会"), "{}", app.backend);
        // User text never breaks the query.
        for q in ["\"", "AND OR NOT", "title:(*", "🙂🙂", "%_\\", &"长".repeat(500)] {
            let r = county.get(app.url("/console/search")).query(&[("q", q)]).send().await.unwrap();
            assert_eq!(r.status(), 200, "{} {q}", app.backend);
        }
        // A township user does not find another township's government.
        let cg = app.login("chengguan", PW).await;
        let page = cg.get(app.url("/console/search?q=六塔乡人民政府")).send().await.unwrap().text().await.unwrap();
        assert!(!page.contains("<span>六塔乡人民政府</span>"), "{}: found an organisation out of scope", app.backend);
        let page = cg.get(app.url("/console/search?q=城关镇人民政府")).send().await.unwrap().text().await.unwrap();
        assert!(page.contains("<span>城关镇人民政府</span>"), "{}", app.backend);
        let page = county.get(app.url("/console/search?q=六塔乡人民政府")).send().await.unwrap().text().await.unwrap();
        assert!(page.contains("<span>六塔乡人民政府</span>"), "{}: the county sees it", app.backend);
        app.stop().await;
    }
}

#[tokio::test]
async fn the_running_server_runs_jobs_and_manages_webhooks() {
    for app in apps().await {
        let id =
            jobs::enqueue(&app.db, 0, &NewJob::new("410922", "platform.session_sweep", serde_json::json!({}), 0)).await.unwrap().unwrap();
        let mut status = String::new();
        for _ in 0..100 {
            status = jobs::get(&app.db, id).await.unwrap().unwrap().status;
            if status == "done" {
                break;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        assert_eq!(status, "done", "{}: the scheduler inside the server ran the job", app.backend);

        let admin = app.login("county", PW).await;
        let csrf = app.csrf_from(&admin, "/console/ops").await;
        let r = admin
            .post(app.url("/console/ops"))
            .form(&[("csrf", csrf.as_str()), ("name", "县综治平台"), ("url", "ftp://x"), ("topics", "*")])
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 400, "{}", app.backend);
        assert!(r.text().await.unwrap().contains("webhook.url"));
        let page = admin
            .post(app.url("/console/ops"))
            .form(&[
                ("csrf", csrf.as_str()),
                ("name", "县综治平台"),
                ("url", "http://127.0.0.1:9/hook"),
                ("topics", "mediation.case_closed"),
            ])
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert!(page.contains("id=\"webhook-secret\"") && page.contains("县综治平台"), "{}", app.backend);
        // Township staff may not manage webhooks.
        let cg = app.login("chengguan", PW).await;
        assert_eq!(cg.get(app.url("/console/ops")).send().await.unwrap().status(), 403);
        app.stop().await;
    }
}
