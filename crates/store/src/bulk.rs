//! Bulk loading: the secondary indexes of reports and transfers are dropped while an
//! import writes and built once at its end (sorting once is far cheaper than a million
//! random inserts into each). On PostgreSQL the foreign keys of the imported tables are
//! suspended too (checked row by row they were 55% of the database's time in an
//! import) and put back at the end, checked once over the whole table. `Store::open`
//! puts back any index or key that an interrupted import left missing.

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

/// The foreign keys a bulk import suspends on PostgreSQL: (table, constraint, definition).
/// The names are PostgreSQL's own defaults, so a schema made by the migrations and one
/// put back here are the same.
pub const BULK_FOREIGN_KEYS: [(&str, &str, &str); 8] = [
    (
        "report_identifiers",
        "report_identifiers_report_id_fkey",
        "FOREIGN KEY (report_id) REFERENCES reports(id)",
    ),
    (
        "report_identifiers",
        "report_identifiers_identifier_key_fkey",
        "FOREIGN KEY (identifier_key) REFERENCES identifiers(key)",
    ),
    (
        "transfers",
        "transfers_report_id_fkey",
        "FOREIGN KEY (report_id) REFERENCES reports(id)",
    ),
    (
        "reports",
        "reports_method_key_fkey",
        "FOREIGN KEY (method_key) REFERENCES methods(key)",
    ),
    (
        "reports",
        "reports_place_code_fkey",
        "FOREIGN KEY (place_code) REFERENCES places(code)",
    ),
    (
        "reports",
        "reports_unit_id_fkey",
        "FOREIGN KEY (unit_id) REFERENCES units(id)",
    ),
    (
        "reports",
        "reports_assignee_id_fkey",
        "FOREIGN KEY (assignee_id) REFERENCES officers(id)",
    ),
    (
        "reports",
        "reports_merged_into_fkey",
        "FOREIGN KEY (merged_into) REFERENCES reports(id)",
    ),
];

impl Store {
    /// Drops the secondary indexes (and on PostgreSQL the foreign keys of the imported
    /// tables) before a bulk import.
    pub async fn bulk_load_begin(&self) -> Result<(), StoreError> {
        let _guard = self.write_lock.lock().await;
        for (name, _) in BULK_INDEXES {
            sqlx::query(&format!("DROP INDEX IF EXISTS {name}"))
                .execute(&self.pool)
                .await?;
        }
        if self.backend == crate::db::Backend::Postgres {
            for (table, name, _) in BULK_FOREIGN_KEYS {
                sqlx::query(&format!(
                    "ALTER TABLE {table} DROP CONSTRAINT IF EXISTS {name}"
                ))
                .execute(&self.pool)
                .await?;
            }
        }
        Ok(())
    }

    /// Puts back the foreign keys a bulk import suspended (PostgreSQL): each is added
    /// without a check (`NOT VALID`, a short lock; new rows are checked from then on)
    /// and then validated over the whole table in one pass, while writes go on.
    async fn ensure_foreign_keys(&self) -> Result<(), StoreError> {
        for (table, name, definition) in BULK_FOREIGN_KEYS {
            let present: Option<bool> =
                sqlx::query_scalar("SELECT convalidated FROM pg_constraint WHERE conname = $1 AND conrelid = $2::text::regclass")
                    .bind(name)
                    .bind(table)
                    .fetch_optional(&self.pool)
                    .await?;
            if present.is_none() {
                sqlx::query(&format!(
                    "ALTER TABLE {table} ADD CONSTRAINT {name} {definition} NOT VALID"
                ))
                .execute(&self.pool)
                .await?;
            }
            if present != Some(true) {
                sqlx::query(&format!("ALTER TABLE {table} VALIDATE CONSTRAINT {name}"))
                    .execute(&self.pool)
                    .await?;
            }
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
            self.ensure_foreign_keys().await?;
            // Dropped while a long search backlog is indexed.
            return self.build_word_index().await;
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
