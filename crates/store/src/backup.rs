//! Backups of an SQLite data directory, and their restoration with an integrity check.
//!
//! A backup is a folder:
//! - `canhgiac.db`: a consistent snapshot of the database made with `VACUUM INTO`
//!   while the server keeps running (a read transaction: writers are not blocked);
//! - `evidence/…`: the evidence files the snapshot names, each checked against its
//!   SHA-256 as it is copied;
//! - `keys/data.key`, only when asked: the key that opens reporters' personal data.
//!   Kept apart by default, so that a stolen backup does not carry its own key;
//! - `manifest.json`: the snapshot's SHA-256 and size, SQLite's integrity check, the
//!   rows of every table, the evidence copied (and any missing), and a check value
//!   of the key that tells whether a key given at restore is the right one.
//!
//! The search index is not copied: it is derived, and rebuilt when the server starts.
//! Restoring refuses a data directory that already holds a database, checks every
//! file against the manifest before anything is written, and checks the restored
//! database (integrity, rows per table) before it says it is done.

use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::str::FromStr;

use secrecy::SecretString;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use sqlx::sqlite::{SqliteConnectOptions, SqlitePoolOptions};
use sqlx::{Row, SqlitePool};

use crate::crypto::Sealer;
use crate::{Store, StoreError};

/// The manifest's `format`.
pub const FORMAT: &str = "canhgiac-backup/1";
const DATABASE_FILE: &str = "canhgiac.db";
const MANIFEST_FILE: &str = "manifest.json";

/// What a backup holds.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct Manifest {
    pub format: String,
    /// RFC 3339, UTC.
    pub created_at: String,
    /// The version of canhgiac that wrote it.
    pub software: String,
    pub database: DatabaseEntry,
    pub evidence: EvidenceEntry,
    pub key: KeyEntry,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct DatabaseEntry {
    pub file: String,
    pub sha256: String,
    pub bytes: u64,
    /// Rows per table.
    pub tables: BTreeMap<String, i64>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct EvidenceEntry {
    pub files: u64,
    pub bytes: u64,
    /// Files the database names that were absent or damaged in the data directory.
    pub missing: Vec<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct KeyEntry {
    /// `keys/data.key` is in the backup.
    pub included: bool,
    /// A fingerprint made with the key: equal for the same key, and says nothing of it.
    pub check: String,
}

/// What went wrong, in words an operator can act on.
#[derive(Debug, thiserror::Error)]
pub enum BackupError {
    #[error("{0} already holds a database: restore into a new, empty data directory")]
    TargetHasDatabase(PathBuf),
    #[error("{0} is not empty: write the backup into a new folder")]
    BackupFolderNotEmpty(PathBuf),
    #[error("{0} is not a canhgiac backup ({1})")]
    NotABackup(PathBuf, String),
    #[error("{file} is damaged: its SHA-256 is {found}, the manifest says {expected}")]
    Damaged {
        file: String,
        found: String,
        expected: String,
    },
    #[error("the database fails SQLite's integrity check: {0}")]
    Integrity(String),
    #[error("table {table} has {found} rows, the manifest says {expected}")]
    Rows {
        table: String,
        found: i64,
        expected: i64,
    },
    #[error("the backup holds no data key and none was given: set CANHGIAC_DATA_KEY, or pass --key-file with the keys/data.key of the backed-up server")]
    NoKey,
    #[error("the data key given is not the one of the backup: reporters' personal data could not be read with it")]
    WrongKey,
    #[error("the data key comes from CANHGIAC_DATA_KEY, not a file: keep it with your other secrets; it cannot be put in the backup")]
    KeyNotInFile,
    #[error("the database {0} already has tables: restore into a new, empty database")]
    TargetDatabaseNotEmpty(String),
    #[error("a PostgreSQL backup is restored into a PostgreSQL database: give --database-url postgres://… of a new, empty database")]
    NeedsPostgres,
    #[error(
        "a SQLite backup is restored into a data directory: give --data-dir, not --database-url"
    )]
    NeedsDataDir,
    #[error("{0}")]
    Io(String),
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl From<sqlx::Error> for BackupError {
    fn from(e: sqlx::Error) -> Self {
        BackupError::Store(StoreError::Unavailable(e))
    }
}

/// How far a backup or a restore is, for a progress bar.
#[derive(Debug, Clone, Copy)]
pub enum Progress {
    /// A step starts.
    Step(&'static str),
    /// Evidence files: done of total.
    Evidence { done: u64, total: u64 },
}

pub(crate) fn io(what: &str, path: &Path, e: std::io::Error) -> BackupError {
    BackupError::Io(format!("{what} {}: {e}", path.display()))
}

/// SHA-256 of a file, read in blocks.
pub(crate) fn sha256_of(path: &Path) -> Result<(String, u64), BackupError> {
    let mut file = std::fs::File::open(path).map_err(|e| io("opening", path, e))?;
    let mut hasher = Sha256::new();
    let bytes = std::io::copy(&mut file, &mut hasher).map_err(|e| io("reading", path, e))?;
    Ok((hex::encode(hasher.finalize()), bytes))
}

/// Writes `data` to `path` durably: a temporary file beside it, synced, renamed.
pub(crate) fn write_durably(path: &Path, data: &[u8]) -> Result<(), BackupError> {
    let dir = path
        .parent()
        .ok_or_else(|| BackupError::Io(format!("{} has no folder", path.display())))?;
    std::fs::create_dir_all(dir).map_err(|e| io("creating", dir, e))?;
    let mut tmp = tempfile::Builder::new()
        .prefix(".restore-")
        .tempfile_in(dir)
        .map_err(|e| io("creating a temporary file in", dir, e))?;
    tmp.write_all(data)
        .and_then(|()| tmp.as_file().sync_all())
        .map_err(|e| io("writing", path, e))?;
    tmp.persist(path)
        .map_err(|e| io("renaming into", path, e.error))?;
    std::fs::File::open(dir)
        .and_then(|d| d.sync_all())
        .map_err(|e| io("syncing", dir, e))
}

/// Copies a file durably in blocks (a database may be larger than memory), checking
/// that what was read hashes to `expected` before the copy takes its name.
pub(crate) fn copy_checked(from: &Path, to: &Path, expected: &str) -> Result<u64, BackupError> {
    let dir = to
        .parent()
        .ok_or_else(|| BackupError::Io(format!("{} has no folder", to.display())))?;
    std::fs::create_dir_all(dir).map_err(|e| io("creating", dir, e))?;
    let mut source = std::fs::File::open(from).map_err(|e| io("opening", from, e))?;
    let mut tmp = tempfile::Builder::new()
        .prefix(".restore-")
        .tempfile_in(dir)
        .map_err(|e| io("creating a temporary file in", dir, e))?;
    let mut hasher = Sha256::new();
    let mut block = vec![0u8; 1 << 20];
    let mut bytes = 0u64;
    loop {
        let n = std::io::Read::read(&mut source, &mut block).map_err(|e| io("reading", from, e))?;
        if n == 0 {
            break;
        }
        hasher.update(&block[..n]);
        tmp.write_all(&block[..n])
            .map_err(|e| io("writing", to, e))?;
        bytes += n as u64;
    }
    let found = hex::encode(hasher.finalize());
    if found != expected {
        return Err(BackupError::Damaged {
            file: from.display().to_string(),
            found,
            expected: expected.to_string(),
        });
    }
    tmp.as_file().sync_all().map_err(|e| io("syncing", to, e))?;
    tmp.persist(to)
        .map_err(|e| io("renaming into", to, e.error))?;
    std::fs::File::open(dir)
        .and_then(|d| d.sync_all())
        .map_err(|e| io("syncing", dir, e))?;
    Ok(bytes)
}

/// Where an evidence file lives under a folder.
pub(crate) fn evidence_path(root: &Path, digest: &str) -> Option<PathBuf> {
    let valid = digest.len() == 64 && digest.bytes().all(|b| b.is_ascii_hexdigit());
    valid.then(|| {
        root.join("evidence")
            .join(&digest[..2])
            .join(&digest[2..4])
            .join(digest)
    })
}

/// Opens a database file read-only, alone (no search index attached).
async fn open_read_only(path: &Path) -> Result<SqlitePool, BackupError> {
    let options = SqliteConnectOptions::from_str(&format!("sqlite://{}", path.display()))
        .map_err(BackupError::from)?
        .read_only(true)
        .immutable(true);
    Ok(SqlitePoolOptions::new()
        .max_connections(1)
        .connect_with(options)
        .await?)
}

/// SQLite's full integrity check, then the rows of every table.
async fn inspect(pool: &SqlitePool) -> Result<BTreeMap<String, i64>, BackupError> {
    let problems: Vec<String> = sqlx::query_scalar("PRAGMA integrity_check")
        .fetch_all(pool)
        .await?;
    if problems != ["ok"] {
        return Err(BackupError::Integrity(problems.join("; ")));
    }
    let names: Vec<String> = sqlx::query_scalar(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name",
    )
    .fetch_all(pool)
    .await?;
    let mut tables = BTreeMap::new();
    for name in names {
        let sql = format!("SELECT count(*) FROM \"{}\"", name.replace('"', "\"\""));
        let rows: i64 = sqlx::query_scalar(&sql).fetch_one(pool).await?;
        tables.insert(name, rows);
    }
    Ok(tables)
}

impl Store {
    /// Writes a backup of the running store into `folder` (new or empty). With
    /// `with_key`, the data key file goes in too.
    pub async fn backup(
        &self,
        folder: &Path,
        with_key: bool,
        software: &str,
        progress: &(dyn Fn(Progress) + Sync),
    ) -> Result<Manifest, BackupError> {
        if folder.exists()
            && std::fs::read_dir(folder)
                .map_err(|e| io("reading", folder, e))?
                .next()
                .is_some()
        {
            return Err(BackupError::BackupFolderNotEmpty(folder.to_path_buf()));
        }
        std::fs::create_dir_all(folder).map_err(|e| io("creating", folder, e))?;
        let key_file = self.data_dir.join("keys").join("data.key");
        if with_key && !key_file.exists() {
            return Err(BackupError::KeyNotInFile);
        }

        if self.backend == crate::db::Backend::Postgres {
            return self
                .backup_postgres(folder, with_key, software, progress)
                .await;
        }

        progress(Progress::Step("snapshot"));
        let snapshot = folder.join(DATABASE_FILE);
        let target = snapshot
            .to_str()
            .ok_or_else(|| BackupError::Io(format!("{} is not UTF-8", snapshot.display())))?;
        sqlx::query("VACUUM main INTO ?")
            .bind(target)
            .execute(&self.pool)
            .await?;
        std::fs::File::open(&snapshot)
            .and_then(|f| f.sync_all())
            .map_err(|e| io("syncing", &snapshot, e))?;

        progress(Progress::Step("integrity"));
        let pool = open_read_only(&snapshot).await?;
        let tables = inspect(&pool).await?;
        let digests: Vec<String> = sqlx::query("SELECT sha256 FROM evidence ORDER BY sha256")
            .fetch_all(&pool)
            .await?
            .iter()
            .map(|r| r.get::<String, _>(0))
            .collect();
        pool.close().await;

        self.complete_backup(
            folder,
            DATABASE_FILE,
            tables,
            &digests,
            with_key,
            software,
            progress,
        )
    }

    /// What a backup does after its database snapshot, on either backend: copies the
    /// evidence files the snapshot names (and the key, when asked), then writes the
    /// manifest with the snapshot's digest, last, so that a folder with a manifest is a
    /// whole backup.
    #[allow(clippy::too_many_arguments)]
    pub(crate) fn complete_backup(
        &self,
        folder: &Path,
        database_file: &str,
        tables: BTreeMap<String, i64>,
        digests: &[String],
        with_key: bool,
        software: &str,
        progress: &(dyn Fn(Progress) + Sync),
    ) -> Result<Manifest, BackupError> {
        let evidence = self.copy_evidence(folder, digests, progress)?;
        let (sha256, bytes) = sha256_of(&folder.join(database_file))?;
        if with_key {
            let key_file = self.data_dir.join("keys").join("data.key");
            let data = std::fs::read(&key_file).map_err(|e| io("reading", &key_file, e))?;
            write_durably(&folder.join("keys").join("data.key"), &data)?;
        }
        let manifest = Manifest {
            format: FORMAT.to_string(),
            created_at: canhgiac_core::clock::rfc3339(
                time::OffsetDateTime::now_utc().unix_timestamp(),
            )
            .unwrap_or_default(),
            software: software.to_string(),
            database: DatabaseEntry {
                file: database_file.to_string(),
                sha256,
                bytes,
                tables,
            },
            evidence,
            key: KeyEntry {
                included: with_key,
                check: self.sealer.key_check(),
            },
        };
        let json = serde_json::to_vec_pretty(&manifest)
            .map_err(|e| BackupError::Io(format!("writing the manifest: {e}")))?;
        write_durably(&folder.join(MANIFEST_FILE), &json)?;
        Ok(manifest)
    }

    /// Copies the evidence files the snapshot names; absent or damaged ones are
    /// listed, not copied.
    pub(crate) fn copy_evidence(
        &self,
        folder: &Path,
        digests: &[String],
        progress: &(dyn Fn(Progress) + Sync),
    ) -> Result<EvidenceEntry, BackupError> {
        let mut entry = EvidenceEntry {
            files: 0,
            bytes: 0,
            missing: Vec::new(),
        };
        let total = digests.len() as u64;
        for (done, digest) in digests.iter().enumerate() {
            progress(Progress::Evidence {
                done: done as u64,
                total,
            });
            let (Some(from), Some(to)) = (
                evidence_path(&self.data_dir, digest),
                evidence_path(folder, digest),
            ) else {
                entry.missing.push(digest.clone());
                continue;
            };
            match copy_checked(&from, &to, digest) {
                Ok(bytes) => {
                    entry.files += 1;
                    entry.bytes += bytes;
                }
                Err(BackupError::Damaged { .. }) => entry.missing.push(digest.clone()),
                Err(BackupError::Io(_)) if !from.exists() => entry.missing.push(digest.clone()),
                Err(e) => return Err(e),
            }
        }
        progress(Progress::Evidence { done: total, total });
        Ok(entry)
    }
}

/// What a restore put back.
#[derive(Debug, Clone)]
pub struct Restored {
    pub manifest: Manifest,
    /// Rows per table in the restored database (equal to the manifest's).
    pub tables: BTreeMap<String, i64>,
}

/// Reads and checks a backup's manifest.
pub fn read_manifest(folder: &Path) -> Result<Manifest, BackupError> {
    let path = folder.join(MANIFEST_FILE);
    let text = std::fs::read(&path).map_err(|e| {
        BackupError::NotABackup(folder.to_path_buf(), format!("{MANIFEST_FILE}: {e}"))
    })?;
    let manifest: Manifest = serde_json::from_slice(&text).map_err(|e| {
        BackupError::NotABackup(folder.to_path_buf(), format!("{MANIFEST_FILE}: {e}"))
    })?;
    if manifest.format != FORMAT {
        return Err(BackupError::NotABackup(
            folder.to_path_buf(),
            format!("format {}, expected {FORMAT}", manifest.format),
        ));
    }
    Ok(manifest)
}

/// The data key for a backup that holds none.
pub enum GivenKey<'a> {
    /// None given: the key file already in the data directory, if any.
    None,
    /// From the environment: the restored server will read it there too.
    Environment(&'a SecretString),
    /// From a key file: written into the data directory, as the server keeps it.
    File(&'a SecretString),
}

/// Checks that the key of a restore (the backup's, the one given, or the one already in
/// `data_dir`) is the key the backup was written with.
pub(crate) fn check_key(
    manifest: &Manifest,
    folder: &Path,
    data_dir: &Path,
    key: Option<&SecretString>,
) -> Result<(), BackupError> {
    let backup_key = folder.join("keys").join("data.key");
    if manifest.key.included && !backup_key.exists() {
        return Err(BackupError::NotABackup(
            folder.to_path_buf(),
            "the manifest says keys/data.key is included, and it is not there".into(),
        ));
    }
    let sealer = match (manifest.key.included, key) {
        (true, _) => Sealer::from_config(None, folder)?,
        (false, Some(k)) => Sealer::from_config(Some(k), data_dir)?,
        (false, None) if data_dir.join("keys").join("data.key").exists() => {
            Sealer::from_config(None, data_dir)?
        }
        (false, None) => return Err(BackupError::NoKey),
    };
    if sealer.key_check() != manifest.key.check {
        return Err(BackupError::WrongKey);
    }
    Ok(())
}

/// Writes the restored server's key file: the backup's, or the one given as a file.
pub(crate) fn put_key(
    manifest: &Manifest,
    folder: &Path,
    data_dir: &Path,
    given: GivenKey<'_>,
) -> Result<(), BackupError> {
    let target_key = data_dir.join("keys").join("data.key");
    if manifest.key.included {
        let backup_key = folder.join("keys").join("data.key");
        let data = std::fs::read(&backup_key).map_err(|e| io("reading", &backup_key, e))?;
        write_durably(&target_key, &data)?;
    } else if let GivenKey::File(k) = given {
        use secrecy::ExposeSecret;
        write_durably(&target_key, k.expose_secret().as_bytes())?;
    }
    Ok(())
}

/// Restores the backup in `folder` into the data directory `data_dir`, which must not
/// hold a database. Nothing is written until every file checks out.
pub async fn restore(
    folder: &Path,
    data_dir: &Path,
    database_url: Option<&str>,
    given: GivenKey<'_>,
    progress: &(dyn Fn(Progress) + Sync),
) -> Result<Restored, BackupError> {
    let manifest = read_manifest(folder)?;
    let postgres = database_url
        .filter(|url| crate::db::Backend::of_url(url) == Some(crate::db::Backend::Postgres));
    match (manifest.database.file.as_str(), postgres, database_url) {
        (crate::backup_pg::DUMP_FILE, Some(url), _) => {
            return crate::backup_pg::restore_postgres(
                folder, manifest, data_dir, url, given, progress,
            )
            .await
        }
        (crate::backup_pg::DUMP_FILE, None, _) => return Err(BackupError::NeedsPostgres),
        (_, _, Some(_)) => return Err(BackupError::NeedsDataDir),
        _ => {}
    }
    let key = match given {
        GivenKey::None => None,
        GivenKey::Environment(k) | GivenKey::File(k) => Some(k),
    };
    let target_db = data_dir.join(DATABASE_FILE);
    if target_db.exists() {
        return Err(BackupError::TargetHasDatabase(data_dir.to_path_buf()));
    }

    progress(Progress::Step("verify"));
    let source_db = folder.join(&manifest.database.file);
    let (sha256, _) = sha256_of(&source_db)?;
    if sha256 != manifest.database.sha256 {
        return Err(BackupError::Damaged {
            file: source_db.display().to_string(),
            found: sha256,
            expected: manifest.database.sha256.clone(),
        });
    }
    check_key(&manifest, folder, data_dir, key)?;
    let digests: Vec<String> = {
        let pool = open_read_only(&source_db).await?;
        let rows = sqlx::query("SELECT sha256 FROM evidence ORDER BY sha256")
            .fetch_all(&pool)
            .await?;
        pool.close().await;
        rows.iter().map(|r| r.get::<String, _>(0)).collect()
    };

    progress(Progress::Step("copy"));
    std::fs::create_dir_all(data_dir).map_err(|e| io("creating", data_dir, e))?;
    let total = digests.len() as u64;
    for (done, digest) in digests.iter().enumerate() {
        progress(Progress::Evidence {
            done: done as u64,
            total,
        });
        if manifest.evidence.missing.contains(digest) {
            continue;
        }
        if let (Some(from), Some(to)) = (
            evidence_path(folder, digest),
            evidence_path(data_dir, digest),
        ) {
            copy_checked(&from, &to, digest)?;
        }
    }
    progress(Progress::Evidence { done: total, total });
    put_key(&manifest, folder, data_dir, given)?;
    // The database last: a data directory with a database is a restored one.
    copy_checked(&source_db, &target_db, &manifest.database.sha256)?;

    progress(Progress::Step("integrity"));
    let pool = open_read_only(&target_db).await?;
    let tables = inspect(&pool).await?;
    pool.close().await;
    for (table, expected) in &manifest.database.tables {
        let found = tables.get(table).copied().unwrap_or(-1);
        if found != *expected {
            return Err(BackupError::Rows {
                table: table.clone(),
                found,
                expected: *expected,
            });
        }
    }
    Ok(Restored { manifest, tables })
}
