//! `sitemap.xml` and `robots.txt`, generated in Rust: their format is fixed by the
//! standards, not by the theme.
//!
//! Invariant: `lastmod` comes from article dates, never from the clock, so the sitemap is
//! byte-identical across builds of the same content.

use std::fmt::Write;

use super::context::date_string;
use super::{Contents, OutputFile};
use crate::content::{AUTHORS_DIR, Permalink, Site};

pub fn files(site: &Site) -> Vec<OutputFile> {
    let base = &site.config.base_url;
    vec![
        OutputFile {
            path: "sitemap.xml".into(),
            contents: Contents::Rendered(sitemap(site).into_bytes()),
        },
        OutputFile {
            path: "robots.txt".into(),
            contents: Contents::Rendered(
                format!("User-agent: *\nAllow: /\n\nSitemap: {base}sitemap.xml\n").into_bytes(),
            ),
        },
    ]
}

/// Every HTML page of the site with the date its content last changed.
fn sitemap(site: &Site) -> String {
    let base = &site.config.base_url;
    let newest = |indices: &mut dyn Iterator<Item = usize>| {
        indices.map(|i| site.articles[i].last_modified()).max()
    };
    let per_page = site.config.paginate_by;
    let mut entries: Vec<(String, Option<String>)> = Vec::new();
    let mut list = |root: &Permalink, articles: &[usize]| {
        let pages = articles.len().div_ceil(per_page).max(1);
        for n in 1..=pages {
            let chunk = articles.chunks(per_page).nth(n - 1).unwrap_or(&[]);
            let lastmod = newest(&mut chunk.iter().copied());
            entries.push((root.page(n).url(base), lastmod.as_ref().map(date_string)));
        }
    };
    let all: Vec<usize> = (0..site.articles.len()).collect();
    list(&Permalink::root(), &all);
    for author in &site.authors {
        list(&author.permalink, &author.articles);
    }
    for tag in &site.tags {
        list(&tag.permalink, &tag.articles);
    }
    let everything = newest(&mut (0..site.articles.len()))
        .as_ref()
        .map(date_string);
    entries.push((
        Permalink::from_segments([AUTHORS_DIR]).url(base),
        everything.clone(),
    ));
    entries.push((Permalink::from_segments(["tags"]).url(base), everything));
    for a in &site.articles {
        entries.push((a.permalink.url(base), Some(date_string(&a.last_modified()))));
    }
    entries.sort();

    let mut xml = String::with_capacity(entries.len() * 120 + 200);
    xml.push_str("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    xml.push_str("<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n");
    for (url, lastmod) in entries {
        let _ = write!(xml, "  <url>\n    <loc>{}</loc>\n", xml_escape(&url));
        if let Some(lastmod) = lastmod {
            let _ = writeln!(xml, "    <lastmod>{lastmod}</lastmod>");
        }
        xml.push_str("  </url>\n");
    }
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
