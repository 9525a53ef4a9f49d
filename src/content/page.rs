//! Pages: the files of `content/pages/` — "About us", "Contact", "Corrections policy".
//!
//! A page is not news: it has no byline, tags or section, needs no date, and is never in
//! the home page, a section's, tag's or author's list, a feed, the search index or the
//! news sitemap; it is in `sitemap.xml`. It lives at `/<slug>/` (or its own `path`, never
//! the site's `permalink` pattern), answers its `aliases`, may be a folder with its files
//! (`pages/about/index.md`), and is linked as `@/pages/about.md`. An optional `date` or
//! `updated` is what the sitemap says it last changed.
//!
//! Invariant (with `Site`): pages are sorted by their file below `content/`, and no page
//! shares a URL with an article, a section's list, an alias or a page of the site's own.

use std::path::{Path, PathBuf};

use chrono::{DateTime, FixedOffset};

use super::{Bundle, Html, InternalLink, LeadImage, Permalink, markdown};

/// The folder of `content/` whose files are pages.
pub const PAGES_DIR: &str = "pages";

/// Whether the file at `content_path` (`/`-separated, below `content/`) is a page.
pub fn is_page_path(content_path: &str) -> bool {
    content_path
        .split_once('/')
        .is_some_and(|(folder, _)| folder == PAGES_DIR)
}

#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct Page {
    /// The file it came from, as given to the loader (for messages).
    pub source: PathBuf,
    pub slug: String,
    pub permalink: Permalink,
    pub title: String,
    /// When it was written, if it says.
    pub date: Option<DateTime<FixedOffset>>,
    pub updated: Option<DateTime<FixedOffset>>,
    pub description: Option<String>,
    /// The description, else the first paragraph as plain text.
    pub summary: String,
    pub draft: bool,
    #[serde(with = "super::load_cache::table")]
    pub extra: toml::Table,
    pub html: Html,
    /// A hash of the file's bytes.
    pub version: u64,
    /// The file's path below the content folder, `/`-separated (what `@/` links name).
    pub content_path: String,
    pub internal_links: Vec<InternalLink>,
    pub word_count: usize,
    pub reading_time: usize,
    pub toc: Vec<markdown::Heading>,
    /// Its own URL (`path`), instead of `/<slug>/`.
    pub path: Option<Permalink>,
    /// Old URLs that redirect here, as output paths (see `Article::aliases`).
    pub aliases: Vec<String>,
    pub query_aliases: Vec<String>,
    pub bundle: Option<Bundle>,
    pub image: Option<LeadImage>,
    pub image_credit: Option<String>,
    pub body_images: Vec<String>,
}

impl Page {
    /// When the page last changed, where it says: `updated`, else `date`.
    pub fn last_modified(&self) -> Option<DateTime<FixedOffset>> {
        self.updated.or(self.date)
    }
}

/// What an article and a page are alike in: a file with a URL, a body, its images and its
/// old URLs. The stages after `content` that treat both alike (images, links, redirects)
/// take one of these.
pub trait Document {
    fn source(&self) -> &Path;
    fn title(&self) -> &str;
    fn permalink(&self) -> &Permalink;
    fn content_path(&self) -> &str;
    fn draft(&self) -> bool;
    fn html(&self) -> &Html;
    fn bundle(&self) -> Option<&Bundle>;
    fn image(&self) -> Option<&LeadImage>;
    fn image_credit(&self) -> Option<&str>;
    fn body_images(&self) -> &[String];
    fn internal_links(&self) -> &[InternalLink];
    fn internal_links_mut(&mut self) -> &mut Vec<InternalLink>;
    fn aliases(&self) -> &[String];
    fn query_aliases(&self) -> &[String];
}

macro_rules! document {
    ($type:ty) => {
        impl Document for $type {
            fn source(&self) -> &Path {
                &self.source
            }
            fn title(&self) -> &str {
                &self.title
            }
            fn permalink(&self) -> &Permalink {
                &self.permalink
            }
            fn content_path(&self) -> &str {
                &self.content_path
            }
            fn draft(&self) -> bool {
                self.draft
            }
            fn html(&self) -> &Html {
                &self.html
            }
            fn bundle(&self) -> Option<&Bundle> {
                self.bundle.as_ref()
            }
            fn image(&self) -> Option<&LeadImage> {
                self.image.as_ref()
            }
            fn image_credit(&self) -> Option<&str> {
                self.image_credit.as_deref()
            }
            fn body_images(&self) -> &[String] {
                &self.body_images
            }
            fn internal_links(&self) -> &[InternalLink] {
                &self.internal_links
            }
            fn internal_links_mut(&mut self) -> &mut Vec<InternalLink> {
                &mut self.internal_links
            }
            fn aliases(&self) -> &[String] {
                &self.aliases
            }
            fn query_aliases(&self) -> &[String] {
                &self.query_aliases
            }
        }
    };
}

document!(Page);
document!(super::Article);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pages_are_the_files_below_the_pages_folder() {
        assert!(is_page_path("pages/about.md"));
        assert!(is_page_path("pages/team/index.md"));
        assert!(!is_page_path("pages.md"));
        assert!(!is_page_path("news/pages/x.md"));
        assert!(!is_page_path("Pages/about.md"));
    }
}
