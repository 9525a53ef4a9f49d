//! Writing an imported article as a content file: TOML front matter and Markdown.
//!
//! Invariant: seed text is text. Whatever Markdown or HTML syntax it contains is escaped so
//! the page shows it exactly as written; [`escape`] is tested against the real Markdown
//! renderer to prove it.

use std::fmt::Write;

use super::parse::{Block, SeedArticle};

/// Quotes a string as a TOML basic string.
pub fn toml_string(text: &str) -> String {
    toml::Value::String(text.to_string()).to_string()
}

pub fn toml_list(items: &[String]) -> String {
    let quoted: Vec<String> = items.iter().map(|s| toml_string(s)).collect();
    format!("[{}]", quoted.join(", "))
}

/// Escapes one line of plain text so that Markdown renders it as exactly that text.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    let chars: Vec<char> = text.chars().collect();
    for (i, &c) in chars.iter().enumerate() {
        let next = chars.get(i + 1).copied();
        let at_start = i == 0;
        let needs = match c {
            '\\' | '`' | '*' | '_' | '<' | '>' | '~' | '{' | '}' | '|' => true,
            '&' => next.is_some_and(|n| n.is_ascii_alphanumeric() || n == '#'),
            // Brackets only make links, images and footnotes in these combinations; no
            // reference definitions can exist because "]:" is escaped.
            '[' => next == Some('^'),
            ']' => matches!(next, Some('(' | '[' | ':')),
            '!' => next == Some('['),
            '#' | '+' | '-' | '=' => at_start,
            // "1. Item" or "1) Item" at the start of a line would become a list.
            '.' | ')' => chars[..i].iter().all(char::is_ascii_digit) && i > 0,
            _ => false,
        };
        if needs {
            out.push('\\');
        }
        out.push(c);
    }
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

/// An author profile file: the name and the bio.
pub fn profile(name: &str, bio: &str, seed: &str) -> String {
    format!(
        "+++\nname = {}\n\n[extra]\nseed = {}\n+++\n\n{}\n",
        toml_string(name),
        toml_string(seed),
        escape(bio)
    )
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
