//! From the evidence about a message to its likelihood, and the factors shown to
//! people. Pure; `canhgiac-train evaluate` prints the effect on real messages per
//! publisher and per kind of sender.
//!
//! - A lookalike link, an identifier the police verified, or a personal number that
//!   claims to be a bank raise the level whatever the wording.
//! - A message with no strong red flag that links only to official sites, names an
//!   official short code or hotline ("Soạn … gửi 191", "LH 198") or comes from an
//!   official sender is `low`, however promotional its wording. A shortener is
//!   neither a good nor a bad sign; a link to another site breaks the official context.
//! - A strong red flag (a request for a code or card number, a cheap or disguised
//!   link, spaced-out letters) makes it at least `suspicious`.
//! - Weak flags (prize, urgency, money, log in) appear in real promotions too: the
//!   model decides, and `high` takes two kinds of them.
//! - The model's score alone must reach 0.8 for `suspicious` and never makes `high`.

use std::collections::BTreeSet;

use canhgiac_core::i18n::Lang;
use serde::Serialize;

use super::rules::Flag;
use super::{Sender, SenderKind, HIGH, SUSPICIOUS};

/// What is known about a message.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Evidence {
    /// The trained model's scam probability, 0–1.
    pub model: f32,
    /// Red flags raised (phrases, links, identifiers, sender).
    pub flags: BTreeSet<Flag>,
    /// A link to a brand's official domain.
    pub official_link: bool,
    /// A link to a site that is neither official nor a shortener.
    pub unofficial_link: bool,
    /// A link through a generic shortener.
    pub shortener: bool,
    /// The text names an official short code or hotline.
    pub official_number: bool,
    /// The sender is an official brandname, short code or hotline.
    pub official_sender: bool,
    /// An identifier in it was verified by the police.
    pub dangerous_identifier: bool,
    /// An identifier in it was reported.
    pub reported_identifier: bool,
    /// A personal or foreign number claims to be an organisation.
    pub impersonation: bool,
}

/// A claim that you won a prize: decisive, except in an official context (a carrier's
/// own lucky draw names its short code and links only to its own site).
const STRONG_UNLESS_OFFICIAL: &[Flag] = &[Flag::PrizeWin];

/// Red flags that are decisive on their own.
const STRONG: &[Flag] = &[
    Flag::CredentialRequest,
    Flag::LookalikeLink,
    Flag::ReportedIdentifier,
    Flag::FilterEvasion,
    Flag::SenderImpersonation,
    Flag::RiskyLink,
    Flag::IllicitService,
];

impl Evidence {
    fn strong(&self) -> usize {
        self.flags
            .iter()
            .filter(|f| STRONG.contains(f) || STRONG_UNLESS_OFFICIAL.contains(f))
            .count()
    }

    fn strong_even_officially(&self) -> usize {
        self.flags.iter().filter(|f| STRONG.contains(f)).count()
    }

    fn other_flags(&self) -> usize {
        self.flags.len() - self.strong()
    }

    /// Official signs and nothing that contradicts them: no link to another site
    /// (a shortener is neither), no strong red flag.
    fn official_context(&self) -> bool {
        (self.official_link || self.official_sender || self.official_number)
            && !self.unofficial_link
            && self.strong_even_officially() == 0
    }
}

/// Highest likelihood of a message whose only sign is the model's score: never `high`.
const MODEL_ONLY_CAP: f32 = HIGH - 0.01;
/// Model score from which a message with no red flag at all is `suspicious`.
const MODEL_ONLY_SUSPICIOUS: f32 = 0.8;
/// Highest likelihood of a message in an official context.
const OFFICIAL_CAP: f32 = 0.2;
/// Model score from which weak flags make a message `high` (with two kinds of them).
const WEAK_HIGH: f32 = 0.8;

/// The likelihood of a scam, 0–1.
pub fn likelihood(e: &Evidence) -> f32 {
    let p = e.model.clamp(0.0, 1.0);
    if e.dangerous_identifier {
        return p.max(0.97);
    }
    if e.impersonation || e.flags.contains(&Flag::LookalikeLink) {
        return p.max(0.9);
    }
    if e.reported_identifier {
        return p.max(0.75);
    }
    if e.official_context() {
        return p.min(OFFICIAL_CAP);
    }
    let strong = e.strong();
    let weak = e.other_flags();
    if strong > 0 {
        // A strong flag: the model decides between suspicious and high.
        return p.max(SUSPICIOUS);
    }
    if weak == 0 {
        // The wording alone: the model must be sure, and it never says `high`.
        return if p >= MODEL_ONLY_SUSPICIOUS {
            p.min(MODEL_ONLY_CAP)
        } else {
            p.min(SUSPICIOUS - 0.01)
        };
    }
    // Weak flags (prize, urgency, money, log in) are in promotions too: the model
    // decides, and `high` takes two kinds of them.
    if weak >= 2 && p >= WEAK_HIGH {
        p
    } else {
        p.min(HIGH - 0.01)
    }
}

/// Whether a factor pushed the level up or down.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Effect {
    /// Raised it.
    Raises,
    /// Lowered it.
    Lowers,
    /// Said for information (a shortener hides where a link goes).
    Neutral,
}

/// One thing that decided the level, for people.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Factor {
    /// Stable key (`red_flags`, `official_link`, `official_sender`, `sender_impersonation`,
    /// `shortener`, `model_score`, `no_red_flag`).
    pub key: &'static str,
    /// Up, down or neither.
    pub effect: Effect,
    /// For people.
    pub text: String,
}

impl Factor {
    /// The effect's stable key (`raises`, `lowers`, `neutral`).
    pub fn effect_key(&self) -> &'static str {
        match self.effect {
            Effect::Raises => "raises",
            Effect::Lowers => "lowers",
            Effect::Neutral => "neutral",
        }
    }
}

fn factor(key: &'static str, effect: Effect, text: String) -> Factor {
    Factor { key, effect, text }
}

/// The factors behind the level, strongest first.
pub fn factors(e: &Evidence, sender: Option<&Sender>, lang: Lang) -> Vec<Factor> {
    let mut out = Vec::new();
    let vi = lang == Lang::Vi;
    if e.dangerous_identifier {
        out.push(factor("verified_identifier", Effect::Raises, if vi {
            "Tin nhắn chứa số điện thoại, tài khoản hoặc trang web đã được công an xác minh là lừa đảo.".into()
        } else {
            "It contains a phone number, account or website the police verified as a scam.".into()
        }));
    }
    if e.impersonation {
        out.push(factor("sender_impersonation", Effect::Raises, if vi {
            "Gửi từ số cá nhân hoặc số nước ngoài nhưng tự xưng là tổ chức: ngân hàng, nhà mạng và công an không nhắn tin từ số cá nhân.".into()
        } else {
            "Sent from a personal or foreign number but claims to be an organisation: banks, carriers and the police do not text from personal numbers.".into()
        }));
    }
    let strong = e.strong();
    out.push(flags_factor(e, strong, lang));
    if e.official_link {
        let effect = if e.unofficial_link {
            Effect::Neutral
        } else {
            Effect::Lowers
        };
        out.push(factor(
            "official_link",
            effect,
            if vi {
                "Có đường link tới trang chính thức của một thương hiệu.".into()
            } else {
                "Links to a brand's official site.".into()
            },
        ));
    }
    if e.official_number {
        out.push(factor(
            "official_number",
            Effect::Lowers,
            if vi {
                "Nhắc tới đầu số ngắn hoặc tổng đài chính thức (như 191, 1414, 1900 545413).".into()
            } else {
                "Names an official short code or hotline (such as 191, 1414, 1900 545413).".into()
            },
        ));
    }
    if e.shortener {
        out.push(factor("shortener", Effect::Neutral, if vi {
            "Đường link rút gọn che mất trang đích: hãy tự gõ địa chỉ trang chính thức thay vì bấm.".into()
        } else {
            "A shortened link hides where it goes: type the official address yourself instead of tapping.".into()
        }));
    }
    if let Some(sender) = sender {
        out.push(sender_factor(sender, strong, vi));
    }
    out.push(factor(
        "model_score",
        if e.model >= SUSPICIOUS {
            Effect::Raises
        } else {
            Effect::Lowers
        },
        if vi {
            format!(
                "Mô hình so sánh với tin nhắn lừa đảo và tin thật đã biết: {:.0}%.",
                e.model * 100.0
            )
        } else {
            format!(
                "The model, comparing with known scam and real messages: {:.0}%.",
                e.model * 100.0
            )
        },
    ));
    out
}

/// What the sender says: official, official but with clear signs (a fake base
/// station), an unknown brandname, or just who it is.
fn sender_factor(sender: &Sender, strong: usize, vi: bool) -> Factor {
    let (effect, text) = match (sender.is_official(), sender.kind) {
        (true, _) if strong == 0 => (
            Effect::Lowers,
            if vi {
                format!(
                    "Người gửi {} là đầu số hoặc tên thương hiệu chính thức.",
                    sender.display
                )
            } else {
                format!(
                    "The sender {} is an official brandname or short code.",
                    sender.display
                )
            },
        ),
        (true, _) => (
            Effect::Neutral,
            if vi {
                format!("Người gửi hiển thị {} nhưng tin nhắn có dấu hiệu rõ: kẻ gian dùng trạm phát sóng giả để chèn tin dưới tên thương hiệu thật.", sender.display)
            } else {
                format!("The sender shows {} but the message has clear signs: fake base stations inject messages under real brandnames.", sender.display)
            },
        ),
        (false, SenderKind::Brandname) => (
            Effect::Neutral,
            if vi {
                format!(
                    "Tên người gửi {} không có trong danh sách thương hiệu chính thức đã biết.",
                    sender.display
                )
            } else {
                format!(
                    "The sender name {} is not on the list of known official brandnames.",
                    sender.display
                )
            },
        ),
        (false, _) => (
            Effect::Neutral,
            if vi {
                format!("Người gửi: {}.", sender.display)
            } else {
                format!("Sender: {}.", sender.display)
            },
        ),
    };
    factor("sender", effect, text)
}

/// The red flags of the wording, strong or weak, or none.
fn flags_factor(e: &Evidence, strong: usize, lang: Lang) -> Factor {
    let vi = lang == Lang::Vi;
    if !e.flags.is_empty() {
        let names: Vec<&str> = e.flags.iter().map(|f| f.label(lang)).collect();
        factor(
            "red_flags",
            Effect::Raises,
            match (vi, strong > 0) {
                (true, true) => format!("Dấu hiệu rõ: {}.", names.join("; ")),
                (true, false) => format!(
                    "Dấu hiệu yếu (thường gặp cả trong tin quảng cáo thật): {}.",
                    names.join("; ")
                ),
                (false, true) => format!("Clear signs: {}.", names.join("; ")),
                (false, false) => format!(
                    "Weak signs (common in real promotions too): {}.",
                    names.join("; ")
                ),
            },
        )
    } else {
        factor(
            "no_red_flag",
            Effect::Lowers,
            if vi {
                "Không thấy dấu hiệu lừa đảo nào trong lời lẽ.".into()
            } else {
                "No red flag in the wording.".into()
            },
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::message::Risk;

    fn with(model: f32, flags: &[Flag]) -> Evidence {
        Evidence {
            model,
            flags: flags.iter().copied().collect(),
            ..Evidence::default()
        }
    }

    #[test]
    fn the_model_alone_needs_to_be_sure_and_never_says_high() {
        assert_eq!(Risk::of(likelihood(&with(0.7, &[]))), Risk::Low);
        assert_eq!(Risk::of(likelihood(&with(0.99, &[]))), Risk::Suspicious);
    }

    #[test]
    fn weak_flags_follow_the_model_and_make_high_only_in_company() {
        assert_eq!(
            Risk::of(likelihood(&with(0.4, &[Flag::PrizeLure]))),
            Risk::Low
        );
        assert_eq!(
            Risk::of(likelihood(&with(0.95, &[Flag::PrizeLure]))),
            Risk::Suspicious
        );
        let two = [Flag::PrizeLure, Flag::Urgency];
        assert_eq!(Risk::of(likelihood(&with(0.95, &two))), Risk::High);
        assert_eq!(Risk::of(likelihood(&with(0.6, &two))), Risk::Suspicious);
    }

    #[test]
    fn a_strong_flag_is_at_least_suspicious_and_high_with_the_model() {
        assert_eq!(
            Risk::of(likelihood(&with(0.1, &[Flag::CredentialRequest]))),
            Risk::Suspicious
        );
        assert_eq!(
            Risk::of(likelihood(&with(0.9, &[Flag::CredentialRequest]))),
            Risk::High
        );
        assert_eq!(
            Risk::of(likelihood(&with(0.0, &[Flag::LookalikeLink]))),
            Risk::High
        );
    }

    #[test]
    fn official_links_and_senders_lower_a_message_without_strong_flags() {
        let mut e = with(0.97, &[Flag::PrizeLure, Flag::MoneyRequest]);
        e.official_link = true;
        assert_eq!(Risk::of(likelihood(&e)), Risk::Low);
        // ... but not with another site beside it
        e.unofficial_link = true;
        assert_eq!(Risk::of(likelihood(&e)), Risk::High);
        // A shortener is neither a good nor a bad sign.
        let mut e = with(0.97, &[Flag::PrizeLure]);
        e.official_sender = true;
        e.shortener = true;
        assert_eq!(Risk::of(likelihood(&e)), Risk::Low);
        // A brandname never vouches for a lookalike link.
        let mut e = with(0.2, &[Flag::LookalikeLink]);
        e.official_sender = true;
        assert_eq!(Risk::of(likelihood(&e)), Risk::High);
    }

    #[test]
    fn a_prize_win_is_strong_except_in_an_official_context() {
        assert_eq!(
            Risk::of(likelihood(&with(0.2, &[Flag::PrizeWin]))),
            Risk::Suspicious
        );
        let mut e = with(0.9, &[Flag::PrizeWin]);
        e.official_number = true;
        assert_eq!(Risk::of(likelihood(&e)), Risk::Low);
        e.unofficial_link = true;
        assert_eq!(Risk::of(likelihood(&e)), Risk::High);
    }

    #[test]
    fn impersonation_and_verified_identifiers_are_high() {
        let mut e = with(0.1, &[Flag::SenderImpersonation]);
        e.impersonation = true;
        assert_eq!(Risk::of(likelihood(&e)), Risk::High);
        let mut e = with(0.0, &[]);
        e.dangerous_identifier = true;
        assert_eq!(Risk::of(likelihood(&e)), Risk::High);
    }

    #[test]
    fn factors_explain_in_both_languages() {
        let mut e = with(0.6, &[Flag::PrizeLure]);
        e.official_link = true;
        e.shortener = true;
        for lang in [Lang::Vi, Lang::En] {
            let f = factors(&e, None, lang);
            let keys: Vec<&str> = f.iter().map(|f| f.key).collect();
            assert_eq!(
                keys,
                ["red_flags", "official_link", "shortener", "model_score"]
            );
            assert!(f.iter().all(|f| !f.text.is_empty()));
        }
    }
}
