//! Edits to a content file's front matter that keep the rest of the file as written
//! (comments, order, spacing, the body byte for byte): what `gazette mv` does to an article.

use std::path::Path;

use super::{ContentError, frontmatter};
use crate::location::Location;

/// What to change in an article's front matter.
#[derive(Debug, Default)]
pub struct FrontMatterEdit<'a> {
    /// Set `slug` to this.
    pub slug: Option<&'a str>,
    /// Add this to `aliases` (unless it is there already).
    pub alias: Option<&'a str>,
    /// Set each of these keys to its list of strings, when the front matter has none of
    /// them (old URLs of a list an import found: a list written by hand is left alone).
    pub absent_lists: &'a [(&'a str, Vec<String>)],
}

/// `text` (the content of `path`) with `edit` applied to its front matter.
pub fn edit_front_matter(
    text: &str,
    path: &Path,
    edit: &FrontMatterEdit,
) -> Result<String, ContentError> {
    let split = frontmatter::split(text, path)?;
    // Where the front matter lies in `text`: everything around it is kept as it is.
    let start = split.front_matter.as_ptr() as usize - text.as_ptr() as usize;
    let end = start + split.front_matter.len();
    let mut doc: toml_edit::DocumentMut =
        split
            .front_matter
            .parse()
            .map_err(|e: toml_edit::TomlError| ContentError::Invalid {
                location: Location::file(path),
                message: e.message().trim().to_string(),
            })?;
    if let Some(slug) = edit.slug {
        doc["slug"] = toml_edit::value(slug);
    }
    if let Some(alias) = edit.alias {
        let aliases = doc
            .entry("aliases")
            .or_insert_with(|| toml_edit::value(toml_edit::Array::new()));
        let Some(list) = aliases.as_array_mut() else {
            return Err(ContentError::Invalid {
                location: Location::file(path),
                message: "`aliases` must be a list of old URLs".into(),
            });
        };
        if !list.iter().any(|v| v.as_str() == Some(alias)) {
            list.push(alias);
        }
    }
    if !edit
        .absent_lists
        .iter()
        .any(|(key, _)| doc.contains_key(key))
    {
        for (key, items) in edit.absent_lists.iter().filter(|(_, l)| !l.is_empty()) {
            doc[*key] = toml_edit::value(items.iter().collect::<toml_edit::Array>());
        }
    }
    let mut edited = String::with_capacity(text.len() + 64);
    edited.push_str(&text[..start]);
    let mut front_matter = doc.to_string();
    if !front_matter.is_empty() && !front_matter.ends_with('\n') {
        front_matter.push('\n');
    }
    // toml_edit writes `\n`: a file written with `\r\n` keeps them.
    if split.front_matter.contains("\r\n") {
        front_matter = front_matter.replace("\r\n", "\n").replace('\n', "\r\n");
    }
    edited.push_str(&front_matter);
    edited.push_str(&text[end..]);
    Ok(edited)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn edits_keep_comments_order_and_body() {
        let text = "+++\r\ntitle = \"A\" # the title\r\ndate = 2024-01-01\r\n\r\n[extra]\r\nx = 1\r\n+++\r\nBody +++\r\n";
        let edited = edit_front_matter(
            text,
            Path::new("a.md"),
            &FrontMatterEdit {
                slug: Some("b"),
                alias: Some("/a/"),
                ..FrontMatterEdit::default()
            },
        )
        .unwrap();
        assert!(
            edited.starts_with("+++\r\ntitle = \"A\" # the title\r\n"),
            "{edited}"
        );
        assert!(edited.ends_with("x = 1\r\n+++\r\nBody +++\r\n"), "{edited}");
        // New keys go before the first table, so they stay top-level keys.
        let (top, extra) = edited.split_once("[extra]").unwrap();
        assert!(
            top.contains("slug = \"b\"") && top.contains("aliases = [\"/a/\"]"),
            "{edited}"
        );
        assert!(!extra.contains("slug"));
        // Adding an alias that is there already changes nothing.
        let again = edit_front_matter(
            &edited,
            Path::new("a.md"),
            &FrontMatterEdit {
                slug: None,
                alias: Some("/a/"),
                ..FrontMatterEdit::default()
            },
        )
        .unwrap();
        assert_eq!(again, edited);
    }

    #[test]
    fn lists_are_added_only_where_none_is_written() {
        let lists = [
            ("aliases", vec!["/category/news/".to_string()]),
            ("rss_aliases", vec!["/category/news/feed/".to_string()]),
            ("atom_aliases", Vec::new()),
        ];
        let edit = FrontMatterEdit {
            absent_lists: &lists,
            ..FrontMatterEdit::default()
        };
        let text = "+++\ntitle = \"News\"\n\n[extra]\nx = 1\n+++\nIntro\n";
        let edited = edit_front_matter(text, Path::new("_index.md"), &edit).unwrap();
        assert_eq!(
            edited,
            "+++\ntitle = \"News\"\naliases = [\"/category/news/\"]\nrss_aliases = [\"/category/news/feed/\"]\n\n[extra]\nx = 1\n+++\nIntro\n"
        );
        let by_hand = "+++\ntitle = \"News\"\natom_aliases = []\n+++\n";
        let kept = edit_front_matter(by_hand, Path::new("_index.md"), &edit).unwrap();
        assert_eq!(kept, by_hand);
    }
}
