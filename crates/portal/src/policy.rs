//! 政策文本解析 Parsing one policy file of the library into a policy with its chapters and
//! articles. Pure: text in, [`ParsedPolicy`] out.
//!
//! File format (LawRefBook/Laws): line 1 `# 标题`; then the promulgation and amendment
//! lines (「2020年7月5日 中华人民共和国国务院令第728号公布」…); `<!-- INFO END -->`;
//! chapters `## 第一章 总则`, sections `### 第一节 …`; articles one per paragraph
//! starting `第X条`, an article's further paragraphs following without the prefix.
//!
//! Nothing is invented: issuer, 文号 and dates are taken only from what the header lines
//! say, and left empty otherwise; the in-force status is always [`Status::Unknown`]
//! (the texts are reference copies); tags come from words in the title.

use sha2::{Digest, Sha256};

use crate::model::{Level, Status};

/// A policy as read from its file.
#[derive(Debug, Clone, PartialEq)]
pub struct ParsedPolicy {
    /// `folder/file stem`, stable across loads (the upstream file name).
    pub slug: String,
    pub title: String,
    pub level: Level,
    /// 制定机关 The body that adopted or promulgated it, when the header says.
    pub issuer: String,
    /// 文号 e.g. 国务院令第802号 — the latest one the header gives; empty if none.
    pub doc_number: String,
    /// 通过/公布日期 The first dated event of the header, `YYYY-MM-DD`.
    pub adopted_on: Option<String>,
    /// 修订/修正日期 The latest amendment or revision, if any.
    pub revised_on: Option<String>,
    /// 施行日期 Only when the header states it.
    pub effective_on: Option<String>,
    /// 版本日期 The version date in the upstream file name.
    pub version_date: Option<String>,
    pub status: Status,
    pub tags: Vec<String>,
    /// The header lines as written (promulgation, amendments).
    pub history: Vec<String>,
    pub articles: Vec<ParsedArticle>,
    /// SHA-256 of the file text, so a changed file is reloaded.
    pub sha256: String,
}

/// 条 One article.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParsedArticle {
    /// N of 第N条 (1-based, consecutive within a policy).
    pub number: i64,
    /// 「第十条」
    pub label: String,
    /// 「第一章 总则」, or empty for policies without chapters.
    pub chapter: String,
    /// 「第一节 …」, or empty.
    pub section: String,
    /// The article's paragraphs (the first without its label), joined by `\n`.
    pub body: String,
}

/// Why a file could not be read as a policy.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseError(pub String);

impl std::fmt::Display for ParseError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// Tags derived from words in a title: (word, tag).
const TITLE_TAGS: &[(&str, &str)] = &[
    ("营商环境", "优化营商环境"),
    ("中小企业", "中小企业"),
    ("个体工商户", "个体工商户"),
    ("企业负担", "减轻企业负担"),
    ("信访", "信访"),
    ("信用", "社会信用"),
    ("政务服务", "政务服务"),
    ("政府信息公开", "政务公开"),
    ("个人信息", "个人信息保护"),
    ("数据安全", "数据安全"),
    ("外商投资", "外商投资"),
    ("行政处罚", "行政执法"),
    ("行政许可", "行政审批"),
    ("市场主体登记", "市场准入"),
    ("公平竞争", "公平竞争"),
    ("农民工", "劳动用工"),
    ("就业", "劳动用工"),
    ("消费者", "消费者权益"),
    ("调解", "纠纷调解"),
    ("老年人", "养老"),
    ("社会救助", "社会救助"),
    ("公共资源交易", "公共资源交易"),
    ("食品", "食品安全"),
    ("委员会组织法", "基层自治"),
    ("志愿服务", "志愿服务"),
    ("文明行为", "文明行为"),
    ("生活垃圾", "环境卫生"),
];

/// Parse the file `name` of library `folder` (`national` or `henan`).
pub fn parse(folder: &str, name: &str, text: &str) -> Result<ParsedPolicy, ParseError> {
    let stem = name.strip_suffix(".md").unwrap_or(name);
    let mut lines = text.lines();
    let title = lines
        .next()
        .and_then(|l| l.trim_start_matches('\u{feff}').strip_prefix("# "))
        .map(|t| t.trim().to_string())
        .filter(|t| !t.is_empty())
        .ok_or_else(|| ParseError(format!("{name}: 第一行应为「# 标题」")))?;
    let mut history = Vec::new();
    let mut seen_info_end = false;
    for line in lines.by_ref() {
        let line = line.trim();
        if line == "<!-- INFO END -->" {
            seen_info_end = true;
            break;
        }
        if !line.is_empty() {
            history.push(line.trim_end_matches(['）', ')']).trim().to_string());
        }
    }
    if !seen_info_end {
        return Err(ParseError(format!("{name}: 缺少「<!-- INFO END -->」")));
    }

    let mut articles: Vec<ParsedArticle> = Vec::new();
    let (mut chapter, mut section) = (String::new(), String::new());
    for line in lines {
        let line = line.trim();
        if line.is_empty() {
            continue;
        }
        if let Some(h) = line.strip_prefix("### ") {
            section = squash(h);
        } else if let Some(h) = line.strip_prefix("## ") {
            chapter = squash(h);
            section.clear();
        } else if let Some((number, label, rest)) = article_start(line).filter(|(n, ..)| *n == articles.len() as i64 + 1) {
            articles.push(ParsedArticle { number, label, chapter: chapter.clone(), section: section.clone(), body: rest.to_string() });
        } else if let Some(last) = articles.last_mut() {
            last.body.push('\n');
            last.body.push_str(line);
        }
    }
    if articles.is_empty() {
        return Err(ParseError(format!("{name}: 没有找到「第一条」")));
    }

    let events: Vec<(String, String)> = history.iter().flat_map(|l| dated_events(l)).collect();
    let adopted_on = events.first().map(|(d, _)| d.clone());
    let revised_on = events.iter().rev().find(|(_, t)| t.contains("修正") || t.contains("修订")).map(|(d, _)| d.clone());
    let effective_on = events.iter().rev().find(|(_, t)| t.contains("施行")).map(|(d, _)| d.clone());
    let issuer = events.first().map(|(_, t)| issuer_of(t)).unwrap_or_default();
    let doc_number = history.iter().rev().find_map(|l| doc_number_in(l)).unwrap_or_default();
    let level = match folder {
        "national" => Level::National,
        _ if title.starts_with("濮阳市") => Level::Puyang,
        _ => Level::Henan,
    };
    let mut tags: Vec<String> = Vec::new();
    for (word, tag) in TITLE_TAGS {
        if title.contains(word) && !tags.iter().any(|t| t == tag) {
            tags.push((*tag).to_string());
        }
    }
    let version_date = stem.rsplit_once('(').and_then(|(_, d)| d.strip_suffix(')')).filter(|d| is_iso_date(d)).map(str::to_string);
    Ok(ParsedPolicy {
        slug: format!("{folder}/{stem}"),
        title,
        level,
        issuer,
        doc_number,
        adopted_on,
        revised_on,
        effective_on,
        version_date,
        status: Status::Unknown,
        tags,
        history,
        articles,
        sha256: hex::encode(Sha256::digest(text.as_bytes())),
    })
}

/// Collapse runs of whitespace (「第一章  总则」 → 「第一章 总则」).
fn squash(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// `第十条 …` → (10, "第十条", "…").
fn article_start(line: &str) -> Option<(i64, String, &str)> {
    let rest = line.strip_prefix('第')?;
    let end = rest.find('条')?;
    let numeral = &rest[..end];
    let number = chinese_number(numeral)?;
    let after = &rest[end + '条'.len_utf8()..];
    // 「第十条之一」 or 「第十条规定的…」 are not article starts.
    if !(after.is_empty() || after.starts_with(char::is_whitespace)) {
        return None;
    }
    Some((number, format!("第{numeral}条"), after.trim()))
}

/// A Chinese numeral below ten thousand: 一 → 1, 十 → 10, 二十一 → 21, 一百零五 → 105.
pub fn chinese_number(s: &str) -> Option<i64> {
    if s.is_empty() {
        return None;
    }
    let (mut total, mut digit) = (0i64, 0i64);
    for c in s.chars() {
        let unit = match c {
            '零' | '〇' => {
                digit = 0;
                continue;
            }
            '十' => 10,
            '百' => 100,
            '千' => 1000,
            _ => {
                digit = "一二三四五六七八九".chars().position(|d| d == c)? as i64 + 1;
                continue;
            }
        };
        total += if digit == 0 { 1 } else { digit } * unit;
        digit = 0;
    }
    Some(total + digit)
}

/// The dated events of a header line: 「2019年10月8日 国务院第66次常务会议通过」 →
/// [("2019-10-08", "国务院第66次常务会议通过")]. A line may hold several.
fn dated_events(line: &str) -> Vec<(String, String)> {
    let mut starts: Vec<(usize, usize, String)> = Vec::new();
    let chars: Vec<(usize, char)> = line.char_indices().collect();
    let mut i = 0;
    while i < chars.len() {
        if let Some((date, len)) = date_at(&chars[i..]) {
            let end = chars.get(i + len).map(|(b, _)| *b).unwrap_or(line.len());
            starts.push((chars[i].0, end, date));
            i += len;
        } else {
            i += 1;
        }
    }
    starts
        .iter()
        .enumerate()
        .map(|(k, (_, end, date))| {
            let until = starts.get(k + 1).map(|(b, ..)| *b).unwrap_or(line.len());
            (date.clone(), line[*end..until].trim().to_string())
        })
        .collect()
}

/// `YYYY年M月D日` at the start of `chars`: the ISO date and its length in chars.
fn date_at(chars: &[(usize, char)]) -> Option<(String, usize)> {
    let mut parts = [0u32; 3];
    let mut i = 0;
    for (k, unit) in ['年', '月', '日'].into_iter().enumerate() {
        let start = i;
        while let Some(d) = chars.get(i).and_then(|(_, c)| c.to_digit(10)) {
            parts[k] = parts[k].checked_mul(10)?.checked_add(d)?;
            i += 1;
        }
        let digits = i - start;
        let ok = if k == 0 { digits == 4 } else { (1..=2).contains(&digits) };
        if !ok || chars.get(i).map(|(_, c)| *c) != Some(unit) {
            return None;
        }
        i += 1;
    }
    let [y, m, d] = parts;
    ((1..=12).contains(&m) && (1..=31).contains(&d)).then(|| (format!("{y:04}-{m:02}-{d:02}"), i))
}

fn is_iso_date(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 10 && b[4] == b'-' && b[7] == b'-' && b.iter().enumerate().all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit())
}

/// The body that adopted or promulgated, named in the text of an event.
fn issuer_of(text: &str) -> String {
    const NAMED: &[(&str, &str)] = &[
        ("中共中央、国务院", "中共中央、国务院"),
        ("国务院令", "国务院"),
        ("国务院第", "国务院"),
        ("国家市场监督管理总局", "国家市场监督管理总局"),
        ("全国人民代表大会常务委员会", "全国人民代表大会常务委员会"),
        ("全国人民代表大会", "全国人民代表大会"),
    ];
    if let Some((_, issuer)) = NAMED.iter().find(|(word, _)| text.contains(word)) {
        return (*issuer).to_string();
    }
    // 「河南省第十三届人民代表大会常务委员会…」 → 河南省人民代表大会常务委员会.
    if text.contains("人民代表大会常务委员会")
        && let Some((place, _)) = text.split_once('第')
        && !place.trim().is_empty()
    {
        return format!("{}人民代表大会常务委员会", place.trim());
    }
    String::new()
}

/// 「国务院令第802号」 or 「国家市场监督管理总局令第52号」 in a header line.
fn doc_number_in(line: &str) -> Option<String> {
    ["国务院令第", "国家市场监督管理总局令第"].iter().find_map(|prefix| {
        let at = line.rfind(prefix)?;
        let rest = &line[at + prefix.len()..];
        let digits: String = rest.chars().take_while(char::is_ascii_digit).collect();
        (!digits.is_empty() && rest[digits.len()..].starts_with('号')).then(|| format!("{prefix}{digits}号"))
    })
}

include!(concat!(env!("OUT_DIR"), "/policy_files.rs"));

/// Every policy of the embedded library, parsed (a file that fails is reported and
/// skipped, so one bad file never keeps the portal from starting).
pub fn library() -> Vec<ParsedPolicy> {
    POLICY_FILES
        .iter()
        .filter_map(|(folder, name, text)| match parse(folder, name, text) {
            Ok(p) => Some(p),
            Err(e) => {
                tracing::warn!(error = %e, "policy file skipped");
                None
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]

    use super::*;

    fn file(stem: &str) -> ParsedPolicy {
        let (folder, name, text) = POLICY_FILES.iter().find(|(_, n, _)| n.starts_with(stem)).expect(stem);
        parse(folder, name, text).unwrap()
    }

    #[test]
    fn numerals() {
        for (s, n) in
            [("一", 1), ("十", 10), ("十一", 11), ("二十", 20), ("二十一", 21), ("一百", 100), ("一百零五", 105), ("一百二十", 120)]
        {
            assert_eq!(chinese_number(s), Some(n), "{s}");
        }
        assert_eq!(chinese_number("之"), None);
        assert_eq!(chinese_number(""), None);
    }

    #[test]
    fn the_whole_library_parses_with_consecutive_articles() {
        assert_eq!(POLICY_FILES.len(), 40);
        let all = library();
        assert_eq!(all.len(), 40);
        for p in &all {
            for (i, a) in p.articles.iter().enumerate() {
                assert_eq!(a.number, i as i64 + 1, "{}", p.title);
                assert!(!a.body.is_empty(), "{} {}", p.title, a.label);
            }
            assert_eq!(p.status, Status::Unknown);
        }
        let levels = |l| all.iter().filter(|p| p.level == l).count();
        assert_eq!((levels(Level::National), levels(Level::Henan), levels(Level::Puyang)), (22, 15, 3));
        // Every paragraph starting 第X条 in the corpus is one article (2059 of them).
        assert_eq!(all.iter().map(|p| p.articles.len()).sum::<usize>(), 2059);
    }

    #[test]
    fn payments_to_small_firms() {
        let p = file("保障中小企业款项支付条例");
        assert_eq!(p.title, "保障中小企业款项支付条例");
        assert_eq!(p.slug, "national/保障中小企业款项支付条例(2025-03-17)");
        assert_eq!(p.level, Level::National);
        assert_eq!(p.articles.len(), 37);
        assert_eq!(p.issuer, "国务院");
        assert_eq!(p.doc_number, "国务院令第802号");
        assert_eq!(p.adopted_on.as_deref(), Some("2020-07-05"));
        assert_eq!(p.revised_on.as_deref(), Some("2025-03-17"));
        assert_eq!(p.effective_on, None);
        assert_eq!(p.version_date.as_deref(), Some("2025-03-17"));
        assert!(p.tags.contains(&"中小企业".to_string()));
        let a10 = &p.articles[9];
        assert_eq!(a10.label, "第十条");
        assert_eq!(a10.chapter, "第二章 款项支付规定");
        assert!(
            a10.body
                .starts_with("机关、事业单位和大型企业与中小企业约定以货物、工程、服务交付后经检验或者验收合格作为支付中小企业款项条件的")
        );
        // Article 3 has a second paragraph.
        assert!(p.articles[2].body.contains("\n中小企业、大型企业依合同订立时的企业规模类型确定。"));
        assert_eq!(p.articles[0].chapter, "第一章 总 则");
    }

    #[test]
    fn headers_give_what_they_say_and_nothing_more() {
        let p = file("优化营商环境条例");
        assert_eq!((p.issuer.as_str(), p.doc_number.as_str()), ("国务院", "国务院令第722号"));
        assert_eq!(p.adopted_on.as_deref(), Some("2019-10-08"));
        assert_eq!(p.effective_on.as_deref(), Some("2020-01-01"));
        assert_eq!(p.revised_on, None);
        assert!(p.tags.contains(&"优化营商环境".to_string()));

        let bare = file("促进个体工商户发展条例");
        assert!(bare.history.is_empty());
        assert_eq!((bare.issuer.as_str(), bare.doc_number.as_str(), bare.adopted_on.as_deref()), ("", "", None));

        let henan = file("河南省信访条例");
        assert_eq!(henan.level, Level::Henan);
        assert_eq!(henan.issuer, "河南省人民代表大会常务委员会");
        assert_eq!(henan.revised_on.as_deref(), Some("2012-11-29"));
        assert_eq!(henan.tags, vec!["信访".to_string()]);

        let puyang = file("濮阳市公共资源交易管理条例");
        assert_eq!(puyang.level, Level::Puyang);
        assert_eq!(puyang.issuer, "濮阳市人民代表大会常务委员会");
        assert_eq!(puyang.adopted_on.as_deref(), Some("2021-06-25"));

        let npc = file("外商投资法(");
        assert_eq!(npc.issuer, "全国人民代表大会");
        let no_version = file("河南省实施《村民委员会组织法》办法");
        assert_eq!(no_version.version_date, None);
    }

    #[test]
    fn malformed_files_are_errors_not_panics() {
        assert!(parse("national", "x.md", "").is_err());
        assert!(parse("national", "x.md", "# 标题\n没有结束标记").is_err());
        assert!(parse("national", "x.md", "# 标题\n<!-- INFO END -->\n没有条文").is_err());
        let p = parse("henan", "y.md", "# 标题\n<!-- INFO END -->\n第一条 甲\n第三条 跳号仍属上一条\n第二条 乙").unwrap();
        assert_eq!(p.articles.len(), 2);
        assert!(p.articles[0].body.contains("跳号"));
    }

    proptest::proptest! {
        /// Any text is a policy or an error, never a panic; articles stay consecutive.
        #[test]
        fn any_text_parses_or_fails_cleanly(body in "(第[一二三十百零]{1,4}条[ 　]?[甲乙丙]{0,3}\n|## 第[一二]章 总则\n|[甲乙 ]{0,5}\n|\\(2020年1月1日 施行\\)\n){0,12}") {
            let text = format!("# 标题\n2020年13月40日 国务院令第号公布\n<!-- INFO END -->\n{body}");
            if let Ok(p) = parse("henan", "t(2020-01-01).md", &text) {
                for (i, a) in p.articles.iter().enumerate() {
                    proptest::prop_assert_eq!(a.number, i as i64 + 1);
                }
                proptest::prop_assert_eq!(p.adopted_on, None);
                proptest::prop_assert_eq!(p.doc_number, "");
            }
        }
    }
}
