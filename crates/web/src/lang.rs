//! The language of a request: `?lang=en|vi`, then the `lang` cookie, then
//! `Accept-Language`; Vietnamese by default.

use axum::extract::FromRequestParts;
use axum::http::header;
use axum::http::request::Parts;
use canhgiac_core::i18n::Lang;

/// The language asked for.
#[derive(Debug, Clone, Copy)]
pub struct ReqLang(pub Lang);

fn from_code(code: &str) -> Option<Lang> {
    match code {
        "en" => Some(Lang::En),
        "vi" => Some(Lang::Vi),
        _ => None,
    }
}

/// Reads the language from request parts.
pub fn of(parts: &Parts) -> Lang {
    of_request(&parts.uri, &parts.headers)
}

/// Reads the language from a request's address and headers.
pub fn of_request(uri: &axum::http::Uri, headers: &axum::http::HeaderMap) -> Lang {
    let query = uri.query().unwrap_or("");
    let from_query = query
        .split('&')
        .find_map(|kv| kv.strip_prefix("lang="))
        .and_then(from_code);
    if let Some(l) = from_query {
        return l;
    }
    let from_cookie = headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .find_map(|c| c.trim().strip_prefix("lang="))
        .and_then(from_code);
    if let Some(l) = from_cookie {
        return l;
    }
    headers
        .get(header::ACCEPT_LANGUAGE)
        .and_then(|v| v.to_str().ok())
        .map(Lang::from_accept_language)
        .unwrap_or_default()
}

impl<S: Send + Sync> FromRequestParts<S> for ReqLang {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        Ok(ReqLang(of(parts)))
    }
}

/// Middleware: a `?lang=` choice is remembered in a cookie, so the next pages (whose
/// links carry no parameter) stay in the chosen language.
pub async fn remember(
    request: axum::extract::Request,
    next: axum::middleware::Next,
) -> axum::response::Response {
    let chosen = request
        .uri()
        .query()
        .unwrap_or("")
        .split('&')
        .find_map(|kv| kv.strip_prefix("lang="))
        .and_then(from_code);
    let mut response = next.run(request).await;
    if let Some(lang) = chosen {
        let cookie = format!(
            "lang={}; Path=/; Max-Age=31536000; SameSite=Lax",
            lang.code()
        );
        if let Ok(value) = axum::http::HeaderValue::from_str(&cookie) {
            response.headers_mut().append(header::SET_COOKIE, value);
        }
    }
    response
}
