//! Sliding-window rate limits per client (shared by the nodes through the database on
//! PostgreSQL, in memory on SQLite), and who the client is behind a reverse proxy.
//! Used where the public can write something an officer must read (requests for
//! review), store something (evidence uploads), make the server work hard (QR
//! pictures) or guess a secret (tracking codes).

use std::collections::{HashMap, VecDeque};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use std::net::IpAddr;

use axum::extract::ConnectInfo;
use axum::http::request::Parts;
use canhgiac_store::db::Backend;
use canhgiac_store::rate::RateRule;
use canhgiac_store::Store;

/// Clients remembered at most; beyond, idle ones are forgotten first.
const MAX_CLIENTS: usize = 50_000;

/// At most `per_client` events per `window` for each client.
pub struct RateLimiter {
    per_client: usize,
    window: Duration,
    seen: Mutex<HashMap<String, VecDeque<Instant>>>,
}

impl RateLimiter {
    /// A limiter.
    pub fn new(per_client: usize, window: Duration) -> RateLimiter {
        RateLimiter {
            per_client,
            window,
            seen: Mutex::new(HashMap::new()),
        }
    }

    /// Counts one event for `client` if it is allowed; otherwise answers how long to wait.
    pub fn check(&self, client: &str, now: Instant) -> Result<(), Duration> {
        let mut seen = self.seen.lock().unwrap_or_else(|e| e.into_inner());
        if seen.len() >= MAX_CLIENTS {
            seen.retain(|_, q| {
                q.back()
                    .is_some_and(|t| now.duration_since(*t) < self.window)
            });
        }
        let q = seen.entry(client.to_string()).or_default();
        while q
            .front()
            .is_some_and(|t| now.duration_since(*t) >= self.window)
        {
            q.pop_front();
        }
        if q.len() >= self.per_client {
            let oldest = q.front().copied().unwrap_or(now);
            return Err(self.window.saturating_sub(now.duration_since(oldest)));
        }
        q.push_back(now);
        Ok(())
    }
}

/// One per-client limit of the public side: counted in the database when several
/// nodes may serve (PostgreSQL), so a client gets one quota across them; in memory on
/// SQLite, where one process serves.
pub struct Limit {
    rule: RateRule,
    local: RateLimiter,
}

impl Limit {
    /// A limit of `per_client` events per `window`.
    pub fn new(bucket: &'static str, per_client: usize, window: Duration) -> Limit {
        Limit {
            rule: RateRule {
                bucket,
                per_client,
                window,
            },
            local: RateLimiter::new(per_client, window),
        }
    }

    /// Counts one event for `client` if it is allowed; otherwise answers how long to
    /// wait. When the database cannot count (it is down), this node counts alone
    /// rather than refuse every client.
    pub async fn take(&self, store: &Store, client: &str) -> Result<(), Duration> {
        if store.backend() == Backend::Postgres {
            let now_ms = time::OffsetDateTime::now_utc().unix_timestamp_nanos() / 1_000_000;
            let now_ms = i64::try_from(now_ms).unwrap_or(i64::MAX);
            match store.rate_take(&self.rule, client, now_ms).await {
                Ok(verdict) => return verdict,
                Err(e) => tracing::warn!(
                    error = %e,
                    bucket = self.rule.bucket,
                    "shared rate limit unavailable: this node counts alone"
                ),
            }
        }
        self.local.check(client, Instant::now())
    }
}

/// The per-client limits of the public side.
pub struct Limits {
    /// Requests for review: 5 an hour.
    pub disputes: Limit,
    /// Evidence files: 20 per 10 minutes (a report carries at most 5).
    pub uploads: Limit,
    /// QR pictures and payloads decoded: 30 a minute.
    pub qr: Limit,
    /// Tracking-code lookups: 30 per 10 minutes (the code and secret are long; this
    /// keeps guessing slow).
    pub tracking: Limit,
}

impl Default for Limits {
    fn default() -> Limits {
        Limits {
            disputes: Limit::new("disputes", 5, Duration::from_secs(3600)),
            uploads: Limit::new("uploads", 20, Duration::from_secs(600)),
            qr: Limit::new("qr", 30, Duration::from_secs(60)),
            tracking: Limit::new("tracking", 30, Duration::from_secs(600)),
        }
    }
}

/// The client's address: the connection's peer, or, when the peer is one of the
/// `trusted` reverse proxies, the nearest address in `X-Forwarded-For` that is not
/// one of them (read from the right, as each proxy appends). `local` when the server
/// was started without connection info (in-process tests).
pub fn client_of(parts: &Parts, trusted: &[IpAddr]) -> String {
    let Some(peer) = parts
        .extensions
        .get::<ConnectInfo<std::net::SocketAddr>>()
        .map(|c| c.0.ip())
    else {
        return "local".into();
    };
    client_behind(peer, forwarded_for(parts).as_deref(), trusted).to_string()
}

fn forwarded_for(parts: &Parts) -> Option<String> {
    let values: Vec<&str> = parts
        .headers
        .get_all("x-forwarded-for")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .collect();
    (!values.is_empty()).then(|| values.join(","))
}

/// The pure rule of [`client_of`].
pub fn client_behind(peer: IpAddr, forwarded: Option<&str>, trusted: &[IpAddr]) -> IpAddr {
    if !trusted.contains(&peer) {
        return peer;
    }
    let Some(list) = forwarded else {
        return peer;
    };
    let mut client = peer;
    for hop in list.rsplit(',').map(str::trim) {
        match hop.parse::<IpAddr>() {
            Ok(ip) if trusted.contains(&ip) => client = ip,
            Ok(ip) => return ip,
            // A hop that is no address: stop at the last one we can trust.
            Err(_) => return client,
        }
    }
    client
}

/// The client of a request, as [`client_of`] tells it with the state's trusted proxies.
pub struct Client(pub String);

impl axum::extract::FromRequestParts<crate::AppState> for Client {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &crate::AppState,
    ) -> Result<Client, Self::Rejection> {
        Ok(Client(client_of(parts, &state.trusted_proxies)))
    }
}

/// Whether the request came over loopback (or in-process, without a peer).
pub fn is_local(parts: &Parts) -> bool {
    parts
        .extensions
        .get::<ConnectInfo<std::net::SocketAddr>>()
        .is_none_or(|c| c.0.ip().is_loopback())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_client_gets_its_quota_per_window_and_others_are_unaffected() {
        let limit = RateLimiter::new(2, Duration::from_secs(60));
        let t0 = Instant::now();
        assert!(limit.check("a", t0).is_ok());
        assert!(limit.check("a", t0 + Duration::from_secs(1)).is_ok());
        let wait = limit
            .check("a", t0 + Duration::from_secs(2))
            .expect_err("limited");
        assert_eq!(wait, Duration::from_secs(58));
        assert!(limit.check("b", t0 + Duration::from_secs(2)).is_ok());
        assert!(
            limit.check("a", t0 + Duration::from_secs(61)).is_ok(),
            "the window slides"
        );
    }

    #[test]
    fn forwarded_addresses_count_only_from_trusted_proxies() {
        let ip = |s: &str| s.parse::<IpAddr>().expect("ip");
        let proxy = ip("10.0.0.2");
        let trusted = [proxy, ip("10.0.0.3")];
        // No proxy trusted: the peer, whatever the header says.
        assert_eq!(
            client_behind(ip("203.0.113.9"), Some("1.2.3.4"), &trusted),
            ip("203.0.113.9")
        );
        // Through our proxy: the client it saw.
        assert_eq!(
            client_behind(proxy, Some("198.51.100.7"), &trusted),
            ip("198.51.100.7")
        );
        // A forged first hop is ignored: the nearest untrusted address counts.
        assert_eq!(
            client_behind(proxy, Some("1.1.1.1, 198.51.100.7, 10.0.0.3"), &trusted),
            ip("198.51.100.7")
        );
        assert_eq!(client_behind(proxy, Some("garbage"), &trusted), proxy);
        assert_eq!(client_behind(proxy, None, &trusted), proxy);
    }
}
