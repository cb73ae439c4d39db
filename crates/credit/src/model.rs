//! 信用信息模型 The credit platform's domain types. Pure: no SQL, no HTTP.

use serde::Serialize;

/// 信息类别 Kind of credit record, as the departments send it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub enum RecordKind {
    /// 行政许可 (双公示) administrative permit.
    Xk,
    /// 行政处罚 (双公示) administrative penalty.
    Cf,
}

impl RecordKind {
    pub const ALL: [RecordKind; 2] = [RecordKind::Xk, RecordKind::Cf];

    pub fn key(self) -> &'static str {
        match self {
            RecordKind::Xk => "xk",
            RecordKind::Cf => "cf",
        }
    }
    pub fn zh(self) -> &'static str {
        match self {
            RecordKind::Xk => "行政许可",
            RecordKind::Cf => "行政处罚",
        }
    }
    pub fn parse(s: &str) -> Option<RecordKind> {
        RecordKind::ALL.into_iter().find(|k| k.key() == s.trim().to_ascii_lowercase() || k.zh() == s.trim())
    }
    /// Positive, neutral or negative information (信息性质).
    pub fn polarity(self) -> Polarity {
        match self {
            RecordKind::Xk => Polarity::Neutral,
            RecordKind::Cf => Polarity::Negative,
        }
    }
}

/// 主体类别 Kind of subject (行政相对人类别).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub enum SubjectKind {
    /// 法人及非法人组织
    Legal,
    /// 个体工商户
    IndividualBusiness,
    /// 自然人
    Natural,
}

impl SubjectKind {
    pub fn key(self) -> &'static str {
        match self {
            SubjectKind::Legal => "legal",
            SubjectKind::IndividualBusiness => "individual_business",
            SubjectKind::Natural => "natural",
        }
    }
    pub fn zh(self) -> &'static str {
        match self {
            SubjectKind::Legal => "法人及非法人组织",
            SubjectKind::IndividualBusiness => "个体工商户",
            SubjectKind::Natural => "自然人",
        }
    }
    /// From the stored key (`legal`, `individual_business`, `natural`).
    pub fn from_key(key: &str) -> Option<SubjectKind> {
        [SubjectKind::Legal, SubjectKind::IndividualBusiness, SubjectKind::Natural].into_iter().find(|k| k.key() == key)
    }
    /// The values departments send (also the numeric codes one national system uses:
    /// 01 自然人, 02 法人, 03 非法人组织, 04 个体工商户).
    pub fn parse(s: &str) -> Option<SubjectKind> {
        match s.trim() {
            "法人及非法人组织" | "法人" | "非法人组织" | "02" | "03" => Some(SubjectKind::Legal),
            "个体工商户" | "04" => Some(SubjectKind::IndividualBusiness),
            "自然人" | "01" => Some(SubjectKind::Natural),
            _ => None,
        }
    }
}

/// 信息性质
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Polarity {
    Positive,
    Neutral,
    Negative,
}

impl Polarity {
    pub fn key(self) -> &'static str {
        match self {
            Polarity::Positive => "positive",
            Polarity::Neutral => "neutral",
            Polarity::Negative => "negative",
        }
    }
}

/// 失信严重程度 Severity of negative information (令第36号: 轻微 / 一般 / 严重).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub enum Severity {
    Minor,
    General,
    Serious,
}

impl Severity {
    pub fn key(self) -> &'static str {
        match self {
            Severity::Minor => "minor",
            Severity::General => "general",
            Severity::Serious => "serious",
        }
    }
    pub fn zh(self) -> &'static str {
        match self {
            Severity::Minor => "轻微",
            Severity::General => "一般",
            Severity::Serious => "严重",
        }
    }
}

/// 许可类别 (XK_XKLB): the values of the national data standard.
pub const PERMIT_CATEGORIES: &[&str] = &["普通", "特许", "认可", "核准", "登记", "其他"];

/// 处罚类别 (CF_CFLB): the penalty kinds of 行政处罚法 (2021) Art. 9 as the standard lists them.
pub const PENALTY_KINDS: &[&str] = &[
    "警告",
    "通报批评",
    "罚款",
    "没收违法所得",
    "没收非法财物",
    "暂扣许可证件",
    "降低资质等级",
    "吊销许可证件",
    "限制开展生产经营活动",
    "责令停产停业",
    "责令关闭",
    "限制从业",
    "行政拘留",
    "其他",
];

/// 名单类别 Kind of list a subject can be on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub enum ListKind {
    /// 守信激励对象（红名单）
    Red,
    /// 严重失信主体名单（黑名单）
    Black,
    /// 失信被执行人 (最高人民法院)
    DishonestDebtor,
    /// 经营异常名录
    Abnormal,
}

impl ListKind {
    pub const ALL: [ListKind; 4] = [ListKind::Red, ListKind::Black, ListKind::DishonestDebtor, ListKind::Abnormal];

    pub fn key(self) -> &'static str {
        match self {
            ListKind::Red => "red",
            ListKind::Black => "black",
            ListKind::DishonestDebtor => "dishonest_debtor",
            ListKind::Abnormal => "abnormal",
        }
    }
    pub fn zh(self) -> &'static str {
        match self {
            ListKind::Red => "守信激励对象",
            ListKind::Black => "严重失信主体名单",
            ListKind::DishonestDebtor => "失信被执行人",
            ListKind::Abnormal => "经营异常名录",
        }
    }
    /// 守信激励 (incentive) or 失信惩戒 (punishment).
    pub fn incentive(self) -> bool {
        self == ListKind::Red
    }
    pub fn parse(s: &str) -> Option<ListKind> {
        ListKind::ALL.into_iter().find(|k| k.key() == s.trim() || k.zh() == s.trim())
    }
}
