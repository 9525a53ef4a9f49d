//! Text hygiene shared by every stage that takes text from users, the one scan for where
//! an HTML tag ends, the text a reader sees of some HTML, and counts in messages
//! ([`count`]: "1 draft", "2 drafts").
//!
//! Invariant: text that reaches a template has no control characters other than tab,
//! line feed and carriage return. XML 1.0 forbids them outright and HTML treats them as
//! parse errors, so one stray byte in a title would make every feed that carries it
//! unreadable; dropping them at the edge keeps every output format well-formed.

use std::borrow::Cow;

/// Whether `c` is dropped: C0 controls except tab/LF/CR, DEL, C1 controls, and the
/// non-characters U+FFFE and U+FFFF.
fn is_dropped(c: char) -> bool {
    matches!(c, '\0'..='\u{8}' | '\u{b}' | '\u{c}' | '\u{e}'..='\u{1f}' | '\u{7f}'..='\u{9f}' | '\u{fffe}' | '\u{ffff}')
}

/// `text` without control characters; borrows when there is nothing to drop (the common
/// case, found by a scan the compiler vectorizes: this runs over every article).
pub fn drop_controls(text: &str) -> Cow<'_, str> {
    if has_dropped(text) {
        Cow::Owned(text.chars().filter(|&c| !is_dropped(c)).collect())
    } else {
        Cow::Borrowed(text)
    }
}

fn has_dropped(text: &str) -> bool {
    const CHUNK: usize = 32;
    let bytes = text.as_bytes();
    // In UTF-8, a dropped character is a byte below 0x20 other than tab, LF and CR, or
    // 0x7F, or starts with 0xC2 (C1 controls, C2 80..C2 9F) or 0xEF (EF BF BE/BF). A
    // chunk without any of those lead bytes is skipped without branching per byte; the
    // few with one (a pound sign, a no-break space) get the exact check.
    let lead = |b: u8| {
        ((b < 0x20) & (b != b'\t') & (b != b'\n') & (b != b'\r'))
            | (b == 0x7f)
            | (b == 0xc2)
            | (b == 0xef)
    };
    let dropped_at = |i: usize| match bytes[i] {
        0xc2 => bytes.get(i + 1).is_some_and(|b| (0x80..=0x9f).contains(b)),
        0xef => bytes.get(i + 1) == Some(&0xbf) && matches!(bytes.get(i + 2), Some(0xbe | 0xbf)),
        _ => true,
    };
    bytes.chunks(CHUNK).enumerate().any(|(n, chunk)| {
        chunk.iter().fold(false, |acc, &b| acc | lead(b))
            && (0..chunk.len()).any(|i| lead(chunk[i]) && dropped_at(n * CHUNK + i))
    })
}

/// [`drop_controls`] on an owned string, reusing it when clean.
pub fn clean(text: String) -> String {
    match drop_controls(&text) {
        Cow::Borrowed(_) => text,
        Cow::Owned(cleaned) => cleaned,
    }
}

/// Cleans every string inside a TOML table (the free-form `[extra]` tables).
pub fn clean_table(table: &mut toml::Table) {
    for (_, value) in table.iter_mut() {
        clean_value(value);
    }
}

fn clean_value(value: &mut toml::Value) {
    match value {
        toml::Value::String(s) => *s = clean(std::mem::take(s)),
        toml::Value::Array(items) => items.iter_mut().for_each(clean_value),
        toml::Value::Table(table) => clean_table(table),
        _ => {}
    }
}

/// The end (one past `>`) of the HTML tag starting at `start`, quotes respected (a `>` in
/// an attribute value does not end it); `None` if it never ends. The three bytes it looks
/// for are ASCII, so it skips between them with `memchr` rather than walking characters
/// (it runs over every tag of every article the search index reads).
pub fn html_tag_end(html: &str, start: usize) -> Option<usize> {
    let bytes = html.as_bytes();
    let mut at = start;
    loop {
        let found = at + memchr::memchr3(b'"', b'\'', b'>', bytes.get(at..)?)?;
        match bytes[found] {
            b'>' => return Some(found + 1),
            quote => at = found + 1 + memchr::memchr(quote, &bytes[found + 1..])? + 1,
        }
    }
}

/// The text of an article's HTML as a reader sees it: tags dropped (and with them the
/// contents of `script`, `style` and `template`), entities decoded, runs of white space
/// made one space.
pub fn html_text(html: &str) -> String {
    let mut text = Collapsed::with_capacity(html.len());
    let mut rest = html;
    while let Some(open) = memchr::memchr(b'<', rest.as_bytes()) {
        text.push_decoded(&rest[..open]);
        rest = &rest[open..];
        let end = crate::text::html_tag_end(rest, 0).unwrap_or(rest.len());
        let tag = &rest[..end];
        rest = &rest[end..];
        // A block's edge separates words even where the HTML has no space; an inline
        // element's does not (`<em>un</em>likely` is one word).
        if is_block(tag) {
            text.gap = true;
        }
        if let Some(name) = hidden_element(tag) {
            let close = format!("</{name}");
            match find_ignoring_case(rest, &close) {
                Some(at) => rest = &rest[at..],
                None => rest = "",
            }
        }
    }
    text.push_decoded(rest);
    text.out
}

/// Text with every run of white space (as `char::is_whitespace` has it) made one space and
/// none at either end, built as pieces arrive: one pass, ASCII decided per byte, where
/// concatenating and then splitting on white space was most of [`html_text`]'s time.
struct Collapsed {
    out: String,
    /// White space (or a block's edge) was met since the last word.
    gap: bool,
}

impl Collapsed {
    fn with_capacity(capacity: usize) -> Self {
        Collapsed {
            out: String::with_capacity(capacity),
            gap: false,
        }
    }

    fn push_decoded(&mut self, html: &str) {
        if memchr::memchr(b'&', html.as_bytes()).is_some() {
            self.push(&html_escape::decode_html_entities(html));
        } else {
            self.push(html);
        }
    }

    fn push(&mut self, piece: &str) {
        let bytes = piece.as_bytes();
        let mut at = 0;
        while at < bytes.len() {
            let (space, len) = space_at(piece, at);
            if space {
                self.gap = true;
                at += len;
                continue;
            }
            let start = at;
            at += len;
            loop {
                // Most of a word is ASCII other than white space: skipped by table.
                while at < bytes.len() && BYTE_CLASS[bytes[at] as usize] == WORD {
                    at += 1;
                }
                if at == bytes.len() {
                    break;
                }
                // One ASCII space between words stays as it is: a sentence is copied whole.
                if bytes[at] == b' '
                    && bytes
                        .get(at + 1)
                        .is_some_and(|&b| BYTE_CLASS[b as usize] == WORD)
                {
                    at += 2;
                    continue;
                }
                let (space, len) = space_at(piece, at);
                if space {
                    break;
                }
                at += len;
            }
            if self.gap && !self.out.is_empty() {
                self.out.push(' ');
            }
            self.gap = false;
            self.out.push_str(&piece[start..at]);
        }
    }
}

/// [`BYTE_CLASS`]: an ASCII byte of a word (not white space).
const WORD: u8 = 0;

/// Each byte's class: [`WORD`], 1 for ASCII white space, 2 for a byte of a character
/// beyond ASCII (decoded to tell).
const BYTE_CLASS: [u8; 256] = {
    let mut table = [0u8; 256];
    let mut b = 0;
    while b < 256 {
        table[b] = match b as u8 {
            b'\t'..=b'\r' | b' ' => 1,
            0x80.. => 2,
            _ => WORD,
        };
        b += 1;
    }
    table
};

/// Whether the character at byte `at` of `text` is white space (as `char::is_whitespace`
/// has it), and its length.
fn space_at(text: &str, at: usize) -> (bool, usize) {
    match BYTE_CLASS[text.as_bytes()[at] as usize] {
        WORD => (false, 1),
        1 => (true, 1),
        _ => {
            let c = text[at..].chars().next().unwrap_or(' ');
            (c.is_whitespace(), c.len_utf8())
        }
    }
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

/// `n` and the noun for it, singular for one (`count(1, "draft", "drafts")` is
/// "1 draft"): every message that counts says it so.
pub fn count(n: usize, one: &str, many: &str) -> String {
    if n == 1 {
        format!("1 {one}")
    } else {
        format!("{n} {many}")
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn counts_are_singular_for_one() {
        assert_eq!(super::count(0, "draft", "drafts"), "0 drafts");
        assert_eq!(super::count(1, "draft", "drafts"), "1 draft");
        assert_eq!(super::count(2, "entry", "entries"), "2 entries");
    }

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

    /// The definition [`html_text`] and [`html_tag_end`] are fast versions of: text pieces
    /// decoded and joined, then split on white space; tags ended by walking characters.
    fn html_text_by_definition(html: &str) -> String {
        fn tag_end(html: &str) -> Option<usize> {
            let mut quote = None;
            for (i, c) in html.char_indices() {
                match (quote, c) {
                    (None, '"' | '\'') => quote = Some(c),
                    (Some(q), c) if c == q => quote = None,
                    (None, '>') => return Some(i + 1),
                    _ => {}
                }
            }
            None
        }
        let mut text = String::new();
        let mut rest = html;
        while let Some(open) = rest.find('<') {
            text.push_str(&html_escape::decode_html_entities(&rest[..open]));
            rest = &rest[open..];
            let end = tag_end(rest).unwrap_or(rest.len());
            let tag = &rest[..end];
            rest = &rest[end..];
            if is_block(tag) {
                text.push(' ');
            }
            if let Some(name) = hidden_element(tag) {
                rest = find_ignoring_case(rest, &format!("</{name}")).map_or("", |at| &rest[at..]);
            }
        }
        text.push_str(&html_escape::decode_html_entities(rest));
        text.split_whitespace().collect::<Vec<_>>().join(" ")
    }

    #[test]
    fn text_of_html_is_what_the_definition_gives() {
        let pieces = [
            "<p>",
            "</p>",
            "<em>",
            "</em>",
            "<br/>",
            "<a href=\"x>y\">",
            "<a title='it\"s'>",
            "<img alt=\"a > b\">",
            "<script>x<p>y</p>",
            "</SCRIPT>",
            "word",
            "two words",
            " ",
            "\t\n",
            "\r\u{b}\u{c}",
            "\u{a0}",
            "&nbsp;",
            "&amp;",
            "&#32;",
            "é",
            "\u{2009}",
            "\u{3000}x",
            "<unclosed \"quote>",
            "<",
            ">",
            "'",
            "\u{85}",
            "\u{1c}",
            "&eacute;t&eacute;",
        ];
        // Every sequence of up to three pieces: spaces, entities and tags at every edge.
        let mut cases = vec![String::new()];
        let mut last = cases.clone();
        for _ in 0..3 {
            last = last
                .iter()
                .flat_map(|c| pieces.iter().map(move |p| format!("{c}{p}")))
                .collect();
            cases.extend(last.iter().cloned());
        }
        for html in &cases {
            assert_eq!(html_text(html), html_text_by_definition(html), "{html:?}");
        }
        assert_eq!(html_tag_end("<a b='>'>c", 0), Some(9));
        assert_eq!(html_tag_end("x<a b=\"'\">", 1), Some(10));
        assert_eq!(html_tag_end("<a b='>", 0), None);
        assert_eq!(html_tag_end("<a", 2), None);
    }

    #[test]
    fn drops_controls_and_keeps_everything_else() {
        assert_eq!(drop_controls("a\u{7}b\u{0}c\u{1b}d"), "abcd");
        assert_eq!(drop_controls("x\u{85}y\u{9f}z\u{ffff}"), "xyz");
        let kept = "tab\there\nline\r\n&<>\"' é 🚀 עברית العربية";
        assert!(matches!(drop_controls(kept), Cow::Borrowed(_)));
        assert_eq!(drop_controls(kept), kept);
        // Every position within and across 32-byte chunks.
        for at in 0..80 {
            let mut text = "£".repeat(at / 2) + &"x".repeat(at % 2);
            text.push('\u{85}');
            text.push_str(&"y".repeat(40));
            assert!(has_dropped(&text), "{at}");
            assert!(!has_dropped(&text.replace('\u{85}', "£")), "{at}");
        }
        // The byte-level scan agrees with the definition on every character that shares
        // a lead byte with a dropped one, at every offset around a chunk boundary.
        let probes = [
            '\u{0}', '\u{8}', '\t', '\n', '\u{b}', '\r', '\u{1f}', ' ', '~', '\u{7f}', '\u{80}',
            '\u{9f}', '\u{a0}', '£', '\u{bf}', '\u{f000}', '\u{feff}', '\u{fffd}', '\u{fffe}',
            '\u{ffff}', '😀',
        ];
        for c in probes {
            for at in 26..34 {
                let text = format!("{}{c}{}", "a".repeat(at), "b".repeat(8));
                assert_eq!(has_dropped(&text), is_dropped(c), "{c:?} at {at}");
            }
        }
    }

    #[test]
    fn cleans_nested_extra_values() {
        let mut table: toml::Table =
            toml::from_str("a = \"x\\u0001y\"\nb = [\"p\\u0002\"]\n[c]\nd = \"\\u0003q\"").unwrap();
        clean_table(&mut table);
        assert_eq!(table["a"].as_str(), Some("xy"));
        assert_eq!(table["b"][0].as_str(), Some("p"));
        assert_eq!(table["c"]["d"].as_str(), Some("q"));
    }
}
