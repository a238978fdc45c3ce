//! The protected brands as stored (the detectors build their registry from them).

use canhgiac_core::roles::Permission;
use serde::{Deserialize, Serialize};

use crate::audit::{append, now, AuditEvent};
use crate::officers::Officer;
use crate::{Store, StoreError};

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

/// Why a brand was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum BrandError {
    /// The role may not.
    #[error("your role may not edit brands")]
    Forbidden,
    /// No such brand.
    #[error("no such brand")]
    NotFound,
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
        let mut tx = self.pool.begin_with("BEGIN IMMEDIATE").await?;
        let at = now();
        for b in defaults {
            let domains = serde_json::to_string(&b.domains)
                .map_err(|e| StoreError::Corrupt(e.to_string()))?;
            sqlx::query("INSERT INTO brands (key, name, category, domains, updated_at) VALUES (?, ?, ?, ?, ?) ON CONFLICT(key) DO NOTHING")
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

    /// Adds or replaces a brand (already validated by the caller).
    pub async fn put_brand(
        &self,
        officer: &Officer,
        brand: &BrandRecord,
    ) -> Result<Result<(), BrandError>, StoreError> {
        if !officer.role.can(Permission::EditBrands) {
            return Ok(Err(BrandError::Forbidden));
        }
        let domains = serde_json::to_string(&brand.domains)
            .map_err(|e| StoreError::Corrupt(e.to_string()))?;
        let _guard = self.write_lock.lock().await;
        let at = now();
        let mut tx = self.pool.begin_with("BEGIN IMMEDIATE").await?;
        sqlx::query("INSERT INTO brands (key, name, category, domains, updated_by, updated_at) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT(key) DO UPDATE SET name = excluded.name, category = excluded.category, domains = excluded.domains, updated_by = excluded.updated_by, updated_at = excluded.updated_at")
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

    /// Removes a brand.
    pub async fn delete_brand(
        &self,
        officer: &Officer,
        key: &str,
    ) -> Result<Result<(), BrandError>, StoreError> {
        if !officer.role.can(Permission::EditBrands) {
            return Ok(Err(BrandError::Forbidden));
        }
        let _guard = self.write_lock.lock().await;
        let mut tx = self.pool.begin_with("BEGIN IMMEDIATE").await?;
        let done = sqlx::query("DELETE FROM brands WHERE key = ?")
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
