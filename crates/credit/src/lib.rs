//! 社会信用信息平台 The credit platform of Qingfeng: collecting the public credit records
//! of every department (归集), one profile per subject, and (in later steps) publicity
//! windows, lookup, lists and reports.
//!
//! Rooms: [`model`] (domain types), [`rules`] (pure rules with legal basis),
//! [`ingest`] (the import pipeline), [`store`] (SQL), [`generate`] (synthetic data).

pub mod generate;
pub mod ingest;
pub mod model;
pub mod rules;
pub mod store;
pub mod web;

use std::sync::Arc;

use qingfeng_platform::auth::{Permission, Role};
use qingfeng_platform::web::{AppState, ConsoleLink, Module};

/// 归集导入 Send credit records (upload page, push API).
pub const PERM_IMPORT: Permission = Permission {
    key: "credit.import",
    zh: "报送信用信息",
    en: "Send credit records",
    roles: &[Role::SystemAdmin, Role::CountyAdmin, Role::CreditOfficer, Role::DeptStaff],
};

/// The permissions this module declares.
pub mod perms {
    use qingfeng_platform::auth::Permission;
    pub const ALL: &[Permission] = &[super::PERM_IMPORT];
}

const LINKS: &[ConsoleLink] =
    &[ConsoleLink { href: "/console/credit/imports", zh: "信用信息归集", en: "Credit imports", permission: &PERM_IMPORT }];

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
    /// The public lookup comes with the publicity windows; until then the home tile
    /// stays "in development".
    fn has_public_pages(&self) -> bool {
        false
    }
}

/// The module, ready to register.
pub fn module() -> Arc<dyn Module> {
    Arc::new(CreditModule)
}
