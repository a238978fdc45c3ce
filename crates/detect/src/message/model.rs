//! The trained message model: two logistic regressions over the same sparse binary
//! features (see [`super::features`]), one for scam-or-not and one multinomial over
//! the catalogue's methods. Trained by `canhgiac-train` (crates/train) and shipped in
//! the binary as `model/message-model.json`.
//!
//! A message's feature vector has a 1 for every kept feature it contains, scaled to
//! unit length (each value `1/√n`), exactly as in training.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

use serde::{Deserialize, Serialize};

use super::features;
use super::normalize::Token;

/// The model file's format version.
pub const FORMAT_VERSION: u32 = 1;

/// The model as stored.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ModelFile {
    /// Format version ([`FORMAT_VERSION`]).
    pub version: u32,
    /// What it was trained on (corpus files and their SHA-256, example counts).
    pub trained_on: String,
    /// Feature hashes kept, in weight order.
    pub features: Vec<u64>,
    /// Scam-or-not: intercept.
    pub scam_intercept: f32,
    /// Scam-or-not: one weight per feature.
    pub scam_weights: Vec<f32>,
    /// Method keys of the catalogue, in class order.
    pub method_keys: Vec<String>,
    /// Methods: one intercept per method.
    pub method_intercepts: Vec<f32>,
    /// Methods: `features.len() × method_keys.len()` weights, feature-major.
    pub method_weights: Vec<f32>,
}

/// A model file that does not fit together.
#[derive(Debug, thiserror::Error)]
pub enum ModelError {
    /// Not JSON of the expected shape.
    #[error("the message model is not valid JSON: {0}")]
    Json(#[from] serde_json::Error),
    /// Written by another version.
    #[error("the message model has format {found}, this program reads {FORMAT_VERSION}")]
    Version {
        /// Found.
        found: u32,
    },
    /// Array lengths disagree.
    #[error("the message model's arrays disagree in length: {0}")]
    Shape(&'static str),
}

/// Keys are already hashes: use them as they are.
#[derive(Default)]
pub struct IdentityHasher(u64);

impl Hasher for IdentityHasher {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = (self.0 << 8) | b as u64;
        }
    }
    fn write_u64(&mut self, n: u64) {
        self.0 = n;
    }
}

type FeatureIndex = HashMap<u64, u32, BuildHasherDefault<IdentityHasher>>;

/// A loaded model.
#[derive(Debug, Clone)]
pub struct Model {
    /// Tells models apart in the per-thread [`WordMemo`].
    id: u64,
    index: FeatureIndex,
    file: ModelFile,
}

static NEXT_MODEL_ID: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(1);

/// What the model says about one message.
#[derive(Debug, Clone, PartialEq)]
pub struct Scores {
    /// Probability of a scam, 0–1.
    pub scam: f32,
    /// Probability of each method given a scam, in [`Model::method_keys`] order.
    pub methods: Vec<f32>,
}

static BUILTIN: once_cell::sync::Lazy<Model> = once_cell::sync::Lazy::new(|| {
    Model::from_json(include_str!("../../model/message-model.json"))
        .unwrap_or_else(|e| panic!("the message model shipped with the binary is broken: {e}"))
});

impl Model {
    /// The model shipped with the binary.
    pub fn builtin() -> &'static Model {
        &BUILTIN
    }

    /// Reads a model file.
    pub fn from_json(json: &str) -> Result<Model, ModelError> {
        let file: ModelFile = serde_json::from_str(json)?;
        Model::new(file)
    }

    /// Checks a model and indexes its features.
    pub fn new(file: ModelFile) -> Result<Model, ModelError> {
        if file.version != FORMAT_VERSION {
            return Err(ModelError::Version {
                found: file.version,
            });
        }
        let n = file.features.len();
        if file.scam_weights.len() != n {
            return Err(ModelError::Shape("scam_weights"));
        }
        let k = file.method_keys.len();
        if file.method_intercepts.len() != k {
            return Err(ModelError::Shape("method_intercepts"));
        }
        if file.method_weights.len() != n * k {
            return Err(ModelError::Shape("method_weights"));
        }
        let index = file
            .features
            .iter()
            .enumerate()
            .map(|(i, &h)| (h, i as u32))
            .collect();
        let id = NEXT_MODEL_ID.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        Ok(Model { id, index, file })
    }

    /// The stored form.
    pub fn file(&self) -> &ModelFile {
        &self.file
    }

    /// Method keys, in score order.
    pub fn method_keys(&self) -> &[String] {
        &self.file.method_keys
    }

    /// Whether the model has learned anything (a fresh checkout before training has not).
    pub fn is_trained(&self) -> bool {
        !self.file.features.is_empty()
    }

    /// The kept features among `hashes`, as distinct indices (in first-seen order).
    pub fn active(&self, hashes: &[u64]) -> Vec<u32> {
        self.active_of(|sink| hashes.iter().for_each(|&h| sink(h)))
    }

    /// The kept features among the hashes that `features` gives to its sink, as
    /// distinct indices (in first-seen order), without collecting the hashes.
    pub fn active_of(&self, features: impl FnOnce(&mut dyn FnMut(u64))) -> Vec<u32> {
        SEEN.with(|seen| {
            let mut seen = seen.borrow_mut();
            seen.next_generation(self.file.features.len());
            let mut active = Vec::with_capacity(256);
            features(&mut |h| {
                if let Some(&i) = self.index.get(&h) {
                    if seen.first_time(i) {
                        active.push(i);
                    }
                }
            });
            active
        })
    }

    /// The kept features of a message's words followed by those that `rest` gives
    /// its sink, as distinct indices in the order of [`Model::active`] over
    /// [`features::each_word_feature`] then `rest`. What a word alone contributes
    /// (its unigram and character n-grams) is remembered per thread, so a word seen
    /// before costs one lookup instead of a dozen.
    pub fn active_of_words(
        &self,
        tokens: &[Token],
        rest: impl FnOnce(&mut dyn FnMut(u64)),
    ) -> Vec<u32> {
        SEEN.with(|seen| {
            MEMO.with(|memo| {
                let mut seen = seen.borrow_mut();
                let mut memo = memo.borrow_mut();
                seen.next_generation(self.file.features.len());
                if memo.model != self.id
                    || memo.words.len() >= MEMO_WORDS
                    || memo.arena.len() >= MEMO_FEATURES
                {
                    memo.reset(self.id);
                }
                let mut active = Vec::with_capacity(128);
                let mut add = |i: u32| {
                    if seen.first_time(i) {
                        active.push(i);
                    }
                };
                for (k, t) in tokens.iter().enumerate() {
                    let word = self.word(&mut memo, &t.text);
                    if let Some(i) = word.unigram {
                        add(i);
                    }
                    if let Some(next) = tokens.get(k + 1) {
                        if let Some(&i) = self.index.get(&features::bigram(&t.text, &next.text)) {
                            add(i);
                        }
                    }
                    let chars = word.chars_start as usize..word.chars_end as usize;
                    for &i in memo.arena.get(chars).unwrap_or_default() {
                        add(i);
                    }
                }
                rest(&mut |h| {
                    if let Some(&i) = self.index.get(&h) {
                        add(i);
                    }
                });
                active
            })
        })
    }

    /// What one word alone contributes, from the memo or computed into it.
    fn word(&self, memo: &mut WordMemo, text: &str) -> MemoWord {
        let key = features::unigram(text);
        if let Some(&word) = memo.words.get(&key) {
            return word;
        }
        let chars_start = memo.arena.len() as u32;
        features::each_char_ngram(text, |h| {
            if let Some(&i) = self.index.get(&h) {
                memo.arena.push(i);
            }
        });
        let word = MemoWord {
            unigram: self.index.get(&key).copied(),
            chars_start,
            chars_end: memo.arena.len() as u32,
        };
        memo.words.insert(key, word);
        word
    }

    /// The probability of a scam from the active features.
    pub fn scam(&self, active: &[u32]) -> f32 {
        let logit: f32 = active
            .iter()
            .map(|&i| self.file.scam_weights[i as usize])
            .sum();
        sigmoid(self.file.scam_intercept + logit * scale(active))
    }

    /// The probability of each method given a scam, in [`Model::method_keys`] order.
    pub fn methods(&self, active: &[u32]) -> Vec<f32> {
        let k = self.file.method_keys.len();
        let mut sums = vec![0.0f32; k];
        for &i in active {
            let i = i as usize;
            if let Some(row) = self.file.method_weights.get(i * k..(i + 1) * k) {
                for (acc, w) in sums.iter_mut().zip(row) {
                    *acc += w;
                }
            }
        }
        let scale = scale(active);
        for (acc, b) in sums.iter_mut().zip(&self.file.method_intercepts) {
            *acc = b + *acc * scale;
        }
        softmax(sums)
    }

    /// Scores a message from its active features.
    pub fn score(&self, active: &[u32]) -> Scores {
        Scores {
            scam: self.scam(active),
            methods: self.methods(active),
        }
    }
}

/// Each feature counts once: `1/√n` for each of `n` distinct features.
fn scale(active: &[u32]) -> f32 {
    if active.is_empty() {
        0.0
    } else {
        1.0 / (active.len() as f32).sqrt()
    }
}

/// Marks of the features already seen in the current message, without clearing
/// between messages: a mark counts only when it carries the current generation.
#[derive(Default)]
struct Seen {
    marks: Vec<u32>,
    generation: u32,
}

impl Seen {
    fn next_generation(&mut self, features: usize) {
        if self.marks.len() < features {
            self.marks.resize(features, 0);
        }
        self.generation = self.generation.wrapping_add(1);
        if self.generation == 0 {
            self.marks.iter_mut().for_each(|m| *m = 0);
            self.generation = 1;
        }
    }

    fn first_time(&mut self, i: u32) -> bool {
        match self.marks.get_mut(i as usize) {
            Some(m) if *m != self.generation => {
                *m = self.generation;
                true
            }
            _ => false,
        }
    }
}

/// Words remembered per thread before the memo starts afresh (a few MiB).
const MEMO_WORDS: usize = 50_000;
/// Remembered character n-gram features per thread before the memo starts afresh
/// (long words have many: 4 MiB).
const MEMO_FEATURES: usize = 1 << 20;

/// What one word alone contributes to a message's kept features.
#[derive(Debug, Clone, Copy)]
struct MemoWord {
    unigram: Option<u32>,
    /// Its character n-grams' kept features, `arena[chars_start..chars_end]`.
    chars_start: u32,
    chars_end: u32,
}

/// Words seen by one thread, keyed by their unigram hash, for one model.
#[derive(Default)]
struct WordMemo {
    model: u64,
    words: HashMap<u64, MemoWord, BuildHasherDefault<IdentityHasher>>,
    arena: Vec<u32>,
}

impl WordMemo {
    fn reset(&mut self, model: u64) {
        self.model = model;
        self.words.clear();
        self.arena.clear();
    }
}

thread_local! {
    static SEEN: std::cell::RefCell<Seen> = std::cell::RefCell::new(Seen::default());
    static MEMO: std::cell::RefCell<WordMemo> = std::cell::RefCell::new(WordMemo::default());
}

fn sigmoid(x: f32) -> f32 {
    1.0 / (1.0 + (-x).exp())
}

fn softmax(mut logits: Vec<f32>) -> Vec<f32> {
    let max = logits.iter().copied().fold(f32::NEG_INFINITY, f32::max);
    logits.iter_mut().for_each(|l| *l = (*l - max).exp());
    let sum: f32 = logits.iter().sum();
    if sum > 0.0 {
        logits.iter_mut().for_each(|e| *e /= sum);
    }
    logits
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tiny() -> ModelFile {
        ModelFile {
            version: FORMAT_VERSION,
            trained_on: "test".into(),
            features: vec![10, 20],
            scam_intercept: 0.0,
            scam_weights: vec![2.0, -2.0],
            method_keys: vec!["a".into(), "b".into()],
            method_intercepts: vec![0.0, 0.0],
            method_weights: vec![1.0, 0.0, 0.0, 1.0],
        }
    }

    #[test]
    fn scores_follow_the_weights_of_present_features() {
        let m = Model::new(tiny()).expect("valid");
        assert_eq!(m.active(&[10, 10, 99, 20, 10]), [0, 1]);
        let up = m.score(&m.active(&[10, 10, 99]));
        let down = m.score(&m.active(&[20]));
        assert!(up.scam > 0.8 && down.scam < 0.2, "{up:?} {down:?}");
        assert!(up.methods[0] > up.methods[1]);
        assert!((up.methods.iter().sum::<f32>() - 1.0).abs() < 1e-5);
        assert_eq!(m.score(&[]).scam, 0.5);
    }

    #[test]
    fn mismatched_files_are_refused() {
        let mut f = tiny();
        f.method_weights.pop();
        assert!(matches!(Model::new(f), Err(ModelError::Shape(_))));
        let mut f = tiny();
        f.version = 99;
        assert!(matches!(
            Model::new(f),
            Err(ModelError::Version { found: 99 })
        ));
        assert!(Model::from_json("{").is_err());
    }

    #[test]
    fn the_builtin_model_loads() {
        let _ = Model::builtin().method_keys();
    }
}
