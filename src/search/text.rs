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

#[cfg(test)]
mod tests {
    use super::*;

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
