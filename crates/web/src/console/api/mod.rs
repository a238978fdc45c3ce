//! The officer API under `/api/v1/officer/`: the same session as the console (a
//! cookie), with the session's CSRF token in `X-CSRF-Token` on every unsafe call. One
//! module per resource.

mod audit;
mod disputes;
mod holds;
mod identifiers;
mod reports;
mod rings;
mod session;

pub use audit::*;
pub use disputes::*;
pub use holds::*;
pub use identifiers::*;
pub use reports::*;
pub use rings::*;
pub use session::*;

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use canhgiac_core::i18n::Lang;
use canhgiac_store::handling::StepError;

use crate::console::report::step_error_text;
use crate::error::{from_store, ApiError};

pub(super) fn store_error(lang: Lang, e: canhgiac_store::StoreError) -> Response {
    from_store(lang, e).into_response()
}

pub(super) fn step_error(e: &StepError, lang: Lang) -> Response {
    let (status, code) = match e {
        StepError::Forbidden => (StatusCode::FORBIDDEN, "forbidden"),
        StepError::NotAssignee => (StatusCode::FORBIDDEN, "not_assignee"),
        StepError::NotFound => (StatusCode::NOT_FOUND, "report_not_found"),
        StepError::WrongStatus(_) => (StatusCode::CONFLICT, "wrong_status"),
        StepError::Changed(_) => (StatusCode::CONFLICT, "changed_meanwhile"),
        StepError::Clock(_) => (StatusCode::UNPROCESSABLE_ENTITY, "time_limit"),
        StepError::ReasonRequired => (StatusCode::UNPROCESSABLE_ENTITY, "reason_required"),
        StepError::ReasonTooLong => (StatusCode::UNPROCESSABLE_ENTITY, "reason_too_long"),
        StepError::NoPendingRequest => (StatusCode::CONFLICT, "no_pending_request"),
        StepError::UnknownUnit => (StatusCode::UNPROCESSABLE_ENTITY, "unknown_unit"),
    };
    let mut err = ApiError::new(status, code, step_error_text(e, lang));
    if matches!(e, StepError::ReasonRequired | StepError::ReasonTooLong) {
        err = err.field("reason");
    }
    err.into_response()
}
