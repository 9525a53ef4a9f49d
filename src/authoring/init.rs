//! A new site, ready to build, serve and publish: its config, a first article and its
//! author, the default theme, and the workflow that publishes it.
//!
//! Invariant: no file that is there is overwritten (`--force` adds the missing ones).

use std::path::Path;

use super::AuthoringError;
use crate::content::frontmatter::write::FrontMatterWriter;
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

/// What `init` wrote.
#[derive(Debug)]
pub struct Initialized {
    pub written: usize,
    /// Files that were there, kept as they are: paths below the site's folder.
    pub kept: Vec<String>,
}

/// Writes a new site into `dir`: an empty folder, or (`force`) one the site's files are
/// added to.
pub fn init_site(dir: &Path, force: bool) -> Result<Initialized, AuthoringError> {
    if dir.is_file() {
        return Err(AuthoringError::NotAFolder {
            path: dir.to_path_buf(),
        });
    }
    let non_empty = std::fs::read_dir(dir).is_ok_and(|mut entries| entries.next().is_some());
    if non_empty && !force {
        return Err(AuthoringError::NotEmpty {
            path: dir.to_path_buf(),
        });
    }
    let (mut written, mut kept) = (0, Vec::new());
    for (relative, bytes) in site_files() {
        let path = dir.join(&relative);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).map_err(|source| AuthoringError::CreateFolder {
                path: parent.to_path_buf(),
                source,
            })?;
        }
        match std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&path)
        {
            Ok(mut file) => {
                std::io::Write::write_all(&mut file, &bytes)
                    .map_err(|source| AuthoringError::Write { path, source })?;
                written += 1;
            }
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => kept.push(relative),
            Err(source) => return Err(AuthoringError::Create { path, source }),
        }
    }
    Ok(Initialized { written, kept })
}

/// Every file of a new site: its path below the site's folder, and its bytes.
fn site_files() -> Vec<(String, Vec<u8>)> {
    let mut welcome = FrontMatterWriter::new();
    welcome
        .string("title", "Welcome to your newsroom")
        .moment("date", &chrono::Local::now())
        .strings("authors", &["The Editors"])
        .strings("tags", &["Gazette"]);
    let welcome = welcome.file(
        "\nThis is your first article. Write the next with `gazette new \"Its title\"`, preview the site with `gazette serve`, and publish it by pushing to GitHub (see `.github/workflows/pages.yml`).\n",
    );
    let mut editors = FrontMatterWriter::new();
    editors.string("name", "The Editors");
    let editors = editors.file("The people behind this newsroom.\n");
    let mut files: Vec<(String, Vec<u8>)> = vec![
        ("config.toml".into(), CONFIG.into()),
        (".gitignore".into(), GITIGNORE.into()),
        (".github/workflows/pages.yml".into(), WORKFLOW.into()),
        ("content/welcome.md".into(), welcome.into_bytes()),
        (
            "content/authors/the-editors.md".into(),
            editors.into_bytes(),
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
    files
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

    #[test]
    fn the_first_article_and_its_author_are_written_as_before() {
        let files = site_files();
        let text = |name: &str| {
            let (_, bytes) = files.iter().find(|(n, _)| n == name).unwrap();
            String::from_utf8(bytes.clone()).unwrap()
        };
        assert_eq!(
            text("content/authors/the-editors.md"),
            "+++\nname = \"The Editors\"\n+++\nThe people behind this newsroom.\n"
        );
        let welcome = text("content/welcome.md");
        let (head, date_line) = welcome.split_at(welcome.find("date = ").unwrap());
        assert_eq!(head, "+++\ntitle = \"Welcome to your newsroom\"\n");
        let (date_line, rest) = date_line.split_once('\n').unwrap();
        assert!(chrono::DateTime::parse_from_str(date_line, "date = %Y-%m-%dT%H:%M:%S%:z").is_ok());
        assert!(rest.starts_with(
            "authors = [\"The Editors\"]\ntags = [\"Gazette\"]\n+++\n\nThis is your first article."
        ));
    }
}
