//! The build cache: lets `gazette build` skip a build whose inputs are byte for byte those
//! of the last successful build into the same output folder, while that output is still
//! exactly as the build left it.
//!
//! A record beside the output folder (`.<output>.gazette-cache`, next to where staging
//! folders go) holds two fingerprints: of the inputs (the binary, the build options,
//! `config.toml` and every file of `content/`, `templates/`, `static/` and the theme in
//! use), and of the output (every file's path, size and modification time).
//!
//! Architecture invariant: a skipped build leaves exactly the tree a full build would:
//! the record is only trusted when both fingerprints match, so any change to an input or
//! any touch of the output (a file edited, added or removed) means a full build.
//! Fingerprints hash paths, sizes and modification times (a `stat` per file), and inputs
//! modified in the last [`SETTLE`] seconds are never recorded (see [`inputs`]).
//!
//! A build that does run uses the record twice more. It keeps each page's signature (see
//! `render::pages::Job::signature`): over an output whose fingerprint is still the
//! recorded one, a page with a recorded signature is already there, byte for byte, and is
//! not rendered; a file written from memory (an alias's redirect page) is signed by its
//! path and bytes, and carried over without being opened. Architecture invariant: signatures are salted with the renderer's
//! identity (version and binary), and trusted only while the output is exactly as
//! recorded, so a skipped page is always the page a full render would write.
//!

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::files::FileStamp;
use crate::paths::SitePaths;

/// What the last successful build into an output folder saw and wrote.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Record {
    /// The inputs' fingerprint; `None` when the build may not be skipped next time (its
    /// inputs were too fresh to trust, or its output depends on the clock).
    pub inputs: Option<u64>,
    pub output: u64,
    pub articles: usize,
    /// Articles the build left out as scheduled for later, reported again when it is
    /// skipped.
    pub scheduled: usize,
    pub files: usize,
    /// The signature of every page the build left in the output (see
    /// `render::pages::Job::signature`, salted with the renderer's identity), and of every
    /// other file it wrote from memory (an alias's redirect page, a sitemap: its path and
    /// bytes, see `engine::commit::sign_files`), sorted: over an output still exactly as
    /// recorded, a page or file whose signature is here is already there, byte for byte,
    /// and need not be rendered, nor opened to compare.
    pub pages: Vec<u64>,
    /// The build's warnings, repeated when it is skipped.
    pub warnings: Vec<String>,
    /// Every article URL the site has published, with the file that had it (see
    /// `published`): those still there, and those gone that no alias answers yet.
    pub published: Vec<(String, String)>,
    /// The spare copy of the output the build kept beside it (`SitePaths::spare`).
    pub spare: Option<SpareRecord>,
}

/// A build's spare copy of the output (see `output::Spare`) as the build left it.
///
/// Architecture invariant: the spare is trusted only while the output is exactly as
/// recorded (walked, its fingerprint matches) and the spare is as recorded: a file edited
/// in place in the output is edited in the spare too (they share it), a file of the
/// spare removed or replaced leaves its output twin with no other link (or, where links
/// do not tell, the spare is walked and fingerprinted), and the files where they differ
/// are stamped against `fingerprint`. A file added by hand to the spare is not seen; the
/// record of the output it becomes does not count it, so the next build stages the
/// whole site again.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SpareRecord {
    /// The spare's fingerprint, as [`output`] takes it.
    pub fingerprint: u64,
    /// The paths where the spare's file differs from the output's, or where only one of
    /// them has a file, sorted.
    pub differs: Vec<String>,
}

const HEADER: &str = "gazette build cache 9";

pub fn load(paths: &SitePaths) -> Option<Record> {
    let text = std::fs::read_to_string(paths.record()).ok()?;
    let mut lines = text.lines();
    if lines.next()? != HEADER {
        return None;
    }
    let mut field = |name: &str| -> Option<String> {
        let line = lines.next()?;
        let (key, value) = line.split_once(' ').unwrap_or((line, ""));
        (key == name).then(|| value.to_string())
    };
    let number = |value: &str| value.parse::<u64>().ok();
    let optional = |value: String| match value.as_str() {
        "none" => Some(None),
        v => number(v).map(Some),
    };
    let inputs = optional(field("inputs")?)?;
    let output = number(&field("output")?)?;
    let articles = number(&field("articles")?)? as usize;
    let scheduled = number(&field("scheduled")?)? as usize;
    let files = number(&field("files")?)? as usize;
    let spare = optional(field("spare")?)?;
    let pages = field("pages")?
        .split_ascii_whitespace()
        .map(|p| u64::from_str_radix(p, 16).ok())
        .collect::<Option<Vec<u64>>>()?;
    if !pages.is_sorted() {
        return None;
    }
    let mut warnings = Vec::new();
    let mut published = Vec::new();
    let mut differs = Vec::new();
    for line in lines {
        match line.split_once(' ')? {
            ("warning", warning) => warnings.push(warning.replace("\\n", "\n")),
            ("published", entry) => {
                let (path, source) = entry.split_once('\t')?;
                published.push((path.to_string(), source.replace("\\n", "\n")));
            }
            ("differs", path) => differs.push(path.replace("\\n", "\n")),
            _ => return None,
        }
    }
    Some(Record {
        inputs,
        output,
        articles,
        scheduled,
        files,
        pages,
        warnings,
        published,
        spare: spare.map(|fingerprint| SpareRecord {
            fingerprint,
            differs,
        }),
    })
}

/// Saves the record; a cache that cannot be written only costs the next build time.
pub fn save(paths: &SitePaths, record: &Record) {
    {
        let inputs = record.inputs.map_or("none".to_string(), |i| i.to_string());
        let spare = record
            .spare
            .as_ref()
            .map_or("none".to_string(), |s| s.fingerprint.to_string());
        let mut text = format!(
            "{HEADER}\ninputs {inputs}\noutput {}\narticles {}\nscheduled {}\nfiles {}\nspare {spare}\npages",
            record.output, record.articles, record.scheduled, record.files
        );
        text.reserve(record.pages.len() * 17);
        for page in &record.pages {
            use std::fmt::Write;
            let _ = write!(text, " {page:x}");
        }
        text.push('\n');
        for warning in &record.warnings {
            text.push_str(&format!("warning {}\n", warning.replace('\n', "\\n")));
        }
        for (path, source) in &record.published {
            text.push_str(&format!(
                "published {path}\t{}\n",
                source.replace('\n', "\\n")
            ));
        }
        for path in record.spare.iter().flat_map(|s| &s.differs) {
            text.push_str(&format!("differs {}\n", path.replace('\n', "\\n")));
        }
        let _ = std::fs::write(paths.record(), text);
    }
}

/// Removes the record, so that no later build trusts it.
pub fn forget(paths: &SitePaths) {
    let _ = std::fs::remove_file(paths.record());
}

/// The hash of one file (`Some` stamp) or folder (`None`) at `path`, relative to the
/// folder walked and `/`-separated. A fingerprint is the wrapping sum of these, hashed
/// with its identity: a sum needs no order, so 233,000 output entries are neither sorted
/// nor kept, and any one stamp that changes changes it (but for a 64-bit coincidence).
fn stamp_hash(path: &str, file: Option<FileStamp>) -> u64 {
    crate::hash::of((path, file))
}

fn fingerprint(identity: &str, sum: u64) -> u64 {
    crate::hash::of((identity, sum))
}

/// What a walk found below a folder.
#[derive(Default)]
struct Walked {
    /// The sum of every file's and folder's [`stamp_hash`]. A folder counts by path
    /// alone: its time changes whenever a build moves files in, and what is in it is
    /// stamped anyway.
    sum: u64,
    /// Every file found, with its stamp (when the walk was asked to keep them).
    files: Vec<(String, FileStamp)>,
    /// The files kept that have no other hard link (see [`OutputFiles::alone`]).
    alone: Vec<String>,
    /// The newest modification time of a file found (as [`FileStamp::modified`]).
    newest: u128,
}

impl Walked {
    /// Adds what `walk` finds below each of `folders`; `None` if any is unreadable. A
    /// folder of one or two folders (an alias's `old/2012/story/`) is walked on this
    /// thread: handing it to another costs more than it saves.
    fn add_below<F: Sync>(
        &mut self,
        folders: &[F],
        walk: impl Fn(&F) -> Option<Walked> + Sync + Send,
    ) -> Option<()> {
        let below: Vec<Walked> = if folders.len() > 2 {
            folders.par_iter().map(walk).collect::<Option<_>>()?
        } else {
            folders.iter().map(walk).collect::<Option<_>>()?
        };
        for below in below {
            self.sum = self.sum.wrapping_add(below.sum);
            self.files.extend(below.files);
            self.alone.extend(below.alone);
            self.newest = self.newest.max(below.newest);
        }
        Some(())
    }
}

/// Every file and folder below `dir` (not `dir` itself), stamped; the files kept when
/// `keep` says so. `None` if unreadable.
///
/// Folders are walked in parallel at every depth, not only per top-level entry: a site
/// with old URLs keeps them in one folder (`old/…`, WordPress's `2012/…`), 100,000
/// folders below a handful of top-level ones. Files are stamped, and on Linux folders
/// opened, relative to their folder's open handle, not by a path looked up from the root
/// (an alias's folder is seven deep: the lookups were a tenth of a walk).
fn walk(dir: &Path, keep: bool) -> Option<Walked> {
    #[cfg(any(target_os = "linux", target_os = "android"))]
    {
        use rustix::fs::{Mode, OFlags};
        let flags = OFlags::RDONLY | OFlags::DIRECTORY | OFlags::CLOEXEC;
        let fd = rustix::fs::open(dir, flags, Mode::empty()).ok()?;
        at::walk_below(&fd, "", keep)
    }
    #[cfg(not(any(target_os = "linux", target_os = "android")))]
    walk_below(dir, "", keep)
}

/// [`walk`] by open folder handles (`openat`, `fstatat`, `getdents64`).
#[cfg(any(target_os = "linux", target_os = "android"))]
mod at {
    use std::ffi::CString;
    use std::mem::MaybeUninit;
    use std::os::fd::{AsFd, OwnedFd};

    use rustix::fs::{AtFlags, FileType, Mode, OFlags, RawDir, openat, statat};

    use super::{FileStamp, Walked, stamp_hash};

    /// The walk of the open folder `dir`, at `relative` (empty for the root).
    pub(super) fn walk_below(dir: &OwnedFd, relative: &str, keep: bool) -> Option<Walked> {
        let mut walked = Walked::default();
        let mut folders: Vec<(CString, String)> = Vec::new();
        let mut buffer = [MaybeUninit::<u8>::uninit(); 8192];
        let mut entries = RawDir::new(dir.as_fd(), &mut buffer);
        while let Some(entry) = entries.next() {
            let entry = entry.ok()?;
            let name = entry.file_name();
            if matches!(name.to_bytes(), b"." | b"..") {
                continue;
            }
            let text = String::from_utf8_lossy(name.to_bytes());
            let path = if relative.is_empty() {
                text.into_owned()
            } else {
                format!("{relative}/{text}")
            };
            let mut kind = entry.file_type();
            let mut stat = None;
            if kind == FileType::Unknown {
                let found = statat(dir, name, AtFlags::SYMLINK_NOFOLLOW).ok()?;
                kind = FileType::from_raw_mode(found.st_mode);
                stat = Some(found);
            }
            if kind == FileType::Directory {
                walked.sum = walked.sum.wrapping_add(stamp_hash(&path, None));
                folders.push((name.to_owned(), path));
                continue;
            }
            let stat = match stat {
                Some(stat) => stat,
                None => statat(dir, name, AtFlags::SYMLINK_NOFOLLOW).ok()?,
            };
            // As `FileStamp::of` reads `std::fs::Metadata`: a time before 1970 counts as 0.
            // The fields' integer types differ between architectures, hence `try_from`.
            #[allow(clippy::unnecessary_fallible_conversions)]
            let modified = u128::try_from(stat.st_mtime).map_or(0, |seconds| {
                seconds * 1_000_000_000 + u128::try_from(stat.st_mtime_nsec).unwrap_or(0)
            });
            let stamp = FileStamp {
                len: u64::try_from(stat.st_size).ok()?,
                modified,
            };
            walked.sum = walked.sum.wrapping_add(stamp_hash(&path, Some(stamp)));
            walked.newest = walked.newest.max(modified);
            if keep {
                // Compared as it comes: its integer type differs between architectures.
                if stat.st_nlink < 2 {
                    walked.alone.push(path.clone());
                }
                walked.files.push((path, stamp));
            }
        }
        let below = |(name, path): &(CString, String)| {
            let flags = OFlags::RDONLY | OFlags::DIRECTORY | OFlags::CLOEXEC | OFlags::NOFOLLOW;
            let fd = openat(dir, name.as_c_str(), flags, Mode::empty()).ok()?;
            walk_below(&fd, path, keep)
        };
        walked.add_below(&folders, below)?;
        Some(walked)
    }
}

/// [`walk`] of `path`, whose path relative to the walk's root is `relative` (empty for
/// the root itself, which is not stamped), by paths, where folder handles are not used.
#[cfg(not(any(target_os = "linux", target_os = "android")))]
fn walk_below(path: &Path, relative: &str, keep: bool) -> Option<Walked> {
    let child = |name: &std::ffi::OsStr| {
        let name = name.to_string_lossy();
        if relative.is_empty() {
            name.into_owned()
        } else {
            format!("{relative}/{name}")
        }
    };
    let mut walked = Walked::default();
    let mut folders = Vec::new();
    for entry in std::fs::read_dir(path).ok()? {
        let entry = entry.ok()?;
        let relative = child(&entry.file_name());
        if entry.file_type().ok()?.is_dir() {
            walked.sum = walked.sum.wrapping_add(stamp_hash(&relative, None));
            folders.push((entry.path(), relative));
        } else {
            let meta = entry.metadata().ok()?;
            let stamp = FileStamp::of(&meta)?;
            walked.sum = walked.sum.wrapping_add(stamp_hash(&relative, Some(stamp)));
            walked.newest = walked.newest.max(stamp.modified);
            if keep {
                if links(&meta) < 2 {
                    walked.alone.push(relative.clone());
                }
                walked.files.push((relative, stamp));
            }
        }
    }
    walked.add_below(&folders, |(path, relative)| {
        walk_below(path, relative, keep)
    })?;
    Some(walked)
}

/// How many hard links the file of `meta` has; 1 where the platform does not tell, so
/// that no file is taken to be linked elsewhere.
#[cfg(not(any(target_os = "linux", target_os = "android")))]
fn links(meta: &std::fs::Metadata) -> u64 {
    #[cfg(unix)]
    {
        std::os::unix::fs::MetadataExt::nlink(meta)
    }
    #[cfg(not(unix))]
    {
        let _ = meta;
        1
    }
}

/// Fingerprints the inputs: `identity` (options and anything else that changes the
/// output), and the path, size and modification time of `files` and of everything below
/// `dirs` (missing ones count as absent). Stamps rather than contents keep this to a
/// `stat` per file, like make and cargo; an edit that keeps both the size and the
/// nanosecond modification time is not seen.
///
/// File systems stamp modification times with a coarse clock (a few milliseconds), so an
/// input written just before a build could change again within the same tick without its
/// stamp changing. Like git's "racily clean" rule, a fingerprint whose newest input is
/// younger than [`SETTLE`] is not trustworthy: `Inputs::settled` is then false, and the
/// caller does not record it.
pub fn inputs(identity: &str, files: &[PathBuf], dirs: &[PathBuf]) -> Option<Inputs> {
    let mut sum = 0u64;
    let mut newest = 0;
    for file in files {
        let Some(stamp) = std::fs::symlink_metadata(file)
            .ok()
            .and_then(|m| FileStamp::of(&m))
        else {
            continue;
        };
        sum = sum.wrapping_add(stamp_hash(&file.to_string_lossy(), Some(stamp)));
        newest = newest.max(stamp.modified);
    }
    for dir in dirs.iter().filter(|d| d.exists()) {
        // The files themselves are not kept: only the newest time counts.
        let walked = walk(dir, false)?;
        // Each folder's sum counts with the folder's path: a file moved from one to
        // another changes the fingerprint.
        sum = sum.wrapping_add(crate::hash::of((dir, walked.sum)));
        // Folders are stamped too (a file added or removed changes the sum anyway), but
        // only a file's contents can change unseen within one clock tick.
        newest = newest.max(walked.newest);
    }
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos());
    Some(Inputs {
        fingerprint: fingerprint(identity, sum),
        settled: now.saturating_sub(newest) > SETTLE.as_nanos(),
    })
}

/// How old the newest input must be for its stamp to be trusted.
pub const SETTLE: std::time::Duration = std::time::Duration::from_secs(2);

/// The inputs' fingerprint, and whether it may be recorded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Inputs {
    pub fingerprint: u64,
    pub settled: bool,
}

/// Fingerprints an output folder as it is: every file and folder below it. `None` when
/// it does not exist or cannot be read.
pub fn output(output_dir: &Path) -> Option<u64> {
    Some(fingerprint("", walk(output_dir, false)?.sum))
}

/// An output folder as [`output_files`] found it.
#[derive(Debug, Default)]
pub struct OutputFiles {
    /// As [`output`] takes it.
    pub fingerprint: u64,
    /// The stamp of each file found, by relative `/`-separated path.
    pub files: HashMap<String, FileStamp>,
    /// The files found with no other hard link (on platforms that do not count links,
    /// every file): a spare copy of the output shares every other file with it, so a file
    /// of the spare removed or replaced leaves its output twin here.
    pub alone: Vec<String>,
}

/// Like [`output`], with the stamp of each file found and the files that have no other
/// link. `None` when it does not exist or cannot be read.
pub fn output_files(output_dir: &Path) -> Option<OutputFiles> {
    let walked = walk(output_dir, true)?;
    Some(OutputFiles {
        fingerprint: fingerprint("", walked.sum),
        files: walked.files.into_iter().collect(),
        alone: walked.alone,
    })
}

/// The same fingerprint as [`output`] for an output folder known to hold exactly these
/// files (and their folders), stamped as they were written: no `stat` at all. `None` if
/// a stamp is missing.
pub fn output_of<'a>(files: impl Iterator<Item = (&'a str, Option<FileStamp>)>) -> Option<u64> {
    let mut dirs: std::collections::HashSet<&str> = std::collections::HashSet::new();
    let mut sum = 0u64;
    for (file, stamp) in files {
        sum = sum.wrapping_add(stamp_hash(file, Some(stamp?)));
        let mut rest = file;
        while let Some((dir, _)) = rest.rsplit_once('/') {
            if !dirs.insert(dir) {
                break;
            }
            sum = sum.wrapping_add(stamp_hash(dir, None));
            rest = dir;
        }
    }
    Some(fingerprint("", sum))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn records_round_trip_and_reject_other_formats() {
        let dir = tempfile::tempdir().unwrap();
        let out = SitePaths::with_defaults(dir.path());
        assert_eq!(load(&out), None);
        let record = Record {
            inputs: Some(1),
            output: u64::MAX,
            articles: 3,
            scheduled: 2,
            files: 40,
            pages: vec![0, 1, 0xfeed, u64::MAX],
            warnings: vec!["a: one".into(), "b:\ntwo lines".into()],
            published: vec![("old/".into(), "content/old.md".into())],
            spare: Some(SpareRecord {
                fingerprint: 7,
                differs: vec!["a/index.html".into(), "b c.txt".into()],
            }),
        };
        save(&out, &record);
        assert_eq!(load(&out), Some(record.clone()));
        let unsettled = Record {
            inputs: None,
            pages: vec![],
            spare: None,
            ..record
        };
        save(&out, &unsettled);
        assert_eq!(load(&out), Some(unsettled));
        std::fs::write(dir.path().join(".public.gazette-cache"), "something else").unwrap();
        assert_eq!(load(&out), None);
        forget(&out);
        assert!(!dir.path().join(".public.gazette-cache").exists());
    }

    /// A temporary output folder holding these files (path, contents).
    fn output_holding(files: &[(&str, &str)]) -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        for (path, contents) in files {
            let path = dir.path().join(path);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, contents).unwrap();
        }
        dir
    }

    #[test]
    fn an_output_folder_is_fingerprinted_alike_from_its_files_and_from_its_stamps() {
        let dir = output_holding(&[("a/b/index.html", "x"), ("top.html", "xy")]);
        let out = dir.path();
        let OutputFiles {
            fingerprint,
            files,
            alone,
        } = output_files(out).unwrap();
        assert_eq!(Some(fingerprint), output(out));
        let mut found: Vec<(&str, u64)> = files.iter().map(|(p, s)| (p.as_str(), s.len)).collect();
        found.sort();
        assert_eq!(found, [("a/b/index.html", 1), ("top.html", 2)]);
        let stamps = ["a/b/index.html", "top.html"].map(|p| (p, files.get(p).copied()));
        assert_eq!(output_of(stamps.into_iter()), Some(fingerprint));
        let mut alone = alone;
        alone.sort();
        assert_eq!(alone, ["a/b/index.html", "top.html"]);
    }

    /// A file linked elsewhere (as the spare copy of the output links the output's) is
    /// not alone; its link removed, it is again.
    #[cfg(unix)]
    #[test]
    fn an_output_walk_finds_the_files_with_no_other_link() {
        let dir = output_holding(&[("a/b/index.html", "x"), ("top.html", "xy")]);
        let out = dir.path();
        let elsewhere = tempfile::tempdir().unwrap();
        let link = elsewhere.path().join("top.html");
        std::fs::hard_link(out.join("top.html"), &link).unwrap();
        assert_eq!(output_files(out).unwrap().alone, ["a/b/index.html"]);
        std::fs::remove_file(&link).unwrap();
        let mut alone = output_files(out).unwrap().alone;
        alone.sort();
        assert_eq!(alone, ["a/b/index.html", "top.html"]);
    }

    #[test]
    fn fingerprints_follow_contents() {
        let dir = tempfile::tempdir().unwrap();
        let content = dir.path().join("content");
        std::fs::create_dir(&content).unwrap();
        std::fs::write(content.join("a.md"), "one").unwrap();
        let dirs = [content.clone(), dir.path().join("missing")];
        let first = inputs("opts", &[], &dirs).unwrap();
        assert!(!first.settled, "a file written just now is not settled");
        assert_eq!(first, inputs("opts", &[], &dirs).unwrap());
        assert_ne!(first, inputs("other opts", &[], &dirs).unwrap());
        std::fs::write(content.join("a.md"), "three").unwrap();
        assert_ne!(first, inputs("opts", &[], &dirs).unwrap());
        let old = std::time::SystemTime::now() - 2 * SETTLE;
        std::fs::File::options()
            .write(true)
            .open(content.join("a.md"))
            .unwrap()
            .set_modified(old)
            .unwrap();
        assert!(inputs("opts", &[], &dirs).unwrap().settled);

        std::fs::create_dir(content.join("sub")).unwrap();
        std::fs::write(content.join("sub/b.md"), "b").unwrap();
        let out = output(&content).unwrap();
        assert_eq!(Some(out), output(&content));
        let stamped = |f: &str| FileStamp::of(&std::fs::metadata(content.join(f)).unwrap());
        assert_eq!(
            Some(out),
            output_of(["a.md", "sub/b.md"].into_iter().map(|f| (f, stamped(f)))),
            "a walk and the stamps of the files written agree"
        );
        assert_eq!(output_of([("a.md", None)].into_iter()), None);
        std::fs::write(content.join("c.md"), "new").unwrap();
        assert_ne!(Some(out), output(&content));
        assert_eq!(output(&dir.path().join("missing")), None);
    }
}
