//! 联合奖惩措施 The joint incentive and punishment measures that follow from being on a
//! list, as data (`data/list_measures.csv`, each with its legal basis and source tag).
//! Only measures found in a source are listed: the 全国失信惩戒措施基础清单 (2024) itself
//! is not in this repository [?], so lists without a sourced row answer with none.

use std::sync::LazyLock;

use chrono::{Months, NaiveDate};
use serde::Serialize;

use crate::model::ListKind;

const MEASURES_CSV: &str = include_str!("../../data/list_measures.csv");

/// One measure.
#[derive(Debug, Clone, Serialize)]
pub struct Measure {
    pub list_kind: &'static str,
    pub measure: String,
    pub legal_basis: String,
    pub tag: String,
}

static MEASURES: LazyLock<Vec<Measure>> = LazyLock::new(|| {
    let mut rdr = csv::Reader::from_reader(MEASURES_CSV.as_bytes());
    rdr.records()
        .flatten()
        .filter_map(|r| {
            let kind = ListKind::parse(r.get(0)?)?;
            Some(Measure {
                list_kind: kind.key(),
                measure: r.get(1)?.to_string(),
                legal_basis: r.get(2)?.to_string(),
                tag: r.get(3)?.to_string(),
            })
        })
        .collect()
});

/// The measures that apply to a subject on `kind`.
pub fn measures(kind: ListKind) -> Vec<Measure> {
    MEASURES.iter().filter(|m| m.list_kind == kind.key()).cloned().collect()
}

/// 主体标签 The labels a subject carries for the lists it is on: 守信激励对象 when on an
/// incentive list (红名单), 失信惩戒对象 when on a punishment list (黑名单, 失信被执行人,
/// 经营异常名录) — the subject labels of the 信用中国 report (DOMAIN.md §3.2 [S]).
pub fn labels(kinds: impl IntoIterator<Item = ListKind>) -> Vec<&'static str> {
    let (mut incentive, mut punishment) = (false, false);
    for k in kinds {
        if k.incentive() {
            incentive = true;
        } else {
            punishment = true;
        }
    }
    let mut out = Vec::new();
    if incentive {
        out.push("守信激励对象");
    }
    if punishment {
        out.push("失信惩戒对象");
    }
    out
}

/// 失信情形 The six situations of 最高人民法院关于公布失信被执行人名单信息的若干规定
/// (2017修正) Art. 1 [V], in order (情形一 … 情形六).
pub const DISHONEST_SITUATIONS: [&str; 6] = [
    "有履行能力而拒不履行生效法律文书确定义务",
    "以伪造证据、暴力、威胁等方法妨碍、抗拒执行",
    "以虚假诉讼、虚假仲裁或者以隐匿、转移财产等方法规避执行",
    "违反财产报告制度",
    "违反限制消费令",
    "无正当理由拒不履行执行和解协议",
];

/// The situations a cell names: numbers 1–6 or the Art. 1 wording (with or without the
/// closing 的), several separated by commas, semicolons or 、. `Err` carries the part
/// that is neither.
pub fn parse_situations(raw: &str) -> Result<Vec<u8>, String> {
    let mut out = Vec::new();
    for part in raw.split([',', '，', ';', '；', '、']).map(str::trim).filter(|p| !p.is_empty()) {
        let text = part.trim_start_matches("情形").trim_end_matches('的').trim();
        let n = match text {
            "1" | "一" => 1,
            "2" | "二" => 2,
            "3" | "三" => 3,
            "4" | "四" => 4,
            "5" | "五" => 5,
            "6" | "六" => 6,
            t => match DISHONEST_SITUATIONS.iter().position(|s| *s == t) {
                Some(i) => i as u8 + 1,
                None => return Err(part.to_string()),
            },
        };
        if !out.contains(&n) {
            out.push(n);
        }
    }
    out.sort_unstable();
    Ok(out)
}

/// Years a 失信被执行人 entry of situations 2–6 lasts (Art. 2 [V]).
pub const DISHONEST_YEARS: u32 = 2;
/// The extension a court may add for serious circumstances or repeated dishonesty
/// (Art. 2 [V]: 1–3 years).
pub const DISHONEST_EXTENSION_YEARS: std::ops::RangeInclusive<u32> = 1..=3;

/// 名单期限 The last day a 失信被执行人 entry stands (Art. 2 [V]): situation 1 has no fixed
/// period — it lasts until the debtor performs (`None`); situations 2–6 last two years
/// from publication, plus `extension_years` (1–3) when the court extended it. With
/// several situations the longest applies, so situation 1 wins. Counted in calendar
/// years (the period of a list, not a party's act: no holiday extension); early removal
/// (Art. 10 [R]) is recorded separately as `removed_on`.
pub fn dishonest_debtor_ends_on(situations: &[u8], published: NaiveDate, extension_years: u32) -> Option<NaiveDate> {
    if situations.is_empty() || situations.contains(&1) {
        return None;
    }
    published.checked_add_months(Months::new(12 * (DISHONEST_YEARS + extension_years)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn dishonest_debtor_listing_periods_follow_article_two() {
        // Situation 1: until performance.
        assert_eq!(dishonest_debtor_ends_on(&[1], d("2026-03-01"), 0), None);
        assert_eq!(dishonest_debtor_ends_on(&[1, 4], d("2026-03-01"), 0), None, "the longest applies");
        // Situations 2–6: two years from publication, extendable by 1–3 years.
        for s in 2..=6 {
            assert_eq!(dishonest_debtor_ends_on(&[s], d("2026-03-01"), 0), Some(d("2028-03-01")), "情形{s}");
        }
        assert_eq!(dishonest_debtor_ends_on(&[2], d("2026-03-01"), 1), Some(d("2029-03-01")));
        assert_eq!(dishonest_debtor_ends_on(&[2, 3], d("2026-03-01"), 3), Some(d("2031-03-01")), "at most 5 years");
        assert_eq!(dishonest_debtor_ends_on(&[5], d("2024-02-29"), 0), Some(d("2026-02-28")), "29 February");
    }

    #[test]
    fn situations_by_number_or_wording() {
        assert_eq!(parse_situations("1"), Ok(vec![1]));
        assert_eq!(parse_situations("违反财产报告制度的，有履行能力而拒不履行生效法律文书确定义务"), Ok(vec![1, 4]));
        assert_eq!(parse_situations("情形五、6;5"), Ok(vec![5, 6]));
        assert_eq!(parse_situations("欠钱不还"), Err("欠钱不还".into()));
        assert_eq!(parse_situations("7"), Err("7".into()));
        assert_eq!(parse_situations(""), Ok(vec![]));
    }

    #[test]
    fn measures_come_from_data_with_their_basis() {
        let m = measures(ListKind::DishonestDebtor);
        assert_eq!(m.len(), 7);
        assert!(m.iter().all(|x| x.legal_basis.contains("第八条") && !x.tag.is_empty()));
        assert!(measures(ListKind::Black).is_empty(), "no sourced measures: none invented");
    }

    #[test]
    fn labels_for_incentive_and_punishment_lists() {
        assert!(labels([]).is_empty());
        assert_eq!(labels([ListKind::Red]), vec!["守信激励对象"]);
        assert_eq!(labels([ListKind::Abnormal, ListKind::Black]), vec!["失信惩戒对象"], "one label however many lists");
        assert_eq!(labels([ListKind::DishonestDebtor, ListKind::Red]), vec!["守信激励对象", "失信惩戒对象"]);
    }
}
