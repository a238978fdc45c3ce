//! What officers do to reports: receive them formally, ask for and approve
//! extensions, record decisions, assign, merge, set aside; verify or clear
//! identifiers; open a reporter's contact details. Each action writes its step, its
//! status and its audit entry in one transaction, and is checked against the role,
//! the assignment and the statutory clock first.

mod bulk;
mod contact;
mod identifiers;

pub(crate) use identifiers::write_identifier_status;

use canhgiac_core::case::{plan, Effect, Facts};
use canhgiac_core::clock::{local_date, Clock};

use crate::db::Sql;
use sqlx::Transaction;
use time::Date;

use crate::audit::{append, AuditEvent};
use crate::console::{clock_events, pending_extension, push_scope};
use crate::officers::Officer;
use crate::{Store, StoreError};

pub(crate) use canhgiac_core::case::reason_of;
pub use canhgiac_core::case::{Step, StepError, MAX_REASON_CHARS};

/// A bulk action from the queue.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BulkAction {
    /// Assign to an officer.
    Assign {
        /// Officer id.
        officer_id: i64,
    },
    /// Mark as not a crime, with a reason.
    NotCrime {
        /// Why.
        reason: String,
    },
    /// Merge duplicates into the first report given.
    Merge,
}

fn date_str(d: Date) -> String {
    format!("{:04}-{:02}-{:02}", d.year(), u8::from(d.month()), d.day())
}

struct Target {
    id: i64,
    code: String,
    status: String,
    assignee_id: Option<i64>,
}

/// One step row.
struct NewEvent<'a> {
    report_id: i64,
    kind: &'a str,
    on: Option<Date>,
    until: Option<Date>,
    reason: &'a str,
    detail: Option<String>,
    officer_id: i64,
    approved_by: Option<i64>,
    at: i64,
}

async fn insert_event(
    tx: &mut Transaction<'_, crate::db::Db>,
    e: NewEvent<'_>,
) -> Result<(), StoreError> {
    sqlx::query("INSERT INTO report_events (report_id, kind, on_date, until_date, reason, detail, officer_id, approved_by, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)")
        .bind(e.report_id)
        .bind(e.kind)
        .bind(e.on.map(date_str))
        .bind(e.until.map(date_str))
        .bind(e.reason)
        .bind(e.detail)
        .bind(e.officer_id)
        .bind(e.approved_by)
        .bind(e.at)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

impl Store {
    async fn scoped_target(
        &self,
        officer: &Officer,
        id: i64,
    ) -> Result<Option<Target>, StoreError> {
        let mut q = Sql::on(
            self.backend,
            "SELECT r.id, r.tracking_code, r.status, r.assignee_id FROM reports r WHERE r.id = ",
        );
        q.push_bind(id);
        push_scope(&mut q, officer);
        let row: Option<(i64, String, String, Option<i64>)> =
            q.build_query_as().fetch_optional(&self.pool).await?;
        Ok(row.map(|(id, code, status, assignee_id)| Target {
            id,
            code,
            status,
            assignee_id,
        }))
    }

    /// Records one step on a report at unix time `now`.
    pub async fn record_step(
        &self,
        officer: &Officer,
        report_id: i64,
        step: Step,
        now: i64,
    ) -> Result<Result<(), StepError>, StoreError> {
        // The report is read after the write transaction began, so no other step can
        // land between the check and the change; the status is also compared-and-set.
        let _guard = self.write_lock.lock().await;
        let mut tx = crate::db::begin_write(&self.pool).await?;
        let Some(target) = self.scoped_target(officer, report_id).await? else {
            return Ok(Err(StepError::NotFound));
        };
        let events = self.report_events(report_id).await?;
        let today = local_date(now);
        let done = self
            .apply_step(&mut tx, officer, &target, &events, step, today, now)
            .await?;
        if done.is_ok() {
            tx.commit().await?;
        }
        Ok(done)
    }

    #[allow(clippy::too_many_arguments)]
    async fn apply_step(
        &self,
        tx: &mut Transaction<'_, crate::db::Db>,
        officer: &Officer,
        target: &Target,
        events: &[crate::console::ReportEvent],
        step: Step,
        today: Date,
        now: i64,
    ) -> Result<Result<(), StepError>, StoreError> {
        let facts = Facts {
            role: officer.role,
            officer_id: officer.id,
            assignee_id: target.assignee_id,
            status: target.status.clone(),
            clock: Clock::replay(&clock_events(events)).ok(),
            pending_extension: pending_extension(events)
                .map(|(id, until, why)| (id, crate::console::parse_date(&until), why)),
        };
        let mut t = match plan(&step, &facts, today) {
            Ok(t) => t,
            Err(e) => return Ok(Err(e)),
        };
        match t.effect {
            Effect::None => {}
            Effect::TakeReport => {
                sqlx::query("UPDATE reports SET accepted_at = $1, assignee_id = COALESCE(assignee_id, $2), unit_id = COALESCE(unit_id, $3) WHERE id = $4")
                    .bind(now)
                    .bind(officer.id)
                    .bind(officer.unit_id)
                    .bind(target.id)
                    .execute(&mut **tx)
                    .await?;
            }
            Effect::MoveToUnit(unit_id) => {
                let unit: Option<(String,)> =
                    sqlx::query_as("SELECT name FROM units WHERE id = $1")
                        .bind(unit_id)
                        .fetch_optional(&mut **tx)
                        .await?;
                let Some((unit_name,)) = unit else {
                    return Ok(Err(StepError::UnknownUnit));
                };
                sqlx::query("UPDATE reports SET unit_id = $1, assignee_id = NULL WHERE id = $2")
                    .bind(unit_id)
                    .bind(target.id)
                    .execute(&mut **tx)
                    .await?;
                t.detail = Some(serde_json::json!({ "unit": unit_name }).to_string());
            }
        }
        insert_event(
            tx,
            NewEvent {
                report_id: target.id,
                kind: t.kind.as_str(),
                on: Some(today),
                until: t.until,
                reason: &t.reason,
                detail: t.detail.clone(),
                officer_id: officer.id,
                approved_by: t.approved.then_some(officer.id),
                at: now,
            },
        )
        .await?;
        if let Some(status) = t.status {
            let changed =
                sqlx::query("UPDATE reports SET status = $1 WHERE id = $2 AND status = $3")
                    .bind(status.as_str())
                    .bind(target.id)
                    .bind(&target.status)
                    .execute(&mut **tx)
                    .await?
                    .rows_affected();
            if changed != 1 {
                return Ok(Err(StepError::WrongStatus(target.status.clone())));
            }
        }
        let tgt = format!("report:{}", target.code);
        append(
            tx,
            &AuditEvent {
                actor: &officer.actor(),
                action: t.action,
                target: &tgt,
                reason: &t.reason,
            },
            now,
        )
        .await?;
        tracing::info!(
            report = target.id,
            step = t.kind.as_str(),
            officer = officer.id,
            "report step recorded"
        );
        Ok(Ok(()))
    }
}
