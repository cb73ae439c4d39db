//! 统一社会信用代码 unified social credit code (USCC), GB 32100-2015.
//!
//! Structure (18 characters):
//!
//! | Pos   | Part |
//! |-------|------|
//! | 1     | 登记管理部门代码 registration authority |
//! | 2     | 机构类别代码 entity category (meaning depends on pos 1) |
//! | 3–8   | 登记管理机关行政区划码 division code of the registering authority (digits) |
//! | 9–17  | 主体标识码 = 组织机构代码 (GB 11714): 8-character body + check character |
//! | 18    | 校验码: mod-31 check character |
//!
//! The authority/category pairs are data, not code: `data/uscc_categories.csv`.

use std::fmt;
use std::str::FromStr;
use std::sync::LazyLock;

use serde::{Deserialize, Serialize};

use crate::error::{IdError, Warning, codes};

/// The 31 characters of the USCC; a character's value is its index.
/// Letters `I O S V Z` are never used.
const CHARSET: &[u8; 31] = b"0123456789ABCDEFGHJKLMNPQRTUWXY";

/// `W_i = 3^(i-1) mod 31` for positions 1..=17.
const WEIGHTS: [u32; 17] = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];

/// GB 11714 weights for the 8 body characters of the organisation code.
const ORG_WEIGHTS: [u32; 8] = [3, 7, 9, 10, 5, 8, 4, 2];

const CATEGORIES_CSV: &str = include_str!("../data/uscc_categories.csv");

static CATEGORIES: LazyLock<Vec<UsccCategory>> = LazyLock::new(|| parse_categories(CATEGORIES_CSV));

/// One row of the 登记管理部门/机构类别 (registration authority / entity category) table.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct UsccCategory {
    /// Positions 1–2 of the code, e.g. `91`.
    pub code: &'static str,
    /// 登记管理部门 registration authority, e.g. `工商（现市场监管）`.
    pub authority_zh: &'static str,
    /// 机构类别 entity category, e.g. `企业`.
    pub category_zh: &'static str,
    /// Where the row comes from and how certain it is.
    pub source_note: &'static str,
}

fn parse_categories(text: &'static str) -> Vec<UsccCategory> {
    text.lines()
        .skip(1)
        .filter(|line| !line.trim().is_empty())
        .filter_map(|line| {
            let mut fields = line.splitn(4, ',').map(str::trim);
            Some(UsccCategory {
                code: fields.next()?,
                authority_zh: fields.next()?,
                category_zh: fields.next()?,
                source_note: fields.next()?,
            })
        })
        .collect()
}

/// All known authority/category pairs, in file order.
pub fn uscc_categories() -> &'static [UsccCategory] {
    &CATEGORIES
}

/// Looks up an authority/category pair by positions 1–2 (e.g. `"91"`).
pub fn uscc_category(code2: &str) -> Option<&'static UsccCategory> {
    CATEGORIES.iter().find(|c| c.code == code2)
}

fn charset_value(c: char) -> Option<u32> {
    CHARSET.iter().position(|&b| char::from(b) == c).map(|i| i as u32)
}

/// Computes the USCC check character (position 18) of a 17-character prefix.
///
/// Returns `None` unless `prefix17` is exactly 17 characters of the USCC character set.
pub fn uscc_check_char(prefix17: &str) -> Option<char> {
    let mut chars = prefix17.chars();
    let mut sum = 0;
    for weight in WEIGHTS {
        sum += charset_value(chars.next()?)? * weight;
    }
    if chars.next().is_some() {
        return None;
    }
    Some(char::from(CHARSET[((31 - sum % 31) % 31) as usize]))
}

/// Computes the GB 11714 组织机构代码 (organisation code) check character of an 8-character body.
///
/// Values: digits 0–9, uppercase letters `A`=10 … `Z`=35. `C9 = 11 − (Σ value × weight mod 11)`,
/// where 10 → `X` and 11 → `0`. Returns `None` unless `body8` is exactly 8 ASCII digits or
/// uppercase letters.
pub fn gb11714_check_char(body8: &str) -> Option<char> {
    let mut chars = body8.chars();
    let mut sum = 0;
    for weight in ORG_WEIGHTS {
        let c = chars.next().filter(|c| c.is_ascii_digit() || c.is_ascii_uppercase())?;
        sum += c.to_digit(36)? * weight;
    }
    if chars.next().is_some() {
        return None;
    }
    Some(match 11 - sum % 11 {
        10 => 'X',
        11 => '0',
        d => char::from_digit(d, 10)?,
    })
}

/// Builds a valid USCC from its parts: the registration category (2 characters, e.g.
/// `91`), the division (6 digits) and the 8-character organisation-code body; computes
/// the embedded GB 11714 check and the final check character. For tests, demo data and
/// tools. `None` if a part is malformed.
pub fn compose_uscc(category2: &str, division6: &str, body8: &str) -> Option<String> {
    if category2.chars().count() != 2 || division6.len() != 6 || !division6.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let first17 = format!("{category2}{division6}{body8}{}", gb11714_check_char(body8)?);
    let check = uscc_check_char(&first17)?;
    Some(format!("{first17}{check}"))
}

/// 统一社会信用代码 unified social credit code (GB 32100-2015), normalised to uppercase.
///
/// Built by [`Uscc::parse`] (strict) or [`Uscc::parse_lenient`]. Serialises as its string;
/// deserialising validates strictly, so pilot-era codes accepted only by
/// [`Uscc::parse_lenient`] do not deserialise.
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Uscc {
    code: String,
    category: &'static UsccCategory,
}

impl Uscc {
    /// Parses strictly: trims surrounding whitespace, uppercases, and rejects any error,
    /// including a wrong final check character (`uscc.check_digit`) or a wrong embedded
    /// GB 11714 check character (`uscc.org_code_check`).
    pub fn parse(s: &str) -> Result<Self, IdError> {
        let (uscc, check_errors) = Self::parse_structure(s)?;
        match check_errors.into_iter().next() {
            Some(first) => Err(first),
            None => Ok(uscc),
        }
    }

    /// Parses leniently: like [`Uscc::parse`], but a wrong final check character and/or a
    /// wrong embedded GB 11714 check character are accepted with a `check_digit_mismatch`
    /// warning each. Early pilot-region codes (e.g. `91350100M0001TGQXM`) fail the check
    /// and are still legally valid. Length, character set, division and category errors
    /// still reject.
    pub fn parse_lenient(s: &str) -> Result<(Self, Vec<Warning>), IdError> {
        let (uscc, check_errors) = Self::parse_structure(s)?;
        let warnings = check_errors.into_iter().map(|e| Warning { code: codes::CHECK_DIGIT_MISMATCH, message: e.message }).collect();
        Ok((uscc, warnings))
    }

    /// Validates everything but the check characters; returns the check failures
    /// separately (final check first) so strict and lenient parsing share one path.
    fn parse_structure(s: &str) -> Result<(Self, Vec<IdError>), IdError> {
        let code = s.trim().to_ascii_uppercase();
        let len = code.chars().count();
        if len != 18 {
            return Err(IdError::new(codes::USCC_LENGTH, format!("统一社会信用代码应为18位，实际为{len}位")));
        }
        for (pos, c) in (1..).zip(code.chars()) {
            if charset_value(c).is_none() {
                return Err(IdError::new(
                    codes::USCC_CHARSET,
                    format!("统一社会信用代码第{pos}位字符 {c:?} 不合法（只允许数字和除 I、O、S、V、Z 以外的大写字母）"),
                ));
            }
            if (3..=8).contains(&pos) && !c.is_ascii_digit() {
                return Err(IdError::new(
                    codes::USCC_DIVISION,
                    format!("统一社会信用代码第3–8位（登记管理机关行政区划码）必须为数字，第{pos}位为 {c:?}"),
                ));
            }
        }
        // From here on the code is 18 ASCII characters, so byte slicing is safe.
        let category = uscc_category(&code[..2]).ok_or_else(|| {
            IdError::new(codes::USCC_CATEGORY, format!("统一社会信用代码前两位“{}”不是已知的登记管理部门和机构类别代码", &code[..2]))
        })?;

        let char_at = |index: usize| char::from(code.as_bytes()[index]);
        let mut check_errors = Vec::new();
        let given = char_at(17);
        if let Some(expected) = uscc_check_char(&code[..17]).filter(|&e| e != given) {
            check_errors
                .push(IdError::new(codes::USCC_CHECK_DIGIT, format!("统一社会信用代码校验码错误：第18位应为 {expected}，实际为 {given}")));
        }
        let given = char_at(16);
        if let Some(expected) = gb11714_check_char(&code[8..16]).filter(|&e| e != given) {
            check_errors.push(IdError::new(
                codes::USCC_ORG_CODE_CHECK,
                format!("统一社会信用代码第9–17位（组织机构代码）校验码错误：第17位应为 {expected}，实际为 {given}"),
            ));
        }
        Ok((Self { code, category }, check_errors))
    }

    /// The normalised 18-character code.
    pub fn as_str(&self) -> &str {
        &self.code
    }

    /// Positions 1–2 and their meaning (registration authority and entity category).
    pub fn category_info(&self) -> &'static UsccCategory {
        self.category
    }

    /// 登记管理部门 registration authority name, e.g. `工商（现市场监管）` for `9…`.
    pub fn authority(&self) -> &'static str {
        self.category.authority_zh
    }

    /// 机构类别 entity category name, e.g. `企业` for `91…`.
    pub fn category(&self) -> &'static str {
        self.category.category_zh
    }

    /// Positions 3–8: GB/T 2260 division code of the **registering authority**
    /// (e.g. `410922` for registrations in Qingfeng; `100000` for national registrations).
    pub fn division_code(&self) -> &str {
        &self.code[2..8]
    }

    /// Positions 9–17: 组织机构代码 organisation code (GB 11714), including its check character.
    pub fn org_code(&self) -> &str {
        &self.code[8..17]
    }
}

impl fmt::Debug for Uscc {
    /// `Uscc("91410922MA40AB121G")`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("Uscc").field(&self.code).finish()
    }
}

impl fmt::Display for Uscc {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.code)
    }
}

impl FromStr for Uscc {
    type Err = IdError;

    /// Strict parsing, as [`Uscc::parse`].
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::parse(s)
    }
}

impl TryFrom<String> for Uscc {
    type Error = IdError;

    fn try_from(s: String) -> Result<Self, Self::Error> {
        Self::parse(&s)
    }
}

impl From<Uscc> for String {
    fn from(uscc: Uscc) -> Self {
        uscc.code
    }
}

impl AsRef<str> for Uscc {
    fn as_ref(&self) -> &str {
        &self.code
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn composed_codes_are_valid_and_bad_parts_are_refused() {
        let code = compose_uscc("91", "410922", "MA40AB12").unwrap();
        assert_eq!(Uscc::parse(&code).unwrap().as_str(), code);
        assert!(code.starts_with("91410922MA40AB12"));
        assert_eq!(compose_uscc("9", "410922", "MA40AB12"), None);
        assert_eq!(compose_uscc("91", "41092", "MA40AB12"), None);
        assert_eq!(compose_uscc("91", "410922", "ma40ab12"), None, "lowercase body");
    }

    /// Real codes that validate (DOMAIN.md §2.1), plus the standard's worked example and
    /// the synthetic Qingfeng code.
    const VALID: [&str; 9] = [
        "91350100M000100Y43",
        "91320100748204660Q",
        "91320281142232229Q",
        "11320100MB1886843H",
        "91440300708461136T",
        "91110108551385082Q",
        "91430122707233692A",
        "91510185MA64ND8627",
        "91410922MA40AB121G",
    ];

    /// Early pilot-region codes: final check fails, still legal (lenient only).
    const PILOT: [&str; 3] = ["91350100M0001TGQXM", "91350211M0000XUF46", "91350203M0001FUE2P"];

    fn err_code(s: &str) -> &'static str {
        Uscc::parse(s).unwrap_err().code
    }

    #[test]
    fn weights_are_powers_of_three_mod_31() {
        let mut w = 1;
        for weight in WEIGHTS {
            assert_eq!(weight, w);
            w = w * 3 % 31;
        }
    }

    #[test]
    fn check_char_vectors() {
        // §11: prefix 91350100M000100Y4 → Σ=1640, 1640 mod 31 = 28, 31−28 = 3.
        assert_eq!(uscc_check_char("91350100M000100Y4"), Some('3'));
        assert_eq!(uscc_check_char("91410922MA40AB121"), Some('G'));
        assert_eq!(uscc_check_char("91310115MA1H8R7C6"), Some('7'));
        assert_eq!(uscc_check_char("91350100M000100Y"), None);
        assert_eq!(uscc_check_char("91350100M000100Y43"), None);
        assert_eq!(uscc_check_char("91350100I000100Y4"), None);
        assert_eq!(uscc_check_char("9135010０M000100Y4"), None);
        assert_eq!(gb11714_check_char("MA64ND86"), Some('2'));
        assert_eq!(gb11714_check_char("M000100Y"), Some('4'));
        assert_eq!(gb11714_check_char("MB188684"), Some('3'));
        assert_eq!(gb11714_check_char("MA40AB12"), Some('1'));
        assert_eq!(gb11714_check_char("MA1H8R7C"), Some('4'));
        assert_eq!(gb11714_check_char("ma64nd86"), None);
        assert_eq!(gb11714_check_char("MA64ND8"), None);
        assert_eq!(gb11714_check_char("MA64ND861"), None);
    }

    #[test]
    fn real_codes_are_valid() {
        for code in VALID {
            let uscc = Uscc::parse(code).unwrap();
            assert_eq!(uscc.as_str(), code);
            let (lenient, warnings) = Uscc::parse_lenient(code).unwrap();
            assert_eq!(lenient, uscc);
            assert!(warnings.is_empty(), "{code}: {warnings:?}");
        }
    }

    #[test]
    fn accessors() {
        let uscc = Uscc::parse("91410922MA40AB121G").unwrap();
        assert_eq!(uscc.authority(), "工商（现市场监管）");
        assert_eq!(uscc.category(), "企业");
        assert_eq!(uscc.category_info().code, "91");
        assert_eq!(uscc.division_code(), "410922");
        assert_eq!(uscc.org_code(), "MA40AB121");
        assert_eq!(uscc.to_string(), "91410922MA40AB121G");
        assert_eq!(AsRef::<str>::as_ref(&uscc), "91410922MA40AB121G");
        assert_eq!(format!("{uscc:?}"), r#"Uscc("91410922MA40AB121G")"#);

        let bureau = Uscc::parse("11320100MB1886843H").unwrap();
        assert_eq!(bureau.authority(), "机构编制");
        assert_eq!(bureau.category(), "机关");
    }

    #[test]
    fn normalises_whitespace_and_case() {
        let uscc = Uscc::parse("  91410922ma40ab121g\n").unwrap();
        assert_eq!(uscc.as_str(), "91410922MA40AB121G");
        assert_eq!("91410922MA40AB121G".parse::<Uscc>().unwrap().as_str(), "91410922MA40AB121G");
    }

    #[test]
    fn standard_invalid_example() {
        // The standard's sample input: 'Z' is not even in the character set.
        assert_eq!(err_code("91350100M000100Y4Z"), codes::USCC_CHARSET);
        assert_eq!(Uscc::parse_lenient("91350100M000100Y4Z").unwrap_err().code, codes::USCC_CHARSET);
        // A wrong check character from the set is a check-digit error.
        assert_eq!(err_code("91350100M000100Y44"), codes::USCC_CHECK_DIGIT);
    }

    #[test]
    fn blog_example_is_invalid_strictly_and_warned_twice_leniently() {
        let err = Uscc::parse("91310115MA1H8R7C6D").unwrap_err();
        assert_eq!(err.code, codes::USCC_CHECK_DIGIT);
        assert!(err.message.contains("应为 7"), "{}", err.message);
        let (_, warnings) = Uscc::parse_lenient("91310115MA1H8R7C6D").unwrap();
        assert_eq!(warnings.len(), 2);
        assert!(warnings.iter().all(|w| w.code == codes::CHECK_DIGIT_MISMATCH));
    }

    #[test]
    fn pilot_codes_only_lenient() {
        for code in PILOT {
            assert_eq!(err_code(code), codes::USCC_CHECK_DIGIT, "{code}");
            let (uscc, warnings) = Uscc::parse_lenient(code).unwrap();
            assert_eq!(uscc.as_str(), code);
            assert_eq!(warnings.len(), 1, "{code}");
            assert_eq!(warnings[0].code, codes::CHECK_DIGIT_MISMATCH);
        }
    }

    #[test]
    fn org_code_check_alone() {
        // Body MA40AB12 needs org check '1'; put '2' and fix the final check char so only
        // the embedded GB 11714 check fails.
        let prefix = "91410922MA40AB122";
        let code = format!("{prefix}{}", uscc_check_char(prefix).unwrap());
        assert_eq!(err_code(&code), codes::USCC_ORG_CODE_CHECK);
        let (_, warnings) = Uscc::parse_lenient(&code).unwrap();
        assert_eq!(warnings.len(), 1);
        assert_eq!(warnings[0].code, codes::CHECK_DIGIT_MISMATCH);
    }

    #[test]
    fn structural_errors_reject_even_leniently() {
        let cases = [
            ("", codes::USCC_LENGTH),
            ("91410922MA40AB121", codes::USCC_LENGTH),
            ("91410922MA40AB121GG", codes::USCC_LENGTH),
            ("91410922MA40AB121I", codes::USCC_CHARSET),
            ("91410922MA40OB121G", codes::USCC_CHARSET),
            ("91410922MA40AB121统", codes::USCC_CHARSET),
            ("9141O922MA40AB121G", codes::USCC_CHARSET),
            ("9141A922MA40AB121G", codes::USCC_DIVISION),
            // 0x is no authority; 94 is no category of authority 9.
            ("01410922MA40AB121G", codes::USCC_CATEGORY),
            ("94410922MA40AB121G", codes::USCC_CATEGORY),
        ];
        for (input, code) in cases {
            assert_eq!(err_code(input), code, "{input}");
            assert_eq!(Uscc::parse_lenient(input).unwrap_err().code, code, "{input}");
        }
    }

    #[test]
    fn category_table_is_complete() {
        let lines = CATEGORIES_CSV.lines().skip(1).filter(|l| !l.trim().is_empty()).count();
        assert_eq!(uscc_categories().len(), lines);
        assert!(lines >= 49);
        for row in uscc_categories() {
            assert_eq!(row.code.len(), 2, "{row:?}");
            assert!(row.code.chars().all(|c| charset_value(c).is_some()));
            assert!(!row.authority_zh.is_empty() && !row.category_zh.is_empty());
        }
        // Rural-county essentials: 村委会 and 农村集体经济组织.
        assert_eq!(uscc_category("54").unwrap().category_zh, "村民委员会");
        assert_eq!(uscc_category("N2").unwrap().category_zh, "村级集体经济组织");
        assert!(uscc_category("94").is_none());
    }

    #[test]
    fn serde_as_string_validates_strictly() {
        let uscc = Uscc::parse("91410922MA40AB121G").unwrap();
        let json = serde_json::to_string(&uscc).unwrap();
        assert_eq!(json, r#""91410922MA40AB121G""#);
        assert_eq!(serde_json::from_str::<Uscc>(&json).unwrap(), uscc);
        assert!(serde_json::from_str::<Uscc>(r#""91350100M0001TGQXM""#).is_err());
        assert!(serde_json::from_str::<Uscc>("42").is_err());
    }

    /// The claim behind strict mode: with a prime modulus (31) and weights that are all
    /// non-zero mod 31, the final check character alone catches every single-character
    /// substitution. Checked exhaustively on every valid vector.
    #[test]
    fn every_single_substitution_changes_the_check() {
        for code in VALID {
            for pos in 0..18 {
                for &b in CHARSET {
                    let c = char::from(b);
                    let mut chars: Vec<char> = code.chars().collect();
                    if chars[pos] == c {
                        continue;
                    }
                    chars[pos] = c;
                    let changed: String = chars.iter().collect();
                    let check = uscc_check_char(&changed[..17]).unwrap();
                    assert_ne!(Some(check), changed.chars().last(), "{changed}");
                    assert!(Uscc::parse(&changed).is_err(), "{changed}");
                }
            }
        }
    }

    fn charset_char() -> impl Strategy<Value = char> {
        prop::sample::select(CHARSET.to_vec()).prop_map(char::from)
    }

    fn valid_uscc() -> impl Strategy<Value = String> {
        let categories: Vec<&'static str> = uscc_categories().iter().map(|c| c.code).collect();
        (prop::sample::select(categories), "[0-9]{6}", prop::collection::vec(charset_char(), 8)).prop_map(|(category, division, body)| {
            let body: String = body.into_iter().collect();
            let org_check = gb11714_check_char(&body).unwrap();
            let prefix = format!("{category}{division}{body}{org_check}");
            format!("{prefix}{}", uscc_check_char(&prefix).unwrap())
        })
    }

    proptest! {
        #[test]
        fn generated_codes_parse_and_round_trip(code in valid_uscc()) {
            let uscc = Uscc::parse(&code).unwrap();
            prop_assert_eq!(uscc.as_str(), code.as_str());
            let shown = uscc.to_string(); // Display → parse is the identity
            prop_assert_eq!(Uscc::parse(&shown).unwrap(), uscc);
        }

        #[test]
        fn single_substitution_is_caught(code in valid_uscc(), pos in 0usize..18, c in charset_char()) {
            let mut chars: Vec<char> = code.chars().collect();
            prop_assume!(chars[pos] != c);
            chars[pos] = c;
            let changed: String = chars.into_iter().collect();
            prop_assert!(Uscc::parse(&changed).is_err());
        }

        #[test]
        fn arbitrary_strings_never_panic(s in any::<String>()) {
            let _ = Uscc::parse(&s);
            let _ = Uscc::parse_lenient(&s);
            let _ = uscc_check_char(&s);
            let _ = gb11714_check_char(&s);
        }

        #[test]
        fn long_and_unicode_strings_never_panic(s in "[0-9A-Z清丰县😀\\PC]{0,3000}") {
            let _ = Uscc::parse(&s);
            let _ = Uscc::parse_lenient(&s);
        }

        #[test]
        fn eighteen_char_unicode_never_panics(s in "[0-9A-Z统一社会信用代码😀]{18}") {
            let _ = Uscc::parse(&s);
            let _ = Uscc::parse_lenient(&s);
        }
    }
}
