//! The message corpus: JSON lines with text, label, method and provenance.

use std::path::{Path, PathBuf};

use anyhow::{bail, Context};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

/// One message of the corpus.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Example {
    /// As received.
    pub text: String,
    /// `scam` or `legit`.
    pub label: String,
    /// Catalogue key of the method (scams only).
    pub method: Option<String>,
    /// Where it came from: an address for real messages, `synthetic:<template>` otherwise.
    pub source: String,
    /// How it was collected.
    #[serde(default)]
    pub origin: String,
    /// For a legitimate message, who sends such messages: carrier, bank, wallet,
    /// government, utility, school, shop, delivery, personal.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<String>,
    /// When it was published or received (YYYY-MM-DD), when known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date: Option<String>,
}

impl Example {
    /// A scam?
    pub fn is_scam(&self) -> bool {
        self.label == "scam"
    }

    /// Written for training rather than received by someone.
    pub fn is_synthetic(&self) -> bool {
        self.source.starts_with("synthetic:")
    }

    /// The publisher a real message was taken from (the host of its source address,
    /// or the file it names): folds are drawn by publisher, so that one sender's
    /// templates never sit on both sides of a split.
    pub fn publisher(&self) -> &str {
        let rest = self
            .source
            .split_once("://")
            .map_or(self.source.as_str(), |(_, r)| r);
        let host = rest.split(['/', ' ']).next().unwrap_or(rest);
        host.strip_prefix("www.").unwrap_or(host)
    }

    /// Held out for evaluation: a fixed fifth of the messages, chosen by a hash of the
    /// text so that the split never changes when examples are added.
    pub fn held_out(&self) -> bool {
        fold_of(&self.text, 5) == 0
    }
}

/// Which of `k` folds a text falls in (stable across runs and machines).
pub fn fold_of(text: &str, k: u64) -> u64 {
    let digest = Sha256::digest(text.as_bytes());
    let mut first = [0u8; 8];
    first.copy_from_slice(&digest[..8]);
    u64::from_le_bytes(first) % k
}

/// The corpus files of a directory, in name order.
pub fn files(dir: &Path) -> anyhow::Result<Vec<PathBuf>> {
    let mut out: Vec<PathBuf> = std::fs::read_dir(dir)
        .with_context(|| format!("reading the corpus directory {}", dir.display()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "jsonl"))
        .collect();
    out.sort();
    if out.is_empty() {
        bail!("no .jsonl files in {}", dir.display());
    }
    Ok(out)
}

/// Reads corpus files; also returns a description with each file's SHA-256.
pub fn load(paths: &[PathBuf]) -> anyhow::Result<(Vec<Example>, String)> {
    let mut examples = Vec::new();
    let mut described = Vec::new();
    for path in paths {
        let raw = std::fs::read(path).with_context(|| format!("reading {}", path.display()))?;
        let text = std::str::from_utf8(&raw)
            .with_context(|| format!("{} is not UTF-8", path.display()))?;
        let before = examples.len();
        for (n, line) in text.lines().enumerate() {
            if line.trim().is_empty() {
                continue;
            }
            let e: Example = serde_json::from_str(line)
                .with_context(|| format!("{}:{}: not a corpus line", path.display(), n + 1))?;
            if e.label != "scam" && e.label != "legit" {
                bail!("{}:{}: label must be scam or legit", path.display(), n + 1);
            }
            if e.is_scam() && e.method.is_none() {
                bail!("{}:{}: a scam needs its method", path.display(), n + 1);
            }
            if let Some(m) = &e.method {
                if canhgiac_core::methods::Catalogue::get().by_key(m).is_none() {
                    bail!("{}:{}: unknown method {m}", path.display(), n + 1);
                }
            }
            examples.push(e);
        }
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        described.push(format!(
            "{name} ({} messages, sha256 {})",
            examples.len() - before,
            hex::encode(Sha256::digest(&raw))
        ));
    }
    Ok((examples, described.join("; ")))
}
