//! Gazette: a static site generator for tech-news publishing.
//!
//! Data flows one way through one module per stage:
//! seeds → [`import`] → content files → [`content`] (load, parse, assemble the site) →
//! [`images`] (variants of the images articles use) → [`search`] (the index) → [`render`]
//! (themes, pages) → [`output`] (atomic write). [`engine`] runs the stages for every command
//! ([`pipeline`] is `build`'s one run of it); [`paths`] says where every folder is;
//! [`cli`] and [`cmd`] turn command lines into calls. See ARCHITECTURE.md for the map and
//! its invariants.

pub mod authoring;
pub mod cache;
pub mod check;
pub mod cli;
pub mod cmd;
pub mod config;
pub mod content;
pub mod coverage;
pub mod engine;
pub mod error;
pub mod files;
pub mod hash;
pub mod html;
pub mod images;
pub mod import;
pub mod location;
pub mod nesting;
pub mod output;
pub mod parallel;
pub mod paths;
pub mod pipeline;
pub mod published;
pub mod render;
pub mod sanitize;
pub mod search;
pub mod serve;
pub mod text;
pub mod urls;
pub mod watch;

pub use error::Error;
