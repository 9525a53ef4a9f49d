//! Front matter: the TOML block between `+++` lines at the top of a content file.
//!
//! Parsing happens here, once; everything after this module works with typed values.
//! Positions in errors are positions in the whole file, not in the TOML excerpt. Writing
//! front matter is [`write`]'s job.

pub mod write;

use std::path::Path;

use chrono::Datelike as _;
use chrono::{DateTime, FixedOffset, NaiveDate, NaiveDateTime};
use serde::Deserialize;
use toml::Spanned;

use super::ContentError;
use crate::config::Timezone;
use crate::location::{Location, Position};

/// A content file cut into its front matter and its body.
pub struct Split<'a> {
    pub front_matter: &'a str,
    pub body: &'a str,
}

/// Cuts `text` at the `+++` lines. The front matter starts on line 2 of the file.
pub fn split<'a>(text: &'a str, path: &Path) -> Result<Split<'a>, ContentError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let missing = |message: &str| ContentError::Invalid {
        location: Location::at(path, Position { line: 1, column: 1 }),
        message: message.to_string(),
    };
    let first_line_end = text.find('\n').map_or(text.len(), |i| i + 1);
    if text[..first_line_end].trim_end() != "+++" {
        return Err(missing(
            "expected front matter: the file must start with a `+++` line",
        ));
    }
    let rest = &text[first_line_end..];
    let mut offset = 0;
    for line in rest.split_inclusive('\n') {
        if line.trim_end() == "+++" {
            return Ok(Split {
                front_matter: &rest[..offset],
                body: &rest[offset + line.len()..],
            });
        }
        offset += line.len();
    }
    Err(missing(
        "front matter is not closed: add a `+++` line after it",
    ))
}

/// Parses a TOML front matter excerpt, turning TOML errors into file positions.
pub fn parse<'de, T: Deserialize<'de>>(
    front_matter: &'de str,
    path: &Path,
) -> Result<T, ContentError> {
    toml::from_str(front_matter).map_err(|e| ContentError::Invalid {
        location: Location {
            path: path.to_path_buf(),
            position: e
                .span()
                .map(|s| Position::of_offset(front_matter, s.start).shifted(2)),
        },
        message: e.message().trim().to_string(),
    })
}

/// An article's front matter as written.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ArticleFrontMatter {
    pub title: String,
    /// Required of articles; a page may have one.
    pub date: Option<Spanned<toml::Value>>,
    pub updated: Option<Spanned<toml::Value>>,
    pub slug: Option<Spanned<String>>,
    /// The article's URL path, overriding the site's `permalink` pattern.
    pub path: Option<Spanned<String>>,
    pub description: Option<String>,
    #[serde(default)]
    pub aliases: Vec<Spanned<String>>,
    pub authors: Option<Spanned<Vec<String>>>,
    pub tags: Option<Spanned<Vec<String>>>,
    #[serde(default)]
    pub draft: bool,
    /// Kept on top of the home page (and its section's) by the editor.
    /// With its place: a page refuses it at its line.
    pub pinned: Option<Spanned<bool>>,
    /// When pinning ends.
    pub pinned_until: Option<Spanned<toml::Value>>,
    /// The lead image: a file beside the article, a path under `static/`, or a URL.
    pub image: Option<Spanned<String>>,
    pub image_alt: Option<String>,
    pub image_credit: Option<String>,
    pub image_caption: Option<String>,
    /// Corrections to the story, each dated (`[[corrections]]`).
    #[serde(default)]
    pub corrections: Vec<WrittenCorrection>,
    /// Announced in a banner on every page (`breaking = true`) until `breaking_until`.
    pub breaking: Option<Spanned<bool>>,
    pub breaking_until: Option<Spanned<toml::Value>>,
    #[serde(default)]
    pub extra: toml::Table,
}

impl ArticleFrontMatter {
    /// `pinned = true`.
    pub fn is_pinned(&self) -> bool {
        self.pinned.as_ref().is_some_and(|p| *p.get_ref())
    }

    /// `breaking = true`.
    pub fn is_breaking(&self) -> bool {
        self.breaking.as_ref().is_some_and(|b| *b.get_ref())
    }
}

/// One `[[corrections]]` entry as written.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WrittenCorrection {
    pub date: Spanned<toml::Value>,
    pub text: Spanned<String>,
}

/// An author profile's front matter as written.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AuthorFrontMatter {
    pub name: String,
    /// Old URLs of the author's page and feeds (see `super::old_urls`).
    #[serde(default)]
    pub aliases: Vec<Spanned<String>>,
    #[serde(default)]
    pub rss_aliases: Vec<Spanned<String>>,
    #[serde(default)]
    pub atom_aliases: Vec<Spanned<String>>,
    /// A photo: a path under `static/`, a file beside the profile, or a URL.
    pub image: Option<Spanned<String>>,
    /// What the author does ("Senior reporter").
    pub role: Option<String>,
    /// Where else the author is, by kind.
    #[serde(default)]
    pub links: WrittenAuthorLinks,
    #[serde(default)]
    pub extra: toml::Table,
}

/// `[links]` of an author profile: each a URL; a key not listed here is refused (a typo
/// would lose the link), and `[extra]` stays free for anything else.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WrittenAuthorLinks {
    pub site: Option<Spanned<String>>,
    pub mastodon: Option<Spanned<String>>,
    pub bluesky: Option<Spanned<String>>,
    pub threads: Option<Spanned<String>>,
    pub x: Option<Spanned<String>>,
    pub linkedin: Option<Spanned<String>>,
    pub github: Option<Spanned<String>>,
    pub youtube: Option<Spanned<String>>,
}

impl WrittenAuthorLinks {
    /// The links that are set, in the order shown: (key, URL as written).
    pub fn set(&self) -> Vec<(&'static str, &Spanned<String>)> {
        [
            ("site", &self.site),
            ("mastodon", &self.mastodon),
            ("bluesky", &self.bluesky),
            ("threads", &self.threads),
            ("x", &self.x),
            ("linkedin", &self.linkedin),
            ("github", &self.github),
            ("youtube", &self.youtube),
        ]
        .into_iter()
        .filter_map(|(key, url)| url.as_ref().map(|u| (key, u)))
        .collect()
    }
}

/// Reads a date given as a TOML date or datetime, or as a string in RFC 3339 or
/// `YYYY-MM-DD[ HH:MM[:SS]]` form. Times without an offset are the site's `timezone`
/// (UTC unless set), dates are midnight there: the build must not depend on the
/// machine's time zone.
pub fn parse_date(
    value: &Spanned<toml::Value>,
    front_matter: &str,
    path: &Path,
    key: &str,
    zone: Timezone,
) -> Result<DateTime<FixedOffset>, ContentError> {
    let text = match value.get_ref() {
        toml::Value::Datetime(d) => Some(d.to_string()),
        toml::Value::String(s) => Some(s.clone()),
        _ => None,
    };
    let at = || {
        Location::at(
            path,
            Position::of_offset(front_matter, value.span().start).shifted(2),
        )
    };
    let date = text.as_deref().and_then(|t| date_from_str_in(t, zone));
    // Feeds and sitemaps speak RFC 3339 and RFC 822, whose years have four digits; a
    // year past 9999 would also schedule the article away for good.
    if let Some(d) = date
        && !(1..=9999).contains(&d.year())
    {
        return Err(ContentError::Invalid {
            location: at(),
            message: format!(
                "`{key}` is in the year {}: dates must lie in the years 1 to 9999",
                d.year()
            ),
        });
    }
    date.ok_or_else(|| ContentError::Invalid {
        location: Location::at(
            path,
            Position::of_offset(front_matter, value.span().start).shifted(2),
        ),
        message: format!(
            "invalid `{key}`: expected a date such as 2024-11-24 or 2024-11-24T09:30:00Z, found {}",
            value.get_ref()
        ),
    })
}

/// Parses the date formats that front matter accepts, times without an offset in UTC.
pub fn date_from_str(text: &str) -> Option<DateTime<FixedOffset>> {
    date_from_str_in(text, Timezone::default())
}

/// Parses the date formats that front matter accepts, times without an offset in `zone`.
pub fn date_from_str_in(text: &str, zone: Timezone) -> Option<DateTime<FixedOffset>> {
    let text = text.trim();
    if let Ok(d) = DateTime::parse_from_rfc3339(text) {
        return Some(d);
    }
    for format in [
        "%Y-%m-%dT%H:%M:%S%.f",
        "%Y-%m-%d %H:%M:%S%.f",
        "%Y-%m-%dT%H:%M",
        "%Y-%m-%d %H:%M",
    ] {
        if let Ok(d) = NaiveDateTime::parse_from_str(text, format) {
            return Some(zone.from_wall_clock(&d));
        }
    }
    NaiveDate::parse_from_str(text, "%Y-%m-%d")
        .ok()
        .map(|d| zone.from_wall_clock(&d.and_hms_opt(0, 0, 0).expect("midnight exists")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_front_matter_and_body() {
        let s = split(
            "\u{feff}+++\r\ntitle = \"x\"\r\n+++\r\nBody\r\n",
            Path::new("a.md"),
        )
        .unwrap();
        assert_eq!(s.front_matter, "title = \"x\"\r\n");
        assert_eq!(s.body, "Body\r\n");
    }

    #[test]
    fn unclosed_front_matter_is_an_error() {
        let err = split("+++\ntitle = 1\n", Path::new("a.md")).err().unwrap();
        assert!(
            err.to_string()
                .starts_with("a.md:1:1: front matter is not closed")
        );
    }

    #[test]
    fn toml_errors_point_into_the_file() {
        let s = split("+++\ntitle = \"x\"\ndate = \n+++\n", Path::new("a.md")).unwrap();
        let err = parse::<ArticleFrontMatter>(s.front_matter, Path::new("a.md")).unwrap_err();
        assert!(err.to_string().starts_with("a.md:3:"), "{err}");
    }

    #[test]
    fn dates_in_every_accepted_form() {
        for text in [
            "2014-11-24",
            "2014-11-24T10:00:00Z",
            "2014-11-24 10:00",
            "2014-11-24T10:00:00+01:00",
        ] {
            assert!(date_from_str(text).is_some(), "{text}");
        }
        assert!(date_from_str("2014-13-40").is_none());
        assert!(date_from_str("yesterday").is_none());
    }
}
