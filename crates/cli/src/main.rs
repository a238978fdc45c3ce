//! `canhgiac`: the one binary. `main` only parses the command line and dispatches.

mod cmd;
mod config;
mod demo;

use std::process::ExitCode;

use clap::Parser;

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
