//! The periodic report to the People's Committee (`/console/bao-cao-dinh-ky`): an
//! analyst or a leader drafts the report of a month, quarter, half-year or year (the
//! figures are computed and stored with it, the text is drafted from them), edits the
//! text, and exports it as DOCX in the administrative format. Saves are compare-and-set
//! on the version. Oversight accounts read and download, never edit.

use std::collections::HashMap;

use askama::Template;
use axum::extract::{Path, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Redirect};
use canhgiac_core::roles::Permission;
use canhgiac_core::stats::{PeriodKind, StatsPeriod};
use canhgiac_store::periodic::{may_write, PeriodicError};
use canhgiac_store::stats::Scope;
use serde::Deserialize;

use super::auth::{Console, ConsoleForm};
use super::{fmt_datetime, Frame};
use crate::documents::periodic::{
    docx, draft, DraftContext, PeriodicContext, Section, Snapshot, MAX_SECTION_CHARS,
};
use crate::pages::render;
use crate::pages::{PageError, PageResult};
use crate::statistics::{compute, StatsRefusal};
use crate::AppState;

/// Reports listed.
const LISTED: i64 = 100;

fn now() -> i64 {
    time::OffsetDateTime::now_utc().unix_timestamp()
}

struct Listed {
    id: i64,
    title: String,
    number: String,
    created_by: String,
    updated: String,
}

struct Choice {
    value: String,
    label: String,
}

#[derive(Template)]
#[template(path = "console/periodic_list.html")]
struct ListPage {
    f: Frame,
    reports: Vec<Listed>,
    periods: Vec<Choice>,
    may_write: bool,
}

/// The periods a report can cover: the last 12 months, 4 quarters, 2 halves, 2 years.
fn period_choices(lang: canhgiac_core::i18n::Lang) -> Vec<Choice> {
    let today = canhgiac_core::clock::local_date(now());
    [
        (PeriodKind::Month, 12),
        (PeriodKind::Quarter, 4),
        (PeriodKind::HalfYear, 2),
        (PeriodKind::Year, 2),
    ]
    .into_iter()
    .flat_map(|(kind, n)| StatsPeriod::latest(kind, n, today))
    .map(|p| Choice {
        value: p.key(),
        label: p.title(lang),
    })
    .collect()
}

fn title_of(key: &str) -> String {
    let today = canhgiac_core::clock::local_date(now());
    StatsPeriod::parse(key, None, None, today)
        .map(|p| p.title(canhgiac_core::i18n::Lang::Vi))
        .unwrap_or_else(|_| key.to_string())
}

/// `GET /console/bao-cao-dinh-ky`.
pub async fn list(State(state): State<AppState>, console: Console) -> PageResult {
    console.require(Permission::ViewStatistics)?;
    let reports = state
        .store
        .periodic_reports(LISTED)
        .await?
        .into_iter()
        .map(|r| Listed {
            id: r.id,
            title: title_of(&r.period_key),
            number: r.number,
            created_by: r.created_by,
            updated: fmt_datetime(r.updated_at),
        })
        .collect();
    Ok(render(
        StatusCode::OK,
        &ListPage {
            periods: period_choices(console.lang),
            may_write: may_write(console.officer()),
            reports,
            f: Frame::new(&console),
        },
    ))
}

#[derive(Deserialize)]
pub struct NewForm {
    #[serde(default)]
    ky: String,
}

/// `POST /console/bao-cao-dinh-ky`: drafts the report of a period.
pub async fn create(State(state): State<AppState>, f: ConsoleForm<NewForm>) -> PageResult {
    let console = f.console.allowed(Permission::ViewStatistics)?;
    if !may_write(console.officer()) {
        return Err(PageError::refused(PeriodicError::Forbidden));
    }
    let at = now();
    let today = canhgiac_core::clock::local_date(at);
    let period = StatsPeriod::parse(&f.form.ky, None, None, today)
        .map_err(|e| PageError::refused(StatsRefusal::Period(e)))?;
    if period.kind == PeriodKind::Custom {
        return Err(PageError::refused(StatsRefusal::Period(
            canhgiac_core::stats::PeriodError::Unknown,
        )));
    }
    let stats = compute(&state, period, Scope::Province, at)
        .await
        .map_err(|e| PageError::unavailable("periodic report figures", e))?;
    let places: HashMap<i64, String> = state
        .store
        .places()
        .iter()
        .map(|p| (p.code, p.name.clone()))
        .collect();
    let snapshot = Snapshot::of(&stats, &places);
    let (from, to) = period.unix_bounds();
    let new_methods = state
        .store
        .catalogue(None)
        .await?
        .into_iter()
        .filter(|e| {
            e.created_at.is_some_and(|t| t >= from && t < to)
                || e.method
                    .first_seen_year
                    .is_some_and(|y| i32::from(y) == period.first.year())
        })
        .map(|e| e.method.name(canhgiac_core::i18n::Lang::Vi).to_string())
        .collect();
    let silent_agencies = state
        .store
        .agency_summaries(period.first, period.last)
        .await?
        .into_iter()
        .filter(|a| a.activities == 0)
        .map(|a| a.agency.name)
        .collect();
    // Groups of alike reports of the period that fit no method (sizes only: the
    // report carries no narrative).
    let recent = state
        .store
        .narratives_between(from, to, super::patterns::RECENT_LIMIT)
        .await?;
    let worker = state.clone();
    let new_pattern_groups = tokio::task::spawn_blocking(move || {
        let (_, groups) =
            super::patterns::candidate_groups(&worker, &recent, canhgiac_core::i18n::Lang::Vi);
        let mut sizes: Vec<usize> = groups.iter().map(|g| g.members.len()).collect();
        sizes.sort_unstable_by(|a, b| b.cmp(a));
        sizes.truncate(10);
        sizes
    })
    .await
    .map_err(|e| PageError::unavailable("new patterns", e))?;
    let mut campaigns = Vec::new();
    for c in state.store.campaigns().await? {
        if c.last < period.first || c.first > period.last {
            continue;
        }
        let fig = crate::campaign_tally::figures(&state, &c, at)
            .await
            .map_err(|e| PageError::unavailable("campaign figures", e))?;
        campaigns.push(format!(
            "“{}” ({} – {}): {} báo cáo trong phạm vi (trước đợt: {}), thiệt hại {} đồng; {} đề nghị tạm giữ, {} tạm giữ trong {} giờ{}",
            c.name,
            super::fmt_day(c.first),
            super::fmt_day(c.last),
            fig.during.reports,
            fig.before.reports,
            super::vnd(fig.during.loss),
            fig.during.hold_requests,
            fig.during.share().map(|s| format!("{s}%")).unwrap_or_else(|| "—".into()),
            fig.hours,
            match (c.target, fig.target_met(&c)) {
                (Some(t), Some(true)) => format!(" (chỉ tiêu {}%: đạt)", t.percent),
                (Some(t), _) => format!(" (chỉ tiêu {}%: chưa đạt)", t.percent),
                (None, _) => String::new(),
            }
        ));
    }
    let province = state.store.province().name.clone();
    let sections = draft(
        &snapshot,
        &DraftContext {
            province: &province,
            new_methods,
            new_pattern_groups,
            silent_agencies,
            campaigns,
        },
    );
    let sections_json = serde_json::to_string(&sections)
        .map_err(|e| PageError::unavailable("periodic report", e))?;
    let figures_json = serde_json::to_string(&snapshot)
        .map_err(|e| PageError::unavailable("periodic report", e))?;
    match state
        .store
        .create_periodic_report(
            console.officer(),
            &period.key(),
            "…/BC-CAT",
            &sections_json,
            &figures_json,
        )
        .await?
    {
        Ok(id) => Ok(Redirect::to(&format!("/console/bao-cao-dinh-ky/{id}")).into_response()),
        Err(e) => Err(PageError::refused(e)),
    }
}

struct SectionView {
    key: String,
    title: String,
    text: String,
}

#[derive(Template)]
#[template(path = "console/periodic.html")]
struct ReportPage {
    f: Frame,
    id: i64,
    title: String,
    number: String,
    version: i64,
    created_by: String,
    updated: String,
    sections: Vec<SectionView>,
    figures: Vec<crate::statistics::Figure>,
    previous_title: String,
    year_title: String,
    may_write: bool,
    saved: bool,
}

struct Loaded {
    report: canhgiac_store::periodic::PeriodicReport,
    snapshot: Snapshot,
    sections: Vec<Section>,
}

async fn load(state: &AppState, id: i64) -> Result<Loaded, PageError> {
    let report = state
        .store
        .periodic_report(id)
        .await?
        .ok_or(PageError::NotFound)?;
    let snapshot: Snapshot = serde_json::from_str(&report.figures)
        .map_err(|e| PageError::unavailable("periodic report figures", e))?;
    let sections: Vec<Section> = serde_json::from_str(&report.sections)
        .map_err(|e| PageError::unavailable("periodic report sections", e))?;
    Ok(Loaded {
        report,
        snapshot,
        sections,
    })
}

#[derive(Deserialize, Default)]
pub struct SavedQuery {
    #[serde(default)]
    saved: Option<String>,
}

/// `GET /console/bao-cao-dinh-ky/{id}`.
pub async fn page(
    State(state): State<AppState>,
    console: Console,
    Path(id): Path<i64>,
    axum::extract::Query(q): axum::extract::Query<SavedQuery>,
) -> PageResult {
    console.require(Permission::ViewStatistics)?;
    let l = load(&state, id).await?;
    Ok(render(
        StatusCode::OK,
        &ReportPage {
            id,
            title: l.snapshot.title.clone(),
            number: l.report.number.clone(),
            version: l.report.version,
            created_by: l.report.created_by.clone(),
            updated: fmt_datetime(l.report.updated_at),
            sections: l
                .sections
                .into_iter()
                .map(|s| SectionView {
                    key: s.key,
                    title: s.title,
                    text: s.text,
                })
                .collect(),
            figures: l.snapshot.figures.clone(),
            previous_title: l.snapshot.previous_title.clone(),
            year_title: l.snapshot.year_title.clone(),
            may_write: may_write(console.officer()),
            saved: q.saved.is_some(),
            f: Frame::new(&console),
        },
    ))
}

/// The longest number and symbol.
const MAX_NUMBER_CHARS: usize = 40;

/// `POST /console/bao-cao-dinh-ky/{id}`: saves the edited text (compare-and-set).
pub async fn save(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    f: ConsoleForm<super::bulletins::Ignored>,
) -> PageResult {
    let console = f.console.allowed(Permission::ViewStatistics)?;
    let l = load(&state, id).await?;
    let field = |name: &str| {
        f.pairs
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.clone())
    };
    let version: i64 = field("version")
        .and_then(|v| v.trim().parse().ok())
        .ok_or(PageError::BadForm(StatusCode::BAD_REQUEST))?;
    let number: String = field("number")
        .unwrap_or_default()
        .trim()
        .chars()
        .take(MAX_NUMBER_CHARS)
        .collect();
    let sections: Vec<Section> = l
        .sections
        .into_iter()
        .map(|s| Section {
            text: field(&format!("section_{}", s.key))
                .map(|t| {
                    t.replace("\r\n", "\n")
                        .chars()
                        .take(MAX_SECTION_CHARS)
                        .collect()
                })
                .unwrap_or(s.text),
            ..s
        })
        .collect();
    let json = serde_json::to_string(&sections)
        .map_err(|e| PageError::unavailable("periodic report", e))?;
    match state
        .store
        .update_periodic_report(console.officer(), id, version, &number, &json)
        .await?
    {
        Ok(_) => {
            Ok(Redirect::to(&format!("/console/bao-cao-dinh-ky/{id}?saved=1")).into_response())
        }
        Err(e) => Err(PageError::refused(e)),
    }
}

/// `GET /console/bao-cao-dinh-ky/{id}/bao-cao.docx`.
pub async fn download(
    State(state): State<AppState>,
    console: Console,
    Path(id): Path<i64>,
) -> PageResult {
    console.require(Permission::ViewStatistics)?;
    let l = load(&state, id).await?;
    let province = state.store.province().name.clone();
    let (number, dated) = (l.report.number.clone(), l.report.updated_at);
    let (snapshot, sections) = (l.snapshot, l.sections);
    // charts are rasterised and the file zipped: off the request threads
    let bytes = tokio::task::spawn_blocking(move || {
        docx(
            &snapshot,
            &sections,
            &PeriodicContext {
                province: &province,
                number: &number,
                dated,
            },
        )
    })
    .await
    .map_err(|e| PageError::unavailable("periodic report docx", e))?
    .map_err(|e| PageError::unavailable("periodic report docx", e.0))?;
    Ok((
        [
            (
                header::CONTENT_TYPE,
                "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
                    .to_string(),
            ),
            (
                header::CONTENT_DISPOSITION,
                format!(
                    "attachment; filename=\"bao-cao-{}.docx\"",
                    l.report.period_key
                ),
            ),
            (header::CACHE_CONTROL, "no-store".to_string()),
        ],
        bytes,
    )
        .into_response())
}

/// `GET /console/bao-cao-dinh-ky/{id}/bao-cao.pdf`: the same report as PDF.
pub async fn download_pdf(
    State(state): State<AppState>,
    console: Console,
    Path(id): Path<i64>,
) -> PageResult {
    console.require(Permission::ViewStatistics)?;
    let l = load(&state, id).await?;
    let province = state.store.province().name.clone();
    let (number, dated, key) = (
        l.report.number.clone(),
        l.report.updated_at,
        l.report.period_key.clone(),
    );
    let (snapshot, sections) = (l.snapshot, l.sections);
    let bytes = tokio::task::spawn_blocking(move || {
        crate::documents::periodic::pdf(
            &snapshot,
            &sections,
            &PeriodicContext {
                province: &province,
                number: &number,
                dated,
            },
        )
    })
    .await
    .map_err(|e| PageError::unavailable("periodic report pdf", e))?
    .map_err(|e| PageError::unavailable("periodic report pdf", e))?;
    Ok((
        [
            (header::CONTENT_TYPE, "application/pdf".to_string()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"bao-cao-{key}.pdf\""),
            ),
            (header::CACHE_CONTROL, "no-store".to_string()),
        ],
        bytes,
    )
        .into_response())
}
