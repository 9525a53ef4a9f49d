//! The `import` stage: `seeds/*.txt` (scraped articles) → `content/<slug>.md` and
//! `content/authors/<slug>.md`.
//!
//! Seeds are parsed in parallel; writing is sequential and deterministic (seed file name
//! order). Architecture invariants:
//! - Nothing of an article is lost: every line that is not chrome lands in the front matter,
//!   the body or an author profile.
//! - Hand edits win. Each imported file records a checksum of what the importer wrote; a
//!   file whose text no longer matches it (or that has none) is never overwritten without
//!   `--force`. Author profiles are never overwritten at all.
//! - Idempotent: an unchanged seed rewrites nothing.

mod chrome;
mod dateline;
pub(crate) mod emit;
pub mod migrate;
mod owned;
mod parse;
mod tags;

use std::path::{Path, PathBuf};

use chrono::{DateTime, NaiveDateTime, SecondsFormat, Utc};
use rayon::prelude::*;
use thiserror::Error;

use crate::config::Config;
use crate::content::AUTHORS_DIR;
use crate::content::frontmatter::write::FrontMatterWriter;
use crate::hash::fnv1a;
use crate::paths::SitePaths;
use crate::urls::slug::slugify;
use owned::Found;
use parse::{ParseError, SeedArticle};

/// Longest description, in characters.
const DESCRIPTION_LIMIT: usize = 200;

#[derive(Debug, Error)]
pub enum ImportError {
    #[error("{}: cannot read: {source}", path.display())]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{}: cannot write: {source}", path.display())]
    Write {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{}: {reason}", path.display())]
    BadSeed { path: PathBuf, reason: String },
    /// Another site's archive that cannot be read (the path may carry `:line:column`).
    #[error("{}: {reason}", path.display())]
    BadSource { path: PathBuf, reason: String },
    #[error("{} and {} both import to {}: change one of their titles", first.display(), second.display(), target.display())]
    SameTarget {
        first: PathBuf,
        second: PathBuf,
        target: PathBuf,
    },
    #[error("{}", .0.iter().map(ToString::to_string).collect::<Vec<_>>().join("\n"))]
    Many(Vec<ImportError>),
    /// The site's content folder, read to know what is there already.
    #[error(transparent)]
    Content(#[from] crate::content::ContentError),
}

#[derive(Debug, Clone, Copy, Default)]
pub struct ImportOptions {
    /// Overwrite hand-edited content files.
    pub force: bool,
    /// Write nothing: only report what an import would do.
    pub dry_run: bool,
}

/// What an import run did.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct ImportReport {
    pub imported: usize,
    pub unchanged: usize,
    pub kept: usize,
    pub warnings: Vec<String>,
}

impl std::fmt::Display for ImportReport {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "imported {}, unchanged {}, kept {} hand-edited",
            self.imported, self.unchanged, self.kept
        )
    }
}

/// One seed, parsed and rendered to the files it should become.
struct Planned {
    /// The seed (empty for an article of another site's archive).
    seed: PathBuf,
    /// The seed's path, or where in another site's archive the article came from.
    origin: String,
    /// What the stamp names as its source (`seeds/a.txt`; the origin, for an archive).
    provenance: String,
    target: PathBuf,
    text: String,
    seed_hash: u64,
    profiles: Vec<(PathBuf, String)>,
}

/// Imports every seed of the site's seeds folder into its content folder.
pub fn run(
    paths: &SitePaths,
    config: &Config,
    options: ImportOptions,
) -> Result<ImportReport, ImportError> {
    let content_dir = paths.content.clone();
    let seeds = seed_files(&paths.seeds)?;
    let results: Vec<Result<Planned, ImportError>> = seeds
        .par_iter()
        .map(|seed| plan(seed, &content_dir, config, &Place::Headline))
        .collect();
    let mut errors = Vec::new();
    let mut planned = Vec::new();
    for r in results {
        match r {
            Ok(p) => planned.push(p),
            Err(e) => errors.push(e),
        }
    }
    // Seeds are raw data a newsroom cannot always edit: of seeds with one headline, the
    // first (in file name order) keeps its slug and each later one gets a slug of its
    // own, suffixed by its file name's checksum so that it stays the same on re-imports
    // whatever other seeds come or go.
    let mut notes = Vec::new();
    let mut first_by_target: std::collections::HashMap<PathBuf, PathBuf> =
        std::collections::HashMap::new();
    for p in &mut planned {
        let Some(first) = first_by_target.get(&p.target) else {
            first_by_target.insert(p.target.clone(), p.seed.clone());
            continue;
        };
        let replanned = plan(&p.seed, &content_dir, config, &Place::Suffixed(1))?;
        notes.push(format!(
            "{}: has the headline of {}; imported as {}",
            p.origin,
            first.display(),
            replanned.target.display()
        ));
        *p = replanned;
    }
    place_by_owner(&mut planned, &content_dir, config, &mut notes)?;
    let mut by_target: std::collections::HashMap<&Path, &Path> = std::collections::HashMap::new();
    for p in &planned {
        if let Some(first) = by_target.insert(&p.target, &p.seed) {
            errors.push(ImportError::SameTarget {
                first: first.to_path_buf(),
                second: p.seed.clone(),
                target: p.target.clone(),
            });
        }
    }
    if !errors.is_empty() {
        return Err(if errors.len() == 1 {
            errors.remove(0)
        } else {
            ImportError::Many(errors)
        });
    }

    if !options.dry_run {
        for dir in [content_dir.clone(), content_dir.join(AUTHORS_DIR)] {
            std::fs::create_dir_all(&dir)
                .map_err(|source| ImportError::Write { path: dir, source })?;
        }
    }
    // Targets are unique (checked above), so articles can be written in parallel; the
    // report is gathered in seed order so its warnings are deterministic.
    let outcomes: Vec<Outcome> = planned
        .par_iter()
        .map(|p| write_article(p, options))
        .collect::<Result<_, _>>()?;
    let mut report = ImportReport {
        warnings: notes,
        ..ImportReport::default()
    };
    for outcome in outcomes {
        match outcome {
            Outcome::Imported => report.imported += 1,
            Outcome::Unchanged => report.unchanged += 1,
            Outcome::Kept(warning) => {
                report.kept += 1;
                report.warnings.extend(warning);
            }
        }
    }
    // The first seed (in file name order) to bring an author's bio writes the profile.
    let mut seen = std::collections::HashSet::new();
    let profiles: Vec<&(PathBuf, String)> = planned
        .iter()
        .flat_map(|p| &p.profiles)
        .filter(|(path, _)| seen.insert(path))
        .collect();
    if !options.dry_run {
        profiles
            .par_iter()
            .filter(|(path, _)| !path.exists())
            .try_for_each(|(path, text)| write_file(path, text))?;
    }
    Ok(report)
}

/// Puts each planned article where its own file is: an earlier import of it that was
/// moved by hand is found by its provenance and updated (or kept) where it is now; where
/// the site has a file of its own at its place, it gets a suffixed name instead.
fn place_by_owner(
    planned: &mut [Planned],
    content_dir: &Path,
    config: &Config,
    notes: &mut Vec<String>,
) -> Result<(), ImportError> {
    let targets: Vec<&Path> = planned.iter().map(|p| p.target.as_path()).collect();
    let found = owned::survey(&targets)?;
    let ours = |p: &Planned, f: &Found| matches!(f, Found::Imported(stamp) if stamp.provenance == owned::shown(&p.provenance));
    // Where the site's own file is in the way: the first suffixed name free of its files,
    // which is the article's own after the first import.
    let mut instead: Vec<Option<Planned>> = Vec::with_capacity(planned.len());
    for (p, found) in planned.iter().zip(&found) {
        instead.push(if *found == Found::Foreign {
            Some(free_name(p, content_dir, config)?)
        } else {
            None
        });
    }
    let settled = |p: &Planned, found: &Found, instead: &Option<Planned>| {
        ours(p, found)
            || instead
                .as_ref()
                .is_some_and(|i| owned::look_at(&i.target).is_ok_and(|f| ours(i, &f)))
    };
    let mut wanted = std::collections::HashMap::new();
    for ((p, found), instead) in planned.iter().zip(&found).zip(&instead) {
        if !settled(p, found, instead) {
            let name = p.target.file_name().unwrap_or_default();
            wanted.insert(
                owned::shown(&p.provenance),
                name.to_string_lossy().into_owned(),
            );
        }
    }
    let moved = owned::find_moved(content_dir, &wanted)?;
    for ((p, found), instead) in planned.iter_mut().zip(found).zip(instead) {
        if ours(p, &found) {
            continue;
        }
        if let Some(file) = moved.get(&owned::shown(&p.provenance)) {
            *p = plan(&p.seed, content_dir, config, &Place::At(file.clone()))?;
            continue;
        }
        if let Some(instead) = instead {
            notes.push(format!(
                "{}: would be {}, a file the importer did not write; imported as {}",
                p.origin,
                p.target.display(),
                instead.target.display()
            ));
            *p = instead;
        }
    }
    Ok(())
}

/// `p` at the first suffixed name that is not a file of the site's own.
fn free_name(p: &Planned, content_dir: &Path, config: &Config) -> Result<Planned, ImportError> {
    for n in 1..=MAX_SUFFIXES {
        let candidate = plan(&p.seed, content_dir, config, &Place::Suffixed(n))?;
        if candidate.target != p.target && owned::look_at(&candidate.target)? != Found::Foreign {
            return Ok(candidate);
        }
    }
    Err(ImportError::BadSeed {
        path: p.seed.clone(),
        reason: format!(
            "{} and {MAX_SUFFIXES} suffixed names beside it are files of the site's own: rename them",
            p.target.display()
        ),
    })
}

/// How many suffixed names an article tries when others have its name.
const MAX_SUFFIXES: usize = 100;

enum Outcome {
    Imported,
    Unchanged,
    /// Hand-edited and kept, with a warning when the seed changed since.
    Kept(Option<String>),
}

fn seed_files(dir: &Path) -> Result<Vec<PathBuf>, ImportError> {
    if !dir.is_dir() {
        return Ok(Vec::new());
    }
    let mut seeds = Vec::new();
    let entries = std::fs::read_dir(dir).map_err(|source| ImportError::Read {
        path: dir.to_path_buf(),
        source,
    })?;
    for entry in entries {
        let entry = entry.map_err(|source| ImportError::Read {
            path: dir.to_path_buf(),
            source,
        })?;
        let path = entry.path();
        // The entry's type comes with the listing; only symlinks need a `stat`.
        let is_file = match entry.file_type() {
            Ok(t) if t.is_symlink() => path.is_file(),
            Ok(t) => t.is_file(),
            Err(_) => false,
        };
        if is_file && path.extension().is_some_and(|e| e == "txt") {
            seeds.push(path);
        }
    }
    seeds.sort();
    Ok(seeds)
}

/// Decodes a seed: UTF-8 with or without BOM; binary files and other encodings refused.
fn decode(bytes: Vec<u8>, path: &Path) -> Result<String, ImportError> {
    let bad = |reason: &str| ImportError::BadSeed {
        path: path.to_path_buf(),
        reason: reason.to_string(),
    };
    if bytes.contains(&0) {
        return Err(bad("this is a binary file, not a text seed"));
    }
    let text = String::from_utf8(bytes).map_err(|e| {
        bad(&format!(
            "not valid UTF-8 (byte {} is not part of a UTF-8 character); save the seed as UTF-8",
            e.utf8_error().valid_up_to()
        ))
    })?;
    // ASCII control bytes other than line breaks and tabs mark a binary file.
    // Branch-free, and summed in bytes per chunk of 255, so the compiler vectorizes this
    // scan of every seed byte.
    let is_control = |b: u8| {
        u8::from(
            (b < 0x20) & (b != b'\n') & (b != b'\r') & (b != b'\t') & (b != 0x0c) | (b == 0x7f),
        )
    };
    let controls: usize = text
        .as_bytes()
        .chunks(255)
        .map(|chunk| usize::from(chunk.iter().map(|&b| is_control(b)).sum::<u8>()))
        .sum();
    if controls > 0 && controls * 20 > text.len() {
        return Err(bad("this looks like a binary file, not a text seed"));
    }
    Ok(text
        .strip_prefix('\u{feff}')
        .map(str::to_string)
        .unwrap_or(text))
}

/// Where a seed's article goes.
enum Place {
    /// `content/<slug of its headline>.md`.
    Headline,
    /// The same with the seed's suffix (the `n`th: another seed has the headline, or the
    /// site has a file of its own there).
    Suffixed(usize),
    /// Where an earlier import of it was moved by hand.
    At(PathBuf),
}

/// A suffix for a slug that another article has: a checksum of what the article came from,
/// so it stays the same on re-imports whatever else comes or goes; the `n`th (from 1) for
/// the rare one taken too.
fn suffix_of(origin: &[u8], n: usize) -> String {
    let suffix = format!("{:06x}", fnv1a(origin) & 0xff_ffff);
    if n > 1 {
        format!("{suffix}-{n}")
    } else {
        suffix
    }
}

/// Plans one seed's content file at `place`.
fn plan(
    seed: &Path,
    content_dir: &Path,
    config: &Config,
    place: &Place,
) -> Result<Planned, ImportError> {
    let bytes = std::fs::read(seed).map_err(|source| ImportError::Read {
        path: seed.to_path_buf(),
        source,
    })?;
    let seed_hash = fnv1a(&bytes);
    let text = decode(bytes, seed)?;
    let article = parse::parse(&text).map_err(|e| ImportError::BadSeed {
        path: seed.to_path_buf(),
        reason: match e {
            ParseError::Empty => "the seed is empty".into(),
            ParseError::NoTitle => {
                "the seed has no title (no line with text that is not site chrome)".into()
            }
        },
    })?;
    let mut slug = slugify(&article.title);
    if slug.is_empty() {
        return Err(ImportError::BadSeed {
            path: seed.to_path_buf(),
            reason: format!(
                "the title {:?} has no letters or digits to make a URL from",
                article.title
            ),
        });
    }
    let file_name = seed
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    if let Place::Suffixed(n) = place {
        slug = format!("{slug}-{}", suffix_of(file_name.as_bytes(), *n));
    }
    let target = match place {
        Place::At(file) => file.clone(),
        _ => content_dir.join(format!("{slug}.md")),
    };
    let provenance = format!("{}/{file_name}", config.seeds_dir.display()).replace('\\', "/");
    let date = match article.date {
        Some(d) => DateValue::Seed(d),
        None => DateValue::Kept(existing_date(&target).unwrap_or_else(|| modified_time(seed))),
    };
    let text = article_file(&article, &date, &provenance, seed_hash, config);
    let profiles = article
        .bios
        .iter()
        .map(|(name, bio)| {
            (
                content_dir
                    .join(AUTHORS_DIR)
                    .join(format!("{}.md", slugify(name))),
                emit::profile(name, bio, "seed", &provenance),
            )
        })
        .collect();
    Ok(Planned {
        seed: seed.to_path_buf(),
        origin: seed.display().to_string(),
        provenance,
        target,
        text,
        seed_hash,
        profiles,
    })
}

enum DateValue {
    /// From the seed's dateline: a local date, or a datetime taken as UTC.
    Seed(NaiveDateTime),
    /// From a previous import or the seed's modification time.
    Kept(String),
}

impl DateValue {
    /// Sets `date`. A kept date that is no TOML value (an earlier file broken by hand, which
    /// was copied as it was and so broke the new file too) becomes 1970-01-01, which the
    /// editor sees and fixes.
    fn write(&self, fm: &mut FrontMatterWriter) {
        match self {
            DateValue::Seed(d) => {
                fm.date("date", d.and_utc().fixed_offset());
            }
            DateValue::Kept(s) => {
                if fm.kept("date", s).is_err() {
                    fm.date("date", DateTime::<Utc>::UNIX_EPOCH.fixed_offset());
                }
            }
        }
    }
}

fn modified_time(seed: &Path) -> String {
    let modified = std::fs::metadata(seed)
        .and_then(|m| m.modified())
        .map(DateTime::<Utc>::from)
        .unwrap_or(DateTime::<Utc>::UNIX_EPOCH);
    modified.to_rfc3339_opts(SecondsFormat::Secs, true)
}

/// The `date` line of an earlier import of this article, so that a seed without a
/// dateline keeps the date of its first import.
fn existing_date(target: &Path) -> Option<String> {
    let text = std::fs::read_to_string(target).ok()?;
    text.lines()
        .take_while(|l| !l.starts_with("[extra]"))
        .find_map(|l| l.strip_prefix("date = "))
        .map(str::to_string)
}

fn description(article: &SeedArticle) -> Option<String> {
    let first = article.first_paragraph()?;
    if first.chars().count() <= DESCRIPTION_LIMIT {
        return Some(first.to_string());
    }
    // Cut at the last sentence end within the limit, else at a word, with an ellipsis.
    let head: String = first.chars().take(DESCRIPTION_LIMIT).collect();
    let sentence_end = head
        .char_indices()
        .filter(|(i, c)| matches!(c, '.' | '!' | '?') && head[i + c.len_utf8()..].starts_with(' '))
        .map(|(i, c)| i + c.len_utf8())
        .next_back();
    Some(match sentence_end {
        Some(end) => head[..end].to_string(),
        None => {
            let cut = head.rfind(' ').unwrap_or(head.len());
            format!("{}…", head[..cut].trim_end_matches([',', ';', ':']))
        }
    })
}

fn article_file(
    article: &SeedArticle,
    date: &DateValue,
    provenance: &str,
    seed_hash: u64,
    config: &Config,
) -> String {
    let tags = tags::derive(
        &article.title,
        &article.body_text(),
        &article.authors,
        &config.import,
    );
    let mut fm = FrontMatterWriter::new();
    fm.string("title", &article.title);
    date.write(&mut fm);
    if !article.authors.is_empty() {
        fm.strings("authors", &article.authors);
    }
    if !tags.is_empty() {
        fm.strings("tags", &tags);
    }
    if let Some(d) = description(article) {
        fm.string("description", &d);
    }
    // The credit of the page's image (which the seed does not hold): kept for when an
    // editor adds the image.
    if let Some(credit) = &article.image_credit {
        fm.string("image_credit", credit);
    }
    let mut extra = fm.table("extra");
    extra.string("seed", provenance);
    if !article.related.is_empty() {
        extra.strings("related", &article.related);
    }
    let rest = format!("{}+++\n\n{}", fm.toml(), emit::body(article));
    owned::stamp(provenance, seed_hash, &rest)
}

/// Writes an article's file, unless it is as planned already, or the file there was
/// edited by hand (kept without `--force`), or is not the importer's at all (kept
/// whatever the options: planning gave the article another file, so only a file that
/// appeared since is met here).
fn write_article(p: &Planned, options: ImportOptions) -> Result<Outcome, ImportError> {
    match std::fs::read(&p.target) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
        Err(source) => {
            return Err(ImportError::Read {
                path: p.target.clone(),
                source,
            });
        }
        Ok(existing) => {
            if existing == p.text.as_bytes() {
                return Ok(Outcome::Unchanged);
            }
            let found = std::str::from_utf8(&existing).map_or(Found::Foreign, owned::judge);
            let Found::Imported(stamp) = found else {
                return Ok(Outcome::Kept(Some(format!(
                    "{}: not written by the importer: kept, and {} not imported",
                    p.target.display(),
                    p.origin
                ))));
            };
            if !stamp.intact && !options.force {
                let seed_changed = stamp.seed_hash != Some(p.seed_hash);
                return Ok(Outcome::Kept(seed_changed.then(|| {
                    format!(
                        "{} changed, but {} was edited by hand: kept the edited file (import --force overwrites it)",
                        p.origin,
                        p.target.display()
                    )
                })));
            }
        }
    }
    if !options.dry_run {
        write_file(&p.target, &p.text)?;
    }
    Ok(Outcome::Imported)
}

fn write_file(path: &Path, text: &str) -> Result<(), ImportError> {
    write_bytes(path, text.as_bytes())
}

/// Writes a file whole (never half), making its folder first.
fn write_bytes(path: &Path, bytes: &[u8]) -> Result<(), ImportError> {
    let write = || {
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir)?;
        }
        crate::files::write_whole(path, bytes)
    };
    write().map_err(|source| ImportError::Write {
        path: path.to_path_buf(),
        source,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn descriptions_end_at_a_sentence_within_the_limit() {
        let long = format!(
            "{} Second sentence that runs long. {}",
            "Short one.",
            "x ".repeat(120)
        );
        let article = SeedArticle {
            body: vec![parse::Block::Paragraph(long)],
            ..SeedArticle::default()
        };
        assert_eq!(
            description(&article).unwrap(),
            "Short one. Second sentence that runs long."
        );
        let words = SeedArticle {
            body: vec![parse::Block::Paragraph("word ".repeat(60))],
            ..SeedArticle::default()
        };
        let d = description(&words).unwrap();
        assert!(
            d.ends_with('…') && d.chars().count() <= DESCRIPTION_LIMIT + 1,
            "{d}"
        );
    }

    #[test]
    fn decoding_accepts_bom_and_refuses_binary() {
        assert_eq!(
            decode(b"\xef\xbb\xbfTitle".to_vec(), Path::new("s.txt")).unwrap(),
            "Title"
        );
        assert!(decode(b"\x89PNG\r\n\x1a\n\0\0".to_vec(), Path::new("s.txt")).is_err());
        let err = decode(b"caf\xe9".to_vec(), Path::new("s.txt"))
            .unwrap_err()
            .to_string();
        assert!(err.starts_with("s.txt: not valid UTF-8"), "{err}");
    }
}
