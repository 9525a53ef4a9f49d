//! `gazette init <dir>`: a new site, ready to build, serve and publish.

use crate::authoring::init::init_site;
use crate::cli::InitArgs;
use crate::error::Error;

pub fn run(args: InitArgs) -> Result<(), Error> {
    let dir = args.dir;
    let done = init_site(&dir, args.force)?;
    for relative in &done.kept {
        super::warn(&format!(
            "{}: exists, kept as it is",
            dir.join(relative).display()
        ));
    }
    println!(
        "created a site in {} ({}); next: cd {} && gazette serve",
        dir.display(),
        crate::text::count(done.written, "file", "files"),
        dir.display()
    );
    println!(
        "to publish on GitHub Pages: push it to GitHub, choose \"GitHub Actions\" under Settings → Pages, and set the repository variable GAZETTE_GIT to the Git URL Gazette is installed from (see .github/workflows/pages.yml)"
    );
    Ok(())
}
