//! The one place that says which URLs the site owns: the rules for slugs ([`slug`]), the
//! first path segments the site's own pages take ([`RESERVED_SLUGS`]), and the files it
//! makes at its root (feeds, sitemaps, the query-alias map, 404 page…: [`ROOT_FILES`]).
//!
//! A leaf: config (which checks a permalink pattern), content (which refuses an article or
//! alias that would take one of these), render and search (which make them), and the
//! importers all name them from here, so the site's own URLs are spelt once.

pub mod slug;

/// The site's main page at its root (and every page's file in its folder).
pub const INDEX: &str = "index.html";
/// The page a server shows for a URL the site does not have.
pub const NOT_FOUND: &str = "404.html";
/// The site's Atom feed (each list's feed has this name in its folder).
pub const ATOM_FEED: &str = "atom.xml";
/// The site's RSS feed (each list's feed has this name in its folder).
pub const RSS_FEED: &str = "rss.xml";
/// The site's JSON feed.
pub const JSON_FEED: &str = "feed.json";
/// The sitemap (the index of its parts once a site passes 50,000 URLs).
pub const SITEMAP: &str = "sitemap.xml";
/// The Google News sitemap.
pub const NEWS_SITEMAP: &str = "news-sitemap.xml";
/// Crawlers' instructions.
pub const ROBOTS: &str = "robots.txt";
/// Redirects for hosts that read them (Netlify, Cloudflare Pages).
pub const REDIRECTS: &str = "_redirects";
/// The map from aliases with a query to their pages, read by a script in the theme.
pub const QUERY_MAP: &str = "query-aliases.json";
/// The folder of the output the search files are in (and the search page's URL).
pub const SEARCH_DIR: &str = "search";

/// First path segments the site itself uses; an article may not take them.
pub const RESERVED_SLUGS: &[&str] = &["authors", "tags", "page", "static", "404", SEARCH_DIR];

/// Whether the site uses `slug` for pages of its own (`/authors/`, `/tags/`, `/page/2/`…),
/// so no article may have it.
pub fn is_reserved_slug(slug: &str) -> bool {
    RESERVED_SLUGS.contains(&slug)
}

/// Files of the site's own at its root, which no alias may take.
pub const ROOT_FILES: &[&str] = &[
    INDEX,
    NOT_FOUND,
    ATOM_FEED,
    RSS_FEED,
    JSON_FEED,
    SITEMAP,
    NEWS_SITEMAP,
    ROBOTS,
    REDIRECTS,
    QUERY_MAP,
];

/// Whether `name` is a file the site makes at its root: one of [`ROOT_FILES`], or a part of
/// the sitemap (`sitemap-1.xml`, `sitemap-2.xml`…: made once a site passes 50,000 URLs, so
/// they are the site's before it has them).
pub fn is_root_file(name: &str) -> bool {
    let part = name
        .strip_prefix("sitemap-")
        .and_then(|rest| rest.strip_suffix(".xml"))
        .is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()));
    part || ROOT_FILES.contains(&name)
}
