//! WordPress's lists and feeds, as its "pretty" permalinks place them: the site's feeds
//! (`/feed/`, RSS 2.0; `/feed/atom/`), and the archives of each category
//! (`/category/<parent>/<child>/`), tag (`/tag/<slug>/`) and author
//! (`/author/<nicename>/`), each with its feed (`…/feed/`) — the default bases, which an
//! export does not record. Each leads to the Gazette list that took it in: a top-level
//! category that became a section to the section, another category or a tag to the tag,
//! an author to the author's page. A site on plain permalinks (`/?cat=3`) has none a file
//! could answer; the comments feed (`/comments/feed/`) has nothing to answer it with.

use std::collections::{HashMap, HashSet};

use super::super::{Entry, ListRef, OldList, decoded_path};
use super::Category;
use super::wxr::{Channel, Item};
use crate::urls::slug::slugify;

/// The old site's lists, for the entries imported from it.
pub(super) fn lists(
    channel: &Channel,
    categories: &HashMap<String, Category>,
    names: &HashMap<String, String>,
    entries: &[Entry],
    label: &str,
) -> Vec<OldList> {
    let published: Vec<&Item> = channel
        .items
        .iter()
        .filter(|i| {
            i.get("wp:post_type") == "post"
                && i.get("wp:status") == "publish"
                && i.get("wp:post_password").is_empty()
        })
        .collect();
    // Plain permalinks (`/?p=12`) make plain archive links (`/?cat=3`) too.
    if !published.iter().any(|i| !i.get("link").contains('?')) {
        return Vec::new();
    }
    let sections: HashSet<&str> = entries.iter().map(|e| e.folder.as_str()).collect();
    let tags: HashSet<String> = entries
        .iter()
        .flat_map(|e| &e.tags)
        .map(|t| slugify(t))
        .collect();
    let mut lists = vec![OldList {
        origin: format!("{label} (feeds)"),
        list: ListRef::Home,
        title: String::new(),
        pages: Vec::new(),
        rss: vec!["/feed/".into(), "/feed/rss2/".into()],
        atom: vec!["/feed/atom/".into()],
    }];
    let mut seen = HashSet::new();
    for item in &published {
        for (domain, nicename, name) in &item.categories {
            if !seen.insert((domain.clone(), nicename.clone())) {
                continue;
            }
            let name = crate::text::html_text(name);
            let (kind, path) = match domain.as_str() {
                "category" if nicename != "uncategorized" => {
                    ("category", category_path(nicename, categories))
                }
                "post_tag" => ("tag", decoded(nicename)),
                _ => continue,
            };
            let top =
                kind == "category" && categories.get(nicename).is_none_or(|c| c.parent.is_empty());
            let slug = slugify(nicename);
            let list = if top && sections.contains(slug.as_str()) {
                ListRef::Section(slug)
            } else if tags.contains(&slugify(&name)) {
                ListRef::Tag(slugify(&name))
            } else {
                continue;
            };
            lists.push(archive(
                format!("{label} ({kind} {nicename})"),
                list,
                name,
                &format!("/{kind}/{path}/"),
            ));
        }
        // Only a user of the site has an archive (an export may name others as creators).
        let login = item.get("dc:creator");
        if let Some(name) = names.get(login)
            && seen.insert(("author".into(), login.into()))
        {
            let name = name.clone();
            lists.push(archive(
                format!("{label} (author {login})"),
                ListRef::Author(slugify(&name)),
                name,
                &format!("/author/{}/", nicename(login)),
            ));
        }
    }
    lists
}

/// An archive at `page` and its RSS feed.
fn archive(origin: String, list: ListRef, title: String, page: &str) -> OldList {
    OldList {
        origin,
        list,
        title,
        pages: vec![page.to_string()],
        rss: vec![format!("{page}feed/")],
        atom: Vec::new(),
    }
}

/// A nicename as a URL shows it, percent-escapes decoded (`caf%c3%a9` → `café`).
fn decoded(nicename: &str) -> String {
    decoded_path(nicename).unwrap_or_else(|| nicename.to_string())
}

/// A category's path: its ancestors' nicenames, then its own (`reviews/phones`).
fn category_path(nicename: &str, categories: &HashMap<String, Category>) -> String {
    let mut chain = vec![decoded(nicename)];
    let mut at = nicename;
    // An export whose parents loop must not hang the import.
    for _ in 0..16 {
        match categories.get(at).map(|c| c.parent.as_str()) {
            Some(parent) if !parent.is_empty() => {
                chain.push(decoded(parent));
                at = parent;
            }
            _ => break,
        }
    }
    chain.reverse();
    chain.join("/")
}

/// The `user_nicename` WordPress gives a login when the user is made (an export does not
/// record it): lowercase, `.` and spaces as `-`, only letters, digits, `_` and `-`.
fn nicename(login: &str) -> String {
    let mut name = String::with_capacity(login.len());
    for c in login.trim().to_lowercase().chars() {
        match c {
            'a'..='z' | '0'..='9' | '_' => name.push(c),
            '-' | '.' | ' ' if !name.ends_with('-') => name.push('-'),
            _ => {}
        }
    }
    name.trim_matches('-').to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nicenames_are_made_as_wordpress_makes_them() {
        assert_eq!(nicename("jhinks"), "jhinks");
        assert_eq!(nicename("Jane.Doe"), "jane-doe");
        assert_eq!(nicename("mary ann@x"), "mary-annx");
    }

    #[test]
    fn only_users_of_the_site_have_archives() {
        let post = |creator: &str| Item {
            fields: HashMap::from([
                ("wp:post_type".to_string(), "post".to_string()),
                ("wp:status".to_string(), "publish".to_string()),
                ("link".to_string(), "https://old.example.com/a/".to_string()),
                ("dc:creator".to_string(), creator.to_string()),
            ]),
            ..Item::default()
        };
        let channel = Channel {
            items: vec![post(">jane"), post("jane")],
            ..Channel::default()
        };
        let names = HashMap::from([("jane".to_string(), "Jane Doe".to_string())]);
        let lists = lists(&channel, &HashMap::new(), &names, &[], "export.xml");
        let pages: Vec<&str> = lists
            .iter()
            .flat_map(|l| &l.pages)
            .map(String::as_str)
            .collect();
        assert_eq!(pages, ["/author/jane/"]);
        assert_eq!(lists[1].list, ListRef::Author("jane-doe".into()));
    }

    #[test]
    fn a_category_path_names_its_ancestors() {
        let category = |parent: &str| Category {
            name: String::new(),
            parent: parent.into(),
            description: String::new(),
            term_id: String::new(),
        };
        let categories = HashMap::from([
            ("reviews".to_string(), category("")),
            ("phones".to_string(), category("reviews")),
            ("loop".to_string(), category("loop")),
        ]);
        assert_eq!(category_path("phones", &categories), "reviews/phones");
        assert_eq!(category_path("caf%c3%a9", &categories), "café");
        assert_eq!(
            category_path("loop", &categories).matches("loop").count(),
            17
        );
    }
}
