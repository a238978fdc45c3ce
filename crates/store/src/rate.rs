//! Sliding-window rate limits kept in the database, so that every node behind a
//! load balancer counts the same client's events together (a client sent to node A
//! and then to node B gets one quota, not one per node). One row per counted event;
//! the client is stored as a keyed fingerprint, never as its address.

use std::time::Duration;

use crate::db::{begin_write, Backend, Tx};
use crate::{Store, StoreError};

/// A limit: at most `per_client` events per `window` for each client of `bucket`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RateRule {
    /// What is counted (`tracking`, `uploads`, …).
    pub bucket: &'static str,
    /// Events allowed per window.
    pub per_client: usize,
    /// The sliding window.
    pub window: Duration,
}

/// The longest window any rule uses: rows older than this are swept.
pub const LONGEST_WINDOW: Duration = Duration::from_secs(3600);

impl Store {
    /// Counts one event of `client` under `rule` at `now_ms` (unix milliseconds) if
    /// the rule allows it; `Ok(Err(wait))` when it does not, with how long to wait.
    /// Concurrent calls for one client, from any node, are counted one after another.
    pub async fn rate_take(
        &self,
        rule: &RateRule,
        client: &str,
        now_ms: i64,
    ) -> Result<Result<(), Duration>, StoreError> {
        let client = self
            .sealer
            .fingerprint(&format!("rate:{}:{client}", rule.bucket));
        let window_ms = i64::try_from(rule.window.as_millis()).unwrap_or(i64::MAX);
        let mut tx = self.begin_client(rule.bucket, &client).await?;
        sqlx::query("DELETE FROM rate_events WHERE bucket = $1 AND client = $2 AND at_ms <= $3")
            .bind(rule.bucket)
            .bind(&client)
            .bind(now_ms.saturating_sub(window_ms))
            .execute(&mut *tx)
            .await?;
        let (count, oldest): (i64, Option<i64>) = sqlx::query_as(
            "SELECT COUNT(*), MIN(at_ms) FROM rate_events WHERE bucket = $1 AND client = $2",
        )
        .bind(rule.bucket)
        .bind(&client)
        .fetch_one(&mut *tx)
        .await?;
        let allowed = usize::try_from(count).is_ok_and(|n| n < rule.per_client);
        if !allowed {
            tx.commit().await?;
            let since_oldest = now_ms.saturating_sub(oldest.unwrap_or(now_ms)).max(0);
            let wait_ms = window_ms.saturating_sub(since_oldest).max(0);
            return Ok(Err(Duration::from_millis(wait_ms.unsigned_abs())));
        }
        sqlx::query("INSERT INTO rate_events (bucket, client, at_ms) VALUES ($1, $2, $3)")
            .bind(rule.bucket)
            .bind(&client)
            .bind(now_ms)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(Ok(()))
    }

    /// Removes counted events older than every window; returns how many.
    pub async fn sweep_rate_events(&self, now_ms: i64) -> Result<u64, StoreError> {
        let longest = i64::try_from(LONGEST_WINDOW.as_millis()).unwrap_or(i64::MAX);
        let done = sqlx::query("DELETE FROM rate_events WHERE at_ms <= $1")
            .bind(now_ms.saturating_sub(longest))
            .execute(&self.pool)
            .await?;
        Ok(done.rows_affected())
    }

    /// A transaction in which no other node counts the same client: on PostgreSQL an
    /// advisory lock of that client alone (the global write lock would queue the
    /// count behind report writes); on SQLite the one writer.
    async fn begin_client(&self, bucket: &str, client: &str) -> Result<Tx, StoreError> {
        match self.backend {
            Backend::Sqlite => Ok(begin_write(&self.pool).await?),
            Backend::Postgres => {
                let mut tx = self.pool.begin().await?;
                sqlx::query("SELECT pg_advisory_xact_lock(hashtextextended($1, 7))")
                    .bind(format!("rate:{bucket}:{client}"))
                    .execute(&mut *tx)
                    .await?;
                Ok(tx)
            }
        }
    }
}
