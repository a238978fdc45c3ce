//! The figures that count: real messages only, judged by models that never saw their
//! publisher, with false alarms per kind of legitimate sender.

use std::collections::BTreeMap;

use crate::corpus::Example;
use crate::metrics::Binary;
use crate::Judged;

/// Prints precision, recall and F1 on real messages, the false-alarm rate per kind of
/// legitimate sender and per publisher, and every mistake.
pub fn report(examples: &[Example], judged: &[(usize, Judged)]) {
    println!(
        "\nreal messages only, 5-fold cross-validation by publisher ({} messages, {} publishers):",
        judged.len(),
        judged
            .iter()
            .map(|(i, _)| examples[*i].publisher())
            .collect::<std::collections::BTreeSet<_>>()
            .len()
    );
    println!(
        "  {:<28} {:>5} {:>9} {:>7} {:>6}",
        "", "n", "precision", "recall", "F1"
    );
    println!(
        "  {}",
        Binary::of(judged.iter().map(|(_, j)| (j.scam, j.predicted)))
            .row("scam vs legitimate, real")
    );

    let mut per_kind: BTreeMap<&str, (u32, u32)> = BTreeMap::new();
    for (i, j) in judged.iter().filter(|(_, j)| !j.scam) {
        let kind = examples[*i].kind.as_deref().unwrap_or("unknown");
        let entry = per_kind.entry(kind).or_default();
        entry.0 += u32::from(j.predicted);
        entry.1 += 1;
    }
    let (alarms, legit) = per_kind
        .values()
        .fold((0, 0), |(a, n), (x, y)| (a + x, n + y));
    println!(
        "\n  false alarms on real legitimate messages: {alarms}/{legit} ({:.1}%)",
        percent(alarms, legit)
    );
    for (kind, (a, n)) in &per_kind {
        println!("    {kind:<12} {a:>4}/{n:<4} ({:.1}%)", percent(*a, *n));
    }
    let scams = judged.iter().filter(|(_, j)| j.scam).count() as u32;
    let caught = judged.iter().filter(|(_, j)| j.scam && j.predicted).count() as u32;
    println!(
        "  scams flagged: {caught}/{scams} ({:.1}%)",
        percent(caught, scams)
    );

    let mut per_publisher: BTreeMap<&str, (u32, u32)> = BTreeMap::new();
    for (i, j) in judged {
        let entry = per_publisher.entry(examples[*i].publisher()).or_default();
        entry.0 += u32::from(j.scam == j.predicted);
        entry.1 += 1;
    }
    println!("\n  right per publisher:");
    for (publisher, (right, n)) in &per_publisher {
        println!("    {publisher:<40} {right:>3}/{n}");
    }
    println!("\n  mistakes:");
    for (i, j) in judged.iter().filter(|(_, j)| j.scam != j.predicted) {
        let text: String = examples[*i].text.chars().take(110).collect();
        let what = if j.scam { "missed" } else { "false alarm" };
        println!("    {what}: {text}");
    }
}

fn percent(a: u32, n: u32) -> f64 {
    if n == 0 {
        0.0
    } else {
        100.0 * f64::from(a) / f64::from(n)
    }
}
