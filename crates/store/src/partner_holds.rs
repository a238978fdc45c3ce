//! Hold requests as a bank sees them through its key: only the requests addressed to
//! its BIN that were sent (never a draft), and its answers, each a compare-and-set on
//! the request's version, recorded as the bank's own events with the time it gives.

use canhgiac_core::holds::{BankAnswer, HoldState};
use canhgiac_core::partner::KeyScope;

use crate::audit::{append, now as unix_now, AuditEvent};
use crate::db::Sql;
use crate::holds::{HoldError, HoldRequest, MAX_AMOUNT, REQUEST_COLUMNS, REQUEST_FROM};
use crate::partners::KeyHolder;
use crate::{Store, StoreError};

/// A bank's answer to a request.
#[derive(Debug, Clone)]
pub struct AnswerInput {
    /// What it did.
    pub answer: BankAnswer,
    /// The amount held or returned (for `held` and `returned`).
    pub amount_vnd: Option<i64>,
    /// When it happened at the bank (unix seconds); now when absent.
    pub effective_at: Option<i64>,
    /// A note (at most 2,000 characters kept).
    pub note: String,
    /// The request's version the bank saw.
    pub version: i64,
}

/// How far in the future a bank's clock may be, in seconds.
const CLOCK_SKEW: i64 = 300;

impl Store {
    /// The requests addressed to the key's bank, newest first; only those in `state`
    /// when given. Drafts (`created`) are never shown.
    pub async fn partner_holds(
        &self,
        holder: &KeyHolder,
        state: Option<HoldState>,
        limit: i64,
    ) -> Result<Vec<HoldRequest>, StoreError> {
        let Some(bin) = holder
            .bank_bin
            .as_deref()
            .filter(|_| holder.may(KeyScope::HoldsRespond))
        else {
            return Ok(Vec::new());
        };
        let mut q = Sql::on(
            self.backend,
            format!("SELECT {REQUEST_COLUMNS} {REQUEST_FROM} WHERE h.state <> 'created' AND h.bank_bin = "),
        );
        q.push_bind(bin.to_string());
        if let Some(s) = state {
            q.push(" AND h.state = ").push_bind(s.as_str());
        }
        q.push(" ORDER BY h.id DESC LIMIT ")
            .push_bind(limit.clamp(1, 1000));
        let found: Vec<HoldRequest> = q.build_query_as().fetch_all(&self.pool).await?;
        let mut out = Vec::with_capacity(found.len());
        for r in found {
            out.push(self.with_lines(r).await?);
        }
        Ok(out)
    }

    /// One request, if it is addressed to the key's bank and was sent.
    pub async fn partner_hold(
        &self,
        holder: &KeyHolder,
        id: i64,
    ) -> Result<Option<HoldRequest>, StoreError> {
        let Some(bin) = holder
            .bank_bin
            .as_deref()
            .filter(|_| holder.may(KeyScope::HoldsRespond))
        else {
            return Ok(None);
        };
        let row: Option<HoldRequest> = sqlx::query_as(&format!(
            "SELECT {REQUEST_COLUMNS} {REQUEST_FROM} WHERE h.id = $1 AND h.bank_bin = $2 AND h.state <> 'created'"
        ))
        .bind(id)
        .bind(bin)
        .fetch_optional(&self.pool)
        .await?;
        match row {
            Some(r) => Ok(Some(self.with_lines(r).await?)),
            None => Ok(None),
        }
    }

    /// Records a bank's answer if the request is still at the version the bank saw
    /// (compare-and-set); answers the request as it now is.
    pub async fn answer_hold(
        &self,
        holder: &KeyHolder,
        id: i64,
        input: &AnswerInput,
    ) -> Result<Result<HoldRequest, HoldError>, StoreError> {
        if !holder.may(KeyScope::HoldsRespond) {
            return Ok(Err(HoldError::Forbidden));
        }
        let Some(req) = self.partner_hold(holder, id).await? else {
            return Ok(Err(HoldError::NotFound));
        };
        let amount = match (input.answer.needs_amount(), input.amount_vnd) {
            (true, Some(a)) if (0..=MAX_AMOUNT).contains(&a) => Some(a),
            (true, _) => return Ok(Err(HoldError::BadAmount)),
            (false, Some(_)) => return Ok(Err(HoldError::BadAmount)),
            (false, None) => None,
        };
        let at = unix_now();
        let effective = input.effective_at.unwrap_or(at);
        if effective > at + CLOCK_SKEW || effective < req.created_at {
            return Ok(Err(HoldError::BadTime));
        }
        let current = HoldState::parse(&req.state)
            .ok_or_else(|| StoreError::Corrupt(format!("hold {id}: state {}", req.state)))?;
        if input.version != req.version {
            return Ok(Err(HoldError::Changed {
                now: current.as_str(),
            }));
        }
        let next = input.answer.state();
        if !current.can_go_to(next) {
            return Ok(Err(HoldError::BadTransition {
                from: current.as_str(),
                to: next.as_str(),
            }));
        }
        if input.answer == BankAnswer::Returned
            && amount.is_some_and(|a| a > req.held_amount_vnd - req.returned_amount_vnd)
        {
            // more than is still held
            return Ok(Err(HoldError::BadAmount));
        }
        let note: String = input.note.trim().chars().take(2_000).collect();
        let (held, returned) = match input.answer {
            BankAnswer::Held => (amount, None),
            BankAnswer::Returned => (None, amount),
            _ => (None, None),
        };
        let _guard = self.write_lock.lock().await;
        let mut tx = crate::db::begin_write(&self.pool).await?;
        let changed = sqlx::query(
            "UPDATE hold_requests SET state = $1, held_amount_vnd = COALESCE($2, held_amount_vnd), returned_amount_vnd = returned_amount_vnd + COALESCE($3, 0), updated_at = $4, version = version + 1 WHERE id = $5 AND version = $6",
        )
        .bind(next.as_str())
        .bind(held)
        .bind(returned)
        .bind(at)
        .bind(id)
        .bind(input.version)
        .execute(&mut *tx)
        .await?
        .rows_affected();
        if changed != 1 {
            return Ok(Err(HoldError::Changed {
                now: current.as_str(),
            }));
        }
        sqlx::query(
            "INSERT INTO hold_events (request_id, state, amount_vnd, note, partner_id, answer, effective_at, at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        )
        .bind(id)
        .bind(next.as_str())
        .bind(amount)
        .bind(&note)
        .bind(holder.partner_id)
        .bind(input.answer.as_str())
        .bind(effective)
        .bind(at)
        .execute(&mut *tx)
        .await?;
        let target = format!("hold:{}", req.letter_no);
        append(
            &mut tx,
            &AuditEvent {
                actor: &holder.actor(),
                action: "hold.answer",
                target: &target,
                reason: input.answer.as_str(),
            },
            at,
        )
        .await?;
        tx.commit().await?;
        match self.partner_hold(holder, id).await? {
            Some(r) => Ok(Ok(r)),
            None => Ok(Err(HoldError::NotFound)),
        }
    }
}
