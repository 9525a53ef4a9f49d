//! `gazette import`: seeds → content files, nothing else.

use crate::cli::ImportArgs;
use crate::error::Error;
use crate::import::{self, ImportOptions};
use crate::pipeline::load_config;

pub fn run(args: ImportArgs) -> Result<(), Error> {
    let root = args.site.root();
    let config = load_config(&root, None)?;
    let report = import::run(
        &crate::paths::SitePaths::unchecked(&root, &config, None),
        &config,
        ImportOptions { force: args.force },
    )?;
    super::warn_all(&report.warnings, args.report.verbose);
    println!("{report}");
    Ok(())
}
