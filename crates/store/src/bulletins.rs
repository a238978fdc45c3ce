//! Bulletins as stored: drafted by analysts, published to the warnings page and feeds.

use canhgiac_core::bulletin::{Audience, Channel, Drafts, Leaflet};
use canhgiac_core::roles::Permission;

use crate::audit::{append, now, AuditEvent};
use crate::officers::Officer;
use crate::{Store, StoreError};

/// A stored bulletin.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Bulletin {
    /// Id.
    pub id: i64,
    /// For whom.
    pub audience: Audience,
    /// The methods it warns about.
    pub method_keys: Vec<String>,
    /// The channels it is meant for.
    pub channels: Vec<Channel>,
    /// Title and every variant.
    pub drafts: Drafts,
    /// Published (else a draft).
    pub published: bool,
    /// Who drafted it.
    pub created_by: String,
    /// When it was drafted.
    pub created_at: i64,
    /// When it was last changed.
    pub updated_at: i64,
    /// When it was published.
    pub published_at: Option<i64>,
}

/// Why a change was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum BulletinError {
    /// The role may not.
    #[error("your role may not write bulletins")]
    Forbidden,
    /// No such bulletin.
    #[error("no such bulletin")]
    NotFound,
    /// Published bulletins are not changed.
    #[error("the bulletin is published")]
    Published,
}

type Row = (
    i64,
    String,
    String,
    String,
    String,
    String,
    String,
    String,
    String,
    String,
    String,
    String,
    i64,
    i64,
    Option<i64>,
);

const SELECT: &str = "SELECT b.id, b.title, b.audience, b.method_keys, b.channels, b.sms, b.sms_plain, b.zalo, b.fanpage, b.leaflet, b.status, o.display_name, b.created_at, b.updated_at, b.published_at FROM bulletins b JOIN officers o ON o.id = b.created_by";

fn corrupt(id: i64, what: &str) -> StoreError {
    StoreError::Corrupt(format!("bulletin {id}: {what}"))
}

fn from_row(r: Row) -> Result<Bulletin, StoreError> {
    let (id, title, audience, keys, channels, sms, sms_plain, zalo, fanpage, leaflet, status) =
        (r.0, r.1, r.2, r.3, r.4, r.5, r.6, r.7, r.8, r.9, r.10);
    let channels: Vec<String> =
        serde_json::from_str(&channels).map_err(|e| corrupt(id, &e.to_string()))?;
    let leaflet: Leaflet =
        serde_json::from_str(&leaflet).map_err(|e| corrupt(id, &e.to_string()))?;
    Ok(Bulletin {
        id,
        audience: Audience::from_key(&audience).ok_or_else(|| corrupt(id, "audience"))?,
        method_keys: serde_json::from_str(&keys).map_err(|e| corrupt(id, &e.to_string()))?,
        channels: channels
            .iter()
            .filter_map(|c| Channel::from_key(c))
            .collect(),
        drafts: Drafts {
            title,
            sms,
            sms_plain,
            zalo,
            fanpage,
            leaflet,
        },
        published: status == "published",
        created_by: r.11,
        created_at: r.12,
        updated_at: r.13,
        published_at: r.14,
    })
}

fn json<T: serde::Serialize>(value: &T) -> Result<String, StoreError> {
    serde_json::to_string(value).map_err(|e| StoreError::Corrupt(e.to_string()))
}

impl Store {
    /// Saves a new draft. Returns its id.
    pub async fn create_bulletin(
        &self,
        officer: &Officer,
        audience: Audience,
        method_keys: &[String],
        channels: &[Channel],
        drafts: &Drafts,
    ) -> Result<Result<i64, BulletinError>, StoreError> {
        if !officer.role.can(Permission::PublishBulletins) {
            return Ok(Err(BulletinError::Forbidden));
        }
        let channel_keys: Vec<&str> = channels.iter().map(|c| c.key()).collect();
        let _guard = self.write_lock.lock().await;
        let at = now();
        let mut tx = crate::db::begin_write(&self.pool).await?;
        let id = sqlx::query_scalar::<_, i64>("INSERT INTO bulletins (title, audience, method_keys, channels, sms, sms_plain, zalo, fanpage, leaflet, created_by, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) RETURNING id")
            .bind(&drafts.title)
            .bind(audience.key())
            .bind(json(&method_keys)?)
            .bind(json(&channel_keys)?)
            .bind(&drafts.sms)
            .bind(&drafts.sms_plain)
            .bind(&drafts.zalo)
            .bind(&drafts.fanpage)
            .bind(json(&drafts.leaflet)?)
            .bind(officer.id)
            .bind(at)
            .bind(at)
            .fetch_one(&mut *tx)
            .await?;
        let target = format!("bulletin:{id}");
        append(
            &mut tx,
            &AuditEvent {
                actor: &officer.actor(),
                action: "bulletin.create",
                target: &target,
                reason: &drafts.title,
            },
            at,
        )
        .await?;
        tx.commit().await?;
        Ok(Ok(id))
    }

    /// Replaces a draft's texts (validated by the caller).
    pub async fn update_bulletin(
        &self,
        officer: &Officer,
        id: i64,
        drafts: &Drafts,
    ) -> Result<Result<(), BulletinError>, StoreError> {
        self.change_bulletin(officer, id, Some(drafts)).await
    }

    /// Publishes a draft: it goes on the warnings page and into the feeds.
    pub async fn publish_bulletin(
        &self,
        officer: &Officer,
        id: i64,
    ) -> Result<Result<(), BulletinError>, StoreError> {
        self.change_bulletin(officer, id, None).await
    }

    async fn change_bulletin(
        &self,
        officer: &Officer,
        id: i64,
        drafts: Option<&Drafts>,
    ) -> Result<Result<(), BulletinError>, StoreError> {
        if !officer.role.can(Permission::PublishBulletins) {
            return Ok(Err(BulletinError::Forbidden));
        }
        let _guard = self.write_lock.lock().await;
        let at = now();
        let mut tx = crate::db::begin_write(&self.pool).await?;
        let status: Option<(String,)> =
            sqlx::query_as("SELECT status FROM bulletins WHERE id = $1")
                .bind(id)
                .fetch_optional(&mut *tx)
                .await?;
        match status {
            None => return Ok(Err(BulletinError::NotFound)),
            Some((s,)) if s == "published" => return Ok(Err(BulletinError::Published)),
            Some(_) => {}
        }
        let action = match drafts {
            Some(d) => {
                sqlx::query("UPDATE bulletins SET title = $1, sms = $2, sms_plain = $3, zalo = $4, fanpage = $5, leaflet = $6, updated_at = $7 WHERE id = $8")
                    .bind(&d.title)
                    .bind(&d.sms)
                    .bind(&d.sms_plain)
                    .bind(&d.zalo)
                    .bind(&d.fanpage)
                    .bind(json(&d.leaflet)?)
                    .bind(at)
                    .bind(id)
                    .execute(&mut *tx)
                    .await?;
                "bulletin.update"
            }
            None => {
                sqlx::query("UPDATE bulletins SET status = 'published', published_by = $1, published_at = $2, updated_at = $3 WHERE id = $4")
                    .bind(officer.id)
                    .bind(at)
                    .bind(at)
                    .bind(id)
                    .execute(&mut *tx)
                    .await?;
                "bulletin.publish"
            }
        };
        let target = format!("bulletin:{id}");
        append(
            &mut tx,
            &AuditEvent {
                actor: &officer.actor(),
                action,
                target: &target,
                reason: "",
            },
            at,
        )
        .await?;
        tx.commit().await?;
        Ok(Ok(()))
    }

    /// One bulletin (drafts included; callers show drafts to officers only).
    pub async fn bulletin(&self, id: i64) -> Result<Option<Bulletin>, StoreError> {
        let row: Option<Row> = sqlx::query_as(&format!("{SELECT} WHERE b.id = $1"))
            .bind(id)
            .fetch_optional(&self.pool)
            .await?;
        row.map(from_row).transpose()
    }

    /// Published bulletins, newest first, at most `limit`.
    pub async fn published_bulletins(&self, limit: i64) -> Result<Vec<Bulletin>, StoreError> {
        let rows: Vec<Row> = sqlx::query_as(&format!(
            "{SELECT} WHERE b.status = 'published' ORDER BY b.published_at DESC, b.id DESC LIMIT $1"
        ))
        .bind(limit)
        .fetch_all(&self.pool)
        .await?;
        rows.into_iter().map(from_row).collect()
    }

    /// Every bulletin, newest first, at most `limit` (for the console).
    pub async fn all_bulletins(&self, limit: i64) -> Result<Vec<Bulletin>, StoreError> {
        let rows: Vec<Row> = sqlx::query_as(&format!("{SELECT} ORDER BY b.id DESC LIMIT $1"))
            .bind(limit)
            .fetch_all(&self.pool)
            .await?;
        rows.into_iter().map(from_row).collect()
    }
}
