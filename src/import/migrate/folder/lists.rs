//! Hugo's, Zola's and Jekyll's lists and feeds, as each platform places them, for the
//! pages that were public (not drafts, not dated later):
//! - Hugo: the home page's RSS feed (`/index.xml`), each section's list and feed
//!   (`/posts/`, `/posts/index.xml`), each term of the `tags` and `categories` taxonomies
//!   (or those `taxonomies` names; `authors` too) with its feed (`/tags/rust/index.xml`),
//!   unless `disableKinds` or `outputs` leave the feeds out.
//! - Zola: with `generate_feeds` (`generate_feed` before 0.19) the site's feeds
//!   (`feed_filenames`, by default `/atom.xml`), each section's list (and feeds when its
//!   `_index.md` generates them), each term of the configured `taxonomies` (and their
//!   feeds with `feed = true`).
//! - Jekyll: jekyll-feed's `/feed.xml` (Atom; `feed.path`), and a feed the site makes
//!   itself at its root (`feed.xml`, `atom.xml`, `rss.xml` with front matter).
//!
//! Each leads to the Gazette list that took it in: a section to the section, a tag or a
//! category to the tag, an author to the author's page.

use std::collections::BTreeSet;

use chrono::Utc;
use serde_json::Value;

use super::super::{ListRef, OldList, values};
use super::{Kind, OldSite, Read};
use crate::import::migrate::Platform;
use crate::urls::slug::slugify;

/// The old site's lists and feeds, for its `pages`.
pub(super) fn of(site: &OldSite, pages: &[Read]) -> Vec<OldList> {
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
    };
    match site.platform {
        Platform::Hugo => hugo(site, pages, &public, &mut lists),
        Platform::Zola => zola(site, pages, &public, &mut lists),
        _ => jekyll(site, &mut lists),
    }
    lists.lists
}

/// The lists found so far, and how the old site is named in their origins.
struct Lists<'a> {
    shown: &'a str,
    lists: Vec<OldList>,
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
    let mut seen = BTreeSet::new();
    for read in public {
        let (Some(dir), Some(section)) = (read.source.dirs.first(), section_of(read)) else {
            continue;
        };
        if seen.insert(("section".to_string(), section.to_string())) {
            let page = format!("/{}/", hugo_path(dir));
            let list = ListRef::Section(section.to_string());
            let added = lists.add(&format!("section {dir}"), list, dir, Some(page.clone()));
            if rss(&["section"]) {
                added.rss.push(format!("{page}index.xml"));
            }
        }
    }
    let feeds = rss(&["section"]);
    nested_sections(pages, &seen, lists, hugo_path, |_, page| {
        feeds.then(|| (vec![format!("{page}index.xml")], Vec::new()))
    });
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
                if rss(&["term", "taxonomy"]) {
                    added.rss.push(format!("{page}index.xml"));
                }
            }
        }
    }
}

/// The sections below a section (a folder with an `_index.md` of its own below one,
/// `events/archive/`): Hugo and Zola give each a list page (and feeds), which Gazette,
/// listing top-level folders only, does not make. Their old URLs lead to the list of the
/// top-level section they are part of, when Gazette has that list (`seen`: a section
/// with a public article). `segment` writes a folder's name as the platform puts it in a
/// URL; `feeds` gives the index's RSS and Atom feed URLs, if it has feeds.
fn nested_sections(
    pages: &[Read],
    seen: &BTreeSet<(String, String)>,
    lists: &mut Lists,
    segment: fn(&str) -> String,
    feeds: impl Fn(&Read, &str) -> Option<(Vec<String>, Vec<String>)>,
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
                .map(|d| segment(d))
                .collect::<Vec<_>>()
                .join("/")
        );
        let title = values::text(index.fm.get("title")).unwrap_or_else(|| dirs.join("/"));
        let what = format!("section {}", dirs.join("/"));
        let (rss, atom) = feeds(index, &page).unwrap_or_default();
        let added = lists.add(&what, ListRef::Section(section), &title, Some(page));
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

fn zola(site: &OldSite, pages: &[Read], public: &[&Read], lists: &mut Lists) {
    let names = zola_feeds(&site.config);
    if generates_feeds(&site.config) {
        let home = lists.add("the site's feeds", ListRef::Home, "", None);
        add_zola_feeds(home, "/", &names);
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
        let index = pages.iter().find(|r| {
            r.source.kind == Kind::SectionIndex
                && r.source.dirs.len() == 1
                && slugify(&r.source.dirs[0]) == section
        });
        let list = ListRef::Section(section.to_string());
        let added = lists.add(
            &format!("section {section}"),
            list,
            section,
            Some(page.clone()),
        );
        if index.is_some_and(|i| generates_feeds(&i.fm)) {
            add_zola_feeds(added, &page, &names);
        }
    }
    nested_sections(pages, &seen, lists, slugify, |index, page| {
        generates_feeds(&index.fm).then(|| zola_feed_urls(page, &names))
    });
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
                if feeds {
                    add_zola_feeds(added, &page, &names);
                }
            }
        }
    }
}

fn jekyll(site: &OldSite, lists: &mut Lists) {
    let plugins: Vec<String> = ["plugins", "gems"]
        .iter()
        .flat_map(|k| values::list(site.config.get(*k), false))
        .collect();
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
