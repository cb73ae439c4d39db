//! 查询与检索 SQL of the subject lookup: what the search index is built from and its
//! watermark, subjects by id for search hits, which persons the law publishes (失信被执行人),
//! and a person's own lookup by the keyed hash of their ID number.

use std::collections::{HashMap, HashSet};

use qingfeng_platform::AppError;
use qingfeng_platform::db::Db;
use qingfeng_platform::sql::{Arg, Sql};
use serde::Serialize;

use crate::model::ListKind;

/// A subject as the search index and the lookup pages need it.
#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct SubjectRow {
    pub id: i64,
    pub county_code: String,
    pub kind: String,
    pub name: String,
    pub uscc: Option<String>,
    /// The encrypted resident ID of a natural person (never serialised).
    #[serde(skip)]
    pub id_enc: Option<String>,
    pub updated_at: i64,
}

const ROW_SELECT: &str = "SELECT id, county_code, kind, name, uscc, id_enc, updated_at FROM credit_subjects";

/// Subjects of every county with an id above `after_id`, by id (a full rebuild).
pub async fn subjects_after_id(db: &Db, after_id: i64, limit: i64) -> Result<Vec<SubjectRow>, AppError> {
    let mut s = Sql::new(ROW_SELECT);
    s.push(" WHERE id > ").bind(after_id).push(" ORDER BY id LIMIT ").bind(limit);
    Ok(s.fetch_all(db).await?)
}

/// Subjects of `county` changed after `(updated_at, id)`, in that order (the catch-up
/// after imports; served by the index `credit_subjects_updated`).
pub async fn subjects_changed(db: &Db, county: &str, after: (i64, i64), limit: i64) -> Result<Vec<SubjectRow>, AppError> {
    let (at, id) = after;
    let mut s = Sql::new(ROW_SELECT);
    s.push(" WHERE county_code = ").bind(county);
    s.push(" AND (updated_at > ").bind(at).push(" OR (updated_at = ").bind(at).push(" AND id > ").bind(id).push("))");
    s.push(" ORDER BY updated_at, id LIMIT ").bind(limit);
    Ok(s.fetch_all(db).await?)
}

/// Every name each subject has had (曾用名 and the current one), oldest first.
pub async fn names_of(db: &Db, ids: &[i64]) -> Result<HashMap<i64, Vec<String>>, AppError> {
    let mut out: HashMap<i64, Vec<String>> = HashMap::new();
    let s = Sql::new("SELECT subject_id, name FROM credit_subject_names WHERE ");
    let rows: Vec<(i64, String)> = db.fetch_by_keys(&s, "subject_id", ids, " ORDER BY subject_id, first_seen, name").await?;
    for (id, name) in rows {
        out.entry(id).or_default().push(name);
    }
    Ok(out)
}

/// How far the search index of `county` is known to be current (ms), if ever built.
pub async fn index_watermark(db: &Db, county: &str) -> Result<Option<i64>, AppError> {
    let mut s = Sql::new("SELECT indexed_until FROM credit_index_state WHERE county_code = ");
    s.bind(county);
    let row: Option<(i64,)> = s.fetch_optional(db).await?;
    Ok(row.map(|r| r.0))
}

/// Move the watermark of `county` forward to `until` (never back).
pub async fn set_index_watermark(db: &Db, county: &str, until: i64, now_ms: i64) -> Result<(), AppError> {
    db.execute(
        "INSERT INTO credit_index_state (county_code, indexed_until, updated_at) VALUES ($1, $2, $3) \
         ON CONFLICT (county_code) DO UPDATE SET indexed_until = excluded.indexed_until, updated_at = excluded.updated_at \
         WHERE credit_index_state.indexed_until < excluded.indexed_until",
        &[Arg::from(county), Arg::from(until), Arg::from(now_ms)],
    )
    .await?;
    Ok(())
}

/// A subject with its count of records in publicity (search hits, profiles).
#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct SubjectCard {
    pub id: i64,
    pub kind: String,
    pub name: String,
    pub uscc: Option<String>,
    #[serde(skip)]
    pub id_enc: Option<String>,
    /// Records in publicity.
    pub published: i64,
}

const CARD_SELECT: &str = "SELECT s.id, s.kind, s.name, s.uscc, s.id_enc, \
     (SELECT COUNT(*) FROM credit_records r WHERE r.subject_id = s.id AND r.published) AS published FROM credit_subjects s";

/// The subjects of `county` with these ids (any order).
pub async fn cards(db: &Db, county: &str, ids: &[i64]) -> Result<Vec<SubjectCard>, AppError> {
    let mut s = Sql::new(CARD_SELECT);
    s.push(" WHERE s.county_code = ").bind(county).push(" AND ");
    Ok(db.fetch_by_keys(&s, "s.id", ids, "").await?)
}

/// The subject of `county` with this id.
pub async fn card(db: &Db, county: &str, id: i64) -> Result<Option<SubjectCard>, AppError> {
    Ok(cards(db, county, &[id]).await?.into_iter().next())
}

/// The subject of `county` with this key hash (a USCC, or the keyed hash of an ID).
pub async fn card_by_key(db: &Db, county: &str, key_hash: i64) -> Result<Option<SubjectCard>, AppError> {
    let mut s = Sql::new(CARD_SELECT);
    s.push(" WHERE s.county_code = ").bind(county).push(" AND s.key_hash = ").bind(key_hash);
    Ok(s.fetch_optional(db).await?)
}

/// Which of these subjects are on the 失信被执行人 list on `today` (`YYYY-MM-DD`): the
/// persons the law publishes (最高人民法院关于公布失信被执行人名单信息的若干规定 Art. 6).
pub async fn listed_debtors(db: &Db, ids: &[i64], today: &str) -> Result<HashSet<i64>, AppError> {
    let mut s = Sql::new("SELECT DISTINCT subject_id FROM credit_list_entries WHERE list_kind = ");
    s.bind(ListKind::DishonestDebtor.key());
    s.push(" AND removed_on IS NULL AND listed_on <= ").bind(today);
    s.push(" AND (ends_on IS NULL OR ends_on >= ").bind(today).push(") AND ");
    let rows: Vec<(i64,)> = db.fetch_by_keys(&s, "subject_id", ids, "").await?;
    Ok(rows.into_iter().map(|r| r.0).collect())
}

/// The entries of the `kind` list of `county` in force on `today` (`YYYY-MM-DD`), oldest
/// first, at most `limit`: what other modules publish from a list (the portal's 曝光台
/// shows the 严重失信主体名单).
pub async fn entries_in_force(
    db: &Db,
    county: &str,
    kind: ListKind,
    today: &str,
    limit: i64,
) -> Result<Vec<crate::store::ListEntry>, AppError> {
    let mut s = Sql::new(
        "SELECT id, list_kind, subject_id, basis, authority, source_ref, listed_on, ends_on, removed_on FROM credit_list_entries WHERE county_code = ",
    );
    s.bind(county).push(" AND list_kind = ").bind(kind.key());
    s.push(" AND removed_on IS NULL AND listed_on <= ").bind(today);
    s.push(" AND (ends_on IS NULL OR ends_on >= ").bind(today).push(") ORDER BY listed_on, id LIMIT ").bind(limit);
    Ok(s.fetch_all(db).await?)
}
