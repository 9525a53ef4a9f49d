//! `config.toml`: the site's settings, parsed once at the edge into a typed [`Config`].
//!
//! Invariant: a `Config` that exists is valid — required keys are present, unknown keys were
//! rejected (they are usually typos), `base_url` ends with exactly one `/`, and
//! `paginate_by`/`feed_limit` are at least 1.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use chrono::{DateTime, FixedOffset, NaiveDateTime};
use serde::Deserialize;
use thiserror::Error;
use toml::Spanned;

use crate::location::{Located, Location, Position};

/// The site's configuration file, relative to the site folder. The only path known before
/// the configuration is read.
pub const CONFIG_FILE: &str = "config.toml";

/// The name of the theme compiled into the binary.
pub const DEFAULT_THEME: &str = "broadsheet";

#[derive(Debug, Error)]
pub enum ConfigError {
    #[error("{}: cannot read the site configuration: {source}", path.display())]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{location}: {message}")]
    Invalid { location: Location, message: String },
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    pub title: String,
    pub base_url: String,
    #[serde(default)]
    pub description: String,
    #[serde(default = "defaults::language")]
    pub language: String,
    #[serde(default = "defaults::theme")]
    pub theme: String,
    #[serde(default = "defaults::paginate_by")]
    pub paginate_by: usize,
    #[serde(default = "defaults::feed_limit")]
    pub feed_limit: usize,
    /// The kinds of feed that carry each article's whole text; the others carry its
    /// summary (a link to read on).
    #[serde(default = "defaults::feed_full_text")]
    pub feed_full_text: Vec<FeedSubject>,
    #[serde(default = "defaults::content_dir")]
    pub content_dir: PathBuf,
    #[serde(default = "defaults::seeds_dir")]
    pub seeds_dir: PathBuf,
    #[serde(default = "defaults::output_dir")]
    pub output_dir: PathBuf,
    /// Where articles live: `/:slug/` unless set (see [`PermalinkPattern`]).
    #[serde(default)]
    pub permalink: Option<toml::Spanned<String>>,
    /// `permalink`, parsed.
    #[serde(skip)]
    pub pattern: PermalinkPattern,
    #[serde(default)]
    pub extra: toml::Table,
    #[serde(default)]
    pub import: ImportConfig,
    #[serde(default)]
    pub images: ImagesConfig,
    #[serde(default)]
    pub search: SearchConfig,
    #[serde(default)]
    pub markdown: MarkdownConfig,
    /// `[home]` as written: old URLs of the home page and its feeds, and the sections
    /// its front page shows.
    #[serde(default, rename = "home")]
    written_home: WrittenHome,
    /// `[tags.<slug>]` as written: old URLs of each tag's page and feeds.
    #[serde(default, rename = "tags")]
    written_tags: BTreeMap<String, WrittenOldUrls>,
    /// `[home]`, each URL with its place in the file.
    #[serde(skip)]
    pub home: OldUrls,
    /// `[tags.<slug>]` by the table's name, each URL with its place in the file.
    #[serde(skip)]
    pub tags: BTreeMap<String, OldUrls>,
    /// The IANA name of the time zone pages show dates and times in (`UTC` unless set).
    #[serde(default, rename = "timezone")]
    written_timezone: Option<Spanned<String>>,
    /// `timezone`, parsed: also the zone of dates written without an offset.
    #[serde(skip)]
    pub timezone: Timezone,
    /// `[[menu]]` as written: the masthead's links, when the editor chooses them.
    #[serde(default, rename = "menu")]
    written_menu: Vec<WrittenMenuEntry>,
    /// `[[footer_menu]]` as written: the footer's links.
    #[serde(default, rename = "footer_menu")]
    written_footer_menu: Vec<WrittenMenuEntry>,
    /// `[[menu]]`, in the order shown (by `weight`, then as written).
    #[serde(skip)]
    pub menu: Vec<MenuEntry>,
    /// `[[footer_menu]]`, in the order shown.
    #[serde(skip)]
    pub footer_menu: Vec<MenuEntry>,
    /// `[home] sections`: the slugs of the sections the front page gives a block, in its
    /// order, each with its place in the file; `None` (not written) shows every section,
    /// by weight.
    #[serde(skip)]
    pub home_sections: Option<Vec<Located>>,
}

/// Whose articles a feed carries: the site's, an author's, a tag's, a section's.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum FeedSubject {
    Site,
    Section,
    Author,
    Tag,
}

impl FeedSubject {
    /// The name templates see as `feed.kind`, as written in `feed_full_text`.
    pub fn name(self) -> &'static str {
        match self {
            FeedSubject::Site => "site",
            FeedSubject::Section => "section",
            FeedSubject::Author => "author",
            FeedSubject::Tag => "tag",
        }
    }
}

/// A time zone by its IANA name (`Europe/London`), UTC by default.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Timezone(pub chrono_tz::Tz);

impl Default for Timezone {
    fn default() -> Self {
        Timezone(chrono_tz::UTC)
    }
}

/// One link of a menu as written in `config.toml`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct WrittenMenuEntry {
    name: String,
    url: Spanned<String>,
    #[serde(default)]
    weight: i64,
}

/// One link of a menu: its name, and where it leads as written — an absolute URL, a path
/// from the site's root (`/about/`), or an `@/` content path the content stage resolves
/// (with the place it is written, for the error when no such file is published).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MenuEntry {
    pub name: String,
    pub url: Located,
    pub weight: i64,
}

/// `[home]` as written: the home page's old URLs (as every list has them) and the
/// sections its front page shows.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct WrittenHome {
    #[serde(default)]
    aliases: Vec<Spanned<String>>,
    #[serde(default)]
    rss_aliases: Vec<Spanned<String>>,
    #[serde(default)]
    atom_aliases: Vec<Spanned<String>>,
    #[serde(default)]
    sections: Option<Vec<Spanned<String>>>,
}

/// Old URLs of one of the site's lists (see `content::old_urls`) as written: in
/// `config.toml` for the home page and tags, which have no file of their own, and in the
/// front matter of a section's `_index.md` or an author's profile.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WrittenOldUrls {
    /// Old URLs of the list's page: each redirects to it.
    #[serde(default)]
    pub aliases: Vec<Spanned<String>>,
    /// Old URLs of an RSS feed of the list: each gets a copy of its RSS feed.
    #[serde(default)]
    pub rss_aliases: Vec<Spanned<String>>,
    /// Old URLs of an Atom feed of the list: each gets a copy of its Atom feed.
    #[serde(default)]
    pub atom_aliases: Vec<Spanned<String>>,
}

impl WrittenOldUrls {
    /// Each URL with its place, `at` giving the place of a byte offset of the parsed text.
    pub fn located(&self, at: impl Fn(usize) -> Location) -> OldUrls {
        let locate = |urls: &[Spanned<String>]| {
            urls.iter()
                .map(|u| Located {
                    text: u.get_ref().clone(),
                    location: at(u.span().start),
                })
                .collect()
        };
        OldUrls {
            aliases: locate(&self.aliases),
            rss_aliases: locate(&self.rss_aliases),
            atom_aliases: locate(&self.atom_aliases),
        }
    }
}

/// Old URLs of one of the site's lists, each with where it is written; checked (and made
/// output files) when the site is assembled, against the pages it has.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct OldUrls {
    pub aliases: Vec<Located>,
    pub rss_aliases: Vec<Located>,
    pub atom_aliases: Vec<Located>,
}

impl OldUrls {
    pub fn is_empty(&self) -> bool {
        self.aliases.is_empty() && self.rss_aliases.is_empty() && self.atom_aliases.is_empty()
    }

    /// Every URL as written, in the order of the keys.
    pub fn texts(&self) -> impl Iterator<Item = &str> {
        self.aliases
            .iter()
            .chain(&self.rss_aliases)
            .chain(&self.atom_aliases)
            .map(|u| u.text.as_str())
    }
}

/// An article URL pattern such as `/:year/:month/:day/:slug/`: literal segments and
/// tokens, each token a segment of its own. A token with no value for an article (no
/// section, no author) leaves its segment out.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct PermalinkPattern(Vec<Segment>);

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Segment {
    Literal(String),
    Year,
    Month,
    Day,
    Slug,
    /// The top-level folder of `content/` the article is in.
    Section,
    /// The article's first author's slug.
    Author,
}

impl Default for PermalinkPattern {
    fn default() -> Self {
        PermalinkPattern(vec![Segment::Slug])
    }
}

/// Why a `permalink` pattern is refused (the place is the key's, given by the caller).
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum PatternError {
    #[error("`permalink` {written:?} must start and end with `/`, as in \"/:year/:slug/\"")]
    NotBetweenSlashes { written: String },
    #[error(
        "`permalink` has the unknown token {token}: the tokens are :year, :month, :day, :slug, :section and :author"
    )]
    UnknownToken { token: String },
    #[error(
        "`permalink` segment {segment:?} is neither a token nor lowercase letters, digits and hyphens"
    )]
    BadSegment { segment: String },
    #[error("`permalink` {written:?} has no :slug, so two articles could have one URL")]
    NoSlug { written: String },
    #[error("`permalink` starts with /{first}/, which the site uses for its own pages")]
    Reserved { first: String },
}

impl PermalinkPattern {
    /// Parses a pattern: `/`-delimited, every segment a token or lowercase letters,
    /// digits and hyphens, `:slug` among them (without it, two articles of one day or one
    /// author would have one URL).
    pub fn parse(text: &str) -> Result<PermalinkPattern, PatternError> {
        let inner = text
            .strip_prefix('/')
            .and_then(|t| t.strip_suffix('/'))
            .ok_or_else(|| PatternError::NotBetweenSlashes {
                written: text.to_string(),
            })?;
        let segments = inner
            .split('/')
            .map(|segment| match segment {
                ":year" => Ok(Segment::Year),
                ":month" => Ok(Segment::Month),
                ":day" => Ok(Segment::Day),
                ":slug" => Ok(Segment::Slug),
                ":section" => Ok(Segment::Section),
                ":author" => Ok(Segment::Author),
                token if token.starts_with(':') => Err(PatternError::UnknownToken {
                    token: token.to_string(),
                }),
                literal if crate::urls::slug::is_slug(literal) => {
                    Ok(Segment::Literal(literal.to_string()))
                }
                other => Err(PatternError::BadSegment {
                    segment: other.to_string(),
                }),
            })
            .collect::<Result<Vec<Segment>, PatternError>>()?;
        if !segments.contains(&Segment::Slug) {
            return Err(PatternError::NoSlug {
                written: text.to_string(),
            });
        }
        if let Some(Segment::Literal(first)) = segments.first()
            && crate::urls::is_reserved_slug(first)
        {
            return Err(PatternError::Reserved {
                first: first.clone(),
            });
        }
        Ok(PermalinkPattern(segments))
    }

    pub fn segments(&self) -> &[Segment] {
        &self.0
    }
}

/// `[import]`: editorial control over the tags the importer derives.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ImportConfig {
    /// Names always tagged when an article mentions them.
    #[serde(default)]
    pub tags_allow: Vec<String>,
    /// Names never used as tags.
    #[serde(default)]
    pub tags_deny: Vec<String>,
}

/// `[images]`: the variants made of every local lead and body image.
#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct ImagesConfig {
    /// Widths of the variants, in pixels (an image is never made larger: widths at or above
    /// its own give one variant at its own width).
    #[serde(default = "defaults::image_widths")]
    pub widths: Vec<u32>,
    /// Lossy quality of JPEG and WebP variants, 1 to 100.
    #[serde(default = "defaults::image_quality")]
    pub quality: u8,
    /// The largest image, in millions of pixels, that is decoded at all: above it an image
    /// is refused (a 20,000 × 20,000 "decompression bomb" would take 1.6 GB to decode).
    #[serde(default = "defaults::max_megapixels")]
    pub max_megapixels: u32,
}

/// `[search]`: the site's own search page and index (see `src/search/`).
#[derive(Debug, Clone, Default, Deserialize, PartialEq, Eq, Hash)]
#[serde(deny_unknown_fields)]
pub struct SearchConfig {
    /// Whether the site has search: off unless set (sites made by `gazette init` set it).
    #[serde(default)]
    pub enabled: bool,
}

/// `[markdown]`: how articles' Markdown is rendered.
#[derive(Debug, Clone, Default, Deserialize, PartialEq, Eq, Hash)]
#[serde(deny_unknown_fields)]
pub struct MarkdownConfig {
    /// Whether every article's HTML goes through the sanitizer (`crate::sanitize`), as
    /// imported text always does: for sites that publish what outsiders write. Off, raw
    /// HTML in an article is its author's, as written.
    #[serde(default)]
    pub safe_html: bool,
}

impl Default for ImagesConfig {
    fn default() -> Self {
        ImagesConfig {
            widths: defaults::image_widths(),
            quality: defaults::image_quality(),
            max_megapixels: defaults::max_megapixels(),
        }
    }
}

/// What `gazette init` writes for the site's title, description and language: an import
/// from another platform replaces each that is still this with the old site's own.
pub mod placeholders {
    pub const TITLE: &str = "My Newsroom";
    pub const DESCRIPTION: &str = "Technology news.";
    pub const LANGUAGE: &str = "en";
}

pub(crate) mod defaults {
    pub fn image_widths() -> Vec<u32> {
        vec![480, 960, 1600]
    }
    pub fn image_quality() -> u8 {
        75
    }
    pub fn max_megapixels() -> u32 {
        64
    }
    use std::path::PathBuf;
    pub fn language() -> String {
        "en".into()
    }
    pub fn theme() -> String {
        super::DEFAULT_THEME.into()
    }
    pub fn paginate_by() -> usize {
        10
    }
    pub fn feed_limit() -> usize {
        20
    }
    /// The site's and the sections' feeds are what readers subscribe to for the news
    /// itself; an author's or a tag's feed is a notice of what is new there (the same
    /// article sits in several of them), as on most news sites.
    pub fn feed_full_text() -> Vec<super::FeedSubject> {
        vec![super::FeedSubject::Site, super::FeedSubject::Section]
    }
    pub fn content_dir() -> PathBuf {
        "content".into()
    }
    pub fn seeds_dir() -> PathBuf {
        "seeds".into()
    }
    pub fn output_dir() -> PathBuf {
        "public".into()
    }
}

impl Config {
    /// A hash of every setting, from the parsed values: equal versions, equal settings.
    /// Destructured in full, so a new setting cannot be left out.
    pub fn version(&self) -> u64 {
        let Config {
            title,
            base_url,
            description,
            language,
            theme,
            paginate_by,
            feed_limit,
            feed_full_text,
            content_dir,
            seeds_dir,
            output_dir,
            permalink: _,
            pattern,
            extra,
            import:
                ImportConfig {
                    tags_allow,
                    tags_deny,
                },
            images:
                ImagesConfig {
                    widths,
                    quality,
                    max_megapixels,
                },
            search: SearchConfig { enabled: search },
            written_home: _,
            written_tags: _,
            home,
            tags,
            home_sections,
            markdown: MarkdownConfig { safe_html },
            written_timezone: _,
            timezone,
            written_menu: _,
            written_footer_menu: _,
            menu,
            footer_menu,
        } = self;
        // Where a menu link is written does not change the site; what it says does.
        let menus: Vec<Vec<(&str, &str, i64)>> = [menu, footer_menu]
            .iter()
            .map(|m| {
                m.iter()
                    .map(|e| (e.name.as_str(), e.url.text.as_str(), e.weight))
                    .collect()
            })
            .collect();
        // Where an old URL is written does not change the site; what it says does.
        let old_urls: Vec<(&str, Vec<&str>)> = std::iter::once(("", home))
            .chain(tags.iter().map(|(k, v)| (k.as_str(), v)))
            .map(|(key, urls)| (key, urls.texts().collect()))
            .collect();
        let home_sections: Option<Vec<&str>> = home_sections
            .as_ref()
            .map(|slugs| slugs.iter().map(|s| s.text.as_str()).collect());
        // TOML values have no hash of their own; their text, with keys in order, is one.
        let extra = toml::to_string(extra).unwrap_or_default();
        crate::hash::of((
            (title, base_url, description, language, theme),
            (paginate_by, feed_limit, feed_full_text),
            (content_dir, seeds_dir, output_dir),
            pattern,
            extra,
            (tags_allow, tags_deny),
            (widths, quality, max_megapixels),
            search,
            old_urls,
            safe_html,
            (timezone.0.name(), menus),
            home_sections,
        ))
    }

    /// Reads `<root>/config.toml`.
    pub fn load(root: &Path) -> Result<Config, ConfigError> {
        Config::load_file(&root.join(CONFIG_FILE))
    }

    /// Reads the configuration file `path`.
    pub fn load_file(path: &Path) -> Result<Config, ConfigError> {
        let text = std::fs::read_to_string(path).map_err(|source| ConfigError::Read {
            path: path.to_path_buf(),
            source,
        })?;
        Config::parse(&text, path)
    }

    /// Parses and validates configuration text; `path` is only used in messages.
    pub fn parse(text: &str, path: &Path) -> Result<Config, ConfigError> {
        let mut config: Config = toml::from_str(text).map_err(|e| {
            let position = e.span().map(|s| Position::of_offset(text, s.start));
            ConfigError::Invalid {
                location: Location {
                    path: path.to_path_buf(),
                    position,
                },
                message: e.message().trim().to_string(),
            }
        })?;
        let invalid = |message: String| ConfigError::Invalid {
            location: Location::file(path),
            message,
        };
        if let Some(written) = &config.permalink {
            config.pattern =
                PermalinkPattern::parse(written.get_ref()).map_err(|e| ConfigError::Invalid {
                    location: Location {
                        path: path.to_path_buf(),
                        position: Some(Position::of_offset(text, written.span().start)),
                    },
                    message: e.to_string(),
                })?;
        }
        let at = |offset: usize| Location::at(path, Position::of_offset(text, offset));
        let home = &config.written_home;
        let old_urls = WrittenOldUrls {
            aliases: home.aliases.clone(),
            rss_aliases: home.rss_aliases.clone(),
            atom_aliases: home.atom_aliases.clone(),
        };
        config.home = old_urls.located(at);
        config.home_sections = home.sections.as_ref().map(|slugs| {
            slugs
                .iter()
                .map(|s| Located {
                    text: s.get_ref().clone(),
                    location: at(s.span().start),
                })
                .collect()
        });
        config.tags = config
            .written_tags
            .iter()
            .map(|(tag, written)| (tag.clone(), written.located(at)))
            .collect();
        if let Some(written) = &config.written_timezone {
            config.timezone =
                Timezone::parse(written.get_ref()).map_err(|message| ConfigError::Invalid {
                    location: at(written.span().start),
                    message,
                })?;
        }
        config.menu = menu_of(&config.written_menu, "menu", &at)?;
        config.footer_menu = menu_of(&config.written_footer_menu, "footer_menu", &at)?;
        config.base_url = normalize_base_url(&config.base_url).map_err(invalid)?;
        config.title = crate::text::clean(std::mem::take(&mut config.title));
        config.description = crate::text::clean(std::mem::take(&mut config.description));
        crate::text::clean_table(&mut config.extra);
        if config.paginate_by == 0 {
            return Err(invalid("`paginate_by` must be at least 1".into()));
        }
        if config.feed_limit == 0 {
            return Err(invalid("`feed_limit` must be at least 1".into()));
        }
        if config.title.trim().is_empty() {
            return Err(invalid("`title` must not be empty".into()));
        }
        let images = &mut config.images;
        if images.widths.is_empty() || images.widths.iter().any(|&w| w == 0 || w > 10_000) {
            return Err(invalid(
                "`images.widths` must list widths from 1 to 10000 pixels".into(),
            ));
        }
        images.widths.sort_unstable();
        images.widths.dedup();
        if !(1..=100).contains(&images.quality) {
            return Err(invalid("`images.quality` must be from 1 to 100".into()));
        }
        if images.max_megapixels == 0 {
            return Err(invalid("`images.max_megapixels` must be at least 1".into()));
        }
        Ok(config)
    }
}

impl Timezone {
    /// Reads an IANA time zone name such as `Europe/London` (or `UTC`).
    pub fn parse(name: &str) -> Result<Timezone, String> {
        name.trim().parse::<chrono_tz::Tz>().map(Timezone).map_err(|_| {
            format!(
                "`timezone` {name:?} is not a time zone: use an IANA name such as \"Europe/London\", \"America/New_York\" or \"UTC\""
            )
        })
    }

    /// The same moment, with this zone's offset at that moment.
    pub fn local(self, date: &DateTime<FixedOffset>) -> DateTime<FixedOffset> {
        date.with_timezone(&self.0).fixed_offset()
    }

    /// A time written without an offset, read as this zone's wall-clock time. A time the
    /// clocks skip (a spring-forward gap) is read as if in the offset before the change;
    /// a time they pass twice is the first.
    pub fn from_wall_clock(self, time: &NaiveDateTime) -> DateTime<FixedOffset> {
        use chrono::TimeZone as _;
        match self.0.from_local_datetime(time).earliest() {
            Some(t) => t.fixed_offset(),
            None => {
                // A day earlier is before the change (zones change at most a few times
                // a year).
                let day_before = *time - chrono::Duration::days(1);
                let offset = self.0.from_utc_datetime(&day_before).fixed_offset();
                let seconds = i64::from(offset.offset().local_minus_utc());
                (time.and_utc() - chrono::Duration::seconds(seconds))
                    .with_timezone(&self.0)
                    .fixed_offset()
            }
        }
    }
}

/// A menu's entries, checked, in the order shown: by `weight`, then as written (a stable
/// sort). An entry's `url` is an absolute http(s) URL, a path from the site's root or an
/// `@/` content path; whether that content exists is for the content stage to say.
fn menu_of(
    written: &[WrittenMenuEntry],
    table: &str,
    at: &impl Fn(usize) -> Location,
) -> Result<Vec<MenuEntry>, ConfigError> {
    let mut menu = Vec::with_capacity(written.len());
    for entry in written {
        let url = entry.url.get_ref().trim();
        let name = crate::text::clean(entry.name.trim().to_string());
        let problem = if name.is_empty() {
            Some(format!("a `[[{table}]]` entry needs a non-empty `name`"))
        } else if !(url.starts_with("@/")
            || url.starts_with('/')
            || url.starts_with("https://")
            || url.starts_with("http://"))
        {
            Some(format!(
                "`[[{table}]]` entry {name:?} has the `url` {url:?}: give an absolute URL (\"https://…\"), a path from the site's root (\"/about/\") or a content file (\"@/pages/about.md\")"
            ))
        } else {
            None
        };
        if let Some(message) = problem {
            return Err(ConfigError::Invalid {
                location: at(entry.url.span().start),
                message,
            });
        }
        menu.push(MenuEntry {
            name,
            url: Located {
                text: url.to_string(),
                location: at(entry.url.span().start),
            },
            weight: entry.weight,
        });
    }
    menu.sort_by_key(|e| e.weight);
    Ok(menu)
}

/// Checks that a base URL is absolute and gives it exactly one trailing slash, so that
/// `base_url + "path/"` is always a valid URL, with or without a path prefix.
pub fn normalize_base_url(url: &str) -> Result<String, String> {
    let url = url.trim();
    let rest = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"));
    match rest {
        Some(host) if !host.is_empty() && !host.starts_with('/') => {
            Ok(format!("{}/", url.trim_end_matches('/')))
        }
        _ => Err(format!(
            "`base_url` must be an absolute http(s) URL such as \"https://example.org/\", not {url:?}"
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<Config, ConfigError> {
        Config::parse(text, Path::new("config.toml"))
    }

    #[test]
    fn minimal_config_gets_every_default() {
        let c = parse("title = \"T\"\nbase_url = \"https://example.org\"").unwrap();
        assert_eq!(c.base_url, "https://example.org/");
        assert_eq!(c.language, "en");
        assert_eq!(c.theme, "broadsheet");
        assert_eq!((c.paginate_by, c.feed_limit), (10, 20));
        assert_eq!(c.output_dir, PathBuf::from("public"));
    }

    #[test]
    fn unknown_key_is_named_with_its_position() {
        let err = parse("title = \"T\"\nbase_url = \"https://e.org/\"\npaginate = 3\n")
            .unwrap_err()
            .to_string();
        assert!(err.starts_with("config.toml:3:1: "), "{err}");
        assert!(err.contains("paginate"), "{err}");
    }

    #[test]
    fn missing_title_is_an_error() {
        let err = parse("base_url = \"https://e.org/\"")
            .unwrap_err()
            .to_string();
        assert!(err.contains("title"), "{err}");
    }

    #[test]
    fn safe_html_is_off_unless_set_and_counts_in_the_version() {
        let base = "title = \"T\"\nbase_url = \"https://e.org/\"\n";
        let off = parse(base).unwrap();
        let on = parse(&format!("{base}[markdown]\nsafe_html = true\n")).unwrap();
        assert!(!off.markdown.safe_html);
        assert!(on.markdown.safe_html);
        assert_ne!(off.version(), on.version());
        let err = parse(&format!("{base}[markdown]\nsafe = true\n"))
            .unwrap_err()
            .to_string();
        assert!(
            err.starts_with("config.toml:4:1: unknown field `safe`"),
            "{err}"
        );
    }

    #[test]
    fn wall_clock_times_in_a_gap_or_a_fold_of_the_zone_are_read_without_panicking() {
        let berlin = Timezone::parse("Europe/Berlin").unwrap();
        let at = |text: &str| {
            let time = NaiveDateTime::parse_from_str(text, "%Y-%m-%d %H:%M").unwrap();
            berlin.from_wall_clock(&time).to_rfc3339()
        };
        assert_eq!(at("2024-01-10 09:30"), "2024-01-10T09:30:00+01:00");
        assert_eq!(at("2024-07-10 09:30"), "2024-07-10T09:30:00+02:00");
        // 02:30 on 31 March does not exist there (clocks go from 02:00 to 03:00).
        assert_eq!(at("2024-03-31 02:30"), "2024-03-31T03:30:00+02:00");
        // 02:30 on 27 October happens twice: the first.
        assert_eq!(at("2024-10-27 02:30"), "2024-10-27T02:30:00+02:00");
        assert_eq!(Timezone::default().0.name(), "UTC");
    }

    #[test]
    fn menus_keep_the_written_order_among_equal_weights() {
        let c = parse("title = \"T\"\nbase_url = \"https://e.org/\"\n[[menu]]\nname = \"B\"\nurl = \"/b/\"\nweight = 2\n[[menu]]\nname = \"C\"\nurl = \"/c/\"\n[[menu]]\nname = \"A\"\nurl = \"/a/\"\n").unwrap();
        let names: Vec<&str> = c.menu.iter().map(|e| e.name.as_str()).collect();
        assert_eq!(names, ["C", "A", "B"]);
        assert_eq!(c.menu[0].url.location.to_string(), "config.toml:9:7");
        let other = parse("title = \"T\"\nbase_url = \"https://e.org/\"\n[[menu]]\nname = \"B\"\nurl = \"/bee/\"\nweight = 2\n[[menu]]\nname = \"C\"\nurl = \"/c/\"\n[[menu]]\nname = \"A\"\nurl = \"/a/\"\n").unwrap();
        assert_ne!(c.version(), other.version());
    }

    #[test]
    fn base_url_keeps_its_path_prefix() {
        assert_eq!(
            normalize_base_url("https://example.org/news").unwrap(),
            "https://example.org/news/"
        );
        assert!(normalize_base_url("example.org").is_err());
        assert!(normalize_base_url("/news/").is_err());
    }

    /// The full text of every refusal of a `permalink` pattern.
    #[test]
    fn pattern_errors_print_their_whole_message() {
        let printed = |text: &str| PermalinkPattern::parse(text).unwrap_err().to_string();
        assert_eq!(
            printed(":slug"),
            "`permalink` \":slug\" must start and end with `/`, as in \"/:year/:slug/\""
        );
        assert_eq!(
            printed("/:week/:slug/"),
            "`permalink` has the unknown token :week: the tokens are :year, :month, :day, :slug, :section and :author"
        );
        assert_eq!(
            printed("/News/:slug/"),
            "`permalink` segment \"News\" is neither a token nor lowercase letters, digits and hyphens"
        );
        assert_eq!(
            printed("/:year/"),
            "`permalink` \"/:year/\" has no :slug, so two articles could have one URL"
        );
        assert_eq!(
            printed("/tags/:slug/"),
            "`permalink` starts with /tags/, which the site uses for its own pages"
        );
    }
}
