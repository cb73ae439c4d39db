//! Text analysis: the tokenizers registered on the index and the helpers that
//! turn raw user text into query terms.

use tantivy::tokenizer::{LowerCaser, PreTokenizedStream, PreTokenizedString, RemoveLongFilter, TextAnalyzer, Token, Tokenizer};

/// Tokenizer name for word-level Chinese analysis (jieba, search mode, lowercased).
pub(crate) const JIEBA: &str = "jieba";

/// Tokenizer name for the CJK character unigram + bigram analysis of titles.
///
/// Bump the suffix whenever [`CjkNgramTokenizer`] changes behaviour: the name is
/// part of the on-disk schema, so existing indexes will then ask for a reindex.
pub(crate) const CJK_NGRAM: &str = "cjk_ngram_v1";

/// Tokens longer than this (in bytes) are dropped rather than indexed.
const MAX_TOKEN_BYTES: usize = 64;

/// Function words that carry no meaning in a query such as 「怎么办理营业执照」.
/// They are ignored unless the query consists of nothing else.
const STOP_WORDS: &[&str] = &[
    "的", "了", "吗", "呢", "吧", "啊", "是", "在", "和", "与", "及", "或", "我", "我们", "你", "想", "要", "请问", "怎么", "怎样", "如何",
    "什么", "哪里", "哪些", "哪个", "可以", "能", "需要",
];

pub(crate) fn jieba_analyzer() -> TextAnalyzer {
    TextAnalyzer::builder(tantivy_jieba::JiebaTokenizer::new()).filter(RemoveLongFilter::limit(MAX_TOKEN_BYTES)).filter(LowerCaser).build()
}

pub(crate) fn cjk_ngram_analyzer() -> TextAnalyzer {
    TextAnalyzer::builder(CjkNgramTokenizer).filter(RemoveLongFilter::limit(MAX_TOKEN_BYTES)).build()
}

/// Distinct, meaningful tokens of `text` under `analyzer`, in first-seen order.
/// Punctuation, whitespace and symbol-only tokens (emoji…) are skipped.
pub(crate) fn query_tokens(analyzer: &mut TextAnalyzer, text: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut stream = analyzer.token_stream(text);
    while let Some(token) = stream.next() {
        if token.text.chars().any(char::is_alphanumeric) && !out.contains(&token.text) {
            out.push(token.text.clone());
        }
    }
    out
}

/// Drops stop words, unless that would leave nothing.
pub(crate) fn without_stop_words(tokens: Vec<String>) -> Vec<String> {
    let kept: Vec<String> = tokens.iter().filter(|t| !STOP_WORDS.contains(&t.as_str())).cloned().collect();
    if kept.is_empty() { tokens } else { kept }
}

/// Whether `c` is written without spaces between words (Han, kana, hangul).
fn is_cjk(c: char) -> bool {
    matches!(c as u32,
        0x3040..=0x30FF       // hiragana, katakana
        | 0x3400..=0x4DBF     // CJK extension A
        | 0x4E00..=0x9FFF     // CJK unified ideographs
        | 0xAC00..=0xD7AF     // hangul syllables
        | 0xF900..=0xFAFF     // CJK compatibility ideographs
        | 0x20000..=0x3134F) // CJK extensions B–G
}

/// Emits every CJK character and every pair of adjacent CJK characters, plus
/// each run of other alphanumerics as one lowercased word. Everything else
/// (spaces, punctuation, symbols) separates runs and is dropped.
///
/// 「清丰县鑫源建材」 → 清 清丰 丰 丰县 县 县鑫 … 材, so a query for any
/// substring (「清丰」「建材」「鑫」) can be answered by requiring all of its own
/// unigrams and bigrams, whatever jieba thinks the words are.
#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct CjkNgramTokenizer;

impl Tokenizer for CjkNgramTokenizer {
    type TokenStream<'a> = PreTokenizedStream;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> PreTokenizedStream {
        let mut tokens = Vec::new();
        let mut chars = text.char_indices().peekable();
        let mut position = 0;
        while let Some((start, c)) = chars.next() {
            let mut push = |from: usize, to: usize, text: String, len: usize| {
                tokens.push(Token { offset_from: from, offset_to: to, position, text, position_length: len });
                position += 1;
            };
            if is_cjk(c) {
                let end = start + c.len_utf8();
                push(start, end, c.to_string(), 1);
                if let Some(&(_, next)) = chars.peek().filter(|(_, n)| is_cjk(*n)) {
                    push(start, end + next.len_utf8(), format!("{c}{next}"), 2);
                }
            } else if c.is_alphanumeric() {
                let mut end = start + c.len_utf8();
                while let Some(&(i, n)) = chars.peek() {
                    if is_cjk(n) || !n.is_alphanumeric() {
                        break;
                    }
                    end = i + n.len_utf8();
                    chars.next();
                }
                push(start, end, text[start..end].to_lowercase(), 1);
            }
        }
        PreTokenizedStream::from(PreTokenizedString { text: String::new(), tokens })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ngrams(text: &str) -> Vec<String> {
        query_tokens(&mut cjk_ngram_analyzer(), text)
    }

    #[test]
    fn cjk_ngram_emits_unigrams_and_bigrams() {
        assert_eq!(ngrams("清丰县"), ["清", "清丰", "丰", "丰县", "县"]);
    }

    #[test]
    fn cjk_ngram_keeps_latin_words_whole_and_drops_punctuation() {
        assert_eq!(ngrams("鑫源（ABC-123）建材 😀"), ["鑫", "鑫源", "源", "abc", "123", "建", "建材", "材"]);
    }

    #[test]
    fn jieba_query_tokens_skip_punctuation_and_lowercase() {
        let tokens = query_tokens(&mut jieba_analyzer(), "营业执照，ABC！");
        assert!(tokens.contains(&"营业执照".to_string()), "{tokens:?}");
        assert!(tokens.contains(&"abc".to_string()), "{tokens:?}");
        assert!(tokens.iter().all(|t| t.chars().any(char::is_alphanumeric)));
    }

    #[test]
    fn stop_words_dropped_unless_nothing_left() {
        let t = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert_eq!(without_stop_words(t(&["怎么", "办理", "营业执照"])), ["办理", "营业执照"]);
        assert_eq!(without_stop_words(t(&["什么"])), ["什么"]);
    }
}
