//! `gazette build`: import, render, write.

use std::time::Instant;

use crate::cli::BuildArgs;
use crate::error::Error;
use crate::pipeline::{self, BuildOptions};

pub fn run(args: BuildArgs) -> Result<(), Error> {
    let started = Instant::now();
    let report = pipeline::build(&BuildOptions {
        root: args.site.root(),
        output: args.output,
        base_url: args.base_url,
        drafts: args.drafts,
    })?;
    for w in &report.warnings {
        super::warn(w);
    }
    println!("import: {}", report.import);
    println!(
        "built {} articles, {} files into {} in {} ms",
        report.articles,
        report.files,
        report.output_dir.display(),
        started.elapsed().as_millis()
    );
    Ok(())
}
