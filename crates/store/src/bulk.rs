//! Bulk loading: the secondary indexes of reports and transfers are dropped while an
//! import writes and built once at its end (sorting once is far cheaper than a million
//! random inserts into each). `Store::open` rebuilds any that an interrupted import
//! left missing.

use crate::{Store, StoreError};

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
    pub async fn ensure_indexes(&self) -> Result<(), StoreError> {
        let _guard = self.write_lock.lock().await;
        for (name, definition) in BULK_INDEXES {
            sqlx::query(&format!(
                "CREATE INDEX IF NOT EXISTS {name} ON {definition}"
            ))
            .execute(&self.pool)
            .await?;
        }
        Ok(())
    }
}
