//! `gazette watch`: build, then rebuild what each change touches, until interrupted.

use std::path::Path;

use crate::cli::WatchArgs;
use crate::engine::{BuildOptions, Changes, Engine, EngineError, Holder, Reference, Update};
use crate::error::Error;
use crate::paths::SitePaths;
use crate::text::count;
use crate::watch::{self, StopSignals, WatchError, Watcher};

pub fn run(args: WatchArgs) -> Result<(), Error> {
    let root = args.site.root();
    let mut engine = Engine::new(BuildOptions {
        root: root.clone(),
        output: args.output.output,
        base_url: args.output.base_url,
        drafts: args.articles.drafts,
        reference: Reference::of_command(args.articles.future)?,
        holder: Holder::Session,
        ..BuildOptions::default()
    });
    let verbose = args.report.verbose;
    // Caught from the start, so that a signal during the first build is not fatal either.
    let signals = Signals::register();
    let mut watcher = start(&root, &mut engine, verbose)?;
    if let Some(signals) = signals {
        signals.stop(watcher.stopper());
    }
    watch::drive(&mut engine, &mut watcher, |changes, result| {
        report(&root, changes, &result, verbose);
    });
    Ok(())
}

/// Ctrl-C and SIGTERM, with a small runtime to wait for them on: they stop the watcher,
/// the rebuild under way finishes (a rebuild is never left half-staged), the output's
/// lock is released, and `watch` exits with 0.
struct Signals {
    runtime: tokio::runtime::Runtime,
    signals: StopSignals,
}

impl Signals {
    /// `None` where they cannot be caught; Ctrl-C then ends `watch` as it ends any program.
    fn register() -> Option<Signals> {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .ok()?;
        let signals = runtime.block_on(async { StopSignals::register() }).ok()?;
        Some(Signals { runtime, signals })
    }

    /// Stops the watcher when one arrives (or has arrived).
    fn stop(self, stopper: watch::Stopper) {
        std::thread::spawn(move || {
            self.runtime.block_on(self.signals.wait());
            eprintln!("stopping");
            stopper.stop();
        });
    }
}

/// The first build, then a watcher over the site. A first build that fails is reported
/// and watching starts anyway: fixing the file recovers.
pub fn start(root: &Path, engine: &mut Engine, verbose: bool) -> Result<Watcher, WatchError> {
    let first = engine.update(&Changes::default());
    report(root, &Changes::default(), &first, verbose);
    // Until a configuration loads, the folders are where they are by default; the
    // watcher follows the configuration once it does.
    let defaults = SitePaths::with_defaults(root);
    let watcher = Watcher::new(engine.paths().unwrap_or(&defaults))?;
    eprintln!("watching for changes (Ctrl-C to stop)");
    Ok(watcher)
}

/// One line per rebuild: what changed, what was written, how long it took.
pub fn report(root: &Path, changes: &Changes, result: &Result<Update, EngineError>, verbose: bool) {
    let time = chrono::Local::now().format("%H:%M:%S");
    let what = if changes.is_empty() {
        "build".to_string()
    } else {
        changes.describe(root)
    };
    match result {
        Ok(r) => {
            super::warn_all(&r.warnings, verbose);
            eprintln!(
                "[{time}] {what}: {}, {} rendered{}, {} written, {} removed in {} ms{}",
                count(r.articles, "article", "articles"),
                count(r.rendered, "page", "pages"),
                match r.images_made {
                    0 => String::new(),
                    n => format!(", {} made", count(n, "image variant", "image variants")),
                },
                count(r.written.written, "file", "files"),
                r.written.removed,
                r.millis,
                if r.full { " (full)" } else { "" }
            )
        }
        Err(e) => eprintln!(
            "[{time}] {what}: error: {e}\n  (the last good output stays; watching for a fix)"
        ),
    }
}
