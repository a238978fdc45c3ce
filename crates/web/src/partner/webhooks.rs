//! Sends the webhook deliveries waiting in the outbox: each is a POST of a small JSON
//! body (what happened and where to read it with the bank's key — never the letter's
//! amounts or accounts) signed with HMAC-SHA256 under the bank's secret:
//!
//! `X-Canhgiac-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>." + body)>`
//!
//! A 2xx answer delivers it; anything else is retried later (30 s doubling, at most an
//! hour, 12 attempts). HTTPS with the Mozilla roots (webpki-roots); plain HTTP only to
//! this machine.

use std::time::Duration;

use axum::body::Bytes;
use hmac::{Hmac, Mac};
use http_body_util::Full;
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::client::legacy::Client;
use hyper_util::rt::TokioExecutor;
use sha2::Sha256;

use crate::AppState;

/// The client deliveries go out with.
pub type WebhookClient = Client<hyper_rustls::HttpsConnector<HttpConnector>, Full<Bytes>>;

/// How long one delivery may take.
pub const DELIVERY_TIMEOUT: Duration = Duration::from_secs(10);

/// A client for HTTPS (and HTTP to this machine).
pub fn client() -> WebhookClient {
    let https = hyper_rustls::HttpsConnectorBuilder::new()
        .with_webpki_roots()
        .https_or_http()
        .enable_http1()
        .build();
    Client::builder(TokioExecutor::new()).build(https)
}

/// The signature header's value for a body sent at `timestamp`.
pub fn signature(secret: &[u8], timestamp: i64, body: &[u8]) -> String {
    let mut mac = match Hmac::<Sha256>::new_from_slice(secret) {
        Ok(m) => m,
        // HMAC takes keys of any length; this branch is never taken.
        Err(_) => return String::new(),
    };
    mac.update(timestamp.to_string().as_bytes());
    mac.update(b".");
    mac.update(body);
    format!(
        "t={timestamp},v1={}",
        hex::encode(mac.finalize().into_bytes())
    )
}

/// Whether a signature header is right for a body, and no older than `tolerance`
/// seconds at `now`: what a bank's receiver checks (used by the tests as a bank would).
pub fn verify(secret: &[u8], header: &str, body: &[u8], now: i64, tolerance: i64) -> bool {
    let mut timestamp = None;
    let mut given = None;
    for part in header.split(',') {
        match part.trim().split_once('=') {
            Some(("t", t)) => timestamp = t.parse::<i64>().ok(),
            Some(("v1", v)) => given = hex::decode(v).ok(),
            _ => {}
        }
    }
    let (Some(t), Some(given)) = (timestamp, given) else {
        return false;
    };
    if (now - t).abs() > tolerance {
        return false;
    }
    let Ok(mut mac) = Hmac::<Sha256>::new_from_slice(secret) else {
        return false;
    };
    mac.update(t.to_string().as_bytes());
    mac.update(b".");
    mac.update(body);
    mac.verify_slice(&given).is_ok()
}

/// Sends every delivery due at `now` once; answers how many were accepted.
pub async fn deliver_due(state: &AppState, now: i64) -> usize {
    let claimed = match state.store.claim_deliveries(now, 50).await {
        Ok(c) => c,
        Err(e) => {
            tracing::warn!(error = %e, "webhook outbox unreadable");
            return 0;
        }
    };
    let mut accepted = 0;
    for c in claimed {
        let body = Bytes::from(c.delivery.payload.clone());
        let request = axum::http::Request::post(&c.url)
            .header("content-type", "application/json")
            .header("user-agent", "canhgiac-webhook/1")
            .header("x-canhgiac-event", &c.delivery.event)
            .header("x-canhgiac-delivery", c.delivery.id.to_string())
            .header("x-canhgiac-signature", signature(&c.secret, now, &body))
            .body(Full::new(body));
        let (status, error) = match request {
            Err(e) => (None, Some(format!("bad request: {e}"))),
            Ok(request) => {
                match tokio::time::timeout(DELIVERY_TIMEOUT, state.webhook_client.request(request))
                    .await
                {
                    Ok(Ok(answer)) => (Some(answer.status().as_u16()), None),
                    Ok(Err(e)) => (None, Some(e.to_string())),
                    Err(_) => (None, Some("timed out".to_string())),
                }
            }
        };
        if status.is_some_and(|s| (200..300).contains(&s)) {
            accepted += 1;
        } else {
            // The address is the bank's; the payload carries no personal data.
            tracing::info!(delivery = c.delivery.id, ?status, error = ?error, "webhook not accepted; retried later");
        }
        if let Err(e) = state
            .store
            .finish_delivery(
                c.delivery.id,
                c.delivery.attempts,
                status,
                error.as_deref(),
                now,
            )
            .await
        {
            tracing::warn!(error = %e, "webhook delivery not recorded");
        }
    }
    accepted
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_signature_verifies_once_and_only_for_its_body_secret_and_time() {
        let secret = b"bi mat cua ngan hang";
        let body = br#"{"event":"hold_request.sent"}"#;
        let header = signature(secret, 1_764_667_800, body);
        assert!(header.starts_with("t=1764667800,v1="));
        assert!(verify(secret, &header, body, 1_764_667_900, 300));
        assert!(!verify(secret, &header, b"{}", 1_764_667_900, 300));
        assert!(!verify(b"other", &header, body, 1_764_667_900, 300));
        assert!(!verify(secret, &header, body, 1_764_668_800, 300));
        assert!(!verify(secret, "v1=00", body, 1_764_667_800, 300));
    }
}
