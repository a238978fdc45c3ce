//! Server-rendered pages: askama templates, the texts of both languages, and one
//! function that renders a page with the right headers.

pub mod error;
pub mod extract;
pub mod format;

pub use error::{not_found_page, PageError, PageResult};
pub use extract::Id;
pub use format::L;

use askama::Template;
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};

/// Renders a page with its status; a template error becomes a plain 500.
pub fn render<T: Template>(status: StatusCode, page: &T) -> Response {
    match page.render() {
        Ok(html) => (
            status,
            [
                (header::CONTENT_TYPE, "text/html; charset=utf-8"),
                (header::CACHE_CONTROL, "no-store"),
            ],
            html,
        )
            .into_response(),
        Err(e) => {
            tracing::error!(error = %e, "template failed");
            (StatusCode::INTERNAL_SERVER_ERROR, "template error").into_response()
        }
    }
}
