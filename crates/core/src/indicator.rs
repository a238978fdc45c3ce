//! Verified indicators as partners receive them: one identifier an officer verified as
//! a scam (active) or cleared after review (revoked, so partners delete it too), with
//! what the reports say about it. Written out as STIX 2.1, MISP event JSON and CSV.

pub mod csv_rows;
pub mod misp;
pub mod stix;

use serde::Serialize;
use time::OffsetDateTime;

use crate::ident::IdentifierKind;

/// Whether partners should act on an indicator or delete it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum IndicatorStatus {
    /// Verified as a scam by an officer.
    Active,
    /// Cleared after review (a dispute upheld, or a mistake): partners delete it.
    Revoked,
}

impl IndicatorStatus {
    /// The stable name.
    pub fn as_str(self) -> &'static str {
        match self {
            IndicatorStatus::Active => "active",
            IndicatorStatus::Revoked => "revoked",
        }
    }
}

/// One indicator with its facts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Indicator {
    /// The lookup key: kind and normalised value (`phone:+84912345678`).
    pub key: String,
    /// Its kind.
    pub kind: IdentifierKind,
    /// The normalised value without the kind (`+84912345678`, `970436:0123456789`).
    pub value: String,
    /// A readable form (`091 234 5678`, `Vietcombank 0123456789`).
    pub display: String,
    /// Active or revoked.
    pub status: IndicatorStatus,
    /// Catalogue keys of the scam methods the reports name, most reported first.
    pub methods: Vec<String>,
    /// Reports that name it.
    pub report_count: u32,
    /// Unix seconds of the first report naming it (none when no report is indexed).
    pub first_seen: Option<i64>,
    /// Unix seconds of the latest report naming it.
    pub last_seen: Option<i64>,
    /// Unix seconds when the system first saw the identifier (never changes).
    pub created_at: i64,
    /// Unix seconds of the officer's latest decision on it.
    pub changed_at: i64,
}

impl Indicator {
    /// The time the indicator's current version was decided, never before its creation.
    pub fn modified_at(&self) -> i64 {
        self.changed_at.max(self.created_at)
    }
}

/// RFC 3339 in UTC with milliseconds, as STIX and MISP want (`2026-12-02T09:30:00.000Z`).
pub fn timestamp(unix: i64) -> String {
    let t = OffsetDateTime::from_unix_timestamp(unix).unwrap_or(OffsetDateTime::UNIX_EPOCH);
    format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.000Z",
        t.year(),
        u8::from(t.month()),
        t.day(),
        t.hour(),
        t.minute(),
        t.second()
    )
}

#[cfg(test)]
pub(crate) fn sample(kind: IdentifierKind, value: &str, status: IndicatorStatus) -> Indicator {
    Indicator {
        key: format!("{}:{value}", kind.as_str()),
        kind,
        value: value.to_string(),
        display: value.to_string(),
        status,
        methods: vec!["gia_danh_cong_an".to_string()],
        report_count: 3,
        first_seen: Some(1_764_000_000),
        last_seen: Some(1_764_100_000),
        created_at: 1_763_900_000,
        changed_at: 1_764_200_000,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timestamps_have_milliseconds_in_utc() {
        assert_eq!(timestamp(0), "1970-01-01T00:00:00.000Z");
        assert_eq!(timestamp(1_764_667_800), "2025-12-02T09:30:00.000Z");
    }

    #[test]
    fn a_decision_before_creation_reads_as_the_creation() {
        let mut i = sample(
            IdentifierKind::Phone,
            "+84912345678",
            IndicatorStatus::Active,
        );
        i.changed_at = i.created_at - 10;
        assert_eq!(i.modified_at(), i.created_at);
    }
}
