//! The public statistics (`/thong-ke`): for citizens and the press, the province's
//! reports, losses, holds and money returned, and the awareness work, by method and by
//! commune, against the period before and a year before. Counts below 5 in a method
//! or a commune are shown as "< 5"; nothing about a single report is shown. Each
//! page is kept for [`PUBLIC_TTL`] (one computation a minute at most per period and
//! language, however many readers).

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use askama::Template;
use axum::extract::{Query, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use canhgiac_core::i18n::Lang;
use canhgiac_core::stats::{PeriodKind, StatsPeriod, SUPPRESS_BELOW};
use canhgiac_store::stats::Scope;

use crate::lang::ReqLang;
use crate::pages::format::L;
use crate::pages::{PageError, PageResult};
use crate::statistics::{compute, Audience, Breakdown, Figure, Line, StatsQuery};
use crate::AppState;

/// How long a computed page serves.
pub const PUBLIC_TTL: Duration = Duration::from_secs(60);

/// Pages kept at most (periods × languages).
const MAX_PAGES: usize = 64;

/// The figures the public sees, by key.
const PUBLIC_FIGURES: [&str; 10] = [
    "reports",
    "loss_vnd",
    "rings",
    "holds",
    "held_vnd",
    "returned",
    "returned_vnd",
    "bulletins",
    "activities",
    "reached",
];

/// Computed pages: (period key, language) → (when, HTML).
#[derive(Default)]
pub struct PublicStatsCache {
    pages: Mutex<HashMap<(String, Lang), (Instant, String)>>,
    /// One computation at a time.
    computing: tokio::sync::Mutex<()>,
}

impl PublicStatsCache {
    fn get(&self, key: &(String, Lang)) -> Option<String> {
        let pages = self.pages.lock().ok()?;
        let (at, html) = pages.get(key)?;
        (at.elapsed() < PUBLIC_TTL).then(|| html.clone())
    }

    fn put(&self, key: (String, Lang), html: String) {
        if let Ok(mut pages) = self.pages.lock() {
            if pages.len() >= MAX_PAGES {
                pages.retain(|_, (at, _)| at.elapsed() < PUBLIC_TTL);
            }
            if pages.len() < MAX_PAGES {
                pages.insert(key, (Instant::now(), html));
            }
        }
    }
}

struct Choice {
    value: String,
    label: String,
    selected: bool,
}

#[derive(Template)]
#[template(path = "public_stats.html")]
struct PublicStatsPage {
    l: L,
    title: String,
    previous_title: String,
    year_title: String,
    province: String,
    suppress_below: u64,
    figures: Vec<Figure>,
    methods: Vec<Line>,
    communes: Vec<Line>,
    chart: String,
    periods: Vec<Choice>,
    computed_at: String,
}

fn choices(selected: &StatsPeriod, today: time::Date, lang: Lang) -> Vec<Choice> {
    let mut list = StatsPeriod::latest(PeriodKind::Year, 3, today);
    list.extend(StatsPeriod::latest(PeriodKind::Month, 12, today));
    let mut out: Vec<Choice> = list
        .iter()
        .map(|p| Choice {
            value: p.key(),
            label: p.title(lang),
            selected: p.key() == selected.key(),
        })
        .collect();
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

/// `GET /thong-ke?ky=2026`: the current year by default.
pub async fn page(
    State(state): State<AppState>,
    ReqLang(lang): ReqLang,
    Query(q): Query<StatsQuery>,
) -> PageResult {
    let now = time::OffsetDateTime::now_utc().unix_timestamp();
    let today = canhgiac_core::clock::local_date(now);
    // The province as a whole only: a unit or a commune is for officers.
    let q = StatsQuery {
        period: Some(
            q.period
                .filter(|p| !p.trim().is_empty())
                .unwrap_or_else(|| today.year().to_string()),
        ),
        from: q.from,
        to: q.to,
        unit: None,
        commune: None,
    };
    let (period, scope) = match q.resolve(&state, now).await {
        Ok(Ok(x)) => x,
        Ok(Err(r)) => return Err(PageError::refused(r)),
        Err(e) => return Err(PageError::unavailable("public statistics", e)),
    };
    let key = (period.key(), lang);
    if let Some(html) = state.public_stats.get(&key) {
        return Ok(html_response(html));
    }
    let _one = state.public_stats.computing.lock().await;
    if let Some(html) = state.public_stats.get(&key) {
        return Ok(html_response(html));
    }
    let stats = compute(&state, period, scope, now)
        .await
        .map_err(|e| PageError::unavailable("public statistics", e))?;
    debug_assert_eq!(stats.scope, Scope::Province);
    let names: HashMap<i64, String> = state
        .store
        .places()
        .iter()
        .map(|p| (p.code, p.name.clone()))
        .collect();
    let methods = stats.lines(Breakdown::Method, Audience::Restricted, lang, &names);
    let bars: Vec<(String, u64)> = methods
        .iter()
        .filter_map(|l| Some((l.label.clone(), l.reports?)))
        .filter(|(_, n)| *n > 0)
        .take(10)
        .collect();
    let page = PublicStatsPage {
        l: L(lang),
        title: stats.now.period.title(lang),
        previous_title: stats.previous.period.title(lang),
        year_title: stats.year_before.period.title(lang),
        province: state.store.province().name.clone(),
        suppress_below: SUPPRESS_BELOW,
        figures: stats
            .figures(Audience::Restricted, lang)
            .into_iter()
            .filter(|f| PUBLIC_FIGURES.contains(&f.key.as_str()))
            .collect(),
        methods,
        communes: stats.lines(Breakdown::Commune, Audience::Restricted, lang, &names),
        chart: crate::documents::chart::bars(
            lang.pick(
                "Thủ đoạn nhiều báo cáo nhất",
                "Methods with the most reports",
            ),
            &bars,
            lang,
        ),
        periods: choices(&stats.now.period, today, lang),
        computed_at: crate::pages::format::fmt_datetime(now),
    };
    let html = page
        .render()
        .map_err(|e| PageError::unavailable("public statistics page", e))?;
    state.public_stats.put(key, html.clone());
    Ok(html_response(html))
}

fn html_response(html: String) -> Response {
    (
        StatusCode::OK,
        [
            (header::CONTENT_TYPE, "text/html; charset=utf-8"),
            (header::CACHE_CONTROL, "public, max-age=60"),
        ],
        html,
    )
        .into_response()
}
