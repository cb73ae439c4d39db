//! 期限 statutory deadlines: the one deadline calculator every module uses.
//!
//! # Time zone
//!
//! Statutory deadlines are local dates in Asia/Shanghai. China Standard Time is a fixed
//! UTC+8 offset: the People's Republic has observed no daylight saving time since 1991,
//! so [`CHINA_STANDARD_TIME`] is a [`FixedOffset`] and no time-zone database is needed.
//!
//! # Conventions (民法典 第201–204条)
//!
//! * **Start**: 开始的当日不计入，自下一日开始计算 (第201条) — the day of the start event
//!   (in local time) is not counted; counting starts the next day.
//! * **End**: 期间的最后一日的截止时间为二十四时 (第203条) — a day-based deadline ends at
//!   24:00 local time of its last day. [`Deadline::due_at`] is that instant as an
//!   **exclusive** end: 00:00 (UTC+8) of the day after the last day. Overdue means
//!   `now >= due_at`.
//! * **Extension**: 期间的最后一日是法定休假日的，以法定休假日结束的次日为期间的最后一日
//!   (第203条). Applied to [`Period::NaturalDays`], [`Period::Months`] and
//!   [`Period::Years`] (all periods of the 民法典): if the last day is not a working day
//!   on the calendar — a public holiday or an ordinary weekend, which 法定休假日 also
//!   covers — the period ends on the first working day after it. A 调休 make-up working
//!   day that falls on a weekend counts as a working day and is not extended.
//! * **Months / years**: 到期月的对应日为期间的最后一日；没有对应日的，为到期月的末日
//!   (第202条): 31 January + 1 month = 28/29 February.
//! * **Working days**: 行政许可法 第82条 / 行政处罚法 第85条 — 期限以工作日计算，不含法定
//!   节假日; counted on the [`HolidayCalendar`] with make-up days; the result is always a
//!   working day and needs no extension.
//! * **Hours**: plain elapsed hours after the start instant; no local date, no extension.
//!
//! The clock is always passed in; nothing here reads the system time.

use std::fmt;

use chrono::{DateTime, Days, FixedOffset, Months, NaiveDate, NaiveTime, TimeDelta, Utc};
use serde::{Deserialize, Serialize};

use crate::calendar::HolidayCalendar;

/// 北京时间 China Standard Time, UTC+8 (no DST since 1991).
pub const CHINA_STANDARD_TIME: FixedOffset = match FixedOffset::east_opt(8 * 3600) {
    Some(offset) => offset,
    None => panic!("UTC+8 is a valid offset"),
};

/// 期间 a statutory period.
///
/// Serialised as `{"unit": "working_days", "value": 20}`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "unit", content = "value", rename_all = "snake_case")]
pub enum Period {
    /// 日 natural (calendar) days; extended past a final holiday/weekend (民法典 第203条).
    NaturalDays(u32),
    /// 工作日 working days on the holiday calendar (行政许可法 第82条, 行政处罚法 第85条).
    WorkingDays(u32),
    /// 小时 hours of elapsed time.
    Hours(u32),
    /// 月 months (民法典 第202条), extended like natural days.
    Months(u32),
    /// 年 years (民法典 第202条), extended like natural days.
    Years(u32),
}

impl fmt::Display for Period {
    /// Chinese wording, e.g. `20个工作日`, `15日`, `48小时`, `3个月`, `1年`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Period::NaturalDays(n) => write!(f, "{n}日"),
            Period::WorkingDays(n) => write!(f, "{n}个工作日"),
            Period::Hours(n) => write!(f, "{n}小时"),
            Period::Months(n) => write!(f, "{n}个月"),
            Period::Years(n) => write!(f, "{n}年"),
        }
    }
}

/// 到期时间 a computed deadline.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Deadline {
    /// The last local (UTC+8) day of the period, after any holiday extension;
    /// `None` for [`Period::Hours`].
    pub due_local_date: Option<NaiveDate>,
    /// Exclusive end: the first instant at which the deadline has passed. For day-based
    /// periods, 00:00 UTC+8 of the day after `due_local_date`.
    pub due_at: DateTime<Utc>,
}

/// Where a deadline stands at a given instant.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DeadlineStatus {
    /// 正常 more than the warning window left.
    OnTime,
    /// 即将到期 within the warning window, not yet due.
    DueSoon,
    /// 已逾期 `now >= due_at`.
    Overdue,
}

impl DeadlineStatus {
    /// Chinese name: `正常`, `即将到期` or `已逾期`.
    pub fn zh_name(self) -> &'static str {
        match self {
            DeadlineStatus::OnTime => "正常",
            DeadlineStatus::DueSoon => "即将到期",
            DeadlineStatus::Overdue => "已逾期",
        }
    }
}

impl Deadline {
    /// Whether the deadline has passed: `now >= due_at`.
    pub fn is_overdue(&self, now: DateTime<Utc>) -> bool {
        now >= self.due_at
    }

    /// Time left until `due_at`; negative once overdue.
    pub fn remaining(&self, now: DateTime<Utc>) -> TimeDelta {
        self.due_at.signed_duration_since(now)
    }

    /// [`DeadlineStatus::Overdue`] if `now >= due_at`, [`DeadlineStatus::DueSoon`] if at
    /// most `warn_within` is left, else [`DeadlineStatus::OnTime`].
    pub fn status(&self, now: DateTime<Utc>, warn_within: TimeDelta) -> DeadlineStatus {
        if self.is_overdue(now) {
            DeadlineStatus::Overdue
        } else if self.remaining(now) <= warn_within {
            DeadlineStatus::DueSoon
        } else {
            DeadlineStatus::OnTime
        }
    }
}

/// Computes the deadline of `period` started by an event at `start`, following the
/// module's conventions. Results beyond chrono's range saturate to
/// [`DateTime::<Utc>::MAX_UTC`] ("never due").
pub fn due_date(start: DateTime<Utc>, period: Period, cal: &HolidayCalendar) -> Deadline {
    match period {
        Period::Hours(hours) => Deadline {
            due_local_date: None,
            due_at: start.checked_add_signed(TimeDelta::hours(i64::from(hours))).unwrap_or(DateTime::<Utc>::MAX_UTC),
        },
        _ => {
            let last_day = last_local_day(start, period, cal).unwrap_or(NaiveDate::MAX);
            Deadline { due_local_date: Some(last_day), due_at: start_of_next_local_day(last_day) }
        }
    }
}

/// The last local day of a day-based period; `None` beyond chrono's range
/// (and for [`Period::Hours`], which has no local day).
fn last_local_day(start: DateTime<Utc>, period: Period, cal: &HolidayCalendar) -> Option<NaiveDate> {
    // Checked: the local date exceeds chrono's range in the last 8 hours of it.
    let start_day = start.naive_utc().checked_add_offset(CHINA_STANDARD_TIME)?.date();
    // 民法典 第203条 extension: the first working day on or after the raw last day.
    let extend = |day: NaiveDate| cal.add_working_days(day, 0);
    match period {
        Period::WorkingDays(n) => Some(cal.add_working_days(start_day, n)),
        Period::NaturalDays(n) => start_day.checked_add_days(Days::new(u64::from(n))).map(extend),
        Period::Months(n) => start_day.checked_add_months(Months::new(n)).map(extend),
        Period::Years(n) => start_day.checked_add_months(Months::new(n.checked_mul(12)?)).map(extend),
        Period::Hours(_) => None,
    }
}

/// 00:00 UTC+8 of the day after `date`, in UTC; saturates at the end of chrono's range.
fn start_of_next_local_day(date: NaiveDate) -> DateTime<Utc> {
    date.succ_opt()
        .and_then(|next| next.and_time(NaiveTime::MIN).and_local_timezone(CHINA_STANDARD_TIME).single())
        .map_or(DateTime::<Utc>::MAX_UTC, |local| local.with_timezone(&Utc))
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{Datelike, TimeZone};
    use proptest::prelude::*;

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    fn utc(y: i32, mo: u32, d: u32, h: u32, mi: u32, s: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(y, mo, d, h, mi, s).unwrap()
    }

    /// Start at `h:mi` local (UTC+8) time on the given day.
    fn local(y: i32, mo: u32, d: u32, h: u32, mi: u32) -> DateTime<Utc> {
        CHINA_STANDARD_TIME.with_ymd_and_hms(y, mo, d, h, mi, 0).unwrap().with_timezone(&Utc)
    }

    fn due(start: DateTime<Utc>, period: Period) -> Deadline {
        due_date(start, period, &HolidayCalendar::builtin())
    }

    fn due_day(start: DateTime<Utc>, period: Period) -> NaiveDate {
        due(start, period).due_local_date.unwrap()
    }

    #[test]
    fn working_days_permit_example() {
        // 行政许可 20 working days, application Fri 2024-09-20 10:00 local (02:00Z).
        // Count: 09-23..27 (5), Sun 09-29 make-up (6), 09-30 (7), 10-01..07 holiday,
        // 10-08..11 (11), Sat 10-12 make-up (12), 10-14..18 (17), 10-21..23 (20).
        // Last day Wed 2024-10-23; exclusive end 2024-10-24 00:00 +08 = 2024-10-23 16:00Z.
        let d = due(local(2024, 9, 20, 10, 0), Period::WorkingDays(20));
        assert_eq!(d.due_local_date, Some(date(2024, 10, 23)));
        assert_eq!(d.due_at, utc(2024, 10, 23, 16, 0, 0));
    }

    #[test]
    fn natural_days_extend_past_holidays() {
        // 7 days from Tue 2024-09-24: raw last day Tue 10-01 (国庆), holidays to 10-07,
        // so the last day is Tue 2024-10-08.
        assert_eq!(due_day(local(2024, 9, 24, 9, 0), Period::NaturalDays(7)), date(2024, 10, 8));
        // 15 days from Thu 2024-02-01: raw 02-16 (春节, Fri), 02-17 holiday (Sat),
        // 02-18 is a make-up working Sunday → last day 2024-02-18.
        assert_eq!(due_day(local(2024, 2, 1, 9, 0), Period::NaturalDays(15)), date(2024, 2, 18));
        // 3 days from Mon 2025-12-29: raw 2026-01-01 (元旦), 01-02, 01-03 holidays,
        // 01-04 make-up Sunday → 2026-01-04.
        assert_eq!(due_day(local(2025, 12, 29, 9, 0), Period::NaturalDays(3)), date(2026, 1, 4));
        // Ordinary weekend: 5 days from Mon 2024-03-04 → Sat 03-09 → Mon 03-11.
        assert_eq!(due_day(local(2024, 3, 4, 9, 0), Period::NaturalDays(5)), date(2024, 3, 11));
        // Working last day, no extension: 10 days from Mon 2024-03-04 → Thu 03-14.
        assert_eq!(due_day(local(2024, 3, 4, 9, 0), Period::NaturalDays(10)), date(2024, 3, 14));
    }

    #[test]
    fn months_and_years_use_corresponding_or_last_day() {
        // 2024-01-31 + 1 month → 2024-02-29 (Thu, leap year, working).
        assert_eq!(due_day(local(2024, 1, 31, 9, 0), Period::Months(1)), date(2024, 2, 29));
        // 2023-01-31 + 1 month → 2023-02-28 (Tue).
        assert_eq!(due_day(local(2023, 1, 31, 9, 0), Period::Months(1)), date(2023, 2, 28));
        // 2024-07-31 + 2 months → 2024-09-30 (Mon).
        assert_eq!(due_day(local(2024, 7, 31, 9, 0), Period::Months(2)), date(2024, 9, 30));
        // 2024-09-01 + 1 month → 2024-10-01 (国庆) → extended to 2024-10-08.
        assert_eq!(due_day(local(2024, 9, 1, 9, 0), Period::Months(1)), date(2024, 10, 8));
        // 2024-02-29 + 1 year → 2025-02-28 (Fri).
        assert_eq!(due_day(local(2024, 2, 29, 9, 0), Period::Years(1)), date(2025, 2, 28));
        // 2023-05-06 + 3 years → 2026-05-06 (Wed, after 劳动节 05-01..05).
        assert_eq!(due_day(local(2023, 5, 6, 9, 0), Period::Years(3)), date(2026, 5, 6));
    }

    #[test]
    fn local_date_of_start_decides() {
        // 2024-09-29T15:59:59Z is Sun 09-29 23:59:59 local (a make-up working day):
        // 1 working day later is Mon 09-30.
        assert_eq!(due_day(utc(2024, 9, 29, 15, 59, 59), Period::WorkingDays(1)), date(2024, 9, 30));
        // One second later it is Mon 09-30 00:00 local: next working day is Tue 10-08.
        assert_eq!(due_day(utc(2024, 9, 29, 16, 0, 0), Period::WorkingDays(1)), date(2024, 10, 8));
    }

    #[test]
    fn working_days_zero_is_first_working_day_on_or_after() {
        assert_eq!(due_day(local(2024, 3, 9, 9, 0), Period::WorkingDays(0)), date(2024, 3, 11));
        assert_eq!(due_day(local(2024, 3, 11, 9, 0), Period::WorkingDays(0)), date(2024, 3, 11));
    }

    #[test]
    fn hours_are_plain_elapsed_time() {
        // 48 hours from 2024-10-01T00:00Z: holidays do not matter → 2024-10-03T00:00Z.
        let d = due(utc(2024, 10, 1, 0, 0, 0), Period::Hours(48));
        assert_eq!(d.due_local_date, None);
        assert_eq!(d.due_at, utc(2024, 10, 3, 0, 0, 0));
    }

    #[test]
    fn overdue_and_status() {
        // Last day 2024-10-23 → due_at 2024-10-23T16:00Z (exclusive).
        let d = due(local(2024, 9, 20, 10, 0), Period::WorkingDays(20));
        let due_at = utc(2024, 10, 23, 16, 0, 0);
        let warn = TimeDelta::days(3);
        let second = TimeDelta::seconds(1);
        // 23:59:59 local on the last day is still in time.
        assert!(!d.is_overdue(due_at - second));
        assert!(d.is_overdue(due_at));
        assert_eq!(d.remaining(due_at - second), second);
        assert_eq!(d.remaining(due_at + second), -second);
        assert_eq!(d.status(due_at - warn - second, warn), DeadlineStatus::OnTime);
        assert_eq!(d.status(due_at - warn, warn), DeadlineStatus::DueSoon);
        assert_eq!(d.status(due_at - second, warn), DeadlineStatus::DueSoon);
        assert_eq!(d.status(due_at, warn), DeadlineStatus::Overdue);
        assert_eq!(DeadlineStatus::Overdue.zh_name(), "已逾期");
    }

    #[test]
    fn serde_and_display() {
        let p = Period::WorkingDays(20);
        let json = serde_json::to_string(&p).unwrap();
        assert_eq!(json, r#"{"unit":"working_days","value":20}"#);
        assert_eq!(serde_json::from_str::<Period>(&json).unwrap(), p);
        assert_eq!(serde_json::from_str::<Period>(r#"{"unit":"natural_days","value":30}"#).unwrap(), Period::NaturalDays(30));
        assert_eq!(p.to_string(), "20个工作日");
        assert_eq!(Period::NaturalDays(15).to_string(), "15日");
        assert_eq!(Period::Hours(48).to_string(), "48小时");
        assert_eq!(Period::Months(3).to_string(), "3个月");
        assert_eq!(Period::Years(1).to_string(), "1年");
        let d = due(local(2024, 9, 20, 10, 0), p);
        let back: Deadline = serde_json::from_str(&serde_json::to_string(&d).unwrap()).unwrap();
        assert_eq!(back, d);
    }

    #[test]
    fn extremes_saturate() {
        let start = utc(2024, 1, 1, 0, 0, 0);
        for period in [Period::NaturalDays(u32::MAX), Period::WorkingDays(u32::MAX), Period::Months(u32::MAX), Period::Years(u32::MAX)] {
            assert_eq!(due(start, period).due_at, DateTime::<Utc>::MAX_UTC, "{period:?}");
        }
        let d = due(DateTime::<Utc>::MAX_UTC, Period::Hours(1));
        assert_eq!(d.due_at, DateTime::<Utc>::MAX_UTC);
    }

    fn any_period() -> impl Strategy<Value = Period> {
        prop_oneof![
            any::<u32>().prop_map(Period::NaturalDays),
            any::<u32>().prop_map(Period::WorkingDays),
            any::<u32>().prop_map(Period::Hours),
            any::<u32>().prop_map(Period::Months),
            any::<u32>().prop_map(Period::Years),
            (0u32..400).prop_map(Period::NaturalDays),
            (0u32..400).prop_map(Period::WorkingDays),
            (0u32..40).prop_map(Period::Months),
        ]
    }

    fn any_instant() -> impl Strategy<Value = DateTime<Utc>> {
        let min = DateTime::<Utc>::MIN_UTC.timestamp();
        let max = DateTime::<Utc>::MAX_UTC.timestamp();
        let near = utc(2023, 1, 1, 0, 0, 0).timestamp();
        prop_oneof![min..=max, near..near + 5 * 366 * 86_400].prop_map(|secs| DateTime::<Utc>::from_timestamp(secs, 0).unwrap())
    }

    proptest! {
        #[test]
        fn never_panics_and_never_early(start in any_instant(), period in any_period()) {
            let cal = HolidayCalendar::builtin();
            let d = due_date(start, period, &cal);
            prop_assert!(d.due_at >= start);
            if let Some(last) = d.due_local_date {
                prop_assert!(cal.is_working_day(last) || last == NaiveDate::MAX);
            }
        }

        #[test]
        fn day_periods_end_at_local_midnight(start in any_instant(), n in 0u32..400) {
            let cal = HolidayCalendar::builtin();
            prop_assume!(start.year() > -200_000 && start.year() < 200_000);
            for period in [Period::NaturalDays(n), Period::WorkingDays(n)] {
                let d = due_date(start, period, &cal);
                let last = d.due_local_date.unwrap();
                let local_end = d.due_at.with_timezone(&CHINA_STANDARD_TIME);
                prop_assert_eq!(local_end.date_naive(), last.succ_opt().unwrap());
                prop_assert_eq!(local_end.time(), NaiveTime::MIN);
                prop_assert!(last >= start.with_timezone(&CHINA_STANDARD_TIME).date_naive());
            }
        }
    }
}
