#![allow(clippy::unwrap_used, clippy::expect_used)]

//! The integration tests: the real server on port 0, on SQLite always and on
//! PostgreSQL when `QINGFENG_TEST_POSTGRES` is set, each test on a fresh database.

mod api;
mod audit_chain;
mod auth;
mod browser;
mod browser_mediation;
mod browser_portal;
mod browser_portal_content;
mod browser_portal_lists;
mod browser_portal_services;
mod browser_portal_surveys;
mod browser_portal_tickets;
mod cli;
mod credit;
mod credit_public;
mod harness;
mod mediation;
mod mediation_exchange;
mod mediation_figures;
mod ops;
mod portal;
mod portal_content;
mod portal_lists;
mod portal_services;
mod portal_surveys;
mod portal_tickets;
mod scope;
