//! 演示文章 A handful of synthetic articles for the demo county, each marked 演示 in its
//! title and `is_demo`: fictional events, no real people or companies. Loaded once (when no
//! demo article exists), published through the state machine like any article.

use qingfeng_core::HolidayCalendar;
use qingfeng_platform::AppError;
use qingfeng_platform::audit::Actor;
use qingfeng_platform::auth::Role;
use qingfeng_platform::db::Db;
use qingfeng_platform::state::Firing;

use super::store::{self, Author, Facts};
use super::{Channel, CheckedDraft, DRAFT, MACHINE, REVIEW};

/// (channel, category, title, summary, body, days ago)
const ARTICLES: &[(Channel, &str, &str, &str, &str, i64)] = &[
    (
        Channel::News,
        "work",
        "县营商办召开政企恳谈会（演示）",
        "围绕办事堵点听取企业意见，现场交办问题清单。",
        "本文为演示数据，所述活动与人物均为虚构。\n县优化营商环境工作办公室邀请部分企业代表座谈，听取企业在开办、报建、用水用电等方面遇到的问题。\n会上梳理出问题清单，逐项明确牵头部门和办理时限，办理结果将通过“营商环境直通车”向企业反馈。",
        1,
    ),
    (
        Channel::News,
        "policy",
        "涉企收费：清单之外一律不得收费（演示）",
        "收费项目以公布的收费清单为准，清单外收费可一键投诉。",
        "本文为演示数据。\n涉企收费实行目录清单管理，清单之外一律不得收费。\n企业遇到清单外收费，可在“收费清单”中一键发起投诉，由首接部门负责办理并限时答复。",
        3,
    ),
    (
        Channel::News,
        "notice",
        "关于开展营商环境满意度问卷调查的通知（演示）",
        "",
        "本文为演示数据。\n为了解企业对政务服务的评价，现开展营商环境满意度问卷调查，欢迎企业和群众通过“问卷调查”模块参与。",
        6,
    ),
    (
        Channel::Cases,
        "credit",
        "某建材公司完成信用修复 重新参与招投标（演示）",
        "履行处罚义务、作出信用承诺后，行政处罚信息提前终止公示。",
        "本文为演示数据，企业为虚构。\n某建材公司因未按规定标注产品信息受到行政处罚，公示期间参与招投标受限。\n企业缴纳罚款、完成整改，并作出公开信用承诺后，经最短公示期申请信用修复。\n认定部门审核通过后，该处罚信息终止公示，企业恢复正常参与招投标。",
        2,
    ),
    (
        Channel::Cases,
        "mediation",
        "网格员上门调解 一起货款纠纷诉前化解（演示）",
        "网格发现、村调委会调解、法庭司法确认，十日内化解。",
        "本文为演示数据，当事人为虚构。\n网格员走访时发现两家商户因货款结算发生争执，当即上报矛盾纠纷。\n村人民调解委员会组织双方协商，达成分期付款的调解协议。\n双方共同申请司法确认，人民法庭依法确认协议有效，纠纷在诉前化解。",
        4,
    ),
    (
        Channel::Cases,
        "service",
        "小事快办：窗口一次办结企业变更登记（演示）",
        "",
        "本文为演示数据。\n企业通过“小事快办”反映变更登记材料不清楚的问题，首接部门当日回复材料清单。\n企业按清单准备材料后到窗口一次办结。",
        5,
    ),
];

/// 演示内容 The portal's demo content of this room: the articles and the exposure
/// board's hand entry (the listed enterprise comes with the credit demo,
/// [`crate::exposure::demo::load_listed`]). Idempotent.
pub async fn load_all(db: &Db, county: &str, clock: &qingfeng_platform::Clock) -> Result<(), AppError> {
    let cal = qingfeng_platform::calendar::load(db).await?;
    load(db, &cal, county, clock.now_ms()).await?;
    crate::exposure::demo::load_hand(db, county, clock.today(), clock.now_ms()).await
}

/// Load the demo articles once. Returns how many were added.
pub async fn load(db: &Db, cal: &HolidayCalendar, county: &str, now_ms: i64) -> Result<usize, AppError> {
    if store::has_demo(db).await? {
        return Ok(0);
    }
    let actor = Actor::System("demo");
    let roles = [Role::SystemAdmin];
    for (channel, category, title, summary, body, days) in ARTICLES {
        let at = now_ms - days * 24 * 3_600_000;
        let d = CheckedDraft {
            channel: *channel,
            category: (*category).into(),
            title: (*title).into(),
            summary: (*summary).into(),
            body: (*body).into(),
            source: "清丰县优化营商环境工作办公室（演示）".into(),
        };
        let mut tx = db.begin().await?;
        let id = store::insert(&mut tx, county, &d, &Author { id: 0, name: "演示数据" }, true, at).await?;
        for (from, event) in [(DRAFT, "submit"), (REVIEW, "approve")] {
            let f = Firing {
                county_code: county,
                row_id: id,
                from,
                event,
                actor: &actor,
                roles: &roles,
                now_ms: at,
                detail: serde_json::json!({"demo": true}),
                due: None,
            };
            MACHINE.apply(&mut tx, cal, f).await?;
        }
        let facts = Facts { publish_at: Some(at), published_at: Some(at), reviewer_name: Some("演示数据"), ..Facts::default() };
        store::set_facts(&mut tx, id, &facts, at).await?;
        tx.commit().await?;
    }
    Ok(ARTICLES.len())
}
