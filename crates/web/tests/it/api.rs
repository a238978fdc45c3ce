//! The JSON API end to end on a real (temporary) SQLite store.

use crate::common::*;
use axum::body::Body;
use axum::http::{Request, StatusCode};

#[tokio::test]
async fn a_reported_phone_account_and_website_show_up_in_the_check() {
    let t = app().await;
    let created = post_json(&t.app, "/api/v1/reports", EXAMPLE, &[]).await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.text());
    let body = created.json();
    let code = body["tracking_code"].as_str().expect("code");
    assert!(code.starts_with("CG-") && code.len() == 12, "{code}");
    assert_eq!(body["secret"].as_str().map(str::len), Some(16));

    for q in [
        "0912345678",
        "%2B84%20912%20345%20678",
        "VCB%200123456789",
        "0123456789%20Vietcombank",
        "vietcombank-hotro.com.vn",
        "https%3A%2F%2Fwww.vietcombank-hotro.com.vn%2Fa%3Fb%3D1",
    ] {
        let answer = get(&t.app, &format!("/api/v1/check?q={q}")).await;
        assert_eq!(answer.status, StatusCode::OK, "{q}");
        let v = answer.json();
        // The website also imitates Vietcombank: the lookalike detector raises it.
        let expected = if q.contains("vietcombank-hotro") {
            "suspicious"
        } else {
            "reported"
        };
        assert_eq!(v["level"], expected, "{q}: {v}");
        assert_eq!(v["report_count"], 1);
        assert_eq!(v["reported_loss_vnd"], 5_000_000);
        let text = answer.text();
        for private in ["Nhung", "987654321", "075123456789", "Tam Hiệp"] {
            assert!(!text.contains(private), "{q} leaks {private}");
        }
    }
    let unknown = get(&t.app, "/api/v1/check?q=0987000111").await.json();
    assert_eq!(unknown["level"], "no_reports");
    assert_eq!(unknown["report_url"], "/bao-cao");
}

#[tokio::test]
async fn a_kept_check_answer_follows_each_new_report_and_is_counted() {
    let t = app().await;
    let check = |q: &'static str| {
        let app = t.app.clone();
        async move { get(&app, &format!("/api/v1/check?q={q}")).await }
    };
    for _ in 0..2 {
        let answer = check("0912345678").await;
        assert_eq!(answer.status, StatusCode::OK);
        assert_eq!(answer.json()["level"], "no_reports");
    }
    assert_eq!(check("0987000111").await.json()["level"], "no_reports");
    for count in [1, 2] {
        let key = format!("kept-answer-{count}");
        let created = post_json(
            &t.app,
            "/api/v1/reports",
            EXAMPLE,
            &[("idempotency-key", &key)],
        )
        .await;
        assert_eq!(created.status, StatusCode::CREATED, "{}", created.text());
        let answer = check("0912345678").await;
        assert_eq!(
            answer.headers.get("content-type").map(|v| v.as_bytes()),
            Some(&b"application/json"[..])
        );
        let v = answer.json();
        assert_eq!(
            (v["level"].as_str(), v["report_count"].as_i64()),
            (Some("reported"), Some(count)),
            "{v}"
        );
        assert_eq!(check("0912345678").await.json()["report_count"], count);
    }
    // A report on another number leaves it unknown.
    assert_eq!(check("0987000111").await.json()["level"], "no_reports");
    let metrics = get(&t.app, "/metrics").await.text();
    assert!(
        metrics.contains("canhgiac_checks_total{level=\"no_reports\"} 4"),
        "every answer is counted, kept or not: {metrics}"
    );
    assert!(
        metrics.contains("canhgiac_checks_total{level=\"reported\"} 4"),
        "{metrics}"
    );
}

#[tokio::test]
async fn the_reporter_follows_the_report_with_code_and_secret() {
    let t = app().await;
    let body = post_json(&t.app, "/api/v1/reports", EXAMPLE, &[])
        .await
        .json();
    let code = body["tracking_code"].as_str().expect("code");
    let secret = body["secret"].as_str().expect("secret");
    let request = |secret: &str| {
        Request::get(format!("/api/v1/reports/{code}"))
            .header("x-report-secret", secret)
            .body(Body::empty())
            .expect("request")
    };
    let ok = send(&t.app, request(secret)).await;
    assert_eq!(ok.status, StatusCode::OK);
    assert_eq!(ok.json()["status"], "received");
    assert_eq!(ok.json()["identifiers"].as_array().map(Vec::len), Some(3));
    let wrong = send(&t.app, request("AAAAAAAAAAAAAAAA")).await;
    assert_eq!(
        (wrong.status, wrong.code()),
        (StatusCode::NOT_FOUND, "report_not_found".to_string())
    );
}

#[tokio::test]
async fn a_double_submission_creates_one_report() {
    let t = app().await;
    let first = post_json(
        &t.app,
        "/api/v1/reports",
        EXAMPLE,
        &[("idempotency-key", "abc-123")],
    )
    .await;
    let second = post_json(
        &t.app,
        "/api/v1/reports",
        EXAMPLE,
        &[("idempotency-key", "abc-123")],
    )
    .await;
    assert_eq!(first.status, StatusCode::CREATED);
    assert_eq!(second.status, StatusCode::CREATED);
    assert_eq!(
        second
            .headers
            .get("idempotent-replayed")
            .map(|v| v.as_bytes()),
        Some(&b"true"[..])
    );
    assert_eq!(
        first.json()["tracking_code"],
        second.json()["tracking_code"]
    );
    assert_eq!(t.state.store.report_count().await.expect("count"), 1);
    assert_eq!(
        get(&t.app, "/api/v1/check?q=0912345678").await.json()["report_count"],
        1
    );
    let other = EXAMPLE.replace("5000000", "6000000");
    let conflict = post_json(
        &t.app,
        "/api/v1/reports",
        &other,
        &[("idempotency-key", "abc-123")],
    )
    .await;
    assert_eq!(
        (conflict.status, conflict.code()),
        (
            StatusCode::UNPROCESSABLE_ENTITY,
            "idempotency_key_reused".to_string()
        )
    );
}

#[tokio::test]
async fn bad_reports_get_specific_errors_in_vietnamese_or_english() {
    let t = app().await;
    let malformed = post_json(&t.app, "/api/v1/reports", "{\"channel\": ", &[]).await;
    assert_eq!(
        (malformed.status, malformed.code()),
        (StatusCode::BAD_REQUEST, "json_malformed".to_string())
    );
    assert!(malformed.json()["errors"][0]["detail"]
        .as_str()
        .unwrap_or("")
        .contains("dòng 1"));

    let wrong_type = send(
        &t.app,
        Request::post("/api/v1/reports")
            .header("content-type", "text/plain")
            .body(Body::from(EXAMPLE))
            .expect("request"),
    )
    .await;
    assert_eq!(wrong_type.status, StatusCode::UNSUPPORTED_MEDIA_TYPE);

    let huge = format!(
        r#"{{"channel": "call", "narrative": "{}"}}"#,
        "a".repeat(300 * 1024)
    );
    let too_big = post_json(&t.app, "/api/v1/reports", &huge, &[]).await;
    assert_eq!(
        (too_big.status, too_big.code()),
        (StatusCode::PAYLOAD_TOO_LARGE, "body_too_large".to_string())
    );

    let unknown_field = post_json(
        &t.app,
        "/api/v1/reports",
        r#"{"channel": "call", "narative": "typo"}"#,
        &[],
    )
    .await;
    assert_eq!(unknown_field.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(unknown_field.text().contains("narative"));

    let bad_bank = EXAMPLE.replace(r#""bank": "VCB""#, r#""bank": "Vietcombnak""#);
    let answer = post_json(
        &t.app,
        "/api/v1/reports",
        &bad_bank,
        &[("accept-language", "en")],
    )
    .await;
    assert_eq!(answer.status, StatusCode::UNPROCESSABLE_ENTITY);
    let error = &answer.json()["errors"][0];
    assert_eq!(error["code"], "bank_unknown");
    assert_eq!(error["field"], "identifiers[1].bank");
    assert!(
        error["detail"]
            .as_str()
            .unwrap_or("")
            .contains("Did you mean: Vietcombank"),
        "{error}"
    );

    let bad_phone = EXAMPLE.replace("0912 345 678", "0912 345");
    let answer = post_json(&t.app, "/api/v1/reports", &bad_phone, &[]).await;
    assert_eq!(answer.json()["errors"][0]["code"], "phone_too_short");
    assert!(answer.json()["errors"][0]["detail"]
        .as_str()
        .unwrap_or("")
        .contains("quá ngắn"));

    let missing = post_json(&t.app, "/api/v1/reports", "{}", &[]).await;
    let codes: Vec<String> = missing.json()["errors"]
        .as_array()
        .expect("errors")
        .iter()
        .map(|e| e["code"].as_str().unwrap_or("").to_string())
        .collect();
    assert_eq!(codes, vec!["channel_missing", "narrative_missing"]);
    assert_eq!(
        t.state.store.report_count().await.expect("count"),
        0,
        "nothing bad was stored"
    );
}

#[tokio::test]
async fn evidence_is_checked_by_its_bytes_and_stored_once() {
    let t = app().await;
    let png =
        b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x01\0\0\0\x01\x08\x06\0\0\0\x1f\x15\xc4\x89".to_vec();
    let upload = |bytes: Vec<u8>| {
        Request::post("/api/v1/evidence")
            .header("content-type", "image/png")
            .body(Body::from(bytes))
            .expect("request")
    };
    let first = send(&t.app, upload(png.clone())).await;
    assert_eq!(first.status, StatusCode::CREATED, "{}", first.text());
    let digest = first.json()["sha256"].as_str().expect("digest").to_string();
    let again = send(&t.app, upload(png)).await;
    assert_eq!(again.json()["sha256"].as_str(), Some(digest.as_str()));
    let pdf = send(&t.app, upload(b"%PDF-1.7 not an image".to_vec())).await;
    assert_eq!(
        (pdf.status, pdf.code()),
        (
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "evidence_unsupported_type".to_string()
        )
    );
    let mut big = b"\x89PNG\r\n\x1a\n".to_vec();
    big.resize(6 * 1024 * 1024, 0);
    let too_big = send(&t.app, upload(big)).await;
    assert_eq!(too_big.status, StatusCode::PAYLOAD_TOO_LARGE);

    let with_evidence = EXAMPLE.replacen("{", &format!(r#"{{"evidence": ["{digest}"], "#), 1);
    assert_eq!(
        post_json(&t.app, "/api/v1/reports", &with_evidence, &[])
            .await
            .status,
        StatusCode::CREATED
    );
    let unknown = EXAMPLE.replacen(
        "{",
        &format!(r#"{{"evidence": ["{}"], "#, "ab".repeat(32)),
        1,
    );
    let answer = post_json(&t.app, "/api/v1/reports", &unknown, &[]).await;
    assert_eq!(answer.code(), "evidence_unknown");
}

#[tokio::test]
async fn free_text_is_checked_identifier_by_identifier_with_spans() {
    let t = app().await;
    post_json(&t.app, "/api/v1/reports", EXAMPLE, &[]).await;
    let q = "Anh ơi chuyển giúp em vào STK 0123456789 VCB, hoặc gọi 0987000111";
    let answer = get(&t.app, &format!("/api/v1/check?q={}", urlencode(q)))
        .await
        .json();
    let items = answer["items"].as_array().expect("items");
    assert_eq!(items.len(), 2);
    assert_eq!(items[0]["kind"], "bank_account");
    assert_eq!(items[0]["level"], "reported");
    assert_eq!(items[1]["level"], "no_reports");
    let (start, end) = (
        items[0]["start"].as_u64().expect("start") as usize,
        items[0]["end"].as_u64().expect("end") as usize,
    );
    let chars: Vec<char> = q.chars().collect();
    assert_eq!(chars[start..end].iter().collect::<String>(), "0123456789");
}

fn urlencode(s: &str) -> String {
    s.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

#[tokio::test]
async fn bad_check_queries_say_why() {
    let t = app().await;
    for (q, code) in [
        ("", "query_empty"),
        ("09123", "phone_too_short"),
        ("Vietcombnk%200123456789", "bank_unknown"),
        ("abc.notatld", "url_invalid"),
    ] {
        let answer = get(&t.app, &format!("/api/v1/check?q={q}")).await;
        assert_eq!(
            (answer.status, answer.code()),
            (StatusCode::UNPROCESSABLE_ENTITY, code.to_string()),
            "{q}"
        );
    }
    let en = send(
        &t.app,
        Request::get("/api/v1/check?q=09123")
            .header("accept-language", "en")
            .body(Body::empty())
            .expect("request"),
    )
    .await;
    assert!(en.json()["errors"][0]["detail"]
        .as_str()
        .unwrap_or("")
        .contains("too short"));
}

#[tokio::test]
async fn no_input_makes_a_server_error() {
    let t = app().await;
    let nasty = [
        "%00",
        "%FF%FE",
        "%E2%80%AE",
        &"9".repeat(5000),
        "hxxp%3A%2F%2F%5B.%5D",
        "..........",
        "@@@",
        "0x",
        "bc1",
        "T",
        "%F0%9F%92%A9%F0%9F%92%A9",
        "1e309",
        "-1",
        "'%20OR%201%3D1--",
    ];
    for q in nasty {
        let answer = get(&t.app, &format!("/api/v1/check?q={q}")).await;
        assert!(
            answer.status.is_success() || answer.status.is_client_error(),
            "{q}: {}",
            answer.status
        );
        let page = get(&t.app, &format!("/kiem-tra?q={q}")).await;
        assert!(
            page.status.is_success() || page.status.is_client_error(),
            "{q}: {}",
            page.status
        );
    }
    let bodies = [
        r#"[]"#,
        r#""x""#,
        r#"{"channel": 5}"#,
        r#"{"amount_lost_vnd": 1e400}"#,
        r#"{"identifiers": [{"kind": "phone"}]}"#,
        r#"{"channel":"call","narrative":"x","amount_lost_vnd":-1}"#,
        r#"{"channel":"call","narrative":"x","place_code":9223372036854775807}"#,
        r#"{"channel":"call","narrative":"\u0000"}"#,
    ];
    for body in bodies {
        let answer = post_json(&t.app, "/api/v1/reports", body, &[]).await;
        assert!(
            answer.status.is_client_error() || answer.status == StatusCode::CREATED,
            "{body}: {}",
            answer.status
        );
    }
    assert_eq!(get(&t.app, "/api/v1/nope").await.code(), "not_found");
}

#[tokio::test]
async fn health_metrics_and_openapi_are_served() {
    let t = app().await;
    assert_eq!(get(&t.app, "/healthz").await.status, StatusCode::OK);
    post_json(&t.app, "/api/v1/reports", EXAMPLE, &[]).await;
    get(&t.app, "/api/v1/check?q=0912345678").await;
    let metrics = get(&t.app, "/metrics").await.text();
    assert!(
        metrics.contains("canhgiac_reports_received_total 1"),
        "{metrics}"
    );
    assert!(
        metrics.contains("canhgiac_checks_total{level=\"reported\"} 1"),
        "{metrics}"
    );
    assert!(metrics.contains("route=\"/api/v1/check\""));
    let doc = get(&t.app, "/api/v1/openapi.json").await.json();
    assert!(doc["openapi"].as_str().unwrap_or("").starts_with("3."));
    for path in [
        "/api/v1/check",
        "/api/v1/reports",
        "/api/v1/reports/{code}",
        "/api/v1/evidence",
        "/api/v1/extract",
        "/api/v1/methods",
        "/api/v1/places",
        "/api/v1/banks",
    ] {
        assert!(
            doc["paths"][path].is_object(),
            "{path} missing from the OpenAPI document"
        );
    }
    assert!(doc["components"]["schemas"]["ReportInput"].is_object());
    assert!(doc["components"]["schemas"]["Verdict"].is_object());
}

/// The API contract as served: any change to an operation, a status or a schema shows
/// up here for review (`INSTA_UPDATE=always cargo test -p canhgiac-web --test it
/// openapi` rewrites it; `git diff` shows what changed).
#[tokio::test]
async fn the_openapi_document_is_the_reviewed_one() {
    let t = app().await;
    let doc = get(&t.app, "/api/v1/openapi.json").await.json();
    insta::assert_json_snapshot!("openapi", doc);
}

#[tokio::test]
async fn reference_lists_are_served() {
    let t = app().await;
    let places = get(&t.app, "/api/v1/places").await.json();
    assert!(places.as_array().map(Vec::len).unwrap_or(0) > 90);
    let methods = get(&t.app, "/api/v1/methods").await.json();
    assert!(methods.as_array().map(Vec::len).unwrap_or(0) >= 30);
    let banks = get(&t.app, "/api/v1/banks").await.json();
    assert!(banks
        .as_array()
        .is_some_and(|b| b.iter().any(|b| b["bin"] == "970436")));
}
