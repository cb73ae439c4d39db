//! 清单页面 The public pages of the three lists (mobile-first, no JavaScript):
//! `/portal/negative-list` (the current edition, its items with their verification
//! status, the other editions) with the checker `/portal/negative-list/check?q=` and item
//! pages; `/portal/powers` (filter by department and power type) and `/portal/powers/{id}`;
//! `/portal/fees` (grouped by department, 「清单之外一律不得收费」, a report link on every
//! fee and for a fee not on the list) and `/portal/fees/{id}`.

use askama::Template;
use axum::Router;
use axum::extract::{Path, State};
use axum::response::Response;
use axum::routing::get;
use qingfeng_platform::AppError;
use qingfeng_platform::listing::{ListParams, ListQuery, Page};
use qingfeng_platform::web::{AppState, Ctx, Pager, Query, render_with};
use serde::{Deserialize, Serialize};

use super::ListKind;
use super::negative::{self, MatchedOn, Verdict};
use super::store::{self, Fee, NegativeItem, Power, Version};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/portal/negative-list", get(negative_list))
        .route("/portal/negative-list/check", get(check_page))
        .route("/portal/negative-list/items/{id}", get(negative_item))
        .route("/portal/powers", get(powers))
        .route("/portal/powers/{id}", get(power))
        .route("/portal/fees", get(fees))
        .route("/portal/fees/{id}", get(fee))
}

pub(crate) fn parse_id(raw: &str, code: &'static str, what: &str) -> Result<i64, AppError> {
    raw.trim().parse::<i64>().ok().filter(|n| *n > 0).ok_or_else(|| not_found(raw, code, what))
}

pub(crate) fn not_found(raw: &str, code: &'static str, what: &str) -> AppError {
    let shown: String = raw.chars().take(20).collect();
    AppError::not_found(code, format!("{what} {shown} 不存在"))
}

// ---------------------------------------------------------------- 负面清单

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct CheckQuery {
    pub q: String,
}

/// One matched item of a checker answer.
#[derive(Debug, Clone, Serialize)]
pub struct Matched {
    #[serde(flatten)]
    pub item: NegativeItem,
    pub category_zh: &'static str,
    pub verification_zh: &'static str,
    /// What the question matched: 关键词/行业, 事项名称 or 措施描述.
    pub matched_on: &'static str,
    pub href: String,
}

/// 答复 The checker's answer, the same for the page and the API.
#[derive(Debug, Clone, Serialize)]
pub struct Answer {
    pub q: String,
    pub verdict: Verdict,
    pub verdict_zh: &'static str,
    /// Which edition answered.
    pub edition: Version,
    /// The items that decided (禁止 first), at most [`MAX_SHOWN`].
    pub items: Vec<Matched>,
    /// For 未列入清单: 非禁即入 and what it means; else what the category means.
    pub explanation: String,
    /// The list's text governs; and the coverage when the edition is held in part.
    pub caveat: String,
}

/// Matched items shown.
pub const MAX_SHOWN: usize = 10;

/// Check a question (already trimmed; see [`check_question`]) against the current edition.
pub async fn answer(st: &AppState, q: &str) -> Result<Answer, AppError> {
    let county = &st.cfg.county_code;
    let edition = store::current_version(&st.db, county, ListKind::Negative)
        .await?
        .ok_or_else(|| AppError::unavailable("portal.negative_list_missing", "尚未发布市场准入负面清单，暂时无法查询"))?;
    let items = store::negative_items(&st.db, edition.id).await?;
    let (verdict, hits) = negative::check(&items, q);
    let shown: Vec<Matched> = hits
        .into_iter()
        .filter(|(i, _)| verdict != Verdict::NeedsPermit || items[*i].cat() == negative::Category::Permitted)
        .filter(|(i, _)| verdict != Verdict::Prohibited || items[*i].prohibited())
        .take(MAX_SHOWN)
        .filter_map(|(i, on)| items.get(i).map(|it| (it.clone(), on)))
        .map(|(item, on): (NegativeItem, MatchedOn)| Matched {
            category_zh: item.category_zh(),
            verification_zh: item.verification_zh(),
            matched_on: on.zh(),
            href: format!("/portal/negative-list/items/{}", item.id),
            item,
        })
        .collect();
    let explanation = match verdict {
        Verdict::Prohibited => "禁止准入类事项：经营主体不得进入，行政机关不予审批、核准，不得办理有关手续。".to_string(),
        Verdict::NeedsPermit => "许可准入类事项：由经营主体提出申请，行政机关依法依规作出是否准予准入的决定，或由经营主体依照政府规定的准入条件和准入方式合规进入。".to_string(),
        Verdict::NotListed => negative::OUTSIDE_THE_LIST.to_string(),
    };
    let mut caveat = format!(
        "本答复由关键词匹配（事项名称、措施描述、关键词/行业标签）得出，仅供参考；是否属于清单事项、需要哪些许可，以{}正式文本及主管部门解释为准。",
        edition.label()
    );
    if let Some(n) = edition.official_count.filter(|_| edition.incomplete()) {
        let demo = items.iter().filter(|i| i.verified() == negative::Verification::Demo).count();
        let demo = if demo > 0 { format!("（其中演示示例 {demo} 项）") } else { String::new() };
        caveat.push_str(&format!(
            "本版清单共 {n} 项，本平台目前收录 {} 项{demo}，未收录的事项查询不到：“未列入”不代表清单原文没有，请查阅原文。",
            edition.item_count
        ));
    }
    Ok(Answer { q: q.to_string(), verdict, verdict_zh: verdict.zh(), edition, items: shown, explanation, caveat })
}

/// Check the question as typed: `None` when empty; too long or too short is an error.
pub fn check_question(raw: &str) -> Result<Option<String>, AppError> {
    let q = raw.split_whitespace().collect::<Vec<_>>().join(" ");
    if q.is_empty() {
        return Ok(None);
    }
    if q.chars().count() > negative::MAX_QUESTION_CHARS {
        return Err(AppError::bad_request(
            "portal.question_too_long",
            format!("问题不能超过 {} 个字，请只写行业或经营内容（如：网吧、餐饮、小额贷款）", negative::MAX_QUESTION_CHARS),
        ));
    }
    if negative::terms(&q).is_empty() {
        return Err(AppError::bad_request("portal.question_too_short", "请至少输入两个字的行业或经营内容，例如：网吧、餐饮、小额贷款"));
    }
    Ok(Some(q))
}

#[derive(Template)]
#[template(path = "lists_negative.html")]
struct NegativePage<'a> {
    ctx: &'a Ctx,
    title: &'a str,
    list: NegativeData,
    q: String,
    max_chars: usize,
    answer: Option<Answer>,
    error: Option<AppError>,
}

/// The edition shown (the current one unless `?version=`), its items, the editions.
struct NegativeData {
    edition: Option<Version>,
    editions: Vec<Version>,
    prohibited: Vec<NegativeItem>,
    permitted: Vec<NegativeItem>,
    /// Items of the edition that are 演示示例.
    demo_count: usize,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
struct EditionQuery {
    version: String,
}

async fn negative_data(st: &AppState, version: Option<i64>) -> Result<NegativeData, AppError> {
    let editions = store::versions(&st.db, &st.cfg.county_code, ListKind::Negative).await?;
    let edition = match version {
        Some(id) => Some(
            editions.iter().find(|e| e.id == id).cloned().ok_or_else(|| not_found(&id.to_string(), "portal.version_not_found", "版本"))?,
        ),
        None => editions.iter().find(|e| e.current()).cloned(),
    };
    let (prohibited, permitted): (Vec<NegativeItem>, Vec<NegativeItem>) = match &edition {
        Some(e) => store::negative_items(&st.db, e.id).await?.into_iter().partition(NegativeItem::prohibited),
        None => (Vec::new(), Vec::new()),
    };
    let demo_count = prohibited.iter().chain(&permitted).filter(|i| i.verified() == negative::Verification::Demo).count();
    Ok(NegativeData { edition, editions, prohibited, permitted, demo_count })
}

async fn negative_list(State(st): State<AppState>, ctx: Ctx, Query(raw): Query<EditionQuery>) -> Result<Response, AppError> {
    let version = match raw.version.trim() {
        "" => None,
        v => Some(parse_id(v, "portal.version_not_found", "版本")?),
    };
    let list = negative_data(&st, version).await?;
    let page = NegativePage {
        ctx: &ctx,
        title: ctx.pick("市场准入负面清单", "Negative list"),
        list,
        q: String::new(),
        max_chars: negative::MAX_QUESTION_CHARS,
        answer: None,
        error: None,
    };
    render_with(&page, None)
}

/// 我能做这个生意吗？ The checker: the answer on top of the list.
async fn check_page(State(st): State<AppState>, ctx: Ctx, Query(raw): Query<CheckQuery>) -> Result<Response, AppError> {
    let list = negative_data(&st, None).await?;
    let mut page = NegativePage {
        ctx: &ctx,
        title: ctx.pick("我能做这个生意吗？", "Can I do this business?"),
        list,
        q: raw.q.chars().take(negative::MAX_QUESTION_CHARS * 2).collect(),
        max_chars: negative::MAX_QUESTION_CHARS,
        answer: None,
        error: None,
    };
    match check_question(&raw.q) {
        Ok(Some(q)) => match answer(&st, &q).await {
            Ok(a) => {
                page.q = q;
                page.answer = Some(a);
            }
            Err(e) => page.error = Some(e),
        },
        Ok(None) => {}
        Err(e) => page.error = Some(e),
    }
    render_with(&page, page.error.as_ref())
}

#[derive(Template)]
#[template(path = "lists_negative_item.html")]
struct NegativeItemPage<'a> {
    ctx: &'a Ctx,
    title: &'a str,
    item: NegativeItem,
    edition: Version,
    /// Signed-in staff who may keep the item's checker tags.
    staff: bool,
}

async fn negative_item(State(st): State<AppState>, ctx: Ctx, Path(raw): Path<String>) -> Result<Response, AppError> {
    let missing = || not_found(&raw, "portal.negative_item_not_found", "清单事项");
    let id = parse_id(&raw, "portal.negative_item_not_found", "清单事项")?;
    let item = store::negative_item(&st.db, id).await?.ok_or_else(missing)?;
    let edition = store::version(&st.db, item.version_id).await?.filter(|v| v.county_code == st.cfg.county_code).ok_or_else(missing)?;
    let title = item.name.clone();
    let staff = ctx.user().is_some_and(|u| u.can(&crate::PERM_LISTS_VIEW));
    render_with(&NegativeItemPage { ctx: &ctx, title: &title, item, edition, staff }, None)
}

// ---------------------------------------------------------------- 权责清单

/// The query string of the powers list: the listing's own parameters plus the filters.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct PowersQuery {
    pub department: String,
    #[serde(rename = "type")]
    pub power_type: String,
    pub q: Option<String>,
    pub page: Option<String>,
    pub per_page: Option<String>,
    pub sort: Option<String>,
}

/// A page of the current powers list, filtered.
pub struct PowersView {
    pub version: Option<Version>,
    pub departments: Vec<String>,
    pub types: Vec<String>,
    pub department: String,
    pub power_type: String,
    pub q: String,
    pub page: Page<Power>,
}

/// The filtered page both the page and the API serve. An unknown type is an error; an
/// unknown department simply matches nothing.
pub async fn powers_view(st: &AppState, raw: &PowersQuery) -> Result<PowersView, AppError> {
    let params = ListParams::parse(
        &ListQuery { page: raw.page.clone(), per_page: raw.per_page.clone(), q: raw.q.clone(), sort: raw.sort.clone() },
        store::POWER_SORT,
        "seq",
    )?;
    let types = store::power_types(&st.db).await?;
    let power_type = raw.power_type.trim().to_string();
    if !power_type.is_empty() && !types.contains(&power_type) {
        return Err(AppError::bad_request("portal.power_type", format!("权力类型应为：{}", types.join("、"))));
    }
    let department = raw.department.trim().chars().take(200).collect::<String>();
    let version = store::current_version(&st.db, &st.cfg.county_code, ListKind::Powers).await?;
    let (departments, page) = match &version {
        Some(v) => (
            store::power_departments(&st.db, v.id).await?,
            store::powers_page(
                &st.db,
                v.id,
                Some(department.as_str()).filter(|d| !d.is_empty()),
                Some(power_type.as_str()).filter(|t| !t.is_empty()),
                &params,
            )
            .await?,
        ),
        None => (Vec::new(), Page { items: Vec::new(), total: 0, page: 1, per_page: params.per_page }),
    };
    let q = params.q.clone().unwrap_or_default();
    Ok(PowersView { version, departments, types, department, power_type, q, page })
}

#[derive(Template)]
#[template(path = "lists_powers.html")]
struct PowersPage<'a> {
    ctx: &'a Ctx,
    title: &'a str,
    view: PowersView,
    pager: Pager,
}

impl PowersPage<'_> {
    fn is_department(&self, d: &String) -> bool {
        self.view.department == *d
    }
    fn is_type(&self, t: &String) -> bool {
        self.view.power_type == *t
    }
}

async fn powers(State(st): State<AppState>, ctx: Ctx, Query(raw): Query<PowersQuery>) -> Result<Response, AppError> {
    let view = powers_view(&st, &raw).await?;
    let pager = Pager::new(&view.page, "/portal/powers", &[("department", &view.department), ("type", &view.power_type), ("q", &view.q)]);
    render_with(&PowersPage { ctx: &ctx, title: ctx.pick("权责清单", "Powers list"), view, pager }, None)
}

#[derive(Template)]
#[template(path = "lists_power.html")]
struct PowerPage<'a> {
    ctx: &'a Ctx,
    title: &'a str,
    power: Power,
    version: Version,
}

async fn power(State(st): State<AppState>, ctx: Ctx, Path(raw): Path<String>) -> Result<Response, AppError> {
    let missing = || not_found(&raw, "portal.power_not_found", "权责事项");
    let id = parse_id(&raw, "portal.power_not_found", "权责事项")?;
    let power = store::power(&st.db, id).await?.ok_or_else(missing)?;
    let version = store::version(&st.db, power.version_id).await?.filter(|v| v.county_code == st.cfg.county_code).ok_or_else(missing)?;
    let title = power.name.clone();
    render_with(&PowerPage { ctx: &ctx, title: &title, power, version }, None)
}

// ---------------------------------------------------------------- 收费清单

/// 按部门 A department's fees.
#[derive(Debug, Clone, Serialize)]
pub struct FeeGroup {
    pub department: String,
    pub fees: Vec<Fee>,
}

/// The current fees list, grouped by department (in the order of the list).
pub async fn fee_groups(st: &AppState) -> Result<(Option<Version>, Vec<FeeGroup>), AppError> {
    let Some(v) = store::current_version(&st.db, &st.cfg.county_code, ListKind::Fees).await? else { return Ok((None, Vec::new())) };
    let mut groups: Vec<FeeGroup> = Vec::new();
    for f in store::fees(&st.db, v.id).await? {
        match groups.last_mut() {
            Some(g) if g.department == f.department => g.fees.push(f),
            _ => groups.push(FeeGroup { department: f.department.clone(), fees: vec![f] }),
        }
    }
    Ok((Some(v), groups))
}

/// 举报清单外收费 The complaint form for a fee not on the list (`fee=0`) or about a fee.
pub fn report_href(fee_id: i64) -> String {
    format!("/portal/complaints/new?fee={fee_id}")
}

#[derive(Template)]
#[template(path = "lists_fees.html")]
struct FeesPage<'a> {
    ctx: &'a Ctx,
    title: &'a str,
    version: Option<Version>,
    groups: Vec<FeeGroup>,
}

async fn fees(State(st): State<AppState>, ctx: Ctx) -> Result<Response, AppError> {
    let (version, groups) = fee_groups(&st).await?;
    render_with(&FeesPage { ctx: &ctx, title: ctx.pick("收费清单", "Fees list"), version, groups }, None)
}

#[derive(Template)]
#[template(path = "lists_fee.html")]
struct FeePage<'a> {
    ctx: &'a Ctx,
    title: &'a str,
    fee: Fee,
    version: Version,
}

async fn fee(State(st): State<AppState>, ctx: Ctx, Path(raw): Path<String>) -> Result<Response, AppError> {
    let missing = || not_found(&raw, "portal.fee_not_found", "收费项目");
    let id = parse_id(&raw, "portal.fee_not_found", "收费项目")?;
    let fee = store::fee(&st.db, id).await?.ok_or_else(missing)?;
    let version = store::version(&st.db, fee.version_id).await?.filter(|v| v.county_code == st.cfg.county_code).ok_or_else(missing)?;
    let title = fee.name.clone();
    render_with(&FeePage { ctx: &ctx, title: &title, fee, version }, None)
}
