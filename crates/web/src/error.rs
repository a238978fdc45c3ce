//! API errors: `{"errors": [{"code": "...", "field": "...", "detail": "..."}]}` with a
//! stable snake_case code and a detail in the caller's language. 4xx are not logged;
//! a 5xx is logged once with its cause and shown opaquely.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use canhgiac_core::i18n::Lang;
use canhgiac_core::intake::FieldError;
use serde::Serialize;

/// One error entry.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ErrorItem {
    /// Stable snake_case code.
    pub code: String,
    /// The field it concerns, if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
    /// For people.
    pub detail: String,
}

/// The error body.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ErrorBody {
    /// What went wrong.
    pub errors: Vec<ErrorItem>,
}

/// An error answered by the API.
#[derive(Debug)]
pub struct ApiError {
    status: StatusCode,
    body: ErrorBody,
}

impl ApiError {
    /// An error with one entry.
    pub fn new(status: StatusCode, code: &str, detail: impl Into<String>) -> ApiError {
        ApiError {
            status,
            body: ErrorBody {
                errors: vec![ErrorItem {
                    code: code.into(),
                    field: None,
                    detail: detail.into(),
                }],
            },
        }
    }

    /// A localised error with one entry.
    pub fn localized(status: StatusCode, code: &str, lang: Lang, vi: &str, en: &str) -> ApiError {
        ApiError::new(status, code, lang.pick(vi, en))
    }

    /// The first entry.
    pub fn first(&self) -> Option<&ErrorItem> {
        self.body.errors.first()
    }

    /// Names the field the (single) entry concerns.
    pub fn field(mut self, field: &str) -> ApiError {
        for e in &mut self.body.errors {
            e.field = Some(field.to_string());
        }
        self
    }

    /// 422 with field errors.
    pub fn fields(errors: Vec<FieldError>) -> ApiError {
        ApiError {
            status: StatusCode::UNPROCESSABLE_ENTITY,
            body: ErrorBody {
                errors: errors
                    .into_iter()
                    .map(|e| ErrorItem {
                        code: e.code,
                        field: Some(e.field),
                        detail: e.detail,
                    })
                    .collect(),
            },
        }
    }

    /// A refusal of the domain, with its status, code, field and words.
    pub fn refused(r: &dyn crate::refusal::Refusal, lang: Lang) -> ApiError {
        let err = ApiError::new(r.status(), r.code(), r.text(lang));
        match r.field() {
            Some(f) => err.field(f),
            None => err,
        }
    }

    /// 500, logged here with its cause; the client sees no detail.
    pub fn internal(lang: Lang, cause: &dyn std::fmt::Display) -> ApiError {
        tracing::error!(error = %cause, "internal error");
        ApiError::localized(
            StatusCode::INTERNAL_SERVER_ERROR,
            "internal",
            lang,
            "Hệ thống đang gặp sự cố; báo cáo của bạn chưa được ghi nhận. Vui lòng thử lại sau.",
            "Something went wrong on our side; nothing was saved. Please try again later.",
        )
    }

    /// 503 when the database is unreachable.
    pub fn unavailable(lang: Lang, cause: &dyn std::fmt::Display) -> ApiError {
        tracing::error!(error = %cause, "store unavailable");
        ApiError::localized(
            StatusCode::SERVICE_UNAVAILABLE,
            "unavailable",
            lang,
            "Hệ thống tạm thời không sẵn sàng; vui lòng thử lại sau ít phút.",
            "The service is temporarily unavailable; please try again in a few minutes.",
        )
    }

    /// 429 with `Retry-After`: this client asked too often.
    pub fn too_many(lang: Lang, wait: std::time::Duration) -> Response {
        let secs = wait.as_secs().max(1);
        let mut r = ApiError::new(
            StatusCode::TOO_MANY_REQUESTS,
            "too_many_requests",
            match lang {
                Lang::Vi => format!("Bạn đã gửi quá nhiều yêu cầu; hãy thử lại sau {secs} giây."),
                Lang::En => format!("Too many requests from you; try again in {secs} seconds."),
            },
        )
        .into_response();
        if let Ok(v) = axum::http::HeaderValue::from_str(&secs.to_string()) {
            r.headers_mut().insert(axum::http::header::RETRY_AFTER, v);
        }
        r
    }

    /// 503 with `Retry-After`: every slot for this heavy work is taken.
    pub fn busy(lang: Lang, retry_secs: u64) -> Response {
        let mut r = ApiError::localized(
            StatusCode::SERVICE_UNAVAILABLE,
            "busy",
            lang,
            "Máy chủ đang bận xử lý ảnh khác; hãy thử lại sau vài giây.",
            "The server is busy reading other pictures; try again in a few seconds.",
        )
        .into_response();
        r.headers_mut().insert(
            axum::http::header::RETRY_AFTER,
            axum::http::HeaderValue::from(retry_secs),
        );
        r
    }

    /// The status code.
    pub fn status(&self) -> StatusCode {
        self.status
    }

    /// The entries.
    pub fn items(&self) -> &[ErrorItem] {
        &self.body.errors
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        (self.status, axum::Json(self.body)).into_response()
    }
}

/// Maps a store error to an API error.
pub fn from_store(lang: Lang, e: canhgiac_store::StoreError) -> ApiError {
    use canhgiac_store::StoreError as E;
    match e {
        E::Conflict(_) => ApiError::localized(
            StatusCode::UNPROCESSABLE_ENTITY,
            "idempotency_key_reused",
            lang,
            "Khóa chống gửi trùng (Idempotency-Key) này đã được dùng cho một báo cáo khác.",
            "This Idempotency-Key was already used for a different report.",
        ),
        ref full if full.is_disk_full() => {
            tracing::error!(error = %full, "storage full: the disk under the data directory (SQLite) or the database server (PostgreSQL)");
            ApiError::localized(
                StatusCode::SERVICE_UNAVAILABLE,
                "storage_full",
                lang,
                "Máy chủ tạm thời hết chỗ lưu trữ nên chưa lưu được; vui lòng thử lại sau ít phút.",
                "The server is temporarily out of storage and could not save this; please try again in a few minutes.",
            )
        }
        ref unreachable if unreachable.is_unreachable() => ApiError::unavailable(lang, &e),
        other => ApiError::internal(lang, &other),
    }
}
