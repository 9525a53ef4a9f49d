//! `gazette build` start to end: the one-shot run of the [`Engine`] — open the site
//! (config, folders, lock, import), skip the build if its record says nothing changed,
//! load, render what the manifest lacks, commit, save the record.
//!
//! Invariant: nothing is written to the output folder unless every stage before `output`
//! succeeded; the output is locked from start to end.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use chrono::{DateTime, FixedOffset};

use crate::cache;
use crate::config::{Config, normalize_base_url};
use crate::engine::Engine;
use crate::error::Error;
use crate::import::ImportReport;
use crate::output;
use crate::paths::SitePaths;
use crate::published::Published;

#[derive(Debug, Clone, Default)]
pub struct BuildOptions {
    pub root: PathBuf,
    /// Overrides `output_dir` (relative paths are relative to the current directory).
    pub output: Option<PathBuf>,
    /// Overrides `base_url`.
    pub base_url: Option<String>,
    pub drafts: bool,
    /// Which articles are published: those dated at or before this moment.
    pub reference: Reference,
    /// Where the build reports how far it got, for a progress line.
    pub progress: Option<Arc<Progress>>,
    /// Ignore the last build's record (see [`cache`]): render every page and look at
    /// every output file. The build still records itself for the next one.
    pub no_cache: bool,
    /// Who holds the output's lock, for the message another gazette gets.
    pub holder: Holder,
}

/// The command that runs an engine, as the output's lock names it.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Holder {
    #[default]
    Build,
    Session,
}

impl BuildOptions {
    pub fn holder(&self) -> &'static str {
        match self.holder {
            Holder::Build => "gazette build",
            Holder::Session => "gazette watch or serve",
        }
    }
}

/// The moment that decides which articles are published: those dated at or before it.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Reference {
    /// Every article, whatever its date (`--future`).
    #[default]
    Everything,
    /// The clock, read at each load: scheduled articles appear as they come due, and a
    /// build that left one out is never skipped by the build cache.
    Clock,
    /// A fixed moment (`SOURCE_DATE_EPOCH`), for reproducible builds.
    Fixed(DateTime<FixedOffset>),
}

impl Reference {
    /// The reference of a command: everything with `--future`, else `SOURCE_DATE_EPOCH`
    /// (seconds since 1970) when set, else the clock.
    pub fn of_command(future: bool) -> Result<Reference, Error> {
        if future {
            return Ok(Reference::Everything);
        }
        match std::env::var("SOURCE_DATE_EPOCH") {
            Ok(value) => value
                .trim()
                .parse::<i64>()
                .ok()
                .and_then(|s| DateTime::from_timestamp(s, 0))
                .map(|t| Reference::Fixed(t.fixed_offset()))
                .ok_or_else(|| {
                    Error::Usage(format!(
                        "SOURCE_DATE_EPOCH must be a number of seconds since 1970-01-01, not {value:?}"
                    ))
                }),
            Err(_) => Ok(Reference::Clock),
        }
    }

    /// The moment itself, now; `None` publishes everything.
    pub fn now(&self) -> Option<DateTime<FixedOffset>> {
        match self {
            Reference::Everything => None,
            Reference::Clock => Some(chrono::Utc::now().fixed_offset()),
            Reference::Fixed(t) => Some(*t),
        }
    }

    /// What of it changes the output, for the build's identity: with the clock, only that
    /// it is used (a build it changes is not recorded, see [`build`]).
    pub fn identity(&self) -> Option<String> {
        match self {
            Reference::Everything => None,
            Reference::Clock => Some("clock".into()),
            Reference::Fixed(t) => Some(t.to_rfc3339()),
        }
    }
}

/// How far a running build got: its stage, and pages rendered out of how many.
#[derive(Debug, Default)]
pub struct Progress {
    stage: Mutex<&'static str>,
    pub done: AtomicUsize,
    pub total: AtomicUsize,
}

impl Progress {
    pub fn enter(&self, stage: &'static str) {
        *self.stage.lock().expect("never poisoned") = stage;
    }

    /// A line such as `rendering 1200/16730 pages`.
    pub fn line(&self) -> String {
        let stage = *self.stage.lock().expect("never poisoned");
        let (done, total) = (
            self.done.load(Ordering::Relaxed),
            self.total.load(Ordering::Relaxed),
        );
        if total > 0 {
            format!("{stage} {done}/{total} pages")
        } else {
            format!("{stage}…")
        }
    }
}

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
}

/// How long each stage of a build took, in order.
#[derive(Debug, Clone)]
pub struct Timings {
    last: Instant,
    pub stages: Vec<(&'static str, Duration)>,
}

impl Timings {
    pub fn start() -> Self {
        Timings {
            last: Instant::now(),
            stages: Vec::new(),
        }
    }

    /// Starts the next stage now (the time since went to stages counted elsewhere).
    pub fn restart(&mut self) {
        self.last = Instant::now();
    }

    /// Ends the current stage.
    pub fn lap(&mut self, stage: &'static str) {
        let now = Instant::now();
        self.stages.push((stage, now - self.last));
        self.last = now;
    }
}

/// Loads the configuration and applies command-line overrides.
pub fn load_config(root: &Path, base_url: Option<&str>) -> Result<Config, Error> {
    let mut config = Config::load(root)?;
    if let Some(url) = base_url {
        config.base_url =
            normalize_base_url(url).map_err(|m| Error::Usage(format!("--base-url: {m}")))?;
    }
    Ok(config)
}

pub fn build(options: &BuildOptions) -> Result<BuildReport, Error> {
    let mut timings = Timings::start();
    let progress = options.progress.clone().unwrap_or_default();
    let mut engine = Engine::new(BuildOptions {
        progress: Some(progress.clone()),
        ..options.clone()
    });
    progress.enter("importing seeds");
    let opened = engine.open()?;
    timings.lap("open and import");
    let paths = engine.paths().expect("opened").clone();
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
            scheduled: 0,
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
        });
    }
    timings.lap("check the build cache");
    progress.enter("loading content");
    let import = opened.import.clone();
    engine.load(opened, record.as_ref())?;
    timings.lap("load content");
    let update = engine.commit_all()?;
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn progress_lines_name_the_stage_and_count_pages() {
        let progress = Progress::default();
        progress.enter("loading content");
        assert_eq!(progress.line(), "loading content…");
        progress.enter("rendering");
        progress.total.store(200, Ordering::Relaxed);
        progress.done.store(50, Ordering::Relaxed);
        assert_eq!(progress.line(), "rendering 50/200 pages");
    }
}
