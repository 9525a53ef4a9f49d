//! One small file per command, over the library that does the work.

pub mod build;
pub mod check;
pub mod digest;
pub mod import;
pub mod init;
pub mod mv;
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
        Command::Mv(args) => mv::run(args),
        Command::Init(args) => init::run(args),
        Command::Check(args) => check::run(args),
        Command::Digest(args) => digest::run(args),
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

/// How many warnings of one kind are printed before the rest of the kind are counted.
const WARNINGS_SHOWN: usize = 3;

/// Prints warnings the way every command does: each one while a kind is rare; from the
/// fourth of a kind on, one line counting the rest and naming their first files (a
/// 750-article blog must not print a line per author), unless `verbose`.
pub fn warn_all(warnings: &[String], verbose: bool) {
    for line in group_warnings(warnings, verbose) {
        warn(&line);
    }
}

/// The lines [`warn_all`] prints. Warnings are of one kind when their messages differ only
/// in what they quote or the files they name.
fn group_warnings(warnings: &[String], verbose: bool) -> Vec<String> {
    if verbose {
        return warnings.to_vec();
    }
    let mut kinds: Vec<(String, Vec<&String>)> = Vec::new();
    for warning in warnings {
        let key = kind_of(warning);
        match kinds.iter_mut().find(|(k, _)| *k == key) {
            Some((_, members)) => members.push(warning),
            None => kinds.push((key, vec![warning])),
        }
    }
    let mut lines = Vec::new();
    for (kind, members) in kinds {
        lines.extend(members.iter().take(WARNINGS_SHOWN).map(|w| w.to_string()));
        let rest = &members[members.len().min(WARNINGS_SHOWN)..];
        if rest.is_empty() {
            continue;
        }
        let files: Vec<&str> = rest
            .iter()
            .take(WARNINGS_SHOWN)
            .filter_map(|w| w.split_once(": ").map(|(file, _)| file))
            .collect();
        let more = rest.len() - files.len();
        lines.push(format!(
            "{} more like this ({}{}): {kind} (--verbose lists each)",
            rest.len(),
            files.join(", "),
            if more > 0 {
                format!(" and {}", crate::text::count(more, "other", "others"))
            } else {
                String::new()
            }
        ));
    }
    lines
}

/// A warning's kind: its message (after the file it names) with quoted text and paths
/// left out.
fn kind_of(warning: &str) -> String {
    let message = warning.split_once(": ").map_or(warning, |(_, m)| m);
    let mut unquoted = String::with_capacity(message.len());
    let mut inside = false;
    for c in message.chars() {
        if c == '"' {
            if !inside {
                unquoted.push_str("\"…\"");
            }
            inside = !inside;
        } else if !inside {
            unquoted.push(c);
        }
    }
    let words: Vec<&str> = unquoted
        .split(' ')
        .map(|w| if w.contains('/') { "…" } else { w })
        .collect();
    words.join(" ")
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
    fn repeated_warnings_of_a_kind_are_counted_on_one_line() {
        let no_profile = |i: usize| {
            format!(
                "content/a{i}.md: author \"Writer {i}\" has no profile; add authors/writer-{i}.md with a `name` and a bio"
            )
        };
        let mut warnings: Vec<String> = (0..163).map(no_profile).collect();
        warnings.insert(
            1,
            "content/x.md: left out: a link to a folder or to nothing".into(),
        );
        let lines = group_warnings(&warnings, false);
        assert_eq!(lines.len(), 5, "{lines:#?}");
        assert_eq!(lines[0], no_profile(0));
        assert_eq!(
            lines[3],
            "160 more like this (content/a3.md, content/a4.md, content/a5.md and 157 others): author \"…\" has no profile; add … with a `name` and a bio (--verbose lists each)"
        );
        assert!(lines[4].starts_with("content/x.md: left out"));
        assert_eq!(group_warnings(&warnings, true).len(), 164);
    }

    #[test]
    fn colour_only_on_a_terminal_without_no_color() {
        assert!(colour(true, None));
        assert!(colour(true, Some("".as_ref())));
        assert!(!colour(true, Some("1".as_ref())));
        assert!(!colour(false, None));
    }
}
