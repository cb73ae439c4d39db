//! SQL of 部门职责, both backends: the county's departments from the registry with
//! their profile (`portal_department_profiles`, migration 0330) when they have one.

use qingfeng_platform::db::{Db, Tx};
use qingfeng_platform::listing::{ListParams, Page, SortKey, fetch_page};
use qingfeng_platform::sql::{Sql, Where};
use qingfeng_platform::{AppError, on_tx};
use serde::Serialize;

use super::{Contact, ORG_KIND, Profile, contacts_from_text, contacts_to_text};

/// 部门 A county department with its profile (empty fields when it has none yet).
#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct Department {
    pub org_id: i64,
    pub county_code: String,
    pub name: String,
    /// The organisation is synthetic demo data (演示数据).
    pub org_demo: bool,
    pub duties: String,
    pub address: String,
    pub office_hours: String,
    pub phone: String,
    /// Stored `label<TAB>phone` lines; read with [`Department::contact_list`].
    #[serde(skip)]
    pub contacts: String,
    /// The profile text is synthetic demo content (演示).
    pub profile_demo: bool,
    /// Username of the last editor (staff pages only).
    #[serde(skip)]
    pub updated_by: String,
    /// When the profile was last saved; 0 when there is no profile yet.
    pub updated_at: i64,
}

impl Department {
    pub fn has_profile(&self) -> bool {
        self.updated_at > 0
    }
    pub fn is_demo(&self) -> bool {
        self.org_demo || self.profile_demo
    }
    pub fn contact_list(&self) -> Vec<Contact> {
        contacts_from_text(&self.contacts)
    }
    pub fn paragraphs(&self) -> Vec<&str> {
        self.duties.lines().collect()
    }
    /// The first paragraph of the duties, cut to `max` characters, for lists.
    pub fn summary(&self, max: usize) -> String {
        let first = self.duties.lines().next().unwrap_or_default();
        if first.chars().count() > max { format!("{}…", first.chars().take(max).collect::<String>()) } else { first.to_string() }
    }
    pub fn updated_display(&self) -> Option<String> {
        self.has_profile().then(|| qingfeng_platform::clock::local_display(self.updated_at))
    }
    /// The contacts as typed in the form (`label phone` a line).
    pub fn contacts_input(&self) -> String {
        self.contact_list().iter().map(|c| format!("{} {}", c.label, c.phone)).collect::<Vec<_>>().join("\n")
    }
}

const SELECT: &str = "SELECT o.id AS org_id, o.county_code, o.name, o.is_demo AS org_demo, COALESCE(p.duties, '') AS duties, \
     COALESCE(p.address, '') AS address, COALESCE(p.office_hours, '') AS office_hours, COALESCE(p.phone, '') AS phone, \
     COALESCE(p.contacts, '') AS contacts, COALESCE(p.is_demo, o.is_demo) AS profile_demo, COALESCE(p.updated_by, '') AS updated_by, \
     COALESCE(p.updated_at, 0) AS updated_at \
     FROM organisations o LEFT JOIN portal_department_profiles p ON p.org_id = o.id";

/// Sortable columns of the department list (`id` first: the tie-breaker).
/// `profile` puts the departments with a published profile first (the default).
pub const SORT: &[SortKey] = &[
    SortKey { key: "id", column: "o.id" },
    SortKey { key: "name", column: "o.name" },
    SortKey { key: "profile", column: "CASE WHEN p.org_id IS NULL THEN 1 ELSE 0 END" },
];

fn base(county: &str) -> Where {
    let mut w = Where::new();
    w.eq("o.kind", ORG_KIND).eq("o.county_code", county);
    w
}

/// The departments of `county`, those whose name or duties contain `params.q`.
pub async fn list(db: &Db, county: &str, params: &ListParams) -> Result<Page<Department>, AppError> {
    let mut w = base(county);
    if let Some(q) = &params.q {
        w.contains_any(&["o.name", "p.duties"], q);
    }
    Ok(fetch_page(db, SELECT, &w, params).await?)
}

/// Every department of `county` (for the staff's department pickers), by id.
pub async fn all(db: &Db, county: &str) -> Result<Vec<Department>, AppError> {
    let mut s = Sql::new(SELECT);
    s.append(base(county).as_sql()).push(" ORDER BY o.id");
    Ok(s.fetch_all(db).await?)
}

/// Every department of every county that has a profile (for the search index).
pub async fn all_profiled(db: &Db) -> Result<Vec<Department>, AppError> {
    let mut w = Where::new();
    w.eq("o.kind", ORG_KIND).raw(&Sql::new("p.org_id IS NOT NULL"));
    let mut s = Sql::new(SELECT);
    s.append(w.as_sql()).push(" ORDER BY o.id");
    Ok(s.fetch_all(db).await?)
}

/// One department of `county`, if `org_id` is one.
pub async fn one(db: &Db, county: &str, org_id: i64) -> Result<Option<Department>, AppError> {
    let mut w = base(county);
    w.eq("o.id", org_id);
    let mut s = Sql::new(SELECT);
    s.append(w.as_sql());
    Ok(s.fetch_optional(db).await?)
}

/// The department of `county` whose name is `name` exactly.
pub async fn by_name(db: &Db, county: &str, name: &str) -> Result<Option<Department>, AppError> {
    let mut w = base(county);
    w.eq("o.name", name);
    let mut s = Sql::new(SELECT);
    s.append(w.as_sql());
    Ok(s.fetch_optional(db).await?)
}

/// Store `profile` as the profile of department `org_id` (insert or replace), inside `tx`.
pub async fn save(tx: &mut Tx, county: &str, org_id: i64, p: &Profile, is_demo: bool, by: &str, now_ms: i64) -> Result<(), AppError> {
    const SQL: &str = "INSERT INTO portal_department_profiles \
        (org_id, county_code, duties, address, office_hours, phone, contacts, is_demo, updated_by, updated_at) \
        VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) \
        ON CONFLICT (org_id) DO UPDATE SET duties = excluded.duties, address = excluded.address, \
        office_hours = excluded.office_hours, phone = excluded.phone, contacts = excluded.contacts, is_demo = excluded.is_demo, \
        updated_by = excluded.updated_by, updated_at = excluded.updated_at";
    let contacts = contacts_to_text(&p.contacts);
    on_tx!(tx, |c| {
        sqlx::query(SQL)
            .bind(org_id)
            .bind(county)
            .bind(&p.duties)
            .bind(&p.address)
            .bind(&p.office_hours)
            .bind(&p.phone)
            .bind(&contacts)
            .bind(is_demo)
            .bind(by)
            .bind(now_ms)
            .execute(&mut *c)
            .await
            .map(|_| ())
    })?;
    Ok(())
}
