//! The audit chain detects edited, removed and cut-off entries, on both databases.

use qingfeng_platform::audit::{self, Actor, Change};
use qingfeng_platform::on_db;
use qingfeng_platform::testing;

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
