//! The answers every page handler shares: not found, and the store unavailable.

use askama::Template;
use axum::http::StatusCode;
use axum::response::Response;

use super::{render, texts, Texts};

#[derive(Template)]
#[template(path = "not_found.html")]
struct NotFoundPage {
    t: &'static Texts,
}

/// The "page not found" page.
pub fn not_found_page(lang: canhgiac_core::i18n::Lang) -> Response {
    render(StatusCode::NOT_FOUND, &NotFoundPage { t: texts(lang) })
}

/// The answer when the store failed: logged once with its cause, answered opaquely.
pub fn unavailable(what: &str, e: impl std::fmt::Display) -> axum::response::Response {
    use axum::response::IntoResponse;
    tracing::error!(error = %e, what, "console request failed");
    (
        axum::http::StatusCode::SERVICE_UNAVAILABLE,
        "service unavailable",
    )
        .into_response()
}
