//! A commit, as a sequence of steps each working from what the one before produced:
//! list the pages, plan the images, pick a staging tree, build the template values
//! (while the pages' folders are made), make the search index, list the other files,
//! track the new site's paths, sign every page, render and write, switch the staging
//! tree in, prune the caches and keep the new manifest.
//!
//! Invariant: nothing reaches the output before the switch; a step that fails leaves the
//! output as the last commit left it (the staging tree is dropped with its files).

use std::collections::HashSet;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use rayon::prelude::*;

use super::{Holder, Manifest, SpareTree, Stale, State, Timings, Update, Work, search_files};
use crate::engine::{EngineError, Progress, plan_search};
use crate::files::FileStamp;
use crate::images;
use crate::output::{self, OutputLock, Staging, WriteReport};
use crate::parallel;
use crate::paths::SitePaths;
use crate::render::{cards::Cards, context::Shared, pages};

/// The staging tree picked for a commit, and the paths the output held after the last
/// one (a session's; `None` for a build).
struct Staged {
    staging: Staging,
    previous_site: Option<Arc<HashSet<String>>>,
}

/// What rendering the pages produced.
struct Rendered {
    /// Each page's stamp in the output, in the order of the jobs.
    stamps: Vec<Option<FileStamp>>,
    /// How many were rendered (not carried over).
    rendered: usize,
}

impl Work {
    /// Builds what is stale, renders the pages whose signature the manifest lacks, carries
    /// the rest over, and commits the complete site in one step.
    pub(super) fn commit(
        &mut self,
        state: &mut State,
        mut stale: Stale,
        mut rebuild_values: bool,
    ) -> Result<Update, EngineError> {
        let mut timings = Timings::start();
        let progress = self.options.progress.clone().unwrap_or_default();
        progress.enter("preparing pages");
        let Some((_, lock)) = &self.lock else {
            return Err(EngineError::ReadOnly);
        };
        if stale.jobs {
            state.jobs = pages::jobs(&state.site);
            self.manifest.by_job.clear();
        }
        // Images are planned again whenever what uses them or what they are may have
        // changed; pages whose images changed get new values and signatures.
        let plan_images = self.images_stale || stale.jobs || stale.files;
        if plan_images && plan_images_again(&mut self.planner, &mut self.images_stale, state)? {
            rebuild_values = true;
            stale.files = true;
        }
        let Staged {
            staging,
            previous_site,
        } = pick_staging(&mut self.manifest, &state.paths, lock)?;
        rebuild_values |= stale.jobs;
        // Over an output with no page to carry over every page renders, so every
        // article's value is built now, beside the folders; otherwise as pages show them.
        let all_render = self.manifest.pages.is_empty();
        build_values(state, &staging, rebuild_values, all_render)?;
        timings.lap("plan (template values, folders)");
        let session = self.options.holder == Holder::Session;
        let make_search = make_search(state, session)?;
        timings.lap("search index");
        let swapped = list_files(state, &mut self.manifest, stale, make_search);
        staging.make_dirs(state.files.iter().map(|f| f.path.as_str()))?;
        // A session keeps a spare after every commit, a build over a previous output too.
        let new_site = (session || staging.updates())
            .then(|| site_paths(state, previous_site.as_ref(), stale, swapped.as_deref()));
        let (site_paths, gone) = match new_site {
            Some(NewSite { paths, gone }) => (Some(paths), gone),
            None => (None, None),
        };
        if let (true, Some(new), Some(previous)) = (staging.reuses(), &site_paths, &previous_site) {
            clear_spare(&staging, new, previous, gone.as_deref())?;
        }
        let signatures = sign(state, self.salt);
        let file_signatures = sign_files(state, self.salt);
        timings.lap("plan (signatures)");
        let (made, rendered) = render_pages(
            &mut *state,
            &self.manifest,
            &staging,
            &signatures,
            plan_images,
            &progress,
        );
        // A variant that could not be made (an image damaged past its header) is tried
        // again, and reported again, at the next commit, whatever it changes.
        if made.is_err() {
            self.images_stale = true;
        }
        let images_made = made?.variants;
        let mut rendered = rendered?;
        // A page showed a body it could not read back as empty: nothing is switched in.
        if let Some(unreadable) = state.values().unreadable() {
            return Err(unreadable.into());
        }
        progress.total.store(0, Ordering::Relaxed);
        progress.enter("writing");
        let files = write_files(
            state,
            &self.manifest,
            &staging,
            &previous_site,
            &rendered,
            &file_signatures,
        )?;
        rendered.stamps.extend(files);
        timings.lap("render and compare/write");
        progress.enter("committing");
        let removed = match (&site_paths, &previous_site, &gone) {
            (Some(new), Some(previous), _) if Arc::ptr_eq(new, previous) => Some(0),
            (_, _, Some(gone)) => Some(gone.len()),
            (Some(new), Some(previous), None) => {
                Some(previous.iter().filter(|p| !new.contains(*p)).count())
            }
            _ => None,
        };
        let (written, spare) = switch(staging, site_paths.as_ref(), removed, session)?;
        let (spare, kept) = match spare {
            // A spare that cannot be kept only costs the next build time.
            SpareTree::Ready(spare) if !session => {
                (SpareTree::None, spare.keep_beside(&state.paths).ok())
            }
            SpareTree::None if !session => {
                // A fresh output's: a spare kept for another output of the name is stale.
                output::Spare::forget_kept(&state.paths);
                (SpareTree::None, None)
            }
            spare => (spare, None),
        };
        timings.lap("commit");
        if plan_images {
            state.images.prune(&state.paths.image_cache);
        }
        if make_search && let Some(search) = &state.search {
            search.prune(&state.paths.search_cache);
        }
        let mut sorted = signatures.clone();
        sorted.extend(file_signatures.iter().flatten());
        sorted.par_sort_unstable();
        self.manifest = Manifest {
            pages: sorted,
            walked: None,
            by_job: signatures,
            stamps: rendered.stamps,
            files_current: true,
            site: site_paths,
            spare,
            kept,
        };
        Ok(Update {
            full: false,
            rendered: rendered.rendered,
            files: state.jobs.len() + state.files.len(),
            written,
            articles: state.site.articles.len(),
            scheduled: state.site.scheduled,
            millis: 0,
            warnings: Vec::new(),
            stages: timings.stages,
            images_made,
            values_built: state.values().articles_built(),
            values_swept: state.values().swept(),
            spilled: state
                .site
                .articles
                .iter()
                .filter(|a| a.html.is_spilled())
                .count(),
            search_counted: if make_search {
                state.search.as_ref().map_or(0, |s| s.counted())
            } else {
                0
            },
        })
    }
}

/// Plans the site's images again; returns whether what pages and templates see of them
/// changed (their values and the other files are then stale).
fn plan_images_again(
    planner: &mut images::Planner,
    images_stale: &mut bool,
    state: &mut State,
) -> Result<bool, EngineError> {
    *images_stale = true;
    let images = planner.plan(
        &state.site,
        &state.theme.static_files,
        &state.theme.image_calls,
        &state.paths.image_cache,
    )?;
    let changed = images.by_path != state.images.by_path
        || images.for_templates != state.images.for_templates;
    state
        .theme
        .answer_images(images.answers(&state.site.config.base_url));
    state.images = Arc::new(images);
    *images_stale = false;
    Ok(changed)
}

/// A commit brings its spare copy of the output up to date rather than staging the
/// whole site (which costs a folder and a link per page: ~0.3 s at 10,000 articles, and
/// deleting the replaced tree as much again): a session's, or the one the last build kept
/// (taken while the build record was checked). Without one, the whole site is staged.
fn pick_staging(
    manifest: &mut Manifest,
    paths: &SitePaths,
    lock: &OutputLock,
) -> Result<Staged, EngineError> {
    let previous_site = manifest.site.clone();
    let staging = match manifest.spare.take() {
        Some(spare) if previous_site.is_some() => Staging::reuse(paths, lock, spare),
        Some(spare) => {
            spare.discard();
            Staging::create(paths, lock)?
        }
        None => Staging::create(paths, lock)?,
    };
    Ok(Staged {
        staging,
        previous_site,
    })
}

/// Builds the template values if they are stale (reusing the previous ones where they
/// still hold; with `all_render`, every article's value) while the pages' folders are
/// made: making folders in one parent is serialized by the kernel, so it gains nothing
/// from more threads.
fn build_values(
    state: &mut State,
    staging: &Staging,
    rebuild: bool,
    all_render: bool,
) -> Result<(), EngineError> {
    let page_paths = || state.jobs.iter().map(|j| j.path.as_str());
    if !rebuild && state.shared.is_some() {
        return Ok(staging.make_dirs(page_paths())?);
    }
    let previous = state.shared.take();
    let build = || {
        let shared =
            Shared::build_reusing(&state.site, &state.theme, &state.images, previous.as_ref());
        // A site whose values go once passed builds each as its pages come.
        if all_render && !shared.sweeps() {
            shared.build_all(&state.site);
        }
        shared
    };
    let (shared, made) = rayon::join(build, || staging.make_dirs(page_paths()));
    state.shared = Some(shared);
    Ok(made?)
}

/// Plans the search index, which follows every article (planning it hashes each one),
/// and makes its parts (or finds them in the cache) if it changed; returns whether it
/// did.
///
/// A session keeps the tables of the parts it makes after its first commit, so an edit
/// counts the changed article alone when its part is made again; a build, and a
/// session's first commit (which would keep every part's), keep none.
fn make_search(state: &mut State, session: bool) -> Result<bool, EngineError> {
    let search = plan_search(&state.site, &state.images);
    let changed = search != state.search;
    if changed {
        let previous = state.search.take();
        let keep = session && previous.is_some();
        if let Some(mut search) = search {
            search.make(
                &state.site,
                &state.images,
                &state.paths.search_cache,
                previous,
                keep,
            )?;
            state.search = Some(search);
        }
    }
    Ok(changed)
}

/// Lists the files no template renders again if they are stale. The search files are the
/// last of them: when only they changed (an article edited in place), they are swapped,
/// not every file listed again; returns the ones swapped out.
fn list_files(
    state: &mut State,
    manifest: &mut Manifest,
    stale: Stale,
    search_changed: bool,
) -> Option<Vec<crate::files::OutputFile>> {
    if stale.jobs || stale.files {
        let paths = state.paths.clone();
        state.list_files(&paths);
        manifest.files_current = false;
        return None;
    }
    if !search_changed {
        return None;
    }
    let old = state
        .files
        .split_off(state.files.len() - state.search_files);
    let new = search_files(state.search.as_ref(), &state.paths);
    state.search_files = new.len();
    state.files.extend(new);
    manifest.files_current = false;
    Some(old)
}

/// The paths of the new site, and the paths of the old one it lost when that is known
/// without comparing the two (only the search files were swapped).
struct NewSite {
    paths: Arc<HashSet<String>>,
    gone: Option<Vec<String>>,
}

/// The paths of the new site, for a session: the same set while they stay the same.
/// When only the search files were swapped, the old set is copied and patched with the
/// difference of the two search listings (found with foldhash over the ~7,500 search
/// paths, not by looking each of the site's ~24,000 paths up with SipHash).
fn site_paths(
    state: &State,
    previous: Option<&Arc<HashSet<String>>>,
    stale: Stale,
    swapped: Option<&[crate::files::OutputFile]>,
) -> NewSite {
    match (previous, swapped) {
        (Some(previous), None) if !stale.jobs && !stale.files => NewSite {
            paths: previous.clone(),
            gone: Some(Vec::new()),
        },
        (Some(previous), Some(old)) if !stale.jobs && !stale.files => {
            let new = &state.files[state.files.len() - state.search_files..];
            fn set(files: &[crate::files::OutputFile]) -> foldhash::HashSet<&str> {
                files.iter().map(|f| f.path.as_str()).collect()
            }
            let (old_set, new_set) = (set(old), set(new));
            let gone: Vec<String> = old
                .iter()
                .filter(|f| !new_set.contains(f.path.as_str()))
                .map(|f| f.path.clone())
                .collect();
            let mut paths = HashSet::clone(previous);
            for path in &gone {
                paths.remove(path);
            }
            let added = new.iter().filter(|f| !old_set.contains(f.path.as_str()));
            paths.extend(added.map(|f| f.path.clone()));
            NewSite {
                paths: Arc::new(paths),
                gone: Some(gone),
            }
        }
        _ => NewSite {
            paths: Arc::new(
                state
                    .jobs
                    .iter()
                    .map(|j| j.path.clone())
                    .chain(state.files.iter().map(|f| f.path.clone()))
                    .collect(),
            ),
            gone: None,
        },
    }
}

/// Removes from a reused spare what the new site does not have: what differs from the
/// output, and, if the site's paths changed, what the output itself has (`gone`, when
/// known, else found by looking every previous path up in the new set).
fn clear_spare(
    staging: &Staging,
    new: &Arc<HashSet<String>>,
    previous: &Arc<HashSet<String>>,
    gone: Option<&[String]>,
) -> Result<(), EngineError> {
    let mut removed: Vec<&str> = staging.differing().filter(|p| !new.contains(*p)).collect();
    if !Arc::ptr_eq(new, previous) {
        match gone {
            Some(gone) => removed.extend(gone.iter().map(String::as_str)),
            None => removed.extend(
                previous
                    .iter()
                    .map(String::as_str)
                    .filter(|p| !new.contains(*p)),
            ),
        }
    }
    removed.sort_unstable();
    removed.dedup();
    for path in removed {
        staging.remove(path, previous.contains(path))?;
    }
    Ok(())
}

/// Every page's signature, salted with the renderer's identity, in the order of the jobs.
fn sign(state: &State, salt: u64) -> Vec<u64> {
    let (site, theme, jobs) = (&state.site, &state.theme, &state.jobs);
    let shared = state.values();
    jobs.par_iter()
        .map(|job| crate::hash::of((salt, job.signature(site, shared, theme))))
        .collect()
}

impl State {
    /// The template values, which [`build_values`] builds before any page is signed.
    fn values(&self) -> &Shared {
        match &self.shared {
            Some(shared) => shared,
            None => unreachable!("build_values builds them before pages are signed"),
        }
    }
}

/// The signature of every other file whose bytes are in memory (an alias's redirect page,
/// a sitemap), salted like the pages', in the order of the files; `None` for a file
/// copied or linked from elsewhere, which is compared instead. It covers the path and the
/// bytes: over an output still as recorded, a file whose signature is in the manifest is
/// there byte for byte, and is carried over without being opened (a site with 100,000
/// old URLs has as many redirect pages).
fn sign_files(state: &State, salt: u64) -> Vec<Option<u64>> {
    use crate::files::{Contents, StaticSource};
    state
        .files
        .par_iter()
        .map(|file| {
            let bytes: &[u8] = match &file.contents {
                Contents::Rendered(bytes) => bytes,
                Contents::Static(StaticSource::Embedded(bytes)) => bytes,
                Contents::Static(_) => return None,
            };
            Some(crate::hash::of((salt, "file", file.path.as_str(), bytes)))
        })
        .collect()
}

/// Renders every page whose signature the manifest lacks (carrying the others over)
/// while the image variants are made: pages need only their names and sizes.
fn render_pages(
    state: &mut State,
    manifest: &Manifest,
    staging: &Staging,
    signatures: &[u64],
    make_images: bool,
    progress: &Progress,
) -> (
    Result<images::Made, images::ImageError>,
    Result<Rendered, EngineError>,
) {
    let shared = match &mut state.shared {
        Some(shared) => shared,
        None => unreachable!("build_values builds them before pages are signed"),
    };
    let (site, theme, jobs) = (&state.site, &state.theme, &state.jobs);
    // Which pages the output already holds as they would render now, and their stamps.
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
    let mut cards = Cards::new(theme, &shared.article_urls);
    let sweep = Sweep::of(jobs, site, shared);
    let render_pages = || {
        let mut stamps = vec![None; jobs.len()];
        for (batch, key, next_key, after_next) in sweep.batches() {
            shared.sweep_ahead(key, after_next);
            let (values, shown) = (&*shared, &cards);
            let batch_stamps = parallel::try_map(batch, |&i| -> Result<_, EngineError> {
                let stamp = match carried(i) {
                    Some(stamp) => {
                        staging.keep(&jobs[i].path)?;
                        stamp
                    }
                    None => {
                        rendered.fetch_add(1, Ordering::Relaxed);
                        let file = jobs[i].render_into(site, values, theme, shown, PAGE.take())?;
                        let stamp = staging.write(&file)?;
                        if let crate::files::Contents::Rendered(buffer) = file.contents {
                            PAGE.set(buffer);
                        }
                        stamp
                    }
                };
                progress.done.fetch_add(1, Ordering::Relaxed);
                Ok(stamp)
            })?;
            for (&i, stamp) in batch.iter().zip(batch_stamps) {
                stamps[i] = stamp;
            }
            if let Some(key) = next_key {
                shared.forget_passed(key);
                cards.forget_passed(key, |i| shared.is_hot(i));
            }
        }
        Ok(stamps)
    };
    let images = &state.images;
    let (made, stamps) = rayon::join(
        || {
            if make_images {
                images.process(&site.config.images)
            } else {
                Ok(images::Made::default())
            }
        },
        render_pages,
    );
    shared.end_sweep();
    let pages = stamps.map(|stamps| Rendered {
        stamps,
        rendered: rendered.into_inner(),
    });
    (made, pages)
}

/// The order pages render in. Where article values are kept for the whole build, any
/// order (all pages at once); where they go once passed (see `Shared::forget_passed`),
/// the order of `Job::sweep_key` in batches, each followed by the key the rest start at.
struct Sweep {
    order: Vec<usize>,
    /// Where each batch starts in `order`, and the sweep key of the pages from there.
    starts: Vec<(usize, usize)>,
}

/// Pages per batch of a sweep, at most: each batch waits for its slowest page, so not
/// too few; the values a batch's pages build all stay until it ends, so not too many. A
/// batch is a 64th of the pages, within 16 and this.
const SWEEP_BATCH: usize = 4096;

impl Sweep {
    fn of(jobs: &[pages::Job], site: &crate::content::Site, shared: &Shared) -> Sweep {
        if !shared.sweeps() {
            return Sweep {
                order: (0..jobs.len()).collect(),
                starts: vec![(0, 0)],
            };
        }
        let keys: Vec<usize> = jobs
            .par_iter()
            .map(|job| job.sweep_key(site, shared))
            .collect();
        let mut order: Vec<usize> = (0..jobs.len()).collect();
        // Ties in job order, so the order is the same every build.
        order.par_sort_by_key(|&i| (keys[i], i));
        let batch = (order.len() / 64).clamp(16, SWEEP_BATCH);
        let starts = (0..order.len())
            .step_by(batch)
            .map(|at| (at, keys[order[at]]))
            .collect();
        Sweep { order, starts }
    }

    /// Each batch of pages, with its sweep key, the next batch's (none after the last)
    /// and the one after that (see `Shared::sweep_ahead`; `usize::MAX` past the end).
    fn batches(&self) -> impl Iterator<Item = (&[usize], usize, Option<usize>, usize)> {
        self.starts.iter().enumerate().map(|(n, &(at, key))| {
            let next = self.starts.get(n + 1);
            let end = next.map_or(self.order.len(), |&(end, _)| end);
            let after_next = self.starts.get(n + 2).map_or(usize::MAX, |&(_, key)| key);
            (
                &self.order[at..end],
                key,
                next.map(|&(_, key)| key),
                after_next,
            )
        })
    }
}

/// Writes the files no template renders (or keeps them, if the output has them as they
/// are: known by their `signatures`, see [`sign_files`], or compared); returns their
/// stamps, in order.
fn write_files(
    state: &State,
    manifest: &Manifest,
    staging: &Staging,
    previous_site: &Option<Arc<HashSet<String>>>,
    pages: &Rendered,
    signatures: &[Option<u64>],
) -> Result<Vec<Option<FileStamp>>, EngineError> {
    let files_current =
        manifest.files_current && manifest.stamps.len() == pages.stamps.len() + state.files.len();
    let offset = state.jobs.len();
    // A packed file (a search part's) is named by what it holds: one the output had at
    // the last commit known exactly (recorded and walked, or this session's) holds it.
    let known_before = |file: &crate::files::OutputFile| -> Option<Option<FileStamp>> {
        let crate::files::Contents::Static(crate::files::StaticSource::Packed { len, .. }) =
            &file.contents
        else {
            return None;
        };
        match (&manifest.walked, previous_site) {
            (Some(walked), _) => walked
                .get(&file.path)
                .filter(|stamp| stamp.len == *len)
                .map(|stamp| Some(*stamp)),
            (None, Some(previous)) => previous.contains(&file.path).then_some(None),
            (None, None) => None,
        }
    };
    // As a page is carried over (`render_pages`): a recorded signature, and the file
    // found by the walk that checked the output against the record.
    let signed = |i: usize| -> Option<Option<FileStamp>> {
        manifest.pages.binary_search(&signatures[i]?).ok()?;
        match &manifest.walked {
            Some(walked) => walked.get(&state.files[i].path).map(|s| Some(*s)),
            None => Some(None),
        }
    };
    let file_indices: Vec<usize> = (0..state.files.len()).collect();
    parallel::try_map(&file_indices, |&i| -> Result<_, EngineError> {
        let file = &state.files[i];
        if files_current {
            staging.keep(&file.path)?;
            Ok(manifest.stamps[offset + i])
        } else if let Some(stamp) = signed(i).or_else(|| known_before(file)) {
            staging.keep(&file.path)?;
            Ok(stamp)
        } else {
            Ok(staging.write(file)?)
        }
    })
}

/// Switches the staging tree in and keeps the tree it replaced as the next spare
/// (when `site_paths` are known). A session makes a spare that needs reading or copying
/// the whole tree on another thread, off the edit's path; a build (`session` false)
/// prunes the previous output it replaced at once, which costs a walk where deleting it
/// cost a deletion per file and folder, and makes no spare of nothing. `removed`: how
/// many paths of the previous site the new one lacks, if there was one.
fn switch(
    staging: Staging,
    site_paths: Option<&Arc<HashSet<String>>>,
    removed: Option<usize>,
    session: bool,
) -> Result<(WriteReport, SpareTree), EngineError> {
    let Some(new) = site_paths else {
        return Ok((staging.commit()?, SpareTree::None));
    };
    let (mut written, replaced) = staging.commit_keeping()?;
    if let Some(removed) = removed {
        written.removed = removed;
    }
    let new = new.clone();
    let spare = match replaced {
        Some(replaced) if replaced.is_known() => SpareTree::Ready(replaced.into_spare(&new)?),
        Some(replaced) if session => {
            SpareTree::Making(std::thread::spawn(move || replaced.into_spare(&new).ok()))
        }
        // The site is in place: a tree that cannot be pruned only costs the next build
        // its spare (it is deleted as an abandoned staging folder).
        Some(replaced) => match replaced.into_spare_counting(&new) {
            Ok((spare, removed)) => {
                written.removed = removed;
                SpareTree::Ready(spare)
            }
            Err(_) => SpareTree::None,
        },
        None => SpareTree::None,
    };
    Ok((written, spare))
}
