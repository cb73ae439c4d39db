//! 主体检索 Credit subjects in the shared search index (tantivy + jieba + title n-grams),
//! and the one subject search the public page and the staff page both use.
//!
//! What is indexed: every subject by its current name (title, so that any part of it
//! matches), its former names (曾用名, body) and its USCC (tag, so a code typed in full
//! matches exactly). Enterprises and individual businesses are [`KIND_SUBJECT`];
//! natural persons are [`KIND_PERSON`], indexed by name only — never an ID number,
//! not even masked — and shown to the public only while the law publishes them (on the
//! 失信被执行人 list, checked in the database at query time, so an entry that ends or is
//! removed hides the person at once).
//!
//! Keeping it current without slowing imports: imports only write `credit_subjects` as
//! before; a job ([`IndexSubjects`]) re-indexes the subjects whose `updated_at` is past
//! the county's watermark (`credit_index_state`). It runs after each import (enqueued
//! by [`after_import`], starting no later than the import did) and every few minutes;
//! each run re-reads a short overlap before the watermark, so a batch that committed
//! late with an earlier timestamp is still picked up. `qingfeng reindex` rebuilds
//! everything ([`reindex`]).

use std::collections::HashMap;

use qingfeng_core::{ResidentId, Uscc};
use qingfeng_platform::AppError;
use qingfeng_platform::db::Db;
use qingfeng_platform::jobs::{self, JobContext, JobError, JobFuture, JobHandler, NewJob};
use qingfeng_platform::pii::Pii;
use qingfeng_search::{Doc, SearchIndex, SearchQuery};
use serde::Serialize;

use crate::ingest::SubjectCode;
use crate::model::SubjectKind;
use crate::store::lookup::{self, SubjectCard, SubjectRow};

/// Enterprises and individual businesses (法人及非法人组织, 个体工商户).
pub const KIND_SUBJECT: &str = "credit_subject";
/// Natural persons (自然人): staff only, except persons the law publishes.
pub const KIND_PERSON: &str = "credit_person";

/// Subjects read per page while indexing.
const PAGE: i64 = 5_000;
/// How far before the watermark each catch-up starts again.
pub const OVERLAP_MS: i64 = 10 * 60_000;
/// Hits asked of the index per search (before visibility filtering), at least.
const INDEX_HITS: usize = 60;
/// Hits shown.
pub const SHOWN: usize = 30;

fn search_err(e: qingfeng_search::SearchError) -> AppError {
    AppError::unavailable(e.code(), e.to_string())
}

/// The search document of a subject; `names` are all the names it has had.
fn doc(row: &SubjectRow, names: &[String]) -> Doc {
    let former: Vec<&str> = names.iter().map(String::as_str).filter(|n| *n != row.name).collect();
    let kind = SubjectKind::from_key(&row.kind);
    let is_person = kind == Some(SubjectKind::Natural);
    let mut body = kind.map(|k| k.zh().to_string()).unwrap_or_default();
    if !former.is_empty() {
        body.push_str(" 曾用名 ");
        body.push_str(&former.join(" "));
    }
    let mut tags = vec![row.kind.clone()];
    if !is_person && let Some(u) = &row.uscc {
        body.push(' ');
        body.push_str(u);
        tags.push(u.clone());
    }
    Doc {
        kind: if is_person { KIND_PERSON } else { KIND_SUBJECT }.into(),
        id: row.id.to_string(),
        county: row.county_code.clone(),
        title: row.name.clone(),
        body,
        tags,
    }
}

async fn docs_of(db: &Db, rows: &[SubjectRow]) -> Result<Vec<Doc>, AppError> {
    let ids: Vec<i64> = rows.iter().map(|r| r.id).collect();
    let names = lookup::names_of(db, &ids).await?;
    Ok(rows.iter().map(|r| doc(r, names.get(&r.id).map(Vec::as_slice).unwrap_or(&[]))).collect())
}

/// Rebuild the credit part of the index from the database (every county); sets each
/// county's watermark. Returns documents written.
pub async fn reindex(db: &Db, index: &SearchIndex, now_ms: i64) -> Result<usize, AppError> {
    index.clear_kind(KIND_SUBJECT).map_err(search_err)?;
    index.clear_kind(KIND_PERSON).map_err(search_err)?;
    let mut after = 0;
    let mut written = 0;
    let mut newest: HashMap<String, i64> = HashMap::new();
    loop {
        let rows = lookup::subjects_after_id(db, after, PAGE).await?;
        let Some(last) = rows.last() else { break };
        after = last.id;
        for r in &rows {
            let e = newest.entry(r.county_code.clone()).or_insert(r.updated_at);
            *e = (*e).max(r.updated_at);
        }
        let docs = docs_of(db, &rows).await?;
        index.upsert(&docs).map_err(search_err)?;
        written += docs.len();
    }
    for (county, until) in newest {
        lookup::set_index_watermark(db, &county, until.max(now_ms), now_ms).await?;
    }
    Ok(written)
}

/// Index the subjects of `county` changed since the watermark (or since `since_ms`, if
/// earlier), minus [`OVERLAP_MS`]; a county never indexed is indexed whole. Returns
/// documents written.
///
/// The new watermark is the run's own time `now_ms` (or the newest change read, if the
/// data is stamped later): everything stamped before it has been read, except batches
/// still uncommitted, which the next run's overlap reaches. Were it only the newest
/// change read, a quiet county would re-read the last [`OVERLAP_MS`] of its last import
/// at every run (after a 13 M-record import, all 650 k subjects, every five minutes).
pub async fn catch_up(db: &Db, index: &SearchIndex, county: &str, since_ms: Option<i64>, now_ms: i64) -> Result<usize, AppError> {
    let from = match (lookup::index_watermark(db, county).await?, since_ms) {
        (None, _) => i64::MIN,
        (Some(w), None) => w.saturating_sub(OVERLAP_MS),
        (Some(w), Some(s)) => w.min(s).saturating_sub(OVERLAP_MS),
    };
    let mut after = (from, i64::MIN);
    let mut written = 0;
    let mut until = now_ms;
    loop {
        let rows = lookup::subjects_changed(db, county, after, PAGE).await?;
        let Some(last) = rows.last() else { break };
        after = (last.updated_at, last.id);
        until = until.max(last.updated_at);
        let docs = docs_of(db, &rows).await?;
        index.upsert(&docs).map_err(search_err)?;
        written += docs.len();
    }
    lookup::set_index_watermark(db, county, until, now_ms).await?;
    Ok(written)
}

/// 索引更新 The job that keeps the credit subjects in the index current.
pub struct IndexSubjects;

impl IndexSubjects {
    pub const KIND: &'static str = "credit.index_subjects";
}

impl JobHandler for IndexSubjects {
    fn kind(&self) -> &'static str {
        Self::KIND
    }
    fn run<'a>(&'a self, ctx: &'a JobContext, payload: &'a serde_json::Value) -> JobFuture<'a> {
        Box::pin(async move {
            let Some(index) = &ctx.search else {
                return Err(JobError::permanent("检索索引未打开，无法更新信用主体索引"));
            };
            let since = payload.get("since").and_then(serde_json::Value::as_i64);
            let finished = payload.get("finished").and_then(serde_json::Value::as_i64);
            let watermark = lookup::index_watermark(&ctx.db, &ctx.county_code).await.map_err(|e| JobError::retry(e.message))?;
            let since = import_since(watermark, since, finished);
            let n = catch_up(&ctx.db, index, &ctx.county_code, since, ctx.clock.now_ms()).await.map_err(|e| JobError::retry(e.message))?;
            tracing::debug!(indexed = n, "credit subjects indexed");
            Ok(())
        })
    }
}

/// Where the run after an import starts reading: at the import's start (`since`), unless
/// the watermark already reaches the import's end (`finished`). A watermark is the time
/// a run began, so such a run (or a full re-index) began after the import's last commit
/// and read all of it; reading the import again would re-index every subject it touched
/// (on the first start after a 13 M-record import: 650 k subjects, twice).
pub fn import_since(watermark: Option<i64>, since: Option<i64>, finished: Option<i64>) -> Option<i64> {
    match (watermark, finished) {
        (Some(w), Some(f)) if w >= f => None,
        _ => since,
    }
}

/// After an import that started at `started_ms` and ended at `now_ms`: have its subjects
/// indexed now. The records are stored whatever happens here; should the job not be
/// enqueued, the recurring run picks the subjects up a few minutes later.
pub async fn after_import(db: &Db, county: &str, started_ms: i64, now_ms: i64) {
    let job = NewJob::new(county, IndexSubjects::KIND, serde_json::json!({"since": started_ms, "finished": now_ms}), now_ms);
    if let Err(e) = jobs::enqueue(db, now_ms, &job).await {
        tracing::warn!(error = %e, "credit: enqueueing the index update failed; the recurring run will catch up");
    }
}

/// Who is searching.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Audience {
    /// The public: enterprises and individual businesses, and persons only while on the
    /// 失信被执行人 list.
    Public,
    /// Staff holding `credit.read_all`: every subject.
    Staff,
}

/// One subject found.
#[derive(Debug, Clone, Serialize)]
pub struct Found {
    pub id: i64,
    pub kind: String,
    pub name: String,
    /// The USCC, or a person's ID number masked (`4109**********0013`).
    pub code: String,
    /// Records in publicity.
    pub published: i64,
    /// On the 失信被执行人 list today (persons shown to the public are).
    pub listed_debtor: bool,
    pub href: String,
}

impl Found {
    pub fn kind_zh(&self) -> &'static str {
        SubjectKind::from_key(&self.kind).map(|k| k.zh()).unwrap_or("")
    }
}

/// A person's ID number masked for display (`******` when it cannot be read).
pub fn masked_id(pii: &Pii, id_enc: Option<&str>) -> String {
    id_enc.and_then(|e| pii.decrypt(e).ok()).map(|plain| ResidentId::mask_text(&plain)).unwrap_or_else(|| "******".into())
}

fn found(card: SubjectCard, listed_debtor: bool, audience: Audience, pii: &Pii) -> Option<Found> {
    let person = card.kind == SubjectKind::Natural.key();
    let code = if person { masked_id(pii, card.id_enc.as_deref()) } else { card.uscc.clone().unwrap_or_default() };
    let href = match audience {
        Audience::Staff => format!("/console/credit/subjects?id={}", card.id),
        Audience::Public if person => format!("/credit/persons/{}", card.id),
        Audience::Public => format!("/credit/subjects/{}", card.uscc.as_deref()?),
    };
    Some(Found { id: card.id, kind: card.kind, name: card.name, code, published: card.published, listed_debtor, href })
}

/// Search the subjects of `county` for `text` as `audience` may see them, best first,
/// at most [`SHOWN`]; a USCC or (for persons the audience may see) a resident ID typed
/// in full finds its subject directly. `today` is `YYYY-MM-DD`.
pub async fn search(
    db: &Db,
    index: &SearchIndex,
    pii: &Pii,
    county: &str,
    text: &str,
    audience: Audience,
    today: &str,
) -> Result<Vec<Found>, AppError> {
    search_up_to(db, index, pii, county, text, audience, today, SHOWN).await
}

/// [`search`], for at most `shown` subjects (the JSON API pages through more than the
/// page shows; the first [`SHOWN`] are the same and in the same order).
#[allow(clippy::too_many_arguments)]
pub async fn search_up_to(
    db: &Db,
    index: &SearchIndex,
    pii: &Pii,
    county: &str,
    text: &str,
    audience: Audience,
    today: &str,
    shown: usize,
) -> Result<Vec<Found>, AppError> {
    let text = text.trim();
    let direct = if let Ok(u) = Uscc::parse(text) {
        Some(SubjectCode::Uscc(u.as_str()).key(county))
    } else if let Ok(id) = ResidentId::parse(text) {
        Some(SubjectCode::Person(&pii.lookup_hash(id.as_str())).key(county))
    } else {
        None
    };
    let cards: Vec<SubjectCard> = match direct {
        Some(key) => lookup::card_by_key(db, county, key).await?.into_iter().collect(),
        None => {
            let q = SearchQuery {
                text: text.to_string(),
                kinds: vec![KIND_SUBJECT.into(), KIND_PERSON.into()],
                county: Some(county.into()),
                limit: INDEX_HITS.max(shown.saturating_mul(2)),
                offset: 0,
            };
            let ids: Vec<i64> = index.search(&q).map_err(search_err)?.hits.iter().filter_map(|h| h.id.parse().ok()).collect();
            let mut by_id: HashMap<i64, SubjectCard> = lookup::cards(db, county, &ids).await?.into_iter().map(|c| (c.id, c)).collect();
            ids.iter().filter_map(|id| by_id.remove(id)).collect()
        }
    };
    let persons: Vec<i64> = cards.iter().filter(|c| c.kind == SubjectKind::Natural.key()).map(|c| c.id).collect();
    let listed = if persons.is_empty() { Default::default() } else { lookup::listed_debtors(db, &persons, today).await? };
    Ok(cards
        .into_iter()
        .filter(|c| audience == Audience::Staff || c.kind != SubjectKind::Natural.key() || listed.contains(&c.id))
        .filter_map(|c| {
            let on_list = listed.contains(&c.id);
            found(c, on_list, audience, pii)
        })
        .take(shown)
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;
    use qingfeng_platform::sql::Arg;
    use qingfeng_platform::testing;

    use crate::store::{self, NewListEntry, NewSubject};

    const COUNTY: &str = "410922";

    fn uscc(prefix2: &str, body8: &str) -> String {
        qingfeng_core::compose_uscc(prefix2, "410922", body8).unwrap()
    }

    fn pii() -> Pii {
        Pii::from_bytes(&[7u8; 64]).unwrap()
    }

    async fn enterprise(db: &Db, code: &str, name: &str, at: i64) -> i64 {
        let key = SubjectCode::Uscc(code).key(COUNTY);
        let n = NewSubject { county: COUNTY, key_hash: key, kind: "legal", name, uscc: Some(code), id_hash: None, id_enc: None };
        store::ensure_subject(db, &n, at).await.unwrap()
    }

    async fn person(db: &Db, pii: &Pii, id: &str, name: &str, at: i64) -> i64 {
        let h = pii.lookup_hash(id);
        let enc = pii.encrypt(id);
        let key = SubjectCode::Person(&h).key(COUNTY);
        let n = NewSubject { county: COUNTY, key_hash: key, kind: "natural", name, uscc: None, id_hash: Some(&h), id_enc: Some(&enc) };
        store::ensure_subject(db, &n, at).await.unwrap()
    }

    /// Rename a subject the way an import does: the new name current, the old one kept.
    async fn rename(db: &Db, id: i64, old: &str, new: &str, at: i64) {
        db.execute(
            "INSERT INTO credit_subject_names (subject_id, name, first_seen) VALUES ($1, $2, $3)",
            &[Arg::from(id), Arg::from(old), Arg::from(at - 1)],
        )
        .await
        .unwrap();
        db.execute("UPDATE credit_subjects SET name = $1, updated_at = $2 WHERE id = $3", &[Arg::from(new), Arg::from(at), Arg::from(id)])
            .await
            .unwrap();
    }

    async fn names(db: &Db, index: &SearchIndex, q: &str, audience: Audience) -> Vec<String> {
        search(db, index, &pii(), COUNTY, q, audience, "2026-06-01").await.unwrap().into_iter().map(|f| f.name).collect()
    }

    #[tokio::test]
    async fn subjects_are_found_by_parts_of_their_names_former_names_and_code() {
        for t in testing::all().await.unwrap() {
            let db = &t.db;
            let index = SearchIndex::open_in_ram().unwrap();
            let code = uscc("91", "MA40AB12");
            let id = enterprise(db, &code, "清丰县鑫源石材厂", 1_000).await;
            enterprise(db, &uscc("91", "MA40CD34"), "清丰县宏达物流有限公司", 1_000).await;
            rename(db, id, "清丰县鑫源石材厂", "清丰县鑫源建材有限公司", 2_000).await;
            assert_eq!(reindex(db, &index, 3_000).await.unwrap(), 2, "{}", t.name);

            let want = vec!["清丰县鑫源建材有限公司".to_string()];
            for q in ["鑫源", "建材", "清丰县鑫源石材厂", "石材", code.as_str(), &code.to_lowercase()] {
                assert_eq!(names(db, &index, q, Audience::Public).await, want, "{q} on {}", t.name);
            }
            assert!(names(db, &index, "有限公司", Audience::Public).await.len() == 2);
            assert!(names(db, &index, "不存在的名称", Audience::Public).await.is_empty());
            let hits = search(db, &index, &pii(), COUNTY, "鑫源", Audience::Public, "2026-06-01").await.unwrap();
            assert_eq!(hits[0].href, format!("/credit/subjects/{code}"));
            let hits = search(db, &index, &pii(), COUNTY, "鑫源", Audience::Staff, "2026-06-01").await.unwrap();
            assert_eq!(hits[0].href, format!("/console/credit/subjects?id={id}"));
            // Another county's index documents never answer.
            let other = search(db, &index, &pii(), "410923", "鑫源", Audience::Public, "2026-06-01").await.unwrap();
            assert!(other.is_empty());
        }
    }

    #[tokio::test]
    async fn persons_are_public_only_while_on_the_dishonest_debtor_list() {
        for t in testing::all().await.unwrap() {
            let db = &t.db;
            let index = SearchIndex::open_in_ram().unwrap();
            let p = pii();
            let listed = person(db, &p, "410922195001010013", "张鑫源", 1_000).await;
            person(db, &p, "41092219450315002X", "李鑫源", 1_000).await;
            let entry = NewListEntry {
                county: COUNTY,
                list_kind: "dishonest_debtor",
                subject_id: listed,
                basis: "有履行能力而拒不履行生效法律文书确定义务",
                authority: "清丰县人民法院",
                source_ref: "(2025)豫0922执123号",
                listed_on: "2026-01-10",
                ends_on: Some("2028-01-09"),
            };
            let actor = qingfeng_platform::audit::Actor::System("test");
            store::add_list_entry(db, &entry, &actor, 1_500).await.unwrap();
            catch_up(db, &index, COUNTY, None, 2_000).await.unwrap();

            let public = search(db, &index, &p, COUNTY, "鑫源", Audience::Public, "2026-06-01").await.unwrap();
            assert_eq!(public.len(), 1, "{}", t.name);
            assert_eq!((public[0].name.as_str(), public[0].code.as_str()), ("张鑫源", "4109**********0013"));
            assert_eq!(public[0].href, format!("/credit/persons/{listed}"));
            assert!(public[0].listed_debtor);
            // The ID typed in full: the listed person only; the other answers like a missing one.
            assert_eq!(names(db, &index, "410922195001010013", Audience::Public).await, vec!["张鑫源"]);
            assert!(names(db, &index, "41092219450315002X", Audience::Public).await.is_empty());
            assert!(names(db, &index, "41092219450315002x", Audience::Public).await.is_empty());
            // Once the listing has ended, the person is no longer public.
            let later = search(db, &index, &p, COUNTY, "鑫源", Audience::Public, "2028-01-10").await.unwrap();
            assert!(later.is_empty(), "{}", t.name);
            // Staff see both persons, masked.
            let staff = search(db, &index, &p, COUNTY, "鑫源", Audience::Staff, "2026-06-01").await.unwrap();
            assert_eq!(staff.len(), 2);
            assert!(staff.iter().all(|f| f.code.contains("**********")));
        }
    }

    #[test]
    fn the_run_after_an_import_reads_it_again_only_if_no_later_run_has() {
        // Index never built, or built before the import ended: from the import's start.
        assert_eq!(import_since(None, Some(100), Some(200)), Some(100));
        assert_eq!(import_since(Some(150), Some(100), Some(200)), Some(100));
        // A run (or a full re-index) began after the import ended: it read all of it.
        assert_eq!(import_since(Some(200), Some(100), Some(200)), None);
        assert_eq!(import_since(Some(900), Some(100), Some(200)), None);
        // Jobs enqueued before `finished` existed keep their `since`.
        assert_eq!(import_since(Some(900), Some(100), None), Some(100));
    }

    #[tokio::test]
    async fn catch_up_indexes_what_changed_since_the_watermark() {
        for t in testing::all().await.unwrap() {
            let db = &t.db;
            let index = SearchIndex::open_in_ram().unwrap();
            let id = enterprise(db, &uscc("91", "MA40AB12"), "清丰县鑫源石材厂", 1_000).await;
            assert_eq!(catch_up(db, &index, COUNTY, None, 1_000).await.unwrap(), 1, "{}", t.name);
            assert_eq!(lookup::index_watermark(db, COUNTY).await.unwrap(), Some(1_000));
            // Two changes later: both are indexed, and the watermark is the run's time.
            let at = 1_000 + 2 * OVERLAP_MS;
            enterprise(db, &uscc("91", "MA40CD34"), "清丰县宏达物流有限公司", at).await;
            rename(db, id, "清丰县鑫源石材厂", "清丰县鑫源建材有限公司", at + 1).await;
            assert!(names(db, &index, "宏达", Audience::Public).await.is_empty());
            assert_eq!(catch_up(db, &index, COUNTY, None, at + 5).await.unwrap(), 2);
            assert_eq!(lookup::index_watermark(db, COUNTY).await.unwrap(), Some(at + 5));
            assert_eq!(names(db, &index, "宏达", Audience::Public).await, vec!["清丰县宏达物流有限公司"]);
            assert_eq!(names(db, &index, "建材", Audience::Public).await, vec!["清丰县鑫源建材有限公司"]);
            // A batch that committed late with an older timestamp: an import's `since` reaches it.
            let late = enterprise(db, &uscc("91", "MA40EF56"), "清丰县迟到商贸有限公司", 500).await;
            assert_eq!(catch_up(db, &index, COUNTY, None, at + 6).await.unwrap(), 2, "only the overlap");
            assert!(names(db, &index, "迟到", Audience::Public).await.is_empty());
            assert!(catch_up(db, &index, COUNTY, Some(400), at + 7).await.unwrap() >= 1);
            assert_eq!(names(db, &index, "迟到", Audience::Public).await, vec!["清丰县迟到商贸有限公司"]);
            let _ = late;
            // Quiet for longer than the overlap: one more run reads the last changes again
            // (they are within the overlap of the previous run), and then runs read nothing.
            let quiet = at + 1 + OVERLAP_MS + 1;
            assert_eq!(catch_up(db, &index, COUNTY, None, quiet).await.unwrap(), 2, "{}", t.name);
            assert_eq!(catch_up(db, &index, COUNTY, None, quiet + 1).await.unwrap(), 0, "{}", t.name);
            assert_eq!(lookup::index_watermark(db, COUNTY).await.unwrap(), Some(quiet + 1));
            // Data stamped ahead of the clock: the watermark is the newest change read.
            enterprise(db, &uscc("91", "MA40GH78"), "清丰县未来科技有限公司", quiet + 100).await;
            assert_eq!(catch_up(db, &index, COUNTY, None, quiet + 2).await.unwrap(), 1);
            assert_eq!(lookup::index_watermark(db, COUNTY).await.unwrap(), Some(quiet + 100));
            // The watermark never moves back.
            lookup::set_index_watermark(db, COUNTY, 10, at + 8).await.unwrap();
            assert_eq!(lookup::index_watermark(db, COUNTY).await.unwrap(), Some(quiet + 100));
        }
    }
}
