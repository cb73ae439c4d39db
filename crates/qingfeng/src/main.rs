//! `qingfeng`: the command line of the Qingfeng platform.

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::str::FromStr;

use anyhow::{Context, bail};
use clap::{Parser, Subcommand};
use qingfeng_core::validate::{Kind, Verdict, validate};
use qingfeng_platform::audit::{self, Actor};
use qingfeng_platform::auth::Role;
use qingfeng_platform::config::Config;
use qingfeng_platform::pii::Pii;
use qingfeng_platform::users::{self, NewUser};
use qingfeng_platform::{Clock, Db, calendar, session};

mod bench_portal;

#[derive(Parser)]
#[command(name = "qingfeng", version, about = "清丰县数字治理平台 · Qingfeng county digital-governance platform")]
struct Cli {
    /// 数据目录 Data directory (default ./qingfeng-data, or QINGFENG_DATA_DIR).
    #[arg(long, global = true)]
    data_dir: Option<PathBuf>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// 启动平台 Start the web server (migrates first; loads the county registry on a new database).
    Serve {
        /// Address to listen on (default 127.0.0.1:8080, or QINGFENG_BIND).
        #[arg(long)]
        bind: Option<String>,
        /// Also load the demo organisations and demo accounts.
        #[arg(long)]
        demo: bool,
    },
    /// 数据库迁移 Apply database migrations and load the county registry if missing.
    Migrate,
    /// 显示配置 Print the effective configuration (secrets masked).
    Config,
    /// 账号 Manage accounts.
    #[command(subcommand)]
    User(UserCmd),
    /// 接口令牌 Manage API tokens for machine clients.
    #[command(subcommand)]
    Token(TokenCmd),
    /// 审计 The audit chain.
    #[command(subcommand)]
    Audit(AuditCmd),
    /// 工作日历 Load holiday arrangements of later years.
    #[command(subcommand)]
    Calendar(CalendarCmd),
    /// 备份 Consistent online backup (SQLite: VACUUM INTO; PostgreSQL: pg_dump).
    Backup {
        #[arg(long)]
        to: PathBuf,
    },
    /// 社会信用 The credit platform (社会信用信息平台).
    #[command(subcommand)]
    Credit(CreditCmd),
    /// 基准测试 Benchmarks that print their figures as JSON (see docs/benchmarks.md).
    #[command(subcommand)]
    Bench(BenchCmd),
    /// 营商环境直通车 The portal: import the published lists.
    #[command(subcommand)]
    Portal(PortalCmd),
    /// 重建检索索引 Rebuild the search index from the database (stop the server first).
    Reindex,
    /// 外部推送 Webhook endpoints (综治平台, court mediation platform, banks).
    #[command(subcommand)]
    Webhook(WebhookCmd),
    /// 恢复 Restore a backup made by `qingfeng backup` (stop the server first).
    Restore {
        #[arg(long)]
        from: PathBuf,
        /// Replace an existing database.
        #[arg(long)]
        force: bool,
    },
    /// 校验 Check identifiers: one line per value, exit 1 if any is invalid.
    Validate {
        /// uscc (统一社会信用代码), id (身份证号) or division (区划代码).
        kind: String,
        values: Vec<String>,
        /// Accept pilot-era USCCs whose check digit fails (with a warning).
        #[arg(long)]
        lenient: bool,
    },
}

#[derive(Subcommand)]
enum UserCmd {
    /// Create an account.
    Add {
        #[arg(long)]
        username: String,
        /// 姓名 Display name.
        #[arg(long)]
        name: String,
        /// Role key (system_admin, county_admin, credit_officer, dept_staff, township_staff, grid_worker, mediator, tribunal_judge, bank_officer, care_staff).
        #[arg(long)]
        role: Vec<String>,
        /// 管辖区划 Scope division code (default: the county).
        #[arg(long)]
        scope: Option<String>,
        #[arg(long)]
        org_id: Option<i64>,
        /// Read the password from standard input (otherwise one is generated and printed).
        #[arg(long)]
        password_stdin: bool,
    },
    /// Set a new password (generated unless --password-stdin); the user must change it at next login.
    Passwd {
        username: String,
        #[arg(long)]
        password_stdin: bool,
    },
    /// List accounts.
    List,
    /// Disable an account (ends its sessions, revokes its tokens).
    Disable { username: String },
    /// Enable a disabled account.
    Enable { username: String },
}

#[derive(Subcommand)]
enum TokenCmd {
    /// Issue a token acting as an account; the secret is printed once.
    Create {
        #[arg(long)]
        user: String,
        #[arg(long)]
        name: String,
        /// Permission keys the token is limited to (default: all of the account's).
        #[arg(long, value_delimiter = ',')]
        permissions: Vec<String>,
    },
    List,
    Revoke {
        id: i64,
    },
}

#[derive(Subcommand)]
enum CreditCmd {
    /// 归集导入 Import a department's file: Excel .xlsx (first worksheet, first row the
    /// header), CSV (UTF-8 or GBK) — Chinese column names or field codes — or JSON lines
    /// (.jsonl). The format follows the extension, or the ZIP magic bytes of a workbook.
    /// Ends with `read=N stored=N updated=N duplicate=N rejected=N`.
    Import {
        file: PathBuf,
        /// Records: xk (行政许可), cf (行政处罚), commitment (信用承诺), tax_a (纳税信用A级);
        /// lists: red (守信激励对象), black (严重失信主体名单), dishonest_debtor (失信被执行人),
        /// abnormal (经营异常名录). The Chinese names are accepted too.
        #[arg(long)]
        kind: String,
        /// Only accept rows whose 数据来源单位 is this USCC.
        #[arg(long)]
        source_dept: Option<String>,
        /// Write rejected rows here as CSV (UTF-8): the input's columns plus 行号 and
        /// 错误原因 — also for an .xlsx input, whose cells are written as read.
        #[arg(long)]
        rejects: Option<PathBuf>,
        /// Accept pilot-era USCCs whose check character fails (recorded as a warning).
        #[arg(long)]
        lenient: bool,
        /// SQLite page cache of this import in MiB (default 512, or the configured
        /// `sqlite_cache_mib` if larger). The import process peaks at about this plus
        /// 0.5 GB; a small machine can lower it, at a cost in speed on large tables
        /// (docs/benchmarks.md: 13 M records took 508 s with 64 MiB, 416 s with 512 MiB).
        #[arg(long)]
        cache_mib: Option<u32>,
    },
    /// 生成合成数据 Write SYNTHETIC records (demo and benchmark data, marked 合成演示数据):
    /// valid codes of 清丰县, plausible names, a share of deliberately bad rows.
    Generate {
        /// xk or cf.
        #[arg(long)]
        kind: String,
        #[arg(long, default_value_t = 1000)]
        records: u64,
        /// Share of rows with one deliberate defect (0–1).
        #[arg(long, default_value_t = 0.0)]
        bad_share: f64,
        #[arg(long, default_value_t = 1)]
        seed: u64,
        /// Output file; `.jsonl` writes JSON lines, anything else CSV.
        #[arg(long)]
        out: PathBuf,
    },
}

#[derive(Subcommand)]
enum BenchCmd {
    /// 归集基准 Generate N synthetic records, import them through the real pipeline, load
    /// the identical rows by the backend's raw bulk path (the ceiling) into a second fresh
    /// database, and print `records, seconds, records_per_s, ceiling_records_per_s, ratio,
    /// peak_rss_mb` as JSON. Uses fresh databases only: never the configured one.
    CreditIngest {
        #[arg(long, default_value_t = 1_000_000)]
        records: u64,
        /// A PostgreSQL server URL (two scratch databases are created there and dropped
        /// afterwards); without it, two SQLite files in the work directory.
        #[arg(long)]
        database: Option<String>,
        /// Where the generated files and SQLite databases go (default: a temporary directory).
        #[arg(long)]
        work_dir: Option<PathBuf>,
        /// Share of rows with one deliberate defect (0–1).
        #[arg(long, default_value_t = 0.01)]
        bad_share: f64,
        /// SQLite page cache per connection, in MiB (as `credit import` uses by default).
        #[arg(long, default_value_t = qingfeng_platform::db::BULK_SQLITE_CACHE_MIB)]
        sqlite_cache_mib: u32,
    },
    /// 调解案件基准 Generate N synthetic cases (演示数据) over the real townships and
    /// villages into a fresh database, then time the county administrator's case list
    /// (page 1 and a deep page), a township's list, searches and the figures page
    /// (queries + render); print p50/p99 per query as JSON. Goals: lists and searches
    /// p99 ≤ 50 ms, figures page ≤ 200 ms. Uses a fresh database only: never the
    /// configured one.
    Mediation {
        #[arg(long, default_value_t = 100_000)]
        cases: u64,
        /// A PostgreSQL server URL (a scratch database is created there and dropped
        /// afterwards); without it, a SQLite file in the work directory.
        #[arg(long)]
        database: Option<String>,
        /// Where the SQLite database goes (default: a temporary directory).
        #[arg(long)]
        work_dir: Option<PathBuf>,
        /// Timed runs of each list query (the figures get a quarter as many, at least 10).
        #[arg(long, default_value_t = 200)]
        runs: usize,
    },
    /// 直通车基准 (a) Start the server on loopback with the demo county (a fresh SQLite
    /// database in the work directory), load it with `wrk` (64 connections) on the portal
    /// home, a policy search page and a cross-content search page; print requests/s and
    /// p50/p99 per page (goals: ≥ 2,000 rps, p99 ≤ 50 ms). (b) Build a search index of N
    /// synthetic portal documents over every kind (marked 合成基准数据, in the work
    /// directory) and time the cross-content search over realistic Chinese queries
    /// (goal: p99 ≤ 20 ms). Prints JSON. Never touches the configured database or index.
    Portal {
        #[arg(long, default_value_t = 100_000)]
        docs: usize,
        /// Seconds of load per page.
        #[arg(long, default_value_t = 10)]
        seconds: u64,
        #[arg(long, default_value_t = 64)]
        connections: u32,
        /// wrk threads.
        #[arg(long, default_value_t = 2)]
        threads: u32,
        /// Passes over the query set in the search timing.
        #[arg(long, default_value_t = 20)]
        rounds: usize,
        /// The wrk binary.
        #[arg(long, default_value = "wrk")]
        wrk: String,
        /// Where the database and the index go (default: a temporary directory).
        #[arg(long)]
        work_dir: Option<PathBuf>,
    },
}

#[derive(Subcommand)]
enum WebhookCmd {
    /// Register an endpoint; its signing secret is printed once.
    Add {
        #[arg(long)]
        name: String,
        #[arg(long)]
        url: String,
        /// Comma-separated topics, `*` for all.
        #[arg(long, default_value = "*")]
        topics: String,
    },
    List,
}

#[derive(Subcommand)]
enum AuditCmd {
    /// Prove the chain is whole; exit 1 and list every problem otherwise.
    Verify,
}

#[derive(Subcommand)]
enum PortalCmd {
    /// Import a list file (CSV in UTF-8 or GBK, or .xlsx) as a new version; a file with a
    /// rejected row is not stored. Ends with `read=N accepted=N rejected=N version=ID|-`.
    ImportList {
        /// negative (市场准入负面清单) | powers (权责清单) | fees (收费清单)
        #[arg(long)]
        kind: String,
        file: PathBuf,
        /// A known negative-list edition: 2022 | 2025 (fills title, 文号, item count).
        #[arg(long, default_value = "")]
        edition: String,
        #[arg(long, default_value = "")]
        title: String,
        #[arg(long, default_value = "")]
        doc_number: String,
        /// Items in the official text.
        #[arg(long, default_value = "")]
        official_count: String,
        #[arg(long, default_value = "")]
        source: String,
        /// Keep the current version current (the new one is stored beside it).
        #[arg(long)]
        not_current: bool,
        /// Write the rejected rows here as CSV.
        #[arg(long)]
        rejects: Option<PathBuf>,
    },
}

#[derive(Subcommand)]
enum CalendarCmd {
    /// Import a CSV `date,kind,name,source` (kind = holiday | workday).
    Import { file: PathBuf },
}

/// Bounds of `credit import --cache-mib` (SQLite's page cache of the import, MiB).
const IMPORT_CACHE_MIB_MIN: u32 = 2;
const IMPORT_CACHE_MIB_MAX: u32 = 65_536;

/// mimalloc: the import pipeline allocates on its reading thread and frees on the
/// writer; glibc's allocator spent a fifth of the run consolidating such frees.
///
/// With the `override` feature (crates/qingfeng/Cargo.toml) mimalloc also serves C
/// `malloc`, i.e. SQLite's own allocations: under load each of the pool's worker
/// threads otherwise grew a glibc arena of its own. Profile API on the 13 M database
/// (docs/benchmarks.md): peak server RSS 380 → 131 MB, 2,458 → 3,177 requests/s.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let cli = Cli::parse();
    let runtime = match tokio::runtime::Builder::new_multi_thread().enable_all().build() {
        Ok(r) => r,
        Err(e) => {
            eprintln!("错误: 无法启动运行时: {e}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(run(cli)) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("错误: {e:#}");
            ExitCode::FAILURE
        }
    }
}

fn init_logging(cfg: &Config) {
    let filter = tracing_subscriber::EnvFilter::try_new(&cfg.log).unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    let _ = tracing_subscriber::fmt().with_env_filter(filter).try_init();
}

fn cli_actor() -> Actor {
    Actor::System("cli")
}

async fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    if let Command::Validate { kind, values, lenient } = &cli.command {
        return validate_cmd(kind, values, *lenient);
    }
    let mut cfg = Config::load(cli.data_dir.as_deref())?;
    let clock = Clock::System;
    match cli.command {
        Command::Serve { bind, demo } => {
            if let Some(b) = bind {
                cfg.bind = b;
            }
            init_logging(&cfg);
            let bind = cfg.bind.clone();
            let state = qingfeng::build_state(cfg, clock, demo).await?;
            let running = qingfeng::start(state, &bind).await?;
            println!("清丰平台已启动 · Qingfeng is serving at http://{}", running.addr);
            println!("数据库 · database: {:?}", running.state.db.backend());
            if demo {
                print!("{}", qingfeng::demo::accounts_banner());
            }
            let stop = running.shutdown_sender();
            tokio::spawn(async move {
                shutdown_signal().await;
                println!("正在停止… · shutting down");
                let _ = stop.send(true);
            });
            running.wait().await?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Migrate => {
            let db = qingfeng::open_db(&cfg, &clock).await?;
            println!("迁移完成 · migrations applied ({:?})", db.backend());
            Ok(ExitCode::SUCCESS)
        }
        Command::Config => {
            print!("{}", cfg.display_masked());
            Ok(ExitCode::SUCCESS)
        }
        Command::User(cmd) => user_cmd(&cfg, &clock, cmd).await,
        Command::Token(cmd) => token_cmd(&cfg, &clock, cmd).await,
        Command::Audit(AuditCmd::Verify) => {
            let db = qingfeng::open_db(&cfg, &clock).await?;
            let report = audit::verify(&db).await?;
            if report.is_intact() {
                println!("审计链完整 · audit chain intact: {} entries, last #{}", report.checked, report.last_seq);
                Ok(ExitCode::SUCCESS)
            } else {
                for p in &report.problems {
                    println!("#{}\t{}\t{}", p.seq, p.code, p.message);
                }
                println!("审计链被破坏 · audit chain broken: {} problem(s) in {} entries", report.problems.len(), report.checked);
                Ok(ExitCode::from(1))
            }
        }
        Command::Calendar(CalendarCmd::Import { file }) => {
            let db = qingfeng::open_db(&cfg, &clock).await?;
            let text = std::fs::read_to_string(&file).with_context(|| format!("无法读取 {}", file.display()))?;
            let sum = calendar::import(&db, &text, &cli_actor(), &cfg.county_code, clock.now_ms()).await?;
            println!("read={} stored={} years={:?}", sum.read, sum.stored, sum.years);
            Ok(ExitCode::SUCCESS)
        }
        Command::Credit(cmd) => credit_cmd(&cfg, &clock, cmd).await,
        Command::Bench(cmd) => bench_cmd(&cfg, &clock, cmd).await,
        Command::Portal(PortalCmd::ImportList { kind, file, edition, title, doc_number, official_count, source, not_current, rejects }) => {
            use qingfeng_portal::lists::{console, import, index, store};
            let db = qingfeng::open_db(&cfg, &clock).await?;
            let kind = console::parse_kind(&kind).map_err(|e| anyhow::anyhow!("{}（{}）", e.message, e.code))?;
            let mut meta = console::meta_from(kind, &edition, &title, &doc_number, &official_count, &source)
                .map_err(|e| anyhow::anyhow!("{}（{}）", e.message, e.code))?;
            meta.make_current = !not_current;
            let name = file.file_name().map(|n| n.to_string_lossy().to_string()).unwrap_or_default();
            let input = std::fs::File::open(&file).with_context(|| format!("无法读取 {}", file.display()))?;
            let sum = import::run(&db, &cfg.county_code, kind, &name, Box::new(input), meta, &cli_actor(), clock.now_ms())
                .await
                .map_err(|e| anyhow::anyhow!("{}（{}）", e.message, e.code))?;
            for r in &sum.rejects {
                eprintln!("第{}行\t{}\t{}", r.line, r.column_name, r.reason);
            }
            if let Some(out) = rejects {
                let record = store::import_record(&db, sum.import_id).await?.context("import record")?;
                let all = store::rejects(&db, sum.import_id).await?;
                std::fs::write(&out, import::rejects_csv(&record.header, &all)?).with_context(|| format!("无法写入 {}", out.display()))?;
            }
            if !sum.message.is_empty() {
                eprintln!("{}", sum.message);
            }
            if sum.version_id.is_some() {
                match qingfeng::open_search(&cfg) {
                    Ok(search) => index::refresh(&db, &search).await,
                    Err(e) => eprintln!("检索索引未更新（{e}）：请停止服务后运行 qingfeng reindex"),
                }
            }
            let version = sum.version_id.map(|v| v.to_string()).unwrap_or_else(|| "-".into());
            println!("read={} accepted={} rejected={} version={version}", sum.read, sum.accepted, sum.rejected);
            Ok(if sum.version_id.is_some() { ExitCode::SUCCESS } else { ExitCode::from(1) })
        }
        Command::Reindex => {
            let db = qingfeng::open_db(&cfg, &clock).await?;
            let index = qingfeng::open_search(&cfg)?;
            let n = qingfeng::reindex(&db, &index, &clock).await?;
            println!("已重建索引 · reindexed {n} documents");
            Ok(ExitCode::SUCCESS)
        }
        Command::Webhook(cmd) => {
            let db = qingfeng::open_db(&cfg, &clock).await?;
            match cmd {
                WebhookCmd::Add { name, url, topics } => {
                    let new = qingfeng_platform::outbox::NewEndpoint {
                        county_code: &cfg.county_code,
                        name: &name,
                        url: &url,
                        topics: &topics,
                        secret: None,
                    };
                    let ep = qingfeng_platform::outbox::create_endpoint(&db, clock.now_ms(), &new, &cli_actor()).await?;
                    println!("已登记 · endpoint {} registered; signing secret (shown once):\n{}", ep.id, ep.secret);
                }
                WebhookCmd::List => {
                    for e in qingfeng_platform::outbox::list_endpoints(&db, None).await? {
                        println!("{}\t{}\t{}\t{}\t{}", e.id, e.name, e.url, e.topics, if e.active { "active" } else { "paused" });
                    }
                }
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Backup { to } => backup(&cfg, &clock, &to).await,
        Command::Restore { from, force } => restore(&cfg, &from, force).await,
        Command::Validate { .. } => Ok(ExitCode::SUCCESS),
    }
}

fn validate_cmd(kind: &str, values: &[String], lenient: bool) -> anyhow::Result<ExitCode> {
    let kind = match kind {
        "uscc" => Kind::Uscc,
        "id" => Kind::Id,
        "division" => Kind::Division,
        other => bail!("未知的校验类型“{other}”，可选 uscc、id、division"),
    };
    if values.is_empty() {
        bail!("请给出至少一个要校验的值");
    }
    let mut all_ok = true;
    for v in values {
        let verdict = validate(kind, v, lenient);
        if matches!(verdict, Verdict::Error { .. }) {
            all_ok = false;
        }
        println!("{}", verdict.to_line(v));
    }
    Ok(if all_ok { ExitCode::SUCCESS } else { ExitCode::from(1) })
}

fn read_password(from_stdin: bool) -> anyhow::Result<(String, bool)> {
    if from_stdin {
        let mut s = String::new();
        std::io::stdin().read_to_string(&mut s)?;
        Ok((s.trim_end_matches(['\n', '\r']).to_string(), false))
    } else {
        // A generated password: letters and digits, shown once.
        let t = session::random_token().replace(['-', '_'], "x");
        Ok((format!("Qf{}9", &t[..14]), true))
    }
}

async fn user_cmd(cfg: &Config, clock: &Clock, cmd: UserCmd) -> anyhow::Result<ExitCode> {
    let db = qingfeng::open_db(cfg, clock).await?;
    let pii = Pii::load_or_create(&cfg.pii_key, &cfg.data_dir)?;
    match cmd {
        UserCmd::Add { username, name, role, scope, org_id, password_stdin } => {
            let roles = role.iter().map(|r| Role::parse(r)).collect::<Result<Vec<_>, _>>()?;
            let (password, generated) = read_password(password_stdin)?;
            let scope = scope.unwrap_or_else(|| cfg.county_code.clone());
            let new = NewUser {
                county_code: &cfg.county_code,
                username: &username,
                display_name: &name,
                password: &password,
                org_id,
                scope_division: &scope,
                roles: &roles,
                phone: "",
                id_number: None,
                must_change_password: generated,
                is_demo: false,
            };
            let id = users::create(&db, &pii, &new, &cli_actor(), clock.now_ms()).await?;
            println!("已创建账号 · created user {username} (id {id})");
            if generated {
                println!("初始密码 · initial password (shown once): {password}");
            }
        }
        UserCmd::Passwd { username, password_stdin } => {
            let u = users::by_username(&db, &username).await?.with_context(|| format!("账号“{username}”不存在"))?;
            let (password, generated) = read_password(password_stdin)?;
            users::set_password(&db, u.id, &password, generated, &cli_actor(), clock.now_ms()).await?;
            println!("已重设密码 · password set for {username}");
            if generated {
                println!("新密码 · new password (shown once): {password}");
            }
        }
        UserCmd::List => {
            let scope = qingfeng_platform::auth::Scope::everything();
            let raw = qingfeng_platform::listing::ListQuery { per_page: Some("200".into()), ..Default::default() };
            let mut page_no = 1;
            loop {
                let raw = qingfeng_platform::listing::ListQuery { page: Some(page_no.to_string()), ..raw.clone() };
                let params = qingfeng_platform::listing::ListParams::parse(&raw, users::USER_SORT, "id")?;
                let page = users::list(&db, &scope, &params).await?;
                for u in &page.items {
                    println!(
                        "{}\t{}\t{}\t{}\t{}\t{}",
                        u.id,
                        u.username,
                        u.display_name,
                        u.roles,
                        u.scope_division,
                        if u.disabled { "disabled" } else { "active" }
                    );
                }
                if !page.has_next() {
                    break;
                }
                page_no += 1;
            }
        }
        UserCmd::Disable { username } => {
            let u = users::by_username(&db, &username).await?.with_context(|| format!("账号“{username}”不存在"))?;
            users::set_disabled(&db, u.id, true, &cli_actor(), clock.now_ms()).await?;
            println!("已停用 · disabled {username}");
        }
        UserCmd::Enable { username } => {
            let u = users::by_username(&db, &username).await?.with_context(|| format!("账号“{username}”不存在"))?;
            users::set_disabled(&db, u.id, false, &cli_actor(), clock.now_ms()).await?;
            println!("已启用 · enabled {username}");
        }
    }
    Ok(ExitCode::SUCCESS)
}

async fn token_cmd(cfg: &Config, clock: &Clock, cmd: TokenCmd) -> anyhow::Result<ExitCode> {
    let db = qingfeng::open_db(cfg, clock).await?;
    match cmd {
        TokenCmd::Create { user, name, permissions } => {
            let u = users::by_username(&db, &user).await?.with_context(|| format!("账号“{user}”不存在"))?;
            let (id, secret) = session::create_token(
                &db,
                session::Issuer::Operator,
                u.id,
                &name,
                &permissions,
                &qingfeng_platform::web::all_permissions(&qingfeng::modules()),
                None,
                &cli_actor(),
                clock.now_ms(),
            )
            .await?;
            println!("令牌 {id} · token {id} (shown once):\n{secret}");
        }
        TokenCmd::List => {
            for t in session::list_tokens(&db, &qingfeng_platform::auth::Scope::everything()).await? {
                println!(
                    "{}\t{}\t{}…\t{}\t{}\t{}",
                    t.id,
                    t.name,
                    t.prefix,
                    t.username,
                    t.permissions,
                    if t.revoked_at.is_some() { "revoked" } else { "active" }
                );
            }
        }
        TokenCmd::Revoke { id } => {
            session::revoke_token(&db, &qingfeng_platform::auth::Scope::everything(), id, &cli_actor(), clock.now_ms()).await?;
            println!("已撤销 · revoked token {id}");
        }
    }
    Ok(ExitCode::SUCCESS)
}

async fn backup(cfg: &Config, clock: &Clock, to: &Path) -> anyhow::Result<ExitCode> {
    if to.exists() {
        bail!("目标文件 {} 已存在，不会覆盖", to.display());
    }
    let db = qingfeng::open_db(cfg, clock).await?;
    match &db {
        Db::Sqlite(p) => {
            let target = std::path::absolute(to)?;
            let path = target.to_str().context("备份路径须为 UTF-8")?.replace('\'', "''");
            sqlx::query(sqlx::AssertSqlSafe(format!("VACUUM INTO '{path}'"))).execute(p).await.context("备份失败")?;
            let size = std::fs::metadata(&target)?.len();
            println!("已备份 · backup written: {} ({size} bytes, SQLite VACUUM INTO)", target.display());
        }
        Db::Postgres(_) => {
            let (url, password) = split_pg_password(&cfg.effective_database_url())?;
            let mut cmd = std::process::Command::new("pg_dump");
            cmd.args(["--format=custom", "--file"]).arg(to).arg(&url);
            if let Some(pw) = password {
                cmd.env("PGPASSWORD", pw);
            }
            match cmd.status() {
                Ok(s) if s.success() => println!("已备份 · backup written: {} (pg_dump custom format)", to.display()),
                Ok(s) => bail!("pg_dump 失败（退出码 {s}）"),
                Err(_) => bail!(
                    "未找到 pg_dump。PostgreSQL 请用 `pg_dump --format=custom --file {} \"$QINGFENG_DATABASE_URL\"` 备份",
                    to.display()
                ),
            }
        }
    }
    db.close().await;
    print!("{}", not_in_backup_note(cfg));
    Ok(ExitCode::SUCCESS)
}

/// What a database backup does not hold: the personal-data key and the attachments.
fn not_in_backup_note(cfg: &Config) -> String {
    let (key_zh, key_en) = if cfg.pii_key.trim().is_empty() {
        let path = cfg.data_dir.join("keys").join("pii.key");
        (format!("个人信息密钥文件 {}", path.display()), format!("the personal-data key file {}", path.display()))
    } else {
        (
            "配置中的个人信息密钥 pii_key（QINGFENG_PII_KEY 或 qingfeng.toml）".to_string(),
            "the personal-data key pii_key set in configuration (QINGFENG_PII_KEY or qingfeng.toml)".to_string(),
        )
    };
    let attachments = cfg.data_dir.join("attachments");
    format!(
        "注意：此备份只含数据库，以下内容不在备份中，须另行妥善保管：\n\
         \x20 - {key_zh}：没有它，备份中加密保存的身份证号等个人信息无法解密；密钥刻意不放进备份，以免与其保护的数据存放在一起；请把它另行安全保存，且与数据备份分开存放。\n\
         \x20 - 附件目录 {attachments}：请另行复制。\n\
         NOTE: this backup holds the database only. NOT included — keep these separately and safely:\n\
         \x20 - {key_en}: without it the encrypted personal data in the backup cannot be read; it is deliberately \
         left out so that it is not stored next to the data it protects; keep it safe, apart from the data backup.\n\
         \x20 - the attachments folder {attachments}: copy it separately.\n",
        attachments = attachments.display()
    )
}

/// Split a PostgreSQL URL into the URL without its password and the password, so that
/// the password reaches `pg_dump`/`pg_restore` through `PGPASSWORD` and never appears on
/// a command line (which every local user can read in `ps`).
fn split_pg_password(url: &str) -> anyhow::Result<(String, Option<String>)> {
    let mut u = reqwest::Url::parse(url).map_err(|e| anyhow::anyhow!("数据库地址无法解析：{e}"))?;
    let mut password = u.password().map(percent_decode);
    if password.is_some() && u.set_password(None).is_err() {
        bail!("数据库地址无法解析：无法去除其中的密码");
    }
    // libpq also takes the password as a query parameter.
    let pairs: Vec<(String, String)> = u.query_pairs().into_owned().collect();
    if pairs.iter().any(|(k, _)| k == "password") {
        let mut kept = Vec::new();
        for (k, v) in pairs {
            if k == "password" {
                password = Some(v);
            } else {
                kept.push((k, v));
            }
        }
        if kept.is_empty() {
            u.set_query(None);
        } else {
            u.query_pairs_mut().clear().extend_pairs(kept);
        }
    }
    Ok((u.to_string(), password.filter(|p| !p.is_empty())))
}

/// Decode `%XX` escapes (URL user-info is percent-encoded).
fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = s.get(i + 1..i + 3).filter(|h| h.bytes().all(|b| b.is_ascii_hexdigit()));
        match (bytes[i], hex.and_then(|h| u8::from_str_radix(h, 16).ok())) {
            (b'%', Some(b)) => {
                out.push(b);
                i += 3;
            }
            (b, _) => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// The SQLite file the configuration actually uses: the path of a `sqlite:` URL, or
/// `DATA_DIR/qingfeng.db` when none is configured.
fn sqlite_file(cfg: &Config) -> anyhow::Result<PathBuf> {
    let url = cfg.database_url.trim();
    if url.is_empty() {
        return Ok(cfg.data_dir.join("qingfeng.db"));
    }
    if !url.starts_with("sqlite:") {
        bail!("不支持的数据库地址（只支持 sqlite: 与 postgres://）");
    }
    if url.contains(":memory:") || url.contains("mode=memory") {
        bail!("内存数据库无法恢复备份，请配置数据库文件路径");
    }
    let opts = sqlx::sqlite::SqliteConnectOptions::from_str(url).context("数据库地址无法解析")?;
    Ok(opts.get_filename().to_path_buf())
}

/// `path` with `suffix` appended to its file name (`qingfeng.db` → `qingfeng.db-wal`).
fn with_suffix(path: &Path, suffix: &str) -> PathBuf {
    let mut s = path.as_os_str().to_os_string();
    s.push(suffix);
    PathBuf::from(s)
}

async fn restore(cfg: &Config, from: &Path, force: bool) -> anyhow::Result<ExitCode> {
    if !from.is_file() {
        bail!("备份文件 {} 不存在", from.display());
    }
    let url = cfg.effective_database_url();
    if url.starts_with("postgres") {
        let (url, password) = split_pg_password(&url)?;
        let mut cmd = std::process::Command::new("pg_restore");
        cmd.args(["--clean", "--if-exists", "--no-owner", "--dbname"]).arg(&url).arg(from);
        if let Some(pw) = password {
            cmd.env("PGPASSWORD", pw);
        }
        return match cmd.status() {
            Ok(s) if s.success() => {
                println!("已恢复 · restored from {}", from.display());
                Ok(ExitCode::SUCCESS)
            }
            Ok(s) => bail!("pg_restore 失败（退出码 {s}）"),
            Err(_) => bail!(
                "未找到 pg_restore。PostgreSQL 请用 `pg_restore --clean --if-exists --dbname \"$QINGFENG_DATABASE_URL\" {}` 恢复",
                from.display()
            ),
        };
    }
    let target = sqlite_file(cfg)?;
    // Check the backup is a Qingfeng database before touching anything (read-only).
    let opts = sqlx::sqlite::SqliteConnectOptions::new().filename(from).read_only(true);
    let ok = match sqlx::SqlitePool::connect_with(opts).await {
        Ok(p) => {
            let n: Result<i64, _> = sqlx::query_scalar("SELECT COUNT(*) FROM _sqlx_migrations").fetch_one(&p).await;
            p.close().await;
            n.is_ok_and(|n| n > 0)
        }
        Err(_) => false,
    };
    if !ok {
        bail!("{} 不是清丰平台的数据库备份", from.display());
    }
    if target.exists() {
        if !force {
            bail!("已有数据库 {}；确认覆盖请加 --force（原库会改名保留）", target.display());
        }
        let keep = with_suffix(&target, &format!(".before-restore-{}", chrono::Utc::now().format("%Y%m%d%H%M%S")));
        std::fs::rename(&target, &keep)?;
        for ext in ["-wal", "-shm"] {
            let side = with_suffix(&target, ext);
            if side.exists() {
                std::fs::remove_file(side)?;
            }
        }
        println!("原数据库已保留为 · previous database kept as {}", keep.display());
    }
    if let Some(dir) = target.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir)?;
    }
    std::fs::copy(from, &target)?;
    println!("已恢复 · restored {} → {}", from.display(), target.display());
    Ok(ExitCode::SUCCESS)
}

async fn credit_cmd(cfg: &Config, clock: &Clock, cmd: CreditCmd) -> anyhow::Result<ExitCode> {
    use qingfeng_credit::ingest::{self, CsvRejects, RejectSink, Rejected};
    match cmd {
        CreditCmd::Import { file, kind, source_dept, rejects, lenient, cache_mib } => {
            if let Some(mib) = cache_mib
                && !(IMPORT_CACHE_MIB_MIN..=IMPORT_CACHE_MIB_MAX).contains(&mib)
            {
                anyhow::bail!("--cache-mib 应在 {IMPORT_CACHE_MIB_MIN} 到 {IMPORT_CACHE_MIB_MAX} 之间（单位 MiB），收到 {mib}");
            }
            let kind = qingfeng_credit::model::ImportKind::parse(&kind)
                .with_context(|| format!("未知的信息类别“{kind}”，可选 {}", qingfeng_credit::model::ImportKind::choices()))?;
            let source_dept = match source_dept {
                Some(d) => {
                    Some(qingfeng_core::Uscc::parse(&d).map_err(|e| anyhow::anyhow!("--source-dept：{}", e.message))?.as_str().to_string())
                }
                None => None,
            };
            let mut input = std::fs::File::open(&file).with_context(|| format!("无法打开 {}", file.display()))?;
            // The first bytes tell a workbook (ZIP) whatever its name.
            let mut head = [0u8; 4];
            let n = {
                use std::io::{Read, Seek};
                let n = input.read(&mut head).with_context(|| format!("无法读取 {}", file.display()))?;
                input.seek(std::io::SeekFrom::Start(0))?;
                n
            };
            let size = input.metadata().map(|m| m.len()).unwrap_or(0);
            // The import runs in a process of its own: give SQLite one connection with a
            // larger cache for the indexes it updates (the server keeps its configured pool).
            let bulk_cfg = Config {
                sqlite_cache_mib: cache_mib.unwrap_or(cfg.sqlite_cache_mib.max(qingfeng_platform::db::BULK_SQLITE_CACHE_MIB)),
                sqlite_connections: qingfeng_platform::db::BULK_SQLITE_CONNECTIONS,
                ..cfg.clone()
            };
            let db = qingfeng::open_db(&bulk_cfg, clock).await?;
            let pii = Pii::load_or_create(&cfg.pii_key, &cfg.data_dir)?;
            let file_name = file.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
            let req = ingest::Request {
                county_code: cfg.county_code.clone(),
                kind,
                source_dept,
                format: ingest::reader::Format::detect(&file_name, &head[..n]),
                file_name,
                door: "cli",
                actor: cli_actor(),
                lenient_uscc: lenient,
                today: clock.today(),
                market_regulation: ingest::market_regulation_departments(&db).await?,
                calendar: std::sync::Arc::new(qingfeng_platform::calendar::load(&db).await?),
                clock: clock.clone(),
            };
            /// Rejected rows go to stderr (the first 100) and to the rejects file.
            struct Report {
                shown: u64,
                file: Option<CsvRejects<std::fs::File>>,
            }
            impl RejectSink for Report {
                fn header(&mut self, h: &[String]) -> std::io::Result<()> {
                    self.file.as_mut().map_or(Ok(()), |f| f.header(h))
                }
                fn reject(&mut self, r: &Rejected) -> std::io::Result<()> {
                    self.shown += 1;
                    if self.shown <= 100 {
                        eprintln!("第 {} 行\t{}", r.line, r.reason());
                    } else if self.shown == 101 {
                        eprintln!("……（更多被拒行见 --rejects 文件）");
                    }
                    self.file.as_mut().map_or(Ok(()), |f| f.reject(r))
                }
            }
            let file = match rejects {
                Some(p) => Some(CsvRejects(csv::Writer::from_writer(
                    std::fs::File::create(&p).with_context(|| format!("无法写入 {}", p.display()))?,
                ))),
                None => None,
            };
            let mut report = Report { shown: 0, file };
            let bar = indicatif::ProgressBar::new(size);
            bar.set_style(
                indicatif::ProgressStyle::with_template("{spinner} {pos} 行 {per_sec} {elapsed}")
                    .unwrap_or_else(|_| indicatif::ProgressStyle::default_spinner()),
            );
            let started = std::time::Instant::now();
            let started_ms = clock.now_ms();
            let sum = ingest::run(&db, &pii, &req, Box::new(input), &mut report, &mut |n| bar.set_position(n)).await?;
            // The server's scheduler indexes the new subjects (this process may not open the index while it runs).
            qingfeng_credit::index::after_import(&db, &req.county_code, started_ms, clock.now_ms()).await;
            bar.finish_and_clear();
            if let Some(f) = report.file.as_mut() {
                f.0.flush()?;
            }
            eprintln!("编码 {} · 用时 {:.1} 秒 · 批次 #{}", sum.encoding, started.elapsed().as_secs_f64(), sum.import_id);
            println!("{}", sum.line());
            db.close().await;
            Ok(ExitCode::SUCCESS)
        }
        CreditCmd::Generate { kind, records, bad_share, seed, out } => {
            use qingfeng_credit::generate::{self, GenOptions};
            let kind = qingfeng_credit::model::RecordKind::parse(&kind).with_context(|| format!("未知的信息类别“{kind}”，可选 xk、cf"))?;
            let opts = GenOptions { bad_share, seed, ..GenOptions::new(kind, records) };
            let file = std::fs::File::create(&out).with_context(|| format!("无法写入 {}", out.display()))?;
            let jsonl = ingest::reader::Format::from_name(&out.to_string_lossy()) == ingest::reader::Format::JsonLines;
            let stats = if jsonl { generate::write_jsonl(file, &opts) } else { generate::write_csv(file, &opts) }.context("生成失败")?;
            println!("rows={} bad={} (合成演示数据 synthetic demo data)", stats.rows, stats.bad_rows);
            Ok(ExitCode::SUCCESS)
        }
    }
}

async fn bench_cmd(cfg: &Config, clock: &Clock, cmd: BenchCmd) -> anyhow::Result<ExitCode> {
    use qingfeng_credit::ingest;
    use qingfeng_platform::{db::Db, testing};
    let (records, database, work_dir, bad_share, sqlite_cache_mib) = match cmd {
        BenchCmd::CreditIngest { records, database, work_dir, bad_share, sqlite_cache_mib } => {
            (records, database, work_dir, bad_share, sqlite_cache_mib)
        }
        BenchCmd::Mediation { cases, database, work_dir, runs } => {
            return bench_mediation(cfg, clock, cases, database, work_dir, runs).await;
        }
        BenchCmd::Portal { docs, seconds, connections, threads, rounds, wrk, work_dir } => {
            let size = bench_portal::Size { docs, seconds, connections, threads, rounds };
            return bench_portal::run(cfg, &size, &wrk, work_dir.as_deref()).await;
        }
    };
    if !(0.0..=1.0).contains(&bad_share) {
        bail!("--bad-share 须在 0 到 1 之间");
    }
    let temp = tempfile::Builder::new().prefix("qf-bench").tempdir_in(work_dir.as_deref().unwrap_or(&std::env::temp_dir()))?;
    let dir = temp.path();
    // Scratch databases: dropped (PostgreSQL) or deleted with the directory (SQLite).
    let (pipeline, ceiling, _keep) = match &database {
        Some(url) => {
            let scratch = || async {
                testing::postgres(url).await.with_context(|| {
                    format!("无法在 --database 指定的 PostgreSQL（{}）上创建临时数据库", qingfeng_platform::db::mask_url(url))
                })
            };
            let (a, b) = (scratch().await?, scratch().await?);
            (a.db.clone(), b.db.clone(), Some((a, b)))
        }
        None => {
            let mut dbs = Vec::new();
            for name in ["pipeline", "ceiling"] {
                std::fs::create_dir_all(dir.join(name))?;
                let db = Db::connect_tuned(
                    &Db::sqlite_url_in(&dir.join(name)),
                    sqlite_cache_mib,
                    qingfeng_platform::db::BULK_SQLITE_CONNECTIONS,
                )
                .await?;
                db.migrate().await?;
                dbs.push(db);
            }
            let ceiling = dbs.pop().context("ceiling database")?;
            (dbs.pop().context("pipeline database")?, ceiling, None)
        }
    };
    let pii = Pii::load_or_create("", dir)?;
    let market_regulation =
        qingfeng_credit::generate::departments().into_iter().filter(|(name, _)| name.contains("市场监督管理")).map(|(_, u)| u).collect();
    let base = ingest::Request {
        county_code: cfg.county_code.clone(),
        kind: qingfeng_credit::model::RecordKind::Cf.into(),
        source_dept: None,
        file_name: String::new(),
        format: ingest::reader::Format::Csv,
        door: "cli",
        actor: Actor::System("bench"),
        lenient_uscc: false,
        today: clock.today(),
        market_regulation,
        calendar: std::sync::Arc::new(qingfeng_core::HolidayCalendar::builtin()),
        clock: clock.clone(),
    };
    let say = |m: &str| eprintln!("· {m}");
    let figures = qingfeng_credit::bench::credit_ingest(
        &pipeline,
        &ceiling,
        &pii,
        &qingfeng_credit::bench::Size { records, bad_share, work_dir: dir },
        &base,
        &say,
    )
    .await?;
    pipeline.close().await;
    ceiling.close().await;
    println!("{}", serde_json::to_string_pretty(&figures)?);
    Ok(ExitCode::SUCCESS)
}

/// `qingfeng bench mediation`: one scratch database (SQLite in the work directory, or a
/// new database on the PostgreSQL server given), the county registry, then the benchmark.
async fn bench_mediation(
    cfg: &Config,
    clock: &Clock,
    cases: u64,
    database: Option<String>,
    work_dir: Option<PathBuf>,
    runs: usize,
) -> anyhow::Result<ExitCode> {
    use qingfeng_platform::testing;
    if runs == 0 {
        bail!("--runs 须为正整数");
    }
    let temp = tempfile::Builder::new().prefix("qf-bench").tempdir_in(work_dir.as_deref().unwrap_or(&std::env::temp_dir()))?;
    let (db, _keep) = match &database {
        Some(url) => {
            let t = testing::postgres(url).await.with_context(|| {
                format!("无法在 --database 指定的 PostgreSQL（{}）上创建临时数据库", qingfeng_platform::db::mask_url(url))
            })?;
            (t.db.clone(), Some(t))
        }
        None => {
            // The server's own SQLite settings (page cache as configured), not the bulk ones.
            let db = Db::connect_tuned(&Db::sqlite_url_in(temp.path()), cfg.sqlite_cache_mib, cfg.sqlite_connections).await?;
            db.migrate().await?;
            (db, None)
        }
    };
    let now = clock.now_ms();
    qingfeng_platform::registry::load_reference(&db, now).await?;
    let say = |m: &str| eprintln!("· {m}");
    let figures = qingfeng_mediation::bench::run(&db, &cfg.county_code, cases, runs, now, &say).await?;
    db.close().await;
    println!("{}", serde_json::to_string_pretty(&figures)?);
    Ok(ExitCode::SUCCESS)
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {},
        _ = term => {},
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_are_taken_out_of_postgres_urls() {
        let (url, pw) = split_pg_password("postgres://qf:s%40cret%2F1@127.0.0.1:5432/qf?sslmode=disable").unwrap();
        assert_eq!(url, "postgres://qf@127.0.0.1:5432/qf?sslmode=disable");
        assert_eq!(pw.as_deref(), Some("s@cret/1"));
        let (url, pw) = split_pg_password("postgresql://qf@db/qf?password=p%26w&sslmode=require").unwrap();
        assert_eq!(url, "postgresql://qf@db/qf?sslmode=require");
        assert_eq!(pw.as_deref(), Some("p&w"));
        let (url, pw) = split_pg_password("postgres://qf@db/qf").unwrap();
        assert_eq!((url.as_str(), pw), ("postgres://qf@db/qf", None));
        assert_eq!(percent_decode("%E6%B8%85%zz%4"), "清%zz%4");
    }

    #[test]
    fn restore_targets_the_configured_sqlite_file() {
        let cfg = Config { data_dir: PathBuf::from("/srv/qf"), ..Config::default() };
        assert_eq!(sqlite_file(&cfg).unwrap(), PathBuf::from("/srv/qf/qingfeng.db"));
        let cfg = Config { database_url: "sqlite:///var/lib/qf/main.db?mode=rwc".into(), ..cfg };
        assert_eq!(sqlite_file(&cfg).unwrap(), PathBuf::from("/var/lib/qf/main.db"));
        let cfg = Config { database_url: "sqlite::memory:".into(), ..cfg };
        assert!(sqlite_file(&cfg).is_err());
        assert_eq!(with_suffix(Path::new("/a/b.db"), "-wal"), PathBuf::from("/a/b.db-wal"));
    }
}
