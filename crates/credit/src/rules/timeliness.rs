//! 双公示时效 Timeliness of 双公示: a permit or penalty decision is to be published
//! within 7 working days of the decision (the 双公示 requirement as the credit issue
//! states it [S]; kept as a constant here until a regime table is needed). Working days
//! come from the platform's holiday calendar (调休 included).

use chrono::NaiveDate;
use qingfeng_core::HolidayCalendar;

/// Working days a department has to send a decision.
pub const WORKING_DAYS: u32 = 7;

/// The last day a decision of `decision` may arrive and still count as on time.
pub fn deadline(decision: NaiveDate, cal: &HolidayCalendar) -> NaiveDate {
    cal.add_working_days(decision, WORKING_DAYS)
}

/// Did a decision of `decision` that arrived on `received` arrive on time?
pub fn on_time(decision: NaiveDate, received: NaiveDate, cal: &HolidayCalendar) -> bool {
    received <= deadline(decision, cal)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn seven_working_days_on_the_holiday_calendar() {
        let cal = HolidayCalendar::builtin();
        // Monday 2025-03-03 + 7 working days = Wednesday 2025-03-12.
        assert_eq!(deadline(d("2025-03-03"), &cal), d("2025-03-12"));
        assert!(on_time(d("2025-03-03"), d("2025-03-12"), &cal));
        assert!(!on_time(d("2025-03-03"), d("2025-03-13"), &cal));
        // Across 国庆 2025 (10-01…10-08 off, 09-28 and 10-11 make-up working days): from
        // Friday 09-26 the working days are 09-28 (Sunday worked), 09-29, 09-30, 10-09,
        // 10-10, 10-11 (Saturday worked) and Monday 10-13.
        assert_eq!(deadline(d("2025-09-26"), &cal), d("2025-10-13"));
    }
}
