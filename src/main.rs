use std::process::ExitCode;

use clap::Parser;

// mimalloc rather than glibc's malloc: builds allocate from every thread at once, and with
// glibc the kernel's side of that (faulting in and growing per-thread heaps) was a tenth of
// a build. Measured: 10,000 articles 15-19% faster for 20% more peak memory (165 -> 197
// MiB); 100,000 articles 14.0 -> 9.9 s at the same 1.55 GiB.
// Without transparent huge pages (the `no_thp` feature): a build touches its memory once,
// and on the virtual machines measured a 2 MiB page faulted in after the machine sat idle
// or ran something else costs far more than the 4 KiB pages actually used (compare.py runs
// 11% faster, back-to-back builds of a warm machine 10% slower, peak memory 180 -> 150 MiB).
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
    match gazette::cmd::run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            gazette::cmd::error(&e.to_string());
            ExitCode::FAILURE
        }
    }
}
