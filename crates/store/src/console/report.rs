//! A report as an officer sees it: facts, recorded steps and the statutory clock; and
//! the deadlines of the reports whose clock runs.

use crate::db::Sql;
use canhgiac_core::case::EventKind;
use canhgiac_core::clock::{Clock, ClockEvent};
use serde::Serialize;
use time::Date;

use crate::officers::Officer;
use crate::{LookupIndex, Store, StoreError};

use super::scope::push_scope;

/// An identifier of a report with the officers' verdict on it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ReportIdentifier {
    /// Key (`phone:+84…`).
    pub key: String,
    /// Kind.
    pub kind: String,
    /// Readable value.
    pub display: String,
    /// Role in the report.
    pub role: String,
    /// `verified`, `cleared` or none.
    pub status: Option<String>,
    /// Reports naming it (from the lookup index).
    #[sqlx(skip)]
    pub report_count: u32,
}

/// One transfer of a report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Transfer {
    /// BIN.
    pub bank_bin: String,
    /// Account.
    pub account: String,
    /// VND.
    pub amount_vnd: i64,
    /// Unix seconds.
    pub transferred_at: Option<i64>,
}

/// One recorded step.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ReportEvent {
    /// Id.
    pub id: i64,
    /// Kind.
    pub kind: String,
    /// Legal date.
    pub on_date: Option<String>,
    /// New deadline.
    pub until_date: Option<String>,
    /// Why.
    pub reason: String,
    /// Extra JSON.
    pub detail: Option<String>,
    /// Who recorded it.
    pub officer: String,
    /// Who approved it.
    pub approver: Option<String>,
    /// Unix seconds written.
    pub created_at: i64,
}

/// The columns of a step and where they come from.
const EVENT_FROM: &str = "e.id, e.kind, e.on_date, e.until_date, e.reason, e.detail, o.display_name AS officer, a.display_name AS approver, e.created_at FROM report_events e JOIN officers o ON o.id = e.officer_id LEFT JOIN officers a ON a.id = e.approved_by";

/// A step with the report it belongs to.
#[derive(sqlx::FromRow)]
struct ReportEventOf {
    report_id: i64,
    #[sqlx(flatten)]
    event: ReportEvent,
}

/// A report as an officer sees it (never the reporter's identity).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct OfficerReport {
    /// Id.
    pub id: i64,
    /// Tracking code.
    pub tracking_code: String,
    /// Status key.
    pub status: String,
    /// Channel key.
    pub channel: String,
    /// Method key.
    pub method_key: Option<String>,
    /// Narrative.
    pub narrative: String,
    /// Loss.
    pub amount_lost_vnd: i64,
    /// Commune/ward.
    pub place_code: Option<i64>,
    /// When the scammer made contact.
    pub contacted_at: Option<i64>,
    /// Submitted.
    pub created_at: i64,
    /// Formally received.
    pub accepted_at: Option<i64>,
    /// Unit id and name.
    pub unit: Option<(i64, String)>,
    /// Assignee id and name.
    pub assignee: Option<(i64, String)>,
    /// Merged into this report id.
    pub merged_into: Option<i64>,
    /// Whether contact details were given.
    pub has_reporter: bool,
    /// Identifiers.
    pub identifiers: Vec<ReportIdentifier>,
    /// Transfers.
    pub transfers: Vec<Transfer>,
    /// Evidence files (SHA-256).
    pub evidence: Vec<String>,
    /// Steps, oldest first.
    pub events: Vec<ReportEvent>,
    /// The clock, once received.
    #[serde(skip)]
    pub clock: Option<Clock>,
    /// A pending extension request (event id, requested deadline, reason).
    pub pending_extension: Option<(i64, String, String)>,
}

#[derive(sqlx::FromRow)]
struct DetailRow {
    id: i64,
    tracking_code: String,
    status: String,
    channel: String,
    method_key: Option<String>,
    narrative: String,
    amount_lost_vnd: i64,
    place_code: Option<i64>,
    contacted_at: Option<i64>,
    created_at: i64,
    accepted_at: Option<i64>,
    unit_id: Option<i64>,
    unit_name: Option<String>,
    assignee_id: Option<i64>,
    assignee_name: Option<String>,
    merged_into: Option<i64>,
    #[sqlx(try_from = "crate::db::Flag")]
    has_reporter: bool,
}

/// Parses a stored YYYY-MM-DD date.
pub fn parse_date(s: &str) -> Option<Date> {
    Date::parse(
        s,
        &time::macros::format_description!("[year]-[month]-[day]"),
    )
    .ok()
}

/// The clock events among recorded steps.
pub fn clock_events(events: &[ReportEvent]) -> Vec<ClockEvent> {
    events
        .iter()
        .filter_map(|e| {
            let on = e.on_date.as_deref().and_then(parse_date)?;
            let until = e.until_date.as_deref().and_then(parse_date);
            EventKind::parse(&e.kind)?.clock_event(on, until)
        })
        .collect()
}

/// The pending extension request among recorded steps: the latest request with no
/// approval or refusal after it.
pub fn pending_extension(events: &[ReportEvent]) -> Option<(i64, String, String)> {
    let mut pending = None;
    for e in events {
        match EventKind::parse(&e.kind) {
            Some(EventKind::ExtensionRequested) => {
                pending = Some((
                    e.id,
                    e.until_date.clone().unwrap_or_default(),
                    e.reason.clone(),
                ))
            }
            Some(k) if k.ends_extension_request() => pending = None,
            _ => {}
        }
    }
    pending
}

impl Store {
    /// A report as an officer sees it, if the officer's unit may see it.
    pub async fn officer_report(
        &self,
        officer: &Officer,
        id: i64,
        index: &LookupIndex,
    ) -> Result<Option<OfficerReport>, StoreError> {
        let mut q = Sql::on(self.backend,
            "SELECT r.id, r.tracking_code, r.status, r.channel, r.method_key, r.narrative, r.amount_lost_vnd, r.place_code, r.contacted_at, r.created_at, r.accepted_at, r.unit_id, u.name AS unit_name, r.assignee_id, o.display_name AS assignee_name, r.merged_into, CASE WHEN r.reporter_sealed IS NOT NULL THEN 1 ELSE 0 END AS has_reporter FROM reports r LEFT JOIN officers o ON o.id = r.assignee_id LEFT JOIN units u ON u.id = r.unit_id WHERE r.id = ",
        );
        q.push_bind(id);
        push_scope(&mut q, officer);
        let Some(row): Option<DetailRow> = q.build_query_as().fetch_optional(&self.pool).await?
        else {
            return Ok(None);
        };
        let mut identifiers: Vec<ReportIdentifier> = sqlx::query_as(
            "SELECT i.key, i.kind, i.display, ri.role, s.status FROM report_identifiers ri JOIN identifiers i ON i.key = ri.identifier_key LEFT JOIN identifier_status s ON s.key = i.key WHERE ri.report_id = $1 ORDER BY i.kind, i.display",
        )
        .bind(id)
        .fetch_all(&self.pool)
        .await?;
        for i in &mut identifiers {
            i.report_count = index.report_count(&i.key);
        }
        let transfers: Vec<Transfer> = sqlx::query_as(
            "SELECT bank_bin, account, amount_vnd, transferred_at FROM transfers WHERE report_id = $1 ORDER BY seq",
        )
        .bind(id)
        .fetch_all(&self.pool)
        .await?;
        let evidence: Vec<(String,)> = sqlx::query_as(
            "SELECT sha256 FROM report_evidence WHERE report_id = $1 ORDER BY sha256",
        )
        .bind(id)
        .fetch_all(&self.pool)
        .await?;
        let events = self.report_events(id).await?;
        let clock = Clock::replay(&clock_events(&events)).ok();
        let pending = pending_extension(&events);
        Ok(Some(OfficerReport {
            id: row.id,
            tracking_code: row.tracking_code,
            status: row.status,
            channel: row.channel,
            method_key: row.method_key,
            narrative: row.narrative,
            amount_lost_vnd: row.amount_lost_vnd,
            place_code: row.place_code,
            contacted_at: row.contacted_at,
            created_at: row.created_at,
            accepted_at: row.accepted_at,
            unit: row.unit_id.zip(row.unit_name),
            assignee: row.assignee_id.zip(row.assignee_name),
            merged_into: row.merged_into,
            has_reporter: row.has_reporter,
            identifiers,
            transfers,
            evidence: evidence.into_iter().map(|(s,)| s).collect(),
            events,
            clock,
            pending_extension: pending,
        }))
    }

    /// The recorded steps of a report, oldest first.
    pub async fn report_events(&self, id: i64) -> Result<Vec<ReportEvent>, StoreError> {
        Ok(sqlx::query_as(&format!(
            "SELECT {EVENT_FROM} WHERE e.report_id = $1 ORDER BY e.id"
        ))
        .bind(id)
        .fetch_all(&self.pool)
        .await?)
    }

    /// The clocks of reports, replayed from their steps read in one query per 400.
    pub(super) async fn clocks_of(
        &self,
        ids: &[i64],
    ) -> Result<std::collections::HashMap<i64, Clock>, StoreError> {
        let mut events: std::collections::HashMap<i64, Vec<ReportEvent>> = Default::default();
        for part in ids.chunks(400) {
            let mut q = Sql::on(
                self.backend,
                format!("SELECT e.report_id, {EVENT_FROM} WHERE e.report_id IN ("),
            );
            let mut list = q.separated(", ");
            for id in part {
                list.push_bind(*id);
            }
            q.push(") ORDER BY e.report_id, e.id");
            let rows: Vec<ReportEventOf> = q.build_query_as().fetch_all(&self.pool).await?;
            for r in rows {
                events.entry(r.report_id).or_default().push(r.event);
            }
        }
        Ok(events
            .into_iter()
            .filter_map(|(id, ev)| Some((id, Clock::replay(&clock_events(&ev)).ok()?)))
            .collect())
    }

    /// Received reports whose clock runs in the officer's scope, with their clocks,
    /// soonest deadline first.
    pub async fn deadlines(
        &self,
        officer: &Officer,
    ) -> Result<Vec<(i64, String, Option<String>, Clock)>, StoreError> {
        let mut q = Sql::on(self.backend,
            "SELECT r.id, r.tracking_code, o.display_name FROM reports r LEFT JOIN officers o ON o.id = r.assignee_id WHERE r.status = 'accepted'",
        );
        push_scope(&mut q, officer);
        q.push(" LIMIT 5000");
        let rows: Vec<(i64, String, Option<String>)> =
            q.build_query_as().fetch_all(&self.pool).await?;
        let ids: Vec<i64> = rows.iter().map(|r| r.0).collect();
        let mut clocks = self.clocks_of(&ids).await?;
        let mut out: Vec<(i64, String, Option<String>, Clock)> = rows
            .into_iter()
            .filter_map(|(id, code, assignee)| Some((id, code, assignee, clocks.remove(&id)?)))
            .collect();
        out.sort_by_key(|(_, _, _, c)| c.deadline);
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn event(id: i64, kind: &str, on: &str, until: Option<&str>) -> ReportEvent {
        ReportEvent {
            id,
            kind: kind.into(),
            on_date: Some(on.into()),
            until_date: until.map(str::to_string),
            reason: "lý do".into(),
            detail: None,
            officer: "A".into(),
            approver: None,
            created_at: 0,
        }
    }

    #[test]
    fn steps_replay_into_the_clock_and_pending_requests() {
        let events = vec![
            event(1, "received", "2026-03-10", None),
            event(2, "assigned", "2026-03-10", None),
            event(3, "extension_requested", "2026-03-25", Some("2026-05-10")),
        ];
        let clock = Clock::replay(&clock_events(&events)).expect("clock");
        assert_eq!(clock.deadline, time::macros::date!(2026 - 03 - 30));
        assert_eq!(
            pending_extension(&events),
            Some((3, "2026-05-10".into(), "lý do".into()))
        );
        let mut approved = events.clone();
        approved.push(event(4, "extended", "2026-03-26", Some("2026-05-10")));
        let clock = Clock::replay(&clock_events(&approved)).expect("clock");
        assert_eq!(clock.deadline, time::macros::date!(2026 - 05 - 10));
        assert_eq!(pending_extension(&approved), None);
    }
}
