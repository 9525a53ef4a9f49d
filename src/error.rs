//! The top-level error, what `main` prints before exiting with status 1: a site's run
//! ([`EngineError`], every stage's error), the watcher's and the server's, and the
//! commands' own refusals.

use thiserror::Error;

use crate::engine::EngineError;

#[derive(Debug, Error)]
pub enum Error {
    #[error(transparent)]
    Engine(#[from] EngineError),
    #[error(transparent)]
    Watch(#[from] crate::watch::WatchError),
    #[error(transparent)]
    Serve(#[from] crate::serve::ServeError),
    #[error(transparent)]
    Authoring(#[from] crate::authoring::AuthoringError),
    /// `check` found problems a reader would hit (each already printed).
    #[error("{}", match count { 1 => "1 problem found".to_string(), n => format!("{n} problems found") })]
    Problems { count: usize },
    /// `check` stopped before links: content files do not load (each already printed).
    #[error("{}", match count { 1 => "1 file does not load".to_string(), n => format!("{n} files do not load") })]
    Unloadable { count: usize },
    /// The command line asks for something impossible.
    #[error("{0}")]
    Usage(String),
}

/// Each stage's error is a site's run's error (so `?` lifts it straight to the top).
macro_rules! through_the_engine {
    ($($error:ty),* $(,)?) => {
        $(impl From<$error> for Error {
            fn from(error: $error) -> Error {
                Error::Engine(error.into())
            }
        })*
    };
}

through_the_engine!(
    crate::config::ConfigError,
    crate::import::ImportError,
    crate::content::ContentError,
    crate::images::ImageError,
    crate::render::RenderError,
    crate::search::SearchError,
    crate::paths::PathsError,
    crate::published::PublishedError,
    crate::output::OutputError,
);
