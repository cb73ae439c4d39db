//! 诉源治理 Litigation-source governance: disputes found by 503 grid workers, applied
//! for online, registered at windows or pushed by the county 综治 platform, routed to
//! the village or township mediation committee, a professional organisation, a
//! tribunal's 网格之家 or the administrative dispute centre; mediated within the legal
//! time limits, confirmed by the tribunal or referred for filing; with the county's
//! figures and the exchange with the 综治 platform and the court mediation platform.
//!
//! Rooms: [`model`] (the state machine), [`rules`] (categories, time limits, routing as
//! data), [`workflow`] (intake, actions, timers), [`store`] (SQL and who sees what),
//! [`exchange`] (events to the outside platforms), [`web`] (pages and API).

pub mod bench;
pub mod exchange;
pub mod figures;
pub mod generate;
pub mod model;
pub mod rules;
pub mod store;
pub mod web;
pub mod workflow;

use std::sync::Arc;

use qingfeng_platform::auth::{Permission, Role};
use qingfeng_platform::jobs::{Every, JobContext, JobError, JobFuture, JobHandler, Recurring};
use qingfeng_platform::web::{AppState, ConsoleLink, Module};

/// 纠纷登记 Register a dispute (grid worker's phone, window, hotline, court window).
pub const PERM_INTAKE: Permission = Permission {
    key: "mediation.intake",
    zh: "登记矛盾纠纷",
    en: "Register disputes",
    roles: &[Role::SystemAdmin, Role::CountyAdmin, Role::TownshipStaff, Role::GridWorker, Role::Mediator, Role::TribunalJudge],
};

/// 案件办理 See and work the cases in one's reach.
pub const PERM_CASES: Permission = Permission {
    key: "mediation.cases",
    zh: "办理调解案件",
    en: "Work mediation cases",
    roles: &[Role::SystemAdmin, Role::CountyAdmin, Role::TownshipStaff, Role::GridWorker, Role::Mediator, Role::TribunalJudge],
};

/// 法庭工作台 The tribunal's console: confirmation requests, paper requests, referrals.
pub const PERM_COURT: Permission = Permission {
    key: "mediation.court",
    zh: "人民法庭工作台",
    en: "Tribunal console",
    roles: &[Role::SystemAdmin, Role::CountyAdmin, Role::TribunalJudge],
};

/// 统计 The county's figures.
pub const PERM_FIGURES: Permission = Permission {
    key: "mediation.figures",
    zh: "查看诉源治理统计",
    en: "View dispute figures",
    roles: &[Role::SystemAdmin, Role::CountyAdmin, Role::TownshipStaff, Role::TribunalJudge],
};

/// 平台对接 Push cases and status updates (综治 platform, court mediation platform).
pub const PERM_EXCHANGE: Permission = Permission {
    key: "mediation.exchange",
    zh: "诉源治理平台对接",
    en: "Dispute platform exchange",
    roles: &[Role::SystemAdmin, Role::CountyAdmin],
};

pub mod perms {
    use qingfeng_platform::auth::Permission;
    pub const ALL: &[Permission] = &[super::PERM_INTAKE, super::PERM_CASES, super::PERM_COURT, super::PERM_FIGURES, super::PERM_EXCHANGE];
}

const LINKS: &[ConsoleLink] = &[
    ConsoleLink { href: "/console/mediation/report", zh: "纠纷上报", en: "Report a dispute", permission: &PERM_INTAKE },
    ConsoleLink { href: "/console/mediation/cases", zh: "调解案件", en: "Mediation cases", permission: &PERM_CASES },
    ConsoleLink { href: "/console/mediation/court", zh: "法庭工作台", en: "Tribunal console", permission: &PERM_COURT },
    ConsoleLink { href: "/console/mediation/network", zh: "化解网络", en: "Resolution network", permission: &PERM_CASES },
    ConsoleLink { href: "/console/mediation/figures", zh: "诉源治理统计", en: "Dispute figures", permission: &PERM_FIGURES },
];

/// The module as the server registers it.
pub struct MediationModule;

impl Module for MediationModule {
    fn system(&self) -> &'static str {
        "mediation"
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
        vec![Arc::new(Timers)]
    }
    fn recurring(&self, county: &str) -> Vec<Recurring> {
        vec![Recurring::new(county, Timers::KIND, Every::EveryMinutes(5))]
    }
}

/// 计时器 Every five minutes: escalation, expiry, reminders and overdue notices.
pub struct Timers;

impl Timers {
    pub const KIND: &'static str = "mediation.timers";
}

impl JobHandler for Timers {
    fn kind(&self) -> &'static str {
        Self::KIND
    }
    fn run<'a>(&'a self, ctx: &'a JobContext, _payload: &'a serde_json::Value) -> JobFuture<'a> {
        Box::pin(async move {
            let cal = qingfeng_platform::calendar::load(&ctx.db).await.map_err(|e| JobError::retry(e.message))?;
            let env = workflow::Env { db: &ctx.db, cal: &cal, rules: rules::Rules::shipped(), now_ms: ctx.clock.now_ms() };
            let run = workflow::run_timers(env, &ctx.county_code).await.map_err(|e| JobError::retry(e.message))?;
            tracing::info!(?run, "mediation timers");
            Ok(())
        })
    }
}

pub fn module() -> Arc<dyn Module> {
    Arc::new(MediationModule)
}
