//! The bank portal (`/doi-tac`): a bank without an integration signs in with a key
//! that may answer holds, sees the requests addressed to it and answers each with a
//! form, the same answers and checks as the API (a stale version is refused). The
//! session is a cookie (HttpOnly, SameSite=Strict) whose token is kept only as a hash;
//! every form carries the session's CSRF token. Works without JavaScript.

use askama::Template;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use canhgiac_core::holds::{BankAnswer, HoldState};
use canhgiac_core::i18n::Lang;
use canhgiac_core::partner::KeyRefusal;
use canhgiac_store::holds::HoldRequest;
use canhgiac_store::partner_holds::AnswerInput;
use canhgiac_store::partners::KeyHolder;

use crate::pages::format::{fmt_datetime, vnd, L};
use crate::refusal::Refusal;
use crate::AppState;

/// The portal's cookie.
pub const PORTAL_COOKIE: &str = "cg_partner";

fn unix_now() -> i64 {
    time::OffsetDateTime::now_utc().unix_timestamp()
}

fn token_of(headers: &HeaderMap) -> Option<String> {
    crate::console::auth::cookie(headers, PORTAL_COOKIE).map(str::to_string)
}

struct Account {
    account: String,
    amount: String,
}

struct Row {
    id: i64,
    version: i64,
    letter_no: String,
    state: String,
    held: String,
    sent: String,
    accounts: Vec<Account>,
    total: String,
    answers: Vec<(String, &'static str)>,
}

#[derive(Template)]
#[template(path = "partner_portal.html")]
struct PortalPage {
    l: L,
    signed_in: bool,
    partner: String,
    csrf: String,
    rows: Vec<Row>,
    notice: Option<String>,
    error: Option<String>,
}

fn page(status: StatusCode, p: &PortalPage) -> Response {
    crate::pages::render(status, p)
}

fn sign_in_page(lang: Lang, status: StatusCode, error: Option<String>) -> Response {
    page(
        status,
        &PortalPage {
            l: L(lang),
            signed_in: false,
            partner: String::new(),
            csrf: String::new(),
            rows: Vec::new(),
            notice: None,
            error,
        },
    )
}

fn row_of(r: &HoldRequest, lang: Lang) -> Row {
    let state = HoldState::parse(&r.state).unwrap_or(HoldState::Sent);
    Row {
        id: r.id,
        version: r.version,
        letter_no: r.letter_no.clone(),
        state: state.label(lang).to_string(),
        held: vnd(r.held_amount_vnd),
        sent: r
            .events
            .iter()
            .find(|e| e.state == "sent")
            .map(|e| fmt_datetime(e.at))
            .unwrap_or_default(),
        total: vnd(r.items.iter().map(|i| i.amount_vnd).sum()),
        accounts: r
            .items
            .iter()
            .map(|i| Account {
                account: i.account.clone(),
                amount: vnd(i.amount_vnd),
            })
            .collect(),
        answers: BankAnswer::ALL
            .into_iter()
            .filter(|a| state.can_go_to(a.state()))
            .map(|a| (a.as_str().to_string(), a.label(lang)))
            .collect(),
    }
}

async fn portal(
    state: &AppState,
    holder: &KeyHolder,
    csrf: String,
    lang: Lang,
    status: StatusCode,
    notice: Option<String>,
    error: Option<String>,
) -> Response {
    let list = match state.store.partner_holds(holder, None, 200).await {
        Ok(l) => l,
        Err(e) => {
            tracing::error!(error = %e, "portal holds");
            return crate::pages::PageError::Unavailable.into_response();
        }
    };
    let rows = list
        .iter()
        .filter(|r| !matches!(r.state.as_str(), "refused" | "released"))
        .map(|r| row_of(r, lang))
        .collect();
    page(
        status,
        &PortalPage {
            l: L(lang),
            signed_in: true,
            partner: holder.partner_name.clone(),
            csrf,
            rows,
            notice,
            error,
        },
    )
}

/// `GET /doi-tac`: the requests waiting for the bank, or the sign-in form.
pub async fn show(
    State(state): State<AppState>,
    headers: HeaderMap,
    lang: crate::lang::ReqLang,
) -> Response {
    let lang = lang.0;
    let Some(token) = token_of(&headers) else {
        return sign_in_page(lang, StatusCode::OK, None);
    };
    match state.store.partner_session(&token, unix_now()).await {
        Ok(Some((holder, csrf))) => {
            state
                .key_uses
                .count(holder.key_id, "PORTAL GET /doi-tac", 200);
            portal(&state, &holder, csrf, lang, StatusCode::OK, None, None).await
        }
        Ok(None) => sign_in_page(lang, StatusCode::OK, None),
        Err(e) => {
            tracing::error!(error = %e, "portal session");
            crate::pages::PageError::Unavailable.into_response()
        }
    }
}

fn field(body: &[(String, String)], name: &str) -> String {
    body.iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.trim().to_string())
        .unwrap_or_default()
}

/// `POST /doi-tac/dang-nhap`: signs in with a key that may answer holds.
pub async fn sign_in(
    State(state): State<AppState>,
    lang: crate::lang::ReqLang,
    body: Bytes,
) -> Response {
    let lang = lang.0;
    let pairs: Vec<(String, String)> = serde_urlencoded::from_bytes(&body).unwrap_or_default();
    let key = field(&pairs, "key");
    match state.store.open_partner_session(&key, unix_now()).await {
        Ok(Ok((token, _))) => {
            let secure = if state.secure_cookies { "; Secure" } else { "" };
            let cookie = format!(
                "{PORTAL_COOKIE}={token}; Path=/doi-tac; HttpOnly; SameSite=Strict; Max-Age={}{secure}",
                canhgiac_store::partners::PORTAL_SESSION_SECS
            );
            let mut r = Redirect::to("/doi-tac").into_response();
            if let Ok(v) = header::HeaderValue::from_str(&cookie) {
                r.headers_mut().insert(header::SET_COOKIE, v);
            }
            r
        }
        Ok(Err(refusal)) => {
            let words = match refusal {
                KeyRefusal::OutOfScope => lang.pick(
                    "Khóa này không được trả lời đề nghị tạm giữ.",
                    "This key may not answer hold requests.",
                ),
                other => other.message(lang),
            };
            sign_in_page(lang, StatusCode::UNAUTHORIZED, Some(words.to_string()))
        }
        Err(e) => {
            tracing::error!(error = %e, "portal sign-in");
            crate::pages::PageError::Unavailable.into_response()
        }
    }
}

/// `POST /doi-tac/dang-xuat`.
pub async fn sign_out(State(state): State<AppState>, headers: HeaderMap) -> Response {
    if let Some(token) = token_of(&headers) {
        if let Err(e) = state.store.close_partner_session(&token).await {
            tracing::warn!(error = %e, "portal sign-out");
        }
    }
    let mut r = Redirect::to("/doi-tac").into_response();
    r.headers_mut().insert(
        header::SET_COOKIE,
        header::HeaderValue::from_static(
            "cg_partner=; Path=/doi-tac; HttpOnly; SameSite=Strict; Max-Age=0",
        ),
    );
    r
}

/// "42.000.000", "42 000 000 đ" → 42000000.
fn amount_of(text: &str) -> Option<i64> {
    let digits: String = text
        .chars()
        .filter(|c| !matches!(c, '.' | ' ' | ',' | 'đ' | '\u{a0}'))
        .collect();
    if digits.is_empty() {
        return None;
    }
    digits.parse().ok()
}

/// A `datetime-local` value ("2026-12-02T09:30"), Vietnam time.
fn local_time_of(text: &str) -> Option<i64> {
    let t = time::PrimitiveDateTime::parse(
        text,
        time::macros::format_description!("[year]-[month]-[day]T[hour]:[minute]"),
    )
    .ok()?;
    Some(
        t.assume_offset(canhgiac_core::clock::VN_OFFSET)
            .unix_timestamp(),
    )
}

/// `POST /doi-tac/tam-giu/{id}`: the bank's answer to one request.
pub async fn answer(
    State(state): State<AppState>,
    headers: HeaderMap,
    lang: crate::lang::ReqLang,
    Path(id): Path<i64>,
    body: Bytes,
) -> Response {
    let lang = lang.0;
    let session = match token_of(&headers) {
        Some(token) => state.store.partner_session(&token, unix_now()).await,
        None => Ok(None),
    };
    let (holder, csrf) = match session {
        Ok(Some(s)) => s,
        Ok(None) => {
            return sign_in_page(
                lang,
                StatusCode::UNAUTHORIZED,
                Some(
                    lang.pick(
                        "Phiên đã hết; hãy đăng nhập lại.",
                        "The session ended; sign in again.",
                    )
                    .into(),
                ),
            )
        }
        Err(e) => {
            tracing::error!(error = %e, "portal session");
            return crate::pages::PageError::Unavailable.into_response();
        }
    };
    let route = "PORTAL POST /doi-tac/tam-giu/{id}";
    let pairs: Vec<(String, String)> = serde_urlencoded::from_bytes(&body).unwrap_or_default();
    if !crate::console::auth::same_secret(&field(&pairs, "csrf"), &csrf) {
        state.key_uses.count(holder.key_id, route, 403);
        return crate::pages::PageError::Csrf.into_response();
    }
    let refuse = |status: StatusCode, words: String| (status, words);
    let parsed = (|| {
        let answer = BankAnswer::parse(&field(&pairs, "answer")).ok_or_else(|| {
            refuse(
                StatusCode::UNPROCESSABLE_ENTITY,
                lang.pick("Chọn câu trả lời.", "Choose an answer.").into(),
            )
        })?;
        let version = field(&pairs, "version").parse::<i64>().map_err(|_| {
            refuse(
                StatusCode::BAD_REQUEST,
                lang.pick("Biểu mẫu không hợp lệ.", "The form is not valid.")
                    .into(),
            )
        })?;
        let amount_text = field(&pairs, "amount_vnd");
        let amount_vnd = if amount_text.is_empty() {
            None
        } else {
            Some(amount_of(&amount_text).ok_or_else(|| {
                refuse(
                    StatusCode::UNPROCESSABLE_ENTITY,
                    lang.pick(
                        "Số tiền chỉ gồm chữ số (đồng).",
                        "The amount is digits only (VND).",
                    )
                    .into(),
                )
            })?)
        };
        let when = field(&pairs, "effective_at");
        let effective_at = if when.is_empty() {
            None
        } else {
            Some(local_time_of(&when).ok_or_else(|| {
                refuse(
                    StatusCode::UNPROCESSABLE_ENTITY,
                    lang.pick("Thời điểm không hợp lệ.", "The time is not valid.")
                        .into(),
                )
            })?)
        };
        Ok::<_, (StatusCode, String)>(AnswerInput {
            answer,
            amount_vnd,
            effective_at,
            note: field(&pairs, "note"),
            version,
        })
    })();
    let input = match parsed {
        Ok(i) => i,
        Err((status, words)) => {
            state.key_uses.count(holder.key_id, route, status.as_u16());
            return portal(&state, &holder, csrf, lang, status, None, Some(words)).await;
        }
    };
    match state.store.answer_hold(&holder, id, &input).await {
        Ok(Ok(r)) => {
            state.key_uses.count(holder.key_id, route, 200);
            let done = format!(
                "{} {}: {}.",
                lang.pick(
                    "Đã ghi nhận trả lời cho công văn",
                    "Answer recorded for letter"
                ),
                r.letter_no,
                input.answer.label(lang)
            );
            portal(
                &state,
                &holder,
                csrf,
                lang,
                StatusCode::OK,
                Some(done),
                None,
            )
            .await
        }
        Ok(Err(e)) => {
            state
                .key_uses
                .count(holder.key_id, route, e.status().as_u16());
            portal(
                &state,
                &holder,
                csrf,
                lang,
                e.status(),
                None,
                Some(e.text(lang)),
            )
            .await
        }
        Err(e) => {
            tracing::error!(error = %e, "portal answer");
            crate::pages::PageError::Unavailable.into_response()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amounts_and_local_times_are_read_as_a_bank_clerk_types_them() {
        assert_eq!(amount_of("42.000.000"), Some(42_000_000));
        assert_eq!(amount_of("42 000 000 đ"), Some(42_000_000));
        assert_eq!(amount_of("bốn mươi"), None);
        assert_eq!(amount_of(""), None);
        assert_eq!(local_time_of("2026-12-02T09:30"), Some(1_796_178_600));
        assert_eq!(local_time_of("02/12/2026 09:30"), None);
    }
}
