//! 状态机 The one state-machine helper: every module declares its states and legal
//! transitions as data, and every transition goes through [`Machine::apply`], which
//! refuses illegal moves, moves the record's state column itself (only if the record is
//! still in the state the caller saw) and writes the transition to the audit chain in
//! the same transaction as the change.

use serde::Serialize;

use crate::audit::{self, Actor, Change};
use crate::auth::Role;
use crate::db::Tx;
use crate::error::AppError;
use crate::on_tx;
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
    /// The table holding the records (`mediation_cases`), keyed by `id BIGINT`. A
    /// constant of the module, never user input: it is written into the SQL text.
    pub table: &'static str,
    /// The table's state column (`state`). A constant of the module, like [`Machine::table`].
    pub state_column: &'static str,
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
    /// The record's `id` in [`Machine::table`]; also its entity id in the audit chain.
    pub row_id: i64,
    /// The state the caller saw; the move happens only if the record is still in it.
    pub from: &'a str,
    pub event: &'a str,
    pub actor: &'a Actor,
    /// The roles of the person firing it (system actors pass all roles they act for).
    pub roles: &'a [Role],
    pub now_ms: i64,
    /// Extra facts for the audit entry (an object). The fixed fields `from`, `to`,
    /// `event`, `due_at` and `legal_basis` are set by the machine and cannot be overridden.
    pub detail: serde_json::Value,
    /// The deadline of the state entered when the module computes it from its own
    /// configured limits (with their legal basis); it takes the place of the
    /// transition's static [`Transition::deadline`].
    pub due: Option<(Deadline, String)>,
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

    /// Check and fire a transition inside `tx`: refuse illegal moves and wrong roles,
    /// move the record's state column from `from` to the new state, and record the
    /// transition in the audit chain. If the record is no longer in `from` (someone else
    /// moved it first), nothing is written and the answer is `state.conflict`. The caller
    /// updates the record's other columns in the same transaction, never its state column.
    pub async fn apply(&self, tx: &mut Tx, cal: &HolidayCalendar, f: Firing<'_>) -> Result<Fired, AppError> {
        let t = *self.next(f.from, f.event)?;
        if !t.roles.is_empty() && !f.roles.iter().any(|r| t.roles.contains(r)) {
            return Err(AppError::forbidden("state.role", format!("您的角色不能执行“{}”", t.zh)));
        }
        if !is_identifier(self.table) || !is_identifier(self.state_column) {
            return Err(AppError::internal(format!("{}: invalid table or state column name", self.entity)));
        }
        // Compare-and-set: only a record still in the state the caller saw moves.
        let sql = format!("UPDATE {table} SET {col} = $1 WHERE id = $2 AND {col} = $3", table = self.table, col = self.state_column);
        let moved = on_tx!(tx, |c| {
            sqlx::query(sqlx::AssertSqlSafe(sql)).bind(t.to).bind(f.row_id).bind(t.from).execute(&mut *c).await.map(|r| r.rows_affected())
        })?;
        if moved == 0 {
            return Err(AppError::conflict("state.conflict", "该记录已被他人处理，请刷新后重试"));
        }
        let (deadline, basis) = match f.due {
            Some((d, basis)) => (Some(d), Some(basis)),
            None => match t.deadline {
                Some((p, basis)) => (Some(qingfeng_core::due_date(crate::clock::from_ms(f.now_ms), p, cal)), Some(basis.to_string())),
                None => (None, None),
            },
        };
        // The caller's facts first, then the fixed fields, so these cannot be overridden.
        let mut detail = match f.detail {
            serde_json::Value::Object(extra) => extra,
            serde_json::Value::Null => serde_json::Map::new(),
            other => serde_json::Map::from_iter([("extra".to_string(), other)]),
        };
        detail.insert("from".into(), t.from.into());
        detail.insert("to".into(), t.to.into());
        detail.insert("event".into(), t.event.into());
        detail.remove("due_at");
        detail.remove("legal_basis");
        if let (Some(d), Some(basis)) = (&deadline, basis) {
            detail.insert("due_at".into(), d.due_at.timestamp_millis().into());
            detail.insert("legal_basis".into(), basis.into());
        }
        let action = format!("{}.transition", self.entity);
        let entity_id = f.row_id.to_string();
        let seq = audit::append(
            tx,
            f.now_ms,
            &Change {
                county_code: f.county_code,
                actor: f.actor,
                action: &action,
                entity: self.entity,
                entity_id: &entity_id,
                detail: serde_json::Value::Object(detail),
            },
        )
        .await?;
        Ok(Fired { transition: t, deadline, audit_seq: seq })
    }

    /// Check the declaration itself: every state named exists, no state has two
    /// transitions for one event, and nothing leaves a terminal state. Modules call
    /// this in a unit test.
    pub fn check(&self) -> Result<(), String> {
        for name in [self.table, self.state_column] {
            if !is_identifier(name) {
                return Err(format!("{}: {name:?} is not a plain SQL identifier", self.entity));
            }
        }
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

/// A plain lower-case SQL identifier (`mediation_cases`), safe to write into SQL text.
fn is_identifier(name: &str) -> bool {
    name.starts_with(|c: char| c.is_ascii_lowercase() || c == '_')
        && name.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
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
    const MACHINE: Machine =
        Machine { entity: "test_case", table: "test_cases", state_column: "state", states: STATES, transitions: TRANSITIONS };

    #[test]
    fn declarations_are_checked() {
        assert!(MACHINE.check().is_ok());
        const BAD: &[Transition] =
            &[Transition { from: "closed", event: "reopen", zh: "重开", to: "nowhere", roles: &[], deadline: None }];
        assert!(Machine { transitions: BAD, ..MACHINE }.check().is_err());
        assert!(Machine { table: "test_cases; DROP TABLE users", ..MACHINE }.check().is_err());
        assert!(Machine { state_column: "State", ..MACHINE }.check().is_err());
    }

    /// A fresh database per backend with a `test_cases` table holding record 7 in `received`.
    async fn databases() -> Vec<testing::TestDb> {
        let all = testing::all().await.unwrap();
        for t in &all {
            crate::on_db!(&t.db, |p| {
                sqlx::query("CREATE TABLE test_cases (id BIGINT PRIMARY KEY, state TEXT NOT NULL)").execute(p).await.unwrap();
                sqlx::query("INSERT INTO test_cases (id, state) VALUES (7, 'received')").execute(p).await.unwrap();
            });
        }
        all
    }

    async fn state_of(db: &crate::db::Db, id: i64) -> String {
        crate::on_db!(db, |p| sqlx::query_scalar("SELECT state FROM test_cases WHERE id = $1").bind(id).fetch_one(p).await.unwrap())
    }

    // 2024-09-20 10:00 Beijing time.
    const NOW: i64 = 1_726_797_600_000;

    fn firing<'a>(actor: &'a Actor, from: &'a str, event: &'a str, roles: &'a [Role], detail: serde_json::Value) -> Firing<'a> {
        Firing { county_code: "410922", row_id: 7, from, event, actor, roles, now_ms: NOW, detail, due: None }
    }

    #[tokio::test]
    async fn transitions_are_checked_timed_and_audited() {
        let cal = HolidayCalendar::builtin();
        for t in databases().await {
            let actor = Actor::System("test");
            let firing = |from, event, roles| firing(&actor, from, event, roles, serde_json::json!({"note": "x"}));
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
            assert_eq!(state_of(&t.db, 7).await, "mediating", "{}: the machine moved the row", t.name);
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

    #[tokio::test]
    async fn a_second_firing_from_a_stale_state_conflicts_and_leaves_no_trace() {
        let cal = HolidayCalendar::builtin();
        for t in databases().await {
            let actor = Actor::System("test");
            let roles = &[Role::Mediator];
            // Two people saw the record in `received`; the first one wins.
            let mut tx = t.db.begin().await.unwrap();
            MACHINE.apply(&mut tx, &cal, firing(&actor, "received", "start", roles, serde_json::json!({}))).await.unwrap();
            tx.commit().await.unwrap();
            let mut tx = t.db.begin().await.unwrap();
            let e = MACHINE.apply(&mut tx, &cal, firing(&actor, "received", "start", roles, serde_json::json!({}))).await.unwrap_err();
            assert_eq!((e.code, e.status.as_u16()), ("state.conflict", 409), "{}", t.name);
            assert!(e.message.contains("已被他人处理"), "{}", e.message);
            drop(tx);
            assert_eq!(state_of(&t.db, 7).await, "mediating", "{}", t.name);
            assert_eq!(crate::audit::history(&t.db, "test_case", "7", 10).await.unwrap().len(), 1, "{}: no audit entry", t.name);
            // A record that does not exist is not moved either.
            let mut tx = t.db.begin().await.unwrap();
            let missing = Firing { row_id: 8, ..firing(&actor, "mediating", "close", roles, serde_json::json!({})) };
            assert_eq!(MACHINE.apply(&mut tx, &cal, missing).await.unwrap_err().code, "state.conflict", "{}", t.name);
            drop(tx);
            assert!(crate::audit::verify(&t.db).await.unwrap().is_intact());
        }
    }

    #[tokio::test]
    async fn the_caller_cannot_overwrite_the_fixed_audit_fields() {
        let cal = HolidayCalendar::builtin();
        for t in databases().await {
            let actor = Actor::System("test");
            let forged = serde_json::json!({"to": "hacked", "from": "nowhere", "legal_basis": "forged", "note": "kept"});
            let mut tx = t.db.begin().await.unwrap();
            MACHINE.apply(&mut tx, &cal, firing(&actor, "received", "start", &[Role::Mediator], forged.clone())).await.unwrap();
            MACHINE.apply(&mut tx, &cal, firing(&actor, "mediating", "close", &[], forged)).await.unwrap();
            tx.commit().await.unwrap();
            let h = crate::audit::history(&t.db, "test_case", "7", 10).await.unwrap();
            assert_eq!(h.len(), 2, "{}", t.name);
            let (close, start): (serde_json::Value, serde_json::Value) =
                (serde_json::from_str(&h[0].detail).unwrap(), serde_json::from_str(&h[1].detail).unwrap());
            assert_eq!((start["from"].as_str(), start["to"].as_str()), (Some("received"), Some("mediating")), "{}", t.name);
            assert_eq!(start["legal_basis"], "人民调解法 (test)");
            assert_eq!(start["note"], "kept", "the caller's own facts are kept");
            assert_eq!((close["from"].as_str(), close["to"].as_str()), (Some("mediating"), Some("closed")), "{}", t.name);
            assert!(close.get("legal_basis").is_none() && close.get("due_at").is_none(), "no forged legal basis: {close}");
            assert_eq!(state_of(&t.db, 7).await, "closed");
        }
    }
}
