//! 行政区划代码 administrative division codes: GB/T 2260 (province/prefecture/county,
//! 6 digits) extended by the NBS 统计用区划代码 (township 9 digits, village 12 digits).
//!
//! | Level      | Canonical length | Example      |
//! |------------|------------------|--------------|
//! | Province   | 2                | `41` 河南省 |
//! | Prefecture | 4                | `4109` 濮阳市 |
//! | County     | 6                | `410922` 清丰县 |
//! | Township   | 9                | `410922100` 城关镇 |
//! | Village    | 12               | `410922100202` |
//!
//! **Canonical form.** Codes are padded with zeros in the wild (`410000` for 河南省,
//! `410900` for 濮阳市, `410922000000` for 清丰县 in 12-digit form). [`DivisionCode::parse`]
//! strips trailing all-zero segments, so every code is stored at its real level:
//! `410922000000` → `410922`, `410900` → `4109`, `410000` → `41`. Equality, parent/child
//! relations and [`DivisionCode::is_within`] are therefore exact prefix tests on
//! segment boundaries. Use [`DivisionCode::to_stats_code`] / [`DivisionCode::to_gb2260`]
//! to get the padded forms back.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use crate::error::{IdError, codes};

/// Level of an administrative division.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DivisionLevel {
    /// 省级 province (2 digits).
    Province,
    /// 地级 prefecture (4 digits).
    Prefecture,
    /// 县级 county (6 digits).
    County,
    /// 乡级 township: 乡, 镇, 街道 (9 digits).
    Township,
    /// 村级 village: 村委会, 居委会 (12 digits).
    Village,
}

/// Canonical code lengths, one per level, from province down. Segment boundaries.
const LEVEL_LENGTHS: [usize; 5] = [2, 4, 6, 9, 12];

impl DivisionLevel {
    const ALL: [DivisionLevel; 5] =
        [DivisionLevel::Province, DivisionLevel::Prefecture, DivisionLevel::County, DivisionLevel::Township, DivisionLevel::Village];

    /// Chinese short name: 省/市/县/乡/村.
    pub fn zh_name(self) -> &'static str {
        match self {
            DivisionLevel::Province => "省",
            DivisionLevel::Prefecture => "市",
            DivisionLevel::County => "县",
            DivisionLevel::Township => "乡",
            DivisionLevel::Village => "村",
        }
    }

    /// Number of digits of a code at this level (2, 4, 6, 9, 12).
    pub fn code_len(self) -> usize {
        LEVEL_LENGTHS[self as usize]
    }

    /// The level above, or `None` for a province.
    pub fn parent(self) -> Option<DivisionLevel> {
        (self as usize).checked_sub(1).map(|i| DivisionLevel::ALL[i])
    }

    fn from_len(len: usize) -> Option<DivisionLevel> {
        DivisionLevel::ALL.into_iter().find(|l| l.code_len() == len)
    }
}

impl fmt::Display for DivisionLevel {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.zh_name())
    }
}

/// 行政区划代码 administrative division code in canonical (shortest) form.
///
/// Serialises as its canonical string; deserialising validates and canonicalises.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct DivisionCode(String);

impl DivisionCode {
    /// Parses a 2, 4, 6, 9 or 12-digit code (surrounding whitespace trimmed) and
    /// canonicalises it by dropping trailing all-zero segments (see the module docs).
    ///
    /// Rejects: other lengths (`division.length`), non-digits (`division.charset`), a
    /// province segment `00` or a zero segment followed by a non-zero one, e.g.
    /// `410022` or `410922000123` (`division.level`).
    pub fn parse(s: &str) -> Result<Self, IdError> {
        let code = s.trim();
        let len = code.chars().count();
        if DivisionLevel::from_len(len).is_none() {
            return Err(IdError::new(codes::DIVISION_LENGTH, format!("行政区划代码应为2、4、6、9或12位数字，实际为{len}位")));
        }
        if let Some((pos, c)) = (1..).zip(code.chars()).find(|(_, c)| !c.is_ascii_digit()) {
            return Err(IdError::new(codes::DIVISION_CHARSET, format!("行政区划代码第{pos}位字符 {c:?} 不是数字")));
        }
        if code.starts_with("00") {
            return Err(IdError::new(codes::DIVISION_LEVEL, format!("行政区划代码 {code} 的省级代码不能为 00")));
        }
        let canonical_len =
            LEVEL_LENGTHS.windows(2).find(|w| w[1] <= len && code[w[0]..w[1]].bytes().all(|b| b == b'0')).map_or(len, |w| w[0]);
        if code[canonical_len..].bytes().any(|b| b != b'0') {
            return Err(IdError::new(
                codes::DIVISION_LEVEL,
                format!("行政区划代码 {code} 的第{}位起为零段，但其后的下级代码不为零", canonical_len + 1),
            ));
        }
        Ok(Self(code[..canonical_len].to_string()))
    }

    /// The canonical code.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Level, from the canonical length.
    pub fn level(&self) -> DivisionLevel {
        DivisionLevel::from_len(self.0.len()).unwrap_or(DivisionLevel::Village)
    }

    /// The division one level up, or `None` for a province.
    pub fn parent(&self) -> Option<DivisionCode> {
        self.level().parent().and_then(|l| self.ancestor_at(l))
    }

    /// The ancestor (or self) at `level`; `None` if `level` is below this code's level.
    pub fn ancestor_at(&self, level: DivisionLevel) -> Option<DivisionCode> {
        self.0.get(..level.code_len()).map(|c| Self(c.to_string()))
    }

    /// All ancestors, nearest first, ending with the province
    /// (`410922100` → `410922`, `4109`, `41`). Empty for a province.
    pub fn ancestors(&self) -> impl Iterator<Item = DivisionCode> {
        std::iter::successors(self.parent(), DivisionCode::parent)
    }

    /// Whether this division lies within `ancestor` or **is** `ancestor` (reflexive).
    ///
    /// This is the scope check: a role scoped to `410922` covers `410922` itself, its
    /// townships and its villages, and nothing else (`4109220…` can never be confused
    /// with `41092…` because canonical codes end on segment boundaries).
    pub fn is_within(&self, ancestor: &DivisionCode) -> bool {
        self.0.starts_with(&ancestor.0)
    }

    /// The 12-digit NBS 统计用区划代码 form, zero-padded (`410922` → `410922000000`).
    pub fn to_stats_code(&self) -> String {
        format!("{:0<12}", self.0)
    }

    /// The 6-digit GB/T 2260 form (`4109` → `410900`), or `None` below county level.
    pub fn to_gb2260(&self) -> Option<String> {
        (self.0.len() <= 6).then(|| format!("{:0<6}", self.0))
    }
}

impl fmt::Display for DivisionCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl FromStr for DivisionCode {
    type Err = IdError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::parse(s)
    }
}

impl TryFrom<String> for DivisionCode {
    type Error = IdError;

    fn try_from(s: String) -> Result<Self, Self::Error> {
        Self::parse(&s)
    }
}

impl From<DivisionCode> for String {
    fn from(code: DivisionCode) -> Self {
        code.0
    }
}

impl AsRef<str> for DivisionCode {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn code(s: &str) -> DivisionCode {
        DivisionCode::parse(s).unwrap()
    }

    fn err_code(s: &str) -> &'static str {
        DivisionCode::parse(s).unwrap_err().code
    }

    #[test]
    fn levels_and_names() {
        let cases = [
            ("41", DivisionLevel::Province, "省"),
            ("4109", DivisionLevel::Prefecture, "市"),
            ("410922", DivisionLevel::County, "县"),
            ("410922100", DivisionLevel::Township, "乡"),
            ("410922100202", DivisionLevel::Village, "村"),
        ];
        for (s, level, zh) in cases {
            let c = code(s);
            assert_eq!(c.as_str(), s);
            assert_eq!(c.level(), level);
            assert_eq!(c.level().zh_name(), zh);
            assert_eq!(level.code_len(), s.len());
        }
    }

    #[test]
    fn canonicalises_zero_padding() {
        assert_eq!(code("410922000000").as_str(), "410922");
        assert_eq!(code("410922000").as_str(), "410922");
        assert_eq!(code("410900").as_str(), "4109");
        assert_eq!(code("410000").as_str(), "41");
        assert_eq!(code("4100").as_str(), "41");
        assert_eq!(code("410900000000").as_str(), "4109");
        assert_eq!(code("410922100000").as_str(), "410922100");
        assert_eq!(code(" 410922 ").as_str(), "410922");
        assert_eq!(code("410922000000"), code("410922"));
        assert_eq!(code("410922000000").level(), DivisionLevel::County);
        assert_eq!(code("410900").level(), DivisionLevel::Prefecture);
    }

    #[test]
    fn padded_forms() {
        assert_eq!(code("410922").to_stats_code(), "410922000000");
        assert_eq!(code("410922100202").to_stats_code(), "410922100202");
        assert_eq!(code("4109").to_gb2260().as_deref(), Some("410900"));
        assert_eq!(code("41").to_gb2260().as_deref(), Some("410000"));
        assert_eq!(code("410922").to_gb2260().as_deref(), Some("410922"));
        assert_eq!(code("410922100").to_gb2260(), None);
    }

    #[test]
    fn errors() {
        let cases = [
            ("", codes::DIVISION_LENGTH),
            ("4", codes::DIVISION_LENGTH),
            ("41092", codes::DIVISION_LENGTH),
            ("4109221", codes::DIVISION_LENGTH),
            ("4109221002021", codes::DIVISION_LENGTH),
            ("41092a", codes::DIVISION_CHARSET),
            ("河南", codes::DIVISION_CHARSET),
            ("４１", codes::DIVISION_CHARSET),
            ("00", codes::DIVISION_LEVEL),
            ("000000", codes::DIVISION_LEVEL),
            ("410022", codes::DIVISION_LEVEL),
            ("410922000123", codes::DIVISION_LEVEL),
            ("410000100", codes::DIVISION_LEVEL),
        ];
        for (input, c) in cases {
            assert_eq!(err_code(input), c, "{input}");
        }
    }

    #[test]
    fn parent_and_ancestors() {
        let village = code("410922100202");
        assert_eq!(village.parent(), Some(code("410922100")));
        let chain: Vec<String> = village.ancestors().map(String::from).collect();
        assert_eq!(chain, ["410922100", "410922", "4109", "41"]);
        assert_eq!(code("41").parent(), None);
        assert_eq!(code("41").ancestors().count(), 0);
        assert_eq!(village.ancestor_at(DivisionLevel::County), Some(code("410922")));
        assert_eq!(code("410922").ancestor_at(DivisionLevel::Village), None);
        assert_eq!(code("410922").ancestor_at(DivisionLevel::County), Some(code("410922")));
    }

    #[test]
    fn is_within_is_exact() {
        let county = code("410922");
        assert!(code("410922100202").is_within(&county));
        assert!(code("410922100").is_within(&county));
        assert!(county.is_within(&county));
        assert!(county.is_within(&code("4109")));
        assert!(county.is_within(&code("410900")));
        assert!(county.is_within(&code("410000")));
        assert!(code("410922").is_within(&code("410922000000")));
        // Siblings and other counties.
        assert!(!code("410923").is_within(&county));
        assert!(!code("410923100").is_within(&county));
        assert!(!county.is_within(&code("410922100")));
        assert!(!code("4109").is_within(&county));
        assert!(!code("420922").is_within(&code("41")));
        // Township 101 is not within township 100 of the same county.
        assert!(!code("410922101202").is_within(&code("410922100")));
    }

    #[test]
    fn serde_as_canonical_string() {
        let json = serde_json::to_string(&code("410900")).unwrap();
        assert_eq!(json, r#""4109""#);
        let back: DivisionCode = serde_json::from_str(r#""410922000000""#).unwrap();
        assert_eq!(back, code("410922"));
        assert!(serde_json::from_str::<DivisionCode>(r#""41092""#).is_err());
        assert_eq!(serde_json::to_string(&DivisionLevel::Township).unwrap(), r#""township""#);
    }

    #[test]
    fn shipped_qingfeng_codes_parse() {
        // Township codes from DOMAIN.md §2.3.
        for c in ["410922100", "410922101", "410922107", "410922200", "410922208", "410922212", "410922213"] {
            let t = code(c);
            assert_eq!(t.level(), DivisionLevel::Township);
            assert!(t.is_within(&code("410922")));
        }
    }

    /// A canonical code: non-zero segments only.
    fn canonical_code() -> impl Strategy<Value = String> {
        (
            "[1-9][0-9]|[0-9][1-9]",
            "[1-9][0-9]|[0-9][1-9]",
            "[1-9][0-9]|[0-9][1-9]",
            "[1-9][0-9]{2}|[0-9][1-9][0-9]|[0-9]{2}[1-9]",
            "[1-9][0-9]{2}|[0-9][1-9][0-9]|[0-9]{2}[1-9]",
            0usize..5,
        )
            .prop_map(|(a, b, c, d, e, level)| {
                let full = format!("{a}{b}{c}{d}{e}");
                full[..LEVEL_LENGTHS[level]].to_string()
            })
    }

    proptest! {
        #[test]
        fn round_trip_and_padding(s in canonical_code()) {
            let c = DivisionCode::parse(&s).unwrap();
            prop_assert_eq!(c.as_str(), s.as_str());
            let shown = c.to_string(); // Display → parse is the identity
            prop_assert_eq!(DivisionCode::parse(&shown).unwrap(), c.clone());
            prop_assert_eq!(DivisionCode::parse(&c.to_stats_code()).unwrap(), c.clone());
            for a in c.ancestors() {
                prop_assert!(c.is_within(&a));
                prop_assert!(!a.is_within(&c));
                prop_assert!(a.level() < c.level());
            }
        }

        #[test]
        fn is_within_matches_ancestor_chain(a in canonical_code(), b in canonical_code()) {
            let a = DivisionCode::parse(&a).unwrap();
            let b = DivisionCode::parse(&b).unwrap();
            let expected = a == b || a.ancestors().any(|x| x == b);
            prop_assert_eq!(a.is_within(&b), expected);
        }

        #[test]
        fn arbitrary_strings_never_panic(s in any::<String>()) {
            let _ = DivisionCode::parse(&s);
        }

        #[test]
        fn unicode_strings_never_panic(s in "[0-9区划😀\\PC]{0,3000}|[0-9区划😀]{2,12}") {
            let _ = DivisionCode::parse(&s);
        }
    }
}
