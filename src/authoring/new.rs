//! A new article, as a draft, with its front matter filled in — in a section, or as a
//! folder for its images — and a profile stub for each of its authors that has none.

use std::path::{Path, PathBuf};

use super::AuthoringError;
use crate::config::Config;
use crate::content::frontmatter::write::FrontMatterWriter;
use crate::content::{self, AUTHORS_DIR};
use crate::import::emit::escape;
use crate::urls::slug::slugify;

/// What `gazette new` was asked for.
#[derive(Debug, Clone, Copy)]
pub struct NewArticle<'a> {
    pub title: &'a str,
    pub section: Option<&'a str>,
    /// A folder holding `index.md`, for the article's images.
    pub folder: bool,
    pub authors: &'a [String],
    pub tags: &'a [String],
}

/// What became of an author's profile stub.
#[derive(Debug)]
pub enum Profile {
    Written {
        name: String,
        path: PathBuf,
    },
    Failed {
        name: String,
        path: PathBuf,
        error: std::io::Error,
    },
}

/// The article written, and the profiles written (or not) for its authors.
#[derive(Debug)]
pub struct Created {
    pub path: PathBuf,
    pub profiles: Vec<Profile>,
}

/// Writes the article `request` describes into `content`; never over an existing file.
pub fn new_article(
    content: &Path,
    config: &Config,
    request: NewArticle,
) -> Result<Created, AuthoringError> {
    let title = request.title.trim();
    let path = article_path(content, title, request)?;
    let mut fm = FrontMatterWriter::new();
    fm.string("title", title)
        .moment("date", &chrono::Local::now())
        .strings("authors", &trimmed(request.authors))
        .strings("tags", &trimmed(request.tags))
        .flag("draft", true);
    write_new(&path, &fm.file("\n"))?;
    // A new writer's first article must not leave the site with an author lacking a
    // profile: a stub is written for each, never over an existing one.
    let profiles = trimmed(request.authors)
        .into_iter()
        .filter(|a| !a.is_empty())
        .filter_map(|name| profile_stub(content, config, name))
        .collect();
    Ok(Created { path, profiles })
}

fn trimmed(items: &[String]) -> Vec<&str> {
    items.iter().map(|i| i.trim()).collect()
}

/// Where the article goes: its slug (from its title) in its section's folder.
fn article_path(
    content: &Path,
    title: &str,
    request: NewArticle,
) -> Result<PathBuf, AuthoringError> {
    let slug = slugify(title);
    if slug.is_empty() {
        return Err(AuthoringError::TitleWithoutLetters {
            title: title.to_string(),
        });
    }
    if crate::urls::is_reserved_slug(&slug) {
        return Err(AuthoringError::TitleTaken {
            title: title.to_string(),
            slug,
        });
    }
    let mut dir = content.to_path_buf();
    if let Some(given) = request.section {
        let section = slugify(given);
        if section.is_empty() || crate::urls::is_reserved_slug(&section) || section == AUTHORS_DIR {
            return Err(AuthoringError::BadSection {
                section: given.to_string(),
            });
        }
        dir.push(section);
    }
    Ok(if request.folder {
        dir.join(&slug).join(content::media::BUNDLE_INDEX)
    } else {
        dir.join(format!("{slug}.md"))
    })
}

/// Writes `text` as the new file `path`, with its folder.
fn write_new(path: &Path, text: &str) -> Result<(), AuthoringError> {
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).map_err(|source| AuthoringError::CreateFolder {
            path: dir.to_path_buf(),
            source,
        })?;
    }
    // `create_new`: never overwrite, even if the file appears between a check and a write.
    let file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path);
    match file {
        Ok(mut file) => std::io::Write::write_all(&mut file, text.as_bytes()).map_err(|source| {
            AuthoringError::Write {
                path: path.to_path_buf(),
                source,
            }
        }),
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
            Err(AuthoringError::ArticleExists {
                path: path.to_path_buf(),
            })
        }
        Err(source) => Err(AuthoringError::Create {
            path: path.to_path_buf(),
            source,
        }),
    }
}

/// A profile for `name` where the site has none; `None` when it has one, or the name
/// makes no file name.
fn profile_stub(content: &Path, config: &Config, name: &str) -> Option<Profile> {
    let path = content
        .join(AUTHORS_DIR)
        .join(format!("{}.md", slugify(name)));
    if path.exists() || slugify(name).is_empty() {
        return None;
    }
    let mut fm = FrontMatterWriter::new();
    fm.string("name", name);
    // The body is Markdown: the name and title are escaped to show as written.
    let stub = fm.file(&format!(
        "{} writes for {}.\n",
        escape(name),
        escape(&config.title)
    ));
    let written = path
        .parent()
        .map_or(Ok(()), std::fs::create_dir_all)
        .and_then(|()| {
            std::fs::OpenOptions::new()
                .write(true)
                .create_new(true)
                .open(&path)
        })
        .and_then(|mut file| std::io::Write::write_all(&mut file, stub.as_bytes()));
    let name = name.to_string();
    Some(match written {
        Ok(()) => Profile::Written { name, path },
        Err(error) => Profile::Failed { name, path, error },
    })
}
