//! Partners' blocklists with their provenance: which partner sent which list with
//! which key, the day they listed the entries and how sure they are. A list is stored
//! whole in one transaction or not at all; the partner's next list of the same name
//! replaces it; an administrator disables one at once. The lookup index follows
//! through the changes log, so every node's check shows the same.

use canhgiac_core::blocklist::{ListEntry, ListFormat};
use canhgiac_core::roles::Permission;
use sqlx::Row;

use crate::audit::{append, Actor, AuditEvent};
use crate::changes::{PartnerList, KIND_PARTNER_LIST};
use crate::officers::Officer;
use crate::partners::KeyHolder;
use crate::{Store, StoreError};

/// Keys in one entry of the changes log (a long list takes several).
pub const KEYS_PER_CHANGE: usize = 5_000;
/// Rows in one INSERT.
const ROWS_PER_INSERT: usize = 500;

/// A list as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredList {
    /// Its id.
    pub id: i64,
    /// The partner.
    pub partner_id: i64,
    /// The partner's name.
    pub partner: String,
    /// The prefix of the key that sent it.
    pub key_prefix: String,
    /// Its name (the partner's next list of this name replaces it).
    pub name: String,
    /// The format it came in.
    pub format: String,
    /// The day the partner listed the entries (unix seconds).
    pub listed_on: i64,
    /// The partner's confidence, 0–100.
    pub confidence: u8,
    /// Entries.
    pub entries: i64,
    /// In force.
    pub active: bool,
    /// For compare-and-set.
    pub version: i64,
    /// Unix seconds it came in.
    pub imported_at: i64,
    /// Unix seconds it was disabled or replaced.
    pub ended_at: Option<i64>,
}

/// A list to import.
#[derive(Debug, Clone)]
pub struct NewList<'a> {
    /// Its name.
    pub name: &'a str,
    /// Its format.
    pub format: ListFormat,
    /// The day the partner listed the entries (unix seconds).
    pub listed_on: i64,
    /// The partner's confidence, 0–100.
    pub confidence: u8,
    /// The entries, already parsed.
    pub entries: &'a [ListEntry],
}

/// What an import did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Imported {
    /// The new list.
    pub id: i64,
    /// Distinct identifiers in it.
    pub entries: usize,
    /// The list of the same name it replaced.
    pub replaced: Option<i64>,
}

/// Why a list change was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ListError {
    /// Only administrators disable lists.
    #[error("only administrators manage partner lists")]
    Forbidden,
    /// No such list.
    #[error("no such list")]
    NotFound,
    /// The list changed since it was read.
    #[error("the list changed meanwhile")]
    Changed,
}

const LIST_COLUMNS: &str = "l.id, l.partner_id, p.name AS partner, l.key_prefix, l.name, l.format, l.listed_on, l.confidence, l.entries, l.active, l.version, l.imported_at, l.ended_at";

fn list_of(row: &sqlx::any::AnyRow) -> Result<StoredList, StoreError> {
    let confidence: i64 = row.try_get("confidence")?;
    let active: i64 = row.try_get("active")?;
    Ok(StoredList {
        id: row.try_get("id")?,
        partner_id: row.try_get("partner_id")?,
        partner: row.try_get("partner")?,
        key_prefix: row.try_get("key_prefix")?,
        name: row.try_get("name")?,
        format: row.try_get("format")?,
        listed_on: row.try_get("listed_on")?,
        confidence: confidence.clamp(0, 100) as u8,
        entries: row.try_get("entries")?,
        active: active != 0,
        version: row.try_get("version")?,
        imported_at: row.try_get("imported_at")?,
        ended_at: row.try_get("ended_at")?,
    })
}

async fn log_change(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    change: &PartnerList,
    now: i64,
) -> Result<(), StoreError> {
    let payload = serde_json::to_string(change).map_err(|e| StoreError::Corrupt(e.to_string()))?;
    sqlx::query("INSERT INTO changes (seq, kind, payload, created_at) SELECT COALESCE(MAX(seq), 0) + 1, $1, $2, $3 FROM changes")
        .bind(KIND_PARTNER_LIST)
        .bind(payload)
        .bind(now)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

impl Store {
    /// Stores a partner's list whole, replacing its list of the same name, and puts
    /// its keys in the changes log. The same identifier twice counts once.
    pub async fn import_partner_list(
        &self,
        holder: &KeyHolder,
        list: &NewList<'_>,
        now: i64,
    ) -> Result<Imported, StoreError> {
        let mut seen = std::collections::HashSet::with_capacity(list.entries.len());
        let rows: Vec<(String, i64)> = list
            .entries
            .iter()
            .filter_map(|e| {
                let key = e.identifier.key();
                seen.insert(key.clone()).then_some((key, e.line as i64))
            })
            .collect();
        let _guard = self.write_lock.lock().await;
        let mut tx = crate::db::begin_write(&self.pool).await?;
        let previous: Option<i64> = sqlx::query_scalar(
            "SELECT id FROM partner_lists WHERE partner_id = $1 AND name = $2 AND active = 1",
        )
        .bind(holder.partner_id)
        .bind(list.name)
        .fetch_optional(&mut *tx)
        .await?;
        if let Some(old) = previous {
            sqlx::query(
                "UPDATE partner_lists SET active = 0, version = version + 1, ended_at = $1 WHERE id = $2",
            )
            .bind(now)
            .bind(old)
            .execute(&mut *tx)
            .await?;
            log_change(
                &mut tx,
                &PartnerList {
                    list_id: old,
                    partner: holder.partner_name.clone(),
                    listed_on: list.listed_on,
                    confidence: list.confidence,
                    active: false,
                    keys: Vec::new(),
                },
                now,
            )
            .await?;
        }
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO partner_lists (partner_id, key_prefix, name, format, listed_on, confidence, entries, imported_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
        )
        .bind(holder.partner_id)
        .bind(&holder.prefix)
        .bind(list.name)
        .bind(list.format.as_str())
        .bind(list.listed_on)
        .bind(i64::from(list.confidence))
        .bind(rows.len() as i64)
        .bind(now)
        .fetch_one(&mut *tx)
        .await?;
        for chunk in rows.chunks(ROWS_PER_INSERT) {
            let mut sql =
                String::from("INSERT INTO partner_list_entries (list_id, key, line) VALUES ");
            for i in 0..chunk.len() {
                if i > 0 {
                    sql.push(',');
                }
                let b = i * 2;
                sql.push_str(&format!("($1, ${}, ${})", b + 2, b + 3));
            }
            let mut q = sqlx::query(&sql).bind(id);
            for (key, line) in chunk {
                q = q.bind(key).bind(*line);
            }
            q.execute(&mut *tx).await?;
        }
        for chunk in rows.chunks(KEYS_PER_CHANGE) {
            log_change(
                &mut tx,
                &PartnerList {
                    list_id: id,
                    partner: holder.partner_name.clone(),
                    listed_on: list.listed_on,
                    confidence: list.confidence,
                    active: true,
                    keys: chunk.iter().map(|(k, _)| k.clone()).collect(),
                },
                now,
            )
            .await?;
        }
        let target = format!("partner_list:{id}");
        let reason = format!(
            "{} ({}, {} mục{})",
            list.name,
            list.format.as_str(),
            rows.len(),
            previous.map_or(String::new(), |p| format!(", thay danh sách {p}"))
        );
        append(
            &mut tx,
            &AuditEvent {
                actor: &holder.actor(),
                action: "blocklist.import",
                target: &target,
                reason: &reason,
            },
            now,
        )
        .await?;
        tx.commit().await?;
        Ok(Imported {
            id,
            entries: rows.len(),
            replaced: previous,
        })
    }

    /// A partner's lists (or every partner's), newest first.
    pub async fn partner_lists(
        &self,
        partner_id: Option<i64>,
    ) -> Result<Vec<StoredList>, StoreError> {
        let rows = sqlx::query(&format!(
            "SELECT {LIST_COLUMNS} FROM partner_lists l JOIN partners p ON p.id = l.partner_id WHERE ($1 = 0 OR l.partner_id = $1) ORDER BY l.id DESC LIMIT 500"
        ))
        .bind(partner_id.unwrap_or(0))
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(list_of).collect()
    }

    /// One list.
    pub async fn partner_list(&self, id: i64) -> Result<Option<StoredList>, StoreError> {
        let row = sqlx::query(&format!(
            "SELECT {LIST_COLUMNS} FROM partner_lists l JOIN partners p ON p.id = l.partner_id WHERE l.id = $1"
        ))
        .bind(id)
        .fetch_optional(&self.pool)
        .await?;
        row.as_ref().map(list_of).transpose()
    }

    /// Disables a list in force at once, if it is still at `version`: the check stops
    /// showing it on every node as soon as they follow the log. An administrator's act.
    pub async fn disable_partner_list(
        &self,
        officer: &Officer,
        id: i64,
        version: i64,
        reason: &str,
        now: i64,
    ) -> Result<Result<(), ListError>, StoreError> {
        if !officer.role.can(Permission::ManageAccounts) {
            return Ok(Err(ListError::Forbidden));
        }
        self.end_partner_list(&officer.actor(), None, id, version, reason, now)
            .await
    }

    /// The partner withdraws one of its own lists (another partner's list is not found).
    pub async fn withdraw_partner_list(
        &self,
        holder: &KeyHolder,
        id: i64,
        version: i64,
        now: i64,
    ) -> Result<Result<(), ListError>, StoreError> {
        self.end_partner_list(
            &holder.actor(),
            Some(holder.partner_id),
            id,
            version,
            "rút bởi đối tác",
            now,
        )
        .await
    }

    async fn end_partner_list(
        &self,
        actor: &Actor,
        only_partner: Option<i64>,
        id: i64,
        version: i64,
        reason: &str,
        now: i64,
    ) -> Result<Result<(), ListError>, StoreError> {
        let Some(list) = self
            .partner_list(id)
            .await?
            .filter(|l| only_partner.is_none_or(|p| p == l.partner_id))
        else {
            return Ok(Err(ListError::NotFound));
        };
        let _guard = self.write_lock.lock().await;
        let mut tx = crate::db::begin_write(&self.pool).await?;
        let changed = sqlx::query(
            "UPDATE partner_lists SET active = 0, version = version + 1, ended_at = $1 WHERE id = $2 AND version = $3 AND active = 1",
        )
        .bind(now)
        .bind(id)
        .bind(version)
        .execute(&mut *tx)
        .await?;
        if changed.rows_affected() != 1 {
            return Ok(Err(ListError::Changed));
        }
        log_change(
            &mut tx,
            &PartnerList {
                list_id: id,
                partner: list.partner.clone(),
                listed_on: list.listed_on,
                confidence: list.confidence,
                active: false,
                keys: Vec::new(),
            },
            now,
        )
        .await?;
        let target = format!("partner_list:{id}");
        append(
            &mut tx,
            &AuditEvent {
                actor,
                action: "blocklist.disable",
                target: &target,
                reason: reason.trim(),
            },
            now,
        )
        .await?;
        tx.commit().await?;
        Ok(Ok(()))
    }
}
