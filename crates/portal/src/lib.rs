//! 优化营商环境直通车 The business-environment express: the county mini program's 13
//! modules for entrepreneurs, built as a mobile-first web portal under `/portal`, with
//! the staff side that makes each module real.
//!
//! Built so far: the portal home (the 13 modules as tiles, the unbuilt ones shown as
//! 建设中) and 营商政策, the policy library — 40 statutes embedded in the binary
//! ([`policy`] parses them, [`store`] keeps them in `portal_policies` /
//! `portal_policy_articles`, [`index`] puts every article in the shared search index).
//!
//! Rooms: [`model`] (the modules, levels, statuses), [`policy`] (the file parser),
//! [`store`] (SQL), [`index`] (search documents), [`highlight`] (safe `<mark>`ing),
//! [`web`] (pages and the JSON API).

pub mod highlight;
pub mod index;
pub mod model;
pub mod policy;
pub mod store;
pub mod web;

use std::sync::Arc;

use qingfeng_platform::web::{AppState, Module};

/// The module as the server registers it.
pub struct PortalModule;

impl Module for PortalModule {
    fn system(&self) -> &'static str {
        "portal"
    }
    fn routes(&self) -> axum::Router<AppState> {
        web::routes()
    }
}

pub fn module() -> Arc<dyn Module> {
    Arc::new(PortalModule)
}
