//! Partners and their API keys as stored: an administrator registers a partner and
//! issues keys (shown once; only the SHA-256 is kept), rotates them (the old key keeps
//! working for a grace period) and revokes them; a request's key is checked here;
//! uses are counted per key, minute, route and answer. Every change is audited, and
//! every change of state is a compare-and-set.

use canhgiac_core::partner::{
    key_hash, key_prefix, new_key, same_hash, KeyRefusal, KeyScope, PartnerKind, Scopes,
};
use canhgiac_core::roles::Permission;

use crate::audit::{append, now as unix_now, Actor, AuditEvent};
use crate::officers::Officer;
use crate::{Store, StoreError};

/// A partner.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Partner {
    /// Id.
    pub id: i64,
    /// Name ("Vietcombank").
    pub name: String,
    /// Kind.
    pub kind: PartnerKind,
    /// A bank's BIN.
    pub bank_bin: Option<String>,
    /// Whether its keys and lists are in use.
    pub active: bool,
    /// Bumped by each change (compare-and-set).
    pub version: i64,
    /// When registered.
    pub created_at: i64,
}

/// A key as listed (never the key itself).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeyInfo {
    /// Id.
    pub id: i64,
    /// Its partner.
    pub partner_id: i64,
    /// The public prefix.
    pub prefix: String,
    /// What it may do.
    pub scopes: Scopes,
    /// Requests allowed per minute.
    pub per_minute: u32,
    /// A note ("core banking, production").
    pub label: String,
    /// When issued.
    pub created_at: i64,
    /// When it stops working, if set.
    pub expires_at: Option<i64>,
    /// When revoked.
    pub revoked_at: Option<i64>,
    /// The key that replaced it on rotation.
    pub replaced_by: Option<i64>,
    /// Last use.
    pub last_used_at: Option<i64>,
}

impl KeyInfo {
    /// Whether the key works at `now`.
    pub fn works_at(&self, now: i64) -> bool {
        self.revoked_at.is_none() && self.expires_at.is_none_or(|e| e > now)
    }
}

/// The partner behind a key that was accepted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeyHolder {
    /// The key.
    pub key_id: i64,
    /// Its prefix (for the audit log).
    pub prefix: String,
    /// What it may do.
    pub scopes: Scopes,
    /// Requests allowed per minute.
    pub per_minute: u32,
    /// The partner.
    pub partner_id: i64,
    /// Its name.
    pub partner_name: String,
    /// Its kind.
    pub kind: PartnerKind,
    /// A bank's BIN.
    pub bank_bin: Option<String>,
}

impl KeyHolder {
    /// Who it is in the audit log: `partner:{name}/{prefix}`.
    pub fn actor(&self) -> Actor {
        Actor {
            officer_id: None,
            name: format!("partner:{}/{}", self.partner_name, self.prefix),
        }
    }

    /// Whether the key may do `scope`.
    pub fn may(&self, scope: KeyScope) -> bool {
        self.scopes.has(scope)
    }
}

/// Why a partner change was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PartnerError {
    /// Only administrators manage partners.
    #[error("only administrators manage partners")]
    Forbidden,
    /// No such partner or key.
    #[error("not found")]
    NotFound,
    /// The name is empty or too long.
    #[error("a name of 1 to 120 characters is needed")]
    BadName,
    /// Another partner has that name.
    #[error("a partner already has this name")]
    NameTaken,
    /// A bank needs a known BIN; other kinds have none.
    #[error("a bank needs its BIN (6 digits); other partners have none")]
    BadBin,
    /// Another bank has that BIN.
    #[error("another partner is this bank")]
    BinTaken,
    /// No scope, or one that does not fit the partner.
    #[error("the scopes do not fit this partner")]
    BadScopes,
    /// The rate is out of bounds.
    #[error("between 1 and 10,000,000 requests a minute")]
    BadRate,
    /// The expiry is in the past.
    #[error("the expiry is in the past")]
    BadExpiry,
    /// The partner is disabled.
    #[error("the partner is disabled")]
    Disabled,
    /// Someone changed it first.
    #[error("it was changed meanwhile")]
    Changed,
}

/// What an administrator gives to issue a key.
#[derive(Debug, Clone)]
pub struct NewKeySpec {
    /// What it may do.
    pub scopes: Scopes,
    /// Requests per minute.
    pub per_minute: u32,
    /// When it stops working.
    pub expires_at: Option<i64>,
    /// A note.
    pub label: String,
}

/// How long a bank-portal session lasts: a working day.
pub const PORTAL_SESSION_SECS: i64 = 8 * 3_600;

/// The most requests a minute a key may be given.
pub const MAX_PER_MINUTE: u32 = 10_000_000;

type PartnerRow = (i64, String, String, Option<String>, i64, i64, i64);
type KeyRow = (
    i64,
    i64,
    String,
    String,
    i64,
    String,
    i64,
    Option<i64>,
    Option<i64>,
    Option<i64>,
    Option<i64>,
);

const PARTNER_COLUMNS: &str = "id, name, kind, bank_bin, active, version, created_at";
const KEY_COLUMNS: &str = "id, partner_id, prefix, scopes, per_minute, label, created_at, expires_at, revoked_at, replaced_by, last_used_at";

fn partner_of(r: PartnerRow) -> Result<Partner, StoreError> {
    Ok(Partner {
        kind: PartnerKind::parse(&r.2)
            .ok_or_else(|| StoreError::Corrupt(format!("partner {}: kind {}", r.0, r.2)))?,
        id: r.0,
        name: r.1,
        bank_bin: r.3,
        active: r.4 != 0,
        version: r.5,
        created_at: r.6,
    })
}

fn key_of(r: KeyRow) -> Result<KeyInfo, StoreError> {
    Ok(KeyInfo {
        scopes: Scopes::parse(&r.3)
            .map_err(|s| StoreError::Corrupt(format!("key {}: scope {s}", r.0)))?,
        per_minute: u32::try_from(r.4).unwrap_or(1),
        id: r.0,
        partner_id: r.1,
        prefix: r.2,
        label: r.5,
        created_at: r.6,
        expires_at: r.7,
        revoked_at: r.8,
        replaced_by: r.9,
        last_used_at: r.10,
    })
}

/// How a key is looked up: by the prefix a request sent, or by the id a session keeps.
enum KeyBy<'a> {
    Prefix(&'a str),
    Id(i64),
}

/// One counted use of a key: (key, minute, route, status) and how many.
pub type KeyUse = (i64, i64, String, u16, u64);

impl Store {
    /// Registers a partner; administrators only.
    pub async fn create_partner(
        &self,
        officer: &Officer,
        name: &str,
        kind: PartnerKind,
        bank_bin: Option<&str>,
    ) -> Result<Result<i64, PartnerError>, StoreError> {
        if !officer.role.can(Permission::ManageAccounts) {
            return Ok(Err(PartnerError::Forbidden));
        }
        let name = name.trim();
        if name.is_empty() || name.chars().count() > 120 {
            return Ok(Err(PartnerError::BadName));
        }
        let bin = bank_bin.map(str::trim).filter(|b| !b.is_empty());
        let bin_ok = match (kind, bin) {
            (PartnerKind::Bank, Some(b)) => b.len() == 6 && b.bytes().all(|c| c.is_ascii_digit()),
            (PartnerKind::Bank, None) => false,
            (_, b) => b.is_none(),
        };
        if !bin_ok {
            return Ok(Err(PartnerError::BadBin));
        }
        let _guard = self.write_lock.lock().await;
        let (taken,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM partners WHERE name = $1")
            .bind(name)
            .fetch_one(&self.pool)
            .await?;
        if taken > 0 {
            return Ok(Err(PartnerError::NameTaken));
        }
        if let Some(b) = bin {
            let (taken,): (i64,) =
                sqlx::query_as("SELECT COUNT(*) FROM partners WHERE bank_bin = $1")
                    .bind(b)
                    .fetch_one(&self.pool)
                    .await?;
            if taken > 0 {
                return Ok(Err(PartnerError::BinTaken));
            }
        }
        let at = unix_now();
        let mut tx = crate::db::begin_write(&self.pool).await?;
        let (id,): (i64,) = sqlx::query_as(
            "INSERT INTO partners (name, kind, bank_bin, created_by, created_at) VALUES ($1, $2, $3, $4, $5) RETURNING id",
        )
        .bind(name)
        .bind(kind.as_str())
        .bind(bin)
        .bind(officer.id)
        .bind(at)
        .fetch_one(&mut *tx)
        .await?;
        let target = format!("partner:{id}");
        append(
            &mut tx,
            &AuditEvent {
                actor: &officer.actor(),
                action: "partner.create",
                target: &target,
                reason: name,
            },
            at,
        )
        .await?;
        tx.commit().await?;
        Ok(Ok(id))
    }

    /// Every partner, by name.
    pub async fn partners(&self) -> Result<Vec<Partner>, StoreError> {
        let rows: Vec<PartnerRow> = sqlx::query_as(&format!(
            "SELECT {PARTNER_COLUMNS} FROM partners ORDER BY name"
        ))
        .fetch_all(&self.pool)
        .await?;
        rows.into_iter().map(partner_of).collect()
    }

    /// One partner.
    pub async fn partner(&self, id: i64) -> Result<Option<Partner>, StoreError> {
        let row: Option<PartnerRow> = sqlx::query_as(&format!(
            "SELECT {PARTNER_COLUMNS} FROM partners WHERE id = $1"
        ))
        .bind(id)
        .fetch_optional(&self.pool)
        .await?;
        row.map(partner_of).transpose()
    }

    /// Enables or disables a partner (its keys stop working at once), if it is still
    /// at `version`.
    pub async fn set_partner_active(
        &self,
        officer: &Officer,
        id: i64,
        active: bool,
        version: i64,
    ) -> Result<Result<(), PartnerError>, StoreError> {
        if !officer.role.can(Permission::ManageAccounts) {
            return Ok(Err(PartnerError::Forbidden));
        }
        let _guard = self.write_lock.lock().await;
        let at = unix_now();
        let mut tx = crate::db::begin_write(&self.pool).await?;
        let changed = sqlx::query(
            "UPDATE partners SET active = $1, version = version + 1 WHERE id = $2 AND version = $3",
        )
        .bind(i64::from(active))
        .bind(id)
        .bind(version)
        .execute(&mut *tx)
        .await?
        .rows_affected();
        if changed != 1 {
            drop(tx);
            return Ok(Err(if self.partner(id).await?.is_some() {
                PartnerError::Changed
            } else {
                PartnerError::NotFound
            }));
        }
        let target = format!("partner:{id}");
        append(
            &mut tx,
            &AuditEvent {
                actor: &officer.actor(),
                action: if active {
                    "partner.enable"
                } else {
                    "partner.disable"
                },
                target: &target,
                reason: "",
            },
            at,
        )
        .await?;
        tx.commit().await?;
        Ok(Ok(()))
    }

    /// Issues a key to a partner; answers the key's id and the key itself, which is
    /// never stored and cannot be shown again.
    pub async fn issue_key(
        &self,
        officer: &Officer,
        partner_id: i64,
        spec: &NewKeySpec,
    ) -> Result<Result<(i64, String), PartnerError>, StoreError> {
        if !officer.role.can(Permission::ManageAccounts) {
            return Ok(Err(PartnerError::Forbidden));
        }
        let Some(partner) = self.partner(partner_id).await? else {
            return Ok(Err(PartnerError::NotFound));
        };
        if let Err(e) = check_spec(&partner, spec, unix_now()) {
            return Ok(Err(e));
        }
        let _guard = self.write_lock.lock().await;
        let mut tx = crate::db::begin_write(&self.pool).await?;
        let (id, key) = insert_key(&mut tx, officer, partner_id, spec).await?;
        tx.commit().await?;
        Ok(Ok((id, key)))
    }

    /// Replaces a key by a new one with the same scopes, rate and label; the old key
    /// keeps working for `grace_secs` (0: stops at once). Refused when the key was
    /// revoked or rotated meanwhile.
    pub async fn rotate_key(
        &self,
        officer: &Officer,
        key_id: i64,
        grace_secs: i64,
    ) -> Result<Result<(i64, String), PartnerError>, StoreError> {
        if !officer.role.can(Permission::ManageAccounts) {
            return Ok(Err(PartnerError::Forbidden));
        }
        let Some(old) = self.key(key_id).await? else {
            return Ok(Err(PartnerError::NotFound));
        };
        let Some(partner) = self.partner(old.partner_id).await? else {
            return Ok(Err(PartnerError::NotFound));
        };
        if !partner.active {
            return Ok(Err(PartnerError::Disabled));
        }
        let at = unix_now();
        let spec = NewKeySpec {
            scopes: old.scopes,
            per_minute: old.per_minute,
            expires_at: old.expires_at.filter(|e| *e > at),
            label: old.label.clone(),
        };
        let _guard = self.write_lock.lock().await;
        let mut tx = crate::db::begin_write(&self.pool).await?;
        let (new_id, key) = insert_key(&mut tx, officer, old.partner_id, &spec).await?;
        let until = at + grace_secs.clamp(0, 30 * 86_400);
        let changed = sqlx::query(
            "UPDATE partner_keys SET replaced_by = $1, expires_at = CASE WHEN expires_at IS NULL OR expires_at > $2 THEN $2 ELSE expires_at END WHERE id = $3 AND revoked_at IS NULL AND replaced_by IS NULL",
        )
        .bind(new_id)
        .bind(until)
        .bind(key_id)
        .execute(&mut *tx)
        .await?
        .rows_affected();
        if changed != 1 {
            // another rotation or a revocation came first: nothing is kept
            return Ok(Err(PartnerError::Changed));
        }
        let target = format!("key:{}", old.prefix);
        append(
            &mut tx,
            &AuditEvent {
                actor: &officer.actor(),
                action: "key.rotate",
                target: &target,
                reason: &format!("grace {grace_secs} s"),
            },
            at,
        )
        .await?;
        tx.commit().await?;
        Ok(Ok((new_id, key)))
    }

    /// Revokes a key at once; refused when it was already revoked.
    pub async fn revoke_key(
        &self,
        officer: &Officer,
        key_id: i64,
    ) -> Result<Result<(), PartnerError>, StoreError> {
        if !officer.role.can(Permission::ManageAccounts) {
            return Ok(Err(PartnerError::Forbidden));
        }
        let Some(old) = self.key(key_id).await? else {
            return Ok(Err(PartnerError::NotFound));
        };
        let _guard = self.write_lock.lock().await;
        let at = unix_now();
        let mut tx = crate::db::begin_write(&self.pool).await?;
        let changed = sqlx::query(
            "UPDATE partner_keys SET revoked_at = $1, revoked_by = $2 WHERE id = $3 AND revoked_at IS NULL",
        )
        .bind(at)
        .bind(officer.id)
        .bind(key_id)
        .execute(&mut *tx)
        .await?
        .rows_affected();
        if changed != 1 {
            return Ok(Err(PartnerError::Changed));
        }
        let target = format!("key:{}", old.prefix);
        append(
            &mut tx,
            &AuditEvent {
                actor: &officer.actor(),
                action: "key.revoke",
                target: &target,
                reason: "",
            },
            at,
        )
        .await?;
        tx.commit().await?;
        Ok(Ok(()))
    }

    /// One key.
    pub async fn key(&self, id: i64) -> Result<Option<KeyInfo>, StoreError> {
        let row: Option<KeyRow> = sqlx::query_as(&format!(
            "SELECT {KEY_COLUMNS} FROM partner_keys WHERE id = $1"
        ))
        .bind(id)
        .fetch_optional(&self.pool)
        .await?;
        row.map(key_of).transpose()
    }

    /// A partner's keys, newest first.
    pub async fn keys(&self, partner_id: i64) -> Result<Vec<KeyInfo>, StoreError> {
        let rows: Vec<KeyRow> = sqlx::query_as(&format!(
            "SELECT {KEY_COLUMNS} FROM partner_keys WHERE partner_id = $1 ORDER BY id DESC"
        ))
        .bind(partner_id)
        .fetch_all(&self.pool)
        .await?;
        rows.into_iter().map(key_of).collect()
    }

    /// The partner behind `key` at `now`, or why the key is refused.
    pub async fn authenticate_key(
        &self,
        key: &str,
        now: i64,
    ) -> Result<Result<KeyHolder, KeyRefusal>, StoreError> {
        let Some(prefix) = key_prefix(key) else {
            return Ok(Err(KeyRefusal::Invalid));
        };
        self.holder(KeyBy::Prefix(prefix), Some(&key_hash(key)), now)
            .await
    }

    /// The holder of a key found by its prefix or id; the hash is compared when given.
    async fn holder(
        &self,
        by: KeyBy<'_>,
        hash: Option<&[u8; 32]>,
        now: i64,
    ) -> Result<Result<KeyHolder, KeyRefusal>, StoreError> {
        type Row = (
            i64,
            Vec<u8>,
            String,
            String,
            i64,
            Option<i64>,
            Option<i64>,
            i64,
            String,
            String,
            Option<String>,
            i64,
        );
        const SELECT: &str = "SELECT k.id, k.hash, k.prefix, k.scopes, k.per_minute, k.expires_at, k.revoked_at, p.id, p.name, p.kind, p.bank_bin, p.active FROM partner_keys k JOIN partners p ON p.id = k.partner_id";
        let row: Option<Row> = match by {
            KeyBy::Prefix(prefix) => {
                sqlx::query_as(&format!("{SELECT} WHERE k.prefix = $1"))
                    .bind(prefix)
                    .fetch_optional(&self.pool)
                    .await?
            }
            KeyBy::Id(id) => {
                sqlx::query_as(&format!("{SELECT} WHERE k.id = $1"))
                    .bind(id)
                    .fetch_optional(&self.pool)
                    .await?
            }
        };
        let Some(r) = row else {
            return Ok(Err(KeyRefusal::Invalid));
        };
        if hash.is_some_and(|h| !same_hash(&r.1, h)) {
            return Ok(Err(KeyRefusal::Invalid));
        }
        if r.6.is_some() || r.11 == 0 {
            return Ok(Err(KeyRefusal::Revoked));
        }
        if r.5.is_some_and(|e| e <= now) {
            return Ok(Err(KeyRefusal::Expired));
        }
        Ok(Ok(KeyHolder {
            key_id: r.0,
            prefix: r.2,
            scopes: Scopes::parse(&r.3)
                .map_err(|s| StoreError::Corrupt(format!("key {}: scope {s}", r.0)))?,
            per_minute: u32::try_from(r.4).unwrap_or(1),
            partner_id: r.7,
            partner_name: r.8,
            kind: PartnerKind::parse(&r.9)
                .ok_or_else(|| StoreError::Corrupt(format!("partner {}: kind {}", r.7, r.9)))?,
            bank_bin: r.10,
        }))
    }

    /// Opens a bank-portal session for a key that may answer holds: answers the
    /// cookie's token and the session's CSRF token (neither is stored as such).
    pub async fn open_partner_session(
        &self,
        key: &str,
        now: i64,
    ) -> Result<Result<(String, String), KeyRefusal>, StoreError> {
        let holder = match self.authenticate_key(key, now).await? {
            Ok(h) => h,
            Err(r) => return Ok(Err(r)),
        };
        if !holder.may(KeyScope::HoldsRespond) {
            return Ok(Err(KeyRefusal::OutOfScope));
        }
        let token = canhgiac_core::partner::new_key().key;
        let csrf = canhgiac_core::partner::new_key().prefix;
        let _guard = self.write_lock.lock().await;
        let mut tx = crate::db::begin_write(&self.pool).await?;
        sqlx::query("DELETE FROM partner_sessions WHERE expires_at <= $1")
            .bind(now)
            .execute(&mut *tx)
            .await?;
        sqlx::query(
            "INSERT INTO partner_sessions (token_hash, key_id, csrf, created_at, expires_at) VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(key_hash(&token).to_vec())
        .bind(holder.key_id)
        .bind(&csrf)
        .bind(now)
        .bind(now + PORTAL_SESSION_SECS)
        .execute(&mut *tx)
        .await?;
        let target = format!("key:{}", holder.prefix);
        append(
            &mut tx,
            &AuditEvent {
                actor: &holder.actor(),
                action: "partner.portal.sign_in",
                target: &target,
                reason: "",
            },
            now,
        )
        .await?;
        tx.commit().await?;
        Ok(Ok((token, csrf)))
    }

    /// The key holder and CSRF token of a portal session, while it and its key last.
    pub async fn partner_session(
        &self,
        token: &str,
        now: i64,
    ) -> Result<Option<(KeyHolder, String)>, StoreError> {
        let row: Option<(i64, String)> = sqlx::query_as(
            "SELECT key_id, csrf FROM partner_sessions WHERE token_hash = $1 AND expires_at > $2",
        )
        .bind(key_hash(token).to_vec())
        .bind(now)
        .fetch_optional(&self.pool)
        .await?;
        let Some((key_id, csrf)) = row else {
            return Ok(None);
        };
        Ok(self
            .holder(KeyBy::Id(key_id), None, now)
            .await?
            .ok()
            .map(|h| (h, csrf)))
    }

    /// Ends a portal session.
    pub async fn close_partner_session(&self, token: &str) -> Result<(), StoreError> {
        let _guard = self.write_lock.lock().await;
        sqlx::query("DELETE FROM partner_sessions WHERE token_hash = $1")
            .bind(key_hash(token).to_vec())
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    /// Adds counted uses (merged with those already stored for the same minute) and
    /// moves each key's last use forward.
    pub async fn record_key_uses(&self, uses: &[KeyUse]) -> Result<(), StoreError> {
        if uses.is_empty() {
            return Ok(());
        }
        let _guard = self.write_lock.lock().await;
        let mut tx = crate::db::begin_write(&self.pool).await?;
        for (key_id, minute, route, status, count) in uses {
            sqlx::query(
                "INSERT INTO partner_key_uses (key_id, minute, route, status, uses) VALUES ($1, $2, $3, $4, $5) ON CONFLICT (key_id, minute, route, status) DO UPDATE SET uses = partner_key_uses.uses + excluded.uses",
            )
            .bind(key_id)
            .bind(minute)
            .bind(route)
            .bind(i64::from(*status))
            .bind(i64::try_from(*count).unwrap_or(i64::MAX))
            .execute(&mut *tx)
            .await?;
            sqlx::query(
                "UPDATE partner_keys SET last_used_at = $1 WHERE id = $2 AND (last_used_at IS NULL OR last_used_at < $1)",
            )
            .bind(minute * 60 + 59)
            .bind(key_id)
            .execute(&mut *tx)
            .await?;
        }
        tx.commit().await?;
        Ok(())
    }

    /// A key's uses since `since` (unix seconds): (minute, route, status, uses), the
    /// newest first, at most `limit` rows.
    pub async fn key_uses(
        &self,
        key_id: i64,
        since: i64,
        limit: i64,
    ) -> Result<Vec<(i64, String, i64, i64)>, StoreError> {
        Ok(sqlx::query_as(
            "SELECT minute, route, status, uses FROM partner_key_uses WHERE key_id = $1 AND minute >= $2 ORDER BY minute DESC, route, status LIMIT $3",
        )
        .bind(key_id)
        .bind(since / 60)
        .bind(limit.clamp(1, 10_000))
        .fetch_all(&self.pool)
        .await?)
    }
}

fn check_spec(partner: &Partner, spec: &NewKeySpec, now: i64) -> Result<(), PartnerError> {
    if !partner.active {
        return Err(PartnerError::Disabled);
    }
    if spec.scopes.is_empty() || spec.scopes.list().iter().any(|s| !s.fits(partner.kind)) {
        return Err(PartnerError::BadScopes);
    }
    if spec.per_minute == 0 || spec.per_minute > MAX_PER_MINUTE {
        return Err(PartnerError::BadRate);
    }
    if spec.expires_at.is_some_and(|e| e <= now) {
        return Err(PartnerError::BadExpiry);
    }
    Ok(())
}

async fn insert_key(
    tx: &mut sqlx::Transaction<'_, crate::db::Db>,
    officer: &Officer,
    partner_id: i64,
    spec: &NewKeySpec,
) -> Result<(i64, String), StoreError> {
    let k = new_key();
    let at = unix_now();
    let label: String = spec.label.trim().chars().take(120).collect();
    let (id,): (i64,) = sqlx::query_as(
        "INSERT INTO partner_keys (partner_id, prefix, hash, scopes, per_minute, label, created_by, created_at, expires_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id",
    )
    .bind(partner_id)
    .bind(&k.prefix)
    .bind(k.hash.to_vec())
    .bind(spec.scopes.to_text())
    .bind(i64::from(spec.per_minute))
    .bind(&label)
    .bind(officer.id)
    .bind(at)
    .bind(spec.expires_at)
    .fetch_one(&mut **tx)
    .await?;
    let target = format!("key:{}", k.prefix);
    append(
        tx,
        &AuditEvent {
            actor: &officer.actor(),
            action: "key.issue",
            target: &target,
            reason: &format!("partner:{partner_id} {}", spec.scopes.to_text()),
        },
        at,
    )
    .await?;
    Ok((id, k.key))
}

impl Store {
    /// Audits a partner's bulk submission of reports (their tracking codes, the first
    /// 50 named).
    pub async fn audit_partner_reports(
        &self,
        holder: &KeyHolder,
        codes: &[String],
        now: i64,
    ) -> Result<(), StoreError> {
        let _guard = self.write_lock.lock().await;
        let mut tx = crate::db::begin_write(&self.pool).await?;
        let target = format!("partner:{}", holder.partner_id);
        let mut reason = format!("{} báo cáo:", codes.len());
        for code in codes.iter().take(50) {
            reason.push(' ');
            reason.push_str(code);
        }
        append(
            &mut tx,
            &AuditEvent {
                actor: &holder.actor(),
                action: "reports.submit",
                target: &target,
                reason: &reason,
            },
            now,
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }
}
