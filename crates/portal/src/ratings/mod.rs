//! 好差评 Service ratings (DOMAIN.md §6.1): the five levels on every closed ticket
//! (一事一评) and on services (一次一评: one per person, service and day), the 差评
//! workflow — 回访核实 by the department rated (谁办理、谁负责), rectification within a
//! deadline set per authority, feedback to the person who rated, and an appeal against a
//! misjudged or malicious rating that the county office reviews — and the monthly scores
//! and ranking per department, frozen when the county office publishes a month.
//!
//! Rooms: this file (levels, the 差评 machine), [`store`] (SQL), [`workflow`] (rating,
//! actions, timers, scores), [`web`] (pages and API).

pub mod store;
pub mod web;
pub mod workflow;

use qingfeng_platform::auth::Role;
use qingfeng_platform::state::{Machine, State, Transition};
use serde::Serialize;

pub const ENTITY: &str = "portal_rating";

/// 评价等级 The five levels [V].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Level {
    pub value: i64,
    pub zh: &'static str,
    pub en: &'static str,
}

pub const LEVELS: &[Level] = &[
    Level { value: 5, zh: "非常满意", en: "Very satisfied" },
    Level { value: 4, zh: "满意", en: "Satisfied" },
    Level { value: 3, zh: "基本满意", en: "Fairly satisfied" },
    Level { value: 2, zh: "不满意", en: "Dissatisfied" },
    Level { value: 1, zh: "非常不满意", en: "Very dissatisfied" },
];

pub fn level_zh(value: i64) -> &'static str {
    LEVELS.iter().find(|l| l.value == value).map(|l| l.zh).unwrap_or("")
}

/// 差评 不满意 or 非常不满意 [V].
pub fn is_bad(level: i64) -> bool {
    level <= 2
}

/// 好评 满意 or 非常满意.
pub fn is_good(level: i64) -> bool {
    level >= 4
}

pub const MACHINE: Machine =
    Machine { entity: ENTITY, table: "portal_ratings", state_column: "state", states: STATES, transitions: TRANSITIONS };

pub const STATES: &[State] = &[
    State { key: "visiting", zh: "待回访核实", en: "To verify", terminal: false },
    State { key: "rectifying", zh: "整改中", en: "Rectifying", terminal: false },
    State { key: "handled", zh: "已处理待反馈", en: "To feed back", terminal: false },
    State { key: "appeal_review", zh: "申诉复核中", en: "Appeal under review", terminal: false },
    State { key: "closed", zh: "已办结", en: "Closed", terminal: true },
];

use Role::*;

/// The department rated (and the county office, which oversees).
const DEPT: &[Role] = &[SystemAdmin, CountyAdmin, DeptStaff, TownshipStaff];
/// Appeals are reviewed by the county office, never by the department appealing.
const REVIEWERS: &[Role] = &[SystemAdmin, CountyAdmin];

pub const TRANSITIONS: &[Transition] = &[
    Transition { from: "visiting", event: "confirm", zh: "核实属实，限期整改", to: "rectifying", roles: DEPT, deadline: None },
    Transition { from: "visiting", event: "explain", zh: "解释说明", to: "handled", roles: DEPT, deadline: None },
    Transition {
        from: "visiting", event: "appeal", zh: "申诉（误评、恶意差评）", to: "appeal_review", roles: DEPT, deadline: None
    },
    Transition { from: "rectifying", event: "rectify", zh: "整改完成", to: "handled", roles: DEPT, deadline: None },
    Transition { from: "handled", event: "feed_back", zh: "反馈评价人", to: "closed", roles: DEPT, deadline: None },
    Transition { from: "appeal_review", event: "uphold", zh: "申诉成立", to: "closed", roles: REVIEWERS, deadline: None },
    Transition {
        from: "appeal_review", event: "reject", zh: "申诉不成立，限期整改", to: "rectifying", roles: REVIEWERS, deadline: None
    },
];

pub fn state_zh(state: &str) -> &'static str {
    MACHINE.state(state).map(|s| s.zh).unwrap_or("")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_machine_is_sound_and_levels_split_as_the_rule_says() {
        MACHINE.check().unwrap();
        assert_eq!(LEVELS.len(), 5);
        assert!(is_bad(1) && is_bad(2) && !is_bad(3));
        assert!(is_good(4) && is_good(5) && !is_good(3));
        assert_eq!(level_zh(3), "基本满意");
    }
}
