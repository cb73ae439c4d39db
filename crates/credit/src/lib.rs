//! 社会信用信息平台 The credit platform of Qingfeng: collecting the public credit records
//! of every department (归集), one profile per subject, and (in later steps) publicity
//! windows, lookup, lists and reports.
//!
//! Rooms: [`model`] (domain types), [`rules`] (pure rules with legal basis),
//! [`ingest`] (the import pipeline), [`index`] (subjects in the search index), [`store`] (SQL), [`generate`] (synthetic data).

pub mod bench;
pub mod generate;
pub mod index;
pub mod ingest;
pub mod model;
pub mod realname;
pub mod rules;
pub mod store;
pub mod web;

use std::sync::Arc;

use qingfeng_platform::auth::{Permission, Role};
use qingfeng_platform::jobs::{Every, JobContext, JobError, JobFuture, JobHandler, Recurring};
use qingfeng_platform::web::{AppState, ConsoleLink, Module};

/// 归集导入 Send credit records (upload page, push API).
pub const PERM_IMPORT: Permission = Permission {
    key: "credit.import",
    zh: "报送信用信息",
    en: "Send credit records",
    roles: &[Role::SystemAdmin, Role::CountyAdmin, Role::CreditOfficer, Role::DeptStaff],
};

/// 数据质量 See what departments sent, their rejected share and 双公示 timeliness.
pub const PERM_QUALITY: Permission = Permission {
    key: "credit.quality",
    zh: "查看归集数据质量",
    en: "View data quality",
    roles: &[Role::SystemAdmin, Role::CountyAdmin, Role::CreditOfficer, Role::DeptStaff],
};

/// 联合奖惩核查 Ask which lists a subject is on (other systems' touchpoints, banks).
pub const PERM_CHECK: Permission = Permission {
    key: "credit.check",
    zh: "联合奖惩核查",
    en: "Joint incentive and punishment check",
    roles: &[Role::SystemAdmin, Role::CountyAdmin, Role::CreditOfficer, Role::DeptStaff, Role::BankOfficer],
};

/// 全量查看 See every record of a subject, in publicity or not, and persons.
pub const PERM_READ_ALL: Permission = Permission {
    key: "credit.read_all",
    zh: "查看全部信用记录",
    en: "Read all credit records",
    roles: &[Role::SystemAdmin, Role::CountyAdmin, Role::CreditOfficer],
};

/// The permissions this module declares.
pub mod perms {
    use qingfeng_platform::auth::Permission;
    pub const ALL: &[Permission] = &[super::PERM_IMPORT, super::PERM_QUALITY, super::PERM_CHECK, super::PERM_READ_ALL];
}

/// 常住人口 The county's population for "records per resident": 70.18万 (2014), DOMAIN.md §1 [V].
pub const COUNTY_POPULATION: i64 = 701_800;

const LINKS: &[ConsoleLink] = &[
    ConsoleLink { href: "/console/credit/imports", zh: "信用信息归集", en: "Credit imports", permission: &PERM_IMPORT },
    ConsoleLink { href: "/console/credit/quality", zh: "归集数据质量", en: "Data quality", permission: &PERM_QUALITY },
    ConsoleLink { href: "/console/credit/subjects", zh: "信用主体查询", en: "Credit subjects", permission: &PERM_READ_ALL },
];

/// The credit platform as a module of the server.
pub struct CreditModule;

impl Module for CreditModule {
    fn system(&self) -> &'static str {
        "credit"
    }
    fn permissions(&self) -> &'static [Permission] {
        perms::ALL
    }
    fn routes(&self) -> axum::Router<AppState> {
        web::routes()
    }
    fn console_links(&self) -> &'static [ConsoleLink] {
        LINKS
    }
    fn jobs(&self) -> Vec<Arc<dyn JobHandler>> {
        vec![Arc::new(PublicityExpiry), Arc::new(index::IndexSubjects)]
    }
    fn recurring(&self, county: &str) -> Vec<Recurring> {
        vec![
            Recurring::new(county, PublicityExpiry::KIND, Every::Daily { local_hour: 1 }),
            Recurring::new(county, index::IndexSubjects::KIND, Every::EveryMinutes(5)),
        ]
    }
}

/// 公示到期 Every night, records whose maximum publicity period has passed leave
/// publicity (they stay visible to authorised staff).
pub struct PublicityExpiry;

impl PublicityExpiry {
    pub const KIND: &'static str = "credit.publicity_expiry";
}

impl JobHandler for PublicityExpiry {
    fn kind(&self) -> &'static str {
        Self::KIND
    }
    fn run<'a>(&'a self, ctx: &'a JobContext, _payload: &'a serde_json::Value) -> JobFuture<'a> {
        Box::pin(async move {
            let today = ctx.clock.today().to_string();
            let ended = store::expire_publicity(&ctx.db, &today).await.map_err(|e| JobError::retry(e.message))?;
            if ended > 0 {
                let mut tx = ctx.db.begin().await.map_err(|e| JobError::retry(e.to_string()))?;
                let actor = qingfeng_platform::audit::Actor::System("scheduler");
                let change = qingfeng_platform::audit::Change {
                    county_code: &ctx.county_code,
                    actor: &actor,
                    action: "credit.publicity_expired",
                    entity: "credit_records",
                    entity_id: &today,
                    detail: serde_json::json!({"records": ended}),
                };
                qingfeng_platform::audit::append(&mut tx, ctx.clock.now_ms(), &change).await.map_err(|e| JobError::retry(e.to_string()))?;
                tx.commit().await.map_err(|e| JobError::retry(e.to_string()))?;
            }
            tracing::info!(ended, "credit publicity expiry");
            Ok(())
        })
    }
}

/// The module, ready to register.
pub fn module() -> Arc<dyn Module> {
    Arc::new(CreditModule)
}
