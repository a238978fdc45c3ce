//! Subcommands, one module each.

mod audit;
mod backup;
mod check;
mod demo_data;
mod import;
mod retention;
mod serve;
mod user;

use std::process::ExitCode;

use clap::{Parser, Subcommand};

use crate::config::StoreArgs;

/// canhgiac: report online scams, check identifiers, help the police act.
#[derive(Debug, Parser)]
#[command(name = "canhgiac", version, about)]
pub struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Run the web server.
    Serve(serve::ServeArgs),
    /// Check a phone number, "BANK ACCOUNT", website, social account, wallet or text.
    /// Exit status: 0 nothing known, 1 reported or worse, 2 error.
    Check(check::CheckArgs),
    /// Import reports from a CSV or JSON Lines file.
    Import(import::ImportArgs),
    /// Write realistic synthetic reports (for demos and benchmarks).
    DemoData(demo_data::DemoArgs),
    /// Officer accounts: add, list; the police units.
    User(user::UserArgs),
    /// The audit log: verify its hash chain.
    Audit(audit::AuditArgs),
    /// Remove personal data of matters closed more than N days ago (statistics stay).
    Retention(retention::RetentionArgs),
    /// Write a consistent backup of the data directory while the server runs.
    Backup(backup::BackupArgs),
    /// Restore a backup into a new data directory, with an integrity check.
    Restore(backup::RestoreArgs),
}

/// Runs a parsed command line.
pub fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    match cli.command {
        Command::Serve(args) => runtime.block_on(serve::run(args)),
        Command::Check(args) => runtime.block_on(check::run(args)),
        Command::Import(args) => runtime.block_on(import::run(args)),
        Command::DemoData(args) => runtime.block_on(demo_data::run(args)),
        Command::User(args) => runtime.block_on(user::run(args)),
        Command::Audit(args) => runtime.block_on(audit::run(args)),
        Command::Retention(args) => runtime.block_on(retention::run(args)),
        Command::Backup(args) => runtime.block_on(backup::backup(args)),
        Command::Restore(args) => runtime.block_on(backup::run_restore(args)),
    }
}

/// Opens the store described by the common arguments.
pub async fn open_store(args: &StoreArgs) -> anyhow::Result<canhgiac_store::Store> {
    let config = args.resolve()?;
    Ok(canhgiac_store::Store::open(&config).await?)
}

#[cfg(test)]
mod tests {
    use clap::CommandFactory;

    #[test]
    fn the_command_line_is_well_formed() {
        super::Cli::command().debug_assert();
    }
}
