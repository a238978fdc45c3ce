//! The loopholes scammers use, by sector (directive §2): the groups of identifiers
//! reported in a period ([`crate::LookupIndex::identifier_groups`] counts them in
//! memory) and how each bank answered hold requests.

use crate::{Store, StoreError};

/// Identifiers of one group (a bank, a number range, a platform…) in a period.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IdentifierGroup {
    /// The group: a BIN, a number prefix (`+8491`), a platform, a chain, a host.
    pub group: String,
    /// Distinct identifiers reported.
    pub identifiers: u64,
    /// Reports naming them.
    pub reports: u64,
    /// Identifiers an officer verified as a scam.
    pub verified: u64,
}

/// How a bank answered one hold request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HoldAnswer {
    /// The bank's BIN.
    pub bank_bin: String,
    /// Its state now.
    pub state: String,
    /// When it was sent (or created, if never marked sent).
    pub sent_at: i64,
    /// When the bank first answered (acknowledged, held or refused).
    pub answered_at: Option<i64>,
    /// Amount held, VND.
    pub held_vnd: i64,
}

/// bank, state, created, sent, answered, held amount
type AnswerRow = (String, String, i64, Option<i64>, Option<i64>, i64);

impl Store {
    /// The hold requests made in `[from, to)` and how their banks answered.
    pub async fn hold_answers(&self, from: i64, to: i64) -> Result<Vec<HoldAnswer>, StoreError> {
        let rows: Vec<AnswerRow> = sqlx::query_as(
            "SELECT h.bank_bin, h.state, h.created_at, \
               (SELECT MIN(e.at) FROM hold_events e WHERE e.request_id = h.id AND e.state = 'sent'), \
               (SELECT MIN(COALESCE(e.effective_at, e.at)) FROM hold_events e WHERE e.request_id = h.id AND e.state IN ('acknowledged', 'held', 'refused')), \
               h.held_amount_vnd \
             FROM hold_requests h WHERE h.created_at >= $1 AND h.created_at < $2",
        )
        .bind(from)
        .bind(to)
        .fetch_all(&self.pool)
        .await?;
        Ok(rows
            .into_iter()
            .map(
                |(bank_bin, state, created, sent, answered, held_vnd)| HoldAnswer {
                    bank_bin,
                    state,
                    sent_at: sent.unwrap_or(created),
                    answered_at: answered,
                    held_vnd,
                },
            )
            .collect())
    }
}
