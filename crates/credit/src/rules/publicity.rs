//! 公示期 Publicity windows of credit records (DOMAIN.md §3.5). Three regimes, chosen
//! by the decision date, kept as versioned data in `data/publicity_rules.csv` (regime,
//! effective_from, severity, published, min/max months, legal basis, source tag):
//!
//! - 发改办财金〔2019〕527号: general 3 months–1 year, serious 6 months–3 years [V];
//! - from 2023-05-01 (NDRC 令第58号, practice): 3 months–3 years [S];
//! - from 2026-04-01 (NDRC 令第36号): minor not published, general 3 months–1 year,
//!   serious 1–3 years [V].
//!
//! Records of market regulation follow 市场监督管理行政处罚信息公示规定 (2021-09-01) Art. 13
//! instead: only 通报批评 (or a fine the province deems low [?], not applied) → 3 months,
//! every other penalty → 3 years; counted here from the decision date.
//!
//! Windows are calendar months added to the decision date (not deadlines of a party's
//! act, so no holiday extension). Permits (行政许可), credit commitments (信用承诺) and
//! A-rated taxpayers (纳税信用A级) are published without an end until a rule for them is
//! loaded [?].

use std::sync::LazyLock;

use chrono::{Months, NaiveDate};
use serde::Serialize;

use crate::model::{RecordKind, Severity};

const RULES_CSV: &str = include_str!("../../data/publicity_rules.csv");

/// One row of the rules table.
#[derive(Debug, Clone)]
pub struct Rule {
    pub regime: String,
    pub effective_from: Option<NaiveDate>,
    pub severity: Severity,
    pub published: bool,
    pub min_months: u32,
    pub max_months: u32,
    pub legal_basis: String,
    pub tag: String,
}

static RULES: LazyLock<Vec<Rule>> = LazyLock::new(|| {
    let mut out = Vec::new();
    let mut rdr = csv::Reader::from_reader(RULES_CSV.as_bytes());
    for rec in rdr.records().flatten() {
        let severity = match rec.get(2) {
            Some("minor") => Severity::Minor,
            Some("serious") => Severity::Serious,
            _ => Severity::General,
        };
        out.push(Rule {
            regime: rec.get(0).unwrap_or("").to_string(),
            effective_from: rec.get(1).and_then(|d| NaiveDate::parse_from_str(d, "%Y-%m-%d").ok()),
            severity,
            published: rec.get(3) == Some("true"),
            min_months: rec.get(4).and_then(|m| m.parse().ok()).unwrap_or(0),
            max_months: rec.get(5).and_then(|m| m.parse().ok()).unwrap_or(0),
            legal_basis: rec.get(6).unwrap_or("").to_string(),
            tag: rec.get(7).unwrap_or("").to_string(),
        });
    }
    out
});

/// The rules table as loaded (for the console and tests).
pub fn rules() -> &'static [Rule] {
    &RULES
}

/// 市场监督管理行政处罚信息公示规定 takes effect.
pub fn samr_rule_from() -> NaiveDate {
    NaiveDate::from_ymd_opt(2021, 9, 1).unwrap_or(NaiveDate::MIN)
}

/// A record's publicity window.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Window {
    /// Published at all (令第36号: minor dishonesty in principle not).
    pub published: bool,
    pub start: NaiveDate,
    /// From here on the subject may apply for credit repair (信用修复).
    pub min_end: Option<NaiveDate>,
    /// Here publicity ends by itself; `None` = no end set.
    pub max_end: Option<NaiveDate>,
    pub regime: String,
    pub legal_basis: String,
}

impl Window {
    /// Is the record in publicity on `day`? (Its last day counts.)
    pub fn in_force_on(&self, day: NaiveDate) -> bool {
        self.published && self.max_end.is_none_or(|end| day <= end)
    }
}

fn add_months(d: NaiveDate, m: u32) -> Option<NaiveDate> {
    d.checked_add_months(Months::new(m))
}

/// The window of a record of `kind` decided on `decision` with `severity` and the
/// penalty kinds `kinds`; `market_regulation` when a market-regulation department sent it.
pub fn window(kind: RecordKind, decision: NaiveDate, severity: Option<Severity>, kinds: &[String], market_regulation: bool) -> Window {
    if kind != RecordKind::Cf {
        // Permits, commitments, ratings: no publicity rule is loaded for them [?].
        return Window {
            published: true,
            start: decision,
            min_end: None,
            max_end: None,
            regime: kind.key().into(),
            legal_basis: format!("{}信息：公示期规则未载入 [?]", kind.zh()),
        };
    }
    if market_regulation && decision >= samr_rule_from() {
        let only_criticism = !kinds.is_empty() && kinds.iter().all(|k| k == "通报批评");
        let months = if only_criticism { 3 } else { 36 };
        let end = add_months(decision, months);
        return Window {
            published: true,
            start: decision,
            min_end: end,
            max_end: end,
            regime: "samr".into(),
            legal_basis: "市场监督管理行政处罚信息公示规定（2021）第十三条".into(),
        };
    }
    let severity = severity.unwrap_or(Severity::General);
    // The regime in force at the decision date: the latest one that had begun.
    let regime = RULES
        .iter()
        .filter(|r| r.effective_from.is_none_or(|f| f <= decision))
        .max_by_key(|r| r.effective_from)
        .map(|r| r.regime.clone())
        .unwrap_or_default();
    match RULES.iter().find(|r| r.regime == regime && r.severity == severity) {
        Some(r) => Window {
            published: r.published,
            start: decision,
            min_end: if r.published { add_months(decision, r.min_months) } else { None },
            max_end: if r.published { add_months(decision, r.max_months) } else { None },
            regime: r.regime.clone(),
            legal_basis: r.legal_basis.clone(),
        },
        None => Window { published: true, start: decision, min_end: None, max_end: None, regime, legal_basis: "无适用规则".into() },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    fn w(date: &str, sev: Severity) -> Window {
        window(RecordKind::Cf, d(date), Some(sev), &["罚款".into()], false)
    }

    #[test]
    fn the_regime_follows_the_decision_date() {
        // 2019 rules: general 3 months – 1 year, serious 6 months – 3 years.
        let x = w("2022-06-15", Severity::General);
        assert_eq!((x.regime.as_str(), x.min_end, x.max_end), ("2019", Some(d("2022-09-15")), Some(d("2023-06-15"))));
        let x = w("2023-04-30", Severity::Serious);
        assert_eq!((x.min_end, x.max_end), (Some(d("2023-10-30")), Some(d("2026-04-30"))));
        // From 2023-05-01: 3 months – 3 years.
        let x = w("2023-05-01", Severity::General);
        assert_eq!((x.regime.as_str(), x.max_end), ("2023", Some(d("2026-05-01"))));
        // From 2026-04-01: minor not published; general 3 months – 1 year; serious 1 – 3 years.
        let x = w("2026-04-01", Severity::Minor);
        assert!(!x.published && x.max_end.is_none());
        let x = w("2026-04-01", Severity::General);
        assert_eq!((x.min_end, x.max_end), (Some(d("2026-07-01")), Some(d("2027-04-01"))));
        let x = w("2026-05-31", Severity::Serious);
        assert_eq!((x.min_end, x.max_end), (Some(d("2027-05-31")), Some(d("2029-05-31"))));
        // Month ends clamp: 11-30 + 3 months = 02-28/29.
        assert_eq!(w("2023-11-30", Severity::General).min_end, Some(d("2024-02-29")));
    }

    #[test]
    fn market_regulation_and_permits() {
        let crit = window(RecordKind::Cf, d("2024-03-01"), Some(Severity::Minor), &["通报批评".into()], true);
        assert_eq!((crit.regime.as_str(), crit.max_end), ("samr", Some(d("2024-06-01"))));
        let fine = window(RecordKind::Cf, d("2024-03-01"), Some(Severity::General), &["警告".into(), "罚款".into()], true);
        assert_eq!(fine.max_end, Some(d("2027-03-01")));
        // Before the SAMR rule took effect, the general regime applies.
        assert_eq!(window(RecordKind::Cf, d("2021-08-31"), Some(Severity::General), &[], true).regime, "2019");
        let xk = window(RecordKind::Xk, d("2024-03-01"), None, &[], false);
        assert!(xk.published && xk.max_end.is_none());
    }

    #[test]
    fn the_rules_table_is_complete() {
        for regime in ["2019", "2023", "2026"] {
            for sev in [Severity::Minor, Severity::General, Severity::Serious] {
                assert!(rules().iter().any(|r| r.regime == regime && r.severity == sev), "{regime} {sev:?}");
            }
        }
        assert!(rules().iter().all(|r| !r.legal_basis.is_empty() && matches!(r.tag.as_str(), "V" | "S" | "R" | "?")));
    }
}
