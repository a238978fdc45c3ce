//! Partners' blocklists in (scope `blocklist:submit`): CSV, plain domain lists or STIX
//! 2.1, with the day the partner listed them and its confidence. A list is read whole
//! first: one unreadable row refuses it with every bad row's line, and nothing is
//! stored. The check then shows its entries as "reported by partner X", never as
//! verified by the police and never over a police decision.

use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use canhgiac_core::blocklist::{self, ListFormat, RowError};
use canhgiac_core::i18n::Lang;
use canhgiac_core::partner::KeyScope;
use canhgiac_store::partner_lists::{ListError, NewList, StoredList};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::Partner;
use crate::error::{ApiError, ErrorItem};
use crate::AppState;

/// The largest list accepted, bytes.
pub const MAX_LIST_BYTES: usize = 16 * 1024 * 1024;

/// What a list is.
#[derive(Debug, Deserialize, IntoParams)]
pub struct ListQuery {
    /// `csv` (heading `kind,value[,bank]`), `domains` (one domain or URL a line) or
    /// `stix` (a STIX 2.1 bundle).
    pub format: Option<String>,
    /// The list's name (1–80 characters; default `default`). Your next list of the
    /// same name replaces this one.
    pub name: Option<String>,
    /// The day you listed the entries (YYYY-MM-DD; default today; not in the future).
    pub listed_on: Option<String>,
    /// How sure you are, 0–100 (default 50).
    pub confidence: Option<u8>,
}

/// A list stored.
#[derive(Debug, Serialize, ToSchema)]
pub struct ListOut {
    /// Its id.
    pub id: i64,
    /// Its name.
    pub name: String,
    /// `csv`, `domains` or `stix`.
    pub format: String,
    /// The day the entries were listed (YYYY-MM-DD).
    pub listed_on: String,
    /// The confidence given.
    pub confidence: u8,
    /// Distinct identifiers in it.
    pub entries: i64,
    /// In force, or disabled or replaced.
    pub active: bool,
    /// Name it to withdraw the list (a change since gets 409).
    pub version: i64,
    /// When it came in (RFC 3339).
    pub imported_at: String,
}

/// The answer to a list stored.
#[derive(Debug, Serialize, ToSchema)]
pub struct SubmittedOut {
    /// The new list's id.
    pub id: i64,
    /// Distinct identifiers stored.
    pub entries: usize,
    /// The list of the same name it replaced.
    pub replaced: Option<i64>,
}

/// A list refused: nothing was stored.
#[derive(Debug, Serialize, ToSchema)]
pub struct RejectedOut {
    /// `list_rejected`, with what to do.
    pub errors: Vec<ErrorItem>,
    /// The first 100 rows that could not be read, with their lines.
    pub rows: Vec<RowError>,
    /// How many rows could not be read in all.
    pub rows_total: usize,
}

fn day(unix: i64) -> String {
    canhgiac_core::clock::rfc3339(unix)
        .map(|t| t[..10].to_string())
        .unwrap_or_default()
}

fn out(l: &StoredList) -> ListOut {
    ListOut {
        id: l.id,
        name: l.name.clone(),
        format: l.format.clone(),
        listed_on: day(l.listed_on),
        confidence: l.confidence,
        entries: l.entries,
        active: l.active,
        version: l.version,
        imported_at: canhgiac_core::clock::rfc3339(l.imported_at).unwrap_or_default(),
    }
}

fn invalid(lang: Lang, code: &str, field: &str, vi: &str, en: &str) -> Response {
    ApiError::localized(StatusCode::UNPROCESSABLE_ENTITY, code, lang, vi, en)
        .field(field)
        .into_response()
}

/// The day a list names, as unix seconds at midnight UTC.
fn listed_on(text: Option<&str>, now: i64) -> Option<i64> {
    let Some(text) = text.map(str::trim).filter(|t| !t.is_empty()) else {
        return Some(now - now.rem_euclid(86_400));
    };
    let format = time::macros::format_description!("[year]-[month]-[day]");
    let date = time::Date::parse(text, &format).ok()?;
    let unix = date.midnight().assume_utc().unix_timestamp();
    // Not in the future (a day of slack for time zones).
    (unix <= now + 86_400).then_some(unix)
}

/// Submit a blocklist. It is stored whole or not at all.
#[utoipa::path(
    post,
    path = "/api/v1/partner/blocklists",
    tag = "partner",
    security(("partner_key" = ["blocklist:submit"])),
    params(ListQuery),
    request_body(content = String, description = "The list (UTF-8, at most 16 MiB)", content_type = "text/plain"),
    responses((status = 201, body = SubmittedOut), (status = 401, description = "No key, or an unknown, expired or revoked one", body = crate::error::ErrorBody), (status = 403, description = "The key has no `blocklist:submit` scope", body = crate::error::ErrorBody), (status = 413, description = "Over 16 MiB", body = crate::error::ErrorBody), (status = 422, description = "A bad parameter, or rows that cannot be read (with their lines)", body = RejectedOut), (status = 429, description = "Over the key's rate; see `Retry-After`", body = crate::error::ErrorBody))
)]
pub async fn submit(
    State(state): State<AppState>,
    partner: Partner,
    Query(q): Query<ListQuery>,
    body: Bytes,
) -> Response {
    let lang = partner.lang;
    if let Err(r) = partner.require(KeyScope::BlocklistSubmit) {
        return r;
    }
    let Some(format) = q.format.as_deref().and_then(ListFormat::parse) else {
        return invalid(
            lang,
            "invalid_format",
            "format",
            "Định dạng phải là csv, domains hoặc stix.",
            "The format must be csv, domains or stix.",
        );
    };
    let name = q.name.as_deref().map(str::trim).unwrap_or("default");
    if name.is_empty() || name.chars().count() > 80 || name.chars().any(char::is_control) {
        return invalid(
            lang,
            "invalid_name",
            "name",
            "Tên danh sách dài 1–80 ký tự.",
            "A list name is 1–80 characters.",
        );
    }
    let now = super::unix_now();
    let Some(listed_on) = listed_on(q.listed_on.as_deref(), now) else {
        return invalid(
            lang,
            "invalid_date",
            "listed_on",
            "Ngày lập danh sách phải có dạng YYYY-MM-DD và không ở tương lai.",
            "The listing day must be YYYY-MM-DD and not in the future.",
        );
    };
    let confidence = q.confidence.unwrap_or(50);
    if confidence > 100 {
        return invalid(
            lang,
            "invalid_confidence",
            "confidence",
            "Độ tin cậy từ 0 đến 100.",
            "The confidence is 0 to 100.",
        );
    }
    let Ok(text) = std::str::from_utf8(&body) else {
        return invalid(
            lang,
            "not_utf8",
            "body",
            "Danh sách phải là văn bản UTF-8.",
            "The list must be UTF-8 text.",
        );
    };
    // Parsing 100,000 rows takes a while: off the threads that answer requests.
    let text = text.to_string();
    let parsed =
        match tokio::task::spawn_blocking(move || blocklist::parse(format, &text, lang)).await {
            Ok(p) => p,
            Err(e) => return ApiError::unavailable(lang, &e).into_response(),
        };
    let entries = match parsed {
        Ok(entries) => entries,
        Err(refused) => {
            let detail = match lang {
                Lang::Vi => format!(
                    "{} dòng không đọc được; không mục nào được lưu. Sửa các dòng được nêu rồi gửi lại cả danh sách.",
                    refused.total
                ),
                Lang::En => format!(
                    "{} rows cannot be read; nothing was stored. Fix the rows named and send the whole list again.",
                    refused.total
                ),
            };
            return (
                StatusCode::UNPROCESSABLE_ENTITY,
                Json(RejectedOut {
                    errors: vec![ErrorItem {
                        code: "list_rejected".to_string(),
                        field: Some("body".to_string()),
                        detail,
                    }],
                    rows: refused.errors,
                    rows_total: refused.total,
                }),
            )
                .into_response();
        }
    };
    let list = NewList {
        name,
        format,
        listed_on,
        confidence,
        entries: &entries,
    };
    match state
        .store
        .import_partner_list(&partner.holder, &list, now)
        .await
    {
        Ok(done) => {
            // This node's check shows it at once; the others as they follow the log.
            if let Err(e) = state.index.catch_up(&state.store).await {
                tracing::warn!(error = %e, "index catch-up after a partner list");
            }
            (
                StatusCode::CREATED,
                Json(SubmittedOut {
                    id: done.id,
                    entries: done.entries,
                    replaced: done.replaced,
                }),
            )
                .into_response()
        }
        Err(e) => ApiError::unavailable(lang, &e).into_response(),
    }
}

/// Your lists, newest first.
#[utoipa::path(
    get,
    path = "/api/v1/partner/blocklists",
    tag = "partner",
    security(("partner_key" = ["blocklist:submit"])),
    responses((status = 200, body = [ListOut]), (status = 401, description = "No key, or an unknown, expired or revoked one", body = crate::error::ErrorBody), (status = 403, description = "The key has no `blocklist:submit` scope", body = crate::error::ErrorBody), (status = 429, description = "Over the key's rate; see `Retry-After`", body = crate::error::ErrorBody))
)]
pub async fn mine(State(state): State<AppState>, partner: Partner) -> Response {
    if let Err(r) = partner.require(KeyScope::BlocklistSubmit) {
        return r;
    }
    match state
        .store
        .partner_lists(Some(partner.holder.partner_id))
        .await
    {
        Ok(lists) => Json(lists.iter().map(out).collect::<Vec<_>>()).into_response(),
        Err(e) => ApiError::unavailable(partner.lang, &e).into_response(),
    }
}

/// Which version of a list to withdraw.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct WithdrawBody {
    /// The list's `version` as you read it.
    pub version: i64,
}

/// Withdraw one of your lists at once: the check stops showing it.
#[utoipa::path(
    post,
    path = "/api/v1/partner/blocklists/{id}/withdraw",
    tag = "partner",
    security(("partner_key" = ["blocklist:submit"])),
    params(("id" = i64, Path, description = "The list's id")),
    request_body = WithdrawBody,
    responses((status = 204, description = "Withdrawn"), (status = 401, description = "No key, or an unknown, expired or revoked one", body = crate::error::ErrorBody), (status = 403, description = "The key has no `blocklist:submit` scope", body = crate::error::ErrorBody), (status = 404, description = "No such list of yours", body = crate::error::ErrorBody), (status = 409, description = "Withdrawn, replaced or changed since that version", body = crate::error::ErrorBody), (status = 422, body = crate::error::ErrorBody), (status = 429, description = "Over the key's rate; see `Retry-After`", body = crate::error::ErrorBody))
)]
pub async fn withdraw(
    State(state): State<AppState>,
    partner: Partner,
    Path(id): Path<i64>,
    crate::json::ApiJson(body): crate::json::ApiJson<WithdrawBody>,
) -> Response {
    let lang = partner.lang;
    if let Err(r) = partner.require(KeyScope::BlocklistSubmit) {
        return r;
    }
    match state
        .store
        .withdraw_partner_list(&partner.holder, id, body.version, super::unix_now())
        .await
    {
        Ok(Ok(())) => {
            if let Err(e) = state.index.catch_up(&state.store).await {
                tracing::warn!(error = %e, "index catch-up after a withdrawn list");
            }
            StatusCode::NO_CONTENT.into_response()
        }
        Ok(Err(ListError::NotFound | ListError::Forbidden)) => ApiError::localized(
            StatusCode::NOT_FOUND,
            "not_found",
            lang,
            "Không có danh sách này của bạn.",
            "No such list of yours.",
        )
        .into_response(),
        Ok(Err(ListError::Changed)) => ApiError::localized(
            StatusCode::CONFLICT,
            "changed_meanwhile",
            lang,
            "Danh sách đã được rút, thay hoặc thay đổi từ phiên bản đó.",
            "The list was withdrawn, replaced or changed since that version.",
        )
        .into_response(),
        Err(e) => ApiError::unavailable(lang, &e).into_response(),
    }
}
