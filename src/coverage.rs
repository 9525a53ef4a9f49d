//! `gazette import --from`'s proof that the old site's URLs answer. After the import, the
//! site is loaded as a build loads it (the content stage with all its checks; only the
//! Markdown of bodies is not rendered, which places nothing) and its files listed as the
//! render stage lists them (every page, every alias's redirect, every copy of a feed);
//! then each old URL the import knows is looked up: it answers when the file at its
//! address is what it should lead to — its article's page or a redirect to it, its list's
//! page or a redirect to it, its list's feed or a copy of it. The figure is printed as `old URLs: N of M answer`, with each that does
//! not; the URLs that answer through something the import wrote (an article, an alias)
//! go into `published.toml`, so the published-URL guard knows them on any machine.
//!
//! With `--dry-run` the import runs into a scratch copy of the site's content and
//! configuration, which is measured and deleted: the site itself is not touched.
//!
//! Invariant: nothing here decides a URL: which file answers an address is the content
//! stage's and the render stage's answer (`pages::jobs`, articles' and lists' aliases),
//! so the figure is the build's. Templates are not run, nor bodies rendered: they decide
//! what a page shows, not where it is (a build reports their errors for every page
//! alike), and they are most of a build's time — the import's proof costs its front
//! matter only.

use std::collections::HashMap;
use std::fmt;
use std::path::{Path, PathBuf};

use crate::config::Config;
use crate::content::{
    self, Bodies, Document, FeedKind, LoadOptions, Site, alias_path, query_alias,
};
use crate::engine::EngineError;
use crate::engine::load_config;
use crate::import::migrate::{self, Answer, ListRef, Migration, MigrationReport, OldUrl};
use crate::import::{ImportError, ImportOptions};
use crate::paths::SitePaths;
use crate::published::Published;
use crate::render::pages::{self, FeedFormat, Page, Subject};

/// How many of the old site's URLs the new site answers.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Coverage {
    pub total: usize,
    /// Those that do not, in the order the import found them.
    pub unanswered: Vec<Unanswered>,
    /// Old URLs newly listed in `published.toml`.
    pub recorded: usize,
}

/// An old URL that does not answer.
#[derive(Debug, PartialEq, Eq)]
pub struct Unanswered {
    /// The item it came from (`export.xml (page 20)`).
    pub origin: String,
    pub url: String,
    /// What is at its address instead, if anything (`the tags page`).
    pub instead: Option<String>,
}

impl fmt::Display for Coverage {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let answering = self.total - self.unanswered.len();
        write!(f, "old URLs: {answering} of {} answer", self.total)?;
        for u in &self.unanswered {
            match &u.instead {
                Some(what) => write!(f, "\n  {}: {} answers with {what}", u.origin, u.url)?,
                None => write!(f, "\n  {}: {} does not answer", u.origin, u.url)?,
            }
        }
        if self.recorded > 0 {
            write!(
                f,
                "\nrecorded in published.toml: {} (build and check keep them answering)",
                self.recorded
            )?;
        }
        Ok(())
    }
}

/// Imports `migration` into the site at `root` and measures which old URLs answer; with
/// `--dry-run`, into a scratch copy of the site. The site failing to load after the
/// import is the second result's error.
pub fn import(
    root: &Path,
    migration: &Migration,
) -> Result<(MigrationReport, Result<Coverage, EngineError>), EngineError> {
    let config = load_config(root, None)?;
    let paths = SitePaths::unchecked(root, &config, None);
    let harvest = migrate::read(migration)?;
    let options = migration.options;
    if !options.dry_run {
        let report = migrate::write(&paths, &config, harvest, options, migrate::Files::Copy)?;
        let coverage = measure(&paths, &report.old_urls).and_then(|(mut coverage, answered)| {
            coverage.recorded = Published::commit(&paths.published, &answered)?;
            Ok(coverage)
        });
        return Ok((report, coverage));
    }
    let report = migrate::write(
        &paths,
        &config,
        harvest.clone(),
        options,
        migrate::Files::Copy,
    )?;
    let scratch = Scratch::of(&paths)?;
    let wet = ImportOptions {
        dry_run: false,
        ..options
    };
    let scratch_report =
        migrate::write(&scratch.paths, &config, harvest, wet, migrate::Files::Skip)?;
    let coverage = match measure(&scratch.paths, &scratch_report.old_urls) {
        Ok((mut coverage, _)) => {
            for u in &mut coverage.unanswered {
                u.instead = u.instead.take().map(|what| scratch.unmask(&what, &paths));
            }
            Ok(coverage)
        }
        Err(e) => Err(EngineError::DryRun {
            message: scratch.unmask(&e.to_string(), &paths),
        }),
    };
    Ok((report, coverage))
}

/// Loads the site at `paths` and looks each old URL up; returns the figure and the old
/// URLs that answer through a file of the site's, each with that file (relative to the
/// site's folder).
fn measure(
    paths: &SitePaths,
    old_urls: &[OldUrl],
) -> Result<(Coverage, Vec<(String, String)>), EngineError> {
    // As a build by the clock loads it; only where each page is matters here.
    let config = Config::load_file(&paths.config_file)?;
    let options = LoadOptions {
        published_by: Some(chrono::Utc::now().fixed_offset()),
        bodies: Bodies::Skipped,
        ..LoadOptions::default()
    };
    let site = &content::load(config, &paths.content, options)?;
    let found = Found::of(site);
    let mut coverage = Coverage {
        total: old_urls.len(),
        ..Coverage::default()
    };
    let mut answered = Vec::new();
    for old in old_urls {
        let instead = match found.at(&old.url) {
            Some(At::Gives(answer, via)) if answer == old.answer => {
                if let Some(via) = via {
                    answered.push((old.url.clone(), relative(&via, &paths.root)));
                }
                continue;
            }
            Some(At::Gives(answer, _)) => Some(describe(answer)),
            Some(At::Other(what)) => Some(what),
            None => None,
        };
        coverage.unanswered.push(Unanswered {
            origin: old.origin.clone(),
            url: old.url.clone(),
            instead,
        });
    }
    Ok((coverage, answered))
}

/// What the site has at an output file.
#[derive(Debug, Clone)]
enum At {
    /// An answer an old URL may want (with the file that makes the site give it, where
    /// it is not a list of the site's own).
    Gives(Answer, Option<PathBuf>),
    /// Another page of the site's own (`the tags page`).
    Other(String),
}

/// What the site has at each output file.
struct Found {
    files: HashMap<String, At>,
    queries: HashMap<String, PathBuf>,
}

impl Found {
    fn of(site: &Site) -> Found {
        let mut files = HashMap::new();
        let list_of = |subject: Subject| match subject {
            Subject::Site => ListRef::Home,
            Subject::Section(i) => ListRef::Section(site.sections[i].slug.clone()),
            Subject::Author(i) => ListRef::Author(site.authors[i].slug.clone()),
            Subject::Tag(i) => ListRef::Tag(site.tags[i].slug.clone()),
        };
        let list_page = |subject: Subject, number: usize| {
            let list = list_of(subject);
            match number {
                1 => At::Gives(Answer::List(list), None),
                n => At::Other(format!("page {n} of the list of {}", list.describe())),
            }
        };
        for job in pages::jobs(site) {
            let at = match job.page {
                Page::Article(i) => {
                    let source = site.articles[i].source.clone();
                    At::Gives(Answer::Article(source.clone()), Some(source))
                }
                Page::Page(i) => {
                    let source = site.pages[i].source.clone();
                    At::Gives(Answer::Article(source.clone()), Some(source))
                }
                Page::Home { number } => list_page(Subject::Site, number),
                Page::Section { section, number } => list_page(Subject::Section(section), number),
                Page::Author { author, number } => list_page(Subject::Author(author), number),
                Page::Tag { tag, number } => list_page(Subject::Tag(tag), number),
                Page::Feed { subject, format } => {
                    let list = list_of(subject);
                    let kind = match format {
                        FeedFormat::Atom => FeedKind::Atom,
                        FeedFormat::Rss => FeedKind::Rss,
                        FeedFormat::Json => {
                            files.insert(job.path, At::Other("the site's JSON feed".into()));
                            continue;
                        }
                    };
                    // A copy at an old URL is the alias's; the list's own feed is Gazette's.
                    let own = job.path == format!("{}{}", list.path(), kind.file());
                    let via = (!own).then(|| list_source(site, subject));
                    At::Gives(Answer::Feed(list, kind), via)
                }
                Page::Authors => At::Other("the authors page".into()),
                Page::Tags => At::Other("the tags page".into()),
                Page::NotFound => At::Other("the page for addresses that lead nowhere".into()),
                Page::Search => At::Other("the search page".into()),
            };
            files.insert(job.path, at);
        }
        let documents = site.articles.iter().map(|a| a as &dyn Document);
        let documents = documents.chain(site.pages.iter().map(|p| p as &dyn Document));
        for document in documents.clone() {
            for alias in document.aliases() {
                let source = document.source().to_path_buf();
                let answer = Answer::Article(source.clone());
                files.insert(alias.clone(), At::Gives(answer, Some(source)));
            }
        }
        let lists = std::iter::once(Subject::Site)
            .chain((0..site.sections.len()).map(Subject::Section))
            .chain((0..site.authors.len()).map(Subject::Author))
            .chain((0..site.tags.len()).map(Subject::Tag));
        for subject in lists {
            let source = list_source(site, subject);
            for page in list_aliases(site, subject) {
                let answer = Answer::List(list_of(subject));
                files.insert(page.clone(), At::Gives(answer, Some(source.clone())));
            }
        }
        let queries = documents
            .flat_map(|d| {
                let source = d.source().to_path_buf();
                d.query_aliases()
                    .iter()
                    .map(move |q| (q.clone(), source.clone()))
            })
            .collect();
        Found { files, queries }
    }

    /// What is at the old URL `url` (a site-root path).
    fn at(&self, url: &str) -> Option<At> {
        if url.contains('?') {
            let source = self.queries.get(&query_alias(url).ok()?)?;
            return Some(At::Gives(
                Answer::Article(source.clone()),
                Some(source.clone()),
            ));
        }
        let file = match url.trim_start_matches('/') {
            "" => "index.html".to_string(),
            _ => alias_path(url).ok()?,
        };
        self.files.get(&file).cloned()
    }
}

/// The old page URLs a list has (its aliases' output files).
fn list_aliases(site: &Site, subject: Subject) -> &[String] {
    match subject {
        Subject::Site => &site.home_aliases.pages,
        Subject::Section(i) => site.sections[i].aliases().map_or(&[], |a| &a.pages),
        Subject::Author(i) => &site.authors[i].aliases.pages,
        Subject::Tag(i) => &site.tags[i].aliases.pages,
    }
}

/// The file naming a list's old URLs.
fn list_source(site: &Site, subject: Subject) -> PathBuf {
    match subject {
        Subject::Site => site.home_aliases.source.clone(),
        Subject::Section(i) => site.sections[i]
            .aliases()
            .map_or_else(PathBuf::new, |a| a.source.clone()),
        Subject::Author(i) => site.authors[i].aliases.source.clone(),
        Subject::Tag(i) => site.tags[i].aliases.source.clone(),
    }
}

/// What a message calls an answer.
fn describe(answer: Answer) -> String {
    match answer {
        Answer::Article(file) => format!("the page of {}", file.display()),
        Answer::List(list) => format!("the list of {}", list.describe()),
        Answer::Feed(list, kind) => format!("the {} feed of {}", kind_name(kind), list.describe()),
    }
}

fn kind_name(kind: FeedKind) -> &'static str {
    match kind {
        FeedKind::Rss => "RSS",
        FeedKind::Atom => "Atom",
    }
}

/// `file` relative to the site's folder, `/`-separated, as `published.toml` names files.
fn relative(file: &Path, root: &Path) -> String {
    let relative = file.strip_prefix(root).unwrap_or(file);
    let parts: Vec<String> = relative
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    parts.join("/")
}

/// A scratch copy of a site's content and configuration, for a dry run to import into:
/// its other folders (templates, themes, static files) are the site's own, only read.
struct Scratch {
    dir: tempfile::TempDir,
    paths: SitePaths,
}

impl Scratch {
    fn of(site: &SitePaths) -> Result<Scratch, ImportError> {
        let failed = |path: &Path| {
            let path = path.to_path_buf();
            move |source| ImportError::Write { path, source }
        };
        let dir = tempfile::Builder::new()
            .prefix("gazette-dry-run-")
            .tempdir()
            .map_err(failed(&std::env::temp_dir()))?;
        let mut paths = site.clone();
        paths.content = dir.path().join("content");
        paths.config_file = dir.path().join("config.toml");
        paths.published = dir.path().join("published.toml");
        std::fs::copy(&site.config_file, &paths.config_file).map_err(failed(&paths.config_file))?;
        if site.content.is_dir() {
            for entry in walkdir::WalkDir::new(&site.content) {
                let entry = entry.map_err(|e| ImportError::Read {
                    path: e.path().unwrap_or(&site.content).to_path_buf(),
                    source: e.into(),
                })?;
                let rel = entry
                    .path()
                    .strip_prefix(&site.content)
                    .unwrap_or(entry.path());
                let to = paths.content.join(rel);
                if entry.file_type().is_dir() {
                    std::fs::create_dir_all(&to).map_err(failed(&to))?;
                } else if entry.path().is_file() {
                    // A link costs nothing, and the import replaces files rather than
                    // writing into them; across file systems, a copy.
                    std::fs::hard_link(entry.path(), &to)
                        .or_else(|_| std::fs::copy(entry.path(), &to).map(|_| ()))
                        .map_err(failed(&to))?;
                }
            }
        }
        Ok(Scratch { dir, paths })
    }

    /// `text` as the user's site would show it: paths of the scratch copy named as the
    /// site's own.
    fn unmask(&self, text: &str, site: &SitePaths) -> String {
        text.replace(
            &self.paths.content.display().to_string(),
            &site.content.display().to_string(),
        )
        .replace(
            &self.paths.config_file.display().to_string(),
            &site.config_file.display().to_string(),
        )
        .replace(
            &self.dir.path().display().to_string(),
            &site.root.display().to_string(),
        )
    }
}
