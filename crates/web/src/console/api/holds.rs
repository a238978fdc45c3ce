//! Requests to banks to hold money, and money recovered.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use canhgiac_core::i18n::Lang;
use canhgiac_core::roles::Permission;
use canhgiac_store::handling::StepError;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::console::auth::ApiOfficer;
use crate::error::ApiError;
use crate::json::ApiJson;
use crate::AppState;

use super::{step_error, store_error};

fn hold_error(e: &canhgiac_store::holds::HoldError, lang: Lang) -> Response {
    ApiError::refused(e, lang).into_response()
}

/// The hold requests made.
#[derive(Debug, Serialize, ToSchema)]
pub struct CreatedHolds {
    /// Their ids, one per bank.
    pub ids: Vec<i64>,
}

/// Which transfers to hold.
#[derive(Debug, Deserialize, ToSchema, Default)]
pub struct HoldBody {
    /// Include every transfer of the report's ring.
    #[serde(default)]
    pub whole_ring: bool,
}

/// Makes hold requests, one per bank, for the transfers of a report (or its ring)
/// that no request lists yet.
#[utoipa::path(
    post,
    path = "/api/v1/officer/reports/{id}/holds",
    tag = "officer",
    params(("id" = i64, Path)),
    request_body = HoldBody,
    responses((status = 201, description = "The new requests, one per bank", body = CreatedHolds), (status = 403, body = crate::error::ErrorBody), (status = 422, description = "No transfer left to hold", body = crate::error::ErrorBody))
)]
pub async fn create_holds(
    State(state): State<AppState>,
    who: ApiOfficer,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<HoldBody>,
) -> Response {
    let Ok(id) = id.parse::<i64>() else {
        return step_error(&StepError::NotFound, who.lang);
    };
    match state
        .store
        .create_holds(who.officer(), id, body.whole_ring, &state.index)
        .await
    {
        Ok(Ok(ids)) => (StatusCode::CREATED, Json(CreatedHolds { ids })).into_response(),
        Ok(Err(e)) => hold_error(&e, who.lang),
        Err(e) => store_error(who.lang, e),
    }
}

/// Hold requests, newest first.
#[utoipa::path(get, path = "/api/v1/officer/holds", tag = "officer", responses((status = 200, description = "Requests with their state and amount held", body = [Object])))]
pub async fn holds(State(state): State<AppState>, who: ApiOfficer) -> Response {
    if let Err(e) = who.require(Permission::ViewReports) {
        return e.into_response();
    }
    match state.store.hold_requests(who.officer(), None, 500).await {
        Ok(list) => Json(list).into_response(),
        Err(e) => store_error(who.lang, e),
    }
}

/// One hold request in the machine-readable form sent to banks.
#[utoipa::path(
    get,
    path = "/api/v1/officer/holds/{id}",
    tag = "officer",
    params(("id" = i64, Path)),
    responses((status = 200, description = "`canhgiac.hold_request` v1: bank, accounts with their transfers, victims' report codes, state", body = crate::documents::letter::HoldLetter), (status = 404, body = crate::error::ErrorBody))
)]
pub async fn hold(
    State(state): State<AppState>,
    who: ApiOfficer,
    Path(id): Path<String>,
) -> Response {
    if let Err(e) = who.require(Permission::ViewReports) {
        return e.into_response();
    }
    let Ok(id) = id.parse::<i64>() else {
        return hold_error(&canhgiac_store::holds::HoldError::NotFound, who.lang);
    };
    match state.store.hold_request(who.officer(), id).await {
        Ok(Some(req)) => {
            let ctx = crate::documents::letter::LetterContext::new(
                &state.store.province().name,
                &req.bank_bin,
            );
            Json(crate::documents::letter::json(&req, &ctx)).into_response()
        }
        Ok(None) => hold_error(&canhgiac_store::holds::HoldError::NotFound, who.lang),
        Err(e) => store_error(who.lang, e),
    }
}

/// A state change of a hold request.
#[derive(Debug, Deserialize, ToSchema)]
pub struct HoldStateBody {
    /// `sent`, `acknowledged`, `held`, `refused` or `released`.
    pub state: String,
    /// The state you saw (`created`, `sent`, …): if the request has changed since,
    /// the change is refused with 409 `changed_meanwhile` instead of overwriting it.
    #[serde(default)]
    pub from: Option<String>,
    /// Amount the bank holds, VND (required for `held`).
    #[serde(default)]
    pub amount_vnd: Option<i64>,
    /// The bank's reply, contact...
    #[serde(default)]
    pub note: Option<String>,
}

/// Records what the bank did.
#[utoipa::path(
    post,
    path = "/api/v1/officer/holds/{id}/state",
    tag = "officer",
    params(("id" = i64, Path)),
    request_body = HoldStateBody,
    responses((status = 204, description = "Recorded"), (status = 409, description = "This state cannot follow the current one, or the request changed since the state you saw (`from`)", body = crate::error::ErrorBody), (status = 422, body = crate::error::ErrorBody))
)]
pub async fn hold_state(
    State(state): State<AppState>,
    who: ApiOfficer,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<HoldStateBody>,
) -> Response {
    let Ok(id) = id.parse::<i64>() else {
        return hold_error(&canhgiac_store::holds::HoldError::NotFound, who.lang);
    };
    let Some(next) = canhgiac_core::holds::HoldState::parse(&body.state) else {
        return ApiError::localized(
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid_state",
            who.lang,
            "Trạng thái không hợp lệ.",
            "Unknown state.",
        )
        .field("state")
        .into_response();
    };
    let expected = match body.from.as_deref() {
        None => None,
        Some(from) => match canhgiac_core::holds::HoldState::parse(from) {
            Some(s) => Some(s),
            None => {
                return ApiError::localized(
                    StatusCode::UNPROCESSABLE_ENTITY,
                    "invalid_state",
                    who.lang,
                    "Trạng thái đã thấy (from) không hợp lệ.",
                    "The state you saw (from) is unknown.",
                )
                .field("from")
                .into_response()
            }
        },
    };
    match state
        .store
        .set_hold_state(
            who.officer(),
            id,
            next,
            expected,
            body.amount_vnd,
            body.note.as_deref().unwrap_or(""),
        )
        .await
    {
        Ok(Ok(())) => StatusCode::NO_CONTENT.into_response(),
        Ok(Err(e)) => hold_error(&e, who.lang),
        Err(e) => store_error(who.lang, e),
    }
}

/// Money returned to a victim.
#[derive(Debug, Deserialize, ToSchema)]
pub struct RecoveryBody {
    /// VND, more than 0.
    pub amount_vnd: i64,
    /// Note.
    #[serde(default)]
    pub note: Option<String>,
}

/// Records money recovered for the victim of a report.
#[utoipa::path(
    post,
    path = "/api/v1/officer/reports/{id}/recoveries",
    tag = "officer",
    params(("id" = i64, Path)),
    request_body = RecoveryBody,
    responses((status = 204, description = "Recorded"), (status = 422, body = crate::error::ErrorBody))
)]
pub async fn recovery(
    State(state): State<AppState>,
    who: ApiOfficer,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<RecoveryBody>,
) -> Response {
    let Ok(id) = id.parse::<i64>() else {
        return hold_error(&canhgiac_store::holds::HoldError::NotFound, who.lang);
    };
    match state
        .store
        .record_recovery(
            who.officer(),
            id,
            body.amount_vnd,
            body.note.as_deref().unwrap_or(""),
        )
        .await
    {
        Ok(Ok(())) => StatusCode::NO_CONTENT.into_response(),
        Ok(Err(e)) => hold_error(&e, who.lang),
        Err(e) => store_error(who.lang, e),
    }
}
