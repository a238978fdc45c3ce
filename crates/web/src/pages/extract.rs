//! Extractors shared by page handlers.

use axum::extract::{FromRequestParts, Path};
use axum::http::request::Parts;
use axum::response::Response;

/// A numeric id in the path (`/console/bao-cao/{id}`); anything else is the
/// "page not found" page, in the request's language.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Id(pub i64);

impl<S: Send + Sync> FromRequestParts<S> for Id {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Id, Response> {
        let lang = crate::lang::of(parts);
        match Path::<String>::from_request_parts(parts, state).await {
            Ok(Path(text)) => text
                .parse::<i64>()
                .map(Id)
                .map_err(|_| super::not_found_page(lang)),
            Err(_) => Err(super::not_found_page(lang)),
        }
    }
}
