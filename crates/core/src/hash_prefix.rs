//! Privacy-preserving lookups in the style of Safe Browsing v4: a client hashes the
//! normalised identifier with the deployment's salt (SHA-256 of the salt's bytes
//! followed by the lookup key's), sends only the first 4 bytes, and compares the full
//! hashes it gets back on its own side. The server never learns which of the
//! identifiers sharing a prefix (about 1 in 4 billion per listed one) was checked.
//! The normalisation is the lookup key's (`docs/hash-prefix.md`); the reference
//! client in `contrib/hashprefix/` computes the same.

use sha2::{Digest, Sha256};

use crate::ident::IdentifierKind;

/// The kinds that can be looked up by hash prefix.
pub const HASHED_KINDS: [IdentifierKind; 3] = [
    IdentifierKind::Phone,
    IdentifierKind::BankAccount,
    IdentifierKind::Url,
];

/// Bytes of a prefix.
pub const PREFIX_BYTES: usize = 4;

/// Whether a lookup key (`phone:+84…`) is of a hashed kind.
pub fn is_hashed_key(key: &str) -> bool {
    HASHED_KINDS.iter().any(|k| {
        key.strip_prefix(k.as_str())
            .is_some_and(|rest| rest.starts_with(':'))
    })
}

/// The full hash of a lookup key under a salt.
pub fn full_hash(salt: &str, key: &str) -> [u8; 32] {
    let mut h = Sha256::new();
    h.update(salt.as_bytes());
    h.update(key.as_bytes());
    h.finalize().into()
}

/// The first 4 bytes of a hash, big-endian.
pub fn prefix_of(hash: &[u8; 32]) -> u32 {
    u32::from_be_bytes([hash[0], hash[1], hash[2], hash[3]])
}

/// A prefix written as 8 hexadecimal digits (either case).
pub fn parse_prefix(text: &str) -> Option<u32> {
    if text.len() != PREFIX_BYTES * 2 || !text.bytes().all(|b| b.is_ascii_hexdigit()) {
        return None;
    }
    u32::from_str_radix(text, 16).ok()
}

/// Sorted prefixes as the bytes of a list (4 bytes each, big-endian).
pub fn prefix_bytes(prefixes: &[u32]) -> Vec<u8> {
    prefixes.iter().flat_map(|p| p.to_be_bytes()).collect()
}

/// The SHA-256 of a sorted list's bytes: a client checks the list it holds with it.
pub fn list_checksum(prefixes: &[u32]) -> [u8; 32] {
    let mut h = Sha256::new();
    for p in prefixes {
        h.update(p.to_be_bytes());
    }
    h.finalize().into()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Identifier;

    #[test]
    fn the_hash_is_of_the_salt_then_the_key() {
        let salt = "canhgiac-hp-v1:00112233445566778899aabbccddeeff:";
        let key = Identifier::parse_as(IdentifierKind::Phone, "0912 345 678", None)
            .expect("phone")
            .key();
        let mut joined = Sha256::new();
        joined.update(format!("{salt}{key}").as_bytes());
        let expected: [u8; 32] = joined.finalize().into();
        assert_eq!(full_hash(salt, &key), expected);
        assert_ne!(full_hash("other:", &key), expected);
        assert_eq!(prefix_of(&expected).to_be_bytes(), expected[..4]);
    }

    #[test]
    fn prefixes_are_eight_hex_digits() {
        assert_eq!(parse_prefix("0a0B0c0D"), Some(0x0a0b0c0d));
        assert_eq!(parse_prefix("0a0b0c0"), None);
        assert_eq!(parse_prefix("0a0b0c0g"), None);
        assert_eq!(parse_prefix("+a0b0c0d"), None);
        assert_eq!(
            prefix_bytes(&[1, 0x0102_0304]),
            vec![0, 0, 0, 1, 1, 2, 3, 4]
        );
    }

    #[test]
    fn only_phones_accounts_and_websites_are_hashed() {
        assert!(is_hashed_key("phone:+84912345678"));
        assert!(is_hashed_key("bank_account:970436:0123456789"));
        assert!(is_hashed_key("url:lua-dao.vn"));
        assert!(!is_hashed_key("email:a@b.vn"));
        assert!(!is_hashed_key("phoney:1"));
    }
}
