//! 公民身份号码 citizen (resident) ID number, GB 11643-1999.
//!
//! Structure (18 characters): `AAAAAA YYYYMMDD SSS C` — 地址码 address code (county code at
//! first registration, possibly historical), 出生日期码 birth date, 顺序码 sequence
//! (odd = male, even = female), 校验码 check character (`0-9` or `X`).
//!
//! Personal data (PIPL): [`fmt::Debug`] shows only the masked form; [`fmt::Display`] and
//! serde show the full number, so callers mask explicitly ([`ResidentId::masked`]).

use std::fmt;
use std::str::FromStr;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::error::{IdError, codes};

/// `W_i = 2^(i−1) mod 11`, `i` counted from the right with the check character at `i = 1`.
const WEIGHTS: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];

/// Check character for `r = Σ digit × weight mod 11`.
const CHECK_CHARS: &[u8; 11] = b"10X98765432";

/// Computes the check character (position 18) of the first 17 digits.
///
/// Returns `None` unless `first17` is exactly 17 ASCII digits.
pub fn id_check_char(first17: &str) -> Option<char> {
    let mut chars = first17.chars();
    let mut sum = 0;
    for weight in WEIGHTS {
        sum += chars.next()?.to_digit(10)? * weight;
    }
    if chars.next().is_some() {
        return None;
    }
    Some(char::from(CHECK_CHARS[(sum % 11) as usize]))
}

/// 性别 sex, from the parity of the 17th digit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Sex {
    /// 男 (odd 17th digit).
    Male,
    /// 女 (even 17th digit).
    Female,
}

impl Sex {
    /// Chinese name: `男` or `女`.
    pub fn zh_name(self) -> &'static str {
        match self {
            Sex::Male => "男",
            Sex::Female => "女",
        }
    }
}

impl fmt::Display for Sex {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.zh_name())
    }
}

/// 公民身份号码 resident ID number (GB 11643-1999), always 18 characters with uppercase `X`.
///
/// `Debug` prints the masked form (`ResidentId("4109**********0013")`) so numbers never
/// leak into logs; `Display`, [`ResidentId::as_str`] and serde give the full number.
/// Deserialising validates with [`ResidentId::parse`].
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct ResidentId {
    number: String,
    birth_date: NaiveDate,
}

impl ResidentId {
    /// Parses an 18-digit ID (or upgrades a 15-digit legacy ID).
    ///
    /// Trims surrounding whitespace and accepts a lowercase `x`, normalised to `X`.
    /// A 15-digit legacy number gets `19` inserted after the 6-digit address code and the
    /// computed check character appended. The birth date must be a real calendar date;
    /// whether it lies in the future is **not** checked here (this stays a pure function),
    /// see [`ResidentId::parse_on`].
    pub fn parse(s: &str) -> Result<Self, IdError> {
        let input = s.trim().to_ascii_uppercase();
        let len = input.chars().count();
        if len != 18 && len != 15 {
            return Err(IdError::new(codes::ID_LENGTH, format!("公民身份号码应为18位（或15位旧号码），实际为{len}位")));
        }
        for (pos, c) in (1..).zip(input.chars()) {
            if !(c.is_ascii_digit() || (pos == 18 && c == 'X')) {
                return Err(IdError::new(
                    codes::ID_CHARSET,
                    format!("公民身份号码第{pos}位字符 {c:?} 不合法（前17位须为数字，第18位为数字或 X）"),
                ));
            }
        }
        // From here on the input is ASCII, so byte slicing is safe.
        let first17 = match len {
            15 => format!("{}19{}", &input[..6], &input[6..]),
            _ => input[..17].to_string(),
        };
        let birth_date = birth_date_of(&first17[6..14])
            .ok_or_else(|| IdError::new(codes::ID_BIRTH_DATE, format!("公民身份号码中的出生日期 {} 不是有效日期", &first17[6..14])))?;
        let Some(expected) = id_check_char(&first17) else {
            return Err(IdError::new(codes::ID_CHARSET, "公民身份号码前17位须为数字"));
        };
        if len == 18 && !input.ends_with(expected) {
            return Err(IdError::new(
                codes::ID_CHECK_DIGIT,
                format!("公民身份号码校验码错误：第18位应为 {expected}，实际为 {}", &input[17..]),
            ));
        }
        Ok(Self { number: format!("{first17}{expected}"), birth_date })
    }

    /// Like [`ResidentId::parse`], and also rejects a birth date after `today`
    /// (`id.future_birth`). The clock is passed in.
    pub fn parse_on(s: &str, today: NaiveDate) -> Result<Self, IdError> {
        let id = Self::parse(s)?;
        if id.birth_date > today {
            return Err(IdError::new(codes::ID_FUTURE_BIRTH, format!("公民身份号码中的出生日期 {} 晚于当前日期 {today}", id.birth_date)));
        }
        Ok(id)
    }

    /// The full normalised 18-character number.
    pub fn as_str(&self) -> &str {
        &self.number
    }

    /// 出生日期 birth date (positions 7–14).
    pub fn birth_date(&self) -> NaiveDate {
        self.birth_date
    }

    /// 性别 sex: odd 17th digit = male, even = female.
    pub fn sex(&self) -> Sex {
        match self.number.as_bytes()[16] % 2 {
            1 => Sex::Male,
            _ => Sex::Female,
        }
    }

    /// 周岁 age in full years on `date`; 0 if `date` is before the birth date.
    ///
    /// The age increases on the birthday; someone born on 29 February gets one year older
    /// on 1 March in common years.
    pub fn age_on(&self, date: NaiveDate) -> u32 {
        date.years_since(self.birth_date).unwrap_or(0)
    }

    /// 地址码 address code (positions 1–6): the county code at first registration,
    /// possibly a historical code that no longer exists.
    pub fn address_code(&self) -> &str {
        &self.number[..6]
    }

    /// Masked form for display: first 4 + 10 `*` + last 4, e.g. `4109**********0013`.
    pub fn masked(&self) -> String {
        format!("{}{}{}", &self.number[..4], "*".repeat(10), &self.number[14..])
    }

    /// Any text held where an ID number belongs, as it may be shown: masked if it reads
    /// as one, `******` if not, so that nothing unreadable is ever shown in clear.
    pub fn mask_text(raw: &str) -> String {
        ResidentId::parse(raw).map(|id| id.masked()).unwrap_or_else(|_| "******".into())
    }
}

/// Parses `YYYYMMDD` (8 ASCII digits) into a real calendar date.
fn birth_date_of(yyyymmdd: &str) -> Option<NaiveDate> {
    let year = yyyymmdd.get(..4)?.parse().ok()?;
    let month = yyyymmdd.get(4..6)?.parse().ok()?;
    let day = yyyymmdd.get(6..8)?.parse().ok()?;
    NaiveDate::from_ymd_opt(year, month, day)
}

impl fmt::Debug for ResidentId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("ResidentId").field(&self.masked()).finish()
    }
}

impl fmt::Display for ResidentId {
    /// The FULL number; mask explicitly with [`ResidentId::masked`] where needed.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.number)
    }
}

impl FromStr for ResidentId {
    type Err = IdError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::parse(s)
    }
}

impl TryFrom<String> for ResidentId {
    type Error = IdError;

    fn try_from(s: String) -> Result<Self, Self::Error> {
        Self::parse(&s)
    }
}

impl From<ResidentId> for String {
    fn from(id: ResidentId) -> Self {
        id.number
    }
}

impl AsRef<str> for ResidentId {
    fn as_ref(&self) -> &str {
        &self.number
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    const VALID: [&str; 4] = ["11010519491231002X", "440524188001010014", "410922195001010013", "41092219450315002X"];

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    fn err_code(s: &str) -> &'static str {
        ResidentId::parse(s).unwrap_err().code
    }

    #[test]
    fn weights_are_powers_of_two_mod_11() {
        for (i, weight) in WEIGHTS.iter().enumerate() {
            // Position i (0-based from the left) is exponent 17 − i counted from the right.
            assert_eq!(*weight, 2u32.pow(17 - i as u32) % 11);
        }
    }

    #[test]
    fn check_char_vectors() {
        // Σ=167, 167 mod 11 = 2 → 'X'.
        assert_eq!(id_check_char("11010519491231002"), Some('X'));
        assert_eq!(id_check_char("44052418800101001"), Some('4'));
        assert_eq!(id_check_char("41092219500101001"), Some('3'));
        assert_eq!(id_check_char("41092219450315002"), Some('X'));
        assert_eq!(id_check_char("4109221950010100"), None);
        assert_eq!(id_check_char("410922195001010013"), None);
        assert_eq!(id_check_char("4109221950010100X"), None);
    }

    #[test]
    fn valid_vectors() {
        for number in VALID {
            let id = ResidentId::parse(number).unwrap();
            assert_eq!(id.as_str(), number);
            assert_eq!(id.to_string(), number);
        }
    }

    #[test]
    fn accessors() {
        let id = ResidentId::parse("410922195001010013").unwrap();
        assert_eq!(id.birth_date(), date(1950, 1, 1));
        assert_eq!(id.sex(), Sex::Male);
        assert_eq!(id.sex().zh_name(), "男");
        assert_eq!(id.address_code(), "410922");
        assert_eq!(id.masked(), "4109**********0013");
        assert_eq!(id.age_on(date(2024, 12, 31)), 74);
        assert_eq!(id.age_on(date(2025, 1, 1)), 75);
        assert_eq!(id.age_on(date(1949, 1, 1)), 0);

        let woman = ResidentId::parse("41092219450315002X").unwrap();
        assert_eq!(woman.sex(), Sex::Female);
        assert_eq!(woman.sex().to_string(), "女");
        assert_eq!(woman.birth_date(), date(1945, 3, 15));
        assert_eq!(woman.age_on(date(2025, 3, 14)), 79);
        assert_eq!(woman.age_on(date(2025, 3, 15)), 80);
        assert_eq!(woman.masked(), "4109**********002X");

        let old = ResidentId::parse("440524188001010014").unwrap();
        assert_eq!(old.birth_date(), date(1880, 1, 1));
        assert_eq!(old.sex(), Sex::Male);
    }

    #[test]
    fn leap_day_birthday() {
        // 41092220000229001 + check char.
        let first17 = "41092220000229001";
        let id = ResidentId::parse(&format!("{first17}{}", id_check_char(first17).unwrap())).unwrap();
        assert_eq!(id.age_on(date(2001, 2, 28)), 0);
        assert_eq!(id.age_on(date(2001, 3, 1)), 1);
        assert_eq!(id.age_on(date(2004, 2, 29)), 4);
    }

    #[test]
    fn lowercase_x_and_whitespace() {
        let id = ResidentId::parse(" 11010519491231002x\t").unwrap();
        assert_eq!(id.as_str(), "11010519491231002X");
    }

    #[test]
    fn legacy_15_digit_upgrade() {
        // 410922 500101 001 → 410922 19 500101 001 + '3'.
        let id = ResidentId::parse("410922500101001").unwrap();
        assert_eq!(id.as_str(), "410922195001010013");
        // 110105 491231 002 → 11010519491231002 + 'X'.
        assert_eq!(ResidentId::parse("110105491231002").unwrap().as_str(), "11010519491231002X");
        assert_eq!(err_code("110105491331002"), codes::ID_BIRTH_DATE);
        assert_eq!(err_code("11010549123100X"), codes::ID_CHARSET);
    }

    #[test]
    fn text_that_is_not_an_id_is_hidden_whole() {
        assert_eq!(ResidentId::mask_text("410922195001010013"), "4109**********0013");
        for raw in ["E12345678", "410922195001010012", "", "4109**********0013"] {
            assert_eq!(ResidentId::mask_text(raw), "******", "{raw:?}");
        }
    }

    #[test]
    fn debug_is_masked() {
        let id = ResidentId::parse("410922195001010013").unwrap();
        let debug = format!("{id:?}");
        assert_eq!(debug, r#"ResidentId("4109**********0013")"#);
        assert!(!debug.contains("19500101"));
        assert!(!format!("{:?}", Some(&id)).contains("410922195001010013"));
    }

    #[test]
    fn errors() {
        let cases = [
            ("", codes::ID_LENGTH),
            ("41092219500101001", codes::ID_LENGTH),
            ("4109221950010100133", codes::ID_LENGTH),
            ("41092219500101001Y", codes::ID_CHARSET),
            ("4109221950010100X3", codes::ID_CHARSET),
            ("41092219500101001３", codes::ID_CHARSET),
            ("410922195002300013", codes::ID_BIRTH_DATE),
            ("410922195013010013", codes::ID_BIRTH_DATE),
            ("410922195001010014", codes::ID_CHECK_DIGIT),
            ("11010519491231002Y", codes::ID_CHARSET),
            ("110105194912310021", codes::ID_CHECK_DIGIT),
        ];
        for (input, code) in cases {
            assert_eq!(err_code(input), code, "{input}");
        }
        let err = ResidentId::parse("410922195001010014").unwrap_err();
        assert!(err.message.contains("应为 3"), "{}", err.message);
    }

    #[test]
    fn parse_on_rejects_future_birth() {
        let today = date(2025, 6, 1);
        assert!(ResidentId::parse_on("410922195001010013", today).is_ok());
        // Born 2025-06-01 (today) is fine; 2025-06-02 is not.
        let born = |d: &str| {
            let first17 = format!("410922{d}001");
            format!("{first17}{}", id_check_char(&first17).unwrap())
        };
        assert!(ResidentId::parse_on(&born("20250601"), today).is_ok());
        let future = born("20250602");
        assert!(ResidentId::parse(&future).is_ok());
        assert_eq!(ResidentId::parse_on(&future, today).unwrap_err().code, codes::ID_FUTURE_BIRTH);
    }

    #[test]
    fn serde_full_number_validated() {
        let id = ResidentId::parse("41092219450315002X").unwrap();
        let json = serde_json::to_string(&id).unwrap();
        assert_eq!(json, r#""41092219450315002X""#);
        assert_eq!(serde_json::from_str::<ResidentId>(&json).unwrap(), id);
        assert!(serde_json::from_str::<ResidentId>(r#""410922195001010014""#).is_err());
        assert_eq!(serde_json::to_string(&Sex::Female).unwrap(), r#""female""#);
    }

    /// Weights 2^k mod 11 are never 0 and digit differences are 1..=9 < 11, so the check
    /// character alone catches every single-digit substitution (11 is prime).
    #[test]
    fn every_single_substitution_changes_the_check() {
        for number in VALID {
            for pos in 0..17 {
                for d in '0'..='9' {
                    let mut chars: Vec<char> = number.chars().collect();
                    if chars[pos] == d {
                        continue;
                    }
                    chars[pos] = d;
                    let changed: String = chars.iter().collect();
                    assert_ne!(id_check_char(&changed[..17]), changed.chars().last(), "{changed}");
                    assert!(ResidentId::parse(&changed).is_err(), "{changed}");
                }
            }
        }
    }

    fn valid_id() -> impl Strategy<Value = String> {
        ("[1-8][0-9]{5}", 1900i32..2030, 1u32..=12, 1u32..=31, "[0-9]{3}").prop_filter_map("real date", |(address, y, m, d, seq)| {
            let birth = NaiveDate::from_ymd_opt(y, m, d)?;
            let first17 = format!("{address}{}{seq}", birth.format("%Y%m%d"));
            Some(format!("{first17}{}", id_check_char(&first17)?))
        })
    }

    proptest! {
        #[test]
        fn generated_ids_parse_and_round_trip(number in valid_id()) {
            let id = ResidentId::parse(&number).unwrap();
            prop_assert_eq!(id.as_str(), number.as_str());
            let shown = id.to_string(); // Display → parse is the identity
            prop_assert_eq!(ResidentId::parse(&shown).unwrap(), id.clone());
            prop_assert_eq!(id.masked().chars().count(), 18);
            prop_assert_eq!(&id.masked()[..4], &number[..4]);
            prop_assert_eq!(&id.masked()[14..], &number[14..]);
        }

        #[test]
        fn single_substitution_is_caught(
            number in valid_id(),
            pos in 0usize..18,
            c in prop::sample::select("0123456789X".chars().collect::<Vec<_>>()),
        ) {
            let mut chars: Vec<char> = number.chars().collect();
            prop_assume!(chars[pos] != c);
            chars[pos] = c;
            let changed: String = chars.into_iter().collect();
            prop_assert!(ResidentId::parse(&changed).is_err());
        }

        #[test]
        fn arbitrary_strings_never_panic(s in any::<String>()) {
            let _ = ResidentId::parse(&s);
            let _ = id_check_char(&s);
        }

        #[test]
        fn long_and_unicode_strings_never_panic(s in "[0-9Xx身份证😀\\PC]{0,3000}") {
            let _ = ResidentId::parse(&s);
        }

        #[test]
        fn fixed_length_unicode_never_panics(s in "[0-9Xx身份证😀]{15}|[0-9Xx身份证😀]{18}") {
            let _ = ResidentId::parse(&s);
            let _ = ResidentId::parse_on(&s, NaiveDate::MIN);
        }
    }
}
