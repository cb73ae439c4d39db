//! SQL of the three lists, both backends (migration 0310): versions, imports with their
//! rejects, and the items of each kind.

use qingfeng_platform::audit::{self, Actor, Change};
use qingfeng_platform::db::{Db, Tx};
use qingfeng_platform::listing::{self, ListParams, Page};
use qingfeng_platform::sql::{Sql, Where};
use qingfeng_platform::{AppError, on_db};
use serde::Serialize;

use super::import::{Checked, Items, Meta, Reject};
use super::negative::{Category, Checkable, Verification};
use super::{ListKind, fees, negative, powers};

/// 版本 A version (edition) of a list.
#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct Version {
    pub id: i64,
    pub county_code: String,
    pub kind: String,
    pub title: String,
    pub doc_number: String,
    pub published_on: String,
    pub official_count: Option<i64>,
    pub source: String,
    pub item_count: i64,
    pub is_current: i64,
    pub import_id: Option<i64>,
    #[serde(skip)]
    pub created_by: String,
    pub created_at: i64,
}

impl Version {
    pub fn current(&self) -> bool {
        self.is_current == 1
    }
    pub fn created_display(&self) -> String {
        qingfeng_platform::clock::local_display(self.created_at)
    }
    /// Fewer items held than the official text has: the page and the checker say so.
    pub fn incomplete(&self) -> bool {
        self.official_count.is_some_and(|n| self.item_count < n)
    }
    /// 「发改体改规〔2022〕397号」 or the title when there is no 文号.
    pub fn label(&self) -> String {
        if self.doc_number.is_empty() { self.title.clone() } else { format!("{}（{}）", self.title, self.doc_number) }
    }
}

const VERSION_COLUMNS: &str = "id, county_code, kind, title, doc_number, published_on, official_count, source, item_count, is_current, \
                               import_id, created_by, created_at";

/// 导入记录 One import attempt.
#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct ImportRecord {
    pub id: i64,
    pub county_code: String,
    pub kind: String,
    pub file_name: String,
    pub encoding: String,
    #[serde(skip)]
    pub header: String,
    pub rows_read: i64,
    pub rows_accepted: i64,
    pub rows_rejected: i64,
    pub version_id: Option<i64>,
    pub outcome: String,
    pub message: String,
    #[serde(skip)]
    pub created_by: String,
    pub created_at: i64,
}

impl ImportRecord {
    pub fn kind_zh(&self) -> &'static str {
        ListKind::from_key(&self.kind).map(ListKind::zh).unwrap_or("")
    }
    pub fn created_display(&self) -> String {
        qingfeng_platform::clock::local_display(self.created_at)
    }
    pub fn stored(&self) -> bool {
        self.outcome == "stored"
    }
}

const IMPORT_COLUMNS: &str = "id, county_code, kind, file_name, encoding, header, rows_read, rows_accepted, rows_rejected, version_id, \
                              outcome, message, created_by, created_at";

/// 负面清单事项
#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct NegativeItem {
    pub id: i64,
    pub version_id: i64,
    pub seq: i64,
    pub code: String,
    pub category: String,
    pub name: String,
    pub measures: String,
    pub department: String,
    pub local_items: String,
    pub keywords: String,
    pub verification: String,
    pub verification_note: String,
}

impl NegativeItem {
    pub fn cat(&self) -> Category {
        Category::from_key(&self.category).unwrap_or(Category::Permitted)
    }
    pub fn category_zh(&self) -> &'static str {
        self.cat().zh()
    }
    pub fn prohibited(&self) -> bool {
        self.cat() == Category::Prohibited
    }
    pub fn verified(&self) -> Verification {
        Verification::from_key(&self.verification)
    }
    pub fn verification_zh(&self) -> &'static str {
        self.verified().zh()
    }
    pub fn tag_list(&self) -> Vec<&str> {
        self.keywords.split(',').filter(|t| !t.is_empty()).collect()
    }
    pub fn measure_lines(&self) -> Vec<&str> {
        self.measures.lines().map(str::trim).filter(|l| !l.is_empty()).collect()
    }
}

impl Checkable for NegativeItem {
    fn category(&self) -> Category {
        self.cat()
    }
    fn name(&self) -> &str {
        &self.name
    }
    fn measures(&self) -> &str {
        &self.measures
    }
    fn keywords(&self) -> &str {
        &self.keywords
    }
}

const NEGATIVE_COLUMNS: &str =
    "id, version_id, seq, code, category, name, measures, department, local_items, keywords, verification, verification_note";

/// 权责事项
#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct Power {
    pub id: i64,
    pub version_id: i64,
    pub seq: i64,
    pub code: String,
    pub name: String,
    pub sub_item: String,
    pub power_type: String,
    pub department: String,
    pub basis: String,
    pub duties: String,
    pub accountability: String,
    pub exercise_level: String,
    pub status: String,
    pub note: String,
}

const POWER_COLUMNS: &str =
    "id, version_id, seq, code, name, sub_item, power_type, department, basis, duties, accountability, exercise_level, status, note";

/// 收费项目
#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct Fee {
    pub id: i64,
    pub version_id: i64,
    pub seq: i64,
    pub department: String,
    pub item_no: String,
    pub name: String,
    pub fee_type: String,
    pub fund_management: String,
    pub basis: String,
    pub standard: String,
    pub note: String,
    pub source: String,
}

const FEE_COLUMNS: &str = "id, version_id, seq, department, item_no, name, fee_type, fund_management, basis, standard, note, source";

/// The power types, in order.
pub async fn power_types(db: &Db) -> Result<Vec<String>, AppError> {
    Ok(on_db!(db, |p| sqlx::query_scalar("SELECT name FROM portal_power_types ORDER BY sort, name").fetch_all(p).await)?)
}

/// Add a power type (a province's own, e.g. 行政征用); `false` when it exists.
pub async fn add_power_type(tx: &mut Tx, name: &str) -> Result<bool, sqlx::Error> {
    let n = tx
        .execute(
            "INSERT INTO portal_power_types (name, sort) SELECT $1, COALESCE(MAX(sort), 0) + 1 FROM portal_power_types \
             WHERE NOT EXISTS (SELECT 1 FROM portal_power_types WHERE name = $1)",
            &[name.into()],
        )
        .await?;
    Ok(n == 1)
}

/// Keep an import attempt with its rejects and, when `store_it`, its rows as a new
/// version — all in one transaction with its audit entry. Returns (import id, version id).
#[allow(clippy::too_many_arguments)]
pub async fn save_import(
    db: &Db,
    county: &str,
    kind: ListKind,
    file_name: &str,
    checked: &Checked,
    meta: &Meta,
    store_it: bool,
    message: &str,
    actor: &Actor,
    now_ms: i64,
) -> Result<(i64, Option<i64>), AppError> {
    let mut tx = db.begin().await?;
    let accepted = (checked.read - checked.rejected) as i64;
    let mut sql = Sql::new(
        "INSERT INTO portal_list_imports (county_code, kind, file_name, encoding, header, rows_read, rows_accepted, rows_rejected, \
         outcome, message, created_by, created_at) VALUES (",
    );
    sql.bind(county).push(", ").bind(kind.key()).push(", ").bind(file_name.chars().take(200).collect::<String>());
    sql.push(", ").bind(checked.encoding).push(", ").bind(checked.header.join("\t")).push(", ").bind(checked.read as i64);
    sql.push(", ").bind(accepted).push(", ").bind(checked.rejected as i64).push(", ").bind(if store_it { "stored" } else { "refused" });
    sql.push(", ").bind(message).push(", ").bind(actor.as_string()).push(", ").bind(now_ms).push(") RETURNING id");
    let import_id = returning_id(&mut tx, &sql).await?;
    for chunk in checked.rejects.chunks(200) {
        let mut sql = Sql::new("INSERT INTO portal_list_rejects (import_id, line, column_name, reason, original) VALUES ");
        for (i, r) in chunk.iter().enumerate() {
            sql.push(if i == 0 { "(" } else { ", (" });
            sql.bind(import_id).push(", ").bind(r.line).push(", ").bind(&r.column_name).push(", ").bind(&r.reason);
            sql.push(", ").bind(&r.original).push(")");
        }
        tx.execute_sql(&sql).await?;
    }
    let mut version_id = None;
    if store_it {
        let mut sql = Sql::new(
            "INSERT INTO portal_list_versions (county_code, kind, title, doc_number, published_on, official_count, source, item_count, \
             is_current, import_id, created_by, created_at) VALUES (",
        );
        sql.bind(county).push(", ").bind(kind.key()).push(", ").bind(&meta.title).push(", ").bind(&meta.doc_number);
        sql.push(", ").bind(&meta.published_on).push(", ").bind(meta.official_count).push(", ").bind(&meta.source);
        sql.push(", ").bind(checked.items.len() as i64).push(", 0, ").bind(import_id).push(", ").bind(actor.as_string());
        sql.push(", ").bind(now_ms).push(") RETURNING id");
        let vid = returning_id(&mut tx, &sql).await?;
        insert_items(&mut tx, vid, &checked.items).await?;
        tx.execute("UPDATE portal_list_imports SET version_id = $1 WHERE id = $2", &[vid.into(), import_id.into()]).await?;
        let has_current: i64 = qingfeng_platform::on_tx!(&mut tx, |c| sqlx::query_scalar(
            "SELECT COUNT(*) FROM portal_list_versions WHERE county_code = $1 AND kind = $2 AND is_current = 1"
        )
        .bind(county)
        .bind(kind.key())
        .fetch_one(&mut *c)
        .await)?;
        if meta.make_current || has_current == 0 {
            make_current(&mut tx, county, kind, vid).await?;
        }
        version_id = Some(vid);
    }
    audit::append(
        &mut tx,
        now_ms,
        &Change {
            county_code: county,
            actor,
            action: "portal.list_import",
            entity: "portal_list_import",
            entity_id: &import_id.to_string(),
            detail: serde_json::json!({
                "kind": kind.key(), "file": file_name, "read": checked.read, "accepted": accepted,
                "rejected": checked.rejected, "version_id": version_id, "title": meta.title,
            }),
        },
    )
    .await?;
    tx.commit().await?;
    Ok((import_id, version_id))
}

async fn returning_id(tx: &mut Tx, sql: &Sql) -> Result<i64, sqlx::Error> {
    let rows: Vec<(i64,)> = tx.fetch_all(sql).await?;
    rows.first().map(|r| r.0).ok_or(sqlx::Error::RowNotFound)
}

/// Rows per multi-row `INSERT` (at most 13 values each, far below either backend's limit).
const BATCH: usize = 200;

async fn insert_items(tx: &mut Tx, vid: i64, items: &Items) -> Result<(), sqlx::Error> {
    match items {
        Items::Negative(rows) => {
            for chunk in rows.chunks(BATCH) {
                let mut sql = Sql::new(
                    "INSERT INTO portal_negative_items (version_id, seq, code, category, name, measures, department, local_items, \
                     keywords, verification, verification_note) VALUES ",
                );
                for (i, r) in chunk.iter().enumerate() {
                    negative_values(&mut sql, i, vid, r);
                }
                tx.execute_sql(&sql).await?;
            }
        }
        Items::Powers(rows) => {
            for chunk in rows.chunks(BATCH) {
                let mut sql = Sql::new(
                    "INSERT INTO portal_powers (version_id, seq, code, name, sub_item, power_type, department, basis, duties, \
                     accountability, exercise_level, status, note) VALUES ",
                );
                for (i, r) in chunk.iter().enumerate() {
                    power_values(&mut sql, i, vid, r);
                }
                tx.execute_sql(&sql).await?;
            }
        }
        Items::Fees(rows) => {
            for (n, chunk) in rows.chunks(BATCH).enumerate() {
                let mut sql = Sql::new(
                    "INSERT INTO portal_fees (version_id, seq, department, item_no, name, fee_type, fund_management, basis, standard, \
                     note, source) VALUES ",
                );
                for (i, r) in chunk.iter().enumerate() {
                    fee_values(&mut sql, i, vid, (n * BATCH + i + 1) as i64, r);
                }
                tx.execute_sql(&sql).await?;
            }
        }
    }
    Ok(())
}

fn open_row(sql: &mut Sql, i: usize, vid: i64) {
    sql.push(if i == 0 { "(" } else { ", (" });
    sql.bind(vid);
}

fn negative_values(sql: &mut Sql, i: usize, vid: i64, r: &negative::NegativeRow) {
    open_row(sql, i, vid);
    sql.push(", ").bind(r.seq);
    let values = [
        r.code.as_str(),
        r.category.key(),
        &r.name,
        &r.measures,
        &r.department,
        &r.local_items,
        &r.keywords,
        r.verification.key(),
        &r.verification_note,
    ];
    for v in values {
        sql.push(", ").bind(v);
    }
    sql.push(")");
}

fn power_values(sql: &mut Sql, i: usize, vid: i64, r: &powers::PowerRow) {
    open_row(sql, i, vid);
    sql.push(", ").bind(r.seq);
    for v in [
        &r.code,
        &r.name,
        &r.sub_item,
        &r.power_type,
        &r.department,
        &r.basis,
        &r.duties,
        &r.accountability,
        &r.exercise_level,
        &r.status,
        &r.note,
    ] {
        sql.push(", ").bind(v);
    }
    sql.push(")");
}

fn fee_values(sql: &mut Sql, i: usize, vid: i64, seq: i64, r: &fees::FeeRow) {
    open_row(sql, i, vid);
    sql.push(", ").bind(seq);
    for v in [&r.department, &r.item_no, &r.name, &r.fee_type, &r.fund_management, &r.basis, &r.standard, &r.note, &r.source] {
        sql.push(", ").bind(v);
    }
    sql.push(")");
}

/// Make `vid` the one current version of its kind in `county`, inside `tx`.
pub async fn make_current(tx: &mut Tx, county: &str, kind: ListKind, vid: i64) -> Result<(), sqlx::Error> {
    tx.execute(
        "UPDATE portal_list_versions SET is_current = CASE WHEN id = $1 THEN 1 ELSE 0 END WHERE county_code = $2 AND kind = $3",
        &[vid.into(), county.into(), kind.key().into()],
    )
    .await?;
    Ok(())
}

/// The versions of a kind, newest first.
pub async fn versions(db: &Db, county: &str, kind: ListKind) -> Result<Vec<Version>, AppError> {
    let mut sql = Sql::new(&format!("SELECT {VERSION_COLUMNS} FROM portal_list_versions WHERE county_code = "));
    sql.bind(county).push(" AND kind = ").bind(kind.key()).push(" ORDER BY id DESC");
    Ok(sql.fetch_all(db).await?)
}

/// The current version of a kind.
pub async fn current_version(db: &Db, county: &str, kind: ListKind) -> Result<Option<Version>, AppError> {
    let mut sql = Sql::new(&format!("SELECT {VERSION_COLUMNS} FROM portal_list_versions WHERE county_code = "));
    sql.bind(county).push(" AND kind = ").bind(kind.key()).push(" AND is_current = 1");
    Ok(sql.fetch_optional(db).await?)
}

/// Every current version of every county (for the search index).
pub async fn all_current(db: &Db) -> Result<Vec<Version>, AppError> {
    let sql = Sql::new(&format!("SELECT {VERSION_COLUMNS} FROM portal_list_versions WHERE is_current = 1 ORDER BY id"));
    Ok(sql.fetch_all(db).await?)
}

pub async fn version(db: &Db, id: i64) -> Result<Option<Version>, AppError> {
    let mut sql = Sql::new(&format!("SELECT {VERSION_COLUMNS} FROM portal_list_versions WHERE id = "));
    sql.bind(id);
    Ok(sql.fetch_optional(db).await?)
}

/// The latest imports of `county`, newest first.
pub async fn imports(db: &Db, county: &str, limit: i64) -> Result<Vec<ImportRecord>, AppError> {
    let mut sql = Sql::new(&format!("SELECT {IMPORT_COLUMNS} FROM portal_list_imports WHERE county_code = "));
    sql.bind(county).push(" ORDER BY id DESC LIMIT ").bind(limit);
    Ok(sql.fetch_all(db).await?)
}

pub async fn import_record(db: &Db, id: i64) -> Result<Option<ImportRecord>, AppError> {
    let mut sql = Sql::new(&format!("SELECT {IMPORT_COLUMNS} FROM portal_list_imports WHERE id = "));
    sql.bind(id);
    Ok(sql.fetch_optional(db).await?)
}

/// The rejects of an import, by line.
pub async fn rejects(db: &Db, import_id: i64) -> Result<Vec<Reject>, AppError> {
    let mut sql = Sql::new("SELECT line, column_name, reason, original FROM portal_list_rejects WHERE import_id = ");
    sql.bind(import_id).push(" ORDER BY line, column_name");
    Ok(sql.fetch_all(db).await?)
}

/// The items of a negative-list edition: 禁止 first, then by 项目号.
pub async fn negative_items(db: &Db, version_id: i64) -> Result<Vec<NegativeItem>, AppError> {
    let mut sql = Sql::new(&format!("SELECT {NEGATIVE_COLUMNS} FROM portal_negative_items WHERE version_id = "));
    sql.bind(version_id).push(" ORDER BY CASE category WHEN 'prohibited' THEN 0 ELSE 1 END, seq, id");
    Ok(sql.fetch_all(db).await?)
}

pub async fn negative_item(db: &Db, id: i64) -> Result<Option<NegativeItem>, AppError> {
    let mut sql = Sql::new(&format!("SELECT {NEGATIVE_COLUMNS} FROM portal_negative_items WHERE id = "));
    sql.bind(id);
    Ok(sql.fetch_optional(db).await?)
}

/// Set an item's checker tags (staff-maintained), inside `tx`; `false` when it is gone.
pub async fn set_keywords(tx: &mut Tx, id: i64, keywords: &str) -> Result<bool, sqlx::Error> {
    Ok(tx.execute("UPDATE portal_negative_items SET keywords = $1 WHERE id = $2", &[keywords.into(), id.into()]).await? == 1)
}

/// The sort keys of the powers list (`id` first: unique).
pub const POWER_SORT: &[listing::SortKey] = &[
    listing::SortKey { key: "id", column: "id" },
    listing::SortKey { key: "seq", column: "seq" },
    listing::SortKey { key: "name", column: "name" },
];

/// A page of the items of a powers version, filtered by department and type, `q` in the
/// name, sub-item or code.
pub async fn powers_page(
    db: &Db,
    version_id: i64,
    department: Option<&str>,
    power_type: Option<&str>,
    params: &ListParams,
) -> Result<Page<Power>, AppError> {
    let mut w = Where::new();
    w.eq("version_id", version_id);
    if let Some(d) = department {
        w.eq("department", d);
    }
    if let Some(t) = power_type {
        w.eq("power_type", t);
    }
    if let Some(q) = &params.q {
        w.contains_any(&["name", "sub_item", "code"], q);
    }
    Ok(listing::fetch_page(db, &format!("SELECT {POWER_COLUMNS} FROM portal_powers"), &w, params).await?)
}

/// The departments of a powers version.
pub async fn power_departments(db: &Db, version_id: i64) -> Result<Vec<String>, AppError> {
    Ok(on_db!(db, |p| sqlx::query_scalar("SELECT DISTINCT department FROM portal_powers WHERE version_id = $1 ORDER BY department")
        .bind(version_id)
        .fetch_all(p)
        .await)?)
}

pub async fn power(db: &Db, id: i64) -> Result<Option<Power>, AppError> {
    let mut sql = Sql::new(&format!("SELECT {POWER_COLUMNS} FROM portal_powers WHERE id = "));
    sql.bind(id);
    Ok(sql.fetch_optional(db).await?)
}

/// Every power of a version (for the search index).
pub async fn powers_of(db: &Db, version_id: i64) -> Result<Vec<Power>, AppError> {
    let mut sql = Sql::new(&format!("SELECT {POWER_COLUMNS} FROM portal_powers WHERE version_id = "));
    sql.bind(version_id).push(" ORDER BY seq, id");
    Ok(sql.fetch_all(db).await?)
}

/// The fees of a version, by department then file order.
pub async fn fees(db: &Db, version_id: i64) -> Result<Vec<Fee>, AppError> {
    let mut sql = Sql::new(&format!("SELECT {FEE_COLUMNS} FROM portal_fees WHERE version_id = "));
    sql.bind(version_id).push(" ORDER BY department, seq, id");
    Ok(sql.fetch_all(db).await?)
}

pub async fn fee(db: &Db, id: i64) -> Result<Option<Fee>, AppError> {
    let mut sql = Sql::new(&format!("SELECT {FEE_COLUMNS} FROM portal_fees WHERE id = "));
    sql.bind(id);
    Ok(sql.fetch_optional(db).await?)
}
