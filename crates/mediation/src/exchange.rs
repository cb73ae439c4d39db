//! 数据交换 The exchange with the county 综治 platform (horizontal) and the court
//! mediation platform (vertical), in the format of `docs/exchange.md`.
//!
//! Outbound: every case event is written to the platform outbox in the same transaction
//! as the change, so it exists exactly when the change does; the outbox signs, retries
//! and keeps the idempotency key. Inbound: the 综治 platform pushes new cases and the
//! court platform pushes its decisions ([`receive`]), each message signed with the
//! secret shared with that platform and processed once per idempotency key
//! (`mediation_inbound`).

use qingfeng_platform::audit::Actor;
use qingfeng_platform::auth::{ALL_ROLES, Role};
use qingfeng_platform::db::{Db, Tx};
use qingfeng_platform::pii::Pii;
use qingfeng_platform::sql::{Arg, Sql};
use qingfeng_platform::state::Transition;
use qingfeng_platform::{AppError, clock, outbox, session};
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

use crate::model;
use crate::store::{self, Case};
use crate::workflow::{self, ActionInput, Env, IntakeInput};

/// The format name and version carried in every message.
pub const FORMAT: &str = "qingfeng.mediation.case-event/1";

/// The outbox topic of an event: `mediation.case.<event>`.
pub fn topic(event: &str) -> String {
    format!("mediation.case.{event}")
}

/// The body of a case event. Parties' personal data never leaves in it.
pub fn payload(case: &Case, event: &str, seq: Option<i64>, now_ms: i64) -> serde_json::Value {
    json!({
        "format": FORMAT,
        "event": event,
        "sequence": seq,
        "occurred_at": now_ms,
        "case": {
            "tracking_code": case.tracking_code,
            "external_ref": case.external_ref,
            "county_code": case.county_code,
            "channel": case.channel,
            "category": case.category,
            "category_zh": case.category_zh(),
            "township_code": case.township_code,
            "village_code": case.village_code,
            "state": case.state,
            "state_zh": case.state_zh(),
            "level": case.level,
            "body": case.body_name,
            "court_case_no": case.court_case_no,
            "outcome": case.outcome,
            "due_at": case.due_at,
            "created_at": case.created_at,
            "agreement_at": case.agreement_at,
            "closed_at": case.closed_at,
        }
    })
}

/// Enqueue the event `created` or `routed` (no audit sequence).
pub async fn enqueue(tx: &mut Tx, case: &Case, event: &str, now_ms: i64) -> Result<usize, AppError> {
    let key = format!("mediation:{}:{event}", case.tracking_code);
    Ok(outbox::enqueue_tx(tx, now_ms, &case.county_code, &topic(event), &payload(case, event, None, now_ms), &key).await?)
}

/// Enqueue the event of a transition, keyed by its audit sequence number.
pub async fn enqueue_seq(tx: &mut Tx, case: &Case, event: &str, seq: i64, now_ms: i64) -> Result<usize, AppError> {
    let key = format!("mediation:{}:{seq}", case.tracking_code);
    Ok(outbox::enqueue_tx(tx, now_ms, &case.county_code, &topic(event), &payload(case, event, Some(seq), now_ms), &key).await?)
}

/// The events of the outbound format, each once: `created` and `routed` (written by
/// intake), then every event of the state machine ([`model::TRANSITIONS`]) except `route`,
/// which intake fires itself and reports as `routed`.
pub fn events() -> Vec<&'static str> {
    let mut out = vec!["created", "routed"];
    for t in model::TRANSITIONS {
        if t.event != "route" && !out.contains(&t.event) {
            out.push(t.event);
        }
    }
    out
}

/// Every outbound topic, comma-separated: the topic list of a webhook endpoint that
/// wants all case events (endpoints match topics exactly, or `*` for everything).
pub fn topic_list() -> String {
    events().iter().map(|e| topic(e)).collect::<Vec<_>>().join(",")
}

/// The format name and version of every inbound message.
pub const INBOUND_FORMAT: &str = "qingfeng.mediation.inbound/1";
/// How far the sender's `X-Qingfeng-Timestamp` may be from our clock, either way (±5 minutes).
pub const SIGNATURE_WINDOW_SECS: i64 = 300;
/// The largest inbound message.
pub const MAX_INBOUND_BYTES: usize = 64 * 1024;
/// The longest idempotency key.
pub const MAX_KEY_CHARS: usize = 200;

/// The headers of a signed message, the same both ways (see [`outbox`]).
pub const HEADER_TOPIC: &str = "x-qingfeng-topic";
pub const HEADER_KEY: &str = "x-qingfeng-idempotency-key";
pub const HEADER_TIMESTAMP: &str = "x-qingfeng-timestamp";
pub const HEADER_SIGNATURE: &str = "x-qingfeng-signature";

/// 对接平台 The outside platforms that push to Qingfeng.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    /// 县综治平台 The county 综治 platform: pushes new disputes (`case.create`).
    Zongzhi,
    /// 法院调解平台 The court mediation platform: pushes the court's decisions (`case.status`).
    Court,
}

impl Source {
    pub fn parse(key: &str) -> Option<Source> {
        match key {
            "zongzhi" => Some(Source::Zongzhi),
            "court" => Some(Source::Court),
            _ => None,
        }
    }
    pub fn key(self) -> &'static str {
        match self {
            Source::Zongzhi => "zongzhi",
            Source::Court => "court",
        }
    }
    pub fn zh(self) -> &'static str {
        match self {
            Source::Zongzhi => "县综治平台",
            Source::Court => "法院调解平台",
        }
    }
    /// The one message type this platform sends.
    pub fn message_type(self) -> &'static str {
        match self {
            Source::Zongzhi => "case.create",
            Source::Court => "case.status",
        }
    }
    /// The configuration key of the secret shared with this platform.
    pub fn secret_setting(self) -> &'static str {
        match self {
            Source::Zongzhi => "mediation_zongzhi_secret",
            Source::Court => "mediation_court_secret",
        }
    }
    /// Who the audit chain names for what this platform does.
    pub fn actor(self) -> Actor {
        match self {
            Source::Zongzhi => Actor::System("zongzhi_platform"),
            Source::Court => Actor::System("court_platform"),
        }
    }
}

fn unauthorized(code: &'static str, message: impl Into<String>) -> AppError {
    AppError::new(axum::http::StatusCode::UNAUTHORIZED, code, message)
}

/// 验签 Check an inbound message's `X-Qingfeng-Timestamp` (unix seconds, within
/// [`SIGNATURE_WINDOW_SECS`] of `now_secs`) and `X-Qingfeng-Signature`
/// (`sha256=` HMAC-SHA256 of `"<timestamp>.<body>"` with `secret`).
pub fn check_signature(secret: &str, timestamp: Option<&str>, signature: Option<&str>, body: &[u8], now_secs: i64) -> Result<(), AppError> {
    let (Some(timestamp), Some(signature)) = (timestamp, signature) else {
        return Err(unauthorized("mediation.inbound_signature", "缺少签名：请求须带 X-Qingfeng-Timestamp 与 X-Qingfeng-Signature 头"));
    };
    let Ok(sent) = timestamp.trim().parse::<i64>() else {
        return Err(unauthorized("mediation.inbound_timestamp", format!("X-Qingfeng-Timestamp 须为 Unix 秒数（收到“{timestamp}”）")));
    };
    if (now_secs - sent).abs() > SIGNATURE_WINDOW_SECS {
        return Err(unauthorized(
            "mediation.inbound_stale",
            format!("消息时间戳与本系统时间相差超过 {} 分钟，已拒收；请校准时钟并重新签名发送", SIGNATURE_WINDOW_SECS / 60),
        ));
    }
    if !outbox::verify_signature(secret, timestamp.trim(), body, signature) {
        return Err(unauthorized("mediation.inbound_signature", "签名无效：请用双方约定的共享密钥对“时间戳.消息体”计算 HMAC-SHA256"));
    }
    Ok(())
}

/// 状态回传 A decision of the court, as the court platform sends it.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(default)]
pub struct StatusUpdate {
    /// Our 查询码 of the case.
    pub tracking_code: String,
    /// One of [`court_events`].
    pub event: String,
    /// 立案案号 for `file`.
    pub court_case_no: String,
    /// The reason, for `reject_confirmation` and `dismiss`.
    pub reason: String,
}

/// An inbound message, checked for shape.
#[derive(Debug, Clone)]
pub enum Message {
    /// `case.create`: a dispute from the 综治 platform.
    Create(Box<IntakeInput>),
    /// `case.status`: a decision of the court.
    Status(StatusUpdate),
}

/// The events the court platform may push: the transitions that are the court's to
/// decide (the roles of [`model::TRANSITIONS`] name only the tribunal judge).
pub fn court_events() -> Vec<&'static Transition> {
    let mut out: Vec<&'static Transition> = Vec::new();
    for t in model::TRANSITIONS {
        if t.roles == [Role::TribunalJudge] && !out.iter().any(|o| o.event == t.event) {
            out.push(t);
        }
    }
    out
}

fn bad_message(message: impl Into<String>) -> AppError {
    AppError::bad_request("mediation.inbound_json", message)
}

/// Read an inbound message: JSON of [`INBOUND_FORMAT`] with the type `source` sends.
pub fn parse_message(source: Source, body: &Value) -> Result<Message, AppError> {
    let Some(obj) = body.as_object() else {
        return Err(bad_message("消息须为 JSON 对象"));
    };
    let format = obj.get("format").and_then(Value::as_str).unwrap_or_default();
    if format != INBOUND_FORMAT {
        return Err(AppError::bad_request("mediation.inbound_format", format!("format 须为“{INBOUND_FORMAT}”（收到“{format}”）")));
    }
    let kind = obj.get("type").and_then(Value::as_str).unwrap_or_default();
    if kind != source.message_type() {
        let known = kind == Source::Zongzhi.message_type() || kind == Source::Court.message_type();
        let message = if known {
            format!("{}只能推送 {} 消息（收到 {kind}）", source.zh(), source.message_type())
        } else {
            format!("未知的消息类型“{kind}”：{}推送 {} 消息", source.zh(), source.message_type())
        };
        return Err(AppError::bad_request("mediation.inbound_type", message));
    }
    let field = |name: &str| obj.get(name).filter(|v| v.is_object()).cloned().ok_or_else(|| bad_message(format!("缺少 {name} 对象")));
    Ok(match source {
        Source::Zongzhi => {
            Message::Create(Box::new(serde_json::from_value(field("case")?).map_err(|e| bad_message(format!("case 对象格式错误：{e}")))?))
        }
        Source::Court => {
            Message::Status(serde_json::from_value(field("status")?).map_err(|e| bad_message(format!("status 对象格式错误：{e}")))?)
        }
    })
}

/// 回执 The answer to an inbound message.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Receipt {
    pub tracking_code: String,
    pub state: String,
    pub state_zh: String,
    /// True when the message changed nothing: a replay of a key already processed, or a
    /// case the 综治 platform had pushed before under the same case number.
    pub duplicate: bool,
}

/// What `mediation_inbound.result` holds: the first answer and the content it answered.
#[derive(Debug, Serialize, Deserialize)]
struct Recorded {
    tracking_code: String,
    state: String,
    state_zh: String,
    content_sha256: String,
}

#[derive(sqlx::FromRow)]
struct InboundRow {
    result: String,
}

/// The answer recorded for `(source, key)`: the first answer again (as a duplicate) when
/// the content is the same; a conflict when the key was used for other content.
async fn replay(db: &Db, source: Source, key: &str, content_sha256: &str) -> Result<Option<Receipt>, AppError> {
    let mut s = Sql::new("SELECT result FROM mediation_inbound WHERE source = ");
    s.bind(source.key()).push(" AND idempotency_key = ").bind(key);
    let Some(row) = s.fetch_optional::<InboundRow>(db).await? else { return Ok(None) };
    let first: Recorded = serde_json::from_str(&row.result).map_err(AppError::internal)?;
    if first.content_sha256 != content_sha256 {
        return Err(AppError::conflict(
            "mediation.inbound_key_reused",
            format!("幂等键“{key}”已用于另一条内容不同的消息，请为新消息使用新的幂等键"),
        ));
    }
    Ok(Some(Receipt { tracking_code: first.tracking_code, state: first.state, state_zh: first.state_zh, duplicate: true }))
}

/// Record the answer to `(source, key)`; false when another request recorded it first.
async fn record(db: &Db, source: Source, key: &str, kind: &str, case: &Case, result: &Recorded, now_ms: i64) -> Result<bool, AppError> {
    let result = serde_json::to_string(result).map_err(AppError::internal)?;
    let n = db
        .execute(
            "INSERT INTO mediation_inbound (source, idempotency_key, topic, case_id, result, received_at) VALUES ($1, $2, $3, $4, $5, $6) \
             ON CONFLICT (source, idempotency_key) DO NOTHING",
            &[Arg::from(source.key()), Arg::from(key), Arg::from(kind), Arg::Int(case.id), Arg::from(result.as_str()), Arg::Int(now_ms)],
        )
        .await?;
    Ok(n == 1)
}

/// 来件处理 Process one signed message from `source` for `county` (the signature and the
/// caller are checked by the handler): once per idempotency key — a replay with the same
/// content returns the first answer and changes nothing. Only accepted messages are
/// recorded, so a refused one may be corrected and sent again under the same key.
pub async fn receive(env: Env<'_>, pii: &Pii, county: &str, source: Source, key: &str, body: &[u8]) -> Result<Receipt, AppError> {
    let key = key.trim();
    if key.is_empty() || key.chars().count() > MAX_KEY_CHARS || key.chars().any(char::is_control) {
        return Err(AppError::bad_request(
            "mediation.inbound_key",
            format!("请求须带 X-Qingfeng-Idempotency-Key 头（不超过{MAX_KEY_CHARS}个字符，同一消息重发时保持不变）"),
        ));
    }
    let value: Value = serde_json::from_slice(body).map_err(|e| bad_message(format!("消息不是有效的 JSON：{e}")))?;
    // The content, independent of whitespace and key order, is what a replay must repeat.
    let content_sha256 = session::sha256_hex(&value.to_string());
    if let Some(first) = replay(env.db, source, key, &content_sha256).await? {
        return Ok(first);
    }
    let message = parse_message(source, &value)?;
    let done = match &message {
        Message::Create(input) => create(env, pii, county, input).await,
        Message::Status(update) => status(env, county, update).await,
    };
    let (case, duplicate) = match done {
        Ok(done) => done,
        Err(e) => {
            // The same message sent twice at once: the other request answered it first.
            return match replay(env.db, source, key, &content_sha256).await? {
                Some(first) => Ok(first),
                None => Err(e),
            };
        }
    };
    let answer = Recorded {
        tracking_code: case.tracking_code.clone(),
        state: case.state.clone(),
        state_zh: model::state_zh(&case.state).to_string(),
        content_sha256: content_sha256.clone(),
    };
    if !record(env.db, source, key, source.message_type(), &case, &answer, env.now_ms).await?
        && let Some(first) = replay(env.db, source, key, &content_sha256).await?
    {
        return Ok(first);
    }
    Ok(Receipt { tracking_code: answer.tracking_code, state: answer.state, state_zh: answer.state_zh, duplicate })
}

/// `case.create`: a dispute from the 综治 platform, registered with channel `zongzhi` and
/// the platform's case number as `external_ref`; a number already pushed returns its case.
async fn create(env: Env<'_>, pii: &Pii, county: &str, input: &IntakeInput) -> Result<(Case, bool), AppError> {
    let channel = "zongzhi";
    let ext = input.external_ref.trim();
    if ext.is_empty() || ext.chars().count() > 64 {
        return Err(AppError::bad_request("mediation.external_ref", "请填写综治平台的案件编号 external_ref（不超过64个字符）"));
    }
    let existing = |c: Case| {
        if c.county_code == county {
            Ok((c, true))
        } else {
            Err(AppError::conflict("mediation.external_ref", format!("综治平台案件编号“{ext}”已属于其他县的案件")))
        }
    };
    if let Some(c) = store::case_by_external(env.db, channel, ext).await? {
        return existing(c);
    }
    let today = clock::from_ms(env.now_ms).with_timezone(&qingfeng_core::CHINA_STANDARD_TIME).date_naive();
    let (new, parties) = workflow::check_intake(env.db, pii, county, channel, input, today).await?;
    match workflow::intake(env, new, parties, None, &Source::Zongzhi.actor()).await {
        Ok(c) => Ok((c, false)),
        // Pushed twice at once under two keys: the unique case number let one through.
        Err(e) => match store::case_by_external(env.db, channel, ext).await? {
            Some(c) => existing(c),
            None => Err(e),
        },
    }
}

/// `case.status`: a decision of the court on the case with this tracking code, fired
/// through the state machine as the court platform (an illegal move is a 409).
async fn status(env: Env<'_>, county: &str, update: &StatusUpdate) -> Result<(Case, bool), AppError> {
    let event = update.event.trim();
    let events = court_events();
    if !events.iter().any(|t| t.event == event) {
        let list: Vec<&str> = events.iter().map(|t| t.event).collect();
        return Err(AppError::bad_request(
            "mediation.inbound_event",
            format!("法院调解平台可推送的事件为 {}（收到“{event}”）", list.join("、")),
        ));
    }
    let code = update.tracking_code.trim().to_uppercase();
    let case = store::case_by_tracking(env.db, &code)
        .await?
        .filter(|c| c.county_code == county)
        .ok_or_else(|| AppError::not_found("mediation.case_not_found", format!("查询码“{code}”对应的案件不存在")))?;
    let input = ActionInput {
        event: event.to_string(),
        reason: update.reason.clone(),
        court_case_no: update.court_case_no.clone(),
        ..ActionInput::default()
    };
    let after = workflow::fire(env, &case, event, &input, &Source::Court.actor(), ALL_ROLES).await?;
    Ok((after, false))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]

    use super::*;

    /// A case full of personal data, none of which may leave in an event.
    fn case() -> Case {
        Case {
            id: 7,
            county_code: "410922".into(),
            tracking_code: "TJ23456789".into(),
            channel: "zongzhi".into(),
            category: "neighbour".into(),
            summary: "张三与李四因宅基地界址发生争执，张三电话13812345678".into(),
            claim: "要求李四拆除院墙".into(),
            amount_fen: Some(120_000),
            township_code: "410922100".into(),
            village_code: "410922100201".into(),
            place: "城关镇张庄村张三家门口".into(),
            occurred_on: Some("2026-11-01".into()),
            grid_id: Some(3),
            reporter_user_id: Some(9),
            external_ref: Some("ZZ-2026-000123".into()),
            state: "filed".into(),
            level: "village".into(),
            body_kind: "village_committee".into(),
            body_org_id: None,
            body_name: "张庄村人民调解委员会".into(),
            mediator_user_id: Some(11),
            tribunal_org_id: Some(4),
            route_rule: "default".into(),
            due_at: None,
            due_basis: String::new(),
            reminded_at: None,
            overdue_notified_at: None,
            level_due_at: None,
            mediation_started_at: Some(1),
            extension_days: 0,
            agreement_at: None,
            agreement_text: Some("李四于十日内赔偿张三1200元".into()),
            failure_reason: Some("李四拒绝调解".into()),
            court_case_no: Some("（2026）豫0922民初123号".into()),
            closed_at: Some(5),
            outcome: Some("failed".into()),
            followup_at: None,
            satisfaction: Some(4),
            followup_note: Some("张三表示满意".into()),
            is_demo: false,
            created_at: 1,
            updated_at: 5,
        }
    }

    fn keys(v: &Value) -> Vec<&str> {
        let mut k: Vec<&str> = v.as_object().unwrap().keys().map(String::as_str).collect();
        k.sort_unstable();
        k
    }

    #[test]
    fn the_case_event_carries_the_documented_fields_and_no_personal_data() {
        let p = payload(&case(), "file", Some(42), 1_764_500_000_000);
        assert_eq!(keys(&p), ["case", "event", "format", "occurred_at", "sequence"]);
        assert_eq!((p["format"].as_str(), p["event"].as_str(), p["sequence"].as_i64()), (Some(FORMAT), Some("file"), Some(42)));
        assert_eq!(
            keys(&p["case"]),
            [
                "agreement_at",
                "body",
                "category",
                "category_zh",
                "channel",
                "closed_at",
                "county_code",
                "court_case_no",
                "created_at",
                "due_at",
                "external_ref",
                "level",
                "outcome",
                "state",
                "state_zh",
                "township_code",
                "tracking_code",
                "village_code",
            ]
        );
        assert_eq!(p["case"]["state_zh"], "已立案");
        assert_eq!(p["case"]["category_zh"], "邻里纠纷");
        assert_eq!(p["case"]["court_case_no"], "（2026）豫0922民初123号");
        let text = p.to_string();
        for private in ["张三", "李四", "13812345678", "院墙", "1200", "张庄村张三家门口", "满意", "summary", "claim", "amount"]
        {
            assert!(!text.contains(private), "{private} left in {text}");
        }
        assert!(payload(&case(), "created", None, 0)["sequence"].is_null(), "created and routed have no sequence");
    }

    #[test]
    fn every_event_has_a_topic_and_the_document_lists_them_all() {
        let events = events();
        assert_eq!(&events[..2], ["created", "routed"]);
        assert!(!events.contains(&"route"), "route is reported as routed");
        for t in model::TRANSITIONS.iter().filter(|t| t.event != "route") {
            assert!(events.contains(&t.event), "{}", t.event);
        }
        let list = topic_list();
        assert_eq!(list.split(',').count(), events.len());
        assert!(list.split(',').all(|t| t.starts_with("mediation.case.") && t.len() <= 100));
        let doc = include_str!("../../../docs/exchange.md");
        for e in &events {
            assert!(doc.contains(&format!("`{}`", topic(e))), "docs/exchange.md does not list {}", topic(e));
        }
        assert!(doc.contains(&list), "docs/exchange.md gives the whole topic list to paste");
        for t in court_events() {
            assert!(doc.contains(&format!("`{}`", t.event)), "docs/exchange.md does not list the court event {}", t.event);
        }
    }

    #[test]
    fn the_court_pushes_only_the_court_decisions() {
        let events: Vec<&str> = court_events().iter().map(|t| t.event).collect();
        assert_eq!(events, ["accept_confirmation", "reject_confirmation", "extend_review", "confirm", "dismiss", "issue_paper", "file"]);
    }

    #[test]
    fn signatures_are_checked_with_the_time_window() {
        let secret = "zongzhi-secret-0123456789";
        let body = br#"{"a":1}"#;
        let now = 1_764_500_000;
        let sig = outbox::sign(secret, now - 60, body);
        let ts = (now - 60).to_string();
        assert!(check_signature(secret, Some(&ts), Some(&sig), body, now).is_ok());
        let code = |r: Result<(), AppError>| r.unwrap_err().code;
        assert_eq!(code(check_signature(secret, None, Some(&sig), body, now)), "mediation.inbound_signature");
        assert_eq!(code(check_signature(secret, Some(&ts), None, body, now)), "mediation.inbound_signature");
        assert_eq!(code(check_signature(secret, Some("yesterday"), Some(&sig), body, now)), "mediation.inbound_timestamp");
        assert_eq!(code(check_signature(secret, Some(&ts), Some(&sig), br#"{"a":2}"#, now)), "mediation.inbound_signature");
        assert_eq!(code(check_signature("another-secret-0123456789", Some(&ts), Some(&sig), body, now)), "mediation.inbound_signature");
        // Five minutes either way are accepted; a second more is not, even when signed.
        for skew in [-SIGNATURE_WINDOW_SECS, SIGNATURE_WINDOW_SECS] {
            let t = now + skew;
            assert!(check_signature(secret, Some(&t.to_string()), Some(&outbox::sign(secret, t, body)), body, now).is_ok(), "{skew}");
        }
        for skew in [-SIGNATURE_WINDOW_SECS - 1, SIGNATURE_WINDOW_SECS + 1] {
            let t = now + skew;
            let r = check_signature(secret, Some(&t.to_string()), Some(&outbox::sign(secret, t, body)), body, now);
            assert_eq!(r.as_ref().unwrap_err().status, axum::http::StatusCode::UNAUTHORIZED);
            assert_eq!(code(r), "mediation.inbound_stale", "{skew}");
        }
    }

    #[test]
    fn messages_are_read_by_source() {
        let create = json!({"format": INBOUND_FORMAT, "type": "case.create", "case": {"external_ref": "ZZ-1", "category": "neighbour"}});
        let Message::Create(input) = parse_message(Source::Zongzhi, &create).unwrap() else { panic!("not a create") };
        assert_eq!((input.external_ref.as_str(), input.summary.as_str()), ("ZZ-1", ""));
        let status = json!({"format": INBOUND_FORMAT, "type": "case.status", "status": {"tracking_code": "TJ2", "event": "file"}});
        assert!(matches!(parse_message(Source::Court, &status).unwrap(), Message::Status(s) if s.event == "file"));
        let code = |source, v: Value| parse_message(source, &v).unwrap_err().code;
        assert_eq!(code(Source::Court, create.clone()), "mediation.inbound_type", "the court does not push cases");
        assert_eq!(code(Source::Zongzhi, status.clone()), "mediation.inbound_type");
        assert_eq!(code(Source::Zongzhi, json!({"format": INBOUND_FORMAT, "type": "case.delete"})), "mediation.inbound_type");
        assert_eq!(code(Source::Zongzhi, json!({"format": "v0", "type": "case.create"})), "mediation.inbound_format");
        assert_eq!(code(Source::Zongzhi, json!([1, 2])), "mediation.inbound_json");
        assert_eq!(code(Source::Zongzhi, json!({"format": INBOUND_FORMAT, "type": "case.create"})), "mediation.inbound_json");
        assert_eq!(
            code(Source::Zongzhi, json!({"format": INBOUND_FORMAT, "type": "case.create", "case": {"summary": 5}})),
            "mediation.inbound_json"
        );
        assert_eq!(Source::parse("zongzhi"), Some(Source::Zongzhi));
        assert_eq!(Source::parse("Court"), None);
    }
}
