#![allow(clippy::unwrap_used)] // test helpers outside #[test] fns

use qingfeng_search::{Doc, Hit, MAX_LIMIT, SearchError, SearchIndex, SearchQuery};

const QINGFENG: &str = "410922";
const HUALONG: &str = "410902";

fn doc(kind: &str, id: &str, county: &str, title: &str, body: &str, tags: &[&str]) -> Doc {
    Doc {
        kind: kind.into(),
        id: id.into(),
        county: county.into(),
        title: title.into(),
        body: body.into(),
        tags: tags.iter().map(|t| t.to_string()).collect(),
    }
}

fn corpus() -> Vec<Doc> {
    vec![
        doc(
            "credit_subject",
            "91410922MA1",
            QINGFENG,
            "清丰县鑫源建材有限公司",
            "经营范围：建筑材料、装饰材料销售；水泥制品加工。",
            &["企业"],
        ),
        doc("credit_subject", "91410922MA2", QINGFENG, "清丰县宏达建材有限公司", "经营范围：建材批发零售，五金交电。", &["企业"]),
        doc("credit_subject", "91410902MA3", HUALONG, "濮阳市华龙区美味食品有限公司", "经营范围：食品生产、销售。", &["企业"]),
        doc(
            "policy",
            "hn-credit-2019",
            QINGFENG,
            "河南省社会信用条例",
            "第一条 为了推进社会信用体系建设，规范社会信用信息管理，保护信用主体合法权益，\
             弘扬诚信文化，根据有关法律、行政法规，结合本省实际，制定本条例。\
             第二条 本省行政区域内社会信用信息的归集、共享、应用，守信激励与失信惩戒，\
             信用主体权益保护等活动，适用本条例。",
            &["法规", "信用"],
        ),
        doc(
            "guide",
            "business-license",
            QINGFENG,
            "营业执照办理指南",
            "申请人可通过清丰县政务服务网在线申请，或到县政务服务中心市场监管窗口办理营业执照，\
             需提交身份证明、经营场所证明等材料，材料齐全的当场办结。",
            &["办事指南"],
        ),
        doc(
            "guide",
            "credit-repair",
            QINGFENG,
            "信用修复申请指南",
            "失信主体在纠正失信行为、履行相关义务后，可以向作出认定的部门提出信用修复申请。",
            &["办事指南"],
        ),
        doc("org", "amr", QINGFENG, "清丰县市场监督管理局", "负责全县市场主体登记注册、营业执照核发和食品安全监督管理工作。", &[]),
    ]
}

fn index() -> SearchIndex {
    let index = SearchIndex::open_in_ram().unwrap();
    index.upsert(&corpus()).unwrap();
    index
}

fn search(index: &SearchIndex, q: SearchQuery) -> Vec<Hit> {
    index.search(&q).unwrap().hits
}

fn ids(index: &SearchIndex, text: &str) -> Vec<String> {
    search(index, SearchQuery::new(text)).into_iter().map(|h| h.id).collect()
}

#[track_caller]
fn assert_top(index: &SearchIndex, text: &str, id: &str) {
    let ids = ids(index, text);
    assert_eq!(ids.first().map(String::as_str), Some(id), "{text}: {ids:?}");
}

#[test]
fn finds_docs_by_natural_chinese_queries() {
    let index = index();
    assert_eq!(index.doc_count(), 7);
    assert_top(&index, "河南省社会信用条例", "hn-credit-2019");
    assert_top(&index, "社会信用条例", "hn-credit-2019");
    assert_top(&index, "信用条例", "hn-credit-2019");
    assert_top(&index, "怎么办理营业执照", "business-license");
    assert_top(&index, "营业执照", "business-license");
    assert_top(&index, "信用修复怎么申请", "credit-repair");
    assert_top(&index, "市场监督管理局", "amr");
    assert_top(&index, "清丰县鑫源建材有限公司", "91410922MA1");
}

#[test]
fn partial_names_and_single_characters_match_titles() {
    let index = index();
    assert_top(&index, "鑫源", "91410922MA1");
    assert_top(&index, "鑫源建材", "91410922MA1");
    assert_top(&index, "鑫", "91410922MA1");
    assert_top(&index, "源建", "91410922MA1"); // crosses a jieba word boundary

    let jiancai = ids(&index, "建材");
    assert!(jiancai.contains(&"91410922MA1".into()), "{jiancai:?}");
    assert!(jiancai.contains(&"91410922MA2".into()), "{jiancai:?}");

    let qingfeng = ids(&index, "清丰");
    for id in ["91410922MA1", "91410922MA2", "amr"] {
        assert!(qingfeng.contains(&id.into()), "{qingfeng:?}");
    }
    assert!(!qingfeng.contains(&"91410902MA3".into()), "{qingfeng:?}");
}

#[test]
fn unrelated_queries_find_nothing() {
    let index = index();
    assert!(ids(&index, "养老保险").is_empty());
    assert!(ids(&index, "鑫源食品").iter().all(|id| id != "91410922MA2"));
}

#[test]
fn latin_text_is_case_insensitive() {
    let index = SearchIndex::open_in_ram().unwrap();
    let d = doc("org", "1", QINGFENG, "清丰县ABC科技有限公司", "", &[]);
    index.upsert(&[d]).unwrap();
    assert_eq!(ids(&index, "abc"), ["1"]);
    assert_eq!(ids(&index, "Abc科技"), ["1"]);
}

#[test]
fn hits_carry_fields_and_plain_snippets() {
    let index = index();
    let hits = search(&index, SearchQuery::new("失信惩戒"));
    let hit = &hits[0];
    assert_eq!((hit.kind.as_str(), hit.id.as_str(), hit.title.as_str()), ("policy", "hn-credit-2019", "河南省社会信用条例"));
    assert!(hit.score > 0.0);
    assert!(hit.snippet.contains("失信惩戒"), "{}", hit.snippet);
    assert!(!hit.snippet.contains('<'), "{}", hit.snippet);
    assert!(hit.snippet.chars().count() <= 100, "{}", hit.snippet);

    // Title-only match: the snippet falls back to the start of the body.
    let hits = search(&index, SearchQuery::new("鑫源"));
    assert!(hits[0].snippet.starts_with("经营范围"), "{}", hits[0].snippet);
}

#[test]
fn title_matches_outrank_body_matches() {
    let index = index();
    // 「营业执照」 is in the guide's title and in the bureau's body.
    let ids = ids(&index, "营业执照");
    assert_eq!(ids[..2], ["business-license", "amr"]);
}

#[test]
fn tags_match_exactly() {
    let index = index();
    let mut ids = ids(&index, "办事指南");
    ids.sort();
    assert_eq!(ids, ["business-license", "credit-repair"]);
}

#[test]
fn kind_and_county_filters() {
    let index = index();
    let q = |kinds: &[&str], county: Option<&str>| SearchQuery {
        kinds: kinds.iter().map(|k| k.to_string()).collect(),
        county: county.map(Into::into),
        ..SearchQuery::new("有限公司")
    };
    assert_eq!(search(&index, q(&[], None)).len(), 3);
    assert_eq!(search(&index, q(&["credit_subject"], None)).len(), 3);
    assert_eq!(search(&index, q(&["policy", "guide"], None)).len(), 0);
    assert_eq!(search(&index, q(&["nope"], None)).len(), 0);

    let in_qingfeng = search(&index, q(&[], Some(QINGFENG)));
    assert_eq!(in_qingfeng.len(), 2);
    let in_hualong = search(&index, q(&["credit_subject"], Some(HUALONG)));
    assert_eq!(in_hualong.len(), 1);
    assert_eq!(in_hualong[0].id, "91410902MA3");

    let both = SearchQuery { kinds: vec!["guide".into(), "policy".into()], ..SearchQuery::new("信用") };
    let mut kinds: Vec<_> = search(&index, both).into_iter().map(|h| h.kind).collect();
    kinds.sort();
    assert_eq!(kinds, ["guide", "policy"]);
}

#[test]
fn filters_do_not_change_scores() {
    let index = index();
    let all = search(&index, SearchQuery::new("信用"));
    let policies = search(&index, SearchQuery { kinds: vec!["policy".into()], ..SearchQuery::new("信用") });
    let unfiltered = all.iter().find(|h| h.kind == "policy").unwrap();
    assert_eq!(policies[0].score, unfiltered.score);
}

#[test]
fn paging_and_limits() {
    let index = SearchIndex::open_in_ram().unwrap();
    let docs: Vec<Doc> = (0..150).map(|i| doc("org", &i.to_string(), QINGFENG, &format!("清丰县第{i}建材厂"), "", &[])).collect();
    index.upsert(&docs).unwrap();

    let page = |limit, offset| index.search(&SearchQuery { limit, offset, ..SearchQuery::new("建材") }).unwrap();
    let first = page(10, 0);
    assert_eq!((first.total, first.hits.len()), (150, 10));
    let second = page(10, 10);
    assert!(first.hits.iter().all(|a| second.hits.iter().all(|b| a.id != b.id)));

    assert_eq!(page(1000, 0).hits.len(), MAX_LIMIT);
    let counted = page(0, 0);
    assert_eq!((counted.total, counted.hits.len()), (150, 0));
    let past_end = page(10, 140);
    assert_eq!(past_end.hits.len(), 10);
    assert!(page(10, 150).hits.is_empty());
    assert!(page(10, usize::MAX).hits.is_empty());
}

#[test]
fn empty_or_symbol_only_text_returns_nothing() {
    let index = index();
    for text in ["", "   ", "\n\t", "，。！？", "😀🎉", "***", "\"\"", "AND OR NOT"] {
        let results = index.search(&SearchQuery::new(text)).unwrap();
        assert_eq!(results.total, 0, "{text:?}");
        assert!(results.hits.is_empty(), "{text:?}");
    }
}

#[test]
fn upsert_replaces_without_duplicates() {
    let index = index();
    let mut renamed = corpus()[0].clone();
    renamed.title = "清丰县鑫源新型建材有限公司".into();
    index.upsert(&[renamed]).unwrap();
    assert_eq!(index.doc_count(), 7);
    let hits = search(&index, SearchQuery::new("鑫源"));
    assert_eq!(hits.len(), 1);
    assert_eq!(hits[0].title, "清丰县鑫源新型建材有限公司");

    // Same key twice in one batch: last wins.
    let mut a = corpus()[5].clone();
    a.title = "旧标题".into();
    let mut b = a.clone();
    b.title = "新标题".into();
    index.upsert(&[a, b]).unwrap();
    assert_eq!(index.doc_count(), 7);
    assert!(ids(&index, "旧标题").is_empty());
    assert_eq!(ids(&index, "新标题"), ["credit-repair"]);

    // Same id in another kind is another document.
    let other_kind = doc("org", "credit-repair", QINGFENG, "新标题", "", &[]);
    index.upsert(&[other_kind]).unwrap();
    assert_eq!(index.doc_count(), 8);

    // A new pair twice in one batch: last wins there too.
    let first = doc("org", "new-org", QINGFENG, "初次名称", "", &[]);
    let second = doc("org", "new-org", QINGFENG, "更正名称", "", &[]);
    index.upsert(&[first, second]).unwrap();
    assert_eq!(index.doc_count(), 9);
    assert!(ids(&index, "初次名称").is_empty());
    assert_eq!(ids(&index, "更正名称"), ["new-org"]);
}

#[test]
fn a_kind_cleared_and_indexed_again_has_each_document_once() {
    let index = index();
    index.clear_kind("policy").unwrap();
    let policies: Vec<Doc> = corpus().into_iter().filter(|d| d.kind == "policy").collect();
    assert!(!policies.is_empty());
    index.upsert(&policies).unwrap();
    assert_eq!(index.doc_count(), 7);
    // And once more, as a catch-up re-reading the same rows would.
    index.upsert(&policies).unwrap();
    assert_eq!(index.doc_count(), 7);
    let first = &policies[0];
    assert_eq!(search(&index, SearchQuery::new(&first.title)).iter().filter(|h| h.id == first.id).count(), 1);
}

#[test]
fn delete_and_clear_kind() {
    let index = index();
    index.delete("policy", "hn-credit-2019").unwrap();
    index.delete("policy", "does-not-exist").unwrap();
    assert_eq!(index.doc_count(), 6);
    assert!(ids(&index, "社会信用条例").is_empty());

    index.clear_kind("credit_subject").unwrap();
    assert_eq!(index.doc_count(), 3);
    assert!(ids(&index, "有限公司").is_empty());
    assert_eq!(ids(&index, "营业执照")[0], "business-license");
}

#[test]
fn invalid_docs_are_rejected_before_writing() {
    let index = index();
    for (kind, id) in [("", "1"), ("a:b", "1"), ("org", "")] {
        let bad = doc(kind, id, QINGFENG, "标题", "", &[]);
        let err = index.upsert(&[corpus()[0].clone(), bad]).unwrap_err();
        assert_eq!(err.code(), "search.invalid_doc");
    }
    assert_eq!(index.doc_count(), 7);
}

#[test]
fn reopen_from_disk_keeps_docs() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("nested/search");
    {
        let index = SearchIndex::open(&path).unwrap();
        index.upsert(&corpus()).unwrap();
        // The writer lock is held while open.
        let err = SearchIndex::open(&path).unwrap_err();
        assert_eq!(err.code(), "search.locked");
    }
    let index = SearchIndex::open(&path).unwrap();
    assert_eq!(index.doc_count(), 7);
    assert_top(&index, "社会信用条例", "hn-credit-2019");
    assert_top(&index, "鑫", "91410922MA1");
    index.delete("org", "amr").unwrap();
    assert_eq!(index.doc_count(), 6);
}

#[test]
fn foreign_schema_asks_for_reindex() {
    use tantivy::schema::{STRING, Schema};
    let dir = tempfile::tempdir().unwrap();
    let mut schema = Schema::builder();
    schema.add_text_field("key", STRING);
    tantivy::Index::create_in_dir(dir.path(), schema.build()).unwrap();

    let err = SearchIndex::open(dir.path()).unwrap_err();
    assert!(matches!(err, SearchError::SchemaMismatch(_)));
    assert_eq!(err.code(), "search.schema_mismatch");
    assert!(err.to_string().contains("qingfeng reindex"), "{err}");
}

#[test]
fn unreadable_directory_is_an_io_error() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("file");
    std::fs::write(&file, b"x").unwrap();
    let err = SearchIndex::open(&file).unwrap_err();
    assert_eq!(err.code(), "search.io");
}

#[test]
fn index_is_shareable_across_threads() {
    fn assert_send_sync<T: Send + Sync>() {}
    assert_send_sync::<SearchIndex>();

    let index = std::sync::Arc::new(index());
    let handles: Vec<_> = (0..4)
        .map(|t| {
            let index = index.clone();
            std::thread::spawn(move || {
                let d = doc("org", &format!("t{t}"), QINGFENG, "并发写入测试单位", "", &[]);
                index.upsert(&[d]).unwrap();
                index.search(&SearchQuery::new("并发")).unwrap();
            })
        })
        .collect();
    for h in handles {
        h.join().unwrap();
    }
    assert_eq!(ids(&index, "并发写入").len(), 4);
}

/// Long CJK bodies (statute articles) with a query whose jieba sub-words overlap: tantivy's
/// snippet generator subtracted with overflow here; the snippet is ours now.
#[test]
fn long_bodies_with_overlapping_words_give_a_snippet_around_the_match() {
    let index = SearchIndex::open_in_ram().unwrap();
    let filler =
        "机关、事业单位使用财政资金从中小企业采购货物、工程、服务，应当严格按照批准的预算执行，不得无预算、超预算开展采购。".repeat(6);
    let body = format!("{filler}大型企业应当自货物、工程、服务交付之日起60日内支付中小企业款项。{filler}");
    index.upsert(&[doc("policy_article", "1", QINGFENG, "保障中小企业款项支付条例 第九条", &body, &[])]).unwrap();
    let hits = search(&index, SearchQuery::new("中小企业 款项"));
    assert_eq!(hits.len(), 1);
    assert!(hits[0].snippet.contains("中小企业款项"), "{}", hits[0].snippet);
    assert!(hits[0].snippet.chars().count() <= 82, "{}", hits[0].snippet);
    assert!(hits[0].snippet.starts_with('…') && hits[0].snippet.ends_with('…'), "{}", hits[0].snippet);
    for q in ["中小企业款项支付", "采购 预算", "大型企业", "ABC", "中"] {
        let _ = search(&index, SearchQuery::new(q));
    }
}
