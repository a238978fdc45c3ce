//! Groups of similar narratives: MinHash signatures over word 3-shingles of the
//! folded text, candidate pairs by locality-sensitive hashing (bands of the
//! signature), pairs kept when their estimated Jaccard similarity is high enough,
//! then joined into groups. Used to find new scam patterns among recent reports.
//!
//! Written here (about 100 lines) rather than taken from a crate: the crates for
//! MinHash bring their own hashing and parallelism, and this needs one signature per
//! narrative, deterministic across runs.

use std::collections::HashMap;

use crate::fold::fold;

/// Hash functions per signature.
pub const SIGNATURE: usize = 64;
/// Bands for locality-sensitive hashing (rows per band = SIGNATURE / BANDS): with 2
/// rows, two narratives of similarity 0.33 share a band with probability 97%.
pub const BANDS: usize = 32;
/// Estimated Jaccard similarity (of word 3-shingles) from which two narratives are
/// alike: the same story retold by different victims scores 0.33-0.42.
pub const SIMILAR: f64 = 0.3;

/// A MinHash signature.
pub type Signature = [u64; SIGNATURE];

fn mix(mut x: u64) -> u64 {
    // splitmix64 finaliser
    x = (x ^ (x >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    x = (x ^ (x >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    x ^ (x >> 31)
}

fn word_hash(word: &str) -> u64 {
    word.bytes().fold(0xcbf2_9ce4_8422_2325u64, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3)
    })
}

/// The word 3-shingles of a narrative (folded: case, diacritics and punctuation do not
/// matter), as hashes. A narrative of fewer than 3 words has its words as shingles.
pub fn shingles(text: &str) -> Vec<u64> {
    let folded = fold(text);
    let words: Vec<u64> = folded
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(word_hash)
        .collect();
    if words.len() < 3 {
        return words;
    }
    let mut out: Vec<u64> = words
        .windows(3)
        .map(|w| mix(w[0] ^ mix(w[1] ^ mix(w[2]))))
        .collect();
    out.sort_unstable();
    out.dedup();
    out
}

/// The MinHash signature of a set of shingles (`None` when it is empty).
pub fn signature(shingles: &[u64]) -> Option<Signature> {
    if shingles.is_empty() {
        return None;
    }
    let mut sig = [u64::MAX; SIGNATURE];
    for &s in shingles {
        for (i, slot) in sig.iter_mut().enumerate() {
            let h = mix(s ^ mix(i as u64 + 1));
            if h < *slot {
                *slot = h;
            }
        }
    }
    Some(sig)
}

/// Estimated Jaccard similarity of two signatures.
pub fn similarity(a: &Signature, b: &Signature) -> f64 {
    a.iter().zip(b).filter(|(x, y)| x == y).count() as f64 / SIGNATURE as f64
}

fn find(parent: &mut [usize], mut i: usize) -> usize {
    while parent[i] != i {
        parent[i] = parent[parent[i]];
        i = parent[i];
    }
    i
}

/// Groups of at least `min_size` similar texts, as indices into `texts`, largest
/// first.
pub fn groups(texts: &[&str], min_size: usize) -> Vec<Vec<usize>> {
    let sigs: Vec<Option<Signature>> = texts.iter().map(|t| signature(&shingles(t))).collect();
    let mut parent: Vec<usize> = (0..texts.len()).collect();
    let rows = SIGNATURE / BANDS;
    for band in 0..BANDS {
        let mut buckets: HashMap<&[u64], Vec<usize>> = HashMap::new();
        for (i, sig) in sigs.iter().enumerate() {
            if let Some(sig) = sig {
                buckets
                    .entry(&sig[band * rows..(band + 1) * rows])
                    .or_default()
                    .push(i);
            }
        }
        for members in buckets.values().filter(|m| m.len() > 1) {
            let first = members[0];
            for &other in &members[1..] {
                if let (Some(a), Some(b)) = (&sigs[first], &sigs[other]) {
                    if similarity(a, b) >= SIMILAR {
                        let (ra, rb) = (find(&mut parent, first), find(&mut parent, other));
                        parent[ra] = rb;
                    }
                }
            }
        }
    }
    let mut by_root: HashMap<usize, Vec<usize>> = HashMap::new();
    for (i, sig) in sigs.iter().enumerate() {
        if sig.is_some() {
            let r = find(&mut parent, i);
            by_root.entry(r).or_default().push(i);
        }
    }
    let mut out: Vec<Vec<usize>> = by_root
        .into_values()
        .filter(|g| g.len() >= min_size)
        .collect();
    out.sort_by(|a, b| b.len().cmp(&a.len()).then(a[0].cmp(&b[0])));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn near_copies_group_and_unrelated_texts_do_not() {
        let texts = [
            "Tôi nhận cuộc gọi mời mua bảo hiểm xe máy giá rẻ qua Zalo, chuyển 300 nghìn thì bị chặn",
            "Toi nhan cuoc goi moi mua bao hiem xe may gia re qua Zalo, chuyen 250 nghin thi bi chan",
            "Nhận cuộc gọi mời mua bảo hiểm xe máy giá rẻ qua Zalo, chuyển tiền xong thì bị chặn liên lạc",
            "Kẻ gian giả công an gọi điện bắt chuyển tiền để chứng minh tiền sạch",
            "Đặt vé máy bay giá rẻ trên fanpage, chuyển khoản xong không nhận được vé",
        ];
        let g = groups(&texts, 3);
        assert_eq!(g, vec![vec![0, 1, 2]]);
        assert!(groups(&texts, 4).is_empty());
    }

    #[test]
    fn similarity_of_a_text_with_itself_is_one_and_signatures_are_deterministic() {
        let a = signature(&shingles("một hai ba bốn năm sáu")).expect("signature");
        let b = signature(&shingles("MỘT hai, ba bốn năm sáu!")).expect("signature");
        assert_eq!(similarity(&a, &b), 1.0);
        assert!(signature(&shingles("")).is_none());
    }
}
