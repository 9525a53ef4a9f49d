//! The `output` stage: writes the rendered site atomically.
//!
//! Architecture invariant: a build that fails — bad input, a template error, a failed
//! write — leaves the previous output exactly as it was. New and changed files are written
//! (in parallel) into a staging folder beside the output, and only when every file was
//! rendered and written is the output touched: a fresh output is the staging folder renamed
//! into place; an existing one gets the changed files moved in by rename and the files the
//! site no longer has deleted. Files whose bytes did not change are never rewritten, so a
//! rebuild of unchanged content writes nothing. After a successful build the output holds
//! exactly the site's files: nothing of a deleted article survives.

use std::collections::{BTreeSet, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use rayon::prelude::*;
use thiserror::Error;

use crate::cache::FileStamp;
use crate::render::{Contents, OutputFile, StaticSource};

#[derive(Debug, Error)]
pub enum OutputError {
    #[error("{}: {action}: {source}", path.display())]
    Io {
        path: PathBuf,
        action: &'static str,
        source: std::io::Error,
    },
    #[error("{}: refusing to use this folder as output: {reason}", path.display())]
    Unsafe { path: PathBuf, reason: String },
}

fn io<'a>(path: &'a Path, action: &'static str) -> impl FnOnce(std::io::Error) -> OutputError + 'a {
    move |source| OutputError::Io {
        path: path.to_path_buf(),
        action,
        source,
    }
}

/// Folders of a site that hold sources, never output.
const SOURCE_DIRS: &[&str] = &["content", "seeds", "templates", "static", "themes"];

/// A staging folder beside the output folder, and the build's view of the output.
///
/// Files are offered from any thread with [`Staging::write`]. When there is no previous
/// output, every file goes into the staging folder and [`Staging::commit`] renames the
/// folder into place. When there is one, each file is first compared with the file already
/// there: unchanged files are not written at all, changed ones are staged, and the commit
/// moves them in one by one and deletes what the new site no longer has. Dropped without a
/// commit, the staging folder removes itself, so an error anywhere in the build leaves the
/// previous output as it was.
pub struct Staging {
    dir: PathBuf,
    output_dir: PathBuf,
    /// Whether a previous output exists, so files are compared and only changes staged.
    update: bool,
    /// Files staged so far (update mode), relative and `/`-separated.
    staged: Mutex<Vec<String>>,
    committed: bool,
}

/// What a build wrote.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct WriteReport {
    /// Files written because they are new or changed.
    pub written: usize,
    /// Files left alone because the output already had them byte for byte.
    pub unchanged: usize,
    /// Files of the previous output that the site no longer has.
    pub removed: usize,
}

impl Staging {
    /// Creates an empty staging folder for `output_dir`. `root` is the site folder, which
    /// the output may never be or contain.
    pub fn create(root: &Path, output_dir: &Path) -> Result<Staging, OutputError> {
        check_output_dir(root, output_dir)?;
        let name = output_dir
            .file_name()
            .expect("checked: the output folder has a name")
            .to_string_lossy();
        let parent = parent_of(output_dir);
        std::fs::create_dir_all(parent).map_err(io(parent, "cannot create the folder"))?;
        let dir = parent.join(format!(".{name}.staging-{}", std::process::id()));
        if dir.exists() {
            std::fs::remove_dir_all(&dir)
                .map_err(io(&dir, "cannot remove a stale staging folder"))?;
        }
        remove_abandoned_staging(parent, &name);
        std::fs::create_dir_all(&dir).map_err(io(&dir, "cannot create the staging folder"))?;
        Ok(Staging {
            dir,
            output_dir: output_dir.to_path_buf(),
            update: output_dir.is_dir(),
            staged: Mutex::new(Vec::new()),
            committed: false,
        })
    }

    /// Whether a previous output is being updated (rather than a new one written).
    pub fn updates(&self) -> bool {
        self.update
    }

    /// Creates the folders of all these files once, up front, rather than once per file.
    /// Only a fresh output needs them all; an update creates folders for changed files.
    pub fn make_dirs<'a>(&self, paths: impl Iterator<Item = &'a str>) -> Result<(), OutputError> {
        if self.update {
            return Ok(());
        }
        // Every folder and its ancestors, made level by level. One thread: the kernel
        // serializes making folders in one parent, and a news site's are nearly all in
        // the output's top level (one per article), so more threads only contend.
        let mut levels: Vec<HashSet<&str>> = Vec::new();
        for path in paths {
            let mut rest = path;
            while let Some((dir, _)) = rest.rsplit_once('/') {
                let depth = dir.matches('/').count();
                if levels.len() <= depth {
                    levels.resize_with(depth + 1, HashSet::new);
                }
                if !levels[depth].insert(dir) {
                    break;
                }
                rest = dir;
            }
        }
        for dir in levels.into_iter().flatten() {
            let path = self.dir.join(dir);
            match std::fs::create_dir(&path) {
                Err(e) if e.kind() != std::io::ErrorKind::AlreadyExists => {
                    return Err(io(&path, "cannot create the folder")(e));
                }
                _ => {}
            }
        }
        Ok(())
    }

    /// Offers one file of the new site: writes it unless the output already has it byte
    /// for byte. Returns its size and modification time in the output, for the build
    /// cache (`None` if the file system did not say).
    pub fn write(&self, file: &OutputFile) -> Result<Option<FileStamp>, OutputError> {
        let target = self.dir.join(&file.path);
        if self.update {
            let current = self.output_dir.join(&file.path);
            if let Some(stamp) = same_contents(&current, &file.contents)? {
                return Ok(Some(stamp));
            }
            if let Some(parent) = target.parent() {
                std::fs::create_dir_all(parent).map_err(io(parent, "cannot create the folder"))?;
            }
        }
        let stamp = match &file.contents {
            Contents::Rendered(bytes) => write_new(&target, bytes)?,
            Contents::Static(StaticSource::Embedded(bytes)) => write_new(&target, bytes)?,
            Contents::Static(StaticSource::File(source)) => {
                std::fs::copy(source, &target)
                    .map_err(io(source, "cannot copy the static file"))?;
                std::fs::metadata(&target)
                    .ok()
                    .and_then(|m| FileStamp::of(&m))
            }
        };
        if self.update {
            self.staged
                .lock()
                .expect("no thread panics while holding this lock")
                .push(file.path.clone());
        }
        Ok(stamp)
    }

    /// Makes the output folder hold exactly the files in `paths` (every file offered to
    /// [`Staging::write`]): renames the staging folder into place, or, over a previous
    /// output, moves the changed files in and removes the ones the site no longer has.
    pub fn commit<'a>(
        self,
        paths: impl Iterator<Item = &'a str>,
    ) -> Result<WriteReport, OutputError> {
        self.commit_knowing(paths, false)
    }

    /// [`Staging::commit`], for a caller that may know that the output holds no file
    /// outside `paths` (`nothing_stale`, see `cache::Layout`): then the output's folders
    /// are not listed to look for stale files.
    pub fn commit_knowing<'a>(
        mut self,
        paths: impl Iterator<Item = &'a str>,
        nothing_stale: bool,
    ) -> Result<WriteReport, OutputError> {
        let paths: HashSet<&str> = paths.collect();
        if !self.update {
            std::fs::rename(&self.dir, &self.output_dir)
                .map_err(io(&self.output_dir, "cannot move the new output in place"))?;
            self.committed = true;
            return Ok(WriteReport {
                written: paths.len(),
                ..WriteReport::default()
            });
        }
        // Stale entries go first: a stale file may stand where a new folder must go.
        let removed = if nothing_stale {
            0
        } else {
            remove_stale(&self.output_dir, &paths)?
        };
        let staged = std::mem::take(
            &mut *self
                .staged
                .lock()
                .expect("no thread panics while holding this lock"),
        );
        staged.par_iter().try_for_each(|path| {
            let to = self.output_dir.join(path);
            if let Some(parent) = to.parent() {
                std::fs::create_dir_all(parent).map_err(io(parent, "cannot create the folder"))?;
            }
            std::fs::rename(self.dir.join(path), &to).map_err(io(&to, "cannot move in place"))
        })?;
        self.committed = true;
        std::fs::remove_dir_all(&self.dir)
            .map_err(io(&self.dir, "cannot remove the staging folder"))?;
        Ok(WriteReport {
            written: staged.len(),
            unchanged: paths.len() - staged.len(),
            removed,
        })
    }
}

impl Staging {
    /// Like [`Staging::commit`], for a caller that knows which files of the previous output
    /// the site no longer has (`removed`), so the output is not walked: moves the changed
    /// files in, deletes `removed` and the folders they leave empty.
    pub fn commit_changes<'a>(
        mut self,
        removed: impl Iterator<Item = &'a str>,
    ) -> Result<WriteReport, OutputError> {
        if !self.update {
            return Err(OutputError::Io {
                path: self.output_dir.clone(),
                action: "cannot update in place",
                source: std::io::Error::new(
                    std::io::ErrorKind::NotFound,
                    "there is no previous output to update",
                ),
            });
        }
        let mut gone = 0;
        let mut parents = BTreeSet::new();
        for path in removed {
            let target = self.output_dir.join(path);
            match std::fs::remove_file(&target) {
                Ok(()) => gone += 1,
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
                Err(e) => return Err(io(&target, "cannot remove")(e)),
            }
            let mut rest = path;
            while let Some((dir, _)) = rest.rsplit_once('/') {
                parents.insert(dir.to_string());
                rest = dir;
            }
        }
        let staged = std::mem::take(
            &mut *self
                .staged
                .lock()
                .expect("no thread panics while holding this lock"),
        );
        for path in &staged {
            let to = self.output_dir.join(path);
            if let Some(parent) = to.parent() {
                std::fs::create_dir_all(parent).map_err(io(parent, "cannot create the folder"))?;
            }
            std::fs::rename(self.dir.join(path), &to).map_err(io(&to, "cannot move in place"))?;
        }
        // Deepest first, so a folder emptied by removing its subfolders goes too; a
        // folder that still holds something stays.
        for dir in parents.iter().rev() {
            let _ = std::fs::remove_dir(self.output_dir.join(dir));
        }
        self.committed = true;
        std::fs::remove_dir_all(&self.dir)
            .map_err(io(&self.dir, "cannot remove the staging folder"))?;
        Ok(WriteReport {
            written: staged.len(),
            unchanged: 0,
            removed: gone,
        })
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        if !self.committed {
            let _ = std::fs::remove_dir_all(&self.dir);
        }
    }
}

/// Writes a new file; returns its stamp, taken from the open file rather than by path.
fn write_new(target: &Path, bytes: &[u8]) -> Result<Option<FileStamp>, OutputError> {
    use std::io::Write;
    let mut file = std::fs::File::create(target).map_err(io(target, "cannot write"))?;
    file.write_all(bytes).map_err(io(target, "cannot write"))?;
    Ok(file.metadata().ok().and_then(|m| FileStamp::of(&m)))
}

/// Whether `path` already holds exactly `contents` (sizes first, so most changes cost a
/// `stat` and no read); if so, its stamp.
fn same_contents(path: &Path, contents: &Contents) -> Result<Option<FileStamp>, OutputError> {
    let Ok(mut file) = std::fs::File::open(path) else {
        return Ok(None);
    };
    let Ok(meta) = file.metadata() else {
        return Ok(None);
    };
    if !meta.is_file() {
        return Ok(None);
    }
    let new: std::borrow::Cow<[u8]> = match contents {
        Contents::Rendered(bytes) => bytes.into(),
        Contents::Static(StaticSource::Embedded(bytes)) => (*bytes).into(),
        Contents::Static(StaticSource::File(source)) => {
            let source_meta =
                std::fs::metadata(source).map_err(io(source, "cannot read the static file"))?;
            if source_meta.len() != meta.len() {
                return Ok(None);
            }
            std::fs::read(source)
                .map_err(io(source, "cannot read the static file"))?
                .into()
        }
    };
    if new.len() as u64 != meta.len() {
        return Ok(None);
    }
    Ok(reads_as(&mut file, &new)
        .then(|| FileStamp::of(&meta))
        .flatten())
}

/// Whether `file`, already known to be `expected.len()` bytes long, holds `expected`:
/// read piece by piece into a buffer each thread keeps, so comparing the pages of a
/// whole site allocates nothing, and stops at the first difference.
fn reads_as(file: &mut std::fs::File, expected: &[u8]) -> bool {
    use std::io::Read;
    thread_local! {
        static BUFFER: std::cell::RefCell<Vec<u8>> = std::cell::RefCell::new(vec![0; 64 * 1024]);
    }
    BUFFER.with_borrow_mut(|buffer| {
        let mut rest = expected;
        while !rest.is_empty() {
            let want = rest.len().min(buffer.len());
            match file.read(&mut buffer[..want]) {
                Ok(0) | Err(_) => return false,
                Ok(n) if buffer[..n] != rest[..n] => return false,
                Ok(n) => rest = &rest[n..],
            }
        }
        true
    })
}

/// Removes the staging folders that builds into the same output left when they were
/// killed (`.<name>.staging-<pid>` whose process is gone). Only where `/proc` tells which
/// processes run; a folder that cannot be removed stays, and costs nothing but space.
fn remove_abandoned_staging(parent: &Path, name: &str) {
    if !Path::new("/proc/self").exists() {
        return;
    }
    let prefix = format!(".{name}.staging-");
    let Ok(entries) = std::fs::read_dir(parent) else {
        return;
    };
    for entry in entries.flatten() {
        let file_name = entry.file_name();
        let Some(pid) = file_name.to_str().and_then(|n| n.strip_prefix(&prefix)) else {
            continue;
        };
        if pid.bytes().all(|b| b.is_ascii_digit()) && !Path::new("/proc").join(pid).exists() {
            let _ = std::fs::remove_dir_all(entry.path());
        }
    }
}

/// Deletes every file and folder below `output_dir` that is neither in `paths` nor a
/// folder leading to one; returns how many files went. Top-level entries are walked in
/// parallel: a news site has one folder per article.
fn remove_stale(output_dir: &Path, paths: &HashSet<&str>) -> Result<usize, OutputError> {
    let mut wanted_dirs: HashSet<&str> = HashSet::new();
    for path in paths {
        let mut rest = *path;
        while let Some((dir, _)) = rest.rsplit_once('/') {
            if !wanted_dirs.insert(dir) {
                break;
            }
            rest = dir;
        }
    }
    let read_error = |path: &Path| {
        let path = path.to_path_buf();
        move |source: std::io::Error| OutputError::Io {
            path,
            action: "cannot read the previous output",
            source,
        }
    };
    let top: Vec<std::fs::DirEntry> = std::fs::read_dir(output_dir)
        .map_err(read_error(output_dir))?
        .collect::<Result<_, _>>()
        .map_err(read_error(output_dir))?;
    let wanted = Wanted {
        files: paths,
        dirs: &wanted_dirs,
    };
    top.par_iter()
        .map(|entry| {
            let path = entry.path();
            let is_dir = entry.file_type().map_err(read_error(&path))?.is_dir();
            wanted.prune(&path, &entry.file_name().to_string_lossy(), is_dir)
        })
        .sum()
}

/// What the new site has: its files and the folders leading to them, relative and
/// `/`-separated.
struct Wanted<'a> {
    files: &'a HashSet<&'a str>,
    dirs: &'a HashSet<&'a str>,
}

impl Wanted<'_> {
    /// Removes the entry at `path` (`relative` below the output) if the site does not
    /// have it, or what below it the site does not have; returns how many files went.
    /// Listings give entry types without a `stat`; symlinks count as files, never
    /// followed.
    fn prune(&self, path: &Path, relative: &str, is_dir: bool) -> Result<usize, OutputError> {
        if !is_dir {
            if self.files.contains(relative) {
                return Ok(0);
            }
            std::fs::remove_file(path).map_err(io(path, "cannot remove"))?;
            return Ok(1);
        }
        if !self.dirs.contains(relative) {
            let files = walkdir::WalkDir::new(path)
                .into_iter()
                .filter_map(Result::ok)
                .filter(|e| !e.file_type().is_dir())
                .count();
            std::fs::remove_dir_all(path).map_err(io(path, "cannot remove"))?;
            return Ok(files);
        }
        let unreadable = |source| OutputError::Io {
            path: path.to_path_buf(),
            action: "cannot read the previous output",
            source,
        };
        let mut removed = 0;
        for entry in std::fs::read_dir(path).map_err(unreadable)? {
            let entry = entry.map_err(unreadable)?;
            let is_dir = entry.file_type().map_err(unreadable)?.is_dir();
            let relative = format!("{relative}/{}", entry.file_name().to_string_lossy());
            removed += self.prune(&entry.path(), &relative, is_dir)?;
        }
        Ok(removed)
    }
}

fn parent_of(path: &Path) -> &Path {
    match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    }
}

/// Makes `output_dir` hold exactly `files`, written in parallel.
pub fn write_site(
    root: &Path,
    output_dir: &Path,
    files: &[OutputFile],
) -> Result<WriteReport, OutputError> {
    let staging = Staging::create(root, output_dir)?;
    staging.make_dirs(files.iter().map(|f| f.path.as_str()))?;
    files
        .par_iter()
        .try_for_each(|f| staging.write(f).map(|_| ()))?;
    staging.commit(files.iter().map(|f| f.path.as_str()))
}

/// The absolute, symlink-free form of a path that may not exist yet: its nearest existing
/// ancestor canonicalized, with the rest appended.
fn resolve(path: &Path) -> Option<PathBuf> {
    let path = if path.is_relative() {
        std::env::current_dir().ok()?.join(path)
    } else {
        path.to_path_buf()
    };
    let mut existing = path.as_path();
    let mut rest = Vec::new();
    loop {
        if let Ok(real) = existing.canonicalize() {
            return Some(rest.iter().rev().fold(real, |p, c| p.join(c)));
        }
        rest.push(existing.file_name()?.to_os_string());
        existing = existing.parent()?;
    }
}

fn check_output_dir(root: &Path, output_dir: &Path) -> Result<(), OutputError> {
    let unsafe_dir = |reason: &str| OutputError::Unsafe {
        path: output_dir.to_path_buf(),
        reason: reason.to_string(),
    };
    if output_dir.file_name().is_none() {
        return Err(unsafe_dir("it has no folder name"));
    }
    if output_dir.is_file() {
        return Err(unsafe_dir("it is a file"));
    }
    let root = if root.as_os_str().is_empty() {
        Path::new(".")
    } else {
        root
    };
    let root = root
        .canonicalize()
        .map_err(io(root, "cannot resolve the site folder"))?;
    if let Some(out) = resolve(output_dir) {
        if root.starts_with(&out) {
            return Err(unsafe_dir(
                "it contains the site itself, which the build would replace",
            ));
        }
        // The build replaces the output folder whole: it must not hold the site's sources.
        for source in SOURCE_DIRS {
            if let Ok(dir) = root.join(source).canonicalize()
                && (dir.starts_with(&out) || out.starts_with(&dir))
            {
                return Err(unsafe_dir(&format!(
                    "it overlaps the site's {source}/ folder, which the build would replace"
                )));
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_is_the_same_only_if_every_byte_is() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("page.html");
        // Longer than the comparison buffer, so the difference is in a later piece.
        let text: Vec<u8> = (0..200_000u32).map(|i| (i % 251) as u8).collect();
        std::fs::write(&path, &text).unwrap();
        let same = |contents: &[u8]| {
            same_contents(&path, &Contents::Rendered(contents.to_vec()))
                .unwrap()
                .is_some()
        };
        assert!(same(&text));
        let mut changed = text.clone();
        changed[150_000] ^= 1;
        assert!(!same(&changed), "same length, one byte differs");
        assert!(!same(&text[..199_999]), "shorter");
        assert!(!same(b""), "empty");
        assert!(
            same_contents(&dir.path().join("missing.html"), &Contents::Rendered(text))
                .unwrap()
                .is_none()
        );
    }

    fn page(path: &str, text: &str) -> OutputFile {
        OutputFile {
            path: path.into(),
            contents: Contents::Rendered(text.as_bytes().to_vec()),
        }
    }

    #[test]
    fn replaces_the_whole_output() {
        let root = tempfile::tempdir().unwrap();
        let out = root.path().join("public");
        write_site(
            root.path(),
            &out,
            &[page("a/index.html", "A"), page("b.txt", "B")],
        )
        .unwrap();
        write_site(root.path(), &out, &[page("a/index.html", "A2")]).unwrap();
        assert_eq!(
            std::fs::read_to_string(out.join("a/index.html")).unwrap(),
            "A2"
        );
        assert!(!out.join("b.txt").exists());
        let leftovers: Vec<_> = std::fs::read_dir(root.path()).unwrap().collect();
        assert_eq!(leftovers.len(), 1, "staging and old folders are cleaned up");
    }

    #[test]
    fn an_update_writes_only_changes_and_removes_what_is_gone() {
        let root = tempfile::tempdir().unwrap();
        let out = root.path().join("public");
        let first = [
            page("a/index.html", "A"),
            page("b/index.html", "B"),
            page("c.txt", "C"),
        ];
        let report = write_site(root.path(), &out, &first).unwrap();
        assert_eq!(report.written, 3);
        let report = write_site(root.path(), &out, &first).unwrap();
        assert_eq!(
            (report.written, report.unchanged, report.removed),
            (0, 3, 0)
        );
        let second = [
            page("a/index.html", "A"),
            page("b/index.html", "B2"),
            page("d/e.txt", "E"),
        ];
        let report = write_site(root.path(), &out, &second).unwrap();
        assert_eq!(
            (report.written, report.unchanged, report.removed),
            (2, 1, 1)
        );
        assert_eq!(
            std::fs::read_to_string(out.join("b/index.html")).unwrap(),
            "B2"
        );
        assert!(!out.join("c.txt").exists());
        let leftovers: Vec<_> = std::fs::read_dir(root.path()).unwrap().collect();
        assert_eq!(leftovers.len(), 1, "no staging folder left");
    }

    #[test]
    fn refuses_to_replace_the_site_itself() {
        let root = tempfile::tempdir().unwrap();
        let err = write_site(root.path(), root.path(), &[]).unwrap_err();
        assert!(err.to_string().contains("refusing"), "{err}");
    }

    #[test]
    fn failed_write_keeps_previous_output() {
        let root = tempfile::tempdir().unwrap();
        let out = root.path().join("public");
        write_site(root.path(), &out, &[page("index.html", "old")]).unwrap();
        let missing = OutputFile {
            path: "copy.css".into(),
            contents: Contents::Static(StaticSource::File(root.path().join("nope.css"))),
        };
        assert!(write_site(root.path(), &out, &[page("index.html", "new"), missing]).is_err());
        assert_eq!(
            std::fs::read_to_string(out.join("index.html")).unwrap(),
            "old"
        );
    }
}
