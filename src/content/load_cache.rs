//! The content cache: what loading each article or page produced (front matter parsed,
//! Markdown rendered, summary, images and links found), kept between builds so that a
//! build after one edit parses one file, not the whole content folder.
//!
//! The cache is a folder of the site's `.gazette-cache/` (`SitePaths::content_cache`,
//! beside the processed images and the search index's parts) of [`SHARDS`] files; a file's entry lives in the shard its
//! path hashes to, so an edit rewrites one shard (some 1/64 of the cache), not all of it.
//! Each shard is written whole to a temporary name and renamed into place: a killed build
//! leaves the old shard or the new one, never half of one.
//!
//! Architecture invariants:
//! - The cache never changes what a load returns. An entry is served only for the same
//!   path, with the same size and nanosecond modification time, to a load with the same
//!   [`identity`] (the binary, the content folder, the time zone, `[markdown] safe_html`
//!   and the version of the site's shortcode templates: everything `load_entry` reads
//!   besides the file). Page bundles are never cached: their entry lists the files of
//!   their folder, which their `index.md`'s stamp does not cover; nor are symbolic
//!   links, whose own stamp does not follow the file they lead to.
//! - A file modified less than [`SETTLE`] before it was stamped is not cached: another
//!   write within the file system's clock tick could keep its stamp (git's "racily
//!   clean" rule, as the build record's). The stamp is taken before the file is read, so
//!   a write after it changes the stamp the next load sees.
//! - Only files that loaded without error are cached: a file in error is read again (and
//!   its error reported) by every load.
//! - A shard that cannot be read, was written by another binary or for other settings,
//!   or fails its checksum is ignored (and rewritten), never an error.

use std::collections::HashMap;
use std::hash::BuildHasher;
use std::path::{Path, PathBuf};

use rayon::prelude::*;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use super::{Article, ContentError, Html, Loaded, Page};
use crate::config::Timezone;
use crate::files::FileStamp;

/// How many files the cache is split into.
pub const SHARDS: usize = 64;

/// How old a file's modification time must be, when it is stamped, for its entry to be
/// kept (the build record's rule: `crate::cache::SETTLE`).
pub const SETTLE: std::time::Duration = crate::cache::SETTLE;

/// The first bytes of every shard; bumped whenever what an entry holds changes.
const MAGIC: &[u8; 24] = b"gazette content cache 1\n";

/// How many files a load took from the cache and how many it parsed.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counts {
    pub cached: usize,
    pub parsed: usize,
}

/// Everything an entry depends on besides its file: loads of another identity share no
/// entries. `None` when the binary cannot be stamped: then nothing is cached (another
/// gazette may load files otherwise).
pub fn identity(
    content_dir: &Path,
    zone: Timezone,
    safe_html: bool,
    shortcodes: u64,
) -> Option<u64> {
    let exe = std::env::current_exe()
        .and_then(std::fs::metadata)
        .ok()
        .and_then(|m| FileStamp::of(&m))?;
    Some(crate::hash::of((
        env!("CARGO_PKG_VERSION"),
        (exe.len, exe.modified),
        content_dir,
        zone.0.name(),
        safe_html,
        shortcodes,
    )))
}

/// One cached file: its path, its stamp, and what loading it produced (bincode).
struct Record<'a> {
    path: &'a str,
    stamp: FileStamp,
    data: &'a [u8],
}

/// A shard's file, read and checked.
struct Shard {
    bytes: Vec<u8>,
    /// Where its records start (after the header).
    start: usize,
    /// Whether it was there and valid (an invalid one is rewritten).
    valid: bool,
}

/// An entry as written: a reference, so that writing copies nothing.
#[derive(Serialize)]
enum Writing<'a> {
    Article(&'a Article),
    Page(&'a Page),
}

/// An entry as read.
#[derive(Deserialize)]
enum Reading {
    Article(Box<Article>),
    Page(Box<Page>),
}

fn codec() -> bincode::DefaultOptions {
    bincode::DefaultOptions::new()
}

/// Loads `files` (articles and pages) with `load`, taking from the cache in `dir` what it
/// holds for them under `identity`, and brings the cache up to date. The result is in
/// the order of `files`.
///
/// Shards are read and decoded in parallel, each dropped once decoded unless it is to be
/// rewritten, and rewritten one at a time per thread: the cache costs a build little
/// more memory than the site it holds.
pub fn load_entries(
    dir: &Path,
    identity: u64,
    files: &[PathBuf],
    load: impl Fn(&Path) -> Result<Loaded, ContentError> + Sync,
    keep: impl Fn(Loaded) -> Loaded + Sync,
) -> Result<(Vec<Loaded>, Counts), ContentError> {
    // Stamped before anything is read (see the module's invariants).
    let now = std::time::SystemTime::now();
    let stamps: Vec<Option<FileStamp>> = files.par_iter().map(|f| stamp_of(f, now)).collect();
    let index: HashMap<&str, usize> = files
        .iter()
        .enumerate()
        .filter_map(|(i, f)| Some((f.to_str()?, i)))
        .collect();
    // The files each shard should hold: those that may be cached, in the order of files.
    let mut members: Vec<Vec<usize>> = vec![Vec::new(); SHARDS];
    for (path, &i) in &index {
        if stamps[i].is_some() {
            members[shard_of(path)].push(i);
        }
    }
    members.par_iter_mut().for_each(|m| m.sort_unstable());
    let wanted = Wanted {
        files,
        index: &index,
        stamps: &stamps,
        members: &members,
    };
    let read: Vec<ReadShard> = (0..SHARDS)
        .into_par_iter()
        .map(|i| read_and_decode(dir, i, identity, &wanted, &keep))
        .collect();
    let mut slots: Vec<Option<Loaded>> = (0..files.len()).map(|_| None).collect();
    let mut kept: Vec<Option<Vec<u8>>> = Vec::with_capacity(SHARDS);
    for shard in read {
        for (at, loaded) in shard.hits {
            slots[at] = Some(loaded);
        }
        kept.push(shard.rewrite);
    }
    let cached = slots.iter().filter(|s| s.is_some()).count();
    let slots = crate::parallel::try_map(&(0..files.len()).collect::<Vec<_>>(), |&i| {
        Ok::<_, ContentError>(match &slots[i] {
            Some(_) => None,
            None => Some(load(&files[i])?),
        })
    })?
    .into_iter()
    .zip(slots)
    .map(|(parsed, cached)| parsed.or(cached).expect("every file loaded"))
    .collect::<Vec<Loaded>>();
    save(dir, identity, &wanted, kept, &slots);
    let counts = Counts {
        cached,
        parsed: files.len() - cached,
    };
    Ok((slots, counts))
}

/// What a load wants of the cache: each file by path, its stamp (`None`: not to be
/// cached), and the files of each shard.
struct Wanted<'a> {
    files: &'a [PathBuf],
    index: &'a HashMap<&'a str, usize>,
    stamps: &'a [Option<FileStamp>],
    members: &'a [Vec<usize>],
}

/// A shard, read: the entries it had for files as they are, and its bytes if it is to be
/// rewritten (it lacks a file that may be cached, or holds one gone or changed).
struct ReadShard {
    hits: Vec<(usize, Loaded)>,
    rewrite: Option<Vec<u8>>,
}

/// Reads shard `i` and decodes its entries for files as they are, each handed to `keep`
/// as decoded (so that a shard's bodies may spill before the next shard is read).
fn read_and_decode(
    dir: &Path,
    i: usize,
    identity: u64,
    wanted: &Wanted,
    keep: impl Fn(Loaded) -> Loaded,
) -> ReadShard {
    let shard = read_shard(&shard_path(dir, i), identity);
    let mut hits = Vec::new();
    let mut stale = !shard.valid;
    for record in parse_records(&shard.bytes[shard.start..]) {
        let at = wanted.index.get(record.path).copied();
        let Some(at) = at.filter(|_| shard_of(record.path) == i) else {
            stale = true;
            continue;
        };
        match wanted.stamps[at] {
            Some(stamp) if stamp == record.stamp => match decode(record.data) {
                Some(loaded) => hits.push((at, keep(loaded))),
                None => stale = true,
            },
            Some(_) => stale = true,
            // Too fresh to cache: written again at once, so its old entry stays until
            // the shard is rewritten for another reason (it is never served: its stamp
            // is not the file's).
            None => {}
        }
    }
    let rewrite = stale || hits.len() < wanted.members[i].len();
    ReadShard {
        hits,
        rewrite: rewrite.then_some(shard.bytes),
    }
}

/// A file's stamp if its entry may be cached: a file of its own (not a bundle's
/// `index.md`), settled.
fn stamp_of(file: &Path, now: std::time::SystemTime) -> Option<FileStamp> {
    if super::media::is_bundle_index(file) {
        return None;
    }
    // Not a link either: pointed at another file of the same size and time, its stamp
    // would not change.
    let meta = std::fs::symlink_metadata(file).ok()?;
    if !meta.is_file() {
        return None;
    }
    let age = now.duration_since(meta.modified().ok()?).ok()?;
    (age > SETTLE).then_some(())?;
    FileStamp::of(&meta)
}

/// Appends `loaded`'s record to `out` (as [`write_record`] would write its encoding),
/// encoded in place rather than copied; nothing if it cannot be encoded.
fn encode_record(out: &mut Vec<u8>, path: &str, stamp: FileStamp, loaded: &Loaded) {
    use bincode::Options;
    let writing = match loaded {
        Loaded::Article(a) => Writing::Article(a),
        Loaded::Page(p) => Writing::Page(p),
        Loaded::Profile(_) | Loaded::Section(_) => return,
    };
    let start = out.len();
    write_record(out, path, stamp, &[]);
    let data = out.len();
    if codec().serialize_into(&mut *out, &writing).is_err() {
        out.truncate(start);
        return;
    }
    // The data's length, written as 0 just before it.
    let len = (out.len() - data) as u64;
    out[data - 8..data].copy_from_slice(&len.to_le_bytes());
}

fn decode(data: &[u8]) -> Option<Loaded> {
    use bincode::Options;
    let reading: Reading = codec()
        .with_limit(data.len() as u64)
        .deserialize(data)
        .ok()?;
    Some(match reading {
        Reading::Article(a) => Loaded::Article(a),
        Reading::Page(p) => Loaded::Page(p),
    })
}

fn shard_path(dir: &Path, i: usize) -> PathBuf {
    dir.join(format!("{i:02}"))
}

fn shard_of(path: &str) -> usize {
    (crate::hash::fnv1a(path.as_bytes()) % SHARDS as u64) as usize
}

/// The checksum of a shard's records: a damaged byte anywhere makes the shard unread.
fn checksum(bytes: &[u8]) -> u64 {
    foldhash::quality::FixedState::with_seed(0).hash_one(bytes)
}

/// A shard's records, if the file is there, of `identity`, and whole.
fn read_shard(path: &Path, identity: u64) -> Shard {
    let invalid = Shard {
        bytes: Vec::new(),
        start: 0,
        valid: false,
    };
    let Ok(bytes) = std::fs::read(path) else {
        return invalid;
    };
    let header = MAGIC.len() + 16;
    let valid = bytes.len() >= header
        && bytes.starts_with(MAGIC)
        && bytes[MAGIC.len()..MAGIC.len() + 8] == identity.to_le_bytes()
        && bytes[MAGIC.len() + 8..header] == checksum(&bytes[header..]).to_le_bytes();
    if !valid {
        return invalid;
    }
    Shard {
        bytes,
        start: header,
        valid: true,
    }
}

/// Appends one record to `out`: the path's length and the path, the stamp, the data's
/// length and the data (lengths and stamps little-endian).
fn write_record(out: &mut Vec<u8>, path: &str, stamp: FileStamp, data: &[u8]) {
    out.extend_from_slice(&(path.len() as u64).to_le_bytes());
    out.extend_from_slice(path.as_bytes());
    out.extend_from_slice(&stamp.len.to_le_bytes());
    out.extend_from_slice(&stamp.modified.to_le_bytes());
    out.extend_from_slice(&(data.len() as u64).to_le_bytes());
    out.extend_from_slice(data);
}

/// The records of a checked shard; stops at the first that does not parse.
fn parse_records(mut bytes: &[u8]) -> Vec<Record<'_>> {
    let mut records = Vec::new();
    while let Some(record) = next_record(&mut bytes) {
        records.push(record);
    }
    records
}

/// The record at the start of `bytes`, which then starts after it.
fn next_record<'a>(bytes: &mut &'a [u8]) -> Option<Record<'a>> {
    fn take<'a>(n: usize, bytes: &mut &'a [u8]) -> Option<&'a [u8]> {
        let (head, rest) = (bytes.get(..n)?, bytes.get(n..)?);
        *bytes = rest;
        Some(head)
    }
    fn number(bytes: &mut &[u8]) -> Option<u64> {
        Some(u64::from_le_bytes(take(8, bytes)?.try_into().ok()?))
    }
    let len = usize::try_from(number(bytes)?).ok()?;
    let path = std::str::from_utf8(take(len, bytes)?).ok()?;
    let file_len = number(bytes)?;
    let modified = u128::from_le_bytes(take(16, bytes)?.try_into().ok()?);
    let len = usize::try_from(number(bytes)?).ok()?;
    let data = take(len, bytes)?;
    Some(Record {
        path,
        stamp: FileStamp {
            len: file_len,
            modified,
        },
        data,
    })
}

/// Writes the shards to be rewritten (`kept[i]` holds the old one's bytes) whole, with
/// the entries of their files in order (taken from the old bytes where they were there,
/// else encoded from `loaded`), and renames each into place; a shard left empty is
/// removed. A cache that cannot be written only costs the next build time.
fn save(dir: &Path, identity: u64, wanted: &Wanted, kept: Vec<Option<Vec<u8>>>, loaded: &[Loaded]) {
    if kept.iter().all(Option::is_none) || std::fs::create_dir_all(dir).is_err() {
        return;
    }
    sweep(dir);
    let shards: Vec<(usize, Vec<u8>)> = kept
        .into_iter()
        .enumerate()
        .filter_map(|(i, bytes)| Some((i, bytes?)))
        .collect();
    shards.into_par_iter().for_each(|(i, old)| {
        let old_records: HashMap<&str, Record> = if old.len() > MAGIC.len() + 16 {
            parse_records(&old[MAGIC.len() + 16..])
                .into_iter()
                .map(|r| (r.path, r))
                .collect()
        } else {
            HashMap::new()
        };
        let mut body = Vec::new();
        for &at in &wanted.members[i] {
            let (Some(stamp), Some(path)) = (wanted.stamps[at], wanted.files[at].to_str()) else {
                continue;
            };
            match old_records.get(path).filter(|r| r.stamp == stamp) {
                Some(record) => write_record(&mut body, path, stamp, record.data),
                None => encode_record(&mut body, path, stamp, &loaded[at]),
            }
        }
        write_shard(dir, i, identity, &body);
    });
}

/// How old a shard's temporary must be to be taken for one a killed build left: a shard
/// is written in milliseconds, and another process may be writing one now.
const LEFT_BEHIND: std::time::Duration = std::time::Duration::from_secs(60);

/// Removes the temporaries (`NN.<pid>.new`) that killed builds left in the cache.
fn sweep(dir: &Path) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let temporary = entry
            .file_name()
            .to_str()
            .is_some_and(|n| n.ends_with(".new"));
        let left = || {
            entry
                .metadata()
                .and_then(|m| m.modified())
                .ok()
                .and_then(|t| t.elapsed().ok())
                .is_some_and(|age| age > LEFT_BEHIND)
        };
        if temporary && left() {
            let _ = std::fs::remove_file(entry.path());
        }
    }
}

/// Writes shard `i` whole under a temporary name and renames it into place (removes it
/// when `body` is empty).
fn write_shard(dir: &Path, i: usize, identity: u64, body: &[u8]) {
    let path = shard_path(dir, i);
    if body.is_empty() {
        let _ = std::fs::remove_file(&path);
        return;
    }
    let mut header = Vec::with_capacity(MAGIC.len() + 16);
    header.extend_from_slice(MAGIC);
    header.extend_from_slice(&identity.to_le_bytes());
    header.extend_from_slice(&checksum(body).to_le_bytes());
    let temporary = dir.join(format!("{i:02}.{}.new", std::process::id()));
    let write = || -> std::io::Result<()> {
        use std::io::Write;
        let mut file = std::fs::File::create(&temporary)?;
        file.write_all(&header)?;
        file.write_all(body)?;
        std::fs::rename(&temporary, &path)
    };
    if write().is_err() {
        let _ = std::fs::remove_file(&temporary);
    }
}

impl Serialize for Html {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        // A spilled body that cannot be read back leaves its entry out of the cache.
        let text = self.text().map_err(serde::ser::Error::custom)?;
        serializer.serialize_str(&text)
    }
}

impl<'de> Deserialize<'de> for Html {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Html, D::Error> {
        struct Visitor;
        impl serde::de::Visitor<'_> for Visitor {
            type Value = Html;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("HTML text")
            }
            fn visit_str<E: serde::de::Error>(self, text: &str) -> Result<Html, E> {
                Ok(Html::new(text))
            }
        }
        deserializer.deserialize_str(Visitor)
    }
}

/// A `toml::Table` in the cache: TOML's own values deserialize only from self-describing
/// formats, so the cache writes them as this mirror (datetimes as TOML writes them, which
/// reads back to the same value).
pub mod table {
    use serde::{Deserialize, Deserializer, Serialize, Serializer};

    #[derive(Serialize, Deserialize)]
    enum Value {
        String(String),
        Integer(i64),
        Float(f64),
        Boolean(bool),
        Datetime(String),
        Array(Vec<Value>),
        Table(Vec<(String, Value)>),
    }

    fn mirror(value: &toml::Value) -> Value {
        match value {
            toml::Value::String(s) => Value::String(s.clone()),
            toml::Value::Integer(i) => Value::Integer(*i),
            toml::Value::Float(f) => Value::Float(*f),
            toml::Value::Boolean(b) => Value::Boolean(*b),
            toml::Value::Datetime(d) => Value::Datetime(d.to_string()),
            toml::Value::Array(a) => Value::Array(a.iter().map(mirror).collect()),
            toml::Value::Table(t) => Value::Table(mirror_table(t)),
        }
    }

    fn mirror_table(table: &toml::Table) -> Vec<(String, Value)> {
        table.iter().map(|(k, v)| (k.clone(), mirror(v))).collect()
    }

    fn value<E: serde::de::Error>(mirrored: Value) -> Result<toml::Value, E> {
        Ok(match mirrored {
            Value::String(s) => toml::Value::String(s),
            Value::Integer(i) => toml::Value::Integer(i),
            Value::Float(f) => toml::Value::Float(f),
            Value::Boolean(b) => toml::Value::Boolean(b),
            Value::Datetime(d) => toml::Value::Datetime(d.parse().map_err(E::custom)?),
            Value::Array(a) => {
                toml::Value::Array(a.into_iter().map(value).collect::<Result<_, E>>()?)
            }
            Value::Table(t) => toml::Value::Table(table(t)?),
        })
    }

    fn table<E: serde::de::Error>(entries: Vec<(String, Value)>) -> Result<toml::Table, E> {
        entries
            .into_iter()
            .map(|(k, v)| Ok((k, value(v)?)))
            .collect()
    }

    pub fn serialize<S: Serializer>(t: &toml::Table, serializer: S) -> Result<S::Ok, S::Error> {
        mirror_table(t).serialize(serializer)
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(
        deserializer: D,
    ) -> Result<toml::Table, D::Error> {
        table(Vec::<(String, Value)>::deserialize(deserializer)?)
    }
}

#[cfg(test)]
mod tests {
    use std::path::{Path, PathBuf};
    use std::sync::Arc;

    use super::*;
    use crate::config::Config;
    use crate::content::{LoadOptions, Site, load_cached, shortcodes::Shortcodes};

    const ARTICLE: &str = r#"+++
title = "One"
date = 2024-05-01T10:00:00+02:00
updated = 2024-05-02
description = "A story."
authors = ["Ann Lee"]
tags = ["Rust", "News"]
image = "/images/lead.jpg"
aliases = ["/old/one/", "/?p=1"]

[[corrections]]
date = 2024-05-03T09:30:00Z
text = "A name was misspelt."

[extra]
score = 1.5
count = 3
when = 1979-05-27T07:32:00.999999-07:00
day = 1979-05-27
nested = { list = [1, "two", [3.0]], flag = true }
+++
# Heading

Body with <img src="/images/x.png"> and [a link](@/two.md) and `code`.

```rust
fn main() {}
```
"#;

    /// A site folder whose content holds `files` (path below `content/`, text), every
    /// file dated well before now (settled).
    fn site(files: &[(&str, &str)]) -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        for (path, text) in files {
            write_settled(&dir.path().join("content").join(path), text);
        }
        dir
    }

    fn write_settled(path: &Path, text: &str) {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
        settle(path, 3);
    }

    /// Dates `path` `ago` SETTLEs back.
    fn settle(path: &Path, ago: u32) {
        let old = std::time::SystemTime::now() - ago * SETTLE;
        let file = std::fs::File::options().write(true).open(path).unwrap();
        file.set_modified(old).unwrap();
    }

    fn config(extra: &str) -> Config {
        let text = format!("title = \"T\"\nbase_url = \"https://example.org/\"\n{extra}");
        Config::parse(&text, Path::new("config.toml")).unwrap()
    }

    fn load(dir: &Path, config: Config) -> Result<(Site, Counts), ContentError> {
        let shortcodes: Arc<Shortcodes> = Shortcodes::built_in();
        let cache: PathBuf = dir.join(".gazette-cache/content");
        load_cached(
            config,
            &dir.join("content"),
            LoadOptions::default(),
            shortcodes,
            Some(&cache),
        )
    }

    /// Everything the site holds, as text: a load from the cache must give the same.
    fn described(site: &Site) -> String {
        format!("{:?}\n{:?}", site.articles, site.pages)
    }

    fn counts(cached: usize, parsed: usize) -> Counts {
        Counts { cached, parsed }
    }

    const TWO: &str = "+++\ntitle = \"Two\"\ndate = 2024-06-01\n+++\nSecond.\n";
    const PAGE: &str = "+++\ntitle = \"About\"\n[extra]\nx = [1, 2]\n+++\nAbout us.\n";

    #[test]
    fn a_second_load_takes_every_settled_file_from_the_cache_and_gives_the_same_site() {
        let dir = site(&[
            ("one.md", ARTICLE),
            ("two.md", TWO),
            ("pages/about.md", PAGE),
        ]);
        let (first, n) = load(dir.path(), config("")).unwrap();
        assert_eq!(n, counts(0, 3));
        let (second, n) = load(dir.path(), config("")).unwrap();
        assert_eq!(n, counts(3, 0));
        assert_eq!(described(&second), described(&first));
        let uncached = crate::content::load(
            config(""),
            &dir.path().join("content"),
            LoadOptions::default(),
        )
        .unwrap();
        assert_eq!(described(&second), described(&uncached));
    }

    #[test]
    fn a_changed_file_is_parsed_again() {
        let dir = site(&[("one.md", ARTICLE), ("two.md", TWO)]);
        load(dir.path(), config("")).unwrap();
        let two = dir.path().join("content/two.md");
        std::fs::write(&two, TWO.replace("Second.", "Second, edited.")).unwrap();
        settle(&two, 4);
        let (site, n) = load(dir.path(), config("")).unwrap();
        assert_eq!(n, counts(1, 1));
        let two = site.articles.iter().find(|a| a.slug == "two").unwrap();
        assert_eq!(two.html.text().unwrap(), "<p>Second, edited.</p>\n");
        assert_eq!(load(dir.path(), config("")).unwrap().1, counts(2, 0));
    }

    /// Each shard file of the cache, with its bytes.
    fn shards(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
        let cache = dir.join(".gazette-cache/content");
        let mut shards: Vec<(PathBuf, Vec<u8>)> = std::fs::read_dir(cache)
            .unwrap()
            .map(|e| e.unwrap().path())
            .map(|p| (p.clone(), std::fs::read(p).unwrap()))
            .collect();
        shards.sort();
        shards
    }

    #[test]
    fn an_edit_rewrites_only_its_own_shard_and_a_removed_file_leaves_the_cache() {
        let names: Vec<String> = (0..40).map(|i| format!("a{i}.md")).collect();
        let texts: Vec<String> = (0..40)
            .map(|i| format!("+++\ntitle = \"T{i}\"\ndate = 2024-06-01\n+++\nBody {i}.\n"))
            .collect();
        let files: Vec<(&str, &str)> = names
            .iter()
            .map(String::as_str)
            .zip(texts.iter().map(String::as_str))
            .collect();
        let dir = site(&files);
        load(dir.path(), config("")).unwrap();
        let before = shards(dir.path());
        let edited = dir.path().join("content/a7.md");
        std::fs::write(&edited, texts[7].replace("Body 7.", "Body seven.")).unwrap();
        settle(&edited, 4);
        assert_eq!(load(dir.path(), config("")).unwrap().1, counts(39, 1));
        let after = shards(dir.path());
        let own = shard_path(
            &dir.path().join(".gazette-cache/content"),
            shard_of(edited.to_str().unwrap()),
        );
        let changed: Vec<&PathBuf> = before
            .iter()
            .zip(&after)
            .filter(|(b, a)| b != a)
            .map(|(b, _)| &b.0)
            .collect();
        assert_eq!(changed, [&own]);
        assert_eq!(load(dir.path(), config("")).unwrap().1, counts(40, 0));
        assert_eq!(shards(dir.path()), after, "nothing to rewrite");
        std::fs::remove_file(&edited).unwrap();
        assert_eq!(load(dir.path(), config("")).unwrap().1, counts(39, 0));
        let cached = shards(dir.path())
            .into_iter()
            .flat_map(|(_, b)| b)
            .collect::<Vec<u8>>();
        let name = edited.to_str().unwrap().as_bytes();
        assert!(
            !cached.windows(name.len()).any(|w| w == name),
            "its entry is gone"
        );
    }

    #[test]
    fn what_a_killed_build_left_is_swept_and_a_write_under_way_is_not() {
        let dir = site(&[("one.md", TWO)]);
        load(dir.path(), config("")).unwrap();
        let cache = dir.path().join(".gazette-cache/content");
        let (left, writing) = (cache.join("07.4242.new"), cache.join("08.4243.new"));
        std::fs::write(&left, b"half a shard").unwrap();
        std::fs::write(&writing, b"a shard being written").unwrap();
        let file = std::fs::File::options().write(true).open(&left).unwrap();
        file.set_modified(std::time::SystemTime::now() - 2 * LEFT_BEHIND)
            .unwrap();
        write_settled(&dir.path().join("content/two.md"), TWO);
        assert_eq!(load(dir.path(), config("")).unwrap().1, counts(1, 1));
        assert!(!left.exists());
        assert!(writing.exists());
    }

    #[test]
    fn a_file_modified_just_now_is_not_cached() {
        let dir = site(&[("one.md", ARTICLE)]);
        std::fs::write(dir.path().join("content/two.md"), TWO).unwrap();
        assert_eq!(load(dir.path(), config("")).unwrap().1, counts(0, 2));
        assert_eq!(load(dir.path(), config("")).unwrap().1, counts(1, 1));
    }

    #[test]
    fn a_damaged_cache_is_ignored_and_rewritten() {
        let dir = site(&[
            ("one.md", ARTICLE),
            ("two.md", TWO),
            ("pages/about.md", PAGE),
        ]);
        let (first, _) = load(dir.path(), config("")).unwrap();
        let cache = dir.path().join(".gazette-cache/content");
        let mut shards: Vec<PathBuf> = std::fs::read_dir(&cache)
            .unwrap()
            .map(|e| e.unwrap().path())
            .collect();
        shards.sort();
        assert!(!shards.is_empty());
        for (i, shard) in shards.iter().enumerate() {
            let mut bytes = std::fs::read(shard).unwrap();
            match i % 3 {
                // A byte of the records flipped, the file cut short, or garbage.
                0 => *bytes.last_mut().unwrap() ^= 1,
                1 => bytes.truncate(bytes.len() / 2),
                _ => bytes = b"not a cache".to_vec(),
            }
            std::fs::write(shard, bytes).unwrap();
        }
        let (second, n) = load(dir.path(), config("")).unwrap();
        assert_eq!(n, counts(0, 3));
        assert_eq!(described(&second), described(&first));
        assert_eq!(load(dir.path(), config("")).unwrap().1, counts(3, 0));
    }

    #[test]
    fn a_setting_that_changes_loading_invalidates_the_cache() {
        let dir = site(&[("one.md", ARTICLE), ("two.md", TWO)]);
        load(dir.path(), config("")).unwrap();
        let zoned = config("timezone = \"Europe/Paris\"\n");
        let (site, n) = load(dir.path(), zoned).unwrap();
        assert_eq!(n, counts(0, 2));
        let two = site.articles.iter().find(|a| a.slug == "two").unwrap();
        assert_eq!(two.date.to_rfc3339(), "2024-06-01T00:00:00+02:00");
        let safe = config("[markdown]\nsafe_html = true\n");
        assert_eq!(load(dir.path(), safe).unwrap().1, counts(0, 2));
        assert_eq!(load(dir.path(), config("")).unwrap().1, counts(0, 2));
        assert_eq!(load(dir.path(), config("")).unwrap().1, counts(2, 0));
    }

    #[test]
    fn a_file_in_error_is_refused_by_every_load_and_bundles_and_links_are_read_every_time() {
        let bad = "+++\ntitle = \"Bad\"\ndate = 2024-06-01\nimage = \"\"\n+++\nx\n";
        let dir = site(&[("bad.md", bad), ("story/index.md", TWO), ("two.md", TWO)]);
        write_settled(&dir.path().join("content/story/photo.jpg"), "jpeg");
        for _ in 0..2 {
            let error = load(dir.path(), config("")).unwrap_err().to_string();
            assert!(error.ends_with("bad.md:4:9: `image` is empty"), "{error}");
        }
        #[cfg(unix)]
        {
            let linked = dir.path().join("linked.md");
            write_settled(&linked, TWO.replace("Two", "Linked").as_str());
            std::os::unix::fs::symlink(&linked, dir.path().join("content/link.md")).unwrap();
        }
        let links = usize::from(cfg!(unix));
        // A load that fails writes nothing; a bundle and a link are never cached.
        std::fs::remove_file(dir.path().join("content/bad.md")).unwrap();
        assert_eq!(
            load(dir.path(), config("")).unwrap().1,
            counts(0, 2 + links)
        );
        assert_eq!(
            load(dir.path(), config("")).unwrap().1,
            counts(1, 1 + links)
        );
    }
}
