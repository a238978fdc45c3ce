//! The loopholes scammers use, by sector (directive §2): the identifiers reported in
//! a period grouped by bank, by carrier's number range, by platform and by wallet
//! chain, with how many were verified; and how each bank answered hold requests.

use crate::db::{Backend, Sql};
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

/// Which identifiers, grouped how.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Grouping {
    /// Bank accounts by bank (BIN).
    BankAccountsByBank,
    /// Phone numbers by their first two digits after the country code.
    PhonesByRange,
    /// Social accounts by platform.
    SocialByPlatform,
    /// Wallets by chain.
    WalletsByChain,
    /// Websites by host (the most reported).
    WebsitesByHost,
}

/// Groups listed at most.
const MAX_GROUPS: i64 = 60;

impl Grouping {
    fn kind(self) -> &'static str {
        match self {
            Grouping::BankAccountsByBank => "bank_account",
            Grouping::PhonesByRange => "phone",
            Grouping::SocialByPlatform => "social",
            Grouping::WalletsByChain => "wallet",
            Grouping::WebsitesByHost => "url",
        }
    }

    fn expression(self, backend: Backend) -> &'static str {
        match (self, backend) {
            // "bank_account:" is 13 characters, a BIN 6
            (Grouping::BankAccountsByBank, _) => "SUBSTR(ri.identifier_key, 14, 6)",
            // "phone:+84" and two digits
            (Grouping::PhonesByRange, _) => "SUBSTR(ri.identifier_key, 7, 5)",
            (Grouping::SocialByPlatform | Grouping::WalletsByChain, Backend::Postgres) => {
                "split_part(ri.identifier_key, ':', 2)"
            }
            (Grouping::SocialByPlatform, Backend::Sqlite) => {
                "SUBSTR(ri.identifier_key, 8, INSTR(SUBSTR(ri.identifier_key, 8), ':') - 1)"
            }
            (Grouping::WalletsByChain, Backend::Sqlite) => {
                "SUBSTR(ri.identifier_key, 8, INSTR(SUBSTR(ri.identifier_key, 8), ':') - 1)"
            }
            (Grouping::WebsitesByHost, _) => "SUBSTR(ri.identifier_key, 5)",
        }
    }
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
    /// Identifiers named by the reports received in `[from, to)`, grouped.
    pub async fn identifier_groups(
        &self,
        grouping: Grouping,
        from: i64,
        to: i64,
    ) -> Result<Vec<IdentifierGroup>, StoreError> {
        let kind = grouping.kind();
        let mut q = Sql::on(
            self.backend,
            format!(
                "SELECT {} AS g, COUNT(DISTINCT ri.identifier_key), COUNT(DISTINCT ri.report_id), COUNT(DISTINCT s.key) FROM report_identifiers ri JOIN reports r ON r.id = ri.report_id LEFT JOIN identifier_status s ON s.key = ri.identifier_key AND s.status = 'verified' WHERE ri.identifier_key >= ",
                grouping.expression(self.backend)
            ),
        );
        q.push_bind(format!("{kind}:"));
        q.push(" AND ri.identifier_key < ");
        q.push_bind(format!("{kind};"));
        q.push(" AND r.created_at >= ");
        q.push_bind(from);
        q.push(" AND r.created_at < ");
        q.push_bind(to);
        q.push(" GROUP BY g ORDER BY 3 DESC, 1 LIMIT ");
        q.push_bind(MAX_GROUPS);
        let rows: Vec<(Option<String>, i64, i64, i64)> =
            q.build_query_as().fetch_all(&self.pool).await?;
        let n = |v: i64| u64::try_from(v).unwrap_or(0);
        Ok(rows
            .into_iter()
            .map(|(group, identifiers, reports, verified)| IdentifierGroup {
                group: group.unwrap_or_default(),
                identifiers: n(identifiers),
                reports: n(reports),
                verified: n(verified),
            })
            .collect())
    }

    /// The hold requests made in `[from, to)` and how their banks answered.
    pub async fn hold_answers(&self, from: i64, to: i64) -> Result<Vec<HoldAnswer>, StoreError> {
        let rows: Vec<AnswerRow> = sqlx::query_as(
            "SELECT h.bank_bin, h.state, h.created_at, \
               (SELECT MIN(e.at) FROM hold_events e WHERE e.request_id = h.id AND e.state = 'sent'), \
               (SELECT MIN(e.at) FROM hold_events e WHERE e.request_id = h.id AND e.state IN ('acknowledged', 'held', 'refused')), \
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
