//! Agencies' awareness activities: a liaison records what their agency did
//! (`/console/hoat-dong`); the police see every agency per month or quarter, those that
//! reported nothing, and the reach by audience and by kind of activity
//! (`/console/hoat-dong/tong-hop`, CSV at `…/tong-hop.csv`); the registry of agencies is
//! `/console/co-quan`.

use std::collections::BTreeMap;

use askama::Template;
use axum::extract::{Query, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Redirect};
use canhgiac_core::activity::edit::{validate, ActivityForm};
use canhgiac_core::activity::{ActivityKind, AgencyKind, Period};
use canhgiac_core::bulletin::Audience;
use canhgiac_core::intake::FieldError;
use canhgiac_core::roles::Permission;
use canhgiac_store::agencies::{Activity, AgencyError};
use serde::Deserialize;

use super::auth::{Console, ConsoleForm};
use super::field_error as err;
use super::{fmt_day, Frame};
use crate::pages::render;
use crate::pages::{PageError, PageResult};
use crate::refusal::Said;
use crate::AppState;

fn today() -> time::Date {
    canhgiac_core::clock::local_date(time::OffsetDateTime::now_utc().unix_timestamp())
}

struct ActivityRow {
    day: String,
    kind: &'static str,
    audience: &'static str,
    reached: i64,
    /// The bulletin used: its id and title.
    bulletin: Option<(i64, String)>,
    link: String,
    note: String,
    by: String,
}

fn row(a: &Activity, titles: &[(i64, String)]) -> ActivityRow {
    ActivityRow {
        day: fmt_day(a.activity.held_on),
        kind: a.activity.kind.label(),
        audience: a.activity.audience.label(),
        reached: a.activity.reached,
        bulletin: a.activity.bulletin_id.map(|id| {
            let title = titles
                .iter()
                .find(|(b, _)| *b == id)
                .map(|(_, t)| t.clone())
                .unwrap_or_else(|| format!("#{id}"));
            (id, title)
        }),
        link: a.activity.link.clone(),
        note: a.activity.note.clone(),
        by: a.recorded_by.clone(),
    }
}

#[derive(Template)]
#[template(path = "console/activity.html")]
struct RecordPage {
    f: Frame,
    agency: String,
    form: ActivityForm,
    kinds: Vec<(&'static str, &'static str, bool)>,
    audiences: Vec<(&'static str, &'static str, bool)>,
    /// (id, title, selected)
    bulletins: Vec<(i64, String, bool)>,
    rows: Vec<ActivityRow>,
    errors: Vec<FieldError>,
    saved: bool,
}

#[derive(Deserialize, Default)]
pub struct SavedQuery {
    #[serde(default)]
    saved: String,
}

async fn record_page(
    state: &AppState,
    console: &Console,
    form: ActivityForm,
    errors: Vec<FieldError>,
    saved: bool,
) -> PageResult {
    let agency = match state.store.agency_of(console.officer()).await {
        Ok(Some(a)) => a,
        Ok(None) => {
            return Err(PageError::refused(Said::new(
                StatusCode::CONFLICT,
                "no_agency",
                "Tài khoản này chưa gắn với cơ quan nào; hãy nhờ quản trị viên gắn (canhgiac user add --agency).",
                "This account belongs to no agency; ask an administrator to set one (canhgiac user add --agency).",
            )))
        }
        Err(e) => return Err(PageError::unavailable("agency", e)),
    };
    let since = today() - time::Duration::days(366);
    let (rows, bulletins) = tokio::try_join!(
        state.store.activities(since, today(), Some(agency.id)),
        state.store.published_bulletins(30)
    )?;
    let titles: Vec<(i64, String)> = bulletins
        .iter()
        .map(|b| (b.id, b.drafts.title.clone()))
        .collect();
    let form = ActivityForm {
        held_on: if form.held_on.is_empty() {
            format!("{}", today())
        } else {
            form.held_on
        },
        ..form
    };
    let page = RecordPage {
        f: Frame::new(console),
        agency: agency.name,
        kinds: ActivityKind::ALL
            .iter()
            .map(|k| (k.key(), k.label(), form.kind == k.key()))
            .collect(),
        audiences: Audience::ALL
            .iter()
            .map(|a| (a.key(), a.label(), form.audience == a.key()))
            .collect(),
        bulletins: bulletins
            .iter()
            .map(|b| {
                (
                    b.id,
                    b.drafts.title.clone(),
                    form.bulletin == b.id.to_string(),
                )
            })
            .collect(),
        rows: rows.iter().take(100).map(|a| row(a, &titles)).collect(),
        form,
        errors,
        saved,
    };
    let status = if page.errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    Ok(render(status, &page))
}

/// `GET /console/hoat-dong`: a liaison's form and their agency's activities; police
/// who may read every agency go to the summary.
pub async fn page(
    State(state): State<AppState>,
    console: Console,
    Query(q): Query<SavedQuery>,
) -> PageResult {
    if console.officer().role.can(Permission::ViewActivity) {
        return Ok(Redirect::to("/console/hoat-dong/tong-hop").into_response());
    }
    console.require(Permission::RecordActivity)?;
    record_page(
        &state,
        &console,
        ActivityForm::default(),
        Vec::new(),
        q.saved == "1",
    )
    .await
}

/// `POST /console/hoat-dong`: records an activity.
pub async fn record(State(state): State<AppState>, f: ConsoleForm<ActivityForm>) -> PageResult {
    let console = f.console.allowed(Permission::RecordActivity)?;
    let lang = console.lang;
    let activity = match validate(&f.form, today(), lang) {
        Ok(a) => a,
        Err(errors) => return record_page(&state, &console, f.form, errors, false).await,
    };
    Ok(
        match state
            .store
            .record_activity(console.officer(), &activity)
            .await
        {
            Ok(Ok(_)) => Redirect::to("/console/hoat-dong?saved=1").into_response(),
            Ok(Err(AgencyError::UnknownBulletin)) => {
                let errors = vec![err(
                    "bulletin",
                    "bulletin_unknown",
                    lang.pick(
                        "Không có bản tin đã công bố này.",
                        "No such published bulletin.",
                    ),
                )];
                record_page(&state, &console, f.form, errors, false).await?
            }
            Ok(Err(AgencyError::NoAgency)) => {
                record_page(&state, &console, f.form, Vec::new(), false).await?
            }
            Ok(Err(_)) => return Err(PageError::Forbidden),
            Err(e) => return Err(PageError::unavailable("record activity", e)),
        },
    )
}

#[derive(Deserialize, Default)]
pub struct PeriodQuery {
    /// `2026-11` or `2026-Q4`; default: this month.
    #[serde(default)]
    ky: String,
}

fn period_of(q: &PeriodQuery) -> Period {
    Period::parse(&q.ky).unwrap_or_else(|| Period::month_of(today()))
}

struct AgencyRow {
    name: String,
    kind: &'static str,
    activities: i64,
    reached: i64,
    last: String,
}

#[derive(Template)]
#[template(path = "console/activity_summary.html")]
struct SummaryPage {
    f: Frame,
    period: String,
    period_label: String,
    previous: String,
    next: String,
    quarter: String,
    month: String,
    total_activities: i64,
    total_reached: i64,
    reporting: Vec<AgencyRow>,
    silent: Vec<AgencyRow>,
    silent_total: usize,
    by_audience: Vec<(&'static str, i64, i64)>,
    by_kind: Vec<(&'static str, i64, i64)>,
}

fn shift(p: Period, forward: bool) -> Period {
    let quarter = p.first.month() != p.last.month();
    let day = if forward {
        p.last + time::Duration::days(1)
    } else {
        p.first - time::Duration::days(1)
    };
    if quarter {
        Period::quarter_of(day)
    } else {
        Period::month_of(day)
    }
}

/// `GET /console/hoat-dong/tong-hop?ky=2026-11`.
pub async fn summary(
    State(state): State<AppState>,
    console: Console,
    Query(q): Query<PeriodQuery>,
) -> PageResult {
    console.require(Permission::ViewActivity)?;
    let p = period_of(&q);
    let (agencies, activities) = tokio::try_join!(
        state.store.agency_summaries(p.first, p.last),
        state.store.activities(p.first, p.last, None)
    )?;
    let agency_row = |a: &canhgiac_store::agencies::AgencySummary| AgencyRow {
        name: a.agency.name.clone(),
        kind: a.agency.kind.label(),
        activities: a.activities,
        reached: a.reached,
        last: a
            .last
            .as_deref()
            .map(super::fmt_stored_day)
            .unwrap_or_else(|| console.lang.pick("chưa bao giờ", "never").to_string()),
    };
    let mut reporting: Vec<AgencyRow> = agencies
        .iter()
        .filter(|a| a.activities > 0)
        .map(agency_row)
        .collect();
    reporting.sort_by_key(|r| std::cmp::Reverse(r.reached));
    let silent: Vec<AgencyRow> = agencies
        .iter()
        .filter(|a| a.activities == 0)
        .map(agency_row)
        .collect();
    let mut by_audience: BTreeMap<&'static str, (i64, i64)> = BTreeMap::new();
    let mut by_kind: BTreeMap<&'static str, (i64, i64)> = BTreeMap::new();
    for a in &activities {
        let e = by_audience.entry(a.activity.audience.label()).or_default();
        e.0 += 1;
        e.1 += a.activity.reached;
        let e = by_kind.entry(a.activity.kind.label()).or_default();
        e.0 += 1;
        e.1 += a.activity.reached;
    }
    let flat = |m: BTreeMap<&'static str, (i64, i64)>| -> Vec<(&'static str, i64, i64)> {
        let mut v: Vec<_> = m.into_iter().map(|(k, (n, r))| (k, n, r)).collect();
        v.sort_by_key(|x| std::cmp::Reverse(x.2));
        v
    };
    let lang = console.lang;
    let period_label = if p.first.month() == p.last.month() {
        format!(
            "{} {}/{}",
            lang.pick("tháng", "month"),
            u8::from(p.first.month()),
            p.first.year()
        )
    } else {
        format!(
            "{} {}/{}",
            lang.pick("quý", "quarter"),
            (u8::from(p.first.month()) - 1) / 3 + 1,
            p.first.year()
        )
    };
    Ok(render(
        StatusCode::OK,
        &SummaryPage {
            f: Frame::new(&console),
            period: p.key(),
            period_label,
            previous: shift(p, false).key(),
            next: shift(p, true).key(),
            quarter: Period::quarter_of(p.first).key(),
            month: Period::month_of(p.first).key(),
            total_activities: activities.len() as i64,
            total_reached: activities.iter().map(|a| a.activity.reached).sum(),
            silent_total: silent.len(),
            reporting,
            silent,
            by_audience: flat(by_audience),
            by_kind: flat(by_kind),
        },
    ))
}

/// `GET /console/hoat-dong/tong-hop.csv?ky=…`: every activity of the period, one row
/// each (UTF-8 with a byte-order mark, so that spreadsheet programs read the
/// Vietnamese letters).
pub async fn csv(
    State(state): State<AppState>,
    console: Console,
    Query(q): Query<PeriodQuery>,
) -> PageResult {
    console.require(Permission::ViewActivity)?;
    let p = period_of(&q);
    let activities = state.store.activities(p.first, p.last, None).await?;
    let header = [
        "ngay",
        "co_quan",
        "hinh_thuc",
        "doi_tuong",
        "so_nguoi",
        "ban_tin",
        "duong_link",
        "ghi_chu",
        "nguoi_ghi",
    ];
    let mut rows: Vec<Vec<String>> = vec![header.iter().map(|h| h.to_string()).collect()];
    for a in &activities {
        rows.push(vec![
            a.activity.held_on.to_string(),
            a.agency.clone(),
            a.activity.kind.label().to_string(),
            a.activity.audience.label().to_string(),
            a.activity.reached.to_string(),
            a.activity
                .bulletin_id
                .map(|b| b.to_string())
                .unwrap_or_default(),
            a.activity.link.clone(),
            a.activity.note.clone(),
            a.recorded_by.clone(),
        ]);
    }
    Ok(match crate::spreadsheet::csv_bytes(&rows) {
        Ok(bytes) => (
            [
                (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_string()),
                (
                    header::CONTENT_DISPOSITION,
                    format!("attachment; filename=\"hoat-dong-{}.csv\"", p.key()),
                ),
            ],
            bytes,
        )
            .into_response(),
        Err(e) => return Err(PageError::unavailable("activity csv", e)),
    })
}

#[derive(Template)]
#[template(path = "console/agencies.html")]
struct AgenciesPage {
    f: Frame,
    rows: Vec<(String, &'static str)>,
    kinds: Vec<(&'static str, &'static str)>,
    errors: Vec<FieldError>,
    name: String,
}

async fn agencies_page(
    state: &AppState,
    console: &Console,
    name: String,
    errors: Vec<FieldError>,
) -> PageResult {
    let all = state.store.agencies().await?;
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    Ok(render(
        status,
        &AgenciesPage {
            f: Frame::new(console),
            rows: all
                .iter()
                .map(|a| (a.name.clone(), a.kind.label()))
                .collect(),
            kinds: AgencyKind::ALL
                .iter()
                .map(|k| (k.key(), k.label()))
                .collect(),
            errors,
            name,
        },
    ))
}

/// `GET /console/co-quan`.
pub async fn agencies(State(state): State<AppState>, console: Console) -> PageResult {
    console.require(Permission::ViewActivity)?;
    agencies_page(&state, &console, String::new(), Vec::new()).await
}

#[derive(Deserialize, Default)]
pub struct AgencyForm {
    #[serde(default)]
    name: String,
    #[serde(default)]
    kind: String,
}

/// `POST /console/co-quan`: adds an agency.
pub async fn add_agency(State(state): State<AppState>, f: ConsoleForm<AgencyForm>) -> PageResult {
    let console = f.console.allowed(Permission::ViewActivity)?;
    let lang = console.lang;
    let name = f.form.name.trim().to_string();
    let kind = AgencyKind::from_key(&f.form.kind);
    let mut errors = Vec::new();
    if !(3..=200).contains(&name.chars().count()) {
        errors.push(err(
            "name",
            "name_invalid",
            lang.pick(
                "Tên cơ quan cần từ 3 đến 200 ký tự.",
                "The name needs 3 to 200 characters.",
            ),
        ));
    }
    let Some(kind) = kind.filter(|_| errors.is_empty()) else {
        if kind.is_none() {
            errors.push(err(
                "kind",
                "kind_invalid",
                lang.pick("Chọn loại cơ quan.", "Choose the kind."),
            ));
        }
        return agencies_page(&state, &console, name, errors).await;
    };
    Ok(
        match state.store.add_agency(console.officer(), &name, kind).await {
            Ok(Ok(_)) => Redirect::to("/console/co-quan").into_response(),
            Ok(Err(AgencyError::Exists)) => {
                let errors = vec![err(
                    "name",
                    "name_taken",
                    lang.pick("Đã có cơ quan tên này.", "An agency of this name exists."),
                )];
                agencies_page(&state, &console, name, errors).await?
            }
            Ok(Err(_)) => return Err(PageError::Forbidden),
            Err(e) => return Err(PageError::unavailable("add agency", e)),
        },
    )
}
