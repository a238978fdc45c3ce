//! The catalogue of scam methods as stored: analysts edit it, every version is kept,
//! and the warnings pages read it with this month's reports and losses.

use canhgiac_core::methods::Method;
use canhgiac_core::roles::Permission;

use crate::audit::{append, now, AuditEvent};
use crate::officers::Officer;
use crate::{Store, StoreError};

/// A method with its version and statistics.
#[derive(Debug, Clone)]
pub struct MethodEntry {
    /// The method as it reads now.
    pub method: Method,
    /// Its version (1 = as shipped or as created).
    pub version: i64,
    /// When it was added to the catalogue here (None: shipped with canhgiac).
    pub created_at: Option<i64>,
    /// When it was last edited.
    pub updated_at: Option<i64>,
    /// Reports of this method since the period's start.
    pub period_reports: i64,
    /// Losses reported in them (VND).
    pub period_loss_vnd: i64,
}

/// One version in a method's history.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MethodVersion {
    /// Version number.
    pub version: i64,
    /// Who made it (None: shipped).
    pub changed_by: Option<String>,
    /// When (None: shipped).
    pub changed_at: Option<i64>,
    /// What the editor said about it.
    pub note: String,
}

/// Why an edit was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CatalogueError {
    /// The role may not.
    #[error("your role may not edit the catalogue")]
    Forbidden,
    /// No such method.
    #[error("no such method")]
    NotFound,
    /// A new method's key is taken.
    #[error("a method with this key exists")]
    Exists,
    /// Someone saved another version since the one the edit started from.
    #[error("version {now} was saved meanwhile")]
    Changed {
        /// The version now.
        now: i64,
    },
}

type MethodRow = (String, i64, Option<i64>, Option<i64>);
type KeyedMethodRow = (String, String, i64, Option<i64>, Option<i64>);

fn parse(key: &str, data: &str) -> Result<Method, StoreError> {
    serde_json::from_str(data).map_err(|e| StoreError::Corrupt(format!("method {key}: {e}")))
}

impl Store {
    /// Every method, with its reports and losses since `since` (unix seconds) when
    /// statistics are asked for (`None`: no counting, the counts are 0).
    pub async fn catalogue(&self, since: Option<i64>) -> Result<Vec<MethodEntry>, StoreError> {
        let rows: Vec<KeyedMethodRow> = sqlx::query_as(match self.backend {
            crate::db::Backend::Sqlite => {
                "SELECT key, data, version, created_at, updated_at FROM methods ORDER BY rowid"
            }
            crate::db::Backend::Postgres => {
                "SELECT key, data, version, created_at, updated_at FROM methods ORDER BY ord"
            }
        })
        .fetch_all(&self.pool)
        .await?;
        let stats: Vec<(String, i64, i64)> = match since {
            Some(since) => sqlx::query_as(
                "SELECT method_key, COUNT(*), CAST(COALESCE(SUM(amount_lost_vnd), 0) AS BIGINT) FROM reports WHERE created_at >= $1 AND method_key IS NOT NULL GROUP BY method_key",
            )
            .bind(since)
            .fetch_all(&self.pool)
            .await?,
            None => Vec::new(),
        };
        let stats: std::collections::HashMap<String, (i64, i64)> = stats
            .into_iter()
            .map(|(k, n, loss)| (k, (n, loss)))
            .collect();
        rows.into_iter()
            .map(|(key, data, version, created_at, updated_at)| {
                let (period_reports, period_loss_vnd) = stats.get(&key).copied().unwrap_or((0, 0));
                Ok(MethodEntry {
                    method: parse(&key, &data)?,
                    version,
                    created_at,
                    updated_at,
                    period_reports,
                    period_loss_vnd,
                })
            })
            .collect()
    }

    /// One method, with its statistics since `since` when asked for (`None`: 0).
    pub async fn catalogue_method(
        &self,
        key: &str,
        since: Option<i64>,
    ) -> Result<Option<MethodEntry>, StoreError> {
        let row: Option<MethodRow> = sqlx::query_as(
            "SELECT data, version, created_at, updated_at FROM methods WHERE key = $1",
        )
        .bind(key)
        .fetch_optional(&self.pool)
        .await?;
        let Some((data, version, created_at, updated_at)) = row else {
            return Ok(None);
        };
        let (period_reports, period_loss_vnd): (i64, i64) = match since {
            Some(since) => sqlx::query_as(
                "SELECT COUNT(*), CAST(COALESCE(SUM(amount_lost_vnd), 0) AS BIGINT) FROM reports WHERE created_at >= $1 AND method_key = $2",
            )
            .bind(since)
            .bind(key)
            .fetch_one(&self.pool)
            .await?,
            None => (0, 0),
        };
        Ok(Some(MethodEntry {
            method: parse(key, &data)?,
            version,
            created_at,
            updated_at,
            period_reports,
            period_loss_vnd,
        }))
    }

    /// A method's history, newest first.
    pub async fn method_versions(&self, key: &str) -> Result<Vec<MethodVersion>, StoreError> {
        let rows: Vec<(i64, Option<String>, Option<i64>, String)> = sqlx::query_as(
            "SELECT v.version, o.display_name, v.changed_at, v.note FROM method_versions v LEFT JOIN officers o ON o.id = v.changed_by WHERE v.key = $1 ORDER BY v.version DESC",
        )
        .bind(key)
        .fetch_all(&self.pool)
        .await?;
        Ok(rows
            .into_iter()
            .map(|(version, changed_by, changed_at, note)| MethodVersion {
                version,
                changed_by,
                changed_at,
                note,
            })
            .collect())
    }

    /// One older version of a method, as it read then.
    pub async fn method_version(
        &self,
        key: &str,
        version: i64,
    ) -> Result<Option<(Method, MethodVersion)>, StoreError> {
        let row: Option<(String, Option<String>, Option<i64>, String)> = sqlx::query_as(
            "SELECT v.data, o.display_name, v.changed_at, v.note FROM method_versions v LEFT JOIN officers o ON o.id = v.changed_by WHERE v.key = $1 AND v.version = $2",
        )
        .bind(key)
        .bind(version)
        .fetch_optional(&self.pool)
        .await?;
        row.map(|(data, changed_by, changed_at, note)| {
            Ok((
                parse(key, &data)?,
                MethodVersion {
                    version,
                    changed_by,
                    changed_at,
                    note,
                },
            ))
        })
        .transpose()
    }

    /// Saves a new version of a method (validated by the caller). Returns the version.
    /// `base` is the version the edit started from: when another was saved since, the
    /// edit is refused ([`CatalogueError::Changed`]) rather than overwriting it.
    pub async fn update_method(
        &self,
        officer: &Officer,
        method: &Method,
        note: &str,
        base: Option<i64>,
    ) -> Result<Result<i64, CatalogueError>, StoreError> {
        self.write_method(officer, method, note, false, base).await
    }

    /// Adds a method to the catalogue (validated by the caller). Returns its version, 1.
    pub async fn create_method(
        &self,
        officer: &Officer,
        method: &Method,
        note: &str,
    ) -> Result<Result<i64, CatalogueError>, StoreError> {
        self.write_method(officer, method, note, true, None).await
    }

    async fn write_method(
        &self,
        officer: &Officer,
        method: &Method,
        note: &str,
        create: bool,
        base: Option<i64>,
    ) -> Result<Result<i64, CatalogueError>, StoreError> {
        if !officer.role.can(Permission::EditCatalogue) {
            return Ok(Err(CatalogueError::Forbidden));
        }
        let data = serde_json::to_string(method).map_err(|e| StoreError::Corrupt(e.to_string()))?;
        let _guard = self.write_lock.lock().await;
        let at = now();
        let mut tx = crate::db::begin_write(&self.pool).await?;
        let current: Option<(i64,)> = sqlx::query_as("SELECT version FROM methods WHERE key = $1")
            .bind(&method.key)
            .fetch_optional(&mut *tx)
            .await?;
        let version = match (current, create) {
            (Some(_), true) => return Ok(Err(CatalogueError::Exists)),
            (None, false) => return Ok(Err(CatalogueError::NotFound)),
            (Some((v,)), false) if base.is_some_and(|b| b != v) => {
                return Ok(Err(CatalogueError::Changed { now: v }))
            }
            (Some((v,)), false) => {
                sqlx::query("UPDATE methods SET grp = $1, name_vi = $2, name_en = $3, data = $4, version = $5, updated_at = $6 WHERE key = $7 AND version = $8")
                    .bind(&method.group)
                    .bind(&method.name_vi)
                    .bind(&method.name_en)
                    .bind(&data)
                    .bind(v + 1)
                    .bind(at)
                    .bind(&method.key)
                    .bind(v)
                    .execute(&mut *tx)
                    .await?;
                v + 1
            }
            (None, true) => {
                sqlx::query("INSERT INTO methods (key, grp, name_vi, name_en, data, version, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, 1, $6, $7)")
                    .bind(&method.key)
                    .bind(&method.group)
                    .bind(&method.name_vi)
                    .bind(&method.name_en)
                    .bind(&data)
                    .bind(at)
                    .bind(at)
                    .execute(&mut *tx)
                    .await?;
                1
            }
        };
        sqlx::query("INSERT INTO method_versions (key, version, data, changed_by, changed_at, note) VALUES ($1, $2, $3, $4, $5, $6)")
            .bind(&method.key)
            .bind(version)
            .bind(&data)
            .bind(officer.id)
            .bind(at)
            .bind(note)
            .execute(&mut *tx)
            .await?;
        let target = format!("method:{}", method.key);
        append(
            &mut tx,
            &AuditEvent {
                actor: &officer.actor(),
                action: if create {
                    "method.create"
                } else {
                    "method.update"
                },
                target: &target,
                reason: note,
            },
            at,
        )
        .await?;
        tx.commit().await?;
        Ok(Ok(version))
    }
}
