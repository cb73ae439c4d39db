//! 日期 Dates as departments send them: `YYYY/MM/DD`, `YYYY-MM-DD`, `YYYYMMDD`,
//! `YYYY年M月D日`, and Excel serial numbers. `2099/12/31` means 长期 (long-term) in the
//! 双公示 standard's 有效期至.

use chrono::{Days, NaiveDate};

/// The date the standard uses for "long-term" (长期).
pub fn long_term() -> NaiveDate {
    NaiveDate::from_ymd_opt(2099, 12, 31).unwrap_or(NaiveDate::MAX)
}

/// Parse one date; `None` when it is not a real calendar date in an accepted form.
pub fn parse(raw: &str) -> Option<NaiveDate> {
    let s = raw.trim();
    if s.is_empty() {
        return None;
    }
    if s == "长期" {
        return Some(long_term());
    }
    // An Excel serial day number (1900 date system). Only five digits (1927-05-18 to
    // 2173-10-14): shorter numbers are more likely a bare year or a typo than a date.
    if s.len() == 5 && s.bytes().all(|b| b.is_ascii_digit()) {
        let n: u64 = s.parse().ok()?;
        return NaiveDate::from_ymd_opt(1899, 12, 30)?.checked_add_days(Days::new(n));
    }
    // A date-time: keep the date part.
    let s = s.split([' ', 'T']).next().unwrap_or(s);
    let digits: String = s.chars().filter(char::is_ascii_digit).collect();
    let parts: Vec<&str> = s.split(['/', '-', '.', '年', '月', '日']).filter(|p| !p.is_empty()).collect();
    let (y, m, d) = if parts.len() == 3 {
        (parts[0].parse().ok()?, parts[1].parse().ok()?, parts[2].parse().ok()?)
    } else if parts.len() == 1 && digits.len() == 8 && digits == s {
        (digits[0..4].parse().ok()?, digits[4..6].parse().ok()?, digits[6..8].parse().ok()?)
    } else {
        return None;
    };
    if !(1900..=2099).contains(&y) {
        return None;
    }
    NaiveDate::from_ymd_opt(y, m, d)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, dd: u32) -> Option<NaiveDate> {
        NaiveDate::from_ymd_opt(y, m, dd)
    }

    #[test]
    fn the_forms_departments_send() {
        assert_eq!(parse("2024/03/05"), d(2024, 3, 5));
        assert_eq!(parse("2024-3-5"), d(2024, 3, 5));
        assert_eq!(parse("20240305"), d(2024, 3, 5));
        assert_eq!(parse("2024年3月5日"), d(2024, 3, 5));
        assert_eq!(parse("2024-03-05 10:30:00"), d(2024, 3, 5));
        assert_eq!(parse(" 2099/12/31 "), d(2099, 12, 31));
        assert_eq!(parse("长期"), d(2099, 12, 31));
        // Excel serial days: 45356 is 2024-03-05; a bare year is not a serial.
        assert_eq!(parse("45356"), d(2024, 3, 5));
        assert_eq!(parse("2024"), None);
        assert_eq!(parse("60"), None);
        for bad in ["", "2024/13/45", "2023/02/29", "yesterday", "24/03/05", "2024/03", "3000-01-01", "99999999"] {
            assert_eq!(parse(bad), None, "{bad}");
        }
    }

    proptest::proptest! {
        #[test]
        fn never_panics(s in "\\PC{0,40}") {
            let _ = parse(&s);
        }

        #[test]
        fn round_trips_every_real_date(days in 0u64..73_000) {
            let date = NaiveDate::from_ymd_opt(1900, 1, 1).unwrap().checked_add_days(Days::new(days)).unwrap();
            for s in [date.format("%Y/%m/%d").to_string(), date.format("%Y-%m-%d").to_string(), date.format("%Y%m%d").to_string()] {
                proptest::prop_assert_eq!(parse(&s), Some(date));
            }
        }
    }
}
