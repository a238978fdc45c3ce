//! Requests for review.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use canhgiac_core::roles::Permission;
use canhgiac_store::handling::StepError;
use serde::Deserialize;
use utoipa::ToSchema;

use crate::console::auth::ApiOfficer;
use crate::error::ApiError;
use crate::json::ApiJson;
use crate::AppState;

use super::{step_error, store_error};

/// Which disputes.
#[derive(Debug, Deserialize, Default)]
pub struct DisputeParams {
    /// `open` (default), `kept` or `cleared`.
    #[serde(default)]
    pub status: Option<String>,
}

/// Requests for review, oldest first.
#[utoipa::path(
    get,
    path = "/api/v1/officer/disputes",
    tag = "officer",
    params(("status" = Option<String>, Query, description = "open (default), kept or cleared")),
    responses((status = 200, description = "Disputes without the requesters' contacts", body = [Object]), (status = 422, body = crate::error::ErrorBody))
)]
pub async fn disputes(
    State(state): State<AppState>,
    who: ApiOfficer,
    crate::json::ApiQuery(p): crate::json::ApiQuery<DisputeParams>,
) -> Response {
    if let Err(e) = who.require(Permission::ViewReports) {
        return e.into_response();
    }
    let status = p.status.as_deref().unwrap_or("open");
    if !matches!(status, "open" | "kept" | "cleared") {
        return ApiError::localized(
            StatusCode::UNPROCESSABLE_ENTITY,
            "bad_filter",
            who.lang,
            "Trạng thái phải là open, kept hoặc cleared.",
            "The status must be open, kept or cleared.",
        )
        .field("status")
        .into_response();
    }
    match state.store.disputes(status, 500).await {
        Ok(list) => Json(list).into_response(),
        Err(e) => store_error(who.lang, e),
    }
}

/// A decision on a dispute.
#[derive(Debug, Deserialize, ToSchema)]
pub struct DisputeDecisionBody {
    /// `keep` or `clear` (clearing changes the public verdict at once).
    pub decision: String,
    /// Shown to the requester.
    pub reason: String,
}

/// Keeps or clears a listing after a dispute.
#[utoipa::path(
    post,
    path = "/api/v1/officer/disputes/{id}/decision",
    tag = "officer",
    params(("id" = i64, Path)),
    request_body = DisputeDecisionBody,
    responses((status = 204, description = "Decided"), (status = 403, body = crate::error::ErrorBody), (status = 409, description = "Already decided", body = crate::error::ErrorBody), (status = 422, body = crate::error::ErrorBody))
)]
pub async fn dispute_decision(
    State(state): State<AppState>,
    who: ApiOfficer,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<DisputeDecisionBody>,
) -> Response {
    if let Err(e) = who.require(Permission::VerifyIdentifiers) {
        return e.into_response();
    }
    let Ok(id) = id.parse::<i64>() else {
        return step_error(&StepError::NotFound, who.lang);
    };
    let clear = match body.decision.as_str() {
        "clear" => true,
        "keep" => false,
        _ => {
            return ApiError::localized(
                StatusCode::UNPROCESSABLE_ENTITY,
                "invalid_decision",
                who.lang,
                "Quyết định phải là keep hoặc clear.",
                "The decision must be keep or clear.",
            )
            .field("decision")
            .into_response()
        }
    };
    let now = time::OffsetDateTime::now_utc().unix_timestamp();
    match state
        .store
        .decide_dispute(who.officer(), id, clear, &body.reason, now)
        .await
    {
        Ok(Ok(())) => {
            if let Err(e) = state.index.catch_up(&state.store).await {
                tracing::warn!(error = %e, "index catch-up after a dispute failed");
            }
            StatusCode::NO_CONTENT.into_response()
        }
        Ok(Err(e)) => step_error(&e, who.lang),
        Err(e) => store_error(who.lang, e),
    }
}
