//! Answers of `GET /api/v1/check` kept as the bytes sent, so that the same question
//! asked again (a number in a scam that is going round, a carrier's filter asking for
//! the same senders) is answered without recognising, judging and serialising again.
//!
//! An answer is never stale: it keeps every probe it made into the lookup index (each
//! key it read and the change that last touched it, each account number it asked
//! about) and the generation of the protected brands it was judged against, and it is
//! served only while all of these are the same ([`LookupIndex::unchanged`]). A report
//! on one number therefore drops the answers about that number only.
//!
//! Bounded: two generations of at most [`GENERATION_ENTRIES`] answers each; when the
//! current one is full it becomes the previous one and the oldest is dropped. Only
//! short questions are kept (identifiers, not pasted messages).

use std::collections::HashMap;
use std::sync::{Arc, RwLock};

use axum::body::Bytes;
use canhgiac_core::i18n::Lang;
use canhgiac_store::index::Probe;
use canhgiac_store::LookupIndex;

/// Answers per generation.
pub const GENERATION_ENTRIES: usize = 8_192;
/// The longest question kept, in bytes.
pub const MAX_QUESTION_BYTES: usize = 256;

/// One answer as sent, with what it depended on.
pub struct CachedAnswer {
    /// The JSON body.
    pub body: Bytes,
    /// The level of each verdict in it (counted again for `/metrics` on each hit).
    pub verdict_levels: Vec<&'static str>,
    /// The message level, for free text.
    pub message_level: Option<&'static str>,
    /// What it read from the index.
    probes: Vec<Probe>,
    /// The brands' generation it was judged against.
    brands_generation: u64,
}

impl CachedAnswer {
    /// An answer built from `probes` under the brands of `brands_generation`.
    pub fn new(
        body: Bytes,
        verdict_levels: Vec<&'static str>,
        message_level: Option<&'static str>,
        probes: Vec<Probe>,
        brands_generation: u64,
    ) -> CachedAnswer {
        CachedAnswer {
            body,
            verdict_levels,
            message_level,
            probes,
            brands_generation,
        }
    }
}

#[derive(Default)]
struct Generations {
    current: HashMap<(Lang, Box<str>), Arc<CachedAnswer>>,
    previous: HashMap<(Lang, Box<str>), Arc<CachedAnswer>>,
}

/// The cache.
#[derive(Default)]
pub struct CheckCache {
    generations: RwLock<Generations>,
}

impl CheckCache {
    /// An empty cache.
    pub fn new() -> CheckCache {
        CheckCache::default()
    }

    /// Whether a question is short enough to be kept.
    pub fn keeps(question: &str) -> bool {
        question.len() <= MAX_QUESTION_BYTES
    }

    /// The answer to `question`, if one is kept and still true.
    pub fn get(
        &self,
        question: &str,
        lang: Lang,
        index: &LookupIndex,
        brands_generation: u64,
    ) -> Option<Arc<CachedAnswer>> {
        if !Self::keeps(question) {
            return None;
        }
        let key = (lang, Box::<str>::from(question));
        let found = {
            let generations = self.generations.read().unwrap_or_else(|e| e.into_inner());
            generations
                .current
                .get(&key)
                .or_else(|| generations.previous.get(&key))
                .cloned()?
        };
        (found.brands_generation == brands_generation && index.unchanged(&found.probes))
            .then_some(found)
    }

    /// Keeps an answer (replacing an older one to the same question).
    pub fn put(&self, question: &str, lang: Lang, answer: CachedAnswer) {
        if !Self::keeps(question) {
            return;
        }
        let mut generations = self.generations.write().unwrap_or_else(|e| e.into_inner());
        if generations.current.len() >= GENERATION_ENTRIES {
            generations.previous = std::mem::take(&mut generations.current);
        }
        generations
            .current
            .insert((lang, question.into()), Arc::new(answer));
    }

    /// Answers kept (both generations).
    pub fn len(&self) -> usize {
        let generations = self.generations.read().unwrap_or_else(|e| e.into_inner());
        generations.current.len() + generations.previous.len()
    }

    /// Whether nothing is kept.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use canhgiac_core::ident::PhoneNumber;
    use canhgiac_core::Identifier;
    use canhgiac_store::changes_for_bench::{Change, ReportAdded};

    fn report(seq: i64, key: &str) -> (i64, Change) {
        (
            seq,
            Change::ReportAdded(ReportAdded {
                report_id: seq,
                at: 1_780_000_000,
                loss: 1_000,
                method: None,
                reporter: format!("r{seq}"),
                keys: vec![key.to_string()],
            }),
        )
    }

    fn answer(index: &LookupIndex, number: &str, generation: u64) -> CachedAnswer {
        let phone = Identifier::Phone(PhoneNumber::parse(number).expect("phone"));
        let mut probes = Vec::new();
        let count = index
            .lookup_traced(&phone, &mut probes)
            .map_or(0, |s| s.report_count);
        CachedAnswer::new(
            Bytes::from(format!("{{\"report_count\":{count}}}")),
            vec!["no_reports"],
            None,
            probes,
            generation,
        )
    }

    #[test]
    fn an_answer_is_served_until_what_it_read_changes() {
        let index = LookupIndex::new();
        let cache = CheckCache::new();
        cache.put("0912345678", Lang::Vi, answer(&index, "0912345678", 1));
        cache.put("0987654321", Lang::Vi, answer(&index, "0987654321", 1));
        assert!(cache.get("0912345678", Lang::Vi, &index, 1).is_some());
        assert!(cache.get("0912345678", Lang::En, &index, 1).is_none());
        // Another brands list: judged again.
        assert!(cache.get("0912345678", Lang::Vi, &index, 2).is_none());
        // A report on the first number drops its answer, not the other one.
        index.apply(&[report(1, "phone:+84912345678")]);
        assert!(cache.get("0912345678", Lang::Vi, &index, 1).is_none());
        assert!(cache.get("0987654321", Lang::Vi, &index, 1).is_some());
    }

    #[test]
    fn the_cache_is_bounded_to_two_generations_and_short_questions() {
        let index = LookupIndex::new();
        let cache = CheckCache::new();
        for i in 0..(2 * GENERATION_ENTRIES + 10) {
            let q = format!("09{:08}", i);
            cache.put(&q, Lang::Vi, answer(&index, "0912345678", 1));
        }
        assert!(cache.len() <= 2 * GENERATION_ENTRIES);
        let newest = format!("09{:08}", 2 * GENERATION_ENTRIES + 9);
        assert!(cache.get(&newest, Lang::Vi, &index, 1).is_some());
        assert!(cache.get("0900000000", Lang::Vi, &index, 1).is_none());
        let long = "x".repeat(MAX_QUESTION_BYTES + 1);
        cache.put(&long, Lang::Vi, answer(&index, "0912345678", 1));
        assert!(cache.get(&long, Lang::Vi, &index, 1).is_none());
    }
}
