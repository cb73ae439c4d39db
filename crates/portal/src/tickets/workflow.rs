//! 工单流程 Intake from the portal and from staff, every action on a ticket (through the
//! platform's one state machine, with the deadline of the state entered counted by the
//! one deadline calculator from `data/service_limits.csv`), and the overdue timers —
//! each action in one transaction with its audit entry.

use qingfeng_core::{Deadline, HolidayCalendar, Period, Phone, Uscc, due_date};
use qingfeng_platform::audit::{self, Actor, Change};
use qingfeng_platform::auth::{ALL_ROLES, Role};
use qingfeng_platform::db::{Db, Tx};
use qingfeng_platform::pii::Pii;
use qingfeng_platform::sql::Arg;
use qingfeng_platform::state::Firing;
use qingfeng_platform::users::User;
use qingfeng_platform::web::console::actor_of;
use qingfeng_platform::{AppError, clock, tracking};
use serde::{Deserialize, Serialize};

use super::store::{self, NewTicket, Ticket};
use super::{CATEGORIES, ENTITY, KINDS, MACHINE, PRIORITIES, label, limits, reply_limit_key};

/// What every action runs with.
#[derive(Clone, Copy)]
pub struct Env<'a> {
    pub db: &'a Db,
    pub cal: &'a HolidayCalendar,
    pub pii: &'a Pii,
    pub now_ms: i64,
}

impl Env<'_> {
    /// The limit `key` counted from `from_ms`, with its basis.
    pub fn due(&self, from_ms: i64, key: &str) -> (Deadline, String) {
        due(self.cal, from_ms, key)
    }
}

/// The limit `key` of `data/service_limits.csv` counted from `from_ms`, with its basis.
pub fn due(cal: &HolidayCalendar, from_ms: i64, key: &str) -> (Deadline, String) {
    let (p, basis) = limits().limit(key);
    (due_date(clock::from_ms(from_ms), p, cal), basis)
}

fn bad(code: &'static str, msg: impl Into<String>) -> AppError {
    AppError::bad_request(code, msg)
}

/// Longest title and content, in characters.
pub const MAX_TITLE: usize = 60;
pub const MAX_CONTENT: usize = 2000;

/// 诉求 A ticket as typed into the portal form (or the staff form).
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(default)]
pub struct TicketInput {
    pub kind: String,
    pub category: String,
    /// Staff only; the portal always files 一般.
    pub priority: String,
    /// Staff only: `phone` or `window`.
    pub channel: String,
    pub title: String,
    pub content: String,
    /// `on` when the person stays anonymous.
    pub anonymous: String,
    pub contact_name: String,
    pub company: String,
    pub uscc: String,
    pub phone: String,
    /// 清单外收费 `0` for a fee not on the list at all, a fee item's id, or empty.
    pub fee: String,
}

fn one_line(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn check_len(code: &'static str, what: &str, text: &str, min: usize, max: usize) -> Result<(), AppError> {
    let n = text.chars().count();
    if n < min {
        return Err(bad(code, if min <= 1 { format!("请填写{what}") } else { format!("{what}至少 {min} 个字") }));
    }
    if n > max {
        return Err(bad(code, format!("{what}不能超过 {max} 个字（现有 {n} 个）")));
    }
    Ok(())
}

/// Check a ticket and turn it into what is stored. `staff` is who registers it (phone or
/// window), `None` when the person submits it on the portal.
pub async fn check(env: Env<'_>, county: &str, input: &TicketInput, staff: Option<&User>) -> Result<NewTicket, AppError> {
    let kind = label(KINDS, input.kind.trim()).ok_or_else(|| bad("portal.ticket_kind", "请选择小事快办或企业家维权投诉"))?.key;
    let fee = input.fee.trim();
    let (fee_report, fee_item_id) = match fee {
        "" => (false, None),
        "0" => (true, None),
        raw => match raw.parse::<i64>() {
            Ok(n) if n > 0 => (true, Some(n)),
            _ => return Err(bad("portal.ticket_fee", "收费项目编号有误")),
        },
    };
    let category = if fee_report {
        "complaint"
    } else {
        label(CATEGORIES, input.category.trim()).ok_or_else(|| bad("portal.ticket_category", "请选择诉求类型"))?.key
    };
    let (priority, channel) = match staff {
        None => ("normal", "online"),
        Some(_) => (
            label(PRIORITIES, input.priority.trim()).map(|p| p.key).unwrap_or("normal"),
            match input.channel.trim() {
                "phone" => "phone",
                "window" => "window",
                _ => return Err(bad("portal.ticket_channel", "请选择受理渠道：电话或窗口")),
            },
        ),
    };
    let title = one_line(&input.title);
    check_len("portal.ticket_title", "标题", &title, 2, MAX_TITLE)?;
    let content = input.content.trim().to_string();
    check_len("portal.ticket_content", "具体内容", &content, 5, MAX_CONTENT)?;
    let anonymous = matches!(input.anonymous.trim(), "on" | "1" | "true");
    let company = one_line(&input.company);
    check_len("portal.ticket_company", "企业名称", &company, 0, 100)?;
    let uscc = match input.uscc.trim() {
        "" => None,
        raw => Some(
            Uscc::parse(&raw.to_uppercase())
                .map_err(|e| bad("portal.ticket_uscc", format!("统一社会信用代码“{raw}”无效：{}", e.message)))?
                .as_str()
                .to_string(),
        ),
    };
    let (contact_name, phone_masked, phone_hash, phone_enc) = if anonymous {
        (String::new(), String::new(), None, None)
    } else {
        let name = one_line(&input.contact_name);
        check_len("portal.ticket_name", "联系人姓名", &name, 1, 50)?;
        let phone = Phone::parse(input.phone.trim())
            .map_err(|e| bad("portal.ticket_phone", format!("联系电话：{}（实名提交凭查询码和电话号码查询进度）", e.message)))?;
        (name, phone.masked(), Some(env.pii.lookup_hash(phone.as_str())), Some(env.pii.encrypt(phone.as_str())))
    };
    if fee_report
        && let Some(id) = fee_item_id
        && crate::lists::store::fee(env.db, id).await?.is_none()
    {
        return Err(bad("portal.ticket_fee", format!("收费清单中没有编号为 {id} 的项目")));
    }
    let receiver = match staff.and_then(|u| u.org_id) {
        Some(org) => org,
        None => store::county_receiver(env.db, county).await?.map(|r| r.0).ok_or_else(|| {
            AppError::unavailable("portal.ticket_receiver", "本县尚未登记县人民政府（受理机构），暂不能受理，请联系系统管理员")
        })?,
    };
    let (due, basis) = env.due(env.now_ms, "dispatch");
    Ok(NewTicket {
        county_code: county.to_string(),
        tracking_code: tracking::tracking_code("GD", 10),
        kind,
        category,
        priority,
        channel,
        title,
        content,
        fee_report,
        fee_item_id,
        anonymous,
        contact_name,
        company,
        uscc,
        phone_masked,
        phone_hash,
        phone_enc,
        receiver_org_id: receiver,
        receiver_user_id: staff.map(|u| u.id),
        due_at: due.due_at.timestamp_millis(),
        due_basis: basis,
        is_demo: false,
        now_ms: env.now_ms,
    })
}

/// 受理 Store a checked ticket, with its audit entry. Returns it as stored.
pub async fn create(env: Env<'_>, new: &NewTicket, actor: &Actor) -> Result<Ticket, AppError> {
    let mut tx = env.db.begin().await?;
    let id = store::insert(&mut tx, new).await?;
    audit::append(
        &mut tx,
        env.now_ms,
        &Change {
            county_code: &new.county_code,
            actor,
            action: "portal_ticket.create",
            entity: ENTITY,
            entity_id: &id.to_string(),
            detail: serde_json::json!({
                "kind": new.kind, "category": new.category, "priority": new.priority, "channel": new.channel,
                "anonymous": new.anonymous, "fee_report": new.fee_report, "fee_item_id": new.fee_item_id,
                "due_at": new.due_at, "legal_basis": new.due_basis,
            }),
        },
    )
    .await?;
    let t = store::by_id_tx(&mut tx, id).await?.ok_or_else(|| AppError::internal("ticket vanished"))?;
    tx.commit().await?;
    Ok(t)
}

/// 办理 What a person does to a ticket, as typed.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(default)]
pub struct ActionInput {
    pub event: String,
    /// dispatch: the department.
    pub handler_org_id: String,
    /// return / reject_extension / reopen / request_extension: why.
    pub reason: String,
    /// answer / reply: the answer.
    pub reply: String,
    /// request_extension: working days asked for.
    pub days: String,
    /// revisit: `yes` / `no`.
    pub resolved: String,
    pub satisfied: String,
    pub note: String,
}

fn is_admin(u: &User) -> bool {
    u.has_role(Role::CountyAdmin) || u.has_role(Role::SystemAdmin)
}

/// Whether `u` may act for the first receiver of `t`.
pub fn acts_as_receiver(u: &User, t: &Ticket) -> bool {
    is_admin(u) || u.org_id == Some(t.receiver_org_id)
}

/// Whether `u` may act for the department handling `t`.
pub fn acts_as_handler(u: &User, t: &Ticket) -> bool {
    is_admin(u) || (t.handler_org_id.is_some() && u.org_id == t.handler_org_id)
}

/// Whether `u` may see `t` at all.
pub fn can_see(u: &User, t: &Ticket) -> bool {
    u.county_code == t.county_code && (acts_as_receiver(u, t) || acts_as_handler(u, t))
}

/// The events `u` may fire on `t` now.
pub fn open_events(u: &User, t: &Ticket) -> Vec<&'static qingfeng_platform::state::Transition> {
    let roles = u.role_list();
    MACHINE
        .events_from(&t.state)
        .filter(|tr| tr.roles.iter().any(|r| roles.contains(r)))
        .filter(|tr| if super::is_receiver_event(tr.event) { acts_as_receiver(u, t) } else { acts_as_handler(u, t) })
        .collect()
}

/// A staff member acts on ticket `id`.
pub async fn act(env: Env<'_>, user: &User, id: i64, input: &ActionInput) -> Result<Ticket, AppError> {
    let t = store::by_id(env.db, id).await?.filter(|t| can_see(user, t)).ok_or_else(|| not_found(id))?;
    let event = input.event.trim();
    let allowed = if super::is_receiver_event(event) { acts_as_receiver(user, &t) } else { acts_as_handler(user, &t) };
    if !allowed {
        return Err(AppError::forbidden(
            "portal.ticket_not_yours",
            if super::is_receiver_event(event) {
                "只有首接单位可以执行此操作"
            } else {
                "只有承办部门可以执行此操作"
            },
        ));
    }
    fire(env, &t, event, input, &actor_of(user), &user.role_list()).await
}

pub fn not_found(id: i64) -> AppError {
    AppError::not_found("portal.ticket_not_found", format!("工单 {id} 不存在或不在您的职责范围内"))
}

fn text(code: &'static str, what: &str, raw: &str, min: usize, max: usize) -> Result<String, AppError> {
    let t = raw.trim().to_string();
    check_len(code, what, &t, min, max)?;
    Ok(t)
}

/// Fire `event` on `t` with the facts of `input`, in one transaction.
pub async fn fire(env: Env<'_>, t: &Ticket, event: &str, input: &ActionInput, actor: &Actor, roles: &[Role]) -> Result<Ticket, AppError> {
    MACHINE.next(&t.state, event)?;
    let now = env.now_ms;
    let mut sets: Vec<(&'static str, Arg)> = Vec::new();
    let mut detail = serde_json::Map::new();
    let due: (Deadline, String);
    match event {
        "dispatch" => {
            let org: i64 = input.handler_org_id.trim().parse().map_err(|_| bad("portal.ticket_handler", "请选择承办部门"))?;
            let targets = store::dispatch_targets(env.db, &t.county_code).await?;
            let name = targets
                .iter()
                .find(|(id, _)| *id == org)
                .map(|(_, n)| n.clone())
                .ok_or_else(|| bad("portal.ticket_handler", "承办部门须为本县县直部门或乡镇人民政府"))?;
            let (reply_due, reply_basis) = env.due(now, &reply_limit_key(&t.kind, &t.category, &t.priority));
            sets.push(("handler_org_id", Arg::Int(org)));
            sets.push(("dispatched_at", Arg::Int(now)));
            sets.push(("signed_at", Arg::NullInt));
            sets.push(("reply_due_at", Arg::Int(reply_due.due_at.timestamp_millis())));
            sets.push(("reply_due_basis", reply_basis.as_str().into()));
            sets.push(("extended_days", Arg::Int(0)));
            detail.insert("handler".into(), name.clone().into());
            detail.insert("public_note".into(), format!("已派至{name}办理").into());
            due = env.due(now, "sign");
        }
        "answer" | "reply" => {
            let reply = text("portal.ticket_reply", "答复内容", &input.reply, 5, MAX_CONTENT)?;
            sets.push(("reply", reply.as_str().into()));
            sets.push(("replied_at", Arg::Int(now)));
            detail.insert("public_note".into(), reply.into());
            due = env.due(now, "revisit");
        }
        "sign" => {
            sets.push(("signed_at", Arg::Int(now)));
            let at = t.reply_due_at.unwrap_or(now);
            due = (deadline_at(at), t.reply_due_basis.clone());
        }
        "return" => {
            let reason = text("portal.ticket_reason", "退单理由", &input.reason, 4, 500)?;
            sets.push(("return_count", Arg::Int(t.return_count + 1)));
            sets.push(("return_reason", reason.as_str().into()));
            detail.insert("reason".into(), reason.into());
            due = env.due(now, "dispatch");
        }
        "request_extension" => {
            let max = i64::from(super::extension_max_days()) - t.extended_days;
            let days: i64 = input.days.trim().parse().map_err(|_| bad("portal.ticket_days", "请填写申请延期的工作日数"))?;
            if days < 1 || days > max {
                return Err(bad(
                    "portal.ticket_days",
                    format!("延期天数须为 1 到 {max} 个工作日（累计不超过 {} 个工作日）", super::extension_max_days()),
                ));
            }
            if t.reply_due_at.is_some_and(|d| d <= now) {
                return Err(bad("portal.ticket_extension_late", "办理期限已届满，延期须在期限届满前申请"));
            }
            let reason = text("portal.ticket_reason", "延期理由", &input.reason, 4, 500)?;
            sets.push(("extension_requested_days", Arg::Int(days)));
            sets.push(("extension_reason", reason.as_str().into()));
            detail.insert("days".into(), days.into());
            detail.insert("reason".into(), reason.into());
            due = (deadline_at(t.reply_due_at.unwrap_or(now)), t.reply_due_basis.clone());
        }
        "approve_extension" => {
            let days = u32::try_from(t.extension_requested_days).unwrap_or(0);
            let from = clock::from_ms(t.reply_due_at.unwrap_or(now) - 1);
            let extended = due_date(from, Period::WorkingDays(days), env.cal);
            let basis = format!("{}；经首接单位同意延期{days}个工作日", t.reply_due_basis);
            sets.push(("reply_due_at", Arg::Int(extended.due_at.timestamp_millis())));
            sets.push(("reply_due_basis", basis.as_str().into()));
            sets.push(("extended_days", Arg::Int(t.extended_days + i64::from(days))));
            detail.insert("days".into(), days.into());
            detail.insert("public_note".into(), format!("办理期限延长{days}个工作日").into());
            due = (extended, basis);
        }
        "reject_extension" => {
            let reason = text("portal.ticket_reason", "不同意延期的理由", &input.reason, 4, 500)?;
            detail.insert("reason".into(), reason.into());
            due = (deadline_at(t.reply_due_at.unwrap_or(now)), t.reply_due_basis.clone());
        }
        "revisit" => {
            let resolved = yes_no(&input.resolved).ok_or_else(|| bad("portal.ticket_resolved", "请选择诉求是否已解决"))?;
            if !resolved {
                return Err(bad("portal.ticket_resolved", "回访未解决的，请选择“重办”并写明原因"));
            }
            let satisfied = yes_no(&input.satisfied).ok_or_else(|| bad("portal.ticket_satisfied", "请选择诉求人是否满意"))?;
            let note = text("portal.ticket_note", "回访记录", &input.note, 0, 500)?;
            sets.push(("revisit_resolved", Arg::Bool(true)));
            sets.push(("revisit_satisfied", Arg::Bool(satisfied)));
            sets.push(("revisit_note", note.as_str().into()));
            sets.push(("revisited_at", Arg::Int(now)));
            sets.push(("closed_at", Arg::Int(now)));
            detail.insert("satisfied".into(), satisfied.into());
            detail.insert("public_note".into(), "已回访，办结".into());
            return apply(env, t, event, sets, detail, None, actor, roles).await;
        }
        "reopen" => {
            let reason = text("portal.ticket_reason", "重办原因", &input.reason, 4, 500)?;
            sets.push(("reopen_count", Arg::Int(t.reopen_count + 1)));
            sets.push(("revisit_resolved", Arg::Bool(false)));
            detail.insert("reason".into(), reason.clone().into());
            detail.insert("public_note".into(), format!("诉求未解决，重新办理：{reason}").into());
            due = env.due(now, "dispatch");
        }
        other => return Err(AppError::conflict("state.illegal", format!("未知操作“{other}”"))),
    }
    apply(env, t, event, sets, detail, Some(due), actor, roles).await
}

/// A deadline at a stored instant (the handling deadline carried from dispatch).
fn deadline_at(ms: i64) -> Deadline {
    Deadline { due_local_date: None, due_at: clock::from_ms(ms) }
}

fn yes_no(raw: &str) -> Option<bool> {
    match raw.trim() {
        "yes" | "1" | "true" | "on" => Some(true),
        "no" | "0" | "false" => Some(false),
        _ => None,
    }
}

#[allow(clippy::too_many_arguments)]
async fn apply(
    env: Env<'_>,
    t: &Ticket,
    event: &str,
    mut sets: Vec<(&'static str, Arg)>,
    detail: serde_json::Map<String, serde_json::Value>,
    due: Option<(Deadline, String)>,
    actor: &Actor,
    roles: &[Role],
) -> Result<Ticket, AppError> {
    let mut tx = env.db.begin().await?;
    let fired = MACHINE
        .apply(
            &mut tx,
            env.cal,
            Firing {
                county_code: &t.county_code,
                row_id: t.id,
                from: &t.state,
                event,
                actor,
                roles,
                now_ms: env.now_ms,
                detail: serde_json::Value::Object(detail),
                due: due.clone(),
            },
        )
        .await?;
    // Each state starts with its own deadline and a clean overdue record (the audit chain
    // keeps what was overdue before).
    let (due_at, basis) = match (&fired.deadline, due) {
        (Some(d), Some((_, b))) => (Arg::Int(d.due_at.timestamp_millis()), b),
        _ => (Arg::NullInt, String::new()),
    };
    sets.push(("due_at", due_at));
    sets.push(("due_basis", basis.into()));
    sets.push(("overdue_at", Arg::NullInt));
    sets.push(("overdue_level", Arg::Int(0)));
    sets.push(("overdue_reported_at", Arg::NullInt));
    sets.push(("updated_at", Arg::Int(env.now_ms)));
    update(&mut tx, t.id, sets).await?;
    let out = store::by_id_tx(&mut tx, t.id).await?.ok_or_else(|| not_found(t.id))?;
    tx.commit().await?;
    Ok(out)
}

async fn update(tx: &mut Tx, id: i64, sets: Vec<(&'static str, Arg)>) -> Result<(), AppError> {
    let mut s = qingfeng_platform::sql::Sql::new("UPDATE portal_tickets SET ");
    s.set_all(sets).push(" WHERE id = ").bind(id);
    tx.execute_sql(&s).await?;
    Ok(())
}

/// The person who asked says the reply did not solve it (from the tracking page):
/// the ticket goes back to the first receiver to be handled again.
pub async fn reopen_by_applicant(env: Env<'_>, t: &Ticket, reason: &str) -> Result<Ticket, AppError> {
    let input = ActionInput { event: "reopen".into(), reason: reason.into(), ..Default::default() };
    fire(env, t, "reopen", &input, &Actor::System("portal.applicant"), ALL_ROLES).await
}

/// The exposure board's source for a complaint: its tracking code.
pub fn exposure_source(t: &Ticket) -> crate::exposure::store::Source<'_> {
    crate::exposure::store::Source {
        county_code: &t.county_code,
        kind: crate::exposure::SourceKind::Complaint,
        reference: &t.tracking_code,
    }
}

/// Whether `t` is a verified complaint the board may show: a 投诉举报 of the complaint
/// module, closed after the first receiver's revisit found it resolved.
pub fn can_expose(t: &Ticket) -> bool {
    t.kind == "complaint" && t.category == "complaint" && t.state == "closed" && t.revisit_resolved == Some(true)
}

/// 曝光 Put a verified complaint on the exposure board, with the title and basis staff
/// write (the complainant is never named there). Returns the entry's id.
pub async fn expose(env: Env<'_>, user: &User, id: i64, title: &str, basis: &str) -> Result<i64, AppError> {
    let t = store::by_id(env.db, id).await?.filter(|t| can_see(user, t)).ok_or_else(|| not_found(id))?;
    if !can_expose(&t) {
        return Err(AppError::conflict("portal.ticket_not_exposable", "只有经回访核实办结的投诉举报才能提交曝光台"));
    }
    let title = one_line(title);
    check_len("portal.exposure_title", "曝光标题", &title, 4, 100)?;
    let basis = basis.trim().to_string();
    check_len("portal.exposure_basis", "核实情况及依据", &basis, 10, 1000)?;
    let mut tx = env.db.begin().await?;
    let entry = crate::exposure::store::publish(&mut tx, exposure_source(&t), &title, &basis, &actor_of(user), env.now_ms).await?;
    let entry = entry.ok_or_else(|| AppError::conflict("portal.ticket_exposed", "该投诉已在曝光台"))?;
    tx.commit().await?;
    Ok(entry)
}

/// What one run of the timers did.
#[derive(Debug, Clone, Default, Serialize, PartialEq)]
pub struct TimerRun {
    pub urged: u64,
    pub reported: u64,
}

/// 催办 · 通报 Open tickets past their deadline are urged at once; those still overdue
/// `report_after` working days after they were urged are reported to the county office.
/// Both are recorded on the ticket and in the audit chain, once each.
pub async fn run_timers(db: &Db, cal: &HolidayCalendar, now_ms: i64, county: &str) -> Result<TimerRun, AppError> {
    let mut run = TimerRun::default();
    let actor = Actor::System("portal.tickets.timers");
    for t in store::overdue(db, county, now_ms, 500).await? {
        let (action, level, col) = if t.overdue_level == 0 {
            ("portal_ticket.urge", 1, "overdue_at")
        } else {
            let urged = t.overdue_at.unwrap_or(now_ms);
            if due(cal, urged, "report_after").0.due_at.timestamp_millis() > now_ms {
                continue;
            }
            ("portal_ticket.report", 2, "overdue_reported_at")
        };
        let mut tx = db.begin().await?;
        let mut s = qingfeng_platform::sql::Sql::new("UPDATE portal_tickets SET overdue_level = ");
        s.bind(level).push(", ").push(col).push(" = ").bind(now_ms);
        s.push(" WHERE id = ").bind(t.id).push(" AND overdue_level = ").bind(t.overdue_level).push(" AND state = ").bind(t.state.as_str());
        let moved = tx.execute_sql(&s).await?;
        if moved == 0 {
            continue;
        }
        audit::append(
            &mut tx,
            now_ms,
            &Change {
                county_code: county,
                actor: &actor,
                action,
                entity: ENTITY,
                entity_id: &t.id.to_string(),
                detail: serde_json::json!({"state": t.state, "due_at": t.due_at, "basis": t.due_basis, "handler": t.handler_name}),
            },
        )
        .await?;
        tx.commit().await?;
        if level == 1 {
            run.urged += 1;
        } else {
            run.reported += 1;
        }
    }
    Ok(run)
}
