//! An update's changes applied to the loaded site: files remembered as pending (so what
//! fails is retried next time), seeds imported, the theme reloaded, then the pending
//! files loaded and either swapped in place (articles edited without moving in any list)
//! or the site reassembled from its parts.
//!
//! Invariant: a file that fails to load fails the update before the site is touched, and
//! stays pending; only a failed reassembly leaves the site taken apart (then dropped).

use std::path::PathBuf;
use std::sync::Arc;

use super::{Failed, Stale, State, Work, by_source, folders, placeholder_site, stays_in_place};
use crate::content::{self, Site};
use crate::engine::{Changes, EngineError};
use crate::images::Images;
use crate::import::{self, ImportOptions};
use crate::parallel;
use crate::paths::SitePaths;
use crate::render::{Theme, context::Shared};

/// Each pending file as it loads now: `None` for a file that is gone.
type Reloaded = Vec<(PathBuf, Option<content::Loaded>)>;

impl Work {
    /// Applies `changes` to `state`; returns what they may have made stale.
    pub(super) fn apply(&mut self, state: &mut State, changes: &Changes) -> Result<Stale, Failed> {
        // Remember everything first, so that what fails below is retried next time.
        self.remember(&state.paths, changes);
        if changes.seeds {
            import::run(&state.paths, &state.site.config, ImportOptions::default())?;
        }
        let mut stale = Stale {
            jobs: false,
            files: false,
        };
        if self.theme_pending {
            reload_theme(state)?;
            self.theme_pending = false;
            stale.files = true;
        }
        if self.pending.is_empty() {
            return Ok(stale);
        }
        // Load every pending file first: a broken one fails the update before the site
        // is touched, and stays pending.
        let loaded = self.load_pending(state)?;
        // The fast path: articles edited in place (same date, slug, bylines, tags, draft
        // state) change their own values and nothing else.
        let in_place = edited_in_place(state, &loaded);
        if let (Some(indices), Some(shared)) = (in_place, state.shared.as_mut()) {
            stale.files |= edit_in_place(&mut state.site, &state.images, shared, loaded, indices);
            self.pending.clear();
            return Ok(stale);
        }
        self.reassemble(state, loaded)?;
        Ok(Stale::ALL)
    }

    /// Marks the files `changes` name as pending. A file of a page bundle (an image beside
    /// `index.md`, or a note) changes its article's files, not the site's articles: its
    /// `index.md` is reloaded (listing the files again) and the images planned again.
    fn remember(&mut self, paths: &SitePaths, changes: &Changes) {
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
    }

    /// Every pending file, loaded in parallel.
    fn load_pending(&self, state: &State) -> Result<Reloaded, EngineError> {
        let pending: Vec<&PathBuf> = self.pending.iter().collect();
        let zone = state.site.config.timezone;
        let content = &state.paths.content;
        Ok(parallel::try_map(&pending, |&path| {
            if path.is_file() {
                content::load_file(path, content, &self.markdown, zone)
                    .map(|l| (path.clone(), Some(l)))
            } else {
                Ok((path.clone(), None))
            }
        })?)
    }

    /// Takes the site apart, swaps the reloaded files in and assembles it again. If that
    /// fails, the site is gone: the update fails and the next one reloads everything.
    fn reassemble(&mut self, state: &mut State, loaded: Reloaded) -> Result<(), Failed> {
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
        let site = content::assemble(config, parts, self.load_options()).map_err(|e| Failed {
            error: e.into(),
            kept: false,
        })?;
        self.due = self.due.into_iter().chain(site.next_change()).min();
        state.by_source = by_source(&site);
        state.folders = folders(&site);
        state.site = site;
        self.pending.clear();
        Ok(())
    }
}

/// Loads the theme again. Feed items take or drop their escaped HTML with the theme's
/// use of it: then the commit builds the values again (see `Shared::build_reusing`).
fn reload_theme(state: &mut State) -> Result<(), EngineError> {
    state.theme = Theme::load(&state.paths, &state.site.config.theme)?;
    if state
        .shared
        .as_ref()
        .is_some_and(|s| s.content_xml != state.theme.uses_content_xml())
    {
        state.shared = None;
    }
    Ok(())
}

/// The index of each reloaded file's article, if every one is an article edited in place.
fn edited_in_place(state: &State, loaded: &Reloaded) -> Option<Vec<usize>> {
    loaded
        .iter()
        .map(|(path, file)| match file {
            Some(content::Loaded::Article(new)) => state
                .by_source
                .get(path)
                .copied()
                .filter(|&i| stays_in_place(&state.site.articles[i], new)),
            _ => None,
        })
        .collect()
}

/// Swaps articles edited in place into `site` and refreshes their values; returns
/// whether a title changed (the files that list titles are then stale).
fn edit_in_place(
    site: &mut Site,
    images: &Arc<Images>,
    shared: &mut Shared,
    loaded: Reloaded,
    indices: Vec<usize>,
) -> bool {
    let mut titles = false;
    for ((_, file), i) in loaded.into_iter().zip(indices) {
        let Some(content::Loaded::Article(mut new)) = file else {
            unreachable!("only articles take the fast path")
        };
        let old = &site.articles[i];
        titles |= old.title != new.title;
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
        site.resolve_internal_links(&mut new);
        site.articles[i] = *new;
        shared.refresh_article(site, images, i);
    }
    titles
}
