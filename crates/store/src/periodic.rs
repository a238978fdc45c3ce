//! Periodic reports to the People's Committee (monthly, quarterly, six-monthly,
//! yearly): the figures of the period as they were when the report was drafted, and
//! the text an analyst edits before export. Both are kept, so an exported report can
//! be opened again with the figures it was sent with. Edits are compare-and-set on the
//! version: of two officers saving at once, the second is refused.

use canhgiac_core::roles::Permission;

use crate::audit::{append, now, AuditEvent};
use crate::officers::Officer;
use crate::{Store, StoreError};

/// A stored periodic report.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PeriodicReport {
    /// Id.
    pub id: i64,
    /// The period (`2026-11`, `2026-Q4`, `2026-H2`, `2026`).
    pub period_key: String,
    /// Number and symbol (`125/BC-CAT`).
    pub number: String,
    /// The sections as the web layer wrote them (JSON).
    pub sections: String,
    /// The figures as drafted (JSON).
    pub figures: String,
    /// Moved by each save.
    pub version: i64,
    /// Who drafted it.
    pub created_by: String,
    /// When.
    pub created_at: i64,
    /// When last saved.
    pub updated_at: i64,
}

/// Why a change was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PeriodicError {
    /// The role may not.
    #[error("your role may not write periodic reports")]
    Forbidden,
    /// No such report.
    #[error("no such periodic report")]
    NotFound,
    /// Someone saved it since the editor opened it.
    #[error("the report was changed by someone else")]
    Stale,
}

type Row = (i64, String, String, String, String, i64, String, i64, i64);

const SELECT: &str = "SELECT p.id, p.period_key, p.number, p.sections, p.figures, p.version, o.display_name, p.created_at, p.updated_at FROM periodic_reports p JOIN officers o ON o.id = p.created_by";

fn from_row(r: Row) -> PeriodicReport {
    PeriodicReport {
        id: r.0,
        period_key: r.1,
        number: r.2,
        sections: r.3,
        figures: r.4,
        version: r.5,
        created_by: r.6,
        created_at: r.7,
        updated_at: r.8,
    }
}

/// Who may draft and edit periodic reports.
pub fn may_write(officer: &Officer) -> bool {
    officer.role.can(Permission::PublishBulletins) || officer.role.can(Permission::Decide)
}

impl Store {
    /// Stores a new draft; returns its id.
    pub async fn create_periodic_report(
        &self,
        officer: &Officer,
        period_key: &str,
        number: &str,
        sections: &str,
        figures: &str,
    ) -> Result<Result<i64, PeriodicError>, StoreError> {
        if !may_write(officer) {
            return Ok(Err(PeriodicError::Forbidden));
        }
        let _guard = self.write_lock.lock().await;
        let at = now();
        let mut tx = crate::db::begin_write(&self.pool).await?;
        let (id,): (i64,) = sqlx::query_as(
            "INSERT INTO periodic_reports (period_key, number, sections, figures, version, created_by, created_at, updated_at) VALUES ($1, $2, $3, $4, 1, $5, $6, $7) RETURNING id",
        )
        .bind(period_key)
        .bind(number)
        .bind(sections)
        .bind(figures)
        .bind(officer.id)
        .bind(at)
        .bind(at)
        .fetch_one(&mut *tx)
        .await?;
        let target = format!("periodic_report:{id}");
        append(
            &mut tx,
            &AuditEvent {
                actor: &officer.actor(),
                action: "periodic_report.create",
                target: &target,
                reason: period_key,
            },
            at,
        )
        .await?;
        tx.commit().await?;
        Ok(Ok(id))
    }

    /// Saves edited text if the report is still at `version`.
    pub async fn update_periodic_report(
        &self,
        officer: &Officer,
        id: i64,
        version: i64,
        number: &str,
        sections: &str,
    ) -> Result<Result<i64, PeriodicError>, StoreError> {
        if !may_write(officer) {
            return Ok(Err(PeriodicError::Forbidden));
        }
        let _guard = self.write_lock.lock().await;
        let at = now();
        let mut tx = crate::db::begin_write(&self.pool).await?;
        let changed = sqlx::query(
            "UPDATE periodic_reports SET number = $1, sections = $2, version = version + 1, updated_at = $3 WHERE id = $4 AND version = $5",
        )
        .bind(number)
        .bind(sections)
        .bind(at)
        .bind(id)
        .bind(version)
        .execute(&mut *tx)
        .await?
        .rows_affected();
        if changed == 0 {
            let exists: Option<(i64,)> =
                sqlx::query_as("SELECT id FROM periodic_reports WHERE id = $1")
                    .bind(id)
                    .fetch_optional(&mut *tx)
                    .await?;
            return Ok(Err(if exists.is_some() {
                PeriodicError::Stale
            } else {
                PeriodicError::NotFound
            }));
        }
        let target = format!("periodic_report:{id}");
        append(
            &mut tx,
            &AuditEvent {
                actor: &officer.actor(),
                action: "periodic_report.update",
                target: &target,
                reason: "",
            },
            at,
        )
        .await?;
        tx.commit().await?;
        Ok(Ok(version + 1))
    }

    /// One periodic report.
    pub async fn periodic_report(&self, id: i64) -> Result<Option<PeriodicReport>, StoreError> {
        let row: Option<Row> = sqlx::query_as(&format!("{SELECT} WHERE p.id = $1"))
            .bind(id)
            .fetch_optional(&self.pool)
            .await?;
        Ok(row.map(from_row))
    }

    /// The newest periodic reports first.
    pub async fn periodic_reports(&self, limit: i64) -> Result<Vec<PeriodicReport>, StoreError> {
        let rows: Vec<Row> = sqlx::query_as(&format!("{SELECT} ORDER BY p.id DESC LIMIT $1"))
            .bind(limit)
            .fetch_all(&self.pool)
            .await?;
        Ok(rows.into_iter().map(from_row).collect())
    }
}
