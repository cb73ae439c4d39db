//! 公共服务 The portal's service guides (办事指南): what a department offers, with the
//! guide elements of the provincial platforms (DOMAIN.md §6.2) — 事项名称, 事项类型 (the
//! national `taskType` codes of §6.1, 20 = 公共服务), 实施主体 (a department), 办件类型,
//! 法定/承诺办结时限 in working days, 受理条件, 申请材料, 办理流程, 办理形式, 到办事现场次数
//! with its reason, 审批结果, 是否收费 / 收费依据, 办理地点, 办理时间, 咨询电话 and
//! 监督投诉方式.
//!
//! The tables (`portal_services`, `portal_service_materials`) are written to be taken
//! over by the government-services module (政务服务, a later issue): every column is a
//! guide element under its §6.2 name, the type is the national code, and nothing in
//! them is specific to the portal; that module can add columns (基本编码, 实施编码…)
//! and keep these pages as its public face.
//!
//! Staff of the implementing department and county admins create, edit, publish and
//! withdraw guides ([`crate::PERM_SERVICES`]); [`MACHINE`] moves the state, audited.
//! Only published guides are public and searchable (kind [`index::KIND`]).
//!
//! Rooms: this file (types, the §6.2 rules, the state machine; pure), [`store`],
//! [`index`], [`web`], [`demo`].

pub mod demo;
pub mod index;
pub mod store;
pub mod web;

use qingfeng_core::Phone;
use qingfeng_platform::AppError;
use qingfeng_platform::state::{Machine, State, Transition};
use serde::{Deserialize, Serialize};

/// 事项类型 The national `taskType` codes (DOMAIN.md §6.1), code and name.
pub const TASK_TYPES: &[(&str, &str)] = &[
    ("01", "行政许可"),
    ("05", "行政给付"),
    ("07", "行政确认"),
    ("08", "行政奖励"),
    ("09", "行政裁决"),
    ("10", "其他行政权力"),
    ("20", "公共服务"),
    ("99", "其它"),
];

/// The name of a `taskType` code.
pub fn task_type_zh(code: &str) -> &'static str {
    TASK_TYPES.iter().find(|t| t.0 == code).map(|t| t.1).unwrap_or("")
}

/// 办件类型 即办件 (handled on the spot) or 承诺件 (handled within the promised days).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum HandlingKind {
    Immediate,
    Promised,
}

impl HandlingKind {
    pub const ALL: [HandlingKind; 2] = [HandlingKind::Immediate, HandlingKind::Promised];
    pub fn key(self) -> &'static str {
        match self {
            HandlingKind::Immediate => "immediate",
            HandlingKind::Promised => "promised",
        }
    }
    pub fn zh(self) -> &'static str {
        match self {
            HandlingKind::Immediate => "即办件",
            HandlingKind::Promised => "承诺件",
        }
    }
    pub fn from_key(k: &str) -> Option<HandlingKind> {
        HandlingKind::ALL.into_iter().find(|h| h.key() == k)
    }
}

/// 办理形式 How a guide's matter can be handled.
pub const FORMS: &[(&str, &str)] = &[("window", "窗口办理"), ("online", "网上办理"), ("post", "邮寄申请")];

pub fn form_zh(key: &str) -> &'static str {
    FORMS.iter().find(|f| f.0 == key).map(|f| f.1).unwrap_or("")
}

/// 审批结果类型 (DOMAIN.md §6.2): key, name, and the ending of a result name that
/// requires it (…证 → 出证办结, …文 → 出文办结, …批复 → 审批办结).
pub const RESULT_KINDS: &[(&str, &str, &str)] =
    &[("certificate", "出证办结", "证"), ("document", "出文办结", "文"), ("approval", "审批办结", "批复")];

pub fn result_kind_zh(key: &str) -> &'static str {
    RESULT_KINDS.iter().find(|r| r.0 == key).map(|r| r.1).unwrap_or("")
}

/// The result kind a result name requires by the §6.2 rule, if its ending decides it.
pub fn result_kind_for(name: &str) -> Option<&'static str> {
    RESULT_KINDS.iter().find(|r| name.ends_with(r.2)).map(|r| r.0)
}

/// 材料形式 纸质, 电子, or both.
pub const MEDIA: &[(&str, &str)] = &[("paper", "纸质"), ("electronic", "电子"), ("both", "纸质+电子")];

pub fn medium_zh(key: &str) -> &'static str {
    MEDIA.iter().find(|m| m.0 == key).map(|m| m.1).unwrap_or("")
}

/// 申请材料 One material of a guide.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, sqlx::FromRow)]
pub struct Material {
    pub name: String,
    /// `paper`, `electronic` or `both`.
    pub medium: String,
    /// 份数
    pub copies: i64,
    /// 必要性: required (必要) or not (非必要).
    pub required: bool,
}

impl Material {
    pub fn medium_zh(&self) -> &'static str {
        medium_zh(&self.medium)
    }
    /// The material as a line of the form: `名称｜纸质｜1｜必要`.
    pub fn to_line(&self) -> String {
        format!("{}｜{}｜{}｜{}", self.name, self.medium_zh(), self.copies, if self.required { "必要" } else { "非必要" })
    }
}

/// Longest guide name, in characters.
pub const MAX_NAME_CHARS: usize = 60;
/// Longest long text (受理条件, 办理流程), in characters.
pub const MAX_TEXT_CHARS: usize = 3000;
/// Longest one-line field, in characters.
pub const MAX_LINE_CHARS: usize = 200;
/// Most materials of a guide.
pub const MAX_MATERIALS: usize = 50;
/// Longest time limit accepted, in working days.
pub const MAX_DAYS: i64 = 365;
/// Most visits to the service site.
pub const MAX_VISITS: i64 = 10;

/// The guide form as typed: every field text, so that bad input gets our message.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct GuideInput {
    pub org_id: String,
    pub name: String,
    pub task_type: String,
    pub handling_kind: String,
    pub legal_days: String,
    pub promised_days: String,
    pub conditions: String,
    /// One material a line: `名称｜纸质/电子/纸质+电子｜份数｜必要/非必要`.
    pub materials: String,
    /// One step a line.
    pub process: String,
    /// Checkboxes `form_window`, `form_online`, `form_post` ("on" when ticked).
    pub form_window: String,
    pub form_online: String,
    pub form_post: String,
    pub visits: String,
    pub visit_reason: String,
    pub result_name: String,
    pub result_kind: String,
    /// `yes` / `no`
    pub charged: String,
    pub fee_basis: String,
    pub place: String,
    pub hours: String,
    pub phone: String,
    pub supervision: String,
}

/// 办事指南 A checked guide, ready to store.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Guide {
    pub org_id: i64,
    pub name: String,
    pub task_type: String,
    pub handling_kind: HandlingKind,
    pub legal_days: i64,
    pub promised_days: i64,
    pub conditions: String,
    pub materials: Vec<Material>,
    pub process: String,
    /// Keys of [`FORMS`], comma-separated, in [`FORMS`] order.
    pub forms: String,
    pub visits: i64,
    pub visit_reason: String,
    pub result_name: String,
    pub result_kind: String,
    pub charged: bool,
    pub fee_basis: String,
    pub place: String,
    pub hours: String,
    pub phone: String,
    pub supervision: String,
}

fn bad(code: &'static str, msg: impl Into<String>) -> AppError {
    AppError::bad_request(code, msg)
}

fn one_line(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Trimmed lines without empty ones, joined by `\n`.
fn lines(s: &str) -> String {
    s.lines().map(one_line).filter(|l| !l.is_empty()).collect::<Vec<_>>().join("\n")
}

fn checked_line(raw: &str, code: &'static str, what: &str) -> Result<String, AppError> {
    let s = one_line(raw);
    if s.chars().count() > MAX_LINE_CHARS {
        return Err(bad(code, format!("{what}不能超过 {MAX_LINE_CHARS} 个字")));
    }
    Ok(s)
}

fn checked_text(raw: &str, code: &'static str, what: &str) -> Result<String, AppError> {
    let s = lines(raw);
    if s.chars().count() > MAX_TEXT_CHARS {
        return Err(bad(code, format!("{what}不能超过 {MAX_TEXT_CHARS} 个字")));
    }
    Ok(s)
}

fn days(raw: &str, code: &'static str, what: &str) -> Result<i64, AppError> {
    let t = raw.trim();
    if t.is_empty() {
        return Err(bad(code, format!("请填写{what}（工作日）")));
    }
    t.parse::<i64>()
        .ok()
        .filter(|d| (0..=MAX_DAYS).contains(d))
        .ok_or_else(|| bad(code, format!("{what}应为 0 到 {MAX_DAYS} 之间的整数（工作日），收到“{t}”")))
}

/// Parse the materials, one a line: `名称｜形式｜份数｜必要性`, separated by `|`, `｜`
/// or a tab; the last three may be left out (纸质, 1 份, 必要).
pub fn parse_materials(raw: &str) -> Result<Vec<Material>, AppError> {
    const CODE: &str = "portal.service_materials";
    let mut out = Vec::new();
    for (i, line) in raw.lines().map(str::trim).filter(|l| !l.is_empty()).enumerate() {
        let n = i + 1;
        let parts: Vec<String> = line.split(['|', '｜', '\t']).map(one_line).collect();
        let name = parts[0].clone();
        if name.is_empty() || parts.len() > 4 {
            return Err(bad(CODE, format!("申请材料第 {n} 行应为“材料名称｜纸质/电子/纸质+电子｜份数｜必要/非必要”")));
        }
        if name.chars().count() > MAX_NAME_CHARS * 2 {
            return Err(bad(CODE, format!("申请材料第 {n} 行的名称不能超过 {} 个字", MAX_NAME_CHARS * 2)));
        }
        let medium = match parts.get(1).map(String::as_str).unwrap_or("纸质") {
            "纸质" | "" => "paper",
            "电子" => "electronic",
            "纸质+电子" | "纸质和电子" | "纸质、电子" | "纸质/电子" => "both",
            other => return Err(bad(CODE, format!("申请材料第 {n} 行的形式“{other}”应为 纸质、电子 或 纸质+电子"))),
        };
        let copies = match parts.get(2).map(String::as_str).unwrap_or("") {
            "" => 1,
            c => c
                .trim_end_matches('份')
                .parse::<i64>()
                .ok()
                .filter(|c| (0..=99).contains(c))
                .ok_or_else(|| bad(CODE, format!("申请材料第 {n} 行的份数“{c}”应为 0 到 99 的整数")))?,
        };
        let required = match parts.get(3).map(String::as_str).unwrap_or("") {
            "" | "必要" | "必须" | "必需" => true,
            "非必要" | "非必须" | "容缺" | "可选" => false,
            other => return Err(bad(CODE, format!("申请材料第 {n} 行的必要性“{other}”应为 必要 或 非必要"))),
        };
        out.push(Material { name, medium: medium.to_string(), copies, required });
    }
    if out.len() > MAX_MATERIALS {
        return Err(bad(CODE, format!("申请材料最多 {MAX_MATERIALS} 项")));
    }
    Ok(out)
}

impl GuideInput {
    /// The form of a stored guide, for editing.
    pub fn from_guide(g: &Guide) -> GuideInput {
        let has = |k: &str| if g.forms.split(',').any(|f| f == k) { "on".to_string() } else { String::new() };
        GuideInput {
            org_id: g.org_id.to_string(),
            name: g.name.clone(),
            task_type: g.task_type.clone(),
            handling_kind: g.handling_kind.key().to_string(),
            legal_days: g.legal_days.to_string(),
            promised_days: g.promised_days.to_string(),
            conditions: g.conditions.clone(),
            materials: g.materials.iter().map(Material::to_line).collect::<Vec<_>>().join("\n"),
            process: g.process.clone(),
            form_window: has("window"),
            form_online: has("online"),
            form_post: has("post"),
            visits: g.visits.to_string(),
            visit_reason: g.visit_reason.clone(),
            result_name: g.result_name.clone(),
            result_kind: g.result_kind.clone(),
            charged: if g.charged { "yes" } else { "no" }.to_string(),
            fee_basis: g.fee_basis.clone(),
            place: g.place.clone(),
            hours: g.hours.clone(),
            phone: g.phone.clone(),
            supervision: g.supervision.clone(),
        }
    }

    pub fn has_form(&self, key: &str) -> bool {
        let v = match key {
            "window" => &self.form_window,
            "online" => &self.form_online,
            _ => &self.form_post,
        };
        !v.is_empty()
    }

    /// Check the form against the guide rules (DOMAIN.md §6.2). The first problem is
    /// returned, in Chinese, with a stable code:
    ///
    /// * `portal.service_name` — 事项名称 required, at most [`MAX_NAME_CHARS`];
    /// * `portal.service_org` — 实施主体 chosen (the handler checks it is a department
    ///   the user may edit);
    /// * `portal.service_type` — one of the [`TASK_TYPES`] codes;
    /// * `portal.service_handling` — 即办件 or 承诺件;
    /// * `portal.service_legal_days`, `portal.service_promised_days` — whole working
    ///   days; 承诺办结时限 not above 法定办结时限; a 即办件 is promised in 0 days, a
    ///   承诺件 in at least 1;
    /// * `portal.service_visits` — 到办事现场次数 0 to [`MAX_VISITS`];
    /// * `portal.service_visit_reason` — above 0 visits, 必须现场办理原因说明 required;
    /// * `portal.service_forms` — at least one 办理形式; above 0 visits it includes
    ///   窗口办理; at 0 visits and not online it must include 邮寄申请;
    /// * `portal.service_result` — a result name ending in 证 / 文 / 批复 has the result
    ///   type 出证办结 / 出文办结 / 审批办结 (filled in when left empty);
    /// * `portal.service_fee` — 收费依据 required when the matter is charged;
    /// * `portal.service_phone` — 咨询电话 required and a valid number;
    /// * `portal.service_materials` — each line well formed;
    /// * lengths of the other texts (`portal.service_text`).
    pub fn check(&self) -> Result<Guide, AppError> {
        let name = one_line(&self.name);
        if name.is_empty() {
            return Err(bad("portal.service_name", "请填写事项名称"));
        }
        if name.chars().count() > MAX_NAME_CHARS {
            return Err(bad("portal.service_name", format!("事项名称不能超过 {MAX_NAME_CHARS} 个字")));
        }
        let org_id =
            self.org_id.trim().parse::<i64>().ok().filter(|n| *n > 0).ok_or_else(|| bad("portal.service_org", "请选择实施主体（部门）"))?;
        let task_type = self.task_type.trim().to_string();
        if task_type_zh(&task_type).is_empty() {
            return Err(bad("portal.service_type", "请选择事项类型（行政许可、公共服务等）"));
        }
        let handling_kind = HandlingKind::from_key(self.handling_kind.trim())
            .ok_or_else(|| bad("portal.service_handling", "请选择办件类型：即办件或承诺件"))?;
        let legal_days = days(&self.legal_days, "portal.service_legal_days", "法定办结时限")?;
        let promised_days = days(&self.promised_days, "portal.service_promised_days", "承诺办结时限")?;
        if promised_days > legal_days {
            return Err(bad(
                "portal.service_promised_days",
                format!("承诺办结时限（{promised_days} 个工作日）不能超过法定办结时限（{legal_days} 个工作日）"),
            ));
        }
        match handling_kind {
            HandlingKind::Immediate if promised_days != 0 => {
                return Err(bad("portal.service_promised_days", "即办件当场办结，承诺办结时限应为 0 个工作日；需要更多时间的请选承诺件"));
            }
            HandlingKind::Promised if promised_days == 0 => {
                return Err(bad("portal.service_promised_days", "承诺件的承诺办结时限至少为 1 个工作日；当场办结的请选即办件"));
            }
            _ => {}
        }
        let visits_raw = self.visits.trim();
        let visits =
            visits_raw.parse::<i64>().ok().filter(|v| (0..=MAX_VISITS).contains(v)).ok_or_else(|| {
                bad("portal.service_visits", format!("到办事现场次数应为 0 到 {MAX_VISITS} 之间的整数，收到“{visits_raw}”"))
            })?;
        let visit_reason = checked_line(&self.visit_reason, "portal.service_visit_reason", "必须现场办理原因说明")?;
        if visits > 0 && visit_reason.is_empty() {
            return Err(bad("portal.service_visit_reason", format!("到办事现场次数为 {visits} 次，须填写必须现场办理的原因说明")));
        }
        let forms: Vec<&str> = FORMS.iter().map(|f| f.0).filter(|k| self.has_form(k)).collect();
        if forms.is_empty() {
            return Err(bad("portal.service_forms", "请至少选择一种办理形式（窗口办理、网上办理、邮寄申请）"));
        }
        if visits > 0 && !forms.contains(&"window") {
            return Err(bad("portal.service_forms", "需要到办事现场的事项，办理形式须包含窗口办理"));
        }
        if visits == 0 && !forms.contains(&"online") && !forms.contains(&"post") {
            return Err(bad("portal.service_forms", "到办事现场次数为 0 且不能网上办理的事项，办理形式须包含邮寄申请"));
        }
        let result_name = checked_line(&self.result_name, "portal.service_result", "审批结果名称")?;
        let mut result_kind = self.result_kind.trim().to_string();
        if !result_kind.is_empty() && result_kind_zh(&result_kind).is_empty() {
            return Err(bad("portal.service_result", "审批结果类型应为 出证办结、出文办结 或 审批办结"));
        }
        if !result_kind.is_empty() && result_name.is_empty() {
            return Err(bad("portal.service_result", "选择了审批结果类型时，请填写审批结果名称"));
        }
        if let Some(needed) = result_kind_for(&result_name) {
            if result_kind.is_empty() {
                result_kind = needed.to_string();
            } else if result_kind != needed {
                return Err(bad(
                    "portal.service_result",
                    format!("审批结果“{result_name}”的类型应为{}，而不是{}", result_kind_zh(needed), result_kind_zh(&result_kind)),
                ));
            }
        }
        let charged = match self.charged.trim() {
            "yes" => true,
            "no" | "" => false,
            _ => return Err(bad("portal.service_fee", "是否收费应为 是 或 否")),
        };
        let fee_basis = checked_line(&self.fee_basis, "portal.service_fee", "收费依据")?;
        if charged && fee_basis.is_empty() {
            return Err(bad("portal.service_fee", "收费的事项须填写收费依据（文件名称及文号）"));
        }
        let phone = match self.phone.trim() {
            "" => return Err(bad("portal.service_phone", "请填写咨询电话")),
            raw => Phone::parse(raw).map_err(|e| bad("portal.service_phone", e.message))?.as_str().to_string(),
        };
        let materials = parse_materials(&self.materials)?;
        Ok(Guide {
            org_id,
            name,
            task_type,
            handling_kind,
            legal_days,
            promised_days,
            conditions: checked_text(&self.conditions, "portal.service_text", "受理条件")?,
            materials,
            process: checked_text(&self.process, "portal.service_text", "办理流程")?,
            forms: forms.join(","),
            visits,
            visit_reason,
            result_name,
            result_kind,
            charged,
            fee_basis: if charged { fee_basis } else { String::new() },
            place: checked_line(&self.place, "portal.service_text", "办理地点")?,
            hours: checked_line(&self.hours, "portal.service_text", "办理时间")?,
            phone,
            supervision: checked_line(&self.supervision, "portal.service_text", "监督投诉方式")?,
        })
    }
}

/// 草稿 Written, not public.
pub const DRAFT: &str = "draft";
/// 已发布 Public and searchable.
pub const PUBLISHED: &str = "published";
/// 已下架 Withdrawn from the public pages; may be published again.
pub const WITHDRAWN: &str = "withdrawn";

const STATES: &[State] = &[
    State { key: DRAFT, zh: "草稿", en: "Draft", terminal: false },
    State { key: PUBLISHED, zh: "已发布", en: "Published", terminal: false },
    State { key: WITHDRAWN, zh: "已下架", en: "Withdrawn", terminal: false },
];

const TRANSITIONS: &[Transition] = &[
    Transition { from: DRAFT, event: "publish", zh: "发布", to: PUBLISHED, roles: &[], deadline: None },
    Transition { from: WITHDRAWN, event: "publish", zh: "发布", to: PUBLISHED, roles: &[], deadline: None },
    Transition { from: PUBLISHED, event: "unpublish", zh: "下架", to: WITHDRAWN, roles: &[], deadline: None },
];

/// 办事指南状态 The life of a guide: draft → published ⇄ withdrawn. Who may fire it is
/// decided by the pages ([`crate::PERM_SERVICES`] and the implementing department).
pub const MACHINE: Machine =
    Machine { entity: "portal_service", table: "portal_services", state_column: "state", states: STATES, transitions: TRANSITIONS };

pub fn state_zh(key: &str) -> &'static str {
    MACHINE.state(key).map(|s| s.zh).unwrap_or("")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn good() -> GuideInput {
        GuideInput {
            org_id: "7".into(),
            name: "  演示事项  登记 ".into(),
            task_type: "20".into(),
            handling_kind: "promised".into(),
            legal_days: "20".into(),
            promised_days: "5".into(),
            materials: "申请表｜纸质｜1｜必要\n身份证明 | 纸质+电子 | 2份 | 非必要\n\n委托书".into(),
            form_window: "on".into(),
            visits: "1".into(),
            visit_reason: "需核验原件".into(),
            result_name: "演示许可证".into(),
            charged: "no".into(),
            phone: "0393 1000101".into(),
            ..Default::default()
        }
    }

    #[test]
    fn the_machine_is_well_formed() {
        MACHINE.check().unwrap();
    }

    #[test]
    fn a_good_guide_is_normalised() {
        let g = good().check().unwrap();
        assert_eq!(g.name, "演示事项 登记");
        assert_eq!(g.result_kind, "certificate", "a name ending in 证 is 出证办结");
        assert_eq!(g.phone, "0393-1000101");
        assert_eq!(g.forms, "window");
        assert_eq!(g.materials.len(), 3);
        assert_eq!(g.materials[1], Material { name: "身份证明".into(), medium: "both".into(), copies: 2, required: false });
        assert_eq!(g.materials[2], Material { name: "委托书".into(), medium: "paper".into(), copies: 1, required: true });
        // Round trip through the edit form.
        assert_eq!(GuideInput::from_guide(&g).check().unwrap(), g);
    }

    #[test]
    fn the_guide_rules_refuse_with_codes() {
        type Change = Box<dyn Fn(&mut GuideInput)>;
        let cases: Vec<(Change, &str)> = vec![
            (Box::new(|g| g.name = " ".into()), "portal.service_name"),
            (Box::new(|g| g.org_id = "x".into()), "portal.service_org"),
            (Box::new(|g| g.task_type = "02".into()), "portal.service_type"),
            (Box::new(|g| g.handling_kind = String::new()), "portal.service_handling"),
            (Box::new(|g| g.promised_days = "30".into()), "portal.service_promised_days"),
            (Box::new(|g| g.legal_days = "1.5".into()), "portal.service_legal_days"),
            (Box::new(|g| g.handling_kind = "immediate".into()), "portal.service_promised_days"),
            (Box::new(|g| g.promised_days = "0".into()), "portal.service_promised_days"),
            (Box::new(|g| g.visit_reason = String::new()), "portal.service_visit_reason"),
            (Box::new(|g| g.visits = "-1".into()), "portal.service_visits"),
            (Box::new(|g| g.form_window = String::new()), "portal.service_forms"),
            (
                Box::new(|g| {
                    g.visits = "0".into();
                    g.visit_reason = String::new();
                }),
                "portal.service_forms",
            ),
            (Box::new(|g| g.result_kind = "document".into()), "portal.service_result"),
            (Box::new(|g| g.charged = "yes".into()), "portal.service_fee"),
            (Box::new(|g| g.phone = "12345".into()), "portal.service_phone"),
            (Box::new(|g| g.materials = "申请表｜复印｜1".into()), "portal.service_materials"),
        ];
        for (i, (change, code)) in cases.iter().enumerate() {
            let mut g = good();
            change(&mut g);
            assert_eq!(g.check().unwrap_err().code, *code, "case {i}");
        }
        // Zero visits is fine with online handling or by post.
        let mut g = good();
        g.visits = "0".into();
        g.visit_reason = String::new();
        g.form_window = String::new();
        g.form_post = "on".into();
        assert_eq!(g.check().unwrap().forms, "post");
        let mut g = good();
        g.handling_kind = "immediate".into();
        g.promised_days = "0".into();
        g.result_name = "准予登记的批复".into();
        assert_eq!(g.check().unwrap().result_kind, "approval");
    }
}
