//! The list of Vietnamese banks (NAPAS BIN, short names, full names) and lookup
//! by any name people write.
//!
//! Data: `data/vn-banks.json` (from ghuyphan/vietnam-banks-and-ewallets, cross-checked
//! against the VietQR BIN table in the project's domain facts), embedded at build time.

use once_cell::sync::Lazy;
use serde::{Deserialize, Serialize};

use crate::fold::fold;

const BANKS_JSON: &str = include_str!("../../../data/vn-banks.json");

/// One bank.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Bank {
    /// The short code used in the data file (e.g. "VCB").
    pub code: String,
    /// The brand name (e.g. "Vietcombank").
    pub short_name: String,
    /// The 6-digit NAPAS BIN (e.g. "970436").
    pub bin: String,
    /// The full Vietnamese name.
    pub name_vi: String,
    /// The full English name.
    pub name_en: String,
}

#[derive(Deserialize)]
struct FileRoot {
    banks: Vec<FileBank>,
}

#[derive(Deserialize)]
struct FileBank {
    code: String,
    name: String,
    bin: String,
    #[serde(rename = "fullName")]
    full_name: FileNames,
}

#[derive(Deserialize)]
struct FileNames {
    en: String,
    vi: String,
}

/// Extra names people use that the data file does not carry, by bank code.
const ALIASES: &[(&str, &[&str])] = &[
    ("VCB", &["ngoai thuong", "vietcom"]),
    ("ICB", &["ctg", "vietin", "cong thuong", "viettinbank"]),
    ("VBA", &["agri", "nong nghiep", "agb"]),
    ("MB", &["mbb", "quan doi", "mb bank"]),
    ("TCB", &["techcom", "ky thuong"]),
    ("STB", &["sacom", "sai gon thuong tin"]),
    ("VPB", &["vpbank", "vp bank"]),
    ("TPB", &["tpbank", "tien phong"]),
    ("BIDV", &["dau tu va phat trien"]),
    ("ACB", &["a chau"]),
    ("EIB", &["exim"]),
    ("HDB", &["hd bank"]),
    ("SHBVN", &["shinhan"]),
    (
        "LPB",
        &["lienvietpostbank", "lien viet", "lpbank", "loc phat"],
    ),
    ("MSB", &["maritime", "hang hai"]),
    ("VCCB", &["bvbank", "ban viet"]),
    ("Vikki", &["donga", "dong a", "dab"]),
    ("MBV", &["oceanbank", "ocean bank"]),
    ("SEAB", &["seabank", "dong nam a"]),
    ("NAB", &["nam a"]),
    ("KLB", &["kien long"]),
];

/// The bank registry, loaded once.
pub struct Banks {
    banks: Vec<Bank>,
    /// (folded, squashed name, index) pairs for lookup by name.
    names: Vec<(String, usize)>,
    /// The same names for exact lookup.
    exact: std::collections::HashMap<String, usize>,
}

pub(crate) fn squash(text: &str) -> String {
    fold(text).chars().filter(|c| c.is_alphanumeric()).collect()
}

static BANKS: Lazy<Banks> = Lazy::new(|| {
    let root: FileRoot = match serde_json::from_str(BANKS_JSON) {
        Ok(r) => r,
        Err(_) => FileRoot { banks: Vec::new() },
    };
    let banks: Vec<Bank> = root
        .banks
        .into_iter()
        .map(|b| Bank {
            code: b.code,
            short_name: b.name,
            bin: b.bin,
            name_vi: b.full_name.vi,
            name_en: b.full_name.en,
        })
        .collect();
    let mut names = Vec::new();
    for (i, b) in banks.iter().enumerate() {
        for n in [&b.code, &b.short_name, &b.name_vi, &b.name_en, &b.bin] {
            names.push((squash(n), i));
        }
        let stripped = squash(
            &b.name_vi
                .replace("Ngân hàng TMCP", "")
                .replace("Ngân hàng", ""),
        );
        names.push((stripped, i));
        if let Some((_, extra)) = ALIASES.iter().find(|(c, _)| *c == b.code) {
            for n in *extra {
                names.push((squash(n), i));
            }
        }
    }
    names.retain(|(n, _)| !n.is_empty());
    let mut exact = std::collections::HashMap::new();
    for (n, i) in &names {
        exact.entry(n.clone()).or_insert(*i);
    }
    // "vietcom" finds "vietcombank": the names without their "bank" suffix.
    for (n, i) in &names {
        if let Some(short) = n.strip_suffix("bank").filter(|s| s.len() >= 2) {
            exact.entry(short.to_string()).or_insert(*i);
        }
    }
    Banks {
        banks,
        names,
        exact,
    }
});

impl Banks {
    /// The registry.
    pub fn get() -> &'static Banks {
        &BANKS
    }

    /// Every bank, in file order.
    pub fn all(&self) -> &[Bank] {
        &self.banks
    }

    /// The bank with this NAPAS BIN.
    pub fn by_bin(&self, bin: &str) -> Option<&Bank> {
        self.banks.iter().find(|b| b.bin == bin)
    }

    /// The bank named by a code, brand, full name, alias or BIN, written in any case,
    /// with or without diacritics and spaces ("VCB", "vietcombank", "Ngân hàng Ngoại thương").
    pub fn find(&self, name: &str) -> Option<&Bank> {
        let full = squash(name);
        if let Some(bank) = self.find_squashed(&full) {
            return Some(bank);
        }
        let key = full.strip_prefix("nganhang").unwrap_or(&full);
        let key = key
            .strip_prefix("nh")
            .filter(|k| k.len() >= 3)
            .unwrap_or(key);
        if key.is_empty() {
            return None;
        }
        self.find_squashed(key)
    }

    /// Exact lookup of an already folded, squashed name (letters and digits only).
    pub fn find_squashed(&self, key: &str) -> Option<&Bank> {
        if key.len() > 64 {
            return None;
        }
        self.exact.get(key).map(|i| &self.banks[*i])
    }

    /// Up to `limit` banks whose names are closest to `name`, for "did you mean".
    pub fn closest(&self, name: &str, limit: usize) -> Vec<&Bank> {
        let key = squash(name);
        let mut scored: Vec<(f64, usize)> = self
            .names
            .iter()
            .map(|(n, i)| {
                let mut s = strsim::jaro_winkler(&key, n);
                if n.starts_with(&key) || key.starts_with(n.as_str()) {
                    s += 0.2;
                }
                (s, *i)
            })
            .collect();
        scored.sort_by(|a, b| b.0.total_cmp(&a.0));
        let mut out: Vec<&Bank> = Vec::new();
        for (_, i) in scored {
            let bank = &self.banks[i];
            if !out.iter().any(|b| b.code == bank.code) {
                out.push(bank);
            }
            if out.len() == limit {
                break;
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn banks_are_found_by_code_brand_full_name_and_bin() {
        let banks = Banks::get();
        assert!(banks.all().len() >= 50);
        for name in [
            "VCB",
            "vietcombank",
            "Vietcombank",
            "Ngân hàng TMCP Ngoại Thương Việt Nam",
            "970436",
            "ngoai thuong",
        ] {
            assert_eq!(
                banks.find(name).map(|b| b.bin.as_str()),
                Some("970436"),
                "{name}"
            );
        }
        assert_eq!(banks.find("MB").map(|b| b.bin.as_str()), Some("970422"));
        assert_eq!(banks.find("mbbank").map(|b| b.bin.as_str()), Some("970422"));
        assert_eq!(
            banks.find("Techcombank").map(|b| b.bin.as_str()),
            Some("970407")
        );
        assert_eq!(
            banks.find("Vietinbank").map(|b| b.bin.as_str()),
            Some("970415")
        );
        assert_eq!(
            banks.find("agribank").map(|b| b.bin.as_str()),
            Some("970405")
        );
        assert_eq!(
            banks.find("Sacombank").map(|b| b.bin.as_str()),
            Some("970403")
        );
    }

    #[test]
    fn an_unknown_bank_is_not_found_but_has_close_suggestions() {
        let banks = Banks::get();
        assert!(banks.find("Vietcombnak").is_none());
        let close = banks.closest("Vietcombnak", 3);
        assert_eq!(close.first().map(|b| b.code.as_str()), Some("VCB"));
        assert!(banks.find("").is_none());
    }
}
