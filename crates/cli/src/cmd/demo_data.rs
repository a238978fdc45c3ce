//! `canhgiac demo-data`: synthetic reports into the database, or into a JSON Lines
//! file that `canhgiac import` reads.

use std::io::{BufWriter, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use clap::Args;

use crate::config::StoreArgs;
use crate::demo::Generator;

#[derive(Debug, Args)]
pub struct DemoArgs {
    #[command(flatten)]
    store: StoreArgs,
    /// How many reports.
    #[arg(long, default_value_t = 2_000)]
    reports: usize,
    /// Random seed (the same seed gives the same reports).
    #[arg(long, default_value_t = 42)]
    seed: u64,
    /// Write JSON Lines to this file instead of the database.
    #[arg(long)]
    out: Option<PathBuf>,
}

pub async fn run(args: DemoArgs) -> anyhow::Result<ExitCode> {
    if let Some(path) = &args.out {
        let now = time::OffsetDateTime::now_utc().unix_timestamp();
        // Places of the default province, without opening a database.
        let store_dir = tempfile::tempdir()?;
        let mut store_args = args.store.clone();
        store_args.data_dir = Some(store_dir.path().to_path_buf());
        store_args.database_url = None;
        let store = super::open_store(&store_args).await?;
        let places = store.places().iter().map(|p| p.code).collect();
        let mut generator = Generator::new(args.reports, args.seed, places, now);
        let file =
            std::fs::File::create(path).with_context(|| format!("creating {}", path.display()))?;
        let mut out = BufWriter::new(file);
        let bar = indicatif::ProgressBar::new(args.reports as u64);
        for i in 0..args.reports {
            let (input, received) = generator.next_report();
            let mut value = serde_json::to_value(&input)?;
            if let Some(o) = value.as_object_mut() {
                o.retain(|_, v| !v.is_null() && v.as_array().is_none_or(|a| !a.is_empty()));
                let at = time::OffsetDateTime::from_unix_timestamp(received)?
                    .format(&time::format_description::well_known::Rfc3339)?;
                o.insert("received_at".into(), serde_json::Value::String(at));
            }
            serde_json::to_writer(&mut out, &value)?;
            out.write_all(b"\n")?;
            if i % 10_000 == 0 {
                bar.set_position(i as u64);
            }
        }
        out.flush()?;
        bar.finish_and_clear();
        eprintln!("wrote {} reports to {}", args.reports, path.display());
        return Ok(ExitCode::SUCCESS);
    }
    let store = super::open_store(&args.store).await?;
    crate::demo::fill(&store, args.reports, args.seed, true).await?;
    eprintln!("added {} demo reports", args.reports);
    Ok(ExitCode::SUCCESS)
}
