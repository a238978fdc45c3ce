//! Prometheus metrics: requests by route and status, checks by level, reports received.

use axum::extract::{MatchedPath, Request, State};
use axum::middleware::Next;
use axum::response::Response;
use prometheus_client::encoding::EncodeLabelSet;
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::metrics::histogram::{exponential_buckets, Histogram};
use prometheus_client::registry::Registry;

use crate::AppState;

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct RequestLabels {
    method: String,
    route: String,
    status: u16,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct LevelLabels {
    level: String,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct RouteLabels {
    route: String,
}

/// The counters.
pub struct Metrics {
    registry: Registry,
    requests: Family<RequestLabels, Counter>,
    latency: Family<RouteLabels, Histogram>,
    checks: Family<LevelLabels, Counter>,
    messages: Family<LevelLabels, Counter>,
    reports: Counter,
    index_identifiers: Gauge,
    index_reports: Gauge,
}

impl Default for Metrics {
    fn default() -> Self {
        Metrics::new()
    }
}

impl Metrics {
    /// Registers every metric.
    pub fn new() -> Metrics {
        let mut registry = Registry::with_prefix("canhgiac");
        let requests = Family::<RequestLabels, Counter>::default();
        registry.register(
            "http_requests",
            "HTTP requests by route and status",
            requests.clone(),
        );
        let latency = Family::<RouteLabels, Histogram>::new_with_constructor(|| {
            Histogram::new(exponential_buckets(0.0001, 4.0, 10))
        });
        registry.register(
            "http_request_duration_seconds",
            "HTTP request duration by route",
            latency.clone(),
        );
        let checks = Family::<LevelLabels, Counter>::default();
        let messages = Family::<LevelLabels, Counter>::default();
        registry.register(
            "messages_analyzed",
            "Messages analysed, by risk level",
            messages.clone(),
        );
        registry.register(
            "checks",
            "Public checks answered, by verdict level",
            checks.clone(),
        );
        let reports = Counter::default();
        registry.register(
            "reports_received",
            "Reports received and stored",
            reports.clone(),
        );
        let index_identifiers = Gauge::default();
        registry.register(
            "index_identifiers",
            "Distinct identifiers in the lookup index",
            index_identifiers.clone(),
        );
        let index_reports = Gauge::default();
        registry.register(
            "index_reports",
            "Reports applied to the lookup index",
            index_reports.clone(),
        );
        Metrics {
            registry,
            requests,
            latency,
            checks,
            messages,
            reports,
            index_identifiers,
            index_reports,
        }
    }

    /// Counts a check answer.
    pub fn check_answered(&self, level: &str) {
        self.checks
            .get_or_create(&LevelLabels {
                level: level.to_string(),
            })
            .inc();
    }

    /// Counts an analysed message.
    pub fn message_analyzed(&self, level: &str) {
        self.messages
            .get_or_create(&LevelLabels {
                level: level.to_string(),
            })
            .inc();
    }

    /// Counts a stored report.
    pub fn report_received(&self) {
        self.reports.inc();
    }

    /// The Prometheus text exposition.
    pub fn render(&self, index: &canhgiac_store::LookupIndex) -> String {
        self.index_identifiers.set(index.len() as i64);
        self.index_reports.set(index.reports() as i64);
        let mut out = String::new();
        if prometheus_client::encoding::text::encode(&mut out, &self.registry).is_err() {
            out.clear();
        }
        out
    }
}

/// Middleware: counts each request by its route template (never the raw path or
/// query, which may hold what a citizen typed).
pub async fn track(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let route = request
        .extensions()
        .get::<MatchedPath>()
        .map(|m| m.as_str().to_string())
        .unwrap_or_else(|| "unmatched".into());
    let method = request.method().to_string();
    let started = std::time::Instant::now();
    let response = next.run(request).await;
    let status = response.status().as_u16();
    state
        .metrics
        .requests
        .get_or_create(&RequestLabels {
            method,
            route: route.clone(),
            status,
        })
        .inc();
    state
        .metrics
        .latency
        .get_or_create(&RouteLabels { route })
        .observe(started.elapsed().as_secs_f64());
    if status >= 500 {
        tracing::warn!(status, "request failed");
    }
    response
}
