//! The police console: pages under `/console` and the officer API under
//! `/api/v1/officer/`. Every route needs a session; every form and unsafe API call
//! needs the session's CSRF token; every action is checked against the role.

pub mod activity;
pub mod api;
pub mod auth;
pub mod brands;
mod bulletins;
mod catalogue;
mod chart;
mod disputes;
mod graph;
mod holds;
mod letter;
mod login;
mod oversight;
mod patterns;
mod queue;
mod report;
mod rings;
mod trends;

use axum::extract::DefaultBodyLimit;
use axum::routing::{get, post};
use axum::Router;
use canhgiac_core::i18n::Lang;
use canhgiac_core::intake::FieldError;
use canhgiac_store::officers::Officer;

use crate::AppState;

/// Console texts in the page language: `{{ l.t("Tiếng Việt", "English") }}`.
#[derive(Debug, Clone, Copy)]
pub struct L(pub Lang);

impl L {
    /// The text in the page language.
    pub fn t<'a>(&self, vi: &'a str, en: &'a str) -> &'a str {
        self.0.pick(vi, en)
    }

    /// `vi` or `en`.
    pub fn code(&self) -> &'static str {
        self.0.code()
    }
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
}

impl Frame {
    /// The frame for an officer.
    pub fn new(console: &auth::Console) -> Frame {
        let o: &Officer = console.officer();
        Frame {
            l: L(console.lang),
            name: o.display_name.clone(),
            role: o.role.title(console.lang).to_string(),
            unit: o.unit_name.clone(),
            csrf: console.session.csrf.clone(),
            can_audit: o.role.can(canhgiac_core::roles::Permission::ViewAudit),
            police: o.role.can(canhgiac_core::roles::Permission::ViewReports),
            can_see_activity: o.role.can(canhgiac_core::roles::Permission::ViewActivity),
        }
    }
}

/// `dd/mm/yyyy HH:MM` in Vietnam.
pub fn fmt_datetime(unix: i64) -> String {
    let t = time::OffsetDateTime::from_unix_timestamp(unix)
        .unwrap_or(time::OffsetDateTime::UNIX_EPOCH)
        .to_offset(canhgiac_core::clock::VN_OFFSET);
    format!(
        "{:02}/{:02}/{} {:02}:{:02}",
        t.day(),
        u8::from(t.month()),
        t.year(),
        t.hour(),
        t.minute()
    )
}

/// A `time::Date` as `dd/mm/yyyy`.
pub fn fmt_day(d: time::Date) -> String {
    format!("{:02}/{:02}/{}", d.day(), u8::from(d.month()), d.year())
}

/// A stored `YYYY-MM-DD` as `dd/mm/yyyy`.
pub fn fmt_stored_day(s: &str) -> String {
    canhgiac_store::console::parse_date(s)
        .map(fmt_day)
        .unwrap_or_else(|| s.to_string())
}

/// The answer when the store failed: logged once with its cause, answered opaquely.
pub fn unavailable(what: &str, e: impl std::fmt::Display) -> axum::response::Response {
    use axum::response::IntoResponse;
    tracing::error!(error = %e, what, "console request failed");
    (
        axum::http::StatusCode::SERVICE_UNAVAILABLE,
        "service unavailable",
    )
        .into_response()
}

/// One field's error, as forms and the API report it.
pub fn field_error(field: &str, code: &str, detail: impl Into<String>) -> FieldError {
    FieldError {
        field: field.into(),
        code: code.into(),
        detail: detail.into(),
    }
}

/// VND with dot grouping.
pub fn vnd(amount: i64) -> String {
    canhgiac_core::verdict::format_vnd(amount.max(0) as u64)
}

/// An officer's words for a report status.
pub fn status_label(status: &str, lang: Lang) -> &'static str {
    let (vi, en) = match status {
        "received" => ("Mới, chờ tiếp nhận", "New, not yet received"),
        "accepted" => ("Đã tiếp nhận, đang xác minh", "Received, being verified"),
        "suspended" => ("Tạm đình chỉ", "Suspended"),
        "case_opened" => ("Đã khởi tố vụ án", "Criminal case opened"),
        "no_case" => ("Không khởi tố vụ án", "No case opened"),
        "transferred" => ("Đã chuyển tỉnh khác", "Transferred to another province"),
        "not_crime" => ("Không có dấu hiệu tội phạm", "Not a crime"),
        "merged" => ("Đã gộp vào báo cáo khác", "Merged into another report"),
        _ => ("Không rõ", "Unknown"),
    };
    lang.pick(vi, en)
}

/// An officer's words for a recorded step.
pub fn event_label(kind: &str, lang: Lang) -> &'static str {
    let (vi, en) = match kind {
        "received" => (
            "Tiếp nhận (bắt đầu tính thời hạn)",
            "Formally received (clock starts)",
        ),
        "assigned" => ("Phân công", "Assigned"),
        "extension_requested" => ("Đề nghị gia hạn", "Extension requested"),
        "extended" => (
            "Lãnh đạo phê duyệt gia hạn",
            "Extension approved by a leader",
        ),
        "extension_refused" => ("Không phê duyệt gia hạn", "Extension refused"),
        "procuracy_extended" => ("Viện kiểm sát gia hạn", "Extended by the procuracy"),
        "suspended" => ("Tạm đình chỉ giải quyết", "Handling suspended"),
        "resumed" => ("Phục hồi giải quyết", "Handling resumed"),
        "case_opened" => ("Quyết định khởi tố vụ án", "Criminal case opened"),
        "no_case" => ("Quyết định không khởi tố", "Decided not to open a case"),
        "transferred" => ("Chuyển đơn vị", "Transferred to another unit"),
        "transferred_out" => ("Chuyển tỉnh khác", "Transferred to another province"),
        "not_crime" => ("Không có dấu hiệu tội phạm", "Not a crime"),
        "merged" => ("Gộp vào báo cáo khác", "Merged"),
        _ => ("Bước khác", "Other step"),
    };
    lang.pick(vi, en)
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
        .route("/console/dinh-danh", post(report::identifier))
        .route("/console/han-xu-ly", get(oversight::deadlines))
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
