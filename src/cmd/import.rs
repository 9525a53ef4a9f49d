//! `gazette import`: seeds → content files, or (`--from`) another site's archive → content
//! and static files, nothing else.

use crate::cli::ImportArgs;
use crate::error::Error;
use crate::import::migrate::{self, Migration};
use crate::import::{self, ImportOptions};
use crate::pipeline::load_config;

pub fn run(args: ImportArgs) -> Result<(), Error> {
    let root = args.site.root();
    let config = load_config(&root, None)?;
    let paths = crate::paths::SitePaths::unchecked(&root, &config, None);
    let options = ImportOptions {
        force: args.force,
        dry_run: args.dry_run,
    };
    if let (Some(platform), Some(source)) = (args.from, args.source) {
        if args.uploads.is_some() && platform != migrate::Platform::Wordpress {
            return Err(Error::Usage(
                "--uploads is for WordPress imports: Hugo, Zola and Jekyll files are found in the site folder".into(),
            ));
        }
        let report = migrate::run(
            &paths,
            &config,
            &Migration {
                platform,
                source,
                uploads: args.uploads,
                options,
            },
        )?;
        super::warn_all(&report.warnings, args.report.verbose);
        println!("{report}");
        return Ok(());
    }
    if args.uploads.is_some() {
        return Err(Error::Usage("--uploads needs --from wordpress".into()));
    }
    let report = import::run(&paths, &config, options)?;
    super::warn_all(&report.warnings, args.report.verbose);
    if args.dry_run {
        print!("(dry run: nothing written) ");
    }
    println!("{report}");
    Ok(())
}
