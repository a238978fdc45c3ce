//! A ring as the console shows it: its reports and the identifiers they share.

use crate::db::Sql;
use serde::Serialize;

use crate::officers::Officer;
use crate::{LookupIndex, Store, StoreError};

use super::scope::push_scope;

/// A report in a ring.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RingReport {
    /// Id.
    pub id: i64,
    /// Tracking code.
    pub tracking_code: String,
    /// Status key.
    pub status: String,
    /// Method key.
    pub method_key: Option<String>,
    /// Loss, VND.
    pub amount_lost_vnd: i64,
    /// Commune/ward.
    pub place_code: Option<i64>,
    /// Submitted.
    pub created_at: i64,
    /// Keyed fingerprint of the reporter (to count victims; never shown).
    #[serde(skip)]
    pub reporter_fp: String,
}

/// An identifier in a ring.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RingIdentifier {
    /// Key.
    pub key: String,
    /// Kind.
    pub kind: String,
    /// Readable value.
    pub display: String,
}

/// A ring as the console shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RingView {
    /// Ring id (its smallest report id).
    pub id: i64,
    /// Reports in the ring in all.
    pub size: usize,
    /// The reports shown (in the officer's scope, up to the cap), oldest first.
    pub reports: Vec<RingReport>,
    /// Their identifiers.
    pub identifiers: Vec<RingIdentifier>,
    /// Report–identifier links (report id, identifier key).
    pub links: Vec<(i64, String)>,
    /// Distinct victims among the shown reports.
    pub victims: usize,
    /// Total loss of the shown reports.
    pub total_loss_vnd: i64,
    /// Communes/wards, most reports first.
    pub places: Vec<(i64, usize)>,
    /// First and last submission.
    pub span: Option<(i64, i64)>,
    /// Reports not shown (outside the officer's scope, or beyond the cap).
    pub hidden: usize,
}

/// Reports of a ring read in full for one page.
pub const RING_CAP: usize = 500;

/// A ring in the list: its size, its distinct victims and their losses (of the
/// reports the officer's unit may see).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RingSummary {
    /// Ring id (its smallest report id).
    pub id: i64,
    /// Reports in the ring.
    pub size: usize,
    /// Distinct victims among the visible reports.
    pub victims: usize,
    /// Their total loss, VND.
    pub loss_vnd: i64,
}

impl Store {
    /// Victims and losses of the largest rings, as far as the officer may see them.
    pub async fn ring_summaries(
        &self,
        officer: &Officer,
        index: &LookupIndex,
        rings: &[(i64, usize)],
    ) -> Result<Vec<RingSummary>, StoreError> {
        let mut out = Vec::with_capacity(rings.len());
        for (id, size) in rings {
            let members = index.ring_members(*id);
            let mut victims: std::collections::HashSet<String> = Default::default();
            let mut loss_vnd = 0i64;
            for part in members.chunks(400) {
                let mut q = Sql::on(
                    self.backend,
                    "SELECT r.reporter_fp, r.amount_lost_vnd FROM reports r WHERE r.id IN (",
                );
                let mut list = q.separated(", ");
                for m in part {
                    list.push_bind(*m);
                }
                q.push(")");
                push_scope(&mut q, officer);
                for (fp, amount) in q
                    .build_query_as::<(String, i64)>()
                    .fetch_all(&self.pool)
                    .await?
                {
                    victims.insert(fp);
                    loss_vnd = loss_vnd.saturating_add(amount);
                }
            }
            out.push(RingSummary {
                id: *id,
                size: *size,
                victims: victims.len(),
                loss_vnd,
            });
        }
        Ok(out)
    }

    /// The ring that contains a report, as far as the officer's unit may see it.
    pub async fn ring(
        &self,
        officer: &Officer,
        report_id: i64,
        index: &LookupIndex,
    ) -> Result<Option<RingView>, StoreError> {
        let Some((id, size)) = index.ring_of(report_id) else {
            return Ok(None);
        };
        let members = index.ring_members(report_id);
        let mut reports: Vec<RingReport> = Vec::new();
        for part in members
            .iter()
            .take(RING_CAP)
            .collect::<Vec<_>>()
            .chunks(400)
        {
            let mut q = Sql::on(self.backend,
                "SELECT r.id, r.tracking_code, r.status, r.method_key, r.amount_lost_vnd, r.place_code, r.created_at, r.reporter_fp FROM reports r WHERE r.id IN (",
            );
            let mut list = q.separated(", ");
            for m in part {
                list.push_bind(**m);
            }
            q.push(")");
            push_scope(&mut q, officer);
            reports.extend(
                q.build_query_as::<RingReport>()
                    .fetch_all(&self.pool)
                    .await?,
            );
        }
        if reports.is_empty() {
            return Ok(None);
        }
        reports.sort_by_key(|r| (r.created_at, r.id));
        let ids: Vec<i64> = reports.iter().map(|r| r.id).collect();
        let keys = self.identifier_keys_of(&ids).await?;
        let mut links: Vec<(i64, String)> = keys
            .iter()
            .flat_map(|(id, ks)| ks.iter().map(move |k| (*id, k.clone())))
            .collect();
        links.sort();
        links.dedup();
        let mut distinct: Vec<&str> = links.iter().map(|(_, k)| k.as_str()).collect();
        distinct.sort_unstable();
        distinct.dedup();
        let mut identifiers: Vec<RingIdentifier> = Vec::with_capacity(distinct.len());
        for part in distinct.chunks(400) {
            let mut q = Sql::on(
                self.backend,
                "SELECT key, kind, display FROM identifiers WHERE key IN (",
            );
            let mut list = q.separated(", ");
            for k in part {
                list.push_bind(k.to_string());
            }
            q.push(") ORDER BY kind, display");
            identifiers.extend(
                q.build_query_as::<RingIdentifier>()
                    .fetch_all(&self.pool)
                    .await?,
            );
        }
        let victims = reports
            .iter()
            .map(|r| r.reporter_fp.as_str())
            .collect::<std::collections::HashSet<_>>()
            .len();
        let total_loss_vnd = reports.iter().map(|r| r.amount_lost_vnd).sum();
        let mut places: std::collections::HashMap<i64, usize> = Default::default();
        for p in reports.iter().filter_map(|r| r.place_code) {
            *places.entry(p).or_default() += 1;
        }
        let mut places: Vec<(i64, usize)> = places.into_iter().collect();
        places.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        let span = reports
            .first()
            .zip(reports.last())
            .map(|(a, b)| (a.created_at, b.created_at));
        Ok(Some(RingView {
            id,
            size,
            hidden: size.saturating_sub(reports.len()),
            reports,
            identifiers,
            links,
            victims,
            total_loss_vnd,
            places,
            span,
        }))
    }
}
