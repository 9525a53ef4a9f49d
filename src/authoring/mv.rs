//! A new slug for an article, so a new URL, with its old URL kept answering: the old one
//! goes into the article's `aliases` if it was published — as the build record (or the
//! last output's sitemap) and `published.toml` say, or, where no build has left either, if
//! the article is neither a draft nor scheduled.
//!
//! Invariant: the site still loads afterwards (no URL taken twice), or every file is put
//! back as it was.

use std::path::{Path, PathBuf};

use super::AuthoringError;
use crate::config::Config;
use crate::content::edit::{FrontMatterEdit, edit_front_matter};
use crate::content::{self, Article, LoadOptions, frontmatter};
use crate::paths::SitePaths;
use crate::published::Published;
use crate::urls::slug::{is_slug, slugify};

/// What `mv` did.
#[derive(Debug)]
pub struct Moved {
    /// The article's file (its file as it was named before).
    pub source: PathBuf,
    /// What was renamed, if anything: the article's file or folder (an article whose file
    /// sets `slug` keeps its name).
    pub renamed: Option<(PathBuf, PathBuf)>,
    pub slug: String,
    /// The article's URL before, a site-root path.
    pub old_url: String,
    /// Whether the old URL was published, so now an alias.
    pub aliased: bool,
}

/// Gives the article `given` (a content file, or a slug) the slug `new`.
pub fn move_article(
    root: &Path,
    paths: &SitePaths,
    config: &Config,
    given: &str,
    new: &str,
) -> Result<Moved, AuthoringError> {
    let new = new.trim();
    if !is_slug(new) {
        return Err(AuthoringError::NotASlug {
            given: new.to_string(),
        });
    }
    if crate::urls::is_reserved_slug(new) {
        return Err(AuthoringError::SlugTaken {
            slug: new.to_string(),
        });
    }
    // Drafts and scheduled articles can be moved too. Only where each page is matters
    // (bodies, with the site's shortcodes, are the build's business).
    let everything = LoadOptions {
        drafts: true,
        published_by: None,
        bodies: content::Bodies::Skipped,
        ..LoadOptions::default()
    };
    let site = content::load(config.clone(), &paths.content, everything)?;
    let article = find(&site.articles, given, root)?;
    if article.path.is_some() {
        return Err(AuthoringError::SlugSetByPath {
            path: article.source.clone(),
        });
    }
    if article.slug == new {
        return Err(AuthoringError::SameSlug {
            path: article.source.clone(),
            slug: new.to_string(),
        });
    }
    let moved = Moved {
        source: article.source.clone(),
        renamed: None,
        slug: new.to_string(),
        old_url: format!("/{}", article.permalink.path()),
        aliased: was_published(paths, config, article)?,
    };
    let bundle = article.bundle.as_ref().map(|b| b.dir.clone());
    apply(moved, bundle, || {
        content::load(config.clone(), &paths.content, everything).map(drop)
    })
}

/// Edits the article's file and renames it (or its folder), then puts everything back if
/// `still_loads` fails.
fn apply(
    mut moved: Moved,
    bundle: Option<PathBuf>,
    still_loads: impl FnOnce() -> Result<(), content::ContentError>,
) -> Result<Moved, AuthoringError> {
    let source = moved.source.clone();
    let new = moved.slug.as_str();
    let original = std::fs::read_to_string(&source).map_err(|e| AuthoringError::Read {
        path: source.clone(),
        source: e,
    })?;
    let split = frontmatter::split(&original, &source)?;
    let sets_slug = toml::from_str::<toml::Table>(split.front_matter)
        .map(|t| t.contains_key("slug"))
        .unwrap_or(false);
    let edit = FrontMatterEdit {
        // A slug set in the file changes there; else the file name is the slug.
        slug: sets_slug.then_some(new),
        alias: moved.aliased.then_some(moved.old_url.as_str()),
        ..FrontMatterEdit::default()
    };
    let edited = edit_front_matter(&original, &source, &edit)?;
    // What is renamed: nothing (the file sets `slug`), the article's folder (an article
    // that is a folder is named by it), or its file.
    let renamed: Option<(PathBuf, PathBuf)> = if sets_slug {
        None
    } else if let Some(dir) = bundle {
        let to = dir.with_file_name(new);
        Some((dir, to))
    } else {
        Some((source.clone(), source.with_file_name(format!("{new}.md"))))
    };
    if let Some((_, to)) = &renamed
        && to.exists()
    {
        return Err(AuthoringError::SlugFileExists { path: to.clone() });
    }
    write_atomically(&source, &edited)?;
    if let Some((from, to)) = &renamed
        && let Err(e) = std::fs::rename(from, to)
    {
        write_atomically(&source, &original)?;
        return Err(AuthoringError::Rename {
            from: from.clone(),
            to: to.clone(),
            source: e,
        });
    }
    // The site must still hold together (no URL taken twice); if not, everything is put
    // back as it was.
    if let Err(e) = still_loads() {
        if let Some((from, to)) = &renamed {
            let _ = std::fs::rename(to, from);
        }
        write_atomically(&source, &original)?;
        return Err(e.into());
    }
    moved.renamed = renamed;
    Ok(moved)
}

/// Whether readers may have the article's URL: what the last builds published says, and
/// without any (a site never built here), whether it is public now (a draft or a scheduled
/// article was never published: nobody has its old URL).
fn was_published(
    paths: &SitePaths,
    config: &Config,
    article: &Article,
) -> Result<bool, AuthoringError> {
    let record = crate::cache::load(paths);
    let before = Published::before(record.as_ref(), paths, &config.base_url)?;
    if record.is_some() || !before.is_empty() {
        return Ok(before.contains(article.permalink.path()));
    }
    let now = chrono::Utc::now().fixed_offset();
    Ok(!article.draft && article.date <= now)
}

/// Why `given` is not a slug, with the slug it would make where that is one `mv` takes.
pub(super) fn not_a_slug(given: &str) -> String {
    let suggestion = slugify(given);
    if suggestion.is_empty() {
        format!(
            "{given:?} is not a slug and has no letters or digits to make one of: use lowercase letters, digits and hyphens"
        )
    } else if crate::urls::is_reserved_slug(&suggestion) {
        format!(
            "{given:?} is not a slug, and `{suggestion}` is used by the site itself: use lowercase letters, digits and hyphens"
        )
    } else {
        format!(
            "{given:?} is not a slug: use lowercase letters, digits and hyphens, such as {suggestion:?}"
        )
    }
}

/// The article `given` names: a content file, or a slug.
fn find<'a>(
    articles: &'a [Article],
    given: &str,
    root: &Path,
) -> Result<&'a Article, AuthoringError> {
    let as_file = Path::new(given);
    let by_file = |file: &Path| {
        let file = std::fs::canonicalize(file).ok()?;
        articles
            .iter()
            .find(|a| std::fs::canonicalize(&a.source).ok().as_ref() == Some(&file))
    };
    if given.to_ascii_lowercase().ends_with(".md") {
        return by_file(as_file)
            .or_else(|| by_file(&root.join(as_file)))
            .ok_or_else(|| AuthoringError::NoArticleInFile {
                given: given.to_string(),
            });
    }
    let matching: Vec<&Article> = articles.iter().filter(|a| a.slug == given).collect();
    match matching.as_slice() {
        [one] => Ok(one),
        [] => Err(AuthoringError::NoArticleWithSlug {
            given: given.to_string(),
        }),
        several => Err(AuthoringError::SeveralWithSlug {
            given: given.to_string(),
            files: several.iter().map(|a| a.source.clone()).collect(),
        }),
    }
}

/// Writes an article's text whole (see [`crate::files::write_whole`]).
fn write_atomically(path: &Path, text: &str) -> Result<(), AuthoringError> {
    crate::files::write_whole(path, text.as_bytes()).map_err(|source| AuthoringError::Write {
        path: path.to_path_buf(),
        source,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_suggested_slug_is_never_empty_nor_the_sites_own() {
        assert_eq!(
            not_a_slug("Not A Slug"),
            "\"Not A Slug\" is not a slug: use lowercase letters, digits and hyphens, such as \"not-a-slug\""
        );
        for given in ["!!!", "", "---", " "] {
            assert_eq!(
                not_a_slug(given),
                format!(
                    "{given:?} is not a slug and has no letters or digits to make one of: use lowercase letters, digits and hyphens"
                )
            );
        }
        assert_eq!(
            not_a_slug("Tags"),
            "\"Tags\" is not a slug, and `tags` is used by the site itself: use lowercase letters, digits and hyphens"
        );
        assert_eq!(
            AuthoringError::NotASlug {
                given: "Tags".into()
            }
            .to_string(),
            not_a_slug("Tags")
        );
    }
}
