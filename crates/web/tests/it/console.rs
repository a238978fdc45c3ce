//! The police console and officer API: every route against every role and anonymous
//! access, CSRF, sign-in, handling through the API, bad input, and privacy at rest.

use crate::common::{
    add, app, attrs, call, docx_text, get, login, post_json, publish_form, select, send,
    with_report, Login, TestApp, EXAMPLE, METHOD_EDIT, PASSWORD,
};
use axum::body::Body;
use axum::http::{Request, StatusCode};
use canhgiac_core::roles::Role;

/// Every file of the data directory (database, its WAL, the search file) as text.
async fn data_files_text(t: &TestApp) -> String {
    canhgiac_store::testing::stored_text(&t.state.store)
        .await
        .expect("stored text")
}

/// (method, path, body, is a page form, roles allowed)
type Route = (
    &'static str,
    &'static str,
    Option<&'static str>,
    bool,
    &'static [Role],
);

const ALL: [Role; 6] = [
    Role::Admin,
    Role::Leader,
    Role::Investigator,
    Role::Analyst,
    Role::Liaison,
    Role::Oversight,
];
const READERS: &[Role] = &[Role::Admin, Role::Leader, Role::Investigator, Role::Analyst];
const HANDLERS: &[Role] = &[Role::Admin, Role::Leader, Role::Investigator];
const MANAGERS: &[Role] = &[Role::Admin, Role::Leader];
const ADMINS: &[Role] = &[Role::Admin];
const EDITORS: &[Role] = &[Role::Admin, Role::Leader, Role::Analyst];
const RECORDERS: &[Role] = &[Role::Admin, Role::Liaison];
const ACTIVITY_PAGE: &[Role] = &[Role::Admin, Role::Leader, Role::Analyst, Role::Liaison];
const STATISTICS: &[Role] = &[Role::Admin, Role::Leader, Role::Analyst, Role::Oversight];

#[tokio::test]
async fn every_console_route_answers_each_role_as_the_matrix_says() {
    let t = app().await;
    with_report(&t).await;
    let mut logins = Vec::new();
    for role in ALL {
        let name = format!("matrix.{}", role.as_str());
        add(&t, &name, role).await;
        logins.push((role, login(&t, &name).await));
    }
    let routes: Vec<Route> = vec![
        // liaisons are sent on to their activities page
        ("GET", "/console", None, true, &ALL),
        ("GET", "/console?q=cong+an&status=all", None, true, &ALL),
        ("GET", "/console/bao-cao/1", None, true, READERS),
        (
            "GET",
            "/console/bao-cao/1/bang-chung/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
            None,
            true,
            HANDLERS,
        ),
        ("GET", "/console/han-xu-ly", None, true, READERS),
        ("GET", "/console/duong-day", None, true, READERS),
        ("GET", "/console/duong-day/1", None, true, READERS),
        ("GET", "/console/tam-giu", None, true, READERS),
        ("GET", "/console/khieu-nai", None, true, READERS),
        ("GET", "/console/thuong-hieu", None, true, READERS),
        (
            "POST",
            "/console/thuong-hieu",
            Some("key=matrix&name=Matrix&category=bank&domains=matrix-bank.vn"),
            true,
            EDITORS,
        ),
        ("GET", "/console/khieu-nai/1", None, true, READERS),
        ("GET", "/console/xu-huong", None, true, READERS),
        ("GET", "/console/thong-ke", None, true, STATISTICS),
        ("GET", "/console/thong-ke?ky=2026&xa=26734", None, true, STATISTICS),
        ("GET", "/console/thong-ke.csv?ky=2026-Q4", None, true, STATISTICS),
        ("GET", "/console/thong-ke.xlsx?ky=2026-Q4", None, true, STATISTICS),
        ("GET", "/api/v1/officer/stats?period=2026-H2", None, false, STATISTICS),
        ("GET", "/console/bao-cao-dinh-ky", None, true, STATISTICS),
        ("GET", "/console/dot-cao-diem", None, true, STATISTICS),
        (
            "POST",
            "/console/dot-cao-diem",
            Some("name=Cao+%C4%91i%E1%BB%83m&from=2026-11-01&to=2026-11-30&channels=zalo"),
            true,
            MANAGERS,
        ),
        ("GET", "/console/dot-cao-diem/1", None, true, STATISTICS),
        ("GET", "/console/lo-hong?ky=2026", None, true, EDITORS),
        ("GET", "/console/lo-hong.csv", None, true, EDITORS),
        ("GET", "/console/lo-hong.xlsx", None, true, EDITORS),
        ("POST", "/console/bao-cao-dinh-ky", Some("ky=2026-Q3"), true, EDITORS),
        ("GET", "/console/bao-cao-dinh-ky/1", None, true, STATISTICS),
        ("GET", "/console/bao-cao-dinh-ky/1/bao-cao.docx", None, true, STATISTICS),
        ("GET", "/console/bao-cao-dinh-ky/1/bao-cao.pdf", None, true, STATISTICS),
        (
            "POST",
            "/console/bao-cao-dinh-ky/1",
            Some("version=999&number=1%2FBC"),
            true,
            EDITORS,
        ),
        ("GET", "/console/mau-moi", None, true, READERS),
        ("GET", "/console/thu-doan", None, true, READERS),
        ("GET", "/console/thu-doan/romance", None, true, EDITORS),
        ("GET", "/console/thu-doan/moi", None, true, EDITORS),
        (
            "POST",
            "/console/thu-doan/romance",
            Some(METHOD_EDIT),
            true,
            EDITORS,
        ),
        (
            "GET",
            "/console/thu-doan/romance/lich-su",
            None,
            true,
            READERS,
        ),
        (
            "GET",
            "/console/thu-doan/romance/phien-ban/1",
            None,
            true,
            READERS,
        ),
        ("GET", "/console/hoat-dong", None, true, ACTIVITY_PAGE),
        (
            "POST",
            "/console/hoat-dong",
            Some("kind=sms&held_on=2026-01-01&audience=public&reached=10"),
            true,
            RECORDERS,
        ),
        ("GET", "/console/hoat-dong/tong-hop", None, true, EDITORS),
        (
            "GET",
            "/console/hoat-dong/tong-hop.csv?ky=2026-Q4",
            None,
            true,
            EDITORS,
        ),
        ("GET", "/console/co-quan", None, true, EDITORS),
        (
            "POST",
            "/console/co-quan",
            Some("name=Tr%C6%B0%E1%BB%9Dng+ma+tr%E1%BA%ADn&kind=school"),
            true,
            EDITORS,
        ),
        ("GET", "/console/ban-tin", None, true, READERS),
        (
            "POST",
            "/console/ban-tin",
            Some("methods=romance&audience=public&channels=sms"),
            true,
            EDITORS,
        ),
        ("GET", "/console/ban-tin/1", None, true, READERS),
        ("GET", "/console/ban-tin/1/to-roi.pdf", None, true, READERS),
        (
            "POST",
            "/console/ban-tin/1",
            Some("title=Ma+tr%E1%BA%ADn&sms=x&sms_plain=x"),
            true,
            EDITORS,
        ),
        (
            "POST",
            "/console/ban-tin/1/cong-bo",
            Some(""),
            true,
            EDITORS,
        ),
        (
            "POST",
            "/console/khieu-nai/1/quyet-dinh",
            Some("decision=keep&reason=x"),
            true,
            HANDLERS,
        ),
        (
            "POST",
            "/console/khieu-nai/1/lien-he",
            Some("reason=x"),
            true,
            HANDLERS,
        ),
        ("GET", "/console/tam-giu/1", None, true, READERS),
        (
            "GET",
            "/console/tam-giu/1/de-nghi.docx",
            None,
            true,
            READERS,
        ),
        (
            "POST",
            "/console/bao-cao/1/tam-giu",
            Some("ring=1"),
            true,
            HANDLERS,
        ),
        (
            "POST",
            "/console/bao-cao/1/thu-hoi",
            Some("amount=1000&note=x"),
            true,
            HANDLERS,
        ),
        (
            "POST",
            "/console/tam-giu/1/trang-thai",
            Some("state=sent"),
            true,
            HANDLERS,
        ),
        ("GET", "/console/nhat-ky", None, true, ADMINS),
        ("GET", "/console/mat-khau", None, true, &ALL),
        (
            "POST",
            "/console/hang-loat",
            Some("action=assign&id=1&officer=3"),
            true,
            MANAGERS,
        ),
        (
            "POST",
            "/console/bao-cao/1/buoc",
            Some("action=receive"),
            true,
            HANDLERS,
        ),
        (
            "POST",
            "/console/bao-cao/1/nguoi-bao-cao",
            Some("reason=x%C3%A1c+minh"),
            true,
            HANDLERS,
        ),
        (
            "POST",
            "/console/dinh-danh",
            Some("key=phone%3A%2B84912345678&verdict=verified&reason=ok&back=1"),
            true,
            HANDLERS,
        ),
        ("GET", "/api/v1/officer/reports", None, false, READERS),
        ("GET", "/api/v1/officer/reports/1", None, false, READERS),
        ("GET", "/api/v1/officer/deadlines", None, false, READERS),
        ("GET", "/api/v1/officer/rings", None, false, READERS),
        ("GET", "/api/v1/officer/rings/1", None, false, READERS),
        ("GET", "/api/v1/officer/holds", None, false, READERS),
        ("GET", "/api/v1/officer/disputes", None, false, READERS),
        (
            "PUT",
            "/api/v1/brands/matrix2",
            Some(r#"{"name":"Matrix","category":"bank","domains":["matrix2-bank.vn"]}"#),
            false,
            EDITORS,
        ),
        ("DELETE", "/api/v1/brands/nope", None, false, EDITORS),
        (
            "POST",
            "/api/v1/officer/disputes/1/decision",
            Some(r#"{"decision":"keep","reason":"x"}"#),
            false,
            HANDLERS,
        ),
        ("GET", "/api/v1/officer/holds/1", None, false, READERS),
        (
            "POST",
            "/api/v1/officer/reports/1/holds",
            Some("{}"),
            false,
            HANDLERS,
        ),
        (
            "POST",
            "/api/v1/officer/holds/1/state",
            Some(r#"{"state":"sent"}"#),
            false,
            HANDLERS,
        ),
        (
            "POST",
            "/api/v1/officer/reports/1/recoveries",
            Some(r#"{"amount_vnd":1000}"#),
            false,
            HANDLERS,
        ),
        ("GET", "/api/v1/officer/audit", None, false, ADMINS),
        (
            "POST",
            "/api/v1/officer/reports/bulk",
            Some(r#"{"ids":[1],"action":"assign","officer_id":3}"#),
            false,
            MANAGERS,
        ),
        (
            "POST",
            "/api/v1/officer/reports/1/steps",
            Some(r#"{"action":"receive"}"#),
            false,
            HANDLERS,
        ),
        (
            "POST",
            "/api/v1/officer/reports/1/reporter",
            Some(r#"{"reason":"gọi lại"}"#),
            false,
            HANDLERS,
        ),
        (
            "PUT",
            "/api/v1/officer/identifiers/phone:+84912345678",
            Some(r#"{"verdict":"verified","reason":"ok"}"#),
            false,
            HANDLERS,
        ),
    ];
    for (method, path, body, form, allowed) in &routes {
        let anon = call(&t, method, path, *body, None, *form).await;
        if path.starts_with("/api/") {
            assert_eq!(
                anon.status,
                StatusCode::UNAUTHORIZED,
                "anonymous {method} {path}"
            );
            assert_eq!(anon.code(), "unauthenticated");
        } else {
            assert_eq!(
                anon.status,
                StatusCode::SEE_OTHER,
                "anonymous {method} {path}"
            );
            let to = anon
                .headers
                .get("location")
                .and_then(|v| v.to_str().ok())
                .unwrap_or("");
            assert!(to.starts_with("/console/dang-nhap"), "{to}");
        }
        for (role, l) in &logins {
            let a = call(&t, method, path, *body, Some(l), *form).await;
            assert!(
                a.status.as_u16() < 500,
                "{method} {path} as {role:?}: {}",
                a.status
            );
            if allowed.contains(role) {
                assert!(
                    a.status != StatusCode::FORBIDDEN && a.status != StatusCode::UNAUTHORIZED,
                    "{method} {path} as {role:?} should be allowed: {} {}",
                    a.status,
                    a.text()
                );
            } else {
                assert_eq!(
                    a.status,
                    StatusCode::FORBIDDEN,
                    "{method} {path} as {role:?} should be refused: {}",
                    a.text()
                );
            }
        }
    }
}

#[tokio::test]
async fn forms_and_api_calls_need_the_session_csrf_token() {
    let t = app().await;
    with_report(&t).await;
    add(&t, "lead", Role::Leader).await;
    let l = login(&t, "lead").await;
    // A form without the token, or with another session's token.
    let r = Request::post("/console/bao-cao/1/buoc")
        .header("cookie", l.cookie.clone())
        .header("content-type", "application/x-www-form-urlencoded")
        .body(Body::from("action=receive&csrf=forged"))
        .expect("request");
    assert_eq!(send(&t.app, r).await.status, StatusCode::FORBIDDEN);
    let r = Request::post("/api/v1/officer/reports/1/steps")
        .header("cookie", l.cookie.clone())
        .header("content-type", "application/json")
        .body(Body::from(r#"{"action":"receive"}"#))
        .expect("request");
    let a = send(&t.app, r).await;
    assert_eq!(a.status, StatusCode::FORBIDDEN);
    assert_eq!(a.code(), "csrf_invalid");
    // Nothing happened.
    let a = call(
        &t,
        "GET",
        "/api/v1/officer/reports/1",
        None,
        Some(&l),
        false,
    )
    .await;
    assert_eq!(a.json()["status"], "received");
}

#[tokio::test]
async fn the_sign_in_page_checks_its_token_locks_out_and_signs_out() {
    let t = app().await;
    add(&t, "lan", Role::Investigator).await;
    let page = get(&t.app, "/console/dang-nhap?next=/console/han-xu-ly").await;
    assert_eq!(page.status, StatusCode::OK);
    let set = page
        .headers
        .get("set-cookie")
        .and_then(|v| v.to_str().ok())
        .expect("login cookie");
    let pair = set.split(';').next().expect("pair").to_string();
    let token = pair.split_once('=').expect("=").1.to_string();
    let submit = |password: &str, token: &str| {
        Request::post("/console/dang-nhap")
            .header("cookie", pair.clone())
            .header("content-type", "application/x-www-form-urlencoded")
            .body(Body::from(format!(
                "login_csrf={token}&next=%2Fconsole%2Fhan-xu-ly&username=lan&password={}",
                password.replace(' ', "+")
            )))
            .expect("request")
    };
    // A forged form is refused before the password is even tried.
    let a = send(&t.app, submit(PASSWORD, "forged")).await;
    assert_eq!(a.status, StatusCode::UNAUTHORIZED);
    assert!(select(&a.html(), "p.error[role=alert]")[0].contains("hết hạn"));
    let ok = send(&t.app, submit(PASSWORD, &token)).await;
    assert_eq!(ok.status, StatusCode::SEE_OTHER);
    assert_eq!(
        ok.headers.get("location").and_then(|v| v.to_str().ok()),
        Some("/console/han-xu-ly")
    );
    for _ in 0..4 {
        let a = send(&t.app, submit("sai mat khau roi", &token)).await;
        assert!(
            select(&a.html(), "p.error[role=alert]")[0].contains("Sai tên đăng nhập hoặc mật khẩu")
        );
    }
    let a = send(&t.app, submit("sai mat khau roi", &token)).await;
    assert!(
        select(&a.html(), "p.error[role=alert]")[0].contains("tạm khóa"),
        "{}",
        a.text()
    );
    let a = post_json(
        &t.app,
        "/api/v1/officer/session",
        &serde_json::json!({"username": "lan", "password": PASSWORD}).to_string(),
        &[("accept-language", "en")],
    )
    .await;
    assert_eq!(a.status, StatusCode::TOO_MANY_REQUESTS);
    assert!(a.headers.get("retry-after").is_some());
    assert_eq!(
        a.json()["errors"][0]["detail"],
        "The account is locked after repeated failures."
    );

    add(&t, "minh", Role::Analyst).await;
    let l = login(&t, "minh").await;
    let out = call(&t, "POST", "/console/dang-xuat", Some(""), Some(&l), true).await;
    assert_eq!(out.status, StatusCode::SEE_OTHER);
    let a = call(&t, "GET", "/api/v1/officer/reports", None, Some(&l), false).await;
    assert_eq!(a.status, StatusCode::UNAUTHORIZED, "the session ended");
}

#[tokio::test]
async fn handling_through_the_api_follows_the_clock_and_reaches_the_public_check() {
    let t = app().await;
    with_report(&t).await;
    add(&t, "inv", Role::Investigator).await;
    add(&t, "lead", Role::Leader).await;
    let inv = login(&t, "inv").await;
    let lead = login(&t, "lead").await;
    let step = |l: &Login, body: &'static str| {
        let l = l.clone();
        let t = &t;
        async move {
            call(
                t,
                "POST",
                "/api/v1/officer/reports/1/steps",
                Some(body),
                Some(&l),
                false,
            )
            .await
        }
    };
    let a = step(&inv, r#"{"action":"receive"}"#).await;
    assert_eq!(a.status, StatusCode::OK, "{}", a.text());
    let r = a.json();
    assert_eq!(r["status"], "accepted");
    assert_eq!(r["clock"]["days_left"], 20);
    assert_eq!(r["clock"]["state"], "running");
    assert!(
        r.get("reporter").is_none() && !a.text().contains("Hồng Nhung"),
        "no reporter data in the report"
    );

    // Bad input: specific errors, never a 500.
    for (body, status, code) in [
        (r#"{"action":"fly"}"#, 422, "invalid_step"),
        (
            r#"{"action":"request_extension","until":"31/12/2026","reason":"x"}"#,
            422,
            "invalid_step",
        ),
        (
            r#"{"action":"request_extension","until":"2099-01-01","reason":"phức tạp"}"#,
            422,
            "time_limit",
        ),
        (
            r#"{"action":"request_extension","until":"2099-01-01"}"#,
            422,
            "reason_required",
        ),
        (r#"{"action":"receive"}"#, 409, "wrong_status"),
        (
            r#"{"action":"open_case","reason":"QĐ 1"}"#,
            403,
            "forbidden",
        ),
        (r#"[1,2]"#, 422, ""),
        (r#"{"#, 400, ""),
    ] {
        let a = step(&inv, body).await;
        assert_eq!(a.status.as_u16(), status, "{body}: {}", a.text());
        if !code.is_empty() {
            assert_eq!(a.code(), code, "{body}");
        }
    }
    let a = call(
        &t,
        "GET",
        "/api/v1/officer/reports/abc",
        None,
        Some(&inv),
        false,
    )
    .await;
    assert_eq!(a.status, StatusCode::NOT_FOUND);
    let a = call(
        &t,
        "GET",
        "/api/v1/officer/reports?min=lots",
        None,
        Some(&inv),
        false,
    )
    .await;
    assert_eq!(
        (a.status, a.code()),
        (StatusCode::UNPROCESSABLE_ENTITY, "bad_filter".to_string())
    );
    let a = call(&t, "GET", "/console/bao-cao/99999", None, Some(&inv), true).await;
    assert_eq!(a.status, StatusCode::NOT_FOUND);
    for bad in [
        "/console/bao-cao/abc",
        "/console/tam-giu/1x",
        "/console/khieu-nai/%20",
    ] {
        let a = call(&t, "GET", bad, None, Some(&inv), true).await;
        assert_eq!(a.status, StatusCode::NOT_FOUND, "{bad}");
        assert_eq!(
            select(&a.html(), "h1"),
            vec!["Không tìm thấy trang"],
            "{bad}: the page"
        );
    }

    // A leader decides; the reporter sees plain words only.
    let a = step(
        &lead,
        r#"{"action":"suspend","reason":"Chờ kết quả giám định"}"#,
    )
    .await;
    assert_eq!(a.json()["clock"]["state"], "suspended");
    let a = step(&lead, r#"{"action":"resume","reason":"Đã có kết quả"}"#).await;
    assert_eq!(a.json()["status"], "accepted");

    // Verify the number: the public check says dangerous at once.
    let a = call(
        &t,
        "PUT",
        "/api/v1/officer/identifiers/phone:+84912345678",
        Some(r#"{"verdict":"verified","reason":"Xác minh qua nhà mạng"}"#),
        Some(&inv),
        false,
    )
    .await;
    assert_eq!(a.status, StatusCode::NO_CONTENT, "{}", a.text());
    let check = get(&t.app, "/api/v1/check?q=0912345678").await;
    assert_eq!(check.json()["level"], "dangerous", "{}", check.text());
    let a = call(
        &t,
        "PUT",
        "/api/v1/officer/identifiers/phone:+84900000000",
        Some(r#"{"verdict":"verified","reason":"x"}"#),
        Some(&inv),
        false,
    )
    .await;
    assert_eq!(a.status, StatusCode::NOT_FOUND);

    // The audit log has it all, intact; only admins read it.
    add(&t, "root", Role::Admin).await;
    let admin = login(&t, "root").await;
    let a = call(
        &t,
        "GET",
        "/api/v1/officer/audit",
        None,
        Some(&admin),
        false,
    )
    .await;
    let v = a.json();
    assert_eq!(v["chain"]["intact"], true);
    let actions: Vec<&str> = v["entries"]
        .as_array()
        .expect("entries")
        .iter()
        .filter_map(|e| e["action"].as_str())
        .collect();
    for expected in [
        "report.receive",
        "report.suspend",
        "report.resume",
        "identifier.verify",
        "login",
    ] {
        assert!(actions.contains(&expected), "{expected} in {actions:?}");
    }
}

#[tokio::test]
async fn the_database_files_hold_no_plaintext_reporter_data() {
    let t = app().await;
    with_report(&t).await;
    add(&t, "inv", Role::Investigator).await;
    let inv = login(&t, "inv").await;
    // Viewing the contact (audited) writes nothing personal either.
    let a = call(
        &t,
        "POST",
        "/api/v1/officer/reports/1/reporter",
        Some(r#"{"reason":"Gọi lại lấy lời khai"}"#),
        Some(&inv),
        false,
    )
    .await;
    assert_eq!(a.json()["contact"]["name"], "Lê Thị Hồng Nhung");
    assert_eq!(
        a.headers.get("cache-control").and_then(|v| v.to_str().ok()),
        Some("no-store, private")
    );
    let text = data_files_text(&t).await;
    assert!(text.len() > 10_000, "the database was read");
    for secret in [
        "Lê Thị Hồng Nhung",
        "Hồng Nhung",
        "0987654321",
        "+84987654321",
        "987654321",
        "075123456789",
        "Phường Tam Hiệp, Đồng Nai",
    ] {
        assert!(!text.contains(secret), "{secret} is stored in plain text");
    }
    // The narrative and the scammer's number are meant to be searchable.
    assert!(text.contains("0912") || text.contains("84912345678"));
}

#[tokio::test]
async fn reports_sharing_a_number_form_a_ring_with_its_drawing() {
    let t = app().await;
    with_report(&t).await;
    let second = r#"{"channel": "zalo", "narrative": "Người gọi tự xưng cán bộ, đòi chuyển tiền.", "amount_lost_vnd": 12000000,
      "identifiers": [{"kind": "phone", "value": "+84 912 345 678"}, {"kind": "url", "value": "dichvucong-gov.top"}]}"#;
    let a = post_json(&t.app, "/api/v1/reports", second, &[]).await;
    assert_eq!(a.status, StatusCode::CREATED, "{}", a.text());
    let lone = r#"{"channel": "sms", "narrative": "Tin nhắn trúng thưởng.", "identifiers": [{"kind": "phone", "value": "0933 000 111"}]}"#;
    post_json(&t.app, "/api/v1/reports", lone, &[]).await;
    t.state.index.catch_up(&t.state.store).await.expect("index");
    add(&t, "ana", Role::Analyst).await;
    let l = login(&t, "ana").await;

    let a = call(&t, "GET", "/api/v1/officer/rings/2", None, Some(&l), false).await;
    let v = a.json();
    assert_eq!(
        (v["id"].as_i64(), v["size"].as_i64()),
        (Some(1), Some(2)),
        "{v}"
    );
    assert_eq!(v["victims"], 2);
    assert_eq!(v["total_loss_vnd"], 17_000_000);
    assert_eq!(v["identifiers"].as_array().map(Vec::len), Some(4));
    let rings = call(&t, "GET", "/api/v1/officer/rings", None, Some(&l), false)
        .await
        .json();
    assert_eq!(rings, serde_json::json!([{"id": 1, "size": 2}]));

    let page = call(&t, "GET", "/console/duong-day/2", None, Some(&l), true).await;
    assert_eq!(page.status, StatusCode::OK);
    let doc = page.html();
    assert_eq!(select(&doc, "svg circle").len(), 2, "two reports drawn");
    assert_eq!(select(&doc, "svg rect").len(), 4, "four identifiers drawn");
    assert_eq!(
        select(&doc, "svg line").len(),
        5,
        "five report–identifier links"
    );
    assert_eq!(select(&doc, "dd.total"), vec!["17.000.000 đ"]);
    // Shared: the number both reports name; the other three are named once.
    assert_eq!(select(&doc, "dd.shared-count"), vec!["1"]);
    assert_eq!(select(&doc, "ul.identifiers .value"), vec!["0912 345 678"]);
    let list = call(&t, "GET", "/console/duong-day", None, Some(&l), true)
        .await
        .html();
    assert_eq!(
        select(&list, "table.rings tbody td"),
        vec!["#1", "2", "2", "17.000.000 đ"],
        "ring, reports, victims, loss"
    );
    let report = call(&t, "GET", "/console/bao-cao/1", None, Some(&l), true).await;
    assert_eq!(
        select(&report.html(), "p.ring-link a[href='/console/duong-day/1']").len(),
        1,
        "the report links to its ring"
    );
    let alone = call(&t, "GET", "/console/bao-cao/3", None, Some(&l), true).await;
    assert!(select(&alone.html(), "p.ring-link").is_empty());
}

#[tokio::test]
async fn a_hold_request_per_bank_with_its_letter_json_states_and_recovery() {
    let t = app().await;
    let report = r#"{"channel": "call", "narrative": "Giả danh công an, bắt chuyển tiền vào hai tài khoản.", "amount_lost_vnd": 80000000,
      "transfers": [{"bank": "VCB", "account": "0123456789", "amount_vnd": 50000000, "at": "2026-11-28T09:15:00+07:00"},
                    {"bank": "Techcombank", "account": "19033344455566", "amount_vnd": 30000000, "at": "2026-11-28T09:40:00+07:00"}]}"#;
    let a = post_json(&t.app, "/api/v1/reports", report, &[]).await;
    assert_eq!(a.status, StatusCode::CREATED, "{}", a.text());
    let code = a.json()["tracking_code"]
        .as_str()
        .expect("code")
        .to_string();
    t.state.index.catch_up(&t.state.store).await.expect("index");
    add(&t, "inv", Role::Investigator).await;
    add(&t, "ana", Role::Analyst).await;
    let inv = login(&t, "inv").await;
    let ana = login(&t, "ana").await;

    let a = call(
        &t,
        "POST",
        "/api/v1/officer/reports/1/holds",
        Some("{}"),
        Some(&ana),
        false,
    )
    .await;
    assert_eq!(
        a.status,
        StatusCode::FORBIDDEN,
        "analysts do not make holds"
    );
    let a = call(
        &t,
        "POST",
        "/api/v1/officer/reports/1/holds",
        Some("{}"),
        Some(&inv),
        false,
    )
    .await;
    assert_eq!(a.status, StatusCode::CREATED, "{}", a.text());
    assert_eq!(
        a.json()["ids"].as_array().map(Vec::len),
        Some(2),
        "one request per bank"
    );
    let again = call(
        &t,
        "POST",
        "/api/v1/officer/reports/1/holds",
        Some("{}"),
        Some(&inv),
        false,
    )
    .await;
    assert_eq!(
        (again.status, again.code()),
        (StatusCode::UNPROCESSABLE_ENTITY, "no_transfers".to_string()),
        "no transfer twice"
    );

    // The machine-readable request.
    let list = call(&t, "GET", "/api/v1/officer/holds", None, Some(&ana), false)
        .await
        .json();
    let vcb = list
        .as_array()
        .expect("list")
        .iter()
        .find(|h| h["bank_bin"] == "970436")
        .expect("a Vietcombank request")
        .clone();
    let (id, letter) = (
        vcb["id"].as_i64().expect("id"),
        vcb["letter_no"].as_str().expect("letter").to_string(),
    );
    let v = call(
        &t,
        "GET",
        &format!("/api/v1/officer/holds/{id}"),
        None,
        Some(&ana),
        false,
    )
    .await
    .json();
    assert_eq!(v["type"], "canhgiac.hold_request");
    assert_eq!(v["bank"]["bin"], "970436");
    assert_eq!(v["letter_no"], letter.as_str());
    assert_eq!(v["accounts"][0]["account"], "0123456789");
    assert_eq!(v["accounts"][0]["amount_vnd"], 50_000_000);
    assert_eq!(
        v["accounts"][0]["transfers"][0]["transferred_at"],
        "2026-11-28T02:15:00Z"
    );
    assert_eq!(v["victim_report_codes"][0], code.as_str());

    // The letter opens and says what it must.
    let docx = call(
        &t,
        "GET",
        &format!("/console/tam-giu/{id}/de-nghi.docx"),
        None,
        Some(&inv),
        true,
    )
    .await;
    assert_eq!(docx.status, StatusCode::OK);
    assert_eq!(
        docx.headers
            .get("content-type")
            .and_then(|v| v.to_str().ok()),
        Some("application/vnd.openxmlformats-officedocument.wordprocessingml.document")
    );
    let text = docx_text(&docx.body);
    for expected in [
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM".to_string(),
        "Độc lập - Tự do - Hạnh phúc".into(),
        "CÔNG AN TỈNH ĐỒNG NAI".into(),
        format!("Số: {letter}"),
        "Kính gửi: ".into(),
        "Vietcombank".into(),
        "0123456789".into(),
        "50.000.000".into(),
        "09:15 28/11/2026".into(),
        code.clone(),
        "Tổng cộng: 50.000.000 đồng, 1 giao dịch, 1 bị hại.".into(),
        "0251 3685 134".into(),
    ] {
        assert!(
            text.contains(expected.as_str()),
            "{expected:?} not in the letter:\n{text}"
        );
    }
    assert!(
        !text.contains("19033344455566"),
        "the other bank's account is in its own letter"
    );

    // States move forward only; held needs an amount.
    let state = |body: &'static str| {
        let l = inv.clone();
        let t = &t;
        async move {
            call(
                t,
                "POST",
                &format!("/api/v1/officer/holds/{id}/state"),
                Some(body),
                Some(&l),
                false,
            )
            .await
        }
    };
    assert_eq!(
        state(r#"{"state":"held","amount_vnd":1}"#).await.status,
        StatusCode::CONFLICT
    );
    assert_eq!(
        state(r#"{"state":"sent","note":"Gửi qua e-mail lúc 10:05"}"#)
            .await
            .status,
        StatusCode::NO_CONTENT
    );
    let a = state(r#"{"state":"held"}"#).await;
    assert_eq!(
        (a.status, a.code()),
        (StatusCode::UNPROCESSABLE_ENTITY, "bad_amount".to_string())
    );
    assert_eq!(
        state(r#"{"state":"held","amount_vnd":42000000}"#)
            .await
            .status,
        StatusCode::NO_CONTENT
    );
    assert_eq!(state(r#"{"state":"flying"}"#).await.code(), "invalid_state");
    let list = call(&t, "GET", "/api/v1/officer/holds", None, Some(&ana), false)
        .await
        .json();
    let held: Vec<i64> = list
        .as_array()
        .expect("list")
        .iter()
        .filter_map(|h| h["held_amount_vnd"].as_i64())
        .collect();
    assert!(held.contains(&42_000_000), "{list}");

    // Money returned to the victim, and the figure to drive down on the report page.
    let a = call(
        &t,
        "POST",
        "/api/v1/officer/reports/1/recoveries",
        Some(r#"{"amount_vnd": 0}"#),
        Some(&inv),
        false,
    )
    .await;
    assert_eq!(a.code(), "bad_amount");
    let a = call(
        &t,
        "POST",
        "/api/v1/officer/reports/1/recoveries",
        Some(r#"{"amount_vnd": 40000000, "note": "Hoàn trả theo quyết định"}"#),
        Some(&inv),
        false,
    )
    .await;
    assert_eq!(a.status, StatusCode::NO_CONTENT);
    let page = call(&t, "GET", "/console/bao-cao/1", None, Some(&inv), true)
        .await
        .html();
    assert_eq!(
        select(&page, "strong.recovered"),
        vec!["40.000.000 đ"],
        "recovered amount shown"
    );
    assert_eq!(
        select(&page, "strong.hold-delay").len(),
        1,
        "time from report to hold shown"
    );
    let states = select(&page, "ul.holds li strong");
    assert!(states.contains(&"Đang tạm giữ".to_string()), "{states:?}");
    let holds = call(&t, "GET", "/console/tam-giu", None, Some(&ana), true)
        .await
        .html();
    assert_eq!(select(&holds, "svg[role=img]").len(), 1, "the weekly chart");
    let letters = select(&holds, "td a[href^='/console/tam-giu/']");
    assert!(
        letters.contains(&"1/CV-PA05".to_string()) && letters.contains(&"2/CV-PA05".to_string()),
        "{letters:?}"
    );
}

#[tokio::test]
async fn a_dispute_clears_a_listing_and_the_public_check_changes() {
    let t = app().await;
    with_report(&t).await;
    add(&t, "inv", Role::Investigator).await;
    let inv = login(&t, "inv").await;
    // Verified first: dangerous.
    let a = call(
        &t,
        "PUT",
        "/api/v1/officer/identifiers/phone:+84912345678",
        Some(r#"{"verdict":"verified","reason":"Xác minh"}"#),
        Some(&inv),
        false,
    )
    .await;
    assert_eq!(a.status, StatusCode::NO_CONTENT);
    let check = get(&t.app, "/kiem-tra?q=0912345678").await.html();
    assert!(
        !attrs(&check, "a[href^='/khieu-nai?q=']", "href").is_empty(),
        "the check page offers a review to the owner"
    );

    // Bad disputes: specific errors; nothing to review for an unlisted number.
    let bad = post_json(
        &t.app,
        "/api/v1/disputes",
        r#"{"identifier": "", "name": "B", "contact": "x", "explanation": "ngắn"}"#,
        &[],
    )
    .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(bad.json()["errors"].as_array().map(Vec::len), Some(4));
    let unlisted = post_json(&t.app, "/api/v1/disputes", r#"{"identifier": "0933 222 111", "name": "Trần Bình", "contact": "0987654321", "explanation": "Số của tôi, chưa từng bị cảnh báo nhưng tôi muốn chắc."}"#, &[]).await;
    assert_eq!(unlisted.code(), "not_listed");

    // The owner asks through the public form.
    let form = "identifier=0912+345+678&name=Nguy%E1%BB%85n+V%C4%83n+B%C3%ACnh&contact=binh%40example.vn&explanation=%C4%90%C3%A2y+l%C3%A0+s%E1%BB%91+c%E1%BB%A7a+c%E1%BB%ADa+h%C3%A0ng+t%C3%B4i%2C+b%E1%BB%8B+k%E1%BA%BB+gian+gi%E1%BA%A3+m%E1%BA%A1o.";
    let r = Request::post("/khieu-nai")
        .header("content-type", "application/x-www-form-urlencoded")
        .body(Body::from(form))
        .expect("request");
    let done = send(&t.app, r).await;
    assert_eq!(done.status, StatusCode::CREATED, "{}", done.text());
    let html = done.text();
    let code = html
        .split("class=\"code\">")
        .nth(1)
        .and_then(|s| s.split('<').next())
        .expect("a code")
        .to_string();
    assert!(code.starts_with("KN-"), "{code}");
    let status = get(&t.app, &format!("/api/v1/disputes/{code}"))
        .await
        .json();
    assert_eq!(status["status"], "open");

    // The officer sees it, without the contact until asked (audited), and clears it.
    let list = call(
        &t,
        "GET",
        "/api/v1/officer/disputes",
        None,
        Some(&inv),
        false,
    )
    .await;
    assert!(!list.text().contains("binh@example.vn"));
    let id = list.json()[0]["id"].as_i64().expect("id");
    let page = call(
        &t,
        "POST",
        &format!("/console/khieu-nai/{id}/lien-he"),
        Some("reason=G%E1%BB%8Di+x%C3%A1c+minh"),
        Some(&inv),
        true,
    )
    .await;
    assert!(page.text().contains("binh@example.vn"));
    let a = call(
        &t,
        "POST",
        &format!("/api/v1/officer/disputes/{id}/decision"),
        Some(r#"{"decision":"clear","reason":"Chủ cửa hàng chứng minh được số bị giả mạo."}"#),
        Some(&inv),
        false,
    )
    .await;
    assert_eq!(a.status, StatusCode::NO_CONTENT, "{}", a.text());
    let again = call(
        &t,
        "POST",
        &format!("/api/v1/officer/disputes/{id}/decision"),
        Some(r#"{"decision":"keep","reason":"x"}"#),
        Some(&inv),
        false,
    )
    .await;
    assert_eq!(again.status, StatusCode::CONFLICT);

    let check = get(&t.app, "/api/v1/check?q=0912345678").await.json();
    assert_eq!(check["level"], "cleared");
    let status = get(&t.app, &format!("/api/v1/disputes/{}", code.to_lowercase()))
        .await
        .json();
    assert_eq!(status["status"], "cleared");
    assert_eq!(
        status["decision_reason"],
        "Chủ cửa hàng chứng minh được số bị giả mạo."
    );

    // The contact is sealed at rest.
    assert!(!data_files_text(&t).await.contains("binh@example.vn"));
}

#[tokio::test]
async fn disputes_are_rate_limited_per_client() {
    let t = app().await;
    with_report(&t).await;
    let body = r#"{"identifier": "0912345678", "name": "Trần Bình", "contact": "0987654321", "explanation": "Số của tôi bị người khác mạo danh để lừa đảo."}"#;
    for _ in 0..5 {
        assert_eq!(
            post_json(&t.app, "/api/v1/disputes", body, &[])
                .await
                .status,
            StatusCode::CREATED
        );
    }
    let a = post_json(&t.app, "/api/v1/disputes", body, &[]).await;
    assert_eq!(a.status, StatusCode::TOO_MANY_REQUESTS);
    assert!(a.headers.get("retry-after").is_some());
}

#[tokio::test]
async fn officers_edit_protected_brands_and_the_checks_follow_at_once() {
    let t = app().await;
    add(&t, "ana", Role::Analyst).await;
    add(&t, "inv", Role::Investigator).await;
    let ana = login(&t, "ana").await;
    let inv = login(&t, "inv").await;
    let fake = "/api/v1/analyze/url?q=dnw-thanhtoan.com";
    assert!(
        get(&t.app, fake).await.json()["lookalike"].is_null(),
        "unknown brand: nothing to imitate"
    );

    let body = r#"{"name": "Cấp nước Đồng Nai", "category": "utility", "domains": ["dnw.com.vn"]}"#;
    let a = call(&t, "PUT", "/api/v1/brands/dnw", Some(body), None, false).await;
    assert_eq!(a.status, StatusCode::UNAUTHORIZED);
    let a = call(
        &t,
        "PUT",
        "/api/v1/brands/dnw",
        Some(body),
        Some(&inv),
        false,
    )
    .await;
    assert_eq!(a.status, StatusCode::FORBIDDEN);
    let a = call(
        &t,
        "PUT",
        "/api/v1/brands/dnw",
        Some(body),
        Some(&ana),
        false,
    )
    .await;
    assert_eq!(a.status, StatusCode::OK, "{}", a.text());

    let v = get(&t.app, fake).await.json();
    assert_eq!(v["lookalike"]["brand"], "dnw", "{v}");
    assert_eq!(v["level"], "suspicious");
    assert!(get(&t.app, "/api/v1/brands")
        .await
        .text()
        .contains("dnw.com.vn"));
    // The real domain is never flagged.
    assert!(get(
        &t.app,
        "/api/v1/analyze/url?q=https://www.dnw.com.vn/hoa-don"
    )
    .await
    .json()["lookalike"]
        .is_null());

    // Bad brands: every field named; another brand's domain refused.
    let bad = call(
        &t,
        "PUT",
        "/api/v1/brands/X!",
        Some(r#"{"name": "", "category": "shop", "domains": ["vietcombank.com.vn"]}"#),
        Some(&ana),
        false,
    )
    .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    let codes: Vec<String> = bad.json()["errors"]
        .as_array()
        .expect("errors")
        .iter()
        .filter_map(|e| e["code"].as_str().map(str::to_string))
        .collect();
    assert_eq!(
        codes,
        [
            "key_invalid",
            "name_invalid",
            "category_invalid",
            "domain_taken"
        ]
    );

    let a = call(&t, "DELETE", "/api/v1/brands/dnw", None, Some(&ana), false).await;
    assert_eq!(a.status, StatusCode::NO_CONTENT);
    assert!(
        get(&t.app, fake).await.json()["lookalike"].is_null(),
        "removed brands stop protecting"
    );
    let actions: Vec<String> = t
        .state
        .store
        .audit_entries(None, 50, None)
        .await
        .expect("audit")
        .into_iter()
        .map(|e| e.action)
        .collect();
    assert!(
        actions.contains(&"brand.put".to_string()) && actions.contains(&"brand.delete".to_string())
    );
}

#[tokio::test]
async fn an_analyst_edits_a_method_with_history_and_publishes_a_bulletin_to_the_feeds() {
    let t = app().await;
    add(&t, "phantich", Role::Analyst).await;
    let l = login(&t, "phantich").await;

    // A bad edit is refused with the reasons, in Vietnamese, and changes nothing.
    let a = call(
        &t,
        "POST",
        "/console/thu-doan/romance",
        Some("name_vi=L&summary_vi=&red_flags_vi=&advice_vi=x&first_seen_year=1990&examples=no+source&note="),
        Some(&l),
        true,
    )
    .await;
    assert_eq!(a.status, StatusCode::UNPROCESSABLE_ENTITY);
    let errors = select(&a.html(), "ul.error[role=alert] li");
    for expected in [
        "name_vi: Cần từ 3–150 ký tự",
        "first_seen_year: Năm xuất hiện từ 2000",
        "examples: Mỗi dòng một tin nhắn thật, dạng: nội dung | nguồn",
    ] {
        assert!(
            errors.iter().any(|e| e.starts_with(expected)),
            "{expected} in {errors:?}"
        );
    }
    // A good edit is version 2; version 1 stays readable and is marked as different.
    let a = call(
        &t,
        "POST",
        "/console/thu-doan/romance",
        Some(METHOD_EDIT),
        Some(&l),
        true,
    )
    .await;
    assert_eq!(a.status, StatusCode::SEE_OTHER, "{}", a.text());
    let history = call(
        &t,
        "GET",
        "/console/thu-doan/romance/lich-su",
        None,
        Some(&l),
        true,
    )
    .await;
    let doc = history.html();
    let newest = select(&doc, "ol.history > li > a");
    assert_eq!(
        newest.first().map(String::as_str),
        Some("Phiên bản 2"),
        "{newest:?}"
    );
    assert!(select(&doc, "ol.history > li:first-child .meta")[0].starts_with("Cán bộ phantich"));
    assert!(select(&doc, "ol.history > li:first-child div")[0].contains("thử ma trận"));
    let v1 = call(
        &t,
        "GET",
        "/console/thu-doan/romance/phien-ban/1",
        None,
        Some(&l),
        true,
    )
    .await;
    assert!(
        !select(&v1.html(), "dl.facts dt .badge-new").is_empty(),
        "changed fields are marked"
    );
    let public = get(&t.app, "/canh-bao/thu-doan/romance").await.html();
    assert!(select(&public, "main p")
        .iter()
        .any(|p| p == "Làm quen qua mạng rồi dụ đầu tư."));
    assert!(select(&public, "p.note")
        .iter()
        .any(|n| n.starts_with("Phiên bản 2")));

    // Draft a bulletin for students on every channel.
    let a = call(
        &t,
        "POST",
        "/console/ban-tin",
        Some("methods=romance&methods=impersonate_authority&audience=students&channels=sms&channels=zalo&channels=fanpage&channels=leaflet"),
        Some(&l),
        true,
    )
    .await;
    assert_eq!(a.status, StatusCode::SEE_OTHER, "{}", a.text());
    let page = call(&t, "GET", "/console/ban-tin/1", None, Some(&l), true).await;
    let doc = page.html();
    let counts = select(&doc, "p.sms-count");
    assert!(
        counts[0].contains("UCS-2") && counts[1].contains("GSM-7"),
        "{counts:?}"
    );
    assert!(select(&doc, "p.note")[0].contains("sinh viên"));
    // A plain SMS with diacritics is refused.
    let a = call(
        &t,
        "POST",
        "/console/ban-tin/1",
        Some("title=C%E1%BA%A3nh+gi%C3%A1c+l%E1%BB%ABa+%C4%91%E1%BA%A3o&sms_plain=C%E1%BA%A3nh"),
        Some(&l),
        true,
    )
    .await;
    assert_eq!(a.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(select(&a.html(), "ul.error li")[0]
        .starts_with("sms_plain: Tin không dấu chỉ được dùng ký tự GSM-7"));

    // Not public before it is published.
    assert_eq!(
        get(&t.app, "/canh-bao/ban-tin/1").await.status,
        StatusCode::NOT_FOUND
    );
    let feed = get(&t.app, "/canh-bao/feed.json").await;
    assert_eq!(feed.json()["items"].as_array().map(Vec::len), Some(0));

    // The leaflet: a PDF whose text has the heading, a warning sign and the hotline.
    let pdf = call(
        &t,
        "GET",
        "/console/ban-tin/1/to-roi.pdf",
        None,
        Some(&l),
        true,
    )
    .await;
    assert_eq!(pdf.status, StatusCode::OK);
    assert_eq!(
        pdf.headers
            .get("content-type")
            .and_then(|v| v.to_str().ok()),
        Some("application/pdf")
    );
    let text = crate::common::pdf_text(&pdf.body);
    for expected in [
        "CẢNH GIÁC",
        "DẤU HIỆU LỪA ĐẢO",
        "CẦN LÀM NGAY",
        "113",
        "Phát hành: Công an tỉnh Đồng Nai",
        "Hứa gửi quà",
    ] {
        assert!(text.contains(expected), "{expected} in {text}");
    }

    // Publishing needs the confirmation and the saved version the page showed.
    let unconfirmed = call(
        &t,
        "POST",
        "/console/ban-tin/1/cong-bo",
        Some(""),
        Some(&l),
        true,
    )
    .await;
    assert_eq!(unconfirmed.status, StatusCode::UNPROCESSABLE_ENTITY);
    let stale = call(
        &t,
        "POST",
        "/console/ban-tin/1/cong-bo",
        Some("confirm=1&saved=0000000000000000"),
        Some(&l),
        true,
    )
    .await;
    assert_eq!(
        stale.status,
        StatusCode::CONFLICT,
        "an older version is not published"
    );
    let form = publish_form(&t, &l, 1).await;
    let a = call(
        &t,
        "POST",
        "/console/ban-tin/1/cong-bo",
        Some(&form),
        Some(&l),
        true,
    )
    .await;
    assert_eq!(a.status, StatusCode::SEE_OTHER);
    let again = call(
        &t,
        "POST",
        "/console/ban-tin/1/cong-bo",
        Some(&form),
        Some(&l),
        true,
    )
    .await;
    assert_eq!(again.status, StatusCode::CONFLICT);
    assert!(get(&t.app, "/canh-bao")
        .await
        .text()
        .contains("/canh-bao/ban-tin/1"));
    assert_eq!(
        get(&t.app, "/canh-bao/ban-tin/1").await.status,
        StatusCode::OK
    );
    assert_eq!(
        get(&t.app, "/canh-bao/ban-tin/1/to-roi.pdf").await.status,
        StatusCode::OK
    );

    // Atom: well-formed XML (RFC 4287), one entry with the title, link and dates.
    let atom = get(&t.app, "/canh-bao/atom.xml").await;
    assert!(atom
        .headers
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .is_some_and(|c| c.starts_with("application/atom+xml")));
    let parsed: atom_syndication::Feed = atom.text().parse().expect("well-formed Atom");
    assert_eq!(parsed.entries().len(), 1);
    let entry = &parsed.entries()[0];
    assert!(entry.title().as_str().starts_with("Cảnh giác"));
    assert!(entry.links()[0].href().ends_with("/canh-bao/ban-tin/1"));
    assert!(entry.published().is_some());
    assert!(parsed.links().iter().any(|l| l.rel() == "self"));
    // JSON Feed 1.1: the required fields.
    let feed = get(&t.app, "/canh-bao/feed.json").await.json();
    assert_eq!(feed["version"], "https://jsonfeed.org/version/1.1");
    assert!(feed["title"].is_string() && feed["feed_url"].is_string());
    let item = &feed["items"][0];
    assert!(item["id"].is_string() && item["content_text"].is_string());
    assert!(item["date_published"]
        .as_str()
        .is_some_and(|d| time::OffsetDateTime::parse(
            d,
            &time::format_description::well_known::Rfc3339
        )
        .is_ok()));
}

#[tokio::test]
async fn a_liaison_records_activities_and_the_police_see_them_per_period_with_csv() {
    let t = app().await;
    add(&t, "lienlac", Role::Liaison).await;
    add(&t, "lanhdao", Role::Leader).await;
    let agencies = t.state.store.agencies().await.expect("agencies");
    // the registry starts with the province's bodies and every commune/ward
    assert!(agencies.len() > 90, "{}", agencies.len());
    let school = agencies
        .iter()
        .find(|a| a.name.starts_with("Sở Giáo dục"))
        .expect("education department");
    t.state
        .store
        .set_liaison_agency("lienlac", school.id)
        .await
        .expect("store")
        .expect("set");
    let l = login(&t, "lienlac").await;
    // The liaison's console is their activities.
    let home = call(&t, "GET", "/console", None, Some(&l), true).await;
    assert_eq!(
        home.headers.get("location").and_then(|v| v.to_str().ok()),
        Some("/console/hoat-dong")
    );
    let page = call(&t, "GET", "/console/hoat-dong", None, Some(&l), true).await;
    assert_eq!(page.status, StatusCode::OK);
    assert_eq!(select(&page.html(), "p.note"), vec![school.name.clone()]);
    assert_eq!(
        select(&page.html(), "header .unit"),
        vec![school.name.clone()],
        "a liaison's header names their agency, not the police unit"
    );

    // Bad input: every reason, nothing recorded.
    let bad = call(
        &t,
        "POST",
        "/console/hoat-dong",
        Some("kind=x&held_on=2099-01-01&audience=&reached=abc&link=ftp%3A%2F%2Fx"),
        Some(&l),
        true,
    )
    .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    for expected in [
        "Chọn hình thức",
        "Chọn đối tượng",
        "không phải ngày tương lai",
        "10.000.000",
        "http://",
    ] {
        let errors = select(&bad.html(), "ul.error[role=alert] li");
        assert!(
            errors.iter().any(|e| e.contains(expected)),
            "{expected} in {errors:?}"
        );
    }
    let today = canhgiac_core::clock::local_date(time::OffsetDateTime::now_utc().unix_timestamp());
    let body = format!(
        "kind=school_session&held_on={today}&audience=students&reached=1.200&link=https%3A%2F%2Fexample.vn%2Fanh&note=Bu%E1%BB%95i+ch%C3%A0o+c%E1%BB%9D"
    );
    let ok = call(
        &t,
        "POST",
        "/console/hoat-dong",
        Some(&body),
        Some(&l),
        true,
    )
    .await;
    assert_eq!(ok.status, StatusCode::SEE_OTHER, "{}", ok.text());
    // A note that a spreadsheet would run as a formula.
    let body = format!("kind=zalo_oa&held_on={today}&audience=public&reached=300&note=%3DHYPERLINK(%22http%3A%2F%2Fevil.example%2F%22%2C%22Click%22)");
    let ok = call(
        &t,
        "POST",
        "/console/hoat-dong",
        Some(&body),
        Some(&l),
        true,
    )
    .await;
    assert_eq!(ok.status, StatusCode::SEE_OTHER);
    // The liaison never sees reports.
    let queue = call(&t, "GET", "/api/v1/officer/reports", None, Some(&l), false).await;
    assert_eq!(queue.status, StatusCode::FORBIDDEN);

    // The leader: this month, totals, the agency among those that reported, the rest silent.
    let lead = login(&t, "lanhdao").await;
    let summary = call(
        &t,
        "GET",
        "/console/hoat-dong/tong-hop",
        None,
        Some(&lead),
        true,
    )
    .await;
    assert_eq!(summary.status, StatusCode::OK);
    let doc = scraper::Html::parse_document(&summary.text());
    let text_of = |css: &str| -> String {
        let sel = scraper::Selector::parse(css).expect("selector");
        doc.select(&sel)
            .map(|e| e.text().collect::<String>())
            .collect::<Vec<_>>()
            .join("|")
    };
    assert_eq!(text_of("#total-activities"), "2");
    assert_eq!(text_of("#total-reached"), "1500");
    assert!(text_of("table.reporting").contains(&school.name));
    assert!(!text_of("table.silent").contains(&school.name));
    assert!(text_of("table.silent").contains("UBND"));
    assert!(text_of("table.by-audience").contains("Học sinh, sinh viên"));
    assert!(text_of("table.by-kind").contains("Tin Zalo OA"));

    // CSV: a byte-order mark, a header, one row per activity.
    let month = canhgiac_core::activity::Period::month_of(today).key();
    let csv = call(
        &t,
        "GET",
        &format!("/console/hoat-dong/tong-hop.csv?ky={month}"),
        None,
        Some(&lead),
        true,
    )
    .await;
    assert_eq!(csv.status, StatusCode::OK);
    assert!(csv.body.starts_with(b"\xEF\xBB\xBF"));
    let text = String::from_utf8_lossy(&csv.body[3..]).into_owned();
    let mut reader = ::csv::Reader::from_reader(text.as_bytes());
    let rows: Vec<::csv::StringRecord> = reader.records().map(|r| r.expect("row")).collect();
    assert_eq!(rows.len(), 2);
    assert!(rows
        .iter()
        .any(|r| r.get(2) == Some("Buổi tuyên truyền ở trường") && r.get(4) == Some("1200")));
    assert!(
        rows.iter()
            .any(|r| r.get(7) == Some("'=HYPERLINK(\"http://evil.example/\",\"Click\")")),
        "a formula is exported as text: {rows:?}"
    );
    // Another period is empty.
    let old = call(
        &t,
        "GET",
        "/console/hoat-dong/tong-hop?ky=2020-01",
        None,
        Some(&lead),
        true,
    )
    .await;
    assert!(select(&old.html(), "h1")[0].ends_with("tháng 1/2020"));
}

#[tokio::test]
async fn trends_mark_a_method_that_jumped_last_week() {
    use canhgiac_core::trends::{week_of, week_start};
    use canhgiac_store::{NewReport, Source};
    let t = app().await;
    let now = time::OffsetDateTime::now_utc().unix_timestamp();
    let last_week = week_of(now) - 1;
    let mut input: canhgiac_core::intake::ReportInput =
        serde_json::from_str(EXAMPLE).expect("example");
    input.method = Some("traffic_fine".into());
    input.channel = Some("sms".into());
    let report =
        canhgiac_core::intake::validate(&input, canhgiac_core::i18n::Lang::Vi, now, &|_| true)
            .expect("valid");
    let mut batch = Vec::new();
    // two a week for eight weeks, then twelve in the last complete week
    for back in 1..=9i64 {
        let week = last_week - back + 1;
        let monday = week_start(week).midnight().assume_utc().unix_timestamp() - 7 * 3600;
        let n = if back == 1 { 12 } else { 2 };
        for i in 0..n {
            batch.push(NewReport {
                report: report.clone(),
                source: Source::Demo,
                created_at: monday + 3600 * (i + 10),
                idempotency_key: None,
                request_hash: None,
            });
        }
    }
    t.state.store.insert_reports(batch).await.expect("insert");
    add(&t, "phantich", Role::Analyst).await;
    let l = login(&t, "phantich").await;
    let page = call(&t, "GET", "/console/xu-huong?tuan=12", None, Some(&l), true).await;
    assert_eq!(page.status, StatusCode::OK);
    let html = page.text();
    let doc = scraper::Html::parse_document(&html);
    let sel = scraper::Selector::parse("table.trends tr.overdue").expect("selector");
    let spiking: Vec<String> = doc.select(&sel).map(|e| e.text().collect()).collect();
    assert!(
        spiking
            .iter()
            .any(|r| r.contains("phạt nguội") && r.contains("12")),
        "{spiking:?}"
    );
    assert_eq!(select(&doc, "svg[role=img]").len(), 1, "a chart");
    assert!(
        !select(&doc, "svg[role=img] circle").is_empty(),
        "the total's spike is ringed"
    );
}

#[tokio::test]
async fn alike_reports_that_fit_no_method_become_a_new_pattern_and_start_a_catalogue_entry() {
    let t = app().await;
    let narratives = [
        "Có người đến nhà tự xưng nhân viên đo đạc địa chính, thu tiền làm sổ đỏ nhanh trong 3 ngày rồi biến mất, gọi 0903 111 222 không nghe",
        "Hai người tự xưng nhân viên đo đạc địa chính đến nhà, thu tiền làm sổ đỏ nhanh trong 3 ngày, sau đó biến mất, số 0903 111 222 khóa máy",
        "Tự xưng nhân viên đo đạc địa chính đến tận nhà thu tiền làm sổ đỏ nhanh trong 3 ngày rồi biến mất luôn, liên hệ 0903111222 không được",
        "Nhân viên đo đạc địa chính giả đến nhà thu tiền làm sổ đỏ nhanh trong 3 ngày rồi biến mất, điện thoại 0903 111 222",
    ];
    for n in narratives {
        let body = serde_json::json!({
            "channel": "in_person",
            "narrative": n,
            "amount_lost_vnd": 3000000,
            "identifiers": [{"kind": "phone", "value": "0903 111 222"}],
            "reporter": {"name": "Nguyễn Văn A", "phone": "0987 000 111"}
        })
        .to_string();
        let a = post_json(&t.app, "/api/v1/reports", &body, &[]).await;
        assert_eq!(a.status, StatusCode::CREATED, "{}", a.text());
    }
    // and reports of a known method, which group but fit the catalogue
    let a = post_json(&t.app, "/api/v1/reports", EXAMPLE, &[]).await;
    assert_eq!(a.status, StatusCode::CREATED);
    add(&t, "phantich", Role::Analyst).await;
    let l = login(&t, "phantich").await;
    let page = call(&t, "GET", "/console/mau-moi", None, Some(&l), true).await;
    assert_eq!(page.status, StatusCode::OK);
    let doc = page.html();
    assert_eq!(
        select(&doc, "section.pattern h2"),
        vec!["4 báo cáo giống nhau"]
    );
    assert!(select(&doc, "section.pattern blockquote")[0].contains("đo đạc địa chính"));
    assert_eq!(
        select(&doc, "section.pattern .code"),
        vec!["0903 111 222"],
        "shared number shown"
    );
    let sel = scraper::Selector::parse("section.pattern a.button").expect("selector");
    let href = doc
        .select(&sel)
        .next()
        .and_then(|a| a.value().attr("href"))
        .expect("a link to start a method")
        .to_string();
    let form = call(&t, "GET", &href, None, Some(&l), true).await;
    assert_eq!(form.status, StatusCode::OK);
    let form = form.html();
    let examples = select(&form, "textarea#m-examples").join("");
    assert!(
        examples.contains("sổ đỏ nhanh") && examples.contains("| Báo cáo CG-"),
        "examples prefilled"
    );
    assert!(attrs(&form, "input#m-note", "value")[0].starts_with("Mẫu mới từ 4 báo cáo giống nhau"));
}

/// Every refusal of a console page is one page, in the request's language, with its
/// title, its reason and a way back to the console.
#[tokio::test]
async fn console_errors_are_pages_in_the_request_language() {
    let t = app().await;
    add(&t, "lan", Role::Investigator).await;
    add(&t, "liaison", Role::Liaison).await;
    let inv = login(&t, "lan").await;
    let liaison = login(&t, "liaison").await;
    let cases = [
        // (who, method, uri, form body, status, Vietnamese title, English title)
        (
            &inv,
            "GET",
            "/console/bao-cao/abc",
            None,
            StatusCode::NOT_FOUND,
            "Không tìm thấy trang",
            "Page not found",
        ),
        (
            &liaison,
            "GET",
            "/console/nhat-ky",
            None,
            StatusCode::FORBIDDEN,
            "Không có quyền",
            "Not allowed",
        ),
        (
            &inv,
            "POST",
            "/console/khieu-nai/1/quyet-dinh",
            Some("decision=keep"),
            StatusCode::FORBIDDEN,
            "Biểu mẫu không hợp lệ",
            "Form not accepted",
        ),
    ];
    for (who, method, uri, body, status, vi, en) in cases {
        for (lang, title) in [("vi", vi), ("en", en)] {
            let uri = format!("{uri}?lang={lang}");
            // The CSRF case sends the form without its token.
            let a = match body {
                Some(b) => {
                    let request = Request::builder()
                        .method(method)
                        .uri(&uri)
                        .header("cookie", who.cookie.clone())
                        .header("content-type", "application/x-www-form-urlencoded")
                        .body(Body::from(b.to_string()))
                        .expect("request");
                    send(&t.app, request).await
                }
                None => call(&t, method, &uri, None, Some(who), true).await,
            };
            assert_eq!(a.status, status, "{uri}");
            let html = a.html();
            assert_eq!(select(&html, "h1"), vec![title.to_string()], "{uri}");
            assert_eq!(select(&html, "html").len(), 1);
            assert_eq!(
                html.select(&scraper::Selector::parse("html").expect("css"))
                    .next()
                    .and_then(|e| e.value().attr("lang")),
                Some(lang),
                "{uri}"
            );
            assert_eq!(
                select(&html, "main a[href='/console']").len(),
                1,
                "{uri}: a way back"
            );
        }
    }
}

/// After a step, the report page says what was recorded, at the top.
#[tokio::test]
async fn a_step_taken_is_confirmed_on_the_page() {
    let t = app().await;
    with_report(&t).await;
    add(&t, "lan", Role::Investigator).await;
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
    assert_eq!(a.status, StatusCode::SEE_OTHER, "{}", a.text());
    let to = a
        .headers
        .get("location")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_string();
    assert_eq!(to, "/console/bao-cao/1?xong=received#ket-qua");
    let page = call(
        &t,
        "GET",
        to.trim_end_matches("#ket-qua"),
        None,
        Some(&inv),
        true,
    )
    .await;
    assert_eq!(
        select(&page.html(), "p.done[role=status]"),
        vec!["Đã ghi: Tiếp nhận (bắt đầu tính thời hạn)."]
    );
    // A made-up value says nothing.
    let page = call(
        &t,
        "GET",
        "/console/bao-cao/1?xong=%3Cscript%3E",
        None,
        Some(&inv),
        true,
    )
    .await;
    assert!(select(&page.html(), "p.done").is_empty());
}

/// A bulletin shows only the channels its author chose, names its methods (never
/// their internal keys), and has no leaflet unless one was chosen.
#[tokio::test]
async fn a_bulletin_keeps_to_its_chosen_channels() {
    let t = app().await;
    add(&t, "phantich", Role::Analyst).await;
    let l = login(&t, "phantich").await;
    let a = call(
        &t,
        "POST",
        "/console/ban-tin",
        Some("methods=impersonate_authority&audience=students&channels=sms"),
        Some(&l),
        true,
    )
    .await;
    assert_eq!(a.status, StatusCode::SEE_OTHER, "{}", a.text());
    let edit = call(&t, "GET", "/console/ban-tin/1", None, Some(&l), true)
        .await
        .html();
    let note = select(&edit, "p.note")[0].clone();
    assert!(!note.contains("impersonate_authority"), "{note}");
    assert!(note.contains("Giả danh"), "{note}");
    let form = publish_form(&t, &l, 1).await;
    let a = call(
        &t,
        "POST",
        "/console/ban-tin/1/cong-bo",
        Some(&form),
        Some(&l),
        true,
    )
    .await;
    assert_eq!(a.status, StatusCode::SEE_OTHER);
    let public = get(&t.app, "/canh-bao/ban-tin/1").await.html();
    assert_eq!(
        select(&public, ".bulletin-text.fanpage").len(),
        0,
        "no fanpage post"
    );
    assert_eq!(select(&public, ".bulletin-text.sms").len(), 1);
    assert!(attrs(&public, "a[href$='to-roi.pdf']", "href").is_empty());
    assert_eq!(
        get(&t.app, "/canh-bao/ban-tin/1/to-roi.pdf").await.status,
        StatusCode::NOT_FOUND
    );
}
