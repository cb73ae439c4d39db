//! 账号 User accounts: creation, passwords (Argon2id), roles, disabling.

use argon2::{Argon2, PasswordHasher, PasswordVerifier};
use serde::Serialize;

use crate::audit::{self, Actor, Change};
use crate::auth::{Role, Scope};
use crate::db::Db;
use crate::error::AppError;
use crate::listing::{ListParams, Page, SortKey, fetch_page};
use crate::pii::Pii;
use crate::sql::{Arg, Sql, Where};
use crate::{on_db, on_tx};

/// 账号 A user account as the platform works with it.
#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct User {
    pub id: i64,
    pub county_code: String,
    pub username: String,
    pub display_name: String,
    pub org_id: Option<i64>,
    pub org_name: Option<String>,
    pub scope_division: String,
    pub disabled: bool,
    pub must_change_password: bool,
    pub phone: String,
    #[serde(skip)]
    pub id_number_enc: Option<String>,
    pub is_demo: bool,
    /// Role keys, comma-separated, as stored.
    pub roles: String,
}

impl User {
    pub fn role_list(&self) -> Vec<Role> {
        self.roles.split(',').filter_map(|r| Role::parse(r).ok()).collect()
    }

    pub fn has_role(&self, role: Role) -> bool {
        self.role_list().contains(&role)
    }

    /// Does the user hold `perm` through one of their roles?
    pub fn can(&self, perm: &crate::auth::Permission) -> bool {
        self.role_list().iter().any(|r| perm.roles.contains(r))
    }

    pub fn scope(&self) -> Scope {
        let roles = self.role_list();
        let privileged = roles.iter().any(|r| !r.own_org_only());
        Scope { division: self.scope_division.clone(), org_id: self.org_id, own_org_only: !privileged && !roles.is_empty() }
    }

    pub fn roles_zh(&self) -> String {
        self.role_list().iter().map(|r| r.zh()).collect::<Vec<_>>().join("、")
    }

    /// The resident ID number: in full for those allowed (`pii.read`), masked otherwise.
    pub fn id_number_for(&self, viewer: &User, pii: &Pii) -> Option<String> {
        let enc = self.id_number_enc.as_deref()?;
        let plain = pii.decrypt(enc).ok()?;
        if viewer.can(&crate::auth::perms::PII_READ) { Some(plain) } else { Some(qingfeng_core::ResidentId::mask_text(&plain)) }
    }
}

/// The account columns with the roles aggregated; string aggregation is the one place
/// the two dialects differ (SQLite `GROUP_CONCAT`, PostgreSQL `STRING_AGG`).
macro_rules! user_select {
    ($agg:literal) => {
        concat!(
            "SELECT u.id, u.county_code, u.username, u.display_name, u.org_id, o.name AS org_name, u.scope_division, ",
            "u.disabled, u.must_change_password, u.phone, u.id_number_enc, u.is_demo, ",
            "COALESCE((SELECT ",
            $agg,
            " FROM (SELECT role FROM user_roles WHERE user_id = u.id ORDER BY role) r), '') AS roles ",
            "FROM users u LEFT JOIN organisations o ON o.id = u.org_id"
        )
    };
}

fn user_select(db: &Db) -> &'static str {
    match db {
        Db::Sqlite(_) => user_select!("GROUP_CONCAT(r.role, ',')"),
        Db::Postgres(_) => user_select!("STRING_AGG(r.role, ',')"),
    }
}

/// What it takes to create an account.
#[derive(Debug, Clone)]
pub struct NewUser<'a> {
    pub county_code: &'a str,
    pub username: &'a str,
    pub display_name: &'a str,
    pub password: &'a str,
    pub org_id: Option<i64>,
    pub scope_division: &'a str,
    pub roles: &'a [Role],
    pub phone: &'a str,
    pub id_number: Option<&'a str>,
    pub must_change_password: bool,
    pub is_demo: bool,
}

/// Password rules: 8–128 characters with letters and digits.
pub fn check_password_rules(pw: &str) -> Result<(), AppError> {
    let n = pw.chars().count();
    if n < 8 {
        return Err(AppError::bad_request("password.too_short", "密码至少 8 位"));
    }
    if n > 128 {
        return Err(AppError::bad_request("password.too_long", "密码不能超过 128 位"));
    }
    if !pw.chars().any(|c| c.is_alphabetic()) || !pw.chars().any(|c| c.is_ascii_digit()) {
        return Err(AppError::bad_request("password.weak", "密码须同时包含字母和数字"));
    }
    Ok(())
}

fn check_username(name: &str) -> Result<(), AppError> {
    let ok = (3..=32).contains(&name.len()) && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '.' || c == '-');
    if ok {
        Ok(())
    } else {
        Err(AppError::bad_request("user.username", "用户名须为 3–32 位字母、数字、下划线、点或连字符"))
    }
}

/// Hash a password with Argon2id (off the async threads).
pub async fn hash_password(pw: &str) -> Result<String, AppError> {
    let pw = pw.to_string();
    tokio::task::spawn_blocking(move || {
        let mut salt_bytes = [0u8; 16];
        rand::RngCore::fill_bytes(&mut rand::rng(), &mut salt_bytes);
        Argon2::default().hash_password_with_salt(pw.as_bytes(), &salt_bytes).map(|h| h.to_string()).map_err(AppError::internal)
    })
    .await
    .map_err(AppError::internal)?
}

/// Check a password against a stored Argon2 hash (off the async threads).
pub async fn verify_password(pw: &str, stored: &str) -> Result<bool, AppError> {
    let (pw, stored) = (pw.to_string(), stored.to_string());
    tokio::task::spawn_blocking(move || match Argon2::default().verify_password(pw.as_bytes(), stored.as_str()) {
        Ok(()) => Ok(true),
        Err(argon2::password_hash::Error::PasswordInvalid) => Ok(false),
        Err(e) => Err(AppError::internal(e)),
    })
    .await
    .map_err(AppError::internal)?
}

/// Create an account. The username must be free; the division and organisation must exist.
pub async fn create(db: &Db, pii: &Pii, new: &NewUser<'_>, actor: &Actor, now_ms: i64) -> Result<i64, AppError> {
    check_username(new.username)?;
    check_password_rules(new.password)?;
    if new.display_name.trim().is_empty() || new.display_name.chars().count() > 64 {
        return Err(AppError::bad_request("user.display_name", "姓名不能为空，且不超过 64 字"));
    }
    if new.roles.is_empty() {
        return Err(AppError::bad_request("user.roles", "至少指定一个角色"));
    }
    let division = crate::registry::normalise_code(new.scope_division)?;
    if crate::registry::division(db, &division).await?.is_none() {
        return Err(AppError::bad_request("user.scope", format!("管辖区划 {division} 不存在")));
    }
    let (id_enc, id_hash) = match new.id_number {
        Some(raw) if !raw.trim().is_empty() => {
            let id = qingfeng_core::ResidentId::parse(raw)?;
            (Some(pii.encrypt(id.as_str())), Some(pii.lookup_hash(id.as_str())))
        }
        _ => (None, None),
    };
    let hash = hash_password(new.password).await?;
    let mut tx = db.begin().await?;
    if let Some(org) = new.org_id {
        let exists: Option<i64> =
            on_tx!(&mut tx, |c| sqlx::query_scalar("SELECT id FROM organisations WHERE id = $1").bind(org).fetch_optional(&mut *c).await)?;
        if exists.is_none() {
            return Err(AppError::bad_request("user.org", format!("组织 {org} 不存在")));
        }
    }
    let taken: Option<i64> = on_tx!(&mut tx, |c| sqlx::query_scalar("SELECT id FROM users WHERE username = $1")
        .bind(new.username)
        .fetch_optional(&mut *c)
        .await)?;
    if taken.is_some() {
        return Err(AppError::conflict("user.exists", format!("用户名“{}”已被使用", new.username)));
    }
    let id: i64 = on_tx!(&mut tx, |c| sqlx::query_scalar(
        "INSERT INTO users (county_code, username, display_name, org_id, scope_division, password_hash, must_change_password, phone, \
         id_number_enc, id_number_hash, is_demo, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $12) RETURNING id"
    )
    .bind(new.county_code)
    .bind(new.username)
    .bind(new.display_name.trim())
    .bind(new.org_id)
    .bind(&division)
    .bind(&hash)
    .bind(new.must_change_password)
    .bind(new.phone)
    .bind(&id_enc)
    .bind(&id_hash)
    .bind(new.is_demo)
    .bind(now_ms)
    .fetch_one(&mut *c)
    .await)?;
    for r in new.roles {
        tx.execute("INSERT INTO user_roles (user_id, role) VALUES ($1, $2) ON CONFLICT DO NOTHING", &[Arg::from(id), Arg::from(r.key())])
            .await?;
    }
    let roles: Vec<_> = new.roles.iter().map(|r| r.key()).collect();
    audit::append(
        &mut tx,
        now_ms,
        &Change {
            county_code: new.county_code,
            actor,
            action: "user.create",
            entity: "user",
            entity_id: &id.to_string(),
            detail: serde_json::json!({"username": new.username, "roles": roles, "scope": division, "org": new.org_id}),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(id)
}

pub async fn by_id(db: &Db, id: i64) -> Result<Option<User>, AppError> {
    let mut s = Sql::new(user_select(db));
    s.push(" WHERE u.id = ").bind(id);
    Ok(s.fetch_optional(db).await?)
}

pub async fn by_username(db: &Db, username: &str) -> Result<Option<User>, AppError> {
    let mut s = Sql::new(user_select(db));
    s.push(" WHERE u.username = ").bind(username);
    Ok(s.fetch_optional(db).await?)
}

/// Find accounts by resident ID number (through the keyed hash).
pub async fn by_id_number(db: &Db, pii: &Pii, id_number: &str) -> Result<Vec<User>, AppError> {
    let id = qingfeng_core::ResidentId::parse(id_number)?;
    let mut s = Sql::new(user_select(db));
    s.push(" WHERE u.id_number_hash = ").bind(pii.lookup_hash(id.as_str()));
    Ok(s.fetch_all(db).await?)
}

pub(crate) async fn password_hash(db: &Db, user_id: i64) -> Result<Option<String>, AppError> {
    Ok(on_db!(db, |p| sqlx::query_scalar("SELECT password_hash FROM users WHERE id = $1").bind(user_id).fetch_optional(p).await)?)
}

pub const USER_SORT: &[SortKey] = &[
    SortKey { key: "username", column: "u.username" },
    SortKey { key: "name", column: "u.display_name" },
    SortKey { key: "id", column: "u.id" },
];

/// Accounts within the scope.
pub async fn list(db: &Db, scope: &Scope, params: &ListParams) -> Result<Page<User>, AppError> {
    let mut w = Where::new();
    scope.restrict(&mut w, "u.scope_division", Some("u.org_id"));
    if let Some(q) = &params.q {
        w.contains_any(&["u.username", "u.display_name"], q);
    }
    Ok(fetch_page(db, user_select(db), &w, params).await?)
}

/// Active accounts within the scope holding `role` (e.g. the grid workers a township
/// can assign), by name.
pub async fn with_role(db: &Db, scope: &Scope, role: Role) -> Result<Vec<User>, AppError> {
    let mut w = Where::new();
    scope.restrict(&mut w, "u.scope_division", Some("u.org_id"));
    w.eq("u.disabled", false);
    let mut has = Sql::new("EXISTS (SELECT 1 FROM user_roles r WHERE r.user_id = u.id AND r.role = ");
    has.bind(role.key()).push(")");
    w.raw(&has);
    let mut s = Sql::new(user_select(db));
    s.append(w.as_sql()).push(" ORDER BY u.display_name, u.id");
    Ok(s.fetch_all(db).await?)
}

/// Set a new password (by an administrator, or by the user after checking the old one).
pub async fn set_password(db: &Db, user_id: i64, new_pw: &str, must_change: bool, actor: &Actor, now_ms: i64) -> Result<(), AppError> {
    check_password_rules(new_pw)?;
    let user = by_id(db, user_id).await?.ok_or_else(|| AppError::not_found("user.not_found", "账号不存在"))?;
    let hash = hash_password(new_pw).await?;
    let mut tx = db.begin().await?;
    tx.execute(
        "UPDATE users SET password_hash = $1, must_change_password = $2, updated_at = $3 WHERE id = $4",
        &[Arg::from(&hash), Arg::from(must_change), Arg::from(now_ms), Arg::from(user_id)],
    )
    .await?;
    // A new password ends every other session of the account.
    tx.execute("DELETE FROM sessions WHERE user_id = $1", &[Arg::from(user_id)]).await?;
    audit::append(
        &mut tx,
        now_ms,
        &Change {
            county_code: &user.county_code,
            actor,
            action: "user.password",
            entity: "user",
            entity_id: &user_id.to_string(),
            detail: serde_json::json!({"must_change": must_change}),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Disable or enable an account; disabling ends its sessions and revokes its tokens.
pub async fn set_disabled(db: &Db, user_id: i64, disabled: bool, actor: &Actor, now_ms: i64) -> Result<(), AppError> {
    let user = by_id(db, user_id).await?.ok_or_else(|| AppError::not_found("user.not_found", "账号不存在"))?;
    let mut tx = db.begin().await?;
    tx.execute(
        "UPDATE users SET disabled = $1, updated_at = $2 WHERE id = $3",
        &[Arg::from(disabled), Arg::from(now_ms), Arg::from(user_id)],
    )
    .await?;
    if disabled {
        tx.execute("DELETE FROM sessions WHERE user_id = $1", &[Arg::from(user_id)]).await?;
        tx.execute(
            "UPDATE api_tokens SET revoked_at = $1 WHERE user_id = $2 AND revoked_at IS NULL",
            &[Arg::from(now_ms), Arg::from(user_id)],
        )
        .await?;
    }
    audit::append(
        &mut tx,
        now_ms,
        &Change {
            county_code: &user.county_code,
            actor,
            action: if disabled { "user.disable" } else { "user.enable" },
            entity: "user",
            entity_id: &user_id.to_string(),
            detail: serde_json::json!({"username": user.username}),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// How many accounts exist.
pub async fn count(db: &Db) -> Result<i64, AppError> {
    Ok(on_db!(db, |p| sqlx::query_scalar("SELECT COUNT(*) FROM users").fetch_one(p).await)?)
}
