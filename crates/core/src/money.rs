//! Money as an integer number of 分 (fen, 1 元 = 100 分, 1 万元 = 1,000,000 分).
//!
//! Parsing is exact decimal arithmetic on the digits, never floating point.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::error::{IdError, codes};

/// 分 fen: an amount of money in the smallest unit of the 人民币 (1 元 = 100 分).
///
/// Serialises as a plain integer number of fen.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Fen(pub i64);

/// Decimal places of 元 (1 元 = 10² 分).
const YUAN_SCALE: u32 = 2;
/// Decimal places of 万元 (1 万元 = 10⁶ 分).
const WAN_YUAN_SCALE: u32 = 6;

impl Fen {
    /// Parses an amount in 元 (yuan) with at most 2 decimal places, e.g. `"12.34"` → 1234 分.
    ///
    /// Accepted: optional leading `-`, digits, optionally `.` and 1–2 digits; surrounding
    /// whitespace is trimmed. Errors: `money.format`, `money.precision`, `money.overflow`.
    pub fn from_yuan_str(s: &str) -> Result<Self, IdError> {
        parse_scaled(s, YUAN_SCALE, "元")
    }

    /// Parses an amount in 万元 (ten thousand yuan) with at most 6 decimal places,
    /// e.g. `"1.234567"` → 1,234,567 分. Same syntax and errors as [`Fen::from_yuan_str`].
    pub fn from_wan_yuan_str(s: &str) -> Result<Self, IdError> {
        parse_scaled(s, WAN_YUAN_SCALE, "万元")
    }

    /// The amount in 万元 without trailing zeros, e.g. 1,234,500 分 → `"1.2345"`,
    /// 1,000,000 分 → `"1"`, 5 分 → `"0.000005"`. Parses back with [`Fen::from_wan_yuan_str`].
    pub fn to_wan_yuan_string(self) -> String {
        // Always has a '.', so trimming zeros stops at it at the latest.
        format_scaled(self.0, WAN_YUAN_SCALE).trim_end_matches('0').trim_end_matches('.').to_string()
    }

    /// Sum, or `None` on overflow.
    pub fn checked_add(self, other: Fen) -> Option<Fen> {
        self.0.checked_add(other.0).map(Fen)
    }

    /// Difference, or `None` on overflow.
    pub fn checked_sub(self, other: Fen) -> Option<Fen> {
        self.0.checked_sub(other.0).map(Fen)
    }
}

impl fmt::Display for Fen {
    /// The amount in 元 with exactly 2 decimals, e.g. `12.34`, `-0.05`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&format_scaled(self.0, YUAN_SCALE))
    }
}

/// Formats `fen` as a decimal number of units of `10^scale` fen, with `scale` decimals.
fn format_scaled(fen: i64, scale: u32) -> String {
    let unit = 10u64.pow(scale);
    let abs = fen.unsigned_abs();
    let sign = if fen < 0 { "-" } else { "" };
    let width = scale as usize;
    format!("{sign}{}.{:0width$}", abs / unit, abs % unit)
}

/// Parses `-?digits(.digits)?` with at most `scale` decimals into fen, where one unit of
/// the input is `10^scale` fen.
fn parse_scaled(s: &str, scale: u32, unit_zh: &str) -> Result<Fen, IdError> {
    let trimmed = s.trim();
    let format_error =
        || IdError::new(codes::MONEY_FORMAT, format!("金额 {trimmed:?} 格式不正确，应为数字（可带负号和小数点），单位{unit_zh}"));
    let (negative, unsigned) = match trimmed.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, trimmed),
    };
    let (int_part, frac_part) = match unsigned.split_once('.') {
        Some((i, f)) => (i, Some(f)),
        None => (unsigned, None),
    };
    let all_digits = |part: &str| !part.is_empty() && part.bytes().all(|b| b.is_ascii_digit());
    if !all_digits(int_part) || !frac_part.is_none_or(all_digits) {
        return Err(format_error());
    }
    let frac = frac_part.unwrap_or("");
    if frac.len() > scale as usize {
        return Err(IdError::new(codes::MONEY_PRECISION, format!("金额 {trimmed} 以{unit_zh}为单位最多保留{scale}位小数")));
    }
    let overflow = || IdError::new(codes::MONEY_OVERFLOW, format!("金额 {trimmed} {unit_zh}超出可表示范围"));
    // Digits of the amount in fen: the integer part, the fraction, zero padding.
    let padding = std::iter::repeat_n(b'0', scale as usize - frac.len());
    let magnitude = int_part
        .bytes()
        .chain(frac.bytes())
        .chain(padding)
        .try_fold(0i128, |acc, b| acc.checked_mul(10)?.checked_add(i128::from(b - b'0')))
        .ok_or_else(overflow)?;
    let signed = if negative { -magnitude } else { magnitude };
    i64::try_from(signed).map(Fen).map_err(|_| overflow())
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn code<T>(r: Result<T, IdError>) -> &'static str {
        r.err().map_or("ok", |e| e.code)
    }

    #[test]
    fn wan_yuan_vectors() {
        assert_eq!(Fen::from_wan_yuan_str("1.234567"), Ok(Fen(1_234_567)));
        assert_eq!(Fen::from_wan_yuan_str("1"), Ok(Fen(1_000_000)));
        assert_eq!(Fen::from_wan_yuan_str("0.5"), Ok(Fen(500_000)));
        assert_eq!(Fen::from_wan_yuan_str("0.000001"), Ok(Fen(1)));
        assert_eq!(Fen::from_wan_yuan_str("-2.5"), Ok(Fen(-2_500_000)));
        assert_eq!(Fen::from_wan_yuan_str(" 20 "), Ok(Fen(20_000_000)));
        assert_eq!(Fen::from_wan_yuan_str("007.10"), Ok(Fen(7_100_000)));
        // 0.1 + 0.2 style float traps do not exist here.
        assert_eq!(Fen::from_wan_yuan_str("0.300000"), Ok(Fen(300_000)));
    }

    #[test]
    fn yuan_vectors() {
        assert_eq!(Fen::from_yuan_str("12.34"), Ok(Fen(1234)));
        assert_eq!(Fen::from_yuan_str("12.3"), Ok(Fen(1230)));
        assert_eq!(Fen::from_yuan_str("12"), Ok(Fen(1200)));
        assert_eq!(Fen::from_yuan_str("-0.05"), Ok(Fen(-5)));
        assert_eq!(Fen::from_yuan_str("-0"), Ok(Fen(0)));
        assert_eq!(Fen::from_yuan_str("92233720368547758.07"), Ok(Fen(i64::MAX)));
        assert_eq!(Fen::from_yuan_str("-92233720368547758.08"), Ok(Fen(i64::MIN)));
    }

    #[test]
    fn errors() {
        let format = ["", " ", "-", ".", "1.", ".5", "+1", "--1", "1-", "1.2.3", "1,000", "1e3", "一", "１２", "1 2", "- 1", "NaN"];
        for s in format {
            assert_eq!(code(Fen::from_yuan_str(s)), codes::MONEY_FORMAT, "{s:?}");
            assert_eq!(code(Fen::from_wan_yuan_str(s)), codes::MONEY_FORMAT, "{s:?}");
        }
        assert_eq!(code(Fen::from_yuan_str("12.345")), codes::MONEY_PRECISION);
        assert_eq!(code(Fen::from_yuan_str("12.340")), codes::MONEY_PRECISION);
        assert_eq!(code(Fen::from_wan_yuan_str("1.2345678")), codes::MONEY_PRECISION);
        assert_eq!(code(Fen::from_yuan_str("92233720368547758.08")), codes::MONEY_OVERFLOW);
        assert_eq!(code(Fen::from_yuan_str("-92233720368547758.09")), codes::MONEY_OVERFLOW);
        assert_eq!(code(Fen::from_wan_yuan_str("9223372036855")), codes::MONEY_OVERFLOW);
        assert_eq!(code(Fen::from_yuan_str(&"9".repeat(200))), codes::MONEY_OVERFLOW);
    }

    #[test]
    fn display() {
        assert_eq!(Fen(1234).to_string(), "12.34");
        assert_eq!(Fen(5).to_string(), "0.05");
        assert_eq!(Fen(-5).to_string(), "-0.05");
        assert_eq!(Fen(0).to_string(), "0.00");
        assert_eq!(Fen(-120_000).to_string(), "-1200.00");
        assert_eq!(Fen(i64::MIN).to_string(), "-92233720368547758.08");
        assert_eq!(Fen(1_234_567).to_wan_yuan_string(), "1.234567");
        assert_eq!(Fen(1_234_500).to_wan_yuan_string(), "1.2345");
        assert_eq!(Fen(1_000_000).to_wan_yuan_string(), "1");
        assert_eq!(Fen(0).to_wan_yuan_string(), "0");
        assert_eq!(Fen(5).to_wan_yuan_string(), "0.000005");
        assert_eq!(Fen(-20_000_000).to_wan_yuan_string(), "-20");
    }

    #[test]
    fn arithmetic_and_serde() {
        assert_eq!(Fen(1).checked_add(Fen(2)), Some(Fen(3)));
        assert_eq!(Fen(i64::MAX).checked_add(Fen(1)), None);
        assert_eq!(Fen(i64::MIN).checked_sub(Fen(1)), None);
        assert_eq!(serde_json::to_string(&Fen(1234)).unwrap(), "1234");
        assert_eq!(serde_json::from_str::<Fen>("-5").unwrap(), Fen(-5));
    }

    proptest! {
        #[test]
        fn display_round_trips(n in any::<i64>()) {
            prop_assert_eq!(Fen::from_yuan_str(&Fen(n).to_string()), Ok(Fen(n)));
            prop_assert_eq!(Fen::from_wan_yuan_str(&Fen(n).to_wan_yuan_string()), Ok(Fen(n)));
        }

        #[test]
        fn wan_yuan_is_exact(int in 0i64..1_000_000_000, frac in 0i64..1_000_000) {
            let s = format!("{int}.{frac:06}");
            prop_assert_eq!(Fen::from_wan_yuan_str(&s), Ok(Fen(int * 1_000_000 + frac)));
        }

        #[test]
        fn arbitrary_strings_never_panic(s in any::<String>()) {
            let _ = Fen::from_yuan_str(&s);
            let _ = Fen::from_wan_yuan_str(&s);
        }

        #[test]
        fn numeric_looking_strings_never_panic(s in "-?[0-9]{0,40}(\\.[0-9]{0,10})?|[-+.0-9元😀]{0,50}") {
            let _ = Fen::from_yuan_str(&s);
            let _ = Fen::from_wan_yuan_str(&s);
        }
    }
}
