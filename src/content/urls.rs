//! The addresses of a site: how an article's `path`, `aliases` and the `permalink` pattern
//! become URLs, and which page (an article's, a section list's), alias or query alias
//! answers each one.
//!
//! [`UrlTable`] is the one rule for "two things want one URL": the build
//! ([`check_urls`], from `assemble`) refuses a site where that happens, and the importer
//! asks the same table to move a later article aside before it writes anything, so the two
//! cannot drift apart. Invariants:
//! - A page and an alias are one address when they are one output file: `/x/`, `/x` and
//!   `/x/index.html` are all `x/index.html`.
//! - An alias never takes a file of the site's own ([`is_own_file`]) and is always a path
//!   of this site: it starts with a single `/`, has no scheme, no space, no fragment.
//! - Aliases with a query are compared with each other only, as [`query_alias`] writes
//!   them: no file can answer them.

use std::borrow::Cow;
use std::collections::HashMap;
use std::path::Path;

use chrono::{DateTime, FixedOffset};
use thiserror::Error;

use super::old_urls::{FeedKind, ListAliases};
use super::page::{Document, Page};
use super::section::Section;
use super::{Article, Author, ContentError, Permalink, Tag};
use crate::urls::slug::{self, is_slug};
use crate::urls::{RESERVED_SLUGS, is_root_file};

/// What already answers an address.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Holder<T> {
    /// A page: an article's, or a page of a section's list.
    Page(T),
    /// An alias, with or without a query.
    Alias(T),
    /// A page or file the site makes itself (`/tags/`, `/atom.xml`).
    Own,
}

/// Which page or alias answers each address of a site, filled one claim at a time: the
/// first claim of an address keeps it, a later one is told what holds it. `T` names the
/// claimant (an article's file for the build, an entry of an export for the importer).
#[derive(Debug)]
pub struct UrlTable<'a, T> {
    /// By output file, with a folder's `index.html` left off (`x/` for `x/index.html`).
    files: HashMap<Cow<'a, str>, Holder<T>>,
    /// By the alias as [`query_alias`] writes it.
    queries: HashMap<Cow<'a, str>, T>,
}

impl<'a, T: Clone> UrlTable<'a, T> {
    pub fn with_capacity(pages: usize) -> Self {
        UrlTable {
            files: HashMap::with_capacity(pages),
            queries: HashMap::new(),
        }
    }

    /// Claims the page at `permalink` (a [`Permalink`]'s path, such as `2014/11/x/`).
    pub fn page(&mut self, permalink: impl Into<Cow<'a, str>>, who: T) -> Result<(), Holder<T>> {
        self.claim(permalink.into(), Holder::Page(who))
    }

    /// Claims an alias, given as the output file [`alias_path`] made of it.
    pub fn alias(&mut self, file: impl Into<Cow<'a, str>>, who: T) -> Result<(), Holder<T>> {
        let file = file.into();
        if is_own_file(&file) {
            return Err(Holder::Own);
        }
        let key = match file {
            Cow::Borrowed(f) => Cow::Borrowed(folder_key(f)),
            Cow::Owned(f) => Cow::Owned(folder_key(&f).to_string()),
        };
        self.claim(key, Holder::Alias(who))
    }

    /// Claims an alias with a query, as [`query_alias`] writes it.
    pub fn query(&mut self, alias: impl Into<Cow<'a, str>>, who: T) -> Result<(), Holder<T>> {
        match self.queries.entry(alias.into()) {
            std::collections::hash_map::Entry::Occupied(held) => {
                Err(Holder::Alias(held.get().clone()))
            }
            std::collections::hash_map::Entry::Vacant(free) => {
                free.insert(who);
                Ok(())
            }
        }
    }

    fn claim(&mut self, key: Cow<'a, str>, holder: Holder<T>) -> Result<(), Holder<T>> {
        match self.files.entry(key) {
            std::collections::hash_map::Entry::Occupied(held) => Err(held.get().clone()),
            std::collections::hash_map::Entry::Vacant(free) => {
                free.insert(holder);
                Ok(())
            }
        }
    }
}

/// An output file as the address of a page: a folder's `index.html` is the folder.
fn folder_key(file: &str) -> &str {
    match file.strip_suffix("index.html") {
        Some(folder) if folder.is_empty() || folder.ends_with('/') => folder,
        _ => file,
    }
}

/// Every page of every section (its list and the list's further pages), with what it
/// comes from.
fn section_pages(
    sections: &[Section],
    per_page: usize,
) -> impl Iterator<Item = (Permalink, &Section)> {
    sections.iter().flat_map(move |s| {
        let pages = s.articles.len().div_ceil(per_page).max(1);
        (1..=pages).map(move |n| (s.permalink.page(n), s))
    })
}

/// Every address of the site is answered by one thing: no two articles share a URL, no
/// article has a section's page, and every alias names a URL nothing else has (no page,
/// no file of the site's own, no other alias).
pub(super) fn check_urls(
    documents: &[&dyn Document],
    sections: &[Section],
    per_page: usize,
) -> Result<(), ContentError> {
    let mut table: UrlTable<&Path> = UrlTable::with_capacity(documents.len());
    for d in documents {
        if let Err(Holder::Page(first) | Holder::Alias(first)) =
            table.page(d.permalink().path(), d.source())
        {
            let (first, second) = if first <= d.source() {
                (first, d.source())
            } else {
                (d.source(), first)
            };
            return Err(ContentError::DuplicatePermalink {
                permalink: d.permalink().path().to_string(),
                first: first.to_path_buf(),
                second: second.to_path_buf(),
            });
        }
    }
    for (permalink, section) in section_pages(sections, per_page) {
        let path = permalink.path().to_string();
        if let Err(Holder::Page(article) | Holder::Alias(article)) =
            table.page(path.clone(), section.source())
        {
            return Err(ContentError::DuplicatePermalink {
                permalink: path,
                first: section.source().to_path_buf(),
                second: article.to_path_buf(),
            });
        }
    }
    for d in documents {
        for alias in d.query_aliases() {
            if let Err(Holder::Page(other) | Holder::Alias(other)) =
                table.query(alias.as_str(), d.source())
            {
                return Err(ContentError::AliasTaken {
                    alias: alias.trim_start_matches('/').to_string(),
                    article: d.source().to_path_buf(),
                    taken: format!("an alias of {} too", other.display()),
                });
            }
        }
    }
    for d in documents {
        for alias in d.aliases() {
            if let Err(holder) = table.alias(alias.as_str(), d.source()) {
                return Err(ContentError::AliasTaken {
                    alias: alias.trim_end_matches("index.html").to_string(),
                    article: d.source().to_path_buf(),
                    taken: match holder {
                        Holder::Page(page) => format!("the page of {}", page.display()),
                        Holder::Alias(other) => format!("an alias of {} too", other.display()),
                        Holder::Own => "a page of the site's own".to_string(),
                    },
                });
            }
        }
    }
    Ok(())
}

/// Why a written alias or `path` is no address of this site: what was written (quoted
/// first, as the place) and what is wrong with it, as data.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum UrlError {
    #[error("alias {written:?} {fault}")]
    Alias { written: String, fault: AliasFault },
    #[error("path {written:?} {fault}")]
    Path { written: String, fault: PathFault },
}

/// What is wrong with an alias (the message after its quoted text).
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum AliasFault {
    #[error("is a `{scheme}:` URL: an alias is a path of this site, starting with `/`")]
    Scheme { scheme: String },
    #[error(
        "names another host (`//…`): an alias is a path of this site, starting with a single `/`"
    )]
    OtherHost,
    /// `suggestion` is the alias written from the root, without its leading dots and slashes.
    #[error(
        "does not start with `/`: an alias is a path of this site from its root, such as \"/{suggestion}\""
    )]
    NotFromRoot { suggestion: String },
    #[error("is the home page")]
    HomePage,
    #[error("has a fragment (`#…`), which browsers never send to the server")]
    Fragment,
    #[error("has a control character")]
    Control,
    #[error("has a backslash: the segments of a path are separated by `/`")]
    Backslash,
    #[error("has a space: an alias is one path, without spaces")]
    Space,
    #[error("has an empty segment (`//`)")]
    EmptySegment,
    #[error("has a `.` or `..` segment")]
    DotSegment,
    #[error("has a segment too long for a file name")]
    LongSegment,
    #[error("has no query")]
    NoQuery,
    #[error("must have a query of `key=value` pairs, without spaces or a fragment")]
    BadQuery,
}

/// What is wrong with an article's `path` (the message after its quoted text).
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum PathFault {
    #[error("is the home page")]
    HomePage,
    #[error("must be segments of letters, digits and - _ . ~")]
    BadSegment,
    #[error("has a segment too long for a file name")]
    LongSegment,
    #[error("is below a page of the site's own")]
    BelowOwnPage,
    #[error("is a file of the site's own")]
    OwnFile,
}

/// `written` as a path of this site (trimmed), or why it is not one: an alias names an
/// address of this site, never another site's (`https://…`, `//host/…`) nor a script
/// (`javascript:…`), and is written from the root.
fn site_path(written: &str) -> Result<&str, UrlError> {
    let text = written.trim();
    let refuse = |fault| UrlError::Alias {
        written: written.to_string(),
        fault,
    };
    let scheme = text.split_once(':').map(|(scheme, _)| scheme).filter(|s| {
        s.starts_with(|c: char| c.is_ascii_alphabetic())
            && s.chars()
                .all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c))
    });
    if let Some(scheme) = scheme {
        return Err(refuse(AliasFault::Scheme {
            scheme: scheme.to_string(),
        }));
    }
    if text.starts_with("//") {
        return Err(refuse(AliasFault::OtherHost));
    }
    if !text.starts_with('/') {
        return Err(refuse(AliasFault::NotFromRoot {
            suggestion: text.trim_start_matches(['.', '/']).to_string(),
        }));
    }
    Ok(text)
}

/// The output file an alias (an old URL) is written to: `old/index.html` for `/old/` or
/// `/old`, `2014/11/24/old.html` for a file name; refused, saying why, where it could not
/// be a file of the site.
pub(crate) fn alias_path(written: &str) -> Result<String, UrlError> {
    let path = site_path(written)?.trim_start_matches('/');
    let refuse = |fault| {
        Err(UrlError::Alias {
            written: written.to_string(),
            fault,
        })
    };
    if path.is_empty() {
        return refuse(AliasFault::HomePage);
    }
    if path.contains('#') {
        return refuse(AliasFault::Fragment);
    }
    if path.chars().any(char::is_control) {
        return refuse(AliasFault::Control);
    }
    if path.contains('\\') {
        return refuse(AliasFault::Backslash);
    }
    if path.chars().any(char::is_whitespace) {
        return refuse(AliasFault::Space);
    }
    let segments: Vec<&str> = path.trim_end_matches('/').split('/').collect();
    if segments.iter().any(|s| s.is_empty()) {
        return refuse(AliasFault::EmptySegment);
    }
    if segments.iter().any(|s| *s == "." || *s == "..") {
        return refuse(AliasFault::DotSegment);
    }
    if segments.iter().any(|s| s.len() > slug::MAX_WRITTEN) {
        return refuse(AliasFault::LongSegment);
    }
    let last = segments.last().expect("not empty");
    let is_file = !path.ends_with('/') && last.contains('.');
    Ok(if is_file {
        path.to_string()
    } else {
        format!("{}/index.html", path.trim_end_matches('/'))
    })
}

/// An alias with a query (`/?p=123`, `/index.php?page_id=7`), normalized: the path checked
/// as an alias's is (the home page allowed), the query as written.
pub(crate) fn query_alias(written: &str) -> Result<String, UrlError> {
    let trimmed = site_path(written)?;
    let refuse = |fault| {
        Err(UrlError::Alias {
            written: written.to_string(),
            fault,
        })
    };
    let Some((path, query)) = trimmed.split_once('?') else {
        return refuse(AliasFault::NoQuery);
    };
    if query.is_empty()
        || query.contains(['#', '?'])
        || query.chars().any(|c| c.is_whitespace() || c.is_control())
    {
        return refuse(AliasFault::BadQuery);
    }
    let path = path.trim_start_matches('/');
    if !path.is_empty() {
        alias_path(&format!("/{path}"))?;
    }
    Ok(format!("/{path}?{query}"))
}

/// The permalink an article's `path` asks for: `/`-separated segments of letters, digits
/// and `-_.~`, never `.` or `..`, not the home page nor a page of the site's own.
pub(crate) fn path_permalink(written: &str) -> Result<Permalink, UrlError> {
    let inner = written.trim().trim_matches('/');
    let refuse = |fault| {
        Err(UrlError::Path {
            written: written.to_string(),
            fault,
        })
    };
    if inner.is_empty() {
        return refuse(PathFault::HomePage);
    }
    let segments: Vec<&str> = inner.split('/').collect();
    for segment in &segments {
        let safe = segment
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_.~".contains(c));
        if segment.is_empty() || *segment == "." || *segment == ".." || !safe {
            return refuse(PathFault::BadSegment);
        }
        if segment.len() > slug::MAX_WRITTEN {
            return refuse(PathFault::LongSegment);
        }
    }
    if RESERVED_SLUGS.contains(&segments[0]) {
        return refuse(PathFault::BelowOwnPage);
    }
    if is_root_file(segments[0]) {
        return refuse(PathFault::OwnFile);
    }
    Ok(Permalink::from_segments(segments))
}

/// What the site's `permalink` pattern is filled with for one article.
#[derive(Debug, Clone, Copy)]
pub(crate) struct PatternValues<'a> {
    pub slug: &'a str,
    pub date: &'a DateTime<FixedOffset>,
    /// Its section's slug.
    pub section: Option<&'a str>,
    /// Its first author's slug.
    pub author: Option<&'a str>,
}

/// Where the site's `permalink` pattern puts an article.
pub(crate) fn pattern_permalink(
    pattern: &crate::config::PermalinkPattern,
    values: PatternValues,
) -> Permalink {
    use crate::config::Segment;
    let segments: Vec<String> = pattern
        .segments()
        .iter()
        .filter_map(|segment| match segment {
            Segment::Literal(text) => Some(text.clone()),
            Segment::Year => Some(values.date.format("%Y").to_string()),
            Segment::Month => Some(values.date.format("%m").to_string()),
            Segment::Day => Some(values.date.format("%d").to_string()),
            Segment::Slug => Some(values.slug.to_string()),
            Segment::Section => values.section.map(str::to_string),
            Segment::Author => values.author.map(str::to_string),
        })
        .collect();
    Permalink::from_segments(segments.iter().map(String::as_str))
}

/// An article's URL in a site with this pattern: its own `path`, else where the pattern
/// puts it.
pub(crate) fn permalink_in(pattern: &crate::config::PermalinkPattern, a: &Article) -> Permalink {
    match &a.path {
        Some(own) => own.clone(),
        None => pattern_permalink(
            pattern,
            PatternValues {
                slug: &a.slug,
                date: &a.date,
                section: a.section.as_ref().map(|l| l.slug.as_str()),
                author: a.authors.first().map(|l| l.slug.as_str()),
            },
        ),
    }
}

/// Whether an output file (an alias's) is one the site makes itself, or below a folder of
/// its own pages (`tags/…`), or below a name its root files have (`sitemap.xml/…` would
/// need a folder where the file is).
pub(crate) fn is_own_file(file: &str) -> bool {
    let first = file.split('/').next().unwrap_or("");
    RESERVED_SLUGS.contains(&first) || is_root_file(file) || is_root_file(first)
}

/// Every old URL of a list takes an output file nothing else has: no page of an article
/// or a section (a further page included), no feed of a section, no alias of an article,
/// no page or feed of the site's own, no other old URL.
pub(super) fn check_list_aliases(
    articles: &[Article],
    pages: &[Page],
    sections: &[Section],
    authors: &[Author],
    tags: &[Tag],
    (home, home_pages): (&ListAliases, usize),
    per_page: usize,
) -> Result<(), ContentError> {
    // Counts of articles, from which each list's number of pages follows; the home
    // page's is its number of pages already (its river, see `super::front`).
    let lists: Vec<(&ListAliases, usize)> = std::iter::once((home, home_pages * per_page))
        .chain(
            sections
                .iter()
                .filter_map(|s| Some((s.aliases()?, s.articles.len()))),
        )
        .chain(authors.iter().map(|a| (&a.aliases, a.articles.len())))
        .chain(tags.iter().map(|t| (&t.aliases, t.articles.len())))
        .filter(|(aliases, _)| !aliases.is_empty())
        .collect();
    if lists.is_empty() {
        return Ok(());
    }
    let file = |p: &Permalink| p.output_file().to_string_lossy().replace('\\', "/");
    let mut taken: HashMap<String, String> = HashMap::new();
    for a in articles {
        let source = a.source.display();
        taken.insert(file(&a.permalink), format!("the page of {source}"));
        for alias in &a.aliases {
            taken.insert(alias.clone(), format!("an alias of {source}"));
        }
    }
    for p in pages {
        let source = p.source.display();
        taken.insert(file(&p.permalink), format!("the page of {source}"));
        for alias in &p.aliases {
            taken.insert(alias.clone(), format!("an alias of {source}"));
        }
    }
    for (page, s) in section_pages(sections, per_page) {
        taken.insert(file(&page), format!("the page of {}", s.source().display()));
    }
    for s in sections {
        for feed in [FeedKind::Rss, FeedKind::Atom] {
            let path = format!("{}{}", s.permalink.path(), feed.file());
            taken.insert(path, format!("a feed of {}", s.source().display()));
        }
    }
    for (aliases, articles) in lists {
        let pages = articles.div_ceil(per_page).max(1);
        for alias in aliases.files(pages) {
            let refuse = |taken: String| ContentError::AliasTaken {
                alias: alias.trim_end_matches("index.html").to_string(),
                article: aliases.source.clone(),
                taken,
            };
            if is_own_list_file(&alias) {
                return Err(refuse("a page of the site's own".into()));
            }
            let mine = format!("an old URL of {} too", aliases.source.display());
            if let Some(other) = taken.insert(alias.clone(), mine) {
                return Err(refuse(other));
            }
        }
    }
    Ok(())
}

/// Whether an output file is one the site makes, or may make as articles come and go: a
/// file of its own at the root, a page or feed of its tags and authors
/// (`tags/<slug>/rss.xml`, a slug as Gazette makes them; their further pages from 2), a
/// further page of its home page,
/// anything in its other own folders (`search/`). Old URLs of lists may take the rest of
/// `tags/` and `authors/` (Hugo's tag feeds are `tags/<term>/index.xml`, and its terms
/// keep letters Gazette's slugs do not: `tags/c++/`).
pub fn is_own_list_file(file: &str) -> bool {
    if is_root_file(file) || is_root_file(file.split('/').next().unwrap_or("")) {
        return true;
    }
    // A list's first page is its own URL: Gazette never writes `…/page/1/`, so an old
    // site's redirect there (Hugo's, Zola's) may be an alias of the list.
    let number = |n: &str| n.parse::<usize>().is_ok_and(|n| n >= 2);
    let segments: Vec<&str> = file.split('/').collect();
    match segments.as_slice() {
        ["tags" | "authors", "index.html"] => true,
        [
            "tags" | "authors",
            slug,
            "index.html" | "atom.xml" | "rss.xml",
        ] => is_slug(slug),
        ["tags" | "authors", slug, "page", n, "index.html"] => is_slug(slug) && number(n),
        ["page", n, "index.html"] => number(n),
        ["tags" | "authors" | "page", ..] => false,
        [first, ..] => RESERVED_SLUGS.contains(first),
        [] => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_alias_refusal_names_its_reason() {
        for (written, message) in [
            (
                "javascript:alert(1)",
                "alias \"javascript:alert(1)\" is a `javascript:` URL: an alias is a path of this site, starting with `/`",
            ),
            (
                "https://old.example/x",
                "alias \"https://old.example/x\" is a `https:` URL: an alias is a path of this site, starting with `/`",
            ),
            (
                "//evil.example/x",
                "alias \"//evil.example/x\" names another host (`//…`): an alias is a path of this site, starting with a single `/`",
            ),
            (
                "old/",
                "alias \"old/\" does not start with `/`: an alias is a path of this site from its root, such as \"/old/\"",
            ),
            (
                "/old page/",
                "alias \"/old page/\" has a space: an alias is one path, without spaces",
            ),
            ("/a//b/", "alias \"/a//b/\" has an empty segment (`//`)"),
            ("/a/../b/", "alias \"/a/../b/\" has a `.` or `..` segment"),
            (
                "/a\\b",
                "alias \"/a\\\\b\" has a backslash: the segments of a path are separated by `/`",
            ),
            ("/", "alias \"/\" is the home page"),
        ] {
            assert_eq!(
                alias_path(written).map_err(|e| e.to_string()),
                Err(message.to_string()),
                "{written}"
            );
        }
        assert_eq!(
            query_alias("?p=12").map_err(|e| e.to_string()),
            Err("alias \"?p=12\" does not start with `/`: an alias is a path of this site from its root, such as \"/?p=12\"".into())
        );
        assert_eq!(alias_path(" /2014/old.html "), Ok("2014/old.html".into()));
        assert_eq!(alias_path("/old"), Ok("old/index.html".into()));
        assert_eq!(query_alias("/?p=12"), Ok("/?p=12".into()));
    }

    /// The full text of each refusal the existing cases above leave out.
    #[test]
    fn url_errors_print_what_was_written_then_the_fault() {
        let long = format!("/{}/", "a".repeat(slug::MAX_WRITTEN + 1));
        let printed = |r: Result<String, UrlError>| r.unwrap_err().to_string();
        assert_eq!(
            printed(alias_path("/a#b")),
            "alias \"/a#b\" has a fragment (`#…`), which browsers never send to the server"
        );
        assert_eq!(
            printed(alias_path("/a\u{7}")),
            "alias \"/a\\u{7}\" has a control character"
        );
        assert_eq!(
            printed(alias_path(&long)),
            format!("alias {long:?} has a segment too long for a file name")
        );
        assert_eq!(printed(query_alias("/a/")), "alias \"/a/\" has no query");
        assert_eq!(
            printed(query_alias("/?a b")),
            "alias \"/?a b\" must have a query of `key=value` pairs, without spaces or a fragment"
        );
        let path = |written: &str| path_permalink(written).unwrap_err().to_string();
        assert_eq!(path("/"), "path \"/\" is the home page");
        assert_eq!(
            path("/a b/"),
            "path \"/a b/\" must be segments of letters, digits and - _ . ~"
        );
        assert_eq!(
            path(&long),
            format!("path {long:?} has a segment too long for a file name")
        );
        assert_eq!(
            path("/tags/x/"),
            "path \"/tags/x/\" is below a page of the site's own"
        );
        assert_eq!(
            path("/atom.xml"),
            "path \"/atom.xml\" is a file of the site's own"
        );
    }

    #[test]
    fn a_page_and_an_alias_of_one_file_are_one_address() {
        let mut table: UrlTable<&str> = UrlTable::with_capacity(4);
        assert_eq!(table.page("x/", "a"), Ok(()));
        assert_eq!(table.alias("x/index.html", "b"), Err(Holder::Page("a")));
        assert_eq!(table.alias("x.html", "b"), Ok(()));
        assert_eq!(table.alias("x.html", "c"), Err(Holder::Alias("b")));
        assert_eq!(table.alias("tags/index.html", "c"), Err(Holder::Own));
        assert_eq!(table.alias("atom.xml", "c"), Err(Holder::Own));
        assert_eq!(table.alias("ab/xindex.html", "c"), Ok(()));
        assert_eq!(table.page("y/", "c"), Ok(()));
        assert_eq!(table.page(String::from("y/"), "d"), Err(Holder::Page("c")));
        assert_eq!(table.query("/?p=1", "a"), Ok(()));
        assert_eq!(table.query("/?p=1", "b"), Err(Holder::Alias("a")));
        // A query alias is not a file: its path may be a page's.
        assert_eq!(table.query("/x/?p=1", "b"), Ok(()));
    }
}
