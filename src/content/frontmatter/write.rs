//! Writing front matter: the one way Gazette puts TOML between `+++` lines — `gazette new`
//! and `init`, the seed importer and the migrations all build theirs here.
//!
//! Invariants:
//! - Keys come out in the order they were set; tables below them, each after a blank line.
//! - A string is always a basic string on one line ([`string`]): a line break inside a
//!   multi-line string (which toml_edit or the toml crate may choose) could read as the
//!   front matter's closing `+++`.
//! - A value's text is chosen here and kept by toml_edit as written, so the same input
//!   gives the same bytes on every run: imported files carry a checksum of their text.

use std::fmt::Write as _;

use chrono::{DateTime, FixedOffset, TimeZone};
use toml_edit::{DocumentMut, Item, Table, Value};

/// `text` as a TOML basic string on one line, escaped where TOML needs it.
pub fn string(text: &str) -> String {
    let mut quoted = String::with_capacity(text.len() + 2);
    quoted.push('"');
    for c in text.chars() {
        match c {
            '"' => quoted.push_str("\\\""),
            '\\' => quoted.push_str("\\\\"),
            '\n' => quoted.push_str("\\n"),
            '\t' => quoted.push_str("\\t"),
            '\r' => quoted.push_str("\\r"),
            c if c.is_control() => {
                let _ = write!(quoted, "\\u{:04X}", c as u32);
            }
            c => quoted.push(c),
        }
    }
    quoted.push('"');
    quoted
}

/// A list of strings on one line: `["a", "b"]`.
pub fn string_list<S: AsRef<str>>(items: &[S]) -> String {
    let quoted: Vec<String> = items.iter().map(|s| string(s.as_ref())).collect();
    format!("[{}]", quoted.join(", "))
}

/// A date as imports write it: a local date when it is midnight UTC, else a datetime with
/// its offset (`Z` for UTC).
pub fn date(date: DateTime<FixedOffset>) -> String {
    if date.offset().local_minus_utc() == 0 && date.time() == chrono::NaiveTime::MIN {
        date.format("%Y-%m-%d").to_string()
    } else {
        date.to_rfc3339_opts(chrono::SecondsFormat::AutoSi, true)
    }
}

/// A moment as `gazette new` and `init` write it: to the second, with its offset spelled
/// out (`+00:00`, never `Z`).
pub fn moment<Tz: TimeZone>(moment: &DateTime<Tz>) -> String
where
    Tz::Offset: std::fmt::Display,
{
    moment.format("%Y-%m-%dT%H:%M:%S%:z").to_string()
}

/// A value whose text this module wrote, so always TOML.
fn value(text: &str) -> Value {
    text.parse()
        .unwrap_or_else(|e| panic!("front matter wrote {text:?}, which is not TOML: {e}"))
}

/// A value kept as an earlier file wrote it, with any comment after it; `None` when it is
/// no TOML value.
fn kept_value(text: &str) -> Option<Item> {
    let mut doc: DocumentMut = format!("k = {text}\n").parse().ok()?;
    let item = doc.as_table_mut().remove("k")?;
    item.is_value().then_some(item)
}

/// Text kept from an earlier file that is no TOML value.
#[derive(Debug, thiserror::Error)]
#[error("{text:?} is no TOML value")]
pub struct NotToml {
    pub text: String,
}

/// The decor of the first header written for `item`: a table without keys of its own has
/// none (`[[extra.cascade]]` comes first, not `[extra]`).
fn first_header(item: &mut Item) -> Option<&mut toml_edit::Decor> {
    match item {
        Item::Table(table) => {
            if !table.is_implicit() {
                return Some(table.decor_mut());
            }
            table.iter_mut().find_map(|(_, child)| first_header(child))
        }
        Item::ArrayOfTables(tables) => tables.iter_mut().next().map(Table::decor_mut),
        _ => None,
    }
}

/// Front matter being written: keys in the order they are set, then tables.
#[derive(Debug, Default)]
pub struct FrontMatterWriter {
    doc: DocumentMut,
}

/// A table of the front matter being written (`[extra]`).
pub struct TableWriter<'a> {
    table: &'a mut Table,
}

impl FrontMatterWriter {
    pub fn new() -> Self {
        Self::default()
    }

    /// Sets `key` to `text`, a string.
    pub fn string(&mut self, key: &str, text: &str) -> &mut Self {
        self.doc.insert(key, Item::Value(value(&string(text))));
        self
    }

    /// Sets `key` to a list of strings.
    pub fn strings<S: AsRef<str>>(&mut self, key: &str, items: &[S]) -> &mut Self {
        self.doc
            .insert(key, Item::Value(value(&string_list(items))));
        self
    }

    /// Sets `key` to a date as imports write it (see [`date`]).
    pub fn date(&mut self, key: &str, when: DateTime<FixedOffset>) -> &mut Self {
        self.doc.insert(key, Item::Value(value(&date(when))));
        self
    }

    /// Sets `key` to a moment as `new` writes it (see [`moment`]).
    pub fn moment<Tz: TimeZone>(&mut self, key: &str, when: &DateTime<Tz>) -> &mut Self
    where
        Tz::Offset: std::fmt::Display,
    {
        self.doc.insert(key, Item::Value(value(&moment(when))));
        self
    }

    pub fn flag(&mut self, key: &str, on: bool) -> &mut Self {
        self.doc.insert(key, toml_edit::value(on));
        self
    }

    pub fn integer(&mut self, key: &str, number: i64) -> &mut Self {
        self.doc.insert(key, toml_edit::value(number));
        self
    }

    /// Sets `key` to `text` as an earlier file of the site wrote it (a re-import keeps the
    /// date its first import gave), when it is a TOML value.
    pub fn kept(&mut self, key: &str, text: &str) -> Result<&mut Self, NotToml> {
        let item = kept_value(text).ok_or_else(|| NotToml {
            text: text.to_string(),
        })?;
        self.doc.insert(key, item);
        Ok(self)
    }

    /// A table below the keys, after a blank line, whose keys the caller sets.
    pub fn table(&mut self, key: &str) -> TableWriter<'_> {
        let mut table = Table::new();
        table.decor_mut().set_prefix("\n");
        self.doc.insert(key, Item::Table(table));
        let table = self.doc[key]
            .as_table_mut()
            .expect("the table was just inserted");
        TableWriter { table }
    }

    /// `key` as a table holding `values` as the toml crate writes them, after a blank line:
    /// a nested table is `[key.menu.main]` and an array of tables `[[key.resources]]`,
    /// never a table of the front matter's own (which the build refuses as an unknown key).
    pub fn toml_table(&mut self, key: &str, values: toml::Table) -> &mut Self {
        let mut outer = toml::Table::new();
        outer.insert(key.into(), toml::Value::Table(values));
        let text = toml::to_string(&outer).expect("a TOML table always serializes");
        let mut doc: DocumentMut = text.parse().expect("the toml crate writes TOML");
        let mut item = doc
            .as_table_mut()
            .remove(key)
            .expect("the key was just written");
        if let Some(decor) = first_header(&mut item) {
            decor.set_prefix("\n");
        }
        self.doc.insert(key, item);
        self
    }

    /// The front matter: TOML, each line ended by `\n`, without the `+++` lines.
    pub fn toml(&self) -> String {
        self.doc.to_string()
    }

    /// A whole content file: `+++`, the front matter, `+++`, then `body` as it is.
    pub fn file(&self, body: &str) -> String {
        format!("+++\n{}+++\n{body}", self.toml())
    }
}

impl TableWriter<'_> {
    /// Sets `key` to `text`, a string.
    pub fn string(&mut self, key: &str, text: &str) -> &mut Self {
        self.table.insert(key, Item::Value(value(&string(text))));
        self
    }

    /// Sets `key` to a list of strings.
    pub fn strings<S: AsRef<str>>(&mut self, key: &str, items: &[S]) -> &mut Self {
        self.table
            .insert(key, Item::Value(value(&string_list(items))));
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_are_written_as_toml_reads_them() {
        let d = DateTime::parse_from_rfc3339("2014-11-24T15:05:00+01:00").unwrap();
        assert_eq!(date(d), "2014-11-24T15:05:00+01:00");
        let midnight = DateTime::parse_from_rfc3339("2014-11-24T00:00:00Z").unwrap();
        assert_eq!(date(midnight), "2014-11-24");
        let utc = DateTime::parse_from_rfc3339("2014-11-24T15:05:00Z").unwrap();
        assert_eq!(date(utc), "2014-11-24T15:05:00Z");
        assert_eq!(moment(&utc), "2014-11-24T15:05:00+00:00");
    }

    #[test]
    fn strings_stay_on_one_line_and_read_back() {
        for text in [
            "plain",
            "a \"quote\" and \\",
            "two\n+++\nlines\r\t",
            "\u{7}bell",
            "é",
            "it's",
        ] {
            let quoted = string(text);
            assert!(!quoted.contains('\n'), "{quoted}");
            let table: toml::Table = toml::from_str(&format!("k = {quoted}")).unwrap();
            assert_eq!(table["k"].as_str(), Some(text));
            let mut fm = FrontMatterWriter::new();
            fm.string("k", text);
            assert_eq!(fm.toml(), format!("k = {quoted}\n"));
        }
    }

    #[test]
    fn keys_in_order_then_tables_after_a_blank_line() {
        let when = DateTime::parse_from_rfc3339("2024-01-01T00:00:00Z").unwrap();
        let mut fm = FrontMatterWriter::new();
        fm.string("title", "A \"quoted\" title")
            .date("date", when)
            .strings("authors", &["Ann", "Bo"])
            .strings::<&str>("tags", &[])
            .flag("draft", true)
            .integer("weight", -3);
        fm.table("extra")
            .string("seed", "seeds/a.txt")
            .strings("related", &["x"]);
        assert_eq!(
            fm.toml(),
            "title = \"A \\\"quoted\\\" title\"\ndate = 2024-01-01\nauthors = [\"Ann\", \"Bo\"]\ntags = []\ndraft = true\nweight = -3\n\n[extra]\nseed = \"seeds/a.txt\"\nrelated = [\"x\"]\n"
        );
        assert_eq!(
            fm.file("\nBody\n"),
            format!("+++\n{}+++\n\nBody\n", fm.toml())
        );
    }

    #[test]
    fn a_toml_table_is_written_as_the_toml_crate_writes_it() {
        let mut extra = toml::Table::new();
        extra.insert("linkTitle".into(), "Docs".into());
        extra.insert("quote".into(), "say \"hi\"".into());
        let mut params = toml::Table::new();
        params.insert("searchable".into(), false.into());
        extra.insert("params".into(), toml::Value::Table(params.clone()));
        let mut nested = toml::Table::new();
        let cascade = toml::Value::Array(vec![toml::Value::Table(params.clone())]);
        nested.insert("cascade".into(), cascade);
        nested.insert("expiry".into(), toml::Value::Table(params));
        for extra in [extra, nested] {
            let mut outer = toml::Table::new();
            outer.insert("extra".into(), toml::Value::Table(extra.clone()));
            let mut fm = FrontMatterWriter::new();
            fm.string("title", "Docs").toml_table("extra", extra);
            assert_eq!(
                fm.toml(),
                format!("title = \"Docs\"\n\n{}", toml::to_string(&outer).unwrap())
            );
        }
    }

    #[test]
    fn kept_values_keep_their_text() {
        for text in [
            "2014-11-24",
            "2014-11-24T15:05:00Z",
            "2014-11-24 # fixed",
            "\"x\"",
        ] {
            let mut fm = FrontMatterWriter::new();
            fm.kept("date", text).unwrap();
            assert_eq!(fm.toml(), format!("date = {text}\n"));
        }
        assert!(FrontMatterWriter::new().kept("date", "not toml").is_err());
    }
}
