//! 测试支撑 Fresh databases for tests: SQLite always, PostgreSQL when
//! `QINGFENG_TEST_POSTGRES` holds a URL. Every test gets its own database.

use crate::db::Db;

/// A database made for one test; the SQLite file lives as long as this value.
pub struct TestDb {
    pub name: &'static str,
    pub db: Db,
    pub url: String,
    _dir: Option<tempfile::TempDir>,
    /// For PostgreSQL: the server URL and database name to drop afterwards.
    drop_on_exit: Option<(String, String)>,
}

impl Drop for TestDb {
    fn drop(&mut self) {
        let Some((admin_url, name)) = self.drop_on_exit.take() else { return };
        // Drop the test database from a thread of its own: Drop cannot await, and the
        // test's runtime may be shutting down.
        let _ = std::thread::spawn(move || {
            let Ok(rt) = tokio::runtime::Builder::new_current_thread().enable_all().build() else { return };
            rt.block_on(async {
                if let Ok(Db::Postgres(p)) = Db::connect(&admin_url).await {
                    let _ = sqlx::query(sqlx::AssertSqlSafe(format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))).execute(&p).await;
                    p.close().await;
                }
            });
        })
        .join();
    }
}

/// The PostgreSQL URL for tests, if configured.
pub fn postgres_url() -> Option<String> {
    std::env::var("QINGFENG_TEST_POSTGRES").ok().filter(|s| !s.trim().is_empty())
}

/// A fresh, migrated SQLite database in a temporary directory.
pub async fn sqlite() -> anyhow::Result<TestDb> {
    let dir = tempfile::Builder::new().prefix("qf-test").tempdir()?;
    let url = Db::sqlite_url_in(dir.path());
    let db = Db::connect(&url).await?;
    db.migrate().await?;
    Ok(TestDb { name: "sqlite", db, url, _dir: Some(dir), drop_on_exit: None })
}

/// A fresh, migrated PostgreSQL database (a new database on the configured server).
pub async fn postgres(base_url: &str) -> anyhow::Result<TestDb> {
    let admin = Db::connect(base_url).await?;
    let name =
        format!("qf_t_{}", crate::session::random_token().to_lowercase().replace(['-', '_'], "").chars().take(16).collect::<String>());
    if let Db::Postgres(p) = &admin {
        sqlx::query(sqlx::AssertSqlSafe(format!("CREATE DATABASE {name}"))).execute(p).await?;
    }
    admin.close().await;
    let url = match base_url.rsplit_once('/') {
        Some((head, _)) => format!("{head}/{name}"),
        None => anyhow::bail!("QINGFENG_TEST_POSTGRES 需要形如 postgres://user:pw@host:5432/db 的地址"),
    };
    let db = Db::connect(&url).await?;
    db.migrate().await?;
    Ok(TestDb { name: "postgres", db, url, _dir: None, drop_on_exit: Some((base_url.to_string(), name)) })
}

/// One fresh database per configured backend: SQLite, then PostgreSQL if configured.
pub async fn all() -> anyhow::Result<Vec<TestDb>> {
    let mut out = vec![sqlite().await?];
    if let Some(url) = postgres_url() {
        out.push(postgres(&url).await?);
    }
    Ok(out)
}
