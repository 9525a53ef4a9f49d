//! Lazy-loaded images as a reader without script sees them. WordPress's lazy-load plugins
//! (and Medium's exports) write an image twice: a placeholder whose real source waits in a
//! `data-src` for a script, then the real image inside `<noscript>`. The sanitizer drops
//! `<noscript>` with its contents and every `data-` attribute, which would leave the
//! placeholder alone; here, before it runs, the `<noscript>`'s image takes the
//! placeholder's place.
//!
//! Invariants: only a `<noscript>` holding an `<img>` is unwrapped (any other is left for
//! the sanitizer to drop, as before); its contents still go through the sanitizer whole;
//! only an `<img>` right before it (white space and `<br>`s aside) that waits for a script (a
//! `data-src`, `data-lazy-src`, `data-srcset` or `data-original`) is dropped.

use std::borrow::Cow;

use crate::text::html_tag_end;

/// Attributes in which lazy-load scripts keep an image's real source.
const LAZY_ATTRIBUTES: &[&str] = &["data-src", "data-lazy-src", "data-srcset", "data-original"];

/// `html` with each `<noscript>` that holds an image replaced by its contents, and the
/// placeholder image before it removed.
pub fn unwrap_noscript_images(html: &str) -> Cow<'_, str> {
    // Most posts have none: found without a lowercased copy.
    let has_noscript = html.match_indices('<').any(|(i, _)| {
        html.as_bytes()
            .get(i + 1..i + 9)
            .is_some_and(|name| name.eq_ignore_ascii_case(b"noscript"))
    });
    if !has_noscript {
        return Cow::Borrowed(html);
    }
    // ASCII lowercasing keeps every byte offset.
    let lower = html.to_ascii_lowercase();
    let mut out = String::with_capacity(html.len());
    let mut at = 0;
    while let Some(found) = lower[at..].find("<noscript") {
        let start = at + found;
        let Some(open_end) = html_tag_end(html, start) else {
            break;
        };
        let Some(close) = lower[open_end..].find("</noscript") else {
            break;
        };
        let close = open_end + close;
        let Some(close_end) = html_tag_end(html, close) else {
            break;
        };
        let inner = &html[open_end..close];
        if !lower[open_end..close].contains("<img") {
            out.push_str(&html[at..close_end]);
            at = close_end;
            continue;
        }
        let before = &html[at..start];
        out.push_str(&before[..placeholder_start(before).unwrap_or(before.len())]);
        out.push_str(inner);
        at = close_end;
    }
    out.push_str(&html[at..]);
    Cow::Owned(out)
}

/// Where the lazy placeholder `<img>` that `before` ends with starts, white space and line
/// breaks aside (WordPress's `wpautop` puts a `<br />` where the two were on two lines).
fn placeholder_start(before: &str) -> Option<usize> {
    let mut trimmed = before.trim_end();
    loop {
        let lower = trimmed.to_ascii_lowercase();
        let Some(br) = lower.rfind("<br") else {
            break;
        };
        let is_break = matches!(&lower[br + 3..], ">" | "/>" | " />");
        if !is_break {
            break;
        }
        trimmed = trimmed[..br].trim_end();
    }
    let lower = trimmed.to_ascii_lowercase();
    let start = lower.rfind("<img")?;
    if html_tag_end(trimmed, start)? != trimmed.len() {
        return None;
    }
    let tag = &lower[start..];
    LAZY_ATTRIBUTES
        .iter()
        .any(|a| tag.contains(&format!(" {a}=")))
        .then_some(start)
}

#[cfg(test)]
mod tests {
    use super::unwrap_noscript_images as unwrap;

    #[test]
    fn the_noscript_image_takes_the_placeholders_place() {
        assert_eq!(
            unwrap(
                "<p>A <img data-src=\"real.jpg\" src=\"placeholder.gif\" class=\"lazy\"><br />\n<NoScript><img src=\"real.jpg\" alt=\"Real\"></noscript> b</p>"
            ),
            "<p>A <img src=\"real.jpg\" alt=\"Real\"> b</p>"
        );
    }

    #[test]
    fn other_noscripts_and_images_are_left_to_the_sanitizer() {
        let plain = "<img src=\"a.jpg\"><noscript><img src=\"b.jpg\"></noscript>";
        assert_eq!(unwrap(plain), "<img src=\"a.jpg\"><img src=\"b.jpg\">");
        let text = "<noscript>Turn on JavaScript</noscript><p>x</p>";
        assert_eq!(unwrap(text), text);
        let open = "<noscript><img src=\"b.jpg\">";
        assert_eq!(unwrap(open), open);
    }
}
