//! Published URLs never break. The build record keeps every article and section URL the
//! site has published (with the file that had it); a URL that is gone, which no article,
//! section or alias answers any more, is a warning in `build` and a problem in `check`,
//! naming the URL and the file that used to have it, until an alias takes it in. Without a
//! record (a CI job that restored only the previous output), the previous output's sitemap
//! says what was published. The URLs of the site an import replaced are in
//! `published.toml` beside the configuration ([`Published::committed`]), kept in git: a
//! fresh clone, which has neither record nor output, knows them too.
//!
//! Invariant: a gone URL stays in the record (and so in every warning and check) until
//! something answers it again; a build never forgets it on its own. Only what readers could
//! see counts as published: never a draft, nor an article dated after the build's clock (a
//! `--future` preview shows scheduled ones).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use chrono::{DateTime, FixedOffset};
use thiserror::Error;

use crate::content::{Document, ListAliases, Site};
use crate::location::{Location, Position};
use crate::urls::is_reserved_slug;

#[derive(Debug, Error)]
pub enum PublishedError {
    #[error("{}: cannot read: {source}", path.display())]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{}: cannot write: {source}", path.display())]
    Write {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{location}: {message}")]
    Invalid { location: Location, message: String },
}

/// `published.toml` as written.
#[derive(Debug, serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct CommittedFile {
    /// Old URL (a site-root path) → the file that answers it.
    #[serde(default)]
    urls: BTreeMap<toml::Spanned<String>, String>,
}

/// What the head of `published.toml` says.
const COMMITTED_HEAD: &str = "\
# URLs this site published before Gazette built it, each with the file that answers it
# (`gazette import --from` writes them). `gazette build` warns and `gazette check` fails
# while one of them no longer answers: add it to the `aliases` of the page that replaces
# it. Kept in git, so that a fresh clone (a CI job) knows them too.
";

/// The URLs (paths below the site root, `old-story/` or `2014/11/24/x.html`) a site
/// answers for its articles, each with the file that has it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Published(BTreeMap<String, String>);

/// A URL that was published and is gone.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Gone {
    pub path: String,
    /// The file that had it.
    pub source: String,
}

impl std::fmt::Display for Gone {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{}: /{} was published and is gone; add \"/{}\" to the `aliases` of the article that replaces it",
            self.source, self.path, self.path
        )
    }
}

impl Published {
    /// What `site` answers: its articles' and pages' URLs and their aliases, and its
    /// sections' lists.
    /// Drafts (in a preview built with `--drafts`) and articles dated after `now` (in one
    /// built with `--future`) were never published.
    pub fn of(site: &Site, now: DateTime<FixedOffset>) -> Published {
        let mut urls = BTreeMap::new();
        let public = |i: &usize| !site.articles[*i].draft && site.articles[*i].date <= now;
        // A section a preview shows only for its drafts (or scheduled articles) was not
        // published either; one with an `_index.md` is, whatever it lists.
        for section in site
            .sections
            .iter()
            .filter(|s| s.index.is_some() || s.articles.iter().any(public))
        {
            let source = section.source().display().to_string();
            urls.insert(section.permalink.path().to_string(), source);
        }
        let articles = site.articles.iter().filter(|a| a.date <= now);
        let documents = articles.map(|a| a as &dyn Document);
        let pages = site.pages.iter().map(|p| p as &dyn Document);
        for article in documents.chain(pages).filter(|d| !d.draft()) {
            let source = article.source().display().to_string();
            urls.insert(article.permalink().path().to_string(), source.clone());
            for alias in article.aliases() {
                let path = alias.strip_suffix("index.html").unwrap_or(alias);
                urls.insert(path.to_string(), source.clone());
            }
            for alias in article.query_aliases() {
                urls.insert(alias.trim_start_matches('/').to_string(), source.clone());
            }
        }
        // Old URLs of lists and their feeds (their further pages come and go with the
        // articles): a section's and an author's are in their files, whose pages the site
        // has whatever they list; a tag a preview has only for drafts was not published.
        let tags = site.tags.iter().filter(|t| t.articles.iter().any(public));
        let lists = std::iter::once(&site.home_aliases)
            .chain(site.sections.iter().filter_map(|s| s.aliases()))
            .chain(site.authors.iter().map(|a| &a.aliases))
            .chain(tags.map(|t| &t.aliases));
        for aliases in lists {
            let source = aliases.source.display().to_string();
            for file in old_list_files(aliases) {
                urls.insert(file.to_string(), source.clone());
            }
        }
        Published(urls)
    }

    /// The URLs `published.toml` (at `file`) lists, each with the file it names; none
    /// when there is no such file.
    pub fn committed(file: &Path) -> Result<Published, PublishedError> {
        let text = match std::fs::read_to_string(file) {
            Ok(text) => text,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Published::default()),
            Err(source) => {
                return Err(PublishedError::Read {
                    path: file.to_path_buf(),
                    source,
                });
            }
        };
        let at = |offset: usize| Location::at(file, Position::of_offset(&text, offset));
        let parsed: CommittedFile = toml::from_str(&text).map_err(|e| PublishedError::Invalid {
            location: e
                .span()
                .map_or_else(|| Location::file(file), |s| at(s.start)),
            message: e.message().trim().to_string(),
        })?;
        let mut urls = BTreeMap::new();
        for (url, source) in parsed.urls {
            let Some(path) = url.get_ref().strip_prefix('/') else {
                return Err(PublishedError::Invalid {
                    location: at(url.span().start),
                    message: format!(
                        "{:?} is not a URL of the site: a path starting with `/`, as in \"/2014/11/24/story/\"",
                        url.get_ref()
                    ),
                });
            };
            let path = path.strip_suffix("index.html").unwrap_or(path);
            urls.insert(path.to_string(), source);
        }
        Ok(Published(urls))
    }

    /// Adds `urls` (site-root paths, each with the file that answers it, relative to the
    /// site) to `published.toml` at `file`, keeping the URLs it lists; returns how many
    /// were new.
    pub fn commit(file: &Path, urls: &[(String, String)]) -> Result<usize, PublishedError> {
        let Published(mut listed) = Published::committed(file)?;
        let before = listed.len();
        for (url, source) in urls {
            let path = url.trim_start_matches('/').to_string();
            listed.entry(path).or_insert_with(|| source.clone());
        }
        let added = listed.len() - before;
        if added == 0 {
            return Ok(0);
        }
        let table: toml::Table = listed
            .into_iter()
            .map(|(path, source)| (format!("/{path}"), toml::Value::String(source)))
            .collect();
        let file_table = toml::Table::from_iter([("urls".to_string(), toml::Value::Table(table))]);
        let body = toml::to_string(&file_table).expect("a table of strings is TOML");
        let text = format!("{COMMITTED_HEAD}\n{body}");
        crate::files::write_whole(file, text.as_bytes()).map_err(|source| {
            PublishedError::Write {
                path: file.to_path_buf(),
                source,
            }
        })?;
        Ok(added)
    }

    pub fn from_record(entries: &[(String, String)]) -> Published {
        Published(entries.iter().cloned().collect())
    }

    /// What a previous build in `output` published by its sitemap (`sitemap.xml`, and the
    /// parts an index names): its URLs below `base_url` other than the lists of the site's
    /// own (home, author and tag pages, further pages of lists), which come and go with
    /// the articles. Each is said to come from the sitemap that listed it. Nothing when
    /// there is no readable sitemap.
    pub fn from_sitemap(output: &Path, base_url: &str) -> Published {
        let mut urls = BTreeMap::new();
        let mut files = vec!["sitemap.xml".to_string()];
        while let Some(name) = files.pop() {
            // Only files beside it: an index naming anything else is not ours.
            if name.contains(['/', '\\']) || name.starts_with('.') {
                continue;
            }
            let file = output.join(&name);
            let Ok(xml) = std::fs::read_to_string(&file) else {
                continue;
            };
            let source = file.display().to_string();
            let index = xml.contains("<sitemapindex");
            for loc in locs(&xml) {
                let Some(path) = loc.strip_prefix(base_url) else {
                    continue;
                };
                if index {
                    if name == "sitemap.xml" {
                        files.push(path.to_string());
                    }
                } else if !is_list_of_the_site(path) {
                    urls.insert(path.to_string(), source.clone());
                }
            }
        }
        Published(urls)
    }

    /// What the site published before this build: the build record's list, else the
    /// previous output's sitemap; and what `published.toml` lists.
    pub fn before(
        record: Option<&crate::cache::Record>,
        paths: &crate::paths::SitePaths,
        base_url: &str,
    ) -> Result<Published, PublishedError> {
        let before = match record {
            Some(record) => Published::from_record(&record.published),
            None => Published::from_sitemap(&paths.output, base_url),
        };
        Ok(Published::committed(&paths.published)?.carried_into(before))
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Whether `path` (below the site root, `old-story/`) is one of the URLs.
    pub fn contains(&self, path: &str) -> bool {
        self.0.contains_key(path)
    }

    pub fn to_record(&self) -> Vec<(String, String)> {
        self.0.iter().map(|(p, s)| (p.clone(), s.clone())).collect()
    }

    /// What `self` published and `now` no longer answers.
    pub fn gone(&self, now: &Published) -> Vec<Gone> {
        self.0
            .iter()
            .filter(|(path, _)| !now.0.contains_key(*path))
            .map(|(path, source)| Gone {
                path: path.clone(),
                source: source.clone(),
            })
            .collect()
    }

    /// `now`, and what of `self` is gone: what the next build must still answer for.
    pub fn carried_into(&self, now: Published) -> Published {
        let mut urls = now.0;
        for (path, source) in &self.0 {
            urls.entry(path.clone()).or_insert_with(|| source.clone());
        }
        Published(urls)
    }
}

/// The URLs a list's old URLs publish: their first pages' (`category/news/`) and feeds'.
fn old_list_files(aliases: &ListAliases) -> impl Iterator<Item = &str> {
    let pages = aliases.pages.iter();
    pages
        .chain(aliases.feeds.iter().map(|(file, _)| file))
        .map(|file| file.strip_suffix("index.html").unwrap_or(file))
}

/// The `<loc>` values of a sitemap (as Gazette writes them: one per element, XML-escaped).
fn locs(xml: &str) -> impl Iterator<Item = String> + '_ {
    xml.split("<loc>").skip(1).filter_map(|rest| {
        let (value, _) = rest.split_once("</loc>")?;
        Some(
            value
                .trim()
                .replace("&lt;", "<")
                .replace("&gt;", ">")
                .replace("&quot;", "\"")
                .replace("&apos;", "'")
                .replace("&amp;", "&"),
        )
    })
}

/// Whether `path` is the home page, a further page of a list, or below the author and
/// tag pages: lists of the site's own rather than something it published.
fn is_list_of_the_site(path: &str) -> bool {
    let segments: Vec<&str> = path.trim_end_matches('/').split('/').collect();
    let further_page = matches!(segments.as_slice(), [.., "page", n] if n.parse::<usize>().is_ok());
    path.is_empty() || further_page || is_reserved_slug(segments[0])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_sitemap_tells_what_was_published_but_not_the_sites_own_lists() {
        let dir = tempfile::tempdir().unwrap();
        let base = "https://example.org/news/";
        std::fs::write(
            dir.path().join("sitemap.xml"),
            format!("<sitemapindex><sitemap><loc>{base}sitemap-1.xml</loc></sitemap><sitemap><loc>https://elsewhere.org/x.xml</loc></sitemap></sitemapindex>"),
        )
        .unwrap();
        let urls = [
            "",
            "page/2/",
            "tags/rust/",
            "authors/",
            "reviews/",
            "reviews/page/3/",
            "2014/11/24/a-b.html",
            "q&amp;a/",
        ];
        let entries: String = urls
            .iter()
            .map(|u| format!("<url>\n    <loc>{base}{u}</loc>\n</url>\n"))
            .collect();
        std::fs::write(
            dir.path().join("sitemap-1.xml"),
            format!("<urlset>{entries}<url><loc>https://elsewhere.org/x/</loc></url></urlset>"),
        )
        .unwrap();
        let published = Published::from_sitemap(dir.path(), base);
        let paths: Vec<&str> = published.0.keys().map(String::as_str).collect();
        assert_eq!(paths, ["2014/11/24/a-b.html", "q&a/", "reviews/"]);
        assert!(published.0["reviews/"].ends_with("sitemap-1.xml"));
        assert!(Published::from_sitemap(&dir.path().join("none"), base).is_empty());
    }
}
