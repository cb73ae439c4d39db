//! 审计链 The audit chain: every change of state is appended to `audit_log`, each entry
//! carrying the hash of the one before, so that [`verify`] proves nothing was edited,
//! removed or cut off the end.
//!
//! Appending happens in the same transaction as the change it records. The single row
//! of `audit_head` is updated first: that row lock (PostgreSQL) or the write lock
//! (SQLite) serialises appenders, so the chain never forks.

use serde_json::Value;
use sha2::{Digest, Sha256};

use crate::db::{Db, Tx};
use crate::{on_db, on_tx};

/// Who did it: a user, an API token, or the platform itself.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Actor {
    User { id: i64, username: String },
    Token { id: i64, user_id: i64 },
    System(&'static str),
}

impl Actor {
    /// Stored form: `user:3:admin`, `token:5:user:3`, `system:scheduler`.
    pub fn as_string(&self) -> String {
        match self {
            Actor::User { id, username } => format!("user:{id}:{username}"),
            Actor::Token { id, user_id } => format!("token:{id}:user:{user_id}"),
            Actor::System(what) => format!("system:{what}"),
        }
    }
}

/// One change to record.
#[derive(Debug, Clone)]
pub struct Change<'a> {
    pub county_code: &'a str,
    pub actor: &'a Actor,
    /// What happened, `module.verb` (e.g. `user.create`, `case.transition`).
    pub action: &'a str,
    /// The kind of thing changed (`user`, `organisation`, `mediation_case`…).
    pub entity: &'a str,
    pub entity_id: &'a str,
    /// What changed (old and new values where relevant).
    pub detail: Value,
}

/// The hash of the empty chain.
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// SHA-256 over the previous hash, the position, the instant and the entry's fields
/// (county, actor, action, entity, entity id, detail), each length-prefixed.
fn entry_hash(prev: &str, seq: i64, at: i64, fields: [&str; 6]) -> String {
    let mut h = Sha256::new();
    let (seq, at) = (seq.to_string(), at.to_string());
    for part in [prev, seq.as_str(), at.as_str()].into_iter().chain(fields) {
        h.update((part.len() as u64).to_be_bytes());
        h.update(part.as_bytes());
    }
    hex::encode(h.finalize())
}

/// Append `change` to the chain inside `tx`; returns its sequence number.
pub async fn append(tx: &mut Tx, at_ms: i64, change: &Change<'_>) -> Result<i64, sqlx::Error> {
    let (seq, prev): (i64, String) =
        on_tx!(tx, |c| sqlx::query_as("UPDATE audit_head SET seq = seq + 1 WHERE id = 1 RETURNING seq, hash").fetch_one(&mut *c).await)?;
    let actor = change.actor.as_string();
    let detail = change.detail.to_string();
    let hash = entry_hash(&prev, seq, at_ms, [change.county_code, &actor, change.action, change.entity, change.entity_id, &detail]);
    on_tx!(tx, |c| {
        sqlx::query(
            "INSERT INTO audit_log (seq, at, county_code, actor, action, entity, entity_id, detail, prev_hash, hash) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
        )
        .bind(seq)
        .bind(at_ms)
        .bind(change.county_code)
        .bind(&actor)
        .bind(change.action)
        .bind(change.entity)
        .bind(change.entity_id)
        .bind(&detail)
        .bind(&prev)
        .bind(&hash)
        .execute(&mut *c)
        .await?;
        sqlx::query("UPDATE audit_head SET hash = $1 WHERE id = 1").bind(&hash).execute(&mut *c).await?;
        Ok(seq)
    })
}

/// A stored audit entry.
#[derive(Debug, Clone, sqlx::FromRow, serde::Serialize)]
pub struct Entry {
    pub seq: i64,
    pub at: i64,
    pub county_code: String,
    pub actor: String,
    pub action: String,
    pub entity: String,
    pub entity_id: String,
    pub detail: String,
    pub prev_hash: String,
    pub hash: String,
}

/// One thing [`verify`] found wrong.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Problem {
    /// The sequence number where it shows.
    pub seq: i64,
    /// `audit.edited`, `audit.missing`, `audit.link_broken`, `audit.truncated`.
    pub code: &'static str,
    pub message: String,
}

/// The verdict of [`verify`].
#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct Report {
    pub checked: u64,
    pub last_seq: i64,
    pub problems: Vec<Problem>,
}

impl Report {
    pub fn is_intact(&self) -> bool {
        self.problems.is_empty()
    }
}

/// Walk the whole chain in order and report every entry that was edited, every gap
/// where entries were removed, every broken link, and a tail cut off the end.
pub async fn verify(db: &Db) -> Result<Report, sqlx::Error> {
    const BATCH: i64 = 5000;
    // The head first: entries appended while we read lie beyond it and are left for the
    // next run, instead of looking like a cut-off tail.
    let (head_seq, head_hash): (i64, String) =
        on_db!(db, |p| sqlx::query_as("SELECT seq, hash FROM audit_head WHERE id = 1").fetch_one(p).await)?;
    let mut report = Report::default();
    let mut expected_seq = 1i64;
    let mut prev_hash = GENESIS.to_string();
    let mut after = 0i64;
    loop {
        let rows: Vec<Entry> = on_db!(db, |p| sqlx::query_as(
            "SELECT seq, at, county_code, actor, action, entity, entity_id, detail, prev_hash, hash \
             FROM audit_log WHERE seq > $1 AND seq <= $2 ORDER BY seq LIMIT $3"
        )
        .bind(after)
        .bind(head_seq)
        .bind(BATCH)
        .fetch_all(p)
        .await)?;
        if rows.is_empty() {
            break;
        }
        for e in &rows {
            report.checked += 1;
            let contiguous = e.seq == expected_seq;
            if !contiguous {
                let (from, to) = (expected_seq, e.seq - 1);
                report.problems.push(Problem {
                    seq: from,
                    code: "audit.missing",
                    message: if from == to {
                        format!("第 {from} 条审计记录缺失（被删除）")
                    } else {
                        format!("第 {from}–{to} 条审计记录缺失（被删除）")
                    },
                });
            } else if e.prev_hash != prev_hash {
                report.problems.push(Problem {
                    seq: e.seq,
                    code: "audit.link_broken",
                    message: format!("第 {} 条审计记录与上一条的链接不符（上一条被改动）", e.seq),
                });
            }
            let recomputed =
                entry_hash(&e.prev_hash, e.seq, e.at, [&e.county_code, &e.actor, &e.action, &e.entity, &e.entity_id, &e.detail]);
            if recomputed != e.hash {
                report.problems.push(Problem {
                    seq: e.seq,
                    code: "audit.edited",
                    message: format!("第 {} 条审计记录内容被改动（哈希不符）", e.seq),
                });
            }
            prev_hash = e.hash.clone();
            expected_seq = e.seq + 1;
            report.last_seq = e.seq;
        }
        after = report.last_seq;
    }
    if head_seq > report.last_seq {
        report.problems.push(Problem {
            seq: report.last_seq + 1,
            code: "audit.truncated",
            message: format!("链尾被截断：第 {}–{} 条审计记录缺失", report.last_seq + 1, head_seq),
        });
    } else if head_seq == report.last_seq && head_hash != prev_hash {
        report.problems.push(Problem {
            seq: head_seq,
            code: "audit.edited",
            message: format!("第 {head_seq} 条审计记录与链头登记的哈希不符"),
        });
    }
    // Entries beyond the head that the head never moved to were not appended by us. One
    // statement reads the head and the log, so both come from one snapshot: an append
    // commits its entry and the head's move together, and read in two statements, an
    // append landing between them looked like a forged entry.
    let stray: Option<i64> =
        on_db!(db, |p| sqlx::query_scalar("SELECT MIN(seq) FROM audit_log WHERE seq > (SELECT seq FROM audit_head WHERE id = 1)")
            .fetch_one(p)
            .await)?;
    if let Some(seq) = stray {
        report.problems.push(Problem {
            seq, code: "audit.forged", message: format!("第 {seq} 条起的审计记录不在链上（链头之后被插入）")
        });
    }
    Ok(report)
}

/// The latest entries about one thing, newest first (for a record's history view).
pub async fn history(db: &Db, entity: &str, entity_id: &str, limit: i64) -> Result<Vec<Entry>, sqlx::Error> {
    on_db!(db, |p| sqlx::query_as(
        "SELECT seq, at, county_code, actor, action, entity, entity_id, detail, prev_hash, hash \
         FROM audit_log WHERE entity = $1 AND entity_id = $2 ORDER BY seq DESC LIMIT $3"
    )
    .bind(entity)
    .bind(entity_id)
    .bind(limit)
    .fetch_all(p)
    .await)
}

/// The latest entries of the whole chain, newest first, optionally from `county`.
pub async fn recent(db: &Db, county: Option<&str>, limit: i64, offset: i64) -> Result<Vec<Entry>, sqlx::Error> {
    on_db!(db, |p| sqlx::query_as(
        "SELECT seq, at, county_code, actor, action, entity, entity_id, detail, prev_hash, hash \
         FROM audit_log WHERE ($1 IS NULL OR county_code = $1) ORDER BY seq DESC LIMIT $2 OFFSET $3"
    )
    .bind(county)
    .bind(limit)
    .bind(offset)
    .fetch_all(p)
    .await)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing;

    /// One entry appended in a transaction of its own.
    async fn append_one(db: &Db, actor: &Actor, at: i64) {
        let mut tx = db.begin().await.unwrap();
        let change = Change { county_code: "410922", actor, action: "a", entity: "e", entity_id: "1", detail: serde_json::json!({}) };
        append(&mut tx, at, &change).await.unwrap();
        tx.commit().await.unwrap();
    }

    #[tokio::test]
    async fn a_chain_verified_while_others_append_is_intact() {
        for t in testing::all().await.unwrap() {
            let db = t.db.clone();
            let writer = tokio::spawn(async move {
                let actor = Actor::System("test");
                for i in 0..300 {
                    append_one(&db, &actor, i).await;
                }
            });
            let mut runs = 0;
            while !writer.is_finished() {
                let r = verify(&t.db).await.unwrap();
                assert!(r.is_intact(), "{}: {:?}", t.name, r.problems);
                runs += 1;
            }
            writer.await.unwrap();
            let r = verify(&t.db).await.unwrap();
            assert!(r.is_intact() && r.last_seq == 300, "{}: {} runs, {:?}", t.name, runs, r.problems);
        }
    }

    #[tokio::test]
    async fn rows_slipped_in_past_the_head_are_reported() {
        for t in testing::all().await.unwrap() {
            let actor = Actor::System("test");
            for i in 1..=3 {
                append_one(&t.db, &actor, i).await;
            }
            assert!(verify(&t.db).await.unwrap().is_intact(), "{}", t.name);
            on_db!(&t.db, |p| sqlx::query(
                "INSERT INTO audit_log (seq, at, county_code, actor, action, entity, entity_id, detail, prev_hash, hash) \
                 VALUES (10, 0, '410922', 'user:1:x', 'user.create', 'user', '9', '{}', 'x', 'y')"
            )
            .execute(p)
            .await
            .map(|_| ()))
            .unwrap();
            let r = verify(&t.db).await.unwrap();
            let found: Vec<_> = r.problems.iter().map(|p| (p.seq, p.code)).collect();
            assert_eq!(found, vec![(10, "audit.forged")], "{}", t.name);
        }
    }
}
