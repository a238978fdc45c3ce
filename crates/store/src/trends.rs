//! Report counts per week, for the trend charts and spike detection.

use crate::{Store, StoreError};

type WeekRow = (i64, Option<String>, Option<i64>, String, i64);

/// Reports of one week with one method, commune and channel.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WeekCount {
    /// Week number ([`canhgiac_core::trends::week_of`]).
    pub week: i64,
    /// Method key, when known.
    pub method: Option<String>,
    /// Commune/ward code, when known.
    pub place: Option<i64>,
    /// Channel of first contact.
    pub channel: String,
    /// Reports.
    pub count: u32,
}

impl Store {
    /// Report counts per week from `first_week` to `last_week` (inclusive), by method,
    /// commune and channel. The week is computed as `week_of` does, in SQL.
    pub async fn weekly_counts(
        &self,
        first_week: i64,
        last_week: i64,
    ) -> Result<Vec<WeekCount>, StoreError> {
        const WEEK: i64 = 7 * 86_400;
        // week_of: (t + 7 h + 3 days) / 7 days
        let shift = 7 * 3600 + 3 * 86_400;
        let from = first_week * WEEK - shift;
        let to = (last_week + 1) * WEEK - shift;
        let rows: Vec<WeekRow> = sqlx::query_as(
            "SELECT (created_at + $1) / $2 AS w, method_key, place_code, channel, COUNT(*) FROM reports WHERE created_at >= $3 AND created_at < $4 GROUP BY w, method_key, place_code, channel",
        )
        .bind(shift)
        .bind(WEEK)
        .bind(from)
        .bind(to)
        .fetch_all(&self.pool)
        .await?;
        Ok(rows
            .into_iter()
            .map(|(week, method, place, channel, count)| WeekCount {
                week,
                method,
                place,
                channel,
                count: u32::try_from(count).unwrap_or(u32::MAX),
            })
            .collect())
    }
}

/// A recent report's narrative, for finding new patterns.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecentNarrative {
    /// Report id.
    pub id: i64,
    /// Tracking code.
    pub tracking_code: String,
    /// The narrative.
    pub narrative: String,
    /// The method the reporter chose, if any.
    pub method: Option<String>,
    /// When it was reported.
    pub created_at: i64,
}

impl Store {
    /// The newest reports since `since`, at most `limit`.
    pub async fn recent_narratives(
        &self,
        since: i64,
        limit: i64,
    ) -> Result<Vec<RecentNarrative>, StoreError> {
        self.narratives_between(since, i64::MAX, limit).await
    }

    /// The newest reports received in `[from, to)`, at most `limit`.
    pub async fn narratives_between(
        &self,
        from: i64,
        to: i64,
        limit: i64,
    ) -> Result<Vec<RecentNarrative>, StoreError> {
        let rows: Vec<(i64, String, String, Option<String>, i64)> = sqlx::query_as(
            "SELECT id, tracking_code, narrative, method_key, created_at FROM reports WHERE created_at >= $1 AND created_at < $2 AND status != 'merged' ORDER BY created_at DESC LIMIT $3",
        )
        .bind(from)
        .bind(to)
        .bind(limit)
        .fetch_all(&self.pool)
        .await?;
        Ok(rows
            .into_iter()
            .map(
                |(id, tracking_code, narrative, method, created_at)| RecentNarrative {
                    id,
                    tracking_code,
                    narrative,
                    method,
                    created_at,
                },
            )
            .collect())
    }

    /// Identifiers (shown form) that at least two of the given reports share.
    pub async fn shared_identifiers(&self, report_ids: &[i64]) -> Result<Vec<String>, StoreError> {
        if report_ids.is_empty() {
            return Ok(Vec::new());
        }
        let list = report_ids
            .iter()
            .map(|id| id.to_string())
            .collect::<Vec<_>>()
            .join(",");
        let rows: Vec<(String,)> = sqlx::query_as(&format!(
            "SELECT i.display FROM report_identifiers r JOIN identifiers i ON i.key = r.identifier_key WHERE r.report_id IN ({list}) GROUP BY r.identifier_key, i.display HAVING COUNT(DISTINCT r.report_id) >= 2 ORDER BY COUNT(DISTINCT r.report_id) DESC LIMIT 20"
        ))
        .fetch_all(&self.pool)
        .await?;
        Ok(rows.into_iter().map(|(d,)| d).collect())
    }
}

impl Store {
    /// The narratives of the given reports (at most 20), with their tracking codes.
    pub async fn narratives_of(
        &self,
        report_ids: &[i64],
    ) -> Result<Vec<(String, String)>, StoreError> {
        let ids: Vec<String> = report_ids
            .iter()
            .take(20)
            .map(|id| id.to_string())
            .collect();
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        let rows: Vec<(String, String)> = sqlx::query_as(&format!(
            "SELECT tracking_code, narrative FROM reports WHERE id IN ({}) ORDER BY id",
            ids.join(",")
        ))
        .fetch_all(&self.pool)
        .await?;
        Ok(rows)
    }
}
