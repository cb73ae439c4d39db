//! 其他目录类别 Checking rows of the catalog kinds beyond 双公示: 信用承诺 and 纳税信用A级
//! (they become records) and the four lists — 守信激励对象, 严重失信主体名单, 失信被执行人,
//! 经营异常名录 (they become list entries). Their columns are data
//! (`data/catalog_fields.csv`); the checks find each column by its role, so a column
//! set can change without touching this code.
//!
//! As for 双公示 rows, every defect of a row is reported with its field code, a stable
//! code and a Chinese reason; personal ID numbers never go into the payload in clear.

use chrono::{Datelike, NaiveDate};
use qingfeng_core::{ResidentId, Uscc};

use crate::ingest::fields::{fields, index_of_role};
use crate::model::{ImportKind, ListKind, RecordKind, SubjectKind};
use crate::rules::validate::{Options, RowError, Valid};
use crate::rules::{dates, lists};

/// A list row that passed: what the pipeline puts on the list.
#[derive(Debug, Clone, PartialEq)]
pub struct ValidListEntry {
    pub list_kind: ListKind,
    pub subject_kind: SubjectKind,
    pub subject_name: String,
    pub uscc: Option<String>,
    /// Normalised resident ID of a natural person (kept only to encrypt and hash it).
    pub id_number: Option<String>,
    /// USCC of the 数据来源单位.
    pub source_dept: String,
    /// The deciding body as named (认定单位, 执行法院, 作出决定机关).
    pub authority: String,
    /// 列入依据 (for 失信被执行人: the Art. 1 situations).
    pub basis: String,
    /// The document or case number (文书号, 案号): part of the natural key.
    pub source_ref: String,
    pub listed_on: NaiveDate,
    pub ends_on: Option<NaiveDate>,
    pub removed_on: Option<NaiveDate>,
    /// Every non-empty field by code, personal ID numbers masked: one JSON object with
    /// sorted keys ([`crate::rules::validate::payload_json`]).
    pub payload: String,
    pub warnings: Vec<&'static str>,
}

/// A row read by the roles of its columns.
struct Row<'a> {
    kind: ImportKind,
    values: &'a [&'a str],
    errors: Vec<RowError>,
    warnings: Vec<&'static str>,
    opts: &'a Options,
}

impl<'a> Row<'a> {
    fn has(&self, role: &str) -> bool {
        index_of_role(self.kind, role).is_some()
    }
    fn get(&self, role: &str) -> &'a str {
        index_of_role(self.kind, role).and_then(|i| self.values.get(i)).map(|v| v.trim()).unwrap_or("")
    }
    fn code(&self, role: &str) -> String {
        index_of_role(self.kind, role).map(|i| fields(self.kind)[i].code.clone()).unwrap_or_default()
    }
    fn zh(&self, role: &str) -> String {
        index_of_role(self.kind, role).map(|i| fields(self.kind)[i].zh.clone()).unwrap_or_else(|| role.to_string())
    }
    fn fail(&mut self, role: &str, code: &'static str, message: String) {
        let field = self.code(role);
        self.errors.push(RowError { field, code, message });
    }
    fn required(&mut self, role: &str) -> &'a str {
        let v = self.get(role);
        if v.is_empty() {
            let zh = self.zh(role);
            self.fail(role, "row.required", format!("{zh}不能为空"));
        }
        v
    }
    fn date(&mut self, role: &str, required: bool) -> Option<NaiveDate> {
        let v = if required { self.required(role) } else { self.get(role) };
        if v.is_empty() {
            return None;
        }
        let zh = self.zh(role);
        match dates::parse(v) {
            None => {
                self.fail(role, "row.date", format!("{zh}“{v}”不是有效日期（可用 YYYY/MM/DD、YYYY-MM-DD、YYYYMMDD）"));
                None
            }
            Some(d) if d > self.opts.today => {
                self.fail(role, "row.date_future", format!("{zh}{d}晚于今天"));
                None
            }
            Some(d) => Some(d),
        }
    }
    fn uscc(&mut self, role: &str, required: bool) -> Option<String> {
        let v = if required { self.required(role) } else { self.get(role) };
        if v.is_empty() {
            return None;
        }
        let parsed = if self.opts.lenient_uscc {
            Uscc::parse_lenient(v).map(|(u, w)| {
                if !w.is_empty() {
                    self.warnings.push("check_digit_mismatch");
                }
                u
            })
        } else {
            Uscc::parse(v)
        };
        match parsed {
            Ok(u) => Some(u.as_str().to_string()),
            Err(e) => {
                let zh = self.zh(role);
                self.fail(role, e.code, format!("{zh}：{}", e.message));
                None
            }
        }
    }
    fn resident_id(&mut self, role: &str, raw: &str) -> Option<String> {
        match ResidentId::parse_on(raw, self.opts.today) {
            Ok(id) => Some(id.as_str().to_string()),
            Err(e) => {
                self.fail(role, e.code, format!("{}：{}", self.zh(role), e.message));
                None
            }
        }
    }
    /// The 数据来源单位 (name and USCC).
    fn source(&mut self) -> String {
        self.required("source");
        self.uscc("source_code", true).unwrap_or_default()
    }

    /// The subject: from a combined code column (失信被执行人: USCC or ID), or from
    /// 主体类别 + 统一社会信用代码 / 证件号码 (类别 inferred from the code when the
    /// column is absent or empty).
    fn subject(&mut self, allow_natural: bool) -> Option<(SubjectKind, String, Option<String>, Option<String>)> {
        let name = self.required("subject_name").to_string();
        let (kind, uscc, id) = if self.has("subject_code") {
            let raw = self.required("subject_code");
            if raw.is_empty() {
                return None;
            }
            if raw.contains('*') {
                let zh = self.zh("subject_code");
                self.fail(
                    "subject_code",
                    "row.code_masked",
                    format!("{zh}“{raw}”已打码，无法确认主体：单位请填统一社会信用代码，个人请填完整的身份证号码"),
                );
                return None;
            }
            let looks_like_id = raw.chars().take(17).all(|c| c.is_ascii_digit()) && matches!(raw.len(), 15 | 18);
            if looks_like_id {
                let id = self.resident_id("subject_code", raw)?;
                (SubjectKind::Natural, None, Some(id))
            } else {
                let u = self.uscc("subject_code", true)?;
                (uscc_kind(&u), Some(u), None)
            }
        } else {
            let kind_raw = self.get("subject_kind");
            let stated = SubjectKind::parse(kind_raw);
            if stated.is_none() && !kind_raw.is_empty() {
                self.fail(
                    "subject_kind",
                    "row.subject_kind",
                    format!("主体类别“{kind_raw}”无效，应为 法人及非法人组织、个体工商户 或 自然人"),
                );
                return None;
            }
            let stated = match stated {
                Some(k) => k,
                None if self.has("subject_kind") && fields(self.kind).iter().any(|f| f.role == "subject_kind" && f.required) => {
                    self.required("subject_kind");
                    return None;
                }
                None if !self.get("id_number").is_empty() && self.get("uscc").is_empty() => SubjectKind::Natural,
                None => SubjectKind::Legal,
            };
            if stated == SubjectKind::Natural && !allow_natural {
                self.fail(
                    "subject_kind",
                    "row.subject_kind",
                    format!("{}只收市场主体（法人及非法人组织、个体工商户），不收自然人", self.kind.zh()),
                );
                return None;
            }
            match stated {
                SubjectKind::Natural => {
                    let raw = self.required("id_number");
                    if raw.is_empty() {
                        return None;
                    }
                    (SubjectKind::Natural, None, Some(self.resident_id("id_number", raw)?))
                }
                k => {
                    let u = self.uscc("uscc", true)?;
                    // An unstated kind follows the code (92… = 个体工商户).
                    let k = if SubjectKind::parse(kind_raw).is_some() { k } else { uscc_kind(&u) };
                    (k, Some(u), None)
                }
            }
        };
        if kind == SubjectKind::Natural && !allow_natural {
            let role = if self.has("subject_code") { "subject_code" } else { "subject_kind" };
            self.fail(role, "row.subject_kind", format!("{}只收市场主体（法人及非法人组织、个体工商户），不收自然人", self.kind.zh()));
            return None;
        }
        Some((kind, name, uscc, id))
    }

    /// Every non-empty field by code, personal ID numbers masked, as stored.
    fn payload(&self) -> String {
        crate::rules::validate::payload_json(self.kind, self.values, |f, v| {
            f.role == "id_number" || (f.role == "subject_code" && ResidentId::parse(v).is_ok())
        })
    }
}

/// 个体工商户 codes start with 92 (GB 32100: 工商 + 个体工商户).
fn uscc_kind(u: &str) -> SubjectKind {
    if u.starts_with("92") { SubjectKind::IndividualBusiness } else { SubjectKind::Legal }
}

/// Check one row of 信用承诺 or 纳税信用A级 (`values` ordered as [`fields`] of `kind`).
pub fn validate_record(kind: RecordKind, values: &[&str], opts: &Options) -> Result<Valid, Vec<RowError>> {
    let mut row = Row { kind: kind.into(), values, errors: Vec::new(), warnings: Vec::new(), opts };
    let subject = row.subject(kind != RecordKind::TaxA);
    let source_dept = row.source();
    row.required("authority_name");
    let authority = row.uscc("authority_code", true).unwrap_or_default();
    let decision_date = row.date("date", true);
    let doc_no = match kind {
        RecordKind::TaxA => {
            // 评价年度 and 评价结果: one A rating per taxpayer and year.
            let year_raw = row.required("year");
            let year: Option<i32> = year_raw.trim_end_matches("年度").trim_end_matches('年').parse().ok();
            match year {
                Some(y) if (1990..=opts.today.year()).contains(&y) => {}
                _ if year_raw.is_empty() => {}
                _ => row.fail("year", "row.year", format!("评价年度“{year_raw}”应为不晚于今年的四位年份")),
            }
            let result = row.required("result").trim_end_matches('级').to_ascii_uppercase();
            if !result.is_empty() && result != "A" {
                row.fail("result", "row.tax_grade", format!("评价结果“{result}”：纳税信用A级名单只收评价结果为 A 的纳税人"));
            }
            year.map(|y| format!("{y}年度")).unwrap_or_default()
        }
        _ => {
            for role in ["type", "content"] {
                row.required(role);
            }
            row.required("doc_no").to_string()
        }
    };
    if !row.errors.is_empty() {
        return Err(row.errors);
    }
    let (Some((subject_kind, subject_name, uscc, id_number)), Some(decision_date)) = (subject, decision_date) else {
        return Err(vec![RowError { field: String::new(), code: "row.invalid", message: "行数据无效".into() }]);
    };
    let payload = row.payload();
    Ok(Valid {
        kind,
        subject_kind,
        subject_name,
        uscc,
        id_number,
        source_dept,
        authority,
        doc_no,
        decision_date,
        valid_from: None,
        valid_to: None,
        amount_fen: None,
        severity: None,
        penalty_kinds: Vec::new(),
        payload,
        warnings: row.warnings,
    })
}

/// Check one row of a list file (`values` ordered as [`fields`] of `kind`).
pub fn validate_list(kind: ListKind, values: &[&str], opts: &Options) -> Result<ValidListEntry, Vec<RowError>> {
    let mut row = Row { kind: kind.into(), values, errors: Vec::new(), warnings: Vec::new(), opts };
    let subject = row.subject(kind != ListKind::Abnormal);
    let source_dept = row.source();
    let authority = row.required("authority_name").to_string();
    let source_ref = row.required("doc_no").to_string();
    let listed_on = row.date("listed_on", true);
    let removed_on = row.date("removed_on", false);
    let mut ends_on = None;
    let basis = if kind == ListKind::DishonestDebtor {
        for role in ["gist_no", "gist_unit", "duty", "performance"] {
            row.required(role);
        }
        let filed_on = row.date("filed_on", true);
        if let (Some(f), Some(l)) = (filed_on, listed_on)
            && l < f
        {
            row.fail("listed_on", "row.date_order", format!("发布时间 {l} 早于立案时间 {f}"));
        }
        let raw = row.required("situation");
        let situations = match lists::parse_situations(raw) {
            Ok(s) => s,
            Err(part) => {
                row.fail(
                    "situation",
                    "row.dishonest_situation",
                    format!("失信情形“{part}”不是第一条所列六种情形之一（可填 1–6 或原文）：{}", lists::DISHONEST_SITUATIONS.join("；")),
                );
                Vec::new()
            }
        };
        let ext_raw = row.get("extension_years");
        let extension = match ext_raw.trim_end_matches('年').parse::<u32>() {
            _ if ext_raw.is_empty() => 0,
            Ok(n) if lists::DISHONEST_EXTENSION_YEARS.contains(&n) => n,
            _ => {
                row.fail("extension_years", "row.extension_years", format!("延长年限“{ext_raw}”应为 1、2 或 3 年（第二条）"));
                0
            }
        };
        if extension > 0 && situations.contains(&1) {
            row.fail(
                "extension_years",
                "row.extension_not_applicable",
                "情形一（有履行能力而拒不履行）无固定期限，至履行时止，不能延长".into(),
            );
        }
        if let Some(l) = listed_on {
            ends_on = lists::dishonest_debtor_ends_on(&situations, l, extension);
        }
        situations
            .iter()
            .filter_map(|n| lists::DISHONEST_SITUATIONS.get(usize::from(*n).saturating_sub(1)))
            .copied()
            .collect::<Vec<_>>()
            .join("；")
    } else {
        if row.has("ends_on") {
            let raw = row.get("ends_on");
            if !raw.is_empty() {
                match dates::parse(raw) {
                    Some(e) => ends_on = Some(e),
                    None => row.fail("ends_on", "row.date", format!("{}“{raw}”不是有效日期", row.zh("ends_on"))),
                }
            }
        }
        row.required("basis").to_string()
    };
    if let Some(l) = listed_on {
        if let Some(e) = ends_on
            && e < l
        {
            row.fail("ends_on", "row.validity_order", format!("有效期至 {e} 早于列入日期 {l}"));
        }
        if let Some(r) = removed_on
            && r < l
        {
            row.fail("removed_on", "row.validity_order", format!("移出日期 {r} 早于列入日期 {l}"));
        }
    }
    if !row.errors.is_empty() {
        return Err(row.errors);
    }
    let (Some((subject_kind, subject_name, uscc, id_number)), Some(listed_on)) = (subject, listed_on) else {
        return Err(vec![RowError { field: String::new(), code: "row.invalid", message: "行数据无效".into() }]);
    };
    let payload = row.payload();
    Ok(ValidListEntry {
        list_kind: kind,
        subject_kind,
        subject_name,
        uscc,
        id_number,
        source_dept,
        authority,
        basis,
        source_ref,
        listed_on,
        ends_on,
        removed_on,
        payload,
        warnings: row.warnings,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ingest::fields::index_of;

    fn uscc(prefix2: &str, body8: &str) -> String {
        qingfeng_core::compose_uscc(prefix2, "410922", body8).unwrap()
    }

    fn opts() -> Options {
        Options { lenient_uscc: false, today: NaiveDate::from_ymd_opt(2026, 11, 30).unwrap() }
    }

    /// A row of `kind` from `(field code, value)` pairs, ordered as the kind's fields.
    fn row(kind: impl Into<ImportKind> + Copy, cells: &[(&str, String)]) -> Vec<String> {
        let mut v = vec![String::new(); fields(kind).len()];
        for (code, value) in cells {
            v[index_of(kind, code).unwrap_or_else(|| panic!("{code}"))] = value.clone();
        }
        v
    }

    fn debtor(changes: &[(&str, &str)]) -> Vec<String> {
        let mut cells: Vec<(&str, String)> = vec![
            ("iname", "张三".into()),
            ("cardNum", "410922195001010013".into()),
            ("caseCode", "（2026）豫0922执100号".into()),
            ("courtName", "清丰县人民法院".into()),
            ("gistId", "（2025）豫0922民初1号".into()),
            ("gistUnit", "清丰县人民法院".into()),
            ("duty", "给付货款五万元".into()),
            ("performance", "全部未履行".into()),
            ("disruptTypeName", "违反财产报告制度".into()),
            ("regDate", "2026-01-05".into()),
            ("publishDate", "2026-03-01".into()),
            ("source_dept_name", "清丰县人民法院".into()),
            ("source_dept_uscc", uscc("11", "MB000009")),
        ];
        for (k, v) in changes {
            cells.retain(|(c, _)| c != k);
            cells.push((k, v.to_string()));
        }
        row(ListKind::DishonestDebtor, &cells)
    }

    fn check_debtor(changes: &[(&str, &str)]) -> Result<ValidListEntry, Vec<RowError>> {
        let r = debtor(changes);
        let values: Vec<&str> = r.iter().map(String::as_str).collect();
        validate_list(ListKind::DishonestDebtor, &values, &opts())
    }

    fn codes(r: Result<ValidListEntry, Vec<RowError>>) -> Vec<(String, &'static str)> {
        r.err().unwrap_or_default().into_iter().map(|e| (e.field, e.code)).collect()
    }

    #[test]
    fn dishonest_debtor_rows_get_their_period_and_a_masked_payload() {
        let v = check_debtor(&[]).unwrap();
        assert_eq!((v.subject_kind, v.id_number.as_deref()), (SubjectKind::Natural, Some("410922195001010013")));
        assert_eq!(v.ends_on, NaiveDate::from_ymd_opt(2028, 3, 1), "situation 4: two years from publication");
        assert_eq!(v.basis, "违反财产报告制度");
        assert_eq!(v.source_ref, "（2026）豫0922执100号");
        let payload: serde_json::Value = serde_json::from_str(&v.payload).unwrap();
        assert_eq!(payload["cardNum"], "4109**********0013", "never in clear");
        let v = check_debtor(&[("disruptTypeName", "1")]).unwrap();
        assert_eq!(v.ends_on, None, "situation 1 lasts until performance");
        let v = check_debtor(&[("disruptTypeName", "2"), ("extension_years", "3")]).unwrap();
        assert_eq!(v.ends_on, NaiveDate::from_ymd_opt(2031, 3, 1));
        let v = check_debtor(&[("cardNum", &uscc("91", "MA40AB12")), ("iname", "清丰县鑫源建材有限公司")]).unwrap();
        assert_eq!((v.subject_kind, v.uscc.is_some()), (SubjectKind::Legal, true));
        let v = check_debtor(&[("removed_on", "2026-06-01")]).unwrap();
        assert_eq!(v.removed_on, NaiveDate::from_ymd_opt(2026, 6, 1));
    }

    #[test]
    fn dishonest_debtor_rows_are_refused_with_codes() {
        assert_eq!(codes(check_debtor(&[("cardNum", "4109**********0013")])), vec![("cardNum".into(), "row.code_masked")]);
        assert_eq!(codes(check_debtor(&[("disruptTypeName", "欠钱不还")])), vec![("disruptTypeName".into(), "row.dishonest_situation")]);
        assert_eq!(codes(check_debtor(&[("extension_years", "4")])), vec![("extension_years".into(), "row.extension_years")]);
        assert_eq!(
            codes(check_debtor(&[("disruptTypeName", "1"), ("extension_years", "1")])),
            vec![("extension_years".into(), "row.extension_not_applicable")]
        );
        assert_eq!(codes(check_debtor(&[("regDate", "2026-04-01")])), vec![("publishDate".into(), "row.date_order")]);
        assert_eq!(codes(check_debtor(&[("publishDate", "2027-01-01")])), vec![("publishDate".into(), "row.date_future")]);
        assert_eq!(codes(check_debtor(&[("removed_on", "2026-02-01")])), vec![("removed_on".into(), "row.validity_order")]);
        assert_eq!(codes(check_debtor(&[("duty", "")])), vec![("duty".into(), "row.required")]);
        assert_eq!(codes(check_debtor(&[("cardNum", "410922195001010014")])), vec![("cardNum".into(), "id.check_digit")]);
        for e in check_debtor(&[("disruptTypeName", "x"), ("caseCode", "")]).unwrap_err() {
            assert!(e.message.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)), "{}", e.message);
        }
    }

    #[test]
    fn other_lists_commitments_and_tax_ratings() {
        let dept = uscc("11", "MB000001");
        let firm = uscc("91", "MA40AB12");
        // 经营异常名录: market entities only; the kind follows the code.
        let base = |extra: &[(&str, String)]| {
            let mut cells: Vec<(&str, String)> = vec![
                ("subject_name", "清丰县鑫源建材有限公司".into()),
                ("uscc", firm.clone()),
                ("reason", "未按规定报送年度报告".into()),
                ("listed_on", "2025-07-01".into()),
                ("authority", "清丰县市场监督管理局".into()),
                ("decision_no", "清市监异〔2025〕1号".into()),
                ("source_dept_name", "清丰县市场监督管理局".into()),
                ("source_dept_uscc", dept.clone()),
            ];
            for (k, v) in extra {
                cells.retain(|(c, _)| c != k);
                cells.push((k, v.clone()));
            }
            row(ListKind::Abnormal, &cells)
        };
        let check = |r: Vec<String>| {
            let values: Vec<&str> = r.iter().map(String::as_str).collect();
            validate_list(ListKind::Abnormal, &values, &opts())
        };
        let v = check(base(&[])).unwrap();
        assert_eq!((v.subject_kind, v.ends_on, v.basis.as_str()), (SubjectKind::Legal, None, "未按规定报送年度报告"));
        let ib = uscc("92", "MA40XY12");
        assert_eq!(check(base(&[("uscc", ib)])).unwrap().subject_kind, SubjectKind::IndividualBusiness);
        assert_eq!(codes(check(base(&[("subject_kind", "自然人".into())]))), vec![("subject_kind".into(), "row.subject_kind")]);
        // 严重失信主体名单: an end before the listing is refused.
        let black = |ends: &str| {
            let r = row(
                ListKind::Black,
                &[
                    ("subject_name", "清丰县鑫源建材有限公司".into()),
                    ("subject_kind", "法人及非法人组织".into()),
                    ("uscc", firm.clone()),
                    ("basis", "严重违法失信行为".into()),
                    ("authority", "清丰县市场监督管理局".into()),
                    ("source_ref", "清市监列〔2026〕1号".into()),
                    ("listed_on", "2026-01-10".into()),
                    ("ends_on", ends.into()),
                    ("source_dept_name", "清丰县市场监督管理局".into()),
                    ("source_dept_uscc", dept.clone()),
                ],
            );
            let values: Vec<&str> = r.iter().map(String::as_str).collect();
            validate_list(ListKind::Black, &values, &opts())
        };
        assert_eq!(black("2029-01-10").unwrap().ends_on, NaiveDate::from_ymd_opt(2029, 1, 10));
        assert_eq!(codes(black("2025-01-10")), vec![("ends_on".into(), "row.validity_order")]);
        // 纳税信用A级: only A; the year is the document number.
        let tax = |result: &str, year: &str| {
            let r = row(
                RecordKind::TaxA,
                &[
                    ("taxpayer_name", "清丰县鑫源建材有限公司".into()),
                    ("taxpayer_id", firm.clone()),
                    ("evaluation_year", year.into()),
                    ("evaluation_result", result.into()),
                    ("evaluating_unit", "国家税务总局清丰县税务局".into()),
                    ("evaluating_unit_uscc", dept.clone()),
                    ("published_date", "2026-04-20".into()),
                    ("source_dept_name", "国家税务总局清丰县税务局".into()),
                    ("source_dept_uscc", dept.clone()),
                ],
            );
            let values: Vec<&str> = r.iter().map(String::as_str).collect();
            crate::rules::validate::validate(RecordKind::TaxA, &values, &opts())
        };
        let v = tax("A", "2025").unwrap();
        assert_eq!((v.doc_no.as_str(), v.kind, v.subject_kind), ("2025年度", RecordKind::TaxA, SubjectKind::Legal));
        assert_eq!(tax("A级", "2025年").unwrap().doc_no, "2025年度");
        assert_eq!(tax("B", "2025").unwrap_err()[0].code, "row.tax_grade");
        assert_eq!(tax("A", "2030").unwrap_err()[0].code, "row.year");
        // 信用承诺: type and content are required; a person commits with an ID.
        let commitment = |kind: &str, ty: &str| {
            let r = row(
                RecordKind::Commitment,
                &[
                    ("subject_name", "张三".into()),
                    ("subject_kind", kind.into()),
                    ("id_number", "41092219450315002x".into()),
                    ("commitment_type", ty.into()),
                    ("commitment_code", "CN2026001".into()),
                    ("commitment_date", "2026/05/01".into()),
                    ("accepting_unit", "清丰县行政审批和政务信息管理局".into()),
                    ("accepting_unit_uscc", dept.clone()),
                    ("content", "按期补齐材料".into()),
                    ("source_dept_name", "清丰县行政审批和政务信息管理局".into()),
                    ("source_dept_uscc", dept.clone()),
                ],
            );
            let values: Vec<&str> = r.iter().map(String::as_str).collect();
            crate::rules::validate::validate(RecordKind::Commitment, &values, &opts())
        };
        let v = commitment("自然人", "审批替代型").unwrap();
        assert_eq!((v.subject_kind, v.doc_no.as_str()), (SubjectKind::Natural, "CN2026001"));
        let payload: serde_json::Value = serde_json::from_str(&v.payload).unwrap();
        assert_eq!(payload["id_number"], "4109**********002X");
        assert_eq!(commitment("自然人", "").unwrap_err()[0].code, "row.required");
        assert_eq!(commitment("", "主动型").unwrap_err()[0].code, "row.required");
    }
}
