//! Identifiers a scammer leaves behind, parsed and normalised so that the same
//! scammer is recognised across reports however each victim wrote it.

pub mod bank_account;
pub mod email;
pub mod phone;
pub mod social;
pub mod wallet;
pub mod website;

use serde::{Deserialize, Serialize};

pub use bank_account::{BankAccount, BankAccountError};
pub use email::{Email, EmailError};
pub use phone::{PhoneError, PhoneNumber, PhoneType};
pub use social::{Platform, SocialAccount, SocialError};
pub use wallet::{Chain, Wallet, WalletError};
pub use website::{Website, WebsiteError};

/// What sort of identifier a value is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, PartialOrd, Ord)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum IdentifierKind {
    /// A telephone number.
    Phone,
    /// A bank account (bank + account number).
    BankAccount,
    /// A website (its host name).
    Url,
    /// An account on a social network or messenger.
    Social,
    /// An e-mail address.
    Email,
    /// A crypto-currency wallet address.
    Wallet,
}

impl IdentifierKind {
    /// The stable snake_case name used in the API and the database.
    pub fn as_str(self) -> &'static str {
        match self {
            IdentifierKind::Phone => "phone",
            IdentifierKind::BankAccount => "bank_account",
            IdentifierKind::Url => "url",
            IdentifierKind::Social => "social",
            IdentifierKind::Email => "email",
            IdentifierKind::Wallet => "wallet",
        }
    }

    /// Parses the stable name; `domain` and `website` are accepted for `url`.
    pub fn parse(name: &str) -> Option<IdentifierKind> {
        Some(match name.trim().to_ascii_lowercase().as_str() {
            "phone" => IdentifierKind::Phone,
            "bank_account" | "bank" | "account" => IdentifierKind::BankAccount,
            "url" | "domain" | "website" => IdentifierKind::Url,
            "social" => IdentifierKind::Social,
            "email" => IdentifierKind::Email,
            "wallet" => IdentifierKind::Wallet,
            _ => return None,
        })
    }

    /// A label for people.
    pub fn label(self, lang: crate::i18n::Lang) -> &'static str {
        use crate::i18n::Lang::*;
        match (self, lang) {
            (IdentifierKind::Phone, Vi) => "Số điện thoại",
            (IdentifierKind::Phone, En) => "Phone number",
            (IdentifierKind::BankAccount, Vi) => "Tài khoản ngân hàng",
            (IdentifierKind::BankAccount, En) => "Bank account",
            (IdentifierKind::Url, Vi) => "Trang web",
            (IdentifierKind::Url, En) => "Website",
            (IdentifierKind::Social, Vi) => "Tài khoản mạng xã hội",
            (IdentifierKind::Social, En) => "Social account",
            (IdentifierKind::Email, Vi) => "Thư điện tử",
            (IdentifierKind::Email, En) => "E-mail",
            (IdentifierKind::Wallet, Vi) => "Ví tiền mã hóa",
            (IdentifierKind::Wallet, En) => "Crypto wallet",
        }
    }
}

/// A parsed, normalised identifier.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Identifier {
    /// A telephone number.
    Phone(PhoneNumber),
    /// A bank account.
    BankAccount(BankAccount),
    /// A website.
    Url(Website),
    /// A social or messenger account.
    Social(SocialAccount),
    /// An e-mail address.
    Email(Email),
    /// A crypto wallet.
    Wallet(Wallet),
}

impl Identifier {
    /// Its kind.
    pub fn kind(&self) -> IdentifierKind {
        match self {
            Identifier::Phone(_) => IdentifierKind::Phone,
            Identifier::BankAccount(_) => IdentifierKind::BankAccount,
            Identifier::Url(_) => IdentifierKind::Url,
            Identifier::Social(_) => IdentifierKind::Social,
            Identifier::Email(_) => IdentifierKind::Email,
            Identifier::Wallet(_) => IdentifierKind::Wallet,
        }
    }

    /// The canonical value, without the kind: `+84912345678`,
    /// `970436:0123456789`, `vietcombank-hotro.com.vn`, `facebook:some.name`.
    pub fn normalized(&self) -> String {
        match self {
            Identifier::Phone(p) => p.e164().to_string(),
            Identifier::BankAccount(a) => format!("{}:{}", a.bin(), a.number()),
            Identifier::Url(w) => w.host().to_string(),
            Identifier::Social(s) => format!("{}:{}", s.platform().as_str(), s.id()),
            Identifier::Email(e) => e.as_str().to_string(),
            Identifier::Wallet(w) => format!("{}:{}", w.chain().as_str(), w.key_address()),
        }
    }

    /// The lookup key: kind and canonical value. Two identifiers are the same
    /// scammer's exactly when their keys are equal.
    pub fn key(&self) -> String {
        format!("{}:{}", self.kind().as_str(), self.normalized())
    }

    /// A readable form for pages (Unicode domain, bank name, checksummed wallet).
    pub fn display(&self) -> String {
        match self {
            Identifier::Phone(p) => p.national_display(),
            Identifier::BankAccount(a) => format!("{} {}", a.bank_name(), a.number()),
            Identifier::Url(w) => w.display_host(),
            Identifier::Social(s) => format!("{} {}", s.platform().label(), s.id()),
            Identifier::Email(e) => e.as_str().to_string(),
            Identifier::Wallet(w) => w.address().to_string(),
        }
    }

    /// Parses a value of a known kind. `bank` is needed for bank accounts.
    pub fn parse_as(
        kind: IdentifierKind,
        value: &str,
        bank: Option<&str>,
    ) -> Result<Identifier, ParseError> {
        Ok(match kind {
            IdentifierKind::Phone => Identifier::Phone(PhoneNumber::parse(value)?),
            IdentifierKind::BankAccount => Identifier::BankAccount(match bank {
                Some(b) if !b.trim().is_empty() => BankAccount::parse(b, value)?,
                _ => BankAccount::parse_combined(value)?,
            }),
            IdentifierKind::Url => match SocialAccount::from_url(value) {
                Some(s) => Identifier::Social(s),
                None => Identifier::Url(Website::parse(value)?),
            },
            IdentifierKind::Social => Identifier::Social(SocialAccount::parse(value)?),
            IdentifierKind::Email => Identifier::Email(Email::parse(value)?),
            IdentifierKind::Wallet => Identifier::Wallet(Wallet::parse(value)?),
        })
    }
}

/// Why a value is not a valid identifier of the kind it was given as.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ParseError {
    /// A bad phone number.
    #[error(transparent)]
    Phone(#[from] PhoneError),
    /// A bad bank account.
    #[error(transparent)]
    BankAccount(#[from] BankAccountError),
    /// A bad website.
    #[error(transparent)]
    Website(#[from] WebsiteError),
    /// A bad social account.
    #[error(transparent)]
    Social(#[from] SocialError),
    /// A bad e-mail address.
    #[error(transparent)]
    Email(#[from] EmailError),
    /// A bad wallet.
    #[error(transparent)]
    Wallet(#[from] WalletError),
}

impl ParseError {
    /// A stable snake_case code.
    pub fn code(&self) -> &'static str {
        match self {
            ParseError::Phone(e) => e.code(),
            ParseError::BankAccount(e) => e.code(),
            ParseError::Website(_) => "url_invalid",
            ParseError::Social(_) => "social_invalid",
            ParseError::Email(_) => "email_invalid",
            ParseError::Wallet(_) => "wallet_invalid",
        }
    }

    /// The message for people, in their language.
    pub fn message(&self, lang: crate::i18n::Lang) -> String {
        match self {
            ParseError::Phone(e) => e.message(lang),
            ParseError::BankAccount(e) => e.message(lang),
            ParseError::Website(e) => e.message(lang),
            ParseError::Social(e) => e.message(lang),
            ParseError::Email(e) => e.message(lang),
            ParseError::Wallet(e) => e.message(lang),
        }
    }
}
