//! Routes, grouped by resource. API routes are registered only through utoipa's
//! `OpenApiRouter`, so the OpenAPI document cannot drift from the code.

mod analyze;
mod analyze_message;
mod analyze_url;
mod check;
mod check_forms;
mod disputes;
mod evidence;
mod extension_feed;
mod home;
mod ops;
pub(crate) mod public_stats;
mod reference;
mod report_fields;
mod report_page;
mod report_review;
mod report_steps;
mod reports;
mod status_page;
mod warnings;

use axum::extract::DefaultBodyLimit;
use axum::routing::get;
use axum::Router;
use utoipa::OpenApi;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::AppState;

pub use home::not_found;

#[derive(OpenApi)]
#[openapi(
    info(
        title = "canhgiac API",
        description = "Report online scams and check phone numbers, bank accounts, websites and other identifiers against every report. Errors are `{\"errors\": [{\"code\", \"field\", \"detail\"}]}`; `detail` is Vietnamese unless `Accept-Language: en`.",
        license(name = "AGPL-3.0-or-later")
    ),
    tags((name = "check", description = "Public check"), (name = "analyze", description = "Detectors"), (name = "reports", description = "Citizen reports"), (name = "reference", description = "Reference data"), (name = "officer", description = "Police console API: a session cookie from `POST /api/v1/officer/session`, and its CSRF token in `X-CSRF-Token` on every unsafe call"), (name = "partner", description = "Partner API (banks, carriers, platforms, national systems): an API key issued by an administrator, as `Authorization: Bearer cgk_…`; each key has scopes (`indicators:read`, `reports:submit`, `holds:respond`, `blocklist:submit`) and its own rate (429 with `Retry-After`)"))
)]
struct ApiDoc;

/// The public JSON API (the officer API is `console::api_router`).
pub fn api_router() -> OpenApiRouter<AppState> {
    OpenApiRouter::with_openapi(ApiDoc::openapi())
        .routes(routes!(check::api_check))
        .routes(routes!(analyze::analyze_qr))
        .routes(routes!(analyze_url::analyze_url))
        .routes(routes!(analyze_message::analyze_message))
        .routes(routes!(reports::create_report))
        .routes(routes!(reports::report_status))
        .routes(routes!(reports::extract_identifiers))
        .routes(routes!(disputes::api_create))
        .routes(routes!(disputes::api_status))
        .routes(routes!(evidence::upload_evidence))
        .routes(routes!(reference::list_methods))
        .routes(routes!(reference::list_places))
        .routes(routes!(reference::list_banks))
        .routes(routes!(reference::list_brands))
        .routes(routes!(extension_feed::feed))
}

/// Pages, health, metrics and static files.
pub fn page_router() -> Router<AppState> {
    Router::new()
        .route("/", get(home::home))
        .route("/kiem-tra", get(check::page_check))
        .route(
            "/kiem-tra/tin-nhan",
            axum::routing::post(check_forms::page_message).layer(DefaultBodyLimit::max(64 * 1024)),
        )
        .route(
            "/kiem-tra/ma-qr",
            axum::routing::post(check_forms::page_qr).layer(DefaultBodyLimit::max(
                canhgiac_detect::vietqr::MAX_IMAGE_BYTES + 64 * 1024,
            )),
        )
        .route(
            "/bao-cao",
            get(report_page::form)
                .post(report_page::submit)
                .layer(DefaultBodyLimit::max(crate::MAX_FORM_BYTES)),
        )
        .route(
            "/theo-doi",
            get(status_page::form)
                .post(status_page::show)
                .layer(DefaultBodyLimit::max(4 * 1024)),
        )
        .route(
            "/khieu-nai",
            get(disputes::form)
                .post(disputes::submit)
                .layer(DefaultBodyLimit::max(32 * 1024)),
        )
        .route(
            "/khieu-nai/ket-qua",
            get(disputes::lookup_form)
                .post(disputes::lookup)
                .layer(DefaultBodyLimit::max(4 * 1024)),
        )
        .route("/canh-bao", get(warnings::index))
        .route("/thong-ke", get(public_stats::page))
        .route("/canh-bao/thu-doan/{key}", get(warnings::method))
        .route("/canh-bao/ban-tin/{id}", get(warnings::bulletin))
        .route("/canh-bao/ban-tin/{id}/to-roi.pdf", get(warnings::leaflet))
        .route("/canh-bao/atom.xml", get(warnings::atom))
        .route("/canh-bao/feed.json", get(warnings::json_feed))
        .route("/healthz", get(ops::healthz))
        .route("/metrics", get(ops::metrics))
        .route("/static/site.css", get(ops::stylesheet))
        .route("/static/sms-count.js", get(ops::sms_count_script))
        .route("/static/copy.js", get(ops::copy_script))
        .route("/static/publish-guard.js", get(ops::publish_guard_script))
}
