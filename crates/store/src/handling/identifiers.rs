//! Officers' verdicts on identifiers (verified scam, or cleared), which the public
//! check follows through the changes log.

use canhgiac_core::roles::Permission;
use sqlx::Transaction;

use crate::audit::{append, AuditEvent};
use crate::changes::{IdentifierStatus, KIND_IDENTIFIER_STATUS};
use crate::officers::Officer;
use crate::{Store, StoreError};

use super::*;

/// Writes an officer's verdict on an identifier, its `changes` row and its audit entry
/// inside a transaction (the caller holds the write lock).
pub(crate) async fn write_identifier_status(
    tx: &mut Transaction<'_, crate::db::Db>,
    officer: &Officer,
    key: &str,
    verified: bool,
    reason: &str,
    now: i64,
) -> Result<(), StoreError> {
    let status = if verified { "verified" } else { "cleared" };
    sqlx::query("INSERT INTO identifier_status (key, status, reason, officer_id, at) VALUES ($1, $2, $3, $4, $5) ON CONFLICT(key) DO UPDATE SET status = excluded.status, reason = excluded.reason, officer_id = excluded.officer_id, at = excluded.at")
        .bind(key)
        .bind(status)
        .bind(reason)
        .bind(officer.id)
        .bind(now)
        .execute(&mut **tx)
        .await?;
    let change = IdentifierStatus {
        key: key.to_string(),
        verified,
        at: now,
    };
    let payload = serde_json::to_string(&change).map_err(|e| StoreError::Corrupt(e.to_string()))?;
    sqlx::query("INSERT INTO changes (seq, kind, payload, created_at) SELECT COALESCE(MAX(seq), 0) + 1, $1, $2, $3 FROM changes")
        .bind(KIND_IDENTIFIER_STATUS)
        .bind(payload)
        .bind(now)
        .execute(&mut **tx)
        .await?;
    let tgt = format!("identifier:{key}");
    let action = if verified {
        "identifier.verify"
    } else {
        "identifier.clear"
    };
    append(
        tx,
        &AuditEvent {
            actor: &officer.actor(),
            action,
            target: &tgt,
            reason,
        },
        now,
    )
    .await?;
    Ok(())
}

impl Store {
    /// Marks an identifier verified-scam (`verified = true`) or cleared. The public
    /// check follows through the changes log.
    ///
    /// `expected` is the verdict the officer saw (`verified`, `cleared`, or `none` for
    /// no verdict yet). The current verdict is read in the write transaction: when it
    /// is no longer the one expected, or already the one asked for, the change is
    /// refused with [`StepError::Changed`], so of two officers deciding at once one
    /// wins and the audit log holds one decision.
    pub async fn set_identifier_status(
        &self,
        officer: &Officer,
        key: &str,
        verified: bool,
        expected: Option<&str>,
        reason: &str,
        now: i64,
    ) -> Result<Result<(), StepError>, StoreError> {
        if !officer.role.can(Permission::VerifyIdentifiers) {
            return Ok(Err(StepError::Forbidden));
        }
        let reason = match reason_of(reason, true) {
            Ok(r) => r,
            Err(e) => return Ok(Err(e)),
        };
        let _guard = self.write_lock.lock().await;
        let mut tx = crate::db::begin_write(&self.pool).await?;
        let known: Option<(String,)> = sqlx::query_as("SELECT key FROM identifiers WHERE key = $1")
            .bind(key)
            .fetch_optional(&mut *tx)
            .await?;
        if known.is_none() {
            return Ok(Err(StepError::NotFound));
        }
        let current: Option<(String,)> =
            sqlx::query_as("SELECT status FROM identifier_status WHERE key = $1")
                .bind(key)
                .fetch_optional(&mut *tx)
                .await?;
        let current = current.map_or_else(|| "none".to_string(), |(s,)| s);
        let asked = if verified { "verified" } else { "cleared" };
        if current == asked || expected.is_some_and(|e| e != current) {
            return Ok(Err(StepError::Changed(current)));
        }
        write_identifier_status(&mut tx, officer, key, verified, &reason, now).await?;
        tx.commit().await?;
        Ok(Ok(()))
    }
}
