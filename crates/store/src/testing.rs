//! For test suites that run on both backends: with `CANHGIAC_TEST_DATABASE_URL` set to
//! a PostgreSQL server (`postgres://user:pass@host/postgres`, a user that may create
//! databases), each test's data directory gets its own fresh database on it; without
//! it, tests use SQLite in the directory as always.

use std::path::Path;

use sha2::{Digest, Sha256};
use sqlx::Connection;

use crate::db::Backend;
use crate::{Store, StoreError};

/// The variable naming the PostgreSQL server tests run on.
pub const TEST_DATABASE_URL: &str = "CANHGIAC_TEST_DATABASE_URL";

/// The database URL for a test's data directory: `None` (SQLite in the directory), or
/// a database of its own on the test server, created on first use (the same directory
/// gets the same database, so a test can reopen its store).
pub async fn database_url_for(dir: &Path) -> Result<Option<String>, StoreError> {
    let Ok(server) = std::env::var(TEST_DATABASE_URL) else {
        return Ok(None);
    };
    if server.is_empty() {
        return Ok(None);
    }
    database_on(&server, dir).await.map(Some)
}

/// A database of its own for `dir` on the PostgreSQL server `server`, created on first
/// use; its URL.
pub async fn database_on(server: &str, dir: &Path) -> Result<String, StoreError> {
    let digest = Sha256::digest(dir.display().to_string().as_bytes());
    let name = format!("canhgiac_test_{}", hex::encode(&digest[..10]));
    let mut admin = sqlx::PgConnection::connect(server).await?;
    let exists: Option<i32> = sqlx::query_scalar("SELECT 1 FROM pg_database WHERE datname = $1")
        .bind(&name)
        .fetch_optional(&mut admin)
        .await?;
    if exists.is_none() {
        sqlx::query(&format!("CREATE DATABASE {name}"))
            .execute(&mut admin)
            .await?;
    }
    admin.close().await?;
    let base = match server.rfind('/') {
        Some(i) if i > server.find("://").map_or(0, |s| s + 2) => &server[..i],
        _ => server,
    };
    let query = server.find('?').map(|q| &server[q..]).unwrap_or_default();
    Ok(format!("{base}/{name}{query}"))
}

/// Everything the store keeps, as text, for tests that look for personal data stored
/// in the clear: on SQLite the bytes of every file in the data directory (database,
/// WAL, search file, keys); on PostgreSQL every row of every table cast to text
/// (`bytea` shows as hex) plus the files of the data directory.
pub async fn stored_text(store: &Store) -> Result<String, StoreError> {
    let mut bytes = Vec::new();
    read_files(store.data_dir(), &mut bytes);
    if store.backend() == Backend::Postgres {
        let tables: Vec<String> = sqlx::query_scalar(
            "SELECT table_name::text FROM information_schema.tables WHERE table_schema = 'public'",
        )
        .fetch_all(store.pool())
        .await?;
        for table in &tables {
            let rows: Vec<String> =
                sqlx::query_scalar(&format!("SELECT CAST(t AS TEXT) FROM {table} t"))
                    .fetch_all(store.pool())
                    .await?;
            for row in rows {
                bytes.extend(row.into_bytes());
                bytes.push(b'\n');
            }
        }
    }
    Ok(String::from_utf8_lossy(&bytes).into_owned())
}

fn read_files(dir: &Path, out: &mut Vec<u8>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            read_files(&path, out);
        } else if let Ok(content) = std::fs::read(&path) {
            // SQLite may remove its -wal/-shm files while we look.
            out.extend(content);
        }
    }
}
