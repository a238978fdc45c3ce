//! `canhgiac backup` and `canhgiac restore`: a consistent copy of a running server's
//! data directory, and its restoration into a new one with an integrity check (see
//! `canhgiac_store::backup`).

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use canhgiac_store::audit::{Actor, AuditCheck, AuditEvent};
use canhgiac_store::backup::{restore, GivenKey, Progress};
use clap::Args;
use indicatif::{ProgressBar, ProgressStyle};
use secrecy::SecretString;

use crate::config::StoreArgs;

#[derive(Debug, Args)]
pub struct BackupArgs {
    #[command(flatten)]
    store: StoreArgs,
    /// The folder to write the backup into (new or empty).
    #[arg(long)]
    to: PathBuf,
    /// Put the data key (keys/data.key) in the backup too. Without it, keep the key
    /// apart: a backup is useless for reporters' personal data without it.
    #[arg(long)]
    with_key: bool,
    /// No progress bar.
    #[arg(long)]
    quiet: bool,
}

#[derive(Debug, Args)]
pub struct RestoreArgs {
    #[command(flatten)]
    store: StoreArgs,
    /// The backup folder (with its manifest.json).
    #[arg(long)]
    from: PathBuf,
    /// The data key file of the backed-up server, when the backup holds none (or set
    /// CANHGIAC_DATA_KEY).
    #[arg(long)]
    key_file: Option<PathBuf>,
    /// No progress bar.
    #[arg(long)]
    quiet: bool,
}

/// A progress bar driven by the store's progress reports.
fn bar(quiet: bool) -> ProgressBar {
    if quiet {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::new_spinner();
    bar.set_style(
        ProgressStyle::with_template("{spinner} [{elapsed_precise}] {wide_bar} {pos}/{len} {msg}")
            .unwrap_or_else(|_| ProgressStyle::default_bar()),
    );
    bar.enable_steady_tick(std::time::Duration::from_millis(200));
    bar
}

fn report_to(bar: &ProgressBar) -> impl Fn(Progress) + Sync + '_ {
    move |p| match p {
        Progress::Step(step) => bar.set_message(match step {
            "snapshot" => "snapshot of the database (VACUUM INTO)",
            "integrity" => "SQLite integrity check, rows per table",
            "verify" => "checking the backup against its manifest",
            "copy" => "copying",
            other => other,
        }),
        Progress::Evidence { done, total } => {
            bar.set_length(total);
            bar.set_position(done);
            bar.set_message("evidence files");
        }
    }
}

pub async fn backup(args: BackupArgs) -> anyhow::Result<ExitCode> {
    let store = super::open_store(&args.store).await?;
    let progress = bar(args.quiet);
    let manifest = store
        .backup(
            &args.to,
            args.with_key,
            env!("CARGO_PKG_VERSION"),
            &report_to(&progress),
        )
        .await
        .with_context(|| format!("backup into {}", args.to.display()))?;
    progress.finish_and_clear();
    store
        .audit(AuditEvent {
            actor: &Actor::cli(),
            action: "backup.create",
            target: &format!("backup:{}", manifest.database.sha256),
            reason: "",
        })
        .await?;
    let reports = manifest
        .database
        .tables
        .get("reports")
        .copied()
        .unwrap_or(0);
    println!(
        "backup written to {}: {reports} reports, database {} bytes (SHA-256 {}), {} evidence files ({} bytes); {}",
        args.to.display(),
        manifest.database.bytes,
        manifest.database.sha256,
        manifest.evidence.files,
        manifest.evidence.bytes,
        if manifest.database.file.ends_with(".pgdump") {
            "rows counted in the dump's snapshot"
        } else {
            "integrity check ok"
        },
    );
    if manifest.key.included {
        println!("the data key is in the backup: keep the backup as safe as the server");
    } else {
        println!("the data key is NOT in the backup: keep keys/data.key (or CANHGIAC_DATA_KEY) apart, restore needs it");
    }
    if manifest.evidence.missing.is_empty() {
        Ok(ExitCode::SUCCESS)
    } else {
        eprintln!(
            "{} evidence files named by the database were missing or damaged and are not in the backup: {}",
            manifest.evidence.missing.len(),
            manifest.evidence.missing.join(", ")
        );
        Ok(ExitCode::from(1))
    }
}

pub async fn run_restore(args: RestoreArgs) -> anyhow::Result<ExitCode> {
    let config = args.store.resolve()?;
    let key = match &args.key_file {
        Some(path) => Some(SecretString::from(
            std::fs::read_to_string(path)
                .with_context(|| format!("reading the key file {}", path.display()))?
                .trim()
                .to_string(),
        )),
        None => config.data_key.clone(),
    };
    let progress = bar(args.quiet);
    let given = match (&key, &args.key_file) {
        (Some(k), Some(_)) => GivenKey::File(k),
        (Some(k), None) => GivenKey::Environment(k),
        (None, _) => GivenKey::None,
    };
    let restored = restore(
        &args.from,
        &config.data_dir,
        config.database_url.as_deref(),
        given,
        &report_to(&progress),
    )
    .await
    .with_context(|| format!("restore from {}", args.from.display()))?;
    progress.finish_and_clear();
    // Open it as the server would: the search index is rebuilt, the audit chain checked.
    let mut config = config;
    config.data_key = key;
    let store = canhgiac_store::Store::open(&config).await?;
    let audit = store.verify_audit().await?;
    let AuditCheck::Intact { entries, .. } = audit else {
        anyhow::bail!("the restored audit log is broken: {audit:?}");
    };
    store
        .audit(AuditEvent {
            actor: &Actor::cli(),
            action: "backup.restore",
            target: &format!("backup:{}", restored.manifest.database.sha256),
            reason: "",
        })
        .await?;
    let reports = restored.tables.get("reports").copied().unwrap_or(0);
    println!(
        "restored into {}: {reports} reports, {} tables with the rows of the manifest, {} evidence files, integrity check ok, audit log intact ({entries} entries)",
        config.data_dir.display(),
        restored.tables.len(),
        restored.manifest.evidence.files,
    );
    Ok(ExitCode::SUCCESS)
}
