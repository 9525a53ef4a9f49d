//! Which files a site has that templates render, and rendering one of them.
//!
//! Every rendered file is listed first as a [`Job`]: where it goes and which [`Page`] it
//! is — a small description, not a context. The context is built when the job is rendered,
//! on whichever thread renders it, from the values in [`Shared`]; so planning is cheap,
//! contexts never pile up in memory, and a watcher can re-render any single page.

use std::hash::{Hash, Hasher};

use tera::{Context, Value};

use super::cards::{CARD_TEMPLATE, Cards};
use super::context::{Obj, Shared, date_string, paginator, rfc822};
use super::{RenderError, Theme};
use crate::config::FeedSubject;
use crate::content::{AUTHORS_DIR, FeedKind, Permalink, Site};
use crate::files::{Contents, OutputFile};

/// What a rendered file shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Page {
    Article(usize),
    /// A page of `content/pages/` (an index into `Site::pages`).
    Page(usize),
    /// Page `number` (1-based) of the home page's list of all articles.
    Home {
        number: usize,
    },
    Authors,
    Author {
        author: usize,
        number: usize,
    },
    Tags,
    Tag {
        tag: usize,
        number: usize,
    },
    Section {
        section: usize,
        number: usize,
    },
    NotFound,
    /// The search page (only with `[search] enabled`).
    Search,
    Feed {
        subject: Subject,
        format: FeedFormat,
    },
}

/// Whose articles a feed carries.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Subject {
    Site,
    Author(usize),
    Tag(usize),
    Section(usize),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum FeedFormat {
    Atom,
    Rss,
    Json,
}

impl FeedFormat {
    fn file(self) -> &'static str {
        match self {
            FeedFormat::Atom => "atom.xml",
            FeedFormat::Rss => "rss.xml",
            FeedFormat::Json => "feed.json",
        }
    }
}

/// The templates pages are rendered with, besides the feeds'. Every theme has each of
/// them: a theme lacking one is refused when it loads, whether or not the site has a page
/// that needs it yet, so a theme that works for today's content keeps working tomorrow.
pub const PAGE_TEMPLATES: &[&str] = &[
    "index.html",
    "article.html",
    "author.html",
    "authors.html",
    "tag.html",
    "tags.html",
    "404.html",
];

/// The template section pages are rendered with. Unlike [`PAGE_TEMPLATES`], a theme needs
/// it only once the site has a section: themes written before sections existed (including
/// copies `gazette init` made of the built-in one) keep working for sites without them.
pub const SECTION_TEMPLATE: &str = "section.html";

/// The template of pages (`content/pages/`), which a theme needs only once the site has a
/// page (as [`SECTION_TEMPLATE`]).
pub const PAGE_TEMPLATE: &str = "page.html";

/// The template of the search page, which a theme needs only once the site has search on.
pub const SEARCH_TEMPLATE: &str = "search.html";

/// One file to render: where it goes and what it shows.
#[derive(Debug, Clone)]
pub struct Job {
    pub path: String,
    pub page: Page,
}

impl Job {
    /// Renders the page. Jobs are independent, so callers render them in parallel.
    pub fn render(
        &self,
        site: &Site,
        shared: &Shared,
        theme: &Theme,
        cards: &Cards,
    ) -> Result<OutputFile, RenderError> {
        // Room for a typical page up front saves regrowing.
        self.render_into(site, shared, theme, cards, Vec::with_capacity(16 * 1024))
    }

    /// Renders into `buffer` (emptied first), which becomes the file's contents. A caller
    /// rendering many pages hands back the last page's buffer, so that pages neither
    /// allocate nor regrow (a feed runs to some 140 KB).
    pub fn render_into(
        &self,
        site: &Site,
        shared: &Shared,
        theme: &Theme,
        cards: &Cards,
        mut buffer: Vec<u8>,
    ) -> Result<OutputFile, RenderError> {
        buffer.clear();
        let name = |i: usize| site.articles[i].source.display().to_string();
        let value = |i: usize| shared.article(site, i);
        let far = |i: usize| shared.is_far(i);
        let rendered = shared.in_passing(|| {
            cards.prepare(theme, value, &self.listed(site, shared), name, far)?;
            let context = self.context(site, shared, theme);
            // Rendered as bytes, which is what gets written: `Tera::render` would check
            // the whole page is UTF-8 again.
            theme
                .tera
                .render_to(self.template(), &context, &mut buffer)
                .map_err(|e| {
                    let error = RenderError::template(&e, &theme.sources, Some(&self.what(site)));
                    theme.place_unplaced(error, self.template())
                })
        });
        cards.page_done();
        rendered?;
        Ok(OutputFile {
            path: self.path.clone(),
            contents: Contents::Rendered(buffer),
        })
    }

    /// A hash of everything this page's output depends on: its template (with what that
    /// extends and includes), its path, and the versions of the values in its context,
    /// as `Job::describe` tells them — the same description that builds the context, so
    /// no value reaches a page without counting here. Equal signatures, equal bytes.
    pub fn signature(&self, site: &Site, shared: &Shared, theme: &Theme) -> u64 {
        let mut sign = Sign(crate::hash::hasher());
        // Indices into the site are not hashed: they shift when articles come and go
        // without changing what a page shows; the versions of what is shown are.
        (
            &self.path,
            self.template(),
            theme.versions.get(self.template()),
            // Any page may print the cards of the articles it shows.
            theme
                .prints_cards()
                .then(|| theme.versions.get(CARD_TEMPLATE)),
            std::mem::discriminant(&self.page),
            shared.versions.template_images,
        )
            .hash(&mut sign.0);
        self.describe(site, shared, theme, &mut sign);
        sign.0.finish()
    }

    /// The page's context, told once for both its uses: [`Job::context`] builds each
    /// value, [`Job::signature`] hashes each value's version instead.
    fn describe(&self, site: &Site, shared: &Shared, theme: &Theme, d: &mut impl Describe) {
        let v = &shared.versions;
        // Adding an article changes the site's counts; most templates do not show them.
        let counts = theme
            .may_show_site_counts(self.template())
            .then_some(v.site_counts);
        d.show("site", || (v.site, counts), || shared.site.clone());
        let base = site.config.base_url.as_str();
        d.show(
            "page_url",
            || self.url_path(),
            || Value::from(format!("{base}{}", self.url_path())),
        );
        match self.page {
            Page::Article(i) => {
                d.show("article", || v.articles[i], || shared.article(site, i));
                // Only the article's own page shows its contents: built as it renders,
                // not kept in the value every list shares.
                d.show("toc", || v.articles[i], || toc(&site.articles[i].toc));
                // "Read more" lines lead to the articles they name, where the site has
                // them; related articles share its tags.
                let targets = &shared.read_more[i];
                let target_versions = || {
                    let of: Vec<Option<u64>> =
                        targets.iter().map(|t| t.map(|j| v.articles[j])).collect();
                    (v.articles[i], of)
                };
                d.show("read_more", target_versions, || read_more(site, shared, i));
                let related = &shared.related[i];
                d.show(
                    "related",
                    || versions_of(shared, related),
                    || {
                        Value::from(
                            related
                                .iter()
                                .map(|&j| shared.article(site, j))
                                .collect::<Vec<_>>(),
                        )
                    },
                );
                // Articles are newest first: the previous (older) one follows in the list.
                let neighbour = |j: Option<usize>| j.filter(|&j| j < site.articles.len());
                for (key, j) in [
                    ("previous", neighbour(Some(i + 1))),
                    ("next", neighbour(i.checked_sub(1))),
                ] {
                    d.show(
                        key,
                        || j.map(|j| v.articles[j]),
                        || j.map_or_else(Value::none, |j| shared.article(site, j)),
                    );
                }
            }
            Page::Page(i) => {
                d.show("page", || v.pages[i], || shared.pages[i].clone());
                d.show("toc", || v.pages[i], || toc(&site.pages[i].toc));
            }
            Page::Home { number } => home(d, shared, site, number),
            Page::Authors => d.show(
                "authors",
                || &v.authors,
                || Value::from(shared.authors.clone()),
            ),
            Page::Author { author, number } => {
                let a = &site.authors[author];
                list_of(d, shared, site, &a.permalink, &a.articles, number);
                d.show(
                    "author",
                    || v.authors[author],
                    || shared.authors[author].clone(),
                );
            }
            Page::Tags => d.show("tags", || &v.tags, || Value::from(shared.tags.clone())),
            Page::Tag { tag, number } => {
                let t = &site.tags[tag];
                list_of(d, shared, site, &t.permalink, &t.articles, number);
                d.show("tag", || v.tags[tag], || shared.tags[tag].clone());
            }
            Page::Section { section, number } => {
                let s = &site.sections[section];
                let articles = site.front.section_list(&site.sections, section);
                list_of(d, shared, site, &s.permalink, articles, number);
                d.show(
                    "section",
                    || v.sections[section],
                    || shared.sections[section].clone(),
                );
            }
            Page::NotFound | Page::Search => {}
            Page::Feed { subject, .. } => feed(d, site, shared, subject),
        }
    }

    /// The template this page is rendered with: one of [`PAGE_TEMPLATES`], or a feed's.
    pub fn template(&self) -> &'static str {
        match self.page {
            Page::Article(_) => "article.html",
            Page::Page(_) => PAGE_TEMPLATE,
            Page::Home { .. } => "index.html",
            Page::Authors => "authors.html",
            Page::Author { .. } => "author.html",
            Page::Tags => "tags.html",
            Page::Tag { .. } => "tag.html",
            Page::Section { .. } => SECTION_TEMPLATE,
            Page::NotFound => "404.html",
            Page::Search => SEARCH_TEMPLATE,
            Page::Feed { format, .. } => format.file(),
        }
    }

    /// What is being rendered, for error messages.
    fn what(&self, site: &Site) -> String {
        let numbered = |number: usize, what: String| {
            if number == 1 {
                what
            } else {
                format!("page {number} of {what}")
            }
        };
        match self.page {
            Page::Article(i) => site.articles[i].source.display().to_string(),
            Page::Page(i) => site.pages[i].source.display().to_string(),
            Page::Home { number } => numbered(number, "the home page".into()),
            Page::Authors => "the authors page".into(),
            Page::Author { author, number } => numbered(
                number,
                format!("the page of author \"{}\"", site.authors[author].name),
            ),
            Page::Tags => "the tags page".into(),
            Page::Tag { tag, number } => numbered(
                number,
                format!("the page of tag \"{}\"", site.tags[tag].name),
            ),
            Page::Section { section, number } => numbered(
                number,
                format!("the page of section \"{}\"", site.sections[section].title),
            ),
            Page::NotFound => "the 404 page".into(),
            Page::Search => "the search page".into(),
            Page::Feed { subject, .. } => match subject {
                Subject::Site => "the site's feeds".into(),
                Subject::Author(a) => format!("the feeds of author \"{}\"", site.authors[a].name),
                Subject::Tag(t) => format!("the feeds of tag \"{}\"", site.tags[t].name),
                Subject::Section(s) => {
                    format!("the feeds of section \"{}\"", site.sections[s].title)
                }
            },
        }
    }

    fn context(&self, site: &Site, shared: &Shared, theme: &Theme) -> Context {
        let mut build = Build(Context::new());
        self.describe(site, shared, theme, &mut build);
        build.0
    }

    /// Where the page falls in a sweep over the site's articles, newest first: its own
    /// article for an article's page, else the first (newest) article it lists, or 0 for
    /// a page that lists none. A page shows no article before its key but an article's
    /// previous one and its related articles (see `Shared::forget_passed`).
    pub fn sweep_key(&self, site: &Site, shared: &Shared) -> usize {
        let first = |articles: &[usize]| articles.first().copied().unwrap_or(0);
        match self.page {
            Page::Article(i) => i,
            Page::Feed { subject, .. } => match subject {
                Subject::Site => 0,
                Subject::Author(i) => first(&site.authors[i].articles),
                Subject::Tag(i) => first(&site.tags[i].articles),
                Subject::Section(i) => first(&site.sections[i].articles),
            },
            _ => self.listed(site, shared).iter().min().copied().unwrap_or(0),
        }
    }

    /// The articles the page shows besides its own, whose cards it may print.
    fn listed<'a>(&self, site: &'a Site, shared: &'a Shared) -> std::borrow::Cow<'a, [usize]> {
        let per_page = site.config.paginate_by;
        let listed = match self.page {
            Page::Article(i) => {
                let mut shown = shared.related[i].clone();
                shown.extend(i.checked_sub(1));
                shown.extend(Some(i + 1).filter(|&j| j < site.articles.len()));
                return shown.into();
            }
            Page::Home { number } => return site.front.page(number, per_page).into(),
            Page::Author { author, number } => {
                page_of(&site.authors[author].articles, number, site)
            }
            Page::Tag { tag, number } => page_of(&site.tags[tag].articles, number, site),
            Page::Section { section, number } => page_of(
                site.front.section_list(&site.sections, section),
                number,
                site,
            ),
            _ => &[],
        };
        listed.into()
    }

    /// The page's path below `base_url`: its folder, or the file itself for single files.
    fn url_path(&self) -> &str {
        self.path.strip_suffix("index.html").unwrap_or(&self.path)
    }
}

/// The articles on page `number` (1-based) of a list.
fn page_of<'a>(articles: &'a [usize], number: usize, site: &Site) -> &'a [usize] {
    articles
        .chunks(site.config.paginate_by)
        .nth(number - 1)
        .unwrap_or(&[])
}

/// Where a page's context goes (see [`Job::describe`]).
trait Describe {
    /// `key` shows the value `make` builds, which changes only when the version `version`
    /// gives does (each is computed only by the use that needs it).
    fn show<V: Hash>(
        &mut self,
        key: &'static str,
        version: impl FnOnce() -> V,
        make: impl FnOnce() -> Value,
    );
}

/// Builds the context a page renders with.
struct Build(Context);

impl Describe for Build {
    fn show<V: Hash>(
        &mut self,
        key: &'static str,
        _: impl FnOnce() -> V,
        make: impl FnOnce() -> Value,
    ) {
        self.0.insert_value(key, make());
    }
}

/// Hashes what a page's context is made of, building nothing.
struct Sign(crate::hash::Hasher);

impl Describe for Sign {
    fn show<V: Hash>(
        &mut self,
        key: &'static str,
        version: impl FnOnce() -> V,
        _: impl FnOnce() -> Value,
    ) {
        (key, version()).hash(&mut self.0);
    }
}

/// Article `i`'s "Read more" lines: `{title, url}`, the url none where the site has no
/// article of that title.
fn read_more(site: &Site, shared: &Shared, i: usize) -> Value {
    let base = site.config.base_url.as_str();
    let lines: Vec<Value> = super::context::read_more_titles(&site.articles[i])
        .zip(&shared.read_more[i])
        .map(|(title, target)| {
            Obj::new()
                .set("title", title)
                .set("url", target.map(|j| site.articles[j].permalink.url(base)))
                .done()
        })
        .collect();
    Value::from(lines)
}

/// A table of contents: `{level, id, text}` per heading.
fn toc(headings: &[crate::content::markdown::Heading]) -> Value {
    let entries: Vec<Value> = headings
        .iter()
        .map(|h| {
            Obj::new()
                .set("level", h.level)
                .set("id", h.id.as_str())
                .set("text", h.text.as_str())
                .done()
        })
        .collect();
    Value::from(entries)
}

/// The versions of the articles `indices` points at.
fn versions_of(shared: &Shared, indices: &[usize]) -> Vec<u64> {
    indices
        .iter()
        .map(|&i| shared.versions.articles[i])
        .collect()
}

/// The paginator of page `number` of the list of `articles` rooted at `root` (an
/// author's, a tag's, a section's).
fn list_of(
    d: &mut impl Describe,
    shared: &Shared,
    site: &Site,
    root: &Permalink,
    articles: &[usize],
    number: usize,
) {
    let chunk = page_of(articles, number, site);
    list(d, shared, root, chunk, articles.len(), number, site);
}

/// Home page `number`: its `front` (the lead, the tier, the section blocks and its part
/// of the river; see `content::front`) and a paginator over the river whose items are
/// every story the page shows, for themes that list them in one list.
fn home(d: &mut impl Describe, shared: &Shared, site: &Site, number: usize) {
    let front = &site.front;
    let per_page = site.config.paginate_by;
    let total_pages = front.page_count(per_page);
    let items = front.page(number, per_page);
    let total = site.articles.len();
    let version = || (number, total_pages, total, versions_of(shared, &items));
    d.show("paginator", version, || {
        let values = items.iter().map(|&i| shared.article(site, i)).collect();
        let root = Permalink::root();
        let base = &site.config.base_url;
        paginator(values, number, total_pages, total, &root, base)
    });
    let first = number == 1;
    let lead = front.lead.filter(|_| first);
    let tier: &[usize] = if first { &front.tier } else { &[] };
    let blocks: &[crate::content::front::Block] = if first { &front.blocks } else { &[] };
    let river = front.river_page(number, per_page);
    let v = &shared.versions;
    let version = || {
        let blocks: Vec<(u64, Vec<u64>)> = blocks
            .iter()
            .map(|b| (v.sections[b.section], versions_of(shared, &b.articles)))
            .collect();
        let lead = lead.map(|i| v.articles[i]);
        (
            lead,
            versions_of(shared, tier),
            blocks,
            versions_of(shared, river),
        )
    };
    d.show("front", version, || {
        let of = |list: &[usize]| -> Value {
            Value::from(
                list.iter()
                    .map(|&i| shared.article(site, i))
                    .collect::<Vec<_>>(),
            )
        };
        let sections: Vec<Value> = blocks
            .iter()
            .map(|b| {
                Obj::new()
                    .set("section", shared.sections[b.section].clone())
                    .set("articles", of(&b.articles))
                    .done()
            })
            .collect();
        Obj::new()
            .set(
                "lead",
                lead.map_or_else(Value::none, |i| shared.article(site, i)),
            )
            .set("tier", of(tier))
            .set("sections", sections)
            .set("river", of(river))
            .done()
    });
}

/// The paginator of page `number` of a list of `total` articles, showing `chunk`.
fn list(
    d: &mut impl Describe,
    shared: &Shared,
    root: &Permalink,
    chunk: &[usize],
    total: usize,
    number: usize,
    site: &Site,
) {
    let total_pages = total.div_ceil(site.config.paginate_by).max(1);
    let version = || (number, total, root.path(), versions_of(shared, chunk));
    d.show("paginator", version, || {
        let items: Vec<Value> = chunk.iter().map(|&i| shared.article(site, i)).collect();
        paginator(
            items,
            number,
            total_pages,
            total,
            root,
            &site.config.base_url,
        )
    });
}

/// `feed` and `items` for a feed template. A feed's date is its newest item's
/// `last_modified` (the whole site's when it has none), never the clock.
fn feed(d: &mut impl Describe, site: &Site, shared: &Shared, subject: Subject) {
    let v = &shared.versions;
    let base = site.config.base_url.as_str();
    let title = &site.config.title;
    let all: Vec<usize>;
    let (kind, subject_version, permalink, articles) = match subject {
        Subject::Site => {
            all = (0..site.articles.len().min(site.config.feed_limit)).collect();
            (FeedSubject::Site, None, Permalink::root(), all.as_slice())
        }
        Subject::Author(i) => {
            let a = &site.authors[i];
            let articles = a.articles.as_slice();
            (
                FeedSubject::Author,
                Some(v.authors[i]),
                a.permalink.clone(),
                articles,
            )
        }
        Subject::Tag(i) => {
            let t = &site.tags[i];
            (
                FeedSubject::Tag,
                Some(v.tags[i]),
                t.permalink.clone(),
                t.articles.as_slice(),
            )
        }
        Subject::Section(i) => {
            let s = &site.sections[i];
            (
                FeedSubject::Section,
                Some(v.sections[i]),
                s.permalink.clone(),
                s.articles.as_slice(),
            )
        }
    };
    let chosen = &articles[..articles.len().min(site.config.feed_limit)];
    // An empty feed is dated by the whole site's newest article (which dates no other
    // feed: publishing an article must not re-render them all).
    let newest = chosen.is_empty().then_some(v.newest_article);
    let version = || {
        let items = versions_of(shared, chosen);
        (kind, subject_version, permalink.path(), items, newest)
    };
    d.show("feed", version, || {
        let (feed_title, description) = match subject {
            Subject::Site => (title.clone(), site.config.description.clone()),
            Subject::Author(i) => {
                let name = &site.authors[i].name;
                (
                    format!("{name} · {title}"),
                    format!("Articles by {name} in {title}"),
                )
            }
            Subject::Tag(i) => {
                let name = &site.tags[i].name;
                (
                    format!("{name} · {title}"),
                    format!("Articles about {name} in {title}"),
                )
            }
            Subject::Section(i) => {
                let s = &site.sections[i];
                let description = s
                    .description()
                    .map_or_else(|| format!("{} in {title}", s.title), str::to_string);
                (format!("{} · {title}", s.title), description)
            }
        };
        let updated = chosen
            .iter()
            .map(|&i| site.articles[i].last_modified())
            .max()
            .or_else(|| site.articles.iter().map(|a| a.last_modified()).max());
        let page_url = permalink.url(base);
        let zone = site.config.timezone;
        Obj::new()
            .set("kind", kind.name())
            .set("full_text", site.config.feed_full_text.contains(&kind))
            .set("title", feed_title)
            .set("description", description)
            .set("atom_url", format!("{page_url}atom.xml"))
            .set("rss_url", format!("{page_url}rss.xml"))
            .set("json_url", format!("{page_url}feed.json"))
            .set(
                "updated",
                updated.map_or_else(
                    || "1970-01-01T00:00:00Z".to_string(),
                    |d| date_string(&zone.local(&d)),
                ),
            )
            .set(
                "updated_rfc822",
                updated.map_or_else(
                    || "Thu, 01 Jan 1970 00:00:00 +0000".to_string(),
                    |d| rfc822(&zone.local(&d)),
                ),
            )
            .set("page_url", page_url)
            .done()
    });
    d.show(
        "items",
        || versions_of(shared, chosen),
        || {
            let items: Vec<Value> = chosen.iter().map(|&i| shared.feed_item(site, i)).collect();
            Value::from(items)
        },
    );
}

/// Every file of the site that a template renders.
pub fn jobs(site: &Site) -> Vec<Job> {
    let per_page = site.config.paginate_by;
    let pages_of = |articles: usize| articles.div_ceil(per_page).max(1);
    let at = |permalink: Permalink| format!("{}index.html", permalink.path());
    let mut jobs = Vec::with_capacity(site.articles.len() * 2);

    for (i, article) in site.articles.iter().enumerate() {
        jobs.push(Job {
            path: at(article.permalink.clone()),
            page: Page::Article(i),
        });
    }
    for (i, page) in site.pages.iter().enumerate() {
        jobs.push(Job {
            path: at(page.permalink.clone()),
            page: Page::Page(i),
        });
    }
    for number in 1..=site.front.page_count(per_page) {
        jobs.push(Job {
            path: at(Permalink::root().page(number)),
            page: Page::Home { number },
        });
    }
    jobs.push(Job {
        path: at(Permalink::from_segments([AUTHORS_DIR])),
        page: Page::Authors,
    });
    for (i, author) in site.authors.iter().enumerate() {
        for number in 1..=pages_of(author.articles.len()) {
            jobs.push(Job {
                path: at(author.permalink.page(number)),
                page: Page::Author { author: i, number },
            });
        }
    }
    jobs.push(Job {
        path: at(Permalink::from_segments(["tags"])),
        page: Page::Tags,
    });
    for (i, tag) in site.tags.iter().enumerate() {
        for number in 1..=pages_of(tag.articles.len()) {
            jobs.push(Job {
                path: at(tag.permalink.page(number)),
                page: Page::Tag { tag: i, number },
            });
        }
    }
    for (i, section) in site.sections.iter().enumerate() {
        for number in 1..=pages_of(section.articles.len()) {
            jobs.push(Job {
                path: at(section.permalink.page(number)),
                page: Page::Section { section: i, number },
            });
        }
    }
    jobs.push(Job {
        path: "404.html".into(),
        page: Page::NotFound,
    });
    if site.config.search.enabled {
        jobs.push(Job {
            path: at(Permalink::from_segments([crate::urls::SEARCH_DIR])),
            page: Page::Search,
        });
    }

    let subjects = std::iter::once((Subject::Site, Permalink::root()))
        .chain(
            site.authors
                .iter()
                .enumerate()
                .map(|(i, a)| (Subject::Author(i), a.permalink.clone())),
        )
        .chain(
            site.tags
                .iter()
                .enumerate()
                .map(|(i, t)| (Subject::Tag(i), t.permalink.clone())),
        )
        .chain(
            site.sections
                .iter()
                .enumerate()
                .map(|(i, s)| (Subject::Section(i), s.permalink.clone())),
        );
    for (subject, permalink) in subjects {
        let formats: &[FeedFormat] = match subject {
            Subject::Site => &[FeedFormat::Atom, FeedFormat::Rss, FeedFormat::Json],
            _ => &[FeedFormat::Atom, FeedFormat::Rss],
        };
        for &format in formats {
            jobs.push(Job {
                path: format!("{}{}", permalink.path(), format.file()),
                page: Page::Feed { subject, format },
            });
        }
    }
    jobs.extend(old_feed_jobs(site));
    jobs
}

/// A copy of a list's feed at each old URL of it (`rss_aliases`, `atom_aliases`): feed
/// readers do not follow the HTML redirects old page URLs get, so the feed must answer
/// there itself. The same page as the feed's own, so the same bytes.
fn old_feed_jobs(site: &Site) -> impl Iterator<Item = Job> + '_ {
    let sections = site.sections.iter().enumerate();
    let authors = site.authors.iter().enumerate();
    let tags = site.tags.iter().enumerate();
    std::iter::once((Subject::Site, &site.home_aliases))
        .chain(sections.filter_map(|(i, s)| Some((Subject::Section(i), s.aliases()?))))
        .chain(authors.map(|(i, a)| (Subject::Author(i), &a.aliases)))
        .chain(tags.map(|(i, t)| (Subject::Tag(i), &t.aliases)))
        .flat_map(|(subject, aliases)| {
            aliases.feeds.iter().map(move |(path, kind)| Job {
                path: path.clone(),
                page: Page::Feed {
                    subject,
                    format: match kind {
                        FeedKind::Rss => FeedFormat::Rss,
                        FeedKind::Atom => FeedFormat::Atom,
                    },
                },
            })
        })
}
