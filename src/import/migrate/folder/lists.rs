//! Hugo's, Zola's and Jekyll's lists and feeds, as each platform places them, for the
//! pages that were public (not drafts, not dated later):
//! - Hugo: the home page's RSS feed (`/index.xml`), each section's list and feed
//!   (`/posts/`, `/posts/index.xml`), each term of the `tags` and `categories` taxonomies
//!   (or those `taxonomies` names; `authors` too) with its feed (`/tags/rust/index.xml`),
//!   unless `disableKinds` or `outputs` leave the feeds out; each taxonomy's list of terms
//!   (`/categories/`) and its feed; where the templates page lists, each list's
//!   `…/page/1/`, a redirect to the list.
//! - Zola: with `generate_feeds` (`generate_feed` before 0.19) the site's feeds
//!   (`feed_filenames`, by default `/atom.xml`), each section's list (and feeds when its
//!   `_index.md` generates them), each term of the configured `taxonomies` (and their
//!   feeds with `feed = true`), each taxonomy's list of terms; `…/page/1/` of each list
//!   with `paginate_by`.
//! - Jekyll: jekyll-feed's `/feed.xml` (Atom; `feed.path`), a feed the site makes itself
//!   at its root (`feed.xml`, `atom.xml`, `rss.xml` with front matter), jekyll-archives'
//!   category and tag pages, and jekyll-paginate's pages (`paginate_path`).
//!
//! Each leads to the Gazette list that took it in: a section to the section, a tag or a
//! category to the tag, an author to the author's page, jekyll-paginate's pages (all the
//! posts) to the home page. A list of terms has no list of Gazette's to be an old URL of:
//! it becomes a redirect page (in `static/`) to Gazette's page of that list (`/tags/`,
//! `/authors/`), its feed a copy of the home page's.
//!
//! Invariant: a redirect page is written only at a URL Gazette never makes a page of
//! its own at (`content::is_own_list_file`), linking by a relative URL, which holds under
//! whatever path the site is published at.

use std::collections::BTreeSet;

use chrono::Utc;
use serde_json::Value;

use super::super::{ListRef, OldList, Redirect, values};
use super::files::files_below;
use super::{Kind, OldSite, Read};
use crate::import::migrate::Platform;
use crate::urls::slug::slugify;

/// The old site's lists and feeds, for its `pages`, and the redirect pages that keep the
/// old URLs no Gazette list can be given.
pub(super) fn of(site: &OldSite, pages: &[Read]) -> (Vec<OldList>, Vec<Redirect>) {
    let now = Utc::now();
    let public: Vec<&Read> = pages
        .iter()
        .filter(|r| matches!(r.source.kind, Kind::Post | Kind::Page))
        .filter(|r| {
            let draft = r.fm.get("draft").and_then(Value::as_bool).unwrap_or(false)
                || r.fm.get("published").and_then(Value::as_bool) == Some(false);
            !draft && r.date.is_none_or(|d| d <= now)
        })
        .collect();
    let shown = site.shown(&site.root);
    let mut lists = Lists {
        shown: &shown,
        lists: Vec::new(),
        redirects: Vec::new(),
    };
    match site.platform {
        Platform::Hugo => hugo(site, pages, &public, &mut lists),
        Platform::Zola => zola(site, pages, &public, &mut lists),
        _ => jekyll(site, &public, &mut lists),
    }
    (lists.lists, lists.redirects)
}

/// The lists found so far, and how the old site is named in their origins.
struct Lists<'a> {
    shown: &'a str,
    lists: Vec<OldList>,
    redirects: Vec<Redirect>,
}

impl Lists<'_> {
    /// Adds a list at `page` (if it has one) with its feeds.
    fn add(
        &mut self,
        what: &str,
        list: ListRef,
        title: &str,
        page: Option<String>,
    ) -> &mut OldList {
        self.lists.push(OldList {
            origin: format!("{} ({what})", self.shown),
            list,
            title: title.to_string(),
            pages: page.into_iter().collect(),
            rss: Vec::new(),
            atom: Vec::new(),
        });
        self.lists.last_mut().expect("just pushed")
    }

    /// A redirect page at the old URL `from` (a folder's) to `to` (a site-root path),
    /// unless Gazette has a page of its own there (or may have, as the site grows).
    fn redirect(&mut self, what: &str, from: String, to: &str) {
        let own = crate::content::alias_path(&from)
            .map_or(true, |file| crate::content::is_own_list_file(&file));
        if from == to || own {
            return;
        }
        self.redirects.push(Redirect {
            origin: format!("{} ({what})", self.shown),
            to: relative(&from, to),
            from,
        });
    }

    /// The old page listing every term of the taxonomy `name` (`/categories/`), with its
    /// feed if it had one: a redirect to Gazette's page of that list (`/tags/`) and a
    /// copy of the home page's feed (the nearest Gazette has to a feed of new terms).
    /// A taxonomy Gazette has no list for (`series`) has none.
    fn terms(&mut self, name: &str, page: String, feed: Option<String>) {
        let Some(to) = terms_page(name) else {
            return;
        };
        self.redirect(&format!("the list of all {name}"), page, to);
        if let Some(feed) = feed {
            let what = format!("the feed of the list of all {name}");
            self.add(&what, ListRef::Home, "", None).rss.push(feed);
        }
    }
}

/// `to`, a site-root path, as a link from the folder URL `from`: relative, so that it
/// leads there under any path the site is published at (`/page2/` → `../`).
fn relative(from: &str, to: &str) -> String {
    let depth = from.split('/').filter(|s| !s.is_empty()).count();
    format!("{}{}", "../".repeat(depth), to.trim_start_matches('/'))
}

/// The URL at which Hugo and Zola redirect a paged list's first page to the list.
fn first_page(list: &str) -> String {
    format!("{list}page/1/")
}

/// Gazette's page listing every term of a taxonomy whose terms it imports: the tags page
/// for tags and categories, the authors page for authors.
fn terms_page(name: &str) -> Option<&'static str> {
    match taxonomy_list(name, "x")? {
        ListRef::Tag(_) => Some("/tags/"),
        ListRef::Author(_) => Some("/authors/"),
        _ => None,
    }
}

/// What a taxonomy's terms become in Gazette: tags (tags, categories) or authors.
fn taxonomy_list(name: &str, term: &str) -> Option<ListRef> {
    let slug = slugify(term);
    if slug.is_empty() {
        return None;
    }
    match name {
        "tags" | "tag" | "categories" | "category" => Some(ListRef::Tag(slug)),
        "authors" | "author" => Some(ListRef::Author(slug)),
        _ => None,
    }
}

/// The Gazette section a page is in: its folder's first segment, unless Gazette keeps
/// that folder for itself (then the page was not imported there) or it is `pages/`,
/// whose files are pages, in no list.
fn section_of(read: &Read) -> Option<&str> {
    let first = read.folder.split('/').next().filter(|s| !s.is_empty())?;
    let listed = !crate::urls::is_reserved_slug(first) && first != crate::content::page::PAGES_DIR;
    listed.then_some(first)
}

fn hugo(site: &OldSite, pages: &[Read], public: &[&Read], lists: &mut Lists) {
    let lower = |s: String| s.to_lowercase();
    let disabled: Vec<String> = values::list(site.config.get("disableKinds"), false)
        .into_iter()
        .map(lower)
        .collect();
    // Home pages, sections and terms have an RSS feed unless the config says otherwise.
    let rss = |kinds: &[&str]| {
        let outputs = site.config.get("outputs");
        let listed = kinds
            .iter()
            .find_map(|k| outputs.and_then(|o| o.get(*k)))
            .map(|v| values::list(Some(v), false));
        !disabled.iter().any(|k| k == "rss")
            && listed.is_none_or(|formats| formats.iter().any(|f| f.eq_ignore_ascii_case("rss")))
    };
    if rss(&["home"]) {
        let home = lists.add("the home page's feed", ListRef::Home, "", None);
        home.rss.push("/index.xml".into());
    }
    let paged = hugo_pages_lists(site);
    if paged {
        let home = lists.add("the home page", ListRef::Home, "", None);
        home.pages.push(first_page("/"));
    }
    let mut seen = BTreeSet::new();
    for read in public {
        let (Some(dir), Some(section)) = (read.source.dirs.first(), section_of(read)) else {
            continue;
        };
        if seen.insert(("section".to_string(), section.to_string())) {
            let page = format!("/{}/", hugo_path(dir));
            let list = ListRef::Section(section.to_string());
            let added = lists.add(&format!("section {dir}"), list, dir, Some(page.clone()));
            added.pages.extend(paged.then(|| first_page(&page)));
            if rss(&["section"]) {
                added.rss.push(format!("{page}index.xml"));
            }
        }
    }
    let feeds = rss(&["section"]);
    let sections = Nested {
        segment: hugo_path,
        paged: &|_| paged,
        feeds: &|_, page| feeds.then(|| (vec![format!("{page}index.xml")], Vec::new())),
    };
    nested_sections(pages, &seen, lists, &sections);
    let taxonomies: Vec<(String, String)> = match site.config.get("taxonomies") {
        Some(Value::Object(map)) => map
            .iter()
            .filter_map(|(singular, plural)| Some((singular.clone(), values::text(Some(plural))?)))
            .collect(),
        _ => vec![
            ("tag".into(), "tags".into()),
            ("category".into(), "categories".into()),
        ],
    };
    for read in public {
        for (_, plural) in &taxonomies {
            for term in values::list(read.fm.get(plural.as_str()), false) {
                let Some(list) = taxonomy_list(plural, &term) else {
                    continue;
                };
                if !seen.insert((plural.clone(), term.clone())) {
                    continue;
                }
                let page = format!("/{}/{}/", hugo_path(plural), hugo_path(&term));
                let added = lists.add(&format!("{plural} {term}"), list, &term, Some(page.clone()));
                added.pages.extend(paged.then(|| first_page(&page)));
                if rss(&["term", "taxonomy"]) {
                    added.rss.push(format!("{page}index.xml"));
                }
            }
        }
    }
    // Each taxonomy with a term Gazette took in had its list of terms, and its feed.
    let feed = rss(&["taxonomy", "taxonomyterm"]);
    for (_, plural) in &taxonomies {
        if seen.iter().any(|(taxonomy, _)| taxonomy == plural) {
            let page = format!("/{}/", hugo_path(plural));
            let index = feed.then(|| format!("{page}index.xml"));
            lists.terms(plural, page, index);
        }
    }
}

/// Whether Hugo wrote `…/page/1/` beside the site's lists: it does for every list its
/// template pages (`.Paginate`, `.Paginator`). Which template renders which list is
/// Hugo's lookup order, so any template of the site's or its theme's that pages counts
/// for every list (a redirect too many leads to the list all the same); a theme that is
/// not in the folder (a Hugo module) is taken to page, as most themes do. Not with a
/// `pagination.path` (`paginatePath`) other than `page`: Gazette's further pages are at
/// `page/N/`.
fn hugo_pages_lists(site: &OldSite) -> bool {
    let config = &site.config;
    let path = values::text(config.get("pagination").and_then(|p| p.get("path")))
        .or_else(|| values::text(config.get("paginatepath")));
    if path.is_some_and(|p| p.trim_matches('/') != "page") {
        return false;
    }
    let themes_dir = values::text(config.get("themesdir")).unwrap_or_else(|| "themes".into());
    let themes = values::list(config.get("theme"), false);
    let mut folders = vec![site.root.join("layouts")];
    for theme in &themes {
        let folder = site.root.join(&themes_dir).join(theme).join("layouts");
        if !folder.is_dir() {
            return true;
        }
        folders.push(folder);
    }
    let mut skipped = Vec::new();
    folders.iter().any(|folder| {
        files_below(folder, &site.bounds, &mut skipped)
            .unwrap_or_default()
            .iter()
            .filter_map(|file| std::fs::read_to_string(file).ok())
            .any(|text| text.contains(".Paginat"))
    })
}

/// How a platform places a section below a section: `segment` writes a folder's name as
/// the platform puts it in a URL; `paged` says whether its index was paged (so has a
/// `…/page/1/`); `feeds` gives the index's RSS and Atom feed URLs, if it has feeds.
struct Nested<'a> {
    segment: fn(&str) -> String,
    paged: &'a dyn Fn(&Read) -> bool,
    feeds: &'a dyn Fn(&Read, &str) -> Option<Feeds>,
}

/// A list's feed URLs: (RSS, Atom).
type Feeds = (Vec<String>, Vec<String>);

/// The sections below a section (a folder with an `_index.md` of its own below one,
/// `events/archive/`): Hugo and Zola give each a list page (and feeds), which Gazette,
/// listing top-level folders only, does not make. Their old URLs lead to the list of the
/// top-level section they are part of, when Gazette has that list (`seen`: a section
/// with a public article).
fn nested_sections(
    pages: &[Read],
    seen: &BTreeSet<(String, String)>,
    lists: &mut Lists,
    nested: &Nested,
) {
    for index in pages {
        let dirs = &index.source.dirs;
        let draft = index.fm.get("draft").and_then(Value::as_bool) == Some(true);
        if index.source.kind != Kind::SectionIndex || dirs.len() < 2 || draft {
            continue;
        }
        let section = slugify(&dirs[0]);
        if !seen.contains(&("section".to_string(), section.clone())) {
            continue;
        }
        let page = format!(
            "/{}/",
            dirs.iter()
                .map(|d| (nested.segment)(d))
                .collect::<Vec<_>>()
                .join("/")
        );
        let title = values::text(index.fm.get("title")).unwrap_or_else(|| dirs.join("/"));
        let what = format!("section {}", dirs.join("/"));
        let (rss, atom) = (nested.feeds)(index, &page).unwrap_or_default();
        let first = (nested.paged)(index).then(|| first_page(&page));
        let added = lists.add(&what, ListRef::Section(section), &title, Some(page));
        added.pages.extend(first);
        added.rss = rss;
        added.atom = atom;
    }
}

/// A section's or a term's name as Hugo puts it in a URL: lowercase, spaces as `-`,
/// letters (any script), digits and `._-+~#%` kept, the rest dropped (`C++` → `c++`,
/// `Ünïcode Tag` → `ünïcode-tag`).
fn hugo_path(name: &str) -> String {
    let mut path = String::new();
    for c in name.trim().chars() {
        if c.is_alphanumeric() || "._-+~#%".contains(c) {
            path.extend(c.to_lowercase());
        } else if c.is_whitespace() && !path.ends_with('-') {
            path.push('-');
        }
    }
    path
}

/// Zola's feed file names (`feed_filenames`, or `feed_filename` before 0.19), when the
/// site generates feeds.
fn zola_feeds(config: &Value) -> Vec<String> {
    let names = values::list(config.get("feed_filenames"), false);
    if !names.is_empty() {
        return names;
    }
    vec![values::text(config.get("feed_filename")).unwrap_or_else(|| "atom.xml".into())]
}

fn generates_feeds(value: &Value) -> bool {
    ["generate_feeds", "generate_feed"]
        .iter()
        .any(|k| value.get(*k).and_then(Value::as_bool) == Some(true))
}

/// Adds a copy of each of Zola's feeds below `at` (`/`, `/blog/`).
fn add_zola_feeds(list: &mut OldList, at: &str, names: &[String]) {
    let (rss, atom) = zola_feed_urls(at, names);
    list.rss.extend(rss);
    list.atom.extend(atom);
}

/// Zola's feeds below `at`: (RSS, Atom), by their names.
fn zola_feed_urls(at: &str, names: &[String]) -> (Vec<String>, Vec<String>) {
    names
        .iter()
        .map(|name| format!("{at}{name}"))
        .partition(|url| url.ends_with("rss.xml"))
}

/// Whether Zola paged a section (its `_index.md`) or a taxonomy (its entry in
/// `taxonomies`): `paginate_by` set, at Gazette's `page/N/` (`paginate_path`, by default
/// `page`).
fn zola_paged(settings: &Value) -> bool {
    let by = settings.get("paginate_by").and_then(Value::as_u64);
    let path = values::text(settings.get("paginate_path"));
    by.is_some_and(|n| n > 0) && path.is_none_or(|p| p.trim_matches('/') == "page")
}

fn zola(site: &OldSite, pages: &[Read], public: &[&Read], lists: &mut Lists) {
    let names = zola_feeds(&site.config);
    if generates_feeds(&site.config) {
        let home = lists.add("the site's feeds", ListRef::Home, "", None);
        add_zola_feeds(home, "/", &names);
    }
    let index_of = |dirs: &[String]| {
        pages.iter().find(|r| {
            r.source.kind == Kind::SectionIndex
                && r.source
                    .dirs
                    .iter()
                    .map(|d| slugify(d))
                    .eq(dirs.iter().cloned())
        })
    };
    if index_of(&[]).is_some_and(|home| zola_paged(&home.fm)) {
        let home = lists.add("the home page", ListRef::Home, "", None);
        home.pages.push(first_page("/"));
    }
    let mut seen = BTreeSet::new();
    for read in public {
        let Some(section) = section_of(read) else {
            continue;
        };
        if !seen.insert(("section".to_string(), section.to_string())) {
            continue;
        }
        let page = format!("/{section}/");
        let index = index_of(&[section.to_string()]);
        let list = ListRef::Section(section.to_string());
        let added = lists.add(
            &format!("section {section}"),
            list,
            section,
            Some(page.clone()),
        );
        if index.is_some_and(|i| zola_paged(&i.fm)) {
            added.pages.push(first_page(&page));
        }
        if index.is_some_and(|i| generates_feeds(&i.fm)) {
            add_zola_feeds(added, &page, &names);
        }
    }
    let sections = Nested {
        segment: slugify,
        paged: &|index| zola_paged(&index.fm),
        feeds: &|index, page| generates_feeds(&index.fm).then(|| zola_feed_urls(page, &names)),
    };
    nested_sections(pages, &seen, lists, &sections);
    let taxonomies = match site.config.get("taxonomies") {
        Some(Value::Array(items)) => items.clone(),
        _ => Vec::new(),
    };
    for taxonomy in &taxonomies {
        let Some(name) = values::text(taxonomy.get("name")) else {
            continue;
        };
        if taxonomy.get("render").and_then(Value::as_bool) == Some(false) {
            continue;
        }
        let feeds = taxonomy.get("feed").and_then(Value::as_bool) == Some(true);
        let paged = zola_paged(taxonomy);
        for read in public {
            let terms = read.fm.get("taxonomies").and_then(|t| t.get(name.as_str()));
            for term in values::list(terms, false) {
                let Some(list) = taxonomy_list(&name, &term) else {
                    continue;
                };
                if !seen.insert((name.clone(), term.clone())) {
                    continue;
                }
                let page = format!("/{}/{}/", slugify(&name), slugify(&term));
                let added = lists.add(&format!("{name} {term}"), list, &term, Some(page.clone()));
                added.pages.extend(paged.then(|| first_page(&page)));
                if feeds {
                    add_zola_feeds(added, &page, &names);
                }
            }
        }
        // Its list of terms (Zola writes no feed of it).
        if seen.iter().any(|(taxonomy, _)| *taxonomy == name) {
            lists.terms(&name, format!("/{}/", slugify(&name)), None);
        }
    }
}

fn jekyll(site: &OldSite, public: &[&Read], lists: &mut Lists) {
    let plugins: Vec<String> = ["plugins", "gems"]
        .iter()
        .flat_map(|k| values::list(site.config.get(*k), false))
        .collect();
    let posts: Vec<&Read> = public
        .iter()
        .copied()
        .filter(|r| r.source.kind == Kind::Post)
        .collect();
    if plugins.iter().any(|p| p == "jekyll-archives") {
        jekyll_archives(site, &posts, lists);
    }
    if plugins.iter().any(|p| p == "jekyll-paginate") {
        jekyll_paginate(site, &posts, lists);
    }
    let mut atom = Vec::new();
    let mut rss = Vec::new();
    if plugins.iter().any(|p| p == "jekyll-feed") {
        let feed = site.config.get("feed");
        let path = values::text(feed.and_then(|f| f.get("path"))).unwrap_or("feed.xml".into());
        atom.push(format!("/{}", path.trim_start_matches('/')));
    }
    // A feed the site's own template makes (a Liquid file with front matter).
    for name in ["feed.xml", "atom.xml", "rss.xml", "index.xml"] {
        let Ok(text) = std::fs::read_to_string(site.root.join(name)) else {
            continue;
        };
        let url = format!("/{name}");
        if !text.starts_with("---") || atom.contains(&url) {
            continue;
        }
        if text.contains("<feed") {
            atom.push(url);
        } else if text.contains("<rss") {
            rss.push(url);
        }
    }
    if !(atom.is_empty() && rss.is_empty()) {
        let home = lists.add("the site's feeds", ListRef::Home, "", None);
        home.atom = atom;
        home.rss = rss;
    }
}

/// jekyll-archives' category and tag pages (when `enabled` names them, or is `all`), at
/// its `permalinks` (`/category/:name/`, `/tag/:name/` by default; `:name` the term
/// slugified as Jekyll slugifies): each an old URL of the tag it became. Its date
/// archives (`/2024/03/`) have no Gazette list and are not kept.
fn jekyll_archives(site: &OldSite, posts: &[&Read], lists: &mut Lists) {
    let config = site.config.get("jekyll-archives");
    let enabled = config.and_then(|c| c.get("enabled"));
    let all = enabled.is_some_and(|e| e.as_bool() == Some(true) || e.as_str() == Some("all"));
    let named = values::list(enabled, false);
    let mut seen = BTreeSet::new();
    for (kind, enable, keys, default) in [
        (
            "category",
            "categories",
            ["categories", "category"],
            "/category/:name/",
        ),
        ("tag", "tags", ["tags", "tag"], "/tag/:name/"),
    ] {
        if !all && !named.iter().any(|n| n == enable) {
            continue;
        }
        let permalinks = config.and_then(|c| c.get("permalinks"));
        let pattern = values::text(permalinks.and_then(|p| p.get(kind)))
            .unwrap_or_else(|| default.to_string());
        for read in posts {
            for term in keys
                .iter()
                .flat_map(|k| values::list(read.fm.get(*k), true))
            {
                let Some(list) = taxonomy_list(enable, &term) else {
                    continue;
                };
                if !seen.insert((kind, term.clone())) {
                    continue;
                }
                let page = pattern.replace(":name", &super::jekyll::slug(&term));
                let page = format!("/{}", page.trim_start_matches('/'));
                lists.add(&format!("{kind} {term}"), list, &term, Some(page));
            }
        }
    }
}

/// jekyll-paginate's pages: the `index.html` nearest above the folder of
/// `paginate_path` (`/blog/page:num/` → `/blog/index.html`) lists every post, `paginate`
/// a page, its further pages at `paginate_path` (`/blog/page2/`). The list is Gazette's
/// home page: its URL an alias of it (whose further pages Gazette writes at
/// `<alias>page/N/`, as `/blog/page/:num/` had them); pages elsewhere (`/page2/`) are
/// redirect pages to the home page, as Gazette's pages of the home page do not hold the
/// same posts. Only with an `index.html` of the old site's: without one it paged nothing.
fn jekyll_paginate(site: &OldSite, posts: &[&Read], lists: &mut Lists) {
    let Some(per_page) = site.config.get("paginate").and_then(Value::as_u64) else {
        return;
    };
    let pattern =
        values::text(site.config.get("paginate_path")).unwrap_or_else(|| "/page:num/".into());
    if per_page == 0 || !pattern.contains(":num") {
        return;
    }
    let mut folder = pattern.trim_matches('/');
    let index = loop {
        folder = folder.rsplit_once('/').map_or("", |(parent, _)| parent);
        if site.root.join(folder).join("index.html").is_file() {
            break match folder {
                "" => "/".to_string(),
                _ => format!("/{folder}/"),
            };
        }
        if folder.is_empty() {
            return;
        }
    };
    let shown = posts
        .iter()
        .filter(|r| r.fm.get("hidden").and_then(Value::as_bool) != Some(true))
        .count();
    let pages = shown.div_ceil(per_page as usize).max(1);
    if index != "/" {
        lists.add(
            "jekyll-paginate's list",
            ListRef::Home,
            "",
            Some(index.clone()),
        );
    }
    for n in 2..=pages {
        let page = pattern.replace(":num", &n.to_string());
        let page = format!("/{}/", page.trim_matches('/'));
        // Gazette's further pages of the alias answer this one.
        if index != "/" && page == format!("{index}page/{n}/") {
            continue;
        }
        lists.redirect(&format!("jekyll-paginate's page {n}"), page, "/");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hugo_paths_keep_what_hugo_keeps() {
        assert_eq!(hugo_path("C++"), "c++");
        assert_eq!(hugo_path("Ünïcode Tag"), "ünïcode-tag");
        assert_eq!(hugo_path("Web Dev!"), "web-dev");
        assert_eq!(hugo_path("Blog Posts"), "blog-posts");
    }
}
