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

use chrono::{DateTime, Datelike, FixedOffset, Timelike};
use rayon::prelude::*;
use serde_json::Value;
use walkdir::WalkDir;

use super::values;
use super::{
    Entry, Harvest, LeadImage, Platform, Profile, SectionInfo, Skip, counted, html, unique,
};
use crate::content::slug::slugify;
use crate::hash::fnv1a;
use crate::import::ImportError;

/// Files of a Jekyll site that are its machinery, never published.
const JEKYLL_MACHINERY: &[&str] = &[
    "Gemfile",
    "Gemfile.lock",
    "_config.yml",
    "_config.yaml",
    "package.json",
    "package-lock.json",
    "README.md",
    "README",
    "LICENSE",
    "LICENSE.md",
    "Rakefile",
];

/// The old site: where its parts are and how it made URLs.
struct OldSite {
    platform: Platform,
    root: PathBuf,
    content: PathBuf,
    config: Value,
}

impl OldSite {
    fn load(platform: Platform, root: &Path) -> Result<OldSite, ImportError> {
        if !root.is_dir() {
            return Err(ImportError::BadSource {
                path: root.to_path_buf(),
                reason: format!("must be the {} site's folder", platform.name()),
            });
        }
        let candidates: &[&str] = match platform {
            Platform::Hugo => &[
                "hugo.toml",
                "hugo.yaml",
                "hugo.yml",
                "hugo.json",
                "config.toml",
                "config.yaml",
                "config.yml",
                "config.json",
            ],
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
        let config = values::config(&file)?;
        let content = match platform {
            Platform::Hugo => {
                root.join(values::text(config.get("contentDir")).unwrap_or("content".into()))
            }
            Platform::Zola => root.join("content"),
            _ => root.to_path_buf(),
        };
        Ok(OldSite {
            platform,
            root: root.to_path_buf(),
            content,
            config,
        })
    }

    /// A path as messages show it: as the old site's folder was given, so one can open it.
    fn shown(&self, path: &Path) -> String {
        path.display().to_string()
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Post,
    Draft,
    Page,
    SectionIndex,
}

/// A content file of the old site.
#[derive(Debug)]
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
    let reads: Vec<Result<Option<Read>, ImportError>> = sources
        .into_par_iter()
        .map(|s| first_pass(&site, s))
        .collect();
    let mut pages = Vec::new();
    for r in reads {
        if let Some(read) = r? {
            pages.push(read);
        }
    }
    // Where each page went, for links between them: by path below the content root.
    let places: HashMap<String, (Option<String>, String)> = pages
        .iter()
        .map(|r| {
            let rel = r
                .source
                .file
                .strip_prefix(&site.content)
                .unwrap_or(&r.source.file);
            let rel = rel.to_string_lossy().replace('\\', "/");
            let target = format!(
                "{}{}{}",
                r.folder,
                if r.folder.is_empty() { "" } else { "/" },
                if r.source.bundle.is_some() {
                    format!("{}/index.md", r.slug)
                } else {
                    format!("{}.md", r.slug)
                }
            );
            (rel, (r.url.clone(), target))
        })
        .collect();
    let authors = jekyll_authors(&site)?;
    let made: Vec<Made> = pages
        .into_par_iter()
        .map(|r| second_pass(&site, r, &places, &authors))
        .collect();
    for m in made {
        match m {
            Made::Entry(entry, warnings) => {
                harvest.warnings.extend(warnings);
                harvest.entries.push(*entry);
            }
            Made::Section(section) => harvest.sections.push(section),
            Made::Profile(profile) => harvest.profiles.push(profile),
            Made::Skip(skip) => harvest.skipped.push(skip),
        }
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

/// Every file of the old site that matters, in path order: content files as [`Source`]s,
/// the rest into `harvest` as static files or skips.
fn collect(site: &OldSite, harvest: &mut Harvest) -> Result<Vec<Source>, ImportError> {
    let mut sources = Vec::new();
    if site.platform != Platform::Jekyll {
        let static_dir = site.root.join(match site.platform {
            Platform::Hugo => values::text(site.config.get("staticDir")).unwrap_or("static".into()),
            _ => "static".into(),
        });
        for file in files_below(&static_dir)? {
            let rel = rel_path(&file, &static_dir);
            harvest.statics.push((file, rel));
        }
        if !site.content.is_dir() {
            return Err(ImportError::BadSource {
                path: site.content.clone(),
                reason: "the site's content folder is missing".into(),
            });
        }
        let files = files_below(&site.content)?;
        let bundles: Vec<PathBuf> = files
            .iter()
            .filter(|f| is_named(f, "index"))
            .filter_map(|f| f.parent().map(Path::to_path_buf))
            .collect();
        for file in files {
            let rel = rel_path(&file, &site.content);
            let in_bundle = bundles.iter().find(|b| file.starts_with(b));
            let is_markdown = has_ext(&file, &["md", "markdown", "html", "htm"]);
            if is_named(&file, "index") && is_markdown {
                let bundle = file.parent().expect("in a folder").to_path_buf();
                let mut dirs = dirs_of(&rel);
                let stem = dirs.pop().unwrap_or_default();
                sources.push(Source {
                    shown: site.shown(&file),
                    file,
                    dirs,
                    stem,
                    bundle: Some(bundle),
                    kind: Kind::Page,
                });
            } else if in_bundle.is_some() {
                // A file of a bundle: copied with its article.
            } else if is_named(&file, "_index") && is_markdown {
                sources.push(Source {
                    shown: site.shown(&file),
                    dirs: dirs_of(&rel),
                    stem: "_index".into(),
                    file,
                    bundle: None,
                    kind: Kind::SectionIndex,
                });
            } else if is_markdown {
                let stem = file
                    .file_stem()
                    .map(|s| s.to_string_lossy().into_owned())
                    .unwrap_or_default();
                sources.push(Source {
                    shown: site.shown(&file),
                    dirs: dirs_of(&rel),
                    stem,
                    file,
                    bundle: None,
                    kind: Kind::Page,
                });
            } else {
                // Zola and Hugo publish a loose file of content/ at its path.
                harvest.statics.push((file, rel));
            }
        }
        return Ok(sources);
    }

    // Jekyll: `_posts` (anywhere: the folders above are categories), `_drafts`, pages
    // with front matter, and every other file published as it is.
    let excluded: Vec<String> = values::list(site.config.get("exclude"), false);
    let walker = WalkDir::new(&site.root)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| {
            let name = e.file_name().to_string_lossy();
            e.depth() == 0
                || !(name.starts_with('.')
                    || (name.starts_with('_')
                        && e.file_type().is_dir()
                        && name != "_posts"
                        && name != "_drafts")
                    || ["node_modules", "vendor", "_site"].contains(&name.as_ref())
                    || excluded.iter().any(|x| x.trim_matches('/') == name))
        });
    for entry in walker {
        let entry = entry.map_err(|e| ImportError::Read {
            path: e.path().map(Path::to_path_buf).unwrap_or_default(),
            source: e
                .into_io_error()
                .unwrap_or_else(|| std::io::Error::other("a link loop")),
        })?;
        if !entry.file_type().is_file() {
            continue;
        }
        let file = entry.into_path();
        let rel = rel_path(&file, &site.root);
        let dirs = dirs_of(&rel);
        let name = file
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        if dirs.is_empty()
            && (JEKYLL_MACHINERY.contains(&name.as_str()) || name.ends_with(".gemspec"))
        {
            continue;
        }
        let stem = file
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default();
        let is_text = has_ext(&file, &["md", "markdown", "mkd", "html", "htm"]);
        let shown = site.shown(&file);
        if let Some(i) = dirs.iter().position(|d| d == "_posts" || d == "_drafts") {
            if !is_text {
                harvest.statics.push((file, rel));
                continue;
            }
            let kind = if dirs[i] == "_drafts" {
                Kind::Draft
            } else {
                Kind::Post
            };
            sources.push(Source {
                shown,
                file,
                dirs: dirs[..i].to_vec(),
                stem,
                bundle: None,
                kind,
            });
            continue;
        }
        let has_front_matter = std::fs::read(&file)
            .map(|b| b.starts_with(b"---"))
            .unwrap_or(false);
        if !has_front_matter {
            harvest.statics.push((file, rel));
        } else if has_ext(&file, &["md", "markdown", "mkd"]) {
            sources.push(Source {
                shown,
                file,
                dirs,
                stem,
                bundle: None,
                kind: Kind::Page,
            });
        } else {
            harvest.skipped.push(Skip {
                origin: shown,
                reason: "a page the old site's templates make (home, archive, feed, stylesheet): Gazette's theme makes its own".into(),
            });
        }
    }
    Ok(sources)
}

fn files_below(dir: &Path) -> Result<Vec<PathBuf>, ImportError> {
    if !dir.is_dir() {
        return Ok(Vec::new());
    }
    let mut files = Vec::new();
    for entry in WalkDir::new(dir).sort_by_file_name().follow_links(true) {
        let entry = entry.map_err(|e| ImportError::Read {
            path: e
                .path()
                .map(Path::to_path_buf)
                .unwrap_or_else(|| dir.to_path_buf()),
            source: e
                .into_io_error()
                .unwrap_or_else(|| std::io::Error::other("a link loop")),
        })?;
        let hidden = entry.file_name().to_string_lossy().starts_with('.');
        if entry.file_type().is_file() && !hidden {
            files.push(entry.into_path());
        }
    }
    Ok(files)
}

fn rel_path(file: &Path, base: &Path) -> String {
    file.strip_prefix(base)
        .unwrap_or(file)
        .to_string_lossy()
        .replace('\\', "/")
}

fn dirs_of(rel: &str) -> Vec<String> {
    let mut parts: Vec<String> = rel.split('/').map(str::to_string).collect();
    parts.pop();
    parts
}

fn is_named(file: &Path, stem: &str) -> bool {
    file.file_stem().is_some_and(|s| s == stem)
}

fn has_ext(file: &Path, exts: &[&str]) -> bool {
    file.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| exts.iter().any(|x| e.eq_ignore_ascii_case(x)))
}

/// `2024-01-02-hello` → (2024-01-02, "hello"), as Jekyll and Zola name dated files.
fn dated_name(stem: &str) -> (Option<DateTime<FixedOffset>>, &str) {
    if stem.len() > 11
        && stem.is_char_boundary(10)
        && matches!(stem.as_bytes()[10], b'-' | b'_')
        && let Some(d) = values::date(&stem[..10])
    {
        return (Some(d), &stem[11..]);
    }
    (None, stem)
}

fn first_pass(site: &OldSite, source: Source) -> Result<Option<Read>, ImportError> {
    let bytes = std::fs::read(&source.file).map_err(|e| ImportError::Read {
        path: source.file.clone(),
        source: e,
    })?;
    let hash = fnv1a(&bytes);
    let text = String::from_utf8(bytes).map_err(|e| ImportError::BadSource {
        path: source.file.clone(),
        reason: format!(
            "not valid UTF-8 (byte {} is not part of a UTF-8 character)",
            e.utf8_error().valid_up_to()
        ),
    })?;
    let (fm, body) = match values::split(&text) {
        Some(split) => (
            values::parse(
                split.format,
                split.front_matter,
                split.first_line,
                &source.file,
            )?,
            split.body.to_string(),
        ),
        None => (Value::Object(Default::default()), text.clone()),
    };
    let html = has_ext(&source.file, &["html", "htm"]);
    if source.kind == Kind::SectionIndex {
        return Ok(Some(Read {
            source,
            fm,
            body,
            html,
            hash,
            date: None,
            slug: String::new(),
            url: None,
            folder: String::new(),
        }));
    }
    let field = |keys: &[&str]| keys.iter().find_map(|k| values::text(fm.get(*k)));
    let (name_date, name) = match site.platform {
        Platform::Hugo => (None, source.stem.as_str()),
        _ => dated_name(&source.stem),
    };
    let date = field(&["date", "publishDate", "pubdate", "published"])
        .and_then(|d| values::date(&d))
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
                .map(|t| DateTime::<chrono::Utc>::from(t).fixed_offset())
        });
    let title = field(&["title"]).unwrap_or_default();
    let written_slug = field(&["slug"]);
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
    let mut folder: Vec<String> = source
        .dirs
        .iter()
        .map(|d| slugify(d))
        .filter(|d| !d.is_empty())
        .collect();
    if source.kind == Kind::Page && site.platform == Platform::Jekyll {
        folder.insert(0, "pages".into());
    }
    Ok(Some(Read {
        source,
        fm,
        body,
        html,
        hash,
        date,
        slug,
        url,
        folder: folder.join("/"),
    }))
}

/// The URL the old site gave a page.
fn old_url(
    site: &OldSite,
    source: &Source,
    fm: &Value,
    written_slug: Option<&str>,
    name: &str,
    title: &str,
    date: Option<DateTime<FixedOffset>>,
) -> Option<String> {
    let root_path = |p: &str| format!("/{}", p.trim_start_matches('/'));
    match site.platform {
        Platform::Hugo => {
            if let Some(url) = values::text(fm.get("url")) {
                return Some(root_path(&url));
            }
            let section = source.dirs.first().map(String::as_str).unwrap_or("");
            let permalinks = site.config.get("permalinks");
            let pattern = permalinks
                .and_then(|p| {
                    p.get("page")
                        .and_then(|p| p.get(section))
                        .or_else(|| p.get(section))
                })
                .and_then(|p| values::text(Some(p)));
            let slug = written_slug
                .map(hugo_urlize)
                .unwrap_or_else(|| hugo_urlize(title));
            let lower = !site
                .config
                .get("disablePathToLower")
                .and_then(Value::as_bool)
                .unwrap_or(false);
            let path = match pattern {
                Some(pattern) => expand(&pattern, date, &|token| match token {
                    "slug" => Some(slug.clone()),
                    "title" => Some(hugo_urlize(title)),
                    "filename" | "contentbasename" => Some(hugo_urlize(name)),
                    "slugorfilename" | "slugorcontentbasename" => Some(
                        written_slug
                            .map(hugo_urlize)
                            .unwrap_or_else(|| hugo_urlize(name)),
                    ),
                    "section" => Some(section.to_string()),
                    "sections" => Some(source.dirs.join("/")),
                    _ => None,
                })?,
                None => {
                    let last = written_slug.unwrap_or(name);
                    let mut parts = source.dirs.clone();
                    parts.push(hugo_urlize(last));
                    let ugly = site
                        .config
                        .get("uglyURLs")
                        .and_then(Value::as_bool)
                        .unwrap_or(false);
                    if ugly {
                        format!("/{}.html", parts.join("/"))
                    } else {
                        format!("/{}/", parts.join("/"))
                    }
                }
            };
            Some(if lower { path.to_lowercase() } else { path })
        }
        Platform::Zola => {
            if let Some(path) = values::text(fm.get("path")) {
                let trimmed = path.trim_matches('/');
                return Some(if trimmed.contains('.') {
                    format!("/{trimmed}")
                } else {
                    format!("/{trimmed}/")
                });
            }
            let slug = slugify(written_slug.unwrap_or(name));
            let mut parts = source.dirs.clone();
            parts.push(slug);
            Some(format!("/{}/", parts.join("/")))
        }
        Platform::Jekyll => {
            let template = values::text(fm.get("permalink")).unwrap_or_else(|| {
                let style = values::text(site.config.get("permalink")).unwrap_or("date".into());
                let pretty = style == "pretty" || style.ends_with('/');
                if source.kind == Kind::Page {
                    return if pretty {
                        "/:path/:basename/".into()
                    } else {
                        "/:path/:basename:output_ext".into()
                    };
                }
                match style.as_str() {
                    "date" => "/:categories/:year/:month/:day/:title:output_ext".into(),
                    "pretty" => "/:categories/:year/:month/:day/:title/".into(),
                    "ordinal" => "/:categories/:year/:y_day/:title:output_ext".into(),
                    "weekdate" => "/:categories/:year/W:week/:short_day/:title:output_ext".into(),
                    "none" => "/:categories/:title:output_ext".into(),
                    custom => custom.to_string(),
                }
            });
            let mut categories: Vec<String> = source.dirs.clone();
            for c in values::list(fm.get("categories"), true)
                .into_iter()
                .chain(values::list(fm.get("category"), false))
            {
                if !categories.contains(&c) {
                    categories.push(c);
                }
            }
            let categories: Vec<String> = categories.iter().map(|c| c.to_lowercase()).collect();
            let title_part = written_slug.unwrap_or(name).to_string();
            let path = expand(&template, date, &|token| match token {
                "title" => Some(title_part.clone()),
                "slug" => Some(slugify(&title_part)),
                "name" | "basename" => Some(source.stem.clone()),
                "categories" => Some(categories.join("/")),
                "output_ext" => Some(".html".into()),
                "path" => Some(source.dirs.join("/")),
                _ => None,
            })?;
            Some(path)
        }
        Platform::Wordpress => None,
    }
}

/// Hugo's `urlize`, as far as URLs go: lowercase later, spaces to hyphens, letters,
/// digits, `-`, `_` and `.` kept.
fn hugo_urlize(text: &str) -> String {
    let mut out = String::new();
    for c in text.trim().chars() {
        if c.is_alphanumeric() || "-_.".contains(c) {
            out.push(c);
        } else if c.is_whitespace() && !out.ends_with('-') {
            out.push('-');
        }
    }
    out.trim_matches('-').to_string()
}

/// Expands a permalink pattern's `:token`s; date tokens from `date`, the rest from
/// `lookup`. Empty segments (no categories) are dropped, as both platforms do.
fn expand(
    pattern: &str,
    date: Option<DateTime<FixedOffset>>,
    lookup: &dyn Fn(&str) -> Option<String>,
) -> Option<String> {
    let mut out = String::new();
    let mut rest = pattern;
    while let Some(at) = rest.find(':') {
        out.push_str(&rest[..at]);
        let after = &rest[at + 1..];
        let len = after
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
            .unwrap_or(after.len());
        let token = &after[..len];
        let value = match (token, date) {
            ("year", Some(d)) => format!("{:04}", d.year()),
            ("short_year", Some(d)) => format!("{:02}", d.year() % 100),
            ("month", Some(d)) => format!("{:02}", d.month()),
            ("i_month", Some(d)) => d.month().to_string(),
            ("monthname", Some(d)) => d.format("%B").to_string().to_lowercase(),
            ("day", Some(d)) => format!("{:02}", d.day()),
            ("i_day", Some(d)) => d.day().to_string(),
            ("y_day" | "yearday", Some(d)) => format!("{:03}", d.ordinal()),
            ("hour", Some(d)) => format!("{:02}", d.hour()),
            ("minute", Some(d)) => format!("{:02}", d.minute()),
            ("second", Some(d)) => format!("{:02}", d.second()),
            ("week", Some(d)) => format!("{:02}", d.iso_week().week()),
            ("short_day", Some(d)) => d.format("%a").to_string(),
            ("weekday", Some(d)) => d.weekday().num_days_from_sunday().to_string(),
            ("weekdayname", Some(d)) => d.format("%A").to_string().to_lowercase(),
            _ => lookup(token)?,
        };
        out.push_str(&value);
        rest = &after[len..];
    }
    out.push_str(rest);
    // Collapse the `//` an empty token leaves.
    let mut collapsed = String::with_capacity(out.len());
    for c in out.chars() {
        if !(c == '/' && collapsed.ends_with('/')) {
            collapsed.push(c);
        }
    }
    if !collapsed.starts_with('/') {
        collapsed.insert(0, '/');
    }
    Some(collapsed)
}

/// Jekyll's `_data/authors.yml`: key → (name, bio).
fn jekyll_authors(
    site: &OldSite,
) -> Result<HashMap<String, (String, Option<String>)>, ImportError> {
    let file = site.root.join("_data").join("authors.yml");
    if site.platform != Platform::Jekyll || !file.is_file() {
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
    Section(SectionInfo),
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

fn second_pass(
    site: &OldSite,
    read: Read,
    places: &HashMap<String, (Option<String>, String)>,
    jekyll_authors: &HashMap<String, (String, Option<String>)>,
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
    let mut warnings = Vec::new();
    let (mut body, kept) = platform_syntax(site, &source, &body, places);
    if !kept.is_empty() {
        warnings.push(format!(
            "{}: {} syntax kept as written (pages show it as text): {}",
            source.shown,
            site.platform.name(),
            counted(&kept)
        ));
    }
    if is_html {
        let (markdown, scripts) = html::to_markdown(&body);
        body = markdown;
        if scripts > 0 {
            warnings.push(format!(
                "{}: {scripts} <script>, <style> or <noscript> elements left out of the text",
                source.shown
            ));
        }
    }

    if source.kind == Kind::SectionIndex {
        let reason = match source.dirs.len() {
            0 => "the home page's text: Gazette's home page is its theme's `index.html`",
            1 if !crate::content::is_reserved_slug(&slugify(&source.dirs[0])) => {
                return Made::Section(SectionInfo {
                    folder: slugify(&source.dirs[0]),
                    title: field(&["title"]).unwrap_or_else(|| source.dirs[0].clone()),
                    description: field(&["description", "summary"]),
                    intro: body,
                });
            }
            2 if slugify(&source.dirs[0]) == "authors" => {
                return Made::Profile(Profile {
                    name: field(&["title", "name"]).unwrap_or_else(|| source.dirs[1].clone()),
                    bio: Some(body.trim().to_string()).filter(|b| !b.is_empty()),
                });
            }
            _ => "a list page of a folder Gazette lists by itself (its articles are imported)",
        };
        return Made::Skip(Skip {
            origin: source.shown,
            reason: reason.into(),
        });
    }
    if let Some(first) = folder.split('/').next()
        && crate::content::is_reserved_slug(first)
    {
        return Made::Skip(Skip {
            origin: source.shown,
            reason: format!("below content/{first}/, which Gazette's own pages use"),
        });
    }

    let title = field(&["title"]).unwrap_or_default();
    let updated = field(&["lastmod", "modified", "updated", "last_modified_at"])
        .and_then(|d| values::date(&d));
    let draft = fm.get("draft").and_then(Value::as_bool).unwrap_or(false)
        || fm.get("published").and_then(Value::as_bool) == Some(false)
        || source.kind == Kind::Draft;
    let taxonomies = fm.get("taxonomies");
    let split = site.platform == Platform::Jekyll;
    let tags = unique(
        values::list(fm.get("tags"), split)
            .into_iter()
            .chain(values::list(fm.get("categories"), split))
            .chain(values::list(fm.get("category"), false))
            .chain(values::list(taxonomies.and_then(|t| t.get("tags")), false))
            .chain(values::list(
                taxonomies.and_then(|t| t.get("categories")),
                false,
            )),
    );
    let authors = unique(
        values::list(fm.get("authors"), false)
            .into_iter()
            .chain(values::list(fm.get("author"), false))
            .chain(values::list(
                taxonomies.and_then(|t| t.get("authors")),
                false,
            ))
            .map(|a| jekyll_authors.get(&a).map_or(a, |(name, _)| name.clone())),
    );
    let mut aliases: Vec<String> = values::list(fm.get("aliases"), false)
        .into_iter()
        .chain(values::list(fm.get("redirect_from"), false))
        .map(|a| {
            if a.starts_with('/') || site.platform != Platform::Hugo {
                format!("/{}", a.trim_start_matches('/'))
            } else {
                // Hugo: a relative alias is relative to the page's folder.
                format!("/{}/{a}", source.dirs.join("/")).replace("//", "/")
            }
        })
        .filter_map(|a| super::decoded_path(&a))
        .collect();
    aliases.dedup();

    let mut files = Vec::new();
    if let Some(bundle) = &source.bundle {
        for file in files_below(bundle).unwrap_or_default() {
            if file != source.file {
                files.push((file.clone(), rel_path(&file, bundle)));
            }
        }
    }
    let image = lead_image(site, &fm, &files, &source, &mut warnings);
    let mut extra = toml::Table::new();
    if let Some(map) = fm.as_object() {
        for (key, value) in map {
            if MAPPED.contains(&key.as_str()) {
                continue;
            }
            if let Some(v) = to_toml(value) {
                if key == "extra"
                    && let toml::Value::Table(t) = v
                {
                    extra.extend(t);
                } else {
                    extra.insert(key.clone(), v);
                }
            }
        }
    }
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
            authors,
            tags,
            description: field(&["description", "summary", "excerpt"]),
            image,
            url,
            aliases,
            body,
            files,
            extra,
        }),
        warnings,
    )
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
    if !under.split('/').any(|s| s == "..") && static_dir.join(under).is_file() {
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

/// The body with the platform's own syntax mapped where Gazette has an equivalent; the
/// names of what was kept as written.
fn platform_syntax(
    site: &OldSite,
    source: &Source,
    body: &str,
    places: &HashMap<String, (Option<String>, String)>,
) -> (String, Vec<String>) {
    let mut kept = Vec::new();
    let dir = source
        .file
        .parent()
        .and_then(|d| d.strip_prefix(&site.content).ok())
        .map(|d| d.to_string_lossy().replace('\\', "/"))
        .unwrap_or_default();
    let find_page = |target: &str| -> Option<&(Option<String>, String)> {
        let target = target.trim().trim_matches('"');
        let (path, _) = target.split_once('#').unwrap_or((target, ""));
        let path = path.trim_start_matches('/');
        let relative = if dir.is_empty() {
            path.to_string()
        } else {
            format!("{dir}/{path}")
        };
        places
            .get(path)
            .or_else(|| places.get(&relative))
            .or_else(|| {
                places
                    .iter()
                    .find(|(k, _)| {
                        k.ends_with(&format!("/{path}")) || k.ends_with(&format!("/{path}.md"))
                    })
                    .map(|(_, v)| v)
            })
    };
    let anchor = |target: &str| {
        target
            .trim()
            .trim_matches('"')
            .split_once('#')
            .map(|(_, a)| format!("#{a}"))
            .unwrap_or_default()
    };
    let text = match site.platform {
        Platform::Hugo => {
            let mut out = String::with_capacity(body.len());
            let mut rest = body;
            while let Some(open) = rest.find("{{<").into_iter().chain(rest.find("{{%")).min() {
                out.push_str(&rest[..open]);
                let close_mark = if rest[open..].starts_with("{{<") {
                    ">}}"
                } else {
                    "%}}"
                };
                let Some(end) = rest[open..].find(close_mark) else {
                    out.push_str(&rest[open..]);
                    rest = "";
                    break;
                };
                let inner = rest[open + 3..open + end].trim();
                let whole = &rest[open..open + end + 3];
                rest = &rest[open + end + 3..];
                let name = inner.split_whitespace().next().unwrap_or("");
                let (attrs, positional) = shortcode_args(inner[name.len()..].trim());
                let arg = |key: &str, index: usize| {
                    attrs
                        .iter()
                        .find(|(k, _)| k == key)
                        .map(|(_, v)| v.clone())
                        .or_else(|| positional.get(index).cloned())
                };
                let mapped = match name {
                    "figure" => arg("src", 0).map(|src| {
                        let alt = arg("alt", 99).or(arg("title", 99)).unwrap_or_default();
                        let caption = arg("caption", 99)
                            .map(|c| format!("\n\n*{c}*"))
                            .unwrap_or_default();
                        format!("![{alt}]({src}){caption}")
                    }),
                    "youtube" => arg("id", 0).map(|id| {
                        embed(
                            &format!("https://www.youtube-nocookie.com/embed/{id}"),
                            "YouTube video",
                        )
                    }),
                    "vimeo" => arg("id", 0).map(|id| {
                        embed(
                            &format!("https://player.vimeo.com/video/{id}"),
                            "Vimeo video",
                        )
                    }),
                    "tweet" | "x" | "twitter" => match (arg("user", 0), arg("id", 1)) {
                        (Some(user), Some(id)) => {
                            Some(format!("<https://x.com/{user}/status/{id}>"))
                        }
                        _ => None,
                    },
                    "gist" => match (arg("user", 0), arg("id", 1)) {
                        (Some(user), Some(id)) => {
                            Some(format!("<https://gist.github.com/{user}/{id}>"))
                        }
                        _ => None,
                    },
                    "highlight" => {
                        let lang = positional.first().cloned().unwrap_or_default();
                        let closing = "/highlight";
                        match find_closing(rest, closing) {
                            Some((code, after)) => {
                                let fenced = format!("```{lang}\n{}\n```", code.trim_matches('\n'));
                                rest = after;
                                Some(fenced)
                            }
                            None => None,
                        }
                    }
                    "ref" | "relref" => positional.first().and_then(|t| {
                        find_page(t)
                            .and_then(|(url, _)| url.clone())
                            .map(|u| format!("{u}{}", anchor(t)))
                    }),
                    _ => None,
                };
                match mapped {
                    Some(text) => out.push_str(&text),
                    None => {
                        if !name.starts_with('/') {
                            kept.push(format!("{{{{< {name} >}}}}"));
                        }
                        out.push_str(whole);
                    }
                }
            }
            out.push_str(rest);
            out
        }
        Platform::Zola => {
            let mut out = String::with_capacity(body.len());
            let mut rest = body;
            // `@/path.md` links name files, which this import may rename.
            while let Some(at) = rest.find("](@/") {
                out.push_str(&rest[..at + 2]);
                let link = &rest[at + 2..];
                let end = link.find(')').unwrap_or(link.len());
                let (path, frag) = link[2..end]
                    .split_once('#')
                    .map_or((&link[2..end], ""), |(p, f)| (p, f));
                match places.get(path) {
                    Some((_, target)) => {
                        out.push_str(&format!("@/{target}"));
                        if !frag.is_empty() {
                            out.push('#');
                            out.push_str(frag);
                        }
                    }
                    None => out.push_str(&link[..end]),
                }
                rest = &link[end..];
            }
            out.push_str(rest);
            for (open, close) in [("{{", "}}"), ("{%", "%}")] {
                let mut mapped = String::with_capacity(out.len());
                let mut rest = out.as_str();
                while let Some(at) = rest.find(open) {
                    mapped.push_str(&rest[..at]);
                    let Some(end) = rest[at..].find(close) else {
                        mapped.push_str(&rest[at..]);
                        rest = "";
                        break;
                    };
                    let whole = &rest[at..at + end + close.len()];
                    let inner = whole[2..whole.len() - 2].trim();
                    rest = &rest[at + end + close.len()..];
                    let name = inner.split('(').next().unwrap_or("").trim();
                    let args = inner
                        .get(name.len() + 1..)
                        .and_then(|a| a.strip_suffix(')'))
                        .unwrap_or("");
                    let (attrs, _) = shortcode_args(&args.replace(',', " "));
                    let arg =
                        |key: &str| attrs.iter().find(|(k, _)| k == key).map(|(_, v)| v.clone());
                    let replacement = match name {
                        "youtube" => arg("id").map(|id| {
                            embed(
                                &format!("https://www.youtube-nocookie.com/embed/{id}"),
                                "YouTube video",
                            )
                        }),
                        "vimeo" => arg("id").map(|id| {
                            embed(
                                &format!("https://player.vimeo.com/video/{id}"),
                                "Vimeo video",
                            )
                        }),
                        "gist" => arg("url").map(|u| format!("<{u}>")),
                        _ => None,
                    };
                    match replacement {
                        Some(r) => mapped.push_str(&r),
                        None => {
                            if name != "end" && !name.is_empty() {
                                kept.push(format!("{open} {name}() {close}"));
                            }
                            mapped.push_str(whole);
                        }
                    }
                }
                mapped.push_str(rest);
                out = mapped;
            }
            out
        }
        Platform::Jekyll => {
            let mut out = String::with_capacity(body.len());
            let mut rest = body;
            while let Some(at) = rest.find("{%").into_iter().chain(rest.find("{{")).min() {
                out.push_str(&rest[..at]);
                let is_tag = rest[at..].starts_with("{%");
                let close = if is_tag { "%}" } else { "}}" };
                let Some(end) = rest[at..].find(close) else {
                    out.push_str(&rest[at..]);
                    rest = "";
                    break;
                };
                let whole = &rest[at..at + end + 2];
                let inner = whole[2..whole.len() - 2].trim().trim_matches('-').trim();
                rest = &rest[at + end + 2..];
                let name = inner.split_whitespace().next().unwrap_or("");
                let arg = inner[name.len()..].trim();
                let replacement = if is_tag {
                    match name {
                        "raw" | "endraw" => Some(String::new()),
                        "highlight" => {
                            let lang = arg.split_whitespace().next().unwrap_or("");
                            match rest.find("{% endhighlight %}") {
                                Some(stop) => {
                                    let code = rest[..stop].trim_matches('\n').to_string();
                                    rest = &rest[stop + "{% endhighlight %}".len()..];
                                    Some(format!("```{lang}\n{code}\n```"))
                                }
                                None => None,
                            }
                        }
                        "post_url" => {
                            let (wanted, frag) = arg
                                .split_once('#')
                                .map_or((arg, String::new()), |(p, f)| (p, format!("#{f}")));
                            places
                                .iter()
                                .find(|(k, _)| {
                                    k.contains("_posts/")
                                        && k.rsplit('/')
                                            .next()
                                            .and_then(|f| f.rsplit_once('.'))
                                            .is_some_and(|(stem, _)| stem == wanted.trim())
                                })
                                .and_then(|(_, (url, _))| url.clone())
                                .map(|u| format!("{u}{frag}"))
                        }
                        "link" => find_page(arg)
                            .and_then(|(url, _)| url.clone())
                            .or_else(|| Some(format!("/{}", arg.trim_start_matches('/')))),
                        _ => None,
                    }
                } else {
                    let value = inner;
                    if value == "site.baseurl" || value == "site.url" {
                        Some(String::new())
                    } else {
                        value
                            .strip_suffix("| relative_url")
                            .or(value.strip_suffix("| absolute_url"))
                            .map(|v| v.trim().trim_matches(['"', '\'']))
                            .map(|path| format!("/{}", path.trim_start_matches('/')))
                    }
                };
                match replacement {
                    Some(r) => out.push_str(&r),
                    None => {
                        kept.push(if is_tag {
                            format!("{{% {name} %}}")
                        } else {
                            format!("{{{{ {name} }}}}")
                        });
                        out.push_str(whole);
                    }
                }
            }
            out.push_str(rest);
            out
        }
        Platform::Wordpress => body.to_string(),
    };
    (text, kept)
}

/// The text up to a Hugo closing shortcode (`{{< /name >}}`) and what follows it.
fn find_closing<'a>(text: &'a str, closing: &str) -> Option<(&'a str, &'a str)> {
    for mark in ["{{<", "{{%"] {
        let mut from = 0;
        while let Some(at) = text[from..].find(mark) {
            let start = from + at;
            let end_mark = if mark == "{{<" { ">}}" } else { "%}}" };
            let end = text[start..].find(end_mark)? + start;
            if text[start + 3..end].trim() == closing {
                return Some((&text[..start], &text[end + 3..]));
            }
            from = end;
        }
    }
    None
}

fn shortcode_args(text: &str) -> (Vec<(String, String)>, Vec<String>) {
    // Hugo's and Zola's arguments read as WordPress's: `key="v"` and positionals.
    let probe = format!("[x {text}]");
    let mut found = (Vec::new(), Vec::new());
    html::shortcodes(&probe, |code| {
        found = (code.attrs.clone(), code.positional.clone());
        Some(String::new())
    });
    found
}

/// A video player as the old site's shortcode showed it.
fn embed(src: &str, title: &str) -> String {
    format!("<iframe src=\"{src}\" title=\"{title}\" loading=\"lazy\" allowfullscreen></iframe>")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn permalink_patterns_expand_and_drop_empty_segments() {
        let date = values::date("2014-11-24").unwrap();
        let lookup = |t: &str| match t {
            "title" => Some("hello".to_string()),
            "categories" => Some(String::new()),
            "output_ext" => Some(".html".to_string()),
            _ => None,
        };
        assert_eq!(
            expand(
                "/:categories/:year/:month/:day/:title:output_ext",
                Some(date),
                &lookup
            )
            .as_deref(),
            Some("/2014/11/24/hello.html")
        );
        assert_eq!(
            expand("/:year/:y_day/:title/", Some(date), &lookup).as_deref(),
            Some("/2014/328/hello/")
        );
    }

    #[test]
    fn dated_file_names_give_date_and_name() {
        let (date, name) = dated_name("2014-11-24-hello-world");
        assert_eq!(name, "hello-world");
        assert_eq!(date.unwrap().to_rfc3339(), "2014-11-24T00:00:00+00:00");
        assert_eq!(dated_name("hello").1, "hello");
    }

    #[test]
    fn hugo_urlize_keeps_letters_and_makes_spaces_hyphens() {
        assert_eq!(hugo_urlize("My First Post!"), "My-First-Post");
    }
}
