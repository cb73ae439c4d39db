//! 账号、角色与管辖范围 Accounts, roles, permissions and scope.
//!
//! A user belongs to an organisation and holds roles. Modules declare their
//! permissions ([`Permission`]) with the roles that hold them. A user's scope is a
//! division subtree (county → township → village) and, for department staff, their own
//! organisation's data; the store queries apply it through [`Scope::restrict`].

use serde::Serialize;

use crate::error::AppError;
use crate::sql::Where;

/// 角色 A role a user can hold.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub enum Role {
    /// 系统管理员
    SystemAdmin,
    /// 县级管理员
    CountyAdmin,
    /// 信用办工作人员
    CreditOfficer,
    /// 部门工作人员
    DeptStaff,
    /// 乡镇工作人员
    TownshipStaff,
    /// 网格员
    GridWorker,
    /// 调解员
    Mediator,
    /// 法官（人民法庭）
    TribunalJudge,
    /// 银行客户经理
    BankOfficer,
    /// 养老机构工作人员
    CareStaff,
}

pub const ALL_ROLES: &[Role] = &[
    Role::SystemAdmin,
    Role::CountyAdmin,
    Role::CreditOfficer,
    Role::DeptStaff,
    Role::TownshipStaff,
    Role::GridWorker,
    Role::Mediator,
    Role::TribunalJudge,
    Role::BankOfficer,
    Role::CareStaff,
];

impl Role {
    pub fn key(self) -> &'static str {
        match self {
            Role::SystemAdmin => "system_admin",
            Role::CountyAdmin => "county_admin",
            Role::CreditOfficer => "credit_officer",
            Role::DeptStaff => "dept_staff",
            Role::TownshipStaff => "township_staff",
            Role::GridWorker => "grid_worker",
            Role::Mediator => "mediator",
            Role::TribunalJudge => "tribunal_judge",
            Role::BankOfficer => "bank_officer",
            Role::CareStaff => "care_staff",
        }
    }
    pub fn zh(self) -> &'static str {
        match self {
            Role::SystemAdmin => "系统管理员",
            Role::CountyAdmin => "县级管理员",
            Role::CreditOfficer => "信用办工作人员",
            Role::DeptStaff => "部门工作人员",
            Role::TownshipStaff => "乡镇工作人员",
            Role::GridWorker => "网格员",
            Role::Mediator => "调解员",
            Role::TribunalJudge => "法官",
            Role::BankOfficer => "银行客户经理",
            Role::CareStaff => "养老服务人员",
        }
    }
    pub fn en(self) -> &'static str {
        match self {
            Role::SystemAdmin => "System administrator",
            Role::CountyAdmin => "County administrator",
            Role::CreditOfficer => "Credit office staff",
            Role::DeptStaff => "Department staff",
            Role::TownshipStaff => "Township staff",
            Role::GridWorker => "Grid worker",
            Role::Mediator => "Mediator",
            Role::TribunalJudge => "Tribunal judge",
            Role::BankOfficer => "Bank officer",
            Role::CareStaff => "Care staff",
        }
    }
    pub fn parse(key: &str) -> Result<Role, AppError> {
        ALL_ROLES.iter().copied().find(|r| r.key() == key.trim()).ok_or_else(|| {
            let keys: Vec<_> = ALL_ROLES.iter().map(|r| r.key()).collect();
            AppError::bad_request("role.unknown", format!("未知角色“{key}”，可选：{}", keys.join("、")))
        })
    }
    /// Department staff see only their own organisation's data within their division.
    pub fn own_org_only(self) -> bool {
        matches!(self, Role::DeptStaff | Role::BankOfficer | Role::CareStaff)
    }
}

/// 权限 A permission a module declares, and the roles that hold it.
#[derive(Debug, Clone, Copy)]
pub struct Permission {
    pub key: &'static str,
    pub zh: &'static str,
    pub en: &'static str,
    pub roles: &'static [Role],
}

/// The permissions of the platform itself.
pub mod perms {
    use super::{Permission, Role::*};
    pub const REGISTRY_READ: Permission = Permission {
        key: "registry.read",
        zh: "查看区划、组织与网格",
        en: "View divisions, organisations and grids",
        roles: &[SystemAdmin, CountyAdmin, CreditOfficer, DeptStaff, TownshipStaff, GridWorker, Mediator, TribunalJudge, CareStaff],
    };
    pub const REGISTRY_MANAGE: Permission = Permission {
        key: "registry.manage",
        zh: "维护组织与网格",
        en: "Maintain organisations and grids",
        roles: &[SystemAdmin, CountyAdmin],
    };
    /// Assign grid workers to grids (网格员配置).
    pub const GRIDS_MANAGE: Permission =
        Permission {
            key: "grids.manage", zh: "配置网格员", en: "Assign grid workers", roles: &[SystemAdmin, CountyAdmin, TownshipStaff]
        };
    pub const USERS_MANAGE: Permission =
        Permission { key: "users.manage", zh: "管理账号", en: "Manage accounts", roles: &[SystemAdmin, CountyAdmin] };
    pub const AUDIT_READ: Permission =
        Permission { key: "audit.read", zh: "查看审计日志", en: "Read the audit log", roles: &[SystemAdmin, CountyAdmin] };
    pub const TOKENS_MANAGE: Permission =
        Permission { key: "tokens.manage", zh: "管理接口令牌", en: "Manage API tokens", roles: &[SystemAdmin, CountyAdmin] };
    pub const OPS_MANAGE: Permission = Permission {
        key: "ops.manage",
        zh: "管理后台任务与外部推送",
        en: "Manage jobs and outgoing webhooks",
        roles: &[SystemAdmin, CountyAdmin],
    };
    /// Read full resident ID numbers (otherwise shown masked).
    pub const PII_READ: Permission =
        Permission { key: "pii.read", zh: "查看完整身份证号", en: "Read full ID numbers", roles: &[SystemAdmin] };
    pub const ALL: &[Permission] =
        &[REGISTRY_READ, REGISTRY_MANAGE, GRIDS_MANAGE, USERS_MANAGE, AUDIT_READ, TOKENS_MANAGE, OPS_MANAGE, PII_READ];
}

/// 管辖范围 What a user may see: a division subtree, and for department-type roles
/// only their own organisation's records.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Scope {
    /// Division code at the root of the subtree (`410922`, `410922100`…).
    pub division: String,
    /// The user's organisation.
    pub org_id: Option<i64>,
    /// Restrict to `org_id`'s own data.
    pub own_org_only: bool,
}

impl Scope {
    /// Everything (for system tasks and CLI commands run by the operator).
    pub fn everything() -> Scope {
        Scope { division: String::new(), org_id: None, own_org_only: false }
    }

    /// Does this scope cover a record in `division_code` that has no owning organisation
    /// (a division, a grid)? The same test [`Scope::restrict`] applies with no org column.
    pub fn covers_division(&self, division_code: &str) -> bool {
        division_code.starts_with(&self.division)
    }

    /// Does this scope cover a record in `division_code` owned by `owner` (an account,
    /// an organisation)? The same test [`Scope::restrict`] applies with an org column:
    /// a scope limited to its own organisation sees nothing without an owner.
    pub fn covers(&self, division_code: &str, owner: Option<i64>) -> bool {
        self.covers_division(division_code) && (!self.own_org_only || (owner.is_some() && owner == self.org_id))
    }

    /// Add this scope's conditions to a query: `division_column` within the subtree and,
    /// where the scope is limited to its own organisation, `org_column` equal to it.
    pub fn restrict(&self, w: &mut Where, division_column: &str, org_column: Option<&str>) {
        if !self.division.is_empty() {
            w.within_division(division_column, &self.division);
        }
        if self.own_org_only
            && let Some(col) = org_column
        {
            w.eq(col, self.org_id.unwrap_or(-1));
        }
    }

    pub fn denied() -> AppError {
        AppError::forbidden("scope.denied", "该数据不在您的管辖范围内")
    }

    /// A record asked for by id that does not exist or lies outside the scope: both
    /// answer 404 alike, so ids outside one's scope reveal nothing.
    pub fn not_found(code: &'static str, what: &str, id: impl std::fmt::Display) -> AppError {
        AppError::not_found(code, format!("{what} {id} 不存在或不在您的管辖范围内"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn covers_agrees_with_restrict() {
        let town = Scope { division: "410922100".into(), org_id: Some(7), own_org_only: false };
        assert!(town.covers_division("410922100201"));
        assert!(!town.covers_division("410922200201"));
        assert!(town.covers("410922100", None));
        let dept = Scope { division: "410922".into(), org_id: Some(7), own_org_only: true };
        assert!(dept.covers("410922", Some(7)));
        assert!(!dept.covers("410922", Some(8)));
        assert!(!dept.covers("410922", None), "own-organisation scope sees nothing unowned");
        assert!(dept.covers_division("410922100"));
        let mut w = Where::new();
        dept.restrict(&mut w, "o.division_code", Some("o.id"));
        assert_eq!(w.as_sql().text(), " WHERE o.division_code LIKE $1 ESCAPE '\\' AND o.id = $2");
    }
}
