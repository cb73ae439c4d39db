//! 演示 The demo's lists, loaded once through the real import pipeline from the files in
//! `data/lists` (see its README for their sources): the 2022 negative-list edition with its
//! six 禁止准入类 items and their verification status, plus three 许可准入类 entries
//! visibly marked 演示示例; the Henan provincial market-regulation powers list (first 22
//! items) and a Henan county's fee catalogue (4 items) as samples of the published formats.

use qingfeng_platform::AppError;
use qingfeng_platform::audit::Actor;
use qingfeng_platform::db::Db;
use qingfeng_platform::tabular::Table;

use super::import::{self, Meta};
use super::{ListKind, store};

pub const NEGATIVE_2022_PROHIBITED: &str = include_str!("../../data/lists/market_access_negative_list_2022_prohibited.csv");
pub const NEGATIVE_DEMO_PERMITS: &str = include_str!("../../data/lists/negative_demo_permits.csv");
pub const POWERS_SAMPLE: &str = include_str!("../../data/lists/henan_amr_power_list_sample.csv");
pub const FEES_SAMPLE: &str = include_str!("../../data/lists/henan_county_fee_list_sample.csv");

/// Two CSV texts as one, under the union of their headers (a cell each file lacks is empty).
fn union_csv(files: &[&str]) -> Result<Vec<u8>, AppError> {
    let mut header: Vec<String> = Vec::new();
    let mut tables = Vec::new();
    for f in files {
        let t = Table::open_named("demo.csv", Box::new(std::io::Cursor::new(f.as_bytes().to_vec())))
            .map_err(|e| AppError::internal(e.message))?;
        for h in &t.header {
            if !header.contains(h) {
                header.push(h.clone());
            }
        }
        tables.push(t);
    }
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(&header).map_err(AppError::internal)?;
    for t in tables {
        let at: Vec<Option<usize>> = header.iter().map(|h| t.header.iter().position(|x| x == h)).collect();
        let mut rows = t;
        while let Some(line) = rows.next_line() {
            let line = line.map_err(|u| AppError::internal(u.message))?;
            let rec: Vec<&str> = at.iter().map(|i| i.and_then(|i| line.cells.get(i)).map(String::as_str).unwrap_or("")).collect();
            w.write_record(&rec).map_err(AppError::internal)?;
        }
    }
    w.into_inner().map_err(|e| AppError::internal(e.to_string()))
}

/// Load the demo lists of `county` unless it has any version already.
pub async fn load(db: &Db, county: &str, now_ms: i64) -> Result<(), AppError> {
    let actor = Actor::System("demo");
    let negative = union_csv(&[NEGATIVE_2022_PROHIBITED, NEGATIVE_DEMO_PERMITS])?;
    let mut neg_meta = Meta::edition("2022").unwrap_or_default();
    neg_meta.source = "国家发展改革委、商务部。本平台收录其中 6 项禁止准入类事项（按公开转载核对，见各项核实状态）；许可准入类 3 项为演示示例，不是清单原文".into();
    let files: [(ListKind, &str, Vec<u8>, Meta); 3] = [
        (ListKind::Negative, "market_access_negative_list_2022_prohibited.csv", negative, neg_meta),
        (
            ListKind::Powers,
            "henan_amr_power_list_sample.csv",
            POWERS_SAMPLE.as_bytes().to_vec(),
            Meta {
                title: "河南省市场监督管理局权责清单目录（节选前 22 项，格式示例）".into(),
                doc_number: "豫编〔2019〕28号".into(),
                source: "河南省市场监督管理局 scjg.henan.gov.cn/2020/05-27/1509723.html（省级清单，演示中作为格式示例）".into(),
                make_current: true,
                ..Meta::default()
            },
        ),
        (
            ListKind::Fees,
            "henan_county_fee_list_sample.csv",
            FEES_SAMPLE.as_bytes().to_vec(),
            Meta {
                title: "行政事业性收费目录清单（获嘉县节选，格式示例）".into(),
                source: "获嘉县（新乡市）行政事业性收费目录清单 huojia.gov.cn/contents/85/32421.html（演示中作为格式示例，不是清丰县的收费清单）".into(),
                make_current: true,
                ..Meta::default()
            },
        ),
    ];
    for (kind, name, bytes, meta) in files {
        if !store::versions(db, county, kind).await?.is_empty() {
            continue;
        }
        let sum = import::run(db, county, kind, name, Box::new(std::io::Cursor::new(bytes)), meta, &actor, now_ms).await?;
        if sum.version_id.is_none() {
            return Err(AppError::internal(format!("demo list {name} refused: {}", sum.message)));
        }
    }
    Ok(())
}
