//! The error of a site's run: one variant per stage below the engine, each already naming
//! the file (and position) it is about, and the refusals of the engine and the commands
//! that run it (`build`, `check`, `coverage`, `watch`, `serve`). It knows nothing of the
//! watcher or the server: the top [`crate::Error`] wraps it beside theirs.

use thiserror::Error;

#[derive(Debug, Error)]
pub enum EngineError {
    #[error(transparent)]
    Config(#[from] crate::config::ConfigError),
    #[error(transparent)]
    Import(#[from] crate::import::ImportError),
    #[error(transparent)]
    Content(#[from] crate::content::ContentError),
    #[error(transparent)]
    Images(#[from] crate::images::ImageError),
    #[error(transparent)]
    Render(#[from] crate::render::RenderError),
    #[error(transparent)]
    Search(#[from] crate::search::SearchError),
    #[error(transparent)]
    Paths(#[from] crate::paths::PathsError),
    #[error(transparent)]
    Published(#[from] crate::published::PublishedError),
    #[error(transparent)]
    Output(#[from] crate::output::OutputError),
    /// `SOURCE_DATE_EPOCH` is set to something other than a number of seconds.
    #[error("SOURCE_DATE_EPOCH must be a number of seconds since 1970-01-01, not {value:?}")]
    SourceDateEpoch { value: String },
    /// `--base-url` is not a URL a site can live at.
    #[error("--base-url: {message}")]
    BaseUrl { message: String },
    /// The site's base URL (as loaded and normalized) does not parse as a URL, so links
    /// cannot be resolved against it.
    #[error("{0}")]
    UnparsableBaseUrl(url::ParseError),
    /// A dry run's measure failed on its scratch copy of the site; the message names the
    /// site's own files, not the copy's.
    #[error("{message}")]
    DryRun { message: String },
    /// A commit asked of an engine opened read-only (or that gave its lock up).
    #[error("the output is not locked: an engine opened read-only commits nothing")]
    ReadOnly,
}
