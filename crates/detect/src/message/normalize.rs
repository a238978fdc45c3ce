//! Message normalisation: the text a scammer wrote, turned into the words a reader
//! sees, while every word keeps its place in the original text.
//!
//! Steps, in order, per character of the original:
//! - invisible characters (zero-width spaces and joiners, soft hyphens, bidi marks:
//!   Unicode's default-ignorable code points) are dropped;
//! - Vietnamese letters are folded: lower case, diacritics dropped, `đ` → `d`;
//!   decomposed input (letter + combining marks) folds the same as precomposed;
//! - letters of other scripts that imitate Latin ones (Cyrillic `а`, Greek `ο`) are
//!   folded through their UTS #39 skeleton;
//!
//! then per word:
//! - letters written apart (`v.i.e.t.c.o.m.b.a.n.k`, `n h ậ n  t h ư ở n g`) are
//!   joined back into words;
//! - teencode and abbreviations are expanded (`ck` → `chuyen khoan`, `stk` →
//!   `so tai khoan`, `ko` → `khong`, ...).
//!
//! Spans are in characters of the original text, so a client can highlight them.

use canhgiac_core::fold::fold_char;
use compact_str::CompactString;

/// A message is cut to this many characters before analysis.
pub const MAX_MESSAGE_CHARS: usize = 5_000;

/// One word of the normalised message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Token {
    /// Folded text: lower-case ASCII letters and digits for Vietnamese input (kept
    /// inline, without an allocation, up to 24 bytes).
    pub text: CompactString,
    /// First character in the original text.
    pub start: usize,
    /// One past the last character in the original text.
    pub end: usize,
}

/// A trick to slip past filters, found while normalising.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Evasion {
    /// Letters written apart: `v.i.e.t.c.o.m.b.a.n.k`.
    SpacedLetters,
    /// Invisible characters inside words.
    InvisibleCharacters,
    /// Letters of another script that look Latin, inside Latin words.
    MixedScript,
}

impl Evasion {
    /// Stable key.
    pub fn key(self) -> &'static str {
        match self {
            Evasion::SpacedLetters => "spaced_letters",
            Evasion::InvisibleCharacters => "invisible_characters",
            Evasion::MixedScript => "mixed_script",
        }
    }
}

/// The normalised message.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Normalized {
    /// The words, in order.
    pub tokens: Vec<Token>,
    /// Tricks found, with their spans in the original text.
    pub evasions: Vec<(Evasion, usize, usize)>,
}

impl Normalized {
    /// The words joined into one line. Normalising this text gives the same words
    /// (two single-character words are kept two spaces apart so that they are not
    /// taken for spaced-out letters).
    pub fn text(&self) -> String {
        let mut out = String::new();
        for (i, t) in self.tokens.iter().enumerate() {
            if i > 0 {
                let single = |t: &Token| t.text.chars().count() == 1;
                out.push_str(if single(&self.tokens[i - 1]) && single(t) {
                    "  "
                } else {
                    " "
                });
            }
            out.push_str(&t.text);
        }
        out
    }
}

/// Default-ignorable code points (Unicode DerivedCoreProperties): never visible.
fn is_invisible(c: char) -> bool {
    matches!(c as u32,
        0x00AD | 0x034F | 0x061C | 0x115F..=0x1160 | 0x17B4..=0x17B5 | 0x180B..=0x180F
        | 0x200B..=0x200F | 0x202A..=0x202E | 0x2060..=0x206F | 0x3164 | 0xFE00..=0xFE0F
        | 0xFEFF | 0xFFA0 | 0xFFF0..=0xFFF8 | 0x1BCA0..=0x1BCA3 | 0x1D173..=0x1D17A
        | 0xE0000..=0xE0FFF)
}

/// Separators that scammers put between the letters of a word.
fn is_letter_separator(c: char) -> bool {
    matches!(c, ' ' | '.' | '-' | '_' | '*' | '·' | '\u{a0}')
}

/// What one original character becomes.
enum Unit {
    /// Part of a word (one or, for some look-alikes, two folded characters).
    Word([char; 2], u8, bool),
    /// Between words.
    Gap(char),
    /// Dropped without a trace (combining mark).
    Mark,
    /// Dropped, and worth noting.
    Invisible,
}

fn classify(c: char) -> Unit {
    if c.is_ascii() {
        return if c.is_ascii_alphanumeric() {
            Unit::Word([c.to_ascii_lowercase(), ' '], 1, false)
        } else {
            Unit::Gap(c)
        };
    }
    if is_invisible(c) {
        return Unit::Invisible;
    }
    match fold_char(c) {
        None => Unit::Mark,
        Some(f) if f.is_ascii_alphanumeric() => Unit::Word([f, ' '], 1, false),
        Some(f) if f.is_alphanumeric() => {
            if let Some(l) = crate::lookalike::loose_latin(f) {
                return Unit::Word([l, ' '], 1, true);
            }
            // Another script: fold a Latin look-alike through its skeleton.
            let mut buf = [0u8; 4];
            let mut skeleton =
                unicode_security::confusable_detection::skeleton(f.encode_utf8(&mut buf));
            match (skeleton.next(), skeleton.next(), skeleton.next()) {
                (Some(a), None, _) if a.is_ascii_alphanumeric() => {
                    Unit::Word([a.to_ascii_lowercase(), ' '], 1, true)
                }
                (Some(a), Some(b), None)
                    if a.is_ascii_alphanumeric() && b.is_ascii_alphanumeric() =>
                {
                    Unit::Word([a.to_ascii_lowercase(), b.to_ascii_lowercase()], 2, true)
                }
                _ => Unit::Word([f, ' '], 1, false),
            }
        }
        Some(f) => Unit::Gap(f),
    }
}

/// A word before spaced letters are joined and teencode is expanded.
struct RawWord {
    text: CompactString,
    start: usize,
    end: usize,
    /// The characters between this word and the previous one.
    gap: GapKind,
    lookalike: bool,
    /// Has letters that are Latin to begin with.
    latin: bool,
    invisible: bool,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum GapKind {
    /// One letter separator.
    Single,
    /// Anything wider.
    Wide,
}

fn raw_words(text: &str) -> Vec<RawWord> {
    let mut words: Vec<RawWord> = Vec::new();
    let mut current: Option<RawWord> = None;
    let mut gap_len = 0usize;
    let mut gap_single_sep = true;
    let mut pending_invisible = false;
    // the current word's letters, copied into it once it ends
    let mut letters = String::with_capacity(32);
    for (i, c) in text.chars().take(MAX_MESSAGE_CHARS).enumerate() {
        match classify(c) {
            Unit::Word(chars, n, lookalike) => {
                let word = current.get_or_insert_with(|| RawWord {
                    text: CompactString::default(),
                    start: i,
                    end: i,
                    gap: if gap_len == 1 && gap_single_sep {
                        GapKind::Single
                    } else {
                        GapKind::Wide
                    },
                    lookalike: false,
                    latin: false,
                    invisible: false,
                });
                if pending_invisible && !letters.is_empty() {
                    word.invisible = true;
                }
                pending_invisible = false;
                for &ch in &chars[..n as usize] {
                    letters.push(ch);
                }
                word.end = i + 1;
                word.lookalike |= lookalike;
                word.latin |= !lookalike && chars[0].is_ascii_alphabetic();
            }
            Unit::Mark => {}
            Unit::Invisible => pending_invisible = true,
            Unit::Gap(g) => {
                if let Some(mut w) = current.take() {
                    w.text = CompactString::new(&letters);
                    letters.clear();
                    words.push(w);
                    gap_len = 0;
                    gap_single_sep = true;
                }
                pending_invisible = false;
                gap_len += 1;
                gap_single_sep &= is_letter_separator(g);
            }
        }
    }
    if let Some(mut w) = current {
        w.text = CompactString::new(&letters);
        words.push(w);
    }
    words
}

/// Teencode and abbreviations, folded, with what they stand for (sorted by the
/// short form, which is looked up by binary search).
const EXPANSIONS: &[(&str, &[&str])] = &[
    ("chkhoan", &["chuyen", "khoan"]),
    ("ck", &["chuyen", "khoan"]),
    ("ctv", &["cong", "tac", "vien"]),
    ("cty", &["cong", "ty"]),
    ("dc", &["duoc"]),
    ("dt", &["dien", "thoai"]),
    ("hok", &["khong"]),
    ("ib", &["inbox"]),
    ("inb", &["inbox"]),
    ("j", &["gi"]),
    ("k", &["khong"]),
    ("kg", &["khong"]),
    ("kh", &["khong"]),
    ("khg", &["khong"]),
    ("ko", &["khong"]),
    ("mn", &["moi", "nguoi"]),
    ("ngh", &["ngan", "hang"]),
    ("nh", &["ngan", "hang"]),
    ("nt", &["nhan", "tin"]),
    ("ntn", &["nhu", "the", "nao"]),
    ("nv", &["nhan", "vien"]),
    ("qk", &["quy", "khach"]),
    ("sdt", &["so", "dien", "thoai"]),
    ("stk", &["so", "tai", "khoan"]),
    ("tb", &["thong", "bao"]),
    ("tk", &["tai", "khoan"]),
    ("tkhoan", &["tai", "khoan"]),
    ("tr", &["trieu"]),
    ("vs", &["voi"]),
    ("zl", &["zalo"]),
];

/// FNV-1a for the short words looked up in [`EXPANSION_INDEX`] (SipHash costs more
/// than the rest of a word's normalisation).
#[derive(Default)]
struct ShortWordHasher(u64);

impl std::hash::Hasher for ShortWordHasher {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        let start = if self.0 == 0 {
            super::features::FNV_OFFSET
        } else {
            self.0
        };
        self.0 = super::features::fnv(start, bytes);
    }
}

type ExpansionIndex = std::collections::HashMap<
    &'static str,
    &'static [&'static str],
    std::hash::BuildHasherDefault<ShortWordHasher>,
>;

static EXPANSION_INDEX: once_cell::sync::Lazy<ExpansionIndex> =
    once_cell::sync::Lazy::new(|| EXPANSIONS.iter().copied().collect());

fn expansion(word: &str) -> Option<&'static [&'static str]> {
    if word.len() > 7 {
        return None;
    }
    EXPANSION_INDEX.get(word).copied()
}

/// Normalises a message. Never fails; text beyond [`MAX_MESSAGE_CHARS`] is ignored.
pub fn normalize(text: &str) -> Normalized {
    let mut words = raw_words(text);
    let mut out = Normalized::default();
    let mut i = 0;
    while i < words.len() {
        let w = &words[i];
        if w.invisible {
            out.evasions
                .push((Evasion::InvisibleCharacters, w.start, w.end));
        }
        // look-alike letters inside a Latin word: a Russian word is not a trick
        if w.lookalike && w.latin && w.text.chars().count() > 1 {
            out.evasions.push((Evasion::MixedScript, w.start, w.end));
        }
        // Letters written apart: three or more one-character words, one separator apart.
        let mut j = i;
        while j < words.len()
            && words[j].text.chars().count() == 1
            && (j == i || words[j].gap == GapKind::Single)
        {
            j += 1;
        }
        if j - i >= 3 {
            let joined: CompactString = words[i..j].iter().map(|w| w.text.as_str()).collect();
            let (start, end) = (words[i].start, words[j - 1].end);
            if joined.chars().any(|c| c.is_alphabetic()) {
                out.evasions.push((Evasion::SpacedLetters, start, end));
            }
            push_expanded(&mut out.tokens, joined, start, end);
            i = j;
            continue;
        }
        let (start, end) = (w.start, w.end);
        push_expanded(
            &mut out.tokens,
            std::mem::take(&mut words[i].text),
            start,
            end,
        );
        i += 1;
    }
    out
}

fn push_expanded(tokens: &mut Vec<Token>, text: CompactString, start: usize, end: usize) {
    match expansion(&text) {
        Some(parts) => tokens.extend(parts.iter().map(|p| Token {
            text: CompactString::const_new(p),
            start,
            end,
        })),
        None => tokens.push(Token { text, start, end }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(text: &str) -> Vec<String> {
        normalize(text)
            .tokens
            .into_iter()
            .map(|t| t.text.to_string())
            .collect()
    }

    #[test]
    fn every_short_form_expands_to_longer_words() {
        assert!(EXPANSIONS.windows(2).all(|w| w[0].0 < w[1].0), "sorted");
        for (k, v) in EXPANSIONS {
            assert!(v.iter().all(|w| expansion(w).is_none()), "{k}");
            assert_eq!(expansion(k), Some(*v));
        }
    }

    #[test]
    fn diacritics_case_and_d_are_folded() {
        assert_eq!(
            words("Lừa ĐẢO chuyển khoản"),
            ["lua", "dao", "chuyen", "khoan"]
        );
        // decomposed input folds the same
        assert_eq!(words("Lu\u{301}a"), words("Lúa"));
    }

    #[test]
    fn invisible_characters_are_dropped_and_noted() {
        let n = normalize("vie\u{200b}tcom\u{200c}bank");
        assert_eq!(n.tokens[0].text, "vietcombank");
        assert_eq!(n.evasions[0].0, Evasion::InvisibleCharacters);
        assert_eq!((n.tokens[0].start, n.tokens[0].end), (0, 13));
    }

    #[test]
    fn cyrillic_lookalikes_fold_to_latin() {
        let n = normalize("Vаy tiền оnline"); // Cyrillic а and о
        assert_eq!(n.tokens[0].text, "vay");
        assert_eq!(n.tokens[2].text, "online");
        assert!(n.evasions.iter().any(|e| e.0 == Evasion::MixedScript));
        // a word wholly in another script is not a trick
        assert!(normalize("Привет").evasions.is_empty());
    }

    #[test]
    fn letters_written_apart_are_joined_with_their_span() {
        let text = "truy cập v.i.e.t.c.o.m.b.a.n.k ngay";
        let n = normalize(text);
        let t = &n.tokens[2];
        assert_eq!(t.text, "vietcombank");
        let original: String = text.chars().skip(t.start).take(t.end - t.start).collect();
        assert_eq!(original, "v.i.e.t.c.o.m.b.a.n.k");
        assert_eq!(words("n h ậ n  t h ư ở n g"), ["nhan", "thuong"]);
    }

    #[test]
    fn teencode_is_expanded_and_keeps_the_span_of_the_short_form() {
        let n = normalize("ck vào stk nhé, ko đc thì zl");
        let texts: Vec<&str> = n.tokens.iter().map(|t| t.text.as_str()).collect();
        assert_eq!(
            texts,
            [
                "chuyen", "khoan", "vao", "so", "tai", "khoan", "nhe", "khong", "duoc", "thi",
                "zalo"
            ]
        );
        assert_eq!((n.tokens[0].start, n.tokens[0].end), (0, 2));
    }

    #[test]
    fn normalising_twice_changes_nothing() {
        for text in [
            "a b c",
            "x  y  z w",
            "Ck 500k cho e nha, stk 0123456789 VCB",
            "n h ậ n  t h ư ở n g",
        ] {
            let once = normalize(text).text();
            assert_eq!(normalize(&once).text(), once, "{text}");
        }
    }
}
