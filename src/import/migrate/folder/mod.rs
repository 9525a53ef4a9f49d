//! Hugo, Zola and Jekyll: a site folder → [`Harvest`].
//!
//! Every content file is read (TOML, YAML or JSON front matter), its old URL computed the
//! way its platform computes it (Hugo's `permalinks` and `url`, Zola's sections and
//! `path`, Jekyll's `permalink` styles and tokens), then its body's platform syntax —
//! shortcodes, Liquid tags, internal links — mapped where Gazette has an equivalent and
//! kept as written (and counted) where it has none. Two passes: links between pages need
//! every page's new place first.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use chrono::{DateTime, FixedOffset};
use rayon::prelude::*;
use serde_json::Value;

mod files;
mod hugo;
mod jekyll;
mod lists;
mod syntax;
mod urls;
mod zola;

use files::{collect, files_below, has_ext, rel_path};
use syntax::platform_syntax;
use urls::{dated_name, old_url};

use super::bounds::Bounds;
use super::headings;
use super::values;
use super::{
    Entry, Harvest, LeadImage, Platform, Profile, Redirect, SectionInfo, Skip, SourceFile, counted,
    html, unique,
};
use crate::hash::fnv1a;
use crate::import::ImportError;
use crate::urls::slug::slugify;

/// The old site: where its parts are and how it made URLs.
struct OldSite {
    platform: Platform,
    root: PathBuf,
    /// The site folder, outside which nothing is read.
    bounds: Bounds,
    content: PathBuf,
    config: Value,
    /// Jekyll's rules (collections, defaults, time zone…), for a Jekyll site.
    jekyll: Option<jekyll::Rules>,
    /// Hugo's settings, from all its configuration files (a Hugo site only).
    hugo: Option<hugo::Settings>,
}

impl OldSite {
    fn load(platform: Platform, root: &Path) -> Result<OldSite, ImportError> {
        if !root.is_dir() {
            return Err(ImportError::BadSource {
                path: root.to_path_buf(),
                reason: format!("must be the {} site's folder", platform.name()),
            });
        }
        let bounds = Bounds::new(root, "the site folder")?;
        if platform == Platform::Hugo {
            let settings = hugo::Settings::load(root, &bounds)?;
            return Ok(OldSite {
                platform,
                root: root.to_path_buf(),
                bounds,
                jekyll: None,
                content: root.join(&settings.content_dir),
                config: settings.config.clone(),
                hugo: Some(settings),
            });
        }
        let candidates: &[&str] = match platform {
            Platform::Zola => &["config.toml", "zola.toml"],
            _ => &["_config.yml", "_config.yaml", "_config.toml"],
        };
        let Some(file) = candidates
            .iter()
            .map(|c| root.join(c))
            .find(|p| p.is_file())
        else {
            return Err(ImportError::BadSource {
                path: root.to_path_buf(),
                reason: format!(
                    "has no {}: is it a {} site?",
                    candidates[..2].join(" or "),
                    platform.name()
                ),
            });
        };
        if let Err(outside) = bounds.resolve(&file) {
            return Err(ImportError::BadSource {
                reason: bounds.reason(&file, &outside),
                path: file,
            });
        }
        let config = values::config(&file)?;
        let content = match platform {
            Platform::Zola => root.join("content"),
            _ => root.to_path_buf(),
        };
        let jekyll = (platform == Platform::Jekyll)
            .then(|| jekyll::Rules::read(&config, &file, jekyll::site_data(root, &bounds)?))
            .transpose()?;
        Ok(OldSite {
            platform,
            root: root.to_path_buf(),
            bounds,
            content,
            config,
            jekyll,
            hugo: None,
        })
    }

    /// A path as messages show it: as the old site's folder was given, so one can open it.
    fn shown(&self, path: &Path) -> String {
        path.display().to_string()
    }

    /// A date of a page's front matter, as the platform reads it (Jekyll's in the site's
    /// time zone).
    fn date(&self, text: &str) -> Option<DateTime<FixedOffset>> {
        match &self.jekyll {
            Some(rules) => rules.date(text),
            None => values::date(text),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Post,
    Draft,
    Page,
    SectionIndex,
    /// A document of a Jekyll collection with pages (`_docs/x.md`); its first folder is
    /// the collection's.
    Document,
    /// A Jekyll page in HTML: the old theme's (home, archive…) unless it redirects.
    HtmlPage,
}

/// A content file of the old site.
#[derive(Debug, Clone)]
struct Source {
    file: PathBuf,
    shown: String,
    /// Folders between the content root and the file (for a bundle: its parent's).
    dirs: Vec<String>,
    /// The file's name without extension; a bundle's folder name.
    stem: String,
    /// The bundle's folder, for `index.md`.
    bundle: Option<PathBuf>,
    kind: Kind,
}

/// A source read: its front matter and body, and what the first pass decided.
struct Read {
    source: Source,
    fm: Value,
    body: String,
    html: bool,
    hash: u64,
    date: Option<DateTime<FixedOffset>>,
    slug: String,
    url: Option<String>,
    folder: String,
}

pub fn read(platform: Platform, root: &Path) -> Result<Harvest, ImportError> {
    let site = OldSite::load(platform, root)?;
    let mut harvest = Harvest {
        label: format!("{} site {}", platform.name(), root.display()),
        ..Harvest::default()
    };
    let sources = collect(&site, &mut harvest)?;
    // The first bad file in path order is the one reported, whatever thread finds it.
    let pages: Vec<Read> = crate::parallel::try_map(&sources, |s| first_pass(&site, s.clone()))?;
    // Where each page went, for links between them: by path below the content root.
    let places: Places = pages
        .iter()
        .filter(|r| r.source.kind != Kind::SectionIndex)
        .map(|r| {
            let rel = r
                .source
                .file
                .strip_prefix(&site.content)
                .unwrap_or(&r.source.file);
            let rel = rel.to_string_lossy().replace('\\', "/");
            let target = super::content_file(&r.folder, &r.slug, r.source.bundle.is_some());
            (rel, (r.url.clone(), target))
        })
        .collect();
    let (old_lists, list_redirects) = lists::of(&site, &pages);
    harvest.lists = old_lists;
    harvest.redirects = list_redirects;
    let authors = jekyll_authors(&site, &mut harvest.skipped)?;
    let made: Vec<Made> = pages
        .into_par_iter()
        .map(|r| second_pass(&site, r, &places, &authors))
        .collect();
    let mut redirects = Vec::new();
    for m in made {
        match m {
            Made::Redirect(redirect) => redirects.push(redirect),
            Made::Entry(entry, warnings) => {
                harvest.warnings.extend(warnings);
                harvest.entries.push(*entry);
            }
            Made::Section(section, warnings) => {
                harvest.warnings.extend(warnings);
                harvest.sections.push(section);
            }
            Made::Profile(profile) => harvest.profiles.push(profile),
            Made::Skip(skip) => harvest.skipped.push(skip),
        }
    }
    if let Some(rules) = &site.jekyll {
        rules.place_redirects(redirects, &mut harvest);
    }
    let mut used: Vec<String> = harvest
        .entries
        .iter()
        .flat_map(|e| e.authors.clone())
        .collect();
    used.sort();
    used.dedup();
    for name in used {
        if !harvest.profiles.iter().any(|p| p.name == name) {
            let bio = authors
                .values()
                .find(|(n, _)| *n == name)
                .and_then(|(_, b)| b.clone());
            harvest.profiles.push(Profile { name, bio });
        }
    }
    Ok(harvest)
}

fn first_pass(site: &OldSite, source: Source) -> Result<Read, ImportError> {
    let (text, hash) = read_text(&source.file)?;
    // Hugo and Zola find front matter after blank lines; Jekyll only at the first byte.
    let blank = match site.platform {
        Platform::Jekyll => 0,
        _ => {
            let space = text.len() - text.trim_start().len();
            text[..space].rfind('\n').map_or(0, |i| i + 1)
        }
    };
    let (fm, body) = match values::split(&text[blank..]) {
        Some(split) => (
            values::parse(
                split.format,
                split.front_matter,
                split.first_line + text[..blank].matches('\n').count(),
                &source.file,
            )?,
            split.body.to_string(),
        ),
        None => (Value::Object(Default::default()), text.clone()),
    };
    let fm = match &site.jekyll {
        Some(rules) => rules.front_matter(&rel_path(&source.file, &site.root), &source, fm),
        None => fm,
    };
    let html = has_ext(&source.file, &["html", "htm"]);
    if html {
        check_nesting(&source.file, &text, &body)?;
    }
    if source.kind == Kind::SectionIndex {
        return Ok(Read {
            source,
            fm,
            body,
            html,
            hash,
            date: None,
            slug: String::new(),
            url: None,
            folder: String::new(),
        });
    }
    let field = |keys: &[&str]| keys.iter().find_map(|k| values::text(fm.get(*k)));
    let (name_date, name) = match site.platform {
        Platform::Hugo => (None, source.stem.as_str()),
        Platform::Jekyll => site
            .jekyll
            .as_ref()
            .map_or((None, source.stem.as_str()), |rules| {
                rules.dated_name(&source)
            }),
        _ => dated_name(&source.stem),
    };
    let date = page_date(site, &source, &fm, name_date);
    let title = field(&["title"]).unwrap_or_default();
    let written_slug = field(&["slug"]);
    let name = site
        .jekyll
        .as_ref()
        .and_then(|_| jekyll::index_slug(&source, &title))
        .unwrap_or(name);
    let slug = super::slug_of(written_slug.as_deref().or(Some(name)), &title, "untitled");
    let url = old_url(
        site,
        &source,
        &fm,
        written_slug.as_deref(),
        name,
        &title,
        date,
    );
    let folder = folder_of(site, &source);
    Ok(Read {
        source,
        fm,
        body,
        html,
        hash,
        date,
        slug,
        url,
        folder,
    })
}

/// A content file's text and the hash of its bytes.
fn read_text(file: &Path) -> Result<(String, u64), ImportError> {
    let bytes = std::fs::read(file).map_err(|e| ImportError::Read {
        path: file.to_path_buf(),
        source: e,
    })?;
    let hash = fnv1a(&bytes);
    let text = String::from_utf8(bytes).map_err(|e| ImportError::BadSource {
        path: file.to_path_buf(),
        reason: format!(
            "not valid UTF-8 (byte {} is not part of a UTF-8 character)",
            e.utf8_error().valid_up_to()
        ),
    })?;
    Ok((text, hash))
}

/// A page's date: its front matter's, else its file name's, else (a Jekyll draft) its
/// file's time.
fn page_date(
    site: &OldSite,
    source: &Source,
    fm: &Value,
    name_date: Option<DateTime<FixedOffset>>,
) -> Option<DateTime<FixedOffset>> {
    // Hugo's own order for a page's date (its `[frontmatter] date` default) ends with
    // the last change.
    let date_keys: &[&str] = match site.platform {
        Platform::Hugo => &[
            "date",
            "publishDate",
            "pubdate",
            "published",
            "lastmod",
            "modified",
        ],
        _ => &["date", "publishDate", "pubdate", "published"],
    };
    date_keys
        .iter()
        .find_map(|k| values::text(fm.get(*k)))
        .and_then(|d| site.date(&d))
        .or(name_date)
        .or_else(|| {
            // Jekyll shows a draft at its file's time.
            (source.kind == Kind::Draft)
                .then(|| {
                    std::fs::metadata(&source.file)
                        .and_then(|m| m.modified())
                        .ok()
                })
                .flatten()
                .map(|t| {
                    let date = DateTime::<chrono::Utc>::from(t).fixed_offset();
                    site.jekyll
                        .as_ref()
                        .map_or(date, |rules| rules.in_zone(date))
                })
        })
}

/// The page's new folder: its folders slugified, Jekyll's pages in `pages/`.
fn folder_of(site: &OldSite, source: &Source) -> String {
    let mut folder: Vec<String> = source
        .dirs
        .iter()
        .map(|d| slugify(d))
        .filter(|d| !d.is_empty())
        .collect();
    // A Jekyll site that keeps its pages in a folder of their own (`pages/`, or `_pages/`
    // that `include` takes in) has them in `pages/` once, not `pages/pages/`.
    if source.kind == Kind::Page
        && site.platform == Platform::Jekyll
        && folder.first().is_none_or(|f| f != "pages")
    {
        folder.insert(0, "pages".into());
    }
    // Hugo themes often keep pages in `content/page/`: Gazette's `/page/` is its home
    // page's pagination, so they go to `pages/`.
    if folder.first().is_some_and(|f| f == "page") {
        folder[0] = "pages".into();
    }
    folder.join("/")
}

/// Refuses an HTML file whose markup nests deeper than anything reading it into a tree can
/// take ([`crate::nesting`]), naming the line (`body` ends `text`).
fn check_nesting(file: &Path, text: &str, body: &str) -> Result<(), ImportError> {
    crate::nesting::check_html_depth(body).map_err(|deep| {
        let body_line = 1 + text[..text.len() - body.len()].matches('\n').count();
        ImportError::BadSource {
            path: PathBuf::from(format!("{}:{}", file.display(), body_line + deep.line - 1)),
            reason: deep.to_string(),
        }
    })
}

/// Jekyll's `_data/authors.yml`: key → (name, bio).
fn jekyll_authors(site: &OldSite, skipped: &mut Vec<Skip>) -> Result<JekyllAuthors, ImportError> {
    let file = site.root.join("_data").join("authors.yml");
    if site.platform != Platform::Jekyll || !file.is_file() {
        return Ok(HashMap::new());
    }
    if let Err(outside) = site.bounds.resolve(&file) {
        skipped.push(site.bounds.skip(&file, &outside));
        return Ok(HashMap::new());
    }
    let data = values::config(&file)?;
    Ok(data
        .as_object()
        .map(|map| {
            map.iter()
                .map(|(key, v)| {
                    let name = values::text(v.get("name")).unwrap_or_else(|| key.clone());
                    let bio =
                        values::text(v.get("bio")).or_else(|| values::text(v.get("description")));
                    (key.clone(), (name, bio))
                })
                .collect()
        })
        .unwrap_or_default())
}

enum Made {
    Entry(Box<Entry>, Vec<String>),
    Redirect(Redirect),
    Section(SectionInfo, Vec<String>),
    Profile(Profile),
    Skip(Skip),
}

/// Front matter keys mapped to Gazette's own; the rest go to `[extra]`.
const MAPPED: &[&str] = &[
    "title",
    "date",
    "publishDate",
    "pubdate",
    "published",
    "lastmod",
    "modified",
    "updated",
    "last_modified_at",
    "slug",
    "url",
    "path",
    "permalink",
    "aliases",
    "redirect_from",
    "tags",
    "categories",
    "category",
    "taxonomies",
    "author",
    "authors",
    "draft",
    "description",
    "summary",
    "excerpt",
    "image",
    "images",
    "featured_image",
    "cover",
    "layout",
    "weight",
];

/// Where each page went, for links between them: by path below the content root, its old
/// URL and its new file.
type Places = HashMap<String, (Option<String>, String)>;

/// Jekyll's `_data/authors.yml`: key → (name, bio).
type JekyllAuthors = HashMap<String, (String, Option<String>)>;

/// A page's body made Gazette's: Markdown, made safe, with what sanitizing removed.
struct Body {
    markdown: String,
    unsafe_html: crate::sanitize::Removed,
}

fn second_pass(
    site: &OldSite,
    read: Read,
    places: &Places,
    jekyll_authors: &JekyllAuthors,
) -> Made {
    let Read {
        source,
        fm,
        body,
        html: is_html,
        hash,
        date,
        slug,
        url,
        folder,
    } = read;
    let field = |keys: &[&str]| keys.iter().find_map(|k| values::text(fm.get(*k)));
    if site.platform == Platform::Jekyll
        && let Some(made) = jekyll_redirect_or_theme_page(&source, &fm, url.as_deref())
    {
        return made;
    }
    let mut warnings = Vec::new();
    let body = body_of(site, &source, &body, is_html, places, &mut warnings);
    if source.kind == Kind::SectionIndex {
        return section_index(source, &fm, body, warnings);
    }
    if let Some(first) = folder.split('/').next()
        && crate::urls::is_reserved_slug(first)
    {
        return Made::Skip(Skip {
            origin: source.shown,
            reason: format!("below content/{first}/, which Gazette's own pages use"),
        });
    }
    let title = field(&["title"]).unwrap_or_default();
    let updated =
        field(&["lastmod", "modified", "updated", "last_modified_at"]).and_then(|d| site.date(&d));
    let draft = fm.get("draft").and_then(Value::as_bool).unwrap_or(false)
        || fm.get("published").and_then(Value::as_bool) == Some(false)
        || source.kind == Kind::Draft;
    let aliases = aliases_of(site, &fm, url.as_deref());
    let files = bundle_files(site, &source);
    let image = lead_image(site, &fm, &files, &source, &mut warnings);
    Made::Entry(
        Box::new(Entry {
            origin: source.shown.clone(),
            source_hash: hash,
            folder,
            slug,
            title,
            date,
            updated,
            draft,
            authors: authors_of(&fm, jekyll_authors),
            tags: tags_of(site, &fm),
            description: field(&["description", "summary", "excerpt"]),
            image,
            url,
            aliases,
            body: body.markdown,
            unsafe_html: body.unsafe_html,
            files,
            extra: extra_of(&fm, MAPPED),
            file: Some(SourceFile {
                below_content: rel_path(&source.file, &site.content),
                path: source.file,
            }),
            ..Entry::default()
        }),
        warnings,
    )
}

/// The body with the platform's syntax mapped, made safe (an HTML file whole, Markdown's
/// raw HTML and links), its headings keeping their old ids; warnings for what was kept
/// as written or lost.
fn body_of(
    site: &OldSite,
    source: &Source,
    body: &str,
    is_html: bool,
    places: &Places,
    warnings: &mut Vec<String>,
) -> Body {
    let (body, kept) = platform_syntax(site, source, body, places);
    if !kept.is_empty() {
        warnings.push(format!(
            "{}: {} syntax kept as written (pages show it as text): {}",
            source.shown,
            site.platform.name(),
            counted(&kept)
        ));
    }
    let (mut markdown, unsafe_html) = if is_html {
        html::to_markdown(&body)
    } else {
        super::safe_markdown::sanitize(&body)
    };
    if !is_html && let Some(rules) = &site.jekyll {
        markdown = rules.keep_heading_ids(&markdown);
    }
    if !is_html {
        let lost;
        (markdown, lost) = with_old_heading_ids(site, &markdown);
        if lost > 0 {
            warnings.push(format!(
                "{}: {} ids on the old site that a heading attribute cannot hold ({{#…}} with spaces or braces, or beside other attributes): links to them land at the top of the page",
                source.shown,
                crate::text::count(lost, "heading had", "headings had")
            ));
        }
    }
    Body {
        markdown,
        unsafe_html,
    }
}

/// A folder's list page (`_index.md`): a section's title and intro, an author's profile,
/// or skipped (the home page's, and deeper folders', Gazette makes by itself).
fn section_index(source: Source, fm: &Value, body: Body, mut warnings: Vec<String>) -> Made {
    let field = |keys: &[&str]| keys.iter().find_map(|k| values::text(fm.get(*k)));
    let reason = match source.dirs.len() {
        0 => "the home page's text: Gazette's home page is its theme's `index.html`",
        1 if !crate::urls::is_reserved_slug(&slugify(&source.dirs[0])) => {
            if !body.unsafe_html.is_empty() {
                warnings.push(super::unsafe_warning(
                    &source.shown,
                    None,
                    &body.unsafe_html,
                ));
            }
            return Made::Section(
                SectionInfo {
                    folder: slugify(&source.dirs[0]),
                    title: field(&["title"]).unwrap_or_else(|| source.dirs[0].clone()),
                    description: field(&["description", "summary"]),
                    intro: body.markdown,
                    weight: fm.get("weight").and_then(Value::as_i64),
                    extra: extra_of(fm, &["title", "description", "summary", "weight"]),
                },
                warnings,
            );
        }
        2 if slugify(&source.dirs[0]) == "authors" => {
            return Made::Profile(Profile {
                name: field(&["title", "name"]).unwrap_or_else(|| source.dirs[1].clone()),
                bio: Some(body.markdown.trim().to_string()).filter(|b| !b.is_empty()),
            });
        }
        _ => "a list page of a folder Gazette lists by itself (its articles are imported)",
    };
    Made::Skip(Skip {
        origin: source.shown,
        reason: reason.into(),
    })
}

/// Tags from tags and categories, wherever the platform keeps them (Jekyll's may be one
/// string of words).
fn tags_of(site: &OldSite, fm: &Value) -> Vec<String> {
    let taxonomies = fm.get("taxonomies");
    let split = site.platform == Platform::Jekyll;
    unique(
        values::list(fm.get("tags"), split)
            .into_iter()
            .chain(values::list(fm.get("categories"), split))
            .chain(values::list(fm.get("category"), false))
            .chain(values::list(taxonomies.and_then(|t| t.get("tags")), false))
            .chain(values::list(
                taxonomies.and_then(|t| t.get("categories")),
                false,
            )),
    )
}

/// The page's authors, by the names Jekyll's `_data/authors.yml` gives their keys.
fn authors_of(fm: &Value, jekyll_authors: &JekyllAuthors) -> Vec<String> {
    let taxonomies = fm.get("taxonomies");
    unique(
        values::list(fm.get("authors"), false)
            .into_iter()
            .chain(values::list(fm.get("author"), false))
            .chain(values::list(
                taxonomies.and_then(|t| t.get("authors")),
                false,
            ))
            .map(|a| jekyll_authors.get(&a).map_or(a, |(name, _)| name.clone())),
    )
}

/// The page's other old URLs (`aliases`, `redirect_from`), as paths of this site the way
/// the platform reads them.
fn aliases_of(site: &OldSite, fm: &Value, url: Option<&str>) -> Vec<String> {
    let mut aliases: Vec<String> = values::list(fm.get("aliases"), false)
        .into_iter()
        .chain(values::list(fm.get("redirect_from"), false))
        .map(|a| {
            let elsewhere = a.starts_with("//")
                || a.split_once(':').is_some_and(|(scheme, _)| {
                    !scheme.is_empty() && !scheme.contains(['/', '?', '#'])
                });
            if elsewhere {
                // Another site's URL, or a script: kept as written for the writer to
                // refuse, saying why, never turned into a path of this site.
                a
            } else if site.platform == Platform::Zola {
                // Zola answers an alias with a file only when it ends in `.html`; any
                // other is a folder (`releases/1.94.1` → `/releases/1.94.1/index.html`).
                zola_alias(&a)
            } else if site.platform == Platform::Jekyll {
                jekyll_alias(&a)
            } else if a.starts_with('/') {
                format!("/{}", a.trim_start_matches('/'))
            } else {
                // Hugo: a relative alias is relative to the folder the page's URL is in
                // (`legacy` beside `/2021/12/post/` is `/2021/12/legacy`).
                let url = url.unwrap_or("/");
                let parent = url
                    .trim_end_matches('/')
                    .rsplit_once('/')
                    .map_or("", |(p, _)| p);
                format!("{parent}/{a}")
            }
        })
        .filter_map(|a| super::decoded_path(&a))
        .collect();
    aliases.dedup();
    aliases
}

/// A bundle's other files, which go beside the article: (file, path in the bundle).
fn bundle_files(site: &OldSite, source: &Source) -> Vec<(PathBuf, String)> {
    let mut files = Vec::new();
    if let Some(bundle) = &source.bundle {
        // Its links leading out were said when its folder was walked.
        for file in files_below(bundle, &site.bounds, &mut Vec::new()).unwrap_or_default() {
            // A translation's `index.fr.md` is a page of its language, not a file.
            let translation = site.hugo.as_ref().is_some_and(|hugo| {
                matches!(hugo.language_of(&file), hugo::FileLanguage::Other(_))
                    && has_ext(&file, &["md", "markdown", "html", "htm"])
            });
            if file != source.file && !translation && !files::second_index(&file, bundle) {
                files.push((file.clone(), rel_path(&file, bundle)));
            }
        }
    }
    files
}

/// A Jekyll page that is no article: one with `redirect_to` (jekyll-redirect-from makes
/// it a redirect page, nothing else), an HTML page of the old theme, or the home page.
fn jekyll_redirect_or_theme_page(source: &Source, fm: &Value, url: Option<&str>) -> Option<Made> {
    let origin = source.shown.clone();
    if let Some(to) = values::list(fm.get("redirect_to"), false)
        .into_iter()
        .next()
    {
        return Some(match url {
            Some(from) => Made::Redirect(Redirect {
                origin,
                from: from.to_string(),
                to,
            }),
            None => Made::Skip(Skip {
                origin,
                reason: format!(
                    "redirects to {to}, but its own URL cannot be made from its permalink"
                ),
            }),
        });
    }
    let reason = match source.kind {
        Kind::HtmlPage => files::THEME_PAGE,
        Kind::Page if source.dirs.is_empty() && source.stem == "index" => {
            "the home page: Gazette's home page is its theme's `index.html`"
        }
        _ => return None,
    };
    Some(Made::Skip(Skip {
        origin,
        reason: reason.into(),
    }))
}

/// The file a Jekyll `redirect_from` is written to: jekyll-redirect-from gives the
/// redirect page that permalink, and Jekyll writes a permalink without a trailing `/` to
/// that path with `.html` added (`/haikus` → `haikus.html`, which static hosts serve at
/// `/haikus`), unless it ends in `.html` already.
fn jekyll_alias(alias: &str) -> String {
    let alias = format!("/{}", alias.trim().trim_start_matches('/'));
    if alias.ends_with('/') || alias.ends_with(".html") {
        alias
    } else {
        format!("{alias}.html")
    }
}

/// The URL a Zola alias answers: a file when it ends in `.html`, else a folder.
fn zola_alias(alias: &str) -> String {
    let alias = alias.trim().trim_matches('/');
    if alias.is_empty() {
        "/".into()
    } else if alias.ends_with(".html") {
        format!("/{alias}")
    } else {
        format!("/{alias}/")
    }
}

/// The body with each heading's id on the old site written where Gazette's would differ
/// (HTML content has only the ids its HTML gives), and how many could not be written.
fn with_old_heading_ids(site: &OldSite, body: &str) -> (String, usize) {
    match (site.platform, &site.hugo) {
        (Platform::Hugo, Some(hugo)) => match hugo.heading_ids {
            Some(kind) => headings::keep_ids(
                body,
                &headings::Rule {
                    id: &|h| Some(hugo::heading_id(&h.line, kind)),
                    written_first: false,
                },
            ),
            None => (body.to_string(), 0),
        },
        (Platform::Zola, _) => {
            let anchors = zola::Anchors::of(&site.config);
            headings::keep_ids(
                body,
                &headings::Rule {
                    id: &|h| anchors.id(&h.text),
                    written_first: true,
                },
            )
        }
        _ => (body.to_string(), 0),
    }
}

/// Front matter keys other than `mapped`, for `[extra]`; the source's own `extra` table is
/// merged in rather than nested.
fn extra_of(fm: &Value, mapped: &[&str]) -> toml::Table {
    let mut extra = toml::Table::new();
    for (key, value) in fm.as_object().into_iter().flatten() {
        if mapped.contains(&key.as_str()) {
            continue;
        }
        match to_toml(value) {
            Some(toml::Value::Table(t)) if key == "extra" => extra.extend(t),
            Some(v) => {
                extra.insert(key.clone(), v);
            }
            None => {}
        }
    }
    extra
}

fn to_toml(value: &Value) -> Option<toml::Value> {
    Some(match value {
        Value::Null => return None,
        Value::Bool(b) => toml::Value::Boolean(*b),
        Value::Number(n) => n
            .as_i64()
            .map(toml::Value::Integer)
            .or_else(|| n.as_f64().map(toml::Value::Float))?,
        Value::String(s) => toml::Value::String(s.clone()),
        Value::Array(a) => toml::Value::Array(a.iter().filter_map(to_toml).collect()),
        Value::Object(o) => toml::Value::Table(
            o.iter()
                .filter_map(|(k, v)| Some((k.clone(), to_toml(v)?)))
                .collect(),
        ),
    })
}

/// The lead image the front matter names (`image`, `images`, `featured_image`,
/// `cover.image`, Zola's `extra.image`), when Gazette can find it: a file of the bundle,
/// a file of the old site's static files, or a URL.
fn lead_image(
    site: &OldSite,
    fm: &Value,
    files: &[(PathBuf, String)],
    source: &Source,
    warnings: &mut Vec<String>,
) -> Option<LeadImage> {
    let candidates = [
        fm.get("image").and_then(|v| v.get("path").or(Some(v))),
        fm.get("images").and_then(|v| v.get(0).or(Some(v))),
        fm.get("featured_image"),
        fm.get("cover").and_then(|v| v.get("image").or(Some(v))),
        fm.get("extra").and_then(|e| e.get("image")),
    ];
    let src = candidates.into_iter().find_map(values::text)?;
    let alt = ["image_alt", "alt"]
        .iter()
        .find_map(|k| values::text(fm.get(*k)))
        .or_else(|| fm.get("cover").and_then(|c| values::text(c.get("alt"))));
    if src.starts_with("http://") || src.starts_with("https://") {
        return Some(LeadImage {
            src,
            alt,
            caption: None,
        });
    }
    let relative = src.trim_start_matches("./");
    if !src.starts_with('/') && files.iter().any(|(_, name)| name == relative) {
        return Some(LeadImage {
            src: relative.to_string(),
            alt,
            caption: None,
        });
    }
    let static_dir = match site.platform {
        Platform::Jekyll => site.root.clone(),
        _ => site.root.join("static"),
    };
    let under = src.trim_start_matches('/');
    if !under.split('/').any(|s| s == "..") && site.bounds.is_file(&static_dir.join(under)) {
        return Some(LeadImage {
            src: format!("/{under}"),
            alt,
            caption: None,
        });
    }
    warnings.push(format!(
        "{}: its image {src:?} is not a file of the site: kept in `extra.image` (set `image` once the file is in place)",
        source.shown
    ));
    None
}
