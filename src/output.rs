//! The `output` stage: writes the rendered site atomically.
//!
//! Architecture invariant: the output folder is only ever replaced whole. Files are written
//! (in parallel) into a staging folder beside it, and only when every write succeeded is the
//! staging folder swapped in by renames. A build that fails at any point — including here —
//! leaves the previous output exactly as it was, and nothing of a deleted article survives a
//! successful build.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use rayon::prelude::*;
use thiserror::Error;

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

/// A staging folder beside the output folder. Files are written into it (from any
/// thread); [`Staging::commit`] swaps it in. Dropped without a commit, it removes itself,
/// so an error anywhere in the build leaves the previous output as it was.
/// Folders of a site that hold sources, never output.
const SOURCE_DIRS: &[&str] = &["content", "seeds", "templates", "static", "themes"];

pub struct Staging {
    dir: PathBuf,
    output_dir: PathBuf,
    committed: bool,
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
        std::fs::create_dir_all(&dir).map_err(io(&dir, "cannot create the staging folder"))?;
        Ok(Staging {
            dir,
            output_dir: output_dir.to_path_buf(),
            committed: false,
        })
    }

    /// Creates the folders of all these files once, up front, rather than once per file.
    pub fn make_dirs<'a>(&self, paths: impl Iterator<Item = &'a str>) -> Result<(), OutputError> {
        let dirs: BTreeSet<&str> = paths
            .filter_map(|p| p.rsplit_once('/').map(|(dir, _)| dir))
            .collect();
        for dir in dirs {
            let path = self.dir.join(dir);
            std::fs::create_dir_all(&path).map_err(io(&path, "cannot create the folder"))?;
        }
        Ok(())
    }

    /// Writes one file; its folder must exist (see [`Staging::make_dirs`]).
    pub fn write(&self, file: &OutputFile) -> Result<(), OutputError> {
        let target = self.dir.join(&file.path);
        match &file.contents {
            Contents::Rendered(bytes) => {
                std::fs::write(&target, bytes).map_err(io(&target, "cannot write"))
            }
            Contents::Static(StaticSource::Embedded(bytes)) => {
                std::fs::write(&target, bytes).map_err(io(&target, "cannot write"))
            }
            Contents::Static(StaticSource::File(source)) => std::fs::copy(source, &target)
                .map(|_| ())
                .map_err(io(source, "cannot copy the static file")),
        }
    }

    /// Replaces the output folder with the staging folder.
    pub fn commit(mut self) -> Result<(), OutputError> {
        let output_dir = self.output_dir.clone();
        if !output_dir.exists() {
            std::fs::rename(&self.dir, &output_dir)
                .map_err(io(&output_dir, "cannot move the new output in place"))?;
            self.committed = true;
            return Ok(());
        }
        let name = output_dir
            .file_name()
            .expect("checked")
            .to_string_lossy()
            .into_owned();
        let old = parent_of(&output_dir).join(format!(".{name}.old-{}", std::process::id()));
        std::fs::rename(&output_dir, &old)
            .map_err(io(&output_dir, "cannot move the previous output aside"))?;
        if let Err(e) = std::fs::rename(&self.dir, &output_dir) {
            // Put the previous output back: a failed build must leave it as it was.
            let _ = std::fs::rename(&old, &output_dir);
            return Err(io(&output_dir, "cannot move the new output in place")(e));
        }
        self.committed = true;
        std::fs::remove_dir_all(&old).map_err(io(&old, "cannot remove the previous output"))
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        if !self.committed {
            let _ = std::fs::remove_dir_all(&self.dir);
        }
    }
}

fn parent_of(path: &Path) -> &Path {
    match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    }
}

/// Replaces `output_dir` with exactly `files`, written in parallel.
pub fn write_site(root: &Path, output_dir: &Path, files: &[OutputFile]) -> Result<(), OutputError> {
    let staging = Staging::create(root, output_dir)?;
    staging.make_dirs(files.iter().map(|f| f.path.as_str()))?;
    files.par_iter().try_for_each(|f| staging.write(f))?;
    staging.commit()
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
