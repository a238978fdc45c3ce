//! One check, two front ends: `canhgiac check --json X` prints exactly what
//! `GET /api/v1/check?q=X` answers, over the same data directory.

use std::process::Command;
use std::sync::Arc;

use axum::body::Body;
use axum::http::Request;
use canhgiac_store::{Store, StoreConfig};
use http_body_util::BodyExt;
use tower::ServiceExt;

const REPORT: &str = r#"{"channel": "call", "narrative": "Kẻ gian gọi điện xưng là công an, bắt chuyển tiền để chứng minh tiền sạch.", "amount_lost_vnd": 5000000,
  "identifiers": [{"kind": "phone", "value": "0912 345 678"}, {"kind": "bank_account", "bank": "VCB", "value": "0123456789"}]}"#;

fn cli(data: &std::path::Path, q: &str, english: bool) -> serde_json::Value {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_canhgiac"));
    cmd.args(["check", "--json", q, "--data-dir"])
        .arg(data)
        .env("CANHGIAC_LOG", "warn");
    if english {
        cmd.arg("--english");
    }
    let out = cmd.output().expect("canhgiac runs");
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "{q}: not JSON ({e}): {}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        )
    })
}

async fn api(app: &axum::Router, q: &str, english: bool) -> serde_json::Value {
    let uri = format!(
        "/api/v1/check?{}",
        serde_urlencoded_pair("q", q) + if english { "&lang=en" } else { "" }
    );
    let response = app
        .clone()
        .oneshot(Request::get(uri).body(Body::empty()).expect("request"))
        .await
        .expect("infallible");
    assert_eq!(response.status(), 200, "{q}");
    let body = response
        .into_body()
        .collect()
        .await
        .expect("body")
        .to_bytes();
    serde_json::from_slice(&body).expect("JSON")
}

fn serde_urlencoded_pair(k: &str, v: &str) -> String {
    let mut out = format!("{k}=");
    for b in v.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => {
                out.push(b as char)
            }
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

#[tokio::test]
async fn the_cli_answers_what_the_api_answers() {
    let dir = tempfile::tempdir().expect("tempdir");
    let store = Arc::new(
        Store::open(&StoreConfig {
            data_dir: dir.path().to_path_buf(),
            database_url: None,
            data_key: None,
            province: "Đồng Nai".into(),
            cache_mib: 8,
        })
        .await
        .expect("store"),
    );
    let input: canhgiac_core::intake::ReportInput = serde_json::from_str(REPORT).expect("json");
    let report = canhgiac_core::intake::validate(
        &input,
        canhgiac_core::i18n::Lang::Vi,
        time::OffsetDateTime::now_utc().unix_timestamp(),
        &|_| true,
    )
    .expect("valid");
    store
        .insert_report(canhgiac_store::NewReport {
            report,
            source: canhgiac_store::Source::Api,
            created_at: time::OffsetDateTime::now_utc().unix_timestamp(),
            idempotency_key: None,
            request_hash: None,
        })
        .await
        .expect("report");
    let state = canhgiac_web::AppState::new(store).await.expect("state");
    let app = canhgiac_web::router(state);
    for (q, english) in [
        ("0912 345 678", false),
        ("+84 912345678", true),
        ("0987654321", false),
        ("VCB 0123456789", false),
        // An account number alone: looked up at every bank (Vietcombank has one).
        ("0123456789", false),
        ("82353350040", true),
        ("vietcombank-hotro.com", false),
        ("https://www.vietcombank.com.vn/", true),
        ("00020101021238530010A0000007270123000697041601092576788590208QRIBFTTA53037045405100005802VN62150811Chuyen tien630453E6", false),
        ("Tài khoản của bạn bị khóa. Gọi 0912345678 hoặc vào vietcombank-hotro.com để mở khóa", false),
        ("Your account is locked, call 0912345678 now", true),
    ] {
        assert_eq!(cli(dir.path(), q, english), api(&app, q, english).await, "{q}");
    }
}
