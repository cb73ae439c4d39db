//! 部门职责 Department duties: every county department (an organisation of kind
//! `department` in the registry) has a public profile — its duties (职责) as plain
//! paragraphs, address, office hours, office phone and further office lines — with the
//! service guides it offers (module 6, [`crate::services`]).
//!
//! The department's own staff (部门工作人员 of that organisation) edit its profile, county
//! admins edit any; each edit goes to the audit chain (`portal.department_profile`).
//! The phone numbers are the department's published office lines (办公电话), not
//! personal data, so they are stored in clear (normalised by [`qingfeng_core::Phone`]).
//!
//! Rooms: this file (the profile and its rules, pure), [`store`] (SQL), [`index`]
//! (search documents of kind [`index::KIND`]), [`web`] (pages and API), [`demo`].

pub mod demo;
pub mod index;
pub mod store;
pub mod web;

use qingfeng_core::Phone;
use qingfeng_platform::AppError;
use qingfeng_platform::auth::Role;
use qingfeng_platform::users::User;
use serde::{Deserialize, Serialize};

/// The organisation kind of a county department in the registry.
pub const ORG_KIND: &str = "department";
/// Longest duties text, in characters.
pub const MAX_DUTIES_CHARS: usize = 5000;
/// Longest address / office hours, in characters.
pub const MAX_LINE_CHARS: usize = 100;
/// Most further office lines.
pub const MAX_CONTACTS: usize = 10;
/// Longest label of an office line (科室名称), in characters.
pub const MAX_LABEL_CHARS: usize = 30;

/// 联系电话 A further office line: the office (科室) and its number.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Contact {
    pub label: String,
    /// Normalised: `0393-7221234` or an 11-digit mobile.
    pub phone: String,
}

/// The profile form as typed (every field text, so that bad input gets our message).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct ProfileInput {
    pub duties: String,
    pub address: String,
    pub office_hours: String,
    pub phone: String,
    /// One office line a line: `办公室 0393-7221234`.
    pub contacts: String,
}

/// 部门概况 A checked profile.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Profile {
    /// Paragraphs separated by `\n`, each trimmed, no empty ones.
    pub duties: String,
    pub address: String,
    pub office_hours: String,
    /// Normalised office phone; empty when not given.
    pub phone: String,
    pub contacts: Vec<Contact>,
}

fn one_line(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn too_long(code: &'static str, what: &str, max: usize) -> AppError {
    AppError::bad_request(code, format!("{what}不能超过 {max} 个字"))
}

/// Parse the office lines: `label phone` per line (the number is the last word).
pub fn parse_contacts(raw: &str) -> Result<Vec<Contact>, AppError> {
    let mut out = Vec::new();
    for (i, line) in raw.lines().map(str::trim).filter(|l| !l.is_empty()).enumerate() {
        let n = i + 1;
        let (label, number) = match line.rsplit_once(|c: char| c.is_whitespace() || c == '：' || c == ':') {
            Some((l, p)) if !l.trim().is_empty() => (one_line(l.trim_end_matches([':', '：'])), p),
            _ => {
                return Err(AppError::bad_request(
                    "portal.department_contact",
                    format!("联系电话第 {n} 行应为“科室名称 电话”，如“办公室 0393-7221234”"),
                ));
            }
        };
        if label.chars().count() > MAX_LABEL_CHARS {
            return Err(AppError::bad_request(
                "portal.department_contact",
                format!("联系电话第 {n} 行的科室名称不能超过 {MAX_LABEL_CHARS} 个字"),
            ));
        }
        let phone = Phone::parse(number)
            .map_err(|e| AppError::bad_request("portal.department_contact", format!("联系电话第 {n} 行：{}", e.message)))?;
        out.push(Contact { label, phone: phone.as_str().to_string() });
    }
    if out.len() > MAX_CONTACTS {
        return Err(AppError::bad_request("portal.department_contact", format!("联系电话最多 {MAX_CONTACTS} 条")));
    }
    Ok(out)
}

/// The office lines as stored: `label<TAB>phone` a line.
pub fn contacts_to_text(contacts: &[Contact]) -> String {
    contacts.iter().map(|c| format!("{}\t{}", c.label, c.phone)).collect::<Vec<_>>().join("\n")
}

/// The office lines as stored, read back (lines that do not parse are skipped).
pub fn contacts_from_text(stored: &str) -> Vec<Contact> {
    stored
        .lines()
        .filter_map(|l| l.split_once('\t'))
        .map(|(label, phone)| Contact { label: label.to_string(), phone: phone.to_string() })
        .collect()
}

impl ProfileInput {
    /// Check the form: duties required and within [`MAX_DUTIES_CHARS`], one-line fields
    /// within [`MAX_LINE_CHARS`], the phone and every office line valid numbers.
    pub fn check(&self) -> Result<Profile, AppError> {
        let duties: Vec<String> = self.duties.lines().map(one_line).filter(|l| !l.is_empty()).collect();
        let duties = duties.join("\n");
        if duties.is_empty() {
            return Err(AppError::bad_request("portal.department_duties", "请填写部门职责"));
        }
        if duties.chars().count() > MAX_DUTIES_CHARS {
            return Err(too_long("portal.department_duties", "部门职责", MAX_DUTIES_CHARS));
        }
        let address = one_line(&self.address);
        if address.chars().count() > MAX_LINE_CHARS {
            return Err(too_long("portal.department_address", "办公地址", MAX_LINE_CHARS));
        }
        let office_hours = one_line(&self.office_hours);
        if office_hours.chars().count() > MAX_LINE_CHARS {
            return Err(too_long("portal.department_hours", "办公时间", MAX_LINE_CHARS));
        }
        let phone = match self.phone.trim() {
            "" => String::new(),
            raw => Phone::parse(raw).map_err(|e| AppError::bad_request("portal.department_phone", e.message.clone()))?.as_str().to_string(),
        };
        let contacts = parse_contacts(&self.contacts)?;
        Ok(Profile { duties, address, office_hours, phone, contacts })
    }
}

/// May `user` edit the profile and the guides of department `org_id`? County-wide
/// admins may edit any department of their county; department staff only their own.
pub fn may_edit(user: &User, org_id: i64, org_county: &str) -> bool {
    if user.county_code != org_county {
        return false;
    }
    user.has_role(Role::SystemAdmin) || user.has_role(Role::CountyAdmin) || (user.has_role(Role::DeptStaff) && user.org_id == Some(org_id))
}

/// The answer when [`may_edit`] says no.
pub fn not_your_department() -> AppError {
    AppError::forbidden("portal.not_your_department", "只能编辑本部门的内容（县级管理员可编辑所有部门）")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input(duties: &str, phone: &str, contacts: &str) -> ProfileInput {
        ProfileInput { duties: duties.into(), phone: phone.into(), contacts: contacts.into(), ..Default::default() }
    }

    #[test]
    fn a_profile_is_normalised() {
        let p =
            input("  负责 市场主体登记。\n\n  负责监管。 ", "0393 7221234", "办公室 0393-7221235\n投诉举报：13812345678").check().unwrap();
        assert_eq!(p.duties, "负责 市场主体登记。\n负责监管。");
        assert_eq!(p.phone, "0393-7221234");
        assert_eq!(
            p.contacts,
            vec![
                Contact { label: "办公室".into(), phone: "0393-7221235".into() },
                Contact { label: "投诉举报".into(), phone: "13812345678".into() }
            ]
        );
        assert_eq!(contacts_from_text(&contacts_to_text(&p.contacts)), p.contacts);
    }

    #[test]
    fn bad_profiles_are_refused_with_codes() {
        for (i, code) in [
            (input(" \n ", "", ""), "portal.department_duties"),
            (input(&"职".repeat(MAX_DUTIES_CHARS + 1), "", ""), "portal.department_duties"),
            (input("职责", "12345", ""), "portal.department_phone"),
            (input("职责", "", "0393-7221234"), "portal.department_contact"),
            (input("职责", "", "办公室 123"), "portal.department_contact"),
            (ProfileInput { duties: "职责".into(), address: "址".repeat(101), ..Default::default() }, "portal.department_address"),
        ] {
            assert_eq!(i.check().unwrap_err().code, code);
        }
    }
}
