//! 信用信息模型 The credit platform's domain types. Pure: no SQL, no HTTP.

use serde::Serialize;

/// 信息类别 Kind of credit record, as the departments send it. Each maps to an item of
/// the catalog (`data/catalog.csv`, see [`crate::rules::catalog`]), which gives its
/// category, credit-report group and polarity.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub enum RecordKind {
    /// 行政许可 (双公示) administrative permit.
    Xk,
    /// 行政处罚 (双公示) administrative penalty.
    Cf,
    /// 信用承诺 credit commitment (DOMAIN §3.2 [S]).
    Commitment,
    /// 纳税信用A级 taxpayer rated A (信用评价结果).
    TaxA,
}

impl RecordKind {
    pub const ALL: [RecordKind; 4] = [RecordKind::Xk, RecordKind::Cf, RecordKind::Commitment, RecordKind::TaxA];

    pub fn key(self) -> &'static str {
        match self {
            RecordKind::Xk => "xk",
            RecordKind::Cf => "cf",
            RecordKind::Commitment => "commitment",
            RecordKind::TaxA => "tax_a",
        }
    }
    pub fn zh(self) -> &'static str {
        match self {
            RecordKind::Xk => "行政许可",
            RecordKind::Cf => "行政处罚",
            RecordKind::Commitment => "信用承诺",
            RecordKind::TaxA => "纳税信用A级",
        }
    }
    pub fn parse(s: &str) -> Option<RecordKind> {
        RecordKind::ALL.into_iter().find(|k| k.key() == s.trim().to_ascii_lowercase() || k.zh() == s.trim())
    }
    /// The 双公示 kinds (行政许可, 行政处罚), checked against their national data standard.
    pub fn is_shuanggongshi(self) -> bool {
        matches!(self, RecordKind::Xk | RecordKind::Cf)
    }
    /// Positive, neutral or negative information (信息性质), from the catalog.
    pub fn polarity(self) -> Polarity {
        crate::rules::catalog::item(self.key()).map(|i| i.polarity).unwrap_or(Polarity::Neutral)
    }
}

/// 归集类别 What a file imports: records of a kind, or entries of a list. The `--kind`
/// values of the command line, the upload page's selector and the push API's `kind`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub enum ImportKind {
    Record(RecordKind),
    List(ListKind),
}

impl ImportKind {
    pub const ALL: [ImportKind; 8] = [
        ImportKind::Record(RecordKind::Xk),
        ImportKind::Record(RecordKind::Cf),
        ImportKind::Record(RecordKind::Commitment),
        ImportKind::Record(RecordKind::TaxA),
        ImportKind::List(ListKind::Red),
        ImportKind::List(ListKind::Black),
        ImportKind::List(ListKind::DishonestDebtor),
        ImportKind::List(ListKind::Abnormal),
    ];

    pub fn key(self) -> &'static str {
        match self {
            ImportKind::Record(k) => k.key(),
            ImportKind::List(k) => k.key(),
        }
    }
    pub fn zh(self) -> &'static str {
        match self {
            ImportKind::Record(k) => k.zh(),
            ImportKind::List(k) => k.zh(),
        }
    }
    /// English name for the bilingual pages.
    pub fn en(self) -> &'static str {
        match self {
            ImportKind::Record(RecordKind::Xk) => "Permits",
            ImportKind::Record(RecordKind::Cf) => "Penalties",
            ImportKind::Record(RecordKind::Commitment) => "Credit commitments",
            ImportKind::Record(RecordKind::TaxA) => "Taxpayers rated A",
            ImportKind::List(ListKind::Red) => "Red list (incentives)",
            ImportKind::List(ListKind::Black) => "Black list (serious dishonesty)",
            ImportKind::List(ListKind::DishonestDebtor) => "Dishonest judgment debtors",
            ImportKind::List(ListKind::Abnormal) => "Abnormal operations",
        }
    }
    /// From a key (`xk`, `dishonest_debtor`) or a Chinese name (`失信被执行人`).
    pub fn parse(s: &str) -> Option<ImportKind> {
        let t = s.trim();
        ImportKind::ALL.into_iter().find(|k| k.key() == t.to_ascii_lowercase() || k.zh() == t)
    }
    /// `xk（行政许可）、cf（行政处罚）、…` for messages.
    pub fn choices() -> String {
        ImportKind::ALL.iter().map(|k| format!("{}（{}）", k.key(), k.zh())).collect::<Vec<_>>().join("、")
    }
}

impl From<RecordKind> for ImportKind {
    fn from(k: RecordKind) -> ImportKind {
        ImportKind::Record(k)
    }
}

impl From<ListKind> for ImportKind {
    fn from(k: ListKind) -> ImportKind {
        ImportKind::List(k)
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
    /// From the stored key (`positive`, `neutral`, `negative`).
    pub fn from_key(key: &str) -> Option<Polarity> {
        [Polarity::Positive, Polarity::Neutral, Polarity::Negative].into_iter().find(|p| p.key() == key.trim())
    }
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
