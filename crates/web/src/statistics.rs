//! The figures of a period, compared with the period before and the same period a year
//! earlier, as the statistics pages, their exports, the officer API and the public page
//! show them. Reports are tallied from the facts the store keeps in memory; the rest is
//! read from its tables ([`canhgiac_store::stats`]).

use std::collections::{HashMap, HashSet};

use axum::http::StatusCode;
use canhgiac_core::case::EventKind;
use canhgiac_core::i18n::Lang;
use canhgiac_core::methods::Catalogue;
use canhgiac_core::report::Channel;
use canhgiac_core::stats::{change, suppressed, PeriodError, StatsPeriod, SUPPRESS_BELOW};
use canhgiac_store::stats::facts::Facts;
use canhgiac_store::stats::{end_of, tally, Awareness, Count, Handling, Holds, Scope, Tally};
use canhgiac_store::StoreError;
use serde::Serialize;

use crate::pages::format::vnd;
use crate::refusal::Refusal;
use crate::AppState;

/// Who is looking: the police see every count; oversight accounts and the public see
/// counts below [`SUPPRESS_BELOW`] as "< 5".
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Audience {
    /// Leaders, analysts, administrators.
    Police,
    /// Oversight accounts and the public.
    Restricted,
}

/// The figures of one period.
#[derive(Debug, Clone)]
pub struct Side {
    /// The period.
    pub period: StatsPeriod,
    /// Reports.
    pub tally: Tally,
    /// Handling steps.
    pub handling: Handling,
    /// Holds and recoveries.
    pub holds: Holds,
    /// Rings formed (a second report sharing an identifier arrived in the period).
    pub rings: u64,
    /// Bulletins and agencies' activities.
    pub awareness: Awareness,
}

/// A period with its two comparisons.
#[derive(Debug, Clone)]
pub struct Statistics {
    /// Whose reports.
    pub scope: Scope,
    /// The period asked for.
    pub now: Side,
    /// The period before.
    pub previous: Side,
    /// The same period a year before.
    pub year_before: Side,
}

/// Why a statistics request was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StatsRefusal {
    /// The period.
    Period(PeriodError),
    /// No unit with that id.
    UnknownUnit,
    /// No commune or ward with that code in the province.
    UnknownCommune,
    /// A unit and a commune at once.
    TwoScopes,
}

impl Refusal for StatsRefusal {
    fn status(&self) -> StatusCode {
        StatusCode::UNPROCESSABLE_ENTITY
    }

    fn code(&self) -> &'static str {
        match self {
            StatsRefusal::Period(e) => e.code(),
            StatsRefusal::UnknownUnit => "unit_unknown",
            StatsRefusal::UnknownCommune => "commune_unknown",
            StatsRefusal::TwoScopes => "scope_ambiguous",
        }
    }

    fn field(&self) -> Option<&'static str> {
        Some(match self {
            StatsRefusal::Period(PeriodError::Unknown | PeriodError::Future) => "period",
            StatsRefusal::Period(_) => "to",
            StatsRefusal::UnknownUnit => "unit",
            StatsRefusal::UnknownCommune | StatsRefusal::TwoScopes => "commune",
        })
    }

    fn text(&self, lang: Lang) -> String {
        match self {
            StatsRefusal::Period(e) => e.message(lang).to_string(),
            StatsRefusal::UnknownUnit => lang
                .pick(
                    "Không có đơn vị này; chọn một đơn vị trong danh sách.",
                    "No such unit; choose one from the list.",
                )
                .into(),
            StatsRefusal::UnknownCommune => lang
                .pick(
                    "Không có xã, phường này trong tỉnh; chọn trong danh sách.",
                    "No such commune or ward in the province; choose one from the list.",
                )
                .into(),
            StatsRefusal::TwoScopes => lang
                .pick(
                    "Chọn một đơn vị hoặc một xã, phường, không chọn cả hai.",
                    "Choose a unit or a commune, not both.",
                )
                .into(),
        }
    }
}

/// What the request asks for, as text from a query string.
#[derive(Debug, Clone, Default, serde::Deserialize, utoipa::IntoParams)]
pub struct StatsQuery {
    /// `2026-11` (month), `2026-Q4`, `2026-H2`, `2026`, or `custom` with `from` and
    /// `to`. Default: the current month.
    #[serde(default, alias = "ky")]
    pub period: Option<String>,
    /// First day of a custom range (`YYYY-MM-DD`).
    #[serde(default, alias = "tu")]
    pub from: Option<String>,
    /// Last day of a custom range (`YYYY-MM-DD`).
    #[serde(default, alias = "den")]
    pub to: Option<String>,
    /// A unit's id: only the reports it handles.
    #[serde(default, alias = "don_vi")]
    pub unit: Option<String>,
    /// A commune's code: only the reports from it.
    #[serde(default, alias = "xa")]
    pub commune: Option<String>,
}

fn nonempty(v: &Option<String>) -> Option<&str> {
    v.as_deref().map(str::trim).filter(|s| !s.is_empty())
}

impl StatsQuery {
    /// The period and scope asked for, checked against the calendar and the registry.
    pub async fn resolve(
        &self,
        state: &AppState,
        now: i64,
    ) -> Result<Result<(StatsPeriod, Scope), StatsRefusal>, StoreError> {
        let today = canhgiac_core::clock::local_date(now);
        let key = nonempty(&self.period)
            .map(str::to_string)
            .unwrap_or_else(|| StatsPeriod::month_of(today).key());
        let period = match StatsPeriod::parse(&key, nonempty(&self.from), nonempty(&self.to), today)
        {
            Ok(p) => p,
            Err(e) => return Ok(Err(StatsRefusal::Period(e))),
        };
        let scope = match (nonempty(&self.unit), nonempty(&self.commune)) {
            (Some(_), Some(_)) => return Ok(Err(StatsRefusal::TwoScopes)),
            (Some(u), None) => {
                let Ok(id) = u.parse::<i64>() else {
                    return Ok(Err(StatsRefusal::UnknownUnit));
                };
                if !state.store.units().await?.iter().any(|x| x.id == id) {
                    return Ok(Err(StatsRefusal::UnknownUnit));
                }
                Scope::Unit(id)
            }
            (None, Some(c)) => {
                let Ok(code) = c.parse::<i64>() else {
                    return Ok(Err(StatsRefusal::UnknownCommune));
                };
                if !state.store.places().iter().any(|p| p.code == code) {
                    return Ok(Err(StatsRefusal::UnknownCommune));
                }
                Scope::Commune(code)
            }
            (None, None) => Scope::Province,
        };
        Ok(Ok((period, scope)))
    }
}

async fn side(
    state: &AppState,
    facts: &Facts,
    formed: &[(i64, i64)],
    period: StatsPeriod,
    scope: Scope,
    now: i64,
) -> Result<Side, StoreError> {
    let (from, to) = period.unix_bounds();
    let tally = tally(facts, scope, from, to);
    let (handling, holds, awareness) = tokio::try_join!(
        state
            .store
            .handling_figures(scope, from, to, end_of(&period, now)),
        state.store.hold_figures(scope, from, to),
        state.store.awareness_figures(&period),
    )?;
    let rings = formed
        .iter()
        .filter(|(at, id)| {
            *at >= from && *at < to && facts.get(*id).is_some_and(|f| scope.holds(f))
        })
        .count() as u64;
    Ok(Side {
        period,
        tally,
        handling,
        holds,
        rings,
        awareness,
    })
}

/// Computes a period's figures and both comparisons.
pub async fn compute(
    state: &AppState,
    period: StatsPeriod,
    scope: Scope,
    now: i64,
) -> Result<Statistics, StoreError> {
    let facts = state.store.report_facts().await?;
    let formed = state.index.rings_formed();
    // The three periods at once: on PostgreSQL each side is a dozen round trips.
    let (this, previous, year_before) = tokio::try_join!(
        side(state, &facts, &formed, period, scope, now),
        side(state, &facts, &formed, period.previous(), scope, now),
        side(state, &facts, &formed, period.a_year_before(), scope, now),
    )?;
    Ok(Statistics {
        scope,
        now: this,
        previous,
        year_before,
    })
}

/// How a figure reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, serde::Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum FigureUnit {
    /// A count.
    Count,
    /// An amount in VND.
    Vnd,
    /// Hours.
    Hours,
}

/// One figure with its comparisons. `null` when not shown (a count below 5 for a
/// restricted audience, or no value).
#[derive(Debug, Clone, Serialize, serde::Deserialize, utoipa::ToSchema)]
pub struct Figure {
    /// Stable key.
    pub key: String,
    /// For people.
    pub label: String,
    /// What it counts.
    pub unit: FigureUnit,
    /// This period.
    pub value: Option<i64>,
    /// The period before.
    pub previous: Option<i64>,
    /// The same period a year before.
    pub year_before: Option<i64>,
    /// Whether a restricted audience sees "< 5" instead of a value.
    #[serde(skip)]
    pub small: [bool; 3],
}

impl Figure {
    /// A cell as people read it.
    pub fn cell(&self, which: usize) -> String {
        let v = [self.value, self.previous, self.year_before][which];
        if self.small[which] {
            return format!("< {SUPPRESS_BELOW}");
        }
        match (v, self.unit) {
            (None, _) => "—".into(),
            (Some(v), FigureUnit::Vnd) => vnd(v),
            (Some(v), _) => v.to_string(),
        }
    }

    /// The change against the period before (0) or the year before (1).
    pub fn change(&self, against: usize, lang: &Lang) -> String {
        let lang = *lang;
        let before = if against == 0 {
            self.previous
        } else {
            self.year_before
        };
        if self.small[0] || self.small[1 + against] {
            return "—".into();
        }
        match (self.value, before) {
            (Some(now), Some(b)) if now >= 0 && b >= 0 => change(now as u64, b as u64, lang),
            _ => "—".into(),
        }
    }
}

/// One line of a breakdown (by channel, method or commune).
#[derive(Debug, Clone, Serialize, serde::Deserialize, utoipa::ToSchema)]
pub struct Line {
    /// Stable key (channel name, method key, commune code), empty when unknown.
    pub key: String,
    /// For people.
    pub label: String,
    /// Reports in the period (`null`: fewer than 5, not shown to this audience).
    pub reports: Option<u64>,
    /// Loss reported, VND (`null` when the count is not shown).
    pub loss_vnd: Option<i64>,
    /// Reports in the period before.
    pub previous: Option<u64>,
    /// Reports in the same period a year before.
    pub year_before: Option<u64>,
    /// The text for people of the three counts.
    #[serde(skip)]
    pub shown: [String; 3],
    /// The loss for people ("—" when the count is not shown).
    #[serde(skip)]
    pub loss_shown: String,
}

fn n(v: u64) -> Option<i64> {
    i64::try_from(v).ok()
}

impl Statistics {
    /// The summary: every figure of the period with its comparisons.
    pub fn figures(&self, audience: Audience, lang: Lang) -> Vec<Figure> {
        let sides = [&self.now, &self.previous, &self.year_before];
        // A commune's totals are small numbers about few people: suppressed too.
        let restricted = audience == Audience::Restricted;
        let commune = matches!(self.scope, Scope::Commune(_));
        let mut out = Vec::new();
        let mut push = |key: &'static str,
                        vi: &str,
                        en: &str,
                        unit: FigureUnit,
                        get: &dyn Fn(&Side) -> Option<i64>,
                        count_of: &dyn Fn(&Side) -> u64| {
            let values = sides.map(get);
            let small = sides.map(|s| {
                let c = count_of(s);
                restricted && commune && c > 0 && c < SUPPRESS_BELOW
            });
            out.push(Figure {
                key: key.to_string(),
                label: lang.pick(vi, en).to_string(),
                unit,
                value: if small[0] { None } else { values[0] },
                previous: if small[1] { None } else { values[1] },
                year_before: if small[2] { None } else { values[2] },
                small,
            });
        };
        let reports = |s: &Side| s.tally.total.reports;
        push(
            "reports",
            "Báo cáo của người dân",
            "Reports from citizens",
            FigureUnit::Count,
            &|s| n(s.tally.total.reports),
            &reports,
        );
        push(
            "loss_vnd",
            "Thiệt hại được báo (đồng)",
            "Losses reported (VND)",
            FigureUnit::Vnd,
            &|s| Some(s.tally.total.loss),
            &reports,
        );
        push(
            "received",
            "Tiếp nhận chính thức",
            "Formally received",
            FigureUnit::Count,
            &|s| n(s.handling.received),
            &|s| s.handling.received,
        );
        for kind in canhgiac_store::stats::STEP_KINDS {
            let key = kind.as_str();
            let (vi, en) = step_label(kind);
            push(
                step_key(kind),
                vi,
                en,
                FigureUnit::Count,
                &|s| n(s.handling.steps.get(key).copied().unwrap_or(0)),
                &|s| s.handling.steps.get(key).copied().unwrap_or(0),
            );
        }
        push(
            "decided_in_time",
            "Giải quyết trong thời hạn",
            "Decided within the time limit",
            FigureUnit::Count,
            &|s| n(s.handling.decided_in_time),
            &|s| s.handling.decided_in_time,
        );
        push(
            "decided_late",
            "Giải quyết quá hạn",
            "Decided after the time limit",
            FigureUnit::Count,
            &|s| n(s.handling.decided_late),
            &|s| s.handling.decided_late,
        );
        push(
            "extended",
            "Gia hạn",
            "Extensions",
            FigureUnit::Count,
            &|s| n(s.handling.extended),
            &|s| s.handling.extended,
        );
        push(
            "overdue",
            "Quá hạn chưa giải quyết (cuối kỳ)",
            "Overdue without a decision (end of period)",
            FigureUnit::Count,
            &|s| n(s.handling.overdue),
            &|s| s.handling.overdue,
        );
        push(
            "rings",
            "Đường dây phát hiện",
            "Rings found",
            FigureUnit::Count,
            &|s| n(s.rings),
            &|s| s.rings,
        );
        push(
            "hold_requests",
            "Đề nghị tạm giữ gửi ngân hàng",
            "Hold requests to banks",
            FigureUnit::Count,
            &|s| n(s.holds.requested),
            &|s| s.holds.requested,
        );
        push(
            "holds",
            "Tài khoản đã tạm giữ",
            "Accounts held",
            FigureUnit::Count,
            &|s| n(s.holds.held),
            &|s| s.holds.held,
        );
        push(
            "held_vnd",
            "Số tiền tạm giữ (đồng)",
            "Amount held (VND)",
            FigureUnit::Vnd,
            &|s| Some(s.holds.held_vnd),
            &|s| s.holds.held,
        );
        push(
            "hold_refused",
            "Ngân hàng từ chối",
            "Refused by the bank",
            FigureUnit::Count,
            &|s| n(s.holds.refused),
            &|s| s.holds.refused,
        );
        push(
            "hours_to_hold_median",
            "Thời gian từ báo cáo đến tạm giữ, trung vị (giờ)",
            "Hours from report to hold, median",
            FigureUnit::Hours,
            &|s| s.holds.hours_to_hold.map(|h| h.0),
            &|s| s.holds.held,
        );
        push(
            "hours_to_hold_p90",
            "Thời gian từ báo cáo đến tạm giữ, 90% (giờ)",
            "Hours from report to hold, 90th percentile",
            FigureUnit::Hours,
            &|s| s.holds.hours_to_hold.map(|h| h.1),
            &|s| s.holds.held,
        );
        push(
            "returned",
            "Lần trả lại tiền cho bị hại",
            "Returns of money to victims",
            FigureUnit::Count,
            &|s| n(s.holds.returned),
            &|s| s.holds.returned,
        );
        push(
            "returned_vnd",
            "Số tiền trả lại (đồng)",
            "Amount returned (VND)",
            FigureUnit::Vnd,
            &|s| Some(s.holds.returned_vnd),
            &|s| s.holds.returned,
        );
        push(
            "bulletins",
            "Bản tin cảnh báo phát hành",
            "Bulletins published",
            FigureUnit::Count,
            &|s| n(s.awareness.bulletins),
            &|_| SUPPRESS_BELOW,
        );
        push(
            "activities",
            "Hoạt động tuyên truyền của các cơ quan",
            "Agencies' awareness activities",
            FigureUnit::Count,
            &|s| n(s.awareness.activities),
            &|_| SUPPRESS_BELOW,
        );
        push(
            "reached",
            "Lượt người được tuyên truyền",
            "People reached",
            FigureUnit::Count,
            &|s| Some(s.awareness.reached),
            &|_| SUPPRESS_BELOW,
        );
        push(
            "agencies_active",
            "Cơ quan có báo cáo hoạt động",
            "Agencies that reported activities",
            FigureUnit::Count,
            &|s| n(s.awareness.agencies_active),
            &|_| SUPPRESS_BELOW,
        );
        out
    }

    /// Reports by channel, method or commune, largest first.
    pub fn lines(
        &self,
        by: Breakdown,
        audience: Audience,
        lang: Lang,
        place_names: &HashMap<i64, String>,
    ) -> Vec<Line> {
        let pick = |t: &Tally| -> HashMap<String, Count> {
            match by {
                Breakdown::Channel => t.by_channel.clone(),
                Breakdown::Method => t
                    .by_method
                    .iter()
                    .map(|(k, v)| (k.clone().unwrap_or_default(), *v))
                    .collect(),
                Breakdown::Commune => t
                    .by_commune
                    .iter()
                    .map(|(k, v)| (k.map(|c| c.to_string()).unwrap_or_default(), *v))
                    .collect(),
            }
        };
        let now = pick(&self.now.tally);
        let previous = pick(&self.previous.tally);
        let year_before = pick(&self.year_before.tally);
        let keys: HashSet<&String> = now
            .keys()
            .chain(previous.keys())
            .chain(year_before.keys())
            .collect();
        let catalogue = Catalogue::get();
        let unknown = lang.pick("Chưa rõ", "Unknown");
        let restricted = audience == Audience::Restricted;
        let hide = |c: u64| restricted && c > 0 && c < SUPPRESS_BELOW;
        let shown = |c: u64| {
            if restricted {
                suppressed(c)
            } else {
                c.to_string()
            }
        };
        let mut out: Vec<Line> = keys
            .into_iter()
            .map(|key| {
                let label = if key.is_empty() {
                    unknown.to_string()
                } else {
                    match by {
                        Breakdown::Channel => Channel::parse(key)
                            .map(|c| c.label(lang).to_string())
                            .unwrap_or_else(|| key.clone()),
                        Breakdown::Method => catalogue
                            .by_key(key)
                            .map(|m| m.name(lang).to_string())
                            .unwrap_or_else(|| key.clone()),
                        Breakdown::Commune => key
                            .parse::<i64>()
                            .ok()
                            .and_then(|c| place_names.get(&c).cloned())
                            .unwrap_or_else(|| key.clone()),
                    }
                };
                let c = now.get(key).copied().unwrap_or_default();
                let p = previous.get(key).map(|x| x.reports).unwrap_or(0);
                let y = year_before.get(key).map(|x| x.reports).unwrap_or(0);
                Line {
                    key: key.clone(),
                    label,
                    reports: (!hide(c.reports)).then_some(c.reports),
                    loss_vnd: (!hide(c.reports)).then_some(c.loss),
                    previous: (!hide(p)).then_some(p),
                    year_before: (!hide(y)).then_some(y),
                    shown: [shown(c.reports), shown(p), shown(y)],
                    loss_shown: if hide(c.reports) {
                        "—".into()
                    } else {
                        vnd(c.loss)
                    },
                }
            })
            .collect();
        out.sort_by(|a, b| {
            let count = |l: &Line| now.get(&l.key).map(|c| c.reports).unwrap_or(0);
            count(b).cmp(&count(a)).then(a.label.cmp(&b.label))
        });
        out
    }

    /// Reports per day of the period and of the same days a year before, in buckets
    /// of one day (up to two months) or seven days: (first day of each bucket, now,
    /// a year before).
    pub fn series(&self) -> (Vec<time::Date>, Vec<u32>, Vec<u32>) {
        let days = self.now.tally.per_day.len();
        let step = if days <= 62 { 1 } else { 7 };
        let bucket = |v: &[u64]| -> Vec<u32> {
            v.chunks(step)
                .map(|c| u32::try_from(c.iter().sum::<u64>()).unwrap_or(u32::MAX))
                .collect()
        };
        let starts = (0..days)
            .step_by(step)
            .map(|d| self.now.period.first + time::Duration::days(d as i64))
            .collect();
        let mut before = bucket(&self.year_before.tally.per_day);
        let now = bucket(&self.now.tally.per_day);
        before.resize(now.len(), 0);
        (starts, now, before)
    }
}

/// Which breakdown.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Breakdown {
    /// By channel of first contact.
    Channel,
    /// By scam method.
    Method,
    /// By commune or ward.
    Commune,
}

fn step_key(kind: EventKind) -> &'static str {
    match kind {
        EventKind::CaseOpened => "case_opened",
        EventKind::NoCase => "no_case",
        EventKind::Suspended => "suspended",
        EventKind::Transferred => "transferred",
        EventKind::TransferredOut => "transferred_out",
        EventKind::NotCrime => "not_crime",
        _ => "other",
    }
}

fn step_label(kind: EventKind) -> (&'static str, &'static str) {
    match kind {
        EventKind::CaseOpened => ("Quyết định khởi tố vụ án", "Cases opened"),
        EventKind::NoCase => ("Quyết định không khởi tố", "Decided not to open a case"),
        EventKind::Suspended => ("Tạm đình chỉ giải quyết", "Suspended"),
        EventKind::Transferred => (
            "Chuyển đơn vị trong tỉnh",
            "Transferred within the province",
        ),
        EventKind::TransferredOut => (
            "Chuyển cơ quan có thẩm quyền",
            "Transferred to another authority",
        ),
        EventKind::NotCrime => ("Không có dấu hiệu tội phạm", "Not a crime"),
        _ => ("Khác", "Other"),
    }
}
