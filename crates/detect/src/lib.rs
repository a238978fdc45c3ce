//! canhgiac-detect: detectors over bytes and text, with no I/O.
//!
//! - [`vietqr`]: decodes VietQR payment codes (EMVCo merchant-presented payloads) from
//!   text or from an image, so that the receiving account can be checked before paying.
//! - [`message`]: scam likelihood, methods, red flags and identifiers of a message.
//! - [`check`]: the public check of what a citizen typed, for every front end.
//! - [`lookalike`]: names the brand a website imitates and the technique (typo,
//!   homoglyph, TLD swap, combosquatting, subdomain abuse).

pub mod check;
pub mod lookalike;
pub mod message;
pub mod vietqr;

use canhgiac_core::i18n::Lang;
use canhgiac_core::verdict::{verdict, IdentStats, Verdict};
use canhgiac_core::Identifier;

/// The public verdict on an identifier with the detectors applied: what the reports
/// say, and a website that imitates a protected brand raised to at least `suspicious`.
/// Every check (web page, API, CLI) goes through here.
pub fn judge(identifier: &Identifier, stats: Option<&IdentStats>, lang: Lang) -> Verdict {
    judge_in(
        lookalike::Registry::default_brands(),
        identifier,
        stats,
        lang,
    )
}

/// [`judge`] against a given registry of protected brands (as edited by officers).
pub fn judge_in(
    registry: &lookalike::Registry,
    identifier: &Identifier,
    stats: Option<&IdentStats>,
    lang: Lang,
) -> Verdict {
    let found = match identifier {
        Identifier::Url(site) => registry.check(site),
        _ => None,
    };
    judge_with(identifier, stats, found.as_ref(), lang)
}

/// [`judge`] when the lookalike check has already been made.
pub(crate) fn judge_with(
    identifier: &Identifier,
    stats: Option<&IdentStats>,
    lookalike: Option<&lookalike::Lookalike>,
    lang: Lang,
) -> Verdict {
    let mut v = verdict(identifier, stats, lang);
    if let Some(found) = lookalike {
        lookalike::flag(&mut v, found, lang);
    }
    v
}
