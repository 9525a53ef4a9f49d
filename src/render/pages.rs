//! Which files a site has that templates render, and rendering one of them.
//!
//! Every rendered file is listed first as a [`Job`]: where it goes and which [`Page`] it
//! is — a small description, not a context. The context is built when the job is rendered,
//! on whichever thread renders it, from the values in [`Shared`]; so planning is cheap,
//! contexts never pile up in memory, and a watcher can re-render any single page.

use std::hash::{DefaultHasher, Hash, Hasher};

use tera::{Context, Value};

use super::context::{Obj, Shared, date_string, paginator, rfc822};
use super::{Contents, OutputFile, RenderError, Theme};
use crate::content::{AUTHORS_DIR, Permalink, Site};

/// What a rendered file shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Page {
    Article(usize),
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
    NotFound,
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
    ) -> Result<OutputFile, RenderError> {
        // Room for a typical page up front saves regrowing.
        self.render_into(site, shared, theme, Vec::with_capacity(16 * 1024))
    }

    /// Renders into `buffer` (emptied first), which becomes the file's contents. A caller
    /// rendering many pages hands back the last page's buffer, so that pages neither
    /// allocate nor regrow (a feed runs to some 140 KB).
    pub fn render_into(
        &self,
        site: &Site,
        shared: &Shared,
        theme: &Theme,
        mut buffer: Vec<u8>,
    ) -> Result<OutputFile, RenderError> {
        buffer.clear();
        let context = self.context(site, shared);
        // Rendered as bytes, which is what gets written: `Tera::render` would check the
        // whole page is UTF-8 again.
        theme
            .tera
            .render_to(self.template(), &context, &mut buffer)
            .map_err(|e| RenderError::template(&e, &theme.sources, Some(&self.what(site))))?;
        Ok(OutputFile {
            path: self.path.clone(),
            contents: Contents::Rendered(buffer),
        })
    }

    /// A hash of everything this page's output depends on: its template (with what that
    /// extends and includes), its path, and the versions of the values in its context.
    /// Equal signatures, equal bytes — so a watcher re-renders only pages whose
    /// signature changed.
    pub fn signature(&self, site: &Site, shared: &Shared, theme: &Theme) -> u64 {
        let v = &shared.versions;
        let mut h = DefaultHasher::new();
        // Indices into the site are not hashed: they shift when articles come and go
        // without changing what a page shows; the versions of what is shown are hashed.
        (
            &self.path,
            theme.versions.get(self.template()),
            v.site,
            // Adding an article changes the site's counts; most templates do not show them.
            theme
                .may_show_site_counts(self.template())
                .then_some(v.site_counts),
            std::mem::discriminant(&self.page),
        )
            .hash(&mut h);
        let articles = |h: &mut DefaultHasher, list: &mut dyn Iterator<Item = usize>| {
            for i in list {
                v.articles[i].hash(h);
            }
        };
        let per_page = site.config.paginate_by;
        match self.page {
            Page::Article(i) => {
                let neighbours = [Some(i + 1), i.checked_sub(1)];
                for j in neighbours {
                    j.and_then(|j| v.articles.get(j)).hash(&mut h);
                }
                v.articles[i].hash(&mut h);
            }
            Page::Home { number } => {
                let total = site.articles.len();
                let start = ((number - 1) * per_page).min(total);
                (number, total).hash(&mut h);
                articles(&mut h, &mut (start..(start + per_page).min(total)));
            }
            Page::Authors => v.authors.hash(&mut h),
            Page::Author { author, number } => {
                let list = &site.authors[author].articles;
                (v.authors[author], number, list.len()).hash(&mut h);
                articles(&mut h, &mut page_of(list, number, site).iter().copied());
            }
            Page::Tags => v.tags.hash(&mut h),
            Page::Tag { tag, number } => {
                let list = &site.tags[tag].articles;
                (v.tags[tag], number, list.len()).hash(&mut h);
                articles(&mut h, &mut page_of(list, number, site).iter().copied());
            }
            Page::NotFound => {}
            Page::Feed { subject, format } => {
                format.hash(&mut h);
                let list: &[usize] = match subject {
                    Subject::Site => &[],
                    Subject::Author(a) => {
                        v.authors[a].hash(&mut h);
                        &site.authors[a].articles
                    }
                    Subject::Tag(t) => {
                        v.tags[t].hash(&mut h);
                        &site.tags[t].articles
                    }
                };
                let limit = site.config.feed_limit;
                let empty = match subject {
                    Subject::Site => site.articles.is_empty(),
                    _ => list.is_empty(),
                };
                match subject {
                    Subject::Site => articles(&mut h, &mut (0..site.articles.len().min(limit))),
                    _ => articles(&mut h, &mut list.iter().take(limit).copied()),
                }
                // An empty feed is dated by the whole site's newest article (which dates no
                // other feed: publishing an article must not re-render them all).
                if empty {
                    v.newest_article.hash(&mut h);
                }
            }
        }
        h.finish()
    }

    /// The template this page is rendered with: one of [`PAGE_TEMPLATES`], or a feed's.
    pub fn template(&self) -> &'static str {
        match self.page {
            Page::Article(_) => "article.html",
            Page::Home { .. } => "index.html",
            Page::Authors => "authors.html",
            Page::Author { .. } => "author.html",
            Page::Tags => "tags.html",
            Page::Tag { .. } => "tag.html",
            Page::NotFound => "404.html",
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
            Page::NotFound => "the 404 page".into(),
            Page::Feed { subject, .. } => match subject {
                Subject::Site => "the site's feeds".into(),
                Subject::Author(a) => format!("the feeds of author \"{}\"", site.authors[a].name),
                Subject::Tag(t) => format!("the feeds of tag \"{}\"", site.tags[t].name),
            },
        }
    }

    fn context(&self, site: &Site, shared: &Shared) -> Context {
        let base = site.config.base_url.as_str();
        let mut ctx = Context::new();
        ctx.insert_value("site", shared.site.clone());
        ctx.insert_value(
            "page_url",
            Value::from(format!("{base}{}", self.url_path())),
        );
        match self.page {
            Page::Article(i) => {
                ctx.insert_value("article", shared.articles[i].clone());
                // Articles are newest first: the previous (older) one follows in the list.
                let neighbour = |j: Option<usize>| {
                    j.and_then(|j| shared.articles.get(j).cloned())
                        .unwrap_or_else(Value::none)
                };
                ctx.insert_value("previous", neighbour(Some(i + 1)));
                ctx.insert_value("next", neighbour(i.checked_sub(1)));
            }
            Page::Home { number } => {
                let per_page = site.config.paginate_by;
                let total = site.articles.len();
                let start = ((number - 1) * per_page).min(total);
                let chunk = start..(start + per_page).min(total);
                list(
                    &mut ctx,
                    shared,
                    &Permalink::root(),
                    chunk,
                    total,
                    number,
                    site,
                );
            }
            Page::Authors => ctx.insert_value("authors", Value::from(shared.authors.clone())),
            Page::Author { author, number } => {
                let a = &site.authors[author];
                let chunk = page_of(&a.articles, number, site).iter().copied();
                list(
                    &mut ctx,
                    shared,
                    &a.permalink,
                    chunk,
                    a.articles.len(),
                    number,
                    site,
                );
                ctx.insert_value("author", shared.authors[author].clone());
            }
            Page::Tags => ctx.insert_value("tags", Value::from(shared.tags.clone())),
            Page::Tag { tag, number } => {
                let t = &site.tags[tag];
                let chunk = page_of(&t.articles, number, site).iter().copied();
                list(
                    &mut ctx,
                    shared,
                    &t.permalink,
                    chunk,
                    t.articles.len(),
                    number,
                    site,
                );
                ctx.insert_value("tag", shared.tags[tag].clone());
            }
            Page::NotFound => {}
            Page::Feed { subject, .. } => feed(&mut ctx, site, shared, subject),
        }
        ctx
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

/// The paginator of page `number` of a list of `total` articles, showing `chunk`.
fn list(
    ctx: &mut Context,
    shared: &Shared,
    root: &Permalink,
    chunk: impl Iterator<Item = usize>,
    total: usize,
    number: usize,
    site: &Site,
) {
    let total_pages = total.div_ceil(site.config.paginate_by).max(1);
    let items: Vec<Value> = chunk.map(|i| shared.articles[i].clone()).collect();
    ctx.insert_value(
        "paginator",
        paginator(
            items,
            number,
            total_pages,
            total,
            root,
            &site.config.base_url,
        ),
    );
}

/// `feed` and `items` for a feed template. A feed's date is its newest item's
/// `last_modified` (the whole site's when it has none), never the clock.
fn feed(ctx: &mut Context, site: &Site, shared: &Shared, subject: Subject) {
    let base = site.config.base_url.as_str();
    let title = &site.config.title;
    let all: Vec<usize>;
    let (kind, feed_title, description, permalink, articles) = match subject {
        Subject::Site => {
            all = (0..site.articles.len().min(site.config.feed_limit)).collect();
            (
                "site",
                title.clone(),
                site.config.description.clone(),
                Permalink::root(),
                all.as_slice(),
            )
        }
        Subject::Author(i) => {
            let a = &site.authors[i];
            (
                "author",
                format!("{} · {title}", a.name),
                format!("Articles by {} in {title}", a.name),
                a.permalink.clone(),
                a.articles.as_slice(),
            )
        }
        Subject::Tag(i) => {
            let t = &site.tags[i];
            (
                "tag",
                format!("{} · {title}", t.name),
                format!("Articles about {} in {title}", t.name),
                t.permalink.clone(),
                t.articles.as_slice(),
            )
        }
    };
    let chosen = &articles[..articles.len().min(site.config.feed_limit)];
    let updated = chosen
        .iter()
        .map(|&i| site.articles[i].last_modified())
        .max()
        .or_else(|| site.articles.iter().map(|a| a.last_modified()).max());
    let page_url = permalink.url(base);
    let value = Obj::new()
        .set("kind", kind)
        .set("title", feed_title)
        .set("description", description)
        .set("atom_url", format!("{page_url}atom.xml"))
        .set("rss_url", format!("{page_url}rss.xml"))
        .set("json_url", format!("{page_url}feed.json"))
        .set(
            "updated",
            updated.map_or_else(|| "1970-01-01T00:00:00Z".to_string(), |d| date_string(&d)),
        )
        .set(
            "updated_rfc822",
            updated.map_or_else(
                || "Thu, 01 Jan 1970 00:00:00 +0000".to_string(),
                |d| rfc822(&d),
            ),
        )
        .set("page_url", page_url)
        .done();
    ctx.insert_value("feed", value);
    let items: Vec<Value> = chosen
        .iter()
        .map(|i| shared.feed_items[i].clone())
        .collect();
    ctx.insert_value("items", Value::from(items));
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
    for number in 1..=pages_of(site.articles.len()) {
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
    jobs.push(Job {
        path: "404.html".into(),
        page: Page::NotFound,
    });

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
    jobs
}
