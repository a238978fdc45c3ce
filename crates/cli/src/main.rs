//! `canhgiac`: the one binary. `main` only parses the command line and dispatches.

mod cmd;
mod config;
mod demo;

use std::process::ExitCode;

use clap::Parser;

/// mimalloc: message analysis allocates many small short-lived values, and this
/// allocator serves them faster than the system's (see docs/benchmarks.md).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let cli = cmd::Cli::parse();
    match cmd::run(cli) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("canhgiac: {e:#}");
            ExitCode::from(2)
        }
    }
}
