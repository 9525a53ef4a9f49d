//! Making the links inside rendered article HTML absolute, for feeds.
//!
//! A feed reader shows an article far from the site, so `href="../photo.jpg"` must become
//! `href="https://example.org/photo.jpg"`. References are resolved as a browser would on the
//! article's own page (RFC 3986, via the `url` crate). Only attributes inside tags are
//! touched: text, including code samples that mention `href=`, is left alone, because in
//! rendered HTML a literal `<` in text is always escaped.

use std::borrow::Cow;

use url::Url;

use crate::html::for_each_attribute;

/// Attributes whose value is a single URL.
const URL_ATTRIBUTES: &[&str] = &["href", "src", "poster", "cite"];

/// `html` with every relative URL attribute resolved against `page`.
pub fn absolutize<'a>(html: &'a str, page: &Url) -> Cow<'a, str> {
    let mut out = String::new();
    let mut copied = 0;
    for_each_attribute(html, |name, value, range| {
        if URL_ATTRIBUTES.contains(&name.to_ascii_lowercase().as_str())
            && let Some(resolved) = resolve(value, page)
        {
            out.push_str(&html[copied..range.start]);
            out.push_str(&resolved);
            copied = range.end;
        }
    });
    if copied == 0 {
        return Cow::Borrowed(html);
    }
    out.push_str(&html[copied..]);
    Cow::Owned(out)
}

/// The path of `base_url` when it is more than `/` (`/news/` for
/// `https://user.github.io/news/`): the prefix site-root links need.
pub fn site_path_prefix(base_url: &str) -> Option<&str> {
    let after_scheme = base_url
        .split_once("://")
        .map_or(base_url, |(_, rest)| rest);
    let path = &after_scheme[after_scheme.find('/')?..];
    (path != "/").then_some(path)
}

/// `html` with every site-root URL attribute (`/tags/`, not `//host/`) moved under
/// `prefix` (which ends in `/`): a site served under a path prefix is its root.
pub fn under_prefix<'a>(html: &'a str, prefix: &str) -> Cow<'a, str> {
    let mut out = String::new();
    let mut copied = 0;
    for_each_attribute(html, |name, value, range| {
        if URL_ATTRIBUTES.contains(&name.to_ascii_lowercase().as_str())
            && value.starts_with('/')
            && !value.starts_with("//")
            && !value.starts_with(prefix)
        {
            out.push_str(&html[copied..range.start]);
            out.push_str(prefix);
            out.push_str(&value[1..]);
            copied = range.end;
        }
    });
    if copied == 0 {
        return Cow::Borrowed(html);
    }
    out.push_str(&html[copied..]);
    Cow::Owned(out)
}

/// The absolute form of a relative reference; `None` when it is already absolute.
fn resolve(value: &str, page: &Url) -> Option<String> {
    let value = value.trim();
    if value.is_empty() || Url::parse(value).is_ok() {
        return None;
    }
    page.join(value).ok().map(String::from)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn site_root_links_move_under_a_path_prefix() {
        assert_eq!(
            site_path_prefix("https://user.github.io/news/"),
            Some("/news/")
        );
        assert_eq!(site_path_prefix("https://example.org/"), None);
        let html = r#"<a href="/tags/">t</a> <img src="/a.png"> <a href="//cdn.example/x">c</a> <a href="/news/ok/">k</a> <code>href="/x"</code>"#;
        assert_eq!(
            under_prefix(html, "/news/"),
            r#"<a href="/news/tags/">t</a> <img src="/news/a.png"> <a href="//cdn.example/x">c</a> <a href="/news/ok/">k</a> <code>href="/x"</code>"#
        );
    }

    fn abs(html: &str) -> String {
        let page = Url::parse("https://example.org/news/story/").unwrap();
        absolutize(html, &page).into_owned()
    }

    #[test]
    fn resolves_relative_references_like_a_browser() {
        assert_eq!(
            abs(r#"<a href="other/">x</a>"#),
            r#"<a href="https://example.org/news/story/other/">x</a>"#
        );
        assert_eq!(
            abs(r#"<img src="../pic.jpg" alt="a">"#),
            r#"<img src="https://example.org/news/pic.jpg" alt="a">"#
        );
        assert_eq!(
            abs(r#"<a href="/about/">x</a><a href='#top'>y</a>"#),
            r#"<a href="https://example.org/about/">x</a><a href='https://example.org/news/story/#top'>y</a>"#
        );
    }

    #[test]
    fn leaves_absolute_urls_text_and_other_attributes_alone() {
        let html =
            r#"<a href="https://other.org/a" title="b/c">mailto</a><a href="mailto:x@y.z">m</a>"#;
        assert!(matches!(
            absolutize(html, &Url::parse("https://example.org/").unwrap()),
            Cow::Borrowed(_)
        ));
        let code = r#"<pre><code>&lt;a href="x"&gt; data-src="y"</code></pre>"#;
        assert_eq!(abs(code), code);
        assert_eq!(
            abs(r#"<img data-src="a.png" src="b.png">"#),
            r#"<img data-src="a.png" src="https://example.org/news/story/b.png">"#
        );
    }
}
