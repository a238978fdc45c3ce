//! Who is asking: the session cookie, CSRF tokens and role checks for console pages
//! (a redirect to the login page when signed out) and the officer API (401 JSON).

use axum::body::Bytes;
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::request::Parts;
use axum::http::{header, HeaderMap, Method, StatusCode};
use axum::response::{IntoResponse, Response};
use canhgiac_core::i18n::Lang;
use canhgiac_core::roles::Permission;
use canhgiac_store::officers::{Officer, Session};
use serde::de::DeserializeOwned;

use crate::error::ApiError;
use crate::pages::PageError;
use crate::AppState;

/// The session cookie.
pub const SESSION_COOKIE: &str = "cg_session";
/// The cookie of the login form's CSRF token (before there is a session).
pub const LOGIN_COOKIE: &str = "cg_login";
/// The header API calls carry the CSRF token in.
pub const CSRF_HEADER: &str = "x-csrf-token";
/// Where signed-out visitors are sent.
pub const LOGIN_PATH: &str = "/console/dang-nhap";
/// The largest console form.
pub const MAX_CONSOLE_FORM: usize = 64 * 1024;

/// A cookie's value from the request headers.
pub fn cookie<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .find_map(|c| {
            let (k, v) = c.trim().split_once('=')?;
            (k == name).then_some(v)
        })
}

/// A `Set-Cookie` value for the session (`max_age` 0 removes it).
pub fn session_cookie(token: &str, max_age: i64, secure: bool) -> String {
    format!(
        "{SESSION_COOKIE}={token}; Path=/; HttpOnly; SameSite=Strict; Max-Age={max_age}{}",
        if secure { "; Secure" } else { "" }
    )
}

/// Compares secrets without leaking where they differ.
pub fn same_secret(a: &str, b: &str) -> bool {
    a.len() == b.len()
        && a.bytes()
            .zip(b.bytes())
            .fold(0u8, |acc, (x, y)| acc | (x ^ y))
            == 0
}

/// A signed-in officer on a console page.
pub struct Console {
    /// The session.
    pub session: Session,
    /// The session token (to end it).
    pub token: String,
    /// The page language.
    pub lang: Lang,
}

impl Console {
    /// The officer.
    pub fn officer(&self) -> &Officer {
        &self.session.officer
    }

    /// The officer, if the role has the permission; the forbidden page otherwise.
    pub fn allowed(self, p: Permission) -> Result<Console, PageError> {
        self.require(p)?;
        Ok(self)
    }

    /// The forbidden page unless the role has the permission.
    pub fn require(&self, p: Permission) -> Result<(), PageError> {
        if self.session.officer.role.can(p) {
            Ok(())
        } else {
            Err(PageError::Forbidden)
        }
    }
}

async fn session_of(
    parts: &Parts,
    state: &AppState,
) -> Result<Option<(Session, String)>, PageError> {
    let Some(token) = cookie(&parts.headers, SESSION_COOKIE) else {
        return Ok(None);
    };
    if token.len() > 128 {
        return Ok(None);
    }
    match state.store.session(token).await {
        Ok(s) => Ok(s.map(|s| (s, token.to_string()))),
        Err(e) => Err(PageError::unavailable("session lookup", e)),
    }
}

impl FromRequestParts<AppState> for Console {
    type Rejection = PageError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let lang = crate::lang::of(parts);
        match session_of(parts, state).await? {
            Some((session, token)) => Ok(Console {
                session,
                token,
                lang,
            }),
            None => {
                let next = parts
                    .uri
                    .path_and_query()
                    .map(|p| p.as_str())
                    .filter(|p| parts.method == Method::GET && p.starts_with("/console"))
                    .unwrap_or("/console");
                let target = format!("{LOGIN_PATH}?next={}", form_urlencoded_component(next));
                Err(PageError::SignIn(target))
            }
        }
    }
}

fn form_urlencoded_component(s: &str) -> String {
    serde_urlencoded::to_string([("x", s)])
        .map(|e| e.trim_start_matches("x=").to_string())
        .unwrap_or_default()
}

/// A console form: the officer, and the fields, after the CSRF token was checked.
pub struct ConsoleForm<T> {
    /// Who sent it.
    pub console: Console,
    /// The fields.
    pub form: T,
    /// Every field as sent (for repeated fields such as ids).
    pub pairs: Vec<(String, String)>,
}

impl<T: DeserializeOwned + Send> FromRequest<AppState> for ConsoleForm<T> {
    type Rejection = PageError;

    async fn from_request(req: Request, state: &AppState) -> Result<Self, Self::Rejection> {
        let (mut parts, body) = req.into_parts();
        let console = Console::from_request_parts(&mut parts, state).await?;
        let bytes = Bytes::from_request(Request::from_parts(parts, body), state)
            .await
            .map_err(|_| PageError::BadForm(StatusCode::PAYLOAD_TOO_LARGE))?;
        let pairs: Vec<(String, String)> = serde_urlencoded::from_bytes(&bytes)
            .map_err(|_| PageError::BadForm(StatusCode::BAD_REQUEST))?;
        let sent = pairs
            .iter()
            .find(|(k, _)| k == "csrf")
            .map(|(_, v)| v.as_str())
            .unwrap_or("");
        if !same_secret(sent, &console.session.csrf) {
            return Err(PageError::Csrf);
        }
        let form: T = serde_urlencoded::from_bytes(&bytes)
            .map_err(|_| PageError::BadForm(StatusCode::BAD_REQUEST))?;
        Ok(ConsoleForm {
            console,
            form,
            pairs,
        })
    }
}

/// A signed-in officer calling the API. Unsafe methods must carry the session's
/// CSRF token in `X-CSRF-Token`.
pub struct ApiOfficer {
    /// The session.
    pub session: Session,
    /// The session token.
    pub token: String,
    /// The answer language.
    pub lang: Lang,
}

impl ApiOfficer {
    /// The officer.
    pub fn officer(&self) -> &Officer {
        &self.session.officer
    }

    /// A 403 error unless the role has the permission.
    pub fn require(&self, p: Permission) -> Result<(), ApiError> {
        if self.session.officer.role.can(p) {
            Ok(())
        } else {
            Err(forbidden(self.lang))
        }
    }
}

/// The API's 403.
pub fn forbidden(lang: Lang) -> ApiError {
    ApiError::localized(
        StatusCode::FORBIDDEN,
        "forbidden",
        lang,
        "Vai trò của bạn không có quyền này.",
        "Your role does not allow this.",
    )
}

impl FromRequestParts<AppState> for ApiOfficer {
    type Rejection = Response;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let lang = crate::lang::of(parts);
        // (The cause was logged where the lookup failed.)
        let found = session_of(parts, state)
            .await
            .map_err(|_| ApiError::unavailable(lang, &"session lookup").into_response())?;
        let Some((session, token)) = found else {
            return Err(ApiError::localized(
                StatusCode::UNAUTHORIZED,
                "unauthenticated",
                lang,
                "Cần đăng nhập bằng tài khoản cán bộ.",
                "Sign in with an officer account.",
            )
            .into_response());
        };
        let safe = matches!(parts.method, Method::GET | Method::HEAD | Method::OPTIONS);
        if !safe {
            let sent = parts
                .headers
                .get(CSRF_HEADER)
                .and_then(|v| v.to_str().ok())
                .unwrap_or("");
            if !same_secret(sent, &session.csrf) {
                return Err(ApiError::localized(
                    StatusCode::FORBIDDEN,
                    "csrf_invalid",
                    lang,
                    "Thiếu hoặc sai mã chống giả mạo (X-CSRF-Token).",
                    "The X-CSRF-Token header is missing or wrong.",
                )
                .into_response());
            }
        }
        Ok(ApiOfficer {
            session,
            token,
            lang,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cookies_are_found_by_exact_name() {
        let mut h = HeaderMap::new();
        h.insert(
            header::COOKIE,
            "lang=vi; cg_session_x=1; cg_session=abc"
                .parse()
                .expect("header"),
        );
        assert_eq!(cookie(&h, SESSION_COOKIE), Some("abc"));
        assert_eq!(cookie(&h, "nope"), None);
        assert!(
            session_cookie("t", 0, true).contains("HttpOnly; SameSite=Strict; Max-Age=0; Secure")
        );
        assert!(same_secret("abc", "abc") && !same_secret("abc", "abd") && !same_secret("a", "ab"));
    }
}
