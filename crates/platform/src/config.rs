//! 配置 Configuration: defaults → `qingfeng.toml` in the data directory → `QINGFENG_*`
//! environment variables → command-line flags.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

/// The effective configuration of one Qingfeng process.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default)]
pub struct Config {
    /// Where the SQLite file, keys, attachments and the search index live.
    pub data_dir: PathBuf,
    /// `postgres://…` to run on PostgreSQL; empty = SQLite file in the data directory.
    pub database_url: String,
    /// Address the web server listens on.
    pub bind: String,
    /// 县级区划代码 The county this installation serves by default.
    pub county_code: String,
    /// Mark cookies `Secure` (set when served over HTTPS).
    pub cookie_secure: bool,
    /// Behind one reverse proxy (nginx) that appends the client's address to
    /// `X-Forwarded-For`, take the client address from there (its last entry) for login
    /// throttling and the audit trail. Leave off when clients reach Qingfeng directly,
    /// or anyone could claim any address.
    pub trust_forwarded_for: bool,
    /// How long a staff session lasts without activity, in hours.
    pub session_hours: i64,
    /// Base64 of 64 bytes: the key for personal data (32 bytes encryption + 32 bytes
    /// lookup hash). Empty = generated on first run into `DATA_DIR/keys/pii.key`.
    pub pii_key: String,
    /// Largest accepted upload, in MiB.
    pub max_upload_mib: u64,
    /// SQLite page cache per connection, in MiB (the server's pool has up to 8; default 4). The
    /// `credit import` command and the benchmark use a larger cache of their own.
    pub sqlite_cache_mib: u32,
    /// SQLite connections in the pool (default 8). The `credit import` command uses one,
    /// so that its large page cache stays warm from one transaction to the next.
    pub sqlite_connections: u32,
    /// Password checks allowed to run at once (Argon2 is deliberately expensive).
    pub max_concurrent_logins: usize,
    /// Failed logins per account within the window before it is throttled.
    pub login_max_failures_per_account: i64,
    /// Failed logins per address within the window before it is throttled.
    pub login_max_failures_per_ip: i64,
    /// The throttling window, in minutes.
    pub login_window_minutes: i64,
    /// How often the scheduler looks for due jobs, in milliseconds.
    pub scheduler_tick_ms: u64,
    /// 实名认证 The real-name authentication provider a person passes before seeing their
    /// own credit profile (`/credit/me`), e.g. an SMS or 电子社保卡 service. Empty = none
    /// integrated: the page matches name + ID number only, throttled, and says so. No
    /// provider ships with this build; a deployment that integrates one names it here.
    pub real_name_provider: String,
    /// 综治平台共享密钥 The secret shared with the county 综治 platform: its pushes to
    /// `POST /api/v1/mediation/inbound/zongzhi` are signed with it (HMAC-SHA256, see
    /// `docs/exchange.md`). Empty = pushes from the 综治 platform are refused.
    pub mediation_zongzhi_secret: String,
    /// 法院调解平台共享密钥 The secret shared with the court mediation platform for
    /// `POST /api/v1/mediation/inbound/court`. Empty = its status updates are refused.
    pub mediation_court_secret: String,
    /// `tracing` filter, e.g. `info,sqlx=warn`.
    pub log: String,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            data_dir: PathBuf::from("qingfeng-data"),
            database_url: String::new(),
            bind: "127.0.0.1:8080".into(),
            county_code: "410922".into(),
            cookie_secure: false,
            trust_forwarded_for: false,
            session_hours: 12,
            pii_key: String::new(),
            max_upload_mib: 20,
            sqlite_cache_mib: crate::db::DEFAULT_SQLITE_CACHE_MIB,
            sqlite_connections: crate::db::DEFAULT_SQLITE_CONNECTIONS,
            max_concurrent_logins: 4,
            login_max_failures_per_account: 5,
            login_max_failures_per_ip: 20,
            login_window_minutes: 15,
            scheduler_tick_ms: 1000,
            real_name_provider: String::new(),
            mediation_zongzhi_secret: String::new(),
            mediation_court_secret: String::new(),
            log: "info,sqlx=warn".into(),
        }
    }
}

/// Counties whose township and village data ship with this build (see `registry`):
/// today only 清丰县. Serving another county needs its division data imported first.
pub const SHIPPED_COUNTIES: &[&str] = &["410922"];

#[derive(Debug, thiserror::Error)]
#[error("配置错误: {0}")]
pub struct ConfigError(String);

impl Config {
    /// Load the configuration. `data_dir` (from the command line) wins over
    /// `QINGFENG_DATA_DIR`, which wins over the default `./qingfeng-data`.
    pub fn load(data_dir: Option<&Path>) -> Result<Config, ConfigError> {
        let env_dir = std::env::var("QINGFENG_DATA_DIR").ok().filter(|s| !s.is_empty());
        let dir = data_dir.map(Path::to_path_buf).or(env_dir.map(PathBuf::from)).unwrap_or_else(|| Config::default().data_dir);
        let defaults = config::Config::try_from(&Config::default()).map_err(|e| ConfigError(e.to_string()))?;
        let file = dir.join("qingfeng.toml");
        let built = config::Config::builder()
            .add_source(defaults)
            .add_source(config::File::from(file).required(false))
            .add_source(config::Environment::with_prefix("QINGFENG").try_parsing(true))
            .build()
            .map_err(|e| ConfigError(e.to_string()))?;
        let mut cfg: Config = built.try_deserialize().map_err(|e| ConfigError(e.to_string()))?;
        cfg.data_dir = dir;
        cfg.validate()?;
        Ok(cfg)
    }

    fn validate(&self) -> Result<(), ConfigError> {
        if qingfeng_core::DivisionCode::parse(&self.county_code).is_err() || self.county_code.len() != 6 {
            return Err(ConfigError(format!("county_code 必须是 6 位县级区划代码，收到 {:?}", self.county_code)));
        }
        if !SHIPPED_COUNTIES.contains(&self.county_code.as_str()) {
            return Err(ConfigError(format!(
                "county_code {:?} 暂不支持：本版本只附带清丰县（410922）的乡镇与村（社区）区划数据；\
                 其他县须先导入其区划数据（后续版本提供导入功能），目前请使用 410922",
                self.county_code
            )));
        }
        for (key, secret) in
            [("mediation_zongzhi_secret", &self.mediation_zongzhi_secret), ("mediation_court_secret", &self.mediation_court_secret)]
        {
            if !secret.is_empty() && !(16..=256).contains(&secret.len()) {
                return Err(ConfigError(format!("{key} 须为 16–256 个字符（留空则不接收该平台的推送）")));
            }
        }
        if self.session_hours <= 0 || self.max_concurrent_logins == 0 {
            return Err(ConfigError("session_hours 与 max_concurrent_logins 必须大于 0".into()));
        }
        Ok(())
    }

    /// The database URL in force: the configured one, or the SQLite file in the data dir.
    pub fn effective_database_url(&self) -> String {
        if self.database_url.is_empty() { crate::db::Db::sqlite_url_in(&self.data_dir) } else { self.database_url.clone() }
    }

    /// The configuration as TOML with secrets masked, for `qingfeng config`.
    pub fn display_masked(&self) -> String {
        let mut shown = self.clone();
        shown.database_url = crate::db::mask_url(&self.effective_database_url());
        for secret in [&mut shown.pii_key, &mut shown.mediation_zongzhi_secret, &mut shown.mediation_court_secret] {
            if !secret.is_empty() {
                *secret = "***".into();
            }
        }
        let mut out = String::new();
        let v = serde_json::to_value(&shown).unwrap_or_default();
        if let Some(map) = v.as_object() {
            for (k, v) in map {
                out.push_str(&format!("{k} = {v}\n"));
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_then_environment() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("qingfeng.toml"), "bind = \"0.0.0.0:9000\"\nsession_hours = 3\n").unwrap();
        let cfg = Config::load(Some(dir.path())).unwrap();
        assert_eq!(cfg.bind, "0.0.0.0:9000");
        assert_eq!(cfg.session_hours, 3);
        assert!(cfg.effective_database_url().starts_with("sqlite://"));
        std::fs::write(dir.path().join("qingfeng.toml"), "county_code = \"41\"\n").unwrap();
        assert!(Config::load(Some(dir.path())).is_err());
    }

    #[test]
    fn only_counties_with_shipped_divisions_are_accepted() {
        assert!(Config::default().validate().is_ok());
        // 南乐县: a real county code of 濮阳市, but its townships are not shipped.
        let e = Config { county_code: "410923".into(), ..Config::default() }.validate().unwrap_err().to_string();
        assert!(e.contains("410922") && e.contains("410923") && e.contains("导入"), "{e}");
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("qingfeng.toml"), "county_code = \"410923\"\n").unwrap();
        assert!(Config::load(Some(dir.path())).unwrap_err().to_string().contains("410922"));
    }

    #[test]
    fn masks_secrets() {
        let cfg = Config {
            database_url: "postgres://u:pw@h/db".into(),
            pii_key: "c2VjcmV0".into(),
            mediation_court_secret: "court-secret-0123456789".into(),
            ..Config::default()
        };
        let shown = cfg.display_masked();
        assert!(!shown.contains("pw@"));
        assert!(!shown.contains("c2VjcmV0"));
        assert!(!shown.contains("court-secret") && shown.contains("mediation_court_secret = \"***\""), "{shown}");
        assert!(shown.contains("mediation_zongzhi_secret = \"\""), "an empty secret is shown empty: {shown}");
    }

    #[test]
    fn mediation_exchange_secrets_come_from_the_file_and_are_checked() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("qingfeng.toml"), "mediation_zongzhi_secret = \"zongzhi-secret-0123456789\"\n").unwrap();
        let cfg = Config::load(Some(dir.path())).unwrap();
        assert_eq!(cfg.mediation_zongzhi_secret, "zongzhi-secret-0123456789");
        assert_eq!(cfg.mediation_court_secret, "", "empty by default: the court platform is refused");
        std::fs::write(dir.path().join("qingfeng.toml"), "mediation_court_secret = \"short\"\n").unwrap();
        let e = Config::load(Some(dir.path())).unwrap_err().to_string();
        assert!(e.contains("mediation_court_secret") && e.contains("16"), "{e}");
    }
}
