//! Partners' blocklists in: a list is stored whole or not at all (bad rows are named
//! by line), its entries show in the public check as "reported by partner X" and
//! never as verified, a police decision to clear wins over them, the partner's next
//! list of the same name replaces it, and an administrator disables one at once.

use axum::http::StatusCode;
use canhgiac_core::roles::Role;

use crate::common::{add, call, get, login, post_json, EXAMPLE};
use crate::partners::{issue, partner, setup, with_key};

fn reasons(v: &serde_json::Value) -> Vec<String> {
    v["reasons"]
        .as_array()
        .map(|r| {
            r.iter()
                .filter_map(|x| x["code"].as_str().map(String::from))
                .collect()
        })
        .unwrap_or_default()
}

#[tokio::test]
async fn partner_lists_come_in_whole_show_as_partner_reports_and_are_disabled_at_once() {
    let (t, admin) = setup().await;
    let viettel = partner(&t, &admin, "Viettel", "carrier", "").await;
    let key = issue(&t, &admin, viettel, &["blocklist:submit"], 600).await;
    let reader = issue(&t, &admin, viettel, &["indicators:read"], 600).await;
    let submit = |q: &str, body: &str| {
        let uri = format!("/api/v1/partner/blocklists?{q}");
        let body = body.to_string();
        let key = key.clone();
        let t = &t;
        async move { with_key(t, "POST", &uri, &key, Some(&body)).await }
    };

    // One bad row among good ones: refused with the lines, nothing stored.
    let csv = "kind,value,bank\nphone,0901 234 567,\nfax,123,\nbank_account,1903 0413 6010 18,Techcombank\nphone,12,\n";
    let a = submit("format=csv&name=sim-rac&confidence=80", csv).await;
    assert_eq!(a.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", a.text());
    let body = a.json();
    assert_eq!(body["errors"][0]["code"], "list_rejected");
    assert_eq!(body["rows_total"], 2);
    let lines: Vec<i64> = body["rows"]
        .as_array()
        .expect("rows")
        .iter()
        .filter_map(|r| r["line"].as_i64())
        .collect();
    assert_eq!(lines, [3, 5]);
    assert_eq!(
        get(&t.app, "/api/v1/check?q=0901234567").await.json()["level"],
        "no_reports",
        "nothing half-imported"
    );
    let a = with_key(&t, "GET", "/api/v1/partner/blocklists", &key, None).await;
    assert_eq!(a.json().as_array().map(Vec::len), Some(0));

    // Bad parameters.
    for (q, code) in [
        ("format=xml", "invalid_format"),
        ("format=csv&confidence=101", "invalid_confidence"),
        ("format=csv&listed_on=2999-01-01", "invalid_date"),
        ("format=csv&listed_on=hôm-qua", "invalid_date"),
    ] {
        let a = submit(q, "kind,value\nphone,0901234567\n").await;
        assert_eq!(a.status, StatusCode::UNPROCESSABLE_ENTITY, "{q}");
        assert_eq!(a.code(), code, "{q}");
    }
    let a = with_key(
        &t,
        "POST",
        "/api/v1/partner/blocklists?format=csv",
        &reader,
        Some("kind,value\nphone,0901234567\n"),
    )
    .await;
    assert_eq!(a.code(), "key_out_of_scope");

    // A police decision exists on the report's phone: cleared after a dispute.
    let r = post_json(&t.app, "/api/v1/reports", EXAMPLE, &[]).await;
    assert_eq!(r.status, StatusCode::CREATED);
    add(&t, "inv", Role::Investigator).await;
    let inv = login(&t, "inv").await;
    let a = call(
        &t,
        "PUT",
        "/api/v1/officer/identifiers/phone:+84912345678",
        Some(r#"{"verdict":"cleared","reason":"Khiếu nại đúng","from":"none"}"#),
        Some(&inv),
        false,
    )
    .await;
    assert_eq!(a.status, StatusCode::NO_CONTENT, "{}", a.text());
    t.state.index.catch_up(&t.state.store).await.expect("index");

    // The good list: stored, and the check names the partner.
    let csv = "kind,value,bank\nphone,0901 234 567,\nbank_account,1903 0413 6010 18,Techcombank\nurl,https://shopee-quatang.xyz/login,\nphone,0912345678,\nphone,+84 901 234 567,\n";
    let a = submit(
        "format=csv&name=sim-rac&confidence=80&listed_on=2026-11-30",
        csv,
    )
    .await;
    assert_eq!(a.status, StatusCode::CREATED, "{}", a.text());
    let first = a.json();
    assert_eq!(first["entries"], 4, "the same phone twice counts once");
    assert!(first["replaced"].is_null());
    let v = get(&t.app, "/api/v1/check?q=0901234567").await.json();
    assert_eq!(v["level"], "reported", "{v}");
    assert!(
        reasons(&v).contains(&"reported_by_partner".to_string()),
        "{v}"
    );
    assert!(!reasons(&v).contains(&"verified_by_police".to_string()));
    assert_eq!(v["partner_reports"][0]["partner"], "Viettel");
    assert_eq!(v["partner_reports"][0]["confidence"], 80);
    assert_eq!(v["partner_reports"][0]["listed_on"], "2026-11-30");
    let page = get(&t.app, "/kiem-tra?q=0901234567").await.text();
    assert!(
        page.contains("Được đối tác Viettel báo cáo"),
        "the page says who"
    );
    // The police decision wins.
    let v = get(&t.app, "/api/v1/check?q=0912345678").await.json();
    assert_eq!(v["level"], "cleared", "{v}");
    assert_eq!(v["partner_reports"].as_array().map(Vec::len), Some(0));

    // Plain domains and STIX come in too.
    let a = submit(
        "format=domains&name=ten-mien",
        "# hosts\n0.0.0.0 vietcombank-xacthuc.top\nlua-dao-moi.vn\n",
    )
    .await;
    assert_eq!(a.status, StatusCode::CREATED, "{}", a.text());
    let stix = r#"{"type":"bundle","id":"bundle--1","objects":[
{"type":"indicator","spec_version":"2.1","id":"indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f","pattern_type":"stix","pattern":"[x-canhgiac-bank-account:value = '970436:0011223344']"}
]}"#;
    let a = submit("format=stix&name=stix", stix).await;
    assert_eq!(a.status, StatusCode::CREATED, "{}", a.text());
    assert_eq!(
        get(&t.app, "/api/v1/check?q=VCB%200011223344").await.json()["partner_reports"][0]
            ["partner"],
        "Viettel"
    );

    // The next list of the same name replaces the first.
    let a = submit(
        "format=csv&name=sim-rac",
        "kind,value\nphone,0907 777 888\n",
    )
    .await;
    assert_eq!(a.json()["replaced"], first["id"]);
    assert_eq!(
        get(&t.app, "/api/v1/check?q=0901234567").await.json()["level"],
        "no_reports"
    );
    let newest = a.json()["id"].as_i64().expect("id");
    assert_eq!(
        get(&t.app, "/api/v1/check?q=0907777888").await.json()["level"],
        "reported"
    );

    // The administrator disables it at once; a stale form gets 409.
    let lists = with_key(&t, "GET", "/api/v1/partner/blocklists", &key, None)
        .await
        .json();
    assert_eq!(lists.as_array().map(Vec::len), Some(4));
    let page = call(
        &t,
        "GET",
        &format!("/console/doi-tac/{viettel}"),
        None,
        Some(&admin),
        true,
    )
    .await;
    assert!(page.text().contains(&format!("data-list=\"{newest}\"")));
    let disable = |version: i64| {
        let admin = admin.clone();
        let t = &t;
        async move {
            call(
                t,
                "POST",
                &format!("/console/doi-tac/danh-sach/{newest}/tat"),
                Some(&format!("version={version}&label=Sai+s%C3%B3t")),
                Some(&admin),
                true,
            )
            .await
        }
    };
    let a = disable(1).await;
    assert_eq!(a.status, StatusCode::SEE_OTHER, "{}", a.text());
    assert_eq!(
        get(&t.app, "/api/v1/check?q=0907777888").await.json()["level"],
        "no_reports"
    );
    let a = disable(1).await;
    assert_eq!(a.status, StatusCode::CONFLICT);

    // The partner withdraws its domain list itself; another partner cannot.
    let lists = with_key(&t, "GET", "/api/v1/partner/blocklists", &key, None)
        .await
        .json();
    let domains = lists
        .as_array()
        .expect("lists")
        .iter()
        .find(|l| l["name"] == "ten-mien")
        .expect("the domain list")
        .clone();
    let uri = format!("/api/v1/partner/blocklists/{}/withdraw", domains["id"]);
    let body = format!(r#"{{"version": {}}}"#, domains["version"]);
    let mobifone = partner(&t, &admin, "MobiFone", "carrier", "").await;
    let other = issue(&t, &admin, mobifone, &["blocklist:submit"], 600).await;
    let a = with_key(&t, "POST", &uri, &other, Some(&body)).await;
    assert_eq!(a.status, StatusCode::NOT_FOUND);
    assert_eq!(
        get(&t.app, "/api/v1/check?q=lua-dao-moi.vn").await.json()["level"],
        "reported"
    );
    let a = with_key(&t, "POST", &uri, &key, Some(&body)).await;
    assert_eq!(a.status, StatusCode::NO_CONTENT, "{}", a.text());
    assert_eq!(
        get(&t.app, "/api/v1/check?q=lua-dao-moi.vn").await.json()["level"],
        "no_reports"
    );
    let a = with_key(&t, "POST", &uri, &key, Some(&body)).await;
    assert_eq!(a.status, StatusCode::CONFLICT);
    let audit = call(
        &t,
        "GET",
        "/api/v1/officer/audit",
        None,
        Some(&admin),
        false,
    )
    .await
    .text();
    assert!(audit.contains("blocklist.import") && audit.contains("blocklist.disable"));
}

#[tokio::test]
async fn a_platform_submits_reports_in_bulk_all_or_none() {
    let (t, admin) = setup().await;
    let zalo = partner(&t, &admin, "Zalo", "platform", "").await;
    let key = issue(&t, &admin, zalo, &["reports:submit"], 600).await;
    let good = r#"{"channel": "zalo", "narrative": "Tài khoản Zalo giả danh nhân viên ngân hàng đòi mã OTP.", "identifiers": [{"kind": "phone", "value": "0903 111 222"}]}"#;
    let bad = r#"{"channel": "zalo", "narrative": "Lừa đảo bán hàng qua Zalo.", "identifiers": [{"kind": "phone", "value": "12"}]}"#;
    let batch = format!(r#"{{"reports": [{good}, {bad}]}}"#);
    let a = with_key(&t, "POST", "/api/v1/partner/reports", &key, Some(&batch)).await;
    assert_eq!(a.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", a.text());
    assert_eq!(
        a.json()["errors"][0]["field"],
        "reports[1].identifiers[0].value"
    );
    assert_eq!(
        get(&t.app, "/api/v1/check?q=0903111222").await.json()["level"],
        "no_reports",
        "nothing stored"
    );
    let a = with_key(
        &t,
        "POST",
        "/api/v1/partner/reports",
        &key,
        Some(r#"{"reports": []}"#),
    )
    .await;
    assert_eq!(a.code(), "batch_size");

    let batch = format!(r#"{{"reports": [{good}, {good}]}}"#);
    let a = with_key(&t, "POST", "/api/v1/partner/reports", &key, Some(&batch)).await;
    assert_eq!(a.status, StatusCode::CREATED, "{}", a.text());
    let receipts = a.json()["receipts"].as_array().expect("receipts").clone();
    assert_eq!(receipts.len(), 2);
    let v = get(&t.app, "/api/v1/check?q=0903111222").await.json();
    assert_eq!(v["report_count"], 2, "{v}");
    let code = receipts[0]["tracking_code"].as_str().expect("code");
    let secret = receipts[0]["secret"].as_str().expect("secret");
    let request = axum::http::Request::get(format!("/api/v1/reports/{code}"))
        .header("x-report-secret", secret)
        .body(axum::body::Body::empty())
        .expect("request");
    assert_eq!(
        crate::common::send(&t.app, request).await.status,
        StatusCode::OK
    );
    let audit = call(
        &t,
        "GET",
        "/api/v1/officer/audit",
        None,
        Some(&admin),
        false,
    )
    .await
    .text();
    assert!(
        audit.contains("reports.submit") && audit.contains(code),
        "audited"
    );
    assert!(!audit.contains(secret));
}

#[tokio::test]
async fn a_batch_sent_again_with_its_key_is_stored_once() {
    use axum::body::Body;
    use axum::http::Request;
    let (t, admin) = setup().await;
    let zalo = partner(&t, &admin, "Zalo", "platform", "").await;
    let key = issue(&t, &admin, zalo, &["reports:submit"], 600).await;
    let send = |idempotency: &'static str, phone: &'static str| {
        let key = key.clone();
        let app = t.app.clone();
        async move {
            let body = format!(
                r#"{{"reports": [{{"channel": "zalo", "narrative": "Giả danh nhân viên ngân hàng qua Zalo đòi mã OTP.", "identifiers": [{{"kind": "phone", "value": "{phone}"}}]}}]}}"#
            );
            let request = Request::post("/api/v1/partner/reports")
                .header("authorization", format!("Bearer {key}"))
                .header("content-type", "application/json")
                .header("idempotency-key", idempotency)
                .body(Body::from(body))
                .expect("request");
            crate::common::send(&app, request).await
        }
    };
    // Two retries at once and one after: one batch stored, the same receipt each time.
    let (a, b) = tokio::join!(send("lo-1", "0904 555 666"), send("lo-1", "0904 555 666"));
    let c = send("lo-1", "0904 555 666").await;
    for x in [&a, &b, &c] {
        assert_eq!(x.status, StatusCode::CREATED, "{}", x.text());
    }
    assert_eq!(a.json()["receipts"], b.json()["receipts"]);
    assert_eq!(a.json()["receipts"], c.json()["receipts"]);
    assert_eq!(c.headers["idempotent-replayed"], "true");
    assert_eq!(
        get(&t.app, "/api/v1/check?q=0904555666").await.json()["report_count"],
        1
    );
    // The same key for another batch is refused.
    let d = send("lo-1", "0904 777 888").await;
    assert_eq!(
        (d.status, d.code()),
        (StatusCode::CONFLICT, "idempotency_key_reused".into())
    );
    let e = send("khóa có dấu", "0904 777 888").await;
    assert_eq!(e.status, StatusCode::UNPROCESSABLE_ENTITY);
}
