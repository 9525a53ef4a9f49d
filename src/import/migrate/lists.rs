//! The old site's lists and feeds: its home page's feeds, its category, tag, author and
//! section pages and theirs. Readers find them ([`OldList`], by the Gazette list that
//! takes each in); [`write`] makes their old URLs Gazette's (`content::old_urls`): in a
//! section's `_index.md`, an author's profile, or `config.toml` (`[home]`,
//! `[tags.<slug>]`), leaving out those Gazette answers already (Zola's `/atom.xml`,
//! Hugo's `/tags/rust/`). Every old URL an import knows — articles' too — is an
//! [`OldUrl`] with what should answer it, which `gazette import` checks against the site
//! it then loads.
//!
//! Invariant: what a user wrote is kept: a file or table that already names old URLs of
//! its list is left as it is; one that names none gets them added, the rest of the file
//! as written.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

use super::super::{ImportError, ImportOptions, write_file};
use crate::content::edit::{FrontMatterEdit, edit_front_matter};
use crate::content::section::INDEX_FILE;
use crate::content::{AUTHORS_DIR, FeedKind};
use crate::import::emit::{toml_list, toml_string};
use crate::paths::SitePaths;

/// One of Gazette's lists, by slug: what an old list or feed URL leads to.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ListRef {
    Home,
    Section(String),
    Author(String),
    Tag(String),
}

impl ListRef {
    /// Its page's path below the site root (`tags/rust/`).
    pub fn path(&self) -> String {
        match self {
            ListRef::Home => String::new(),
            ListRef::Section(slug) => format!("{slug}/"),
            ListRef::Author(slug) => format!("{AUTHORS_DIR}/{slug}/"),
            ListRef::Tag(slug) => format!("tags/{slug}/"),
        }
    }

    /// How a message names it.
    pub fn describe(&self) -> String {
        match self {
            ListRef::Home => "the home page".into(),
            ListRef::Section(slug) => format!("the section {slug}"),
            ListRef::Author(slug) => format!("the author {slug}"),
            ListRef::Tag(slug) => format!("the tag {slug}"),
        }
    }
}

/// A list of the old site and its feeds, as a reader found it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OldList {
    /// Where it came from (`export.xml (category news)`).
    pub origin: String,
    pub list: ListRef,
    /// Its name on the old site: the name of a profile made for an author's old URLs.
    pub title: String,
    /// Site-root paths of its page (`/category/news/`).
    pub pages: Vec<String>,
    pub rss: Vec<String>,
    pub atom: Vec<String>,
}

/// What should answer an old URL.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Answer {
    /// The article imported into this content file (its page, or a redirect to it).
    Article(PathBuf),
    /// The list's page (or a redirect to it).
    List(ListRef),
    /// A feed of the list (itself, or a copy of it).
    Feed(ListRef, FeedKind),
}

/// An old URL of the imported site and what should answer it now.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OldUrl {
    /// A site-root path, percent-decoded (`/category/news/`, `/?p=12`).
    pub url: String,
    pub origin: String,
    pub answer: Answer,
}

/// The old URLs a list keeps, Gazette's own left out: (aliases, rss_aliases,
/// atom_aliases).
type Kept = (Vec<String>, Vec<String>, Vec<String>);

/// What writing the lists did: the old URLs they bring, and how many are aliases now.
#[derive(Debug, Default)]
pub struct Written {
    pub old_urls: Vec<OldUrl>,
    pub aliases: usize,
    pub warnings: Vec<String>,
}

/// Makes the lists' old URLs Gazette's (nothing written with `--dry-run`).
pub fn write(
    paths: &SitePaths,
    lists: Vec<OldList>,
    options: ImportOptions,
) -> Result<Written, ImportError> {
    let mut written = Written::default();
    // Two old lists may become one (categories and tags of one name): their URLs join.
    let mut by_list: BTreeMap<ListRef, (String, Kept)> = BTreeMap::new();
    // An old URL leads to one list: the first that claims it.
    let mut claimed: HashMap<String, String> = HashMap::new();
    for mut old in lists {
        for urls in [&mut old.pages, &mut old.rss, &mut old.atom] {
            urls.retain(|url| match claimed.get(url) {
                Some(first) if *first != old.origin => {
                    written.warnings.push(format!(
                        "{}: old URL {url} is {first}'s too: kept for that one",
                        old.origin
                    ));
                    false
                }
                _ => {
                    claimed.insert(url.clone(), old.origin.clone());
                    true
                }
            });
        }
        let own = old.list.path();
        for (urls, answer) in [
            (&old.pages, Answer::List(old.list.clone())),
            (&old.rss, Answer::Feed(old.list.clone(), FeedKind::Rss)),
            (&old.atom, Answer::Feed(old.list.clone(), FeedKind::Atom)),
        ] {
            for url in urls {
                written.old_urls.push(OldUrl {
                    url: url.clone(),
                    origin: old.origin.clone(),
                    answer: answer.clone(),
                });
            }
        }
        let entry = by_list
            .entry(old.list.clone())
            .or_insert_with(|| (old.title.clone(), Kept::default()));
        let (pages, rss, atom) = &mut entry.1;
        let warnings = &mut written.warnings;
        let origin = &old.origin;
        add(pages, aliases_of(&old.pages, &own, origin, warnings));
        let own_rss = format!("{own}rss.xml");
        add(rss, aliases_of(&old.rss, &own_rss, origin, warnings));
        let own_atom = format!("{own}atom.xml");
        add(atom, aliases_of(&old.atom, &own_atom, origin, warnings));
    }
    by_list.retain(|_, (_, (p, r, a))| !(p.is_empty() && r.is_empty() && a.is_empty()));
    written.aliases = by_list
        .values()
        .map(|(_, (p, r, a))| p.len() + r.len() + a.len())
        .sum();
    if options.dry_run {
        return Ok(written);
    }
    let mut config = Vec::new();
    for (list, (title, kept)) in by_list {
        match &list {
            ListRef::Home | ListRef::Tag(_) => config.push((list, kept)),
            ListRef::Section(slug) => {
                // A section without `_index.md` is titled by its folder: a file made for
                // its old URLs alone keeps that.
                let file = paths.content.join(slug).join(INDEX_FILE);
                front_matter(&file, "+++\n", &kept)?;
            }
            ListRef::Author(slug) => {
                let file = paths.content.join(AUTHORS_DIR).join(format!("{slug}.md"));
                let new = format!("+++\nname = {}\n", toml_string(&title));
                front_matter(&file, &new, &kept)?;
            }
        }
    }
    if !config.is_empty() {
        config_tables(&paths.config_file, &config)?;
    }
    Ok(written)
}

/// The old URLs of `urls` that need an alias: not the list's own URL in Gazette
/// (`own_file`, below the site root), which answers already. One the build would refuse —
/// a query, a page of the site's own — is left out with a warning: it would stop the
/// build (`gazette import` then names it among the URLs that do not answer).
fn aliases_of<'a>(
    urls: &'a [String],
    own_file: &str,
    origin: &str,
    warnings: &mut Vec<String>,
) -> Vec<&'a String> {
    urls.iter()
        .filter(|url| url.trim_start_matches('/') != own_file)
        .filter(|url| match keepable(url) {
            Ok(()) => true,
            Err(why) => {
                warnings.push(format!("{origin}: old URL {url:?} not kept: {why}"));
                false
            }
        })
        .collect()
}

/// Why a list's old URL is not kept as an alias.
#[derive(Debug, thiserror::Error)]
enum NotKept {
    #[error("a list's old URL with a query (`?…`) is one no file can answer")]
    Query,
    /// The alias rules' refusal (of the home page, a path leading out…), as they word it.
    #[error(transparent)]
    NoFile(#[from] crate::content::UrlError),
    #[error("{url:?} is where the site keeps pages of its own")]
    SitesOwn { url: String },
}

/// Whether an old URL can be an alias the build accepts.
fn keepable(url: &str) -> Result<(), NotKept> {
    if url.contains('?') {
        return Err(NotKept::Query);
    }
    let file = crate::content::alias_path(url)?;
    if crate::content::is_own_list_file(&file) {
        return Err(NotKept::SitesOwn {
            url: url.to_string(),
        });
    }
    Ok(())
}

/// Adds `urls` to `to`, each once.
fn add<'a>(to: &mut Vec<String>, urls: impl IntoIterator<Item = &'a String>) {
    for url in urls {
        if !to.contains(url) {
            to.push(url.clone());
        }
    }
}

/// The front matter keys of a list's old URLs.
fn keys((pages, rss, atom): &Kept) -> [(&'static str, Vec<String>); 3] {
    [
        ("aliases", pages.clone()),
        ("rss_aliases", rss.clone()),
        ("atom_aliases", atom.clone()),
    ]
}

/// Gives the file describing a list its old URLs: added to its front matter when it
/// names none yet; a new file (`start`: its opening lines) when there is none.
fn front_matter(file: &Path, start: &str, kept: &Kept) -> Result<(), ImportError> {
    let lists = keys(kept);
    let text = match std::fs::read_to_string(file) {
        Ok(text) => {
            let edit = FrontMatterEdit {
                absent_lists: &lists,
                ..FrontMatterEdit::default()
            };
            let edited =
                edit_front_matter(&text, file, &edit).map_err(|e| ImportError::BadSource {
                    path: PathBuf::from(e.place()),
                    reason: e.message(),
                })?;
            if edited == text {
                return Ok(());
            }
            edited
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            let mut text = start.to_string();
            for (key, urls) in lists.iter().filter(|(_, urls)| !urls.is_empty()) {
                text.push_str(&format!("{key} = {}\n", toml_list(urls)));
            }
            text.push_str("+++\n");
            text
        }
        Err(source) => {
            return Err(ImportError::Read {
                path: file.to_path_buf(),
                source,
            });
        }
    };
    write_file(file, &text)
}

/// Adds `[home]` and `[tags.<slug>]` tables to the configuration for lists that have no
/// file, each only where the configuration has none (the rest of it kept as written).
fn config_tables(file: &Path, lists: &[(ListRef, Kept)]) -> Result<(), ImportError> {
    let text = std::fs::read_to_string(file).map_err(|source| ImportError::Read {
        path: file.to_path_buf(),
        source,
    })?;
    let mut doc: toml_edit::DocumentMut =
        text.parse()
            .map_err(|e: toml_edit::TomlError| ImportError::BadSource {
                path: file.to_path_buf(),
                reason: e.message().trim().to_string(),
            })?;
    let mut first = true;
    for (list, kept) in lists {
        let mut table = toml_edit::Table::new();
        for (key, urls) in keys(kept).into_iter().filter(|(_, u)| !u.is_empty()) {
            table[key] = toml_edit::value(urls.iter().collect::<toml_edit::Array>());
        }
        if first {
            table.decor_mut().set_prefix(
                "\n# Old URLs of the home page and of tags (`gazette import --from` found them):\n\
                 # `aliases` redirect to the list, `rss_aliases` and `atom_aliases` get a copy of its feed.\n",
            );
        }
        let added = match list {
            ListRef::Home if !doc.contains_key("home") => {
                doc["home"] = toml_edit::Item::Table(table);
                true
            }
            // A `[home]` that says only which sections the front page shows gets the old
            // URLs beside that; one that names old URLs already is left as written.
            ListRef::Home => match doc["home"].as_table_mut() {
                Some(home) if !names_old_urls(home) => {
                    for (key, value) in table.iter() {
                        home.insert(key, value.clone());
                    }
                    true
                }
                _ => false,
            },
            ListRef::Tag(slug) => {
                let tags = doc.entry("tags").or_insert_with(|| {
                    let mut tags = toml_edit::Table::new();
                    tags.set_implicit(true);
                    toml_edit::Item::Table(tags)
                });
                match tags.as_table_mut() {
                    Some(tags) if !tags.contains_key(slug) => {
                        tags.insert(slug, toml_edit::Item::Table(table));
                        true
                    }
                    _ => false,
                }
            }
            _ => false,
        };
        first &= !added;
    }
    let edited = doc.to_string();
    if edited != text {
        write_file(file, &edited)?;
    }
    Ok(())
}

/// Whether a list's table in `config.toml` names old URLs of the list.
fn names_old_urls(table: &toml_edit::Table) -> bool {
    ["aliases", "rss_aliases", "atom_aliases"]
        .iter()
        .any(|key| table.contains_key(key))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_old_urls_the_build_accepts_become_aliases_and_the_others_are_named() {
        let urls: Vec<String> = [
            "/tags/rust/",
            "/tag/rust/",
            "/tags/c#/",
            "/?tag=rust",
            "/tags/",
        ]
        .map(String::from)
        .to_vec();
        let mut warnings = Vec::new();
        let kept = aliases_of(&urls, "tags/rust/", "site (tag rust)", &mut warnings);
        assert_eq!(kept, ["/tag/rust/"]);
        assert_eq!(
            warnings,
            [
                "site (tag rust): old URL \"/tags/c#/\" not kept: alias \"/tags/c#/\" has a fragment (`#…`), which browsers never send to the server",
                "site (tag rust): old URL \"/?tag=rust\" not kept: a list's old URL with a query (`?…`) is one no file can answer",
                "site (tag rust): old URL \"/tags/\" not kept: \"/tags/\" is where the site keeps pages of its own",
            ]
        );
    }

    #[test]
    fn old_urls_gazette_answers_itself_are_not_aliases_and_tables_are_added_once() {
        let dir = tempfile::tempdir().unwrap();
        let paths = SitePaths::with_defaults(dir.path());
        let config = "title = \"T\" # mine\nbase_url = \"https://example.org/\"\n";
        std::fs::write(&paths.config_file, config).unwrap();
        let lists = vec![
            OldList {
                origin: "site (feeds)".into(),
                list: ListRef::Home,
                title: "T".into(),
                pages: Vec::new(),
                rss: vec!["/index.xml".into()],
                atom: vec!["/atom.xml".into()],
            },
            OldList {
                origin: "site (tag rust)".into(),
                list: ListRef::Tag("rust".into()),
                title: "Rust".into(),
                pages: vec!["/tags/rust/".into(), "/tag/rust/".into()],
                rss: vec!["/tags/rust/index.xml".into()],
                atom: Vec::new(),
            },
        ];
        let written = write(&paths, lists.clone(), ImportOptions::default()).unwrap();
        assert_eq!(written.old_urls.len(), 5);
        assert_eq!(
            written.aliases, 3,
            "/atom.xml and /tags/rust/ are Gazette's own"
        );
        let expected = "title = \"T\" # mine\nbase_url = \"https://example.org/\"\n\n\
             # Old URLs of the home page and of tags (`gazette import --from` found them):\n\
             # `aliases` redirect to the list, `rss_aliases` and `atom_aliases` get a copy of its feed.\n\
             [home]\nrss_aliases = [\"/index.xml\"]\n\n\
             [tags.rust]\naliases = [\"/tag/rust/\"]\nrss_aliases = [\"/tags/rust/index.xml\"]\n";
        assert_eq!(
            std::fs::read_to_string(&paths.config_file).unwrap(),
            expected
        );
        write(&paths, lists, ImportOptions::default()).unwrap();
        assert_eq!(
            std::fs::read_to_string(&paths.config_file).unwrap(),
            expected,
            "written once"
        );
    }
}
