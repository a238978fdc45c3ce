//! Hold requests to banks: made from a report or its whole ring, one per bank that
//! received money; their states; money recovered per victim; and the time from a
//! report to its first hold request.

use crate::db::Sql;
use canhgiac_core::clock::local_date;
use canhgiac_core::holds::HoldState;
use canhgiac_core::roles::Permission;
use serde::Serialize;

use crate::audit::{append, now as unix_now, AuditEvent};
use crate::console::push_scope;
use crate::officers::Officer;
use crate::{LookupIndex, Store, StoreError};

/// Why a hold action was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum HoldError {
    /// The role may not.
    #[error("your role may not do this")]
    Forbidden,
    /// No such report or request in the officer's scope.
    #[error("not found")]
    NotFound,
    /// No transfer to a named account that is not already in a request.
    #[error("no transfer left to hold")]
    NoTransfers,
    /// The state cannot follow the current one.
    #[error("the request cannot go from {from} to {to}")]
    BadTransition {
        /// Current state.
        from: &'static str,
        /// Asked.
        to: &'static str,
    },
    /// An amount is needed (held) or was out of bounds.
    #[error("a valid amount is needed")]
    BadAmount,
    /// Someone changed the request meanwhile: it is now in this state.
    #[error("the request was changed meanwhile; it is now {now}")]
    Changed {
        /// The state now.
        now: &'static str,
    },
    /// The time a bank gave is in the future or before the request was sent.
    #[error("the time is in the future or before the request")]
    BadTime,
}

/// One account line of a request.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct HoldItem {
    /// The victim's report.
    pub report_id: i64,
    /// Its tracking code.
    pub tracking_code: String,
    /// Receiving account.
    pub account: String,
    /// Amount sent, VND.
    pub amount_vnd: i64,
    /// When (unix seconds).
    pub transferred_at: Option<i64>,
}

/// One state change.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct HoldEvent {
    /// State reached.
    pub state: String,
    /// Amount held, if recorded.
    pub amount_vnd: Option<i64>,
    /// Note.
    pub note: String,
    /// The officer, or the bank, who recorded it.
    pub officer: String,
    /// Recorded by a bank through its key.
    #[sqlx(try_from = "crate::db::Flag")]
    pub by_bank: bool,
    /// What the bank said (`held`, `nothing_left`…), for a bank's answer.
    pub answer: Option<String>,
    /// When it happened at the bank, as the bank says.
    pub effective_at: Option<i64>,
    /// When.
    pub at: i64,
}

/// A request with everything a letter or a bank's system needs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct HoldRequest {
    /// Id.
    pub id: i64,
    /// Letter number.
    pub letter_no: String,
    /// Bank BIN.
    pub bank_bin: String,
    /// The report it was made from.
    pub report_id: i64,
    /// That report's tracking code.
    pub report_code: String,
    /// Made for the whole ring.
    #[sqlx(try_from = "crate::db::Flag")]
    pub whole_ring: bool,
    /// Issuing unit.
    pub unit_name: String,
    /// Issuing unit's code.
    pub unit_code: String,
    /// State key.
    pub state: String,
    /// Amount held, VND.
    pub held_amount_vnd: i64,
    /// Who made it.
    pub created_by: String,
    /// When (unix seconds).
    pub created_at: i64,
    /// Last change.
    pub updated_at: i64,
    /// Money the bank says it returned to the victims, VND.
    pub returned_amount_vnd: i64,
    /// Bumped by each change of state (what a bank's answer must name).
    pub version: i64,
    /// Account lines.
    #[sqlx(skip)]
    pub items: Vec<HoldItem>,
    /// State changes.
    #[sqlx(skip)]
    pub events: Vec<HoldEvent>,
}

/// Money returned to a victim.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct Recovery {
    /// VND.
    pub amount_vnd: i64,
    /// Note.
    pub note: String,
    /// Officer.
    pub officer: String,
    /// When.
    pub at: i64,
}

pub(crate) const REQUEST_COLUMNS: &str = "h.id, h.letter_no, h.bank_bin, h.report_id, r.tracking_code AS report_code, h.whole_ring, u.name AS unit_name, u.code AS unit_code, h.state, h.held_amount_vnd, o.display_name AS created_by, h.created_at, h.updated_at, h.returned_amount_vnd, h.version";
pub(crate) const REQUEST_FROM: &str = "FROM hold_requests h JOIN reports r ON r.id = h.report_id JOIN units u ON u.id = h.unit_id JOIN officers o ON o.id = h.created_by";

/// The largest amount accepted (as for reports).
pub(crate) const MAX_AMOUNT: i64 = canhgiac_core::report::MAX_AMOUNT_VND as i64;

/// (report id, transfer seq, bank BIN, account, amount, time) of a transfer.
type UnheldTransfer = (i64, i64, String, String, i64, Option<i64>);

impl Store {
    /// Makes one request per bank for the transfers of a report (or its whole ring)
    /// that no request lists yet. Returns the new request ids.
    pub async fn create_holds(
        &self,
        officer: &Officer,
        report_id: i64,
        whole_ring: bool,
        index: &LookupIndex,
    ) -> Result<Result<Vec<i64>, HoldError>, StoreError> {
        if !officer.role.can(Permission::HandleReports) {
            return Ok(Err(HoldError::Forbidden));
        }
        let mut members = if whole_ring {
            index.ring_members(report_id)
        } else {
            vec![report_id]
        };
        if !members.contains(&report_id) {
            members.push(report_id);
        }
        let visible = self.visible_reports(officer, &members).await?;
        if !visible.iter().any(|(id, _)| *id == report_id) {
            return Ok(Err(HoldError::NotFound));
        }
        let _guard = self.write_lock.lock().await;
        let transfers = self.unheld_transfers(&visible).await?;
        if transfers.is_empty() {
            return Ok(Err(HoldError::NoTransfers));
        }
        let at = unix_now();
        let year = local_date(at).year();
        let year_start = time::Date::from_calendar_date(year, time::Month::January, 1)
            .map(|d| {
                d.midnight()
                    .assume_offset(canhgiac_core::clock::VN_OFFSET)
                    .unix_timestamp()
            })
            .unwrap_or(0);
        let unit_code: (String,) = sqlx::query_as("SELECT code FROM units WHERE id = $1")
            .bind(officer.unit_id)
            .fetch_one(&self.pool)
            .await?;
        let mut tx = crate::db::begin_write(&self.pool).await?;
        let (mut number,): (i64,) = sqlx::query_as(
            "SELECT COUNT(*) FROM hold_requests WHERE unit_id = $1 AND created_at >= $2",
        )
        .bind(officer.unit_id)
        .bind(year_start)
        .fetch_one(&mut *tx)
        .await?;
        let mut created = Vec::new();
        let mut start = 0;
        while start < transfers.len() {
            let bin = transfers[start].2.clone();
            let end = transfers[start..]
                .iter()
                .position(|t| t.2 != bin)
                .map_or(transfers.len(), |p| start + p);
            number += 1;
            let letter_no = format!("{number}/CV-{}", unit_code.0);
            let id = sqlx::query_scalar::<_, i64>("INSERT INTO hold_requests (letter_no, bank_bin, report_id, whole_ring, unit_id, created_by, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id")
                .bind(&letter_no)
                .bind(&bin)
                .bind(report_id)
                .bind(i64::from(whole_ring))
                .bind(officer.unit_id)
                .bind(officer.id)
                .bind(at)
                .bind(at)
                .fetch_one(&mut *tx)
                .await?;
            for (rid, seq, _, account, amount, when) in &transfers[start..end] {
                sqlx::query("INSERT INTO hold_items (request_id, report_id, seq, account, amount_vnd, transferred_at) VALUES ($1, $2, $3, $4, $5, $6)")
                    .bind(id)
                    .bind(rid)
                    .bind(seq)
                    .bind(account)
                    .bind(amount)
                    .bind(when)
                    .execute(&mut *tx)
                    .await?;
            }
            sqlx::query("INSERT INTO hold_events (request_id, state, officer_id, at) VALUES ($1, 'created', $2, $3)")
                .bind(id)
                .bind(officer.id)
                .bind(at)
                .execute(&mut *tx)
                .await?;
            let target = format!("hold:{letter_no}");
            append(
                &mut tx,
                &AuditEvent {
                    actor: &officer.actor(),
                    action: "hold.create",
                    target: &target,
                    reason: &bin,
                },
                at,
            )
            .await?;
            created.push(id);
            start = end;
        }
        tx.commit().await?;
        Ok(Ok(created))
    }

    /// The reports among `ids` that the officer's unit may see, with their codes.
    async fn visible_reports(
        &self,
        officer: &Officer,
        ids: &[i64],
    ) -> Result<Vec<(i64, String)>, StoreError> {
        let mut visible: Vec<(i64, String)> = Vec::new();
        for part in ids.chunks(400) {
            let mut q = Sql::on(
                self.backend,
                "SELECT r.id, r.tracking_code FROM reports r WHERE r.id IN (",
            );
            let mut list = q.separated(", ");
            for m in part {
                list.push_bind(*m);
            }
            q.push(")");
            push_scope(&mut q, officer);
            visible.extend(
                q.build_query_as::<(i64, String)>()
                    .fetch_all(&self.pool)
                    .await?,
            );
        }
        Ok(visible)
    }

    /// The transfers of these reports that no hold request lists yet, by bank.
    async fn unheld_transfers(
        &self,
        reports: &[(i64, String)],
    ) -> Result<Vec<UnheldTransfer>, StoreError> {
        let mut transfers: Vec<UnheldTransfer> = Vec::new();
        for part in reports.chunks(400) {
            let mut q = Sql::on(self.backend,
                "SELECT t.report_id, t.seq, t.bank_bin, t.account, t.amount_vnd, t.transferred_at FROM transfers t WHERE t.report_id IN (",
            );
            let mut list = q.separated(", ");
            for (id, _) in part {
                list.push_bind(*id);
            }
            q.push(") AND NOT EXISTS (SELECT 1 FROM hold_items i WHERE i.report_id = t.report_id AND i.seq = t.seq) ORDER BY t.bank_bin, t.transferred_at, t.report_id, t.seq");
            transfers.extend(q.build_query_as().fetch_all(&self.pool).await?);
        }
        Ok(transfers)
    }

    /// One request, if its report is in the officer's scope.
    pub async fn hold_request(
        &self,
        officer: &Officer,
        id: i64,
    ) -> Result<Option<HoldRequest>, StoreError> {
        let mut q = Sql::on(
            self.backend,
            format!("SELECT {REQUEST_COLUMNS} {REQUEST_FROM} WHERE h.id = "),
        );
        q.push_bind(id);
        push_scope(&mut q, officer);
        let Some(req): Option<HoldRequest> = q.build_query_as().fetch_optional(&self.pool).await?
        else {
            return Ok(None);
        };
        Ok(Some(self.with_lines(req).await?))
    }

    /// The request with its account lines and state changes read.
    pub(crate) async fn with_lines(&self, mut req: HoldRequest) -> Result<HoldRequest, StoreError> {
        let id = req.id;
        req.items = sqlx::query_as(
            "SELECT i.report_id, r.tracking_code, i.account, i.amount_vnd, i.transferred_at FROM hold_items i JOIN reports r ON r.id = i.report_id WHERE i.request_id = $1 ORDER BY i.transferred_at, i.report_id, i.seq",
        )
        .bind(id)
        .fetch_all(&self.pool)
        .await?;
        req.events = sqlx::query_as(
            "SELECT e.state, e.amount_vnd, e.note, COALESCE(o.display_name, p.name) AS officer, CASE WHEN e.partner_id IS NULL THEN 0 ELSE 1 END AS by_bank, e.answer, e.effective_at, e.at FROM hold_events e LEFT JOIN officers o ON o.id = e.officer_id LEFT JOIN partners p ON p.id = e.partner_id WHERE e.request_id = $1 ORDER BY e.id",
        )
        .bind(id)
        .fetch_all(&self.pool)
        .await?;
        Ok(req)
    }

    /// Requests in the officer's scope, newest first; only those listing a report's
    /// transfers when `report_id` is given.
    pub async fn hold_requests(
        &self,
        officer: &Officer,
        report_id: Option<i64>,
        limit: i64,
    ) -> Result<Vec<HoldRequest>, StoreError> {
        let mut q = Sql::on(
            self.backend,
            format!("SELECT {REQUEST_COLUMNS} {REQUEST_FROM} WHERE 1 = 1"),
        );
        if let Some(rid) = report_id {
            q.push(" AND h.id IN (SELECT request_id FROM hold_items WHERE report_id = ")
                .push_bind(rid)
                .push(")");
        }
        push_scope(&mut q, officer);
        q.push(" ORDER BY h.id DESC LIMIT ")
            .push_bind(limit.clamp(1, 1000));
        Ok(q.build_query_as().fetch_all(&self.pool).await?)
    }

    /// Records a state change of a request (with the amount held, for `held`).
    ///
    /// `expected` is the state the officer saw: when another change came first, this
    /// one is refused ([`HoldError::Changed`]) rather than stacked on top. The state is
    /// read, checked and changed in one transaction (compare-and-set).
    pub async fn set_hold_state(
        &self,
        officer: &Officer,
        id: i64,
        next: HoldState,
        expected: Option<HoldState>,
        amount_vnd: Option<i64>,
        note: &str,
    ) -> Result<Result<(), HoldError>, StoreError> {
        if !officer.role.can(Permission::HandleReports) {
            return Ok(Err(HoldError::Forbidden));
        }
        let amount = match (next, amount_vnd) {
            (HoldState::Held, Some(a)) if (0..=MAX_AMOUNT).contains(&a) => Some(a),
            (HoldState::Held, _) => return Ok(Err(HoldError::BadAmount)),
            (_, _) => None,
        };
        let note: String = note.trim().chars().take(2_000).collect();
        let _guard = self.write_lock.lock().await;
        let at = unix_now();
        let mut tx = crate::db::begin_write(&self.pool).await?;
        let Some(req) = self.hold_request(officer, id).await? else {
            return Ok(Err(HoldError::NotFound));
        };
        let current = HoldState::parse(&req.state)
            .ok_or_else(|| StoreError::Corrupt(format!("hold {id}: state {}", req.state)))?;
        if expected.is_some_and(|e| e != current) {
            return Ok(Err(HoldError::Changed {
                now: current.as_str(),
            }));
        }
        if !current.can_go_to(next) {
            return Ok(Err(HoldError::BadTransition {
                from: current.as_str(),
                to: next.as_str(),
            }));
        }
        let changed = sqlx::query("UPDATE hold_requests SET state = $1, held_amount_vnd = COALESCE($2, held_amount_vnd), updated_at = $3, version = version + 1 WHERE id = $4 AND state = $5 AND version = $6")
            .bind(next.as_str())
            .bind(amount)
            .bind(at)
            .bind(id)
            .bind(current.as_str())
            .bind(req.version)
            .execute(&mut *tx)
            .await?
            .rows_affected();
        if changed != 1 {
            return Ok(Err(HoldError::Changed {
                now: current.as_str(),
            }));
        }
        sqlx::query("INSERT INTO hold_events (request_id, state, amount_vnd, note, officer_id, at) VALUES ($1, $2, $3, $4, $5, $6)")
            .bind(id)
            .bind(next.as_str())
            .bind(amount)
            .bind(&note)
            .bind(officer.id)
            .bind(at)
            .execute(&mut *tx)
            .await?;
        if next == HoldState::Sent {
            // The bank hears of it through its webhook, written with the change.
            let payload = serde_json::json!({
                "event": "hold_request.sent",
                "hold_request": {
                    "id": id,
                    "version": req.version + 1,
                    "letter_no": req.letter_no,
                    "bank_bin": req.bank_bin,
                    "sent_at": at,
                },
                "href": format!("/api/v1/partner/holds/{id}"),
            });
            crate::webhooks::enqueue_for_bank(
                &mut tx,
                &req.bank_bin,
                "hold_request.sent",
                &payload,
                at,
            )
            .await?;
        }
        let target = format!("hold:{}", req.letter_no);
        append(
            &mut tx,
            &AuditEvent {
                actor: &officer.actor(),
                action: "hold.state",
                target: &target,
                reason: next.as_str(),
            },
            at,
        )
        .await?;
        tx.commit().await?;
        Ok(Ok(()))
    }

    /// Records money returned to a victim.
    pub async fn record_recovery(
        &self,
        officer: &Officer,
        report_id: i64,
        amount_vnd: i64,
        note: &str,
    ) -> Result<Result<(), HoldError>, StoreError> {
        if !officer.role.can(Permission::HandleReports) {
            return Ok(Err(HoldError::Forbidden));
        }
        if !(1..=MAX_AMOUNT).contains(&amount_vnd) {
            return Ok(Err(HoldError::BadAmount));
        }
        let mut q = Sql::on(
            self.backend,
            "SELECT r.tracking_code FROM reports r WHERE r.id = ",
        );
        q.push_bind(report_id);
        push_scope(&mut q, officer);
        let Some((code,)): Option<(String,)> =
            q.build_query_as().fetch_optional(&self.pool).await?
        else {
            return Ok(Err(HoldError::NotFound));
        };
        let note: String = note.trim().chars().take(2_000).collect();
        let _guard = self.write_lock.lock().await;
        let at = unix_now();
        let mut tx = crate::db::begin_write(&self.pool).await?;
        sqlx::query("INSERT INTO recoveries (report_id, amount_vnd, note, officer_id, at) VALUES ($1, $2, $3, $4, $5)")
            .bind(report_id)
            .bind(amount_vnd)
            .bind(&note)
            .bind(officer.id)
            .bind(at)
            .execute(&mut *tx)
            .await?;
        let target = format!("report:{code}");
        append(
            &mut tx,
            &AuditEvent {
                actor: &officer.actor(),
                action: "recovery.record",
                target: &target,
                reason: &amount_vnd.to_string(),
            },
            at,
        )
        .await?;
        tx.commit().await?;
        Ok(Ok(()))
    }

    /// Money recovered for a report.
    pub async fn recoveries(&self, report_id: i64) -> Result<Vec<Recovery>, StoreError> {
        Ok(sqlx::query_as(
            "SELECT c.amount_vnd, c.note, o.display_name AS officer, c.at FROM recoveries c JOIN officers o ON o.id = c.officer_id WHERE c.report_id = $1 ORDER BY c.id",
        )
        .bind(report_id)
        .fetch_all(&self.pool)
        .await?)
    }

    /// For each report in scope with a hold request: (report submitted, first
    /// request made), unix seconds. The time between is the figure to drive down.
    pub async fn hold_delays(&self, officer: &Officer) -> Result<Vec<(i64, i64)>, StoreError> {
        let mut q = Sql::on(self.backend,
            "SELECT r.created_at, MIN(h.created_at) FROM hold_items i JOIN hold_requests h ON h.id = i.request_id JOIN reports r ON r.id = i.report_id WHERE 1 = 1",
        );
        push_scope(&mut q, officer);
        q.push(" GROUP BY i.report_id, r.created_at");
        Ok(q.build_query_as().fetch_all(&self.pool).await?)
    }
}
