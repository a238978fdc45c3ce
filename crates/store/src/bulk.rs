//! Bulk loading: the secondary indexes of reports and transfers are dropped while an
//! import writes and built once at its end (sorting once is far cheaper than a million
//! random inserts into each). `Store::open` rebuilds any that an interrupted import
//! left missing.

use crate::{Store, StoreError};

/// The page cache of the connection that builds the indexes, KiB.
const INDEX_BUILD_CACHE_KIB: i64 = 64 * 1024;

/// The secondary indexes a bulk import suspends: (name, definition).
pub const BULK_INDEXES: [(&str, &str); 6] = [
    ("reports_by_status", "reports(status, created_at)"),
    ("reports_by_amount", "reports(amount_lost_vnd)"),
    ("reports_by_place", "reports(place_code, amount_lost_vnd)"),
    ("transfers_by_time", "transfers(transferred_at)"),
    (
        "reports_by_time",
        "reports(created_at, method_key, amount_lost_vnd)",
    ),
    (
        "report_identifiers_by_identifier",
        "report_identifiers(identifier_key, report_id)",
    ),
];

impl Store {
    /// Drops the secondary indexes before a bulk import.
    pub async fn bulk_load_begin(&self) -> Result<(), StoreError> {
        let _guard = self.write_lock.lock().await;
        for (name, _) in BULK_INDEXES {
            sqlx::query(&format!("DROP INDEX IF EXISTS {name}"))
                .execute(&self.pool)
                .await?;
        }
        Ok(())
    }

    /// Builds the secondary indexes (those missing) after a bulk import or at start.
    ///
    /// The sorts run on one connection with a small page cache and their temporary
    /// data on disk: with the import's 512 MiB cache and temporary data in memory, a
    /// million rows took the importer to 1.4 GiB. Both settings are put back after.
    pub async fn ensure_indexes(&self) -> Result<(), StoreError> {
        let _guard = self.write_lock.lock().await;
        if self.backend == crate::db::Backend::Postgres {
            for (name, definition) in BULK_INDEXES {
                sqlx::query(&format!(
                    "CREATE INDEX IF NOT EXISTS {name} ON {definition}"
                ))
                .execute(&self.pool)
                .await?;
            }
            return Ok(());
        }
        let mut conn = self.pool.acquire().await?;
        let cache: i64 = sqlx::query_scalar("PRAGMA cache_size")
            .fetch_one(&mut *conn)
            .await?;
        sqlx::query(&format!("PRAGMA cache_size = -{INDEX_BUILD_CACHE_KIB}"))
            .execute(&mut *conn)
            .await?;
        sqlx::query("PRAGMA temp_store = FILE")
            .execute(&mut *conn)
            .await?;
        let mut built = Ok(());
        for (name, definition) in BULK_INDEXES {
            built = sqlx::query(&format!(
                "CREATE INDEX IF NOT EXISTS {name} ON {definition}"
            ))
            .execute(&mut *conn)
            .await
            .map(|_| ());
            if built.is_err() {
                break;
            }
        }
        sqlx::query(&format!("PRAGMA cache_size = {cache}"))
            .execute(&mut *conn)
            .await?;
        sqlx::query("PRAGMA temp_store = MEMORY")
            .execute(&mut *conn)
            .await?;
        sqlx::query("PRAGMA shrink_memory")
            .execute(&mut *conn)
            .await?;
        Ok(built?)
    }
}
