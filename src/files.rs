//! The vocabulary of the files the site writes: what a file of the built site is
//! ([`OutputFile`], made of [`Contents`], maybe copied from a [`StaticSource`]), the stamp a
//! build keeps of a file it wrote ([`FileStamp`]), and the one way Gazette writes a file it
//! keeps outside the output ([`write_whole`]).
//!
//! A leaf: every stage that makes or writes files (images, search, render, output, cache,
//! published, import) names them from here, so none has to reach into another for them.

use std::path::{Path, PathBuf};

/// What a file of the built site consists of.
#[derive(Debug, Clone)]
pub enum Contents {
    Rendered(Vec<u8>),
    Static(StaticSource),
}

/// One file of the built site; `path` is relative to the output folder, `/`-separated.
#[derive(Debug, Clone)]
pub struct OutputFile {
    pub path: String,
    pub contents: Contents,
}

/// Where a static file's bytes come from.
#[derive(Debug, Clone)]
pub enum StaticSource {
    Embedded(&'static [u8]),
    File(PathBuf),
    /// A file Gazette made and never changes in place (a processed image in the image
    /// cache, replaced only by a rename): the output may share it by a hard link.
    Made(PathBuf),
    /// `len` bytes at `offset` of a file Gazette made holding many (a part of the search
    /// index in its cache: one file, not hundreds, per part).
    Packed {
        pack: PathBuf,
        offset: u64,
        len: u64,
    },
}

/// A file's size and modification time (nanoseconds since 1970), as a build saw it when
/// writing or keeping it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct FileStamp {
    pub len: u64,
    pub modified: u128,
}

impl FileStamp {
    pub fn of(meta: &std::fs::Metadata) -> Option<FileStamp> {
        let modified = meta
            .modified()
            .ok()?
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos());
        Some(FileStamp {
            len: meta.len(),
            modified,
        })
    }
}

/// Writes `bytes` to `path` whole or not at all: through a temporary file beside it, renamed
/// over it (an interrupted write never leaves half a file). For the files Gazette keeps
/// outside the output — imported content, a moved article, the image cache (whose files the
/// output links).
///
/// The file gets the mode of the file it replaces, else the usual one (0666 less the
/// umask), not a temporary file's 0600: a web server running as another user must read
/// what is published.
pub fn write_whole(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let dir = path
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    #[cfg(unix)]
    let builder = {
        let mut builder = tempfile::Builder::new();
        builder.permissions(std::os::unix::fs::PermissionsExt::from_mode(0o666));
        builder
    };
    // Elsewhere a new file's permissions are the platform's own.
    #[cfg(not(unix))]
    let builder = tempfile::Builder::new();
    let mut file = builder.tempfile_in(dir)?;
    #[cfg(unix)]
    if let Ok(replaced) = std::fs::metadata(path) {
        file.as_file().set_permissions(replaced.permissions())?;
    }
    std::io::Write::write_all(&mut file, bytes)?;
    file.persist(path).map_err(|e| e.error)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg(unix)]
    #[test]
    fn a_whole_write_has_the_usual_mode_or_keeps_the_replaced_files() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let mode = |name: &str| {
            std::fs::metadata(dir.path().join(name))
                .unwrap()
                .permissions()
                .mode()
                & 0o7777
        };
        // What any program's new file gets here: 0666 less the umask.
        std::fs::write(dir.path().join("usual"), "x").unwrap();
        write_whole(&dir.path().join("new"), b"new").unwrap();
        assert_eq!(mode("new"), mode("usual"));
        let kept = dir.path().join("kept");
        std::fs::write(&kept, "old").unwrap();
        std::fs::set_permissions(&kept, std::fs::Permissions::from_mode(0o640)).unwrap();
        write_whole(&kept, b"new").unwrap();
        assert_eq!(mode("kept"), 0o640);
        assert_eq!(std::fs::read(&kept).unwrap(), b"new");
    }
}
