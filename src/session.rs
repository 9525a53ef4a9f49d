//! A build session: the loaded site kept in memory between builds, so that a change
//! re-renders only the pages it touches. `watch` and `serve` each drive one.
//!
//! The dependency map is implicit and exact: every page has a signature
//! (`pages::Job::signature`) hashing its template (with everything that template extends or
//! includes), its path and the versions of the values its context shows. The session
//! remembers the signature of every page on disk; after a change it rebuilds the site from
//! the files that changed (reusing every unchanged article's template value), recomputes
//! signatures, and renders only the pages whose signature differs — an edited article's
//! own page, its neighbours, the list pages and feeds that show it — then writes those,
//! regenerates sitemaps and static files (written only when their bytes differ), and
//! deletes the pages that no longer exist.
//!
//! Architecture invariants:
//! - After every successful rebuild the output is byte for byte what a clean full build of
//!   the same sources would write (tests/watch.rs checks this after random edits).
//! - A failed rebuild writes nothing and forgets nothing: the files whose change could not
//!   be applied stay pending and are retried with the next change.

use std::collections::{BTreeSet, HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::time::Instant;

use rayon::prelude::*;

use crate::content::{self, LoadOptions, Loaded, Site, markdown};
use crate::error::Error;
use crate::import::{self, ImportOptions};
use crate::output::{self, WriteReport};
use crate::parallel;
use crate::paths::SitePaths;
use crate::pipeline::{BuildOptions, load_config, site_paths};
use crate::render::{self, Theme, context::Shared, pages};

/// What changed since the last rebuild, as the watcher saw it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Changes {
    /// `config.toml`: everything is reloaded.
    pub config: bool,
    /// A seed: the importer runs (its writes to `content/` arrive as content changes).
    pub seeds: bool,
    /// A template or static file, of the site or of its theme.
    pub theme: bool,
    /// Which theme files (templates, static files) changed, when known.
    pub theme_files: BTreeSet<PathBuf>,
    /// Content files added, modified or removed.
    pub content: BTreeSet<PathBuf>,
    /// Other paths below `content/` that changed: folders moved in or out whole (whose
    /// files are then not listed), or editors' temp files.
    pub content_other: BTreeSet<PathBuf>,
    /// Something changed that cannot be pinned to files (a folder moved in or out, lost
    /// events): everything is reloaded.
    pub rescan: bool,
    /// Nothing changed, but an article scheduled for later came due: everything is
    /// reloaded (with the clock's new "now").
    pub due: bool,
}

impl Changes {
    /// Only stylesheets changed: a browser can swap them without reloading the page.
    pub fn styles_only(&self) -> bool {
        self.theme
            && !self.config
            && !self.seeds
            && !self.rescan
            && self.content.is_empty()
            && !self.theme_files.is_empty()
            && self
                .theme_files
                .iter()
                .all(|p| p.extension().is_some_and(|e| e == "css"))
    }

    pub fn is_empty(&self) -> bool {
        !self.config
            && !self.seeds
            && !self.theme
            && !self.rescan
            && !self.due
            && self.content.is_empty()
            && self.content_other.is_empty()
    }

    /// A short description for the one line printed per rebuild, e.g.
    /// `content/a.md, content/b.md changed` or `3 content files changed`.
    pub fn describe(&self, root: &Path) -> String {
        let mut parts = Vec::new();
        if self.config {
            parts.push("config.toml".to_string());
        }
        if self.seeds {
            parts.push("seeds".to_string());
        }
        if self.theme {
            parts.push("theme".to_string());
        }
        if self.rescan {
            parts.push("folders".to_string());
        }
        match self.content.len() {
            0 => {}
            n @ 1..=3 => parts.extend(
                self.content
                    .iter()
                    .take(n)
                    .map(|p| p.strip_prefix(root).unwrap_or(p).display().to_string()),
            ),
            n => parts.push(format!("{n} content files")),
        }
        if parts.is_empty() && self.due {
            return "a scheduled article came due".to_string();
        }
        if parts.is_empty() {
            parts.push("files".to_string());
        }
        format!("{} changed", parts.join(", "))
    }
}

/// What one rebuild did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rebuild {
    /// Everything was reloaded (first build, `config.toml`, or recovery from an error).
    pub full: bool,
    /// Pages rendered because their signature changed.
    pub rendered: usize,
    pub written: WriteReport,
    pub articles: usize,
    pub millis: u128,
    /// Warnings of a full reload (incremental rebuilds repeat none).
    pub warnings: Vec<String>,
}

pub struct Session {
    options: BuildOptions,
    /// Highlighted code blocks, kept across rebuilds.
    markdown: markdown::Renderer,
    state: Option<State>,
    /// Content files changed but not yet successfully reloaded.
    pending: BTreeSet<PathBuf>,
    /// The theme changed but has not been reloaded successfully yet.
    theme_pending: bool,
    /// Signature of every page on disk, by output path.
    written: HashMap<String, u64>,
    /// The same, parallel to the state's jobs while they stay the same (empty after they
    /// changed): an edit compares two arrays, not 16,730 paths hashed and looked up.
    signatures: Vec<u64>,
    /// Every other file on disk (sitemaps, static files), by output path.
    files: HashSet<String>,
    /// The output's lock, held from the first load on (taken again if the output moves).
    lock: Option<(PathBuf, output::OutputLock)>,
    /// When the first article left out as scheduled comes due (perhaps earlier: an
    /// incremental rebuild only sees the articles it reloads, so this only ever moves
    /// earlier until the next full reload).
    due: Option<chrono::DateTime<chrono::FixedOffset>>,
}

/// The loaded site and everything derived from it.
struct State {
    paths: SitePaths,
    theme: Theme,
    site: Site,
    /// Index of each article in `site` by the file it came from. An edit looks its file up
    /// here rather than comparing it with every article's: after the machine sat idle, a
    /// pass over 10,000 articles scattered in memory cost more than the rest of a rebuild.
    by_source: HashMap<PathBuf, usize>,
    /// Every folder holding one of those files, at any depth.
    folders: HashSet<PathBuf>,
    shared: Shared,
    /// Every page of `site`, kept while the site's structure does not change.
    jobs: Vec<pages::Job>,
    /// Sitemaps, robots.txt and static files, kept while nothing they show changes.
    files: Vec<render::OutputFile>,
}

/// What a change may have altered, beyond the values of the articles it touched.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Stale {
    /// The list of pages (articles came or went, moved, were retagged…).
    jobs: bool,
    /// Sitemaps and static files.
    files: bool,
}

impl Session {
    /// A session that has built nothing yet; the first [`Session::rebuild`] builds all.
    pub fn new(options: BuildOptions) -> Session {
        Session {
            options,
            markdown: markdown::Renderer::default(),
            state: None,
            pending: BTreeSet::new(),
            theme_pending: false,
            written: HashMap::new(),
            signatures: Vec::new(),
            files: HashSet::new(),
            lock: None,
            due: None,
        }
    }

    /// When a scheduled article comes due and the site should be reloaded to publish it;
    /// `None` when none is scheduled, or the reference time is fixed (`SOURCE_DATE_EPOCH`).
    pub fn next_due(&self) -> Option<std::time::SystemTime> {
        let due = self.due.filter(|_| self.options.clock)?;
        Some(due.with_timezone(&chrono::Utc).into())
    }

    /// The site's folders, as of the last successful load.
    pub fn paths(&self) -> Option<&SitePaths> {
        self.state.as_ref().map(|s| &s.paths)
    }

    /// The output folder of the last successful load.
    pub fn output_dir(&self) -> Option<&Path> {
        self.state.as_ref().map(|s| s.paths.output.as_path())
    }

    /// Applies `changes` and rebuilds what they touch (everything, the first time or after
    /// `config.toml` changed or the previous attempt failed to load the site).
    pub fn rebuild(&mut self, changes: &Changes) -> Result<Rebuild, Error> {
        let started = Instant::now();
        let full = self.state.is_none()
            || changes.config
            || changes.rescan
            || changes.due
            || self.folders_changed(&changes.content_other);
        let stale = if full {
            // Set again by a reload that succeeds; one that fails must not be retried at
            // once, over and over, for a due time that has passed.
            self.due = None;
            self.reload_all()?;
            Stale {
                jobs: true,
                files: true,
            }
        } else {
            self.apply(changes)?
        };
        let mut report = self.render_and_write(stale)?;
        report.full = full;
        if full && let Some(state) = &self.state {
            report.warnings = state
                .site
                .warnings
                .iter()
                .map(ToString::to_string)
                .collect();
        }
        report.millis = started.elapsed().as_millis();
        Ok(report)
    }

    /// Whether any of `paths` is a folder of content that came or went: a folder now, or
    /// the folder of a file the site has.
    fn folders_changed(&self, paths: &BTreeSet<PathBuf>) -> bool {
        let Some(state) = &self.state else {
            return true;
        };
        paths.iter().any(|p| {
            p.is_dir()
                || state.by_source.contains_key(p)
                || state.folders.contains(p)
                || state
                    .site
                    .authors
                    .iter()
                    .any(|a| a.profile.as_ref().is_some_and(|f| f.starts_with(p)))
        })
    }

    fn reload_all(&mut self) -> Result<(), Error> {
        let root = self.options.root.as_path();
        let config = load_config(root, self.options.base_url.as_deref())?;
        let paths = site_paths(&self.options, &config)?;
        if self
            .lock
            .as_ref()
            .is_none_or(|(held, _)| *held != paths.output)
        {
            // The old output's lock goes first: the new one may be the same folder named
            // another way.
            self.lock = None;
            let holder = "gazette watch or serve";
            self.lock = Some((
                paths.output.clone(),
                output::OutputLock::acquire(&paths, holder)?,
            ));
        }
        import::run(&paths, &config, ImportOptions::default())?;
        let theme = Theme::load(&paths, &config.theme)?;
        let site = content::load(config, &paths.content, self.load_options())?;
        self.due = site.next_scheduled;
        let previous = self.state.take();
        let shared = Shared::build_reusing(&site, &theme, previous.as_ref().map(|s| &s.shared));
        self.pending.clear();
        self.theme_pending = false;
        self.state = Some(State {
            paths,
            theme,
            by_source: by_source(&site),
            folders: folders(&site),
            site,
            shared,
            jobs: Vec::new(),
            files: Vec::new(),
        });
        Ok(())
    }

    fn load_options(&self) -> LoadOptions {
        // By the clock, "now" is the moment of each rebuild: an article written during the
        // session is dated after the session started, and must not count as scheduled.
        let published_by = match self.options.published_by {
            Some(_) if self.options.clock => Some(chrono::Utc::now().fixed_offset()),
            fixed => fixed,
        };
        LoadOptions {
            drafts: self.options.drafts,
            published_by,
        }
    }

    fn apply(&mut self, changes: &Changes) -> Result<Stale, Error> {
        let load_options = self.load_options();
        // Remember everything first, so that what fails below is retried next time.
        self.pending.extend(changes.content.iter().cloned());
        self.theme_pending |= changes.theme;
        let state = self.state.as_mut().expect("apply runs on a loaded session");
        if changes.seeds {
            import::run(&state.paths, &state.site.config, ImportOptions::default())?;
        }
        let mut stale = Stale {
            jobs: false,
            files: false,
        };
        if self.theme_pending {
            state.theme = Theme::load(&state.paths, &state.site.config.theme)?;
            self.theme_pending = false;
            stale.files = true;
            if state.theme.uses_content_xml() != state.shared.content_xml {
                // The feed items take or drop their escaped HTML: built again.
                state.shared = Shared::build_reusing(&state.site, &state.theme, None);
            }
        }
        if self.pending.is_empty() {
            return Ok(stale);
        }
        // Load every pending file first: a broken one fails the rebuild before the site
        // is touched, and stays pending.
        let pending: Vec<&PathBuf> = self.pending.iter().collect();
        let loaded: Vec<(PathBuf, Option<Loaded>)> = parallel::try_map(&pending, |&path| {
            if path.is_file() {
                content::load_file(path, &state.paths.content, &self.markdown)
                    .map(|l| (path.clone(), Some(l)))
            } else {
                Ok((path.clone(), None))
            }
        })?;

        // The fast path: articles edited in place (same date, slug, bylines, tags, draft
        // state) change their own values and nothing else.
        let in_place: Option<Vec<usize>> = loaded
            .iter()
            .map(|(path, file)| match file {
                Some(Loaded::Article(new)) => state
                    .by_source
                    .get(path)
                    .copied()
                    .filter(|&i| stays_in_place(&state.site.articles[i], new)),
                _ => None,
            })
            .collect();
        if let Some(indices) = in_place {
            for ((_, file), i) in loaded.into_iter().zip(indices) {
                let Some(Loaded::Article(mut new)) = file else {
                    unreachable!("only articles take the fast path")
                };
                let old = &state.site.articles[i];
                stale.files |= old.title != new.title;
                for (link, old) in new.authors.iter_mut().zip(&old.authors) {
                    link.index = old.index;
                }
                for (link, old) in new.tags.iter_mut().zip(&old.tags) {
                    link.index = old.index;
                }
                state.site.resolve_internal_links(&mut new);
                state.site.articles[i] = *new;
                state.shared.refresh_article(&state.site, i);
            }
            self.pending.clear();
            return Ok(stale);
        }

        let placeholder = placeholder_site(&state.site);
        let site = std::mem::replace(&mut state.site, placeholder);
        let (config, mut articles, mut profiles) = site.disassemble();
        // Drafts left out of the site are not in `articles`, so a file is matched by path.
        for (path, file) in loaded {
            articles.retain(|a| a.source != path);
            profiles.retain(|p| p.profile.as_deref() != Some(path.as_path()));
            match file {
                Some(Loaded::Article(a)) => articles.push(*a),
                Some(Loaded::Profile(p)) => profiles.push(p),
                None => {}
            }
        }
        match content::assemble(config, articles, profiles, load_options) {
            Ok(site) => {
                self.due = self.due.into_iter().chain(site.next_scheduled).min();
                state.shared = Shared::build_reusing(&site, &state.theme, Some(&state.shared));
                state.by_source = by_source(&site);
                state.folders = folders(&site);
                state.site = site;
                self.pending.clear();
                Ok(Stale {
                    jobs: true,
                    files: true,
                })
            }
            Err(e) => {
                // The site was taken apart; the next rebuild reloads everything (and keeps
                // reporting this error until it is fixed).
                self.state = None;
                Err(e.into())
            }
        }
    }

    /// Renders the pages whose signature changed and brings the output in line.
    fn render_and_write(&mut self, stale: Stale) -> Result<Rebuild, Error> {
        let state = self.state.as_mut().expect("rebuilt");
        if stale.jobs {
            state.jobs = pages::jobs(&state.site);
            self.signatures.clear();
        }
        if stale.jobs || stale.files {
            state.files = render::files(&state.site, &state.theme, &state.jobs);
        }
        let state = self.state.as_ref().expect("rebuilt");
        let (site, shared, theme, jobs) = (&state.site, &state.shared, &state.theme, &state.jobs);
        let signatures: Vec<u64> = jobs
            .par_iter()
            .map(|job| job.signature(site, shared, theme))
            .collect();
        let first = self.written.is_empty() && self.files.is_empty();
        let (_, lock) = self.lock.as_ref().expect("taken by the load");
        let staging = output::Staging::create(&state.paths, lock)?;
        let changed: Vec<usize> = if self.signatures.len() == jobs.len() {
            (0..jobs.len())
                .filter(|&i| self.signatures[i] != signatures[i])
                .collect()
        } else {
            (0..jobs.len())
                .filter(|&i| self.written.get(&jobs[i].path) != Some(&signatures[i]))
                .collect()
        };
        let paths = jobs
            .iter()
            .map(|j| j.path.as_str())
            .chain(state.files.iter().map(|f| f.path.as_str()));
        staging.make_dirs(paths)?;
        // The staged site is complete: what is not rendered again is carried over.
        let mut render = vec![false; jobs.len()];
        for &i in &changed {
            render[i] = true;
        }
        let indices: Vec<usize> = (0..jobs.len()).collect();
        parallel::try_map(&indices, |&i| -> Result<_, Error> {
            if render[i] {
                staging.write(&jobs[i].render(site, shared, theme)?)?;
            } else {
                staging.keep(&jobs[i].path)?;
            }
            Ok(())
        })?;
        let regenerate = stale.files || first;
        parallel::try_map(&state.files, |file| -> Result<_, Error> {
            if regenerate {
                staging.write(file)?;
            } else {
                staging.keep(&file.path)?;
            }
            Ok(())
        })?;
        let written = staging.commit()?;
        if stale.jobs || first {
            self.written = jobs
                .iter()
                .zip(&signatures)
                .map(|(j, s)| (j.path.clone(), *s))
                .collect();
        } else {
            for &i in &changed {
                self.written.insert(jobs[i].path.clone(), signatures[i]);
            }
        }
        self.signatures = signatures;
        if stale.files || stale.jobs || first {
            self.files = state.files.iter().map(|f| f.path.clone()).collect();
        }
        Ok(Rebuild {
            full: false,
            rendered: changed.len(),
            written,
            articles: site.articles.len(),
            millis: 0,
            warnings: Vec::new(),
        })
    }
}

/// Whether an edited article keeps its place in every list: then only its own value
/// changes.
fn stays_in_place(old: &content::Article, new: &content::Article) -> bool {
    let names = |links: &[content::Link]| links.iter().map(|l| l.slug.clone()).collect::<Vec<_>>();
    old.slug == new.slug
        && old.date == new.date
        && old.updated == new.updated
        && old.draft == new.draft
        && names(&old.authors) == names(&new.authors)
        && names(&old.tags) == names(&new.tags)
        && old
            .authors
            .iter()
            .zip(&new.authors)
            .all(|(a, b)| a.name == b.name)
        && old
            .tags
            .iter()
            .zip(&new.tags)
            .all(|(a, b)| a.name == b.name)
}

/// A stand-in while the real site is taken apart and reassembled.
fn by_source(site: &Site) -> HashMap<PathBuf, usize> {
    let sources = site.articles.iter().enumerate();
    sources.map(|(i, a)| (a.source.clone(), i)).collect()
}

fn folders(site: &Site) -> HashSet<PathBuf> {
    let mut folders = HashSet::new();
    for article in &site.articles {
        for folder in article.source.ancestors().skip(1) {
            if !folders.insert(folder.to_path_buf()) {
                break;
            }
        }
    }
    folders
}

fn placeholder_site(site: &Site) -> Site {
    Site {
        config: site.config.clone(),
        articles: Vec::new(),
        authors: Vec::new(),
        tags: Vec::new(),
        warnings: Vec::new(),
        scheduled: 0,
        next_scheduled: None,
    }
}
