//! 问卷调查的页面与接口 Public pages (`/portal/surveys`, the answer form, published
//! results), staff pages (`/console/portal/surveys…`: build, publish, close, results,
//! Excel export) and the JSON API (`/api/v1/portal/surveys…`).
//!
//! The answer form works without JavaScript: a plain POST with the CSRF token; a
//! refused answer comes back as the same form with every answer typed kept and each
//! question's problem (message and code) shown next to it.

use std::collections::HashMap;

use askama::Template;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use qingfeng_platform::audit::{self, Change};
use qingfeng_platform::state::Firing;
use qingfeng_platform::users::User;
use qingfeng_platform::web::chart::{BarItem, Chart};
use qingfeng_platform::web::console::actor_of;
use qingfeng_platform::web::{AppState, Ctx, Form, cookie, render_with, set_cookie};
use qingfeng_platform::{ApiError, AppError};
use serde::{Deserialize, Serialize};

use super::store::{self, Meta};
use super::{
    Answer, AnswerError, Availability, Identity, Kind, MACHINE, MAX_INTRO_CHARS, MAX_QUESTIONS, MAX_TITLE_CHARS, NewQuestion, Question,
    QuestionResult, Results, Survey, check_answers, group_fields, normalise_phone, not_found, one_line,
};
use crate::PERM_SURVEYS;

/// The cookie holding an anonymous respondent's signed browser token.
const BROWSER_COOKIE: &str = "qf_survey";
/// How long the browser token lasts (one year).
const BROWSER_COOKIE_SECS: i64 = 365 * 24 * 3600;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/portal/surveys", get(public_list))
        .route("/portal/surveys/{id}", get(public_form).post(public_submit))
        .route("/portal/surveys/{id}/results", get(public_results))
        .route("/console/portal/surveys", get(console_list).post(console_create))
        .route("/console/portal/surveys/{id}", get(console_edit).post(console_save))
        .route("/console/portal/surveys/{id}/questions", post(console_add_question))
        .route("/console/portal/surveys/{id}/questions/{qid}", post(console_question_action))
        .route("/console/portal/surveys/{id}/transition", post(console_transition))
        .route("/console/portal/surveys/{id}/results-public", post(console_results_public))
        .route("/console/portal/surveys/{id}/results", get(console_results))
        .route("/console/portal/surveys/{id}/responses.xlsx", get(console_export))
        .route("/api/v1/portal/surveys", get(api_list))
        .route("/api/v1/portal/surveys/{id}", get(api_one))
}

fn parse_id(raw: &str) -> Result<i64, AppError> {
    raw.trim().parse::<i64>().ok().filter(|n| *n > 0).ok_or_else(|| not_found(raw))
}

async fn load(st: &AppState, raw: &str) -> Result<Survey, AppError> {
    let id = parse_id(raw)?;
    store::get(&st.db, &st.cfg.county_code, id).await?.ok_or_else(|| not_found(raw))
}

/// A survey the public may see (not a draft).
async fn load_public(st: &AppState, raw: &str) -> Result<Survey, AppError> {
    let s = load(st, raw).await?;
    if s.is_draft() { Err(not_found(raw)) } else { Ok(s) }
}

// ---------------------------------------------------------------- one response per person

/// The signature of a browser token (keyed with the install's PII key).
fn sign(st: &AppState, token: &str) -> String {
    st.pii.lookup_hash(&format!("portal-survey-browser:{token}")).chars().take(32).collect()
}

/// The browser token of a request, if its signature holds.
fn browser_token(st: &AppState, headers: &HeaderMap) -> Option<String> {
    let raw = cookie(headers, BROWSER_COOKIE)?;
    let (token, sig) = raw.split_once('.')?;
    (token.len() >= 32 && qingfeng_platform::session::same_secret(sig, &sign(st, token))).then(|| token.to_string())
}

fn new_browser_cookie(st: &AppState) -> HeaderValue {
    let token = qingfeng_platform::session::random_token();
    set_cookie(&st.cfg, BROWSER_COOKIE, &format!("{token}.{}", sign(st, &token)), Some(BROWSER_COOKIE_SECS))
}

/// The stored key of an anonymous respondent: the keyed hash of the browser token.
fn browser_key(st: &AppState, token: &str) -> String {
    format!("b:{}", st.pii.lookup_hash(&format!("portal-survey-respondent:{token}")))
}

/// The stored key of a real-name respondent: the platform's keyed hash of the number.
fn phone_key(st: &AppState, phone: &str) -> String {
    format!("p:{}", st.pii.lookup_hash(phone))
}

fn duplicate(identity: Identity) -> AppError {
    AppError::conflict(
        "portal.survey_duplicate",
        match identity {
            Identity::RealName => "该手机号已经填写过本问卷，每个号码只能填写一次。感谢您的参与！",
            Identity::Anonymous => "您已经填写过本问卷（每个浏览器限填一次）。感谢您的参与！",
        },
    )
}

// ---------------------------------------------------------------- public pages

struct ListItem {
    survey: Survey,
    availability: Availability,
    results: bool,
}

#[derive(Template)]
#[template(path = "surveys_list.html")]
struct PublicList<'a> {
    ctx: &'a Ctx,
    title: &'a str,
    open: Vec<ListItem>,
    upcoming: Vec<ListItem>,
    ended: Vec<ListItem>,
}

async fn public_list(State(st): State<AppState>, ctx: Ctx) -> Result<Response, AppError> {
    let now = st.clock.now_ms();
    let (mut open, mut upcoming, mut ended) = (Vec::new(), Vec::new(), Vec::new());
    for s in store::list_public(&st.db, &st.cfg.county_code).await? {
        let availability = s.availability(now);
        let item = ListItem { results: s.results_visible(now), availability, survey: s };
        match availability {
            Availability::Open => open.push(item),
            Availability::NotYet => upcoming.push(item),
            _ => ended.push(item),
        }
    }
    render_with(&PublicList { ctx: &ctx, title: ctx.pick("问卷调查", "Surveys"), open, upcoming, ended }, None)
}

/// One question as the form shows it, with what was typed and its problem.
struct QuestionView {
    number: usize,
    q: Question,
    hint: String,
    /// (value, label, checked)
    options: Vec<(usize, String, bool)>,
    /// (score, checked)
    ratings: Vec<(i64, bool)>,
    text: String,
    error: Option<AnswerError>,
}

impl QuestionView {
    fn is(&self, k: &str) -> bool {
        self.q.kind == k
    }
}

fn question_views(questions: &[Question], sent: &HashMap<String, Vec<String>>, errors: &[AnswerError]) -> Vec<QuestionView> {
    questions
        .iter()
        .enumerate()
        .map(|(i, q)| {
            let values: Vec<&str> = sent.get(&q.field()).map(|v| v.iter().map(String::as_str).collect()).unwrap_or_default();
            let options =
                q.option_list().iter().enumerate().map(|(j, o)| (j, o.to_string(), values.contains(&j.to_string().as_str()))).collect();
            let ratings = (1..=5).map(|v| (v, values.contains(&v.to_string().as_str()))).collect();
            let text = if q.kind() == Kind::Text { values.join("\n") } else { String::new() };
            QuestionView {
                number: i + 1,
                hint: q.hint(),
                options,
                ratings,
                text,
                error: errors.iter().find(|e| e.question_id == q.id).cloned(),
                q: q.clone(),
            }
        })
        .collect()
}

#[derive(Template)]
#[template(path = "surveys_form.html")]
struct FormPage<'a> {
    ctx: &'a Ctx,
    title: &'a str,
    survey: Survey,
    availability: Availability,
    real_name: bool,
    questions: Vec<QuestionView>,
    phone: String,
    phone_error: Option<AppError>,
    /// The survey-wide problem (window, duplicate, cookie).
    error: Option<AppError>,
    /// How many questions have a problem.
    problems: usize,
    done: bool,
    answered: bool,
    results: bool,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct FormQuery {
    done: Option<String>,
}

async fn public_form(
    State(st): State<AppState>,
    ctx: Ctx,
    headers: HeaderMap,
    Path(raw): Path<String>,
    qingfeng_platform::web::Query(fq): qingfeng_platform::web::Query<FormQuery>,
) -> Result<Response, AppError> {
    let survey = load_public(&st, &raw).await?;
    let now = st.clock.now_ms();
    let questions = store::questions(&st.db, survey.id).await?;
    let token = browser_token(&st, &headers);
    let answered = match (&token, survey.identity()) {
        (Some(t), Identity::Anonymous) => store::has_answered(&st.db, survey.id, &browser_key(&st, t)).await?,
        _ => false,
    };
    let page = FormPage {
        ctx: &ctx,
        title: &survey.title.clone(),
        availability: survey.availability(now),
        real_name: survey.identity() == Identity::RealName,
        questions: question_views(&questions, &HashMap::new(), &[]),
        phone: String::new(),
        phone_error: None,
        error: None,
        problems: 0,
        done: fq.done.is_some(),
        answered,
        results: survey.results_visible(now),
        survey,
    };
    let mut resp = render_with(&page, None)?;
    if token.is_none() && page.survey.identity() == Identity::Anonymous && page.availability == Availability::Open {
        resp.headers_mut().append(header::SET_COOKIE, new_browser_cookie(&st));
    }
    Ok(resp)
}

async fn public_submit(
    State(st): State<AppState>,
    ctx: Ctx,
    headers: HeaderMap,
    Path(raw): Path<String>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    let sent = group_fields(&pairs);
    let one = |k: &str| sent.get(k).and_then(|v| v.first()).cloned().unwrap_or_default();
    ctx.check_csrf(&one("csrf"))?;
    let survey = load_public(&st, &raw).await?;
    let now = st.clock.now_ms();
    let questions = store::questions(&st.db, survey.id).await?;
    let identity = survey.identity();
    let phone_raw = one("phone");
    let token = browser_token(&st, &headers);

    // Every problem at once: the window, the respondent, each question.
    let mut error = survey.check_open(now).err();
    let mut phone_error = None;
    let mut key = None;
    let mut new_cookie = None;
    match identity {
        Identity::RealName => match normalise_phone(&phone_raw) {
            Ok(p) => key = Some(phone_key(&st, &p)),
            Err(e) => phone_error = Some(e),
        },
        Identity::Anonymous => match &token {
            Some(t) => key = Some(browser_key(&st, t)),
            None => {
                new_cookie = Some(new_browser_cookie(&st));
                error = error.or(Some(AppError::bad_request(
                    "portal.survey_cookie",
                    "请允许浏览器保存 Cookie 后再提交（匿名问卷凭浏览器限填一次）。您填写的内容已保留，请再次点击提交。",
                )));
            }
        },
    }
    let checked = check_answers(&questions, &sent);
    let answer_errors = checked.as_ref().err().cloned().unwrap_or_default();

    let first_problem = error.clone().or(phone_error.clone()).or_else(|| {
        (!answer_errors.is_empty())
            .then(|| AppError::bad_request("portal.survey_invalid", format!("有 {} 道题需要修改，请查看标出的题目", answer_errors.len())))
    });
    let status_error = match (first_problem, &checked, &key) {
        (None, Ok(answers), Some(key)) => match save_response(&st, &survey, key, answers, now).await {
            Ok(()) => return Ok(Redirect::to(&format!("/portal/surveys/{}?done=1", survey.id)).into_response()),
            Err(e) => {
                if e.code == "portal.survey_duplicate" {
                    error = Some(e.clone());
                }
                e
            }
        },
        (Some(p), _, _) => p,
        _ => AppError::internal("survey answer without a respondent key"),
    };
    let page = FormPage {
        ctx: &ctx,
        title: &survey.title.clone(),
        availability: survey.availability(now),
        real_name: identity == Identity::RealName,
        questions: question_views(&questions, &sent, &answer_errors),
        phone: phone_raw.chars().take(20).collect(),
        phone_error,
        problems: answer_errors.len(),
        error,
        done: false,
        answered: false,
        results: survey.results_visible(now),
        survey,
    };
    let mut resp = render_with(&page, Some(&status_error))?;
    if let Some(c) = new_cookie {
        resp.headers_mut().append(header::SET_COOKIE, c);
    }
    Ok(resp)
}

async fn save_response(st: &AppState, survey: &Survey, key: &str, answers: &[Answer], now: i64) -> Result<(), AppError> {
    let mut tx = st.db.begin().await?;
    match store::insert_response(&mut tx, survey.id, key, answers, false, now).await? {
        Some(_) => {
            tx.commit().await?;
            Ok(())
        }
        None => Err(duplicate(survey.identity())),
    }
}

/// One question's results as the page shows them: the chart and the numbers as text.
struct ResultView {
    number: usize,
    r: QuestionResult,
    chart: Option<Chart>,
}

impl ResultView {
    fn is_text(&self) -> bool {
        self.r.kind == Kind::Text
    }
    fn is_rating(&self) -> bool {
        self.r.kind == Kind::Rating
    }
}

fn result_views(res: &Results) -> Vec<ResultView> {
    res.questions
        .iter()
        .enumerate()
        .map(|(i, r)| {
            let lines = if r.kind == Kind::Rating { &r.distribution } else { &r.options };
            let chart = (r.kind != Kind::Text).then(|| {
                Chart::new(
                    &format!("chart-q{}", i + 1),
                    &format!("第 {} 题 {}", i + 1, r.prompt),
                    lines
                        .iter()
                        .map(|o| BarItem {
                            label: o.label.clone(),
                            whole: o.count,
                            part: None,
                            value: format!("{} 人 · {}", o.count, o.share),
                        })
                        .collect(),
                )
            });
            ResultView { number: i + 1, r: r.clone(), chart }
        })
        .collect()
}

#[derive(Template)]
#[template(path = "surveys_results.html")]
struct ResultsPage<'a> {
    ctx: &'a Ctx,
    title: &'a str,
    survey: Survey,
    staff: bool,
    responses: i64,
    questions: Vec<ResultView>,
}

async fn compute(st: &AppState, survey: &Survey) -> Result<(Vec<Question>, Results), AppError> {
    let questions = store::questions(&st.db, survey.id).await?;
    let responses = store::responses(&st.db, survey.id).await?.len() as i64;
    let rows = store::answer_rows(&st.db, survey.id).await?;
    let res = super::results(&questions, responses, &rows);
    Ok((questions, res))
}

fn hidden_results() -> AppError {
    AppError::forbidden("portal.survey_results_hidden", "本问卷的结果未公开（问卷结束后由发布部门决定是否公开）")
}

async fn public_results(State(st): State<AppState>, ctx: Ctx, Path(raw): Path<String>) -> Result<Response, AppError> {
    let survey = load_public(&st, &raw).await?;
    if !survey.results_visible(st.clock.now_ms()) {
        return Err(hidden_results());
    }
    results_page(&st, &ctx, survey, false).await
}

async fn results_page(st: &AppState, ctx: &Ctx, survey: Survey, staff: bool) -> Result<Response, AppError> {
    let (_, res) = compute(st, &survey).await?;
    let title = format!("{} · {}", survey.title, ctx.pick("调查结果", "Results"));
    render_with(&ResultsPage { ctx, title: &title, staff, responses: res.responses, questions: result_views(&res), survey }, None)
}

// ---------------------------------------------------------------- staff pages

/// The survey form as typed.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
struct MetaForm {
    csrf: String,
    title: String,
    intro: String,
    identity: String,
    opens: String,
    closes: String,
    results_public: String,
}

impl MetaForm {
    fn of(s: &Survey) -> MetaForm {
        let local = |ms: Option<i64>| ms.map(|m| qingfeng_platform::clock::local_display(m).replace(' ', "T")).unwrap_or_default();
        MetaForm {
            csrf: String::new(),
            title: s.title.clone(),
            intro: s.intro.clone(),
            identity: s.identity.clone(),
            opens: local(s.opens_at),
            closes: local(s.closes_at),
            results_public: if s.results_public { "1".into() } else { String::new() },
        }
    }

    fn check(&self) -> Result<Meta, AppError> {
        let title = one_line(&self.title);
        if title.is_empty() || title.chars().count() > MAX_TITLE_CHARS {
            return Err(AppError::bad_request("portal.survey_title", format!("请填写标题（{MAX_TITLE_CHARS} 字以内）")));
        }
        let intro = self.intro.trim().to_string();
        if intro.chars().count() > MAX_INTRO_CHARS {
            return Err(AppError::bad_request("portal.survey_intro", format!("说明不能超过 {MAX_INTRO_CHARS} 个字")));
        }
        let identity =
            Identity::from_key(self.identity.trim()).ok_or_else(|| AppError::bad_request("portal.survey_identity", "请选择匿名或实名"))?;
        let opens_at = parse_local(&self.opens, "开始时间")?;
        let closes_at = parse_local(&self.closes, "结束时间")?;
        if let (Some(o), Some(c)) = (opens_at, closes_at)
            && c <= o
        {
            return Err(AppError::bad_request("portal.survey_window", "结束时间应晚于开始时间"));
        }
        Ok(Meta { title, intro, identity, opens_at, closes_at, results_public: !self.results_public.is_empty() })
    }
}

/// A `datetime-local` value (`2026-12-01T09:00`, Beijing time) as UTC milliseconds.
fn parse_local(raw: &str, what: &str) -> Result<Option<i64>, AppError> {
    let raw = raw.trim();
    if raw.is_empty() {
        return Ok(None);
    }
    let t = chrono::NaiveDateTime::parse_from_str(raw, "%Y-%m-%dT%H:%M")
        .or_else(|_| chrono::NaiveDateTime::parse_from_str(raw, "%Y-%m-%d %H:%M"))
        .map_err(|_| AppError::bad_request("portal.survey_time", format!("{what}格式应为 2026-12-01 09:00")))?;
    let local = t.and_local_timezone(qingfeng_core::deadline::CHINA_STANDARD_TIME).single();
    local.map(|l| Some(l.timestamp_millis())).ok_or_else(|| AppError::bad_request("portal.survey_time", format!("{what}无效")))
}

#[derive(Template)]
#[template(path = "surveys_console_list.html")]
struct ConsoleList<'a> {
    ctx: &'a Ctx,
    title: &'a str,
    surveys: Vec<(Survey, Availability)>,
    form: MetaForm,
    error: Option<AppError>,
}

async fn console_list_page(st: &AppState, ctx: &Ctx, form: MetaForm, error: Option<AppError>) -> Result<Response, AppError> {
    let now = st.clock.now_ms();
    let surveys =
        store::list(&st.db, &st.cfg.county_code).await?.into_iter().map(|s| (s.availability(now), s)).map(|(a, s)| (s, a)).collect();
    let page = ConsoleList { ctx, title: ctx.pick("问卷调查管理", "Surveys"), surveys, form, error };
    render_with(&page, page.error.as_ref())
}

async fn console_list(State(st): State<AppState>, ctx: Ctx) -> Result<Response, AppError> {
    ctx.require(&PERM_SURVEYS)?;
    let form = MetaForm { identity: "anonymous".into(), ..MetaForm::default() };
    console_list_page(&st, &ctx, form, None).await
}

/// Record a staff change of survey `id` in the audit chain, commit, and go back to the
/// survey's page (`then`: `?saved=1`, `#questions`).
async fn audit_and_commit(
    mut tx: qingfeng_platform::db::Tx,
    me: &User,
    now: i64,
    action: &str,
    id: i64,
    detail: serde_json::Value,
    then: &str,
) -> Result<Response, AppError> {
    let actor = actor_of(me);
    let entity_id = id.to_string();
    let change = Change { county_code: &me.county_code, actor: &actor, action, entity: "portal_survey", entity_id: &entity_id, detail };
    audit::append(&mut tx, now, &change).await?;
    tx.commit().await?;
    Ok(Redirect::to(&format!("/console/portal/surveys/{id}{then}")).into_response())
}

async fn console_create(State(st): State<AppState>, ctx: Ctx, Form(f): Form<MetaForm>) -> Result<Response, AppError> {
    let me = ctx.require(&PERM_SURVEYS)?;
    ctx.check_csrf(&f.csrf)?;
    let meta = match f.check() {
        Ok(m) => m,
        Err(e) => return console_list_page(&st, &ctx, f, Some(e)).await,
    };
    let now = st.clock.now_ms();
    let mut tx = st.db.begin().await?;
    let id = store::create(&mut tx, &st.cfg.county_code, &meta, false, &me.username, now).await?;
    audit_and_commit(tx, me, now, "portal.survey_create", id, serde_json::json!({"title": meta.title}), "").await
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
struct QuestionForm {
    csrf: String,
    kind: String,
    prompt: String,
    required: String,
    options: String,
    max_picks: String,
    max_chars: String,
}

impl QuestionForm {
    fn new_question(&self) -> NewQuestion {
        NewQuestion {
            kind: self.kind.clone(),
            prompt: self.prompt.clone(),
            required: !self.required.is_empty(),
            options: self.options.clone(),
            max_picks: self.max_picks.clone(),
            max_chars: self.max_chars.clone(),
        }
    }
}

#[derive(Template)]
#[template(path = "surveys_console_edit.html")]
struct EditPage<'a> {
    ctx: &'a Ctx,
    title: &'a str,
    survey: Survey,
    availability: Availability,
    questions: Vec<Question>,
    responses: i64,
    kinds: [Kind; 4],
    form: MetaForm,
    qform: QuestionForm,
    error: Option<AppError>,
}

async fn edit_page(
    st: &AppState,
    ctx: &Ctx,
    survey: Survey,
    meta: Option<MetaForm>,
    qform: Option<QuestionForm>,
    error: Option<AppError>,
) -> Result<Response, AppError> {
    let questions = store::questions(&st.db, survey.id).await?;
    let responses = store::responses(&st.db, survey.id).await?.len() as i64;
    let page = EditPage {
        ctx,
        title: ctx.pick("编辑问卷", "Edit survey"),
        availability: survey.availability(st.clock.now_ms()),
        form: meta.unwrap_or_else(|| MetaForm::of(&survey)),
        qform: qform.unwrap_or_else(|| QuestionForm { kind: "single".into(), required: "1".into(), ..QuestionForm::default() }),
        survey,
        questions,
        responses,
        kinds: Kind::ALL,
        error,
    };
    render_with(&page, page.error.as_ref())
}

async fn console_edit(State(st): State<AppState>, ctx: Ctx, Path(raw): Path<String>) -> Result<Response, AppError> {
    ctx.require(&PERM_SURVEYS)?;
    let s = load(&st, &raw).await?;
    edit_page(&st, &ctx, s, None, None, None).await
}

/// The staff member sending a form about survey `raw`, and the survey (CSRF checked).
async fn staff_form<'c>(st: &AppState, ctx: &'c Ctx, csrf: &str, raw: &str) -> Result<(&'c User, Survey), AppError> {
    let me = ctx.require(&PERM_SURVEYS)?;
    ctx.check_csrf(csrf)?;
    Ok((me, load(st, raw).await?))
}

fn frozen() -> AppError {
    AppError::conflict("portal.survey_frozen", "问卷已发布，题目和基本信息不能再修改（保证每份答卷回答的是同一组题目）")
}

async fn console_save(
    State(st): State<AppState>,
    ctx: Ctx,
    Path(raw): Path<String>,
    Form(f): Form<MetaForm>,
) -> Result<Response, AppError> {
    let (me, s) = staff_form(&st, &ctx, &f.csrf, &raw).await?;
    let meta = match f.check() {
        Ok(m) => m,
        Err(e) => return edit_page(&st, &ctx, s, Some(f), None, Some(e)).await,
    };
    let now = st.clock.now_ms();
    let mut tx = st.db.begin().await?;
    if !store::update_meta(&mut tx, s.id, &meta, now).await? {
        drop(tx);
        return edit_page(&st, &ctx, s, Some(f), None, Some(frozen())).await;
    }
    let detail =
        serde_json::json!({"title": meta.title, "identity": meta.identity.key(), "opens_at": meta.opens_at, "closes_at": meta.closes_at});
    audit_and_commit(tx, me, now, "portal.survey_edit", s.id, detail, "?saved=1").await
}

async fn console_add_question(
    State(st): State<AppState>,
    ctx: Ctx,
    Path(raw): Path<String>,
    Form(f): Form<QuestionForm>,
) -> Result<Response, AppError> {
    let (me, s) = staff_form(&st, &ctx, &f.csrf, &raw).await?;
    let q = match f.new_question().check() {
        Ok(q) => q,
        Err(e) => return edit_page(&st, &ctx, s, None, Some(f), Some(e)).await,
    };
    let now = st.clock.now_ms();
    let mut tx = st.db.begin().await?;
    if store::question_count(&mut tx, s.id).await? >= MAX_QUESTIONS as i64 {
        drop(tx);
        let e = AppError::bad_request("portal.survey_too_many_questions", format!("一份问卷最多 {MAX_QUESTIONS} 道题"));
        return edit_page(&st, &ctx, s, None, Some(f), Some(e)).await;
    }
    let Some(qid) = store::add_question(&mut tx, s.id, &q).await? else {
        drop(tx);
        return edit_page(&st, &ctx, s, None, Some(f), Some(frozen())).await;
    };
    let detail =
        serde_json::json!({"question_id": qid, "kind": q.kind.key(), "prompt": q.prompt, "options": q.options, "required": q.required});
    audit_and_commit(tx, me, now, "portal.survey_question_add", s.id, detail, "#questions").await
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
struct ActionForm {
    csrf: String,
    /// `up`, `down` or `delete` for a question; `publish` or `close` for the survey;
    /// `1`/`0` for the results switch.
    action: String,
}

async fn console_question_action(
    State(st): State<AppState>,
    ctx: Ctx,
    Path((raw, qraw)): Path<(String, String)>,
    Form(f): Form<ActionForm>,
) -> Result<Response, AppError> {
    let (me, s) = staff_form(&st, &ctx, &f.csrf, &raw).await?;
    let qid = qraw.trim().parse::<i64>().map_err(|_| AppError::not_found("portal.question_not_found", "题目不存在"))?;
    let now = st.clock.now_ms();
    let mut tx = st.db.begin().await?;
    let done = match f.action.as_str() {
        "up" => store::move_question(&mut tx, s.id, qid, true).await?,
        "down" => store::move_question(&mut tx, s.id, qid, false).await?,
        "delete" => store::delete_question(&mut tx, s.id, qid).await?,
        _ => return Err(AppError::bad_request("portal.question_action", "未知操作")),
    };
    if !done {
        drop(tx);
        let e = if s.is_draft() {
            AppError::conflict("portal.question_action", "无法执行：题目不存在或已在最前/最后")
        } else {
            frozen()
        };
        return edit_page(&st, &ctx, s, None, None, Some(e)).await;
    }
    let action = if f.action == "delete" { "portal.survey_question_delete" } else { "portal.survey_question_move" };
    audit_and_commit(tx, me, now, action, s.id, serde_json::json!({"question_id": qid, "action": f.action}), "#questions").await
}

async fn console_transition(
    State(st): State<AppState>,
    ctx: Ctx,
    Path(raw): Path<String>,
    Form(f): Form<ActionForm>,
) -> Result<Response, AppError> {
    let (me, s) = staff_form(&st, &ctx, &f.csrf, &raw).await?;
    let now = st.clock.now_ms();
    let mut tx = st.db.begin().await?;
    if f.action == "publish" && store::question_count(&mut tx, s.id).await? == 0 {
        drop(tx);
        let e = AppError::bad_request("portal.survey_empty", "问卷还没有题目，请先添加题目再发布");
        return edit_page(&st, &ctx, s, None, None, Some(e)).await;
    }
    let actor = actor_of(me);
    let fired = MACHINE
        .apply(
            &mut tx,
            &st.calendar_now(),
            Firing {
                county_code: &me.county_code,
                row_id: s.id,
                from: &s.state,
                event: &f.action,
                actor: &actor,
                roles: &me.role_list(),
                now_ms: now,
                detail: serde_json::json!({"title": s.title}),
                due: None,
            },
        )
        .await;
    if let Err(e) = fired {
        drop(tx);
        return edit_page(&st, &ctx, s, None, None, Some(e)).await;
    }
    tx.commit().await?;
    Ok(Redirect::to(&format!("/console/portal/surveys/{}?saved=1", s.id)).into_response())
}

async fn console_results_public(
    State(st): State<AppState>,
    ctx: Ctx,
    Path(raw): Path<String>,
    Form(f): Form<ActionForm>,
) -> Result<Response, AppError> {
    let (me, s) = staff_form(&st, &ctx, &f.csrf, &raw).await?;
    let public = f.action == "1";
    let now = st.clock.now_ms();
    let mut tx = st.db.begin().await?;
    store::set_results_public(&mut tx, s.id, public, now).await?;
    audit_and_commit(tx, me, now, "portal.survey_results_public", s.id, serde_json::json!({"public": public}), "?saved=1").await
}

async fn console_results(State(st): State<AppState>, ctx: Ctx, Path(raw): Path<String>) -> Result<Response, AppError> {
    ctx.require(&PERM_SURVEYS)?;
    let s = load(&st, &raw).await?;
    results_page(&st, &ctx, s, true).await
}

async fn console_export(State(st): State<AppState>, ctx: Ctx, Path(raw): Path<String>) -> Result<Response, AppError> {
    ctx.require(&PERM_SURVEYS)?;
    let s = load(&st, &raw).await?;
    let questions = store::questions(&st.db, s.id).await?;
    let responses = store::responses(&st.db, s.id).await?;
    let rows = store::answer_rows(&st.db, s.id).await?;
    let res = super::results(&questions, responses.len() as i64, &rows);
    let bytes = super::export::xlsx(&s, &questions, &responses, &rows, &res)?;
    Ok((
        StatusCode::OK,
        [
            (header::CONTENT_TYPE, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet".to_string()),
            (header::CONTENT_DISPOSITION, format!("attachment; filename=\"survey-{}-responses.xlsx\"", s.id)),
        ],
        bytes,
    )
        .into_response())
}

// ---------------------------------------------------------------- API

#[derive(Serialize)]
struct SurveyJson {
    #[serde(flatten)]
    survey: Survey,
    availability: Availability,
    results_visible: bool,
    href: String,
}

/// `GET /api/v1/portal/surveys`: the surveys the public sees, open ones first.
async fn api_list(State(st): State<AppState>) -> Result<Json<serde_json::Value>, ApiError> {
    let now = st.clock.now_ms();
    let mut items: Vec<SurveyJson> = store::list_public(&st.db, &st.cfg.county_code)
        .await?
        .into_iter()
        .map(|s| SurveyJson {
            availability: s.availability(now),
            results_visible: s.results_visible(now),
            href: format!("/portal/surveys/{}", s.id),
            survey: s,
        })
        .collect();
    let rank = |a: Availability| match a {
        Availability::Open => 0,
        Availability::NotYet => 1,
        _ => 2,
    };
    items.sort_by_key(|i| rank(i.availability));
    Ok(Json(serde_json::json!({"total": items.len(), "items": items})))
}

/// `GET /api/v1/portal/surveys/{id}`: the survey with its questions, and its results
/// when they are public.
async fn api_one(State(st): State<AppState>, Path(raw): Path<String>) -> Result<Json<serde_json::Value>, ApiError> {
    let survey = load_public(&st, &raw).await?;
    let now = st.clock.now_ms();
    let (questions, res) = compute(&st, &survey).await?;
    let visible = survey.results_visible(now);
    Ok(Json(serde_json::json!({
        "survey": SurveyJson { availability: survey.availability(now), results_visible: visible, href: format!("/portal/surveys/{}", survey.id), survey },
        "questions": questions,
        "results": if visible { serde_json::to_value(&res).unwrap_or_default() } else { serde_json::Value::Null },
    })))
}
