//! SQL of 公共服务, both backends: the guides (`portal_services`) and their materials
//! (`portal_service_materials`), migration 0330.

use std::collections::HashMap;

use qingfeng_platform::AppError;
use qingfeng_platform::db::{Db, Tx};
use qingfeng_platform::listing::{ListParams, Page, SortKey, fetch_page};
use qingfeng_platform::sql::{Arg, Sql, Where};
use serde::Serialize;

use super::{Guide, HandlingKind, Material, PUBLISHED, form_zh, result_kind_zh, state_zh, task_type_zh};

/// 办事指南 A guide as stored, with the name of its implementing department.
#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct Service {
    pub id: i64,
    pub county_code: String,
    /// 实施主体 The implementing department (an organisation id).
    pub org_id: i64,
    pub org_name: String,
    pub name: String,
    pub task_type: String,
    pub handling_kind: String,
    pub legal_days: i64,
    pub promised_days: i64,
    pub conditions: String,
    pub process: String,
    pub forms: String,
    pub visits: i64,
    pub visit_reason: String,
    pub result_name: String,
    pub result_kind: String,
    pub charged: bool,
    pub fee_basis: String,
    pub place: String,
    pub hours: String,
    pub phone: String,
    pub supervision: String,
    pub state: String,
    pub is_demo: bool,
    /// Username of who created it (staff pages only).
    #[serde(skip)]
    pub created_by: String,
    pub created_at: i64,
    pub updated_at: i64,
    pub published_at: Option<i64>,
}

impl Service {
    pub fn task_type_zh(&self) -> &'static str {
        task_type_zh(&self.task_type)
    }
    pub fn handling(&self) -> HandlingKind {
        HandlingKind::from_key(&self.handling_kind).unwrap_or(HandlingKind::Promised)
    }
    pub fn handling_zh(&self) -> &'static str {
        self.handling().zh()
    }
    pub fn forms_zh(&self) -> String {
        self.forms.split(',').map(form_zh).filter(|f| !f.is_empty()).collect::<Vec<_>>().join("、")
    }
    pub fn result_kind_zh(&self) -> &'static str {
        result_kind_zh(&self.result_kind)
    }
    pub fn state_zh(&self) -> &'static str {
        state_zh(&self.state)
    }
    pub fn is_published(&self) -> bool {
        self.state == PUBLISHED
    }
    pub fn steps(&self) -> Vec<&str> {
        self.process.lines().collect()
    }
    pub fn condition_lines(&self) -> Vec<&str> {
        self.conditions.lines().collect()
    }
    /// The guide as checked values (for the edit form), with its materials.
    pub fn to_guide(&self, materials: Vec<Material>) -> Guide {
        Guide {
            org_id: self.org_id,
            name: self.name.clone(),
            task_type: self.task_type.clone(),
            handling_kind: self.handling(),
            legal_days: self.legal_days,
            promised_days: self.promised_days,
            conditions: self.conditions.clone(),
            materials,
            process: self.process.clone(),
            forms: self.forms.clone(),
            visits: self.visits,
            visit_reason: self.visit_reason.clone(),
            result_name: self.result_name.clone(),
            result_kind: self.result_kind.clone(),
            charged: self.charged,
            fee_basis: self.fee_basis.clone(),
            place: self.place.clone(),
            hours: self.hours.clone(),
            phone: self.phone.clone(),
            supervision: self.supervision.clone(),
        }
    }
}

const SELECT: &str = "SELECT s.id, s.county_code, s.org_id, o.name AS org_name, s.name, s.task_type, s.handling_kind, s.legal_days, \
     s.promised_days, s.conditions, s.process, s.forms, s.visits, s.visit_reason, s.result_name, s.result_kind, s.charged, s.fee_basis, \
     s.place, s.hours, s.phone, s.supervision, s.state, s.is_demo, s.created_by, s.created_at, s.updated_at, s.published_at \
     FROM portal_services s JOIN organisations o ON o.id = s.org_id";

/// Sortable columns (`id` first: the tie-breaker).
pub const SORT: &[SortKey] =
    &[SortKey { key: "id", column: "s.id" }, SortKey { key: "name", column: "s.name" }, SortKey { key: "updated", column: "s.updated_at" }];

/// What a guide list is narrowed to.
#[derive(Debug, Clone, Default)]
pub struct Filter {
    /// 实施主体
    pub org_id: Option<i64>,
    /// 事项类型 code
    pub task_type: Option<String>,
    /// Only published guides (the public pages).
    pub published_only: bool,
}

/// The guides of `county` matching `f` and `params.q` (in name, conditions or the
/// department's name).
pub async fn list(db: &Db, county: &str, f: &Filter, params: &ListParams) -> Result<Page<Service>, AppError> {
    let mut w = Where::new();
    w.eq("s.county_code", county);
    if f.published_only {
        w.eq("s.state", PUBLISHED);
    }
    if let Some(org) = f.org_id {
        w.eq("s.org_id", org);
    }
    if let Some(t) = &f.task_type {
        w.eq("s.task_type", t.as_str());
    }
    if let Some(q) = &params.q {
        w.contains_any(&["s.name", "s.conditions", "o.name"], q);
    }
    Ok(fetch_page(db, SELECT, &w, params).await?)
}

/// One guide of `county`, in any state.
pub async fn one(db: &Db, county: &str, id: i64) -> Result<Option<Service>, AppError> {
    let mut w = Where::new();
    w.eq("s.county_code", county).eq("s.id", id);
    let mut s = Sql::new(SELECT);
    s.append(w.as_sql());
    Ok(s.fetch_optional(db).await?)
}

/// Every published guide of every county (for the search index).
pub async fn all_published(db: &Db) -> Result<Vec<Service>, AppError> {
    let mut w = Where::new();
    w.eq("s.state", PUBLISHED);
    let mut s = Sql::new(SELECT);
    s.append(w.as_sql()).push(" ORDER BY s.id");
    Ok(s.fetch_all(db).await?)
}

#[derive(sqlx::FromRow)]
struct MaterialRow {
    service_id: i64,
    name: String,
    medium: String,
    copies: i64,
    required: bool,
}

/// The materials of the guides `ids`, in order, by guide.
pub async fn materials_of(db: &Db, ids: &[i64]) -> Result<HashMap<i64, Vec<Material>>, AppError> {
    let base = Sql::new("SELECT service_id, name, medium, copies, required FROM portal_service_materials WHERE ");
    let rows: Vec<MaterialRow> = db.fetch_by_keys(&base, "service_id", ids, " ORDER BY service_id, seq").await?;
    let mut out: HashMap<i64, Vec<Material>> = HashMap::new();
    for r in rows {
        out.entry(r.service_id).or_default().push(Material { name: r.name, medium: r.medium, copies: r.copies, required: r.required });
    }
    Ok(out)
}

/// The materials of one guide, in order.
pub async fn materials(db: &Db, id: i64) -> Result<Vec<Material>, AppError> {
    Ok(materials_of(db, &[id]).await?.remove(&id).unwrap_or_default())
}

async fn replace_materials(tx: &mut Tx, id: i64, materials: &[Material]) -> Result<(), AppError> {
    tx.execute("DELETE FROM portal_service_materials WHERE service_id = $1", &[Arg::Int(id)]).await?;
    if materials.is_empty() {
        return Ok(());
    }
    // At most MAX_MATERIALS (50) rows of 6 values: one statement.
    let mut s = Sql::new("INSERT INTO portal_service_materials (service_id, seq, name, medium, copies, required) VALUES ");
    for (i, m) in materials.iter().enumerate() {
        if i > 0 {
            s.push(", ");
        }
        s.push("(").bind(id).push(", ").bind(i as i64 + 1).push(", ").bind(m.name.as_str()).push(", ").bind(m.medium.as_str());
        s.push(", ").bind(m.copies).push(", ").bind(m.required).push(")");
    }
    tx.execute_sql(&s).await?;
    Ok(())
}

/// The content columns of a guide, in the order of [`content_args`].
const CONTENT_COLUMNS: [&str; 20] = [
    "org_id",
    "name",
    "task_type",
    "handling_kind",
    "legal_days",
    "promised_days",
    "conditions",
    "process",
    "forms",
    "visits",
    "visit_reason",
    "result_name",
    "result_kind",
    "charged",
    "fee_basis",
    "place",
    "hours",
    "phone",
    "supervision",
    "updated_at",
];

/// The values of [`CONTENT_COLUMNS`] for `g` saved at `now_ms`.
fn content_args(g: &Guide, now_ms: i64) -> [Arg; 20] {
    [
        Arg::Int(g.org_id),
        Arg::from(&g.name),
        Arg::from(&g.task_type),
        Arg::from(g.handling_kind.key()),
        Arg::Int(g.legal_days),
        Arg::Int(g.promised_days),
        Arg::from(&g.conditions),
        Arg::from(&g.process),
        Arg::from(&g.forms),
        Arg::Int(g.visits),
        Arg::from(&g.visit_reason),
        Arg::from(&g.result_name),
        Arg::from(&g.result_kind),
        Arg::Bool(g.charged),
        Arg::from(&g.fee_basis),
        Arg::from(&g.place),
        Arg::from(&g.hours),
        Arg::from(&g.phone),
        Arg::from(&g.supervision),
        Arg::Int(now_ms),
    ]
}

/// Store a new guide (state 草稿) in `tx`; returns its id.
pub async fn insert(tx: &mut Tx, county: &str, g: &Guide, is_demo: bool, by: &str, now_ms: i64) -> Result<i64, AppError> {
    let mut s = Sql::new("INSERT INTO portal_services (");
    s.push(&CONTENT_COLUMNS.join(", ")).push(", county_code, state, is_demo, created_by, created_at) VALUES (");
    for a in content_args(g, now_ms) {
        s.bind(a).push(", ");
    }
    s.bind(county).push(", ").bind(super::DRAFT).push(", ").bind(is_demo).push(", ").bind(by).push(", ").bind(now_ms);
    s.push(") RETURNING id");
    let rows: Vec<(i64,)> = tx.fetch_all(&s).await?;
    let id = rows.first().map(|r| r.0).ok_or_else(|| AppError::internal("portal_services: INSERT returned no id"))?;
    replace_materials(tx, id, &g.materials).await?;
    Ok(id)
}

/// Replace the content of guide `id` (its state is left alone) in `tx`. False if absent.
pub async fn update(tx: &mut Tx, county: &str, id: i64, g: &Guide, now_ms: i64) -> Result<bool, AppError> {
    let mut s = Sql::new("UPDATE portal_services SET ");
    for (i, (col, a)) in CONTENT_COLUMNS.iter().zip(content_args(g, now_ms)).enumerate() {
        if i > 0 {
            s.push(", ");
        }
        s.push(col).push(" = ").bind(a);
    }
    s.push(" WHERE id = ").bind(id).push(" AND county_code = ").bind(county);
    if tx.execute_sql(&s).await? == 0 {
        return Ok(false);
    }
    replace_materials(tx, id, &g.materials).await?;
    Ok(true)
}

/// Note when guide `id` was (last) published, in `tx` (the state machine moved it).
pub async fn mark_published(tx: &mut Tx, id: i64, now_ms: i64) -> Result<(), AppError> {
    tx.execute("UPDATE portal_services SET published_at = $1, updated_at = $1 WHERE id = $2", &[Arg::Int(now_ms), Arg::Int(id)]).await?;
    Ok(())
}

/// Are there demo guides already?
pub async fn has_demo(db: &Db) -> Result<bool, AppError> {
    let n = Sql::new("SELECT COUNT(*) FROM portal_services WHERE is_demo").fetch_i64(db).await?;
    Ok(n > 0)
}
