//! Sections: the top-level folders of `content/` (`content/reviews/`), each described by an
//! optional `_index.md` (title, description, weight, `[extra]`, and a Markdown intro).
//!
//! A folder is a section whether or not it has an `_index.md` (as in Hugo): the file only
//! describes it. Architecture invariant: once the site is assembled, every article whose file
//! lies below a section folder links to that section, each section lists its articles newest
//! first, and no section's pages share a URL with an article, an alias or a page of the
//! site's own.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Deserialize;

use super::frontmatter;
use super::{
    AUTHORS_DIR, Article, ContentError, Link, ListAliases, Permalink, markdown, read_text,
};
use crate::config::WrittenOldUrls;
use crate::location::{Location, Position};
use crate::text::{clean, clean_table};
use crate::urls::is_reserved_slug;
use crate::urls::slug::slugify;

/// The file that describes a section.
pub const INDEX_FILE: &str = "_index.md";

/// A section's `_index.md` front matter as written.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct IndexFrontMatter {
    title: Option<String>,
    description: Option<String>,
    /// Place in navigation: lower first, then by title.
    #[serde(default)]
    weight: i64,
    /// Old URLs of the section's list and feeds (see `super::old_urls`).
    #[serde(default)]
    aliases: Vec<toml::Spanned<String>>,
    #[serde(default)]
    rss_aliases: Vec<toml::Spanned<String>>,
    #[serde(default)]
    atom_aliases: Vec<toml::Spanned<String>>,
    #[serde(default)]
    extra: toml::Table,
}

/// A section's `_index.md`, loaded.
#[derive(Debug, Clone)]
pub struct SectionIndex {
    pub file: PathBuf,
    /// The folder's name as on disk.
    pub folder: String,
    pub title: Option<String>,
    pub description: Option<String>,
    pub weight: i64,
    pub extra: toml::Table,
    /// The Markdown body as HTML.
    pub intro_html: String,
    /// Old URLs of the section's list and feeds.
    pub aliases: ListAliases,
    /// A hash of the file's bytes.
    pub version: u64,
}

#[derive(Debug, Clone)]
pub struct Section {
    pub slug: String,
    /// The `_index.md` title, else the folder name made readable (`ai-policy` → "Ai policy").
    pub title: String,
    pub permalink: Permalink,
    /// The folder, for messages (as the loader was given it).
    pub folder: PathBuf,
    /// Its `_index.md`, if it has one.
    pub index: Option<SectionIndex>,
    /// Indices into `Site::articles`, newest first.
    pub articles: Vec<usize>,
}

impl Section {
    /// The rest of what `_index.md` says, where the section has one.
    pub fn description(&self) -> Option<&str> {
        self.index.as_ref().and_then(|i| i.description.as_deref())
    }

    /// Its place in navigation (0 without `_index.md`).
    pub fn weight(&self) -> i64 {
        self.index.as_ref().map_or(0, |i| i.weight)
    }

    pub fn extra(&self) -> Option<&toml::Table> {
        self.index.as_ref().map(|i| &i.extra)
    }

    /// Old URLs of its list and feeds, which only an `_index.md` gives.
    pub fn aliases(&self) -> Option<&ListAliases> {
        self.index
            .as_ref()
            .map(|i| &i.aliases)
            .filter(|a| !a.is_empty())
    }

    /// The intro as HTML (empty without `_index.md`).
    pub fn intro_html(&self) -> &str {
        self.index.as_ref().map_or("", |i| i.intro_html.as_str())
    }

    /// What a message names for the section: its `_index.md`, else its folder.
    pub fn source(&self) -> &Path {
        self.index.as_ref().map_or(&self.folder, |i| &i.file)
    }

    /// A hash of everything its pages show of it besides its articles.
    pub fn version(&self) -> u64 {
        crate::hash::of((
            self.index.as_ref().map(|i| i.version),
            &self.slug,
            &self.title,
            self.articles.len(),
        ))
    }
}

/// Whether `path` is a section's `_index.md`.
pub fn is_index_file(path: &Path) -> bool {
    path.file_name()
        .and_then(|n| n.to_str())
        .is_some_and(|n| n.eq_ignore_ascii_case(INDEX_FILE))
}

/// The section folder an article's file lies in (`reviews` for `reviews/2024/x.md`), from
/// its `/`-separated path below `content/`.
pub fn folder_of(content_path: &str) -> Option<&str> {
    content_path.split_once('/').map(|(folder, _)| folder)
}

/// An article's link to its section, unresolved; `None` at the top of `content/` or in a
/// folder whose name has no letters or digits.
pub fn link_of(content_path: &str) -> Option<Link> {
    let folder = folder_of(content_path)?;
    let slug = slugify(folder);
    (!slug.is_empty()).then(|| Link {
        name: folder.to_string(),
        slug,
        index: None,
    })
}

/// Loads `content/<folder>/_index.md`; an `_index.md` anywhere else is refused (sections
/// are top-level folders).
pub fn load_index(
    path: &Path,
    content_dir: &Path,
    markdown: &markdown::Renderer,
) -> Result<SectionIndex, ContentError> {
    let relative = path.strip_prefix(content_dir).unwrap_or(path);
    let components: Vec<String> = relative
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    let folder = match components.as_slice() {
        [folder, _] if folder == super::page::PAGES_DIR => {
            return Err(ContentError::Invalid {
                location: Location::file(path),
                message: format!(
                    "content/{0}/ holds pages, which are no section (no list, no feed): remove \
                     `{INDEX_FILE}`, or name the folder otherwise to make a section",
                    super::page::PAGES_DIR
                ),
            });
        }
        [folder, _] if folder != AUTHORS_DIR => folder.clone(),
        _ => {
            return Err(ContentError::Invalid {
                location: Location::file(path),
                message: format!(
                    "`{INDEX_FILE}` describes a section, which is a top-level folder of the \
                     content folder: move it to content/<section>/{INDEX_FILE}"
                ),
            });
        }
    };
    let text = read_text(path)?;
    let split = frontmatter::split(&text, path)?;
    let fm: IndexFrontMatter = frontmatter::parse(split.front_matter, path)?;
    let written = WrittenOldUrls {
        aliases: fm.aliases,
        rss_aliases: fm.rss_aliases,
        atom_aliases: fm.atom_aliases,
    };
    let at = |offset| {
        Location::at(
            path,
            Position::of_offset(split.front_matter, offset).shifted(2),
        )
    };
    let aliases = ListAliases::of(&written.located(at), path)?;
    let nonempty = |s: Option<String>| {
        s.map(|s| clean(s.trim().to_string()))
            .filter(|s| !s.is_empty())
    };
    let intro = super::render_body(markdown, path, &text, split.body)?;
    Ok(SectionIndex {
        file: path.to_path_buf(),
        folder,
        title: nonempty(fm.title),
        description: nonempty(fm.description),
        weight: fm.weight,
        extra: {
            let mut extra = fm.extra;
            clean_table(&mut extra);
            extra
        },
        intro_html: intro.html,
        aliases,
        version: super::version_with(path, &text, intro.shortcodes),
    })
}

/// A folder name made readable: `ai-policy` → "Ai policy".
fn title_of_folder(folder: &str) -> String {
    let spaced = folder.replace(['-', '_'], " ");
    let mut chars = spaced.trim().chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// Builds the sections from their `_index.md` files and the folders articles are in, and
/// links each article to its section. Sorted by slug.
pub fn cross_reference(
    articles: &mut [Article],
    indexes: Vec<SectionIndex>,
) -> Result<Vec<Section>, ContentError> {
    let mut by_slug: BTreeMap<String, Section> = BTreeMap::new();
    let new_section = |slug: String, folder: PathBuf, title: String| Section {
        permalink: Permalink::from_segments([slug.as_str()]),
        slug,
        title,
        folder,
        index: None,
        articles: Vec::new(),
    };
    for index in indexes {
        let slug = slugify(&index.folder);
        let folder = index.file.parent().unwrap_or(Path::new("")).to_path_buf();
        if slug.is_empty() {
            return Err(ContentError::Invalid {
                location: Location::file(&index.file),
                message:
                    "a section folder's name needs letters or digits (it becomes the section's URL)"
                        .into(),
            });
        }
        let title = index
            .title
            .clone()
            .unwrap_or_else(|| title_of_folder(&index.folder));
        if let Some(other) = by_slug.get(&slug) {
            return Err(ContentError::Invalid {
                location: Location::file(&index.file),
                message: format!(
                    "this section and {} both want the URL /{slug}/: rename one of the folders",
                    other.source().display()
                ),
            });
        }
        let mut section = new_section(slug.clone(), folder, title);
        section.index = Some(index);
        by_slug.insert(slug, section);
    }
    for (i, article) in articles.iter_mut().enumerate() {
        let Some(link) = &article.section else {
            continue;
        };
        if let Some(section) = by_slug.get_mut(&link.slug) {
            section.articles.push(i);
            continue;
        }
        // `content/reviews/2024/x.md` is `reviews/2024/x.md` below `content/`: two folders up.
        let folder = article
            .source
            .ancestors()
            .nth(article.content_path.matches('/').count())
            .unwrap_or(Path::new(""))
            .to_path_buf();
        let mut section = new_section(link.slug.clone(), folder, title_of_folder(&link.name));
        section.articles.push(i);
        by_slug.insert(link.slug.clone(), section);
    }
    if let Some(section) = by_slug.values().find(|s| is_reserved_slug(&s.slug)) {
        return Err(ContentError::Invalid {
            location: Location::file(section.source()),
            message: format!(
                "the folder makes a section at /{}/, a URL the site uses itself: rename the folder",
                section.slug
            ),
        });
    }
    let sections: Vec<Section> = by_slug.into_values().collect();
    for article in articles.iter_mut() {
        if let Some(link) = &mut article.section {
            link.index = sections
                .binary_search_by(|s| s.slug.as_str().cmp(&link.slug))
                .ok();
        }
    }
    Ok(sections)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folders_make_readable_titles() {
        assert_eq!(title_of_folder("reviews"), "Reviews");
        assert_eq!(title_of_folder("ai-policy"), "Ai policy");
        assert_eq!(title_of_folder("_x"), "X");
    }

    #[test]
    fn an_article_links_to_its_top_level_folder() {
        assert_eq!(link_of("story.md"), None);
        let link = link_of("Reviews/2024/story.md").unwrap();
        assert_eq!(
            (link.name.as_str(), link.slug.as_str()),
            ("Reviews", "reviews")
        );
        assert_eq!(link_of("___/story.md"), None);
    }

    #[test]
    fn index_files_are_named_index() {
        assert!(is_index_file(Path::new("content/reviews/_index.md")));
        assert!(!is_index_file(Path::new("content/reviews/index.md")));
    }
}
