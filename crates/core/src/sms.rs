//! SMS length: which alphabet a text needs and how many segments it takes.
//!
//! A text that fits the GSM 7-bit default alphabet (3GPP TS 23.038) is sent in
//! septets: 160 in one message, 153 per segment once it must be split (the rest of
//! each segment holds the concatenation header). Characters of the alphabet's
//! extension table (`€ [ ] { } \ ^ ~ |` and form feed) take two septets, and an
//! escape pair is never split across segments. Any other character, Vietnamese
//! letters with diacritics among them, makes the whole text UCS-2: 70 UTF-16 code
//! units in one message, 67 per segment; an emoji outside the Basic Multilingual
//! Plane takes two units, and a surrogate pair is never split either.

use serde::Serialize;

/// The alphabet a text is sent in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Encoding {
    /// GSM 7-bit default alphabet.
    Gsm7,
    /// UCS-2 (UTF-16).
    Ucs2,
}

impl Encoding {
    /// Units in a message sent whole.
    pub fn single_capacity(self) -> usize {
        match self {
            Encoding::Gsm7 => 160,
            Encoding::Ucs2 => 70,
        }
    }

    /// Units per segment of a split message.
    pub fn segment_capacity(self) -> usize {
        match self {
            Encoding::Gsm7 => 153,
            Encoding::Ucs2 => 67,
        }
    }

    /// For people.
    pub fn label(self) -> &'static str {
        match self {
            Encoding::Gsm7 => "GSM-7",
            Encoding::Ucs2 => "UCS-2",
        }
    }
}

/// How long a text is as SMS.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct SmsLength {
    /// The alphabet.
    pub encoding: Encoding,
    /// Septets (GSM-7) or UTF-16 code units (UCS-2).
    pub units: usize,
    /// Segments it is sent in (0 for an empty text).
    pub segments: usize,
    /// Units still free in the last segment.
    pub remaining: usize,
}

/// The GSM 7-bit default alphabet, basic table.
const GSM7_BASIC: &str = "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà";
/// The extension table: each takes an escape septet and its own.
const GSM7_EXTENSION: &str = "\u{c}^{}\\[~]|€";

/// Septets one character takes in GSM-7, or `None` when it is not in the alphabet.
pub fn gsm7_septets(c: char) -> Option<usize> {
    if GSM7_BASIC.contains(c) {
        Some(1)
    } else if GSM7_EXTENSION.contains(c) {
        Some(2)
    } else {
        None
    }
}

/// Whether the whole text fits the GSM 7-bit alphabet.
pub fn is_gsm7(text: &str) -> bool {
    text.chars().all(|c| gsm7_septets(c).is_some())
}

/// The SMS length of a text.
pub fn length(text: &str) -> SmsLength {
    let (encoding, costs): (Encoding, Vec<usize>) = if is_gsm7(text) {
        (
            Encoding::Gsm7,
            text.chars().map(|c| gsm7_septets(c).unwrap_or(1)).collect(),
        )
    } else {
        (Encoding::Ucs2, text.chars().map(char::len_utf16).collect())
    };
    let units: usize = costs.iter().sum();
    if units == 0 {
        return SmsLength {
            encoding,
            units,
            segments: 0,
            remaining: encoding.single_capacity(),
        };
    }
    if units <= encoding.single_capacity() {
        return SmsLength {
            encoding,
            units,
            segments: 1,
            remaining: encoding.single_capacity() - units,
        };
    }
    // Split: fill each segment with whole characters.
    let capacity = encoding.segment_capacity();
    let mut segments = 1;
    let mut used = 0;
    for cost in costs {
        if used + cost > capacity {
            segments += 1;
            used = 0;
        }
        used += cost;
    }
    SmsLength {
        encoding,
        units,
        segments,
        remaining: capacity - used,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn seg(text: &str) -> (Encoding, usize, usize) {
        let l = length(text);
        (l.encoding, l.units, l.segments)
    }

    #[test]
    fn plain_text_is_gsm7_160_then_153_per_segment() {
        assert_eq!(seg(""), (Encoding::Gsm7, 0, 0));
        assert_eq!(seg(&"a".repeat(160)), (Encoding::Gsm7, 160, 1));
        assert_eq!(seg(&"a".repeat(161)), (Encoding::Gsm7, 161, 2));
        assert_eq!(seg(&"a".repeat(306)), (Encoding::Gsm7, 306, 2));
        assert_eq!(seg(&"a".repeat(307)), (Encoding::Gsm7, 307, 3));
        assert_eq!(length(&"a".repeat(150)).remaining, 10);
    }

    #[test]
    fn extension_characters_take_two_septets_and_are_not_split() {
        assert_eq!(seg(&"€".repeat(80)), (Encoding::Gsm7, 160, 1));
        assert_eq!(seg(&"€".repeat(81)), (Encoding::Gsm7, 162, 2));
        // 152 letters and a euro sign: the escape pair would straddle segment 1's
        // last septet, so it moves to segment 2 (152 + 2 + ... fits in 2).
        let text = format!("{}€{}", "a".repeat(152), "b".repeat(10));
        assert_eq!(seg(&text), (Encoding::Gsm7, 164, 2));
        assert_eq!(length(&text).remaining, 153 - 12);
    }

    #[test]
    fn vietnamese_diacritics_make_the_text_ucs2_70_then_67() {
        assert_eq!(seg(&"ả".repeat(70)), (Encoding::Ucs2, 70, 1));
        assert_eq!(seg(&"ả".repeat(71)), (Encoding::Ucs2, 71, 2));
        assert_eq!(seg(&"ả".repeat(134)), (Encoding::Ucs2, 134, 2));
        assert_eq!(seg(&"ả".repeat(135)), (Encoding::Ucs2, 135, 3));
        // one accented letter is enough
        assert_eq!(seg("Canh giác").0, Encoding::Ucs2);
        // à is in the GSM alphabet, ả and đ are not
        assert_eq!(seg("à").0, Encoding::Gsm7);
        assert_eq!(seg("đ").0, Encoding::Ucs2);
    }

    #[test]
    fn emoji_take_two_units_and_a_pair_is_never_split() {
        assert_eq!(seg(&"😀".repeat(35)), (Encoding::Ucs2, 70, 1));
        // 36 emoji = 72 units: 33 fit in a 67-unit segment (66 units), the 34th
        // would straddle, so 33 + 3
        assert_eq!(seg(&"😀".repeat(36)), (Encoding::Ucs2, 72, 2));
        assert_eq!(length(&"😀".repeat(36)).remaining, 67 - 6);
        assert_eq!(seg(&"😀".repeat(67)), (Encoding::Ucs2, 134, 3));
        // "Chú ý 😀" = 5 letters + space + 2 units
        assert_eq!(seg("Chú ý 😀"), (Encoding::Ucs2, 8, 1));
    }
}
