//! A protected brand as stored: what officers edit and the lookalike detector
//! protects.

use serde::{Deserialize, Serialize};

/// A protected brand.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BrandRecord {
    /// Stable key.
    pub key: String,
    /// Name for people.
    pub name: String,
    /// Category.
    pub category: String,
    /// Real domains.
    pub domains: Vec<String>,
}
