//! The platform's one 全文检索 (full-text search) index, shared by every module:
//! credit subjects, policies, service guides, organisations…
//!
//! Built on tantivy. Titles and bodies are analysed with jieba (Chinese word
//! segmentation); titles are additionally indexed as CJK character unigrams +
//! bigrams so that partial names (「清丰」「建材」「鑫」) match
//! 「清丰县鑫源建材有限公司」 however jieba happens to segment them.
//!
//! Raw user text is never parsed as query syntax: it is tokenized and turned
//! into term queries, so quotes, `AND`, `*`, `~`… are just text and can never
//! make a search fail.

mod analysis;
mod error;

use std::collections::HashSet;
use std::fmt;
use std::path::Path;
use std::sync::Mutex;

use serde::{Deserialize, Serialize};
use tantivy::collector::{Count, TopDocs};
use tantivy::directory::MmapDirectory;
use tantivy::query::{BooleanQuery, BoostQuery, ConstScoreQuery, Occur, Query, TermQuery};
use tantivy::schema::{Field, IndexRecordOption, STORED, STRING, Schema, TextFieldIndexing, TextOptions, Value};
use tantivy::{Index, IndexReader, IndexSettings, IndexWriter, ReloadPolicy, TantivyDocument, TantivyError, Term};

use crate::analysis::{CJK_NGRAM, JIEBA, cjk_ngram_analyzer, jieba_analyzer, query_tokens, without_stop_words};
pub use crate::error::SearchError;

/// Result type of this crate.
pub type Result<T, E = SearchError> = std::result::Result<T, E>;

/// Largest page size [`SearchIndex::search`] returns; larger limits are capped.
pub const MAX_LIMIT: usize = 100;
/// Deepest offset served; beyond it hits are empty (the total is still counted).
pub const MAX_OFFSET: usize = 10_000;
/// Query text beyond this many characters is ignored.
const MAX_QUERY_CHARS: usize = 200;
/// Snippet length in characters.
const SNIPPET_CHARS: usize = 80;
/// Characters of context shown before the first matched word of a snippet.
const SNIPPET_LEAD: usize = 12;
const WRITER_MEMORY_BYTES: usize = 20_000_000;
const TITLE_BOOST: f32 = 3.0;
const NGRAM_BOOST: f32 = 2.0;
const TAG_BOOST: f32 = 2.0;

/// A searchable document. `(kind, id)` identifies it; upserting the same pair replaces it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Doc {
    /// Module-defined type, e.g. `"org"`, `"policy"`, `"credit_subject"`. Must not contain `:`.
    pub kind: String,
    /// Unique within `kind`.
    pub id: String,
    /// 6-digit county code, for multi-county installs.
    pub county: String,
    pub title: String,
    pub body: String,
    /// Exact-match labels; a query word equal to a tag matches it.
    pub tags: Vec<String>,
}

/// What to search for. Missing fields deserialize to [`SearchQuery::default`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct SearchQuery {
    /// Raw user text; any string is accepted.
    pub text: String,
    /// Restrict to these kinds; empty means all.
    pub kinds: Vec<String>,
    /// Restrict to one county code.
    pub county: Option<String>,
    /// Page size, capped at [`MAX_LIMIT`].
    pub limit: usize,
    pub offset: usize,
}

impl Default for SearchQuery {
    fn default() -> Self {
        Self { text: String::new(), kinds: Vec::new(), county: None, limit: 20, offset: 0 }
    }
}

impl SearchQuery {
    /// A query for `text` over all kinds and counties, first page.
    pub fn new(text: impl Into<String>) -> Self {
        Self { text: text.into(), ..Self::default() }
    }
}

/// One page of results, best first.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct SearchResults {
    /// Number of matching documents (all pages).
    pub total: usize,
    pub hits: Vec<Hit>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Hit {
    pub kind: String,
    pub id: String,
    pub title: String,
    pub score: f32,
    /// Plain text from the body around the matched words (or the body's start).
    /// Not HTML: the caller escapes it.
    pub snippet: String,
}

#[derive(Clone, Copy)]
struct Fields {
    key: Field,
    kind: Field,
    id: Field,
    county: Field,
    title: Field,
    title_ngram: Field,
    body: Field,
    tags: Field,
}

impl Fields {
    fn schema() -> (Schema, Fields) {
        let text = |tokenizer: &str| {
            TextOptions::default()
                .set_indexing_options(TextFieldIndexing::default().set_tokenizer(tokenizer).set_index_option(IndexRecordOption::WithFreqs))
        };
        let mut b = Schema::builder();
        let fields = Fields {
            key: b.add_text_field("key", STRING | STORED),
            kind: b.add_text_field("kind", STRING | STORED),
            id: b.add_text_field("id", STORED),
            county: b.add_text_field("county", STRING),
            title: b.add_text_field("title", text(JIEBA).set_stored()),
            title_ngram: b.add_text_field("title_ngram", text(CJK_NGRAM)),
            body: b.add_text_field("body", text(JIEBA).set_stored()),
            tags: b.add_text_field("tags", STRING),
        };
        (b.build(), fields)
    }
}

/// The search index: one writer (behind a mutex) and one manually reloaded
/// reader, so a search right after a write sees it. Share it with `Arc`.
pub struct SearchIndex {
    fields: Fields,
    writer: Mutex<IndexWriter>,
    reader: IndexReader,
}

impl fmt::Debug for SearchIndex {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SearchIndex").field("docs", &self.doc_count()).finish_non_exhaustive()
    }
}

impl SearchIndex {
    /// Opens the index in `dir`, creating the directory and an empty index if missing.
    ///
    /// Fails with [`SearchError::SchemaMismatch`] if the index on disk was
    /// built by an incompatible version (run `qingfeng reindex`), and with
    /// [`SearchError::Locked`] if another process has it open.
    pub fn open(dir: &Path) -> Result<Self> {
        let io = |source| SearchError::Io { path: dir.to_path_buf(), source };
        std::fs::create_dir_all(dir).map_err(io)?;
        let directory = MmapDirectory::open(dir).map_err(|e| io(std::io::Error::other(e)))?;
        let (schema, fields) = Fields::schema();
        let exists = Index::exists(&directory).map_err(|e| io(std::io::Error::other(e)))?;
        let index = if exists {
            let index = Index::open(directory).map_err(|e| match e {
                TantivyError::IncompatibleIndex(_) => SearchError::SchemaMismatch(dir.into()),
                other => other.into(),
            })?;
            if index.schema() != schema {
                return Err(SearchError::SchemaMismatch(dir.into()));
            }
            index
        } else {
            Index::create(directory, schema, IndexSettings::default())?
        };
        Self::with_index(index, fields)
    }

    /// A throw-away index in memory (tests, previews).
    pub fn open_in_ram() -> Result<Self> {
        let (schema, fields) = Fields::schema();
        Self::with_index(Index::create_in_ram(schema), fields)
    }

    fn with_index(index: Index, fields: Fields) -> Result<Self> {
        index.tokenizers().register(JIEBA, jieba_analyzer());
        index.tokenizers().register(CJK_NGRAM, cjk_ngram_analyzer());
        let writer = index.writer_with_num_threads(1, WRITER_MEMORY_BYTES)?;
        let reader = index.reader_builder().reload_policy(ReloadPolicy::Manual).try_into()?;
        Ok(Self { fields, writer: Mutex::new(writer), reader })
    }

    /// Adds or replaces documents by `(kind, id)` and commits once.
    /// If the same pair appears twice in `docs`, the last one wins.
    ///
    /// Only a pair that is already in the index (or earlier in `docs`) is deleted first:
    /// tantivy holds every delete until the commit applies it to each segment, and a
    /// delete per document took a re-index of 650 k credit subjects from 216 MB to
    /// 305 MB at its peak (docs/benchmarks.md). New documents, the bulk of a re-index or
    /// of the catch-up after an import, need none. The check runs under the writer's
    /// lock on a reader reloaded first, so it sees every commit and nothing lands
    /// between.
    pub fn upsert(&self, docs: &[Doc]) -> Result<()> {
        if docs.is_empty() {
            return Ok(());
        }
        let docs = docs.iter().map(|doc| self.to_document(doc)).collect::<Result<Vec<_>>>()?;
        self.write(|writer| {
            // Normally a no-op (each write reloads after its commit), but a reload that
            // failed after a durable commit must not hide that commit's documents.
            self.reader.reload()?;
            let searcher = self.reader.searcher();
            let mut in_batch: HashSet<Term> = HashSet::with_capacity(docs.len());
            for (key, doc) in docs {
                let seen = !in_batch.insert(key.clone());
                if seen || searcher.search(&TermQuery::new(key.clone(), IndexRecordOption::Basic), &Count)? > 0 {
                    writer.delete_term(key);
                }
                writer.add_document(doc)?;
            }
            Ok(())
        })
    }

    /// Removes one document; absent documents are not an error.
    pub fn delete(&self, kind: &str, id: &str) -> Result<()> {
        let key = Term::from_field_text(self.fields.key, &key(kind, id));
        self.write(|writer| {
            writer.delete_term(key);
            Ok(())
        })
    }

    /// Removes every document of `kind` (before re-indexing that module).
    pub fn clear_kind(&self, kind: &str) -> Result<()> {
        let kind = Term::from_field_text(self.fields.kind, kind);
        self.write(|writer| {
            writer.delete_term(kind);
            Ok(())
        })
    }

    /// Number of documents visible to searches.
    pub fn doc_count(&self) -> u64 {
        self.reader.searcher().num_docs()
    }

    /// Runs `ops`, commits and reloads the reader; rolls back on failure.
    fn write(&self, ops: impl FnOnce(&mut IndexWriter) -> tantivy::Result<()>) -> Result<()> {
        let mut writer = match self.writer.lock() {
            Ok(writer) => writer,
            Err(poisoned) => {
                // A panic mid-write may have left uncommitted operations: drop them.
                self.writer.clear_poison();
                let mut writer = poisoned.into_inner();
                writer.rollback()?;
                writer
            }
        };
        if let Err(err) = ops(&mut writer).and_then(|()| writer.commit().map(drop)) {
            // Best effort: the original error is the one worth reporting.
            let _ = writer.rollback();
            return Err(err.into());
        }
        self.reader.reload()?;
        Ok(())
    }

    fn to_document(&self, doc: &Doc) -> Result<(Term, TantivyDocument)> {
        if doc.kind.is_empty() || doc.kind.contains(':') {
            return Err(SearchError::InvalidDoc(format!("类型「{}」不能为空或包含“:”", doc.kind)));
        }
        if doc.id.is_empty() {
            return Err(SearchError::InvalidDoc(format!("类型「{}」的文档缺少 id", doc.kind)));
        }
        let f = self.fields;
        let key = key(&doc.kind, &doc.id);
        let mut d = TantivyDocument::default();
        d.add_text(f.key, &key);
        d.add_text(f.kind, &doc.kind);
        d.add_text(f.id, &doc.id);
        d.add_text(f.county, &doc.county);
        d.add_text(f.title, &doc.title);
        d.add_text(f.title_ngram, &doc.title);
        d.add_text(f.body, &doc.body);
        for tag in doc.tags.iter().filter(|t| !t.is_empty()) {
            d.add_text(f.tags, tag);
        }
        Ok((Term::from_field_text(f.key, &key), d))
    }

    /// Searches. Any `text` is accepted; empty or whitespace-only text, and
    /// text without letters or digits (punctuation, emoji) that is not
    /// literally a tag, yields no hits.
    pub fn search(&self, q: &SearchQuery) -> Result<SearchResults> {
        self.run(q, q.county.as_slice())
    }

    /// [`Self::search`] over the documents of any of `counties` (`q.county` is not
    /// used): a county's own content together with national content (county `""`).
    pub fn search_in(&self, q: &SearchQuery, counties: &[String]) -> Result<SearchResults> {
        if counties.is_empty() {
            return Ok(SearchResults::default());
        }
        self.run(q, counties)
    }

    /// How many documents of each of `q.kinds` match `q.text` within `counties`, in
    /// `q.kinds` order — one pass over the matches, for a result page's filter tabs
    /// (rather than one counting search per kind).
    pub fn count_kinds(&self, q: &SearchQuery, counties: &[String]) -> Result<Vec<usize>> {
        let Some(query) = self.filtered_query(q, counties) else {
            return Ok(vec![0; q.kinds.len()]);
        };
        let collector = KindCounts { field: self.fields.kind, kinds: q.kinds.clone() };
        Ok(self.reader.searcher().search(&query, &collector)?)
    }

    /// The text query of `q` with its kind and county filters, or `None` if the text
    /// has nothing to search for.
    fn filtered_query(&self, q: &SearchQuery, counties: &[String]) -> Option<BooleanQuery> {
        let text_query = self.text_query(&q.text)?;
        let f = self.fields;
        let mut clauses = vec![(Occur::Must, text_query)];
        if !q.kinds.is_empty() {
            let kinds = q.kinds.iter().map(|k| term_query(f.kind, k)).collect();
            clauses.push((Occur::Must, filter(BooleanQuery::union(kinds))));
        }
        if !counties.is_empty() {
            let counties = counties.iter().map(|c| term_query(f.county, c)).collect();
            clauses.push((Occur::Must, filter(BooleanQuery::union(counties))));
        }
        Some(BooleanQuery::new(clauses))
    }

    /// Searches `q` restricted to `counties` (no restriction when empty).
    fn run(&self, q: &SearchQuery, counties: &[String]) -> Result<SearchResults> {
        let Some(query) = self.filtered_query(q, counties) else {
            return Ok(SearchResults::default());
        };
        let f = self.fields;

        let searcher = self.reader.searcher();
        let limit = q.limit.min(MAX_LIMIT);
        if limit == 0 || q.offset > MAX_OFFSET {
            let total = searcher.search(&query, &Count)?;
            return Ok(SearchResults { total, hits: Vec::new() });
        }
        let top = TopDocs::with_limit(limit).and_offset(q.offset).order_by_score();
        let (total, top) = searcher.search(&query, &(Count, top))?;

        let terms = highlight_terms(&q.text);
        let hits = top
            .into_iter()
            .map(|(score, address)| {
                let doc: TantivyDocument = searcher.doc(address)?;
                let text = |field| doc.get_first(field).and_then(|v| v.as_str()).unwrap_or_default().to_owned();
                let snippet = snippet(&text(f.body), &terms);
                Ok(Hit {
                    kind: text(f.kind),
                    id: text(f.id),
                    title: text(f.title),
                    score,
                    snippet: snippet.split_whitespace().collect::<Vec<_>>().join(" "),
                })
            })
            .collect::<Result<_>>()?;
        Ok(SearchResults { total, hits })
    }

    /// The scoring part of a search, or `None` if `raw` has nothing to search for.
    ///
    /// A document matches if any of:
    /// - it contains at least two thirds of the query's jieba words (stop words
    ///   dropped) in title or body — title matches weigh [`TITLE_BOOST`] times more;
    /// - its title contains every CJK unigram/bigram of the query (≈ substring match);
    /// - one of its tags equals a whitespace-separated query word.
    fn text_query(&self, raw: &str) -> Option<Box<dyn Query>> {
        let f = self.fields;
        let text: String = raw.trim().chars().take(MAX_QUERY_CHARS).collect();
        let mut should: Vec<Box<dyn Query>> = Vec::new();

        let words = without_stop_words(query_tokens(&mut jieba_analyzer(), &text));
        if !words.is_empty() {
            let required = (words.len() * 2).div_ceil(3);
            let per_word = words
                .iter()
                .map(|w| {
                    let title = boost(term_query(f.title, w), TITLE_BOOST);
                    Box::new(BooleanQuery::union(vec![title, term_query(f.body, w)])) as Box<dyn Query>
                })
                .collect();
            should.push(Box::new(BooleanQuery::union_with_minimum_required_clauses(per_word, required)));
        }

        let grams = query_tokens(&mut cjk_ngram_analyzer(), &text);
        if !grams.is_empty() {
            let all = grams.iter().map(|g| term_query(f.title_ngram, g)).collect();
            should.push(boost(BooleanQuery::intersection(all), NGRAM_BOOST));
        }

        for word in text.split_whitespace() {
            should.push(boost(term_query(f.tags, word), TAG_BOOST));
        }

        (!should.is_empty()).then(|| Box::new(BooleanQuery::union(should)) as Box<dyn Query>)
    }
}

/// The words a search for `raw` looks for — its jieba words (stop words dropped) and its
/// whitespace-separated pieces, lowercased — for highlighting matches in text shown to
/// the user (snippets, an article reached from a hit). Longest first.
pub fn highlight_terms(raw: &str) -> Vec<String> {
    let text: String = raw.trim().chars().take(MAX_QUERY_CHARS).collect();
    let mut terms = without_stop_words(query_tokens(&mut jieba_analyzer(), &text));
    for piece in text.split_whitespace().map(str::to_lowercase) {
        if piece.chars().any(char::is_alphanumeric) && !terms.contains(&piece) {
            terms.push(piece);
        }
    }
    terms.sort_by_key(|t| std::cmp::Reverse(t.chars().count()));
    terms
}

/// Up to [`SNIPPET_CHARS`] characters of `body` around the query's `terms` (with `…` where
/// the body goes on)
/// ([`highlight_terms`]): of the windows starting [`SNIPPET_LEAD`] characters before a
/// match, the first that holds the most (and longest) distinct terms; the body's start
/// when none occurs.
///
/// Not tantivy's `SnippetGenerator`: jieba's search mode emits a word's sub-words with
/// overlapping offsets, and when a fragment boundary falls between them tantivy 0.27
/// subtracts with overflow (a panic in debug builds) — long bodies such as statute
/// articles hit it.
fn snippet(body: &str, terms: &[String]) -> String {
    let chars: Vec<char> = body.chars().map(|c| c.to_ascii_lowercase()).collect();
    let terms: Vec<Vec<char>> = terms.iter().map(|t| t.chars().collect::<Vec<char>>()).filter(|t| !t.is_empty()).collect();
    let occurs = |t: &[char], from: usize, to: usize| chars.get(from..to).is_some_and(|w| w.windows(t.len()).any(|x| x == t));
    let last_start = chars.len().saturating_sub(SNIPPET_CHARS);
    let mut best: Option<(usize, usize)> = None;
    for t in &terms {
        for (at, _) in chars.windows(t.len()).enumerate().filter(|(_, w)| *w == t.as_slice()) {
            let start = at.saturating_sub(SNIPPET_LEAD).min(last_start);
            let end = (start + SNIPPET_CHARS).min(chars.len());
            let score: usize = terms.iter().filter(|u| occurs(u, start, end)).map(Vec::len).sum();
            if best.is_none_or(|(s, b)| score > b || (score == b && start < s)) {
                best = Some((start, score));
            }
        }
    }
    let start = best.map(|(s, _)| s).unwrap_or(0);
    let mut out = String::with_capacity(SNIPPET_CHARS * 3 + 6);
    if start > 0 {
        out.push('…');
    }
    out.extend(body.chars().skip(start).take(SNIPPET_CHARS));
    if start + SNIPPET_CHARS < chars.len() {
        out.push('…');
    }
    out
}

/// Counts matches per kind: each segment's documents of the wanted kinds are looked up
/// once from the kind field's postings, then every match is counted under its kind.
struct KindCounts {
    field: Field,
    kinds: Vec<String>,
}

struct KindCountsSegment {
    /// The index in `kinds` of each document of the segment (`u16::MAX`: none wanted).
    kind_of: Vec<u16>,
    counts: Vec<usize>,
}

impl tantivy::collector::Collector for KindCounts {
    type Fruit = Vec<usize>;
    type Child = KindCountsSegment;

    fn for_segment(&self, _: tantivy::SegmentOrdinal, segment: &tantivy::SegmentReader) -> tantivy::Result<KindCountsSegment> {
        use tantivy::DocSet as _;
        let inverted = segment.inverted_index(self.field)?;
        let mut kind_of = vec![u16::MAX; segment.max_doc() as usize];
        for (i, kind) in self.kinds.iter().enumerate().take(usize::from(u16::MAX)) {
            let term = Term::from_field_text(self.field, kind);
            if let Some(mut postings) = inverted.read_postings(&term, IndexRecordOption::Basic)? {
                let mut doc = postings.doc();
                while doc != tantivy::TERMINATED {
                    if let Some(slot) = kind_of.get_mut(doc as usize) {
                        *slot = i as u16;
                    }
                    doc = postings.advance();
                }
            }
        }
        Ok(KindCountsSegment { kind_of, counts: vec![0; self.kinds.len()] })
    }

    fn requires_scoring(&self) -> bool {
        false
    }

    fn merge_fruits(&self, fruits: Vec<Vec<usize>>) -> tantivy::Result<Vec<usize>> {
        let mut total = vec![0; self.kinds.len()];
        for f in fruits {
            for (t, n) in total.iter_mut().zip(f) {
                *t += n;
            }
        }
        Ok(total)
    }
}

impl tantivy::collector::SegmentCollector for KindCountsSegment {
    type Fruit = Vec<usize>;

    fn collect(&mut self, doc: tantivy::DocId, _: tantivy::Score) {
        if let Some(&k) = self.kind_of.get(doc as usize)
            && let Some(n) = self.counts.get_mut(usize::from(k))
        {
            *n += 1;
        }
    }

    fn harvest(self) -> Vec<usize> {
        self.counts
    }
}

fn key(kind: &str, id: &str) -> String {
    format!("{kind}:{id}")
}

fn term_query(field: Field, text: &str) -> Box<dyn Query> {
    Box::new(TermQuery::new(Term::from_field_text(field, text), IndexRecordOption::WithFreqs))
}

fn boost(query: impl Query, factor: f32) -> Box<dyn Query> {
    Box::new(BoostQuery::new(Box::new(query), factor))
}

/// Restricts matches without affecting scores.
fn filter(query: impl Query) -> Box<dyn Query> {
    Box::new(ConstScoreQuery::new(Box::new(query), 0.0))
}
