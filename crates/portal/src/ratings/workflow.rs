//! 评价流程 Taking a rating (of a closed ticket or of a service), the 差评 workflow
//! through the platform's one state machine with its deadlines (the rectification period
//! per authority, `data/service_limits.csv`), overdue 差评, and publishing a month.

use chrono::Datelike;
use qingfeng_core::{Deadline, Phone};
use qingfeng_platform::audit::{self, Actor, Change};
use qingfeng_platform::auth::Role;
use qingfeng_platform::sql::Arg;
use qingfeng_platform::state::Firing;
use qingfeng_platform::users::User;
use qingfeng_platform::web::console::actor_of;
use qingfeng_platform::{AppError, clock, tracking};
use serde::{Deserialize, Serialize};

use super::store::{self, NewRating, Rating};
use super::{ENTITY, MACHINE, is_bad};
use crate::tickets::limits;
use crate::tickets::store::Ticket;
use crate::tickets::workflow::Env;

fn bad(code: &'static str, msg: impl Into<String>) -> AppError {
    AppError::bad_request(code, msg)
}

/// Longest comment, in characters.
pub const MAX_COMMENT: usize = 500;

/// 评价 A rating as typed.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(default)]
pub struct RatingInput {
    pub level: String,
    pub comment: String,
    /// Service ratings: who rates (the ticket's person rates a ticket).
    pub rater_name: String,
    pub phone: String,
}

/// `YYYY-MM` and `YYYY-MM-DD` of `ms` in county time (UTC+8).
pub fn month_and_day(ms: i64) -> (String, String) {
    let d = (clock::from_ms(ms) + chrono::Duration::hours(8)).date_naive();
    (format!("{:04}-{:02}", d.year(), d.month()), d.format("%Y-%m-%d").to_string())
}

fn level_and_comment(input: &RatingInput) -> Result<(i64, String), AppError> {
    let level: i64 = input
        .level
        .trim()
        .parse()
        .ok()
        .filter(|l| (1..=5).contains(l))
        .ok_or_else(|| bad("portal.rating_level", "请选择评价等级（非常满意到非常不满意）"))?;
    let comment = input.comment.trim().to_string();
    let n = comment.chars().count();
    if n > MAX_COMMENT {
        return Err(bad("portal.rating_comment", format!("评价内容不能超过 {MAX_COMMENT} 个字（现有 {n} 个）")));
    }
    if is_bad(level) && n < 4 {
        return Err(bad("portal.rating_comment", "给出不满意评价时，请写明不满意的原因（至少4个字），以便核实整改"));
    }
    Ok((level, comment))
}

/// The 差评 workflow's first state and deadline for a new rating, if it is a 差评.
fn start(env: Env<'_>, level: i64) -> (Option<&'static str>, Option<i64>, String) {
    if !is_bad(level) {
        return (None, None, String::new());
    }
    let (d, basis) = env.due(env.now_ms, "visit");
    (Some("visiting"), Some(d.due_at.timestamp_millis()), basis)
}

/// 一事一评 The person who asked rates their closed ticket, once.
pub async fn rate_ticket(env: Env<'_>, t: &Ticket, input: &RatingInput) -> Result<Rating, AppError> {
    if t.state != "closed" {
        return Err(AppError::conflict("portal.rating_not_closed", "工单办结后才能评价"));
    }
    if store::for_ticket(env.db, t.id).await?.is_some() {
        return Err(AppError::conflict("portal.rating_twice", "该工单已评价过，每件事只能评价一次"));
    }
    let (level, comment) = level_and_comment(input)?;
    let (month, day) = month_and_day(env.now_ms);
    let (state, due_at, due_basis) = start(env, level);
    let new = NewRating {
        county_code: t.county_code.clone(),
        code: tracking::tracking_code("PJ", 10),
        subject_kind: "ticket",
        subject_id: t.id,
        subject_title: t.title.clone(),
        org_id: t.handler_org_id.unwrap_or(t.receiver_org_id),
        level,
        comment,
        channel: "portal",
        anonymous: t.anonymous,
        rater_name: t.contact_name.clone(),
        phone_masked: t.phone_masked.clone(),
        phone_hash: t.phone_hash.clone(),
        phone_enc: t.phone_enc.clone(),
        month,
        day,
        state,
        due_at,
        due_basis,
        is_demo: false,
        now_ms: env.now_ms,
    };
    insert(env, &new).await
}

/// A service the portal lists, as a rating needs it.
pub struct RatedService {
    pub id: i64,
    pub county_code: String,
    pub title: String,
    pub org_id: i64,
}

/// 一次一评 A person rates a service: named, with a phone number (so that a 差评 can be
/// visited), once per service and day.
pub async fn rate_service(env: Env<'_>, s: &RatedService, input: &RatingInput) -> Result<Rating, AppError> {
    let (level, comment) = level_and_comment(input)?;
    let name = input.rater_name.split_whitespace().collect::<Vec<_>>().join(" ");
    if name.is_empty() || name.chars().count() > 50 {
        return Err(bad("portal.rating_name", "请填写评价人姓名（50字以内）"));
    }
    let phone = Phone::parse(input.phone.trim()).map_err(|e| bad("portal.rating_phone", format!("联系电话：{}", e.message)))?;
    let (month, day) = month_and_day(env.now_ms);
    let (state, due_at, due_basis) = start(env, level);
    let new = NewRating {
        county_code: s.county_code.clone(),
        code: tracking::tracking_code("PJ", 10),
        subject_kind: "service",
        subject_id: s.id,
        subject_title: s.title.clone(),
        org_id: s.org_id,
        level,
        comment,
        channel: "portal",
        anonymous: false,
        rater_name: name,
        phone_masked: phone.masked(),
        phone_hash: Some(env.pii.lookup_hash(phone.as_str())),
        phone_enc: Some(env.pii.encrypt(phone.as_str())),
        month,
        day,
        state,
        due_at,
        due_basis,
        is_demo: false,
        now_ms: env.now_ms,
    };
    insert(env, &new).await.map_err(|e| {
        if e.code == "portal.rating_twice" {
            AppError::conflict("portal.rating_twice", "您今天已评价过这项服务，每次服务只能评价一次")
        } else {
            e
        }
    })
}

async fn insert(env: Env<'_>, new: &NewRating) -> Result<Rating, AppError> {
    let mut tx = env.db.begin().await?;
    let id = match store::insert(&mut tx, new).await {
        Ok(id) => id,
        Err(sqlx::Error::Database(d)) if d.is_unique_violation() => {
            return Err(AppError::conflict("portal.rating_twice", "已评价过，每件事只能评价一次"));
        }
        Err(e) => return Err(e.into()),
    };
    audit::append(
        &mut tx,
        env.now_ms,
        &Change {
            county_code: &new.county_code,
            actor: &Actor::System("portal.rater"),
            action: "portal_rating.create",
            entity: ENTITY,
            entity_id: &id.to_string(),
            detail: serde_json::json!({
                "subject_kind": new.subject_kind, "subject_id": new.subject_id, "level": new.level, "org_id": new.org_id,
                "state": new.state, "due_at": new.due_at, "legal_basis": new.due_basis,
            }),
        },
    )
    .await?;
    let r = store::by_id_tx(&mut tx, id).await?.ok_or_else(|| AppError::internal("rating vanished"))?;
    tx.commit().await?;
    Ok(r)
}

/// 差评处置 What the department (or the county office) does, as typed.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(default)]
pub struct ActionInput {
    pub event: String,
    /// confirm / explain / appeal: what the visit found.
    pub visit_note: String,
    /// explain / rectify: the explanation or what was rectified.
    pub rectification: String,
    pub feedback: String,
    pub appeal_reason: String,
    pub review_note: String,
}

fn is_admin(u: &User) -> bool {
    u.has_role(Role::CountyAdmin) || u.has_role(Role::SystemAdmin)
}

/// Whether `u` may see and handle `r`: the department rated, or the county office.
pub fn can_handle(u: &User, r: &Rating) -> bool {
    u.county_code == r.county_code && (is_admin(u) || u.org_id == Some(r.org_id))
}

pub fn open_events(u: &User, r: &Rating) -> Vec<&'static qingfeng_platform::state::Transition> {
    let roles = u.role_list();
    MACHINE.events_from(r.state_key()).filter(|t| t.roles.iter().any(|x| roles.contains(x))).collect()
}

pub fn not_found(id: i64) -> AppError {
    AppError::not_found("portal.rating_not_found", format!("评价 {id} 不存在或不在您的职责范围内"))
}

fn need(code: &'static str, what: &str, raw: &str) -> Result<String, AppError> {
    let t = raw.trim().to_string();
    let n = t.chars().count();
    if n < 4 {
        return Err(bad(code, format!("请填写{what}（至少4个字）")));
    }
    if n > 1000 {
        return Err(bad(code, format!("{what}不能超过1000个字")));
    }
    Ok(t)
}

/// Act on 差评 `id`.
pub async fn act(env: Env<'_>, user: &User, id: i64, input: &ActionInput) -> Result<Rating, AppError> {
    let r = store::by_id(env.db, id).await?.filter(|r| can_handle(user, r)).ok_or_else(|| not_found(id))?;
    let from = r.state.clone().ok_or_else(|| AppError::conflict("portal.rating_not_bad", "只有差评才有处置流程"))?;
    let event = input.event.trim();
    MACHINE.next(&from, event)?;
    let now = env.now_ms;
    let mut sets: Vec<(&'static str, Arg)> = Vec::new();
    let mut detail = serde_json::Map::new();
    let due: Option<(Deadline, String)> = match event {
        "confirm" => {
            sets.push(("visit_note", need("portal.rating_visit", "回访核实情况", &input.visit_note)?.into()));
            sets.push(("verdict", "valid".into()));
            Some(rectify_due(env, &r))
        }
        "explain" => {
            sets.push(("visit_note", need("portal.rating_visit", "回访核实情况", &input.visit_note)?.into()));
            sets.push(("rectification", need("portal.rating_explain", "解释说明", &input.rectification)?.into()));
            sets.push(("verdict", "explained".into()));
            Some(env.due(now, "feedback"))
        }
        "appeal" => {
            sets.push(("visit_note", need("portal.rating_visit", "回访核实情况", &input.visit_note)?.into()));
            sets.push(("appeal_reason", need("portal.rating_appeal", "申诉理由", &input.appeal_reason)?.into()));
            sets.push(("verdict", "invalid".into()));
            Some(env.due(now, "review"))
        }
        "rectify" => {
            sets.push(("rectification", need("portal.rating_rectification", "整改情况", &input.rectification)?.into()));
            Some(env.due(now, "feedback"))
        }
        "feed_back" => {
            let f = need("portal.rating_feedback", "向评价人反馈的内容", &input.feedback)?;
            detail.insert("public_note".into(), f.clone().into());
            sets.push(("feedback", f.into()));
            sets.push(("closed_at", Arg::Int(now)));
            None
        }
        "uphold" => {
            sets.push(("review_note", need("portal.rating_review", "复核意见", &input.review_note)?.into()));
            sets.push(("excluded", Arg::Bool(true)));
            sets.push(("closed_at", Arg::Int(now)));
            None
        }
        "reject" => {
            sets.push(("review_note", need("portal.rating_review", "复核意见", &input.review_note)?.into()));
            sets.push(("verdict", "valid".into()));
            Some(rectify_due(env, &r))
        }
        other => return Err(AppError::conflict("state.illegal", format!("未知操作“{other}”"))),
    };
    let mut tx = env.db.begin().await?;
    let fired = MACHINE
        .apply(
            &mut tx,
            env.cal,
            Firing {
                county_code: &r.county_code,
                row_id: r.id,
                from: &from,
                event,
                actor: &actor_of(user),
                roles: &user.role_list(),
                now_ms: now,
                detail: serde_json::Value::Object(detail),
                due: due.clone(),
            },
        )
        .await?;
    let (due_at, basis) = match (fired.deadline, due) {
        (Some(d), Some((_, b))) => (Arg::Int(d.due_at.timestamp_millis()), b),
        _ => (Arg::NullInt, String::new()),
    };
    sets.push(("due_at", due_at));
    sets.push(("due_basis", basis.into()));
    sets.push(("overdue_at", Arg::NullInt));
    sets.push(("updated_at", Arg::Int(now)));
    let mut s = qingfeng_platform::sql::Sql::new("UPDATE portal_ratings SET ");
    s.set_all(sets).push(" WHERE id = ").bind(r.id);
    tx.execute_sql(&s).await?;
    let out = store::by_id_tx(&mut tx, r.id).await?.ok_or_else(|| not_found(r.id))?;
    tx.commit().await?;
    Ok(out)
}

/// The rectification deadline the rated department's authority sets (`rectify@机关名称`),
/// else the county default.
fn rectify_due(env: Env<'_>, r: &Rating) -> (Deadline, String) {
    let (p, basis) = limits().limit_for("rectify", &r.org_name);
    (qingfeng_core::due_date(clock::from_ms(env.now_ms), p, env.cal), basis)
}

/// 超期通报 Mark open 差评 past their deadline, once, in the audit chain.
pub async fn run_timers(db: &qingfeng_platform::db::Db, now_ms: i64, county: &str) -> Result<u64, AppError> {
    let mut n = 0;
    for r in store::overdue(db, county, now_ms).await? {
        let mut tx = db.begin().await?;
        let moved = tx
            .execute(
                "UPDATE portal_ratings SET overdue_at = $1 WHERE id = $2 AND overdue_at IS NULL AND state = $3",
                &[Arg::Int(now_ms), Arg::Int(r.id), r.state_key().into()],
            )
            .await?;
        if moved == 0 {
            continue;
        }
        audit::append(
            &mut tx,
            now_ms,
            &Change {
                county_code: county,
                actor: &Actor::System("portal.tickets.timers"),
                action: "portal_rating.overdue",
                entity: ENTITY,
                entity_id: &r.id.to_string(),
                detail: serde_json::json!({"state": r.state, "due_at": r.due_at, "basis": r.due_basis, "org": r.org_name}),
            },
        )
        .await?;
        tx.commit().await?;
        n += 1;
    }
    Ok(n)
}

/// 公布 Freeze `month`'s figures (a month already over) as published.
pub async fn publish_month(env: Env<'_>, user: &User, month: &str) -> Result<usize, AppError> {
    let ok =
        month.len() == 7 && month.as_bytes()[4] == b'-' && chrono::NaiveDate::parse_from_str(&format!("{month}-01"), "%Y-%m-%d").is_ok();
    if !ok {
        return Err(bad("portal.rating_month", "月份格式应为 YYYY-MM，如 2026-10"));
    }
    let (current, _) = month_and_day(env.now_ms);
    if month >= current.as_str() {
        return Err(bad("portal.rating_month_open", format!("{month} 尚未结束，月度结果须在次月公布")));
    }
    if !store::published(env.db, &user.county_code, month).await?.is_empty() {
        return Err(AppError::conflict("portal.rating_month_published", format!("{month} 的结果已公布，公布后不再更改")));
    }
    let rows = store::month_scores(env.db, &user.county_code, month).await?;
    if rows.is_empty() {
        return Err(bad("portal.rating_month_empty", format!("{month} 没有评价，无可公布")));
    }
    let mut tx = env.db.begin().await?;
    store::insert_month(&mut tx, &user.county_code, month, &rows, &user.username, env.now_ms).await?;
    audit::append(
        &mut tx,
        env.now_ms,
        &Change {
            county_code: &user.county_code,
            actor: &actor_of(user),
            action: "portal_rating.publish_month",
            entity: "portal_rating_month",
            entity_id: month,
            detail: serde_json::json!({"departments": rows.len(), "ratings": rows.iter().map(|r| r.ratings).sum::<i64>()}),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(rows.len())
}
