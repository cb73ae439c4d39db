//! 优化营商环境直通车 The business-environment express: the county mini program's 13
//! modules for entrepreneurs, built as a mobile-first web portal under `/portal`, with
//! the staff side that makes each module real.
//!
//! Built so far: the portal home (the 13 modules as tiles, the unbuilt ones shown as
//! 建设中) and 营商政策, the policy library — 40 statutes embedded in the binary
//! ([`policy`] parses them, [`store`] keeps them in `portal_policies` /
//! `portal_policy_articles`, [`index`] puts every article in the shared search index) —
//! whose staff side confirms each policy's in-force status ([`PERM_POLICIES`]).
//!
//! Rooms: [`model`] (the modules, levels, statuses), [`policy`] (the file parser),
//! [`store`] (SQL), [`index`] (search documents), [`highlight`] (safe `<mark>`ing),
//! [`web`] (pages and the JSON API).

pub mod content;
pub mod departments;
pub mod exposure;
pub mod highlight;
pub mod index;
pub mod lists;
pub mod model;
pub mod policy;
pub mod ratings;
pub mod search;
pub mod services;
pub mod store;
pub mod surveys;
pub mod tickets;
pub mod web;

use std::sync::Arc;

use qingfeng_platform::auth::{Permission, Role};
use qingfeng_platform::jobs::{Every, JobContext, JobError, JobFuture, JobHandler, Recurring};
use qingfeng_platform::web::{AppState, ConsoleLink, Module};

/// 营商政策维护 Confirm a policy's in-force status (现行有效/已废止) against the
/// authoritative text, with the basis; recorded in the audit chain.
pub const PERM_POLICIES: Permission = Permission {
    key: "portal.policies",
    zh: "维护营商政策",
    en: "Maintain the policy library",
    roles: &[Role::SystemAdmin, Role::CountyAdmin],
};

/// 部门职责维护 Edit a department's public profile: department staff their own
/// department's, county admins any; recorded in the audit chain.
pub const PERM_DEPARTMENTS: Permission = Permission {
    key: "portal.departments",
    zh: "维护部门职责",
    en: "Maintain department profiles",
    roles: &[Role::SystemAdmin, Role::CountyAdmin, Role::DeptStaff],
};

/// 办事指南维护 Create, edit, publish and withdraw service guides: department staff
/// those their department implements, county admins any; recorded in the audit chain.
pub const PERM_SERVICES: Permission = Permission {
    key: "portal.services",
    zh: "维护办事指南",
    en: "Maintain service guides",
    roles: &[Role::SystemAdmin, Role::CountyAdmin, Role::DeptStaff],
};

/// 直通车工单 Receive, dispatch, handle and revisit 小事快办 and 投诉 tickets: the county
/// office sees all of them, a department those it received or handles.
pub const PERM_TICKETS: Permission = Permission {
    key: "portal.tickets",
    zh: "办理直通车工单",
    en: "Handle portal tickets",
    roles: &[Role::SystemAdmin, Role::CountyAdmin, Role::DeptStaff, Role::TownshipStaff],
};

/// 好差评处置 See the ratings of one's department and handle its 差评.
pub const PERM_RATINGS: Permission = Permission {
    key: "portal.ratings",
    zh: "好差评处置",
    en: "Handle service ratings",
    roles: &[Role::SystemAdmin, Role::CountyAdmin, Role::DeptStaff, Role::TownshipStaff],
};

/// 好差评公布 Publish a month's scores and ranking (the county business-environment office).
pub const PERM_RATINGS_PUBLISH: Permission = Permission {
    key: "portal.ratings.publish",
    zh: "公布好差评月度结果",
    en: "Publish monthly rating scores",
    roles: &[Role::SystemAdmin, Role::CountyAdmin],
};

/// 撰写文章 Write 营商动态 and 经典案例 articles and submit them for review.
pub const PERM_CONTENT_EDIT: Permission = Permission {
    key: "portal.content.edit",
    zh: "撰写营商动态与案例",
    en: "Write news and cases",
    roles: &[Role::SystemAdmin, Role::CountyAdmin, Role::DeptStaff],
};

/// 审核文章 Approve (now or at a set time), return or withdraw articles — never one's own.
pub const PERM_CONTENT_REVIEW: Permission = Permission {
    key: "portal.content.review",
    zh: "审核发布营商动态与案例",
    en: "Review and publish news and cases",
    roles: &[Role::SystemAdmin, Role::CountyAdmin],
};

/// 曝光台 Flag penalties for exposure, publish entries by hand with their basis, withdraw.
pub const PERM_EXPOSURE: Permission = Permission {
    key: "portal.exposure",
    zh: "维护曝光台",
    en: "Maintain the exposure board",
    roles: &[Role::SystemAdmin, Role::CountyAdmin, Role::CreditOfficer],
};

/// 问卷调查 Build, publish and close surveys, see their results and export the
/// responses; publishing and closing are recorded in the audit chain.
pub const PERM_SURVEYS: Permission = Permission {
    key: "portal.surveys",
    zh: "管理问卷调查",
    en: "Manage surveys",
    roles: &[Role::SystemAdmin, Role::CountyAdmin, Role::DeptStaff],
};

/// 清单管理 Import the 市场准入负面清单, 权责清单 and 收费清单 as new versions, switch the
/// current version, keep the checker's keywords and the power types.
pub const PERM_LISTS: Permission = Permission {
    key: "portal.lists",
    zh: "管理公开清单（负面清单、权责清单、收费清单）",
    en: "Manage the published lists",
    roles: &[Role::SystemAdmin, Role::CountyAdmin],
};

/// 清单查看 See the lists' imports and versions (department staff check their own).
pub const PERM_LISTS_VIEW: Permission = Permission {
    key: "portal.lists.view",
    zh: "查看公开清单的导入与版本",
    en: "View the published lists' imports",
    roles: &[Role::SystemAdmin, Role::CountyAdmin, Role::DeptStaff],
};

pub mod perms {
    use qingfeng_platform::auth::Permission;
    pub const ALL: &[Permission] = &[
        super::PERM_POLICIES,
        super::PERM_DEPARTMENTS,
        super::PERM_SERVICES,
        super::PERM_TICKETS,
        super::PERM_RATINGS,
        super::PERM_RATINGS_PUBLISH,
        super::PERM_CONTENT_EDIT,
        super::PERM_CONTENT_REVIEW,
        super::PERM_EXPOSURE,
        super::PERM_SURVEYS,
        super::PERM_LISTS,
        super::PERM_LISTS_VIEW,
    ];
}

const LINKS: &[ConsoleLink] = &[
    ConsoleLink { href: "/console/portal", zh: "营商环境工作台", en: "Business-environment desk", permission: &PERM_TICKETS },
    ConsoleLink { href: "/console/portal/policies", zh: "营商政策维护", en: "Policy library", permission: &PERM_POLICIES },
    ConsoleLink { href: "/console/portal/departments", zh: "部门职责维护", en: "Department profiles", permission: &PERM_DEPARTMENTS },
    ConsoleLink { href: "/console/portal/services", zh: "办事指南维护", en: "Service guides", permission: &PERM_SERVICES },
    ConsoleLink { href: "/console/portal/tickets", zh: "直通车工单", en: "Portal tickets", permission: &PERM_TICKETS },
    ConsoleLink { href: "/console/portal/ratings", zh: "好差评", en: "Service ratings", permission: &PERM_RATINGS },
    ConsoleLink { href: "/console/portal/news", zh: "营商动态与案例", en: "News and cases", permission: &PERM_CONTENT_EDIT },
    ConsoleLink { href: "/console/portal/news/review", zh: "文章审核", en: "Article review", permission: &PERM_CONTENT_REVIEW },
    ConsoleLink { href: "/console/portal/exposure", zh: "曝光台维护", en: "Exposure board", permission: &PERM_EXPOSURE },
    ConsoleLink { href: "/console/portal/surveys", zh: "问卷调查管理", en: "Surveys", permission: &PERM_SURVEYS },
    ConsoleLink { href: "/console/portal/lists", zh: "清单管理", en: "Published lists", permission: &PERM_LISTS_VIEW },
];

/// The module as the server registers it.
pub struct PortalModule;

impl Module for PortalModule {
    fn system(&self) -> &'static str {
        "portal"
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
        vec![Arc::new(Timers), Arc::new(content::workflow::PublishJob), Arc::new(exposure::Sweep)]
    }
    fn recurring(&self, county: &str) -> Vec<Recurring> {
        vec![
            Recurring::new(county, Timers::KIND, Every::EveryMinutes(5)),
            Recurring::new(county, exposure::Sweep::KIND, Every::EveryMinutes(5)),
        ]
    }
}

/// 计时器 Every five minutes: overdue tickets urged and reported, overdue 差评 reported.
pub struct Timers;

impl Timers {
    pub const KIND: &'static str = "portal.tickets.timers";
}

impl JobHandler for Timers {
    fn kind(&self) -> &'static str {
        Self::KIND
    }
    fn run<'a>(&'a self, ctx: &'a JobContext, _payload: &'a serde_json::Value) -> JobFuture<'a> {
        Box::pin(async move {
            let cal = qingfeng_platform::calendar::load(&ctx.db).await.map_err(|e| JobError::retry(e.message))?;
            let now = ctx.clock.now_ms();
            let run = tickets::workflow::run_timers(&ctx.db, &cal, now, &ctx.county_code).await.map_err(|e| JobError::retry(e.message))?;
            let ratings = ratings::workflow::run_timers(&ctx.db, now, &ctx.county_code).await.map_err(|e| JobError::retry(e.message))?;
            tracing::info!(?run, ratings, "portal timers");
            Ok(())
        })
    }
}

pub fn module() -> Arc<dyn Module> {
    Arc::new(PortalModule)
}
