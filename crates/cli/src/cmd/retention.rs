//! `canhgiac retention`: removes personal data of matters closed long enough ago, and
//! evidence uploads that no report names after a day.

use std::process::ExitCode;

use canhgiac_store::audit::Actor;
use clap::Args;

use crate::config::StoreArgs;

/// Evidence that no report names is removed this long after its upload.
pub const UNATTACHED_EVIDENCE_SECS: i64 = 24 * 3600;

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
    let swept = store
        .sweep_unattached_evidence(now - UNATTACHED_EVIDENCE_SECS, args.dry_run)
        .await?;
    println!(
        "{} personal data of {} closed reports and {} decided disputes (closed more than {} days ago), and {} evidence files no report names (uploaded more than a day ago)",
        if args.dry_run { "would remove" } else { "removed" },
        purged.reports,
        purged.disputes,
        args.older_than_days,
        swept
    );
    Ok(ExitCode::SUCCESS)
}
