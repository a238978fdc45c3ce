//! Retention: reporters' and requesters' personal data is removed once a matter has
//! been closed for a configured period; the reports, identifiers, amounts and keyed
//! reporter fingerprints stay, so statistics and rings do not change.

use serde::Serialize;

use crate::audit::{append, Actor, AuditEvent};
use crate::{Store, StoreError};

/// Statuses after which a report is closed.
pub const CLOSED_STATUSES: [&str; 5] = [
    "case_opened",
    "no_case",
    "not_crime",
    "merged",
    "transferred",
];

/// What a retention run removed (or would remove).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Purged {
    /// Reports whose reporter's contact details were removed.
    pub reports: u64,
    /// Decided disputes whose requester's contact was removed.
    pub disputes: u64,
}

const REPORTS_DUE: &str = "FROM reports r WHERE r.reporter_sealed IS NOT NULL AND r.status IN ('case_opened', 'no_case', 'not_crime', 'merged', 'transferred') AND COALESCE((SELECT MAX(e.created_at) FROM report_events e WHERE e.report_id = r.id), r.created_at) < $1";
const DISPUTES_DUE: &str = "FROM disputes d WHERE d.status <> 'open' AND length(d.contact_sealed) > 0 AND d.decided_at < $1";

impl Store {
    /// Removes personal data of matters closed before `before` (unix seconds); with
    /// `dry_run`, only counts. The run is written to the audit log.
    pub async fn purge_personal_data(
        &self,
        before: i64,
        dry_run: bool,
        by: &Actor,
    ) -> Result<Purged, StoreError> {
        let _guard = self.write_lock.lock().await;
        let mut tx = crate::db::begin_write(&self.pool).await?;
        let (reports,): (i64,) = sqlx::query_as(&format!("SELECT COUNT(*) {REPORTS_DUE}"))
            .bind(before)
            .fetch_one(&mut *tx)
            .await?;
        let (disputes,): (i64,) = sqlx::query_as(&format!("SELECT COUNT(*) {DISPUTES_DUE}"))
            .bind(before)
            .fetch_one(&mut *tx)
            .await?;
        let purged = Purged {
            reports: reports as u64,
            disputes: disputes as u64,
        };
        if dry_run {
            return Ok(purged);
        }
        sqlx::query(&format!(
            "UPDATE reports SET reporter_sealed = NULL WHERE id IN (SELECT r.id {REPORTS_DUE})"
        ))
        .bind(before)
        .execute(&mut *tx)
        .await?;
        sqlx::query(&format!(
            "UPDATE disputes SET contact_sealed = $2 WHERE id IN (SELECT d.id {DISPUTES_DUE})"
        ))
        .bind(before)
        .bind(Vec::<u8>::new())
        .execute(&mut *tx)
        .await?;
        let reason = format!(
            "{} reports, {} disputes closed before {before}",
            purged.reports, purged.disputes
        );
        let now = crate::audit::now();
        append(
            &mut tx,
            &AuditEvent {
                actor: by,
                action: "retention.purge",
                target: "personal_data",
                reason: &reason,
            },
            now,
        )
        .await?;
        tx.commit().await?;
        // The freed pages are reused; the file is not rewritten (VACUUM is left to the operator).
        Ok(purged)
    }
}
