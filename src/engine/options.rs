//! What an engine is told to do (the site's folder, overrides, which articles count as
//! published, who holds the output's lock) and what it reports while doing it (progress,
//! timings). Below the engine so that every command that runs one — `build`, `check`,
//! `coverage`, `watch`, `serve` — takes them from here, not from each other.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use chrono::{DateTime, FixedOffset};

use super::EngineError;
use crate::config::{Config, normalize_base_url};

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
    /// How much of the site's HTML a load holds in memory (see `content::body`).
    pub held_html: crate::content::HeldHtml,
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
    pub fn of_command(future: bool) -> Result<Reference, EngineError> {
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
                .ok_or(EngineError::SourceDateEpoch { value }),
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
    /// it is used (a build it changes is not recorded, see `pipeline::build`).
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
pub fn load_config(root: &Path, base_url: Option<&str>) -> Result<Config, EngineError> {
    let mut config = Config::load(root)?;
    if let Some(url) = base_url {
        config.base_url =
            normalize_base_url(url).map_err(|message| EngineError::BaseUrl { message })?;
    }
    Ok(config)
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
