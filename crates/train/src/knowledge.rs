//! `canhgiac-train knowledge`: checks the official knowledge the verdicts rely on, and
//! proposes additions to the list of established sites from a site ranking.

use std::collections::HashSet;
use std::path::Path;

use anyhow::{bail, Context};
use canhgiac_core::ident::Website;
use canhgiac_detect::lookalike::{popular_domains, Registry};
use canhgiac_detect::message::Sender;
use serde::Deserialize;

const SENDERS: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../data/official-senders.json"
);

#[derive(Deserialize)]
struct SenderEntry {
    sender: String,
    kind: String,
    source: Option<String>,
}

#[derive(Deserialize)]
struct SendersFile {
    senders: Vec<SenderEntry>,
}

/// Checks the files; lists a ranking's missing Vietnamese sites when one is given.
pub fn check(ranking: Option<&Path>, top: usize) -> anyhow::Result<()> {
    let registry = Registry::default_brands();
    let mut problems = Vec::new();

    // Every real and owned domain parses and is official for its own brand only.
    let mut owned = 0;
    for brand in registry.brands() {
        for domain in brand.domains.iter().chain(&brand.owned) {
            owned += 1;
            match Website::parse(domain) {
                Err(e) => problems.push(format!("{}: {domain} does not parse ({e})", brand.key)),
                Ok(site) => match registry.official(&site) {
                    Some(b) if b.key == brand.key => {}
                    Some(b) => problems.push(format!(
                        "{}: {domain} is official for {} instead",
                        brand.key, b.key
                    )),
                    None => problems.push(format!("{}: {domain} is not official", brand.key)),
                },
            }
        }
    }

    // Every established site parses, and none is a protected brand's own.
    let popular: Vec<&str> = popular_domains().map(|(d, _)| d).collect();
    let mut seen = HashSet::new();
    for domain in &popular {
        if !seen.insert(*domain) {
            problems.push(format!("popular-domains-vn.tsv: {domain} twice"));
        }
        match Website::parse(domain) {
            Err(e) => problems.push(format!(
                "popular-domains-vn.tsv: {domain} does not parse ({e})"
            )),
            Ok(site) if registry.check(&site).is_some() => {
                problems.push(format!("popular-domains-vn.tsv: {domain} is flagged"))
            }
            Ok(_) => {}
        }
    }

    // Every official sender is a sender the check accepts, with a source.
    let raw = std::fs::read_to_string(SENDERS).with_context(|| format!("reading {SENDERS}"))?;
    let senders: SendersFile =
        serde_json::from_str(&raw).with_context(|| format!("parsing {SENDERS}"))?;
    let mut unchecked = 0;
    for entry in &senders.senders {
        match Sender::parse(&entry.sender) {
            Ok(Some(s)) if s.is_official() => {}
            Ok(_) => problems.push(format!(
                "{SENDERS}: {} is not recognised as official",
                entry.sender
            )),
            Err(e) => problems.push(format!("{SENDERS}: {} is refused ({e})", entry.sender)),
        }
        match &entry.source {
            None => problems.push(format!("{SENDERS}: {} has no source", entry.sender)),
            Some(s) if s.contains("not yet checked") => unchecked += 1,
            Some(_) => {}
        }
        if !matches!(entry.kind.as_str(), "brandname" | "short_code" | "hotline") {
            problems.push(format!(
                "{SENDERS}: {} has kind {}",
                entry.sender, entry.kind
            ));
        }
    }

    println!(
        "{} brands with {owned} real and owned domains; {} established sites; {} official senders ({unchecked} not yet checked against a published source)",
        registry.brands().len(),
        popular.len(),
        senders.senders.len()
    );
    if let Some(path) = ranking {
        propose(path, top, &seen)?;
    }
    if !problems.is_empty() {
        for p in &problems {
            eprintln!("  {p}");
        }
        bail!("{} problems in the knowledge files", problems.len());
    }
    Ok(())
}

/// Prints the ranking's Vietnamese sites (under .vn) that the list lacks, as lines to
/// review and append.
fn propose(path: &Path, top: usize, known: &HashSet<&str>) -> anyhow::Result<()> {
    let raw =
        std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
    let mut proposed = 0;
    for line in raw.lines().take(top) {
        let domain = line
            .rsplit(',')
            .next()
            .unwrap_or("")
            .trim()
            .to_ascii_lowercase();
        if !domain.ends_with(".vn") || known.contains(domain.as_str()) {
            continue;
        }
        let flagged = Website::parse(&domain)
            .ok()
            .and_then(|site| Registry::default_brands().check(&site))
            .map(|l| {
                format!(
                    "\t# flagged as {}: check it is the brand's before adding",
                    l.brand
                )
            })
            .unwrap_or_default();
        println!("{domain}\tranked{flagged}");
        proposed += 1;
    }
    eprintln!("{proposed} Vietnamese sites of the first {top} ranked are not in the list");
    Ok(())
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_shipped_knowledge_files_hold_together() {
        super::check(None, 0).expect("no problems");
    }
}
