//! Verified indicators for partners: the officers' decisions on identifiers (verified
//! or cleared), read in pages by key for the exports and by sequence for the feed of
//! changes. What the reports say of each comes from the lookup index, not from here.

use canhgiac_core::IdentifierKind;
use sqlx::Row;

use crate::changes::{payload_of, IdentifierStatus, KIND_IDENTIFIER_STATUS};
use crate::{Store, StoreError};

/// An identifier an officer decided on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decided {
    /// Lookup key (`phone:+84912345678`).
    pub key: String,
    /// Its kind.
    pub kind: IdentifierKind,
    /// Its readable form.
    pub display: String,
    /// Verified (true) or cleared (false).
    pub verified: bool,
    /// Unix seconds the identifier was first seen.
    pub created_at: i64,
    /// Unix seconds of the decision.
    pub decided_at: i64,
}

/// A decision in the changes log, with its sequence number (the feed's cursor).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DecisionChange {
    /// Sequence number in the changes log.
    pub seq: i64,
    /// The identifier as decided then.
    pub decided: Decided,
}

/// Most rows read at once.
pub const MAX_PAGE: i64 = 10_000;

fn decided(row: &sqlx::any::AnyRow) -> Result<Decided, StoreError> {
    let kind: String = row.try_get("kind")?;
    let status: String = row.try_get("status")?;
    Ok(Decided {
        key: row.try_get("key")?,
        kind: IdentifierKind::parse(&kind)
            .ok_or_else(|| StoreError::Corrupt(format!("identifier kind {kind}")))?,
        display: row.try_get("display")?,
        verified: status == "verified",
        created_at: row.try_get("created_at")?,
        decided_at: row.try_get("at")?,
    })
}

impl Store {
    /// Up to `limit` decided identifiers after `after` in key order, of one kind or all.
    pub async fn decided_page(
        &self,
        after: &str,
        kind: Option<IdentifierKind>,
        limit: i64,
    ) -> Result<Vec<Decided>, StoreError> {
        let limit = limit.clamp(1, MAX_PAGE);
        // The kind is compared as a column: a range of keys would depend on the
        // database's collation of ':' and ';'.
        let rows = sqlx::query(
            "SELECT s.key, i.kind, i.display, s.status, i.created_at, s.at FROM identifier_status s JOIN identifiers i ON i.key = s.key WHERE s.key > $1 AND ($2 = '' OR i.kind = $2) ORDER BY s.key LIMIT $3",
        )
        .bind(after)
        .bind(kind.map_or("", |k| k.as_str()))
        .bind(limit)
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(decided).collect()
    }

    /// Up to `limit` decisions logged after the sequence number `after`, oldest first.
    pub async fn decision_changes(
        &self,
        after: i64,
        limit: i64,
    ) -> Result<Vec<DecisionChange>, StoreError> {
        let limit = limit.clamp(1, MAX_PAGE);
        let rows = sqlx::query(
            "SELECT seq, payload FROM changes WHERE kind = $1 AND seq > $2 ORDER BY seq LIMIT $3",
        )
        .bind(KIND_IDENTIFIER_STATUS)
        .bind(after)
        .bind(limit)
        .fetch_all(&self.pool)
        .await?;
        let mut out = Vec::with_capacity(rows.len());
        for row in rows {
            let seq: i64 = row.try_get("seq")?;
            let payload: String = row.try_get("payload")?;
            let change: IdentifierStatus = payload_of(seq, &payload)?;
            let found =
                sqlx::query("SELECT kind, display, created_at FROM identifiers WHERE key = $1")
                    .bind(&change.key)
                    .fetch_optional(&self.pool)
                    .await?;
            let Some(found) = found else { continue };
            let kind: String = found.try_get("kind")?;
            let Some(kind) = IdentifierKind::parse(&kind) else {
                continue;
            };
            out.push(DecisionChange {
                seq,
                decided: Decided {
                    key: change.key,
                    kind,
                    display: found.try_get("display")?,
                    verified: change.verified,
                    created_at: found.try_get("created_at")?,
                    decided_at: change.at,
                },
            });
        }
        Ok(out)
    }

    /// The latest sequence number in the changes log (a feed's cursor to start from).
    pub async fn last_change_seq(&self) -> Result<i64, StoreError> {
        Ok(
            sqlx::query_scalar::<_, Option<i64>>("SELECT MAX(seq) FROM changes")
                .fetch_one(&self.pool)
                .await?
                .unwrap_or(0),
        )
    }
}

/// The settings key of the hash-prefix salt.
const HASH_SALT_SETTING: &str = "hash_prefix_salt";

impl Store {
    /// The deployment's hash-prefix salt (`canhgiac-hp-v1:<32 hex>:`), made on first use
    /// and the same on every node (the first node to write it wins).
    pub async fn hash_prefix_salt(&self) -> Result<String, StoreError> {
        let random: [u8; 16] = rand::random();
        let fresh = format!("canhgiac-hp-v1:{}:", hex::encode(random));
        let _guard = self.write_lock.lock().await;
        sqlx::query(
            "INSERT INTO settings (key, value) VALUES ($1, $2) ON CONFLICT(key) DO NOTHING",
        )
        .bind(HASH_SALT_SETTING)
        .bind(&fresh)
        .execute(&self.pool)
        .await?;
        Ok(
            sqlx::query_scalar("SELECT value FROM settings WHERE key = $1")
                .bind(HASH_SALT_SETTING)
                .fetch_one(&self.pool)
                .await?,
        )
    }
}
