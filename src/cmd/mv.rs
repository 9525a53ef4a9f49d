//! `gazette mv ARTICLE NEW-SLUG`: gives an article a new slug, so a new URL, and keeps its
//! old URL answering (see [`crate::authoring::mv`]).

use crate::authoring::mv::move_article;
use crate::cli::MvArgs;
use crate::error::Error;
use crate::pipeline::load_config;

pub fn run(args: MvArgs) -> Result<(), Error> {
    let root = args.site.root();
    let config = load_config(&root, None)?;
    let paths = crate::paths::SitePaths::unchecked(&root, &config, None);
    let moved = move_article(&root, &paths, &config, &args.article, &args.new_slug)?;
    let done = match &moved.renamed {
        Some((from, to)) => format!("{} → {}", from.display(), to.display()),
        None => format!("{}: slug `{}`", moved.source.display(), moved.slug),
    };
    if moved.aliased {
        println!(
            "{done}; {} now redirects to the new URL (added to `aliases`)",
            moved.old_url
        );
    } else {
        println!("{done}; it was not published yet, so no alias was needed");
    }
    Ok(())
}
