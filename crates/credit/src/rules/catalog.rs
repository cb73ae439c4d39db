//! 公共信用信息目录 The public credit catalog as versioned data (`data/catalog.csv`):
//! the top-level categories of the 全国公共信用信息基础目录 (DOMAIN.md §3.2, 1–12, tagged
//! [R]: recalled from the 2021/2022 说明, to be checked against the 2024 text) and the
//! catalog items this platform collects, each with its category, the credit-report group
//! it is shown under (公共信用信息报告标准 2022 as a public demo reproduces it [S]:
//! 行政管理, 诚实守信, 严重失信, 经营异常, 信用承诺, 信用评价, 司法判决, 其他), its
//! polarity, the dates it is in force (empty = open), its legal basis, tag and source.
//!
//! An item may have several versions (rows with the same key and different
//! `effective_from`); [`item_on`] picks the one in force on a day, [`item`] the latest.

use std::sync::LazyLock;

use chrono::NaiveDate;
use serde::Serialize;

use crate::model::Polarity;

const CATALOG_CSV: &str = include_str!("../../data/catalog.csv");

/// The credit-report groups (信用报告栏目), in the report's order.
pub const REPORT_GROUPS: [&str; 8] = ["行政管理", "诚实守信", "严重失信", "经营异常", "信用承诺", "信用评价", "司法判决", "其他"];

/// 目录类别 A top-level category (1–12).
#[derive(Debug, Clone, Serialize)]
pub struct Category {
    pub number: u8,
    pub name_zh: String,
    pub legal_basis: String,
    pub tag: String,
    pub source: String,
}

/// 目录条目 An item of the catalog the platform collects.
#[derive(Debug, Clone, Serialize)]
pub struct Item {
    /// The kind key (`xk`, `cf`, `commitment`, `tax_a`, `red`, `black`, …).
    pub key: String,
    pub name_zh: String,
    /// The category (1–12) it belongs to.
    pub category: u8,
    /// One of [`REPORT_GROUPS`].
    pub report_group: &'static str,
    pub polarity: Polarity,
    pub effective_from: Option<NaiveDate>,
    pub effective_to: Option<NaiveDate>,
    pub legal_basis: String,
    pub tag: String,
    pub source: String,
}

/// The catalog as loaded.
#[derive(Debug, Default)]
pub struct Catalog {
    pub categories: Vec<Category>,
    pub items: Vec<Item>,
    /// Rows that could not be read, with the reason (tests require none).
    pub problems: Vec<String>,
}

fn date(s: Option<&str>) -> Option<NaiveDate> {
    s.filter(|d| !d.trim().is_empty()).and_then(|d| NaiveDate::parse_from_str(d.trim(), "%Y-%m-%d").ok())
}

/// Parse a catalog file (the embedded one, or another version for tests).
pub fn parse(text: &str) -> Catalog {
    let mut out = Catalog::default();
    let mut rdr = csv::Reader::from_reader(text.as_bytes());
    for (i, rec) in rdr.records().enumerate() {
        let line = i + 2;
        let Ok(r) = rec else {
            out.problems.push(format!("第 {line} 行：CSV 格式错误"));
            continue;
        };
        let get = |n: usize| r.get(n).unwrap_or("").trim().to_string();
        let Ok(category) = get(3).parse::<u8>() else {
            out.problems.push(format!("第 {line} 行：类别“{}”不是 1–12 的数字", get(3)));
            continue;
        };
        match get(0).as_str() {
            "category" => {
                out.categories.push(Category { number: category, name_zh: get(2), legal_basis: get(8), tag: get(9), source: get(10) })
            }
            "item" => {
                let group = get(4);
                let Some(report_group) = REPORT_GROUPS.iter().copied().find(|g| *g == group) else {
                    out.problems.push(format!("第 {line} 行：报告栏目“{group}”不在 {} 之中", REPORT_GROUPS.join("、")));
                    continue;
                };
                let Some(polarity) = Polarity::from_key(&get(5)) else {
                    out.problems.push(format!("第 {line} 行：性质“{}”应为 positive、neutral 或 negative", get(5)));
                    continue;
                };
                out.items.push(Item {
                    key: get(1),
                    name_zh: get(2),
                    category,
                    report_group,
                    polarity,
                    effective_from: date(r.get(6)),
                    effective_to: date(r.get(7)),
                    legal_basis: get(8),
                    tag: get(9),
                    source: get(10),
                });
            }
            other => out.problems.push(format!("第 {line} 行：层级“{other}”应为 category 或 item")),
        }
    }
    out
}

static CATALOG: LazyLock<Catalog> = LazyLock::new(|| parse(CATALOG_CSV));

/// The embedded catalog.
pub fn catalog() -> &'static Catalog {
    &CATALOG
}

impl Catalog {
    /// The version of item `key` in force on `day`.
    pub fn item_on(&self, key: &str, day: NaiveDate) -> Option<&Item> {
        self.items
            .iter()
            .filter(|i| i.key == key && i.effective_from.is_none_or(|f| f <= day) && i.effective_to.is_none_or(|t| day <= t))
            .max_by_key(|i| i.effective_from)
    }
    /// The latest version of item `key`.
    pub fn item(&self, key: &str) -> Option<&Item> {
        self.items.iter().filter(|i| i.key == key).max_by_key(|i| i.effective_from)
    }
}

/// The version of item `key` in force on `day`.
pub fn item_on(key: &str, day: NaiveDate) -> Option<&'static Item> {
    CATALOG.item_on(key, day)
}

/// The latest version of item `key`.
pub fn item(key: &str) -> Option<&'static Item> {
    CATALOG.item(key)
}

/// The credit-report group records of kind `key` are shown under (`其他` when the
/// catalog does not know the kind).
pub fn report_group(key: &str) -> &'static str {
    item(key).map(|i| i.report_group).unwrap_or("其他")
}

/// The category with this number.
pub fn category(number: u8) -> Option<&'static Category> {
    CATALOG.categories.iter().find(|c| c.number == number)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{ImportKind, ListKind, RecordKind};

    #[test]
    fn the_catalog_parses_with_twelve_categories_and_tags() {
        let c = catalog();
        assert!(c.problems.is_empty(), "{:?}", c.problems);
        assert_eq!(c.categories.len(), 12);
        assert_eq!(c.categories.iter().map(|c| c.number).collect::<Vec<_>>(), (1..=12).collect::<Vec<u8>>());
        assert!(c.categories.iter().all(|c| c.tag == "R"), "DOMAIN §3.2 tags the categories [R]");
        assert_eq!(category(6).map(|c| c.name_zh.as_str()), Some("严重失信主体名单信息"));
        for i in &c.items {
            assert!(category(i.category).is_some(), "{}: category {}", i.key, i.category);
            assert!(!i.legal_basis.is_empty() && !i.tag.is_empty() && !i.source.is_empty(), "{}", i.key);
        }
    }

    #[test]
    fn every_kind_maps_to_an_item() {
        for k in ImportKind::ALL {
            let i = item(k.key()).unwrap_or_else(|| panic!("{} has no catalog item", k.key()));
            assert_eq!(i.name_zh, k.zh());
        }
        assert_eq!(RecordKind::TaxA.polarity(), Polarity::Positive);
        assert_eq!(RecordKind::Cf.polarity(), Polarity::Negative);
        assert_eq!(RecordKind::Xk.polarity(), Polarity::Neutral);
        assert_eq!(report_group("tax_a"), "信用评价");
        assert_eq!(report_group("commitment"), "信用承诺");
        assert_eq!(report_group(ListKind::Abnormal.key()), "经营异常");
        assert_eq!(report_group("unknown"), "其他");
    }

    #[test]
    fn versions_and_bad_rows() {
        let text = "level,key,name_zh,category,report_group,polarity,effective_from,effective_to,legal_basis,tag,source\n\
            item,x,旧,3,行政管理,neutral,,2025-12-31,b,R,s\n\
            item,x,新,3,信用评价,positive,2026-01-01,,b,R,s\n\
            item,y,坏,3,不存在,neutral,,,b,R,s\n\
            item,z,坏,十三,行政管理,neutral,,,b,R,s\n";
        let c = parse(text);
        assert_eq!(c.items.len(), 2);
        assert_eq!(c.problems.len(), 2, "{:?}", c.problems);
        assert!(c.problems[0].contains("报告栏目"));
        let d = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
        assert_eq!(c.item_on("x", d("2025-06-01")).map(|i| i.name_zh.as_str()), Some("旧"));
        assert_eq!(c.item_on("x", d("2026-06-01")).map(|i| i.report_group), Some("信用评价"));
        assert_eq!(c.item("x").map(|i| i.polarity), Some(Polarity::Positive));
        assert!(item_on("xk", d("2026-06-01")).is_some());
    }
}
