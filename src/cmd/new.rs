//! `gazette new "<title>"`: a new article, as a draft, with its front matter filled in —
//! in a section with `--section`, as a folder for its images with `--folder`.

use std::fmt::Write;

use crate::cli::NewArgs;
use crate::error::Error;
use crate::pipeline::load_config;
use crate::urls::slug::slugify;

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
    // Refused here rather than by every build after it.
    if crate::urls::is_reserved_slug(&slug) {
        return Err(Error::Usage(format!(
            "the title {title:?} would take the URL /{slug}/, which the site uses itself: choose another title"
        )));
    }
    let content = crate::paths::SitePaths::unchecked(&root, &config, None).content;
    let mut dir = content.clone();
    if let Some(section) = &args.section {
        let section = slugify(section);
        if section.is_empty()
            || crate::urls::is_reserved_slug(&section)
            || section == crate::content::AUTHORS_DIR
        {
            return Err(Error::Usage(format!(
                "--section {:?}: a section's name needs letters or digits and may not be one the site uses itself",
                args.section.as_deref().unwrap_or_default()
            )));
        }
        dir.push(section);
    }
    let path = if args.folder {
        dir.join(&slug).join(crate::content::media::BUNDLE_INDEX)
    } else {
        dir.join(format!("{slug}.md"))
    };
    // One line per value, whatever the title holds (see `emit::toml_string`).
    let quoted = crate::import::emit::toml_string;
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
    // A new writer's first article must not leave the site with an author lacking a
    // profile: a stub is written for each, never over an existing one.
    for name in args
        .author
        .iter()
        .map(|a| a.trim())
        .filter(|a| !a.is_empty())
    {
        let profile = content
            .join(crate::content::AUTHORS_DIR)
            .join(format!("{}.md", slugify(name)));
        if profile.exists() || slugify(name).is_empty() {
            continue;
        }
        // The body is Markdown: the name and title are escaped to show as written.
        let stub = format!(
            "+++\nname = {}\n+++\n{} writes for {}.\n",
            quoted(name),
            crate::import::emit::escape(name),
            crate::import::emit::escape(&config.title)
        );
        let written = profile
            .parent()
            .map_or(Ok(()), std::fs::create_dir_all)
            .and_then(|()| {
                std::fs::OpenOptions::new()
                    .write(true)
                    .create_new(true)
                    .open(&profile)
            })
            .and_then(|mut file| std::io::Write::write_all(&mut file, stub.as_bytes()));
        match written {
            Ok(()) => eprintln!(
                "wrote {}, a profile for {name}: add their bio there",
                profile.display()
            ),
            Err(e) => super::warn(&format!(
                "{}: cannot write a profile for {name}: {e}",
                profile.display()
            )),
        }
    }
    Ok(())
}
