//! The append-only, hash-chained audit log: who did what, when and why.
//!
//! Each entry's hash covers its own fields and the previous entry's hash, so changing
//! or removing any entry breaks every hash after it. Triggers refuse UPDATE and
//! DELETE; [`Store::verify_audit`] recomputes the chain. Entries never hold personal
//! data: they name the report or identifier, not the reporter.

use serde::Serialize;
use sha2::{Digest, Sha256};
use sqlx::Transaction;

use crate::{Store, StoreError};

/// The hash before the first entry.
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// Who did something.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Actor {
    /// The officer's id; `None` for the command line.
    pub officer_id: Option<i64>,
    /// The officer's username, or `cli`.
    pub name: String,
}

impl Actor {
    /// The command line (an operator with access to the server).
    pub fn cli() -> Actor {
        Actor {
            officer_id: None,
            name: "cli".into(),
        }
    }
}

/// One entry to write.
#[derive(Debug, Clone)]
pub struct AuditEvent<'a> {
    /// Who.
    pub actor: &'a Actor,
    /// What, a stable key (`report.receive`, `reporter.view`, `login.failed`, ...).
    pub action: &'a str,
    /// On what (`report:CG-…`, `identifier:phone:+84…`, `officer:name`).
    pub target: &'a str,
    /// Why, as the officer gave it.
    pub reason: &'a str,
}

/// One stored entry.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AuditEntry {
    /// Position in the chain.
    pub seq: i64,
    /// Unix seconds.
    pub at: i64,
    /// Officer id, if any.
    pub officer_id: Option<i64>,
    /// Username or `cli`.
    pub actor: String,
    /// What.
    pub action: String,
    /// On what.
    pub target: String,
    /// Why.
    pub reason: String,
    /// Hash of the previous entry.
    pub prev_hash: String,
    /// Hash of this entry.
    pub hash: String,
}

/// What a verification found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AuditCheck {
    /// Every hash matches.
    Intact {
        /// Entries checked.
        entries: i64,
        /// Hash of the last entry (record it elsewhere to detect a cut tail).
        head: String,
    },
    /// The chain breaks at this entry.
    Broken {
        /// Sequence number of the first bad entry.
        seq: i64,
        /// What is wrong.
        problem: String,
    },
}

/// The hash of an entry over a canonical JSON encoding of its fields.
pub fn entry_hash(prev: &str, seq: i64, at: i64, e: &AuditEvent<'_>) -> String {
    let canonical = serde_json::json!([
        prev,
        seq,
        at,
        e.actor.officer_id,
        e.actor.name,
        e.action,
        e.target,
        e.reason
    ]);
    hex::encode(Sha256::digest(canonical.to_string().as_bytes()))
}

/// Appends an entry inside a transaction (the caller holds the store's write lock).
pub(crate) async fn append(
    tx: &mut Transaction<'_, crate::db::Db>,
    event: &AuditEvent<'_>,
    at: i64,
) -> Result<i64, StoreError> {
    let last: Option<(i64, String)> =
        sqlx::query_as("SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1")
            .fetch_optional(&mut **tx)
            .await?;
    let (seq, prev) = match last {
        Some((s, h)) => (s + 1, h),
        None => (1, GENESIS.to_string()),
    };
    let hash = entry_hash(&prev, seq, at, event);
    sqlx::query("INSERT INTO audit_log (seq, at, officer_id, actor, action, target, reason, prev_hash, hash) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)")
        .bind(seq)
        .bind(at)
        .bind(event.actor.officer_id)
        .bind(&event.actor.name)
        .bind(event.action)
        .bind(event.target)
        .bind(event.reason)
        .bind(&prev)
        .bind(&hash)
        .execute(&mut **tx)
        .await?;
    Ok(seq)
}

/// Unix seconds now.
pub(crate) fn now() -> i64 {
    time::OffsetDateTime::now_utc().unix_timestamp()
}

impl Store {
    /// Writes one audit entry on its own.
    pub async fn audit(&self, event: AuditEvent<'_>) -> Result<(), StoreError> {
        let _guard = self.write_lock.lock().await;
        let mut tx = crate::db::begin_write(&self.pool).await?;
        append(&mut tx, &event, now()).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Entries before `before` (newest first), at most `limit`, optionally of one action.
    pub async fn audit_entries(
        &self,
        before: Option<i64>,
        limit: i64,
        action: Option<&str>,
    ) -> Result<Vec<AuditEntry>, StoreError> {
        Ok(sqlx::query_as(
            "SELECT seq, at, officer_id, actor, action, target, reason, prev_hash, hash FROM audit_log WHERE seq < $1 AND ($2 IS NULL OR action = $3) ORDER BY seq DESC LIMIT $4",
        )
        .bind(before.unwrap_or(i64::MAX))
        .bind(action)
        .bind(action)
        .bind(limit.clamp(1, 500))
        .fetch_all(&self.pool)
        .await?)
    }

    /// Recomputes the whole chain.
    pub async fn verify_audit(&self) -> Result<AuditCheck, StoreError> {
        use sqlx::Row;
        let mut prev = GENESIS.to_string();
        let mut expected_seq = 1;
        let mut entries = 0;
        let mut after = 0;
        loop {
            let rows = sqlx::query(
                "SELECT seq, at, officer_id, actor, action, target, reason, prev_hash, hash FROM audit_log WHERE seq > $1 ORDER BY seq LIMIT 10000",
            )
            .bind(after)
            .fetch_all(&self.pool)
            .await?;
            if rows.is_empty() {
                return Ok(AuditCheck::Intact {
                    entries,
                    head: prev,
                });
            }
            for row in rows {
                let e = AuditEntry {
                    seq: row.try_get("seq")?,
                    at: row.try_get("at")?,
                    officer_id: row.try_get("officer_id")?,
                    actor: row.try_get("actor")?,
                    action: row.try_get("action")?,
                    target: row.try_get("target")?,
                    reason: row.try_get("reason")?,
                    prev_hash: row.try_get("prev_hash")?,
                    hash: row.try_get("hash")?,
                };
                if e.seq != expected_seq {
                    return Ok(AuditCheck::Broken {
                        seq: expected_seq,
                        problem: format!("entry {expected_seq} is missing (next is {})", e.seq),
                    });
                }
                if e.prev_hash != prev {
                    return Ok(AuditCheck::Broken {
                        seq: e.seq,
                        problem: "it does not follow the entry before it".into(),
                    });
                }
                let actor = Actor {
                    officer_id: e.officer_id,
                    name: e.actor.clone(),
                };
                let fields = AuditEvent {
                    actor: &actor,
                    action: &e.action,
                    target: &e.target,
                    reason: &e.reason,
                };
                let hash = entry_hash(&prev, e.seq, e.at, &fields);
                if hash != e.hash {
                    return Ok(AuditCheck::Broken {
                        seq: e.seq,
                        problem: "its content was changed after it was written".into(),
                    });
                }
                prev = hash;
                expected_seq += 1;
                entries += 1;
                after = e.seq;
            }
        }
    }
}
