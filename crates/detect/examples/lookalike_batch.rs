//! Reads domains (one per line) and prints, tab-separated: the domain, the brand it
//! imitates (or "-"), the technique (or "-"), or "invalid". Used by
//! bench/lookalike_recall.py. `--no-popular`: without the list of established sites,
//! to measure what the matching rules alone flag.

use std::io::{BufRead, Write};

use canhgiac_core::ident::Website;
use canhgiac_detect::lookalike::Registry;

fn main() {
    let bare;
    let registry = if std::env::args().any(|a| a == "--no-popular") {
        bare = Registry::new(Registry::default_brands().brands().to_vec()).without_popular();
        &bare
    } else {
        Registry::default_brands()
    };
    let stdin = std::io::stdin();
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    for line in stdin.lock().lines().map_while(Result::ok) {
        let domain = line.trim();
        let answer = match Website::parse(domain) {
            Err(_) => "invalid\t-".to_string(),
            Ok(site) if registry.official(&site).is_some() => "official\t-".to_string(),
            Ok(site) => match registry.check(&site) {
                Some(l) => format!(
                    "{}\t{}",
                    l.brand,
                    serde_json::to_string(&l.technique)
                        .unwrap_or_default()
                        .trim_matches('"')
                ),
                None => "-\t-".to_string(),
            },
        };
        if writeln!(out, "{domain}\t{answer}").is_err() {
            break;
        }
    }
}
