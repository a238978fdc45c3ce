//! Features of a normalised message for the trained model: word unigrams and
//! bigrams, character 3- to 5-grams inside words, and the red flags. Each feature is
//! a 64-bit FNV-1a hash of its text, so nothing is allocated per feature; the
//! model's vocabulary maps the hashes it kept to weights.
//!
//! Digits are read as `0` (a phone number, an amount and an account number are
//! features by their shape, not their value).

use super::normalize::Token;

/// FNV-1a's starting value.
pub(crate) const FNV_OFFSET: u64 = 0xcbf2_9ce4_8422_2325;
const FNV_PRIME: u64 = 0x0000_0100_0000_01b3;

/// FNV-1a over `bytes`, continuing from `h`.
#[inline]
pub(crate) const fn fnv(mut h: u64, bytes: &[u8]) -> u64 {
    let mut i = 0;
    while i < bytes.len() {
        h ^= bytes[i] as u64;
        h = h.wrapping_mul(FNV_PRIME);
        i += 1;
    }
    h
}

const WORD_SEED: u64 = fnv(FNV_OFFSET, b"w:");
const PAIR_SEED: u64 = fnv(FNV_OFFSET, b"b:");
const CHAR_SEED: u64 = fnv(FNV_OFFSET, b"c:");

#[inline]
fn shape(b: u8) -> u8 {
    if b.is_ascii_digit() {
        b'0'
    } else {
        b
    }
}

#[inline]
fn fnv_shaped(mut h: u64, bytes: &[u8]) -> u64 {
    for &b in bytes {
        h ^= shape(b) as u64;
        h = h.wrapping_mul(FNV_PRIME);
    }
    h
}

/// The hash of a named feature (`"r:urgency"`), as the model stores it.
pub fn named(name: &str) -> u64 {
    fnv(FNV_OFFSET, name.as_bytes())
}

/// Smallest and largest character n-gram.
pub const CHAR_NGRAMS: std::ops::RangeInclusive<usize> = 3..=5;

/// Appends the hashes of every feature of the words to `out` (with repeats).
pub fn word_features(tokens: &[Token], out: &mut Vec<u64>) {
    each_word_feature(tokens, |h| out.push(h));
}

/// Gives the hash of every feature of the words to `sink` (with repeats), in the
/// order [`word_features`] lists them: per word its unigram, the bigram it starts,
/// its character n-grams.
pub fn each_word_feature(tokens: &[Token], mut sink: impl FnMut(u64)) {
    for (i, t) in tokens.iter().enumerate() {
        sink(unigram(&t.text));
        if let Some(next) = tokens.get(i + 1) {
            sink(bigram(&t.text, &next.text));
        }
        each_char_ngram(&t.text, &mut sink);
    }
}

/// The hash of a word's unigram feature. Words with the same hash have the same
/// character n-grams too (digits are read by shape in both).
pub fn unigram(word: &str) -> u64 {
    fnv_shaped(WORD_SEED, word.as_bytes())
}

/// The hash of the bigram of two adjacent words.
pub fn bigram(first: &str, second: &str) -> u64 {
    let h = fnv(fnv_shaped(PAIR_SEED, first.as_bytes()), b" ");
    fnv_shaped(h, second.as_bytes())
}

/// Gives the hash of every character n-gram of ` word ` (with repeats): each
/// start's shortest n-gram, then the same extended by one byte at a time.
pub fn each_char_ngram(word: &str, mut sink: impl FnMut(u64)) {
    let bytes = word.as_bytes();
    // byte `p` of the word padded by one space on each side
    let padded_len = bytes.len() + 2;
    let at = |p: usize| match p.checked_sub(1).and_then(|q| bytes.get(q)) {
        Some(&b) => shape(b),
        None => b' ',
    };
    let (shortest, longest) = (*CHAR_NGRAMS.start(), *CHAR_NGRAMS.end());
    for start in 0..padded_len.saturating_sub(shortest - 1) {
        let mut h = CHAR_SEED;
        for p in start..start + shortest {
            h = fnv(h, &[at(p)]);
        }
        sink(h);
        for p in start + shortest..padded_len.min(start + longest) {
            h = fnv(h, &[at(p)]);
            sink(h);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::message::normalize::normalize;

    #[test]
    fn every_character_ngram_of_the_padded_word_is_hashed_once() {
        let mut out = Vec::new();
        word_features(&normalize("lừa").tokens, &mut out);
        let mut expected: Vec<u64> = [" lu", "lua", "ua ", " lua", "lua ", " lua "]
            .iter()
            .map(|g| fnv(CHAR_SEED, g.as_bytes()))
            .collect();
        expected.push(fnv(fnv(FNV_OFFSET, b"w:"), b"lua"));
        expected.sort_unstable();
        out.sort_unstable();
        assert_eq!(out, expected);
    }

    #[test]
    fn digits_count_by_shape() {
        let mut a = Vec::new();
        let mut b = Vec::new();
        word_features(&normalize("goi 0912345678").tokens, &mut a);
        word_features(&normalize("goi 0387654321").tokens, &mut b);
        assert_eq!(a, b);
    }

    #[test]
    fn accents_and_spelling_do_not_change_features() {
        let mut a = Vec::new();
        let mut b = Vec::new();
        word_features(&normalize("Chuyển khoản ngay").tokens, &mut a);
        word_features(&normalize("ck ngay").tokens, &mut b);
        assert_eq!(a, b);
    }
}
