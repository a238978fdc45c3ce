//! A campaign's figures before, during and after it: the reports in its scope (from
//! the statistics facts) and how fast their accounts were held.

use canhgiac_core::campaign::CampaignScope;
use canhgiac_core::stats::{PeriodKind, StatsPeriod};
use canhgiac_store::campaigns::Campaign;
use canhgiac_store::stats::facts::Facts;
use canhgiac_store::StoreError;

use crate::AppState;

/// One window's figures.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Window {
    /// The days (none when the window has not begun).
    pub period: Option<StatsPeriod>,
    /// Reports in scope.
    pub reports: u64,
    /// Their losses, VND.
    pub loss: i64,
    /// Hold requests for them.
    pub hold_requests: u64,
    /// Of those, held within the target's hours (or 24 h without a target).
    pub held_in_time: u64,
}

impl Window {
    /// The share held in time, percent (None without hold requests).
    pub fn share(&self) -> Option<u64> {
        (self.hold_requests > 0).then(|| self.held_in_time * 100 / self.hold_requests)
    }
}

/// Before, during and after.
#[derive(Debug, Clone)]
pub struct CampaignFigures {
    /// The same number of days before.
    pub before: Window,
    /// The campaign.
    pub during: Window,
    /// The same number of days after (so far).
    pub after: Window,
    /// The hours "in time" means.
    pub hours: u32,
}

impl CampaignFigures {
    /// Whether the target was met during the campaign (None without a target or
    /// without hold requests).
    pub fn target_met(&self, c: &Campaign) -> Option<bool> {
        let t = c.target?;
        Some(self.during.share()? >= u64::from(t.percent))
    }
}

struct Matcher {
    communes: Vec<i64>,
    methods: Option<Vec<u16>>,
    channels: Option<Vec<u16>>,
}

impl Matcher {
    fn of(scope: &CampaignScope, facts: &Facts) -> Matcher {
        let index = |list: &[String], names: &[String]| -> Option<Vec<u16>> {
            (!list.is_empty()).then(|| {
                names
                    .iter()
                    .enumerate()
                    .filter(|(_, n)| list.contains(n))
                    .filter_map(|(i, _)| u16::try_from(i).ok())
                    .collect()
            })
        };
        Matcher {
            communes: scope.communes.clone(),
            methods: index(&scope.methods, &facts.methods),
            channels: index(&scope.channels, &facts.channels),
        }
    }

    fn matches(&self, f: &canhgiac_store::stats::facts::Fact) -> bool {
        (self.communes.is_empty() || self.communes.contains(&f.place))
            && self.methods.as_ref().is_none_or(|m| m.contains(&f.method))
            && self
                .channels
                .as_ref()
                .is_none_or(|c| c.contains(&f.channel))
    }
}

fn custom(first: time::Date, last: time::Date) -> StatsPeriod {
    StatsPeriod {
        kind: PeriodKind::Custom,
        first,
        last,
    }
}

/// Computes a campaign's three windows.
pub async fn figures(
    state: &AppState,
    c: &Campaign,
    now: i64,
) -> Result<CampaignFigures, StoreError> {
    let facts = state.store.report_facts().await?;
    let matcher = Matcher::of(&c.scope, &facts);
    let today = canhgiac_core::clock::local_date(now);
    let during = custom(c.first, c.last);
    let before = during.previous();
    let after_first = c.last.next_day().unwrap_or(c.last);
    let after = custom(
        after_first,
        after_first + time::Duration::days(during.days() - 1),
    );
    let hours = c.target.map(|t| t.hours).unwrap_or(24);
    let mut out = CampaignFigures {
        before: Window::default(),
        during: Window::default(),
        after: Window::default(),
        hours,
    };
    for (window, period) in [
        (&mut out.before, before),
        (&mut out.during, during),
        (&mut out.after, after),
    ] {
        if period.first > today {
            continue;
        }
        let period = custom(period.first, period.last.min(today));
        window.period = Some(period);
        let (from, to) = period.unix_bounds();
        for f in facts.iter() {
            if f.at >= from && f.at < to && !f.merged && matcher.matches(f) {
                window.reports += 1;
                window.loss = window.loss.saturating_add(f.loss);
            }
        }
        for (report, reported_at, held_at) in state.store.holds_with_reports(from, to).await? {
            if !facts.get(report).is_some_and(|f| matcher.matches(f)) {
                continue;
            }
            window.hold_requests += 1;
            if held_at.is_some_and(|h| h - reported_at <= i64::from(hours) * 3600) {
                window.held_in_time += 1;
            }
        }
    }
    Ok(out)
}
