//! 演示数据 Demo data: synthetic organisations and accounts on top of the real county
//! registry. Everything here is marked `is_demo` and shown with a 演示数据 badge; the
//! unified social credit codes are synthetic (valid check digits, made-up entities).

use qingfeng_core::{gb11714_check_char, uscc_check_char};
use qingfeng_platform::audit::Actor;
use qingfeng_platform::auth::Role;
use qingfeng_platform::config::Config;
use qingfeng_platform::pii::Pii;
use qingfeng_platform::registry::{NewOrg, ensure_org};
use qingfeng_platform::users::{self, NewUser};
use qingfeng_platform::{Clock, Db, on_db};

/// The password of every demo account (documented in the README, printed at start).
pub const DEMO_PASSWORD: &str = "qingfeng2026";

const COUNTY: &str = "410922";

/// County departments (县直部门) of a Henan county government.
const DEPARTMENTS: &[&str] = &[
    "清丰县发展和改革委员会",
    "清丰县教育局",
    "清丰县科学技术和工业信息化局",
    "清丰县公安局",
    "清丰县民政局",
    "清丰县司法局",
    "清丰县财政局",
    "清丰县人力资源和社会保障局",
    "清丰县自然资源局",
    "清丰县住房和城乡建设局",
    "清丰县交通运输局",
    "清丰县水利局",
    "清丰县农业农村局",
    "清丰县商务局",
    "清丰县文化广电和旅游局",
    "清丰县卫生健康委员会",
    "清丰县退役军人事务局",
    "清丰县应急管理局",
    "清丰县审计局",
    "清丰县市场监督管理局",
    "清丰县统计局",
    "清丰县医疗保障局",
    "清丰县城市管理局",
    "清丰县行政审批和政务信息管理局",
    "国家税务总局清丰县税务局",
    "濮阳市生态环境局清丰分局",
];

/// Tribunals named after their townships (only 城关法庭 is real; it is in the registry).
const TRIBUNALS: &[(&str, &str)] = &[
    ("清丰县人民法院马庄桥法庭", "410922101"),
    ("清丰县人民法院仙庄法庭", "410922103"),
    ("清丰县人民法院韩村法庭", "410922105"),
    ("清丰县人民法院六塔法庭", "410922200"),
    ("清丰县人民法院古城法庭", "410922205"),
];

const MEDIATION: &[&str] = &[
    "清丰县医疗纠纷人民调解委员会",
    "清丰县道路交通事故纠纷人民调解委员会",
    "清丰县劳动人事争议调解中心",
    "清丰县婚姻家庭纠纷人民调解委员会",
    "清丰县物业纠纷人民调解委员会",
    "清丰县消费纠纷人民调解委员会",
    "清丰县行政争议调解中心",
];

const BANKS: &[&str] = &[
    "中国农业银行清丰县支行",
    "中国工商银行清丰支行",
    "中国建设银行清丰支行",
    "中国银行清丰支行",
    "中国邮政储蓄银行清丰县支行",
    "河南清丰农村商业银行",
    "中原银行清丰支行",
    "濮阳银行清丰支行",
];

/// A synthetic but valid unified social credit code: `prefix2` + 410922 + a made-up
/// organisation code with its GB 11714 check + the GB 32100 check.
pub fn synthetic_uscc(prefix2: &str, serial: u32) -> String {
    let body = format!("MA{:06}", 100_000 + serial);
    let org_check = gb11714_check_char(&body).unwrap_or('0');
    let first17 = format!("{prefix2}{COUNTY}{body}{org_check}");
    let check = uscc_check_char(&first17).unwrap_or('0');
    format!("{first17}{check}")
}

/// A demo account to create.
struct DemoUser {
    username: &'static str,
    name: &'static str,
    role: Role,
    scope: &'static str,
    org: Option<&'static str>,
    id_number: Option<&'static str>,
}

const USERS: &[DemoUser] = &[
    DemoUser { username: "admin", name: "系统管理员（演示）", role: Role::SystemAdmin, scope: COUNTY, org: None, id_number: None },
    DemoUser {
        username: "county",
        name: "县级管理员（演示）",
        role: Role::CountyAdmin,
        scope: COUNTY,
        org: Some("清丰县人民政府"),
        id_number: None,
    },
    DemoUser {
        username: "credit",
        name: "信用办（演示）",
        role: Role::CreditOfficer,
        scope: COUNTY,
        org: Some("清丰县发展和改革委员会"),
        id_number: None,
    },
    DemoUser {
        username: "scjg",
        name: "市场监管局（演示）",
        role: Role::DeptStaff,
        scope: COUNTY,
        org: Some("清丰县市场监督管理局"),
        id_number: None,
    },
    DemoUser {
        username: "chengguan",
        name: "城关镇（演示）",
        role: Role::TownshipStaff,
        scope: "410922100",
        org: Some("城关镇人民政府"),
        id_number: None,
    },
    DemoUser {
        username: "liuta",
        name: "六塔乡（演示）",
        role: Role::TownshipStaff,
        scope: "410922200",
        org: Some("六塔乡人民政府"),
        id_number: None,
    },
    DemoUser {
        username: "grid01",
        name: "网格员张（演示）",
        role: Role::GridWorker,
        scope: "410922100201",
        org: Some("城关镇人民政府"),
        id_number: Some("410922195001010013"),
    },
    DemoUser {
        username: "mediator",
        name: "调解员李（演示）",
        role: Role::Mediator,
        scope: COUNTY,
        org: Some("清丰县婚姻家庭纠纷人民调解委员会"),
        id_number: Some("41092219450315002X"),
    },
    DemoUser {
        username: "tjcg",
        name: "城关镇调委会调解员王（演示）",
        role: Role::Mediator,
        scope: "410922100",
        org: Some("城关镇人民政府"),
        id_number: None,
    },
    DemoUser {
        username: "judge",
        name: "城关法庭法官（演示）",
        role: Role::TribunalJudge,
        scope: "410922100",
        org: Some("清丰县人民法院城关法庭"),
        id_number: None,
    },
    DemoUser {
        username: "bank",
        name: "农行客户经理（演示）",
        role: Role::BankOfficer,
        scope: COUNTY,
        org: Some("中国农业银行清丰县支行"),
        id_number: None,
    },
    DemoUser {
        username: "care",
        name: "养老服务（演示）",
        role: Role::CareStaff,
        scope: "410922100",
        org: Some("清丰县社会福利中心"),
        id_number: None,
    },
];

/// Load the demo organisations and accounts (idempotent).
///
/// Refused on a database that already has real (non-demo) accounts: the demo accounts
/// share one published password, so they must never appear in a real installation.
pub async fn load(db: &Db, pii: &Pii, _cfg: &Config, clock: &Clock) -> anyhow::Result<()> {
    let real: i64 = on_db!(db, |p| sqlx::query_scalar("SELECT COUNT(*) FROM users WHERE NOT is_demo").fetch_one(p).await)?;
    if real > 0 {
        anyhow::bail!(
            "数据库中已有 {real} 个正式（非演示）账号，拒绝加载演示数据：--demo 只能用于演示库或空库，\
             以免正式环境出现使用公开演示密码的账号。请去掉 --demo，或换一个新的数据目录/数据库来演示。\
             (--demo only runs on a demo or empty database)"
        );
    }
    let actor = Actor::System("demo");
    let now = clock.now_ms();
    let mut tx = db.begin().await?;
    let mut serial = 0u32;
    let mut org = |kind: &'static str, name: String, division: &'static str, prefix: &'static str, with_code: bool, note: &'static str| {
        serial += 1;
        (kind, name, division, with_code.then(|| synthetic_uscc(prefix, serial)), note)
    };
    let mut orgs = Vec::new();
    for d in DEPARTMENTS {
        orgs.push(org("department", (*d).to_string(), COUNTY, "11", true, "演示数据：代码为合成"));
    }
    for (t, div) in TRIBUNALS {
        orgs.push(org("tribunal", (*t).to_string(), div, "11", false, "演示数据：法庭名称按乡镇拟定"));
    }
    for m in MEDIATION {
        orgs.push(org("mediation", (*m).to_string(), COUNTY, "51", true, "演示数据"));
    }
    for b in BANKS {
        orgs.push(org("bank", (*b).to_string(), COUNTY, "91", true, "演示数据：代码为合成"));
    }
    orgs.push(org("care_home", "清丰县社会福利中心".to_string(), "410922100", "12", true, "演示数据"));
    let towns: Vec<(String, String)> =
        qingfeng_platform::registry::children(db, COUNTY).await?.into_iter().map(|d| (d.code, d.name)).collect();
    let mut care = Vec::new();
    for (code, name) in &towns {
        care.push(("care_home", format!("{name}敬老院"), code.clone()));
    }
    let communities = qingfeng_platform::registry::children(db, "410922100").await?;
    for c in communities.iter().filter(|c| c.kind == "居委会") {
        care.push(("day_care", format!("{}日间照料中心", c.name.trim_end_matches("居委会")), "410922100".to_string()));
    }
    for (kind, name, division, uscc, note) in &orgs {
        ensure_org(
            &mut tx,
            &NewOrg {
                county_code: COUNTY,
                division_code: division,
                kind,
                name,
                uscc: uscc.as_deref(),
                parent_id: None,
                is_demo: true,
                note,
            },
            &actor,
            now,
        )
        .await?;
    }
    for (kind, name, division) in &care {
        ensure_org(
            &mut tx,
            &NewOrg {
                county_code: COUNTY,
                division_code: division,
                kind,
                name,
                uscc: None,
                parent_id: None,
                is_demo: true,
                note: "演示数据",
            },
            &actor,
            now,
        )
        .await?;
    }
    tx.commit().await?;

    for u in USERS {
        if users::by_username(db, u.username).await?.is_some() {
            continue;
        }
        let org_id = match u.org {
            Some(name) => org_id(db, name).await?,
            None => None,
        };
        let new = NewUser {
            county_code: COUNTY,
            username: u.username,
            display_name: u.name,
            password: DEMO_PASSWORD,
            org_id,
            scope_division: u.scope,
            roles: &[u.role],
            phone: "",
            id_number: u.id_number,
            must_change_password: false,
            is_demo: true,
        };
        users::create(db, pii, &new, &actor, now).await?;
    }
    // The demo mediators in the register, with their specialities (演示数据).
    let mut tx = db.begin().await?;
    for (username, title, specialities) in [
        ("mediator", "专职人民调解员（演示）", &["marriage_family", "neighbour"][..]),
        ("tjcg", "乡镇调委会调解员（演示）", &["neighbour", "homestead", "contract", "village_affairs"][..]),
    ] {
        if let Some(u) = users::by_username(db, username).await? {
            let keys: Vec<String> = specialities.iter().map(|s| (*s).to_string()).collect();
            qingfeng_mediation::store::set_mediator(&mut tx, COUNTY, u.id, title, &keys, true, now).await?;
        }
    }
    tx.commit().await?;
    // The demo grid worker looks after the grid of the village in their scope.
    if let Some(worker) = users::by_username(db, "grid01").await? {
        let scope = qingfeng_platform::auth::Scope::everything();
        let params = qingfeng_platform::listing::ListParams::parse(&Default::default(), qingfeng_platform::registry::GRID_SORT, "code")?;
        let grids = qingfeng_platform::registry::list_grids(db, &scope, Some(&worker.scope_division), &params).await?;
        if let Some(g) = grids.items.first()
            && g.worker_user_id.is_none()
        {
            qingfeng_platform::registry::assign_grid_worker(db, &scope, g.id, Some(worker.id), &actor, now).await?;
        }
    }
    qingfeng_portal::departments::demo::load(db, COUNTY, now).await?;
    qingfeng_portal::services::demo::load(db, COUNTY, now).await?;
    qingfeng_portal::content::demo::load_all(db, COUNTY, clock).await?;
    qingfeng_portal::surveys::demo::load(db, COUNTY, now).await?;
    qingfeng_portal::lists::demo::load(db, COUNTY, now).await?;
    Ok(())
}

async fn org_id(db: &Db, name: &str) -> anyhow::Result<Option<i64>> {
    let scope = qingfeng_platform::auth::Scope::everything();
    let raw = qingfeng_platform::listing::ListQuery { q: Some(name.to_string()), ..Default::default() };
    let params = qingfeng_platform::listing::ListParams::parse(&raw, qingfeng_platform::registry::ORG_SORT, "id")?;
    let page = qingfeng_platform::registry::list_orgs(db, &scope, None, &params).await?;
    Ok(page.items.into_iter().find(|o| o.name == name).map(|o| o.id))
}

/// A synthetic history of mediation cases (each marked 演示数据), so that the lists and
/// the figures have something to show; loaded once.
pub async fn load_mediation(db: &Db, clock: &Clock, cases: u64) -> anyhow::Result<()> {
    let existing: i64 = on_db!(db, |p| sqlx::query_scalar("SELECT COUNT(*) FROM mediation_cases WHERE is_demo").fetch_one(p).await)?;
    if existing > 0 || cases == 0 {
        return Ok(());
    }
    let opts = qingfeng_mediation::generate::GenOptions::new(COUNTY, cases, clock.now_ms());
    qingfeng_mediation::generate::generate(db, &opts, &|_| {}).await?;
    Ok(())
}

/// Synthetic credit records of the demo county (marked 合成演示数据), loaded through
/// the real import pipeline once, when the credit tables are empty.
pub async fn load_credit(db: &Db, pii: &Pii, cfg: &Config, clock: &Clock, records_per_kind: u64) -> anyhow::Result<()> {
    use qingfeng_credit::generate::{GenOptions, write_csv};
    use qingfeng_credit::ingest::{self, Collect};
    use qingfeng_credit::model::RecordKind;
    let (records, _) = qingfeng_credit::store::totals(db, COUNTY).await?;
    if records > 0 || records_per_kind == 0 {
        return Ok(());
    }
    let calendar = std::sync::Arc::new(qingfeng_platform::calendar::load(db).await?);
    let market_regulation = ingest::market_regulation_departments(db).await?;
    for kind in [RecordKind::Xk, RecordKind::Cf] {
        let mut csv = Vec::new();
        write_csv(&mut csv, &GenOptions { seed: 2026, ..GenOptions::new(kind, records_per_kind) })?;
        let req = ingest::Request {
            county_code: cfg.county_code.clone(),
            kind: kind.into(),
            source_dept: None,
            file_name: format!("demo-{}.csv", kind.key()),
            format: ingest::reader::Format::Csv,
            door: "demo",
            actor: Actor::System("demo"),
            lenient_uscc: false,
            today: clock.today(),
            market_regulation: market_regulation.clone(),
            calendar: calendar.clone(),
            clock: clock.clone(),
        };
        let mut sink = Collect::default();
        let sum = ingest::run(db, pii, &req, Box::new(std::io::Cursor::new(csv)), &mut sink, &mut |_| {}).await?;
        tracing::info!(kind = kind.key(), stored = sum.stored, "demo credit records loaded");
    }
    qingfeng_portal::exposure::demo::load_listed(db, COUNTY, clock).await?;
    demo_listed_person(db, pii, cfg, clock).await
}

/// 演示失信被执行人 A synthetic person on the 失信被执行人 list, so the public page that
/// the law allows (name + masked ID + the list entry) and `/credit/me` can be tried.
pub const DEMO_PERSON_NAME: &str = "赵演示";
/// The synthetic ID number of DOMAIN.md §2.2 (valid check digit, not a real person).
pub const DEMO_PERSON_ID: &str = "410922195001010013";

async fn demo_listed_person(db: &Db, pii: &Pii, cfg: &Config, clock: &Clock) -> anyhow::Result<()> {
    use qingfeng_credit::ingest::SubjectCode;
    use qingfeng_credit::store::{self, NewListEntry, NewSubject};
    let county = cfg.county_code.as_str();
    let hash = pii.lookup_hash(DEMO_PERSON_ID);
    let enc = pii.encrypt(DEMO_PERSON_ID);
    let subject = NewSubject {
        county,
        key_hash: SubjectCode::Person(&hash).key(county),
        kind: "natural",
        name: DEMO_PERSON_NAME,
        uscc: None,
        id_hash: Some(&hash),
        id_enc: Some(&enc),
    };
    let now = clock.now_ms();
    let subject_id = store::ensure_subject(db, &subject, now).await?;
    let listed_on = (clock.today() - chrono::Days::new(30)).to_string();
    let entry = NewListEntry {
        county,
        list_kind: "dishonest_debtor",
        subject_id,
        basis: "有履行能力而拒不履行生效法律文书确定义务（合成演示数据）",
        authority: "清丰县人民法院（演示）",
        source_ref: "（演示）(2026)豫0922执1号",
        listed_on: &listed_on,
        ends_on: None,
    };
    store::add_list_entry(db, &entry, &Actor::System("demo"), now).await?;
    Ok(())
}

/// The lines `serve --demo` prints so a newcomer can sign in.
pub fn accounts_banner() -> String {
    let mut s = format!("演示账号（密码均为 {DEMO_PASSWORD}）/ demo accounts (password {DEMO_PASSWORD}):\n");
    for u in USERS {
        s.push_str(&format!("  {:<10} {} · {}\n", u.username, u.role.zh(), u.name));
    }
    s.push_str(&format!(
        "演示自然人 / demo person (失信被执行人, /credit/me): {DEMO_PERSON_NAME} {DEMO_PERSON_ID}（合成数据 synthetic）\n"
    ));
    s
}

#[cfg(test)]
mod tests {
    #[test]
    fn synthetic_codes_are_valid() {
        for i in 0..50 {
            let c = super::synthetic_uscc("91", i);
            assert!(qingfeng_core::Uscc::parse(&c).is_ok(), "{c}");
        }
    }
}
