//! Bulk reports from a partner (scope `reports:submit`): a platform or a carrier sends
//! the reports its users made to it, with the partner as their source. Every report is
//! checked as the public API checks it; one invalid report refuses the batch with each
//! error's path (`reports[3].identifiers[0].value`), and then nothing is stored.

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use canhgiac_core::intake::{validate, FieldError, ReportInput};
use canhgiac_core::partner::KeyScope;
use canhgiac_store::{NewReport, Source};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::Partner;
use crate::error::ApiError;
use crate::json::ApiJson;
use crate::AppState;

/// Most reports in one batch.
pub const MAX_BATCH: usize = 500;

/// A batch of reports.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReportBatch {
    /// 1 to 500 reports, each as `POST /api/v1/reports` takes it (no evidence files).
    pub reports: Vec<ReportInput>,
}

/// One report stored.
#[derive(Debug, Serialize, ToSchema)]
pub struct BatchReceipt {
    /// Its tracking code (the reporter follows the report with it and the secret).
    pub tracking_code: String,
    /// The secret that goes with the code: pass it to the reporter, do not keep it.
    pub secret: String,
}

/// What a batch stored.
#[derive(Debug, Serialize, ToSchema)]
pub struct BatchOut {
    /// One receipt per report, in the order sent.
    pub receipts: Vec<BatchReceipt>,
}

/// Submit reports in bulk, with your organisation as their source. All or none.
#[utoipa::path(
    post,
    path = "/api/v1/partner/reports",
    tag = "partner",
    security(("partner_key" = ["reports:submit"])),
    request_body = ReportBatch,
    responses((status = 201, body = BatchOut), (status = 401, description = "No key, or an unknown, expired or revoked one", body = crate::error::ErrorBody), (status = 403, description = "The key has no `reports:submit` scope", body = crate::error::ErrorBody), (status = 413, description = "Body over the size limit", body = crate::error::ErrorBody), (status = 422, description = "Invalid reports, each error with its path; nothing stored", body = crate::error::ErrorBody), (status = 429, description = "Over the key's rate; see `Retry-After`", body = crate::error::ErrorBody))
)]
pub async fn submit(
    State(state): State<AppState>,
    partner: Partner,
    ApiJson(batch): ApiJson<ReportBatch>,
) -> Response {
    let lang = partner.lang;
    if let Err(r) = partner.require(KeyScope::ReportsSubmit) {
        return r;
    }
    if batch.reports.is_empty() || batch.reports.len() > MAX_BATCH {
        return ApiError::localized(
            StatusCode::UNPROCESSABLE_ENTITY,
            "batch_size",
            lang,
            "Mỗi lần gửi từ 1 đến 500 báo cáo.",
            "Send 1 to 500 reports at a time.",
        )
        .field("reports")
        .into_response();
    }
    let now = super::unix_now();
    let store = &state.store;
    let mut errors: Vec<FieldError> = Vec::new();
    let mut valid = Vec::with_capacity(batch.reports.len());
    for (i, input) in batch.reports.iter().enumerate() {
        let prefix = |e: FieldError| FieldError {
            field: format!("reports[{i}].{}", e.field),
            ..e
        };
        if !input.evidence.is_empty() {
            errors.push(FieldError {
                field: format!("reports[{i}].evidence"),
                code: "evidence_not_accepted".into(),
                detail: lang
                    .pick(
                        "Báo cáo gửi theo lô không kèm tệp bằng chứng.",
                        "Reports sent in bulk carry no evidence files.",
                    )
                    .into(),
            });
        }
        match validate(input, lang, now, &|code| store.has_place(code)) {
            Ok(mut report) => {
                report.narrative = report.narrative.replace('\0', "");
                valid.push(NewReport {
                    report,
                    source: Source::Partner(partner.holder.partner_id),
                    created_at: now,
                    idempotency_key: None,
                    request_hash: None,
                });
            }
            Err(found) => errors.extend(found.into_iter().map(prefix)),
        }
    }
    if !errors.is_empty() {
        return ApiError::fields(errors).into_response();
    }
    let receipts = match store.insert_reports(valid).await {
        Ok(r) => r,
        Err(e) => return ApiError::unavailable(lang, &e).into_response(),
    };
    let codes: Vec<String> = receipts
        .iter()
        .map(|r| r.tracking_code.to_string())
        .collect();
    if let Err(e) = store
        .audit_partner_reports(&partner.holder, &codes, now)
        .await
    {
        tracing::warn!(error = %e, "partner reports stored but not audited");
    }
    if let Err(e) = state.index.catch_up(store).await {
        tracing::warn!(error = %e, "lookup index could not catch up after partner reports");
    }
    (
        StatusCode::CREATED,
        Json(BatchOut {
            receipts: receipts
                .into_iter()
                .map(|r| BatchReceipt {
                    tracking_code: r.tracking_code.to_string(),
                    secret: r.secret,
                })
                .collect(),
        }),
    )
        .into_response()
}
