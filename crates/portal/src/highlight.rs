//! 高亮 Showing plain text with the searched words marked, safely.
//!
//! The text (a snippet or an article from the library) is never trusted as HTML: matches
//! are found on the plain text, then every piece is HTML-escaped and only the matched
//! pieces are wrapped in `<mark>` — the only markup that can come out.

/// HTML-escape `s` (`& < > " '`).
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// `text` as HTML with every occurrence of any of `terms` (matched ASCII
/// case-insensitively; overlapping and touching matches merged) wrapped in `<mark>`.
pub fn mark(text: &str, terms: &[String]) -> String {
    // ASCII lowercasing keeps byte offsets, so ranges found in `folded` fit `text`.
    let folded = text.to_ascii_lowercase();
    let mut ranges: Vec<(usize, usize)> = Vec::new();
    for term in terms.iter().map(|t| t.to_ascii_lowercase()).filter(|t| !t.is_empty()) {
        let mut from = 0;
        while let Some(at) = folded[from..].find(&term) {
            let start = from + at;
            ranges.push((start, start + term.len()));
            from = start + term.len();
        }
    }
    ranges.sort_unstable();
    let mut merged: Vec<(usize, usize)> = Vec::new();
    for (s, e) in ranges {
        match merged.last_mut() {
            Some(last) if s <= last.1 => last.1 = last.1.max(e),
            _ => merged.push((s, e)),
        }
    }
    let mut out = String::with_capacity(text.len() + merged.len() * 13);
    let mut at = 0;
    for (s, e) in merged {
        out.push_str(&escape(&text[at..s]));
        out.push_str("<mark>");
        out.push_str(&escape(&text[s..e]));
        out.push_str("</mark>");
        at = e;
    }
    out.push_str(&escape(&text[at..]));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(words: &[&str]) -> Vec<String> {
        words.iter().map(|w| w.to_string()).collect()
    }

    #[test]
    fn marks_and_escapes() {
        assert_eq!(mark("保障中小企业款项支付", &t(&["中小企业", "款项"])), "保障<mark>中小企业款项</mark>支付");
        assert_eq!(mark("中小企业的款项", &t(&["中小企业", "款项"])), "<mark>中小企业</mark>的<mark>款项</mark>");
        assert_eq!(mark("<b>中小</b>", &t(&["中小"])), "&lt;b&gt;<mark>中小</mark>&lt;/b&gt;");
        assert_eq!(mark("a<mark>b", &t(&["mark"])), "a&lt;<mark>mark</mark>&gt;b");
        assert_eq!(mark("中小企业", &t(&["中小企业", "企业", "中小"])), "<mark>中小企业</mark>");
        assert_eq!(mark("USCC uscc", &t(&["uscc"])), "<mark>USCC</mark> <mark>uscc</mark>");
        assert_eq!(mark("无匹配 & 符号", &t(&["", "x"])), "无匹配 &amp; 符号");
    }

    fn unescape(s: &str) -> String {
        s.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"").replace("&#39;", "'").replace("&amp;", "&")
    }

    proptest::proptest! {
        /// Whatever the text and the terms: the only tags out are <mark> and </mark>,
        /// and removing them and unescaping gives the text back.
        #[test]
        fn only_marks_come_out_and_the_text_survives(text in "[a-zA-Z<>&\"' 中小企业款项]{0,40}", terms in proptest::collection::vec("[a-z<&中小企业款]{0,4}", 0..4)) {
            let html = mark(&text, &terms);
            let bare = html.replace("<mark>", "").replace("</mark>", "");
            proptest::prop_assert!(!bare.contains('<') && !bare.contains('>'));
            proptest::prop_assert_eq!(unescape(&bare), text);
        }
    }
}
