//! A bank answers the hold requests addressed to it: lists them, reads one in the
//! letter's machine-readable form, and records what it did (acknowledged, held with
//! an amount and a time, nothing left, account closed, returned to the victims). An
//! answer names the request's `version` it saw: a stale one gets 409.

use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use canhgiac_core::holds::{BankAnswer, HoldState};
use canhgiac_core::partner::{KeyScope, PartnerKind};
use canhgiac_store::holds::{HoldError, HoldRequest};
use canhgiac_store::partner_holds::AnswerInput;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::Partner;
use crate::documents::letter::{json as letter_json, HoldLetter, LetterContext};
use crate::error::ApiError;
use crate::json::ApiJson;
use crate::AppState;

/// Who the key belongs to and what it may do.
#[derive(Debug, Serialize, ToSchema)]
pub struct KeyInfoOut {
    /// The partner's name.
    pub partner: String,
    /// Its kind.
    pub kind: PartnerKind,
    /// A bank's BIN.
    pub bank_bin: Option<String>,
    /// The key's public prefix.
    pub key_prefix: String,
    /// Its scopes.
    pub scopes: Vec<KeyScope>,
    /// Requests allowed per minute.
    pub per_minute: u32,
}

/// The key's partner, scopes and rate (any scope may ask).
#[utoipa::path(
    get,
    path = "/api/v1/partner/me",
    tag = "partner",
    security(("partner_key" = [])),
    responses((status = 200, body = KeyInfoOut), (status = 401, description = "No key, or an unknown, expired or revoked one", body = crate::error::ErrorBody), (status = 429, description = "Over the key's rate; see `Retry-After`", body = crate::error::ErrorBody))
)]
pub async fn me(partner: Partner) -> Response {
    let h = &partner.holder;
    Json(KeyInfoOut {
        partner: h.partner_name.clone(),
        kind: h.kind,
        bank_bin: h.bank_bin.clone(),
        key_prefix: h.prefix.clone(),
        scopes: h.scopes.list(),
        per_minute: h.per_minute,
    })
    .into_response()
}

/// A request as its bank sees it.
#[derive(Debug, Serialize, ToSchema)]
pub struct PartnerHold {
    /// The request's id (in the paths of this API).
    pub id: i64,
    /// Name it in an answer: a change since gets 409.
    pub version: i64,
    /// `sent`, `acknowledged`, `held`, `refused`, `released`.
    pub state: HoldState,
    /// What the bank said it returned to the victims, VND.
    pub returned_amount_vnd: i64,
    /// The letter, as the officer's API serves it.
    pub letter: HoldLetter,
    /// The bank's answers so far, oldest first.
    pub answers: Vec<AnswerOut>,
}

/// An answer recorded.
#[derive(Debug, Serialize, ToSchema)]
pub struct AnswerOut {
    /// What the bank said.
    pub answer: BankAnswer,
    /// Amount held or returned, VND.
    pub amount_vnd: Option<i64>,
    /// When it happened at the bank (RFC 3339).
    pub effective_at: Option<String>,
    /// When it was received here (RFC 3339).
    pub received_at: String,
    /// The bank's note.
    pub note: String,
}

fn rfc3339(unix: i64) -> String {
    time::OffsetDateTime::from_unix_timestamp(unix)
        .ok()
        .and_then(|t| {
            t.format(&time::format_description::well_known::Rfc3339)
                .ok()
        })
        .unwrap_or_default()
}

fn out(req: &HoldRequest, province: &str) -> PartnerHold {
    let ctx = LetterContext::new(province, &req.bank_bin);
    PartnerHold {
        id: req.id,
        version: req.version,
        state: HoldState::parse(&req.state).unwrap_or(HoldState::Sent),
        returned_amount_vnd: req.returned_amount_vnd,
        letter: letter_json(req, &ctx),
        answers: req
            .events
            .iter()
            .filter(|e| e.by_bank)
            .filter_map(|e| {
                Some(AnswerOut {
                    answer: BankAnswer::parse(e.answer.as_deref()?)?,
                    amount_vnd: e.amount_vnd,
                    effective_at: e.effective_at.map(rfc3339),
                    received_at: rfc3339(e.at),
                    note: e.note.clone(),
                })
            })
            .collect(),
    }
}

/// Which requests to list.
#[derive(Debug, Deserialize, IntoParams)]
pub struct ListQuery {
    /// Only those in this state (`sent`: waiting for the bank).
    pub state: Option<String>,
}

fn invalid_state(lang: canhgiac_core::i18n::Lang) -> Response {
    ApiError::localized(
        StatusCode::UNPROCESSABLE_ENTITY,
        "invalid_state",
        lang,
        "Trạng thái không hợp lệ (sent, acknowledged, held, refused, released).",
        "Unknown state (sent, acknowledged, held, refused, released).",
    )
    .field("state")
    .into_response()
}

/// The hold requests addressed to the key's bank, newest first (at most 500).
#[utoipa::path(
    get,
    path = "/api/v1/partner/holds",
    tag = "partner",
    security(("partner_key" = ["holds:respond"])),
    params(ListQuery),
    responses((status = 200, body = [PartnerHold]), (status = 401, description = "No key, or an unknown, expired or revoked one", body = crate::error::ErrorBody), (status = 403, description = "The key has no `holds:respond` scope", body = crate::error::ErrorBody), (status = 422, body = crate::error::ErrorBody), (status = 429, description = "Over the key's rate; see `Retry-After`", body = crate::error::ErrorBody))
)]
pub async fn list(
    State(state): State<AppState>,
    partner: Partner,
    Query(q): Query<ListQuery>,
) -> Response {
    if let Err(r) = partner.require(KeyScope::HoldsRespond) {
        return r;
    }
    let wanted = match q.state.as_deref().filter(|s| !s.is_empty()) {
        None => None,
        Some(s) => match HoldState::parse(s).filter(|s| *s != HoldState::Created) {
            Some(s) => Some(s),
            None => return invalid_state(partner.lang),
        },
    };
    match state
        .store
        .partner_holds(&partner.holder, wanted, 500)
        .await
    {
        Ok(list) => {
            let province = &state.store.province().name;
            Json(list.iter().map(|r| out(r, province)).collect::<Vec<_>>()).into_response()
        }
        Err(e) => ApiError::unavailable(partner.lang, &e).into_response(),
    }
}

fn not_found(lang: canhgiac_core::i18n::Lang) -> Response {
    ApiError::localized(
        StatusCode::NOT_FOUND,
        "not_found",
        lang,
        "Không có đề nghị tạm giữ này gửi ngân hàng của bạn.",
        "No such hold request addressed to your bank.",
    )
    .into_response()
}

/// One request addressed to the key's bank.
#[utoipa::path(
    get,
    path = "/api/v1/partner/holds/{id}",
    tag = "partner",
    security(("partner_key" = ["holds:respond"])),
    params(("id" = i64, Path)),
    responses((status = 200, body = PartnerHold), (status = 401, description = "No key, or an unknown, expired or revoked one", body = crate::error::ErrorBody), (status = 403, description = "The key has no `holds:respond` scope", body = crate::error::ErrorBody), (status = 404, body = crate::error::ErrorBody), (status = 429, description = "Over the key's rate; see `Retry-After`", body = crate::error::ErrorBody))
)]
pub async fn one(
    State(state): State<AppState>,
    partner: Partner,
    Path(id): Path<String>,
) -> Response {
    if let Err(r) = partner.require(KeyScope::HoldsRespond) {
        return r;
    }
    let Ok(id) = id.parse::<i64>() else {
        return not_found(partner.lang);
    };
    match state.store.partner_hold(&partner.holder, id).await {
        Ok(Some(r)) => Json(out(&r, &state.store.province().name)).into_response(),
        Ok(None) => not_found(partner.lang),
        Err(e) => ApiError::unavailable(partner.lang, &e).into_response(),
    }
}

/// What the bank did.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AnswerBody {
    /// `acknowledged`, `held`, `nothing_left`, `account_closed` or `returned`.
    pub answer: String,
    /// The request's `version` you read: if it changed since, 409 `changed_meanwhile`.
    pub version: i64,
    /// VND held (for `held`: the total now held) or returned (for `returned`: this
    /// return); only for those two.
    #[serde(default)]
    pub amount_vnd: Option<i64>,
    /// When it happened at the bank (RFC 3339); now when absent.
    #[serde(default)]
    pub effective_at: Option<String>,
    /// A note (at most 2,000 characters kept).
    #[serde(default)]
    pub note: Option<String>,
}

/// Records the bank's answer to a request addressed to it.
#[utoipa::path(
    post,
    path = "/api/v1/partner/holds/{id}/answers",
    tag = "partner",
    security(("partner_key" = ["holds:respond"])),
    params(("id" = i64, Path)),
    request_body = AnswerBody,
    responses((status = 200, description = "The request as it now is", body = PartnerHold), (status = 401, description = "No key, or an unknown, expired or revoked one", body = crate::error::ErrorBody), (status = 403, description = "The key has no `holds:respond` scope", body = crate::error::ErrorBody), (status = 404, body = crate::error::ErrorBody), (status = 409, description = "The request changed since the version you read, or this answer cannot follow its state", body = crate::error::ErrorBody), (status = 422, body = crate::error::ErrorBody), (status = 429, description = "Over the key's rate; see `Retry-After`", body = crate::error::ErrorBody))
)]
pub async fn answer(
    State(state): State<AppState>,
    partner: Partner,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<AnswerBody>,
) -> Response {
    if let Err(r) = partner.require(KeyScope::HoldsRespond) {
        return r;
    }
    let lang = partner.lang;
    let Ok(id) = id.parse::<i64>() else {
        return not_found(lang);
    };
    let Some(answer) = BankAnswer::parse(&body.answer) else {
        return ApiError::localized(
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid_answer",
            lang,
            "Câu trả lời không hợp lệ (acknowledged, held, nothing_left, account_closed, returned).",
            "Unknown answer (acknowledged, held, nothing_left, account_closed, returned).",
        )
        .field("answer")
        .into_response();
    };
    let effective_at = match body.effective_at.as_deref().map(str::trim) {
        None | Some("") => None,
        Some(t) => {
            match time::OffsetDateTime::parse(t, &time::format_description::well_known::Rfc3339) {
                Ok(t) => Some(t.unix_timestamp()),
                Err(_) => {
                    return ApiError::localized(
                        StatusCode::UNPROCESSABLE_ENTITY,
                        "invalid_time",
                        lang,
                        "Thời điểm cần theo dạng RFC 3339, ví dụ 2026-12-02T09:30:00+07:00.",
                        "The time must be RFC 3339, for example 2026-12-02T09:30:00+07:00.",
                    )
                    .field("effective_at")
                    .into_response()
                }
            }
        }
    };
    let input = AnswerInput {
        answer,
        amount_vnd: body.amount_vnd,
        effective_at,
        note: body.note.unwrap_or_default(),
        version: body.version,
    };
    match state.store.answer_hold(&partner.holder, id, &input).await {
        Ok(Ok(r)) => Json(out(&r, &state.store.province().name)).into_response(),
        Ok(Err(HoldError::NotFound)) => not_found(lang),
        Ok(Err(e)) => ApiError::refused(&e, lang).into_response(),
        Err(e) => ApiError::unavailable(lang, &e).into_response(),
    }
}
