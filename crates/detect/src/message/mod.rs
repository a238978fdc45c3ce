//! Message analysis: how likely a message is a scam, which methods it resembles, the
//! red flags with their spans in the original text, and the verdict on every
//! identifier it contains.
//!
//! The pipeline: [`normalize`] → red-flag [`rules`] and link signals → [`features`]
//! → the trained [`model`]; then what the lookup index knows about the identifiers
//! raises the result (a verified account in the message makes it a scam whatever
//! the wording).

pub mod decide;
pub mod features;
pub mod model;
pub mod normalize;
pub mod rules;
pub mod sender;
mod signals;

use canhgiac_core::i18n::Lang;
use canhgiac_core::methods::Catalogue;
use canhgiac_core::verdict::{IdentStats, Level, Verdict};
use canhgiac_core::Identifier;
use serde::Serialize;

use crate::lookalike::Registry;
use model::Model;
use rules::Flag;
pub use sender::{Sender, SenderError, SenderKind};
use signals::signals;
pub use signals::{is_shortener, SHORTENERS};

/// How strongly a message looks like a scam.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Risk {
    /// No clear sign found (which is not a promise).
    Low,
    /// Signs of a scam.
    Suspicious,
    /// Very likely a scam.
    High,
}

impl Risk {
    /// From a likelihood.
    pub fn of(likelihood: f32) -> Risk {
        if likelihood >= HIGH {
            Risk::High
        } else if likelihood >= SUSPICIOUS {
            Risk::Suspicious
        } else {
            Risk::Low
        }
    }

    /// Stable key.
    pub fn as_str(self) -> &'static str {
        match self {
            Risk::Low => "low",
            Risk::Suspicious => "suspicious",
            Risk::High => "high",
        }
    }

    /// For people. Never says "safe".
    pub fn title(self, lang: Lang) -> &'static str {
        match (self, lang) {
            (Risk::High, Lang::Vi) => "Rất có thể là lừa đảo",
            (Risk::High, Lang::En) => "Very likely a scam",
            (Risk::Suspicious, Lang::Vi) => "Có dấu hiệu lừa đảo",
            (Risk::Suspicious, Lang::En) => "Shows signs of a scam",
            (Risk::Low, Lang::Vi) => "Chưa thấy dấu hiệu lừa đảo rõ ràng",
            (Risk::Low, Lang::En) => "No clear sign of a scam found",
        }
    }
}

/// Likelihood from which a message is `high`.
pub const HIGH: f32 = 0.8;
/// Likelihood from which a message is `suspicious`.
pub const SUSPICIOUS: f32 = 0.5;

/// A method the message resembles.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MethodScore {
    /// Catalogue key.
    pub key: String,
    /// Name in the asked language.
    pub name: String,
    /// Likelihood of a scam of this method, 0–1.
    pub score: f32,
}

/// A red flag, with its span in characters of the original text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RedFlag {
    /// First character.
    pub start: usize,
    /// One past the last character.
    pub end: usize,
    /// Stable key (`credential_request`, `lookalike_link`, ...).
    pub label: &'static str,
    /// For people.
    pub text: &'static str,
}

/// An identifier in the message, with its verdict.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MessageIdentifier {
    /// First character.
    pub start: usize,
    /// One past the last character.
    pub end: usize,
    /// The verdict, as the single check gives it.
    pub verdict: Verdict,
}

/// The analysis of one message.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MessageAnalysis {
    /// Likelihood of a scam, 0–1.
    pub likelihood: f32,
    /// The level.
    pub level: Risk,
    /// The level for people.
    pub title: &'static str,
    /// Methods it resembles, most likely first (at most three).
    pub methods: Vec<MethodScore>,
    /// Red flags, in text order.
    pub red_flags: Vec<RedFlag>,
    /// Identifiers found, each with its verdict.
    pub identifiers: Vec<MessageIdentifier>,
    /// What decided the level, strongest first: red flags, links, the sender, the
    /// model's score.
    pub factors: Vec<decide::Factor>,
    /// Who sent it, as given and classified.
    pub sender: Option<Sender>,
    /// What to do.
    pub advice: Vec<String>,
}

/// The feature hashes of a message, exactly as the analysis computes them (for training).
pub fn feature_hashes(text: &str) -> Vec<u64> {
    signals(text, Registry::default_brands()).feature_hashes()
}

/// Analyses messages with a model and a brand registry.
pub struct Analyzer<'a> {
    model: &'a Model,
    registry: &'a Registry,
}

impl Default for Analyzer<'static> {
    fn default() -> Self {
        Analyzer {
            model: Model::builtin(),
            registry: Registry::default_brands(),
        }
    }
}

impl<'a> Analyzer<'a> {
    /// The shipped model with a given registry (the brands officers edited).
    pub fn with_registry(registry: &'a Registry) -> Analyzer<'a> {
        Analyzer {
            model: Model::builtin(),
            registry,
        }
    }

    /// With a given model and registry.
    pub fn new(model: &'a Model, registry: &'a Registry) -> Analyzer<'a> {
        Analyzer { model, registry }
    }

    /// The likelihood of a scam from the wording and links alone (no lookups).
    pub fn likelihood(&self, text: &str) -> f32 {
        let s = signals(text, self.registry);
        self.model.score(&s.active(self.model)).scam
    }

    /// Analyses a message. `lookup` tells what the reports say about an identifier.
    pub fn analyze(
        &self,
        text: &str,
        lookup: &dyn Fn(&Identifier) -> Option<IdentStats>,
        lang: Lang,
    ) -> MessageAnalysis {
        self.analyze_from(text, None, lookup, lang)
    }

    /// Analyses a message and who sent it (when known).
    pub fn analyze_from(
        &self,
        text: &str,
        sender: Option<&Sender>,
        lookup: &dyn Fn(&Identifier) -> Option<IdentStats>,
        lang: Lang,
    ) -> MessageAnalysis {
        let s = signals(text, self.registry);
        let active = s.active(self.model);
        let model_score = self.model.scam(&active);
        let mut red_flags = Vec::new();

        for hit in &s.phrases.hits {
            let (Some(first), Some(last)) = (
                s.normalized.tokens.get(hit.first),
                s.normalized.tokens.get(hit.last.saturating_sub(1)),
            ) else {
                continue;
            };
            red_flags.push(flag_at(hit.flag, first.start, last.end, lang));
        }
        for (_, start, end) in &s.normalized.evasions {
            red_flags.push(flag_at(Flag::FilterEvasion, *start, *end, lang));
        }

        let mut evidence = decide::Evidence {
            model: model_score,
            official_link: s.official_link,
            unofficial_link: s.unofficial_link,
            shortener: s.shortener,
            official_number: official_numbers(&s.normalized.tokens),
            official_sender: sender.is_some_and(Sender::is_official),
            ..decide::Evidence::default()
        };
        let mut identifiers = Vec::with_capacity(s.found.len());
        for ((f, link_flag), lookalike) in s.found.iter().zip(&s.link_flags).zip(&s.lookalikes) {
            let (start, end) = f.char_span(text);
            let stats = lookup(&f.identifier);
            let verdict =
                crate::judge_with(&f.identifier, stats.as_ref(), lookalike.as_ref(), lang);
            if let Some(flag) = link_flag {
                red_flags.push(flag_at(*flag, start, end, lang));
            }
            match verdict.level {
                Level::Dangerous => evidence.dangerous_identifier = true,
                Level::Suspicious | Level::Reported if verdict.report_count > 0 => {
                    evidence.reported_identifier = true
                }
                _ => {}
            }
            if verdict.report_count > 0 || verdict.level == Level::Dangerous {
                red_flags.push(flag_at(Flag::ReportedIdentifier, start, end, lang));
            }
            identifiers.push(MessageIdentifier {
                start,
                end,
                verdict,
            });
        }
        // Words inside a link ("viettel.vn/nap-tien") are the site's, not a request.
        let link_spans: Vec<(usize, usize)> = s
            .found
            .iter()
            .zip(&identifiers)
            .filter(|(f, _)| matches!(f.identifier, Identifier::Url(_)))
            .map(|(_, i)| (i.start, i.end))
            .collect();
        if !link_spans.is_empty() {
            red_flags.retain(|f| {
                !Flag::ALL
                    .iter()
                    .any(|flag| flag.key() == f.label && flag.is_phrase())
                    || !link_spans.iter().any(|(a, b)| *a <= f.start && f.end <= *b)
            });
        }
        if sender.is_some_and(Sender::is_personal_number) {
            if let Some((start, end)) = claims_organisation(&s.normalized.tokens, self.registry) {
                evidence.impersonation = true;
                red_flags.push(flag_at(Flag::SenderImpersonation, start, end, lang));
            }
        }
        red_flags.sort_by_key(|f| (f.start, f.end, f.label));
        red_flags.dedup_by(|b, a| a.label == b.label && b.start < a.end.max(a.start + 1));
        for f in &red_flags {
            if let Some(flag) = Flag::ALL.iter().find(|x| x.key() == f.label) {
                evidence.flags.insert(*flag);
            }
        }

        let likelihood = decide::likelihood(&evidence);
        let level = Risk::of(likelihood);
        let methods = if likelihood >= 0.05 {
            self.methods(&self.model.methods(&active), likelihood, lang)
        } else {
            Vec::new()
        };
        let advice = advice(level, methods.first(), lang);
        MessageAnalysis {
            likelihood: (likelihood * 1000.0).round() / 1000.0,
            level,
            title: level.title(lang),
            methods,
            red_flags,
            identifiers,
            factors: decide::factors(&evidence, sender, lang),
            sender: sender.cloned(),
            advice,
        }
    }

    fn methods(&self, probs: &[f32], likelihood: f32, lang: Lang) -> Vec<MethodScore> {
        let catalogue = Catalogue::get();
        let mut ranked: Vec<(usize, f32)> = probs
            .iter()
            .map(|p| p * likelihood)
            .enumerate()
            .filter(|(_, s)| *s >= 0.05)
            .collect();
        ranked.sort_by(|a, b| b.1.total_cmp(&a.1));
        ranked
            .into_iter()
            .take(3)
            .filter_map(|(i, score)| {
                let key = self.model.method_keys().get(i)?;
                let method = catalogue.by_key(key)?;
                Some(MethodScore {
                    key: key.clone(),
                    name: method.name(lang).to_string(),
                    score: (score * 1000.0).round() / 1000.0,
                })
            })
            .collect()
    }
}

/// Whether the text names an official short code or hotline ("Soạn V90 gửi 191",
/// "gọi 1900 545413").
fn official_numbers(tokens: &[normalize::Token]) -> bool {
    tokens.iter().enumerate().any(|(i, t)| {
        let digits = t.text.as_str();
        if !digits.bytes().all(|b| b.is_ascii_digit()) {
            return false;
        }
        if sender::official_number(digits) && digits.len() >= 3 {
            return true;
        }
        // "1900 545413", "1800 1091": a hotline split in groups.
        (digits == "1900" || digits == "1800")
            && tokens
                .get(i + 1)
                .filter(|n| n.text.bytes().all(|b| b.is_ascii_digit()))
                .is_some_and(|n| sender::official_number(&format!("{digits}{}", n.text)))
    })
}

/// Words by which a message claims to come from a bank, a wallet, a carrier, a utility
/// or an authority: such a brand's name among its first words or before "thông báo",
/// or "nhân viên ngân hàng", "tổng đài viên", "công an thông báo"… Gives the span.
fn claims_organisation(tokens: &[normalize::Token], registry: &Registry) -> Option<(usize, usize)> {
    const CLAIMS: &[&[&str]] = &[
        &["ngan", "hang", "thong", "bao"],
        &["nhan", "vien", "ngan", "hang"],
        &["tong", "dai", "vien"],
        &["tong", "dai", "ngan", "hang"],
        &["cong", "an", "thong", "bao"],
        &["can", "bo", "cong", "an"],
        &["nha", "mang", "thong", "bao"],
        &["nhan", "vien", "nha", "mang"],
        &["cskh"],
        &["bo", "phan", "cham", "soc", "khach", "hang"],
        &["vien", "kiem", "sat"],
        &["toa", "an", "thong", "bao"],
        &["dien", "luc", "thong", "bao"],
        &["co", "quan", "thue"],
    ];
    const CLAIMING_CATEGORIES: &[&str] = &[
        "bank",
        "ewallet",
        "carrier",
        "government",
        "police",
        "utility",
    ];
    for (i, t) in tokens.iter().enumerate() {
        let word = t.text.as_str();
        let brand = word.len() >= 3
            && registry
                .brands()
                .iter()
                .any(|b| b.key == word && CLAIMING_CATEGORIES.contains(&b.category.as_str()));
        let announces = tokens
            .get(i + 1)
            .is_some_and(|n| matches!(n.text.as_str(), "thong" | "kinh" | "xin" | "tb"));
        if brand && (i < 3 || announces) {
            return Some((t.start, t.end));
        }
        for claim in CLAIMS {
            let matches = claim
                .iter()
                .enumerate()
                .all(|(k, w)| tokens.get(i + k).is_some_and(|x| x.text.as_str() == *w));
            if matches {
                let last = tokens.get(i + claim.len() - 1).map_or(t.end, |x| x.end);
                return Some((t.start, last));
            }
        }
    }
    None
}

fn flag_at(flag: Flag, start: usize, end: usize, lang: Lang) -> RedFlag {
    RedFlag {
        start,
        end,
        label: flag.key(),
        text: flag.label(lang),
    }
}

fn advice(level: Risk, top: Option<&MethodScore>, lang: Lang) -> Vec<String> {
    let mut out = Vec::new();
    if level >= Risk::Suspicious {
        if let Some(method) = top.and_then(|m| Catalogue::get().by_key(&m.key)) {
            out.extend(method.advice(lang).iter().cloned());
        }
        out.push(
            match lang {
                Lang::Vi => "Không bấm vào đường link, không chuyển tiền, không đọc mã OTP. Nếu đã làm, gọi ngay ngân hàng để khóa tài khoản và báo công an.",
                Lang::En => "Do not open the link, send money or read out a one-time code. If you already did, call your bank to freeze the account and report to the police.",
            }
            .to_string(),
        );
    } else {
        out.push(
            match lang {
                Lang::Vi => "Nếu tin nhắn yêu cầu chuyển tiền, mã OTP hoặc bấm vào đường link, hãy tự gọi số tổng đài chính thức để kiểm tra trước khi làm theo.",
                Lang::En => "If a message asks for money, a one-time code or a click on a link, call the official hotline yourself before you act.",
            }
            .to_string(),
        );
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn none(_: &Identifier) -> Option<IdentStats> {
        None
    }

    #[test]
    fn a_lookalike_link_makes_a_message_suspicious_with_its_span() {
        let text = "Tài khoản sắp bị khóa, xác thực tại vietcombank-hotro.top ngay";
        let a = Analyzer::default().analyze(text, &none, Lang::Vi);
        assert!(a.level >= Risk::Suspicious, "{a:?}");
        let flag = a
            .red_flags
            .iter()
            .find(|f| f.label == "lookalike_link")
            .expect("lookalike flagged");
        let span: String = text
            .chars()
            .skip(flag.start)
            .take(flag.end - flag.start)
            .collect();
        assert_eq!(span, "vietcombank-hotro.top");
        assert_eq!(a.identifiers.len(), 1);
    }

    #[test]
    fn spans_point_into_the_original_text_even_with_hidden_characters() {
        let text = "Vui lòng đọc m\u{200b}ã OTP vừa nhận cho nhân viên";
        let a = Analyzer::default().analyze(text, &none, Lang::Vi);
        let flag = a
            .red_flags
            .iter()
            .find(|f| f.label == "credential_request")
            .expect("credential request");
        let span: String = text
            .chars()
            .skip(flag.start)
            .take(flag.end - flag.start)
            .collect();
        assert!(span.starts_with("đọc m"), "{span}");
        assert!(a.red_flags.iter().any(|f| f.label == "filter_evasion"));
    }

    #[test]
    fn a_verified_account_in_a_message_makes_it_high() {
        let text = "Chuyển khoản cho mình vào 0123456789 Vietcombank nhé";
        let lookup = |_: &Identifier| {
            let mut s = IdentStats::default();
            s.add_report(1_700_000_000, 1_000_000, None, true);
            s.verified_at = Some(1_700_000_100);
            Some(s)
        };
        let a = Analyzer::default().analyze(text, &lookup, Lang::Vi);
        assert_eq!(a.level, Risk::High, "{a:?}");
        assert!(a.red_flags.iter().any(|f| f.label == "reported_identifier"));
    }

    #[test]
    fn remembered_words_give_the_same_features_in_the_same_order() {
        let model = Model::builtin();
        for _ in 0..2 {
            for text in [
                "Chuyển khoản 5tr vào stk 0123456789 VCB ngay, hạn 24h",
                "Ma OTP cua ban la 123456. Khong chia se ma nay.",
                "v.i.e.t.c.o.m.b.a.n.k thông báo: tài khoản bị khóa",
                "",
            ] {
                let s = signals(text, Registry::default_brands());
                assert_eq!(s.active(model), model.active(&s.feature_hashes()), "{text}");
            }
        }
    }

    #[test]
    fn words_inside_a_link_raise_no_phrase_flag() {
        let text = "Nap the tai https://viettel.vn/nap-tien-ngay nhe";
        let a = Analyzer::default().analyze(text, &none, Lang::Vi);
        assert!(
            a.red_flags
                .iter()
                .all(|f| f.label != "money_request" && f.label != "urgency"),
            "{:?}",
            a.red_flags
        );
    }

    #[test]
    fn the_titles_never_promise_safety() {
        for r in [Risk::Low, Risk::Suspicious, Risk::High] {
            for lang in [Lang::Vi, Lang::En] {
                let t = r.title(lang).to_lowercase();
                assert!(!t.contains("an toàn") && !t.contains("safe"), "{t}");
            }
        }
    }
}
