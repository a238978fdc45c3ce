//! Statistics (`/console/thong-ke`, CSV at `/console/thong-ke.csv`, JSON at
//! `/api/v1/officer/stats`): a period's figures against the period before and the
//! same period a year earlier, for the province, a unit or a commune. Leaders,
//! analysts and administrators see every count; oversight accounts see counts below 5
//! as "< 5" and never a narrative, a name or an identifier (there are none here).

use std::collections::HashMap;

use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use canhgiac_core::i18n::Lang;
use canhgiac_core::roles::Permission;
use canhgiac_core::stats::{PeriodKind, StatsPeriod, SUPPRESS_BELOW};
use canhgiac_store::stats::Scope;
use serde::Serialize;

use super::auth::{ApiOfficer, Console};
use super::Frame;
use crate::error::{from_store, ApiError};
use crate::pages::render;
use crate::pages::{PageError, PageResult};
use crate::spreadsheet::Format;
use crate::statistics::{compute, Audience, Breakdown, Figure, Line, Statistics, StatsQuery};
use crate::AppState;

/// The audience of an officer: the police see every count.
fn audience_of(role: canhgiac_core::roles::Role) -> Audience {
    if role.can(Permission::ViewReports) {
        Audience::Police
    } else {
        Audience::Restricted
    }
}

fn now() -> i64 {
    time::OffsetDateTime::now_utc().unix_timestamp()
}

fn place_names(state: &AppState) -> HashMap<i64, String> {
    state
        .store
        .places()
        .iter()
        .map(|p| (p.code, p.name.clone()))
        .collect()
}

/// The period asked for and its figures; a refusal or an unavailable store as a page.
async fn statistics(state: &AppState, q: &StatsQuery) -> Result<Statistics, PageError> {
    let at = now();
    let (period, scope) = match q.resolve(state, at).await {
        Ok(Ok(x)) => x,
        Ok(Err(r)) => return Err(PageError::refused(r)),
        Err(e) => return Err(PageError::unavailable("statistics", e)),
    };
    compute(state, period, scope, at)
        .await
        .map_err(|e| PageError::unavailable("statistics", e))
}

struct Choice {
    value: String,
    label: String,
    selected: bool,
}

#[derive(Template)]
#[template(path = "console/stats.html")]
struct StatsPage {
    f: Frame,
    title: String,
    previous_title: String,
    year_title: String,
    scope_title: String,
    restricted: bool,
    suppress_below: u64,
    figures: Vec<Figure>,
    channels: Vec<Line>,
    methods: Vec<Line>,
    communes: Vec<Line>,
    chart_days: String,
    chart_methods: String,
    periods: Vec<Choice>,
    units: Vec<Choice>,
    communes_choice: Vec<Choice>,
    from: String,
    to: String,
    query: String,
}

fn query_string(q: &StatsQuery) -> String {
    let mut parts = Vec::new();
    for (k, v) in [
        ("ky", &q.period),
        ("tu", &q.from),
        ("den", &q.to),
        ("don_vi", &q.unit),
        ("xa", &q.commune),
    ] {
        if let Some(v) = v.as_deref().filter(|v| !v.trim().is_empty()) {
            parts.push(format!("{k}={}", urlencoding_lite(v.trim())));
        }
    }
    parts.join("&")
}

/// Percent-encodes what a period, a date or a number could hold.
fn urlencoding_lite(v: &str) -> String {
    v.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

fn scope_title(
    state: &AppState,
    scope: Scope,
    units: &[canhgiac_store::units::Unit],
    lang: Lang,
) -> String {
    match scope {
        Scope::Province => lang.pick("Toàn tỉnh", "Whole province").to_string(),
        Scope::Unit(id) => units
            .iter()
            .find(|u| u.id == id)
            .map(|u| u.name.clone())
            .unwrap_or_default(),
        Scope::Commune(code) => place_names(state).remove(&code).unwrap_or_default(),
    }
}

/// The period keys offered: the last 12 months, 4 quarters, 2 half-years, 3 years.
fn period_choices(selected: &StatsPeriod, lang: Lang) -> Vec<Choice> {
    let today = canhgiac_core::clock::local_date(now());
    let list: Vec<StatsPeriod> = [
        (PeriodKind::Month, 12),
        (PeriodKind::Quarter, 4),
        (PeriodKind::HalfYear, 2),
        (PeriodKind::Year, 3),
    ]
    .into_iter()
    .flat_map(|(kind, n)| StatsPeriod::latest(kind, n, today))
    .collect();
    let mut out: Vec<Choice> = list
        .into_iter()
        .map(|p| Choice {
            value: p.key(),
            label: p.title(lang),
            selected: p.key() == selected.key(),
        })
        .collect();
    out.push(Choice {
        value: "custom".into(),
        label: lang.pick("Từ ngày … đến ngày …", "From … to …").into(),
        selected: selected.kind == PeriodKind::Custom,
    });
    if !out.iter().any(|c| c.selected) {
        out.insert(
            0,
            Choice {
                value: selected.key(),
                label: selected.title(lang),
                selected: true,
            },
        );
    }
    out
}

/// `GET /console/thong-ke`.
pub async fn page(
    State(state): State<AppState>,
    console: Console,
    Query(q): Query<StatsQuery>,
) -> PageResult {
    console.require(Permission::ViewStatistics)?;
    let lang = console.lang;
    let stats = statistics(&state, &q).await?;
    let audience = audience_of(console.officer().role);
    let names = place_names(&state);
    let units = state
        .store
        .units()
        .await
        .map_err(|e| PageError::unavailable("units", e))?;
    let methods = stats.lines(Breakdown::Method, audience, lang, &names);
    let (starts, now_series, before_series) = stats.series();
    let labels: Vec<String> = starts
        .iter()
        .map(|d| format!("{:02}/{:02}", d.day(), u8::from(d.month())))
        .collect();
    let chart_days = crate::documents::chart::lines(
        lang.pick(
            "Số báo cáo trong kỳ và cùng kỳ năm trước",
            "Reports in the period and a year before",
        ),
        &labels,
        &[
            (stats.now.period.title(lang), now_series),
            (stats.year_before.period.title(lang), before_series),
        ],
        &[],
        lang,
    );
    let bars: Vec<(String, u64)> = methods
        .iter()
        .filter_map(|l| Some((l.label.clone(), l.reports?)))
        .filter(|(_, n)| *n > 0)
        .take(10)
        .collect();
    let chart_methods = crate::documents::chart::bars(
        lang.pick(
            "Thủ đoạn nhiều báo cáo nhất",
            "Methods with the most reports",
        ),
        &bars,
        lang,
    );
    let page = StatsPage {
        title: stats.now.period.title(lang),
        previous_title: stats.previous.period.title(lang),
        year_title: stats.year_before.period.title(lang),
        scope_title: scope_title(&state, stats.scope, &units, lang),
        restricted: audience == Audience::Restricted,
        suppress_below: SUPPRESS_BELOW,
        figures: stats.figures(audience, lang),
        channels: stats.lines(Breakdown::Channel, audience, lang, &names),
        methods,
        communes: stats.lines(Breakdown::Commune, audience, lang, &names),
        chart_days,
        chart_methods,
        periods: period_choices(&stats.now.period, lang),
        units: units
            .iter()
            .map(|u| Choice {
                value: u.id.to_string(),
                label: u.name.clone(),
                selected: stats.scope == Scope::Unit(u.id),
            })
            .collect(),
        communes_choice: state
            .store
            .places()
            .iter()
            .map(|p| Choice {
                value: p.code.to_string(),
                label: p.name.clone(),
                selected: stats.scope == Scope::Commune(p.code),
            })
            .collect(),
        from: q.from.clone().unwrap_or_default(),
        to: q.to.clone().unwrap_or_default(),
        query: query_string(&q),
        f: Frame::new(&console),
    };
    Ok(render(StatusCode::OK, &page))
}

/// The rows of the CSV export: the summary, then each breakdown.
fn csv_rows(
    stats: &Statistics,
    audience: Audience,
    lang: Lang,
    names: &HashMap<i64, String>,
) -> Vec<Vec<String>> {
    let mut rows = vec![vec![
        lang.pick("Phần", "Section").to_string(),
        lang.pick("Chỉ tiêu", "Figure").to_string(),
        stats.now.period.title(lang),
        stats.previous.period.title(lang),
        lang.pick("So với kỳ trước", "Against the period before")
            .to_string(),
        stats.year_before.period.title(lang),
        lang.pick("So với cùng kỳ", "Against a year before")
            .to_string(),
    ]];
    let summary = lang.pick("Tổng hợp", "Summary").to_string();
    for f in stats.figures(audience, lang) {
        rows.push(vec![
            summary.clone(),
            f.label.clone(),
            f.cell(0),
            f.cell(1),
            f.change(0, &lang),
            f.cell(2),
            f.change(1, &lang),
        ]);
    }
    for (by, title) in [
        (Breakdown::Channel, lang.pick("Theo kênh", "By channel")),
        (Breakdown::Method, lang.pick("Theo thủ đoạn", "By method")),
        (
            Breakdown::Commune,
            lang.pick("Theo xã, phường", "By commune"),
        ),
    ] {
        for l in stats.lines(by, audience, lang, names) {
            rows.push(vec![
                title.to_string(),
                l.label.clone(),
                l.shown[0].clone(),
                l.shown[1].clone(),
                String::new(),
                l.shown[2].clone(),
                String::new(),
            ]);
        }
    }
    rows
}

/// `GET /console/thong-ke.csv`: the page's tables in one file.
pub async fn csv(state: State<AppState>, console: Console, q: Query<StatsQuery>) -> PageResult {
    export(state, console, q, Format::Csv).await
}

/// `GET /console/thong-ke.xlsx`: the same tables as a workbook.
pub async fn xlsx(state: State<AppState>, console: Console, q: Query<StatsQuery>) -> PageResult {
    export(state, console, q, Format::Xlsx).await
}

async fn export(
    State(state): State<AppState>,
    console: Console,
    Query(q): Query<StatsQuery>,
    format: Format,
) -> PageResult {
    console.require(Permission::ViewStatistics)?;
    let lang = console.lang;
    let stats = statistics(&state, &q).await?;
    let rows = csv_rows(
        &stats,
        audience_of(console.officer().role),
        lang,
        &place_names(&state),
    );
    let key = stats.now.period.key().replace("..", "_");
    crate::spreadsheet::download(
        &rows,
        &format!("thong-ke-{key}"),
        &format!(
            "{} {}",
            lang.pick("Thống kê", "Statistics"),
            stats.now.period.title(lang)
        ),
        format,
    )
    .map_err(|e| PageError::unavailable("statistics export", e))
}

/// The period of an answer.
#[derive(Serialize, utoipa::ToSchema)]
pub struct PeriodOut {
    /// `2026-11`, `2026-Q4`, `2026-H2`, `2026` or `first..last`.
    pub key: String,
    /// First day.
    pub first: String,
    /// Last day.
    pub last: String,
    /// For people.
    pub title: String,
}

impl PeriodOut {
    fn of(p: &StatsPeriod, lang: Lang) -> PeriodOut {
        PeriodOut {
            key: p.key(),
            first: p.first.to_string(),
            last: p.last.to_string(),
            title: p.title(lang),
        }
    }
}

/// The statistics of a period.
#[derive(Serialize, utoipa::ToSchema)]
pub struct StatsAnswer {
    /// The period asked for.
    pub period: PeriodOut,
    /// The period before.
    pub previous: PeriodOut,
    /// The same period a year before.
    pub year_before: PeriodOut,
    /// `province`, `unit:<id>` or `commune:<code>`.
    pub scope: String,
    /// Counts below this are `null` for this caller (oversight accounts); absent for
    /// the police.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub suppressed_below: Option<u64>,
    /// Every figure with its comparisons.
    pub figures: Vec<Figure>,
    /// Reports by channel of first contact.
    pub by_channel: Vec<Line>,
    /// Reports by method.
    pub by_method: Vec<Line>,
    /// Reports by commune or ward.
    pub by_commune: Vec<Line>,
}

/// Statistics of a period, against the period before and a year before.
#[utoipa::path(get, path = "/api/v1/officer/stats", tag = "officer", params(StatsQuery), responses(
    (status = 200, description = "The period's figures", body = StatsAnswer),
    (status = 422, description = "A period in the future, a reversed range, an unknown unit or commune", body = crate::error::ErrorBody)
))]
pub async fn api(
    State(state): State<AppState>,
    who: ApiOfficer,
    Query(q): Query<StatsQuery>,
) -> Response {
    if let Err(e) = who.require(Permission::ViewStatistics) {
        return e.into_response();
    }
    let lang = who.lang;
    let at = now();
    let stats = match q.resolve(&state, at).await {
        Ok(Ok((period, scope))) => match compute(&state, period, scope, at).await {
            Ok(s) => s,
            Err(e) => return from_store(lang, e).into_response(),
        },
        Ok(Err(r)) => return ApiError::refused(&r, lang).into_response(),
        Err(e) => return from_store(lang, e).into_response(),
    };
    let audience = audience_of(who.officer().role);
    let names = place_names(&state);
    Json(StatsAnswer {
        period: PeriodOut::of(&stats.now.period, lang),
        previous: PeriodOut::of(&stats.previous.period, lang),
        year_before: PeriodOut::of(&stats.year_before.period, lang),
        scope: match stats.scope {
            Scope::Province => "province".into(),
            Scope::Unit(id) => format!("unit:{id}"),
            Scope::Commune(c) => format!("commune:{c}"),
        },
        suppressed_below: (audience == Audience::Restricted).then_some(SUPPRESS_BELOW),
        figures: stats.figures(audience, lang),
        by_channel: stats.lines(Breakdown::Channel, audience, lang, &names),
        by_method: stats.lines(Breakdown::Method, audience, lang, &names),
        by_commune: stats.lines(Breakdown::Commune, audience, lang, &names),
    })
    .into_response()
}
