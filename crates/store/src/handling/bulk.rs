//! Bulk actions from the queue: assign, set aside as not a crime, merge duplicates.

use canhgiac_core::case::EventKind;
use canhgiac_core::clock::local_date;
use canhgiac_core::roles::{Permission, Role};

use crate::audit::{append, AuditEvent};
use crate::officers::Officer;
use crate::{Store, StoreError};

use super::*;

impl Store {
    /// A bulk action on reports of the queue. Reports outside the officer's scope are
    /// skipped; returns how many changed.
    pub async fn bulk(
        &self,
        officer: &Officer,
        ids: &[i64],
        action: BulkAction,
        now: i64,
    ) -> Result<Result<usize, StepError>, StoreError> {
        if !officer.role.can(Permission::ManageQueue) {
            return Ok(Err(StepError::Forbidden));
        }
        let _guard = self.write_lock.lock().await;
        let mut tx = crate::db::begin_write(&self.pool).await?;
        let mut targets = Vec::new();
        for id in ids.iter().take(500) {
            if let Some(t) = self.scoped_target(officer, *id).await? {
                targets.push(t);
            }
        }
        if targets.is_empty() {
            return Ok(Err(StepError::NotFound));
        }
        let today = local_date(now);
        let mut changed = 0;
        match action {
            BulkAction::Assign { officer_id } => {
                let assignee: Option<(String, String)> = sqlx::query_as(
                    "SELECT display_name, role FROM officers WHERE id = $1 AND active = 1",
                )
                .bind(officer_id)
                .fetch_optional(&mut *tx)
                .await?;
                let Some((name, role)) = assignee else {
                    return Ok(Err(StepError::NotFound));
                };
                if !Role::parse(&role).is_some_and(|r| r.can(Permission::HandleReports)) {
                    return Ok(Err(StepError::Forbidden));
                }
                for t in &targets {
                    sqlx::query("UPDATE reports SET assignee_id = $1 WHERE id = $2")
                        .bind(officer_id)
                        .bind(t.id)
                        .execute(&mut *tx)
                        .await?;
                    let step = Recorded {
                        kind: EventKind::Assigned,
                        action: "report.assign",
                        reason: "",
                        audit_reason: &name,
                        detail: Some(serde_json::json!({ "assignee": name }).to_string()),
                    };
                    record(&mut tx, officer, t, step, today, now).await?;
                    changed += 1;
                }
            }
            BulkAction::NotCrime { reason } => {
                let reason = match reason_of(&reason, true) {
                    Ok(r) => r,
                    Err(e) => return Ok(Err(e)),
                };
                for t in targets.iter().filter(|t| t.status == "received") {
                    let done = sqlx::query(
                        "UPDATE reports SET status = 'not_crime' WHERE id = $1 AND status = 'received'",
                    )
                    .bind(t.id)
                    .execute(&mut *tx)
                    .await?;
                    if done.rows_affected() != 1 {
                        continue;
                    }
                    let step = Recorded {
                        kind: EventKind::NotCrime,
                        action: "report.not_crime",
                        reason: &reason,
                        audit_reason: &reason,
                        detail: None,
                    };
                    record(&mut tx, officer, t, step, today, now).await?;
                    changed += 1;
                }
            }
            BulkAction::Merge => {
                let Some((keep, rest)) = targets.split_first() else {
                    return Ok(Err(StepError::NotFound));
                };
                for t in rest.iter().filter(|t| t.status == "received") {
                    let done = sqlx::query(
                        "UPDATE reports SET status = 'merged', merged_into = $1 WHERE id = $2 AND status = 'received'",
                    )
                    .bind(keep.id)
                    .bind(t.id)
                    .execute(&mut *tx)
                    .await?;
                    if done.rows_affected() != 1 {
                        continue;
                    }
                    let step = Recorded {
                        kind: EventKind::Merged,
                        action: "report.merge",
                        reason: "",
                        audit_reason: &keep.code,
                        detail: Some(serde_json::json!({ "into": keep.code }).to_string()),
                    };
                    record(&mut tx, officer, t, step, today, now).await?;
                    changed += 1;
                }
            }
        }
        tx.commit().await?;
        Ok(Ok(changed))
    }
}

/// One report's recorded step and audit entry in a bulk action.
struct Recorded<'a> {
    kind: EventKind,
    action: &'a str,
    reason: &'a str,
    audit_reason: &'a str,
    detail: Option<String>,
}

async fn record(
    tx: &mut Transaction<'_, crate::db::Db>,
    officer: &Officer,
    t: &Target,
    step: Recorded<'_>,
    today: Date,
    now: i64,
) -> Result<(), StoreError> {
    insert_event(
        tx,
        NewEvent {
            report_id: t.id,
            kind: step.kind.as_str(),
            on: Some(today),
            until: None,
            reason: step.reason,
            detail: step.detail,
            officer_id: officer.id,
            approved_by: None,
            at: now,
        },
    )
    .await?;
    let target = format!("report:{}", t.code);
    append(
        tx,
        &AuditEvent {
            actor: &officer.actor(),
            action: step.action,
            target: &target,
            reason: step.audit_reason,
        },
        now,
    )
    .await?;
    Ok(())
}
