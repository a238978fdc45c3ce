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
            StoreError::Unavailable(sqlx::Error::Database(db)) => db
                .code()
                .and_then(|c| c.parse::<i32>().ok())
                .is_some_and(|code| code & 0xff == SQLITE_FULL),
            StoreError::Unavailable(sqlx::Error::Io(e)) => e.raw_os_error() == Some(ENOSPC),
            StoreError::Io(message) => message.contains("No space left on device"),
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
