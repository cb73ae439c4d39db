//! The Qingfeng binary as a library: opening the data directory, composing the
//! server from the platform and its modules, demo data. `main.rs` is the CLI on top;
//! the integration tests start the same server on port 0.

pub mod demo;

use std::net::SocketAddr;
use std::sync::Arc;

use anyhow::Context;
use qingfeng_platform::config::Config;
use qingfeng_platform::jobs::Scheduler;
use qingfeng_platform::outbox::Deliverer;
use qingfeng_platform::pii::Pii;
use qingfeng_platform::web::{self, AppState, Module};
use qingfeng_platform::{Clock, Db, calendar, indexing, registry};
use qingfeng_search::SearchIndex;
use tokio::sync::watch;

/// The modules this build serves. Each system's crate adds itself here.
pub fn modules() -> Vec<Arc<dyn Module>> {
    vec![qingfeng_credit::module(), qingfeng_mediation::module(), qingfeng_portal::module()]
}

/// Open the database of `cfg`, migrate it, and load the county registry if the
/// database is new.
pub async fn open_db(cfg: &Config, clock: &Clock) -> anyhow::Result<Db> {
    std::fs::create_dir_all(&cfg.data_dir).with_context(|| format!("无法创建数据目录 {}", cfg.data_dir.display()))?;
    let db =
        Db::connect_tuned(&cfg.effective_database_url(), cfg.sqlite_cache_mib, cfg.sqlite_connections).await.context("无法连接数据库")?;
    db.migrate().await.context("数据库迁移失败")?;
    if registry::division(&db, &cfg.county_code).await?.is_none() {
        let sum = registry::load_reference(&db, clock.now_ms()).await?;
        tracing::info!(divisions = sum.divisions, grids = sum.grids, organisations = sum.organisations, "county registry loaded");
    }
    Ok(db)
}

/// How much synthetic data `--demo` loads on top of the demo organisations and accounts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DemoVolume {
    /// Synthetic credit records of each kind.
    pub credit_records: u64,
    /// Synthetic mediation cases (a history over three years, for the figures).
    pub mediation_cases: u64,
    /// Synthetic portal tickets (小事快办 and 投诉, with their ratings).
    pub portal_tickets: u64,
}

/// What `serve --demo` loads: enough to browse, quick to load.
pub const DEMO_VOLUME: DemoVolume = DemoVolume { credit_records: 2000, mediation_cases: 1500, portal_tickets: 36 };

/// Demo accounts and organisations only (tests that make their own data).
pub const DEMO_ACCOUNTS_ONLY: DemoVolume = DemoVolume { credit_records: 0, mediation_cases: 0, portal_tickets: 0 };

/// Everything a server needs, ready to serve.
pub async fn build_state(cfg: Config, clock: Clock, demo: bool) -> anyhow::Result<AppState> {
    build_state_with(cfg, clock, demo, DEMO_VOLUME).await
}

/// [`build_state`] with the volume of synthetic data the demo loads (tests that do not
/// need it pass [`DEMO_ACCOUNTS_ONLY`]).
pub async fn build_state_with(cfg: Config, clock: Clock, demo: bool, volume: DemoVolume) -> anyhow::Result<AppState> {
    let db = open_db(&cfg, &clock).await?;
    let pii = Pii::load_or_create(&cfg.pii_key, &cfg.data_dir)?;
    if demo {
        demo::load(&db, &pii, &cfg, &clock).await?;
        demo::load_credit(&db, &pii, &cfg, &clock, volume.credit_records).await?;
        demo::load_mediation(&db, &clock, volume.mediation_cases).await?;
        let cal = calendar::load(&db).await?;
        qingfeng_portal::tickets::demo::load(&db, &pii, &cal, &cfg.county_code, clock.now_ms(), usize::try_from(volume.portal_tickets)?)
            .await?;
    }
    let library = load_policies(&db, &clock).await?;
    let cal = calendar::load(&db).await?;
    let search = Arc::new(open_search(&cfg)?);
    if search.doc_count() == 0 || demo {
        reindex(&db, &search, &clock).await?;
    } else {
        if library.changed() {
            qingfeng_portal::index::reindex(&db, &search).await?;
        }
        portal_content_reindex(&db, &search).await?;
    }
    Ok(AppState::new(db, cfg, clock, pii, cal, search, modules()))
}

/// 营商政策 Load the policy library embedded in the binary into the database when it is
/// missing or changed (idempotent; quick when nothing changed).
pub async fn load_policies(db: &Db, clock: &Clock) -> anyhow::Result<qingfeng_portal::store::LoadSummary> {
    let sum = qingfeng_portal::store::ensure_loaded(db, &qingfeng_portal::policy::library(), clock.now_ms()).await?;
    if sum.changed() {
        tracing::info!(inserted = sum.inserted, updated = sum.updated, "policy library loaded");
    }
    Ok(sum)
}

/// Rebuild the whole search index from the database: the registry and each module's
/// documents (credit subjects, policy articles). Returns documents written.
pub async fn reindex(db: &Db, index: &SearchIndex, clock: &Clock) -> anyhow::Result<usize> {
    let registry = indexing::reindex_registry(db, index).await?;
    let credit = qingfeng_credit::index::reindex(db, index, clock.now_ms()).await?;
    load_policies(db, clock).await?;
    let policies = qingfeng_portal::index::reindex(db, index).await?;
    let portal = portal_content_reindex(db, index).await?;
    Ok(registry + credit + policies + portal)
}

/// The portal content that staff edit in the database (部门职责, 公共服务, 营商动态/经典案例…): rebuilt at
/// every start-up (a few hundred documents) and by `qingfeng reindex`.
pub async fn portal_content_reindex(db: &Db, index: &SearchIndex) -> anyhow::Result<usize> {
    let departments = qingfeng_portal::departments::index::reindex(db, index).await?;
    let services = qingfeng_portal::services::index::reindex(db, index).await?;
    let articles = qingfeng_portal::content::index::reindex(db, index).await?;
    let lists = qingfeng_portal::lists::index::reindex(db, index).await?;
    Ok(departments + services + articles + lists)
}

/// The search index in `DATA_DIR/search` (rebuilt by `qingfeng reindex`).
pub fn open_search(cfg: &Config) -> anyhow::Result<SearchIndex> {
    SearchIndex::open(&cfg.data_dir.join("search")).map_err(|e| anyhow::anyhow!("{} ({})", e, e.code()))
}

/// A running server (used by `serve` and by the tests).
pub struct Running {
    pub addr: SocketAddr,
    pub state: AppState,
    shutdown: watch::Sender<bool>,
    handle: tokio::task::JoinHandle<std::io::Result<()>>,
    background: Vec<tokio::task::JoinHandle<()>>,
}

impl Running {
    /// Stop accepting, finish requests in flight, stop background work.
    pub async fn stop(self) -> anyhow::Result<()> {
        let _ = self.shutdown.send(true);
        self.wait().await
    }

    /// Wait until the server ends (after [`Running::stop`] or a shutdown signal), then
    /// let the scheduler and the deliverer finish their current step.
    pub async fn wait(self) -> anyhow::Result<()> {
        self.handle.await??;
        for b in self.background {
            let _ = b.await;
        }
        self.state.db.close().await;
        Ok(())
    }

    pub fn shutdown_sender(&self) -> watch::Sender<bool> {
        self.shutdown.clone()
    }
}

/// Bind `bind` and serve `state` until told to stop.
pub async fn start(state: AppState, bind: &str) -> anyhow::Result<Running> {
    let listener = tokio::net::TcpListener::bind(bind).await.with_context(|| format!("无法监听 {bind}"))?;
    let addr = listener.local_addr()?;
    let (tx, mut rx) = watch::channel(false);
    let tick = std::time::Duration::from_millis(state.cfg.scheduler_tick_ms);
    let mut scheduler = Scheduler::new(state.db.clone(), state.clock.clone(), state.job_handlers(), tick).with_search(state.search.clone());
    for r in state.recurring_jobs() {
        scheduler = scheduler.with_recurring(r);
    }
    // Signed payloads are never re-sent to wherever a redirect points.
    let client = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().context("无法创建推送客户端")?;
    let deliverer = Deliverer::new(state.db.clone(), state.clock.clone(), client).with_tick(tick);
    let background = vec![scheduler.spawn(rx.clone()), deliverer.spawn(rx.clone())];
    let app = web::router(state.clone()).into_make_service_with_connect_info::<SocketAddr>();
    let handle = tokio::spawn(async move {
        axum::serve(listener, app)
            .with_graceful_shutdown(async move {
                let _ = rx.wait_for(|stop| *stop).await;
            })
            .await
    });
    Ok(Running { addr, state, shutdown: tx, handle, background })
}
