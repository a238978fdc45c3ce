//! `/api/v1/analyze/qr`: a payment QR code, as text or as a picture.

use crate::common::*;
use axum::body::Body;
use axum::http::{Request, StatusCode};

/// Sends a file as a multipart form to `/api/v1/analyze/qr`.
async fn post_image(app: &axum::Router, filename: &str, bytes: &[u8]) -> Answer {
    let boundary = "XyZ";
    let mut body = format!("--{boundary}\r\nContent-Disposition: form-data; name=\"image\"; filename=\"{filename}\"\r\n\r\n").into_bytes();
    body.extend(bytes);
    body.extend(format!("\r\n--{boundary}--\r\n").as_bytes());
    let request = Request::post("/api/v1/analyze/qr")
        .header(
            "content-type",
            format!("multipart/form-data; boundary={boundary}"),
        )
        .body(Body::from(body));
    send(app, request.expect("request")).await
}

const ACB_DYNAMIC: &str = "00020101021238530010A0000007270123000697041601092576788590208QRIBFTTA53037045405100005802VN62150811Chuyen tien630453E6";

#[tokio::test]
async fn a_payment_code_is_decoded_and_its_account_checked() {
    let t = app().await;
    let fresh = post_json(
        &t.app,
        "/api/v1/analyze/qr",
        &format!(r#"{{"payload": "{ACB_DYNAMIC}"}}"#),
        &[],
    )
    .await;
    assert_eq!(fresh.status, StatusCode::OK, "{}", fresh.text());
    let body = fresh.json();
    assert_eq!(
        (
            body["bank_bin"].as_str(),
            body["bank"].as_str(),
            body["account"].as_str()
        ),
        (Some("970416"), Some("ACB"), Some("257678859"))
    );
    assert_eq!(body["amount_vnd"], 10_000);
    assert_eq!(body["purpose"], "Chuyen tien");
    assert_eq!(body["verdict"]["level"], "no_reports");

    let report = r#"{"channel": "sms", "narrative": "Shipper gửi mã QR bắt thanh toán", "identifiers": [{"kind": "bank_account", "bank": "ACB", "value": "257678859"}]}"#;
    assert_eq!(
        post_json(&t.app, "/api/v1/reports", report, &[])
            .await
            .status,
        StatusCode::CREATED
    );
    let reported = post_json(
        &t.app,
        "/api/v1/analyze/qr",
        &format!(r#"{{"payload": "{ACB_DYNAMIC}"}}"#),
        &[],
    )
    .await
    .json();
    assert_eq!(reported["verdict"]["level"], "reported");
    assert_eq!(reported["verdict"]["report_count"], 1);
}

#[tokio::test]
async fn a_picture_of_the_code_is_read() {
    let t = app().await;
    let code = qrcode::QrCode::new(ACB_DYNAMIC.as_bytes()).expect("encodes");
    let img = code
        .render::<image::Luma<u8>>()
        .min_dimensions(300, 300)
        .build();
    let mut png = Vec::new();
    image::DynamicImage::ImageLuma8(img)
        .write_to(&mut std::io::Cursor::new(&mut png), image::ImageFormat::Png)
        .expect("png");
    let answer = post_image(&t.app, "qr.png", &png).await;
    assert_eq!(answer.status, StatusCode::OK, "{}", answer.text());
    assert_eq!(answer.json()["account"], "257678859");
}

#[tokio::test]
async fn bad_codes_say_why() {
    let t = app().await;
    let altered = ACB_DYNAMIC.replace("257678859", "257678850");
    for (payload, code) in [
        (altered.as_str(), "qr_bad_crc"),
        (&ACB_DYNAMIC[..50], "qr_truncated"),
        ("https://example.com", "qr_not_payment"),
        ("", "qr_empty"),
    ] {
        let answer = post_json(
            &t.app,
            "/api/v1/analyze/qr",
            &format!(r#"{{"payload": "{payload}"}}"#),
            &[("accept-language", "en")],
        )
        .await;
        assert_eq!(
            (answer.status, answer.code()),
            (StatusCode::UNPROCESSABLE_ENTITY, code.to_string()),
            "{payload}"
        );
    }
    let plain = send(
        &t.app,
        Request::post("/api/v1/analyze/qr")
            .header("content-type", "text/plain")
            .body(Body::from(ACB_DYNAMIC))
            .expect("request"),
    )
    .await;
    assert_eq!(plain.status, StatusCode::UNSUPPORTED_MEDIA_TYPE);
    let malformed = post_json(&t.app, "/api/v1/analyze/qr", "{\"payload\": ", &[]).await;
    assert_eq!(malformed.status, StatusCode::BAD_REQUEST);
    let answer = post_image(&t.app, "x.pdf", b"%PDF-1.4").await;
    assert_eq!(
        (answer.status, answer.code()),
        (
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "qr_image_unreadable".to_string()
        )
    );
}

#[tokio::test]
async fn the_check_accepts_the_text_of_a_payment_code() {
    let t = app().await;
    let answer = get(
        &t.app,
        &format!("/api/v1/check?q={ACB_DYNAMIC}").replace(' ', "%20"),
    )
    .await;
    assert_eq!(answer.status, StatusCode::OK, "{}", answer.text());
    assert_eq!(answer.json()["kind"], "bank_account");
    assert_eq!(answer.json()["normalized"], "970416:257678859");
}

#[tokio::test]
async fn a_lookalike_website_is_named_and_at_least_suspicious_without_any_report() {
    let t = app().await;
    let answer = get(
        &t.app,
        "/api/v1/analyze/url?q=https://vietcombank-hotro.com.vn/login",
    )
    .await;
    assert_eq!(answer.status, StatusCode::OK, "{}", answer.text());
    let body = answer.json();
    assert_eq!(body["level"], "suspicious");
    assert_eq!(body["lookalike"]["brand"], "vietcombank");
    assert_eq!(body["lookalike"]["technique"], "combosquatting");
    assert_eq!(body["lookalike"]["real_domains"][0], "vietcombank.com.vn");
    assert!(body["official"].is_null());

    let real = get(
        &t.app,
        "/api/v1/analyze/url?q=https://www.vietcombank.com.vn",
    )
    .await
    .json();
    assert_eq!(real["level"], "no_reports");
    assert!(real["lookalike"].is_null());
    assert_eq!(real["official"]["key"], "vietcombank");

    // The public check and its free-text form use the detector too.
    let check = get(&t.app, "/api/v1/check?q=vietcornbank.com.vn")
        .await
        .json();
    assert_eq!(check["level"], "suspicious");
    assert_eq!(check["reasons"][0]["code"], "lookalike_domain");
    let text = get(&t.app, "/api/v1/check?q=V%C3%A0o%20vietcombank.com.vn.secure-login.top%20%C4%91%E1%BB%83%20nh%E1%BA%ADn%20qu%C3%A0").await.json();
    assert_eq!(text["items"][0]["level"], "suspicious");

    let bad = get(&t.app, "/api/v1/analyze/url?q=not%20a%20site").await;
    assert_eq!(
        (bad.status, bad.code()),
        (StatusCode::UNPROCESSABLE_ENTITY, "url_invalid".to_string())
    );
}
