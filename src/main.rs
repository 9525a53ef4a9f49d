use std::process::ExitCode;

use clap::Parser;

// mimalloc rather than glibc's malloc: builds allocate from every thread at once, and with
// glibc the kernel's side of that (faulting in and growing per-thread heaps) was a tenth of
// a build. Measured: 10,000 articles 15-19% faster for 20% more peak memory (165 -> 197
// MiB); 100,000 articles 14.0 -> 9.9 s at the same 1.55 GiB.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

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
    // Transparent huge pages only for the long-running `watch` and `serve`. A one-shot
    // command touches its memory once, and on the virtual machines measured a 2 MiB page
    // faulted in after the machine sat idle or ran something else costs far more than the
    // 4 KiB pages actually used (compare.py's full renders 11% faster without, peak memory
    // 180 -> 150 MiB at 10,000 articles; back-to-back builds on a warm machine 10% slower).
    // A session keeps its site in memory and touches it again at every rebuild, after the
    // machine sat idle: there huge pages halve the time of a rebuild after an edit.
    #[cfg(target_os = "linux")]
    if !matches!(
        cli.command,
        gazette::cli::Command::Watch(_) | gazette::cli::Command::Serve(_)
    ) {
        // Only a matter of speed: nothing to report if the kernel says no.
        let _ = rustix::thread::disable_transparent_huge_pages(true);
    }
    // A command whose output is piped into `head` ends quietly when the reader goes, as
    // Unix tools do, rather than panicking at its next `println!`. Not `serve`: a browser
    // that closes its connection must not stop the server.
    #[cfg(unix)]
    if !matches!(cli.command, gazette::cli::Command::Serve(_)) {
        // SAFETY: at the start of `main`, before any thread exists; restores the default
        // action, which Rust's runtime set to "ignore".
        unsafe {
            libc::signal(libc::SIGPIPE, libc::SIG_DFL);
        }
    }
    match gazette::cmd::run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            gazette::cmd::error(&e.to_string());
            ExitCode::FAILURE
        }
    }
}
