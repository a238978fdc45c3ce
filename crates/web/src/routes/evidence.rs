//! Evidence upload over the API: the raw image as the body.

use axum::body::Body;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use canhgiac_core::i18n::Lang;
use canhgiac_store::{EvidenceError, MAX_EVIDENCE_BYTES};
use serde::Serialize;

use crate::error::{from_store, ApiError};
use crate::lang::ReqLang;
use crate::AppState;

/// A stored evidence file.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct StoredEvidence {
    /// SHA-256 (hex): put it in a report's `evidence` list.
    sha256: String,
}

/// The error for a refused evidence file.
pub fn evidence_error(e: &EvidenceError, lang: Lang) -> ApiError {
    let mib = MAX_EVIDENCE_BYTES / (1024 * 1024);
    match e {
        EvidenceError::Empty => ApiError::localized(
            StatusCode::UNPROCESSABLE_ENTITY,
            "evidence_empty",
            lang,
            "Tệp bằng chứng rỗng.",
            "The evidence file is empty.",
        ),
        EvidenceError::TooLarge => ApiError::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            "evidence_too_large",
            match lang {
                Lang::Vi => format!("Tệp bằng chứng quá lớn (tối đa {mib} MB)."),
                Lang::En => format!("The evidence file is too large (at most {mib} MB)."),
            },
        ),
        EvidenceError::UnsupportedType => ApiError::localized(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "evidence_unsupported_type",
            lang,
            "Chỉ nhận ảnh JPEG, PNG, WebP hoặc GIF.",
            "Only JPEG, PNG, WebP or GIF images are accepted.",
        ),
    }
}

/// Upload an evidence image (JPEG, PNG, WebP, GIF; at most 5 MB) as the raw body.
/// The type is read from the bytes, not from the header.
#[utoipa::path(
    post,
    path = "/api/v1/evidence",
    tag = "reports",
    request_body(content = Vec<u8>, content_type = "image/png", description = "The image bytes"),
    responses(
        (status = 201, body = StoredEvidence),
        (status = 413, body = crate::error::ErrorBody),
        (status = 415, body = crate::error::ErrorBody),
        (status = 422, body = crate::error::ErrorBody),
        (status = 429, description = "Too many files from this client (20 per 10 minutes)", body = crate::error::ErrorBody)
    )
)]
pub async fn upload_evidence(
    State(state): State<AppState>,
    ReqLang(lang): ReqLang,
    crate::limit::Client(client): crate::limit::Client,
    body: Body,
) -> Response {
    if let Err(wait) = state.limits.uploads.take(&state.store, &client).await {
        return crate::ApiError::too_many(lang, wait);
    }
    // Read with this route's own bound (the API's JSON bound is far smaller).
    let bytes = match axum::body::to_bytes(body, MAX_EVIDENCE_BYTES + 1).await {
        Ok(b) if b.len() > MAX_EVIDENCE_BYTES => {
            return evidence_error(&EvidenceError::TooLarge, lang).into_response()
        }
        Ok(b) => b,
        Err(_) => return evidence_error(&EvidenceError::TooLarge, lang).into_response(),
    };
    match state
        .store
        .save_evidence(&bytes, time::OffsetDateTime::now_utc().unix_timestamp())
        .await
    {
        Ok(Ok(sha256)) => (StatusCode::CREATED, Json(StoredEvidence { sha256 })).into_response(),
        Ok(Err(e)) => evidence_error(&e, lang).into_response(),
        Err(e) => from_store(lang, e).into_response(),
    }
}
