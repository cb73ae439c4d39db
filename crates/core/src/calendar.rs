//! 工作日 working-day calendar, kept as data.
//!
//! A day is a **working day** when it is Monday–Friday and not listed as a holiday, or
//! when it is listed as a 调休 make-up working day (`workday`), whatever its weekday.
//! Holidays and make-up days come from the State Council General Office's annual notice
//! (国务院办公厅关于20XX年部分节假日安排的通知), shipped for 2023–2026 in
//! `data/cn_holidays_2023_2026.csv` and extendable at run time with
//! [`HolidayCalendar::merge`]. Outside the listed years only the weekday rule applies;
//! check [`HolidayCalendar::covers`] before relying on a far-future date.

use std::collections::BTreeMap;
use std::collections::btree_map::Entry;
use std::ops::Bound::{Excluded, Included, Unbounded};

use chrono::{Datelike, Days, NaiveDate};
use serde::{Deserialize, Serialize};

use crate::error::codes;

const BUILTIN_CSV: &str = include_str!("../data/cn_holidays_2023_2026.csv");
const HEADER: &str = "date,kind,name,source";

/// Kind of a listed day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DayKind {
    /// 法定节假日 public holiday (`holiday` in the CSV): no work, even on a weekday.
    Holiday,
    /// 调休上班 make-up working day (`workday` in the CSV): work, even on a weekend.
    Workday,
}

impl DayKind {
    /// Chinese name: `放假` or `调休上班`.
    pub fn zh_name(self) -> &'static str {
        match self {
            DayKind::Holiday => "放假",
            DayKind::Workday => "调休上班",
        }
    }
}

/// One listed day of the calendar.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CalendarDay {
    /// Holiday or make-up working day.
    pub kind: DayKind,
    /// Festival name, e.g. `春节`, `春节调休上班`.
    pub name: String,
    /// The notice the row comes from.
    pub source: String,
}

/// A rejected calendar CSV row, with its 1-based line number.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{code}: 第{line}行：{message}")]
pub struct CalendarError {
    /// 1-based line number in the CSV text.
    pub line: usize,
    /// Stable machine code (`calendar.*` in [`codes`]).
    pub code: &'static str,
    /// Explanation in Chinese.
    pub message: String,
}

/// 节假日日历 holiday calendar: public holidays and 调休 make-up working days by date.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct HolidayCalendar {
    days: BTreeMap<NaiveDate, CalendarDay>,
}

impl HolidayCalendar {
    /// The shipped 2023–2026 calendar (`data/cn_holidays_2023_2026.csv`).
    pub fn builtin() -> Self {
        // The shipped file is checked by a unit test; an empty calendar is never returned.
        Self::from_csv(BUILTIN_CSV).unwrap_or_default()
    }

    /// Parses CSV text with header `date,kind,name,source`.
    ///
    /// `date` is `YYYY-MM-DD`; `kind` is `holiday` or `workday`. Fields are split on the
    /// first three commas (no quoting; the `source` column may contain commas), trimmed;
    /// blank lines are skipped and a UTF-8 BOM is allowed. A date listed twice with the
    /// same kind is accepted once; with different kinds it is an error.
    pub fn from_csv(text: &str) -> Result<Self, CalendarError> {
        let mut lines = (1..).zip(text.lines()).filter(|(_, line)| !line.trim().is_empty());
        match lines.next() {
            Some((_, header)) if header.trim_start_matches('\u{feff}').trim() == HEADER => {}
            other => {
                return Err(CalendarError {
                    line: other.map_or(1, |(n, _)| n),
                    code: codes::CALENDAR_HEADER,
                    message: format!("表头应为 {HEADER}"),
                });
            }
        }
        let mut days = BTreeMap::new();
        let mut first_line = BTreeMap::new();
        for (line, row) in lines {
            let error = |code, message: String| CalendarError { line, code, message };
            let fields: Vec<&str> = row.splitn(4, ',').map(str::trim).collect();
            let [date, kind, name, source] = fields[..] else {
                return Err(error(codes::CALENDAR_COLUMNS, format!("应有4列（date,kind,name,source），实际为{}列", fields.len())));
            };
            let date: NaiveDate =
                date.parse().map_err(|_| error(codes::CALENDAR_DATE, format!("日期 {date:?} 无效，应为 YYYY-MM-DD 格式的真实日期")))?;
            let kind = match kind {
                "holiday" => DayKind::Holiday,
                "workday" => DayKind::Workday,
                _ => {
                    return Err(error(codes::CALENDAR_KIND, format!("类型 {kind:?} 无效，应为 holiday（放假）或 workday（调休上班）")));
                }
            };
            match days.entry(date) {
                Entry::Vacant(slot) => {
                    slot.insert(CalendarDay { kind, name: name.to_string(), source: source.to_string() });
                    first_line.insert(date, line);
                }
                Entry::Occupied(existing) if existing.get().kind != kind => {
                    return Err(error(
                        codes::CALENDAR_CONFLICT,
                        format!(
                            "日期 {date} 已在第{}行列为“{}”，与本行的“{}”冲突",
                            first_line.get(&date).copied().unwrap_or_default(),
                            existing.get().kind.zh_name(),
                            kind.zh_name()
                        ),
                    ));
                }
                Entry::Occupied(_) => {}
            }
        }
        Ok(Self { days })
    }

    /// Adds the days of `other` (e.g. a later year's notice loaded by an administrator).
    /// Where both list the same date, `other` wins: it is the newer data.
    pub fn merge(&mut self, other: HolidayCalendar) {
        self.days.extend(other.days);
    }

    /// Every listed day in date order (for storing or showing the calendar).
    pub fn days(&self) -> impl Iterator<Item = (NaiveDate, &CalendarDay)> {
        self.days.iter().map(|(d, day)| (*d, day))
    }

    /// The listed entry of `date`, if any.
    pub fn day(&self, date: NaiveDate) -> Option<&CalendarDay> {
        self.days.get(&date)
    }

    /// Years whose holiday notice is loaded, ascending.
    ///
    /// A year counts as covered when both fixed-date statutory holidays, 1 January (元旦)
    /// and 1 October (国庆节), are listed as holidays: every annual notice contains them,
    /// while the spill-over of a neighbouring notice (e.g. 2022-12-31 from the 2023
    /// notice) does not make a year covered.
    pub fn covered_years(&self) -> Vec<i32> {
        let mut years: Vec<i32> = self.days.keys().map(Datelike::year).collect();
        years.dedup();
        years.retain(|&year| {
            [(1, 1), (10, 1)].into_iter().all(|(month, day)| {
                NaiveDate::from_ymd_opt(year, month, day).and_then(|date| self.days.get(&date)).is_some_and(|d| d.kind == DayKind::Holiday)
            })
        });
        years
    }

    /// Whether `date` lies in a covered year (see [`HolidayCalendar::covered_years`]).
    pub fn covers(&self, date: NaiveDate) -> bool {
        self.covered_years().contains(&date.year())
    }

    /// Monday–Friday and not a listed holiday, or a listed make-up working day.
    pub fn is_working_day(&self, date: NaiveDate) -> bool {
        match self.days.get(&date) {
            Some(day) => day.kind == DayKind::Workday,
            None => is_weekday(date),
        }
    }

    /// The `n`-th working day **after** `start` (`start` itself is never counted for
    /// `n ≥ 1`). For `n = 0`: `start` itself if it is a working day, otherwise the next
    /// working day — i.e. "the first working day on or after `start`".
    ///
    /// Saturates at [`NaiveDate::MAX`] for results beyond chrono's range.
    pub fn add_working_days(&self, start: NaiveDate, n: u32) -> NaiveDate {
        if n == 0 && self.is_working_day(start) {
            return start;
        }
        let mut day = start;
        let mut remaining = n.max(1);
        loop {
            // Between listed dates every 7 consecutive days hold exactly 5 working days:
            // skip whole weeks that end before the next listed date, leaving at least one
            // working day to step to. Keeps far-away starts and huge `n` cheap.
            let gap =
                self.days.range((Excluded(day), Unbounded)).next().map(|(listed, _)| listed.signed_duration_since(day).num_days() - 1);
            let weeks = ((remaining - 1) / 5).min(gap.map_or(u32::MAX, |g| (g / 7) as u32));
            if weeks > 0 {
                let Some(later) = day.checked_add_days(Days::new(u64::from(weeks) * 7)) else {
                    return NaiveDate::MAX;
                };
                day = later;
                remaining -= weeks * 5;
            }
            let Some(next) = day.succ_opt() else {
                return NaiveDate::MAX;
            };
            day = next;
            if self.is_working_day(day) {
                remaining -= 1;
                if remaining == 0 {
                    return day;
                }
            }
        }
    }

    /// Number of working days in `(a, b]` (after `a`, up to and including `b`); negative
    /// (minus the count in `(b, a]`) when `b < a`. Consistent with
    /// [`HolidayCalendar::add_working_days`]: for `n ≥ 1`,
    /// `working_days_between(a, add_working_days(a, n)) == n`.
    pub fn working_days_between(&self, a: NaiveDate, b: NaiveDate) -> i64 {
        if b < a {
            return -self.working_days_between(b, a);
        }
        let days = b.signed_duration_since(a).num_days();
        let first_weekday = i64::from(a.weekday().num_days_from_monday());
        // Whole weeks hold 5 weekdays each; then the leftover days right before `b`.
        let weekdays = days / 7 * 5 + (1..=days % 7).filter(|k| (first_weekday + k) % 7 < 5).count() as i64;
        let adjustment: i64 = self
            .days
            .range((Excluded(a), Included(b)))
            .map(|(date, day)| i64::from(day.kind == DayKind::Workday) - i64::from(is_weekday(*date)))
            .sum();
        weekdays + adjustment
    }
}

fn is_weekday(date: NaiveDate) -> bool {
    date.weekday().num_days_from_monday() < 5
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    fn cal() -> HolidayCalendar {
        HolidayCalendar::builtin()
    }

    #[test]
    fn builtin_parses_completely() {
        let parsed = HolidayCalendar::from_csv(BUILTIN_CSV).unwrap();
        assert_eq!(parsed.days.len(), BUILTIN_CSV.lines().count() - 1);
        assert_eq!(parsed, cal());
        assert_eq!(cal().days().count(), parsed.days.len());
        assert!(cal().days().map(|(d, _)| d).is_sorted());
        assert_eq!(cal().covered_years(), [2023, 2024, 2025, 2026]);
    }

    #[test]
    fn rules_2024() {
        let cal = cal();
        // 春节: Sundays 2024-02-04 and 2024-02-18 were make-up working days.
        assert!(cal.is_working_day(date(2024, 2, 4)));
        assert!(cal.is_working_day(date(2024, 2, 18)));
        assert_eq!(cal.day(date(2024, 2, 4)).unwrap().kind, DayKind::Workday);
        assert_eq!(cal.day(date(2024, 2, 4)).unwrap().name, "春节调休上班");
        assert!(cal.is_working_day(date(2024, 2, 9))); // 除夕 was not a holiday in 2024
        for d in 10..=17 {
            assert!(!cal.is_working_day(date(2024, 2, d)), "2024-02-{d}");
        }
        // 国庆节 2024-10-01..07; Sunday 09-29 and Saturday 10-12 make-up days.
        for d in 1..=7 {
            assert!(!cal.is_working_day(date(2024, 10, d)), "2024-10-0{d}");
        }
        assert!(cal.is_working_day(date(2024, 10, 8)));
        assert!(cal.is_working_day(date(2024, 9, 29)));
        assert!(cal.is_working_day(date(2024, 10, 12)));
        // Ordinary weekend and weekday.
        assert!(!cal.is_working_day(date(2024, 3, 9)));
        assert!(!cal.is_working_day(date(2024, 3, 10)));
        assert!(cal.is_working_day(date(2024, 3, 11)));
    }

    #[test]
    fn rules_2026() {
        let cal = cal();
        // 元旦 01-01..03 (Thu–Sat), make-up Sunday 01-04.
        for d in 1..=3 {
            assert!(!cal.is_working_day(date(2026, 1, d)));
        }
        assert!(cal.is_working_day(date(2026, 1, 4)));
        // 春节 02-15..23, make-up Saturdays 02-14 and 02-28.
        for d in 15..=23 {
            assert!(!cal.is_working_day(date(2026, 2, d)), "2026-02-{d}");
        }
        assert!(cal.is_working_day(date(2026, 2, 14)));
        assert!(cal.is_working_day(date(2026, 2, 28)));
        // 清明 04-06 (Monday) off; 劳动节 05-01..05, make-up Saturday 05-09.
        assert!(!cal.is_working_day(date(2026, 4, 6)));
        assert!(!cal.is_working_day(date(2026, 5, 5)));
        assert!(cal.is_working_day(date(2026, 5, 9)));
        // 中秋 09-25 (Friday) off; make-up Sunday 09-20; 国庆 10-01..07; make-up Saturday 10-10.
        assert!(!cal.is_working_day(date(2026, 9, 25)));
        assert!(cal.is_working_day(date(2026, 9, 20)));
        assert!(!cal.is_working_day(date(2026, 10, 7)));
        assert!(cal.is_working_day(date(2026, 10, 8)));
        assert!(cal.is_working_day(date(2026, 10, 10)));
    }

    #[test]
    fn coverage() {
        let cal = cal();
        assert!(!cal.covers(date(2022, 12, 31))); // listed, but 2022 is not covered
        assert!(cal.covers(date(2023, 1, 1)));
        assert!(cal.covers(date(2026, 12, 31)));
        assert!(!cal.covers(date(2027, 1, 1)));
        // Outside the data only the weekday rule applies.
        assert!(cal.is_working_day(date(2027, 10, 1))); // a Friday
        assert!(!cal.is_working_day(date(2027, 10, 2)));
    }

    #[test]
    fn add_working_days_conventions() {
        let cal = cal();
        // n = 0: the day itself if working, else the next working day.
        assert_eq!(cal.add_working_days(date(2024, 3, 11), 0), date(2024, 3, 11));
        assert_eq!(cal.add_working_days(date(2024, 3, 9), 0), date(2024, 3, 11));
        assert_eq!(cal.add_working_days(date(2024, 10, 1), 0), date(2024, 10, 8));
        // n ≥ 1 counts from the day after start.
        assert_eq!(cal.add_working_days(date(2024, 3, 11), 1), date(2024, 3, 12));
        assert_eq!(cal.add_working_days(date(2024, 3, 8), 1), date(2024, 3, 11));
        assert_eq!(cal.add_working_days(date(2024, 3, 9), 1), date(2024, 3, 11));
        // Fri 2024-02-09 → next working day is the make-up Sunday 02-18, then Mon 02-19.
        assert_eq!(cal.add_working_days(date(2024, 2, 9), 1), date(2024, 2, 18));
        assert_eq!(cal.add_working_days(date(2024, 2, 9), 2), date(2024, 2, 19));
        // 20 working days from Fri 2024-09-20: 09-23..27 (5), Sun 09-29 (6), 09-30 (7),
        // 10-08..11 (11), Sat 10-12 (12), 10-14..18 (17), 10-21..23 (20).
        assert_eq!(cal.add_working_days(date(2024, 9, 20), 20), date(2024, 10, 23));
        // Saturation instead of overflow.
        assert_eq!(cal.add_working_days(NaiveDate::MAX, 1), NaiveDate::MAX);
        assert_eq!(cal.add_working_days(date(2024, 1, 1), u32::MAX), NaiveDate::MAX);
    }

    #[test]
    fn working_days_between_vectors() {
        let cal = cal();
        assert_eq!(cal.working_days_between(date(2024, 2, 9), date(2024, 2, 19)), 2);
        assert_eq!(cal.working_days_between(date(2024, 9, 20), date(2024, 10, 23)), 20);
        assert_eq!(cal.working_days_between(date(2024, 10, 23), date(2024, 9, 20)), -20);
        assert_eq!(cal.working_days_between(date(2024, 3, 11), date(2024, 3, 11)), 0);
        // Whole years (cross-checked with an independent script over the CSV): 2024 has
        // 262 weekdays and 251 working days; 2025 (13 statutory holidays) has 248.
        assert_eq!(cal.working_days_between(date(2023, 12, 31), date(2024, 12, 31)), 251);
        assert_eq!(cal.working_days_between(date(2024, 12, 31), date(2025, 12, 31)), 248);
        assert_eq!(cal.working_days_between(NaiveDate::MIN, NaiveDate::MAX), -cal.working_days_between(NaiveDate::MAX, NaiveDate::MIN));
    }

    #[test]
    fn csv_errors_carry_line_numbers() {
        let header = "date,kind,name,source\n";
        let cases = [
            ("", 1, codes::CALENDAR_HEADER),
            ("\n\ndate,kind,name\n", 3, codes::CALENDAR_HEADER),
            ("日期,类型,名称,来源\n", 1, codes::CALENDAR_HEADER),
            ("2024-02-04,workday\n", 2, codes::CALENDAR_COLUMNS),
            ("2024-02-30,holiday,x,y\n", 2, codes::CALENDAR_DATE),
            ("20240204,holiday,x,y\n", 2, codes::CALENDAR_DATE),
            ("2024-02-04,vacation,x,y\n", 2, codes::CALENDAR_KIND),
            ("2024-02-04,workday,a,b\n\n2024-02-04,holiday,c,d\n", 4, codes::CALENDAR_CONFLICT),
        ];
        for (body, line, code) in cases {
            let text = if code == codes::CALENDAR_HEADER { body.to_string() } else { format!("{header}{body}") };
            let err = HolidayCalendar::from_csv(&text).unwrap_err();
            assert_eq!((err.line, err.code), (line, code), "{text:?}: {err}");
        }
        let err = HolidayCalendar::from_csv(&format!("{header}2024-02-04,workday,a,b\n2024-02-04,holiday,c,d\n")).unwrap_err();
        assert!(err.message.contains("第2行"), "{}", err.message);
        assert!(err.to_string().starts_with("calendar.conflict: 第3行"), "{err}");
    }

    #[test]
    fn csv_tolerances() {
        let text = "\u{feff}date,kind,name,source\r\n\
                    2027-01-01,holiday,元旦,某通知, 含逗号\r\n\
                    2027-01-01,holiday,元旦,重复但一致\r\n\
                    \r\n";
        let cal = HolidayCalendar::from_csv(text).unwrap();
        let day = cal.day(date(2027, 1, 1)).unwrap();
        assert_eq!(day.source, "某通知, 含逗号");
        assert_eq!(HolidayCalendar::from_csv("date,kind,name,source"), Ok(HolidayCalendar::default()));
    }

    #[test]
    fn merge_adds_years_and_overrides() {
        let mut cal = cal();
        // Hypothetical later notice (test data only) plus a correction of an existing date.
        let later = HolidayCalendar::from_csv(
            "date,kind,name,source\n\
             2027-01-01,holiday,元旦,test\n\
             2027-10-01,holiday,国庆节,test\n\
             2026-03-02,holiday,更正示例,test\n",
        )
        .unwrap();
        cal.merge(later);
        assert_eq!(cal.covered_years(), [2023, 2024, 2025, 2026, 2027]);
        assert!(!cal.is_working_day(date(2027, 10, 1)));
        assert!(!cal.is_working_day(date(2026, 3, 2)));
        assert!(cal.is_working_day(date(2026, 2, 14)));
    }

    /// Reference implementation: step day by day.
    fn naive_add(cal: &HolidayCalendar, start: NaiveDate, n: u32) -> NaiveDate {
        let mut day = start;
        if n == 0 {
            while !cal.is_working_day(day) {
                day = day.succ_opt().unwrap();
            }
            return day;
        }
        let mut left = n;
        while left > 0 {
            day = day.succ_opt().unwrap();
            if cal.is_working_day(day) {
                left -= 1;
            }
        }
        day
    }

    fn naive_between(cal: &HolidayCalendar, a: NaiveDate, b: NaiveDate) -> i64 {
        let (lo, hi, sign) = if a <= b { (a, b, 1) } else { (b, a, -1) };
        sign * lo.iter_days().skip(1).take_while(|d| *d <= hi).filter(|d| cal.is_working_day(*d)).count() as i64
    }

    fn any_date(from: i32, to: i32) -> impl Strategy<Value = NaiveDate> {
        let lo = date(from, 1, 1);
        let span = date(to, 12, 31).signed_duration_since(lo).num_days() as u64;
        (0..=span).prop_map(move |d| lo + Days::new(d))
    }

    proptest! {
        #[test]
        fn add_matches_reference(start in any_date(2022, 2030), n in 0u32..1500) {
            let cal = cal();
            let due = cal.add_working_days(start, n);
            prop_assert_eq!(due, naive_add(&cal, start, n));
            prop_assert!(cal.is_working_day(due));
            prop_assert_eq!(cal.working_days_between(start, due), i64::from(n.max(1)) - i64::from(n == 0 && due == start));
        }

        #[test]
        fn between_matches_reference(a in any_date(2022, 2028), b in any_date(2022, 2028)) {
            let cal = cal();
            prop_assert_eq!(cal.working_days_between(a, b), naive_between(&cal, a, b));
        }

        #[test]
        fn from_csv_never_panics(s in any::<String>(), rows in prop::collection::vec("[-0-9a-z,一二 ]{0,40}", 0..20)) {
            let _ = HolidayCalendar::from_csv(&s);
            let _ = HolidayCalendar::from_csv(&format!("{HEADER}\n{}", rows.join("\n")));
        }
    }
}
