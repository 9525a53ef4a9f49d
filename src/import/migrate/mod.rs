//! `gazette import --from wordpress|hugo|zola|jekyll SOURCE`: another site's archive →
//! `content/` (articles, section indexes, author profiles) and `static/` (its files).
//!
//! Each source has a reader (`wordpress`, `folder`) that turns it into [`Harvest`]: typed
//! [`Entry`] values, the files to copy, and what it skipped with the reason. This module
//! writes a harvest the one way every source shares. Architecture invariants:
//! - Nothing is dropped silently: whatever a reader does not import is a [`Skip`] with its
//!   reason, and syntax of the old site it could not map stays in the text, visibly, and
//!   is counted in a warning naming the file.
//! - Every old URL answers: an old URL that is a folder (`/2014/11/24/x/`) becomes the
//!   article's `path`; any other (`/x.html`, `/?p=12`) an alias, which the build turns
//!   into a redirect. A URL Gazette cannot keep is a warning, never silence.
//! - Hand edits win, as for seeds: an imported file carries the importer's stamp, and a
//!   file that no longer matches it is never overwritten without `--force`; profiles,
//!   section indexes and copied files that exist are never overwritten at all (`--force`
//!   aside for copied files).
//! - Idempotent and deterministic: the same source gives the same files, in source order.

mod bounds;
mod embeds;
mod flow_indent;
mod folder;
mod headings;
mod html;
mod lazy;
mod lists;
mod place;
mod safe_markdown;
mod settings;
mod values;
mod wordpress;
mod wpautop;

pub use lists::{Answer, ListRef, OldList, OldUrl};

use std::collections::{BTreeMap, HashSet};
use std::path::{Path, PathBuf};

use chrono::{DateTime, FixedOffset, SubsecRound, Utc};
use rayon::prelude::*;

use super::emit;
use super::{
    ImportError, ImportOptions, Outcome, Planned, owned, write_article, write_bytes, write_file,
};
use crate::config::Config;
use crate::content::AUTHORS_DIR;
use crate::content::frontmatter::write::FrontMatterWriter;
use crate::paths::SitePaths;
use crate::text::count;
use crate::urls::slug::slugify;
use place::Place;

/// The platforms an archive can come from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Platform {
    Wordpress,
    Hugo,
    Zola,
    Jekyll,
}

impl Platform {
    pub fn name(self) -> &'static str {
        match self {
            Platform::Wordpress => "WordPress",
            Platform::Hugo => "Hugo",
            Platform::Zola => "Zola",
            Platform::Jekyll => "Jekyll",
        }
    }
}

/// What to import, and how.
#[derive(Debug, Clone)]
pub struct Migration {
    pub platform: Platform,
    /// The WXR file (WordPress) or the site folder (the others).
    pub source: PathBuf,
    /// WordPress's `wp-content/uploads` folder, when its files are at hand.
    pub uploads: Option<PathBuf>,
    pub options: ImportOptions,
}

/// One article of the old site, read and typed, before it is written.
#[derive(Debug, Clone, Default)]
pub struct Entry {
    /// Where it came from, for messages and the stamp (`export.xml (post 12)`).
    pub origin: String,
    /// A hash of the source of this entry, recorded in the stamp.
    pub source_hash: u64,
    /// The folder below `content/` (its first segment is the section), `/`-separated.
    pub folder: String,
    pub slug: String,
    pub title: String,
    pub date: Option<DateTime<FixedOffset>>,
    pub updated: Option<DateTime<FixedOffset>>,
    pub draft: bool,
    /// Kept on top by the old site's editor (WordPress's sticky posts).
    pub pinned: bool,
    pub authors: Vec<String>,
    pub tags: Vec<String>,
    pub description: Option<String>,
    pub image: Option<LeadImage>,
    /// The URL the old site published it at: a site-root path, percent-decoded.
    pub url: Option<String>,
    /// Other old URLs that should lead to it.
    pub aliases: Vec<String>,
    /// The Markdown body, made safe.
    pub body: String,
    /// What the sanitizer removed from the body.
    pub unsafe_html: crate::sanitize::Removed,
    /// Files to put beside it (the article becomes a folder): (source, name in folder).
    pub files: Vec<(PathBuf, String)>,
    /// Values of the old front matter Gazette has no key for, kept for templates.
    pub extra: toml::Table,
    /// The source file, for a site folder's pages.
    pub file: Option<SourceFile>,
}

/// A content file of a site folder, where a post without a date finds one.
#[derive(Debug, Clone, Default)]
pub struct SourceFile {
    pub path: PathBuf,
    /// Its path below the old site's content folder, `/`-separated
    /// (`posts/2025/06/26/launch.md`), which may carry a date.
    pub below_content: String,
}

impl Entry {
    /// Whether it is a page (`content/pages/`: "About", "Contact"), not news.
    pub(super) fn is_page(&self) -> bool {
        crate::content::page::is_page_path(&format!("{}/", self.folder))
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LeadImage {
    pub src: String,
    pub alt: Option<String>,
    pub caption: Option<String>,
}

/// Something of the source that is not imported, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Skip {
    pub origin: String,
    pub reason: String,
}

/// An old URL that sent browsers on to another (Jekyll's `redirect_to`) and whose target
/// is no imported article: kept as a redirect page in `static/`, as the old site had it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Redirect {
    pub origin: String,
    /// The old URL: a site-root path.
    pub from: String,
    /// Where it leads: a URL, or a site-root path.
    pub to: String,
}

/// An author the source describes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Profile {
    pub name: String,
    /// Plain text.
    pub bio: Option<String>,
}

/// A section the source describes (`content/<folder>/_index.md`).
#[derive(Debug, Clone, PartialEq)]
pub struct SectionInfo {
    pub folder: String,
    pub title: String,
    pub description: Option<String>,
    /// Markdown shown above the section's list.
    pub intro: String,
    /// Its place in navigation, where the source gives one.
    pub weight: Option<i64>,
    /// The rest of what the source says of it, for templates (`section.extra`).
    pub extra: toml::Table,
}

/// Everything a reader found in the source.
#[derive(Debug, Default, Clone)]
pub struct Harvest {
    /// Where the source said it was (the provenance in stamps and profiles).
    pub label: String,
    pub entries: Vec<Entry>,
    pub skipped: Vec<Skip>,
    pub profiles: Vec<Profile>,
    pub sections: Vec<SectionInfo>,
    /// Files for `static/`: (source, path below `static/`, `/`-separated).
    pub statics: Vec<(PathBuf, String)>,
    /// Redirects to other sites, written as redirect pages into `static/`.
    pub redirects: Vec<Redirect>,
    /// The old site's lists and feeds (its home page's feeds, categories, tags, authors).
    pub lists: Vec<OldList>,
    pub warnings: Vec<String>,
    /// The old site's title, description and language.
    pub site: settings::SiteSettings,
}

/// What an import from another platform did (or, dry, would do).
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct MigrationReport {
    pub dry_run: bool,
    pub articles: usize,
    pub drafts: usize,
    pub scheduled: usize,
    pub written: usize,
    pub unchanged: usize,
    pub kept: usize,
    pub skipped: Vec<Skip>,
    pub files_copied: usize,
    pub files_unchanged: usize,
    pub files_kept: usize,
    pub urls_kept: usize,
    /// Old URLs of lists and feeds made aliases of Gazette's.
    pub list_urls_kept: usize,
    pub profiles_written: usize,
    pub sections_written: usize,
    /// What became of the old site's settings (none when it has none).
    pub settings: Option<settings::Applied>,
    /// Articles without a date in the source, dated by their URL or file name.
    pub dated_by_path: usize,
    pub warnings: Vec<String>,
    /// Every old URL the source knows of, with what should answer it now: the articles'
    /// (but drafts' and scheduled ones'), and the lists' and feeds'.
    pub old_urls: Vec<OldUrl>,
}

impl std::fmt::Display for MigrationReport {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let (verb, written, copied) = if self.dry_run {
            ("would import", "to write", "to copy")
        } else {
            ("imported", "written", "copied")
        };
        writeln!(
            f,
            "{verb} {} ({}, {} scheduled): {} {written}, {} unchanged, {} kept hand-edited",
            count(self.articles, "article", "articles"),
            count(self.drafts, "draft", "drafts"),
            self.scheduled,
            self.written,
            self.unchanged,
            self.kept
        )?;
        writeln!(
            f,
            "files: {} {copied}, {} unchanged, {} kept; URLs kept: {}; author profiles {written}: {}; section indexes {written}: {}",
            self.files_copied,
            self.files_unchanged,
            self.files_kept,
            self.urls_kept,
            self.profiles_written,
            self.sections_written
        )?;
        if self.list_urls_kept > 0 {
            writeln!(
                f,
                "old URLs of lists and feeds kept: {}",
                self.list_urls_kept
            )?;
        }
        if let Some(settings) = &self.settings {
            writeln!(f, "{settings}")?;
        }
        if self.dated_by_path > 0 {
            writeln!(
                f,
                "dated by their URL or file name (no date in the source): {}",
                self.dated_by_path
            )?;
        }
        write!(f, "skipped: {}", self.skipped.len())?;
        for skip in &self.skipped {
            write!(f, "\n  {}: {}", skip.origin, skip.reason)?;
        }
        Ok(())
    }
}

/// The stack each reading thread gets: the main thread's 8 MiB, not rayon's 2. htmd walks
/// a post's HTML recursively, and at the depth [`crate::nesting`] lets through an
/// unoptimized build needs more than 2 MiB (about 4 KiB a level of nested tables).
const READER_STACK: usize = 8 << 20;

/// Reads the source: everything it holds, nothing written yet. The readers run on threads
/// of [`READER_STACK`].
pub fn read(migration: &Migration) -> Result<Harvest, ImportError> {
    let read = || match migration.platform {
        Platform::Wordpress => wordpress::read(&migration.source, migration.uploads.as_deref()),
        platform => folder::read(platform, &migration.source),
    };
    match rayon::ThreadPoolBuilder::new()
        .stack_size(READER_STACK)
        .build()
    {
        Ok(pool) => pool.install(read),
        // No threads to be had: the shared pool, as everything else.
        Err(_) => read(),
    }
}

/// Whether an import copies the source's files (an import into a scratch copy of the
/// site, to see which URLs answer, needs its content files only).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Files {
    Copy,
    Skip,
}

/// Writes what a source holds into the site.
pub fn write(
    paths: &SitePaths,
    config: &Config,
    mut harvest: Harvest,
    options: ImportOptions,
    files: Files,
) -> Result<MigrationReport, ImportError> {
    let lists = std::mem::take(&mut harvest.lists);
    if files == Files::Skip {
        harvest.statics.clear();
    }
    let mut report = write_articles(paths, config, harvest, options, files)?;
    let lists = lists::write(paths, lists, options)?;
    report.list_urls_kept = lists.aliases;
    report.warnings.extend(lists.warnings);
    report.old_urls.extend(lists.old_urls);
    Ok(report)
}

/// One entry, placed: its content file and text.
struct Placed {
    planned: Planned,
    files: Vec<(PathBuf, PathBuf)>,
    urls: usize,
    draft: bool,
    scheduled: bool,
}

fn write_articles(
    paths: &SitePaths,
    config: &Config,
    harvest: Harvest,
    options: ImportOptions,
    files: Files,
) -> Result<MigrationReport, ImportError> {
    let Harvest {
        label,
        mut entries,
        skipped,
        profiles,
        sections,
        statics,
        redirects,
        lists: _,
        mut warnings,
        site,
    } = harvest;
    let now = Utc::now();
    let content = &paths.content;
    // Undated entries are dated before they are placed: the first published keeps a URL
    // two want.
    let dated_by_path = date_undated(content, &mut entries, &mut warnings);
    let section_folders: Vec<String> = sections.iter().map(|s| s.folder.clone()).collect();
    let places = place::place(
        content,
        config,
        &mut entries,
        &section_folders,
        options,
        &mut warnings,
    )?;
    place::link_short(&mut entries, &places);
    let (placed, old_urls) = place_entries(content, entries, places, now, &mut warnings);
    let mut report = MigrationReport {
        dry_run: options.dry_run,
        articles: placed.len(),
        drafts: placed.iter().filter(|p| p.draft).count(),
        scheduled: placed.iter().filter(|p| p.scheduled).count(),
        skipped,
        dated_by_path,
        urls_kept: placed.iter().map(|p| p.urls).sum(),
        old_urls,
        ..MigrationReport::default()
    };
    write_placed(content, &placed, options, &mut report, &mut warnings)?;
    let copies: Vec<(PathBuf, PathBuf)> = placed
        .iter()
        .filter(|_| files == Files::Copy)
        .flat_map(|p| p.files.iter().cloned())
        .chain(statics.into_iter().map(|(from, to)| {
            let target = to
                .split('/')
                .fold(paths.static_files.clone(), |path, part| path.join(part));
            (from, target)
        }))
        .collect();
    copy_files(
        paths,
        &copies,
        &redirects,
        options,
        &mut report,
        &mut warnings,
    )?;
    write_profiles(content, profiles, &label, options, &mut report)?;
    write_sections(content, sections, &label, options, &mut report)?;
    report.settings = settings::apply(&paths.config_file, &site, options.dry_run)?;
    report.warnings = warnings;
    Ok(report)
}

/// Dates the entries the source gave no date (pages need none); how many of them their
/// URL or file name dated.
fn date_undated(content: &Path, entries: &mut [Entry], warnings: &mut Vec<String>) -> usize {
    let mut dated_by_path = 0;
    for entry in entries
        .iter_mut()
        .filter(|e| e.date.is_none() && !e.is_page())
    {
        let target = target_of(content, entry);
        let (date, by_path) = date_of_undated(entry, &target, warnings);
        entry.date = date;
        dated_by_path += usize::from(by_path);
    }
    dated_by_path
}

/// Each entry at its place, with its file's text, and the old URLs that now lead to it.
fn place_entries(
    content: &Path,
    entries: Vec<Entry>,
    places: Vec<Place>,
    now: DateTime<Utc>,
    warnings: &mut Vec<String>,
) -> (Vec<Placed>, Vec<OldUrl>) {
    let mut old_urls = Vec::new();
    let mut placed = Vec::with_capacity(entries.len());
    for (entry, place) in entries.into_iter().zip(places) {
        old_urls.extend(
            old_urls_of(&entry, now)
                .into_iter()
                .map(|(url, origin)| OldUrl {
                    url,
                    origin,
                    answer: Answer::Article(place.target.clone()),
                }),
        );
        let folder = place.target.parent().unwrap_or(content).to_path_buf();
        if !entry.unsafe_html.is_empty() {
            let from = (entry.origin.as_str(), entry.title.as_str());
            warnings.push(unsafe_warning(
                &place.target.display().to_string(),
                Some(from),
                &entry.unsafe_html,
            ));
        }
        let files = entry
            .files
            .iter()
            .map(|(from, name)| (from.clone(), folder.join(name)))
            .collect();
        let text = article_file(&entry, &place, warnings);
        placed.push(Placed {
            draft: entry.draft,
            scheduled: !entry.draft && entry.date.is_some_and(|d| d > now),
            planned: Planned {
                // Not a seed: nothing to plan again from a path.
                seed: PathBuf::new(),
                provenance: entry.origin.clone(),
                origin: entry.origin,
                target: place.target,
                text,
                seed_hash: entry.source_hash,
                profiles: Vec::new(),
            },
            files,
            urls: place.urls_kept,
        });
    }
    (placed, old_urls)
}

/// Writes the articles' files (in parallel), counting what became of each.
fn write_placed(
    content: &Path,
    placed: &[Placed],
    options: ImportOptions,
    report: &mut MigrationReport,
    warnings: &mut Vec<String>,
) -> Result<(), ImportError> {
    if !options.dry_run {
        std::fs::create_dir_all(content).map_err(|source| ImportError::Write {
            path: content.to_path_buf(),
            source,
        })?;
    }
    let outcomes: Vec<Outcome> = placed
        .par_iter()
        .map(|p| write_article(&p.planned, options))
        .collect::<Result<_, _>>()?;
    for outcome in outcomes {
        match outcome {
            Outcome::Imported => report.written += 1,
            Outcome::Unchanged => report.unchanged += 1,
            Outcome::Kept(warning) => {
                report.kept += 1;
                warnings.extend(warning);
            }
        }
    }
    Ok(())
}

/// Copies the source's files (in parallel) and writes the redirect pages, counting what
/// became of each.
fn copy_files(
    paths: &SitePaths,
    copies: &[(PathBuf, PathBuf)],
    redirects: &[Redirect],
    options: ImportOptions,
    report: &mut MigrationReport,
    warnings: &mut Vec<String>,
) -> Result<(), ImportError> {
    let copied: Vec<CopyOutcome> = copies
        .par_iter()
        .map(|(from, to)| copy_file(from, to, options))
        .collect::<Result<_, _>>()?;
    let redirect_pages = redirect_pages(paths, redirects, warnings);
    report.urls_kept += redirect_pages.len();
    let placed_pages: Vec<CopyOutcome> = redirect_pages
        .iter()
        .map(|(bytes, to)| place_bytes(bytes, to, options))
        .collect::<Result<_, _>>()?;
    let copied_and_placed = copied.iter().zip(copies.iter().map(|(_, to)| to)).chain(
        placed_pages
            .iter()
            .zip(redirect_pages.iter().map(|(_, to)| to)),
    );
    for (outcome, to) in copied_and_placed {
        match outcome {
            CopyOutcome::Copied => report.files_copied += 1,
            CopyOutcome::Same => report.files_unchanged += 1,
            CopyOutcome::Kept => {
                report.files_kept += 1;
                warnings.push(format!(
                    "{}: exists with other bytes than the source's: kept (import --force overwrites it)",
                    to.display()
                ));
            }
        }
    }
    Ok(())
}

/// Writes a profile for each author that has none. Names that fold to one slug share a
/// profile: the first writes it, in a dry run too.
fn write_profiles(
    content: &Path,
    profiles: Vec<Profile>,
    label: &str,
    options: ImportOptions,
    report: &mut MigrationReport,
) -> Result<(), ImportError> {
    let mut profile_slugs = HashSet::new();
    for profile in profiles {
        let slug = slugify(&profile.name);
        if slug.is_empty() || !profile_slugs.insert(slug.clone()) {
            continue;
        }
        let path = content.join(AUTHORS_DIR).join(format!("{slug}.md"));
        if path.exists() {
            continue;
        }
        report.profiles_written += 1;
        if !options.dry_run {
            let text = emit::profile(
                &profile.name,
                profile.bio.as_deref().unwrap_or(""),
                "imported_from",
                label,
            );
            write_file(&path, &text)?;
        }
    }
    Ok(())
}

/// Writes each section's index where it has none; pages' folder has no list page.
fn write_sections(
    content: &Path,
    sections: Vec<SectionInfo>,
    label: &str,
    options: ImportOptions,
    report: &mut MigrationReport,
) -> Result<(), ImportError> {
    for section in sections {
        if section.folder == crate::content::page::PAGES_DIR {
            report.skipped.push(Skip {
                origin: label.to_string(),
                reason: format!(
                    "the description of the section {:?}: its articles are pages, which have no list page",
                    section.title
                ),
            });
            continue;
        }
        let path = section
            .folder
            .split('/')
            .fold(content.to_path_buf(), |path, part| path.join(part))
            .join(crate::content::section::INDEX_FILE);
        if path.exists() {
            continue;
        }
        report.sections_written += 1;
        if !options.dry_run {
            write_file(&path, &section_index(section))?;
        }
    }
    Ok(())
}

/// A section's `_index.md`: its title, description, weight and extra, then its intro.
fn section_index(section: SectionInfo) -> String {
    let mut fm = FrontMatterWriter::new();
    fm.string("title", &section.title);
    if let Some(d) = &section.description {
        fm.string("description", d);
    }
    if let Some(weight) = section.weight {
        fm.integer("weight", weight);
    }
    if !section.extra.is_empty() {
        fm.toml_table("extra", section.extra);
    }
    let intro = section.intro.trim();
    if intro.is_empty() {
        fm.file("")
    } else {
        fm.file(&format!("\n{intro}\n"))
    }
}

/// The old URLs of an entry readers could reach (not a draft's, nor a scheduled one's),
/// each with where it came from.
fn old_urls_of(entry: &Entry, now: DateTime<Utc>) -> Vec<(String, String)> {
    if entry.draft || entry.date.is_some_and(|d| d > now) {
        return Vec::new();
    }
    let mut urls: Vec<String> = Vec::new();
    for url in entry.url.iter().chain(&entry.aliases) {
        if !urls.contains(url) {
            urls.push(url.clone());
        }
    }
    urls.into_iter()
        .map(|url| (url, entry.origin.clone()))
        .collect()
}

/// A date for an entry the source gave none, never 1970: the date its old URL or file
/// name carries (`/2025/06/26/…`, `2025-06-26-launch.md`; `true` with it, for the
/// summary), else its last change, else the date an earlier import gave it, else its
/// file's modification time — the last three with a warning, as they are guesses.
fn date_of_undated(
    entry: &Entry,
    target: &Path,
    warnings: &mut Vec<String>,
) -> (Option<DateTime<FixedOffset>>, bool) {
    let paths = entry
        .url
        .iter()
        .chain(&entry.aliases)
        .chain(entry.file.as_ref().map(|f| &f.below_content));
    if let Some(date) = paths.filter_map(|p| date_in_path(p)).next() {
        return (Some(date), true);
    }
    let guess = entry
        .updated
        .map(|d| (d, "its last change"))
        .or_else(|| {
            super::existing_date(target)
                .and_then(|d| values::date(&d))
                .map(|d| (d, "the date its earlier import gave it"))
        })
        .or_else(|| {
            let modified = std::fs::metadata(&entry.file.as_ref()?.path)
                .and_then(|m| m.modified())
                .ok()?;
            Some((
                DateTime::<Utc>::from(modified)
                    .trunc_subsecs(0)
                    .fixed_offset(),
                "its file's modification time",
            ))
        });
    if let Some((date, by)) = guess {
        warnings.push(format!(
            "{}: has no date, nor one in its URL or file name: dated {} by {by} (set `date` in the imported file)",
            entry.origin,
            crate::content::frontmatter::write::date(date)
        ));
        return (Some(date), false);
    }
    (None, false)
}

/// The date a URL or file path carries: year, month and day folders (`/2025/06/26/`), or
/// a name that starts with the date (`2025-06-26-launch.md`, `2025-6-8_launch`).
fn date_in_path(path: &str) -> Option<DateTime<FixedOffset>> {
    let number = |s: &str, digits: std::ops::RangeInclusive<usize>| {
        (digits.contains(&s.len()) && s.bytes().all(|b| b.is_ascii_digit()))
            .then(|| s.parse::<u32>().ok())
            .flatten()
    };
    let date = |y: &str, m: &str, d: &str| {
        let year = i32::try_from(number(y, 4..=4)?).ok()?;
        chrono::NaiveDate::from_ymd_opt(year, number(m, 1..=2)?, number(d, 1..=2)?)
            .and_then(|d| d.and_hms_opt(0, 0, 0))
            .map(|d| d.and_utc().fixed_offset())
    };
    let segments: Vec<&str> = path.split('/').filter(|s| !s.is_empty()).collect();
    for (i, segment) in segments.iter().enumerate() {
        if let [y, m, d, ..] = &segments[i..]
            && let Some(found) = date(y, m, d)
        {
            return Some(found);
        }
        let mut parts = segment.splitn(4, ['-', '_']);
        if let (Some(y), Some(m), Some(d)) = (parts.next(), parts.next(), parts.next()) {
            // The day ends at the name's next separator or extension (`26.md`).
            let d = d.split('.').next().unwrap_or(d);
            if let Some(found) = date(y, m, d) {
                return Some(found);
            }
        }
    }
    None
}

fn target_of(content: &Path, entry: &Entry) -> PathBuf {
    content_file(&entry.folder, &entry.slug, !entry.files.is_empty())
        .split('/')
        .fold(content.to_path_buf(), |path, part| path.join(part))
}

/// An article's file below `content/`, `/`-separated: `<folder>/<slug>.md`, or
/// `<folder>/<slug>/index.md` for an article with files beside it.
fn content_file(folder: &str, slug: &str, bundle: bool) -> String {
    let mut path: String = folder
        .split('/')
        .filter(|s| !s.is_empty())
        .map(|s| format!("{s}/"))
        .collect();
    path.push_str(slug);
    path.push_str(if bundle { "/index.md" } else { ".md" });
    path
}

/// The warning for what the sanitizer removed from an imported text: `file` is where the
/// text went (or, for a section's, came from), `from` the source item and its title. The
/// quotes keep one kind of warning one kind (`cmd::warn_all` counts them together).
fn unsafe_warning(
    file: &str,
    from: Option<(&str, &str)>,
    removed: &crate::sanitize::Removed,
) -> String {
    let unquoted = |text: &str| text.replace('"', "'");
    let source = match from {
        Some((origin, title)) => format!(
            " (from \"{}\", titled \"{}\")",
            unquoted(origin),
            unquoted(title)
        ),
        None => String::new(),
    };
    format!("{file}: the sanitizer left out \"{removed}\"{source}")
}

/// An entry's content file, stamped, with the URLs its place gives it.
fn article_file(entry: &Entry, place: &Place, warnings: &mut Vec<String>) -> String {
    let mut fm = FrontMatterWriter::new();
    fm.string("title", &title_of(entry, warnings));
    // A page needs no date: one it has says when it changed, none is made up.
    let page = entry.is_page();
    let date = date_of(entry, page, warnings);
    if let Some(date) = date {
        fm.date("date", date);
    }
    if let Some(updated) = entry.updated.filter(|u| date.is_none_or(|d| *u > d)) {
        fm.date("updated", updated);
    }
    if let Some(path) = &place.path {
        fm.string("path", path);
    }
    if !place.aliases.is_empty() {
        fm.strings("aliases", &place.aliases);
    }
    if let Some(d) = entry
        .description
        .as_deref()
        .map(str::trim)
        .filter(|d| !d.is_empty())
    {
        fm.string("description", d);
    }
    let mut extra = entry.extra.clone();
    // A page is in no list: its bylines and tags are kept for templates, under [extra].
    for (key, names) in [("authors", &entry.authors), ("tags", &entry.tags)] {
        if names.is_empty() {
            continue;
        }
        if page {
            let list = names.iter().cloned().map(toml::Value::String).collect();
            extra.insert(key.into(), toml::Value::Array(list));
        } else {
            fm.strings(key, names);
        }
    }
    if entry.draft {
        fm.flag("draft", true);
    }
    if entry.pinned && !page {
        fm.flag("pinned", true);
    }
    if let Some(image) = lead_image(entry, &mut extra, warnings) {
        fm.string("image", &image.src);
        if let Some(alt) = &image.alt {
            fm.string("image_alt", alt);
        }
        if let Some(caption) = &image.caption {
            fm.string("image_caption", caption);
        }
    }
    if !extra.is_empty() {
        fm.toml_table("extra", extra);
    }
    let rest = format!("{}+++\n\n{}\n", fm.toml(), entry.body.trim());
    owned::stamp(&entry.origin, entry.source_hash, &rest)
}

/// An entry's title, else (with a warning) its slug.
fn title_of(entry: &Entry, warnings: &mut Vec<String>) -> String {
    if entry.title.trim().is_empty() {
        warnings.push(format!(
            "{}: has no title; titled by its slug",
            entry.origin
        ));
        entry.slug.clone()
    } else {
        entry.title.trim().to_string()
    }
}

/// An entry's date: its own, none for a page without one, else (with a warning) 1970.
fn date_of(entry: &Entry, page: bool, warnings: &mut Vec<String>) -> Option<DateTime<FixedOffset>> {
    match entry.date {
        Some(date) => Some(date),
        None if page => None,
        None => {
            warnings.push(format!(
                "{}: has no date; dated 1970-01-01 (set `date` in the imported file)",
                entry.origin
            ));
            Some(DateTime::<Utc>::UNIX_EPOCH.fixed_offset())
        }
    }
}

/// An entry's lead image, when it is one Gazette reads (feeds and link previews need its
/// size); an SVG or AVIF one is kept in `extra.image`, where an editor finds it.
fn lead_image<'e>(
    entry: &'e Entry,
    extra: &mut toml::Table,
    warnings: &mut Vec<String>,
) -> Option<&'e LeadImage> {
    let image = entry.image.as_ref()?;
    let remote = image.src.starts_with("http://") || image.src.starts_with("https://");
    let readable = remote || {
        let path = image.src.split(['?', '#']).next().unwrap_or("");
        path.rsplit_once('.').is_some_and(|(_, ext)| {
            ["jpg", "jpeg", "png", "webp", "gif"]
                .iter()
                .any(|e| ext.eq_ignore_ascii_case(e))
        })
    };
    if readable {
        return Some(image);
    }
    warnings.push(format!(
        "{}: its lead image {:?} is not JPEG, PNG, WebP or GIF, which a lead image must be: kept in `extra.image`",
        entry.origin, image.src
    ));
    extra.insert("image".into(), toml::Value::String(image.src.clone()));
    None
}

/// Each redirect's page and the file below `static/` it goes to; a redirect whose old URL
/// no file can answer is a warning.
fn redirect_pages(
    paths: &SitePaths,
    redirects: &[Redirect],
    warnings: &mut Vec<String>,
) -> Vec<(Vec<u8>, PathBuf)> {
    let mut pages = Vec::new();
    for redirect in redirects {
        match crate::content::alias_path(&redirect.from) {
            Ok(file) => {
                let target = file
                    .split('/')
                    .fold(paths.static_files.clone(), |path, part| path.join(part));
                pages.push((redirect_page(&redirect.to), target));
            }
            Err(why) => warnings.push(format!(
                "{}: old URL {:?} not kept: {why}",
                redirect.origin, redirect.from
            )),
        }
    }
    pages
}

/// A page that sends a browser on to `to` at once (as jekyll-redirect-from's did), and
/// tells search engines where the page lives now.
fn redirect_page(to: &str) -> Vec<u8> {
    let attr = html_escape::encode_double_quoted_attribute(to);
    let text = html_escape::encode_text(to);
    format!(
        "<!DOCTYPE html>\n<html>\n<head>\n<meta charset=\"utf-8\">\n<title>Redirecting…</title>\n\
         <link rel=\"canonical\" href=\"{attr}\">\n<meta name=\"robots\" content=\"noindex\">\n\
         <meta http-equiv=\"refresh\" content=\"0; url={attr}\">\n</head>\n<body>\n\
         <p>This page has moved to <a href=\"{attr}\">{text}</a>.</p>\n</body>\n</html>\n"
    )
    .into_bytes()
}

/// Writes `bytes` as the site's file `to`, never over a different file (without `--force`).
fn place_bytes(
    bytes: &[u8],
    to: &Path,
    options: ImportOptions,
) -> Result<CopyOutcome, ImportError> {
    if let Ok(existing) = std::fs::read(to) {
        if existing == bytes {
            return Ok(CopyOutcome::Same);
        }
        if !options.force {
            return Ok(CopyOutcome::Kept);
        }
    }
    if !options.dry_run {
        write_bytes(to, bytes)?;
    }
    Ok(CopyOutcome::Copied)
}

enum CopyOutcome {
    Copied,
    Same,
    Kept,
}

/// Copies a file of the source into the site, never over a different file (without
/// `--force`).
fn copy_file(from: &Path, to: &Path, options: ImportOptions) -> Result<CopyOutcome, ImportError> {
    let read = |path: &Path| {
        std::fs::read(path).map_err(|source| ImportError::Read {
            path: path.to_path_buf(),
            source,
        })
    };
    if let Ok(meta) = std::fs::metadata(to) {
        let source_len = std::fs::metadata(from)
            .map_err(|source| ImportError::Read {
                path: from.to_path_buf(),
                source,
            })?
            .len();
        if meta.len() == source_len && read(from)? == read(to)? {
            return Ok(CopyOutcome::Same);
        }
        if !options.force {
            return Ok(CopyOutcome::Kept);
        }
    }
    if options.dry_run {
        return Ok(CopyOutcome::Copied);
    }
    write_bytes(to, &read(from)?)?;
    Ok(CopyOutcome::Copied)
}

/// Tags as the source lists them, first spelling kept, repeats (in any case) dropped.
fn unique(names: impl IntoIterator<Item = String>) -> Vec<String> {
    let mut seen = HashSet::new();
    names
        .into_iter()
        .map(|n| n.trim().to_string())
        .filter(|n| !n.is_empty() && seen.insert(n.to_lowercase()))
        .collect()
}

/// A site-root path with its percent-escapes decoded (hosts serve `/caf%C3%A9/` from the
/// folder `café/`), or `None` when the escapes are not UTF-8.
fn decoded_path(path: &str) -> Option<String> {
    percent_encoding::percent_decode_str(path)
        .decode_utf8()
        .ok()
        .map(|p| p.into_owned())
}

/// A slug for an entry: from what the source calls it, else its title, else `fallback`.
fn slug_of(name: Option<&str>, title: &str, fallback: &str) -> String {
    let decoded = name.and_then(decoded_path);
    [decoded.as_deref(), Some(title)]
        .into_iter()
        .flatten()
        .map(slugify)
        .find(|s| !s.is_empty() && !crate::urls::is_reserved_slug(s))
        .unwrap_or_else(|| slugify(fallback))
}

/// Counts by name, for warnings (`gist ×2, youtube`).
fn counted(names: &[String]) -> String {
    let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
    for n in names {
        *counts.entry(n).or_default() += 1;
    }
    counts
        .iter()
        .map(|(n, c)| {
            if *c > 1 {
                format!("{n} ×{c}")
            } else {
                n.to_string()
            }
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// Texts made of `pieces` joined at random — the same ones on every run — for tests that
/// readers never panic, whatever a source holds.
#[cfg(test)]
fn jumbled(pieces: &[&str], texts: usize, length: usize) -> Vec<String> {
    let mut state = 0x9e37_79b9_7f4a_7c15u64;
    (0..texts)
        .map(|_| {
            (0..length)
                .map(|_| {
                    state ^= state << 13;
                    state ^= state >> 7;
                    state ^= state << 17;
                    pieces[(state % pieces.len() as u64) as usize]
                })
                .collect()
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tables_of_extra_stay_below_extra() {
        let mut extra = toml::Table::new();
        extra.insert("linkTitle".into(), "Docs".into());
        let mut params = toml::Table::new();
        params.insert("searchable".into(), false.into());
        extra.insert("params".into(), toml::Value::Table(params));
        let entry = Entry {
            origin: "x.md".into(),
            title: "Docs".into(),
            date: chrono::DateTime::parse_from_rfc3339("2024-01-01T00:00:00Z").ok(),
            extra,
            ..Entry::default()
        };
        let text = article_file(&entry, &Place::default(), &mut Vec::new());
        let front_matter = text.split("+++\n").nth(1).unwrap();
        assert_eq!(
            front_matter.split_once('\n').unwrap().1,
            "title = \"Docs\"\ndate = 2024-01-01\n\n[extra]\nlinkTitle = \"Docs\"\n\n[extra.params]\nsearchable = false\n"
        );
    }

    #[test]
    fn slugs_come_from_the_source_name_else_the_title() {
        assert_eq!(slug_of(Some("caf%C3%A9-news"), "x", "post-1"), "cafe-news");
        assert_eq!(slug_of(Some(""), "Hello World", "post-1"), "hello-world");
        assert_eq!(slug_of(None, "!!!", "post-1"), "post-1");
        assert_eq!(slug_of(Some("tags"), "Tags", "post-7"), "post-7");
    }
}
