//! 时限配置 Time limits as configurable data. Every module that runs deadlines ships its
//! limits as a CSV file (`key,unit,value,zh,legal_basis,tag`) with the legal basis and
//! the DOMAIN.md tag of each number, so a county can change a default without touching
//! code. This is the one parser and lookup for all of them; the deadline itself is
//! counted by [`qingfeng_core::due_date`].
//!
//! A limit that differs by authority (the 差评 rectification period, for one) is written
//! once as the default `key` and again as `key@机关名称` for each authority that sets its
//! own; [`Limits::limit_for`] takes the authority's row when there is one.

use qingfeng_core::Period;
use serde::{Deserialize, Serialize};

/// 时限 A configured time limit.
#[derive(Debug, Clone, Serialize)]
pub struct Limit {
    pub key: String,
    pub period: Period,
    pub zh: String,
    pub legal_basis: String,
    /// V verified, C computed, S secondary, R recalled, ? unknown (a county default).
    pub tag: String,
}

/// A module's limits, checked.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Limits {
    pub items: Vec<Limit>,
}

/// The file's lines without `#` comments.
pub fn data_lines(text: &str) -> String {
    text.lines().filter(|l| !l.starts_with('#')).collect::<Vec<_>>().join("\n")
}

/// `natural_days` / `working_days` / `hours` and a positive whole number.
pub fn parse_period(unit: &str, value: &str) -> Result<Period, String> {
    let n: u32 = value.trim().parse().map_err(|_| format!("期限数值“{value}”不是正整数"))?;
    match unit.trim() {
        "natural_days" => Ok(Period::NaturalDays(n)),
        "working_days" => Ok(Period::WorkingDays(n)),
        "hours" => Ok(Period::Hours(n)),
        other => Err(format!("期限单位“{other}”须为 natural_days、working_days 或 hours")),
    }
}

#[derive(Deserialize)]
struct Row {
    key: String,
    unit: String,
    value: String,
    zh: String,
    legal_basis: String,
    tag: String,
}

impl Limits {
    /// Parse `text` (named `file` in messages) and check that every key of `required`
    /// is there.
    pub fn parse(file: &str, text: &str, required: &[&str]) -> Result<Limits, String> {
        let mut items: Vec<Limit> = Vec::new();
        for (i, r) in csv::Reader::from_reader(data_lines(text).as_bytes()).deserialize::<Row>().enumerate() {
            let r = r.map_err(|e| format!("{file} 第{}行：{e}", i + 2))?;
            let period = parse_period(&r.unit, &r.value).map_err(|e| format!("{file} {}：{e}", r.key))?;
            if items.iter().any(|l| l.key == r.key) {
                return Err(format!("{file}：时限 {} 重复", r.key));
            }
            items.push(Limit { key: r.key, period, zh: r.zh, legal_basis: r.legal_basis, tag: r.tag });
        }
        for k in required {
            if !items.iter().any(|l| l.key == *k) {
                return Err(format!("{file} 缺少时限 {k}"));
            }
        }
        Ok(Limits { items })
    }

    pub fn get(&self, key: &str) -> Option<&Limit> {
        self.items.iter().find(|l| l.key == key)
    }

    /// The limit `key` with its basis as one line; a fallback of 30 days keeps a broken
    /// file from stopping a workflow (the shipped files are checked by tests).
    pub fn limit(&self, key: &str) -> (Period, String) {
        match self.get(key) {
            Some(l) => (l.period, format!("{}{}：{}", l.zh, l.period, l.legal_basis)),
            None => (Period::NaturalDays(30), format!("缺少时限配置 {key}")),
        }
    }

    /// The limit `key` as `authority` sets it (`key@authority`), else the default.
    pub fn limit_for(&self, key: &str, authority: &str) -> (Period, String) {
        if !authority.is_empty() && self.get(&format!("{key}@{authority}")).is_some() {
            return self.limit(&format!("{key}@{authority}"));
        }
        self.limit(key)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const HEAD: &str = "key,unit,value,zh,legal_basis,tag\n";

    #[test]
    fn parses_checks_and_prefers_the_authority_row() {
        let text = format!(
            "# comment\n{HEAD}sign,working_days,1,签收,县默认,?\nfix,working_days,15,整改,某市,V\nfix@县市场监督管理局,working_days,5,整改,德州,V\n"
        );
        let l = Limits::parse("t.csv", &text, &["sign", "fix"]).unwrap();
        assert_eq!(l.limit("sign").0, Period::WorkingDays(1));
        assert_eq!(l.limit_for("fix", "县市场监督管理局").0, Period::WorkingDays(5));
        assert_eq!(l.limit_for("fix", "县教育局").0, Period::WorkingDays(15));
        assert!(l.limit("fix").1.contains("某市"));
        assert!(Limits::parse("t.csv", &text, &["reply"]).unwrap_err().contains("缺少时限 reply"));
        let dup = format!("{HEAD}a,hours,2,a,b,?\na,hours,3,a,b,?\n");
        assert!(Limits::parse("t.csv", &dup, &[]).unwrap_err().contains("重复"));
        assert!(Limits::parse("t.csv", &format!("{HEAD}a,days,2,a,b,?\n"), &[]).unwrap_err().contains("期限单位"));
        assert!(Limits::parse("t.csv", &format!("{HEAD}a,hours,-2,a,b,?\n"), &[]).unwrap_err().contains("正整数"));
    }
}
