//! Requests for review by the owners of listed identifiers: the public form
//! `/khieu-nai`, the outcome page, and the same through the API. Rate-limited per
//! client; the requester's contact is sealed at rest.

use askama::Template;
use axum::extract::rejection::FormRejection;
use axum::extract::{Path, Query, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::{Form, Json};
use canhgiac_core::dispute::{validate, DisputeInput, ValidDispute};
use canhgiac_core::i18n::Lang;
use canhgiac_core::intake::FieldError;
use canhgiac_core::tracking::parse_dispute_code;
use canhgiac_store::disputes::{DisputeContact, NewDispute, PublicDispute};
use serde::{Deserialize, Serialize};

use crate::error::ApiError;
use crate::json::ApiJson;
use crate::lang::ReqLang;
use crate::limit::Client;
use crate::pages::format::L;
use crate::pages::render;
use crate::pages::PageError;
use crate::AppState;

/// Why a dispute was not filed.
enum Refusal {
    Invalid(Vec<FieldError>),
    NotListed,
    TooMany(u64),
}

fn refusal_text(r: &Refusal, lang: Lang) -> String {
    match r {
        Refusal::Invalid(_) => lang.pick("Hãy sửa các mục dưới đây.", "Please correct the fields below.").into(),
        Refusal::NotListed => lang
            .pick(
                "Định danh này hiện không có báo cáo hay cảnh báo nào, nên không cần yêu cầu xem xét.",
                "Nothing is held against this identifier, so there is nothing to review.",
            )
            .into(),
        Refusal::TooMany(mins) => format!(
            "{} {mins} {}",
            lang.pick("Bạn đã gửi nhiều yêu cầu. Hãy thử lại sau", "You have sent several requests. Try again in"),
            lang.pick("phút.", "minutes.")
        ),
    }
}

async fn file(
    state: &AppState,
    client: &str,
    input: &DisputeInput,
    lang: Lang,
) -> Result<Result<(String, ValidDispute), Refusal>, canhgiac_store::StoreError> {
    let valid = match validate(input, lang) {
        Ok(v) => v,
        Err(errors) => return Ok(Err(Refusal::Invalid(errors))),
    };
    let listed = state
        .index
        .lookup(&valid.identifier)
        .is_some_and(|s| s.report_count > 0 || s.verified_at.is_some());
    if !listed {
        return Ok(Err(Refusal::NotListed));
    }
    if let Err(wait) = state.limits.disputes.take(&state.store, client).await {
        return Ok(Err(Refusal::TooMany(wait.as_secs().div_ceil(60).max(1))));
    }
    let code = state
        .store
        .open_dispute(NewDispute {
            key: valid.identifier.key(),
            display: valid.identifier.display(),
            explanation: valid.explanation.clone(),
            contact: DisputeContact {
                name: valid.name.clone(),
                contact: valid.contact.clone(),
            },
            at: time::OffsetDateTime::now_utc().unix_timestamp(),
        })
        .await?;
    tracing::info!("dispute filed");
    Ok(Ok((code, valid)))
}

#[derive(Template)]
#[template(path = "dispute.html")]
struct DisputePage {
    l: L,
    form: DisputeInput,
    message: String,
    errors: Vec<FieldError>,
    code: String,
    identifier: String,
    outcome: Option<PublicOutcome>,
    lookup: bool,
    not_found: bool,
}

struct PublicOutcome {
    code: String,
    identifier: String,
    status: &'static str,
    reason: String,
}

impl DisputePage {
    fn new(lang: Lang) -> DisputePage {
        DisputePage {
            l: L(lang),
            form: DisputeInput::default(),
            message: String::new(),
            errors: Vec::new(),
            code: String::new(),
            identifier: String::new(),
            outcome: None,
            lookup: false,
            not_found: false,
        }
    }

    fn error_for(&self, field: &str) -> String {
        self.errors
            .iter()
            .find(|e| e.field == field)
            .map(|e| e.detail.clone())
            .unwrap_or_default()
    }
}

fn status_words(status: &str, lang: Lang) -> &'static str {
    let (vi, en) = match status {
        "open" => ("Đang chờ cán bộ xem xét", "Waiting for an officer"),
        "kept" => ("Đã xem xét: giữ cảnh báo", "Reviewed: the warning stays"),
        "cleared" => (
            "Đã xem xét: gỡ cảnh báo",
            "Reviewed: the warning was removed",
        ),
        _ => ("Không rõ", "Unknown"),
    };
    lang.pick(vi, en)
}

#[derive(Deserialize, Default)]
pub struct Prefill {
    #[serde(default)]
    q: String,
}

/// The form, prefilled from the check page.
pub async fn form(ReqLang(lang): ReqLang, Query(p): Query<Prefill>) -> Response {
    let mut page = DisputePage::new(lang);
    page.form.identifier = p.q.chars().take(200).collect();
    render(StatusCode::OK, &page)
}

/// Files a dispute from the form.
pub async fn submit(
    State(state): State<AppState>,
    ReqLang(lang): ReqLang,
    Client(client): Client,
    form: Result<Form<DisputeInput>, FormRejection>,
) -> Response {
    let Ok(Form(input)) = form else {
        let mut page = DisputePage::new(lang);
        page.message = lang
            .pick("Biểu mẫu không hợp lệ.", "The form is not valid.")
            .into();
        return render(StatusCode::BAD_REQUEST, &page);
    };
    match file(&state, &client, &input, lang).await {
        Ok(Ok((code, valid))) => {
            let mut page = DisputePage::new(lang);
            page.code = code;
            page.identifier = valid.identifier.display();
            render(StatusCode::CREATED, &page)
        }
        Ok(Err(refusal)) => {
            let mut page = DisputePage::new(lang);
            page.message = refusal_text(&refusal, lang);
            let status = match &refusal {
                Refusal::Invalid(_) | Refusal::NotListed => StatusCode::UNPROCESSABLE_ENTITY,
                Refusal::TooMany(_) => StatusCode::TOO_MANY_REQUESTS,
            };
            if let Refusal::Invalid(errors) = refusal {
                page.errors = errors;
            }
            page.form = input;
            render(status, &page)
        }
        Err(e) => PageError::unavailable("dispute", e).into_response(),
    }
}

/// The lookup form.
pub async fn lookup_form(ReqLang(lang): ReqLang) -> Response {
    let mut page = DisputePage::new(lang);
    page.lookup = true;
    render(StatusCode::OK, &page)
}

#[derive(Deserialize)]
pub struct CodeForm {
    #[serde(default)]
    code: String,
}

/// The outcome of a dispute, found by its code (POST, so the code stays out of URLs).
pub async fn lookup(
    State(state): State<AppState>,
    ReqLang(lang): ReqLang,
    Form(f): Form<CodeForm>,
) -> Response {
    let mut page = DisputePage::new(lang);
    page.lookup = true;
    let found = match parse_dispute_code(&f.code) {
        Some(code) => match state.store.dispute_by_code(&code).await {
            Ok(d) => d,
            Err(e) => return PageError::unavailable("dispute lookup", e).into_response(),
        },
        None => None,
    };
    match found {
        Some(d) => {
            page.outcome = Some(PublicOutcome {
                status: status_words(&d.status, lang),
                reason: d.decision_reason.unwrap_or_default(),
                code: d.code,
                identifier: d.identifier,
            });
            render(StatusCode::OK, &page)
        }
        None => {
            page.not_found = true;
            page.code = f.code.chars().take(40).collect();
            render(StatusCode::NOT_FOUND, &page)
        }
    }
}

/// A filed dispute.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct DisputeReceipt {
    /// Keep it: it opens the outcome.
    pub code: String,
    /// Where to follow it.
    pub status_url: String,
}

/// Ask for a review of a listed identifier (its owner).
#[utoipa::path(
    post,
    path = "/api/v1/disputes",
    tag = "reports",
    request_body = DisputeInput,
    responses(
        (status = 201, body = DisputeReceipt),
        (status = 422, description = "Invalid fields, or nothing is held against the identifier (`not_listed`)", body = crate::error::ErrorBody),
        (status = 429, description = "Too many requests from this client", body = crate::error::ErrorBody)
    )
)]
pub async fn api_create(
    State(state): State<AppState>,
    ReqLang(lang): ReqLang,
    Client(client): Client,
    ApiJson(input): ApiJson<DisputeInput>,
) -> Response {
    match file(&state, &client, &input, lang).await {
        Ok(Ok((code, _))) => (
            StatusCode::CREATED,
            Json(DisputeReceipt {
                status_url: format!("/api/v1/disputes/{code}"),
                code,
            }),
        )
            .into_response(),
        Ok(Err(Refusal::Invalid(errors))) => ApiError::fields(errors).into_response(),
        Ok(Err(r @ Refusal::NotListed)) => ApiError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "not_listed",
            refusal_text(&r, lang),
        )
        .field("identifier")
        .into_response(),
        Ok(Err(r @ Refusal::TooMany(mins))) => {
            let mut resp = ApiError::new(
                StatusCode::TOO_MANY_REQUESTS,
                "too_many_requests",
                refusal_text(&r, lang),
            )
            .into_response();
            if let Ok(v) = (mins * 60).to_string().parse() {
                resp.headers_mut().insert(header::RETRY_AFTER, v);
            }
            resp
        }
        Err(e) => crate::error::from_store(lang, e).into_response(),
    }
}

/// The outcome of a dispute.
#[utoipa::path(
    get,
    path = "/api/v1/disputes/{code}",
    tag = "reports",
    params(("code" = String, Path, description = "The code given when the dispute was filed")),
    responses((status = 200, description = "The request and, once decided, the decision", body = PublicDispute), (status = 404, body = crate::error::ErrorBody))
)]
pub async fn api_status(
    State(state): State<AppState>,
    ReqLang(lang): ReqLang,
    Path(code): Path<String>,
) -> Response {
    let not_found = || {
        ApiError::localized(
            StatusCode::NOT_FOUND,
            "dispute_not_found",
            lang,
            "Không có yêu cầu xem xét với mã này.",
            "No request for review has this code.",
        )
        .into_response()
    };
    let Some(code) = parse_dispute_code(&code) else {
        return not_found();
    };
    match state.store.dispute_by_code(&code).await {
        Ok(Some(d)) => Json::<PublicDispute>(d).into_response(),
        Ok(None) => not_found(),
        Err(e) => crate::error::from_store(lang, e).into_response(),
    }
}
