//! One report as an officer sees it: facts, statutory clock, identifiers with their
//! verdicts, history, and the steps the officer's role allows.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Redirect};
use canhgiac_core::case::{StepForm, StepFormError};
use canhgiac_core::clock::{local_date, ClockState, Urgency};
use canhgiac_core::i18n::Lang;
use canhgiac_core::methods::Catalogue;
use canhgiac_core::report::Channel;
use canhgiac_core::roles::Permission;
use canhgiac_store::console::OfficerReport;
use canhgiac_store::handling::StepError;
use canhgiac_store::units::Unit;
use serde::Deserialize;

use super::auth::{Console, ConsoleForm};
use super::{event_label, fmt_datetime, fmt_day, fmt_stored_day, status_label, vnd, Frame};
use crate::pages::render;
use crate::pages::Id;
use crate::pages::Notice;
use crate::pages::{PageError, PageResult};
use crate::refusal::Refusal;
use crate::AppState;

struct ClockView {
    received: String,
    deadline: String,
    days_left: Option<i64>,
    overdue: bool,
    state: &'static str,
    max_extension: Option<String>,
    max_extension_iso: String,
    max_procuracy: Option<String>,
    max_procuracy_iso: String,
    extended: bool,
    procuracy_extended: bool,
}

struct IdentView {
    key: String,
    /// The verdict as drawn (`verified`, `cleared`, `none`), sent back with a decision.
    verdict: String,
    kind: String,
    display: String,
    role: String,
    status: String,
    reports: u32,
    check_link: String,
}

struct EventView {
    label: &'static str,
    on: String,
    until: String,
    reason: String,
    detail: String,
    officer: String,
    approver: String,
    at: String,
}

#[derive(Template)]
#[template(path = "console/report.html")]
struct ReportPage {
    f: Frame,
    r: OfficerReport,
    status: &'static str,
    channel: &'static str,
    method: String,
    amount: String,
    place: String,
    submitted: String,
    contacted: String,
    clock: Option<ClockView>,
    idents: Vec<IdentView>,
    transfers: Vec<(String, String, String, String)>,
    events: Vec<EventView>,
    error: String,
    /// `error` confirms a step rather than refusing one.
    done: bool,
    can_handle: bool,
    is_assignee: bool,
    can_decide: bool,
    can_approve: bool,
    can_verify: bool,
    can_see_reporter: bool,
    pending: Option<(i64, String, String)>,
    units: Vec<Unit>,
    ring: Option<(i64, usize)>,
    holds: Vec<(i64, String, String, &'static str, String)>,
    hold_delay: Option<String>,
    recoveries: Vec<(String, String, String, String)>,
    recovered: String,
}

fn iso(d: time::Date) -> String {
    format!("{:04}-{:02}-{:02}", d.year(), u8::from(d.month()), d.day())
}

/// The report page with an error above it.
pub async fn show_with_error(
    state: &AppState,
    console: Console,
    id: i64,
    notice: Notice,
) -> PageResult {
    show(state, console, id, notice).await
}

async fn show(state: &AppState, console: Console, id: i64, notice: Notice) -> PageResult {
    let lang = console.lang;
    let report = match state
        .store
        .officer_report(console.officer(), id, &state.index)
        .await
    {
        Ok(Some(r)) => r,
        Ok(None) => return Err(PageError::NotFound),
        Err(e) => {
            return Err(PageError::unavailable("report lookup", e));
        }
    };
    let today = local_date(time::OffsetDateTime::now_utc().unix_timestamp());
    let clock = report.clock.as_ref().map(|c| clock_view(c, today, lang));
    let catalogue = Catalogue::get();
    let o = console.officer();
    let idents = report
        .identifiers
        .iter()
        .map(|i| ident_view(i, lang))
        .collect();
    let transfers = report
        .transfers
        .iter()
        .map(|t| {
            let bank = canhgiac_core::banks::Banks::get()
                .by_bin(&t.bank_bin)
                .map(|b| b.short_name.to_string())
                .unwrap_or_else(|| t.bank_bin.clone());
            (
                bank,
                t.account.clone(),
                vnd(t.amount_vnd),
                t.transferred_at.map(fmt_datetime).unwrap_or_default(),
            )
        })
        .collect();
    let events = report.events.iter().map(|e| event_view(e, lang)).collect();
    let (holds, recoveries) = match (
        state.store.hold_requests(o, Some(report.id), 100).await,
        state.store.recoveries(report.id).await,
    ) {
        (Ok(h), Ok(r)) => (h, r),
        (Err(e), _) | (_, Err(e)) => {
            return Err(PageError::unavailable("holds lookup", e));
        }
    };
    let hold_delay = holds
        .iter()
        .map(|h| h.created_at)
        .min()
        .map(|first| canhgiac_core::holds::duration_text(first - report.created_at, lang));
    let recovered = vnd(recoveries.iter().map(|c| c.amount_vnd).sum());
    let holds = holds.iter().map(|h| hold_row(h, lang)).collect();
    let recoveries = recoveries.iter().map(recovery_row).collect();
    let units = if o.role.can(Permission::Decide) {
        state.store.units().await.unwrap_or_default()
    } else {
        Vec::new()
    };
    let page = ReportPage {
        f: Frame::new(&console),
        status: status_label(&report.status, lang),
        channel: Channel::parse(&report.channel)
            .map(|c| c.label(lang))
            .unwrap_or(""),
        method: report
            .method_key
            .as_deref()
            .and_then(|k| catalogue.by_key(k))
            .map(|m| m.name(lang).to_string())
            .unwrap_or_default(),
        amount: vnd(report.amount_lost_vnd),
        place: report
            .place_code
            .and_then(|p| state.store.place_name(p))
            .unwrap_or("")
            .to_string(),
        submitted: fmt_datetime(report.created_at),
        contacted: report.contacted_at.map(fmt_datetime).unwrap_or_default(),
        clock,
        idents,
        transfers,
        events,
        error: notice.text,
        done: notice.done,
        can_handle: o.role.can(Permission::HandleReports),
        is_assignee: report.assignee.as_ref().map(|a| a.0) == Some(o.id)
            || o.role.can(Permission::Decide),
        can_decide: o.role.can(Permission::Decide),
        can_approve: o.role.can(Permission::ApproveExtension),
        can_verify: o.role.can(Permission::VerifyIdentifiers),
        can_see_reporter: o.role.can(Permission::ViewReporterIdentity),
        pending: report
            .pending_extension
            .clone()
            .map(|(id, until, reason)| (id, fmt_stored_day(&until), reason)),
        units,
        ring: state.index.ring_of(report.id).filter(|(_, n)| *n > 1),
        holds,
        hold_delay,
        recoveries,
        recovered,
        r: report,
    };
    Ok(render(notice.status, &page))
}

/// The report page.
/// What was just done on the report, named in the address it redirects to.
#[derive(Debug, Default, Deserialize)]
pub struct Done {
    #[serde(default)]
    xong: String,
}

pub async fn page(
    State(state): State<AppState>,
    console: Console,
    Id(id): Id,
    Query(done): Query<Done>,
) -> PageResult {
    console.require(Permission::ViewReports)?;
    let lang = console.lang;
    let notice = match done.xong.as_str() {
        "" => Notice::none(),
        "verified" => Notice::done(lang.pick(
            "Đã ghi kết luận: định danh là lừa đảo. Kiểm tra công khai đã đổi theo.",
            "Recorded: the identifier is a scam. The public check shows it now.",
        )),
        "cleared" => Notice::done(lang.pick(
            "Đã ghi kết luận: gỡ cảnh báo cho định danh.",
            "Recorded: the identifier is cleared.",
        )),
        "hold" => Notice::done(lang.pick(
            "Đã lập đề nghị tạm giữ; tải công văn ở mục Tạm giữ tiền.",
            "Hold requests made; download the letters under Bank holds.",
        )),
        "recovery" => Notice::done(lang.pick("Đã ghi số tiền thu hồi.", "Recovery recorded.")),
        kind => match canhgiac_core::case::EventKind::parse(kind) {
            Some(k) => Notice::done(format!(
                "{}: {}.",
                lang.pick("Đã ghi", "Recorded"),
                k.officer_label(lang)
            )),
            None => Notice::none(),
        },
    };
    show(&state, console, id, notice).await
}

/// An evidence picture of the report (audited), served as the image it was sniffed
/// to be when uploaded.
pub async fn evidence(
    State(state): State<AppState>,
    console: Console,
    Path((id, digest)): Path<(String, String)>,
) -> PageResult {
    let id: i64 = id.parse().map_err(|_| PageError::NotFound)?;
    if digest.len() != 64 || !digest.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Err(PageError::NotFound);
    }
    let (content_type, bytes) = state
        .store
        .evidence_file(console.officer(), id, &digest.to_ascii_lowercase())
        .await??;
    let inline = format!(
        "inline; filename=\"bang-chung-{}.{}\"",
        &digest[..12],
        extension(&content_type)
    );
    Ok((
        [
            (header::CONTENT_TYPE, content_type),
            (header::CONTENT_DISPOSITION, inline),
            (
                header::CONTENT_SECURITY_POLICY,
                "default-src 'none'; sandbox".to_string(),
            ),
        ],
        bytes,
    )
        .into_response())
}

fn extension(content_type: &str) -> &'static str {
    match content_type {
        "image/png" => "png",
        "image/webp" => "webp",
        "image/gif" => "gif",
        _ => "jpg",
    }
}

/// Records a step from the report page.
pub async fn step(
    State(state): State<AppState>,
    Id(id): Id,
    f: ConsoleForm<StepForm>,
) -> PageResult {
    let console = f.console;
    let lang = console.lang;
    let step = match f.form.step() {
        Ok(s) => s,
        Err(e) => return show(&state, console, id, Notice::invalid(e.text(lang))).await,
    };
    let now = time::OffsetDateTime::now_utc().unix_timestamp();
    let kind = step.kind();
    Ok(
        match state
            .store
            .record_step(console.officer(), id, step, now)
            .await
        {
            Ok(Ok(())) => Redirect::to(&format!(
                "/console/bao-cao/{id}?xong={}#ket-qua",
                kind.as_str()
            ))
            .into_response(),
            Ok(Err(StepError::NotFound)) => return Err(PageError::NotFound),
            Ok(Err(e)) => show(&state, console, id, Notice::refused(&e, lang)).await?,
            Err(e) => return Err(PageError::unavailable("step", e)),
        },
    )
}

#[derive(Deserialize)]
pub struct ReasonForm {
    #[serde(default)]
    reason: String,
}

#[derive(Template)]
#[template(path = "console/contact.html")]
struct ContactPage {
    f: Frame,
    id: i64,
    code: String,
    contact: Option<canhgiac_core::intake::ReporterContact>,
}

/// Shows a reporter's contact details after recording why.
pub async fn reporter(
    State(state): State<AppState>,
    Id(id): Id,
    f: ConsoleForm<ReasonForm>,
) -> PageResult {
    let console = f.console;
    let lang = console.lang;
    console.require(Permission::ViewReporterIdentity)?;
    Ok(
        match state
            .store
            .reporter_contact(console.officer(), id, &f.form.reason)
            .await
        {
            Ok(Ok(contact)) => {
                let code = state
                    .store
                    .officer_report(console.officer(), id, &state.index)
                    .await
                    .ok()
                    .flatten()
                    .map(|r| r.tracking_code)
                    .unwrap_or_default();
                let mut response = render(
                    StatusCode::OK,
                    &ContactPage {
                        f: Frame::new(&console),
                        id,
                        code,
                        contact,
                    },
                );
                response.headers_mut().insert(
                    header::CACHE_CONTROL,
                    header::HeaderValue::from_static("no-store, private"),
                );
                response
            }
            Ok(Err(StepError::NotFound)) => return Err(PageError::NotFound),
            Ok(Err(e)) => show(&state, console, id, Notice::invalid(e.text(lang))).await?,
            Err(e) => return Err(PageError::unavailable("reporter lookup", e)),
        },
    )
}

#[derive(Deserialize)]
pub struct IdentifierForm {
    #[serde(default)]
    key: String,
    #[serde(default)]
    verdict: String,
    #[serde(default)]
    reason: String,
    #[serde(default)]
    back: String,
    /// The verdict the page showed.
    #[serde(default)]
    from: String,
}

/// Verifies or clears an identifier.
pub async fn identifier(
    State(state): State<AppState>,
    f: ConsoleForm<IdentifierForm>,
) -> PageResult {
    let console = f.console;
    let lang = console.lang;
    console.require(Permission::VerifyIdentifiers)?;
    let back: i64 = f.form.back.parse().unwrap_or(0);
    let verified = match f.form.verdict.as_str() {
        "verified" => true,
        "cleared" => false,
        _ => {
            return show(
                &state,
                console,
                back,
                Notice::invalid(StepFormError::Action.text(lang)),
            )
            .await
        }
    };
    let now = time::OffsetDateTime::now_utc().unix_timestamp();
    Ok(
        match state
            .store
            .set_identifier_status(
                console.officer(),
                &f.form.key,
                verified,
                Some(f.form.from.as_str()).filter(|s| !s.is_empty()),
                &f.form.reason,
                now,
            )
            .await
        {
            Ok(Ok(())) => {
                if let Err(e) = state.index.catch_up(&state.store).await {
                    tracing::warn!(error = %e, "index catch-up after a verdict failed");
                }
                let done = if verified { "verified" } else { "cleared" };
                Redirect::to(&format!("/console/bao-cao/{back}?xong={done}#ket-qua"))
                    .into_response()
            }
            Ok(Err(e)) => show(&state, console, back, Notice::refused(&e, lang)).await?,
            Err(e) => return Err(PageError::unavailable("identifier verdict", e)),
        },
    )
}

/// The statutory clock as the report page shows it.
fn clock_view(c: &canhgiac_core::clock::Clock, today: time::Date, lang: Lang) -> ClockView {
    let days_left = c.days_left(today);
    ClockView {
        received: fmt_day(c.received),
        deadline: fmt_day(c.deadline),
        days_left,
        overdue: c.urgency(today) == Urgency::Overdue,
        state: match c.state {
            ClockState::Running => lang.pick("đang tính", "running"),
            ClockState::Suspended => lang.pick("dừng do tạm đình chỉ", "stopped by a suspension"),
            ClockState::Closed => lang.pick("dừng: đã có quyết định", "stopped: decided"),
        },
        max_extension: c.max_extension().map(fmt_day),
        max_extension_iso: c.max_extension().map(iso).unwrap_or_default(),
        max_procuracy: c.max_procuracy_extension().map(fmt_day),
        max_procuracy_iso: c.max_procuracy_extension().map(iso).unwrap_or_default(),
        extended: c.extended,
        procuracy_extended: c.procuracy_extended,
    }
}

/// An identifier of the report, with its verdict and the form's `from`.
fn ident_view(i: &canhgiac_store::console::ReportIdentifier, lang: Lang) -> IdentView {
    IdentView {
        key: i.key.clone(),
        verdict: i.status.clone().unwrap_or_else(|| "none".into()),
        kind: canhgiac_core::IdentifierKind::parse(&i.kind)
            .map(|k| k.label(lang).to_string())
            .unwrap_or_else(|| i.kind.clone()),
        display: i.display.clone(),
        role: canhgiac_core::report::Role::parse(&i.role)
            .map(|r| r.label(lang).to_string())
            .unwrap_or_default(),
        status: match i.status.as_deref() {
            Some("verified") => lang.pick("Đã xác minh lừa đảo", "Verified scam").into(),
            Some("cleared") => lang.pick("Đã gỡ cảnh báo", "Cleared").into(),
            _ => String::new(),
        },
        reports: i.report_count,
        check_link: format!(
            "/kiem-tra?{}",
            serde_urlencoded::to_string([("q", i.display.as_str())]).unwrap_or_default()
        ),
    }
}

/// A recorded step as the history shows it.
fn event_view(e: &canhgiac_store::console::ReportEvent, lang: Lang) -> EventView {
    EventView {
        label: event_label(&e.kind, lang),
        on: e.on_date.as_deref().map(fmt_stored_day).unwrap_or_default(),
        until: e
            .until_date
            .as_deref()
            .map(fmt_stored_day)
            .unwrap_or_default(),
        reason: e.reason.clone(),
        detail: e
            .detail
            .as_deref()
            .and_then(|d| serde_json::from_str::<serde_json::Value>(d).ok())
            .and_then(|v| {
                v.as_object().map(|m| {
                    m.iter()
                        .filter(|(k, _)| k.as_str() != "request")
                        .map(|(_, x)| x)
                        .map(|x| {
                            x.as_str()
                                .map(str::to_string)
                                .unwrap_or_else(|| x.to_string())
                        })
                        .collect::<Vec<_>>()
                        .join(", ")
                })
            })
            .unwrap_or_default(),
        officer: e.officer.clone(),
        approver: e
            .approver
            .clone()
            .filter(|a| *a != e.officer)
            .unwrap_or_default(),
        at: fmt_datetime(e.created_at),
    }
}

/// Money returned to the victim: amount, note, officer, when.
fn recovery_row(c: &canhgiac_store::holds::Recovery) -> (String, String, String, String) {
    (
        vnd(c.amount_vnd),
        c.note.clone(),
        c.officer.clone(),
        fmt_datetime(c.at),
    )
}

/// A hold request of the report: id, letter number, bank, state, amount held.
fn hold_row(
    h: &canhgiac_store::holds::HoldRequest,
    lang: Lang,
) -> (i64, String, String, &'static str, String) {
    (
        h.id,
        h.letter_no.clone(),
        canhgiac_core::banks::Banks::get()
            .by_bin(&h.bank_bin)
            .map(|b| b.short_name.clone())
            .unwrap_or_else(|| h.bank_bin.clone()),
        canhgiac_core::holds::HoldState::parse(&h.state)
            .map(|s| s.label(lang))
            .unwrap_or(""),
        if h.held_amount_vnd > 0 {
            vnd(h.held_amount_vnd)
        } else {
            String::new()
        },
    )
}
