//! `GET /api/v1/extension/feed`: what a browser extension needs to warn offline, as
//! one small, versioned JSON file: the lookalike rules of the protected brands and the
//! websites that many people reported or the police verified. Public (an extension
//! cannot keep a secret), cached by clients with its `ETag`, readable from any origin.

use axum::extract::State;
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use canhgiac_core::verdict::Level;
use canhgiac_detect::lookalike::offline::OfflineRules;
use serde::Serialize;
use utoipa::ToSchema;

use crate::AppState;

/// The feed's format name.
pub const FORMAT: &str = "canhgiac.extension_feed";
/// The feed's format version (a new version may add fields, never change them).
pub const FORMAT_VERSION: u32 = 1;

/// A website to warn about.
#[derive(Debug, Serialize, ToSchema)]
pub struct FeedDomain {
    /// Host name, punycode, without `www.` (its subdomains are covered too).
    pub domain: String,
    /// `suspicious` (several independent reports) or `dangerous` (verified by the police).
    pub level: String,
    /// Day of the latest report or decision (YYYY-MM-DD).
    pub since: String,
}

/// The feed.
#[derive(Debug, Serialize, ToSchema)]
pub struct ExtensionFeed {
    /// `canhgiac.extension_feed`.
    pub format: &'static str,
    /// 1.
    pub format_version: u32,
    /// Changes whenever the rules or the domains change (also the `ETag`).
    pub version: String,
    /// Where to send a citizen to check or report.
    pub check_url: String,
    /// The lookalike rules.
    pub rules: OfflineRules,
    /// Websites to warn about.
    pub domains: Vec<FeedDomain>,
}

/// The lookalike rules and the dangerous websites, for browser extensions.
#[utoipa::path(
    get,
    path = "/api/v1/extension/feed",
    tag = "reference",
    responses((status = 200, body = ExtensionFeed), (status = 304, description = "Not modified since the `ETag` given in `If-None-Match`"))
)]
pub async fn feed(State(state): State<AppState>, headers: HeaderMap) -> Response {
    let (generation, registry) = state.registry_in_force();
    let version = format!("{}.{}", state.index.applied_seq(), generation);
    let etag = format!("\"{version}\"");
    let cors = (
        header::ACCESS_CONTROL_ALLOW_ORIGIN,
        HeaderValue::from_static("*"),
    );
    let cache = (
        header::CACHE_CONTROL,
        HeaderValue::from_static("public, max-age=300"),
    );
    if headers
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.split(',').any(|t| t.trim() == etag))
    {
        return (StatusCode::NOT_MODIFIED, [cors, cache]).into_response();
    }
    let domains = state
        .index
        .hosts_at_least(Level::Suspicious)
        .into_iter()
        .map(|(domain, level, since)| FeedDomain {
            domain,
            level: level.as_str().to_string(),
            since: canhgiac_core::clock::rfc3339(since)
                .map(|t| t[..10].to_string())
                .unwrap_or_default(),
        })
        .collect();
    let etag_value = HeaderValue::from_str(&etag).unwrap_or(HeaderValue::from_static("\"0\""));
    (
        [cors, cache, (header::ETAG, etag_value)],
        Json(ExtensionFeed {
            format: FORMAT,
            format_version: FORMAT_VERSION,
            version,
            check_url: format!("{}/kiem-tra", state.public_url),
            rules: registry.offline_rules(),
            domains,
        }),
    )
        .into_response()
}
