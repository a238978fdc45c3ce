//! What the police console reads: the triage queue, a report as an officer sees it,
//! its recorded steps and its statutory clock.

use canhgiac_core::clock::{local_date, Clock, ClockEvent};
use canhgiac_core::roles::Role;
use canhgiac_core::triage::{TriageFacts, Urgency};
use canhgiac_core::verdict::Level;
use serde::Serialize;
use sqlx::{QueryBuilder, Sqlite};
use time::Date;

use crate::officers::Officer;
use crate::{LookupIndex, Store, StoreError};

/// Statuses of reports still waiting for a decision.
pub const OPEN_STATUSES: [&str; 3] = ["received", "accepted", "suspended"];

/// Every status a report can have.
pub const STATUSES: [&str; 8] = [
    "received",
    "accepted",
    "suspended",
    "case_opened",
    "no_case",
    "transferred",
    "not_crime",
    "merged",
];

/// Reports ranked in full per queue view: this many largest losses, a quarter as many
/// longest waiting, and every report with a transfer in the golden hours.
pub const QUEUE_CANDIDATES: i64 = 2_000;

/// Matching reports are counted up to this many ("10,000+").
pub const COUNT_CAP: i64 = 10_000;

/// Queue rows per page.
pub const QUEUE_PAGE: usize = 50;

/// Filters of the triage queue. Empty fields do not filter.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct QueueFilter {
    /// Statuses; empty means the open ones.
    pub statuses: Vec<String>,
    /// Method key.
    pub method: Option<String>,
    /// Channel key.
    pub channel: Option<String>,
    /// Commune/ward code.
    pub place_code: Option<i64>,
    /// Submitted at or after (unix seconds).
    pub from: Option<i64>,
    /// Submitted before (unix seconds).
    pub to: Option<i64>,
    /// Least loss, VND.
    pub min_amount: Option<i64>,
    /// Largest loss, VND.
    pub max_amount: Option<i64>,
    /// Unit id.
    pub unit_id: Option<i64>,
    /// Assignee id (`Some(0)`: nobody).
    pub assignee_id: Option<i64>,
    /// Words to find in the narrative, diacritics ignored.
    pub search: Option<String>,
    /// Page, from 0.
    pub page: usize,
}

/// One row of the queue.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct QueueItem {
    /// Report id.
    pub id: i64,
    /// Tracking code.
    pub tracking_code: String,
    /// Status key.
    pub status: String,
    /// Channel key.
    pub channel: String,
    /// Method key.
    pub method_key: Option<String>,
    /// Loss, VND.
    pub amount_lost_vnd: i64,
    /// Commune/ward code.
    pub place_code: Option<i64>,
    /// Submitted (unix seconds).
    pub created_at: i64,
    /// Assignee's name.
    pub assignee: Option<String>,
    /// Unit's name.
    pub unit: Option<String>,
    /// Start of the narrative.
    pub excerpt: String,
    /// Why it ranks where it does.
    pub urgency: Urgency,
    /// Other reports in its ring.
    pub linked_reports: u32,
    /// Its identifiers verified as scams.
    pub verified_identifiers: u32,
    /// Days left on the statutory clock (when running).
    pub days_left: Option<i64>,
}

/// A page of the queue.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct QueuePage {
    /// Rows of this page, most urgent first.
    pub items: Vec<QueueItem>,
    /// Matching reports (up to [`COUNT_CAP`]).
    pub total: i64,
    /// Whether more than [`COUNT_CAP`] match.
    pub total_capped: bool,
    /// Page number.
    pub page: usize,
}

#[derive(sqlx::FromRow)]
struct QueueRow {
    id: i64,
    tracking_code: String,
    status: String,
    channel: String,
    method_key: Option<String>,
    amount_lost_vnd: i64,
    place_code: Option<i64>,
    created_at: i64,
    assignee: Option<String>,
    unit: Option<String>,
    excerpt: String,
    last_transfer_at: Option<i64>,
}

/// An identifier of a report with the officers' verdict on it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
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
            Some(match (e.kind.as_str(), until) {
                ("received", _) => ClockEvent::Received(on),
                ("extended", Some(until)) => ClockEvent::Extended { on, until },
                ("procuracy_extended", Some(until)) => ClockEvent::ProcuracyExtended { on, until },
                ("suspended", _) => ClockEvent::Suspended(on),
                ("resumed", _) => ClockEvent::Resumed(on),
                ("case_opened" | "no_case" | "transferred_out", _) => ClockEvent::Decided(on),
                _ => return None,
            })
        })
        .collect()
}

/// The pending extension request among recorded steps: the latest request with no
/// approval or refusal after it.
pub fn pending_extension(events: &[ReportEvent]) -> Option<(i64, String, String)> {
    let mut pending = None;
    for e in events {
        match e.kind.as_str() {
            "extension_requested" => {
                pending = Some((
                    e.id,
                    e.until_date.clone().unwrap_or_default(),
                    e.reason.clone(),
                ))
            }
            "extended" | "extension_refused" | "case_opened" | "no_case" | "transferred_out"
            | "suspended" => pending = None,
            _ => {}
        }
    }
    pending
}

/// The SQL condition that limits reports to what an officer's unit may see.
pub(crate) fn push_scope(q: &mut QueryBuilder<'_, Sqlite>, officer: &Officer) {
    if officer.role == Role::Admin || officer.provincial {
        q.push(" AND 1 = 1");
    } else {
        q.push(" AND (r.unit_id = ")
            .push_bind(officer.unit_id)
            .push(" OR (r.unit_id IS NULL AND r.place_code IS ")
            .push_bind(officer.unit_place)
            .push("))");
    }
}

/// An FTS5 query from free words: each word folded and quoted, all required.
pub fn search_query(text: &str) -> Option<String> {
    let folded = canhgiac_core::fold::fold(text);
    let words: Vec<String> = folded
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .take(12)
        .map(|w| format!("\"{w}\""))
        .collect();
    (!words.is_empty()).then(|| words.join(" "))
}

impl Store {
    /// The triage queue for an officer: filtered, ranked by urgency, one page.
    pub async fn queue(
        &self,
        officer: &Officer,
        filter: &QueueFilter,
        index: &LookupIndex,
        now: i64,
    ) -> Result<QueuePage, StoreError> {
        // Candidates, each read through an index: the largest losses, the longest
        // waiting, and every report with a transfer in the golden hours. The rest of the
        // ranking (ring, verified identifiers) is added in memory below.
        let golden_since = now - canhgiac_core::triage::GOLDEN_HOURS * 3600;
        let mut q: QueryBuilder<Sqlite> = QueryBuilder::new(
            "WITH cand(id) AS (SELECT id FROM (SELECT r.id FROM reports r WHERE 1 = 1",
        );
        // `+r.status`: the status index would make SQLite sort every open report; the
        // amount index (or the commune's) gives the order directly.
        push_filter_with(&mut q, officer, filter, "+r.status");
        q.push(" ORDER BY r.amount_lost_vnd DESC LIMIT ")
            .push_bind(QUEUE_CANDIDATES)
            .push(") UNION SELECT id FROM (SELECT r.id FROM reports r WHERE 1 = 1");
        push_filter(&mut q, officer, filter);
        q.push(" ORDER BY r.created_at LIMIT ")
            .push_bind(QUEUE_CANDIDATES / 4)
            .push(") UNION SELECT r.id FROM reports r WHERE r.id IN (SELECT report_id FROM transfers WHERE transferred_at >= ")
            .push_bind(golden_since)
            .push(" AND transferred_at <= ")
            .push_bind(now + 300)
            .push(")");
        push_filter(&mut q, officer, filter);
        q.push(
            ") SELECT r.id, r.tracking_code, r.status, r.channel, r.method_key, r.amount_lost_vnd, r.place_code, r.created_at, o.display_name AS assignee, u.name AS unit, substr(r.narrative, 1, 160) AS excerpt, (SELECT MAX(t.transferred_at) FROM transfers t WHERE t.report_id = r.id) AS last_transfer_at FROM reports r LEFT JOIN officers o ON o.id = r.assignee_id LEFT JOIN units u ON u.id = r.unit_id WHERE r.id IN (SELECT id FROM cand)",
        );
        let rows: Vec<QueueRow> = q.build_query_as().fetch_all(&self.pool).await?;

        // Counting stops at the cap: a filter on an unindexed column would otherwise
        // read every report.
        let mut count: QueryBuilder<Sqlite> =
            QueryBuilder::new("SELECT COUNT(*) FROM (SELECT 1 FROM reports r WHERE 1 = 1");
        push_filter(&mut count, officer, filter);
        count.push(" LIMIT ").push_bind(COUNT_CAP + 1).push(")");
        let (counted,): (i64,) = count.build_query_as().fetch_one(&self.pool).await?;
        let (total, total_capped) = (counted.min(COUNT_CAP), counted > COUNT_CAP);

        let ids: Vec<i64> = rows.iter().map(|r| r.id).collect();
        let keys = self.identifier_keys_of(&ids).await?;
        let mut items: Vec<QueueItem> = rows
            .into_iter()
            .map(|r| {
                let verified = verified_count(keys.get(&r.id).map(Vec::as_slice), index);
                let linked = index
                    .ring_of(r.id)
                    .map(|(_, n)| n.saturating_sub(1) as u32)
                    .unwrap_or(0);
                let urgency = Urgency::of(
                    &TriageFacts {
                        last_transfer_at: r.last_transfer_at,
                        amount_lost_vnd: r.amount_lost_vnd.max(0) as u64,
                        linked_reports: linked,
                        verified_identifiers: verified,
                        submitted_at: r.created_at,
                    },
                    now,
                );
                QueueItem {
                    id: r.id,
                    tracking_code: r.tracking_code,
                    status: r.status,
                    channel: r.channel,
                    method_key: r.method_key,
                    amount_lost_vnd: r.amount_lost_vnd,
                    place_code: r.place_code,
                    created_at: r.created_at,
                    assignee: r.assignee,
                    unit: r.unit,
                    excerpt: r.excerpt,
                    urgency,
                    linked_reports: linked,
                    verified_identifiers: verified,
                    days_left: None,
                }
            })
            .collect();
        items.sort_by(|a, b| {
            b.urgency
                .score()
                .total_cmp(&a.urgency.score())
                .then(a.created_at.cmp(&b.created_at))
        });
        let start = filter.page * QUEUE_PAGE;
        let mut items: Vec<QueueItem> = items.into_iter().skip(start).take(QUEUE_PAGE).collect();
        let today = local_date(now);
        let running: Vec<i64> = items
            .iter()
            .filter(|i| i.status == "accepted")
            .map(|i| i.id)
            .collect();
        let clocks = self.clocks_of(&running).await?;
        for item in &mut items {
            if let Some(clock) = clocks.get(&item.id) {
                item.days_left = clock.days_left(today);
            }
        }
        Ok(QueuePage {
            items,
            total,
            total_capped,
            page: filter.page,
        })
    }

    /// Identifier keys of reports, by report id.
    pub(crate) async fn identifier_keys_of(
        &self,
        ids: &[i64],
    ) -> Result<std::collections::HashMap<i64, Vec<String>>, StoreError> {
        let mut out: std::collections::HashMap<i64, Vec<String>> = Default::default();
        for part in ids.chunks(400) {
            let mut q: QueryBuilder<Sqlite> = QueryBuilder::new(
                "SELECT report_id, identifier_key FROM report_identifiers WHERE report_id IN (",
            );
            let mut list = q.separated(", ");
            for id in part {
                list.push_bind(*id);
            }
            q.push(")");
            let rows: Vec<(i64, String)> = q.build_query_as().fetch_all(&self.pool).await?;
            for (id, key) in rows {
                out.entry(id).or_default().push(key);
            }
        }
        Ok(out)
    }

    /// A report as an officer sees it, if the officer's unit may see it.
    pub async fn officer_report(
        &self,
        officer: &Officer,
        id: i64,
        index: &LookupIndex,
    ) -> Result<Option<OfficerReport>, StoreError> {
        let mut q: QueryBuilder<Sqlite> = QueryBuilder::new(
            "SELECT r.id, r.tracking_code, r.status, r.channel, r.method_key, r.narrative, r.amount_lost_vnd, r.place_code, r.contacted_at, r.created_at, r.accepted_at, r.unit_id, u.name AS unit_name, r.assignee_id, o.display_name AS assignee_name, r.merged_into, r.reporter_sealed IS NOT NULL AS has_reporter FROM reports r LEFT JOIN officers o ON o.id = r.assignee_id LEFT JOIN units u ON u.id = r.unit_id WHERE r.id = ",
        );
        q.push_bind(id);
        push_scope(&mut q, officer);
        let Some(row): Option<DetailRow> = q.build_query_as().fetch_optional(&self.pool).await?
        else {
            return Ok(None);
        };
        let mut identifiers: Vec<ReportIdentifier> = sqlx::query_as(
            "SELECT i.key, i.kind, i.display, ri.role, s.status FROM report_identifiers ri JOIN identifiers i ON i.key = ri.identifier_key LEFT JOIN identifier_status s ON s.key = i.key WHERE ri.report_id = ? ORDER BY i.kind, i.display",
        )
        .bind(id)
        .fetch_all(&self.pool)
        .await?;
        for i in &mut identifiers {
            i.report_count = index.report_count(&i.key);
        }
        let transfers: Vec<Transfer> = sqlx::query_as(
            "SELECT bank_bin, account, amount_vnd, transferred_at FROM transfers WHERE report_id = ? ORDER BY seq",
        )
        .bind(id)
        .fetch_all(&self.pool)
        .await?;
        let evidence: Vec<(String,)> = sqlx::query_as(
            "SELECT sha256 FROM report_evidence WHERE report_id = ? ORDER BY sha256",
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
            "SELECT {EVENT_FROM} WHERE e.report_id = ? ORDER BY e.id"
        ))
        .bind(id)
        .fetch_all(&self.pool)
        .await?)
    }

    /// The clocks of reports, replayed from their steps read in one query per 400.
    async fn clocks_of(
        &self,
        ids: &[i64],
    ) -> Result<std::collections::HashMap<i64, Clock>, StoreError> {
        let mut events: std::collections::HashMap<i64, Vec<ReportEvent>> = Default::default();
        for part in ids.chunks(400) {
            let mut q: QueryBuilder<Sqlite> = QueryBuilder::new(&format!(
                "SELECT e.report_id, {EVENT_FROM} WHERE e.report_id IN ("
            ));
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
        let mut q: QueryBuilder<Sqlite> = QueryBuilder::new(
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

/// Identifiers of a report verified as scams.
fn verified_count(keys: Option<&[String]>, index: &LookupIndex) -> u32 {
    keys.unwrap_or_default()
        .iter()
        .filter(|k| index.get(k).is_some_and(|s| s.level() == Level::Dangerous))
        .count() as u32
}

fn push_filter(q: &mut QueryBuilder<'_, Sqlite>, officer: &Officer, f: &QueueFilter) {
    push_filter_with(q, officer, f, "r.status");
}

fn push_filter_with(
    q: &mut QueryBuilder<'_, Sqlite>,
    officer: &Officer,
    f: &QueueFilter,
    status_column: &str,
) {
    push_scope(q, officer);
    let statuses: Vec<String> = if f.statuses.is_empty() {
        OPEN_STATUSES.iter().map(|s| s.to_string()).collect()
    } else {
        f.statuses.clone()
    };
    q.push(" AND ").push(status_column).push(" IN (");
    let mut list = q.separated(", ");
    for s in statuses {
        list.push_bind(s);
    }
    q.push(")");
    if let Some(m) = &f.method {
        q.push(" AND r.method_key = ").push_bind(m.clone());
    }
    if let Some(c) = &f.channel {
        q.push(" AND r.channel = ").push_bind(c.clone());
    }
    if let Some(p) = f.place_code {
        q.push(" AND r.place_code = ").push_bind(p);
    }
    if let Some(t) = f.from {
        q.push(" AND r.created_at >= ").push_bind(t);
    }
    if let Some(t) = f.to {
        q.push(" AND r.created_at < ").push_bind(t);
    }
    if let Some(a) = f.min_amount {
        q.push(" AND r.amount_lost_vnd >= ").push_bind(a);
    }
    if let Some(a) = f.max_amount {
        q.push(" AND r.amount_lost_vnd <= ").push_bind(a);
    }
    if let Some(u) = f.unit_id {
        q.push(" AND r.unit_id = ").push_bind(u);
    }
    match f.assignee_id {
        Some(0) => {
            q.push(" AND r.assignee_id IS NULL");
        }
        Some(a) => {
            q.push(" AND r.assignee_id = ").push_bind(a);
        }
        None => {}
    }
    if let Some(text) = f.search.as_deref().and_then(search_query) {
        q.push(" AND r.id IN (SELECT rowid FROM search.report_search WHERE report_search MATCH ")
            .push_bind(text)
            .push(")");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn search_words_are_folded_and_quoted() {
        assert_eq!(
            search_query("Lừa đảo  \"OR\" *"),
            Some("\"lua\" \"dao\" \"or\"".into())
        );
        assert_eq!(search_query("  !! "), None);
    }

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

/// A report in a ring.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct RingReport {
    /// Id.
    pub id: i64,
    /// Tracking code.
    pub tracking_code: String,
    /// Status key.
    pub status: String,
    /// Method key.
    pub method_key: Option<String>,
    /// Loss, VND.
    pub amount_lost_vnd: i64,
    /// Commune/ward.
    pub place_code: Option<i64>,
    /// Submitted.
    pub created_at: i64,
    /// Keyed fingerprint of the reporter (to count victims; never shown).
    #[serde(skip)]
    pub reporter_fp: String,
}

/// An identifier in a ring.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct RingIdentifier {
    /// Key.
    pub key: String,
    /// Kind.
    pub kind: String,
    /// Readable value.
    pub display: String,
}

/// A ring as the console shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RingView {
    /// Ring id (its smallest report id).
    pub id: i64,
    /// Reports in the ring in all.
    pub size: usize,
    /// The reports shown (in the officer's scope, up to the cap), oldest first.
    pub reports: Vec<RingReport>,
    /// Their identifiers.
    pub identifiers: Vec<RingIdentifier>,
    /// Report–identifier links (report id, identifier key).
    pub links: Vec<(i64, String)>,
    /// Distinct victims among the shown reports.
    pub victims: usize,
    /// Total loss of the shown reports.
    pub total_loss_vnd: i64,
    /// Communes/wards, most reports first.
    pub places: Vec<(i64, usize)>,
    /// First and last submission.
    pub span: Option<(i64, i64)>,
    /// Reports not shown (outside the officer's scope, or beyond the cap).
    pub hidden: usize,
}

/// Reports of a ring read in full for one page.
pub const RING_CAP: usize = 500;

impl Store {
    /// The ring that contains a report, as far as the officer's unit may see it.
    pub async fn ring(
        &self,
        officer: &Officer,
        report_id: i64,
        index: &LookupIndex,
    ) -> Result<Option<RingView>, StoreError> {
        let Some((id, size)) = index.ring_of(report_id) else {
            return Ok(None);
        };
        let members = index.ring_members(report_id);
        let mut reports: Vec<RingReport> = Vec::new();
        for part in members
            .iter()
            .take(RING_CAP)
            .collect::<Vec<_>>()
            .chunks(400)
        {
            let mut q: QueryBuilder<Sqlite> = QueryBuilder::new(
                "SELECT r.id, r.tracking_code, r.status, r.method_key, r.amount_lost_vnd, r.place_code, r.created_at, r.reporter_fp FROM reports r WHERE r.id IN (",
            );
            let mut list = q.separated(", ");
            for m in part {
                list.push_bind(**m);
            }
            q.push(")");
            push_scope(&mut q, officer);
            reports.extend(
                q.build_query_as::<RingReport>()
                    .fetch_all(&self.pool)
                    .await?,
            );
        }
        if reports.is_empty() {
            return Ok(None);
        }
        reports.sort_by_key(|r| (r.created_at, r.id));
        let ids: Vec<i64> = reports.iter().map(|r| r.id).collect();
        let keys = self.identifier_keys_of(&ids).await?;
        let mut links: Vec<(i64, String)> = keys
            .iter()
            .flat_map(|(id, ks)| ks.iter().map(move |k| (*id, k.clone())))
            .collect();
        links.sort();
        links.dedup();
        let mut distinct: Vec<&str> = links.iter().map(|(_, k)| k.as_str()).collect();
        distinct.sort_unstable();
        distinct.dedup();
        let mut identifiers: Vec<RingIdentifier> = Vec::with_capacity(distinct.len());
        for part in distinct.chunks(400) {
            let mut q: QueryBuilder<Sqlite> =
                QueryBuilder::new("SELECT key, kind, display FROM identifiers WHERE key IN (");
            let mut list = q.separated(", ");
            for k in part {
                list.push_bind(k.to_string());
            }
            q.push(") ORDER BY kind, display");
            identifiers.extend(
                q.build_query_as::<RingIdentifier>()
                    .fetch_all(&self.pool)
                    .await?,
            );
        }
        let victims = reports
            .iter()
            .map(|r| r.reporter_fp.as_str())
            .collect::<std::collections::HashSet<_>>()
            .len();
        let total_loss_vnd = reports.iter().map(|r| r.amount_lost_vnd).sum();
        let mut places: std::collections::HashMap<i64, usize> = Default::default();
        for p in reports.iter().filter_map(|r| r.place_code) {
            *places.entry(p).or_default() += 1;
        }
        let mut places: Vec<(i64, usize)> = places.into_iter().collect();
        places.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        let span = reports
            .first()
            .zip(reports.last())
            .map(|(a, b)| (a.created_at, b.created_at));
        Ok(Some(RingView {
            id,
            size,
            hidden: size.saturating_sub(reports.len()),
            reports,
            identifiers,
            links,
            victims,
            total_loss_vnd,
            places,
            span,
        }))
    }
}
