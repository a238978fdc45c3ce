//! Rankings of the triage queue, kept for a few seconds and shared: ranking the
//! candidates costs 0.1–1 s with a million reports, and every officer of a unit asks
//! for the same view. A ranking is computed by one request at a time per view; while
//! it is computed again, the others are served the previous one. The rows of a page
//! are always read fresh (status, assignee), only the order (and a report that
//! arrived since) can be [`RANKING_TTL`] old (`canhgiac serve --queue-ranking-secs`).

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use super::queue::QueueFilter;
use crate::officers::Officer;

/// How long a ranking serves before it is computed again.
pub const RANKING_TTL: Duration = Duration::from_secs(5);

/// Views remembered at most (each ranking holds up to ~15,000 ids).
const MAX_VIEWS: usize = 256;

/// One view of the queue: whose reports, which filter (any page).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(crate) struct ViewKey {
    /// `None`: the whole province; else the unit and its commune.
    scope: Option<(i64, Option<i64>)>,
    filter: QueueFilter,
}

impl ViewKey {
    pub(crate) fn of(officer: &Officer, filter: &QueueFilter) -> ViewKey {
        let whole = officer.role == canhgiac_core::roles::Role::Admin || officer.provincial;
        ViewKey {
            scope: (!whole).then_some((officer.unit_id, officer.unit_place)),
            filter: QueueFilter {
                page: 0,
                ..filter.clone()
            },
        }
    }
}

/// The reports of a view, most urgent first, and how many match.
#[derive(Debug)]
pub(crate) struct Ranking {
    pub(crate) computed: Instant,
    pub(crate) ids: Vec<i64>,
    pub(crate) total: i64,
    pub(crate) total_capped: bool,
}

impl Ranking {
    fn is_fresh(&self, ttl: Duration) -> bool {
        self.computed.elapsed() < ttl
    }
}

/// The ranking of one view and its computation lock.
#[derive(Default)]
struct Slot {
    ranking: Mutex<Option<Arc<Ranking>>>,
    /// Held while the ranking is computed: one computation per view at a time.
    computing: Arc<tokio::sync::Mutex<()>>,
}

/// What to do for a view.
pub(crate) enum Plan {
    /// Serve this ranking.
    Serve(Arc<Ranking>),
    /// Compute the ranking, then [`Rankings::put`] it; the guard keeps other requests
    /// of the view from computing it too.
    Compute(tokio::sync::OwnedMutexGuard<()>),
}

/// The rankings of the views asked for lately.
pub(crate) struct Rankings {
    slots: Mutex<HashMap<ViewKey, Arc<Slot>>>,
    /// How long a ranking serves, in milliseconds (0: computed for every read).
    ttl_ms: AtomicU64,
}

impl Default for Rankings {
    fn default() -> Rankings {
        Rankings {
            slots: Mutex::default(),
            ttl_ms: AtomicU64::new(RANKING_TTL.as_millis() as u64),
        }
    }
}

impl Rankings {
    /// How long a ranking serves from now on.
    pub(crate) fn set_ttl(&self, ttl: Duration) {
        let ms = u64::try_from(ttl.as_millis()).unwrap_or(u64::MAX);
        self.ttl_ms.store(ms, Ordering::Relaxed);
    }

    fn ttl(&self) -> Duration {
        Duration::from_millis(self.ttl_ms.load(Ordering::Relaxed))
    }

    fn slot(&self, key: &ViewKey) -> Arc<Slot> {
        let ttl = self.ttl();
        let mut slots = self.slots.lock().unwrap_or_else(|e| e.into_inner());
        if slots.len() >= MAX_VIEWS && !slots.contains_key(key) {
            // Views asked for long ago go first; a full table of fresh ones is cleared.
            slots.retain(|_, s| {
                s.ranking
                    .lock()
                    .unwrap_or_else(|e| e.into_inner())
                    .as_ref()
                    .is_some_and(|r| r.is_fresh(ttl))
            });
            if slots.len() >= MAX_VIEWS {
                slots.clear();
            }
        }
        slots.entry(key.clone()).or_default().clone()
    }

    fn current(slot: &Slot) -> Option<Arc<Ranking>> {
        slot.ranking
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
    }

    /// A fresh ranking to serve; a stale one while another request computes the next;
    /// or the turn to compute it (waiting for a computation under way when there is
    /// nothing to serve yet).
    pub(crate) async fn plan(&self, key: &ViewKey) -> Plan {
        let ttl = self.ttl();
        let slot = self.slot(key);
        match Self::current(&slot) {
            Some(r) if r.is_fresh(ttl) => return Plan::Serve(r),
            Some(stale) => {
                return match slot.computing.clone().try_lock_owned() {
                    Ok(guard) => Plan::Compute(guard),
                    Err(_) => Plan::Serve(stale),
                };
            }
            None => {}
        }
        let guard = slot.computing.clone().lock_owned().await;
        match Self::current(&slot) {
            Some(r) if r.is_fresh(ttl) => Plan::Serve(r),
            _ => Plan::Compute(guard),
        }
    }

    /// Keeps a computed ranking for its view.
    pub(crate) fn put(&self, key: &ViewKey, ranking: Arc<Ranking>) {
        *self
            .slot(key)
            .ranking
            .lock()
            .unwrap_or_else(|e| e.into_inner()) = Some(ranking);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ranking(ids: Vec<i64>, age: Duration) -> Arc<Ranking> {
        Arc::new(Ranking {
            computed: Instant::now() - age,
            ids,
            total: 0,
            total_capped: false,
        })
    }

    fn key(method: &str) -> ViewKey {
        ViewKey {
            scope: None,
            filter: QueueFilter {
                method: Some(method.into()),
                ..QueueFilter::default()
            },
        }
    }

    #[tokio::test]
    async fn the_first_request_computes_and_the_next_are_served() {
        let rankings = Rankings::default();
        let k = key("a");
        let Plan::Compute(guard) = rankings.plan(&k).await else {
            panic!("nothing to serve yet")
        };
        rankings.put(&k, ranking(vec![3, 1], Duration::ZERO));
        drop(guard);
        match rankings.plan(&k).await {
            Plan::Serve(r) => assert_eq!(r.ids, vec![3, 1]),
            Plan::Compute(_) => panic!("fresh"),
        }
        assert!(
            matches!(rankings.plan(&key("b")).await, Plan::Compute(_)),
            "views apart"
        );
    }

    #[tokio::test]
    async fn a_stale_ranking_is_served_while_one_request_computes_the_next() {
        let rankings = Rankings::default();
        let k = key("a");
        rankings.put(&k, ranking(vec![7], RANKING_TTL + Duration::from_secs(1)));
        let Plan::Compute(guard) = rankings.plan(&k).await else {
            panic!("stale: compute")
        };
        match rankings.plan(&k).await {
            Plan::Serve(r) => assert_eq!(r.ids, vec![7], "the stale one meanwhile"),
            Plan::Compute(_) => panic!("one computation at a time"),
        }
        drop(guard);
    }

    #[tokio::test]
    async fn with_no_time_to_live_every_read_computes() {
        let rankings = Rankings::default();
        rankings.set_ttl(Duration::ZERO);
        let k = key("a");
        rankings.put(&k, ranking(vec![1], Duration::ZERO));
        assert!(matches!(rankings.plan(&k).await, Plan::Compute(_)));
    }

    #[test]
    fn pages_of_a_view_and_officers_of_a_scope_share_a_ranking() {
        let officer = |id, unit_id, provincial| Officer {
            id,
            username: format!("o{id}"),
            display_name: "Cán bộ".into(),
            role: canhgiac_core::roles::Role::Investigator,
            unit_id,
            unit_name: "Đơn vị".into(),
            provincial,
            unit_place: Some(26_734),
            agency_name: None,
        };
        let page = |page| QueueFilter {
            page,
            ..QueueFilter::default()
        };
        let (a, b) = (officer(1, 5, false), officer(2, 5, false));
        assert_eq!(ViewKey::of(&a, &page(0)), ViewKey::of(&b, &page(3)));
        assert_ne!(
            ViewKey::of(&a, &page(0)),
            ViewKey::of(&officer(3, 6, false), &page(0)),
            "another unit sees other reports"
        );
        assert_eq!(
            ViewKey::of(&officer(4, 1, true), &page(0)),
            ViewKey::of(&officer(5, 2, true), &page(0)),
            "the provincial departments see the whole province"
        );
    }
}
