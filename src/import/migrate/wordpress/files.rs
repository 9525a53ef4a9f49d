//! The files of a WordPress site: its attachments, and links to its pages and uploads in
//! post text, made site paths where the new site answers them.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use crate::import::migrate::decoded_path;

/// Where the uploads of a WordPress site live below its address.
pub(super) const UPLOADS: &str = "wp-content/uploads/";

/// What the importer knows of the site's attachments and files.
pub(super) struct Files<'a> {
    pub(super) base: String,
    pub(super) host: Option<String>,
    pub(super) uploads: Option<&'a Path>,
    /// post id → (url, alt, caption)
    pub(super) attachments: HashMap<String, (String, Option<String>, Option<String>)>,
    /// parent post id → attachment ids, in menu order
    pub(super) children: HashMap<String, Vec<String>>,
}

impl Files<'_> {
    /// Attribute values `"https://old.site/x/"` made `"/x/"`, except uploads (which are
    /// only local when their file is: see [`Files::localize`]).
    pub(super) fn site_links(&self, html: &str) -> String {
        let Some(rest_of_base) = self.base.split_once("://").map(|(_, r)| r) else {
            return html.to_string();
        };
        let mut text = html.to_string();
        for scheme in ["https://", "http://", "//"] {
            for quote in ['"', '\''] {
                let prefix = format!("{quote}{scheme}{rest_of_base}/");
                if !text.contains(&prefix) {
                    continue;
                }
                let mut out = String::with_capacity(text.len());
                let mut rest = text.as_str();
                while let Some(at) = rest.find(&prefix) {
                    let after = &rest[at + prefix.len()..];
                    out.push_str(&rest[..at]);
                    if after.starts_with("wp-content/") {
                        out.push_str(&prefix);
                    } else {
                        out.push(quote);
                        out.push('/');
                    }
                    rest = after;
                }
                out.push_str(rest);
                text = out;
            }
        }
        text
    }

    /// The path below `static/` (and the old site's root) of an uploads URL whose file is
    /// in `--uploads`, with that file.
    pub(super) fn local(&self, url: &str) -> Option<(String, PathBuf)> {
        let uploads = self.uploads?;
        let at = url.find(UPLOADS)?;
        let site_path = if url.starts_with('/') && !url.starts_with("//") {
            url.to_string()
        } else {
            let absolute = if url.starts_with("//") {
                format!("https:{url}")
            } else {
                url.to_string()
            };
            let parsed = url::Url::parse(&absolute).ok()?;
            if parsed.host_str().map(str::to_ascii_lowercase) != self.host {
                return None;
            }
            parsed.path().to_string()
        };
        let relative = decoded_path(&url[at + UPLOADS.len()..])?;
        let relative = relative.split(['?', '#']).next().unwrap_or("");
        if relative
            .split('/')
            .any(|s| s.is_empty() || s == "." || s == "..")
        {
            return None;
        }
        let file = relative
            .split('/')
            .fold(uploads.to_path_buf(), |p, s| p.join(s));
        if !file.is_file() {
            return None;
        }
        let site_path = decoded_path(site_path.split(['?', '#']).next().unwrap_or(""))?;
        Some((site_path.trim_start_matches('/').to_string(), file))
    }

    /// `html` with links to the old site's pages made site paths (the pages keep their
    /// URLs here), and each uploads URL whose file is at hand too; the files used.
    pub(super) fn localize(&self, html: &str) -> (String, Vec<(PathBuf, String)>) {
        let html = self.site_links(html);
        if self.uploads.is_none() || !html.contains(UPLOADS) {
            return (html, Vec::new());
        }
        let mut out = String::with_capacity(html.len());
        let mut used = Vec::new();
        let mut rest = html.as_str();
        while let Some(at) = rest.find(UPLOADS) {
            let start = rest[..at]
                .rfind(|c: char| c.is_whitespace() || "\"'(=>,".contains(c))
                .map_or(0, |i| i + 1);
            let end = at
                + rest[at..]
                    .find(|c: char| c.is_whitespace() || "\"'()<>,".contains(c))
                    .unwrap_or(rest.len() - at);
            out.push_str(&rest[..start]);
            let url = &rest[start..end];
            match self.local(url) {
                Some((site_path, file)) => {
                    out.push('/');
                    out.push_str(&site_path);
                    used.push((file, site_path));
                }
                None => out.push_str(url),
            }
            rest = &rest[end..];
        }
        out.push_str(rest);
        (out, used)
    }
}
