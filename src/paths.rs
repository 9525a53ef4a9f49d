//! Where a site's folders and files live: the one map of them, built once from the site
//! folder, its [`Config`] and the command line's `--output`.
//!
//! Architecture invariants:
//! - No other module spells a folder name of the site (`content`, `seeds`, `templates`,
//!   `static`, `themes`, `config.toml`, the output and what lies beside it): they ask a
//!   [`SitePaths`].
//! - A `SitePaths` that exists is safe to build with: the output folder is not, does not
//!   contain and does not lie inside the site folder's root, any source folder or the
//!   configuration file, whatever they are named (a build replaces the output whole).

use std::path::{Path, PathBuf};

use thiserror::Error;

use crate::config::{CONFIG_FILE, Config};

/// Beside it: the URLs the site published before Gazette built it (`crate::published`),
/// kept in git so that a fresh clone knows them.
const PUBLISHED_FILE: &str = "published.toml";
/// Below the site folder: the site's own templates and static files, which override the
/// theme's, and the folder of installed themes.
const TEMPLATES: &str = "templates";
const STATIC: &str = "static";
const THEMES: &str = "themes";
/// Below the site folder: what a build keeps between runs that is not output (processed
/// images), in a folder `init`'s `.gitignore` lists.
const CACHE: &str = ".gazette-cache";

#[derive(Debug, Error)]
pub enum PathsError {
    #[error("{}: refusing to use this folder as output: {reason}", output.display())]
    Unsafe { output: PathBuf, reason: String },
    #[error("{}: cannot resolve the site folder: {source}", path.display())]
    Root {
        path: PathBuf,
        source: std::io::Error,
    },
}

/// Every folder and file a build reads or writes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SitePaths {
    /// The site folder (maybe empty: the current folder).
    pub root: PathBuf,
    pub config_file: PathBuf,
    /// The URLs the site published before (an import's), which must keep answering.
    pub published: PathBuf,
    pub content: PathBuf,
    pub seeds: PathBuf,
    /// The site's own templates, over the theme's.
    pub templates: PathBuf,
    /// The site's own static files, over the theme's.
    pub static_files: PathBuf,
    /// Where themes are installed (`themes/<name>/`).
    pub themes: PathBuf,
    /// The folder of the theme in use (which need not exist for the built-in one).
    pub theme: PathBuf,
    /// Where processed images are kept between builds.
    pub image_cache: PathBuf,
    /// Where the parts of the search index are kept between builds.
    pub search_cache: PathBuf,
    /// Where what loading each content file produced is kept between builds (see
    /// `content::load_cache`).
    pub content_cache: PathBuf,
    pub output: PathBuf,
}

/// What a source folder is called in messages, and where it is.
pub struct Source<'a> {
    pub what: &'static str,
    pub path: &'a Path,
}

impl SitePaths {
    /// The map for the site in `root` with `config`; `output` overrides the configured
    /// output folder (relative to the current folder, as command-line paths are).
    /// Refuses an output folder that would replace a source.
    pub fn new(
        root: &Path,
        config: &Config,
        output: Option<&Path>,
    ) -> Result<SitePaths, PathsError> {
        let paths = SitePaths::unchecked(root, config, output);
        paths.check_output()?;
        Ok(paths)
    }

    /// The map without the output check, for commands that never write the output
    /// (`check`, `new`, `import`).
    pub fn unchecked(root: &Path, config: &Config, output: Option<&Path>) -> SitePaths {
        let output = output.map_or_else(|| root.join(&config.output_dir), Path::to_path_buf);
        SitePaths::of(
            root,
            &config.content_dir,
            &config.seeds_dir,
            &config.theme,
            output,
        )
    }

    /// The map of a site with every folder where it is by default (as `init` makes them).
    pub fn with_defaults(root: &Path) -> SitePaths {
        use crate::config::defaults;
        let output = root.join(defaults::output_dir());
        SitePaths::of(
            root,
            &defaults::content_dir(),
            &defaults::seeds_dir(),
            &defaults::theme(),
            output,
        )
    }

    fn of(root: &Path, content: &Path, seeds: &Path, theme: &str, output: PathBuf) -> SitePaths {
        let themes = root.join(THEMES);
        SitePaths {
            root: root.to_path_buf(),
            config_file: root.join(CONFIG_FILE),
            published: root.join(PUBLISHED_FILE),
            content: root.join(content),
            seeds: root.join(seeds),
            templates: root.join(TEMPLATES),
            static_files: root.join(STATIC),
            theme: themes.join(theme),
            themes,
            image_cache: root.join(CACHE).join("images"),
            search_cache: root.join(CACHE).join("search"),
            content_cache: root.join(CACHE).join("content"),
            output,
        }
    }

    /// The same map with the site folder spelt `to` rather than `from` (a watcher names
    /// paths below the folder it was given); paths outside `from` stay as they are.
    pub fn moved(&self, from: &Path, to: &Path) -> SitePaths {
        let at = |p: &Path| to.join(p.strip_prefix(from).unwrap_or(p));
        // Destructured in full: a new folder cannot be left behind.
        let SitePaths {
            root: _,
            config_file,
            published,
            content,
            seeds,
            templates,
            static_files,
            themes,
            theme,
            image_cache,
            search_cache,
            content_cache,
            output,
        } = self;
        SitePaths {
            root: to.to_path_buf(),
            config_file: at(config_file),
            published: at(published),
            content: at(content),
            seeds: at(seeds),
            templates: at(templates),
            static_files: at(static_files),
            themes: at(themes),
            theme: at(theme),
            image_cache: at(image_cache),
            search_cache: at(search_cache),
            content_cache: at(content_cache),
            output: at(output),
        }
    }

    /// The folders a build reads, each with what it is called in messages.
    pub fn sources(&self) -> [Source<'_>; 5] {
        [
            Source {
                what: "content",
                path: &self.content,
            },
            Source {
                what: "seeds",
                path: &self.seeds,
            },
            Source {
                what: "templates",
                path: &self.templates,
            },
            Source {
                what: "static",
                path: &self.static_files,
            },
            Source {
                what: "themes",
                path: &self.themes,
            },
        ]
    }

    /// The folder the output lies in, where its staging folders, lock and record go.
    pub fn output_parent(&self) -> &Path {
        match self.output.parent() {
            Some(p) if !p.as_os_str().is_empty() => p,
            _ => Path::new("."),
        }
    }

    /// The output folder's name, which names everything beside it.
    fn output_name(&self) -> String {
        self.output
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default()
    }

    /// A file or folder beside the output: `.<output>.<what>`.
    fn beside_output(&self, what: &str) -> PathBuf {
        self.output_parent()
            .join(format!(".{}.{what}", self.output_name()))
    }

    /// The build record (see `cache`).
    pub fn record(&self) -> PathBuf {
        self.beside_output("gazette-cache")
    }

    /// The spare copy of the output a build keeps for the next one (see `output::Spare`):
    /// beside the output, so on its file system (the exchange needs that), and hidden,
    /// so never served.
    pub fn spare(&self) -> PathBuf {
        self.beside_output("gazette-spare")
    }

    /// The lock held by whichever process is writing the output.
    pub fn lock(&self) -> PathBuf {
        self.beside_output("lock")
    }

    /// The prefix of the staging folders of builds into this output (the process id
    /// and a number follow).
    pub fn staging_prefix(&self) -> String {
        format!(".{}.staging-", self.output_name())
    }

    fn check_output(&self) -> Result<(), PathsError> {
        let unsafe_dir = |reason: String| PathsError::Unsafe {
            output: self.output.clone(),
            reason,
        };
        if self.output.file_name().is_none() {
            return Err(unsafe_dir("it has no folder name".into()));
        }
        if self.output.is_file() {
            return Err(unsafe_dir("it is a file".into()));
        }
        let root = if self.root.as_os_str().is_empty() {
            Path::new(".")
        } else {
            &self.root
        };
        let root = root.canonicalize().map_err(|source| PathsError::Root {
            path: root.to_path_buf(),
            source,
        })?;
        let Some(out) = resolve(&self.output) else {
            return Ok(());
        };
        if root.starts_with(&out) {
            return Err(unsafe_dir(
                "it contains the site itself, which the build would replace".into(),
            ));
        }
        // The build replaces the output folder whole: it must hold no source, and no
        // source may hold it (a source folder's files would mix with pages, and the next
        // build would delete them).
        for source in self.sources() {
            if let Some(dir) = resolve(source.path)
                && (dir.starts_with(&out) || out.starts_with(&dir))
            {
                return Err(unsafe_dir(format!(
                    "it overlaps the site's {} folder {}, which the build would replace",
                    source.what,
                    source.path.display()
                )));
            }
        }
        if resolve(&self.config_file).is_some_and(|c| c.starts_with(&out)) {
            return Err(unsafe_dir(format!(
                "it holds the site's configuration {}",
                self.config_file.display()
            )));
        }
        Ok(())
    }
}

/// The absolute, symlink-free form of a path that may not exist yet: its nearest existing
/// ancestor canonicalized, with the rest appended (`..` in the rest applied to it).
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
            let mut resolved = real;
            for part in rest.iter().rev() {
                if part == std::ffi::OsStr::new("..") {
                    resolved.pop();
                } else if part != std::ffi::OsStr::new(".") {
                    resolved.push(part);
                }
            }
            return Some(resolved);
        }
        rest.push(existing.file_name().map_or_else(
            || std::ffi::OsString::from(".."),
            std::ffi::OsStr::to_os_string,
        ));
        existing = existing.parent()?;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config(extra: &str) -> Config {
        Config::parse(
            &format!("title = \"T\"\nbase_url = \"https://example.org/\"\n{extra}"),
            Path::new(CONFIG_FILE),
        )
        .unwrap()
    }

    #[test]
    fn every_folder_comes_from_the_config() {
        let c = config(
            "content_dir = \"articles\"\nseeds_dir = \"raw\"\noutput_dir = \"site\"\ntheme = \"t\"",
        );
        let p = SitePaths::unchecked(Path::new("/s"), &c, None);
        assert_eq!(p.content, Path::new("/s/articles"));
        assert_eq!(p.seeds, Path::new("/s/raw"));
        assert_eq!(p.output, Path::new("/s/site"));
        assert_eq!(p.theme, Path::new("/s/themes/t"));
        assert_eq!(p.record(), Path::new("/s/.site.gazette-cache"));
    }

    #[test]
    fn an_output_overlapping_any_source_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        for (extra, what) in [
            (
                "content_dir = \"articles\"\noutput_dir = \"articles\"",
                "content",
            ),
            ("seeds_dir = \"raw\"\noutput_dir = \"raw/site\"", "seeds"),
            ("output_dir = \"templates\"", "templates"),
            (
                "content_dir = \"out/articles\"\noutput_dir = \"out\"",
                "content",
            ),
            ("output_dir = \".\"", "site itself"),
            ("output_dir = \"x/..\"", "refusing"),
        ] {
            let err = SitePaths::new(dir.path(), &config(extra), None)
                .unwrap_err()
                .to_string();
            assert!(
                err.contains("refusing") && err.contains(what),
                "{extra}: {err}"
            );
        }
        assert!(SitePaths::new(dir.path(), &config("output_dir = \"docs\""), None).is_ok());
    }
}
