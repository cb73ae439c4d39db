//! 规则 The rules as data, shipped in `crates/mediation/data/`: dispute categories
//! (DOMAIN.md §5.4), time limits (§5.2) with their legal basis and tag, and the routing
//! rules that send a new case to a body. Each file is parsed and checked once; a bad file
//! is a test failure, never a panic at run time.

use std::sync::OnceLock;

use qingfeng_core::Period;
use serde::{Deserialize, Serialize};

const CATEGORIES_CSV: &str = include_str!("../data/categories.csv");
const LIMITS_CSV: &str = include_str!("../data/limits.csv");
const ROUTING_CSV: &str = include_str!("../data/routing.csv");
const COURT_CSV: &str = include_str!("../data/court.csv");

/// 纠纷类型 A dispute category.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Category {
    pub key: String,
    pub zh: String,
    pub en: String,
    pub tag: String,
    pub source: String,
}

use qingfeng_platform::limits::data_lines;
pub use qingfeng_platform::limits::{Limit, Limits};

/// 分流规则 A routing rule: the first matching row decides.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Route {
    pub category: String,
    pub channel: String,
    pub place: String,
    pub target: String,
    pub org: String,
    pub note: String,
}

impl Route {
    pub fn matches(&self, category: &str, channel: &str, village_code: &str) -> bool {
        (self.category == "*" || self.category == category)
            && (self.channel == "*" || self.channel == channel)
            && village_code.starts_with(&self.place)
    }

    /// A short label for the audit chain and the case page.
    pub fn label(&self) -> String {
        format!(
            "{}/{}/{} → {}{}",
            self.category,
            self.channel,
            if self.place.is_empty() { "*" } else { &self.place },
            self.target,
            if self.org.is_empty() { String::new() } else { format!(" {}", self.org) }
        )
    }
}

/// Everything in `data/`, checked.
#[derive(Debug, Clone)]
pub struct Rules {
    pub categories: Vec<Category>,
    pub limits: Limits,
    pub routes: Vec<Route>,
    /// 法院代字 The court's code in case numbers (`豫0922`), from `data/court.csv` [R].
    pub court_code: String,
}

/// The limits the workflow needs; a missing key is a data error caught by the tests.
pub const LIMIT_KEYS: &[&str] = &[
    "screening",
    "accept",
    "mediation",
    "extension_max",
    "confirmation_window",
    "confirmation_accept",
    "confirmation_decide",
    "confirmation_extend",
    "level_village",
    "level_township",
    "remind_before",
];

impl Rules {
    /// Parse the three files and check them against each other.
    pub fn parse(categories: &str, limits: &str, routing: &str) -> Result<Rules, String> {
        let mut cats = Vec::new();
        for (i, r) in csv::Reader::from_reader(data_lines(categories).as_bytes()).deserialize::<Category>().enumerate() {
            cats.push(r.map_err(|e| format!("categories.csv 第{}行：{e}", i + 2))?);
        }
        let lims = Limits::parse("limits.csv", limits, LIMIT_KEYS)?;
        let mut routes = Vec::new();
        for (i, r) in csv::Reader::from_reader(data_lines(routing).as_bytes()).deserialize::<Route>().enumerate() {
            let r = r.map_err(|e| format!("routing.csv 第{}行：{e}", i + 2))?;
            if r.category != "*" && !cats.iter().any(|c| c.key == r.category) {
                return Err(format!("routing.csv：未知纠纷类型 {}", r.category));
            }
            if r.channel != "*" && crate::model::channel(&r.channel).is_none() {
                return Err(format!("routing.csv：未知渠道 {}", r.channel));
            }
            if !crate::model::BODY_KINDS.iter().any(|b| b.0 == r.target) {
                return Err(format!("routing.csv：未知调解主体类别 {}", r.target));
            }
            if matches!(r.target.as_str(), "professional" | "admin_centre") && r.org.trim().is_empty() {
                return Err(format!("routing.csv：{} 须写明组织名称", r.target));
            }
            routes.push(r);
        }
        // Every case must land somewhere: the last rule catches everything.
        if !routes.last().is_some_and(|r| r.category == "*" && r.channel == "*" && r.place.is_empty()) {
            return Err("routing.csv 的最后一条规则须为兜底规则（*,*,,…）".into());
        }
        let mut court_code = String::new();
        for r in csv::Reader::from_reader(data_lines(COURT_CSV).as_bytes()).records() {
            let r = r.map_err(|e| format!("court.csv：{e}"))?;
            if r.get(0) == Some("court_code") {
                court_code = r.get(1).unwrap_or_default().trim().to_string();
            }
        }
        if court_code.is_empty() {
            return Err("court.csv 缺少 court_code".into());
        }
        Ok(Rules { categories: cats, limits: lims, routes, court_code })
    }

    /// The rules shipped with the product.
    pub fn shipped() -> &'static Rules {
        static RULES: OnceLock<Rules> = OnceLock::new();
        RULES.get_or_init(|| match Rules::parse(CATEGORIES_CSV, LIMITS_CSV, ROUTING_CSV) {
            Ok(r) => r,
            Err(e) => {
                // The shipped files are checked by a unit test; should one still be broken,
                // run with no rules rather than crash, and say so loudly.
                tracing::error!(error = %e, "mediation rules in crates/mediation/data are invalid");
                Rules { categories: Vec::new(), limits: Limits::default(), routes: Vec::new(), court_code: String::new() }
            }
        })
    }

    pub fn category(&self, key: &str) -> Option<&Category> {
        self.categories.iter().find(|c| c.key == key)
    }

    pub fn category_zh(&self, key: &str) -> String {
        self.category(key).map(|c| c.zh.clone()).unwrap_or_else(|| key.to_string())
    }

    /// The configured limit `key` (one of [`LIMIT_KEYS`]) with its basis.
    pub fn limit(&self, key: &str) -> (Period, String) {
        self.limits.limit(key)
    }

    /// The first rule matching the case.
    pub fn route(&self, category: &str, channel: &str, village_code: &str) -> Option<&Route> {
        self.routes.iter().find(|r| r.matches(category, channel, village_code))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shipped_rules_parse_and_route_every_case_somewhere() {
        let r = Rules::parse(CATEGORIES_CSV, LIMITS_CSV, ROUTING_CSV).unwrap();
        assert_eq!(r.categories.len(), 19, "DOMAIN.md §5.4 lists 19 categories");
        assert_eq!(r.court_code, "豫0922");
        assert_eq!(r.limit("mediation").0, Period::NaturalDays(30));
        assert_eq!(r.limit("confirmation_accept").0, Period::NaturalDays(3));
        assert_eq!(r.limit("confirmation_decide").0, Period::NaturalDays(15));
        for c in &r.categories {
            for ch in crate::model::CHANNELS {
                assert!(r.route(&c.key, ch.key, "410922100201").is_some(), "{} {}", c.key, ch.key);
            }
        }
        assert_eq!(r.route("medical", "grid", "410922100201").unwrap().target, "professional");
        assert_eq!(r.route("neighbour", "grid", "410922100201").unwrap().target, "village_committee");
        assert_eq!(r.route("neighbour", "court", "410922100201").unwrap().target, "grid_home");
        assert_eq!(r.route("contract", "online", "410922200201").unwrap().target, "township_committee");
    }

    #[test]
    fn broken_rule_files_are_refused_with_reasons() {
        let e =
            Rules::parse(CATEGORIES_CSV, LIMITS_CSV, "category,channel,place,target,org,note\nmedical,*,,professional,,x\n").unwrap_err();
        assert!(e.contains("组织名称"), "{e}");
        let e = Rules::parse(CATEGORIES_CSV, LIMITS_CSV, "category,channel,place,target,org,note\nmedical,*,,moon,,x\n").unwrap_err();
        assert!(e.contains("未知调解主体"), "{e}");
        let e = Rules::parse(CATEGORIES_CSV, LIMITS_CSV, "category,channel,place,target,org,note\nmedical,*,,village_committee,,x\n")
            .unwrap_err();
        assert!(e.contains("兜底"), "{e}");
        let e = Rules::parse(CATEGORIES_CSV, "key,unit,value,zh,legal_basis,tag\nmediation,days,30,a,b,V\n", ROUTING_CSV).unwrap_err();
        assert!(e.contains("期限单位"), "{e}");
        let e =
            Rules::parse(CATEGORIES_CSV, "key,unit,value,zh,legal_basis,tag\nmediation,natural_days,30,a,b,V\n", ROUTING_CSV).unwrap_err();
        assert!(e.contains("缺少时限"), "{e}");
    }
}
