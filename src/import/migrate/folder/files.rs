//! Finding a site folder's files: its content files, and the files it publishes as they
//! are. Links are followed where they lead inside the site folder, once (a loop is an
//! error); one leading out of it, or to nothing, is skipped with where it leads.

use std::cell::RefCell;
use std::path::{Path, PathBuf};

use walkdir::{DirEntry, WalkDir};

use super::jekyll::glob;
use super::{Kind, OldSite, Source};
use crate::import::ImportError;
use crate::import::migrate::bounds::{Bounds, Outside};
use crate::import::migrate::values;
use crate::import::migrate::{Harvest, Platform, Skip};

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

/// Jekyll's and themes' own `_` folders: templates, styles, data, plugins, the output.
const JEKYLL_OWN_FOLDERS: &[&str] = &[
    "_posts",
    "_drafts",
    "_layouts",
    "_includes",
    "_sass",
    "_data",
    "_site",
    "_plugins",
    "_config",
    "_scss",
    "_js",
];

/// Why a Jekyll page with front matter that is not Markdown is not imported.
pub(super) const THEME_PAGE: &str = "a page the old site's templates make (home, archive, feed, stylesheet): Gazette's theme makes its own";

/// Every file of the old site that matters, in path order: content files as [`Source`]s,
/// the rest into `harvest` as static files or skips.
pub(super) fn collect(site: &OldSite, harvest: &mut Harvest) -> Result<Vec<Source>, ImportError> {
    let mut sources = Vec::new();
    if site.platform != Platform::Jekyll {
        let static_dir = site.root.join(match &site.hugo {
            Some(hugo) => hugo.static_dir.clone(),
            None => "static".into(),
        });
        for file in files_below(&static_dir, &site.bounds, &mut harvest.skipped)? {
            let rel = rel_path(&file, &static_dir);
            harvest.statics.push((file, rel));
        }
        if !site.content.is_dir() {
            return Err(ImportError::BadSource {
                path: site.content.clone(),
                reason: "the site's content folder is missing".into(),
            });
        }
        let files = files_below(&site.content, &site.bounds, &mut harvest.skipped)?;
        // Each file with its name, without a language suffix Hugo reads (`post.en.md`).
        let files: Vec<(PathBuf, String)> = match &site.hugo {
            Some(hugo) => hugo.apart_from_other_languages(
                &site.root,
                &site.bounds,
                files,
                &mut harvest.skipped,
            )?,
            None => files
                .into_iter()
                .map(|f| {
                    let stem = stem_of(&f);
                    (f, stem)
                })
                .collect(),
        };
        let bundles: Vec<PathBuf> = files
            .iter()
            .filter(|(f, stem)| stem == "index" && is_content(site, f))
            .filter_map(|(f, _)| f.parent().map(Path::to_path_buf))
            .collect();
        let mut headed: Vec<PathBuf> = Vec::new();
        for (file, stem) in files {
            let rel = rel_path(&file, &site.content);
            let in_bundle = bundles.iter().find(|b| file.starts_with(b));
            let is_markdown = is_content(site, &file);
            let bundle = file.parent().map(Path::to_path_buf).unwrap_or_default();
            if stem == "index" && is_markdown && !headed.contains(&bundle) {
                headed.push(bundle.clone());
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
            } else if let Some(bundle) = in_bundle {
                // A file of a bundle: copied with its article, but for a second index
                // file, which the platform takes for no page (the first in name order
                // makes it) and publishes nowhere.
                if second_index(&file, bundle) {
                    harvest.skipped.push(Skip {
                        origin: site.shown(&file),
                        reason: "a second index file of its folder: the first, in name order, makes the page; this one is published nowhere".into(),
                    });
                }
            } else if stem == "_index" && is_markdown {
                sources.push(Source {
                    shown: site.shown(&file),
                    dirs: dirs_of(&rel),
                    stem: "_index".into(),
                    file,
                    bundle: None,
                    kind: Kind::SectionIndex,
                });
            } else if is_markdown {
                sources.push(Source {
                    shown: site.shown(&file),
                    dirs: dirs_of(&rel),
                    stem,
                    file,
                    bundle: None,
                    kind: Kind::Page,
                });
            } else if has_ext(
                &file,
                &["adoc", "asciidoc", "ad", "org", "pandoc", "pdc", "rst"],
            ) {
                // Hugo renders these formats with external tools; they are articles, not
                // files to publish as they are.
                harvest.skipped.push(Skip {
                    origin: site.shown(&file),
                    reason: "content in a format other than Markdown or HTML (AsciiDoc, Org, Pandoc, reStructuredText): convert it to Markdown first".into(),
                });
            } else {
                // Zola and Hugo publish a loose file of content/ at its path.
                harvest.statics.push((file, rel));
            }
        }
        return Ok(sources);
    }

    jekyll_sources(site, harvest)
}

/// A Jekyll site's files: `_posts` (anywhere: the folders above are categories),
/// `_drafts`, the documents of collections Jekyll writes pages for, pages with front
/// matter, and every other file published as it is.
fn jekyll_sources(site: &OldSite, harvest: &mut Harvest) -> Result<Vec<Source>, ImportError> {
    let mut sources = Vec::new();
    let excluded: Vec<String> = values::list(site.config.get("exclude"), false);
    let included = Included::of(site);
    let published = jekyll_collections(site, &included, harvest)?;
    let entries = walk(
        &site.root,
        &site.bounds,
        |e| {
            let name = e.file_name().to_string_lossy();
            let rel = rel_path(e.path(), &site.root);
            e.depth() == 0
                || !(name.starts_with('.')
                    || (name.starts_with('_')
                        && e.file_type().is_dir()
                        && name != "_posts"
                        && name != "_drafts"
                        && !(e.depth() == 1 && published.iter().any(|p| *p == name))
                        && !included.takes(&rel))
                    || ["node_modules", "vendor", "_site"].contains(&name.as_ref())
                    || (excluded.iter().any(|x| x.trim_matches('/') == name)
                        && !included.takes(&rel)))
        },
        &mut harvest.skipped,
    )?;
    for entry in entries {
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
        jekyll_file(site, &published, file, rel, dirs, &mut sources, harvest);
    }
    Ok(sources)
}

/// Where one file of a Jekyll site goes: a content source, a static file or a skip.
fn jekyll_file(
    site: &OldSite,
    published: &[String],
    file: PathBuf,
    rel: String,
    dirs: Vec<String>,
    sources: &mut Vec<Source>,
    harvest: &mut Harvest,
) {
    let stem = file
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let is_text = has_ext(&file, &["md", "markdown", "mkd", "html", "htm"]);
    let is_markdown = has_ext(&file, &["md", "markdown", "mkd"]);
    let shown = site.shown(&file);
    let has_front_matter = || {
        std::fs::read(&file)
            .map(|b| b.starts_with(b"---"))
            .unwrap_or(false)
    };
    if dirs.first().is_some_and(|d| published.contains(d)) {
        if is_text && has_front_matter() {
            sources.push(Source {
                shown,
                file,
                dirs,
                stem,
                bundle: None,
                kind: Kind::Document,
            });
        } else {
            harvest.skipped.push(Skip {
                origin: shown,
                reason: "a file of a collection without front matter, which Jekyll publishes by the collection's URL template: copy it to static/ where its old URL was".into(),
            });
        }
        return;
    }
    if let Some(i) = dirs.iter().position(|d| d == "_posts" || d == "_drafts") {
        if !is_text {
            harvest.statics.push((file, rel));
            return;
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
        return;
    }
    if !has_front_matter() {
        harvest.statics.push((file, rel));
    } else if is_text {
        // An HTML page is the old theme's (home, archive, feed…) unless it redirects:
        // its front matter decides, in the second pass.
        sources.push(Source {
            shown,
            file,
            dirs,
            stem,
            bundle: None,
            kind: if is_markdown {
                Kind::Page
            } else {
                Kind::HtmlPage
            },
        });
    } else {
        harvest.skipped.push(Skip {
            origin: shown,
            reason: THEME_PAGE.into(),
        });
    }
}

/// The top-level `_` folders of a Jekyll site that are collections with pages (`_docs`);
/// the others — collections without pages, plugins' folders — are listed as skipped, not
/// dropped silently (Jekyll's own folders aside).
fn jekyll_collections(
    site: &OldSite,
    included: &Included,
    harvest: &mut Harvest,
) -> Result<Vec<String>, ImportError> {
    let rules = site.jekyll.as_ref().expect("a Jekyll site has its rules");
    let mut folders: Vec<PathBuf> = std::fs::read_dir(&site.root)
        .map_err(|source| ImportError::Read {
            path: site.root.clone(),
            source,
        })?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.is_dir())
        .collect();
    folders.sort();
    let mut published: Vec<String> = Vec::new();
    for folder in folders {
        let name = folder
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        if !name.starts_with('_')
            || JEKYLL_OWN_FOLDERS.contains(&name.as_str())
            || (included.takes(&name) && rules.collection(&name).is_none())
        {
            continue;
        }
        let reason = match rules.collection(&name) {
            Some(c) if c.output => {
                published.push(name);
                continue;
            }
            Some(c) => format!(
                "the collection {}, which has no pages of its own (`output` is not true in _config.yml)",
                c.label
            ),
            None => "a folder Jekyll does not publish (a plugin's, or a collection _config.yml does not declare)".into(),
        };
        harvest.skipped.push(Skip {
            origin: site.shown(&folder),
            reason,
        });
    }
    Ok(published)
}

/// Whether a file below a Hugo or Zola site's `content/` is a page: Markdown, or for Hugo
/// an HTML file that starts with front matter. Hugo publishes an HTML file without it as
/// it is, at its path (a page a tool made whole, a verification file), and Zola takes only
/// Markdown for pages: such a file is one to copy, not an article.
fn is_content(site: &OldSite, file: &Path) -> bool {
    if has_ext(file, &["md", "markdown"]) {
        return true;
    }
    site.platform == Platform::Hugo
        && has_ext(file, &["html", "htm"])
        && std::fs::read(file).is_ok_and(|bytes| {
            let text = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&bytes);
            let start = text.iter().position(|b| !b.is_ascii_whitespace());
            start.is_some_and(|i| {
                let text = &text[i..];
                text.starts_with(b"---") || text.starts_with(b"+++") || text.starts_with(b"{")
            })
        })
}

/// Whether `file` is an index file (`index.md`, `index.html`) of the bundle `bundle` other
/// than the one its page comes from.
pub(super) fn second_index(file: &Path, bundle: &Path) -> bool {
    file.parent() == Some(bundle)
        && stem_of(file) == "index"
        && has_ext(file, &["md", "markdown", "html", "htm"])
}

/// The `include` list of a Jekyll site's `_config.yml`: paths (or globs) below the site's
/// folder that Jekyll reads although their names start with `_` (`include: [_pages]`, a
/// folder of pages kept apart) or `exclude` names them. Jekyll's own reading of it
/// (`EntryFilter#included?`): an entry is taken in when a pattern matches its path from
/// the site's folder or its name. Hidden names stay out whatever it says: Gazette never
/// imports them.
struct Included(Vec<String>);

impl Included {
    fn of(site: &OldSite) -> Included {
        let list = values::list(site.config.get("include"), false);
        Included(
            list.iter()
                .map(|p| p.trim_matches('/').to_string())
                .filter(|p| !p.is_empty())
                .collect(),
        )
    }

    /// Whether the entry at `rel` (a path from the site's folder) is taken in.
    fn takes(&self, rel: &str) -> bool {
        let name = rel.rsplit('/').next().unwrap_or(rel);
        self.0
            .iter()
            .any(|p| p == rel || p == name || glob(p, rel) || glob(p, name))
    }
}

/// The files below `dir` (not hidden ones), in path order; links leading out of `bounds`
/// are skipped into `skipped`.
pub(super) fn files_below(
    dir: &Path,
    bounds: &Bounds,
    skipped: &mut Vec<Skip>,
) -> Result<Vec<PathBuf>, ImportError> {
    if !dir.is_dir() {
        return Ok(Vec::new());
    }
    let entries = walk(dir, bounds, |_| true, skipped)?;
    Ok(entries
        .into_iter()
        .map(DirEntry::into_path)
        .filter(|file| !is_hidden(file))
        .collect())
}

/// The files below `dir` in path order, in the folders `keep` lets through, following links
/// that lead inside `bounds` (`dir` itself included); each that leads elsewhere, or to
/// nothing, is a skip.
fn walk(
    dir: &Path,
    bounds: &Bounds,
    mut keep: impl FnMut(&DirEntry) -> bool,
    skipped: &mut Vec<Skip>,
) -> Result<Vec<DirEntry>, ImportError> {
    let refused = RefCell::new(Vec::new());
    let walker = WalkDir::new(dir)
        .sort_by_file_name()
        .follow_links(true)
        .into_iter()
        .filter_entry(|e| {
            if !keep(e) {
                return false;
            }
            if !(e.path_is_symlink() || e.depth() == 0) {
                return true;
            }
            match bounds.resolve(e.path()) {
                Ok(_) => true,
                Err(outside) => {
                    if !is_hidden(e.path()) {
                        refused.borrow_mut().push(bounds.skip(e.path(), &outside));
                    }
                    false
                }
            }
        });
    let mut files = Vec::new();
    for entry in walker {
        match entry {
            Ok(entry) if entry.file_type().is_file() => files.push(entry),
            Ok(_) => {}
            // A link to nothing fails as the walk follows it (an editor's lock file, `.#x`,
            // is one: hidden names are never imported, so never said).
            Err(e)
                if e.loop_ancestor().is_none()
                    && e.io_error()
                        .is_some_and(|io| io.kind() == std::io::ErrorKind::NotFound)
                    && e.path().is_some_and(is_link) =>
            {
                let path = e.path().expect("checked above");
                if !is_hidden(path) {
                    let outside = bounds
                        .resolve(path)
                        .err()
                        .unwrap_or_else(|| Outside::Nowhere(path.to_path_buf()));
                    refused.borrow_mut().push(bounds.skip(path, &outside));
                }
            }
            Err(e) => {
                let path = e
                    .path()
                    .map_or_else(|| dir.to_path_buf(), Path::to_path_buf);
                if let Some(ancestor) = e.loop_ancestor() {
                    return Err(ImportError::BadSource {
                        reason: format!(
                            "a link to {}, a folder it lies in: a loop",
                            ancestor.display()
                        ),
                        path,
                    });
                }
                return Err(ImportError::Read {
                    path,
                    source: e
                        .into_io_error()
                        .unwrap_or_else(|| std::io::Error::other("cannot walk it")),
                });
            }
        }
    }
    skipped.extend(refused.into_inner());
    Ok(files)
}

fn is_hidden(path: &Path) -> bool {
    path.file_name()
        .is_some_and(|name| name.to_string_lossy().starts_with('.'))
}

fn is_link(path: &Path) -> bool {
    std::fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_symlink())
}

pub(super) fn rel_path(file: &Path, base: &Path) -> String {
    file.strip_prefix(base)
        .unwrap_or(file)
        .to_string_lossy()
        .replace('\\', "/")
}

pub(super) fn dirs_of(rel: &str) -> Vec<String> {
    let mut parts: Vec<String> = rel.split('/').map(str::to_string).collect();
    parts.pop();
    parts
}

fn stem_of(file: &Path) -> String {
    file.file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default()
}

pub(super) fn has_ext(file: &Path, exts: &[&str]) -> bool {
    file.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| exts.iter().any(|x| e.eq_ignore_ascii_case(x)))
}
