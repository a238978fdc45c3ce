//! Health, metrics and the stylesheet.

use axum::extract::State;
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};

use crate::AppState;

/// `GET /healthz`: 200 when the database answers, 503 otherwise.
pub async fn healthz(State(state): State<AppState>) -> Response {
    match state.store.ping().await {
        Ok(()) => (
            StatusCode::OK,
            [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
            "ok\n",
        )
            .into_response(),
        Err(e) => {
            tracing::error!(error = %e, "health check failed");
            (StatusCode::SERVICE_UNAVAILABLE, "database unavailable\n").into_response()
        }
    }
}

/// `GET /metrics`: Prometheus text format.
///
/// Protected: with `--metrics-token`, only `Authorization: Bearer <token>`; without,
/// only clients on loopback (a scraper on the same host).
pub async fn metrics(State(state): State<AppState>, request: axum::extract::Request) -> Response {
    let (parts, _) = request.into_parts();
    let allowed = match state.metrics_token.as_deref() {
        Some(token) => parts
            .headers
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer "))
            .is_some_and(|given| constant_time_eq(given.as_bytes(), token.as_bytes())),
        None => crate::limit::is_local(&parts),
    };
    if !allowed {
        return (
            StatusCode::FORBIDDEN,
            [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
            "metrics: a token (Authorization: Bearer) or a loopback client is needed\n",
        )
            .into_response();
    }
    (
        [(
            header::CONTENT_TYPE,
            "application/openmetrics-text; version=1.0.0; charset=utf-8",
        )],
        state.metrics.render(&state.index),
    )
        .into_response()
}

/// Compares two secrets in time that does not depend on where they differ.
fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// A static asset compiled into the binary, cached for an hour.
fn asset(content_type: &'static str, body: &'static str) -> Response {
    (
        [
            (header::CONTENT_TYPE, content_type),
            (header::CACHE_CONTROL, "public, max-age=3600"),
        ],
        body,
    )
        .into_response()
}

const JS: &str = "text/javascript; charset=utf-8";

/// `GET /static/site.css`.
pub async fn stylesheet() -> Response {
    asset(
        "text/css; charset=utf-8",
        include_str!("../../static/site.css"),
    )
}

/// `GET /static/sms-count.js`: the composer's live SMS count (optional; the server
/// counts too).
pub async fn sms_count_script() -> Response {
    asset(JS, include_str!("../../static/sms-count.js"))
}

/// `GET /static/copy.js`: the receipt's copy buttons (optional).
pub async fn copy_script() -> Response {
    asset(JS, include_str!("../../static/copy.js"))
}

/// `GET /static/publish-guard.js`: the bulletin editor's publish guard (optional).
pub async fn publish_guard_script() -> Response {
    asset(JS, include_str!("../../static/publish-guard.js"))
}
