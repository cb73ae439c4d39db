//! 演示数据生成 A generator of a realistic SYNTHETIC case history for demos and the
//! benchmark: N cases over the last years across the county's real townships and
//! villages (the `divisions` table), categories weighted toward 邻里 / 婚姻家庭 /
//! 房屋宅基地, the real channels, bodies chosen by the shipped routing rules (with some
//! cases escalated up the ladder), mostly resolved outcomes with plausible durations,
//! some judicial confirmations, mediation papers, referrals to court and overdue open
//! cases.
//!
//! Every row is `is_demo = TRUE` and its summary starts with 【演示数据】. Nothing here is
//! official data: no court intake is written (that figure is the court's to report), no
//! parties (no invented names or numbers), and the court case numbers are the demo
//! county's own sequence. The same seed, time and registry give the same cases.
//!
//! The rows are bulk-loaded ([`qingfeng_platform::bulk`]: multi-row INSERT on SQLite,
//! COPY on PostgreSQL) in transactions of [`CHUNK`] cases, with one audit entry per run.

use std::collections::HashMap;
use std::time::Instant;

use qingfeng_platform::AppError;
use qingfeng_platform::audit::{self, Actor, Change};
use qingfeng_platform::bulk::{self, Val};
use qingfeng_platform::db::Db;
use qingfeng_platform::sql::{Arg, Sql};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use serde::Serialize;

use crate::model;
use crate::rules::Rules;

const DAY: i64 = 86_400_000;
/// Cases per transaction.
pub const CHUNK: usize = 10_000;

/// What to generate.
#[derive(Debug, Clone)]
pub struct GenOptions {
    pub county_code: String,
    pub cases: u64,
    pub seed: u64,
    /// The end of the history (cases are registered before it).
    pub now_ms: i64,
    /// How far back the history reaches, in days.
    pub span_days: i64,
}

impl GenOptions {
    pub fn new(county_code: &str, cases: u64, now_ms: i64) -> GenOptions {
        GenOptions { county_code: county_code.to_string(), cases, seed: 2026, now_ms, span_days: 3 * 365 }
    }
}

/// What a run wrote.
#[derive(Debug, Clone, Default, Serialize)]
pub struct GenSummary {
    pub cases: u64,
    pub seconds: f64,
    pub resolved: u64,
    pub open: u64,
    pub overdue: u64,
}

/// 纠纷类型权重 Category weights (per mille), heaviest first: the field reports of grid
/// apps put neighbours, family and homesteads on top (DOMAIN.md §5.4–5.5).
const CATEGORY_WEIGHTS: &[(&str, u32)] = &[
    ("neighbour", 220),
    ("marriage_family", 180),
    ("homestead", 160),
    ("damages", 80),
    ("contract", 60),
    ("land_forest", 50),
    ("village_affairs", 40),
    ("traffic", 40),
    ("business", 30),
    ("migrant_wages", 30),
    ("labour", 20),
    ("property_mgmt", 20),
    ("consumer", 20),
    ("other", 20),
    ("medical", 10),
    ("environment", 10),
    ("land_acquisition", 6),
    ("ecommerce", 3),
    ("tourism", 1),
];

/// 渠道权重 Channel weights (per mille): most disputes are found by grid workers.
const CHANNEL_WEIGHTS: &[(&str, u32)] =
    &[("grid", 450), ("window", 150), ("online", 120), ("zongzhi", 100), ("court", 100), ("hotline", 80)];

/// Short descriptions per category (no names, no numbers of real people).
fn story(category: &str, pick: usize) -> &'static str {
    let options: &[&str] = match category {
        "neighbour" => &[
            "相邻两户因宅前排水沟堵塞发生争执",
            "邻居间因院墙滴水问题产生矛盾",
            "邻里因通行道路被堆放杂物阻挡发生纠纷",
            "邻居间因树木遮挡采光发生争执",
        ],
        "marriage_family" => &[
            "夫妻因家庭琐事长期不和，一方要求调解",
            "兄弟姐妹间因老人赡养费用分担发生纠纷",
            "家庭成员因分家析产意见不一",
            "婆媳之间因生活琐事产生矛盾",
        ],
        "homestead" => &[
            "两户因宅基地界址不清发生争执",
            "翻建房屋时因占用公共空地产生纠纷",
            "兄弟间因父母遗留宅院分配发生矛盾",
            "相邻宅基地建房高度引发纠纷",
        ],
        "damages" => {
            &["家畜损坏邻户庄稼，双方就赔偿数额发生争执", "施工造成邻户房屋墙体开裂，要求赔偿", "宠物咬伤他人，双方就医药费协商不成"]
        }
        "contract" => &["农资赊销货款到期未付引发纠纷", "房屋租赁合同到期押金退还发生争议", "农机作业费用结算产生分歧"],
        "business" => &["合伙经营养殖场散伙清算发生分歧", "个体商户之间因供货质量发生争议"],
        "land_forest" => &["承包地边界争议，双方各执一词", "土地流转租金支付发生纠纷", "林木归属不清引发争执"],
        "land_acquisition" => &["对征地补偿分配方案有异议", "拆迁安置面积认定存在争议"],
        "environment" => &["养殖场异味影响周边住户", "作坊噪声扰民引发投诉"],
        "labour" => &["务工人员与企业就加班费发生争议", "工伤待遇协商不成"],
        "migrant_wages" => &["建筑工地拖欠农民工工资", "装修班组工资结算发生纠纷"],
        "medical" => &["就医后对诊疗结果有异议，要求赔偿", "对医疗费用结算存在争议"],
        "traffic" => &["电动车与三轮车相撞，就赔偿协商不成", "农用车刮擦行人，双方就医药费发生争执"],
        "property_mgmt" => &["小区物业费收取标准引发争议", "停车位管理引发业主与物业纠纷"],
        "consumer" => &["购买家电出现质量问题退换货未果", "预付卡消费退款发生纠纷"],
        "ecommerce" => &["网购农产品货不对板引发纠纷"],
        "tourism" => &["旅游团行程变更引发退费争议"],
        "village_affairs" => &["对村集体收益分配方案有异议", "村内公共设施使用管理引发矛盾"],
        _ => &["其他矛盾纠纷，当事人申请调解"],
    };
    options[pick % options.len()]
}

fn weighted<'a>(rng: &mut StdRng, table: &[(&'a str, u32)]) -> &'a str {
    let total: u32 = table.iter().map(|t| t.1).sum();
    let mut x = rng.random_range(0..total.max(1));
    for (k, w) in table {
        if x < *w {
            return k;
        }
        x -= w;
    }
    table.first().map(|t| t.0).unwrap_or("other")
}

/// A random instant in `[from, from + span)` with `span` in days (fractional).
fn after(rng: &mut StdRng, from: i64, lo_days: f64, hi_days: f64) -> i64 {
    from + (rng.random_range(lo_days..hi_days) * DAY as f64) as i64
}

/// A village of the county with its township.
#[derive(Debug, Clone)]
struct Village {
    code: String,
    name: String,
    township: String,
    township_name: String,
    grid_id: Option<i64>,
    worker: Option<i64>,
}

/// The registry as the generator needs it.
struct Registry {
    villages: Vec<Village>,
    /// Tribunal per township code (the township's own, else the county's first).
    tribunals: HashMap<String, (i64, String)>,
    first_tribunal: Option<(i64, String)>,
    orgs: HashMap<String, i64>,
}

async fn load_registry(db: &Db, county: &str) -> Result<Registry, AppError> {
    #[derive(sqlx::FromRow)]
    struct V {
        code: String,
        name: String,
        township: String,
        township_name: String,
        grid_id: Option<i64>,
        worker: Option<i64>,
    }
    let mut s = Sql::new(
        "SELECT v.code, v.name, t.code AS township, t.name AS township_name, g.id AS grid_id, g.worker_user_id AS worker \
         FROM divisions v JOIN divisions t ON t.code = v.parent_code LEFT JOIN grids g ON g.village_code = v.code \
         WHERE v.level = 'village' AND t.parent_code = ",
    );
    s.bind(county).push(" ORDER BY v.code");
    let villages: Vec<Village> = s
        .fetch_all::<V>(db)
        .await?
        .into_iter()
        .map(|v| Village {
            code: v.code,
            name: v.name,
            township: v.township,
            township_name: v.township_name,
            grid_id: v.grid_id,
            worker: v.worker,
        })
        .collect();
    if villages.is_empty() {
        return Err(AppError::conflict("mediation.generate_no_villages", format!("区划表中没有县 {county} 的村（社区），请先载入区划")));
    }
    #[derive(sqlx::FromRow)]
    struct O {
        id: i64,
        name: String,
        kind: String,
        division_code: String,
    }
    let mut s = Sql::new("SELECT id, name, kind, division_code FROM organisations WHERE county_code = ");
    s.bind(county).push(" ORDER BY id");
    let orgs: Vec<O> = s.fetch_all(db).await?;
    let mut tribunals = HashMap::new();
    let mut first_tribunal = None;
    for o in orgs.iter().filter(|o| o.kind == "tribunal") {
        first_tribunal.get_or_insert((o.id, o.name.clone()));
        tribunals.entry(o.division_code.clone()).or_insert((o.id, o.name.clone()));
    }
    Ok(Registry { villages, tribunals, first_tribunal, orgs: orgs.into_iter().map(|o| (o.name, o.id)).collect() })
}

impl Registry {
    fn tribunal(&self, township: &str) -> Option<&(i64, String)> {
        self.tribunals.get(township).or(self.first_tribunal.as_ref())
    }
}

/// One generated case, as stored.
#[derive(Debug, Clone, Default)]
struct GenCase {
    tracking_code: String,
    channel: &'static str,
    category: &'static str,
    summary: String,
    amount_fen: Option<i64>,
    township_code: String,
    village_code: String,
    grid_id: Option<i64>,
    reporter_user_id: Option<i64>,
    external_ref: Option<String>,
    state: &'static str,
    level: &'static str,
    body_kind: String,
    body_org_id: Option<i64>,
    body_name: String,
    tribunal_org_id: Option<i64>,
    route_rule: String,
    due_at: Option<i64>,
    due_basis: &'static str,
    level_due_at: Option<i64>,
    mediation_started_at: Option<i64>,
    extension_days: i64,
    agreement_at: Option<i64>,
    agreement_text: Option<&'static str>,
    failure_reason: Option<&'static str>,
    court_case_no: Option<String>,
    closed_at: Option<i64>,
    outcome: Option<&'static str>,
    followup_at: Option<i64>,
    satisfaction: Option<i64>,
    created_at: i64,
    updated_at: i64,
}

const COLUMNS: &[&str] = &[
    "county_code",
    "tracking_code",
    "channel",
    "category",
    "summary",
    "claim",
    "amount_fen",
    "township_code",
    "village_code",
    "place",
    "grid_id",
    "reporter_user_id",
    "external_ref",
    "state",
    "level",
    "body_kind",
    "body_org_id",
    "body_name",
    "tribunal_org_id",
    "route_rule",
    "due_at",
    "due_basis",
    "level_due_at",
    "mediation_started_at",
    "extension_days",
    "agreement_at",
    "agreement_text",
    "failure_reason",
    "court_case_no",
    "closed_at",
    "outcome",
    "followup_at",
    "satisfaction",
    "is_demo",
    "created_at",
    "updated_at",
];

const TRACKING_ALPHABET: &[u8] = b"23456789ABCDEFGHJKLMNPQRSTUVWXYZ";

/// A tracking code unique within a run: the case's index through a bijection of 40-bit
/// numbers (multiplying by an odd constant), offset by the run's seed and time.
fn tracking_code(index: u64, salt: u64) -> String {
    let mask = (1u64 << 40) - 1;
    let mut n = (index.wrapping_mul(0x9E37_79B9_7F4A_7C15 | 1).wrapping_add(salt)) & mask;
    let mut s = String::from("TJ");
    let mut chars = [0u8; 8];
    for c in chars.iter_mut().rev() {
        *c = TRACKING_ALPHABET[(n & 31) as usize];
        n >>= 5;
    }
    s.extend(chars.iter().map(|b| char::from(*b)));
    s
}

/// Court case numbers per (year, kind), continued from the database's counters.
struct Numbers {
    next: HashMap<(i32, &'static str), i64>,
    court_code: String,
}

impl Numbers {
    fn take(&mut self, at_ms: i64, kind: &'static str) -> String {
        let year = crate::figures::year_of(at_ms);
        let n = self.next.entry((year, kind)).or_insert(0);
        *n += 1;
        format!("（{year}）{}民{kind}{n}号", self.court_code)
    }
}

/// When a case was registered: slightly more cases in recent years (the grid network grew).
fn draw_created(rng: &mut StdRng, opts: &GenOptions) -> i64 {
    let age = rng.random_range(0.0f64..1.0).powf(1.15) * opts.span_days as f64;
    opts.now_ms - (age * DAY as f64) as i64 - 60_000
}

/// The life of one case registered at `created`, drawn.
#[allow(clippy::too_many_arguments)]
fn draw(
    rng: &mut StdRng,
    reg: &Registry,
    rules: &Rules,
    numbers: &mut Numbers,
    opts: &GenOptions,
    index: u64,
    salt: u64,
    created: i64,
) -> GenCase {
    let now = opts.now_ms;
    let v = &reg.villages[rng.random_range(0..reg.villages.len())];
    let category = weighted(rng, CATEGORY_WEIGHTS);
    let channel = weighted(rng, CHANNEL_WEIGHTS);
    let pick = rng.random_range(0..16usize);
    let mut c = GenCase {
        tracking_code: tracking_code(index, salt),
        channel,
        category,
        summary: format!("【演示数据】{}{}。", v.name, story(category, pick)),
        township_code: v.township.clone(),
        village_code: v.code.clone(),
        grid_id: v.grid_id,
        reporter_user_id: if channel == "grid" { v.worker } else { None },
        external_ref: (channel == "zongzhi").then(|| format!("ZZ-DEMO-{salt:x}-{index}")),
        created_at: created,
        ..GenCase::default()
    };
    if matches!(category, "contract" | "damages" | "labour" | "migrant_wages" | "traffic" | "medical" | "business") {
        c.amount_fen = Some(rng.random_range(5..800i64) * 10_000);
    }
    // Where the shipped routing rules send it.
    let route = rules.route(category, channel, &v.code);
    let (kind, org) = route.map(|r| (r.target.as_str(), r.org.as_str())).unwrap_or(("village_committee", ""));
    c.route_rule = route.map(|r| r.label()).unwrap_or_default();
    let township_committee = |c: &mut GenCase| {
        c.body_kind = "township_committee".into();
        c.body_org_id = None;
        c.body_name = format!("{}人民调解委员会", v.township_name);
    };
    match kind {
        "village_committee" => {
            c.body_kind = kind.into();
            c.body_name = format!("{}人民调解委员会", v.name);
        }
        "grid_home" => match reg.tribunal(&v.township) {
            Some((id, name)) => {
                c.body_kind = kind.into();
                c.body_org_id = Some(*id);
                c.body_name = format!("{name}网格之家");
            }
            None => township_committee(&mut c),
        },
        "township_committee" => township_committee(&mut c),
        _ => match reg.orgs.get(org) {
            Some(id) => {
                c.body_kind = kind.into();
                c.body_org_id = Some(*id);
                c.body_name = org.to_string();
            }
            None => township_committee(&mut c),
        },
    }
    // Some village cases are not settled on the village rung and go up to the township.
    if c.body_kind == "village_committee" && rng.random_bool(0.06) {
        township_committee(&mut c);
    }
    c.level = model::level_of_body(&c.body_kind);
    c.tribunal_org_id = reg.tribunal(&v.township).map(|t| t.0);

    let assigned = after(rng, created, 0.05, 2.0);
    let started = after(rng, assigned, 0.0, 1.5);
    let roll: f64 = rng.random_range(0.0..1.0);
    let dur_days = if roll < 0.70 {
        rng.random_range(0.5..10.0)
    } else if roll < 0.93 {
        rng.random_range(10.0..25.0)
    } else {
        rng.random_range(25.0..45.0)
    };
    if dur_days > 30.0 {
        c.extension_days = if dur_days > 45.0 { 30 } else { 15 };
    }
    let end = started + (dur_days * DAY as f64) as i64;
    let outcome: f64 = rng.random_range(0.0..1.0);
    // A few recent cases stall before mediation starts: nobody assigned in time.
    let stalled = now - created < 60 * DAY && rng.random_bool(0.04);
    c.updated_at = created;
    if outcome < 0.01 {
        // 不予受理
        c.state = "not_accepted";
        c.outcome = Some("not_accepted");
        c.failure_reason = Some("不属于人民调解受理范围");
        c.closed_at = Some(after(rng, created, 0.2, 2.0).min(now));
        c.updated_at = c.closed_at.unwrap_or(created);
        return c;
    }
    if stalled || assigned > now {
        c.state = if stalled && rng.random_bool(0.5) { "assigned" } else { "unassigned" };
        c.due_at = Some(created + 3 * DAY);
        c.due_basis = "登记后分流分派（演示数据）";
        c.level_due_at = (c.level != "county").then_some(created + 7 * DAY);
        return c;
    }
    if started > now {
        c.state = "assigned";
        c.due_at = Some(assigned + 2 * DAY);
        c.due_basis = "调解员接受委派（演示数据）";
        return c;
    }
    c.mediation_started_at = Some(started);
    let mediation_due = started + (30 + c.extension_days) * DAY;
    if outcome < 0.035 {
        // 撤回
        let at = (started + (end - started) / 2).min(now);
        c.state = "withdrawn";
        c.outcome = Some("withdrawn");
        c.failure_reason = Some("当事人自行和解，撤回申请");
        c.closed_at = Some(at);
        c.updated_at = at;
        return c;
    }
    if end > now {
        c.state = "mediating";
        c.due_at = Some(mediation_due);
        c.due_basis = "诉前调解期限（演示数据）";
        c.updated_at = started;
        return c;
    }
    c.updated_at = end;
    if outcome < 0.10 {
        // 调解不成 → mostly referred to court and filed.
        c.outcome = Some("failed");
        c.failure_reason = Some("双方分歧较大，调解不成");
        c.state = "failed";
        if rng.random_bool(0.75) {
            let referred = after(rng, end, 0.5, 5.0);
            if referred <= now {
                c.state = "referred";
                c.updated_at = referred;
                let filed = after(rng, referred, 1.0, 15.0);
                if filed <= now && rng.random_bool(0.85) {
                    c.state = "filed";
                    c.court_case_no = Some(numbers.take(filed, "初"));
                    c.closed_at = Some(filed);
                    c.updated_at = filed;
                }
            }
        } else if rng.random_bool(0.8) {
            let at = after(rng, end, 1.0, 10.0).min(now);
            c.state = "withdrawn";
            c.closed_at = Some(at);
            c.updated_at = at;
        }
        return c;
    }
    // 调解成功
    c.outcome = Some("resolved");
    c.agreement_at = Some(end);
    c.agreement_text = Some("【演示数据】双方自愿达成调解协议，按约定履行。");
    c.state = "succeeded";
    c.due_at = Some(end + 30 * DAY);
    c.due_basis = "申请司法确认期限（演示数据）";
    let path: f64 = rng.random_range(0.0..1.0);
    let perform = |rng: &mut StdRng, c: &mut GenCase, from: i64| {
        let at = after(rng, from, 1.0, 45.0);
        if at <= now {
            let defaulted = rng.random_bool(0.04);
            c.state = if defaulted { "enforcement" } else { "performed" };
            c.closed_at = Some(at);
            c.updated_at = at;
            c.due_at = None;
            c.due_basis = "";
            if !defaulted && rng.random_bool(0.6) {
                c.followup_at = Some(at + DAY);
                c.satisfaction = Some(rng.random_range(3..=5));
            }
        }
    };
    if path < 0.14 {
        // 司法确认: request, acceptance (3 days), decision (15 days).
        let requested = after(rng, end, 0.5, 10.0);
        if requested > now {
            return c;
        }
        c.state = "confirmation_requested";
        c.due_at = Some(requested + 3 * DAY);
        c.due_basis = "法院决定是否受理司法确认（演示数据）";
        c.updated_at = requested;
        let accepted = after(rng, requested, 0.5, 3.0);
        if accepted > now {
            return c;
        }
        c.state = "confirmation_accepted";
        c.due_at = Some(accepted + 15 * DAY);
        c.due_basis = "法院作出确认决定（演示数据）";
        c.updated_at = accepted;
        let decided = after(rng, accepted, 2.0, 15.0);
        if decided > now {
            return c;
        }
        c.state = "confirmed";
        c.court_case_no = Some(numbers.take(decided, model::CASE_NO_CONFIRMATION));
        c.due_at = None;
        c.due_basis = "";
        c.updated_at = decided;
        perform(rng, &mut c, decided);
    } else if path < 0.17 {
        // 诉前调解书
        let requested = after(rng, end, 0.5, 5.0);
        if requested > now {
            return c;
        }
        c.state = "paper_requested";
        c.due_at = None;
        c.due_basis = "";
        c.updated_at = requested;
        let issued = after(rng, requested, 1.0, 10.0);
        if issued > now {
            return c;
        }
        c.state = "paper_issued";
        c.court_case_no = Some(numbers.take(issued, model::CASE_NO_PAPER));
        c.updated_at = issued;
        perform(rng, &mut c, issued);
    } else if path < 0.18 {
        // 协议未履行，引导起诉
        let breach = after(rng, end, 10.0, 60.0);
        if breach <= now {
            c.state = "referred";
            c.failure_reason = Some("一方未按协议履行");
            c.due_at = None;
            c.due_basis = "";
            c.updated_at = breach;
        }
    } else {
        perform(rng, &mut c, end);
    }
    c
}

/// The numbers already issued by the court for demo or real cases, so that generated
/// numbers continue the sequence.
async fn numbers(db: &Db, county: &str, rules: &Rules) -> Result<Numbers, AppError> {
    #[derive(sqlx::FromRow)]
    struct N {
        year: i64,
        kind: String,
        last_seq: i64,
    }
    let mut s = Sql::new("SELECT year, kind, last_seq FROM mediation_case_numbers WHERE county_code = ");
    s.bind(county);
    let mut next = HashMap::new();
    for n in s.fetch_all::<N>(db).await? {
        let kind = match n.kind.as_str() {
            model::CASE_NO_CONFIRMATION => model::CASE_NO_CONFIRMATION,
            model::CASE_NO_PAPER => model::CASE_NO_PAPER,
            _ => continue,
        };
        next.insert((i32::try_from(n.year).unwrap_or(0), kind), n.last_seq);
    }
    Ok(Numbers { next, court_code: rules.court_code.clone() })
}

/// Generate `opts.cases` synthetic cases into `db` (see the module doc).
pub async fn generate(db: &Db, opts: &GenOptions, say: &(dyn Fn(&str) + Sync)) -> Result<GenSummary, AppError> {
    let started = Instant::now();
    let rules = Rules::shipped();
    let reg = load_registry(db, &opts.county_code).await?;
    let mut numbers = numbers(db, &opts.county_code, rules).await?;
    let mut rng = StdRng::seed_from_u64(opts.seed);
    let salt = opts.seed.wrapping_mul(0x0100_0000_01B3) ^ (opts.now_ms as u64);
    let mut sum = GenSummary::default();
    let county = opts.county_code.as_str();
    // Cases are stored in the order they were registered, as a live system stores them
    // (ids grow with time, so the table is laid out in time order).
    let mut created: Vec<i64> = (0..opts.cases).map(|_| draw_created(&mut rng, opts)).collect();
    created.sort_unstable();
    let mut index = 0u64;
    while index < opts.cases {
        let n = (opts.cases - index).min(CHUNK as u64);
        let batch: Vec<GenCase> = (index..index + n)
            .zip(created.iter().skip(index as usize))
            .map(|(i, at)| draw(&mut rng, &reg, rules, &mut numbers, opts, i, salt, *at))
            .collect();
        for c in &batch {
            if c.outcome == Some("resolved") {
                sum.resolved += 1;
            }
            if model::is_open(c.state) {
                sum.open += 1;
                if c.due_at.is_some_and(|d| d <= opts.now_ms) {
                    sum.overdue += 1;
                }
            }
        }
        let mut tx = db.begin().await?;
        bulk::load(&mut tx, "mediation_cases", COLUMNS, &batch, |c, v| {
            v.extend([
                Val::Text(county),
                Val::Text(&c.tracking_code),
                Val::Text(c.channel),
                Val::Text(c.category),
                Val::Text(&c.summary),
                Val::Text(""),
                c.amount_fen.into(),
                Val::Text(&c.township_code),
                Val::Text(&c.village_code),
                Val::Text(""),
                c.grid_id.into(),
                c.reporter_user_id.into(),
                c.external_ref.as_deref().into(),
                Val::Text(c.state),
                Val::Text(c.level),
                Val::Text(&c.body_kind),
                c.body_org_id.into(),
                Val::Text(&c.body_name),
                c.tribunal_org_id.into(),
                Val::Text(&c.route_rule),
                c.due_at.into(),
                Val::Text(c.due_basis),
                c.level_due_at.into(),
                c.mediation_started_at.into(),
                Val::Int(c.extension_days),
                c.agreement_at.into(),
                c.agreement_text.into(),
                c.failure_reason.into(),
                c.court_case_no.as_deref().into(),
                c.closed_at.into(),
                c.outcome.into(),
                c.followup_at.into(),
                c.satisfaction.into(),
                Val::Bool(true),
                Val::Int(c.created_at),
                Val::Int(c.updated_at),
            ]);
        })
        .await?;
        if index + n >= opts.cases {
            // Later real numbers continue after the demo ones.
            for ((year, kind), last) in
                numbers.next.iter().filter(|((_, k), _)| [model::CASE_NO_CONFIRMATION, model::CASE_NO_PAPER].contains(k))
            {
                tx.execute(
                    "INSERT INTO mediation_case_numbers (county_code, year, kind, last_seq) VALUES ($1, $2, $3, $4) \
                     ON CONFLICT (county_code, year, kind) DO UPDATE SET last_seq = CASE WHEN excluded.last_seq > \
                     mediation_case_numbers.last_seq THEN excluded.last_seq ELSE mediation_case_numbers.last_seq END",
                    &[Arg::from(county), Arg::Int(i64::from(*year)), Arg::from(*kind), Arg::Int(*last)],
                )
                .await?;
            }
            audit::append(
                &mut tx,
                opts.now_ms,
                &Change {
                    county_code: county,
                    actor: &Actor::System("mediation.generate"),
                    action: "mediation_case.generated",
                    entity: model::MACHINE.entity,
                    entity_id: "demo",
                    detail: serde_json::json!({"cases": opts.cases, "seed": opts.seed, "note": "演示数据 synthetic demo history"}),
                },
            )
            .await?;
        }
        tx.commit().await?;
        index += n;
        sum.cases = index;
        if opts.cases > CHUNK as u64 {
            say(&format!("generated {index}/{} cases", opts.cases));
        }
    }
    sum.seconds = started.elapsed().as_secs_f64();
    Ok(sum)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tracking_codes_are_unique_and_well_formed() {
        let mut seen = std::collections::HashSet::new();
        for i in 0..50_000 {
            let t = tracking_code(i, 12345);
            assert_eq!(t.len(), 10);
            assert!(t.starts_with("TJ"));
            assert!(seen.insert(t), "duplicate at {i}");
        }
    }

    #[test]
    fn every_weighted_key_is_known() {
        let rules = Rules::shipped();
        for (k, _) in CATEGORY_WEIGHTS {
            assert!(rules.category(k).is_some(), "{k}");
        }
        for (k, _) in CHANNEL_WEIGHTS {
            assert!(model::channel(k).is_some(), "{k}");
        }
    }
}
