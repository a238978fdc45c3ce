//! Fitting: vocabulary by document frequency, unit-length binary rows, and two
//! logistic regressions from `linfa-logistic` (scam-or-not, and methods).

use std::collections::HashMap;

use anyhow::Context;
use canhgiac_detect::message::{feature_hashes, model};
use linfa::prelude::*;
use linfa_logistic::{LogisticRegression, MultiLogisticRegression};
use ndarray::{Array1, Array2};

use crate::corpus::Example;

/// Settings of a fit.
#[derive(Debug, Clone, Copy)]
pub struct Settings {
    /// Most features kept (by document frequency).
    pub max_features: usize,
    /// A feature must appear in this many training messages.
    pub min_df: u32,
    /// L2 penalty.
    pub alpha: f32,
    /// Optimiser iterations.
    pub iterations: u64,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            max_features: 8_000,
            min_df: 2,
            alpha: 0.02,
            iterations: 200,
        }
    }
}

/// Feature hashes of each example, computed once.
pub fn featurize(examples: &[Example]) -> Vec<Vec<u64>> {
    examples
        .iter()
        .map(|e| {
            let mut h = feature_hashes(&e.text);
            h.sort_unstable();
            h.dedup();
            h
        })
        .collect()
}

fn vocabulary(rows: &[&Vec<u64>], s: &Settings) -> Vec<u64> {
    let mut df: HashMap<u64, u32> = HashMap::new();
    for r in rows {
        for h in r.iter() {
            *df.entry(*h).or_default() += 1;
        }
    }
    let mut kept: Vec<(u64, u32)> = df.into_iter().filter(|(_, n)| *n >= s.min_df).collect();
    // most frequent first; ties by hash so the result is the same on every run
    kept.sort_unstable_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    kept.truncate(s.max_features);
    let mut v: Vec<u64> = kept.into_iter().map(|(h, _)| h).collect();
    v.sort_unstable();
    v
}

fn matrix(rows: &[&Vec<u64>], vocab: &[u64]) -> Array2<f32> {
    let index: HashMap<u64, usize> = vocab.iter().enumerate().map(|(i, h)| (*h, i)).collect();
    let mut x = Array2::<f32>::zeros((rows.len(), vocab.len()));
    for (r, hashes) in rows.iter().enumerate() {
        let cols: Vec<usize> = hashes
            .iter()
            .filter_map(|h| index.get(h).copied())
            .collect();
        if cols.is_empty() {
            continue;
        }
        let v = 1.0 / (cols.len() as f32).sqrt();
        for c in cols {
            x[(r, c)] = v;
        }
    }
    x
}

fn round4(x: f32) -> f32 {
    (x * 10_000.0).round() / 10_000.0
}

/// Trains both models on the examples at `train` (indices into `examples`).
pub fn fit(
    examples: &[Example],
    hashes: &[Vec<u64>],
    train: &[usize],
    s: &Settings,
    trained_on: String,
) -> anyhow::Result<model::Model> {
    let rows: Vec<&Vec<u64>> = train.iter().map(|&i| &hashes[i]).collect();
    let vocab = vocabulary(&rows, s);
    let x = matrix(&rows, &vocab);
    let y: Array1<bool> = train.iter().map(|&i| examples[i].is_scam()).collect();
    let binary = LogisticRegression::default()
        .alpha(s.alpha)
        .max_iterations(s.iterations)
        .fit(&Dataset::new(x.clone(), y))
        .context("fitting scam-or-not")?;
    // linfa takes the first label it meets as the positive class: turn the weights
    // around when that was `false` so that they always speak for "scam".
    let sign = if binary.labels().pos.class { 1.0 } else { -1.0 };
    let scam_weights: Vec<f32> = binary.params().iter().map(|w| round4(sign * w)).collect();

    let scam_rows: Vec<usize> = (0..train.len())
        .filter(|&r| examples[train[r]].is_scam())
        .collect();
    let mut keys: Vec<String> = scam_rows
        .iter()
        .filter_map(|&r| examples[train[r]].method.clone())
        .collect();
    keys.sort();
    keys.dedup();
    let xm = x.select(ndarray::Axis(0), &scam_rows);
    let ym: Array1<usize> = scam_rows
        .iter()
        .map(|&r| {
            let m = examples[train[r]].method.as_deref().unwrap_or_default();
            keys.iter().position(|k| k == m).unwrap_or(0)
        })
        .collect();
    let multi = MultiLogisticRegression::default()
        .alpha(s.alpha)
        .max_iterations(s.iterations)
        .fit(&Dataset::new(xm, ym))
        .context("fitting methods")?;
    // Classes come back in linfa's order: map each to its key.
    let classes: Vec<usize> = multi.classes().to_vec();
    let params = multi.params();
    let k = classes.len();
    let mut method_weights = vec![0.0f32; vocab.len() * k];
    for f in 0..vocab.len() {
        for c in 0..k {
            method_weights[f * k + c] = round4(params[(f, c)]);
        }
    }
    let file = model::ModelFile {
        version: model::FORMAT_VERSION,
        trained_on,
        features: vocab,
        scam_intercept: round4(sign * binary.intercept()),
        scam_weights,
        method_keys: classes.iter().map(|&c| keys[c].clone()).collect(),
        method_intercepts: multi.intercept().iter().map(|w| round4(*w)).collect(),
        method_weights,
    };
    Ok(model::Model::new(file)?)
}
