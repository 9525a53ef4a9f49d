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

/// Replaces `output_dir` with exactly `files`. `root` is the site folder, which the output
/// may never be or contain.
pub fn write_site(root: &Path, output_dir: &Path, files: &[OutputFile]) -> Result<(), OutputError> {
    check_output_dir(root, output_dir)?;
    let name = output_dir
        .file_name()
        .expect("checked: the output folder has a name")
        .to_string_lossy()
        .into_owned();
    let parent = match output_dir.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    std::fs::create_dir_all(parent).map_err(io(parent, "cannot create the folder"))?;
    let pid = std::process::id();
    let staging = parent.join(format!(".{name}.staging-{pid}"));
    let result = write_into(&staging, files)
        .and_then(|()| swap_in(&staging, output_dir, parent, &name, pid));
    if result.is_err() {
        let _ = std::fs::remove_dir_all(&staging);
    }
    result
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
    if let Ok(out) = output_dir.canonicalize()
        && root.starts_with(&out)
    {
        return Err(unsafe_dir(
            "it contains the site itself, which the build would replace",
        ));
    }
    Ok(())
}

fn write_into(staging: &Path, files: &[OutputFile]) -> Result<(), OutputError> {
    if staging.exists() {
        std::fs::remove_dir_all(staging)
            .map_err(io(staging, "cannot remove a stale staging folder"))?;
    }
    std::fs::create_dir_all(staging).map_err(io(staging, "cannot create the staging folder"))?;
    // Create each folder once, up front, rather than once per file.
    let dirs: BTreeSet<&str> = files
        .iter()
        .filter_map(|f| f.path.rsplit_once('/').map(|(dir, _)| dir))
        .collect();
    for dir in dirs {
        let path = staging.join(dir);
        std::fs::create_dir_all(&path).map_err(io(&path, "cannot create the folder"))?;
    }
    files.par_iter().try_for_each(|file| {
        let target = staging.join(&file.path);
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
    })
}

fn swap_in(
    staging: &Path,
    output_dir: &Path,
    parent: &Path,
    name: &str,
    pid: u32,
) -> Result<(), OutputError> {
    if !output_dir.exists() {
        return std::fs::rename(staging, output_dir)
            .map_err(io(output_dir, "cannot move the new output in place"));
    }
    let old = parent.join(format!(".{name}.old-{pid}"));
    std::fs::rename(output_dir, &old)
        .map_err(io(output_dir, "cannot move the previous output aside"))?;
    if let Err(e) = std::fs::rename(staging, output_dir) {
        // Put the previous output back: a failed build must leave it as it was.
        let _ = std::fs::rename(&old, output_dir);
        return Err(io(output_dir, "cannot move the new output in place")(e));
    }
    std::fs::remove_dir_all(&old).map_err(io(&old, "cannot remove the previous output"))
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
