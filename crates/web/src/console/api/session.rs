//! Signing in and out.

use axum::extract::State;
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use canhgiac_store::officers::{LoginOutcome, Officer};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::console::auth::{session_cookie, ApiOfficer};
use crate::error::ApiError;
use crate::json::ApiJson;
use crate::lang::ReqLang;
use crate::AppState;

use super::store_error;

/// Credentials.
#[derive(Debug, Deserialize, ToSchema)]
pub struct LoginBody {
    /// Username.
    pub username: String,
    /// Password.
    pub password: String,
}

/// A new session.
#[derive(Debug, Serialize, ToSchema)]
pub struct SessionBody {
    /// Send this in `X-CSRF-Token` with every POST, PUT or DELETE.
    pub csrf_token: String,
    /// Who signed in.
    #[schema(value_type = Object)]
    pub officer: Officer,
}

/// Sign in.
#[utoipa::path(
    post,
    path = "/api/v1/officer/session",
    tag = "officer",
    request_body = LoginBody,
    responses(
        (status = 200, description = "Signed in; the session cookie is set", body = SessionBody),
        (status = 401, description = "Wrong username or password", body = crate::error::ErrorBody),
        (status = 429, description = "Locked after repeated failures", body = crate::error::ErrorBody)
    )
)]
pub async fn login(
    State(state): State<AppState>,
    ReqLang(lang): ReqLang,
    ApiJson(body): ApiJson<LoginBody>,
) -> Response {
    match state.store.login(&body.username, &body.password).await {
        Ok(LoginOutcome::Ok {
            officer,
            token,
            csrf,
        }) => {
            let cookie = session_cookie(
                &token,
                canhgiac_store::officers::SESSION_MAX_SECS,
                state.secure_cookies,
            );
            let mut response = Json(SessionBody {
                csrf_token: csrf,
                officer,
            })
            .into_response();
            if let Ok(v) = cookie.parse() {
                response.headers_mut().append(header::SET_COOKIE, v);
            }
            response
        }
        Ok(LoginOutcome::Invalid) => ApiError::localized(
            StatusCode::UNAUTHORIZED,
            "invalid_credentials",
            lang,
            "Sai tên đăng nhập hoặc mật khẩu.",
            "Wrong username or password.",
        )
        .into_response(),
        Ok(LoginOutcome::Locked { until }) => {
            let wait = (until - time::OffsetDateTime::now_utc().unix_timestamp()).max(1);
            let mut r = ApiError::localized(
                StatusCode::TOO_MANY_REQUESTS,
                "account_locked",
                lang,
                "Tài khoản tạm khóa do đăng nhập sai nhiều lần.",
                "The account is locked after repeated failures.",
            )
            .into_response();
            if let Ok(v) = wait.to_string().parse() {
                r.headers_mut().insert(header::RETRY_AFTER, v);
            }
            r
        }
        Err(e) => store_error(lang, e),
    }
}

/// Sign out.
#[utoipa::path(delete, path = "/api/v1/officer/session", tag = "officer", responses((status = 204, description = "Signed out")))]
pub async fn logout(State(state): State<AppState>, who: ApiOfficer) -> Response {
    if let Err(e) = state.store.logout(&who.token, who.officer()).await {
        return store_error(who.lang, e);
    }
    let mut r = StatusCode::NO_CONTENT.into_response();
    if let Ok(v) = session_cookie("", 0, state.secure_cookies).parse() {
        r.headers_mut().append(header::SET_COOKIE, v);
    }
    r
}
