//! 区划与组织 The county registry: divisions (province › prefecture › county › township ›
//! village), organisations on top of them, and one grid (网格) per village.
//!
//! The divisions are real: NBS 2023 统计用区划代码 for 清丰县 (17 townships, 512
//! village-level units), shipped in `crates/platform/data/` with their sources.

use serde::{Deserialize, Serialize};

use crate::audit::{self, Actor, Change};
use crate::auth::Scope;
use crate::db::{Db, Tx};
use crate::error::AppError;
use crate::listing::{ListParams, Page, SortKey, fetch_page};
use crate::on_tx;
use crate::sql::{Arg, Where};

const TOWNS_CSV: &str = include_str!("../data/qingfeng_towns_2023.csv");
const VILLAGES_CSV: &str = include_str!("../data/qingfeng_villages_2023.csv");
const COUNTIES_CSV: &str = include_str!("../data/puyang_counties_2023.csv");
const SOURCE: &str = "国家统计局 2023年统计用区划代码 (china-division@2.7.0)";

/// 区划 An administrative division.
#[derive(Debug, Clone, Serialize, Deserialize, sqlx::FromRow, PartialEq)]
pub struct Division {
    pub code: String,
    pub name: String,
    /// `province`, `prefecture`, `county`, `township` or `village`.
    pub level: String,
    pub parent_code: Option<String>,
    pub county_code: Option<String>,
    /// 镇 / 乡 / 村委会 / 居委会 where known.
    pub kind: String,
    pub lon: Option<f64>,
    pub lat: Option<f64>,
}

impl Division {
    pub fn level_zh(&self) -> &'static str {
        level_zh(&self.level)
    }
}

pub fn level_zh(level: &str) -> &'static str {
    match level {
        "province" => "省",
        "prefecture" => "市",
        "county" => "县",
        "township" => "乡镇",
        "village" => "村（社区）",
        _ => "",
    }
}

/// Kinds of organisation (组织类别), with their Chinese names.
pub const ORG_KINDS: &[(&str, &str, &str)] = &[
    ("county_gov", "县人民政府", "County government"),
    ("township_gov", "乡镇人民政府", "Township government"),
    ("department", "县直部门", "County department"),
    ("court", "人民法院", "Court"),
    ("tribunal", "人民法庭", "People's tribunal"),
    ("mediation", "调解组织", "Mediation organisation"),
    ("bank", "银行", "Bank"),
    ("care_home", "养老机构", "Care institution"),
    ("day_care", "日间照料中心", "Day-care centre"),
    ("platform", "平台运营", "Platform operator"),
];

pub fn org_kind_zh(kind: &str) -> &'static str {
    ORG_KINDS.iter().find(|k| k.0 == kind).map(|k| k.1).unwrap_or("其他")
}

/// 组织 An organisation: a government body, tribunal, bank, care institution…
#[derive(Debug, Clone, Serialize, Deserialize, sqlx::FromRow)]
pub struct Organisation {
    pub id: i64,
    pub county_code: String,
    pub division_code: String,
    pub kind: String,
    pub name: String,
    pub uscc: Option<String>,
    pub parent_id: Option<i64>,
    /// Synthetic demo data (演示数据), not an official record.
    pub is_demo: bool,
    pub note: String,
}

/// 网格 A grid: the area one grid worker (网格员) looks after; one per village.
#[derive(Debug, Clone, Serialize, Deserialize, sqlx::FromRow)]
pub struct Grid {
    pub id: i64,
    pub county_code: String,
    pub township_code: String,
    pub township_name: String,
    pub village_code: String,
    pub village_name: String,
    pub name: String,
    /// `rural` (村委会) or `community` (居委会).
    pub kind: String,
    pub worker_user_id: Option<i64>,
    pub worker_name: Option<String>,
}

/// What [`load_reference`] stored.
#[derive(Debug, Clone, Default, Serialize, PartialEq)]
pub struct LoadSummary {
    pub divisions: u64,
    pub grids: u64,
    pub organisations: u64,
}

#[derive(Deserialize)]
struct TownRow {
    code: String,
    name: String,
    #[serde(rename = "type")]
    kind: String,
    county_code: String,
    center_lon_gcj02: Option<f64>,
    center_lat_gcj02: Option<f64>,
}

#[derive(Deserialize)]
struct VillageRow {
    code: String,
    name: String,
    kind: String,
    town_code: String,
    county_code: String,
}

#[derive(Deserialize)]
struct CountyRow {
    code: String,
    name: String,
    city_code: String,
    city_name: String,
    province_code: String,
    province_name: String,
}

fn parse_csv<T: for<'de> Deserialize<'de>>(text: &str) -> Result<Vec<T>, AppError> {
    csv::Reader::from_reader(text.as_bytes())
        .deserialize()
        .collect::<Result<Vec<T>, _>>()
        .map_err(|e| AppError::internal(format!("内置区划数据无法解析: {e}")))
}

struct NewDivision<'a> {
    code: &'a str,
    name: &'a str,
    level: &'a str,
    parent: Option<&'a str>,
    county: Option<&'a str>,
    kind: &'a str,
    lon: Option<f64>,
    lat: Option<f64>,
}

async fn insert_division(tx: &mut Tx, d: &NewDivision<'_>) -> Result<u64, sqlx::Error> {
    let r = tx
        .execute(
            "INSERT INTO divisions (code, name, level, parent_code, county_code, kind, lon, lat, source) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT (code) DO NOTHING",
            &[
                Arg::from(d.code),
                Arg::from(d.name),
                Arg::from(d.level),
                Arg::from(d.parent),
                Arg::from(d.county),
                Arg::from(d.kind),
                Arg::from(d.lon),
                Arg::from(d.lat),
                Arg::from(SOURCE),
            ],
        )
        .await?;
    Ok(r)
}

/// A new organisation.
#[derive(Debug, Clone)]
pub struct NewOrg<'a> {
    pub county_code: &'a str,
    pub division_code: &'a str,
    pub kind: &'a str,
    pub name: &'a str,
    pub uscc: Option<&'a str>,
    pub parent_id: Option<i64>,
    pub is_demo: bool,
    pub note: &'a str,
}

/// Store an organisation unless one of that name exists in the county; returns its id
/// and whether it was created.
pub async fn ensure_org(tx: &mut Tx, org: &NewOrg<'_>, actor: &Actor, now_ms: i64) -> Result<(i64, bool), AppError> {
    if let Some(uscc) = org.uscc {
        qingfeng_core::Uscc::parse(uscc)?;
    }
    let existing: Option<i64> = on_tx!(tx, |c| sqlx::query_scalar("SELECT id FROM organisations WHERE county_code = $1 AND name = $2")
        .bind(org.county_code)
        .bind(org.name)
        .fetch_optional(&mut *c)
        .await)?;
    if let Some(id) = existing {
        return Ok((id, false));
    }
    let id: i64 = on_tx!(tx, |c| sqlx::query_scalar(
        "INSERT INTO organisations (county_code, division_code, kind, name, uscc, parent_id, is_demo, note, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id"
    )
    .bind(org.county_code)
    .bind(org.division_code)
    .bind(org.kind)
    .bind(org.name)
    .bind(org.uscc)
    .bind(org.parent_id)
    .bind(org.is_demo)
    .bind(org.note)
    .bind(now_ms)
    .fetch_one(&mut *c)
    .await)?;
    audit::append(
        tx,
        now_ms,
        &Change {
            county_code: org.county_code,
            actor,
            action: "organisation.create",
            entity: "organisation",
            entity_id: &id.to_string(),
            detail: serde_json::json!({"name": org.name, "kind": org.kind, "division": org.division_code, "uscc": org.uscc, "demo": org.is_demo}),
        },
    )
    .await?;
    Ok((id, true))
}

/// The real public bodies every install of the county has: (kind, name, division,
/// parent name, note). No codes are given where none is public.
const PUBLIC_BODIES: &[(&str, &str, &str, Option<&str>, &str)] = &[
    ("county_gov", "清丰县人民政府", "410922", None, ""),
    ("court", "清丰县人民法院", "410922", None, ""),
    ("tribunal", "清丰县人民法院城关法庭", "410922100", Some("清丰县人民法院"), "设网格之家"),
];

impl<'a> NewDivision<'a> {
    fn new(code: &'a str, name: &'a str, level: &'a str, parent: Option<&'a str>, county: Option<&'a str>, kind: &'a str) -> Self {
        NewDivision { code, name, level, parent, county, kind, lon: None, lat: None }
    }
}

/// Load the real divisions of 濮阳市 and 清丰县, one grid per village, and the real
/// public bodies (county government, township governments, the county court and 城关法庭).
/// Idempotent: running it again stores nothing twice.
pub async fn load_reference(db: &Db, now_ms: i64) -> Result<LoadSummary, AppError> {
    let counties: Vec<CountyRow> = parse_csv(COUNTIES_CSV)?;
    let towns: Vec<TownRow> = parse_csv(TOWNS_CSV)?;
    let villages: Vec<VillageRow> = parse_csv(VILLAGES_CSV)?;
    let actor = Actor::System("registry");
    let mut sum = LoadSummary::default();
    let mut tx = db.begin().await?;
    let mut divisions = Vec::new();
    for c in &counties {
        divisions.push(NewDivision::new(&c.province_code, &c.province_name, "province", None, None, "省"));
        divisions.push(NewDivision::new(&c.city_code, &c.city_name, "prefecture", Some(&c.province_code), None, "地级市"));
        divisions.push(NewDivision::new(&c.code, &c.name, "county", Some(&c.city_code), Some(&c.code), ""));
    }
    for t in &towns {
        let mut d = NewDivision::new(&t.code, &t.name, "township", Some(&t.county_code), Some(&t.county_code), &t.kind);
        (d.lon, d.lat) = (t.center_lon_gcj02, t.center_lat_gcj02);
        divisions.push(d);
    }
    for v in &villages {
        divisions.push(NewDivision::new(&v.code, &v.name, "village", Some(&v.town_code), Some(&v.county_code), &v.kind));
    }
    for d in &divisions {
        sum.divisions += insert_division(&mut tx, d).await?;
    }
    for v in &villages {
        let kind = if v.kind == "居委会" { "community" } else { "rural" };
        let grid_name = format!("{}网格", v.name.trim_end_matches("村委会").trim_end_matches("居委会"));
        sum.grids += tx
            .execute(
                "INSERT INTO grids (county_code, township_code, village_code, name, kind, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (village_code) DO NOTHING",
                &[
                    Arg::from(&v.county_code),
                    Arg::from(&v.town_code),
                    Arg::from(&v.code),
                    Arg::from(&grid_name),
                    Arg::from(kind),
                    Arg::from(now_ms),
                ],
            )
            .await?;
    }
    let county = "410922";
    let mut bodies: Vec<(&str, String, &str, Option<&str>, &str)> =
        PUBLIC_BODIES.iter().map(|(k, n, d, p, note)| (*k, (*n).to_string(), *d, *p, *note)).collect();
    for t in &towns {
        bodies.push(("township_gov", format!("{}人民政府", t.name), &t.code, Some("清丰县人民政府"), ""));
    }
    let mut ids: std::collections::HashMap<String, i64> = std::collections::HashMap::new();
    for (kind, name, division, parent, note) in &bodies {
        let parent_id = parent.and_then(|p| ids.get(p).copied());
        let org = NewOrg { county_code: county, division_code: division, kind, name, uscc: None, parent_id, is_demo: false, note };
        let (id, created) = ensure_org(&mut tx, &org, &actor, now_ms).await?;
        sum.organisations += u64::from(created);
        ids.insert(name.clone(), id);
    }
    if sum != LoadSummary::default() {
        let detail = serde_json::to_value(&sum).unwrap_or_default();
        audit::append(
            &mut tx,
            now_ms,
            &Change { county_code: county, actor: &actor, action: "registry.load", entity: "registry", entity_id: county, detail },
        )
        .await?;
    }
    tx.commit().await?;
    Ok(sum)
}

const DIVISION_COLS: &str = "SELECT code, name, level, parent_code, county_code, kind, lon, lat FROM divisions";

/// One division by code (any accepted spelling: `410922`, `410922000000`…).
pub async fn division(db: &Db, code: &str) -> Result<Option<Division>, AppError> {
    let code = normalise_code(code)?;
    let mut w = Where::new();
    w.eq("code", code);
    Ok(crate::sql::Sql::new(DIVISION_COLS).append(w.as_sql()).fetch_optional(db).await?)
}

/// The children of a division, by code.
pub async fn children(db: &Db, code: &str) -> Result<Vec<Division>, AppError> {
    let code = normalise_code(code)?;
    let mut s = crate::sql::Sql::new(DIVISION_COLS);
    s.push(" WHERE parent_code = ").bind(code).push(" ORDER BY code");
    Ok(s.fetch_all(db).await?)
}

/// The chain from the province down to `code` (for breadcrumbs).
pub async fn ancestors(db: &Db, code: &str) -> Result<Vec<Division>, AppError> {
    let mut out = Vec::new();
    let mut next = Some(code.to_string());
    while let Some(c) = next {
        match division(db, &c).await? {
            Some(d) => {
                next = d.parent_code.clone();
                out.push(d);
            }
            None => break,
        }
    }
    out.reverse();
    Ok(out)
}

/// Parse a division code given by a person, with a Chinese error.
pub fn normalise_code(code: &str) -> Result<String, AppError> {
    Ok(qingfeng_core::DivisionCode::parse(code)?.to_string())
}

const ORG_SELECT: &str =
    "SELECT o.id, o.county_code, o.division_code, o.kind, o.name, o.uscc, o.parent_id, o.is_demo, o.note FROM organisations o";

pub const ORG_SORT: &[SortKey] = &[
    SortKey { key: "id", column: "o.id" },
    SortKey { key: "name", column: "o.name" },
    SortKey { key: "kind", column: "o.kind" },
    SortKey { key: "division", column: "o.division_code" },
];

/// Organisations within the scope, filtered by kind and search text.
pub async fn list_orgs(db: &Db, scope: &Scope, kind: Option<&str>, params: &ListParams) -> Result<Page<Organisation>, AppError> {
    let mut w = Where::new();
    scope.restrict(&mut w, "o.division_code", Some("o.id"));
    if let Some(k) = kind.filter(|k| !k.is_empty()) {
        w.eq("o.kind", k);
    }
    if let Some(q) = &params.q {
        w.contains_any(&["o.name", "o.uscc"], q);
    }
    Ok(fetch_page(
        db,
        "SELECT o.id, o.county_code, o.division_code, o.kind, o.name, o.uscc, o.parent_id, o.is_demo, o.note FROM organisations o",
        &w,
        params,
    )
    .await?)
}

/// One organisation, if the scope may see it (scope applied in the query).
pub async fn org(db: &Db, scope: &Scope, id: i64) -> Result<Organisation, AppError> {
    let mut w = Where::new();
    w.eq("o.id", id);
    scope.restrict(&mut w, "o.division_code", Some("o.id"));
    let mut s = crate::sql::Sql::new(ORG_SELECT);
    s.append(w.as_sql());
    s.fetch_optional(db).await?.ok_or_else(|| Scope::not_found("org.not_found", "组织", id))
}

/// The organisations among `ids` that the scope may see.
pub async fn visible_orgs(db: &Db, scope: &Scope, ids: &[i64]) -> Result<Vec<Organisation>, AppError> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let mut cond = crate::sql::Sql::new("o.id IN (");
    for (i, id) in ids.iter().enumerate() {
        if i > 0 {
            cond.push(", ");
        }
        cond.bind(*id);
    }
    cond.push(")");
    let mut w = Where::new();
    w.raw(&cond);
    scope.restrict(&mut w, "o.division_code", Some("o.id"));
    let mut s = crate::sql::Sql::new(ORG_SELECT);
    s.append(w.as_sql());
    Ok(s.fetch_all(db).await?)
}

const GRID_SELECT: &str = "SELECT g.id, g.county_code, g.township_code, t.name AS township_name, g.village_code, v.name AS village_name, \
     g.name, g.kind, g.worker_user_id, u.display_name AS worker_name \
     FROM grids g JOIN divisions t ON t.code = g.township_code JOIN divisions v ON v.code = g.village_code \
     LEFT JOIN users u ON u.id = g.worker_user_id";

pub const GRID_SORT: &[SortKey] = &[SortKey { key: "code", column: "g.village_code" }, SortKey { key: "name", column: "g.name" }];

/// Grids within the scope (optionally one township), filtered by search text.
pub async fn list_grids(db: &Db, scope: &Scope, township: Option<&str>, params: &ListParams) -> Result<Page<Grid>, AppError> {
    let mut w = Where::new();
    scope.restrict(&mut w, "g.village_code", None);
    if let Some(t) = township.filter(|t| !t.is_empty()) {
        w.within_division("g.village_code", &normalise_code(t)?);
    }
    if let Some(q) = &params.q {
        w.contains_any(&["g.name", "v.name", "g.village_code"], q);
    }
    Ok(fetch_page(db, GRID_SELECT, &w, params).await?)
}

/// One grid, if the scope may see it (scope applied in the query).
pub async fn grid(db: &Db, scope: &Scope, id: i64) -> Result<Grid, AppError> {
    let mut w = Where::new();
    w.eq("g.id", id);
    scope.restrict(&mut w, "g.village_code", None);
    let mut s = crate::sql::Sql::new(GRID_SELECT);
    s.append(w.as_sql());
    s.fetch_optional(db).await?.ok_or_else(|| Scope::not_found("grid.not_found", "网格", id))
}

/// Figures for the dashboard: (townships, villages, grids, organisations) within a scope.
pub async fn counts(db: &Db, scope: &Scope) -> Result<(i64, i64, i64, i64), AppError> {
    let count = |from: &str, division_col: &str, org_col: Option<&str>, extra: Option<&str>| {
        let mut w = Where::new();
        if let Some(level) = extra {
            w.eq("level", level);
        }
        scope.restrict(&mut w, division_col, org_col);
        let mut s = crate::sql::Sql::new(&format!("SELECT COUNT(*) FROM {from}"));
        s.append(w.as_sql());
        s
    };
    let townships = count("divisions", "code", None, Some("township")).fetch_i64(db).await?;
    let villages = count("divisions", "code", None, Some("village")).fetch_i64(db).await?;
    let grids = count("grids", "village_code", None, None).fetch_i64(db).await?;
    let orgs = count("organisations", "division_code", Some("id"), None).fetch_i64(db).await?;
    Ok((townships, villages, grids, orgs))
}

/// Assign (or clear) the grid worker of a grid.
pub async fn assign_grid_worker(
    db: &Db,
    scope: &Scope,
    grid_id: i64,
    user_id: Option<i64>,
    actor: &Actor,
    now_ms: i64,
) -> Result<(), AppError> {
    let g = grid(db, scope, grid_id).await?;
    let mut tx = db.begin().await?;
    tx.execute("UPDATE grids SET worker_user_id = $1 WHERE id = $2", &[Arg::from(user_id), Arg::from(grid_id)]).await?;
    audit::append(
        &mut tx,
        now_ms,
        &Change {
            county_code: &g.county_code,
            actor,
            action: "grid.assign_worker",
            entity: "grid",
            entity_id: &grid_id.to_string(),
            detail: serde_json::json!({"from": g.worker_user_id, "to": user_id}),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(())
}
