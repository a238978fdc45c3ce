//! Configuration, layered: built-in defaults → `canhgiac.toml` (or `--config`) →
//! `CANHGIAC_*` environment → command-line flags.

use std::path::PathBuf;

use anyhow::Context;
use clap::Args;
use secrecy::SecretString;
use serde::Deserialize;

/// Where the data lives; shared by every subcommand that opens the store.
#[derive(Debug, Clone, Args)]
pub struct StoreArgs {
    /// Configuration file (TOML). Default: ./canhgiac.toml when it exists.
    #[arg(long, env = "CANHGIAC_CONFIG")]
    pub config: Option<PathBuf>,
    /// Data directory: database, keys, evidence files. Default: ./canhgiac-data
    #[arg(long, env = "CANHGIAC_DATA_DIR")]
    pub data_dir: Option<PathBuf>,
    /// Database URL (sqlite://… or postgres://user:password@host/database). Default: canhgiac.db in the data directory.
    #[arg(long, env = "CANHGIAC_DATABASE_URL")]
    pub database_url: Option<String>,
    /// Province served. Default: Đồng Nai.
    #[arg(long, env = "CANHGIAC_PROVINCE")]
    pub province: Option<String>,
}

/// The file's contents.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FileConfig {
    pub address: Option<String>,
    pub data_dir: Option<PathBuf>,
    pub database_url: Option<String>,
    pub province: Option<String>,
}

impl StoreArgs {
    /// Reads the configuration file, if any.
    pub fn file(&self) -> anyhow::Result<FileConfig> {
        let (path, required) = match &self.config {
            Some(p) => (p.clone(), true),
            None => (PathBuf::from("canhgiac.toml"), false),
        };
        if !path.exists() {
            anyhow::ensure!(
                !required,
                "configuration file {} does not exist",
                path.display()
            );
            return Ok(FileConfig::default());
        }
        let text = std::fs::read_to_string(&path)
            .with_context(|| format!("reading {}", path.display()))?;
        toml::from_str(&text).with_context(|| format!("in {}", path.display()))
    }

    /// The store configuration after layering.
    pub fn resolve(&self) -> anyhow::Result<canhgiac_store::StoreConfig> {
        let file = self.file()?;
        // The data key comes only from the environment (never a flag: flags show in `ps`).
        let data_key = std::env::var("CANHGIAC_DATA_KEY")
            .ok()
            .filter(|k| !k.is_empty())
            .map(SecretString::from);
        Ok(canhgiac_store::StoreConfig {
            data_dir: self
                .data_dir
                .clone()
                .or(file.data_dir)
                .unwrap_or_else(|| PathBuf::from("canhgiac-data")),
            database_url: self.database_url.clone().or(file.database_url),
            data_key,
            province: self
                .province
                .clone()
                .or(file.province)
                .unwrap_or_else(|| "Đồng Nai".to_string()),
            cache_mib: 32,
        })
    }
}
