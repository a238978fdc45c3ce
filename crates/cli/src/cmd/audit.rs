//! `canhgiac audit verify`: recomputes the audit log's hash chain.

use std::process::ExitCode;

use canhgiac_store::audit::AuditCheck;
use clap::{Args, Subcommand};

use crate::config::StoreArgs;

#[derive(Debug, Args)]
pub struct AuditArgs {
    #[command(subcommand)]
    command: AuditCommand,
}

#[derive(Debug, Subcommand)]
enum AuditCommand {
    /// Check that no entry was changed or removed. Exit status: 0 intact, 1 broken, 2 error.
    Verify(VerifyArgs),
}

#[derive(Debug, Args)]
struct VerifyArgs {
    #[command(flatten)]
    store: StoreArgs,
}

pub async fn run(args: AuditArgs) -> anyhow::Result<ExitCode> {
    let AuditCommand::Verify(v) = args.command;
    let store = super::open_store(&v.store).await?;
    match store.verify_audit().await? {
        AuditCheck::Intact { entries, head } => {
            println!("audit log intact: {entries} entries, head {head}");
            println!(
                "(keep the head hash elsewhere: it also proves that no entry was cut from the end)"
            );
            Ok(ExitCode::SUCCESS)
        }
        AuditCheck::Broken { seq, problem } => {
            println!("AUDIT LOG BROKEN at entry {seq}: {problem}");
            Ok(ExitCode::from(1))
        }
    }
}
