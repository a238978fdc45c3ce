//! What officers do to reports: receive them formally, ask for and approve
//! extensions, record decisions, assign, merge, set aside; verify or clear
//! identifiers; open a reporter's contact details. Each action writes its step, its
//! status and its audit entry in one transaction, and is checked against the role,
//! the assignment and the statutory clock first.

mod bulk;
mod contact;
mod identifiers;

pub(crate) use identifiers::write_identifier_status;

use canhgiac_core::clock::{local_date, Clock, ClockError, ClockEvent};
use canhgiac_core::roles::{Permission, Role};
use sqlx::{QueryBuilder, Sqlite, Transaction};
use time::Date;

use crate::audit::{append, AuditEvent};
use crate::console::{clock_events, pending_extension, push_scope};
use crate::officers::Officer;
use crate::{Store, StoreError};

/// Longest reason kept.
pub const MAX_REASON_CHARS: usize = 2_000;

/// One step on one report.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Step {
    /// Formal receipt (tiếp nhận): the statutory clock starts.
    Receive,
    /// Ask a leader to extend the limit to a date.
    RequestExtension {
        /// New deadline asked for.
        until: Date,
        /// Why the matter is complex.
        reason: String,
    },
    /// A leader approves the pending request.
    ApproveExtension {
        /// The request's event id.
        request_id: i64,
    },
    /// A leader refuses the pending request.
    RefuseExtension {
        /// The request's event id.
        request_id: i64,
        /// Why.
        reason: String,
    },
    /// The procuracy's one further extension, as decided by it.
    ProcuracyExtension {
        /// New deadline.
        until: Date,
        /// The procuracy's decision (number, date).
        reason: String,
    },
    /// Suspend handling (tạm đình chỉ).
    Suspend {
        /// Why.
        reason: String,
    },
    /// Resume handling (phục hồi).
    Resume {
        /// Why.
        reason: String,
    },
    /// Decide to open a criminal case (khởi tố vụ án).
    OpenCase {
        /// Decision number and grounds.
        reason: String,
    },
    /// Decide not to open a case.
    NoCase {
        /// Grounds.
        reason: String,
    },
    /// Hand over to another unit of the province; the clock goes on.
    TransferUnit {
        /// Unit id.
        unit_id: i64,
        /// Why.
        reason: String,
    },
    /// Hand over to another province; the clock stops here.
    TransferOut {
        /// Where to.
        to: String,
        /// Why.
        reason: String,
    },
}

impl Step {
    /// The reason the officer wrote, for the steps that need one.
    fn reason(&self) -> Option<&str> {
        match self {
            Step::Receive | Step::ApproveExtension { .. } => None,
            Step::RequestExtension { reason, .. }
            | Step::RefuseExtension { reason, .. }
            | Step::ProcuracyExtension { reason, .. }
            | Step::Suspend { reason }
            | Step::Resume { reason }
            | Step::OpenCase { reason }
            | Step::NoCase { reason }
            | Step::TransferUnit { reason, .. }
            | Step::TransferOut { reason, .. } => Some(reason),
        }
    }
}

/// Why a step was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum StepError {
    /// The role may not do this.
    #[error("your role may not do this")]
    Forbidden,
    /// Only the assigned officer (or a leader) may act on the report.
    #[error("the report is assigned to another officer")]
    NotAssignee,
    /// The report's status does not allow the step.
    #[error("not possible while the report is {0}")]
    WrongStatus(String),
    /// The statutory clock does not allow it.
    #[error("{0}")]
    Clock(#[from] ClockError),
    /// A reason is required.
    #[error("a reason is required")]
    ReasonRequired,
    /// The reason is too long.
    #[error("the reason is too long")]
    ReasonTooLong,
    /// No such pending extension request.
    #[error("there is no such pending extension request")]
    NoPendingRequest,
    /// The unit does not exist.
    #[error("unknown unit")]
    UnknownUnit,
    /// The report is not visible to this officer or does not exist.
    #[error("no such report")]
    NotFound,
    /// Someone decided first: the state is now this one (compare-and-set lost).
    #[error("changed meanwhile; it is now {0}")]
    Changed(String),
}

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

fn reason_of(reason: &str, required: bool) -> Result<String, StepError> {
    let r = reason.trim();
    if required && r.is_empty() {
        return Err(StepError::ReasonRequired);
    }
    if r.chars().count() > MAX_REASON_CHARS {
        return Err(StepError::ReasonTooLong);
    }
    Ok(r.to_string())
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

async fn insert_event(tx: &mut Transaction<'_, Sqlite>, e: NewEvent<'_>) -> Result<(), StoreError> {
    sqlx::query("INSERT INTO report_events (report_id, kind, on_date, until_date, reason, detail, officer_id, approved_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")
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
        let mut q: QueryBuilder<Sqlite> = QueryBuilder::new(
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
        let mut tx = self.pool.begin_with("BEGIN IMMEDIATE").await?;
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
        tx: &mut Transaction<'_, Sqlite>,
        officer: &Officer,
        target: &Target,
        events: &[crate::console::ReportEvent],
        step: Step,
        today: Date,
        now: i64,
    ) -> Result<Result<(), StepError>, StoreError> {
        let role = officer.role;
        let is_lead = role.can(Permission::Decide);
        if !role.can(Permission::HandleReports) {
            return Ok(Err(StepError::Forbidden));
        }
        // Investigators act on their own reports; receiving one makes it theirs.
        if !is_lead && step != Step::Receive && target.assignee_id != Some(officer.id) {
            return Ok(Err(StepError::NotAssignee));
        }
        if role == Role::Investigator
            && step == Step::Receive
            && target.assignee_id.is_some_and(|a| a != officer.id)
        {
            return Ok(Err(StepError::NotAssignee));
        }
        let clock = Clock::replay(&clock_events(events)).ok();
        let need = |status: &str| {
            if target.status == status {
                Ok(())
            } else {
                Err(StepError::WrongStatus(target.status.clone()))
            }
        };
        let try_clock = |event: ClockEvent| -> Result<(), StepError> {
            let mut c = clock
                .clone()
                .ok_or_else(|| StepError::WrongStatus(target.status.clone()))?;
            c.apply(event)?;
            Ok(())
        };
        let me = officer.id;
        let mut ev = NewEvent {
            report_id: target.id,
            kind: "",
            on: Some(today),
            until: None,
            reason: "",
            detail: None,
            officer_id: me,
            approved_by: None,
            at: now,
        };
        let mut new_status: Option<&str> = None;
        // A closed report takes no step: of two decisions at once, the second finds
        // the report closed and is refused as a conflict, not as a clock error.
        if !crate::console::OPEN_STATUSES.contains(&target.status.as_str()) {
            return Ok(Err(StepError::WrongStatus(target.status.clone())));
        }
        // Every step but receiving and approving needs a reason.
        let mut reason_owned = match step.reason().map(|r| reason_of(r, true)) {
            Some(Ok(r)) => r,
            Some(Err(e)) => return Ok(Err(e)),
            None => String::new(),
        };
        let action: &str;
        match step {
            Step::Receive => {
                if let Err(e) = need("received") {
                    return Ok(Err(e));
                }
                sqlx::query("UPDATE reports SET accepted_at = ?, assignee_id = COALESCE(assignee_id, ?), unit_id = COALESCE(unit_id, ?) WHERE id = ?")
                    .bind(now)
                    .bind(me)
                    .bind(officer.unit_id)
                    .bind(target.id)
                    .execute(&mut **tx)
                    .await?;
                new_status = Some("accepted");
                ev.kind = "received";
                action = "report.receive";
            }
            Step::RequestExtension { until, .. } => {
                if let Err(e) = need("accepted")
                    .and_then(|_| try_clock(ClockEvent::Extended { on: today, until }))
                {
                    return Ok(Err(e));
                }
                ev.kind = "extension_requested";
                ev.until = Some(until);
                action = "report.extension_request";
            }
            Step::ApproveExtension { request_id } | Step::RefuseExtension { request_id, .. }
                if !role.can(Permission::ApproveExtension) =>
            {
                let _ = request_id;
                return Ok(Err(StepError::Forbidden));
            }
            Step::ApproveExtension { request_id } => {
                let Some((pending, until, reason)) = pending_extension(events) else {
                    return Ok(Err(StepError::NoPendingRequest));
                };
                let until = crate::console::parse_date(&until);
                let (true, Some(until)) = (pending == request_id, until) else {
                    return Ok(Err(StepError::NoPendingRequest));
                };
                if let Err(e) = try_clock(ClockEvent::Extended { on: today, until }) {
                    return Ok(Err(e));
                }
                ev.kind = "extended";
                ev.until = Some(until);
                ev.approved_by = Some(me);
                ev.detail = Some(format!("{{\"request\":{request_id}}}"));
                reason_owned = reason;
                action = "report.extension_approve";
            }
            Step::RefuseExtension { request_id, .. } => {
                if pending_extension(events).map(|p| p.0) != Some(request_id) {
                    return Ok(Err(StepError::NoPendingRequest));
                }
                ev.kind = "extension_refused";
                ev.detail = Some(format!("{{\"request\":{request_id}}}"));
                action = "report.extension_refuse";
            }
            other if !is_lead => {
                let _ = other;
                return Ok(Err(StepError::Forbidden));
            }
            Step::ProcuracyExtension { until, .. } => {
                if let Err(e) = try_clock(ClockEvent::ProcuracyExtended { on: today, until }) {
                    return Ok(Err(e));
                }
                ev.kind = "procuracy_extended";
                ev.until = Some(until);
                action = "report.procuracy_extension";
            }
            Step::Suspend { .. }
            | Step::Resume { .. }
            | Step::OpenCase { .. }
            | Step::NoCase { .. } => {
                // (clock step, new status, recorded kind, audit action)
                let (clock_step, status, kind, act) = match &step {
                    Step::Suspend { .. } => (
                        ClockEvent::Suspended(today),
                        "suspended",
                        "suspended",
                        "report.suspend",
                    ),
                    Step::Resume { .. } => (
                        ClockEvent::Resumed(today),
                        "accepted",
                        "resumed",
                        "report.resume",
                    ),
                    Step::OpenCase { .. } => (
                        ClockEvent::Decided(today),
                        "case_opened",
                        "case_opened",
                        "report.open_case",
                    ),
                    _ => (
                        ClockEvent::Decided(today),
                        "no_case",
                        "no_case",
                        "report.no_case",
                    ),
                };
                if let Err(e) = try_clock(clock_step) {
                    return Ok(Err(e));
                }
                new_status = Some(status);
                ev.kind = kind;
                action = act;
            }
            Step::TransferUnit { unit_id, .. } => {
                if !crate::console::OPEN_STATUSES.contains(&target.status.as_str()) {
                    return Ok(Err(StepError::WrongStatus(target.status.clone())));
                }
                let unit: Option<(String,)> = sqlx::query_as("SELECT name FROM units WHERE id = ?")
                    .bind(unit_id)
                    .fetch_optional(&mut **tx)
                    .await?;
                let Some((unit_name,)) = unit else {
                    return Ok(Err(StepError::UnknownUnit));
                };
                sqlx::query("UPDATE reports SET unit_id = ?, assignee_id = NULL WHERE id = ?")
                    .bind(unit_id)
                    .bind(target.id)
                    .execute(&mut **tx)
                    .await?;
                ev.kind = "transferred";
                ev.detail = Some(serde_json::json!({ "unit": unit_name }).to_string());
                action = "report.transfer";
            }
            Step::TransferOut { to, .. } => {
                let to = to.trim();
                if to.is_empty() || to.chars().count() > 200 {
                    return Ok(Err(StepError::ReasonRequired));
                }
                if let Err(e) = try_clock(ClockEvent::Decided(today)) {
                    return Ok(Err(e));
                }
                new_status = Some("transferred");
                ev.kind = "transferred_out";
                ev.detail = Some(serde_json::json!({ "to": to }).to_string());
                action = "report.transfer_out";
            }
        }
        ev.reason = &reason_owned;
        let kind = ev.kind;
        insert_event(tx, ev).await?;
        if let Some(status) = new_status {
            let changed = sqlx::query("UPDATE reports SET status = ? WHERE id = ? AND status = ?")
                .bind(status)
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
                action,
                target: &tgt,
                reason: &reason_owned,
            },
            now,
        )
        .await?;
        tracing::info!(
            report = target.id,
            step = kind,
            officer = officer.id,
            "report step recorded"
        );
        Ok(Ok(()))
    }
}
