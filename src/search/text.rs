//! The words of an article as the index and the browser see them.
//!
//! Invariant: [`word_spans`] then `to_lowercase` split and lowercase exactly as the
//! client's `words` in `search.js` does (runs of alphabetic and numeric characters, at
//! most [`MAX_WORD`] long, then `toLowerCase`), so a word typed in the browser finds the
//! entry the builder wrote for it.

/// The longest word indexed, in characters: longer runs are hashes, URLs or base64, which
/// nobody types.
pub const MAX_WORD: usize = 40;

/// The characters of a word's chunk key: the client fetches the chunk of a query word's
/// first `KEY_CHARS` characters, which also holds every longer word starting with them.
pub const KEY_CHARS: usize = 4;

/// The words of `text` as written (not lowercased), in order.
pub fn word_spans(text: &str) -> impl Iterator<Item = &str> + '_ {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty() && (w.len() <= MAX_WORD || w.chars().count() <= MAX_WORD))
}

/// Whether `word` is its own lowercase (checked cheaply for ASCII, else in full).
pub fn is_lowercase(word: &str) -> bool {
    if word.is_ascii() {
        !word.bytes().any(|b| b.is_ascii_uppercase())
    } else {
        word.to_lowercase() == word
    }
}

/// The key `word` is filed under: its first [`KEY_CHARS`] characters.
pub fn key(word: &str) -> &str {
    match word.char_indices().nth(KEY_CHARS) {
        Some((end, _)) => &word[..end],
        None => word,
    }
}

/// The text of an article's HTML as a reader sees it: tags dropped (and with them the
/// contents of `script`, `style` and `template`), entities decoded, runs of white space
/// made one space.
pub fn html_text(html: &str) -> String {
    let mut text = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(open) = rest.find('<') {
        push_decoded(&mut text, &rest[..open]);
        rest = &rest[open..];
        let end = crate::text::html_tag_end(rest, 0).unwrap_or(rest.len());
        let tag = &rest[..end];
        rest = &rest[end..];
        // A block's edge separates words even where the HTML has no space; an inline
        // element's does not (`<em>un</em>likely` is one word).
        if is_block(tag) {
            text.push(' ');
        }
        if let Some(name) = hidden_element(tag) {
            let close = format!("</{name}");
            match find_ignoring_case(rest, &close) {
                Some(at) => rest = &rest[at..],
                None => rest = "",
            }
        }
    }
    push_decoded(&mut text, rest);
    collapse_spaces(&text)
}

/// The element name of a tag (`<p class=x>`, `</p>`, `<br/>`: `p`, `p`, `br`).
fn tag_name(tag: &str) -> &str {
    tag.trim_start_matches('<')
        .trim_start_matches('/')
        .split(|c: char| c.is_whitespace() || c == '>' || c == '/')
        .next()
        .unwrap_or("")
}

fn is_block(tag: &str) -> bool {
    const BLOCKS: &[&str] = &[
        "p",
        "br",
        "div",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "li",
        "ul",
        "ol",
        "dl",
        "dt",
        "dd",
        "blockquote",
        "pre",
        "table",
        "tr",
        "td",
        "th",
        "figure",
        "figcaption",
        "hr",
        "img",
        "section",
        "article",
        "aside",
        "header",
        "footer",
        "details",
        "summary",
        "picture",
    ];
    let name = tag_name(tag);
    BLOCKS.iter().any(|b| name.eq_ignore_ascii_case(b))
}

/// The name of an element whose contents are not text for a reader, if `tag` opens one.
fn hidden_element(tag: &str) -> Option<&'static str> {
    if tag.starts_with("</") {
        return None;
    }
    let name = tag_name(tag);
    ["script", "style", "template"]
        .into_iter()
        .find(|hidden| name.eq_ignore_ascii_case(hidden))
}

fn find_ignoring_case(haystack: &str, needle: &str) -> Option<usize> {
    haystack
        .as_bytes()
        .windows(needle.len())
        .position(|w| w.eq_ignore_ascii_case(needle.as_bytes()))
}

fn push_decoded(text: &mut String, html: &str) {
    if html.contains('&') {
        html_escape::decode_html_entities_to_string(html, text);
    } else {
        text.push_str(html);
    }
}

fn collapse_spaces(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for word in text.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_of_html_keeps_what_a_reader_sees() {
        let html = "<h2 id=\"a\">Chips &amp; <em>dips</em></h2>\n<p>It&#39;s <a href=\"x>y\">here</a>.</p>\
                    <script>var hidden = 1;</script><STYLE>p{}</STYLE><p>caf&eacute;</p>";
        assert_eq!(html_text(html), "Chips & dips It's here. café");
        assert_eq!(
            html_text("<p>un<em>like</em>ly</p><p>next</p>"),
            "unlikely next"
        );
    }

    #[test]
    fn an_unclosed_script_hides_the_rest() {
        assert_eq!(html_text("<p>seen</p><script>never"), "seen");
    }

    #[test]
    fn words_are_lowercased_runs_of_letters_and_digits() {
        let words =
            |text: &str| -> Vec<String> { word_spans(text).map(str::to_lowercase).collect() };
        let found = words("Apple's M4 chip: 5G, Ünïcode—and déjà vu");
        assert_eq!(
            found,
            [
                "apple",
                "s",
                "m4",
                "chip",
                "5g",
                "ünïcode",
                "and",
                "déjà",
                "vu"
            ]
        );
        assert!(words(&"x".repeat(41)).is_empty());
    }

    #[test]
    fn keys_are_the_first_four_characters() {
        assert_eq!(key("launched"), "laun");
        assert_eq!(key("déjà"), "déjà");
        assert_eq!(key("ai"), "ai");
        assert_eq!(key("ünïcode"), "ünïc");
    }
}
