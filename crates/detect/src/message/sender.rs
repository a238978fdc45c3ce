//! Who sent a message: an SMS brandname ("Viettel", "VCB"), a short code ("191"), a
//! phone number, or a Zalo/Facebook account; and what the official list
//! (`data/official-senders.json`) says of it.
//!
//! A known brandname or short code is a strong sign of a normal message when the
//! message carries no red flag and only official links. It never vouches for a
//! lookalike link: fake base stations inject messages under real brandnames. A
//! personal or foreign number that claims to be a bank, a carrier or the police is a
//! strong red flag.

use std::collections::HashMap;

use canhgiac_core::i18n::Lang;
use canhgiac_core::ident::phone::{PhoneNumber, PhoneType};
use once_cell::sync::Lazy;
use serde::{Deserialize, Serialize};

const SENDERS_JSON: &str = include_str!("../../../../data/official-senders.json");

/// Longest sender accepted (a brandname has at most 11 characters on the networks; an
/// account address is longer).
pub const MAX_SENDER_CHARS: usize = 100;

/// What kind of sender.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum SenderKind {
    /// An SMS brandname (alphanumeric sender).
    Brandname,
    /// A carrier or service short code (3–5 digits) or a 1800/1900 hotline.
    ShortCode,
    /// A Vietnamese subscriber number (mobile or fixed line).
    Phone,
    /// A number outside Vietnam.
    ForeignPhone,
    /// A Zalo, Facebook or Telegram account.
    Account,
}

/// A sender as given, classified.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Sender {
    /// The kind.
    pub kind: SenderKind,
    /// As shown to people (a phone in national form).
    pub display: String,
    /// The protected brand this official sender belongs to, when it is on the list.
    pub official_brand: Option<String>,
}

/// Why a sender is refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SenderError {
    /// Longer than [`MAX_SENDER_CHARS`].
    #[error("sender too long")]
    TooLong,
    /// Digits that are neither a short code nor a valid phone number.
    #[error("not a valid phone number or short code")]
    BadNumber,
    /// Not a brandname, short code, phone or account.
    #[error("not a brandname, short code, phone number or account")]
    Unrecognised,
}

impl SenderError {
    /// Stable code.
    pub fn code(&self) -> &'static str {
        match self {
            SenderError::TooLong => "sender_too_long",
            SenderError::BadNumber => "sender_bad_number",
            SenderError::Unrecognised => "sender_unrecognised",
        }
    }

    /// For people.
    pub fn message(&self, lang: Lang) -> String {
        match (self, lang) {
            (SenderError::TooLong, Lang::Vi) => {
                format!("Người gửi dài quá {MAX_SENDER_CHARS} ký tự.")
            }
            (SenderError::TooLong, Lang::En) => {
                format!("The sender is longer than {MAX_SENDER_CHARS} characters.")
            }
            (SenderError::BadNumber, Lang::Vi) => "Người gửi là dãy số nhưng không phải đầu số ngắn (3–5 chữ số), tổng đài 1800/1900 hay số điện thoại hợp lệ.".into(),
            (SenderError::BadNumber, Lang::En) => "The sender is a number but not a short code (3–5 digits), a 1800/1900 hotline or a valid phone number.".into(),
            (SenderError::Unrecognised, Lang::Vi) => "Người gửi phải là tên thương hiệu (ví dụ Viettel, VCB), đầu số ngắn (191), số điện thoại hoặc tài khoản Zalo/Facebook (zalo:0912345678, facebook.com/ten).".into(),
            (SenderError::Unrecognised, Lang::En) => "The sender must be a brandname (e.g. Viettel, VCB), a short code (191), a phone number or a Zalo/Facebook account (zalo:0912345678, facebook.com/name).".into(),
        }
    }
}

#[derive(Deserialize)]
struct Entry {
    sender: String,
    brand: Option<String>,
}

#[derive(Deserialize)]
struct File {
    senders: Vec<Entry>,
}

/// Official senders by their folded key (lower-case letters and digits only).
static OFFICIAL: Lazy<HashMap<String, Option<String>>> = Lazy::new(|| {
    serde_json::from_str::<File>(SENDERS_JSON)
        .map(|f| f.senders)
        .unwrap_or_default()
        .into_iter()
        .map(|e| (key_of(&e.sender), e.brand))
        .collect()
});

fn key_of(s: &str) -> String {
    s.chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .map(|c| c.to_ascii_lowercase())
        .collect()
}

/// Whether a number in the text ("gửi 191", "gọi 1900545413") is an official short
/// code or hotline.
pub fn official_number(digits: &str) -> bool {
    OFFICIAL.contains_key(digits) && digits.bytes().all(|b| b.is_ascii_digit())
}

fn official_brand(key: &str) -> Option<String> {
    OFFICIAL
        .get(key)
        .map(|b| b.clone().unwrap_or_else(|| "official".into()))
}

const ACCOUNT_PREFIXES: &[&str] = &[
    "zalo:",
    "fb:",
    "facebook:",
    "telegram:",
    "tg:",
    "messenger:",
    "zalo.me/",
    "facebook.com/",
    "fb.com/",
    "m.facebook.com/",
    "t.me/",
];

impl Sender {
    /// Classifies a sender; `Ok(None)` when it is blank.
    pub fn parse(input: &str) -> Result<Option<Sender>, SenderError> {
        let text = input.trim();
        if text.is_empty() {
            return Ok(None);
        }
        if text.chars().count() > MAX_SENDER_CHARS {
            return Err(SenderError::TooLong);
        }
        let lower = text.to_lowercase();
        let bare = lower
            .trim_start_matches("https://")
            .trim_start_matches("http://")
            .trim_start_matches("www.");
        if let Some(prefix) = ACCOUNT_PREFIXES.iter().find(|p| bare.starts_with(**p)) {
            let rest = &bare[prefix.len()..];
            if rest.is_empty() || rest.chars().any(char::is_whitespace) {
                return Err(SenderError::Unrecognised);
            }
            return Ok(Some(Sender {
                kind: SenderKind::Account,
                display: text.to_string(),
                official_brand: None,
            }));
        }
        let numeric = text
            .chars()
            .all(|c| c.is_ascii_digit() || matches!(c, ' ' | '.' | '-' | '+' | '(' | ')'));
        if numeric {
            let digits: String = text.chars().filter(char::is_ascii_digit).collect();
            if (3..=5).contains(&digits.len()) && !text.starts_with('+') {
                return Ok(Some(Sender {
                    kind: SenderKind::ShortCode,
                    official_brand: official_brand(&digits),
                    display: digits,
                }));
            }
            let phone = PhoneNumber::parse(text).map_err(|_| SenderError::BadNumber)?;
            let kind = if !phone.is_vietnamese() {
                SenderKind::ForeignPhone
            } else if matches!(
                phone.line_type(),
                PhoneType::TollFree | PhoneType::PremiumRate
            ) {
                SenderKind::ShortCode
            } else {
                SenderKind::Phone
            };
            if kind == SenderKind::ShortCode {
                // 1800/1900 hotlines are written without the trunk 0.
                let hotline = digits.trim_start_matches("84").trim_start_matches('0');
                return Ok(Some(Sender {
                    kind,
                    official_brand: official_brand(hotline),
                    display: hotline.to_string(),
                }));
            }
            return Ok(Some(Sender {
                kind,
                official_brand: None,
                display: phone.national_display(),
            }));
        }
        // A brandname: letters and digits with a few separators, at least one letter.
        let brandname_like = text.chars().count() <= 20
            && text.chars().any(|c| c.is_ascii_alphabetic())
            && text
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, ' ' | '.' | '-' | '_' | '&'));
        if !brandname_like {
            return Err(SenderError::Unrecognised);
        }
        Ok(Some(Sender {
            kind: SenderKind::Brandname,
            official_brand: official_brand(&key_of(text)),
            display: text.to_string(),
        }))
    }

    /// On the list of official senders.
    pub fn is_official(&self) -> bool {
        self.official_brand.is_some()
    }

    /// A number a person or a foreign line uses: an organisation never writes from one.
    pub fn is_personal_number(&self) -> bool {
        matches!(self.kind, SenderKind::Phone | SenderKind::ForeignPhone)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kind(s: &str) -> (SenderKind, bool) {
        let sender = Sender::parse(s).expect("valid").expect("not blank");
        (sender.kind, sender.is_official())
    }

    #[test]
    fn each_kind_of_sender_is_recognised() {
        assert_eq!(kind("Viettel"), (SenderKind::Brandname, true));
        assert_eq!(kind("VIETTEL"), (SenderKind::Brandname, true));
        assert_eq!(kind("Vietcombank"), (SenderKind::Brandname, true));
        assert_eq!(kind("ShopTaoLao"), (SenderKind::Brandname, false));
        assert_eq!(kind("191"), (SenderKind::ShortCode, true));
        assert_eq!(kind("9999"), (SenderKind::ShortCode, false));
        assert_eq!(kind("1900 545413"), (SenderKind::ShortCode, true));
        assert_eq!(kind("0912 345 678"), (SenderKind::Phone, false));
        assert_eq!(kind("+84912345678"), (SenderKind::Phone, false));
        assert_eq!(kind("+1 202 555 0143"), (SenderKind::ForeignPhone, false));
        assert_eq!(kind("zalo:0912345678"), (SenderKind::Account, false));
        assert_eq!(
            kind("https://facebook.com/ten.ai"),
            (SenderKind::Account, false)
        );
        assert_eq!(Sender::parse("  "), Ok(None));
    }

    #[test]
    fn other_senders_are_refused_with_a_reason() {
        assert_eq!(
            Sender::parse("0123"),
            Ok(Some(Sender {
                kind: SenderKind::ShortCode,
                display: "0123".into(),
                official_brand: None
            }))
        );
        assert_eq!(
            Sender::parse("09123"),
            Ok(Some(Sender {
                kind: SenderKind::ShortCode,
                display: "09123".into(),
                official_brand: None
            }))
        );
        assert_eq!(
            Sender::parse("123456789012345"),
            Err(SenderError::BadNumber)
        );
        assert_eq!(Sender::parse("<script>"), Err(SenderError::Unrecognised));
        assert_eq!(Sender::parse("Ngân hàng"), Err(SenderError::Unrecognised));
        assert_eq!(Sender::parse(&"a".repeat(101)), Err(SenderError::TooLong));
        for e in [
            SenderError::TooLong,
            SenderError::BadNumber,
            SenderError::Unrecognised,
        ] {
            assert!(!e.message(Lang::Vi).is_empty() && !e.message(Lang::En).is_empty());
        }
    }
}
