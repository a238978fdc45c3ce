//! Figures of a period for the statistics pages and the periodic report: reports
//! (from the facts kept in memory, [`facts`]), and handling, holds, recoveries,
//! bulletins and awareness activities (small tables, read by time with their indexes).

pub mod facts;
pub mod tally;

use std::collections::HashMap;

use canhgiac_core::case::EventKind;
use canhgiac_core::clock::{local_date, Clock, ClockState};
use canhgiac_core::stats::{median_p90, StatsPeriod};
use time::Date;

use crate::console::report::parse_date;
use crate::db::Sql;
use crate::{Store, StoreError};
pub use tally::{tally, Count, Scope, Tally};

/// The formal steps of handling in a period.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Handling {
    /// Reports formally received (tiếp nhận).
    pub received: u64,
    /// Decisions and other closing steps by kind (`case_opened`, `no_case`,
    /// `suspended`, `transferred`, `transferred_out`, `not_crime`).
    pub steps: HashMap<String, u64>,
    /// Decisions (case opened, not opened, transferred out) within the deadline.
    pub decided_in_time: u64,
    /// Decisions after the deadline.
    pub decided_late: u64,
    /// Extensions granted (by a leader or the procuracy).
    pub extended: u64,
    /// Reports whose clock ran past its deadline without a decision, as of the end of
    /// the period (or today, for the current period).
    pub overdue: u64,
}

/// Requests to banks and what came of them in a period.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Holds {
    /// Hold requests made.
    pub requested: u64,
    /// Requests the bank answered with a hold.
    pub held: u64,
    /// Amount held, VND.
    pub held_vnd: i64,
    /// Requests refused.
    pub refused: u64,
    /// Recoveries recorded (money returned to victims).
    pub returned: u64,
    /// Amount returned, VND.
    pub returned_vnd: i64,
    /// Hours from the report to the hold: median and 90th percentile.
    pub hours_to_hold: Option<(i64, i64)>,
}

/// Awareness work in a period (province-wide).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Awareness {
    /// Bulletins published.
    pub bulletins: u64,
    /// Activities recorded by agencies.
    pub activities: u64,
    /// People reached.
    pub reached: i64,
    /// Agencies that recorded at least one activity.
    pub agencies_active: u64,
    /// Agencies registered.
    pub agencies: u64,
}

/// Decisions and closing steps counted in [`Handling::steps`].
pub const STEP_KINDS: [EventKind; 6] = [
    EventKind::CaseOpened,
    EventKind::NoCase,
    EventKind::Suspended,
    EventKind::Transferred,
    EventKind::TransferredOut,
    EventKind::NotCrime,
];

/// Clocks run at most this long (2 months, 2 more by the procuracy, resumptions): a
/// report received earlier is not looked at for "overdue".
const CLOCK_HORIZON_DAYS: i64 = 200;

fn push_scope(q: &mut Sql, scope: Scope) {
    match scope {
        Scope::Province => {}
        Scope::Unit(u) => {
            q.push(" AND r.unit_id = ");
            q.push_bind(u);
        }
        Scope::Commune(c) => {
            q.push(" AND r.place_code = ");
            q.push_bind(c);
        }
    }
}

type EventRow = (i64, i64, String, Option<String>, Option<String>, i64);

impl Store {
    /// The handling figures of `[from, to)` (unix) in a scope; `end` is the last day
    /// that counts for "overdue" (the period's last day, or today).
    pub async fn handling_figures(
        &self,
        scope: Scope,
        from: i64,
        to: i64,
        end: Date,
    ) -> Result<Handling, StoreError> {
        let mut out = Handling::default();
        let mut q = Sql::on(
            self.backend,
            "SELECT e.kind, COUNT(*) FROM report_events e JOIN reports r ON r.id = e.report_id WHERE e.created_at >= ",
        );
        q.push_bind(from);
        q.push(" AND e.created_at < ");
        q.push_bind(to);
        push_scope(&mut q, scope);
        q.push(" GROUP BY e.kind");
        let rows: Vec<(String, i64)> = q.build_query_as().fetch_all(&self.pool).await?;
        for (kind, n) in rows {
            let n = u64::try_from(n).unwrap_or(0);
            match EventKind::parse(&kind) {
                Some(EventKind::Received) => out.received += n,
                Some(EventKind::Extended | EventKind::ProcuracyExtended) => out.extended += n,
                Some(k) if STEP_KINDS.contains(&k) => {
                    *out.steps.entry(kind).or_default() += n;
                }
                _ => {}
            }
        }
        // Decisions in the period, each judged against the clock before it.
        let mut q = Sql::on(
            self.backend,
            "SELECT DISTINCT e.report_id FROM report_events e JOIN reports r ON r.id = e.report_id WHERE e.kind IN ('case_opened', 'no_case', 'transferred_out') AND e.created_at >= ",
        );
        q.push_bind(from);
        q.push(" AND e.created_at < ");
        q.push_bind(to);
        push_scope(&mut q, scope);
        let decided: Vec<(i64,)> = q.build_query_as().fetch_all(&self.pool).await?;
        let ids: Vec<i64> = decided.into_iter().map(|(id,)| id).collect();
        for events in self.events_of(&ids).await?.values() {
            let mut clock: Option<Clock> = None;
            for (_, _, kind, on, until, created_at) in events {
                let Some(kind) = EventKind::parse(kind) else {
                    continue;
                };
                let Some(on) = on.as_deref().and_then(parse_date) else {
                    continue;
                };
                let until = until.as_deref().and_then(parse_date);
                let Some(event) = kind.clock_event(on, until) else {
                    continue;
                };
                let is_decision = matches!(
                    kind,
                    EventKind::CaseOpened | EventKind::NoCase | EventKind::TransferredOut
                );
                if is_decision && *created_at >= from && *created_at < to {
                    if let Some(c) = &clock {
                        if on <= c.deadline {
                            out.decided_in_time += 1;
                        } else {
                            out.decided_late += 1;
                        }
                    }
                    break;
                }
                match (&mut clock, event) {
                    (None, canhgiac_core::clock::ClockEvent::Received(day)) => {
                        clock = Some(Clock::start(day));
                    }
                    (Some(c), e) => {
                        let _ = c.apply(e);
                    }
                    (None, _) => {}
                }
            }
        }
        // Overdue as of `end`: received within the horizon, still running then.
        let horizon = to - CLOCK_HORIZON_DAYS * 86_400;
        let mut q = Sql::on(
            self.backend,
            "SELECT DISTINCT e.report_id FROM report_events e JOIN reports r ON r.id = e.report_id WHERE e.kind = 'received' AND e.created_at >= ",
        );
        q.push_bind(horizon);
        q.push(" AND e.created_at < ");
        q.push_bind(to);
        push_scope(&mut q, scope);
        let received: Vec<(i64,)> = q.build_query_as().fetch_all(&self.pool).await?;
        let ids: Vec<i64> = received.into_iter().map(|(id,)| id).collect();
        for events in self.events_of(&ids).await?.values() {
            let replayed: Vec<_> = events
                .iter()
                .filter_map(|(_, _, kind, on, until, _)| {
                    let on = on.as_deref().and_then(parse_date)?;
                    if on > end {
                        return None;
                    }
                    let until = until.as_deref().and_then(parse_date);
                    EventKind::parse(kind)?.clock_event(on, until)
                })
                .collect();
            if let Ok(clock) = Clock::replay(&replayed) {
                if clock.state == ClockState::Running && clock.deadline < end {
                    out.overdue += 1;
                }
            }
        }
        Ok(out)
    }

    /// The recorded steps of some reports, in order, by report.
    async fn events_of(&self, ids: &[i64]) -> Result<HashMap<i64, Vec<EventRow>>, StoreError> {
        let mut out: HashMap<i64, Vec<EventRow>> = HashMap::new();
        for part in ids.chunks(400) {
            let mut q = Sql::on(
                self.backend,
                "SELECT report_id, id, kind, on_date, until_date, created_at FROM report_events WHERE report_id IN (",
            );
            let mut list = q.separated(", ");
            for id in part {
                list.push_bind(*id);
            }
            q.push(") ORDER BY report_id, id");
            let rows: Vec<EventRow> = q.build_query_as().fetch_all(&self.pool).await?;
            for r in rows {
                out.entry(r.0).or_default().push(r);
            }
        }
        Ok(out)
    }

    /// Hold requests, holds and recoveries of `[from, to)` in a scope.
    pub async fn hold_figures(
        &self,
        scope: Scope,
        from: i64,
        to: i64,
    ) -> Result<Holds, StoreError> {
        let mut out = Holds::default();
        let mut q = Sql::on(
            self.backend,
            "SELECT COUNT(*) FROM hold_requests h JOIN reports r ON r.id = h.report_id WHERE h.created_at >= ",
        );
        q.push_bind(from);
        q.push(" AND h.created_at < ");
        q.push_bind(to);
        push_scope(&mut q, scope);
        let (requested,): (i64,) = q.build_query_as().fetch_one(&self.pool).await?;
        out.requested = u64::try_from(requested).unwrap_or(0);

        let mut q = Sql::on(
            self.backend,
            "SELECT e.state, h.held_amount_vnd, COALESCE(e.effective_at, e.at) - r.created_at FROM hold_events e JOIN hold_requests h ON h.id = e.request_id JOIN reports r ON r.id = h.report_id WHERE e.state IN ('held', 'refused') AND e.at >= ",
        );
        q.push_bind(from);
        q.push(" AND e.at < ");
        q.push_bind(to);
        push_scope(&mut q, scope);
        let rows: Vec<(String, i64, i64)> = q.build_query_as().fetch_all(&self.pool).await?;
        let mut hours = Vec::new();
        for (state, amount, waited) in rows {
            if state == "held" {
                out.held += 1;
                out.held_vnd = out.held_vnd.saturating_add(amount);
                hours.push(waited.max(0) / 3600);
            } else {
                out.refused += 1;
            }
        }
        out.hours_to_hold = median_p90(&mut hours);

        let mut q = Sql::on(
            self.backend,
            "SELECT COUNT(*), CAST(COALESCE(SUM(x.amount_vnd), 0) AS BIGINT) FROM recoveries x JOIN reports r ON r.id = x.report_id WHERE x.at >= ",
        );
        q.push_bind(from);
        q.push(" AND x.at < ");
        q.push_bind(to);
        push_scope(&mut q, scope);
        let (returned, returned_vnd): (i64, i64) = q.build_query_as().fetch_one(&self.pool).await?;
        out.returned = u64::try_from(returned).unwrap_or(0);
        out.returned_vnd = returned_vnd;
        Ok(out)
    }

    /// Bulletins and awareness activities of a period (province-wide).
    pub async fn awareness_figures(&self, period: &StatsPeriod) -> Result<Awareness, StoreError> {
        let (from, to) = period.unix_bounds();
        let (bulletins,): (i64,) = sqlx::query_as(
            "SELECT COUNT(*) FROM bulletins WHERE status = 'published' AND published_at >= $1 AND published_at < $2",
        )
        .bind(from)
        .bind(to)
        .fetch_one(&self.pool)
        .await?;
        let (activities, reached, agencies_active): (i64, i64, i64) = sqlx::query_as(
            "SELECT COUNT(*), CAST(COALESCE(SUM(reached), 0) AS BIGINT), COUNT(DISTINCT agency_id) FROM activities WHERE held_on >= $1 AND held_on <= $2",
        )
        .bind(period.first.to_string())
        .bind(period.last.to_string())
        .fetch_one(&self.pool)
        .await?;
        let (agencies,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM agencies")
            .fetch_one(&self.pool)
            .await?;
        let n = |v: i64| u64::try_from(v).unwrap_or(0);
        Ok(Awareness {
            bulletins: n(bulletins),
            activities: n(activities),
            reached,
            agencies_active: n(agencies_active),
            agencies: n(agencies),
        })
    }
}

/// The last day that counts for a period: its last day, or today while it runs.
pub fn end_of(period: &StatsPeriod, now: i64) -> Date {
    period.last.min(local_date(now))
}
