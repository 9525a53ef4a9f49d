//! `gazette init <dir>`: a new site, ready to build, serve and publish.

use std::path::Path;

use crate::cli::InitArgs;
use crate::error::Error;
use crate::render::theme::{DEFAULT_STATIC, DEFAULT_TEMPLATES};

/// The publishing workflow; the same file this repository publishes its demo site with.
const WORKFLOW: &str = include_str!("../../.github/workflows/pages.yml");

const CONFIG: &str = r#"title = "My Newsroom"
# The URL the site is published at (a path prefix such as https://user.github.io/repo/ works).
base_url = "https://example.org/"
description = "Technology news."
language = "en"
theme = "broadsheet"
paginate_by = 10
feed_limit = 20

# A search page (/search/) and a search box in the masthead; the index is built with the site.
[search]
enabled = true
"#;

const GITIGNORE: &str = "/public/\n/.public.*\n/.gazette-cache/\n";

pub fn run(args: InitArgs) -> Result<(), Error> {
    let dir = args.dir;
    let fail = |what: &str, path: &Path, e: std::io::Error| {
        Error::Usage(format!("{}: cannot {what}: {e}", path.display()))
    };
    if dir.is_file() {
        return Err(Error::Usage(format!(
            "{} is a file, not a folder",
            dir.display()
        )));
    }
    let non_empty = std::fs::read_dir(&dir).is_ok_and(|mut entries| entries.next().is_some());
    if non_empty && !args.force {
        return Err(Error::Usage(format!(
            "{} is not empty: use an empty folder, or --force to add the site's files to it (existing files are kept)",
            dir.display()
        )));
    }
    let now = chrono::Local::now().format("%Y-%m-%dT%H:%M:%S%:z");
    let welcome = format!(
        "+++\ntitle = \"Welcome to your newsroom\"\ndate = {now}\nauthors = [\"The Editors\"]\ntags = [\"Gazette\"]\n+++\n\nThis is your first article. Write the next with `gazette new \"Its title\"`, preview the site with `gazette serve`, and publish it by pushing to GitHub (see `.github/workflows/pages.yml`).\n"
    );
    let mut files: Vec<(String, Vec<u8>)> = vec![
        ("config.toml".into(), CONFIG.into()),
        (".gitignore".into(), GITIGNORE.into()),
        (".github/workflows/pages.yml".into(), WORKFLOW.into()),
        ("content/welcome.md".into(), welcome.into_bytes()),
        (
            "content/authors/the-editors.md".into(),
            "+++\nname = \"The Editors\"\n+++\nThe people behind this newsroom.\n".into(),
        ),
        // Raw scraped articles go here; `gazette build` imports them.
        ("seeds/.gitkeep".into(), Vec::new()),
    ];
    for (name, text) in DEFAULT_TEMPLATES {
        files.push((
            format!("themes/broadsheet/templates/{name}"),
            text.as_bytes().to_vec(),
        ));
    }
    for (name, bytes) in DEFAULT_STATIC {
        files.push((format!("themes/broadsheet/static/{name}"), bytes.to_vec()));
    }
    let (mut written, mut kept) = (0, Vec::new());
    for (relative, bytes) in files {
        let path = dir.join(&relative);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).map_err(|e| fail("create the folder", parent, e))?;
        }
        match std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&path)
        {
            Ok(mut file) => {
                std::io::Write::write_all(&mut file, &bytes)
                    .map_err(|e| fail("write", &path, e))?;
                written += 1;
            }
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => kept.push(relative),
            Err(e) => return Err(fail("create", &path, e)),
        }
    }
    for relative in &kept {
        super::warn(&format!(
            "{}: exists, kept as it is",
            dir.join(relative).display()
        ));
    }
    println!(
        "created a site in {} ({}); next: cd {} && gazette serve",
        dir.display(),
        crate::text::count(written, "file", "files"),
        dir.display()
    );
    println!(
        "to publish on GitHub Pages: push it to GitHub, choose \"GitHub Actions\" under Settings → Pages, and set the repository variable GAZETTE_GIT to the Git URL Gazette is installed from (see .github/workflows/pages.yml)"
    );
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// An import replaces what init writes only while it is init's: the two agree.
    #[test]
    fn the_config_holds_the_placeholders_imports_replace() {
        use crate::config::placeholders;
        let config = crate::config::Config::parse(CONFIG, Path::new("config.toml")).unwrap();
        assert_eq!(
            (config.title.as_str(), config.description.as_str()),
            (placeholders::TITLE, placeholders::DESCRIPTION)
        );
        assert_eq!(config.language, placeholders::LANGUAGE);
    }
}
