//! Old URLs of the site's lists and feeds: where the site this one replaced had its home
//! page, its sections', authors' and tags' pages, and their feeds. Each of a list's
//! `aliases` redirects to the list (and `<alias>page/N/` to its page N, unless the alias
//! is an old first page, `…/page/1/`), and each of its
//! `rss_aliases` and `atom_aliases` gets a copy of that feed: feed readers do not follow
//! the HTML redirects pages get, so the feed itself must answer at its old address.
//!
//! They are written where each list is described — a section's `_index.md`, an author's
//! profile — and, for the home page and tags, which have no file of their own, in
//! `config.toml` (`[home]`, `[tags.<slug>]`): see `crate::config::OldUrls`.
//!
//! Invariant: once the site is assembled, each old URL is an output file that no page, no
//! file of the site's own and no other alias has (checked with the articles' aliases), and
//! every `[tags.<slug>]` names a tag some article has.

use std::path::{Path, PathBuf};

use super::{ContentError, alias_path};
use crate::config::OldUrls;
use crate::location::Located;

/// Which of a list's feeds an old feed URL gets a copy of.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum FeedKind {
    Rss,
    Atom,
}

impl FeedKind {
    /// The name of the list's own feed of this kind (`rss.xml`).
    pub fn file(self) -> &'static str {
        match self {
            FeedKind::Rss => "rss.xml",
            FeedKind::Atom => "atom.xml",
        }
    }
}

/// The old URLs of one list, checked: each an output file of the site.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ListAliases {
    /// The file that names them (`content/news/_index.md`, `config.toml`), for messages.
    pub source: PathBuf,
    /// Output files of the list's first page at its old URLs (`category/news/index.html`).
    pub pages: Vec<String>,
    /// Output files of its feeds at their old URLs (`category/news/feed/index.html`), each
    /// with the feed it copies.
    pub feeds: Vec<(String, FeedKind)>,
}

impl ListAliases {
    /// Checks old URLs written in `source`: each must be one a file of the output can
    /// answer (no query, no fragment, no `..`), which gives the file.
    pub fn of(written: &OldUrls, source: &Path) -> Result<ListAliases, ContentError> {
        let file = |url: &Located| {
            let refuse = |message: String| ContentError::Invalid {
                location: url.location.clone(),
                message,
            };
            if url.text.contains('?') {
                return Err(refuse(format!(
                    "alias {:?} has a query (`?…`), which no file of a list can answer",
                    url.text
                )));
            }
            alias_path(&url.text).map_err(|e| refuse(e.to_string()))
        };
        let pages = written
            .aliases
            .iter()
            .map(file)
            .collect::<Result<Vec<_>, _>>()?;
        let feeds = [
            (&written.rss_aliases, FeedKind::Rss),
            (&written.atom_aliases, FeedKind::Atom),
        ]
        .into_iter()
        .flat_map(|(urls, kind)| urls.iter().map(move |u| file(u).map(|f| (f, kind))))
        .collect::<Result<Vec<_>, _>>()?;
        Ok(ListAliases {
            source: source.to_path_buf(),
            pages,
            feeds,
        })
    }

    pub fn is_empty(&self) -> bool {
        self.pages.is_empty() && self.feeds.is_empty()
    }

    /// The output file answering page `n` (2 or more) of the list at the old URL of its
    /// first page `page`: `category/news/page/2/index.html` for `category/news/index.html`.
    /// Only a folder URL has further pages (the old site's lists paged as Gazette's do),
    /// and not one that is a first page itself (`…/page/1/`, where Hugo and Zola redirect
    /// to the list): the further pages of that list are its own URL's.
    pub fn further(page: &str, n: usize) -> Option<String> {
        let folder = page.strip_suffix("index.html")?;
        if folder == "page/1/" || folder.ends_with("/page/1/") {
            return None;
        }
        Some(format!("{folder}page/{n}/index.html"))
    }

    /// Every output file these old URLs take, for a list of `pages` pages: each first
    /// page's, their further pages', then the feeds'.
    pub fn files(&self, pages: usize) -> impl Iterator<Item = String> + '_ {
        let further = (2..=pages).flat_map(move |n| {
            self.pages
                .iter()
                .filter_map(move |page| ListAliases::further(page, n))
        });
        self.pages
            .iter()
            .cloned()
            .chain(further)
            .chain(self.feeds.iter().map(|(file, _)| file.clone()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::location::{Location, Position};

    fn located(text: &str, line: usize) -> Located {
        Located {
            text: text.into(),
            location: Location::at(Path::new("config.toml"), Position { line, column: 12 }),
        }
    }

    #[test]
    fn old_urls_become_output_files_with_their_further_pages() {
        let written = OldUrls {
            aliases: vec![located("/category/news/", 2), located("/news.html", 3)],
            rss_aliases: vec![located("/category/news/feed/", 4)],
            atom_aliases: vec![located("/index.xml", 5)],
        };
        let aliases = ListAliases::of(&written, Path::new("config.toml")).unwrap();
        assert_eq!(
            aliases.files(3).collect::<Vec<_>>(),
            [
                "category/news/index.html",
                "news.html",
                "category/news/page/2/index.html",
                "category/news/page/3/index.html",
                "category/news/feed/index.html",
                "index.xml",
            ]
        );
        assert_eq!(aliases.feeds[1], ("index.xml".to_string(), FeedKind::Atom));
    }

    #[test]
    fn an_old_first_page_has_no_further_pages_of_its_own() {
        let written = OldUrls {
            aliases: vec![
                located("/page/1/", 2),
                located("/categories/news/page/1/", 3),
                located("/categories/news/", 4),
            ],
            ..OldUrls::default()
        };
        let aliases = ListAliases::of(&written, Path::new("config.toml")).unwrap();
        assert_eq!(
            aliases.files(2).collect::<Vec<_>>(),
            [
                "page/1/index.html",
                "categories/news/page/1/index.html",
                "categories/news/index.html",
                "categories/news/page/2/index.html",
            ]
        );
    }

    #[test]
    fn the_sites_own_pages_are_those_gazette_could_make() {
        use crate::content::is_own_list_file;
        for own in [
            "atom.xml",
            "tags/index.html",
            "tags/rust/index.html",
            "tags/rust/rss.xml",
            "authors/jane/page/2/index.html",
            "page/3/index.html",
            "page/2/index.html",
            "search/index.html",
        ] {
            assert!(is_own_list_file(own), "{own}");
        }
        for free in [
            "index.xml",
            "tags/rust/index.xml",
            "tags/c++/index.html",
            "tags/ünïcode/index.html",
            "page/about/index.html",
            "tag/rust/index.html",
            // Gazette never writes a first page at `page/1/`: old sites' redirects may.
            "page/1/index.html",
            "tags/rust/page/1/index.html",
        ] {
            assert!(!is_own_list_file(free), "{free}");
        }
    }

    #[test]
    fn an_old_url_no_file_can_answer_is_refused_at_its_place() {
        let written = OldUrls {
            rss_aliases: vec![located("/?feed=rss2", 7)],
            ..OldUrls::default()
        };
        let err = ListAliases::of(&written, Path::new("config.toml")).unwrap_err();
        assert_eq!(
            err.to_string(),
            "config.toml:7:12: alias \"/?feed=rss2\" has a query (`?…`), which no file of a list can answer"
        );
    }
}
