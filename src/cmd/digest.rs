//! `gazette digest`: a checksum of the built site, and whether it differs from the one
//! last deployed, in the `key=value` lines a CI step appends to its outputs. The shipped
//! workflow runs every few minutes and deploys only when `changed=true`.

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
    if !output.is_dir() {
        return Err(Error::Usage(format!(
            "{}: no built site here: run gazette build first",
            output.display()
        )));
    }
    let digest = format!("{:016x}", crate::output::digest(&output)?);
    println!("digest={digest}");
    if let Some(since) = args.since {
        let last = match std::fs::read_to_string(&since) {
            Ok(text) => Some(text),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
            Err(e) => {
                return Err(Error::Usage(format!(
                    "{}: cannot read: {e}",
                    since.display()
                )));
            }
        };
        let changed = last.is_none_or(|last| last.trim() != digest);
        println!("changed={changed}");
    }
    Ok(())
}
