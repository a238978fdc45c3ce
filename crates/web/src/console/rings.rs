//! Fraud rings: the largest ones, and one ring with its reports, victims, communes,
//! total loss, time span and a drawing of reports and shared identifiers.

use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use canhgiac_core::i18n::Lang;
use canhgiac_core::roles::Permission;
use canhgiac_store::console::RingView;

use super::auth::Console;
use super::{fmt_datetime, status_label, vnd, Frame};
use crate::documents::graph::{svg, Node};
use crate::pages::render;
use crate::pages::Id;
use crate::pages::{PageError, PageResult};
use crate::AppState;

/// Reports drawn at most; identifiers drawn at most.
const DRAW_REPORTS: usize = 60;
const DRAW_IDENTIFIERS: usize = 80;

struct Row {
    id: i64,
    code: String,
    status: &'static str,
    amount: String,
    place: String,
    submitted: String,
}

#[derive(Template)]
#[template(path = "console/ring.html")]
struct RingPage {
    f: Frame,
    ring: RingView,
    rows: Vec<Row>,
    total: String,
    places: Vec<(String, usize)>,
    first: String,
    last: String,
    drawing: String,
    drawn_reports: usize,
    identifiers: Vec<(String, String, usize)>,
    /// Identifiers named by one report only.
    single: usize,
}

/// The drawing of a ring: the first reports and the identifiers that link most.
pub fn drawing(ring: &RingView, lang: Lang) -> (String, usize) {
    let shown: Vec<&canhgiac_store::console::RingReport> =
        ring.reports.iter().take(DRAW_REPORTS).collect();
    let shown_ids: std::collections::HashSet<i64> = shown.iter().map(|r| r.id).collect();
    let mut degree: std::collections::HashMap<&str, usize> = Default::default();
    for (id, key) in &ring.links {
        if shown_ids.contains(id) {
            *degree.entry(key.as_str()).or_default() += 1;
        }
    }
    let mut idents: Vec<&canhgiac_store::console::RingIdentifier> = ring
        .identifiers
        .iter()
        .filter(|i| degree.contains_key(i.key.as_str()))
        .collect();
    idents.sort_by(|a, b| {
        degree[b.key.as_str()]
            .cmp(&degree[a.key.as_str()])
            .then(a.key.cmp(&b.key))
    });
    idents.truncate(DRAW_IDENTIFIERS);
    let mut nodes: Vec<Node> = shown
        .iter()
        .map(|r| Node {
            label: format!("{} · {} đ", r.tracking_code, vnd(r.amount_lost_vnd)),
            report: true,
            class: format!("status-{}", r.status),
            // The picture is one image for assistive technology; the table links.
            href: None,
        })
        .collect();
    let report_index: std::collections::HashMap<i64, usize> =
        shown.iter().enumerate().map(|(i, r)| (r.id, i)).collect();
    let mut ident_index: std::collections::HashMap<&str, usize> = Default::default();
    for i in &idents {
        ident_index.insert(i.key.as_str(), nodes.len());
        nodes.push(Node {
            label: i.display.clone(),
            report: false,
            class: format!("kind-{}", i.kind),
            href: None,
        });
    }
    let edges: Vec<(usize, usize)> = ring
        .links
        .iter()
        .filter_map(|(id, key)| Some((*report_index.get(id)?, *ident_index.get(key.as_str())?)))
        .collect();
    let title = format!(
        "{} {} {}",
        lang.pick("Đường dây", "Ring"),
        ring.id,
        lang.pick(
            "— báo cáo và định danh dùng chung",
            "— reports and shared identifiers"
        )
    );
    let desc = format!(
        "{} {} {}, {} {}.",
        shown.len(),
        lang.pick("báo cáo (hình tròn) nối với", "reports (circles) linked to"),
        idents.len(),
        lang.pick("định danh (hình vuông)", "identifiers (squares)"),
        lang.pick("mà chúng nêu", "they name")
    );
    (svg(&nodes, &edges, &title, &desc), shown.len())
}

/// One ring, found from any of its reports.
pub async fn page(State(state): State<AppState>, console: Console, Id(id): Id) -> PageResult {
    console.require(Permission::ViewReports)?;
    let lang = console.lang;
    let ring = match state.store.ring(console.officer(), id, &state.index).await {
        Ok(Some(r)) => r,
        Ok(None) => return Err(PageError::NotFound),
        Err(e) => {
            return Err(PageError::unavailable("ring lookup", e));
        }
    };
    let (drawing, drawn_reports) = drawing(&ring, lang);
    let rows = ring
        .reports
        .iter()
        .map(|r| Row {
            id: r.id,
            code: r.tracking_code.clone(),
            status: status_label(&r.status, lang),
            amount: vnd(r.amount_lost_vnd),
            place: r
                .place_code
                .and_then(|p| state.store.place_name(p))
                .unwrap_or("")
                .to_string(),
            submitted: fmt_datetime(r.created_at),
        })
        .collect();
    let mut counts: std::collections::HashMap<&str, usize> = Default::default();
    for (_, k) in &ring.links {
        *counts.entry(k.as_str()).or_default() += 1;
    }
    let mut identifiers: Vec<(String, String, usize)> = ring
        .identifiers
        .iter()
        .map(|i| {
            let kind = canhgiac_core::IdentifierKind::parse(&i.kind)
                .map(|k| k.label(lang).to_string())
                .unwrap_or_else(|| i.kind.clone());
            (
                kind,
                i.display.clone(),
                counts.get(i.key.as_str()).copied().unwrap_or(0),
            )
        })
        .collect();
    identifiers.sort_by(|a, b| b.2.cmp(&a.2).then(a.1.cmp(&b.1)));
    // Shared means named by two reports or more; the rest are counted apart.
    let single = identifiers.iter().filter(|i| i.2 < 2).count();
    identifiers.retain(|i| i.2 >= 2);
    let page = RingPage {
        single,
        f: Frame::new(&console),
        rows,
        total: vnd(ring.total_loss_vnd),
        places: ring
            .places
            .iter()
            .map(|(p, n)| (state.store.place_name(*p).unwrap_or("?").to_string(), *n))
            .collect(),
        first: ring.span.map(|s| fmt_datetime(s.0)).unwrap_or_default(),
        last: ring.span.map(|s| fmt_datetime(s.1)).unwrap_or_default(),
        drawing,
        drawn_reports,
        identifiers,
        ring,
    };
    Ok(render(StatusCode::OK, &page))
}

#[derive(Template)]
#[template(path = "console/rings.html")]
struct RingsPage {
    f: Frame,
    /// (id, reports, victims, loss)
    rings: Vec<(i64, usize, usize, String)>,
}

/// The largest rings.
pub async fn list(State(state): State<AppState>, console: Console) -> PageResult {
    console.require(Permission::ViewReports)?;
    let largest = state.index.largest_rings(2, 100);
    let rings = state
        .store
        .ring_summaries(console.officer(), &state.index, &largest)
        .await?
        .into_iter()
        .map(|r| (r.id, r.size, r.victims, vnd(r.loss_vnd)))
        .collect();
    Ok(render(
        StatusCode::OK,
        &RingsPage {
            f: Frame::new(&console),
            rings,
        },
    ))
}
