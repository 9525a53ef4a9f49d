//! `check`: finds what readers would trip over — links and images that lead nowhere,
//! `#anchors` that do not exist, authors without a profile, tags used once — by loading
//! and rendering the whole site in memory. Nothing is written, not even seeds imported.
//!
//! Invariant: every problem names where to fix it: `content/<file>.md:<line>` when the
//! broken link is written in an article, `templates/<file>:<line> (on /<page>)` when a
//! template spells it out, else the page and the template it came from.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::time::Duration;

use rayon::prelude::*;
use url::Url;

use crate::config::Timezone;
use crate::content::shortcodes::Shortcodes;
use crate::content::{self, Site};
use crate::engine::BuildOptions;
use crate::engine::EngineError;
use crate::engine::{Engine, Loaded};
use crate::html::for_each_attribute;
use crate::paths::SitePaths;
use crate::published::Published;
use crate::render::{self, Theme, pages::Page};

/// One thing to fix.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Problem {
    /// `content/a.md:12`, or the page's URL path and its template.
    pub location: String,
    pub message: String,
}

impl std::fmt::Display for Problem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.location, self.message)
    }
}

#[derive(Debug, Default)]
pub struct Report {
    pub problems: Vec<Problem>,
    /// Likely mistakes that do not break the site, so never fail a check (a deploy must
    /// not stop over them): authors without a profile, a tag one edit away from another.
    pub warnings: Vec<Problem>,
    /// Worth a look, but not wrong: tags used by one article only (on a small site, most).
    pub notes: Vec<Problem>,
    pub pages: usize,
    pub internal_links: usize,
    /// External URLs checked (with `--external`), and how many of them failed.
    pub external: Option<(usize, usize)>,
    /// Some files did not load, so nothing was rendered or link-checked.
    pub unloadable: bool,
}

/// What one rendered page holds.
struct Scanned {
    ids: HashSet<String>,
    /// (attribute value, attribute name)
    links: Vec<(String, &'static str)>,
}

pub fn run(
    root: &Path,
    external: bool,
    drafts: bool,
    base_url: Option<String>,
) -> Result<Report, EngineError> {
    // Every article, scheduled ones included, as the site will have them.
    let mut engine = Engine::new(BuildOptions {
        root: root.to_path_buf(),
        drafts,
        base_url,
        ..BuildOptions::default()
    });
    let opened = engine.open_read_only()?;
    // Every file's front matter problems at once, rather than the build's first one.
    let broken = front_matter_problems(&opened.paths);
    if !broken.is_empty() {
        return Ok(Report {
            problems: broken,
            unloadable: true,
            ..Report::default()
        });
    }
    // An old feed URL such as `feed/` is a feed at `feed/index.html`: not a page to scan.
    let (rendered, loaded): (Vec<(usize, Scanned)>, _) = engine.load_in_memory(
        opened,
        |job| job.path.ends_with(".html") && !matches!(job.page, Page::Feed { .. }),
        |i, bytes| (i, scan(&String::from_utf8_lossy(bytes))),
    )?;
    let site = loaded.site;
    let (warnings, notes) = site_problems(site);
    // URLs the last build recorded as published, which the site no longer answers.
    let mut problems = gone_problems(&loaded)?;
    problems.extend(failing_warnings(site));
    let links = check_links(&loaded, &rendered)?;
    problems.extend(links.problems);
    let external = external.then(|| {
        let failures = check_external(&links.outside);
        let checked = links.outside.len();
        let failed = failures.len();
        problems.extend(failures);
        (checked, failed)
    });
    problems.sort();
    problems.dedup();
    Ok(Report {
        problems,
        warnings,
        notes,
        unloadable: false,
        pages: rendered.len(),
        internal_links: links.internal,
        external,
    })
}

/// Each URL the last build recorded as published that the site no longer answers.
fn gone_problems(loaded: &Loaded<'_>) -> Result<Vec<Problem>, EngineError> {
    let record = crate::cache::load(loaded.paths);
    let before = Published::before(record.as_ref(), loaded.paths, &loaded.site.config.base_url)?;
    Ok(before
        .gone(&loaded.published)
        .into_iter()
        .map(|gone| {
            let text = gone.to_string();
            let message = text
                .strip_prefix(&format!("{}: ", gone.source))
                .unwrap_or(&text)
                .to_string();
            Problem {
                location: gone.source,
                message,
            }
        })
        .collect())
}

/// What the links of the rendered pages came to.
struct Links {
    problems: Vec<Problem>,
    /// Links within the site, checked.
    internal: usize,
    /// Each URL outside the site, with where it is first linked from.
    outside: BTreeMap<String, String>,
}

/// What a link within the site must find: the output's paths and each page's ids.
struct Targets<'a> {
    existing: HashSet<&'a str>,
    ids: HashMap<&'a str, &'a HashSet<String>>,
    base: &'a Url,
}

/// Checks every link of the rendered pages: within the site, that it leads to a page
/// (and to an id on it, for a fragment); outside, it is collected for `--external`.
fn check_links(loaded: &Loaded<'_>, rendered: &[(usize, Scanned)]) -> Result<Links, EngineError> {
    let site = loaded.site;
    // Articles, then pages.
    let sources: Vec<(PathBuf, String)> = site
        .documents()
        .map(|a| {
            (
                a.source().to_path_buf(),
                std::fs::read_to_string(a.source()).unwrap_or_default(),
            )
        })
        .collect();
    let base = Url::parse(&site.config.base_url).map_err(EngineError::UnparsableBaseUrl)?;
    let targets = Targets {
        existing: loaded.paths().collect(),
        ids: rendered
            .iter()
            .map(|(i, s)| (loaded.jobs[*i].path.as_str(), &s.ids))
            .collect(),
        base: &base,
    };
    let locator = Locator {
        sources: &sources,
        articles: site.articles.len(),
        theme: loaded.theme,
        base_url: &site.config.base_url,
    };
    let mut links = Links {
        problems: Vec::new(),
        internal: 0,
        outside: BTreeMap::new(),
    };
    for (i, scanned) in rendered {
        let job = &loaded.jobs[*i];
        let page_path = job.path.strip_suffix("index.html").unwrap_or(&job.path);
        let Ok(page_url) = base.join(page_path) else {
            continue;
        };
        for (value, attribute) in &scanned.links {
            let value = value.replace("&amp;", "&");
            let located = || locator.locate(job, &value);
            check_link(&targets, &page_url, &value, attribute, located, &mut links);
        }
    }
    Ok(links)
}

/// Checks one link, found at `located()`, of the page at `page_url`.
fn check_link(
    targets: &Targets<'_>,
    page_url: &Url,
    value: &str,
    attribute: &str,
    located: impl Fn() -> String,
    links: &mut Links,
) {
    let base = targets.base;
    let problem = |message: String| Problem {
        location: located(),
        message,
    };
    let Ok(target) = page_url.join(value) else {
        links
            .problems
            .push(problem(format!("{value} is not a valid URL")));
        return;
    };
    if !matches!(target.scheme(), "http" | "https") {
        return; // mailto:, tel:, data: …
    }
    let same_origin = target.origin() == base.origin();
    if same_origin && !target.path().starts_with(base.path()) {
        // On a site served under a path prefix, `/one/` leaves the site.
        links.problems.push(problem(format!(
            "link {value} leads outside the site ({base})"
        )));
        return;
    }
    if !same_origin {
        links
            .outside
            .entry(target.to_string())
            .or_insert_with(located);
        return;
    }
    links.internal += 1;
    let relative = &target.path()[base.path().len()..];
    let relative = percent_encoding::percent_decode_str(relative).decode_utf8_lossy();
    let file = if relative.is_empty() || relative.ends_with('/') {
        format!("{relative}index.html")
    } else {
        relative.into_owned()
    };
    let found = if targets.existing.contains(file.as_str()) {
        Some(file.clone())
    } else {
        let folder = format!("{file}/index.html");
        targets.existing.contains(folder.as_str()).then_some(folder)
    };
    let what = if attribute == "src" {
        "image or file"
    } else {
        "link"
    };
    let Some(found) = found else {
        links.problems.push(problem(format!(
            "{what} {value} leads to no page of the site"
        )));
        return;
    };
    // A browser looks for the fragment as written, then percent-decoded (`#caf%C3%A9`
    // finds `id="café"`).
    if let Some(fragment) = target.fragment().and_then(element_fragment)
        && let Some(page_ids) = targets.ids.get(found.as_str())
        && !page_ids.contains(fragment)
        && !page_ids.contains(
            percent_encoding::percent_decode_str(fragment)
                .decode_utf8_lossy()
                .as_ref(),
        )
    {
        links.problems.push(problem(format!(
            "{value}: there is no #{fragment} on that page"
        )));
    }
}

/// The part of a URL's fragment that names an element, `None` when a browser finds its
/// place without one. A text fragment (`#:~:text=word`, `#intro:~:text=word`) is a
/// directive from its `:~:` on, which browsers take off before looking for an id, and
/// scroll to the text instead; an empty fragment (`#`) and `#top` lead to the top of any
/// page (HTML's "indicated part of the document").
fn element_fragment(fragment: &str) -> Option<&str> {
    let id = fragment
        .split_once(":~:")
        .map_or(fragment, |(before, _)| before);
    (!id.is_empty() && !id.eq_ignore_ascii_case("top")).then_some(id)
}

/// Each content file that does not load (front matter, encoding, a body's shortcodes), as
/// a problem with the file's position. Bodies are rendered with the site's shortcodes, as
/// a build renders them: with the built-ins alone, a site's own would be "unknown".
fn front_matter_problems(paths: &SitePaths) -> Vec<Problem> {
    let shortcodes = match Shortcodes::of_site(paths) {
        Ok(shortcodes) => shortcodes,
        Err(e) => return vec![problem_of(&content::ContentError::from(e))],
    };
    let files = match content::markdown_files(&paths.content) {
        Ok(files) => files,
        Err(e) => return vec![problem_of(&e)],
    };
    let mut markdown = content::markdown::Renderer::default();
    markdown.set_shortcodes(shortcodes);
    let mut problems: Vec<Problem> = files
        .par_iter()
        // Whether a file loads does not depend on the zone its dates are read in.
        .filter_map(|path| {
            content::load_file(path, &paths.content, &markdown, Timezone::default()).err()
        })
        .map(|e| problem_of(&e))
        .collect();
    problems.sort();
    problems
}

fn problem_of(error: &content::ContentError) -> Problem {
    Problem {
        location: error.place(),
        message: error.message(),
    }
}

/// Warnings about the content itself — authors without a profile, files left out, tags
/// used once that look like a typo of another tag (one edit apart) — and notes: other
/// tags used once. Warnings that fail a check are reported with the problems instead
/// (see [`failing_warnings`]).
fn site_problems(site: &Site) -> (Vec<Problem>, Vec<Problem>) {
    let mut notes = Vec::new();
    let mut warnings: Vec<Problem> = site
        .warnings
        .iter()
        .filter(|w| !w.fails_check)
        .map(|w| Problem {
            location: w.file.display().to_string(),
            message: w.message.clone(),
        })
        .collect();
    let mut names = Vec::new();
    for tag in site.tags.iter().filter(|t| t.articles.len() == 1) {
        let article = &site.articles[tag.articles[0]];
        let line = std::fs::read_to_string(&article.source)
            .ok()
            .and_then(|text| line_of(&text, "tags"))
            .map(|n| format!(":{n}"))
            .unwrap_or_default();
        let similar = site
            .tags
            .iter()
            .filter(|t| t.slug != tag.slug && t.articles.len() > 1)
            .find(|t| close(&t.slug, &tag.slug));
        let location = format!("{}{line}", article.source.display());
        match similar {
            Some(other) => warnings.push(Problem {
                location,
                message: format!(
                    "tag \"{}\" is used by this article only: a typo for \"{}\"?",
                    tag.name, other.name
                ),
            }),
            None => {
                names.push(format!("\"{}\"", tag.name));
                notes.push(Problem {
                    location,
                    message: format!("tag \"{}\" is used by this article only", tag.name),
                })
            }
        }
    }
    warnings.sort();
    (warnings, once_used(notes, &names))
}

/// The notes of tags used once, as one line when there are several: a young site has many
/// (every story brings new tags), and a line each would bury the warnings.
fn once_used(notes: Vec<Problem>, names: &[String]) -> Vec<Problem> {
    if notes.len() < 2 {
        return notes;
    }
    vec![Problem {
        location: "tags".into(),
        message: format!(
            "{} used by one article only: {}",
            names.len(),
            names.join(", ")
        ),
    }]
}

/// The site's warnings that are problems for `check`: a lead image without alt text.
fn failing_warnings(site: &Site) -> impl Iterator<Item = Problem> + '_ {
    site.warnings
        .iter()
        .filter(|w| w.fails_check)
        .map(|w| Problem {
            location: w.file.display().to_string(),
            message: w.message.clone(),
        })
}

/// Whether two slugs differ by at most one edit (a likely typo).
fn close(a: &str, b: &str) -> bool {
    let (a, b): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
    if a.len().abs_diff(b.len()) > 1 {
        return false;
    }
    let prefix = a.iter().zip(&b).take_while(|(x, y)| x == y).count();
    let suffix = a[prefix..]
        .iter()
        .rev()
        .zip(b[prefix..].iter().rev())
        .take_while(|(x, y)| x == y)
        .count();
    a.len().max(b.len()) - prefix - suffix <= 1
}

/// The 1-based number of the first line of `text` containing `needle`.
fn line_of(text: &str, needle: &str) -> Option<usize> {
    text.lines().position(|l| l.contains(needle)).map(|i| i + 1)
}

/// Where a link should be fixed, for a link and the page it is on.
struct Locator<'a> {
    /// Each article's file and text, by index, then each page's.
    sources: &'a [(PathBuf, String)],
    /// How many of `sources` are articles'.
    articles: usize,
    theme: &'a Theme,
    base_url: &'a str,
}

impl Locator<'_> {
    /// The article's file and line when the article's own text has the link; else the
    /// template file and line that spell it out (the page's own template first, then the
    /// layouts and partials), as written or after `{{ site.base_url }}`; else the page
    /// and its template.
    fn locate(&self, job: &render::pages::Job, value: &str) -> String {
        let source = match job.page {
            Page::Article(i) => Some(i),
            Page::Page(i) => Some(self.articles + i),
            _ => None,
        };
        if let Some(i) = source
            && let Some((path, text)) = self.sources.get(i)
            && let Some(line) = line_of(text, value)
        {
            return format!("{}:{line}", path.display());
        }
        let own = job.template();
        let after_base = value
            .strip_prefix(self.base_url)
            .filter(|rest| rest.len() >= 4 && rest.bytes().any(|b| b.is_ascii_alphanumeric()));
        let templates = std::iter::once(own).chain(
            self.theme
                .texts
                .keys()
                .map(String::as_str)
                .filter(|name| *name != own),
        );
        for needle in std::iter::once(value).chain(after_base) {
            for name in templates.clone() {
                if let Some(line) = self.theme.texts.get(name).and_then(|t| line_of(t, needle)) {
                    return format!("{}:{line} (on /{})", self.theme.sources[name], job.path);
                }
            }
        }
        format!("/{} (template {own})", job.path)
    }
}

/// The ids and links of a page.
fn scan(html: &str) -> Scanned {
    let mut ids = HashSet::new();
    let mut links = Vec::new();
    for_each_attribute(html, |name, value, _| {
        match name.to_ascii_lowercase().as_str() {
            "id" | "name" => {
                ids.insert(value.to_string());
            }
            "href" => links.push((value.to_string(), "href")),
            "src" => links.push((value.to_string(), "src")),
            _ => {}
        }
    });
    Scanned { ids, links }
}

/// Requests every external URL (HEAD, then GET where HEAD is refused), eight at a time,
/// each with a 10 s timeout; returns one problem per URL that fails.
fn check_external(urls: &BTreeMap<String, String>) -> Vec<Problem> {
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .timeout_global(Some(Duration::from_secs(10)))
        .http_status_as_error(false)
        .build()
        .into();
    let pool = rayon::ThreadPoolBuilder::new().num_threads(8).build();
    let check = |(url, origin): (&String, &String)| -> Option<Problem> {
        let status = match agent.head(url).call() {
            Ok(r) if r.status().as_u16() < 400 => return None,
            Ok(r) if matches!(r.status().as_u16(), 405 | 403 | 501) => {
                agent.get(url).call().map(|r| r.status().as_u16())
            }
            Ok(r) => Ok(r.status().as_u16()),
            Err(e) => Err(e),
        };
        match status {
            Ok(code) if code < 400 => None,
            Ok(code) => Some(format!("external link {url} answers HTTP {code}")),
            Err(e) => Some(format!("external link {url} cannot be reached: {e}")),
        }
        .map(|message| Problem {
            location: origin.clone(),
            message,
        })
    };
    match pool {
        Ok(pool) => pool.install(|| urls.par_iter().filter_map(check).collect()),
        Err(_) => urls.iter().filter_map(check).collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_edit_apart() {
        assert!(close("rust", "rusts"));
        assert!(close("rust", "rost"));
        assert!(!close("rust", "go"));
        assert!(!close("rust", "ruby"));
    }

    #[test]
    fn pages_are_scanned_for_ids_and_links() {
        let s = scan(
            r#"<h2 id="a">x</h2><a href="/b/#c">y</a><img src="p.png"><code>href="no"</code>"#,
        );
        assert!(s.ids.contains("a"));
        assert_eq!(
            s.links,
            [("/b/#c".to_string(), "href"), ("p.png".to_string(), "src")]
        );
    }
}
