//! Precision, recall and F1.

use std::collections::BTreeMap;

/// Counts of a binary decision.
#[derive(Debug, Default, Clone, Copy)]
pub struct Binary {
    tp: u32,
    fp: u32,
    fn_: u32,
    tn: u32,
}

fn ratio(a: u32, b: u32) -> f64 {
    if b == 0 {
        0.0
    } else {
        (a as f64 / b as f64 * 10_000.0).round() / 10_000.0
    }
}

impl Binary {
    /// From (truth, prediction) pairs.
    pub fn of(pairs: impl Iterator<Item = (bool, bool)>) -> Binary {
        let mut b = Binary::default();
        for (truth, predicted) in pairs {
            match (truth, predicted) {
                (true, true) => b.tp += 1,
                (false, true) => b.fp += 1,
                (true, false) => b.fn_ += 1,
                (false, false) => b.tn += 1,
            }
        }
        b
    }

    /// Of the flagged, the share that were scams.
    pub fn precision(&self) -> f64 {
        ratio(self.tp, self.tp + self.fp)
    }

    /// Of the scams, the share flagged.
    pub fn recall(&self) -> f64 {
        ratio(self.tp, self.tp + self.fn_)
    }

    /// Harmonic mean of precision and recall.
    pub fn f1(&self) -> f64 {
        let (p, r) = (self.precision(), self.recall());
        if p + r == 0.0 {
            0.0
        } else {
            (2.0 * p * r / (p + r) * 10_000.0).round() / 10_000.0
        }
    }

    /// One printed line.
    pub fn row(&self, name: &str) -> String {
        format!(
            "{name:<28} {:>5} {:>9.3} {:>7.3} {:>6.3}   (tp {} fp {} fn {} tn {})",
            self.tp + self.fp + self.fn_ + self.tn,
            self.precision(),
            self.recall(),
            self.f1(),
            self.tp,
            self.fp,
            self.fn_,
            self.tn
        )
    }
}

/// One-vs-rest counts per method.
pub struct PerMethod(BTreeMap<String, Binary>);

impl PerMethod {
    /// From (labelled method, predicted method) pairs.
    pub fn of(pairs: impl Iterator<Item = (String, Option<String>)>) -> PerMethod {
        let pairs: Vec<_> = pairs.collect();
        let mut keys: Vec<String> = pairs.iter().map(|p| p.0.clone()).collect();
        keys.sort();
        keys.dedup();
        let map = keys
            .into_iter()
            .map(|k| {
                let b = Binary::of(
                    pairs
                        .iter()
                        .map(|(t, p)| (*t == k, p.as_deref() == Some(k.as_str()))),
                );
                (k, b)
            })
            .collect();
        PerMethod(map)
    }

    /// Prints a table.
    pub fn print(&self) {
        println!(
            "  {:<28} {:>5} {:>9} {:>7} {:>6}",
            "method", "n", "precision", "recall", "F1"
        );
        let mut f1_sum = 0.0;
        for (k, b) in &self.0 {
            let n = b.tp + b.fn_;
            println!(
                "  {k:<28} {n:>5} {:>9.3} {:>7.3} {:>6.3}",
                b.precision(),
                b.recall(),
                b.f1()
            );
            f1_sum += b.f1();
        }
        if !self.0.is_empty() {
            println!(
                "  {:<28} {:>5} {:>9} {:>7} {:>6.3}",
                "macro average",
                "",
                "",
                "",
                f1_sum / self.0.len() as f64
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn f1_of_known_counts() {
        // tp 8, fp 2, fn 2: precision 0.8, recall 0.8, F1 0.8
        let pairs = std::iter::repeat_n((true, true), 8)
            .chain(std::iter::repeat_n((false, true), 2))
            .chain(std::iter::repeat_n((true, false), 2))
            .chain(std::iter::repeat_n((false, false), 5));
        let b = Binary::of(pairs);
        assert_eq!((b.precision(), b.recall(), b.f1()), (0.8, 0.8, 0.8));
    }
}
