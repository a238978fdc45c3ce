//! Officers' verdicts on identifiers.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use canhgiac_core::roles::Permission;
use canhgiac_store::handling::StepError;
use serde::Deserialize;
use utoipa::ToSchema;

use crate::console::auth::ApiOfficer;
use crate::error::ApiError;
use crate::json::ApiJson;
use crate::AppState;

use super::{step_error, store_error};

/// An officer's verdict on an identifier.
#[derive(Debug, Deserialize, ToSchema)]
pub struct VerdictBody {
    /// `verified` (a scam: `dangerous` in the public check) or `cleared`.
    pub verdict: String,
    /// Why.
    pub reason: String,
    /// The verdict you saw (`verified`, `cleared`, or `none`): if it changed since,
    /// the decision is refused with 409 `changed_meanwhile`.
    #[serde(default)]
    pub from: Option<String>,
}

/// Verify an identifier as a scam, or clear it.
#[utoipa::path(
    put,
    path = "/api/v1/officer/identifiers/{key}",
    tag = "officer",
    params(("key" = String, Path, description = "Identifier key, e.g. `phone:+84912345678`")),
    request_body = VerdictBody,
    responses((status = 204, description = "Recorded; the public check follows"), (status = 403, body = crate::error::ErrorBody), (status = 404, body = crate::error::ErrorBody), (status = 422, body = crate::error::ErrorBody))
)]
pub async fn identifier(
    State(state): State<AppState>,
    who: ApiOfficer,
    Path(key): Path<String>,
    ApiJson(body): ApiJson<VerdictBody>,
) -> Response {
    if let Err(e) = who.require(Permission::VerifyIdentifiers) {
        return e.into_response();
    }
    let verified = match body.verdict.as_str() {
        "verified" => true,
        "cleared" => false,
        _ => {
            return ApiError::localized(
                StatusCode::UNPROCESSABLE_ENTITY,
                "invalid_verdict",
                who.lang,
                "Kết luận phải là verified hoặc cleared.",
                "The verdict must be verified or cleared.",
            )
            .field("verdict")
            .into_response()
        }
    };
    let now = time::OffsetDateTime::now_utc().unix_timestamp();
    match state
        .store
        .set_identifier_status(
            who.officer(),
            &key,
            verified,
            body.from.as_deref(),
            &body.reason,
            now,
        )
        .await
    {
        Ok(Ok(())) => {
            if let Err(e) = state.index.catch_up(&state.store).await {
                tracing::warn!(error = %e, "index catch-up after a verdict failed");
            }
            StatusCode::NO_CONTENT.into_response()
        }
        Ok(Err(StepError::NotFound)) => ApiError::localized(
            StatusCode::NOT_FOUND,
            "identifier_not_found",
            who.lang,
            "Định danh này chưa có trong báo cáo nào.",
            "No report names this identifier.",
        )
        .into_response(),
        Ok(Err(e)) => step_error(&e, who.lang),
        Err(e) => store_error(who.lang, e),
    }
}
