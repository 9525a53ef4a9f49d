//! `gazette digest`: a checksum of the built site, and whether it differs from the one
//! last deployed, in the `key=value` lines a CI step appends to its outputs (see
//! [`crate::authoring::digest`]).

use crate::authoring::digest::{changed_since, site_digest};
use crate::cli::DigestArgs;
use crate::error::Error;
use crate::pipeline::load_config;

pub fn run(args: DigestArgs) -> Result<(), Error> {
    let root = args.site.root();
    let output = match args.output {
        Some(output) => output,
        None => {
            let config = load_config(&root, None)?;
            crate::paths::SitePaths::unchecked(&root, &config, None).output
        }
    };
    let digest = site_digest(&output)?;
    println!("digest={digest}");
    if let Some(since) = args.since {
        println!("changed={}", changed_since(&digest, &since)?);
    }
    Ok(())
}
