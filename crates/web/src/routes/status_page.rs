//! The reporter's status page `/theo-doi`: code and secret in a POST form, so the
//! secret never appears in a URL or a log.

use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::Form;
use canhgiac_core::i18n::Lang;
use canhgiac_core::report::Channel;
use canhgiac_core::tracking::TrackingCode;
use canhgiac_core::verdict::format_vnd;
use canhgiac_core::IdentifierKind;
use canhgiac_store::ReportView;
use serde::Deserialize;

use crate::lang::ReqLang;
use crate::pages::{render, L};
use crate::routes::reports::status_text;
use crate::AppState;

#[derive(Template)]
#[template(path = "status.html")]
struct StatusPage {
    l: L,
    code: String,
    not_found: bool,
    report: Option<ReportView>,
    status_text: String,
    status_explained: String,
    received: String,
    /// The statutory deadline, `dd/mm/yyyy` (empty before formal receipt).
    deadline: String,
    channel: String,
    amount: String,
    /// (kind label, display, check query)
    identifiers: Vec<(String, String, String)>,
    /// Why the lookup was refused (too many), or empty.
    error: String,
}

impl StatusPage {
    fn empty(lang: Lang, code: String) -> StatusPage {
        StatusPage {
            l: L(lang),
            code,
            not_found: false,
            report: None,
            status_text: String::new(),
            status_explained: String::new(),
            received: String::new(),
            deadline: String::new(),
            channel: String::new(),
            amount: String::new(),
            identifiers: Vec::new(),
            error: String::new(),
        }
    }
}

#[derive(Debug, Deserialize)]
pub struct CodeQuery {
    code: Option<String>,
}

/// `GET /theo-doi`: the form.
pub async fn form(ReqLang(lang): ReqLang, Query(q): Query<CodeQuery>) -> Response {
    let code: String = q.code.unwrap_or_default().chars().take(20).collect();
    render(StatusCode::OK, &StatusPage::empty(lang, code))
}

#[derive(Debug, Deserialize)]
pub struct StatusForm {
    code: String,
    secret: String,
}

/// `POST /theo-doi`: the report, if code and secret match.
pub async fn show(
    State(state): State<AppState>,
    ReqLang(lang): ReqLang,
    crate::limit::Client(client): crate::limit::Client,
    Form(f): Form<StatusForm>,
) -> Response {
    let shown_code: String = f.code.chars().take(20).collect();
    let mut page = StatusPage::empty(lang, shown_code);
    if let Err(wait) = state.limits.tracking.take(&state.store, &client).await {
        page.error = format!(
            "{} {} {}",
            lang.pick(
                "Bạn đã tra cứu quá nhiều lần; hãy thử lại sau",
                "Too many lookups from you; try again in"
            ),
            wait.as_secs().div_ceil(60).max(1),
            lang.pick("phút.", "minutes.")
        );
        return render(StatusCode::TOO_MANY_REQUESTS, &page);
    }
    let found = match TrackingCode::parse(&f.code) {
        Ok(code) => match state.store.report_for_reporter(&code, &f.secret).await {
            Ok(r) => r,
            Err(e) => {
                tracing::error!(error = %e, "status lookup failed");
                return render(StatusCode::SERVICE_UNAVAILABLE, &page);
            }
        },
        Err(_) => None,
    };
    let Some(r) = found else {
        page.not_found = true;
        return render(StatusCode::NOT_FOUND, &page);
    };
    let (short, long) = status_text(&r.status, lang);
    page.status_text = short.into();
    page.status_explained = long.into();
    page.received = crate::pages::format::fmt_datetime(r.created_at);
    page.deadline = r
        .deadline
        .as_deref()
        .and_then(canhgiac_store::console::parse_date)
        .map(crate::pages::format::fmt_day)
        .unwrap_or_default();
    page.channel = Channel::parse(&r.channel)
        .map(|c| c.label(lang).to_string())
        .unwrap_or_else(|| r.channel.clone());
    page.amount = format_vnd(r.amount_lost_vnd.max(0) as u64);
    page.identifiers = r
        .identifiers
        .iter()
        .map(|i| {
            let label = IdentifierKind::parse(&i.kind)
                .map(|k| k.label(lang))
                .unwrap_or("")
                .to_string();
            let query =
                serde_urlencoded::to_string([("q", i.display.as_str())]).unwrap_or_default();
            (
                label,
                i.display.clone(),
                query.trim_start_matches("q=").to_string(),
            )
        })
        .collect();
    page.report = Some(r);
    render(StatusCode::OK, &page)
}
