//! The audit log.

use axum::extract::State;
use axum::response::{IntoResponse, Response};
use axum::Json;
use canhgiac_core::roles::Permission;
use canhgiac_store::audit::AuditCheck;
use canhgiac_store::audit::AuditEntry;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

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

/// Whether the hash chain of the audit log is intact.
#[derive(Debug, Serialize, ToSchema)]
pub struct ChainState {
    /// No entry was changed or removed.
    pub intact: bool,
    /// How many entries were checked (when intact).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub entries: Option<i64>,
    /// The last entry's hash (when intact).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub head: Option<String>,
    /// The first bad entry (when broken).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub broken_at: Option<i64>,
    /// What is wrong with it (when broken).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub problem: Option<String>,
}

/// The audit log, a page of it.
#[derive(Debug, Serialize, ToSchema)]
pub struct AuditAnswer {
    /// The chain's state.
    pub chain: ChainState,
    /// Entries, newest first.
    pub entries: Vec<AuditEntry>,
}

/// The audit log and the state of its hash chain (administrators).
#[utoipa::path(
    get,
    path = "/api/v1/officer/audit",
    tag = "officer",
    params(("before" = Option<i64>, Query), ("action" = Option<String>, Query)),
    responses((status = 200, description = "The chain's state and 100 entries, newest first", body = AuditAnswer), (status = 403, body = crate::error::ErrorBody))
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
        Ok(AuditCheck::Intact { entries, head }) => ChainState {
            intact: true,
            entries: Some(entries),
            head: Some(head),
            broken_at: None,
            problem: None,
        },
        Ok(AuditCheck::Broken { seq, problem }) => ChainState {
            intact: false,
            entries: None,
            head: None,
            broken_at: Some(seq),
            problem: Some(problem),
        },
        Err(e) => return store_error(who.lang, e),
    };
    let action = p
        .action
        .as_deref()
        .map(str::trim)
        .filter(|a| !a.is_empty() && a.len() <= 64);
    match state.store.audit_entries(p.before, 100, action).await {
        Ok(entries) => Json(AuditAnswer { chain, entries }).into_response(),
        Err(e) => store_error(who.lang, e),
    }
}
