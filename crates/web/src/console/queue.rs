//! The triage queue: open reports, most urgent first, with filters, diacritic-blind
//! search and bulk actions.

use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect};
use canhgiac_core::i18n::Lang;
use canhgiac_core::methods::Catalogue;
use canhgiac_core::report::Channel;
use canhgiac_core::roles::Permission;
use canhgiac_store::console::{QueueFilter, QueuePage, QUEUE_PAGE, STATUSES};
use canhgiac_store::handling::BulkAction;
use serde::Deserialize;

use super::auth::{Console, ConsoleForm};
use super::{fmt_datetime, status_label, vnd, Frame};
use crate::pages::render;
use crate::pages::{PageError, PageResult};
use crate::refusal::Refusal;
use crate::AppState;

/// The filters as typed (every field text, so a typo is reported, not rejected).
#[derive(Debug, Clone, Default, Deserialize)]
pub struct QueueQuery {
    #[serde(default)]
    pub status: String,
    #[serde(default)]
    pub method: String,
    #[serde(default)]
    pub channel: String,
    #[serde(default)]
    pub place: String,
    #[serde(default)]
    pub from: String,
    #[serde(default)]
    pub to: String,
    #[serde(default)]
    pub min: String,
    #[serde(default)]
    pub max: String,
    #[serde(default)]
    pub unit: String,
    #[serde(default)]
    pub assignee: String,
    #[serde(default)]
    pub q: String,
    #[serde(default)]
    pub page: String,
}

fn day_start(s: &str) -> Option<i64> {
    let d = canhgiac_store::console::parse_date(s.trim())?;
    Some(
        d.midnight()
            .assume_offset(canhgiac_core::clock::VN_OFFSET)
            .unix_timestamp(),
    )
}

fn amount(s: &str) -> Option<i64> {
    let digits: String = s.chars().filter(|c| c.is_ascii_digit()).collect();
    digits.parse().ok()
}

impl QueueQuery {
    /// The store filter, and the names of fields that could not be read.
    pub fn filter(&self) -> (QueueFilter, Vec<&'static str>) {
        let mut bad = Vec::new();
        let mut f = QueueFilter::default();
        let opt = |s: &str| Some(s.trim()).filter(|s| !s.is_empty()).map(str::to_string);
        match opt(&self.status) {
            Some(s) if s == "all" => f.statuses = STATUSES.iter().map(|s| s.to_string()).collect(),
            Some(s) if STATUSES.contains(&s.as_str()) => f.statuses = vec![s],
            Some(_) => bad.push("status"),
            None => {}
        }
        match opt(&self.method) {
            Some(m) if Catalogue::get().by_key(&m).is_some() => f.method = Some(m),
            Some(_) => bad.push("method"),
            None => {}
        }
        match opt(&self.channel) {
            Some(c) if Channel::parse(&c).is_some() => f.channel = Some(c),
            Some(_) => bad.push("channel"),
            None => {}
        }
        let num = |s: &str, name: &'static str, bad: &mut Vec<&'static str>| match opt(s) {
            Some(v) => match v.parse::<i64>() {
                Ok(n) => Some(n),
                Err(_) => {
                    bad.push(name);
                    None
                }
            },
            None => None,
        };
        f.place_code = num(&self.place, "place", &mut bad);
        f.unit_id = num(&self.unit, "unit", &mut bad);
        f.assignee_id = num(&self.assignee, "assignee", &mut bad);
        f.page = num(&self.page, "page", &mut bad)
            .unwrap_or(0)
            .clamp(0, 1_000) as usize;
        for (text, slot, name, end) in [
            (&self.from, &mut f.from, "from", false),
            (&self.to, &mut f.to, "to", true),
        ] {
            if let Some(s) = opt(text) {
                match day_start(&s) {
                    Some(t) => *slot = Some(if end { t + 86_400 } else { t }),
                    None => bad.push(name),
                }
            }
        }
        for (text, slot, name) in [
            (&self.min, &mut f.min_amount, "min"),
            (&self.max, &mut f.max_amount, "max"),
        ] {
            if let Some(s) = opt(text) {
                match amount(&s) {
                    Some(a) => *slot = Some(a),
                    None => bad.push(name),
                }
            }
        }
        f.search = opt(&self.q).map(|q| q.chars().take(200).collect());
        (f, bad)
    }
}

struct Row {
    id: i64,
    code: String,
    status: &'static str,
    golden: bool,
    score: String,
    why: String,
    channel: &'static str,
    method: String,
    amount: String,
    place: String,
    submitted: String,
    assignee: String,
    excerpt: String,
    days_left: Option<i64>,
}

#[derive(Template)]
#[template(path = "console/queue.html")]
struct QueueView {
    f: Frame,
    q: QueueQuery,
    bad: Vec<&'static str>,
    rows: Vec<Row>,
    total: String,
    page: usize,
    prev: Option<String>,
    next: Option<String>,
    statuses: Vec<(&'static str, &'static str)>,
    channels: Vec<(&'static str, &'static str)>,
    methods: Vec<(String, String)>,
    places: Vec<(i64, String)>,
    officers: Vec<(i64, String)>,
    can_bulk: bool,
    notice: String,
}

fn why(item: &canhgiac_store::console::QueueItem, lang: Lang) -> String {
    let mut parts = Vec::new();
    if item.urgency.golden_hour {
        parts.push(
            lang.pick(
                "chuyển tiền trong 24 giờ qua",
                "money sent in the last 24 hours",
            )
            .to_string(),
        );
    }
    if item.linked_reports > 0 {
        parts.push(format!(
            "{} {}",
            item.linked_reports,
            lang.pick("báo cáo liên quan", "linked reports")
        ));
    }
    if item.verified_identifiers > 0 {
        parts.push(format!(
            "{} {}",
            item.verified_identifiers,
            lang.pick("định danh đã xác minh", "verified identifiers")
        ));
    }
    parts.join(" · ")
}

fn page_link(q: &QueueQuery, page: usize) -> String {
    let mut q = q.clone();
    q.page = page.to_string();
    let pairs = [
        ("status", &q.status),
        ("method", &q.method),
        ("channel", &q.channel),
        ("place", &q.place),
        ("from", &q.from),
        ("to", &q.to),
        ("min", &q.min),
        ("max", &q.max),
        ("unit", &q.unit),
        ("assignee", &q.assignee),
        ("q", &q.q),
        ("page", &q.page),
    ];
    let kept: Vec<(&str, &String)> = pairs.into_iter().filter(|(_, v)| !v.is_empty()).collect();
    format!(
        "/console?{}",
        serde_urlencoded::to_string(kept).unwrap_or_default()
    )
}

/// The queue page.
pub async fn page(
    State(state): State<AppState>,
    console: Console,
    Query(q): Query<QueueQuery>,
) -> PageResult {
    // Agency liaisons have no queue: their console is their agency's activities.
    if !console.officer().role.can(Permission::ViewReports)
        && console.officer().role.can(Permission::RecordActivity)
    {
        return Ok(Redirect::to("/console/hoat-dong").into_response());
    }
    // Oversight accounts see statistics only.
    if !console.officer().role.can(Permission::ViewReports)
        && console.officer().role.can(Permission::ViewStatistics)
    {
        return Ok(Redirect::to("/console/thong-ke").into_response());
    }
    console.require(Permission::ViewReports)?;
    queue_page(&state, console, q, StatusCode::OK, String::new()).await
}

/// The queue for this query, with a notice (the outcome of a bulk action).
async fn queue_page(
    state: &AppState,
    console: Console,
    q: QueueQuery,
    status: StatusCode,
    notice: String,
) -> PageResult {
    let (filter, bad) = q.filter();
    let now = time::OffsetDateTime::now_utc().unix_timestamp();
    let page: QueuePage = state
        .store
        .queue(console.officer(), &filter, &state.index, now)
        .await?;
    let officers = state.store.officers().await.unwrap_or_default();
    Ok(render(
        status,
        &view(state, console, q, bad, page, officers, notice),
    ))
}

fn view(
    state: &AppState,
    console: Console,
    q: QueueQuery,
    bad: Vec<&'static str>,
    page: QueuePage,
    officers: Vec<canhgiac_store::officers::Officer>,
    notice: String,
) -> QueueView {
    let lang = console.lang;
    let catalogue = Catalogue::get();
    let rows = page
        .items
        .iter()
        .map(|i| Row {
            id: i.id,
            code: i.tracking_code.clone(),
            status: status_label(&i.status, lang),
            golden: i.urgency.golden_hour,
            score: format!("{:.0}", i.urgency.score()),
            why: why(i, lang),
            channel: Channel::parse(&i.channel)
                .map(|c| c.label(lang))
                .unwrap_or(""),
            method: i
                .method_key
                .as_deref()
                .and_then(|k| catalogue.by_key(k))
                .map(|m| m.name(lang).to_string())
                .unwrap_or_default(),
            amount: vnd(i.amount_lost_vnd),
            place: i
                .place_code
                .and_then(|p| state.store.place_name(p))
                .unwrap_or("")
                .to_string(),
            submitted: fmt_datetime(i.created_at),
            assignee: i.assignee.clone().unwrap_or_default(),
            excerpt: i.excerpt.clone(),
            days_left: i.days_left,
        })
        .collect();
    let shown_to = (page.page + 1) * QUEUE_PAGE;
    let total_ranked = page.total.min(canhgiac_store::console::QUEUE_CANDIDATES);
    QueueView {
        can_bulk: console.officer().role.can(Permission::ManageQueue),
        f: Frame::new(&console),
        prev: (page.page > 0).then(|| page_link(&q, page.page - 1)),
        next: ((shown_to as i64) < total_ranked).then(|| page_link(&q, page.page + 1)),
        q,
        bad,
        rows,
        total: if page.total_capped {
            format!("{}+", vnd(page.total))
        } else {
            vnd(page.total)
        },
        page: page.page,
        statuses: STATUSES
            .iter()
            .map(|s| (*s, status_label(s, lang)))
            .collect(),
        channels: Channel::ALL
            .iter()
            .map(|c| (c.as_str(), c.label(lang)))
            .collect(),
        methods: catalogue
            .all()
            .iter()
            .map(|m| (m.key.clone(), m.name(lang).to_string()))
            .collect(),
        places: state
            .store
            .places()
            .iter()
            .map(|p| (p.code, p.name.clone()))
            .collect(),
        officers: officers
            .into_iter()
            .filter(|o| o.role.can(Permission::HandleReports))
            .map(|o| (o.id, o.display_name))
            .collect(),
        notice,
    }
}

#[derive(Deserialize)]
pub struct BulkForm {
    #[serde(default)]
    action: String,
    #[serde(default)]
    officer: String,
    #[serde(default)]
    reason: String,
}

/// A bulk action on ticked reports.
pub async fn bulk(State(state): State<AppState>, f: ConsoleForm<BulkForm>) -> PageResult {
    let console = f.console.allowed(Permission::ManageQueue)?;
    let lang = console.lang;
    let ids: Vec<i64> = f
        .pairs
        .iter()
        .filter(|(k, _)| k == "id")
        .filter_map(|(_, v)| v.parse().ok())
        .collect();
    let action = match f.form.action.as_str() {
        "assign" => f
            .form
            .officer
            .parse()
            .ok()
            .map(|officer_id| BulkAction::Assign { officer_id }),
        "not_crime" => Some(BulkAction::NotCrime {
            reason: f.form.reason.clone(),
        }),
        "merge" => Some(BulkAction::Merge),
        _ => None,
    };
    let notice = match action {
        None => lang
            .pick(
                "Hãy chọn thao tác (và cán bộ, nếu phân công).",
                "Choose an action (and an officer to assign to).",
            )
            .to_string(),
        Some(_) if ids.is_empty() => lang
            .pick(
                "Hãy đánh dấu ít nhất một báo cáo.",
                "Tick at least one report.",
            )
            .to_string(),
        Some(action) => {
            let now = time::OffsetDateTime::now_utc().unix_timestamp();
            match state.store.bulk(console.officer(), &ids, action, now).await {
                Ok(Ok(_)) => return Ok(Redirect::to("/console").into_response()),
                Ok(Err(e)) => e.text(lang).to_string(),
                Err(e) => {
                    return Err(PageError::unavailable("bulk action", e));
                }
            }
        }
    };
    queue_page(
        &state,
        console,
        QueueQuery::default(),
        StatusCode::UNPROCESSABLE_ENTITY,
        notice,
    )
    .await
}
