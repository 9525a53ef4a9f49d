//! The `output` stage: writes the rendered site atomically.
//!
//! A build holds the output's lock ([`OutputLock`]) from start to end, so two builds (or
//! a build and a `watch`) never write one output at once. It assembles the complete new
//! site in a staging folder beside the output: new and changed files are written there
//! (in parallel), files whose bytes did not change are hard links to the output's own
//! (no copy, same modification time). The commit is then one step for the whole tree:
//! the staging folder and the output are exchanged (`renameat2(RENAME_EXCHANGE)` on
//! Linux, `renamex_np(RENAME_SWAP)` on macOS) and the old tree, now in the staging
//! folder's place, is deleted. A fresh output is the staging folder renamed into place.
//!
//! Architecture invariants:
//! - A reader of the output, or a build killed at any moment, sees the old site or the
//!   new one, never a mix. Where the exchange is missing (Windows, some network file
//!   systems) the switch is two renames — the output moved aside, the staging folder
//!   moved in — so for that instant the output is absent, still never mixed.
//! - A failed build leaves the previous output exactly as it was: nothing in the output
//!   is touched before every file was rendered and written to staging, and a `Staging`
//!   dropped without a commit deletes itself. Staging folders of killed builds are
//!   deleted by the next build into the same output.
//! - After a commit the output holds exactly the site's files; unchanged files keep
//!   their bytes, inodes and modification times.

use std::collections::HashSet;
use std::io::{Read as _, Write as _};
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

use rayon::prelude::*;
use thiserror::Error;

use crate::files::FileStamp;
use crate::files::{Contents, OutputFile, StaticSource};
use crate::paths::SitePaths;

#[derive(Debug, Error)]
pub enum OutputError {
    #[error("{}: {action}: {source}", path.display())]
    Io {
        path: PathBuf,
        action: &'static str,
        source: std::io::Error,
    },
    #[error(
        "{}: another gazette is writing this output ({holder}); wait for it to finish or stop it",
        output.display()
    )]
    Busy { output: PathBuf, holder: String },
    #[error(
        "{}: cannot replace this folder in one step: it is a mount point, or on another file system than the folder it is in; use a folder inside it as the output (e.g. --output {})",
        output.display(),
        output.join("site").display()
    )]
    NotSwitchable { output: PathBuf },
}

fn io<'a>(path: &'a Path, action: &'static str) -> impl FnOnce(std::io::Error) -> OutputError + 'a {
    move |source| OutputError::Io {
        path: path.to_path_buf(),
        action,
        source,
    }
}

/// The exclusive right to write one output folder, held until dropped (or until the
/// process ends, however it ends: the operating system releases the lock).
#[derive(Debug)]
pub struct OutputLock {
    _file: std::fs::File,
}

impl OutputLock {
    /// Takes the lock beside the output, or fails at once naming the process that holds
    /// it. `holder` says who takes it (`gazette build`), for the message a second one gets.
    pub fn acquire(paths: &SitePaths, holder: &str) -> Result<OutputLock, OutputError> {
        let parent = paths.output_parent();
        std::fs::create_dir_all(parent).map_err(io(parent, "cannot create the folder"))?;
        let path = paths.lock();
        let mut file = std::fs::OpenOptions::new()
            .read(true)
            .write(true)
            .create(true)
            .truncate(false)
            .open(&path)
            .map_err(io(&path, "cannot open the output's lock"))?;
        match file.try_lock() {
            Ok(()) => {}
            Err(std::fs::TryLockError::WouldBlock) => {
                let mut text = String::new();
                let _ = file.read_to_string(&mut text);
                let text = text.trim();
                return Err(OutputError::Busy {
                    output: paths.output.clone(),
                    holder: if text.is_empty() {
                        "a process that did not say which".to_string()
                    } else {
                        text.to_string()
                    },
                });
            }
            Err(std::fs::TryLockError::Error(e)) => {
                return Err(io(&path, "cannot lock the output")(e));
            }
        }
        // Who holds it, for whoever finds it taken; a lock that cannot say still locks.
        let _ = file.set_len(0);
        let _ = write!(file, "{holder}, process {}", std::process::id());
        Ok(OutputLock { _file: file })
    }
}

/// A staging folder beside the output folder, where the complete new site is assembled.
///
/// Files are offered from any thread: [`Staging::write`] with their contents,
/// [`Staging::keep`] for a file the caller knows the output already holds as it should.
/// Dropped without a commit, the staging folder removes itself, so an error anywhere in
/// the build leaves the previous output as it was.
pub struct Staging {
    dir: PathBuf,
    output_dir: PathBuf,
    mode: Mode,
    /// Files carried over from the previous output as they were.
    unchanged: AtomicUsize,
    /// Files the previous output had at the same path, with other bytes.
    replaced: AtomicUsize,
    written: AtomicUsize,
    /// Files of the previous output opened to compare them with the new bytes.
    compared: AtomicUsize,
    /// Output paths written or removed: where the tree this commit replaces will differ
    /// from the new output (what the next [`Spare`] has to bring up to date).
    changed: Mutex<Vec<String>>,
    committed: bool,
}

/// What a staging folder starts from.
enum Mode {
    /// Nothing: there is no previous output, everything is written, and the commit
    /// renames the folder into place.
    Fresh,
    /// Nothing, over a previous output: unchanged files are linked from it.
    Full,
    /// A [`Spare`]: a complete tree that differs from the output only at `differs`, so
    /// only those paths and the ones that change now are touched.
    Spare { differs: HashSet<String> },
}

/// A complete copy of the output beside it (hard links: no bytes copied), which a session
/// keeps between commits. A commit brings it up to date with the paths where it differs
/// and the ones that change now, then exchanges it with the output, and the replaced tree
/// becomes the next spare: a commit costs what changed, not the size of the site.
///
/// Invariant: a spare's files are never written into — they may be the output's own
/// files (hard links) — only replaced or removed.
pub struct Spare {
    dir: PathBuf,
    /// Output paths (relative, `/`-separated) where the spare's file differs from the
    /// output's, or where only one of them has a file.
    differs: HashSet<String>,
}

impl Spare {
    /// The paths where the spare differs from the output.
    pub fn differs(&self) -> &HashSet<String> {
        &self.differs
    }

    /// Deletes the spare.
    pub fn discard(self) {
        let _ = remove_tree(&self.dir);
    }

    /// Keeps the spare beside the output for the next build (at `SitePaths::spare`, in
    /// place of any spare there); returns where it differs from the output, sorted.
    pub fn keep_beside(self, paths: &SitePaths) -> Result<Vec<String>, OutputError> {
        let kept = paths.spare();
        remove_tree(&kept).map_err(io(&kept, "cannot remove the old copy of the output"))?;
        let mut spare = std::mem::ManuallyDrop::new(self);
        let dir = std::mem::take(&mut spare.dir);
        let differs = std::mem::take(&mut spare.differs);
        if let Err(e) = std::fs::rename(&dir, &kept) {
            let _ = remove_tree(&dir);
            return Err(io(&kept, "cannot keep a copy of the output")(e));
        }
        let mut differs: Vec<String> = differs.into_iter().collect();
        differs.sort_unstable();
        Ok(differs)
    }

    /// Deletes the spare a build kept beside the output, if there is one.
    pub fn forget_kept(paths: &SitePaths) {
        let _ = remove_tree(&paths.spare());
    }

    /// Takes the spare the last build kept beside the output, which differs from it at
    /// `differs` (the caller checked both against the build record), moving it where a
    /// staging folder goes first: a build killed while it brings the spare up to date
    /// leaves a staging folder, which the next build deletes, never a spare that is not
    /// what the record says. `None` if it cannot be moved.
    pub fn take_kept(
        paths: &SitePaths,
        _lock: &OutputLock,
        differs: HashSet<String>,
    ) -> Option<Spare> {
        let (parent, prefix) = (paths.output_parent(), paths.staging_prefix());
        remove_abandoned_staging(parent, &prefix);
        let dir = parent.join(format!("{prefix}{}", std::process::id()));
        remove_tree(&dir).ok()?;
        std::fs::rename(paths.spare(), &dir).ok()?;
        Some(Spare { dir, differs })
    }
}

/// The tree a commit replaced, beside the output where staging was: becomes the next
/// [`Spare`] with [`Replaced::into_spare`], which may run on another thread.
pub struct Replaced {
    dir: PathBuf,
    output_dir: PathBuf,
    /// Paths written or removed by the commit.
    changed: Vec<String>,
    /// How the tree came to be; see [`Replaced::into_spare`].
    kind: ReplacedKind,
}

enum ReplacedKind {
    /// There was no previous output: nothing is there yet.
    Nothing,
    /// The previous output as it was, whatever it held.
    Unknown,
    /// A spare the commit brought up to date: it differs from the new output exactly at
    /// the paths the commit changed.
    Known,
}

impl Replaced {
    /// Makes the replaced tree a spare of the output, which holds exactly `site` (its
    /// files): a tree of unknown contents is pruned of what the site does not have, and
    /// where there was none, one is made of links to the output's files.
    pub fn into_spare(self, site: &HashSet<String>) -> Result<Spare, OutputError> {
        self.into_spare_counting(site).map(|(spare, _)| spare)
    }

    /// [`Replaced::into_spare`], also returning how many files of a tree of unknown
    /// contents the site no longer has (pruned from it; 0 for the other kinds).
    pub fn into_spare_counting(
        self,
        site: &HashSet<String>,
    ) -> Result<(Spare, usize), OutputError> {
        let dir = self.dir.clone();
        let unreadable = |e| io(&dir, "cannot prepare a copy of the output")(e);
        match self.kind {
            ReplacedKind::Known => Ok((
                Spare {
                    dir: self.dir,
                    differs: self.changed.into_iter().collect(),
                },
                0,
            )),
            ReplacedKind::Unknown => {
                let removed = prune(&self.dir, site).map_err(unreadable)?;
                Ok((
                    Spare {
                        dir: self.dir,
                        differs: self.changed.into_iter().collect(),
                    },
                    removed,
                ))
            }
            ReplacedKind::Nothing => {
                copy_as_links(&self.output_dir, &self.dir, site).map_err(unreadable)?;
                Ok((
                    Spare {
                        dir: self.dir,
                        differs: HashSet::new(),
                    },
                    0,
                ))
            }
        }
    }

    /// Whether it becomes a spare at once (its differences from the output are known).
    pub fn is_known(&self) -> bool {
        matches!(self.kind, ReplacedKind::Known)
    }

    /// Deletes the replaced tree; returns how many files it held.
    fn discard(self) -> Result<usize, OutputError> {
        remove_tree(&self.dir).map_err(io(&self.dir, "cannot remove the old output"))
    }
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
    /// Files of the previous output opened to compare them with the new bytes (the
    /// others were new, or carried over by a recorded signature).
    pub compared: usize,
}

impl Staging {
    /// Creates an empty staging folder for the output; `_lock` shows the caller holds it.
    pub fn create(paths: &SitePaths, _lock: &OutputLock) -> Result<Staging, OutputError> {
        let parent = paths.output_parent();
        let prefix = paths.staging_prefix();
        remove_abandoned_staging(parent, &prefix);
        let dir = parent.join(format!("{prefix}{}", std::process::id()));
        if dir.exists() {
            remove_tree(&dir).map_err(io(&dir, "cannot remove a stale staging folder"))?;
        }
        std::fs::create_dir_all(&dir).map_err(io(&dir, "cannot create the staging folder"))?;
        let mode = if paths.output.is_dir() {
            Mode::Full
        } else {
            Mode::Fresh
        };
        Ok(Staging::over(dir, paths, mode))
    }

    /// Stages the new site in `spare`, touching only what differs.
    pub fn reuse(paths: &SitePaths, _lock: &OutputLock, spare: Spare) -> Staging {
        let mut spare = std::mem::ManuallyDrop::new(spare);
        let dir = std::mem::take(&mut spare.dir);
        let differs = std::mem::take(&mut spare.differs);
        Staging::over(dir, paths, Mode::Spare { differs })
    }

    fn over(dir: PathBuf, paths: &SitePaths, mode: Mode) -> Staging {
        Staging {
            dir,
            output_dir: paths.output.clone(),
            mode,
            unchanged: AtomicUsize::new(0),
            replaced: AtomicUsize::new(0),
            written: AtomicUsize::new(0),
            compared: AtomicUsize::new(0),
            changed: Mutex::new(Vec::new()),
            committed: false,
        }
    }

    /// Whether a previous output is being updated (rather than a new one written).
    pub fn updates(&self) -> bool {
        !matches!(self.mode, Mode::Fresh)
    }

    /// Whether this stages into a spare (see [`Spare`]).
    pub fn reuses(&self) -> bool {
        matches!(self.mode, Mode::Spare { .. })
    }

    /// The paths where the spare being brought up to date differs from the output.
    pub fn differing(&self) -> impl Iterator<Item = &str> {
        let differs = match &self.mode {
            Mode::Spare { differs } => Some(differs),
            _ => None,
        };
        differs.into_iter().flatten().map(String::as_str)
    }

    /// Whether the spare's file at `path` may differ from the output's.
    fn differs(&self, path: &str) -> bool {
        match &self.mode {
            Mode::Spare { differs } => differs.contains(path),
            _ => true,
        }
    }

    /// Creates the folders of all these files once, up front, rather than once per file
    /// (a spare has them already, but for new paths, which are made as they come).
    pub fn make_dirs<'a>(&self, paths: impl Iterator<Item = &'a str>) -> Result<(), OutputError> {
        if self.reuses() {
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
                    return Err(self.named(io(&path, "cannot create the folder")(e)));
                }
                _ => {}
            }
        }
        Ok(())
    }

    /// Offers one file of the new site (its folder made by [`Staging::make_dirs`]): linked
    /// from the output if that already has it byte for byte, else written. Returns its
    /// size and modification time, for the build cache (`None` if the file system did
    /// not say).
    pub fn write(&self, file: &OutputFile) -> Result<Option<FileStamp>, OutputError> {
        let target = self.dir.join(&file.path);
        if self.updates() {
            let current = self.output_dir.join(&file.path);
            let same = same_contents(&current, &file.contents)?;
            if !matches!(same, Same::Absent) {
                self.compared.fetch_add(1, Ordering::Relaxed);
            }
            match same {
                Same::Yes(stamp) => {
                    if self.differs(&file.path) {
                        self.link(&file.path, &current, &target)?;
                    }
                    self.unchanged.fetch_add(1, Ordering::Relaxed);
                    return Ok(Some(stamp));
                }
                Same::Differs => {
                    self.replaced.fetch_add(1, Ordering::Relaxed);
                }
                Same::Absent => {}
            }
            self.note_change(&file.path);
        }
        self.written.fetch_add(1, Ordering::Relaxed);
        if self.reuses() {
            self.clear_the_way(&file.path, &target)?;
        }
        let stamp = match &file.contents {
            Contents::Rendered(bytes) => write_new(&target, bytes),
            Contents::Static(StaticSource::Embedded(bytes)) => write_new(&target, bytes),
            Contents::Static(StaticSource::File(source)) => {
                std::fs::copy(source, &target)
                    .map_err(io(source, "cannot copy the static file"))?;
                Ok(std::fs::metadata(&target)
                    .ok()
                    .and_then(|m| FileStamp::of(&m)))
            }
            Contents::Static(StaticSource::Packed { pack, offset, len }) => {
                let bytes = read_packed(pack, *offset, *len)?;
                write_new(&target, &bytes)
            }
            // Linked where the file system allows (a user's own files are copied: an edit
            // in place must not reach the published site before a build does).
            Contents::Static(StaticSource::Made(source)) => {
                if std::fs::hard_link(source, &target).is_err() {
                    std::fs::copy(source, &target)
                        .map_err(io(source, "cannot copy the processed file"))?;
                }
                Ok(std::fs::metadata(&target)
                    .ok()
                    .and_then(|m| FileStamp::of(&m)))
            }
        };
        stamp.map_err(|e| self.named(e))
    }

    /// Carries a file of the previous output over unchanged: the caller knows it holds
    /// what the new site has at `path` (its page's signature was recorded).
    pub fn keep(&self, path: &str) -> Result<(), OutputError> {
        if self.differs(path) {
            self.link(path, &self.output_dir.join(path), &self.dir.join(path))?;
        }
        self.unchanged.fetch_add(1, Ordering::Relaxed);
        Ok(())
    }

    /// Removes from a spare a file the new site does not have (a spare holds what the
    /// output held); `was_output` says whether the output has it, for the report.
    pub fn remove(&self, path: &str, was_output: bool) -> Result<(), OutputError> {
        let target = self.dir.join(path);
        match std::fs::remove_file(&target) {
            Ok(()) => {}
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => return Err(self.named(io(&target, "cannot remove")(e))),
        }
        // Folders it leaves empty go too, deepest first; one that holds more stays.
        let mut rest = path;
        while let Some((dir, _)) = rest.rsplit_once('/') {
            if std::fs::remove_dir(self.dir.join(dir)).is_err() {
                break;
            }
            rest = dir;
        }
        if was_output {
            self.note_change(path);
        }
        Ok(())
    }

    fn note_change(&self, path: &str) {
        if self.updates() {
            self.changed
                .lock()
                .expect("no thread panics while holding this lock")
                .push(path.to_string());
        }
    }

    /// In a spare: makes room for a new file at `target` — never written into, since it
    /// may be the output's own file — and makes its folder if the path is new.
    fn clear_the_way(&self, path: &str, target: &Path) -> Result<(), OutputError> {
        match std::fs::remove_file(target) {
            Ok(()) => Ok(()),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                let parent = target.parent().unwrap_or(&self.dir);
                std::fs::create_dir_all(parent)
                    .map_err(|e| self.named(io(parent, "cannot create the folder")(e)))
            }
            Err(e) => Err(self.named(io(Path::new(path), "cannot replace")(e))),
        }
    }

    /// Puts `current` (in the output) at `target` (in staging): a hard link, or a copy
    /// where the file system has none. In a spare, what was there goes first.
    fn link(&self, path: &str, current: &Path, target: &Path) -> Result<(), OutputError> {
        if self.reuses() {
            self.clear_the_way(path, target)?;
        }
        if std::fs::hard_link(current, target).is_ok() {
            return Ok(());
        }
        std::fs::copy(current, target)
            .map(|_| ())
            .map_err(|e| self.named(io(Path::new(path), "cannot carry over")(e)))
    }

    /// An error about a path in staging, told as the path in the output the user knows.
    fn named(&self, error: OutputError) -> OutputError {
        match error {
            OutputError::Io {
                path,
                action,
                source,
            } => OutputError::Io {
                path: match path.strip_prefix(&self.dir) {
                    Ok(relative) => self.output_dir.join(relative),
                    Err(_) if path.is_relative() => self.output_dir.join(path),
                    Err(_) => path,
                },
                action,
                source,
            },
            other => other,
        }
    }

    /// Makes the output folder the staged site, in one step (see the module's doc), and
    /// deletes the tree it replaced: every file of the new site must have been offered.
    pub fn commit(self) -> Result<WriteReport, OutputError> {
        let rewritten = self.replaced.load(Ordering::Relaxed);
        let (mut report, replaced) = self.commit_keeping()?;
        if let Some(replaced) = replaced {
            let known = matches!(replaced.kind, ReplacedKind::Known);
            let old = replaced.discard()?;
            if !known {
                // What the old site had beyond what was carried over or rewritten is what
                // the site no longer has.
                report.removed = old.saturating_sub(report.unchanged + rewritten);
            }
        }
        Ok(report)
    }

    /// [`Staging::commit`], keeping the replaced tree (to become the next [`Spare`]); in
    /// the report, `removed` counts only removals from a spare (what else the replaced
    /// tree held is not known without reading it).
    pub fn commit_keeping(mut self) -> Result<(WriteReport, Option<Replaced>), OutputError> {
        let written = self.written.load(Ordering::Relaxed);
        let unchanged = self.unchanged.load(Ordering::Relaxed);
        let kind = match &self.mode {
            Mode::Fresh => ReplacedKind::Nothing,
            Mode::Full => ReplacedKind::Unknown,
            Mode::Spare { .. } => ReplacedKind::Known,
        };
        if matches!(kind, ReplacedKind::Nothing) {
            std::fs::rename(&self.dir, &self.output_dir)
                .map_err(io(&self.output_dir, "cannot move the new output in place"))?;
        } else {
            switch(&self.dir, &self.output_dir)?;
        }
        self.committed = true;
        let changed = std::mem::take(
            &mut *self
                .changed
                .lock()
                .expect("no thread panics while holding this lock"),
        );
        let removed = match kind {
            // Removals were noted as they happened, beside the files written.
            ReplacedKind::Known => changed.len() - written.min(changed.len()),
            _ => 0,
        };
        let report = WriteReport {
            written,
            unchanged,
            removed,
            compared: self.compared.load(Ordering::Relaxed),
        };
        Ok((
            report,
            Some(Replaced {
                dir: std::mem::take(&mut self.dir),
                output_dir: self.output_dir.clone(),
                changed,
                kind,
            }),
        ))
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        if !self.committed {
            let _ = remove_tree(&self.dir);
        }
    }
}

impl Drop for Spare {
    fn drop(&mut self) {
        if !self.dir.as_os_str().is_empty() {
            let _ = remove_tree(&self.dir);
        }
    }
}

/// Deletes everything below `dir` that is neither a file of `site` nor a folder leading
/// to one. Top-level entries are pruned in parallel: a news site has a folder per article.
fn prune(dir: &Path, site: &HashSet<String>) -> std::io::Result<usize> {
    let mut folders: HashSet<&str> = HashSet::new();
    for path in site {
        let mut rest = path.as_str();
        while let Some((folder, _)) = rest.rsplit_once('/') {
            if !folders.insert(folder) {
                break;
            }
            rest = folder;
        }
    }
    fn walk(
        path: &Path,
        relative: &str,
        site: &HashSet<String>,
        folders: &HashSet<&str>,
    ) -> std::io::Result<usize> {
        let mut removed = 0;
        for entry in std::fs::read_dir(path)? {
            let entry = entry?;
            let name = entry.file_name();
            let name = name.to_string_lossy();
            let child = if relative.is_empty() {
                name.into_owned()
            } else {
                format!("{relative}/{name}")
            };
            if entry.file_type()?.is_dir() {
                removed += if folders.contains(child.as_str()) {
                    walk(&entry.path(), &child, site, folders)?
                } else {
                    remove_tree(&entry.path())?
                };
            } else if !site.contains(&child) {
                std::fs::remove_file(entry.path())?;
                removed += 1;
            }
        }
        Ok(removed)
    }
    let top: Vec<std::fs::DirEntry> = std::fs::read_dir(dir)?.collect::<Result<_, _>>()?;
    top.par_iter()
        .map(|entry| {
            let name = entry.file_name().to_string_lossy().into_owned();
            if entry.file_type()?.is_dir() {
                if folders.contains(name.as_str()) {
                    walk(&entry.path(), &name, site, &folders)
                } else {
                    remove_tree(&entry.path())
                }
            } else if site.contains(&name) {
                Ok(0)
            } else {
                std::fs::remove_file(entry.path()).map(|()| 1)
            }
        })
        .try_reduce(|| 0, |a, b| Ok(a + b))
}

/// Makes `copy` a tree of hard links to `site`'s files in `output` (copies where the file
/// system has no links).
fn copy_as_links(output: &Path, copy: &Path, site: &HashSet<String>) -> std::io::Result<()> {
    std::fs::create_dir_all(copy)?;
    let mut paths: Vec<&str> = site.iter().map(String::as_str).collect();
    paths.sort_unstable();
    let mut made: HashSet<&str> = HashSet::new();
    for path in &paths {
        if let Some((folder, _)) = path.rsplit_once('/')
            && made.insert(folder)
        {
            std::fs::create_dir_all(copy.join(folder))?;
        }
    }
    paths.par_iter().try_for_each(|path| {
        let (from, to) = (output.join(path), copy.join(path));
        std::fs::hard_link(&from, &to).or_else(|_| std::fs::copy(&from, &to).map(|_| ()))
    })
}

/// Exchanges the staged site and the output in one step where the system can, else
/// moves the output aside and the staged site in (putting the output back if that fails).
fn switch(staged: &Path, output: &Path) -> Result<(), OutputError> {
    #[cfg(any(target_os = "linux", target_os = "android", target_vendor = "apple"))]
    {
        use rustix::fs::{CWD, RenameFlags, renameat_with};
        match renameat_with(CWD, staged, CWD, output, RenameFlags::EXCHANGE) {
            Ok(()) => return Ok(()),
            // Not supported by this kernel or file system: the fallback below.
            Err(e) if e == rustix::io::Errno::INVAL || e == rustix::io::Errno::NOSYS => {}
            Err(e) if e == rustix::io::Errno::BUSY || e == rustix::io::Errno::XDEV => {
                return Err(OutputError::NotSwitchable {
                    output: output.to_path_buf(),
                });
            }
            Err(e) => {
                return Err(io(output, "cannot switch to the new output")(e.into()));
            }
        }
    }
    let mut aside = staged.as_os_str().to_os_string();
    aside.push(".old");
    let aside = PathBuf::from(aside);
    std::fs::rename(output, &aside).map_err(|e| {
        if e.kind() == std::io::ErrorKind::CrossesDevices
            || e.kind() == std::io::ErrorKind::ResourceBusy
        {
            OutputError::NotSwitchable {
                output: output.to_path_buf(),
            }
        } else {
            io(output, "cannot move the old output aside")(e)
        }
    })?;
    if let Err(e) = std::fs::rename(staged, output) {
        let _ = std::fs::rename(&aside, output);
        return Err(io(output, "cannot move the new output in place")(e));
    }
    std::fs::rename(&aside, staged).map_err(io(&aside, "cannot remove the old output"))
}

/// Deletes a folder and everything below it, the top-level entries in parallel (a news
/// site has a folder per article); returns how many files (non-folders) it held.
fn remove_tree(dir: &Path) -> std::io::Result<usize> {
    let entries: Vec<(PathBuf, bool)> = match std::fs::read_dir(dir) {
        Ok(entries) => entries
            .map(|e| e.and_then(|e| Ok((e.path(), e.file_type()?.is_dir()))))
            .collect::<Result<_, _>>()?,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(0),
        Err(e) => return Err(e),
    };
    let files = entries
        .par_iter()
        .map(|(path, is_dir)| -> std::io::Result<usize> {
            if !is_dir {
                std::fs::remove_file(path)?;
                return Ok(1);
            }
            let mut files = 0;
            for entry in walkdir::WalkDir::new(path).contents_first(true) {
                let entry = entry.map_err(std::io::Error::other)?;
                if entry.file_type().is_dir() {
                    std::fs::remove_dir(entry.path())?;
                } else {
                    std::fs::remove_file(entry.path())?;
                    files += 1;
                }
            }
            Ok(files)
        })
        .try_reduce(|| 0, |a, b| Ok(a + b))?;
    std::fs::remove_dir(dir)?;
    Ok(files)
}

/// A checksum of the site in `dir`: every file's path below it and bytes (FNV-1a, stable
/// across builds and releases, so a deploy can compare it with the last one's). Two
/// outputs with the same files, byte for byte, have the same digest; symbolic links and
/// empty folders count for nothing (a build writes neither).
pub fn digest(dir: &Path) -> Result<u64, OutputError> {
    let mut files = Vec::new();
    for entry in walkdir::WalkDir::new(dir).sort_by_file_name() {
        let entry = entry.map_err(|e| {
            let path = e.path().unwrap_or(dir).to_path_buf();
            io(&path, "cannot read")(e.into())
        })?;
        if entry.file_type().is_file() {
            files.push(entry.into_path());
        }
    }
    let sums: Vec<u64> = files
        .par_iter()
        .map(|file| {
            let bytes = std::fs::read(file).map_err(io(file, "cannot read"))?;
            Ok(crate::hash::fnv1a(&bytes))
        })
        .collect::<Result<_, OutputError>>()?;
    let mut list = Vec::new();
    for (file, sum) in files.iter().zip(sums) {
        let relative = file.strip_prefix(dir).unwrap_or(file);
        list.extend_from_slice(relative.to_string_lossy().as_bytes());
        list.push(0);
        list.extend_from_slice(&sum.to_le_bytes());
    }
    Ok(crate::hash::fnv1a(&list))
}

/// Writes a new file; returns its stamp, taken from the open file rather than by path.
fn write_new(target: &Path, bytes: &[u8]) -> Result<Option<FileStamp>, OutputError> {
    use std::io::Write;
    let mut file = std::fs::File::create(target).map_err(io(target, "cannot write"))?;
    file.write_all(bytes).map_err(io(target, "cannot write"))?;
    Ok(file.metadata().ok().and_then(|m| FileStamp::of(&m)))
}

/// Whether a file of the previous output holds the bytes a new file has.
enum Same {
    Yes(FileStamp),
    Differs,
    /// No such file (or one whose stamp the file system does not give).
    Absent,
}

/// Whether `path` already holds exactly `contents` (sizes first, so most changes cost a
/// `stat` and no read); if so, its stamp.
fn same_contents(path: &Path, contents: &Contents) -> Result<Same, OutputError> {
    let Ok(mut file) = std::fs::File::open(path) else {
        return Ok(Same::Absent);
    };
    let Some(meta) = file.metadata().ok().filter(std::fs::Metadata::is_file) else {
        return Ok(Same::Absent);
    };
    let Some(stamp) = FileStamp::of(&meta) else {
        return Ok(Same::Absent);
    };
    let new: std::borrow::Cow<[u8]> = match contents {
        // The made file itself (a hard link to it): nothing to read.
        Contents::Static(StaticSource::Made(source)) if is_same_file(&meta, source) => {
            return Ok(Same::Yes(stamp));
        }
        Contents::Rendered(bytes) => bytes.into(),
        Contents::Static(StaticSource::Embedded(bytes)) => (*bytes).into(),
        Contents::Static(StaticSource::File(source) | StaticSource::Made(source)) => {
            let source_meta =
                std::fs::metadata(source).map_err(io(source, "cannot read the static file"))?;
            if source_meta.len() != meta.len() {
                return Ok(Same::Differs);
            }
            std::fs::read(source)
                .map_err(io(source, "cannot read the static file"))?
                .into()
        }
        Contents::Static(StaticSource::Packed { pack, offset, len }) => {
            if *len != meta.len() {
                return Ok(Same::Differs);
            }
            read_packed(pack, *offset, *len)?.into()
        }
    };
    if new.len() as u64 == meta.len() && reads_as(&mut file, &new) {
        Ok(Same::Yes(stamp))
    } else {
        Ok(Same::Differs)
    }
}

/// Whether `other` is the file `meta` describes (on Unix: the same device and inode, as
/// a hard link is); `false` where that cannot be told.
fn is_same_file(meta: &std::fs::Metadata, other: &Path) -> bool {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        std::fs::metadata(other).is_ok_and(|o| o.dev() == meta.dev() && o.ino() == meta.ino())
    }
    #[cfg(not(unix))]
    {
        let _ = (meta, other);
        false
    }
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
/// killed (`<prefix><pid>` whose process is gone). Only where `/proc` tells which
/// processes run; a folder that cannot be removed stays, and costs nothing but space.
fn remove_abandoned_staging(parent: &Path, prefix: &str) {
    if !Path::new("/proc/self").exists() {
        return;
    }
    let Ok(entries) = std::fs::read_dir(parent) else {
        return;
    };
    for entry in entries.flatten() {
        let file_name = entry.file_name();
        let Some(rest) = file_name.to_str().and_then(|n| n.strip_prefix(prefix)) else {
            continue;
        };
        // `<pid>`, or `<pid>.old` where a switch without exchange was cut short.
        let pid = rest.strip_suffix(".old").unwrap_or(rest);
        if pid.bytes().all(|b| b.is_ascii_digit()) && !Path::new("/proc").join(pid).exists() {
            let _ = remove_tree(&entry.path());
        }
    }
}

/// The `len` bytes at `offset` of `pack` (see `StaticSource::Packed`). A pack's files come
/// one after another in the site's list, so each thread keeps the last pack it read open
/// (on Unix) and reads each file with one `pread`, not an open, a seek, a read and a close
/// (a search index has thousands of files in tens of packs). A pack is named by its bytes
/// and replaced only whole, by a rename: a file kept open reads what its name stands for.
fn read_packed(pack: &Path, offset: u64, len: u64) -> Result<Vec<u8>, OutputError> {
    #[cfg(unix)]
    let read = || -> std::io::Result<Vec<u8>> {
        use std::os::unix::fs::FileExt;
        thread_local! {
            static OPEN: std::cell::RefCell<Option<(PathBuf, std::fs::File)>> =
                const { std::cell::RefCell::new(None) };
        }
        OPEN.with_borrow_mut(|open| {
            let file = match open {
                Some((path, file)) if path == pack => file,
                _ => {
                    &open
                        .insert((pack.to_path_buf(), std::fs::File::open(pack)?))
                        .1
                }
            };
            let mut bytes = vec![0; usize::try_from(len).map_err(std::io::Error::other)?];
            file.read_exact_at(&mut bytes, offset)?;
            Ok(bytes)
        })
    };
    #[cfg(not(unix))]
    let read = || -> std::io::Result<Vec<u8>> {
        use std::io::{Read, Seek, SeekFrom};
        let mut file = std::fs::File::open(pack)?;
        file.seek(SeekFrom::Start(offset))?;
        let mut bytes = vec![0; usize::try_from(len).map_err(std::io::Error::other)?];
        file.read_exact(&mut bytes)?;
        Ok(bytes)
    };
    read().map_err(io(pack, "cannot read the generated file"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn packed_files_are_read_from_the_right_pack_as_threads_switch_between_packs() {
        let dir = tempfile::tempdir().unwrap();
        let (a, b) = (dir.path().join("a.pack"), dir.path().join("b.pack"));
        std::fs::write(&a, b"0123456789").unwrap();
        std::fs::write(&b, b"abcdefghij").unwrap();
        for (pack, offset, len, expected) in [
            (&a, 2, 3, &b"234"[..]),
            (&a, 0, 0, b""),
            (&b, 7, 3, b"hij"),
            (&a, 9, 1, b"9"),
            (&b, 0, 10, b"abcdefghij"),
        ] {
            assert_eq!(read_packed(pack, offset, len).unwrap(), expected);
        }
        // Past its end: an error naming the pack, not a panic.
        let error = read_packed(&b, 8, 5).unwrap_err().to_string();
        assert!(error.contains("b.pack"), "{error}");
        assert!(read_packed(&dir.path().join("gone.pack"), 0, 1).is_err());
    }

    #[test]
    fn a_file_is_the_same_only_if_every_byte_is() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("page.html");
        // Longer than the comparison buffer, so the difference is in a later piece.
        let text: Vec<u8> = (0..200_000u32).map(|i| (i % 251) as u8).collect();
        std::fs::write(&path, &text).unwrap();
        let same = |contents: &[u8]| {
            matches!(
                same_contents(&path, &Contents::Rendered(contents.to_vec())).unwrap(),
                Same::Yes(_)
            )
        };
        assert!(same(&text));
        let mut changed = text.clone();
        changed[150_000] ^= 1;
        assert!(!same(&changed), "same length, one byte differs");
        assert!(!same(&text[..199_999]), "shorter");
        assert!(!same(b""), "empty");
        assert!(matches!(
            same_contents(&dir.path().join("missing.html"), &Contents::Rendered(text)).unwrap(),
            Same::Absent
        ));
    }

    #[cfg(unix)]
    #[test]
    fn a_hard_link_is_the_same_file_and_a_copy_is_not() {
        let dir = tempfile::tempdir().unwrap();
        let made = dir.path().join("made.jpg");
        std::fs::write(&made, b"image").unwrap();
        let (link, copy) = (dir.path().join("link.jpg"), dir.path().join("copy.jpg"));
        std::fs::hard_link(&made, &link).unwrap();
        std::fs::copy(&made, &copy).unwrap();
        let meta = |p: &Path| std::fs::metadata(p).unwrap();
        assert!(is_same_file(&meta(&link), &made));
        assert!(!is_same_file(&meta(&copy), &made));
        assert!(!is_same_file(&meta(&copy), &dir.path().join("missing.jpg")));
    }

    fn page(path: &str, text: &str) -> OutputFile {
        OutputFile {
            path: path.into(),
            contents: Contents::Rendered(text.as_bytes().to_vec()),
        }
    }

    /// Makes the output of a default site in `root` hold exactly `files`.
    fn write_site(root: &Path, files: &[OutputFile]) -> Result<WriteReport, OutputError> {
        let paths = SitePaths::with_defaults(root);
        let lock = OutputLock::acquire(&paths, "a test")?;
        let staging = Staging::create(&paths, &lock)?;
        staging.make_dirs(files.iter().map(|f| f.path.as_str()))?;
        files
            .par_iter()
            .try_for_each(|f| staging.write(f).map(|_| ()))?;
        staging.commit()
    }

    /// What is beside the output: the lock, the output, nothing else.
    fn beside(root: &Path) -> Vec<String> {
        let mut names: Vec<String> = std::fs::read_dir(root)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    }

    #[test]
    fn replaces_the_whole_output() {
        let root = tempfile::tempdir().unwrap();
        let out = root.path().join("public");
        write_site(
            root.path(),
            &[page("a/index.html", "A"), page("b.txt", "B")],
        )
        .unwrap();
        write_site(root.path(), &[page("a/index.html", "A2")]).unwrap();
        assert_eq!(
            std::fs::read_to_string(out.join("a/index.html")).unwrap(),
            "A2"
        );
        assert!(!out.join("b.txt").exists());
        assert_eq!(beside(root.path()), [".public.lock", "public"]);
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
        let report = write_site(root.path(), &first).unwrap();
        assert_eq!(report.written, 3);
        // An unchanged file is carried over as the same file (a hard link), not a copy.
        #[cfg(unix)]
        let inode = |p: &str| {
            use std::os::unix::fs::MetadataExt;
            std::fs::metadata(out.join(p)).unwrap().ino()
        };
        #[cfg(unix)]
        let a = inode("a/index.html");
        let report = write_site(root.path(), &first).unwrap();
        assert_eq!(
            (report.written, report.unchanged, report.removed),
            (0, 3, 0)
        );
        let second = [
            page("a/index.html", "A"),
            page("b/index.html", "B2"),
            page("d/e.txt", "E"),
        ];
        let report = write_site(root.path(), &second).unwrap();
        assert_eq!(
            (report.written, report.unchanged, report.removed),
            (2, 1, 1)
        );
        #[cfg(unix)]
        assert_eq!(inode("a/index.html"), a, "the same file");
        assert_eq!(
            std::fs::read_to_string(out.join("b/index.html")).unwrap(),
            "B2"
        );
        assert!(!out.join("c.txt").exists());
        assert_eq!(beside(root.path()), [".public.lock", "public"]);
    }

    #[test]
    fn a_failed_write_names_the_output_path_not_the_staging_folder() {
        let root = tempfile::tempdir().unwrap();
        let paths = SitePaths::with_defaults(root.path());
        let lock = OutputLock::acquire(&paths, "a test").unwrap();
        let staging = Staging::create(&paths, &lock).unwrap();
        // No folder made for it: the write fails as a full disk or a lost folder would.
        let err = staging
            .write(&page("deep/folder/index.html", "x"))
            .unwrap_err()
            .to_string();
        assert!(err.contains("public/deep/folder/index.html"), "{err}");
        assert!(!err.contains("staging"), "{err}");
    }

    #[test]
    fn a_second_writer_is_refused_naming_the_first() {
        let root = tempfile::tempdir().unwrap();
        let paths = SitePaths::with_defaults(root.path());
        let _held = OutputLock::acquire(&paths, "gazette watch").unwrap();
        let err = OutputLock::acquire(&paths, "gazette build")
            .unwrap_err()
            .to_string();
        assert!(err.contains("another gazette is writing"), "{err}");
        assert!(
            err.contains(&format!("gazette watch, process {}", std::process::id())),
            "{err}"
        );
        drop(_held);
        OutputLock::acquire(&paths, "gazette build").unwrap();
    }

    #[test]
    fn failed_write_keeps_previous_output() {
        let root = tempfile::tempdir().unwrap();
        let out = root.path().join("public");
        write_site(root.path(), &[page("index.html", "old")]).unwrap();
        let missing = OutputFile {
            path: "copy.css".into(),
            contents: Contents::Static(StaticSource::File(root.path().join("nope.css"))),
        };
        assert!(write_site(root.path(), &[page("index.html", "new"), missing]).is_err());
        assert_eq!(
            std::fs::read_to_string(out.join("index.html")).unwrap(),
            "old"
        );
        assert_eq!(beside(root.path()), [".public.lock", "public"]);
    }
}
