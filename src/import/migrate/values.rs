//! Front matter and config files of other platforms — TOML, YAML or JSON — read into one
//! value type (`serde_json::Value`), with errors at their line and column in the file.
//!
//! Invariant: a value read here nests at most [`MAX_DEPTH`] levels deep and, where YAML
//! aliases repeat what an anchor names, holds at most [`MAX_ALIASED`] bytes of copies: so
//! nothing read recurses deeper than that, the `[extra]` tables written from it read back
//! (TOML readers stop at 80 levels), and 563 bytes of nested aliases cannot ask for 14 GB.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use chrono::{DateTime, FixedOffset, NaiveDate, NaiveDateTime};
use serde_json::{Map, Value};

use crate::import::ImportError;
use crate::location::Position;

/// How deep front matter and configs may nest. Their values go into an imported article's
/// `[extra]`, which the build reads back with `toml` — and it stops at 80 levels; nothing
/// real comes near either.
pub const MAX_DEPTH: usize = 64;

/// How many bytes YAML aliases may copy into a value: each alias repeats all its anchor
/// names, so nine levels of nine aliases make 9⁹ copies of a few hundred bytes. Real front
/// matter aliases a list of tags or a set of defaults: kilobytes.
pub const MAX_ALIASED: usize = 16 << 20;

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
    let value = match format {
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
            from_toml(toml::Value::Table(table))
        }
        Format::Json => serde_json::from_str(text)
            .map_err(|e| error_at(path, e.line() + first_line - 1, e.column(), e))?,
        Format::Yaml => {
            let at = |m: yaml_rust2::scanner::Marker, message: &dyn std::fmt::Display| {
                error_at(path, m.line() + first_line - 1, m.col() + 1, message)
            };
            // Flow collections laid out as the platforms' own parsers take them, tried
            // only after the text as written was refused (the first error is the one told).
            load_yaml(text)
                .or_else(|first| {
                    super::flow_indent::indent_flow_lines(text)
                        .ok_or(())
                        .and_then(|indented| load_yaml(&indented).map_err(|_| ()))
                        .map_err(|()| first)
                })
                .map_err(|(m, message)| at(m, &message))?
        }
    };
    // TOML and JSON stop at depths of their own (80 and 128), past this one.
    if depth(&value) > MAX_DEPTH {
        return Err(error_at(
            path,
            first_line,
            1,
            format!("nests deeper than {MAX_DEPTH} levels"),
        ));
    }
    Ok(value)
}

/// The value of the YAML `text` (its first document), bounded by [`yaml_bounds`].
fn load_yaml(text: &str) -> Result<Value, (yaml_rust2::scanner::Marker, String)> {
    yaml_bounds(text)?;
    let docs = yaml_rust2::YamlLoader::load_from_str(text)
        .map_err(|e| (*e.marker(), e.info().to_string()))?;
    Ok(docs
        .into_iter()
        .next()
        .map_or(Value::Object(Map::new()), from_yaml))
}

/// Refuses YAML whose values nest deeper than [`MAX_DEPTH`] or whose aliases copy more than
/// [`MAX_ALIASED`] bytes, from the parser's events (linear in the text), before anything is
/// built of it: the loader copies an anchor's value for each alias and recurses as deep
/// as the text nests. Syntax errors are left for the loader to report.
fn yaml_bounds(text: &str) -> Result<(), (yaml_rust2::scanner::Marker, String)> {
    use yaml_rust2::Event;
    /// Bytes a value is counted as, besides its text: what a node costs in memory.
    const NODE: usize = 64;
    // Each open sequence or mapping: its anchor, its size so far, its deepest child.
    let mut open: Vec<(usize, usize, usize)> = Vec::new();
    // Each anchor's value: size and depth.
    let mut anchors: HashMap<usize, (usize, usize)> = HashMap::new();
    let mut aliased = 0usize;
    let mut parser = yaml_rust2::parser::Parser::new_from_str(text);
    loop {
        let Ok((event, mark)) = parser.next_token() else {
            return Ok(());
        };
        // A value that is complete here: its anchor, size and depth.
        let (anchor, size, depth) = match event {
            Event::StreamEnd => return Ok(()),
            Event::SequenceStart(anchor, _) | Event::MappingStart(anchor, _) => {
                if open.len() >= MAX_DEPTH {
                    return Err((mark, format!("nests deeper than {MAX_DEPTH} levels")));
                }
                open.push((anchor, NODE, 0));
                continue;
            }
            Event::SequenceEnd | Event::MappingEnd => {
                let Some((anchor, size, deepest)) = open.pop() else {
                    continue;
                };
                (anchor, size, deepest + 1)
            }
            Event::Scalar(value, _, anchor, _) => (anchor, NODE + value.len(), 0),
            Event::Alias(id) => {
                let (size, depth) = anchors.get(&id).copied().unwrap_or((NODE, 0));
                aliased = aliased.saturating_add(size);
                if aliased > MAX_ALIASED {
                    return Err((
                        mark,
                        format!(
                            "its aliases (`*name`) copy more than {} MiB: an alias bomb?",
                            MAX_ALIASED >> 20
                        ),
                    ));
                }
                if open.len() + depth > MAX_DEPTH {
                    return Err((mark, format!("nests deeper than {MAX_DEPTH} levels")));
                }
                (0, size, depth)
            }
            _ => continue,
        };
        if anchor > 0 {
            anchors.insert(anchor, (size, depth));
        }
        if let Some(parent) = open.last_mut() {
            parent.1 = parent.1.saturating_add(size);
            parent.2 = parent.2.max(depth);
        }
    }
}

/// How deep a value nests (a scalar 0, a list of scalars 1), found without recursion.
fn depth(value: &Value) -> usize {
    let mut deepest = 0;
    let mut stack = vec![(value, 0)];
    while let Some((value, above)) = stack.pop() {
        let children: Box<dyn Iterator<Item = &Value>> = match value {
            Value::Array(items) => Box::new(items.iter()),
            Value::Object(map) => Box::new(map.values()),
            _ => continue,
        };
        deepest = deepest.max(above + 1);
        stack.extend(children.map(|child| (child, above + 1)));
    }
    deepest
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

    /// A file's front matter, read, or the error.
    fn front_matter_of(text: &str) -> Result<Value, ImportError> {
        let s = split(text).unwrap();
        parse(s.format, s.front_matter, s.first_line, Path::new("a.md"))
    }

    #[test]
    fn aliases_are_read_and_their_copies_bounded() {
        let v = front_matter_of(
            "---\ndefaults: &d {layout: post, tags: [a, b]}\nx: *d\ny: [*d, *d]\n---\n",
        )
        .unwrap();
        assert_eq!(v["x"], v["defaults"]);
        assert_eq!(v["y"][1]["tags"][1], "b");
        // Each level repeats the one before nine times: 9⁹ copies of the first.
        let mut bomb = String::from("---\na: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
        for level in 1..9u8 {
            let (name, previous) = ((b'a' + level) as char, (b'a' + level - 1) as char);
            let aliases = vec![format!("*{previous}"); 9].join(", ");
            bomb.push_str(&format!("{name}: &{name} [{aliases}]\n"));
        }
        bomb.push_str("---\n");
        assert_eq!(
            front_matter_of(&bomb).unwrap_err().to_string(),
            "a.md:7:16: its aliases (`*name`) copy more than 16 MiB: an alias bomb?"
        );
    }

    #[test]
    fn values_nest_at_most_64_deep_in_every_format() {
        let nested = |n: usize| format!("{}{}", "[".repeat(n), "]".repeat(n));
        // A front matter is a table: 63 arrays in it are 64 levels.
        for text in [
            format!("+++\nx = {}\n+++\n", nested(63)),
            format!("---\nx: {}\n---\n", nested(63)),
            format!("{{\"x\": {}}}\n", nested(63)),
        ] {
            assert_eq!(depth(&front_matter_of(&text).unwrap()), 64);
        }
        for (text, error) in [
            (format!("+++\nx = {}\n+++\n", nested(64)), "a.md:2:1"),
            (format!("{{\"x\": {}}}\n", nested(64)), "a.md:1:1"),
            (format!("---\nx: {}\n---\n", nested(64)), "a.md:2:67"),
            // Block style.
            (
                format!(
                    "---\n{}---\n",
                    (0..70)
                        .map(|i| format!("{}x:\n", " ".repeat(i)))
                        .collect::<String>()
                ),
                "a.md:66:66",
            ),
            // An alias nesting its anchor deeper.
            (
                format!(
                    "---\na: &a {}\nb: {}*a{}\n---\n",
                    nested(40),
                    "[".repeat(30),
                    "]".repeat(30)
                ),
                "a.md:3:34",
            ),
        ] {
            assert_eq!(
                front_matter_of(&text).unwrap_err().to_string(),
                format!("{error}: nests deeper than 64 levels")
            );
        }
        assert_eq!(depth(&Value::from(1)), 0);
        assert_eq!(depth(&serde_json::json!({"a": [1, {"b": []}]})), 4);
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
