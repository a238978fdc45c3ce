//! canhgiac-web: the public pages, the JSON API (described by a generated OpenAPI
//! document), health and metrics.
//!
//! [`router`] builds the whole application as a value and does no I/O; [`serve`]
//! binds it to a listener and shuts down gracefully.

mod campaign_tally;
mod check_cache;
mod console;
mod contract;
mod documents;
mod error;
mod json;
mod lang;
pub mod limit;
mod metrics;
mod pages;
pub mod partner;
mod refusal;
mod routes;
mod spreadsheet;
mod statistics;
mod time_limit;

use std::sync::Arc;
use std::time::Duration;

use axum::extract::DefaultBodyLimit;
use axum::http::{header, HeaderValue};
use axum::Router;
use canhgiac_detect::lookalike::{Brand, Registry};
use canhgiac_store::brands::BrandRecord;
use canhgiac_store::{LookupIndex, Store};
use tower_http::set_header::SetResponseHeaderLayer;

pub use error::ApiError;
pub use metrics::Metrics;

/// The largest JSON body accepted by the API.
pub const MAX_JSON_BYTES: usize = 256 * 1024;
/// The largest report form (with up to [`MAX_FILES`] evidence images).
pub const MAX_FORM_BYTES: usize = 26 * 1024 * 1024;
/// QR pictures decoded at the same time (one per core of a small server).
pub const QR_SLOTS: usize = 2;

/// The most evidence files one form may carry.
pub const MAX_FILES: usize = 5;

/// Everything a request handler needs, behind one `Arc`: every middleware and handler
/// takes a clone of the state, and cloning a dozen fields (two of them strings) per
/// request was 11% of the check's time. Fields read through `Deref`; setting one
/// (`state.issuer = …`) changes this state only (`Arc::make_mut`).
#[derive(Clone)]
pub struct AppState(Arc<AppInner>);

impl std::ops::Deref for AppState {
    type Target = AppInner;

    fn deref(&self) -> &AppInner {
        &self.0
    }
}

impl std::ops::DerefMut for AppState {
    fn deref_mut(&mut self) -> &mut AppInner {
        Arc::make_mut(&mut self.0)
    }
}

/// What [`AppState`] holds.
#[derive(Clone)]
pub struct AppInner {
    /// The store.
    pub store: Arc<Store>,
    /// The lookup index the check reads.
    pub index: Arc<LookupIndex>,
    /// Counters for `/metrics`.
    pub metrics: Arc<Metrics>,
    /// Whether cookies carry `Secure` (the site is served over HTTPS).
    pub secure_cookies: bool,
    /// The site's public address, without a trailing slash (links in feeds, bulletins
    /// and the leaflet's QR code).
    pub public_url: String,
    /// Who issues the bulletins and leaflets ("Công an tỉnh Đồng Nai").
    pub issuer: String,
    /// Per-client limits (requests for review, uploads, QR decoding, tracking codes).
    pub limits: Arc<limit::Limits>,
    /// Reverse proxies whose `X-Forwarded-For` is believed (exact addresses).
    pub trusted_proxies: Arc<Vec<std::net::IpAddr>>,
    /// QR pictures decoded at once (the rest wait no longer than a 503).
    pub qr_slots: Arc<tokio::sync::Semaphore>,
    /// When set, `/metrics` needs `Authorization: Bearer <token>`; otherwise it answers
    /// loopback clients only.
    pub metrics_token: Option<Arc<str>>,
    /// How long a request may take (uploads of pictures: ten times as long).
    pub request_limit: std::time::Duration,
    /// The protected brands as officers edited them, rebuilt on each edit, with the
    /// edit's generation (answers judged against older brands are not reused).
    brands: Arc<std::sync::RwLock<(u64, Arc<Registry>)>>,
    /// Answers of the public check kept while what they read is unchanged.
    pub check_cache: Arc<check_cache::CheckCache>,
    /// The public statistics pages, kept a minute.
    pub public_stats: Arc<routes::public_stats::PublicStatsCache>,
    /// Each partner key's rate.
    pub partner_limits: Arc<partner::PartnerLimits>,
    /// Uses of partner keys not yet written.
    pub key_uses: Arc<partner::KeyUses>,
    /// Partner keys checked in the last seconds.
    pub key_cache: Arc<partner::KeyCache>,
    /// The hash-prefix list of the index's version.
    pub prefix_lists: Arc<partner::hash_lookup::PrefixCache>,
    /// The HTTPS client webhook deliveries go out with.
    pub webhook_client: partner::webhooks::WebhookClient,
}

impl AppState {
    /// State over an opened store: the index is filled from the changes log.
    pub async fn new(store: Arc<Store>) -> Result<AppState, canhgiac_store::StoreError> {
        let issuer = format!("Công an tỉnh {}", store.province().name);
        let index = Arc::new(LookupIndex::new());
        index.set_hash_salt(&store.hash_prefix_salt().await?);
        index.catch_up(&store).await?;
        let registry = load_brands(&store).await?;
        Ok(AppState(Arc::new(AppInner {
            store,
            index,
            metrics: Arc::new(Metrics::new()),
            secure_cookies: false,
            public_url: "http://127.0.0.1:8080".to_string(),
            issuer,
            limits: Arc::new(limit::Limits::default()),
            trusted_proxies: Arc::new(Vec::new()),
            qr_slots: Arc::new(tokio::sync::Semaphore::new(QR_SLOTS)),
            metrics_token: None,
            request_limit: time_limit::REQUEST_LIMIT,
            brands: Arc::new(std::sync::RwLock::new((0, Arc::new(registry)))),
            check_cache: Arc::new(check_cache::CheckCache::new()),
            public_stats: Arc::new(Default::default()),
            partner_limits: Arc::new(Default::default()),
            key_uses: Arc::new(Default::default()),
            key_cache: Arc::new(Default::default()),
            prefix_lists: Arc::new(Default::default()),
            webhook_client: partner::webhooks::client(),
        })))
    }

    /// The registry of protected brands in force.
    pub fn registry(&self) -> Arc<Registry> {
        self.registry_in_force().1
    }

    /// The registry in force and its generation (moved by each edit).
    pub fn registry_in_force(&self) -> (u64, Arc<Registry>) {
        self.brands
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
    }

    /// Rebuilds the registry after an edit.
    pub async fn reload_brands(&self) -> Result<(), canhgiac_store::StoreError> {
        let registry = registry_of(self.store.brands().await?);
        let mut brands = self.brands.write().unwrap_or_else(|e| e.into_inner());
        *brands = (brands.0 + 1, Arc::new(registry));
        Ok(())
    }

    /// Sends the webhook deliveries due, every `every`.
    pub fn keep_delivering_webhooks(&self, every: Duration) -> tokio::task::JoinHandle<()> {
        let state = self.clone();
        tokio::spawn(async move {
            let mut tick = tokio::time::interval(every);
            loop {
                tick.tick().await;
                let now = time::OffsetDateTime::now_utc().unix_timestamp();
                partner::webhooks::deliver_due(&state, now).await;
            }
        })
    }

    /// Writes the counted uses of partner keys every `every` (and once more when the
    /// task is dropped with the server: call [`AppState::flush_key_uses`]).
    pub fn keep_key_uses(&self, every: Duration) -> tokio::task::JoinHandle<()> {
        let state = self.clone();
        tokio::spawn(async move {
            let mut tick = tokio::time::interval(every);
            loop {
                tick.tick().await;
                state.flush_key_uses().await;
            }
        })
    }

    /// Writes the counted uses of partner keys now.
    pub async fn flush_key_uses(&self) {
        self.key_uses.flush(&self.store).await;
    }

    /// Keeps the index following the changes log (changes written by other nodes or
    /// processes, such as an import running beside the server): read when the
    /// database signals a change (PostgreSQL's `LISTEN`) or `every` at the latest.
    /// Also keeps the search index following the reports (a bulk import leaves its
    /// narratives to be indexed; at start any gap is filled, so a lost search file is
    /// rebuilt); with several nodes, one at a time does that.
    pub fn follow_changes(&self, every: Duration) -> tokio::task::JoinHandle<()> {
        let state = self.clone();
        tokio::spawn(async move {
            if let Ok(Some(job)) = state.store.try_job("search-index").await {
                match state.store.index_search_backlog().await {
                    Ok(0) => {}
                    Ok(n) => tracing::info!(reports = n, "narratives indexed for search"),
                    Err(e) => tracing::warn!(error = %e, "search index could not be completed"),
                }
                job.release().await;
            }
            let mut signal = loop {
                match state.store.change_signal().await {
                    Ok(signal) => break signal,
                    Err(e) => {
                        tracing::warn!(error = %e, "cannot listen for changes; trying again");
                        tokio::time::sleep(every).await;
                    }
                }
            };
            let mut last_search = std::time::Instant::now();
            loop {
                if let Err(e) = state.index.catch_up(&state.store).await {
                    tracing::warn!(error = %e, "lookup index could not follow the changes log");
                }
                if last_search.elapsed() >= every {
                    last_search = std::time::Instant::now();
                    state.follow_search().await;
                }
                signal.wait(every).await;
            }
        })
    }

    /// Indexes the narratives of reports written without (an import), unless another
    /// node is doing it.
    async fn follow_search(&self) {
        match self.store.try_job("search-index").await {
            Ok(Some(job)) => {
                if let Err(e) = self.store.follow_search_index().await {
                    tracing::warn!(error = %e, "search index could not follow the reports");
                }
                job.release().await;
            }
            Ok(None) => {}
            Err(e) => tracing::warn!(error = %e, "search index could not follow the reports"),
        }
    }
}

/// A detector brand as stored.
pub fn brand_record(b: &Brand) -> BrandRecord {
    BrandRecord {
        key: b.key.clone(),
        name: b.name.clone(),
        category: b.category.clone(),
        domains: b.domains.clone(),
    }
}

/// The protected brands as stored (the shipped list on first start), as a registry.
pub async fn load_brands(store: &Store) -> Result<Registry, canhgiac_store::StoreError> {
    let defaults: Vec<BrandRecord> = Registry::default_brands()
        .brands()
        .iter()
        .map(brand_record)
        .collect();
    store.seed_brands(&defaults).await?;
    Ok(registry_of(store.brands().await?))
}

fn registry_of(records: Vec<BrandRecord>) -> Registry {
    Registry::new(
        records
            .into_iter()
            .map(|r| {
                canhgiac_detect::lookalike::with_shipped_extras(Brand {
                    key: r.key,
                    name: r.name,
                    category: r.category,
                    domains: r.domains,
                    owned: Vec::new(),
                    aliases: Vec::new(),
                })
            })
            .collect(),
    )
}

/// The whole application.
pub fn router(state: AppState) -> Router {
    let (api, mut openapi) = routes::api_router()
        .merge(console::api_router())
        .merge(partner::api_router(state.clone()))
        .split_for_parts();
    contract::complete(&mut openapi);
    let openapi = Arc::new(openapi);
    let api = api.route(
        "/api/v1/openapi.json",
        axum::routing::get(move || {
            let doc = openapi.clone();
            async move { axum::Json(doc.as_ref().clone()) }
        }),
    );
    Router::new()
        .merge(routes::page_router())
        .merge(console::page_router())
        .merge(partner::portal_router())
        .merge(api.layer(DefaultBodyLimit::max(MAX_JSON_BYTES)))
        .fallback(routes::not_found)
        .layer(axum::middleware::from_fn_with_state(state.clone(), time_limit::limit))
        .layer(axum::middleware::from_fn_with_state(state.clone(), private_responses))
        .layer(axum::middleware::from_fn(pages::error::localize))
        .layer(axum::middleware::from_fn(lang::remember))
        .layer(axum::middleware::from_fn_with_state(state.clone(), metrics::track))
        .layer(SetResponseHeaderLayer::if_not_present(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff")))
        .layer(SetResponseHeaderLayer::if_not_present(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY")))
        .layer(SetResponseHeaderLayer::if_not_present(header::REFERRER_POLICY, HeaderValue::from_static("no-referrer")))
        .layer(SetResponseHeaderLayer::if_not_present(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static("default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; frame-ancestors 'none'; form-action 'self'"),
        ))
        .with_state(state)
}

/// Whether a request reads something private: the console, the officer API, a
/// reporter's own report, or anything sent with a session cookie.
fn is_private(request: &axum::extract::Request) -> bool {
    let path = request.uri().path();
    path.starts_with("/console")
        || path.starts_with("/api/v1/officer")
        || path.starts_with("/api/v1/partner")
        || path.starts_with("/doi-tac")
        || path.starts_with("/api/v1/reports/")
        || path == "/theo-doi"
        || request
            .headers()
            .get_all(header::COOKIE)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .any(|c| c.contains(console::auth::SESSION_COOKIE))
}

/// `Cache-Control: no-store` on every private answer (no proxy or browser cache keeps
/// a narrative or an export), and HSTS when the site is served over HTTPS.
async fn private_responses(
    axum::extract::State(state): axum::extract::State<AppState>,
    request: axum::extract::Request,
    next: axum::middleware::Next,
) -> axum::response::Response {
    let private = is_private(&request);
    let mut response = next.run(request).await;
    let headers = response.headers_mut();
    let no_store = headers
        .get(header::CACHE_CONTROL)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.contains("no-store"));
    if private && !no_store {
        headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    if state.secure_cookies {
        headers.insert(
            header::STRICT_TRANSPORT_SECURITY,
            HeaderValue::from_static("max-age=31536000; includeSubDomains"),
        );
    }
    response
}

/// Serves the application until `shutdown` completes, then finishes open requests.
pub async fn serve(
    listener: tokio::net::TcpListener,
    state: AppState,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let app = router(state);
    axum::serve(
        listener,
        app.into_make_service_with_connect_info::<std::net::SocketAddr>(),
    )
    .with_graceful_shutdown(shutdown)
    .await
}
