//! The `render` stage: turns a loaded [`Site`] and a [`Theme`] into the files of the site:
//! the shared template values, one `pages::Job` per rendered file, and the files whose
//! contents are known without a template (sitemaps, robots.txt, static files).
//!
//! Architecture invariant: rendering is a pure function of its inputs — no clock, no
//! environment, no file system writes (only reads of static files happen later, in
//! `output`). Jobs are listed in a fixed order and rendered in parallel by whoever drives
//! them (the engine, `check`); the order in which they finish never shows in the output,
//! so the same input always gives the same files, byte for byte.

pub(crate) mod aliases;
pub mod cards;
pub mod context;
mod filters;
pub mod image_fn;
pub mod links;
pub mod pages;
pub mod pictures;
mod sitemap;
mod tera_text;
pub mod theme;

use std::collections::BTreeMap;
use std::path::PathBuf;

use thiserror::Error;

use crate::content::Site;
use crate::files::{Contents, OutputFile, StaticSource};
use crate::paths::SitePaths;
pub use theme::Theme;

#[derive(Debug, Error)]
pub enum RenderError {
    #[error("{}: cannot read: {source}", path.display())]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{}: not valid UTF-8 text", path.display())]
    NotUtf8 { path: PathBuf },
    #[error("{}: cannot read its HTML back from the build's spill file: {source}", path.display())]
    Body {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("unknown theme `{theme}`: there is no folder {} (the built-in theme is `broadsheet`)", looked_in.display())]
    UnknownTheme { theme: String, looked_in: PathBuf },
    #[error(
        "{}: the theme `{theme}` lacks the page templates {} (a theme needs all of {}; the site's own templates/ folder can supply them too)",
        dir.display(),
        missing.join(", "),
        pages::PAGE_TEMPLATES.join(", ")
    )]
    MissingTemplates {
        theme: String,
        /// The theme's templates folder, relative to the site.
        dir: PathBuf,
        missing: Vec<String>,
    },
    #[error(
        "{}: the site has the section `{slug}`, and the theme `{theme}` has no {} to render its page with: add {} (`gazette init` writes the built-in theme's to copy)",
        section.display(),
        pages::SECTION_TEMPLATE,
        dir.join(pages::SECTION_TEMPLATE).display()
    )]
    NoSectionTemplate {
        theme: String,
        dir: PathBuf,
        /// The section's `_index.md` or folder.
        section: PathBuf,
        slug: String,
    },
    #[error(
        "{}: the site has pages (content/pages/), and the theme `{theme}` has no {} to render them with: add {} (`gazette init` writes the built-in theme's to copy)",
        page.display(),
        pages::PAGE_TEMPLATE,
        dir.join(pages::PAGE_TEMPLATE).display()
    )]
    NoPageTemplate {
        theme: String,
        dir: PathBuf,
        /// The first page's file.
        page: PathBuf,
    },
    #[error(
        "{}: search is on (`[search] enabled` in the configuration), and the theme `{theme}` has no {} to render the search page with: add {} (`gazette init` writes the built-in theme's to copy)",
        config.display(),
        pages::SEARCH_TEMPLATE,
        dir.join(pages::SEARCH_TEMPLATE).display()
    )]
    NoSearchTemplate {
        theme: String,
        dir: PathBuf,
        config: PathBuf,
    },
    #[error("{location}: {message}{}", rendering.as_ref().map(|r| format!("\n  while rendering {r}")).unwrap_or_default())]
    Template {
        /// The template file, with line and column where Tera knows them.
        location: String,
        message: String,
        /// The page being rendered, e.g. `content/foo.md`.
        rendering: Option<String>,
    },
}

impl RenderError {
    /// Turns a Tera error into a message naming the template file (and the page being
    /// rendered), like a compiler would.
    pub fn template(
        error: &tera::Error,
        sources: &BTreeMap<String, String>,
        rendering: Option<&str>,
    ) -> RenderError {
        let source_of = |name: &str| {
            sources
                .get(name)
                .cloned()
                .unwrap_or_else(|| name.to_string())
        };
        let (location, message) = match error.kind() {
            tera::ErrorKind::SyntaxError(report) | tera::ErrorKind::RenderingError(report) => {
                let span = report.span();
                (
                    format!(
                        "{}:{}:{}",
                        source_of(report.filename()),
                        span.start_line,
                        span.start_col + 1
                    ),
                    report.message().to_string(),
                )
            }
            tera::ErrorKind::TemplateNotFound(name) => (
                "theme".to_string(),
                format!(
                    "template `{name}` not found (add it to the theme's or the site's templates/ folder)"
                ),
            ),
            tera::ErrorKind::MissingParent { current, parent } => (
                source_of(current),
                format!("extends `{parent}`, which does not exist"),
            ),
            // Unknown filters, functions, tests, components and included templates are
            // found when the templates are added, and come as one message holding a
            // report per place.
            tera::ErrorKind::Msg(text) if tera_text::reports(text).is_some() => {
                let mut places = tera_text::reports(text)
                    .expect("checked by the guard")
                    .into_iter()
                    .map(|r| {
                        let place = format!("{}:{}", source_of(r.template), r.position);
                        (place, r.message.to_string())
                    });
                let (location, mut message) = places.next().expect("reports are never empty");
                for (place, other) in places {
                    message.push_str(&format!("\n{place}: {other}"));
                }
                (location, message)
            }
            _ => {
                let mut message = error.to_string();
                let mut source = std::error::Error::source(error);
                while let Some(s) = source {
                    message.push_str(&format!(": {s}"));
                    source = s.source();
                }
                (theme::UNPLACED.to_string(), message)
            }
        };
        RenderError::Template {
            location,
            message,
            rendering: rendering.map(str::to_string),
        }
    }
}

/// The files of every page bundle, published at its article's URL (`.md` files there are
/// notes, not published).
fn bundle_files(site: &Site) -> impl Iterator<Item = OutputFile> + '_ {
    site.documents()
        .filter_map(|a| a.bundle().map(|b| (a, b)))
        .flat_map(|(a, b)| {
            b.files
                .iter()
                .filter(|f| !crate::content::is_content_file(std::path::Path::new(f.as_str())))
                .map(move |f| OutputFile {
                    path: format!("{}{f}", a.permalink().path()),
                    contents: Contents::Static(StaticSource::File(b.dir.join(f))),
                })
        })
}

/// Whether `theme` has every template the site's pages need: the page templates every
/// theme has (checked when it loads), `section.html` once the site has a section,
/// `page.html` once it has a page and `search.html` once it has search.
pub fn check_theme(site: &Site, theme: &Theme, paths: &SitePaths) -> Result<(), RenderError> {
    if site.config.search.enabled && !theme.texts.contains_key(pages::SEARCH_TEMPLATE) {
        return Err(RenderError::NoSearchTemplate {
            theme: site.config.theme.clone(),
            dir: paths.theme.join("templates"),
            config: paths.config_file.clone(),
        });
    }
    if let Some(page) = site.pages.first()
        && !theme.texts.contains_key(pages::PAGE_TEMPLATE)
    {
        return Err(RenderError::NoPageTemplate {
            theme: site.config.theme.clone(),
            dir: paths.theme.join("templates"),
            page: page.source.clone(),
        });
    }
    match site.sections.first() {
        Some(section) if !theme.texts.contains_key(pages::SECTION_TEMPLATE) => {
            Err(RenderError::NoSectionTemplate {
                theme: site.config.theme.clone(),
                dir: paths.theme.join("templates"),
                section: section.source().to_path_buf(),
                slug: section.slug.clone(),
            })
        }
        _ => Ok(()),
    }
}

/// The files of the site that no template renders: sitemaps, robots.txt, image variants,
/// static files, and last the search index (`search`, the search stage's files) — except
/// where a page (one of `pages`) or a generated file has the same path. With search on,
/// `search/` is the index's: static files there are not published. The search files come
/// last, all of them: the engine swaps them alone when only they change.
pub fn files(
    site: &Site,
    theme: &Theme,
    pages: &[pages::Job],
    images: &crate::images::Images,
    search: Vec<OutputFile>,
) -> Vec<OutputFile> {
    let page_paths: std::collections::HashSet<&str> =
        pages.iter().map(|j| j.path.as_str()).collect();
    let search_dir = format!("{}/", crate::urls::SEARCH_DIR);
    let in_search = |path: &str| site.config.search.enabled && path.starts_with(&search_dir);
    let mut files = sitemap::files(site);
    files.extend(aliases::files(site));
    files.extend(bundle_files(site));
    files.extend(images.files());
    files.retain(|f| !page_paths.contains(f.path.as_str()));
    let generated: std::collections::HashSet<String> =
        files.iter().map(|f| f.path.clone()).collect();
    // A rendered page or generated file wins over a static file of the same name.
    for (path, source) in &theme.static_files {
        if !page_paths.contains(path.as_str()) && !generated.contains(path) && !in_search(path) {
            files.push(OutputFile {
                path: path.clone(),
                contents: Contents::Static(source.clone()),
            });
        }
    }
    // An image's original is published from the image cache's copy (see `images`).
    if !images.by_path.is_empty() {
        files.iter_mut().for_each(|f| images.publish(f));
    }
    files.extend(search);
    files
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_holding_reports_name_each_template_file_and_position() {
        let mut tera = tera::Tera::new();
        let error = tera
            .add_raw_templates([
                ("a.html", "{{ x | nofilter }}\n{% include \"gone.html\" %}"),
                ("b.html", "ok"),
            ])
            .unwrap_err();
        let sources = BTreeMap::from([("a.html".to_string(), "templates/a.html".to_string())]);
        let message = RenderError::template(&error, &sources, None).to_string();
        assert_eq!(
            message,
            "templates/a.html:1:8: Unknown filter `nofilter`\n\
             templates/a.html:2:12: Unknown template `gone.html`"
        );
    }
}
