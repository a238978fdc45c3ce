//! Backup and restore on PostgreSQL: `pg_dump --format=custom` of one exported snapshot
//! (the rows counted for the manifest and the evidence files copied are those of the
//! same snapshot), and `pg_restore` into an empty database. The manifest is the SQLite
//! one's (`canhgiac-backup/1`) with `canhgiac.pgdump` as the database file. The password
//! of the database URL goes to the tools in `PGPASSWORD`, never on their command line.

use std::collections::BTreeMap;
use std::path::Path;
use std::process::Command;

use crate::backup::{
    check_key, copy_checked, evidence_path, io, put_key, sha256_of, BackupError, GivenKey,
    Manifest, Progress, Restored,
};
use crate::db::Pool;
use crate::{Store, StoreError};

/// The dump's file name in a backup folder.
pub const DUMP_FILE: &str = "canhgiac.pgdump";

/// A PostgreSQL tool with the URL's password moved to `PGPASSWORD`; the URL to pass it.
fn tool(program: &str, url: &str) -> (Command, String) {
    let mut command = Command::new(program);
    let mut plain = url.to_string();
    if let Some(scheme_end) = url.find("://") {
        let rest = &url[scheme_end + 3..];
        let authority_end = rest.find('/').unwrap_or(rest.len());
        if let Some(at) = rest[..authority_end].rfind('@') {
            if let Some(colon) = rest[..at].find(':') {
                let password = percent_decode(&rest[colon + 1..at]);
                command.env("PGPASSWORD", password);
                plain = format!(
                    "{}{}{}",
                    &url[..scheme_end + 3],
                    &rest[..colon],
                    &rest[at..]
                );
            }
        }
    }
    (command, plain)
}

fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            if let Ok(b) = u8::from_str_radix(&s[i + 1..i + 3], 16) {
                out.push(b);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Runs a tool; its standard error is the error when it fails.
fn run(mut command: Command, what: &str) -> Result<(), BackupError> {
    let output = command.output().map_err(|e| {
        BackupError::Io(format!("{what}: {e} (is the PostgreSQL client installed?)"))
    })?;
    if output.status.success() {
        Ok(())
    } else {
        Err(BackupError::Io(format!(
            "{what} failed: {}",
            String::from_utf8_lossy(&output.stderr).trim()
        )))
    }
}

/// Rows per table of the `public` schema, through `executor`.
async fn count_tables(
    connection: &mut crate::db::Connection,
) -> Result<BTreeMap<String, i64>, BackupError> {
    let names: Vec<String> = sqlx::query_scalar(
        "SELECT table_name::text FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY 1",
    )
    .fetch_all(&mut *connection)
    .await?;
    let mut tables = BTreeMap::new();
    for name in names {
        let sql = format!("SELECT count(*) FROM \"{}\"", name.replace('"', "\"\""));
        let rows: i64 = sqlx::query_scalar(&sql).fetch_one(&mut *connection).await?;
        tables.insert(name, rows);
    }
    Ok(tables)
}

impl Store {
    /// `canhgiac backup` on PostgreSQL.
    pub(crate) async fn backup_postgres(
        &self,
        folder: &Path,
        with_key: bool,
        software: &str,
        progress: &(dyn Fn(Progress) + Sync),
    ) -> Result<Manifest, BackupError> {
        let url = self
            .database_url
            .clone()
            .ok_or_else(|| BackupError::Io("no database URL".into()))?;
        progress(Progress::Step("snapshot"));
        let mut tx = self.pool.begin().await?;
        sqlx::query("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            .execute(&mut *tx)
            .await?;
        let snapshot: String = sqlx::query_scalar("SELECT pg_export_snapshot()")
            .fetch_one(&mut *tx)
            .await?;
        let dump = folder.join(DUMP_FILE);
        let (mut command, plain_url) = tool("pg_dump", &url);
        command
            .arg("--format=custom")
            .arg("--no-owner")
            .arg(format!("--snapshot={snapshot}"))
            .arg("--file")
            .arg(&dump)
            .arg(&plain_url);
        let dumped = tokio::task::spawn_blocking(move || run(command, "pg_dump"));
        let tables = count_tables(&mut tx).await?;
        let digests: Vec<String> =
            sqlx::query_scalar("SELECT sha256 FROM evidence ORDER BY sha256")
                .fetch_all(&mut *tx)
                .await?;
        dumped
            .await
            .map_err(|e| BackupError::Io(format!("pg_dump: {e}")))??;
        tx.commit().await?;
        std::fs::File::open(&dump)
            .and_then(|f| f.sync_all())
            .map_err(|e| io("syncing", &dump, e))?;
        self.complete_backup(
            folder, DUMP_FILE, tables, &digests, with_key, software, progress,
        )
    }
}

/// Restores a PostgreSQL backup into the empty database `url`, its evidence and key
/// into `data_dir`. Refuses a database that already has tables.
pub(crate) async fn restore_postgres(
    folder: &Path,
    manifest: Manifest,
    data_dir: &Path,
    url: &str,
    given: GivenKey<'_>,
    progress: &(dyn Fn(Progress) + Sync),
) -> Result<Restored, BackupError> {
    sqlx::any::install_default_drivers();
    let pool = Pool::connect(url).await.map_err(StoreError::from)?;
    let mut connection = pool.acquire().await?;
    let existing = count_tables(&mut connection).await?;
    if !existing.is_empty() {
        let (_, plain) = tool("pg_restore", url);
        return Err(BackupError::TargetDatabaseNotEmpty(plain));
    }

    progress(Progress::Step("verify"));
    let dump = folder.join(&manifest.database.file);
    let (sha256, _) = sha256_of(&dump)?;
    if sha256 != manifest.database.sha256 {
        return Err(BackupError::Damaged {
            file: dump.display().to_string(),
            found: sha256,
            expected: manifest.database.sha256.clone(),
        });
    }
    let key = match given {
        GivenKey::None => None,
        GivenKey::Environment(k) | GivenKey::File(k) => Some(k),
    };
    check_key(&manifest, folder, data_dir, key)?;

    progress(Progress::Step("copy"));
    std::fs::create_dir_all(data_dir).map_err(|e| io("creating", data_dir, e))?;
    let digests = evidence_in(folder)?;
    let total = digests.len() as u64;
    for (done, digest) in digests.iter().enumerate() {
        progress(Progress::Evidence {
            done: done as u64,
            total,
        });
        if let (Some(from), Some(to)) = (
            evidence_path(folder, digest),
            evidence_path(data_dir, digest),
        ) {
            copy_checked(&from, &to, digest)?;
        }
    }
    progress(Progress::Evidence { done: total, total });
    put_key(&manifest, folder, data_dir, given)?;

    progress(Progress::Step("database"));
    let (mut command, plain_url) = tool("pg_restore", url);
    command
        .arg("--no-owner")
        .arg("--exit-on-error")
        .arg("--single-transaction")
        .arg("--dbname")
        .arg(&plain_url)
        .arg(&dump);
    tokio::task::spawn_blocking(move || run(command, "pg_restore"))
        .await
        .map_err(|e| BackupError::Io(format!("pg_restore: {e}")))??;

    progress(Progress::Step("integrity"));
    let tables = count_tables(&mut connection).await?;
    drop(connection);
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

/// The digests of the evidence files in a backup folder.
fn evidence_in(folder: &Path) -> Result<Vec<String>, BackupError> {
    let mut out = Vec::new();
    let root = folder.join("evidence");
    if !root.exists() {
        return Ok(out);
    }
    for first in std::fs::read_dir(&root).map_err(|e| io("reading", &root, e))? {
        let first = first.map_err(|e| io("reading", &root, e))?.path();
        for second in std::fs::read_dir(&first).map_err(|e| io("reading", &first, e))? {
            let second = second.map_err(|e| io("reading", &first, e))?.path();
            for file in std::fs::read_dir(&second).map_err(|e| io("reading", &second, e))? {
                let file = file.map_err(|e| io("reading", &second, e))?;
                if let Some(name) = file.file_name().to_str() {
                    out.push(name.to_string());
                }
            }
        }
    }
    out.sort();
    Ok(out)
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_password_leaves_the_command_line() {
        let (command, url) = super::tool("pg_dump", "postgres://cg:p%40ss@db:5432/canhgiac");
        assert_eq!(url, "postgres://cg@db:5432/canhgiac");
        let password = command
            .get_envs()
            .find(|(k, _)| *k == "PGPASSWORD")
            .and_then(|(_, v)| v)
            .and_then(|v| v.to_str());
        assert_eq!(password, Some("p@ss"));
        let (_, url) = super::tool("pg_dump", "postgres://db/canhgiac");
        assert_eq!(url, "postgres://db/canhgiac");
    }
}
