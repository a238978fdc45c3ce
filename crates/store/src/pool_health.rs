//! Connections the pool takes back: a connection whose transaction SQLite ended by
//! itself is closed instead of poisoning the pool.

/// Whether a connection given back to the pool may be used again. When SQLite rolls a
/// transaction back by itself (a full disk, an I/O error) and the COMMIT fails, sqlx
/// still counts the transaction as open, its ROLLBACK then fails too, and every later
/// `BEGIN` on that connection is refused: the server would never write again without a
/// restart (found by `bench/faults/disk_full.py`). Most connections come back with no
/// transaction and are kept at once; one that comes back with a transaction dropped
/// unfinished has its queued rollback run first (commands run in order), and is closed
/// if it is still "in a transaction" after it.
pub(crate) async fn still_usable(conn: &mut sqlx::AnyConnection) -> Result<bool, sqlx::Error> {
    use sqlx::Connection;
    if !conn.is_in_transaction() {
        return Ok(true);
    }
    sqlx::Executor::execute(&mut *conn, "SELECT 1").await?;
    Ok(!conn.is_in_transaction())
}

/// [`still_usable`] for the pools that are SQLite's alone (the search file).
pub(crate) async fn sqlite_still_usable(
    conn: &mut sqlx::SqliteConnection,
) -> Result<bool, sqlx::Error> {
    use sqlx::Connection;
    if !conn.is_in_transaction() {
        return Ok(true);
    }
    sqlx::Executor::execute(&mut *conn, "SELECT 1").await?;
    Ok(!conn.is_in_transaction())
}

#[cfg(test)]
mod tests {
    use std::str::FromStr;

    use sqlx::sqlite::{SqliteConnectOptions, SqlitePoolOptions};

    /// Fills a one-connection pool's database to its page limit inside transactions,
    /// then gives it room again: with the check the pool writes again, without it the
    /// connection refuses every `BEGIN` for ever.
    async fn writes_again_after_full(check: bool) -> bool {
        let dir = tempfile::tempdir().expect("tempdir");
        let options = SqliteConnectOptions::from_str(&format!(
            "sqlite://{}",
            dir.path().join("t.db").display()
        ))
        .expect("options")
        .create_if_missing(true)
        .journal_mode(sqlx::sqlite::SqliteJournalMode::Wal);
        let mut pool = SqlitePoolOptions::new().max_connections(1);
        if check {
            pool = pool.after_release(|conn, _meta| Box::pin(super::sqlite_still_usable(conn)));
        }
        let pool = pool.connect_with(options).await.expect("pool");
        sqlx::query("CREATE TABLE t (x BLOB)")
            .execute(&pool)
            .await
            .expect("create");
        sqlx::query("PRAGMA max_page_count = 40")
            .execute(&pool)
            .await
            .expect("limit");
        let mut full = false;
        for _ in 0..100 {
            let mut tx = pool.begin_with("BEGIN IMMEDIATE").await.expect("begin");
            let inserted = sqlx::query("INSERT INTO t VALUES (randomblob(3000))")
                .execute(&mut *tx)
                .await;
            let committed = match inserted {
                Ok(_) => tx.commit().await.map(|_| ()),
                Err(e) => Err(e),
            };
            if let Err(e) = committed {
                assert!(e.to_string().contains("full"), "{e}");
                full = true;
                break;
            }
        }
        assert!(full, "the page limit was reached");
        sqlx::query("PRAGMA max_page_count = 100000")
            .execute(&pool)
            .await
            .ok();
        let again = async {
            let mut tx = pool.begin_with("BEGIN IMMEDIATE").await?;
            sqlx::query("INSERT INTO t VALUES (1)")
                .execute(&mut *tx)
                .await?;
            tx.commit().await
        };
        again.await.is_ok()
    }

    #[tokio::test]
    async fn a_full_disk_does_not_leave_the_pool_unable_to_write() {
        assert!(writes_again_after_full(true).await);
    }

    /// The sqlx behaviour the check works around; if this starts failing, sqlx fixed
    /// it and the check may go.
    #[tokio::test]
    async fn without_the_check_the_connection_stays_poisoned() {
        assert!(!writes_again_after_full(false).await);
    }
}
