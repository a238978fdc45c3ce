//! The protected brands as stored (the detectors build their registry from them).

use canhgiac_core::roles::Permission;

use crate::audit::{append, now, AuditEvent};
use crate::officers::Officer;
use crate::{Store, StoreError};

pub use canhgiac_core::brand::BrandRecord;

/// Why a brand was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum BrandError {
    /// The role may not.
    #[error("your role may not edit brands")]
    Forbidden,
    /// No such brand.
    #[error("no such brand")]
    NotFound,
    /// The brand changed (or appeared, or went) since the editor read it.
    #[error("the brand was changed meanwhile")]
    Changed,
}

/// What an editor saw of a brand, as a short fingerprint of its stored content; a
/// brand that does not exist yet is [`NEW_BRAND`]. An edit carries it, and is refused
/// when the brand is no longer what the editor saw (compare-and-set).
pub fn fingerprint(name: &str, category: &str, domains: &[String]) -> String {
    use sha2::{Digest, Sha256};
    let mut h = Sha256::new();
    for part in [name, category]
        .into_iter()
        .chain(domains.iter().map(String::as_str))
    {
        h.update(part.as_bytes());
        h.update([0]);
    }
    hex::encode(&h.finalize()[..8])
}

/// The fingerprint an editor sends when creating a brand.
pub const NEW_BRAND: &str = "new";

/// The fingerprint of a brand as stored now, in the transaction.
async fn stored_fingerprint(
    tx: &mut sqlx::Transaction<'_, crate::db::Db>,
    key: &str,
) -> Result<String, StoreError> {
    let row: Option<(String, String, String)> =
        sqlx::query_as("SELECT name, category, domains FROM brands WHERE key = $1")
            .bind(key)
            .fetch_optional(&mut **tx)
            .await?;
    Ok(match row {
        None => NEW_BRAND.to_string(),
        Some((name, category, domains)) => {
            let domains: Vec<String> = serde_json::from_str(&domains)
                .map_err(|e| StoreError::Corrupt(format!("brand {key}: {e}")))?;
            fingerprint(&name, &category, &domains)
        }
    })
}

impl Store {
    /// Fills the table from the shipped list when it is empty.
    pub async fn seed_brands(&self, defaults: &[BrandRecord]) -> Result<(), StoreError> {
        let (n,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM brands")
            .fetch_one(&self.pool)
            .await?;
        if n > 0 {
            return Ok(());
        }
        let _guard = self.write_lock.lock().await;
        let mut tx = crate::db::begin_write(&self.pool).await?;
        let at = now();
        for b in defaults {
            let domains = serde_json::to_string(&b.domains)
                .map_err(|e| StoreError::Corrupt(e.to_string()))?;
            sqlx::query("INSERT INTO brands (key, name, category, domains, updated_at) VALUES ($1, $2, $3, $4, $5) ON CONFLICT(key) DO NOTHING")
                .bind(&b.key)
                .bind(&b.name)
                .bind(&b.category)
                .bind(domains)
                .bind(at)
                .execute(&mut *tx)
                .await?;
        }
        tx.commit().await?;
        Ok(())
    }

    /// Every brand, by key.
    pub async fn brands(&self) -> Result<Vec<BrandRecord>, StoreError> {
        let rows: Vec<(String, String, String, String)> =
            sqlx::query_as("SELECT key, name, category, domains FROM brands ORDER BY key")
                .fetch_all(&self.pool)
                .await?;
        rows.into_iter()
            .map(|(key, name, category, domains)| {
                let domains: Vec<String> = serde_json::from_str(&domains)
                    .map_err(|e| StoreError::Corrupt(format!("brand {key}: {e}")))?;
                Ok(BrandRecord {
                    key,
                    name,
                    category,
                    domains,
                })
            })
            .collect()
    }

    /// Adds or replaces a brand (already validated by the caller). `base`: the
    /// [`fingerprint`] of the brand the editor saw ([`NEW_BRAND`] when creating);
    /// without it, the last writer wins.
    pub async fn put_brand(
        &self,
        officer: &Officer,
        brand: &BrandRecord,
        base: Option<&str>,
    ) -> Result<Result<(), BrandError>, StoreError> {
        if !officer.role.can(Permission::EditBrands) {
            return Ok(Err(BrandError::Forbidden));
        }
        let domains = serde_json::to_string(&brand.domains)
            .map_err(|e| StoreError::Corrupt(e.to_string()))?;
        let _guard = self.write_lock.lock().await;
        let at = now();
        let mut tx = crate::db::begin_write(&self.pool).await?;
        if let Some(base) = base {
            if stored_fingerprint(&mut tx, &brand.key).await? != base {
                return Ok(Err(BrandError::Changed));
            }
        }
        sqlx::query("INSERT INTO brands (key, name, category, domains, updated_by, updated_at) VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT(key) DO UPDATE SET name = excluded.name, category = excluded.category, domains = excluded.domains, updated_by = excluded.updated_by, updated_at = excluded.updated_at")
            .bind(&brand.key)
            .bind(&brand.name)
            .bind(&brand.category)
            .bind(&domains)
            .bind(officer.id)
            .bind(at)
            .execute(&mut *tx)
            .await?;
        let target = format!("brand:{}", brand.key);
        append(
            &mut tx,
            &AuditEvent {
                actor: &officer.actor(),
                action: "brand.put",
                target: &target,
                reason: &domains,
            },
            at,
        )
        .await?;
        tx.commit().await?;
        Ok(Ok(()))
    }

    /// Removes a brand; with `base`, only if it is still what the editor saw.
    pub async fn delete_brand(
        &self,
        officer: &Officer,
        key: &str,
        base: Option<&str>,
    ) -> Result<Result<(), BrandError>, StoreError> {
        if !officer.role.can(Permission::EditBrands) {
            return Ok(Err(BrandError::Forbidden));
        }
        let _guard = self.write_lock.lock().await;
        let mut tx = crate::db::begin_write(&self.pool).await?;
        if let Some(base) = base {
            let now = stored_fingerprint(&mut tx, key).await?;
            if now != base && now != NEW_BRAND {
                return Ok(Err(BrandError::Changed));
            }
        }
        let done = sqlx::query("DELETE FROM brands WHERE key = $1")
            .bind(key)
            .execute(&mut *tx)
            .await?;
        if done.rows_affected() == 0 {
            return Ok(Err(BrandError::NotFound));
        }
        let target = format!("brand:{key}");
        append(
            &mut tx,
            &AuditEvent {
                actor: &officer.actor(),
                action: "brand.delete",
                target: &target,
                reason: "",
            },
            now(),
        )
        .await?;
        tx.commit().await?;
        Ok(Ok(()))
    }
}
