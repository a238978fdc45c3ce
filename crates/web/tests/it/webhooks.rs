//! Webhooks to banks: an administrator sets a bank's address and gets a signing secret
//! once; sending a hold request to the bank writes a delivery in the same transaction;
//! the delivery is signed with HMAC-SHA256 (checked here as the bank would), retried
//! after a failure, and sent once even when two senders run at once.

use std::sync::atomic::{AtomicU16, Ordering};
use std::sync::{Arc, Mutex};

use axum::http::{HeaderMap, StatusCode};
use canhgiac_web::partner::webhooks::{deliver_due, verify};

use crate::common::call;
use crate::partners::{partner, sent_hold, setup};

type Seen = Arc<Mutex<Vec<(HeaderMap, Vec<u8>)>>>;

/// A bank's receiver on a random port: records each delivery, answers `status`.
async fn receiver(status: Arc<AtomicU16>) -> (String, Seen) {
    let seen: Seen = Arc::default();
    let kept = seen.clone();
    let app = axum::Router::new().route(
        "/hook",
        axum::routing::post(move |headers: HeaderMap, body: axum::body::Bytes| {
            let kept = kept.clone();
            let status = status.clone();
            async move {
                kept.lock().expect("lock").push((headers, body.to_vec()));
                StatusCode::from_u16(status.load(Ordering::SeqCst)).unwrap_or(StatusCode::OK)
            }
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let address = listener.local_addr().expect("address");
    tokio::spawn(async move { axum::serve(listener, app).await });
    (format!("http://{address}/hook"), seen)
}

fn now() -> i64 {
    time::OffsetDateTime::now_utc().unix_timestamp()
}

#[tokio::test]
async fn a_bank_hears_of_a_sent_request_by_a_signed_retried_webhook() {
    let (t, admin) = setup().await;
    let status = Arc::new(AtomicU16::new(500));
    let (url, seen) = receiver(status.clone()).await;
    let vcb = partner(&t, &admin, "Vietcombank", "bank", "970436").await;
    let viettel = partner(&t, &admin, "Viettel", "carrier", "").await;

    // Refusals: not https (and not this machine), not a bank.
    for (id, address, code) in [
        (vcb, "http://bank.example.vn/hook", "phải là https://"),
        (viettel, url.as_str(), "Chỉ ngân hàng nhận"),
    ] {
        let body = format!("url={}", address.replace(':', "%3A").replace('/', "%2F"));
        let a = call(
            &t,
            "POST",
            &format!("/console/doi-tac/{id}/webhook"),
            Some(&body),
            Some(&admin),
            true,
        )
        .await;
        assert_eq!(a.status, StatusCode::UNPROCESSABLE_ENTITY, "{address}");
        assert!(a.text().contains(code), "{code}: {}", a.text());
    }
    let body = format!("url={}", url.replace(':', "%3A").replace('/', "%2F"));
    let a = call(
        &t,
        "POST",
        &format!("/console/doi-tac/{vcb}/webhook"),
        Some(&body),
        Some(&admin),
        true,
    )
    .await;
    assert_eq!(a.status, StatusCode::CREATED, "{}", a.text());
    let secret = crate::common::select(&a.html(), "#new-secret code")
        .pop()
        .expect("the secret is shown once");
    assert!(secret.starts_with("whsec_"));
    let again = call(
        &t,
        "GET",
        &format!("/console/doi-tac/{vcb}"),
        None,
        Some(&admin),
        true,
    )
    .await;
    assert!(!again.text().contains(&secret), "shown once");

    // The request is sent: one delivery waits; the bank's server fails the first time.
    let (hold, inv) = sent_hold(&t).await;
    let at = now();
    assert_eq!(deliver_due(&t.state, at).await, 0);
    {
        let seen = seen.lock().expect("lock");
        assert_eq!(seen.len(), 1);
        let (headers, body) = &seen[0];
        let signature = headers["x-canhgiac-signature"].to_str().expect("ascii");
        assert!(
            verify(secret.as_bytes(), signature, body, now(), 300),
            "{signature}"
        );
        assert!(!verify(b"whsec_other", signature, body, now(), 300));
        assert_eq!(headers["x-canhgiac-event"], "hold_request.sent");
        let json: serde_json::Value = serde_json::from_slice(body).expect("json");
        assert_eq!(json["hold_request"]["id"], hold);
        assert_eq!(json["href"], format!("/api/v1/partner/holds/{hold}"));
        let text = String::from_utf8_lossy(body);
        assert!(
            !text.contains("0123456789") && !text.contains("50000000"),
            "no account or amount in a webhook: {text}"
        );
    }
    // Not due again before its wait; then accepted.
    assert_eq!(deliver_due(&t.state, at + 5).await, 0);
    assert_eq!(seen.lock().expect("lock").len(), 1);
    status.store(200, Ordering::SeqCst);
    assert_eq!(deliver_due(&t.state, at + 31).await, 1);
    assert_eq!(seen.lock().expect("lock").len(), 2);
    assert_eq!(
        deliver_due(&t.state, at + 10_000).await,
        0,
        "delivered once"
    );
    let page = call(
        &t,
        "GET",
        &format!("/console/doi-tac/{vcb}"),
        None,
        Some(&admin),
        true,
    )
    .await;
    assert!(
        page.text().contains("Đã nhận"),
        "the administrator sees it accepted"
    );
    let deliveries = t.state.store.deliveries(vcb, 10).await.expect("deliveries");
    assert_eq!(deliveries.len(), 1);
    assert_eq!(deliveries[0].attempts, 2);
    assert!(deliveries[0].delivered_at.is_some());

    // Two senders at once (two nodes): the next delivery goes out once.
    let report = r#"{"channel": "call", "narrative": "Giả danh ngân hàng, bắt chuyển tiền vào tài khoản khác.", "amount_lost_vnd": 9000000,
      "transfers": [{"bank": "VCB", "account": "0987000111", "amount_vnd": 9000000, "at": "2026-11-29T10:00:00+07:00"}]}"#;
    let a = crate::common::post_json(&t.app, "/api/v1/reports", report, &[]).await;
    assert_eq!(a.status, StatusCode::CREATED, "{}", a.text());
    t.state.index.catch_up(&t.state.store).await.expect("index");
    let a = call(
        &t,
        "POST",
        "/api/v1/officer/reports/2/holds",
        Some("{}"),
        Some(&inv),
        false,
    )
    .await;
    assert_eq!(a.status, StatusCode::CREATED, "{}", a.text());
    let second = a.json()["ids"][0].as_i64().expect("id");
    let a = call(
        &t,
        "POST",
        &format!("/api/v1/officer/holds/{second}/state"),
        Some(r#"{"state":"sent"}"#),
        Some(&inv),
        false,
    )
    .await;
    assert_eq!(a.status, StatusCode::NO_CONTENT, "{}", a.text());
    let later = now() + 20_000;
    let (a, b) = tokio::join!(deliver_due(&t.state, later), deliver_due(&t.state, later));
    assert_eq!(a + b, 1);
    assert_eq!(seen.lock().expect("lock").len(), 3);
}
