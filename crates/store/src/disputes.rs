//! Requests for review (disputes) from the owners of listed phone numbers, accounts or
//! websites: filed publicly with a contact (sealed), decided by officers (keep or
//! clear, with a reason the requester sees), followed with a code.

use canhgiac_core::roles::Permission;
use canhgiac_core::tracking::generate_dispute_code;
use serde::{Deserialize, Serialize};

use crate::audit::{append, AuditEvent};
use crate::handling::{write_identifier_status, StepError};
use crate::officers::Officer;
use crate::{Store, StoreError};

/// Who asks for the review (sealed at rest; never logged).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DisputeContact {
    /// Full name.
    pub name: String,
    /// Phone (E.164) or e-mail.
    pub contact: String,
}

/// A new dispute.
#[derive(Debug, Clone)]
pub struct NewDispute {
    /// Identifier key.
    pub key: String,
    /// Readable value.
    pub display: String,
    /// Why the listing is wrong.
    pub explanation: String,
    /// Who asks.
    pub contact: DisputeContact,
    /// Unix seconds.
    pub at: i64,
}

/// What the requester sees.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PublicDispute {
    /// Code.
    pub code: String,
    /// The identifier.
    pub identifier: String,
    /// `open`, `kept` or `cleared`.
    pub status: String,
    /// The officers' reason, once decided.
    pub decision_reason: Option<String>,
    /// Filed (unix seconds).
    pub created_at: i64,
    /// Decided (unix seconds).
    pub decided_at: Option<i64>,
}

/// A dispute as officers see it (without the contact).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct Dispute {
    /// Id.
    pub id: i64,
    /// Code.
    pub code: String,
    /// Identifier key.
    pub identifier_key: String,
    /// Readable value.
    pub identifier_display: String,
    /// The requester's explanation.
    pub explanation: String,
    /// Status.
    pub status: String,
    /// Reason of the decision.
    pub decision_reason: Option<String>,
    /// Who decided.
    pub decided_by: Option<String>,
    /// Filed.
    pub created_at: i64,
}

const DISPUTE_COLUMNS: &str = "d.id, d.code, d.identifier_key, d.identifier_display, d.explanation, d.status, d.decision_reason, o.display_name AS decided_by, d.created_at";

impl Store {
    /// Files a dispute and returns its code.
    pub async fn open_dispute(&self, new: NewDispute) -> Result<String, StoreError> {
        let sealed = self.sealer.seal(
            &serde_json::to_vec(&new.contact).map_err(|e| StoreError::Corrupt(e.to_string()))?,
        )?;
        let _guard = self.write_lock.lock().await;
        for _ in 0..4 {
            let code = generate_dispute_code();
            let done = sqlx::query("INSERT INTO disputes (code, identifier_key, identifier_display, explanation, contact_sealed, created_at) VALUES ($1, $2, $3, $4, $5, $6)")
                .bind(&code)
                .bind(&new.key)
                .bind(&new.display)
                .bind(&new.explanation)
                .bind(&sealed)
                .bind(new.at)
                .execute(&self.pool)
                .await;
            match done {
                Ok(_) => return Ok(code),
                Err(e) if StoreError::is_unique_violation(&e) => continue,
                Err(e) => return Err(e.into()),
            }
        }
        Err(StoreError::Conflict("no free dispute code".into()))
    }

    /// The public view of a dispute.
    pub async fn dispute_by_code(&self, code: &str) -> Result<Option<PublicDispute>, StoreError> {
        Ok(sqlx::query_as(
            "SELECT code, identifier_display AS identifier, status, decision_reason, created_at, decided_at FROM disputes WHERE code = $1",
        )
        .bind(code)
        .fetch_optional(&self.pool)
        .await?)
    }

    /// Disputes of a status (`open` first in line), oldest first.
    pub async fn disputes(&self, status: &str, limit: i64) -> Result<Vec<Dispute>, StoreError> {
        Ok(sqlx::query_as(&format!(
            "SELECT {DISPUTE_COLUMNS} FROM disputes d LEFT JOIN officers o ON o.id = d.decided_by WHERE d.status = $1 ORDER BY d.created_at LIMIT $2"
        ))
        .bind(status)
        .bind(limit.clamp(1, 500))
        .fetch_all(&self.pool)
        .await?)
    }

    /// One dispute.
    pub async fn dispute(&self, id: i64) -> Result<Option<Dispute>, StoreError> {
        Ok(sqlx::query_as(&format!(
            "SELECT {DISPUTE_COLUMNS} FROM disputes d LEFT JOIN officers o ON o.id = d.decided_by WHERE d.id = $1"
        ))
        .bind(id)
        .fetch_optional(&self.pool)
        .await?)
    }

    /// Decides an open dispute: `clear` clears the identifier (the public verdict
    /// changes); otherwise the listing is kept. The reason is shown to the requester.
    pub async fn decide_dispute(
        &self,
        officer: &Officer,
        id: i64,
        clear: bool,
        reason: &str,
        now: i64,
    ) -> Result<Result<(), StepError>, StoreError> {
        if !officer.role.can(Permission::VerifyIdentifiers) {
            return Ok(Err(StepError::Forbidden));
        }
        let reason = reason.trim();
        if reason.is_empty() {
            return Ok(Err(StepError::ReasonRequired));
        }
        if reason.chars().count() > crate::handling::MAX_REASON_CHARS {
            return Ok(Err(StepError::ReasonTooLong));
        }
        // Read, check and change in one transaction: of two decisions at once, the
        // second sees the first's and is refused.
        let _guard = self.write_lock.lock().await;
        let mut tx = crate::db::begin_write(&self.pool).await?;
        let Some(d) = self.dispute(id).await? else {
            return Ok(Err(StepError::NotFound));
        };
        if d.status != "open" {
            return Ok(Err(StepError::WrongStatus(d.status)));
        }
        let status = if clear { "cleared" } else { "kept" };
        let changed = sqlx::query("UPDATE disputes SET status = $1, decision_reason = $2, decided_by = $3, decided_at = $4 WHERE id = $5 AND status = 'open'")
            .bind(status)
            .bind(reason)
            .bind(officer.id)
            .bind(now)
            .bind(id)
            .execute(&mut *tx)
            .await?
            .rows_affected();
        if changed != 1 {
            return Ok(Err(StepError::WrongStatus("decided".into())));
        }
        if clear {
            write_identifier_status(&mut tx, officer, &d.identifier_key, false, reason, now)
                .await?;
        }
        let target = format!("dispute:{}", d.code);
        append(
            &mut tx,
            &AuditEvent {
                actor: &officer.actor(),
                action: if clear {
                    "dispute.clear"
                } else {
                    "dispute.keep"
                },
                target: &target,
                reason,
            },
            now,
        )
        .await?;
        tx.commit().await?;
        Ok(Ok(()))
    }

    /// The requester's contact, for roles that handle reports, audited first.
    pub async fn dispute_contact(
        &self,
        officer: &Officer,
        id: i64,
        reason: &str,
    ) -> Result<Result<DisputeContact, StepError>, StoreError> {
        if !officer.role.can(Permission::ViewReporterIdentity) {
            return Ok(Err(StepError::Forbidden));
        }
        if reason.trim().is_empty() {
            return Ok(Err(StepError::ReasonRequired));
        }
        let row: Option<(String, Vec<u8>)> =
            sqlx::query_as("SELECT code, contact_sealed FROM disputes WHERE id = $1")
                .bind(id)
                .fetch_optional(&self.pool)
                .await?;
        let Some((code, sealed)) = row else {
            return Ok(Err(StepError::NotFound));
        };
        let target = format!("dispute:{code}");
        self.audit(AuditEvent {
            actor: &officer.actor(),
            action: "dispute.contact_view",
            target: &target,
            reason: reason.trim(),
        })
        .await?;
        let plain = self.sealer.open(&sealed)?;
        Ok(Ok(
            serde_json::from_slice(&plain).map_err(|e| StoreError::Corrupt(e.to_string()))?
        ))
    }
}
