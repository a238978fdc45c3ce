//! Oversight pages: the unit's deadlines (overdue and due soon first) and the audit
//! log with the state of its hash chain.

use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use canhgiac_core::clock::{local_date, Urgency};
use canhgiac_core::roles::Permission;
use canhgiac_store::audit::AuditCheck;
use serde::Deserialize;

use super::auth::Console;
use super::{fmt_datetime, fmt_day, Frame};
use crate::pages::render;
use crate::pages::{PageError, PageResult};
use crate::AppState;

struct DeadlineRow {
    id: i64,
    code: String,
    assignee: String,
    deadline: String,
    days_left: i64,
    overdue: bool,
    due_soon: bool,
}

#[derive(Template)]
#[template(path = "console/deadlines.html")]
struct DeadlinesPage {
    f: Frame,
    rows: Vec<DeadlineRow>,
    overdue: usize,
    due_soon: usize,
}

/// Received reports by deadline.
pub async fn deadlines(State(state): State<AppState>, console: Console) -> PageResult {
    console.require(Permission::ViewReports)?;
    let list = match state.store.deadlines(console.officer()).await {
        Ok(l) => l,
        Err(e) => {
            return Err(PageError::unavailable("deadlines", e));
        }
    };
    let today = local_date(time::OffsetDateTime::now_utc().unix_timestamp());
    let rows: Vec<DeadlineRow> = list
        .into_iter()
        .map(|(id, code, assignee, clock)| {
            let u = clock.urgency(today);
            DeadlineRow {
                id,
                code,
                assignee: assignee.unwrap_or_default(),
                deadline: fmt_day(clock.deadline),
                days_left: clock.days_left(today).unwrap_or(0),
                overdue: u == Urgency::Overdue,
                due_soon: u == Urgency::DueSoon,
            }
        })
        .collect();
    let overdue = rows.iter().filter(|r| r.overdue).count();
    let due_soon = rows.iter().filter(|r| r.due_soon).count();
    Ok(render(
        StatusCode::OK,
        &DeadlinesPage {
            f: Frame::new(&console),
            rows,
            overdue,
            due_soon,
        },
    ))
}

#[derive(Deserialize, Default)]
pub struct AuditQuery {
    #[serde(default)]
    before: Option<i64>,
    #[serde(default)]
    action: String,
}

struct AuditRow {
    seq: i64,
    at: String,
    actor: String,
    action: String,
    target: String,
    reason: String,
}

#[derive(Template)]
#[template(path = "console/audit.html")]
struct AuditPage {
    f: Frame,
    intact: bool,
    entries: i64,
    problem: String,
    rows: Vec<AuditRow>,
    older: Option<i64>,
    action: String,
}

/// The audit log (administrators).
pub async fn audit(
    State(state): State<AppState>,
    console: Console,
    Query(q): Query<AuditQuery>,
) -> PageResult {
    console.require(Permission::ViewAudit)?;
    let action = Some(q.action.trim()).filter(|a| !a.is_empty() && a.len() <= 64);
    let (check, list) = match (
        state.store.verify_audit().await,
        state.store.audit_entries(q.before, 100, action).await,
    ) {
        (Ok(c), Ok(l)) => (c, l),
        (Err(e), _) | (_, Err(e)) => {
            return Err(PageError::unavailable("audit page", e));
        }
    };
    let (intact, entries, problem) = match check {
        AuditCheck::Intact { entries, .. } => (true, entries, String::new()),
        AuditCheck::Broken { seq, problem } => (false, 0, format!("#{seq}: {problem}")),
    };
    let older = (list.len() == 100)
        .then(|| list.last().map(|e| e.seq))
        .flatten();
    let rows = list
        .into_iter()
        .map(|e| AuditRow {
            seq: e.seq,
            at: fmt_datetime(e.at),
            actor: e.actor,
            action: e.action,
            target: e.target,
            reason: e.reason,
        })
        .collect();
    Ok(render(
        StatusCode::OK,
        &AuditPage {
            f: Frame::new(&console),
            intact,
            entries,
            problem,
            rows,
            older,
            action: q.action,
        },
    ))
}
