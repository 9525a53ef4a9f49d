//! Feeds: Atom 1.0 and RSS 2.0 for the site, every author and every tag, and JSON Feed 1.1
//! for the site, rendered from the theme's `atom.xml`, `rss.xml` and `feed.json` templates.
//!
//! Invariant: a feed's dates come from its articles, never from the clock — its `updated`
//! is the newest `last_modified` among its items (or of the whole site when it has none) —
//! so the same content always gives the same bytes.

use tera::Value;

use super::context::{Obj, Shared, date_string, rfc822};
use super::pages::{Job, base_context};
use crate::content::Site;

/// One feed's subject: the whole site, an author or a tag.
struct Feed<'a> {
    kind: &'static str,
    title: String,
    description: String,
    /// The HTML page the feed mirrors; feeds live beside its `index.html`.
    page_url: String,
    /// Output folder, relative, `/`-terminated or empty.
    dir: String,
    articles: &'a [usize],
    what: String,
}

/// Every feed of the site, as render jobs.
pub fn jobs(site: &Site, shared: &Shared, jobs: &mut Vec<Job>) {
    let base = site.config.base_url.as_str();
    let title = &site.config.title;
    let all: Vec<usize> = (0..site.articles.len()).collect();
    let mut feeds = vec![Feed {
        kind: "site",
        title: title.clone(),
        description: site.config.description.clone(),
        page_url: base.to_string(),
        dir: String::new(),
        articles: &all,
        what: "the site's feeds".into(),
    }];
    for author in &site.authors {
        feeds.push(Feed {
            kind: "author",
            title: format!("{} · {title}", author.name),
            description: format!("Articles by {} in {title}", author.name),
            page_url: author.permalink.url(base),
            dir: author.permalink.path().to_string(),
            articles: &author.articles,
            what: format!("the feeds of author \"{}\"", author.name),
        });
    }
    for tag in &site.tags {
        feeds.push(Feed {
            kind: "tag",
            title: format!("{} · {title}", tag.name),
            description: format!("Articles about {} in {title}", tag.name),
            page_url: tag.permalink.url(base),
            dir: tag.permalink.path().to_string(),
            articles: &tag.articles,
            what: format!("the feeds of tag \"{}\"", tag.name),
        });
    }

    let site_updated = site.articles.iter().map(|a| a.last_modified()).max();
    for feed in feeds {
        let chosen = &feed.articles[..feed.articles.len().min(site.config.feed_limit)];
        let items: Vec<Value> = chosen
            .iter()
            .map(|i| shared.feed_items[i].clone())
            .collect();
        let updated = chosen
            .iter()
            .map(|&i| site.articles[i].last_modified())
            .max()
            .or(site_updated);
        let atom_url = format!("{}atom.xml", feed.page_url);
        let rss_url = format!("{}rss.xml", feed.page_url);
        let value = Obj::new()
            .set("kind", feed.kind)
            .set("title", feed.title)
            .set("description", feed.description)
            .set("page_url", feed.page_url.as_str())
            .set("atom_url", atom_url.as_str())
            .set("rss_url", rss_url.as_str())
            .set("json_url", format!("{}feed.json", feed.page_url))
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
            .done();
        let mut formats = vec![("atom.xml", atom_url), ("rss.xml", rss_url)];
        if feed.kind == "site" {
            formats.push(("feed.json", format!("{}feed.json", feed.page_url)));
        }
        for (template, url) in formats {
            let mut ctx = base_context(shared, url);
            ctx.insert_value("feed", value.clone());
            ctx.insert_value("items", Value::from(items.clone()));
            jobs.push(Job {
                path: format!("{}{template}", feed.dir),
                template,
                context: ctx,
                what: feed.what.clone(),
            });
        }
    }
}
