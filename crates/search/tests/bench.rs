//! Rough throughput figures, not a pass/fail test. Run in release:
//!
//! ```sh
//! cargo test --release -p qingfeng-search --test bench -- --ignored --nocapture
//! ```

use std::time::Instant;

use qingfeng_search::{Doc, SearchIndex, SearchQuery};

const PREFIXES: [&str; 8] = ["清丰县", "濮阳市", "南乐县", "范县", "台前县", "濮阳县", "华龙区", "河南"];
const NAMES: [&str; 12] = ["鑫源", "宏达", "恒信", "永兴", "华泰", "金穗", "顺通", "瑞丰", "东方", "新科", "龙腾", "佳禾"];
const TRADES: [&str; 10] = ["建材", "食品", "农业科技", "物流", "商贸", "机械制造", "电子", "餐饮管理", "服装", "医药"];
const FORMS: [&str; 4] = ["有限公司", "有限责任公司", "合作社", "个体工商户"];

fn company(i: usize) -> Doc {
    let pick = |list: &[&'static str], salt: usize| list[(i / salt) % list.len()];
    let trade = pick(&TRADES, 1);
    Doc {
        kind: "credit_subject".into(),
        id: format!("{i:08}"),
        county: format!("4109{:02}", i % 5 + 22),
        title: format!("{}{}{}{}{}", pick(&PREFIXES, 7), pick(&NAMES, 3), i % 997, trade, pick(&FORMS, 11)),
        body: format!("经营范围：{trade}产品的生产、销售及相关技术服务。登记机关：市场监督管理局。"),
        tags: vec!["企业".into()],
    }
}

#[test]
#[ignore = "benchmark: run explicitly in release mode"]
fn index_and_search_100k_short_docs() {
    const N: usize = 100_000;
    const BATCH: usize = 10_000;
    let dir = tempfile::tempdir().unwrap();
    let index = SearchIndex::open(dir.path()).unwrap();
    let docs: Vec<Doc> = (0..N).map(company).collect();

    let start = Instant::now();
    for batch in docs.chunks(BATCH) {
        index.upsert(batch).unwrap();
    }
    let secs = start.elapsed().as_secs_f64();
    println!("indexed {N} docs in batches of {BATCH}: {secs:.2} s ({:.0} docs/s)", N as f64 / secs);
    assert_eq!(index.doc_count(), N as u64);

    let start = Instant::now();
    index.upsert(&docs[..1]).unwrap();
    println!("single-doc upsert (commit + reload): {:.1} ms", start.elapsed().as_secs_f64() * 1e3);

    let queries = ["鑫源建材", "清丰", "食品有限公司", "鑫", "怎么查询企业信用", "机械"];
    let rounds = 50;
    let start = Instant::now();
    let mut total = 0;
    for _ in 0..rounds {
        for q in queries {
            total += index.search(&SearchQuery::new(q)).unwrap().total;
        }
    }
    let per_query = start.elapsed().as_secs_f64() * 1e3 / (rounds * queries.len()) as f64;
    println!("search (top 20 + snippets): {per_query:.2} ms/query avg, {total} total matches");
}
