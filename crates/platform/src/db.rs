//! 数据库 The database: SQLite (embedded default) or PostgreSQL, chosen at start-up
//! from the URL scheme.
//!
//! SQL is written once in the portable subset (`$1` placeholders, BIGINT millisecond
//! instants, TEXT dates) and run on either backend through [`on_db!`] and [`on_tx!`],
//! which expand the same body once per backend. Per-backend branches are written out
//! by hand only where the dialect forces it.

use std::path::Path;
use std::str::FromStr;
use std::time::Duration;

use sqlx::migrate::Migrator;
use sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use sqlx::{PgPool, Postgres, Sqlite, SqlitePool, Transaction};

/// The migrations of the whole product, one tree per backend with the same versions.
pub static SQLITE_MIGRATIONS: Migrator = sqlx::migrate!("../../migrations/sqlite");
/// See [`SQLITE_MIGRATIONS`].
pub static POSTGRES_MIGRATIONS: Migrator = sqlx::migrate!("../../migrations/postgres");

/// SQLite page cache per connection unless configured, in MiB. Small on purpose: the
/// kernel's page cache holds the file anyway, and on the 13 M-record database 16 MiB per
/// connection took the server from 130 MB to 330 MB under load for no gain in requests
/// per second (docs/benchmarks.md).
pub const DEFAULT_SQLITE_CACHE_MIB: u32 = 4;
/// SQLite connections in a server's pool: reads wait on the kernel, and more connections
/// help up to about 8 (docs/benchmarks.md, profile API by pool size).
pub const DEFAULT_SQLITE_CONNECTIONS: u32 = 8;
/// The page cache of a bulk import's own process, in MiB per connection (`credit
/// import`, the benchmark; a larger `sqlite_cache_mib` in the configuration wins, and
/// `credit import --cache-mib` sets it outright). An
/// import holds each transaction open for 1.5 s (`COMMIT_EVERY` in the credit crate),
/// and on a county-sized table its batches dirty random leaf pages of a ≈ 300 MB record
/// index: pages evicted before the commit are written to the WAL twice. 13 M records
/// (docs/benchmarks.md): 64 MiB 508 s, 256 MiB 449 s, 512 MiB 416 s, at a peak RSS of
/// 0.6, 1.0 and 1.2 GB. The import's pool has one connection
/// ([`BULK_SQLITE_CONNECTIONS`]).
pub const BULK_SQLITE_CACHE_MIB: u32 = 512;
/// Connections in a bulk import's pool: one. Its steps run one after another, and with
/// more the import's transactions rotate through the pool: each connection keeps a cache
/// of its own, which SQLite discards whenever another connection has written since, so
/// the cache was cold after every commit and the memory a multiple of it (a re-import of
/// 1 M stored records peaked at 1.9 GB).
pub const BULK_SQLITE_CONNECTIONS: u32 = 1;

/// Which database engine a [`Db`] talks to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// A connection pool to one of the two supported databases.
#[derive(Debug, Clone)]
pub enum Db {
    Sqlite(SqlitePool),
    Postgres(PgPool),
}

/// A write transaction on either backend.
pub enum Tx {
    Sqlite(Transaction<'static, Sqlite>),
    Postgres(Transaction<'static, Postgres>),
}

/// One pooled connection held for a few reads in a row (see [`Db::conn`]).
pub enum Conn {
    Sqlite(sqlx::pool::PoolConnection<Sqlite>),
    Postgres(sqlx::pool::PoolConnection<Postgres>),
}

/// Run `$body` with `$pool` bound to the backend's pool (`&SqlitePool` or `&PgPool`).
/// The body is compiled once per backend, so the same `sqlx::query(...)` serves both.
#[macro_export]
macro_rules! on_db {
    ($db:expr, |$pool:ident| $body:expr) => {
        match $db {
            $crate::db::Db::Sqlite($pool) => $body,
            $crate::db::Db::Postgres($pool) => $body,
        }
    };
}

/// Run `$body` with `$conn` bound to the transaction's connection
/// (`&mut SqliteConnection` or `&mut PgConnection`).
#[macro_export]
macro_rules! on_tx {
    ($tx:expr, |$conn:ident| $body:expr) => {
        $crate::on_held!(Tx, $tx, |$conn| $body)
    };
}

/// Run `$body` with `$conn` bound to the connection a [`Tx`] or a [`Conn`] holds
/// (`$kind` names which; `&mut SqliteConnection` or `&mut PgConnection`).
#[macro_export]
macro_rules! on_held {
    ($kind:ident, $held:expr, |$conn:ident| $body:expr) => {
        match $held {
            $crate::db::$kind::Sqlite(h) => {
                let $conn = &mut **h;
                $body
            }
            $crate::db::$kind::Postgres(h) => {
                let $conn = &mut **h;
                $body
            }
        }
    };
}

impl Db {
    /// Connect to `url`: `sqlite://PATH` (created if missing; WAL, foreign keys,
    /// busy timeout) or `postgres://…`.
    pub async fn connect(url: &str) -> Result<Db, sqlx::Error> {
        Db::connect_tuned(url, DEFAULT_SQLITE_CACHE_MIB, DEFAULT_SQLITE_CONNECTIONS).await
    }

    /// [`Db::connect`] with the SQLite pool tuned: a page cache of `cache_mib` per
    /// connection and `connections` connections (both ignored on PostgreSQL). Bulk imports gain from one
    /// connection whose cache holds the indexes they update.
    pub async fn connect_tuned(url: &str, cache_mib: u32, connections: u32) -> Result<Db, sqlx::Error> {
        if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            let opts = PgConnectOptions::from_str(url)?;
            let pool = PgPoolOptions::new().max_connections(16).acquire_timeout(Duration::from_secs(10)).connect_with(opts).await?;
            Ok(Db::Postgres(pool))
        } else if url.starts_with("sqlite:") {
            let opts = SqliteConnectOptions::from_str(url)?
                .create_if_missing(true)
                .journal_mode(SqliteJournalMode::Wal)
                .synchronous(SqliteSynchronous::Normal)
                .foreign_keys(true)
                .busy_timeout(Duration::from_secs(10));
            // A page cache larger than SQLite's 2 MB default and a WAL of at least 10,000
            // pages (half the cache, for a bulk import's large cache) before each
            // checkpoint: bulk imports rewrite the same index pages in every
            // transaction, and both settings let a page be copied once.
            let cache_kib = format!("-{}", u64::from(cache_mib.max(2)) * 1024);
            let checkpoint_pages = (u64::from(cache_mib) * 128).max(10_000);
            let opts = opts.pragma("cache_size", cache_kib).pragma("wal_autocheckpoint", checkpoint_pages.to_string());
            // No ping before each acquire: a SQLite connection is an open file in this
            // process, and a ping is one more round trip to the connection's worker
            // thread for every query (the profile API: docs/benchmarks.md). sqlx still
            // pings when a connection comes back to the pool.
            let pool = SqlitePoolOptions::new()
                .test_before_acquire(false)
                .max_connections(connections.max(1))
                .acquire_timeout(Duration::from_secs(10))
                .connect_with(opts)
                .await?;
            Ok(Db::Sqlite(pool))
        } else {
            Err(sqlx::Error::Configuration(format!("不支持的数据库地址（只支持 sqlite: 与 postgres://）: {}", mask_url(url)).into()))
        }
    }

    /// The SQLite URL of a database file inside `data_dir`.
    pub fn sqlite_url_in(data_dir: &Path) -> String {
        format!("sqlite://{}", data_dir.join("qingfeng.db").display())
    }

    pub fn backend(&self) -> Backend {
        match self {
            Db::Sqlite(_) => Backend::Sqlite,
            Db::Postgres(_) => Backend::Postgres,
        }
    }

    /// Apply every pending migration of this backend's tree.
    pub async fn migrate(&self) -> Result<(), sqlx::migrate::MigrateError> {
        match self {
            Db::Sqlite(p) => SQLITE_MIGRATIONS.run(p).await,
            Db::Postgres(p) => POSTGRES_MIGRATIONS.run(p).await,
        }
    }

    /// Begin a write transaction. On SQLite it is `BEGIN IMMEDIATE`, so that a
    /// transaction that reads before it writes never fails to upgrade its lock.
    pub async fn begin(&self) -> Result<Tx, sqlx::Error> {
        Ok(match self {
            Db::Sqlite(p) => Tx::Sqlite(p.begin_with("BEGIN IMMEDIATE").await?),
            Db::Postgres(p) => Tx::Postgres(p.begin().await?),
        })
    }

    /// One connection of the pool for several reads in a row, e.g. the statements of one
    /// API answer. Every statement run on the pool takes a connection and gives it back,
    /// and giving it back costs sqlx a round trip to the connection (on SQLite, to its
    /// worker thread); a hot read path saves those by holding one. Not a transaction:
    /// each statement sees the latest committed data.
    pub async fn conn(&self) -> Result<Conn, sqlx::Error> {
        Ok(match self {
            Db::Sqlite(p) => Conn::Sqlite(p.acquire().await?),
            Db::Postgres(p) => Conn::Postgres(p.acquire().await?),
        })
    }

    /// Is the database answering?
    pub async fn ping(&self) -> bool {
        let r: Result<i64, _> = on_db!(self, |p| sqlx::query_scalar("SELECT CAST(1 AS BIGINT)").fetch_one(p).await);
        r.is_ok()
    }

    pub async fn close(&self) {
        on_db!(self, |p| p.close().await)
    }
}

impl Tx {
    /// For a bulk load: make this transaction's key lookups use their indexes. A table
    /// filled by a bulk load grows faster than PostgreSQL's statistics follow it, and
    /// with stale statistics the planner may scan the whole table for each `IN (…)`
    /// lookup, so that each batch is slower than the one before (measured: 4 ms → 2 s
    /// per 5,000 keys within 50,000 rows). SQLite always uses the index; no-op there.
    pub async fn prefer_index_lookups(&mut self) -> Result<(), sqlx::Error> {
        if let Tx::Postgres(t) = self {
            sqlx::query("SET LOCAL enable_seqscan = off").execute(&mut **t).await?;
        }
        Ok(())
    }

    pub async fn commit(self) -> Result<(), sqlx::Error> {
        match self {
            Tx::Sqlite(t) => t.commit().await,
            Tx::Postgres(t) => t.commit().await,
        }
    }
}

/// Hide the password of a database URL for display (`postgres://user:***@host/db`).
pub fn mask_url(url: &str) -> String {
    if let Some((scheme, rest)) = url.split_once("://")
        && let Some((cred, host)) = rest.rsplit_once('@')
    {
        let user = cred.split(':').next().unwrap_or("");
        return format!("{scheme}://{user}:***@{host}");
    }
    url.to_string()
}

/// Is this error a violation of a UNIQUE constraint (on either backend)?
pub fn is_unique_violation(e: &sqlx::Error) -> bool {
    match e {
        sqlx::Error::Database(d) => d.is_unique_violation(),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn masks_passwords() {
        assert_eq!(mask_url("postgres://qf:secret@127.0.0.1:5432/qf"), "postgres://qf:***@127.0.0.1:5432/qf");
        assert_eq!(mask_url("sqlite:///tmp/x.db"), "sqlite:///tmp/x.db");
    }

    /// The two migration trees must carry the same versions and descriptions, so that
    /// a feature added on one backend is never missing on the other.
    #[test]
    fn migration_trees_match() {
        let s: Vec<_> = SQLITE_MIGRATIONS.iter().map(|m| (m.version, m.description.to_string())).collect();
        let p: Vec<_> = POSTGRES_MIGRATIONS.iter().map(|m| (m.version, m.description.to_string())).collect();
        assert!(!s.is_empty());
        assert_eq!(s, p);
    }

    type Schema = std::collections::BTreeMap<String, Vec<String>>;

    /// {table → sorted column names} of a migrated database, without the migrator's
    /// own table and SQLite's internal ones. SQLite's virtual tables (an FTS5 search index
    /// such as `mediation_cases_search`) and their shadow tables are indexes that
    /// PostgreSQL answers by other means, not data: they are left out too.
    async fn schema(db: &Db) -> Schema {
        let rows: Vec<(String, String)> = match db {
            Db::Sqlite(p) => sqlx::query_as(
                "SELECT m.name, c.name FROM sqlite_master m JOIN pragma_table_info(m.name) c \
                 WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%' AND m.name <> '_sqlx_migrations' \
                 AND m.sql NOT LIKE 'CREATE VIRTUAL TABLE%' AND NOT EXISTS (SELECT 1 FROM sqlite_master v \
                 WHERE v.sql LIKE 'CREATE VIRTUAL TABLE%' AND substr(m.name, 1, length(v.name) + 1) = v.name || '_')",
            )
            .fetch_all(p)
            .await
            .unwrap(),
            Db::Postgres(p) => sqlx::query_as(
                "SELECT CAST(table_name AS TEXT), CAST(column_name AS TEXT) FROM information_schema.columns \
                 WHERE table_schema = 'public' AND table_name <> '_sqlx_migrations'",
            )
            .fetch_all(p)
            .await
            .unwrap(),
        };
        let mut out = Schema::new();
        for (table, column) in rows {
            out.entry(table).or_default().push(column);
        }
        out.values_mut().for_each(|cols| cols.sort());
        out
    }

    /// The two trees define the same tables with the same columns (checked when
    /// PostgreSQL is configured through `QINGFENG_TEST_POSTGRES`).
    #[tokio::test]
    async fn migration_trees_define_the_same_schema() {
        let Some(url) = crate::testing::postgres_url() else { return };
        let lite = crate::testing::sqlite().await.unwrap();
        let pg = crate::testing::postgres(&url).await.unwrap();
        let (s, p) = (schema(&lite.db).await, schema(&pg.db).await);
        assert!(s.contains_key("audit_log") && s.contains_key("webhook_endpoints"), "{s:?}");
        let tables: std::collections::BTreeSet<_> = s.keys().chain(p.keys()).collect();
        let differ: Vec<String> = tables
            .into_iter()
            .filter(|k| s.get(*k) != p.get(*k))
            .map(|k| format!("{k}: sqlite {:?} / postgres {:?}", s.get(k), p.get(k)))
            .collect();
        assert!(differ.is_empty(), "migrations/sqlite and migrations/postgres differ:\n{}", differ.join("\n"));
        assert_eq!(s, p);
    }
}
