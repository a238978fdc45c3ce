//! The triage queue, one report, its steps, bulk actions, the reporter's contact,
//! and deadlines.

use axum::extract::{Path, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use canhgiac_core::clock::{local_date, ClockState};
use canhgiac_core::roles::Permission;
use canhgiac_store::console::OfficerReport;
use canhgiac_store::handling::{BulkAction, StepError};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::console::auth::ApiOfficer;
use crate::console::queue::QueueQuery;
use crate::error::ApiError;
use crate::json::ApiJson;
use crate::AppState;
use canhgiac_core::case::StepForm;

use super::{step_error, store_error};

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
        ("assignee" = Option<i64>, Query, description = "0 for nobody"), ("q" = Option<String>, Query, description = "A tracking code, an identifier in any spelling (a bare number is also looked up as an account at every bank), or words of the narrative; diacritics optional"),
        ("page" = Option<i64>, Query)
    ),
    responses((status = 200, description = "One page of the queue, most urgent first", body = canhgiac_store::console::QueuePage), (status = 401, body = crate::error::ErrorBody), (status = 422, body = crate::error::ErrorBody))
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

/// The statutory clock of a received report.
#[derive(Debug, Serialize, ToSchema)]
pub struct ClockAnswer {
    /// Formal receipt (YYYY-MM-DD).
    pub received: String,
    /// The deadline now (YYYY-MM-DD).
    pub deadline: String,
    /// Days until the deadline (negative when overdue); none while suspended.
    pub days_left: Option<i64>,
    /// `running`, `suspended` or `closed`.
    pub state: &'static str,
    /// A leader extended it.
    pub extended: bool,
    /// The procuracy extended it.
    pub procuracy_extended: bool,
    /// The latest a leader may extend to.
    pub max_extension: Option<String>,
    /// The latest the procuracy may extend to.
    pub max_procuracy_extension: Option<String>,
}

/// One report as an officer sees it, with its clock (never the reporter).
#[derive(Debug, Serialize, ToSchema)]
pub struct ReportAnswer {
    /// The report.
    #[serde(flatten)]
    pub report: OfficerReport,
    /// Null until formal receipt.
    pub clock: Option<ClockAnswer>,
}

fn report_json(r: OfficerReport) -> ReportAnswer {
    let today = local_date(time::OffsetDateTime::now_utc().unix_timestamp());
    let clock = r.clock.as_ref().map(|c| ClockAnswer {
        received: c.received.to_string(),
        deadline: c.deadline.to_string(),
        days_left: c.days_left(today),
        state: match c.state {
            ClockState::Running => "running",
            ClockState::Suspended => "suspended",
            ClockState::Closed => "closed",
        },
        extended: c.extended,
        procuracy_extended: c.procuracy_extended,
        max_extension: c.max_extension().map(|d| d.to_string()),
        max_procuracy_extension: c.max_procuracy_extension().map(|d| d.to_string()),
    });
    ReportAnswer { report: r, clock }
}

async fn one_report(state: &AppState, who: &ApiOfficer, id: i64) -> Response {
    match state
        .store
        .officer_report(who.officer(), id, &state.index)
        .await
    {
        Ok(Some(r)) => Json(report_json(r)).into_response(),
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
    responses((status = 200, description = "The report; `clock` is null until formal receipt", body = ReportAnswer), (status = 404, body = crate::error::ErrorBody))
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
        (status = 200, description = "The report after the step", body = ReportAnswer),
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
        Err(e) => return ApiError::refused(&e, who.lang).into_response(),
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
    responses((status = 200, description = "How many reports changed", body = BulkAnswer), (status = 403, body = crate::error::ErrorBody), (status = 422, body = crate::error::ErrorBody))
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
        Ok(Ok(changed)) => Json(BulkAnswer { changed }).into_response(),
        Ok(Err(e)) => step_error(&e, who.lang),
        Err(e) => store_error(who.lang, e),
    }
}

/// The result of a bulk action.
#[derive(Debug, Serialize, ToSchema)]
pub struct BulkAnswer {
    /// Reports changed (those outside the officer's scope or in another status are
    /// skipped).
    pub changed: usize,
}

/// A report whose statutory clock runs, by deadline.
#[derive(Debug, Serialize, ToSchema)]
pub struct DeadlineItem {
    /// Report id.
    pub id: i64,
    /// Tracking code.
    pub tracking_code: String,
    /// The officer handling it, if any.
    pub assignee: Option<String>,
    /// Deadline, `YYYY-MM-DD`.
    pub deadline: String,
    /// Days left (negative: overdue); null when the clock is suspended.
    pub days_left: Option<i64>,
}

/// Why personal data is opened.
#[derive(Debug, Deserialize, ToSchema)]
pub struct ReasonBody {
    /// Written to the audit log.
    pub reason: String,
}

/// A reporter's contact details.
#[derive(Debug, Serialize, ToSchema)]
pub struct ContactAnswer {
    /// Null when the reporter gave none.
    pub contact: Option<canhgiac_core::intake::ReporterContact>,
}

/// A reporter's contact details (audited; not for analysts).
#[utoipa::path(
    post,
    path = "/api/v1/officer/reports/{id}/reporter",
    tag = "officer",
    params(("id" = i64, Path)),
    request_body = ReasonBody,
    responses((status = 200, description = "The contact, null when none was given", body = ContactAnswer), (status = 403, body = crate::error::ErrorBody), (status = 422, body = crate::error::ErrorBody))
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
            let mut r = Json(ContactAnswer { contact }).into_response();
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

/// Received reports by deadline.
#[utoipa::path(get, path = "/api/v1/officer/deadlines", tag = "officer", responses((status = 200, description = "Reports with a running clock, soonest deadline first", body = [DeadlineItem])))]
pub async fn deadlines(State(state): State<AppState>, who: ApiOfficer) -> Response {
    if let Err(e) = who.require(Permission::ViewReports) {
        return e.into_response();
    }
    let today = local_date(time::OffsetDateTime::now_utc().unix_timestamp());
    match state.store.deadlines(who.officer()).await {
        Ok(list) => Json(
            list.into_iter()
                .map(|(id, code, assignee, c)| DeadlineItem {
                    id,
                    tracking_code: code,
                    assignee,
                    deadline: c.deadline.to_string(),
                    days_left: c.days_left(today),
                })
                .collect::<Vec<_>>(),
        )
        .into_response(),
        Err(e) => store_error(who.lang, e),
    }
}
