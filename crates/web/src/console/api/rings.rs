//! Rings of reports.

use axum::extract::{Path, State};
use axum::response::{IntoResponse, Response};
use axum::Json;
use canhgiac_core::roles::Permission;
use canhgiac_store::handling::StepError;

use crate::console::auth::ApiOfficer;
use crate::AppState;

use super::{step_error, store_error};

/// A ring in the list of the largest.
#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
pub struct RingSize {
    /// The ring's id (the id of one of its reports; `GET /api/v1/officer/rings/{id}`).
    pub id: i64,
    /// Reports in it.
    pub size: usize,
}

/// The largest rings.
#[utoipa::path(get, path = "/api/v1/officer/rings", tag = "officer", responses((status = 200, description = "Largest first (rings of at least 2 reports, at most 100)", body = [RingSize])))]
pub async fn rings(State(state): State<AppState>, who: ApiOfficer) -> Response {
    if let Err(e) = who.require(Permission::ViewReports) {
        return e.into_response();
    }
    let list: Vec<RingSize> = state
        .index
        .largest_rings(2, 100)
        .into_iter()
        .map(|(id, size)| RingSize { id, size })
        .collect();
    Json(list).into_response()
}

/// The ring of a report: its reports, identifiers, links, victims, loss, span.
#[utoipa::path(
    get,
    path = "/api/v1/officer/rings/{id}",
    tag = "officer",
    params(("id" = i64, Path, description = "Any report id of the ring")),
    responses((status = 200, description = "The ring as far as the officer's unit may see it", body = canhgiac_store::console::RingView), (status = 404, body = crate::error::ErrorBody))
)]
pub async fn ring(
    State(state): State<AppState>,
    who: ApiOfficer,
    Path(id): Path<String>,
) -> Response {
    if let Err(e) = who.require(Permission::ViewReports) {
        return e.into_response();
    }
    let Ok(id) = id.parse::<i64>() else {
        return step_error(&StepError::NotFound, who.lang);
    };
    match state.store.ring(who.officer(), id, &state.index).await {
        Ok(Some(r)) => Json(r).into_response(),
        Ok(None) => step_error(&StepError::NotFound, who.lang),
        Err(e) => store_error(who.lang, e),
    }
}
