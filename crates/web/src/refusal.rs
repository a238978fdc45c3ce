//! Why a request was refused, said once for the API and the pages: each domain error
//! gives its HTTP status, its stable code, the field it concerns and its words in
//! both languages. [`crate::error::ApiError::refused`] turns one into a JSON error
//! and [`crate::pages::PageError`] into a page.

use axum::http::StatusCode;
use canhgiac_core::case::StepFormError;
use canhgiac_core::clock::ClockState;
use canhgiac_core::holds::HoldState;
use canhgiac_core::i18n::Lang;
use canhgiac_store::agencies::AgencyError;
use canhgiac_store::brands::BrandError;
use canhgiac_store::bulletins::BulletinError;
use canhgiac_store::catalogue::CatalogueError;
use canhgiac_store::handling::StepError;
use canhgiac_store::holds::HoldError;

use crate::pages::format::fmt_day;

fn status_label(status: &str, lang: Lang) -> &'static str {
    canhgiac_core::case::Status::parse(status)
        .map(|s| s.officer_label(lang))
        .unwrap_or_else(|| lang.pick("Không rõ", "Unknown"))
}

/// A refusal the caller can act on (never a failure of the service).
pub trait Refusal: std::fmt::Debug + Send + Sync + 'static {
    /// The HTTP status: 403, 404, 409 (the state is not, or no longer, the one
    /// needed) or 422.
    fn status(&self) -> StatusCode;
    /// The stable snake_case code.
    fn code(&self) -> &'static str;
    /// The form field it concerns, if any.
    fn field(&self) -> Option<&'static str> {
        None
    }
    /// The words, in the page's language.
    fn text(&self, lang: Lang) -> String;
}

/// A refusal said in place: status, code and both languages' words.
#[derive(Debug, Clone)]
pub struct Said {
    /// HTTP status.
    pub status: StatusCode,
    /// Stable code.
    pub code: &'static str,
    /// Vietnamese.
    pub vi: &'static str,
    /// English.
    pub en: &'static str,
}

impl Said {
    /// A refusal with this status, code and words.
    pub const fn new(
        status: StatusCode,
        code: &'static str,
        vi: &'static str,
        en: &'static str,
    ) -> Said {
        Said {
            status,
            code,
            vi,
            en,
        }
    }
}

impl Refusal for Said {
    fn status(&self) -> StatusCode {
        self.status
    }
    fn code(&self) -> &'static str {
        self.code
    }
    fn text(&self, lang: Lang) -> String {
        lang.pick(self.vi, self.en).into()
    }
}

/// "Your role does not allow this."
pub const FORBIDDEN: Said = Said::new(
    StatusCode::FORBIDDEN,
    "forbidden",
    "Vai trò của bạn không có quyền này.",
    "Your role does not allow this.",
);

impl Refusal for StepError {
    fn status(&self) -> StatusCode {
        step_status(self)
    }
    fn code(&self) -> &'static str {
        match self {
            StepError::Forbidden => "forbidden",
            StepError::NotAssignee => "not_assignee",
            StepError::NotFound => "report_not_found",
            StepError::WrongStatus(_) => "wrong_status",
            StepError::Changed(_) => "changed_meanwhile",
            StepError::Clock(_) => "time_limit",
            StepError::ReasonRequired => "reason_required",
            StepError::ReasonTooLong => "reason_too_long",
            StepError::NoPendingRequest => "no_pending_request",
            StepError::UnknownUnit => "unknown_unit",
        }
    }
    fn field(&self) -> Option<&'static str> {
        matches!(self, StepError::ReasonRequired | StepError::ReasonTooLong).then_some("reason")
    }
    fn text(&self, lang: Lang) -> String {
        step_text(self, lang)
    }
}

impl Refusal for StepFormError {
    fn status(&self) -> StatusCode {
        StatusCode::UNPROCESSABLE_ENTITY
    }
    fn code(&self) -> &'static str {
        "invalid_step"
    }
    fn field(&self) -> Option<&'static str> {
        Some(match self {
            StepFormError::Action => "action",
            StepFormError::Date => "until",
            StepFormError::Number(f) => f,
        })
    }
    fn text(&self, lang: Lang) -> String {
        match self {
            StepFormError::Action => lang
                .pick("Thao tác không hợp lệ.", "Unknown action.")
                .into(),
            StepFormError::Date => lang
                .pick(
                    "Cần ngày theo dạng năm-tháng-ngày.",
                    "A date (year-month-day) is needed.",
                )
                .into(),
            StepFormError::Number(f) => {
                format!("{} ({f})", lang.pick("Cần một số", "A number is needed"))
            }
        }
    }
}

impl Refusal for HoldError {
    fn status(&self) -> StatusCode {
        match self {
            HoldError::Forbidden => StatusCode::FORBIDDEN,
            HoldError::NotFound => StatusCode::NOT_FOUND,
            HoldError::BadTransition { .. } | HoldError::Changed { .. } => StatusCode::CONFLICT,
            HoldError::NoTransfers | HoldError::BadAmount | HoldError::BadTime => {
                StatusCode::UNPROCESSABLE_ENTITY
            }
        }
    }
    fn code(&self) -> &'static str {
        match self {
            HoldError::Forbidden => "forbidden",
            HoldError::NotFound => "not_found",
            HoldError::NoTransfers => "no_transfers",
            HoldError::BadTransition { .. } => "bad_transition",
            HoldError::Changed { .. } => "changed_meanwhile",
            HoldError::BadAmount => "bad_amount",
            HoldError::BadTime => "bad_time",
        }
    }
    fn field(&self) -> Option<&'static str> {
        match self {
            HoldError::BadTransition { .. } => Some("state"),
            HoldError::Changed { .. } => Some("from"),
            HoldError::BadAmount => Some("amount_vnd"),
            HoldError::BadTime => Some("effective_at"),
            _ => None,
        }
    }
    fn text(&self, lang: Lang) -> String {
        hold_text(self, lang)
    }
}

impl Refusal for BrandError {
    fn status(&self) -> StatusCode {
        match self {
            BrandError::Forbidden => StatusCode::FORBIDDEN,
            BrandError::NotFound => StatusCode::NOT_FOUND,
            BrandError::Changed => StatusCode::CONFLICT,
        }
    }
    fn code(&self) -> &'static str {
        match self {
            BrandError::Forbidden => "forbidden",
            BrandError::NotFound => "brand_not_found",
            BrandError::Changed => "changed_meanwhile",
        }
    }
    fn field(&self) -> Option<&'static str> {
        matches!(self, BrandError::Changed).then_some("key")
    }
    fn text(&self, lang: Lang) -> String {
        match self {
            BrandError::Forbidden => FORBIDDEN.text(lang),
            BrandError::NotFound => lang.pick("Không có thương hiệu này.", "No such brand.").into(),
            BrandError::Changed => lang
                .pick(
                    "Thương hiệu này vừa được người khác sửa (hoặc đã có sẵn): hãy xem lại danh sách rồi sửa lại nếu cần.",
                    "Someone else has just changed this brand (or it already exists): check the list, then edit again if needed.",
                )
                .into(),
        }
    }
}

impl Refusal for CatalogueError {
    fn status(&self) -> StatusCode {
        match self {
            CatalogueError::Forbidden => StatusCode::FORBIDDEN,
            CatalogueError::NotFound => StatusCode::NOT_FOUND,
            CatalogueError::Exists => StatusCode::UNPROCESSABLE_ENTITY,
            CatalogueError::Changed { .. } => StatusCode::CONFLICT,
        }
    }
    fn code(&self) -> &'static str {
        match self {
            CatalogueError::Forbidden => "forbidden",
            CatalogueError::NotFound => "method_not_found",
            CatalogueError::Exists => "key_taken",
            CatalogueError::Changed { .. } => "changed_meanwhile",
        }
    }
    fn field(&self) -> Option<&'static str> {
        match self {
            CatalogueError::Exists => Some("key"),
            CatalogueError::Changed { .. } => Some("base_version"),
            _ => None,
        }
    }
    fn text(&self, lang: Lang) -> String {
        match self {
            CatalogueError::Forbidden => FORBIDDEN.text(lang),
            CatalogueError::NotFound => lang.pick("Không có thủ đoạn này.", "No such method.").into(),
            CatalogueError::Exists => lang
                .pick("Đã có thủ đoạn với mã này.", "A method with this key exists.")
                .into(),
            CatalogueError::Changed { now } => format!(
                "{} {now}. {}",
                lang.pick("Cán bộ khác vừa lưu phiên bản", "Another officer has just saved version"),
                lang.pick(
                    "Nội dung bạn sửa vẫn còn dưới đây: hãy xem lịch sử rồi lưu lại nếu vẫn muốn thay.",
                    "Your changes are kept below: check the history, then save again if they should replace it."
                )
            ),
        }
    }
}

impl Refusal for BulletinError {
    fn status(&self) -> StatusCode {
        match self {
            BulletinError::Forbidden => StatusCode::FORBIDDEN,
            BulletinError::NotFound => StatusCode::NOT_FOUND,
            BulletinError::Published => StatusCode::CONFLICT,
        }
    }
    fn code(&self) -> &'static str {
        match self {
            BulletinError::Forbidden => "forbidden",
            BulletinError::NotFound => "bulletin_not_found",
            BulletinError::Published => "published",
        }
    }
    fn field(&self) -> Option<&'static str> {
        matches!(self, BulletinError::Published).then_some("status")
    }
    fn text(&self, lang: Lang) -> String {
        match self {
            BulletinError::Forbidden => FORBIDDEN.text(lang),
            BulletinError::NotFound => lang
                .pick("Không có bản tin này.", "No such bulletin.")
                .into(),
            BulletinError::Published => lang
                .pick(
                    "Bản tin đã công bố, không sửa được nữa; hãy soạn bản tin mới.",
                    "The bulletin is published and can no longer be changed; draft a new one.",
                )
                .into(),
        }
    }
}

impl Refusal for AgencyError {
    fn status(&self) -> StatusCode {
        match self {
            AgencyError::Forbidden | AgencyError::NoAgency => StatusCode::FORBIDDEN,
            AgencyError::NotFound => StatusCode::NOT_FOUND,
            AgencyError::UnknownBulletin | AgencyError::Exists => StatusCode::UNPROCESSABLE_ENTITY,
        }
    }
    fn code(&self) -> &'static str {
        match self {
            AgencyError::Forbidden => "forbidden",
            AgencyError::NoAgency => "no_agency",
            AgencyError::UnknownBulletin => "bulletin_unknown",
            AgencyError::Exists => "name_taken",
            AgencyError::NotFound => "not_found",
        }
    }
    fn field(&self) -> Option<&'static str> {
        match self {
            AgencyError::UnknownBulletin => Some("bulletin"),
            AgencyError::Exists => Some("name"),
            _ => None,
        }
    }
    fn text(&self, lang: Lang) -> String {
        match self {
            AgencyError::Forbidden => FORBIDDEN.text(lang),
            AgencyError::NoAgency => lang
                .pick(
                    "Tài khoản của bạn không thuộc cơ quan nào.",
                    "Your account belongs to no agency.",
                )
                .into(),
            AgencyError::UnknownBulletin => lang
                .pick(
                    "Không có bản tin đã công bố này.",
                    "No such published bulletin.",
                )
                .into(),
            AgencyError::Exists => lang
                .pick("Đã có cơ quan tên này.", "An agency of this name exists.")
                .into(),
            AgencyError::NotFound => lang
                .pick(
                    "Không có cơ quan hoặc tài khoản này.",
                    "No such agency or account.",
                )
                .into(),
        }
    }
}

/// A verdict or status for people: `verified`, `cleared`, `none`, a dispute's or
/// report's status.
fn verdict_label(s: &str, lang: Lang) -> String {
    match s {
        "verified" => lang.pick("đã xác minh lừa đảo", "verified scam").into(),
        "cleared" => lang.pick("đã gỡ cảnh báo", "cleared").into(),
        "none" => lang.pick("chưa có kết luận", "no verdict").into(),
        "kept" => lang.pick("giữ cảnh báo", "listing kept").into(),
        other => status_label(other, lang).to_string(),
    }
}

/// The status code of a refused step: 409 when the state is not (or no longer) the
/// one the step needs, so that of two officers acting at once the loser is told.
fn step_status(e: &StepError) -> StatusCode {
    match e {
        StepError::Forbidden | StepError::NotAssignee => StatusCode::FORBIDDEN,
        StepError::NotFound => StatusCode::NOT_FOUND,
        StepError::WrongStatus(_) | StepError::Changed(_) => StatusCode::CONFLICT,
        _ => StatusCode::UNPROCESSABLE_ENTITY,
    }
}

/// Words for a refused step.
fn step_text(e: &StepError, lang: Lang) -> String {
    match e {
        StepError::Changed(now) => format!(
            "{} ({}). {}",
            lang.pick(
                "Cán bộ khác vừa quyết định trước bạn",
                "Another officer has just decided this"
            ),
            verdict_label(now, lang),
            lang.pick(
                "Hãy xem lại rồi làm lại nếu cần.",
                "Check it and try again if needed."
            )
        ),
        StepError::Forbidden => lang
            .pick(
                "Vai trò của bạn không có quyền này.",
                "Your role does not allow this.",
            )
            .into(),
        StepError::NotAssignee => lang
            .pick(
                "Báo cáo này do cán bộ khác thụ lý.",
                "Another officer handles this report.",
            )
            .into(),
        StepError::WrongStatus(s) => format!(
            "{} ({})",
            lang.pick(
                "Không thực hiện được ở trạng thái hiện tại",
                "Not possible in the current status"
            ),
            status_label(s, lang)
        ),
        StepError::Clock(c) => {
            use canhgiac_core::clock::ClockError::*;
            match c {
                TooLong { max } => format!(
                    "{} {}.",
                    lang.pick(
                        "Theo Điều 147 BLTTHS, thời hạn chỉ được kéo dài tối đa đến",
                        "Under Art. 147, the limit may reach at most"
                    ),
                    fmt_day(*max)
                ),
                NotLater { current } => format!(
                    "{} ({}).",
                    lang.pick(
                        "Hạn mới phải sau hạn hiện tại",
                        "The new deadline must be after the current one"
                    ),
                    fmt_day(*current)
                ),
                ProcuracyNotAllowed => lang
                    .pick(
                        "Viện kiểm sát chỉ gia hạn một lần, sau khi đơn vị đã gia hạn.",
                        "The procuracy extends once, after the unit's own extension.",
                    )
                    .into(),
                WrongState(ClockState::Suspended) => lang
                    .pick(
                        "Đang tạm đình chỉ: hãy phục hồi trước.",
                        "Suspended: resume it first.",
                    )
                    .into(),
                WrongState(ClockState::Closed) => lang
                    .pick(
                        "Đã có quyết định: thời hạn đã dừng.",
                        "Already decided: the clock has stopped.",
                    )
                    .into(),
                WrongState(ClockState::Running) => lang
                    .pick(
                        "Đang giải quyết, không thể phục hồi.",
                        "Being handled; nothing to resume.",
                    )
                    .into(),
                BeforePrevious(_) | NotStarted => lang
                    .pick(
                        "Bước này không hợp lệ với thời hạn hiện tại.",
                        "This step does not fit the clock.",
                    )
                    .into(),
            }
        }
        StepError::ReasonRequired => lang.pick("Cần ghi lý do.", "A reason is required.").into(),
        StepError::ReasonTooLong => lang
            .pick(
                "Lý do quá dài (tối đa 2.000 ký tự).",
                "The reason is too long (2,000 characters at most).",
            )
            .into(),
        StepError::NoPendingRequest => lang
            .pick(
                "Không có đề nghị gia hạn đang chờ.",
                "There is no pending extension request.",
            )
            .into(),
        StepError::UnknownUnit => lang.pick("Không có đơn vị này.", "No such unit.").into(),
        StepError::NotFound => lang
            .pick(
                "Không tìm thấy báo cáo trong phạm vi đơn vị của bạn.",
                "No such report in your unit's scope.",
            )
            .into(),
    }
}

/// Words for a refused hold action.
fn hold_text(e: &HoldError, lang: Lang) -> String {
    match e {
        HoldError::Forbidden => lang.pick("Vai trò của bạn không có quyền này.", "Your role does not allow this.").into(),
        HoldError::NotFound => lang.pick("Không tìm thấy trong phạm vi đơn vị của bạn.", "Not found in your unit's scope.").into(),
        HoldError::NoTransfers => lang
            .pick(
                "Không còn giao dịch chuyển tiền nào (có tài khoản nhận) chưa được đề nghị tạm giữ.",
                "No transfer to a named account is left that no request lists yet.",
            )
            .into(),
        HoldError::BadTransition { from, to } => format!(
            "{} ({} → {})",
            lang.pick("Không chuyển được trạng thái", "This state cannot follow"),
            HoldState::parse(from).map(|s| s.label(lang)).unwrap_or(from),
            HoldState::parse(to).map(|s| s.label(lang)).unwrap_or(to)
        ),
        HoldError::BadAmount => lang.pick("Cần số tiền hợp lệ (đồng).", "A valid amount (VND) is needed.").into(),
        HoldError::BadTime => lang
            .pick(
                "Thời điểm không hợp lệ: ở tương lai hoặc trước khi có đề nghị.",
                "The time is in the future or before the request was made.",
            )
            .into(),
        HoldError::Changed { now } => format!(
            "{} ({}). {}",
            lang.pick(
                "Đề nghị vừa được người khác cập nhật",
                "Someone else has just updated this request"
            ),
            HoldState::parse(now).map(|s| s.label(lang)).unwrap_or(now),
            lang.pick(
                "Hãy xem lại trạng thái hiện tại rồi làm lại nếu cần.",
                "Check the current state and try again if needed."
            )
        ),
    }
}

impl Refusal for canhgiac_store::periodic::PeriodicError {
    fn status(&self) -> StatusCode {
        use canhgiac_store::periodic::PeriodicError as E;
        match self {
            E::Forbidden => StatusCode::FORBIDDEN,
            E::NotFound => StatusCode::NOT_FOUND,
            E::Stale => StatusCode::CONFLICT,
        }
    }
    fn code(&self) -> &'static str {
        use canhgiac_store::periodic::PeriodicError as E;
        match self {
            E::Forbidden => "forbidden",
            E::NotFound => "periodic_report_not_found",
            E::Stale => "stale_version",
        }
    }
    fn field(&self) -> Option<&'static str> {
        matches!(self, canhgiac_store::periodic::PeriodicError::Stale).then_some("version")
    }
    fn text(&self, lang: Lang) -> String {
        use canhgiac_store::periodic::PeriodicError as E;
        match self {
            E::Forbidden => FORBIDDEN.text(lang),
            E::NotFound => lang
                .pick("Không có báo cáo này.", "No such report.")
                .into(),
            E::Stale => lang
                .pick(
                    "Báo cáo vừa được người khác lưu; mở lại để xem bản mới rồi sửa tiếp. Nội dung bạn vừa sửa chưa được lưu.",
                    "Someone else saved the report meanwhile; open it again to see their version, then edit. Your changes were not saved.",
                )
                .into(),
        }
    }
}

impl Refusal for canhgiac_store::partners::PartnerError {
    fn status(&self) -> StatusCode {
        use canhgiac_store::partners::PartnerError as E;
        match self {
            E::Forbidden => StatusCode::FORBIDDEN,
            E::NotFound => StatusCode::NOT_FOUND,
            E::Changed | E::Disabled => StatusCode::CONFLICT,
            _ => StatusCode::UNPROCESSABLE_ENTITY,
        }
    }
    fn code(&self) -> &'static str {
        use canhgiac_store::partners::PartnerError as E;
        match self {
            E::Forbidden => "forbidden",
            E::NotFound => "not_found",
            E::BadName => "invalid_name",
            E::NameTaken => "name_taken",
            E::BadBin => "invalid_bin",
            E::BinTaken => "bin_taken",
            E::BadScopes => "invalid_scopes",
            E::BadRate => "invalid_rate",
            E::BadExpiry => "invalid_expiry",
            E::Disabled => "partner_disabled",
            E::Changed => "changed_meanwhile",
        }
    }
    fn field(&self) -> Option<&'static str> {
        use canhgiac_store::partners::PartnerError as E;
        match self {
            E::BadName | E::NameTaken => Some("name"),
            E::BadBin | E::BinTaken => Some("bank_bin"),
            E::BadScopes => Some("scopes"),
            E::BadRate => Some("per_minute"),
            E::BadExpiry => Some("expires"),
            _ => None,
        }
    }
    fn text(&self, lang: Lang) -> String {
        use canhgiac_store::partners::PartnerError as E;
        let (vi, en) = match self {
            E::Forbidden => (
                "Chỉ quản trị viên quản lý đối tác.",
                "Only administrators manage partners.",
            ),
            E::NotFound => (
                "Không tìm thấy đối tác hoặc khóa.",
                "No such partner or key.",
            ),
            E::BadName => (
                "Cần tên từ 1 đến 120 ký tự.",
                "A name of 1 to 120 characters is needed.",
            ),
            E::NameTaken => ("Đã có đối tác tên này.", "A partner already has this name."),
            E::BadBin => (
                "Ngân hàng cần mã BIN (6 chữ số); đối tác khác không có BIN.",
                "A bank needs its BIN (6 digits); other partners have none.",
            ),
            E::BinTaken => (
                "Đã có đối tác là ngân hàng này.",
                "Another partner is this bank.",
            ),
            E::BadScopes => (
                "Chọn ít nhất một quyền; chỉ ngân hàng được trả lời đề nghị tạm giữ.",
                "Choose at least one scope; only banks answer hold requests.",
            ),
            E::BadRate => (
                "Số yêu cầu mỗi phút từ 1 đến 10.000.000.",
                "Between 1 and 10,000,000 requests a minute.",
            ),
            E::BadExpiry => ("Ngày hết hạn đã qua.", "The expiry is in the past."),
            E::Disabled => ("Đối tác đang bị tạm ngừng.", "The partner is disabled."),
            E::Changed => (
                "Đã có người thay đổi trước bạn; hãy tải lại trang rồi làm lại nếu cần.",
                "Someone changed it first; reload the page and try again if needed.",
            ),
        };
        lang.pick(vi, en).into()
    }
}
