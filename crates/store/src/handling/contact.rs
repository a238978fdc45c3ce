//! A reporter's contact details, opened for a reason that is audited first, and the
//! pictures a reporter sent, each view audited.

use canhgiac_core::intake::ReporterContact;
use canhgiac_core::roles::Permission;

use crate::audit::AuditEvent;
use crate::officers::Officer;
use crate::{Store, StoreError};

use super::*;

impl Store {
    /// A reporter's contact details, for a role that may see them, with the reason
    /// written to the audit log before anything is returned.
    pub async fn reporter_contact(
        &self,
        officer: &Officer,
        report_id: i64,
        reason: &str,
    ) -> Result<Result<Option<ReporterContact>, StepError>, StoreError> {
        if !officer.role.can(Permission::ViewReporterIdentity) {
            return Ok(Err(StepError::Forbidden));
        }
        let reason = match reason_of(reason, true) {
            Ok(r) => r,
            Err(e) => return Ok(Err(e)),
        };
        let Some(target) = self.scoped_target(officer, report_id).await? else {
            return Ok(Err(StepError::NotFound));
        };
        let (sealed,): (Option<Vec<u8>>,) =
            sqlx::query_as("SELECT reporter_sealed FROM reports WHERE id = $1")
                .bind(report_id)
                .fetch_one(&self.pool)
                .await?;
        let tgt = format!("report:{}", target.code);
        self.audit(AuditEvent {
            actor: &officer.actor(),
            action: "reporter.view",
            target: &tgt,
            reason: &reason,
        })
        .await?;
        let Some(sealed) = sealed else {
            return Ok(Ok(None));
        };
        let plain = self.sealer.open(&sealed)?;
        let contact: ReporterContact =
            serde_json::from_slice(&plain).map_err(|e| StoreError::Corrupt(e.to_string()))?;
        Ok(Ok(Some(contact)))
    }

    /// An evidence picture of a report, for a role that may see what reporters sent,
    /// audited before it is returned: its content type and bytes.
    pub async fn evidence_file(
        &self,
        officer: &Officer,
        report_id: i64,
        digest: &str,
    ) -> Result<Result<(String, Vec<u8>), StepError>, StoreError> {
        if !officer.role.can(Permission::ViewReporterIdentity) {
            return Ok(Err(StepError::Forbidden));
        }
        let Some(target) = self.scoped_target(officer, report_id).await? else {
            return Ok(Err(StepError::NotFound));
        };
        let found: Option<(String,)> = sqlx::query_as(
            "SELECT e.content_type FROM report_evidence r JOIN evidence e ON e.sha256 = r.sha256 WHERE r.report_id = $1 AND r.sha256 = $2",
        )
        .bind(report_id)
        .bind(digest)
        .fetch_optional(&self.pool)
        .await?;
        let Some((content_type,)) = found else {
            return Ok(Err(StepError::NotFound));
        };
        let path = self
            .data_dir
            .join("evidence")
            .join(&digest[..2])
            .join(&digest[2..4])
            .join(digest);
        let bytes = tokio::fs::read(&path)
            .await
            .map_err(|e| StoreError::Io(format!("reading evidence {}: {e}", path.display())))?;
        let tgt = format!("report:{}", target.code);
        self.audit(AuditEvent {
            actor: &officer.actor(),
            action: "evidence.view",
            target: &tgt,
            reason: &digest[..12],
        })
        .await?;
        Ok(Ok((content_type, bytes)))
    }
}
