//! The `content` stage: loads `content/` into a typed, validated [`Site`].
//!
//! Files are read and parsed in parallel; each article's Markdown is rendered exactly once
//! here. Architecture invariant: a `Site` is complete and consistent — articles sorted newest
//! first (ties broken by slug, so the order is total and builds are deterministic), every
//! permalink unique, every author and tag of every article present in `authors`/`tags` with
//! its article indices in that same order. Later stages only read it.

pub mod body;
pub mod edit;
pub mod front;
pub mod frontmatter;
pub mod load_cache;
pub mod markdown;
pub mod media;
pub mod menu;
pub mod old_urls;
pub mod page;
pub mod section;
pub mod shortcodes;
pub mod urls;

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::{Path, PathBuf};

use chrono::{DateTime, FixedOffset};
use serde::{Deserialize, Serialize};
use thiserror::Error;

use crate::config::{Config, Timezone};
use crate::location::Location;
use crate::parallel;
use crate::text::{clean, clean_table, drop_controls};
use crate::urls::RESERVED_SLUGS;
use crate::urls::slug::{self, is_slug, slugify};
pub use body::{HELD_HTML, Html, Spill};
pub use front::Front;
use frontmatter::{ArticleFrontMatter, AuthorFrontMatter};
pub use media::{Bundle, ImageRef, LeadImage};
pub use old_urls::{FeedKind, ListAliases};
pub use page::{Document, Page};
pub use section::{Section, SectionIndex};
pub use urls::is_own_list_file;
pub(crate) use urls::{UrlError, alias_path, path_permalink, query_alias};

/// Folder of `content/` holding author profiles rather than articles.
pub const AUTHORS_DIR: &str = "authors";

/// The most authors one article may name. Every author's page and feeds show the article
/// with all its bylines, so a site's size grows with the square of one article's list:
/// limits keep a typo'd or generated list from turning into gigabytes.
pub const MAX_AUTHORS: usize = 50;
/// The most tags one article may have (see [`MAX_AUTHORS`]).
pub const MAX_TAGS: usize = 100;

/// Words per minute assumed for reading time.
const READING_SPEED: usize = 200;

/// A refusal of the content stage. Each carries its place (a file, or `file:line:column`)
/// and its message as data, so reports that list problems by place take them as they are
/// instead of cutting the printed text apart.
#[derive(Debug, Error)]
pub enum ContentError {
    #[error("{}", self.printed())]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{}", self.printed())]
    NotUtf8 { path: PathBuf },
    #[error("{}", self.printed())]
    Invalid { location: Location, message: String },
    /// A shortcode template that cannot be read or parsed (`place` is its file).
    #[error("{}", self.printed())]
    ShortcodeTemplate { place: String, message: String },
    #[error("{}", self.printed())]
    DuplicatePermalink {
        permalink: String,
        first: PathBuf,
        second: PathBuf,
    },
    #[error("{}", self.printed())]
    AliasTaken {
        alias: String,
        article: PathBuf,
        /// What has the URL already, e.g. `the page of content/other.md`.
        taken: String,
    },
}

impl From<shortcodes::TemplatesError> for ContentError {
    fn from(e: shortcodes::TemplatesError) -> ContentError {
        match e {
            shortcodes::TemplatesError::Read { path, source } => {
                ContentError::Read { path, source }
            }
            shortcodes::TemplatesError::Template { place, message } => {
                ContentError::ShortcodeTemplate { place, message }
            }
        }
    }
}

impl ContentError {
    /// Where: the file, or `file:line:column`.
    pub fn place(&self) -> String {
        match self {
            ContentError::Read { path, .. } | ContentError::NotUtf8 { path } => {
                path.display().to_string()
            }
            ContentError::Invalid { location, .. } => location.to_string(),
            ContentError::ShortcodeTemplate { place, .. } => place.clone(),
            ContentError::DuplicatePermalink { first, .. } => first.display().to_string(),
            ContentError::AliasTaken { article, .. } => article.display().to_string(),
        }
    }

    /// What is wrong, without the place.
    pub fn message(&self) -> String {
        match self {
            ContentError::Read { source, .. } => format!("cannot read: {source}"),
            ContentError::NotUtf8 { .. } => {
                "not valid UTF-8 text (content files must be UTF-8)".into()
            }
            ContentError::Invalid { message, .. }
            | ContentError::ShortcodeTemplate { message, .. } => message.clone(),
            ContentError::DuplicatePermalink {
                permalink, second, ..
            } => format!(
                "and {} both want the URL /{permalink}: give one of them another `slug`",
                second.display()
            ),
            ContentError::AliasTaken { alias, taken, .. } => {
                format!("the alias /{alias} is {taken}: remove it or choose another")
            }
        }
    }

    /// The printed error: place, then message. A duplicate permalink reads as one sentence
    /// naming both files (`a.md and b.md both want…`), so no colon follows its place.
    fn printed(&self) -> String {
        let separator = match self {
            ContentError::DuplicatePermalink { .. } => " ",
            _ => ": ",
        };
        format!("{}{separator}{}", self.place(), self.message())
    }
}

/// A page's path below the site root, such as `my-story/`: always relative, always ending
/// in `/` (or empty for the home page), never containing `..`.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Permalink(String);

impl Permalink {
    pub fn root() -> Self {
        Permalink(String::new())
    }

    /// Builds a permalink from slug segments, each of which must be a valid slug.
    pub fn from_segments<'a>(segments: impl IntoIterator<Item = &'a str>) -> Self {
        let mut path = String::new();
        for s in segments {
            debug_assert!(!s.is_empty() && !s.contains('/') && s != "..");
            path.push_str(s);
            path.push('/');
        }
        Permalink(path)
    }

    /// The path below the site root, e.g. `tags/rust/`.
    pub fn path(&self) -> &str {
        &self.0
    }

    /// The absolute URL under `base_url` (which ends in `/`).
    pub fn url(&self, base_url: &str) -> String {
        format!("{base_url}{}", self.0)
    }

    /// The file this page is written to inside the output folder.
    pub fn output_file(&self) -> PathBuf {
        Path::new(&self.0).join("index.html")
    }

    /// The permalink of page `n` (1-based) of a paginated list rooted here.
    pub fn page(&self, n: usize) -> Permalink {
        if n <= 1 {
            self.clone()
        } else {
            Permalink(format!("{}page/{n}/", self.0))
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Article {
    /// The file it came from, as given to the loader (for messages).
    pub source: PathBuf,
    pub slug: String,
    pub permalink: Permalink,
    pub title: String,
    pub date: DateTime<FixedOffset>,
    pub updated: Option<DateTime<FixedOffset>>,
    pub description: Option<String>,
    /// The description, else the first paragraph as plain text.
    pub summary: String,
    /// The description as a standfirst under the headline: none when it only repeats the
    /// opening of the body (as descriptions cut from the first paragraph, which imports
    /// write, do), which the reader would otherwise meet twice.
    pub standfirst: Option<String>,
    /// The bylines, in the order written.
    pub authors: Vec<Link>,
    /// The tags, in the order written.
    pub tags: Vec<Link>,
    /// The section its file is in (a top-level folder of `content/`), if any; its index
    /// into [`Site::sections`] once assembled.
    pub section: Option<Link>,
    pub draft: bool,
    /// Pinned by the editor (`pinned = true`): a story the front page keeps on top.
    pub pinned: bool,
    /// When pinning ends (`pinned_until`), if it does.
    pub pinned_until: Option<DateTime<FixedOffset>>,
    /// Its corrections, oldest first. `updated` is at least the latest one's date.
    pub corrections: Vec<Correction>,
    /// Announced as breaking news (`breaking = true`), until `breaking_until` if set;
    /// whether it still is at the build's reference time is [`Site::breaking`].
    pub breaking: bool,
    pub breaking_until: Option<DateTime<FixedOffset>>,
    #[serde(with = "load_cache::table")]
    pub extra: toml::Table,
    pub html: Html,
    /// A hash of the file's bytes: equal versions, equal articles.
    pub version: u64,
    /// The file's path below the content folder, `/`-separated (what `@/` links name).
    pub content_path: String,
    /// Links to other articles written as `@/path.md` (Zola's convention), and where they
    /// lead once the site is assembled (`None`: no such published article).
    pub internal_links: Vec<InternalLink>,
    pub word_count: usize,
    /// Minutes, at least 1.
    pub reading_time: usize,
    /// Its headings, in order, for a table of contents.
    pub toc: Vec<markdown::Heading>,
    /// Its own URL (`path`), overriding the site's `permalink` pattern.
    pub path: Option<Permalink>,
    /// Old URLs that redirect here (`aliases`), as output paths: `old/index.html` for
    /// `/old/`, `2014/11/24/old.html` as it is.
    pub aliases: Vec<String>,
    /// Old URLs with a query (`/?p=123`), which no file can answer: the page at their path
    /// sends browsers on (see `render::aliases`). As written, with a leading `/`.
    pub query_aliases: Vec<String>,
    /// Its folder and files, when the article is a folder (`<slug>/index.md`).
    pub bundle: Option<Bundle>,
    pub image: Option<LeadImage>,
    /// Who made the lead image (`image_credit`, or `extra.image_credit` as older imports
    /// wrote it); kept even without an `image`, as imported articles have it.
    pub image_credit: Option<String>,
    /// The local `<img src>` values of its HTML, as written.
    pub body_images: Vec<String>,
    /// The paths its HTML links or shows that go up a folder (`../`), as written: checked
    /// against its URL when the site is assembled, since none may leave the site.
    pub climbing_paths: Vec<String>,
}

impl Article {
    /// When the article last changed: `updated`, else `date`.
    pub fn last_modified(&self) -> DateTime<FixedOffset> {
        self.updated.unwrap_or(self.date)
    }
}

/// A correction to an article (`[[corrections]]`): when, and what was wrong.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Correction {
    pub date: DateTime<FixedOffset>,
    pub text: String,
}

/// A link to another article by its file, such as `@/2024/story.md#details`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct InternalLink {
    /// As written in the `href`.
    pub written: String,
    /// The absolute URL it resolves to.
    pub url: Option<String>,
}

/// An article's reference to one of its authors or tags.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Link {
    /// As written in the article's front matter.
    pub name: String,
    pub slug: String,
    /// Index into [`Site::authors`] or [`Site::tags`]: set when the site is assembled
    /// (cross-referenced), unset while an article is loaded alone.
    pub index: Option<usize>,
}

impl Link {
    /// The index into [`Site::authors`] or [`Site::tags`] of an assembled site.
    pub fn at(&self) -> usize {
        self.index
            .expect("links are cross-referenced when the site is assembled")
    }
}

#[derive(Debug, Clone)]
pub struct Author {
    pub slug: String,
    pub name: String,
    pub permalink: Permalink,
    /// The profile's Markdown body as HTML (empty without a profile).
    pub bio_html: String,
    /// The author's photo (`image`): a path under `static/` (planned like lead images)
    /// or a URL.
    pub image: Option<AuthorImage>,
    /// What the author does (`role`), such as "Senior reporter".
    pub role: Option<String>,
    /// Where else the author is (`[links]`): (kind, URL), in a fixed order of kinds.
    pub links: Vec<(&'static str, String)>,
    pub extra: toml::Table,
    /// The profile file, if the author has one.
    pub profile: Option<PathBuf>,
    /// Old URLs of the author's page and feeds (from the profile).
    pub aliases: ListAliases,
    /// A hash of the profile's bytes (of the name, without a profile).
    pub version: u64,
    /// Indices into [`Site::articles`], newest first.
    pub articles: Vec<usize>,
}

/// An author's photo as written in the profile, and what it names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuthorImage {
    pub written: String,
    /// The line of `image` in the profile, for messages.
    pub line: usize,
    pub source: ImageRef,
}

#[derive(Debug, Clone)]
pub struct Tag {
    pub slug: String,
    /// The spelling used by the newest article carrying it.
    pub name: String,
    pub permalink: Permalink,
    /// Indices into [`Site::articles`], newest first.
    pub articles: Vec<usize>,
    /// Old URLs of the tag's page and feeds (`[tags.<slug>]` of the configuration).
    pub aliases: ListAliases,
}

/// A problem in a content file that does not stop the build.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Warning {
    pub file: PathBuf,
    pub message: String,
    /// A problem `gazette check` fails on (the build goes on).
    pub fails_check: bool,
}

impl std::fmt::Display for Warning {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.file.display(), self.message)
    }
}

/// Everything the renderer needs, loaded and cross-referenced.
#[derive(Debug)]
pub struct Site {
    pub config: Config,
    pub articles: Vec<Article>,
    /// The pages (`content/pages/`), by their file.
    pub pages: Vec<Page>,
    /// Sorted by slug.
    pub authors: Vec<Author>,
    /// Sorted by slug.
    pub tags: Vec<Tag>,
    /// Sorted by slug.
    pub sections: Vec<Section>,
    /// Old URLs of the home page and its feeds (`[home]` of the configuration).
    pub home_aliases: ListAliases,
    /// Problems worth telling the user that do not stop the build.
    pub warnings: Vec<Warning>,
    /// Articles left out because they are dated after the build's reference time.
    pub scheduled: usize,
    /// The date of the first of them to come due.
    pub next_scheduled: Option<DateTime<FixedOffset>>,
    /// Indices into `articles` of the breaking stories whose banner is up at the
    /// reference time, newest first (with no reference time, `--future`, every one).
    pub breaking: Vec<usize>,
    /// When the first of their banners comes down, if one has a `breaking_until`.
    pub next_expiry: Option<DateTime<FixedOffset>>,
    /// `[[menu]]` of the configuration, resolved (empty: the theme's own navigation).
    pub menu: Vec<menu::MenuLink>,
    /// `[[footer_menu]]` of the configuration, resolved.
    pub footer_menu: Vec<menu::MenuLink>,
    /// The home page's running order and the stories pinned at the reference time.
    pub front: Front,
    /// When the first of those pins ends (`pinned_until`), so the site changes then.
    pub next_unpinned: Option<DateTime<FixedOffset>>,
    /// The section and tags of each draft left out of the site, by its file: a home
    /// section or a tag's old URLs named by drafts alone are named rightly, also when the
    /// site is taken apart and assembled again without reloading them.
    pub left_out: Vec<LeftOut>,
}

/// Where a draft left out of the site would go: its section's and tags' slugs.
#[derive(Debug, Clone)]
pub struct LeftOut {
    pub source: PathBuf,
    pub section: Option<String>,
    pub tags: Vec<String>,
}

#[derive(Debug, Clone, Copy, Default)]
pub struct LoadOptions {
    /// Include articles with `draft = true`.
    pub drafts: bool,
    /// Leave out articles dated after this moment (scheduled ones); `None` includes them.
    pub published_by: Option<DateTime<FixedOffset>>,
    /// Whether articles' bodies are rendered.
    pub bodies: Bodies,
    /// How much HTML the load holds in memory before it spills the rest to a file.
    pub held_html: HeldHtml,
}

/// How much of a site's HTML a load holds in memory (see [`body`]): [`HELD_HTML`] unless
/// a caller says otherwise.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct HeldHtml(pub usize);

impl Default for HeldHtml {
    fn default() -> Self {
        HeldHtml(HELD_HTML)
    }
}

/// Whether a load renders articles' Markdown.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Bodies {
    #[default]
    Rendered,
    /// Left empty: for a load that needs only where each page is (an import measuring
    /// which old URLs answer), which then costs the front matter alone.
    Skipped,
}

/// Loads every article and author profile under `content_dir`, with the built-in
/// shortcodes alone.
pub fn load(
    config: Config,
    content_dir: &Path,
    options: LoadOptions,
) -> Result<Site, ContentError> {
    load_with(
        config,
        content_dir,
        options,
        shortcodes::Shortcodes::built_in(),
    )
}

/// [`load`] with the site's shortcodes.
pub fn load_with(
    config: Config,
    content_dir: &Path,
    options: LoadOptions,
    shortcodes: std::sync::Arc<shortcodes::Shortcodes>,
) -> Result<Site, ContentError> {
    load_cached(config, content_dir, options, shortcodes, None).map(|(site, _)| site)
}

/// [`load_with`], taking what it can from the content cache in `cache` (a folder; see
/// [`load_cache`]) and bringing it up to date; with how many files came from it.
pub fn load_cached(
    config: Config,
    content_dir: &Path,
    options: LoadOptions,
    shortcodes: std::sync::Arc<shortcodes::Shortcodes>,
    cache: Option<&Path>,
) -> Result<(Site, load_cache::Counts), ContentError> {
    let mut skipped = Vec::new();
    let files = markdown_files_noting(content_dir, &mut skipped)?;
    let authors_dir = content_dir.join(AUTHORS_DIR);
    // Compared as bytes: `Path::starts_with` parses both paths into components, which
    // showed for 10,000s of files. Paths come from walking `content_dir`, so they share
    // its spelling.
    let prefix = authors_dir.join("");
    let prefix = prefix.as_os_str().as_encoded_bytes();
    let (profile_files, other_files): (Vec<_>, Vec<_>) = files
        .into_iter()
        .partition(|p| p.as_os_str().as_encoded_bytes().starts_with(prefix));
    let (index_files, article_files): (Vec<_>, Vec<_>) = other_files
        .into_iter()
        .partition(|p| section::is_index_file(p));

    let zone = config.timezone;
    // Bodies left unrendered are not what the cache holds.
    let cache = cache.filter(|_| options.bodies == Bodies::Rendered);
    let shortcodes_version = shortcodes.version;
    let markdown = match options.bodies {
        Bodies::Rendered => {
            let mut renderer = markdown::Renderer::new(config.markdown.safe_html);
            renderer.set_shortcodes(shortcodes);
            renderer
        }
        Bodies::Skipped => markdown::Renderer::skipping(),
    };
    // In the content cache's folder, on the site's disk (see `body::Spill`).
    let spill = Spill::new(options.held_html.0, cache);
    let keep = |loaded: Loaded| loaded.kept(&spill);
    let load = |path: &Path| load_entry(path, content_dir, &markdown, zone).map(keep);
    let safe_html = config.markdown.safe_html;
    let cache = cache.and_then(|dir| {
        let identity = load_cache::identity(content_dir, zone, safe_html, shortcodes_version)?;
        Some((dir, identity))
    });
    let (entries, counts) = match cache {
        Some((dir, identity)) => {
            load_cache::load_entries(dir, identity, &article_files, load, keep)?
        }
        None => {
            let entries = parallel::try_map(&article_files, |path| load(path))?;
            let parsed = entries.len();
            (entries, load_cache::Counts { cached: 0, parsed })
        }
    };
    let mut parts = Parts {
        profiles: parallel::try_map(&profile_files, |path| load_profile(path))?,
        indexes: parallel::try_map(&index_files, |path| {
            section::load_index(path, content_dir, &markdown)
        })?,
        ..Parts::default()
    };
    // Reserved, not grown by doubling: at 100,000 articles the doubling left 26 MB unused
    // (heaptrack: 109 MB for the vector).
    parts.articles.reserve_exact(entries.len());
    for entry in entries {
        parts.add(entry);
    }
    let mut site = assemble(config, parts, options)?;
    site.warnings.splice(0..0, skipped);
    Ok((site, counts))
}

/// What a [`Site`] is assembled from: its files, loaded.
#[derive(Debug, Default)]
pub struct Parts {
    pub articles: Vec<Article>,
    pub pages: Vec<Page>,
    pub profiles: Vec<Author>,
    pub indexes: Vec<SectionIndex>,
    /// Drafts left out of the site when it was assembled (see [`Site::left_out`]).
    pub left_out: Vec<LeftOut>,
}

impl Parts {
    pub fn add(&mut self, loaded: Loaded) {
        match loaded {
            Loaded::Article(a) => self.articles.push(*a),
            Loaded::Page(p) => self.pages.push(*p),
            Loaded::Profile(p) => self.profiles.push(p),
            Loaded::Section(i) => self.indexes.push(i),
        }
    }

    /// Forgets what came from `file`.
    pub fn remove(&mut self, file: &Path) {
        self.articles.retain(|a| a.source != file);
        self.pages.retain(|p| p.source != file);
        self.profiles.retain(|p| p.profile.as_deref() != Some(file));
        self.indexes.retain(|i| i.file != file);
        self.left_out.retain(|d| d.source != file);
    }
}

/// One content file, loaded.
#[derive(Debug)]
pub enum Loaded {
    Article(Box<Article>),
    Page(Box<Page>),
    Profile(Author),
    Section(SectionIndex),
}

impl Loaded {
    /// With its HTML held or spilled as `spill` decides.
    fn kept(self, spill: &Spill) -> Loaded {
        match self {
            Loaded::Article(mut a) => {
                a.html = spill.keep(a.html);
                Loaded::Article(a)
            }
            Loaded::Page(mut p) => {
                p.html = spill.keep(p.html);
                Loaded::Page(p)
            }
            other => other,
        }
    }
}

/// Loads one file of `content_dir` (an article, an author profile below `authors/` or a
/// section's `_index.md`), for callers that keep a site in memory and reload only what
/// changed.
pub fn load_file(
    path: &Path,
    content_dir: &Path,
    markdown: &markdown::Renderer,
    zone: Timezone,
) -> Result<Loaded, ContentError> {
    if path.starts_with(content_dir.join(AUTHORS_DIR)) {
        load_profile(path).map(Loaded::Profile)
    } else if section::is_index_file(path) {
        section::load_index(path, content_dir, markdown).map(Loaded::Section)
    } else {
        load_entry(path, content_dir, markdown, zone)
    }
}

/// `files` without those that belong to a page bundle (every file below a folder holding an
/// `index.md`, but that `index.md`), which are its files rather than articles.
fn without_bundle_files(files: Vec<PathBuf>, content_dir: &Path) -> Vec<PathBuf> {
    let bundles: std::collections::HashSet<&Path> = files
        .iter()
        .filter(|p| media::is_bundle_index(p))
        .filter_map(|p| p.parent())
        .filter(|dir| *dir != content_dir)
        .collect();
    if bundles.is_empty() {
        return files;
    }
    let in_bundle = |file: &Path| {
        let own = media::is_bundle_index(file)
            .then(|| file.parent())
            .flatten();
        file.ancestors()
            .skip(1)
            .take_while(|dir| *dir != content_dir)
            .any(|dir| bundles.contains(dir) && Some(dir) != own)
    };
    files.iter().filter(|f| !in_bundle(f)).cloned().collect()
}

/// The `index.md` of the page bundle `path` belongs to as one of its files (not as its
/// `index.md`), looking at the disk: the outermost folder below `content_dir` holding one.
pub fn bundle_index_of(path: &Path, content_dir: &Path) -> Option<PathBuf> {
    let own = media::is_bundle_index(path)
        .then(|| path.parent())
        .flatten();
    path.ancestors()
        .skip(1)
        .take_while(|dir| *dir != content_dir && dir.starts_with(content_dir))
        .filter(|dir| Some(*dir) != own)
        .map(|dir| dir.join(media::BUNDLE_INDEX))
        .filter(|index| index.is_file())
        .last()
}

/// Whether `path` is a content file [`load`] reads.
pub fn is_content_file(path: &Path) -> bool {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy())
        .unwrap_or_default();
    let markdown = name
        .rsplit_once('.')
        .is_some_and(|(_, ext)| ext.eq_ignore_ascii_case("md"));
    markdown && !name.starts_with('.')
}

/// Builds a [`Site`] from loaded articles, profiles and section indexes: leaves drafts out
/// unless asked, sorts, checks that permalinks are unique, and cross-references authors,
/// tags and sections.
pub fn assemble(config: Config, parts: Parts, options: LoadOptions) -> Result<Site, ContentError> {
    let Parts {
        mut articles,
        mut pages,
        profiles,
        indexes,
        mut left_out,
    } = parts;
    let known = known_names(&config, &articles, &indexes, &left_out);
    let Shown {
        scheduled,
        next_scheduled,
    } = keep_shown(&mut articles, &mut pages, &mut left_out, &options);
    place_articles(&config, &mut articles);
    let sections = section::cross_reference(&mut articles, indexes)?;
    {
        let documents: Vec<&dyn Document> = documents_of(&articles, &pages).collect();
        urls::check_urls(&documents, &sections, config.paginate_by)?;
    }
    check_climbing_paths(&articles)?;

    let mut warnings = lead_images_without_alt(&articles, &pages);
    let authors = cross_reference_authors(&mut articles, profiles, &mut warnings);
    let mut tags = cross_reference_tags(&mut articles);
    let home_aliases = config_list_aliases(&config, &known.tags, &mut tags)?;
    let (pinned, next_unpinned) = front::pins(&articles, options.published_by);
    let order = front::home_sections(&config, &sections, &known.sections)?;
    let front = Front::of(&articles, &sections, pinned, &order);
    urls::check_list_aliases(
        &articles,
        &pages,
        &sections,
        &authors,
        &tags,
        (&home_aliases, front.page_count(config.paginate_by)),
        config.paginate_by,
    )?;
    resolve_internal_links(&config.base_url, &mut articles, &mut pages);
    let (breaking, next_expiry) = breaking_news(&articles, options.published_by);
    let base = config.base_url.as_str();
    let menu = menu::resolve(
        &config.menu,
        documents_of(&articles, &pages),
        &sections,
        base,
    )?;
    let footer_menu = menu::resolve(
        &config.footer_menu,
        documents_of(&articles, &pages),
        &sections,
        base,
    )?;
    Ok(Site {
        config,
        articles,
        pages,
        authors,
        tags,
        sections,
        home_aliases,
        warnings,
        scheduled,
        next_scheduled,
        breaking,
        next_expiry,
        menu,
        footer_menu,
        front,
        next_unpinned,
        left_out,
    })
}

/// The tags and home sections a site may name though they have no page: those of its
/// drafts and scheduled articles too, so their names and old URLs are not refused.
struct KnownNames {
    tags: HashSet<String>,
    sections: HashSet<String>,
}

/// The names the site knows (see [`KnownNames`]), each gathered only when the config
/// names tags or home sections.
fn known_names(
    config: &Config,
    articles: &[Article],
    indexes: &[SectionIndex],
    left_out: &[LeftOut],
) -> KnownNames {
    // A tag of drafts or scheduled articles only keeps its old URLs for when it is
    // published: it is a tag of the site, with no page yet.
    let tags: HashSet<String> = if config.tags.is_empty() {
        HashSet::new()
    } else {
        let links = articles
            .iter()
            .flat_map(|a| &a.tags)
            .map(|l| l.slug.as_str());
        let drafts = left_out.iter().flat_map(|d| &d.tags).map(String::as_str);
        links.chain(drafts).map(str::to_string).collect()
    };
    // A home section of drafts or scheduled stories only is named rightly; it has no
    // block until one is published.
    let sections: HashSet<String> = if config.home_sections.is_some() {
        let links = articles.iter().filter_map(|a| a.section.as_ref());
        let folders = indexes.iter().map(|i| slugify(&i.folder));
        let drafts = left_out.iter().filter_map(|d| d.section.clone());
        links
            .map(|l| l.slug.clone())
            .chain(folders)
            .chain(drafts)
            .collect()
    } else {
        HashSet::new()
    };
    KnownNames { tags, sections }
}

/// How many articles are scheduled (dated after the reference time), and the first of
/// their dates.
struct Shown {
    scheduled: usize,
    next_scheduled: Option<DateTime<FixedOffset>>,
}

/// Keeps what the site shows: drafts only when asked (the rest recorded as left out),
/// articles published by the reference time, newest first; pages in their files' order,
/// at their own `path` where they give one.
fn keep_shown(
    articles: &mut Vec<Article>,
    pages: &mut Vec<Page>,
    left_out: &mut Vec<LeftOut>,
    options: &LoadOptions,
) -> Shown {
    let total = articles.len();
    if !options.drafts {
        left_out.extend(articles.iter().filter(|a| a.draft).map(|a| LeftOut {
            source: a.source.clone(),
            section: a.section.as_ref().map(|l| l.slug.clone()),
            tags: a.tags.iter().map(|l| l.slug.clone()).collect(),
        }));
    }
    articles.retain(|a| options.drafts || !a.draft);
    pages.retain(|p| options.drafts || !p.draft);
    // Pages are no news: never scheduled, wherever their date lies.
    pages.sort_by(|a, b| a.content_path.cmp(&b.content_path));
    for p in pages.iter_mut() {
        if let Some(own) = &p.path {
            p.permalink = own.clone();
        }
    }
    let unscheduled = articles.len();
    let next_scheduled = options.published_by.and_then(|now| {
        articles
            .iter()
            .map(|a| a.date)
            .filter(|&date| date > now)
            .min()
    });
    articles.retain(|a| options.published_by.is_none_or(|now| a.date <= now));
    let scheduled = unscheduled - articles.len();
    debug_assert!(unscheduled <= total);
    articles.sort_by(|a, b| b.date.cmp(&a.date).then_with(|| a.slug.cmp(&b.slug)));
    Shown {
        scheduled,
        next_scheduled,
    }
}

/// Gives each article its permalink under the site's pattern or its own `path` (the
/// default pattern without any `path` is the slug each already has).
fn place_articles(config: &Config, articles: &mut [Article]) {
    if config.pattern != crate::config::PermalinkPattern::default()
        || articles.iter().any(|a| a.path.is_some())
    {
        for a in articles.iter_mut() {
            a.permalink = urls::permalink_in(&config.pattern, a);
        }
    }
}

/// A warning, failing `check`, for each lead image without alt text.
fn lead_images_without_alt(articles: &[Article], pages: &[Page]) -> Vec<Warning> {
    documents_of(articles, pages)
        .filter(|d| d.image().is_some_and(|i| i.alt.is_none()))
        .map(|d| Warning {
            file: d.source().to_path_buf(),
            message: "the lead image has no `image_alt`: describe it for readers who cannot see it"
                .into(),
            fails_check: true,
        })
        .collect()
}

/// Resolves the `@/file.md` links of articles and pages to the permalinks of the files
/// they name.
fn resolve_internal_links(base_url: &str, articles: &mut [Article], pages: &mut [Page]) {
    if documents_of(articles, pages).any(|d| !d.internal_links().is_empty()) {
        let index: HashMap<String, Permalink> = documents_of(articles, pages)
            .map(|d| (d.content_path().to_string(), d.permalink().clone()))
            .collect();
        let index: HashMap<&str, &Permalink> = index.iter().map(|(k, v)| (k.as_str(), v)).collect();
        for article in articles.iter_mut().filter(|a| !a.internal_links.is_empty()) {
            resolve_with(&index, base_url, article);
        }
        for page in pages.iter_mut().filter(|p| !p.internal_links.is_empty()) {
            resolve_with(&index, base_url, page);
        }
    }
}

/// The breaking stories whose banner is up at `now` (every one without a reference time:
/// a preview of everything, like `--future`'s scheduled articles), and when the first of
/// those that end comes down.
fn breaking_news(
    articles: &[Article],
    now: Option<DateTime<FixedOffset>>,
) -> (Vec<usize>, Option<DateTime<FixedOffset>>) {
    let up = |a: &Article| {
        a.breaking
            && a.breaking_until
                .is_none_or(|until| now.is_none_or(|now| until > now))
    };
    let breaking: Vec<usize> = (0..articles.len()).filter(|&i| up(&articles[i])).collect();
    let next_expiry = now.and_then(|_| {
        let ends = breaking.iter().filter_map(|&i| articles[i].breaking_until);
        ends.min()
    });
    (breaking, next_expiry)
}

impl Site {
    /// When the site next changes by the clock alone: a scheduled article comes due, a
    /// breaking-news banner comes down or a pin ends.
    pub fn next_change(&self) -> Option<DateTime<FixedOffset>> {
        self.next_scheduled
            .into_iter()
            .chain(self.next_expiry)
            .chain(self.next_unpinned)
            .min()
    }
}

impl Site {
    /// Takes the site apart into what [`assemble`] builds it from, so that a few files can
    /// be replaced without reloading the rest.
    pub fn disassemble(self) -> (Config, Parts) {
        let profiles = self
            .authors
            .into_iter()
            .filter(|a| a.profile.is_some())
            .map(|mut a| {
                a.articles.clear();
                a
            })
            .collect();
        let mut articles = self.articles;
        for a in &mut articles {
            for link in a.authors.iter_mut().chain(a.tags.iter_mut()) {
                link.index = None;
            }
            if let Some(link) = &mut a.section {
                link.index = None;
            }
        }
        let indexes = self.sections.into_iter().filter_map(|s| s.index).collect();
        let parts = Parts {
            articles,
            pages: self.pages,
            profiles,
            indexes,
            left_out: self.left_out,
        };
        (self.config, parts)
    }
}

/// All `*.md` files below `dir` but those a page bundle holds besides its `index.md`, in a
/// stable order.
/// Content files whose extension is any case of `.md` count, and so do symbolic links to
/// files (as in `seeds/`); what looks like content but cannot be read as such (a link to a
/// folder or to nothing) is named in `skipped`, never passed over in silence.
pub fn markdown_files(dir: &Path) -> Result<Vec<PathBuf>, ContentError> {
    markdown_files_noting(dir, &mut Vec::new())
}

/// [`markdown_files`], adding a warning for each file it leaves out to `skipped`.
pub fn markdown_files_noting(
    dir: &Path,
    skipped: &mut Vec<Warning>,
) -> Result<Vec<PathBuf>, ContentError> {
    if !dir.exists() {
        return Ok(Vec::new());
    }
    let mut files = Vec::new();
    for entry in walkdir::WalkDir::new(dir).sort_by_file_name() {
        let entry = entry.map_err(|e| ContentError::Read {
            path: e.path().unwrap_or(dir).to_path_buf(),
            source: e.into(),
        })?;
        if !is_content_file(entry.path()) {
            continue;
        }
        let kind = entry.file_type();
        if kind.is_file() || (kind.is_symlink() && entry.path().is_file()) {
            files.push(entry.into_path());
        } else if kind.is_symlink() {
            skipped.push(Warning {
                file: entry.into_path(),
                message: "left out: a link to a folder or to nothing, not to a file".into(),
                fails_check: false,
            });
        }
    }
    Ok(without_bundle_files(files, dir))
}

fn read_text(path: &Path) -> Result<String, ContentError> {
    let bytes = std::fs::read(path).map_err(|source| ContentError::Read {
        path: path.to_path_buf(),
        source,
    })?;
    String::from_utf8(bytes).map_err(|_| ContentError::NotUtf8 {
        path: path.to_path_buf(),
    })
}

/// Renders the body of the file `path` (whose text is `text`): a shortcode's error is
/// placed at its line and column in the file.
pub(crate) fn render_body(
    markdown: &markdown::Renderer,
    path: &Path,
    text: &str,
    body: &str,
) -> Result<markdown::Rendered, ContentError> {
    let cleaned = drop_controls(body);
    markdown.render(&cleaned).map_err(|e| {
        // The body is a slice of the text: the line it starts on places the error.
        let start = (body.as_ptr() as usize).saturating_sub(text.as_ptr() as usize);
        let first_line = text.get(..start).map_or(0, |t| t.matches('\n').count()) + 1;
        // (It starts a line: the one after the closing `+++`.)
        let position = crate::location::Position::of_offset(&cleaned, e.at).shifted(first_line);
        ContentError::Invalid {
            location: Location::at(path, position),
            message: e.message,
        }
    })
}

/// An entry's file while it loads: where a key of its front matter is, for its errors.
struct EntryFile<'a> {
    path: &'a Path,
    /// The front matter's text, which the keys' spans are offsets into.
    front_matter: &'a str,
}

impl EntryFile<'_> {
    /// The position of a front matter offset in the file (whose front matter starts on
    /// its second line).
    fn position(&self, offset: usize) -> crate::location::Position {
        crate::location::Position::of_offset(self.front_matter, offset).shifted(2)
    }

    /// A refusal placed at the key whose value starts at `offset`.
    fn invalid(&self, offset: usize, message: String) -> ContentError {
        ContentError::Invalid {
            location: Location::at(self.path, self.position(offset)),
            message,
        }
    }

    /// A refusal of the whole file.
    fn refused(&self, message: String) -> ContentError {
        ContentError::Invalid {
            location: Location::file(self.path),
            message,
        }
    }
}

/// An entry's dates, checked: "updated" already follows its latest correction.
struct EntryDates {
    date: Option<DateTime<FixedOffset>>,
    updated: Option<DateTime<FixedOffset>>,
    pinned_until: Option<DateTime<FixedOffset>>,
    breaking_until: Option<DateTime<FixedOffset>>,
    corrections: Vec<Correction>,
}

/// The addresses an entry asks for besides its own: its `path`, and its aliases (as the
/// files they are written to) and query aliases.
struct EntryUrls {
    own_path: Option<Permalink>,
    aliases: Vec<String>,
    query_aliases: Vec<String>,
}

/// What a page and an article share, loaded and checked.
struct Entry {
    path: PathBuf,
    content_path: String,
    bundle: Option<Bundle>,
    slug: String,
    title: String,
    dates: EntryDates,
    description: Option<String>,
    summary: String,
    rendered: markdown::Rendered,
    image: Option<LeadImage>,
    image_credit: Option<String>,
    draft: bool,
    extra: toml::Table,
    urls: EntryUrls,
    version: u64,
}

/// An article, or a page when its file is below `content/pages/` (the same front matter,
/// less what only news has). Its keys are checked in the order the steps below take
/// them, so a file with several faults is always refused for the same one.
fn load_entry(
    path: &Path,
    content_dir: &Path,
    markdown: &markdown::Renderer,
    zone: Timezone,
) -> Result<Loaded, ContentError> {
    let text = read_text(path)?;
    let split = frontmatter::split(&text, path)?;
    let mut fm: ArticleFrontMatter = frontmatter::parse(split.front_matter, path)?;
    let file = EntryFile {
        path,
        front_matter: split.front_matter,
    };
    let bundle = media::is_bundle_index(path)
        .then(|| path.parent().filter(|dir| *dir != content_dir))
        .flatten()
        .map(|_| Bundle::of(path));
    let content_path = content_path_of(path, content_dir);
    let is_page = page::is_page_path(&content_path);
    let dates = entry_dates(&fm, &file, zone, is_page)?;
    let slug = entry_slug(&fm, &file, bundle.is_some())?;
    let rendered = render_body(markdown, path, &text, split.body)?;
    let description = fm
        .description
        .take()
        .map(|d| clean(d.trim().to_string()))
        .filter(|d| !d.is_empty());
    let summary = description
        .clone()
        .unwrap_or_else(|| rendered.first_paragraph.clone());
    let urls = entry_urls(&fm, &file)?;
    let authors = capped_list(fm.authors.take(), "authors", MAX_AUTHORS, &file)?;
    let tags = capped_list(fm.tags.take(), "tags", MAX_TAGS, &file)?;
    let image = lead_image(&fm, &file, bundle.as_ref())?;
    let image_credit = optional(fm.image_credit.clone()).or_else(|| {
        optional(
            fm.extra
                .get("image_credit")
                .and_then(toml::Value::as_str)
                .map(str::to_string),
        )
    });
    let (pinned, breaking) = (fm.is_pinned(), fm.is_breaking());
    let mut extra = fm.extra;
    clean_table(&mut extra);
    let entry = Entry {
        path: path.to_path_buf(),
        version: version_with(path, &text, rendered.shortcodes),
        content_path,
        bundle,
        slug,
        title: clean(fm.title.trim().to_string()),
        dates,
        description,
        summary,
        rendered,
        image,
        image_credit,
        draft: fm.draft,
        extra,
        urls,
    };
    if is_page {
        return Ok(Loaded::Page(Box::new(page_of(entry))));
    }
    let byline = Byline {
        authors,
        tags,
        pinned,
        breaking,
    };
    Ok(Loaded::Article(Box::new(article_of(entry, byline, &file)?)))
}

/// A file's path below `content/`, `/`-separated.
fn content_path_of(path: &Path, content_dir: &Path) -> String {
    path.strip_prefix(content_dir)
        .unwrap_or(path)
        .components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}

/// The entry's dates; on a page, first refuses what only news has.
fn entry_dates(
    fm: &ArticleFrontMatter,
    file: &EntryFile,
    zone: Timezone,
    is_page: bool,
) -> Result<EntryDates, ContentError> {
    let date_of = |value: &toml::Spanned<toml::Value>, key: &str| {
        frontmatter::parse_date(value, file.front_matter, file.path, key, zone)
    };
    let date = fm.date.as_ref().map(|d| date_of(d, "date")).transpose()?;
    let updated = fm
        .updated
        .as_ref()
        .map(|u| date_of(u, "updated"))
        .transpose()?;
    let pinned_until = fm
        .pinned_until
        .as_ref()
        .map(|until| {
            if !fm.is_pinned() {
                return Err(file.invalid(
                    until.span().start,
                    "`pinned_until` says when pinning ends: set `pinned = true` too".into(),
                ));
            }
            date_of(until, "pinned_until")
        })
        .transpose()?;
    if is_page {
        refuse_news_keys(fm, &|offset, message| file.invalid(offset, message))?;
    }
    let (breaking_until, corrections) = news_flags(fm, file.front_matter, file.path, zone)?;
    // "Updated" and `dateModified` follow the latest correction.
    let updated = updated
        .into_iter()
        .chain(corrections.last().map(|c| c.date))
        .max();
    Ok(EntryDates {
        date,
        updated,
        pinned_until,
        breaking_until,
        corrections,
    })
}

/// The entry's slug, checked (after its title, which must not be empty): the one it
/// gives, or its file's.
fn entry_slug(
    fm: &ArticleFrontMatter,
    file: &EntryFile,
    bundle: bool,
) -> Result<String, ContentError> {
    if drop_controls(&fm.title).trim().is_empty() {
        return Err(file.refused("`title` must not be empty".into()));
    }
    let slug = match &fm.slug {
        Some(s) => {
            let written = s.get_ref();
            if written.contains(['/', '\\']) || written.contains("..") {
                return Err(file.invalid(
                    s.span().start,
                    format!(
                        "slug {written:?} would leave the output folder: use letters, digits and hyphens"
                    ),
                ));
            }
            let whole = slug::slugify_whole(written);
            if whole.len() > slug::MAX_WRITTEN {
                return Err(file.invalid(
                    s.span().start,
                    format!(
                        "the slug is {} characters long; at most {} fit in a file name",
                        whole.len(),
                        slug::MAX_WRITTEN
                    ),
                ));
            }
            whole
        }
        None => file_slug(file.path, bundle),
    };
    if slug.is_empty() {
        return Err(
            file.refused("the slug is empty: set `slug` to letters, digits and hyphens".into())
        );
    }
    if RESERVED_SLUGS.contains(&slug.as_str()) {
        return Err(file.refused(format!(
            "the slug `{slug}` is used by the site itself: choose another `slug`"
        )));
    }
    debug_assert!(is_slug(&slug));
    Ok(slug)
}

/// The entry's `path` and aliases, each placed at its key when refused.
fn entry_urls(fm: &ArticleFrontMatter, file: &EntryFile) -> Result<EntryUrls, ContentError> {
    let own_path = fm
        .path
        .as_ref()
        .map(|p| {
            path_permalink(p.get_ref()).map_err(|e| file.invalid(p.span().start, e.to_string()))
        })
        .transpose()?;
    let (query_aliases, aliases): (Vec<_>, Vec<_>) = fm
        .aliases
        .iter()
        .partition(|alias| alias.get_ref().contains('?'));
    let aliases = aliases
        .into_iter()
        .map(|alias| {
            alias_path(alias.get_ref()).map_err(|e| file.invalid(alias.span().start, e.to_string()))
        })
        .collect::<Result<Vec<String>, ContentError>>()?;
    let query_aliases = query_aliases
        .into_iter()
        .map(|alias| {
            query_alias(alias.get_ref())
                .map_err(|e| file.invalid(alias.span().start, e.to_string()))
        })
        .collect::<Result<Vec<String>, ContentError>>()?;
    Ok(EntryUrls {
        own_path,
        aliases,
        query_aliases,
    })
}

/// An entry's authors or tags, cleaned, at most `most` of them.
fn capped_list(
    field: Option<toml::Spanned<Vec<String>>>,
    what: &str,
    most: usize,
    file: &EntryFile,
) -> Result<Vec<Link>, ContentError> {
    let Some(field) = field else {
        return Ok(Vec::new());
    };
    let start = field.span().start;
    let links = clean_list(field.into_inner());
    if links.len() > most {
        return Err(file.invalid(
            start,
            format!(
                "{} {what}; an article may have at most {most} (each of their pages shows it with all of them)",
                links.len()
            ),
        ));
    }
    Ok(links)
}

/// A text the author may leave out: trimmed and cleaned, `None` when empty.
fn optional(text: Option<String>) -> Option<String> {
    text.map(|t| clean(t.trim().to_string()))
        .filter(|t| !t.is_empty())
}

/// The entry's lead image, with its alt text and caption.
fn lead_image(
    fm: &ArticleFrontMatter,
    file: &EntryFile,
    bundle: Option<&Bundle>,
) -> Result<Option<LeadImage>, ContentError> {
    fm.image
        .as_ref()
        .map(|written| {
            media::image_ref(written.get_ref(), bundle)
                .map(|source| LeadImage {
                    written: written.get_ref().trim().to_string(),
                    line: file.position(written.span().start).line,
                    source,
                    alt: optional(fm.image_alt.clone()),
                    caption: optional(fm.image_caption.clone()),
                })
                .map_err(|e| file.invalid(written.span().start, e.to_string()))
        })
        .transpose()
}

/// Where an entry is: its file, or for a bundle its folder.
fn place_of(entry: &Entry) -> &str {
    let content_path = entry.content_path.as_str();
    match &entry.bundle {
        Some(_) => content_path
            .rsplit_once('/')
            .map_or(content_path, |(dir, _)| dir),
        None => content_path,
    }
}

fn page_of(entry: Entry) -> Page {
    let rendered = entry.rendered;
    Page {
        bundle: entry.bundle,
        image: entry.image,
        image_credit: entry.image_credit,
        body_images: media::body_images(&rendered.html),
        source: entry.path,
        permalink: Permalink::from_segments([entry.slug.as_str()]),
        slug: entry.slug,
        title: entry.title,
        date: entry.dates.date,
        updated: entry.dates.updated,
        description: entry.description,
        summary: entry.summary,
        draft: entry.draft,
        extra: entry.extra,
        reading_time: rendered.word_count.div_ceil(READING_SPEED).max(1),
        word_count: rendered.word_count,
        toc: rendered.toc,
        path: entry.urls.own_path,
        aliases: entry.urls.aliases,
        query_aliases: entry.urls.query_aliases,
        internal_links: internal_links(&rendered.html),
        html: Html::new(&rendered.html),
        version: entry.version,
        content_path: entry.content_path,
    }
}

/// What only an article has of its front matter: its byline and tags, and its flags.
struct Byline {
    authors: Vec<Link>,
    tags: Vec<Link>,
    pinned: bool,
    breaking: bool,
}

/// An article of the entry, which must have a date.
fn article_of(entry: Entry, byline: Byline, file: &EntryFile) -> Result<Article, ContentError> {
    let Some(date) = entry.dates.date else {
        return Err(file.refused(format!(
            "missing `date`: an article needs one (a page, in content/{}/, does not)",
            page::PAGES_DIR
        )));
    };
    let section = section::link_of(place_of(&entry));
    let rendered = entry.rendered;
    Ok(Article {
        section,
        bundle: entry.bundle,
        image: entry.image,
        image_credit: entry.image_credit,
        body_images: media::body_images(&rendered.html),
        climbing_paths: media::climbing_paths(&rendered.html),
        source: entry.path,
        permalink: Permalink::from_segments([entry.slug.as_str()]),
        slug: entry.slug,
        title: entry.title,
        date,
        updated: entry.dates.updated,
        standfirst: entry
            .description
            .clone()
            .filter(|d| !repeats_opening(d, &rendered.first_paragraph)),
        description: entry.description,
        summary: entry.summary,
        authors: byline.authors,
        tags: byline.tags,
        draft: entry.draft,
        pinned: byline.pinned,
        pinned_until: entry.dates.pinned_until,
        corrections: entry.dates.corrections,
        breaking: byline.breaking,
        breaking_until: entry.dates.breaking_until,
        extra: entry.extra,
        reading_time: rendered.word_count.div_ceil(READING_SPEED).max(1),
        word_count: rendered.word_count,
        toc: rendered.toc,
        path: entry.urls.own_path,
        aliases: entry.urls.aliases,
        query_aliases: entry.urls.query_aliases,
        internal_links: internal_links(&rendered.html),
        html: Html::new(&rendered.html),
        version: entry.version,
        content_path: entry.content_path,
    })
}

/// Refuses on a page what only news has: a page is in no list, and a byline, tags,
/// pinning, a banner or corrections would promise one.
fn refuse_news_keys(
    fm: &ArticleFrontMatter,
    invalid: &impl Fn(usize, String) -> ContentError,
) -> Result<(), ContentError> {
    let news_only = [
        ("authors", fm.authors.as_ref().map(|a| a.span().start)),
        ("tags", fm.tags.as_ref().map(|t| t.span().start)),
        (
            "pinned_until",
            fm.pinned_until.as_ref().map(|p| p.span().start),
        ),
        (
            "breaking_until",
            fm.breaking_until.as_ref().map(|p| p.span().start),
        ),
        (
            "corrections",
            fm.corrections.first().map(|c| c.date.span().start),
        ),
    ];
    if let Some((key, Some(at))) = news_only.into_iter().find(|(_, at)| at.is_some()) {
        return Err(invalid(
            at,
            format!(
                "a page (in content/{}/) has no `{key}`: pages are in no list; \
                 keep it under [extra], or move the file out of content/{}/ to make it an article",
                page::PAGES_DIR,
                page::PAGES_DIR
            ),
        ));
    }
    let set = |flag: &Option<toml::Spanned<bool>>| {
        flag.as_ref()
            .filter(|f| *f.get_ref())
            .map(|f| f.span().start)
    };
    let flags = [("pinned", set(&fm.pinned)), ("breaking", set(&fm.breaking))];
    if let Some((key, Some(at))) = flags.into_iter().find(|(_, at)| at.is_some()) {
        return Err(invalid(
            at,
            format!(
                "a page (in content/{}/) cannot be `{key}`: pages are in no list",
                page::PAGES_DIR
            ),
        ));
    }
    Ok(())
}

/// Whether `description` is the start of `opening` (the body's first paragraph), perhaps
/// cut short with an ellipsis.
fn repeats_opening(description: &str, opening: &str) -> bool {
    let start = description.trim_end_matches(['…', '.']).trim_end();
    !start.is_empty() && opening.starts_with(start)
}

/// An article's `breaking_until` and `[[corrections]]` (sorted oldest first), checked.
fn news_flags(
    fm: &ArticleFrontMatter,
    front_matter: &str,
    path: &Path,
    zone: Timezone,
) -> Result<(Option<DateTime<FixedOffset>>, Vec<Correction>), ContentError> {
    let at = |offset: usize| {
        Location::at(
            path,
            crate::location::Position::of_offset(front_matter, offset).shifted(2),
        )
    };
    let breaking_until = fm
        .breaking_until
        .as_ref()
        .map(|until| {
            if !fm.is_breaking() {
                return Err(ContentError::Invalid {
                    location: at(until.span().start),
                    message: "`breaking_until` says when the breaking-news banner ends: set `breaking = true` too".into(),
                });
            }
            frontmatter::parse_date(until, front_matter, path, "breaking_until", zone)
        })
        .transpose()?;
    let mut corrections = Vec::with_capacity(fm.corrections.len());
    for written in &fm.corrections {
        let date = frontmatter::parse_date(&written.date, front_matter, path, "date", zone)?;
        let text = clean(written.text.get_ref().trim().to_string());
        if text.is_empty() {
            return Err(ContentError::Invalid {
                location: at(written.text.span().start),
                message: "a correction's `text` must say what was corrected".into(),
            });
        }
        corrections.push(Correction { date, text });
    }
    // Stable: corrections of one moment keep their written order.
    corrections.sort_by_key(|c| c.date);
    Ok((breaking_until, corrections))
}

/// The slug of an article that sets none: a bundle is named by its folder, other articles
/// by their file.
pub(crate) fn file_slug(path: &Path, bundle: bool) -> String {
    let name = if bundle {
        path.parent().and_then(Path::file_name)
    } else {
        path.file_stem()
    };
    slugify(&name.map(|s| s.to_string_lossy()).unwrap_or_default())
}

/// The `@/…` links of an article's HTML, unresolved.
fn internal_links(html: &str) -> Vec<InternalLink> {
    let mut links = Vec::new();
    if html.contains("\"@/") {
        crate::html::for_each_attribute(html, |name, value, _| {
            if name == "href"
                && value.starts_with("@/")
                && !links.iter().any(|l: &InternalLink| l.written == value)
            {
                links.push(InternalLink {
                    written: value.to_string(),
                    url: None,
                });
            }
        });
    }
    links
}

impl Site {
    /// Resolves an article's `@/path.md` links against the site's articles and pages.
    pub fn resolve_internal_links(&self, article: &mut Article) {
        if article.internal_links.is_empty() {
            return;
        }
        let articles = self
            .articles
            .iter()
            .map(|a| (a.content_path.as_str(), &a.permalink));
        let pages = self
            .pages
            .iter()
            .map(|p| (p.content_path.as_str(), &p.permalink));
        let index: HashMap<&str, &Permalink> = articles.chain(pages).collect();
        resolve_with(&index, &self.config.base_url, article);
    }

    /// Every article and page, as documents.
    pub fn documents(&self) -> impl Iterator<Item = &dyn Document> {
        documents_of(&self.articles, &self.pages)
    }
}

fn documents_of<'a>(
    articles: &'a [Article],
    pages: &'a [Page],
) -> impl Iterator<Item = &'a dyn Document> {
    let articles = articles.iter().map(|a| a as &dyn Document);
    articles.chain(pages.iter().map(|p| p as &dyn Document))
}

fn resolve_with(index: &HashMap<&str, &Permalink>, base_url: &str, document: &mut impl Document) {
    for link in document.internal_links_mut() {
        let target = &link.written["@/".len()..];
        let (path, fragment) = match target.split_once('#') {
            Some((p, f)) => (p, Some(f)),
            None => (target, None),
        };
        link.url = index.get(path).map(|permalink| {
            let url = permalink.url(base_url);
            match fragment {
                Some(f) => format!("{url}#{f}"),
                None => url,
            }
        });
    }
}

fn version_of(path: &Path, text: &str) -> u64 {
    crate::hash::named((path, text))
}

/// [`version_of`] for a file whose body used the site's own shortcodes, whose templates
/// (`shortcodes`, their version) change its HTML too.
pub(crate) fn version_with(path: &Path, text: &str, shortcodes: u64) -> u64 {
    match shortcodes {
        0 => version_of(path, text),
        shortcodes => crate::hash::named((path, text, shortcodes)),
    }
}

/// Trims names and drops empty and repeated ones (by slug), keeping the written order.
/// Indices are set when the site is cross-referenced.
fn clean_list(items: Vec<String>) -> Vec<Link> {
    let mut links = Vec::<Link>::with_capacity(items.len());
    let mut seen = std::collections::HashSet::with_capacity(items.len());
    for item in items {
        let name = clean(item.trim().to_string());
        let slug = slugify(&name);
        if !slug.is_empty() && seen.insert(slug.clone()) {
            links.push(Link {
                name,
                slug,
                index: None,
            });
        }
    }
    links
}

fn load_profile(path: &Path) -> Result<Author, ContentError> {
    let text = read_text(path)?;
    let split = frontmatter::split(&text, path)?;
    let fm: AuthorFrontMatter = frontmatter::parse(split.front_matter, path)?;
    let slug = slugify(
        &path
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default(),
    );
    if slug.is_empty() || fm.name.trim().is_empty() {
        return Err(ContentError::Invalid {
            location: Location::file(path),
            message:
                "an author profile needs a non-empty `name` and a file name with letters or digits"
                    .into(),
        });
    }
    let written = crate::config::WrittenOldUrls {
        aliases: fm.aliases,
        rss_aliases: fm.rss_aliases,
        atom_aliases: fm.atom_aliases,
    };
    let at = |offset| {
        Location::at(
            path,
            crate::location::Position::of_offset(split.front_matter, offset).shifted(2),
        )
    };
    let aliases = ListAliases::of(&written.located(at), path)?;
    let image = fm
        .image
        .as_ref()
        .map(|written| {
            let invalid = |message: String| ContentError::Invalid {
                location: at(written.span().start),
                message,
            };
            match media::image_ref(written.get_ref(), None) {
                Ok(source) => Ok(AuthorImage {
                    written: written.get_ref().trim().to_string(),
                    line: at(written.span().start).position.map_or(0, |p| p.line),
                    source,
                }),
                Err(_) if !written.get_ref().contains(['/', ':']) => Err(invalid(format!(
                    "an author's image {:?} is a path under static/ (\"/images/{}\") or a URL",
                    written.get_ref(),
                    written.get_ref().trim()
                ))),
                Err(e) => Err(invalid(e.to_string())),
            }
        })
        .transpose()?;
    let links = fm
        .links
        .set()
        .into_iter()
        .map(|(kind, url)| {
            let text = url.get_ref().trim();
            let lower = text.to_ascii_lowercase();
            let web = lower.starts_with("https://") || lower.starts_with("http://");
            if web && url::Url::parse(text).is_ok() {
                Ok((kind, text.to_string()))
            } else {
                Err(ContentError::Invalid {
                    location: at(url.span().start),
                    message: format!(
                        "`links.{kind}` must be an http(s) URL such as \"https://example.org/\", not {text:?}"
                    ),
                })
            }
        })
        .collect::<Result<Vec<_>, ContentError>>()?;
    let role = fm
        .role
        .map(|r| clean(r.trim().to_string()))
        .filter(|r| !r.is_empty());
    Ok(Author {
        image,
        role,
        links,
        permalink: Permalink::from_segments([AUTHORS_DIR, slug.as_str()]),
        slug,
        aliases,
        name: clean(fm.name.trim().to_string()),
        bio_html: markdown::render(&drop_controls(split.body)).html,
        extra: {
            let mut extra = fm.extra;
            clean_table(&mut extra);
            extra
        },
        profile: Some(path.to_path_buf()),
        articles: Vec::new(),
        version: version_of(path, &text),
    })
}

/// The old URLs of the configuration's `[home]` and `[tags.<slug>]`, checked; each tag's
/// go to the tag. A table for a tag no article has is an error at its place: its URLs
/// would lead nowhere.
fn config_list_aliases(
    config: &Config,
    known_tags: &HashSet<String>,
    tags: &mut [Tag],
) -> Result<ListAliases, ContentError> {
    let first = |urls: &crate::config::OldUrls| {
        let all = urls.aliases.iter().chain(&urls.rss_aliases);
        all.chain(&urls.atom_aliases).next().cloned()
    };
    let source = first(&config.home)
        .map(|u| u.location.path)
        .unwrap_or_default();
    let home = ListAliases::of(&config.home, &source)?;
    for (name, urls) in &config.tags {
        let Some(first) = first(urls) else {
            continue;
        };
        let aliases = ListAliases::of(urls, &first.location.path)?;
        let slug = slugify(name);
        let invalid = |message: String| ContentError::Invalid {
            location: first.location.clone(),
            message,
        };
        match tags.binary_search_by(|t| t.slug.as_str().cmp(&slug)) {
            Ok(i) if !tags[i].aliases.is_empty() => {
                return Err(invalid(format!(
                    "`[tags.{name}]` gives old URLs of the tag `{slug}`, which another `[tags]` table gives too: merge them"
                )));
            }
            Ok(i) => tags[i].aliases = aliases,
            Err(_) if known_tags.contains(&slug) => {}
            Err(_) => {
                return Err(invalid(format!(
                    "`[tags.{name}]` gives old URLs of the tag `{slug}`, which no article has: tag an article with it, or remove the table"
                )));
            }
        }
    }
    Ok(home)
}

/// No link or image of an article leads above the site's root, which its file's line names.
fn check_climbing_paths(articles: &[Article]) -> Result<(), ContentError> {
    for a in articles.iter().filter(|a| !a.climbing_paths.is_empty()) {
        let page = a.permalink.path();
        if let Some(path) = a
            .climbing_paths
            .iter()
            .find(|p| media::leaves_site(page, p))
        {
            // Where the text has it (the HTML's value is the Markdown's, mostly): read
            // again only now, for the message.
            let location = std::fs::read_to_string(&a.source)
                .ok()
                .and_then(|text| {
                    let at = text.find(path.as_str())?;
                    Some(Location::at(
                        &a.source,
                        crate::location::Position::of_offset(&text, at),
                    ))
                })
                .unwrap_or_else(|| Location::file(&a.source));
            return Err(ContentError::Invalid {
                location,
                message: format!(
                    "{path:?} leaves the site: from the article's URL /{page} it goes up past the site's root; link a path from the root (/images/x.jpg) or one that stays inside"
                ),
            });
        }
    }
    Ok(())
}

/// Joins article bylines to profiles by slug. Profiles nobody wrote for still get a page;
/// bylines without a profile get a name-only author and a warning.
fn cross_reference_authors(
    articles: &mut [Article],
    profiles: Vec<Author>,
    warnings: &mut Vec<Warning>,
) -> Vec<Author> {
    let mut by_slug: BTreeMap<String, Author> =
        profiles.into_iter().map(|a| (a.slug.clone(), a)).collect();
    for (i, article) in articles.iter().enumerate() {
        for link in &article.authors {
            // Looked up before inserting: most bylines name a known author, and an
            // entry would copy the slug every time.
            if let Some(author) = by_slug.get_mut(&link.slug) {
                author.articles.push(i);
                continue;
            }
            let author = by_slug.entry(link.slug.clone()).or_insert_with(|| {
                warnings.push(Warning {
                    file: article.source.clone(),
                    message: format!(
                        "author \"{}\" has no profile; add {AUTHORS_DIR}/{}.md with a `name` and a bio",
                        link.name, link.slug
                    ),
                    fails_check: false,
                });
                Author {
                    permalink: Permalink::from_segments([AUTHORS_DIR, link.slug.as_str()]),
                    slug: link.slug.clone(),
                    name: link.name.clone(),
                    bio_html: String::new(),
                    image: None,
                    role: None,
                    links: Vec::new(),
                    extra: toml::Table::new(),
                    profile: None,
                    aliases: ListAliases::default(),
                    articles: Vec::new(),
                    version: version_of(Path::new(""), &link.name),
                }
            });
            author.articles.push(i);
        }
    }
    let authors: Vec<Author> = by_slug.into_values().collect();
    for article in articles.iter_mut() {
        for link in &mut article.authors {
            link.index = authors
                .binary_search_by(|a| a.slug.as_str().cmp(&link.slug))
                .ok();
        }
    }
    authors
}

fn cross_reference_tags(articles: &mut [Article]) -> Vec<Tag> {
    let mut by_slug: BTreeMap<String, Tag> = BTreeMap::new();
    for (i, article) in articles.iter().enumerate() {
        for link in &article.tags {
            if let Some(tag) = by_slug.get_mut(&link.slug) {
                tag.articles.push(i);
                continue;
            }
            by_slug
                .entry(link.slug.clone())
                .or_insert_with(|| Tag {
                    permalink: Permalink::from_segments(["tags", link.slug.as_str()]),
                    slug: link.slug.clone(),
                    name: link.name.clone(),
                    articles: Vec::new(),
                    aliases: ListAliases::default(),
                })
                .articles
                .push(i);
        }
    }
    let tags: Vec<Tag> = by_slug.into_values().collect();
    for article in articles.iter_mut() {
        for link in &mut article.tags {
            link.index = tags
                .binary_search_by(|t| t.slug.as_str().cmp(&link.slug))
                .ok();
        }
    }
    tags
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::location::Position;

    /// Each refusal's full text, and its place and message as reports take them.
    #[test]
    fn content_errors_print_place_then_message() {
        let cases = [
            (
                ContentError::NotUtf8 {
                    path: "content/a.md".into(),
                },
                "content/a.md",
                "not valid UTF-8 text (content files must be UTF-8)",
                "content/a.md: not valid UTF-8 text (content files must be UTF-8)",
            ),
            (
                ContentError::Invalid {
                    location: Location::at(
                        Path::new("content/a.md"),
                        Position { line: 2, column: 7 },
                    ),
                    message: "missing `title`".into(),
                },
                "content/a.md:2:7",
                "missing `title`",
                "content/a.md:2:7: missing `title`",
            ),
            (
                ContentError::ShortcodeTemplate {
                    place: "templates/shortcodes/x.html".into(),
                    message: "bad".into(),
                },
                "templates/shortcodes/x.html",
                "bad",
                "templates/shortcodes/x.html: bad",
            ),
            (
                ContentError::DuplicatePermalink {
                    permalink: "story/".into(),
                    first: "content/a.md".into(),
                    second: "content/b.md".into(),
                },
                "content/a.md",
                "and content/b.md both want the URL /story/: give one of them another `slug`",
                "content/a.md and content/b.md both want the URL /story/: give one of them \
                 another `slug`",
            ),
            (
                ContentError::AliasTaken {
                    alias: "old/".into(),
                    article: "content/a.md".into(),
                    taken: "the page of content/b.md".into(),
                },
                "content/a.md",
                "the alias /old/ is the page of content/b.md: remove it or choose another",
                "content/a.md: the alias /old/ is the page of content/b.md: remove it or \
                 choose another",
            ),
        ];
        for (error, place, message, printed) in cases {
            assert_eq!(error.place(), place);
            assert_eq!(error.message(), message);
            assert_eq!(error.to_string(), printed);
        }
        let read = ContentError::Read {
            path: "content/a.md".into(),
            source: std::io::Error::other("denied"),
        };
        assert_eq!(read.to_string(), "content/a.md: cannot read: denied");
        assert_eq!(read.message(), "cannot read: denied");
    }
}
