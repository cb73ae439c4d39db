//! 小事快办 · 企业家维权投诉 The ticket loop of DOMAIN.md §6.4, for the two modules that
//! take a request from an entrepreneur: quick small matters (short time limits) and
//! complaints (with 好差评 on closure).
//!
//! 首接负责 The body that first receives a ticket owns it to the end: it answers it at
//! once or dispatches it to a department, takes it back when the department returns it
//! with a reason, decides on extension requests, and visits the person after the reply.
//! The department signs for a dispatched ticket within a deadline, handles it within the
//! time limit of its type (working days, `data/service_limits.csv`), and replies.
//! Overdue tickets are urged (催办) at once and reported (通报) when still overdue some
//! working days later; both show on the overdue list.
//!
//! Rooms: this file (kinds, types, the state machine, the limits), [`store`] (SQL),
//! [`workflow`] (intake, actions, timers), [`web`] (pages and API).

pub mod demo;
pub mod store;
pub mod web;
pub mod workflow;

use std::sync::OnceLock;

use qingfeng_core::Period;
use qingfeng_platform::auth::Role;
use qingfeng_platform::limits::Limits;
use qingfeng_platform::state::{Machine, State, Transition};
use serde::Serialize;

/// The entity name in the audit chain.
pub const ENTITY: &str = "portal_ticket";

pub const MACHINE: Machine =
    Machine { entity: ENTITY, table: "portal_tickets", state_column: "state", states: STATES, transitions: TRANSITIONS };

pub const STATES: &[State] = &[
    State { key: "received", zh: "已受理", en: "Received", terminal: false },
    State { key: "dispatched", zh: "已派单待签收", en: "Dispatched", terminal: false },
    State { key: "returned", zh: "已退单", en: "Returned", terminal: false },
    State { key: "processing", zh: "办理中", en: "Processing", terminal: false },
    State { key: "extension_requested", zh: "延期审核中", en: "Extension requested", terminal: false },
    State { key: "replied", zh: "已答复待回访", en: "Replied", terminal: false },
    State { key: "reopened", zh: "已重办", en: "Reopened", terminal: false },
    State { key: "closed", zh: "已办结", en: "Closed", terminal: true },
];

use Role::*;

/// The first receiver's side: the county business-environment office (county admins)
/// and any department that registered the ticket itself.
const RECEIVERS: &[Role] = &[SystemAdmin, CountyAdmin, DeptStaff, TownshipStaff];
/// The department's side.
const HANDLERS: &[Role] = &[SystemAdmin, CountyAdmin, DeptStaff, TownshipStaff];

pub const TRANSITIONS: &[Transition] = &[
    Transition { from: "received", event: "answer", zh: "即时答复", to: "replied", roles: RECEIVERS, deadline: None },
    Transition { from: "received", event: "dispatch", zh: "派单", to: "dispatched", roles: RECEIVERS, deadline: None },
    Transition { from: "dispatched", event: "sign", zh: "签收", to: "processing", roles: HANDLERS, deadline: None },
    Transition { from: "dispatched", event: "return", zh: "退单", to: "returned", roles: HANDLERS, deadline: None },
    Transition { from: "returned", event: "dispatch", zh: "重新派单", to: "dispatched", roles: RECEIVERS, deadline: None },
    Transition { from: "returned", event: "answer", zh: "即时答复", to: "replied", roles: RECEIVERS, deadline: None },
    Transition {
        from: "processing",
        event: "request_extension",
        zh: "申请延期",
        to: "extension_requested",
        roles: HANDLERS,
        deadline: None,
    },
    Transition {
        from: "extension_requested",
        event: "approve_extension",
        zh: "同意延期",
        to: "processing",
        roles: RECEIVERS,
        deadline: None,
    },
    Transition {
        from: "extension_requested",
        event: "reject_extension",
        zh: "不同意延期",
        to: "processing",
        roles: RECEIVERS,
        deadline: None,
    },
    Transition { from: "processing", event: "reply", zh: "答复", to: "replied", roles: HANDLERS, deadline: None },
    Transition { from: "replied", event: "revisit", zh: "回访办结", to: "closed", roles: RECEIVERS, deadline: None },
    Transition { from: "replied", event: "reopen", zh: "重办", to: "reopened", roles: RECEIVERS, deadline: None },
    Transition { from: "reopened", event: "dispatch", zh: "重新派单", to: "dispatched", roles: RECEIVERS, deadline: None },
    Transition { from: "reopened", event: "answer", zh: "即时答复", to: "replied", roles: RECEIVERS, deadline: None },
];

/// Events the first receiver fires (the others are the department's).
pub fn is_receiver_event(event: &str) -> bool {
    matches!(event, "answer" | "dispatch" | "approve_extension" | "reject_extension" | "revisit" | "reopen")
}

pub fn state_zh(state: &str) -> &'static str {
    MACHINE.state(state).map(|s| s.zh).unwrap_or("未知状态")
}

pub fn is_open(state: &str) -> bool {
    MACHINE.state(state).is_some_and(|s| !s.terminal)
}

/// A labelled key: kinds, types, priorities and channels.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Label {
    pub key: &'static str,
    pub zh: &'static str,
    pub en: &'static str,
}

/// 工单类别 The two portal modules that open tickets.
pub const KINDS: &[Label] = &[
    Label { key: "quick", zh: "小事快办", en: "Quick small matter" },
    Label { key: "complaint", zh: "企业家维权投诉", en: "Entrepreneur complaint" },
];

/// 诉求类型 Ticket types of DOMAIN.md §6.4 [S].
pub const CATEGORIES: &[Label] = &[
    Label { key: "consult", zh: "咨询", en: "Enquiry" },
    Label { key: "help", zh: "求助", en: "Request for help" },
    Label { key: "complaint", zh: "投诉举报", en: "Complaint or report" },
    Label { key: "suggestion", zh: "意见建议", en: "Suggestion" },
    Label { key: "praise", zh: "表扬", en: "Praise" },
];

/// 紧急程度 Priorities of DOMAIN.md §6.4 [S].
pub const PRIORITIES: &[Label] = &[
    Label { key: "normal", zh: "一般", en: "Normal" },
    Label { key: "urgent", zh: "紧急", en: "Urgent" },
    Label { key: "complex", zh: "复杂", en: "Complex" },
];

/// 受理渠道
pub const CHANNELS: &[Label] = &[
    Label { key: "online", zh: "直通车在线提交", en: "Online" },
    Label { key: "phone", zh: "电话登记", en: "Phone" },
    Label { key: "window", zh: "窗口登记", en: "Service window" },
];

pub fn label(list: &'static [Label], key: &str) -> Option<&'static Label> {
    list.iter().find(|l| l.key == key)
}

pub fn label_zh(list: &'static [Label], key: &str) -> &'static str {
    label(list, key).map(|l| l.zh).unwrap_or("")
}

const LIMITS_CSV: &str = include_str!("../../data/service_limits.csv");

/// The limits the ticket loop and 差评 handling need.
pub const LIMIT_KEYS: &[&str] = &[
    "dispatch",
    "sign",
    "reply.quick",
    "reply.urgent",
    "reply.complex",
    "reply.consult",
    "reply.help",
    "reply.complaint",
    "reply.suggestion",
    "reply.praise",
    "extension_max",
    "revisit",
    "report_after",
    "visit",
    "rectify",
    "feedback",
    "review",
];

/// The limits shipped in `data/service_limits.csv` (checked by a unit test; a broken
/// file falls back to the 30-day default of [`Limits::limit`] rather than crash).
pub fn limits() -> &'static Limits {
    static LIMITS: OnceLock<Limits> = OnceLock::new();
    LIMITS.get_or_init(|| match Limits::parse("service_limits.csv", LIMITS_CSV, LIMIT_KEYS) {
        Ok(l) => l,
        Err(e) => {
            tracing::error!(error = %e, "crates/portal/data/service_limits.csv is invalid");
            Limits::default()
        }
    })
}

/// The handling time limit of a ticket: urgent and complex tickets by priority, quick
/// small matters by their own short limit, the rest by type.
pub fn reply_limit_key(kind: &str, category: &str, priority: &str) -> String {
    match priority {
        "urgent" => "reply.urgent".into(),
        "complex" => "reply.complex".into(),
        _ if kind == "quick" => "reply.quick".into(),
        _ => format!("reply.{category}"),
    }
}

/// The longest extension a department may ask for, in working days.
pub fn extension_max_days() -> u32 {
    match limits().limit("extension_max").0 {
        Period::WorkingDays(n) | Period::NaturalDays(n) => n,
        _ => 10,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_machine_and_the_limits_are_sound() {
        MACHINE.check().unwrap();
        Limits::parse("service_limits.csv", LIMITS_CSV, LIMIT_KEYS).unwrap();
        for k in KINDS {
            for c in CATEGORIES {
                for p in PRIORITIES {
                    let key = reply_limit_key(k.key, c.key, p.key);
                    assert!(limits().get(&key).is_some(), "no limit {key}");
                }
            }
        }
        assert_eq!(limits().limit("reply.complaint").0, Period::WorkingDays(13));
        assert_eq!(reply_limit_key("quick", "complaint", "normal"), "reply.quick");
        assert_eq!(reply_limit_key("complaint", "help", "urgent"), "reply.urgent");
        assert!(is_receiver_event("dispatch") && is_receiver_event("revisit"));
        assert!(!is_receiver_event("sign") && !is_receiver_event("reply") && !is_receiver_event("return"));
    }
}
