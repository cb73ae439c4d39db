//! 演示工单 A synthetic history of tickets and ratings for the demo county (each marked
//! 演示): requests over the last weeks in every state — some overdue, some rated, a few
//! 差评 at different steps — made through the real workflow, so the audit chain, the
//! deadlines and the figures are what real use would give. Titles are generic; no real
//! company or person is named.

use qingfeng_core::HolidayCalendar;
use qingfeng_platform::AppError;
use qingfeng_platform::audit::Actor;
use qingfeng_platform::auth::ALL_ROLES;
use qingfeng_platform::db::Db;
use qingfeng_platform::pii::Pii;
use qingfeng_platform::sql::{Arg, Sql};

use super::store;
use super::workflow::{self, ActionInput, Env, TicketInput};
use crate::ratings;

const DAY_MS: i64 = 86_400_000;

/// (kind, category, title, content)
const REQUESTS: &[(&str, &str, &str, &str)] = &[
    ("quick", "consult", "个体户经营范围变更怎么办（演示）", "想增加预包装食品销售，需要准备哪些材料？"),
    ("quick", "help", "厂区门前路灯损坏（演示）", "厂区门前道路路灯损坏多日，夜间货车进出不便。"),
    ("quick", "help", "申请开通天然气管道（演示）", "新建厂房需要接入天然气，不知向哪个单位申请。"),
    ("complaint", "complaint", "同一事项多次检查（演示）", "一个月内就同一事项被上门检查三次，影响生产。"),
    ("complaint", "complaint", "工程款拖欠（演示）", "承建的公共项目验收已满一年，尾款仍未支付。"),
    ("complaint", "suggestion", "建议延长窗口午间服务（演示）", "中午办事人多，建议窗口错时轮岗。"),
    ("quick", "consult", "食品经营许可证延续（演示）", "许可证下月到期，延续能否网上办理？"),
    ("complaint", "complaint", "停电未提前通知（演示）", "园区计划停电未提前通知，造成原料损失。"),
    ("quick", "help", "招工信息发布（演示）", "企业需要招聘50名普工，希望帮助对接。"),
    ("complaint", "praise", "表扬窗口工作人员（演示）", "登记窗口工作人员耐心细致，当天办结。"),
];

/// Demo tickets by how far they got: 0 received, 1 dispatched, 2 processing, 3 replied,
/// 4 closed and rated well, 5 closed with a 差评 verified, 6 closed with a 差评 rectified
/// and fed back.
fn stage_of(i: usize) -> usize {
    [4, 4, 3, 2, 6, 4, 1, 0, 5, 4, 2, 4][i % 12]
}

/// Load `count` synthetic tickets, once (nothing happens if demo tickets exist).
pub async fn load(db: &Db, pii: &Pii, cal: &HolidayCalendar, county: &str, now_ms: i64, count: usize) -> Result<usize, AppError> {
    let mut s = Sql::new("SELECT COUNT(*) FROM portal_tickets WHERE is_demo = ");
    s.bind(true);
    if count == 0 || s.fetch_i64(db).await? > 0 {
        return Ok(0);
    }
    let targets = store::dispatch_targets(db, county).await?;
    let depts: Vec<i64> = targets.iter().filter(|(_, n)| n.ends_with('局') || n.ends_with("委员会")).map(|(id, _)| *id).collect();
    if depts.is_empty() {
        return Ok(0);
    }
    let system = Actor::System("demo");
    let mut made = 0;
    for i in 0..count {
        let (kind, category, title, content) = REQUESTS[i % REQUESTS.len()];
        // Spread over the last 40 days, oldest first, so that later stages have had time.
        let start = now_ms - i64::try_from(count - i).unwrap_or(0) * 40 * DAY_MS / i64::try_from(count).unwrap_or(1).max(1);
        let at = |days: f64| start + (days * DAY_MS as f64) as i64;
        let env = |ms: i64| Env { db, cal, pii, now_ms: ms.min(now_ms) };
        let input = TicketInput {
            kind: kind.into(),
            category: category.into(),
            title: title.into(),
            content: content.into(),
            contact_name: format!("演示用户{:02}", i + 1),
            company: format!("清丰县演示企业{:02}（演示）", i % 7 + 1),
            phone: format!("1380000{:04}", 1000 + i),
            anonymous: if i % 5 == 3 { "on".into() } else { String::new() },
            ..Default::default()
        };
        let mut new = workflow::check(env(at(0.0)), county, &input, None).await?;
        new.is_demo = true;
        let mut t = workflow::create(env(at(0.0)), &new, &system).await?;
        let stage = stage_of(i);
        let go = |event: &str, extra: ActionInput| ActionInput { event: event.into(), ..extra };
        let dept = depts[i % depts.len()].to_string();
        let steps: Vec<(f64, ActionInput)> = vec![
            (0.3, go("dispatch", ActionInput { handler_org_id: dept, ..Default::default() })),
            (0.8, go("sign", ActionInput::default())),
            (3.0, go("reply", ActionInput { reply: "已核实并办理，具体情况已电话告知（演示）。".into(), ..Default::default() })),
            (
                3.5,
                go(
                    "revisit",
                    ActionInput {
                        resolved: "yes".into(), satisfied: "yes".into(), note: "电话回访（演示）".into(), ..Default::default()
                    },
                ),
            ),
        ];
        for (n, (day, action)) in steps.into_iter().enumerate() {
            if n >= stage.min(4) {
                break;
            }
            t = workflow::fire(env(at(day)), &t, &action.event.clone(), &action, &system, ALL_ROLES).await?;
        }
        if stage >= 4 {
            let (level, comment) = if stage == 4 { ("5", "办理及时（演示）") } else { ("2", "问题解决不彻底（演示）") };
            let input = ratings::workflow::RatingInput { level: level.into(), comment: comment.into(), ..Default::default() };
            let r = ratings::workflow::rate_ticket(env(at(4.0)), &t, &input).await?;
            db.execute("UPDATE portal_ratings SET is_demo = $1 WHERE id = $2", &[Arg::Bool(true), Arg::Int(r.id)]).await?;
            if stage == 6 {
                demo_rectify(db, pii, cal, r.id, at(5.0).min(now_ms)).await?;
            }
        }
        made += 1;
    }
    Ok(made)
}

/// Take a demo 差评 through verification, rectification and feedback as the county office.
async fn demo_rectify(db: &Db, pii: &Pii, cal: &HolidayCalendar, rating_id: i64, at_ms: i64) -> Result<(), AppError> {
    let Some(admin) = qingfeng_platform::users::by_username(db, "county").await? else { return Ok(()) };
    let env = Env { db, cal, pii, now_ms: at_ms };
    for (event, field) in
        [("confirm", "回访核实：情况属实（演示）"), ("rectify", "已整改（演示）"), ("feed_back", "已向评价人反馈整改结果（演示）")]
    {
        let input = ratings::workflow::ActionInput {
            event: event.into(),
            visit_note: field.into(),
            rectification: field.into(),
            feedback: field.into(),
            ..Default::default()
        };
        ratings::workflow::act(env, &admin, rating_id, &input).await?;
    }
    Ok(())
}
