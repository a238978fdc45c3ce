//! The officer API under `/api/v1/officer/`: the same session as the console (a
//! cookie), with the session's CSRF token in `X-CSRF-Token` on every unsafe call.

use axum::extract::{Path, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use canhgiac_core::clock::{local_date, ClockState};
use canhgiac_core::i18n::Lang;
use canhgiac_core::roles::Permission;
use canhgiac_store::audit::AuditCheck;
use canhgiac_store::console::OfficerReport;
use canhgiac_store::handling::{BulkAction, StepError};
use canhgiac_store::officers::{LoginOutcome, Officer};
use serde::{Deserialize, Serialize};
use serde_json::json;
use utoipa::ToSchema;

use super::auth::{forbidden, session_cookie, ApiOfficer};
use super::queue::QueueQuery;
use super::report::{step_error_text, step_form_error_text, StepForm};
use crate::error::{from_store, ApiError};
use crate::json::ApiJson;
use crate::lang::ReqLang;
use crate::AppState;

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

fn store_error(lang: Lang, e: canhgiac_store::StoreError) -> Response {
    from_store(lang, e).into_response()
}

fn step_error(e: &StepError, lang: Lang) -> Response {
    let (status, code) = match e {
        StepError::Forbidden => (StatusCode::FORBIDDEN, "forbidden"),
        StepError::NotAssignee => (StatusCode::FORBIDDEN, "not_assignee"),
        StepError::NotFound => (StatusCode::NOT_FOUND, "report_not_found"),
        StepError::WrongStatus(_) => (StatusCode::CONFLICT, "wrong_status"),
        StepError::Changed(_) => (StatusCode::CONFLICT, "changed_meanwhile"),
        StepError::Clock(_) => (StatusCode::UNPROCESSABLE_ENTITY, "time_limit"),
        StepError::ReasonRequired => (StatusCode::UNPROCESSABLE_ENTITY, "reason_required"),
        StepError::ReasonTooLong => (StatusCode::UNPROCESSABLE_ENTITY, "reason_too_long"),
        StepError::NoPendingRequest => (StatusCode::CONFLICT, "no_pending_request"),
        StepError::UnknownUnit => (StatusCode::UNPROCESSABLE_ENTITY, "unknown_unit"),
    };
    let mut err = ApiError::new(status, code, step_error_text(e, lang));
    if matches!(e, StepError::ReasonRequired | StepError::ReasonTooLong) {
        err = err.field("reason");
    }
    err.into_response()
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

/// The triage queue.
#[utoipa::path(
    get,
    path = "/api/v1/officer/reports",
    tag = "officer",
    params(
        ("status" = Option<String>, Query, description = "A status, `all`, or empty for the open ones"),
        ("method" = Option<String>, Query), ("channel" = Option<String>, Query), ("place" = Option<i64>, Query),
        ("from" = Option<String>, Query, description = "YYYY-MM-DD"), ("to" = Option<String>, Query, description = "YYYY-MM-DD, inclusive"),
        ("min" = Option<String>, Query, description = "Least amount lost, VND: digits, thousands dots allowed (`5.000.000`)"), ("max" = Option<String>, Query, description = "Largest amount lost, VND, as `min`"), ("unit" = Option<i64>, Query),
        ("assignee" = Option<i64>, Query, description = "0 for nobody"), ("q" = Option<String>, Query, description = "Words of the narrative; diacritics optional"),
        ("page" = Option<i64>, Query)
    ),
    responses((status = 200, description = "`{items, total, page}`, most urgent first", body = Object), (status = 401, body = crate::error::ErrorBody), (status = 422, body = crate::error::ErrorBody))
)]
pub async fn queue(
    State(state): State<AppState>,
    who: ApiOfficer,
    crate::json::ApiQuery(q): crate::json::ApiQuery<QueueQuery>,
) -> Response {
    if let Err(e) = who.require(Permission::ViewReports) {
        return e.into_response();
    }
    let (filter, bad) = q.filter();
    if let Some(field) = bad.first() {
        return ApiError::localized(
            StatusCode::UNPROCESSABLE_ENTITY,
            "bad_filter",
            who.lang,
            "Không đọc được bộ lọc.",
            "A filter could not be read.",
        )
        .field(field)
        .into_response();
    }
    let now = time::OffsetDateTime::now_utc().unix_timestamp();
    match state
        .store
        .queue(who.officer(), &filter, &state.index, now)
        .await
    {
        Ok(page) => Json(page).into_response(),
        Err(e) => store_error(who.lang, e),
    }
}

fn report_json(r: &OfficerReport) -> serde_json::Value {
    let today = local_date(time::OffsetDateTime::now_utc().unix_timestamp());
    let clock = r.clock.as_ref().map(|c| {
        json!({
            "received": c.received.to_string(),
            "deadline": c.deadline.to_string(),
            "days_left": c.days_left(today),
            "state": match c.state { ClockState::Running => "running", ClockState::Suspended => "suspended", ClockState::Closed => "closed" },
            "extended": c.extended,
            "procuracy_extended": c.procuracy_extended,
            "max_extension": c.max_extension().map(|d| d.to_string()),
            "max_procuracy_extension": c.max_procuracy_extension().map(|d| d.to_string()),
        })
    });
    let mut v = serde_json::to_value(r).unwrap_or_else(|_| json!({}));
    if let Some(obj) = v.as_object_mut() {
        obj.insert("clock".into(), clock.unwrap_or(serde_json::Value::Null));
    }
    v
}

async fn one_report(state: &AppState, who: &ApiOfficer, id: i64) -> Response {
    match state
        .store
        .officer_report(who.officer(), id, &state.index)
        .await
    {
        Ok(Some(r)) => Json(report_json(&r)).into_response(),
        Ok(None) => step_error(&StepError::NotFound, who.lang),
        Err(e) => store_error(who.lang, e),
    }
}

/// One report with its clock, identifiers and history (never the reporter).
#[utoipa::path(
    get,
    path = "/api/v1/officer/reports/{id}",
    tag = "officer",
    params(("id" = i64, Path)),
    responses((status = 200, description = "The report; `clock` is null until formal receipt", body = Object), (status = 404, body = crate::error::ErrorBody))
)]
pub async fn report(
    State(state): State<AppState>,
    who: ApiOfficer,
    Path(id): Path<String>,
) -> Response {
    let Ok(id) = id.parse::<i64>() else {
        return step_error(&StepError::NotFound, who.lang);
    };
    if let Err(e) = who.require(Permission::ViewReports) {
        return e.into_response();
    }
    one_report(&state, &who, id).await
}

/// A step on a report.
#[derive(Debug, Deserialize, ToSchema)]
pub struct StepBody {
    /// `receive`, `request_extension`, `approve_extension`, `refuse_extension`,
    /// `procuracy_extension`, `suspend`, `resume`, `open_case`, `no_case`,
    /// `transfer_unit`, `transfer_out`.
    pub action: String,
    /// New deadline (YYYY-MM-DD) for extensions.
    #[serde(default)]
    pub until: Option<String>,
    /// Why (required except to receive or approve).
    #[serde(default)]
    pub reason: Option<String>,
    /// The extension request to approve or refuse.
    #[serde(default)]
    pub request_id: Option<i64>,
    /// Unit to transfer to.
    #[serde(default)]
    pub unit_id: Option<i64>,
    /// Body in another province to transfer to.
    #[serde(default)]
    pub to: Option<String>,
}

/// Records a step; answers the report as it is after the step.
#[utoipa::path(
    post,
    path = "/api/v1/officer/reports/{id}/steps",
    tag = "officer",
    params(("id" = i64, Path)),
    request_body = StepBody,
    responses(
        (status = 200, description = "The report after the step", body = Object),
        (status = 403, description = "Role or assignment does not allow it", body = crate::error::ErrorBody),
        (status = 409, description = "Not possible in this status", body = crate::error::ErrorBody),
        (status = 422, description = "Reason missing, date beyond the legal limit, ...", body = crate::error::ErrorBody)
    )
)]
pub async fn step(
    State(state): State<AppState>,
    who: ApiOfficer,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<StepBody>,
) -> Response {
    let Ok(id) = id.parse::<i64>() else {
        return step_error(&StepError::NotFound, who.lang);
    };
    let form = StepForm {
        action: body.action,
        until: body.until.unwrap_or_default(),
        reason: body.reason.unwrap_or_default(),
        request_id: body.request_id.map(|i| i.to_string()).unwrap_or_default(),
        unit_id: body.unit_id.map(|i| i.to_string()).unwrap_or_default(),
        to: body.to.unwrap_or_default(),
    };
    let step = match form.step() {
        Ok(s) => s,
        Err(e) => {
            let field = match e {
                super::report::StepFormError::Action => "action",
                super::report::StepFormError::Date => "until",
                super::report::StepFormError::Number(f) => f,
            };
            return ApiError::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                "invalid_step",
                step_form_error_text(&e, who.lang),
            )
            .field(field)
            .into_response();
        }
    };
    let now = time::OffsetDateTime::now_utc().unix_timestamp();
    match state.store.record_step(who.officer(), id, step, now).await {
        Ok(Ok(())) => one_report(&state, &who, id).await,
        Ok(Err(e)) => step_error(&e, who.lang),
        Err(e) => store_error(who.lang, e),
    }
}

/// A bulk action.
#[derive(Debug, Deserialize, ToSchema)]
pub struct BulkBody {
    /// Report ids (at most 500).
    pub ids: Vec<i64>,
    /// `assign`, `merge` (into the first id) or `not_crime`.
    pub action: String,
    /// Officer to assign to.
    #[serde(default)]
    pub officer_id: Option<i64>,
    /// Why (for `not_crime`).
    #[serde(default)]
    pub reason: Option<String>,
}

/// Assign, merge duplicates, or set aside reports in bulk.
#[utoipa::path(
    post,
    path = "/api/v1/officer/reports/bulk",
    tag = "officer",
    request_body = BulkBody,
    responses((status = 200, description = "`{changed}`", body = Object), (status = 403, body = crate::error::ErrorBody), (status = 422, body = crate::error::ErrorBody))
)]
pub async fn bulk(
    State(state): State<AppState>,
    who: ApiOfficer,
    ApiJson(body): ApiJson<BulkBody>,
) -> Response {
    if let Err(e) = who.require(Permission::ManageQueue) {
        return e.into_response();
    }
    let action = match (body.action.as_str(), body.officer_id) {
        ("assign", Some(officer_id)) => BulkAction::Assign { officer_id },
        ("merge", _) => BulkAction::Merge,
        ("not_crime", _) => BulkAction::NotCrime {
            reason: body.reason.unwrap_or_default(),
        },
        _ => {
            return ApiError::localized(
                StatusCode::UNPROCESSABLE_ENTITY,
                "invalid_action",
                who.lang,
                "Thao tác không hợp lệ (assign cần officer_id).",
                "Unknown action (assign needs officer_id).",
            )
            .field("action")
            .into_response()
        }
    };
    if body.ids.is_empty() || body.ids.len() > 500 {
        return ApiError::localized(
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid_ids",
            who.lang,
            "Cần từ 1 đến 500 báo cáo.",
            "Between 1 and 500 reports are needed.",
        )
        .field("ids")
        .into_response();
    }
    let now = time::OffsetDateTime::now_utc().unix_timestamp();
    match state
        .store
        .bulk(who.officer(), &body.ids, action, now)
        .await
    {
        Ok(Ok(changed)) => Json(json!({ "changed": changed })).into_response(),
        Ok(Err(e)) => step_error(&e, who.lang),
        Err(e) => store_error(who.lang, e),
    }
}

/// Why personal data is opened.
#[derive(Debug, Deserialize, ToSchema)]
pub struct ReasonBody {
    /// Written to the audit log.
    pub reason: String,
}

/// A reporter's contact details (audited; not for analysts).
#[utoipa::path(
    post,
    path = "/api/v1/officer/reports/{id}/reporter",
    tag = "officer",
    params(("id" = i64, Path)),
    request_body = ReasonBody,
    responses((status = 200, description = "`{contact}`, null when none was given", body = Object), (status = 403, body = crate::error::ErrorBody), (status = 422, body = crate::error::ErrorBody))
)]
pub async fn reporter(
    State(state): State<AppState>,
    who: ApiOfficer,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<ReasonBody>,
) -> Response {
    let Ok(id) = id.parse::<i64>() else {
        return step_error(&StepError::NotFound, who.lang);
    };
    if let Err(e) = who.require(Permission::ViewReporterIdentity) {
        return e.into_response();
    }
    match state
        .store
        .reporter_contact(who.officer(), id, &body.reason)
        .await
    {
        Ok(Ok(contact)) => {
            let mut r = Json(json!({ "contact": contact })).into_response();
            r.headers_mut().insert(
                header::CACHE_CONTROL,
                header::HeaderValue::from_static("no-store, private"),
            );
            r
        }
        Ok(Err(e)) => step_error(&e, who.lang),
        Err(e) => store_error(who.lang, e),
    }
}

/// An officer's verdict on an identifier.
#[derive(Debug, Deserialize, ToSchema)]
pub struct VerdictBody {
    /// `verified` (a scam: `dangerous` in the public check) or `cleared`.
    pub verdict: String,
    /// Why.
    pub reason: String,
    /// The verdict you saw (`verified`, `cleared`, or `none`): if it changed since,
    /// the decision is refused with 409 `changed_meanwhile`.
    #[serde(default)]
    pub from: Option<String>,
}

/// Verify an identifier as a scam, or clear it.
#[utoipa::path(
    put,
    path = "/api/v1/officer/identifiers/{key}",
    tag = "officer",
    params(("key" = String, Path, description = "Identifier key, e.g. `phone:+84912345678`")),
    request_body = VerdictBody,
    responses((status = 204, description = "Recorded; the public check follows"), (status = 403, body = crate::error::ErrorBody), (status = 404, body = crate::error::ErrorBody), (status = 422, body = crate::error::ErrorBody))
)]
pub async fn identifier(
    State(state): State<AppState>,
    who: ApiOfficer,
    Path(key): Path<String>,
    ApiJson(body): ApiJson<VerdictBody>,
) -> Response {
    if let Err(e) = who.require(Permission::VerifyIdentifiers) {
        return e.into_response();
    }
    let verified = match body.verdict.as_str() {
        "verified" => true,
        "cleared" => false,
        _ => {
            return ApiError::localized(
                StatusCode::UNPROCESSABLE_ENTITY,
                "invalid_verdict",
                who.lang,
                "Kết luận phải là verified hoặc cleared.",
                "The verdict must be verified or cleared.",
            )
            .field("verdict")
            .into_response()
        }
    };
    let now = time::OffsetDateTime::now_utc().unix_timestamp();
    match state
        .store
        .set_identifier_status(
            who.officer(),
            &key,
            verified,
            body.from.as_deref(),
            &body.reason,
            now,
        )
        .await
    {
        Ok(Ok(())) => {
            if let Err(e) = state.index.catch_up(&state.store).await {
                tracing::warn!(error = %e, "index catch-up after a verdict failed");
            }
            StatusCode::NO_CONTENT.into_response()
        }
        Ok(Err(StepError::NotFound)) => ApiError::localized(
            StatusCode::NOT_FOUND,
            "identifier_not_found",
            who.lang,
            "Định danh này chưa có trong báo cáo nào.",
            "No report names this identifier.",
        )
        .into_response(),
        Ok(Err(e)) => step_error(&e, who.lang),
        Err(e) => store_error(who.lang, e),
    }
}

/// Received reports by deadline.
#[utoipa::path(get, path = "/api/v1/officer/deadlines", tag = "officer", responses((status = 200, description = "Reports with a running clock, soonest deadline first", body = [Object])))]
pub async fn deadlines(State(state): State<AppState>, who: ApiOfficer) -> Response {
    if let Err(e) = who.require(Permission::ViewReports) {
        return e.into_response();
    }
    let today = local_date(time::OffsetDateTime::now_utc().unix_timestamp());
    match state.store.deadlines(who.officer()).await {
        Ok(list) => Json(
            list.into_iter()
                .map(|(id, code, assignee, c)| json!({ "id": id, "tracking_code": code, "assignee": assignee, "deadline": c.deadline.to_string(), "days_left": c.days_left(today) }))
                .collect::<Vec<_>>(),
        )
        .into_response(),
        Err(e) => store_error(who.lang, e),
    }
}

/// Paging of the audit log.
#[derive(Debug, Deserialize, Default)]
pub struct AuditParams {
    /// Entries before this sequence number.
    #[serde(default)]
    pub before: Option<i64>,
    /// Only this action.
    #[serde(default)]
    pub action: Option<String>,
}

/// The audit log and the state of its hash chain (administrators).
#[utoipa::path(
    get,
    path = "/api/v1/officer/audit",
    tag = "officer",
    params(("before" = Option<i64>, Query), ("action" = Option<String>, Query)),
    responses((status = 200, description = "`{chain, entries}`", body = Object), (status = 403, body = crate::error::ErrorBody))
)]
pub async fn audit(
    State(state): State<AppState>,
    who: ApiOfficer,
    crate::json::ApiQuery(p): crate::json::ApiQuery<AuditParams>,
) -> Response {
    if who.require(Permission::ViewAudit).is_err() {
        return forbidden(who.lang).into_response();
    }
    let chain = match state.store.verify_audit().await {
        Ok(AuditCheck::Intact { entries, head }) => {
            json!({ "intact": true, "entries": entries, "head": head })
        }
        Ok(AuditCheck::Broken { seq, problem }) => {
            json!({ "intact": false, "broken_at": seq, "problem": problem })
        }
        Err(e) => return store_error(who.lang, e),
    };
    let action = p
        .action
        .as_deref()
        .map(str::trim)
        .filter(|a| !a.is_empty() && a.len() <= 64);
    match state.store.audit_entries(p.before, 100, action).await {
        Ok(entries) => Json(json!({ "chain": chain, "entries": entries })).into_response(),
        Err(e) => store_error(who.lang, e),
    }
}

/// The largest rings.
#[utoipa::path(get, path = "/api/v1/officer/rings", tag = "officer", responses((status = 200, description = "`[{id, size}]`, largest first (rings of at least 2 reports)", body = [Object])))]
pub async fn rings(State(state): State<AppState>, who: ApiOfficer) -> Response {
    if let Err(e) = who.require(Permission::ViewReports) {
        return e.into_response();
    }
    let list: Vec<serde_json::Value> = state
        .index
        .largest_rings(2, 100)
        .into_iter()
        .map(|(id, size)| json!({ "id": id, "size": size }))
        .collect();
    Json(list).into_response()
}

/// The ring of a report: its reports, identifiers, links, victims, loss, span.
#[utoipa::path(
    get,
    path = "/api/v1/officer/rings/{id}",
    tag = "officer",
    params(("id" = i64, Path, description = "Any report id of the ring")),
    responses((status = 200, description = "The ring as far as the officer's unit may see it", body = Object), (status = 404, body = crate::error::ErrorBody))
)]
pub async fn ring(
    State(state): State<AppState>,
    who: ApiOfficer,
    Path(id): Path<String>,
) -> Response {
    if let Err(e) = who.require(Permission::ViewReports) {
        return e.into_response();
    }
    let Ok(id) = id.parse::<i64>() else {
        return step_error(&StepError::NotFound, who.lang);
    };
    match state.store.ring(who.officer(), id, &state.index).await {
        Ok(Some(r)) => Json(r).into_response(),
        Ok(None) => step_error(&StepError::NotFound, who.lang),
        Err(e) => store_error(who.lang, e),
    }
}

fn hold_error(e: &canhgiac_store::holds::HoldError, lang: Lang) -> Response {
    use canhgiac_store::holds::HoldError;
    let (status, code, field) = match e {
        HoldError::Forbidden => (StatusCode::FORBIDDEN, "forbidden", None),
        HoldError::NotFound => (StatusCode::NOT_FOUND, "not_found", None),
        HoldError::NoTransfers => (StatusCode::UNPROCESSABLE_ENTITY, "no_transfers", None),
        HoldError::BadTransition { .. } => (StatusCode::CONFLICT, "bad_transition", Some("state")),
        HoldError::Changed { .. } => (StatusCode::CONFLICT, "changed_meanwhile", Some("from")),
        HoldError::BadAmount => (
            StatusCode::UNPROCESSABLE_ENTITY,
            "bad_amount",
            Some("amount_vnd"),
        ),
    };
    let mut err = ApiError::new(status, code, super::holds::hold_error_text(e, lang));
    if let Some(f) = field {
        err = err.field(f);
    }
    err.into_response()
}

/// Which transfers to hold.
#[derive(Debug, Deserialize, ToSchema, Default)]
pub struct HoldBody {
    /// Include every transfer of the report's ring.
    #[serde(default)]
    pub whole_ring: bool,
}

/// Makes hold requests, one per bank, for the transfers of a report (or its ring)
/// that no request lists yet.
#[utoipa::path(
    post,
    path = "/api/v1/officer/reports/{id}/holds",
    tag = "officer",
    params(("id" = i64, Path)),
    request_body = HoldBody,
    responses((status = 201, description = "`{ids}` of the new requests", body = Object), (status = 403, body = crate::error::ErrorBody), (status = 422, description = "No transfer left to hold", body = crate::error::ErrorBody))
)]
pub async fn create_holds(
    State(state): State<AppState>,
    who: ApiOfficer,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<HoldBody>,
) -> Response {
    let Ok(id) = id.parse::<i64>() else {
        return step_error(&StepError::NotFound, who.lang);
    };
    match state
        .store
        .create_holds(who.officer(), id, body.whole_ring, &state.index)
        .await
    {
        Ok(Ok(ids)) => (StatusCode::CREATED, Json(json!({ "ids": ids }))).into_response(),
        Ok(Err(e)) => hold_error(&e, who.lang),
        Err(e) => store_error(who.lang, e),
    }
}

/// Hold requests, newest first.
#[utoipa::path(get, path = "/api/v1/officer/holds", tag = "officer", responses((status = 200, description = "Requests with their state and amount held", body = [Object])))]
pub async fn holds(State(state): State<AppState>, who: ApiOfficer) -> Response {
    if let Err(e) = who.require(Permission::ViewReports) {
        return e.into_response();
    }
    match state.store.hold_requests(who.officer(), None, 500).await {
        Ok(list) => Json(list).into_response(),
        Err(e) => store_error(who.lang, e),
    }
}

/// One hold request in the machine-readable form sent to banks.
#[utoipa::path(
    get,
    path = "/api/v1/officer/holds/{id}",
    tag = "officer",
    params(("id" = i64, Path)),
    responses((status = 200, description = "`canhgiac.hold_request` v1: bank, accounts with their transfers, victims' report codes, state", body = Object), (status = 404, body = crate::error::ErrorBody))
)]
pub async fn hold(
    State(state): State<AppState>,
    who: ApiOfficer,
    Path(id): Path<String>,
) -> Response {
    if let Err(e) = who.require(Permission::ViewReports) {
        return e.into_response();
    }
    let Ok(id) = id.parse::<i64>() else {
        return hold_error(&canhgiac_store::holds::HoldError::NotFound, who.lang);
    };
    match state.store.hold_request(who.officer(), id).await {
        Ok(Some(req)) => {
            let province = state.store.province().name.clone();
            let bank = super::holds::bank_name(&req.bank_bin);
            let ctx = super::letter::LetterContext {
                province: &province,
                bank_name: &bank,
                hotline: super::holds::hotline(&province),
            };
            Json(super::letter::json(&req, &ctx)).into_response()
        }
        Ok(None) => hold_error(&canhgiac_store::holds::HoldError::NotFound, who.lang),
        Err(e) => store_error(who.lang, e),
    }
}

/// A state change of a hold request.
#[derive(Debug, Deserialize, ToSchema)]
pub struct HoldStateBody {
    /// `sent`, `acknowledged`, `held`, `refused` or `released`.
    pub state: String,
    /// The state you saw (`created`, `sent`, …): if the request has changed since,
    /// the change is refused with 409 `changed_meanwhile` instead of overwriting it.
    #[serde(default)]
    pub from: Option<String>,
    /// Amount the bank holds, VND (required for `held`).
    #[serde(default)]
    pub amount_vnd: Option<i64>,
    /// The bank's reply, contact...
    #[serde(default)]
    pub note: Option<String>,
}

/// Records what the bank did.
#[utoipa::path(
    post,
    path = "/api/v1/officer/holds/{id}/state",
    tag = "officer",
    params(("id" = i64, Path)),
    request_body = HoldStateBody,
    responses((status = 204, description = "Recorded"), (status = 409, description = "This state cannot follow the current one, or the request changed since the state you saw (`from`)", body = crate::error::ErrorBody), (status = 422, body = crate::error::ErrorBody))
)]
pub async fn hold_state(
    State(state): State<AppState>,
    who: ApiOfficer,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<HoldStateBody>,
) -> Response {
    let Ok(id) = id.parse::<i64>() else {
        return hold_error(&canhgiac_store::holds::HoldError::NotFound, who.lang);
    };
    let Some(next) = canhgiac_core::holds::HoldState::parse(&body.state) else {
        return ApiError::localized(
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid_state",
            who.lang,
            "Trạng thái không hợp lệ.",
            "Unknown state.",
        )
        .field("state")
        .into_response();
    };
    let expected = match body.from.as_deref() {
        None => None,
        Some(from) => match canhgiac_core::holds::HoldState::parse(from) {
            Some(s) => Some(s),
            None => {
                return ApiError::localized(
                    StatusCode::UNPROCESSABLE_ENTITY,
                    "invalid_state",
                    who.lang,
                    "Trạng thái đã thấy (from) không hợp lệ.",
                    "The state you saw (from) is unknown.",
                )
                .field("from")
                .into_response()
            }
        },
    };
    match state
        .store
        .set_hold_state(
            who.officer(),
            id,
            next,
            expected,
            body.amount_vnd,
            body.note.as_deref().unwrap_or(""),
        )
        .await
    {
        Ok(Ok(())) => StatusCode::NO_CONTENT.into_response(),
        Ok(Err(e)) => hold_error(&e, who.lang),
        Err(e) => store_error(who.lang, e),
    }
}

/// Money returned to a victim.
#[derive(Debug, Deserialize, ToSchema)]
pub struct RecoveryBody {
    /// VND, more than 0.
    pub amount_vnd: i64,
    /// Note.
    #[serde(default)]
    pub note: Option<String>,
}

/// Records money recovered for the victim of a report.
#[utoipa::path(
    post,
    path = "/api/v1/officer/reports/{id}/recoveries",
    tag = "officer",
    params(("id" = i64, Path)),
    request_body = RecoveryBody,
    responses((status = 204, description = "Recorded"), (status = 422, body = crate::error::ErrorBody))
)]
pub async fn recovery(
    State(state): State<AppState>,
    who: ApiOfficer,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<RecoveryBody>,
) -> Response {
    let Ok(id) = id.parse::<i64>() else {
        return hold_error(&canhgiac_store::holds::HoldError::NotFound, who.lang);
    };
    match state
        .store
        .record_recovery(
            who.officer(),
            id,
            body.amount_vnd,
            body.note.as_deref().unwrap_or(""),
        )
        .await
    {
        Ok(Ok(())) => StatusCode::NO_CONTENT.into_response(),
        Ok(Err(e)) => hold_error(&e, who.lang),
        Err(e) => store_error(who.lang, e),
    }
}

/// Which disputes.
#[derive(Debug, Deserialize, Default)]
pub struct DisputeParams {
    /// `open` (default), `kept` or `cleared`.
    #[serde(default)]
    pub status: Option<String>,
}

/// Requests for review, oldest first.
#[utoipa::path(
    get,
    path = "/api/v1/officer/disputes",
    tag = "officer",
    params(("status" = Option<String>, Query, description = "open (default), kept or cleared")),
    responses((status = 200, description = "Disputes without the requesters' contacts", body = [Object]), (status = 422, body = crate::error::ErrorBody))
)]
pub async fn disputes(
    State(state): State<AppState>,
    who: ApiOfficer,
    crate::json::ApiQuery(p): crate::json::ApiQuery<DisputeParams>,
) -> Response {
    if let Err(e) = who.require(Permission::ViewReports) {
        return e.into_response();
    }
    let status = p.status.as_deref().unwrap_or("open");
    if !matches!(status, "open" | "kept" | "cleared") {
        return ApiError::localized(
            StatusCode::UNPROCESSABLE_ENTITY,
            "bad_filter",
            who.lang,
            "Trạng thái phải là open, kept hoặc cleared.",
            "The status must be open, kept or cleared.",
        )
        .field("status")
        .into_response();
    }
    match state.store.disputes(status, 500).await {
        Ok(list) => Json(list).into_response(),
        Err(e) => store_error(who.lang, e),
    }
}

/// A decision on a dispute.
#[derive(Debug, Deserialize, ToSchema)]
pub struct DisputeDecisionBody {
    /// `keep` or `clear` (clearing changes the public verdict at once).
    pub decision: String,
    /// Shown to the requester.
    pub reason: String,
}

/// Keeps or clears a listing after a dispute.
#[utoipa::path(
    post,
    path = "/api/v1/officer/disputes/{id}/decision",
    tag = "officer",
    params(("id" = i64, Path)),
    request_body = DisputeDecisionBody,
    responses((status = 204, description = "Decided"), (status = 403, body = crate::error::ErrorBody), (status = 409, description = "Already decided", body = crate::error::ErrorBody), (status = 422, body = crate::error::ErrorBody))
)]
pub async fn dispute_decision(
    State(state): State<AppState>,
    who: ApiOfficer,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<DisputeDecisionBody>,
) -> Response {
    if let Err(e) = who.require(Permission::VerifyIdentifiers) {
        return e.into_response();
    }
    let Ok(id) = id.parse::<i64>() else {
        return step_error(&StepError::NotFound, who.lang);
    };
    let clear = match body.decision.as_str() {
        "clear" => true,
        "keep" => false,
        _ => {
            return ApiError::localized(
                StatusCode::UNPROCESSABLE_ENTITY,
                "invalid_decision",
                who.lang,
                "Quyết định phải là keep hoặc clear.",
                "The decision must be keep or clear.",
            )
            .field("decision")
            .into_response()
        }
    };
    let now = time::OffsetDateTime::now_utc().unix_timestamp();
    match state
        .store
        .decide_dispute(who.officer(), id, clear, &body.reason, now)
        .await
    {
        Ok(Ok(())) => {
            if let Err(e) = state.index.catch_up(&state.store).await {
                tracing::warn!(error = %e, "index catch-up after a dispute failed");
            }
            StatusCode::NO_CONTENT.into_response()
        }
        Ok(Err(e)) => step_error(&e, who.lang),
        Err(e) => store_error(who.lang, e),
    }
}
