//! Signing in and out, and changing one's password.

use askama::Template;
use axum::extract::{Query, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::Form;
use base64::Engine;
use canhgiac_core::i18n::Lang;
use canhgiac_store::officers::{AccountError, LoginOutcome};
use serde::Deserialize;

use super::auth::{cookie, same_secret, session_cookie, Console, ConsoleForm, LOGIN_COOKIE};
use super::{fmt_datetime, Frame, L};
use crate::lang::ReqLang;
use crate::pages::render;
use crate::pages::{PageError, PageResult};
use crate::AppState;

#[derive(Template)]
#[template(path = "console/login.html")]
struct LoginPage {
    l: L,
    error: String,
    login_csrf: String,
    next: String,
    username: String,
}

#[derive(Deserialize, Default)]
pub struct NextQuery {
    #[serde(default)]
    next: String,
}

/// Only paths inside the console, so the login page cannot send anyone elsewhere.
/// Where to go after signing in: a console path only, of visible ASCII characters (a
/// control character or a space would make the `Location` header invalid).
fn safe_next(next: &str) -> &str {
    if next.starts_with("/console")
        && !next.contains("://")
        && next.len() <= 2_000
        && next.bytes().all(|b| b.is_ascii_graphic())
    {
        next
    } else {
        "/console"
    }
}

fn login_page(lang: Lang, error: String, next: &str, username: &str, secure: bool) -> Response {
    let token = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(rand::random::<[u8; 24]>());
    let page = LoginPage {
        l: L(lang),
        error,
        login_csrf: token.clone(),
        next: safe_next(next).to_string(),
        username: username.chars().take(64).collect(),
    };
    let status = if page.error.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNAUTHORIZED
    };
    let mut response = render(status, &page);
    let c = format!(
        "{LOGIN_COOKIE}={token}; Path=/console; HttpOnly; SameSite=Strict; Max-Age=3600{}",
        if secure { "; Secure" } else { "" }
    );
    if let Ok(v) = c.parse() {
        response.headers_mut().append(header::SET_COOKIE, v);
    }
    response
}

/// The sign-in page.
pub async fn form(
    State(state): State<AppState>,
    ReqLang(lang): ReqLang,
    Query(q): Query<NextQuery>,
) -> PageResult {
    Ok(login_page(
        lang,
        String::new(),
        &q.next,
        "",
        state.secure_cookies,
    ))
}

#[derive(Deserialize)]
pub struct LoginForm {
    #[serde(default)]
    login_csrf: String,
    #[serde(default)]
    next: String,
    #[serde(default)]
    username: String,
    #[serde(default)]
    password: String,
}

/// Checks the credentials; on success sets the session cookie.
pub async fn submit(
    State(state): State<AppState>,
    ReqLang(lang): ReqLang,
    headers: HeaderMap,
    Form(f): Form<LoginForm>,
) -> PageResult {
    let secure = state.secure_cookies;
    let expected = cookie(&headers, LOGIN_COOKIE).unwrap_or("");
    if expected.is_empty() || !same_secret(expected, &f.login_csrf) {
        let msg = lang.pick(
            "Trang đăng nhập đã hết hạn. Hãy thử lại.",
            "The sign-in page expired. Please try again.",
        );
        return Ok(login_page(lang, msg.into(), &f.next, &f.username, secure));
    }
    Ok(match state.store.login(&f.username, &f.password).await {
        Ok(LoginOutcome::Ok { token, .. }) => {
            let mut response = Redirect::to(safe_next(&f.next)).into_response();
            let max_age = canhgiac_store::officers::SESSION_MAX_SECS;
            if let Ok(v) = session_cookie(&token, max_age, secure).parse() {
                response.headers_mut().append(header::SET_COOKIE, v);
            }
            response
        }
        Ok(LoginOutcome::Invalid) => login_page(
            lang,
            lang.pick(
                "Sai tên đăng nhập hoặc mật khẩu.",
                "Wrong username or password.",
            )
            .into(),
            &f.next,
            &f.username,
            secure,
        ),
        Ok(LoginOutcome::Locked { until }) => login_page(
            lang,
            format!(
                "{} {}.",
                lang.pick(
                    "Tài khoản tạm khóa do đăng nhập sai nhiều lần, đến",
                    "The account is locked after repeated failures, until"
                ),
                fmt_datetime(until)
            ),
            &f.next,
            &f.username,
            secure,
        ),
        Err(e) => return Err(PageError::unavailable("login", e)),
    })
}

#[derive(Deserialize)]
pub struct Empty {}

/// Ends the session.
pub async fn logout(State(state): State<AppState>, f: ConsoleForm<Empty>) -> PageResult {
    let console = f.console;
    if let Err(e) = state.store.logout(&console.token, console.officer()).await {
        tracing::error!(error = %e, "logout failed");
    }
    let mut response = Redirect::to(super::auth::LOGIN_PATH).into_response();
    if let Ok(v) = session_cookie("", 0, state.secure_cookies).parse() {
        response.headers_mut().append(header::SET_COOKIE, v);
    }
    Ok(response)
}

#[derive(Template)]
#[template(path = "console/password.html")]
struct PasswordPage {
    f: Frame,
    error: String,
    done: bool,
}

/// The password form.
pub async fn password_form(console: Console) -> PageResult {
    Ok(render(
        StatusCode::OK,
        &PasswordPage {
            f: Frame::new(&console),
            error: String::new(),
            done: false,
        },
    ))
}

#[derive(Deserialize)]
pub struct PasswordForm {
    #[serde(default)]
    current: String,
    #[serde(default)]
    new: String,
    #[serde(default)]
    again: String,
}

/// Changes the password.
pub async fn password_submit(
    State(state): State<AppState>,
    f: ConsoleForm<PasswordForm>,
) -> PageResult {
    let console = f.console;
    let lang = console.lang;
    let form = f.form;
    let error = if form.new != form.again {
        Some(lang.pick(
            "Hai lần nhập mật khẩu mới không khớp.",
            "The two new passwords differ.",
        ))
    } else {
        match state
            .store
            .change_password(console.officer(), &form.current, &form.new, &console.token)
            .await
        {
            Ok(Ok(())) => None,
            Ok(Err(AccountError::WrongPassword)) => Some(lang.pick(
                "Mật khẩu hiện tại không đúng.",
                "The current password is wrong.",
            )),
            Ok(Err(_)) => Some(lang.pick(
                "Mật khẩu mới phải có từ 12 đến 256 ký tự.",
                "The new password must have 12 to 256 characters.",
            )),
            Err(e) => {
                return Err(PageError::unavailable("password change", e));
            }
        }
    };
    let status = if error.is_some() {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    Ok(render(
        status,
        &PasswordPage {
            f: Frame::new(&console),
            error: error.unwrap_or_default().to_string(),
            done: error.is_none(),
        },
    ))
}

#[cfg(test)]
mod tests {
    #[test]
    fn next_stays_inside_the_console() {
        assert_eq!(super::safe_next("/console/bao-cao/3"), "/console/bao-cao/3");
        assert_eq!(super::safe_next("https://evil.example/console"), "/console");
        assert_eq!(super::safe_next("//evil.example"), "/console");
        assert_eq!(super::safe_next("/consolex://"), "/console");
        // Control characters and spaces would break the Location header (was a 500).
        for bad in [
            "/console/\u{1}",
            "/console/\r\nSet-Cookie: a=b",
            "/console/ a",
            "/console/\u{7f}",
            "/consolé",
        ] {
            assert_eq!(super::safe_next(bad), "/console", "{bad:?}");
        }
    }
}
