//! The partner API (`/api/v1/partner/…`): banks, carriers, platforms and other
//! systems call it with an API key (`Authorization: Bearer cgk_…`). One gate in front
//! of every route checks the key (401 with `key_missing`, `key_invalid`,
//! `key_expired`, `key_revoked`), applies the key's own rate (429 with `Retry-After`)
//! and counts the use (per key, minute, route and answer; written every few seconds).
//! Each handler names the scope it needs (403 `key_out_of_scope`).

pub mod blocklists;
pub mod hash_lookup;
pub mod holds;
pub mod indicators;
pub mod portal;
pub mod reports;
pub mod webhooks;

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use axum::extract::{FromRequestParts, MatchedPath, Request, State};
use axum::http::request::Parts;
use axum::http::{header, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use canhgiac_core::i18n::Lang;
use canhgiac_core::partner::{KeyRefusal, KeyScope};
use canhgiac_store::partners::{KeyHolder, KeyUse};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::error::ApiError;
use crate::AppState;

/// The partner API, with its OpenAPI description.
pub fn api_router(state: AppState) -> OpenApiRouter<AppState> {
    let lists = OpenApiRouter::new()
        .routes(routes!(blocklists::submit, blocklists::mine))
        .routes(routes!(reports::submit))
        .routes(routes!(blocklists::withdraw))
        .layer(axum::extract::DefaultBodyLimit::max(
            blocklists::MAX_LIST_BYTES,
        ));
    OpenApiRouter::new()
        .routes(routes!(holds::me))
        .routes(routes!(holds::list))
        .routes(routes!(holds::one))
        .routes(routes!(holds::answer))
        .routes(routes!(hash_lookup::hashes))
        .routes(routes!(hash_lookup::prefix_list))
        .routes(routes!(indicators::stix_bundle))
        .routes(routes!(indicators::misp_event))
        .routes(routes!(indicators::csv_export))
        .routes(routes!(indicators::changes))
        .routes(routes!(indicators::changes_atom))
        .merge(lists)
        .route_layer(axum::middleware::from_fn_with_state(state, gate))
}

/// The bank portal's pages (for banks without an integration).
pub fn portal_router() -> axum::Router<AppState> {
    use axum::extract::DefaultBodyLimit;
    use axum::routing::{get, post};
    axum::Router::new()
        .route("/doi-tac", get(portal::show))
        .route(
            "/doi-tac/dang-nhap",
            post(portal::sign_in).layer(DefaultBodyLimit::max(4 * 1024)),
        )
        .route("/doi-tac/dang-xuat", post(portal::sign_out))
        .route(
            "/doi-tac/tam-giu/{id}",
            post(portal::answer).layer(DefaultBodyLimit::max(16 * 1024)),
        )
}

/// A key's refusal as the API answers it.
pub fn refusal(r: KeyRefusal, lang: Lang) -> Response {
    let status = if r.is_forbidden() {
        StatusCode::FORBIDDEN
    } else {
        StatusCode::UNAUTHORIZED
    };
    let mut response = ApiError::new(status, r.code(), r.message(lang)).into_response();
    if status == StatusCode::UNAUTHORIZED {
        response.headers_mut().insert(
            header::WWW_AUTHENTICATE,
            axum::http::HeaderValue::from_static("Bearer realm=\"canhgiac-partner\""),
        );
    }
    response
}

/// The key of a request: `Authorization: Bearer cgk_…`.
fn bearer(parts: &axum::http::HeaderMap) -> Option<&str> {
    let value = parts.get(header::AUTHORIZATION)?.to_str().ok()?;
    let (scheme, key) = value.split_once(' ')?;
    scheme.eq_ignore_ascii_case("bearer").then(|| key.trim())
}

pub(crate) fn unix_now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0)
}

/// Checks the key, its rate and counts its use; the holder goes to the handler.
async fn gate(State(state): State<AppState>, mut request: Request, next: Next) -> Response {
    let lang = crate::lang::of_request(request.uri(), request.headers());
    let Some(key) = bearer(request.headers()).map(str::to_string) else {
        return refusal(KeyRefusal::Missing, lang);
    };
    let holder = match state.key_cache.get(&key, Instant::now()) {
        Some(h) => h,
        None => match state.store.authenticate_key(&key, unix_now()).await {
            Ok(Ok(h)) => {
                let h = std::sync::Arc::new(h);
                state.key_cache.put(&key, &h, Instant::now());
                h
            }
            Ok(Err(r)) => return refusal(r, lang),
            Err(e) => return ApiError::unavailable(lang, &e).into_response(),
        },
    };
    let route = request
        .extensions()
        .get::<MatchedPath>()
        .map(|m| m.as_str().to_string())
        .unwrap_or_else(|| request.uri().path().to_string());
    let route = format!("{} {route}", request.method());
    if let Err(wait) = state
        .partner_limits
        .check(holder.key_id, holder.per_minute, Instant::now())
    {
        state.key_uses.count(holder.key_id, &route, 429);
        return ApiError::too_many(lang, wait);
    }
    let key_id = holder.key_id;
    request.extensions_mut().insert(holder);
    let response = next.run(request).await;
    state
        .key_uses
        .count(key_id, &route, response.status().as_u16());
    response
}

/// The partner behind the request's key (put there by the gate).
pub struct Partner {
    /// The key and its partner.
    pub holder: std::sync::Arc<KeyHolder>,
    /// The answer language.
    pub lang: Lang,
}

impl Partner {
    /// A 403 `key_out_of_scope` unless the key has `scope`.
    #[allow(clippy::result_large_err)]
    pub fn require(&self, scope: KeyScope) -> Result<(), Response> {
        if self.holder.may(scope) {
            Ok(())
        } else {
            Err(refusal(KeyRefusal::OutOfScope, self.lang))
        }
    }
}

impl FromRequestParts<AppState> for Partner {
    type Rejection = Response;

    async fn from_request_parts(
        parts: &mut Parts,
        _state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let lang = crate::lang::of(parts);
        match parts.extensions.get::<std::sync::Arc<KeyHolder>>() {
            Some(h) => Ok(Partner {
                holder: h.clone(),
                lang,
            }),
            None => Err(refusal(KeyRefusal::Missing, lang)),
        }
    }
}

/// How long a checked key is believed without asking the store again. A key revoked,
/// rotated or disabled on this node stops at once (the cache is emptied); on another
/// node within this time.
pub const KEY_CACHE_TTL: Duration = Duration::from_secs(5);
/// Keys kept at most (a flood of distinct valid keys cannot grow it further).
const KEY_CACHE_MAX: usize = 10_000;

/// Keys that passed the gate in the last [`KEY_CACHE_TTL`], by the SHA-256 of the key
/// (the secret itself is not kept), so that lookups at thousands a second do not each
/// read the store.
#[derive(Default)]
pub struct KeyCache {
    keys: Mutex<HashMap<[u8; 32], CachedHolder>>,
}

/// A key's holder and when it was checked.
type CachedHolder = (std::sync::Arc<KeyHolder>, Instant);

fn key_digest(key: &str) -> [u8; 32] {
    use sha2::{Digest, Sha256};
    Sha256::digest(key.as_bytes()).into()
}

impl KeyCache {
    /// The holder of a key checked less than [`KEY_CACHE_TTL`] ago.
    pub fn get(&self, key: &str, now: Instant) -> Option<std::sync::Arc<KeyHolder>> {
        let keys = self.keys.lock().unwrap_or_else(|e| e.into_inner());
        keys.get(&key_digest(key))
            .filter(|(_, at)| now.duration_since(*at) < KEY_CACHE_TTL)
            .map(|(h, _)| h.clone())
    }

    /// Remembers a key that passed.
    pub fn put(&self, key: &str, holder: &std::sync::Arc<KeyHolder>, now: Instant) {
        let mut keys = self.keys.lock().unwrap_or_else(|e| e.into_inner());
        if keys.len() >= KEY_CACHE_MAX {
            keys.retain(|_, (_, at)| now.duration_since(*at) < KEY_CACHE_TTL);
            if keys.len() >= KEY_CACHE_MAX {
                keys.clear();
            }
        }
        keys.insert(key_digest(key), (holder.clone(), now));
    }

    /// Forgets every key (after a key or a partner changed).
    pub fn clear(&self) {
        self.keys.lock().unwrap_or_else(|e| e.into_inner()).clear();
    }
}

/// Per-key rates over a sliding minute, estimated from two counters per key (this
/// minute's and the one before, weighted by how much of it the sliding minute still
/// covers): constant memory per key whatever its rate, where a timestamp per request
/// would hold millions for a carrier's filter.
#[derive(Default)]
pub struct PartnerLimits {
    windows: Mutex<HashMap<i64, Window>>,
}

struct Window {
    start: Instant,
    current: u64,
    previous: u64,
}

const MINUTE: Duration = Duration::from_secs(60);

impl PartnerLimits {
    /// Counts one request of `key` if it is within `per_minute`; otherwise answers how
    /// long to wait.
    pub fn check(&self, key: i64, per_minute: u32, now: Instant) -> Result<(), Duration> {
        let limit = f64::from(per_minute);
        let mut windows = self.windows.lock().unwrap_or_else(|e| e.into_inner());
        let w = windows.entry(key).or_insert(Window {
            start: now,
            current: 0,
            previous: 0,
        });
        let elapsed = now.saturating_duration_since(w.start);
        if elapsed >= 2 * MINUTE {
            *w = Window {
                start: now,
                current: 0,
                previous: 0,
            };
        } else if elapsed >= MINUTE {
            w.previous = w.current;
            w.current = 0;
            w.start += MINUTE;
        }
        let into = now.saturating_duration_since(w.start).as_secs_f64() / 60.0;
        let previous = w.previous as f64;
        let estimate = previous * (1.0 - into) + w.current as f64;
        if estimate >= limit {
            let left = 60.0 * (1.0 - into);
            let wait = if w.current as f64 >= limit || previous <= 0.0 {
                left
            } else {
                // When the earlier minute's share has fallen enough.
                (60.0 * (previous + w.current as f64 - limit) / previous - 60.0 * into)
                    .clamp(0.0, left)
            };
            // Whole seconds, rounded up (less a hair of floating-point error).
            return Err(Duration::from_secs((wait - 1e-6).ceil().max(1.0) as u64));
        }
        w.current += 1;
        Ok(())
    }
}

/// Uses of keys counted in memory until written.
#[derive(Default)]
pub struct KeyUses {
    counts: Mutex<HashMap<(i64, i64, String, u16), u64>>,
}

/// Distinct (key, minute, route, answer) kept before the oldest are written anyway.
const MAX_PENDING: usize = 100_000;

impl KeyUses {
    /// Counts one use.
    pub fn count(&self, key_id: i64, route: &str, status: u16) {
        let minute = unix_now() / 60;
        let mut counts = self.counts.lock().unwrap_or_else(|e| e.into_inner());
        let key = (key_id, minute, route.to_string(), status);
        // Full (the store has not answered for long): the count goes under a route
        // that says so rather than be lost or grow without bound.
        let key = if counts.len() < MAX_PENDING || counts.contains_key(&key) {
            key
        } else {
            (key_id, minute, "(overflow)".to_string(), status)
        };
        *counts.entry(key).or_default() += 1;
    }

    /// Writes every counted use; kept for the next time if the store fails.
    pub async fn flush(&self, store: &canhgiac_store::Store) {
        let pending: Vec<KeyUse> = {
            let mut counts = self.counts.lock().unwrap_or_else(|e| e.into_inner());
            counts
                .drain()
                .map(|((k, m, r, s), n)| (k, m, r, s, n))
                .collect()
        };
        if pending.is_empty() {
            return;
        }
        if let Err(e) = store.record_key_uses(&pending).await {
            tracing::warn!(error = %e, "key uses could not be written; kept for the next time");
            let mut counts = self.counts.lock().unwrap_or_else(|e| e.into_inner());
            for (k, m, r, s, n) in pending {
                *counts.entry((k, m, r, s)).or_default() += n;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_key_gets_its_own_rate_and_is_told_how_long_to_wait() {
        let limits = PartnerLimits::default();
        let start = Instant::now();
        for _ in 0..3 {
            assert!(limits.check(1, 3, start).is_ok());
        }
        let wait = limits
            .check(1, 3, start + Duration::from_secs(20))
            .expect_err("over");
        assert_eq!(wait, Duration::from_secs(40));
        assert!(
            limits.check(2, 3, start).is_ok(),
            "another key is not limited"
        );
        assert!(limits.check(1, 3, start + Duration::from_secs(61)).is_ok());
        // Early in the next minute most of the earlier one still counts.
        assert!(limits.check(1, 3, start + Duration::from_secs(62)).is_err());
        assert!(limits.check(1, 3, start + Duration::from_secs(300)).is_ok());
    }

    #[test]
    fn a_high_rate_holds_in_constant_memory() {
        let limits = PartnerLimits::default();
        let start = Instant::now();
        let allowed = (0..1_200_000)
            .filter(|i| {
                let at = start + Duration::from_micros(i * 50);
                limits.check(7, 1_000_000, at).is_ok()
            })
            .count();
        assert_eq!(allowed, 1_000_000, "a minute allows its rate, no more");
        assert_eq!(limits.windows.lock().expect("lock").len(), 1);
    }

    #[test]
    fn bearer_keys_are_read_from_the_authorization_header() {
        let mut h = axum::http::HeaderMap::new();
        assert_eq!(bearer(&h), None);
        h.insert(
            header::AUTHORIZATION,
            "Bearer cgk_x".parse().expect("header"),
        );
        assert_eq!(bearer(&h), Some("cgk_x"));
        h.insert(header::AUTHORIZATION, "Basic abc".parse().expect("header"));
        assert_eq!(bearer(&h), None);
    }
}
