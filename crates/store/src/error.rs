//! Storage errors.

/// What can go wrong in the store.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The row asked for does not exist.
    #[error("not found")]
    NotFound,
    /// A uniqueness rule was broken (for example an idempotency key reused with other content).
    #[error("conflict: {0}")]
    Conflict(String),
    /// The database is unreachable or failed.
    #[error("database unavailable: {0}")]
    Unavailable(#[from] sqlx::Error),
    /// Migrations failed.
    #[error("migration failed: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    /// A file operation failed.
    #[error("file error: {0}")]
    Io(String),
    /// Sealing or opening personal data failed (wrong key?).
    #[error("crypto error: {0}")]
    Crypto(String),
    /// Bad configuration.
    #[error("configuration: {0}")]
    Config(String),
    /// Not supported yet.
    #[error("unsupported: {0}")]
    Unsupported(String),
    /// Stored data could not be decoded.
    #[error("corrupt data: {0}")]
    Corrupt(String),
}

impl StoreError {
    /// The disk under the data directory is full (SQLite's `SQLITE_FULL`, or a file
    /// write that found no space): writes fail until space returns; reads still work.
    pub fn is_disk_full(&self) -> bool {
        match self {
            // PostgreSQL: SQLSTATE 53100 (disk_full); SQLite: SQLITE_FULL, extended or not.
            StoreError::Unavailable(sqlx::Error::Database(db)) => db.code().is_some_and(|c| {
                c == "53100"
                    || c.parse::<i32>()
                        .is_ok_and(|code| code & 0xff == SQLITE_FULL)
            }),
            StoreError::Unavailable(sqlx::Error::Io(e)) => e.raw_os_error() == Some(ENOSPC),
            StoreError::Io(message) => message.contains("No space left on device"),
            _ => false,
        }
    }

    /// The database cannot be reached or is going away (a connection refused or cut,
    /// PostgreSQL shutting down or restarting, too many connections, no connection
    /// free in time): worth a 503 and a retry, not a 500.
    pub fn is_unreachable(&self) -> bool {
        let StoreError::Unavailable(e) = self else {
            return false;
        };
        match e {
            sqlx::Error::Io(_)
            | sqlx::Error::PoolTimedOut
            | sqlx::Error::PoolClosed
            | sqlx::Error::WorkerCrashed
            | sqlx::Error::Tls(_) => true,
            // SQLSTATE classes 08 (connection exception), 57 (operator intervention:
            // admin shutdown, crash shutdown, cannot connect now) and 53300 (too many
            // connections).
            sqlx::Error::Database(db) => db
                .code()
                .is_some_and(|c| c.starts_with("08") || c.starts_with("57") || c == "53300"),
            _ => false,
        }
    }

    /// Whether an sqlx error is a UNIQUE constraint violation.
    pub(crate) fn is_unique_violation(e: &sqlx::Error) -> bool {
        matches!(e, sqlx::Error::Database(d) if d.is_unique_violation())
    }
}

/// SQLite's primary result code for a full disk.
const SQLITE_FULL: i32 = 13;
/// The operating system's "no space left on device".
const ENOSPC: i32 = 28;
