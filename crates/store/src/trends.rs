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
            "SELECT (created_at + ?) / ? AS w, method_key, place_code, channel, COUNT(*) FROM reports WHERE created_at >= ? AND created_at < ? GROUP BY w, method_key, place_code, channel",
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
