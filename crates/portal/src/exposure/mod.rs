//! 曝光台 The exposure board: negative cases published with their basis, from
//! - the credit platform's 严重失信主体名单 (every entry in force comes onto the board by
//!   itself, [`Sweep`]),
//! - 行政处罚 records in their publicity period that staff flag for exposure,
//! - verified complaints (the complaint module calls [`store::publish`]) and entries staff
//!   publish by hand, each with its basis.
//!
//! The rule (DOMAIN.md §8: "must respect §3.5 publicity periods and repair status; never
//! show repaired items"): an entry is shown only while its source still justifies it. That
//! is decided when the entry is read ([`store::visible`], [`store::holds`]): the moment the
//! list entry is removed or ends, the penalty record leaves publicity (repaired: 终止公示, or
//! its period is over) or the entry's own publicity end passes, it is no longer shown. The
//! recurring [`Sweep`] then records the withdrawal in the audit chain (the state machine's
//! `lapse`, once per entry), so the log shows when and why it went.
//!
//! Personal identifiers are shown as the credit module shows them on public pages:
//! enterprises with their USCC, persons with a masked ID number.

pub mod demo;
pub mod store;
pub mod web;

use qingfeng_platform::AppError;
use qingfeng_platform::auth::Role;
use qingfeng_platform::jobs::{JobContext, JobError, JobFuture, JobHandler};
use qingfeng_platform::state::{Machine, State, Transition};
use serde::Serialize;

/// 来源 Where an entry comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum SourceKind {
    /// 严重失信主体名单 entry (source ref = the list entry's id).
    CreditList,
    /// 行政处罚 record flagged by staff (source ref = the record's id).
    CreditPenalty,
    /// 经核实的投诉 (source ref = the complaint's number).
    Complaint,
    /// 人工发布 by staff.
    Manual,
}

impl SourceKind {
    pub const ALL: [SourceKind; 4] = [SourceKind::CreditList, SourceKind::CreditPenalty, SourceKind::Complaint, SourceKind::Manual];

    pub fn key(self) -> &'static str {
        match self {
            SourceKind::CreditList => "credit_list",
            SourceKind::CreditPenalty => "credit_penalty",
            SourceKind::Complaint => "complaint",
            SourceKind::Manual => "manual",
        }
    }
    pub fn zh(self) -> &'static str {
        match self {
            SourceKind::CreditList => "严重失信主体名单",
            SourceKind::CreditPenalty => "行政处罚",
            SourceKind::Complaint => "投诉核实",
            SourceKind::Manual => "部门发布",
        }
    }
    pub fn from_key(key: &str) -> Option<SourceKind> {
        SourceKind::ALL.into_iter().find(|k| k.key() == key)
    }
}

pub const SHOWN: &str = "shown";
pub const WITHDRAWN: &str = "withdrawn";

const STATES: &[State] = &[
    State { key: SHOWN, zh: "公示中", en: "Shown", terminal: false },
    State { key: WITHDRAWN, zh: "已撤下", en: "Withdrawn", terminal: true },
];

const TRANSITIONS: &[Transition] = &[
    Transition {
        from: SHOWN,
        event: "withdraw",
        zh: "撤下",
        to: WITHDRAWN,
        roles: &[Role::SystemAdmin, Role::CountyAdmin, Role::CreditOfficer],
        deadline: None,
    },
    // Fired by the platform once the source no longer justifies the entry.
    Transition { from: SHOWN, event: "lapse", zh: "依据失效自动撤下", to: WITHDRAWN, roles: &[], deadline: None },
];

/// 曝光条目状态机 Every withdrawal is in the audit chain.
pub const MACHINE: Machine =
    Machine { entity: "portal_exposure", table: "portal_exposures", state_column: "state", states: STATES, transitions: TRANSITIONS };

/// Entries per public page.
pub const PER_PAGE: usize = 10;
/// Longest title, in characters.
pub const MAX_TITLE: usize = 80;
/// Longest basis, in characters.
pub const MAX_BASIS: usize = 2000;
/// Longest short field (文号, 机关, subject name).
pub const MAX_SHORT: usize = 100;
/// Hand entries are shown at most this many months (the longest publicity of DOMAIN.md §3.5).
pub const MAX_MONTHS: u32 = 36;

/// Is a day (`YYYY-MM-DD`) within a publicity that ends on `end` (its last day counts)?
pub fn within(end: Option<&str>, today: &str) -> bool {
    end.is_none_or(|e| today <= e)
}

fn one_line(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// What staff typed for a hand entry.
#[derive(Debug, Clone, Default, serde::Deserialize)]
#[serde(default)]
pub struct HandEntry {
    pub csrf: String,
    pub title: String,
    pub subject_name: String,
    pub basis: String,
    pub doc_no: String,
    pub authority: String,
    pub decided_on: String,
    pub publicity_end: String,
}

/// A hand entry after checking.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckedHand {
    pub title: String,
    pub subject_name: String,
    pub basis: String,
    pub doc_no: String,
    pub authority: String,
    pub decided_on: String,
    pub publicity_end: String,
}

fn date(raw: &str, code: &'static str, what: &str) -> Result<chrono::NaiveDate, AppError> {
    chrono::NaiveDate::parse_from_str(raw.trim(), "%Y-%m-%d").map_err(|_| AppError::bad_request(code, format!("{what}格式应为 2026-11-30")))
}

impl HandEntry {
    /// Check a hand entry on `today`: title, basis, 文号 and the decision and end dates
    /// are required; the end lies after today and at most [`MAX_MONTHS`] after the decision.
    pub fn check(&self, today: chrono::NaiveDate) -> Result<CheckedHand, AppError> {
        let short = |raw: &str, code: &'static str, what: &str, required: bool| -> Result<String, AppError> {
            let v = one_line(raw);
            if required && v.is_empty() {
                return Err(AppError::bad_request(code, format!("请填写{what}")));
            }
            if v.chars().count() > MAX_SHORT {
                return Err(AppError::bad_request(code, format!("{what}不能超过 {MAX_SHORT} 个字")));
            }
            Ok(v)
        };
        let title = short(&self.title, "portal.exposure_title", "标题", true)?;
        if title.chars().count() > MAX_TITLE {
            return Err(AppError::bad_request("portal.exposure_title", format!("标题不能超过 {MAX_TITLE} 个字")));
        }
        let subject_name = short(&self.subject_name, "portal.exposure_subject", "曝光对象", true)?;
        let doc_no = short(&self.doc_no, "portal.exposure_doc_no", "文号或决定书号", true)?;
        let authority = short(&self.authority, "portal.exposure_authority", "作出决定的机关", true)?;
        let basis: String = self.basis.lines().map(str::trim).filter(|l| !l.is_empty()).collect::<Vec<_>>().join("\n");
        if basis.is_empty() {
            return Err(AppError::bad_request("portal.exposure_basis", "请填写曝光依据（事实、依据的规定和处理结果）"));
        }
        if basis.chars().count() > MAX_BASIS {
            return Err(AppError::bad_request("portal.exposure_basis", format!("曝光依据不能超过 {MAX_BASIS} 个字")));
        }
        let decided = date(&self.decided_on, "portal.exposure_date", "决定日期")?;
        let end = date(&self.publicity_end, "portal.exposure_end", "公示截止日期")?;
        if decided > today {
            return Err(AppError::bad_request("portal.exposure_date", "决定日期不能晚于今天"));
        }
        if end < today {
            return Err(AppError::bad_request("portal.exposure_end", "公示截止日期已过，不能发布"));
        }
        if decided.checked_add_months(chrono::Months::new(MAX_MONTHS)).is_some_and(|max| end > max) {
            return Err(AppError::bad_request("portal.exposure_end", format!("公示期最长 {MAX_MONTHS} 个月（自决定日期起）")));
        }
        Ok(CheckedHand { title, subject_name, basis, doc_no, authority, decided_on: decided.to_string(), publicity_end: end.to_string() })
    }
}

/// 曝光台核查 Every five minutes: bring the 严重失信主体名单 entries in force onto the
/// board, and record the withdrawal of every shown entry whose source no longer
/// justifies it (idempotent: each entry is withdrawn once).
pub struct Sweep;

impl Sweep {
    pub const KIND: &'static str = "portal.exposure.sweep";
}

impl JobHandler for Sweep {
    fn kind(&self) -> &'static str {
        Self::KIND
    }
    fn run<'a>(&'a self, ctx: &'a JobContext, _payload: &'a serde_json::Value) -> JobFuture<'a> {
        Box::pin(async move {
            let cal = qingfeng_platform::calendar::load(&ctx.db).await.map_err(|e| JobError::retry(e.message))?;
            let run = store::sweep(&ctx.db, &cal, &ctx.county_code, ctx.clock.today(), ctx.clock.now_ms())
                .await
                .map_err(|e| JobError::retry(e.message))?;
            tracing::info!(?run, "exposure board sweep");
            Ok(())
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_machine_is_well_formed() {
        MACHINE.check().unwrap();
        assert!(MACHINE.next(WITHDRAWN, "withdraw").is_err(), "a withdrawn entry stays withdrawn");
    }

    #[test]
    fn the_last_day_of_publicity_counts() {
        assert!(within(Some("2026-12-01"), "2026-12-01"));
        assert!(!within(Some("2026-12-01"), "2026-12-02"));
        assert!(within(None, "2030-01-01"));
    }

    fn hand() -> HandEntry {
        HandEntry {
            title: "某演示公司虚假宣传被处罚".into(),
            subject_name: "清丰县某演示商贸有限公司".into(),
            basis: "虚假宣传\n依据《反不正当竞争法》第二十条".into(),
            doc_no: "清市监罚〔2026〕演示1号".into(),
            authority: "清丰县市场监督管理局".into(),
            decided_on: "2026-11-01".into(),
            publicity_end: "2027-11-01".into(),
            ..HandEntry::default()
        }
    }

    #[test]
    fn hand_entries_need_their_basis_and_a_lawful_period() {
        let today = chrono::NaiveDate::from_ymd_opt(2026, 11, 30).unwrap();
        assert_eq!(hand().check(today).unwrap().basis, "虚假宣传\n依据《反不正当竞争法》第二十条");
        let mut h = hand();
        h.basis = "  ".into();
        assert_eq!(h.check(today).unwrap_err().code, "portal.exposure_basis");
        let mut h = hand();
        h.publicity_end = "2026-11-29".into();
        assert_eq!(h.check(today).unwrap_err().code, "portal.exposure_end");
        let mut h = hand();
        h.publicity_end = "2030-01-01".into();
        assert_eq!(h.check(today).unwrap_err().code, "portal.exposure_end");
        let mut h = hand();
        h.decided_on = "昨天".into();
        assert_eq!(h.check(today).unwrap_err().message, "决定日期格式应为 2026-11-30");
        let mut h = hand();
        h.doc_no = String::new();
        assert_eq!(h.check(today).unwrap_err().code, "portal.exposure_doc_no");
    }
}
