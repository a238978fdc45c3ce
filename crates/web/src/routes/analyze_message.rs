//! `POST /api/v1/analyze/message`: how likely is this message a scam, and why?

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use canhgiac_core::i18n::Lang;
use canhgiac_detect::message::normalize::MAX_MESSAGE_CHARS;
use canhgiac_detect::message::{Analyzer, MessageAnalysis, Sender};
use serde::Deserialize;

use crate::error::ApiError;
use crate::json::ApiJson;
use crate::lang::ReqLang;
use crate::AppState;

/// A message as received.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MessageRequest {
    /// The text (SMS, Zalo, Messenger, Telegram, e-mail), up to 5,000 characters.
    #[schema(min_length = 1, max_length = 5000, pattern = r"\S")]
    text: String,
    /// Who sent it, as the phone shows it: an SMS brandname (`Viettel`, `VCB`), a
    /// short code (`191`), a phone number, or a Zalo/Facebook account
    /// (`zalo:0912345678`, `facebook.com/name`). Optional.
    #[serde(default)]
    sender: Option<String>,
}

/// Analyses a message and its sender (blank when unknown), or says why it cannot.
pub fn analyze_text(
    state: &AppState,
    text: &str,
    sender: &str,
    lang: Lang,
) -> Result<MessageAnalysis, ApiError> {
    let sender = Sender::parse(sender).map_err(|e| {
        ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, e.code(), e.message(lang)).field("sender")
    })?;
    if text.trim().is_empty() {
        return Err(ApiError::localized(
            StatusCode::UNPROCESSABLE_ENTITY,
            "message_empty",
            lang,
            "Tin nhắn trống: hãy dán nội dung tin nhắn cần kiểm tra.",
            "The message is empty: paste the text you received.",
        )
        .field("text"));
    }
    let chars = text.chars().count();
    if chars > MAX_MESSAGE_CHARS {
        return Err(ApiError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "message_too_long",
            match lang {
                Lang::Vi => format!(
                    "Tin nhắn dài {chars} ký tự, vượt quá giới hạn {MAX_MESSAGE_CHARS} ký tự."
                ),
                Lang::En => format!(
                    "The message has {chars} characters, more than the limit of {MAX_MESSAGE_CHARS}."
                ),
            },
        )
        .field("text"));
    }
    let lookup = |i: &canhgiac_core::Identifier| state.index.lookup(i);
    let registry = state.registry();
    let analysis =
        Analyzer::with_registry(&registry).analyze_from(text, sender.as_ref(), &lookup, lang);
    state.metrics.message_analyzed(analysis.level.as_str());
    Ok(analysis)
}

/// Analyse a message: scam likelihood, likely methods, red flags with their spans
/// (in characters of the text sent), and a verdict for every identifier in it.
#[utoipa::path(
    post,
    path = "/api/v1/analyze/message",
    tag = "analyze",
    request_body = MessageRequest,
    responses(
        (status = 200, body = MessageAnalysis),
        (status = 400, description = "Not JSON", body = crate::error::ErrorBody),
        (status = 422, description = "Empty or too long, or a sender that is not a brandname, short code, phone or account", body = crate::error::ErrorBody)
    )
)]
pub async fn analyze_message(
    State(state): State<AppState>,
    ReqLang(lang): ReqLang,
    ApiJson(req): ApiJson<MessageRequest>,
) -> Response {
    match analyze_text(&state, &req.text, req.sender.as_deref().unwrap_or(""), lang) {
        Ok(a) => Json(a).into_response(),
        Err(e) => e.into_response(),
    }
}
