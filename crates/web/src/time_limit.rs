//! Every request has a time limit: a slow client, a stuck query or a slow upload does
//! not hold a worker and a database connection for ever. Routes that take pictures get
//! ten times longer (26 MB over a slow mobile connection); everything else 30 seconds. A request
//! over its limit is answered 503 with `Retry-After`, in JSON for the API and as a page
//! elsewhere; the handler is dropped, so an open transaction rolls back. A report that
//! was committed just before stays stored, and retrying with the same idempotency key
//! gets its receipt.

use std::time::Duration;

use axum::extract::{Request, State};
use axum::http::{header, HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use canhgiac_core::i18n::Lang;

use crate::error::ApiError;
use crate::pages::PageError;
use crate::AppState;

/// The limit of most requests (`AppState::request_limit`).
pub const REQUEST_LIMIT: Duration = Duration::from_secs(30);
/// How many times longer a request that uploads pictures may take.
pub const UPLOAD_FACTOR: u32 = 10;

/// The time a request may take, for a base limit.
pub fn limit_for(method: &Method, path: &str, base: Duration) -> Duration {
    let uploads = matches!(
        path,
        "/bao-cao" | "/kiem-tra/ma-qr" | "/api/v1/evidence" | "/api/v1/analyze/qr"
    );
    if method == Method::POST && uploads {
        base * UPLOAD_FACTOR
    } else {
        base
    }
}

/// The middleware.
pub async fn limit(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let (parts, body) = request.into_parts();
    let limit = limit_for(&parts.method, parts.uri.path(), state.request_limit);
    let api = parts.uri.path().starts_with("/api/");
    let lang: Lang = crate::lang::of(&parts);
    let request = Request::from_parts(parts, body);
    match tokio::time::timeout(limit, next.run(request)).await {
        Ok(response) => response,
        Err(_) => {
            tracing::warn!(
                limit_secs = limit.as_secs(),
                "a request took longer than its limit"
            );
            let mut response = if api {
                ApiError::localized(
                    StatusCode::SERVICE_UNAVAILABLE,
                    "timeout",
                    lang,
                    "Yêu cầu xử lý quá lâu và đã bị dừng; vui lòng thử lại.",
                    "The request took too long and was stopped; please try again.",
                )
                .into_response()
            } else {
                PageError::Unavailable.into_response()
            };
            response
                .headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from_static("5"));
            response
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uploads_get_longer_than_pages_and_reads() {
        let base = REQUEST_LIMIT;
        assert_eq!(limit_for(&Method::POST, "/bao-cao", base), base * 10);
        assert_eq!(
            limit_for(&Method::POST, "/api/v1/evidence", base),
            base * 10
        );
        assert_eq!(limit_for(&Method::GET, "/bao-cao", base), base);
        assert_eq!(limit_for(&Method::GET, "/api/v1/check", base), base);
        assert_eq!(limit_for(&Method::POST, "/api/v1/reports", base), base);
        assert_eq!(
            limit_for(&Method::POST, "/console/bao-cao/1/buoc", base),
            base
        );
    }
}
