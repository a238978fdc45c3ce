//! The lookalike detector on real domains: brand-abusing domains published by
//! authorities and the press (`bench/data/brand-abuse-domains.tsv`), and the list of
//! established Vietnamese sites (`data/popular-domains-vn.tsv`), judged both with the
//! list (as the server answers) and without it (what the matching rules alone flag).

use anyhow::Context;
use canhgiac_core::ident::Website;
use canhgiac_detect::lookalike::{popular_domains, Registry};

const ABUSE: &str = "bench/data/brand-abuse-domains.tsv";

/// Prints recall on real brand-abusing domains and false flags on established sites.
pub fn report() -> anyhow::Result<()> {
    let raw = std::fs::read_to_string(ABUSE).with_context(|| format!("reading {ABUSE}"))?;
    let shipped = Registry::default_brands();
    let bare = Registry::new(shipped.brands().to_vec()).without_popular();
    let abuse: Vec<(&str, &str)> = raw
        .lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .filter_map(|l| {
            let mut cols = l.split('\t');
            Some((cols.next()?, cols.next()?))
        })
        .collect();
    let mut found = 0;
    let mut named_brand = 0;
    let mut missed = Vec::new();
    for (domain, brand) in &abuse {
        let flagged = Website::parse(domain)
            .ok()
            .and_then(|site| shipped.check(&site));
        match flagged {
            Some(l) => {
                found += 1;
                named_brand += usize::from(l.brand == *brand);
            }
            None => missed.push(*domain),
        }
    }
    println!(
        "\nlookalike detector, real brand-abusing domains ({ABUSE}): {found}/{} flagged ({:.1}%), {named_brand} with the right brand",
        abuse.len(),
        100.0 * found as f64 / abuse.len().max(1) as f64
    );
    if !missed.is_empty() {
        println!("  missed: {}", missed.join(", "));
    }
    let popular: Vec<&str> = popular_domains().map(|(d, _)| d).collect();
    let flags = |registry: &Registry| -> Vec<String> {
        popular
            .iter()
            .filter_map(|d| {
                let site = Website::parse(d).ok()?;
                registry.check(&site).map(|l| format!("{d} ({})", l.brand))
            })
            .collect()
    };
    let with_list = flags(shipped);
    let rules_alone = flags(&bare);
    println!(
        "  established Vietnamese sites (data/popular-domains-vn.tsv, {}): {} flagged as served; {} ({:.1}%) by the matching rules alone: {}",
        popular.len(),
        with_list.len(),
        rules_alone.len(),
        100.0 * rules_alone.len() as f64 / popular.len().max(1) as f64,
        rules_alone.join(", ")
    );
    Ok(())
}
