//! 发件箱 The outbox and webhooks: every message to an outside system (综治 platform,
//! court mediation platform, banks) is written to `outbox` in the same transaction as
//! the change it reports ([`enqueue_tx`]), then delivered by the [`Deliverer`].
//!
//! A message is posted as JSON to each active endpoint of its county subscribed to its
//! topic, with the headers
//!
//! - `X-Qingfeng-Topic`: the topic, e.g. `mediation.case.closed`;
//! - `X-Qingfeng-Idempotency-Key`: the same on every retry — receivers dedup on it;
//! - `X-Qingfeng-Timestamp`: unix seconds of this attempt;
//! - `X-Qingfeng-Signature`: `sha256=<hex HMAC-SHA256(secret, "<timestamp>.<body>")>`,
//!   checked by receivers with [`verify_signature`].
//!
//! A 2xx answer delivers the message; anything else is retried on a fixed schedule
//! ([`retry_delay_ms`]) up to [`MAX_ATTEMPTS`] attempts, then the message is `dead` and
//! an audit entry records it. Delivery is at least once.

use std::collections::HashMap;
use std::time::Duration;

use hmac::{Hmac, Mac};
use serde::Serialize;
use serde_json::Value;
use sha2::Sha256;
use tokio::sync::watch;
use tokio::task::{JoinHandle, JoinSet};

use crate::audit::{self, Actor, Change};
use crate::clock::Clock;
use crate::db::{Db, Tx, is_unique_violation};
use crate::error::AppError;
use crate::{on_db, on_tx};

/// Waiting for (re)delivery.
pub const PENDING: &str = "pending";
/// Acknowledged with a 2xx.
pub const DELIVERED: &str = "delivered";
/// Given up after [`MAX_ATTEMPTS`].
pub const DEAD: &str = "dead";

/// Attempts before a message is dead (≈ 3.4 hours of retries).
pub const MAX_ATTEMPTS: i64 = 12;
/// Time limit of one POST.
pub const REQUEST_TIMEOUT: Duration = Duration::from_secs(10);
/// A claimed message is not claimed again for this long (well above the request timeout).
const CLAIM_LEASE_MS: i64 = 60_000;
/// Messages claimed and posted concurrently per [`Deliverer::deliver_due_once`].
const BATCH: usize = 32;
const MAX_ERROR_CHARS: usize = 500;

type HmacSha256 = Hmac<Sha256>;

/// 回调地址 A receiver of webhooks.
#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct Endpoint {
    pub id: i64,
    pub county_code: String,
    pub name: String,
    pub url: String,
    #[serde(skip)]
    pub secret: String,
    /// `*` or a comma-separated list of topics.
    pub topics: String,
    pub active: bool,
    pub created_at: i64,
}

impl Endpoint {
    pub fn subscribes(&self, topic: &str) -> bool {
        self.topics.split(',').any(|t| t == "*" || t == topic)
    }
}

/// What it takes to create an endpoint.
#[derive(Debug, Clone)]
pub struct NewEndpoint<'a> {
    pub county_code: &'a str,
    pub name: &'a str,
    pub url: &'a str,
    /// `*` or a comma-separated list of topics (`a-z 0-9 . _ -`).
    pub topics: &'a str,
    /// The shared secret; `None` generates one (returned in [`Endpoint::secret`]).
    pub secret: Option<&'a str>,
}

fn valid_topic(t: &str) -> bool {
    !t.is_empty() && t.len() <= 100 && t.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, '.' | '_' | '-'))
}

/// Check and normalise an endpoint's topic list.
fn parse_topics(topics: &str) -> Result<String, AppError> {
    let list: Vec<&str> = topics.split(',').map(str::trim).filter(|t| !t.is_empty()).collect();
    if list == ["*"] {
        return Ok("*".into());
    }
    if list.is_empty() || !list.iter().all(|t| valid_topic(t)) {
        return Err(AppError::bad_request("webhook.topics", "订阅主题须为 *，或以逗号分隔的主题（小写字母、数字、点、下划线、连字符）"));
    }
    Ok(list.join(","))
}

/// Register a webhook endpoint (with an audit entry).
pub async fn create_endpoint(db: &Db, now_ms: i64, new: &NewEndpoint<'_>, actor: &Actor) -> Result<Endpoint, AppError> {
    let name = new.name.trim();
    if name.is_empty() || name.chars().count() > 100 {
        return Err(AppError::bad_request("webhook.name", "回调名称不能为空，且不超过 100 字"));
    }
    let url = new.url.trim();
    let parsed_ok =
        reqwest::Url::parse(url).is_ok_and(|u| matches!(u.scheme(), "http" | "https") && u.host_str().is_some_and(|h| !h.is_empty()));
    if !parsed_ok || url.len() > 2000 {
        return Err(AppError::bad_request("webhook.url", "回调地址须为以 http:// 或 https:// 开头的完整网址"));
    }
    let topics = parse_topics(new.topics)?;
    let secret = match new.secret {
        Some(s) if s.len() < 16 || s.len() > 256 => {
            return Err(AppError::bad_request("webhook.secret", "签名密钥须为 16–256 个字符"));
        }
        Some(s) => s.to_string(),
        None => crate::session::random_token(),
    };
    let mut tx = db.begin().await?;
    let inserted: Result<i64, sqlx::Error> = on_tx!(&mut tx, |c| {
        sqlx::query_scalar(
            "INSERT INTO webhook_endpoints (county_code, name, url, secret, topics, active, created_at) \
         VALUES ($1, $2, $3, $4, $5, TRUE, $6) RETURNING id",
        )
        .bind(new.county_code)
        .bind(name)
        .bind(url)
        .bind(&secret)
        .bind(&topics)
        .bind(now_ms)
        .fetch_one(&mut *c)
        .await
    });
    let id = match inserted {
        Ok(id) => id,
        // Names are unique per county (`UNIQUE (county_code, name)`).
        Err(e) if is_unique_violation(&e) => {
            return Err(AppError::conflict("webhook.name_taken", format!("本县已有名为“{name}”的回调")));
        }
        Err(e) => return Err(e.into()),
    };
    let entity_id = id.to_string();
    let change = Change {
        county_code: new.county_code,
        actor,
        action: "webhook.create",
        entity: "webhook_endpoint",
        entity_id: &entity_id,
        detail: serde_json::json!({ "name": name, "url": url, "topics": topics }),
    };
    audit::append(&mut tx, now_ms, &change).await?;
    tx.commit().await?;
    Ok(Endpoint {
        id,
        county_code: new.county_code.into(),
        name: name.into(),
        url: url.into(),
        secret,
        topics,
        active: true,
        created_at: now_ms,
    })
}

/// Pause or resume an endpoint (with an audit entry). A paused endpoint gets no new
/// messages; its pending ones wait until it is resumed.
pub async fn set_endpoint_active(db: &Db, now_ms: i64, id: i64, active: bool, actor: &Actor) -> Result<(), AppError> {
    let mut tx = db.begin().await?;
    let county: Option<String> =
        on_tx!(&mut tx, |c| sqlx::query_scalar("UPDATE webhook_endpoints SET active = $1 WHERE id = $2 RETURNING county_code")
            .bind(active)
            .bind(id)
            .fetch_optional(&mut *c)
            .await)?;
    let Some(county) = county else {
        return Err(AppError::not_found("webhook.not_found", "回调不存在"));
    };
    let entity_id = id.to_string();
    let change = Change {
        county_code: &county,
        actor,
        action: if active { "webhook.resume" } else { "webhook.pause" },
        entity: "webhook_endpoint",
        entity_id: &entity_id,
        detail: serde_json::json!({ "active": active }),
    };
    audit::append(&mut tx, now_ms, &change).await?;
    tx.commit().await?;
    Ok(())
}

/// Endpoints, by name, optionally of one county.
pub async fn list_endpoints(db: &Db, county: Option<&str>) -> Result<Vec<Endpoint>, sqlx::Error> {
    const SQL: &str = "SELECT id, county_code, name, url, secret, topics, active, created_at FROM webhook_endpoints \
         WHERE ($1 IS NULL OR county_code = $1) ORDER BY name";
    on_db!(db, |p| sqlx::query_as(SQL).bind(county).fetch_all(p).await)
}

/// Write one outbox row per active endpoint of `county` subscribed to `topic`, inside
/// `tx`, so the message exists exactly when the change does. A key already used for an
/// endpoint is skipped. Returns how many rows were written.
pub async fn enqueue_tx(
    tx: &mut Tx,
    now_ms: i64,
    county: &str,
    topic: &str,
    payload: &Value,
    idempotency_key: &str,
) -> Result<usize, sqlx::Error> {
    let endpoints: Vec<Endpoint> = on_tx!(tx, |c| {
        sqlx::query_as(concat!(
            "SELECT id, county_code, name, url, secret, topics, active, created_at FROM webhook_endpoints ",
            "WHERE county_code = $1 AND active ORDER BY id"
        ))
        .bind(county)
        .fetch_all(&mut *c)
        .await
    })?;
    let body = payload.to_string();
    let mut written = 0;
    for ep in endpoints.iter().filter(|e| e.subscribes(topic)) {
        let n = on_tx!(tx, |c| {
            sqlx::query(
            "INSERT INTO outbox (county_code, endpoint_id, topic, payload, idempotency_key, status, attempts, next_attempt_at, created_at) \
             VALUES ($1, $2, $3, $4, $5, 'pending', 0, $6, $6) ON CONFLICT (endpoint_id, idempotency_key) DO NOTHING"
        )
        .bind(county)
        .bind(ep.id)
        .bind(topic)
        .bind(&body)
        .bind(idempotency_key)
        .bind(now_ms)
        .execute(&mut *c)
        .await
        .map(|r| r.rows_affected())
        })?;
        written += n as usize;
    }
    Ok(written)
}

/// A stored outbox message, as the admin page shows it.
#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct Message {
    pub id: i64,
    pub county_code: String,
    pub endpoint_id: i64,
    pub topic: String,
    pub payload: String,
    pub idempotency_key: String,
    pub status: String,
    pub attempts: i64,
    pub next_attempt_at: i64,
    pub last_error: Option<String>,
    pub last_status: Option<i64>,
    pub created_at: i64,
    pub delivered_at: Option<i64>,
}

/// The latest messages, newest first.
pub async fn list_recent(db: &Db, limit: i64) -> Result<Vec<Message>, sqlx::Error> {
    on_db!(db, |p| {
        sqlx::query_as(
            "SELECT id, county_code, endpoint_id, topic, payload, idempotency_key, status, attempts, next_attempt_at, \
         last_error, last_status, created_at, delivered_at FROM outbox ORDER BY id DESC LIMIT $1",
        )
        .bind(limit)
        .fetch_all(p)
        .await
    })
}

/// Delay before the next attempt once `attempts` attempts have failed:
/// 10 s · 2^(attempts−1), capped at one hour.
pub fn retry_delay_ms(attempts: i64) -> i64 {
    let exp = attempts.saturating_sub(1).clamp(0, 20) as u32;
    (10_000i64 << exp).min(3_600_000)
}

fn mac(secret: &str, timestamp: &str, body: &[u8]) -> Option<HmacSha256> {
    let mut m = HmacSha256::new_from_slice(secret.as_bytes()).ok()?;
    m.update(timestamp.as_bytes());
    m.update(b".");
    m.update(body);
    Some(m)
}

/// The `X-Qingfeng-Signature` value of `body` sent at `timestamp` (unix seconds).
pub fn sign(secret: &str, timestamp: i64, body: &[u8]) -> String {
    match mac(secret, &timestamp.to_string(), body) {
        Some(m) => format!("sha256={}", hex::encode(m.finalize().into_bytes())),
        None => String::new(),
    }
}

/// Does `header` (`sha256=<hex>`) sign `"<timestamp>.<body>"` with `secret`? Compared in
/// constant time. Receivers should also reject timestamps far from their own clock.
pub fn verify_signature(secret: &str, timestamp: &str, body: &[u8], header: &str) -> bool {
    let Some(Ok(given)) = header.trim().strip_prefix("sha256=").map(hex::decode) else {
        return false;
    };
    mac(secret, timestamp, body).is_some_and(|m| m.verify_slice(&given).is_ok())
}

/// What one [`Deliverer::deliver_due_once`] did.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct DeliveryStats {
    pub delivered: usize,
    pub retried: usize,
    pub dead: usize,
}

#[derive(Debug, Clone, sqlx::FromRow)]
struct Claimed {
    id: i64,
    county_code: String,
    endpoint_id: i64,
    topic: String,
    payload: String,
    idempotency_key: String,
    attempts: i64,
}

const CLAIM: &str = "UPDATE outbox SET attempts = attempts + 1, next_attempt_at = $2 \
     WHERE id = (SELECT o.id FROM outbox o JOIN webhook_endpoints e ON e.id = o.endpoint_id \
        WHERE o.status = 'pending' AND o.next_attempt_at <= $1 AND e.active \
        ORDER BY o.next_attempt_at, o.id LIMIT 1) \
     RETURNING id, county_code, endpoint_id, topic, payload, idempotency_key, attempts";

const CLAIM_PG: &str = "UPDATE outbox SET attempts = attempts + 1, next_attempt_at = $2 \
     WHERE id = (SELECT o.id FROM outbox o JOIN webhook_endpoints e ON e.id = o.endpoint_id \
        WHERE o.status = 'pending' AND o.next_attempt_at <= $1 AND e.active \
        ORDER BY o.next_attempt_at, o.id LIMIT 1 FOR UPDATE OF o SKIP LOCKED) \
     RETURNING id, county_code, endpoint_id, topic, payload, idempotency_key, attempts";

/// The result of one POST: the HTTP status, or why there was none.
type Attempt = Result<u16, String>;

/// 投递 Delivers due outbox messages.
#[derive(Clone)]
pub struct Deliverer {
    db: Db,
    clock: Clock,
    client: reqwest::Client,
    tick: Duration,
}

impl Deliverer {
    pub fn new(db: Db, clock: Clock, client: reqwest::Client) -> Deliverer {
        Deliverer { db, clock, client, tick: Duration::from_secs(5) }
    }

    /// How often [`Deliverer::spawn`] looks for due messages (default 5 s).
    pub fn with_tick(mut self, tick: Duration) -> Deliverer {
        self.tick = tick;
        self
    }

    /// Claim up to 32 due messages (leased for a minute so no other worker posts them),
    /// post them concurrently, and record each outcome.
    pub async fn deliver_due_once(&self) -> Result<DeliveryStats, sqlx::Error> {
        let now = self.clock.now_ms();
        let mut claimed = Vec::new();
        while claimed.len() < BATCH {
            let next: Option<Claimed> = match &self.db {
                Db::Sqlite(p) => sqlx::query_as(CLAIM).bind(now).bind(now + CLAIM_LEASE_MS).fetch_optional(p).await?,
                Db::Postgres(p) => sqlx::query_as(CLAIM_PG).bind(now).bind(now + CLAIM_LEASE_MS).fetch_optional(p).await?,
            };
            match next {
                Some(m) => claimed.push(m),
                None => break,
            }
        }
        let mut stats = DeliveryStats::default();
        if claimed.is_empty() {
            return Ok(stats);
        }
        let endpoints: HashMap<i64, Endpoint> = list_endpoints(&self.db, None).await?.into_iter().map(|e| (e.id, e)).collect();
        let timestamp = self.clock.now().timestamp();
        let mut posts = JoinSet::new();
        for msg in claimed {
            let client = self.client.clone();
            let endpoint = endpoints.get(&msg.endpoint_id).cloned();
            posts.spawn(async move {
                let attempt = match (&endpoint, msg.attempts > MAX_ATTEMPTS) {
                    (_, true) => Err("投递多次中断，已停止重试".to_string()),
                    (None, _) => Err("回调地址不存在".to_string()),
                    (Some(ep), false) => post(&client, ep, &msg, timestamp).await,
                };
                (msg, attempt)
            });
        }
        while let Some(joined) = posts.join_next().await {
            match joined {
                Ok((msg, attempt)) => self.record(&msg, attempt, &mut stats).await?,
                // A post task cannot panic short of a bug; its message is retried after the lease.
                Err(e) => tracing::error!(error = %e, "outbox: delivery task failed"),
            }
        }
        Ok(stats)
    }

    async fn record(&self, msg: &Claimed, attempt: Attempt, stats: &mut DeliveryStats) -> Result<(), sqlx::Error> {
        let now = self.clock.now_ms();
        let (status, error) = match attempt {
            Ok(code) if (200..300).contains(&code) => {
                on_db!(&self.db, |p| {
                    sqlx::query(
                        "UPDATE outbox SET status = 'delivered', delivered_at = $1, last_status = $2, last_error = NULL \
                     WHERE id = $3 AND attempts = $4 AND status = 'pending'",
                    )
                    .bind(now)
                    .bind(i64::from(code))
                    .bind(msg.id)
                    .bind(msg.attempts)
                    .execute(p)
                    .await
                    .map(|r| r.rows_affected())
                })?;
                stats.delivered += 1;
                return Ok(());
            }
            Ok(code) => (Some(i64::from(code)), format!("对方返回 HTTP {code}")),
            Err(e) => (None, e),
        };
        let error: String = error.chars().take(MAX_ERROR_CHARS).collect();
        tracing::warn!(message = msg.id, endpoint = msg.endpoint_id, attempt = msg.attempts, error = %error, "outbox: delivery failed");
        if msg.attempts < MAX_ATTEMPTS {
            on_db!(&self.db, |p| sqlx::query(
                "UPDATE outbox SET next_attempt_at = $1, last_status = $2, last_error = $3 \
                 WHERE id = $4 AND attempts = $5 AND status = 'pending'"
            )
            .bind(now + retry_delay_ms(msg.attempts))
            .bind(status)
            .bind(&error)
            .bind(msg.id)
            .bind(msg.attempts)
            .execute(p)
            .await
            .map(|r| r.rows_affected()))?;
            stats.retried += 1;
            return Ok(());
        }
        let mut tx = self.db.begin().await?;
        let n = on_tx!(&mut tx, |c| {
            sqlx::query(
            "UPDATE outbox SET status = 'dead', last_status = $1, last_error = $2 WHERE id = $3 AND attempts = $4 AND status = 'pending'"
        )
        .bind(status)
        .bind(&error)
        .bind(msg.id)
        .bind(msg.attempts)
        .execute(&mut *c)
        .await
        .map(|r| r.rows_affected())
        })?;
        if n == 1 {
            let actor = Actor::System("outbox");
            let entity_id = msg.id.to_string();
            let change = Change {
                county_code: &msg.county_code,
                actor: &actor,
                action: "outbox.dead",
                entity: "outbox",
                entity_id: &entity_id,
                detail: serde_json::json!({
                    "endpoint_id": msg.endpoint_id, "topic": msg.topic,
                    "idempotency_key": msg.idempotency_key, "attempts": msg.attempts, "error": error,
                }),
            };
            audit::append(&mut tx, now, &change).await?;
            stats.dead += 1;
        }
        tx.commit().await?;
        Ok(())
    }

    /// Deliver every `tick` until `shutdown` turns true (or its sender is dropped).
    pub fn spawn(self, mut shutdown: watch::Receiver<bool>) -> JoinHandle<()> {
        tokio::spawn(async move {
            loop {
                if *shutdown.borrow() {
                    break;
                }
                if let Err(e) = self.deliver_due_once().await {
                    tracing::warn!(error = %e, "outbox: delivery round failed");
                }
                tokio::select! {
                    _ = tokio::time::sleep(self.tick) => {}
                    changed = shutdown.changed() => if changed.is_err() { break },
                }
            }
        })
    }
}

/// POST one message to one endpoint.
async fn post(client: &reqwest::Client, ep: &Endpoint, msg: &Claimed, timestamp: i64) -> Attempt {
    let body = msg.payload.clone().into_bytes();
    let signature = sign(&ep.secret, timestamp, &body);
    let sent = client
        .post(&ep.url)
        .timeout(REQUEST_TIMEOUT)
        .header(reqwest::header::CONTENT_TYPE, "application/json")
        .header("X-Qingfeng-Topic", &msg.topic)
        .header("X-Qingfeng-Idempotency-Key", &msg.idempotency_key)
        .header("X-Qingfeng-Timestamp", timestamp.to_string())
        .header("X-Qingfeng-Signature", signature)
        .body(body)
        .send()
        .await;
    match sent {
        Ok(resp) => Ok(resp.status().as_u16()),
        Err(e) if e.is_timeout() => Err(format!("请求超时（{} 秒）", REQUEST_TIMEOUT.as_secs())),
        Err(e) => Err(format!("请求失败：{e}")),
    }
}

#[cfg(test)]
mod tests {
    use std::net::SocketAddr;
    use std::sync::{Arc, Mutex};

    use axum::Router;
    use axum::body::Bytes;
    use axum::extract::State;
    use axum::http::{HeaderMap, StatusCode};
    use axum::routing::post;
    use chrono::{TimeZone, Utc};

    use super::*;
    use crate::testing;

    const COUNTY: &str = "410922";
    const SECRET: &str = "test-secret-0123456789";

    /// What the loopback receiver saw.
    #[derive(Default)]
    struct Seen {
        /// (idempotency key, topic, signature valid) per request.
        requests: Vec<(String, String, bool)>,
        /// Messages processed, once per idempotency key.
        recorded: Vec<(String, String)>,
        /// Answer 500 to this many requests (after processing them).
        fail_next: usize,
    }

    type Shared = Arc<Mutex<Seen>>;

    async fn hook(State(seen): State<Shared>, headers: HeaderMap, body: Bytes) -> StatusCode {
        let h = |name: &str| headers.get(name).and_then(|v| v.to_str().ok()).unwrap_or("").to_string();
        let (key, topic) = (h("x-qingfeng-idempotency-key"), h("x-qingfeng-topic"));
        let valid = verify_signature(SECRET, &h("x-qingfeng-timestamp"), &body, &h("x-qingfeng-signature"));
        let mut s = seen.lock().unwrap();
        s.requests.push((key.clone(), topic, valid));
        if !valid {
            return StatusCode::UNAUTHORIZED;
        }
        if !s.recorded.iter().any(|(k, _)| *k == key) {
            s.recorded.push((key, String::from_utf8_lossy(&body).into_owned()));
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

    fn clock() -> Clock {
        Clock::fixed(Utc.with_ymd_and_hms(2025, 3, 1, 1, 0, 0).unwrap())
    }

    fn admin() -> Actor {
        Actor::User { id: 1, username: "admin".into() }
    }

    fn client() -> reqwest::Client {
        reqwest::Client::builder().no_proxy().build().unwrap()
    }

    async fn endpoint(db: &Db, name: &str, url: &str, topics: &str) -> Endpoint {
        let new = NewEndpoint { county_code: COUNTY, name, url, topics, secret: Some(SECRET) };
        create_endpoint(db, 0, &new, &admin()).await.unwrap()
    }

    async fn enqueue(db: &Db, topic: &str, key: &str) -> usize {
        let mut tx = db.begin().await.unwrap();
        let n = enqueue_tx(&mut tx, 0, COUNTY, topic, &serde_json::json!({"case": 7, "结果": "调解成功"}), key).await.unwrap();
        tx.commit().await.unwrap();
        n
    }

    #[tokio::test]
    async fn outbox_delivers_signed_retries_after_500_and_receiver_records_once() {
        for t in testing::all().await.unwrap() {
            let (addr, seen) = receiver(1).await;
            let clock = clock();
            endpoint(&t.db, "综治平台", &format!("http://{addr}/hook"), "mediation.case.closed").await;
            assert_eq!(enqueue(&t.db, "mediation.case.closed", "case-7-closed").await, 1, "{}", t.name);
            let d = Deliverer::new(t.db.clone(), clock.clone(), client());

            let s = d.deliver_due_once().await.unwrap();
            assert_eq!(s, DeliveryStats { delivered: 0, retried: 1, dead: 0 }, "{}", t.name);
            let m = &list_recent(&t.db, 1).await.unwrap()[0];
            assert_eq!((m.status.as_str(), m.attempts, m.last_status), (PENDING, 1, Some(500)));
            assert_eq!(m.next_attempt_at, clock.now_ms() + 10_000);
            assert_eq!(d.deliver_due_once().await.unwrap(), DeliveryStats::default(), "backing off on {}", t.name);

            clock.advance(chrono::Duration::seconds(10));
            assert_eq!(d.deliver_due_once().await.unwrap().delivered, 1, "{}", t.name);
            let m = &list_recent(&t.db, 1).await.unwrap()[0];
            assert_eq!((m.status.as_str(), m.attempts, m.last_status), (DELIVERED, 2, Some(200)));
            assert_eq!(m.delivered_at, Some(clock.now_ms()));
            assert_eq!(d.deliver_due_once().await.unwrap(), DeliveryStats::default());

            let s = seen.lock().unwrap();
            let expect = ("case-7-closed".to_string(), "mediation.case.closed".to_string(), true);
            assert_eq!(s.requests, vec![expect.clone(), expect], "same key, valid signature on every attempt on {}", t.name);
            assert_eq!(s.recorded.len(), 1, "recorded once on {}", t.name);
            let body: Value = serde_json::from_str(&s.recorded[0].1).unwrap();
            assert_eq!(body["结果"], "调解成功");
        }
    }

    #[tokio::test]
    async fn outbox_dedups_keys_filters_topics_and_follows_rollback() {
        for t in testing::all().await.unwrap() {
            let a = endpoint(&t.db, "法院", "http://127.0.0.1:9/a", "mediation.case.closed,mediation.case.filed").await;
            endpoint(&t.db, "银行", "http://127.0.0.1:9/b", "credit.loan.applied").await;
            endpoint(&t.db, "全部", "http://127.0.0.1:9/c", "*").await;
            assert_eq!(enqueue(&t.db, "mediation.case.closed", "k1").await, 2, "{}", t.name);
            assert_eq!(enqueue(&t.db, "mediation.case.closed", "k1").await, 0, "same key stored once on {}", t.name);
            assert_eq!(enqueue(&t.db, "mediation.case", "k2").await, 1, "only the * endpoint on {}", t.name);
            assert_eq!(list_recent(&t.db, 100).await.unwrap().len(), 3);

            let mut tx = t.db.begin().await.unwrap();
            let n = enqueue_tx(&mut tx, 0, COUNTY, "credit.loan.applied", &Value::Null, "k3").await.unwrap();
            assert_eq!(n, 2);
            drop(tx); // rolled back
            assert_eq!(list_recent(&t.db, 100).await.unwrap().len(), 3, "rollback leaves nothing on {}", t.name);

            set_endpoint_active(&t.db, 0, a.id, false, &admin()).await.unwrap();
            assert_eq!(enqueue(&t.db, "mediation.case.filed", "k4").await, 1, "paused endpoint skipped on {}", t.name);
            let mut other = t.db.begin().await.unwrap();
            assert_eq!(enqueue_tx(&mut other, 0, "410923", "mediation.case.filed", &Value::Null, "k5").await.unwrap(), 0);
            other.commit().await.unwrap();
        }
    }

    #[tokio::test]
    async fn outbox_unreachable_endpoint_ends_dead_with_audit_entry() {
        for t in testing::all().await.unwrap() {
            // A loopback port that was just free: nothing listens there.
            let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
            endpoint(&t.db, "关闭的", &format!("http://127.0.0.1:{port}/hook"), "*").await;
            enqueue(&t.db, "x.y", "k").await;
            let clock = clock();
            let d = Deliverer::new(t.db.clone(), clock.clone(), client());
            for attempt in 1..MAX_ATTEMPTS {
                assert_eq!(d.deliver_due_once().await.unwrap().retried, 1, "attempt {attempt} on {}", t.name);
                clock.advance(chrono::Duration::hours(1));
            }
            assert_eq!(d.deliver_due_once().await.unwrap().dead, 1, "{}", t.name);
            clock.advance(chrono::Duration::hours(1));
            assert_eq!(d.deliver_due_once().await.unwrap(), DeliveryStats::default());
            let m = &list_recent(&t.db, 1).await.unwrap()[0];
            assert_eq!((m.status.as_str(), m.attempts, m.last_status), (DEAD, MAX_ATTEMPTS, None), "{}", t.name);
            assert!(m.last_error.as_deref().unwrap().starts_with("请求失败"));
            let history = audit::history(&t.db, "outbox", &m.id.to_string(), 5).await.unwrap();
            assert_eq!(history.len(), 1);
            assert_eq!(history[0].action, "outbox.dead");
            assert!(audit::verify(&t.db).await.unwrap().is_intact());
        }
    }

    #[tokio::test]
    async fn outbox_endpoint_validation() {
        for t in testing::all().await.unwrap() {
            let bad = |name, url, topics, secret| NewEndpoint { county_code: COUNTY, name, url, topics, secret };
            for (new, code) in [
                (bad("a", "ftp://127.0.0.1/x", "*", None), "webhook.url"),
                (bad("a", "not a url", "*", None), "webhook.url"),
                (bad(" ", "http://127.0.0.1/x", "*", None), "webhook.name"),
                (bad("a", "http://127.0.0.1/x", "Case Closed", None), "webhook.topics"),
                (bad("a", "http://127.0.0.1/x", "", None), "webhook.topics"),
                (bad("a", "http://127.0.0.1/x", "*", Some("short")), "webhook.secret"),
            ] {
                assert_eq!(create_endpoint(&t.db, 0, &new, &admin()).await.unwrap_err().code, code, "{:?}", new.url);
            }
            let ok = create_endpoint(&t.db, 0, &bad("a", "https://127.0.0.1/x", " a.b , c_d ", None), &admin()).await.unwrap();
            assert_eq!(ok.topics, "a.b,c_d");
            assert!(ok.secret.len() >= 32, "a secret is generated");
            let dup = create_endpoint(&t.db, 0, &bad("a", "https://127.0.0.1/y", "*", None), &admin()).await.unwrap_err();
            assert_eq!(dup.code, "webhook.name_taken", "{}", t.name);
            // Names are unique per county only: another county may use the same name.
            let other = NewEndpoint { county_code: "410923", ..bad("a", "https://127.0.0.1/z", "*", None) };
            create_endpoint(&t.db, 0, &other, &admin()).await.unwrap();
            let listed = list_endpoints(&t.db, Some(COUNTY)).await.unwrap();
            assert_eq!(listed.len(), 1);
            assert_eq!(listed[0].secret, ok.secret);
            assert_eq!(audit::history(&t.db, "webhook_endpoint", &ok.id.to_string(), 5).await.unwrap().len(), 1);
        }
    }

    #[test]
    fn outbox_signatures() {
        let body = br#"{"a":1}"#;
        let sig = sign(SECRET, 1_740_000_000, body);
        assert!(sig.starts_with("sha256=") && sig.len() == 7 + 64);
        assert!(verify_signature(SECRET, "1740000000", body, &sig));
        assert!(!verify_signature(SECRET, "1740000001", body, &sig), "other timestamp");
        assert!(!verify_signature(SECRET, "1740000000", br#"{"a":2}"#, &sig), "other body");
        assert!(!verify_signature("another-secret-xxxx", "1740000000", body, &sig), "other secret");
        assert!(!verify_signature(SECRET, "1740000000", body, &sig[7..]), "no prefix");
        assert!(!verify_signature(SECRET, "1740000000", body, "sha256=zz"), "not hex");
        assert!(!verify_signature(SECRET, "1740000000", body, ""), "empty");
        assert_eq!(retry_delay_ms(1), 10_000);
        assert_eq!(retry_delay_ms(3), 40_000);
        assert_eq!(retry_delay_ms(11), 3_600_000);
    }
}
