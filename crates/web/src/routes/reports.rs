//! Citizen reports over the API: create, follow, and find identifiers in a text.

use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use canhgiac_core::extract::extract_unique;
use canhgiac_core::i18n::Lang;
use canhgiac_core::intake::{suggestions, validate, FieldError, ReportInput};
use canhgiac_core::tracking::TrackingCode;
use canhgiac_core::Identifier;
use canhgiac_store::{NewReport, Receipt, Source};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use time::format_description::well_known::Rfc3339;
use time::OffsetDateTime;

use crate::error::{from_store, ApiError};
use crate::json::ApiJson;
use crate::lang::ReqLang;
use crate::AppState;

/// The longest idempotency key accepted.
const MAX_IDEMPOTENCY_KEY: usize = 200;

/// An identifier found in a text but not listed.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct SuggestedIdentifier {
    /// Kind.
    kind: &'static str,
    /// Canonical value.
    normalized: String,
    /// Readable value.
    display: String,
}

impl SuggestedIdentifier {
    pub(crate) fn of(i: &Identifier) -> SuggestedIdentifier {
        SuggestedIdentifier {
            kind: i.kind().as_str(),
            normalized: i.normalized(),
            display: i.display(),
        }
    }
}

/// The answer to a new report.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct CreatedReport {
    /// The tracking code (`CG-XXXX-XXXX`).
    tracking_code: String,
    /// The secret that, with the code, opens the status page. Shown once; keep it.
    secret: String,
    /// Where the reporter follows the report.
    status_url: &'static str,
    /// Identifiers found in the narrative that the report does not list: ask the
    /// reporter to confirm them and send them in a new report if they belong.
    suggested_identifiers: Vec<SuggestedIdentifier>,
}

/// What a submission produced.
pub struct Submitted {
    pub receipt: Receipt,
    pub suggestions: Vec<Identifier>,
}

fn now() -> i64 {
    OffsetDateTime::now_utc().unix_timestamp()
}

/// Validates, stores and indexes a report. Shared by the API and the form.
pub async fn submit(
    state: &AppState,
    mut input: ReportInput,
    source: Source,
    header_key: Option<String>,
    lang: Lang,
) -> Result<Submitted, ApiError> {
    let key = header_key
        .or_else(|| input.idempotency_key.take())
        .map(|k| k.trim().to_string())
        .filter(|k| !k.is_empty());
    if let Some(k) = &key {
        if k.len() > MAX_IDEMPOTENCY_KEY || !k.bytes().all(|b| b.is_ascii_graphic()) {
            return Err(ApiError::localized(
                StatusCode::UNPROCESSABLE_ENTITY,
                "idempotency_key_invalid",
                lang,
                "Khóa chống gửi trùng phải là chuỗi ASCII in được, tối đa 200 ký tự.",
                "The idempotency key must be printable ASCII, at most 200 characters.",
            ));
        }
    }
    input.idempotency_key = None;
    let store = &state.store;
    let mut report =
        validate(&input, lang, now(), &|code| store.has_place(code)).map_err(ApiError::fields)?;
    let mut missing = Vec::new();
    for (i, digest) in report.evidence.iter().enumerate() {
        if !store
            .evidence_exists(digest)
            .await
            .map_err(|e| from_store(lang, e))?
        {
            missing.push(FieldError {
                field: format!("evidence[{i}]"),
                code: "evidence_unknown".into(),
                detail: lang
                    .pick(
                        "Chưa có tệp bằng chứng này; hãy tải tệp lên trước.",
                        "No such evidence file; upload it first.",
                    )
                    .into(),
            });
        }
    }
    if !missing.is_empty() {
        return Err(ApiError::fields(missing));
    }
    let request_hash = serde_json::to_vec(&input)
        .map(|b| hex::encode(Sha256::digest(b)))
        .ok();
    let offered = suggestions(&report);
    report.narrative = report.narrative.replace('\0', "");
    let receipt = store
        .insert_report(NewReport {
            report,
            source,
            created_at: now(),
            idempotency_key: key,
            request_hash,
        })
        .await
        .map_err(|e| from_store(lang, e))?;
    if !receipt.replayed {
        state.metrics.report_received();
        tracing::info!(tracking_code = %receipt.tracking_code, "report stored");
    }
    if let Err(e) = state.index.catch_up(store).await {
        tracing::warn!(error = %e, "lookup index could not catch up after a report");
    }
    Ok(Submitted {
        receipt,
        suggestions: offered,
    })
}

/// Report a scam.
#[utoipa::path(
    post,
    path = "/api/v1/reports",
    tag = "reports",
    request_body = ReportInput,
    params(("Idempotency-Key" = Option<String>, Header, description = "Makes a retry return the first answer instead of a second report")),
    responses(
        (status = 201, description = "Stored durably", body = CreatedReport),
        (status = 400, description = "Malformed JSON", body = crate::error::ErrorBody),
        (status = 413, description = "Body over 256 KiB", body = crate::error::ErrorBody),
        (status = 415, description = "Not JSON", body = crate::error::ErrorBody),
        (status = 422, description = "Invalid fields, each with its own code and message", body = crate::error::ErrorBody)
    )
)]
pub async fn create_report(
    State(state): State<AppState>,
    ReqLang(lang): ReqLang,
    headers: HeaderMap,
    ApiJson(input): ApiJson<ReportInput>,
) -> Response {
    let header_key = headers
        .get("idempotency-key")
        .and_then(|v| v.to_str().ok())
        .map(str::to_string);
    match submit(&state, input, Source::Api, header_key, lang).await {
        Ok(s) => {
            let replayed = s.receipt.replayed;
            let body = CreatedReport {
                tracking_code: s.receipt.tracking_code.to_string(),
                secret: s.receipt.secret,
                status_url: "/theo-doi",
                suggested_identifiers: s.suggestions.iter().map(SuggestedIdentifier::of).collect(),
            };
            let mut response = (StatusCode::CREATED, Json(body)).into_response();
            if replayed {
                response.headers_mut().insert(
                    "idempotent-replayed",
                    axum::http::HeaderValue::from_static("true"),
                );
            }
            response
        }
        Err(e) => e.into_response(),
    }
}

/// An identifier of a report.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ReportIdentifier {
    kind: String,
    display: String,
    role: String,
}

/// A report as its reporter sees it.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ReportStatus {
    tracking_code: String,
    /// Status key (`received`, …).
    status: String,
    /// The status in plain words.
    status_text: String,
    /// RFC 3339.
    created_at: String,
    channel: String,
    method: Option<String>,
    amount_lost_vnd: i64,
    identifiers: Vec<ReportIdentifier>,
    evidence_count: i64,
}

/// The plain-language status a reporter sees.
pub fn status_text(status: &str, lang: Lang) -> (&'static str, &'static str) {
    match canhgiac_core::case::Status::parse(status) {
        Some(s) => s.citizen_text(lang),
        None => match lang {
            Lang::Vi => ("Đang xử lý", "Báo cáo đang được xử lý."),
            Lang::En => ("In progress", "Your report is being handled."),
        },
    }
}

/// Follow a report (code in the path, secret in the `X-Report-Secret` header).
#[utoipa::path(
    get,
    path = "/api/v1/reports/{code}",
    tag = "reports",
    params(("code" = String, Path, description = "Tracking code"), ("X-Report-Secret" = String, Header, description = "The secret given with the code")),
    responses((status = 200, body = ReportStatus), (status = 404, description = "No report with this code and secret", body = crate::error::ErrorBody), (status = 429, description = "Too many lookups from this client (30 per 10 minutes)", body = crate::error::ErrorBody))
)]
pub async fn report_status(
    State(state): State<AppState>,
    ReqLang(lang): ReqLang,
    crate::limit::Client(client): crate::limit::Client,
    Path(code): Path<String>,
    headers: HeaderMap,
) -> Response {
    if let Err(wait) = state.limits.tracking.take(&state.store, &client).await {
        return ApiError::too_many(lang, wait);
    }
    let not_found = || {
        ApiError::localized(
            StatusCode::NOT_FOUND,
            "report_not_found",
            lang,
            "Không tìm thấy báo cáo với mã theo dõi và mã bí mật này.",
            "No report matches this tracking code and secret.",
        )
        .into_response()
    };
    let Ok(code) = TrackingCode::parse(&code) else {
        return not_found();
    };
    let secret = headers
        .get("x-report-secret")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    match state.store.report_for_reporter(&code, secret).await {
        Ok(Some(r)) => Json(ReportStatus {
            status_text: status_text(&r.status, lang).0.to_string(),
            tracking_code: r.tracking_code,
            status: r.status,
            created_at: OffsetDateTime::from_unix_timestamp(r.created_at)
                .ok()
                .and_then(|t| t.format(&Rfc3339).ok())
                .unwrap_or_default(),
            channel: r.channel,
            method: r.method_key,
            amount_lost_vnd: r.amount_lost_vnd,
            identifiers: r
                .identifiers
                .into_iter()
                .map(|i| ReportIdentifier {
                    kind: i.kind,
                    display: i.display,
                    role: i.role,
                })
                .collect(),
            evidence_count: r.evidence_count,
        })
        .into_response(),
        Ok(None) => not_found(),
        Err(e) => from_store(lang, e).into_response(),
    }
}

/// A text to search.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ExtractRequest {
    /// Up to 10,000 characters.
    text: String,
}

/// An identifier found in a text.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ExtractedIdentifier {
    #[serde(flatten)]
    identifier: SuggestedIdentifier,
    /// First character (offset in characters).
    start: usize,
    /// One past the last character.
    end: usize,
}

/// The identifiers found.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ExtractResponse {
    identifiers: Vec<ExtractedIdentifier>,
}

/// Find every identifier in a text (to offer them to a reporter to confirm).
#[utoipa::path(
    post,
    path = "/api/v1/extract",
    tag = "reports",
    request_body = ExtractRequest,
    responses((status = 200, body = ExtractResponse), (status = 422, body = crate::error::ErrorBody))
)]
pub async fn extract_identifiers(
    ReqLang(lang): ReqLang,
    ApiJson(req): ApiJson<ExtractRequest>,
) -> Response {
    let max = canhgiac_core::report::MAX_NARRATIVE_CHARS;
    if req.text.chars().count() > max {
        return ApiError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "text_too_long",
            match lang {
                Lang::Vi => format!("Văn bản quá dài (tối đa {max} ký tự)."),
                Lang::En => format!("The text is too long (at most {max} characters)."),
            },
        )
        .into_response();
    }
    let identifiers = extract_unique(&req.text)
        .iter()
        .map(|f| {
            let (start, end) = f.char_span(&req.text);
            ExtractedIdentifier {
                identifier: SuggestedIdentifier::of(&f.identifier),
                start,
                end,
            }
        })
        .collect();
    Json(ExtractResponse { identifiers }).into_response()
}
