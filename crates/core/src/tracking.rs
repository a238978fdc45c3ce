//! Tracking codes and secrets given to reporters.
//!
//! A code is short, easy to read aloud over the phone and free of look-alike
//! characters (no 0/O, 1/I/L, no U/V pair confusion); the secret proves that the
//! holder is the reporter.

use rand::Rng;

/// Characters used: digits 2-9 and capitals without I, L, O, U.
pub const ALPHABET: &[u8] = b"23456789ABCDEFGHJKMNPQRSTVWXYZ";
const CODE_LEN: usize = 8;
const SECRET_LEN: usize = 16;

/// A report's public tracking code, `CG-XXXX-XXXX`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct TrackingCode(String);

/// Why a text is not a tracking code.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("not a tracking code")]
pub struct TrackingCodeError;

impl TrackingCode {
    /// A new random code.
    pub fn generate() -> TrackingCode {
        let mut rng = rand::thread_rng();
        let chars: String = (0..CODE_LEN)
            .map(|_| char::from(ALPHABET[rng.gen_range(0..ALPHABET.len())]))
            .collect();
        TrackingCode(format!("CG-{}-{}", &chars[..4], &chars[4..]))
    }

    /// Parses a code as a person may type it: any case, with or without `CG-`,
    /// dashes and spaces.
    pub fn parse(text: &str) -> Result<TrackingCode, TrackingCodeError> {
        let upper = text.trim().to_ascii_uppercase();
        let body = upper.strip_prefix("CG").unwrap_or(&upper);
        let chars: String = body.chars().filter(|c| *c != '-' && *c != ' ').collect();
        if chars.len() != CODE_LEN || !chars.bytes().all(|b| ALPHABET.contains(&b)) {
            return Err(TrackingCodeError);
        }
        Ok(TrackingCode(format!("CG-{}-{}", &chars[..4], &chars[4..])))
    }

    /// The canonical form.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Display for TrackingCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// A new code for a request for review (dispute), `KN-XXXX-XXXX-XXXX` (about 59 bits:
/// it alone opens the outcome).
pub fn generate_dispute_code() -> String {
    let mut rng = rand::thread_rng();
    let chars: String = (0..12)
        .map(|_| char::from(ALPHABET[rng.gen_range(0..ALPHABET.len())]))
        .collect();
    format!("KN-{}-{}-{}", &chars[..4], &chars[4..8], &chars[8..])
}

/// Parses a dispute code as typed (any case, with or without `KN-`, dashes, spaces).
pub fn parse_dispute_code(text: &str) -> Option<String> {
    let upper = text.trim().to_ascii_uppercase();
    let body = upper.strip_prefix("KN").unwrap_or(&upper);
    let chars: String = body.chars().filter(|c| *c != '-' && *c != ' ').collect();
    (chars.len() == 12 && chars.bytes().all(|b| ALPHABET.contains(&b)))
        .then(|| format!("KN-{}-{}-{}", &chars[..4], &chars[4..8], &chars[8..]))
}

/// A new random secret for a report (about 78 bits).
pub fn generate_secret() -> String {
    let mut rng = rand::thread_rng();
    (0..SECRET_LEN)
        .map(|_| char::from(ALPHABET[rng.gen_range(0..ALPHABET.len())]))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dispute_codes_parse_back_as_typed() {
        let code = generate_dispute_code();
        assert_eq!(parse_dispute_code(&code).as_deref(), Some(code.as_str()));
        assert_eq!(
            parse_dispute_code(&code.to_lowercase().replace('-', " ")).as_deref(),
            Some(code.as_str())
        );
        assert_eq!(parse_dispute_code("KN-0000-0000-0000"), None);
        assert_eq!(parse_dispute_code("CG-ABCD-EFGH"), None);
    }

    #[test]
    fn generated_codes_parse_back_to_themselves() {
        for _ in 0..100 {
            let code = TrackingCode::generate();
            assert_eq!(TrackingCode::parse(code.as_str()), Ok(code.clone()));
            assert_eq!(
                TrackingCode::parse(&code.as_str().to_lowercase().replace('-', "")),
                Ok(code)
            );
        }
    }

    #[test]
    fn codes_have_no_ambiguous_characters() {
        for c in [b'0', b'O', b'1', b'I', b'L', b'U'] {
            assert!(!ALPHABET.contains(&c));
        }
        assert!(TrackingCode::parse("CG-0O1I-2345").is_err());
        assert!(TrackingCode::parse("CG-2345").is_err());
    }
}
