//! Errors and warnings of the value parsers, with stable machine codes.
//!
//! Every rejection carries a code from [`codes`] (stable, meant for programs,
//! logs and the `qingfeng validate` CLI) and a message in Chinese (meant for people).

/// The stable machine codes of this crate, in one place.
///
/// Codes never change meaning once released; new ones may be added.
pub mod codes {
    /// 统一社会信用代码 USCC: not 18 characters.
    pub const USCC_LENGTH: &str = "uscc.length";
    /// USCC: a character outside the 31-character set (`0-9`, `A-Z` without `I O S V Z`).
    pub const USCC_CHARSET: &str = "uscc.charset";
    /// USCC: positions 3–8 (registering authority's division code) are not all digits.
    pub const USCC_DIVISION: &str = "uscc.division";
    /// USCC: positions 1–2 are not a known authority/category pair (`data/uscc_categories.csv`).
    pub const USCC_CATEGORY: &str = "uscc.category";
    /// USCC: the embedded GB 11714 organisation-code check character (position 17) is wrong.
    pub const USCC_ORG_CODE_CHECK: &str = "uscc.org_code_check";
    /// USCC: the final mod-31 check character (position 18) is wrong.
    pub const USCC_CHECK_DIGIT: &str = "uscc.check_digit";

    /// 公民身份号码 resident ID: neither 18 nor (legacy) 15 characters.
    pub const ID_LENGTH: &str = "id.length";
    /// Resident ID: a non-digit in positions 1–17, or a position-18 character other than `0-9 X`.
    pub const ID_CHARSET: &str = "id.charset";
    /// Resident ID: positions 7–14 are not a real calendar date.
    pub const ID_BIRTH_DATE: &str = "id.birth_date";
    /// Resident ID: the mod-11 check character is wrong.
    pub const ID_CHECK_DIGIT: &str = "id.check_digit";
    /// Resident ID: the birth date lies after the given "today" (only `ResidentId::parse_on`).
    pub const ID_FUTURE_BIRTH: &str = "id.future_birth";

    /// 行政区划代码 division code: not 2, 4, 6, 9 or 12 characters.
    pub const DIVISION_LENGTH: &str = "division.length";
    /// Division code: a character that is not an ASCII digit.
    pub const DIVISION_CHARSET: &str = "division.charset";
    /// Division code: the province segment is `00`, or a zero segment is followed by a non-zero one.
    pub const DIVISION_LEVEL: &str = "division.level";

    /// Money: not a plain decimal number (`-?digits[.digits]`).
    pub const MONEY_FORMAT: &str = "money.format";
    /// Money: more decimal places than the unit allows (2 for 元, 6 for 万元).
    pub const MONEY_PRECISION: &str = "money.precision";
    /// Money: the amount does not fit in an `i64` number of 分.
    pub const MONEY_OVERFLOW: &str = "money.overflow";

    /// Holiday calendar CSV: the header is not `date,kind,name,source`.
    pub const CALENDAR_HEADER: &str = "calendar.header";
    /// Holiday calendar CSV: a row does not have four columns.
    pub const CALENDAR_COLUMNS: &str = "calendar.columns";
    /// Holiday calendar CSV: the date is not a real `YYYY-MM-DD` date.
    pub const CALENDAR_DATE: &str = "calendar.date";
    /// Holiday calendar CSV: the kind is neither `holiday` nor `workday`.
    pub const CALENDAR_KIND: &str = "calendar.kind";
    /// Holiday calendar CSV: the same date is listed twice with different kinds.
    pub const CALENDAR_CONFLICT: &str = "calendar.conflict";

    /// Telephone number: neither an 11-digit mobile number nor a fixed line with area code.
    pub const PHONE_FORMAT: &str = "phone.format";

    /// `validate::Kind` from a string: unknown kind name.
    pub const VALIDATE_KIND: &str = "validate.kind";

    /// Warning (lenient USCC parsing): a check character does not match; accepted because
    /// early pilot-region codes that fail the check are still legally valid.
    pub const CHECK_DIGIT_MISMATCH: &str = "check_digit_mismatch";
}

/// A rejected value: the error of every parser in this crate (identifiers and money).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{code}: {message}")]
pub struct IdError {
    /// Stable machine code, one of [`codes`].
    pub code: &'static str,
    /// Explanation in Chinese, for people.
    pub message: String,
}

impl IdError {
    /// Creates an error from a code of [`codes`] and a Chinese message.
    pub fn new(code: &'static str, message: impl Into<String>) -> Self {
        Self { code, message: message.into() }
    }
}

/// A value that was accepted, but with a caveat worth showing to the user
/// (e.g. [`codes::CHECK_DIGIT_MISMATCH`] from lenient USCC parsing).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Warning {
    /// Stable machine code, one of [`codes`].
    pub code: &'static str,
    /// Explanation in Chinese, for people.
    pub message: String,
}

impl std::fmt::Display for Warning {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.code, self.message)
    }
}
