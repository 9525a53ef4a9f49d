//! Template context values, built once per build and shared by every page that shows them.
//!
//! Tera 2 values are reference-counted, so an article's value (including its HTML) is
//! built once and cloned cheaply into its own page, its neighbours' pages and every list
//! page it appears on. The shape of these values is the documented template context
//! (docs/templates.md); change both together.

use std::collections::{BTreeSet, HashMap};

use chrono::{DateTime, FixedOffset};
use rayon::prelude::*;
use tera::{Map, Value};

use crate::content::slug::slugify;
use crate::content::{AUTHORS_DIR, Article, Author, Permalink, Site, Tag};

/// The values shared across one build.
pub struct Shared {
    pub site: Value,
    /// Parallel to `Site::articles`.
    pub articles: Vec<Value>,
    /// Parallel to `Site::authors`, without their article lists.
    pub authors: Vec<Value>,
    /// Parallel to `Site::tags`.
    pub tags: Vec<Value>,
    /// Articles as feeds show them (absolute links, RFC 822 dates), only for the articles
    /// that appear in at least one feed.
    pub feed_items: HashMap<usize, Value>,
}

impl Shared {
    pub fn build(site: &Site) -> Shared {
        let base = site.config.base_url.as_str();
        Shared {
            site: site_value(site),
            articles: site
                .articles
                .par_iter()
                .map(|a| article_value(a, base))
                .collect(),
            authors: site.authors.iter().map(|a| author_value(a, base)).collect(),
            tags: site.tags.iter().map(|t| tag_value(t, base)).collect(),
            feed_items: feed_items(site),
        }
    }
}

/// The feed form of every article some feed carries: the site's newest `feed_limit`
/// articles, and each author's and tag's.
fn feed_items(site: &Site) -> HashMap<usize, Value> {
    let limit = site.config.feed_limit;
    let mut wanted: BTreeSet<usize> = (0..site.articles.len().min(limit)).collect();
    for list in site
        .authors
        .iter()
        .map(|a| &a.articles)
        .chain(site.tags.iter().map(|t| &t.articles))
    {
        wanted.extend(list.iter().take(limit));
    }
    let base = site.config.base_url.as_str();
    wanted
        .into_par_iter()
        .map(|i| (i, feed_item_value(&site.articles[i], base)))
        .collect()
}

/// A small builder so values read like the documented shape.
pub struct Obj(Map);

impl Obj {
    pub fn new() -> Self {
        Obj(Map::new())
    }
    pub fn set(mut self, key: &'static str, value: impl Into<Value>) -> Self {
        self.0.insert(key.into(), value.into());
        self
    }
    pub fn done(self) -> Value {
        Value::from(self.0)
    }
}

fn site_value(site: &Site) -> Value {
    let c = &site.config;
    Obj::new()
        .set("title", c.title.as_str())
        .set("description", c.description.as_str())
        .set("base_url", c.base_url.as_str())
        .set("language", c.language.as_str())
        .set("extra", toml_to_value(&toml::Value::Table(c.extra.clone())))
        .set("article_count", site.articles.len())
        .set("author_count", site.authors.len())
        .set("tag_count", site.tags.len())
        .set("atom_url", format!("{}atom.xml", c.base_url))
        .set("rss_url", format!("{}rss.xml", c.base_url))
        .set("json_feed_url", format!("{}feed.json", c.base_url))
        .done()
}

pub fn date_string(date: &DateTime<FixedOffset>) -> String {
    date.to_rfc3339_opts(chrono::SecondsFormat::AutoSi, true)
}

/// RFC 822 dates for RSS, with a two-digit day as most readers expect.
pub fn rfc822(date: &DateTime<FixedOffset>) -> String {
    date.format("%a, %d %b %Y %H:%M:%S %z").to_string()
}

fn display_date(date: &DateTime<FixedOffset>) -> String {
    date.format("%-d %B %Y").to_string()
}

/// `{name, slug, url}` for an author or tag named in an article.
fn link(name: &str, section: &str, base: &str) -> Value {
    let slug = slugify(name);
    let url = Permalink::from_segments([section, slug.as_str()]).url(base);
    Obj::new()
        .set("name", name)
        .set("slug", slug)
        .set("url", url)
        .done()
}

fn article_value(a: &Article, base: &str) -> Value {
    article_obj(a, base, Value::safe_string(&a.html)).done()
}

/// An article as feeds show it: links absolute, dates also in RFC 822 for RSS.
fn feed_item_value(a: &Article, base: &str) -> Value {
    let url = a.permalink.url(base);
    // base_url was validated as an absolute http(s) URL, so the page URL parses.
    let content = match url::Url::parse(&url) {
        Ok(page) => super::links::absolutize(&a.html, &page).into_owned(),
        Err(_) => a.html.clone(),
    };
    // Not marked safe: feed templates are XML, and autoescaping is what turns the HTML
    // into the escaped text that `<content type="html">` and `<content:encoded>` expect.
    article_obj(a, base, Value::from(content))
        .set("date_rfc822", rfc822(&a.date))
        .set("last_modified_rfc822", rfc822(&a.last_modified()))
        .done()
}

fn article_obj(a: &Article, base: &str, content: Value) -> Obj {
    let authors: Vec<Value> = a
        .authors
        .iter()
        .map(|n| link(n, AUTHORS_DIR, base))
        .collect();
    let tags: Vec<Value> = a.tags.iter().map(|n| link(n, "tags", base)).collect();
    Obj::new()
        .set("title", a.title.as_str())
        .set("slug", a.slug.as_str())
        .set("url", a.permalink.url(base))
        .set("path", format!("/{}", a.permalink.path()))
        .set("date", date_string(&a.date))
        .set("date_display", display_date(&a.date))
        .set("updated", a.updated.as_ref().map(date_string))
        .set("updated_display", a.updated.as_ref().map(display_date))
        .set("last_modified", date_string(&a.last_modified()))
        .set("description", a.description.as_deref())
        .set("summary", a.summary.as_str())
        .set("authors", authors)
        .set("tags", tags)
        .set("reading_time", a.reading_time)
        .set("word_count", a.word_count)
        .set("draft", a.draft)
        .set("extra", toml_to_value(&toml::Value::Table(a.extra.clone())))
        .set("content", content)
}

fn author_value(a: &Author, base: &str) -> Value {
    Obj::new()
        .set("name", a.name.as_str())
        .set("slug", a.slug.as_str())
        .set("url", a.permalink.url(base))
        .set("atom_url", format!("{}atom.xml", a.permalink.url(base)))
        .set("rss_url", format!("{}rss.xml", a.permalink.url(base)))
        .set("bio", Value::safe_string(&a.bio_html))
        .set("has_profile", a.profile.is_some())
        .set("extra", toml_to_value(&toml::Value::Table(a.extra.clone())))
        .set("article_count", a.articles.len())
        .done()
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
    Obj::new()
        .set("items", items)
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
        toml::Value::Table(table) => {
            let mut map = Map::new();
            for (k, v) in table {
                map.insert(k.clone().into(), toml_to_value(v));
            }
            Value::from(map)
        }
    }
}
