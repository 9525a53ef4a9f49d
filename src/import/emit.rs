//! Writing an imported article as a content file: TOML front matter and Markdown.
//!
//! Invariant: seed text is text. Whatever Markdown or HTML syntax it contains is escaped so
//! the page shows it exactly as written; [`escape`] is tested against the real Markdown
//! renderer to prove it.

use std::fmt::Write;

use super::parse::{Block, SeedArticle};
use crate::content::frontmatter::write::FrontMatterWriter;

// Front matter is written by the one writer (`content::frontmatter::write`, where its
// date format is tested); these names stay for the import code that still formats a line.
pub use crate::content::frontmatter::write::{string as toml_string, string_list as toml_list};

/// Bytes that [`escape`] has to look at more closely.
const MAYBE_SPECIAL: [bool; 256] = {
    let mut table = [false; 256];
    let specials = b"\\`*_<>~{}|&[]!#+-=.)";
    let mut i = 0;
    while i < specials.len() {
        table[specials[i] as usize] = true;
        i += 1;
    }
    table
};

/// Escapes one line of plain text so that Markdown renders it as exactly that text.
pub fn escape(text: &str) -> String {
    // Every character that can need a backslash is ASCII, so work on bytes and copy the
    // runs in between; most lines need nothing.
    let bytes = text.as_bytes();
    let mut out = String::with_capacity(text.len() + 8);
    let mut copied = 0;
    for (i, &c) in bytes.iter().enumerate() {
        if !MAYBE_SPECIAL[usize::from(c)] {
            continue;
        }
        let next = bytes.get(i + 1).copied();
        let needs = match c {
            b'\\' | b'`' | b'*' | b'_' | b'<' | b'>' | b'~' | b'{' | b'}' | b'|' => true,
            b'&' => next.is_some_and(|n| n.is_ascii_alphanumeric() || n == b'#'),
            // Brackets only make links, images and footnotes in these combinations; no
            // reference definitions can exist because "]:" is escaped.
            b'[' => next == Some(b'^'),
            b']' => matches!(next, Some(b'(' | b'[' | b':')),
            b'!' => next == Some(b'['),
            b'#' | b'+' | b'-' | b'=' => i == 0,
            // "1. Item" or "1) Item" at the start of a line would become a list.
            b'.' | b')' => i > 0 && bytes[..i].iter().all(u8::is_ascii_digit),
            _ => false,
        };
        if needs {
            out.push_str(&text[copied..i]);
            out.push('\\');
            copied = i;
        }
    }
    out.push_str(&text[copied..]);
    out
}

/// The Markdown body of an article.
pub fn body(article: &SeedArticle) -> String {
    let mut md = String::new();
    for block in &article.body {
        match block {
            Block::Paragraph(text) => {
                let _ = writeln!(md, "{}\n", escape(text));
            }
            Block::Heading(text) => {
                let _ = writeln!(md, "## {}\n", escape(text).replace('#', "\\#"));
            }
            Block::List(items) => {
                for item in items {
                    let _ = writeln!(md, "- {}", escape(item));
                }
                md.push('\n');
            }
        }
    }
    let trimmed = md.trim_end().len();
    md.truncate(trimmed);
    md.push('\n');
    md
}

/// An author profile file: the name, where it came from (`[extra] <key> = <origin>`) and
/// the bio (plain text).
pub fn profile(name: &str, bio: &str, key: &str, origin: &str) -> String {
    let mut fm = FrontMatterWriter::new();
    fm.string("name", name);
    fm.table("extra").string(key, origin);
    fm.file(&format!("\n{}\n", escape(bio)))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Renders escaped text with the site's Markdown renderer and reads back the text.
    fn round_trip(text: &str) -> String {
        let html = crate::content::markdown::render(&escape(text)).html;
        let inner = html
            .trim_end()
            .strip_prefix("<p>")
            .and_then(|h| h.strip_suffix("</p>"))
            .unwrap_or_else(|| panic!("not a single paragraph: {html:?} for {text:?}"));
        inner
            .replace("&lt;", "<")
            .replace("&gt;", ">")
            .replace("&quot;", "\"")
            .replace("&amp;", "&")
    }

    #[test]
    fn hostile_text_stays_text() {
        for text in [
            "<script>alert(1)</script>",
            "<img src=x onerror=alert(1)>",
            "*bold* _em_ __strong__ `code` ~~gone~~",
            "# not a heading",
            "## C# and F#",
            "- not a list",
            "+ not a list",
            "1. not a list",
            "2) nor this",
            "> not a quote",
            "[link](http://evil.example) and ![img](x.png)",
            "[ref][1] and [^note]",
            "a | b | c",
            "&amp; &copy; &#169; AT&T",
            "back\\slash \\* and <http://auto.link>",
            "=== and --- and ***",
            "{#id} $x$ 100% of $1 billion [£630 million]",
            "Zürich 优酷 “quotes” ‘single’ — dashes…",
        ] {
            assert_eq!(round_trip(text), text);
        }
    }

    #[test]
    fn toml_strings_are_quoted() {
        let q = toml_string("He said \"hi\"\\");
        let parsed: toml::Table = toml::from_str(&format!("x = {q}")).unwrap();
        assert_eq!(parsed["x"].as_str(), Some("He said \"hi\"\\"));
    }
}
