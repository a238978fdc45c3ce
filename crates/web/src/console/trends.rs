//! Trends (`/console/xu-huong`): weekly reports per method, commune and channel over
//! the last weeks, each series judged against its own recent level
//! ([`canhgiac_core::trends::judge`]); a chart of the total and the three largest
//! methods, with the total's spikes ringed.

use std::collections::HashMap;

use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use canhgiac_core::methods::Catalogue;
use canhgiac_core::report::Channel as ContactChannel;
use canhgiac_core::roles::Permission;
use canhgiac_core::trends::{judge, week_of, week_start};
use serde::Deserialize;

use super::auth::Console;
use super::{fmt_day, Frame};
use crate::pages::render;
use crate::pages::PageResult;
use crate::AppState;

/// Weeks shown by default, and at most.
const DEFAULT_WEEKS: i64 = 16;
const MAX_WEEKS: i64 = 104;
/// Rows per table.
const ROWS: usize = 15;

#[derive(Deserialize, Default)]
pub struct TrendsQuery {
    /// Weeks to show (ending with the last complete week).
    #[serde(default)]
    tuan: Option<i64>,
}

/// One series in a table.
pub struct SeriesRow {
    pub name: String,
    pub last: u32,
    pub baseline: String,
    pub z: String,
    pub spike: bool,
    pub total: u32,
}

#[derive(Template)]
#[template(path = "console/trends.html")]
struct TrendsPage {
    f: Frame,
    weeks: i64,
    last_week: String,
    chart: String,
    methods: Vec<SeriesRow>,
    places: Vec<SeriesRow>,
    channels: Vec<SeriesRow>,
    spikes: usize,
}

fn rows(series: HashMap<String, Vec<u32>>) -> Vec<SeriesRow> {
    let mut out: Vec<SeriesRow> = series
        .into_iter()
        .filter_map(|(name, values)| {
            let j = judge(&values)?;
            Some(SeriesRow {
                name,
                last: j.last,
                baseline: format!("{:.1}", j.baseline),
                z: format!("{:.1}", j.z),
                spike: j.spike,
                total: values.iter().sum(),
            })
        })
        .collect();
    out.sort_by(|a, b| {
        b.spike
            .cmp(&a.spike)
            .then(b.last.cmp(&a.last))
            .then(b.total.cmp(&a.total))
    });
    out.truncate(ROWS);
    out
}

/// `GET /console/xu-huong?tuan=16`.
pub async fn page(
    State(state): State<AppState>,
    console: Console,
    Query(q): Query<TrendsQuery>,
) -> PageResult {
    console.require(Permission::ViewReports)?;
    let lang = console.lang;
    let weeks = q.tuan.unwrap_or(DEFAULT_WEEKS).clamp(4, MAX_WEEKS);
    let last = week_of(time::OffsetDateTime::now_utc().unix_timestamp()) - 1;
    let first = last - weeks + 1;
    let counts = state.store.weekly_counts(first, last).await?;
    let n = weeks as usize;
    let slot = |w: i64| usize::try_from(w - first).ok().filter(|i| *i < n);
    let catalogue = Catalogue::get();
    let place_names: HashMap<i64, &str> = state
        .store
        .places()
        .iter()
        .map(|p| (p.code, p.name.as_str()))
        .collect();
    let mut total = vec![0u32; n];
    let mut by_method: HashMap<String, Vec<u32>> = HashMap::new();
    let mut by_place: HashMap<String, Vec<u32>> = HashMap::new();
    let mut by_channel: HashMap<String, Vec<u32>> = HashMap::new();
    let unknown = lang.pick("Chưa rõ", "Unknown");
    for c in &counts {
        let Some(i) = slot(c.week) else { continue };
        total[i] += c.count;
        let method = c
            .method
            .as_deref()
            .map(|k| catalogue.by_key(k).map(|m| m.name(lang)).unwrap_or(k))
            .unwrap_or(unknown);
        let place = c
            .place
            .and_then(|p| place_names.get(&p).copied())
            .unwrap_or(unknown);
        let channel = ContactChannel::parse(&c.channel)
            .map(|ch| ch.label(lang))
            .unwrap_or(unknown);
        for (map, key) in [
            (&mut by_method, method),
            (&mut by_place, place),
            (&mut by_channel, channel),
        ] {
            map.entry(key.to_string()).or_insert_with(|| vec![0; n])[i] += c.count;
        }
    }
    // Spikes of the total, week by week, for the chart.
    let total_spikes: Vec<usize> = (0..n)
        .filter(|&i| judge(&total[..=i]).is_some_and(|j| j.spike))
        .collect();
    let mut largest: Vec<(&String, &Vec<u32>)> = by_method.iter().collect();
    largest.sort_by_key(|(_, v)| std::cmp::Reverse(v.iter().sum::<u32>()));
    let mut lines = vec![(lang.pick("Tổng", "Total").to_string(), total.clone())];
    lines.extend(
        largest
            .iter()
            .take(3)
            .map(|(k, v)| ((*k).clone(), (*v).clone())),
    );
    let dates: Vec<time::Date> = (first..=last).map(week_start).collect();
    let chart = crate::documents::chart::weekly_lines(&dates, &lines, &total_spikes, lang);
    let methods = rows(by_method);
    let places = rows(by_place);
    let channels = rows(by_channel);
    let spikes = methods
        .iter()
        .chain(&places)
        .chain(&channels)
        .filter(|r| r.spike)
        .count();
    Ok(render(
        StatusCode::OK,
        &TrendsPage {
            f: Frame::new(&console),
            weeks,
            last_week: fmt_day(week_start(last)),
            chart,
            methods,
            places,
            channels,
            spikes,
        },
    ))
}
