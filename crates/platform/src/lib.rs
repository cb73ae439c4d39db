//! Qingfeng platform: what every module shares.
//!
//! - [`config`]: configuration (defaults → `qingfeng.toml` → `QINGFENG_*`).
//! - [`db`]: SQLite or PostgreSQL, chosen from the URL; [`sql`] portable dynamic SQL;
//!   [`listing`] the one list/filter/paginate helper.
//! - [`registry`]: divisions, organisations, grids.
//! - [`auth`], [`users`], [`session`], [`pii`]: accounts, roles, scope, sessions, API
//!   tokens, personal-data encryption.
//! - [`audit`]: the hash-chained audit log; [`state`]: the state-machine helper that
//!   writes every transition to it.
//! - [`tabular`]: the one CSV/xlsx reader (encoding detection, cells as text, line
//!   numbers) every import uses.
//! - [`web`]: the web shell (layout, i18n, login, console, errors, security headers).

pub mod attachments;
pub mod audit;
pub mod auth;
pub mod bulk;
pub mod calendar;
pub mod clock;
pub mod config;
pub mod db;
pub mod error;
pub mod housekeeping;
pub mod indexing;
pub mod jobs;
pub mod limits;
pub mod listing;
pub mod outbox;
pub mod pii;
pub mod registry;
pub mod session;
pub mod sql;
pub mod state;
pub mod tabular;
pub mod testing;
pub mod tracking;
pub mod users;
pub mod web;

pub use clock::Clock;
pub use db::Db;
pub use error::{ApiError, AppError};
