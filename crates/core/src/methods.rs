//! The catalogue of scam methods (phương thức, thủ đoạn), embedded from
//! `data/methods.json` (compiled from public warnings; see its `about`).

pub mod edit;

use once_cell::sync::Lazy;
use serde::{Deserialize, Serialize};

use crate::i18n::Lang;

const METHODS_JSON: &str = include_str!("../../../data/methods.json");

/// One scam method.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
pub struct Method {
    /// Stable key (`impersonate_authority`).
    pub key: String,
    /// Group (`impersonation`, `investment`, …).
    pub group: String,
    /// Vietnamese name.
    pub name_vi: String,
    /// English name.
    pub name_en: String,
    /// Vietnamese summary.
    pub summary_vi: String,
    /// English summary.
    pub summary_en: String,
    /// Warning signs, Vietnamese.
    #[serde(default)]
    pub red_flags_vi: Vec<String>,
    /// Warning signs, English.
    #[serde(default)]
    pub red_flags_en: Vec<String>,
    /// What to do, Vietnamese.
    #[serde(default)]
    pub advice_vi: Vec<String>,
    /// What to do, English.
    #[serde(default)]
    pub advice_en: Vec<String>,
    /// Channels it uses (`call`, `zalo`, …).
    #[serde(default)]
    pub channels: Vec<String>,
    /// How it works, step by step, Vietnamese.
    #[serde(default)]
    pub how_it_works_vi: Vec<String>,
    /// How it works, English.
    #[serde(default)]
    pub how_it_works_en: Vec<String>,
    /// Who it targets most (`elderly`, `students`, …).
    #[serde(default)]
    pub audiences_at_risk: Vec<String>,
    /// The year it was first seen in Vietnam, when known.
    #[serde(default)]
    pub first_seen_year: Option<u16>,
    /// Real messages of this method, each with where it was published.
    #[serde(default)]
    pub examples: Vec<MethodExample>,
}

/// A real message of a method, as a public warning quoted it.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
pub struct MethodExample {
    /// The message.
    pub text: String,
    /// Where it was published (a link or a citation).
    pub source: String,
}

impl Method {
    /// The name in a language.
    pub fn name(&self, lang: Lang) -> &str {
        lang.pick(&self.name_vi, &self.name_en)
    }

    /// The summary in a language.
    pub fn summary(&self, lang: Lang) -> &str {
        lang.pick(&self.summary_vi, &self.summary_en)
    }

    /// The warning signs in a language (Vietnamese when there is no translation).
    pub fn red_flags(&self, lang: Lang) -> &[String] {
        match lang {
            Lang::En if !self.red_flags_en.is_empty() => &self.red_flags_en,
            _ => &self.red_flags_vi,
        }
    }

    /// How it works in a language (Vietnamese when there is no translation).
    pub fn how_it_works(&self, lang: Lang) -> &[String] {
        match lang {
            Lang::En if !self.how_it_works_en.is_empty() => &self.how_it_works_en,
            _ => &self.how_it_works_vi,
        }
    }

    /// The advice in a language.
    pub fn advice(&self, lang: Lang) -> &[String] {
        match lang {
            Lang::Vi => &self.advice_vi,
            Lang::En => &self.advice_en,
        }
    }
}

#[derive(Deserialize)]
struct FileRoot {
    methods: Vec<Method>,
}

/// The whole catalogue, in file order. Index positions are stable for a build and
/// are used as compact method ids in memory.
pub struct Catalogue {
    methods: Vec<Method>,
}

/// Real scam messages quoted in public warnings, each with its source (the message
/// corpus's real part); up to [`EXAMPLES_PER_METHOD`] become each method's examples.
const REAL_MESSAGES: &str = include_str!("../../../corpus/messages/real.jsonl");
/// Examples a shipped method starts with.
pub const EXAMPLES_PER_METHOD: usize = 3;

#[derive(Deserialize)]
struct RealMessage {
    text: String,
    label: String,
    #[serde(default)]
    method: Option<String>,
    #[serde(default)]
    source: String,
}

/// The catalogue file's methods with their real example messages.
fn with_examples(mut methods: Vec<Method>) -> Vec<Method> {
    for line in REAL_MESSAGES.lines().filter(|l| !l.trim().is_empty()) {
        let Ok(m) = serde_json::from_str::<RealMessage>(line) else {
            continue;
        };
        let Some(key) = m
            .method
            .filter(|_| m.label == "scam" && !m.source.is_empty())
        else {
            continue;
        };
        if let Some(method) = methods.iter_mut().find(|x| x.key == key) {
            if method.examples.len() < EXAMPLES_PER_METHOD {
                method.examples.push(MethodExample {
                    text: m.text,
                    source: m.source,
                });
            }
        }
    }
    methods
}

static CATALOGUE: Lazy<Catalogue> = Lazy::new(|| Catalogue {
    methods: serde_json::from_str::<FileRoot>(METHODS_JSON)
        .map(|r| with_examples(r.methods))
        .unwrap_or_default(),
});

impl Catalogue {
    /// The embedded catalogue.
    pub fn get() -> &'static Catalogue {
        &CATALOGUE
    }

    /// Every method.
    pub fn all(&self) -> &[Method] {
        &self.methods
    }

    /// The method with this key.
    pub fn by_key(&self, key: &str) -> Option<&Method> {
        self.methods.iter().find(|m| m.key == key)
    }

    /// The position of a method, a compact id.
    pub fn index_of(&self, key: &str) -> Option<u16> {
        self.methods
            .iter()
            .position(|m| m.key == key)
            .and_then(|i| u16::try_from(i).ok())
    }

    /// The method at a position.
    pub fn by_index(&self, index: u16) -> Option<&Method> {
        self.methods.get(usize::from(index))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_catalogue_loads_with_names_and_advice_in_both_languages() {
        let c = Catalogue::get();
        assert!(c.all().len() >= 30);
        for m in c.all() {
            assert!(!m.name_vi.is_empty() && !m.name_en.is_empty(), "{}", m.key);
            assert!(!m.advice_vi.is_empty(), "{}", m.key);
        }
        let phishing = c.by_key("bank_phishing").expect("known method");
        assert_eq!(phishing.examples.len(), EXAMPLES_PER_METHOD);
        assert!(phishing
            .examples
            .iter()
            .all(|x| x.source.starts_with("http")));
        let i = c.index_of("impersonate_authority").expect("known method");
        assert_eq!(
            c.by_index(i).map(|m| m.key.as_str()),
            Some("impersonate_authority")
        );
    }
}
