//! Limits of the public side and of what leaves the server: per-client quotas (QR,
//! uploads, tracking codes), the bounded QR decoder, huge pictures, `next=` with
//! control characters, `no-store` on private answers, HSTS and the protected metrics.

use std::sync::Arc;

use crate::common::{add, app, call, get, login, post_json, send, Answer, PASSWORD};
use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use canhgiac_core::roles::Role;

fn multipart_image(uri: &str, bytes: &[u8]) -> Request<Body> {
    let boundary = "XyZ";
    let mut body = format!("--{boundary}\r\nContent-Disposition: form-data; name=\"image\"; filename=\"qr.png\"\r\n\r\n").into_bytes();
    body.extend(bytes);
    body.extend(format!("\r\n--{boundary}--\r\n").as_bytes());
    Request::post(uri)
        .header(
            "content-type",
            format!("multipart/form-data; boundary={boundary}"),
        )
        .body(Body::from(body))
        .expect("request")
}

fn png(width: u32, height: u32) -> Vec<u8> {
    let img = image::GrayImage::from_pixel(width, height, image::Luma([255u8]));
    let mut out = Vec::new();
    image::DynamicImage::ImageLuma8(img)
        .write_to(&mut std::io::Cursor::new(&mut out), image::ImageFormat::Png)
        .expect("png");
    out
}

fn retry_after(a: &Answer) -> u64 {
    a.headers
        .get(header::RETRY_AFTER)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse().ok())
        .unwrap_or_else(|| panic!("no Retry-After: {:?}", a.headers))
}

#[tokio::test]
async fn qr_pictures_are_bounded_in_size_in_parallel_and_per_client() {
    let t = app().await;
    // A 6000×6000 picture (a few kilobytes of PNG) is refused before it is decoded.
    let huge = png(6_000, 6_000);
    assert!(huge.len() < 200_000, "{}", huge.len());
    let a = send(&t.app, multipart_image("/api/v1/analyze/qr", &huge)).await;
    assert_eq!(
        (a.status, a.code()),
        (
            StatusCode::PAYLOAD_TOO_LARGE,
            "qr_image_too_large".to_string()
        ),
        "{}",
        a.text()
    );
    // Every decoding slot taken: 503 with Retry-After, for the API and the page.
    let taken = t
        .state
        .qr_slots
        .clone()
        .acquire_many_owned(canhgiac_web::QR_SLOTS as u32)
        .await
        .expect("slots");
    let a = send(&t.app, multipart_image("/api/v1/analyze/qr", &png(50, 50))).await;
    assert_eq!(a.status, StatusCode::SERVICE_UNAVAILABLE, "{}", a.text());
    assert_eq!(a.code(), "busy");
    assert!(retry_after(&a) >= 1);
    let page = send(&t.app, multipart_image("/kiem-tra/ma-qr", &png(50, 50))).await;
    assert_eq!(page.status, StatusCode::SERVICE_UNAVAILABLE);
    assert!(page.text().contains("đang bận"));
    drop(taken);
    let a = send(&t.app, multipart_image("/api/v1/analyze/qr", &png(50, 50))).await;
    assert_eq!(a.code(), "qr_not_found", "{}", a.text());
    // 30 codes a minute per client.
    let body = r#"{"payload": "000201"}"#;
    let mut last = None;
    for _ in 0..30 {
        last = Some(post_json(&t.app, "/api/v1/analyze/qr", body, &[]).await);
    }
    let a = last.expect("answers");
    assert_eq!(
        a.status,
        StatusCode::TOO_MANY_REQUESTS,
        "the 31st code of the minute (4 were sent above)"
    );
    assert!(retry_after(&a) <= 60);
}

#[tokio::test]
async fn anonymous_uploads_have_a_quota_per_client() {
    let t = app().await;
    let mut statuses = Vec::new();
    for i in 0..21u32 {
        let a = send(
            &t.app,
            Request::post("/api/v1/evidence")
                .header("content-type", "image/png")
                .body(Body::from(png(10 + i, 10)))
                .expect("request"),
        )
        .await;
        statuses.push(a.status);
        if a.status == StatusCode::TOO_MANY_REQUESTS {
            assert!(retry_after(&a) > 0);
            assert_eq!(a.code(), "too_many_requests");
        }
    }
    assert!(
        statuses[..20].iter().all(|s| *s == StatusCode::CREATED),
        "{statuses:?}"
    );
    assert_eq!(statuses[20], StatusCode::TOO_MANY_REQUESTS);
}

#[tokio::test]
async fn tracking_code_lookups_are_rate_limited() {
    let t = app().await;
    let mut last = None;
    for _ in 0..31 {
        last = Some(
            send(
                &t.app,
                Request::get("/api/v1/reports/CG-2026-AAAAAA")
                    .header("x-report-secret", "guess")
                    .body(Body::empty())
                    .expect("request"),
            )
            .await,
        );
    }
    let a = last.expect("answers");
    assert_eq!(a.status, StatusCode::TOO_MANY_REQUESTS);
    let page = send(
        &t.app,
        Request::post("/theo-doi")
            .header("content-type", "application/x-www-form-urlencoded")
            .body(Body::from("code=CG-2026-AAAAAA&secret=guess"))
            .expect("request"),
    )
    .await;
    assert_eq!(page.status, StatusCode::TOO_MANY_REQUESTS);
    assert!(page.text().contains("quá nhiều lần"));
}

#[tokio::test]
async fn next_with_control_characters_goes_to_the_console() {
    let t = app().await;
    add(&t, "lan", Role::Investigator).await;
    let page = get(&t.app, "/console/dang-nhap").await;
    let pair = page
        .headers
        .get("set-cookie")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .expect("login cookie")
        .to_string();
    let token = pair.split_once('=').expect("=").1.to_string();
    let a = send(
        &t.app,
        Request::post("/console/dang-nhap")
            .header("cookie", pair)
            .header("content-type", "application/x-www-form-urlencoded")
            .body(Body::from(format!(
                "login_csrf={token}&next=%2Fconsole%2F%01&username=lan&password={}",
                PASSWORD.replace(' ', "+")
            )))
            .expect("request"),
    )
    .await;
    assert_eq!(a.status, StatusCode::SEE_OTHER, "{}", a.text());
    assert_eq!(
        a.headers.get("location").and_then(|v| v.to_str().ok()),
        Some("/console")
    );
}

#[tokio::test]
async fn private_answers_are_never_cached_and_public_ones_may_be() {
    let t = app().await;
    add(&t, "lead", Role::Leader).await;
    let lead = login(&t, "lead").await;
    for uri in [
        "/api/v1/officer/reports",
        "/console/hoat-dong/tong-hop.csv?ky=2026-11",
        "/console",
    ] {
        let a = call(&t, "GET", uri, None, Some(&lead), true).await;
        assert_eq!(a.status, StatusCode::OK, "{uri}: {}", a.text());
        assert_eq!(
            a.headers
                .get(header::CACHE_CONTROL)
                .and_then(|v| v.to_str().ok()),
            Some("no-store"),
            "{uri}"
        );
    }
    let public = get(&t.app, "/static/site.css").await;
    assert_ne!(
        public
            .headers
            .get(header::CACHE_CONTROL)
            .and_then(|v| v.to_str().ok()),
        Some("no-store")
    );
    assert!(public
        .headers
        .get(header::STRICT_TRANSPORT_SECURITY)
        .is_none());
}

#[tokio::test]
async fn hsts_over_https_and_metrics_behind_a_token() {
    let mut t = app().await;
    t.state.secure_cookies = true;
    t.state.metrics_token = Some(Arc::from("s3cret-token"));
    t.app = canhgiac_web::router(t.state.clone());
    let home = get(&t.app, "/").await;
    assert!(home
        .headers
        .get(header::STRICT_TRANSPORT_SECURITY)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("max-age=")));
    assert_eq!(get(&t.app, "/metrics").await.status, StatusCode::FORBIDDEN);
    let wrong = send(
        &t.app,
        Request::get("/metrics")
            .header("authorization", "Bearer s3cret-tokeX")
            .body(Body::empty())
            .expect("request"),
    )
    .await;
    assert_eq!(wrong.status, StatusCode::FORBIDDEN);
    let right = send(
        &t.app,
        Request::get("/metrics")
            .header("authorization", "Bearer s3cret-token")
            .body(Body::empty())
            .expect("request"),
    )
    .await;
    assert_eq!(right.status, StatusCode::OK);
    assert!(right.text().contains("# EOF") || right.text().contains("canhgiac"));
}

/// A client that sends half a request and waits (slowloris) holds no worker for
/// longer than the request limit: it gets 503 with `Retry-After`, in JSON for the API.
#[tokio::test]
async fn a_request_that_stalls_is_stopped_at_its_time_limit() {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let t = app().await;
    let mut state = t.state.clone();
    state.request_limit = std::time::Duration::from_millis(500);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let address = listener.local_addr().expect("address");
    let server = tokio::spawn(canhgiac_web::serve(
        listener,
        state,
        std::future::pending::<()>(),
    ));
    let mut stream = tokio::net::TcpStream::connect(address)
        .await
        .expect("connect");
    stream
        .write_all(b"POST /api/v1/reports HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 200\r\n\r\n{\"channel\": ")
        .await
        .expect("write");
    let started = std::time::Instant::now();
    let mut answer = Vec::new();
    let mut buf = [0u8; 4096];
    // Read until the body of the answer arrived (or the server closed).
    while !String::from_utf8_lossy(&answer).contains("\"timeout\"") {
        let n = tokio::time::timeout(std::time::Duration::from_secs(10), stream.read(&mut buf))
            .await
            .expect("an answer within 10 s")
            .expect("read");
        if n == 0 {
            break;
        }
        answer.extend_from_slice(&buf[..n]);
    }
    let answer = String::from_utf8_lossy(&answer).to_string();
    assert!(answer.starts_with("HTTP/1.1 503"), "{answer}");
    assert!(
        answer.to_ascii_lowercase().contains("retry-after: 5"),
        "{answer}"
    );
    assert!(answer.contains("\"timeout\""), "{answer}");
    assert!(started.elapsed() < std::time::Duration::from_secs(5));
    server.abort();
    assert_eq!(t.state.store.report_count().await.expect("count"), 0);
}
