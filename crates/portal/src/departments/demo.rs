//! 演示数据 Demo profiles for a few of the demo county departments. The text is
//! synthetic — a generic description written for the demo, marked 演示 —, not any
//! department's official 三定 duties; the office numbers use local numbers beginning with
//! 1 (`0393-1000xxx`), which are not allocated to fixed lines, so they reach nobody.

use qingfeng_platform::AppError;
use qingfeng_platform::db::Db;

use super::{ProfileInput, store};

/// (department, duties paragraphs, address, phone, office lines)
const PROFILES: &[(&str, &[&str], &str, &str, &str)] = &[
    (
        "清丰县市场监督管理局",
        &[
            "（演示数据）负责本县市场主体登记注册和信用监管的组织实施。",
            "（演示数据）负责食品、药品、特种设备和产品质量的监督管理，承担消费者权益保护和投诉举报受理工作。",
            "（演示数据）负责计量、标准化和知识产权相关工作的组织实施。",
        ],
        "清丰县（演示地址）市场监管综合楼",
        "0393-1000101",
        "登记注册股 0393-1000102\n投诉举报 0393-1000103",
    ),
    (
        "清丰县行政审批和政务信息管理局",
        &[
            "（演示数据）负责县政务服务中心的运行管理，推进“一窗受理、集成服务”。",
            "（演示数据）负责划转事项的行政审批和政务服务事项标准化工作。",
        ],
        "清丰县（演示地址）政务服务中心",
        "0393-1000201",
        "综合受理窗口 0393-1000202",
    ),
    (
        "清丰县人力资源和社会保障局",
        &["（演示数据）负责本县就业创业服务、社会保险经办和劳动关系协调工作。", "（演示数据）负责人才服务和职业技能培训的组织实施。"],
        "清丰县（演示地址）人社服务大厅",
        "0393-1000301",
        "",
    ),
    (
        "清丰县医疗保障局",
        &["（演示数据）负责本县医疗保险、生育保险和医疗救助的经办管理。", "（演示数据）负责定点医药机构协议管理和医保基金监管。"],
        "清丰县（演示地址）医保服务大厅",
        "0393-1000401",
        "",
    ),
];

/// Load the demo profiles where the department has none (idempotent). Returns how many
/// were stored.
pub async fn load(db: &Db, county: &str, now_ms: i64) -> Result<usize, AppError> {
    let mut n = 0;
    for (name, duties, address, phone, contacts) in PROFILES {
        let Some(d) = store::by_name(db, county, name).await? else { continue };
        if d.has_profile() {
            continue;
        }
        let profile = ProfileInput {
            duties: duties.join("\n"),
            address: (*address).to_string(),
            office_hours: "工作日 8:30—12:00，14:30—17:30（演示）".to_string(),
            phone: (*phone).to_string(),
            contacts: (*contacts).to_string(),
        }
        .check()?;
        let mut tx = db.begin().await?;
        store::save(&mut tx, county, d.org_id, &profile, true, "demo", now_ms).await?;
        tx.commit().await?;
        n += 1;
    }
    Ok(n)
}
