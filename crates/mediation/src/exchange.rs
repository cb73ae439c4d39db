//! 数据交换 Case events for the county 综治 platform (horizontal) and the court mediation
//! platform (vertical). Every event is written to the platform outbox in the same
//! transaction as the change, so it exists exactly when the change does; the outbox
//! signs, retries and keeps the idempotency key (see `docs/exchange.md`).

use qingfeng_platform::db::Tx;
use qingfeng_platform::{AppError, outbox};
use serde_json::json;

use crate::store::Case;

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
