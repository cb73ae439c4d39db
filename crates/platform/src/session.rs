//! 登录会话与接口令牌 Login sessions (stored in our database), login throttling, and API
//! tokens for machine clients (departments pushing data, banks).
//!
//! A session cookie holds 32 random bytes; the database keeps only their SHA-256, so a
//! copy of the database does not let anyone log in. Each session carries its CSRF token.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD as B64URL;
use rand::RngCore;
use serde::Serialize;
use sha2::{Digest, Sha256};

use crate::audit::{self, Actor, Change};
use crate::config::Config;
use crate::db::Db;
use crate::error::AppError;
use crate::on_db;
use crate::on_tx;
use crate::sql::Arg;
use crate::users::{self, User};

pub const SESSION_COOKIE: &str = "qf_session";
/// However active, a session ends this many days after sign-in.
pub const MAX_SESSION_DAYS: i64 = 7;
/// Cookie for the CSRF token of forms shown before login (double-submit).
pub const PRELOGIN_COOKIE: &str = "qf_prelogin";

/// A fresh random token (32 bytes, URL-safe base64).
pub fn random_token() -> String {
    let mut b = [0u8; 32];
    rand::rng().fill_bytes(&mut b);
    B64URL.encode(b)
}

pub fn sha256_hex(s: &str) -> String {
    hex::encode(Sha256::digest(s.as_bytes()))
}

/// Compare two secrets in constant time.
pub fn same_secret(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// A live session.
#[derive(Debug, Clone)]
pub struct Session {
    pub user: User,
    pub csrf_token: String,
}

/// Why a login failed (each maps to a Chinese message and a stable code).
fn invalid_credentials() -> AppError {
    AppError::new(axum::http::StatusCode::UNAUTHORIZED, "auth.invalid_credentials", "用户名或密码错误")
}

/// Refuse when `username` or `ip` failed too often within the window (登录限流).
pub async fn check_throttle(db: &Db, cfg: &Config, username: &str, ip: &str, now_ms: i64) -> Result<(), AppError> {
    let since = now_ms - cfg.login_window_minutes * 60_000;
    let (by_user, by_ip): (i64, i64) = on_db!(db, |p| sqlx::query_as(
        "SELECT (SELECT COUNT(*) FROM login_attempts WHERE username = $1 AND at >= $3 AND NOT success), \
                (SELECT COUNT(*) FROM login_attempts WHERE ip = $2 AND at >= $3 AND NOT success)"
    )
    .bind(username)
    .bind(ip)
    .bind(since)
    .fetch_one(p)
    .await)?;
    if by_user >= cfg.login_max_failures_per_account || by_ip >= cfg.login_max_failures_per_ip {
        return Err(AppError::too_many("auth.throttled", format!("登录失败次数过多，请 {} 分钟后再试", cfg.login_window_minutes)));
    }
    Ok(())
}

/// Record a password check (failures count towards the throttle).
pub async fn record_attempt(db: &Db, username: &str, ip: &str, success: bool, now_ms: i64) -> Result<(), AppError> {
    db.execute(
        "INSERT INTO login_attempts (username, ip, at, success) VALUES ($1, $2, $3, $4)",
        &[Arg::from(username), Arg::from(ip), Arg::from(now_ms), Arg::from(success)],
    )
    .await?;
    Ok(())
}

/// Check the throttle, then the password; on success start a session and return
/// `(cookie value, session)`.
pub async fn login(db: &Db, cfg: &Config, username: &str, password: &str, ip: &str, now_ms: i64) -> Result<(String, Session), AppError> {
    let username = username.trim();
    check_throttle(db, cfg, username, ip, now_ms).await?;
    let user = users::by_username(db, username).await?;
    let ok = match &user {
        Some(u) if !u.disabled => match users::password_hash(db, u.id).await? {
            Some(h) => users::verify_password(password, &h).await?,
            None => false,
        },
        _ => {
            // Spend the same effort for unknown accounts, so timing does not tell which exist.
            let _ = users::verify_password(password, DUMMY_HASH).await;
            false
        }
    };
    record_attempt(db, username, ip, ok, now_ms).await?;
    let user = match (ok, user) {
        (true, Some(u)) => u,
        _ => return Err(invalid_credentials()),
    };
    let token = random_token();
    let csrf = random_token();
    let expires = now_ms + cfg.session_hours * 3_600_000;
    let mut tx = db.begin().await?;
    tx.execute(
        "INSERT INTO sessions (id_hash, user_id, csrf_token, created_at, expires_at, last_seen_at, ip) VALUES ($1, $2, $3, $4, $5, $4, $6)",
        &[Arg::from(sha256_hex(&token)), Arg::from(user.id), Arg::from(&csrf), Arg::from(now_ms), Arg::from(expires), Arg::from(ip)],
    )
    .await?;
    let actor = Actor::User { id: user.id, username: user.username.clone() };
    audit::append(
        &mut tx,
        now_ms,
        &Change {
            county_code: &user.county_code,
            actor: &actor,
            action: "session.login",
            entity: "user",
            entity_id: &user.id.to_string(),
            detail: serde_json::json!({"ip": ip}),
        },
    )
    .await?;
    tx.commit().await?;
    Ok((token, Session { user, csrf_token: csrf }))
}

/// An Argon2id hash of a random password, used to equalise timing for unknown users.
const DUMMY_HASH: &str = "$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$2aJ3cNn0ZbpzO9jcbC8mGsmDa5h3Yh7Nn2mQ7cH4f0I";

/// The session a cookie stands for, if it is live; extends its idle expiry.
pub async fn lookup(db: &Db, cfg: &Config, token: &str, now_ms: i64) -> Result<Option<Session>, AppError> {
    let row: Option<(i64, String, i64, i64, i64)> = on_db!(db, |p| sqlx::query_as(
        "SELECT user_id, csrf_token, expires_at, last_seen_at, created_at FROM sessions WHERE id_hash = $1"
    )
    .bind(sha256_hex(token))
    .fetch_optional(p)
    .await)?;
    let Some((user_id, csrf, expires, last_seen, created)) = row else { return Ok(None) };
    if expires <= now_ms || now_ms - created > MAX_SESSION_DAYS * 86_400_000 {
        db.execute("DELETE FROM sessions WHERE id_hash = $1", &[Arg::from(sha256_hex(token))]).await?;
        return Ok(None);
    }
    let Some(user) = users::by_id(db, user_id).await? else { return Ok(None) };
    if user.disabled {
        return Ok(None);
    }
    // Sliding expiry, written at most once a minute.
    if now_ms - last_seen > 60_000 {
        db.execute(
            "UPDATE sessions SET last_seen_at = $1, expires_at = $2 WHERE id_hash = $3",
            &[Arg::from(now_ms), Arg::from(now_ms + cfg.session_hours * 3_600_000), Arg::from(sha256_hex(token))],
        )
        .await?;
    }
    Ok(Some(Session { user, csrf_token: csrf }))
}

/// End a session.
pub async fn logout(db: &Db, token: &str, now_ms: i64) -> Result<(), AppError> {
    let user_id: Option<i64> = on_db!(db, |p| sqlx::query_scalar("SELECT user_id FROM sessions WHERE id_hash = $1")
        .bind(sha256_hex(token))
        .fetch_optional(p)
        .await)?;
    if let Some(uid) = user_id
        && let Some(user) = users::by_id(db, uid).await?
    {
        let mut tx = db.begin().await?;
        tx.execute("DELETE FROM sessions WHERE id_hash = $1", &[Arg::from(sha256_hex(token))]).await?;
        let actor = Actor::User { id: uid, username: user.username.clone() };
        audit::append(
            &mut tx,
            now_ms,
            &Change {
                county_code: &user.county_code,
                actor: &actor,
                action: "session.logout",
                entity: "user",
                entity_id: &uid.to_string(),
                detail: serde_json::json!({}),
            },
        )
        .await?;
        tx.commit().await?;
    }
    Ok(())
}

/// Remove expired sessions and old login attempts (a scheduled job).
pub async fn sweep(db: &Db, now_ms: i64) -> Result<u64, AppError> {
    let a = db.execute("DELETE FROM sessions WHERE expires_at <= $1", &[Arg::from(now_ms)]).await?;
    let b = db.execute("DELETE FROM login_attempts WHERE at < $1", &[Arg::from(now_ms - 30 * 86_400_000)]).await?;
    Ok(a + b)
}

/// 接口令牌 An API token as listed (never the secret itself).
#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct ApiToken {
    pub id: i64,
    pub name: String,
    pub prefix: String,
    pub user_id: i64,
    pub username: String,
    pub county_code: String,
    pub permissions: String,
    pub created_at: i64,
    pub expires_at: Option<i64>,
    pub revoked_at: Option<i64>,
    pub last_used_at: Option<i64>,
}

/// Who is issuing a token: a person at the console (held to what they may do
/// themselves) or the operator at the command line.
pub enum Issuer<'a> {
    Person(&'a User),
    Operator,
}

/// Create a token acting as `user_id`, limited to `permissions` (keys from `known`; empty
/// = all the account's). A person may issue tokens only for accounts in their scope,
/// and only with permissions they hold themselves: a token never does more than its
/// issuer could. Returns
/// `(id, secret)`; the secret is shown once and stored only hashed.
#[allow(clippy::too_many_arguments)]
pub async fn create_token(
    db: &Db,
    issuer: Issuer<'_>,
    user_id: i64,
    name: &str,
    permissions: &[String],
    known: &[&'static crate::auth::Permission],
    expires_at: Option<i64>,
    actor: &Actor,
    now_ms: i64,
) -> Result<(i64, String), AppError> {
    let name = name.trim();
    if name.is_empty() || name.chars().count() > 64 {
        return Err(AppError::bad_request("token.name", "令牌名称不能为空，且不超过 64 字"));
    }
    let user = users::by_id(db, user_id).await?.ok_or_else(|| AppError::bad_request("token.user", format!("账号 {user_id} 不存在")))?;
    if user.disabled {
        return Err(AppError::bad_request("token.user_disabled", "账号已停用，不能签发令牌"));
    }
    for p in permissions {
        let Some(perm) = known.iter().find(|k| k.key == p) else {
            return Err(AppError::bad_request("token.permission", format!("未知权限“{p}”")));
        };
        if !user.can(perm) {
            return Err(AppError::bad_request("token.permission", format!("账号 {} 没有“{}”权限", user.username, perm.zh)));
        }
    }
    if let Issuer::Person(me) = issuer {
        if !me.scope().covers(&user.scope_division, user.org_id) {
            return Err(crate::auth::Scope::denied());
        }
        let wanted: Vec<&&crate::auth::Permission> = if permissions.is_empty() {
            known.iter().filter(|k| user.can(k)).collect()
        } else {
            known.iter().filter(|k| permissions.iter().any(|p| p == k.key)).collect()
        };
        if let Some(p) = wanted.iter().find(|p| !me.can(p)) {
            return Err(AppError::forbidden("token.escalation", format!("您自己没有“{}”权限，不能把它交给令牌", p.zh)));
        }
    }
    let secret = format!("qf_{}", random_token());
    let prefix: String = secret.chars().take(10).collect();
    let perms = if permissions.is_empty() { "*".to_string() } else { permissions.join(",") };
    let mut tx = db.begin().await?;
    let id: i64 = on_tx!(&mut tx, |c| sqlx::query_scalar(
        "INSERT INTO api_tokens (name, prefix, token_hash, user_id, permissions, created_by, created_at, expires_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id"
    )
    .bind(name)
    .bind(&prefix)
    .bind(sha256_hex(&secret))
    .bind(user_id)
    .bind(&perms)
    .bind(match actor {
        Actor::User { id, .. } => Some(*id),
        _ => None,
    })
    .bind(now_ms)
    .bind(expires_at)
    .fetch_one(&mut *c)
    .await)?;
    audit::append(
        &mut tx,
        now_ms,
        &Change {
            county_code: &user.county_code,
            actor,
            action: "token.create",
            entity: "api_token",
            entity_id: &id.to_string(),
            detail: serde_json::json!({"name": name, "user": user.username, "permissions": perms}),
        },
    )
    .await?;
    tx.commit().await?;
    Ok((id, secret))
}

const TOKEN_SELECT: &str = "SELECT t.id, t.name, t.prefix, t.user_id, u.username, u.county_code, t.permissions, t.created_at, t.expires_at, \
     t.revoked_at, t.last_used_at FROM api_tokens t JOIN users u ON u.id = t.user_id";

/// Revoke a token (idempotent) whose account lies within `scope`.
pub async fn revoke_token(db: &Db, scope: &crate::auth::Scope, id: i64, actor: &Actor, now_ms: i64) -> Result<(), AppError> {
    let token = token_in_scope(db, scope, id).await?;
    let mut tx = db.begin().await?;
    let n = tx
        .execute("UPDATE api_tokens SET revoked_at = $1 WHERE id = $2 AND revoked_at IS NULL", &[Arg::from(now_ms), Arg::from(id)])
        .await?;
    if n > 0 {
        let detail = serde_json::json!({"name": token.name, "user": token.username});
        audit::append(
            &mut tx,
            now_ms,
            &Change {
                county_code: &token.county_code,
                actor,
                action: "token.revoke",
                entity: "api_token",
                entity_id: &id.to_string(),
                detail,
            },
        )
        .await?;
    }
    tx.commit().await?;
    Ok(())
}

async fn token_in_scope(db: &Db, scope: &crate::auth::Scope, id: i64) -> Result<ApiToken, AppError> {
    let mut w = crate::sql::Where::new();
    w.eq("t.id", id);
    scope.restrict(&mut w, "u.scope_division", Some("u.org_id"));
    let mut s = crate::sql::Sql::new(TOKEN_SELECT);
    s.append(w.as_sql());
    s.fetch_optional(db).await?.ok_or_else(|| crate::auth::Scope::not_found("token.not_found", "令牌", id))
}

/// Tokens of the accounts within `scope`, newest first.
pub async fn list_tokens(db: &Db, scope: &crate::auth::Scope) -> Result<Vec<ApiToken>, AppError> {
    let mut w = crate::sql::Where::new();
    scope.restrict(&mut w, "u.scope_division", Some("u.org_id"));
    let mut s = crate::sql::Sql::new(TOKEN_SELECT);
    s.append(w.as_sql()).push(" ORDER BY t.id DESC");
    Ok(s.fetch_all(db).await?)
}

/// A machine client authenticated by token: the account it acts as, and the
/// permissions it is limited to.
#[derive(Debug, Clone)]
pub struct TokenAuth {
    pub token_id: i64,
    pub user: User,
    pub permissions: Vec<String>,
}

impl TokenAuth {
    pub fn allows(&self, perm: &crate::auth::Permission) -> bool {
        self.user.can(perm) && (self.permissions.iter().any(|p| p == "*" || p == perm.key))
    }
}

/// id, user, permissions, expires, revoked, last used.
type TokenRow = (i64, i64, String, Option<i64>, Option<i64>, Option<i64>);

/// Check a `Bearer` token.
pub async fn authenticate_token(db: &Db, secret: &str, now_ms: i64) -> Result<TokenAuth, AppError> {
    let bad = || AppError::new(axum::http::StatusCode::UNAUTHORIZED, "token.invalid", "接口令牌无效、已过期或已撤销");
    let row: Option<TokenRow> = on_db!(db, |p| sqlx::query_as(
        "SELECT id, user_id, permissions, expires_at, revoked_at, last_used_at FROM api_tokens WHERE token_hash = $1"
    )
    .bind(sha256_hex(secret.trim()))
    .fetch_optional(p)
    .await)?;
    let Some((id, user_id, perms, expires, revoked, last_used)) = row else { return Err(bad()) };
    if revoked.is_some() || expires.is_some_and(|e| e <= now_ms) {
        return Err(bad());
    }
    let user = users::by_id(db, user_id).await?.filter(|u| !u.disabled).ok_or_else(bad)?;
    // Written at most once a minute, so busy machine clients do not queue on the write lock.
    if last_used.is_none_or(|t| now_ms - t > 60_000) {
        db.execute("UPDATE api_tokens SET last_used_at = $1 WHERE id = $2", &[Arg::from(now_ms), Arg::from(id)]).await?;
    }
    Ok(TokenAuth { token_id: id, user, permissions: perms.split(',').map(str::to_string).collect() })
}
