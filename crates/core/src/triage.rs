//! The order of the triage queue: what needs action now comes first.
//!
//! Money sent to a named bank account in the last [`GOLDEN_HOURS`] can still be held,
//! so such a report always comes before the others. Within each group, points add up:
//! the loss (logarithmic, so 1 bn VND does not drown everything), the size of the ring
//! the report joins, identifiers the police have already verified, and the time the
//! report has waited. Each part is kept so the queue can say why a report is high.

use serde::Serialize;

/// Hours after a transfer during which a hold has a real chance.
pub const GOLDEN_HOURS: i64 = 24;

/// What the queue knows about a report.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct TriageFacts {
    /// Unix seconds of the latest transfer to a named bank account, if any.
    pub last_transfer_at: Option<i64>,
    /// Money lost, VND.
    pub amount_lost_vnd: u64,
    /// Other reports that share an identifier with it.
    pub linked_reports: u32,
    /// Its identifiers already verified as scams by the police.
    pub verified_identifiers: u32,
    /// Unix seconds when it was submitted.
    pub submitted_at: i64,
}

/// The urgency of a report, with its parts.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Urgency {
    /// A transfer within the golden hours: always first.
    pub golden_hour: bool,
    /// Points for the loss (0-70).
    pub loss: f64,
    /// Points for linked reports (0-30).
    pub ring: f64,
    /// Points for verified identifiers (0-20).
    pub verified: f64,
    /// Points for waiting (0-20).
    pub waiting: f64,
}

impl Urgency {
    /// Ranks a report at time `now` (unix seconds).
    pub fn of(f: &TriageFacts, now: i64) -> Urgency {
        let golden_hour = f
            .last_transfer_at
            .is_some_and(|t| t <= now + 300 && now - t <= GOLDEN_HOURS * 3600);
        let loss = (10.0 * (1.0 + f.amount_lost_vnd as f64 / 1_000.0).log10()).min(70.0);
        let ring = (3.0 * f64::from(f.linked_reports)).min(30.0);
        let verified = (5.0 * f64::from(f.verified_identifiers)).min(20.0);
        let days = (now - f.submitted_at).max(0) as f64 / 86_400.0;
        let waiting = days.min(20.0);
        Urgency {
            golden_hour,
            loss,
            ring,
            verified,
            waiting,
        }
    }

    /// The sort key: golden-hour reports first, then by points.
    pub fn score(&self) -> f64 {
        let points = self.loss + self.ring + self.verified + self.waiting;
        if self.golden_hour {
            1_000.0 + points
        } else {
            points
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const NOW: i64 = 1_800_000_000;

    fn facts() -> TriageFacts {
        TriageFacts {
            submitted_at: NOW - 3_600,
            ..TriageFacts::default()
        }
    }

    #[test]
    fn a_fresh_transfer_comes_before_a_bigger_older_loss() {
        let golden = Urgency::of(
            &TriageFacts {
                last_transfer_at: Some(NOW - 2 * 3600),
                amount_lost_vnd: 2_000_000,
                ..facts()
            },
            NOW,
        );
        let big_old = Urgency::of(
            &TriageFacts {
                last_transfer_at: Some(NOW - 5 * 86_400),
                amount_lost_vnd: 2_000_000_000,
                linked_reports: 40,
                verified_identifiers: 3,
                submitted_at: NOW - 30 * 86_400,
            },
            NOW,
        );
        assert!(golden.golden_hour && !big_old.golden_hour);
        assert!(golden.score() > big_old.score());
    }

    #[test]
    fn loss_ring_verified_and_waiting_each_raise_the_rank() {
        let base = Urgency::of(&facts(), NOW).score();
        for more in [
            TriageFacts {
                amount_lost_vnd: 50_000_000,
                ..facts()
            },
            TriageFacts {
                linked_reports: 4,
                ..facts()
            },
            TriageFacts {
                verified_identifiers: 1,
                ..facts()
            },
            TriageFacts {
                submitted_at: NOW - 5 * 86_400,
                ..facts()
            },
        ] {
            assert!(Urgency::of(&more, NOW).score() > base, "{more:?}");
        }
        // A loss ten times larger gains ten points, not ten times the points.
        let a = Urgency::of(
            &TriageFacts {
                amount_lost_vnd: 10_000_000,
                ..facts()
            },
            NOW,
        )
        .loss;
        let b = Urgency::of(
            &TriageFacts {
                amount_lost_vnd: 100_000_000,
                ..facts()
            },
            NOW,
        )
        .loss;
        assert!((b - a - 10.0).abs() < 0.01);
    }

    #[test]
    fn a_transfer_dated_in_the_future_is_not_golden() {
        let u = Urgency::of(
            &TriageFacts {
                last_transfer_at: Some(NOW + 86_400),
                ..facts()
            },
            NOW,
        );
        assert!(!u.golden_hour);
    }
}
