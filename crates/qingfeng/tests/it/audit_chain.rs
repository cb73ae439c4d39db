//! The audit chain detects edited, removed and cut-off entries, on both databases.
//! The database itself refuses to edit or remove entries; only someone who can drop its
//! triggers (a DBA) gets that far, and then the chain shows where.

use qingfeng_platform::audit::{self, Actor, Change};
use qingfeng_platform::testing;
use qingfeng_platform::{Db, on_db};

/// The database refuses UPDATE and DELETE on `audit_log` (and TRUNCATE on PostgreSQL).
/// The chain must hold entries 1–3 (a statement that touches no row fires no trigger).
async fn assert_append_only(db: &Db, name: &str) {
    for sql in ["UPDATE audit_log SET detail = '{\"n\":300}' WHERE seq = 3", "DELETE FROM audit_log WHERE seq = 2", "DELETE FROM audit_log"]
    {
        let e = on_db!(db, |p| sqlx::query(sql).execute(p).await.map(|_| ())).unwrap_err();
        assert!(e.to_string().contains("audit_log is append-only"), "{name}: {sql}: {e}");
    }
    if let Db::Postgres(p) = db {
        let e = sqlx::query("TRUNCATE audit_log").execute(p).await.unwrap_err();
        assert!(e.to_string().contains("audit_log is append-only"), "{name}: TRUNCATE: {e}");
    }
}

/// What an attacker with DBA rights does first: drop the append-only triggers.
async fn drop_append_only_triggers(db: &Db) {
    match db {
        Db::Sqlite(p) => {
            for sql in ["DROP TRIGGER audit_log_no_update", "DROP TRIGGER audit_log_no_delete"] {
                sqlx::query(sql).execute(p).await.unwrap();
            }
        }
        Db::Postgres(p) => {
            for sql in ["DROP TRIGGER audit_log_no_update_delete ON audit_log", "DROP TRIGGER audit_log_no_truncate ON audit_log"] {
                sqlx::query(sql).execute(p).await.unwrap();
            }
        }
    }
}

#[tokio::test]
async fn tampering_is_found_exactly_where_it_happened() {
    for t in testing::all().await.unwrap() {
        let db = &t.db;
        let actor = Actor::System("test");
        for i in 1..=8i64 {
            let mut tx = db.begin().await.unwrap();
            let id = i.to_string();
            let seq = audit::append(
                &mut tx,
                1_700_000_000_000 + i,
                &Change {
                    county_code: "410922",
                    actor: &actor,
                    action: "test.change",
                    entity: "thing",
                    entity_id: &id,
                    detail: serde_json::json!({"n": i}),
                },
            )
            .await
            .unwrap();
            tx.commit().await.unwrap();
            assert_eq!(seq, i);
        }
        let ok = audit::verify(db).await.unwrap();
        assert!(ok.is_intact(), "{}: {:?}", t.name, ok.problems);
        assert_eq!(ok.checked, 8);

        // The database refuses to edit or remove entries, and nothing changed.
        assert_append_only(db, t.name).await;
        let ok = audit::verify(db).await.unwrap();
        assert!(ok.is_intact(), "{}: {:?}", t.name, ok.problems);
        assert_eq!(ok.checked, 8);

        // A DBA can drop the triggers; from here on the chain is the only defence.
        drop_append_only_triggers(db).await;

        // Edit entry 3 in place.
        on_db!(db, |p| sqlx::query("UPDATE audit_log SET detail = '{\"n\":300}' WHERE seq = 3").execute(p).await.map(|_| ())).unwrap();
        let r = audit::verify(db).await.unwrap();
        assert_eq!(r.problems.len(), 1, "{}: {:?}", t.name, r.problems);
        assert_eq!((r.problems[0].seq, r.problems[0].code), (3, "audit.edited"));

        // Delete entry 5.
        on_db!(db, |p| sqlx::query("DELETE FROM audit_log WHERE seq = 5").execute(p).await.map(|_| ())).unwrap();
        let r = audit::verify(db).await.unwrap();
        let found: Vec<_> = r.problems.iter().map(|p| (p.seq, p.code)).collect();
        assert_eq!(found, vec![(3, "audit.edited"), (5, "audit.missing")], "{}", t.name);
        assert!(r.problems[1].message.contains("第 5 条"));

        // Cut the last two entries off the end.
        on_db!(db, |p| sqlx::query("DELETE FROM audit_log WHERE seq >= 7").execute(p).await.map(|_| ())).unwrap();
        let r = audit::verify(db).await.unwrap();
        assert!(r.problems.iter().any(|p| p.code == "audit.truncated" && p.seq == 7), "{}: {:?}", t.name, r.problems);

        // Rewriting an entry together with its own hash still breaks the next link.
        let t2 = testing::sqlite().await.unwrap();
        for i in 1..=3i64 {
            let mut tx = t2.db.begin().await.unwrap();
            audit::append(
                &mut tx,
                i,
                &Change { county_code: "410922", actor: &actor, action: "a", entity: "e", entity_id: "1", detail: serde_json::json!({}) },
            )
            .await
            .unwrap();
            tx.commit().await.unwrap();
        }
        assert_append_only(&t2.db, t2.name).await;
        drop_append_only_triggers(&t2.db).await;
        on_db!(&t2.db, |p| sqlx::query("UPDATE audit_log SET hash = 'ff' WHERE seq = 2").execute(p).await.map(|_| ())).unwrap();
        let r = audit::verify(&t2.db).await.unwrap();
        let found: Vec<_> = r.problems.iter().map(|p| (p.seq, p.code)).collect();
        assert_eq!(found, vec![(2, "audit.edited"), (3, "audit.link_broken")]);
    }
}

#[tokio::test]
async fn concurrent_appends_keep_one_unbroken_chain() {
    for t in testing::all().await.unwrap() {
        let mut handles = Vec::new();
        for w in 0..4 {
            let db = t.db.clone();
            handles.push(tokio::spawn(async move {
                for i in 0..10 {
                    let mut tx = db.begin().await.unwrap();
                    let actor = Actor::System("worker");
                    audit::append(
                        &mut tx,
                        i,
                        &Change {
                            county_code: "410922",
                            actor: &actor,
                            action: "w",
                            entity: "e",
                            entity_id: &format!("{w}-{i}"),
                            detail: serde_json::json!({}),
                        },
                    )
                    .await
                    .unwrap();
                    tx.commit().await.unwrap();
                }
            }));
        }
        for h in handles {
            h.await.unwrap();
        }
        let r = audit::verify(&t.db).await.unwrap();
        assert!(r.is_intact(), "{}: {:?}", t.name, r.problems);
        assert_eq!(r.checked, 40);
    }
}
