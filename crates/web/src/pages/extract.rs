//! Extractors shared by page handlers.

use axum::extract::{FromRequestParts, Path};
use axum::http::request::Parts;

/// A numeric id in the path (`/console/bao-cao/{id}`); anything else is the
/// "page not found" page, in the request's language.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Id(pub i64);

impl<S: Send + Sync> FromRequestParts<S> for Id {
    type Rejection = super::PageError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Id, super::PageError> {
        match Path::<String>::from_request_parts(parts, state).await {
            Ok(Path(text)) => text
                .parse::<i64>()
                .map(Id)
                .map_err(|_| super::PageError::NotFound),
            Err(_) => Err(super::PageError::NotFound),
        }
    }
}
