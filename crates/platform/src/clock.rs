//! 时钟 The clock, passed in so that tests can pin time.

use std::sync::{Arc, Mutex};

use chrono::{DateTime, Utc};

/// Where the platform reads the current instant from.
#[derive(Clone, Debug)]
pub enum Clock {
    /// The system clock.
    System,
    /// A clock that stands still until moved; for tests.
    Fixed(Arc<Mutex<DateTime<Utc>>>),
}

impl Clock {
    pub fn fixed(at: DateTime<Utc>) -> Clock {
        Clock::Fixed(Arc::new(Mutex::new(at)))
    }

    pub fn now(&self) -> DateTime<Utc> {
        match self {
            Clock::System => Utc::now(),
            Clock::Fixed(t) => match t.lock() {
                Ok(g) => *g,
                Err(p) => *p.into_inner(),
            },
        }
    }

    /// Today's date in Asia/Shanghai, the date statutory periods are counted in.
    pub fn today(&self) -> chrono::NaiveDate {
        self.now().with_timezone(&qingfeng_core::CHINA_STANDARD_TIME).date_naive()
    }

    /// Milliseconds since the Unix epoch, the form instants are stored in.
    pub fn now_ms(&self) -> i64 {
        self.now().timestamp_millis()
    }

    /// Move a fixed clock forward (no effect on the system clock).
    pub fn advance(&self, by: chrono::Duration) {
        if let Clock::Fixed(t) = self {
            let mut g = match t.lock() {
                Ok(g) => g,
                Err(p) => p.into_inner(),
            };
            *g += by;
        }
    }
}

/// Milliseconds → instant (out-of-range values clamp to the epoch).
pub fn from_ms(ms: i64) -> DateTime<Utc> {
    DateTime::from_timestamp_millis(ms).unwrap_or_default()
}

/// Render stored milliseconds as local time in Asia/Shanghai (UTC+8), `YYYY-MM-DD HH:MM`.
pub fn local_display(ms: i64) -> String {
    let t = from_ms(ms).with_timezone(&qingfeng_core::deadline::CHINA_STANDARD_TIME);
    t.format("%Y-%m-%d %H:%M").to_string()
}

/// Render a deadline (an exclusive end) as the moment people read it: an end at local
/// midnight is the end of the day before, `YYYY-MM-DD 24:00`; any other end as
/// [`local_display`].
pub fn due_display(ms: i64) -> String {
    let local = from_ms(ms).with_timezone(&qingfeng_core::deadline::CHINA_STANDARD_TIME);
    if local.format("%H:%M:%S").to_string() == "00:00:00" {
        let last = local.date_naive().pred_opt().unwrap_or(local.date_naive());
        format!("{last} 24:00")
    } else {
        local.format("%Y-%m-%d %H:%M").to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_deadline_at_local_midnight_is_the_end_of_the_day_before() {
        // 2026-12-02 16:00 UTC = 2026-12-03 00:00 in Beijing.
        let ms = DateTime::parse_from_rfc3339("2026-12-02T16:00:00Z").unwrap().timestamp_millis();
        assert_eq!(due_display(ms), "2026-12-02 24:00");
        assert_eq!(due_display(ms + 60_000), "2026-12-03 00:01");
        assert_eq!(local_display(ms), "2026-12-03 00:00");
    }

    #[test]
    fn today_is_the_date_in_beijing() {
        // 2026-03-31 16:30 UTC is already 2026-04-01 00:30 in Beijing.
        let c = Clock::fixed(DateTime::from_timestamp(1_774_974_600, 0).unwrap());
        assert_eq!(c.today().to_string(), "2026-04-01");
    }
}
