//! The dispute queue: owners of listed identifiers ask for a review; an officer keeps
//! or clears the listing with a reason the requester sees.

use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect};
use canhgiac_core::recognize::{recognize, Query};
use canhgiac_core::roles::Permission;
use canhgiac_store::disputes::{Dispute, DisputeContact};
use serde::Deserialize;

use super::auth::{Console, ConsoleForm};
use super::{fmt_datetime, Frame};
use crate::pages::render;
use crate::pages::Id;
use crate::pages::Notice;
use crate::pages::{PageError, PageResult};
use crate::refusal::Refusal;
use crate::AppState;

/// Words for a dispute status.
pub fn status_label(status: &str, lang: canhgiac_core::i18n::Lang) -> &'static str {
    let (vi, en) = match status {
        "open" => ("Chờ xem xét", "Open"),
        "kept" => ("Giữ cảnh báo", "Listing kept"),
        "cleared" => ("Đã gỡ cảnh báo", "Cleared"),
        _ => ("Không rõ", "Unknown"),
    };
    lang.pick(vi, en)
}

#[derive(Template)]
#[template(path = "console/disputes.html")]
struct ListPage {
    f: Frame,
    open: Vec<(i64, String, String, String)>,
    decided: Vec<(i64, String, &'static str, String)>,
}

/// Open disputes, oldest first, and the latest decided.
pub async fn list(State(state): State<AppState>, console: Console) -> PageResult {
    console.require(Permission::ViewReports)?;
    let lang = console.lang;
    let (open, kept, cleared) = match (
        state.store.disputes("open", 200).await,
        state.store.disputes("kept", 50).await,
        state.store.disputes("cleared", 50).await,
    ) {
        (Ok(o), Ok(k), Ok(c)) => (o, k, c),
        (Err(e), _, _) | (_, Err(e), _) | (_, _, Err(e)) => {
            return Err(PageError::unavailable("dispute page", e))
        }
    };
    let open = open
        .into_iter()
        .map(|d| {
            (
                d.id,
                d.identifier_display,
                fmt_datetime(d.created_at),
                d.explanation.chars().take(120).collect(),
            )
        })
        .collect();
    let mut decided: Vec<Dispute> = kept.into_iter().chain(cleared).collect();
    decided.sort_by_key(|d| std::cmp::Reverse(d.created_at));
    let decided = decided
        .into_iter()
        .map(|d| {
            (
                d.id,
                d.identifier_display,
                status_label(&d.status, lang),
                d.decided_by.unwrap_or_default(),
            )
        })
        .collect();
    Ok(render(
        StatusCode::OK,
        &ListPage {
            f: Frame::new(&console),
            open,
            decided,
        },
    ))
}

#[derive(Template)]
#[template(path = "console/dispute.html")]
struct DisputePage {
    f: Frame,
    d: Dispute,
    status: &'static str,
    created: String,
    verdict: String,
    reports: u32,
    error: String,
    can_decide: bool,
    can_contact: bool,
    contact: Option<DisputeContact>,
}

async fn show(
    state: &AppState,
    console: Console,
    id: i64,
    notice: Notice,
    contact: Option<DisputeContact>,
) -> PageResult {
    let lang = console.lang;
    let d = match state.store.dispute(id).await {
        Ok(Some(d)) => d,
        Ok(None) => return Err(PageError::NotFound),
        Err(e) => return Err(PageError::unavailable("dispute page", e)),
    };
    let stats = match recognize(&d.identifier_display) {
        Ok(Query::One(i)) => state.index.lookup(&i),
        _ => state.index.get(&d.identifier_key),
    };
    let o = console.officer();
    let page = DisputePage {
        status: status_label(&d.status, lang),
        created: fmt_datetime(d.created_at),
        verdict: stats
            .as_ref()
            .map(|s| s.level().title(lang).to_string())
            .unwrap_or_default(),
        reports: stats.map(|s| s.report_count).unwrap_or(0),
        error: notice.text,
        can_decide: o.role.can(Permission::VerifyIdentifiers) && d.status == "open",
        can_contact: o.role.can(Permission::ViewReporterIdentity),
        f: Frame::new(&console),
        d,
        contact,
    };
    // Console pages are `no-store` (see `pages::render`): the contact is not cached.
    Ok(render(notice.status, &page))
}

/// One dispute.
pub async fn page(State(state): State<AppState>, console: Console, Id(id): Id) -> PageResult {
    console.require(Permission::ViewReports)?;
    show(&state, console, id, Notice::none(), None).await
}

#[derive(Deserialize)]
pub struct DecisionForm {
    #[serde(default)]
    decision: String,
    #[serde(default)]
    reason: String,
}

/// Keeps or clears the listing.
pub async fn decide(
    State(state): State<AppState>,
    Id(id): Id,
    f: ConsoleForm<DecisionForm>,
) -> PageResult {
    let console = f.console.allowed(Permission::VerifyIdentifiers)?;
    let lang = console.lang;
    let clear = match f.form.decision.as_str() {
        "clear" => true,
        "keep" => false,
        _ => {
            return show(
                &state,
                console,
                id,
                Notice::invalid(
                    lang.pick("Hãy chọn giữ hoặc gỡ cảnh báo.", "Choose keep or clear."),
                ),
                None,
            )
            .await
        }
    };
    let now = time::OffsetDateTime::now_utc().unix_timestamp();
    Ok(
        match state
            .store
            .decide_dispute(console.officer(), id, clear, &f.form.reason, now)
            .await
        {
            Ok(Ok(())) => {
                if let Err(e) = state.index.catch_up(&state.store).await {
                    tracing::warn!(error = %e, "index catch-up after a dispute failed");
                }
                Redirect::to(&format!("/console/khieu-nai/{id}")).into_response()
            }
            Ok(Err(canhgiac_store::handling::StepError::NotFound)) => {
                return Err(PageError::NotFound)
            }
            Ok(Err(e)) => show(&state, console, id, Notice::refused(&e, lang), None).await?,
            Err(e) => return Err(PageError::unavailable("dispute page", e)),
        },
    )
}

#[derive(Deserialize)]
pub struct ReasonForm {
    #[serde(default)]
    reason: String,
}

/// Shows the requester's contact after recording why.
pub async fn contact(
    State(state): State<AppState>,
    Id(id): Id,
    f: ConsoleForm<ReasonForm>,
) -> PageResult {
    let console = f.console.allowed(Permission::ViewReporterIdentity)?;
    let lang = console.lang;
    Ok(
        match state
            .store
            .dispute_contact(console.officer(), id, &f.form.reason)
            .await
        {
            Ok(Ok(c)) => show(&state, console, id, Notice::none(), Some(c)).await?,
            Ok(Err(canhgiac_store::handling::StepError::NotFound)) => {
                return Err(PageError::NotFound)
            }
            Ok(Err(e)) => show(&state, console, id, Notice::invalid(e.text(lang)), None).await?,
            Err(e) => return Err(PageError::unavailable("dispute page", e)),
        },
    )
}
