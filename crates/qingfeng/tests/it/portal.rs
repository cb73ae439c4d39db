//! 营商环境直通车 over HTTP on both databases: the home with its 13 modules, the policy
//! library loaded once, a search to a highlighted snippet and on to the article, the JSON
//! API, and bad input answered with a Chinese message and a stable code.

use serde_json::Value;

use crate::harness::apps;

const MODULES_ZH: [&str; 13] = [
    "营商动态",
    "营商政策",
    "部门职责",
    "权责清单",
    "市场准入负面清单",
    "公共服务",
    "收费清单",
    "小事快办",
    "企业家维权投诉",
    "好差评",
    "问卷调查",
    "经典案例",
    "曝光台",
];

fn enc(s: &str) -> String {
    qingfeng_platform::web::urlencode(s)
}

/// The first `href="/portal/policies/{id}#art-N"` of a page: (id, N).
fn first_hit(html: &str) -> (i64, i64) {
    let at = html.find("class=\"pt-hit\"").expect("a hit");
    let at = at + html[at..].find("href=\"/portal/policies/").expect("a hit link");
    let rest = &html[at + "href=\"/portal/policies/".len()..];
    let end = rest.find('"').unwrap();
    let (id, n) = rest[..end].split_once("#art-").expect("link to an article");
    (id.parse().unwrap(), n.parse().unwrap())
}

#[tokio::test]
async fn the_portal_home_a_policy_search_the_article_and_the_api() {
    for app in apps().await {
        let be = app.backend;
        let c = app.client();
        let get = |path: String| {
            let c = c.clone();
            let url = app.url(&path);
            async move {
                let r = c.get(url).send().await.unwrap();
                let status = r.status().as_u16();
                (status, r.text().await.unwrap())
            }
        };

        // The platform home links the portal tile, and the portal home lists the 13
        // modules in the mini program's order; only 营商政策 is a link, the rest 建设中.
        let (s, root) = get("/".into()).await;
        assert_eq!(s, 200);
        assert!(root.contains("href=\"/portal\""), "{be}: portal tile is not live");
        let (s, home) = get("/portal".into()).await;
        assert_eq!(s, 200, "{be}");
        let mut at = 0;
        for name in MODULES_ZH {
            let pos = home[at..]
                .find(&format!("<span class=\"pt-name\">{name}</span>"))
                .unwrap_or_else(|| panic!("{be}: {name} missing or out of order"));
            at += pos;
        }
        // The modules built so far are links; the rest say 建设中.
        let built = qingfeng_portal::model::MODULES.iter().filter(|m| m.href.is_some()).count();
        assert!(built >= 1);
        assert_eq!(home.matches("建设中").count(), 13 - built, "{be}");
        assert_eq!(home.matches("class=\"pt-tile\" href=").count(), built, "{be}");
        assert!(home.contains("href=\"/portal/policies\""));
        assert!(home.contains("id=\"portal-q\""));
        let en = app.client();
        assert_eq!(en.get(app.url("/lang/en?next=/portal")).send().await.unwrap().status(), 303);
        let en_home = en.get(app.url("/portal")).send().await.unwrap().text().await.unwrap();
        assert!(
            en_home.contains("<span class=\"pt-en\">Negative list</span>") && en_home.matches("Coming soon").count() == 13 - built,
            "{be}"
        );
        let en_list = en.get(app.url("/portal/policies?level=henan")).send().await.unwrap().text().await.unwrap();
        assert!(en_list.contains(">Henan</a>") && en_list.contains("articles"), "{be}");

        // The library is in the database once, whatever the number of start-ups.
        let counts: (i64, i64) = qingfeng_platform::on_db!(&app.db, |p| sqlx::query_as(
            "SELECT (SELECT COUNT(*) FROM portal_policies), (SELECT COUNT(*) FROM portal_policy_articles)"
        )
        .fetch_one(p)
        .await)
        .unwrap();
        assert_eq!(counts, (40, 2059), "{be}");
        let again = qingfeng_portal::store::ensure_loaded(&app.db, &qingfeng_portal::policy::library(), 0).await.unwrap();
        assert_eq!((again.inserted, again.updated, again.unchanged), (0, 0, 40), "{be}");

        // Search: the payments regulation comes first, the matched words marked.
        let (s, page) = get(format!("/portal/policies?q={}", enc("中小企业 款项"))).await;
        assert_eq!(s, 200, "{be}: {page}");
        assert!(page.contains("id=\"policy-hits\""));
        let first = page.find("class=\"pt-hit\"").unwrap();
        assert!(
            page[first..].find("保障中小企业款项支付条例 第").is_some_and(|p| p < 200),
            "{be}: first hit is not the payments regulation"
        );
        assert!(page.contains("<mark>"), "{be}: nothing highlighted");
        let (id, n) = first_hit(&page);
        // The regulation whose title holds both words is offered on its own, first.
        let titles = page.find("id=\"policy-titles\"").expect("matching titles");
        assert!(titles < first && page[titles..first].contains("保障中小企业款项支付条例"), "{be}");
        let (_, by_name) = get(format!("/portal/policies?q={}", enc("优化营商环境条例"))).await;
        let named = by_name.find("id=\"policy-titles\"").map(|at| &by_name[at..by_name[at..].find("</section>").unwrap() + at]).unwrap();
        assert_eq!(named.matches("<li>").count(), 5, "{be}: national + Henan + 4 cities, at most 5 shown");
        let (_, wild) = get(format!("/portal/policies?q={}", enc("%_条例"))).await;
        assert!(!wild.contains("id=\"policy-titles\""), "{be}: LIKE wildcards must be literal");

        // The article page has the anchor the hit links to, and the policy's facts.
        let (s, art) = get(format!("/portal/policies/{id}")).await;
        assert_eq!(s, 200, "{be}");
        assert!(art.contains(&format!("id=\"art-{n}\"")), "{be}: anchor art-{n} missing");
        assert!(art.contains("<h1>保障中小企业款项支付条例</h1>"));
        assert!(art.contains("国务院令第802号"));
        assert!(art.contains("第二章 款项支付规定"));
        assert!(art.contains("未核实"), "{be}: status must be unknown until confirmed");

        // A text without a first chapter heading still gets a named contents entry.
        let v: Value = c.get(app.url("/api/v1/portal/policies?level=puyang")).send().await.unwrap().json().await.unwrap();
        let trade =
            v["items"].as_array().unwrap().iter().find(|p| p["title"] == "濮阳市公共资源交易管理条例").unwrap()["id"].as_i64().unwrap();
        let (_, trade) = get(format!("/portal/policies/{trade}")).await;
        assert!(trade.contains("<a href=\"#art-1\">第一条起（原文未分章）</a>"), "{be}");
        assert!(!trade.contains("\"></a>"), "{be}: empty link");

        // The next page goes on where the first stopped.
        assert!(page.contains("rel=\"next\""), "{be}");
        let (s, two) = get(format!("/portal/policies?q={}&page=2", enc("中小企业 款项"))).await;
        assert_eq!(s, 200);
        assert!(two.contains("rel=\"prev\"") && two.contains("class=\"pt-hit\""), "{be}");
        assert!(!two.contains("id=\"policy-titles\""), "{be}: matching titles only on the first page");

        // What the user typed is text, never markup.
        let (s, evil) = get(format!("/portal/policies?q={}", enc("<script>alert(1)</script> 中小企业"))).await;
        assert_eq!(s, 200);
        assert!(!evil.contains("<script>alert"), "{be}: query echoed unescaped");

        // Browse by level.
        let (s, puyang) = get("/portal/policies?level=puyang".into()).await;
        assert_eq!(s, 200);
        assert_eq!(puyang.matches("<span class=\"pt-title\">濮阳市").count(), 3, "{be}");
        assert_eq!(puyang.matches("<span class=\"pt-title\">").count(), 3, "{be}");

        // Bad input: Chinese message, stable code, never a 500.
        let long = "营".repeat(101);
        for (path, status, code) in [
            (format!("/portal/policies?q={}", enc(&long)), 400, "portal.query_too_long"),
            ("/portal/policies?q=x&page=abc".to_string(), 400, "portal.bad_page"),
            ("/portal/policies?q=x&page=0".to_string(), 400, "portal.bad_page"),
            ("/portal/policies?q=x&page=99999999999999999999999".to_string(), 400, "portal.bad_page"),
            ("/portal/policies?level=mars".to_string(), 400, "portal.bad_level"),
            ("/portal/policies/abc".to_string(), 404, "portal.policy_not_found"),
            ("/portal/policies/999999".to_string(), 404, "portal.policy_not_found"),
            ("/portal/policies/-1".to_string(), 404, "portal.policy_not_found"),
        ] {
            let (s, body) = get(path.clone()).await;
            assert_eq!(s, status, "{be} {path}");
            assert!(body.contains(code), "{be} {path}: no {code}");
            assert!(body.contains("页码") || body.contains("搜索内容") || body.contains("层级") || body.contains("政策"), "{be} {path}");
        }

        // The JSON API: the same hits, and the list by level.
        let r = c.get(app.url(&format!("/api/v1/portal/policies?q={}", enc("中小企业 款项")))).send().await.unwrap();
        assert_eq!(r.status(), 200);
        let v: Value = r.json().await.unwrap();
        assert!(v["total"].as_u64().unwrap() >= 37, "{be}: {v}");
        let hit = &v["items"][0];
        assert!(hit["title"].as_str().unwrap().starts_with("保障中小企业款项支付条例 第"), "{be}: {hit}");
        assert!(hit["snippet_html"].as_str().unwrap().contains("<mark>"));
        assert!(!hit["snippet"].as_str().unwrap().contains("<mark>"));
        assert_eq!(hit["href"].as_str().unwrap(), format!("/portal/policies/{}#art-{}", hit["policy_id"], hit["number"]));
        let v: Value = c.get(app.url("/api/v1/portal/policies?level=national")).send().await.unwrap().json().await.unwrap();
        assert_eq!(v["total"], 22, "{be}");
        assert_eq!(v["items"].as_array().unwrap().iter().filter(|p| p["status"] == "unknown").count(), 22);
        let r = c.get(app.url("/api/v1/portal/policies?q=x&page=abc")).send().await.unwrap();
        assert_eq!(r.status(), 400);
        let v: Value = r.json().await.unwrap();
        assert_eq!(v["error"]["code"], "portal.bad_page", "{be}");
        let r = c.get(app.url(&format!("/api/v1/portal/policies?q={}", enc(&long)))).send().await.unwrap();
        assert_eq!(r.status(), 400);

        app.stop().await;
    }
}

/// 营商政策维护: a county administrator confirms a policy in force with its basis; the
/// public page and the API show it, the audit chain records it; others may not.
#[tokio::test]
async fn staff_confirm_a_policys_status_with_a_basis() {
    for app in apps().await {
        let be = app.backend;
        let v: Value = app.client().get(app.url("/api/v1/portal/policies?level=national")).send().await.unwrap().json().await.unwrap();
        let policy = v["items"].as_array().unwrap().iter().find(|p| p["title"] == "优化营商环境条例").unwrap().clone();
        let id = policy["id"].as_i64().unwrap();
        let path = format!("/console/portal/policies/{id}");

        // Not for everyone.
        let anon = app.client().get(app.url(&path)).send().await.unwrap();
        assert_eq!(anon.status(), 303, "{be}");
        let grid = app.login("grid01", crate::harness::PW).await;
        assert_eq!(grid.get(app.url(&path)).send().await.unwrap().status(), 403, "{be}");

        let c = app.login("county", crate::harness::PW).await;
        let list = c.get(app.url("/console/portal/policies")).send().await.unwrap().text().await.unwrap();
        assert!(list.contains(&format!("href=\"{path}\"")), "{be}");
        let console = c.get(app.url("/console")).send().await.unwrap().text().await.unwrap();
        assert!(console.contains("/console/portal/policies"), "{be}: no console link");

        // A status without its basis is refused, and so is a missing token.
        let csrf = app.csrf_from(&c, &path).await;
        let r = c.post(app.url(&path)).form(&[("csrf", csrf.as_str()), ("status", "in_force"), ("basis", "  ")]).send().await.unwrap();
        assert_eq!(r.status(), 400, "{be}");
        assert!(r.text().await.unwrap().contains("portal.status_basis"));
        let r = c.post(app.url(&path)).form(&[("status", "in_force"), ("basis", "x")]).send().await.unwrap();
        assert!(r.status().is_client_error(), "{be}: accepted without csrf");
        let r = c.post(app.url(&path)).form(&[("csrf", csrf.as_str()), ("status", "bogus"), ("basis", "x")]).send().await.unwrap();
        assert_eq!(r.status(), 400, "{be}");

        let basis = "国家法律法规数据库，2026年11月30日查询";
        let r = c.post(app.url(&path)).form(&[("csrf", csrf.as_str()), ("status", "in_force"), ("basis", basis)]).send().await.unwrap();
        assert_eq!(r.status(), 303, "{be}: {}", r.text().await.unwrap_or_default());
        let public = app.client().get(app.url(&format!("/portal/policies/{id}"))).send().await.unwrap().text().await.unwrap();
        assert!(public.contains("现行有效") && public.contains(basis), "{be}");
        let v: Value = app.client().get(app.url("/api/v1/portal/policies?level=national")).send().await.unwrap().json().await.unwrap();
        let p = v["items"].as_array().unwrap().iter().find(|p| p["id"] == id).unwrap();
        assert_eq!(p["status"], "in_force");
        assert_eq!(p["status_basis"], basis);
        assert!(p.get("status_checked_by").is_none(), "{be}: staff usernames stay off the public API");

        let logged: i64 = qingfeng_platform::on_db!(&app.db, |p| sqlx::query_scalar(
            "SELECT COUNT(*) FROM audit_log WHERE action = 'portal.policy_status' AND entity_id = $1"
        )
        .bind(id.to_string())
        .fetch_one(p)
        .await)
        .unwrap();
        assert_eq!(logged, 1, "{be}");
        assert!(qingfeng_platform::audit::verify(&app.db).await.unwrap().is_intact(), "{be}");

        // Reloading the unchanged library keeps the confirmation.
        qingfeng_portal::store::ensure_loaded(&app.db, &qingfeng_portal::policy::library(), 0).await.unwrap();
        let after = qingfeng_portal::store::policy(&app.db, id).await.unwrap().unwrap();
        assert_eq!(after.status, "in_force", "{be}");
        app.stop().await;
    }
}
