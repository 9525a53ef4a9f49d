//! What the authoring commands do to a site's files besides building it: a new article
//! (`new`), a new slug for one (`mv`), a new site (`init`), and the checksum of a built
//! site (`digest`). The commands in `cmd/` parse their arguments, call these and report.
//!
//! Invariants: nothing is overwritten that was there before (`new` and `init` create
//! files only where none is; `mv` puts everything back when the site no longer loads),
//! and every refusal is an [`AuthoringError`] naming the file or value it is about.

pub mod digest;
pub mod init;
pub mod mv;
pub mod new;

use std::path::PathBuf;

use thiserror::Error;

/// Why an authoring command refused, or could not finish.
#[derive(Debug, Error)]
pub enum AuthoringError {
    #[error("the title {title:?} has no letters or digits to make a file name from")]
    TitleWithoutLetters { title: String },
    // Refused here rather than by every build after it.
    #[error(
        "the title {title:?} would take the URL /{slug}/, which the site uses itself: choose another title"
    )]
    TitleTaken { title: String, slug: String },
    #[error(
        "--section {section:?}: a section's name needs letters or digits and may not be one the site uses itself"
    )]
    BadSection { section: String },
    #[error("{} already exists: choose another title, or edit that file", path.display())]
    ArticleExists { path: PathBuf },
    #[error("{}", mv::not_a_slug(given))]
    NotASlug { given: String },
    #[error("the slug `{slug}` is used by the site itself: choose another")]
    SlugTaken { slug: String },
    #[error(
        "{}: the article's own `path` decides its URL, not its slug: edit `path`, and add the old one to `aliases`",
        path.display()
    )]
    SlugSetByPath { path: PathBuf },
    #[error("{}: the slug is `{slug}` already", path.display())]
    SameSlug { path: PathBuf, slug: String },
    #[error("{} already exists: choose another slug", path.display())]
    SlugFileExists { path: PathBuf },
    #[error("{given}: no article of the site is in this file")]
    NoArticleInFile { given: String },
    #[error("no article has the slug `{given}`: name it by its slug or its file")]
    NoArticleWithSlug { given: String },
    #[error(
        "several articles have the slug `{given}`: name one by its file ({})",
        files.iter().map(|f| f.display().to_string()).collect::<Vec<_>>().join(", ")
    )]
    SeveralWithSlug { given: String, files: Vec<PathBuf> },
    #[error("{} is a file, not a folder", path.display())]
    NotAFolder { path: PathBuf },
    #[error(
        "{} is not empty: use an empty folder, or --force to add the site's files to it (existing files are kept)",
        path.display()
    )]
    NotEmpty { path: PathBuf },
    #[error("{}: no built site here: run gazette build first", path.display())]
    NotBuilt { path: PathBuf },
    #[error("{}: cannot create the folder: {source}", path.display())]
    CreateFolder {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{}: cannot create: {source}", path.display())]
    Create {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{}: cannot read: {source}", path.display())]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{}: cannot write: {source}", path.display())]
    Write {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{}: cannot rename to {}: {source}", from.display(), to.display())]
    Rename {
        from: PathBuf,
        to: PathBuf,
        source: std::io::Error,
    },
    #[error(transparent)]
    Content(#[from] crate::content::ContentError),
    #[error(transparent)]
    Published(#[from] crate::published::PublishedError),
    #[error(transparent)]
    Output(#[from] crate::output::OutputError),
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refusals_read_as_they_always_did() {
        let path = PathBuf::from("content/a.md");
        let cases = [
            (
                AuthoringError::TitleWithoutLetters { title: "!!".into() },
                "the title \"!!\" has no letters or digits to make a file name from",
            ),
            (
                AuthoringError::TitleTaken {
                    title: "Tags".into(),
                    slug: "tags".into(),
                },
                "the title \"Tags\" would take the URL /tags/, which the site uses itself: choose another title",
            ),
            (
                AuthoringError::BadSection {
                    section: "authors".into(),
                },
                "--section \"authors\": a section's name needs letters or digits and may not be one the site uses itself",
            ),
            (
                AuthoringError::ArticleExists { path: path.clone() },
                "content/a.md already exists: choose another title, or edit that file",
            ),
            (
                AuthoringError::SlugTaken {
                    slug: "search".into(),
                },
                "the slug `search` is used by the site itself: choose another",
            ),
            (
                AuthoringError::SlugSetByPath { path: path.clone() },
                "content/a.md: the article's own `path` decides its URL, not its slug: edit `path`, and add the old one to `aliases`",
            ),
            (
                AuthoringError::SameSlug {
                    path: path.clone(),
                    slug: "a".into(),
                },
                "content/a.md: the slug is `a` already",
            ),
            (
                AuthoringError::SlugFileExists { path: path.clone() },
                "content/a.md already exists: choose another slug",
            ),
            (
                AuthoringError::NoArticleInFile {
                    given: "x.md".into(),
                },
                "x.md: no article of the site is in this file",
            ),
            (
                AuthoringError::NoArticleWithSlug { given: "x".into() },
                "no article has the slug `x`: name it by its slug or its file",
            ),
            (
                AuthoringError::SeveralWithSlug {
                    given: "a".into(),
                    files: vec![path.clone(), PathBuf::from("content/b/a.md")],
                },
                "several articles have the slug `a`: name one by its file (content/a.md, content/b/a.md)",
            ),
            (
                AuthoringError::NotAFolder { path: path.clone() },
                "content/a.md is a file, not a folder",
            ),
            (
                AuthoringError::NotEmpty {
                    path: PathBuf::from("site"),
                },
                "site is not empty: use an empty folder, or --force to add the site's files to it (existing files are kept)",
            ),
            (
                AuthoringError::NotBuilt {
                    path: PathBuf::from("public"),
                },
                "public: no built site here: run gazette build first",
            ),
            (
                AuthoringError::Rename {
                    from: path.clone(),
                    to: PathBuf::from("content/b.md"),
                    source: std::io::Error::other("denied"),
                },
                "content/a.md: cannot rename to content/b.md: denied",
            ),
            (
                AuthoringError::CreateFolder {
                    path: path.clone(),
                    source: std::io::Error::other("denied"),
                },
                "content/a.md: cannot create the folder: denied",
            ),
        ];
        for (error, message) in cases {
            assert_eq!(error.to_string(), message);
        }
    }
}
