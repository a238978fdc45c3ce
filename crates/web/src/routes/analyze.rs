//! Detectors over what a citizen holds: a payment QR code (as text or as an image).

use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use canhgiac_core::i18n::Lang;
use canhgiac_core::ident::{BankAccount, Identifier};
use canhgiac_core::verdict::{verdict, Verdict};
use canhgiac_detect::vietqr::{decode_image, decode_payload, QrError, VietQr, MAX_IMAGE_BYTES};
use serde::{Deserialize, Serialize};

use crate::error::ApiError;
use crate::lang;
use crate::AppState;

/// A QR payload as text.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct QrRequest {
    /// The text read from the QR code (EMVCo: it starts with `000201`).
    #[schema(min_length = 1, max_length = 512, pattern = "^000201")]
    payload: String,
}

/// A decoded payment code and the check of its receiving account.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct QrAnswer {
    #[serde(flatten)]
    code: VietQr,
    /// The public verdict on the receiving account.
    verdict: Verdict,
}

/// The status a QR failure is answered with (API and page alike).
pub(crate) fn qr_status(e: &QrError) -> StatusCode {
    match e {
        QrError::ImageTooLarge => StatusCode::PAYLOAD_TOO_LARGE,
        QrError::ImageUnreadable => StatusCode::UNSUPPORTED_MEDIA_TYPE,
        _ => StatusCode::UNPROCESSABLE_ENTITY,
    }
}

fn qr_error(e: &QrError, lang: Lang) -> ApiError {
    ApiError::new(qr_status(e), e.code(), e.message(lang))
}

/// Reads the first file of a multipart form, bounded.
async fn first_file(content_type: &str, body: Body, lang: Lang) -> Result<Vec<u8>, ApiError> {
    let unreadable = || {
        ApiError::localized(
            StatusCode::BAD_REQUEST,
            "form_unreadable",
            lang,
            "Không đọc được biểu mẫu gửi lên.",
            "The form could not be read.",
        )
    };
    let boundary = multer::parse_boundary(content_type).map_err(|_| unreadable())?;
    let constraints = multer::Constraints::new()
        .size_limit(multer::SizeLimit::new().whole_stream(MAX_IMAGE_BYTES as u64 + 64 * 1024));
    let mut form =
        multer::Multipart::with_constraints(body.into_data_stream(), boundary, constraints);
    loop {
        match form.next_field().await {
            Ok(Some(field)) if field.file_name().is_some() => {
                return field
                    .bytes()
                    .await
                    .map(|b| b.to_vec())
                    .map_err(|e| match e {
                        multer::Error::StreamSizeExceeded { .. }
                        | multer::Error::FieldSizeExceeded { .. } => {
                            qr_error(&QrError::ImageTooLarge, lang)
                        }
                        _ => unreadable(),
                    });
            }
            Ok(Some(_)) => continue,
            Ok(None) => {
                return Err(ApiError::localized(
                    StatusCode::UNPROCESSABLE_ENTITY,
                    "qr_image_missing",
                    lang,
                    "Hãy gửi kèm ảnh mã QR.",
                    "Attach a picture of the QR code.",
                ));
            }
            Err(multer::Error::StreamSizeExceeded { .. }) => {
                return Err(qr_error(&QrError::ImageTooLarge, lang))
            }
            Err(_) => return Err(unreadable()),
        }
    }
}

/// Decodes the picture of a payment code off the async threads, at most
/// [`crate::QR_SLOTS`] at once, so that a burst of large pictures never stalls other
/// requests. `None` when every slot is taken (answer 503).
pub(crate) async fn decode_picture(
    state: &AppState,
    bytes: Vec<u8>,
) -> Option<Result<VietQr, QrError>> {
    let slot = state.qr_slots.clone().try_acquire_owned().ok()?;
    tokio::task::spawn_blocking(move || {
        let _slot = slot;
        decode_image(&bytes)
    })
    .await
    .ok()
}

/// Decode a payment QR code (VietQR) and check its receiving account: send
/// `{"payload": "000201…"}` as JSON, or a multipart form with the picture of the code.
#[utoipa::path(
    post,
    path = "/api/v1/analyze/qr",
    tag = "analyze",
    request_body(content = QrRequest, description = "JSON with the payload, or multipart/form-data with an image file (PNG or JPEG, at most 5 MB)"),
    responses(
        (status = 200, description = "Decoded; the verdict is on the receiving account", body = QrAnswer),
        (status = 413, body = crate::error::ErrorBody),
        (status = 415, body = crate::error::ErrorBody),
        (status = 422, description = "Bad CRC, truncated, unknown BIN, another scheme, no QR in the image…", body = crate::error::ErrorBody),
        (status = 429, description = "Too many codes from this client (30 a minute)", body = crate::error::ErrorBody),
        (status = 503, description = "Every decoding slot is taken; see `Retry-After`", body = crate::error::ErrorBody)
    )
)]
pub async fn analyze_qr(State(state): State<AppState>, request: Request) -> Response {
    let (parts, body) = request.into_parts();
    let lang = lang::of(&parts);
    let client = crate::limit::client_of(&parts, &state.trusted_proxies);
    if let Err(wait) = state.limits.qr.take(&state.store, &client).await {
        return ApiError::too_many(lang, wait);
    }
    let content_type = crate::json::content_type_of(&parts).to_string();
    let mime = crate::json::mime_of(&parts);
    let decoded = if mime == "application/json" {
        let bytes = match axum::body::to_bytes(body, crate::MAX_JSON_BYTES).await {
            Ok(b) => b,
            Err(_) => return crate::json::too_large(lang).into_response(),
        };
        match crate::json::parse::<QrRequest>(&bytes, lang) {
            Ok(r) => decode_payload(&r.payload),
            Err(e) => return e.into_response(),
        }
    } else if mime == "multipart/form-data" {
        let bytes = match first_file(&content_type, body, lang).await {
            Ok(bytes) => bytes,
            Err(e) => return e.into_response(),
        };
        match decode_picture(&state, bytes).await {
            Some(d) => d,
            None => return ApiError::busy(lang, 2),
        }
    } else {
        return ApiError::localized(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "unsupported_media_type",
            lang,
            "Gửi nội dung mã QR dạng JSON hoặc ảnh dạng multipart/form-data.",
            "Send the QR content as JSON or the image as multipart/form-data.",
        )
        .into_response();
    };
    let code = match decoded {
        Ok(c) => c,
        Err(e) => return qr_error(&e, lang).into_response(),
    };
    let identifier = match BankAccount::parse(&code.bank_bin, &code.account) {
        Ok(a) => Identifier::BankAccount(a),
        Err(e) => {
            return ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, e.code(), e.message(lang))
                .into_response()
        }
    };
    let stats = state.index.lookup(&identifier);
    let verdict = verdict(&identifier, stats.as_ref(), lang);
    state.metrics.check_answered(verdict.level.as_str());
    Json(QrAnswer { code, verdict }).into_response()
}
