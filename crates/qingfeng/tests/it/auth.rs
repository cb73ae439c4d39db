//! Sign-in, CSRF, throttling, sessions, passwords, tokens and personal data.

use qingfeng_platform::audit::Actor;
use qingfeng_platform::auth::{Role, Scope};
use qingfeng_platform::{on_db, session, users};

use crate::harness::{PW, apps, extract_csrf};

#[tokio::test]
async fn login_reaches_the_dashboard_and_logout_ends_the_session() {
    for app in apps().await {
        let c = app.client();
        // The console sends strangers to the login page.
        let r = c.get(app.url("/console")).send().await.unwrap();
        assert_eq!(r.status(), 303);
        assert_eq!(r.headers()["location"], "/login");
        let r = app.post_login(&c, "chengguan", PW).await;
        assert_eq!(r.status(), 303, "{}", app.backend);
        let cookie = r
            .headers()
            .get_all("set-cookie")
            .iter()
            .map(|v| v.to_str().unwrap().to_string())
            .find(|v| v.starts_with("qf_session="))
            .unwrap();
        assert!(cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax"), "{cookie}");
        let dash = c.get(app.url("/console")).send().await.unwrap().text().await.unwrap();
        assert!(dash.contains("城关镇（演示）") && dash.contains("乡镇工作人员"), "{}", app.backend);
        assert!(dash.contains("河南省 › 濮阳市 › 清丰县 › 城关镇"));
        // Logging out needs the CSRF token, then ends the session server-side.
        let r = c.post(app.url("/logout")).form(&[("csrf", "wrong")]).send().await.unwrap();
        assert_eq!(r.status(), 403);
        let csrf = extract_csrf(&dash).unwrap();
        let r = c.post(app.url("/logout")).form(&[("csrf", csrf.as_str())]).send().await.unwrap();
        assert_eq!(r.status(), 303);
        assert_eq!(c.get(app.url("/console")).send().await.unwrap().status(), 303);
        app.stop().await;
    }
}

#[tokio::test]
async fn wrong_password_csrf_and_throttling() {
    for app in apps().await {
        let c = app.client();
        let r = app.post_login(&c, "liuta", "wrong-password-1").await;
        assert_eq!(r.status(), 401, "{}", app.backend);
        let page = r.text().await.unwrap();
        assert!(page.contains("用户名或密码错误") && page.contains("auth.invalid_credentials"));
        // Unknown accounts get the same answer.
        let r = app.post_login(&c, "nobody", "wrong-password-1").await;
        assert_eq!(r.status(), 401);
        // A login form without its CSRF token is refused.
        let r = c.post(app.url("/login")).form(&[("username", "liuta"), ("password", PW), ("csrf", "forged")]).send().await.unwrap();
        assert_eq!(r.status(), 403);
        assert!(r.text().await.unwrap().contains("csrf.invalid"));
        // Five failures lock the account for the window, even with the right password.
        for _ in 0..4 {
            app.post_login(&c, "liuta", "wrong-password-1").await;
        }
        let r = app.post_login(&c, "liuta", PW).await;
        assert_eq!(r.status(), 429, "{}", app.backend);
        assert!(r.text().await.unwrap().contains("登录失败次数过多"));
        // Other accounts are not affected.
        app.login("chengguan", PW).await;
        app.stop().await;
    }
}

#[tokio::test]
async fn password_change_and_tokens() {
    for app in apps().await {
        let c = app.login("grid01", PW).await;
        let csrf = app.csrf_from(&c, "/console/password").await;
        let r = c
            .post(app.url("/console/password"))
            .form(&[("csrf", csrf.as_str()), ("old", PW), ("new", "short"), ("repeat", "short")])
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 400);
        assert!(r.text().await.unwrap().contains("密码至少 8 位"));
        let r = c
            .post(app.url("/console/password"))
            .form(&[("csrf", csrf.as_str()), ("old", PW), ("new", "NewPassw0rd"), ("repeat", "NewPassw0rd")])
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 303, "{}", app.backend);
        // The old session is over; the new password works, the old one does not.
        assert_eq!(c.get(app.url("/console")).send().await.unwrap().status(), 303);
        assert_eq!(app.post_login(&app.client(), "grid01", PW).await.status(), 401);
        app.login("grid01", "NewPassw0rd").await;

        // Tokens: issued through the console, usable, revocable.
        let admin = app.login("county", PW).await;
        let csrf = app.csrf_from(&admin, "/console/tokens").await;
        let page = admin
            .post(app.url("/console/tokens"))
            .form(&[("csrf", csrf.as_str()), ("name", "市场监管推送"), ("username", "scjg"), ("permissions", "registry.read")])
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        let start = page.find("id=\"token-secret\">").unwrap() + "id=\"token-secret\">".len();
        let secret = &page[start..start + page[start..].find('<').unwrap()];
        let bare = reqwest::Client::new();
        let me: serde_json::Value = bare.get(app.url("/api/v1/me")).bearer_auth(secret).send().await.unwrap().json().await.unwrap();
        assert_eq!(me["username"], "scjg");
        assert_eq!(me["via_token"], true);
        let tokens = session::list_tokens(&app.db, &Scope::everything()).await.unwrap();
        let id = tokens.iter().find(|t| t.name == "市场监管推送").unwrap().id;
        session::revoke_token(&app.db, &Scope::everything(), id, &Actor::System("test"), 0).await.unwrap();
        let r = bare.get(app.url("/api/v1/me")).bearer_auth(secret).send().await.unwrap();
        assert_eq!(r.status(), 401);
        assert_eq!(r.json::<serde_json::Value>().await.unwrap()["error"]["code"], "token.invalid");
        let r = bare.get(app.url("/api/v1/me")).header("authorization", "Basic abc").send().await.unwrap();
        assert_eq!(r.json::<serde_json::Value>().await.unwrap()["error"]["code"], "token.format");
        app.stop().await;
    }
}

#[tokio::test]
async fn id_numbers_are_encrypted_and_masked() {
    for app in apps().await {
        // Stored encrypted: the clear number appears nowhere in the users table.
        let enc: Vec<Option<String>> =
            on_db!(&app.db, |p| sqlx::query_scalar("SELECT id_number_enc FROM users WHERE username = 'grid01'").fetch_all(p).await)
                .unwrap();
        let enc = enc[0].clone().unwrap();
        assert!(enc.starts_with("v1:") && !enc.contains("410922195001010013"));
        let hits: i64 = on_db!(&app.db, |p| sqlx::query_scalar(
            "SELECT COUNT(*) FROM users WHERE id_number_hash LIKE '%410922%' OR id_number_enc LIKE '%410922195001010013%'"
        )
        .fetch_one(p)
        .await)
        .unwrap();
        assert_eq!(hits, 0);
        // Found again through the keyed hash.
        let found = users::by_id_number(&app.db, &app.running.as_ref().unwrap().state.pii, "410922195001010013").await.unwrap();
        assert_eq!(found[0].username, "grid01");
        // A county administrator sees it masked; the system administrator in full.
        let county = app.login("county", PW).await;
        let page = county.get(app.url("/console/users?q=grid01")).send().await.unwrap().text().await.unwrap();
        assert!(page.contains("4109**********0013") && !page.contains("410922195001010013"), "{}", app.backend);
        let admin = app.login("admin", PW).await;
        let page = admin.get(app.url("/console/users?q=grid01")).send().await.unwrap().text().await.unwrap();
        assert!(page.contains("410922195001010013"), "{}", app.backend);
        // Creating an account with a bad ID number is a clear error and stores nothing.
        let csrf = app.csrf_from(&county, "/console/users").await;
        let before = users::count(&app.db).await.unwrap();
        let r = county
            .post(app.url("/console/users"))
            .form(&[
                ("csrf", csrf.as_str()),
                ("username", "wang"),
                ("display_name", "王"),
                ("password", "Passw0rd99"),
                ("role", "grid_worker"),
                ("scope_division", "410922200"),
                ("id_number", "410922195001010014"),
            ])
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 400, "{}", app.backend);
        assert!(r.text().await.unwrap().contains("id.check_digit"));
        assert_eq!(users::count(&app.db).await.unwrap(), before);
        // And with good input it works.
        let r = county
            .post(app.url("/console/users"))
            .form(&[
                ("csrf", csrf.as_str()),
                ("username", "wang"),
                ("display_name", "王"),
                ("password", "Passw0rd99"),
                ("role", "grid_worker"),
                ("scope_division", "410922200"),
                ("id_number", "41092219450315002x"),
            ])
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 200, "{}", app.backend);
        assert!(r.text().await.unwrap().contains("已创建账号 wang"));
        app.stop().await;
    }
}

#[tokio::test]
async fn tokens_cannot_escalate_or_cross_scope() {
    for app in apps().await {
        let county = app.login("county", PW).await;
        let csrf = app.csrf_from(&county, "/console/tokens").await;
        let issue = |user: &'static str, perms: &'static str| {
            let (c, csrf, url) = (county.clone(), csrf.clone(), app.url("/console/tokens"));
            async move {
                c.post(url)
                    .form(&[("csrf", csrf.as_str()), ("name", "t"), ("username", user), ("permissions", perms)])
                    .send()
                    .await
                    .unwrap()
            }
        };
        // A county administrator cannot mint a token acting as the system administrator…
        let r = issue("admin", "").await;
        assert_eq!(r.status(), 403, "{}", app.backend);
        assert!(r.text().await.unwrap().contains("token.escalation"));
        // …nor hand out a permission the account does not hold, nor an unknown one.
        let r = issue("scjg", "pii.read").await;
        assert_eq!(r.status(), 400);
        assert!(r.text().await.unwrap().contains("token.permission"));
        let r = issue("scjg", "everything.please").await;
        assert!(r.text().await.unwrap().contains("未知权限"));
        assert!(issue("scjg", "registry.read").await.text().await.unwrap().contains("id=\"token-secret\""));

        // An administrator scoped to 城关镇 sees and revokes only tokens of accounts there.
        let pii = &app.running.as_ref().unwrap().state.pii;
        let new = users::NewUser {
            county_code: "410922",
            username: "cgadmin",
            display_name: "城关管理员",
            password: "Passw0rd99",
            org_id: None,
            scope_division: "410922100",
            roles: &[Role::CountyAdmin],
            phone: "",
            id_number: None,
            must_change_password: false,
            is_demo: false,
        };
        users::create(&app.db, pii, &new, &Actor::System("test"), 0).await.unwrap();
        let liuta = users::by_username(&app.db, "liuta").await.unwrap().unwrap();
        let known = qingfeng_platform::web::all_permissions(&[]);
        let (liuta_token, _) =
            session::create_token(&app.db, session::Issuer::Operator, liuta.id, "六塔推送", &[], &known, None, &Actor::System("test"), 0)
                .await
                .unwrap();
        let cg = app.login("cgadmin", "Passw0rd99").await;
        let page = cg.get(app.url("/console/tokens")).send().await.unwrap().text().await.unwrap();
        assert!(!page.contains("六塔推送"), "{}: a token outside the scope is listed", app.backend);
        let csrf = app.csrf_from(&cg, "/console/tokens").await;
        let r = cg.post(app.url(&format!("/console/tokens/{liuta_token}/revoke"))).form(&[("csrf", csrf.as_str())]).send().await.unwrap();
        assert_eq!(r.status(), 404, "{}", app.backend);
        assert!(
            session::list_tokens(&app.db, &Scope::everything())
                .await
                .unwrap()
                .iter()
                .any(|t| t.id == liuta_token && t.revoked_at.is_none())
        );
        app.stop().await;
    }
}

#[tokio::test]
async fn no_open_redirects_and_no_caching_of_staff_pages() {
    for app in apps().await {
        let c = app.client();
        for next in ["//evil.example", "/\\evil.example", "/\t/evil.example", "https://evil.example", "/\n"] {
            let r = c.get(app.url("/lang/en")).query(&[("next", next)]).send().await.unwrap();
            assert_eq!(r.status(), 303, "{next:?}");
            assert_eq!(r.headers()["location"], "/", "{next:?}");
        }
        let csrf = app.csrf_from(&c, "/login").await;
        let r = c
            .post(app.url("/login"))
            .form(&[("username", "chengguan"), ("password", PW), ("csrf", csrf.as_str()), ("next", "/\t/evil.example")])
            .send()
            .await
            .unwrap();
        assert_eq!(r.headers()["location"], "/console", "{}", app.backend);
        let page = c.get(app.url("/console")).send().await.unwrap();
        assert_eq!(page.headers()["cache-control"], "no-store");
        app.stop().await;
    }
}

#[tokio::test]
async fn accounts_made_by_an_administrator_change_their_password_first() {
    for app in apps().await {
        let county = app.login("county", PW).await;
        let csrf = app.csrf_from(&county, "/console/users").await;
        let scjg = app.client().get(app.url("/api/v1/orgs?q=市场监督")).send().await.unwrap().status();
        assert_eq!(scjg, 401);
        let orgs: serde_json::Value = county.get(app.url("/api/v1/orgs?q=市场监督管理局")).send().await.unwrap().json().await.unwrap();
        let org_id = orgs["items"][0]["id"].as_i64().unwrap().to_string();
        let r = county
            .post(app.url("/console/users"))
            .form(&[
                ("csrf", csrf.as_str()),
                ("username", "zhao"),
                ("display_name", "赵"),
                ("password", "Passw0rd99"),
                ("role.dept_staff", "on"),
                ("role.credit_officer", "on"),
                ("org_id", org_id.as_str()),
            ])
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 200, "{}", app.backend);
        let zhao = users::by_username(&app.db, "zhao").await.unwrap().unwrap();
        assert_eq!(zhao.roles, "credit_officer,dept_staff");
        assert_eq!(zhao.org_name.as_deref(), Some("清丰县市场监督管理局"));
        // A county administrator cannot make a system administrator.
        let r = county
            .post(app.url("/console/users"))
            .form(&[
                ("csrf", csrf.as_str()),
                ("username", "boss"),
                ("display_name", "某"),
                ("password", "Passw0rd99"),
                ("role.system_admin", "on"),
            ])
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 403);
        let c = app.login("zhao", "Passw0rd99").await;
        let r = c.get(app.url("/console/orgs")).send().await.unwrap();
        assert_eq!(r.status(), 303);
        assert_eq!(r.headers()["location"], "/console/password", "{}", app.backend);
        app.stop().await;
    }
}
