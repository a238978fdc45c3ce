//! The `changes` log: every change the lookup index must apply, in sequence order.

use serde::{Deserialize, Serialize};
use sqlx::Row;

use crate::{Store, StoreError};

pub(crate) const KIND_REPORT_ADDED: &str = "report_added";
pub(crate) const KIND_IDENTIFIER_STATUS: &str = "identifier_status";
pub(crate) const KIND_PARTNER_LIST: &str = "partner_list";

/// A partner's blocklist came in (its keys, in parts of at most
/// [`crate::partner_lists::KEYS_PER_CHANGE`]) or was disabled (no keys: every key the
/// list named loses its mark).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PartnerList {
    /// The list.
    pub list_id: i64,
    /// The partner's name.
    pub partner: String,
    /// The day the partner listed them (unix seconds).
    pub listed_on: i64,
    /// The partner's confidence, 0–100.
    pub confidence: u8,
    /// In force (true) or disabled.
    pub active: bool,
    /// Keys of this part.
    pub keys: Vec<String>,
}

/// An officer verified an identifier as a scam, or cleared it after review.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IdentifierStatus {
    /// Identifier key.
    pub key: String,
    /// Verified (true) or cleared (false).
    pub verified: bool,
    /// Unix seconds.
    pub at: i64,
}

/// A report was added: what the index needs of it, and nothing personal.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReportAdded {
    /// Report id.
    pub report_id: i64,
    /// Unix seconds received.
    pub at: i64,
    /// Loss, VND.
    pub loss: u64,
    /// Method key.
    pub method: Option<String>,
    /// Keyed fingerprint of the reporter (or `anon:<code>`).
    pub reporter: String,
    /// Identifier keys.
    pub keys: Vec<String>,
}

/// One entry of the log.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Change {
    /// A report was added.
    ReportAdded(ReportAdded),
    /// An officer's verdict on an identifier.
    IdentifierStatus(IdentifierStatus),
    /// A partner's blocklist, or part of one, came in or was disabled.
    PartnerList(PartnerList),
    /// A kind this version does not know (written by a newer node): skipped.
    Unknown(String),
}

/// A change's payload read as its kind's type.
pub(crate) fn payload_of<T: serde::de::DeserializeOwned>(
    seq: i64,
    payload: &str,
) -> Result<T, StoreError> {
    serde_json::from_str(payload).map_err(|e| StoreError::Corrupt(format!("change {seq}: {e}")))
}

impl Store {
    /// Up to `limit` changes after `seq`, in order, with their sequence numbers.
    pub async fn changes_since(
        &self,
        seq: i64,
        limit: i64,
    ) -> Result<Vec<(i64, Change)>, StoreError> {
        let rows = sqlx::query(
            "SELECT seq, kind, payload FROM changes WHERE seq > $1 ORDER BY seq LIMIT $2",
        )
        .bind(seq)
        .bind(limit)
        .fetch_all(&self.pool)
        .await?;
        let mut out = Vec::with_capacity(rows.len());
        for row in rows {
            let seq: i64 = row.try_get("seq")?;
            let kind: String = row.try_get("kind")?;
            let payload: String = row.try_get("payload")?;
            let change = match kind.as_str() {
                KIND_REPORT_ADDED => Change::ReportAdded(payload_of(seq, &payload)?),
                KIND_IDENTIFIER_STATUS => Change::IdentifierStatus(payload_of(seq, &payload)?),
                KIND_PARTNER_LIST => Change::PartnerList(payload_of(seq, &payload)?),
                other => Change::Unknown(other.to_string()),
            };
            out.push((seq, change));
        }
        Ok(out)
    }
}
