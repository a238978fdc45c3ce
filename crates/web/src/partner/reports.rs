//! Bulk reports from a partner (scope `reports:submit`): a platform or a carrier sends
//! the reports its users made to it, with the partner as their source. Every report is
//! checked as the public API checks it; one invalid report refuses the batch with each
//! error's path (`reports[3].identifiers[0].value`), and then nothing is stored.

use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use canhgiac_core::intake::{validate, FieldError, ReportInput};
use canhgiac_core::partner::KeyScope;
use canhgiac_store::{NewReport, Receipt, Source, StoreError};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
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
    params(("Idempotency-Key" = Option<String>, Header, description = "Makes a retry of the same batch return the first answer instead of storing it twice (printable ASCII, at most 200 characters)")),
    responses((status = 201, body = BatchOut), (status = 401, description = "No key, or an unknown, expired or revoked one", body = crate::error::ErrorBody), (status = 403, description = "The key has no `reports:submit` scope", body = crate::error::ErrorBody), (status = 413, description = "Body over the size limit", body = crate::error::ErrorBody), (status = 409, description = "The idempotency key was used for a different batch", body = crate::error::ErrorBody), (status = 422, description = "Invalid reports, each error with its path; nothing stored", body = crate::error::ErrorBody), (status = 429, description = "Over the key's rate; see `Retry-After`", body = crate::error::ErrorBody))
)]
pub async fn submit(
    State(state): State<AppState>,
    partner: Partner,
    headers: HeaderMap,
    ApiJson(batch): ApiJson<ReportBatch>,
) -> Response {
    let lang = partner.lang;
    if let Err(r) = partner.require(KeyScope::ReportsSubmit) {
        return r;
    }
    let idempotency = match headers.get("idempotency-key").map(|v| v.to_str()) {
        None => None,
        Some(Ok(k))
            if !k.is_empty() && k.len() <= 200 && k.bytes().all(|b| b.is_ascii_graphic()) =>
        {
            Some(k.to_string())
        }
        Some(_) => {
            return ApiError::localized(
                StatusCode::UNPROCESSABLE_ENTITY,
                "idempotency_key_invalid",
                lang,
                "Khóa chống gửi trùng phải là chuỗi ASCII in được, tối đa 200 ký tự.",
                "The idempotency key must be printable ASCII, at most 200 characters.",
            )
            .into_response()
        }
    };
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
    // Each report of a batch sent with a key carries `partner:<id>:<key>:<n>`, so a
    // retry finds the batch stored (all or none) and gets the same receipts.
    let batch_hash = serde_json::to_vec(&batch.reports)
        .map(|b| hex::encode(Sha256::digest(b)))
        .unwrap_or_default();
    let keys: Option<Vec<String>> = idempotency.as_ref().map(|k| {
        (0..batch.reports.len())
            .map(|i| format!("partner:{}:{k}:{i}", partner.holder.partner_id))
            .collect()
    });
    if let Some(keys) = &keys {
        match store.replay_batch(keys, &batch_hash).await {
            Ok(Some(receipts)) => return answer(receipts, true),
            Ok(None) => {}
            Err(StoreError::Conflict(_)) => return reused(lang),
            Err(e) => return ApiError::unavailable(lang, &e).into_response(),
        }
    }
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
                    idempotency_key: keys.as_ref().and_then(|k| k.get(i).cloned()),
                    request_hash: keys.as_ref().map(|_| batch_hash.clone()),
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
        // The same batch sent twice at once: the other one stored it.
        Err(StoreError::Conflict(_)) if keys.is_some() => {
            let keys = keys.unwrap_or_default();
            return match store.replay_batch(&keys, &batch_hash).await {
                Ok(Some(receipts)) => answer(receipts, true),
                Ok(None) | Err(StoreError::Conflict(_)) => reused(lang),
                Err(e) => ApiError::unavailable(lang, &e).into_response(),
            };
        }
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
    answer(receipts, false)
}

fn reused(lang: canhgiac_core::i18n::Lang) -> Response {
    ApiError::localized(
        StatusCode::CONFLICT,
        "idempotency_key_reused",
        lang,
        "Khóa chống gửi trùng này đã dùng cho một lô báo cáo khác.",
        "This idempotency key was used for a different batch.",
    )
    .into_response()
}

fn answer(receipts: Vec<Receipt>, replayed: bool) -> Response {
    let mut response = (
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
        .into_response();
    if replayed {
        response.headers_mut().insert(
            "idempotent-replayed",
            axum::http::HeaderValue::from_static("true"),
        );
    }
    response
}
