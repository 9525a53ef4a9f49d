//! Slugs: the URL-safe names of articles, authors and tags.
//!
//! Invariant: a slug is non-empty lowercase ASCII letters and digits separated by single
//! hyphens, so it can never name a parent folder or contain a path separator.

/// The longest slug made from text ([`slugify`]), in bytes: file and folder names are
/// limited to 255 bytes on common file systems, and a URL reads better short.
pub const MAX_GENERATED: usize = 100;

/// The longest slug an article may ask for (`slug = …`), in bytes: room is left in a
/// 255-byte file name for what a build and an import add (`.md`, temporary suffixes).
pub const MAX_WRITTEN: usize = 200;

/// Lowercase ASCII words joined by hyphens; non-ASCII text is transliterated first
/// ("Zürich 优酷" → "zurich-you-ku"), and the result is cut at a word boundary to at most
/// [`MAX_GENERATED`] bytes. Returns an empty string for text with no letters or digits at
/// all; callers decide whether that is an error.
pub fn slugify(text: &str) -> String {
    let mut slug = slugify_whole(text);
    if slug.len() > MAX_GENERATED {
        // At the last hyphen that keeps it within the limit; a single word that long is
        // cut where it must be (slugs are ASCII, so any byte is a boundary).
        let cut = slug[..=MAX_GENERATED]
            .rfind('-')
            .filter(|&i| i > 0)
            .unwrap_or(MAX_GENERATED);
        slug.truncate(cut);
    }
    slug
}

/// [`slugify`] without the length limit.
pub fn slugify_whole(text: &str) -> String {
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
    fn long_text_is_cut_at_a_word_boundary() {
        let title = "word ".repeat(100);
        let slug = slugify(&title);
        assert!(slug.len() <= MAX_GENERATED, "{}", slug.len());
        assert!(slug.ends_with("word") && is_slug(&slug), "{slug}");
        let one_word = "x".repeat(300);
        assert_eq!(slugify(&one_word).len(), MAX_GENERATED);
        let cjk = "优".repeat(100);
        assert!(slugify(&cjk).len() <= MAX_GENERATED);
    }

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
