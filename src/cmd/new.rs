//! `gazette new "<title>"`: a new article, as a draft, with its front matter filled in.

use std::fmt::Write;

use crate::cli::NewArgs;
use crate::content::slug::slugify;
use crate::error::Error;
use crate::pipeline::load_config;

pub fn run(args: NewArgs) -> Result<(), Error> {
    let root = args.site.root();
    let config = load_config(&root, None)?;
    let title = args.title.trim();
    let slug = slugify(title);
    if slug.is_empty() {
        return Err(Error::Usage(format!(
            "the title {title:?} has no letters or digits to make a file name from"
        )));
    }
    let path = crate::paths::SitePaths::unchecked(&root, &config, None)
        .content
        .join(format!("{slug}.md"));
    let quoted = |s: &str| toml::Value::String(s.to_string()).to_string();
    let list = |items: &[String]| {
        items
            .iter()
            .map(|i| quoted(i.trim()))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let mut text = String::from("+++\n");
    let _ = writeln!(text, "title = {}", quoted(title));
    let _ = writeln!(
        text,
        "date = {}",
        chrono::Local::now().format("%Y-%m-%dT%H:%M:%S%:z")
    );
    let _ = writeln!(text, "authors = [{}]", list(&args.author));
    let _ = writeln!(text, "tags = [{}]", list(&args.tag));
    text.push_str("draft = true\n+++\n\n");
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).map_err(|e| {
            Error::Usage(format!("{}: cannot create the folder: {e}", dir.display()))
        })?;
    }
    // `create_new`: never overwrite, even if the file appears between a check and a write.
    let file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&path);
    match file {
        Ok(mut file) => {
            std::io::Write::write_all(&mut file, text.as_bytes())
                .map_err(|e| Error::Usage(format!("{}: cannot write: {e}", path.display())))?;
        }
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
            return Err(Error::Usage(format!(
                "{} already exists: choose another title, or edit that file",
                path.display()
            )));
        }
        Err(e) => {
            return Err(Error::Usage(format!(
                "{}: cannot create: {e}",
                path.display()
            )));
        }
    }
    println!("{}", path.display());
    Ok(())
}
