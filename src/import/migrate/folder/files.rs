//! Finding a site folder's files: its content files, and the files it publishes as they
//! are.

use std::path::{Path, PathBuf};

use walkdir::WalkDir;

use super::{Kind, OldSite, Source};
use crate::import::ImportError;
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

/// Every file of the old site that matters, in path order: content files as [`Source`]s,
/// the rest into `harvest` as static files or skips.
pub(super) fn collect(site: &OldSite, harvest: &mut Harvest) -> Result<Vec<Source>, ImportError> {
    let mut sources = Vec::new();
    if site.platform != Platform::Jekyll {
        let static_dir = site.root.join(match &site.hugo {
            Some(hugo) => hugo.static_dir.clone(),
            None => "static".into(),
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
        // Each file with its name, without a language suffix Hugo reads (`post.en.md`).
        let files: Vec<(PathBuf, String)> = match &site.hugo {
            Some(hugo) => {
                hugo.apart_from_other_languages(&site.root, files, &mut harvest.skipped)?
            }
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
            .filter(|(_, stem)| stem == "index")
            .filter_map(|(f, _)| f.parent().map(Path::to_path_buf))
            .collect();
        for (file, stem) in files {
            let rel = rel_path(&file, &site.content);
            let in_bundle = bundles.iter().find(|b| file.starts_with(b));
            let is_markdown = has_ext(&file, &["md", "markdown", "html", "htm"]);
            if stem == "index" && is_markdown {
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

    // Jekyll: `_posts` (anywhere: the folders above are categories), `_drafts`, pages
    // with front matter, and every other file published as it is.
    let excluded: Vec<String> = values::list(site.config.get("exclude"), false);
    // Other `_` folders are the theme's and Jekyll's own — except collections, which hold
    // content this import does not bring: said, not dropped silently.
    let mut folders: Vec<PathBuf> = std::fs::read_dir(&site.root)
        .map_err(|source| ImportError::Read {
            path: site.root.clone(),
            source,
        })?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.is_dir())
        .collect();
    folders.sort();
    for folder in folders {
        let name = folder
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        if name.starts_with('_') && !JEKYLL_OWN_FOLDERS.contains(&name.as_str()) {
            harvest.skipped.push(Skip {
                origin: site.shown(&folder),
                reason:
                    "a collection (or a plugin's folder): only posts, drafts and pages are imported"
                        .into(),
            });
        }
    }
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

pub(super) fn files_below(dir: &Path) -> Result<Vec<PathBuf>, ImportError> {
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
