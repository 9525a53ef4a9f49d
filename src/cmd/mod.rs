//! One small file per command, over the library that does the work.

pub mod build;
pub mod import;
pub mod serve;
pub mod watch;

use crate::cli::{Cli, Command};
use crate::error::Error;

pub fn run(cli: Cli) -> Result<(), Error> {
    match cli.command {
        Command::Build(args) => build::run(args),
        Command::Import(args) => import::run(args),
        Command::Watch(args) => watch::run(args),
        Command::Serve(args) => serve::run(args),
    }
}

/// Prints a warning the way every command does.
pub fn warn(message: &str) {
    eprintln!("warning: {message}");
}
