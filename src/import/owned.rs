//! Which content files are the importer's, and where they are.
//!
//! Every file the importer writes starts its front matter with a stamp naming where the
//! article came from (a seed, an item of an export) and checksums of that source and of
//! the file as written. Invariants:
//! - A file is the importer's only if its stamp (or, for a seed's article whose stamp line
//!   was removed, its `extra.seed`) says so. Any other file — the site's own
//!   `content/welcome.md` — is never replaced, `--force` or not: an article that would
//!   land on it gets a file of its own.
//! - A file whose text no longer matches its stamp was edited by hand.
//! - An imported article is known by its provenance wherever it lives below `content/`,
//!   so one moved by hand into a section folder is updated (or kept) there, never
//!   imported again at its old place.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use super::ImportError;
use crate::hash::fnv1a;

/// Marks the first line of an imported file's front matter.
const STAMP: &str = "# Imported by gazette from ";

/// What an imported file's stamp says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Stamp {
    /// Where it came from, as the stamp shows it ([`shown`]).
    pub provenance: String,
    /// The checksum of the source it was made from (none when only `extra.seed` is left).
    pub seed_hash: Option<u64>,
    /// Whether the file is exactly as the importer wrote it.
    pub intact: bool,
}

/// A content file, as the importer sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Found {
    Absent,
    /// Written by the importer.
    Imported(Stamp),
    /// Anything else: the site's own file.
    Foreign,
}

/// A provenance as a stamp shows it: it is data, so a control character in it (a newline
/// would end the comment and inject front matter) is written as an escape.
pub(super) fn shown(provenance: &str) -> String {
    provenance
        .chars()
        .map(|c| {
            if c.is_control() {
                c.escape_unicode().to_string()
            } else {
                c.to_string()
            }
        })
        .collect()
}

/// The full file: `+++`, the stamp line, then `rest` (front matter, `+++`, body).
pub(super) fn stamp(provenance: &str, seed_hash: u64, rest: &str) -> String {
    format!(
        "+++\n{STAMP}{} (seed {seed_hash:016x}, file {:016x}); once edited by hand, re-imports leave it alone\n{rest}",
        shown(provenance),
        fnv1a(rest.as_bytes())
    )
}

/// The stamp of an imported file, if it has one.
pub(super) fn read_stamp(text: &str) -> Option<Stamp> {
    let rest = text.strip_prefix("+++\n")?;
    let (line, body) = rest.split_once('\n')?;
    let line = line.strip_prefix(STAMP)?;
    // The last one: a seed's name may hold the words too.
    let (provenance, hashes) = line.rsplit_once(" (seed ")?;
    let (seed, rest_of_line) = hashes.split_once(", file ")?;
    let file = rest_of_line.split_once(')')?.0;
    let seed = u64::from_str_radix(seed, 16).ok()?;
    let file = u64::from_str_radix(file, 16).ok()?;
    Some(Stamp {
        provenance: provenance.to_string(),
        seed_hash: Some(seed),
        intact: file == fnv1a(body.as_bytes()),
    })
}

/// What `text` is to the importer: its stamp, else the `extra.seed` a seed's article
/// keeps, else nothing of the importer's.
pub(super) fn judge(text: &str) -> Found {
    if let Some(stamp) = read_stamp(text) {
        return Found::Imported(stamp);
    }
    match seed_of(text) {
        Some(seed) => Found::Imported(Stamp {
            provenance: shown(&seed),
            seed_hash: None,
            intact: false,
        }),
        None => Found::Foreign,
    }
}

/// The `extra.seed` of a file's front matter, looked for only where the text has one.
fn seed_of(text: &str) -> Option<String> {
    if !text.contains("seed = ") {
        return None;
    }
    let split = crate::content::frontmatter::split(text, Path::new("")).ok()?;
    let table: toml::Table = toml::from_str(split.front_matter).ok()?;
    let extra = table.get("extra")?.as_table()?;
    extra.get("seed")?.as_str().map(str::to_string)
}

/// What the file at `path` is to the importer.
pub(super) fn look_at(path: &Path) -> Result<Found, ImportError> {
    match std::fs::read(path) {
        Ok(bytes) => Ok(std::str::from_utf8(&bytes).map_or(Found::Foreign, judge)),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(Found::Absent),
        Err(source) => Err(ImportError::Read {
            path: path.to_path_buf(),
            source,
        }),
    }
}

/// The article files below `content` (not author profiles, not section indexes), in path
/// order.
pub(super) fn article_files(content: &Path) -> Result<Vec<PathBuf>, ImportError> {
    let files = crate::content::markdown_files(content)?;
    let authors = content.join(crate::content::AUTHORS_DIR);
    Ok(files
        .into_iter()
        .filter(|f| !f.starts_with(&authors) && !crate::content::section::is_index_file(f))
        .collect())
}

/// What each of `files` is to the importer, read in parallel.
pub(super) fn survey<P: AsRef<Path> + Sync>(files: &[P]) -> Result<Vec<Found>, ImportError> {
    files.par_iter().map(|f| look_at(f.as_ref())).collect()
}

/// Where below `content` the articles of `wanted` provenances (as [`shown`], each with
/// the file name it was imported as) are now: the first file in path order carrying each.
/// Files of the name an article was imported as are read first, since an article moved
/// into a section folder keeps it; the rest only if some are still missing.
pub(super) fn find_moved(
    content: &Path,
    wanted: &HashMap<String, String>,
) -> Result<HashMap<String, PathBuf>, ImportError> {
    let mut found: HashMap<String, PathBuf> = HashMap::new();
    if wanted.is_empty() {
        return Ok(found);
    }
    let files = article_files(content)?;
    let names: std::collections::HashSet<&str> = wanted.values().map(String::as_str).collect();
    let (likely, rest): (Vec<PathBuf>, Vec<PathBuf>) = files.into_iter().partition(|f| {
        f.file_name()
            .and_then(|n| n.to_str())
            .is_some_and(|n| names.contains(n))
    });
    for batch in [likely, rest] {
        for (file, what) in batch.iter().zip(survey(&batch)?) {
            if let Found::Imported(stamp) = what
                && wanted.contains_key(&stamp.provenance)
            {
                found
                    .entry(stamp.provenance)
                    .or_insert_with(|| file.clone());
            }
        }
        if found.len() == wanted.len() {
            break;
        }
    }
    Ok(found)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stamps_detect_hand_edits_and_name_their_source() {
        let text = stamp("seeds/a.txt", 42, "title = \"x\"\n+++\n\nBody\n");
        let stamp_of = |provenance: &str, intact| Stamp {
            provenance: provenance.into(),
            seed_hash: Some(42),
            intact,
        };
        assert_eq!(read_stamp(&text), Some(stamp_of("seeds/a.txt", true)));
        let edited = text.replace("Body", "Edited body");
        assert_eq!(read_stamp(&edited), Some(stamp_of("seeds/a.txt", false)));
        assert_eq!(read_stamp("+++\ntitle = \"mine\"\n+++\n"), None);
        let odd = stamp("seeds/x (seed 1).txt\n", 42, "title = \"x\"\n+++\n");
        assert_eq!(
            read_stamp(&odd),
            Some(stamp_of("seeds/x (seed 1).txt\\u{a}", true))
        );
    }

    #[test]
    fn a_file_without_a_stamp_is_the_importers_only_by_its_seed() {
        assert_eq!(
            judge("+++\ntitle = \"Welcome\"\ndate = 2024-01-01\n+++\nMine\n"),
            Found::Foreign
        );
        assert_eq!(
            judge("+++\ntitle = \"Moved\"\n\n[extra]\nseed = \"seeds/a.txt\"\n+++\nText\n"),
            Found::Imported(Stamp {
                provenance: "seeds/a.txt".into(),
                seed_hash: None,
                intact: false,
            })
        );
        assert_eq!(judge("+++\nseed = \"x\"\n+++\n"), Found::Foreign);
    }
}
