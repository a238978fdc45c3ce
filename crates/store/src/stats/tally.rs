//! Report counts and losses of a period in a scope, from the facts in memory.

use std::collections::HashMap;

use super::facts::{Fact, Facts, NONE_U16};

/// Whose reports: the whole province, one unit's, or one commune's.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Scope {
    /// Every report.
    Province,
    /// Reports handled by a unit.
    Unit(i64),
    /// Reports from a commune or ward.
    Commune(i64),
}

impl Scope {
    /// Whether a report is in it.
    pub fn holds(&self, f: &Fact) -> bool {
        match *self {
            Scope::Province => true,
            Scope::Unit(u) => f.unit == u,
            Scope::Commune(c) => f.place == c,
        }
    }
}

/// Reports and losses.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Count {
    /// Reports.
    pub reports: u64,
    /// Loss reported, VND.
    pub loss: i64,
}

impl Count {
    fn add(&mut self, f: &Fact) {
        self.reports += 1;
        self.loss = self.loss.saturating_add(f.loss);
    }
}

/// Reports of one period in one scope.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Tally {
    /// All of them.
    pub total: Count,
    /// By channel name.
    pub by_channel: HashMap<String, Count>,
    /// By method key (`None`: not known).
    pub by_method: HashMap<Option<String>, Count>,
    /// By commune code (`None`: not known).
    pub by_commune: HashMap<Option<i64>, Count>,
    /// Reports per local day from the first day of the period.
    pub per_day: Vec<u64>,
}

/// Seconds in a day.
const DAY: i64 = 86_400;

/// Counts the reports received in `[from, to)` (unix seconds, `from` a local
/// midnight) in `scope`; merged duplicates are not counted.
pub fn tally(facts: &Facts, scope: Scope, from: i64, to: i64) -> Tally {
    let days = usize::try_from((to - from + DAY - 1) / DAY).unwrap_or(0);
    let mut per_day = vec![0u64; days];
    let mut total = Count::default();
    let mut by_channel: HashMap<u16, Count> = HashMap::new();
    let mut by_method: HashMap<u16, Count> = HashMap::new();
    let mut by_commune: HashMap<i64, Count> = HashMap::new();
    for f in facts.iter() {
        if f.at < from || f.at >= to || f.merged || !scope.holds(f) {
            continue;
        }
        total.add(f);
        by_channel.entry(f.channel).or_default().add(f);
        by_method.entry(f.method).or_default().add(f);
        by_commune.entry(f.place).or_default().add(f);
        if let Some(slot) = usize::try_from((f.at - from) / DAY)
            .ok()
            .and_then(|d| per_day.get_mut(d))
        {
            *slot += 1;
        }
    }
    Tally {
        total,
        by_channel: by_channel
            .into_iter()
            .map(|(c, n)| {
                let name = facts
                    .channels
                    .get(usize::from(c))
                    .cloned()
                    .unwrap_or_default();
                (name, n)
            })
            .collect(),
        by_method: by_method
            .into_iter()
            .map(|(m, n)| {
                let key = (m != NONE_U16)
                    .then(|| facts.methods.get(usize::from(m)).cloned())
                    .flatten();
                (key, n)
            })
            .collect(),
        by_commune: by_commune
            .into_iter()
            .map(|(c, n)| ((c != 0).then_some(c), n))
            .collect(),
        per_day,
    }
}
