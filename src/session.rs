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
use crate::pipeline::{BuildOptions, load_config};
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
    /// Content files added, modified or removed.
    pub content: BTreeSet<PathBuf>,
}

impl Changes {
    pub fn is_empty(&self) -> bool {
        !self.config && !self.seeds && !self.theme && self.content.is_empty()
    }
}

/// What one rebuild did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rebuild {
    /// Everything was reloaded (first build, `config.toml`, or recovery from an error).
    pub full: bool,
    /// Pages rendered because their signature changed.
    pub rendered: usize,
    pub written: WriteReport,
    pub articles: usize,
    pub millis: u128,
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
    /// Every other file on disk (sitemaps, static files), by output path.
    files: HashSet<String>,
}

/// The loaded site and everything derived from it.
struct State {
    output_dir: PathBuf,
    content_dir: PathBuf,
    theme: Theme,
    site: Site,
    shared: Shared,
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
            files: HashSet::new(),
        }
    }

    /// The output folder of the last successful load.
    pub fn output_dir(&self) -> Option<&Path> {
        self.state.as_ref().map(|s| s.output_dir.as_path())
    }

    /// Applies `changes` and rebuilds what they touch (everything, the first time or after
    /// `config.toml` changed or the previous attempt failed to load the site).
    pub fn rebuild(&mut self, changes: &Changes) -> Result<Rebuild, Error> {
        let started = Instant::now();
        let full = self.state.is_none() || changes.config;
        if full {
            self.reload_all()?;
        } else {
            self.apply(changes)?;
        }
        let mut report = self.render_and_write()?;
        report.full = full;
        report.millis = started.elapsed().as_millis();
        Ok(report)
    }

    fn reload_all(&mut self) -> Result<(), Error> {
        let root = self.options.root.as_path();
        let config = load_config(root, self.options.base_url.as_deref())?;
        import::run(root, &config, ImportOptions::default())?;
        let output_dir = match &self.options.output {
            Some(dir) => dir.clone(),
            None => root.join(&config.output_dir),
        };
        let content_dir = root.join(&config.content_dir);
        let theme = Theme::load(root, &config.theme)?;
        let mut site = content::load(config, &content_dir, self.load_options())?;
        let previous = self.state.take();
        let shared = Shared::build_reusing(&mut site, previous.as_ref().map(|s| &s.shared));
        self.pending.clear();
        self.theme_pending = false;
        self.state = Some(State {
            output_dir,
            content_dir,
            theme,
            site,
            shared,
        });
        Ok(())
    }

    fn load_options(&self) -> LoadOptions {
        LoadOptions {
            drafts: self.options.drafts,
        }
    }

    fn apply(&mut self, changes: &Changes) -> Result<(), Error> {
        let root = self.options.root.clone();
        let load_options = self.load_options();
        // Remember everything first, so that what fails below is retried next time.
        self.pending.extend(changes.content.iter().cloned());
        self.theme_pending |= changes.theme;
        let state = self.state.as_mut().expect("apply runs on a loaded session");
        if changes.seeds {
            import::run(&root, &state.site.config, ImportOptions::default())?;
        }
        if self.theme_pending {
            state.theme = Theme::load(&root, &state.site.config.theme)?;
            self.theme_pending = false;
        }
        if self.pending.is_empty() {
            return Ok(());
        }
        // Load every pending file first: a broken one fails the rebuild before the site
        // is touched, and stays pending.
        let loaded: Vec<(PathBuf, Option<Loaded>)> = self
            .pending
            .par_iter()
            .map(|path| {
                if path.is_file() {
                    content::load_file(path, &state.content_dir, &self.markdown)
                        .map(|l| (path.clone(), Some(l)))
                } else {
                    Ok((path.clone(), None))
                }
            })
            .collect::<Result<_, _>>()?;

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
            Ok(mut site) => {
                state.shared = Shared::build_reusing(&mut site, Some(&state.shared));
                state.site = site;
                self.pending.clear();
                Ok(())
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
    fn render_and_write(&mut self) -> Result<Rebuild, Error> {
        let state = self.state.as_ref().expect("rebuilt");
        let (site, shared, theme) = (&state.site, &state.shared, &state.theme);
        let jobs = pages::jobs(site);
        let signatures: Vec<u64> = jobs
            .par_iter()
            .map(|job| job.signature(site, shared, theme))
            .collect();
        let files = render::files(site, theme, &jobs);
        let first = self.written.is_empty() && self.files.is_empty();

        let staging = output::Staging::create(&self.options.root, &state.output_dir)?;
        let changed: Vec<usize> = (0..jobs.len())
            .filter(|&i| self.written.get(&jobs[i].path) != Some(&signatures[i]))
            .collect();
        if first {
            staging.make_dirs(jobs.iter().map(|j| j.path.as_str()))?;
        }
        changed.par_iter().try_for_each(|&i| -> Result<(), Error> {
            staging.write(&jobs[i].render(site, shared, theme)?)?;
            Ok(())
        })?;
        files
            .par_iter()
            .try_for_each(|file| staging.write(file).map(|_| ()))?;

        let now: HashSet<&str> = jobs
            .iter()
            .map(|j| j.path.as_str())
            .chain(files.iter().map(|f| f.path.as_str()))
            .collect();
        let written = if first {
            staging.commit(now.iter().copied())?
        } else {
            let removed: Vec<&str> = self
                .written
                .keys()
                .chain(self.files.iter())
                .map(String::as_str)
                .filter(|p| !now.contains(p))
                .collect();
            staging.commit_changes(removed.into_iter())?
        };
        self.written = jobs
            .iter()
            .zip(&signatures)
            .map(|(j, s)| (j.path.clone(), *s))
            .collect();
        self.files = files.iter().map(|f| f.path.clone()).collect();
        Ok(Rebuild {
            full: false,
            rendered: changed.len(),
            written,
            articles: site.articles.len(),
            millis: 0,
        })
    }
}

/// A stand-in while the real site is taken apart and reassembled.
fn placeholder_site(site: &Site) -> Site {
    Site {
        config: site.config.clone(),
        articles: Vec::new(),
        authors: Vec::new(),
        tags: Vec::new(),
        warnings: Vec::new(),
    }
}
