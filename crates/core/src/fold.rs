//! Folding of Vietnamese text for matching: lower case, diacritics removed, đ → d.

use unicode_normalization::char::is_combining_mark;
use unicode_normalization::UnicodeNormalization;

/// Folds text for search and matching: NFD, combining marks dropped, lower case,
/// `đ`/`Đ` → `d`. "Lừa ĐẢO" becomes "lua dao".
pub fn fold(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.nfd() {
        if is_combining_mark(c) {
            continue;
        }
        match c {
            'đ' | 'Đ' => out.push('d'),
            _ => out.extend(c.to_lowercase()),
        }
    }
    out
}

/// Folds a single character; returns `None` for a combining mark.
pub fn fold_char(c: char) -> Option<char> {
    if c == 'đ' || c == 'Đ' {
        return Some('d');
    }
    let base = c.nfd().find(|d| !is_combining_mark(*d))?;
    base.to_lowercase().next()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folding_removes_vietnamese_diacritics_and_lowercases() {
        assert_eq!(fold("Lừa ĐẢO chiếm đoạt"), "lua dao chiem doat");
        assert_eq!(fold("Đồng Nai"), "dong nai");
    }

    #[test]
    fn folding_a_single_character_matches_folding_text() {
        for c in "ắằẳẵặĂÂÊÔƠƯđĐ".chars() {
            assert_eq!(
                fold_char(c).map(String::from).unwrap_or_default(),
                fold(&c.to_string())
            );
        }
    }
}
