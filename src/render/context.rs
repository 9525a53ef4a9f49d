//! Template context values, built once per build and shared by every page that shows them.
//!
//! Tera 2 values are reference-counted, so an article's value (including its HTML) is
//! built once and cloned cheaply into its own page, its neighbours' pages and every list
//! page it appears on. The shape of these values is the documented template context
//! (docs/templates.md); change both together.

use std::borrow::Cow;
use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, LazyLock, OnceLock};

use chrono::format::{Item, StrftimeItems};
use chrono::{DateTime, FixedOffset};
use rayon::prelude::*;
use tera::{Map, Value};

use super::Theme;
use crate::config::Timezone;
use crate::content::menu::MenuLink;
use crate::content::{
    Article, Author, Document, ImageRef, Link, Page, Permalink, Section, Site, Tag,
};
use crate::images::Images;
use crate::urls::slug::slugify;

/// The values shared across one build.
pub struct Shared {
    pub site: Value,
    /// Parallel to `Site::articles`: each article's value and feed form, built when a
    /// page first shows it (see [`Shared::article`]). A build after one edit renders a
    /// few pages and so builds a few values; a build that renders everything builds
    /// them all up front ([`Shared::build_all`]).
    articles: Vec<OnceLock<ArticleValues>>,
    /// What an article's value is made of beside the article: link values, images.
    links: Links,
    images: Arc<Images>,
    /// Parallel to `Site::articles`: whether some feed carries the article, so that its
    /// feed form is made with its value, from the same fields.
    in_feeds: Vec<bool>,
    /// Parallel to `Site::pages`.
    pub pages: Vec<Value>,
    /// Parallel to `Site::authors`, without their article lists.
    pub authors: Vec<Value>,
    /// Parallel to `Site::tags`.
    pub tags: Vec<Value>,
    /// Parallel to `Site::sections`.
    pub sections: Vec<Value>,
    /// Whether feed items carry `content_xml` (see `Theme::uses_content_xml`).
    pub content_xml: bool,
    /// Parallel to `Site::articles`: where each of an article's "Read more" titles
    /// (`extra.related`, as the importer keeps them) leads — the article with that title,
    /// compared as slugs, when the site has one.
    pub read_more: Vec<Vec<Option<usize>>>,
    /// Parallel to `Site::articles`: the articles sharing the most tags with each.
    pub related: Vec<Vec<usize>>,
    /// Each article's title as a slug, and the newest article with each such title:
    /// what "Read more" titles are looked up in.
    title_slugs: Vec<String>,
    titles: HashMap<String, usize>,
    /// Each article's URL → its index, for the cards a theme prints.
    pub article_urls: super::cards::ArticleUrls,
    /// A hash of each value above: equal versions, equal values.
    pub versions: Versions,
    /// The first body that could not be read back from the load's spill file.
    unreadable: Unreadable,
    /// Whether article values stay for the build or go once pages no longer need them.
    retention: Retention,
    /// How many article values were taken from the previous build's, and how many made.
    reused: usize,
    made: AtomicUsize,
    /// How many values the sweep forgot, and the most held at once when it forgot some.
    forgotten: usize,
    peak: usize,
    /// Articles past this one are far ahead of the sweep (see [`Shared::sweep_ahead`]).
    horizon: usize,
    /// How many values were made for a page alone, far ahead of the sweep.
    in_passing: AtomicUsize,
}

/// How long an article's value is kept.
enum Retention {
    /// For the whole build (and a session's next): a site whose HTML is held in memory.
    Kept,
    /// Until the render's sweep over the articles passes it (see
    /// [`Shared::forget_passed`]): a site whose HTML spilled to disk, which could not
    /// hold every article's value and HTML at once. `hot` marks the articles that pages
    /// anywhere in the sweep show (as related articles), kept for the whole build;
    /// `ahead`, how many articles' HTML the load held (see [`Shared::sweep_ahead`]).
    Swept { hot: Vec<bool>, ahead: usize },
}

/// What a render that swept its values (see [`Shared::forget_passed`]) held and made.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SweepCounts {
    /// The most article values held at once: what a build's memory grows with.
    pub held_at_most: usize,
    /// Values made for one page alone, far ahead of the sweep (see [`Shared::is_far`]),
    /// besides those counted as built.
    pub made_in_passing: usize,
}

/// Versions of the shared values, parallel to them. Pages compare these to tell whether
/// they would render differently (see `pages::Job::signature`).
#[derive(Debug, Clone, Default)]
pub struct Versions {
    /// Of the site's configuration and its sections' place in navigation.
    pub site: u64,
    /// Of the site's `article_count`, `author_count` and `tag_count`, which change with
    /// every article added or removed, and which few templates show.
    pub site_counts: u64,
    /// Of each article's value (and its feed form, which derives from the same inputs).
    pub articles: Vec<u64>,
    /// Of each page's value.
    pub pages: Vec<u64>,
    pub authors: Vec<u64>,
    pub tags: Vec<u64>,
    pub sections: Vec<u64>,
    /// Of the newest `last_modified` of all articles (what dates an empty feed).
    pub newest_article: u64,
    /// Of what `image(...)` answers in templates (every page's signature holds it).
    pub template_images: u64,
}

/// An article's value, and its form in feeds (absolute links, RFC 822 dates) when some
/// feed carries it.
#[derive(Clone)]
struct ArticleValues {
    value: Value,
    feed: Option<Value>,
}

use crate::hash::of as hash_of;

impl Shared {
    pub fn build(site: &Site, theme: &Theme, images: &Arc<Images>) -> Shared {
        Shared::build_reusing(site, theme, images, None)
    }

    /// Builds the values, reusing the previous build's value of every article whose
    /// version did not change (a watcher rebuilds after each edit; most articles did not
    /// change). Each article's HTML is shared with the site, not copied (see `Html`).
    /// Article values not reused are built when first shown.
    pub fn build_reusing(
        site: &Site,
        theme: &Theme,
        images: &Arc<Images>,
        previous: Option<&Shared>,
    ) -> Shared {
        let content_xml = theme.uses_content_xml();
        // Feed items made for a theme with another use of `content_xml` have other fields.
        // Nor are values reused from a build that showed an unreadable body as empty.
        let previous =
            previous.filter(|p| p.content_xml == content_xml && p.unreadable.get().is_none());
        let base = site.config.base_url.as_str();
        let zone = site.config.timezone;
        let links = Links::of(site, images);
        let in_feeds = in_feeds(site);
        let article_versions: Vec<u64> = site
            .articles
            .par_iter()
            .map(|a| links.version_of(a, images, base))
            .collect();
        // The previous build's articles by the version of their value.
        let reusable: HashMap<u64, usize> = previous
            .map(|p| {
                let versions = p.versions.articles.iter().enumerate();
                versions.map(|(i, v)| (*v, i)).collect()
            })
            .unwrap_or_default();
        let articles: Vec<OnceLock<ArticleValues>> = (0..site.articles.len())
            .into_par_iter()
            .map(|i| {
                let old = reusable.get(&article_versions[i]).zip(previous);
                let old = old.and_then(|(&j, p)| p.articles[j].get());
                match old {
                    Some(old) if !in_feeds[i] || old.feed.is_some() => {
                        OnceLock::from(ArticleValues {
                            value: old.value.clone(),
                            feed: old.feed.clone().filter(|_| in_feeds[i]),
                        })
                    }
                    _ => OnceLock::new(),
                }
            })
            .collect();
        let reused = articles.iter().filter(|v| v.get().is_some()).count();
        let title_slugs: Vec<String> = site
            .articles
            .par_iter()
            .map(|a| slugify(&a.title))
            .collect();
        let titles = titles_of(&title_slugs);
        let related: Vec<Vec<usize>> = (0..site.articles.len())
            .into_par_iter()
            .map(|i| related_to(site, i))
            .collect();
        let retention = retention(site, &related);
        let query_keys = super::aliases::query_keys(site);
        let unreadable = Unreadable::new();
        let (pages, page_versions): (Vec<Value>, Vec<u64>) = site
            .pages
            .par_iter()
            .map(|p| {
                (
                    page_value(p, base, images, zone, &unreadable),
                    page_version(p, base, images, zone),
                )
            })
            .unzip();
        Shared {
            pages,
            site: site_value(site, &query_keys),
            read_more: site
                .articles
                .par_iter()
                .enumerate()
                .map(|(i, a)| read_more_of(a, i, &titles))
                .collect(),
            related,
            title_slugs,
            titles,
            articles,
            links,
            images: Arc::clone(images),
            in_feeds,
            authors: site
                .authors
                .iter()
                .map(|a| author_value(a, base, images))
                .collect(),
            tags: site.tags.iter().map(|t| tag_value(t, base)).collect(),
            sections: site
                .sections
                .iter()
                .map(|s| section_value(s, base))
                .collect(),
            content_xml,
            article_urls: super::cards::article_urls(site),
            versions: Versions {
                site: hash_of((
                    site.config.version(),
                    &query_keys,
                    navigation(site)
                        .into_iter()
                        .map(|i| (&site.sections[i].title, &site.sections[i].slug))
                        .collect::<Vec<_>>(),
                    (&site.menu, &site.footer_menu),
                    site.breaking
                        .iter()
                        .map(|&i| (&site.articles[i].title, site.articles[i].permalink.path()))
                        .collect::<Vec<_>>(),
                )),
                site_counts: hash_of((site.articles.len(), site.authors.len(), site.tags.len())),
                articles: article_versions,
                pages: page_versions,
                authors: site
                    .authors
                    .iter()
                    .map(|a| {
                        let photo = photo_version(a, images);
                        hash_of((a.version, &a.name, &a.slug, a.articles.len(), base, photo))
                    })
                    .collect(),
                tags: site
                    .tags
                    .iter()
                    .map(|t| hash_of((&t.name, &t.slug, t.articles.len(), base)))
                    .collect(),
                sections: site
                    .sections
                    .iter()
                    .map(|s| hash_of((s.version(), base)))
                    .collect(),
                newest_article: hash_of(site.articles.iter().map(|a| a.last_modified()).max()),
                template_images: hash_of(&images.for_templates),
            },
            unreadable,
            retention,
            reused,
            made: AtomicUsize::new(0),
            forgotten: 0,
            peak: 0,
            horizon: usize::MAX,
            in_passing: AtomicUsize::new(0),
        }
    }
}

impl Shared {
    /// Article `i`'s value (see docs/templates.md), built on first use; one far ahead of
    /// the sweep is made for the page rendering on this thread alone (see
    /// [`Shared::in_passing`]).
    pub fn article(&self, site: &Site, i: usize) -> Value {
        if let Some(values) = self.articles[i].get() {
            return values.value.clone();
        }
        if self.is_far(i) {
            return self.passing(site, i, false).value;
        }
        self.values_of(site, i).value.clone()
    }

    /// Article `i` as feeds show it, built on first use (or in passing, as
    /// [`Shared::article`]).
    pub fn feed_item(&self, site: &Site, i: usize) -> Value {
        let feed = match self.articles[i].get() {
            Some(values) => values.feed.clone(),
            None if self.is_far(i) => self.passing(site, i, true).feed,
            None => self.values_of(site, i).feed.clone(),
        };
        // Every article a feed lists is in `in_feeds`; made alone otherwise.
        feed.unwrap_or_else(|| {
            article_values(&site.articles[i], &self.maker(site, true))
                .feed
                .unwrap_or_else(Value::none)
        })
    }

    /// Runs `render` with this thread's values made in passing kept for it alone: a page
    /// asks for an article's value more than once (its card, its context), so those far
    /// ahead of the sweep are made once per page, and go when it is rendered.
    pub fn in_passing<R>(&self, render: impl FnOnce() -> R) -> R {
        PASSING.with_borrow_mut(Vec::clear);
        let rendered = render();
        PASSING.with_borrow_mut(Vec::clear);
        rendered
    }

    /// Whether article `i` lies so far ahead of the sweep that keeping its value until
    /// the sweep passes it would hold it through most of the render: an author's page
    /// lists stories years apart. Its value is then made for the page alone.
    pub fn is_far(&self, i: usize) -> bool {
        i > self.horizon && !self.is_hot(i)
    }

    /// The values of far article `i` for the page rendering on this thread (see
    /// [`Shared::in_passing`]), with its feed form if `feed`.
    fn passing(&self, site: &Site, i: usize, feed: bool) -> ArticleValues {
        let found = PASSING.with_borrow(|made| {
            let made = made
                .iter()
                .find(|(j, v)| *j == i && (v.feed.is_some() || !feed));
            made.map(|(_, v)| v.clone())
        });
        if let Some(values) = found {
            return values;
        }
        self.in_passing.fetch_add(1, Ordering::Relaxed);
        let values = article_values(&site.articles[i], &self.maker(site, feed));
        PASSING.with_borrow_mut(|made| made.push((i, values.clone())));
        values
    }

    /// Builds every article's value not built yet, in parallel: for a build that renders
    /// every page anyway, while the kernel makes the pages' folders.
    pub fn build_all(&self, site: &Site) {
        self.articles.par_iter().enumerate().for_each(|(i, _)| {
            self.values_of(site, i);
        });
    }

    /// The error of the first article or page whose HTML, spilled to disk at load time,
    /// could not be read back: its value showed it empty, so the build must fail.
    pub fn unreadable(&self) -> Option<super::RenderError> {
        let (path, kind, message) = self.unreadable.get()?;
        Some(super::RenderError::Body {
            path: path.clone(),
            source: std::io::Error::new(*kind, message.clone()),
        })
    }

    /// How many article values were built (reused or made; one made again after the
    /// sweep forgot it counts again).
    pub fn articles_built(&self) -> usize {
        self.reused + self.made.load(Ordering::Relaxed)
    }

    /// Whether values go once the render's sweep passes them (see [`Retention`]): the
    /// render then goes through the pages in the order of `Job::sweep_key`, calling
    /// [`Shared::forget_passed`] as it goes.
    pub fn sweeps(&self) -> bool {
        matches!(self.retention, Retention::Swept { .. })
    }

    /// Marks which articles are far ahead of the sweep (see [`Shared::is_far`]) before
    /// the part of a swept render whose pages start at sweep key `at`, the part after
    /// next at `after_next`: those past both `after_next` and as many articles past `at`
    /// as the load held the HTML of. So values are kept for two parts' pages, or as far
    /// ahead as `--held-html` holds HTML (a tag's list spans a few hundred articles: more
    /// ahead, fewer values made twice), whichever is further.
    pub fn sweep_ahead(&mut self, at: usize, after_next: usize) {
        if let Retention::Swept { ahead, .. } = self.retention {
            self.horizon = after_next.max(at.saturating_add(ahead));
        }
    }

    /// Ends a render's sweep, whether it finished or failed: no article is far until the
    /// next one (a session's next render, or a value asked for between renders, keeps
    /// its values as a build that does not sweep).
    pub fn end_sweep(&mut self) {
        self.horizon = usize::MAX;
    }

    /// Forgets the values (and feed forms) of the articles before `key` but the one just
    /// before it and those pages anywhere show as related: once every page whose
    /// `Job::sweep_key` is below `key` has rendered, the pages left show no other article
    /// before it (a page lists articles from its key on; an article's page shows its
    /// previous and next ones and its related ones). A value needed again is made again,
    /// so this costs time if wrong, never output. Kept values are never forgotten.
    pub fn forget_passed(&mut self, key: usize) {
        let Retention::Swept { hot, .. } = &self.retention else {
            return;
        };
        self.peak = self.peak.max(self.articles_held());
        let passed = key.saturating_sub(1).min(self.articles.len());
        for (value, hot) in self.articles[..passed].iter_mut().zip(hot) {
            if !hot && value.take().is_some() {
                self.forgotten += 1;
            }
        }
    }

    /// What a swept render held and made (see [`Shared::forget_passed`]), if it swept.
    pub fn swept(&self) -> Option<SweepCounts> {
        self.sweeps().then(|| SweepCounts {
            held_at_most: self.peak.max(self.articles_held()),
            made_in_passing: self.in_passing.load(Ordering::Relaxed),
        })
    }

    fn articles_held(&self) -> usize {
        self.articles_built() - self.forgotten
    }

    /// Whether article `i`'s value stays for the whole build (see [`Retention`]).
    pub fn is_hot(&self, i: usize) -> bool {
        match &self.retention {
            Retention::Kept => true,
            Retention::Swept { hot, .. } => hot[i],
        }
    }

    fn values_of(&self, site: &Site, i: usize) -> &ArticleValues {
        self.articles[i].get_or_init(|| {
            self.made.fetch_add(1, Ordering::Relaxed);
            article_values(&site.articles[i], &self.maker(site, self.in_feeds[i]))
        })
    }

    fn maker<'a>(&'a self, site: &'a Site, in_feed: bool) -> Maker<'a> {
        Maker {
            base: site.config.base_url.as_str(),
            links: &self.links,
            images: &self.images,
            feed_form: in_feed.then_some(self.content_xml),
            unreadable: &self.unreadable,
        }
    }
}

impl Shared {
    /// Rebuilds article `i`'s value (and feed form) after its file changed in a way that
    /// moves nothing — same date, slug, bylines, tags and draft state, so every list and
    /// count stays as it was — and takes its new HTML. A watcher's fast path.
    pub fn refresh_article(&mut self, site: &Site, images: &Arc<Images>, i: usize) {
        let base = site.config.base_url.as_str();
        self.links = Links::of(site, images);
        self.images = Arc::clone(images);
        self.versions.articles[i] = self.links.version_of(&site.articles[i], images, base);
        // Built again when next shown.
        self.articles[i] = OnceLock::new();
        // Its place and tags stay, so do the articles related to it; its own "Read more"
        // lines may have changed, and a new title may be what others' name.
        let title = slugify(&site.articles[i].title);
        if title != self.title_slugs[i] {
            self.title_slugs[i] = title;
            self.titles = titles_of(&self.title_slugs);
            self.read_more = site
                .articles
                .par_iter()
                .enumerate()
                .map(|(j, a)| read_more_of(a, j, &self.titles))
                .collect();
        } else {
            self.read_more[i] = read_more_of(&site.articles[i], i, &self.titles);
        }
    }
}

/// How many related articles an article page is given.
pub const RELATED: usize = 3;

/// How many of a tag's newest articles are weighed for an article's related ones: a tag
/// with thousands of articles must not cost thousands of looks per page.
const RELATED_POOL: usize = 24;

/// The newest article (the lowest index: articles are newest first) of each title slug.
fn titles_of(title_slugs: &[String]) -> HashMap<String, usize> {
    let mut titles = HashMap::with_capacity(title_slugs.len());
    for (i, slug) in title_slugs.iter().enumerate() {
        titles.entry(slug.clone()).or_insert(i);
    }
    titles
}

/// The "Read more" titles of an article (`extra.related`), as written.
pub fn read_more_titles(a: &Article) -> impl Iterator<Item = &str> {
    a.extra
        .get("related")
        .and_then(toml::Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(toml::Value::as_str)
}

/// Where article `i`'s "Read more" titles lead.
fn read_more_of(a: &Article, i: usize, titles: &HashMap<String, usize>) -> Vec<Option<usize>> {
    read_more_titles(a)
        .map(|title| titles.get(&slugify(title)).copied().filter(|&j| j != i))
        .collect()
}

/// Kept, unless the site's HTML spilled to disk: then swept, keeping the articles shown
/// as related for the whole build.
fn retention(site: &Site, related: &[Vec<usize>]) -> Retention {
    let held = site.articles.par_iter().filter(|a| !a.html.is_spilled());
    let ahead = held.count();
    if ahead == site.articles.len() && !site.pages.iter().any(|p| p.html.is_spilled()) {
        return Retention::Kept;
    }
    let mut hot = vec![false; site.articles.len()];
    for &j in related.iter().flatten() {
        hot[j] = true;
    }
    Retention::Swept { hot, ahead }
}

/// The [`RELATED`] articles sharing the most tags with article `i` (the newest first
/// among equals), weighing each tag's [`RELATED_POOL`] newest articles.
fn related_to(site: &Site, i: usize) -> Vec<usize> {
    // Every (other) article of its tags, once per tag: sorted, a run is a shared count.
    let mut seen: Vec<usize> = site.articles[i]
        .tags
        .iter()
        .flat_map(|link| site.tags[link.at()].articles.iter().take(RELATED_POOL))
        .copied()
        .filter(|&j| j != i)
        .collect();
    seen.sort_unstable();
    let mut shared_tags: Vec<(usize, usize)> = Vec::new();
    for j in seen {
        match shared_tags.last_mut() {
            Some((k, n)) if *k == j => *n += 1,
            _ => shared_tags.push((j, 1)),
        }
    }
    // Keys are distinct (one entry per article), so an unstable sort is deterministic.
    shared_tags.sort_unstable_by(|(a, n), (b, m)| m.cmp(n).then(a.cmp(b)));
    // Built anew rather than collected from `shared_tags`, whose allocation (up to a few
    // hundred entries) collecting in place would keep for every article: 40 MB at 10,000.
    let mut top = Vec::with_capacity(RELATED.min(shared_tags.len()));
    top.extend(shared_tags.iter().take(RELATED).map(|&(j, _)| j));
    top
}

/// What an article's values are made with.
struct Maker<'a> {
    base: &'a str,
    links: &'a Links,
    images: &'a Images,
    /// Whether to make its feed form too, and then whether that has `content_xml`.
    feed_form: Option<bool>,
    unreadable: &'a Unreadable,
}

/// An article's value, and its feed form when asked for.
fn article_values(a: &Article, maker: &Maker) -> ArticleValues {
    let base = maker.base;
    let (html, content) = content_of(a, base, maker.images, maker.unreadable);
    let fields = article_fields(a, base, maker.links, maker.images);
    let feed = maker.feed_form.map(|content_xml| {
        let place = (base, maker.links.zone);
        feed_item_value(a, &html, &content, place, fields.clone(), content_xml)
    });
    ArticleValues {
        value: fields.set("content", content).done(),
        feed,
    }
}

/// An article's or page's HTML as pages show it — images as `<picture>`s, `@/` links
/// resolved, site paths under the base URL's prefix — and as a value (its own shared
/// string when nothing changed). A spilled body is read back first; one that cannot be
/// is noted in `unreadable` and shows as empty (the build then fails: see
/// [`Shared::unreadable`]).
fn content_of<'a>(
    a: &'a impl Document,
    base: &str,
    images: &Images,
    unreadable: &Unreadable,
) -> (Cow<'a, str>, Value) {
    let text = match a.html().text() {
        Ok(text) => text,
        Err(e) => {
            let _ = unreadable.set((a.source().to_path_buf(), e.kind(), e.to_string()));
            return (Cow::Borrowed(""), Value::safe_string(""));
        }
    };
    match rewritten(&text, a, base, images) {
        Some(rewritten) => {
            let value = Value::safe_string(&rewritten);
            (Cow::Owned(rewritten), value)
        }
        // Held, the body is its own value already; read back, it becomes one once.
        None => match a.html().held() {
            Some(value) => (text, value),
            None => {
                let value = Value::safe_string(&text);
                (text, value)
            }
        },
    }
}

/// `html` as pages show it (see [`content_of`]), if that differs from it.
fn rewritten(html: &str, a: &impl Document, base: &str, images: &Images) -> Option<String> {
    let pictured = super::pictures::with_pictures(html, a, images, base);
    let linked = match with_internal_links(a, &pictured) {
        Cow::Owned(linked) => Cow::Owned(linked),
        Cow::Borrowed(_) => pictured,
    };
    // Under a path prefix (`https://user.github.io/news/`), `/tags/` means the site's
    // tags page, as in every link the theme writes.
    let moved = match super::links::site_path_prefix(base) {
        Some(prefix) => match super::links::under_prefix(&linked, prefix) {
            Cow::Owned(moved) => Cow::Owned(moved),
            Cow::Borrowed(_) => linked,
        },
        None => linked,
    };
    match moved {
        Cow::Owned(changed) => Some(changed),
        Cow::Borrowed(_) => None,
    }
}

thread_local! {
    /// The values made in passing for the page rendering on this thread (see
    /// [`Shared::in_passing`]): a page's few far articles.
    static PASSING: std::cell::RefCell<Vec<(usize, ArticleValues)>> =
        const { std::cell::RefCell::new(Vec::new()) };
}

/// The first article or page whose spilled HTML could not be read back, and why.
type Unreadable = OnceLock<(PathBuf, std::io::ErrorKind, String)>;

/// A page's value: see docs/templates.md.
fn page_value(
    p: &Page,
    base: &str,
    images: &Images,
    zone: Timezone,
    unreadable: &Unreadable,
) -> Value {
    let (_, content) = content_of(p, base, images, unreadable);
    let local = |d: &Option<DateTime<FixedOffset>>| d.as_ref().map(|d| zone.local(d));
    let (date, updated) = (local(&p.date), local(&p.updated));
    Obj::new()
        .set("title", p.title.as_str())
        .set("slug", p.slug.as_str())
        .set("url", p.permalink.url(base))
        .set("path", format!("/{}", p.permalink.path()))
        .set("date", date.as_ref().map(date_string))
        .set("date_display", date.as_ref().map(display_date))
        .set(
            "time_display",
            date.as_ref().and_then(|d| display_time(d, zone)),
        )
        .set("updated", updated.as_ref().map(date_string))
        .set("updated_display", updated.as_ref().map(display_date))
        .set(
            "updated_time_display",
            updated.as_ref().and_then(|d| display_time(d, zone)),
        )
        .set(
            "last_modified",
            local(&p.last_modified()).as_ref().map(date_string),
        )
        .set("description", p.description.as_deref())
        .set("summary", p.summary.as_str())
        .set("image", super::pictures::lead_value(p, images, base))
        .set("image_credit", p.image_credit.as_deref())
        .set("reading_time", p.reading_time)
        .set("word_count", p.word_count)
        .set("draft", p.draft)
        .set("extra", table_to_value(&p.extra))
        .set("content", content)
        .done()
}

/// The version of a page's value: its file, its images, where its links lead and where
/// it is.
fn page_version(p: &Page, base: &str, images: &Images, zone: Timezone) -> u64 {
    hash_of((
        p.version,
        images.version_for(p),
        base,
        zone.0.name(),
        &p.internal_links,
        p.permalink.path(),
    ))
}

/// `html` with each resolved `@/path.md` link replaced by the article's URL; unresolved
/// ones stay as written (and `gazette check` reports them).
fn with_internal_links<'a>(a: &impl Document, html: &'a str) -> std::borrow::Cow<'a, str> {
    if a.internal_links().iter().all(|l| l.url.is_none()) {
        return html.into();
    }
    let mut out = String::with_capacity(html.len());
    let mut copied = 0;
    crate::html::for_each_attribute(html, |name, value, range| {
        if name == "href"
            && let Some(url) = a
                .internal_links()
                .iter()
                .find(|l| l.written == value)
                .and_then(|l| l.url.as_deref())
        {
            out.push_str(&html[copied..range.start]);
            out.push_str(url);
            copied = range.end;
        }
    });
    out.push_str(&html[copied..]);
    out.into()
}

/// `{name, slug, url}` of every author and tag (`{title, slug, url}` of every section),
/// shared by the articles that name them.
struct Links {
    zone: Timezone,
    /// Of each author's photo as bylines show it.
    author_photos: Vec<u64>,
    authors: Vec<Value>,
    tags: Vec<Value>,
    sections: Vec<Value>,
    author_names: Vec<String>,
    tag_names: Vec<String>,
    section_titles: Vec<String>,
}

impl Links {
    fn of(site: &Site, images: &Images) -> Links {
        let base = site.config.base_url.as_str();
        Links {
            zone: site.config.timezone,
            author_photos: site
                .authors
                .iter()
                .map(|a| photo_version(a, images))
                .collect(),
            authors: site
                .authors
                .iter()
                .map(|a| {
                    let link = link_value(&a.name, &a.slug, a.permalink.url(base));
                    let photo = photo_value(a, images, base).unwrap_or_else(Value::none);
                    with_field(link, "image", photo)
                })
                .collect(),
            tags: site
                .tags
                .iter()
                .map(|t| link_value(&t.name, &t.slug, t.permalink.url(base)))
                .collect(),
            sections: site
                .sections
                .iter()
                .map(|s| section_link(s, base))
                .collect(),
            author_names: site.authors.iter().map(|a| a.name.clone()).collect(),
            tag_names: site.tags.iter().map(|t| t.name.clone()).collect(),
            section_titles: site.sections.iter().map(|s| s.title.clone()).collect(),
        }
    }

    /// The version of an article's value: its file, and the canonical names its link
    /// values carry.
    fn version_of(&self, a: &Article, images: &Images, base: &str) -> u64 {
        let names: Vec<&str> = a
            .authors
            .iter()
            .map(|l| self.author_names[l.at()].as_str())
            .chain(a.tags.iter().map(|l| self.tag_names[l.at()].as_str()))
            .collect();
        let section = a.section.as_ref().map(|l| &self.section_titles[l.at()]);
        let photos: Vec<u64> = a
            .authors
            .iter()
            .map(|l| self.author_photos[l.at()])
            .collect();
        // The permalink too: the site's `permalink` pattern places it, not its file alone.
        hash_of((
            a.version,
            names,
            photos,
            self.zone.0.name(),
            section,
            images.version_for(a),
            base,
            &a.internal_links,
            a.permalink.path(),
        ))
    }
}

/// Which articles some feed carries: the site's newest `feed_limit` articles, and each
/// author's and tag's.
fn in_feeds(site: &Site) -> Vec<bool> {
    let limit = site.config.feed_limit;
    let mut wanted = vec![false; site.articles.len()];
    let lists = site
        .authors
        .iter()
        .map(|a| &a.articles)
        .chain(site.tags.iter().map(|t| &t.articles))
        .chain(site.sections.iter().map(|s| &s.articles));
    for i in
        (0..site.articles.len().min(limit)).chain(lists.flat_map(|l| l.iter().copied().take(limit)))
    {
        wanted[i] = true;
    }
    wanted
}

/// A small builder so values read like the documented shape.
///
/// Fields are kept in a list and made a map once, in `done`: Tera's `Value::from(map)`
/// inserts every key into a new map again, hashing each twice (a tenth of the values'
/// cost). A key set twice keeps its first place and takes the last value, as a map does.
#[derive(Clone, Default)]
pub struct Obj(Vec<(&'static str, Value)>);

impl Obj {
    pub fn new() -> Self {
        Obj(Vec::with_capacity(8))
    }
    pub fn set(mut self, key: &'static str, value: impl Into<Value>) -> Self {
        self.0.push((key, value.into()));
        self
    }
    pub fn done(self) -> Value {
        // Serialized as a struct, each field is inserted once, and values are passed
        // through as they are (shared, not copied).
        Value::from_serializable(&self)
    }
}

impl serde::Serialize for Obj {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let mut fields = serializer.serialize_struct("Obj", self.0.len())?;
        for (key, value) in &self.0 {
            fields.serialize_field(key, value)?;
        }
        fields.end()
    }
}

fn site_value(site: &Site, query_keys: &[String]) -> Value {
    let c = &site.config;
    Obj::new()
        .set("title", c.title.as_str())
        .set("description", c.description.as_str())
        .set("base_url", c.base_url.as_str())
        .set("language", c.language.as_str())
        .set("extra", table_to_value(&c.extra))
        .set("article_count", site.articles.len())
        .set("author_count", site.authors.len())
        .set("tag_count", site.tags.len())
        .set("atom_url", format!("{}atom.xml", c.base_url))
        .set("rss_url", format!("{}rss.xml", c.base_url))
        .set("json_feed_url", format!("{}feed.json", c.base_url))
        .set(
            "sections",
            navigation(site)
                .into_iter()
                .map(|i| section_link(&site.sections[i], &c.base_url))
                .collect::<Vec<_>>(),
        )
        .set("search", search_value(site))
        .set("query_aliases", query_aliases_value(site, query_keys))
        .set("timezone", c.timezone.0.name())
        .set("menu", menu_value(&site.menu))
        .set("footer_menu", menu_value(&site.footer_menu))
        .set(
            "breaking",
            site.breaking
                .iter()
                .map(|&i| {
                    let a = &site.articles[i];
                    Obj::new()
                        .set("title", a.title.as_str())
                        .set("url", a.permalink.url(&c.base_url))
                        .done()
                })
                .collect::<Vec<_>>(),
        )
        .done()
}

/// `[{name, url}]` of a menu, in order.
fn menu_value(menu: &[MenuLink]) -> Vec<Value> {
    menu.iter()
        .map(|l| {
            Obj::new()
                .set("name", l.name.as_str())
                .set("url", l.url.as_str())
                .done()
        })
        .collect()
}

/// `{url, keys}` of the site's map of query aliases, or none when it has none.
fn query_aliases_value(site: &Site, keys: &[String]) -> Value {
    if keys.is_empty() {
        return Value::none();
    }
    Obj::new()
        .set(
            "url",
            format!("{}{}", site.config.base_url, crate::urls::QUERY_MAP),
        )
        .set("keys", keys.to_vec())
        .done()
}

/// `{url, index_url, script_url}` of the site's search, or none without it.
fn search_value(site: &Site) -> Value {
    let base = site.config.base_url.as_str();
    if !site.config.search.enabled {
        return Value::none();
    }
    let dir = crate::urls::SEARCH_DIR;
    Obj::new()
        .set("url", format!("{base}{dir}/"))
        .set("index_url", format!("{base}{dir}/index.json"))
        .set(
            "script_url",
            format!("{base}{}", crate::search::script_path()),
        )
        .done()
}

/// The sections in navigation order: by `weight`, then title, then slug.
fn navigation(site: &Site) -> Vec<usize> {
    let mut order: Vec<usize> = (0..site.sections.len()).collect();
    let s = &site.sections;
    order.sort_by(|&a, &b| {
        (s[a].weight(), &s[a].title, &s[a].slug).cmp(&(s[b].weight(), &s[b].title, &s[b].slug))
    });
    order
}

pub fn date_string(date: &DateTime<FixedOffset>) -> String {
    date.to_rfc3339_opts(chrono::SecondsFormat::AutoSi, true)
}

/// Chrono date patterns, parsed once: `DateTime::format` parses its pattern again for
/// every date, and a build formats a few dates for every article.
type Pattern = LazyLock<Vec<Item<'static>>>;

fn pattern(text: &'static str) -> Vec<Item<'static>> {
    StrftimeItems::new(text)
        .parse()
        .expect("the patterns below are valid")
}

static RFC822: Pattern = LazyLock::new(|| pattern("%a, %d %b %Y %H:%M:%S %z"));
static DISPLAY_DATE: Pattern = LazyLock::new(|| pattern("%-d %B %Y"));
static DISPLAY_TIME: Pattern = LazyLock::new(|| pattern("%H:%M %Z"));

fn format<Tz: chrono::TimeZone>(date: &DateTime<Tz>, pattern: &Pattern) -> String
where
    Tz::Offset: std::fmt::Display,
{
    date.format_with_items(pattern.iter()).to_string()
}

/// RFC 822 dates for RSS, with a two-digit day as most readers expect.
pub fn rfc822(date: &DateTime<FixedOffset>) -> String {
    format(date, &RFC822)
}

fn display_date(date: &DateTime<FixedOffset>) -> String {
    format(date, &DISPLAY_DATE)
}

/// The time of day in the site's zone, as `09:30 CET`; none at midnight, which is what a
/// date written without a time means (showing "00:00" would claim a time nobody gave).
fn display_time(date: &DateTime<FixedOffset>, zone: Timezone) -> Option<String> {
    let local = date.with_timezone(&zone.0);
    (local.time() != chrono::NaiveTime::MIN).then(|| format(&local, &DISPLAY_TIME))
}

/// `{name, slug, url}` for an author or tag named in an article.
fn link_value(name: &str, slug: &str, url: String) -> Value {
    Obj::new()
        .set("name", name)
        .set("slug", slug)
        .set("url", url)
        .done()
}

/// An article as feeds show it: links absolute, the HTML also ready to sit in a CDATA
/// section (almost always the same text, shared) and, when `content_xml`, escaped for XML
/// text; dates also in RFC 822 for RSS.
/// `html_value` is `html` as a value already, shared when absolute links change nothing.
fn feed_item_value(
    a: &Article,
    html: &str,
    html_value: &Value,
    (base, zone): (&str, Timezone),
    fields: Obj,
    content_xml: bool,
) -> Value {
    let url = a.permalink.url(base);
    // Feed readers run no script: a video facade is its link there.
    let unscripted = html.strip_suffix(crate::content::shortcodes::EMBED_SCRIPT);
    let html = unscripted.unwrap_or(html);
    // base_url was validated as an absolute http(s) URL, so the page URL parses.
    let content = match url::Url::parse(&url) {
        Ok(page) => super::links::absolutize(html, &page),
        Err(_) => html.into(),
    };
    let content_value = match &content {
        std::borrow::Cow::Borrowed(_) if unscripted.is_none() => html_value.clone(),
        std::borrow::Cow::Borrowed(unchanged) => Value::safe_string(unchanged),
        std::borrow::Cow::Owned(absolute) => Value::safe_string(absolute),
    };
    // A CDATA section ends at the first `]]>`, so one in the HTML (raw HTML can hold
    // one) is split across two sections.
    let cdata = if content.contains("]]>") {
        Value::safe_string(&content.replace("]]>", "]]]]><![CDATA[>"))
    } else {
        content_value.clone()
    };
    let mut fields = fields
        .set("content", content_value)
        .set("content_cdata", cdata)
        .set("date_rfc822", rfc822(&zone.local(&a.date)))
        .set(
            "last_modified_rfc822",
            rfc822(&zone.local(&a.last_modified())),
        );
    if content_xml {
        let mut xml = String::with_capacity(content.len() + content.len() / 4);
        pulldown_cmark_escape::escape_html(&mut xml, &content)
            .expect("writing to a String cannot fail");
        fields = fields.set("content_xml", Value::safe_string(&xml));
    }
    fields.done()
}

/// Every field of an article's value except `content`.
fn article_fields(a: &Article, base: &str, links: &Links, images: &Images) -> Obj {
    // The shared value, unless this article spells the name differently.
    // The shared value, with this article's spelling of the name where it differs.
    let linked = |link: &Link, shared: &[Value], canonical: &str| {
        if link.name == canonical {
            shared[link.at()].clone()
        } else {
            with_field(
                shared[link.at()].clone(),
                "name",
                Value::from(link.name.as_str()),
            )
        }
    };
    let authors: Vec<Value> = a
        .authors
        .iter()
        .map(|l| {
            let canonical = &links.author_names[l.at()];
            linked(l, &links.authors, canonical)
        })
        .collect();
    let tags: Vec<Value> = a
        .tags
        .iter()
        .map(|l| linked(l, &links.tags, &links.tag_names[l.at()]))
        .collect();
    let zone = links.zone;
    let date = zone.local(&a.date);
    let updated = a.updated.as_ref().map(|d| zone.local(d));
    Obj::new()
        .set("title", a.title.as_str())
        .set("slug", a.slug.as_str())
        .set("url", a.permalink.url(base))
        .set("path", format!("/{}", a.permalink.path()))
        .set("date", date_string(&date))
        .set("date_display", display_date(&date))
        .set("time_display", display_time(&date, zone))
        .set("updated", updated.as_ref().map(date_string))
        .set("updated_display", updated.as_ref().map(display_date))
        .set(
            "updated_time_display",
            updated.as_ref().and_then(|d| display_time(d, zone)),
        )
        .set(
            "last_modified",
            date_string(&zone.local(&a.last_modified())),
        )
        .set("description", a.description.as_deref())
        .set("standfirst", a.standfirst.as_deref())
        .set("summary", a.summary.as_str())
        .set("authors", authors)
        .set("tags", tags)
        .set("image", super::pictures::lead_value(a, images, base))
        .set("image_credit", a.image_credit.as_deref())
        .set(
            "section",
            a.section
                .as_ref()
                .map_or_else(Value::none, |l| links.sections[l.at()].clone()),
        )
        .set("reading_time", a.reading_time)
        .set("word_count", a.word_count)
        .set("draft", a.draft)
        .set("pinned", a.pinned)
        .set("pinned_until", a.pinned_until.as_ref().map(date_string))
        .set("breaking", a.breaking)
        .set("corrections", corrections_value(a, zone))
        .set("extra", table_to_value(&a.extra))
}

/// `[{date, date_display, time_display, text}]` of an article's corrections, oldest first.
fn corrections_value(a: &Article, zone: Timezone) -> Vec<Value> {
    a.corrections
        .iter()
        .map(|c| {
            let date = zone.local(&c.date);
            Obj::new()
                .set("date", date_string(&date))
                .set("date_display", display_date(&date))
                .set("time_display", display_time(&date, zone))
                .set("text", c.text.as_str())
                .done()
        })
        .collect()
}

fn author_value(a: &Author, base: &str, images: &Images) -> Value {
    Obj::new()
        .set("name", a.name.as_str())
        .set("slug", a.slug.as_str())
        .set("url", a.permalink.url(base))
        .set("atom_url", format!("{}atom.xml", a.permalink.url(base)))
        .set("rss_url", format!("{}rss.xml", a.permalink.url(base)))
        .set("bio", Value::safe_string(&a.bio_html))
        .set("image", photo_value(a, images, base))
        .set("role", a.role.as_deref())
        .set(
            "links",
            a.links
                .iter()
                .map(|(kind, url)| {
                    Obj::new()
                        .set("kind", *kind)
                        .set("label", link_label(kind))
                        .set("url", url.as_str())
                        .done()
                })
                .collect::<Vec<_>>(),
        )
        .set("has_profile", a.profile.is_some())
        .set("extra", table_to_value(&a.extra))
        .set("article_count", a.articles.len())
        .done()
}

/// How a kind of author link is named on the page.
fn link_label(kind: &str) -> &'static str {
    match kind {
        "site" => "Website",
        "mastodon" => "Mastodon",
        "bluesky" => "Bluesky",
        "threads" => "Threads",
        "x" => "X",
        "linkedin" => "LinkedIn",
        "github" => "GitHub",
        "youtube" => "YouTube",
        _ => "Link",
    }
}

/// `{url, width, height, webp_url}` of an author's photo (its smallest variant when it is
/// the site's own; `width` and `height` none for a URL), or none without one.
fn photo_value(a: &Author, images: &Images, base: &str) -> Option<Value> {
    let image = a.image.as_ref()?;
    match &image.source {
        ImageRef::Remote(url) => Some(
            Obj::new()
                .set("url", url.as_str())
                .set("width", Value::none())
                .set("height", Value::none())
                .set("webp_url", Value::none())
                .done(),
        ),
        ImageRef::Site(path) => images
            .at_path(path)
            .map(|p| super::pictures::smallest_value(p, base)),
        // A profile has no folder of its own: its loader refuses the form.
        ImageRef::Beside(_) => None,
    }
}

/// A hash of what pages show of an author's photo.
fn photo_version(a: &Author, images: &Images) -> u64 {
    let Some(image) = &a.image else {
        return 0;
    };
    let planned = match &image.source {
        ImageRef::Site(path) => images.at_path(path).map(|p| {
            let names: Vec<&str> = p.variants.iter().map(|v| v.url_path.as_str()).collect();
            hash_of((p.probe.width, p.probe.height, names))
        }),
        _ => None,
    };
    hash_of((&image.source, planned))
}

/// `value` (an object) with one more field.
fn with_field(value: Value, key: &'static str, field: Value) -> Value {
    let mut map = value.as_map().cloned().unwrap_or_default();
    map.insert(key.into(), field);
    Value::from(map)
}

fn tag_value(t: &Tag, base: &str) -> Value {
    Obj::new()
        .set("name", t.name.as_str())
        .set("slug", t.slug.as_str())
        .set("url", t.permalink.url(base))
        .set("atom_url", format!("{}atom.xml", t.permalink.url(base)))
        .set("rss_url", format!("{}rss.xml", t.permalink.url(base)))
        .set("article_count", t.articles.len())
        .done()
}

/// `{title, slug, url}` of a section, as articles and navigation name it.
fn section_link(s: &Section, base: &str) -> Value {
    Obj::new()
        .set("title", s.title.as_str())
        .set("slug", s.slug.as_str())
        .set("url", s.permalink.url(base))
        .done()
}

fn section_value(s: &Section, base: &str) -> Value {
    let url = s.permalink.url(base);
    // Root-relative links in the intro lead inside a path prefix, as in articles.
    let intro = match super::links::site_path_prefix(base) {
        Some(prefix) => super::links::under_prefix(s.intro_html(), prefix).into_owned(),
        None => s.intro_html().to_string(),
    };
    Obj::new()
        .set("title", s.title.as_str())
        .set("slug", s.slug.as_str())
        .set("url", url.as_str())
        .set("description", s.description())
        .set("intro", Value::safe_string(&intro))
        .set(
            "extra",
            s.extra()
                .map_or_else(|| table_to_value(&toml::Table::new()), table_to_value),
        )
        .set("weight", s.weight())
        .set("atom_url", format!("{url}atom.xml"))
        .set("rss_url", format!("{url}rss.xml"))
        .set("article_count", s.articles.len())
        .done()
}

/// One page of a paginated list, as templates see it.
pub fn paginator(
    items: Vec<Value>,
    number: usize,
    total_pages: usize,
    total_items: usize,
    root: &Permalink,
    base: &str,
) -> Value {
    let url = |n: usize| Value::from(root.page(n).url(base));
    // Numbered pages: the first, the last, and two either side of this one, with a gap
    // (`{gap: true}`) where numbers are left out.
    let mut pages: Vec<Value> = Vec::new();
    let mut last_shown = 0;
    for n in 1..=total_pages {
        if n == 1 || n == total_pages || n.abs_diff(number) <= 2 {
            if n > last_shown + 1 {
                pages.push(Obj::new().set("gap", true).done());
            }
            pages.push(
                Obj::new()
                    .set("number", n)
                    .set("url", url(n))
                    .set("current", n == number)
                    .done(),
            );
            last_shown = n;
        }
    }
    Obj::new()
        .set("items", items)
        .set("pages", pages)
        .set("number", number)
        .set("total_pages", total_pages)
        .set("total_items", total_items)
        .set("first_url", url(1))
        .set("last_url", url(total_pages))
        .set(
            "previous_url",
            if number > 1 {
                url(number - 1)
            } else {
                Value::none()
            },
        )
        .set(
            "next_url",
            if number < total_pages {
                url(number + 1)
            } else {
                Value::none()
            },
        )
        .done()
}

fn table_to_value(table: &toml::Table) -> Value {
    let mut map = Map::new();
    for (k, v) in table {
        map.insert(k.clone().into(), toml_to_value(v));
    }
    Value::from(map)
}

/// TOML values for templates; datetimes become RFC 3339 strings.
pub fn toml_to_value(value: &toml::Value) -> Value {
    match value {
        toml::Value::String(s) => Value::from(s.as_str()),
        toml::Value::Integer(i) => Value::from(*i),
        toml::Value::Float(f) => Value::from(*f),
        toml::Value::Boolean(b) => Value::from(*b),
        toml::Value::Datetime(d) => Value::from(d.to_string()),
        toml::Value::Array(items) => {
            Value::from(items.iter().map(toml_to_value).collect::<Vec<_>>())
        }
        toml::Value::Table(table) => table_to_value(table),
    }
}
