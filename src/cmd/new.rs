//! `gazette new "<title>"`: a new article, as a draft, with its front matter filled in —
//! in a section with `--section`, as a folder for its images with `--folder`.

use crate::authoring::new::{NewArticle, Profile, new_article};
use crate::cli::NewArgs;
use crate::error::Error;
use crate::pipeline::load_config;

pub fn run(args: NewArgs) -> Result<(), Error> {
    let root = args.site.root();
    let config = load_config(&root, None)?;
    let content = crate::paths::SitePaths::unchecked(&root, &config, None).content;
    let request = NewArticle {
        title: &args.title,
        section: args.section.as_deref(),
        folder: args.folder,
        authors: &args.author,
        tags: &args.tag,
    };
    let created = new_article(&content, &config, request)?;
    println!("{}", created.path.display());
    for profile in created.profiles {
        match profile {
            Profile::Written { name, path } => eprintln!(
                "wrote {}, a profile for {name}: add their bio there",
                path.display()
            ),
            Profile::Failed { name, path, error } => super::warn(&format!(
                "{}: cannot write a profile for {name}: {error}",
                path.display()
            )),
        }
    }
    Ok(())
}
