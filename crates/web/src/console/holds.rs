//! Urgent bank holds in the console: made from a report or its ring, one letter
//! (DOCX) and one JSON per bank; their states; money recovered; and the weekly median
//! of the time from a report to its hold request, drawn as a chart.

use askama::Template;
use axum::extract::State;
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use canhgiac_core::holds::{duration_text, weekly_medians, HoldState};
use canhgiac_core::i18n::Lang;
use canhgiac_core::roles::Permission;
use canhgiac_store::holds::{HoldError, HoldRequest};
use serde::Deserialize;

use super::auth::{Console, ConsoleForm};
use super::report::show_with_error;
use super::{fmt_datetime, vnd, Frame};
use crate::documents::letter::{self, LetterContext};
use crate::pages::render;
use crate::pages::Id;
use crate::pages::Notice;
use crate::pages::{PageError, PageResult};
use crate::refusal::Refusal;
use crate::AppState;

#[derive(Deserialize)]
pub struct CreateForm {
    #[serde(default)]
    ring: String,
}

/// Makes the hold requests of a report (or its ring).
pub async fn create(
    State(state): State<AppState>,
    Id(id): Id,
    f: ConsoleForm<CreateForm>,
) -> PageResult {
    let console = f.console.allowed(Permission::HandleReports)?;
    let lang = console.lang;
    let whole_ring = f.form.ring == "1";
    Ok(
        match state
            .store
            .create_holds(console.officer(), id, whole_ring, &state.index)
            .await
        {
            Ok(Ok(ids)) if ids.len() == 1 => {
                Redirect::to(&format!("/console/tam-giu/{}", ids[0])).into_response()
            }
            Ok(Ok(_)) => {
                Redirect::to(&format!("/console/bao-cao/{id}?xong=hold#ket-qua")).into_response()
            }
            Ok(Err(HoldError::NotFound)) => return Err(PageError::NotFound),
            Ok(Err(e)) => show_with_error(&state, console, id, Notice::refused(&e, lang)).await?,
            Err(e) => return Err(PageError::unavailable("hold action", e)),
        },
    )
}

#[derive(Deserialize)]
pub struct RecoveryForm {
    #[serde(default)]
    amount: String,
    #[serde(default)]
    note: String,
}

/// Parses "1.500.000", "1500000 đ" as VND.
pub fn parse_vnd(s: &str) -> Option<i64> {
    let digits: String = s.chars().filter(|c| c.is_ascii_digit()).collect();
    if digits.is_empty() || digits.len() > 16 || s.chars().any(|c| c == '-') {
        return None;
    }
    digits.parse().ok()
}

/// Records money returned to the victim of a report.
pub async fn recovery(
    State(state): State<AppState>,
    Id(id): Id,
    f: ConsoleForm<RecoveryForm>,
) -> PageResult {
    let console = f.console.allowed(Permission::HandleReports)?;
    let lang = console.lang;
    let Some(amount) = parse_vnd(&f.form.amount) else {
        return show_with_error(
            &state,
            console,
            id,
            Notice::invalid(HoldError::BadAmount.text(lang)),
        )
        .await;
    };
    Ok(
        match state
            .store
            .record_recovery(console.officer(), id, amount, &f.form.note)
            .await
        {
            Ok(Ok(())) => Redirect::to(&format!("/console/bao-cao/{id}?xong=recovery#ket-qua"))
                .into_response(),
            Ok(Err(HoldError::NotFound)) => return Err(PageError::NotFound),
            Ok(Err(e)) => show_with_error(&state, console, id, Notice::refused(&e, lang)).await?,
            Err(e) => return Err(PageError::unavailable("hold action", e)),
        },
    )
}

struct ListRow {
    id: i64,
    letter_no: String,
    bank: String,
    state: &'static str,
    held: String,
    created: String,
    report_id: i64,
    report_code: String,
}

fn list_row(r: &HoldRequest, lang: Lang) -> ListRow {
    ListRow {
        id: r.id,
        letter_no: r.letter_no.clone(),
        bank: canhgiac_core::banks::Banks::get()
            .by_bin(&r.bank_bin)
            .map(|b| b.short_name.clone())
            .unwrap_or_else(|| r.bank_bin.clone()),
        state: HoldState::parse(&r.state)
            .map(|s| s.label(lang))
            .unwrap_or(""),
        held: vnd(r.held_amount_vnd),
        created: fmt_datetime(r.created_at),
        report_id: r.report_id,
        report_code: r.report_code.clone(),
    }
}

#[derive(Template)]
#[template(path = "console/holds.html")]
struct HoldsPage {
    f: Frame,
    rows: Vec<ListRow>,
    weeks: Vec<(String, String, usize)>,
    chart: String,
    overall: String,
}

/// Requests and the weekly median time from report to request.
pub async fn list(State(state): State<AppState>, console: Console) -> PageResult {
    console.require(Permission::ViewReports)?;
    let lang = console.lang;
    let (requests, delays) = match (
        state
            .store
            .hold_requests(console.officer(), None, 200)
            .await,
        state.store.hold_delays(console.officer()).await,
    ) {
        (Ok(r), Ok(d)) => (r, d),
        (Err(e), _) | (_, Err(e)) => return Err(PageError::unavailable("hold action", e)),
    };
    let samples: Vec<(time::Date, i64)> = delays
        .iter()
        .map(|(reported, requested)| {
            (
                canhgiac_core::clock::local_date(*requested),
                requested - reported,
            )
        })
        .collect();
    let medians = weekly_medians(&samples);
    let mut all: Vec<i64> = samples.iter().map(|s| s.1).collect();
    all.sort_unstable();
    let overall = all
        .get(all.len() / 2)
        .map(|m| duration_text(*m, lang))
        .unwrap_or_default();
    let chart = crate::documents::chart::weekly_hours(&medians, lang);
    let weeks = medians
        .iter()
        .rev()
        .map(|(week, median, n)| (super::fmt_day(*week), duration_text(*median, lang), *n))
        .collect();
    let rows = requests.iter().map(|r| list_row(r, lang)).collect();
    Ok(render(
        StatusCode::OK,
        &HoldsPage {
            f: Frame::new(&console),
            rows,
            weeks,
            chart,
            overall,
        },
    ))
}

#[derive(Template)]
#[template(path = "console/hold.html")]
struct HoldPage {
    f: Frame,
    r: HoldRequest,
    bank: String,
    state: &'static str,
    held: String,
    total: String,
    items: Vec<(String, String, String, String, i64)>,
    events: Vec<(&'static str, String, String, String, String)>,
    next: Vec<(&'static str, &'static str)>,
    error: String,
    can_handle: bool,
}

async fn show(state: &AppState, console: Console, id: i64, notice: Notice) -> PageResult {
    let lang = console.lang;
    let req = match state.store.hold_request(console.officer(), id).await {
        Ok(Some(r)) => r,
        Ok(None) => return Err(PageError::NotFound),
        Err(e) => return Err(PageError::unavailable("hold action", e)),
    };
    let current = HoldState::parse(&req.state);
    let page = HoldPage {
        f: Frame::new(&console),
        bank: letter::bank_name(&req.bank_bin),
        state: current.map(|s| s.label(lang)).unwrap_or(""),
        held: vnd(req.held_amount_vnd),
        total: vnd(req.items.iter().map(|i| i.amount_vnd).sum()),
        items: req
            .items
            .iter()
            .map(|i| {
                (
                    i.account.clone(),
                    vnd(i.amount_vnd),
                    i.transferred_at.map(fmt_datetime).unwrap_or_default(),
                    i.tracking_code.clone(),
                    i.report_id,
                )
            })
            .collect(),
        events: req
            .events
            .iter()
            .map(|e| {
                // a bank's answer says what the bank did, when it says it did it
                let bank_answer = e
                    .answer
                    .as_deref()
                    .and_then(canhgiac_core::holds::BankAnswer::parse);
                (
                    match bank_answer {
                        Some(a) => a.label(lang),
                        None => HoldState::parse(&e.state)
                            .map(|s| s.label(lang))
                            .unwrap_or(""),
                    },
                    e.amount_vnd.map(vnd).unwrap_or_default(),
                    e.note.clone(),
                    if e.by_bank {
                        format!(
                            "{} ({})",
                            e.officer,
                            lang.pick("ngân hàng trả lời qua API", "the bank, through the API")
                        )
                    } else {
                        e.officer.clone()
                    },
                    match e.effective_at.filter(|t| *t != e.at) {
                        Some(t) => format!(
                            "{} · {} {}",
                            fmt_datetime(e.at),
                            lang.pick("tại ngân hàng lúc", "at the bank"),
                            fmt_datetime(t)
                        ),
                        None => fmt_datetime(e.at),
                    },
                )
            })
            .collect(),
        next: current
            .map(|c| {
                HoldState::ALL
                    .into_iter()
                    .filter(|n| c.can_go_to(*n))
                    .map(|n| (n.as_str(), n.label(lang)))
                    .collect()
            })
            .unwrap_or_default(),
        error: notice.text,
        can_handle: console.officer().role.can(Permission::HandleReports),
        r: req,
    };
    Ok(render(notice.status, &page))
}

/// One request.
pub async fn page(State(state): State<AppState>, console: Console, Id(id): Id) -> PageResult {
    console.require(Permission::ViewReports)?;
    show(&state, console, id, Notice::none()).await
}

#[derive(Deserialize)]
pub struct StateForm {
    #[serde(default)]
    state: String,
    /// The state the officer saw when the page was drawn.
    #[serde(default)]
    from: String,
    #[serde(default)]
    amount: String,
    #[serde(default)]
    note: String,
}

/// Records a state change.
pub async fn set_state(
    State(state): State<AppState>,
    Id(id): Id,
    f: ConsoleForm<StateForm>,
) -> PageResult {
    let console = f.console.allowed(Permission::HandleReports)?;
    let lang = console.lang;
    let Some(next) = HoldState::parse(&f.form.state) else {
        return show(
            &state,
            console,
            id,
            Notice::invalid(lang.pick("Hãy chọn trạng thái.", "Choose a state.")),
        )
        .await;
    };
    let amount = if f.form.amount.trim().is_empty() {
        None
    } else {
        parse_vnd(&f.form.amount).or(Some(-1))
    };
    Ok(
        match state
            .store
            .set_hold_state(
                console.officer(),
                id,
                next,
                HoldState::parse(&f.form.from),
                amount,
                &f.form.note,
            )
            .await
        {
            Ok(Ok(())) => Redirect::to(&format!("/console/tam-giu/{id}")).into_response(),
            Ok(Err(HoldError::NotFound)) => return Err(PageError::NotFound),
            Ok(Err(e)) => show(&state, console, id, Notice::refused(&e, lang)).await?,
            Err(e) => return Err(PageError::unavailable("hold action", e)),
        },
    )
}

pub(crate) async fn request_for_download(
    state: &AppState,
    console: &Console,
    id: i64,
) -> Result<HoldRequest, PageError> {
    match state.store.hold_request(console.officer(), id).await {
        Ok(Some(r)) => Ok(r),
        Ok(None) => Err(PageError::NotFound),
        Err(e) => Err(PageError::unavailable("hold action", e)),
    }
}

fn attachment(body: Vec<u8>, content_type: &'static str, name: &str) -> Response {
    let mut r = (StatusCode::OK, body).into_response();
    let h = r.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    h.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("no-store, private"),
    );
    if let Ok(v) = HeaderValue::from_str(&format!("attachment; filename=\"{name}\"")) {
        h.insert(header::CONTENT_DISPOSITION, v);
    }
    r
}

/// File names from letter numbers: "12/CV-PA05" → "de-nghi-tam-giu-12-CV-PA05".
fn file_stem(letter_no: &str) -> String {
    let safe: String = letter_no
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' {
                c
            } else {
                '-'
            }
        })
        .collect();
    format!("de-nghi-tam-giu-{safe}")
}

/// The letter (DOCX).
pub async fn docx(State(state): State<AppState>, console: Console, Id(id): Id) -> PageResult {
    console.require(Permission::ViewReports)?;
    let req = request_for_download(&state, &console, id).await?;
    let ctx = LetterContext::new(&state.store.province().name, &req.bank_bin);
    Ok(match letter::docx(&req, &ctx) {
        Ok(bytes) => {
            if let Err(e) = state
                .store
                .audit(canhgiac_store::audit::AuditEvent {
                    actor: &console.officer().actor(),
                    action: "hold.download",
                    target: &format!("hold:{}", req.letter_no),
                    reason: "docx",
                })
                .await
            {
                return Err(PageError::unavailable("hold action", e));
            }
            attachment(
                bytes,
                "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
                &format!("{}.docx", file_stem(&req.letter_no)),
            )
        }
        Err(e) => return Err(PageError::unavailable("hold action", e)),
    })
}

/// The request for banks' systems (JSON).
pub async fn json(State(state): State<AppState>, console: Console, Id(id): Id) -> PageResult {
    console.require(Permission::ViewReports)?;
    let req = request_for_download(&state, &console, id).await?;
    let ctx = LetterContext::new(&state.store.province().name, &req.bank_bin);
    let body = serde_json::to_vec_pretty(&letter::json(&req, &ctx)).unwrap_or_default();
    Ok(attachment(
        body,
        "application/json",
        &format!("{}.json", file_stem(&req.letter_no)),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amounts_are_read_as_people_type_them() {
        assert_eq!(parse_vnd("1.500.000"), Some(1_500_000));
        assert_eq!(parse_vnd("1500000 đ"), Some(1_500_000));
        assert_eq!(parse_vnd("-5"), None);
        assert_eq!(parse_vnd("nhiều"), None);
        assert_eq!(parse_vnd("99999999999999999999"), None);
        assert_eq!(file_stem("12/CV-PA05"), "de-nghi-tam-giu-12-CV-PA05");
    }
}
