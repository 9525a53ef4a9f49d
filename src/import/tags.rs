//! Tags for imported articles: the organisations and products a story is about.
//!
//! The heuristic (documented for users in docs/import.md):
//! 1. Candidates are runs of capitalised words ("Youku Tudou", "Xiaomi"), with possessives
//!    dropped ("China’s" → "China") and common capitalised words (sentence starters,
//!    months, weekdays) ignored.
//! 2. A candidate named in the title is a tag. When the title is in Title Case, a title
//!    candidate must also appear capitalised in the body, since every title word is
//!    capitalised there.
//! 3. A body candidate is a tag when it occurs at least twice in the body.
//! 4. Author names are never tags; a candidate whose words are all inside a longer tag is
//!    dropped ("TV" beside "Internet TV").
//! 5. `[import] tags_deny` removes names; `tags_allow` adds names the text mentions.
//! 6. Title tags come first, then by number of mentions, then by first mention; at most 8.

use std::collections::HashMap;

use crate::config::ImportConfig;

pub const MAX_TAGS: usize = 8;

/// Capitalised words that say nothing about what a story is about.
const COMMON: &[&str] = &[
    "a",
    "an",
    "the",
    "and",
    "but",
    "or",
    "so",
    "if",
    "as",
    "at",
    "by",
    "for",
    "from",
    "in",
    "into",
    "of",
    "on",
    "to",
    "with",
    "without",
    "after",
    "before",
    "about",
    "over",
    "under",
    "this",
    "that",
    "these",
    "those",
    "there",
    "here",
    "it",
    "its",
    "he",
    "she",
    "they",
    "we",
    "you",
    "i",
    "his",
    "her",
    "their",
    "our",
    "your",
    "my",
    "how",
    "why",
    "what",
    "when",
    "where",
    "who",
    "which",
    "while",
    "although",
    "though",
    "however",
    "meanwhile",
    "further",
    "furthermore",
    "additional",
    "additionally",
    "also",
    "according",
    "read",
    "more",
    "new",
    "now",
    "today",
    "yesterday",
    "tomorrow",
    "is",
    "are",
    "was",
    "were",
    "will",
    "would",
    "can",
    "could",
    "should",
    "may",
    "might",
    "not",
    "no",
    "yes",
    "all",
    "some",
    "many",
    "most",
    "one",
    "two",
    "three",
    "first",
    "last",
    "next",
    "other",
    "image",
    "credit",
    "photo",
    "update",
    "updated",
    "published",
    "january",
    "february",
    "march",
    "april",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
    "mr",
    "mrs",
    "ms",
    "dr",
    "ceo",
    "just",
    "even",
    "still",
    "yet",
    "than",
    "then",
    "because",
    "since",
    "until",
    "despite",
    "both",
    "each",
    "every",
    "such",
    "only",
    "well",
    "i'm",
    "it’s",
    "it's",
];

fn is_common(word: &str) -> bool {
    static SORTED: std::sync::OnceLock<Vec<&'static str>> = std::sync::OnceLock::new();
    let sorted = SORTED.get_or_init(|| {
        let mut words = COMMON.to_vec();
        words.sort_unstable();
        words
    });
    // Lowercase into a stack buffer: this runs for every capitalised word of every seed.
    let mut buffer = [0u8; 16];
    let Some(slot) = buffer.get_mut(..word.len()) else {
        return false;
    };
    slot.copy_from_slice(word.as_bytes());
    slot.make_ascii_lowercase();
    std::str::from_utf8(slot).is_ok_and(|w| sorted.binary_search(&w).is_ok())
}

/// Splits text into candidate names, in order of appearance.
fn candidates(text: &str) -> Vec<String> {
    let mut found = Vec::new();
    // Words of the current run, borrowed: most runs are one word, and no word is copied
    // until its run ends. Common words never enter a run.
    let mut run: Vec<&str> = Vec::new();
    let flush = |run: &mut Vec<&str>, found: &mut Vec<String>| {
        if !run.is_empty() {
            found.push(run.join(" "));
            run.clear();
        }
    };
    for raw in words(text) {
        // Most words are lowercase: end any run and move on without further work.
        let starts_upper = match raw.as_bytes()[0] {
            b if b.is_ascii_alphanumeric() => b.is_ascii_uppercase(),
            _ => raw
                .chars()
                .find(|c| c.is_alphanumeric())
                .is_some_and(char::is_uppercase),
        };
        if !starts_upper {
            flush(&mut run, &mut found);
            continue;
        }
        let ends_clause = matches!(
            raw.chars().next_back(),
            Some(',' | '.' | ';' | ':' | '!' | '?' | ')' | '"' | '”')
        );
        let word = raw.trim_matches(|c: char| !c.is_alphanumeric());
        let word = word
            .strip_suffix("’s")
            .or_else(|| word.strip_suffix("'s"))
            .unwrap_or(word);
        // "Baidu-owned" names Baidu.
        let word = word.split('-').next().unwrap_or(word);
        let capitalised = word.chars().next().is_some_and(char::is_uppercase);
        if capitalised && word.chars().nth(1).is_some() && !is_common(word) {
            run.push(word);
        } else {
            flush(&mut run, &mut found);
        }
        if ends_clause {
            flush(&mut run, &mut found);
        }
    }
    flush(&mut run, &mut found);
    found
}

/// The words of `text` exactly as `str::split_whitespace` gives them, several times faster
/// on the mostly ASCII text of news articles: ASCII bytes are classified by a table, and
/// only other characters are decoded. Seeds are megabytes of text, and this is the scan
/// that reads every byte of them.
fn words(text: &str) -> impl Iterator<Item = &str> {
    const fn table() -> [bool; 128] {
        let mut t = [false; 128];
        let mut b = 0;
        while b < 128 {
            t[b] = (b as u8 as char).is_whitespace();
            b += 1;
        }
        t
    }
    const ASCII_SPACE: [bool; 128] = table();
    let bytes = text.as_bytes();
    // The length of the whitespace character at `i`, or 0 when it is not whitespace.
    let space_at = move |i: usize| -> usize {
        let b = bytes[i];
        if b < 0x80 {
            usize::from(ASCII_SPACE[b as usize])
        } else {
            // `i` is always a character boundary: scanning moves by whole characters.
            text[i..]
                .chars()
                .next()
                .filter(|c| c.is_whitespace())
                .map_or(0, char::len_utf8)
        }
    };
    let mut i = 0;
    std::iter::from_fn(move || {
        while i < bytes.len() {
            match space_at(i) {
                0 => break,
                n => i += n,
            }
        }
        if i == bytes.len() {
            return None;
        }
        let start = i;
        while i < bytes.len() {
            if bytes[i] < 0x80 {
                if ASCII_SPACE[bytes[i] as usize] {
                    break;
                }
                i += 1;
            } else if space_at(i) > 0 {
                break;
            } else {
                i += text[i..].chars().next().map_or(1, char::len_utf8);
            }
        }
        Some(&text[start..i])
    })
}

fn is_title_case(title: &str) -> bool {
    let words: Vec<&str> = title
        .split_whitespace()
        .filter(|w| w.chars().count() > 3)
        .collect();
    let capitalised = words
        .iter()
        .filter(|w| w.chars().next().is_some_and(char::is_uppercase))
        .count();
    words.len() >= 3 && capitalised * 4 >= words.len() * 3
}

/// Derives the tags of an article from its title and body text.
pub fn derive(
    title: &str,
    body_text: &str,
    authors: &[String],
    config: &ImportConfig,
) -> Vec<String> {
    let mut counts: HashMap<String, (usize, usize)> = HashMap::new(); // name → (mentions, first)
    for (i, c) in candidates(body_text).into_iter().enumerate() {
        counts.entry(c).or_insert((0, i)).0 += 1;
    }
    let denied = |name: &str| {
        config
            .tags_deny
            .iter()
            .any(|d| d.eq_ignore_ascii_case(name))
            || authors
                .iter()
                .any(|a| a.eq_ignore_ascii_case(name) || a.split_whitespace().any(|w| w == name))
    };

    let mut tags: Vec<String> = Vec::new();
    let title_case = is_title_case(title);
    for c in candidates(title) {
        if (!title_case || counts.contains_key(&c)) && !denied(&c) && !tags.contains(&c) {
            tags.push(c);
        }
    }
    let mut recurring: Vec<(&String, &(usize, usize))> = counts
        .iter()
        .filter(|(name, (mentions, _))| *mentions >= 2 && !denied(name) && !tags.contains(name))
        .collect();
    recurring.sort_by(|a, b| b.1.0.cmp(&a.1.0).then(a.1.1.cmp(&b.1.1)));
    tags.extend(recurring.into_iter().map(|(name, _)| name.clone()));
    let mentioned = |name: &str| title.contains(name) || body_text.contains(name);
    for allowed in &config.tags_allow {
        if mentioned(allowed) && !tags.iter().any(|t| t.eq_ignore_ascii_case(allowed)) {
            tags.push(allowed.clone());
        }
    }

    // Drop a tag whose words all appear in a longer tag ("TV" beside "Internet TV").
    let snapshot = tags.clone();
    tags.retain(|t| {
        !snapshot.iter().any(|other| {
            other != t
                && other.split_whitespace().count() > t.split_whitespace().count()
                && t.split_whitespace()
                    .all(|w| other.split_whitespace().any(|o| o == w))
        }) || config.tags_allow.iter().any(|a| a == t)
    });
    tags.truncate(MAX_TAGS);
    tags
}

#[cfg(test)]
mod tests {
    use super::*;

    fn body(lines: &[&str]) -> String {
        lines.join("\n")
    }

    #[test]
    fn names_in_the_title_and_recurring_names_in_the_body() {
        let tags = derive(
            "Xiaomi teams up with China’s top Internet TV firm on smart TV",
            &body(&[
                "Xiaomi will invest in Youku Tudou, the video firm.",
                "The deal with Youku Tudou matters. Netflix is mentioned once.",
                "Baidu and Alibaba compete. The Baidu-owned iQiyi too.",
            ]),
            &[],
            &ImportConfig::default(),
        );
        assert_eq!(
            tags,
            ["Xiaomi", "China", "Internet TV", "Youku Tudou", "Baidu"]
        );
    }

    #[test]
    fn title_case_titles_need_body_support() {
        let tags = derive(
            "How Apple Plans To Win The Smartwatch War",
            &body(&["Apple is confident. Apple said so."]),
            &[],
            &ImportConfig::default(),
        );
        assert_eq!(tags, ["Apple"]);
    }

    #[test]
    fn authors_and_denied_names_are_not_tags_and_allowed_names_are() {
        let config = ImportConfig {
            tags_allow: vec!["Android".into()],
            tags_deny: vec!["Google".into()],
        };
        let tags = derive(
            "Google updates Android",
            &body(&["Jamie Hinks wrote this. Jamie Hinks again. Google, Google."]),
            &["Jamie Hinks".to_string()],
            &config,
        );
        assert_eq!(tags, ["Android"]);
    }

    #[test]
    fn words_split_like_split_whitespace() {
        for text in [
            "",
            "   ",
            "one",
            " two  words ",
            "tabs\tand\nlines\r\n\x0bvertical\x0cfeed",
            "no\u{a0}break\u{2009}thin\u{3000}ideographic\u{85}next",
            "Zürich’s café — “quoted” 東京 emoji 🎉 end",
            "\u{a0}\u{a0}lead and trail\u{2029}",
        ] {
            assert_eq!(
                words(text).collect::<Vec<_>>(),
                text.split_whitespace().collect::<Vec<_>>(),
                "{text:?}"
            );
        }
    }

    #[test]
    fn at_most_eight() {
        let text = "Aa Bb Cc Dd Ee Ff Gg Hh Ii Jj"
            .split(' ')
            .map(|w| format!("{w} said. {w} left."))
            .collect::<Vec<_>>()
            .join("\n");
        assert_eq!(
            derive("news", &text, &[], &ImportConfig::default()).len(),
            MAX_TAGS
        );
    }
}
