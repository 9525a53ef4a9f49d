//! `gazette build`: import, render, write.

use std::time::Instant;

use crate::cli::BuildArgs;
use crate::error::Error;
use crate::pipeline::{self, BuildOptions};

pub fn run(args: BuildArgs) -> Result<(), Error> {
    let started = Instant::now();
    let (published_by, clock) = super::publication(args.future)?;
    let report = pipeline::build(&BuildOptions {
        root: args.site.root(),
        output: args.output,
        base_url: args.base_url,
        drafts: args.drafts,
        published_by,
        clock,
    })?;
    for w in &report.warnings {
        super::warn(w);
    }
    if args.timings {
        for (stage, took) in &report.timings.stages {
            eprintln!("{:>8.1} ms  {stage}", took.as_secs_f64() * 1000.0);
        }
    }
    println!("import: {}", report.import);
    if report.cached {
        println!(
            "{} is up to date: {} articles, {} files, nothing changed since the last build ({} ms)",
            report.output_dir.display(),
            report.articles,
            report.files,
            started.elapsed().as_millis()
        );
        return Ok(());
    }
    let w = report.written;
    if report.scheduled > 0 {
        println!(
            "left out {} scheduled articles dated after the reference time (--future includes them)",
            report.scheduled
        );
    }
    println!(
        "built {} articles, {} files into {} in {} ms ({} written, {} unchanged, {} removed)",
        report.articles,
        report.files,
        report.output_dir.display(),
        started.elapsed().as_millis(),
        w.written,
        w.unchanged,
        w.removed
    );
    Ok(())
}
