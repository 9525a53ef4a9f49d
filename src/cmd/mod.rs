//! One small file per command, over the library that does the work.

pub mod build;
pub mod check;
pub mod import;
pub mod init;
pub mod new;
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
        Command::New(args) => new::run(args),
        Command::Init(args) => init::run(args),
        Command::Check(args) => check::run(args),
        Command::Completions(args) => {
            let mut command = <Cli as clap::CommandFactory>::command();
            clap_complete::generate(args.shell, &mut command, "gazette", &mut std::io::stdout());
            Ok(())
        }
        Command::Man => {
            let command = <Cli as clap::CommandFactory>::command();
            clap_mangen::Man::new(command)
                .render(&mut std::io::stdout())
                .map_err(|e| Error::Usage(format!("cannot write the manual page: {e}")))
        }
    }
}

/// Prints a warning the way every command does.
pub fn warn(message: &str) {
    eprintln!("{}: {message}", paint("warning", "33"));
}

/// Prints an error the way every command does.
pub fn error(message: &str) {
    eprintln!("{}: {message}", paint("error", "31"));
}

/// `label` in bold and the ANSI colour `code`, when stderr is a terminal and `NO_COLOR` is
/// not set (https://no-color.org); plain otherwise, so logs and pipes get plain text.
fn paint(label: &str, code: &str) -> String {
    use std::io::IsTerminal;
    if colour(
        std::io::stderr().is_terminal(),
        std::env::var_os("NO_COLOR").as_deref(),
    ) {
        format!("\x1b[1;{code}m{label}\x1b[0m")
    } else {
        label.to_string()
    }
}

fn colour(terminal: bool, no_color: Option<&std::ffi::OsStr>) -> bool {
    terminal && no_color.is_none_or(|v| v.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn colour_only_on_a_terminal_without_no_color() {
        assert!(colour(true, None));
        assert!(colour(true, Some("".as_ref())));
        assert!(!colour(true, Some("1".as_ref())));
        assert!(!colour(false, None));
    }
}
