//! 界面语言 UI language: zh-CN first, English second. Chosen by the `lang` cookie
//! (set at `/lang/en` or `/lang/zh`), Chinese by default.

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lang {
    Zh,
    En,
}

impl Lang {
    pub fn code(self) -> &'static str {
        match self {
            Lang::Zh => "zh-CN",
            Lang::En => "en",
        }
    }
    pub fn from_cookie(v: Option<&str>) -> Lang {
        match v {
            Some("en") => Lang::En,
            _ => Lang::Zh,
        }
    }
    /// Pick the text for this language.
    pub fn pick<'a>(self, zh: &'a str, en: &'a str) -> &'a str {
        match self {
            Lang::Zh => zh,
            Lang::En => en,
        }
    }
}

/// The UI strings: key, Chinese, English.
const STRINGS: &[(&str, &str, &str)] = &[
    ("app.name", "清丰县数字治理平台", "Qingfeng County Digital Governance"),
    ("app.short", "清丰", "Qingfeng"),
    ("nav.home", "首页", "Home"),
    ("nav.console", "工作台", "Console"),
    ("nav.login", "工作人员登录", "Staff sign-in"),
    ("nav.logout", "退出", "Sign out"),
    ("nav.lang", "English", "中文"),
    (
        "home.lead",
        "社会信用、信易贷、诉源治理、营商环境直通车、政务服务、智慧养老，一个平台。",
        "Credit, credit lending, dispute resolution, the business-environment express, government services and elderly care on one platform.",
    ),
    ("home.county", "清丰县概况", "Qingfeng County"),
    ("home.townships", "乡镇", "Townships"),
    ("home.villages", "村（社区）", "Villages & communities"),
    ("home.grids", "网格", "Grids"),
    ("home.orgs", "组织", "Organisations"),
    ("tile.planned", "建设中", "In development"),
    ("login.title", "工作人员登录", "Staff sign-in"),
    ("login.username", "用户名", "Username"),
    ("login.password", "密码", "Password"),
    ("login.submit", "登录", "Sign in"),
    ("console.title", "工作台", "Console"),
    ("console.welcome", "您好", "Welcome"),
    ("console.roles", "角色", "Roles"),
    ("console.scope", "管辖范围", "Scope"),
    ("console.must_change", "请先修改初始密码。", "Please change your initial password."),
    ("menu.registry", "区划", "Divisions"),
    ("menu.orgs", "组织机构", "Organisations"),
    ("menu.grids", "网格", "Grids"),
    ("menu.users", "账号管理", "Accounts"),
    ("menu.tokens", "接口令牌", "API tokens"),
    ("menu.audit", "审计日志", "Audit log"),
    ("menu.password", "修改密码", "Change password"),
    ("menu.ops", "任务与推送", "Jobs & webhooks"),
    ("menu.search", "检索", "Search"),
    ("search.hint", "输入组织、村或乡镇名称的任意部分", "Any part of an organisation, village or township name"),
    ("list.search", "搜索", "Search"),
    ("list.prev", "上一页", "Previous"),
    ("list.next", "下一页", "Next"),
    ("list.total", "共", "Total"),
    ("list.empty", "没有符合条件的记录", "Nothing matches"),
    ("list.all", "全部", "All"),
    ("field.code", "代码", "Code"),
    ("field.name", "名称", "Name"),
    ("field.level", "级别", "Level"),
    ("field.kind", "类别", "Kind"),
    ("field.division", "所在区划", "Division"),
    ("field.uscc", "统一社会信用代码", "Unified social credit code"),
    ("field.township", "乡镇", "Township"),
    ("field.village", "村（社区）", "Village"),
    ("field.worker", "网格员", "Grid worker"),
    ("field.username", "用户名", "Username"),
    ("field.display_name", "姓名", "Name"),
    ("field.org", "所属组织", "Organisation"),
    ("field.roles", "角色", "Roles"),
    ("field.status", "状态", "Status"),
    ("field.phone", "电话", "Phone"),
    ("field.id_number", "身份证号", "ID number"),
    ("field.created", "创建时间", "Created"),
    ("demo.badge", "演示数据", "Demo data"),
    ("user.disabled", "已停用", "Disabled"),
    ("user.active", "正常", "Active"),
    ("user.create", "新建账号", "New account"),
    ("user.scope_own", "与我相同", "Same as mine"),
    ("user.disable", "停用", "Disable"),
    ("user.enable", "启用", "Enable"),
    ("password.old", "原密码", "Current password"),
    ("password.new", "新密码", "New password"),
    ("password.repeat", "再次输入新密码", "Repeat new password"),
    ("password.rules", "至少 8 位，须同时包含字母和数字。", "At least 8 characters with letters and digits."),
    ("action.save", "保存", "Save"),
    ("grid.assign", "配置网格员", "Assign the grid worker"),
    ("grid.none", "（不配）", "(none)"),
    ("grid.unassigned", "未配网格员", "No grid worker"),
    ("action.create", "创建", "Create"),
    ("action.revoke", "撤销", "Revoke"),
    ("token.once", "请立即复制令牌，它只显示这一次：", "Copy the token now; it is shown only once:"),
    ("audit.verify", "核验审计链", "Verify the audit chain"),
    ("audit.verify_ok", "审计链完整", "The audit chain is intact"),
    ("audit.verify_bad", "审计链被破坏", "The audit chain is broken"),
    ("error.title", "出错了", "Something went wrong"),
    ("error.back", "返回首页", "Back to home"),
    (
        "footer.data",
        "区划数据：国家统计局 2023 年统计用区划代码；演示数据均已标注。",
        "Divisions: NBS 2023 statistical division codes; demo data is marked as such.",
    ),
];

/// Look up a UI string; an unknown key shows itself, so a gap is visible, not fatal.
pub fn tr(lang: Lang, key: &str) -> &str {
    match STRINGS.iter().find(|s| s.0 == key) {
        Some((_, zh, en)) => lang.pick(zh, en),
        None => key,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_unique_and_translated() {
        let mut seen = std::collections::HashSet::new();
        for (k, zh, en) in STRINGS {
            assert!(seen.insert(*k), "duplicate key {k}");
            assert!(!zh.is_empty() && !en.is_empty(), "{k} lacks a translation");
        }
        assert_eq!(tr(Lang::En, "nav.home"), "Home");
        assert_eq!(tr(Lang::Zh, "nav.home"), "首页");
        assert_eq!(tr(Lang::Zh, "no.such"), "no.such");
    }
}
