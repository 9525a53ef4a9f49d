//! The files of a WordPress site: its attachments, and links to its pages and uploads in
//! post text, made site paths where the new site answers them.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use crate::import::migrate::bounds::{Bounds, Outside};
use crate::import::migrate::{Skip, decoded_path};

/// Where the uploads of a WordPress site live below its address.
pub(super) const UPLOADS: &str = "wp-content/uploads/";

/// An uploads URL's file in `--uploads`.
#[derive(Debug, PartialEq, Eq)]
pub(super) enum Upload {
    /// At hand: its path below `static/` (and the old site's root), and the file.
    Here(String, PathBuf),
    /// A link there leading out of `--uploads` (or to nothing): not read.
    Refused(Skip),
}

/// What the importer knows of the site's attachments and files.
pub(super) struct Files<'a> {
    pub(super) base: String,
    pub(super) host: Option<String>,
    /// `--uploads`, and the folder it is, outside which nothing is read.
    pub(super) uploads: Option<(&'a Path, Bounds)>,
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

    /// The file in `--uploads` of an uploads URL, if it has one.
    pub(super) fn local(&self, url: &str) -> Option<Upload> {
        let (uploads, bounds) = self.uploads.as_ref()?;
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
            let host = parsed.host_str().map(str::to_ascii_lowercase);
            if host == self.host {
                parsed.path().to_string()
            } else {
                // Jetpack's image CDN serves the site's uploads from
                // `i0.wp.com/<site host>/wp-content/uploads/…`.
                let photon = host.as_deref().is_some_and(|h| {
                    h.strip_suffix(".wp.com")
                        .and_then(|i| i.strip_prefix('i'))
                        .is_some_and(|n| n.len() == 1 && n.chars().all(|c| c.is_ascii_digit()))
                });
                let own = format!("/{}/", self.host.as_deref()?);
                if !photon || !parsed.path().starts_with(&own) {
                    return None;
                }
                parsed.path()[own.len() - 1..].to_string()
            }
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
        match bounds.resolve(&file) {
            Ok(real) if real.is_file() => {}
            Ok(_) => return None,
            // Not there, and no link either.
            Err(Outside::Nowhere(_)) if std::fs::symlink_metadata(&file).is_err() => return None,
            Err(outside) => {
                let mut skip = bounds.skip(&file, &outside);
                skip.reason.push_str(&format!("; pages keep linking {url}"));
                return Some(Upload::Refused(skip));
            }
        }
        let site_path = decoded_path(site_path.split(['?', '#']).next().unwrap_or(""))?;
        Some(Upload::Here(
            site_path.trim_start_matches('/').to_string(),
            file,
        ))
    }

    /// `html` with links to the old site's pages made site paths (the pages keep their
    /// URLs here), and each uploads URL whose file is at hand too; the files used, and
    /// the links in `--uploads` refused.
    pub(super) fn localize(&self, html: &str) -> (String, Vec<(PathBuf, String)>, Vec<Skip>) {
        let html = self.site_links(html);
        if self.uploads.is_none() || !html.contains(UPLOADS) {
            return (html, Vec::new(), Vec::new());
        }
        let mut out = String::with_capacity(html.len());
        let mut used = Vec::new();
        let mut refused = Vec::new();
        let mut rest = html.as_str();
        while let Some(at) = rest.find(UPLOADS) {
            let start = rest[..at]
                .char_indices()
                .rfind(|&(_, c)| c.is_whitespace() || "\"'(=>,".contains(c))
                .map_or(0, |(i, c)| i + c.len_utf8());
            let end = at
                + rest[at..]
                    .find(|c: char| c.is_whitespace() || "\"'()<>".contains(c))
                    .unwrap_or(rest.len() - at);
            out.push_str(&rest[..start]);
            let url = &rest[start..end];
            match self.local(url) {
                Some(Upload::Here(site_path, file)) => {
                    out.push('/');
                    out.push_str(&site_path);
                    used.push((file, site_path));
                }
                Some(Upload::Refused(skip)) => {
                    out.push_str(url);
                    refused.push(skip);
                }
                None => out.push_str(url),
            }
            rest = &rest[end..];
        }
        out.push_str(rest);
        (out, used, refused)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_to_the_old_site_become_site_paths_and_odd_text_stays() {
        let uploads = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(uploads.path().join("2014/11")).unwrap();
        std::fs::write(uploads.path().join("2014/11/a.jpg"), b"x").unwrap();
        let files = Files {
            base: "https://old.example.com".into(),
            host: Some("old.example.com".into()),
            uploads: Some((
                uploads.path(),
                Bounds::new(uploads.path(), "--uploads").unwrap(),
            )),
            attachments: HashMap::new(),
            children: HashMap::new(),
        };
        let (html, used, refused) = files.localize(
            "<a href=\"https://old.example.com/2014/x/\">x</a> <img src='http://old.example.com/wp-content/uploads/2014/11/a.jpg'> \
             <img src=\"https://old.example.com/wp-content/uploads/2014/11/missing.jpg\"> \
             https://cdn.example.net/wp-content/uploads/2014/11/a.jpg\u{a0}wp-content/uploads/\u{3000} \
             <img src=\"https://i2.wp.com/old.example.com/wp-content/uploads/2014/11/a.jpg?resize=300,200\">",
        );
        assert!(
            html.ends_with("<img src=\"/wp-content/uploads/2014/11/a.jpg\">"),
            "Jetpack's CDN copy is the site's upload, its query the CDN's: {html}"
        );
        assert!(
            html.starts_with(
                "<a href=\"/2014/x/\">x</a> <img src='/wp-content/uploads/2014/11/a.jpg'>"
            ),
            "{html}"
        );
        assert!(
            html.contains("\"https://old.example.com/wp-content/uploads/2014/11/missing.jpg\""),
            "{html}"
        );
        assert!(
            html.contains("https://cdn.example.net/wp-content/uploads/2014/11/a.jpg"),
            "another host's stays: {html}"
        );
        assert_eq!(used.len(), 2);
        assert_eq!(used[0].1, "wp-content/uploads/2014/11/a.jpg");
        assert_eq!(refused, []);
    }
}
