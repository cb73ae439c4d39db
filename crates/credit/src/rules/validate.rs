//! 逐行校验 Checking one row of a department's file against the 双公示 data standard
//! (DOMAIN.md §3.3): required fields, unified social credit codes (GB 32100) and resident
//! ID numbers (GB 11643) with their check characters, dates, 万元 amounts converted
//! exactly to fen, value lists, and `有效期至 ≥ 有效期自`.
//!
//! Every defect of a row is reported, each with its field, a stable code and a Chinese
//! reason. Personal ID numbers never go into the stored payload in clear.

use chrono::NaiveDate;
use qingfeng_core::{Fen, ResidentId, Uscc};

use crate::ingest::fields::{FieldDef, fields, index_of};
use crate::model::{ImportKind, PENALTY_KINDS, PERMIT_CATEGORIES, RecordKind, Severity, SubjectKind};
use crate::rules::dates;

/// One defect of a row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RowError {
    /// Field code (`CF_XDR_SHXYM`), or empty for the row as a whole.
    pub field: String,
    pub code: &'static str,
    pub message: String,
}

/// How strictly to check.
#[derive(Debug, Clone, Copy)]
pub struct Options {
    /// Accept pilot-era USCCs whose check character fails (recorded as a warning).
    pub lenient_uscc: bool,
    /// Decision dates after this day are refused.
    pub today: NaiveDate,
}

/// A row that passed: what the pipeline stores.
#[derive(Debug, Clone, PartialEq)]
pub struct Valid {
    pub kind: RecordKind,
    pub subject_kind: SubjectKind,
    pub subject_name: String,
    pub uscc: Option<String>,
    /// Normalised resident ID of a natural person (kept only to encrypt and hash it).
    pub id_number: Option<String>,
    pub source_dept: String,
    pub authority: String,
    pub doc_no: String,
    pub decision_date: NaiveDate,
    pub valid_from: Option<NaiveDate>,
    pub valid_to: Option<NaiveDate>,
    pub amount_fen: Option<i64>,
    pub severity: Option<Severity>,
    /// 处罚类别 of a penalty, as listed.
    pub penalty_kinds: Vec<String>,
    /// Every non-empty field by code, ID numbers masked, as one JSON object with sorted
    /// keys, so the same content always reads the same ([`payload_json`]).
    pub payload: String,
    pub warnings: Vec<&'static str>,
}

/// The stored payload of a row: its non-empty fields as one JSON object, keys (the
/// codes) in byte order, personal ID numbers masked. The
/// text is byte for byte what `serde_json` writes for the same fields in a sorted map,
/// which is what every stored record's content hash was taken over; it is written
/// directly because building the map was a tenth of a bulk import's reading thread.
/// `personal` says which fields hold a resident ID to mask.
pub fn payload_json(kind: impl Into<ImportKind>, values: &[&str], personal: impl Fn(&FieldDef, &str) -> bool) -> String {
    let kind = kind.into();
    let defs = fields(kind);
    let mut out: Vec<u8> = Vec::with_capacity(64 + values.iter().map(|v| v.len() + 16).sum::<usize>());
    out.push(b'{');
    for &i in crate::ingest::fields::in_code_order(kind) {
        let v = values.get(i).map(|v| v.trim()).unwrap_or("");
        let Some(f) = defs.get(i) else { continue };
        if v.is_empty() {
            continue;
        }
        if out.len() > 1 {
            out.push(b',');
        }
        let _ = serde_json::to_writer(&mut out, &f.code);
        out.push(b':');
        if personal(f, v) {
            let _ = serde_json::to_writer(&mut out, &ResidentId::mask_text(v));
        } else {
            let _ = serde_json::to_writer(&mut out, v);
        }
    }
    out.push(b'}');
    String::from_utf8(out).unwrap_or_default()
}

struct Row<'a> {
    kind: RecordKind,
    values: &'a [&'a str],
    errors: Vec<RowError>,
}

impl<'a> Row<'a> {
    fn get(&self, code: &str) -> &'a str {
        index_of(self.kind, code).and_then(|i| self.values.get(i)).map(|v| v.trim()).unwrap_or("")
    }
    fn zh(&self, code: &str) -> String {
        index_of(self.kind, code).map(|i| fields(self.kind)[i].zh.clone()).unwrap_or_else(|| code.to_string())
    }
    fn fail(&mut self, code_field: &str, code: &'static str, message: String) {
        self.errors.push(RowError { field: code_field.to_string(), code, message });
    }
    fn required(&mut self, field: &str) -> &'a str {
        let v = self.get(field);
        if v.is_empty() {
            let zh = self.zh(field);
            self.fail(field, "row.required", format!("{zh}不能为空"));
        }
        v
    }
    fn date(&mut self, field: &str, required: bool) -> Option<NaiveDate> {
        let v = if required { self.required(field) } else { self.get(field) };
        if v.is_empty() {
            return None;
        }
        let d = dates::parse(v);
        if d.is_none() {
            let zh = self.zh(field);
            self.fail(field, "row.date", format!("{zh}“{v}”不是有效日期（可用 YYYY/MM/DD、YYYY-MM-DD、YYYYMMDD）"));
        }
        d
    }
    fn uscc(&mut self, field: &str, required: bool, opts: &Options, warnings: &mut Vec<&'static str>) -> Option<String> {
        let v = if required { self.required(field) } else { self.get(field) };
        if v.is_empty() {
            return None;
        }
        let parsed = if opts.lenient_uscc {
            Uscc::parse_lenient(v).map(|(u, w)| {
                if !w.is_empty() {
                    warnings.push("check_digit_mismatch");
                }
                u
            })
        } else {
            Uscc::parse(v)
        };
        match parsed {
            Ok(u) => Some(u.as_str().to_string()),
            Err(e) => {
                let zh = self.zh(field);
                self.fail(field, e.code, format!("{zh}：{}", e.message));
                None
            }
        }
    }
    fn amount(&mut self, field: &str) -> Option<i64> {
        let v = self.get(field);
        if v.is_empty() {
            return None;
        }
        match Fen::from_wan_yuan_str(v) {
            Ok(f) if f.0 >= 0 => Some(f.0),
            Ok(_) => {
                let zh = self.zh(field);
                self.fail(field, "row.amount_negative", format!("{zh}不能为负数"));
                None
            }
            Err(e) => {
                let zh = self.zh(field);
                self.fail(field, e.code, format!("{zh}“{v}”：{}", e.message));
                None
            }
        }
    }
}

/// Field codes of each kind that the checks below name.
struct Codes {
    name: &'static str,
    subject_kind: &'static str,
    uscc: &'static str,
    id_type: &'static str,
    id_no: &'static str,
    rep_id: &'static str,
    doc_no: &'static str,
    decision_date: &'static str,
    authority: &'static str,
    authority_code: &'static str,
    source: &'static str,
    source_code: &'static str,
}

const XK: Codes = Codes {
    name: "XK_XDR_MC",
    subject_kind: "XK_XDR_LB",
    uscc: "XK_XDR_SHXYM",
    id_type: "XK_XDR_ZJLX",
    id_no: "XK_XDR_ZJHM",
    rep_id: "XK_FR_ZJHM",
    doc_no: "XK_WSH",
    decision_date: "XK_JDRQ",
    authority: "XK_XKJG",
    authority_code: "XK_XKJGDM",
    source: "XK_LYDW",
    source_code: "XK_LYDWDM",
};

const CF: Codes = Codes {
    name: "CF_XDR_MC",
    subject_kind: "CF_XDR_LB",
    uscc: "CF_XDR_SHXYM",
    id_type: "CF_XDR_ZJLX",
    id_no: "CF_XDR_ZJHM",
    rep_id: "CF_FR_ZJHM",
    doc_no: "CF_WSH",
    decision_date: "CF_JDRQ",
    authority: "CF_CFJG",
    authority_code: "CF_CFJGDM",
    source: "CF_SJLY",
    source_code: "CF_SJLYDM",
};

fn is_resident_id_type(t: &str) -> bool {
    matches!(t, "" | "身份证" | "居民身份证" | "01")
}

/// Check one row (`values` ordered as [`fields`] of `kind`).
pub fn validate(kind: RecordKind, values: &[&str], opts: &Options) -> Result<Valid, Vec<RowError>> {
    let c = match kind {
        RecordKind::Xk => &XK,
        RecordKind::Cf => &CF,
        // The other catalog kinds are checked by the roles of their columns.
        RecordKind::Commitment | RecordKind::TaxA => return crate::rules::kinds::validate_record(kind, values, opts),
    };
    let mut row = Row { kind, values, errors: Vec::new() };
    let mut warnings = Vec::new();

    // The subject (行政相对人).
    let subject_name = row.required(c.name).to_string();
    let kind_raw = row.required(c.subject_kind);
    let subject_kind = SubjectKind::parse(kind_raw);
    if subject_kind.is_none() && !kind_raw.is_empty() {
        row.fail(
            c.subject_kind,
            "row.subject_kind",
            format!("行政相对人类别“{kind_raw}”无效，应为 法人及非法人组织、个体工商户 或 自然人"),
        );
    }
    let mut uscc = None;
    let mut id_number = None;
    match subject_kind {
        Some(SubjectKind::Legal | SubjectKind::IndividualBusiness) => {
            uscc = row.uscc(c.uscc, true, opts, &mut warnings);
        }
        Some(SubjectKind::Natural) => {
            let id_type = row.get(c.id_type);
            let raw = row.required(c.id_no);
            if !is_resident_id_type(id_type) {
                row.fail(c.id_type, "row.id_type", format!("证件类型“{id_type}”暂不支持：自然人须以居民身份证登记"));
            } else if !raw.is_empty() {
                match ResidentId::parse_on(raw, opts.today) {
                    Ok(id) => id_number = Some(id.as_str().to_string()),
                    Err(e) => row.fail(c.id_no, e.code, format!("证件号码：{}", e.message)),
                }
            }
        }
        None => {}
    }

    // The decision.
    let doc_no = row.required(c.doc_no).to_string();
    let decision_date = row.date(c.decision_date, true);
    if let Some(d) = decision_date
        && d > opts.today
    {
        let zh = row.zh(c.decision_date);
        row.fail(c.decision_date, "row.date_future", format!("{zh}{d}晚于今天"));
    }
    row.required(c.authority);
    let authority = row.uscc(c.authority_code, true, opts, &mut warnings).unwrap_or_default();
    row.required(c.source);
    let source_dept = row.uscc(c.source_code, true, opts, &mut warnings).unwrap_or_default();

    let mut penalty_kinds = Vec::new();
    let (valid_from, valid_to, amount_fen, severity) = match kind {
        RecordKind::Xk => {
            for f in ["XK_XKWS", "XK_NR"] {
                row.required(f);
            }
            let cat = row.required("XK_XKLB");
            if !cat.is_empty() && !PERMIT_CATEGORIES.iter().any(|p| cat == *p || (cat.starts_with("其他") && *p == "其他")) {
                row.fail("XK_XKLB", "row.permit_category", format!("许可类别“{cat}”无效，应为 {}", PERMIT_CATEGORIES.join("、")));
            }
            let state = row.required("XK_ZT");
            if !state.is_empty() && !matches!(state, "1" | "2" | "有效" | "无效") {
                row.fail("XK_ZT", "row.permit_state", format!("当前状态“{state}”无效，应为 1（有效）或 2（无效）"));
            }
            let from = row.date("XK_YXQZ", true);
            let to = row.date("XK_YXQZI", true);
            if let (Some(a), Some(b)) = (from, to)
                && b < a
            {
                row.fail("XK_YXQZI", "row.validity_order", format!("有效期至 {b} 早于有效期自 {a}"));
            }
            (from, to, None, None)
        }
        RecordKind::Cf => {
            for f in ["CF_WFXW", "CF_SY", "CF_YJ", "CF_NR"] {
                row.required(f);
            }
            let kinds_raw = row.required("CF_CFLB");
            let kinds: Vec<&str> = kinds_raw.split([';', '；', '、', ',', '，', '/']).map(str::trim).filter(|k| !k.is_empty()).collect();
            for k in &kinds {
                if !PENALTY_KINDS.contains(k) && !k.starts_with("其他") {
                    row.fail("CF_CFLB", "row.penalty_kind", format!("处罚类别“{k}”无效，应为 {}", PENALTY_KINDS.join("、")));
                }
            }
            let fine = row.amount("CF_NR_FK");
            if kinds.contains(&"罚款") && row.get("CF_NR_FK").is_empty() {
                row.fail("CF_NR_FK", "row.required", "处罚类别含罚款时，罚款金额(万元)不能为空".into());
            }
            row.amount("CF_NR_WFFF");
            let to = row.date("CF_YXQ", true);
            penalty_kinds = kinds.iter().map(|k| k.to_string()).collect();
            (decision_date, to, fine, Some(crate::rules::severity::classify_record(&source_dept, &kinds, fine, decision_date)))
        }
        RecordKind::Commitment | RecordKind::TaxA => (None, None, None, None),
    };

    if !row.errors.is_empty() {
        return Err(row.errors);
    }
    let (Some(subject_kind), Some(decision_date)) = (subject_kind, decision_date) else {
        return Err(vec![RowError { field: String::new(), code: "row.invalid", message: "行数据无效".into() }]);
    };

    // The stored payload: every non-empty field, personal ID numbers masked.
    let payload = payload_json(kind, values, |f, _| f.code == c.id_no || f.code == c.rep_id || f.code == "CF_FR_SFZH");
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
        valid_from,
        valid_to,
        amount_fen,
        severity,
        penalty_kinds,
        payload,
        warnings,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The payload written directly is byte for byte the text a sorted `serde_json` map
    /// gave before, for every kind's fields: stored records keep their content hashes, so
    /// importing a file again after an upgrade still finds them duplicates.
    #[test]
    fn payload_text_is_what_a_sorted_json_map_writes() {
        let awkward = [
            "清丰县“鑫源”\"建材\"有限公司",
            "a\\b/c",
            "tab\there",
            "new\nline\r",
            "\u{1}\u{1f}ctl",
            "  trimmed  ",
            "",
            "410922195001010013",
            "𠮷 emoji 🙂",
        ];
        for kind in ImportKind::ALL {
            let defs = fields(kind);
            let mut codes: Vec<&str> = defs.iter().map(|f| f.code.as_str()).collect();
            codes.sort_unstable();
            codes.dedup();
            assert_eq!(codes.len(), defs.len(), "{kind:?}: codes are unique, so a map keeps every field");
            for shift in 0..awkward.len() {
                let values: Vec<&str> = (0..defs.len()).map(|i| awkward[(i + shift) % awkward.len()]).collect();
                let personal = |f: &FieldDef, v: &str| f.code.len() % 3 == shift % 3 || v.starts_with("4109");
                let mut map = serde_json::Map::new();
                for (f, v) in defs.iter().zip(&values) {
                    let v = v.trim();
                    if v.is_empty() {
                        continue;
                    }
                    let shown = if personal(f, v) {
                        ResidentId::parse(v).map(|id| id.masked()).unwrap_or_else(|_| "******".into())
                    } else {
                        v.to_string()
                    };
                    map.insert(f.code.clone(), serde_json::Value::String(shown));
                }
                let text = payload_json(kind, &values, personal);
                assert_eq!(text, serde_json::to_string(&map).unwrap(), "{kind:?}");
                assert!(!text.contains("410922195001010013"), "an ID number is never stored in clear");
            }
        }
    }
}
