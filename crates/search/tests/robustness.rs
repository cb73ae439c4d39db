//! Raw user text must never make a search panic or fail.

#![allow(clippy::unwrap_used)] // test helpers outside #[test] fns

use std::sync::OnceLock;

use proptest::prelude::*;
use qingfeng_search::{Doc, SearchIndex, SearchQuery};

fn index() -> &'static SearchIndex {
    static INDEX: OnceLock<SearchIndex> = OnceLock::new();
    INDEX.get_or_init(|| {
        let index = SearchIndex::open_in_ram().unwrap();
        let docs: Vec<Doc> = [
            ("清丰县鑫源建材有限公司", "经营范围：建筑材料销售。"),
            ("河南省社会信用条例", "为了推进社会信用体系建设，制定本条例。"),
            ("营业执照办理指南", "到县政务服务中心窗口办理营业执照。"),
            ("Qingfeng AND/OR \"NOT\" (test) [x]:y *~^", "title:foo body:\"bar\" +baz -qux"),
        ]
        .iter()
        .enumerate()
        .map(|(i, (title, body))| Doc {
            kind: "policy".into(),
            id: i.to_string(),
            county: "410922".into(),
            title: (*title).into(),
            body: (*body).into(),
            tags: vec!["信用".into(), "a:b".into()],
        })
        .collect();
        index.upsert(&docs).unwrap();
        index
    })
}

/// Query-syntax fragments, Chinese, emoji and control characters, mixed freely.
fn nasty_text() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        Just("AND".to_string()),
        Just("OR".to_string()),
        Just("NOT".to_string()),
        Just("title:".to_string()),
        Just("kind:policy".to_string()),
        Just("[* TO *]".to_string()),
        Just("{a TO b]".to_string()),
        Just("IN [".to_string()),
        Just("清丰".to_string()),
        Just("建材".to_string()),
        Just("社会信用".to_string()),
        Just("😀👨‍👩‍👧".to_string()),
        Just("\u{0}\u{200b}\u{feff}".to_string()),
        "[\"':()\\[\\]{}*~^+\\-!&|\\\\/?<>=., \t\n]{1,5}",
        "[a-zA-Z0-9]{1,8}",
        "\\PC{1,8}",
    ];
    prop::collection::vec(piece, 0..12).prop_map(|p| p.concat())
}

fn any_text() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => nasty_text(),
        2 => any::<String>(),
        1 => "\\PC{1000,10000}",
        1 => ("[清丰建材信用\"*: ]", 10_000usize..10_001)
            .prop_map(|(c, n)| c.repeat(n)),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 200, ..ProptestConfig::default() })]

    #[test]
    fn arbitrary_text_never_panics_or_errors(
        text in any_text(),
        kinds in prop::collection::vec(any::<String>(), 0..3),
        county in proptest::option::of(any::<String>()),
        limit in prop_oneof![0usize..150, Just(usize::MAX)],
        offset in prop_oneof![0usize..20, Just(usize::MAX)],
    ) {
        let results = index()
            .search(&SearchQuery { text: text.clone(), kinds, county, limit, offset })
            .map_err(|e| TestCaseError::fail(format!("{text:?}: {e}")))?;
        prop_assert!(results.hits.len() <= limit.min(100));
        prop_assert!(results.hits.len() <= results.total);
        for hit in &results.hits {
            prop_assert!(hit.score.is_finite());
        }
    }

}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    #[test]
    fn arbitrary_text_round_trips_through_the_index(
        title in any_text(),
        body in any_text(),
    ) {
        let index = SearchIndex::open_in_ram().unwrap();
        let doc = Doc {
            kind: "org".into(),
            id: "1".into(),
            county: "410922".into(),
            title: title.clone(),
            body,
            tags: vec![title.clone()],
        };
        index.upsert(&[doc]).unwrap();
        let results = index.search(&SearchQuery::new(title.clone())).unwrap();
        prop_assert!(results.total <= 1);
        // A document is found by its own (not over-long) title.
        let searchable = title.chars().any(char::is_alphanumeric);
        if searchable && title.trim().chars().count() <= 200 {
            prop_assert_eq!(results.total, 1, "{:?}", title);
        }
    }
}
