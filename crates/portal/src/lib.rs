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

pub mod highlight;
pub mod index;
pub mod lists;
pub mod model;
pub mod policy;
pub mod store;
pub mod web;

use std::sync::Arc;

use qingfeng_platform::auth::{Permission, Role};
use qingfeng_platform::web::{AppState, ConsoleLink, Module};

/// 营商政策维护 Confirm a policy's in-force status (现行有效/已废止) against the
/// authoritative text, with the basis; recorded in the audit chain.
pub const PERM_POLICIES: Permission = Permission {
    key: "portal.policies",
    zh: "维护营商政策",
    en: "Maintain the policy library",
    roles: &[Role::SystemAdmin, Role::CountyAdmin],
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
    pub const ALL: &[Permission] = &[super::PERM_POLICIES, super::PERM_LISTS, super::PERM_LISTS_VIEW];
}

const LINKS: &[ConsoleLink] = &[
    ConsoleLink { href: "/console/portal/policies", zh: "营商政策维护", en: "Policy library", permission: &PERM_POLICIES },
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
}

pub fn module() -> Arc<dyn Module> {
    Arc::new(PortalModule)
}
