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
    /// The article's text: the excerpt is cut from it around the words found. The last
    /// field written, and by [`fragment_json`], not serde: it is most of a fragment's
    /// bytes.
    #[serde(skip)]
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

/// A part's files, as (file name, bytes).
pub type Files = Vec<(String, Vec<u8>)>;

/// An article of a part as the part's files show it: its fragment (as JSON), its filters
/// and its counted words.
#[derive(Debug)]
pub struct Counted {
    /// The article's search version: it is counted again when that changes.
    pub version: u64,
    /// Its stems with their weighted counts (in the order first met: postings are per stem,
    /// so no order shows).
    stems: Vec<(u32, f32)>,
    /// The numbers of the words it holds, to forget them when it changes.
    words: Vec<u32>,
    length: usize,
    fragment: Vec<u8>,
    day: i64,
    authors: Vec<String>,
    tags: Vec<String>,
    section: Option<String>,
}

/// A part's words and counted articles, which a session keeps after building the part:
/// when one of its articles changes, the part is made again by counting that article
/// alone (its old words forgotten), not all of them.
#[derive(Debug)]
pub struct Tables {
    vocabulary: Vocabulary<'static>,
    docs: Vec<Counted>,
}

impl Tables {
    /// The versions of the articles counted, in the part's order.
    pub fn versions(&self) -> impl Iterator<Item = u64> + '_ {
        self.docs.iter().map(|d| d.version)
    }

    /// Replaces the article at `at` by `doc` (of `version`), counting it alone.
    pub fn replace(&mut self, at: usize, doc: &Fragment, version: u64, stemmer: Option<&Stemmer>) {
        for &word in &self.docs[at].words {
            self.vocabulary.holders[word as usize] -= 1;
        }
        let own = |w: &str| Cow::Owned(w.to_string());
        self.docs[at] = count_one(&mut self.vocabulary, doc, version, stemmer, &own);
    }

    /// The part's files, as [`build`] makes them from the same articles.
    pub fn files(&self, chunks: usize) -> Vec<(String, Vec<u8>)> {
        files(&self.vocabulary, &self.docs, chunks)
    }
}

/// The files of a part of `docs` (in the part's order) with `chunks` word chunks, as
/// (file name, bytes).
pub fn build(
    docs: &[Fragment],
    stemmer: Option<&Stemmer>,
    chunks: usize,
) -> Vec<(String, Vec<u8>)> {
    let versions = vec![0; docs.len()];
    let mut vocabulary = Vocabulary::new();
    let counted = count_all(&mut vocabulary, docs, &versions, stemmer);
    files(&vocabulary, &counted, chunks)
}

/// [`build`], also returning the part's tables for a session to keep (`versions`: each
/// article's search version).
pub fn build_keeping(
    docs: &[Fragment],
    versions: &[u64],
    stemmer: Option<&Stemmer>,
    chunks: usize,
) -> (Vec<(String, Vec<u8>)>, Tables) {
    let mut vocabulary = Vocabulary::new();
    let counted = count_all(&mut vocabulary, docs, versions, stemmer);
    let files = files(&vocabulary, &counted, chunks);
    let tables = Tables {
        vocabulary: vocabulary.into_owned(),
        docs: counted,
    };
    (files, tables)
}

/// Every article of a part counted into one vocabulary (words borrowed from the
/// articles), their fragments serialized in parallel.
fn count_all<'d>(
    vocabulary: &mut Vocabulary<'d>,
    docs: &'d [Fragment],
    versions: &[u64],
    stemmer: Option<&Stemmer>,
) -> Vec<Counted> {
    // Each distinct word of the part met once (and stemmed once); each article's words
    // counted into dense tables by word number, then by stem. Stem numbers follow the
    // order words are met in, which no file shows: postings are per stem, chunks number
    // their stems by their own sorted words.
    let fragments: Vec<Vec<u8>> = docs.par_iter().map(fragment_json).collect();
    docs.iter()
        .zip(versions)
        .zip(fragments)
        .map(|((doc, &version), fragment)| {
            let (stems, words, length) = vocabulary.count(doc, stemmer, &Cow::Borrowed);
            counted(doc, version, stems, words, length, fragment)
        })
        .collect()
}

/// One article counted into a vocabulary that owns its words.
fn count_one(
    vocabulary: &mut Vocabulary<'static>,
    doc: &Fragment,
    version: u64,
    stemmer: Option<&Stemmer>,
    own: &dyn Fn(&str) -> Cow<'static, str>,
) -> Counted {
    let (stems, words, length) = vocabulary.count(doc, stemmer, own);
    counted(doc, version, stems, words, length, fragment_json(doc))
}

fn counted(
    doc: &Fragment,
    version: u64,
    stems: Vec<(u32, f32)>,
    words: Vec<u32>,
    length: usize,
    fragment: Vec<u8>,
) -> Counted {
    Counted {
        version,
        stems,
        words,
        length,
        fragment,
        day: doc.day,
        authors: doc.authors.iter().map(|a| a.to_string()).collect(),
        tags: doc.tags.iter().map(|t| t.to_string()).collect(),
        section: doc.section.map(str::to_string),
    }
}

/// The files of a part from its vocabulary and its counted articles. Words no article
/// holds any more (a session's, after an edit) are left out, as a build from scratch
/// never meets them.
fn files(vocabulary: &Vocabulary, docs: &[Counted], chunks: usize) -> Vec<(String, Vec<u8>)> {
    let Vocabulary {
        ids: words,
        stem_of,
        roots,
        holders,
        ..
    } = vocabulary;

    // Postings per stem, in the part's order of articles.
    let lengths = docs.iter().map(|d| d.length as f32);
    let average = (lengths.sum::<f32>() / docs.len().max(1) as f32).max(1.0);
    let mut postings: Vec<Vec<(u32, u32)>> = vec![Vec::new(); roots.len()];
    for (n, doc) in docs.iter().enumerate() {
        let norm = K1 * (1.0 - B + B * doc.length as f32 / average);
        for &(stem, f) in &doc.stems {
            let score = f * (K1 + 1.0) / (f + norm) / (K1 + 1.0);
            let weight = (score * MAX_WEIGHT).round().clamp(1.0, MAX_WEIGHT) as u32;
            postings[stem as usize].push((n as u32, weight));
        }
    }
    let postings: Vec<String> = postings.par_iter().map(|p| encode(p)).collect();

    // Words into chunks by their key; each chunk numbers the stems it holds.
    let mut sorted: Vec<(&str, u32)> = words
        .iter()
        .filter(|&(_, &id)| holders[id as usize] > 0)
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
            .map(|(n, group)| (format!("f{n}.json"), fragments_file(group))),
    );
    files.push(("docs.json".to_string(), json(&docs_table(docs))));
    files
}

/// A fragments file: the JSON array of its articles' fragments, as serde writes a
/// slice of them.
fn fragments_file(group: &[Counted]) -> Vec<u8> {
    let size = group.iter().map(|d| d.fragment.len() + 1).sum::<usize>() + 1;
    let mut bytes = Vec::with_capacity(size);
    bytes.push(b'[');
    for (n, doc) in group.iter().enumerate() {
        if n > 0 {
            bytes.push(b',');
        }
        bytes.extend_from_slice(&doc.fragment);
    }
    bytes.push(b']');
    bytes
}

/// The distinct words (lowercased) of a part, numbered as met, with their stems, and the
/// tables an article's words are counted in (kept between articles: cleared, not freed).
#[derive(Debug, Default)]
struct Vocabulary<'d> {
    /// Word → word number.
    ids: HashMap<Cow<'d, str>, u32>,
    /// The same for ASCII words of up to 16 bytes, by [`short_key`]: most words, looked up
    /// without hashing or comparing strings.
    short: HashMap<u128, u32>,
    /// Word number → stem number.
    stem_of: Vec<u32>,
    /// Word number → how many of the part's articles hold it.
    holders: Vec<u32>,
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

impl<'d> Vocabulary<'d> {
    fn new() -> Self {
        Vocabulary::default()
    }

    /// The same vocabulary owning its words, to be kept.
    fn into_owned(self) -> Vocabulary<'static> {
        Vocabulary {
            ids: self
                .ids
                .into_iter()
                .map(|(w, id)| (Cow::Owned(w.into_owned()), id))
                .collect(),
            short: self.short,
            stem_of: self.stem_of,
            holders: self.holders,
            stem_ids: self.stem_ids,
            roots: self.roots,
            per_word: self.per_word,
            per_stem: self.per_stem,
            words_met: self.words_met,
            stems_met: self.stems_met,
        }
    }

    /// An article's stems with their counts weighted by field (as first met), the
    /// words it holds, and how many words it has. `own` makes a new lowercase word the
    /// vocabulary's (borrowed while counting a part at once, copied into kept tables).
    fn count<'x>(
        &mut self,
        doc: &'x Fragment,
        stemmer: Option<&Stemmer>,
        own: &dyn Fn(&'x str) -> Cow<'d, str>,
    ) -> (Vec<(u32, f32)>, Vec<u32>, usize) {
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
            for word in text::words(field) {
                length += 1;
                let id = match short_key(field.as_bytes(), word) {
                    Some(key) => match self.short.get(&key) {
                        Some(&id) => id,
                        None => {
                            let id = self.id(word.text, word.lowercase, stemmer, own);
                            self.short.insert(key, id);
                            id
                        }
                    },
                    None => self.id(word.text, word.lowercase, stemmer, own),
                } as usize;
                // Every weight is above zero: a zero count is a word not met yet.
                if self.per_word[id] == 0.0 {
                    self.words_met.push(id as u32);
                }
                self.per_word[id] += weight;
            }
        }
        for &word in &self.words_met {
            self.holders[word as usize] += 1;
            let stem = self.stem_of[word as usize] as usize;
            if self.per_stem[stem] == 0.0 {
                self.stems_met.push(stem as u32);
            }
            // Counts are sums of small whole numbers: exact in any order.
            self.per_stem[stem] += std::mem::take(&mut self.per_word[word as usize]);
        }
        let words = std::mem::take(&mut self.words_met);
        let found = self
            .stems_met
            .drain(..)
            .map(|s| (s, std::mem::take(&mut self.per_stem[s as usize])))
            .collect();
        (found, words, length)
    }

    /// The number of `word` (as written; `lowercase` if it is its own lowercase), met
    /// and stemmed now if it is new.
    fn id<'x>(
        &mut self,
        word: &'x str,
        lowercase: bool,
        stemmer: Option<&Stemmer>,
        own: &dyn Fn(&'x str) -> Cow<'d, str>,
    ) -> u32 {
        if lowercase {
            if let Some(&id) = self.ids.get(word) {
                return id;
            }
            return self.add(own(word), stemmer);
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
            return self.add(Cow::Owned(lower.to_string()), stemmer);
        }
        let lower = word.to_lowercase();
        match self.ids.get(lower.as_str()) {
            Some(&id) => id,
            None => self.add(Cow::Owned(lower), stemmer),
        }
    }

    fn add(&mut self, word: Cow<'d, str>, stemmer: Option<&Stemmer>) -> u32 {
        let stem = stemmer.map_or_else(|| word.to_string(), |s| s.stem(&word).into());
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
        self.holders.push(0);
        self.ids.insert(word, id);
        id
    }
}

/// An ASCII word of up to 16 bytes (found in `text`) as one number: its lowercase bytes,
/// little-endian, zeros after (no word holds a zero byte, so two words have the same key
/// only if they are the same lowercase word).
fn short_key(text: &[u8], word: text::Word) -> Option<u128> {
    const WIDE: usize = 16;
    let len = word.text.len();
    if !word.ascii || len > WIDE {
        return None;
    }
    let mut bytes = [0u8; WIDE];
    match text.get(word.start..word.start + WIDE) {
        // Loaded whole and cut to the word: no copy of a length known only now.
        Some(wide) => bytes.copy_from_slice(wide),
        None => bytes[..len].copy_from_slice(word.text.as_bytes()),
    }
    // The word's bytes kept, the rest zeroed (a table: a shift by a count known only now
    // costs a branch on two 64-bit halves).
    const MASKS: [u128; WIDE + 1] = {
        let mut masks = [u128::MAX; WIDE + 1];
        let mut len = 0;
        while len < WIDE {
            masks[len] = (1u128 << (8 * len)) - 1;
            len += 1;
        }
        masks
    };
    let mut key = u128::from_le_bytes(bytes) & MASKS[len];
    if !word.lowercase {
        // ASCII letters are lowercased by setting the bit 0x20 of those from A to Z.
        let mut lower = key.to_le_bytes();
        for b in &mut lower {
            *b = b.to_ascii_lowercase();
        }
        key = u128::from_le_bytes(lower);
    }
    Some(key)
}

fn docs_table(docs: &[Counted]) -> Docs<'_> {
    let mut table = Docs {
        days: docs.iter().map(|d| d.day).collect(),
        author: BTreeMap::new(),
        tag: BTreeMap::new(),
        section: BTreeMap::new(),
    };
    for (i, doc) in docs.iter().enumerate() {
        let i = i as u32;
        for author in &doc.authors {
            table.author.entry(author.as_str()).or_default().push(i);
        }
        for tag in &doc.tags {
            table.tag.entry(tag.as_str()).or_default().push(i);
        }
        if let Some(section) = &doc.section {
            table.section.entry(section.as_str()).or_default().push(i);
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

/// A fragment as JSON: its fields as serde writes them, then its text (`"text"`, last, as
/// serde would write it there), escaped by [`push_json_str`].
fn fragment_json(doc: &Fragment) -> Vec<u8> {
    let mut bytes = Vec::with_capacity(doc.text.len() + 512);
    serde_json::to_writer(&mut bytes, doc).expect("search files are plain data");
    debug_assert_eq!(bytes.last(), Some(&b'}'));
    bytes.pop();
    bytes.extend_from_slice(b",\"text\":");
    push_json_str(&mut bytes, &doc.text);
    bytes.push(b'}');
    bytes
}

/// Appends `text` as a JSON string, escaped byte for byte as `serde_json` escapes it
/// (`"`, `\\` and control characters; nothing else), but skipping 16 bytes at a time
/// where none needs it: serde_json looks each byte up in a table, and an article's text
/// is most of the index's bytes.
fn push_json_str(out: &mut Vec<u8>, text: &str) {
    const CHUNK: usize = 16;
    let needs = |b: u8| (b < 0x20) | (b == b'"') | (b == b'\\');
    let bytes = text.as_bytes();
    out.reserve(bytes.len() + 2);
    out.push(b'"');
    let mut run = 0;
    for (n, chunk) in bytes.chunks(CHUNK).enumerate() {
        if !chunk.iter().fold(false, |any, &b| any | needs(b)) {
            continue;
        }
        for (i, &b) in chunk.iter().enumerate() {
            if needs(b) {
                let at = n * CHUNK + i;
                out.extend_from_slice(&bytes[run..at]);
                push_escape(out, b);
                run = at + 1;
            }
        }
    }
    out.extend_from_slice(&bytes[run..]);
    out.push(b'"');
}

/// The escape of a byte JSON must escape, as `serde_json` writes it.
fn push_escape(out: &mut Vec<u8>, b: u8) {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    match b {
        b'"' => out.extend_from_slice(b"\\\""),
        b'\\' => out.extend_from_slice(b"\\\\"),
        0x08 => out.extend_from_slice(b"\\b"),
        0x0c => out.extend_from_slice(b"\\f"),
        b'\n' => out.extend_from_slice(b"\\n"),
        b'\r' => out.extend_from_slice(b"\\r"),
        b'\t' => out.extend_from_slice(b"\\t"),
        _ => out.extend_from_slice(&[
            b'\\',
            b'u',
            b'0',
            b'0',
            HEX[usize::from(b >> 4)],
            HEX[usize::from(b & 15)],
        ]),
    }
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
    fn kept_tables_count_a_changed_article_alone_and_give_a_fresh_builds_bytes() {
        let stemmer = Stemmer::create(rust_stemmers::Algorithm::English);
        let before = [
            doc("Rocket launches", "The launch was late; zebras watched."),
            doc("Quiet week", "Nothing launched; markets slept."),
            doc("Other news", "Chips and more chips."),
        ];
        let (files, mut tables) = build_keeping(&before, &[1, 2, 3], Some(&stemmer), 2);
        assert_eq!(files, build(&before, Some(&stemmer), 2));
        // The first article loses "zebras" (a word no other has) and gains "quasars".
        let after = [
            doc("Rocket launches", "The launch was late; quasars watched."),
            doc("Quiet week", "Nothing launched; markets slept."),
            doc("Other news", "Chips and more chips."),
        ];
        tables.replace(0, &after[0], 4, Some(&stemmer));
        assert_eq!(tables.versions().collect::<Vec<_>>(), [4, 2, 3]);
        let fresh = build(&after, Some(&stemmer), 2);
        assert_eq!(tables.files(2), fresh);
        assert!(
            chunk_of(&fresh, "zebras", 2)["words"]
                .get("zebras")
                .is_none()
        );
    }

    #[test]
    fn texts_are_escaped_as_serde_json_escapes_them() {
        // Every ASCII byte, at every place around the 16-byte steps the scan skips by.
        for b in 0u8..0x80 {
            for at in 0..40 {
                let text = format!("{}{}{}é", "a".repeat(at), b as char, "z".repeat(at % 7));
                let mut mine = Vec::new();
                push_json_str(&mut mine, &text);
                assert_eq!(mine, serde_json::to_vec(&text).unwrap(), "{b:#x} at {at}");
            }
        }
        let mut mine = Vec::new();
        push_json_str(&mut mine, "");
        assert_eq!(mine, b"\"\"");
    }

    #[test]
    fn a_fragment_is_written_as_serde_writes_it_with_its_text_last() {
        #[derive(Serialize)]
        struct Whole<'a> {
            #[serde(flatten)]
            doc: &'a Fragment<'a>,
            text: &'a str,
        }
        let mut one = doc("Quotes \"here\"", "She said \"yes\" \\ then\u{1}left.");
        one.description = Some("A \"described\" one");
        one.image = Some(Thumbnail {
            src: "a.webp".into(),
            width: 4,
            height: 3,
            alt: "alt".into(),
        });
        let whole = serde_json::to_vec(&Whole {
            doc: &one,
            text: &one.text,
        })
        .unwrap();
        assert_eq!(
            String::from_utf8(fragment_json(&one)).unwrap(),
            String::from_utf8(whole).unwrap()
        );
    }

    #[test]
    fn short_words_have_one_key_per_lowercase_word() {
        let text = "Chip chip CHIP chips a semiconductors12 semiconductors123 déjà";
        let keys: Vec<Option<u128>> = text::words(text)
            .map(|w| short_key(text.as_bytes(), w))
            .collect();
        assert_eq!(keys[0], keys[1]);
        assert_eq!(keys[1], keys[2]);
        assert_ne!(keys[2], keys[3]);
        assert_eq!(keys[4], Some(u128::from(b'a')));
        assert!(keys[5].is_some(), "16 bytes");
        assert_eq!(keys[6], None, "17 bytes");
        assert_eq!(keys[7], None, "not ASCII");
        // At the end of the text, where 16 bytes cannot be loaded at once.
        let end = "x Chip";
        let last = text::words(end).last().unwrap();
        assert_eq!(short_key(end.as_bytes(), last), keys[0]);
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
