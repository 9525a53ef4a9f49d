//! The editor's menus (`[[menu]]` and `[[footer_menu]]` of `config.toml`), with each link
//! resolved to the URL it leads to.
//!
//! Invariant: every `@/` link of a menu names a published article, page or section of the
//! site (else the build fails, naming the entry's place in `config.toml`), so a menu never
//! leads to a page the site does not have.

use std::collections::HashMap;

use super::{ContentError, Document, Section};
use crate::config::MenuEntry;

/// A menu link as pages show it.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct MenuLink {
    pub name: String,
    /// Absolute (under `base_url` for the site's own pages).
    pub url: String,
}

/// `entries` with their URLs resolved: `@/path.md` to that document's URL (`@/<section>/`
/// or `@/<section>/_index.md` to the section's), `/path/` under the base URL (which may
/// have a path of its own), absolute URLs as written.
pub fn resolve<'a>(
    entries: &[MenuEntry],
    documents: impl Iterator<Item = &'a dyn Document>,
    sections: &[Section],
    base_url: &str,
) -> Result<Vec<MenuLink>, ContentError> {
    if entries.is_empty() {
        return Ok(Vec::new());
    }
    let mut by_path: HashMap<String, String> = documents
        .map(|d| (d.content_path().to_string(), d.permalink().url(base_url)))
        .collect();
    for section in sections {
        let url = section.permalink.url(base_url);
        if let Some(folder) = section.folder.file_name() {
            let folder = folder.to_string_lossy();
            by_path.insert(format!("{folder}/_index.md"), url.clone());
            by_path.insert(format!("{folder}/"), url);
        }
    }
    entries
        .iter()
        .map(|entry| {
            let written = entry.url.text.as_str();
            let url = if let Some(path) = written.strip_prefix("@/") {
                let (file, fragment) = match path.split_once('#') {
                    Some((file, fragment)) => (file, Some(fragment)),
                    None => (path, None),
                };
                let Some(url) = by_path.get(file) else {
                    return Err(ContentError::Invalid {
                        location: entry.url.location.clone(),
                        message: format!(
                            "menu entry {:?} links to {written}, which is no published article, page or section of the content folder",
                            entry.name
                        ),
                    });
                };
                match fragment {
                    Some(f) => format!("{url}#{f}"),
                    None => url.clone(),
                }
            } else if let Some(path) = written.strip_prefix('/') {
                format!("{base_url}{path}")
            } else {
                written.to_string()
            };
            Ok(MenuLink {
                name: entry.name.clone(),
                url,
            })
        })
        .collect()
}
