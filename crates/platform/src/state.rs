//! 状态机 The one state-machine helper: every module declares its states and legal
//! transitions as data, and every transition goes through [`Machine::apply`], which
//! refuses illegal moves and writes the transition to the audit chain in the same
//! transaction as the change.

use serde::Serialize;

use crate::audit::{self, Actor, Change};
use crate::auth::Role;
use crate::db::Tx;
use crate::error::AppError;
use qingfeng_core::{Deadline, HolidayCalendar, Period};

/// 状态 A state with its names.
#[derive(Debug, Clone, Copy, Serialize)]
pub struct State {
    pub key: &'static str,
    pub zh: &'static str,
    pub en: &'static str,
    /// No transition leaves a final state.
    pub terminal: bool,
}

/// 流转 A legal transition.
#[derive(Debug, Clone, Copy)]
pub struct Transition {
    pub from: &'static str,
    /// What the person does (`accept`, `close`…).
    pub event: &'static str,
    pub zh: &'static str,
    pub to: &'static str,
    /// Roles that may fire it; empty = any signed-in role the page allows.
    pub roles: &'static [Role],
    /// The time limit for the state entered, with its legal basis, if the law sets one.
    pub deadline: Option<(Period, &'static str)>,
}

/// A state machine declared by a module.
#[derive(Debug, Clone, Copy)]
pub struct Machine {
    /// The entity name used in the audit chain (`mediation_case`).
    pub entity: &'static str,
    pub states: &'static [State],
    pub transitions: &'static [Transition],
}

/// What firing a transition produced.
#[derive(Debug, Clone)]
pub struct Fired {
    pub transition: Transition,
    /// When the state entered is due to be left, if it has a time limit.
    pub deadline: Option<Deadline>,
    pub audit_seq: i64,
}

/// The facts of one firing.
pub struct Firing<'a> {
    pub county_code: &'a str,
    pub entity_id: &'a str,
    pub from: &'a str,
    pub event: &'a str,
    pub actor: &'a Actor,
    /// The roles of the person firing it (system actors pass all roles they act for).
    pub roles: &'a [Role],
    pub now_ms: i64,
    pub detail: serde_json::Value,
}

impl Machine {
    pub fn state(&self, key: &str) -> Option<&State> {
        self.states.iter().find(|s| s.key == key)
    }

    /// The transitions open from `from`.
    pub fn events_from(&self, from: &str) -> impl Iterator<Item = &Transition> {
        self.transitions.iter().filter(move |t| t.from == from)
    }

    /// Find the transition for `event` from `from`, or explain in Chinese why not.
    pub fn next(&self, from: &str, event: &str) -> Result<&Transition, AppError> {
        let from_zh = self.state(from).map(|s| s.zh).unwrap_or(from);
        self.transitions.iter().find(|t| t.from == from && t.event == event).ok_or_else(|| {
            let open: Vec<_> = self.events_from(from).map(|t| t.zh).collect();
            AppError::conflict(
                "state.illegal",
                if open.is_empty() {
                    format!("当前状态“{from_zh}”已办结，不能再操作")
                } else {
                    format!("当前状态“{from_zh}”下不能执行“{event}”，可执行：{}", open.join("、"))
                },
            )
        })
    }

    /// Check and fire a transition inside `tx`, recording it in the audit chain.
    /// The caller updates its own row in the same transaction.
    pub async fn apply(&self, tx: &mut Tx, cal: &HolidayCalendar, f: Firing<'_>) -> Result<Fired, AppError> {
        let t = *self.next(f.from, f.event)?;
        if !t.roles.is_empty() && !f.roles.iter().any(|r| t.roles.contains(r)) {
            return Err(AppError::forbidden("state.role", format!("您的角色不能执行“{}”", t.zh)));
        }
        let deadline = t.deadline.map(|(p, _)| qingfeng_core::due_date(crate::clock::from_ms(f.now_ms), p, cal));
        let mut detail = serde_json::json!({"from": t.from, "to": t.to, "event": t.event});
        if let (Some(obj), serde_json::Value::Object(extra)) = (detail.as_object_mut(), f.detail) {
            obj.extend(extra);
        }
        if let (Some(d), Some((_, basis))) = (&deadline, t.deadline) {
            detail["due_at"] = serde_json::json!(d.due_at.timestamp_millis());
            detail["legal_basis"] = serde_json::json!(basis);
        }
        let action = format!("{}.transition", self.entity);
        let seq = audit::append(
            tx,
            f.now_ms,
            &Change { county_code: f.county_code, actor: f.actor, action: &action, entity: self.entity, entity_id: f.entity_id, detail },
        )
        .await?;
        Ok(Fired { transition: t, deadline, audit_seq: seq })
    }

    /// Check the declaration itself: every state named exists, no state has two
    /// transitions for one event, and nothing leaves a terminal state. Modules call
    /// this in a unit test.
    pub fn check(&self) -> Result<(), String> {
        for t in self.transitions {
            for s in [t.from, t.to] {
                if self.state(s).is_none() {
                    return Err(format!("{}: transition {} names unknown state {s}", self.entity, t.event));
                }
            }
            if self.state(t.from).is_some_and(|s| s.terminal) {
                return Err(format!("{}: terminal state {} has transition {}", self.entity, t.from, t.event));
            }
            if self.transitions.iter().filter(|u| u.from == t.from && u.event == t.event).count() > 1 {
                return Err(format!("{}: {} has two transitions for {}", self.entity, t.from, t.event));
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing;
    use qingfeng_core::HolidayCalendar;

    const STATES: &[State] = &[
        State { key: "received", zh: "已受理", en: "Received", terminal: false },
        State { key: "mediating", zh: "调解中", en: "Mediating", terminal: false },
        State { key: "closed", zh: "已办结", en: "Closed", terminal: true },
    ];
    const TRANSITIONS: &[Transition] = &[
        Transition {
            from: "received",
            event: "start",
            zh: "开始调解",
            to: "mediating",
            roles: &[Role::Mediator],
            deadline: Some((Period::NaturalDays(30), "人民调解法 (test)")),
        },
        Transition { from: "mediating", event: "close", zh: "办结", to: "closed", roles: &[], deadline: None },
    ];
    const MACHINE: Machine = Machine { entity: "test_case", states: STATES, transitions: TRANSITIONS };

    #[test]
    fn declarations_are_checked() {
        assert!(MACHINE.check().is_ok());
        const BAD: &[Transition] =
            &[Transition { from: "closed", event: "reopen", zh: "重开", to: "nowhere", roles: &[], deadline: None }];
        assert!(Machine { entity: "x", states: STATES, transitions: BAD }.check().is_err());
    }

    #[tokio::test]
    async fn transitions_are_checked_timed_and_audited() {
        let cal = HolidayCalendar::builtin();
        for t in testing::all().await.unwrap() {
            let actor = Actor::System("test");
            // 2024-09-20 10:00 Beijing time.
            let now = 1_726_797_600_000;
            let firing = |from, event, roles| Firing {
                county_code: "410922",
                entity_id: "7",
                from,
                event,
                actor: &actor,
                roles,
                now_ms: now,
                detail: serde_json::json!({"note": "x"}),
            };
            let mut tx = t.db.begin().await.unwrap();
            // Wrong role, illegal event, terminal state: refused with codes and Chinese.
            let e = MACHINE.apply(&mut tx, &cal, firing("received", "start", &[Role::GridWorker])).await.unwrap_err();
            assert_eq!(e.code, "state.role");
            let e = MACHINE.apply(&mut tx, &cal, firing("received", "close", &[Role::Mediator])).await.unwrap_err();
            assert_eq!(e.code, "state.illegal");
            assert!(e.message.contains("开始调解"), "{}", e.message);
            let e = MACHINE.apply(&mut tx, &cal, firing("closed", "close", &[Role::Mediator])).await.unwrap_err();
            assert!(e.message.contains("已办结"));
            // A legal move: the deadline comes from the calendar, the audit chain records it.
            let fired = MACHINE.apply(&mut tx, &cal, firing("received", "start", &[Role::Mediator])).await.unwrap();
            assert_eq!(fired.transition.to, "mediating");
            let due = fired.deadline.unwrap().due_local_date.unwrap();
            // 30 natural days from 2024-09-20 end on 2024-10-20 (a Sunday): extended to Monday 10-21.
            assert_eq!(due.to_string(), "2024-10-21", "{}", t.name);
            tx.commit().await.unwrap();
            let h = crate::audit::history(&t.db, "test_case", "7", 10).await.unwrap();
            assert_eq!(h.len(), 1, "{}: refused moves leave no trace", t.name);
            assert_eq!(h[0].action, "test_case.transition");
            assert!(
                h[0].detail.contains("\"to\":\"mediating\"")
                    && h[0].detail.contains("legal_basis")
                    && h[0].detail.contains("\"note\":\"x\"")
            );
            assert!(crate::audit::verify(&t.db).await.unwrap().is_intact());
        }
    }
}
