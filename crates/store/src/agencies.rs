//! Agencies, their liaisons and the awareness activities they record; the summaries
//! the police read per period.

use canhgiac_core::activity::{ActivityKind, AgencyKind};
use canhgiac_core::bulletin::Audience;
use canhgiac_core::roles::Permission;
use time::Date;

use crate::audit::{append, now, AuditEvent};
use crate::officers::Officer;
use crate::{Store, StoreError};

/// An agency.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Agency {
    /// Id.
    pub id: i64,
    /// Name.
    pub name: String,
    /// Kind.
    pub kind: AgencyKind,
}

pub use canhgiac_core::activity::edit::NewActivity;

/// A recorded activity.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Activity {
    /// Id.
    pub id: i64,
    /// Agency name.
    pub agency: String,
    /// The activity.
    pub activity: NewActivity,
    /// Who recorded it.
    pub recorded_by: String,
}

/// One agency's activities in a period.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AgencySummary {
    /// The agency.
    pub agency: Agency,
    /// Activities in the period.
    pub activities: i64,
    /// People reached in the period.
    pub reached: i64,
    /// Its latest activity ever (`YYYY-MM-DD`).
    pub last: Option<String>,
}

/// Why an activity or agency was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AgencyError {
    /// The role may not.
    #[error("your role may not do this")]
    Forbidden,
    /// The account belongs to no agency.
    #[error("your account belongs to no agency")]
    NoAgency,
    /// The bulletin does not exist or is not published.
    #[error("no such published bulletin")]
    UnknownBulletin,
    /// An agency of this name exists.
    #[error("an agency of this name exists")]
    Exists,
    /// No such agency or account.
    #[error("no such agency or account")]
    NotFound,
}

fn day_text(d: Date) -> String {
    format!("{:04}-{:02}-{:02}", d.year(), u8::from(d.month()), d.day())
}

type ActivityRow = (
    i64,
    String,
    String,
    String,
    String,
    i64,
    Option<i64>,
    String,
    String,
    String,
);

impl Store {
    /// Fills the registry on first start: the provincial bodies that run awareness
    /// campaigns and every commune/ward of the province (administrators add schools,
    /// industrial parks and the rest).
    pub async fn seed_agencies(&self) -> Result<(), StoreError> {
        let (n,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM agencies")
            .fetch_one(&self.pool)
            .await?;
        if n > 0 {
            return Ok(());
        }
        let province = &self.province().name;
        let departments: Vec<(String, AgencyKind)> = vec![
            (
                format!("Sở Giáo dục và Đào tạo tỉnh {province}"),
                AgencyKind::Department,
            ),
            (
                format!("Sở Khoa học và Công nghệ tỉnh {province}"),
                AgencyKind::Department,
            ),
            (
                format!("Ban Quản lý các khu công nghiệp {province}"),
                AgencyKind::IndustrialPark,
            ),
            (format!("Tỉnh đoàn {province}"), AgencyKind::Department),
            (
                format!("Hội Liên hiệp Phụ nữ tỉnh {province}"),
                AgencyKind::Department,
            ),
            (format!("Báo {province}"), AgencyKind::Press),
        ];
        let places = self.places().to_vec();
        let _guard = self.write_lock.lock().await;
        let at = now();
        let mut tx = crate::db::begin_write(&self.pool).await?;
        for (name, kind) in &departments {
            sqlx::query("INSERT INTO agencies (name, kind, created_at) VALUES ($1, $2, $3) ON CONFLICT(name) DO NOTHING")
                .bind(name)
                .bind(kind.key())
                .bind(at)
                .execute(&mut *tx)
                .await?;
        }
        for p in places {
            sqlx::query("INSERT INTO agencies (name, kind, place_code, created_at) VALUES ($1, 'commune', $2, $3) ON CONFLICT(name) DO NOTHING")
                .bind(format!("UBND {}", p.name))
                .bind(p.code)
                .bind(at)
                .execute(&mut *tx)
                .await?;
        }
        tx.commit().await?;
        Ok(())
    }

    /// Every agency, by name.
    pub async fn agencies(&self) -> Result<Vec<Agency>, StoreError> {
        let rows: Vec<(i64, String, String)> =
            sqlx::query_as("SELECT id, name, kind FROM agencies ORDER BY kind, name")
                .fetch_all(&self.pool)
                .await?;
        Ok(rows
            .into_iter()
            .map(|(id, name, kind)| Agency {
                id,
                name,
                kind: AgencyKind::from_key(&kind).unwrap_or(AgencyKind::Other),
            })
            .collect())
    }

    /// Adds an agency.
    pub async fn add_agency(
        &self,
        officer: &Officer,
        name: &str,
        kind: AgencyKind,
    ) -> Result<Result<i64, AgencyError>, StoreError> {
        if !officer.role.can(Permission::ViewActivity) {
            return Ok(Err(AgencyError::Forbidden));
        }
        let _guard = self.write_lock.lock().await;
        let at = now();
        let mut tx = crate::db::begin_write(&self.pool).await?;
        let inserted = sqlx::query_scalar::<_, i64>(
            "INSERT INTO agencies (name, kind, created_at) VALUES ($1, $2, $3) RETURNING id",
        )
        .bind(name)
        .bind(kind.key())
        .bind(at)
        .fetch_one(&mut *tx)
        .await;
        let id = match inserted {
            Ok(id) => id,
            Err(e) if StoreError::is_unique_violation(&e) => return Ok(Err(AgencyError::Exists)),
            Err(e) => return Err(e.into()),
        };
        let target = format!("agency:{id}");
        append(
            &mut tx,
            &AuditEvent {
                actor: &officer.actor(),
                action: "agency.add",
                target: &target,
                reason: name,
            },
            at,
        )
        .await?;
        tx.commit().await?;
        Ok(Ok(id))
    }

    /// Makes an account the liaison of an agency (the CLI and the demo do this).
    pub async fn set_liaison_agency(
        &self,
        username: &str,
        agency_id: i64,
    ) -> Result<Result<(), AgencyError>, StoreError> {
        let _guard = self.write_lock.lock().await;
        let done = sqlx::query("UPDATE officers SET agency_id = $1 WHERE lower(username) = lower($2) AND EXISTS (SELECT 1 FROM agencies WHERE id = $3)")
            .bind(agency_id)
            .bind(username)
            .bind(agency_id)
            .execute(&self.pool)
            .await?;
        Ok(if done.rows_affected() == 1 {
            Ok(())
        } else {
            Err(AgencyError::NotFound)
        })
    }

    /// The agency an officer is the liaison of.
    pub async fn agency_of(&self, officer: &Officer) -> Result<Option<Agency>, StoreError> {
        let row: Option<(i64, String, String)> = sqlx::query_as(
            "SELECT a.id, a.name, a.kind FROM officers o JOIN agencies a ON a.id = o.agency_id WHERE o.id = $1",
        )
        .bind(officer.id)
        .fetch_optional(&self.pool)
        .await?;
        Ok(row.map(|(id, name, kind)| Agency {
            id,
            name,
            kind: AgencyKind::from_key(&kind).unwrap_or(AgencyKind::Other),
        }))
    }

    /// Records an activity of the officer's agency.
    pub async fn record_activity(
        &self,
        officer: &Officer,
        activity: &NewActivity,
    ) -> Result<Result<i64, AgencyError>, StoreError> {
        if !officer.role.can(Permission::RecordActivity) {
            return Ok(Err(AgencyError::Forbidden));
        }
        let Some(agency) = self.agency_of(officer).await? else {
            return Ok(Err(AgencyError::NoAgency));
        };
        if let Some(b) = activity.bulletin_id {
            let published: Option<(i64,)> =
                sqlx::query_as("SELECT id FROM bulletins WHERE id = $1 AND status = 'published'")
                    .bind(b)
                    .fetch_optional(&self.pool)
                    .await?;
            if published.is_none() {
                return Ok(Err(AgencyError::UnknownBulletin));
            }
        }
        let _guard = self.write_lock.lock().await;
        let at = now();
        let mut tx = crate::db::begin_write(&self.pool).await?;
        let id = sqlx::query_scalar::<_, i64>("INSERT INTO activities (agency_id, officer_id, kind, held_on, audience, reached, bulletin_id, link, note, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id")
            .bind(agency.id)
            .bind(officer.id)
            .bind(activity.kind.key())
            .bind(day_text(activity.held_on))
            .bind(activity.audience.key())
            .bind(activity.reached)
            .bind(activity.bulletin_id)
            .bind(&activity.link)
            .bind(&activity.note)
            .bind(at)
            .fetch_one(&mut *tx)
            .await?;
        let target = format!("activity:{id}");
        append(
            &mut tx,
            &AuditEvent {
                actor: &officer.actor(),
                action: "activity.record",
                target: &target,
                reason: &agency.name,
            },
            at,
        )
        .await?;
        tx.commit().await?;
        Ok(Ok(id))
    }

    /// Activities between two days (inclusive), newest first; one agency's or all.
    pub async fn activities(
        &self,
        first: Date,
        last: Date,
        agency: Option<i64>,
    ) -> Result<Vec<Activity>, StoreError> {
        let rows: Vec<ActivityRow> = sqlx::query_as(
            "SELECT a.id, g.name, a.kind, a.held_on, a.audience, a.reached, a.bulletin_id, a.link, a.note, o.display_name FROM activities a JOIN agencies g ON g.id = a.agency_id JOIN officers o ON o.id = a.officer_id WHERE a.held_on BETWEEN $1 AND $2 AND ($3 IS NULL OR a.agency_id = $4) ORDER BY a.held_on DESC, a.id DESC",
        )
        .bind(day_text(first))
        .bind(day_text(last))
        .bind(agency)
        .bind(agency)
        .fetch_all(&self.pool)
        .await?;
        rows.into_iter()
            .map(|r| {
                let held_on = crate::console::parse_date(&r.3)
                    .ok_or_else(|| StoreError::Corrupt(format!("activity {}: date", r.0)))?;
                Ok(Activity {
                    id: r.0,
                    agency: r.1,
                    activity: NewActivity {
                        kind: ActivityKind::from_key(&r.2).ok_or_else(|| {
                            StoreError::Corrupt(format!("activity {}: kind", r.0))
                        })?,
                        held_on,
                        audience: Audience::from_key(&r.4).unwrap_or(Audience::Public),
                        reached: r.5,
                        bulletin_id: r.6,
                        link: r.7,
                        note: r.8,
                    },
                    recorded_by: r.9,
                })
            })
            .collect()
    }

    /// Every agency with its activities and reach in a period, and its latest
    /// activity ever (agencies that reported nothing have 0).
    pub async fn agency_summaries(
        &self,
        first: Date,
        last: Date,
    ) -> Result<Vec<AgencySummary>, StoreError> {
        let rows: Vec<(i64, String, String, i64, i64, Option<String>)> = sqlx::query_as(
            "SELECT g.id, g.name, g.kind, \
               (SELECT COUNT(*) FROM activities a WHERE a.agency_id = g.id AND a.held_on BETWEEN $1 AND $2), \
               (SELECT CAST(COALESCE(SUM(reached), 0) AS BIGINT) FROM activities a WHERE a.agency_id = g.id AND a.held_on BETWEEN $1 AND $2), \
               (SELECT MAX(held_on) FROM activities a WHERE a.agency_id = g.id) \
             FROM agencies g ORDER BY g.kind, g.name",
        )
        .bind(day_text(first))
        .bind(day_text(last))
        .fetch_all(&self.pool)
        .await?;
        Ok(rows
            .into_iter()
            .map(
                |(id, name, kind, activities, reached, last)| AgencySummary {
                    agency: Agency {
                        id,
                        name,
                        kind: AgencyKind::from_key(&kind).unwrap_or(AgencyKind::Other),
                    },
                    activities,
                    reached,
                    last,
                },
            )
            .collect())
    }
}
