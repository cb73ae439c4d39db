//! A township user cannot read another township's data, through pages or the API.

use qingfeng_platform::session;
use qingfeng_platform::users;

use crate::harness::{PW, apps};

async fn grid_id_in(app: &crate::harness::TestApp, c: &reqwest::Client, township: &str) -> i64 {
    let page: serde_json::Value =
        c.get(app.url(&format!("/api/v1/grids?township={township}&per_page=5"))).send().await.unwrap().json().await.unwrap();
    page["items"][0]["id"].as_i64().unwrap_or_else(|| panic!("no grid in {township}: {page}"))
}

#[tokio::test]
async fn township_user_sees_only_their_township() {
    for app in apps().await {
        let admin = app.login("county", PW).await;
        let liuta_grid = grid_id_in(&app, &admin, "410922200").await;
        let chengguan_grid = grid_id_in(&app, &admin, "410922100").await;

        let cg = app.login("chengguan", PW).await;
        // API list: only 城关镇's 31 grids, whatever filter is asked for.
        let mine: serde_json::Value = cg.get(app.url("/api/v1/grids?per_page=200")).send().await.unwrap().json().await.unwrap();
        assert_eq!(mine["total"], 31, "{}", app.backend);
        assert!(mine["items"].as_array().unwrap().iter().all(|g| g["township_code"] == "410922100"));
        let other: serde_json::Value = cg.get(app.url("/api/v1/grids?township=410922200")).send().await.unwrap().json().await.unwrap();
        assert_eq!(other["total"], 0, "{}", app.backend);
        // API item: another township's grid is refused, one's own is served.
        // Out of scope answers exactly like "does not exist": ids reveal nothing.
        let r = cg.get(app.url(&format!("/api/v1/grids/{liuta_grid}"))).send().await.unwrap();
        assert_eq!(r.status(), 404, "{}", app.backend);
        let body: serde_json::Value = r.json().await.unwrap();
        assert_eq!(body["error"]["code"], "grid.not_found");
        assert!(body["error"]["message"].as_str().unwrap().contains("管辖范围"));
        assert_eq!(cg.get(app.url(&format!("/api/v1/grids/{chengguan_grid}"))).send().await.unwrap().status(), 200);
        // Pages: the same.
        let r = cg.get(app.url(&format!("/console/grids/{liuta_grid}"))).send().await.unwrap();
        assert_eq!(r.status(), 404, "{}", app.backend);
        assert!(r.text().await.unwrap().contains("不在您的管辖范围"));
        let list = cg.get(app.url("/console/grids?township=410922200")).send().await.unwrap().text().await.unwrap();
        assert!(list.contains("没有符合条件的记录"), "{}", app.backend);
        let list = cg.get(app.url("/console/grids?per_page=200")).send().await.unwrap().text().await.unwrap();
        assert!(list.contains("共 31"), "{}", app.backend);
        // Organisations: the other township's government is out of reach.
        let orgs: serde_json::Value = cg.get(app.url("/api/v1/orgs?q=六塔")).send().await.unwrap().json().await.unwrap();
        assert_eq!(orgs["total"], 0, "{}", app.backend);

        // A token acting as the 六塔乡 user is held to 六塔乡 too.
        let liuta = users::by_username(&app.db, "liuta").await.unwrap().unwrap();
        let (_, secret) = session::create_token(
            &app.db,
            session::Issuer::Operator,
            liuta.id,
            "测试",
            &[],
            &qingfeng_platform::web::all_permissions(&[]),
            None,
            &qingfeng_platform::audit::Actor::System("test"),
            0,
        )
        .await
        .unwrap();
        let bare = reqwest::Client::new();
        let r = bare.get(app.url(&format!("/api/v1/grids/{chengguan_grid}"))).bearer_auth(&secret).send().await.unwrap();
        assert_eq!(r.status(), 404, "{}", app.backend);
        let r: serde_json::Value = bare.get(app.url("/api/v1/grids")).bearer_auth(&secret).send().await.unwrap().json().await.unwrap();
        assert_eq!(r["total"], 33, "{}: 六塔乡 has 33 villages", app.backend);
        app.stop().await;
    }
}

#[tokio::test]
async fn department_staff_see_their_own_organisation_only() {
    for app in apps().await {
        let staff = app.login("scjg", PW).await;
        let orgs: serde_json::Value = staff.get(app.url("/api/v1/orgs?per_page=200")).send().await.unwrap().json().await.unwrap();
        assert_eq!(orgs["total"], 1, "{}: {orgs}", app.backend);
        assert_eq!(orgs["items"][0]["name"], "清丰县市场监督管理局");
        app.stop().await;
    }
}

#[tokio::test]
async fn a_township_assigns_its_own_grid_workers_only() {
    for app in apps().await {
        let county = app.login("county", PW).await;
        let liuta_grid = grid_id_in(&app, &county, "410922200").await;
        let cg = app.login("chengguan", PW).await;
        let page: serde_json::Value = cg.get(app.url("/api/v1/grids?q=南关")).send().await.unwrap().json().await.unwrap();
        let nanguan = page["items"][0]["id"].as_i64().unwrap();
        let grid01 = users::by_username(&app.db, "grid01").await.unwrap().unwrap();
        // grid01 looks after 西关 (410922100201); 南关 lies outside that worker's own scope.
        let form = cg.get(app.url(&format!("/console/grids/{nanguan}"))).send().await.unwrap().text().await.unwrap();
        assert!(!form.contains("网格员张"), "{}: a worker is offered for a village outside their scope", app.backend);
        let xiguan: serde_json::Value = cg.get(app.url("/api/v1/grids?q=西关")).send().await.unwrap().json().await.unwrap();
        let xiguan = xiguan["items"][0]["id"].as_i64().unwrap();
        let csrf = app.csrf_from(&cg, &format!("/console/grids/{xiguan}")).await;
        let uid = grid01.id.to_string();
        let r = cg
            .post(app.url(&format!("/console/grids/{nanguan}/worker")))
            .form(&[("csrf", csrf.as_str()), ("user_id", uid.as_str())])
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 400, "{}", app.backend);
        let r = cg
            .post(app.url(&format!("/console/grids/{xiguan}/worker")))
            .form(&[("csrf", csrf.as_str()), ("user_id", "")])
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 303);
        let g: serde_json::Value = cg.get(app.url(&format!("/api/v1/grids/{xiguan}"))).send().await.unwrap().json().await.unwrap();
        assert!(g["worker_user_id"].is_null(), "{}", app.backend);
        let r = cg
            .post(app.url(&format!("/console/grids/{xiguan}/worker")))
            .form(&[("csrf", csrf.as_str()), ("user_id", uid.as_str())])
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 303);
        let g: serde_json::Value = cg.get(app.url(&format!("/api/v1/grids/{xiguan}"))).send().await.unwrap().json().await.unwrap();
        assert_eq!(g["worker_user_id"], grid01.id);
        // Another township's grid cannot be touched.
        let r = cg
            .post(app.url(&format!("/console/grids/{liuta_grid}/worker")))
            .form(&[("csrf", csrf.as_str()), ("user_id", "")])
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 404, "{}", app.backend);
        // Grid workers themselves cannot assign.
        let gw = app.login("grid01", PW).await;
        let csrf = app.csrf_from(&gw, "/console").await;
        let r = gw
            .post(app.url(&format!("/console/grids/{xiguan}/worker")))
            .form(&[("csrf", csrf.as_str()), ("user_id", "")])
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 403);
        app.stop().await;
    }
}
