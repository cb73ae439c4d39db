//! 红黑名单与联合奖惩核查 Putting subjects on lists (department systems, API token with
//! `credit.import`) and the joint check other systems call at their touchpoints:
//! `GET /api/v1/credit/check?code=…` answers which lists a subject is on and which
//! measures follow. Resident ID numbers are looked up by their keyed hash and never
//! echoed in full.

use axum::extract::State;
use axum::routing::{get, post};
use axum::{Json, Router};
use chrono::NaiveDate;
use qingfeng_core::{ResidentId, Uscc};
use qingfeng_platform::audit::Actor;
use qingfeng_platform::web::api::Caller;
use qingfeng_platform::web::{ApiQuery, AppState};
use qingfeng_platform::{ApiError, AppError};
use serde::{Deserialize, Serialize};

use crate::ingest::SubjectCode;
use crate::model::ListKind;
use crate::rules::{dates, lists};
use crate::store::{self, ListEntry, NewListEntry, NewSubject};
use crate::{PERM_CHECK, PERM_IMPORT};

pub fn routes() -> Router<AppState> {
    Router::new().route("/api/v1/credit/lists", post(add)).route("/api/v1/credit/check", get(check))
}

/// The subject key of a code within a county (an ID through its keyed hash), and the
/// code as it may be shown (IDs masked).
pub(crate) fn key_of(code: &Code, county: &str, pii: &qingfeng_platform::pii::Pii) -> (String, i64) {
    match code {
        Code::Uscc(u) => (u.as_str().to_string(), SubjectCode::Uscc(u.as_str()).key(county)),
        Code::Person(id) => (id.masked(), SubjectCode::Person(&pii.lookup_hash(id.as_str())).key(county)),
    }
}

/// A code as given: a USCC or a resident ID number.
pub(crate) enum Code {
    Uscc(Uscc),
    Person(ResidentId),
}

pub(crate) fn parse_code(raw: &str) -> Result<Code, AppError> {
    let raw = raw.trim();
    if raw.is_empty() {
        return Err(AppError::bad_request("credit.code", "请提供统一社会信用代码或身份证号码"));
    }
    match Uscc::parse(raw) {
        Ok(u) => Ok(Code::Uscc(u)),
        Err(ue) => match ResidentId::parse(raw) {
            Ok(id) => Ok(Code::Person(id)),
            Err(ie) => {
                // Name the error of what it looks like: an ID is digits (but its last char).
                let looks_like_id = raw.chars().take(17).all(|c| c.is_ascii_digit()) && matches!(raw.len(), 15 | 18);
                let code = if looks_like_id { ie.code } else { ue.code };
                Err(AppError::bad_request(
                    code,
                    format!("“{raw}”既不是有效的统一社会信用代码（{}），也不是有效的身份证号码（{}）", ue.message, ie.message),
                ))
            }
        },
    }
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct AddBody {
    kind: String,
    code: String,
    name: String,
    basis: String,
    authority: String,
    source_ref: String,
    listed_on: String,
    ends_on: String,
}

#[derive(Serialize)]
struct Added {
    subject_id: i64,
    created: bool,
}

async fn add(State(st): State<AppState>, caller: Caller, body: axum::body::Bytes) -> Result<Json<Added>, ApiError> {
    let user = caller.require(&PERM_IMPORT)?;
    let b: AddBody = serde_json::from_slice(&body).map_err(|e| AppError::bad_request("request.json", format!("JSON 格式错误：{e}")))?;
    let kind = ListKind::parse(&b.kind)
        .ok_or_else(|| AppError::bad_request("credit.list_kind", "名单类别须为 red、black、dishonest_debtor 或 abnormal"))?;
    for (v, what) in [(&b.name, "主体名称"), (&b.basis, "列入依据"), (&b.authority, "认定单位"), (&b.source_ref, "文书编号")]
    {
        if v.trim().is_empty() {
            return Err(AppError::bad_request("row.required", format!("{what}不能为空")).into());
        }
    }
    let listed_on: NaiveDate =
        dates::parse(&b.listed_on).ok_or_else(|| AppError::bad_request("row.date", format!("列入日期“{}”不是有效日期", b.listed_on)))?;
    let ends_on = match b.ends_on.trim() {
        "" => None,
        raw => {
            let d = dates::parse(raw).ok_or_else(|| AppError::bad_request("row.date", format!("截止日期“{raw}”不是有效日期")))?;
            if d < listed_on {
                return Err(AppError::bad_request("row.validity_order", "截止日期早于列入日期").into());
            }
            Some(d.to_string())
        }
    };
    let county = user.county_code.clone();
    let now = st.clock.now_ms();
    let subject_id = match parse_code(&b.code)? {
        Code::Uscc(u) => {
            let kind = if u.as_str().starts_with("92") { "individual_business" } else { "legal" };
            let key = SubjectCode::Uscc(u.as_str()).key(&county);
            store::ensure_subject(
                &st.db,
                &NewSubject {
                    county: &county,
                    key_hash: key,
                    kind,
                    name: b.name.trim(),
                    uscc: Some(u.as_str()),
                    id_hash: None,
                    id_enc: None,
                },
                now,
            )
            .await?
        }
        Code::Person(id) => {
            let h = st.pii.lookup_hash(id.as_str());
            let key = SubjectCode::Person(&h).key(&county);
            let enc = st.pii.encrypt(id.as_str());
            store::ensure_subject(
                &st.db,
                &NewSubject {
                    county: &county,
                    key_hash: key,
                    kind: "natural",
                    name: b.name.trim(),
                    uscc: None,
                    id_hash: Some(&h),
                    id_enc: Some(&enc),
                },
                now,
            )
            .await?
        }
    };
    let actor = match &caller {
        Caller::Token(t) => Actor::Token { id: t.token_id, user_id: user.id },
        Caller::Session(u) => Actor::User { id: u.id, username: u.username.clone() },
    };
    let entry = NewListEntry {
        county: &county,
        list_kind: kind.key(),
        subject_id,
        basis: b.basis.trim(),
        authority: b.authority.trim(),
        source_ref: b.source_ref.trim(),
        listed_on: &listed_on.to_string(),
        ends_on: ends_on.as_deref(),
    };
    let created = store::add_list_entry(&st.db, &entry, &actor, now).await?;
    Ok(Json(Added { subject_id, created }))
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct CheckQuery {
    code: String,
}

#[derive(Serialize)]
struct OnList {
    kind: &'static str,
    kind_zh: &'static str,
    incentive: bool,
    basis: String,
    authority: String,
    listed_on: String,
    ends_on: Option<String>,
    measures: Vec<lists::Measure>,
}

#[derive(Serialize)]
struct CheckAnswer {
    /// The code as it may be shown (ID numbers masked).
    code: String,
    known: bool,
    name: Option<String>,
    lists: Vec<OnList>,
    /// 守信激励对象 / 失信惩戒对象 labels.
    labels: Vec<&'static str>,
    checked_on: String,
}

/// Which lists a subject is on today and which measures follow.
async fn check(State(st): State<AppState>, caller: Caller, ApiQuery(q): ApiQuery<CheckQuery>) -> Result<Json<CheckAnswer>, ApiError> {
    let user = caller.require(&PERM_CHECK)?;
    let county = &user.county_code;
    let (shown, key) = key_of(&parse_code(&q.code)?, county, &st.pii);
    let today = st.clock.today().to_string();
    let subject = store::subject_by_key(&st.db, county, key).await?;
    let entries: Vec<ListEntry> = match &subject {
        Some((id, _, _)) => store::active_list_entries(&st.db, *id, &today).await?,
        None => Vec::new(),
    };
    let lists: Vec<OnList> = entries
        .into_iter()
        .filter_map(|e| {
            let kind = ListKind::parse(&e.list_kind)?;
            Some(OnList {
                kind: kind.key(),
                kind_zh: kind.zh(),
                incentive: kind.incentive(),
                basis: e.basis,
                authority: e.authority,
                listed_on: e.listed_on,
                ends_on: e.ends_on,
                measures: lists::measures(kind),
            })
        })
        .collect();
    let labels = lists::labels(lists.iter().filter_map(|l| ListKind::parse(l.kind)));
    Ok(Json(CheckAnswer { code: shown, known: subject.is_some(), name: subject.map(|s| s.2), lists, labels, checked_on: today }))
}
