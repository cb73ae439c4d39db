//! 直通车模块与政策层级 The portal's 13 modules in the mini program's order, and the
//! levels a policy is published at. Pure data, no I/O.

use serde::Serialize;

/// 模块 One of the 13 mini-program modules. `href` is `Some` only once its pages exist:
/// the home shows the others as 建设中 (under construction), never as links that 404.
#[derive(Debug, Clone, Copy, Serialize)]
pub struct PortalModule {
    pub key: &'static str,
    pub zh: &'static str,
    pub en: &'static str,
    /// One character drawn in the tile's icon.
    pub glyph: &'static str,
    pub href: Option<&'static str>,
}

/// The 13 modules, in the order of the county's mini program.
pub const MODULES: &[PortalModule] = &[
    PortalModule { key: "news", zh: "营商动态", en: "News", glyph: "讯", href: Some("/portal/news") },
    PortalModule { key: "policies", zh: "营商政策", en: "Policies", glyph: "策", href: Some("/portal/policies") },
    PortalModule { key: "departments", zh: "部门职责", en: "Department duties", glyph: "职", href: Some("/portal/departments") },
    PortalModule { key: "powers", zh: "权责清单", en: "Powers list", glyph: "权", href: Some("/portal/powers") },
    PortalModule {
        key: "negative_list", zh: "市场准入负面清单", en: "Negative list", glyph: "准", href: Some("/portal/negative-list")
    },
    PortalModule { key: "public_services", zh: "公共服务", en: "Public services", glyph: "服", href: Some("/portal/services") },
    PortalModule { key: "fees", zh: "收费清单", en: "Fees list", glyph: "费", href: Some("/portal/fees") },
    PortalModule { key: "quick_matters", zh: "小事快办", en: "Quick small matters", glyph: "快", href: Some("/portal/quick/new") },
    PortalModule { key: "complaints", zh: "企业家维权投诉", en: "Complaints", glyph: "诉", href: Some("/portal/complaints/new") },
    PortalModule { key: "ratings", zh: "好差评", en: "Service ratings", glyph: "评", href: Some("/portal/ratings") },
    PortalModule { key: "surveys", zh: "问卷调查", en: "Surveys", glyph: "问", href: Some("/portal/surveys") },
    PortalModule { key: "cases", zh: "经典案例", en: "Model cases", glyph: "案", href: Some("/portal/cases") },
    PortalModule { key: "exposure", zh: "曝光台", en: "Exposure board", glyph: "曝", href: Some("/portal/exposure") },
];

/// 层级 Where a policy comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Level {
    /// 国家 Laws, administrative regulations and departmental rules.
    National,
    /// 河南省 Provincial regulations, and the regulations of Henan's other cities, which
    /// the provincial people's congress standing committee approves (批准).
    Henan,
    /// 濮阳市 Puyang, the city Qingfeng belongs to.
    Puyang,
}

impl Level {
    pub const ALL: [Level; 3] = [Level::National, Level::Henan, Level::Puyang];

    pub fn key(self) -> &'static str {
        match self {
            Level::National => "national",
            Level::Henan => "henan",
            Level::Puyang => "puyang",
        }
    }
    pub fn zh(self) -> &'static str {
        match self {
            Level::National => "国家",
            Level::Henan => "河南省",
            Level::Puyang => "濮阳市",
        }
    }
    pub fn en(self) -> &'static str {
        match self {
            Level::National => "National",
            Level::Henan => "Henan",
            Level::Puyang => "Puyang",
        }
    }
    pub fn from_key(key: &str) -> Option<Level> {
        Level::ALL.into_iter().find(|l| l.key() == key)
    }
}

/// 效力状态 In-force status. The texts are reference copies that may be superseded, so a
/// policy is [`Status::Unknown`] unless its text or staff state otherwise.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// 现行有效
    InForce,
    /// 已废止
    Repealed,
    /// 未核实
    Unknown,
}

impl Status {
    pub fn key(self) -> &'static str {
        match self {
            Status::InForce => "in_force",
            Status::Repealed => "repealed",
            Status::Unknown => "unknown",
        }
    }
    pub fn zh(self) -> &'static str {
        match self {
            Status::InForce => "现行有效",
            Status::Repealed => "已废止",
            Status::Unknown => "未核实（以国家法律法规数据库为准）",
        }
    }
    pub fn from_key(key: &str) -> Status {
        match key {
            "in_force" => Status::InForce,
            "repealed" => Status::Repealed,
            _ => Status::Unknown,
        }
    }
}
