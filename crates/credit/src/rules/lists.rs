//! 联合奖惩措施 The joint incentive and punishment measures that follow from being on a
//! list, as data (`data/list_measures.csv`, each with its legal basis and source tag).
//! Only measures found in a source are listed: the 全国失信惩戒措施基础清单 (2024) itself
//! is not in this repository [?], so lists without a sourced row answer with none.

use std::sync::LazyLock;

use serde::Serialize;

use crate::model::ListKind;

const MEASURES_CSV: &str = include_str!("../../data/list_measures.csv");

/// One measure.
#[derive(Debug, Clone, Serialize)]
pub struct Measure {
    pub list_kind: &'static str,
    pub measure: String,
    pub legal_basis: String,
    pub tag: String,
}

static MEASURES: LazyLock<Vec<Measure>> = LazyLock::new(|| {
    let mut rdr = csv::Reader::from_reader(MEASURES_CSV.as_bytes());
    rdr.records()
        .flatten()
        .filter_map(|r| {
            let kind = ListKind::parse(r.get(0)?)?;
            Some(Measure {
                list_kind: kind.key(),
                measure: r.get(1)?.to_string(),
                legal_basis: r.get(2)?.to_string(),
                tag: r.get(3)?.to_string(),
            })
        })
        .collect()
});

/// The measures that apply to a subject on `kind`.
pub fn measures(kind: ListKind) -> Vec<Measure> {
    MEASURES.iter().filter(|m| m.list_kind == kind.key()).cloned().collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn measures_come_from_data_with_their_basis() {
        let m = measures(ListKind::DishonestDebtor);
        assert_eq!(m.len(), 7);
        assert!(m.iter().all(|x| x.legal_basis.contains("第八条") && !x.tag.is_empty()));
        assert!(measures(ListKind::Black).is_empty(), "no sourced measures: none invented");
    }
}
