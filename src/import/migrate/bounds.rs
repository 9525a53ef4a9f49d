//! The folder a source's files are read from, and links that lead out of it.
//!
//! Invariant: an import reads no file outside its source folder — the site folder of a
//! Hugo, Zola or Jekyll site, the `--uploads` folder of a WordPress one. A path there that
//! is a link, or lies below one, is read only if it resolves (every link followed, `..`
//! too) inside the folder; one that leads elsewhere, or nowhere, is skipped and said so.
//! (`static/leak.txt → /etc/passwd` was copied into the site; `post.md → /etc/passwd`
//! became an article.)

use std::path::{Path, PathBuf};

use super::Skip;
use crate::import::ImportError;

/// A source folder, resolved.
#[derive(Debug, Clone)]
pub struct Bounds {
    root: PathBuf,
    /// How messages call it (`the site folder`).
    called: &'static str,
}

/// Why a path of the source is not read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outside {
    /// It resolves to this path, outside the folder.
    Elsewhere(PathBuf),
    /// It is a link (or below one) to this, which does not exist.
    Nowhere(PathBuf),
}

impl Bounds {
    /// The folder `folder`, called `called` in messages.
    pub fn new(folder: &Path, called: &'static str) -> Result<Bounds, ImportError> {
        let root = folder.canonicalize().map_err(|source| ImportError::Read {
            path: folder.to_path_buf(),
            source,
        })?;
        Ok(Bounds { root, called })
    }

    /// Where `path` (a path of the source) leads, when that is inside the folder.
    pub fn resolve(&self, path: &Path) -> Result<PathBuf, Outside> {
        match path.canonicalize() {
            Ok(real) if real.starts_with(&self.root) => Ok(real),
            Ok(real) => Err(Outside::Elsewhere(real)),
            Err(_) => Err(Outside::Nowhere(
                std::fs::read_link(path).unwrap_or_else(|_| path.to_path_buf()),
            )),
        }
    }

    /// Whether `path` is a file that may be read: inside the folder, wherever it leads.
    pub fn is_file(&self, path: &Path) -> bool {
        self.resolve(path).is_ok_and(|real| real.is_file())
    }

    /// The skip for `path`, refused as `outside`, in the summary.
    pub fn skip(&self, path: &Path, outside: &Outside) -> Skip {
        Skip {
            origin: path.display().to_string(),
            reason: self.reason(path, outside),
        }
    }

    /// Why `path` is not read, for messages: where it leads (a link, or a path through
    /// one or with `..`).
    pub fn reason(&self, path: &Path, outside: &Outside) -> String {
        let link = std::fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_symlink());
        let (what, target) = match outside {
            Outside::Elsewhere(real) => (if link { "a link to" } else { "leads to" }, real),
            Outside::Nowhere(target) => ("a link to", target),
        };
        match outside {
            Outside::Elsewhere(_) => {
                format!("{what} {}, outside {}", target.display(), self.called)
            }
            Outside::Nowhere(_) => format!("{what} {}, which does not exist", target.display()),
        }
    }
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;

    #[test]
    fn links_resolve_inside_or_are_refused_saying_where_they_lead() {
        let dir = tempfile::tempdir().unwrap();
        let site = dir.path().join("site");
        std::fs::create_dir_all(site.join("static")).unwrap();
        std::fs::write(site.join("static/a.txt"), "a").unwrap();
        std::fs::write(dir.path().join("secret.txt"), "secret").unwrap();
        let link = |target: &str, name: &str| {
            std::os::unix::fs::symlink(target, site.join(name)).unwrap();
            site.join(name)
        };
        let bounds = Bounds::new(&site, "the site folder").unwrap();
        let real = site.canonicalize().unwrap();
        assert_eq!(
            bounds.resolve(&link("static/a.txt", "inside.txt")),
            Ok(real.join("static/a.txt"))
        );
        assert_eq!(
            bounds.resolve(&link("inside.txt", "chain.txt")),
            Ok(real.join("static/a.txt"))
        );
        let secret = dir.path().canonicalize().unwrap().join("secret.txt");
        let out = link("../secret.txt", "out.txt");
        assert_eq!(
            bounds.resolve(&out),
            Err(Outside::Elsewhere(secret.clone()))
        );
        assert_eq!(
            bounds.resolve(&link("out.txt", "out-chain.txt")),
            Err(Outside::Elsewhere(secret.clone()))
        );
        assert_eq!(
            bounds
                .reason(&out, &Outside::Elsewhere(secret.clone()))
                .as_str(),
            format!("a link to {}, outside the site folder", secret.display())
        );
        let dangling = link("gone.txt", "dangling.txt");
        assert_eq!(
            bounds.resolve(&dangling),
            Err(Outside::Nowhere(PathBuf::from("gone.txt")))
        );
        assert_eq!(
            bounds.skip(&dangling, &Outside::Nowhere(PathBuf::from("gone.txt"))),
            Skip {
                origin: dangling.display().to_string(),
                reason: "a link to gone.txt, which does not exist".into()
            }
        );
        // Below a folder link leading out.
        link("..", "up");
        let below = site.join("up/secret.txt");
        assert_eq!(
            bounds.resolve(&below),
            Err(Outside::Elsewhere(secret.clone()))
        );
        assert_eq!(
            bounds.reason(&below, &Outside::Elsewhere(secret.clone())),
            format!("leads to {}, outside the site folder", secret.display())
        );
        assert!(bounds.is_file(&site.join("static/a.txt")));
        assert!(!bounds.is_file(&site.join("up/secret.txt")));
        assert!(!bounds.is_file(&site.join("static")));
    }
}
