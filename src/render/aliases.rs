//! Old URLs kept alive: an article's `aliases` become redirect pages at those paths, and
//! one `_redirects` file lists them all for hosts that answer with a real 301 (Netlify,
//! Cloudflare Pages).
//!
//! An alias with a query (`/?p=123`, WordPress's short form) cannot be a file: a static
//! host serves the file of the path (the home page) whatever the query. Those go into
//! one map, [`QUERY_MAP`], which a script in the theme's pages (`site.query_aliases`)
//! fetches — only when the address has one of the map's query keys — to send the browser
//! on.
//!
//! Old URLs of lists (`content::old_urls`) are redirect pages too, their further pages
//! (`<old URL>page/2/`) to the list's page 2, and lines of `_redirects`, feeds' included
//! (whose copies are pages the render stage lists, `pages::jobs`).
//!
//! Invariant: a site without aliases gets no file from here (its output is as before);
//! the content stage has already refused an alias that any page or other alias has.

use std::collections::{BTreeMap, BTreeSet};

use super::sitemap::xml_escape;
use crate::content::{ListAliases, Permalink, Site};
use crate::files::{Contents, OutputFile};

/// The map of query aliases to their articles' URLs, at the site's root.
use crate::urls::QUERY_MAP;

/// The query keys the site's query aliases use (`p`, `page_id`), sorted: the script asks
/// for the map only when the address has one.
pub fn query_keys(site: &Site) -> Vec<String> {
    let keys: BTreeSet<&str> = site
        .documents()
        .flat_map(|a| a.query_aliases())
        .flat_map(|alias| alias.split_once('?').map_or("", |(_, q)| q).split('&'))
        .filter_map(|pair| pair.split('=').next())
        .filter(|k| !k.is_empty())
        .collect();
    keys.into_iter().map(str::to_string).collect()
}

/// The redirect page of every alias, and `_redirects`, when the site has any alias.
pub fn files(site: &Site) -> Vec<OutputFile> {
    let base = site.config.base_url.as_str();
    let mut files = Vec::new();
    let mut redirects = String::new();
    for article in site.documents().filter(|a| !a.aliases().is_empty()) {
        let url = article.permalink().url(base);
        let path = format!("/{}", article.permalink().path());
        for alias in article.aliases() {
            files.push(OutputFile {
                path: alias.clone(),
                contents: Contents::Rendered(page(
                    "article",
                    article.title(),
                    &url,
                    &site.config.language,
                )),
            });
            let from = format!("/{}", alias.strip_suffix("index.html").unwrap_or(alias));
            redirects.push_str(&format!("{} {path} 301\n", prefixed(&from, base)));
        }
    }
    for (title, permalink, count, aliases) in lists(site) {
        let pages = count.div_ceil(site.config.paginate_by).max(1);
        let mut redirect = |from: &str, to: &Permalink| {
            let url = to.url(base);
            files.push(OutputFile {
                path: from.to_string(),
                contents: Contents::Rendered(page("page", title, &url, &site.config.language)),
            });
            let from = format!("/{}", from.strip_suffix("index.html").unwrap_or(from));
            redirects.push_str(&format!("{} /{} 301\n", prefixed(&from, base), to.path()));
        };
        for old in &aliases.pages {
            redirect(old, &permalink);
            for n in 2..=pages {
                if let Some(further) = ListAliases::further(old, n) {
                    redirect(&further, &permalink.page(n));
                }
            }
        }
        for (old, kind) in &aliases.feeds {
            let from = format!("/{}", old.strip_suffix("index.html").unwrap_or(old));
            let to = format!("/{}{}", permalink.path(), kind.file());
            redirects.push_str(&format!("{} {to} 301\n", prefixed(&from, base)));
        }
    }
    let queries: BTreeMap<&str, String> = site
        .documents()
        .flat_map(|a| {
            a.query_aliases()
                .iter()
                .map(move |q| (q.as_str(), a.permalink().url(base)))
        })
        .collect();
    if !queries.is_empty() {
        files.push(OutputFile {
            path: QUERY_MAP.into(),
            contents: Contents::Rendered(
                serde_json::to_vec(&queries).expect("a map of strings is JSON"),
            ),
        });
    }
    if !redirects.is_empty() {
        files.push(OutputFile {
            path: "_redirects".into(),
            contents: Contents::Rendered(redirects.into_bytes()),
        });
    }
    files
}

/// Each list with old URLs: its title, its permalink, how many articles it lists, and
/// the old URLs; the home page first, then sections, authors and tags.
fn lists(site: &Site) -> impl Iterator<Item = (&str, Permalink, usize, &ListAliases)> + '_ {
    // The home page's count of pages is its river's (see `content::front`).
    let per_page = site.config.paginate_by;
    let home = (
        site.config.title.as_str(),
        Permalink::root(),
        site.front.page_count(per_page) * per_page,
        &site.home_aliases,
    );
    let sections = site.sections.iter().filter_map(|s| {
        let aliases = s.aliases()?;
        Some((
            s.title.as_str(),
            s.permalink.clone(),
            s.articles.len(),
            aliases,
        ))
    });
    let authors = site.authors.iter().map(|a| {
        (
            a.name.as_str(),
            a.permalink.clone(),
            a.articles.len(),
            &a.aliases,
        )
    });
    let tags = site.tags.iter().map(|t| {
        (
            t.name.as_str(),
            t.permalink.clone(),
            t.articles.len(),
            &t.aliases,
        )
    });
    std::iter::once(home)
        .chain(sections)
        .chain(authors)
        .chain(tags)
        .filter(|(_, _, _, aliases)| !aliases.is_empty())
}

/// `path` as the host sees it: under the base URL's path prefix, if it has one.
fn prefixed(path: &str, base: &str) -> String {
    match super::links::site_path_prefix(base) {
        Some(prefix) => format!("{}{}", prefix.trim_end_matches('/'), path),
        None => path.to_string(),
    }
}

/// A page that sends a browser on to `url` at once and tells search engines the page
/// lives there now (canonical link, not indexed), with a link for anyone it does not move;
/// `what` moved: an article, or a page (a list). Its script keeps the address's fragment
/// (`/old/#section` lands on `/new/#section`), which a refresh would drop; the refresh is
/// for browsers without script, so it never races the script.
fn page(what: &str, title: &str, url: &str, language: &str) -> Vec<u8> {
    let script_url = script_string(url);
    let (title, url, language) = (xml_escape(title), xml_escape(url), xml_escape(language));
    format!(
        "<!DOCTYPE html>\n<html lang=\"{language}\">\n<head>\n<meta charset=\"utf-8\">\n\
         <title>{title}</title>\n<link rel=\"canonical\" href=\"{url}\">\n\
         <meta name=\"robots\" content=\"noindex\">\n\
         <script>location.replace({script_url} + location.hash)</script>\n\
         <noscript><meta http-equiv=\"refresh\" content=\"0; url={url}\"></noscript>\n\
         </head>\n<body>\n\
         <p>This {what} has moved to <a href=\"{url}\">{title}</a>.</p>\n</body>\n</html>\n"
    )
    .into_bytes()
}

/// `text` as a JavaScript string literal that is safe inside `<script>`: JSON, with `<`
/// escaped so that no `</script>` can appear.
fn script_string(text: &str) -> String {
    serde_json::to_string(text)
        .expect("a string is JSON")
        .replace('<', "\\u003c")
}
