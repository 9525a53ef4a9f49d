//! Building one part of the search index: its word chunks, one fragment per article and
//! its table of dates and filters, as the files the browser fetches.
//!
//! The files (all JSON; `search.js` reads them):
//! - `c<N>.json`, chunk N: `{"words": {word: stem}, "stems": [postings, …], "roots":
//!   [stem text, …]}` for every word whose key (`text::key`) hashes to N
//!   (`fnv1a(key) % chunks`). A word maps to its stem's postings — the articles of the part
//!   holding any word of that stem, in the part's order, each with a weight of 1 to 31
//!   (BM25's term part, the field boosts below included), written as a string of
//!   variable-length numbers (see [`encode`]) — and `roots` spells each stem.
//!   Words of one stem nearly always share their key, so a query word's chunk holds its
//!   whole family; a stem is stored in each chunk one of its words is in. The client has no
//!   stemmer: a word no article has (`launches`) finds the stem that begins it (`launch`).
//! - `f<N>.json`: what a result shows (`Fragment`) for [`FRAGMENTS_PER_FILE`] articles,
//!   N = doc / FRAGMENTS_PER_FILE, as an array: a first query fetches about as many as it
//!   shows results, while a site has that many times fewer files to write, link and walk.
//! - `docs.json`: each article's day (days since 1970) and its authors, tags and section
//!   as filters `{value: [doc, …]}`, fetched only when a reader filters or sorts.
//!
//! Invariant: a part is a pure function of its articles, in order: same articles, same
//! bytes (maps are sorted, nothing depends on a hash map's order or the clock).

use std::borrow::Cow;
use std::collections::BTreeMap;

use foldhash::{HashMap, HashMapExt};

use rayon::prelude::*;
use rust_stemmers::Stemmer;
use serde::Serialize;

use super::text;

/// How much a word counts where it appears: a word of the title says more about an article
/// than one of its body.
const TITLE: f32 = 4.0;
const DESCRIPTION: f32 = 2.0;
const BYLINE: f32 = 2.0;
const TAG: f32 = 2.0;
const BODY: f32 = 1.0;

/// Fragments per file (see the module's doc).
pub const FRAGMENTS_PER_FILE: usize = 2;

/// BM25's saturation and length normalization.
const K1: f32 = 1.2;
const B: f32 = 0.75;

/// What a search result shows of an article.
#[derive(Debug, Serialize)]
pub struct Fragment<'a> {
    /// Relative to the site's base URL.
    pub url: String,
    pub title: &'a str,
    /// `YYYY-MM-DD`, for `<time datetime>`.
    pub date: String,
    /// As the theme shows dates.
    pub display_date: String,
    pub authors: Vec<&'a str>,
    pub tags: Vec<&'a str>,
    pub section: Option<&'a str>,
    pub description: Option<&'a str>,
    pub image: Option<Thumbnail>,
    /// The article's text: the excerpt is cut from it around the words found.
    pub text: String,
    /// Days since 1970-01-01 (for `docs.json`, not written in the fragment).
    #[serde(skip)]
    pub day: i64,
}

/// The smallest variant of a local lead image (remote ones are left out: a result list
/// must not make requests that leave the site).
#[derive(Debug, Serialize)]
pub struct Thumbnail {
    pub src: String,
    pub width: u32,
    pub height: u32,
    pub alt: String,
}

#[derive(Serialize)]
struct Chunk<'a> {
    words: BTreeMap<&'a str, u32>,
    stems: Vec<&'a str>,
    roots: Vec<&'a str>,
}

/// The digits of [`encode`]: URL-safe base 64, nothing JSON must escape.
const DIGITS: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

/// The highest weight: five bits, one digit.
const MAX_WEIGHT: f32 = 31.0;

/// Postings `(doc, weight)` (docs ascending) as text: for each, the distance from the
/// previous doc (the first from -1) then the weight, each a number in digits of [`DIGITS`]
/// carrying five bits and, in the sixth, whether more digits follow (least significant
/// first). An article with a word of every article of the part costs two characters.
fn encode(postings: &[(u32, u32)]) -> String {
    let mut out = String::with_capacity(postings.len() * 2);
    let mut push = |mut n: u32| {
        while n >= 32 {
            out.push(DIGITS[(32 | (n & 31)) as usize] as char);
            n >>= 5;
        }
        out.push(DIGITS[n as usize] as char);
    };
    let mut previous: i64 = -1;
    for &(doc, weight) in postings {
        push((i64::from(doc) - previous) as u32);
        push(weight);
        previous = i64::from(doc);
    }
    out
}

#[derive(Serialize)]
struct Docs<'a> {
    days: Vec<i64>,
    author: BTreeMap<&'a str, Vec<u32>>,
    tag: BTreeMap<&'a str, Vec<u32>>,
    section: BTreeMap<&'a str, Vec<u32>>,
}

/// The files of a part of `docs` (in the part's order) with `chunks` word chunks, as
/// (file name, bytes).
pub fn build(
    docs: &[Fragment],
    stemmer: Option<&Stemmer>,
    chunks: usize,
) -> Vec<(String, Vec<u8>)> {
    // Each distinct word of the part met once (and stemmed once); each article's words
    // counted into dense tables by word number, then by stem. Stem numbers follow the
    // order words are met in, which no file shows: postings are per stem, chunks number
    // their stems by their own sorted words.
    let mut vocabulary = Vocabulary::new(stemmer);
    let mut counts: Vec<Vec<(u32, f32)>> = Vec::with_capacity(docs.len());
    let mut lengths: Vec<f32> = Vec::with_capacity(docs.len());
    for doc in docs {
        let (found, length) = vocabulary.count(doc);
        counts.push(found);
        lengths.push(length as f32);
    }
    let Vocabulary {
        ids: words,
        stem_of,
        roots,
        ..
    } = vocabulary;

    // Postings per stem, in the part's order of articles.
    let average = (lengths.iter().sum::<f32>() / lengths.len().max(1) as f32).max(1.0);
    let mut postings: Vec<Vec<(u32, u32)>> = vec![Vec::new(); roots.len()];
    for (doc, found) in counts.iter().enumerate() {
        let norm = K1 * (1.0 - B + B * lengths[doc] / average);
        for &(stem, f) in found {
            let score = f * (K1 + 1.0) / (f + norm) / (K1 + 1.0);
            let weight = (score * MAX_WEIGHT).round().clamp(1.0, MAX_WEIGHT) as u32;
            postings[stem as usize].push((doc as u32, weight));
        }
    }
    let postings: Vec<String> = postings.par_iter().map(|p| encode(p)).collect();

    // Words into chunks by their key; each chunk numbers the stems it holds.
    let mut sorted: Vec<(&str, u32)> = words
        .iter()
        .map(|(w, &id)| (w.as_ref(), stem_of[id as usize]))
        .collect();
    sorted.sort_unstable();
    let mut chunk_words: Vec<Vec<(&str, u32)>> = vec![Vec::new(); chunks];
    for (word, stem) in sorted {
        let n = (crate::hash::fnv1a(text::key(word).as_bytes()) % chunks as u64) as usize;
        chunk_words[n].push((word, stem));
    }
    // The files, serialized in parallel.
    let mut files: Vec<(String, Vec<u8>)> = chunk_words
        .par_iter()
        .enumerate()
        .map(|(n, in_chunk)| {
            let mut local: HashMap<u32, u32> = HashMap::new();
            let mut chunk = Chunk {
                words: BTreeMap::new(),
                stems: Vec::new(),
                roots: Vec::new(),
            };
            for &(word, stem) in in_chunk {
                let next = local.len() as u32;
                let id = *local.entry(stem).or_insert_with(|| {
                    chunk.stems.push(&postings[stem as usize]);
                    chunk.roots.push(&roots[stem as usize]);
                    next
                });
                chunk.words.insert(word, id);
            }
            (format!("c{n}.json"), json(&chunk))
        })
        .collect();
    files.par_extend(
        docs.par_chunks(FRAGMENTS_PER_FILE)
            .enumerate()
            .map(|(n, group)| (format!("f{n}.json"), json(&group))),
    );
    files.push(("docs.json".to_string(), json(&docs_table(docs))));
    files
}

/// The distinct words (lowercased) of a part, numbered as met, with their stems, and the
/// tables an article's words are counted in (kept between articles: cleared, not freed).
struct Vocabulary<'d, 's> {
    stemmer: Option<&'s Stemmer>,
    /// Word → word number.
    ids: HashMap<Cow<'d, str>, u32>,
    /// Word number → stem number.
    stem_of: Vec<u32>,
    /// Stem → stem number.
    stem_ids: HashMap<String, u32>,
    /// Stem number → stem.
    roots: Vec<String>,
    /// Word number → weighted count in the article being counted (0: not in it).
    per_word: Vec<f32>,
    /// Stem number → weighted count in the article being counted.
    per_stem: Vec<f32>,
    words_met: Vec<u32>,
    stems_met: Vec<u32>,
}

impl<'d, 's> Vocabulary<'d, 's> {
    fn new(stemmer: Option<&'s Stemmer>) -> Self {
        Vocabulary {
            stemmer,
            ids: HashMap::new(),
            stem_of: Vec::new(),
            stem_ids: HashMap::new(),
            roots: Vec::new(),
            per_word: Vec::new(),
            per_stem: Vec::new(),
            words_met: Vec::new(),
            stems_met: Vec::new(),
        }
    }

    /// An article's stems with their counts weighted by field (stems ascending), and how
    /// many words it has.
    fn count(&mut self, doc: &'d Fragment) -> (Vec<(u32, f32)>, usize) {
        let fields = [
            (doc.title, TITLE),
            (doc.description.unwrap_or(""), DESCRIPTION),
            (doc.text.as_str(), BODY),
        ]
        .into_iter()
        .chain(doc.authors.iter().map(|a| (*a, BYLINE)))
        .chain(doc.tags.iter().map(|t| (*t, TAG)));
        let mut length = 0;
        for (field, weight) in fields {
            for (word, lowercase) in text::words(field) {
                length += 1;
                let id = self.id(word, lowercase) as usize;
                // Every weight is above zero: a zero count is a word not met yet.
                if self.per_word[id] == 0.0 {
                    self.words_met.push(id as u32);
                }
                self.per_word[id] += weight;
            }
        }
        for &word in &self.words_met {
            let stem = self.stem_of[word as usize] as usize;
            if self.per_stem[stem] == 0.0 {
                self.stems_met.push(stem as u32);
            }
            // Counts are sums of small whole numbers: exact in any order.
            self.per_stem[stem] += std::mem::take(&mut self.per_word[word as usize]);
        }
        self.words_met.clear();
        self.stems_met.sort_unstable();
        let found = self
            .stems_met
            .drain(..)
            .map(|s| (s, std::mem::take(&mut self.per_stem[s as usize])))
            .collect();
        (found, length)
    }

    /// The number of `word` (as written; `lowercase` if it is its own lowercase), met
    /// and stemmed now if it is new.
    fn id(&mut self, word: &'d str, lowercase: bool) -> u32 {
        if lowercase {
            if let Some(&id) = self.ids.get(word) {
                return id;
            }
            return self.add(Cow::Borrowed(word));
        }
        // Most capitalized words are ASCII: lowercased on the stack, copied only if new.
        let mut buffer = [0u8; text::MAX_WORD];
        if word.is_ascii() && word.len() <= buffer.len() {
            let lower = &mut buffer[..word.len()];
            lower.copy_from_slice(word.as_bytes());
            lower.make_ascii_lowercase();
            let lower = std::str::from_utf8(lower).expect("ASCII");
            if let Some(&id) = self.ids.get(lower) {
                return id;
            }
            return self.add(Cow::Owned(lower.to_string()));
        }
        let lower = word.to_lowercase();
        match self.ids.get(lower.as_str()) {
            Some(&id) => id,
            None => self.add(Cow::Owned(lower)),
        }
    }

    fn add(&mut self, word: Cow<'d, str>) -> u32 {
        let stem = self
            .stemmer
            .map_or_else(|| word.to_string(), |s| s.stem(&word).into());
        let next = self.stem_ids.len() as u32;
        let roots = &mut self.roots;
        let stem = *self.stem_ids.entry(stem).or_insert_with_key(|stem| {
            roots.push(stem.clone());
            next
        });
        if stem as usize == self.per_stem.len() {
            self.per_stem.push(0.0);
        }
        let id = self.stem_of.len() as u32;
        self.stem_of.push(stem);
        self.per_word.push(0.0);
        self.ids.insert(word, id);
        id
    }
}

fn docs_table<'a>(docs: &'a [Fragment]) -> Docs<'a> {
    let mut table = Docs {
        days: docs.iter().map(|d| d.day).collect(),
        author: BTreeMap::new(),
        tag: BTreeMap::new(),
        section: BTreeMap::new(),
    };
    for (i, doc) in docs.iter().enumerate() {
        let i = i as u32;
        for author in &doc.authors {
            table.author.entry(author).or_default().push(i);
        }
        for tag in &doc.tags {
            table.tag.entry(tag).or_default().push(i);
        }
        if let Some(section) = doc.section {
            table.section.entry(section).or_default().push(i);
        }
    }
    // An article naming one tag twice (in two spellings of one slug) is listed once.
    for list in table.author.values_mut().chain(table.tag.values_mut()) {
        list.dedup();
    }
    table
}

fn json(value: &impl Serialize) -> Vec<u8> {
    serde_json::to_vec(value).expect("search files are plain data")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc<'a>(title: &'a str, text: &str) -> Fragment<'a> {
        Fragment {
            url: format!("{}/", title.to_lowercase().replace(' ', "-")),
            title,
            date: "2026-01-02".into(),
            display_date: "2 January 2026".into(),
            authors: vec!["Ada Byte"],
            tags: vec![],
            section: None,
            description: None,
            image: None,
            text: text.into(),
            day: 20455,
        }
    }

    fn file(files: &[(String, Vec<u8>)], name: &str) -> serde_json::Value {
        let (_, bytes) = files.iter().find(|(n, _)| n == name).unwrap();
        serde_json::from_slice(bytes).unwrap()
    }

    /// The chunk a word is in, as the client finds it.
    fn chunk_of(files: &[(String, Vec<u8>)], word: &str, chunks: usize) -> serde_json::Value {
        let n = crate::hash::fnv1a(text::key(word).as_bytes()) % chunks as u64;
        file(files, &format!("c{n}.json"))
    }

    #[test]
    fn a_word_leads_to_the_articles_holding_any_word_of_its_stem() {
        let stemmer = Stemmer::create(rust_stemmers::Algorithm::English);
        let docs = [
            doc("Rocket launches", "The launch was late."),
            doc("Quiet week", "Nothing launched; markets slept."),
            doc("Other news", "Chips and more chips."),
        ];
        let files = build(&docs, Some(&stemmer), 7);
        let chunk = chunk_of(&files, "launched", 7);
        let stem = chunk["words"]["launched"].as_u64().unwrap();
        assert_eq!(chunk["words"]["launches"].as_u64(), Some(stem));
        assert_eq!(chunk["roots"][stem as usize], "launch");
        let postings = decode(chunk["stems"][stem as usize].as_str().unwrap());
        let docs: Vec<u32> = postings.iter().map(|p| p.0).collect();
        assert_eq!(docs, [0, 1]);
        // In the title and the body, it weighs more than once in a body.
        assert!(postings[0].1 > postings[1].1, "{postings:?}");
    }

    /// What `search.js` does with a postings string.
    fn decode(text: &str) -> Vec<(u32, u32)> {
        let mut numbers = Vec::new();
        let (mut n, mut shift) = (0, 0);
        for c in text.bytes() {
            let digit = DIGITS.iter().position(|&d| d == c).unwrap() as u32;
            n |= (digit & 31) << shift;
            shift += 5;
            if digit & 32 == 0 {
                numbers.push(n);
                (n, shift) = (0, 0);
            }
        }
        let mut doc = -1i64;
        numbers
            .chunks(2)
            .map(|p| {
                doc += i64::from(p[0]);
                (doc as u32, p[1])
            })
            .collect()
    }

    #[test]
    fn postings_round_trip_through_their_text() {
        let postings = [(0, 31), (1, 1), (40, 7), (5000, 12), (5001, 31)];
        let text = encode(&postings);
        assert_eq!(&text[..4], "BfBB");
        assert_eq!(decode(&text), postings);
    }

    #[test]
    fn every_article_has_a_fragment_and_a_day() {
        let docs = [doc("One", "first"), doc("Two", "second")];
        let files = build(&docs, None, 3);
        assert_eq!(file(&files, "f0.json")[1]["title"], "Two");
        assert_eq!(
            file(&files, "docs.json")["days"],
            serde_json::json!([20455, 20455])
        );
        assert_eq!(
            file(&files, "docs.json")["author"]["Ada Byte"],
            serde_json::json!([0, 1])
        );
        let names: Vec<&str> = files.iter().map(|(n, _)| n.as_str()).collect();
        assert_eq!(
            names,
            ["c0.json", "c1.json", "c2.json", "f0.json", "docs.json"]
        );
    }

    #[test]
    fn the_same_articles_give_the_same_bytes() {
        let docs = [
            doc("Alpha beta", "gamma delta epsilon"),
            doc("Zeta", "eta theta"),
        ];
        assert_eq!(build(&docs, None, 4), build(&docs, None, 4));
    }
}
