//! `POST /api/v1/analyze/message` and the message and QR tabs of the check page.

use crate::common::*;
use axum::body::Body;
use axum::http::{Request, StatusCode};

async fn analyze(app: &axum::Router, text: &str, headers: &[(&str, &str)]) -> Answer {
    let body = serde_json::json!({ "text": text }).to_string();
    post_json(app, "/api/v1/analyze/message", &body, headers).await
}

fn span(text: &str, flag: &serde_json::Value) -> String {
    let start = flag["start"].as_u64().expect("start") as usize;
    let end = flag["end"].as_u64().expect("end") as usize;
    text.chars().skip(start).take(end - start).collect()
}

#[tokio::test]
async fn a_phishing_sms_is_high_with_its_red_flags_spans_and_identifiers() {
    let t = app().await;
    let text = "Vietcombank: tài khoản của Quý khách sẽ bị khóa sau 24h. Xác thực ngay tại https://vietcombank-xacthuc.top";
    let a = analyze(&t.app, text, &[]).await;
    assert_eq!(a.status, StatusCode::OK, "{}", a.text());
    let body = a.json();
    assert_eq!(body["level"], "high", "{body}");
    assert!(body["likelihood"].as_f64().expect("likelihood") >= 0.8);
    assert_eq!(body["methods"][0]["key"], "bank_phishing");
    let flags = body["red_flags"].as_array().expect("flags");
    let lookalike = flags
        .iter()
        .find(|f| f["label"] == "lookalike_link")
        .expect("lookalike link flagged");
    assert_eq!(span(text, lookalike), "https://vietcombank-xacthuc.top");
    let threat = flags
        .iter()
        .find(|f| f["label"] == "threat")
        .expect("threat");
    assert_eq!(span(text, threat), "bị khóa");
    assert_eq!(body["identifiers"][0]["verdict"]["level"], "suspicious");
    assert!(!body["advice"].as_array().expect("advice").is_empty());
}

#[tokio::test]
async fn legitimate_bank_otp_carrier_and_delivery_messages_are_low() {
    let t = app().await;
    for text in [
        "Ma OTP cua Quy khach la 839201. Tuyet doi KHONG cung cap ma OTP cho bat ky ai, ke ca nhan vien ngan hang.",
        "TK 1903xxxx6789 +2,500,000VND 08:15 28/11/2026. So du: 14,200,000VND. ND: Luong thang 11",
        "Viettel: Quy khach da dang ky thanh cong goi ST90, cuoc 90.000d/30 ngay. Chi tiet goi 198.",
        "GHN: Don hang GHN7HX2K9 dang duoc giao. Shipper se lien he qua so 0912345678.",
    ] {
        let body = analyze(&t.app, text, &[]).await.json();
        assert_eq!(body["level"], "low", "{text}: {body}");
        assert!(
            body["red_flags"]
                .as_array()
                .expect("flags")
                .iter()
                .all(|f| f["label"] != "credential_request"),
            "{text}: {body}"
        );
    }
}

#[tokio::test]
async fn a_reported_account_in_a_message_raises_it() {
    let t = app().await;
    let report = r#"{"channel": "zalo", "narrative": "Bị lừa chuyển tiền mua hàng", "identifiers": [{"kind": "bank_account", "bank": "MB", "value": "0987000111222"}]}"#;
    assert_eq!(
        post_json(&t.app, "/api/v1/reports", report, &[])
            .await
            .status,
        StatusCode::CREATED
    );
    t.state
        .index
        .catch_up(&t.state.store)
        .await
        .expect("catch up");
    let text = "Chào bạn, bạn chuyển cọc vào MB 0987000111222 giúp mình nhé";
    let body = analyze(&t.app, text, &[]).await.json();
    assert!(
        body["likelihood"].as_f64().expect("likelihood") >= 0.75,
        "{body}"
    );
    let flag = body["red_flags"]
        .as_array()
        .expect("flags")
        .iter()
        .find(|f| f["label"] == "reported_identifier")
        .cloned()
        .expect("reported identifier flagged");
    assert!(span(text, &flag).contains("0987000111222"));
    assert_eq!(body["identifiers"][0]["verdict"]["report_count"], 1);
}

async fn analyze_from(app: &axum::Router, text: &str, sender: &str) -> Answer {
    let body = serde_json::json!({ "text": text, "sender": sender }).to_string();
    post_json(app, "/api/v1/analyze/message", &body, &[]).await
}

#[tokio::test]
async fn the_sender_lowers_an_official_message_and_exposes_an_impersonator() {
    let t = app().await;
    let promo = "Viettel tang 20% gia tri the nap khi nap the online tai https://viettel.vn/nap-the. Chi tiet LH 198 (0d).";
    let body = analyze_from(&t.app, promo, "Viettel").await.json();
    assert_eq!(body["level"], "low", "{body}");
    assert_eq!(body["sender"]["kind"], "brandname");
    let factors = body["factors"].as_array().expect("factors");
    assert!(factors
        .iter()
        .any(|f| f["key"] == "sender" && f["effect"] == "lowers"));
    assert!(factors.iter().any(|f| f["key"] == "model_score"));

    let fake =
        "Ngan hang thong bao: tai khoan cua quy khach bi tam khoa, goi lai so nay de mo khoa";
    let body = analyze_from(&t.app, fake, "0912 345 678").await.json();
    assert_eq!(body["level"], "high", "{body}");
    assert!(body["red_flags"]
        .as_array()
        .expect("flags")
        .iter()
        .any(|f| f["label"] == "sender_impersonation"));

    // A real brandname never vouches for a lookalike link (fake base stations).
    let bts = "Vietcombank: tai khoan cua quy khach sap het han sinh trac hoc, cap nhat tai vietcombank-sinhtrachoc.top";
    let body = analyze_from(&t.app, bts, "Vietcombank").await.json();
    assert_eq!(body["level"], "high", "{body}");
}

#[tokio::test]
async fn a_sender_that_is_no_sender_is_refused_with_its_field() {
    let t = app().await;
    for sender in ["<script>", "123456789012345", "Ngân hàng"] {
        let a = analyze_from(&t.app, "Xin chao", sender).await;
        assert_eq!(a.status, StatusCode::UNPROCESSABLE_ENTITY, "{sender}");
        assert_eq!(a.json()["errors"][0]["field"], "sender", "{sender}");
        assert!(a.code().starts_with("sender_"), "{sender}");
    }
    let blank = analyze_from(&t.app, "Xin chao", "  ").await;
    assert_eq!(blank.status, StatusCode::OK);
}

#[tokio::test]
async fn bad_requests_say_what_is_wrong_in_the_asked_language() {
    let t = app().await;
    let empty = analyze(&t.app, "   ", &[]).await;
    assert_eq!(empty.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(empty.code(), "message_empty");
    assert_eq!(empty.json()["errors"][0]["field"], "text");
    let long = analyze(&t.app, &"a".repeat(5_001), &[("accept-language", "en")]).await;
    assert_eq!(long.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(long.code(), "message_too_long");
    assert!(long.json()["errors"][0]["detail"]
        .as_str()
        .expect("detail")
        .contains("5001 characters"));
    let unknown = post_json(&t.app, "/api/v1/analyze/message", r#"{"txt": "x"}"#, &[]).await;
    assert!(unknown.status.is_client_error(), "{}", unknown.text());
    let broken = post_json(&t.app, "/api/v1/analyze/message", "{", &[]).await;
    assert_eq!(broken.status, StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn free_text_in_the_check_is_also_read_as_a_message() {
    let t = app().await;
    let q = "Chúc mừng bạn trúng thưởng iPhone, nhận quà tại shopee-tri-an.top";
    let a = get(
        &t.app,
        &format!(
            "/api/v1/check?q={}",
            &serde_urlencoded::to_string([("x", q)]).expect("encode")[2..]
        ),
    )
    .await;
    assert_eq!(a.status, StatusCode::OK, "{}", a.text());
    let body = a.json();
    assert!(
        body["message"]["likelihood"].as_f64().expect("likelihood") >= 0.5,
        "{body}"
    );
    assert_eq!(body["items"][0]["level"], "suspicious");
}

#[tokio::test]
async fn the_message_tab_highlights_red_flags_without_javascript() {
    let t = app().await;
    let form = serde_urlencoded::to_string([(
        "text",
        "Mẹ ơi con bị tai nạn, mẹ chuyển gấp 20 triệu vào stk 0123456789 VCB, đừng nói với bố",
    )])
    .expect("form");
    let request = Request::post("/kiem-tra/tin-nhan")
        .header("content-type", "application/x-www-form-urlencoded")
        .body(Body::from(form))
        .expect("request");
    let page = send(&t.app, request).await;
    assert_eq!(page.status, StatusCode::OK);
    let html = page.html();
    let marks = select(&html, "blockquote.original mark");
    assert!(marks.iter().any(|m| m == "gấp"), "{marks:?}");
    assert!(marks.iter().any(|m| m == "đừng nói"), "{marks:?}");
    assert_eq!(select(&html, ".tabs a[aria-current=page]"), ["Tin nhắn"]);
    assert!(
        !select(&html, ".verdict .value").is_empty(),
        "the account gets a verdict card"
    );

    let empty = Request::post("/kiem-tra/tin-nhan")
        .header("content-type", "application/x-www-form-urlencoded")
        .body(Body::from("text="))
        .expect("request");
    let page = send(&t.app, empty).await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(select(&page.html(), ".error").len(), 1);
}

#[tokio::test]
async fn the_qr_tab_reads_a_pasted_code_and_says_why_a_bad_one_fails() {
    let t = app().await;
    let post = |payload: &'static str| {
        let boundary = "B0undary";
        let body = format!("--{boundary}\r\nContent-Disposition: form-data; name=\"payload\"\r\n\r\n{payload}\r\n--{boundary}--\r\n");
        Request::post("/kiem-tra/ma-qr")
            .header(
                "content-type",
                format!("multipart/form-data; boundary={boundary}"),
            )
            .body(Body::from(body))
            .expect("request")
    };
    let ok = send(&t.app, post("00020101021238530010A0000007270123000697041601092576788590208QRIBFTTA53037045405100005802VN62150811Chuyen tien630453E6")).await;
    assert_eq!(ok.status, StatusCode::OK, "{}", ok.text());
    assert_eq!(select(&ok.html(), ".qr-account"), ["257678859"]);
    let bad = send(&t.app, post("000201010212")).await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(select(&bad.html(), ".error").len(), 1);
    for tab in ["so", "web", "tin-nhan", "qr"] {
        assert_eq!(
            get(&t.app, &format!("/kiem-tra?tab={tab}")).await.status,
            StatusCode::OK
        );
    }
}

#[tokio::test]
async fn the_protected_brands_are_listed_with_their_real_domains() {
    let t = app().await;
    let a = get(&t.app, "/api/v1/brands").await;
    assert_eq!(a.status, StatusCode::OK);
    let body = a.json();
    let brands = body.as_array().expect("a list");
    assert!(brands.len() >= 50, "{}", brands.len());
    let vcb = brands
        .iter()
        .find(|b| b["key"] == "vietcombank")
        .expect("Vietcombank is protected");
    assert!(vcb["domains"]
        .as_array()
        .expect("domains")
        .iter()
        .any(|d| d == "vietcombank.com.vn"));
}
