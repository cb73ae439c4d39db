//! SQL of the exposure board (`portal_exposures`, migration 0320), and the check of each
//! entry against its source, read through the credit module's public API (never its
//! tables).

use std::collections::HashMap;
use std::collections::hash_map::Entry as Entry_;

use qingfeng_core::HolidayCalendar;
use qingfeng_credit::model::ListKind;
use qingfeng_credit::store::PublicRecord;
use qingfeng_platform::AppError;
use qingfeng_platform::audit::{self, Actor, Change};
use qingfeng_platform::auth::Role;
use qingfeng_platform::db::{Db, Tx};
use qingfeng_platform::on_tx;
use qingfeng_platform::sql::{Arg, Sql};
use qingfeng_platform::state::Firing;
use serde::Serialize;

use super::{MACHINE, SHOWN, SourceKind, within};

/// 曝光条目 An entry as stored.
#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct Entry {
    pub id: i64,
    pub county_code: String,
    pub source_kind: String,
    pub source_ref: String,
    #[serde(skip)]
    pub subject_id: Option<i64>,
    pub subject_name: String,
    /// USCC, or a masked ID number (filled in when read for persons).
    pub subject_code: String,
    pub title: String,
    pub basis: String,
    pub doc_no: String,
    pub authority: String,
    pub decided_on: Option<String>,
    /// `None` = no fixed end (until the source ends).
    pub publicity_end: Option<String>,
    pub state: String,
    pub withdraw_reason: String,
    #[serde(skip)]
    pub withdrawn_at: Option<i64>,
    #[serde(skip)]
    pub published_by: String,
    pub is_demo: bool,
    pub created_at: i64,
}

impl Entry {
    pub fn source(&self) -> Option<SourceKind> {
        SourceKind::from_key(&self.source_kind)
    }
    pub fn source_zh(&self) -> &'static str {
        self.source().map(SourceKind::zh).unwrap_or("")
    }
    pub fn state_zh(&self) -> &'static str {
        MACHINE.state(&self.state).map(|s| s.zh).unwrap_or("")
    }
    pub fn basis_lines(&self) -> Vec<&str> {
        self.basis.lines().collect()
    }
    /// The basis' first line, shortened for lists.
    pub fn basis_short(&self) -> String {
        let first = self.basis.lines().next().unwrap_or("");
        let mut s: String = first.chars().take(50).collect();
        if first.chars().count() > 50 {
            s.push('…');
        }
        s
    }
    pub fn published_on(&self) -> String {
        qingfeng_platform::clock::local_display(self.created_at).chars().take(10).collect()
    }
}

const COLUMNS: &str = "SELECT id, county_code, source_kind, source_ref, subject_id, subject_name, subject_code, title, basis, doc_no, \
     authority, decided_on, publicity_end, state, withdraw_reason, withdrawn_at, published_by, is_demo, created_at FROM portal_exposures";

/// A new entry.
#[derive(Debug, Clone, Default)]
pub struct NewEntry<'a> {
    pub county_code: &'a str,
    pub source_ref: &'a str,
    pub subject_id: Option<i64>,
    pub subject_name: &'a str,
    pub subject_code: &'a str,
    pub title: &'a str,
    pub basis: &'a str,
    pub doc_no: &'a str,
    pub authority: &'a str,
    pub decided_on: Option<&'a str>,
    pub publicity_end: Option<&'a str>,
    pub is_demo: bool,
}

/// Put an entry on the board (once per source), recorded in the audit chain. Returns the
/// new id, or `None` when that source is on the board already.
pub async fn insert(tx: &mut Tx, kind: SourceKind, e: &NewEntry<'_>, actor: &Actor, now_ms: i64) -> Result<Option<i64>, AppError> {
    let by = actor.as_string();
    let id: Option<i64> = on_tx!(tx, |c| {
        sqlx::query_scalar(
        "INSERT INTO portal_exposures (county_code, source_kind, source_ref, subject_id, subject_name, subject_code, title, basis, doc_no, \
         authority, decided_on, publicity_end, state, published_by, is_demo, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, 'shown', $13, $14, $15, $15) \
         ON CONFLICT (county_code, source_kind, source_ref) DO NOTHING RETURNING id"
    )
    .bind(e.county_code)
    .bind(kind.key())
    .bind(e.source_ref)
    .bind(e.subject_id)
    .bind(e.subject_name)
    .bind(e.subject_code)
    .bind(e.title)
    .bind(e.basis)
    .bind(e.doc_no)
    .bind(e.authority)
    .bind(e.decided_on)
    .bind(e.publicity_end)
    .bind(&by)
    .bind(e.is_demo)
    .bind(now_ms)
    .fetch_optional(&mut *c)
    .await
    })?;
    if let Some(id) = id {
        audit::append(
            tx,
            now_ms,
            &Change {
                county_code: e.county_code,
                actor,
                action: "portal_exposure.publish",
                entity: MACHINE.entity,
                entity_id: &id.to_string(),
                detail: serde_json::json!({
                    "source": kind.key(), "ref": e.source_ref, "title": e.title, "basis": e.basis,
                    "doc_no": e.doc_no, "publicity_end": e.publicity_end,
                }),
            },
        )
        .await?;
    }
    Ok(id)
}

/// Where an entry comes from, for [`publish`].
#[derive(Debug, Clone, Copy)]
pub struct Source<'a> {
    pub county_code: &'a str,
    pub kind: SourceKind,
    /// The complaint's number, a document number…: unique per kind and county.
    pub reference: &'a str,
}

/// 发布曝光 Publish an entry with its basis inside the caller's transaction — the door
/// for other modules (a complaint verified by the complaint module: `SourceKind::Complaint`
/// with the complaint's number). The entry is shown until withdrawn by staff; returns its
/// id, or `None` when that source is on the board already.
pub async fn publish(
    tx: &mut Tx,
    source: Source<'_>,
    title: &str,
    basis: &str,
    actor: &Actor,
    now_ms: i64,
) -> Result<Option<i64>, AppError> {
    let e =
        NewEntry { county_code: source.county_code, source_ref: source.reference, subject_name: "", title, basis, ..NewEntry::default() };
    insert(tx, source.kind, &e, actor, now_ms).await
}

/// One entry of `county`, any state.
pub async fn get(db: &Db, county: &str, id: i64) -> Result<Option<Entry>, AppError> {
    let mut s = Sql::new(COLUMNS);
    s.push(" WHERE id = ").bind(id).push(" AND county_code = ").bind(county);
    Ok(s.fetch_optional(db).await?)
}

/// The entry published from `source`, if any (any state).
pub async fn by_source(db: &Db, source: Source<'_>) -> Result<Option<Entry>, AppError> {
    let mut s = Sql::new(COLUMNS);
    s.push(" WHERE county_code = ")
        .bind(source.county_code)
        .push(" AND source_kind = ")
        .bind(source.kind.key())
        .push(" AND source_ref = ")
        .bind(source.reference);
    Ok(s.fetch_optional(db).await?)
}

/// Every entry of `county`, newest first (staff).
pub async fn all(db: &Db, county: &str, limit: i64) -> Result<Vec<Entry>, AppError> {
    let mut s = Sql::new(COLUMNS);
    s.push(" WHERE county_code = ").bind(county).push(" ORDER BY created_at DESC, id DESC LIMIT ").bind(limit);
    Ok(s.fetch_all(db).await?)
}

/// The entries still marked shown whose own publicity end has not passed, newest first.
async fn shown(db: &Db, county: &str, today: &str) -> Result<Vec<Entry>, AppError> {
    let mut s = Sql::new(COLUMNS);
    s.push(" WHERE county_code = ").bind(county).push(" AND state = ").bind(SHOWN);
    s.push(" AND (publicity_end IS NULL OR publicity_end >= ").bind(today).push(") ORDER BY created_at DESC, id DESC");
    Ok(s.fetch_all(db).await?)
}

/// What the credit platform says of the subjects of the entries being checked (one read
/// per subject, however many entries it has).
#[derive(Default)]
pub struct Sources {
    lists: HashMap<i64, Vec<i64>>,
    penalties: HashMap<i64, Vec<PublicRecord>>,
}

impl Sources {
    /// `None` when `e`'s source still justifies it on `today`, else why not.
    pub async fn lapsed(&mut self, db: &Db, e: &Entry, today: &str) -> Result<Option<&'static str>, AppError> {
        if e.state != SHOWN {
            return Ok(Some("已撤下"));
        }
        if !within(e.publicity_end.as_deref(), today) {
            return Ok(Some("公示期届满"));
        }
        let reference = e.source_ref.parse::<i64>().ok();
        match (e.source(), e.subject_id, reference) {
            (Some(SourceKind::CreditList), Some(subject), Some(entry_id)) => {
                let held = match self.lists.entry(subject) {
                    Entry_::Occupied(o) => o.get().contains(&entry_id),
                    Entry_::Vacant(v) => {
                        let ids: Vec<i64> = qingfeng_credit::store::active_list_entries(db, subject, today)
                            .await?
                            .into_iter()
                            .filter(|l| l.list_kind == ListKind::Black.key())
                            .map(|l| l.id)
                            .collect();
                        v.insert(ids).contains(&entry_id)
                    }
                };
                Ok((!held).then_some("已移出严重失信主体名单或名单期满"))
            }
            (Some(SourceKind::CreditPenalty), Some(subject), Some(record_id)) => {
                let recs = match self.penalties.entry(subject) {
                    Entry_::Occupied(o) => o.into_mut(),
                    Entry_::Vacant(v) => v.insert(qingfeng_credit::store::records_of(db, subject, true).await?),
                };
                let held = recs.iter().any(|r| r.id == record_id && r.kind == "cf" && within(r.publicity_max_end.as_deref(), today));
                Ok((!held).then_some("行政处罚信息已修复（终止公示）或公示期届满"))
            }
            (Some(SourceKind::CreditList | SourceKind::CreditPenalty), _, _) => Ok(Some("来源记录不可识别")),
            (Some(SourceKind::Complaint | SourceKind::Manual), _, _) => Ok(None),
            (None, _, _) => Ok(Some("来源类型不可识别")),
        }
    }
}

/// The entries shown now: marked shown, and their source still justifies them on `today`.
pub async fn visible(db: &Db, county: &str, today: &str) -> Result<Vec<Entry>, AppError> {
    let mut sources = Sources::default();
    let mut out = Vec::new();
    for e in shown(db, county, today).await? {
        if sources.lapsed(db, &e, today).await?.is_none() {
            out.push(e);
        }
    }
    Ok(out)
}

/// One entry if it is shown now, else `None`.
pub async fn visible_one(db: &Db, county: &str, id: i64, today: &str) -> Result<Option<Entry>, AppError> {
    let Some(e) = get(db, county, id).await? else { return Ok(None) };
    Ok(Sources::default().lapsed(db, &e, today).await?.is_none().then_some(e))
}

/// Who withdraws an entry, how and why.
#[derive(Debug, Clone, Copy)]
pub struct Withdrawal<'a> {
    /// `withdraw` (staff) or `lapse` (the platform).
    pub event: &'a str,
    pub reason: &'a str,
    pub actor: &'a Actor,
    pub roles: &'a [Role],
    pub now_ms: i64,
}

/// Withdraw `e` (staff: `withdraw` with their reason; the platform: `lapse`), in the audit
/// chain. `Ok(false)` when someone else withdrew it first.
pub async fn withdraw(db: &Db, cal: &HolidayCalendar, e: &Entry, w: &Withdrawal<'_>) -> Result<bool, AppError> {
    let Withdrawal { event, reason, actor, roles, now_ms } = *w;
    let mut tx = db.begin().await?;
    let fired = MACHINE
        .apply(
            &mut tx,
            cal,
            Firing {
                county_code: &e.county_code,
                row_id: e.id,
                from: SHOWN,
                event,
                actor,
                roles,
                now_ms,
                detail: serde_json::json!({"reason": reason, "source": e.source_kind, "ref": e.source_ref}),
                due: None,
            },
        )
        .await;
    match fired {
        Ok(_) => {}
        Err(err) if err.code == "state.conflict" => return Ok(false),
        Err(err) => return Err(err),
    }
    tx.execute(
        "UPDATE portal_exposures SET withdraw_reason = $1, withdrawn_at = $2, updated_at = $2 WHERE id = $3",
        &[Arg::from(reason), Arg::from(now_ms), Arg::from(e.id)],
    )
    .await?;
    tx.commit().await?;
    Ok(true)
}

/// What one [`sweep`] did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct SweepRun {
    /// 严重失信主体名单 entries brought onto the board.
    pub added: usize,
    /// Entries withdrawn because their source stopped justifying them.
    pub withdrawn: usize,
}

/// The list entries one sweep brings onto the board at most.
const SYNC_LIMIT: i64 = 5000;

/// Bring the 严重失信主体名单 entries in force onto the board and withdraw (in the audit
/// chain) every shown entry whose source no longer justifies it. Idempotent.
pub async fn sweep(db: &Db, cal: &HolidayCalendar, county: &str, today: chrono::NaiveDate, now_ms: i64) -> Result<SweepRun, AppError> {
    let today = today.to_string();
    let actor = Actor::System("exposure");
    let mut run = SweepRun::default();
    let entries = qingfeng_credit::store::lookup::entries_in_force(db, county, ListKind::Black, &today, SYNC_LIMIT).await?;
    if !entries.is_empty() {
        let ids: Vec<i64> = entries.iter().map(|e| e.subject_id).collect();
        let cards: HashMap<i64, qingfeng_credit::store::lookup::SubjectCard> =
            qingfeng_credit::store::lookup::cards(db, county, &ids).await?.into_iter().map(|c| (c.id, c)).collect();
        let known: Vec<(String,)> = on_db_refs(db, county).await?;
        let mut tx = db.begin().await?;
        for l in &entries {
            let reference = l.id.to_string();
            if known.iter().any(|(r,)| *r == reference) {
                continue;
            }
            let Some(card) = cards.get(&l.subject_id) else { continue };
            let person = card.kind == "natural";
            let title = format!("{}被列入严重失信主体名单", card.name);
            let basis = format!("{}\n列入机关：{}", l.basis, l.authority);
            let e = NewEntry {
                county_code: county,
                source_ref: &reference,
                subject_id: Some(l.subject_id),
                subject_name: &card.name,
                // Persons: masked when read (the key is not in the job's reach).
                subject_code: if person { "" } else { card.uscc.as_deref().unwrap_or("") },
                title: &title,
                basis: &basis,
                doc_no: &l.source_ref,
                authority: &l.authority,
                decided_on: Some(&l.listed_on),
                publicity_end: l.ends_on.as_deref(),
                is_demo: l.source_ref.contains("演示") || l.basis.contains("演示"),
            };
            if insert(&mut tx, SourceKind::CreditList, &e, &actor, now_ms).await?.is_some() {
                run.added += 1;
            }
        }
        tx.commit().await?;
    }
    let mut sources = Sources::default();
    let mut all = Sql::new(COLUMNS);
    all.push(" WHERE county_code = ").bind(county).push(" AND state = ").bind(SHOWN).push(" ORDER BY id");
    let shown_now: Vec<Entry> = all.fetch_all(db).await?;
    for e in shown_now {
        if let Some(why) = sources.lapsed(db, &e, &today).await?
            && withdraw(db, cal, &e, &Withdrawal { event: "lapse", reason: why, actor: &actor, roles: &[], now_ms }).await?
        {
            run.withdrawn += 1;
        }
    }
    Ok(run)
}

/// The source refs of the list entries on the board already (any state).
async fn on_db_refs(db: &Db, county: &str) -> Result<Vec<(String,)>, AppError> {
    let mut s = Sql::new("SELECT source_ref FROM portal_exposures WHERE county_code = ");
    s.bind(county).push(" AND source_kind = ").bind(SourceKind::CreditList.key());
    Ok(s.fetch_all(db).await?)
}
