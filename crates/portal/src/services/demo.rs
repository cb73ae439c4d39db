//! 演示数据 A handful of synthetic service guides for a few demo departments, marked
//! 演示 in their names and `is_demo`. Their details (time limits, materials, steps) are
//! made up for the demo and say so; they are not any department's official guide. The
//! numbers are `0393-1000xxx`, which reach nobody (see [`crate::departments::demo`]).

use qingfeng_core::HolidayCalendar;
use qingfeng_platform::AppError;
use qingfeng_platform::audit::Actor;
use qingfeng_platform::auth::ALL_ROLES;
use qingfeng_platform::db::Db;
use qingfeng_platform::state::Firing;

use super::{GuideInput, MACHINE, store};
use crate::departments::store as dept_store;

/// (department, name, type, handling, legal days, promised days, visits, forms, materials, result, phone)
type DemoGuide =
    (&'static str, &'static str, &'static str, &'static str, i64, i64, i64, &'static str, &'static str, &'static str, &'static str);

const GUIDES: &[DemoGuide] = &[
    (
        "清丰县市场监督管理局",
        "个体工商户设立登记（演示）",
        "01",
        "immediate",
        15,
        0,
        0,
        "online,post",
        "登记申请书｜纸质+电子｜1｜必要\n经营者身份证明｜电子｜1｜必要\n经营场所使用证明｜纸质｜1｜非必要",
        "营业执照",
        "0393-1000102",
    ),
    (
        "清丰县市场监督管理局",
        "食品经营许可（演示）",
        "01",
        "promised",
        20,
        5,
        1,
        "window,online",
        "食品经营许可申请书｜纸质｜1｜必要\n经营场所平面图｜纸质｜1｜必要\n食品安全管理制度｜电子｜1｜必要",
        "食品经营许可证",
        "0393-1000102",
    ),
    (
        "清丰县市场监督管理局",
        "消费投诉受理（演示）",
        "20",
        "promised",
        7,
        5,
        0,
        "online,post",
        "投诉书｜电子｜1｜必要\n购物凭证｜电子｜1｜非必要",
        "",
        "0393-1000103",
    ),
    ("清丰县行政审批和政务信息管理局", "政务服务事项咨询（演示）", "20", "immediate", 1, 0, 0, "online", "", "", "0393-1000202"),
    (
        "清丰县行政审批和政务信息管理局",
        "帮办代办服务（演示）",
        "20",
        "promised",
        10,
        3,
        1,
        "window",
        "代办委托书｜纸质｜1｜必要\n申请人身份证明｜纸质｜1｜必要",
        "",
        "0393-1000202",
    ),
    (
        "清丰县人力资源和社会保障局",
        "就业创业证申领（演示）",
        "20",
        "immediate",
        5,
        0,
        0,
        "online,post",
        "申领登记表｜电子｜1｜必要\n身份证明｜电子｜1｜必要",
        "就业创业证",
        "0393-1000301",
    ),
    (
        "清丰县人力资源和社会保障局",
        "职业技能培训报名（演示）",
        "20",
        "promised",
        10,
        3,
        0,
        "online",
        "报名表｜电子｜1｜必要",
        "",
        "0393-1000301",
    ),
    ("清丰县医疗保障局", "异地就医备案（演示）", "20", "immediate", 5, 0, 0, "online", "备案申请表｜电子｜1｜必要", "", "0393-1000401"),
    (
        "清丰县医疗保障局",
        "医疗费用手工报销（演示）",
        "05",
        "promised",
        30,
        20,
        1,
        "window,post",
        "医疗费用票据｜纸质｜1｜必要\n费用明细清单｜纸质｜1｜必要\n出院记录｜纸质｜1｜必要\n银行账户信息｜纸质｜1｜非必要",
        "",
        "0393-1000401",
    ),
];

/// Load the demo guides, published, once (when there are none yet). Returns how many.
pub async fn load(db: &Db, county: &str, now_ms: i64) -> Result<usize, AppError> {
    if store::has_demo(db).await? {
        return Ok(0);
    }
    let actor = Actor::System("demo");
    let cal = HolidayCalendar::builtin();
    let mut n = 0;
    for (dept, name, task_type, handling, legal, promised, visits, forms, materials, result, phone) in GUIDES {
        let Some(d) = dept_store::by_name(db, county, dept).await? else { continue };
        let has = |k: &str| if forms.split(',').any(|f| f == k) { "on".to_string() } else { String::new() };
        let guide = GuideInput {
            org_id: d.org_id.to_string(),
            name: (*name).to_string(),
            task_type: (*task_type).to_string(),
            handling_kind: (*handling).to_string(),
            legal_days: legal.to_string(),
            promised_days: promised.to_string(),
            conditions:
                "（演示数据）申请人符合相关法律法规规定的条件。\n（演示数据）本指南为演示示例，办事请以实施部门公布的正式指南为准。".into(),
            materials: (*materials).to_string(),
            process: "申请：网上或窗口提交材料\n受理：材料齐全、符合法定形式的予以受理\n审查：按规定审查\n办结：出具办理结果并送达".into(),
            form_window: has("window"),
            form_online: has("online"),
            form_post: has("post"),
            visits: visits.to_string(),
            visit_reason: if *visits > 0 { "（演示）需现场核验原件".into() } else { String::new() },
            result_name: (*result).to_string(),
            result_kind: String::new(),
            charged: "no".into(),
            fee_basis: String::new(),
            place: "清丰县（演示地址）政务服务中心".into(),
            hours: "工作日 8:30—12:00，14:30—17:30（演示）".into(),
            phone: (*phone).to_string(),
            supervision: "（演示）可通过本平台“企业家维权投诉”反映".into(),
        }
        .check()?;
        let mut tx = db.begin().await?;
        let id = store::insert(&mut tx, county, &guide, true, "demo", now_ms).await?;
        MACHINE
            .apply(
                &mut tx,
                &cal,
                Firing {
                    county_code: county,
                    row_id: id,
                    from: super::DRAFT,
                    event: "publish",
                    actor: &actor,
                    roles: ALL_ROLES,
                    now_ms,
                    detail: serde_json::json!({"demo": true}),
                    due: None,
                },
            )
            .await?;
        store::mark_published(&mut tx, id, now_ms).await?;
        tx.commit().await?;
        n += 1;
    }
    Ok(n)
}
