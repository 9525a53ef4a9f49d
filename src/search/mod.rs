//! The `search` stage: the site's search index, made from the articles Gazette already
//! has (no HTML re-parsed), in parts that are built in parallel, kept between builds and
//! reused while their articles stay the same.
//!
//! Articles are spread over parts by their file (a stable hash of `content_path`), about
//! [`PART_TARGET`] to a part; a part's folder is named by a hash of what its articles show,
//! so an edited article makes its own part anew and the rest are carried over — from
//! `.gazette-cache/search/` across builds, where each part is kept as one pack of its
//! files (`<dir>.pack`) and their table (`<dir>.toc`, written last: a part with a table is
//! whole). Hundreds of small files per part would cost more to create than to make: on
//! ext4, creating 15,000 files took longer than indexing 10,000 articles.
//! `search/index.json` lists the parts; `search.js` (the client, served as
//! `search/search.<hash>.js`) fetches for a query word one chunk of each part (its name
//! computed from the word, see `part.rs`) and then the fragments of the results it shows.
//!
//! The stage has two halves: [`Search::plan`] (cheap: which parts, named how) and
//! [`Search::make`] (building the parts the cache lacks, in parallel, and reading the
//! tables of the others), after which [`Search::files`] lists the output files.
//! A session keeps the word tables of the parts it makes after its first commit
//! (`part::Tables`): when one of their articles changes, the part is made again by
//! counting that article alone, to the same bytes as a part made from scratch.
//!
//! Architecture invariants:
//! - Only published articles are indexed: the `Site` holds no others.
//! - The index is a pure function of the articles (and the site's language): the same
//!   content gives the same files, byte for byte, whatever the order parts finish in.
//! - No request leaves the site: fragments carry only local images.

mod part;
pub mod text;

use std::path::{Path, PathBuf};
use std::sync::{Mutex, OnceLock};

use rayon::prelude::*;
use rust_stemmers::{Algorithm, Stemmer};
use serde::Serialize;
use thiserror::Error;

use crate::content::{Article, Site};
use crate::files::{Contents, OutputFile, StaticSource};
use crate::images::Images;

use crate::urls::SEARCH_DIR as DIR;

/// About how many articles a part holds: one edit re-indexes this many.
const PART_TARGET: usize = 500;

/// Articles per word chunk of a part: the fewer, the smaller a query's download, the more
/// files.
const DOCS_PER_CHUNK: usize = 4;

/// How long a part no build uses stays in the cache after it was last made or used.
const PRUNE_GRACE: std::time::Duration = std::time::Duration::from_secs(600);

/// Changes whenever what the files say or how they say it changes. A part's name stands for
/// its bytes — a cached part is reused, and an output file of that name kept, on the name
/// alone — so the name hashes this and the release too.
const FORMAT: u32 = 1;

/// The browser's half.
const SCRIPT: &str = include_str!("search.js");

#[derive(Debug, Error)]
pub enum SearchError {
    #[error("{}: cannot write the search index: {source}", path.display())]
    Write {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{}: cannot read its HTML back from the build's spill file: {source}", path.display())]
    Body {
        path: PathBuf,
        source: std::io::Error,
    },
}

/// The site's search index, as planned (and made).
#[derive(Debug, Default)]
pub struct Search {
    parts: Vec<Part>,
    /// `search/index.json`.
    manifest: Vec<u8>,
    /// Each part's files in its pack, once made: (name, offset, length).
    members: Vec<Vec<(String, u64, u64)>>,
    /// Each part's tables, once made, if a session keeps them (see `part::Tables`).
    tables: Vec<Option<part::Tables>>,
    /// How many articles the last [`Search::make`] counted.
    counted: usize,
}

/// Two plans are equal when they would make the same files.
impl PartialEq for Search {
    fn eq(&self, other: &Search) -> bool {
        self.parts == other.parts && self.manifest == other.manifest
    }
}

#[derive(Debug, PartialEq)]
struct Part {
    /// The part's name in the output and the cache: a hash of its articles' search
    /// versions.
    dir: String,
    /// Indices into the site's articles, newest first.
    articles: Vec<usize>,
    /// Their search versions.
    versions: Vec<u64>,
    chunks: usize,
}

#[derive(Serialize)]
struct Manifest<'a> {
    format: u32,
    language: &'a str,
    stemmed: bool,
    articles: usize,
    parts: Vec<ManifestPart<'a>>,
}

#[derive(Serialize)]
struct ManifestPart<'a> {
    dir: &'a str,
    articles: usize,
    chunks: usize,
}

/// The client's path below the site: named by its contents, so browsers never run an old
/// client against a new index.
pub fn script_path() -> &'static str {
    static PATH: OnceLock<String> = OnceLock::new();
    PATH.get_or_init(|| {
        let hash = crate::hash::fnv1a(SCRIPT.as_bytes());
        format!("{DIR}/search.{:08x}.js", hash as u32)
    })
}

/// The Snowball stemmer for a language tag (`en`, `de-AT`), if there is one.
fn algorithm(language: &str) -> Option<(Algorithm, &'static str)> {
    let primary = language.split(['-', '_']).next()?.to_ascii_lowercase();
    Some(match primary.as_str() {
        "ar" => (Algorithm::Arabic, "arabic"),
        "da" => (Algorithm::Danish, "danish"),
        "nl" => (Algorithm::Dutch, "dutch"),
        "en" => (Algorithm::English, "english"),
        "fi" => (Algorithm::Finnish, "finnish"),
        "fr" => (Algorithm::French, "french"),
        "de" => (Algorithm::German, "german"),
        "el" => (Algorithm::Greek, "greek"),
        "hu" => (Algorithm::Hungarian, "hungarian"),
        "it" => (Algorithm::Italian, "italian"),
        "no" | "nb" | "nn" => (Algorithm::Norwegian, "norwegian"),
        "pt" => (Algorithm::Portuguese, "portuguese"),
        "ro" => (Algorithm::Romanian, "romanian"),
        "ru" => (Algorithm::Russian, "russian"),
        "es" => (Algorithm::Spanish, "spanish"),
        "sv" => (Algorithm::Swedish, "swedish"),
        "ta" => (Algorithm::Tamil, "tamil"),
        "tr" => (Algorithm::Turkish, "turkish"),
        _ => return None,
    })
}

impl Search {
    /// Which parts the site's index has and what they are called: a hash per article, no
    /// text read.
    pub fn plan(site: &Site, images: &Images) -> Search {
        let language = site.config.language.as_str();
        let algorithm = algorithm(language).map(|(_, name)| name.to_string());
        let count = site.articles.len();
        let parts = count.div_ceil(PART_TARGET).max(1).next_power_of_two();
        let mut members: Vec<Vec<usize>> = vec![Vec::new(); parts];
        for (i, a) in site.articles.iter().enumerate() {
            let n = crate::hash::fnv1a(a.content_path.as_bytes()) % parts as u64;
            members[n as usize].push(i);
        }
        let versions: Vec<u64> = site
            .articles
            .par_iter()
            .map(|a| search_version(site, images, a))
            .collect();
        let parts: Vec<Part> = members
            .into_iter()
            .filter(|articles| !articles.is_empty())
            .map(|articles| {
                let of: Vec<u64> = articles.iter().map(|&i| versions[i]).collect();
                let key = crate::hash::named((FORMAT, env!("CARGO_PKG_VERSION"), &algorithm, &of));
                Part {
                    dir: format!("{key:016x}"),
                    chunks: articles.len().div_ceil(DOCS_PER_CHUNK).max(1),
                    articles,
                    versions: of,
                }
            })
            .collect();
        let manifest = Manifest {
            format: FORMAT,
            language,
            stemmed: algorithm.is_some(),
            articles: count,
            parts: parts
                .iter()
                .map(|p| ManifestPart {
                    dir: &p.dir,
                    articles: p.articles.len(),
                    chunks: p.chunks,
                })
                .collect(),
        };
        let manifest = serde_json::to_vec(&manifest).expect("plain data");
        Search {
            parts,
            manifest,
            ..Search::default()
        }
    }

    /// The search files of the site: the list of parts, the client, and every part's files
    /// from the cache (all of them once [`Search::make`] has run).
    pub fn files(&self, cache: &Path) -> Vec<OutputFile> {
        let mut files = vec![
            OutputFile {
                path: format!("{DIR}/index.json"),
                contents: Contents::Rendered(self.manifest.clone()),
            },
            OutputFile {
                path: script_path().to_string(),
                contents: Contents::Static(StaticSource::Embedded(SCRIPT.as_bytes())),
            },
        ];
        for (part, members) in self.parts.iter().zip(&self.members) {
            let pack = cache.join(format!("{}.pack", part.dir));
            for (name, offset, len) in members {
                files.push(OutputFile {
                    path: format!("{DIR}/{}/{name}", part.dir),
                    contents: Contents::Static(StaticSource::Packed {
                        pack: pack.clone(),
                        offset: *offset,
                        len: *len,
                    }),
                });
            }
        }
        files
    }

    /// Builds every part the cache lacks, in parallel, and reads the tables of the
    /// others (or takes them from `previous`, the index this one replaces); returns how
    /// many parts it built. With `keep` (a session's edits), the parts built keep their
    /// tables, and a part whose previous tables are there is made by counting its changed
    /// articles alone.
    pub fn make(
        &mut self,
        site: &Site,
        images: &Images,
        cache: &Path,
        previous: Option<Search>,
        keep: bool,
    ) -> Result<usize, SearchError> {
        let mut previous = previous.unwrap_or_default();
        let old_tables = std::mem::take(&mut previous.tables);
        let known: std::collections::HashMap<&str, &Vec<(String, u64, u64)>> = previous
            .parts
            .iter()
            .zip(&previous.members)
            .map(|(part, members)| (part.dir.as_str(), members))
            .collect();
        // A part's tables go to the part of the same articles, whatever their versions.
        let mut by_articles: std::collections::HashMap<&[usize], part::Tables> = previous
            .parts
            .iter()
            .zip(old_tables)
            .filter_map(|(part, tables)| Some((part.articles.as_slice(), tables?)))
            .collect();
        let reusable: Vec<Mutex<Option<part::Tables>>> = self
            .parts
            .iter()
            .map(|p| Mutex::new(by_articles.remove(p.articles.as_slice())))
            .collect();
        std::fs::create_dir_all(cache).map_err(|e| write_error(cache, e))?;
        let stemmer = algorithm(&site.config.language).map(|(a, _)| Stemmer::create(a));
        let indices: Vec<usize> = (0..self.parts.len()).collect();
        let made = crate::parallel::try_map(&indices, |&n| {
            let part = &self.parts[n];
            let tables = reusable[n].lock().expect("not poisoned").take();
            let members = known
                .get(part.dir.as_str())
                .map(|members| (*members).clone())
                .or_else(|| cached(cache, &part.dir));
            if let Some(members) = members {
                let current = tables.filter(|t| t.versions().eq(part.versions.iter().copied()));
                return Ok((members, current, 0));
            }
            let (files, tables, counted) =
                part_files(site, images, part, tables, keep, stemmer.as_ref())?;
            Ok((write_pack(cache, &part.dir, files)?, tables, counted))
        })?;
        self.counted = made.iter().map(|(_, _, counted)| counted).sum();
        let built = made.iter().filter(|(_, _, counted)| *counted > 0).count();
        (self.members, self.tables) = made.into_iter().map(|(m, t, _)| (m, t)).unzip();
        Ok(built)
    }

    /// How many articles the last [`Search::make`] counted (an edit's: the articles that
    /// changed, when their part's tables were kept).
    pub fn counted(&self) -> usize {
        self.counted
    }

    /// Removes from the cache every part this index does not use, unless made or used
    /// within [`PRUNE_GRACE`]: `serve` (with drafts) and `build` (without) use different
    /// parts of one cache, and a build reads its parts' packs after making the index.
    pub fn prune(&self, cache: &Path) {
        let Ok(entries) = std::fs::read_dir(cache) else {
            return;
        };
        let used: std::collections::HashSet<&str> =
            self.parts.iter().map(|p| p.dir.as_str()).collect();
        for entry in entries.flatten() {
            let name = entry.file_name();
            let part = name.to_str().and_then(|n| n.split('.').next());
            if part.is_some_and(|n| used.contains(n)) {
                continue;
            }
            // A part's pack says when it was last made or used (its table goes with it);
            // anything else (a write under way, or one a killed build left) is judged by
            // its own age.
            let judged = match part {
                Some(n) if !n.is_empty() => cache.join(format!("{n}.pack")),
                _ => entry.path(),
            };
            let recent = std::fs::metadata(judged)
                .and_then(|m| m.modified())
                .ok()
                .and_then(|t| t.elapsed().ok())
                .is_some_and(|age| age < PRUNE_GRACE);
            if !recent {
                let _ = std::fs::remove_file(entry.path());
            }
        }
    }
}

/// The members of a cached part, if its table is there and makes sense.
fn read_toc(path: &Path) -> Option<Vec<(String, u64, u64)>> {
    let bytes = std::fs::read(path).ok()?;
    serde_json::from_slice(&bytes).ok()
}

fn write_error(path: &Path, source: std::io::Error) -> SearchError {
    SearchError::Write {
        path: path.to_path_buf(),
        source,
    }
}

/// The members of the part `dir` in the cache, if it is whole there (and marks it used).
fn cached(cache: &Path, dir: &str) -> Option<Vec<(String, u64, u64)>> {
    let toc = cache.join(format!("{dir}.toc"));
    let pack_file = cache.join(format!("{dir}.pack"));
    // A table whose pack is gone or of another size (a cache tampered with) is not
    // trusted: the part is made again.
    let members = read_toc(&toc)?;
    let len: u64 = members.iter().map(|(_, _, len)| len).sum();
    if !std::fs::metadata(&pack_file).is_ok_and(|m| m.len() == len) {
        return None;
    }
    // In use again: another process's prune leaves it alone for a while.
    let _ = std::fs::File::options()
        .write(true)
        .open(&pack_file)
        .and_then(|f| f.set_modified(std::time::SystemTime::now()));
    Some(members)
}

/// A part's files, counting only the articles whose versions changed when its `tables`
/// are kept, else all of them (keeping tables if `keep`); with the tables and how many
/// articles were counted.
fn part_files(
    site: &Site,
    images: &Images,
    part: &Part,
    tables: Option<part::Tables>,
    keep: bool,
    stemmer: Option<&Stemmer>,
) -> Result<(part::Files, Option<part::Tables>, usize), SearchError> {
    if let Some(mut tables) = tables {
        let old: Vec<u64> = tables.versions().collect();
        let mut counted = 0;
        for (at, (&i, &version)) in part.articles.iter().zip(&part.versions).enumerate() {
            if old[at] != version {
                let doc = fragment(site, images, &site.articles[i])?;
                tables.replace(at, &doc, version, stemmer);
                counted += 1;
            }
        }
        return Ok((tables.files(part.chunks), Some(tables), counted));
    }
    let fragments: Vec<part::Fragment> = part
        .articles
        .par_iter()
        .map(|&i| fragment(site, images, &site.articles[i]))
        .collect::<Result<_, _>>()?;
    let counted = fragments.len();
    if keep {
        let (files, tables) = part::build_keeping(&fragments, &part.versions, stemmer, part.chunks);
        return Ok((files, Some(tables), counted));
    }
    Ok((part::build(&fragments, stemmer, part.chunks), None, counted))
}

/// Writes a part's files to the cache as one pack, then its table; returns the members.
fn write_pack(
    cache: &Path,
    dir: &str,
    files: part::Files,
) -> Result<Vec<(String, u64, u64)>, SearchError> {
    let toc = cache.join(format!("{dir}.toc"));
    let pack_file = cache.join(format!("{dir}.pack"));
    let mut pack = Vec::with_capacity(files.iter().map(|(_, b)| b.len()).sum());
    let mut members = Vec::with_capacity(files.len());
    for (name, bytes) in files {
        members.push((name, pack.len() as u64, bytes.len() as u64));
        pack.extend_from_slice(&bytes);
    }
    // The pack first, its table last: a part whose table is there is whole.
    crate::files::write_whole(&pack_file, &pack).map_err(|e| write_error(&pack_file, e))?;
    let table = serde_json::to_vec(&members).expect("plain data");
    crate::files::write_whole(&toc, &table).map_err(|e| write_error(&toc, e))?;
    Ok(members)
}

/// A hash of everything an article's part shows of it.
fn search_version(site: &Site, images: &Images, a: &Article) -> u64 {
    let authors: Vec<&str> = a
        .authors
        .iter()
        .map(|l| site.authors[l.at()].name.as_str())
        .collect();
    let tags: Vec<&str> = a
        .tags
        .iter()
        .map(|l| site.tags[l.at()].name.as_str())
        .collect();
    let section = a.section.as_ref().map(|l| &site.sections[l.at()].title);
    crate::hash::named((
        a.version,
        a.date,
        // Dates show in the site's zone.
        site.config.timezone.0.name(),
        a.permalink.path(),
        authors,
        tags,
        section,
        images.version_for(a),
    ))
}

/// What a search result shows of an article, and the text it is found by.
fn fragment<'a>(
    site: &'a Site,
    images: &Images,
    a: &'a Article,
) -> Result<part::Fragment<'a>, SearchError> {
    let html = a.html.text().map_err(|source| SearchError::Body {
        path: a.source.clone(),
        source,
    })?;
    let image = images.lead(a).and_then(|p| {
        let smallest = p
            .webp()
            .min_by_key(|v| v.width)
            .or_else(|| p.own().min_by_key(|v| v.width))?;
        Some(part::Thumbnail {
            src: smallest.url_path.clone(),
            width: smallest.width,
            height: smallest.height,
            alt: a
                .image
                .as_ref()
                .and_then(|i| i.alt.clone())
                .unwrap_or_default(),
        })
    });
    Ok(part::Fragment {
        url: a.permalink.path().to_string(),
        title: &a.title,
        date: site
            .config
            .timezone
            .local(&a.date)
            .format("%Y-%m-%d")
            .to_string(),
        display_date: site
            .config
            .timezone
            .local(&a.date)
            .format("%-d %B %Y")
            .to_string(),
        authors: a
            .authors
            .iter()
            .map(|l| site.authors[l.at()].name.as_str())
            .collect(),
        tags: a
            .tags
            .iter()
            .map(|l| site.tags[l.at()].name.as_str())
            .collect(),
        section: a
            .section
            .as_ref()
            .map(|l| site.sections[l.at()].title.as_str()),
        description: a.description.as_deref(),
        image,
        text: crate::text::html_text(&html),
        day: a.date.date_naive().to_epoch_days() as i64,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prune_keeps_what_is_used_and_what_was_used_lately() {
        let cache = tempfile::tempdir().unwrap();
        let old = std::time::SystemTime::now() - 2 * PRUNE_GRACE;
        for (part, age) in [
            ("used", old),
            ("recent", std::time::SystemTime::now()),
            ("stale", old),
        ] {
            for ext in ["pack", "toc"] {
                let path = cache.path().join(format!("{part}.{ext}"));
                std::fs::write(&path, b"x").unwrap();
                if ext == "pack" {
                    let file = std::fs::File::options().write(true).open(&path).unwrap();
                    file.set_modified(age).unwrap();
                }
            }
        }
        let search = Search {
            parts: vec![Part {
                dir: "used".into(),
                articles: vec![0],
                versions: vec![0],
                chunks: 1,
            }],
            ..Search::default()
        };
        search.prune(cache.path());
        let mut left: Vec<String> = std::fs::read_dir(cache.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        left.sort();
        assert_eq!(left, ["recent.pack", "recent.toc", "used.pack", "used.toc"]);
    }

    #[test]
    fn languages_with_a_stemmer_get_it_by_their_primary_tag() {
        assert_eq!(algorithm("en").map(|a| a.1), Some("english"));
        assert_eq!(algorithm("de-AT").map(|a| a.1), Some("german"));
        assert_eq!(algorithm("pt_BR").map(|a| a.1), Some("portuguese"));
        assert_eq!(algorithm("ja").map(|a| a.1), None);
    }
}
