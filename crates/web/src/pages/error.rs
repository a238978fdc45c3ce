//! Why a page could not be shown, as one type every page handler returns with `?`:
//! not found, forbidden, a bad or expired form, a refusal of the domain (with its
//! status and words), the store unavailable, or "sign in first". One template
//! renders them all, in the request's language (see [`localize`]).

use std::sync::Arc;

use askama::Template;
use axum::extract::Request;
use axum::http::StatusCode;
use axum::middleware::Next;
use axum::response::{IntoResponse, Redirect, Response};
use canhgiac_core::i18n::Lang;

use super::{render, L};
use crate::refusal::Refusal;

/// What a page handler answers.
pub type PageResult = Result<Response, PageError>;

/// A page handler's failure.
#[derive(Debug, Clone)]
pub enum PageError {
    /// Not signed in: go to the login page, then back to `next`.
    SignIn(String),
    /// No such page or record (or not in the officer's scope).
    NotFound,
    /// The role may not.
    Forbidden,
    /// The form could not be read (400) or was too large (413).
    BadForm(StatusCode),
    /// The form's CSRF token is missing or wrong.
    Csrf,
    /// The domain refused, with its own status and words.
    Refused(Arc<dyn Refusal>),
    /// The store failed; logged once where it happened.
    Unavailable,
}

impl PageError {
    /// A domain refusal.
    pub fn refused(r: impl Refusal) -> PageError {
        PageError::Refused(Arc::new(r))
    }

    /// The store failed while doing `what`: logged here with its cause.
    pub fn unavailable(what: &str, e: impl std::fmt::Display) -> PageError {
        tracing::error!(error = %e, what, "page request failed");
        PageError::Unavailable
    }

    fn status(&self) -> StatusCode {
        match self {
            PageError::SignIn(_) => StatusCode::SEE_OTHER,
            PageError::NotFound => StatusCode::NOT_FOUND,
            PageError::Forbidden | PageError::Csrf => StatusCode::FORBIDDEN,
            PageError::BadForm(status) => *status,
            PageError::Refused(r) => r.status(),
            PageError::Unavailable => StatusCode::SERVICE_UNAVAILABLE,
        }
    }

    fn title(&self, lang: Lang) -> String {
        let (vi, en) = match self {
            PageError::NotFound => ("Không tìm thấy trang", "Page not found"),
            PageError::Forbidden => ("Không có quyền", "Not allowed"),
            PageError::BadForm(_) | PageError::Csrf => {
                ("Biểu mẫu không hợp lệ", "Form not accepted")
            }
            PageError::Refused(_) => ("Không thực hiện được", "Not done"),
            PageError::Unavailable => ("Hệ thống tạm thời gián đoạn", "Service unavailable"),
            PageError::SignIn(_) => ("Cần đăng nhập", "Sign in first"),
        };
        lang.pick(vi, en).into()
    }

    fn text(&self, lang: Lang) -> String {
        let (vi, en) = match self {
            PageError::Refused(r) => return r.text(lang),
            PageError::NotFound => ("Trang bạn tìm không tồn tại.", "The page you are looking for does not exist."),
            PageError::Forbidden => ("Vai trò của bạn không có quyền này.", "Your role does not allow this."),
            PageError::BadForm(StatusCode::PAYLOAD_TOO_LARGE) => (
                "Biểu mẫu quá lớn. Hãy rút gọn rồi gửi lại.",
                "The form is too large. Shorten it and send it again.",
            ),
            PageError::BadForm(_) => (
                "Biểu mẫu không hợp lệ. Hãy quay lại và thử lại.",
                "The form is not valid. Go back and try again.",
            ),
            PageError::Csrf => (
                "Biểu mẫu đã hết hạn hoặc không đến từ trang này. Hãy tải lại trang và thử lại.",
                "The form has expired or did not come from this site. Reload the page and try again.",
            ),
            PageError::Unavailable => (
                "Hệ thống tạm thời không sẵn sàng; không có gì bị mất. Vui lòng thử lại sau ít phút.",
                "The service is temporarily unavailable; nothing was lost. Please try again in a few minutes.",
            ),
            PageError::SignIn(_) => ("Hãy đăng nhập.", "Please sign in."),
        };
        lang.pick(vi, en).into()
    }

    /// The page, in `lang`, with a way back (to the console for console paths).
    fn page(&self, lang: Lang, console: bool) -> Response {
        let l = L(lang);
        let page = ErrorPage {
            l: L(lang),
            title: self.title(lang),
            text: self.text(lang),
            back: if console { "/console" } else { "/" },
            back_label: if console {
                l.t("Về bàn làm việc", "Back to the console")
            } else {
                l.t("Về trang chủ", "Back to the home page")
            },
            public: !console,
        };
        let mut response = render(self.status(), &page);
        if let PageError::Unavailable = self {
            response.headers_mut().insert(
                axum::http::header::RETRY_AFTER,
                axum::http::HeaderValue::from_static("30"),
            );
        }
        response
    }
}

impl<E: Refusal> From<E> for PageError {
    fn from(e: E) -> PageError {
        PageError::refused(e)
    }
}

impl From<canhgiac_store::StoreError> for PageError {
    fn from(e: canhgiac_store::StoreError) -> PageError {
        PageError::unavailable("store", e)
    }
}

#[derive(Template)]
#[template(path = "error.html")]
struct ErrorPage {
    l: L,
    title: String,
    text: String,
    back: &'static str,
    back_label: &'static str,
    public: bool,
}

/// Marks a response made from a [`PageError`] so [`localize`] can say it in the
/// request's language.
#[derive(Clone)]
struct Shown(PageError);

impl IntoResponse for PageError {
    fn into_response(self) -> Response {
        if let PageError::SignIn(next) = &self {
            return Redirect::to(next).into_response();
        }
        let mut response = self.page(Lang::Vi, false);
        response.extensions_mut().insert(Shown(self));
        response
    }
}

/// Middleware: an error page is rendered again in the request's language, with a
/// way back to where the visitor came from.
pub async fn localize(request: Request, next: Next) -> Response {
    let (parts, body) = request.into_parts();
    let lang = crate::lang::of(&parts);
    let console = parts.uri.path().starts_with("/console");
    let response = next.run(Request::from_parts(parts, body)).await;
    match response.extensions().get::<Shown>() {
        Some(Shown(e)) if lang != Lang::Vi || console => e.page(lang, console),
        _ => response,
    }
}

/// The "page not found" page (for handlers that answer a response directly).
pub fn not_found_page(_lang: Lang) -> Response {
    PageError::NotFound.into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_error_has_words_in_both_languages() {
        let all = [
            PageError::NotFound,
            PageError::Forbidden,
            PageError::BadForm(StatusCode::BAD_REQUEST),
            PageError::BadForm(StatusCode::PAYLOAD_TOO_LARGE),
            PageError::Csrf,
            PageError::refused(crate::refusal::FORBIDDEN),
            PageError::Unavailable,
        ];
        for e in all {
            assert_ne!(e.text(Lang::Vi), e.text(Lang::En));
            assert_ne!(e.title(Lang::Vi), e.title(Lang::En));
            assert!(e.status().is_client_error() || e.status().is_server_error());
        }
    }

    #[test]
    fn sign_in_is_a_redirect() {
        let r = PageError::SignIn("/console/dang-nhap?next=%2Fconsole".into()).into_response();
        assert_eq!(r.status(), StatusCode::SEE_OTHER);
    }
}
