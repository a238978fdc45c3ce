//! Lookalike websites: for a URL or domain, the protected brand it imitates and the
//! technique (homoglyph/IDN, typo, TLD swap, combosquatting, subdomain abuse). A
//! brand's real domains and their subdomains are never flagged.
//!
//! Default brands: `data/protected-brands.json` (banks, e-wallets, government portals,
//! police, utilities, carriers, e-commerce, delivery). Lookups use hash maps of brand
//! labels and of their one-character deletions (so one edit is found without comparing
//! against every brand) and one Aho-Corasick automaton for brand names inside a label.

pub mod edit;
mod edits;
pub mod offline;
mod words;

use std::collections::{HashMap, HashSet};

use aho_corasick::AhoCorasick;
use canhgiac_core::i18n::Lang;
use canhgiac_core::ident::Website;
use canhgiac_core::verdict::Verdict;
use once_cell::sync::Lazy;
use serde::{Deserialize, Serialize};

pub use edits::loose_latin;
use edits::*;
use words::COMBO_WORDS;
pub use words::RISKY_TLDS;

const BRANDS_JSON: &str = include_str!("../../../../data/protected-brands.json");
const POPULAR_TSV: &str = include_str!("../../../../data/popular-domains-vn.tsv");

/// Brand labels shorter than this are matched only exactly or as whole tokens: one
/// edit away from "acb" or "vib" lie many unrelated real sites.
const MIN_TYPO_LABEL: usize = 5;
/// A brand name found inside a longer label counts when it is at least this long, or
/// when the rest of the label is a word scammers add.
const MIN_EMBEDDED_LABEL: usize = 6;

/// A brand name shorter than [`MIN_TYPO_LABEL`].
struct ShortName {
    brand: usize,
    name: String,
    /// The public suffixes of the brand's real domains.
    suffixes: Vec<String>,
    /// One edit away counts too (not for aliases: "vtb" is one letter from vtv.vn).
    typos: bool,
}

/// An owned domain's name counts as one of the brand's names from this length.
const MIN_OWNED_LABEL: usize = 8;

/// Categories a brand may have.
pub const CATEGORIES: [&str; 10] = [
    "bank",
    "carrier",
    "delivery",
    "ecommerce",
    "ewallet",
    "government",
    "police",
    "social",
    "travel",
    "utility",
];

/// A protected brand.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Brand {
    /// Stable key.
    pub key: String,
    /// Name for people.
    pub name: String,
    /// bank, ewallet, government, police, utility, carrier, ecommerce, delivery, …
    pub category: String,
    /// Its real domains.
    pub domains: Vec<String>,
    /// Further domains it really uses (subsidiaries, app and deep-link hosts, regional
    /// sites): official, never flagged, not shown as its main site.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub owned: Vec<String>,
    /// Further names it goes by in domains ("vcb" for Vietcombank), matched like its own.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub aliases: Vec<String>,
}

/// How a lookalike imitates a brand.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum Technique {
    /// Look-alike characters (Cyrillic а, "rn" for "m", 0 for o).
    Homoglyph,
    /// A letter left out.
    Omission,
    /// A letter added.
    Insertion,
    /// A letter doubled.
    Repetition,
    /// Two neighbouring letters swapped.
    Transposition,
    /// A letter replaced by a neighbouring key.
    KeyboardReplacement,
    /// A letter replaced by another.
    Replacement,
    /// A vowel replaced by another vowel.
    VowelSwap,
    /// A letter one bit away.
    Bitsquatting,
    /// Hyphens inserted.
    Hyphenation,
    /// A plural.
    Plural,
    /// The real name under another top-level domain.
    TldSwap,
    /// The real name with extra words ("vietcombank-hotro").
    Combosquatting,
    /// The real name as a subdomain of another site.
    SubdomainAbuse,
}

impl Technique {
    /// Words for people.
    pub fn describe(self, lang: canhgiac_core::i18n::Lang) -> &'static str {
        use canhgiac_core::i18n::Lang::{En, Vi};
        match (self, lang) {
            (Technique::Homoglyph, Vi) => "dùng ký tự trông giống nhau",
            (Technique::Homoglyph, En) => "look-alike characters",
            (Technique::Omission, Vi) => "bỏ bớt một chữ",
            (Technique::Omission, En) => "a letter left out",
            (Technique::Insertion, Vi) => "thêm một chữ",
            (Technique::Insertion, En) => "a letter added",
            (Technique::Repetition, Vi) => "lặp một chữ",
            (Technique::Repetition, En) => "a letter doubled",
            (Technique::Transposition, Vi) => "đảo chỗ hai chữ",
            (Technique::Transposition, En) => "two letters swapped",
            (Technique::KeyboardReplacement, Vi) => "thay một chữ bằng phím bên cạnh",
            (Technique::KeyboardReplacement, En) => "a letter replaced by a neighbouring key",
            (Technique::Replacement, Vi) => "thay một chữ",
            (Technique::Replacement, En) => "a letter replaced",
            (Technique::VowelSwap, Vi) => "đổi nguyên âm",
            (Technique::VowelSwap, En) => "a vowel swapped",
            (Technique::Bitsquatting, Vi) => "sai một bit",
            (Technique::Bitsquatting, En) => "one bit flipped",
            (Technique::Hyphenation, Vi) => "chèn dấu gạch ngang",
            (Technique::Hyphenation, En) => "hyphens inserted",
            (Technique::Plural, Vi) => "thêm đuôi số nhiều",
            (Technique::Plural, En) => "made plural",
            (Technique::TldSwap, Vi) => "đổi đuôi tên miền",
            (Technique::TldSwap, En) => "another top-level domain",
            (Technique::Combosquatting, Vi) => "ghép tên thật với từ khác",
            (Technique::Combosquatting, En) => "the real name with extra words",
            (Technique::SubdomainAbuse, Vi) => "đặt tên thật làm tên miền con của trang khác",
            (Technique::SubdomainAbuse, En) => "the real name as a subdomain of another site",
        }
    }
}

/// A finding: which brand, how.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Lookalike {
    /// Brand key.
    pub brand: String,
    /// Brand name.
    pub brand_name: String,
    /// Technique.
    pub technique: Technique,
    /// The brand's real domains.
    pub real_domains: Vec<String>,
}

/// A website that imitates a protected brand is at least `suspicious`, even with no
/// report, and says which brand and how (an officer's clearing stands).
pub fn flag(v: &mut Verdict, found: &Lookalike, lang: Lang) {
    use canhgiac_core::verdict::{Level, Reason};
    let real = found.real_domains.join(", ");
    v.reasons.insert(
        0,
        Reason {
            code: "lookalike_domain",
            text: match lang {
                Lang::Vi => format!(
                    "Tên miền giả mạo {} ({}). Trang thật: {real}.",
                    found.brand_name,
                    found.technique.describe(lang)
                ),
                Lang::En => format!(
                    "Imitates {} ({}). The real site: {real}.",
                    found.brand_name,
                    found.technique.describe(lang)
                ),
            },
        },
    );
    if matches!(v.level, Level::NoReports | Level::Reported) {
        v.level = Level::Suspicious;
        v.title = Level::Suspicious.title_for(v.report_count, v.reporter_count, lang);
        v.reasons.retain(|r| r.code != "no_reports_yet");
        v.advice = match lang {
            Lang::Vi => format!("Không nhập mật khẩu, mã OTP hay thông tin thẻ vào trang này. Hãy tự gõ địa chỉ trang thật: {real}."),
            Lang::En => format!("Do not enter passwords, OTP codes or card details here. Type the real address yourself: {real}."),
        };
    }
}

/// The protected brands, indexed for fast checks.
pub struct Registry {
    brands: Vec<Brand>,
    /// Real domains → brand.
    official: HashMap<String, usize>,
    /// Brand label ("vietcombank") → brand.
    labels: HashMap<String, usize>,
    /// One-character deletions of labels of at least [`MIN_TYPO_LABEL`] → (brand, label).
    deletions: HashMap<String, Vec<(usize, String)>>,
    /// Brand labels for search inside a longer label (`None` only if the automaton
    /// could not be built, which a few hundred short patterns never hit).
    embedded: Option<AhoCorasick>,
    embedded_labels: Vec<(usize, String)>,
    combo_words: HashSet<&'static str>,
    /// Canonical look-alike forms of labels of at least [`MIN_TYPO_LABEL`] → brand.
    canonical: HashMap<String, usize>,
    /// Brand labels shorter than [`MIN_TYPO_LABEL`] ("momo", "acb"), with the public
    /// suffixes of the brand's real domains: matched only where the name carries risk.
    short: Vec<ShortName>,
    /// Long-established legitimate sites (registrable domains or hosts), never flagged.
    popular: HashSet<String>,
}

#[derive(Deserialize)]
struct File {
    brands: Vec<Brand>,
}

static DEFAULT_BRANDS: Lazy<Vec<Brand>> = Lazy::new(|| {
    serde_json::from_str::<File>(BRANDS_JSON)
        .map(|f| f.brands)
        .unwrap_or_default()
});

static DEFAULT: Lazy<Registry> = Lazy::new(|| Registry::new(DEFAULT_BRANDS.clone()));

/// The shipped list of long-established legitimate domains (`data/popular-domains-vn.tsv`):
/// domain and kind.
pub fn popular_domains() -> impl Iterator<Item = (&'static str, &'static str)> {
    POPULAR_TSV
        .lines()
        .filter(|l| !l.starts_with('#'))
        .filter_map(|l| l.split_once('\t'))
        .map(|(d, k)| (d.trim(), k.trim()))
}

/// A stored brand with the owned domains and aliases the shipped list gives it (the
/// console stores names and real domains only).
pub fn with_shipped_extras(mut brand: Brand) -> Brand {
    if let Some(shipped) = DEFAULT_BRANDS.iter().find(|b| b.key == brand.key) {
        brand.owned.clone_from(&shipped.owned);
        brand.aliases.clone_from(&shipped.aliases);
    }
    brand
}

impl Registry {
    /// Indexes brands.
    pub fn new(brands: Vec<Brand>) -> Registry {
        let mut official = HashMap::new();
        let mut labels = HashMap::new();
        let mut deletions: HashMap<String, Vec<(usize, String)>> = HashMap::new();
        let mut embedded_labels = Vec::new();
        let mut canonical_labels = HashMap::new();
        let mut short = Vec::new();
        for (i, brand) in brands.iter().enumerate() {
            let mut names: Vec<String> = Vec::new();
            for d in &brand.owned {
                let d = d.trim().to_ascii_lowercase();
                // A long owned name ("giaohangtietkiem") is imitated like the brand's own.
                if let Some(label) = sld(&d).filter(|l| l.len() >= MIN_OWNED_LABEL) {
                    names.push(label.replace('-', ""));
                }
                official.insert(d, i);
            }
            let mut suffixes: Vec<String> =
                brand.domains.iter().filter_map(|d| suffix_of(d)).collect();
            suffixes.sort();
            suffixes.dedup();
            for d in &brand.domains {
                let d = d.trim().to_ascii_lowercase();
                if let Some(label) = sld(&d) {
                    names.push(label.replace('-', ""));
                    names.push(label);
                }
                official.insert(d, i);
            }
            names.push(brand.key.to_ascii_lowercase());
            let aliases: Vec<String> = brand
                .aliases
                .iter()
                .map(|a| a.trim().to_ascii_lowercase())
                .collect();
            names.extend(aliases.iter().cloned());
            names.sort();
            names.dedup();
            for name in names.into_iter().filter(|n| n.len() >= 3) {
                labels.entry(name.clone()).or_insert(i);
                if name.len() >= MIN_TYPO_LABEL {
                    canonical_labels.entry(canonical(&name)).or_insert(i);
                    for del in deletions_of(&name) {
                        deletions.entry(del).or_default().push((i, name.clone()));
                    }
                }
                if name.len() < MIN_TYPO_LABEL && name.chars().all(|c| c.is_ascii_alphanumeric()) {
                    short.push(ShortName {
                        brand: i,
                        name: name.clone(),
                        suffixes: suffixes.clone(),
                        typos: !aliases.contains(&name),
                    });
                }
                embedded_labels.push((i, name));
            }
        }
        let embedded = AhoCorasick::builder()
            .match_kind(aho_corasick::MatchKind::LeftmostLongest)
            .build(embedded_labels.iter().map(|(_, l)| l.as_str()))
            .ok();
        Registry {
            brands,
            official,
            labels,
            deletions,
            embedded,
            embedded_labels,
            combo_words: COMBO_WORDS.iter().copied().collect(),
            canonical: canonical_labels,
            short,
            popular: popular_domains().map(|(d, _)| d.to_string()).collect(),
        }
    }

    /// The same brands without the list of established sites: what the matching rules
    /// alone would flag (for measuring them; never for answers).
    pub fn without_popular(mut self) -> Registry {
        self.popular.clear();
        self
    }

    /// The shipped default brands.
    pub fn default_brands() -> &'static Registry {
        &DEFAULT
    }

    /// Every brand.
    pub fn brands(&self) -> &[Brand] {
        &self.brands
    }

    /// The brand whose real domain (or a subdomain of it) this is.
    pub fn official(&self, site: &Website) -> Option<&Brand> {
        parents(site.host())
            .find_map(|h| self.official.get(h))
            .and_then(|i| self.brands.get(*i))
    }

    fn found(&self, brand: usize, technique: Technique) -> Option<Lookalike> {
        let b = self.brands.get(brand)?;
        Some(Lookalike {
            brand: b.key.clone(),
            brand_name: b.name.clone(),
            technique,
            real_domains: b.domains.clone(),
        })
    }

    fn one_edit(&self, label: &str) -> Option<(usize, Technique)> {
        if label.len() + 1 < MIN_TYPO_LABEL {
            return None;
        }
        let mut keys = deletions_of(label);
        keys.push(label.to_string());
        for key in &keys {
            // The candidate lost a letter (key == label is a brand deletion), or both lost one.
            if let Some(hits) = self.deletions.get(key) {
                for (brand, name) in hits {
                    if name != label {
                        if let Some(t) = classify(label, name) {
                            return Some((*brand, t));
                        }
                    }
                }
            }
            if let Some(brand) = self.labels.get(key) {
                if key.len() >= MIN_TYPO_LABEL && key != label {
                    if let Some(t) = classify(label, key) {
                        return Some((*brand, t));
                    }
                }
            }
        }
        None
    }

    fn combo(&self, label: &str) -> Option<usize> {
        let tokens: Vec<&str> = label
            .split(|c: char| c == '-' || c.is_ascii_digit())
            .filter(|t| !t.is_empty())
            .collect();
        if tokens.len() > 1 {
            if let Some(brand) = tokens.iter().find_map(|t| self.labels.get(*t)) {
                return Some(*brand);
            }
        }
        let squashed: String = label
            .chars()
            .filter(|c| c.is_ascii_alphanumeric())
            .collect();
        let automaton = self.embedded.as_ref()?;
        for m in automaton.find_iter(&squashed) {
            let (brand, name) = &self.embedded_labels[m.pattern().as_usize()];
            if name.len() == squashed.len() {
                continue;
            }
            let rest = format!("{}{}", &squashed[..m.start()], &squashed[m.end()..]);
            if (name.len() >= MIN_EMBEDDED_LABEL && rest.bytes().any(|b| b.is_ascii_alphabetic()))
                || risky_rest(&rest, &self.combo_words)
            {
                return Some(*brand);
            }
        }
        None
    }

    /// Checks a website against the brands; `None` when it imitates none (or is real).
    pub fn check(&self, site: &Website) -> Option<Lookalike> {
        if self.official(site).is_some() || self.popular(site) {
            return None;
        }
        let host = site.host();
        let registrable = site.registrable();
        let label = registrable.split('.').next().unwrap_or(registrable);
        // The same name under another suffix.
        if let Some(brand) = self.labels.get(label) {
            return self.found(*brand, Technique::TldSwap);
        }
        // Look-alike characters: an IDN label or digits and letter pairs.
        let (unicode, _) = idna::domain_to_unicode(label);
        let plain = unconfuse(&unicode);
        if plain != label {
            if let Some(brand) = self.labels.get(&plain) {
                return self.found(*brand, Technique::Homoglyph);
            }
            if !unicode.is_ascii() {
                if let Some((brand, _)) = self.one_edit(&plain) {
                    return self.found(brand, Technique::Homoglyph);
                }
            }
        }
        if label.len() + 1 >= MIN_TYPO_LABEL {
            if let Some(brand) = self.canonical.get(&canonical(&plain)) {
                return self.found(*brand, Technique::Homoglyph);
            }
        }
        if label.contains('-') {
            if let Some(brand) = self.labels.get(&label.replace('-', "")) {
                return self.found(*brand, Technique::Hyphenation);
            }
        }
        if let Some(base) = label.strip_suffix("es").filter(|b| b.len() >= 3) {
            if let Some(brand) = self.labels.get(base) {
                return self.found(*brand, Technique::Plural);
            }
        }
        if let Some((brand, technique)) = self.one_edit(label) {
            return self.found(brand, technique);
        }
        if let Some(brand) = self.combo(label) {
            return self.found(brand, Technique::Combosquatting);
        }
        // The real name among the subdomains of another site.
        let left = host
            .strip_suffix(registrable)
            .unwrap_or("")
            .trim_end_matches('.');
        if !left.is_empty() {
            let joined = format!("{}{label}", left.replace('.', ""));
            if let Some(brand) = self.labels.get(&joined) {
                return self.found(*brand, Technique::SubdomainAbuse);
            }
            for part in left.split('.') {
                if let Some(brand) = self.labels.get(part).copied().or_else(|| self.combo(part)) {
                    return self.found(brand, Technique::SubdomainAbuse);
                }
            }
        }
        self.short_brand(label, &plain, registrable)
            .and_then(|(brand, technique)| self.found(brand, technique))
    }

    /// Whether the site is on the list of long-established legitimate sites.
    pub fn popular(&self, site: &Website) -> bool {
        let registrable = site.registrable().len();
        parents(site.host())
            .take_while(|h| h.len() >= registrable)
            .any(|h| self.popular.contains(h))
    }

    /// Short brand names ("momo", "acb", "zalo") inside or one edit away from a label,
    /// counted only where the name carries risk: a cheap top-level domain, digits, a
    /// hyphen, or words scammers add ("113momo.site", "apimomo.xyz", "11zalo.com",
    /// "bidv0.com.vn"). A short name one edit away under the brand's own suffix
    /// ("momo" → "mom0.vn") counts too; established sites such as memo.vn and cafe.vn
    /// are on the list of legitimate sites.
    fn short_brand(
        &self,
        label: &str,
        plain: &str,
        registrable: &str,
    ) -> Option<(usize, Technique)> {
        if self.short.is_empty() {
            return None;
        }
        let suffix = registrable.split_once('.').map_or("", |(_, s)| s);
        let tld = registrable.rsplit('.').next().unwrap_or("");
        let risky_tld = RISKY_TLDS.contains(&tld);
        let marked = label.bytes().any(|b| b.is_ascii_digit() || b == b'-');
        let squashed: String = label
            .chars()
            .filter(|c| c.is_ascii_alphanumeric())
            .collect();
        for short in &self.short {
            let (brand, name) = (&short.brand, &short.name);
            let own_suffix = short.suffixes.iter().any(|s| s == suffix);
            // The name inside a longer label.
            if let Some(at) = squashed.find(name.as_str()) {
                if squashed.len() > name.len() {
                    let rest = format!("{}{}", &squashed[..at], &squashed[at + name.len()..]);
                    let at_edge = at == 0 || at + name.len() == squashed.len();
                    if risky_rest(&rest, &self.combo_words) || (risky_tld && at_edge) {
                        return Some((*brand, Technique::Combosquatting));
                    }
                }
            }
            if !short.typos || !(own_suffix || risky_tld || marked) {
                continue;
            }
            // Look-alike characters read as letters ("m0mo", "zaIo").
            if plain.len() >= 3
                && plain.len().abs_diff(name.len()) <= 2
                && plain != name
                && canonical(plain) == canonical(name)
            {
                return Some((*brand, Technique::Homoglyph));
            }
            // One edit away, the candidate at least three characters long.
            let near = |candidate: &str| candidate.len().abs_diff(name.len()) <= 1;
            if squashed.len() >= 3 && squashed != *name && near(&squashed) {
                if let Some(t) = classify(&squashed, name) {
                    return Some((*brand, t));
                }
            }
            if plain.len() >= 3
                && plain != squashed
                && near(plain)
                && classify(plain, name).is_some()
            {
                return Some((*brand, Technique::Homoglyph));
            }
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(domain: &str) -> Option<(String, Technique)> {
        let site = Website::parse(domain).expect("a website");
        Registry::default_brands()
            .check(&site)
            .map(|l| (l.brand, l.technique))
    }

    fn is(domain: &str, brand: &str, technique: Technique) {
        assert_eq!(
            check(domain),
            Some((brand.to_string(), technique)),
            "{domain}"
        );
    }

    #[test]
    fn real_domains_and_their_subdomains_are_never_flagged() {
        for b in Registry::default_brands().brands() {
            for d in &b.domains {
                assert_eq!(check(d), None, "{d}");
                assert_eq!(check(&format!("https://www.{d}/login")), None, "{d}");
                assert_eq!(check(&format!("ebank.{d}")), None, "{d}");
            }
        }
    }

    #[test]
    fn each_technique_is_named() {
        is("vietcombank.com", "vietcombank", Technique::TldSwap);
        is("vietcombank.top", "vietcombank", Technique::TldSwap);
        is("vietcombank.vn", "vietcombank", Technique::TldSwap);
        is("vietcornbank.com.vn", "vietcombank", Technique::Homoglyph);
        is("vietc0mbank.com", "vietcombank", Technique::Homoglyph);
        is("vietcombаnk.com", "vietcombank", Technique::Homoglyph); // Cyrillic а
        is("vietcmbank.com.vn", "vietcombank", Technique::Omission);
        is("vietcombaank.com.vn", "vietcombank", Technique::Repetition);
        is("vietcoxmbank.com.vn", "vietcombank", Technique::Insertion);
        is(
            "vietcombnak.com.vn",
            "vietcombank",
            Technique::Transposition,
        );
        is(
            "vietcpmbank.com.vn",
            "vietcombank",
            Technique::KeyboardReplacement,
        );
        is("vietcambank.com.vn", "vietcombank", Technique::VowelSwap);
        is("viet-combank.com.vn", "vietcombank", Technique::Hyphenation);
        is(
            "vietcombank-hotro.com.vn",
            "vietcombank",
            Technique::Combosquatting,
        );
        is(
            "hotrovietcombank.com",
            "vietcombank",
            Technique::Combosquatting,
        );
        is(
            "dichvucong-gov.top",
            "dichvucong",
            Technique::Combosquatting,
        );
        is(
            "vietcombank.com.vn.secure-login.top",
            "vietcombank",
            Technique::SubdomainAbuse,
        );
        is("momo-nhanqua.vn", "momo", Technique::Combosquatting);
    }

    #[test]
    fn short_brands_are_found_where_the_name_carries_risk() {
        for (domain, brand) in [
            ("113momo.site", "momo"),
            ("11zalo.com", "zalo"),
            ("247napas.com", "napas"),
            ("apimomo.xyz", "momo"),
            ("alomomo.com", "momo"),
            ("naptienmomo.com", "momo"),
            ("tikivn.shop", "tiki"),
            ("bidv0.com.vn", "bidv"),
            ("m0mo.vn", "momo"),
            ("acbonliine.com", "acb"),
            ("sbvhn.com", "sbv"),
            ("dichvugiaohangtietkiem.com", "ghtk"),
        ] {
            assert_eq!(
                check(domain).map(|(b, _)| b),
                Some(brand.to_string()),
                "{domain}"
            );
        }
    }

    #[test]
    fn owned_and_established_sites_are_not_flagged() {
        for d in [
            "lazada.com",
            "shopeefood.vn",
            "viettelstore.vn",
            "vpbanks.com.vn",
            "baodongnai.com.vn",
            "memo.vn",
            "cafe.vn",
            "acbs.com.vn",
            "momoland.com",
            "cupcake.vn",
            "vibe.com",
            "shbet.com",
        ] {
            assert_eq!(check(d), None, "{d}");
        }
        for (d, _) in popular_domains() {
            assert_eq!(check(d), None, "{d}");
        }
    }

    #[test]
    fn words_scammers_add_are_recognised_whole_or_misspelt() {
        let words: HashSet<&'static str> = COMBO_WORDS.iter().copied().collect();
        for rest in ["113", "api", "nap247", "cskhhotro", "onliine", "hn"] {
            assert!(risky_rest(rest, &words), "{rest}");
        }
        for rest in ["land", "cup", "e", "", "rant"] {
            assert!(!risky_rest(rest, &words), "{rest}");
        }
    }

    #[test]
    fn unrelated_sites_are_not_flagged() {
        for d in [
            "google.com",
            "vietnamnet.vn",
            "zingnews.vn",
            "kenh14.vn",
            "cafef.vn",
            "nhandan.vn",
            "baomoi.com",
            "chotot.com",
            "thegioididong.com",
            "fpt.com.vn",
            "vinamilk.com.vn",
            "vietnamplus.vn",
            "batdongsan.com.vn",
            "vnexpress.net",
            "abc.com",
            "vip.vn",
            "cupcake.vn",
            "timothy.com",
            "example.org",
            "tuoitre.vn",
            "thanhnien.vn",
            "dantri.com.vn",
        ] {
            assert_eq!(check(d), None, "{d}");
        }
    }
}
