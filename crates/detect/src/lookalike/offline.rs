//! The lookalike rules in a form a browser extension applies offline: each brand's
//! official domains and the names it goes by, the words scammers glue to a name, the
//! risky top-level domains, and the character look-alikes. A subset of the server's
//! rules (no one-edit typos, no confusable skeletons beyond the table): what fits in a
//! small JSON file and a few lines of JavaScript.

use std::collections::BTreeMap;

use serde::Serialize;

use super::edits::loose_latin;
use super::words::{COMBO_WORDS, RISKY_TLDS};
use super::{Registry, MIN_EMBEDDED_LABEL};

/// A brand as the extension sees it.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct OfflineBrand {
    /// Stable key.
    pub key: String,
    /// Name for people.
    pub name: String,
    /// Category.
    pub category: String,
    /// Domains it really uses: these and their subdomains are official.
    pub official: Vec<String>,
    /// Names it goes by in domains (letters and digits, lower case).
    pub labels: Vec<String>,
}

/// The rules.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct OfflineRules {
    /// The protected brands.
    pub brands: Vec<OfflineBrand>,
    /// Words glued to a brand name ("vietcombank-hotro").
    pub combo_words: Vec<String>,
    /// A brand name inside a longer label counts from this length (shorter ones only
    /// with a combo word).
    pub min_embedded_label: usize,
    /// Top-level domains phishing favours.
    pub risky_tlds: Vec<String>,
    /// Characters that pass for Latin letters or digits, and the letter they pass for.
    pub look_alikes: BTreeMap<String, String>,
    /// Two-label public suffixes under which the registrable domain has three labels.
    pub two_label_suffixes: Vec<String>,
}

/// Two-label public suffixes common in Vietnamese scams (the full list is the Public
/// Suffix List; an extension without it uses these).
const TWO_LABEL_SUFFIXES: &[&str] = &[
    "com.vn",
    "net.vn",
    "org.vn",
    "gov.vn",
    "edu.vn",
    "info.vn",
    "biz.vn",
    "name.vn",
    "pro.vn",
    "health.vn",
    "int.vn",
    "ac.vn",
    "id.vn",
    "io.vn",
    "co.uk",
    "com.au",
    "com.sg",
    "com.cn",
    "com.hk",
];

impl Registry {
    /// The rules for offline use.
    pub fn offline_rules(&self) -> OfflineRules {
        let mut labels: Vec<Vec<String>> = vec![Vec::new(); self.brands.len()];
        for (label, i) in &self.labels {
            if let Some(l) = labels.get_mut(*i) {
                if label.bytes().all(|b| b.is_ascii_alphanumeric()) {
                    l.push(label.clone());
                }
            }
        }
        let mut official: Vec<Vec<String>> = vec![Vec::new(); self.brands.len()];
        for (domain, i) in &self.official {
            if let Some(o) = official.get_mut(*i) {
                o.push(domain.clone());
            }
        }
        let brands = self
            .brands
            .iter()
            .enumerate()
            .map(|(i, b)| {
                let mut l = std::mem::take(&mut labels[i]);
                l.sort();
                let mut o = std::mem::take(&mut official[i]);
                o.sort();
                OfflineBrand {
                    key: b.key.clone(),
                    name: b.name.clone(),
                    category: b.category.clone(),
                    official: o,
                    labels: l,
                }
            })
            .collect();
        let mut look_alikes = BTreeMap::new();
        for (digit, letter) in [
            ('0', 'o'),
            ('1', 'l'),
            ('3', 'e'),
            ('4', 'a'),
            ('5', 's'),
            ('7', 't'),
            ('8', 'b'),
        ] {
            look_alikes.insert(digit.to_string(), letter.to_string());
        }
        for c in (0x0370u32..0x0530).filter_map(char::from_u32) {
            if let Some(l) = loose_latin(c) {
                look_alikes.insert(c.to_string(), l.to_string());
            }
        }
        OfflineRules {
            brands,
            combo_words: COMBO_WORDS.iter().map(|w| w.to_string()).collect(),
            min_embedded_label: MIN_EMBEDDED_LABEL,
            risky_tlds: RISKY_TLDS.iter().map(|w| w.to_string()).collect(),
            look_alikes,
            two_label_suffixes: TWO_LABEL_SUFFIXES.iter().map(|s| s.to_string()).collect(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_brand_has_its_official_domains_and_names() {
        let rules = Registry::default_brands().offline_rules();
        let vcb = rules
            .brands
            .iter()
            .find(|b| b.name.contains("Vietcombank"))
            .expect("Vietcombank");
        assert!(vcb.official.iter().any(|d| d == "vietcombank.com.vn"));
        assert!(vcb.labels.iter().any(|l| l == "vietcombank"));
        assert!(rules.combo_words.iter().any(|w| w == "hotro"));
        assert_eq!(rules.look_alikes.get("0").map(String::as_str), Some("o"));
        assert_eq!(rules.look_alikes.get("м").map(String::as_str), Some("m"));
        assert!(rules.brands.iter().all(|b| !b.official.is_empty()));
    }
}
