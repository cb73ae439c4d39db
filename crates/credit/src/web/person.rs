//! 自然人信用信息 Natural persons: not searchable by the public (个人信息保护法), with two
//! exceptions.
//!
//! - `/credit/persons/{id}`: a person on the 失信被执行人 list, which the law publishes
//!   (最高人民法院关于公布失信被执行人名单信息的若干规定 Art. 6: name and ID number), shown
//!   with the ID masked and only that list entry — none of their other records. Any
//!   other id answers exactly like a missing one.
//! - `/credit/me`: a person sees their own profile after identifying themselves by name
//!   and resident ID number. The match goes through the keyed lookup hash (never the
//!   number in clear), is throttled per address and per ID like a login, and every
//!   attempt is audit-logged. A wrong name and an unknown ID get the same answer, so the
//!   page cannot be used to learn whether an ID is on file. Real-name authentication is
//!   a deployment integration ([`crate::realname`]).

use askama::Template;
use axum::Router;
use axum::extract::{Path, State};
use axum::http::header;
use axum::response::{Html, Response};
use axum::routing::get;
use qingfeng_core::ResidentId;
use qingfeng_platform::AppError;
use qingfeng_platform::audit::{self, Actor, Change};
use qingfeng_platform::session;
use qingfeng_platform::web::{AppState, Ctx, Form, render, render_with};
use serde::Deserialize;

use crate::index::masked_id;
use crate::ingest::SubjectCode;
use crate::model::{ListKind, SubjectKind};
use crate::realname::{self, Identification};
use crate::store::lookup::{self, SubjectCard};
use crate::store::{self, ListEntry, PublicRecord};

pub fn routes() -> Router<AppState> {
    Router::new().route("/credit/persons/{id}", get(listed_person_page)).route("/credit/me", get(me_page).post(me_lookup))
}

fn person_not_found() -> AppError {
    AppError::not_found("credit.subject_not_found", "没有该公示主体")
}

/// A person the law publishes, as the public sees them.
pub struct ListedPerson {
    pub name: String,
    pub masked_id: String,
    /// The 失信被执行人 entries in force (and nothing else).
    pub entries: Vec<ListEntry>,
}

/// The published person with this subject id: on the 失信被执行人 list today, or not found.
pub async fn listed_person(st: &AppState, raw_id: &str) -> Result<ListedPerson, AppError> {
    let id: i64 = raw_id.trim().parse().map_err(|_| person_not_found())?;
    let county = &st.cfg.county_code;
    let card = lookup::card(&st.db, county, id).await?.filter(|c| c.kind == SubjectKind::Natural.key()).ok_or_else(person_not_found)?;
    let today = st.clock.today().to_string();
    let entries: Vec<ListEntry> = store::active_list_entries(&st.db, card.id, &today)
        .await?
        .into_iter()
        .filter(|e| e.list_kind == ListKind::DishonestDebtor.key())
        .collect();
    if entries.is_empty() {
        return Err(person_not_found());
    }
    Ok(ListedPerson { masked_id: masked_id(&st.pii, card.id_enc.as_deref()), name: card.name, entries })
}

#[derive(Template)]
#[template(path = "credit_person.html")]
struct ListedPage<'a> {
    ctx: &'a Ctx,
    title: String,
    p: ListedPerson,
}

async fn listed_person_page(State(st): State<AppState>, ctx: Ctx, Path(id): Path<String>) -> Result<Html<String>, AppError> {
    let p = listed_person(&st, &id).await?;
    render(&ListedPage { ctx: &ctx, title: p.name.clone(), p })
}

/// What a person sees of themselves.
pub struct OwnProfile {
    pub name: String,
    pub masked_id: String,
    /// Records in publicity, newest first.
    pub records: Vec<PublicRecord>,
    /// List entries in force.
    pub lists: Vec<ListEntry>,
}

#[derive(Template)]
#[template(path = "credit_me.html")]
struct MePage<'a> {
    ctx: &'a Ctx,
    title: &'a str,
    name: String,
    /// The provider's name when one is integrated and configured.
    provider: Option<&'static str>,
    profile: Option<OwnProfile>,
    error: Option<AppError>,
}

/// No cache may keep a page about a person.
fn private(resp: Response) -> Response {
    let mut resp = resp;
    resp.headers_mut().insert(header::CACHE_CONTROL, header::HeaderValue::from_static("no-store"));
    resp
}

fn me_view(st: &AppState, ctx: &Ctx, name: String, profile: Option<OwnProfile>, error: Option<AppError>) -> Result<Response, AppError> {
    let provider = match realname::configured(&st.cfg.real_name_provider) {
        Ok(Identification::Provider(p)) => Some(p.zh()),
        _ => None,
    };
    let page = MePage { ctx, title: ctx.pick("查询本人信用信息", "My credit information"), name, provider, profile, error };
    Ok(private(render_with(&page, page.error.as_ref())?))
}

async fn me_page(State(st): State<AppState>, ctx: Ctx) -> Result<Response, AppError> {
    let error = realname::configured(&st.cfg.real_name_provider).err();
    me_view(&st, &ctx, String::new(), None, error)
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct MeForm {
    csrf: String,
    name: String,
    id_number: String,
    /// The code or token from the real-name provider, when one is integrated.
    evidence: String,
}

/// Names compare without the spaces people type around them.
fn same_name(a: &str, b: &str) -> bool {
    let squash = |s: &str| s.chars().filter(|c| !c.is_whitespace()).collect::<String>();
    let (a, b) = (squash(a), squash(b));
    !a.is_empty() && a == b
}

fn no_match() -> AppError {
    AppError::not_found("credit.self_not_found", "未找到与该姓名和身份证号码相符的信用信息。请核对后重试。")
}

async fn me_lookup(State(st): State<AppState>, ctx: Ctx, Form(f): Form<MeForm>) -> Result<Response, AppError> {
    let name: String = f.name.trim().chars().take(50).collect();
    match self_lookup(&st, &ctx, &name, &f).await {
        Ok(p) => me_view(&st, &ctx, name, Some(p), None),
        Err(e) => me_view(&st, &ctx, name, None, Some(e)),
    }
}

async fn self_lookup(st: &AppState, ctx: &Ctx, name: &str, f: &MeForm) -> Result<OwnProfile, AppError> {
    ctx.check_csrf(&f.csrf)?;
    let ident = realname::configured(&st.cfg.real_name_provider)?;
    if name.is_empty() {
        return Err(AppError::bad_request("credit.name_required", "请填写姓名"));
    }
    let raw = f.id_number.trim();
    if raw.is_empty() {
        return Err(AppError::bad_request("credit.id_required", "请填写身份证号码"));
    }
    let id =
        ResidentId::parse_on(raw, st.clock.today()).map_err(|e| AppError::bad_request(e.code, format!("身份证号码：{}", e.message)))?;
    let county = &st.cfg.county_code;
    let hash = st.pii.lookup_hash(id.as_str());
    // Throttled per address (every failed attempt from it, logins included) and per ID.
    let throttle_key = format!("credit.me:{}", hash.get(..16).unwrap_or(&hash));
    let now = st.clock.now_ms();
    session::check_throttle(&st.db, &st.cfg, &throttle_key, &ctx.ip, now).await.map_err(|e| {
        if e.code == "auth.throttled" {
            AppError::too_many("credit.self_throttled", format!("查询失败次数过多，请 {} 分钟后再试", st.cfg.login_window_minutes))
        } else {
            e
        }
    })?;
    let key = SubjectCode::Person(&hash).key(county);
    let card: Option<SubjectCard> =
        lookup::card_by_key(&st.db, county, key).await?.filter(|c| c.kind == SubjectKind::Natural.key() && same_name(&c.name, name));
    let card = match (card, ident) {
        (Some(c), Identification::Provider(p)) => p.verify(name, &id, f.evidence.trim())?.then_some(c),
        (c, _) => c,
    };
    session::record_attempt(&st.db, &throttle_key, &ctx.ip, card.is_some(), now).await?;
    let mut tx = st.db.begin().await?;
    let entity_id = card.as_ref().map(|c| c.id.to_string()).unwrap_or_else(|| "-".into());
    let change = Change {
        county_code: county,
        actor: &Actor::System("public"),
        action: "credit.self_lookup",
        entity: "credit_subject",
        entity_id: &entity_id,
        detail: serde_json::json!({"matched": card.is_some(), "ip": ctx.ip}),
    };
    audit::append(&mut tx, now, &change).await?;
    tx.commit().await?;
    let card = card.ok_or_else(no_match)?;
    let today = st.clock.today().to_string();
    Ok(OwnProfile {
        masked_id: id.masked(),
        name: card.name,
        records: store::public_records(&st.db, card.id).await?,
        lists: store::active_list_entries(&st.db, card.id, &today).await?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_compare_without_spaces_and_never_empty() {
        assert!(same_name("张 鑫源", " 张鑫源 "));
        assert!(!same_name("张鑫源", "李鑫源"));
        assert!(!same_name("", " "));
    }
}
