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

/// What a page says above its content after an action (refused, or done), and the
/// status it is answered with.
pub struct Notice {
    /// The words (empty: nothing to say).
    pub text: String,
    /// The HTTP status of the page.
    pub status: StatusCode,
    /// The words confirm what was just done (not a refusal).
    pub done: bool,
}

impl Notice {
    /// Nothing to say: 200.
    pub fn none() -> Notice {
        Notice::new(String::new(), StatusCode::OK)
    }

    /// A refusal of the domain, with its own status.
    pub fn refused(r: &dyn crate::refusal::Refusal, lang: canhgiac_core::i18n::Lang) -> Notice {
        Notice::new(r.text(lang), r.status())
    }

    /// A form that could not be read as sent: 422.
    pub fn invalid(text: impl Into<String>) -> Notice {
        Notice::new(text, StatusCode::UNPROCESSABLE_ENTITY)
    }

    /// Words with a status.
    pub fn new(text: impl Into<String>, status: StatusCode) -> Notice {
        Notice {
            text: text.into(),
            status,
            done: false,
        }
    }

    /// What was just done, confirmed: 200.
    pub fn done(text: impl Into<String>) -> Notice {
        Notice {
            done: true,
            ..Notice::new(text, StatusCode::OK)
        }
    }
}
