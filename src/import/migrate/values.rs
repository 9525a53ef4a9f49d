//! Front matter and config files of other platforms — TOML, YAML or JSON — read into one
//! value type (`serde_json::Value`), with errors at their line and column in the file.

use std::path::{Path, PathBuf};

use chrono::{DateTime, FixedOffset, NaiveDate, NaiveDateTime};
use serde_json::{Map, Value};

use crate::import::ImportError;
use crate::location::Position;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Toml,
    Yaml,
    Json,
}

/// A content file cut into its front matter and body.
pub struct Split<'a> {
    pub format: Format,
    pub front_matter: &'a str,
    /// The line of the file the front matter starts on (1-based).
    pub first_line: usize,
    pub body: &'a str,
}

/// Cuts a file at its front matter: `+++` TOML, `---` YAML or a leading `{` JSON object;
/// `None` when it has none.
pub fn split(text: &str) -> Option<Split<'_>> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let first_end = text.find('\n').map_or(text.len(), |i| i + 1);
    let first = text[..first_end].trim_end();
    let (format, fence) = match first {
        "+++" => (Format::Toml, "+++"),
        "---" => (Format::Yaml, "---"),
        _ if first.starts_with('{') => {
            let end = json_end(text)?;
            return Some(Split {
                format: Format::Json,
                front_matter: &text[..end],
                first_line: 1,
                body: text[end..].strip_prefix('\n').unwrap_or(&text[end..]),
            });
        }
        _ => return None,
    };
    let rest = &text[first_end..];
    let mut offset = 0;
    for line in rest.split_inclusive('\n') {
        let trimmed = line.trim_end();
        // YAML may also end with `...`.
        if trimmed == fence || (format == Format::Yaml && trimmed == "...") {
            return Some(Split {
                format,
                front_matter: &rest[..offset],
                first_line: 2,
                body: &rest[offset + line.len()..],
            });
        }
        offset += line.len();
    }
    None
}

/// Where the JSON object that starts `text` ends (strings and escapes respected).
fn json_end(text: &str) -> Option<usize> {
    let mut depth = 0usize;
    let mut in_string = false;
    let mut escaped = false;
    for (i, c) in text.char_indices() {
        if in_string {
            match c {
                _ if escaped => escaped = false,
                '\\' => escaped = true,
                '"' => in_string = false,
                _ => {}
            }
            continue;
        }
        match c {
            '"' => in_string = true,
            '{' => depth += 1,
            '}' => {
                depth = depth.checked_sub(1)?;
                if depth == 0 {
                    return Some(i + 1);
                }
            }
            _ => {}
        }
    }
    None
}

fn error_at(
    path: &Path,
    line: usize,
    column: usize,
    message: impl std::fmt::Display,
) -> ImportError {
    ImportError::BadSource {
        path: PathBuf::from(format!("{}:{line}:{column}", path.display())),
        reason: message.to_string(),
    }
}

/// Parses `text` (front matter starting on line `first_line` of `path`, or a whole
/// config file with `first_line` 1).
pub fn parse(
    format: Format,
    text: &str,
    first_line: usize,
    path: &Path,
) -> Result<Value, ImportError> {
    match format {
        Format::Toml => {
            let table: toml::Table = toml::from_str(text).map_err(|e| {
                let p = e
                    .span()
                    .map(|s| Position::of_offset(text, s.start).shifted(first_line))
                    .unwrap_or(Position {
                        line: first_line,
                        column: 1,
                    });
                error_at(path, p.line, p.column, e.message().trim())
            })?;
            Ok(from_toml(toml::Value::Table(table)))
        }
        Format::Json => serde_json::from_str(text)
            .map_err(|e| error_at(path, e.line() + first_line - 1, e.column(), e)),
        Format::Yaml => {
            let docs = yaml_rust2::YamlLoader::load_from_str(text).map_err(|e| {
                let m = e.marker();
                error_at(path, m.line() + first_line - 1, m.col() + 1, e.info())
            })?;
            Ok(docs
                .into_iter()
                .next()
                .map_or(Value::Object(Map::new()), from_yaml))
        }
    }
}

/// Reads a config file by its extension.
pub fn config(path: &Path) -> Result<Value, ImportError> {
    let text = std::fs::read_to_string(path).map_err(|source| ImportError::Read {
        path: path.to_path_buf(),
        source,
    })?;
    let format = match path.extension().and_then(|e| e.to_str()) {
        Some("toml") => Format::Toml,
        Some("json") => Format::Json,
        _ => Format::Yaml,
    };
    parse(format, &text, 1, path)
}

fn from_toml(value: toml::Value) -> Value {
    match value {
        toml::Value::String(s) => Value::String(s),
        toml::Value::Integer(i) => Value::from(i),
        toml::Value::Float(f) => Value::from(f),
        toml::Value::Boolean(b) => Value::Bool(b),
        toml::Value::Datetime(d) => Value::String(d.to_string()),
        toml::Value::Array(a) => Value::Array(a.into_iter().map(from_toml).collect()),
        toml::Value::Table(t) => {
            Value::Object(t.into_iter().map(|(k, v)| (k, from_toml(v))).collect())
        }
    }
}

fn from_yaml(value: yaml_rust2::Yaml) -> Value {
    use yaml_rust2::Yaml;
    match value {
        Yaml::Real(r) => r.parse::<f64>().map_or(Value::String(r), Value::from),
        Yaml::Integer(i) => Value::from(i),
        Yaml::String(s) => Value::String(s),
        Yaml::Boolean(b) => Value::Bool(b),
        Yaml::Array(a) => Value::Array(a.into_iter().map(from_yaml).collect()),
        Yaml::Hash(h) => Value::Object(
            h.into_iter()
                .map(|(k, v)| {
                    let key = match k {
                        Yaml::String(s) => s,
                        Yaml::Integer(i) => i.to_string(),
                        Yaml::Real(r) => r,
                        Yaml::Boolean(b) => b.to_string(),
                        _ => String::new(),
                    };
                    (key, from_yaml(v))
                })
                .collect(),
        ),
        Yaml::Null | Yaml::BadValue | Yaml::Alias(_) => Value::Null,
    }
}

/// A value as text, when it is a string, a number or a boolean.
pub fn text(value: Option<&Value>) -> Option<String> {
    match value? {
        Value::String(s) => Some(s.trim().to_string()).filter(|s| !s.is_empty()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

/// A list of names: an array, or one string (split at whitespace when `split`, as
/// Jekyll's `tags: a b` means two).
pub fn list(value: Option<&Value>, split: bool) -> Vec<String> {
    match value {
        Some(Value::Array(items)) => items.iter().filter_map(|v| text(Some(v))).collect(),
        Some(Value::String(s)) if split => s.split_whitespace().map(str::to_string).collect(),
        Some(v) => text(Some(v)).into_iter().collect(),
        None => Vec::new(),
    }
}

/// A date in any of the forms these platforms write: RFC 3339, `YYYY-MM-DD`, with a time
/// and optionally an offset (`2014-11-24 15:05:00 +0100`, Jekyll's).
pub fn date(text: &str) -> Option<DateTime<FixedOffset>> {
    let text = text.trim();
    if let Some(d) = crate::content::frontmatter::date_from_str(text) {
        return Some(d);
    }
    for format in [
        "%Y-%m-%d %H:%M:%S %z",
        "%Y-%m-%d %H:%M %z",
        "%Y-%m-%dT%H:%M:%S%z",
        "%Y-%m-%d %H:%M:%S%.f %z",
    ] {
        if let Ok(d) = DateTime::parse_from_str(text, format) {
            return Some(d);
        }
    }
    for format in ["%Y-%m-%d %H:%M:%S %Z", "%Y-%m-%dT%H:%M:%S"] {
        if let Ok(d) = NaiveDateTime::parse_from_str(text, format) {
            return Some(d.and_utc().fixed_offset());
        }
    }
    NaiveDate::parse_from_str(text.get(..10)?, "%Y-%m-%d")
        .ok()
        .and_then(|d| d.and_hms_opt(0, 0, 0))
        .map(|d| d.and_utc().fixed_offset())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_three_front_matter_forms_split_and_parse() {
        let path = Path::new("a.md");
        for text in [
            "+++\ntitle = \"Hi\"\ntags = [\"a\"]\n+++\nBody\n",
            "---\ntitle: Hi\ntags: [a]\n---\nBody\n",
            "{\n\"title\": \"Hi\", \"tags\": [\"a\"]\n}\nBody\n",
        ] {
            let s = split(text).unwrap();
            let v = parse(s.format, s.front_matter, s.first_line, path).unwrap();
            assert_eq!(text_of(&v, "title"), "Hi");
            assert_eq!(list(v.get("tags"), false), ["a"]);
            assert_eq!(s.body, "Body\n");
        }
        assert!(split("No front matter\n").is_none());
    }

    fn text_of(v: &Value, key: &str) -> String {
        text(v.get(key)).unwrap_or_default()
    }

    #[test]
    fn errors_point_into_the_file() {
        let s = split("---\ntitle: Hi\ntags: [a\n---\n").unwrap();
        let err = parse(s.format, s.front_matter, s.first_line, Path::new("a.md"))
            .unwrap_err()
            .to_string();
        assert!(err.starts_with("a.md:4:"), "{err}");
        let s = split("+++\ntitle = \"Hi\"\ndate = \n+++\n").unwrap();
        let err = parse(s.format, s.front_matter, s.first_line, Path::new("b.md"))
            .unwrap_err()
            .to_string();
        assert!(err.starts_with("b.md:3:"), "{err}");
    }

    #[test]
    fn dates_in_each_platforms_form() {
        let d = |s: &str| date(s).map(|d| d.to_rfc3339());
        assert_eq!(
            d("2014-11-24 15:05:00 +0100").as_deref(),
            Some("2014-11-24T15:05:00+01:00")
        );
        assert_eq!(
            d("2014-11-24T15:05:00Z").as_deref(),
            Some("2014-11-24T15:05:00+00:00")
        );
        assert_eq!(
            d("2014-11-24").as_deref(),
            Some("2014-11-24T00:00:00+00:00")
        );
        assert_eq!(d("not a date"), None);
    }
}
