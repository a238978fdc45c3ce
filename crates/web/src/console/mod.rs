//! The police console: pages under `/console` and the officer API under
//! `/api/v1/officer/`. Every route needs a session; every form and unsafe API call
//! needs the session's CSRF token; every action is checked against the role.

pub mod activity;
pub mod api;
pub mod auth;
pub mod brands;
mod bulletins;
mod campaigns;
mod catalogue;
mod disputes;
mod holds;
mod login;
mod oversight;
mod partners;
mod patterns;
mod periodic;
mod queue;
mod report;
mod rings;
mod sectors;
mod stats;
mod trends;

use axum::extract::DefaultBodyLimit;
use axum::routing::{get, post};
use axum::Router;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use api as officer;
use canhgiac_core::i18n::Lang;
use canhgiac_store::officers::Officer;

use crate::AppState;

pub use crate::pages::format::{field_error, fmt_datetime, fmt_day, fmt_stored_day, vnd, L};

/// The officer API, with its OpenAPI description (merged beside the public API).
pub fn api_router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(brands::api_put, brands::api_delete))
        .routes(routes!(officer::login, officer::logout))
        .routes(routes!(officer::queue))
        .routes(routes!(officer::bulk))
        .routes(routes!(officer::report))
        .routes(routes!(officer::step))
        .routes(routes!(officer::reporter))
        .routes(routes!(officer::identifier))
        .routes(routes!(officer::deadlines))
        .routes(routes!(officer::audit))
        .routes(routes!(officer::rings))
        .routes(routes!(officer::ring))
        .routes(routes!(officer::create_holds))
        .routes(routes!(officer::holds))
        .routes(routes!(officer::hold))
        .routes(routes!(officer::hold_state))
        .routes(routes!(officer::recovery))
        .routes(routes!(officer::disputes))
        .routes(routes!(stats::api))
        .routes(routes!(officer::dispute_decision))
}

/// What every console page shows in its header.
pub struct Frame {
    /// Language.
    pub l: L,
    /// The officer's name.
    pub name: String,
    /// Role title.
    pub role: String,
    /// Unit name.
    pub unit: String,
    /// CSRF token for the forms of the page.
    pub csrf: String,
    /// Whether the audit link shows.
    pub can_audit: bool,
    /// Whether the police pages show (agency liaisons see only their activities).
    pub police: bool,
    /// Whether the agencies' activity summary shows.
    pub can_see_activity: bool,
    /// Whether the officer records their agency's activities (a liaison).
    pub records_activity: bool,
    /// Whether the statistics show.
    pub can_see_stats: bool,
    /// Whether the partners and their keys show (administrators).
    pub can_manage_partners: bool,
}

impl Frame {
    /// The frame for an officer.
    pub fn new(console: &auth::Console) -> Frame {
        let o: &Officer = console.officer();
        Frame {
            l: L(console.lang),
            name: o.display_name.clone(),
            role: o.role.title(console.lang).to_string(),
            // A liaison works for their agency, not for the police unit that keeps
            // their account.
            unit: match (&o.agency_name, o.role) {
                (Some(agency), canhgiac_core::roles::Role::Liaison) => agency.clone(),
                _ => o.unit_name.clone(),
            },
            csrf: console.session.csrf.clone(),
            can_audit: o.role.can(canhgiac_core::roles::Permission::ViewAudit),
            police: o.role.can(canhgiac_core::roles::Permission::ViewReports),
            can_see_activity: o.role.can(canhgiac_core::roles::Permission::ViewActivity),
            records_activity: o.role.can(canhgiac_core::roles::Permission::RecordActivity),
            can_see_stats: o.role.can(canhgiac_core::roles::Permission::ViewStatistics),
            can_manage_partners: o.role.can(canhgiac_core::roles::Permission::ManageAccounts),
        }
    }
}

/// An officer's words for a report status.
pub fn status_label(status: &str, lang: Lang) -> &'static str {
    canhgiac_core::case::Status::parse(status)
        .map(|s| s.officer_label(lang))
        .unwrap_or_else(|| lang.pick("Không rõ", "Unknown"))
}

/// An officer's words for a recorded step.
pub fn event_label(kind: &str, lang: Lang) -> &'static str {
    canhgiac_core::case::EventKind::parse(kind)
        .map(|k| k.officer_label(lang))
        .unwrap_or_else(|| lang.pick("Bước khác", "Other step"))
}

/// The console pages.
pub fn page_router() -> Router<AppState> {
    Router::new()
        .route(auth::LOGIN_PATH, get(login::form).post(login::submit))
        .route("/console/dang-xuat", post(login::logout))
        .route(
            "/console/mat-khau",
            get(login::password_form).post(login::password_submit),
        )
        .route("/console", get(queue::page))
        .route("/console/hang-loat", post(queue::bulk))
        .route("/console/bao-cao/{id}", get(report::page))
        .route("/console/bao-cao/{id}/buoc", post(report::step))
        .route(
            "/console/bao-cao/{id}/nguoi-bao-cao",
            post(report::reporter),
        )
        .route(
            "/console/bao-cao/{id}/bang-chung/{digest}",
            get(report::evidence),
        )
        .route("/console/dinh-danh", post(report::identifier))
        .route("/console/han-xu-ly", get(oversight::deadlines))
        .route("/console/thong-ke", get(stats::page))
        .route("/console/thong-ke.csv", get(stats::csv))
        .route("/console/thong-ke.xlsx", get(stats::xlsx))
        .route(
            "/console/dot-cao-diem",
            get(campaigns::list).post(campaigns::create),
        )
        .route("/console/dot-cao-diem/{id}", get(campaigns::page))
        .route("/console/lo-hong", get(sectors::page))
        .route("/console/lo-hong.csv", get(sectors::csv))
        .route("/console/lo-hong.xlsx", get(sectors::xlsx))
        .route(
            "/console/bao-cao-dinh-ky",
            get(periodic::list).post(periodic::create),
        )
        .route(
            "/console/bao-cao-dinh-ky/{id}",
            get(periodic::page).post(periodic::save),
        )
        .route(
            "/console/bao-cao-dinh-ky/{id}/bao-cao.docx",
            get(periodic::download),
        )
        .route(
            "/console/bao-cao-dinh-ky/{id}/bao-cao.pdf",
            get(periodic::download_pdf),
        )
        .route(
            "/console/doi-tac",
            get(partners::list).post(partners::create),
        )
        .route("/console/doi-tac/{id}", get(partners::page))
        .route("/console/doi-tac/{id}/khoa", post(partners::issue))
        .route(
            "/console/doi-tac/{id}/trang-thai",
            post(partners::set_active),
        )
        .route("/console/doi-tac/khoa/{key}/doi", post(partners::rotate))
        .route("/console/doi-tac/{id}/webhook", post(partners::set_webhook))
        .route(
            "/console/doi-tac/danh-sach/{list}/tat",
            post(partners::disable_list),
        )
        .route(
            "/console/doi-tac/khoa/{key}/thu-hoi",
            post(partners::revoke),
        )
        .route("/console/bao-cao/{id}/tam-giu", post(holds::create))
        .route("/console/bao-cao/{id}/thu-hoi", post(holds::recovery))
        .route("/console/tam-giu", get(holds::list))
        .route("/console/tam-giu/{id}", get(holds::page))
        .route("/console/tam-giu/{id}/trang-thai", post(holds::set_state))
        .route("/console/tam-giu/{id}/de-nghi.docx", get(holds::docx))
        .route("/console/tam-giu/{id}/de-nghi.json", get(holds::json))
        .route("/console/khieu-nai", get(disputes::list))
        .route("/console/khieu-nai/{id}", get(disputes::page))
        .route("/console/khieu-nai/{id}/quyet-dinh", post(disputes::decide))
        .route("/console/khieu-nai/{id}/lien-he", post(disputes::contact))
        .route(
            "/console/thuong-hieu",
            get(brands::page).post(brands::submit),
        )
        .route("/console/duong-day", get(rings::list))
        .route("/console/duong-day/{id}", get(rings::page))
        .route("/console/nhat-ky", get(oversight::audit))
        .route(
            "/console/hoat-dong",
            get(activity::page).post(activity::record),
        )
        .route("/console/hoat-dong/tong-hop", get(activity::summary))
        .route("/console/hoat-dong/tong-hop.csv", get(activity::csv))
        .route(
            "/console/co-quan",
            get(activity::agencies).post(activity::add_agency),
        )
        .route("/console/xu-huong", get(trends::page))
        .route("/console/mau-moi", get(patterns::page))
        .route("/console/thu-doan", get(catalogue::list))
        .route(
            "/console/thu-doan/{key}",
            get(catalogue::edit).post(catalogue::save),
        )
        .route("/console/thu-doan/{key}/lich-su", get(catalogue::history))
        .route(
            "/console/thu-doan/{key}/phien-ban/{version}",
            get(catalogue::version),
        )
        .route(
            "/console/ban-tin",
            get(bulletins::list).post(bulletins::create),
        )
        .route(
            "/console/ban-tin/{id}",
            get(bulletins::page).post(bulletins::save),
        )
        .route("/console/ban-tin/{id}/cong-bo", post(bulletins::publish))
        .route("/console/ban-tin/{id}/to-roi.pdf", get(bulletins::leaflet))
        .layer(DefaultBodyLimit::max(auth::MAX_CONSOLE_FORM))
}
