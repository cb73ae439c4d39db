//! 归集数据质量 Per department: records sent (counted by kind), the share of rows
//! rejected, and 双公示 timeliness (行政许可 and 行政处罚 that arrived within 7 working
//! days of the decision; the other kinds have no such limit and are left out of the
//! share), with an SVG chart drawn on the server; county totals and records per resident
//! (the seed's "人均20条").

use std::collections::HashMap;

use askama::Template;
use axum::Router;
use axum::extract::State;
use axum::response::Html;
use axum::routing::get;
use qingfeng_platform::auth::Scope;
use qingfeng_platform::listing::{ListParams, ListQuery, MAX_PER_PAGE};
use qingfeng_platform::web::{AppState, Ctx, render};
use qingfeng_platform::{AppError, registry};

use crate::store;
use crate::{COUNTY_POPULATION, PERM_QUALITY};

pub fn routes() -> Router<AppState> {
    Router::new().route("/console/credit/quality", get(page))
}

/// One department's row.
#[derive(Clone)]
pub struct Row {
    pub name: String,
    pub code: String,
    /// Records of every kind.
    pub records: i64,
    /// Records per kind, by the kind's Chinese name (行政许可 3, 信用承诺 2 …).
    pub kinds: Vec<(String, i64)>,
    /// 双公示 records, the base of the timeliness share.
    pub shuanggongshi: i64,
    /// Share of the 双公示 records on time (`—` when the department sent none).
    pub timely_pct: String,
    pub read: i64,
    pub rejected_pct: String,
    /// Width of the timeliness bar in the chart (0–240).
    pub bar: i64,
}

#[derive(Template)]
#[template(path = "credit_quality.html")]
struct Page<'a> {
    ctx: &'a Ctx,
    title: &'a str,
    rows: Vec<Row>,
    /// The rows with 双公示 records, drawn in the chart.
    chart: Vec<Row>,
    records: i64,
    subjects: i64,
    per_resident: String,
    chart_height: usize,
}

/// A kind's Chinese name (the key itself for a kind the platform does not know).
fn kind_zh(key: &str) -> String {
    crate::model::RecordKind::parse(key).map(|k| k.zh().to_string()).unwrap_or_else(|| key.to_string())
}

fn pct(part: i64, whole: i64) -> String {
    if whole == 0 { "—".into() } else { format!("{:.1}%", part as f64 * 100.0 / whole as f64) }
}

async fn page(State(st): State<AppState>, ctx: Ctx) -> Result<Html<String>, AppError> {
    let user = ctx.require(&PERM_QUALITY)?;
    let county = &user.county_code;
    let dept = super::own_department(&st, user).await?;
    let records = store::records_by_dept(&st.db, county, dept.as_deref()).await?;
    let imports: HashMap<String, store::DeptImports> =
        store::imports_by_dept(&st.db, county, dept.as_deref()).await?.into_iter().map(|i| (i.source_dept.clone(), i)).collect();
    // Department names through the registry's API.
    let all = ListQuery { per_page: Some(MAX_PER_PAGE.to_string()), ..ListQuery::default() };
    let orgs =
        registry::list_orgs(&st.db, &Scope::everything(), Some("department"), &ListParams::parse(&all, registry::ORG_SORT, "id")?).await?;
    let names: HashMap<String, String> = orgs.items.into_iter().filter_map(|o| o.uscc.map(|u| (u, o.name))).collect();
    let rows: Vec<Row> = records
        .iter()
        .map(|r| {
            let imp = imports.get(&r.source_dept);
            Row {
                name: names.get(&r.source_dept).cloned().unwrap_or_else(|| r.source_dept.clone()),
                code: r.source_dept.clone(),
                records: r.records,
                kinds: r.by_kind.iter().map(|(k, n)| (kind_zh(k), *n)).collect(),
                shuanggongshi: r.shuanggongshi,
                timely_pct: pct(r.timely, r.shuanggongshi),
                read: imp.map_or(0, |i| i.read),
                rejected_pct: imp.map_or("—".into(), |i| pct(i.rejected, i.read)),
                bar: if r.shuanggongshi == 0 { 0 } else { r.timely * 240 / r.shuanggongshi },
            }
        })
        .collect();
    let total: i64 = records.iter().map(|r| r.records).sum();
    let subjects = if dept.is_some() { 0 } else { store::subject_count(&st.db, county).await? };
    let per_resident = format!("{:.2}", total as f64 / COUNTY_POPULATION as f64);
    let chart: Vec<Row> = rows.iter().filter(|r| r.shuanggongshi > 0).cloned().collect();
    let chart_height = chart.len() * 34 + 4;
    render(&Page {
        ctx: &ctx,
        title: ctx.pick("归集数据质量", "Data quality"),
        rows,
        chart,
        records: total,
        subjects,
        per_resident,
        chart_height,
    })
}

#[cfg(test)]
mod tests {
    use chrono::NaiveDate;
    use qingfeng_platform::audit::Actor;
    use qingfeng_platform::pii::Pii;
    use qingfeng_platform::testing;

    use crate::ingest::{self, Collect, Request, reader::Format};
    use crate::model::{ImportKind, RecordKind};
    use crate::store;

    const COUNTY: &str = "410922";

    fn uscc(prefix2: &str, body8: &str) -> String {
        qingfeng_core::compose_uscc(prefix2, "410922", body8).unwrap()
    }

    fn request(kind: RecordKind, today: NaiveDate) -> Request {
        Request {
            county_code: COUNTY.into(),
            kind: ImportKind::Record(kind),
            source_dept: None,
            file_name: "test.jsonl".into(),
            format: Format::JsonLines,
            door: "cli",
            actor: Actor::System("test"),
            lenient_uscc: false,
            today,
            market_regulation: Default::default(),
            calendar: std::sync::Arc::new(qingfeng_core::HolidayCalendar::builtin()),
            clock: qingfeng_platform::Clock::System,
        }
    }

    async fn import(db: &qingfeng_platform::db::Db, pii: &Pii, kind: RecordKind, today: NaiveDate, rows: &[serde_json::Value]) {
        let text: String = rows.iter().map(|r| r.to_string() + "\n").collect();
        let mut sink = Collect { rows: Vec::new(), limit: 100 };
        let req = request(kind, today);
        let s = ingest::run(db, pii, &req, Box::new(std::io::Cursor::new(text.into_bytes())), &mut sink, &mut |_| {}).await.unwrap();
        assert_eq!((s.stored, s.rejected), (rows.len() as u64, 0), "{:?}", sink.rows);
    }

    #[tokio::test]
    async fn timeliness_counts_only_permits_and_penalties() {
        let dir = tempfile::tempdir().unwrap();
        let pii = Pii::load_or_create("", dir.path()).unwrap();
        let (dept, firm) = (uscc("11", "MB000001"), uscc("91", "MA40AB12"));
        // Received on Monday 2026-11-30: a decision of Friday 11-27 is on time, one of 2025 is late.
        let today = NaiveDate::from_ymd_opt(2026, 11, 30).unwrap();
        let cf = |doc: &str, date: &str| {
            serde_json::json!({
                "CF_XDR_MC": "清丰县鑫源建材有限公司", "CF_XDR_LB": "法人及非法人组织", "CF_XDR_SHXYM": firm,
                "CF_WSH": doc, "CF_WFXW": "无证经营", "CF_SY": "无证经营食品", "CF_YJ": "《中华人民共和国食品安全法》第一百二十二条",
                "CF_CFLB": "警告", "CF_NR": "警告", "CF_JDRQ": date, "CF_YXQ": "2099/12/31",
                "CF_CFJG": "清丰县市场监督管理局", "CF_CFJGDM": dept, "CF_SJLY": "清丰县市场监督管理局", "CF_SJLYDM": dept
            })
        };
        let commitment = |code: &str| {
            serde_json::json!({
                "subject_name": "清丰县鑫源建材有限公司", "subject_kind": "法人及非法人组织", "uscc": firm,
                "commitment_type": "审批替代型", "commitment_code": code, "commitment_date": "2026-11-27",
                "accepting_unit": "清丰县市场监督管理局", "accepting_unit_uscc": dept, "content": "按期补交材料",
                "performance_status": "全部履行", "source_dept_name": "清丰县市场监督管理局", "source_dept_uscc": dept
            })
        };
        let tax = serde_json::json!({
            "taxpayer_name": "清丰县鑫源建材有限公司", "taxpayer_id": firm, "evaluation_year": "2025", "evaluation_result": "A",
            "evaluating_unit": "国家税务总局清丰县税务局", "evaluating_unit_uscc": dept, "published_date": "2026-11-27",
            "source_dept_name": "国家税务总局清丰县税务局", "source_dept_uscc": dept
        });
        for t in testing::all().await.unwrap() {
            let db = &t.db;
            import(db, &pii, RecordKind::Cf, today, &[cf("清市监罚〔2026〕1号", "2026/11/27"), cf("清市监罚〔2025〕2号", "2025/05/06")])
                .await;
            // Recent commitments and an A rating: the import marks them as on time, but
            // they have no 双公示 limit and must not lift the share.
            import(db, &pii, RecordKind::Commitment, today, &[commitment("CN-1"), commitment("CN-2")]).await;
            import(db, &pii, RecordKind::TaxA, today, std::slice::from_ref(&tax)).await;

            let rows = store::records_by_dept(db, COUNTY, None).await.unwrap();
            assert_eq!(rows.len(), 1, "{}", t.name);
            let r = &rows[0];
            assert_eq!((r.records, r.shuanggongshi, r.timely), (5, 2, 1), "{}: {r:?}", t.name);
            assert_eq!(
                r.by_kind,
                vec![("cf".to_string(), 2), ("commitment".to_string(), 2), ("tax_a".to_string(), 1)],
                "{}: every kind in the counts, in the kinds' order",
                t.name
            );
            // One department asked for by code; another department has nothing.
            assert_eq!(store::records_by_dept(db, COUNTY, Some(&dept)).await.unwrap(), rows, "{}", t.name);
            assert!(store::records_by_dept(db, COUNTY, Some(&uscc("11", "MB000002"))).await.unwrap().is_empty());
        }
    }

    #[test]
    fn shares_and_kind_names() {
        assert_eq!(super::pct(1, 2), "50.0%");
        assert_eq!(super::pct(0, 0), "—", "a department with no 双公示 records has no share");
        assert_eq!(super::kind_zh("commitment"), "信用承诺");
        assert_eq!(super::kind_zh("tax_a"), "纳税信用A级");
        assert_eq!(super::kind_zh("gone"), "gone");
    }
}
