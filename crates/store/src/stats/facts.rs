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
        // Ids are usually dense: one read at the expected place, else a search.
        let guess = seg
            .first()
            .and_then(|f| usize::try_from(id - f.id).ok())
            .and_then(|i| seg.get(i))
            .filter(|f| f.id == id);
        guess.or_else(|| {
            seg.binary_search_by_key(&id, |f| f.id)
                .ok()
                .map(|i| &seg[i])
        })
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
        let mut all: Vec<Fact> = Vec::new();
        let mut last_id = 0;
        let started = Instant::now();
        loop {
            let rows = self.fact_rows(last_id, LOAD_PAGE).await?;
            let done = (rows.len() as i64) < LOAD_PAGE;
            if !rows.is_empty() {
                let (segment, last) = facts_of(rows, &mut methods, &mut channels);
                all.extend(segment.iter().copied());
                last_id = last;
            }
            if done {
                break;
            }
        }
        let all: Arc<[Fact]> = all.into();
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

    /// The facts of up to `limit` reports after `after`, by id. The rows travel as one
    /// text per page (`id,at,loss,place,unit,method,channel,status;…`): sqlx's `Any`
    /// driver costs about 12 µs a row, SQLite 1 µs, so a million rows read one by one
    /// took 12 s and as text take about one.
    async fn fact_rows(&self, after: i64, limit: i64) -> Result<Vec<FactRow>, StoreError> {
        const ROW: &str = "CAST(id AS TEXT) || ',' || CAST(created_at AS TEXT) || ',' || CAST(amount_lost_vnd AS TEXT) || ',' || COALESCE(CAST(place_code AS TEXT), '') || ',' || COALESCE(CAST(unit_id AS TEXT), '') || ',' || COALESCE(method_key, '') || ',' || channel || ',' || status";
        let sql = match self.backend {
            crate::db::Backend::Sqlite => format!(
                "SELECT group_concat(r, ';') FROM (SELECT {ROW} AS r FROM reports WHERE id > $1 ORDER BY id LIMIT $2)"
            ),
            crate::db::Backend::Postgres => format!(
                "SELECT string_agg(r, ';' ORDER BY id) FROM (SELECT id, {ROW} AS r FROM reports WHERE id > $1 ORDER BY id LIMIT $2) page"
            ),
        };
        let (text,): (Option<String>,) = sqlx::query_as(&sql)
            .bind(after)
            .bind(limit)
            .fetch_one(&self.pool)
            .await?;
        let mut rows = text
            .as_deref()
            .unwrap_or("")
            .split(';')
            .filter(|r| !r.is_empty())
            .map(parse_row)
            .collect::<Result<Vec<FactRow>, StoreError>>()?;
        rows.sort_unstable_by_key(|r| r.0);
        Ok(rows)
    }
}

fn parse_row(text: &str) -> Result<FactRow, StoreError> {
    let bad = || StoreError::Corrupt(format!("statistics row {text:?}"));
    let mut f = text.split(',');
    let mut next = || f.next().ok_or_else(bad);
    let int = |s: &str| s.parse::<i64>().map_err(|_| bad());
    let opt_int = |s: &str| {
        if s.is_empty() {
            Ok(None)
        } else {
            s.parse::<i64>().map(Some).map_err(|_| bad())
        }
    };
    let id = int(next()?)?;
    let at = int(next()?)?;
    let loss = int(next()?)?;
    let place = opt_int(next()?)?;
    let unit = opt_int(next()?)?;
    let method = Some(next()?).filter(|m| !m.is_empty()).map(str::to_string);
    let channel = next()?.to_string();
    let status = next()?.to_string();
    Ok((id, at, loss, place, unit, method, channel, status))
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_row_of_text_reads_back_with_its_empty_fields() {
        assert_eq!(
            parse_row("7,1700000000,5000,26734,2,romance,sms,received").ok(),
            Some((
                7,
                1_700_000_000,
                5000,
                Some(26734),
                Some(2),
                Some("romance".to_string()),
                "sms".to_string(),
                "received".to_string()
            ))
        );
        assert_eq!(
            parse_row("8,1700000000,0,,,,call,merged").ok(),
            Some((
                8,
                1_700_000_000,
                0,
                None,
                None,
                None,
                "call".to_string(),
                "merged".to_string()
            ))
        );
        assert!(parse_row("8,x,0,,,,call,merged").is_err());
        assert!(parse_row("8,1").is_err());
    }
}
