//! A JSON body extractor whose every failure is a specific, localised API error:
//! 415 for another content type, 413 over the size bound, 400 for malformed JSON
//! (with where and why), 422 for a well-formed body of the wrong shape.

use axum::body::Bytes;
use axum::extract::{FromRequest, Request};
use axum::http::{header, StatusCode};
use canhgiac_core::i18n::Lang;
use serde::de::DeserializeOwned;

use crate::error::ApiError;

/// A JSON body of type `T`.
pub struct ApiJson<T>(pub T);

impl<S, T> FromRequest<S> for ApiJson<T>
where
    S: Send + Sync,
    T: DeserializeOwned,
{
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        let (parts, body) = req.into_parts();
        let lang = crate::lang::of(&parts);
        let mime = mime_of(&parts);
        if mime != "application/json" && !mime.ends_with("+json") {
            return Err(ApiError::localized(
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                "unsupported_media_type",
                lang,
                "Nội dung gửi lên phải là JSON (Content-Type: application/json).",
                "The body must be JSON (Content-Type: application/json).",
            ));
        }
        let req = Request::from_parts(parts, body);
        let bytes = Bytes::from_request(req, state).await.map_err(|rejection| {
            if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE {
                too_large(lang)
            } else {
                ApiError::localized(
                    StatusCode::BAD_REQUEST,
                    "body_unreadable",
                    lang,
                    "Không đọc được nội dung gửi lên.",
                    "The request body could not be read.",
                )
            }
        })?;
        parse(&bytes, lang).map(ApiJson)
    }
}

/// A query string of type `T`; a value of the wrong type is a JSON error (400
/// `query_invalid`), as everywhere in the API, not axum's plain-text answer.
pub struct ApiQuery<T>(pub T);

impl<S, T> axum::extract::FromRequestParts<S> for ApiQuery<T>
where
    S: Send + Sync,
    T: DeserializeOwned,
{
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut axum::http::request::Parts,
        _state: &S,
    ) -> Result<Self, Self::Rejection> {
        let lang = crate::lang::of(parts);
        serde_urlencoded::from_str(parts.uri.query().unwrap_or(""))
            .map(ApiQuery)
            .map_err(|e| {
                ApiError::new(
                    StatusCode::BAD_REQUEST,
                    "query_invalid",
                    match lang {
                        canhgiac_core::i18n::Lang::Vi => {
                            format!("Tham số trên địa chỉ không hợp lệ: {e}")
                        }
                        canhgiac_core::i18n::Lang::En => {
                            format!("The query string is not valid: {e}")
                        }
                    },
                )
            })
    }
}

/// The request's media type without parameters, lower case ("" when absent).
pub fn mime_of(parts: &axum::http::request::Parts) -> String {
    content_type_of(parts)
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase()
}

/// The request's whole `Content-Type` header ("" when absent).
pub fn content_type_of(parts: &axum::http::request::Parts) -> &str {
    parts
        .headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
}

/// 413 in the caller's language.
pub fn too_large(lang: Lang) -> ApiError {
    let kib = crate::MAX_JSON_BYTES / 1024;
    ApiError::new(
        StatusCode::PAYLOAD_TOO_LARGE,
        "body_too_large",
        match lang {
            Lang::Vi => format!("Nội dung gửi lên quá lớn (tối đa {kib} KiB)."),
            Lang::En => format!("The body is too large (at most {kib} KiB)."),
        },
    )
}

/// Parses JSON with a precise message on failure.
pub fn parse<T: DeserializeOwned>(bytes: &[u8], lang: Lang) -> Result<T, ApiError> {
    let de = &mut serde_json::Deserializer::from_slice(bytes);
    serde_path_to_error::deserialize(de).map_err(|e| {
        let path = e.path().to_string();
        let inner = e.into_inner();
        let (line, column) = (inner.line(), inner.column());
        match inner.classify() {
            serde_json::error::Category::Data => ApiError::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                "json_invalid_field",
                match lang {
                    Lang::Vi => format!("Trường “{path}” không đúng kiểu: {inner}"),
                    Lang::En => format!("Field “{path}” has the wrong type: {inner}"),
                },
            ),
            _ => ApiError::new(
                StatusCode::BAD_REQUEST,
                "json_malformed",
                match lang {
                    Lang::Vi => format!("JSON không hợp lệ ở dòng {line}, cột {column}: {inner}"),
                    Lang::En => format!("Malformed JSON at line {line}, column {column}: {inner}"),
                },
            ),
        }
    })
}
