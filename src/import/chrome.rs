//! Site chrome: the boilerplate a scraper picks up around an article. This is the one list
//! of it; the importer drops whatever matches.
//!
//! Lines are compared case-insensitively after trimming and after dropping a final ":" or
//! "." so that "Advertisement:" and "ADVERTISEMENT" are both caught.

/// Whole lines that are never part of an article.
pub const LINES: &[&str] = &[
    "skip to main content",
    "skip to content",
    "skip to navigation",
    "advertisement",
    "advertisements",
    "sponsored content",
    "share",
    "share this article",
    "share on facebook",
    "share on twitter",
    "share on linkedin",
    "tweet",
    "comments",
    "leave a comment",
    "back to top",
    "most popular",
    "trending",
    "related articles",
    "sign in",
    "log in",
    "subscribe",
    "menu",
    "close",
    "close menu",
    "search",
    "all rights reserved",
];

/// Lines that open a block of chrome: the line itself and the next non-blank line go.
pub const BLOCK_STARTS: &[&str] = &[
    "sign up to the newsletter",
    "sign up for the newsletter",
    "sign up to our newsletter",
    "sign up for our newsletter",
    "subscribe to our newsletter",
    "get the newsletter",
];

/// Fragments removed wherever they appear inside a line. Each is a balanced bracket group,
/// so removing it keeps the line's brackets balanced: "Flickr (Thomas An (opens in new
/// tab))" becomes "Flickr (Thomas An)".
pub const FRAGMENTS: &[&str] = &[
    "(opens in new tab)",
    "(opens in a new tab)",
    "(opens in new window)",
];

/// No chrome line is longer than this; longer lines (most of an article) skip the lookup.
const LONGEST: usize = 40;

fn key(line: &str) -> String {
    if line.len() > LONGEST {
        return String::new();
    }
    line.trim()
        .trim_end_matches([':', '.'])
        .trim()
        .to_lowercase()
}

pub fn is_chrome_line(line: &str) -> bool {
    LINES.contains(&key(line).as_str())
}

pub fn starts_chrome_block(line: &str) -> bool {
    BLOCK_STARTS.contains(&key(line).as_str())
}

/// Removes every chrome fragment (and the spaces before it) from a line.
pub fn strip_fragments(line: &str) -> String {
    let mut text = line.to_string();
    while let Some((start, len)) = find_fragment(&text) {
        let from = text[..start].trim_end_matches(' ').len();
        text.replace_range(from..start + len, "");
    }
    text
}

/// The first fragment in `text`: (byte offset, length). Fragments start with "(", so only
/// those positions are compared, case-insensitively.
fn find_fragment(text: &str) -> Option<(usize, usize)> {
    text.match_indices('(').find_map(|(i, _)| {
        FRAGMENTS.iter().find_map(|f| {
            text.as_bytes()
                .get(i..i + f.len())
                .filter(|b| b.eq_ignore_ascii_case(f.as_bytes()))
                .map(|_| (i, f.len()))
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recognises_chrome_lines() {
        assert!(is_chrome_line("Skip to main content"));
        assert!(is_chrome_line("  ADVERTISEMENT: "));
        assert!(!is_chrome_line("Advertisement revenue fell by a third."));
        assert!(starts_chrome_block("Sign up to the newsletter"));
    }

    #[test]
    fn strips_fragments_keeping_brackets_balanced() {
        assert_eq!(
            strip_fragments("Flickr (Thomas An (opens in new tab))"),
            "Flickr (Thomas An)"
        );
        assert_eq!(
            strip_fragments("See the report (Opens in new tab) here"),
            "See the report here"
        );
    }
}
