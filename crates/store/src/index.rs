//! The in-memory lookup index the public check reads: identifier key → what the
//! reports say about it. It is fed only by the `changes` log, so every node that
//! follows the log answers the same, and the check path runs no SQL.

use std::collections::HashMap;
use std::hash::{Hash, Hasher};
use std::sync::RwLock;

use canhgiac_core::hash_prefix;
use canhgiac_core::ident::Identifier;
use canhgiac_core::methods::Catalogue;
use canhgiac_core::verdict::{IdentStats, Level, PartnerMark};

use crate::changes::{Change, ReportAdded};
use crate::{Store, StoreError};

#[derive(Default)]
struct Entry {
    stats: IdentStats,
    /// Hashes of the reporters' fingerprints, to count distinct reporters.
    reporters: Vec<u64>,
    /// The last change that touched this entry (answers built from it are stale once
    /// it moves).
    changed_seq: i64,
    /// Whether its hash is in [`Hashed::by_prefix`].
    hashed: bool,
}

/// One thing an answer read from the index, and what it found: an answer stays true
/// while every probe it made finds the same ([`LookupIndex::unchanged`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Probe {
    /// An identifier key and the change that last touched it (0: unknown).
    Key(Box<str>, i64),
    /// Whether some bank had an account of this number.
    AccountNumber(Box<str>, bool),
}

#[derive(Default)]
struct Inner {
    entries: HashMap<Box<str>, Entry>,
    /// Account numbers reported at any bank: a bare number is looked up at every bank
    /// only when some bank has it (a phone number checked 60 keys for nothing).
    account_numbers: std::collections::HashSet<Box<str>>,
    applied_seq: i64,
    reports: u64,
    rings: crate::rings::Rings,
    hashed: Option<Hashed>,
    /// The keys each partner list in force names.
    partner_lists: HashMap<i64, Vec<Box<str>>>,
}

/// A key's full salted hash and the key.
type HashedKey = ([u8; 32], Box<str>);

/// The salted hashes of the phone, account and website keys, by 4-byte prefix (the
/// hash-prefix lookups).
struct Hashed {
    salt: Box<str>,
    by_prefix: HashMap<u32, Vec<HashedKey>>,
}

impl Hashed {
    /// Files the key's hash (once per entry).
    fn file(&mut self, key: &str, entry: &mut Entry) {
        if entry.hashed || !hash_prefix::is_hashed_key(key) {
            return;
        }
        let hash = hash_prefix::full_hash(&self.salt, key);
        self.by_prefix
            .entry(hash_prefix::prefix_of(&hash))
            .or_default()
            .push((hash, key.into()));
        entry.hashed = true;
    }
}

/// A listed identifier whose hash has the prefix asked for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HashMatch {
    /// Its full salted hash.
    pub hash: [u8; 32],
    /// Its lookup key (never sent to a client: the kind is).
    pub key: Box<str>,
    /// What the reports and officers say of it.
    pub stats: IdentStats,
}

/// Whether an entry is on the hash-prefix list: reported or verified, not cleared.
fn listed(stats: &IdentStats) -> bool {
    !matches!(stats.level(), Level::NoReports | Level::Cleared)
}

/// The lookup index.
#[derive(Default)]
pub struct LookupIndex {
    inner: RwLock<Inner>,
}

fn reporter_hash(fp: &str) -> u64 {
    let mut h = std::collections::hash_map::DefaultHasher::new();
    fp.hash(&mut h);
    h.finish()
}

impl LookupIndex {
    /// An empty index.
    pub fn new() -> LookupIndex {
        LookupIndex::default()
    }

    /// What is known about a key (`phone:+84912345678`).
    pub fn get(&self, key: &str) -> Option<IdentStats> {
        let inner = self.inner.read().unwrap_or_else(|e| e.into_inner());
        inner.entries.get(key).map(|e| e.stats.clone())
    }

    /// Whether some bank has a report on an account with this number.
    pub fn knows_account_number(&self, number: &str) -> bool {
        let inner = self.inner.read().unwrap_or_else(|e| e.into_inner());
        inner.account_numbers.contains(number)
    }

    /// Whether anything is known about a key (the cheapest lookup).
    pub fn report_count(&self, key: &str) -> u32 {
        let inner = self.inner.read().unwrap_or_else(|e| e.into_inner());
        inner
            .entries
            .get(key)
            .map(|e| e.stats.report_count)
            .unwrap_or(0)
    }

    /// What is known about an identifier. A website is looked up by its host, then by
    /// each parent domain down to the registrable domain.
    pub fn lookup(&self, identifier: &Identifier) -> Option<IdentStats> {
        match identifier {
            Identifier::Url(w) => w
                .lookup_hosts()
                .into_iter()
                .find_map(|h| self.get(&format!("url:{h}"))),
            other => self.get(&other.key()),
        }
    }

    /// [`LookupIndex::lookup`] that also notes each key it read in `probes`.
    pub fn lookup_traced(
        &self,
        identifier: &Identifier,
        probes: &mut Vec<Probe>,
    ) -> Option<IdentStats> {
        let keys = match identifier {
            Identifier::Url(w) => w
                .lookup_hosts()
                .into_iter()
                .map(|h| format!("url:{h}"))
                .collect(),
            other => vec![other.key()],
        };
        let inner = self.inner.read().unwrap_or_else(|e| e.into_inner());
        for key in keys {
            let entry = inner.entries.get(key.as_str());
            probes.push(Probe::Key(
                key.into_boxed_str(),
                entry.map_or(0, |e| e.changed_seq),
            ));
            if let Some(e) = entry {
                return Some(e.stats.clone());
            }
        }
        None
    }

    /// [`LookupIndex::knows_account_number`] that also notes what it read in `probes`.
    pub fn knows_account_number_traced(&self, number: &str, probes: &mut Vec<Probe>) -> bool {
        let known = self.knows_account_number(number);
        probes.push(Probe::AccountNumber(number.into(), known));
        known
    }

    /// Whether every probe would find the same now.
    pub fn unchanged(&self, probes: &[Probe]) -> bool {
        let inner = self.inner.read().unwrap_or_else(|e| e.into_inner());
        probes.iter().all(|probe| match probe {
            Probe::Key(key, seq) => {
                inner.entries.get(key.as_ref()).map_or(0, |e| e.changed_seq) == *seq
            }
            Probe::AccountNumber(number, known) => {
                inner.account_numbers.contains(number.as_ref()) == *known
            }
        })
    }

    /// The last change applied.
    pub fn applied_seq(&self) -> i64 {
        self.inner
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .applied_seq
    }

    /// Reports applied.
    pub fn reports(&self) -> u64 {
        self.inner.read().unwrap_or_else(|e| e.into_inner()).reports
    }

    /// Distinct identifiers known.
    pub fn len(&self) -> usize {
        self.inner
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .entries
            .len()
    }

    /// Whether nothing is known.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The ring of a report: (ring id = its smallest report id, number of reports).
    pub fn ring_of(&self, report_id: i64) -> Option<(i64, usize)> {
        let inner = self.inner.read().unwrap_or_else(|e| e.into_inner());
        inner.rings.ring_of(report_id)
    }

    /// Report ids of a report's ring, ascending.
    pub fn ring_members(&self, report_id: i64) -> Vec<i64> {
        let inner = self.inner.read().unwrap_or_else(|e| e.into_inner());
        inner.rings.members(report_id)
    }

    /// The largest rings of at least `min_size` reports: (ring id, size).
    pub fn largest_rings(&self, min_size: usize, limit: usize) -> Vec<(i64, usize)> {
        let inner = self.inner.read().unwrap_or_else(|e| e.into_inner());
        inner.rings.largest(min_size, limit)
    }

    /// For each ring, when it was formed and by which report ([`crate::rings::Rings::formed`]).
    pub fn rings_formed(&self) -> Vec<(i64, i64)> {
        let inner = self.inner.read().unwrap_or_else(|e| e.into_inner());
        inner.rings.formed()
    }

    /// The identifiers named by the reports that arrived in `[from, to)`, grouped by
    /// `classify` (a key to its group, `None`: left out): per group the distinct
    /// identifiers, the reports naming them and how many of them an officer verified.
    /// In memory from the rings' keys: a year of a million reports in a fraction of a
    /// second, where the same `GROUP BY` in SQLite took 4 s.
    pub fn identifier_groups(
        &self,
        from: i64,
        to: i64,
        classify: impl Fn(&str) -> Option<String>,
    ) -> Vec<crate::sectors::IdentifierGroup> {
        const UNSEEN: u32 = u32::MAX;
        const LEFT_OUT: u32 = u32::MAX - 1;
        let inner = self.inner.read().unwrap_or_else(|e| e.into_inner());
        let names = inner.rings.key_names();
        let mut group_of_key = vec![UNSEEN; names.len()];
        let mut seen = vec![false; names.len()];
        let mut groups: Vec<crate::sectors::IdentifierGroup> = Vec::new();
        let mut index_of: HashMap<String, u32> = HashMap::new();
        let mut in_report: Vec<u32> = Vec::new();
        inner.rings.keys_in(from, to, |keys| {
            in_report.clear();
            for k in keys {
                let k = *k as usize;
                let Some(name) = names.get(k) else { continue };
                if group_of_key[k] == UNSEEN {
                    group_of_key[k] = match classify(name) {
                        None => LEFT_OUT,
                        Some(g) => *index_of.entry(g.clone()).or_insert_with(|| {
                            groups.push(crate::sectors::IdentifierGroup {
                                group: g,
                                identifiers: 0,
                                reports: 0,
                                verified: 0,
                            });
                            (groups.len() - 1) as u32
                        }),
                    };
                }
                let g = group_of_key[k];
                if g == LEFT_OUT {
                    continue;
                }
                if !seen[k] {
                    seen[k] = true;
                    let group = &mut groups[g as usize];
                    group.identifiers += 1;
                    let verified = inner.entries.get(*name).is_some_and(|e| {
                        e.stats
                            .verified_at
                            .is_some_and(|v| e.stats.cleared_at.is_none_or(|c| v > c))
                    });
                    if verified {
                        group.verified += 1;
                    }
                }
                if !in_report.contains(&g) {
                    in_report.push(g);
                    groups[g as usize].reports += 1;
                }
            }
        });
        groups.sort_by(|a, b| b.reports.cmp(&a.reports).then(a.group.cmp(&b.group)));
        groups
    }

    /// Turns on the hash-prefix lookups with the deployment's salt: every phone,
    /// account and website key, known now or later, is hashed and filed by prefix.
    pub fn set_hash_salt(&self, salt: &str) {
        let mut inner = self.inner.write().unwrap_or_else(|e| e.into_inner());
        let mut hashed = Hashed {
            salt: salt.into(),
            by_prefix: HashMap::new(),
        };
        for (key, entry) in inner.entries.iter_mut() {
            entry.hashed = false;
            hashed.file(key, entry);
        }
        inner.hashed = Some(hashed);
    }

    /// The salt of the hash-prefix lookups, once set.
    pub fn hash_salt(&self) -> Option<String> {
        let inner = self.inner.read().unwrap_or_else(|e| e.into_inner());
        inner.hashed.as_ref().map(|h| h.salt.to_string())
    }

    /// The listed identifiers whose hash starts with `prefix`.
    pub fn hash_matches(&self, prefix: u32) -> Vec<HashMatch> {
        let inner = self.inner.read().unwrap_or_else(|e| e.into_inner());
        let Some(found) = inner.hashed.as_ref().and_then(|h| h.by_prefix.get(&prefix)) else {
            return Vec::new();
        };
        found
            .iter()
            .filter_map(|(hash, key)| {
                let stats = &inner.entries.get(key)?.stats;
                listed(stats).then(|| HashMatch {
                    hash: *hash,
                    key: key.clone(),
                    stats: stats.clone(),
                })
            })
            .collect()
    }

    /// The version (the applied sequence) and the sorted prefixes of every listed
    /// identifier.
    pub fn prefix_list(&self) -> (i64, Vec<u32>) {
        let inner = self.inner.read().unwrap_or_else(|e| e.into_inner());
        let Some(h) = inner.hashed.as_ref() else {
            return (inner.applied_seq, Vec::new());
        };
        let mut out: Vec<u32> = h
            .by_prefix
            .iter()
            .filter(|(_, keys)| prefix_listed(&inner.entries, keys))
            .map(|(p, _)| *p)
            .collect();
        out.sort_unstable();
        (inner.applied_seq, out)
    }

    /// What changed in the prefix list since version `since`: the version now, the
    /// prefixes to add and the prefixes to remove (both sorted). Applying them to the
    /// list of version `since` gives the list of now; both are idempotent.
    pub fn prefix_diff(&self, since: i64) -> (i64, Vec<u32>, Vec<u32>) {
        let inner = self.inner.read().unwrap_or_else(|e| e.into_inner());
        let Some(h) = inner.hashed.as_ref() else {
            return (inner.applied_seq, Vec::new(), Vec::new());
        };
        let mut touched: Vec<u32> = inner
            .entries
            .iter()
            .filter(|(_, e)| e.hashed && e.changed_seq > since)
            .map(|(k, _)| hash_prefix::prefix_of(&hash_prefix::full_hash(&h.salt, k)))
            .collect();
        touched.sort_unstable();
        touched.dedup();
        let (mut add, mut remove) = (Vec::new(), Vec::new());
        for p in touched {
            let present = h
                .by_prefix
                .get(&p)
                .is_some_and(|keys| prefix_listed(&inner.entries, keys));
            if present {
                add.push(p);
            } else {
                remove.push(p);
            }
        }
        (inner.applied_seq, add, remove)
    }

    /// Websites (hosts) at `at_least` or above, but never cleared ones, sorted by host,
    /// with their level and the day of their latest report or decision.
    pub fn hosts_at_least(&self, at_least: Level) -> Vec<(String, Level, i64)> {
        let inner = self.inner.read().unwrap_or_else(|e| e.into_inner());
        let mut out: Vec<(String, Level, i64)> = inner
            .entries
            .iter()
            .filter_map(|(key, e)| {
                let host = key.strip_prefix("url:")?;
                let level = e.stats.level();
                (level >= at_least && level != Level::Cleared).then(|| {
                    let since = e.stats.verified_at.unwrap_or(0).max(e.stats.last_seen);
                    (host.to_string(), level, since)
                })
            })
            .collect();
        out.sort_unstable_by(|a, b| a.0.cmp(&b.0));
        out
    }

    /// Applies changes in order; changes at or below the applied sequence are skipped.
    pub fn apply(&self, changes: &[(i64, Change)]) {
        let catalogue = Catalogue::get();
        let mut inner = self.inner.write().unwrap_or_else(|e| e.into_inner());
        for (seq, change) in changes {
            if *seq <= inner.applied_seq {
                continue;
            }
            match change {
                Change::ReportAdded(r) => apply_report(&mut inner, r, catalogue, *seq),
                Change::IdentifierStatus(s) => {
                    let Inner {
                        entries, hashed, ..
                    } = &mut *inner;
                    let entry = entries.entry(s.key.as_str().into()).or_default();
                    if let Some(h) = hashed.as_mut() {
                        h.file(&s.key, entry);
                    }
                    entry.changed_seq = *seq;
                    if s.verified {
                        entry.stats.verified_at = Some(s.at);
                        entry.stats.cleared_at = None;
                        inner.rings.restore_key(&s.key);
                    } else {
                        entry.stats.cleared_at = Some(s.at);
                        inner.rings.clear_key(&s.key);
                    }
                }
                Change::PartnerList(list) => apply_partner_list(&mut inner, list, *seq),
                Change::Unknown(_) => {}
            }
            inner.applied_seq = *seq;
        }
    }

    /// Reads and applies every change after the last applied one. Returns how many.
    pub async fn catch_up(&self, store: &Store) -> Result<usize, StoreError> {
        const BATCH: i64 = 20_000;
        let mut total = 0;
        loop {
            let changes = store.changes_since(self.applied_seq(), BATCH).await?;
            let n = changes.len();
            self.apply(&changes);
            total += n;
            if (n as i64) < BATCH {
                return Ok(total);
            }
        }
    }
}

fn prefix_listed(entries: &HashMap<Box<str>, Entry>, keys: &[HashedKey]) -> bool {
    keys.iter()
        .any(|(_, k)| entries.get(k).is_some_and(|e| listed(&e.stats)))
}

fn apply_partner_list(inner: &mut Inner, list: &crate::changes::PartnerList, seq: i64) {
    let Inner {
        entries,
        hashed,
        partner_lists,
        ..
    } = inner;
    if !list.active {
        for key in partner_lists.remove(&list.list_id).unwrap_or_default() {
            if let Some(entry) = entries.get_mut(&key) {
                entry
                    .stats
                    .partner_marks
                    .retain(|m| m.list_id != list.list_id);
                entry.changed_seq = seq;
            }
        }
        return;
    }
    let named = partner_lists.entry(list.list_id).or_default();
    for key in &list.keys {
        let entry = match entries.get_mut(key.as_str()) {
            Some(e) => e,
            None => entries.entry(key.as_str().into()).or_default(),
        };
        if let Some(h) = hashed.as_mut() {
            h.file(key, entry);
        }
        if entry
            .stats
            .partner_marks
            .iter()
            .any(|m| m.list_id == list.list_id)
        {
            continue;
        }
        entry.stats.partner_marks.push(PartnerMark {
            list_id: list.list_id,
            partner: list.partner.clone(),
            listed_on: list.listed_on,
            confidence: list.confidence,
        });
        entry.changed_seq = seq;
        named.push(key.as_str().into());
    }
}

fn apply_report(inner: &mut Inner, r: &ReportAdded, catalogue: &Catalogue, seq: i64) {
    let method = r.method.as_deref().and_then(|m| catalogue.index_of(m));
    let reporter = reporter_hash(&r.reporter);
    inner.reports += 1;
    inner.rings.add_at(r.report_id, r.at, &r.keys);
    let mut seen_keys: Vec<&str> = Vec::with_capacity(r.keys.len());
    for key in &r.keys {
        if seen_keys.contains(&key.as_str()) {
            continue;
        }
        seen_keys.push(key);
        if let Some((_, number)) = key
            .strip_prefix("bank_account:")
            .and_then(|rest| rest.rsplit_once(':'))
        {
            if !inner.account_numbers.contains(number) {
                inner.account_numbers.insert(number.into());
            }
        }
        let Inner {
            entries, hashed, ..
        } = &mut *inner;
        let entry = match entries.get_mut(key.as_str()) {
            Some(e) => e,
            None => entries.entry(key.as_str().into()).or_default(),
        };
        if let Some(h) = hashed.as_mut() {
            h.file(key, entry);
        }
        entry.changed_seq = seq;
        let new_reporter = !entry.reporters.contains(&reporter);
        if new_reporter {
            entry.reporters.push(reporter);
        }
        entry.stats.add_report(r.at, r.loss, method, new_reporter);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use canhgiac_core::ident::PhoneNumber;

    fn added(id: i64, reporter: &str, keys: &[&str]) -> Change {
        Change::ReportAdded(ReportAdded {
            report_id: id,
            at: 1_700_000_000 + id,
            loss: 1_000,
            method: Some("impersonate_authority".into()),
            reporter: reporter.into(),
            keys: keys.iter().map(|k| k.to_string()).collect(),
        })
    }

    #[test]
    fn hashes_are_filed_by_prefix_and_diffs_bring_a_list_up_to_date() {
        use crate::changes::IdentifierStatus;
        let salt = "canhgiac-hp-v1:test:";
        let index = LookupIndex::new();
        // A key known before the salt is set is hashed when it is set.
        index.apply(&[(1, added(1, "a", &["phone:+84912345678", "email:a@b.vn"]))]);
        index.set_hash_salt(salt);
        index.apply(&[(2, added(2, "b", &["url:lua-dao.vn"]))]);
        let phone = hash_prefix::full_hash(salt, "phone:+84912345678");
        let found = index.hash_matches(hash_prefix::prefix_of(&phone));
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].hash, phone);
        assert_eq!(found[0].stats.report_count, 1);
        let (v1, list) = index.prefix_list();
        assert_eq!(v1, 2);
        // The e-mail is not a hashed kind.
        assert_eq!(list.len(), 2);
        assert!(list.windows(2).all(|w| w[0] < w[1]));

        // The phone is cleared and an account is reported: the diff removes one
        // prefix and adds the other; applied to the old list it gives the new one.
        index.apply(&[
            (
                3,
                Change::IdentifierStatus(IdentifierStatus {
                    key: "phone:+84912345678".into(),
                    verified: false,
                    at: 1_700_000_100,
                }),
            ),
            (4, added(4, "c", &["bank_account:970436:0123456789"])),
        ]);
        assert!(index
            .hash_matches(hash_prefix::prefix_of(&phone))
            .is_empty());
        let (v2, add, remove) = index.prefix_diff(v1);
        assert_eq!(v2, 4);
        assert_eq!(remove, vec![hash_prefix::prefix_of(&phone)]);
        assert_eq!(add.len(), 1);
        let mut updated: Vec<u32> = list
            .iter()
            .copied()
            .filter(|p| !remove.contains(p))
            .collect();
        updated.extend(add);
        updated.sort_unstable();
        assert_eq!(updated, index.prefix_list().1);
        // Nothing changed since the latest version.
        let (_, add, remove) = index.prefix_diff(v2);
        assert!(add.is_empty() && remove.is_empty());
    }

    #[test]
    fn account_numbers_reported_at_any_bank_are_known() {
        let index = LookupIndex::new();
        index.apply(&[(
            1,
            added(
                1,
                "a",
                &["bank_account:970436:0123456789", "phone:+84912345678"],
            ),
        )]);
        assert!(index.knows_account_number("0123456789"));
        assert!(!index.knows_account_number("0912345678"));
        assert!(!index.knows_account_number("+84912345678"));
    }

    #[test]
    fn reports_are_counted_per_identifier_and_reporters_once_each() {
        let index = LookupIndex::new();
        index.apply(&[
            (
                1,
                added(
                    1,
                    "a",
                    &["phone:+84912345678", "bank_account:970436:0123456789"],
                ),
            ),
            (2, added(2, "a", &["phone:+84912345678"])),
            (
                3,
                added(3, "b", &["phone:+84912345678", "phone:+84912345678"]),
            ),
        ]);
        let s = index.get("phone:+84912345678").expect("known");
        assert_eq!(
            (s.report_count, s.reporter_count, s.loss_vnd),
            (3, 2, 3_000)
        );
        assert_eq!(index.report_count("bank_account:970436:0123456789"), 1);
        assert_eq!(index.applied_seq(), 3);
        // Replaying old changes changes nothing.
        index.apply(&[(2, added(2, "a", &["phone:+84912345678"]))]);
        assert_eq!(index.report_count("phone:+84912345678"), 3);
    }

    #[test]
    fn probes_hold_until_a_change_touches_what_they_read() {
        let index = LookupIndex::new();
        index.apply(&[(1, added(1, "a", &["phone:+84912345678"]))]);
        let phone = Identifier::Phone(PhoneNumber::parse("0912345678").expect("phone"));
        let other = Identifier::Phone(PhoneNumber::parse("0987654321").expect("phone"));
        let mut probes = Vec::new();
        assert!(index.lookup_traced(&phone, &mut probes).is_some());
        assert!(index.lookup_traced(&other, &mut probes).is_none());
        assert!(!index.knows_account_number_traced("0123456789", &mut probes));
        assert!(index.unchanged(&probes));
        // A report on something else changes nothing read.
        index.apply(&[(2, added(2, "b", &["phone:+84900000001"]))]);
        assert!(index.unchanged(&probes));
        // A second report on the number that had one.
        index.apply(&[(3, added(3, "b", &["phone:+84912345678"]))]);
        assert!(!index.unchanged(&probes));
        // A first report on the number that had none.
        let mut probes = Vec::new();
        index.lookup_traced(&other, &mut probes);
        index.apply(&[(4, added(4, "c", &["phone:+84987654321"]))]);
        assert!(!index.unchanged(&probes));
        // A first account of that number at some bank.
        let mut probes = Vec::new();
        index.knows_account_number_traced("0123456789", &mut probes);
        index.apply(&[(5, added(5, "c", &["bank_account:970436:0123456789"]))]);
        assert!(!index.unchanged(&probes));
    }
}
