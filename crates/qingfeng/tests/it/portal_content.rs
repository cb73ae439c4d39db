//! 营商动态 / 经典案例 / 曝光台 over HTTP on both databases: the article workflow with its
//! illegal moves and the refused self-approval, scheduled publishing by the job on a test
//! clock, withdrawal taking an article out of search; exposure entries that vanish the
//! moment their credit record is repaired or their publicity ends, with the withdrawal in
//! the audit chain; bad input answered in Chinese with a code.

use chrono::TimeZone;
use qingfeng_platform::audit::{self, Actor};
use qingfeng_platform::{Clock, session, testing, users};
use qingfeng_search::SearchQuery;

use crate::harness::{PW, TestApp};

/// 2026-11-30 09:00 in Qingfeng.
fn start() -> chrono::DateTime<chrono::Utc> {
    qingfeng_core::CHINA_STANDARD_TIME.with_ymd_and_hms(2026, 11, 30, 9, 0, 0).unwrap().with_timezone(&chrono::Utc)
}

async fn post(app: &TestApp, c: &reqwest::Client, path: &str, csrf_page: &str, form: &[(&str, &str)]) -> reqwest::Response {
    let csrf = app.csrf_from(c, csrf_page).await;
    let mut all: Vec<(&str, &str)> = vec![("csrf", &csrf)];
    all.extend_from_slice(form);
    c.post(app.url(path)).form(&all).send().await.unwrap()
}

fn location(r: &reqwest::Response) -> String {
    r.headers().get("location").map(|l| l.to_str().unwrap().to_string()).unwrap_or_default()
}

/// Write a draft as `c`; returns its id.
async fn write(app: &TestApp, c: &reqwest::Client, channel: &str, category: &str, title: &str) -> i64 {
    let r = post(
        app,
        c,
        "/console/portal/news/new",
        "/console/portal/news/new",
        &[
            ("channel", channel),
            ("category", category),
            ("title", title),
            ("summary", ""),
            ("body", "第一段。\n<b>第二段</b>"),
            ("source", ""),
        ],
    )
    .await;
    assert_eq!(r.status(), 303, "{}: {}", app.backend, r.text().await.unwrap());
    let loc = location(&r);
    loc.trim_start_matches("/console/portal/news/").split('?').next().unwrap().parse().unwrap()
}

async fn act(app: &TestApp, c: &reqwest::Client, id: i64, form: &[(&str, &str)]) -> (u16, String) {
    let page = format!("/console/portal/news/{id}");
    let r = post(app, c, &format!("{page}/act"), &page, form).await;
    let status = r.status().as_u16();
    (status, r.text().await.unwrap())
}

async fn state_of(app: &TestApp, id: i64) -> String {
    qingfeng_portal::content::store::get_any(&app.db, id).await.unwrap().unwrap().state
}

async fn public(app: &TestApp, path: &str) -> (u16, String) {
    let r = app.client().get(app.url(path)).send().await.unwrap();
    (r.status().as_u16(), r.text().await.unwrap())
}

const PNG: &[u8] = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x01\0\0\0\x01";

async fn upload(app: &TestApp, c: &reqwest::Client, id: i64, name: &str, bytes: &[u8]) -> (u16, String) {
    let csrf = app.csrf_from(c, &format!("/console/portal/news/{id}")).await;
    let form = reqwest::multipart::Form::new()
        .text("csrf", csrf)
        .text("role", "cover")
        .part("file", reqwest::multipart::Part::bytes(bytes.to_vec()).file_name(name.to_string()));
    let r = c.post(app.url(&format!("/console/portal/news/{id}/images"))).multipart(form).send().await.unwrap();
    (r.status().as_u16(), r.text().await.unwrap())
}

fn search_hits(app: &TestApp, text: &str, kind: &str) -> Vec<String> {
    let q = SearchQuery { text: text.into(), kinds: vec![kind.into()], county: None, limit: 20, offset: 0 };
    app.state().search.search(&q).unwrap().hits.into_iter().map(|h| h.id).collect()
}

#[tokio::test]
async fn portal_news_workflow_with_review_schedule_and_withdrawal() {
    for tdb in testing::all().await.unwrap() {
        let app = TestApp::start_at(tdb, Clock::fixed(start())).await;
        let be = app.backend;
        let st = app.state().clone();
        let author = app.login("scjg", PW).await;
        let reviewer = app.login("county", PW).await;

        // Bad input: the page answers in Chinese with the code, nothing is stored.
        let r = post(
            &app,
            &author,
            "/console/portal/news/new",
            "/console/portal/news/new",
            &[("channel", "news"), ("category", "work"), ("title", " "), ("body", "x")],
        )
        .await;
        assert_eq!(r.status(), 400, "{be}");
        let page = r.text().await.unwrap();
        assert!(page.contains("请填写标题") && page.contains("portal.title"), "{be}: {page}");
        let r = post(
            &app,
            &author,
            "/console/portal/news/new",
            "/console/portal/news/new",
            &[("channel", "cases"), ("category", "work"), ("title", "t"), ("body", "x")],
        )
        .await;
        assert!(r.text().await.unwrap().contains("portal.category"), "{be}: a news category is refused for a case");

        let id = write(&app, &author, "news", "work", "县里召开演示座谈会").await;
        assert_eq!(state_of(&app, id).await, "draft");
        // A cover image; anything but PNG or JPEG is refused in Chinese.
        assert_eq!(upload(&app, &author, id, "封面.png", PNG).await.0, 303, "{be}");
        let (s, page) = upload(&app, &author, id, "动图.gif", b"GIF89a....").await;
        assert_eq!(s, 400, "{be}");
        assert!(page.contains("portal.image_type") && page.contains("PNG 或 JPEG"), "{be}");
        let images = qingfeng_platform::attachments::list_for_owner(&app.db, "portal_article", id).await.unwrap();
        assert_eq!(images.len(), 1, "{be}");
        let cover = images[0].id;
        assert_eq!(public(&app, &format!("/portal/media/{cover}")).await.0, 404, "{be}: not public before publication");
        assert_eq!(author.get(app.url(&format!("/console/portal/news/media/{cover}"))).send().await.unwrap().status(), 200);
        // Department staff cannot approve; a reviewer cannot approve a draft.
        let (s, _) = act(&app, &author, id, &[("event", "approve")]).await;
        assert_eq!(s, 403, "{be}: authors do not review");
        let (s, page) = act(&app, &reviewer, id, &[("event", "approve")]).await;
        assert_eq!(s, 409, "{be}");
        assert!(page.contains("state.illegal") && page.contains("草稿"), "{be}: {page}");
        let (s, page) = act(&app, &reviewer, id, &[("event", "publish")]).await;
        assert!(s >= 400 && page.contains("state.illegal"), "{be}: people never fire 到时发布: {s}");
        // Drafts are not public.
        assert_eq!(public(&app, &format!("/portal/news/{id}")).await.0, 404);

        // Submit; return without a reason is refused, with one it goes back to draft.
        assert_eq!(act(&app, &author, id, &[("event", "submit")]).await.0, 303, "{be}");
        let (s, page) = act(&app, &reviewer, id, &[("event", "return"), ("reason", " ")]).await;
        assert_eq!(s, 400, "{be}");
        assert!(page.contains("请填写退回理由") && page.contains("portal.reason"), "{be}");
        assert_eq!(act(&app, &reviewer, id, &[("event", "return"), ("reason", "请补充会议时间")]).await.0, 303);
        assert_eq!(state_of(&app, id).await, "draft");
        let edit = author.get(app.url(&format!("/console/portal/news/{id}"))).send().await.unwrap().text().await.unwrap();
        assert!(edit.contains("请补充会议时间"), "{be}: the author sees why");
        assert_eq!(act(&app, &author, id, &[("event", "submit")]).await.0, 303);

        // The staff list filters by state; the review queue holds what waits for review.
        let get = |c: &reqwest::Client, path: &str| {
            let (c, url) = (c.clone(), app.url(path));
            async move {
                let r = c.get(url).send().await.unwrap();
                (r.status().as_u16(), r.text().await.unwrap())
            }
        };
        let (_, queue) = get(&reviewer, "/console/portal/news/review").await;
        assert!(queue.contains("县里召开演示座谈会"), "{be}");
        let (_, drafts) = get(&author, "/console/portal/news?state=draft").await;
        assert!(!drafts.contains("县里召开演示座谈会"), "{be}: it is in review, not a draft");
        let (s, page) = get(&author, "/console/portal/news?state=bogus").await;
        assert_eq!(s, 400, "{be}");
        assert!(page.contains("portal.state"), "{be}");
        assert_eq!(get(&author, "/console/portal/news/review").await.0, 403, "{be}: the queue is the reviewers'");

        // Separation of duties: the county admin's own article is not theirs to approve.
        let own = write(&app, &reviewer, "cases", "credit", "自写自审的演示案例").await;
        assert_eq!(act(&app, &reviewer, own, &[("event", "submit")]).await.0, 303);
        let (s, page) = act(&app, &reviewer, own, &[("event", "approve")]).await;
        assert_eq!(s, 403, "{be}");
        assert!(page.contains("portal.self_review") && page.contains("不能审核自己撰写的文章"), "{be}");
        assert_eq!(state_of(&app, own).await, "review");

        // Approved for tomorrow 09:00: 待发布 until the job publishes it at that time.
        let (s, page) = act(&app, &reviewer, id, &[("event", "approve"), ("publish_at", "明天")]).await;
        assert_eq!(s, 400, "{be}");
        assert!(page.contains("portal.publish_at"), "{be}");
        assert_eq!(act(&app, &reviewer, id, &[("event", "approve"), ("publish_at", "2026-12-01T09:00")]).await.0, 303);
        assert_eq!(state_of(&app, id).await, "scheduled", "{be}");
        assert_eq!(public(&app, &format!("/portal/news/{id}")).await.0, 404, "{be}: not before its time");
        assert!(!public(&app, "/portal/news").await.1.contains("县里召开演示座谈会"));
        tokio::time::sleep(std::time::Duration::from_millis(400)).await;
        assert_eq!(state_of(&app, id).await, "scheduled", "{be}: the job waits for its time");
        st.clock.advance(chrono::Duration::hours(24) + chrono::Duration::minutes(1));
        let mut published = false;
        for _ in 0..100 {
            if state_of(&app, id).await == "published" {
                published = true;
                break;
            }
            tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        }
        assert!(published, "{be}: the scheduled job published the article");
        let (s, list) = public(&app, "/portal/news").await;
        assert_eq!(s, 200);
        assert!(list.contains("县里召开演示座谈会") && list.contains("2026-12-01"), "{be}: {list}");
        let (s, one) = public(&app, &format!("/portal/news/{id}")).await;
        assert_eq!(s, 200, "{be}");
        assert!(one.contains("第二段") && !one.contains("<b>第二段"), "{be}: staff text is escaped: {one}");
        assert_eq!(public(&app, &format!("/portal/cases/{id}")).await.0, 404, "{be}: a news item is not a case");
        assert_eq!(search_hits(&app, "座谈会", "portal_news"), vec![id.to_string()], "{be}");
        assert!(one.contains(&format!("src=\"/portal/media/{cover}\"")), "{be}: the cover is shown");
        assert_eq!(public(&app, &format!("/portal/media/{cover}")).await.0, 200, "{be}: public once published");
        let api: serde_json::Value = app.client().get(app.url("/api/v1/portal/news")).send().await.unwrap().json().await.unwrap();
        assert!(api["items"].as_array().unwrap().iter().any(|a| a["id"] == id && a["href"] == format!("/portal/news/{id}")), "{be}: {api}");
        let jobs: Vec<qingfeng_platform::jobs::Job> = qingfeng_platform::jobs::list_recent(&app.db, 50).await.unwrap();
        assert!(jobs.iter().any(|j| j.kind == "portal.content.publish" && j.status == "done"), "{be}");

        // Withdrawal needs a reason, takes the article off the site and out of search.
        let reviewer = app.login("county", PW).await;
        assert_eq!(act(&app, &reviewer, id, &[("event", "withdraw")]).await.0, 400);
        assert_eq!(act(&app, &reviewer, id, &[("event", "withdraw"), ("reason", "内容需更新")]).await.0, 303);
        assert_eq!(state_of(&app, id).await, "withdrawn");
        assert_eq!(public(&app, &format!("/portal/news/{id}")).await.0, 404, "{be}");
        assert!(search_hits(&app, "座谈会", "portal_news").is_empty(), "{be}: withdrawn articles leave the index");
        assert_eq!(public(&app, &format!("/portal/media/{cover}")).await.0, 404, "{be}: nor are its images public");
        let (s, _) = act(&app, &reviewer, id, &[("event", "withdraw"), ("reason", "again")]).await;
        assert_eq!(s, 409, "{be}: a withdrawn article cannot be withdrawn again");

        // Every move is in the audit chain, and the chain is whole.
        let h = audit::history(&app.db, "portal_article", &id.to_string(), 50).await.unwrap();
        let moves: Vec<String> = h
            .iter()
            .filter(|e| e.action == "portal_article.transition")
            .map(|e| serde_json::from_str::<serde_json::Value>(&e.detail).unwrap()["event"].as_str().unwrap().to_string())
            .rev()
            .collect();
        assert_eq!(moves, ["submit", "return", "submit", "schedule", "publish", "withdraw"], "{be}");
        assert!(h.iter().any(|e| e.actor == "system:scheduler"), "{be}: the job published it");
        assert!(audit::verify(&app.db).await.unwrap().is_intact(), "{be}");

        // Public bad input: Chinese with a code, never a 500.
        let r = app.client().get(app.url("/api/v1/portal/news?category=zzz")).send().await.unwrap();
        assert_eq!(r.status(), 400);
        let e: serde_json::Value = r.json().await.unwrap();
        assert_eq!(e["error"]["code"], "portal.category", "{be}: {e}");
        let (s, page) = public(&app, "/portal/cases?page=abc").await;
        assert_eq!(s, 400, "{be}");
        assert!(page.contains("list.page") && page.contains("页码"), "{be}");
        assert_eq!(public(&app, "/portal/news/abc").await.0, 404);
        // The demo articles are public, marked 演示, newest first, with category tabs.
        let (_, cases) = public(&app, "/portal/cases?category=credit").await;
        assert!(cases.contains("信用修复") && cases.contains("演示"), "{be}");
        app.stop().await;
    }
}

fn firm() -> String {
    let body = "MA40EX12";
    let org = qingfeng_core::gb11714_check_char(body).unwrap();
    let first17 = format!("91410922{body}{org}");
    format!("{first17}{}", qingfeng_core::uscc_check_char(&first17).unwrap())
}

async fn dept_code(app: &TestApp, c: &reqwest::Client, name: &str) -> String {
    let orgs: serde_json::Value = c.get(app.url("/api/v1/orgs")).query(&[("q", name)]).send().await.unwrap().json().await.unwrap();
    orgs["items"][0]["uscc"].as_str().unwrap().to_string()
}

/// Audit entries of an exposure entry with this action.
async fn lapses(app: &TestApp, id: i64) -> usize {
    audit::history(&app.db, "portal_exposure", &id.to_string(), 50)
        .await
        .unwrap()
        .iter()
        .filter(|e| e.action == "portal_exposure.transition" && e.detail.contains("\"event\":\"lapse\""))
        .count()
}

/// The test's own entry from `kind` (not the demo's).
async fn entry_id(app: &TestApp, kind: &str) -> i64 {
    let all = qingfeng_portal::exposure::store::all(&app.db, "410922", 100).await.unwrap();
    all.into_iter().find(|e| e.source_kind == kind && !e.is_demo).unwrap().id
}

#[tokio::test]
async fn portal_exposure_entries_vanish_when_their_source_ends() {
    for tdb in testing::all().await.unwrap() {
        let app = TestApp::start_at(tdb, Clock::fixed(start())).await;
        let be = app.backend;
        let st = app.state().clone();
        let county = "410922";

        // The credit platform: a firm on the 严重失信主体名单 until 2026-12-10, and a
        // market-regulation penalty in publicity.
        let key = qingfeng_credit::ingest::SubjectCode::Uscc(&firm()).key(county);
        let subject = qingfeng_credit::store::NewSubject {
            county,
            key_hash: key,
            kind: "legal",
            name: "清丰县曝光测试商贸有限公司",
            uscc: Some(&firm()),
            id_hash: None,
            id_enc: None,
        };
        let now = st.clock.now_ms();
        let subject_id = qingfeng_credit::store::ensure_subject(&app.db, &subject, now).await.unwrap();
        let listing = qingfeng_credit::store::NewListEntry {
            county,
            list_kind: "black",
            subject_id,
            basis: "严重违法失信行为（测试）",
            authority: "清丰县市场监督管理局",
            source_ref: "清市监列〔2026〕9号",
            listed_on: "2026-06-10",
            ends_on: Some("2026-12-10"),
        };
        assert!(qingfeng_credit::store::add_list_entry(&app.db, &listing, &Actor::System("test"), now).await.unwrap());
        let office = app.login("county", PW).await;
        let scjg_code = dept_code(&app, &office, "清丰县市场监督管理局").await;
        let scjg = users::by_username(&app.db, "scjg").await.unwrap().unwrap();
        let known = qingfeng_platform::web::all_permissions(&qingfeng::modules());
        let (_, token) = session::create_token(
            &app.db,
            session::Issuer::Operator,
            scjg.id,
            "推送",
            &["credit.import".into()],
            &known,
            None,
            &Actor::System("test"),
            0,
        )
        .await
        .unwrap();
        let cf = serde_json::json!([{
            "CF_XDR_MC": "清丰县曝光测试商贸有限公司", "CF_XDR_LB": "法人及非法人组织", "CF_XDR_SHXYM": firm(),
            "CF_WSH": "清市监罚〔2026〕88号", "CF_WFXW": "虚假宣传", "CF_SY": "发布虚假广告", "CF_YJ": "《中华人民共和国广告法》第五十五条",
            "CF_CFLB": "罚款", "CF_NR": "罚款二万元", "CF_NR_FK": "2", "CF_JDRQ": "2026/10/08", "CF_YXQ": "2027/10/08",
            "CF_CFJG": "清丰县市场监督管理局", "CF_CFJGDM": scjg_code, "CF_SJLY": "清丰县市场监督管理局", "CF_SJLYDM": scjg_code
        }]);
        let r = reqwest::Client::new().post(app.url("/api/v1/credit/records?kind=cf")).bearer_auth(&token).json(&cf).send().await.unwrap();
        let a: serde_json::Value = r.json().await.unwrap();
        assert_eq!(a["stored"], 1, "{be}: {a}");
        let record =
            qingfeng_credit::store::records_of(&app.db, subject_id, true).await.unwrap().into_iter().find(|r| r.kind == "cf").unwrap();

        // A person on the list too: shown with the ID number masked, as the credit pages do.
        let person_id = "410922195001010013";
        let (hash, enc) = (st.pii.lookup_hash(person_id), st.pii.encrypt(person_id));
        let person = qingfeng_credit::store::NewSubject {
            county,
            key_hash: qingfeng_credit::ingest::SubjectCode::Person(&hash).key(county),
            kind: "natural",
            name: "钱测试",
            uscc: None,
            id_hash: Some(&hash),
            id_enc: Some(&enc),
        };
        let person_subject = qingfeng_credit::store::ensure_subject(&app.db, &person, now).await.unwrap();
        let person_listing =
            qingfeng_credit::store::NewListEntry {
                subject_id: person_subject, source_ref: "清市监列〔2026〕10号", ..listing.clone()
            };
        assert!(qingfeng_credit::store::add_list_entry(&app.db, &person_listing, &Actor::System("test"), now).await.unwrap());

        // The check brings the list entries onto the board by themselves.
        let r = post(&app, &office, "/console/portal/exposure/sweep", "/console/portal/exposure", &[]).await;
        assert_eq!(r.status(), 303, "{be}");
        let (_, board) = public(&app, "/portal/exposure").await;
        assert!(board.contains("清丰县曝光测试商贸有限公司被列入严重失信主体名单"), "{be}: {board}");
        let all = qingfeng_portal::exposure::store::all(&app.db, county, 100).await.unwrap();
        let listed = all.iter().find(|e| e.source_kind == "credit_list" && e.subject_id == Some(subject_id)).unwrap().id;
        let listed_person = all.iter().find(|e| e.source_kind == "credit_list" && e.subject_id == Some(person_subject)).unwrap().id;
        let (_, page) = public(&app, &format!("/portal/exposure/{listed_person}")).await;
        assert!(page.contains("钱测试") && page.contains("4109**********0013") && !page.contains(person_id), "{be}: {page}");
        let one: serde_json::Value =
            app.client().get(app.url(&format!("/api/v1/portal/exposure/{listed_person}"))).send().await.unwrap().json().await.unwrap();
        assert_eq!(one["subject_code"], "4109**********0013", "{be}: {one}");
        let (_, page) = public(&app, &format!("/portal/exposure/{listed}")).await;
        assert!(page.contains(&firm()), "{be}: enterprises with their USCC");

        // Staff flag the penalty; a record that is not the subject's penalty is refused.
        let code = firm();
        let page = office.get(app.url(&format!("/console/portal/exposure?code={code}"))).send().await.unwrap().text().await.unwrap();
        assert!(page.contains("清市监罚〔2026〕88号"), "{be}: the penalty in publicity is offered");
        let r =
            post(&app, &office, "/console/portal/exposure/flag", "/console/portal/exposure", &[("code", &code), ("record_id", "999999")])
                .await;
        assert_eq!(r.status(), 400, "{be}");
        assert!(r.text().await.unwrap().contains("portal.exposure_record"));
        let rid = record.id.to_string();
        let r =
            post(&app, &office, "/console/portal/exposure/flag", "/console/portal/exposure", &[("code", &code), ("record_id", &rid)]).await;
        assert_eq!(r.status(), 303, "{be}: {}", r.text().await.unwrap());
        let penalty = entry_id(&app, "credit_penalty").await;
        let (s, detail) = public(&app, &format!("/portal/exposure/{penalty}")).await;
        assert_eq!(s, 200, "{be}");
        assert!(
            detail.contains("清市监罚〔2026〕88号")
                && detail.contains("发布虚假广告")
                && detail.contains(record.publicity_max_end.as_deref().unwrap()),
            "{be}: the basis, the decision number and the publicity end are shown: {detail}"
        );
        let r =
            post(&app, &office, "/console/portal/exposure/flag", "/console/portal/exposure", &[("code", &code), ("record_id", &rid)]).await;
        assert!(r.text().await.unwrap().contains("portal.exposure_duplicate"), "{be}: flagged once");

        // A hand entry needs its basis and a lawful period.
        let hand = |basis: &'static str, end: &'static str| {
            vec![
                ("title", "演示餐馆违规使用过期食材被处罚"),
                ("subject_name", "某演示餐馆"),
                ("basis", basis),
                ("doc_no", "清市监罚〔2026〕90号"),
                ("authority", "清丰县市场监督管理局"),
                ("decided_on", "2026-11-20"),
                ("publicity_end", end),
            ]
        };
        let r = post(&app, &office, "/console/portal/exposure/manual", "/console/portal/exposure", &hand("", "2027-05-20")).await;
        assert_eq!(r.status(), 400, "{be}");
        assert!(r.text().await.unwrap().contains("请填写曝光依据"), "{be}");
        let r =
            post(&app, &office, "/console/portal/exposure/manual", "/console/portal/exposure", &hand("使用超过保质期的食材", "2027-13-01"))
                .await;
        assert!(r.text().await.unwrap().contains("portal.exposure_end"), "{be}");
        let r =
            post(&app, &office, "/console/portal/exposure/manual", "/console/portal/exposure", &hand("使用超过保质期的食材", "2027-05-20"))
                .await;
        assert_eq!(r.status(), 303, "{be}");
        let api: serde_json::Value = app.client().get(app.url("/api/v1/portal/exposure")).send().await.unwrap().json().await.unwrap();
        let titles: Vec<&str> = api["items"].as_array().unwrap().iter().map(|e| e["title"].as_str().unwrap()).collect();
        assert!(
            titles.contains(&"演示餐馆违规使用过期食材被处罚") && titles.contains(&"清丰县曝光测试商贸有限公司受到行政处罚"),
            "{be}: {titles:?}"
        );
        // Credit officers maintain the board; department staff do not.
        let dept = app.login("scjg", PW).await;
        assert_eq!(dept.get(app.url("/console/portal/exposure")).send().await.unwrap().status(), 403);

        // The record is repaired (信用修复 ends its publicity): the entry is gone at once,
        // before any job runs, and the check logs the withdrawal once.
        qingfeng_platform::on_db!(&app.db, |p| sqlx::query("UPDATE credit_records SET published = FALSE WHERE id = $1")
            .bind(record.id)
            .execute(p)
            .await
            .map(|r| r.rows_affected())
            .unwrap());
        let (_, board) = public(&app, "/portal/exposure").await;
        assert!(!board.contains("受到行政处罚"), "{be}: a repaired record is never shown");
        assert_eq!(public(&app, &format!("/portal/exposure/{penalty}")).await.0, 404);
        let cal = st.calendar_now();
        qingfeng_portal::exposure::store::sweep(&app.db, &cal, county, st.clock.today(), st.clock.now_ms()).await.unwrap();
        qingfeng_portal::exposure::store::sweep(&app.db, &cal, county, st.clock.today(), st.clock.now_ms()).await.unwrap();
        assert_eq!(lapses(&app, penalty).await, 1, "{be}: the withdrawal is logged once");
        assert_eq!(lapses(&app, listed).await, 0, "{be}: the list entry still stands");

        // Eleven days on the list entry's period is over: gone from the board by itself.
        st.clock.advance(chrono::Duration::days(11));
        let (_, board) = public(&app, "/portal/exposure").await;
        assert!(!board.contains("被列入严重失信主体名单") && board.contains("演示餐馆"), "{be}: {board}");
        let run = qingfeng_portal::exposure::store::sweep(&app.db, &cal, county, st.clock.today(), st.clock.now_ms()).await.unwrap();
        assert_eq!(run.added, 0, "{be}: an ended entry does not come back");
        assert_eq!(lapses(&app, listed).await, 1, "{be}");
        let h = audit::history(&app.db, "portal_exposure", &listed.to_string(), 10).await.unwrap();
        assert!(h[0].detail.contains("公示期届满") && h[0].actor == "system:exposure", "{be}: {}", h[0].detail);

        // Staff withdraw a hand entry with a reason.
        let office = app.login("county", PW).await;
        let manual = entry_id(&app, "manual").await;
        let r = post(&app, &office, &format!("/console/portal/exposure/{manual}/withdraw"), "/console/portal/exposure", &[("reason", "")])
            .await;
        assert!(r.text().await.unwrap().contains("请填写撤下理由"), "{be}");
        let r = post(
            &app,
            &office,
            &format!("/console/portal/exposure/{manual}/withdraw"),
            "/console/portal/exposure",
            &[("reason", "当事人已整改")],
        )
        .await;
        assert_eq!(r.status(), 303, "{be}");
        assert_eq!(public(&app, &format!("/portal/exposure/{manual}")).await.0, 404);
        let r = app.client().get(app.url("/api/v1/portal/exposure?page=0")).send().await.unwrap();
        assert_eq!(r.status(), 400);
        assert!(audit::verify(&app.db).await.unwrap().is_intact(), "{be}");
        app.stop().await;
    }
}
