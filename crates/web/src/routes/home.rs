//! The home page and the not-found page.

use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;

use crate::lang::ReqLang;
use crate::pages::{render, L};
use crate::AppState;

#[derive(Template)]
#[template(path = "home.html")]
struct HomePage {
    l: L,
    stats: String,
}

/// `GET /`.
pub async fn home(State(state): State<AppState>, ReqLang(lang): ReqLang) -> Response {
    let reports = state.index.reports();
    let identifiers = state.index.len();
    let stats = match lang {
        canhgiac_core::i18n::Lang::Vi => format!("Đã nhận {reports} báo cáo về {identifiers} số điện thoại, tài khoản, trang web tại {}.", state.store.province().name),
        canhgiac_core::i18n::Lang::En => format!("{reports} reports received about {identifiers} phone numbers, accounts and websites in {}.", state.store.province().name),
    };
    render(StatusCode::OK, &HomePage { l: L(lang), stats })
}

/// Any unknown path: an API error under `/api/`, a page elsewhere.
pub async fn not_found(ReqLang(lang): ReqLang, uri: axum::http::Uri) -> Response {
    if uri.path().starts_with("/api/") {
        use axum::response::IntoResponse;
        return crate::ApiError::localized(
            StatusCode::NOT_FOUND,
            "not_found",
            lang,
            "Không có đường dẫn API này.",
            "There is no such API path.",
        )
        .into_response();
    }
    crate::pages::not_found_page(lang)
}
