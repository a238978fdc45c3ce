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

use axum::response::{IntoResponse, Response};
use canhgiac_core::i18n::Lang;
use canhgiac_store::handling::StepError;

use crate::error::{from_store, ApiError};

pub(super) fn store_error(lang: Lang, e: canhgiac_store::StoreError) -> Response {
    from_store(lang, e).into_response()
}

pub(super) fn step_error(e: &StepError, lang: Lang) -> Response {
    ApiError::refused(e, lang).into_response()
}
