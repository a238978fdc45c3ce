//! String rules of the matching: parent domains, public suffixes, one-edit typos
//! (deletions, keyboard neighbours), look-alike letters folded to Latin, and the
//! technique a candidate label uses against a brand label.

use std::collections::HashSet;

use canhgiac_core::fold::fold;
use canhgiac_core::ident::Website;

use super::Technique;

/// A host and each of its parent domains, most specific first (a.b.c, b.c, c), without
/// allocating: what the official and established lookups walk.
pub(super) fn parents(host: &str) -> impl Iterator<Item = &str> {
    std::iter::successors(Some(host), |h| h.split_once('.').map(|(_, parent)| parent))
}

/// The public suffix of a domain ("com.vn" for acb.com.vn).
pub(super) fn suffix_of(domain: &str) -> Option<String> {
    let site = Website::parse(domain).ok()?;
    site.registrable()
        .split_once('.')
        .map(|(_, suffix)| suffix.to_string())
}

/// Whether `rest` is made only of digit runs and words scammers add ("113", "api",
/// "nap", "cskh247").
pub(super) fn risky_rest(rest: &str, words: &HashSet<&'static str>) -> bool {
    if rest.is_empty() {
        return false;
    }
    let bytes = rest.as_bytes();
    // reachable[i]: rest[..i] splits into digit runs and words.
    let mut reachable = vec![false; bytes.len() + 1];
    reachable[0] = true;
    for i in 0..bytes.len() {
        if !reachable[i] {
            continue;
        }
        let digits = bytes[i..].iter().take_while(|b| b.is_ascii_digit()).count();
        for j in 1..=digits {
            reachable[i + j] = true;
        }
        let ends: Vec<usize> = ((i + 2)..=bytes.len().min(i + 12))
            .filter(|&j| rest.get(i..j).is_some_and(|w| words.contains(w)))
            .collect();
        for j in ends {
            reachable[j] = true;
        }
    }
    reachable[bytes.len()] || misspelt_word(rest, words)
}

/// A word scammers add, misspelt by one letter ("onliine", "hotroo"): five letters or more.
pub(super) fn misspelt_word(rest: &str, words: &HashSet<&'static str>) -> bool {
    rest.len() >= 5
        && rest.bytes().all(|b| b.is_ascii_lowercase())
        && words
            .iter()
            .filter(|w| w.len() >= 5 && w.len().abs_diff(rest.len()) <= 1)
            .any(|w| classify(rest, w).is_some())
}

/// Whether `short` is `long` with one character left out.
pub(super) fn is_deletion(short: &[char], long: &[char]) -> bool {
    let i = (0..short.len())
        .find(|&i| short[i] != long[i])
        .unwrap_or(short.len());
    short[i..] == long[i + 1..]
}

/// The label a domain registers ("vietcombank" for vietcombank.com.vn).
pub(super) fn sld(domain: &str) -> Option<String> {
    let site = Website::parse(domain).ok()?;
    site.registrable().split('.').next().map(str::to_string)
}

pub(super) fn deletions_of(label: &str) -> Vec<String> {
    let chars: Vec<char> = label.chars().collect();
    (0..chars.len())
        .map(|i| {
            chars
                .iter()
                .enumerate()
                .filter(|(j, _)| *j != i)
                .map(|(_, c)| *c)
                .collect()
        })
        .collect()
}

pub(super) const KEYBOARD_ROWS: [&str; 3] = ["qwertyuiop", "asdfghjkl", "zxcvbnm"];

pub(super) fn keyboard_neighbours(a: char, b: char) -> bool {
    let pos = |c: char| {
        KEYBOARD_ROWS
            .iter()
            .enumerate()
            .find_map(|(r, row)| row.find(c).map(|i| (r as i32, i as i32)))
    };
    match (pos(a), pos(b)) {
        (Some((ra, ia)), Some((rb, ib))) => (ra - rb).abs() <= 1 && (ia - ib).abs() <= 1,
        _ => false,
    }
}

pub(super) fn is_vowel(c: char) -> bool {
    "aeiouy".contains(c)
}

/// Classifies a label one edit away from a brand label.
pub(super) fn classify(candidate: &str, brand: &str) -> Option<Technique> {
    let c: Vec<char> = candidate.chars().collect();
    let b: Vec<char> = brand.chars().collect();
    if c.len() + 1 == b.len() {
        return is_deletion(&c, &b).then_some(Technique::Omission);
    }
    if c.len() == b.len() + 1 {
        if !is_deletion(&b, &c) {
            return None;
        }
        let i = (0..b.len()).find(|&i| c[i] != b[i]).unwrap_or(b.len());
        let added = c[i];
        if added == '-' {
            return Some(Technique::Hyphenation);
        }
        if candidate.ends_with('s') && candidate[..candidate.len() - 1] == *brand {
            return Some(Technique::Plural);
        }
        let repeated = (i > 0 && c[i - 1] == added) || c.get(i + 1) == Some(&added);
        return Some(if repeated {
            Technique::Repetition
        } else {
            Technique::Insertion
        });
    }
    if c.len() != b.len() {
        return None;
    }
    let diff: Vec<usize> = (0..c.len()).filter(|&i| c[i] != b[i]).collect();
    match diff.as_slice() {
        [i, j] if *j == i + 1 && c[*i] == b[*j] && c[*j] == b[*i] => Some(Technique::Transposition),
        [i] => {
            let (x, y) = (c[*i], b[*i]);
            Some(if is_vowel(x) && is_vowel(y) {
                Technique::VowelSwap
            } else if keyboard_neighbours(x, y) {
                Technique::KeyboardReplacement
            } else if x.is_ascii() && y.is_ascii() && (x as u8 ^ y as u8).count_ones() == 1 {
                Technique::Bitsquatting
            } else {
                Technique::Replacement
            })
        }
        _ => None,
    }
}

/// Cyrillic and Greek letters that pass for Latin ones in a lower-case domain although
/// UTS #39 does not list them as confusable (its table is strict: `м` is not `m`).
/// These are the ones phishing domains and dnstwist's `cyrillic` fuzzer use.
pub fn loose_latin(c: char) -> Option<char> {
    Some(match c {
        // Cyrillic and Greek
        'ь' | 'Ь' | 'в' => 'b',
        'м' | 'М' => 'm',
        'т' | 'Т' | 'τ' => 't',
        'к' | 'К' | 'κ' => 'k',
        'н' | 'Н' => 'h',
        'п' | 'П' | 'η' => 'n',
        'г' | 'Г' => 'r',
        'и' | 'И' => 'u',
        'ԁ' => 'd',
        'ԍ' => 'g',
        'ӏ' => 'l',
        'ԛ' => 'q',
        'ѵ' | 'ν' => 'v',
        'ԝ' => 'w',
        'ι' => 'i',
        // Latin letters with hooks, strokes, curls and small capitals, which have no
        // decomposition to drop (dnstwist's homoglyph table uses them)
        'ɑ' | 'ə' | 'ǝ' => 'a',
        'ƅ' | 'ʙ' | 'ɓ' => 'b',
        'ᴄ' | 'ƈ' => 'c',
        'ɖ' | 'ɗ' => 'd',
        'ɇ' | 'ᴇ' => 'e',
        'ƒ' => 'f',
        'ɡ' | 'ǥ' | 'ɢ' => 'g',
        'ɦ' | 'ħ' | 'ⱨ' | 'ʜ' => 'h',
        'ɩ' | 'ɪ' | 'ɨ' | 'ı' => 'i',
        'ʝ' | 'ɉ' => 'j',
        'ĸ' | 'ⱪ' | 'ᴋ' => 'k',
        'ł' | 'ɫ' | 'ʟ' => 'l',
        'ᴍ' | 'ɱ' => 'm',
        'ꞑ' | 'ŋ' | 'ɴ' => 'n',
        'ᴏ' | 'ø' => 'o',
        'ƿ' | 'ƥ' | 'ᴘ' => 'p',
        'ʠ' => 'q',
        'ʀ' | 'ɍ' | 'ɾ' | 'ɽ' | 'ɼ' => 'r',
        'ꜱ' | 'ʂ' => 's',
        'ƫ' | 'ŧ' | 'ᴛ' => 't',
        'ᴜ' | 'ʉ' => 'u',
        'ᶌ' | 'ᴠ' | 'ⱴ' | 'ⱱ' => 'v',
        'ᴡ' | 'ⱳ' => 'w',
        'ʏ' | 'ɏ' | 'ƴ' => 'y',
        'ƶ' | 'ⱬ' | 'ᴢ' | 'ʐ' => 'z',
        _ => return None,
    })
}

/// Folds look-alike characters to the letters they imitate: UTS #39 skeleton,
/// diacritics dropped, digits and letter pairs read as letters.
pub(super) fn unconfuse(label: &str) -> String {
    let latin: String = label.chars().map(|c| loose_latin(c).unwrap_or(c)).collect();
    let skeleton: String = unicode_security::confusable_detection::skeleton(&latin).collect();
    let folded = fold(&skeleton);
    let mut out = String::with_capacity(folded.len());
    for c in folded.chars() {
        out.push(match c {
            '0' => 'o',
            '1' => 'l',
            '3' => 'e',
            '4' => 'a',
            '5' => 's',
            '7' => 't',
            '8' => 'b',
            '@' => 'a',
            c => c,
        });
    }
    out.replace("rn", "m").replace("vv", "w").replace("cl", "d")
}

/// A canonical form under which ASCII look-alikes coincide: letter pairs read as one
/// letter ("rn" → m, "lc" → k), then each letter replaced by its class ("u"/"v",
/// "i"/"l"/"1", "o"/"0", "c"/"e", "b"/"d", "m"/"n", …). Two different labels with the
/// same canonical form look alike.
pub(super) fn canonical(label: &str) -> String {
    let mut s = label.to_string();
    for (pair, one) in [
        ("rn", "m"),
        ("nn", "m"),
        ("rr", "m"),
        ("lc", "k"),
        ("lb", "b"),
        ("cl", "d"),
        ("dl", "d"),
        ("vv", "w"),
        ("ii", "u"),
    ] {
        if s.contains(pair) {
            s = s.replace(pair, one);
        }
    }
    s.chars()
        .map(|c| match c {
            'u' => 'v',
            'i' | '1' | '|' | '!' => 'l',
            '0' => 'o',
            'e' | '3' => 'c',
            'd' | '8' | '6' => 'b',
            'n' => 'm',
            'q' | '9' => 'g',
            '5' | '$' => 's',
            '4' | '@' => 'a',
            '7' => 't',
            '2' => 'z',
            c => c,
        })
        .collect()
}
