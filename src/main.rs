use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    let cli = match gazette::cli::Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            // --help and --version are successes; every usage error exits with 1.
            let code = if e.use_stderr() { 1 } else { 0 };
            let _ = e.print();
            return ExitCode::from(code);
        }
    };
    match gazette::cmd::run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            gazette::cmd::error(&e.to_string());
            ExitCode::FAILURE
        }
    }
}
