//! The build engine: the one way a site is loaded, rendered and brought into the output,
//! for every command. `build` runs it once over the manifest its record kept; `watch` and
//! `serve` keep it in memory and feed it the watcher's [`Changes`]; the commands differ
//! in what they keep and commit, not in how they render.
//!
//! An [`Engine`] owns the site's folders ([`SitePaths`]) and the output's lock, the loaded
//! site, its theme, the shared template values, the list of pages (`Job`s) and other
//! files, and a `Manifest` of what the output holds: the signature of every page in it.
//! A page's signature (`pages::Job::signature`) hashes everything its bytes depend on, so
//! an update renders exactly the pages whose signature is not in the manifest, carries
//! the others over, and commits the complete new site in one step (`output::Staging`).
//!
//! Architecture invariants:
//! - After every successful update the output is byte for byte what a clean full build of
//!   the same sources writes (tests/session.rs checks this after each of 220 random
//!   edits, additions, renames and deletions, with default and configured folders).
//! - A failed update writes nothing and forgets nothing: the files whose change could not
//!   be applied stay pending and are retried with the next change.
//! - The output is locked from the first load to the engine's end: nothing else writes it
//!   meanwhile, which is what lets the manifest stand for the output between updates.
//! - An update after an edit does nothing per article or per page beyond hashing its
//!   signature: after idle seconds the site's memory is cold, and one pass over 10,000
//!   scattered articles once cost more than all the rest of the update.

use std::collections::{BTreeSet, HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Instant;

use chrono::{DateTime, FixedOffset};

use crate::cache;
use crate::config::Config;
use crate::content::{self, LoadOptions, Site, markdown};
use crate::files::{self, FileStamp};
use crate::images::{self, Images};
use crate::import::{self, ImportOptions, ImportReport};
use crate::output::{self, OutputLock, WriteReport};
use crate::parallel;
use crate::paths::SitePaths;
use crate::render::{self, Theme, cards::Cards, context::Shared, pages};
use crate::search::Search;

mod apply;
mod commit;
mod error;
mod options;

pub use error::EngineError;
pub use options::{BuildOptions, Holder, Progress, Reference, Timings, load_config};

/// What changed since the last update, as the watcher saw it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Changes {
    /// The configuration file: everything is reloaded.
    pub config: bool,
    /// A seed: the importer runs (its writes to the content folder arrive as content
    /// changes).
    pub seeds: bool,
    /// A template or static file, of the site or of its theme.
    pub theme: bool,
    /// Which theme files (templates, static files) changed, when known.
    pub theme_files: BTreeSet<PathBuf>,
    /// Content files added, modified or removed.
    pub content: BTreeSet<PathBuf>,
    /// Other paths below the content folder that changed: folders moved in or out whole
    /// (whose files are then not listed), or editors' temp files.
    pub content_other: BTreeSet<PathBuf>,
    /// Something changed that cannot be pinned to files (a folder moved in or out, lost
    /// events): everything is reloaded.
    pub rescan: bool,
    /// Nothing changed, but an article scheduled for later came due (or a pin ended):
    /// everything is reloaded (with the clock's new "now").
    pub due: bool,
}

impl Changes {
    /// A shortcode template changed (or a theme file that may be one): every body that
    /// uses it renders again, so everything is reloaded.
    pub fn shortcodes_changed(&self) -> bool {
        self.theme
            && (self.theme_files.is_empty()
                || self.theme_files.iter().any(|p| {
                    p.components()
                        .any(|c| c.as_os_str() == content::shortcodes::FOLDER)
                }))
    }

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

    /// A short description for the one line printed per update, e.g.
    /// `content/a.md, content/b.md changed` or `3 content files changed`.
    pub fn describe(&self, root: &Path) -> String {
        let mut parts = Vec::new();
        if self.config {
            parts.push(crate::config::CONFIG_FILE.to_string());
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
            return "a scheduled article came due, or a pin ended".to_string();
        }
        if parts.is_empty() {
            parts.push("files".to_string());
        }
        format!("{} changed", parts.join(", "))
    }
}

/// What one update did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Update {
    /// Everything was reloaded (first update, the configuration, or recovery from an
    /// error).
    pub full: bool,
    /// Pages rendered because their signature was not in the manifest.
    pub rendered: usize,
    /// Every file of the site, pages and others.
    pub files: usize,
    pub written: WriteReport,
    pub articles: usize,
    /// Articles left out as scheduled for later.
    pub scheduled: usize,
    pub millis: u128,
    /// Warnings of a full reload (incremental updates repeat none).
    pub warnings: Vec<String>,
    /// How long each step of the commit took, in order.
    pub stages: Vec<(&'static str, std::time::Duration)>,
    /// Image variants made (not found in the image cache).
    pub images_made: usize,
    /// Articles whose template value is built after the commit (made or reused): values
    /// are made as pages show them, so a build after one edit makes a few.
    pub values_built: usize,
    /// What the render held and made, when values went as it passed them (see
    /// `Shared::forget_passed`).
    pub values_swept: Option<crate::render::context::SweepCounts>,
    /// Articles whose HTML the load spilled to disk (see `content::body`).
    pub spilled: usize,
    /// Articles the search index counted (its parts made again; an edit's, the changed
    /// articles alone when a session kept their parts' tables).
    pub search_counted: usize,
}

/// A site whose configuration was read, whose folders are mapped and whose output is
/// locked, with its seeds imported: what [`Engine::load_and_commit`] loads.
pub struct Opened {
    pub config: Config,
    pub import: ImportReport,
    pub paths: SitePaths,
}

pub struct Engine {
    /// How far the engine got with its site.
    phase: Phase,
    /// What the engine keeps from one load or update to the next.
    work: Work,
}

/// How far an engine got with its site; each state holds its data.
enum Phase {
    /// Nothing opened yet.
    New,
    /// The configuration read and the folders mapped, but no site loaded: none yet, or
    /// the last was taken apart by an update that failed (the next one reloads it all).
    Open(Box<SitePaths>),
    /// A site loaded, with its folders.
    Loaded(Box<State>),
}

impl Phase {
    fn paths(&self) -> Option<&SitePaths> {
        match self {
            Phase::New => None,
            Phase::Open(paths) => Some(paths.as_ref()),
            Phase::Loaded(state) => Some(&state.paths),
        }
    }

    fn state(&self) -> Option<&State> {
        match self {
            Phase::Loaded(state) => Some(state),
            _ => None,
        }
    }

    /// The folders of the last [`Engine::open`], a loaded site's included (so that an
    /// update after a reload that failed works where the configuration now says).
    fn set_paths(&mut self, paths: SitePaths) {
        match self {
            Phase::Loaded(state) => state.paths = paths,
            _ => *self = Phase::Open(Box::new(paths)),
        }
    }

    /// Takes the loaded site out for an update, leaving its folders.
    fn take_state(&mut self) -> Option<Box<State>> {
        match std::mem::replace(self, Phase::New) {
            Phase::Loaded(state) => {
                *self = Phase::Open(Box::new(state.paths.clone()));
                Some(state)
            }
            other => {
                *self = other;
                None
            }
        }
    }

    /// Keeps a site just loaded, and lends it.
    fn hold(&mut self, state: Box<State>) -> &State {
        *self = Phase::Loaded(state);
        match self {
            Phase::Loaded(state) => state,
            Phase::New | Phase::Open(_) => unreachable!("just loaded"),
        }
    }

    /// Puts a site back whose reload failed, with the folders the engine now has.
    fn restore(&mut self, mut state: Box<State>) {
        if let Some(paths) = self.paths() {
            state.paths = paths.clone();
        }
        *self = Phase::Loaded(state);
    }
}

/// What an engine keeps across loads and updates, beside the site itself.
struct Work {
    options: BuildOptions,
    /// Highlighted code blocks, kept across updates.
    markdown: markdown::Renderer,
    /// The output's lock, from the first [`Engine::open`] on (taken again if the output
    /// moves), with the folder it locks; none for a read-only engine, or once released.
    lock: Option<(PathBuf, OutputLock)>,
    manifest: Manifest,
    /// Content files changed but not yet successfully reloaded.
    pending: BTreeSet<PathBuf>,
    /// The theme changed but has not been reloaded successfully yet.
    theme_pending: bool,
    /// When the first article left out as scheduled comes due, a breaking-news banner
    /// comes down or a pin ends (perhaps earlier: an incremental update only sees the
    /// articles it reloads, so this only ever moves earlier until the next full reload).
    due: Option<DateTime<FixedOffset>>,
    /// Salts every signature with the renderer's identity (binary, options, output).
    salt: u64,
    /// What the last planning knew of each image file.
    planner: images::Planner,
    /// An image may have changed (or the last planning failed): plan again at the next
    /// commit.
    images_stale: bool,
    /// How many articles and pages the last load took from the content cache, and how
    /// many it parsed.
    loaded: content::load_cache::Counts,
}

/// A view of what an engine loaded, for `check`.
pub struct Loaded<'a> {
    pub paths: &'a SitePaths,
    pub site: &'a Site,
    pub theme: &'a Theme,
    pub jobs: &'a [pages::Job],
    pub files: &'a [crate::files::OutputFile],
    /// The URLs the site publishes (see [`crate::published`]).
    pub published: crate::published::Published,
}

impl Loaded<'_> {
    /// Every output path: pages, then other files.
    pub fn paths(&self) -> impl Iterator<Item = &str> {
        self.jobs
            .iter()
            .map(|j| j.path.as_str())
            .chain(self.files.iter().map(|f| f.path.as_str()))
    }
}

/// The loaded site and everything derived from it, with the folders it came from.
struct State {
    paths: SitePaths,
    theme: Theme,
    site: Site,
    /// Index of each article in `site` by the file it came from. An edit looks its file up
    /// here rather than comparing it with every article's: after the machine sat idle, a
    /// pass over 10,000 articles scattered in memory cost more than the rest of an update.
    by_source: HashMap<PathBuf, usize>,
    /// Every folder holding one of those files, at any depth.
    folders: HashSet<PathBuf>,
    /// The template values; `None` until the next commit builds them.
    shared: Option<Shared>,
    /// Every page of `site`, kept while the site's structure does not change.
    jobs: Vec<pages::Job>,
    /// Sitemaps, robots.txt and static files, kept while nothing they show changes.
    files: Vec<files::OutputFile>,
    /// The site's images, as last planned.
    images: Arc<Images>,
    /// The site's search index, as last planned (none with search off).
    search: Option<Search>,
    /// How many of `files`, at its end, are the search index's.
    search_files: usize,
}

impl State {
    /// Lists the files no template renders (`render::files`), the search index's last,
    /// and remembers how many those are.
    fn list_files(&mut self, paths: &SitePaths) {
        let search = search_files(self.search.as_ref(), paths);
        self.search_files = search.len();
        self.files = render::files(&self.site, &self.theme, &self.jobs, &self.images, search);
    }
}

/// What the output holds, as far as the engine knows.
#[derive(Debug, Default)]
struct Manifest {
    /// The signatures of the pages in the output, and of its files written from memory
    /// (`commit::sign_files`), sorted. A signature covers its page's or file's path, so a
    /// page whose signature is here is in the output as it would render now.
    pages: Vec<u64>,
    /// Each file's stamp in the output, by path, when the manifest came from the build
    /// record (the output was walked to check it): a page is carried over only if its
    /// file is there. `None` when the manifest is the engine's own last commit.
    walked: Option<HashMap<String, FileStamp>>,
    /// The last commit's signatures in the order of the state's jobs, while those stay the
    /// same (empty otherwise): an edit compares two arrays, not 16,730 paths looked up.
    by_job: Vec<u64>,
    /// The last commit's stamps, pages then other files, parallel to `by_job`.
    stamps: Vec<Option<FileStamp>>,
    /// Whether the output's other files are the state's (sitemaps, static files).
    files_current: bool,
    /// A session's: every path the output holds after the engine's last commit, and the
    /// spare tree it keeps beside the output (see `output::Spare`).
    site: Option<Arc<HashSet<String>>>,
    spare: SpareTree,
    /// A build's: the paths where the spare it kept beside the output (`SitePaths::spare`)
    /// differs from the output, sorted, for the build record.
    kept: Option<Vec<String>>,
}

/// A session's spare copy of the output: ready, being made on another thread (after a
/// commit that staged the whole site), or none.
#[derive(Default)]
enum SpareTree {
    #[default]
    None,
    Ready(output::Spare),
    Making(std::thread::JoinHandle<Option<output::Spare>>),
}

impl SpareTree {
    /// The spare, once it is ready (waiting for it if it is being made).
    fn take(&mut self) -> Option<output::Spare> {
        match std::mem::take(self) {
            SpareTree::None => None,
            SpareTree::Ready(spare) => Some(spare),
            SpareTree::Making(making) => making.join().ok().flatten(),
        }
    }
}

impl std::fmt::Debug for SpareTree {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            SpareTree::None => "none",
            SpareTree::Ready(_) => "ready",
            SpareTree::Making(_) => "being made",
        })
    }
}

/// What a change may have altered, beyond the values of the articles it touched.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Stale {
    /// The list of pages (articles came or went, moved, were retagged…).
    jobs: bool,
    /// Sitemaps and static files.
    files: bool,
}

impl Stale {
    const ALL: Stale = Stale {
        jobs: true,
        files: true,
    };
}

impl Engine {
    /// An engine that has loaded nothing yet.
    pub fn new(options: BuildOptions) -> Engine {
        Engine {
            phase: Phase::New,
            work: Work {
                options,
                markdown: markdown::Renderer::default(),
                lock: None,
                manifest: Manifest::default(),
                pending: BTreeSet::new(),
                theme_pending: false,
                due: None,
                salt: 0,
                planner: images::Planner::new(),
                images_stale: true,
                loaded: content::load_cache::Counts::default(),
            },
        }
    }

    /// When a scheduled article comes due (or a pin ends) and the site should be reloaded
    /// to publish it; `None` when nothing is due, or the reference time is fixed.
    pub fn next_due(&self) -> Option<std::time::SystemTime> {
        let due = self
            .work
            .due
            .filter(|_| self.work.options.reference == Reference::Clock)?;
        Some(due.with_timezone(&chrono::Utc).into())
    }

    /// How many articles and pages the last full load took from the content cache, and
    /// how many it parsed.
    pub fn content_counts(&self) -> content::load_cache::Counts {
        self.work.loaded
    }

    /// Gives the output's lock up (the engine commits nothing more).
    pub fn release_output(&mut self) {
        self.work.lock = None;
    }

    /// The site's folders, as of the last successful [`Engine::open`].
    pub fn paths(&self) -> Option<&SitePaths> {
        self.phase.paths()
    }

    /// The output folder, once known.
    pub fn output_dir(&self) -> Option<&Path> {
        self.paths().map(|p| p.output.as_path())
    }

    /// The renderer's identity: the binary (a new gazette may render differently, and
    /// the built-in theme lives in it) and every option that changes the output.
    pub fn identity(&self) -> String {
        let exe = std::env::current_exe()
            .and_then(std::fs::metadata)
            .ok()
            .map(|m| (m.len(), m.modified().ok()));
        let output = self.paths().map(|p| p.output.display().to_string());
        let options = &self.work.options;
        format!(
            "{} {exe:?} {output:?} {:?} {} {:?}",
            env!("CARGO_PKG_VERSION"),
            options.base_url,
            options.drafts,
            options.reference.identity()
        )
    }

    /// Reads the configuration, maps the site's folders, takes the output's lock (unless
    /// this engine holds it) and imports the seeds.
    pub fn open(&mut self) -> Result<Opened, EngineError> {
        let root = self.work.options.root.as_path();
        let config = load_config(root, self.work.options.base_url.as_deref())?;
        let paths = SitePaths::new(root, &config, self.work.options.output.as_deref())?;
        self.work.lock_output(&paths)?;
        self.phase.set_paths(paths.clone());
        self.work.salt = crate::hash::of(self.identity());
        let import = import::run(&paths, &config, ImportOptions::default())?;
        Ok(Opened {
            config,
            import,
            paths,
        })
    }

    /// Reads the configuration and maps the site's folders without locking the output or
    /// importing seeds: for `check`, which commits nothing and writes nothing.
    pub fn open_read_only(&mut self) -> Result<Opened, EngineError> {
        let root = self.work.options.root.as_path();
        let config = load_config(root, self.work.options.base_url.as_deref())?;
        let paths = SitePaths::unchecked(root, &config, self.work.options.output.as_deref());
        self.phase.set_paths(paths.clone());
        Ok(Opened {
            config,
            import: ImportReport::default(),
            paths,
        })
    }

    /// Loads an opened site and renders the pages `wanted` picks in memory, in parallel,
    /// committing nothing, and hands each to `visit`; returns what it made of them, in
    /// the order of the pages, and what was loaded.
    pub fn load_in_memory<T: Send>(
        &mut self,
        opened: Opened,
        wanted: impl Fn(&pages::Job) -> bool + Sync,
        visit: impl Fn(usize, &[u8]) -> T + Sync,
    ) -> Result<(Vec<T>, Loaded<'_>), EngineError> {
        let mut previous = self.phase.take_state();
        let mut state = self.work.load(opened, None, previous.as_deref_mut())?;
        let seen = self.work.render_in_memory(&mut state, wanted, visit)?;
        let published = published_of(&self.work.options, &state.site);
        let state = self.phase.hold(state);
        let loaded = Loaded {
            paths: &state.paths,
            site: &state.site,
            theme: &state.theme,
            jobs: &state.jobs,
            files: &state.files,
            published,
        };
        Ok((seen, loaded))
    }

    /// Loads the theme and the content of an opened site, renders what it needs and
    /// commits it: the update of a build. `record`, the last build's, lets pages it
    /// recorded be carried over if the output is exactly as it left it (the output is
    /// walked to check, while the content loads).
    pub fn load_and_commit(
        &mut self,
        opened: Opened,
        record: Option<&cache::Record>,
        timings: &mut Timings,
    ) -> Result<Update, EngineError> {
        let mut previous = self.phase.take_state();
        let state = self.work.load(opened, record, previous.as_deref_mut());
        let state = match state {
            Ok(state) => state,
            Err(e) => {
                if let Some(previous) = previous {
                    self.phase.restore(previous);
                }
                return Err(e);
            }
        };
        timings.lap("load content");
        let started = Instant::now();
        let mut update = self.check_and_commit(state, Stale::ALL, true)?;
        update.full = true;
        update.warnings = self.warnings();
        update.millis = started.elapsed().as_millis();
        Ok(update)
    }

    /// Applies `changes` and brings the output in step (everything, the first time, after
    /// the configuration changed, or after the previous attempt failed to load the site).
    pub fn update(&mut self, changes: &Changes) -> Result<Update, EngineError> {
        let started = Instant::now();
        let (state, stale, full) = match self.phase.take_state() {
            Some(mut state) if !self.needs_reload(&state, changes) => {
                match self.work.apply(&mut state, changes) {
                    Ok(stale) => (state, stale, false),
                    Err(Failed { error, kept }) => {
                        // A site taken apart is dropped: the next update reloads it all
                        // (and keeps reporting this error until it is fixed).
                        if kept {
                            self.phase = Phase::Loaded(state);
                        }
                        return Err(error);
                    }
                }
            }
            mut previous => {
                // Set again by a load that succeeds; one that fails must not be retried
                // at once, over and over, for a due time that has passed.
                self.work.due = None;
                let loaded = self
                    .open()
                    .and_then(|opened| self.work.load(opened, None, previous.as_deref_mut()));
                match loaded {
                    Ok(state) => (state, Stale::ALL, true),
                    Err(e) => {
                        if let Some(previous) = previous {
                            self.phase.restore(previous);
                        }
                        return Err(e);
                    }
                }
            }
        };
        let mut update = self.check_and_commit(state, stale, full)?;
        update.full = full;
        if full {
            update.warnings = self.warnings();
        }
        update.millis = started.elapsed().as_millis();
        Ok(update)
    }

    /// Commits `state` and keeps it, unless its theme cannot render it: then the next
    /// update starts afresh.
    fn check_and_commit(
        &mut self,
        mut state: Box<State>,
        stale: Stale,
        rebuild_values: bool,
    ) -> Result<Update, EngineError> {
        render::check_theme(&state.site, &state.theme, &state.paths)?;
        let committed = self.work.commit(&mut state, stale, rebuild_values);
        self.phase = Phase::Loaded(state);
        committed
    }

    /// Whether `changes` need the whole site loaded again rather than applied to it.
    fn needs_reload(&self, state: &State, changes: &Changes) -> bool {
        changes.config
            || changes.rescan
            || changes.due
            || changes.shortcodes_changed()
            || state.folders_changed(&changes.content_other)
    }

    /// The loaded site's warnings.
    pub fn warnings(&self) -> Vec<String> {
        self.phase
            .state()
            .iter()
            .flat_map(|s| &s.site.warnings)
            .map(ToString::to_string)
            .collect()
    }

    /// The build record of the output as the last commit left it: `None` without a
    /// stamp for every file (then nothing may be recorded). `inputs` is the inputs'
    /// fingerprint, when the build may be skipped next time.
    pub fn record(&self, inputs: Option<u64>) -> Option<cache::Record> {
        let state = self.phase.state()?;
        let manifest = &self.work.manifest;
        let paths = state
            .jobs
            .iter()
            .map(|j| j.path.as_str())
            .chain(state.files.iter().map(|f| f.path.as_str()));
        let output = cache::output_of(paths.clone().zip(manifest.stamps.iter().copied()))?;
        let spare = manifest.kept.as_ref().and_then(|differs| {
            let files = paths.zip(manifest.stamps.iter().copied());
            Some(cache::SpareRecord {
                fingerprint: spare_fingerprint(&state.paths.spare(), files, differs)?,
                differs: differs.clone(),
            })
        });
        Some(cache::Record {
            inputs,
            output,
            articles: state.site.articles.len(),
            scheduled: state.site.scheduled,
            files: state.jobs.len() + state.files.len(),
            pages: manifest.pages.clone(),
            warnings: self.warnings(),
            published: Vec::new(),
            spare,
        })
    }

    /// The URLs the loaded site publishes (see [`crate::published`]).
    pub fn published(&self) -> Option<crate::published::Published> {
        let state = self.phase.state()?;
        Some(published_of(&self.work.options, &state.site))
    }
}

/// The URLs `site` publishes at the moment `options` say.
fn published_of(options: &BuildOptions, site: &Site) -> crate::published::Published {
    // A preview of what is scheduled (`--future`) published nothing of it.
    let now = options
        .reference
        .now()
        .unwrap_or_else(|| chrono::Utc::now().fixed_offset());
    crate::published::Published::of(site, now)
}

/// An update that could not be applied.
struct Failed {
    error: EngineError,
    /// Whether the site is as it was (else it was taken apart, and must be reloaded).
    kept: bool,
}

impl<E: Into<EngineError>> From<E> for Failed {
    fn from(error: E) -> Failed {
        Failed {
            error: error.into(),
            kept: true,
        }
    }
}

impl State {
    /// Whether any of `paths` is a folder of content that came or went: a folder now, or
    /// the folder of a file the site has.
    fn folders_changed(&self, paths: &BTreeSet<PathBuf>) -> bool {
        paths.iter().any(|p| {
            p.is_dir()
                || self.by_source.contains_key(p)
                || self.folders.contains(p)
                || self
                    .site
                    .authors
                    .iter()
                    .any(|a| a.profile.as_ref().is_some_and(|f| f.starts_with(p)))
        })
    }
}

impl Work {
    /// Takes the lock of `paths`' output, unless this engine holds it already.
    fn lock_output(&mut self, paths: &SitePaths) -> Result<(), EngineError> {
        if self
            .lock
            .as_ref()
            .is_none_or(|(held, _)| *held != paths.output)
        {
            // The old output's lock goes first: the new one may be the same folder named
            // another way.
            self.lock = None;
            let lock = OutputLock::acquire(paths, self.options.holder())?;
            self.lock = Some((paths.output.clone(), lock));
            // Whatever the engine knew of another output says nothing of this one.
            self.manifest = Manifest::default();
        }
        Ok(())
    }

    fn load_options(&self) -> LoadOptions {
        LoadOptions {
            drafts: self.options.drafts,
            // By the clock, "now" is the moment of each load: an article written during a
            // session is dated after the session started, and must not count as scheduled.
            published_by: self.options.reference.now(),
            held_html: self.options.held_html,
            ..LoadOptions::default()
        }
    }

    /// Loads the theme and the content of an opened site; on success the template values
    /// of `previous` (the site loaded before) are reused where they still hold.
    fn load(
        &mut self,
        opened: Opened,
        record: Option<&cache::Record>,
        previous: Option<&mut State>,
    ) -> Result<Box<State>, EngineError> {
        let paths = opened.paths;
        // Updates render what changed as the load renders everything.
        self.markdown
            .set_safe_html(opened.config.markdown.safe_html);
        let theme = Theme::load(&paths, &opened.config.theme)?;
        let shortcodes = content::shortcodes::Shortcodes::of_site(&paths)
            .map_err(content::ContentError::from)?;
        self.markdown.set_shortcodes(shortcodes.clone());
        let options = self.load_options();
        // Only an engine holding an output's lock reads and writes the content cache
        // (`check` writes nothing); `--no-cache` ignores it. Builds of one site into two
        // outputs share it: each shard is renamed into place whole.
        let cache =
            (self.lock.is_some() && !self.options.no_cache).then(|| paths.content_cache.clone());
        let (site, manifest) = rayon::join(
            || {
                let (config, content) = (opened.config, &paths.content);
                content::load_cached(config, content, options, shortcodes, cache.as_deref())
            },
            || record.and_then(|r| Manifest::from_record(r, &paths, self.lock.as_ref())),
        );
        let (site, loaded) = site?;
        self.loaded = loaded;
        if let Some(manifest) = manifest {
            self.manifest = manifest;
        }
        self.due = site.next_change();
        self.pending.clear();
        self.theme_pending = false;
        self.images_stale = true;
        Ok(Box::new(State {
            paths,
            theme,
            by_source: by_source(&site),
            folders: folders(&site),
            site,
            // Built by the commit, reusing the previous values where they still hold.
            shared: previous.and_then(|s| s.shared.take()),
            jobs: Vec::new(),
            files: Vec::new(),
            images: Arc::default(),
            search: None,
            search_files: 0,
        }))
    }

    /// Renders the pages `wanted` picks in memory (see [`Engine::load_in_memory`]).
    fn render_in_memory<T: Send>(
        &mut self,
        state: &mut State,
        wanted: impl Fn(&pages::Job) -> bool + Sync,
        visit: impl Fn(usize, &[u8]) -> T + Sync,
    ) -> Result<Vec<T>, EngineError> {
        let paths = &state.paths;
        render::check_theme(&state.site, &state.theme, paths)?;
        state.jobs = pages::jobs(&state.site);
        // Planned (every image read and checked), not made: a check writes nothing.
        state.images = Arc::new(self.planner.plan(
            &state.site,
            &state.theme.static_files,
            &state.theme.image_calls,
            &paths.image_cache,
        )?);
        state
            .theme
            .answer_images(state.images.answers(&state.site.config.base_url));
        let previous = state.shared.take();
        let shared =
            Shared::build_reusing(&state.site, &state.theme, &state.images, previous.as_ref());
        // Planned (its files listed), not made.
        state.search = plan_search(&state.site, &state.images);
        let paths = state.paths.clone();
        state.list_files(&paths);
        let indices: Vec<usize> = (0..state.jobs.len())
            .filter(|&i| wanted(&state.jobs[i]))
            .collect();
        let cards = Cards::new(&state.theme, &shared.article_urls);
        let seen = parallel::try_map(&indices, |&i| -> Result<_, EngineError> {
            let file = state.jobs[i].render(&state.site, &shared, &state.theme, &cards)?;
            let files::Contents::Rendered(bytes) = &file.contents else {
                unreachable!("pages are rendered")
            };
            Ok(visit(i, bytes))
        })?;
        if let Some(unreadable) = shared.unreadable() {
            return Err(unreadable.into());
        }
        state.shared = Some(shared);
        Ok(seen)
    }
}

impl Manifest {
    /// The pages `record` says the output holds, if the output is exactly as recorded
    /// (walked to check: a page edited or removed by hand is not carried over).
    ///
    /// The spare the build kept beside the output is taken too, if it is as recorded (see
    /// [`spare_as_recorded`]): the commit then brings it up to date rather than staging
    /// the whole site.
    fn from_record(
        record: &cache::Record,
        paths: &SitePaths,
        lock: Option<&(PathBuf, OutputLock)>,
    ) -> Option<Manifest> {
        if record.pages.is_empty() {
            return None;
        }
        let walked = cache::output_files(&paths.output)?;
        if walked.fingerprint != record.output {
            return None;
        }
        let mut manifest = Manifest {
            pages: record.pages.clone(),
            ..Manifest::default()
        };
        if let (Some(kept), Some((_, lock))) = (&record.spare, lock)
            && spare_as_recorded(kept, &paths.spare(), &walked)
            && let Some(spare) =
                output::Spare::take_kept(paths, lock, kept.differs.iter().cloned().collect())
        {
            manifest.site = Some(Arc::new(walked.files.keys().cloned().collect()));
            manifest.spare = SpareTree::Ready(spare);
        }
        manifest.walked = Some(walked.files);
        Some(manifest)
    }
}

/// Whether the spare at `dir` is as `kept` records it, beside an output `walked` and
/// found as recorded.
///
/// Without a walk where it can: the spare's files are hard links to the output's but
/// where they differ, so a file of the spare edited in place changes its output twin
/// (the output's walk sees it), and one removed or replaced leaves its twin with no other
/// link ([`cache::OutputFiles::alone`]). Then only the files that differ are stamped in
/// the spare. Where that does not show the spare intact (a file system without links, a
/// file of the spare replaced), the spare is walked and fingerprinted as before.
///
/// Not noticed without the walk: a file added by hand to the spare, or one removed or
/// replaced there whose output twin has another link besides (a processed image, linked
/// from the image cache too). The commit's record then misstates the new output, so the
/// next build's walk of the output sees it, and stages the whole site.
fn spare_as_recorded(kept: &cache::SpareRecord, dir: &Path, walked: &cache::OutputFiles) -> bool {
    let differing = |path: &str| {
        kept.differs
            .binary_search_by(|d| d.as_str().cmp(path))
            .is_ok()
    };
    let linked = walked.alone.iter().all(|path| differing(path));
    if linked {
        let files = walked
            .files
            .iter()
            .map(|(path, s)| (path.as_str(), Some(*s)));
        if spare_fingerprint(dir, files, &kept.differs) == Some(kept.fingerprint) {
            return true;
        }
    }
    cache::output(dir) == Some(kept.fingerprint)
}

/// The fingerprint of the spare kept at `dir`, from the stamps of the output's `files`
/// (their hard links) but where it `differs` (sorted), stamped there: no walk.
fn spare_fingerprint<'a>(
    dir: &Path,
    files: impl Iterator<Item = (&'a str, Option<FileStamp>)>,
    differs: &'a [String],
) -> Option<u64> {
    let differing = |path: &str| differs.binary_search_by(|d| d.as_str().cmp(path)).is_ok();
    let own = differs.iter().filter_map(|path| {
        let meta = std::fs::symlink_metadata(dir.join(path)).ok()?;
        Some((path.as_str(), FileStamp::of(&meta)))
    });
    cache::output_of(files.filter(|(path, _)| !differing(path)).chain(own))
}

/// The search index of `site`, if it has search.
fn plan_search(site: &Site, images: &Images) -> Option<Search> {
    site.config
        .search
        .enabled
        .then(|| Search::plan(site, images))
}

/// The search index's files, if the site has search.
fn search_files(search: Option<&Search>, paths: &SitePaths) -> Vec<files::OutputFile> {
    search.map_or_else(Vec::new, |s| s.files(&paths.search_cache))
}

/// Whether an edited article keeps its place in every list: then only its own value
/// changes.
fn stays_in_place(old: &content::Article, new: &content::Article) -> bool {
    let names = |links: &[content::Link]| links.iter().map(|l| l.slug.clone()).collect::<Vec<_>>();
    old.slug == new.slug
        && old.date == new.date
        && old.updated == new.updated
        && old.draft == new.draft
        // A breaking story's banner is on every page, with its title.
        && old.breaking == new.breaking
        && old.breaking_until == new.breaking_until
        && (!new.breaking || old.title == new.title)
        && old.pinned == new.pinned
        && old.pinned_until == new.pinned_until
        && old.aliases == new.aliases
        && old.query_aliases == new.query_aliases
        && old.path == new.path
        && old.image == new.image
        && old.image_credit == new.image_credit
        && old.body_images == new.body_images
        && old.climbing_paths == new.climbing_paths
        && old.bundle == new.bundle
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

fn by_source(site: &Site) -> HashMap<PathBuf, usize> {
    let sources = site.articles.iter().enumerate();
    sources.map(|(i, a)| (a.source.clone(), i)).collect()
}

fn folders(site: &Site) -> HashSet<PathBuf> {
    let mut folders = HashSet::new();
    let files = site.documents().map(|d| d.source());
    let indexes = site.sections.iter().filter_map(|s| s.index.as_ref());
    for file in files.chain(indexes.map(|i| i.file.as_path())) {
        for folder in file.ancestors().skip(1) {
            if !folders.insert(folder.to_path_buf()) {
                break;
            }
        }
    }
    folders
}

/// A stand-in while the real site is taken apart and reassembled.
fn placeholder_site(site: &Site) -> Site {
    Site {
        config: site.config.clone(),
        articles: Vec::new(),
        pages: Vec::new(),
        authors: Vec::new(),
        tags: Vec::new(),
        sections: Vec::new(),
        home_aliases: content::ListAliases::default(),
        warnings: Vec::new(),
        scheduled: 0,
        next_scheduled: None,
        breaking: Vec::new(),
        next_expiry: None,
        menu: Vec::new(),
        footer_menu: Vec::new(),
        front: content::Front::default(),
        next_unpinned: None,
        left_out: Vec::new(),
    }
}

impl Drop for Engine {
    /// A session's spare copy of the output goes with it (waiting for it if it is being
    /// made), so nothing of the session stays beside the output.
    fn drop(&mut self) {
        if let Some(spare) = self.work.manifest.spare.take() {
            spare.discard();
        }
    }
}
