//! 失信严重程度 Severity of an administrative penalty (轻微 / 一般 / 严重), from the
//! classification table in force on the decision date.
//!
//! Basis: 信用修复管理办法 (NDRC 令第36号, effective 2026-04-01) as summarised in official
//! media (DOMAIN.md §3.5 [V]): 轻微 = 简易程序, 警告, 通报批评; 一般 = 较大数额罚款, 没收违法
//! 所得/非法财物, 暂扣许可证件; 严重 = 巨额罚款, 吊销许可证, 限制从业 and the like. Each
//! sector authority (行业主管部门) publishes its own detailed classification on 信用中国,
//! so the table is data, not code:
//!
//! - `data/severity_rules.csv` — `(sector, penalty kind, amount band) → severity`, each row
//!   with `effective_from`/`effective_to`, its legal basis and a source tag. The shipped
//!   rows are the national examples above for the default sector (empty `sector`); their
//!   amount-band columns stay empty because no source here gives the bands (较大数额/巨额
//!   are set per province and sector [?]): until a sector's table is loaded, a fine
//!   counts as 一般.
//! - `data/severity_sectors.csv` — which sector a source department (数据来源单位, by its
//!   USCC) belongs to; a department not listed belongs to the default sector. Shipped
//!   empty: the county's sector list (“63个领域”) is not public [?].
//!
//! How a record is classified ([`Table::classify`]): for each of its penalty kinds, the
//! rules of that kind in force on the decision date are candidates; a rule of the
//! record's own sector beats a default-sector rule, a rule with an amount band that
//! contains the fine beats one without a band, and among equals the newest version
//! (latest `effective_from`) wins. A decision with several penalty kinds takes the
//! heaviest. A kind no rule covers (其他…) counts as 一般.
//!
//! Amount bands are in fen; `amount_min_fen` is included and `amount_max_fen` excluded
//! (法律所称“以上”包括本数), so adjacent bands meet without overlapping.

use std::collections::HashMap;
use std::sync::LazyLock;

use chrono::NaiveDate;

use crate::model::Severity;

const RULES_CSV: &str = include_str!("../../data/severity_rules.csv");
const SECTORS_CSV: &str = include_str!("../../data/severity_sectors.csv");

/// 分类规则 One row of the classification table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rule {
    /// 行业领域; empty = the default sector (applies wherever a sector has no own rule).
    pub sector: String,
    /// 处罚类别 as the standard lists it (`罚款`, `吊销许可证件`…).
    pub penalty_kind: String,
    /// Fine band in fen: `min` included, `max` excluded; both `None` = any amount.
    pub amount_min_fen: Option<i64>,
    pub amount_max_fen: Option<i64>,
    pub severity: Severity,
    /// In force from this decision date (`None` = since always).
    pub effective_from: Option<NaiveDate>,
    /// In force up to and including this decision date (`None` = still in force).
    pub effective_to: Option<NaiveDate>,
    pub legal_basis: String,
    /// Source tag of DOMAIN.md (`V`, `S`, `R`…).
    pub tag: String,
}

impl Rule {
    fn has_band(&self) -> bool {
        self.amount_min_fen.is_some() || self.amount_max_fen.is_some()
    }
    fn in_force_on(&self, day: Option<NaiveDate>) -> bool {
        let Some(day) = day else { return self.effective_to.is_none() };
        self.effective_from.is_none_or(|f| f <= day) && self.effective_to.is_none_or(|t| day <= t)
    }
    fn band_contains(&self, fine_fen: Option<i64>) -> bool {
        if !self.has_band() {
            return true;
        }
        let Some(f) = fine_fen else { return false };
        self.amount_min_fen.is_none_or(|m| f >= m) && self.amount_max_fen.is_none_or(|m| f < m)
    }
}

/// A defect of a table file: its line, a stable code and a Chinese reason.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("第{line}行：{message}（{code}）")]
pub struct TableError {
    pub line: u64,
    pub code: &'static str,
    pub message: String,
}

/// 失信行为分类表 The classification table and the department → sector mapping.
#[derive(Debug, Clone, Default)]
pub struct Table {
    rules: Vec<Rule>,
    /// Source department USCC → sector.
    sectors: HashMap<String, String>,
}

fn parse_severity(s: &str) -> Option<Severity> {
    match s.trim() {
        "minor" | "轻微" => Some(Severity::Minor),
        "general" | "一般" => Some(Severity::General),
        "serious" | "严重" => Some(Severity::Serious),
        _ => None,
    }
}

impl Table {
    /// Read the rules (`sector,penalty_kind,amount_min_fen,amount_max_fen,severity,
    /// effective_from,effective_to,legal_basis,tag`) and the sector mapping
    /// (`source_dept_uscc,sector,note`), both CSV with a header row.
    pub fn from_csv(rules_csv: &str, sectors_csv: &str) -> Result<Table, TableError> {
        let mut rules = Vec::new();
        let mut rdr = csv::ReaderBuilder::new().flexible(true).from_reader(rules_csv.as_bytes());
        for rec in rdr.records() {
            let rec = rec.map_err(|e| TableError { line: 0, code: "severity.csv", message: format!("无法读取分类表：{e}") })?;
            let line = rec.position().map(|p| p.line()).unwrap_or(0);
            let get = |i: usize| rec.get(i).map(str::trim).unwrap_or("");
            let fail = |code: &'static str, message: String| TableError { line, code, message };
            let amount = |i: usize| -> Result<Option<i64>, TableError> {
                match get(i) {
                    "" => Ok(None),
                    v => v
                        .parse::<i64>()
                        .ok()
                        .filter(|n| *n >= 0)
                        .map(Some)
                        .ok_or_else(|| fail("severity.amount", format!("金额“{v}”应为不小于 0 的整数（分）"))),
                }
            };
            let date = |i: usize| -> Result<Option<NaiveDate>, TableError> {
                match get(i) {
                    "" => Ok(None),
                    v => NaiveDate::parse_from_str(v, "%Y-%m-%d")
                        .map(Some)
                        .map_err(|_| fail("severity.date", format!("日期“{v}”应为 YYYY-MM-DD"))),
                }
            };
            let penalty_kind = get(1).to_string();
            if penalty_kind.is_empty() {
                return Err(fail("severity.penalty_kind", "处罚类别不能为空".into()));
            }
            let severity = parse_severity(get(4))
                .ok_or_else(|| fail("severity.severity", format!("严重程度“{}”应为 minor、general 或 serious", get(4))))?;
            let rule = Rule {
                sector: get(0).to_string(),
                penalty_kind,
                amount_min_fen: amount(2)?,
                amount_max_fen: amount(3)?,
                severity,
                effective_from: date(5)?,
                effective_to: date(6)?,
                legal_basis: get(7).to_string(),
                tag: get(8).to_string(),
            };
            if let (Some(a), Some(b)) = (rule.amount_min_fen, rule.amount_max_fen)
                && b <= a
            {
                return Err(fail("severity.band_order", format!("金额上限 {b} 应大于下限 {a}")));
            }
            if let (Some(a), Some(b)) = (rule.effective_from, rule.effective_to)
                && b < a
            {
                return Err(fail("severity.date_order", format!("失效日期 {b} 早于生效日期 {a}")));
            }
            rules.push(rule);
        }
        let mut sectors = HashMap::new();
        let mut rdr = csv::ReaderBuilder::new().flexible(true).from_reader(sectors_csv.as_bytes());
        for rec in rdr.records() {
            let rec =
                rec.map_err(|e| TableError { line: 0, code: "severity.csv", message: format!("无法读取行业对照表：{e}") })?;
            let dept = rec.get(0).map(str::trim).unwrap_or("").to_ascii_uppercase();
            let sector = rec.get(1).map(str::trim).unwrap_or("").to_string();
            if !dept.is_empty() {
                sectors.insert(dept, sector);
            }
        }
        Ok(Table { rules, sectors })
    }

    /// The rows as loaded (for the console and tests).
    pub fn rules(&self) -> &[Rule] {
        &self.rules
    }

    /// The sector of a source department (empty = the default sector).
    pub fn sector_of(&self, source_dept: &str) -> &str {
        self.sectors.get(source_dept.trim()).map(String::as_str).unwrap_or("")
    }

    /// The rule that decides `penalty_kind` in `sector` for a fine of `fine_fen`, decided
    /// on `decided` (`None` = the rules still in force): the most specific in force.
    pub fn rule_for(&self, sector: &str, penalty_kind: &str, fine_fen: Option<i64>, decided: Option<NaiveDate>) -> Option<&Rule> {
        self.rules
            .iter()
            .filter(|r| r.penalty_kind == penalty_kind)
            .filter(|r| r.sector.is_empty() || (!sector.is_empty() && r.sector == sector))
            .filter(|r| r.in_force_on(decided) && r.band_contains(fine_fen))
            .max_by_key(|r| (!r.sector.is_empty(), r.has_band(), r.effective_from))
    }

    /// The severity of a penalty decision with these kinds, sent by `source_dept`, with
    /// this fine, decided on `decided`: the heaviest kind decides; unknown kinds are 一般.
    pub fn classify(&self, source_dept: &str, kinds: &[&str], fine_fen: Option<i64>, decided: Option<NaiveDate>) -> Severity {
        let sector = self.sector_of(source_dept);
        kinds
            .iter()
            .map(|k| self.rule_for(sector, k, fine_fen, decided).map(|r| r.severity).unwrap_or(Severity::General))
            .max()
            .unwrap_or(Severity::General)
    }
}

/// The shipped table; a malformed shipped file is caught by the unit tests, and at run
/// time it degrades to an empty table (every penalty 一般) with an error in the log.
static TABLE: LazyLock<Table> = LazyLock::new(|| {
    Table::from_csv(RULES_CSV, SECTORS_CSV).unwrap_or_else(|e| {
        tracing::error!(error = %e, "severity table unreadable; every penalty counts as 一般");
        Table::default()
    })
});

/// The classification table in force in this build.
pub fn table() -> &'static Table {
    &TABLE
}

/// The severity of a penalty decision (see [`Table::classify`]) by the shipped table.
pub fn classify_record(source_dept: &str, kinds: &[&str], fine_fen: Option<i64>, decided: Option<NaiveDate>) -> Severity {
    TABLE.classify(source_dept, kinds, fine_fen, decided)
}

/// The severity by penalty kinds alone (default sector, rules in force today, no fine).
pub fn classify(kinds: &[&str]) -> Severity {
    TABLE.classify("", kinds, None, None)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Option<NaiveDate> {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").ok()
    }

    #[test]
    fn the_heaviest_kind_decides() {
        assert_eq!(classify(&["警告"]), Severity::Minor);
        assert_eq!(classify(&["警告", "通报批评"]), Severity::Minor);
        assert_eq!(classify(&["警告", "罚款"]), Severity::General);
        assert_eq!(classify(&["罚款", "吊销许可证件"]), Severity::Serious);
        assert_eq!(classify(&["其他-责令改正"]), Severity::General);
        assert_eq!(classify(&[]), Severity::General);
    }

    #[test]
    fn the_shipped_table_reads_and_has_no_invented_bands() {
        let t = Table::from_csv(RULES_CSV, SECTORS_CSV).unwrap();
        assert!(t.rules().len() >= 13);
        for r in t.rules() {
            assert!(r.sector.is_empty(), "shipped rows are national defaults: {r:?}");
            assert!(!r.has_band(), "no source gives amount bands: {r:?}");
            assert!(!r.legal_basis.is_empty() && !r.tag.is_empty(), "{r:?}");
            assert!(crate::model::PENALTY_KINDS.contains(&r.penalty_kind.as_str()), "{r:?}");
        }
        // The same answers as the former built-in table, whatever the decision date.
        for day in [d("2019-06-01"), d("2026-05-01"), None] {
            assert_eq!(t.classify("", &["吊销许可证件"], Some(1), day), Severity::Serious);
            assert_eq!(t.classify("", &["通报批评"], None, day), Severity::Minor);
            assert_eq!(t.classify("", &["罚款"], Some(100_000_000), day), Severity::General);
        }
    }

    /// A test-only table: a default sector, a food sector with its own fine bands, and a
    /// food rule revised on 2026-04-01.
    const TEST_RULES: &str = "sector,penalty_kind,amount_min_fen,amount_max_fen,severity,effective_from,effective_to,legal_basis,tag
,罚款,,,general,,,default,T
,警告,,,minor,,,default,T
,吊销许可证件,,,serious,,,default,T
食品,罚款,,1000000,minor,,2026-03-31,food old,T
食品,罚款,1000000,,serious,,2026-03-31,food old,T
食品,罚款,,500000,minor,2026-04-01,,food new,T
食品,罚款,500000,5000000,general,2026-04-01,,food new,T
食品,罚款,5000000,,serious,2026-04-01,,food new,T
食品,警告,,,general,2026-04-01,,food new,T
";
    const TEST_SECTORS: &str = "source_dept_uscc,sector,note\n11410922MB0000000X,食品,test\n";
    const FOOD: &str = "11410922MB0000000X";

    fn test_table() -> Table {
        Table::from_csv(TEST_RULES, TEST_SECTORS).unwrap()
    }

    #[test]
    fn the_version_in_force_on_the_decision_date_applies() {
        let t = test_table();
        // 8 000 yuan = 800 000 fen: old table minor (< 10 000 yuan), new table general.
        assert_eq!(t.classify(FOOD, &["罚款"], Some(800_000), d("2026-03-31")), Severity::Minor);
        assert_eq!(t.classify(FOOD, &["罚款"], Some(800_000), d("2026-04-01")), Severity::General);
        // 20 000 yuan: old serious, new general.
        assert_eq!(t.classify(FOOD, &["罚款"], Some(2_000_000), d("2025-01-01")), Severity::Serious);
        assert_eq!(t.classify(FOOD, &["罚款"], Some(2_000_000), d("2026-06-01")), Severity::General);
        // No date: the rules still in force.
        assert_eq!(t.classify(FOOD, &["罚款"], Some(2_000_000), None), Severity::General);
        // 警告 had no food rule before 2026-04-01: the default sector's.
        assert_eq!(t.classify(FOOD, &["警告"], None, d("2026-03-01")), Severity::Minor);
        assert_eq!(t.classify(FOOD, &["警告"], None, d("2026-04-02")), Severity::General);
    }

    #[test]
    fn the_most_specific_rule_wins() {
        let t = test_table();
        // A department without a sector: the default rules only.
        assert_eq!(t.classify("12410922000000000X", &["罚款"], Some(9_000_000), d("2026-06-01")), Severity::General);
        assert_eq!(t.sector_of("12410922000000000X"), "");
        assert_eq!(t.sector_of(FOOD), "食品");
        // The food sector's band beats the default rule.
        let r = t.rule_for("食品", "罚款", Some(9_000_000), d("2026-06-01")).unwrap();
        assert_eq!((r.severity, r.legal_basis.as_str()), (Severity::Serious, "food new"));
        // A kind the sector does not classify falls back to the default sector.
        assert_eq!(t.classify(FOOD, &["吊销许可证件"], None, d("2026-06-01")), Severity::Serious);
        // A fine without an amount: band rules cannot apply, the band-less default does.
        assert_eq!(t.classify(FOOD, &["罚款"], None, d("2026-06-01")), Severity::General);
        // The heaviest kind decides across sectors' rules.
        assert_eq!(t.classify(FOOD, &["警告", "罚款"], Some(100), d("2026-06-01")), Severity::General);
    }

    #[test]
    fn amount_bands_include_their_minimum_and_exclude_their_maximum() {
        let t = test_table();
        let on = d("2026-06-01");
        assert_eq!(t.classify(FOOD, &["罚款"], Some(0), on), Severity::Minor);
        assert_eq!(t.classify(FOOD, &["罚款"], Some(499_999), on), Severity::Minor);
        assert_eq!(t.classify(FOOD, &["罚款"], Some(500_000), on), Severity::General);
        assert_eq!(t.classify(FOOD, &["罚款"], Some(4_999_999), on), Severity::General);
        assert_eq!(t.classify(FOOD, &["罚款"], Some(5_000_000), on), Severity::Serious);
    }

    #[test]
    fn malformed_rows_are_refused_with_their_line() {
        let head = "sector,penalty_kind,amount_min_fen,amount_max_fen,severity,effective_from,effective_to,legal_basis,tag\n";
        let cases = [
            (",罚款,,,fatal,,,x,T\n", "severity.severity"),
            (",,,,minor,,,x,T\n", "severity.penalty_kind"),
            (",罚款,-1,,minor,,,x,T\n", "severity.amount"),
            (",罚款,100,100,minor,,,x,T\n", "severity.band_order"),
            (",罚款,,,minor,2026-13-01,,x,T\n", "severity.date"),
            (",罚款,,,minor,2026-04-01,2026-03-01,x,T\n", "severity.date_order"),
        ];
        for (row, code) in cases {
            let e = Table::from_csv(&format!("{head},警告,,,minor,,,ok,T\n{row}"), "").unwrap_err();
            assert_eq!((e.code, e.line), (code, 3), "{row}");
            assert!(e.to_string().contains("第3行"), "{e}");
        }
    }
}
