//! `gazette mv ARTICLE NEW-SLUG`: gives an article a new slug, so a new URL, and keeps its
//! old URL answering: the old one goes into the article's `aliases` if it was published —
//! as the build record (or the last output's sitemap) and `published.toml` say, or, where
//! no build has left either, if the article is neither a draft nor scheduled.

use std::path::{Path, PathBuf};

use crate::cli::MvArgs;
use crate::content::edit::{FrontMatterEdit, edit_front_matter};
use crate::content::{self, Article, LoadOptions, frontmatter};
use crate::error::Error;
use crate::pipeline::load_config;
use crate::published::Published;
use crate::urls::slug::{is_slug, slugify};

pub fn run(args: MvArgs) -> Result<(), Error> {
    let root = args.site.root();
    let config = load_config(&root, None)?;
    let paths = crate::paths::SitePaths::unchecked(&root, &config, None);
    let content_dir = paths.content.clone();
    let new = args.new_slug.trim();
    if !is_slug(new) {
        return Err(Error::Usage(not_a_slug(new)));
    }
    if crate::urls::is_reserved_slug(new) {
        return Err(Error::Usage(format!(
            "the slug `{new}` is used by the site itself: choose another"
        )));
    }
    // Drafts and scheduled articles can be moved too. Only where each page is matters
    // (bodies, with the site's shortcodes, are the build's business).
    let everything = LoadOptions {
        drafts: true,
        published_by: None,
        bodies: content::Bodies::Skipped,
    };
    let site = content::load(config.clone(), &content_dir, everything)?;
    let article = find(&site.articles, &args.article, &root)?;
    if article.path.is_some() {
        return Err(Error::Usage(format!(
            "{}: the article's own `path` decides its URL, not its slug: edit `path`, and add the old one to `aliases`",
            article.source.display()
        )));
    }
    if article.slug == new {
        return Err(Error::Usage(format!(
            "{}: the slug is `{new}` already",
            article.source.display()
        )));
    }
    let source = article.source.clone();
    let old_url = format!("/{}", article.permalink.path());
    let published = was_published(&paths, &config, article)?;
    let original = std::fs::read_to_string(&source)
        .map_err(|e| Error::Usage(format!("{}: cannot read: {e}", source.display())))?;
    let split = frontmatter::split(&original, &source)?;
    let sets_slug = toml::from_str::<toml::Table>(split.front_matter)
        .map(|t| t.contains_key("slug"))
        .unwrap_or(false);
    let edit = FrontMatterEdit {
        // A slug set in the file changes there; else the file name is the slug.
        slug: sets_slug.then_some(new),
        alias: published.then_some(old_url.as_str()),
        ..FrontMatterEdit::default()
    };
    let edited = edit_front_matter(&original, &source, &edit)?;
    // What is renamed: nothing (the file sets `slug`), the article's folder (an article
    // that is a folder is named by it), or its file.
    let renamed: Option<(PathBuf, PathBuf)> = if sets_slug {
        None
    } else if let Some(bundle) = &article.bundle {
        Some((bundle.dir.clone(), bundle.dir.with_file_name(new)))
    } else {
        Some((source.clone(), source.with_file_name(format!("{new}.md"))))
    };
    if let Some((_, to)) = &renamed
        && to.exists()
    {
        return Err(Error::Usage(format!(
            "{} already exists: choose another slug",
            to.display()
        )));
    }
    write_atomically(&source, &edited)?;
    if let Some((from, to)) = &renamed
        && let Err(e) = std::fs::rename(from, to)
    {
        write_atomically(&source, &original)?;
        return Err(Error::Usage(format!(
            "{}: cannot rename to {}: {e}",
            from.display(),
            to.display()
        )));
    }
    // The site must still hold together (no URL taken twice); if not, everything is put
    // back as it was.
    if let Err(e) = content::load(config, &content_dir, everything) {
        if let Some((from, to)) = &renamed {
            let _ = std::fs::rename(to, from);
        }
        write_atomically(&source, &original)?;
        return Err(e.into());
    }
    let target = renamed.as_ref().map(|(_, to)| to.clone());
    let moved = match (&renamed, target) {
        (Some((from, _)), Some(to)) => format!("{} → {}", from.display(), to.display()),
        _ => format!("{}: slug `{new}`", source.display()),
    };
    if published {
        println!("{moved}; {old_url} now redirects to the new URL (added to `aliases`)");
    } else {
        println!("{moved}; it was not published yet, so no alias was needed");
    }
    Ok(())
}

/// Whether readers may have the article's URL: what the last builds published says, and
/// without any (a site never built here), whether it is public now (a draft or a scheduled
/// article was never published: nobody has its old URL).
fn was_published(
    paths: &crate::paths::SitePaths,
    config: &crate::config::Config,
    article: &Article,
) -> Result<bool, Error> {
    let record = crate::cache::load(paths);
    let before = Published::before(record.as_ref(), paths, &config.base_url)?;
    if record.is_some() || !before.is_empty() {
        return Ok(before.contains(article.permalink.path()));
    }
    let now = chrono::Utc::now().fixed_offset();
    Ok(!article.draft && article.date <= now)
}

/// Why `given` is not a slug, with the slug it would make where that is one `mv` takes.
fn not_a_slug(given: &str) -> String {
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
fn find<'a>(articles: &'a [Article], given: &str, root: &Path) -> Result<&'a Article, Error> {
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
            .ok_or_else(|| {
                Error::Usage(format!("{given}: no article of the site is in this file"))
            });
    }
    let matching: Vec<&Article> = articles.iter().filter(|a| a.slug == given).collect();
    match matching.as_slice() {
        [one] => Ok(one),
        [] => Err(Error::Usage(format!(
            "no article has the slug `{given}`: name it by its slug or its file"
        ))),
        several => Err(Error::Usage(format!(
            "several articles have the slug `{given}`: name one by its file ({})",
            several
                .iter()
                .map(|a| a.source.display().to_string())
                .collect::<Vec<_>>()
                .join(", ")
        ))),
    }
}

/// Writes an article's text whole (see [`crate::files::write_whole`]).
fn write_atomically(path: &Path, text: &str) -> Result<(), Error> {
    crate::files::write_whole(path, text.as_bytes())
        .map_err(|e| Error::Usage(format!("{}: cannot write: {e}", path.display())))
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
    }
}
