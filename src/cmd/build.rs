//! `gazette build`: import, render, write.

use std::io::IsTerminal;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use crate::cli::BuildArgs;
use crate::content::HeldHtml;
use crate::engine::{BuildOptions, Holder, Progress, Reference};
use crate::error::Error;
use crate::pipeline;
use crate::text::count;

pub fn run(args: BuildArgs) -> Result<(), Error> {
    let started = Instant::now();
    let progress = Arc::new(Progress::default());
    let ticker = Ticker::start(progress.clone());
    let report = pipeline::build(&BuildOptions {
        root: args.site.root(),
        output: args.output.output,
        base_url: args.output.base_url,
        drafts: args.articles.drafts,
        reference: Reference::of_command(args.articles.future)?,
        progress: Some(progress.clone()),
        no_cache: args.no_cache,
        holder: Holder::Build,
        held_html: HeldHtml(args.held_html.saturating_mul(1 << 20)),
    });
    ticker.finish();
    let report = report?;
    super::warn_all(&report.warnings, args.report.verbose);
    if args.timings {
        for (stage, took) in &report.timings.stages {
            eprintln!("{:>8.1} ms  {stage}", took.as_secs_f64() * 1000.0);
        }
        let content = report.content;
        if content.cached + content.parsed > 0 {
            eprintln!(
                "articles and pages: {} from the content cache, {} parsed",
                content.cached, content.parsed
            );
        }
        if !report.cached {
            let peak = report.values_swept.map(|s| {
                let passing = match s.made_in_passing {
                    0 => String::new(),
                    n => format!(" (and {n} made for one page alone, far ahead)"),
                };
                format!(", at most {} held at once{passing}", s.held_at_most)
            });
            eprintln!(
                "template values: {} of {} articles{}",
                report.values_built,
                report.articles,
                peak.unwrap_or_default()
            );
        }
        if report.spilled > 0 {
            eprintln!(
                "article HTML: {} of {} spilled to disk past --held-html",
                report.spilled, report.articles
            );
        }
    }
    // A site without seeds has nothing to say about them.
    let import = &report.import;
    if import.imported + import.unchanged + import.kept > 0 {
        println!("import: {import}");
    }
    if report.cached {
        println!(
            "{} is up to date: {}, {}, nothing changed since the last build ({} ms)",
            report.output_dir.display(),
            count(report.articles, "article", "articles"),
            count(report.files, "file", "files"),
            started.elapsed().as_millis()
        );
        return Ok(());
    }
    let w = report.written;
    if report.scheduled > 0 {
        println!(
            "left out {} dated after the reference time (--future includes them)",
            count(report.scheduled, "scheduled article", "scheduled articles")
        );
    }
    println!(
        "built {}, {} into {} in {} ms ({} written, {} unchanged, {} removed; {} rendered{})",
        count(report.articles, "article", "articles"),
        count(report.files, "file", "files"),
        report.output_dir.display(),
        started.elapsed().as_millis(),
        w.written,
        w.unchanged,
        w.removed,
        count(report.rendered, "page", "pages"),
        match report.images_made {
            0 => String::new(),
            n => format!(", {} made", count(n, "image variant", "image variants")),
        }
    );
    Ok(())
}

/// A progress line on a terminal's stderr for builds that run longer than a second;
/// nothing at all when stderr is not a terminal (logs stay clean).
struct Ticker {
    stop: Arc<AtomicBool>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl Ticker {
    fn start(progress: Arc<Progress>) -> Ticker {
        let stop = Arc::new(AtomicBool::new(false));
        let thread = std::io::stderr().is_terminal().then(|| {
            let stop = stop.clone();
            std::thread::spawn(move || {
                let started = Instant::now();
                let mut shown = false;
                while !stop.load(Ordering::Relaxed) {
                    std::thread::sleep(Duration::from_millis(100));
                    if started.elapsed() >= Duration::from_secs(1) && !stop.load(Ordering::Relaxed)
                    {
                        eprint!("\r\x1b[K{}", progress.line());
                        shown = true;
                    }
                }
                if shown {
                    eprint!("\r\x1b[K");
                }
            })
        });
        Ticker { stop, thread }
    }

    fn finish(mut self) {
        self.stop.store(true, Ordering::Relaxed);
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}
