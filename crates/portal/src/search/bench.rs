//! 检索基准 The cross-content search over a large synthetic index: `docs` documents
//! spread over every portal kind (each marked 合成基准数据, never real content), built in
//! a directory the caller gives (a temporary one), then [`search`](super::search) and
//! the per-kind [`counts`](super::counts) timed over realistic Chinese queries.
//! `qingfeng bench portal` runs it.

use std::path::Path;
use std::time::Instant;

use qingfeng_platform::AppError;
use qingfeng_search::{Doc, SearchIndex};
use serde::Serialize;

use super::KINDS;

/// Queries people type into the portal's search box.
pub const QUERIES: &[&str] = &[
    "营业执照",
    "食品经营许可证",
    "企业开办",
    "收费标准",
    "不动产登记",
    "行政处罚",
    "中小企业款项支付",
    "优化营商环境",
    "税务登记",
    "建设工程规划许可",
    "个体工商户",
    "市场准入",
    "供水供电",
    "融资担保",
    "投诉举报",
    "消防安全检查",
];

const SUBJECTS: &[&str] = &[
    "营业执照",
    "食品经营许可",
    "企业开办",
    "不动产登记",
    "税务登记",
    "建设工程规划许可",
    "个体工商户",
    "市场准入",
    "供水",
    "供电",
    "供气",
    "融资担保",
    "消防安全检查",
    "道路运输",
    "药品零售",
    "医疗机构执业",
    "排污许可",
    "特种设备",
    "广告发布",
    "印章刻制",
    "社会保险登记",
    "公积金缴存",
    "农业机械",
    "种子生产经营",
    "烟草专卖零售",
    "劳务派遣",
    "人力资源服务",
    "旅行社设立",
    "出版物零售",
    "危险化学品经营",
];
const ACTIONS: &[&str] = &["办理", "变更", "注销", "延续", "审批", "备案", "检查", "收费", "投诉", "咨询", "公示", "监管"];
const PHRASES: &[&str] = &[
    "申请人应当提交申请材料",
    "承诺办结时限为五个工作日",
    "收费标准按照省定标准执行",
    "依法对违法行为予以行政处罚",
    "中小企业款项支付应当及时",
    "持续优化营商环境",
    "全程网办一次不用跑",
    "窗口受理后当场办结",
    "投诉举报电话全天受理",
    "信用承诺制告知承诺",
];

/// The timings of one operation over every query, in milliseconds.
#[derive(Debug, Clone, Serialize)]
pub struct Timing {
    pub runs: usize,
    pub p50_ms: f64,
    pub p99_ms: f64,
    pub max_ms: f64,
}

/// What the search benchmark measured.
#[derive(Debug, Clone, Serialize)]
pub struct Figures {
    pub docs: usize,
    pub index_seconds: f64,
    pub docs_per_s: f64,
    pub queries: usize,
    /// Page 1 over every kind (the page's hits), per query.
    pub search: Timing,
    /// The per-kind counts of the filter tabs (one counting pass), per query.
    pub counts: Timing,
    /// Both, as the search page does them.
    pub page: Timing,
    pub mean_hits: f64,
    pub goal_p99_ms: f64,
    pub goal_met: bool,
}

fn timing(mut ms: Vec<f64>) -> Timing {
    ms.sort_by(f64::total_cmp);
    let at = |p: f64| ms.get(((ms.len() as f64 * p).ceil() as usize).saturating_sub(1)).copied().unwrap_or(0.0);
    Timing { runs: ms.len(), p50_ms: at(0.50), p99_ms: at(0.99), max_ms: ms.last().copied().unwrap_or(0.0) }
}

/// The `n`th synthetic document (deterministic).
pub fn synthetic_doc(n: usize, county: &str) -> Doc {
    let kind = KINDS[n % KINDS.len()].key;
    let subject = SUBJECTS[(n / 7) % SUBJECTS.len()];
    let action = ACTIONS[(n / 3) % ACTIONS.len()];
    let body: Vec<&str> = (0..4).map(|i| PHRASES[(n * 7 + i * 3) % PHRASES.len()]).collect();
    let national = kind == crate::index::KIND_ARTICLE;
    Doc {
        kind: kind.into(),
        id: if national { format!("{}-{}", n / 100 + 1, n % 100 + 1) } else { (n + 1).to_string() },
        county: if national { String::new() } else { county.to_string() },
        title: format!("{subject}{action}（合成基准数据 {n}）"),
        body: format!("{subject}{action}：{}。本条为合成基准数据。", body.join("，")),
        tags: vec!["合成基准数据".into()],
    }
}

/// Build an index of `docs` synthetic documents in `dir`, then time `rounds` passes
/// over [`QUERIES`].
pub fn run(dir: &Path, docs: usize, rounds: usize, county: &str, say: &dyn Fn(&str)) -> Result<Figures, AppError> {
    let err = |e: qingfeng_search::SearchError| AppError::internal(format!("search bench: {e}"));
    let index = SearchIndex::open(dir).map_err(err)?;
    say(&format!("indexing {docs} synthetic portal documents"));
    let started = Instant::now();
    let mut batch = Vec::with_capacity(10_000);
    for n in 0..docs {
        batch.push(synthetic_doc(n, county));
        if batch.len() == 10_000 {
            index.upsert(&batch).map_err(err)?;
            batch.clear();
        }
    }
    index.upsert(&batch).map_err(err)?;
    let index_seconds = started.elapsed().as_secs_f64();
    say(&format!("timing {} queries × {rounds} rounds", QUERIES.len()));
    // One warm-up pass, not counted.
    for q in QUERIES {
        super::search(&index, county, q, None, 1)?;
    }
    let (mut search, mut counts, mut page) = (Vec::new(), Vec::new(), Vec::new());
    let mut hits = 0usize;
    for _ in 0..rounds {
        for q in QUERIES {
            let t = Instant::now();
            let h = super::search(&index, county, q, None, 1)?;
            let a = t.elapsed().as_secs_f64() * 1000.0;
            let t = Instant::now();
            super::counts(&index, county, q)?;
            let b = t.elapsed().as_secs_f64() * 1000.0;
            hits += h.total;
            search.push(a);
            counts.push(b);
            page.push(a + b);
        }
    }
    let runs = search.len().max(1);
    let search = timing(search);
    let goal = 20.0;
    Ok(Figures {
        docs,
        index_seconds,
        docs_per_s: docs as f64 / index_seconds.max(1e-9),
        queries: QUERIES.len(),
        goal_met: search.p99_ms <= goal,
        search,
        counts: timing(counts),
        page: timing(page),
        mean_hits: hits as f64 / runs as f64,
        goal_p99_ms: goal,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn synthetic_docs_follow_the_contract_and_are_found() {
        let d = synthetic_doc(1, "410922");
        assert_eq!(d.kind, "policy_article");
        assert_eq!(d.county, "");
        assert!(super::super::href(&d.kind, &d.id).is_some());
        for n in 0..16 {
            let d = synthetic_doc(n, "410922");
            assert!(super::super::href(&d.kind, &d.id).is_some(), "{d:?}");
            assert!(d.title.contains("合成基准数据"));
        }
        let dir = std::env::temp_dir().join(format!("qf-portal-bench-test-{}", std::process::id()));
        let f = run(&dir, 2_000, 1, "410922", &|_| {}).unwrap();
        let _ = std::fs::remove_dir_all(&dir);
        assert_eq!(f.docs, 2_000);
        assert!(f.mean_hits > 0.0, "{f:?}");
        assert_eq!(f.search.runs, QUERIES.len());
    }
}
