//! The public check: `GET /api/v1/check?q=` and the page `/kiem-tra`. Answers come
//! from the in-memory lookup index only; no SQL runs on this path.

use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use canhgiac_core::i18n::Lang;
use canhgiac_core::recognize::{recognize, Query as Recognized, QueryError};
use canhgiac_core::verdict::{format_vnd, Verdict};
use canhgiac_core::Identifier;
use serde::{Deserialize, Serialize};

use crate::error::ApiError;
use crate::lang::ReqLang;
use crate::pages::{render, texts, Texts};
use crate::AppState;

/// The query.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
pub struct CheckParams {
    /// What to check: a phone number, "BANK ACCOUNT", a URL or domain, a social
    /// account, a wallet, an e-mail, or free text (up to 5,000 characters).
    q: Option<String>,
}

/// An identifier found in free text, with its verdict and where it was found
/// (offsets in characters of the query).
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct FoundVerdict {
    #[serde(flatten)]
    verdict: Verdict,
    /// First character of the identifier in the query.
    start: usize,
    /// One past its last character.
    end: usize,
    /// The text as it appeared.
    text: String,
}

/// Free text: one verdict per identifier found.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ItemsResponse {
    items: Vec<FoundVerdict>,
}

/// One verdict, or the verdicts of every identifier found in free text.
#[derive(Debug, Serialize, utoipa::ToSchema)]
#[serde(untagged)]
pub enum CheckResponse {
    /// The query was one identifier.
    One(Box<Verdict>),
    /// The query was free text.
    Text(ItemsResponse),
}

fn verdict_of(state: &AppState, identifier: &Identifier, lang: Lang) -> Verdict {
    let v = canhgiac_detect::judge(identifier, state.index.lookup(identifier).as_ref(), lang);
    state.metrics.check_answered(v.level.as_str());
    v
}

/// Runs a check. A VietQR payload (the text of a payment QR code) is checked by
/// its receiving account.
pub fn run_check(state: &AppState, q: &str, lang: Lang) -> Result<CheckResponse, QueryError> {
    if q.trim_start().starts_with("000201") {
        if let Ok(code) = canhgiac_detect::vietqr::decode_payload(q) {
            if let Ok(account) =
                canhgiac_core::ident::BankAccount::parse(&code.bank_bin, &code.account)
            {
                return Ok(CheckResponse::One(Box::new(verdict_of(
                    state,
                    &Identifier::BankAccount(account),
                    lang,
                ))));
            }
        }
    }
    Ok(match recognize(q)? {
        Recognized::One(identifier) => {
            CheckResponse::One(Box::new(verdict_of(state, &identifier, lang)))
        }
        Recognized::Text(found) => {
            let text = q.trim();
            CheckResponse::Text(ItemsResponse {
                items: found
                    .iter()
                    .map(|f| {
                        let (start, end) = f.char_span(text);
                        FoundVerdict {
                            verdict: verdict_of(state, &f.identifier, lang),
                            start,
                            end,
                            text: text[f.start..f.end].to_string(),
                        }
                    })
                    .collect(),
            })
        }
    })
}

/// Check what a citizen typed.
#[utoipa::path(
    get,
    path = "/api/v1/check",
    tag = "check",
    params(CheckParams),
    responses(
        (status = 200, description = "The verdict (never \"safe\": at best \"no_reports\")", body = CheckResponse),
        (status = 422, description = "Empty, too long, or one invalid identifier", body = crate::error::ErrorBody)
    )
)]
pub async fn api_check(
    State(state): State<AppState>,
    ReqLang(lang): ReqLang,
    Query(params): Query<CheckParams>,
) -> Response {
    let q = params.q.unwrap_or_default();
    match run_check(&state, &q, lang) {
        Ok(answer) => axum::Json(answer).into_response(),
        Err(e) => ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, e.code(), e.message(lang))
            .into_response(),
    }
}

/// A verdict ready for the page.
pub struct VerdictView {
    verdict: Verdict,
    kind_label: &'static str,
    /// Facts about the identifier for people ("Viettel", "mobile").
    facts: String,
    loss: String,
    report_link: String,
}

impl VerdictView {
    fn new(verdict: Verdict, lang: Lang) -> VerdictView {
        let kind_label = canhgiac_core::IdentifierKind::parse(verdict.kind)
            .map(|k| k.label(lang))
            .unwrap_or("");
        let loss = format_vnd(verdict.reported_loss_vnd);
        let report_link = format!(
            "/bao-cao?{}",
            serde_urlencoded::to_string([
                ("kind", verdict.kind),
                ("value", verdict.display.as_str())
            ])
            .unwrap_or_default()
        );
        VerdictView {
            facts: facts_line(&verdict, lang),
            verdict,
            kind_label,
            loss,
            report_link,
        }
    }
}

/// The identifier's own facts in words: "di động · nhà mạng gốc Viettel".
fn facts_line(verdict: &Verdict, lang: Lang) -> String {
    verdict
        .details
        .iter()
        .filter_map(|d| match (d.key, d.value.as_ref()) {
            ("carrier", c) => Some(match lang {
                Lang::Vi => format!("nhà mạng gốc {c}"),
                Lang::En => format!("original network {c}"),
            }),
            ("line_type", t) => Some(
                match (t, lang) {
                    ("mobile", Lang::Vi) => "di động",
                    ("mobile", Lang::En) => "mobile",
                    ("fixed_line", Lang::Vi) => "cố định",
                    ("fixed_line", Lang::En) => "landline",
                    ("premium_rate", Lang::Vi) => "đầu số tính cước cao",
                    ("premium_rate", Lang::En) => "premium rate",
                    ("toll_free", Lang::Vi) => "miễn cước",
                    ("toll_free", Lang::En) => "toll-free",
                    _ => return None,
                }
                .to_string(),
            ),
            ("country_code", c) if c != "84" => Some(match lang {
                Lang::Vi => format!("số nước ngoài (+{c})"),
                Lang::En => format!("foreign number (+{c})"),
            }),
            ("registrable_domain", r) if verdict.normalized != r => Some(match lang {
                Lang::Vi => format!("tên miền chính {r}"),
                Lang::En => format!("registered domain {r}"),
            }),
            _ => None,
        })
        .collect::<Vec<_>>()
        .join(" · ")
}

#[derive(Template)]
#[template(path = "check.html")]
struct CheckPage {
    t: &'static Texts,
    query: String,
    error: Option<(String, String)>,
    free_text: bool,
    items: Vec<VerdictView>,
}

/// `GET /kiem-tra?q=`.
pub async fn page_check(
    State(state): State<AppState>,
    ReqLang(lang): ReqLang,
    Query(params): Query<CheckParams>,
) -> Response {
    let query = params.q.unwrap_or_default();
    let mut page = CheckPage {
        t: texts(lang),
        query: query.clone(),
        error: None,
        free_text: false,
        items: Vec::new(),
    };
    let mut status = StatusCode::OK;
    if !query.trim().is_empty() {
        match run_check(&state, &query, lang) {
            Ok(CheckResponse::One(v)) => page.items.push(VerdictView::new(*v, lang)),
            Ok(CheckResponse::Text(items)) => {
                page.free_text = true;
                page.items = items
                    .items
                    .into_iter()
                    .map(|f| VerdictView::new(f.verdict, lang))
                    .collect();
            }
            Err(e) => {
                status = StatusCode::UNPROCESSABLE_ENTITY;
                page.error = Some((e.code().to_string(), e.message(lang)));
            }
        }
    }
    render(status, &page)
}
