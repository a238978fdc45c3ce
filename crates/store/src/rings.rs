//! Fraud rings: reports that share any normalised identifier (phone, account,
//! website, social account, wallet, e-mail) belong to one ring, the connected
//! components of the report–identifier graph.
//!
//! Kept in memory with a union-find over report ids, fed by the same `changes` log as
//! the lookup index: adding a report is a few unions (microseconds), and each ring
//! keeps its member list, merged smaller-into-larger. An identifier cleared by an
//! officer stops linking; clearing one rebuilds the rings from the reports kept here.

use std::collections::{HashMap, HashSet};

const NONE: u32 = u32::MAX;

/// Rings over report ids.
#[derive(Debug, Default, Clone)]
pub struct Rings {
    /// Union-find parent per slot.
    parent: Vec<u32>,
    /// Members of each root's ring (empty for non-roots).
    members: Vec<Vec<u32>>,
    /// Report id per slot, and slot per report id.
    report_of_slot: Vec<i64>,
    slot_of_report: HashMap<i64, u32>,
    /// The first slot that named each key, by key id (`NONE`: not yet).
    owner: Vec<u32>,
    /// Key ids per slot, to rebuild after a clear.
    keys_of_slot: Vec<Box<[u32]>>,
    /// Interned keys.
    key_ids: HashMap<Box<str>, u32>,
    /// Keys that no longer link (cleared by an officer).
    cleared: HashSet<u32>,
    /// When each slot's report arrived (unix seconds; 0 when not given).
    at_of_slot: Vec<i64>,
}

impl Rings {
    /// No rings.
    pub fn new() -> Rings {
        Rings::default()
    }

    fn find(&mut self, mut x: u32) -> u32 {
        while self.parent[x as usize] != x {
            let p = self.parent[x as usize];
            self.parent[x as usize] = self.parent[p as usize];
            x = p;
        }
        x
    }

    fn find_ro(&self, mut x: u32) -> u32 {
        while self.parent[x as usize] != x {
            x = self.parent[x as usize];
        }
        x
    }

    fn union(&mut self, a: u32, b: u32) {
        let (ra, rb) = (self.find(a), self.find(b));
        if ra == rb {
            return;
        }
        // The larger ring absorbs the smaller one.
        let (big, small) = if self.members[ra as usize].len() >= self.members[rb as usize].len() {
            (ra, rb)
        } else {
            (rb, ra)
        };
        self.parent[small as usize] = big;
        let moved = std::mem::take(&mut self.members[small as usize]);
        self.members[big as usize].extend(moved);
    }

    fn intern(&mut self, key: &str) -> u32 {
        if let Some(id) = self.key_ids.get(key) {
            return *id;
        }
        let id = self.owner.len() as u32;
        self.owner.push(NONE);
        self.key_ids.insert(key.into(), id);
        id
    }

    /// Adds a report with its identifier keys. A report added twice is ignored.
    pub fn add(&mut self, report_id: i64, keys: &[String]) {
        self.add_at(report_id, 0, keys);
    }

    /// Adds a report that arrived at `at` (unix seconds) with its identifier keys.
    pub fn add_at(&mut self, report_id: i64, at: i64, keys: &[String]) {
        if self.slot_of_report.contains_key(&report_id) {
            return;
        }
        self.at_of_slot.push(at);
        let slot = self.parent.len() as u32;
        self.parent.push(slot);
        self.members.push(vec![slot]);
        self.report_of_slot.push(report_id);
        self.slot_of_report.insert(report_id, slot);
        let ids: Vec<u32> = keys.iter().map(|k| self.intern(k)).collect();
        self.link(slot, &ids);
        self.keys_of_slot.push(ids.into_boxed_slice());
    }

    /// Stops an identifier from linking reports (it was cleared) and rebuilds.
    pub fn clear_key(&mut self, key: &str) {
        let id = self.intern(key);
        if !self.cleared.insert(id) {
            return;
        }
        self.rebuild();
    }

    /// Lets a cleared identifier link reports again (verified later) and rebuilds.
    pub fn restore_key(&mut self, key: &str) {
        let Some(&id) = self.key_ids.get(key) else {
            return;
        };
        if self.cleared.remove(&id) {
            self.rebuild();
        }
    }

    fn link(&mut self, slot: u32, ids: &[u32]) {
        for id in ids {
            if self.cleared.contains(id) {
                continue;
            }
            match self.owner[*id as usize] {
                NONE => self.owner[*id as usize] = slot,
                other => self.union(slot, other),
            }
        }
    }

    fn rebuild(&mut self) {
        let n = self.parent.len();
        self.parent = (0..n as u32).collect();
        self.members = (0..n as u32).map(|s| vec![s]).collect();
        self.owner.iter_mut().for_each(|o| *o = NONE);
        let keys = std::mem::take(&mut self.keys_of_slot);
        for (slot, ids) in keys.iter().enumerate() {
            self.link(slot as u32, ids);
        }
        self.keys_of_slot = keys;
    }

    /// The ring of a report: its id (the smallest report id in it) and size.
    pub fn ring_of(&self, report_id: i64) -> Option<(i64, usize)> {
        let slot = *self.slot_of_report.get(&report_id)?;
        let root = self.find_ro(slot);
        let members = &self.members[root as usize];
        let id = members
            .iter()
            .map(|s| self.report_of_slot[*s as usize])
            .min()
            .unwrap_or(report_id);
        Some((id, members.len()))
    }

    /// Size of a report's ring (1 when it shares nothing).
    pub fn ring_size(&self, report_id: i64) -> usize {
        self.slot_of_report
            .get(&report_id)
            .map(|s| self.members[self.find_ro(*s) as usize].len())
            .unwrap_or(0)
    }

    /// Report ids of a report's ring, ascending.
    pub fn members(&self, report_id: i64) -> Vec<i64> {
        let Some(slot) = self.slot_of_report.get(&report_id) else {
            return Vec::new();
        };
        let root = self.find_ro(*slot);
        let mut ids: Vec<i64> = self.members[root as usize]
            .iter()
            .map(|s| self.report_of_slot[*s as usize])
            .collect();
        ids.sort_unstable();
        ids
    }

    /// Rings with at least `min_size` reports, largest first: (ring id, size).
    pub fn largest(&self, min_size: usize, limit: usize) -> Vec<(i64, usize)> {
        let mut out: Vec<(i64, usize)> = self
            .members
            .iter()
            .enumerate()
            .filter(|(slot, m)| m.len() >= min_size && self.parent[*slot] == *slot as u32)
            .map(|(_, m)| {
                let id = m
                    .iter()
                    .map(|s| self.report_of_slot[*s as usize])
                    .min()
                    .unwrap_or(0);
                (id, m.len())
            })
            .collect();
        out.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        out.truncate(limit);
        out
    }

    /// For each ring of at least two reports, the report that made it a ring: the
    /// second to arrive (by the times given to [`Rings::add_at`]). Returns (when,
    /// report id). One pass over the roots, the times read by slot.
    pub fn formed(&self) -> Vec<(i64, i64)> {
        let mut out = Vec::new();
        for (slot, members) in self.members.iter().enumerate() {
            if members.len() < 2 || self.parent[slot] != slot as u32 {
                continue;
            }
            let mut first: Option<(i64, i64)> = None;
            let mut second: Option<(i64, i64)> = None;
            for s in members {
                let x = (
                    self.at_of_slot.get(*s as usize).copied().unwrap_or(0),
                    self.report_of_slot[*s as usize],
                );
                if first.is_none_or(|f| x < f) {
                    second = first;
                    first = Some(x);
                } else if second.is_none_or(|v| x < v) {
                    second = Some(x);
                }
            }
            out.extend(second);
        }
        out
    }

    /// Calls `f` with the identifier key ids of each report that arrived in
    /// `[from, to)` (cleared keys included: they were reported all the same).
    pub fn keys_in(&self, from: i64, to: i64, mut f: impl FnMut(&[u32])) {
        for (slot, at) in self.at_of_slot.iter().enumerate() {
            if *at >= from && *at < to {
                if let Some(keys) = self.keys_of_slot.get(slot) {
                    f(keys);
                }
            }
        }
    }

    /// Every interned key, by its id.
    pub fn key_names(&self) -> Vec<&str> {
        let mut names = vec![""; self.owner.len()];
        for (name, id) in &self.key_ids {
            if let Some(slot) = names.get_mut(*id as usize) {
                *slot = name;
            }
        }
        names
    }

    /// Reports known.
    pub fn len(&self) -> usize {
        self.parent.len()
    }

    /// Whether no report is known.
    pub fn is_empty(&self) -> bool {
        self.parent.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keys(k: &[&str]) -> Vec<String> {
        k.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn shared_identifiers_join_reports_transitively() {
        let mut r = Rings::new();
        r.add(1, &keys(&["phone:+84911111111"]));
        r.add(2, &keys(&["bank_account:970436:1", "phone:+84911111111"]));
        r.add(3, &keys(&["bank_account:970436:1", "url:lua.top"]));
        r.add(4, &keys(&["url:other.top"]));
        r.add(5, &keys(&[]));
        assert_eq!(r.ring_of(3), Some((1, 3)));
        assert_eq!(r.members(2), vec![1, 2, 3]);
        assert_eq!(r.ring_of(4), Some((4, 1)));
        assert_eq!(r.ring_size(5), 1);
        assert_eq!(r.ring_of(99), None);
        // A later report bridges two rings.
        r.add(6, &keys(&["url:other.top", "url:lua.top"]));
        assert_eq!(r.ring_of(4), Some((1, 5)));
        assert_eq!(r.largest(2, 10), vec![(1, 5)]);
        // Adding a report twice changes nothing.
        r.add(6, &keys(&["phone:+84900000000"]));
        assert_eq!(r.len(), 6);
    }

    #[test]
    fn a_ring_is_formed_by_its_second_report_in_time() {
        let mut r = Rings::new();
        // report 3 arrived first, then 1, then 2 (imported out of order)
        r.add_at(1, 200, &keys(&["phone:+84911111111"]));
        r.add_at(2, 300, &keys(&["phone:+84911111111"]));
        r.add_at(3, 100, &keys(&["phone:+84911111111"]));
        r.add_at(4, 50, &keys(&["url:alone.top"]));
        assert_eq!(r.formed(), vec![(200, 1)]);
        // a cleared key splits the ring: none is left
        r.clear_key("phone:+84911111111");
        assert_eq!(r.formed(), vec![]);
    }

    #[test]
    fn a_cleared_identifier_stops_linking() {
        let mut r = Rings::new();
        r.add(1, &keys(&["phone:+84911111111", "url:a.top"]));
        r.add(2, &keys(&["phone:+84911111111"]));
        r.add(3, &keys(&["url:a.top"]));
        assert_eq!(r.ring_size(2), 3);
        r.clear_key("phone:+84911111111");
        assert_eq!(r.members(1), vec![1, 3]);
        assert_eq!(r.ring_size(2), 1);
        r.add(4, &keys(&["phone:+84911111111"]));
        assert_eq!(r.ring_size(4), 1);
        r.restore_key("phone:+84911111111");
        assert_eq!(r.members(4), vec![1, 2, 3, 4]);
    }

    #[test]
    fn a_long_chain_stays_one_ring() {
        let mut r = Rings::new();
        for i in 0..10_000i64 {
            r.add(i, &[format!("phone:{i}"), format!("phone:{}", i + 1)]);
        }
        assert_eq!(r.ring_of(9_999), Some((0, 10_000)));
    }
}
