//! The audit log.

use axum::extract::State;
use axum::response::{IntoResponse, Response};
use axum::Json;
use canhgiac_core::roles::Permission;
use canhgiac_store::audit::AuditCheck;
use serde::Deserialize;
use serde_json::json;

use crate::console::auth::{forbidden, ApiOfficer};
use crate::AppState;

use super::store_error;

/// Paging of the audit log.
#[derive(Debug, Deserialize, Default)]
pub struct AuditParams {
    /// Entries before this sequence number.
    #[serde(default)]
    pub before: Option<i64>,
    /// Only this action.
    #[serde(default)]
    pub action: Option<String>,
}

/// The audit log and the state of its hash chain (administrators).
#[utoipa::path(
    get,
    path = "/api/v1/officer/audit",
    tag = "officer",
    params(("before" = Option<i64>, Query), ("action" = Option<String>, Query)),
    responses((status = 200, description = "`{chain, entries}`", body = Object), (status = 403, body = crate::error::ErrorBody))
)]
pub async fn audit(
    State(state): State<AppState>,
    who: ApiOfficer,
    crate::json::ApiQuery(p): crate::json::ApiQuery<AuditParams>,
) -> Response {
    if who.require(Permission::ViewAudit).is_err() {
        return forbidden(who.lang).into_response();
    }
    let chain = match state.store.verify_audit().await {
        Ok(AuditCheck::Intact { entries, head }) => {
            json!({ "intact": true, "entries": entries, "head": head })
        }
        Ok(AuditCheck::Broken { seq, problem }) => {
            json!({ "intact": false, "broken_at": seq, "problem": problem })
        }
        Err(e) => return store_error(who.lang, e),
    };
    let action = p
        .action
        .as_deref()
        .map(str::trim)
        .filter(|a| !a.is_empty() && a.len() <= 64);
    match state.store.audit_entries(p.before, 100, action).await {
        Ok(entries) => Json(json!({ "chain": chain, "entries": entries })).into_response(),
        Err(e) => store_error(who.lang, e),
    }
}
