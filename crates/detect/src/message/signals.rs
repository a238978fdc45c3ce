//! The signals of one message that analysis and training share: the normalised
//! text, the phrase hits, the identifiers with the flags their form raises, and
//! the kinds of links; and the feature hashes made from them.

use canhgiac_core::extract::{extract_unique, Found};
use canhgiac_core::Identifier;

use super::features;
use super::model::Model;
use super::normalize::{normalize, Normalized};
use super::rules::{self, Flag};
use crate::lookalike::{Registry, RISKY_TLDS};

/// Generic link shorteners: the real target is hidden (neither a good nor a bad sign).
pub const SHORTENERS: &[&str] = &[
    "bit.ly",
    "tinyurl.com",
    "cutt.ly",
    "rb.gy",
    "s.id",
    "t.ly",
    "shorturl.at",
    "is.gd",
    "goo.gl",
    "ow.ly",
    "tiny.cc",
    "rebrand.ly",
    "shorten.asia",
    "t.co",
    "by.tn",
    "page.link",
    "app.link",
    "urlgg.com",
    "bom.so",
    "bitly.com",
    "v.gd",
    "lnkd.in",
    "surl.li",
    "link.gg",
];

/// Signals of one message, shared by analysis and training.
pub(super) struct Signals {
    pub(super) normalized: Normalized,
    pub(super) phrases: rules::PhraseHits,
    pub(super) found: Vec<Found>,
    /// Per found identifier: the flag its form raises (lookalike, risky), if any.
    pub(super) link_flags: Vec<Option<Flag>>,
    /// Per found identifier: the brand a website imitates (checked once, used twice).
    pub(super) lookalikes: Vec<Option<crate::lookalike::Lookalike>>,
    pub(super) official_link: bool,
    /// A link to a site that is neither official nor a shortener.
    pub(super) unofficial_link: bool,
    /// A link through a generic shortener.
    pub(super) shortener: bool,
}

/// Whether a link goes through a generic shortener (`myvt.page.link` included).
pub fn is_shortener(site: &canhgiac_core::ident::Website) -> bool {
    let registrable = site.registrable();
    SHORTENERS.contains(&registrable)
        || registrable
            .split_once('.')
            .is_some_and(|(_, parent)| SHORTENERS.contains(&parent))
}

fn risky_host(site: &canhgiac_core::ident::Website) -> bool {
    let host = site.host();
    if host.parse::<std::net::IpAddr>().is_ok() || host.starts_with('[') {
        return true;
    }
    if host.starts_with("xn--") || host.contains(".xn--") {
        return true;
    }
    host.rsplit('.')
        .next()
        .is_some_and(|tld| RISKY_TLDS.contains(&tld))
}

pub(super) fn signals(text: &str, registry: &Registry) -> Signals {
    let normalized = normalize(text);
    let phrases = rules::phrases(&normalized.tokens);
    let found = extract_unique(text);
    let mut official_link = false;
    let mut unofficial_link = false;
    let mut shortener = false;
    let mut link_flags = Vec::with_capacity(found.len());
    let mut lookalikes = Vec::with_capacity(found.len());
    for f in &found {
        let (flag, lookalike) = match &f.identifier {
            Identifier::Url(site) => {
                if registry.official(site).is_some() {
                    official_link = true;
                    (None, None)
                } else if is_shortener(site) {
                    shortener = true;
                    (None, None)
                } else if registry.popular(site) {
                    // An established site: neither official for a brand nor unknown.
                    (None, None)
                } else if let Some(l) = registry.check(site) {
                    unofficial_link = true;
                    (Some(Flag::LookalikeLink), Some(l))
                } else if risky_host(site) {
                    unofficial_link = true;
                    (Some(Flag::RiskyLink), None)
                } else {
                    unofficial_link = true;
                    (None, None)
                }
            }
            _ => (None, None),
        };
        link_flags.push(flag);
        lookalikes.push(lookalike);
    }
    Signals {
        normalized,
        phrases,
        found,
        link_flags,
        lookalikes,
        official_link,
        unofficial_link,
        shortener,
    }
}

impl Signals {
    pub(super) fn flags_present(&self) -> impl Iterator<Item = Flag> + '_ {
        self.phrases
            .hits
            .iter()
            .map(|h| h.flag)
            .chain(self.link_flags.iter().flatten().copied())
            .chain((!self.normalized.evasions.is_empty()).then_some(Flag::FilterEvasion))
    }

    pub(super) fn feature_hashes(&self) -> Vec<u64> {
        let mut out = Vec::with_capacity(self.normalized.tokens.len() * 16);
        self.each_feature(&mut |h| out.push(h));
        out
    }

    /// Gives every feature hash, words first, then the named features.
    pub(super) fn each_feature(&self, sink: &mut dyn FnMut(u64)) {
        features::each_word_feature(&self.normalized.tokens, &mut *sink);
        self.each_named_feature(sink);
    }

    /// Gives the hashes of the named features (red flags, links).
    pub(super) fn each_named_feature(&self, sink: &mut dyn FnMut(u64)) {
        let named = &*NAMED;
        for flag in self.flags_present() {
            sink(named.flags[flag as usize]);
        }
        if self.phrases.safety_advice {
            sink(named.safety_advice);
        }
        if self
            .found
            .iter()
            .any(|f| matches!(f.identifier, Identifier::Url(_)))
        {
            sink(named.link);
        }
        if self.official_link {
            sink(named.official_link);
        }
        if self.shortener {
            sink(named.shortener);
        }
    }

    /// The model's kept features of this message.
    pub(super) fn active(&self, model: &Model) -> Vec<u32> {
        model.active_of_words(&self.normalized.tokens, |sink| {
            self.each_named_feature(sink)
        })
    }
}

/// Hashes of the named features, computed once (`flags` in [`Flag::ALL`] order,
/// which is the declaration order, so `flag as usize` indexes it).
struct NamedFeatures {
    flags: [u64; Flag::ALL.len()],
    safety_advice: u64,
    link: u64,
    official_link: u64,
    shortener: u64,
}

static NAMED: once_cell::sync::Lazy<NamedFeatures> = once_cell::sync::Lazy::new(|| NamedFeatures {
    flags: Flag::ALL.map(|f| features::named(&format!("r:{}", f.key()))),
    safety_advice: features::named("r:safety_advice"),
    link: features::named("r:link"),
    official_link: features::named("r:official_link"),
    shortener: features::named("r:shortener"),
});
