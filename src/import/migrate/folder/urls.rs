//! The URLs Hugo, Zola and Jekyll gave their pages, computed as each computes them.

use chrono::{DateTime, Datelike, FixedOffset, Timelike};
use serde_json::Value;

use super::{OldSite, Source, hugo};
use crate::import::migrate::Platform;
use crate::import::migrate::values;
use crate::urls::slug::slugify;

/// `2024-01-02-hello` → (2024-01-02, "hello"), as Jekyll and Zola name dated files.
pub(super) fn dated_name(stem: &str) -> (Option<DateTime<FixedOffset>>, &str) {
    if stem.len() > 11
        && stem.is_char_boundary(10)
        && matches!(stem.as_bytes()[10], b'-' | b'_')
        && let Some(d) = values::date(&stem[..10])
    {
        return (Some(d), &stem[11..]);
    }
    (None, stem)
}

/// The URL the old site gave a page.
pub(super) fn old_url(
    site: &OldSite,
    source: &Source,
    fm: &Value,
    written_slug: Option<&str>,
    name: &str,
    title: &str,
    date: Option<DateTime<FixedOffset>>,
) -> Option<String> {
    match site.platform {
        Platform::Hugo => {
            let hugo = site.hugo.as_ref()?;
            hugo_url(hugo, source, fm, written_slug, name, title, date)
        }
        Platform::Zola => {
            // Zola writes a page with a `path` into that folder, dots and all
            // (`2015/05/15/Rust-1.0` → `/2015/05/15/Rust-1.0/index.html`).
            if let Some(path) = values::text(fm.get("path")) {
                return Some(format!("/{}/", path.trim_matches('/')));
            }
            let slug = slugify(written_slug.unwrap_or(name));
            let mut parts = source.dirs.clone();
            parts.push(slug);
            Some(format!("/{}/", parts.join("/")))
        }
        Platform::Jekyll => {
            let relative = super::files::rel_path(&source.file, &site.root);
            site.jekyll.as_ref()?.url(source, &relative, fm, date)
        }
        Platform::Wordpress => None,
    }
}

/// The URL Hugo gave a page: `url` from its front matter, else its section's
/// `permalinks` pattern, else its folders and name; `.html` instead of `/` where
/// `uglyURLs` says so for its section; lowercased unless `disablePathToLower`; under the
/// language's folder when `defaultContentLanguageInSubdir` puts it there.
fn hugo_url(
    hugo: &hugo::Settings,
    source: &Source,
    fm: &Value,
    written_slug: Option<&str>,
    name: &str,
    title: &str,
    date: Option<DateTime<FixedOffset>>,
) -> Option<String> {
    let language = hugo
        .language_folder
        .as_deref()
        .map(|l| format!("/{l}"))
        .unwrap_or_default();
    if let Some(url) = values::text(fm.get("url")) {
        // A URL without a leading slash is relative to the language's folder.
        return Some(match url.strip_prefix('/') {
            Some(rooted) => format!("/{rooted}"),
            None => format!("{language}/{url}"),
        });
    }
    let section = source.dirs.first().map(String::as_str).unwrap_or("");
    let slug = written_slug
        .map(hugo_urlize)
        .unwrap_or_else(|| hugo_urlize(title));
    // An undated page is dated Hugo's zero time, 0001-01-01, in its URL.
    let date = date.or_else(|| values::date("0001-01-01"));
    let path = match hugo.permalinks.get(&section.to_lowercase()) {
        Some(pattern) => expand(pattern, date, &|token| match token {
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
            let mut parts = source.dirs.clone();
            parts.push(hugo_urlize(written_slug.unwrap_or(name)));
            format!("/{}/", parts.join("/"))
        }
    };
    // An ugly URL is the page's last segment with `.html` (`/2014/11/18/slug.html`); a
    // pretty one a folder, whether or not the pattern ends in `/`.
    let path = path.trim_end_matches('/');
    let path = if hugo.ugly_urls.of(section) {
        format!("{language}{path}.html")
    } else {
        format!("{language}{path}/")
    };
    Some(if hugo.lowercase_paths {
        path.to_lowercase()
    } else {
        path
    })
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
