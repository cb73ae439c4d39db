//! 模型 The domain of litigation-source governance: the case state machine (DOMAIN.md
//! §5.3), channels, the rungs of the escalation ladder and the kinds of mediating body.

use qingfeng_platform::auth::Role;
use qingfeng_platform::state::{Machine, State, Transition};
use serde::Serialize;

/// 案件状态机 The pre-litigation mediation state machine (DOMAIN.md §5.3).
///
/// received → (route) unassigned → (assign) assigned → (accept) mediating →
/// succeeded → judicial confirmation / mediation paper / performance, or
/// failed → referred → filed. Time limits are configurable data ([`crate::rules::Limits`])
/// and computed by the workflow, so no transition carries a static deadline.
pub const MACHINE: Machine =
    Machine { entity: "mediation_case", table: "mediation_cases", state_column: "state", states: STATES, transitions: TRANSITIONS };

pub const STATES: &[State] = &[
    State { key: "received", zh: "已登记", en: "Received", terminal: false },
    State { key: "unassigned", zh: "待分派", en: "Awaiting assignment", terminal: false },
    State { key: "assigned", zh: "待调解员接受", en: "Awaiting mediator", terminal: false },
    State { key: "mediating", zh: "调解中", en: "Mediating", terminal: false },
    State { key: "succeeded", zh: "调解成功", en: "Agreement reached", terminal: false },
    State { key: "confirmation_requested", zh: "司法确认待受理", en: "Confirmation requested", terminal: false },
    State { key: "confirmation_accepted", zh: "司法确认审查中", en: "Confirmation under review", terminal: false },
    State { key: "confirmed", zh: "已司法确认", en: "Judicially confirmed", terminal: false },
    State { key: "dismissed", zh: "司法确认被驳回", en: "Confirmation dismissed", terminal: false },
    State { key: "paper_requested", zh: "调解书待出具", en: "Mediation paper requested", terminal: false },
    State { key: "paper_issued", zh: "已出具调解书", en: "Mediation paper issued", terminal: false },
    State { key: "failed", zh: "调解不成", en: "Mediation failed", terminal: false },
    State { key: "referred", zh: "已移送立案", en: "Referred for filing", terminal: false },
    State { key: "filed", zh: "已立案", en: "Filed with the court", terminal: true },
    State { key: "performed", zh: "已履行", en: "Performed", terminal: true },
    State { key: "enforcement", zh: "已申请强制执行", en: "Enforcement applied for", terminal: true },
    State { key: "withdrawn", zh: "已撤回", en: "Withdrawn", terminal: true },
    State { key: "not_accepted", zh: "不予受理", en: "Not accepted", terminal: true },
];

use Role::*;

/// Who runs a mediation: the body's staff, its mediators and (in the village) the grid worker.
const HANDLERS: &[Role] = &[SystemAdmin, CountyAdmin, TownshipStaff, Mediator, GridWorker, TribunalJudge];
/// Who may screen and assign: the staff of the body, not the mediator alone.
const ASSIGNERS: &[Role] = &[SystemAdmin, CountyAdmin, TownshipStaff, Mediator, GridWorker, TribunalJudge];
/// Court decisions: judges only (and the court platform, acting as the system).
const COURT: &[Role] = &[TribunalJudge];

const fn t(from: &'static str, event: &'static str, zh: &'static str, to: &'static str, roles: &'static [Role]) -> Transition {
    Transition { from, event, zh, to, roles, deadline: None }
}

pub const TRANSITIONS: &[Transition] = &[
    t("received", "route", "分流", "unassigned", ASSIGNERS),
    t("received", "not_accept", "不予受理", "not_accepted", ASSIGNERS),
    t("received", "withdraw", "撤回申请", "withdrawn", HANDLERS),
    t("unassigned", "assign", "分派调解员", "assigned", ASSIGNERS),
    t("unassigned", "escalate", "逾期升级", "unassigned", ASSIGNERS),
    t("unassigned", "not_accept", "不予受理", "not_accepted", ASSIGNERS),
    t("unassigned", "refer", "不宜调解，引导立案", "referred", ASSIGNERS),
    t("unassigned", "withdraw", "撤回申请", "withdrawn", HANDLERS),
    t("assigned", "accept", "接受委派", "mediating", HANDLERS),
    t("assigned", "refuse", "拒绝委派", "unassigned", HANDLERS),
    t("assigned", "recuse", "申请回避", "unassigned", HANDLERS),
    t("assigned", "escalate", "逾期升级", "unassigned", ASSIGNERS),
    t("assigned", "withdraw", "撤回申请", "withdrawn", HANDLERS),
    t("mediating", "extend", "经当事人同意延长调解期限", "mediating", HANDLERS),
    t("mediating", "succeed", "达成调解协议", "succeeded", HANDLERS),
    t("mediating", "fail", "调解不成", "failed", HANDLERS),
    t("mediating", "expire", "调解期满未延长", "failed", ASSIGNERS),
    t("mediating", "escalate", "逾期升级", "unassigned", ASSIGNERS),
    t("mediating", "withdraw", "撤回申请", "withdrawn", HANDLERS),
    t("succeeded", "request_confirmation", "申请司法确认", "confirmation_requested", HANDLERS),
    t("succeeded", "request_paper", "申请出具诉前调解书", "paper_requested", HANDLERS),
    t("succeeded", "perform", "自动履行完毕", "performed", HANDLERS),
    t("succeeded", "breach", "未履行，引导起诉", "referred", HANDLERS),
    t("confirmation_requested", "accept_confirmation", "受理司法确认", "confirmation_accepted", COURT),
    t("confirmation_requested", "reject_confirmation", "不予受理司法确认", "dismissed", COURT),
    t("confirmation_accepted", "extend_review", "经院长批准延长审查期限", "confirmation_accepted", COURT),
    t("confirmation_accepted", "confirm", "裁定调解协议有效", "confirmed", COURT),
    t("confirmation_accepted", "dismiss", "裁定驳回申请", "dismissed", COURT),
    t("confirmed", "perform", "履行完毕", "performed", HANDLERS),
    t("confirmed", "default", "未履行，申请强制执行", "enforcement", HANDLERS),
    t("paper_requested", "issue_paper", "出具诉前调解书", "paper_issued", COURT),
    t("paper_issued", "perform", "履行完毕", "performed", HANDLERS),
    t("paper_issued", "default", "未履行，申请强制执行", "enforcement", HANDLERS),
    t("dismissed", "remediate", "重新调解", "unassigned", ASSIGNERS),
    t("dismissed", "refer", "引导立案", "referred", ASSIGNERS),
    t("failed", "refer", "移送立案", "referred", HANDLERS),
    t("failed", "withdraw", "当事人放弃", "withdrawn", HANDLERS),
    t("referred", "file", "法院登记立案", "filed", COURT),
    t("referred", "withdraw", "当事人放弃起诉", "withdrawn", HANDLERS),
];

/// States in which the dispute is 化解 (resolved by agreement).
pub const RESOLVED_STATES: &[&str] = &[
    "succeeded",
    "confirmation_requested",
    "confirmation_accepted",
    "confirmed",
    "dismissed",
    "paper_requested",
    "paper_issued",
    "performed",
    "enforcement",
];

/// States in which somebody still has to act (the case is open).
pub fn is_open(state: &str) -> bool {
    MACHINE.state(state).is_some_and(|s| !s.terminal)
}

pub fn state_zh(state: &str) -> &'static str {
    MACHINE.state(state).map(|s| s.zh).unwrap_or("未知状态")
}

pub fn state_en(state: &str) -> &'static str {
    MACHINE.state(state).map(|s| s.en).unwrap_or("Unknown")
}

/// 来源渠道 Where a case came in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Channel {
    pub key: &'static str,
    pub zh: &'static str,
    pub en: &'static str,
}

pub const CHANNELS: &[Channel] = &[
    Channel { key: "grid", zh: "网格员上报", en: "Grid worker" },
    Channel { key: "online", zh: "群众在线申请", en: "Online application" },
    Channel { key: "window", zh: "窗口登记", en: "Service window" },
    Channel { key: "hotline", zh: "热线登记", en: "Hotline" },
    Channel { key: "zongzhi", zh: "综治平台推送", en: "综治 platform" },
    Channel { key: "court", zh: "法院委派", en: "Court referral" },
];

pub fn channel(key: &str) -> Option<&'static Channel> {
    CHANNELS.iter().find(|c| c.key == key)
}

pub fn channel_zh(key: &str) -> &'static str {
    channel(key).map(|c| c.zh).unwrap_or("其他")
}

/// 化解层级 The rungs of the escalation ladder, bottom first.
pub const LEVELS: &[(&str, &str, &str)] =
    &[("village", "村级", "Village"), ("township", "乡镇级", "Township"), ("county", "县级", "County")];

pub fn level_zh(level: &str) -> &'static str {
    LEVELS.iter().find(|l| l.0 == level).map(|l| l.1).unwrap_or("")
}

/// 调解主体 The kinds of body a case is routed to.
pub const BODY_KINDS: &[(&str, &str, &str)] = &[
    ("village_committee", "村人民调解委员会", "Village mediation committee"),
    ("township_committee", "乡镇人民调解委员会", "Township mediation committee"),
    ("professional", "行业性专业性调解组织", "Professional mediation organisation"),
    ("grid_home", "人民法庭网格之家", "Tribunal grid home"),
    ("admin_centre", "行政争议调解中心", "Administrative dispute centre"),
];

/// The rung a body stands on.
pub fn level_of_body(kind: &str) -> &'static str {
    match kind {
        "village_committee" => "village",
        "township_committee" => "township",
        _ => "county",
    }
}

/// 当事人角色 Party roles.
pub fn party_role_zh(role: &str) -> &'static str {
    match role {
        "applicant" => "申请人",
        "respondent" => "被申请人",
        _ => "当事人",
    }
}

/// 法院案号类型 The court's case-number types for pre-litigation work (from 2022-01-01,
/// DOMAIN.md §5.1): 诉前调确 (judicial confirmation) and 诉前调书 (mediation paper).
pub const CASE_NO_CONFIRMATION: &str = "诉前调确";
pub const CASE_NO_PAPER: &str = "诉前调书";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_machine_is_well_formed() {
        MACHINE.check().unwrap_or_else(|e| panic!("{e}"));
        for s in RESOLVED_STATES {
            assert!(MACHINE.state(s).is_some(), "{s}");
        }
        // Every non-terminal state can be left, and every state can be reached.
        for s in STATES {
            if !s.terminal {
                assert!(MACHINE.events_from(s.key).next().is_some(), "{} is a dead end", s.key);
            }
            if s.key != "received" {
                assert!(TRANSITIONS.iter().any(|t| t.to == s.key), "{} is unreachable", s.key);
            }
        }
    }
}
