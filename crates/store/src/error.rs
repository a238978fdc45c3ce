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
    /// Whether an sqlx error is a UNIQUE constraint violation.
    pub(crate) fn is_unique_violation(e: &sqlx::Error) -> bool {
        matches!(e, sqlx::Error::Database(d) if d.is_unique_violation())
    }
}
