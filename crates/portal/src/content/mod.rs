//! 营商动态 / 经典案例 The portal's articles: one engine with two channels
//! ([`Channel::News`], [`Channel::Cases`]), a staff workflow through the platform's
//! state machine ([`MACHINE`]: draft → 待审核 → 已发布 or 待发布 (scheduled) → 已撤回, or back
//! to draft with a reason), categories as data, a cover and inline images from the
//! attachment store (public only once published), bodies as plain paragraphs (never
//! HTML), and every published article in the shared search index.
//!
//! Separation of duties: the author of an article never approves it ([`check_reviewer`]).
//!
//! Rooms: this file (model and rules, pure), [`store`] (SQL), [`index`] (search
//! documents), [`workflow`] (transitions with their side effects, the publishing job),
//! [`web`] (public pages and API), [`console`] (staff pages), [`demo`].

pub mod console;
pub mod demo;
pub mod index;
pub mod store;
pub mod web;
pub mod workflow;

use qingfeng_platform::AppError;
use qingfeng_platform::auth::Role;
use qingfeng_platform::state::{Machine, State, Transition};
use serde::Serialize;

/// 栏目 The two channels of the one article engine.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Channel {
    /// 营商动态
    News,
    /// 经典案例
    Cases,
}

impl Channel {
    pub const ALL: [Channel; 2] = [Channel::News, Channel::Cases];

    pub fn key(self) -> &'static str {
        match self {
            Channel::News => "news",
            Channel::Cases => "cases",
        }
    }
    pub fn zh(self) -> &'static str {
        match self {
            Channel::News => "营商动态",
            Channel::Cases => "经典案例",
        }
    }
    pub fn en(self) -> &'static str {
        match self {
            Channel::News => "News",
            Channel::Cases => "Model cases",
        }
    }
    /// The search kind of its published articles (the contract between modules).
    pub fn search_kind(self) -> &'static str {
        match self {
            Channel::News => "portal_news",
            Channel::Cases => "portal_case",
        }
    }
    /// `/portal/news` or `/portal/cases`.
    pub fn public_path(self) -> &'static str {
        match self {
            Channel::News => "/portal/news",
            Channel::Cases => "/portal/cases",
        }
    }
    pub fn from_key(key: &str) -> Option<Channel> {
        Channel::ALL.into_iter().find(|c| c.key() == key)
    }
}

pub const DRAFT: &str = "draft";
pub const REVIEW: &str = "review";
pub const SCHEDULED: &str = "scheduled";
pub const PUBLISHED: &str = "published";
pub const WITHDRAWN: &str = "withdrawn";

const AUTHORS: &[Role] = &[Role::SystemAdmin, Role::CountyAdmin, Role::DeptStaff];
const REVIEWERS: &[Role] = &[Role::SystemAdmin, Role::CountyAdmin];

const STATES: &[State] = &[
    State { key: DRAFT, zh: "草稿", en: "Draft", terminal: false },
    State { key: REVIEW, zh: "待审核", en: "In review", terminal: false },
    State { key: SCHEDULED, zh: "待发布", en: "Scheduled", terminal: false },
    State { key: PUBLISHED, zh: "已发布", en: "Published", terminal: false },
    State { key: WITHDRAWN, zh: "已撤回", en: "Withdrawn", terminal: false },
];

const TRANSITIONS: &[Transition] = &[
    Transition { from: DRAFT, event: "submit", zh: "提交审核", to: REVIEW, roles: AUTHORS, deadline: None },
    Transition { from: REVIEW, event: "approve", zh: "审核通过并发布", to: PUBLISHED, roles: REVIEWERS, deadline: None },
    Transition { from: REVIEW, event: "schedule", zh: "审核通过，定时发布", to: SCHEDULED, roles: REVIEWERS, deadline: None },
    Transition { from: REVIEW, event: "return", zh: "退回修改", to: DRAFT, roles: REVIEWERS, deadline: None },
    // Fired by the publishing job at the set time (a system actor).
    Transition { from: SCHEDULED, event: "publish", zh: "到时发布", to: PUBLISHED, roles: &[], deadline: None },
    Transition { from: SCHEDULED, event: "return", zh: "取消定时并退回", to: DRAFT, roles: REVIEWERS, deadline: None },
    Transition { from: PUBLISHED, event: "withdraw", zh: "撤回", to: WITHDRAWN, roles: REVIEWERS, deadline: None },
    Transition { from: WITHDRAWN, event: "redraft", zh: "重新编辑", to: DRAFT, roles: AUTHORS, deadline: None },
];

/// 文章状态机 The article workflow; the audit chain records every move.
pub const MACHINE: Machine =
    Machine { entity: "portal_article", table: "portal_articles", state_column: "state", states: STATES, transitions: TRANSITIONS };

/// The attachment owner kind of an article's images.
pub const OWNER_KIND: &str = "portal_article";

/// Longest title, in characters.
pub const MAX_TITLE: usize = 80;
/// Longest summary, in characters.
pub const MAX_SUMMARY: usize = 200;
/// Longest body, in characters.
pub const MAX_BODY: usize = 20_000;
/// Longest reason (return, withdrawal), in characters.
pub const MAX_REASON: usize = 200;
/// Articles per public page.
pub const PER_PAGE: i64 = 10;

/// The Chinese name of a state key.
pub fn state_zh(key: &str) -> &'static str {
    MACHINE.state(key).map(|s| s.zh).unwrap_or("未知")
}

/// What staff typed for an article, before checking.
#[derive(Debug, Clone, Default, serde::Deserialize)]
#[serde(default)]
pub struct Draft {
    pub channel: String,
    pub category: String,
    pub title: String,
    pub summary: String,
    pub body: String,
    pub source: String,
}

/// An article's text after [`Draft::check`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckedDraft {
    pub channel: Channel,
    pub category: String,
    pub title: String,
    pub summary: String,
    /// Paragraphs joined by `\n`, each trimmed, empty ones dropped.
    pub body: String,
    pub source: String,
}

fn one_line(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The paragraphs of a body as typed: each line trimmed, blank lines dropped.
pub fn paragraphs(body: &str) -> Vec<String> {
    body.lines().map(str::trim).filter(|l| !l.is_empty()).map(str::to_string).collect()
}

impl Draft {
    /// Check the text against the rules and the channel's categories (`categories` =
    /// the slugs of the channel). Errors are Chinese with a stable code.
    pub fn check(&self, categories: &[String]) -> Result<CheckedDraft, AppError> {
        let channel = Channel::from_key(self.channel.trim())
            .ok_or_else(|| AppError::bad_request("portal.channel", "栏目应为营商动态（news）或经典案例（cases）"))?;
        let category = self.category.trim().to_string();
        if !categories.contains(&category) {
            return Err(AppError::bad_request("portal.category", "请选择该栏目下的分类"));
        }
        let title = one_line(&self.title);
        if title.is_empty() {
            return Err(AppError::bad_request("portal.title", "请填写标题"));
        }
        if title.chars().count() > MAX_TITLE {
            return Err(AppError::bad_request("portal.title", format!("标题不能超过 {MAX_TITLE} 个字")));
        }
        let summary = one_line(&self.summary);
        if summary.chars().count() > MAX_SUMMARY {
            return Err(AppError::bad_request("portal.summary", format!("摘要不能超过 {MAX_SUMMARY} 个字")));
        }
        let body = paragraphs(&self.body).join("\n");
        if body.is_empty() {
            return Err(AppError::bad_request("portal.body", "请填写正文"));
        }
        if body.chars().count() > MAX_BODY {
            return Err(AppError::bad_request("portal.body", format!("正文不能超过 {MAX_BODY} 个字")));
        }
        let source = one_line(&self.source);
        if source.chars().count() > MAX_TITLE {
            return Err(AppError::bad_request("portal.source", format!("来源不能超过 {MAX_TITLE} 个字")));
        }
        Ok(CheckedDraft { channel, category, title, summary, body, source })
    }
}

/// 职责分离 The author of an article may not approve (or schedule) it.
pub fn check_reviewer(author_id: i64, reviewer_id: i64) -> Result<(), AppError> {
    if author_id == reviewer_id {
        return Err(AppError::forbidden("portal.self_review", "不能审核自己撰写的文章，请由其他审核人审核"));
    }
    Ok(())
}

/// A reason that must be given (return, withdrawal): trimmed, 1–[`MAX_REASON`] characters.
pub fn check_reason(raw: &str, code: &'static str, what: &str) -> Result<String, AppError> {
    let r = one_line(raw);
    if r.is_empty() {
        return Err(AppError::bad_request(code, format!("请填写{what}")));
    }
    if r.chars().count() > MAX_REASON {
        return Err(AppError::bad_request(code, format!("{what}不能超过 {MAX_REASON} 个字")));
    }
    Ok(r)
}

/// 发布时间 The publish time a reviewer typed (`YYYY-MM-DDTHH:MM`, Beijing time, as a
/// `datetime-local` field sends it; empty = now). `None` = publish now; a time not after
/// `now_ms` also publishes now.
pub fn parse_publish_at(raw: &str, now_ms: i64) -> Result<Option<i64>, AppError> {
    let raw = raw.trim();
    if raw.is_empty() {
        return Ok(None);
    }
    let bad = || AppError::bad_request("portal.publish_at", "发布时间格式应为 2026-12-01T09:00");
    let naive = chrono::NaiveDateTime::parse_from_str(raw, "%Y-%m-%dT%H:%M")
        .or_else(|_| chrono::NaiveDateTime::parse_from_str(raw, "%Y-%m-%d %H:%M"))
        .map_err(|_| bad())?;
    let at = naive.and_local_timezone(qingfeng_core::CHINA_STANDARD_TIME).single().ok_or_else(bad)?.timestamp_millis();
    if at <= now_ms {
        return Ok(None);
    }
    const MAX_AHEAD_MS: i64 = 366 * 24 * 3_600_000;
    if at - now_ms > MAX_AHEAD_MS {
        return Err(AppError::bad_request("portal.publish_at", "定时发布时间不能晚于一年以后"));
    }
    Ok(Some(at))
}

/// One block of an article's body as shown.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Block {
    /// A paragraph of plain text (escaped when shown).
    Text { text: String },
    /// An inline image (an attachment id).
    Image { id: i64, alt: String },
}

impl Block {
    pub fn text(&self) -> Option<&str> {
        match self {
            Block::Text { text } => Some(text),
            Block::Image { .. } => None,
        }
    }
    pub fn image_id(&self) -> Option<i64> {
        match self {
            Block::Image { id, .. } => Some(*id),
            Block::Text { .. } => None,
        }
    }
    pub fn alt(&self) -> &str {
        match self {
            Block::Image { alt, .. } => alt,
            Block::Text { .. } => "",
        }
    }
}

/// The body as blocks: a line that is exactly 【图N】 places the N-th of `images` (1-based);
/// images not placed follow the text in order.
pub fn blocks(body: &str, images: &[(i64, String)]) -> Vec<Block> {
    let mut placed = vec![false; images.len()];
    let mut out = Vec::new();
    for line in paragraphs(body) {
        let n = line
            .strip_prefix('【')
            .and_then(|r| r.strip_suffix('】'))
            .and_then(|r| r.strip_prefix('图'))
            .and_then(|n| n.parse::<usize>().ok());
        match n.filter(|n| (1..=images.len()).contains(n)) {
            Some(n) => {
                placed[n - 1] = true;
                let (id, alt) = &images[n - 1];
                out.push(Block::Image { id: *id, alt: alt.clone() });
            }
            None => out.push(Block::Text { text: line }),
        }
    }
    for (i, (id, alt)) in images.iter().enumerate() {
        if !placed[i] {
            out.push(Block::Image { id: *id, alt: alt.clone() });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_machine_is_well_formed() {
        MACHINE.check().unwrap();
        // Withdrawal and return need a reviewer; nothing publishes without review.
        assert!(MACHINE.next(DRAFT, "approve").is_err());
        assert!(MACHINE.next(PUBLISHED, "submit").is_err());
        assert_eq!(MACHINE.next(SCHEDULED, "publish").unwrap().to, PUBLISHED);
    }

    fn draft(title: &str, body: &str) -> Draft {
        Draft { channel: "news".into(), category: "work".into(), title: title.into(), body: body.into(), ..Draft::default() }
    }

    #[test]
    fn drafts_are_checked_in_chinese() {
        let cats = vec!["work".to_string()];
        let ok = draft("  县里召开  政企座谈会 ", "第一段\n\n  第二段 \n").check(&cats).unwrap();
        assert_eq!((ok.title.as_str(), ok.body.as_str()), ("县里召开 政企座谈会", "第一段\n第二段"));
        assert_eq!(draft("", "x").check(&cats).unwrap_err().code, "portal.title");
        assert_eq!(draft("t", " \n ").check(&cats).unwrap_err().code, "portal.body");
        assert_eq!(draft(&"长".repeat(81), "x").check(&cats).unwrap_err().code, "portal.title");
        let mut d = draft("t", "x");
        d.category = "nope".into();
        assert_eq!(d.check(&cats).unwrap_err().code, "portal.category");
        d.channel = "blog".into();
        assert_eq!(d.check(&cats).unwrap_err().code, "portal.channel");
    }

    #[test]
    fn authors_never_review_their_own_articles() {
        assert_eq!(check_reviewer(3, 3).unwrap_err().code, "portal.self_review");
        assert!(check_reviewer(3, 4).is_ok());
        assert_eq!(check_reason("  ", "portal.reason", "退回理由").unwrap_err().message, "请填写退回理由");
    }

    #[test]
    fn publish_times_are_beijing_time_and_the_past_means_now() {
        // 2026-11-30 09:00 Beijing = 01:00 UTC.
        let now = chrono::DateTime::parse_from_rfc3339("2026-11-30T01:00:00Z").unwrap().timestamp_millis();
        assert_eq!(parse_publish_at("", now).unwrap(), None);
        assert_eq!(parse_publish_at("2026-11-29T09:00", now).unwrap(), None);
        assert_eq!(parse_publish_at("2026-12-01T09:00", now).unwrap(), Some(now + 24 * 3_600_000));
        assert_eq!(parse_publish_at("明天", now).unwrap_err().code, "portal.publish_at");
        assert_eq!(parse_publish_at("2028-12-01T09:00", now).unwrap_err().code, "portal.publish_at");
    }

    #[test]
    fn images_go_where_the_body_places_them() {
        let imgs = vec![(7, "a.png".to_string()), (9, "b.png".to_string())];
        let b = blocks("一\n【图2】\n<script>二</script>\n【图5】", &imgs);
        assert_eq!(
            b,
            vec![
                Block::Text { text: "一".into() },
                Block::Image { id: 9, alt: "b.png".into() },
                Block::Text { text: "<script>二</script>".into() },
                Block::Text { text: "【图5】".into() },
                Block::Image { id: 7, alt: "a.png".into() },
            ]
        );
    }
}
