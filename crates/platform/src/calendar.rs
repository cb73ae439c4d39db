//! 工作日历 The working-day calendar in force: the State Council arrangements shipped in
//! `qingfeng-core` (2023–2026) plus the years an administrator loaded into the database
//! (`qingfeng calendar import FILE`). Later data wins where both list a date.

use chrono::NaiveDate;
use qingfeng_core::{CalendarError, HolidayCalendar};

use crate::audit::{self, Actor, Change};
use crate::db::Db;
use crate::error::AppError;
use crate::on_db;
use crate::sql::Arg;

const HEADER: &str = "date,kind,name,source";

/// The built-in calendar merged with the rows stored in `holidays`.
pub async fn load(db: &Db) -> Result<HolidayCalendar, AppError> {
    let rows: Vec<(String, String, String, String)> =
        on_db!(db, |p| sqlx::query_as("SELECT date, kind, name, source FROM holidays ORDER BY date").fetch_all(p).await)?;
    let mut cal = HolidayCalendar::builtin();
    if !rows.is_empty() {
        let mut text = String::from(HEADER);
        for (d, k, n, s) in rows {
            text.push_str(&format!("\n{d},{k},{n},{s}"));
        }
        let stored = HolidayCalendar::from_csv(&text).map_err(|e| AppError::internal(format!("数据库中的节假日数据有误: {e}")))?;
        cal.merge(stored);
    }
    Ok(cal)
}

/// What an import stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportSummary {
    pub read: usize,
    pub stored: usize,
    pub years: Vec<i32>,
}

/// Import a calendar CSV (`date,kind,name,source`). The whole file is checked first;
/// one bad row rejects the file with its line number, and nothing is stored.
pub async fn import(db: &Db, text: &str, actor: &Actor, county: &str, now_ms: i64) -> Result<ImportSummary, AppError> {
    let parsed = HolidayCalendar::from_csv(text)
        .map_err(|e: CalendarError| AppError::bad_request(e.code, format!("第 {} 行：{}", e.line, e.message)))?;
    let days: Vec<(NaiveDate, qingfeng_core::CalendarDay)> = parsed.days().map(|(d, day)| (d, day.clone())).collect();
    let mut tx = db.begin().await?;
    let mut stored = 0;
    for (date, day) in &days {
        let kind = match day.kind {
            qingfeng_core::DayKind::Holiday => "holiday",
            qingfeng_core::DayKind::Workday => "workday",
        };
        stored += tx
            .execute(
                "INSERT INTO holidays (date, kind, name, source) VALUES ($1, $2, $3, $4) \
             ON CONFLICT (date) DO UPDATE SET kind = excluded.kind, name = excluded.name, source = excluded.source",
                &[Arg::from(date.format("%Y-%m-%d").to_string()), Arg::from(kind), Arg::from(&day.name), Arg::from(&day.source)],
            )
            .await?;
    }
    let years = parsed.covered_years();
    audit::append(
        &mut tx,
        now_ms,
        &Change {
            county_code: county,
            actor,
            action: "calendar.import",
            entity: "calendar",
            entity_id: "holidays",
            detail: serde_json::json!({"days": days.len(), "years": years}),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(ImportSummary { read: days.len(), stored: usize::try_from(stored).unwrap_or(usize::MAX), years })
}
