//! The exchange with the county 综治 platform and the court mediation platform
//! (`docs/exchange.md`), on both databases: case events reach a loopback receiver
//! subscribed as a webhook endpoint, signed, retried after a failure and processed once
//! each; signed pushes from the platforms create a case once and file it with the court.

use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::Router;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::routing::post;
use qingfeng_mediation::exchange::{self, INBOUND_FORMAT};
use qingfeng_mediation::rules::Rules;
use qingfeng_mediation::store::{self, Case};
use qingfeng_mediation::workflow::{self, ActionInput, Env, IntakeInput, PartyInput};
use qingfeng_platform::audit::{self, Actor};
use qingfeng_platform::auth::ALL_ROLES;
use qingfeng_platform::outbox::{self, Deliverer, DeliveryStats, NewEndpoint};
use qingfeng_platform::sql::Sql;
use qingfeng_platform::web::AppState;
use qingfeng_platform::{Clock, session, users};
use serde_json::{Value, json};

use crate::harness::{PW, TestApp, apps, apps_with};

const COUNTY: &str = "410922";
const HOOK_SECRET: &str = "hook-secret-0123456789";
const ZONGZHI_SECRET: &str = "zongzhi-secret-0123456789";
const COURT_SECRET: &str = "court-secret-0123456789";
/// 城关镇 · a village of the county.
const VILLAGE: &str = "410922100201";
const APPLICANT: &str = "王秀兰";
const PHONE: &str = "13812345678";

/// What the loopback receiver (the outside platform) saw.
#[derive(Default)]
struct Seen {
    /// (idempotency key, topic, signature valid, body) per request, in arrival order.
    requests: Vec<(String, String, bool, String)>,
    /// The keys it processed, each once: it dedups on the idempotency key.
    processed: Vec<String>,
    /// Answer 500 to this many requests (after processing them, as a receiver that
    /// fails on its way out would).
    fail_next: usize,
}

type Shared = Arc<Mutex<Seen>>;

async fn hook(State(seen): State<Shared>, headers: HeaderMap, body: Bytes) -> StatusCode {
    let h = |name: &str| headers.get(name).and_then(|v| v.to_str().ok()).unwrap_or("").to_string();
    let key = h("x-qingfeng-idempotency-key");
    let valid = outbox::verify_signature(HOOK_SECRET, &h("x-qingfeng-timestamp"), &body, &h("x-qingfeng-signature"));
    let mut s = seen.lock().unwrap();
    s.requests.push((key.clone(), h("x-qingfeng-topic"), valid, String::from_utf8_lossy(&body).into_owned()));
    if !valid {
        return StatusCode::UNAUTHORIZED;
    }
    if !s.processed.contains(&key) {
        s.processed.push(key);
    }
    if s.fail_next > 0 {
        s.fail_next -= 1;
        return StatusCode::INTERNAL_SERVER_ERROR;
    }
    StatusCode::OK
}

async fn receiver(fail_next: usize) -> (SocketAddr, Shared) {
    let seen = Arc::new(Mutex::new(Seen { fail_next, ..Seen::default() }));
    let app = Router::new().route("/hook", post(hook)).with_state(seen.clone());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await });
    (addr, seen)
}

fn state(app: &TestApp) -> &AppState {
    &app.running.as_ref().unwrap().state
}

fn dispute(external_ref: &str) -> IntakeInput {
    IntakeInput {
        category: "neighbour".into(),
        summary: "两户因院墙界址发生争执，多次协商未果".into(),
        claim: "请求确认界址并拆除越界院墙".into(),
        village_code: VILLAGE.into(),
        place: "城关镇村东头".into(),
        applicant: PartyInput { name: APPLICANT.into(), code: String::new(), phone: PHONE.into() },
        respondent: PartyInput { name: "赵建国".into(), ..PartyInput::default() },
        external_ref: external_ref.into(),
        ..IntakeInput::default()
    }
}

/// Register a dispute the way the 综治 channel does, straight through the workflow.
async fn intake(st: &AppState, external_ref: &str) -> Case {
    let cal = st.calendar.read().unwrap().clone();
    let env = Env { db: &st.db, cal: &cal, rules: Rules::shipped(), now_ms: st.clock.now_ms() };
    let (new, parties) =
        workflow::check_intake(&st.db, &st.pii, COUNTY, "zongzhi", &dispute(external_ref), st.clock.today()).await.unwrap();
    workflow::intake(env, new, parties, None, &Actor::System("test")).await.unwrap()
}

/// Fire `event` on a case as the system would (timers, routing).
async fn fire(st: &AppState, case: &Case, event: &str) -> Case {
    let cal = st.calendar.read().unwrap().clone();
    let env = Env { db: &st.db, cal: &cal, rules: Rules::shipped(), now_ms: st.clock.now_ms() };
    let input = ActionInput { event: event.into(), reason: "当事人不同意调解".into(), ..ActionInput::default() };
    workflow::fire(env, case, event, &input, &Actor::System("test"), ALL_ROLES).await.unwrap()
}

/// The outbox messages to the endpoint `endpoint_id`, oldest first.
async fn messages(app: &TestApp, endpoint_id: i64) -> Vec<outbox::Message> {
    let mut m: Vec<_> = outbox::list_recent(&app.db, 1000).await.unwrap().into_iter().filter(|m| m.endpoint_id == endpoint_id).collect();
    m.reverse();
    m
}

/// Wait (up to 10 s) until the messages to `endpoint_id` satisfy `done`.
async fn until(app: &TestApp, endpoint_id: i64, what: &str, done: impl Fn(&[outbox::Message]) -> bool) -> Vec<outbox::Message> {
    for _ in 0..100 {
        let m = messages(app, endpoint_id).await;
        if done(&m) {
            return m;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("{}: {what} never happened: {:#?}", app.backend, messages(app, endpoint_id).await);
}

#[tokio::test]
async fn case_events_reach_a_subscribed_platform_signed_retried_and_once_each() {
    for app in apps().await {
        let st = state(&app);
        let (addr, seen) = receiver(1).await;
        let url = format!("http://{addr}/hook");
        let topics = exchange::topic_list();
        let new = NewEndpoint { county_code: COUNTY, name: "县综治平台", url: &url, topics: &topics, secret: Some(HOOK_SECRET) };
        let ep = outbox::create_endpoint(&app.db, 0, &new, &Actor::System("test")).await.unwrap();
        // An endpoint of another system hears nothing of mediation.
        let bank =
            NewEndpoint {
                county_code: COUNTY, name: "银行", url: "http://127.0.0.1:9/bank", topics: "credit.loan.applied", secret: None
            };
        let bank = outbox::create_endpoint(&app.db, 0, &bank, &Actor::System("test")).await.unwrap();

        let case = intake(st, "ZZ-2026-000777").await;
        // The running server's deliverer posts both events; the receiver fails the first.
        let m = until(&app, ep.id, "first delivery round", |m| {
            m.len() == 2 && m.iter().all(|m| m.last_status.is_some()) && m.iter().any(|m| m.status == outbox::DELIVERED)
        })
        .await;
        let failed = m.iter().find(|m| m.status == outbox::PENDING).unwrap();
        assert_eq!((failed.attempts, failed.last_status), (1, Some(500)), "{}", app.backend);
        assert!(failed.next_attempt_at > st.clock.now_ms(), "backing off on {}", app.backend);
        let topics: Vec<&str> = m.iter().map(|m| m.topic.as_str()).collect();
        assert_eq!(topics, ["mediation.case.created", "mediation.case.routed"], "{}", app.backend);

        // Time passes: the retry is due, and delivered.
        let later = Deliverer::new(
            app.db.clone(),
            Clock::fixed(chrono::Utc::now() + chrono::Duration::minutes(5)),
            reqwest::Client::builder().no_proxy().build().unwrap(),
        );
        assert_eq!(later.deliver_due_once().await.unwrap(), DeliveryStats { delivered: 1, retried: 0, dead: 0 }, "{}", app.backend);
        assert_eq!(later.deliver_due_once().await.unwrap(), DeliveryStats::default(), "nothing left on {}", app.backend);
        let m = messages(&app, ep.id).await;
        assert!(m.iter().all(|m| m.status == outbox::DELIVERED), "{}", app.backend);
        assert_eq!(m.iter().map(|m| m.attempts).sum::<i64>(), 3, "one retry in all on {}", app.backend);
        assert!(messages(&app, bank.id).await.is_empty(), "{}", app.backend);

        {
            let s = seen.lock().unwrap();
            assert_eq!(s.requests.len(), 3, "{}", app.backend);
            assert!(s.requests.iter().all(|r| r.2), "every attempt verifies with the shared secret on {}", app.backend);
            let created_key = format!("mediation:{}:created", case.tracking_code);
            let routed_key = format!("mediation:{}:routed", case.tracking_code);
            let mut processed = s.processed.clone();
            processed.sort();
            assert_eq!(processed, [created_key.clone(), routed_key], "each key processed once on {}", app.backend);
            // The retry carries the same key and the same body as the failed attempt.
            let retried: Vec<_> = s.requests.iter().filter(|r| r.0 == failed.idempotency_key).collect();
            assert_eq!(retried.len(), 2, "{}", app.backend);
            assert_eq!(retried[0].3, retried[1].3, "{}", app.backend);
            let created = s.requests.iter().find(|r| r.0 == created_key).unwrap();
            assert_eq!(created.1, "mediation.case.created");
            let body: Value = serde_json::from_str(&created.3).unwrap();
            assert_eq!(body["format"], exchange::FORMAT);
            assert_eq!(body["event"], "created");
            assert_eq!(body["case"]["tracking_code"], case.tracking_code.as_str());
            assert_eq!(body["case"]["external_ref"], "ZZ-2026-000777");
            assert_eq!(body["case"]["channel"], "zongzhi");
            for r in &s.requests {
                assert!(!r.3.contains(APPLICANT) && !r.3.contains(PHONE) && !r.3.contains("院墙"), "personal data left: {}", r.3);
            }
        }

        // A transition is one more event, keyed by its audit sequence number.
        let referred = fire(st, &case, "refer").await;
        assert_eq!(referred.state, "referred");
        let m = until(&app, ep.id, "the refer event", |m| m.len() == 3 && m.iter().all(|m| m.status == outbox::DELIVERED)).await;
        assert_eq!(m[2].topic, "mediation.case.refer", "{}", app.backend);
        let body: Value = serde_json::from_str(&m[2].payload).unwrap();
        let seq = body["sequence"].as_i64().unwrap();
        assert_eq!(m[2].idempotency_key, format!("mediation:{}:{seq}", case.tracking_code));
        assert_eq!((body["case"]["state"].as_str(), body["case"]["state_zh"].as_str()), (Some("referred"), Some("已移送立案")));

        // The same 综治 case pushed again is the same case: no new event.
        assert_eq!(intake(st, "ZZ-2026-000777").await.id, case.id);
        tokio::time::sleep(Duration::from_millis(300)).await;
        assert_eq!(messages(&app, ep.id).await.len(), 3, "{}", app.backend);
        {
            let s = seen.lock().unwrap();
            assert_eq!(s.requests.len(), 4, "{}", app.backend);
            assert_eq!(s.processed.len(), 3, "{}", app.backend);
        }
        app.stop().await;
    }
}

/// A token of `username` limited to the exchange permission (or all the account's).
async fn token(app: &TestApp, username: &str, only_exchange: bool) -> String {
    let known = qingfeng_platform::web::all_permissions(&qingfeng::modules());
    let u = users::by_username(&app.db, username).await.unwrap().unwrap();
    let perms: Vec<String> = if only_exchange { vec![qingfeng_mediation::PERM_EXCHANGE.key.to_string()] } else { Vec::new() };
    session::create_token(&app.db, session::Issuer::Operator, u.id, username, &perms, &known, None, &Actor::System("test"), 0)
        .await
        .unwrap()
        .1
}

/// One signed message as an outside platform sends it.
struct Push<'a> {
    source: &'a str,
    token: Option<&'a str>,
    key: Option<&'a str>,
    secret: &'a str,
    /// Seconds added to the current time in the timestamp.
    skew: i64,
}

impl<'a> Push<'a> {
    fn new(source: &'a str, token: &'a str, key: &'a str) -> Push<'a> {
        let secret = if source == "court" { COURT_SECRET } else { ZONGZHI_SECRET };
        Push { source, token: Some(token), key: Some(key), secret, skew: 0 }
    }

    async fn send_raw(&self, app: &TestApp, body: &[u8]) -> (u16, Value) {
        let ts = chrono::Utc::now().timestamp() + self.skew;
        let mut r = reqwest::Client::new()
            .post(app.url(&format!("/api/v1/mediation/inbound/{}", self.source)))
            .header("Content-Type", "application/json")
            .header("X-Qingfeng-Timestamp", ts.to_string())
            .header("X-Qingfeng-Signature", outbox::sign(self.secret, ts, body))
            .body(body.to_vec());
        if let Some(t) = self.token {
            r = r.bearer_auth(t);
        }
        if let Some(k) = self.key {
            r = r.header("X-Qingfeng-Idempotency-Key", k);
        }
        let r = r.send().await.unwrap();
        let status = r.status().as_u16();
        (status, r.json().await.unwrap_or(Value::Null))
    }

    async fn send(&self, app: &TestApp, body: &Value) -> (u16, Value) {
        self.send_raw(app, body.to_string().as_bytes()).await
    }
}

fn create_message(external_ref: &str) -> Value {
    json!({"format": INBOUND_FORMAT, "type": "case.create", "case": dispute(external_ref)})
}

fn status_message(tracking_code: &str, event: &str, court_case_no: &str) -> Value {
    json!({"format": INBOUND_FORMAT, "type": "case.status",
           "status": {"tracking_code": tracking_code, "event": event, "court_case_no": court_case_no}})
}

async fn cases_with_ref(app: &TestApp, external_ref: &str) -> i64 {
    let mut s = Sql::new("SELECT COUNT(*) FROM mediation_cases WHERE external_ref = ");
    s.bind(external_ref);
    s.fetch_i64(&app.db).await.unwrap()
}

fn code(answer: &Value) -> &str {
    answer["error"]["code"].as_str().unwrap_or("")
}

fn with_secrets(cfg: &mut qingfeng_platform::config::Config) {
    cfg.mediation_zongzhi_secret = ZONGZHI_SECRET.into();
    cfg.mediation_court_secret = COURT_SECRET.into();
}

#[tokio::test]
async fn the_zongzhi_platform_pushes_a_case_once_signed_and_fresh() {
    for app in apps_with(with_secrets).await {
        let t = token(&app, "county", true).await;
        let msg = create_message("ZZ-2026-000123");
        let push = Push::new("zongzhi", &t, "zz-msg-1");
        let (status, first) = push.send(&app, &msg).await;
        assert_eq!(status, 200, "{}: {first}", app.backend);
        assert_eq!(first["duplicate"], false);
        assert_eq!((first["state"].as_str(), first["state_zh"].as_str()), (Some("unassigned"), Some("待分派")), "routed on intake");
        let tracking = first["tracking_code"].as_str().unwrap().to_string();
        let case = store::case_by_tracking(&app.db, &tracking).await.unwrap().unwrap();
        assert_eq!((case.channel.as_str(), case.external_ref.as_deref()), ("zongzhi", Some("ZZ-2026-000123")));
        let history = audit::history(&app.db, "mediation_case", &case.id.to_string(), 10).await.unwrap();
        assert!(history.iter().any(|e| e.action == "mediation_case.created" && e.actor == "system:zongzhi_platform"), "{}", app.backend);

        // The same message again (a retry after a lost answer): the first answer, nothing new.
        let (status, again) = push.send(&app, &msg).await;
        assert_eq!(status, 200, "{}: {again}", app.backend);
        assert_eq!(again["duplicate"], true);
        assert_eq!(again["tracking_code"], tracking.as_str());
        // The same case number under a new key: the case already there.
        let (status, other) = Push::new("zongzhi", &t, "zz-msg-2").send(&app, &msg).await;
        assert_eq!((status, other["duplicate"].as_bool(), other["tracking_code"].as_str()), (200, Some(true), Some(tracking.as_str())));
        assert_eq!(cases_with_ref(&app, "ZZ-2026-000123").await, 1, "{}", app.backend);
        // A key reused for other content is refused.
        let (status, reused) = push.send(&app, &create_message("ZZ-2026-000124")).await;
        assert_eq!((status, code(&reused)), (409, "mediation.inbound_key_reused"), "{}", app.backend);
        assert_eq!(cases_with_ref(&app, "ZZ-2026-000124").await, 0);

        // Signatures: wrong secret, stale or future timestamp, none at all.
        let fresh = create_message("ZZ-2026-000125");
        let forged = Push { secret: "not-the-shared-secret-00", ..Push::new("zongzhi", &t, "zz-msg-3") };
        let (status, a) = forged.send(&app, &fresh).await;
        assert_eq!((status, code(&a)), (401, "mediation.inbound_signature"), "{}: {a}", app.backend);
        assert!(a["error"]["message"].as_str().unwrap().contains("签名"));
        for skew in [-600, 600] {
            let (status, a) = Push { skew, ..Push::new("zongzhi", &t, "zz-msg-3") }.send(&app, &fresh).await;
            assert_eq!((status, code(&a)), (401, "mediation.inbound_stale"), "{skew} on {}", app.backend);
        }
        let bare = reqwest::Client::new()
            .post(app.url("/api/v1/mediation/inbound/zongzhi"))
            .bearer_auth(&t)
            .header("X-Qingfeng-Idempotency-Key", "zz-msg-3")
            .json(&fresh)
            .send()
            .await
            .unwrap();
        assert_eq!(bare.status(), 401);
        assert_eq!(code(&bare.json().await.unwrap()), "mediation.inbound_signature");
        assert_eq!(cases_with_ref(&app, "ZZ-2026-000125").await, 0, "nothing refused was stored on {}", app.backend);

        // The caller: a token with the permission is needed, not a session or another account.
        let (status, a) = Push { token: None, ..Push::new("zongzhi", &t, "zz-msg-3") }.send(&app, &fresh).await;
        assert_eq!((status, code(&a)), (401, "auth.required"), "{}", app.backend);
        let grid = token(&app, "grid01", false).await;
        let (status, a) = Push::new("zongzhi", &grid, "zz-msg-3").send(&app, &fresh).await;
        assert_eq!((status, code(&a)), (403, "auth.permission"), "{}", app.backend);
        let admin = app.login("county", PW).await;
        let r = admin.post(app.url("/api/v1/mediation/inbound/zongzhi")).json(&fresh).send().await.unwrap();
        assert_eq!(r.status(), 401);
        assert_eq!(code(&r.json().await.unwrap()), "mediation.inbound_token");

        // Bad input is a 4xx with a code, never a 500.
        let (status, a) = Push { key: None, ..Push::new("zongzhi", &t, "") }.send(&app, &fresh).await;
        assert_eq!((status, code(&a)), (400, "mediation.inbound_key"), "{}", app.backend);
        let (status, a) = Push::new("zongzhi", &t, "zz-msg-4").send_raw(&app, b"{\"format\": ").await;
        assert_eq!((status, code(&a)), (400, "mediation.inbound_json"), "{}", app.backend);
        let (status, a) = Push::new("zongzhi", &t, "zz-msg-4").send(&app, &json!({"format": INBOUND_FORMAT, "type": "case.delete"})).await;
        assert_eq!((status, code(&a)), (400, "mediation.inbound_type"), "{}", app.backend);
        let (status, a) = Push::new("zongzhi", &t, "zz-msg-4").send(&app, &json!({"format": "v0", "type": "case.create"})).await;
        assert_eq!((status, code(&a)), (400, "mediation.inbound_format"), "{}", app.backend);
        let mut no_ref = create_message("");
        no_ref["case"]["external_ref"] = "".into();
        let (status, a) = Push::new("zongzhi", &t, "zz-msg-4").send(&app, &no_ref).await;
        assert_eq!((status, code(&a)), (400, "mediation.external_ref"), "{}", app.backend);
        let mut far = create_message("ZZ-2026-000126");
        far["case"]["village_code"] = "110101001001".into();
        let (status, a) = Push::new("zongzhi", &t, "zz-msg-4").send(&app, &far).await;
        assert_eq!((status, code(&a)), (400, "mediation.village"), "{}: {a}", app.backend);
        let (status, a) = Push::new("elsewhere", &t, "zz-msg-4").send(&app, &fresh).await;
        assert_eq!((status, code(&a)), (404, "mediation.inbound_source"), "{}", app.backend);
        // A refused message is not recorded: corrected, it goes through under the same key.
        let (status, a) = Push::new("zongzhi", &t, "zz-msg-4").send(&app, &fresh).await;
        assert_eq!((status, a["duplicate"].as_bool()), (200, Some(false)), "{}: {a}", app.backend);
        assert_eq!(cases_with_ref(&app, "ZZ-2026-000125").await, 1);
        app.stop().await;
    }
}

#[tokio::test]
async fn the_court_platform_files_a_referred_case_with_its_case_number() {
    for app in apps_with(with_secrets).await {
        let st = state(&app);
        let t = token(&app, "county", true).await;
        let case = intake(st, "ZZ-2026-000200").await;
        let court_no = "（2026）豫0922民初456号";
        let file = status_message(&case.tracking_code, "file", court_no);
        // The case is still with the mediators: the state machine refuses.
        let (status, a) = Push::new("court", &t, "court-1").send(&app, &file).await;
        assert_eq!((status, code(&a)), (409, "state.illegal"), "{}: {a}", app.backend);

        let referred = fire(st, &case, "refer").await;
        assert_eq!(referred.state, "referred");
        let (status, a) = Push::new("court", &t, "court-2").send(&app, &status_message(&case.tracking_code, "file", "")).await;
        assert_eq!((status, code(&a)), (400, "mediation.court_case_no"), "{}: {a}", app.backend);
        let (status, filed) = Push::new("court", &t, "court-1").send(&app, &file).await;
        assert_eq!(status, 200, "{}: {filed}", app.backend);
        assert_eq!(filed["tracking_code"], case.tracking_code.as_str());
        assert_eq!(
            (filed["state"].as_str(), filed["state_zh"].as_str(), filed["duplicate"].as_bool()),
            (Some("filed"), Some("已立案"), Some(false))
        );
        let now = store::case_by_tracking(&app.db, &case.tracking_code).await.unwrap().unwrap();
        assert_eq!((now.state.as_str(), now.court_case_no.as_deref()), ("filed", Some(court_no)), "{}", app.backend);
        assert!(now.closed_at.is_some());
        let history = audit::history(&app.db, "mediation_case", &case.id.to_string(), 10).await.unwrap();
        assert!(history.iter().any(|e| e.actor == "system:court_platform"), "{}", app.backend);

        // A replay answers as the first time; another key for the same decision is a conflict.
        let (status, again) = Push::new("court", &t, "court-1").send(&app, &file).await;
        assert_eq!((status, again["duplicate"].as_bool(), again["state"].as_str()), (200, Some(true), Some("filed")), "{}", app.backend);
        let (status, a) = Push::new("court", &t, "court-3").send(&app, &file).await;
        assert_eq!((status, code(&a)), (409, "state.illegal"), "{}", app.backend);

        // What the court may not push, and cases it cannot find.
        let (status, a) = Push::new("court", &t, "court-4").send(&app, &status_message(&case.tracking_code, "withdraw", "")).await;
        assert_eq!((status, code(&a)), (400, "mediation.inbound_event"), "{}", app.backend);
        let (status, a) = Push::new("court", &t, "court-4").send(&app, &status_message("TJ00000000", "file", court_no)).await;
        assert_eq!((status, code(&a)), (404, "mediation.case_not_found"), "{}", app.backend);
        let (status, a) = Push::new("court", &t, "court-4").send(&app, &create_message("ZZ-2026-000201")).await;
        assert_eq!((status, code(&a)), (400, "mediation.inbound_type"), "{}", app.backend);
        // The court signs with its own secret, not the 综治 platform's.
        let wrong = Push { secret: ZONGZHI_SECRET, ..Push::new("court", &t, "court-4") };
        let (status, a) = wrong.send(&app, &status_message(&case.tracking_code, "file", court_no)).await;
        assert_eq!((status, code(&a)), (401, "mediation.inbound_signature"), "{}", app.backend);
        app.stop().await;
    }
}

#[tokio::test]
async fn a_platform_without_a_configured_secret_is_refused() {
    for app in apps().await {
        let t = token(&app, "county", true).await;
        for source in ["zongzhi", "court"] {
            let (status, a) = Push::new(source, &t, "k-1").send(&app, &create_message("ZZ-2026-000300")).await;
            assert_eq!((status, code(&a)), (403, "mediation.inbound_disabled"), "{source} on {}", app.backend);
            assert!(a["error"]["message"].as_str().unwrap().contains("共享密钥"), "{a}");
        }
        assert_eq!(cases_with_ref(&app, "ZZ-2026-000300").await, 0);
        app.stop().await;
    }
}
