//! 失信严重程度 Severity of an administrative penalty, from its penalty kinds.
//!
//! Basis: 信用修复管理办法 (NDRC 令第36号, effective 2026-04-01) as summarised in official
//! media (DOMAIN.md §3.5 [V]): 轻微 = 简易程序, 警告, 通报批评; 一般 = 较大数额罚款, 没收违法
//! 所得/非法财物, 暂扣许可证件; 严重 = 巨额罚款, 吊销许可证, 限制从业 and the like.
//! The amount bands (较大数额/巨额) are set per province and sector and are not public
//! here [?]: until a sector's table is loaded, a fine counts as 一般.

use crate::model::Severity;

/// (penalty kind, severity it implies at least).
pub const BY_PENALTY_KIND: &[(&str, Severity)] = &[
    ("警告", Severity::Minor),
    ("通报批评", Severity::Minor),
    ("罚款", Severity::General),
    ("没收违法所得", Severity::General),
    ("没收非法财物", Severity::General),
    ("暂扣许可证件", Severity::General),
    ("降低资质等级", Severity::General),
    ("责令停产停业", Severity::General),
    ("行政拘留", Severity::General),
    ("吊销许可证件", Severity::Serious),
    ("限制开展生产经营活动", Severity::Serious),
    ("责令关闭", Severity::Serious),
    ("限制从业", Severity::Serious),
];

/// The most severe class any of `kinds` implies (a decision with several penalty kinds
/// takes the heaviest); unknown kinds (其他…) count as 一般.
pub fn classify(kinds: &[&str]) -> Severity {
    kinds
        .iter()
        .map(|k| BY_PENALTY_KIND.iter().find(|(name, _)| name == k).map(|(_, s)| *s).unwrap_or(Severity::General))
        .max()
        .unwrap_or(Severity::General)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_heaviest_kind_decides() {
        assert_eq!(classify(&["警告"]), Severity::Minor);
        assert_eq!(classify(&["警告", "通报批评"]), Severity::Minor);
        assert_eq!(classify(&["警告", "罚款"]), Severity::General);
        assert_eq!(classify(&["罚款", "吊销许可证件"]), Severity::Serious);
        assert_eq!(classify(&["其他-责令改正"]), Severity::General);
    }
}
