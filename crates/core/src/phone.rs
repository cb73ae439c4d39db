//! 电话号码 Telephone numbers as people give them on forms: mainland mobile numbers
//! (11 digits starting `1[3-9]`, the numbering plan of the MIIT 电信网码号资源) and fixed
//! lines with their area code (`0393-7221234`, `03937221234`). Parsed once at the edge
//! and kept normalised (digits only, area code and number joined by `-`).

use crate::error::{IdError, codes};

/// A checked telephone number.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Phone(String);

impl Phone {
    /// Parse a number; spaces, `-` and a leading `+86`/`86` country code are accepted.
    pub fn parse(raw: &str) -> Result<Phone, IdError> {
        let trimmed = raw.trim();
        if trimmed.is_empty() {
            return Err(IdError::new(codes::PHONE_FORMAT, "请填写电话号码"));
        }
        let mut digits: String = trimmed.chars().filter(|c| !matches!(c, ' ' | '-' | '(' | ')' | '（' | '）')).collect();
        if let Some(rest) = digits.strip_prefix("+86").or_else(|| digits.strip_prefix("0086")) {
            digits = rest.to_string();
        } else if digits.len() == 13 && digits.starts_with("861") {
            digits = digits[2..].to_string();
        }
        if !digits.chars().all(|c| c.is_ascii_digit()) {
            return Err(IdError::new(codes::PHONE_FORMAT, format!("电话号码“{trimmed}”只能包含数字")));
        }
        let b = digits.as_bytes();
        if b.len() == 11 && b[0] == b'1' && (b'3'..=b'9').contains(&b[1]) {
            return Ok(Phone(digits));
        }
        // Fixed line: 0 + area code (2–3 more digits) + 7–8 digit number. Area codes of
        // two digits after the 0 are the large cities (010, 02x); all others have three.
        if b.first() == Some(&b'0') {
            let area_len = if b.get(1) == Some(&b'1') || b.get(1) == Some(&b'2') { 3 } else { 4 };
            let local = b.len().saturating_sub(area_len);
            if b.len() > area_len && (7..=8).contains(&local) && b[area_len] != b'0' {
                return Ok(Phone(format!("{}-{}", &digits[..area_len], &digits[area_len..])));
            }
        }
        Err(IdError::new(
            codes::PHONE_FORMAT,
            format!("“{trimmed}”不是有效的电话号码：手机号为1开头的11位数字，座机须带区号（如0393-7221234）"),
        ))
    }

    /// The normalised number: `13812345678` or `0393-7221234`.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Masked for display: `138****5678`, `0393-****234`.
    pub fn masked(&self) -> String {
        let s = &self.0;
        match s.split_once('-') {
            Some((area, local)) => format!("{area}-{}{}", "*".repeat(local.len() - 3), &local[local.len() - 3..]),
            None => format!("{}****{}", &s[..3], &s[7..]),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mobiles_and_fixed_lines_normalise_and_mask() {
        for (raw, norm, masked) in [
            ("138 1234 5678", "13812345678", "138****5678"),
            ("+86 199-0000-1111", "19900001111", "199****1111"),
            ("8613912345678", "13912345678", "139****5678"),
            ("0393-7221234", "0393-7221234", "0393-****234"),
            ("03937221234", "0393-7221234", "0393-****234"),
            ("010-12345678", "010-12345678", "010-*****678"),
        ] {
            let p = Phone::parse(raw).unwrap_or_else(|e| panic!("{raw}: {e}"));
            assert_eq!((p.as_str(), p.masked().as_str()), (norm, masked), "{raw}");
        }
        for bad in ["", "12812345678", "1381234567", "138123456789", "0393-0221234", "abc", "0393-12345"] {
            let e = Phone::parse(bad).unwrap_err();
            assert_eq!(e.code, codes::PHONE_FORMAT, "{bad}");
            assert!(!e.message.is_empty());
        }
    }
}
