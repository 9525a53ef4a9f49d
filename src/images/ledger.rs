//! The ledger of the image cache: each file's stamp (size, modification time and, on Unix,
//! inode) as the build that made it saw it, kept beside the cache folder
//! (`image-ledger`).
//!
//! The output shares the cache's files by hard links, so a file edited in place in the
//! output is edited in the cache too. A cache file is used only while its stamp is the
//! ledger's: one edited in place (its time changes), replaced (its inode changes), or
//! made by a build that was killed before it wrote the ledger is made again, never
//! published as it is.
//!
//! Invariant: failing to read or write the ledger only costs time (files it does not
//! vouch for are made again); it never makes an untrusted file trusted.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

use crate::files::FileStamp;

/// What a cache file looked like when it was made: the stamp every build record keeps,
/// and the inode, so that a file replaced by another of the same size and time is told
/// apart.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Stamp {
    file: FileStamp,
    /// 0 where the platform has no inodes.
    inode: u64,
}

impl Stamp {
    fn of(path: &Path) -> Option<Stamp> {
        let meta = std::fs::symlink_metadata(path).ok()?;
        if !meta.is_file() {
            return None;
        }
        #[cfg(unix)]
        let inode = std::os::unix::fs::MetadataExt::ino(&meta);
        #[cfg(not(unix))]
        let inode = 0;
        Some(Stamp {
            file: FileStamp::of(&meta)?,
            inode,
        })
    }
}

/// The stamps of the cache's files, by file name.
#[derive(Debug, Default)]
pub struct Ledger {
    stamps: HashMap<String, Stamp>,
}

/// The ledger's file, beside the cache folder.
fn ledger_file(cache_dir: &Path) -> PathBuf {
    cache_dir.with_file_name("image-ledger")
}

impl Ledger {
    /// The ledger the last build left (lines of name, size, time, inode; anything
    /// unreadable is left out, so its file is made again).
    pub fn read(cache_dir: &Path) -> Ledger {
        let Ok(text) = std::fs::read_to_string(ledger_file(cache_dir)) else {
            return Ledger::default();
        };
        let stamps = text
            .lines()
            .filter_map(|line| {
                let fields: Vec<&str> = line.split('\t').collect();
                let [name, len, modified, inode] = fields[..] else {
                    return None;
                };
                let file = FileStamp {
                    len: len.parse().ok()?,
                    modified: modified.parse().ok()?,
                };
                let stamp = Stamp {
                    file,
                    inode: inode.parse().ok()?,
                };
                Some((name.to_string(), stamp))
            })
            .collect();
        Ledger { stamps }
    }

    /// Whether `file` (in the cache folder) is as the build that made it left it.
    pub fn vouches_for(&self, file: &Path) -> bool {
        let recorded = file
            .file_name()
            .and_then(|n| n.to_str())
            .and_then(|name| self.stamps.get(name));
        recorded.is_some_and(|recorded| Stamp::of(file).as_ref() == Some(recorded))
    }

    /// Records `file` as just made (left out if it cannot be read: made again next time).
    pub fn record(&mut self, file: &Path) {
        let name = file.file_name().and_then(|n| n.to_str());
        if let (Some(name), Some(stamp)) = (name, Stamp::of(file)) {
            self.stamps.insert(name.to_string(), stamp);
        }
    }

    /// Writes the ledger of the files in `used` (names), failing quietly (see the module's
    /// invariant).
    pub fn write(&self, cache_dir: &Path, used: &HashSet<&str>) {
        let mut lines: Vec<String> = self
            .stamps
            .iter()
            .filter(|(name, _)| used.contains(name.as_str()) && !name.contains(['\t', '\n']))
            .map(|(name, s)| {
                let FileStamp { len, modified } = s.file;
                format!("{name}\t{len}\t{modified}\t{}\n", s.inode)
            })
            .collect();
        lines.sort_unstable();
        let _ = crate::files::write_whole(&ledger_file(cache_dir), lines.concat().as_bytes());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_is_vouched_for_only_as_it_was_recorded() {
        let root = tempfile::tempdir().unwrap();
        let cache = root.path().join("images");
        std::fs::create_dir(&cache).unwrap();
        let file = cache.join("0123.jpg");
        std::fs::write(&file, b"made").unwrap();
        let mut ledger = Ledger::default();
        assert!(!ledger.vouches_for(&file), "not recorded");
        ledger.record(&file);
        assert!(ledger.vouches_for(&file));
        ledger.write(&cache, &HashSet::from(["0123.jpg"]));
        let read = Ledger::read(&cache);
        assert!(read.vouches_for(&file), "read back");
        // Replaced by another file of the same size and time: another inode (on Unix).
        #[cfg(unix)]
        {
            let time = std::fs::metadata(&file).unwrap().modified().unwrap();
            let other = cache.join("other");
            std::fs::write(&other, b"edit").unwrap();
            std::fs::File::options()
                .write(true)
                .open(&other)
                .unwrap()
                .set_modified(time)
                .unwrap();
            std::fs::rename(&other, &file).unwrap();
            assert!(!read.vouches_for(&file), "replaced");
        }
        // Written in place: another time.
        std::fs::write(&file, b"made").unwrap();
        let mut ledger = Ledger::read(&cache);
        ledger.record(&file);
        std::thread::sleep(std::time::Duration::from_millis(20));
        std::fs::write(&file, b"MADE").unwrap();
        assert!(!ledger.vouches_for(&file), "edited in place");
        // Files no longer used leave the ledger.
        ledger.record(&file);
        ledger.write(&cache, &HashSet::new());
        assert!(!Ledger::read(&cache).vouches_for(&file));
        std::fs::remove_file(&file).unwrap();
        assert!(!ledger.vouches_for(&file), "deleted");
    }
}
