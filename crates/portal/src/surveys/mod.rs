//! 问卷调查 Surveys: staff build a questionnaire (单选、多选、评分 1–5、填空), publish it
//! for a window, the public answers it once per person, and the results are counted per
//! option, averaged per rating and listed per free-text question.
//!
//! States ([`MACHINE`], audited): 草稿 draft → 已发布 published → 已结束 closed. Questions
//! can be added, removed and reordered only in draft: once published they are frozen, so
//! every response answers the same questions.
//!
//! 一人一份 One response per person — the rule:
//! - 实名问卷 ([`Identity::RealName`]): the respondent gives a mainland mobile number;
//!   only its keyed hash (`qingfeng_platform::pii`, HMAC-SHA256 under the install's key)
//!   is stored, never the number; one response per hash and survey.
//! - 匿名问卷 ([`Identity::Anonymous`]): one response per browser. The answer form sets
//!   a signed cookie token (random, signed with the same key); the response stores the
//!   keyed hash of the token, one per survey. Someone who clears their cookies can answer
//!   again: an anonymous survey measures opinion, it is not a vote — staff who need one
//!   answer per person choose a real-name survey.
//!
//! Rooms: this file (kinds, states, the window, answer checking, results — pure),
//! [`store`] (SQL), [`web`] (public pages, staff pages, API), [`export`] (Excel),
//! [`demo`] (the 演示 survey).

pub mod demo;
pub mod export;
pub mod store;
pub mod web;

use std::collections::{BTreeMap, HashMap};

use qingfeng_platform::AppError;
use qingfeng_platform::auth::Role;
use qingfeng_platform::state::{Machine, State, Transition};
use serde::Serialize;

/// Longest title, in characters.
pub const MAX_TITLE_CHARS: usize = 60;
/// Longest introduction, in characters.
pub const MAX_INTRO_CHARS: usize = 1000;
/// Longest question, in characters.
pub const MAX_PROMPT_CHARS: usize = 200;
/// Longest choice, in characters.
pub const MAX_OPTION_CHARS: usize = 60;
/// Most choices of a question.
pub const MAX_OPTIONS: usize = 20;
/// Most questions of a survey.
pub const MAX_QUESTIONS: usize = 50;
/// The longest free-text limit staff may set (and the default).
pub const MAX_TEXT_CHARS: i64 = 2000;
/// Default free-text limit.
pub const DEFAULT_TEXT_CHARS: i64 = 500;

const STAFF: &[Role] = &[Role::SystemAdmin, Role::CountyAdmin, Role::DeptStaff];

/// The states of a survey.
pub const STATES: &[State] = &[
    State { key: "draft", zh: "草稿", en: "Draft", terminal: false },
    State { key: "published", zh: "已发布", en: "Published", terminal: false },
    State { key: "closed", zh: "已结束", en: "Closed", terminal: true },
];

/// 问卷状态机 draft → published → closed.
pub const MACHINE: Machine = Machine {
    entity: "portal_survey",
    table: "portal_surveys",
    state_column: "state",
    states: STATES,
    transitions: &[
        Transition { from: "draft", event: "publish", zh: "发布", to: "published", roles: STAFF, deadline: None },
        Transition { from: "published", event: "close", zh: "结束", to: "closed", roles: STAFF, deadline: None },
    ],
};

/// 题型 The kind of a question.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    /// 单选
    Single,
    /// 多选
    Multiple,
    /// 评分 1–5
    Rating,
    /// 填空
    Text,
}

impl Kind {
    pub const ALL: [Kind; 4] = [Kind::Single, Kind::Multiple, Kind::Rating, Kind::Text];
    pub fn key(self) -> &'static str {
        match self {
            Kind::Single => "single",
            Kind::Multiple => "multiple",
            Kind::Rating => "rating",
            Kind::Text => "text",
        }
    }
    pub fn zh(self) -> &'static str {
        match self {
            Kind::Single => "单选",
            Kind::Multiple => "多选",
            Kind::Rating => "评分（1–5 分）",
            Kind::Text => "填空",
        }
    }
    pub fn from_key(k: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|x| x.key() == k)
    }
    pub fn has_options(self) -> bool {
        matches!(self, Kind::Single | Kind::Multiple)
    }
}

/// 身份方式 How one response per person is enforced (see the module docs).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Identity {
    /// 匿名：每个浏览器一份
    Anonymous,
    /// 实名：每个手机号一份
    RealName,
}

impl Identity {
    pub fn key(self) -> &'static str {
        match self {
            Identity::Anonymous => "anonymous",
            Identity::RealName => "real_name",
        }
    }
    pub fn zh(self) -> &'static str {
        match self {
            Identity::Anonymous => "匿名（每个浏览器限答一次）",
            Identity::RealName => "实名（凭手机号，每个号码限答一次）",
        }
    }
    pub fn from_key(k: &str) -> Option<Identity> {
        match k {
            "anonymous" => Some(Identity::Anonymous),
            "real_name" => Some(Identity::RealName),
            _ => None,
        }
    }
}

/// 问卷 A survey as stored.
#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct Survey {
    pub id: i64,
    pub county_code: String,
    pub title: String,
    pub intro: String,
    pub state: String,
    pub identity: String,
    pub opens_at: Option<i64>,
    pub closes_at: Option<i64>,
    pub results_public: bool,
    pub is_demo: bool,
    #[serde(skip)]
    pub created_by: String,
    pub created_at: i64,
    pub updated_at: i64,
}

/// 开放情况 Where a survey stands for the public at a moment.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Availability {
    /// Not published: the public does not see it.
    Draft,
    /// Published, before its opening time.
    NotYet,
    /// Taking answers.
    Open,
    /// Closed by staff, or past its closing time.
    Ended,
}

impl Availability {
    pub fn key(self) -> &'static str {
        match self {
            Availability::Draft => "draft",
            Availability::NotYet => "not_yet",
            Availability::Open => "open",
            Availability::Ended => "ended",
        }
    }
    pub fn zh(self) -> &'static str {
        match self {
            Availability::Draft => "草稿",
            Availability::NotYet => "未开始",
            Availability::Open => "进行中",
            Availability::Ended => "已结束",
        }
    }
}

impl Survey {
    pub fn identity(&self) -> Identity {
        Identity::from_key(&self.identity).unwrap_or(Identity::Anonymous)
    }
    pub fn state_zh(&self) -> &'static str {
        MACHINE.state(&self.state).map(|s| s.zh).unwrap_or("")
    }
    pub fn is_draft(&self) -> bool {
        self.state == "draft"
    }
    /// The window rule: published and `opens_at <= now < closes_at` (open ends allowed).
    pub fn availability(&self, now_ms: i64) -> Availability {
        match self.state.as_str() {
            "draft" => Availability::Draft,
            "closed" => Availability::Ended,
            _ if self.opens_at.is_some_and(|o| now_ms < o) => Availability::NotYet,
            _ if self.closes_at.is_some_and(|c| now_ms >= c) => Availability::Ended,
            _ => Availability::Open,
        }
    }
    /// May the public see the results now? Only when staff chose to publish them, and
    /// only once the survey has ended (so early results do not sway later answers).
    pub fn results_visible(&self, now_ms: i64) -> bool {
        self.results_public && self.availability(now_ms) == Availability::Ended
    }
    /// Why the survey takes no answer now, if it does not.
    pub fn check_open(&self, now_ms: i64) -> Result<(), AppError> {
        match self.availability(now_ms) {
            Availability::Open => Ok(()),
            Availability::NotYet => Err(AppError::conflict(
                "portal.survey_not_open",
                format!("问卷尚未开始，开始时间：{}", self.opens_at.map(qingfeng_platform::clock::local_display).unwrap_or_default()),
            )),
            Availability::Ended => Err(AppError::conflict("portal.survey_ended", "问卷已结束，不再接受填写")),
            Availability::Draft => Err(not_found(self.id)),
        }
    }
    pub fn opens_display(&self) -> String {
        self.opens_at.map(qingfeng_platform::clock::local_display).unwrap_or_default()
    }
    pub fn closes_display(&self) -> String {
        self.closes_at.map(qingfeng_platform::clock::local_display).unwrap_or_default()
    }
}

pub fn not_found(id: impl std::fmt::Display) -> AppError {
    let shown: String = id.to_string().chars().take(20).collect();
    AppError::not_found("portal.survey_not_found", format!("问卷 {shown} 不存在"))
}

/// 题目 A question as stored.
#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct Question {
    pub id: i64,
    pub survey_id: i64,
    pub position: i64,
    pub kind: String,
    pub prompt: String,
    pub required: bool,
    /// The choices, one per line.
    pub options: String,
    pub max_picks: Option<i64>,
    pub max_chars: Option<i64>,
}

impl Question {
    pub fn kind(&self) -> Kind {
        Kind::from_key(&self.kind).unwrap_or(Kind::Text)
    }
    pub fn option_list(&self) -> Vec<&str> {
        self.options.lines().filter(|l| !l.trim().is_empty()).collect()
    }
    /// The form field of this question (`q{id}`).
    pub fn field(&self) -> String {
        format!("q{}", self.id)
    }
    pub fn text_limit(&self) -> i64 {
        self.max_chars.unwrap_or(DEFAULT_TEXT_CHARS)
    }
    /// The hint under the prompt: 单选 / 多选（最多选 N 项）/ 评分 / 填空（N 字以内）.
    pub fn hint(&self) -> String {
        match self.kind() {
            Kind::Single => "单选".into(),
            Kind::Multiple => match self.max_picks {
                Some(n) => format!("多选，最多选 {n} 项"),
                None => "多选".into(),
            },
            Kind::Rating => "1 分最低，5 分最高".into(),
            Kind::Text => format!("{} 字以内", self.text_limit()),
        }
    }
}

/// A question as staff typed it, checked by [`NewQuestion::check`].
#[derive(Debug, Clone, Default)]
pub struct NewQuestion {
    pub kind: String,
    pub prompt: String,
    pub required: bool,
    pub options: String,
    pub max_picks: String,
    pub max_chars: String,
}

/// A question ready to store.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckedQuestion {
    pub kind: Kind,
    pub prompt: String,
    pub required: bool,
    pub options: Vec<String>,
    pub max_picks: Option<i64>,
    pub max_chars: Option<i64>,
}

impl NewQuestion {
    pub fn check(&self) -> Result<CheckedQuestion, AppError> {
        let kind = Kind::from_key(self.kind.trim()).ok_or_else(|| AppError::bad_request("portal.question_kind", "请选择题型"))?;
        let prompt = one_line(&self.prompt);
        if prompt.is_empty() {
            return Err(AppError::bad_request("portal.question_prompt", "请填写题目"));
        }
        if prompt.chars().count() > MAX_PROMPT_CHARS {
            return Err(AppError::bad_request("portal.question_prompt", format!("题目不能超过 {MAX_PROMPT_CHARS} 个字")));
        }
        let mut options: Vec<String> = Vec::new();
        if kind.has_options() {
            for o in self.options.lines().map(one_line).filter(|o| !o.is_empty()) {
                if o.chars().count() > MAX_OPTION_CHARS {
                    return Err(AppError::bad_request("portal.question_options", format!("选项“{o}”超过 {MAX_OPTION_CHARS} 个字")));
                }
                if options.contains(&o) {
                    return Err(AppError::bad_request("portal.question_options", format!("选项“{o}”重复")));
                }
                options.push(o);
            }
            if options.len() < 2 || options.len() > MAX_OPTIONS {
                return Err(AppError::bad_request("portal.question_options", format!("选择题需要 2 到 {MAX_OPTIONS} 个选项，每行一个")));
            }
        }
        let number = |raw: &str, code: &'static str, what: &str, max: i64| -> Result<Option<i64>, AppError> {
            match raw.trim() {
                "" => Ok(None),
                t => t
                    .parse::<i64>()
                    .ok()
                    .filter(|n| (1..=max).contains(n))
                    .map(Some)
                    .ok_or_else(|| AppError::bad_request(code, format!("{what}应为 1 到 {max} 之间的整数"))),
            }
        };
        let max_picks = if kind == Kind::Multiple {
            number(&self.max_picks, "portal.question_max_picks", "最多可选项数", options.len() as i64)?
        } else {
            None
        };
        let max_chars = if kind == Kind::Text {
            Some(number(&self.max_chars, "portal.question_max_chars", "字数上限", MAX_TEXT_CHARS)?.unwrap_or(DEFAULT_TEXT_CHARS))
        } else {
            None
        };
        Ok(CheckedQuestion { kind, prompt, required: self.required, options, max_picks, max_chars })
    }
}

/// Whitespace runs (newlines included) as one space, trimmed.
pub fn one_line(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// 答案 One question's checked answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Answer {
    /// 0-based choices (one for single choice).
    Choices {
        question_id: i64,
        picks: Vec<i64>,
    },
    Rating {
        question_id: i64,
        rating: i64,
    },
    Text {
        question_id: i64,
        text: String,
    },
}

/// A problem with one question's answer: shown next to that question.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AnswerError {
    pub question_id: i64,
    pub code: &'static str,
    pub message: String,
}

/// The values sent for each question field (`q{id}` → values, in order).
pub fn group_fields(pairs: &[(String, String)]) -> HashMap<String, Vec<String>> {
    let mut out: HashMap<String, Vec<String>> = HashMap::new();
    for (k, v) in pairs {
        out.entry(k.clone()).or_default().push(v.clone());
    }
    out
}

/// Check the answers of a whole survey. Every question is checked, so that each one's
/// problem can be shown at once; unanswered optional questions give no answer.
pub fn check_answers(questions: &[Question], sent: &HashMap<String, Vec<String>>) -> Result<Vec<Answer>, Vec<AnswerError>> {
    let mut answers = Vec::new();
    let mut errors = Vec::new();
    for q in questions {
        let values: Vec<&str> =
            sent.get(&q.field()).map(|v| v.iter().map(|s| s.trim()).filter(|s| !s.is_empty()).collect()).unwrap_or_default();
        match check_one(q, &values) {
            Ok(Some(a)) => answers.push(a),
            Ok(None) => {}
            Err((code, message)) => errors.push(AnswerError { question_id: q.id, code, message }),
        }
    }
    if errors.is_empty() { Ok(answers) } else { Err(errors) }
}

fn check_one(q: &Question, values: &[&str]) -> Result<Option<Answer>, (&'static str, String)> {
    let kind = q.kind();
    if values.is_empty() {
        return if q.required {
            Err((
                "portal.survey_required",
                match kind {
                    Kind::Single => "此题必答，请选择一项".to_string(),
                    Kind::Multiple => "此题必答，请至少选择一项".to_string(),
                    Kind::Rating => "此题必答，请打 1 到 5 分".to_string(),
                    Kind::Text => "此题必答，请填写".to_string(),
                },
            ))
        } else {
            Ok(None)
        };
    }
    match kind {
        Kind::Single | Kind::Multiple => {
            let n = q.option_list().len() as i64;
            let mut picks: Vec<i64> = Vec::new();
            for v in values {
                let i = v
                    .parse::<i64>()
                    .ok()
                    .filter(|i| (0..n).contains(i))
                    .ok_or_else(|| ("portal.survey_choice", "所选选项不存在，请重新选择".to_string()))?;
                if !picks.contains(&i) {
                    picks.push(i);
                }
            }
            if kind == Kind::Single && picks.len() > 1 {
                return Err(("portal.survey_choice", "单选题只能选择一项".into()));
            }
            if let Some(max) = q.max_picks.filter(|m| picks.len() as i64 > *m) {
                return Err(("portal.survey_too_many", format!("最多选择 {max} 项，您选了 {} 项", picks.len())));
            }
            picks.sort_unstable();
            Ok(Some(Answer::Choices { question_id: q.id, picks }))
        }
        Kind::Rating => {
            if values.len() > 1 {
                return Err(("portal.survey_rating", "评分只能选一个分数".into()));
            }
            let rating = values[0]
                .parse::<i64>()
                .ok()
                .filter(|r| (1..=5).contains(r))
                .ok_or_else(|| ("portal.survey_rating", "评分应为 1 到 5 分".to_string()))?;
            Ok(Some(Answer::Rating { question_id: q.id, rating }))
        }
        Kind::Text => {
            let text = values.join("\n");
            let len = text.chars().count() as i64;
            let max = q.text_limit();
            if len > max {
                return Err(("portal.survey_text_too_long", format!("不能超过 {max} 个字，现有 {len} 个字，请精简")));
            }
            Ok(Some(Answer::Text { question_id: q.id, text }))
        }
    }
}

/// 手机号 A mainland mobile number, normalised to its 11 digits (spaces, dashes and a
/// `+86`/`86` prefix allowed).
pub fn normalise_phone(raw: &str) -> Result<String, AppError> {
    let digits: String = raw.chars().filter(|c| !matches!(c, ' ' | '-' | '+')).collect();
    let digits = if digits.len() == 13 && digits.starts_with("86") { digits[2..].to_string() } else { digits };
    let ok = digits.len() == 11
        && digits.bytes().all(|b| b.is_ascii_digit())
        && digits.as_bytes()[0] == b'1'
        && (b'3'..=b'9').contains(&digits.as_bytes()[1]);
    if ok {
        Ok(digits)
    } else {
        Err(AppError::bad_request("portal.survey_phone", "请填写 11 位手机号码（实名问卷凭手机号限答一次）"))
    }
}

/// A stored answer row (one per pick of a multiple choice).
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct AnswerRow {
    pub response_id: i64,
    pub question_id: i64,
    pub option_index: Option<i64>,
    pub rating: Option<i64>,
    pub answer_text: Option<String>,
}

/// One option's count.
#[derive(Debug, Clone, Serialize)]
pub struct OptionCount {
    pub label: String,
    pub count: i64,
    /// Of the respondents who answered the question, in per mille (for exact display).
    pub share_permille: i64,
    /// 「40.0%」
    pub share: String,
}

/// The results of one question.
#[derive(Debug, Clone, Serialize)]
pub struct QuestionResult {
    pub question_id: i64,
    pub position: i64,
    pub kind: Kind,
    pub prompt: String,
    /// Respondents who answered this question.
    pub answered: i64,
    /// Single and multiple choice: every option, in order.
    pub options: Vec<OptionCount>,
    /// Rating: the mean to one decimal («4.2»), empty when nobody rated.
    pub average: String,
    /// Rating: how many gave 1, 2, 3, 4, 5.
    pub distribution: Vec<OptionCount>,
    /// Free text: the answers, oldest first.
    pub texts: Vec<String>,
}

/// The results of a survey.
#[derive(Debug, Clone, Serialize)]
pub struct Results {
    pub responses: i64,
    pub questions: Vec<QuestionResult>,
}

fn share(count: i64, of: i64) -> (i64, String) {
    if of <= 0 {
        return (0, "0.0%".into());
    }
    let permille = (count * 1000 + of / 2) / of;
    (permille, format!("{}.{}%", permille / 10, permille % 10))
}

/// Count the results of `questions` from every stored answer row and the number of
/// responses. Shares are of the respondents who answered the question (so a
/// multiple-choice question's shares can add up to more than 100%).
pub fn results(questions: &[Question], responses: i64, rows: &[AnswerRow]) -> Results {
    let mut by_q: BTreeMap<i64, Vec<&AnswerRow>> = BTreeMap::new();
    for r in rows {
        by_q.entry(r.question_id).or_default().push(r);
    }
    let empty = Vec::new();
    let out = questions
        .iter()
        .map(|q| {
            let rows = by_q.get(&q.id).unwrap_or(&empty);
            let mut who: Vec<i64> = rows.iter().map(|r| r.response_id).collect();
            who.sort_unstable();
            who.dedup();
            let answered = who.len() as i64;
            let mut res = QuestionResult {
                question_id: q.id,
                position: q.position,
                kind: q.kind(),
                prompt: q.prompt.clone(),
                answered,
                options: Vec::new(),
                average: String::new(),
                distribution: Vec::new(),
                texts: Vec::new(),
            };
            match q.kind() {
                Kind::Single | Kind::Multiple => {
                    res.options = q
                        .option_list()
                        .iter()
                        .enumerate()
                        .map(|(i, label)| {
                            let count = rows.iter().filter(|r| r.option_index == Some(i as i64)).count() as i64;
                            let (share_permille, share) = share(count, answered);
                            OptionCount { label: label.to_string(), count, share_permille, share }
                        })
                        .collect();
                }
                Kind::Rating => {
                    let ratings: Vec<i64> = rows.iter().filter_map(|r| r.rating).collect();
                    let n = ratings.len() as i64;
                    if n > 0 {
                        let sum: i64 = ratings.iter().sum();
                        // Mean to one decimal, rounded half up, in integers.
                        let tenths = (sum * 10 * 2 + n) / (2 * n);
                        res.average = format!("{}.{}", tenths / 10, tenths % 10);
                    }
                    res.distribution = (1..=5)
                        .map(|v| {
                            let count = ratings.iter().filter(|r| **r == v).count() as i64;
                            let (share_permille, share) = share(count, n);
                            OptionCount { label: format!("{v} 分"), count, share_permille, share }
                        })
                        .collect();
                }
                Kind::Text => {
                    res.texts = rows.iter().filter_map(|r| r.answer_text.clone()).filter(|t| !t.is_empty()).collect();
                }
            }
            res
        })
        .collect();
    Results { responses, questions: out }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn q(id: i64, kind: Kind, required: bool, options: &str, max_picks: Option<i64>, max_chars: Option<i64>) -> Question {
        Question {
            id,
            survey_id: 1,
            position: id,
            kind: kind.key().into(),
            prompt: format!("题{id}"),
            required,
            options: options.into(),
            max_picks,
            max_chars,
        }
    }

    fn sent(pairs: &[(&str, &str)]) -> HashMap<String, Vec<String>> {
        group_fields(&pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect::<Vec<_>>())
    }

    #[test]
    fn answers_are_checked_per_question() {
        let qs = vec![
            q(1, Kind::Single, true, "甲\n乙\n丙", None, None),
            q(2, Kind::Multiple, true, "甲\n乙\n丙", Some(2), None),
            q(3, Kind::Rating, true, "", None, None),
            q(4, Kind::Text, false, "", None, Some(5)),
        ];
        let ok = check_answers(&qs, &sent(&[("q1", "2"), ("q2", "0"), ("q2", "2"), ("q3", "4"), ("q4", "很好")])).unwrap();
        assert_eq!(ok.len(), 4);
        assert_eq!(ok[1], Answer::Choices { question_id: 2, picks: vec![0, 2] });
        let errs = check_answers(&qs, &sent(&[("q1", "7"), ("q2", "0"), ("q2", "1"), ("q2", "2"), ("q3", "6"), ("q4", "一二三四五六")]))
            .unwrap_err();
        let codes: Vec<_> = errs.iter().map(|e| (e.question_id, e.code)).collect();
        assert_eq!(
            codes,
            vec![
                (1, "portal.survey_choice"),
                (2, "portal.survey_too_many"),
                (3, "portal.survey_rating"),
                (4, "portal.survey_text_too_long")
            ]
        );
        let errs = check_answers(&qs, &sent(&[])).unwrap_err();
        assert_eq!(errs.iter().map(|e| e.code).collect::<Vec<_>>(), vec!["portal.survey_required"; 3]);
        let errs = check_answers(&qs, &sent(&[("q1", "0"), ("q1", "1"), ("q2", "0"), ("q3", "1")])).unwrap_err();
        assert_eq!(errs[0].code, "portal.survey_choice");
    }

    #[test]
    fn the_window() {
        let mut s = Survey {
            id: 1,
            county_code: "410922".into(),
            title: "t".into(),
            intro: String::new(),
            state: "published".into(),
            identity: "anonymous".into(),
            opens_at: Some(100),
            closes_at: Some(200),
            results_public: true,
            is_demo: false,
            created_by: String::new(),
            created_at: 0,
            updated_at: 0,
        };
        assert_eq!(s.availability(99), Availability::NotYet);
        assert_eq!(s.availability(100), Availability::Open);
        assert_eq!(s.availability(199), Availability::Open);
        assert_eq!(s.availability(200), Availability::Ended);
        assert!(!s.results_visible(150) && s.results_visible(200));
        assert_eq!(s.check_open(50).unwrap_err().code, "portal.survey_not_open");
        s.state = "closed".into();
        assert_eq!(s.check_open(150).unwrap_err().code, "portal.survey_ended");
        s.state = "draft".into();
        assert_eq!(s.availability(150), Availability::Draft);
    }

    #[test]
    fn results_count_share_and_average() {
        let qs = vec![
            q(1, Kind::Multiple, true, "甲\n乙\n丙", None, None),
            q(2, Kind::Rating, true, "", None, None),
            q(3, Kind::Text, false, "", None, None),
        ];
        let row = |r, qn, o: Option<i64>, g: Option<i64>, t: Option<&str>| AnswerRow {
            response_id: r,
            question_id: qn,
            option_index: o,
            rating: g,
            answer_text: t.map(str::to_string),
        };
        let rows = vec![
            row(1, 1, Some(0), None, None),
            row(1, 1, Some(1), None, None),
            row(2, 1, Some(0), None, None),
            row(3, 1, Some(2), None, None),
            row(1, 2, None, Some(5), None),
            row(2, 2, None, Some(4), None),
            row(3, 2, None, Some(4), None),
            row(2, 3, None, None, Some("好")),
        ];
        let r = results(&qs, 3, &rows);
        assert_eq!(r.questions[0].answered, 3);
        let counts: Vec<_> = r.questions[0].options.iter().map(|o| (o.count, o.share.as_str())).collect();
        assert_eq!(counts, vec![(2, "66.7%"), (1, "33.3%"), (1, "33.3%")]);
        assert_eq!(r.questions[1].average, "4.3");
        assert_eq!(r.questions[1].distribution.iter().map(|d| d.count).collect::<Vec<_>>(), vec![0, 0, 0, 2, 1]);
        assert_eq!(r.questions[2].texts, vec!["好"]);
    }

    #[test]
    fn phones_and_new_questions() {
        assert_eq!(normalise_phone("+86 138-0000-1234").unwrap(), "13800001234");
        assert_eq!(normalise_phone("12800001234").unwrap_err().code, "portal.survey_phone");
        assert_eq!(normalise_phone("1380000123").unwrap_err().code, "portal.survey_phone");
        let nq = |kind: &str, options: &str, picks: &str| NewQuestion {
            kind: kind.into(),
            prompt: "您对办事效率满意吗".into(),
            required: true,
            options: options.into(),
            max_picks: picks.into(),
            max_chars: String::new(),
        };
        assert_eq!(nq("single", "是\n否", "").check().unwrap().options, vec!["是", "否"]);
        assert_eq!(nq("single", "是", "").check().unwrap_err().code, "portal.question_options");
        assert_eq!(nq("multiple", "a\nb\nc", "4").check().unwrap_err().code, "portal.question_max_picks");
        assert_eq!(nq("text", "", "").check().unwrap().max_chars, Some(DEFAULT_TEXT_CHARS));
        assert_eq!(nq("nope", "", "").check().unwrap_err().code, "portal.question_kind");
    }
}
