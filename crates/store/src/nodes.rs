//! What several nodes on one PostgreSQL database share beyond the tables: a signal
//! that the changes log grew (`LISTEN canhgiac_changes`, sent by a trigger at commit),
//! and jobs that one node at a time runs (session advisory locks). On SQLite, one
//! process serves: the signal is a timer and every job runs.

use std::time::Duration;

use sha2::{Digest, Sha256};
use sqlx::postgres::PgListener;
use sqlx::Connection;

use crate::db::Backend;
use crate::{Store, StoreError};

/// The channel the `changes` trigger notifies.
pub const CHANGES_CHANNEL: &str = "canhgiac_changes";

/// Wakes a follower when the changes log may have grown.
pub struct ChangeSignal {
    listener: Option<PgListener>,
}

impl ChangeSignal {
    /// Waits for a notification, or `at_most` (whichever comes first). A lost
    /// connection is opened again by the next wait; the caller reads the log after
    /// every wait, so nothing is missed, only later.
    pub async fn wait(&mut self, at_most: Duration) {
        let Some(listener) = self.listener.as_mut() else {
            tokio::time::sleep(at_most).await;
            return;
        };
        match tokio::time::timeout(at_most, listener.recv()).await {
            Ok(Ok(_)) | Err(_) => {}
            Ok(Err(e)) => {
                tracing::warn!(error = %e, "changes notifications interrupted");
                tokio::time::sleep(at_most).await;
            }
        }
    }
}

/// A job this node runs while other nodes skip it; released by [`JobLock::release`]
/// (or when the node dies: the lock belongs to its connection).
pub struct JobLock {
    connection: Option<sqlx::AnyConnection>,
}

impl JobLock {
    /// Lets other nodes run the job again.
    pub async fn release(self) {
        if let Some(connection) = self.connection {
            // Closing the session releases its advisory locks.
            let _ = connection.close().await;
        }
    }
}

/// The advisory-lock key of a job name.
fn job_key(name: &str) -> i64 {
    let digest = Sha256::digest(format!("canhgiac job {name}").as_bytes());
    let mut bytes = [0u8; 8];
    bytes.copy_from_slice(&digest[..8]);
    i64::from_be_bytes(bytes)
}

impl Store {
    /// The signal that wakes a follower of the changes log.
    pub async fn change_signal(&self) -> Result<ChangeSignal, StoreError> {
        let listener = match (&self.backend, &self.database_url) {
            (Backend::Postgres, Some(url)) => {
                let mut listener = PgListener::connect(url).await?;
                listener.listen(CHANGES_CHANNEL).await?;
                Some(listener)
            }
            _ => None,
        };
        Ok(ChangeSignal { listener })
    }

    /// Takes the job `name` if no other node holds it: `None` means another node is
    /// running it now. On SQLite the one process always gets it.
    pub async fn try_job(&self, name: &str) -> Result<Option<JobLock>, StoreError> {
        if self.backend == Backend::Sqlite {
            return Ok(Some(JobLock { connection: None }));
        }
        let mut connection = self.pool.acquire().await?.detach();
        let taken: bool = sqlx::query_scalar("SELECT pg_try_advisory_lock($1)")
            .bind(job_key(name))
            .fetch_one(&mut connection)
            .await?;
        if taken {
            Ok(Some(JobLock {
                connection: Some(connection),
            }))
        } else {
            let _ = connection.close().await;
            Ok(None)
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn job_keys_differ_by_name_and_stay_the_same() {
        assert_eq!(super::job_key("sweep"), super::job_key("sweep"));
        assert_ne!(super::job_key("sweep"), super::job_key("search"));
    }
}
