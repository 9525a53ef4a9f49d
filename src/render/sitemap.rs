//! `sitemap.xml`, the Google News sitemap `news-sitemap.xml` and `robots.txt`, generated in
//! Rust: their format is fixed by the standards, not by the theme.
//!
//! Invariant: every date comes from articles, never from the clock, so these files are
//! byte-identical across builds of the same content. A site with more URLs than one
//! sitemap may hold gets a sitemap index at `sitemap.xml` and numbered parts beside it.

use std::fmt::Write;

use rayon::prelude::*;

use super::context::date_string;
use crate::content::{AUTHORS_DIR, Permalink, Site};
use crate::files::{Contents, OutputFile};

/// The most URLs one sitemap file may list (sitemaps.org).
const MAX_URLS_PER_SITEMAP: usize = 50_000;

/// The most articles a Google News sitemap may list.
const MAX_NEWS_ARTICLES: usize = 1_000;

/// How far back from the newest article the news sitemap reaches.
const NEWS_WINDOW_DAYS: i64 = 2;

pub fn files(site: &Site) -> Vec<OutputFile> {
    let base = &site.config.base_url;
    let mut files = sitemaps(&entries(site), base, MAX_URLS_PER_SITEMAP);
    files.push(rendered("news-sitemap.xml", news_sitemap(site)));
    files.push(rendered(
        "robots.txt",
        format!(
            "User-agent: *\nAllow: /\n\nSitemap: {base}sitemap.xml\nSitemap: {base}news-sitemap.xml\n"
        ),
    ));
    files
}

fn rendered(path: &str, text: String) -> OutputFile {
    OutputFile {
        path: path.into(),
        contents: Contents::Rendered(text.into_bytes()),
    }
}

/// `sitemap.xml` alone, or, over `limit` URLs, `sitemap.xml` as an index of
/// `sitemap-1.xml`, `sitemap-2.xml`, ….
fn sitemaps(entries: &[(String, Option<String>)], base: &str, limit: usize) -> Vec<OutputFile> {
    if entries.len() <= limit {
        return vec![rendered("sitemap.xml", urlset(entries))];
    }
    let mut files = Vec::new();
    let mut index = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    index.push_str("<sitemapindex xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n");
    for (n, chunk) in entries.chunks(limit).enumerate() {
        let name = format!("sitemap-{}.xml", n + 1);
        let _ = write!(
            index,
            "  <sitemap>\n    <loc>{}</loc>\n",
            xml_escape(&format!("{base}{name}"))
        );
        if let Some(newest) = chunk
            .iter()
            .filter_map(|(_, lastmod)| lastmod.as_ref())
            .max()
        {
            let _ = writeln!(index, "    <lastmod>{newest}</lastmod>");
        }
        index.push_str("  </sitemap>\n");
        files.push(rendered(&name, urlset(chunk)));
    }
    index.push_str("</sitemapindex>\n");
    files.push(rendered("sitemap.xml", index));
    files
}

/// Articles published within [`NEWS_WINDOW_DAYS`] before the newest one, in Google News
/// sitemap format.
fn news_sitemap(site: &Site) -> String {
    let mut xml = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    xml.push_str("<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\" xmlns:news=\"http://www.google.com/schemas/sitemap-news/0.9\">\n");
    if let Some(newest) = site.articles.first() {
        let since = newest.date - chrono::Duration::days(NEWS_WINDOW_DAYS);
        let name = xml_escape(&site.config.title);
        let language = xml_escape(&site.config.language);
        // Articles are sorted newest first, so the window is a prefix.
        for a in site
            .articles
            .iter()
            .take_while(|a| a.date >= since)
            .take(MAX_NEWS_ARTICLES)
        {
            let _ = write!(
                xml,
                "  <url>\n    <loc>{}</loc>\n    <news:news>\n      <news:publication>\n        <news:name>{name}</news:name>\n        <news:language>{language}</news:language>\n      </news:publication>\n      <news:publication_date>{}</news:publication_date>\n      <news:title>{}</news:title>\n    </news:news>\n  </url>\n",
                xml_escape(&a.permalink.url(&site.config.base_url)),
                date_string(&a.date),
                xml_escape(&a.title),
            );
        }
    }
    xml.push_str("</urlset>\n");
    xml
}

/// Every HTML page of the site with the date its content last changed, sorted by URL.
fn entries(site: &Site) -> Vec<(String, Option<String>)> {
    let base = &site.config.base_url;
    let newest = |indices: &mut dyn Iterator<Item = usize>| {
        indices.map(|i| site.articles[i].last_modified()).max()
    };
    let per_page = site.config.paginate_by;
    let mut entries: Vec<(String, Option<String>)> = Vec::new();
    // The home page's pages show its river (the first page what it features too), and a
    // section's its pinned stories first (see `content::front`).
    let front = &site.front;
    for n in 1..=front.page_count(per_page) {
        let lastmod = newest(&mut front.page(n, per_page).into_iter());
        let url = Permalink::root().page(n).url(base);
        entries.push((url, lastmod.as_ref().map(date_string)));
    }
    let mut list = |root: &Permalink, articles: &[usize]| {
        let pages = articles.len().div_ceil(per_page).max(1);
        for n in 1..=pages {
            let chunk = articles.chunks(per_page).nth(n - 1).unwrap_or(&[]);
            let lastmod = newest(&mut chunk.iter().copied());
            entries.push((root.page(n).url(base), lastmod.as_ref().map(date_string)));
        }
    };
    for author in &site.authors {
        list(&author.permalink, &author.articles);
    }
    for tag in &site.tags {
        list(&tag.permalink, &tag.articles);
    }
    for (s, section) in site.sections.iter().enumerate() {
        list(&section.permalink, front.section_list(&site.sections, s));
    }
    let everything = newest(&mut (0..site.articles.len()))
        .as_ref()
        .map(date_string);
    entries.push((
        Permalink::from_segments([AUTHORS_DIR]).url(base),
        everything.clone(),
    ));
    entries.push((Permalink::from_segments(["tags"]).url(base), everything));
    // One entry per article: formatting 10,000s of dates is worth both cores.
    entries.par_extend(
        site.articles
            .par_iter()
            .map(|a| (a.permalink.url(base), Some(date_string(&a.last_modified())))),
    );
    // Pages are in the sitemap (never in the news sitemap), dated where they say.
    entries.extend(site.pages.iter().map(|p| {
        let lastmod = p.last_modified().as_ref().map(date_string);
        (p.permalink.url(base), lastmod)
    }));
    // Whole entries are compared, so equal ones are identical: unstable order is safe.
    entries.par_sort_unstable();
    entries
}

fn urlset(entries: &[(String, Option<String>)]) -> String {
    let mut xml = String::with_capacity(entries.len() * 120 + 200);
    xml.push_str("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    xml.push_str("<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n");
    // Written in parallel by chunks, joined in order.
    let parts: Vec<String> = entries
        .par_chunks(1024)
        .map(|chunk| {
            let mut part = String::with_capacity(chunk.len() * 120);
            for (url, lastmod) in chunk {
                let _ = write!(part, "  <url>\n    <loc>{}</loc>\n", xml_escape(url));
                if let Some(lastmod) = lastmod {
                    let _ = writeln!(part, "    <lastmod>{lastmod}</lastmod>");
                }
                part.push_str("  </url>\n");
            }
            part
        })
        .collect();
    parts.iter().for_each(|part| xml.push_str(part));
    xml.push_str("</urlset>\n");
    xml
}

/// Escapes text for XML content and attributes.
pub fn xml_escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(file: &OutputFile) -> &str {
        match &file.contents {
            Contents::Rendered(bytes) => std::str::from_utf8(bytes).unwrap(),
            Contents::Static(_) => panic!("{} is not generated", file.path),
        }
    }

    fn entries(n: usize) -> Vec<(String, Option<String>)> {
        (0..n)
            .map(|i| {
                (
                    format!("https://e.org/a{i}/"),
                    Some(format!("2020-01-0{}T00:00:00Z", i + 1)),
                )
            })
            .collect()
    }

    #[test]
    fn small_sites_get_one_sitemap() {
        let files = sitemaps(&entries(3), "https://e.org/", 3);
        assert_eq!(files.len(), 1);
        assert_eq!(files[0].path, "sitemap.xml");
        assert_eq!(text(&files[0]).matches("<url>").count(), 3);
    }

    #[test]
    fn large_sites_get_an_index_of_parts() {
        let files = sitemaps(&entries(5), "https://e.org/", 2);
        let paths: Vec<&str> = files.iter().map(|f| f.path.as_str()).collect();
        assert_eq!(
            paths,
            [
                "sitemap-1.xml",
                "sitemap-2.xml",
                "sitemap-3.xml",
                "sitemap.xml"
            ]
        );
        let index = text(&files[3]);
        assert!(index.contains("<sitemapindex"), "{index}");
        assert!(index.contains("<loc>https://e.org/sitemap-3.xml</loc>"));
        assert!(index.contains("<lastmod>2020-01-05T00:00:00Z</lastmod>"));
        assert_eq!(text(&files[2]).matches("<url>").count(), 1);
    }
}
