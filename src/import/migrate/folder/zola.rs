//! Zola's settings that decide what its pages' readers linked to: how it made heading
//! ids (`[slugify] anchors`).
//!
//! Invariant: an id is made exactly as Zola makes it from a heading's text — its
//! `slugify_anchors`, the `slug` crate's rule for `on` (each character transliterated on
//! its own, every other character a hyphen) — so the importer writes the old id wherever
//! Gazette's own rule would give another.

use serde_json::Value;

use crate::import::migrate::values;

/// `[slugify] anchors`: how Zola made heading ids.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(in crate::import::migrate) enum Anchors {
    /// `on` (the default): lowercase ASCII letters and digits, the rest hyphens.
    On,
    /// `safe` or `off`: the text as it is, ASCII white space made `_`.
    AsWritten,
}

impl Anchors {
    /// The setting of a Zola site's `config.toml`.
    pub fn of(config: &Value) -> Anchors {
        let setting = values::text(config.get("slugify").and_then(|s| s.get("anchors")));
        match setting.as_deref() {
            Some("safe" | "off") => Anchors::AsWritten,
            _ => Anchors::On,
        }
    }

    /// The id Zola gave a heading with this text (before a repeated one is numbered);
    /// `None` when nothing is left of it.
    pub fn id(self, text: &str) -> Option<String> {
        let id = match self {
            Anchors::On => slug(text),
            Anchors::AsWritten => text.replace(|c: char| c.is_ascii_whitespace(), "_"),
        };
        Some(id).filter(|id| !id.is_empty())
    }
}

/// The `slug` crate's `slugify` (which Zola uses): each character transliterated on its
/// own, ASCII letters lowercased, digits kept, every run of anything else one hyphen,
/// none at either end.
fn slug(text: &str) -> String {
    let mut slug = String::with_capacity(text.len());
    let mut dash = true;
    let mut push = |b: u8| match b {
        b'a'..=b'z' | b'0'..=b'9' => {
            dash = false;
            slug.push(char::from(b));
        }
        b'A'..=b'Z' => {
            dash = false;
            slug.push(char::from(b.to_ascii_lowercase()));
        }
        _ if !dash => {
            dash = true;
            slug.push('-');
        }
        _ => {}
    };
    for c in text.chars() {
        if c.is_ascii() {
            push(c as u8);
        } else {
            for &b in deunicode::deunicode_char(c).unwrap_or("-").as_bytes() {
                push(b);
            }
        }
    }
    if slug.ends_with('-') {
        slug.pop();
    }
    slug
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_as_zola_makes_them() {
        let on = |s: &str| Anchors::On.id(s);
        assert_eq!(
            on("What’s new in 1.0?").as_deref(),
            Some("what-s-new-in-1-0")
        );
        assert_eq!(on("Zürich 优酷").as_deref(), Some("zurich-you-ku"));
        assert_eq!(on("user@example.com").as_deref(), Some("user-example-com"));
        assert_eq!(on("!!!"), None);
        assert_eq!(
            Anchors::AsWritten.id("Tes t (hey)").as_deref(),
            Some("Tes_t_(hey)")
        );
        let config: Value = serde_json::json!({"slugify": {"anchors": "safe"}});
        assert_eq!(Anchors::of(&config), Anchors::AsWritten);
        assert_eq!(Anchors::of(&serde_json::json!({})), Anchors::On);
    }
}
