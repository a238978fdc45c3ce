//! Webhooks to banks: where a bank wants to hear of a hold request sent to it, the
//! secret deliveries are signed with (sealed at rest), and an outbox of deliveries
//! written in the same transaction as the change they announce, so none is lost and
//! none is sent for a change that did not happen. A delivery is claimed with a
//! compare-and-set, so of several nodes one sends it; failures are retried with a
//! growing wait.

use canhgiac_core::roles::Permission;
use sqlx::Row;

use crate::audit::{append, AuditEvent};
use crate::officers::Officer;
use crate::{Store, StoreError};

/// Attempts before a delivery is given up.
pub const MAX_ATTEMPTS: i64 = 12;
/// How long a claimed delivery is left to its node before another may try.
pub const CLAIM_SECONDS: i64 = 60;

/// A bank's webhook.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Webhook {
    /// The partner.
    pub partner_id: i64,
    /// Where deliveries go.
    pub url: String,
    /// For compare-and-set.
    pub version: i64,
    /// Unix seconds it was set.
    pub created_at: i64,
}

/// A delivery waiting or done.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Delivery {
    /// Its id (sent as `X-Canhgiac-Delivery`).
    pub id: i64,
    /// The partner.
    pub partner_id: i64,
    /// `hold_request.sent`.
    pub event: String,
    /// The JSON body.
    pub payload: String,
    /// Unix seconds it was written.
    pub created_at: i64,
    /// Attempts so far.
    pub attempts: i64,
    /// Unix seconds of the next attempt.
    pub next_at: i64,
    /// Unix seconds it was accepted.
    pub delivered_at: Option<i64>,
    /// The last HTTP status.
    pub last_status: Option<i64>,
    /// The last failure.
    pub last_error: Option<String>,
}

/// A delivery claimed for sending, with where and how to sign it.
#[derive(Debug, Clone)]
pub struct Claimed {
    /// The delivery.
    pub delivery: Delivery,
    /// Where to send it.
    pub url: String,
    /// The signing secret.
    pub secret: Vec<u8>,
}

/// Why a webhook could not be set.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum WebhookError {
    /// Only administrators set webhooks.
    #[error("only administrators manage partners")]
    Forbidden,
    /// Only banks receive hold requests.
    #[error("only a bank has a webhook")]
    NotABank,
    /// Not an https address (http only to this machine).
    #[error("the address must be https")]
    BadUrl,
    /// No such partner.
    #[error("no such partner")]
    NotFound,
}

/// Whether a webhook address is acceptable: `https://`, or `http://` to this machine
/// (a bank's relay on the same host, and tests).
pub fn acceptable_url(url: &str) -> bool {
    let Ok(parsed) = url::Url::parse(url.trim()) else {
        return false;
    };
    if url.len() > 500 || parsed.host_str().is_none() || !parsed.username().is_empty() {
        return false;
    }
    match parsed.scheme() {
        "https" => true,
        "http" => {
            matches!(
                parsed.host(),
                Some(url::Host::Ipv4(ip)) if ip.is_loopback()
            ) || matches!(parsed.host(), Some(url::Host::Ipv6(ip)) if ip.is_loopback())
                || parsed.host_str() == Some("localhost")
        }
        _ => false,
    }
}

/// The wait before attempt `attempts + 1`: 30 s doubling, at most an hour.
pub fn backoff(attempts: i64) -> i64 {
    (30i64 << attempts.clamp(0, 7)).min(3_600)
}

fn delivery_of(row: &sqlx::any::AnyRow) -> Result<Delivery, StoreError> {
    Ok(Delivery {
        id: row.try_get("id")?,
        partner_id: row.try_get("partner_id")?,
        event: row.try_get("event")?,
        payload: row.try_get("payload")?,
        created_at: row.try_get("created_at")?,
        attempts: row.try_get("attempts")?,
        next_at: row.try_get("next_at")?,
        delivered_at: row.try_get("delivered_at")?,
        last_status: row.try_get("last_status")?,
        last_error: row.try_get("last_error")?,
    })
}

const DELIVERY_COLUMNS: &str = "id, partner_id, event, payload, created_at, attempts, next_at, delivered_at, last_status, last_error";

/// Writes a delivery of `event` to the bank of `bank_bin`, if it has a webhook, in the
/// caller's transaction.
pub(crate) async fn enqueue_for_bank(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    bank_bin: &str,
    event: &str,
    payload: &serde_json::Value,
    now: i64,
) -> Result<(), StoreError> {
    let partner: Option<i64> = sqlx::query_scalar(
        "SELECT p.id FROM partners p JOIN partner_webhooks w ON w.partner_id = p.id WHERE p.bank_bin = $1 AND p.active = 1",
    )
    .bind(bank_bin)
    .fetch_optional(&mut **tx)
    .await?;
    let Some(partner) = partner else {
        return Ok(());
    };
    sqlx::query("INSERT INTO webhook_deliveries (partner_id, event, payload, created_at, next_at) VALUES ($1, $2, $3, $4, $4)")
        .bind(partner)
        .bind(event)
        .bind(payload.to_string())
        .bind(now)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

impl Store {
    /// Sets a bank's webhook with a new secret (which the caller shows once).
    pub async fn set_webhook(
        &self,
        officer: &Officer,
        partner_id: i64,
        url: &str,
        secret: &[u8],
        now: i64,
    ) -> Result<Result<(), WebhookError>, StoreError> {
        if !officer.role.can(Permission::ManageAccounts) {
            return Ok(Err(WebhookError::Forbidden));
        }
        let Some(partner) = self.partner(partner_id).await? else {
            return Ok(Err(WebhookError::NotFound));
        };
        if partner.bank_bin.is_none() {
            return Ok(Err(WebhookError::NotABank));
        }
        let url = url.trim();
        if !acceptable_url(url) {
            return Ok(Err(WebhookError::BadUrl));
        }
        let sealed = self.sealer.seal(secret)?;
        let _guard = self.write_lock.lock().await;
        let mut tx = crate::db::begin_write(&self.pool).await?;
        sqlx::query("INSERT INTO partner_webhooks (partner_id, url, secret_sealed, created_at) VALUES ($1, $2, $3, $4) ON CONFLICT(partner_id) DO UPDATE SET url = excluded.url, secret_sealed = excluded.secret_sealed, created_at = excluded.created_at, version = partner_webhooks.version + 1")
            .bind(partner_id)
            .bind(url)
            .bind(sealed)
            .bind(now)
            .execute(&mut *tx)
            .await?;
        let target = format!("partner:{partner_id}");
        append(
            &mut tx,
            &AuditEvent {
                actor: &officer.actor(),
                action: "webhook.set",
                target: &target,
                reason: url,
            },
            now,
        )
        .await?;
        tx.commit().await?;
        Ok(Ok(()))
    }

    /// A partner's webhook.
    pub async fn webhook(&self, partner_id: i64) -> Result<Option<Webhook>, StoreError> {
        let row = sqlx::query(
            "SELECT partner_id, url, version, created_at FROM partner_webhooks WHERE partner_id = $1",
        )
        .bind(partner_id)
        .fetch_optional(&self.pool)
        .await?;
        row.map(|r| {
            Ok(Webhook {
                partner_id: r.try_get("partner_id")?,
                url: r.try_get("url")?,
                version: r.try_get("version")?,
                created_at: r.try_get("created_at")?,
            })
        })
        .transpose()
    }

    /// A partner's latest deliveries, newest first.
    pub async fn deliveries(
        &self,
        partner_id: i64,
        limit: i64,
    ) -> Result<Vec<Delivery>, StoreError> {
        let rows = sqlx::query(&format!(
            "SELECT {DELIVERY_COLUMNS} FROM webhook_deliveries WHERE partner_id = $1 ORDER BY id DESC LIMIT $2"
        ))
        .bind(partner_id)
        .bind(limit.clamp(1, 500))
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(delivery_of).collect()
    }

    /// Claims up to `limit` deliveries due at `now`: each is taken with a
    /// compare-and-set on its next attempt time, so another node skips it.
    pub async fn claim_deliveries(&self, now: i64, limit: i64) -> Result<Vec<Claimed>, StoreError> {
        let rows = sqlx::query(&format!(
            "SELECT {DELIVERY_COLUMNS} FROM webhook_deliveries WHERE delivered_at IS NULL AND next_at <= $1 AND attempts < $2 ORDER BY next_at LIMIT $3"
        ))
        .bind(now)
        .bind(MAX_ATTEMPTS)
        .bind(limit.clamp(1, 100))
        .fetch_all(&self.pool)
        .await?;
        let mut out = Vec::new();
        for row in &rows {
            let delivery = delivery_of(row)?;
            let claimed = {
                let _guard = self.write_lock.lock().await;
                sqlx::query("UPDATE webhook_deliveries SET next_at = $1 WHERE id = $2 AND next_at = $3 AND delivered_at IS NULL")
                    .bind(now + CLAIM_SECONDS)
                    .bind(delivery.id)
                    .bind(delivery.next_at)
                    .execute(&self.pool)
                    .await?
                    .rows_affected()
            };
            if claimed != 1 {
                continue;
            }
            let hook = sqlx::query(
                "SELECT url, secret_sealed FROM partner_webhooks WHERE partner_id = $1",
            )
            .bind(delivery.partner_id)
            .fetch_optional(&self.pool)
            .await?;
            let Some(hook) = hook else { continue };
            let sealed: Vec<u8> = hook.try_get("secret_sealed")?;
            out.push(Claimed {
                url: hook.try_get("url")?,
                secret: self.sealer.open(&sealed)?,
                delivery,
            });
        }
        Ok(out)
    }

    /// Records how a claimed delivery went: accepted (2xx) or to be retried.
    pub async fn finish_delivery(
        &self,
        id: i64,
        attempts_before: i64,
        status: Option<u16>,
        error: Option<&str>,
        now: i64,
    ) -> Result<(), StoreError> {
        let ok = status.is_some_and(|s| (200..300).contains(&s));
        let _guard = self.write_lock.lock().await;
        sqlx::query("UPDATE webhook_deliveries SET attempts = $1, last_status = $2, last_error = $3, delivered_at = $4, next_at = $5 WHERE id = $6")
            .bind(attempts_before + 1)
            .bind(status.map(i64::from))
            .bind(error.map(|e| e.chars().take(300).collect::<String>()))
            .bind(ok.then_some(now))
            .bind(now + backoff(attempts_before))
            .bind(id)
            .execute(&self.pool)
            .await?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn webhooks_go_over_https_or_to_this_machine() {
        assert!(acceptable_url(
            "https://api.vietcombank.com.vn/canhgiac/hooks"
        ));
        assert!(acceptable_url("http://127.0.0.1:9000/hook"));
        assert!(acceptable_url("http://localhost:9000/hook"));
        assert!(!acceptable_url("http://api.vietcombank.com.vn/hook"));
        assert!(!acceptable_url("ftp://127.0.0.1/hook"));
        assert!(!acceptable_url("https://user:pw@bank.vn/hook"));
        assert!(!acceptable_url("không phải địa chỉ"));
    }

    #[test]
    fn retries_wait_longer_each_time_up_to_an_hour() {
        assert_eq!(backoff(0), 30);
        assert_eq!(backoff(1), 60);
        assert_eq!(backoff(5), 960);
        assert_eq!(backoff(9), 3_600);
    }
}
