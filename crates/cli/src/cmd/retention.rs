//! `canhgiac retention`: removes personal data of matters closed long enough ago.

use std::process::ExitCode;

use canhgiac_store::audit::Actor;
use clap::Args;

use crate::config::StoreArgs;

#[derive(Debug, Args)]
pub struct RetentionArgs {
    #[command(flatten)]
    store: StoreArgs,
    /// Keep personal data this many days after a matter is closed.
    #[arg(long, env = "CANHGIAC_RETENTION_DAYS", default_value_t = 365)]
    older_than_days: u32,
    /// Only count what would be removed.
    #[arg(long)]
    dry_run: bool,
}

pub async fn run(args: RetentionArgs) -> anyhow::Result<ExitCode> {
    let store = super::open_store(&args.store).await?;
    let now = time::OffsetDateTime::now_utc().unix_timestamp();
    let before = now - i64::from(args.older_than_days) * 86_400;
    let purged = store
        .purge_personal_data(before, args.dry_run, &Actor::cli())
        .await?;
    println!(
        "{} personal data of {} closed reports and {} decided disputes (closed more than {} days ago)",
        if args.dry_run { "would remove" } else { "removed" },
        purged.reports,
        purged.disputes,
        args.older_than_days
    );
    Ok(ExitCode::SUCCESS)
}
