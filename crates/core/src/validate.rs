//! One-value validation for the `qingfeng validate` CLI and similar batch checks.

use std::fmt;
use std::str::FromStr;

use crate::division::DivisionCode;
use crate::error::{IdError, codes};
use crate::resident_id::ResidentId;
use crate::uscc::Uscc;

/// What kind of identifier to validate.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Kind {
    /// 统一社会信用代码 unified social credit code.
    Uscc,
    /// 公民身份号码 resident ID number.
    Id,
    /// 行政区划代码 administrative division code.
    Division,
}

impl Kind {
    /// All kinds, in CLI order.
    pub const ALL: [Kind; 3] = [Kind::Uscc, Kind::Id, Kind::Division];

    /// CLI name: `uscc`, `id` or `division`.
    pub fn name(self) -> &'static str {
        match self {
            Kind::Uscc => "uscc",
            Kind::Id => "id",
            Kind::Division => "division",
        }
    }
}

impl fmt::Display for Kind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for Kind {
    type Err = IdError;

    /// Parses a CLI name (`uscc`, `id`, `division`).
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Kind::ALL
            .into_iter()
            .find(|k| k.name() == s)
            .ok_or_else(|| IdError::new(codes::VALIDATE_KIND, format!("未知的校验类型 {s:?}，应为 uscc、id 或 division")))
    }
}

/// Outcome of validating one value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verdict {
    /// Valid.
    Ok,
    /// Accepted with a caveat (lenient USCC check-character mismatch).
    OkWithWarning {
        /// Stable machine code.
        code: &'static str,
        /// Explanation in Chinese.
        message: String,
    },
    /// Rejected.
    Error {
        /// Stable machine code.
        code: &'static str,
        /// Explanation in Chinese.
        message: String,
    },
}

impl Verdict {
    /// Whether the value was accepted (with or without warning).
    pub fn is_accepted(&self) -> bool {
        !matches!(self, Verdict::Error { .. })
    }

    /// One output line, tab-separated, without a trailing newline; `value` is echoed as given:
    /// `VALUE\tok`, `VALUE\twarning\tCODE\t说明` or `VALUE\terror\tCODE\t说明`.
    pub fn to_line(&self, value: &str) -> String {
        match self {
            Verdict::Ok => format!("{value}\tok"),
            Verdict::OkWithWarning { code, message } => {
                format!("{value}\twarning\t{code}\t{message}")
            }
            Verdict::Error { code, message } => format!("{value}\terror\t{code}\t{message}"),
        }
    }
}

impl From<IdError> for Verdict {
    fn from(e: IdError) -> Self {
        Verdict::Error { code: e.code, message: e.message }
    }
}

/// Validates `value` as `kind`. `lenient` only affects USCCs: check-character mismatches
/// become a warning (several warnings are joined with `；`, they share one code).
pub fn validate(kind: Kind, value: &str, lenient: bool) -> Verdict {
    let result = match kind {
        Kind::Uscc if lenient => Uscc::parse_lenient(value).map(|(_, warnings)| warnings),
        Kind::Uscc => Uscc::parse(value).map(|_| Vec::new()),
        Kind::Id => ResidentId::parse(value).map(|_| Vec::new()),
        Kind::Division => DivisionCode::parse(value).map(|_| Vec::new()),
    };
    match result {
        Err(e) => e.into(),
        Ok(warnings) => match warnings.first() {
            None => Verdict::Ok,
            Some(first) => Verdict::OkWithWarning {
                code: first.code,
                message: warnings.iter().map(|w| w.message.as_str()).collect::<Vec<_>>().join("；"),
            },
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn lines() {
        assert_eq!(validate(Kind::Uscc, "91410922MA40AB121G", false).to_line("91410922MA40AB121G"), "91410922MA40AB121G\tok");
        assert_eq!(validate(Kind::Id, "410922195001010013", false).to_line("410922195001010013"), "410922195001010013\tok");
        assert_eq!(validate(Kind::Division, "410922", false).to_line("410922"), "410922\tok");
        assert_eq!(
            validate(Kind::Id, "410922195001010014", false).to_line("410922195001010014"),
            "410922195001010014\terror\tid.check_digit\t公民身份号码校验码错误：第18位应为 3，实际为 4"
        );
        assert_eq!(
            validate(Kind::Uscc, "91350100M0001TGQXM", true).to_line("91350100M0001TGQXM"),
            "91350100M0001TGQXM\twarning\tcheck_digit_mismatch\t统一社会信用代码校验码错误：第18位应为 1，实际为 M"
        );
        let strict = validate(Kind::Uscc, "91350100M0001TGQXM", false);
        assert!(strict.to_line("91350100M0001TGQXM").starts_with("91350100M0001TGQXM\terror\tuscc.check_digit\t"));
        assert!(!strict.is_accepted());
    }

    #[test]
    fn lenient_joins_both_warnings() {
        let verdict = validate(Kind::Uscc, "91310115MA1H8R7C6D", true);
        let Verdict::OkWithWarning { code, message } = &verdict else {
            panic!("{verdict:?}");
        };
        assert_eq!(*code, codes::CHECK_DIGIT_MISMATCH);
        assert_eq!(message.matches('；').count(), 1, "{message}");
        assert!(verdict.is_accepted());
        // Lenient does not relax other kinds or structural errors.
        assert!(matches!(validate(Kind::Uscc, "9141A922MA40AB121G", true), Verdict::Error { code: codes::USCC_DIVISION, .. }));
        assert!(matches!(validate(Kind::Id, "410922195001010014", true), Verdict::Error { code: codes::ID_CHECK_DIGIT, .. }));
    }

    #[test]
    fn kind_names() {
        for kind in Kind::ALL {
            assert_eq!(kind.name().parse::<Kind>(), Ok(kind));
        }
        assert_eq!("org".parse::<Kind>().unwrap_err().code, codes::VALIDATE_KIND);
    }

    proptest! {
        #[test]
        fn lines_are_single_lines_with_known_shape(s in "[0-9A-Za-z]{0,20}|\\PC{0,30}", lenient in any::<bool>()) {
            for kind in Kind::ALL {
                let line = validate(kind, &s, lenient).to_line(&s);
                let rest = line.strip_prefix(s.as_str()).unwrap();
                let fields: Vec<&str> = rest.split('\t').collect();
                prop_assert!(matches!(fields[..], ["", "ok"] | ["", "warning", _, _] | ["", "error", _, _]), "{:?}", line);
            }
        }
    }
}
