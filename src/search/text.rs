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

/// The words of `text` as [`word_spans`] finds them, each with whether it is its own
/// lowercase and whether it is ASCII: one pass over the bytes, ASCII decided by a table
/// and only other characters decoded (the index splits millions of words; `split` with a
/// `char` predicate was most of its time).
pub fn words(text: &str) -> Words<'_> {
    Words { text, at: 0 }
}

/// A word [`words`] found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Word<'a> {
    /// As written.
    pub text: &'a str,
    /// Where it starts in the text split.
    pub start: usize,
    /// It is its own lowercase.
    pub lowercase: bool,
    /// It is all ASCII.
    pub ascii: bool,
}

/// The iterator of [`words`].
pub struct Words<'a> {
    text: &'a str,
    at: usize,
}

/// [`ASCII_CLASS`]: a lowercase letter or a digit, an uppercase letter, a byte of a
/// character beyond ASCII (decoded to tell); 0 for anything else.
const LOWER: u8 = 1;
const UPPER: u8 = 2;
const BEYOND: u8 = 4;

const ASCII_CLASS: [u8; 256] = {
    let mut table = [0u8; 256];
    let mut b = 0;
    while b < 256 {
        table[b] = match b as u8 {
            b'a'..=b'z' | b'0'..=b'9' => LOWER,
            b'A'..=b'Z' => UPPER,
            0x80.. => BEYOND,
            _ => 0,
        };
        b += 1;
    }
    table
};

impl<'a> Iterator for Words<'a> {
    type Item = Word<'a>;

    fn next(&mut self) -> Option<Word<'a>> {
        let bytes = self.text.as_bytes();
        loop {
            // Skip to the next word's start.
            let mut start = None;
            while self.at < bytes.len() {
                match ASCII_CLASS[bytes[self.at] as usize] {
                    0 => self.at += 1,
                    BEYOND => {
                        let (alphanumeric, len) = class(self.text, self.at);
                        if alphanumeric {
                            start = Some(self.at);
                            break;
                        }
                        self.at += len;
                    }
                    _ => {
                        start = Some(self.at);
                        break;
                    }
                }
            }
            let start = start?;
            // The classes of the ASCII bytes met, or'ed.
            let (mut ascii, mut met) = (true, 0);
            while self.at < bytes.len() {
                let class_of = ASCII_CLASS[bytes[self.at] as usize];
                if class_of & (LOWER | UPPER) != 0 {
                    met |= class_of;
                    self.at += 1;
                } else if class_of == BEYOND {
                    let (alphanumeric, len) = class(self.text, self.at);
                    if !alphanumeric {
                        break;
                    }
                    ascii = false;
                    self.at += len;
                } else {
                    break;
                }
            }
            let text = &self.text[start..self.at];
            if text.len() <= MAX_WORD || text.chars().count() <= MAX_WORD {
                let lowercase = if ascii {
                    met & UPPER == 0
                } else {
                    is_lowercase(text)
                };
                return Some(Word {
                    text,
                    start,
                    lowercase,
                    ascii,
                });
            }
        }
    }
}

/// Whether the character at byte `at` of `text` is alphanumeric, and its length in bytes.
fn class(text: &str, at: usize) -> (bool, usize) {
    let b = text.as_bytes()[at];
    if b < 0x80 {
        return (b.is_ascii_alphanumeric(), 1);
    }
    let c = text[at..].chars().next().expect("at a character boundary");
    (c.is_alphanumeric(), c.len_utf8())
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
    fn words_splits_and_lowercases_as_word_spans_does() {
        let text = format!(
            "Apple's M4 chip: 5G, Ünïcode—and déjà vu ÉTÉ été x² ½ \u{301}e İstanbul {} {} end",
            "x".repeat(41),
            "é".repeat(30)
        );
        let fast: Vec<(&str, bool)> = words(&text).map(|w| (w.text, w.lowercase)).collect();
        let ascii: Vec<bool> = words(&text).map(|w| w.ascii).collect();
        let starts: Vec<usize> = words(&text).map(|w| w.start).collect();
        assert_eq!(
            ascii,
            word_spans(&text).map(|w| w.is_ascii()).collect::<Vec<_>>()
        );
        assert!(words(&text).all(|w| text[w.start..].starts_with(w.text)));
        assert_eq!(starts[..3], [0, 6, 8]);
        let slow: Vec<(&str, bool)> = word_spans(&text).map(|w| (w, is_lowercase(w))).collect();
        assert_eq!(fast, slow);
        assert_eq!(
            fast[..4],
            [("Apple", false), ("s", true), ("M4", false), ("chip", true)]
        );
        assert_eq!(words("").count(), 0);
        assert_eq!(words("--").count(), 0);
    }

    #[test]
    fn words_are_split_alike_whatever_surrounds_them() {
        let pieces = [
            "a", "Z", "0", "9", " ", "-", "@", "[", "`", "{", "é", "É", "—", "x²", "\u{7f}",
        ];
        for first in pieces {
            for second in pieces {
                for pad in 0..10 {
                    let text = format!(
                        "{}{first}{}{second}ab",
                        "q".repeat(pad),
                        "W".repeat(pad % 3)
                    );
                    let fast: Vec<(&str, bool, bool)> = words(&text)
                        .map(|w| (w.text, w.lowercase, w.ascii))
                        .collect();
                    let slow: Vec<(&str, bool, bool)> = word_spans(&text)
                        .map(|w| (w, is_lowercase(w), w.is_ascii()))
                        .collect();
                    assert_eq!(fast, slow, "{text:?}");
                }
            }
        }
    }

    #[test]
    fn keys_are_the_first_four_characters() {
        assert_eq!(key("launched"), "laun");
        assert_eq!(key("déjà"), "déjà");
        assert_eq!(key("ai"), "ai");
        assert_eq!(key("ünïcode"), "ünïc");
    }
}
