//! `canhgiac serve`.

use std::process::ExitCode;
use std::sync::Arc;
use std::time::Duration;

use anyhow::Context;
use clap::Args;
use tracing_subscriber::EnvFilter;

use crate::config::StoreArgs;

#[derive(Debug, Args)]
pub struct ServeArgs {
    #[command(flatten)]
    store: StoreArgs,
    /// Address to listen on. Default: 127.0.0.1:8080
    #[arg(long, env = "CANHGIAC_ADDRESS")]
    address: Option<String>,
    /// When the database has no reports yet, fill it with this many demo reports.
    #[arg(long, env = "CANHGIAC_DEMO_REPORTS")]
    demo_reports: Option<usize>,
    /// Mark cookies `Secure` (set this when the site is served over HTTPS, directly or
    /// behind a proxy).
    #[arg(long, env = "CANHGIAC_SECURE_COOKIES")]
    secure_cookies: bool,
    /// The site's public address, for links in feeds and bulletins and the leaflets'
    /// QR code. Default: http:// and the listening address.
    #[arg(long, env = "CANHGIAC_PUBLIC_URL")]
    public_url: Option<String>,
    /// Who issues the bulletins and leaflets, printed on them. Default: "Công an tỉnh"
    /// and the province's name.
    #[arg(long, env = "CANHGIAC_ISSUER")]
    issuer: Option<String>,
    /// Reverse proxies in front of the server (exact addresses, comma-separated): their
    /// `X-Forwarded-For` names the client for the per-client limits. Nobody else's is
    /// believed.
    #[arg(long, env = "CANHGIAC_TRUSTED_PROXIES", value_delimiter = ',')]
    trusted_proxy: Vec<std::net::IpAddr>,
    /// A token that `/metrics` requires (`Authorization: Bearer …`). Without it,
    /// `/metrics` answers loopback clients only.
    #[arg(long, env = "CANHGIAC_METRICS_TOKEN", hide_env_values = true)]
    metrics_token: Option<String>,
    /// Seconds a request may take before it is stopped with 503 (requests that upload
    /// pictures: ten times as long).
    #[arg(long, env = "CANHGIAC_REQUEST_TIMEOUT_SECS", default_value_t = 30, value_parser = clap::value_parser!(u64).range(1..=3600))]
    request_timeout_secs: u64,
    /// Seconds a ranking of the triage queue is shared by the reads of its view before
    /// it is computed again (the rows shown are always read fresh; 0: every read ranks).
    #[arg(long, env = "CANHGIAC_QUEUE_RANKING_SECS", default_value_t = 5, value_parser = clap::value_parser!(u64).range(0..=300))]
    queue_ranking_secs: u64,
    /// Log format: text or json.
    #[arg(long, env = "CANHGIAC_LOG_FORMAT", default_value = "text")]
    log_format: String,
}

fn init_logging(format: &str) {
    let filter = EnvFilter::try_from_env("CANHGIAC_LOG")
        .unwrap_or_else(|_| EnvFilter::new("info,sqlx=warn"));
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr);
    if format == "json" {
        builder.json().init();
    } else {
        builder.init();
    }
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! { _ = ctrl_c => {}, _ = terminate => {} }
    tracing::info!("shutting down: finishing open requests");
}

/// Every 45 seconds, once statistics were asked for, reads the reports' statistics
/// facts again (each node its own copy, in memory), so that a request never waits for
/// the full read (`canhgiac_store::stats::facts`).
fn keep_report_facts(store: Arc<canhgiac_store::Store>) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(Duration::from_secs(45));
        loop {
            tick.tick().await;
            if !store.report_facts_wanted() {
                continue;
            }
            if let Err(e) = store.reload_report_facts().await {
                tracing::warn!(error = %e, "statistics facts could not be read");
            }
        }
    })
}

/// Every ten minutes, forgets the rate-limit events older than every window (rows the
/// shared limits left behind for clients that did not come back).
fn sweep_rate_events(store: Arc<canhgiac_store::Store>) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(Duration::from_secs(600));
        loop {
            tick.tick().await;
            let job = match store.try_job("rate-sweep").await {
                Ok(Some(job)) => job,
                Ok(None) => continue,
                Err(e) => {
                    tracing::warn!(error = %e, "rate-limit events could not be swept");
                    continue;
                }
            };
            let now_ms = time::OffsetDateTime::now_utc().unix_timestamp() * 1_000;
            if let Err(e) = store.sweep_rate_events(now_ms).await {
                tracing::warn!(error = %e, "rate-limit events could not be swept");
            }
            job.release().await;
        }
    })
}

/// Every hour, removes evidence uploads that no report names after a day (with several
/// nodes, the one that gets the job).
fn sweep_unattached_evidence(store: Arc<canhgiac_store::Store>) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(Duration::from_secs(3600));
        loop {
            tick.tick().await;
            let job = match store.try_job("evidence-sweep").await {
                Ok(Some(job)) => job,
                Ok(None) => continue,
                Err(e) => {
                    tracing::warn!(error = %e, "unattached evidence could not be swept");
                    continue;
                }
            };
            let now = time::OffsetDateTime::now_utc().unix_timestamp();
            match store
                .sweep_unattached_evidence(now - super::retention::UNATTACHED_EVIDENCE_SECS, false)
                .await
            {
                Ok(0) => {}
                Ok(n) => tracing::info!(files = n, "unattached evidence removed"),
                Err(e) => tracing::warn!(error = %e, "unattached evidence could not be swept"),
            }
            job.release().await;
        }
    })
}

pub async fn run(args: ServeArgs) -> anyhow::Result<ExitCode> {
    init_logging(&args.log_format);
    let file = args.store.file()?;
    let address = args
        .address
        .clone()
        .or(file.address)
        .unwrap_or_else(|| "127.0.0.1:8080".to_string());
    let store = Arc::new(super::open_store(&args.store).await?);
    store.set_queue_ranking_ttl(Duration::from_secs(args.queue_ranking_secs));
    if let Some(n) = args.demo_reports.filter(|n| *n > 0) {
        if store.report_count().await? == 0 {
            tracing::info!(reports = n, "filling an empty database with demo reports");
            crate::demo::fill(&store, n, 42, false).await?;
        }
        crate::demo::officers(&store).await?;
    }
    let mut state = canhgiac_web::AppState::new(store.clone()).await?;
    state.secure_cookies = args.secure_cookies;
    state.request_limit = Duration::from_secs(args.request_timeout_secs);
    state.trusted_proxies = Arc::new(args.trusted_proxy.clone());
    state.metrics_token = args
        .metrics_token
        .as_deref()
        .filter(|t| !t.is_empty())
        .map(Arc::from);
    let _follower = state.follow_changes(Duration::from_secs(1));
    let _sweeper = sweep_unattached_evidence(store.clone());
    let _facts = keep_report_facts(store.clone());
    let _key_uses = state.keep_key_uses(Duration::from_secs(10));
    let _webhooks = state.keep_delivering_webhooks(Duration::from_secs(5));
    // Only the shared limits (PostgreSQL) write rate-limit events.
    let _rate_sweeper = (store.backend() == canhgiac_store::db::Backend::Postgres)
        .then(|| sweep_rate_events(store.clone()));
    let listener = tokio::net::TcpListener::bind(&address)
        .await
        .with_context(|| format!("cannot listen on {address}"))?;
    let local = listener.local_addr()?;
    if let Some(issuer) = args
        .issuer
        .as_deref()
        .map(str::trim)
        .filter(|i| !i.is_empty())
    {
        state.issuer = issuer.chars().take(120).collect();
    }
    state.public_url = args
        .public_url
        .clone()
        .unwrap_or_else(|| format!("http://{local}"))
        .trim_end_matches('/')
        .to_string();
    tracing::info!(address = %local, province = %store.province().name, reports = state.index.reports(), "canhgiac is serving on http://{local}");
    let last_uses = state.clone();
    canhgiac_web::serve(listener, state, shutdown_signal()).await?;
    last_uses.flush_key_uses().await;
    store.pool().close().await;
    Ok(ExitCode::SUCCESS)
}
