//! The public pages, read through CSS selectors.

use crate::common::*;
use axum::body::Body;
use axum::http::{Request, StatusCode};

fn multipart(fields: &[(&str, &str)], files: &[(&str, &[u8])]) -> (String, Vec<u8>) {
    let boundary = "----canhgiac-test-boundary";
    let mut body = Vec::new();
    for (name, value) in fields {
        body.extend(format!("--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n").as_bytes());
    }
    for (filename, bytes) in files {
        body.extend(format!("--{boundary}\r\nContent-Disposition: form-data; name=\"evidence\"; filename=\"{filename}\"\r\nContent-Type: application/octet-stream\r\n\r\n").as_bytes());
        body.extend(*bytes);
        body.extend(b"\r\n");
    }
    body.extend(format!("--{boundary}--\r\n").as_bytes());
    (format!("multipart/form-data; boundary={boundary}"), body)
}

async fn post_form(app: &axum::Router, fields: &[(&str, &str)], files: &[(&str, &[u8])]) -> Answer {
    let (content_type, body) = multipart(fields, files);
    send(
        app,
        Request::post("/bao-cao")
            .header("content-type", content_type)
            .body(Body::from(body))
            .expect("request"),
    )
    .await
}

const PNG: &[u8] =
    b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x01\0\0\0\x01\x08\x06\0\0\0\x1f\x15\xc4\x89";

#[tokio::test]
async fn home_check_report_and_status_pages_render_in_vietnamese() {
    let t = app().await;
    for path in ["/", "/kiem-tra", "/bao-cao", "/theo-doi"] {
        let page = get(&t.app, path).await;
        assert_eq!(page.status, StatusCode::OK, "{path}");
        let html = page.html();
        assert_eq!(select(&html, "html").len(), 1);
        assert!(!select(&html, "h1").is_empty(), "{path} has a title");
        assert_eq!(attrs(&html, "html", "lang"), vec!["vi"]);
    }
    let form = get(&t.app, "/bao-cao").await.html();
    assert_eq!(select(&form, "#channel option").len(), 10);
    assert_eq!(select(&form, "h1"), vec!["Chuyện gì đã xảy ra?"]);
    assert_eq!(
        select(&form, ".step-of"),
        vec!["Báo cáo lừa đảo · Bước 1/4"]
    );
    // The fourth screen asks where the reporter lives.
    let you = post_form(
        &t.app,
        &[
            ("step", "3"),
            ("go", "next"),
            ("channel", "call"),
            ("narrative", "Bị lừa"),
        ],
        &[],
    )
    .await
    .html();
    let places = select(&you, "#place_code option");
    assert!(places.len() > 90, "communes and wards of Đồng Nai");
    assert!(places.iter().any(|p| p == "Phường Trấn Biên"));
    let english = send(
        &t.app,
        Request::get("/bao-cao")
            .header("accept-language", "en-GB,en;q=0.9")
            .body(Body::empty())
            .expect("request"),
    )
    .await;
    assert_eq!(select(&english.html(), "h1"), vec!["What happened?"]);
}

#[tokio::test]
async fn a_citizen_reports_with_the_form_confirms_found_identifiers_and_follows_the_report() {
    let t = app().await;
    let fields = [
        ("idempotency_key", "FORMKEY123"),
        ("channel", "zalo"),
        ("method", "impersonate_authority"),
        (
            "narrative",
            "Người xưng công an gọi từ số 0912 345 678 bảo chuyển tiền vào STK 0123456789 VCB.",
        ),
        ("amount_lost", "5.000.000"),
        ("i_kind_0", "phone"),
        ("i_value_0", "0912345678"),
        ("reporter_name", "Đinh Văn Toàn"),
    ];
    // First submission: the account in the narrative is offered for confirmation.
    let first = post_form(&t.app, &fields, &[("receipt.png", PNG)]).await;
    assert_eq!(first.status, StatusCode::OK, "{}", first.text());
    let html = first.html();
    let offered = select(&html, "fieldset.confirm label");
    assert_eq!(offered.len(), 1, "{offered:?}");
    assert!(offered[0].contains("Vietcombank 0123456789"));
    assert_eq!(
        select(&html, "input[name=evidence_sha]").len(),
        1,
        "the uploaded file is kept"
    );
    assert_eq!(t.state.store.report_count().await.expect("count"), 0);

    // Second submission with the confirmation.
    let sha = scraper::Selector::parse("input[name=evidence_sha]").expect("selector");
    let digest = html
        .select(&sha)
        .next()
        .and_then(|e| e.value().attr("value"))
        .expect("digest")
        .to_string();
    let mut confirmed = fields.to_vec();
    confirmed.extend([
        ("confirmed", "1"),
        ("confirm_ident", "bank_account|970436|0123456789"),
        ("evidence_sha", digest.as_str()),
    ]);
    let done = post_form(&t.app, &confirmed, &[]).await;
    assert_eq!(done.status, StatusCode::OK, "{}", done.text());
    let html = done.html();
    let code = select(&html, "#tracking-code").pop().expect("code");
    let secret = select(&html, "#secret").pop().expect("secret");
    assert!(code.starts_with("CG-"));

    // A double click sends the same form again: still one report.
    let again = post_form(&t.app, &confirmed, &[]).await;
    assert_eq!(select(&again.html(), "#tracking-code"), vec![code.clone()]);
    assert_eq!(t.state.store.report_count().await.expect("count"), 1);

    // The status page with code and secret.
    let status = status_page(&t.app, &code, &secret).await;
    assert_eq!(status.status, StatusCode::OK);
    let html = status.html();
    assert_eq!(
        select(&html, ".status"),
        vec!["Đã nhận, chờ cán bộ xem xét"]
    );
    let identifiers = select(&html, ".identifiers .value");
    assert!(
        identifiers.contains(&"0912 345 678".to_string())
            && identifiers.contains(&"Vietcombank 0123456789".to_string()),
        "{identifiers:?}"
    );
    assert!(
        !status.text().contains("Đinh Văn Toàn"),
        "the status page does not echo personal data"
    );
    let wrong = status_page(&t.app, &code, "NOPE").await;
    assert_eq!(wrong.status, StatusCode::NOT_FOUND);

    // And the check page now shows both as reported.
    for q in ["0912345678", "VCB+0123456789"] {
        let page = get(&t.app, &format!("/kiem-tra?q={q}")).await.html();
        assert_eq!(
            select(&page, ".verdict .badge"),
            vec!["Đã bị báo cáo"],
            "{q}"
        );
        assert_eq!(select(&page, ".verdict .report-count"), vec!["1"]);
    }

    // The investigator sees the picture on the report page; each view is audited; an
    // analyst neither sees nor opens it.
    add(&t, "dieutra", canhgiac_core::roles::Role::Investigator).await;
    add(&t, "phantich", canhgiac_core::roles::Role::Analyst).await;
    let inv = login(&t, "dieutra").await;
    let page = call(&t, "GET", "/console/bao-cao/1", None, Some(&inv), true).await;
    let src = attrs(&page.html(), ".evidence-list img", "src");
    assert_eq!(src, vec![format!("/console/bao-cao/1/bang-chung/{digest}")]);
    let picture = call(&t, "GET", &src[0], None, Some(&inv), true).await;
    assert_eq!(picture.status, StatusCode::OK);
    assert_eq!(
        picture
            .headers
            .get("content-type")
            .and_then(|v| v.to_str().ok()),
        Some("image/png")
    );
    assert_eq!(picture.body.as_slice(), PNG);
    let entries = t
        .state
        .store
        .audit_entries(None, 10, Some("evidence.view"))
        .await
        .expect("audit");
    assert_eq!(entries.len(), 1);
    let ana = login(&t, "phantich").await;
    let page = call(&t, "GET", "/console/bao-cao/1", None, Some(&ana), true).await;
    assert!(select(&page.html(), ".evidence-list").is_empty());
    let refused = call(&t, "GET", &src[0], None, Some(&ana), true).await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    let other = format!("/console/bao-cao/1/bang-chung/{}", "a".repeat(64));
    assert_eq!(
        call(&t, "GET", &other, None, Some(&inv), true).await.status,
        StatusCode::NOT_FOUND
    );
}

/// The guided form: a screen is checked before the next is shown, its errors are
/// linked from the summary and said beside their field, and what was typed is kept.
#[tokio::test]
async fn form_errors_are_shown_beside_the_kept_values() {
    let t = app().await;
    let codes_of = |html: &scraper::Html| attrs(html, ".error-summary li", "data-code");
    // Screen 1 without the required answers stays on screen 1.
    let empty = post_form(&t.app, &[("step", "1"), ("go", "next")], &[]).await;
    assert_eq!(empty.status, StatusCode::UNPROCESSABLE_ENTITY);
    let html = empty.html();
    assert_eq!(
        codes_of(&html),
        vec!["channel_missing", "narrative_missing"]
    );
    assert_eq!(attrs(&html, "input[name=step]", "value"), vec!["1"]);

    let mut fields = vec![
        ("channel", "call"),
        ("narrative", "Bị lừa"),
        ("amount_lost", "năm triệu"),
        ("i_kind_0", "bank_account"),
        ("i_value_0", "0123456789"),
        ("i_bank_0", "Vietcombnk"),
    ];
    // Screen 1 is right: screen 2 follows, whatever later screens hold.
    let mut first = fields.clone();
    first.extend([("step", "1"), ("go", "next")]);
    let paid = post_form(&t.app, &first, &[]).await;
    assert_eq!(paid.status, StatusCode::OK);
    assert_eq!(attrs(&paid.html(), "input[name=step]", "value"), vec!["2"]);
    // Screen 2 with an unreadable amount: the error is beside the amount.
    let mut second = fields.clone();
    second.extend([("step", "2"), ("go", "next")]);
    let answer = post_form(&t.app, &second, &[]).await;
    assert_eq!(answer.status, StatusCode::UNPROCESSABLE_ENTITY);
    let html = answer.html();
    assert_eq!(codes_of(&html), vec!["amount_invalid"]);
    assert_eq!(
        attrs(&html, ".error-summary li a", "href"),
        vec!["#amount_lost"]
    );
    assert_eq!(select(&html, "p#amount_lost-error").len(), 1);
    assert_eq!(attrs(&html, "#amount_lost", "aria-invalid"), vec!["true"]);
    assert_eq!(attrs(&html, "#amount_lost", "value"), vec!["năm triệu"]);
    // The other screens' answers travel with the form.
    assert_eq!(
        attrs(&html, "input[type=hidden][name=narrative]", "value"),
        vec!["Bị lừa"]
    );
    // "Back" checks nothing.
    let mut back = fields.clone();
    back.extend([("step", "2"), ("go", "back")]);
    let back = post_form(&t.app, &back, &[]).await;
    assert_eq!(back.status, StatusCode::OK);
    let narrative = scraper::Selector::parse("#narrative").expect("selector");
    assert_eq!(
        back.html()
            .select(&narrative)
            .next()
            .map(|e| e.text().collect::<String>()),
        Some("Bị lừa".to_string())
    );
    // Screen 3 with an unknown bank: screen 3 again, with its error.
    fields[2] = ("amount_lost", "5 triệu");
    let mut third = fields.clone();
    third.extend([("step", "3"), ("go", "next")]);
    let answer = post_form(&t.app, &third, &[]).await;
    assert_eq!(answer.status, StatusCode::UNPROCESSABLE_ENTITY);
    let html = answer.html();
    assert_eq!(codes_of(&html), vec!["bank_unknown"]);
    assert_eq!(select(&html, "p#i_bank_0-error").len(), 1);
    // A form sent whole (no screen) shows the first screen with a mistake.
    fields[2] = ("amount_lost", "năm triệu");
    let whole = post_form(&t.app, &fields, &[]).await;
    assert_eq!(whole.status, StatusCode::UNPROCESSABLE_ENTITY);
    let html = whole.html();
    assert_eq!(codes_of(&html), vec!["amount_invalid"]);
    assert_eq!(attrs(&html, "input[name=step]", "value"), vec!["2"]);
    assert_eq!(t.state.store.report_count().await.expect("count"), 0);

    let pdf = post_form(
        &t.app,
        &[("channel", "call"), ("narrative", "Bị lừa")],
        &[("x.pdf", b"%PDF-1.4")],
    )
    .await;
    assert_eq!(pdf.status, StatusCode::UNSUPPORTED_MEDIA_TYPE);
    assert!(pdf.text().contains("evidence_unsupported_type"));
    assert_eq!(t.state.store.report_count().await.expect("count"), 0);
}

#[tokio::test]
async fn the_check_page_shows_each_identifier_of_a_message_and_a_way_to_report() {
    let t = app().await;
    let page = get(
        &t.app,
        "/kiem-tra?q=G%E1%BB%8Di+0912345678+ho%E1%BA%B7c+v%C3%A0o+vietcombank-hotro.com.vn",
    )
    .await
    .html();
    // the text read as a message, then one card per identifier
    assert_eq!(select(&page, ".verdict.message").len(), 1);
    assert_eq!(select(&page, ".results .verdict").len(), 2);
    assert_eq!(
        select(&page, ".results .verdict .badge"),
        // The website imitates Vietcombank: suspicious even unreported.
        vec!["Chưa có báo cáo", "Đáng ngờ"]
    );
    let links = scraper::Selector::parse(".results .verdict a.button").expect("selector");
    let hrefs: Vec<&str> = page
        .select(&links)
        .filter_map(|a| a.value().attr("href"))
        .collect();
    assert!(hrefs[0].starts_with("/bao-cao?kind=phone"), "{hrefs:?}");
    // The report starts with what happened; the number waits for the third screen.
    let prefilled = get(&t.app, hrefs[0]).await.html();
    let value = scraper::Selector::parse("input[type=hidden][name=i_value_0]").expect("selector");
    assert_eq!(
        prefilled
            .select(&value)
            .next()
            .and_then(|e| e.value().attr("value")),
        Some("0912 345 678")
    );
    let bad = get(&t.app, "/kiem-tra?q=09123").await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(select(&bad.html(), ".error")[0].contains("quá ngắn"));
}

#[tokio::test]
async fn unknown_pages_are_a_friendly_404() {
    let t = app().await;
    let page = get(&t.app, "/khong-co").await;
    assert_eq!(page.status, StatusCode::NOT_FOUND);
    assert_eq!(select(&page.html(), "h1"), vec!["Không tìm thấy trang"]);
}

#[tokio::test]
async fn the_language_switch_is_remembered() {
    let t = app().await;
    let switched = get(&t.app, "/?lang=en").await;
    let cookie = switched
        .headers
        .get("set-cookie")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_string();
    assert!(cookie.starts_with("lang=en;"), "{cookie}");
    assert_eq!(
        select(&switched.html(), "nav a[lang=vi]"),
        vec!["Tiếng Việt"]
    );
    let next = send(
        &t.app,
        Request::get("/bao-cao")
            .header("cookie", "lang=en")
            .body(Body::empty())
            .expect("request"),
    )
    .await;
    assert_eq!(select(&next.html(), "h1"), vec!["What happened?"]);
}

/// A bank account number alone (as people look accounts up) is checked at every bank;
/// digits that are also a phone number get both answers; a number no bank knows is
/// said to be unknown, not refused as a bad phone number.
#[tokio::test]
async fn a_bare_account_number_is_checked_at_every_bank() {
    let t = app().await;
    for (bank, account) in [("ACB", "82353350040"), ("VCB", "0912345678")] {
        let body = serde_json::json!({
            "channel": "facebook",
            "narrative": "Người bán trên mạng nhận tiền đặt cọc rồi chặn liên lạc.",
            "amount_lost_vnd": 12000000,
            "transfers": [{"bank": bank, "account": account, "amount_vnd": 12000000}]
        })
        .to_string();
        let a = post_json(&t.app, "/api/v1/reports", &body, &[]).await;
        assert_eq!(a.status, StatusCode::CREATED, "{}", a.text());
    }
    t.state.index.catch_up(&t.state.store).await.expect("index");

    let api = get(&t.app, "/api/v1/check?q=82353350040").await;
    assert_eq!(api.status, StatusCode::OK, "{}", api.text());
    let json = api.json();
    assert_eq!(json["number"], "82353350040");
    assert!(json["phone"].is_null());
    assert_eq!(json["accounts"][0]["display"], "ACB 82353350040");
    assert_eq!(json["accounts"][0]["report_count"], 1);

    let page = get(&t.app, "/kiem-tra?q=82353350040").await;
    assert_eq!(page.status, StatusCode::OK);
    let html = page.html();
    assert_eq!(
        select(&html, ".number-check .banks-found strong"),
        vec!["1"]
    );
    assert_eq!(
        select(&html, ".results .verdict .badge"),
        vec!["Đã bị báo cáo"]
    );

    // The digits of a phone number that is also a reported account: both answers.
    let both = get(&t.app, "/kiem-tra?q=0912345678").await.html();
    assert_eq!(
        select(&both, ".results .verdict .badge"),
        vec!["Chưa có báo cáo", "Đã bị báo cáo"],
        "the phone number first, then the account at Vietcombank"
    );

    // A number no bank has reports on.
    let unknown = get(&t.app, "/kiem-tra?q=1012345678").await;
    assert_eq!(unknown.status, StatusCode::OK);
    assert_eq!(select(&unknown.html(), ".number-check .no-bank").len(), 1);
}

/// Amounts are read as people write them and echoed back on the receipt; a wrong one
/// is named with its field; a time later than now is refused.
#[tokio::test]
async fn amounts_as_people_write_them_and_no_time_in_the_future() {
    let t = app().await;
    let base = [
        ("channel", "facebook"),
        (
            "narrative",
            "Người bán trên mạng nhận tiền đặt cọc rồi chặn liên lạc.",
        ),
        ("t_bank_0", "ACB"),
        ("t_account_0", "82353350040"),
    ];
    let mut fields = base.to_vec();
    fields.extend([
        ("amount_lost", "1,5 tỷ"),
        ("t_amount_0", "15tr"),
        ("confirmed", "1"),
    ]);
    let done = post_form(&t.app, &fields, &[]).await;
    assert_eq!(done.status, StatusCode::OK, "{}", done.text());
    assert_eq!(
        select(&done.html(), ".amounts-read dd"),
        vec!["1.500.000.000 đ", "15.000.000 đ"]
    );

    let mut fields = base.to_vec();
    fields.extend([("amount_lost", "15 triệu"), ("t_amount_0", "mười lăm")]);
    let bad = post_form(&t.app, &fields, &[]).await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    let errors = select(&bad.html(), ".error-summary li");
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert!(
        errors[0].contains("Số tiền của lần chuyển thứ 1"),
        "{errors:?}"
    );

    let tomorrow = (time::OffsetDateTime::now_utc() + time::Duration::days(1))
        .to_offset(time::macros::offset!(+7));
    let when = format!(
        "{:04}-{:02}-{:02}T10:00",
        tomorrow.year(),
        u8::from(tomorrow.month()),
        tomorrow.day()
    );
    let mut fields = base.to_vec();
    fields.extend([("contacted_at", when.as_str()), ("confirmed", "1")]);
    let future = post_form(&t.app, &fields, &[]).await;
    assert_eq!(future.status, StatusCode::UNPROCESSABLE_ENTITY);
    let codes = attrs(&future.html(), ".error-summary li", "data-code");
    assert_eq!(codes, vec!["contacted_at_future"]);
    assert_eq!(t.state.store.report_count().await.expect("count"), 1);
}

/// The receipt says what happens next; the status page shows the statutory deadline
/// once the police received the report, and whether a bank hold was requested.
#[tokio::test]
async fn the_reporter_sees_the_deadline_and_the_hold() {
    let t = app().await;
    let body = serde_json::json!({
        "channel": "facebook",
        "narrative": "Người bán trên mạng nhận tiền đặt cọc rồi chặn liên lạc.",
        "amount_lost_vnd": 12000000,
        "transfers": [{"bank": "ACB", "account": "82353350040", "amount_vnd": 12000000}]
    })
    .to_string();
    let a = post_json(&t.app, "/api/v1/reports", &body, &[]).await;
    let (code, secret) = (
        a.json()["tracking_code"]
            .as_str()
            .expect("code")
            .to_string(),
        a.json()["secret"].as_str().expect("secret").to_string(),
    );
    let before = status_page(&t.app, &code, &secret).await.html();
    assert!(select(&before, ".deadline").is_empty());
    assert_eq!(select(&before, ".holds"), vec!["Chưa"]);

    add(&t, "lan", canhgiac_core::roles::Role::Investigator).await;
    let inv = login(&t, "lan").await;
    let a = call(
        &t,
        "POST",
        "/console/bao-cao/1/buoc",
        Some("action=receive"),
        Some(&inv),
        true,
    )
    .await;
    assert_eq!(a.status, StatusCode::SEE_OTHER);
    let a = call(
        &t,
        "POST",
        "/console/bao-cao/1/tam-giu",
        Some(""),
        Some(&inv),
        true,
    )
    .await;
    assert_eq!(a.status, StatusCode::SEE_OTHER, "{}", a.text());
    let a = call(
        &t,
        "POST",
        "/console/tam-giu/1/trang-thai",
        Some("state=sent&from=created"),
        Some(&inv),
        true,
    )
    .await;
    assert_eq!(a.status, StatusCode::SEE_OTHER, "{}", a.text());

    let after = status_page(&t.app, &code, &secret).await.html();
    let deadline = select(&after, ".deadline");
    assert_eq!(deadline.len(), 1);
    assert!(
        deadline[0].len() == 10 && deadline[0].chars().nth(2) == Some('/'),
        "{deadline:?}"
    );
    assert_eq!(select(&after, ".holds"), vec!["Đã gửi 1"]);
}

/// The guided report form from the first screen to the receipt, as a browser without
/// JavaScript sends it: each screen sends its own answers plus the hidden ones.
#[tokio::test]
async fn the_guided_form_goes_screen_by_screen_to_one_report() {
    let t = app().await;
    // Every input of a page, as the browser would send it again.
    let inputs = |html: &scraper::Html| -> Vec<(String, String)> {
        let s = scraper::Selector::parse(
            "form.report input[type=hidden], form.report input[type=checkbox][checked]",
        )
        .expect("selector");
        html.select(&s)
            .filter_map(|e| {
                Some((
                    e.value().attr("name")?.to_string(),
                    e.value().attr("value").unwrap_or("").to_string(),
                ))
            })
            .filter(|(name, _)| name != "step")
            .collect()
    };
    let next = |html: &scraper::Html, step: &str, go: &str, typed: &[(&str, &str)]| {
        let mut fields = inputs(html);
        fields.push(("step".into(), step.into()));
        fields.push(("go".into(), go.into()));
        fields.extend(typed.iter().map(|(k, v)| (k.to_string(), v.to_string())));
        fields
    };
    let send = |fields: Vec<(String, String)>, files: &'static [(&'static str, &'static [u8])]| {
        let app = t.app.clone();
        async move {
            let borrowed: Vec<(&str, &str)> = fields
                .iter()
                .map(|(k, v)| (k.as_str(), v.as_str()))
                .collect();
            post_form(&app, &borrowed, files).await
        }
    };
    let start = get(&t.app, "/bao-cao").await.html();
    let paid = send(
        next(&start, "1", "next", &[
            ("channel", "zalo"),
            ("narrative", "Người xưng nhân viên ngân hàng bảo chuyển tiền vào STK 0123456789 VCB để hoàn phí."),
        ]),
        &[("receipt.png", PNG)],
    )
    .await;
    assert_eq!(paid.status, StatusCode::OK, "{}", paid.text());
    let paid = paid.html();
    assert_eq!(select(&paid, "h1"), vec!["Bạn đã mất tiền thế nào?"]);
    assert_eq!(
        select(&paid, "input[name=evidence_sha]").len(),
        1,
        "the picture is kept"
    );
    let contacted = send(next(&paid, "2", "next", &[("amount_lost", "2tr5")]), &[])
        .await
        .html();
    // The account in the narrative is offered, ticked.
    assert_eq!(
        select(&contacted, "fieldset.confirm label"),
        vec!["Tài khoản ngân hàng: Vietcombank 0123456789"]
    );
    let you = send(
        next(
            &contacted,
            "3",
            "next",
            &[("i_kind_0", "phone"), ("i_value_0", "0912 345 678")],
        ),
        &[],
    )
    .await
    .html();
    assert_eq!(select(&you, "h1"), vec!["Thông tin của bạn"]);
    let review = send(
        next(&you, "4", "next", &[("reporter_name", "Lê Thị Mai")]),
        &[],
    )
    .await
    .html();
    assert_eq!(select(&review, "h1"), vec!["Kiểm tra lại trước khi gửi"]);
    let answers = select(&review, ".review dd");
    for expected in [
        "2.500.000 đ",
        "1 tệp",
        "0912 345 678",
        "Tài khoản ngân hàng: Vietcombank 0123456789",
        "Lê Thị Mai",
    ] {
        assert!(
            answers.iter().any(|a| a == expected),
            "{expected} in {answers:?}"
        );
    }
    assert_eq!(
        select(&review, ".review button").len(),
        4,
        "one change button per screen"
    );
    assert_eq!(t.state.store.report_count().await.expect("count"), 0);
    // Changing an earlier screen from the review keeps everything else.
    let again = send(next(&review, "5", "edit-2", &[]), &[]).await.html();
    assert_eq!(attrs(&again, "#amount_lost", "value"), vec!["2tr5"]);

    let done = send(next(&review, "5", "send", &[]), &[]).await;
    assert_eq!(done.status, StatusCode::OK, "{}", done.text());
    let done = done.html();
    assert!(select(&done, "#tracking-code")[0].starts_with("CG-"));
    assert_eq!(select(&done, ".amounts-read dd"), vec!["2.500.000 đ"]);
    assert_eq!(t.state.store.report_count().await.expect("count"), 1);
    let (code, secret) = (
        select(&done, "#tracking-code").remove(0),
        select(&done, "#secret").remove(0),
    );
    let status = status_page(&t.app, &code, &secret).await.html();
    let listed = select(&status, ".identifiers .value");
    assert!(
        listed.iter().any(|i| i == "Vietcombank 0123456789"),
        "{listed:?}"
    );
    assert!(listed.iter().any(|i| i == "0912 345 678"), "{listed:?}");
}
