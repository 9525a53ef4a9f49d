//! Slugs: the URL-safe names of articles, authors and tags.
//!
//! Invariant: a slug is non-empty lowercase ASCII letters and digits separated by single
//! hyphens, so it can never name a parent folder or contain a path separator.

/// Lowercase ASCII words joined by hyphens; non-ASCII text is transliterated first
/// ("Zürich 优酷" → "zurich-you-ku"). Returns an empty string for text with no letters or
/// digits at all; callers decide whether that is an error.
pub fn slugify(text: &str) -> String {
    let ascii = deunicode::deunicode(text);
    let mut slug = String::with_capacity(ascii.len());
    for c in ascii.chars() {
        if c.is_ascii_alphanumeric() {
            slug.push(c.to_ascii_lowercase());
        } else if c == '\'' || c == '’' {
            // "China's" reads better as "chinas" than "china-s".
        } else if !slug.is_empty() && !slug.ends_with('-') {
            slug.push('-');
        }
    }
    while slug.ends_with('-') {
        slug.pop();
    }
    slug
}

/// True when `text` is already a slug as [`slugify`] would make it.
pub fn is_slug(text: &str) -> bool {
    !text.is_empty() && slugify(text) == text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn transliterates_and_hyphenates() {
        assert_eq!(slugify("Zürich 优酷"), "zurich-you-ku");
        assert_eq!(
            slugify("Xiaomi teams up with China’s top Internet TV firm"),
            "xiaomi-teams-up-with-chinas-top-internet-tv-firm"
        );
        assert_eq!(slugify("  --C++ & Rust!-- "), "c-rust");
        assert_eq!(slugify("../../etc/passwd"), "etc-passwd");
        assert_eq!(slugify("!!!"), "");
    }

    #[test]
    fn recognises_slugs() {
        assert!(is_slug("jamie-hinks"));
        assert!(!is_slug("Jamie"));
        assert!(!is_slug("a/b"));
        assert!(!is_slug(""));
    }
}
