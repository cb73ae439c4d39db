//! 流程 The mediation workflow: intake from every channel, routing by the rules, the
//! escalation ladder, every transition of the case (through the platform's one state
//! machine helper), the deadlines of each state (the one deadline calculator, on the
//! working-day calendar where the rule says working days), notices to the people
//! involved and the events for the outside platforms — each action in one transaction.

use chrono::Datelike;
use qingfeng_core::{HolidayCalendar, Period, Phone, ResidentId, Uscc, due_date};
use qingfeng_platform::audit::{self, Actor, Change};
use qingfeng_platform::auth::{ALL_ROLES, Role};
use qingfeng_platform::db::{Db, Tx};
use qingfeng_platform::pii::Pii;
use qingfeng_platform::sql::{Arg, Sql};
use qingfeng_platform::state::Firing;
use qingfeng_platform::users::User;
use qingfeng_platform::web::console::actor_of;
use qingfeng_platform::{AppError, clock, registry};
use serde::{Deserialize, Serialize};

use crate::model::{self, MACHINE};
use crate::rules::Rules;
use crate::store::{self, Case, NewCase, NewParty};

/// What every action runs with.
#[derive(Clone, Copy)]
pub struct Env<'a> {
    pub db: &'a Db,
    pub cal: &'a HolidayCalendar,
    pub rules: &'a Rules,
    pub now_ms: i64,
}

impl Env<'_> {
    /// The deadline `key` of [`Rules::limit`] counted from `from_ms`, with its basis.
    fn due(&self, from_ms: i64, key: &str) -> (qingfeng_core::Deadline, String) {
        let (p, basis) = self.rules.limit(key);
        (due_date(clock::from_ms(from_ms), p, self.cal), basis)
    }

    /// The mediation deadline: the configured period from the start of mediation plus
    /// the days the parties agreed to extend it.
    fn mediation_due(&self, started_ms: i64, extension_days: i64) -> (qingfeng_core::Deadline, String) {
        let (p, basis) = self.rules.limit("mediation");
        let extra = u32::try_from(extension_days).unwrap_or(0);
        let p = match p {
            Period::NaturalDays(n) => Period::NaturalDays(n + extra),
            Period::WorkingDays(n) => Period::WorkingDays(n + extra),
            other => other,
        };
        let basis = if extra > 0 { format!("{basis}；经当事人同意延长{extra}日") } else { basis };
        (due_date(clock::from_ms(started_ms), p, self.cal), basis)
    }
}

/// 查询码 A tracking code: `TJ` and 8 characters without look-alikes (0/O, 1/I).
pub fn new_tracking_code() -> String {
    qingfeng_platform::tracking::tracking_code("TJ", 8)
}

/// A party as typed into a form.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(default)]
pub struct PartyInput {
    pub name: String,
    /// 身份证号码 or 统一社会信用代码; optional.
    pub code: String,
    pub phone: String,
}

/// 登记 A dispute as it arrives from any channel.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(default)]
pub struct IntakeInput {
    pub category: String,
    pub summary: String,
    pub claim: String,
    /// 争议金额（元）
    pub amount_yuan: String,
    /// 12-digit village code.
    pub village_code: String,
    pub place: String,
    pub occurred_on: String,
    pub applicant: PartyInput,
    pub respondent: PartyInput,
    /// The sending system's case number (综治 platform).
    pub external_ref: String,
}

fn bad(code: &'static str, msg: impl Into<String>) -> AppError {
    AppError::bad_request(code, msg)
}

fn party(pii: &Pii, role: &'static str, p: &PartyInput, phone_required: bool, what: &str) -> Result<Option<NewParty>, AppError> {
    let name = p.name.trim();
    if name.is_empty() {
        if phone_required {
            return Err(bad("mediation.party_name", format!("请填写{what}姓名或名称")));
        }
        return Ok(None);
    }
    if name.chars().count() > 100 {
        return Err(bad("mediation.party_name", format!("{what}姓名或名称不能超过100个字")));
    }
    let code = p.code.trim().to_uppercase();
    let (kind, code_masked, code_hash, code_enc) = if code.is_empty() {
        ("person", String::new(), None, None)
    } else if let Ok(id) = ResidentId::parse(&code) {
        ("person", id.masked(), Some(pii.lookup_hash(id.as_str())), Some(pii.encrypt(id.as_str())))
    } else {
        match Uscc::parse(&code) {
            // A code of an organisation is public: shown whole, not encrypted.
            Ok(u) => ("org", u.as_str().to_string(), None, None),
            Err(ue) => {
                let looks_like_id = code.chars().take(17).all(|c| c.is_ascii_digit());
                let reason = if looks_like_id { ResidentId::parse(&code).err().map(|e| e.message).unwrap_or_default() } else { ue.message };
                return Err(bad("mediation.party_code", format!("{what}证件号码“{code}”无效：{reason}")));
            }
        }
    };
    let phone = p.phone.trim();
    let (phone_masked, phone_hash, phone_enc) = if phone.is_empty() {
        if phone_required {
            return Err(bad("mediation.party_phone", format!("请填写{what}联系电话（凭查询码和电话号码查询进度）")));
        }
        (String::new(), None, None)
    } else {
        let ph = Phone::parse(phone).map_err(|e| bad("mediation.party_phone", format!("{what}联系电话：{}", e.message)))?;
        (ph.masked(), Some(pii.lookup_hash(ph.as_str())), Some(pii.encrypt(ph.as_str())))
    };
    Ok(Some(NewParty { role, kind, name: name.to_string(), code_masked, code_hash, code_enc, phone_masked, phone_hash, phone_enc }))
}

/// Check a dispute as entered; a bad field is a Chinese error with a stable code.
pub async fn check_intake(
    db: &Db,
    pii: &Pii,
    county: &str,
    channel: &'static str,
    input: &IntakeInput,
    today: chrono::NaiveDate,
) -> Result<(NewCase, Vec<NewParty>), AppError> {
    let rules = Rules::shipped();
    if rules.category(input.category.trim()).is_none() {
        return Err(bad("mediation.category", format!("请选择纠纷类型（收到“{}”）", input.category.trim())));
    }
    let summary = input.summary.trim();
    if summary.chars().count() < 5 {
        return Err(bad("mediation.summary", "请简要写明纠纷情况（至少5个字）"));
    }
    if summary.chars().count() > 2000 || input.claim.trim().chars().count() > 1000 {
        return Err(bad("mediation.summary", "纠纷情况不能超过2000字，诉求不能超过1000字"));
    }
    let village = input.village_code.trim();
    let division = registry::division(db, village).await?;
    let Some(division) = division.filter(|d| d.level == "village" && d.county_code.as_deref() == Some(county)) else {
        return Err(bad("mediation.village", format!("“{village}”不是本县的村（社区）代码，请从列表中选择发生地")));
    };
    let township = division.parent_code.clone().unwrap_or_default();
    let amount_fen = match input.amount_yuan.trim() {
        "" => None,
        raw => {
            let f = qingfeng_core::Fen::from_yuan_str(raw).map_err(|e| bad("mediation.amount", format!("争议金额：{}", e.message)))?;
            if f.0 < 0 {
                return Err(bad("mediation.amount", "争议金额不能为负数"));
            }
            Some(f.0)
        }
    };
    let occurred_on = match input.occurred_on.trim() {
        "" => None,
        raw => {
            let d = chrono::NaiveDate::parse_from_str(raw, "%Y-%m-%d")
                .map_err(|_| bad("mediation.occurred_on", format!("发生日期“{raw}”须为 YYYY-MM-DD")))?;
            if d > today {
                return Err(bad("mediation.occurred_on", "发生日期不能晚于今天"));
            }
            Some(d.to_string())
        }
    };
    let mut parties = Vec::new();
    parties.extend(party(pii, "applicant", &input.applicant, true, "申请人")?);
    parties.extend(party(pii, "respondent", &input.respondent, false, "被申请人")?);
    let grid_id: Option<i64> = {
        let mut s = Sql::new("SELECT id AS n FROM grids WHERE village_code = ");
        s.bind(village);
        #[derive(sqlx::FromRow)]
        struct N {
            n: i64,
        }
        s.fetch_optional::<N>(db).await?.map(|r| r.n)
    };
    let external_ref = Some(input.external_ref.trim().to_string()).filter(|s| !s.is_empty());
    Ok((
        NewCase {
            county_code: county.to_string(),
            tracking_code: new_tracking_code(),
            channel,
            category: input.category.trim().to_string(),
            summary: summary.to_string(),
            claim: input.claim.trim().to_string(),
            amount_fen,
            township_code: township,
            village_code: village.to_string(),
            place: input.place.trim().chars().take(200).collect(),
            occurred_on,
            grid_id,
            reporter_user_id: None,
            external_ref,
            is_demo: false,
        },
        parties,
    ))
}

/// 调解主体 Where a case is handled.
#[derive(Debug, Clone)]
struct Body {
    kind: String,
    org_id: Option<i64>,
    name: String,
}

async fn division_name(tx: &mut Tx, code: &str) -> Result<String, AppError> {
    let mut s = Sql::new("SELECT name FROM divisions WHERE code = ");
    s.bind(code);
    #[derive(sqlx::FromRow)]
    struct N {
        name: String,
    }
    Ok(tx.fetch_all::<N>(&s).await?.into_iter().next().map(|n| n.name).unwrap_or_else(|| code.to_string()))
}

/// The tribunal serving a township: the one in the township, else the first of the county
/// (the county seat's 城关法庭, loaded with the registry).
async fn tribunal_for(tx: &mut Tx, county: &str, township: &str) -> Result<Option<(i64, String)>, AppError> {
    let mut s = Sql::new("SELECT id, name FROM organisations WHERE kind = 'tribunal' AND county_code = ");
    s.bind(county).push(" ORDER BY CASE WHEN division_code = ").bind(township).push(" THEN 0 ELSE 1 END, id LIMIT 1");
    #[derive(sqlx::FromRow)]
    struct T {
        id: i64,
        name: String,
    }
    Ok(tx.fetch_all::<T>(&s).await?.into_iter().next().map(|t| (t.id, t.name)))
}

async fn org_by_name(tx: &mut Tx, county: &str, name: &str) -> Result<Option<i64>, AppError> {
    let mut s = Sql::new("SELECT id FROM organisations WHERE county_code = ");
    s.bind(county).push(" AND name = ").bind(name);
    #[derive(sqlx::FromRow)]
    struct I {
        id: i64,
    }
    Ok(tx.fetch_all::<I>(&s).await?.into_iter().next().map(|i| i.id))
}

async fn body_of(tx: &mut Tx, case: &Case, kind: &str, org: &str) -> Result<Body, AppError> {
    Ok(match kind {
        "village_committee" => {
            Body { kind: kind.into(), org_id: None, name: format!("{}人民调解委员会", division_name(tx, &case.village_code).await?) }
        }
        "township_committee" => {
            Body {
                kind: kind.into(), org_id: None, name: format!("{}人民调解委员会", division_name(tx, &case.township_code).await?)
            }
        }
        "grid_home" => match tribunal_for(tx, &case.county_code, &case.township_code).await? {
            Some((id, name)) => Body { kind: kind.into(), org_id: Some(id), name: format!("{name}网格之家") },
            None => Body {
                kind: "township_committee".into(),
                org_id: None,
                name: format!("{}人民调解委员会", division_name(tx, &case.township_code).await?),
            },
        },
        _ => match org_by_name(tx, &case.county_code, org).await? {
            Some(id) => Body { kind: kind.into(), org_id: Some(id), name: org.to_string() },
            // The organisation a rule names is not registered here: the township committee
            // takes the case, and the routing note says why.
            None => Body {
                kind: "township_committee".into(),
                org_id: None,
                name: format!("{}人民调解委员会", division_name(tx, &case.township_code).await?),
            },
        },
    })
}

/// The body and rung a case moves to when its rung's time runs out.
async fn next_rung(tx: &mut Tx, case: &Case) -> Result<Option<Body>, AppError> {
    Ok(match case.level.as_str() {
        "village" => Some(body_of(tx, case, "township_committee", "").await?),
        "township" => Some(body_of(tx, case, "grid_home", "").await?),
        _ => None,
    })
}

fn level_timer(env: &Env, level: &str) -> Option<i64> {
    match level {
        "village" => Some(env.due(env.now_ms, "level_village").0.due_at.timestamp_millis()),
        "township" => Some(env.due(env.now_ms, "level_township").0.due_at.timestamp_millis()),
        _ => None,
    }
}

/// 登记 Store a new case, route it by the rules and tell the body that takes it.
pub async fn intake(env: Env<'_>, mut new: NewCase, parties: Vec<NewParty>, by: Option<&User>, actor: &Actor) -> Result<Case, AppError> {
    if let Some(u) = by {
        new.reporter_user_id = Some(u.id);
    }
    if let Some(ext) = &new.external_ref
        && let Some(existing) = store::case_by_external(env.db, new.channel, ext).await?
    {
        return Ok(existing);
    }
    let mut tx = env.db.begin().await?;
    let id = store::insert_case(&mut tx, &new, &parties, env.now_ms).await?;
    let case = store::case_tx(&mut tx, id).await?.ok_or_else(|| AppError::internal("case vanished"))?;
    audit::append(
        &mut tx,
        env.now_ms,
        &Change {
            county_code: &case.county_code,
            actor,
            action: "mediation_case.created",
            entity: MACHINE.entity,
            entity_id: &id.to_string(),
            detail: serde_json::json!({"channel": case.channel, "category": case.category, "village": case.village_code}),
        },
    )
    .await?;
    crate::exchange::enqueue(&mut tx, &case, "created", env.now_ms).await?;
    let route = env.rules.route(&case.category, &case.channel, &case.village_code).cloned();
    let (kind, org, label) = match &route {
        Some(r) => (r.target.clone(), r.org.clone(), r.label()),
        None => ("village_committee".to_string(), String::new(), "default".to_string()),
    };
    let body = body_of(&mut tx, &case, &kind, &org).await?;
    let tribunal = tribunal_for(&mut tx, &case.county_code, &case.township_code).await?.map(|t| t.0);
    let level = model::level_of_body(&body.kind);
    let (due, basis) = env.due(env.now_ms, "screening");
    MACHINE
        .apply(
            &mut tx,
            env.cal,
            Firing {
                county_code: &case.county_code,
                row_id: id,
                from: "received",
                event: "route",
                actor: &Actor::System("mediation.routing"),
                roles: ALL_ROLES,
                now_ms: env.now_ms,
                detail: serde_json::json!({"rule": label, "body": body.name, "level": level}),
                due: Some((due, basis.clone())),
            },
        )
        .await?;
    tx.execute(
        "UPDATE mediation_cases SET level = $1, body_kind = $2, body_org_id = $3, body_name = $4, tribunal_org_id = $5, route_rule = $6, \
         level_due_at = $7, due_at = $8, due_basis = $9, updated_at = $10 WHERE id = $11",
        &[
            Arg::from(level),
            Arg::from(&body.kind),
            Arg::from(body.org_id),
            Arg::from(&body.name),
            Arg::from(tribunal),
            Arg::from(label),
            Arg::from(level_timer(&env, level)),
            Arg::Int(due.due_at.timestamp_millis()),
            Arg::from(basis),
            Arg::Int(env.now_ms),
            Arg::Int(id),
        ],
    )
    .await?;
    let case = store::case_tx(&mut tx, id).await?.ok_or_else(|| AppError::internal("case vanished"))?;
    let handlers = store::body_handlers(&mut tx, &case).await?;
    let text = format!("新纠纷（{}）已分流至{}，请及时分派调解员。查询码 {}", case.category_zh(), case.body_name, case.tracking_code);
    store::notify(&mut tx, id, &handlers, false, "routed", &text, env.now_ms).await?;
    let text = format!("您的调解申请已登记，由{}受理。查询码 {}，凭查询码和电话号码可查进度。", case.body_name, case.tracking_code);
    store::notify(&mut tx, id, &[], true, "received", &text, env.now_ms).await?;
    crate::exchange::enqueue(&mut tx, &case, "routed", env.now_ms).await?;
    tx.commit().await?;
    Ok(case)
}

/// What a person asks for on a case page or through the API.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(default)]
pub struct ActionInput {
    pub event: String,
    pub mediator_user_id: String,
    pub reason: String,
    pub days: String,
    pub agreement: String,
    pub court_case_no: String,
}

/// Fire `input.event` on case `id` for `user` (who must be able to see the case), with
/// the event's own checks and effects.
pub async fn act(env: Env<'_>, user: &User, id: i64, input: &ActionInput) -> Result<Case, AppError> {
    let case = store::visible_case(env.db, user, id).await?;
    let event = input.event.trim();
    let admin = user.has_role(Role::SystemAdmin) || user.has_role(Role::CountyAdmin);
    // Routing and expiry happen by themselves; escalating by hand is for administrators
    // (the timers do it when a rung's time runs out).
    if matches!(event, "route" | "expire") || (event == "escalate" && !admin) {
        return Err(AppError::forbidden("mediation.system_event", "该操作由系统按时限自动执行"));
    }
    // Acting on an assignment is for the person assigned (or an administrator).
    if matches!(event, "accept" | "refuse" | "recuse") && case.mediator_user_id != Some(user.id) && !admin {
        return Err(AppError::forbidden("mediation.not_assignee", "只有被分派的调解员本人可以接受、拒绝或申请回避"));
    }
    if MACHINE.transitions.iter().any(|t| t.event == event && t.roles == [Role::TribunalJudge])
        && (case.tribunal_org_id.is_none() || user.org_id != case.tribunal_org_id)
    {
        return Err(AppError::forbidden("mediation.not_tribunal", "只有受理本案的人民法庭可以作出该决定"));
    }
    fire(env, &case, event, input, &actor_of(user), &user.role_list()).await
}

/// Fire an event on a case already checked for visibility: the transition, its effects
/// on the case, notices and outgoing events in one transaction.
pub async fn fire(env: Env<'_>, case: &Case, event: &str, input: &ActionInput, actor: &Actor, roles: &[Role]) -> Result<Case, AppError> {
    let t = MACHINE.next(&case.state, event)?;
    let now = env.now_ms;
    let mut tx = env.db.begin().await?;
    // The columns this event sets, besides the state.
    let mut set: Vec<(&'static str, Arg)> = Vec::new();
    let mut due: Option<(qingfeng_core::Deadline, String)> = None;
    let mut clear_due = false;
    let mut notice_users: Vec<i64> = Vec::new();
    let mut notice_parties = false;
    let mut notice = format!("案件 {}：{}", case.tracking_code, t.zh);
    let reason = input.reason.trim().to_string();
    let need_reason = |what: &str| -> Result<(), AppError> {
        if reason.chars().count() < 2 {
            return Err(bad("mediation.reason", format!("请写明{what}")));
        }
        Ok(())
    };
    match event {
        "assign" => {
            let mid: i64 = input.mediator_user_id.trim().parse().map_err(|_| bad("mediation.mediator", "请选择调解员"))?;
            let candidates = store::candidates(env.db, case).await?;
            if !candidates.iter().any(|c| c.id == mid) {
                return Err(bad("mediation.mediator", "所选人员不是本案调解主体的调解员"));
            }
            set.push(("mediator_user_id", Arg::Int(mid)));
            due = Some(env.due(now, "accept"));
            notice_users.push(mid);
            notice = format!("您被分派调解案件 {}（{}），请及时接受或申请回避。", case.tracking_code, case.category_zh());
        }
        "accept" => {
            let started = case.mediation_started_at.unwrap_or(now);
            set.push(("mediation_started_at", Arg::Int(started)));
            due = Some(env.mediation_due(started, case.extension_days));
            notice_parties = true;
            notice = format!("调解员已接受委派，{}开始调解您的纠纷。", case.body_name);
        }
        "refuse" | "recuse" => {
            need_reason(if event == "refuse" { "拒绝理由" } else { "回避理由" })?;
            set.push(("mediator_user_id", Arg::NullInt));
            due = Some(env.due(now, "screening"));
            notice_users = store::body_handlers(&mut tx, case).await?;
            notice = format!("案件 {} 的调解员{}（{}），请重新分派。", case.tracking_code, t.zh, reason);
        }
        "extend" => {
            let days: i64 = input.days.trim().parse().map_err(|_| bad("mediation.days", "请填写延长天数（正整数）"))?;
            let (max, _) = env.rules.limit("extension_max");
            let max = match max {
                Period::NaturalDays(n) | Period::WorkingDays(n) => i64::from(n),
                _ => 30,
            };
            if days < 1 || case.extension_days + days > max {
                return Err(bad("mediation.days", format!("延长天数合计不能超过{max}日（已延长{}日）", case.extension_days)));
            }
            need_reason("当事人同意延长的情况")?;
            let started = case.mediation_started_at.unwrap_or(case.created_at);
            set.push(("extension_days", Arg::Int(case.extension_days + days)));
            due = Some(env.mediation_due(started, case.extension_days + days));
            notice_parties = true;
            notice = format!("经当事人同意，调解期限延长{days}日。");
        }
        "succeed" => {
            let text = input.agreement.trim();
            if text.chars().count() < 5 {
                return Err(bad("mediation.agreement", "请填写调解协议的内容（至少5个字）"));
            }
            set.push(("agreement_at", Arg::Int(now)));
            set.push(("agreement_text", Arg::from(text)));
            set.push(("outcome", Arg::from("resolved")));
            set.push(("level_due_at", Arg::NullInt));
            due = Some(env.due(now, "confirmation_window"));
            notice_parties = true;
            notice = "调解成功，已达成调解协议。当事人可在协议生效之日起30日内共同申请司法确认。".into();
        }
        "fail" | "expire" => {
            if event == "fail" {
                need_reason("调解不成的原因")?;
            }
            let why = if event == "expire" { "调解期限届满，当事人未同意延长".to_string() } else { reason.clone() };
            set.push(("failure_reason", Arg::from(why.as_str())));
            set.push(("outcome", Arg::from("failed")));
            set.push(("level_due_at", Arg::NullInt));
            clear_due = true;
            notice_parties = true;
            notice = format!("调解未能达成协议（{why}），可移送法院登记立案。");
            notice_users = store::body_handlers(&mut tx, case).await?;
        }
        "request_confirmation" => {
            let agreed = case.agreement_at.unwrap_or(case.updated_at);
            let (window, _) = env.due(agreed, "confirmation_window");
            if now >= window.due_at.timestamp_millis() {
                return Err(AppError::conflict(
                    "mediation.confirmation_window",
                    "已超过调解协议生效之日起30日的司法确认申请期限（人民调解法第三十三条）",
                ));
            }
            if let Some(tribunal) = case.tribunal_org_id {
                notice_users = store::judges(&mut tx, tribunal).await?;
            }
            due = Some(env.due(now, "confirmation_accept"));
            notice = format!("收到司法确认申请：案件 {}（{}），请在3日内决定是否受理。", case.tracking_code, case.category_zh());
        }
        "request_paper" => {
            if let Some(tribunal) = case.tribunal_org_id {
                notice_users = store::judges(&mut tx, tribunal).await?;
            }
            clear_due = true;
            notice = format!("收到出具诉前调解书的申请：案件 {}。", case.tracking_code);
        }
        "accept_confirmation" => {
            due = Some(env.due(now, "confirmation_decide"));
            notice_parties = true;
            notice = "人民法庭已受理司法确认申请，将在15日内作出决定。".into();
        }
        "extend_review" => {
            // Once per case: the audit chain holds every transition the case went through.
            let history = audit::history(env.db, MACHINE.entity, &case.id.to_string(), 1000).await?;
            let fired = |e: &audit::Entry| {
                serde_json::from_str::<serde_json::Value>(&e.detail).ok().and_then(|d| d.get("event").cloned())
                    == Some("extend_review".into())
            };
            if history.iter().any(fired) {
                return Err(AppError::conflict("mediation.extend_once", "审查期限只能经院长批准延长一次"));
            }
            let from = case.due_at.unwrap_or(now);
            let (p, basis) = env.rules.limit("confirmation_extend");
            // The extension runs on from the end of the original period.
            let d = due_date(clock::from_ms(from - 1), p, env.cal);
            due = Some((d, format!("{}；{basis}", case.due_basis)));
        }
        "confirm" | "issue_paper" => {
            let kind = if event == "confirm" { model::CASE_NO_CONFIRMATION } else { model::CASE_NO_PAPER };
            let year = clock::from_ms(now).with_timezone(&qingfeng_core::CHINA_STANDARD_TIME).year();
            let no = store::next_case_number(&mut tx, &case.county_code, year, kind, &env.rules.court_code).await?;
            set.push(("court_case_no", Arg::from(no.as_str())));
            clear_due = true;
            notice_parties = true;
            notice = if event == "confirm" {
                format!("人民法庭裁定调解协议有效（{no}），一方拒绝履行的，对方可申请强制执行。")
            } else {
                format!("人民法庭已出具诉前调解书（{no}）。")
            };
            notice_users.extend(case.mediator_user_id);
        }
        "reject_confirmation" | "dismiss" => {
            need_reason("理由")?;
            set.push(("failure_reason", Arg::from(reason.as_str())));
            clear_due = true;
            notice_parties = true;
            notice = format!("司法确认申请未获支持（{reason}），当事人可重新调解或向法院起诉。");
            notice_users.extend(case.mediator_user_id);
        }
        "perform" | "default" => {
            set.push(("closed_at", Arg::Int(now)));
            clear_due = true;
        }
        "breach" | "refer" => {
            if event == "breach" {
                need_reason("未履行的情况")?;
                set.push(("failure_reason", Arg::from(reason.as_str())));
            }
            if case.outcome.is_none() {
                set.push(("outcome", Arg::from("failed")));
            }
            set.push(("level_due_at", Arg::NullInt));
            clear_due = true;
            if let Some(tribunal) = case.tribunal_org_id {
                notice_users = store::judges(&mut tx, tribunal).await?;
            }
            notice_parties = true;
            notice = format!("案件 {} 已移送人民法院登记立案。", case.tracking_code);
        }
        "file" => {
            let no = input.court_case_no.trim();
            if no.chars().count() < 4 {
                return Err(bad("mediation.court_case_no", "请填写法院立案案号，如（2026）豫0922民初123号"));
            }
            set.push(("court_case_no", Arg::from(no)));
            set.push(("closed_at", Arg::Int(now)));
            clear_due = true;
            notice_parties = true;
            notice = format!("人民法院已登记立案，案号 {no}。");
        }
        "withdraw" | "not_accept" => {
            need_reason(if event == "withdraw" { "撤回的情况" } else { "不予受理的理由" })?;
            set.push(("failure_reason", Arg::from(reason.as_str())));
            if case.outcome.is_none() || event == "not_accept" {
                set.push(("outcome", Arg::from(if event == "withdraw" { "withdrawn" } else { "not_accepted" })));
            }
            set.push(("closed_at", Arg::Int(now)));
            set.push(("level_due_at", Arg::NullInt));
            clear_due = true;
            notice_parties = true;
            notice = format!("案件 {}：{}（{reason}）。", case.tracking_code, t.zh);
        }
        "remediate" => {
            set.push(("mediator_user_id", Arg::NullInt));
            set.push(("outcome", Arg::NullText));
            set.push(("agreement_at", Arg::NullInt));
            due = Some(env.due(now, "screening"));
            notice_users = store::body_handlers(&mut tx, case).await?;
        }
        "escalate" => {
            let Some(body) = next_rung(&mut tx, case).await? else {
                return Err(AppError::conflict("mediation.top_rung", "案件已在县级化解，不能再升级"));
            };
            let level = model::level_of_body(&body.kind);
            set.push(("level", Arg::from(level)));
            set.push(("body_kind", Arg::from(body.kind.as_str())));
            set.push(("body_org_id", Arg::from(body.org_id)));
            set.push(("body_name", Arg::from(body.name.as_str())));
            set.push(("mediator_user_id", Arg::NullInt));
            set.push(("level_due_at", Arg::from(level_timer(&env, level))));
            due = Some(env.due(now, "screening"));
            let moved = Case { body_kind: body.kind.clone(), body_org_id: body.org_id, ..case.clone() };
            notice_users = store::body_handlers(&mut tx, &moved).await?;
            notice_users.extend(case.mediator_user_id);
            notice_parties = true;
            notice = format!("案件 {} 在{}化解期限内未能化解，已升级至{}。", case.tracking_code, case.level_zh(), body.name);
        }
        "route" => {
            return Err(bad("mediation.route", "分流在登记时自动完成"));
        }
        _ => {}
    }
    let fired = MACHINE
        .apply(
            &mut tx,
            env.cal,
            Firing {
                county_code: &case.county_code,
                row_id: case.id,
                from: &case.state,
                event,
                actor,
                roles,
                now_ms: now,
                detail: serde_json::json!({"reason": reason, "tracking_code": case.tracking_code}),
                due: due.clone(),
            },
        )
        .await?;
    if let Some((d, basis)) = &due {
        set.push(("due_at", Arg::Int(d.due_at.timestamp_millis())));
        set.push(("due_basis", Arg::from(basis.as_str())));
        set.push(("reminded_at", Arg::NullInt));
        set.push(("overdue_notified_at", Arg::NullInt));
    } else if clear_due || model::MACHINE.state(t.to).is_some_and(|s| s.terminal) {
        set.push(("due_at", Arg::NullInt));
        set.push(("due_basis", Arg::from("")));
    }
    if model::MACHINE.state(t.to).is_some_and(|s| s.terminal) && !set.iter().any(|(c, _)| *c == "closed_at") {
        set.push(("closed_at", Arg::Int(now)));
    }
    set.push(("updated_at", Arg::Int(now)));
    let mut s = Sql::new("UPDATE mediation_cases SET ");
    for (i, (col, val)) in set.into_iter().enumerate() {
        if i > 0 {
            s.push(", ");
        }
        s.push(col).push(" = ").bind(val);
    }
    s.push(" WHERE id = ").bind(case.id);
    tx.execute_sql(&s).await?;
    let after = store::case_tx(&mut tx, case.id).await?.ok_or_else(|| AppError::internal("case vanished"))?;
    store::notify(&mut tx, case.id, &notice_users, notice_parties, event, &notice, now).await?;
    crate::exchange::enqueue_seq(&mut tx, &after, event, fired.audit_seq, now).await?;
    tx.commit().await?;
    Ok(after)
}

/// Record in the audit chain something `user` did on `case` that is not a transition.
async fn audit_case(tx: &mut Tx, now_ms: i64, case: &Case, user: &User, action: &str, detail: serde_json::Value) -> Result<(), AppError> {
    let change = Change {
        county_code: &case.county_code,
        actor: &actor_of(user),
        action,
        entity: MACHINE.entity,
        entity_id: &case.id.to_string(),
        detail,
    };
    audit::append(tx, now_ms, &change).await?;
    Ok(())
}

/// 调解记录 Schedule a session, or record the minutes of one held.
pub async fn record_session(env: Env<'_>, user: &User, case_id: i64, when: &str, place: &str, minutes: &str) -> Result<(), AppError> {
    let case = store::visible_case(env.db, user, case_id).await?;
    if case.state != "mediating" {
        return Err(AppError::conflict("mediation.not_mediating", "只有调解中的案件可以安排或记录调解"));
    }
    let at = chrono::NaiveDateTime::parse_from_str(when.trim(), "%Y-%m-%dT%H:%M")
        .or_else(|_| chrono::NaiveDateTime::parse_from_str(when.trim(), "%Y-%m-%d %H:%M"))
        .map_err(|_| bad("mediation.session_time", "调解时间须为“YYYY-MM-DD HH:MM”"))?;
    let at_ms = at.and_local_timezone(qingfeng_core::CHINA_STANDARD_TIME).single().map(|t| t.timestamp_millis()).unwrap_or(env.now_ms);
    let place = place.trim();
    if place.is_empty() {
        return Err(bad("mediation.session_place", "请填写调解地点"));
    }
    let minutes = minutes.trim();
    let held = !minutes.is_empty();
    if held && at_ms > env.now_ms {
        return Err(bad("mediation.session_time", "尚未举行的调解不能记录笔录"));
    }
    let mut tx = env.db.begin().await?;
    tx.execute(
        "INSERT INTO mediation_sessions (case_id, scheduled_at, place, held, minutes, recorded_by, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7)",
        &[Arg::Int(case_id), Arg::Int(at_ms), Arg::from(place), Arg::Bool(held), Arg::from(minutes), Arg::Int(user.id), Arg::Int(env.now_ms)],
    )
    .await?;
    audit_case(
        &mut tx,
        env.now_ms,
        &case,
        user,
        if held { "mediation_case.session_held" } else { "mediation_case.session_scheduled" },
        serde_json::json!({"at": at_ms, "place": place}),
    )
    .await?;
    if !held {
        let text = format!("调解定于 {} 在{}进行，请准时参加。", clock::local_display(at_ms), place);
        store::notify(&mut tx, case_id, &[], true, "session", &text, env.now_ms).await?;
    }
    tx.commit().await?;
    Ok(())
}

/// 调解笔录 Record the minutes of a session that was scheduled and has taken place.
pub async fn record_minutes(env: Env<'_>, user: &User, case_id: i64, session_id: i64, minutes: &str) -> Result<(), AppError> {
    let case = store::visible_case(env.db, user, case_id).await?;
    let minutes = minutes.trim();
    if minutes.chars().count() < 2 {
        return Err(bad("mediation.minutes", "请填写调解笔录"));
    }
    let Some(session) = store::sessions(env.db, case_id).await?.into_iter().find(|s| s.id == session_id) else {
        return Err(AppError::not_found("mediation.session_not_found", "该调解安排不存在"));
    };
    if session.held {
        return Err(AppError::conflict("mediation.session_held", "该次调解已记录笔录"));
    }
    if session.scheduled_at > env.now_ms {
        return Err(bad("mediation.session_time", "尚未举行的调解不能记录笔录"));
    }
    let mut tx = env.db.begin().await?;
    tx.execute(
        "UPDATE mediation_sessions SET held = TRUE, minutes = $1, recorded_by = $2 WHERE id = $3 AND case_id = $4 AND NOT held",
        &[Arg::from(minutes), Arg::Int(user.id), Arg::Int(session_id), Arg::Int(case_id)],
    )
    .await?;
    audit_case(
        &mut tx,
        env.now_ms,
        &case,
        user,
        "mediation_case.session_held",
        serde_json::json!({"session": session_id, "at": session.scheduled_at}),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// 回访 The follow-up visit after a case is closed or resolved: satisfaction 1–5 and a note.
pub async fn followup(env: Env<'_>, user: &User, case_id: i64, satisfaction: &str, note: &str) -> Result<(), AppError> {
    let case = store::visible_case(env.db, user, case_id).await?;
    if case.outcome.is_none() {
        return Err(AppError::conflict("mediation.followup_early", "案件办结或调解成功后才能回访"));
    }
    let s: i64 =
        satisfaction.trim().parse().ok().filter(|s| (1..=5).contains(s)).ok_or_else(|| bad("mediation.satisfaction", "满意度须为1到5"))?;
    let mut tx = env.db.begin().await?;
    tx.execute(
        "UPDATE mediation_cases SET followup_at = $1, satisfaction = $2, followup_note = $3, updated_at = $1 WHERE id = $4",
        &[Arg::Int(env.now_ms), Arg::Int(s), Arg::from(note.trim()), Arg::Int(case_id)],
    )
    .await?;
    audit_case(&mut tx, env.now_ms, &case, user, "mediation_case.followup", serde_json::json!({"satisfaction": s})).await?;
    tx.commit().await?;
    Ok(())
}

/// What one run of the timers did.
#[derive(Debug, Clone, Default, Serialize, PartialEq)]
pub struct TimerRun {
    pub escalated: u64,
    pub expired: u64,
    pub released: u64,
    pub overdue_notices: u64,
    pub reminders: u64,
}

/// 计时 Move cases whose time ran out: up the ladder when a rung's timer passes, to
/// 调解不成 when the mediation period passes without extension, back to assignment when
/// a mediator does not accept in time; remind before deadlines and tell after them.
pub async fn run_timers(env: Env<'_>, county: &str) -> Result<TimerRun, AppError> {
    let mut run = TimerRun::default();
    let system = Actor::System("mediation.timers");
    let select = |cond: &str| {
        let mut s = Sql::new(&format!("SELECT {} FROM mediation_cases c WHERE c.county_code = ", store::CASE_COLUMNS));
        s.bind(county).push(" AND ").push(cond);
        s
    };
    let mut s = select("c.level_due_at <= ");
    s.bind(env.now_ms).push(" AND c.state IN ('unassigned', 'assigned', 'mediating') ORDER BY c.level_due_at LIMIT 500");
    for case in s.fetch_all::<Case>(env.db).await? {
        match fire(env, &case, "escalate", &ActionInput::default(), &system, ALL_ROLES).await {
            Ok(_) => run.escalated += 1,
            Err(e) => tracing::warn!(case = case.id, error = %e.message, "escalation failed"),
        }
    }
    for (state, event) in [("mediating", "expire"), ("assigned", "refuse")] {
        let mut s = select("c.due_at <= ");
        s.bind(env.now_ms).push(" AND c.state = ").bind(state).push(" ORDER BY c.due_at LIMIT 500");
        for case in s.fetch_all::<Case>(env.db).await? {
            let reason = if event == "expire" { "调解期限届满" } else { "超时未接受委派" };
            let input = ActionInput { reason: reason.into(), ..Default::default() };
            match fire(env, &case, event, &input, &system, ALL_ROLES).await {
                Ok(_) if event == "expire" => run.expired += 1,
                Ok(_) => run.released += 1,
                Err(e) => tracing::warn!(case = case.id, error = %e.message, "timer failed"),
            }
        }
    }
    // Overdue in a state nobody leaves automatically: tell the body (and the court) once.
    let mut s = select("c.due_at <= ");
    s.bind(env.now_ms).push(" AND c.overdue_notified_at IS NULL ORDER BY c.due_at LIMIT 500");
    for case in s.fetch_all::<Case>(env.db).await?.into_iter().filter(Case::is_open) {
        let mut tx = env.db.begin().await?;
        let mut users = store::body_handlers(&mut tx, &case).await?;
        users.extend(case.mediator_user_id);
        if matches!(case.state.as_str(), "confirmation_requested" | "confirmation_accepted" | "paper_requested")
            && let Some(t) = case.tribunal_org_id
        {
            users = store::judges(&mut tx, t).await?;
        }
        let text = format!("案件 {}（{}）已超过期限：{}", case.tracking_code, case.state_zh(), case.due_basis);
        store::notify(&mut tx, case.id, &users, false, "overdue", &text, env.now_ms).await?;
        tx.execute("UPDATE mediation_cases SET overdue_notified_at = $1 WHERE id = $2", &[Arg::Int(env.now_ms), Arg::Int(case.id)]).await?;
        tx.commit().await?;
        run.overdue_notices += 1;
    }
    // Due soon: one reminder before the deadline.
    let (before, _) = env.rules.limit("remind_before");
    let window_ms = match before {
        Period::Hours(h) => i64::from(h) * 3_600_000,
        Period::NaturalDays(d) | Period::WorkingDays(d) => i64::from(d) * 86_400_000,
        _ => 48 * 3_600_000,
    };
    let mut s = select("c.due_at > ");
    s.bind(env.now_ms)
        .push(" AND c.due_at <= ")
        .bind(env.now_ms + window_ms)
        .push(" AND c.reminded_at IS NULL ORDER BY c.due_at LIMIT 500");
    for case in s.fetch_all::<Case>(env.db).await?.into_iter().filter(Case::is_open) {
        let mut tx = env.db.begin().await?;
        let mut users: Vec<i64> = case.mediator_user_id.into_iter().collect();
        if users.is_empty() {
            users = store::body_handlers(&mut tx, &case).await?;
        }
        let text = format!("案件 {}（{}）将于 {} 到期：{}", case.tracking_code, case.state_zh(), case.due_zh(), case.due_basis);
        store::notify(&mut tx, case.id, &users, false, "reminder", &text, env.now_ms).await?;
        tx.execute("UPDATE mediation_cases SET reminded_at = $1 WHERE id = $2", &[Arg::Int(env.now_ms), Arg::Int(case.id)]).await?;
        tx.commit().await?;
        run.reminders += 1;
    }
    Ok(run)
}
