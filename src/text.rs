//! Text hygiene shared by every stage that takes text from users.
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
/// case, checked with a byte scan).
pub fn drop_controls(text: &str) -> Cow<'_, str> {
    let bytes = text.as_bytes();
    let suspicious = bytes.iter().enumerate().any(|(i, &b)| {
        (b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r'))
            || b == 0x7f
            // C1 controls are U+0080..U+009F: 0xC2 0x80..0x9F in UTF-8.
            || (b == 0xc2 && bytes.get(i + 1).is_some_and(|n| (0x80..=0x9f).contains(n)))
            // U+FFFE/U+FFFF: 0xEF 0xBF 0xBE/0xBF.
            || (b == 0xef && bytes.get(i + 1) == Some(&0xbf) && matches!(bytes.get(i + 2), Some(0xbe | 0xbf)))
    });
    if suspicious {
        Cow::Owned(text.chars().filter(|&c| !is_dropped(c)).collect())
    } else {
        Cow::Borrowed(text)
    }
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn drops_controls_and_keeps_everything_else() {
        assert_eq!(drop_controls("a\u{7}b\u{0}c\u{1b}d"), "abcd");
        assert_eq!(drop_controls("x\u{85}y\u{9f}z\u{ffff}"), "xyz");
        let kept = "tab\there\nline\r\n&<>\"' é 🚀 עברית العربية";
        assert!(matches!(drop_controls(kept), Cow::Borrowed(_)));
        assert_eq!(drop_controls(kept), kept);
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
