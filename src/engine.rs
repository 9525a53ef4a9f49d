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
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Instant;

use chrono::{DateTime, FixedOffset};
use rayon::prelude::*;

use crate::cache;
use crate::config::Config;
use crate::content::{self, LoadOptions, Site, markdown};
use crate::error::Error;
use crate::files::{self, FileStamp};
use crate::images::{self, Images};
use crate::import::{self, ImportOptions, ImportReport};
use crate::output::{self, OutputLock, WriteReport};
use crate::parallel;
use crate::paths::SitePaths;
use crate::pipeline::{BuildOptions, Holder, Reference, Timings, load_config};
use crate::render::{self, Theme, context::Shared, pages};
use crate::search::Search;

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
}

/// A site whose configuration was read, whose folders are mapped and whose output is
/// locked, with its seeds imported: what [`Engine::load`] loads.
pub struct Opened {
    pub config: Config,
    pub import: ImportReport,
}

pub struct Engine {
    options: BuildOptions,
    /// Highlighted code blocks, kept across updates.
    markdown: markdown::Renderer,
    /// The output's lock, from the first [`Engine::open`] on (taken again if the output
    /// moves), with the folder it locks.
    lock: Option<(PathBuf, OutputLock)>,
    /// The site's folders, as of the last [`Engine::open`].
    paths: Option<SitePaths>,
    state: Option<State>,
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
}

/// A view of what an engine loaded, for `check`.
pub struct Loaded<'a> {
    pub site: &'a Site,
    pub theme: &'a Theme,
    pub jobs: &'a [pages::Job],
    pub files: &'a [files::OutputFile],
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

/// The loaded site and everything derived from it.
struct State {
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
    images: Images,
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
    /// The signatures of the pages in the output, sorted. A signature covers its page's
    /// path, so a page whose signature is here is in the output as it would render now.
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
            options,
            markdown: markdown::Renderer::default(),
            lock: None,
            paths: None,
            state: None,
            manifest: Manifest::default(),
            pending: BTreeSet::new(),
            theme_pending: false,
            due: None,
            salt: 0,
            planner: images::Planner::new(),
            images_stale: true,
        }
    }

    /// When a scheduled article comes due (or a pin ends) and the site should be reloaded
    /// to publish it; `None` when nothing is due, or the reference time is fixed.
    pub fn next_due(&self) -> Option<std::time::SystemTime> {
        let due = self
            .due
            .filter(|_| self.options.reference == Reference::Clock)?;
        Some(due.with_timezone(&chrono::Utc).into())
    }

    /// Gives the output's lock up (the engine commits nothing more).
    pub fn release_output(&mut self) {
        self.lock = None;
    }

    /// The site's folders, as of the last successful [`Engine::open`].
    pub fn paths(&self) -> Option<&SitePaths> {
        self.paths.as_ref()
    }

    /// The output folder, once known.
    pub fn output_dir(&self) -> Option<&Path> {
        self.paths.as_ref().map(|p| p.output.as_path())
    }

    /// The renderer's identity: the binary (a new gazette may render differently, and
    /// the built-in theme lives in it) and every option that changes the output.
    pub fn identity(&self) -> String {
        let exe = std::env::current_exe()
            .and_then(std::fs::metadata)
            .ok()
            .map(|m| (m.len(), m.modified().ok()));
        let output = self.paths.as_ref().map(|p| p.output.display().to_string());
        format!(
            "{} {exe:?} {output:?} {:?} {} {:?}",
            env!("CARGO_PKG_VERSION"),
            self.options.base_url,
            self.options.drafts,
            self.options.reference.identity()
        )
    }

    /// Reads the configuration, maps the site's folders, takes the output's lock (unless
    /// this engine holds it) and imports the seeds.
    pub fn open(&mut self) -> Result<Opened, Error> {
        let root = self.options.root.as_path();
        let config = load_config(root, self.options.base_url.as_deref())?;
        let paths = SitePaths::new(root, &config, self.options.output.as_deref())?;
        if self
            .lock
            .as_ref()
            .is_none_or(|(held, _)| *held != paths.output)
        {
            // The old output's lock goes first: the new one may be the same folder named
            // another way.
            self.lock = None;
            let lock = OutputLock::acquire(&paths, self.options.holder())?;
            self.lock = Some((paths.output.clone(), lock));
            // Whatever the engine knew of another output says nothing of this one.
            self.manifest = Manifest::default();
        }
        self.paths = Some(paths);
        self.salt = crate::hash::of(self.identity());
        let paths = self.paths.as_ref().expect("just set");
        let import = import::run(paths, &config, ImportOptions::default())?;
        Ok(Opened { config, import })
    }

    /// Reads the configuration and maps the site's folders without locking the output or
    /// importing seeds: for `check`, which commits nothing and writes nothing.
    pub fn open_read_only(&mut self) -> Result<Opened, Error> {
        let root = self.options.root.as_path();
        let config = load_config(root, self.options.base_url.as_deref())?;
        self.paths = Some(SitePaths::unchecked(
            root,
            &config,
            self.options.output.as_deref(),
        ));
        Ok(Opened {
            config,
            import: ImportReport::default(),
        })
    }

    /// Renders the pages `wanted` picks in memory, in parallel, committing nothing, and
    /// hands each to `visit`; returns what it made of them, in the order of the pages.
    pub fn render_in_memory<T: Send>(
        &mut self,
        wanted: impl Fn(&pages::Job) -> bool + Sync,
        visit: impl Fn(usize, &[u8]) -> T + Sync,
    ) -> Result<Vec<T>, Error> {
        let state = self.state.as_mut().expect("loaded");
        let paths = self.paths.as_ref().expect("opened");
        render::check_theme(&state.site, &state.theme, paths)?;
        state.jobs = pages::jobs(&state.site);
        // Planned (every image read and checked), not made: a check writes nothing.
        state.images = self.planner.plan(
            &state.site,
            &state.theme.static_files,
            &state.theme.image_calls,
            &paths.image_cache,
        )?;
        state
            .theme
            .answer_images(state.images.answers(&state.site.config.base_url));
        let previous = state.shared.take();
        let shared =
            Shared::build_reusing(&state.site, &state.theme, &state.images, previous.as_ref());
        // Planned (its files listed), not made.
        state.search = plan_search(&state.site, &state.images);
        state.list_files(paths);
        let state = &*state;
        let indices: Vec<usize> = (0..state.jobs.len())
            .filter(|&i| wanted(&state.jobs[i]))
            .collect();
        let seen = parallel::try_map(&indices, |&i| -> Result<_, Error> {
            let file = state.jobs[i].render(&state.site, &shared, &state.theme)?;
            let files::Contents::Rendered(bytes) = &file.contents else {
                unreachable!("pages are rendered")
            };
            Ok(visit(i, bytes))
        })?;
        self.state.as_mut().expect("loaded").shared = Some(shared);
        Ok(seen)
    }

    /// The loaded site and theme, and every output path (pages, then other files) as of
    /// the last commit or [`Engine::render_in_memory`].
    pub fn loaded(&self) -> Option<Loaded<'_>> {
        let state = self.state.as_ref()?;
        Some(Loaded {
            site: &state.site,
            theme: &state.theme,
            jobs: &state.jobs,
            files: &state.files,
        })
    }

    /// Loads the theme and the content of an opened site. `record`, the last build's,
    /// lets pages it recorded be carried over if the output is exactly as it left it
    /// (the output is walked to check, while the content loads).
    pub fn load(&mut self, opened: Opened, record: Option<&cache::Record>) -> Result<(), Error> {
        let paths = self.paths.as_ref().expect("opened");
        // Updates render what changed as the load renders everything.
        self.markdown
            .set_safe_html(opened.config.markdown.safe_html);
        let theme = Theme::load(paths, &opened.config.theme)?;
        let shortcodes =
            content::shortcodes::Shortcodes::of_site(paths).map_err(content::ContentError::from)?;
        self.markdown.set_shortcodes(shortcodes.clone());
        let options = self.load_options();
        let (site, manifest) = rayon::join(
            || content::load_with(opened.config, &paths.content, options, shortcodes),
            || record.and_then(|r| Manifest::from_record(r, &paths.output)),
        );
        let site = site?;
        if let Some(manifest) = manifest {
            self.manifest = manifest;
        }
        self.due = site.next_change();
        let previous = self.state.take().and_then(|s| s.shared);
        self.pending.clear();
        self.theme_pending = false;
        self.state = Some(State {
            theme,
            by_source: by_source(&site),
            folders: folders(&site),
            site,
            // Built by the commit, reusing the previous values where they still hold.
            shared: previous,
            jobs: Vec::new(),
            files: Vec::new(),
            images: Images::default(),
            search: None,
            search_files: 0,
        });
        self.images_stale = true;
        Ok(())
    }

    /// Renders what the loaded site needs and commits it: the update of a build.
    pub fn commit_all(&mut self) -> Result<Update, Error> {
        let started = Instant::now();
        let mut update = self.commit(Stale::ALL, true)?;
        update.full = true;
        update.warnings = self.warnings();
        update.millis = started.elapsed().as_millis();
        Ok(update)
    }

    /// Applies `changes` and brings the output in step (everything, the first time, after
    /// the configuration changed, or after the previous attempt failed to load the site).
    pub fn update(&mut self, changes: &Changes) -> Result<Update, Error> {
        let started = Instant::now();
        let full = self.state.is_none()
            || changes.config
            || changes.rescan
            || changes.due
            || changes.shortcodes_changed()
            || self.folders_changed(&changes.content_other);
        let stale = if full {
            // Set again by a load that succeeds; one that fails must not be retried at
            // once, over and over, for a due time that has passed.
            self.due = None;
            let opened = self.open()?;
            self.load(opened, None)?;
            Stale::ALL
        } else {
            self.apply(changes)?
        };
        let mut update = self.commit(stale, full)?;
        update.full = full;
        if full {
            update.warnings = self.warnings();
        }
        update.millis = started.elapsed().as_millis();
        Ok(update)
    }

    /// The loaded site's warnings.
    pub fn warnings(&self) -> Vec<String> {
        self.state
            .iter()
            .flat_map(|s| &s.site.warnings)
            .map(ToString::to_string)
            .collect()
    }

    /// The build record of the output as the last commit left it: `None` without a
    /// stamp for every file (then nothing may be recorded). `inputs` is the inputs'
    /// fingerprint, when the build may be skipped next time.
    pub fn record(&self, inputs: Option<u64>) -> Option<cache::Record> {
        let state = self.state.as_ref()?;
        let paths = state
            .jobs
            .iter()
            .map(|j| j.path.as_str())
            .chain(state.files.iter().map(|f| f.path.as_str()));
        let output = cache::output_of(paths.zip(self.manifest.stamps.iter().copied()))?;
        Some(cache::Record {
            inputs,
            output,
            articles: state.site.articles.len(),
            files: state.jobs.len() + state.files.len(),
            pages: self.manifest.pages.clone(),
            warnings: self.warnings(),
            published: Vec::new(),
        })
    }

    /// The URLs the loaded site publishes (see [`crate::published`]).
    pub fn published(&self) -> Option<crate::published::Published> {
        // A preview of what is scheduled (`--future`) published nothing of it.
        let now = self
            .options
            .reference
            .now()
            .unwrap_or_else(|| chrono::Utc::now().fixed_offset());
        self.state
            .as_ref()
            .map(|s| crate::published::Published::of(&s.site, now))
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

    fn load_options(&self) -> LoadOptions {
        LoadOptions {
            drafts: self.options.drafts,
            // By the clock, "now" is the moment of each load: an article written during a
            // session is dated after the session started, and must not count as scheduled.
            published_by: self.options.reference.now(),
            ..LoadOptions::default()
        }
    }

    fn apply(&mut self, changes: &Changes) -> Result<Stale, Error> {
        let load_options = self.load_options();
        // Remember everything first, so that what fails below is retried next time.
        let paths = self.paths.as_ref().expect("apply runs on a loaded engine");
        // A file of a page bundle (an image beside `index.md`, or a note) changes its
        // article's files, not the site's articles: its `index.md` is reloaded (listing
        // the files again) and the images planned again.
        for path in changes.content.iter().chain(&changes.content_other) {
            match content::bundle_index_of(path, &paths.content) {
                Some(index) => {
                    self.pending.insert(index);
                    self.images_stale = true;
                }
                None if changes.content.contains(path) => {
                    self.pending.insert(path.clone());
                }
                None => {}
            }
        }
        self.theme_pending |= changes.theme;
        let state = self.state.as_mut().expect("apply runs on a loaded engine");
        if changes.seeds {
            import::run(paths, &state.site.config, ImportOptions::default())?;
        }
        let mut stale = Stale {
            jobs: false,
            files: false,
        };
        if self.theme_pending {
            state.theme = Theme::load(paths, &state.site.config.theme)?;
            self.theme_pending = false;
            stale.files = true;
            // Feed items take or drop their escaped HTML with the theme's use of it: the
            // commit builds the values again (see `Shared::build_reusing`).
            if state
                .shared
                .as_ref()
                .is_some_and(|s| s.content_xml != state.theme.uses_content_xml())
            {
                state.shared = None;
            }
        }
        if self.pending.is_empty() {
            return Ok(stale);
        }
        // Load every pending file first: a broken one fails the update before the site
        // is touched, and stays pending.
        let pending: Vec<&PathBuf> = self.pending.iter().collect();
        let zone = state.site.config.timezone;
        let loaded: Vec<(PathBuf, Option<content::Loaded>)> =
            parallel::try_map(&pending, |&path| {
                if path.is_file() {
                    content::load_file(path, &paths.content, &self.markdown, zone)
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
                Some(content::Loaded::Article(new)) => state
                    .by_source
                    .get(path)
                    .copied()
                    .filter(|&i| stays_in_place(&state.site.articles[i], new)),
                _ => None,
            })
            .collect();
        if let (Some(indices), Some(shared)) = (in_place, state.shared.as_mut()) {
            for ((_, file), i) in loaded.into_iter().zip(indices) {
                let Some(content::Loaded::Article(mut new)) = file else {
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
                // The same file is in the same folder, so in the same section.
                new.section = old.section.clone();
                // Its place in the URL space stays too (the pattern's values did not change).
                new.permalink = old.permalink.clone();
                state.site.resolve_internal_links(&mut new);
                state.site.articles[i] = *new;
                shared.refresh_article(&state.site, &state.images, i);
            }
            self.pending.clear();
            return Ok(stale);
        }

        let placeholder = placeholder_site(&state.site);
        let site = std::mem::replace(&mut state.site, placeholder);
        let (config, mut parts) = site.disassemble();
        // Drafts left out of the site are not in `parts`, so a file is matched by path.
        for (path, file) in loaded {
            parts.remove(&path);
            if let Some(file) = file {
                parts.add(file);
            }
        }
        match content::assemble(config, parts, load_options) {
            Ok(site) => {
                self.due = self.due.into_iter().chain(site.next_change()).min();
                state.by_source = by_source(&site);
                state.folders = folders(&site);
                state.site = site;
                self.pending.clear();
                Ok(Stale::ALL)
            }
            Err(e) => {
                // The site was taken apart; the next update reloads everything (and keeps
                // reporting this error until it is fixed).
                self.state = None;
                Err(e.into())
            }
        }
    }

    /// Builds what is stale, renders the pages whose signature the manifest lacks, carries
    /// the rest over, and commits the complete site in one step.
    fn commit(&mut self, mut stale: Stale, mut rebuild_values: bool) -> Result<Update, Error> {
        let mut timings = Timings::start();
        let progress = self.options.progress.clone().unwrap_or_default();
        progress.enter("preparing pages");
        let paths = self.paths.as_ref().expect("opened");
        let (_, lock) = self.lock.as_ref().expect("taken by open");
        let loaded = self.state.as_ref().expect("loaded");
        if let Err(e) = render::check_theme(&loaded.site, &loaded.theme, paths) {
            // Planned for a site this theme cannot render: the next update starts afresh.
            self.state = None;
            return Err(e.into());
        }
        let state = self.state.as_mut().expect("loaded");
        if stale.jobs {
            state.jobs = pages::jobs(&state.site);
            self.manifest.by_job.clear();
        }
        // Images are planned again whenever what uses them or what they are may have
        // changed; pages whose images changed get new values and signatures.
        let plan_images = self.images_stale || stale.jobs || stale.files;
        if plan_images {
            self.images_stale = true;
            let images = self.planner.plan(
                &state.site,
                &state.theme.static_files,
                &state.theme.image_calls,
                &paths.image_cache,
            )?;
            if images.by_path != state.images.by_path
                || images.for_templates != state.images.for_templates
            {
                rebuild_values = true;
                stale.files = true;
            }
            state
                .theme
                .answer_images(images.answers(&state.site.config.base_url));
            state.images = images;
            self.images_stale = false;
        }
        // A session brings its spare copy of the output up to date rather than staging
        // the whole site (which costs a folder and a link per page: ~0.3 s at 10,000
        // articles); a build stages the whole site.
        let session = self.options.holder == Holder::Session;
        let previous_site = self.manifest.site.clone();
        let staging = match self.manifest.spare.take() {
            Some(spare) if session && previous_site.is_some() => {
                output::Staging::reuse(paths, lock, spare)
            }
            Some(spare) => {
                spare.discard();
                output::Staging::create(paths, lock)?
            }
            None => output::Staging::create(paths, lock)?,
        };
        // The values are built while the pages' folders are made: making folders in one
        // parent is serialized by the kernel, so it gains nothing from more threads.
        let page_paths = || state.jobs.iter().map(|j| j.path.as_str());
        let made = if rebuild_values || stale.jobs || state.shared.is_none() {
            let previous = state.shared.take();
            let (shared, made) = rayon::join(
                || {
                    Shared::build_reusing(
                        &state.site,
                        &state.theme,
                        &state.images,
                        previous.as_ref(),
                    )
                },
                || staging.make_dirs(page_paths()),
            );
            state.shared = Some(shared);
            made
        } else {
            staging.make_dirs(page_paths())
        };
        made?;
        // The search index follows every article; planning it hashes each one. Its parts
        // are made (or found in the cache) before its files can be listed.
        timings.lap("plan (template values, folders)");
        let search = plan_search(&state.site, &state.images);
        let make_search = search != state.search;
        if make_search {
            let previous = state.search.take();
            if let Some(mut search) = search {
                search.make(
                    &state.site,
                    &state.images,
                    &paths.search_cache,
                    previous.as_ref(),
                )?;
                state.search = Some(search);
            }
        }
        timings.lap("search index");
        // The search files are the last of the files: when only they changed (an article
        // edited in place), they are swapped, not every file listed again.
        let mut swapped: Option<Vec<files::OutputFile>> = None;
        if stale.jobs || stale.files {
            state.list_files(paths);
            self.manifest.files_current = false;
        } else if make_search {
            let old = state
                .files
                .split_off(state.files.len() - state.search_files);
            let new = search_files(state.search.as_ref(), paths);
            state.search_files = new.len();
            state.files.extend(new);
            swapped = Some(old);
            self.manifest.files_current = false;
        }
        staging.make_dirs(state.files.iter().map(|f| f.path.as_str()))?;
        // The paths of the new site, for a session: the same set while they stay the same.
        let site_paths: Option<Arc<HashSet<String>>> = match &previous_site {
            _ if !session => None,
            Some(previous) if !stale.jobs && !stale.files => match &swapped {
                None => Some(previous.clone()),
                Some(old) => {
                    let mut paths = HashSet::clone(previous);
                    for file in old {
                        paths.remove(&file.path);
                    }
                    let new = &state.files[state.files.len() - state.search_files..];
                    paths.extend(new.iter().map(|f| f.path.clone()));
                    Some(Arc::new(paths))
                }
            },
            _ => Some(Arc::new(
                state
                    .jobs
                    .iter()
                    .map(|j| j.path.clone())
                    .chain(state.files.iter().map(|f| f.path.clone()))
                    .collect(),
            )),
        };
        if staging.reuses() {
            // What the spare has that the new site does not: what differs from the output,
            // and, if the site's paths changed, what the output itself has.
            let new = site_paths.as_deref().expect("a session's");
            let previous = previous_site.as_deref().expect("checked when reused");
            let mut gone: Vec<&str> = staging.differing().filter(|p| !new.contains(*p)).collect();
            if !std::ptr::eq(new, previous) {
                gone.extend(
                    previous
                        .iter()
                        .map(String::as_str)
                        .filter(|p| !new.contains(*p)),
                );
            }
            gone.sort_unstable();
            gone.dedup();
            for path in gone {
                staging.remove(path, previous.contains(path))?;
            }
        }
        let (site, theme, jobs) = (&state.site, &state.theme, &state.jobs);
        let shared = state.shared.as_ref().expect("built above");
        let salt = self.salt;
        let signatures: Vec<u64> = jobs
            .par_iter()
            .map(|job| crate::hash::of((salt, job.signature(site, shared, theme))))
            .collect();
        timings.lap("plan (signatures)");

        // Which pages the output already holds as they would render now, and their stamps.
        let manifest = &self.manifest;
        let carried = |i: usize| -> Option<Option<FileStamp>> {
            if manifest.by_job.len() == jobs.len() {
                return (manifest.by_job[i] == signatures[i]).then(|| manifest.stamps[i]);
            }
            manifest.pages.binary_search(&signatures[i]).ok()?;
            match &manifest.walked {
                Some(walked) => walked.get(&jobs[i].path).map(|s| Some(*s)),
                None => Some(None),
            }
        };
        progress.total.store(jobs.len(), Ordering::Relaxed);
        progress.enter("rendering");
        let rendered = AtomicUsize::new(0);
        // Each thread renders into the buffer its last page was written from.
        thread_local! {
            static PAGE: std::cell::Cell<Vec<u8>> = const { std::cell::Cell::new(Vec::new()) };
        }
        let indices: Vec<usize> = (0..jobs.len()).collect();
        let render_pages = || {
            parallel::try_map(&indices, |&i| -> Result<_, Error> {
                let stamp = match carried(i) {
                    Some(stamp) => {
                        staging.keep(&jobs[i].path)?;
                        stamp
                    }
                    None => {
                        rendered.fetch_add(1, Ordering::Relaxed);
                        let file = jobs[i].render_into(site, shared, theme, PAGE.take())?;
                        let stamp = staging.write(&file)?;
                        if let files::Contents::Rendered(buffer) = file.contents {
                            PAGE.set(buffer);
                        }
                        stamp
                    }
                };
                progress.done.fetch_add(1, Ordering::Relaxed);
                Ok(stamp)
            })
        };
        // Variants are made while pages render: pages need only their names and sizes.
        let images = &state.images;
        let (made, stamps) = rayon::join(
            || {
                if plan_images {
                    images.process(&site.config.images)
                } else {
                    Ok(images::Made::default())
                }
            },
            render_pages,
        );
        // A variant that could not be made (an image damaged past its header) is tried
        // again, and reported again, at the next commit, whatever it changes.
        if made.is_err() {
            self.images_stale = true;
        }
        let made = made?;
        let mut stamps = stamps?;
        progress.total.store(0, Ordering::Relaxed);
        progress.enter("writing");
        let files_current =
            manifest.files_current && manifest.stamps.len() == stamps.len() + state.files.len();
        let offset = jobs.len();
        // A packed file (a search part's) is named by what it holds: one the output had at
        // the last commit known exactly (recorded and walked, or this session's) holds it.
        let known_before = |file: &files::OutputFile| -> Option<Option<FileStamp>> {
            let files::Contents::Static(files::StaticSource::Packed { len, .. }) = &file.contents
            else {
                return None;
            };
            match (&manifest.walked, &previous_site) {
                (Some(walked), _) => walked
                    .get(&file.path)
                    .filter(|stamp| stamp.len == *len)
                    .map(|stamp| Some(*stamp)),
                (None, Some(previous)) => previous.contains(&file.path).then_some(None),
                (None, None) => None,
            }
        };
        let file_indices: Vec<usize> = (0..state.files.len()).collect();
        stamps.extend(parallel::try_map(
            &file_indices,
            |&i| -> Result<_, Error> {
                let file = &state.files[i];
                if files_current {
                    staging.keep(&file.path)?;
                    Ok(manifest.stamps[offset + i])
                } else if let Some(stamp) = known_before(file) {
                    staging.keep(&file.path)?;
                    Ok(stamp)
                } else {
                    Ok(staging.write(file)?)
                }
            },
        )?);
        timings.lap("render and compare/write");
        progress.enter("committing");
        let (written, spare) = match &site_paths {
            None => (staging.commit()?, SpareTree::None),
            Some(new) => {
                let (mut written, replaced) = staging.commit_keeping()?;
                if let Some(previous) = &previous_site {
                    written.removed = previous.iter().filter(|p| !new.contains(*p)).count();
                }
                // The replaced tree becomes the next spare; where that means reading or
                // copying the whole tree, on another thread, off the edit's path.
                let new = new.clone();
                let spare = match replaced {
                    Some(replaced) if replaced.is_known() => {
                        SpareTree::Ready(replaced.into_spare(&new)?)
                    }
                    Some(replaced) => SpareTree::Making(std::thread::spawn(move || {
                        replaced.into_spare(&new).ok()
                    })),
                    None => SpareTree::None,
                };
                (written, spare)
            }
        };
        timings.lap("commit");

        if plan_images {
            state.images.prune(&paths.image_cache);
        }
        if make_search && let Some(search) = &state.search {
            search.prune(&paths.search_cache);
        }
        let mut sorted = signatures.clone();
        sorted.par_sort_unstable();
        self.manifest = Manifest {
            pages: sorted,
            walked: None,
            by_job: signatures,
            stamps,
            files_current: true,
            site: site_paths,
            spare,
        };
        Ok(Update {
            full: false,
            rendered: rendered.into_inner(),
            files: jobs.len() + state.files.len(),
            written,
            articles: site.articles.len(),
            scheduled: site.scheduled,
            millis: 0,
            warnings: Vec::new(),
            stages: timings.stages,
            images_made: made.variants,
        })
    }
}

impl Manifest {
    /// The pages `record` says the output holds, if the output is exactly as recorded
    /// (walked to check: a page edited or removed by hand is not carried over).
    fn from_record(record: &cache::Record, output: &Path) -> Option<Manifest> {
        if record.pages.is_empty() {
            return None;
        }
        let (fingerprint, walked) = cache::output_files(output)?;
        (fingerprint == record.output).then(|| Manifest {
            pages: record.pages.clone(),
            walked: Some(walked),
            ..Manifest::default()
        })
    }
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
        if let Some(spare) = self.manifest.spare.take() {
            spare.discard();
        }
    }
}
