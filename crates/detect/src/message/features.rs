//! Features of a normalised message for the trained model: word unigrams and
//! bigrams, character 3- to 5-grams inside words, and the red flags. Each feature is
//! a 64-bit FNV-1a hash of its text, so nothing is allocated per feature; the
//! model's vocabulary maps the hashes it kept to weights.
//!
//! Digits are read as `0` (a phone number, an amount and an account number are
//! features by their shape, not their value).

use super::normalize::Token;

const FNV_OFFSET: u64 = 0xcbf2_9ce4_8422_2325;
const FNV_PRIME: u64 = 0x0000_0100_0000_01b3;

#[inline]
fn fnv(mut h: u64, bytes: &[u8]) -> u64 {
    for &b in bytes {
        h ^= b as u64;
        h = h.wrapping_mul(FNV_PRIME);
    }
    h
}

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
    let word_seed = fnv(FNV_OFFSET, b"w:");
    let pair_seed = fnv(FNV_OFFSET, b"b:");
    let char_seed = fnv(FNV_OFFSET, b"c:");
    let mut padded: Vec<u8> = Vec::with_capacity(32);
    for (i, t) in tokens.iter().enumerate() {
        let bytes = t.text.as_bytes();
        out.push(fnv_shaped(word_seed, bytes));
        if let Some(next) = tokens.get(i + 1) {
            let h = fnv_shaped(pair_seed, bytes);
            let h = fnv(h, b" ");
            out.push(fnv_shaped(h, next.text.as_bytes()));
        }
        // character n-grams of " word "
        padded.clear();
        padded.push(b' ');
        padded.extend(bytes.iter().map(|&b| shape(b)));
        padded.push(b' ');
        for n in CHAR_NGRAMS {
            if padded.len() < n {
                break;
            }
            for w in padded.windows(n) {
                out.push(fnv(char_seed, w));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::message::normalize::normalize;

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
