//! Writing an imported article as a content file: TOML front matter and Markdown.
//!
//! Invariant: seed text is text. Whatever Markdown or HTML syntax it contains is escaped so
//! the page shows it exactly as written; [`escape`] is tested against the real Markdown
//! renderer to prove it.

use std::fmt::Write;

use super::parse::{Block, SeedArticle};

/// `text` as a TOML basic string on one line: a line break inside a multi-line string
/// (which the toml crate would choose) could read as the front matter's closing `+++`.
pub fn toml_string(text: &str) -> String {
    let mut quoted = String::with_capacity(text.len() + 2);
    quoted.push('"');
    for c in text.chars() {
        match c {
            '"' => quoted.push_str("\\\""),
            '\\' => quoted.push_str("\\\\"),
            '\n' => quoted.push_str("\\n"),
            '\t' => quoted.push_str("\\t"),
            '\r' => quoted.push_str("\\r"),
            c if c.is_control() => quoted.push_str(&format!("\\u{:04X}", c as u32)),
            c => quoted.push(c),
        }
    }
    quoted.push('"');
    quoted
}

/// A date as front matter writes it: a local date when it is midnight UTC, else a
/// datetime with its offset (`Z` for UTC).
pub fn toml_date(date: chrono::DateTime<chrono::FixedOffset>) -> String {
    if date.offset().local_minus_utc() == 0 && date.time() == chrono::NaiveTime::MIN {
        date.format("%Y-%m-%d").to_string()
    } else {
        date.to_rfc3339_opts(chrono::SecondsFormat::AutoSi, true)
    }
}

pub fn toml_list(items: &[String]) -> String {
    let quoted: Vec<String> = items.iter().map(|s| toml_string(s)).collect();
    format!("[{}]", quoted.join(", "))
}

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
    format!(
        "+++\nname = {}\n\n[extra]\n{key} = {}\n+++\n\n{}\n",
        toml_string(name),
        toml_string(origin),
        escape(bio)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_are_written_as_toml_reads_them() {
        let d = chrono::DateTime::parse_from_rfc3339("2014-11-24T15:05:00+01:00").unwrap();
        assert_eq!(toml_date(d), "2014-11-24T15:05:00+01:00");
        let midnight = chrono::DateTime::parse_from_rfc3339("2014-11-24T00:00:00Z").unwrap();
        assert_eq!(toml_date(midnight), "2014-11-24");
    }

    #[test]
    fn toml_strings_stay_on_one_line_and_read_back() {
        for text in [
            "plain",
            "a \"quote\" and \\",
            "two\n+++\nlines\r\t",
            "\u{7}bell",
            "é",
        ] {
            let quoted = toml_string(text);
            assert!(!quoted.contains('\n'), "{quoted}");
            let table: toml::Table = toml::from_str(&format!("k = {quoted}")).unwrap();
            assert_eq!(table["k"].as_str(), Some(text));
        }
    }

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
