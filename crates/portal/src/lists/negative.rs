//! 市场准入负面清单 The market access negative list (DOMAIN §7.1): its columns as
//! republished (项目号, 禁止或许可事项, 事项编码, 禁止或许可准入措施描述, 主管部门,
//! 地方性许可事项), the category of an item, the known editions, and the checker
//! 「我能做这个生意吗？」.
//!
//! Semantics (《市场准入负面清单》说明, §7.1 [V]): 禁止准入类 — entities may not enter and
//! authorities may not approve; 许可准入类 — entry after application and approval, or by
//! meeting the published conditions; outside the list — 非禁即入: every kind of entity may
//! enter equally, by law. There is one national list ("全国一张清单").

use std::collections::HashSet;

use serde::Serialize;

use super::{Cells, Column, normalize_tags};

pub const COLUMNS: &[Column] = &[
    Column { key: "seq", names: &["项目号", "序号"], required: true, max_chars: 10 },
    Column { key: "category", names: &["类别", "事项类别"], required: false, max_chars: 20 },
    Column { key: "name", names: &["禁止或许可事项", "事项名称"], required: true, max_chars: 200 },
    Column { key: "code", names: &["事项编码"], required: false, max_chars: 20 },
    Column {
        key: "measures", names: &["禁止或许可准入措施描述", "准入措施描述", "措施描述"], required: false, max_chars: 8000
    },
    Column { key: "department", names: &["主管部门"], required: false, max_chars: 200 },
    Column { key: "local_items", names: &["地方性许可事项"], required: false, max_chars: 4000 },
    Column { key: "keywords", names: &["关键词", "行业", "行业标签", "关键词/行业"], required: false, max_chars: 500 },
    Column { key: "verification", names: &["核实状态", "verification"], required: false, max_chars: 1000 },
];

/// 事项类别
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Category {
    /// 禁止准入类
    Prohibited,
    /// 许可准入类
    Permitted,
}

impl Category {
    pub fn key(self) -> &'static str {
        match self {
            Category::Prohibited => "prohibited",
            Category::Permitted => "permitted",
        }
    }
    pub fn zh(self) -> &'static str {
        match self {
            Category::Prohibited => "禁止准入类",
            Category::Permitted => "许可准入类",
        }
    }
    pub fn from_key(key: &str) -> Option<Category> {
        match key {
            "prohibited" => Some(Category::Prohibited),
            "permitted" => Some(Category::Permitted),
            _ => None,
        }
    }
    /// From a 类别 cell as published.
    fn from_zh(raw: &str) -> Option<Category> {
        match raw.trim() {
            "禁止准入类" | "禁止准入" | "禁止" | "禁止类" => Some(Category::Prohibited),
            "许可准入类" | "许可准入" | "许可" | "许可类" => Some(Category::Permitted),
            _ => None,
        }
    }
    /// From a 事项编码: 6 digits, the first 1 (禁止) or 2 (许可) (§7.1 coding pattern).
    fn from_code(code: &str) -> Result<Category, String> {
        if code.len() != 6 || !code.bytes().all(|b| b.is_ascii_digit()) {
            return Err(format!("事项编码应为 6 位数字，收到“{}”", code.chars().take(20).collect::<String>()));
        }
        match code.as_bytes().first() {
            Some(b'1') => Ok(Category::Prohibited),
            Some(b'2') => Ok(Category::Permitted),
            _ => Err(format!("事项编码首位应为 1（禁止准入类）或 2（许可准入类），收到“{code}”")),
        }
    }
}

/// 核实状态 How far an item's text was checked against the official edition.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Verification {
    /// Imported from the official file; nothing stated.
    Official,
    /// 已核实 against a published copy.
    Confirmed,
    /// 待核实 partly confirmed or unconfirmed.
    Pending,
    /// 演示示例 an illustrative entry of the demo, not list text.
    Demo,
}

impl Verification {
    pub fn key(self) -> &'static str {
        match self {
            Verification::Official => "",
            Verification::Confirmed => "confirmed",
            Verification::Pending => "pending",
            Verification::Demo => "demo",
        }
    }
    pub fn from_key(key: &str) -> Verification {
        match key {
            "confirmed" => Verification::Confirmed,
            "pending" => Verification::Pending,
            "demo" => Verification::Demo,
            _ => Verification::Official,
        }
    }
    pub fn zh(self) -> &'static str {
        match self {
            Verification::Official => "",
            Verification::Confirmed => "已核实",
            Verification::Pending => "待核实",
            Verification::Demo => "演示示例",
        }
    }
    /// A 核实状态 cell: `confirmed: …`, `partial: …`, `unconfirmed: …`, `已核实`, `待核实`,
    /// `演示示例`, with an optional note after the colon.
    fn parse(raw: &str) -> Result<(Verification, String), String> {
        let raw = raw.trim();
        if raw.is_empty() {
            return Ok((Verification::Official, String::new()));
        }
        let (head, note) = match raw.split_once([':', '：']) {
            Some((h, n)) => (h.trim(), n.trim()),
            None => (raw, ""),
        };
        let v = match head.to_ascii_lowercase().as_str() {
            "confirmed" | "已核实" => Verification::Confirmed,
            "partial" | "unconfirmed" | "待核实" | "部分核实" => Verification::Pending,
            "demo" | "演示示例" => Verification::Demo,
            _ => {
                return Err(format!(
                    "核实状态应为 confirmed、partial、unconfirmed、已核实、待核实或演示示例，收到“{}”",
                    head.chars().take(20).collect::<String>()
                ));
            }
        };
        Ok((v, note.to_string()))
    }
}

/// A checked row of a negative-list file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NegativeRow {
    pub seq: i64,
    pub code: String,
    pub category: Category,
    pub name: String,
    pub measures: String,
    pub department: String,
    pub local_items: String,
    pub keywords: String,
    pub verification: Verification,
    pub verification_note: String,
}

/// What a file must not repeat: a 项目号 within a category, a 事项编码.
#[derive(Default)]
pub struct Seen {
    seq: HashSet<(Category, i64)>,
    code: HashSet<String>,
}

/// Check one row (its problems go to `cells`).
pub fn check_row(cells: &mut Cells<'_>, seen: &mut Seen) -> Option<NegativeRow> {
    let seq = cells.number("seq");
    let name = cells.text("name");
    let code = cells.text("code");
    let category_cell = cells.text("category");
    let from_code = if code.is_empty() {
        None
    } else {
        match Category::from_code(&code) {
            Ok(c) => Some(c),
            Err(reason) => {
                cells.problem("code", reason);
                return None;
            }
        }
    };
    let from_cell = if category_cell.is_empty() {
        None
    } else {
        match Category::from_zh(&category_cell) {
            Some(c) => Some(c),
            None => {
                cells.problem(
                    "category",
                    format!("类别应为“禁止准入类”或“许可准入类”，收到“{}”", category_cell.chars().take(20).collect::<String>()),
                );
                return None;
            }
        }
    };
    let category = match (from_code, from_cell) {
        (Some(a), Some(b)) if a != b => {
            cells.problem("code", format!("事项编码 {code} 属于{}，与类别“{category_cell}”不符", a.zh()));
            return None;
        }
        (Some(c), _) | (None, Some(c)) => c,
        (None, None) => {
            cells.problem("code", "无法判断事项类别：请填写事项编码（首位 1 为禁止、2 为许可）或类别列");
            return None;
        }
    };
    let measures = cells.text("measures");
    let department = cells.text("department");
    let local_items = cells.text("local_items");
    let keywords = normalize_tags(&cells.text("keywords"));
    let (verification, verification_note) = match Verification::parse(&cells.text("verification")) {
        Ok(v) => v,
        Err(reason) => {
            cells.problem("verification", reason);
            return None;
        }
    };
    let seq = seq?;
    if !cells.problems.is_empty() {
        return None;
    }
    if !seen.seq.insert((category, seq)) {
        cells.problem("seq", format!("{}项目号 {seq} 在文件中重复", category.zh()));
        return None;
    }
    if !code.is_empty() && !seen.code.insert(code.clone()) {
        cells.problem("code", format!("事项编码 {code} 在文件中重复"));
        return None;
    }
    Some(NegativeRow { seq, code, category, name, measures, department, local_items, keywords, verification, verification_note })
}

/// 版本 An edition of the list whose facts are known (§7.1 [V]): the title, the 文号, the
/// date and the number of items of the official text.
#[derive(Debug, Clone, Copy, Serialize)]
pub struct Edition {
    pub key: &'static str,
    pub title: &'static str,
    pub doc_number: &'static str,
    pub published_on: &'static str,
    pub items: i64,
    pub prohibited: i64,
    pub permitted: i64,
}

pub const EDITIONS: &[Edition] = &[
    Edition {
        key: "2022",
        title: "市场准入负面清单（2022年版）",
        doc_number: "发改体改规〔2022〕397号",
        published_on: "2022-03",
        items: 117,
        prohibited: 6,
        permitted: 111,
    },
    Edition {
        key: "2025",
        title: "市场准入负面清单（2025年版）",
        doc_number: "发改体改规〔2025〕466号",
        published_on: "2025-04-24",
        items: 106,
        prohibited: 6,
        permitted: 100,
    },
];

pub fn edition(key: &str) -> Option<&'static Edition> {
    EDITIONS.iter().find(|e| e.key == key.trim())
}

/// 非禁即入 The explanation of an answer outside the list (§7.1).
pub const OUTSIDE_THE_LIST: &str = "市场准入负面清单以外的行业、领域、业务等，各类经营主体皆可依法平等进入（“非禁即入”）；清单全国统一，各地区、各部门不得另行制定市场准入性质的负面清单，也不得以备案等方式变相设置准入障碍。";

/// 答复 What the checker answers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    /// 禁止准入
    Prohibited,
    /// 需要许可
    NeedsPermit,
    /// 未列入清单 — 非禁即入
    NotListed,
}

impl Verdict {
    pub fn key(self) -> &'static str {
        match self {
            Verdict::Prohibited => "prohibited",
            Verdict::NeedsPermit => "needs_permit",
            Verdict::NotListed => "not_listed",
        }
    }
    pub fn zh(self) -> &'static str {
        match self {
            Verdict::Prohibited => "禁止准入",
            Verdict::NeedsPermit => "需要许可",
            Verdict::NotListed => "未列入清单 — 非禁即入",
        }
    }
}

/// What the checker looks at in an item.
pub trait Checkable {
    fn category(&self) -> Category;
    fn name(&self) -> &str;
    fn measures(&self) -> &str;
    /// Tags separated by commas.
    fn keywords(&self) -> &str;
}

/// Why an item matched.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum MatchedOn {
    /// 关键词/行业标签
    Keyword,
    /// 事项名称
    Name,
    /// 措施描述
    Measures,
}

impl MatchedOn {
    pub fn zh(self) -> &'static str {
        match self {
            MatchedOn::Keyword => "关键词/行业",
            MatchedOn::Name => "事项名称",
            MatchedOn::Measures => "措施描述",
        }
    }
}

/// Shortest word matched against names and measures, in characters.
pub const MIN_TERM_CHARS: usize = 2;
/// Longest question accepted, in characters.
pub const MAX_QUESTION_CHARS: usize = 50;

/// The words of a question: split on spaces and punctuation; words shorter than
/// [`MIN_TERM_CHARS`] dropped.
pub fn terms(q: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for t in q.split(|c: char| c.is_whitespace() || (c.is_ascii_punctuation()) || "，。、；：？！“”‘’（）《》".contains(c))
    {
        if t.chars().count() >= MIN_TERM_CHARS && !out.iter().any(|o| o == t) {
            out.push(t.to_string());
        }
    }
    out
}

/// Check `q` against `items`: the items that match (index, why), 禁止 first. An item
/// matches when one of its tags appears in the question or a word of the question appears
/// in a tag, in its name or in its measures. The verdict is 禁止准入 if any 禁止 item
/// matches, else 需要许可 if any 许可 item matches, else 未列入清单.
pub fn check<T: Checkable>(items: &[T], q: &str) -> (Verdict, Vec<(usize, MatchedOn)>) {
    let words = terms(q);
    let whole: String = q.chars().filter(|c| !c.is_whitespace()).collect();
    let mut hits: Vec<(usize, MatchedOn)> = Vec::new();
    for (i, item) in items.iter().enumerate() {
        let tag_hit = item
            .keywords()
            .split(',')
            .map(str::trim)
            .filter(|t| !t.is_empty())
            .any(|t| whole.contains(t) || words.iter().any(|w| t.contains(w.as_str())));
        let on = if tag_hit {
            Some(MatchedOn::Keyword)
        } else if words.iter().any(|w| item.name().contains(w.as_str())) {
            Some(MatchedOn::Name)
        } else if words.iter().any(|w| item.measures().contains(w.as_str())) {
            Some(MatchedOn::Measures)
        } else {
            None
        };
        if let Some(on) = on {
            hits.push((i, on));
        }
    }
    hits.sort_by_key(|(i, on)| (items[*i].category() != Category::Prohibited, *on as u8, *i));
    let verdict = match hits.first() {
        Some((i, _)) if items[*i].category() == Category::Prohibited => Verdict::Prohibited,
        Some(_) => Verdict::NeedsPermit,
        None => Verdict::NotListed,
    };
    (verdict, hits)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lists::{ListKind, map_header};

    struct It(Category, &'static str, &'static str, &'static str);
    impl Checkable for It {
        fn category(&self) -> Category {
            self.0
        }
        fn name(&self) -> &str {
            self.1
        }
        fn measures(&self) -> &str {
            self.2
        }
        fn keywords(&self) -> &str {
            self.3
        }
    }

    fn items() -> Vec<It> {
        vec![
            It(Category::Permitted, "测试许可事项", "未获得许可，不得从事餐饮服务", "饭店,餐馆"),
            It(Category::Prohibited, "禁止违规开展金融相关经营活动", "", ""),
            It(Category::Permitted, "测试互联网许可", "互联网信息服务", ""),
        ]
    }

    #[test]
    fn the_three_answers() {
        let (v, hits) = check(&items(), "金融");
        assert_eq!((v, hits.len()), (Verdict::Prohibited, 1));
        assert_eq!(hits[0], (1, MatchedOn::Name));
        let (v, hits) = check(&items(), "我想开饭店");
        assert_eq!((v, hits), (Verdict::NeedsPermit, vec![(0, MatchedOn::Keyword)]));
        let (v, hits) = check(&items(), "餐饮服务");
        assert_eq!((v, hits), (Verdict::NeedsPermit, vec![(0, MatchedOn::Measures)]));
        let (v, hits) = check(&items(), "卖水果");
        assert_eq!((v, hits.len()), (Verdict::NotListed, 0));
        // 禁止 wins over 许可 whatever the order.
        let (v, hits) = check(&items(), "互联网 金融");
        assert_eq!(v, Verdict::Prohibited);
        assert_eq!(hits.iter().map(|h| h.0).collect::<Vec<_>>(), vec![1, 2]);
        // A one-character word matches nothing by itself.
        assert_eq!(check(&items(), "金").0, Verdict::NotListed);
    }

    fn row(cells: &[&str], header: &[&str]) -> Result<NegativeRow, Vec<String>> {
        let h: Vec<String> = header.iter().map(|s| s.to_string()).collect();
        let map = map_header(ListKind::Negative, &h).unwrap();
        let cells: Vec<String> = cells.iter().map(|s| s.to_string()).collect();
        let mut c = Cells::new(&map, &cells);
        let mut seen = Seen::default();
        check_row(&mut c, &mut seen).ok_or_else(|| c.problems.iter().map(|p| format!("{}|{}", p.column, p.reason)).collect())
    }

    #[test]
    fn category_from_the_code_or_the_column() {
        let h = ["项目号", "禁止或许可事项", "事项编码", "类别", "verification"];
        let r = row(&["4", "禁止违规开展金融相关经营活动", "100004", "", "confirmed: on a page"], &h).unwrap();
        assert_eq!(
            (r.category, r.verification, r.verification_note.as_str()),
            (Category::Prohibited, Verification::Confirmed, "on a page")
        );
        let r = row(&["5", "禁止违规开展互联网相关经营活动", "", "禁止准入类", "partial: title"], &h).unwrap();
        assert_eq!((r.category, r.verification), (Category::Prohibited, Verification::Pending));
        assert!(row(&["1", "x", "200001", "", ""], &h).is_ok_and(|r| r.category == Category::Permitted));
        let e = row(&["1", "x", "300001", "", ""], &h).unwrap_err();
        assert!(e[0].starts_with("事项编码|事项编码首位应为 1"), "{e:?}");
        let e = row(&["1", "x", "12345", "", ""], &h).unwrap_err();
        assert!(e[0].contains("6 位数字"), "{e:?}");
        let e = row(&["1", "x", "100001", "许可准入类", ""], &h).unwrap_err();
        assert!(e[0].contains("不符"), "{e:?}");
        let e = row(&["1", "x", "", "", ""], &h).unwrap_err();
        assert!(e[0].contains("无法判断事项类别"), "{e:?}");
        let e = row(&["一", "", "100001", "", ""], &h).unwrap_err();
        assert_eq!(e.len(), 2, "{e:?}");
        assert!(e[0].starts_with("项目号|项目号应为正整数") && e[1].starts_with("禁止或许可事项|"), "{e:?}");
    }
}
