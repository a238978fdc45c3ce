//! A sliding-window rate limit per client, in memory (one node). Used where the
//! public can write something an officer must read: requests for review.

use std::collections::{HashMap, VecDeque};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use axum::extract::ConnectInfo;
use axum::http::request::Parts;

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

/// The client's address (the connection's peer), or `unknown` when the server was
/// not started with connection info (tests).
pub fn client_of(parts: &Parts) -> String {
    parts
        .extensions
        .get::<ConnectInfo<std::net::SocketAddr>>()
        .map(|c| c.0.ip().to_string())
        .unwrap_or_else(|| "unknown".into())
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
}
