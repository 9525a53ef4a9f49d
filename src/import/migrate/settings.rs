//! The old site's title, description and language, into `config.toml`.
//!
//! A setting is written only where `config.toml` still holds what `gazette init` wrote
//! for it (`config::placeholders`): an editor's own choice is never overwritten, and the
//! rest of the file stays as written (edited with toml_edit, comments and order kept).
//! What is not written is told in the summary, so nothing of the old site is lost.

use std::path::Path;

use crate::config::placeholders;
use crate::import::ImportError;

/// The old site's own settings, as its export or config gives them.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SiteSettings {
    pub title: Option<String>,
    pub description: Option<String>,
    pub language: Option<String>,
}

/// What became of the old site's settings.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Applied {
    /// Written into `config.toml` (or, dry, to be): (key, value).
    pub written: Vec<(&'static str, String)>,
    /// Left out, since `config.toml` has its own: (key, the old site's value).
    pub left: Vec<(&'static str, String)>,
}

impl std::fmt::Display for Applied {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let list = |pairs: &[(&str, String)]| {
            pairs
                .iter()
                .map(|(key, value)| format!("{key} {value:?}"))
                .collect::<Vec<_>>()
                .join(", ")
        };
        write!(f, "site settings:")?;
        if !self.written.is_empty() {
            write!(f, " {} into config.toml", list(&self.written))?;
        }
        if !self.left.is_empty() {
            if !self.written.is_empty() {
                write!(f, ";")?;
            }
            write!(
                f,
                " the old site had {}: config.toml was left alone (it has its own)",
                list(&self.left)
            )?;
        }
        Ok(())
    }
}

/// Writes each of `settings` the old site has into `config_file` where the file still
/// holds `gazette init`'s placeholder for it (nothing with `dry_run`); `None` when the old
/// site has none.
pub fn apply(
    config_file: &Path,
    settings: &SiteSettings,
    dry_run: bool,
) -> Result<Option<Applied>, ImportError> {
    let wanted: Vec<(&'static str, &str, &str)> = [
        ("title", &settings.title, placeholders::TITLE),
        (
            "description",
            &settings.description,
            placeholders::DESCRIPTION,
        ),
        ("language", &settings.language, placeholders::LANGUAGE),
    ]
    .into_iter()
    .filter_map(|(key, value, placeholder)| {
        let value = value.as_deref().map(str::trim).filter(|v| !v.is_empty())?;
        Some((key, value, placeholder))
    })
    .collect();
    if wanted.is_empty() {
        return Ok(None);
    }
    let text = std::fs::read_to_string(config_file).map_err(|source| ImportError::Read {
        path: config_file.to_path_buf(),
        source,
    })?;
    // The configuration was read and checked before the import began.
    let mut document: toml_edit::DocumentMut =
        text.parse()
            .map_err(|e: toml_edit::TomlError| ImportError::BadSource {
                path: config_file.to_path_buf(),
                reason: e.message().to_string(),
            })?;
    let mut applied = Applied::default();
    for (key, value, placeholder) in wanted {
        // A missing `language` is init's default too.
        let current = document.get(key).and_then(|item| item.as_str());
        let is_placeholder = current.map_or(key == "language", |c| c == placeholder);
        if current == Some(value) {
            continue;
        }
        if is_placeholder {
            // A comment after the old value stays after the new one.
            match document.get_mut(key).and_then(|item| item.as_value_mut()) {
                Some(old) => {
                    let decor = old.decor().clone();
                    *old = toml_edit::Value::from(value);
                    *old.decor_mut() = decor;
                }
                None => document[key] = toml_edit::value(value),
            }
            applied.written.push((key, value.to_string()));
        } else {
            applied.left.push((key, value.to_string()));
        }
    }
    if !dry_run && !applied.written.is_empty() {
        crate::files::write_whole(config_file, document.to_string().as_bytes()).map_err(
            |source| ImportError::Write {
                path: config_file.to_path_buf(),
                source,
            },
        )?;
    }
    Ok((!applied.written.is_empty() || !applied.left.is_empty()).then_some(applied))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn settings(title: &str, description: &str, language: &str) -> SiteSettings {
        SiteSettings {
            title: Some(title.into()),
            description: Some(description.into()),
            language: Some(language.into()),
        }
    }

    #[test]
    fn placeholders_are_filled_and_the_rest_of_the_file_kept() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("config.toml");
        let text = "title = \"My Newsroom\" # the masthead\n# Where it is published.\nbase_url = \"https://example.org/\"\ndescription = \"Technology news.\"\n\n[search]\nenabled = true\n";
        std::fs::write(&file, text).unwrap();
        let applied = apply(
            &file,
            &settings("Old Times", "All the news", "en-GB"),
            false,
        )
        .unwrap()
        .unwrap();
        assert_eq!(
            std::fs::read_to_string(&file).unwrap(),
            "title = \"Old Times\" # the masthead\n# Where it is published.\nbase_url = \"https://example.org/\"\ndescription = \"All the news\"\nlanguage = \"en-GB\"\n\n[search]\nenabled = true\n"
        );
        assert_eq!(
            applied.to_string(),
            "site settings: title \"Old Times\", description \"All the news\", language \"en-GB\" into config.toml"
        );
    }

    #[test]
    fn an_editors_own_settings_are_left_and_told() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("config.toml");
        let text = "title = \"The Ledger\"\nbase_url = \"https://example.org/\"\ndescription = \"Technology news.\"\nlanguage = \"de\"\n";
        std::fs::write(&file, text).unwrap();
        let old = settings("Old Times", "All the news", "en-US");
        let dry = apply(&file, &old, true).unwrap().unwrap();
        assert_eq!(std::fs::read_to_string(&file).unwrap(), text, "a dry run");
        let applied = apply(&file, &old, false).unwrap().unwrap();
        assert_eq!(dry, applied);
        assert_eq!(
            applied.to_string(),
            "site settings: description \"All the news\" into config.toml; the old site had title \"Old Times\", language \"en-US\": config.toml was left alone (it has its own)"
        );
        assert_eq!(
            std::fs::read_to_string(&file).unwrap(),
            text.replace("Technology news.", "All the news")
        );
        assert_eq!(apply(&file, &SiteSettings::default(), false).unwrap(), None);
    }
}
