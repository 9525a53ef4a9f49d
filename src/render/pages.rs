//! Which HTML pages a site has, and rendering them in parallel.
//!
//! Every page is described first as a [`Job`] (where it goes, which template, what context),
//! then the caller renders all jobs on all cores. Keeping the list explicit is what lets the
//! output stay sorted and deterministic.

use tera::{Context, Value};

use super::context::{Shared, paginator};
use super::{Contents, OutputFile, RenderError, Theme};
use crate::content::{AUTHORS_DIR, Permalink, Site};

/// One HTML page to render: where it goes, with which template and context.
pub struct Job {
    pub path: String,
    pub(super) template: &'static str,
    pub(super) context: Context,
    /// What is being rendered, for error messages.
    pub(super) what: String,
}

impl Job {
    /// Renders the page. Jobs are independent, so callers render them in parallel.
    pub fn render(&self, theme: &Theme) -> Result<OutputFile, RenderError> {
        let html = theme
            .tera
            .render(self.template, &self.context)
            .map_err(|e| RenderError::template(&e, &theme.sources, Some(&self.what)))?;
        Ok(OutputFile {
            path: self.path.clone(),
            contents: Contents::Rendered(html.into_bytes()),
        })
    }
}

pub(super) fn base_context(shared: &Shared, url: String) -> Context {
    let mut ctx = Context::new();
    ctx.insert_value("site", shared.site.clone());
    ctx.insert_value("page_url", Value::from(url));
    ctx
}

fn output_path(permalink: &Permalink) -> String {
    format!("{}index.html", permalink.path())
}

/// Every HTML page of the site.
pub fn jobs(site: &Site, shared: &Shared) -> Vec<Job> {
    let base = site.config.base_url.as_str();
    let per_page = site.config.paginate_by;
    let mut jobs = Vec::new();

    for (i, article) in site.articles.iter().enumerate() {
        let mut ctx = base_context(shared, article.permalink.url(base));
        ctx.insert_value("article", shared.articles[i].clone());
        // Articles are newest first: the previous (older) one follows in the list.
        ctx.insert_value(
            "previous",
            shared
                .articles
                .get(i + 1)
                .cloned()
                .unwrap_or_else(Value::none),
        );
        ctx.insert_value(
            "next",
            i.checked_sub(1)
                .map(|j| shared.articles[j].clone())
                .unwrap_or_else(Value::none),
        );
        jobs.push(Job {
            path: output_path(&article.permalink),
            template: "article.html",
            context: ctx,
            what: article.source.display().to_string(),
        });
    }

    let all: Vec<usize> = (0..site.articles.len()).collect();
    paginate(
        &mut jobs,
        shared,
        &Permalink::root(),
        &all,
        per_page,
        base,
        "index.html",
        "the home page",
        |_| {},
    );

    let mut authors_ctx = base_context(shared, Permalink::from_segments([AUTHORS_DIR]).url(base));
    authors_ctx.insert_value("authors", Value::from(shared.authors.clone()));
    jobs.push(Job {
        path: format!("{AUTHORS_DIR}/index.html"),
        template: "authors.html",
        context: authors_ctx,
        what: "the authors page".into(),
    });
    for (i, author) in site.authors.iter().enumerate() {
        let value = shared.authors[i].clone();
        paginate(
            &mut jobs,
            shared,
            &author.permalink,
            &author.articles,
            per_page,
            base,
            "author.html",
            &format!("the page of author \"{}\"", author.name),
            |ctx| ctx.insert_value("author", value.clone()),
        );
    }

    let mut tags_ctx = base_context(shared, Permalink::from_segments(["tags"]).url(base));
    tags_ctx.insert_value("tags", Value::from(shared.tags.clone()));
    jobs.push(Job {
        path: "tags/index.html".into(),
        template: "tags.html",
        context: tags_ctx,
        what: "the tags page".into(),
    });
    for (i, tag) in site.tags.iter().enumerate() {
        let value = shared.tags[i].clone();
        paginate(
            &mut jobs,
            shared,
            &tag.permalink,
            &tag.articles,
            per_page,
            base,
            "tag.html",
            &format!("the page of tag \"{}\"", tag.name),
            |ctx| ctx.insert_value("tag", value.clone()),
        );
    }

    jobs.push(Job {
        path: "404.html".into(),
        template: "404.html",
        context: base_context(shared, format!("{base}404.html")),
        what: "the 404 page".into(),
    });
    super::feeds::jobs(site, shared, &mut jobs);
    jobs
}

/// Adds one job per page of a list of articles; an empty list still gets its first page.
#[allow(clippy::too_many_arguments)]
fn paginate(
    jobs: &mut Vec<Job>,
    shared: &Shared,
    root: &Permalink,
    articles: &[usize],
    per_page: usize,
    base: &str,
    template: &'static str,
    what: &str,
    extend: impl Fn(&mut Context),
) {
    let total_pages = articles.len().div_ceil(per_page).max(1);
    for number in 1..=total_pages {
        let chunk = articles.chunks(per_page).nth(number - 1).unwrap_or(&[]);
        let items: Vec<Value> = chunk.iter().map(|&i| shared.articles[i].clone()).collect();
        let permalink = root.page(number);
        let mut ctx = base_context(shared, permalink.url(base));
        ctx.insert_value(
            "paginator",
            paginator(items, number, total_pages, articles.len(), root, base),
        );
        extend(&mut ctx);
        jobs.push(Job {
            path: output_path(&permalink),
            template,
            context: ctx,
            what: if number == 1 {
                what.to_string()
            } else {
                format!("page {number} of {what}")
            },
        });
    }
}
