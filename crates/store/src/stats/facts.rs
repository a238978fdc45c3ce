//! What statistics need of each report, kept in memory: received when, by which
//! channel, which method, which commune, which unit, how much was lost, whether it was
//! merged into another. About 32 bytes a report (32 MB for a million), so a year's
//! figures and both comparisons are three scans of memory, not three `GROUP BY`s over
//! the reports table.
//!
//! New reports are read by id on every request (`WHERE id > last`; ids grow in commit
//! order, one writer at a time); everything is read again when the snapshot is older
//! than [`RELOAD_AFTER`], which brings in changes to older reports (a merge, a transfer
//! to another unit). `canhgiac serve` reloads in the background every minute once
//! statistics were asked for, so a request rarely pays for the reload.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, RwLock};
use std::time::{Duration, Instant};

use crate::{Store, StoreError};

/// A full reload after this long.
pub const RELOAD_AFTER: Duration = Duration::from_secs(60);

/// "No method", "no commune", "no unit".
pub const NONE_U16: u16 = u16::MAX;

/// One report's statistics.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Fact {
    /// Report id.
    pub id: i64,
    /// Unix seconds received.
    pub at: i64,
    /// Loss, VND.
    pub loss: i64,
    /// Commune code (0: unknown).
    pub place: i64,
    /// Unit id (0: none).
    pub unit: i64,
    /// Index into [`Facts::methods`] ([`NONE_U16`]: unknown).
    pub method: u16,
    /// Index into [`Facts::channels`].
    pub channel: u16,
    /// Merged into another report (a duplicate): not counted.
    pub merged: bool,
}

/// A snapshot of every report's facts, by ascending id.
#[derive(Debug, Default)]
pub struct Facts {
    /// Segments, each by ascending id, each after the one before.
    segments: Vec<Arc<[Fact]>>,
    /// Interned method keys.
    pub methods: Vec<String>,
    /// Interned channel names.
    pub channels: Vec<String>,
    /// The largest id read.
    last_id: i64,
    loaded_at: Option<Instant>,
}

impl Facts {
    /// Every fact, by ascending id.
    pub fn iter(&self) -> impl Iterator<Item = &Fact> {
        self.segments.iter().flat_map(|s| s.iter())
    }

    /// Facts held.
    pub fn len(&self) -> usize {
        self.segments.iter().map(|s| s.len()).sum()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The fact of one report.
    pub fn get(&self, id: i64) -> Option<&Fact> {
        let seg = self
            .segments
            .iter()
            .find(|s| s.last().is_some_and(|f| f.id >= id))?;
        seg.binary_search_by_key(&id, |f| f.id)
            .ok()
            .map(|i| &seg[i])
    }

    /// A method's index, when interned.
    pub fn method_index(&self, key: &str) -> Option<u16> {
        self.methods
            .iter()
            .position(|m| m == key)
            .and_then(|i| u16::try_from(i).ok())
    }
}

type FactRow = (
    i64,
    i64,
    i64,
    Option<i64>,
    Option<i64>,
    Option<String>,
    String,
    String,
);

/// Interns keys into a list of at most `u16::MAX - 1` entries (more maps to "none").
struct Interner {
    list: Vec<String>,
    ids: HashMap<String, u16>,
}

impl Interner {
    fn from(list: &[String]) -> Interner {
        let ids = list
            .iter()
            .enumerate()
            .filter_map(|(i, k)| Some((k.clone(), u16::try_from(i).ok()?)))
            .collect();
        Interner {
            list: list.to_vec(),
            ids,
        }
    }

    fn id(&mut self, key: &str) -> u16 {
        if let Some(id) = self.ids.get(key) {
            return *id;
        }
        match u16::try_from(self.list.len()) {
            Ok(id) if id < NONE_U16 => {
                self.list.push(key.to_string());
                self.ids.insert(key.to_string(), id);
                id
            }
            _ => NONE_U16,
        }
    }
}

/// The snapshot in use and the lock its refreshers take.
#[derive(Default)]
pub(crate) struct FactsCache {
    current: RwLock<Arc<Facts>>,
    refreshing: tokio::sync::Mutex<()>,
    /// Whether anyone asked (the background reload only runs then).
    wanted: Mutex<bool>,
}

impl FactsCache {
    fn snapshot(&self) -> Arc<Facts> {
        self.current
            .read()
            .map(|g| Arc::clone(&g))
            .unwrap_or_default()
    }

    fn replace(&self, facts: Facts) -> Arc<Facts> {
        let facts = Arc::new(facts);
        if let Ok(mut g) = self.current.write() {
            *g = Arc::clone(&facts);
        }
        facts
    }
}

/// Rows read per statement in a full load.
const LOAD_PAGE: i64 = 100_000;

impl Store {
    /// Every report's statistics facts, new reports included (see the module).
    pub async fn report_facts(&self) -> Result<Arc<Facts>, StoreError> {
        if let Ok(mut w) = self.facts.wanted.lock() {
            *w = true;
        }
        let snap = self.facts.snapshot();
        let stale = snap.loaded_at.is_none_or(|t| t.elapsed() >= RELOAD_AFTER);
        if stale {
            let _guard = self.facts.refreshing.lock().await;
            let now = self.facts.snapshot();
            if now.loaded_at.is_some_and(|t| t.elapsed() < RELOAD_AFTER) {
                return Ok(now);
            }
            return self.load_all_facts().await;
        }
        // New reports since: one statement, usually empty. A refresh under way
        // serves the snapshot it will replace.
        let Ok(_guard) = self.facts.refreshing.try_lock() else {
            return Ok(snap);
        };
        let snap = self.facts.snapshot();
        let rows = self.fact_rows(snap.last_id, LOAD_PAGE).await?;
        if rows.is_empty() {
            return Ok(snap);
        }
        let mut methods = Interner::from(&snap.methods);
        let mut channels = Interner::from(&snap.channels);
        let (segment, last_id) = facts_of(rows, &mut methods, &mut channels);
        let mut segments = snap.segments.clone();
        segments.push(segment);
        Ok(self.facts.replace(Facts {
            segments,
            methods: methods.list,
            channels: channels.list,
            last_id: last_id.max(snap.last_id),
            loaded_at: snap.loaded_at,
        }))
    }

    /// Reads every report's facts again (one refresher at a time).
    pub async fn reload_report_facts(&self) -> Result<Arc<Facts>, StoreError> {
        let _guard = self.facts.refreshing.lock().await;
        self.load_all_facts().await
    }

    /// The full read; the caller holds the refresh lock.
    async fn load_all_facts(&self) -> Result<Arc<Facts>, StoreError> {
        let mut methods = Interner::from(&[]);
        let mut channels = Interner::from(&[]);
        let mut segments = Vec::new();
        let mut last_id = 0;
        let started = Instant::now();
        loop {
            let rows = self.fact_rows(last_id, LOAD_PAGE).await?;
            let done = (rows.len() as i64) < LOAD_PAGE;
            if !rows.is_empty() {
                let (segment, last) = facts_of(rows, &mut methods, &mut channels);
                segments.push(segment);
                last_id = last;
            }
            if done {
                break;
            }
        }
        // one segment: lookups by id and scans stay simple
        let all: Arc<[Fact]> = segments.iter().flat_map(|s| s.iter().copied()).collect();
        Ok(self.facts.replace(Facts {
            segments: vec![all],
            methods: methods.list,
            channels: channels.list,
            last_id,
            loaded_at: Some(started),
        }))
    }

    /// Whether statistics were asked for since the start (the server then keeps the
    /// facts fresh in the background).
    pub fn report_facts_wanted(&self) -> bool {
        self.facts.wanted.lock().map(|w| *w).unwrap_or(false)
    }

    async fn fact_rows(&self, after: i64, limit: i64) -> Result<Vec<FactRow>, StoreError> {
        Ok(sqlx::query_as(
            "SELECT id, created_at, amount_lost_vnd, place_code, unit_id, method_key, channel, status FROM reports WHERE id > $1 ORDER BY id LIMIT $2",
        )
        .bind(after)
        .bind(limit)
        .fetch_all(&self.pool)
        .await?)
    }
}

fn facts_of(
    rows: Vec<FactRow>,
    methods: &mut Interner,
    channels: &mut Interner,
) -> (Arc<[Fact]>, i64) {
    let last = rows.last().map(|r| r.0).unwrap_or(0);
    let facts: Arc<[Fact]> = rows
        .into_iter()
        .map(
            |(id, at, loss, place, unit, method, channel, status)| Fact {
                id,
                at,
                loss,
                place: place.unwrap_or(0),
                unit: unit.unwrap_or(0),
                method: method.as_deref().map(|m| methods.id(m)).unwrap_or(NONE_U16),
                channel: channels.id(&channel),
                merged: status == "merged",
            },
        )
        .collect();
    (facts, last)
}
