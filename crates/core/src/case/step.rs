//! The steps officers take on a report, and the pure rules that decide whether a
//! step may be taken and what it changes: [`plan`] reads the facts (role,
//! assignment, status, statutory clock, a pending extension request) and answers a
//! [`Transition`] or a [`StepError`]. The store only carries a transition out.

use time::Date;

use crate::clock::{Clock, ClockError, ClockEvent};
use crate::roles::{Permission, Role};

use super::{EventKind, Status};

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
    /// The kind of step recorded when it is taken.
    pub fn kind(&self) -> EventKind {
        match self {
            Step::Receive => EventKind::Received,
            Step::RequestExtension { .. } => EventKind::ExtensionRequested,
            Step::ApproveExtension { .. } => EventKind::Extended,
            Step::RefuseExtension { .. } => EventKind::ExtensionRefused,
            Step::ProcuracyExtension { .. } => EventKind::ProcuracyExtended,
            Step::Suspend { .. } => EventKind::Suspended,
            Step::Resume { .. } => EventKind::Resumed,
            Step::OpenCase { .. } => EventKind::CaseOpened,
            Step::NoCase { .. } => EventKind::NoCase,
            Step::TransferUnit { .. } => EventKind::Transferred,
            Step::TransferOut { .. } => EventKind::TransferredOut,
        }
    }

    /// The reason the officer wrote, for the steps that need one.
    pub fn reason(&self) -> Option<&str> {
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

/// Checks a reason: trimmed, required or not, at most [`MAX_REASON_CHARS`].
pub fn reason_of(reason: &str, required: bool) -> Result<String, StepError> {
    let r = reason.trim();
    if required && r.is_empty() {
        return Err(StepError::ReasonRequired);
    }
    if r.chars().count() > MAX_REASON_CHARS {
        return Err(StepError::ReasonTooLong);
    }
    Ok(r.to_string())
}

/// What is known of the report and the officer when a step is asked for.
#[derive(Debug, Clone)]
pub struct Facts {
    /// The officer's role.
    pub role: Role,
    /// The officer's id.
    pub officer_id: i64,
    /// Who handles the report, if anyone.
    pub assignee_id: Option<i64>,
    /// The report's status as stored.
    pub status: String,
    /// The statutory clock replayed from the recorded steps (none before receipt).
    pub clock: Option<Clock>,
    /// The pending extension request: its event id, the date asked for and why.
    pub pending_extension: Option<(i64, Option<Date>, String)>,
}

/// What a step changes besides its recorded event and status.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Effect {
    /// Nothing else.
    None,
    /// The report is formally received: stamped, and taken by the officer and
    /// their unit unless already assigned.
    TakeReport,
    /// The report moves to this unit and loses its assignee.
    MoveToUnit(i64),
}

/// What the store writes for an allowed step.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Transition {
    /// The recorded step's kind (`received`, `extended`, …).
    pub kind: EventKind,
    /// The report's new status, written only if the status is still the one read.
    pub status: Option<Status>,
    /// The new deadline the step sets or asks for.
    pub until: Option<Date>,
    /// A leader approved it (the officer taking the step).
    pub approved: bool,
    /// Details kept with the step, as JSON.
    pub detail: Option<String>,
    /// The reason recorded.
    pub reason: String,
    /// The audit action.
    pub action: &'static str,
    /// Anything else to change.
    pub effect: Effect,
}

impl Transition {
    fn new(kind: EventKind, action: &'static str, reason: String) -> Transition {
        Transition {
            kind,
            status: None,
            until: None,
            approved: false,
            detail: None,
            reason,
            action,
            effect: Effect::None,
        }
    }
}

/// Decides whether `step` may be taken on a report with these `facts` today, and
/// what it changes.
pub fn plan(step: &Step, facts: &Facts, today: Date) -> Result<Transition, StepError> {
    may_act(step, facts)?;
    let reason = match step.reason() {
        Some(r) => reason_of(r, true)?,
        None => String::new(),
    };
    let check = Check(facts);
    let is_lead = facts.role.can(Permission::Decide);
    Ok(match step {
        Step::Receive => {
            check.need(Status::Received)?;
            let mut t = Transition::new(EventKind::Received, "report.receive", reason);
            t.status = Some(Status::Accepted);
            t.effect = Effect::TakeReport;
            t
        }
        Step::RequestExtension { until, .. } => {
            check.need(Status::Accepted)?;
            check.clock(ClockEvent::Extended {
                on: today,
                until: *until,
            })?;
            let mut t = Transition::new(
                EventKind::ExtensionRequested,
                "report.extension_request",
                reason,
            );
            t.until = Some(*until);
            t
        }
        Step::ApproveExtension { .. } | Step::RefuseExtension { .. }
            if !facts.role.can(Permission::ApproveExtension) =>
        {
            return Err(StepError::Forbidden)
        }
        Step::ApproveExtension { .. } | Step::RefuseExtension { .. } => {
            answer_extension(step, facts, &check, today, reason)?
        }
        _ if !is_lead => return Err(StepError::Forbidden),
        _ => decide(step, &check, today, reason)?,
    })
}

/// What a step needs of the report: a status, a clock that allows it.
struct Check<'a>(&'a Facts);

impl Check<'_> {
    fn wrong_status(&self) -> StepError {
        StepError::WrongStatus(self.0.status.clone())
    }

    fn need(&self, status: Status) -> Result<(), StepError> {
        if self.0.status == status.as_str() {
            Ok(())
        } else {
            Err(self.wrong_status())
        }
    }

    fn clock(&self, event: ClockEvent) -> Result<(), StepError> {
        let mut c = self.0.clock.clone().ok_or_else(|| self.wrong_status())?;
        c.apply(event)?;
        Ok(())
    }
}

/// A leader approves or refuses the pending extension request.
fn answer_extension(
    step: &Step,
    facts: &Facts,
    check: &Check<'_>,
    today: Date,
    reason: String,
) -> Result<Transition, StepError> {
    Ok(match step {
        Step::ApproveExtension { request_id } => {
            let Some((pending, Some(until), asked_why)) = facts.pending_extension.clone() else {
                return Err(StepError::NoPendingRequest);
            };
            if pending != *request_id {
                return Err(StepError::NoPendingRequest);
            }
            check.clock(ClockEvent::Extended { on: today, until })?;
            let mut t = Transition::new(EventKind::Extended, "report.extension_approve", asked_why);
            t.until = Some(until);
            t.approved = true;
            t.detail = Some(serde_json::json!({ "request": request_id }).to_string());
            t
        }
        Step::RefuseExtension { request_id, .. } => {
            if facts.pending_extension.as_ref().map(|p| p.0) != Some(*request_id) {
                return Err(StepError::NoPendingRequest);
            }
            let mut t = Transition::new(
                EventKind::ExtensionRefused,
                "report.extension_refuse",
                reason,
            );
            t.detail = Some(serde_json::json!({ "request": request_id }).to_string());
            t
        }
        _ => return Err(StepError::Forbidden),
    })
}

/// The steps only a leader takes: the procuracy's extension, suspension and
/// resumption, the decisions, transfers.
fn decide(
    step: &Step,
    check: &Check<'_>,
    today: Date,
    reason: String,
) -> Result<Transition, StepError> {
    Ok(match step {
        Step::ProcuracyExtension { until, .. } => {
            check.clock(ClockEvent::ProcuracyExtended {
                on: today,
                until: *until,
            })?;
            let mut t = Transition::new(
                EventKind::ProcuracyExtended,
                "report.procuracy_extension",
                reason,
            );
            t.until = Some(*until);
            t
        }
        Step::Suspend { .. } => {
            check.clock(ClockEvent::Suspended(today))?;
            decision(
                EventKind::Suspended,
                Status::Suspended,
                "report.suspend",
                reason,
            )
        }
        Step::Resume { .. } => {
            check.clock(ClockEvent::Resumed(today))?;
            decision(
                EventKind::Resumed,
                Status::Accepted,
                "report.resume",
                reason,
            )
        }
        Step::OpenCase { .. } => {
            check.clock(ClockEvent::Decided(today))?;
            decision(
                EventKind::CaseOpened,
                Status::CaseOpened,
                "report.open_case",
                reason,
            )
        }
        Step::NoCase { .. } => {
            check.clock(ClockEvent::Decided(today))?;
            decision(EventKind::NoCase, Status::NoCase, "report.no_case", reason)
        }
        Step::TransferUnit { unit_id, .. } => {
            let mut t = Transition::new(EventKind::Transferred, "report.transfer", reason);
            t.effect = Effect::MoveToUnit(*unit_id);
            t
        }
        Step::TransferOut { to, .. } => {
            let to = to.trim();
            if to.is_empty() || to.chars().count() > 200 {
                return Err(StepError::ReasonRequired);
            }
            check.clock(ClockEvent::Decided(today))?;
            let mut t = decision(
                EventKind::TransferredOut,
                Status::Transferred,
                "report.transfer_out",
                reason,
            );
            t.detail = Some(serde_json::json!({ "to": to }).to_string());
            t
        }
        Step::Receive
        | Step::RequestExtension { .. }
        | Step::ApproveExtension { .. }
        | Step::RefuseExtension { .. } => return Err(StepError::Forbidden),
    })
}

/// The role, the assignment and the status allow some step on the report at all.
fn may_act(step: &Step, facts: &Facts) -> Result<(), StepError> {
    let role = facts.role;
    if !role.can(Permission::HandleReports) {
        return Err(StepError::Forbidden);
    }
    // Investigators act on their own reports; receiving one makes it theirs.
    let is_lead = role.can(Permission::Decide);
    let mine = facts.assignee_id == Some(facts.officer_id);
    if !is_lead && *step != Step::Receive && !mine {
        return Err(StepError::NotAssignee);
    }
    if role == Role::Investigator
        && *step == Step::Receive
        && facts.assignee_id.is_some_and(|a| a != facts.officer_id)
    {
        return Err(StepError::NotAssignee);
    }
    // A closed report takes no step: of two decisions at once, the second finds the
    // report closed and is refused as a conflict, not as a clock error.
    if !Status::parse(&facts.status).is_some_and(Status::is_open) {
        return Err(StepError::WrongStatus(facts.status.clone()));
    }
    Ok(())
}

fn decision(kind: EventKind, status: Status, action: &'static str, reason: String) -> Transition {
    let mut t = Transition::new(kind, action, reason);
    t.status = Some(status);
    t
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    const TODAY: Date = date!(2026 - 11 - 10);
    const ME: i64 = 7;

    fn facts(role: Role, status: Status, assignee: Option<i64>) -> Facts {
        let clock = (status != Status::Received).then(|| {
            let mut c = Clock::start(date!(2026 - 11 - 02));
            if status == Status::Suspended {
                c.apply(ClockEvent::Suspended(date!(2026 - 11 - 05)))
                    .expect("suspend");
            }
            c
        });
        Facts {
            role,
            officer_id: ME,
            assignee_id: assignee,
            status: status.as_str().into(),
            clock,
            pending_extension: None,
        }
    }

    fn why() -> String {
        "Có căn cứ".into()
    }

    #[test]
    fn receiving_takes_the_report_and_starts_handling() {
        let f = facts(Role::Investigator, Status::Received, None);
        let t = plan(&Step::Receive, &f, TODAY).expect("allowed");
        assert_eq!(
            (t.kind, t.status, t.effect),
            (
                EventKind::Received,
                Some(Status::Accepted),
                Effect::TakeReport
            )
        );
        assert_eq!(t.action, "report.receive");
        // Someone else's report is not the investigator's to receive.
        let f = facts(Role::Investigator, Status::Received, Some(ME + 1));
        assert_eq!(plan(&Step::Receive, &f, TODAY), Err(StepError::NotAssignee));
        // Received twice: the second finds it accepted.
        let f = facts(Role::Investigator, Status::Accepted, Some(ME));
        assert_eq!(
            plan(&Step::Receive, &f, TODAY),
            Err(StepError::WrongStatus("accepted".into()))
        );
    }

    #[test]
    fn roles_and_assignment_come_first() {
        let f = facts(Role::Analyst, Status::Accepted, Some(ME));
        assert_eq!(
            plan(&Step::Suspend { reason: why() }, &f, TODAY),
            Err(StepError::Forbidden)
        );
        let f = facts(Role::Investigator, Status::Accepted, Some(ME + 1));
        assert_eq!(
            plan(&Step::Suspend { reason: why() }, &f, TODAY),
            Err(StepError::NotAssignee)
        );
        // Decisions are a leader's, even on the investigator's own report.
        let f = facts(Role::Investigator, Status::Accepted, Some(ME));
        assert_eq!(
            plan(&Step::OpenCase { reason: why() }, &f, TODAY),
            Err(StepError::Forbidden)
        );
        // A leader acts on any report of the scope.
        let f = facts(Role::Leader, Status::Accepted, Some(ME + 1));
        assert!(plan(&Step::OpenCase { reason: why() }, &f, TODAY).is_ok());
    }

    #[test]
    fn every_step_but_receipt_and_approval_needs_a_reason() {
        let f = facts(Role::Leader, Status::Accepted, Some(ME));
        assert_eq!(
            plan(
                &Step::Suspend {
                    reason: "  ".into()
                },
                &f,
                TODAY
            ),
            Err(StepError::ReasonRequired)
        );
        let long = "x".repeat(MAX_REASON_CHARS + 1);
        assert_eq!(
            plan(&Step::NoCase { reason: long }, &f, TODAY),
            Err(StepError::ReasonTooLong)
        );
        let t = plan(
            &Step::NoCase {
                reason: "  Không đủ căn cứ  ".into(),
            },
            &f,
            TODAY,
        )
        .expect("ok");
        assert_eq!(t.reason, "Không đủ căn cứ");
    }

    #[test]
    fn decisions_set_their_status_and_stop_the_clock() {
        let f = facts(Role::Leader, Status::Accepted, Some(ME));
        for (step, kind, status) in [
            (
                Step::OpenCase { reason: why() },
                EventKind::CaseOpened,
                Status::CaseOpened,
            ),
            (
                Step::NoCase { reason: why() },
                EventKind::NoCase,
                Status::NoCase,
            ),
            (
                Step::Suspend { reason: why() },
                EventKind::Suspended,
                Status::Suspended,
            ),
            (
                Step::TransferOut {
                    to: "Công an TP.HCM".into(),
                    reason: why(),
                },
                EventKind::TransferredOut,
                Status::Transferred,
            ),
        ] {
            let t = plan(&step, &f, TODAY).expect("allowed");
            assert_eq!((t.kind, t.status), (kind, Some(status)), "{step:?}");
        }
        let t = plan(
            &Step::TransferOut {
                to: "Công an \"A\"".into(),
                reason: why(),
            },
            &f,
            TODAY,
        )
        .expect("allowed");
        assert_eq!(t.detail.as_deref(), Some(r#"{"to":"Công an \"A\""}"#));
        assert_eq!(
            plan(
                &Step::TransferOut {
                    to: " ".into(),
                    reason: why()
                },
                &f,
                TODAY
            ),
            Err(StepError::ReasonRequired)
        );
    }

    #[test]
    fn suspension_and_resumption_follow_the_clock() {
        let suspended = facts(Role::Leader, Status::Suspended, Some(ME));
        let t = plan(&Step::Resume { reason: why() }, &suspended, TODAY).expect("resume");
        assert_eq!(
            (t.kind, t.status),
            (EventKind::Resumed, Some(Status::Accepted))
        );
        assert!(matches!(
            plan(&Step::OpenCase { reason: why() }, &suspended, TODAY),
            Err(StepError::Clock(_))
        ));
        let running = facts(Role::Leader, Status::Accepted, Some(ME));
        assert!(matches!(
            plan(&Step::Resume { reason: why() }, &running, TODAY),
            Err(StepError::Clock(_))
        ));
    }

    #[test]
    fn closed_reports_take_no_step() {
        for status in [
            Status::CaseOpened,
            Status::NoCase,
            Status::Transferred,
            Status::NotCrime,
            Status::Merged,
        ] {
            let f = facts(Role::Leader, status, Some(ME));
            assert_eq!(
                plan(&Step::Suspend { reason: why() }, &f, TODAY),
                Err(StepError::WrongStatus(status.as_str().into())),
                "{status:?}"
            );
        }
    }

    #[test]
    fn extensions_are_asked_then_approved_or_refused_by_a_leader() {
        let f = facts(Role::Investigator, Status::Accepted, Some(ME));
        let until = date!(2026 - 12 - 20);
        let t = plan(
            &Step::RequestExtension {
                until,
                reason: why(),
            },
            &f,
            TODAY,
        )
        .expect("ask");
        assert_eq!(
            (t.kind, t.until, t.status),
            (EventKind::ExtensionRequested, Some(until), None)
        );
        // Beyond two months from receipt, the law does not allow it.
        let far = date!(2027 - 03 - 01);
        assert!(matches!(
            plan(
                &Step::RequestExtension {
                    until: far,
                    reason: why()
                },
                &f,
                TODAY
            ),
            Err(StepError::Clock(ClockError::TooLong { .. }))
        ));
        // The investigator may not approve.
        assert_eq!(
            plan(&Step::ApproveExtension { request_id: 3 }, &f, TODAY),
            Err(StepError::Forbidden)
        );
        let mut lead = facts(Role::Leader, Status::Accepted, Some(ME));
        assert_eq!(
            plan(&Step::ApproveExtension { request_id: 3 }, &lead, TODAY),
            Err(StepError::NoPendingRequest)
        );
        lead.pending_extension = Some((3, Some(until), "Phức tạp".into()));
        let t = plan(&Step::ApproveExtension { request_id: 3 }, &lead, TODAY).expect("approve");
        assert_eq!(
            (t.kind, t.until, t.approved),
            (EventKind::Extended, Some(until), true)
        );
        assert_eq!(t.reason, "Phức tạp");
        assert_eq!(t.detail.as_deref(), Some(r#"{"request":3}"#));
        assert_eq!(
            plan(&Step::ApproveExtension { request_id: 4 }, &lead, TODAY),
            Err(StepError::NoPendingRequest)
        );
        let t = plan(
            &Step::RefuseExtension {
                request_id: 3,
                reason: why(),
            },
            &lead,
            TODAY,
        )
        .expect("refuse");
        assert_eq!(t.kind, EventKind::ExtensionRefused);
    }

    #[test]
    fn the_procuracy_extends_once_after_the_unit() {
        let f = facts(Role::Leader, Status::Accepted, Some(ME));
        assert!(matches!(
            plan(
                &Step::ProcuracyExtension {
                    until: date!(2027 - 01 - 10),
                    reason: why()
                },
                &f,
                TODAY
            ),
            Err(StepError::Clock(ClockError::ProcuracyNotAllowed))
        ));
    }

    #[test]
    fn a_planned_step_records_its_own_kind() {
        let lead = facts(Role::Leader, Status::Accepted, Some(ME));
        for step in [
            Step::Suspend { reason: why() },
            Step::OpenCase { reason: why() },
            Step::NoCase { reason: why() },
            Step::TransferUnit {
                unit_id: 2,
                reason: why(),
            },
        ] {
            assert_eq!(
                plan(&step, &lead, TODAY).expect("allowed").kind,
                step.kind()
            );
        }
        let new = facts(Role::Investigator, Status::Received, None);
        assert_eq!(
            plan(&Step::Receive, &new, TODAY).expect("receive").kind,
            Step::Receive.kind()
        );
    }

    #[test]
    fn a_transfer_within_the_province_moves_the_report() {
        let f = facts(Role::Leader, Status::Accepted, Some(ME));
        let t = plan(
            &Step::TransferUnit {
                unit_id: 9,
                reason: why(),
            },
            &f,
            TODAY,
        )
        .expect("move");
        assert_eq!(
            (t.kind, t.status, t.effect),
            (EventKind::Transferred, None, Effect::MoveToUnit(9))
        );
    }
}
