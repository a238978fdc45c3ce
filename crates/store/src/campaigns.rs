//! Peak campaigns as stored, and the holds of reports in a campaign's scope.

use canhgiac_core::campaign::{CampaignScope, HoldTarget, NewCampaign};
use canhgiac_core::roles::Permission;
use time::Date;

use crate::audit::{append, now, AuditEvent};
use crate::console::report::parse_date;
use crate::officers::Officer;
use crate::{Store, StoreError};

/// A stored campaign.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Campaign {
    /// Id.
    pub id: i64,
    /// Name.
    pub name: String,
    /// First day.
    pub first: Date,
    /// Last day.
    pub last: Date,
    /// What it covers.
    pub scope: CampaignScope,
    /// Its target on holds.
    pub target: Option<HoldTarget>,
    /// Who defined it.
    pub created_by: String,
    /// When.
    pub created_at: i64,
}

/// Why a campaign was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CampaignError {
    /// Only leaders define campaigns.
    #[error("only leaders define campaigns")]
    Forbidden,
}

type Row = (
    i64,
    String,
    String,
    String,
    String,
    Option<i64>,
    Option<i64>,
    String,
    i64,
);

const SELECT: &str = "SELECT c.id, c.name, c.first_day, c.last_day, c.scope, c.target_hours, c.target_percent, o.display_name, c.created_at FROM campaigns c JOIN officers o ON o.id = c.created_by";

fn from_row(r: Row) -> Result<Campaign, StoreError> {
    let corrupt = |what: &str| StoreError::Corrupt(format!("campaign {}: {what}", r.0));
    let scope: CampaignScope = serde_json::from_str(&r.4).map_err(|e| corrupt(&e.to_string()))?;
    let target = match (r.5, r.6) {
        (Some(h), Some(p)) => Some(HoldTarget {
            hours: u32::try_from(h).map_err(|_| corrupt("hours"))?,
            percent: u8::try_from(p).map_err(|_| corrupt("percent"))?,
        }),
        _ => None,
    };
    Ok(Campaign {
        id: r.0,
        name: r.1,
        first: parse_date(&r.2).ok_or_else(|| corrupt("first day"))?,
        last: parse_date(&r.3).ok_or_else(|| corrupt("last day"))?,
        scope,
        target,
        created_by: r.7,
        created_at: r.8,
    })
}

impl Store {
    /// Stores a campaign (checked by the caller); leaders and administrators only.
    pub async fn create_campaign(
        &self,
        officer: &Officer,
        c: &NewCampaign,
    ) -> Result<Result<i64, CampaignError>, StoreError> {
        if !officer.role.can(Permission::ManageQueue) {
            return Ok(Err(CampaignError::Forbidden));
        }
        let scope = serde_json::to_string(&c.scope)
            .map_err(|e| StoreError::Corrupt(format!("campaign scope: {e}")))?;
        let _guard = self.write_lock.lock().await;
        let at = now();
        let mut tx = crate::db::begin_write(&self.pool).await?;
        let (id,): (i64,) = sqlx::query_as(
            "INSERT INTO campaigns (name, first_day, last_day, scope, target_hours, target_percent, created_by, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
        )
        .bind(&c.name)
        .bind(c.first.to_string())
        .bind(c.last.to_string())
        .bind(scope)
        .bind(c.target.map(|t| i64::from(t.hours)))
        .bind(c.target.map(|t| i64::from(t.percent)))
        .bind(officer.id)
        .bind(at)
        .fetch_one(&mut *tx)
        .await?;
        let target = format!("campaign:{id}");
        append(
            &mut tx,
            &AuditEvent {
                actor: &officer.actor(),
                action: "campaign.create",
                target: &target,
                reason: &c.name,
            },
            at,
        )
        .await?;
        tx.commit().await?;
        Ok(Ok(id))
    }

    /// One campaign.
    pub async fn campaign(&self, id: i64) -> Result<Option<Campaign>, StoreError> {
        let row: Option<Row> = sqlx::query_as(&format!("{SELECT} WHERE c.id = $1"))
            .bind(id)
            .fetch_optional(&self.pool)
            .await?;
        row.map(from_row).transpose()
    }

    /// Every campaign, the newest first.
    pub async fn campaigns(&self) -> Result<Vec<Campaign>, StoreError> {
        let rows: Vec<Row> =
            sqlx::query_as(&format!("{SELECT} ORDER BY c.first_day DESC, c.id DESC"))
                .fetch_all(&self.pool)
                .await?;
        rows.into_iter().map(from_row).collect()
    }

    /// Hold requests made in `[from, to)` with their report's id and time, and when
    /// the bank held the account (if it did): (report id, report time, held at).
    pub async fn holds_with_reports(
        &self,
        from: i64,
        to: i64,
    ) -> Result<Vec<(i64, i64, Option<i64>)>, StoreError> {
        Ok(sqlx::query_as(
            "SELECT h.report_id, r.created_at, (SELECT MIN(COALESCE(e.effective_at, e.at)) FROM hold_events e WHERE e.request_id = h.id AND e.state = 'held') FROM hold_requests h JOIN reports r ON r.id = h.report_id WHERE h.created_at >= $1 AND h.created_at < $2",
        )
        .bind(from)
        .bind(to)
        .fetch_all(&self.pool)
        .await?)
    }
}
