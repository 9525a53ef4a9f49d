//! `gazette build` start to end: the one-shot run of the [`Engine`] — open the site
//! (config, folders, lock, import), skip the build if its record says nothing changed,
//! load, render what the manifest lacks, commit, save the record.
//!
//! Invariant: nothing is written to the output folder unless every stage before `output`
//! succeeded; the output is locked from start to end.

use std::path::{Path, PathBuf};

use crate::cache;
pub use crate::engine::{BuildOptions, Holder, Progress, Reference, Timings, load_config};
use crate::engine::{Engine, EngineError};
use crate::import::ImportReport;
use crate::output;
use crate::paths::SitePaths;
use crate::published::Published;

#[derive(Debug)]
pub struct BuildReport {
    pub import: ImportReport,
    pub output_dir: PathBuf,
    pub articles: usize,
    /// Articles left out as scheduled for later.
    pub scheduled: usize,
    pub files: usize,
    pub written: output::WriteReport,
    /// Pages rendered, of `files`: over an output left exactly as the last build recorded
    /// it, pages whose signature is unchanged are already there and are not rendered.
    pub rendered: usize,
    /// Image variants made (not in the image cache).
    pub images_made: usize,
    pub warnings: Vec<String>,
    pub timings: Timings,
    /// Nothing was rendered: the inputs and the output were exactly as the last build
    /// left them (see [`cache`]).
    pub cached: bool,
    /// Articles and pages taken from the content cache, and parsed (see
    /// `content::load_cache`).
    pub content: crate::content::load_cache::Counts,
    /// Articles whose template value the build made or reused (see `Update`).
    pub values_built: usize,
    /// What the render held and made, if values went once shown (see `Update`).
    pub values_swept: Option<crate::render::context::SweepCounts>,
    /// Articles whose HTML waited on disk during the build (see `Update`).
    pub spilled: usize,
}

pub fn build(options: &BuildOptions) -> Result<BuildReport, EngineError> {
    let mut timings = Timings::start();
    let progress = options.progress.clone().unwrap_or_default();
    let mut engine = Engine::new(BuildOptions {
        progress: Some(progress.clone()),
        ..options.clone()
    });
    progress.enter("importing seeds");
    let opened = engine.open()?;
    timings.lap("open and import");
    let paths = opened.paths.clone();
    let output_dir = paths.output.clone();
    let fingerprint = input_fingerprint(&paths, &engine.identity());
    let record = cache::load(&paths);
    // What the site published before counts even for a build that ignores the cache.
    let before = Published::before(record.as_ref(), &paths, &opened.config.base_url)?;
    let record = record.filter(|_| !options.no_cache);
    if let Some(record) =
        fingerprint.and_then(|f| up_to_date(record.as_ref(), f.fingerprint, &output_dir))
    {
        timings.lap("check the build cache: output up to date");
        let mut warnings = opened.import.warnings.clone();
        warnings.extend(record.warnings);
        return Ok(BuildReport {
            import: opened.import,
            output_dir,
            articles: record.articles,
            scheduled: record.scheduled,
            files: record.files,
            written: output::WriteReport {
                unchanged: record.files,
                ..Default::default()
            },
            rendered: 0,
            images_made: 0,
            warnings,
            timings,
            cached: true,
            content: Default::default(),
            values_built: 0,
            values_swept: None,
            spilled: 0,
        });
    }
    timings.lap("check the build cache");
    progress.enter("loading content");
    let import = opened.import.clone();
    let update = engine.load_and_commit(opened, record.as_ref(), &mut timings)?;
    timings.stages.extend(update.stages.iter().copied());
    timings.restart();
    // A build that left scheduled articles out by the clock, shows a banner that
    // ends or pinned a story until a moment to come, is out of date as soon as the first of those moments passes: it is
    // not recorded.
    let time_bound = options.reference == Reference::Clock && engine.next_due().is_some();
    let inputs = fingerprint
        .filter(|f| f.settled && !time_bound)
        .map(|f| f.fingerprint);
    // URLs published before and gone now, carried until something answers them again.
    let now = engine.published().unwrap_or_default();
    let gone: Vec<String> = before.gone(&now).iter().map(ToString::to_string).collect();
    match engine.record(inputs) {
        Some(mut saved) => {
            saved.published = before.carried_into(now).to_record();
            saved.warnings.extend(gone.iter().cloned());
            cache::save(&paths, &saved)
        }
        // Without stamps there is nothing to record, and an older record must not match.
        None => cache::forget(&paths),
    }
    timings.lap("save the build cache");
    let mut warnings = import.warnings.clone();
    warnings.extend(update.warnings);
    warnings.extend(gone);
    // Freeing a large site takes a noticeable share of a build; do it off the critical
    // path (a command-line build may exit before it is done, which is fine). The output
    // is free from now on.
    engine.release_output();
    let engine_counts = engine.content_counts();
    std::thread::spawn(move || drop(engine));
    Ok(BuildReport {
        import,
        output_dir,
        articles: update.articles,
        scheduled: update.scheduled,
        files: update.files,
        written: update.written,
        rendered: update.rendered,
        images_made: update.images_made,
        warnings,
        timings,
        cached: false,
        content: engine_counts,
        values_built: update.values_built,
        values_swept: update.values_swept,
        spilled: update.spilled,
    })
}

/// The fingerprint of everything the output depends on; `None` when an input cannot be
/// read (the build itself will then say what is wrong).
fn input_fingerprint(paths: &SitePaths, identity: &str) -> Option<cache::Inputs> {
    cache::inputs(
        identity,
        &[paths.config_file.clone(), paths.published.clone()],
        &[
            paths.content.clone(),
            paths.templates.clone(),
            paths.static_files.clone(),
            paths.theme.clone(),
        ],
    )
}

/// The last build's record, if it was made from these inputs and its output is untouched.
fn up_to_date(
    record: Option<&cache::Record>,
    inputs: u64,
    output_dir: &Path,
) -> Option<cache::Record> {
    let record = record?;
    (record.inputs == Some(inputs) && cache::output(output_dir) == Some(record.output))
        .then(|| record.clone())
}
