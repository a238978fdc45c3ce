//! Folding of Vietnamese text for matching: lower case, diacritics removed, đ → d.

use once_cell::sync::Lazy;
use unicode_normalization::char::is_combining_mark;
use unicode_normalization::UnicodeNormalization;

const LATIN: std::ops::RangeInclusive<u32> = 0x00C0..=0x024F;
const LATIN_ADDITIONAL: std::ops::RangeInclusive<u32> = 0x1E00..=0x1EFF;

/// Base letters of the precomposed Latin letters (Latin-1 Supplement, Latin
/// Extended-A/B, Latin Extended Additional: every Vietnamese letter), computed once
/// from their canonical decompositions and indexed by code point.
/// Folded letter per code point of a block (`None`: a mark).
type BlockTable = Vec<Option<char>>;

static BASES: Lazy<(BlockTable, BlockTable)> = Lazy::new(|| {
    let table = |r: std::ops::RangeInclusive<u32>| {
        r.map(|u| char::from_u32(u).and_then(slow_fold_char))
            .collect()
    };
    (table(LATIN), table(LATIN_ADDITIONAL))
});

fn slow_fold_char(c: char) -> Option<char> {
    if c == 'đ' || c == 'Đ' {
        return Some('d');
    }
    let base = c.nfd().find(|d| !is_combining_mark(*d))?;
    base.to_lowercase().next()
}

/// Folds a single character; returns `None` for a combining mark.
pub fn fold_char(c: char) -> Option<char> {
    if c.is_ascii() {
        return Some(c.to_ascii_lowercase());
    }
    let u = c as u32;
    if LATIN.contains(&u) {
        return BASES.0[(u - LATIN.start()) as usize];
    }
    if LATIN_ADDITIONAL.contains(&u) {
        return BASES.1[(u - LATIN_ADDITIONAL.start()) as usize];
    }
    if is_combining_mark(c) {
        return None;
    }
    // A character outside the tables may lower-case into them (Å ANGSTROM SIGN → å):
    // fold that result too, so folding twice changes nothing.
    match c.to_lowercase().next() {
        Some(lower) if lower != c => fold_char(lower),
        other => other,
    }
}

/// Folds text for search and matching: lower case, combining marks dropped,
/// `đ`/`Đ` → `d`. "Lừa ĐẢO" becomes "lua dao"; decomposed input folds the same.
pub fn fold(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if let Some(f) = fold_char(c) {
            out.push(f);
        }
    }
    out
}

/// Removes Vietnamese diacritics and keeps the case: "Lừa ĐẢO" becomes "Lua DAO".
/// What is not a letter (digits, punctuation, emoji) is kept as it is; combining
/// marks are dropped. For texts that must fit the GSM 7-bit SMS alphabet.
pub fn unaccent(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if c.is_ascii() {
            out.push(c);
            continue;
        }
        match fold_char(c) {
            None => {}
            Some(f) if f.is_ascii() && c.is_uppercase() => out.push(f.to_ascii_uppercase()),
            Some(f) if f.is_ascii() => out.push(f),
            Some(_) => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unaccenting_keeps_case_digits_and_other_symbols() {
        assert_eq!(unaccent("Lừa ĐẢO 5 triệu đồng!"), "Lua DAO 5 trieu dong!");
        assert_eq!(unaccent("Đừng chuyển tiền 👍"), "Dung chuyen tien 👍");
        assert_eq!(unaccent("Lu\u{301}a"), "Lua");
    }

    #[test]
    fn folding_removes_vietnamese_diacritics_and_lowercases() {
        assert_eq!(fold("Lừa ĐẢO chiếm đoạt"), "lua dao chiem doat");
        assert_eq!(fold("Đồng Nai"), "dong nai");
    }

    #[test]
    fn characters_that_lower_case_into_latin_letters_fold_fully() {
        assert_eq!(fold("\u{212B}"), "a"); // ANGSTROM SIGN
        assert_eq!(fold("\u{212A}"), "k"); // KELVIN SIGN
    }

    #[test]
    fn decomposed_text_folds_like_precomposed_text() {
        let decomposed: String = "Lừa đảo Ngoại Thương".nfd().collect();
        assert_eq!(fold(&decomposed), "lua dao ngoai thuong");
    }

    #[test]
    fn the_fast_table_agrees_with_canonical_decomposition() {
        for c in (0x00C0u32..=0x024F)
            .chain(0x1E00..=0x1EFF)
            .filter_map(char::from_u32)
        {
            assert_eq!(fold_char(c), slow_fold_char(c), "{c}");
        }
    }
}
