//! The build pipeline, start to end: config → import → content → render → output.
//!
//! Commands (and later the watcher) call [`build`]; each stage's work lives in its own
//! module. Invariant: nothing is written to the output folder unless every stage before
//! `output` succeeded.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use chrono::{DateTime, FixedOffset};

use rayon::prelude::*;

use crate::cache;
use crate::config::{Config, normalize_base_url};
use crate::content::{self, LoadOptions};
use crate::error::Error;
use crate::import::{self, ImportOptions, ImportReport};
use crate::output;
use crate::parallel;
use crate::paths::SitePaths;
use crate::render::{self, Theme};

#[derive(Debug, Clone, Default)]
pub struct BuildOptions {
    pub root: PathBuf,
    /// Overrides `output_dir` (relative paths are relative to the current directory).
    pub output: Option<PathBuf>,
    /// Overrides `base_url`.
    pub base_url: Option<String>,
    pub drafts: bool,
    /// The build's reference time: articles dated after it are scheduled, and left out.
    /// `None` includes them (`--future`).
    pub published_by: Option<DateTime<FixedOffset>>,
    /// Whether `published_by` came from the clock (so the output depends on when the
    /// build runs, if any article is scheduled) rather than from `SOURCE_DATE_EPOCH`.
    pub clock: bool,
    /// Where the build reports how far it got, for a progress line.
    pub progress: Option<Arc<Progress>>,
    /// Ignore the last build's record (see [`cache`]): render every page and look at
    /// every output file. The build still records itself for the next one.
    pub no_cache: bool,
}

/// How far a running build got: its stage, and pages rendered out of how many.
#[derive(Debug, Default)]
pub struct Progress {
    stage: Mutex<&'static str>,
    pub done: AtomicUsize,
    pub total: AtomicUsize,
}

impl Progress {
    fn enter(&self, stage: &'static str) {
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

/// The reference time of a build: `SOURCE_DATE_EPOCH` (seconds since 1970, for reproducible
/// builds) when set, else the clock. Returns whether it came from the clock.
pub fn reference_time() -> Result<(DateTime<FixedOffset>, bool), Error> {
    match std::env::var("SOURCE_DATE_EPOCH") {
        Ok(value) => value
            .trim()
            .parse::<i64>()
            .ok()
            .and_then(|s| DateTime::from_timestamp(s, 0))
            .map(|t| (t.fixed_offset(), false))
            .ok_or_else(|| {
                Error::Usage(format!(
                    "SOURCE_DATE_EPOCH must be a number of seconds since 1970-01-01, not {value:?}"
                ))
            }),
        Err(_) => Ok((chrono::Utc::now().fixed_offset(), true)),
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

/// The site's folders for these options (the output checked against the sources).
pub fn site_paths(options: &BuildOptions, config: &Config) -> Result<SitePaths, Error> {
    Ok(SitePaths::new(
        &options.root,
        config,
        options.output.as_deref(),
    )?)
}

pub fn build(options: &BuildOptions) -> Result<BuildReport, Error> {
    let root = options.root.as_path();
    let mut timings = Timings::start();
    let progress = options.progress.clone().unwrap_or_default();
    let config = load_config(root, options.base_url.as_deref())?;
    let paths = site_paths(options, &config)?;
    // Held to the end: no other build or session writes this output meanwhile.
    let lock = output::OutputLock::acquire(&paths, "gazette build")?;
    progress.enter("importing seeds");
    let import = import::run(&paths, &config, ImportOptions::default())?;
    timings.lap("import");
    let output_dir = paths.output.clone();
    let identity = identity(options, &output_dir);
    let fingerprint = input_fingerprint(&paths, &identity);
    let record = if options.no_cache {
        None
    } else {
        cache::load(&paths)
    };
    if let Some(record) =
        fingerprint.and_then(|f| up_to_date(record.as_ref(), f.fingerprint, &output_dir))
    {
        timings.lap("check the build cache: output up to date");
        let mut warnings = import.warnings.clone();
        warnings.extend(record.warnings);
        return Ok(BuildReport {
            import,
            output_dir,
            articles: record.articles,
            scheduled: 0,
            files: record.files,
            written: output::WriteReport {
                unchanged: record.files,
                ..Default::default()
            },
            rendered: 0,
            warnings,
            timings,
            cached: true,
        });
    }
    timings.lap("check the build cache");
    progress.enter("loading content");
    let theme = Theme::load(&paths, &config.theme)?;
    // Over an output exactly as the last build recorded it, pages it recorded as rendered
    // from the same inputs are already there: the output is walked for its stamps while
    // the content loads.
    let (site, reusable) = rayon::join(
        || {
            content::load(
                config,
                &paths.content,
                LoadOptions {
                    drafts: options.drafts,
                    published_by: options.published_by,
                },
            )
        },
        || {
            record
                .as_ref()
                .and_then(|r| cache::Reusable::find(r, &output_dir))
        },
    );
    let site = site?;
    timings.lap("load content");
    progress.enter("preparing pages");
    // The pages' folders are made while the template values are built: making folders in
    // one parent is serialized by the kernel, so it gains nothing from more threads.
    let staging = output::Staging::create(&paths, &lock)?;
    let (plan, made) = render::plan_alongside(&site, &theme, |pages| {
        staging.make_dirs(pages.iter().map(|j| j.path.as_str()))
    });
    made?;
    staging.make_dirs(plan.files.iter().map(|f| f.path.as_str()))?;
    let salt = hash_one(&identity);
    let signatures: Vec<u64> = plan
        .pages
        .par_iter()
        .map(|job| hash_one(&(salt, job.signature(plan.site, &plan.shared, &theme))))
        .collect();
    timings.lap("plan (template values)");
    let (stamps, rendered) = render_and_write(
        &plan,
        &theme,
        &staging,
        &signatures,
        reusable.as_ref(),
        &progress,
    )?;
    timings.lap("render and compare/write");
    // A build that left scheduled articles out by the clock is out of date as soon as the
    // first of them is due: it is not recorded.
    let time_bound = options.clock && plan.site.scheduled > 0;
    let recorded = fingerprint.filter(|f| f.settled && !time_bound);
    // The output's fingerprint comes from the stamps alone, so it is hashed while the
    // commit runs.
    let (written, output) = rayon::join(
        || staging.commit(),
        || cache::output_of(plan.paths().zip(stamps)),
    );
    let written = written?;
    timings.lap("commit");
    let site_warnings: Vec<String> = plan.site.warnings.iter().map(ToString::to_string).collect();
    let mut warnings = import.warnings.clone();
    warnings.extend(site_warnings.iter().cloned());
    match output {
        Some(output) => cache::save(
            &paths,
            &cache::Record {
                // A build that is not recorded must not be skipped next time.
                inputs: recorded.map(|f| f.fingerprint),
                output,
                articles: plan.site.articles.len(),
                files: plan.pages.len() + plan.files.len(),
                pages: {
                    let mut pages = signatures;
                    pages.par_sort_unstable();
                    pages
                },
                warnings: site_warnings,
            },
        ),
        // Without stamps there is nothing to record, and an older record must not match.
        None => cache::forget(&paths),
    }
    timings.lap("save the build cache");
    let files = plan.pages.len() + plan.files.len();
    let articles = plan.site.articles.len();
    let scheduled = plan.site.scheduled;
    // Freeing a large site takes a noticeable share of a build; do it off the critical
    // path (a command-line build may exit before it is done, which is fine).
    let render::Plan {
        shared,
        pages,
        files: generated,
        ..
    } = plan;
    std::thread::spawn(move || drop((site, shared, pages, generated)));
    drop(lock);
    Ok(BuildReport {
        import,
        output_dir,
        articles,
        scheduled,
        files,
        written,
        rendered,
        warnings,
        timings,
        cached: false,
    })
}

/// Renders the pages and writes the files of `plan` into `staging` in one parallel pass (a
/// page is written as soon as it is rendered, so the whole site is never held in memory),
/// except pages `reusable` says the output already holds, which are carried over. Returns
/// each file's stamp, in the order of `plan.paths()`, for the build cache, and how many
/// pages were rendered.
fn render_and_write(
    plan: &render::Plan,
    theme: &Theme,
    staging: &output::Staging,
    signatures: &[u64],
    reusable: Option<&cache::Reusable>,
    progress: &Progress,
) -> Result<(Vec<Option<cache::FileStamp>>, usize), Error> {
    progress.total.store(plan.pages.len(), Ordering::Relaxed);
    progress.enter("rendering");
    let rendered = AtomicUsize::new(0);
    // Each thread renders into the buffer its last page was written from.
    thread_local! {
        static PAGE: std::cell::Cell<Vec<u8>> = const { std::cell::Cell::new(Vec::new()) };
    }
    let jobs: Vec<_> = plan.pages.iter().zip(signatures).collect();
    let mut stamps = parallel::try_map(&jobs, |&(job, &signature)| -> Result<_, Error> {
        let kept = reusable.and_then(|r| r.page(&job.path, signature));
        let stamp = match kept {
            Some(stamp) => {
                staging.keep(&job.path)?;
                Some(stamp)
            }
            None => {
                rendered.fetch_add(1, Ordering::Relaxed);
                let file = plan.render_into(job, theme, PAGE.take())?;
                let stamp = staging.write(&file)?;
                if let render::Contents::Rendered(buffer) = file.contents {
                    PAGE.set(buffer);
                }
                stamp
            }
        };
        progress.done.fetch_add(1, Ordering::Relaxed);
        Ok(stamp)
    })?;
    progress.total.store(0, Ordering::Relaxed);
    progress.enter("writing");
    stamps.extend(parallel::try_map(&plan.files, |file| staging.write(file))?);
    Ok((stamps, rendered.into_inner()))
}

/// The fingerprint of everything the output depends on; `None` when an input cannot be
/// read (the build itself will then say what is wrong).
fn input_fingerprint(paths: &SitePaths, identity: &str) -> Option<cache::Inputs> {
    cache::inputs(
        identity,
        std::slice::from_ref(&paths.config_file),
        &[
            paths.content.clone(),
            paths.templates.clone(),
            paths.static_files.clone(),
            paths.theme.clone(),
        ],
    )
}

/// The binary (a new gazette may render differently, and the built-in theme lives in it)
/// and every option that changes the output.
fn identity(options: &BuildOptions, output_dir: &Path) -> String {
    let exe = std::env::current_exe()
        .and_then(std::fs::metadata)
        .ok()
        .map(|m| (m.len(), m.modified().ok()));
    // With the clock as reference time, only whether it is used counts (see `time_bound`).
    let reference = if options.clock {
        options.published_by.map(|_| "clock".to_string())
    } else {
        options.published_by.map(|t| t.to_rfc3339())
    };
    format!(
        "{} {exe:?} {} {:?} {} {reference:?}",
        env!("CARGO_PKG_VERSION"),
        output_dir.display(),
        options.base_url,
        options.drafts
    )
}

fn hash_one(value: &impl std::hash::Hash) -> u64 {
    use std::hash::Hasher;
    let mut h = std::hash::DefaultHasher::new();
    value.hash(&mut h);
    h.finish()
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
