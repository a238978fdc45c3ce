//! Partners (banks, carriers, platforms, other provinces, national systems) and the
//! API keys they call canhgiac with: what a key may do (its scopes), how a key is
//! written and how it is kept (only its SHA-256; the key is shown once).
//!
//! A key is `cgk_` + 8 hex characters of public prefix + `_` + 43 characters of
//! base64url secret (256 random bits). The prefix finds the stored row; the whole key's
//! SHA-256 is compared in constant time. A slow password hash is not needed: the secret
//! is random and as long as the hash, so there is nothing to guess.

use rand::RngCore;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::i18n::Lang;

/// What kind of organisation a partner is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum PartnerKind {
    /// A bank: answers the hold requests addressed to its BIN.
    Bank,
    /// A mobile carrier.
    Carrier,
    /// A platform (social network, e-commerce, app store).
    Platform,
    /// Another province's police.
    Province,
    /// A national system.
    National,
}

impl PartnerKind {
    /// Every kind, in order.
    pub const ALL: [PartnerKind; 5] = [
        PartnerKind::Bank,
        PartnerKind::Carrier,
        PartnerKind::Platform,
        PartnerKind::Province,
        PartnerKind::National,
    ];

    /// The stable name.
    pub fn as_str(self) -> &'static str {
        match self {
            PartnerKind::Bank => "bank",
            PartnerKind::Carrier => "carrier",
            PartnerKind::Platform => "platform",
            PartnerKind::Province => "province",
            PartnerKind::National => "national",
        }
    }

    /// Parses the stable name.
    pub fn parse(s: &str) -> Option<PartnerKind> {
        PartnerKind::ALL.into_iter().find(|k| k.as_str() == s)
    }

    /// Words for people.
    pub fn label(self, lang: Lang) -> &'static str {
        let (vi, en) = match self {
            PartnerKind::Bank => ("Ngân hàng", "Bank"),
            PartnerKind::Carrier => ("Nhà mạng", "Carrier"),
            PartnerKind::Platform => ("Nền tảng", "Platform"),
            PartnerKind::Province => ("Tỉnh, thành khác", "Another province"),
            PartnerKind::National => ("Hệ thống quốc gia", "National system"),
        };
        lang.pick(vi, en)
    }
}

/// One thing a key may do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum KeyScope {
    /// Read verified indicators (exports, feeds, hash prefixes).
    #[serde(rename = "indicators:read")]
    IndicatorsRead,
    /// Submit reports in bulk, with the partner as their source.
    #[serde(rename = "reports:submit")]
    ReportsSubmit,
    /// Answer the hold requests addressed to the partner (banks).
    #[serde(rename = "holds:respond")]
    HoldsRespond,
    /// Submit blocklists.
    #[serde(rename = "blocklist:submit")]
    BlocklistSubmit,
}

impl KeyScope {
    /// Every scope, in order.
    pub const ALL: [KeyScope; 4] = [
        KeyScope::IndicatorsRead,
        KeyScope::ReportsSubmit,
        KeyScope::HoldsRespond,
        KeyScope::BlocklistSubmit,
    ];

    /// The stable name.
    pub fn as_str(self) -> &'static str {
        match self {
            KeyScope::IndicatorsRead => "indicators:read",
            KeyScope::ReportsSubmit => "reports:submit",
            KeyScope::HoldsRespond => "holds:respond",
            KeyScope::BlocklistSubmit => "blocklist:submit",
        }
    }

    /// Parses the stable name.
    pub fn parse(s: &str) -> Option<KeyScope> {
        KeyScope::ALL.into_iter().find(|k| k.as_str() == s)
    }

    fn bit(self) -> u8 {
        1 << (self as u8)
    }

    /// Words for people.
    pub fn label(self, lang: Lang) -> &'static str {
        let (vi, en) = match self {
            KeyScope::IndicatorsRead => ("Đọc định danh đã xác minh", "Read verified indicators"),
            KeyScope::ReportsSubmit => ("Gửi báo cáo", "Submit reports"),
            KeyScope::HoldsRespond => ("Trả lời đề nghị tạm giữ", "Answer hold requests"),
            KeyScope::BlocklistSubmit => ("Gửi danh sách chặn", "Submit blocklists"),
        };
        lang.pick(vi, en)
    }

    /// Whether a partner of `kind` may hold this scope: only banks answer holds.
    pub fn fits(self, kind: PartnerKind) -> bool {
        self != KeyScope::HoldsRespond || kind == PartnerKind::Bank
    }
}

/// A set of scopes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Scopes(u8);

impl Scopes {
    /// No scope.
    pub const NONE: Scopes = Scopes(0);

    /// With `scope` added.
    pub fn with(self, scope: KeyScope) -> Scopes {
        Scopes(self.0 | scope.bit())
    }

    /// Whether `scope` is in the set.
    pub fn has(self, scope: KeyScope) -> bool {
        self.0 & scope.bit() != 0
    }

    /// Whether the set is empty.
    pub fn is_empty(self) -> bool {
        self.0 == 0
    }

    /// The scopes in order.
    pub fn list(self) -> Vec<KeyScope> {
        KeyScope::ALL.into_iter().filter(|s| self.has(*s)).collect()
    }

    /// Space-separated names, as stored.
    pub fn to_text(self) -> String {
        self.list()
            .iter()
            .map(|s| s.as_str())
            .collect::<Vec<_>>()
            .join(" ")
    }

    /// Parses space- or comma-separated names; the unknown ones are answered.
    pub fn parse(text: &str) -> Result<Scopes, String> {
        let mut out = Scopes::NONE;
        for name in text
            .split(|c: char| c.is_whitespace() || c == ',')
            .filter(|s| !s.is_empty())
        {
            out = out.with(KeyScope::parse(name).ok_or_else(|| name.to_string())?);
        }
        Ok(out)
    }
}

/// The start of every key.
pub const KEY_START: &str = "cgk_";
/// Hex characters of the public prefix.
const PREFIX_LEN: usize = 8;
/// base64url characters of 32 random bytes.
const SECRET_LEN: usize = 43;

/// A key as it is handed out once: the whole text, its public prefix and the hash kept.
#[derive(Debug, Clone)]
pub struct NewKey {
    /// The whole key, shown once to the admin.
    pub key: String,
    /// The public prefix (kept, shown in lists and the audit log).
    pub prefix: String,
    /// SHA-256 of the whole key (kept).
    pub hash: [u8; 32],
}

/// Makes a new key.
pub fn new_key() -> NewKey {
    use base64::Engine as _;
    let mut rng = rand::thread_rng();
    let mut prefix = [0u8; PREFIX_LEN / 2];
    rng.fill_bytes(&mut prefix);
    let mut secret = [0u8; 32];
    rng.fill_bytes(&mut secret);
    let prefix = hex::encode(prefix);
    let key = format!(
        "{KEY_START}{prefix}_{}",
        base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(secret)
    );
    NewKey {
        hash: key_hash(&key),
        key,
        prefix,
    }
}

/// SHA-256 of a whole key.
pub fn key_hash(key: &str) -> [u8; 32] {
    Sha256::digest(key.as_bytes()).into()
}

/// The public prefix of a well-formed key; `None` for anything else (which is then
/// refused without a database read).
pub fn key_prefix(key: &str) -> Option<&str> {
    let rest = key.strip_prefix(KEY_START)?;
    let (prefix, secret) = rest.split_once('_')?;
    let well_formed = prefix.len() == PREFIX_LEN
        && prefix
            .bytes()
            .all(|b| b.is_ascii_hexdigit() && !b.is_ascii_uppercase())
        && secret.len() == SECRET_LEN
        && secret
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
    well_formed.then_some(prefix)
}

/// Compares two hashes in time that does not depend on where they differ.
pub fn same_hash(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// A key refused, with the code the API answers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyRefusal {
    /// No key, or not one of ours (401).
    Missing,
    /// Unknown key or wrong secret (401).
    Invalid,
    /// Past its expiry (401).
    Expired,
    /// Revoked by an admin, or its partner disabled (401).
    Revoked,
    /// The key lacks the scope the route needs (403).
    OutOfScope,
}

impl KeyRefusal {
    /// The stable code.
    pub fn code(self) -> &'static str {
        match self {
            KeyRefusal::Missing => "key_missing",
            KeyRefusal::Invalid => "key_invalid",
            KeyRefusal::Expired => "key_expired",
            KeyRefusal::Revoked => "key_revoked",
            KeyRefusal::OutOfScope => "key_out_of_scope",
        }
    }

    /// Whether it is a 403 (the key is good, the route is not for it) rather than 401.
    pub fn is_forbidden(self) -> bool {
        self == KeyRefusal::OutOfScope
    }

    /// Words for people.
    pub fn message(self, lang: Lang) -> &'static str {
        let (vi, en) = match self {
            KeyRefusal::Missing => (
                "Thiếu khóa API: gửi tiêu đề Authorization: Bearer cgk_….",
                "No API key: send the header Authorization: Bearer cgk_….",
            ),
            KeyRefusal::Invalid => ("Khóa API không đúng.", "The API key is not valid."),
            KeyRefusal::Expired => ("Khóa API đã hết hạn.", "The API key has expired."),
            KeyRefusal::Revoked => (
                "Khóa API đã bị thu hồi hoặc đối tác đã bị tạm ngừng.",
                "The API key was revoked or its partner disabled.",
            ),
            KeyRefusal::OutOfScope => (
                "Khóa API không có quyền cho thao tác này.",
                "The API key's scopes do not allow this.",
            ),
        };
        lang.pick(vi, en)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_new_key_is_well_formed_and_hashes_to_what_is_kept() {
        let k = new_key();
        assert_eq!(key_prefix(&k.key), Some(k.prefix.as_str()));
        assert_eq!(k.key.len(), KEY_START.len() + PREFIX_LEN + 1 + SECRET_LEN);
        assert!(same_hash(&key_hash(&k.key), &k.hash));
        let other = new_key();
        assert_ne!(k.key, other.key);
        assert!(!same_hash(&k.hash, &other.hash));
    }

    #[test]
    fn malformed_keys_have_no_prefix() {
        let k = new_key();
        for bad in [
            "",
            "cgk_",
            "Bearer x",
            &k.key[..k.key.len() - 1],
            &k.key.replace("cgk_", "cgx_"),
            &format!("{}!", &k.key[..k.key.len() - 1]),
            &k.key.to_uppercase(),
        ] {
            assert_eq!(key_prefix(bad), None, "{bad}");
        }
    }

    #[test]
    fn scopes_round_trip_and_unknown_names_are_named() {
        let s = Scopes::parse("holds:respond, indicators:read").expect("known");
        assert!(s.has(KeyScope::HoldsRespond) && s.has(KeyScope::IndicatorsRead));
        assert!(!s.has(KeyScope::ReportsSubmit));
        assert_eq!(s.to_text(), "indicators:read holds:respond");
        assert_eq!(Scopes::parse(&s.to_text()), Ok(s));
        assert_eq!(
            Scopes::parse("indicators:write"),
            Err("indicators:write".into())
        );
        assert!(Scopes::parse("").expect("empty").is_empty());
        assert!(!KeyScope::HoldsRespond.fits(PartnerKind::Carrier));
        assert!(KeyScope::HoldsRespond.fits(PartnerKind::Bank));
    }
}
