//! canhgiac-core: the domain types and pure logic of canhgiac.
//!
//! Identifiers (phone numbers, bank accounts, websites, social accounts, e-mail
//! addresses, crypto wallets) are parsed, validated and normalised here, found in
//! free text, and turned into public verdicts. Nothing in this crate does I/O.

pub mod activity;
pub mod banks;
pub mod blocklist;
pub mod brand;
pub mod bulletin;
pub mod campaign;
pub mod case;
pub mod clock;
pub mod dispute;
pub mod extract;
pub mod fold;
pub mod hash_prefix;
pub mod holds;
pub mod i18n;
pub mod ident;
pub mod indicator;
pub mod intake;
pub mod methods;
pub mod money;
pub mod partner;
pub mod patterns;
pub mod recognize;
pub mod report;
pub mod roles;
pub mod sms;
pub mod stats;
pub mod tracking;
pub mod trends;
pub mod triage;
pub mod verdict;

pub use ident::{Identifier, IdentifierKind};
pub use verdict::{Level, Verdict};
