//! `GET /api/v1/analyze/url`: is this website imitating a protected brand?

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use canhgiac_core::ident::{Identifier, SocialAccount, Website};
use canhgiac_core::verdict::{Level, Verdict};
use canhgiac_detect::lookalike::{Brand, Lookalike};
use serde::{Deserialize, Serialize};

use crate::error::ApiError;
use crate::lang::ReqLang;
use crate::AppState;

/// The website.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
pub struct UrlParams {
    /// A URL or a domain (defanged forms accepted).
    #[param(required = true, min_length = 1, max_length = 2048, pattern = r"\S")]
    q: Option<String>,
}

/// The answer.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct UrlAnswer {
    /// The verdict's level.
    level: Level,
    /// The brand it imitates and how, if any.
    lookalike: Option<Lookalike>,
    /// The brand whose real site this is, if any.
    official: Option<Brand>,
    /// The full verdict (reports, reasons, advice).
    verdict: Verdict,
}

/// Check a website for impersonation of a protected brand and against the reports.
#[utoipa::path(
    get,
    path = "/api/v1/analyze/url",
    tag = "analyze",
    params(UrlParams),
    responses((status = 200, body = UrlAnswer), (status = 422, body = crate::error::ErrorBody))
)]
pub async fn analyze_url(
    State(state): State<AppState>,
    ReqLang(lang): ReqLang,
    crate::json::ApiQuery(p): crate::json::ApiQuery<UrlParams>,
) -> Response {
    let q = p.q.unwrap_or_default();
    let site = match Website::parse(&q) {
        Ok(s) => s,
        Err(e) => {
            return ApiError::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                "url_invalid",
                e.message(lang),
            )
            .into_response()
        }
    };
    let registry = state.registry();
    let lookalike = registry.check(&site);
    let official = registry.official(&site).cloned();
    // A profile link on a social network is checked as that account.
    let identifier = SocialAccount::from_url(&q)
        .map(Identifier::Social)
        .unwrap_or_else(|| Identifier::Url(site));
    let stats = state.index.lookup(&identifier);
    let mut verdict = canhgiac_core::verdict::verdict(&identifier, stats.as_ref(), lang);
    if let Some(found) = &lookalike {
        canhgiac_detect::lookalike::flag(&mut verdict, found, lang);
    }
    state.metrics.check_answered(verdict.level.as_str());
    Json(UrlAnswer {
        level: verdict.level,
        lookalike,
        official,
        verdict,
    })
    .into_response()
}
