//! `qingfeng bench portal`: the portal under HTTP load (wrk on loopback against the
//! real server with the demo county) and the cross-content search over a large
//! synthetic index. Figures as JSON; see docs/benchmarks.md.

use std::path::Path;
use std::process::ExitCode;

use anyhow::{Context, bail};
use qingfeng_platform::Clock;
use qingfeng_platform::config::Config;
use serde::Serialize;

pub struct Size {
    pub docs: usize,
    pub seconds: u64,
    pub connections: u32,
    pub threads: u32,
    pub rounds: usize,
}

/// Goals of the HTTP part.
const GOAL_RPS: f64 = 2_000.0;
const GOAL_P99_MS: f64 = 50.0;

/// The pages loaded: (name, path).
const PAGES: &[(&str, &str)] = &[
    ("portal_home", "/portal"),
    // 「中小企业 款项」
    ("policy_search", "/portal/policies?q=%E4%B8%AD%E5%B0%8F%E4%BC%81%E4%B8%9A%20%E6%AC%BE%E9%A1%B9"),
    // 「营商环境」
    ("cross_search", "/portal/search?q=%E8%90%A5%E5%95%86%E7%8E%AF%E5%A2%83"),
];

#[derive(Debug, Serialize)]
struct Load {
    page: &'static str,
    path: &'static str,
    requests: u64,
    requests_per_s: f64,
    p50_ms: f64,
    p99_ms: f64,
    non_2xx_3xx: u64,
    socket_errors: String,
    goal_met: bool,
}

#[derive(Debug, Serialize)]
struct Machine {
    cores: usize,
    /// /proc/loadavg before and after each part (the machine is shared).
    loadavg_start: String,
    loadavg_after_http: String,
    loadavg_end: String,
}

#[derive(Debug, Serialize)]
struct Figures {
    machine: Machine,
    wrk: String,
    connections: u32,
    threads: u32,
    seconds: u64,
    http: Vec<Load>,
    search: qingfeng_portal::search::bench::Figures,
}

fn loadavg() -> String {
    std::fs::read_to_string("/proc/loadavg").map(|s| s.split_whitespace().take(3).collect::<Vec<_>>().join(" ")).unwrap_or_default()
}

/// A wrk duration (`635.91us`, `1.20ms`, `2.00s`) in milliseconds.
fn wrk_ms(v: &str) -> Option<f64> {
    let v = v.trim();
    let (num, factor) = if let Some(n) = v.strip_suffix("us") {
        (n, 0.001)
    } else if let Some(n) = v.strip_suffix("ms") {
        (n, 1.0)
    } else if let Some(n) = v.strip_suffix('s') {
        (n, 1000.0)
    } else {
        (v, 1.0)
    };
    num.parse::<f64>().ok().map(|n| n * factor)
}

fn parse_wrk(page: &'static str, path: &'static str, out: &str) -> anyhow::Result<Load> {
    let mut l = Load {
        page,
        path,
        requests: 0,
        requests_per_s: 0.0,
        p50_ms: 0.0,
        p99_ms: 0.0,
        non_2xx_3xx: 0,
        socket_errors: String::new(),
        goal_met: false,
    };
    for line in out.lines().map(str::trim) {
        if let Some(v) = line.strip_prefix("Requests/sec:") {
            l.requests_per_s = v.trim().parse().context("Requests/sec")?;
        } else if let Some(v) = line.strip_prefix("50%") {
            l.p50_ms = wrk_ms(v).context("50%")?;
        } else if let Some(v) = line.strip_prefix("99%") {
            l.p99_ms = wrk_ms(v).context("99%")?;
        } else if let Some(v) = line.strip_prefix("Non-2xx or 3xx responses:") {
            l.non_2xx_3xx = v.trim().parse().unwrap_or(0);
        } else if let Some(v) = line.strip_prefix("Socket errors:") {
            l.socket_errors = v.trim().to_string();
        } else if line.contains("requests in") {
            l.requests = line.split_whitespace().next().and_then(|n| n.parse().ok()).unwrap_or(0);
        }
    }
    if l.requests_per_s <= 0.0 {
        bail!("wrk 输出无法解析：\n{out}");
    }
    l.goal_met = l.requests_per_s >= GOAL_RPS && l.p99_ms <= GOAL_P99_MS && l.non_2xx_3xx == 0;
    Ok(l)
}

pub async fn run(cfg: &Config, size: &Size, wrk: &str, work_dir: Option<&Path>) -> anyhow::Result<ExitCode> {
    if size.docs == 0 || size.rounds == 0 || size.seconds == 0 || size.connections == 0 {
        bail!("--docs、--rounds、--seconds、--connections 须为正整数");
    }
    let temp = tempfile::Builder::new().prefix("qf-bench-portal").tempdir_in(work_dir.unwrap_or(&std::env::temp_dir()))?;
    let say = |m: &str| eprintln!("· {m}");
    let loadavg_start = loadavg();

    // (a) The real server, the demo county, a fresh SQLite database.
    let data = temp.path().join("data");
    let server_cfg =
        Config { data_dir: data, database_url: String::new(), bind: "127.0.0.1:0".into(), pii_key: String::new(), ..cfg.clone() };
    say("starting the server with the demo county");
    let state = qingfeng::build_state_with(server_cfg, Clock::System, true, qingfeng::DEMO_ACCOUNTS_ONLY).await?;
    let running = qingfeng::start(state, "127.0.0.1:0").await?;
    let base = format!("http://{}", running.addr);
    let mut http = Vec::new();
    for (page, path) in PAGES {
        let url = format!("{base}{path}");
        say(&format!("wrk {path} ({} connections, {} s)", size.connections, size.seconds));
        let args = vec![
            "-t".to_string(),
            size.threads.to_string(),
            "-c".to_string(),
            size.connections.to_string(),
            "-d".to_string(),
            format!("{}s", size.seconds),
            "--latency".to_string(),
            url,
        ];
        let bin = wrk.to_string();
        // wrk runs beside the server on the same cores, as a separate process.
        let out = tokio::task::spawn_blocking(move || std::process::Command::new(&bin).args(&args).output())
            .await?
            .with_context(|| format!("无法运行 {wrk}（apt-get install wrk）"))?;
        if !out.status.success() {
            bail!("wrk 失败：{}", String::from_utf8_lossy(&out.stderr));
        }
        http.push(parse_wrk(page, path, &String::from_utf8_lossy(&out.stdout))?);
    }
    running.stop().await?;
    let loadavg_after_http = loadavg();

    // (b) The cross-content search over a large synthetic index.
    let index_dir = temp.path().join("search");
    let county = cfg.county_code.clone();
    let (docs, rounds) = (size.docs, size.rounds);
    let search = tokio::task::spawn_blocking(move || {
        qingfeng_portal::search::bench::run(&index_dir, docs, rounds, &county, &|m| eprintln!("· {m}"))
    })
    .await??;

    let figures = Figures {
        machine: Machine {
            cores: std::thread::available_parallelism().map(|n| n.get()).unwrap_or(0),
            loadavg_start,
            loadavg_after_http,
            loadavg_end: loadavg(),
        },
        wrk: wrk.to_string(),
        connections: size.connections,
        threads: size.threads,
        seconds: size.seconds,
        http,
        search,
    };
    println!("{}", serde_json::to_string_pretty(&figures)?);
    Ok(ExitCode::SUCCESS)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_wrk_output() {
        let out = "Running 10s test @ http://127.0.0.1:1/portal\n  2 threads and 64 connections\n  Thread Stats   Avg      Stdev     Max   +/- Stdev\n    Latency     5.01ms    2.00ms  40.00ms   90.00%\n  Latency Distribution\n     50%  635.91us\n     75%    4.00ms\n     90%    6.00ms\n     99%   12.50ms\n  123456 requests in 10.00s, 1.00GB read\n  Non-2xx or 3xx responses: 3\nRequests/sec:  12345.60\nTransfer/sec:    100.00MB\n";
        let l = parse_wrk("portal_home", "/portal", out).unwrap();
        assert_eq!(l.requests, 123456);
        assert!((l.p50_ms - 0.63591).abs() < 1e-9 && (l.p99_ms - 12.5).abs() < 1e-9);
        assert!((l.requests_per_s - 12345.6).abs() < 1e-9);
        assert_eq!(l.non_2xx_3xx, 3);
        assert!(!l.goal_met);
        assert!(parse_wrk("x", "/", "nonsense").is_err());
    }
}
