//! Starting the server for a test and talking to it like a browser would.

use qingfeng::Running;
use qingfeng_platform::config::Config;
use qingfeng_platform::testing::{self, TestDb};
use qingfeng_platform::{Clock, Db};

pub struct TestApp {
    pub running: Option<Running>,
    pub base: String,
    pub db: Db,
    pub backend: &'static str,
    _data_dir: tempfile::TempDir,
    _test_db: TestDb,
}

impl TestApp {
    /// Start the platform with the demo data on `tdb`.
    pub async fn start(tdb: TestDb) -> TestApp {
        Self::start_with(tdb, 0).await
    }

    /// Start with `credit_records` synthetic credit records of each kind in the demo.
    pub async fn start_with(tdb: TestDb, credit_records: u64) -> TestApp {
        Self::start_full(tdb, credit_records, Clock::System, |_| {}).await
    }

    /// Start with the demo data on a clock the test moves (`state().clock.advance`).
    pub async fn start_at(tdb: TestDb, clock: Clock) -> TestApp {
        Self::start_full(tdb, 0, clock, |_| {}).await
    }

    /// Start with `configure` applied to the test configuration (secrets, limits…).
    pub async fn start_configured(tdb: TestDb, credit_records: u64, configure: impl FnOnce(&mut Config)) -> TestApp {
        Self::start_full(tdb, credit_records, Clock::System, configure).await
    }

    async fn start_full(tdb: TestDb, credit_records: u64, clock: Clock, configure: impl FnOnce(&mut Config)) -> TestApp {
        let data_dir = tempfile::tempdir().unwrap();
        let mut cfg = Config {
            data_dir: data_dir.path().to_path_buf(),
            database_url: tdb.url.clone(),
            bind: "127.0.0.1:0".into(),
            scheduler_tick_ms: 100,
            ..Config::default()
        };
        configure(&mut cfg);
        let state = qingfeng::build_state_with(cfg, clock, true, qingfeng::DemoVolume { credit_records, ..qingfeng::DEMO_ACCOUNTS_ONLY })
            .await
            .unwrap();
        let running = qingfeng::start(state, "127.0.0.1:0").await.unwrap();
        let base = format!("http://{}", running.addr);
        let db = running.state.db.clone();
        TestApp { running: Some(running), base, db, backend: tdb.name, _data_dir: data_dir, _test_db: tdb }
    }

    /// The running server's state (database, clock, calendar).
    pub fn state(&self) -> &qingfeng_platform::web::AppState {
        &self.running.as_ref().unwrap().state
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.base, path)
    }

    /// A client with its own cookie jar that does not follow redirects.
    pub fn client(&self) -> reqwest::Client {
        reqwest::Client::builder().cookie_store(true).redirect(reqwest::redirect::Policy::none()).build().unwrap()
    }

    /// Sign in through the login form; returns the client holding the session.
    pub async fn login(&self, username: &str, password: &str) -> reqwest::Client {
        let c = self.client();
        let r = self.post_login(&c, username, password).await;
        assert_eq!(r.status(), 303, "{} login as {username} failed: {}", self.backend, r.text().await.unwrap_or_default());
        c
    }

    pub async fn post_login(&self, c: &reqwest::Client, username: &str, password: &str) -> reqwest::Response {
        let csrf = self.csrf_from(c, "/login").await;
        c.post(self.url("/login"))
            .form(&[("username", username), ("password", password), ("csrf", &csrf), ("next", "/console")])
            .send()
            .await
            .unwrap()
    }

    /// The CSRF token in the form of the page at `path`.
    pub async fn csrf_from(&self, c: &reqwest::Client, path: &str) -> String {
        let html = c.get(self.url(path)).send().await.unwrap().text().await.unwrap();
        extract_csrf(&html).unwrap_or_else(|| panic!("no csrf field on {path}:\n{}", html.chars().take(3000).collect::<String>()))
    }

    pub async fn stop(mut self) {
        if let Some(r) = self.running.take() {
            r.stop().await.unwrap();
        }
    }
}

pub fn extract_csrf(html: &str) -> Option<String> {
    let i = html.find("name=\"csrf\" value=\"")?;
    let rest = &html[i + "name=\"csrf\" value=\"".len()..];
    Some(rest[..rest.find('"')?].to_string())
}

/// One app per configured backend.
pub async fn apps() -> Vec<TestApp> {
    let mut out = Vec::new();
    for tdb in testing::all().await.unwrap() {
        out.push(TestApp::start(tdb).await);
    }
    out
}

/// One app per configured backend, each with `configure` applied to its configuration.
pub async fn apps_with(configure: impl Fn(&mut Config)) -> Vec<TestApp> {
    let mut out = Vec::new();
    for tdb in testing::all().await.unwrap() {
        out.push(TestApp::start_configured(tdb, 0, &configure).await);
    }
    out
}

pub const PW: &str = qingfeng::demo::DEMO_PASSWORD;
