//! Watching a site's sources and turning file-system events into [`Changes`] for a
//! [`crate::engine::Engine`]'s updates.
//!
//! Watched: the configuration file (through a non-recursive watch of the site folder,
//! which also sees source folders appear), and every source folder of the site's
//! [`SitePaths`] (content, seeds, templates, static files, themes, wherever the
//! configuration puts them) recursively. Events are coalesced: after the first one, more are collected
//! until the file system has been quiet for [`QUIET`] (or [`MAX_WAIT`] has passed), so an
//! editor's save (temp file, rename) and a `git checkout` touching hundreds of files each
//! become one rebuild.
//!
//! Invariant: nothing the build writes is ever reported as a change — the output folder,
//! staging folders and the build cache record are not sources — and editor debris (swap,
//! backup and temp files) is ignored.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::mpsc::{Receiver, RecvTimeoutError, Sender, channel};
use std::time::{Duration, Instant, SystemTime};

use notify::{RecommendedWatcher, RecursiveMode, Watcher as _};
use thiserror::Error;

use crate::engine::{Changes, Engine, EngineError, Update};
use crate::paths::SitePaths;

/// How long the file system must be quiet before a batch of events is handled.
pub const QUIET: Duration = Duration::from_millis(8);
/// The longest a batch waits for quiet before it is handled anyway.
pub const MAX_WAIT: Duration = Duration::from_millis(250);

#[derive(Debug, Error)]
#[error("cannot watch {}: {source}", path.display())]
pub struct WatchError {
    path: PathBuf,
    source: notify::Error,
}

pub struct Watcher {
    /// The site folder as the engine knows it (maybe empty, for the current folder):
    /// changed paths are reported below it, as the engine names its files.
    site_root: PathBuf,
    /// The same folder as given to notify.
    root: PathBuf,
    /// The site's folders, named below `root`.
    paths: SitePaths,
    watcher: RecommendedWatcher,
    events: Receiver<Message>,
    /// For [`Watcher::stopper`].
    sender: Sender<Message>,
    /// Source folders being watched.
    watching: BTreeSet<PathBuf>,
}

impl Watcher {
    /// Starts watching the site whose folders are `paths`.
    pub fn new(paths: &SitePaths) -> Result<Watcher, WatchError> {
        let root = paths.root.as_path();
        let (sender, events) = channel();
        let tx = sender.clone();
        let watcher = notify::recommended_watcher(move |e| {
            let _ = tx.send(Message::Event(e));
        })
        .map_err(|source| WatchError {
            path: root.to_path_buf(),
            source,
        })?;
        let root = if root.as_os_str().is_empty() {
            PathBuf::from(".")
        } else {
            root.to_path_buf()
        };
        let site_root = if root == Path::new(".") {
            PathBuf::new()
        } else {
            root.clone()
        };
        let mut w = Watcher {
            paths: paths.moved(&site_root, &root),
            site_root,
            root,
            watcher,
            events,
            sender,
            watching: BTreeSet::new(),
        };
        w.watcher
            .watch(&w.root, RecursiveMode::NonRecursive)
            .map_err(|source| WatchError {
                path: w.root.clone(),
                source,
            })?;
        w.watch_new_dirs()?;
        Ok(w)
    }

    /// Watches source folders that exist now and were not watched yet.
    fn watch_new_dirs(&mut self) -> Result<bool, WatchError> {
        let mut added = false;
        let dirs: Vec<PathBuf> = self
            .paths
            .sources()
            .iter()
            .map(|s| s.path.to_path_buf())
            .collect();
        for dir in dirs {
            if dir.is_dir() && !self.watching.contains(&dir) {
                self.watcher
                    .watch(&dir, RecursiveMode::Recursive)
                    .map_err(|source| WatchError {
                        path: dir.clone(),
                        source,
                    })?;
                self.watching.insert(dir);
                added = true;
            }
        }
        Ok(added)
    }

    /// A handle that stops the watcher from another thread (a signal handler): the
    /// rebuild under way, if any, finishes, and [`drive`] returns.
    pub fn stopper(&self) -> Stopper {
        Stopper(self.sender.clone())
    }

    /// Follows the site's folders after its configuration changed: folders it names now
    /// are watched from here on.
    pub fn follow(&mut self, paths: &SitePaths) -> Result<(), WatchError> {
        let paths = paths.moved(&self.site_root, &self.root);
        if paths != self.paths {
            self.paths = paths;
            self.watch_new_dirs()?;
        }
        Ok(())
    }

    /// Blocks until something changes, then returns the coalesced changes; or, if nothing
    /// did by the time `due`, changes saying so. `None` when the watcher has stopped.
    pub fn next_changes(&mut self, due: Option<SystemTime>) -> Option<Changes> {
        loop {
            let first = match due {
                None => self.events.recv().ok()?.event()?,
                Some(due) => {
                    let wait = due.duration_since(SystemTime::now()).unwrap_or_default();
                    match self.events.recv_timeout(wait) {
                        Ok(message) => message.event()?,
                        Err(RecvTimeoutError::Timeout) => {
                            return Some(Changes {
                                due: true,
                                ..Changes::default()
                            });
                        }
                        Err(RecvTimeoutError::Disconnected) => return None,
                    }
                }
            };
            let started = Instant::now();
            let mut changes = Changes::default();
            self.add(&mut changes, first);
            loop {
                let left = MAX_WAIT.saturating_sub(started.elapsed());
                match self.events.recv_timeout(QUIET.min(left)) {
                    Ok(Message::Stop) => return None,
                    Ok(Message::Event(event)) if !left.is_zero() => self.add(&mut changes, event),
                    Ok(Message::Event(event)) => {
                        self.add(&mut changes, event);
                        break;
                    }
                    Err(RecvTimeoutError::Timeout) => break,
                    Err(RecvTimeoutError::Disconnected) => return None,
                }
            }
            // A source folder that appeared (say, templates/ created) is watched from now
            // on, and whatever it already holds counts as changed.
            if self.watch_new_dirs().unwrap_or(false) {
                changes.rescan = true;
            }
            if !changes.is_empty() {
                return Some(changes);
            }
        }
    }

    fn add(&self, changes: &mut Changes, event: notify::Result<notify::Event>) {
        let Ok(event) = event else {
            // The watcher lost events (queue overflow): only a full reload is safe.
            changes.rescan = true;
            return;
        };
        if matches!(event.kind, notify::EventKind::Access(_)) {
            return;
        }
        for path in &event.paths {
            classify(&self.paths, path, changes);
        }
        // Report content paths under the site root as the engine names them.
        if self.site_root != self.root {
            let rename = |set: &mut BTreeSet<PathBuf>| {
                *set = std::mem::take(set)
                    .into_iter()
                    .map(|p| match p.strip_prefix(&self.root) {
                        Ok(relative) => self.site_root.join(relative),
                        Err(_) => p,
                    })
                    .collect();
            };
            rename(&mut changes.content);
            rename(&mut changes.content_other);
        }
    }
}

/// What reaches a watcher: a file-system event, or word to stop.
enum Message {
    Event(notify::Result<notify::Event>),
    Stop,
}

impl Message {
    fn event(self) -> Option<notify::Result<notify::Event>> {
        match self {
            Message::Event(event) => Some(event),
            Message::Stop => None,
        }
    }
}

/// Stops a [`Watcher`] from another thread.
#[derive(Clone)]
pub struct Stopper(Sender<Message>);

impl Stopper {
    pub fn stop(&self) {
        let _ = self.0.send(Message::Stop);
    }
}

/// Editor debris and hidden files: never sources.
fn ignored(name: &str) -> bool {
    name.starts_with('.')
        || name.starts_with('#')
        || name.ends_with('~')
        || name.ends_with(".swp")
        || name.ends_with(".swx")
        || name.ends_with(".tmp")
        || name.ends_with(".bak")
        || name == "4913"
}

/// Adds what a changed `path` means to `changes`.
pub fn classify(paths: &SitePaths, path: &Path, changes: &mut Changes) {
    let root = paths.root.as_path();
    let path = if path.is_relative() {
        root.join(path)
    } else {
        path.to_path_buf()
    };
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    if ignored(&name) {
        return;
    }
    let absolute_root = root.canonicalize().unwrap_or_else(|_| root.to_path_buf());
    let relative = path
        .strip_prefix(root)
        .or_else(|_| path.strip_prefix(&absolute_root))
        .unwrap_or(&path)
        .to_path_buf();
    let inside = |dir: &Path| relative.starts_with(dir.strip_prefix(root).unwrap_or(dir));
    // The output may lie inside a source folder's parent but never inside a source
    // (`SitePaths` refuses that); its writes are never changes.
    if inside(&paths.output) {
        return;
    }
    if inside(&paths.config_file) {
        changes.config = true;
    } else if inside(&paths.content) {
        if crate::content::is_content_file(&path) {
            changes.content.insert(root.join(&relative));
        } else {
            // Maybe a folder that came or went whole (its files are not listed), maybe an
            // editor's temp file: the engine tells which.
            changes.content_other.insert(root.join(&relative));
        }
    } else if inside(&paths.seeds) {
        if name.ends_with(".txt") || path.is_dir() {
            changes.seeds = true;
        }
    } else if inside(&paths.templates) || inside(&paths.static_files) || inside(&paths.themes) {
        changes.theme = true;
        changes.theme_files.insert(path);
    }
}

/// Updates `engine` after every batch of changes `watcher` sees, until it stops; `after`
/// hears of each update.
pub fn drive(
    engine: &mut Engine,
    watcher: &mut Watcher,
    mut after: impl FnMut(&Changes, Result<Update, EngineError>),
) {
    // Scheduled articles are published when they come due, as a build run then would.
    while let Some(changes) = watcher.next_changes(engine.next_due()) {
        let result = engine.update(&changes);
        if let Some(paths) = engine.paths() {
            // A watch that cannot be added is retried with the next change.
            let _ = watcher.follow(paths);
        }
        after(&changes, result);
    }
}

/// Ctrl-C and SIGTERM, caught from the moment they are registered (inside a tokio
/// runtime): one that arrives before anyone waits is kept, not fatal, so a signal sent
/// right after a command says it is ready still stops it cleanly.
pub struct StopSignals {
    #[cfg(unix)]
    interrupt: tokio::signal::unix::Signal,
    #[cfg(unix)]
    terminate: tokio::signal::unix::Signal,
}

impl StopSignals {
    pub fn register() -> std::io::Result<StopSignals> {
        #[cfg(unix)]
        {
            use tokio::signal::unix::{SignalKind, signal};
            Ok(StopSignals {
                interrupt: signal(SignalKind::interrupt())?,
                terminate: signal(SignalKind::terminate())?,
            })
        }
        #[cfg(not(unix))]
        Ok(StopSignals {})
    }

    /// Waits for the first of them.
    pub async fn wait(mut self) {
        #[cfg(unix)]
        tokio::select! {
            _ = self.interrupt.recv() => {},
            _ = self.terminate.recv() => {},
        }
        #[cfg(not(unix))]
        {
            let _ = &mut self;
            let _ = tokio::signal::ctrl_c().await;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn changes_for(paths: &[&str]) -> Changes {
        let site = SitePaths::with_defaults(Path::new("/site"));
        let mut changes = Changes::default();
        for p in paths {
            classify(&site, Path::new(p), &mut changes);
        }
        changes
    }

    #[test]
    fn configured_folders_are_followed() {
        let config = crate::config::Config::parse(
            "title = \"T\"\nbase_url = \"https://e.org/\"\ncontent_dir = \"articles\"\nseeds_dir = \"raw\"",
            Path::new("config.toml"),
        )
        .unwrap();
        let site = SitePaths::unchecked(Path::new("/site"), &config, None);
        let mut changes = Changes::default();
        classify(&site, Path::new("/site/raw/a.txt"), &mut changes);
        assert!(changes.seeds);
        classify(&site, Path::new("/site/articles/a.md"), &mut changes);
        assert_eq!(changes.content.len(), 1);
        let mut other = Changes::default();
        classify(&site, Path::new("/site/seeds/a.txt"), &mut other);
        classify(&site, Path::new("/site/content/a.md"), &mut other);
        assert!(other.is_empty(), "{other:?}");
    }

    #[test]
    fn sources_are_classified() {
        let c = changes_for(&["/site/config.toml"]);
        assert!(c.config);
        let c = changes_for(&["/site/content/a.md", "/site/content/authors/b.md"]);
        assert_eq!(c.content.len(), 2);
        assert!(changes_for(&["/site/seeds/x.txt"]).seeds);
        assert!(changes_for(&["/site/templates/base.html"]).theme);
        assert!(changes_for(&["/site/static/style.css"]).theme);
        assert!(changes_for(&["/site/themes/t/templates/a.html"]).theme);
    }

    #[test]
    fn output_and_editor_debris_are_not_changes() {
        for path in [
            "/site/public/index.html",
            "/site/.public.staging-12/a.html",
            "/site/.public.gazette-cache",
            "/site/.gazette-cache/content/07",
            "/site/content/.a.md.swp",
            "/site/content/a.md~",
            "/site/content/#a.md#",
            "/site/content/4913",
            "/site/README.md",
        ] {
            assert!(changes_for(&[path]).is_empty(), "{path}");
        }
        // Other paths under content/ may be folders; the engine decides.
        let c = changes_for(&["/site/content/sedAb12Cd", "/site/content/sub"]);
        assert_eq!(c.content_other.len(), 2);
        assert!(c.content.is_empty());
    }
}
