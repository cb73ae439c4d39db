//! 工单存取 SQL of the ticket loop. The state column is moved only by the machine
//! ([`super::MACHINE`]); these functions read tickets and write their other columns.

use qingfeng_platform::db::{Db, Tx};
use qingfeng_platform::listing::{ListParams, Page, SortKey, fetch_page};
use qingfeng_platform::sql::{Arg, Sql, Where};
use serde::Serialize;

use super::{CATEGORIES, CHANNELS, KINDS, PRIORITIES, label_zh, state_zh};

/// 工单 A ticket.
#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct Ticket {
    pub id: i64,
    pub county_code: String,
    pub tracking_code: String,
    pub kind: String,
    pub category: String,
    pub priority: String,
    pub channel: String,
    pub title: String,
    pub content: String,
    pub fee_report: bool,
    pub fee_item_id: Option<i64>,
    pub anonymous: bool,
    pub contact_name: String,
    pub company: String,
    pub uscc: Option<String>,
    pub phone_masked: String,
    #[serde(skip)]
    pub phone_hash: Option<String>,
    #[serde(skip)]
    pub phone_enc: Option<String>,
    pub state: String,
    pub receiver_org_id: i64,
    pub receiver_user_id: Option<i64>,
    pub handler_org_id: Option<i64>,
    pub due_at: Option<i64>,
    pub due_basis: String,
    pub reply_due_at: Option<i64>,
    pub reply_due_basis: String,
    pub dispatched_at: Option<i64>,
    pub signed_at: Option<i64>,
    pub return_count: i64,
    pub return_reason: String,
    pub extension_requested_days: i64,
    pub extension_reason: String,
    pub extended_days: i64,
    pub reply: String,
    pub replied_at: Option<i64>,
    pub revisit_resolved: Option<bool>,
    pub revisit_satisfied: Option<bool>,
    pub revisit_note: String,
    pub revisited_at: Option<i64>,
    pub reopen_count: i64,
    pub overdue_at: Option<i64>,
    pub overdue_level: i64,
    pub overdue_reported_at: Option<i64>,
    pub closed_at: Option<i64>,
    pub is_demo: bool,
    pub created_at: i64,
    pub updated_at: i64,
    /// Joined: the names of the first receiver and of the department.
    pub receiver_name: String,
    pub handler_name: Option<String>,
}

pub const COLUMNS: &str = "t.id, t.county_code, t.tracking_code, t.kind, t.category, t.priority, t.channel, t.title, t.content, \
     t.fee_report, t.fee_item_id, t.anonymous, t.contact_name, t.company, t.uscc, t.phone_masked, t.phone_hash, t.phone_enc, t.state, \
     t.receiver_org_id, t.receiver_user_id, t.handler_org_id, t.due_at, t.due_basis, t.reply_due_at, t.reply_due_basis, \
     t.dispatched_at, t.signed_at, t.return_count, t.return_reason, t.extension_requested_days, t.extension_reason, t.extended_days, \
     t.reply, t.replied_at, t.revisit_resolved, t.revisit_satisfied, t.revisit_note, t.revisited_at, t.reopen_count, t.overdue_at, \
     t.overdue_level, t.overdue_reported_at, t.closed_at, t.is_demo, t.created_at, t.updated_at, \
     r.name AS receiver_name, h.name AS handler_name";

pub const FROM: &str =
    " FROM portal_tickets t JOIN organisations r ON r.id = t.receiver_org_id LEFT JOIN organisations h ON h.id = t.handler_org_id";

fn select() -> String {
    format!("SELECT {COLUMNS}{FROM}")
}

impl Ticket {
    pub fn state_zh(&self) -> &'static str {
        state_zh(&self.state)
    }
    pub fn kind_zh(&self) -> &'static str {
        label_zh(KINDS, &self.kind)
    }
    pub fn category_zh(&self) -> &'static str {
        label_zh(CATEGORIES, &self.category)
    }
    pub fn priority_zh(&self) -> &'static str {
        label_zh(PRIORITIES, &self.priority)
    }
    pub fn channel_zh(&self) -> &'static str {
        label_zh(CHANNELS, &self.channel)
    }
    pub fn is_open(&self) -> bool {
        super::is_open(&self.state)
    }
    /// Past its current deadline and still open.
    pub fn is_overdue(&self, now_ms: &i64) -> bool {
        self.is_open() && self.due_at.is_some_and(|d| d <= *now_ms)
    }
    pub fn due_zh(&self) -> String {
        self.due_at.map(due_display).unwrap_or_default()
    }
    pub fn reply_due_zh(&self) -> String {
        self.reply_due_at.map(due_display).unwrap_or_default()
    }
    pub fn created_zh(&self) -> String {
        local_display(self.created_at)
    }
    /// Who asked: the company and name, or 匿名.
    pub fn who(&self) -> String {
        if self.anonymous {
            return "匿名".into();
        }
        match (self.company.is_empty(), self.contact_name.is_empty()) {
            (false, false) => format!("{} · {}", self.company, self.contact_name),
            (false, true) => self.company.clone(),
            _ => self.contact_name.clone(),
        }
    }
    pub fn overdue_zh(&self) -> &'static str {
        match self.overdue_level {
            0 => "",
            1 => "已超期 · 已催办",
            _ => "已超期 · 已通报",
        }
    }
}

use qingfeng_platform::clock::{due_display, local_display};

/// What a new ticket stores.
pub struct NewTicket {
    pub county_code: String,
    pub tracking_code: String,
    pub kind: &'static str,
    pub category: &'static str,
    pub priority: &'static str,
    pub channel: &'static str,
    pub title: String,
    pub content: String,
    pub fee_report: bool,
    pub fee_item_id: Option<i64>,
    pub anonymous: bool,
    pub contact_name: String,
    pub company: String,
    pub uscc: Option<String>,
    pub phone_masked: String,
    pub phone_hash: Option<String>,
    pub phone_enc: Option<String>,
    pub receiver_org_id: i64,
    pub receiver_user_id: Option<i64>,
    pub due_at: i64,
    pub due_basis: String,
    pub is_demo: bool,
    pub now_ms: i64,
}

pub async fn insert(tx: &mut Tx, t: &NewTicket) -> Result<i64, sqlx::Error> {
    let mut s = Sql::new(
        "INSERT INTO portal_tickets (county_code, tracking_code, kind, category, priority, channel, title, content, fee_report, \
         fee_item_id, anonymous, contact_name, company, uscc, phone_masked, phone_hash, phone_enc, state, receiver_org_id, \
         receiver_user_id, due_at, due_basis, is_demo, created_at, updated_at) VALUES (",
    );
    let args: Vec<Arg> = vec![
        t.county_code.as_str().into(),
        t.tracking_code.as_str().into(),
        t.kind.into(),
        t.category.into(),
        t.priority.into(),
        t.channel.into(),
        t.title.as_str().into(),
        t.content.as_str().into(),
        Arg::Bool(t.fee_report),
        opt_int(t.fee_item_id),
        Arg::Bool(t.anonymous),
        t.contact_name.as_str().into(),
        t.company.as_str().into(),
        opt_text(t.uscc.as_deref()),
        t.phone_masked.as_str().into(),
        opt_text(t.phone_hash.as_deref()),
        opt_text(t.phone_enc.as_deref()),
        "received".into(),
        Arg::Int(t.receiver_org_id),
        opt_int(t.receiver_user_id),
        Arg::Int(t.due_at),
        t.due_basis.as_str().into(),
        Arg::Bool(t.is_demo),
        Arg::Int(t.now_ms),
        Arg::Int(t.now_ms),
    ];
    s.bind_all(args).push(") RETURNING id");
    let ids: Vec<(i64,)> = tx.fetch_all(&s).await?;
    ids.first().map(|r| r.0).ok_or(sqlx::Error::RowNotFound)
}

pub fn opt_int(v: Option<i64>) -> Arg {
    v.map(Arg::Int).unwrap_or(Arg::NullInt)
}

pub fn opt_text(v: Option<&str>) -> Arg {
    v.map(|s| Arg::Text(s.to_string())).unwrap_or(Arg::NullText)
}

pub async fn by_id(db: &Db, id: i64) -> Result<Option<Ticket>, sqlx::Error> {
    let mut s = Sql::new(&select());
    s.push(" WHERE t.id = ").bind(id);
    s.fetch_optional(db).await
}

pub async fn by_id_tx(tx: &mut Tx, id: i64) -> Result<Option<Ticket>, sqlx::Error> {
    let mut s = Sql::new(&select());
    s.push(" WHERE t.id = ").bind(id);
    Ok(tx.fetch_all(&s).await?.pop())
}

pub async fn by_tracking_code(db: &Db, code: &str) -> Result<Option<Ticket>, sqlx::Error> {
    let mut s = Sql::new(&select());
    s.push(" WHERE t.tracking_code = ").bind(code);
    s.fetch_optional(db).await
}

/// What a staff list asks for.
#[derive(Debug, Clone, Default)]
pub struct Filter {
    pub county_code: String,
    /// Only tickets this org received or handles (a department's own view).
    pub org_id: Option<i64>,
    pub state: Option<String>,
    pub kind: Option<String>,
    /// Only open tickets past their deadline (the overdue list), at this time.
    pub overdue_at: Option<i64>,
}

pub const SORT: &[SortKey] = &[
    SortKey { key: "id", column: "t.id" },
    SortKey { key: "created", column: "t.created_at" },
    SortKey { key: "due", column: "t.due_at" },
];

pub async fn list(db: &Db, f: &Filter, params: &ListParams) -> Result<Page<Ticket>, sqlx::Error> {
    let mut w = Where::new();
    w.eq("t.county_code", f.county_code.as_str());
    if let Some(org) = f.org_id {
        let mut c = Sql::new("(t.receiver_org_id = ");
        c.bind(org).push(" OR t.handler_org_id = ").bind(org).push(")");
        w.raw(&c);
    }
    if let Some(state) = &f.state {
        w.eq("t.state", state.as_str());
    }
    if let Some(kind) = &f.kind {
        w.eq("t.kind", kind.as_str());
    }
    if let Some(now) = f.overdue_at {
        let mut c = Sql::new("t.due_at <= ");
        c.bind(now).push(" AND t.state <> 'closed'");
        w.raw(&c);
    }
    if let Some(q) = &params.q {
        w.contains_any(&["t.tracking_code", "t.title", "t.company"], q);
    }
    fetch_page(db, &select(), &w, params).await
}

/// Open tickets whose current deadline has passed and that were not yet urged, or were
/// urged before `report_before` and not yet reported.
pub async fn overdue(db: &Db, county: &str, now_ms: i64, limit: i64) -> Result<Vec<Ticket>, sqlx::Error> {
    let mut s = Sql::new(&select());
    s.push(" WHERE t.county_code = ")
        .bind(county)
        .push(" AND t.state <> 'closed' AND t.due_at <= ")
        .bind(now_ms)
        .push(" AND t.overdue_level < 2 ORDER BY t.due_at LIMIT ")
        .bind(limit);
    s.fetch_all(db).await
}

/// Counts for the dashboard: open, overdue, closed this month, per state.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Counts {
    pub open: i64,
    pub overdue: i64,
    pub closed: i64,
}

pub async fn counts(db: &Db, county: &str, org_id: Option<i64>, now_ms: i64) -> Result<Counts, sqlx::Error> {
    let base = |cond: &str| {
        let mut s = Sql::new("SELECT COUNT(*) FROM portal_tickets t WHERE t.county_code = ");
        s.bind(county);
        if let Some(org) = org_id {
            s.push(" AND (t.receiver_org_id = ").bind(org).push(" OR t.handler_org_id = ").bind(org).push(")");
        }
        s.push(" AND ").push(cond);
        s
    };
    let open = base("t.state <> 'closed'").fetch_i64(db).await?;
    let mut o = base("t.state <> 'closed' AND t.due_at <= ");
    o.bind(now_ms);
    let overdue = o.fetch_i64(db).await?;
    let closed = base("t.state = 'closed'").fetch_i64(db).await?;
    Ok(Counts { open, overdue, closed })
}

/// Departments a ticket can be dispatched to: the county's departments and township
/// governments.
pub async fn dispatch_targets(db: &Db, county: &str) -> Result<Vec<(i64, String)>, sqlx::Error> {
    let mut s = Sql::new("SELECT id, name FROM organisations WHERE county_code = ");
    s.bind(county).push(" AND kind IN ('department', 'township_gov') ORDER BY kind, name");
    s.fetch_all(db).await
}

/// The county government: the first receiver of tickets submitted online (the county
/// business-environment office works within it).
pub async fn county_receiver(db: &Db, county: &str) -> Result<Option<(i64, String)>, sqlx::Error> {
    let mut s = Sql::new("SELECT id, name FROM organisations WHERE county_code = ");
    s.bind(county).push(" AND kind = 'county_gov' ORDER BY id LIMIT 1");
    s.fetch_optional(db).await
}

pub async fn org_name(db: &Db, id: i64) -> Result<Option<String>, sqlx::Error> {
    let mut s = Sql::new("SELECT name FROM organisations WHERE id = ");
    s.bind(id);
    Ok(s.fetch_optional::<(String,)>(db).await?.map(|r| r.0))
}
