//! Statistics: the figures against the database, suppression of small counts for
//! oversight accounts and the public, no report content on their pages, bad periods.

use std::collections::HashMap;

use axum::http::StatusCode;
use canhgiac_core::methods::Catalogue;
use canhgiac_core::roles::Role;

use crate::common::{add, call, get, login, post_json, send, TestApp};

/// Files a report with a channel, a method, a commune and a loss; returns its id.
async fn file(t: &TestApp, channel: &str, method: &str, place: i64, loss: i64, phone: &str) {
    let body = serde_json::json!({
        "channel": channel,
        "method": method,
        "place_code": place,
        "amount_lost_vnd": loss,
        "narrative": "Kẻ gian gọi điện xưng là nhân viên ngân hàng, dụ chuyển tiền.",
        "identifiers": [{"kind": "phone", "value": phone}],
        "reporter": {"name": "Trần Thị Bích Ngọc", "phone": "0987 111 222"}
    })
    .to_string();
    let a = post_json(&t.app, "/api/v1/reports", &body, &[]).await;
    assert_eq!(a.status, StatusCode::CREATED, "{}", a.text());
}

async fn db_counts(t: &TestApp, column: &str) -> HashMap<String, i64> {
    let rows: Vec<(Option<String>, i64)> = sqlx::query_as(&format!(
        "SELECT CAST({column} AS TEXT), COUNT(*) FROM reports GROUP BY {column}"
    ))
    .fetch_all(t.state.store.pool())
    .await
    .expect("counts");
    rows.into_iter()
        .map(|(k, n)| (k.unwrap_or_default(), n))
        .collect()
}

fn by_key(lines: &serde_json::Value) -> HashMap<String, Option<i64>> {
    lines
        .as_array()
        .expect("lines")
        .iter()
        .map(|l| {
            (
                l["key"].as_str().unwrap_or("").to_string(),
                l["reports"].as_i64(),
            )
        })
        .collect()
}

fn figure(answer: &serde_json::Value, key: &str) -> Option<i64> {
    answer["figures"]
        .as_array()
        .expect("figures")
        .iter()
        .find(|f| f["key"] == key)
        .unwrap_or_else(|| panic!("no figure {key}"))["value"]
        .as_i64()
}

/// Seven reports: six by call with the first method from the first commune, one by
/// SMS with the second method from the second commune.
async fn seeded() -> (crate::common::TestApp, [String; 2], [i64; 2]) {
    let t = crate::common::app().await;
    let methods: Vec<String> = Catalogue::get()
        .all()
        .iter()
        .take(2)
        .map(|m| m.key.to_string())
        .collect();
    let places: Vec<i64> = t
        .state
        .store
        .places()
        .iter()
        .take(2)
        .map(|p| p.code)
        .collect();
    for i in 0..6 {
        file(
            &t,
            "call",
            &methods[0],
            places[0],
            1_000_000,
            &format!("0912 345 67{i}"),
        )
        .await;
    }
    file(&t, "sms", &methods[1], places[1], 2_500_000, "0912 345 699").await;
    t.state.index.catch_up(&t.state.store).await.expect("index");
    (
        t,
        [methods[0].clone(), methods[1].clone()],
        [places[0], places[1]],
    )
}

#[tokio::test]
async fn every_figure_matches_the_database() {
    let (t, methods, places) = seeded().await;
    add(&t, "lead", Role::Leader).await;
    let l = login(&t, "lead").await;
    // One report received and decided in time, through the officer API.
    for body in [
        r#"{"action":"receive"}"#,
        r#"{"action":"open_case","reason":"QĐ 1"}"#,
    ] {
        let a = call(
            &t,
            "POST",
            "/api/v1/officer/reports/1/steps",
            Some(body),
            Some(&l),
            false,
        )
        .await;
        assert_eq!(a.status, StatusCode::OK, "{}", a.text());
    }
    // A report with a transfer: a hold request, held, and money returned.
    let report = r#"{"channel": "call", "narrative": "Giả danh công an, bắt chuyển tiền.", "amount_lost_vnd": 50000000,
      "transfers": [{"bank": "VCB", "account": "0123456789", "amount_vnd": 50000000}]}"#;
    let a = post_json(&t.app, "/api/v1/reports", report, &[]).await;
    assert_eq!(a.status, StatusCode::CREATED, "{}", a.text());
    t.state.index.catch_up(&t.state.store).await.expect("index");
    let a = call(
        &t,
        "POST",
        "/api/v1/officer/reports/8/holds",
        Some("{}"),
        Some(&l),
        false,
    )
    .await;
    assert_eq!(a.status, StatusCode::CREATED, "{}", a.text());
    let hold = a.json()["ids"][0].as_i64().expect("hold id");
    for body in [
        r#"{"state":"sent"}"#,
        r#"{"state":"held","amount_vnd":42000000}"#,
    ] {
        let a = call(
            &t,
            "POST",
            &format!("/api/v1/officer/holds/{hold}/state"),
            Some(body),
            Some(&l),
            false,
        )
        .await;
        assert_eq!(a.status, StatusCode::NO_CONTENT, "{}", a.text());
    }
    let a = call(
        &t,
        "POST",
        "/api/v1/officer/reports/8/recoveries",
        Some(r#"{"amount_vnd": 40000000}"#),
        Some(&l),
        false,
    )
    .await;
    assert_eq!(a.status, StatusCode::NO_CONTENT, "{}", a.text());

    let a = call(&t, "GET", "/api/v1/officer/stats", None, Some(&l), false).await;
    assert_eq!(a.status, StatusCode::OK, "{}", a.text());
    let s = a.json();
    assert_eq!(figure(&s, "hold_requests"), Some(1));
    assert_eq!(figure(&s, "holds"), Some(1));
    assert_eq!(figure(&s, "held_vnd"), Some(42_000_000));
    assert_eq!(figure(&s, "hours_to_hold_median"), Some(0));
    assert_eq!(figure(&s, "returned"), Some(1));
    assert_eq!(figure(&s, "returned_vnd"), Some(40_000_000));
    assert!(
        s.get("suppressed_below").is_none(),
        "the police see every count"
    );
    let (total,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM reports")
        .fetch_one(t.state.store.pool())
        .await
        .expect("count");
    let (loss,): (i64,) =
        sqlx::query_as("SELECT CAST(SUM(amount_lost_vnd) AS BIGINT) FROM reports")
            .fetch_one(t.state.store.pool())
            .await
            .expect("sum");
    assert_eq!(figure(&s, "reports"), Some(total));
    assert_eq!(figure(&s, "loss_vnd"), Some(loss));
    assert_eq!(figure(&s, "received"), Some(1));
    assert_eq!(figure(&s, "case_opened"), Some(1));
    assert_eq!(figure(&s, "decided_in_time"), Some(1));
    assert_eq!(figure(&s, "decided_late"), Some(0));
    // seven reports share no identifier: no ring
    assert_eq!(figure(&s, "rings"), Some(0));
    for (column, lines) in [
        ("channel", &s["by_channel"]),
        ("method_key", &s["by_method"]),
        ("place_code", &s["by_commune"]),
    ] {
        let db = db_counts(&t, column).await;
        let api = by_key(lines);
        assert_eq!(db.len(), api.len(), "{column}: {db:?} {api:?}");
        for (k, n) in db {
            assert_eq!(api.get(&k).copied().flatten(), Some(n), "{column} {k}");
        }
    }
    // A commune's scope counts only its reports.
    let a = call(
        &t,
        "GET",
        &format!("/api/v1/officer/stats?commune={}", places[1]),
        None,
        Some(&l),
        false,
    )
    .await;
    assert_eq!(figure(&a.json(), "reports"), Some(1));
    assert_eq!(
        by_key(&a.json()["by_method"])
            .get(&methods[1])
            .copied()
            .flatten(),
        Some(1)
    );
    // The page and its CSV show the same numbers.
    let page = call(&t, "GET", "/console/thong-ke", None, Some(&l), true).await;
    assert_eq!(page.status, StatusCode::OK);
    let html = page.html();
    let reports_row = crate::common::select(&html, "#summary tr[data-key=reports] td");
    assert_eq!(reports_row[1], total.to_string(), "{reports_row:?}");
    assert!(page.text().contains("<svg"), "a chart");
    let csv = call(&t, "GET", "/console/thong-ke.csv", None, Some(&l), true).await;
    assert_eq!(csv.status, StatusCode::OK);
    assert!(csv.text().contains(&format!(",{total},")), "{}", csv.text());
    // The workbook holds the same total as a number cell, next to its label.
    let xlsx = call(&t, "GET", "/console/thong-ke.xlsx", None, Some(&l), true).await;
    assert_eq!(xlsx.status, StatusCode::OK);
    assert!(xlsx.headers["content-disposition"]
        .to_str()
        .expect("ascii")
        .ends_with(".xlsx\""));
    let sheet = crate::common::zip_entry(&xlsx.body, "xl/worksheets/sheet1.xml");
    let strings = crate::common::zip_entry(&xlsx.body, "xl/sharedStrings.xml");
    assert!(sheet.contains(&format!("<v>{total}</v>")), "{sheet}");
    assert!(strings.contains("Báo cáo của người dân"), "{strings}");
}

#[tokio::test]
async fn oversight_and_the_public_see_small_counts_as_fewer_than_five_and_no_report() {
    let (t, methods, _) = seeded().await;
    add(&t, "giamsat", Role::Oversight).await;
    let o = login(&t, "giamsat").await;
    // The console sends oversight accounts to the statistics.
    let home = call(&t, "GET", "/console", None, Some(&o), true).await;
    assert_eq!(home.status, StatusCode::SEE_OTHER);
    assert_eq!(home.headers["location"], "/console/thong-ke");
    let a = call(&t, "GET", "/api/v1/officer/stats", None, Some(&o), false).await;
    assert_eq!(a.status, StatusCode::OK, "{}", a.text());
    let s = a.json();
    assert_eq!(s["suppressed_below"], 5);
    let methods_seen = by_key(&s["by_method"]);
    assert_eq!(methods_seen.get(&methods[0]).copied().flatten(), Some(6));
    assert_eq!(
        methods_seen.get(&methods[1]).copied(),
        Some(None),
        "1 report: hidden"
    );
    let page = call(&t, "GET", "/console/thong-ke", None, Some(&o), true).await;
    let public = get(&t.app, "/thong-ke").await;
    assert_eq!(public.status, StatusCode::OK);
    for (who, text) in [
        ("oversight page", page.text()),
        ("oversight API", a.text()),
        ("public page", public.text()),
    ] {
        assert!(text.contains("&lt; 5") || text.contains("null"), "{who}");
        for secret in [
            "nhân viên ngân hàng",
            "Trần Thị Bích Ngọc",
            "0987",
            "912 345",
            "912345",
            "+84",
        ] {
            assert!(!text.contains(secret), "{who} shows {secret}");
        }
    }
    // Oversight reaches nothing else of the console.
    for path in [
        "/console/bao-cao/1",
        "/console/duong-day",
        "/console/hoat-dong",
    ] {
        let a = call(&t, "GET", path, None, Some(&o), true).await;
        assert_eq!(a.status, StatusCode::FORBIDDEN, "{path}");
    }
    // The public page is kept a minute: a new report shows after that, not at once.
    file(
        &t,
        "sms",
        &methods[1],
        t.state.store.places()[1].code,
        1,
        "0912 345 700",
    )
    .await;
    let again = get(&t.app, "/thong-ke").await;
    assert_eq!(again.body, public.body);
    assert_eq!(again.headers["cache-control"], "public, max-age=60");
}

#[tokio::test]
async fn bad_periods_and_scopes_are_refused_with_field_errors_in_both_languages() {
    let (t, _, _) = seeded().await;
    add(&t, "phantich", Role::Analyst).await;
    let l = login(&t, "phantich").await;
    for (query, code, field) in [
        ("period=2099", "period_future", "period"),
        ("period=2026-13", "period_unknown", "period"),
        (
            "period=custom&from=2026-03-01&to=2026-02-01",
            "range_reversed",
            "to",
        ),
        (
            "period=custom&from=2026-02-30&to=2026-03-01",
            "date_invalid",
            "to",
        ),
        (
            "period=custom&from=2020-01-01&to=2026-01-01",
            "range_too_long",
            "to",
        ),
        ("unit=999999", "unit_unknown", "unit"),
        ("commune=1", "commune_unknown", "commune"),
        ("unit=1&commune=1", "scope_ambiguous", "commune"),
    ] {
        let a = call(
            &t,
            "GET",
            &format!("/api/v1/officer/stats?{query}"),
            None,
            Some(&l),
            false,
        )
        .await;
        assert_eq!(
            a.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{query}: {}",
            a.text()
        );
        let e = &a.json()["errors"][0];
        assert_eq!(e["code"], code, "{query}");
        assert_eq!(e["field"], field, "{query}");
        let page = call(
            &t,
            "GET",
            &format!("/console/thong-ke?{}", query.replace("period", "ky")),
            None,
            Some(&l),
            true,
        )
        .await;
        assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY, "{query}");
    }
    let a = call(
        &t,
        "GET",
        "/api/v1/officer/stats?period=2099",
        None,
        Some(&l),
        false,
    )
    .await;
    assert!(a.text().contains("chưa bắt đầu"), "{}", a.text());
    let r = axum::http::Request::get("/api/v1/officer/stats?period=2099")
        .header("cookie", l.cookie.clone())
        .header("accept-language", "en")
        .body(axum::body::Body::empty())
        .expect("request");
    let a = send(&t.app, r).await;
    assert!(a.text().contains("has not started"), "{}", a.text());
    // Public: the same refusal, as a page.
    let a = get(&t.app, "/thong-ke?ky=2099").await;
    assert_eq!(a.status, StatusCode::UNPROCESSABLE_ENTITY);
}

#[tokio::test]
async fn a_periodic_report_carries_every_figure_into_its_docx_and_saves_are_compare_and_set() {
    let (t, _, _) = seeded().await;
    add(&t, "lead", Role::Leader).await;
    add(&t, "giamsat", Role::Oversight).await;
    let l = login(&t, "lead").await;
    let o = login(&t, "giamsat").await;
    let month = canhgiac_core::stats::StatsPeriod::month_of(canhgiac_core::clock::local_date(
        time::OffsetDateTime::now_utc().unix_timestamp(),
    ))
    .key();
    // Oversight accounts read, they do not draft.
    let a = call(
        &t,
        "POST",
        "/console/bao-cao-dinh-ky",
        Some(&format!("ky={month}")),
        Some(&o),
        true,
    )
    .await;
    assert_eq!(a.status, StatusCode::FORBIDDEN);
    let a = call(
        &t,
        "POST",
        "/console/bao-cao-dinh-ky",
        Some("ky=2099-01"),
        Some(&l),
        true,
    )
    .await;
    assert_eq!(a.status, StatusCode::UNPROCESSABLE_ENTITY);
    let a = call(
        &t,
        "POST",
        "/console/bao-cao-dinh-ky",
        Some(&format!("ky={month}")),
        Some(&l),
        true,
    )
    .await;
    assert_eq!(a.status, StatusCode::SEE_OTHER, "{}", a.text());
    assert_eq!(a.headers["location"], "/console/bao-cao-dinh-ky/1");

    // Every figure of the statistics is in the document's table, as computed.
    let stats = call(
        &t,
        "GET",
        &format!("/api/v1/officer/stats?period={month}"),
        None,
        Some(&l),
        false,
    )
    .await
    .json();
    let docx = call(
        &t,
        "GET",
        "/console/bao-cao-dinh-ky/1/bao-cao.docx",
        None,
        Some(&o),
        true,
    )
    .await;
    assert_eq!(docx.status, StatusCode::OK);
    let text = crate::common::docx_text(&docx.body);
    let lines: Vec<&str> = text.lines().map(str::trim).collect();
    for f in stats["figures"].as_array().expect("figures") {
        let label = f["label"].as_str().expect("label");
        let at = lines
            .iter()
            .position(|x| *x == label)
            .unwrap_or_else(|| panic!("{label} is not in the document"));
        let want = match (f["unit"].as_str(), f["value"].as_i64()) {
            (_, None) => "—".to_string(),
            (Some("vnd"), Some(v)) => canhgiac_core::verdict::format_vnd(v as u64),
            (_, Some(v)) => v.to_string(),
        };
        assert_eq!(lines[at + 1], want, "{label}");
    }
    let (total,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM reports")
        .fetch_one(t.state.store.pool())
        .await
        .expect("count");
    assert!(
        text.contains(&format!("tiếp nhận {total} báo cáo")),
        "{text}"
    );
    for must in [
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "Kính gửi: Ủy ban nhân dân tỉnh Đồng Nai",
        "Nơi nhận:",
        "III. KẾT QUẢ ĐẤU TRANH, XỬ LÝ",
    ] {
        assert!(text.contains(must), "{must}");
    }
    for secret in [
        "nhân viên ngân hàng",
        "Trần Thị Bích Ngọc",
        "0987",
        "912 345",
    ] {
        assert!(!text.contains(secret), "the report shows {secret}");
    }
    // The two charts are pictures in the DOCX.
    let media = crate::common::docx_media(&docx.body);
    assert_eq!(media.len(), 2, "{media:?}");

    // The PDF carries the same figures, the same head and the two charts.
    let pdf = call(
        &t,
        "GET",
        "/console/bao-cao-dinh-ky/1/bao-cao.pdf",
        None,
        Some(&o),
        true,
    )
    .await;
    assert_eq!(pdf.status, StatusCode::OK);
    assert_eq!(pdf.headers["content-type"], "application/pdf");
    assert_eq!(crate::common::pdf_image_count(&pdf.body), 2);
    let pdf_text = crate::common::pdf_text(&pdf.body);
    let rows: Vec<Vec<&str>> = pdf_text
        .lines()
        .map(|l| {
            l.split("  ")
                .map(str::trim)
                .filter(|c| !c.is_empty())
                .collect()
        })
        .collect();
    for f in stats["figures"].as_array().expect("figures") {
        let label = f["label"].as_str().expect("label");
        let want = match (f["unit"].as_str(), f["value"].as_i64()) {
            (_, None) => "—".to_string(),
            (Some("vnd"), Some(v)) => canhgiac_core::verdict::format_vnd(v as u64),
            (_, Some(v)) => v.to_string(),
        };
        // a long label wraps in its cell: its first line is on the figures' row
        assert!(
            rows.iter().any(|cols| cols.len() >= 2
                && cols[0].chars().count() >= label.chars().count().min(12)
                && label.starts_with(cols[0])
                && cols[1] == want),
            "{label} = {want} is not in the PDF:\n{pdf_text}"
        );
    }
    let flat = pdf_text.split_whitespace().collect::<Vec<_>>().join(" ");
    for must in [
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "Kính gửi: Ủy ban nhân dân tỉnh Đồng Nai",
        "Nơi nhận:",
        "III. KẾT QUẢ ĐẤU TRANH, XỬ LÝ",
        &format!("tiếp nhận {total} báo cáo"),
    ] {
        assert!(flat.contains(must), "{must} is not in the PDF");
    }
    for secret in ["nhân viên ngân hàng", "Trần Thị Bích Ngọc", "0987"] {
        assert!(!flat.contains(secret), "the PDF shows {secret}");
    }

    // Edits: the first save at version 1 wins, a second one at version 1 is refused.
    let edit = |v: i64, words: &str| {
        format!(
            "version={v}&number=125%2FBC-CAT&section_difficulties={}",
            words.replace(' ', "+")
        )
    };
    let a = call(
        &t,
        "POST",
        "/console/bao-cao-dinh-ky/1",
        Some(&edit(1, "Thiếu cán bộ")),
        Some(&l),
        true,
    )
    .await;
    assert_eq!(a.status, StatusCode::SEE_OTHER, "{}", a.text());
    let a = call(
        &t,
        "POST",
        "/console/bao-cao-dinh-ky/1",
        Some(&edit(1, "Bản cũ")),
        Some(&l),
        true,
    )
    .await;
    assert_eq!(a.status, StatusCode::CONFLICT);
    // Two saves at once at version 2: one wins.
    let (body_a, body_b) = (edit(2, "Bản A"), edit(2, "Bản B"));
    let (x, y) = tokio::join!(
        call(
            &t,
            "POST",
            "/console/bao-cao-dinh-ky/1",
            Some(&body_a),
            Some(&l),
            true
        ),
        call(
            &t,
            "POST",
            "/console/bao-cao-dinh-ky/1",
            Some(&body_b),
            Some(&l),
            true
        ),
    );
    let mut statuses = [x.status, y.status];
    statuses.sort();
    assert_eq!(statuses, [StatusCode::SEE_OTHER, StatusCode::CONFLICT]);
    let a = call(
        &t,
        "POST",
        "/console/bao-cao-dinh-ky/1",
        Some(&edit(3, "x")),
        Some(&o),
        true,
    )
    .await;
    assert_eq!(a.status, StatusCode::FORBIDDEN);
    // The saved text and number are in the document; the figures are those drafted.
    let text = crate::common::docx_text(
        &call(
            &t,
            "GET",
            "/console/bao-cao-dinh-ky/1/bao-cao.docx",
            None,
            Some(&l),
            true,
        )
        .await
        .body,
    );
    assert!(text.contains("Số: 125/BC-CAT"), "{text}");
    assert!(text.contains("Bản A") ^ text.contains("Bản B"));
    assert!(!text.contains("Thiếu cán bộ") && !text.contains("Bản cũ"));
    let page = call(
        &t,
        "GET",
        "/console/bao-cao-dinh-ky/1",
        None,
        Some(&o),
        true,
    )
    .await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(
        !page.text().contains("periodic-form"),
        "read only for oversight"
    );
}

#[tokio::test]
async fn a_campaign_counts_the_reports_in_its_scope_before_during_and_after() {
    let (t, methods, places) = seeded().await;
    add(&t, "lead", Role::Leader).await;
    add(&t, "giamsat", Role::Oversight).await;
    let l = login(&t, "lead").await;
    let o = login(&t, "giamsat").await;
    let today = canhgiac_core::clock::local_date(time::OffsetDateTime::now_utc().unix_timestamp());
    let from = (today - time::Duration::days(3)).to_string();
    let to = (today + time::Duration::days(3)).to_string();
    // No scope, a reversed range, an unknown commune: field errors, nothing stored.
    let bad = call(
        &t,
        "POST",
        "/console/dot-cao-diem",
        Some(&format!("name=X&from={to}&to={from}&communes=1")),
        Some(&l),
        true,
    )
    .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    let fields = crate::common::attrs(&bad.html(), "ul.error li", "data-field");
    assert_eq!(fields, vec!["to", "communes"], "{fields:?}");
    let bad = call(
        &t,
        "POST",
        "/console/dot-cao-diem",
        Some(&format!("name=X&from={from}&to={to}")),
        Some(&l),
        true,
    )
    .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad.text().contains("Chọn phạm vi của đợt"));
    // Oversight reads, does not define.
    let body = format!(
        "name=Cao+%C4%91i%E1%BB%83m+th%C3%A1ng+12&from={from}&to={to}&communes={}&methods={}&target_hours=24&target_percent=80",
        places[0], methods[0]
    );
    let a = call(
        &t,
        "POST",
        "/console/dot-cao-diem",
        Some(&body),
        Some(&o),
        true,
    )
    .await;
    assert_eq!(a.status, StatusCode::FORBIDDEN);
    let a = call(
        &t,
        "POST",
        "/console/dot-cao-diem",
        Some(&body),
        Some(&l),
        true,
    )
    .await;
    assert_eq!(a.status, StatusCode::SEE_OTHER, "{}", a.text());
    assert_eq!(a.headers["location"], "/console/dot-cao-diem/1");
    let page = call(&t, "GET", "/console/dot-cao-diem/1", None, Some(&o), true).await;
    assert_eq!(page.status, StatusCode::OK);
    let cells = crate::common::select(&page.html(), "#windows tbody tr:nth-child(2) td");
    // six reports by call with the first method from the first commune, all today
    assert_eq!(cells[2], "6", "{cells:?}");
    assert_eq!(cells[3], "6.000.000", "{cells:?}");
    let before = crate::common::select(&page.html(), "#windows tbody tr:nth-child(1) td");
    assert_eq!(before[2], "0");
    // It feeds the periodic report of the month.
    let month = canhgiac_core::stats::StatsPeriod::month_of(today).key();
    let a = call(
        &t,
        "POST",
        "/console/bao-cao-dinh-ky",
        Some(&format!("ky={month}")),
        Some(&l),
        true,
    )
    .await;
    assert_eq!(a.status, StatusCode::SEE_OTHER);
    let text = crate::common::docx_text(
        &call(
            &t,
            "GET",
            "/console/bao-cao-dinh-ky/1/bao-cao.docx",
            None,
            Some(&l),
            true,
        )
        .await
        .body,
    );
    assert!(text.contains("Các đợt cao điểm trong kỳ"), "{text}");
    assert!(
        text.contains("“Cao điểm tháng 12”") && text.contains("6 báo cáo trong phạm vi"),
        "{text}"
    );
}

#[tokio::test]
async fn sector_loopholes_group_the_reported_identifiers_by_bank_carrier_and_platform() {
    let (t, _, _) = seeded().await;
    add(&t, "lead", Role::Leader).await;
    add(&t, "giamsat", Role::Oversight).await;
    let l = login(&t, "lead").await;
    let o = login(&t, "giamsat").await;
    let report = r#"{"channel": "zalo", "narrative": "Giả danh công an, bắt chuyển tiền.", "amount_lost_vnd": 50000000,
      "identifiers": [{"kind": "social", "value": "zalo:0987000111"}],
      "transfers": [{"bank": "VCB", "account": "0123456789", "amount_vnd": 50000000}]}"#;
    let a = post_json(&t.app, "/api/v1/reports", report, &[]).await;
    assert_eq!(a.status, StatusCode::CREATED, "{}", a.text());
    t.state.index.catch_up(&t.state.store).await.expect("index");
    let a = call(
        &t,
        "POST",
        "/api/v1/officer/reports/8/holds",
        Some("{}"),
        Some(&l),
        false,
    )
    .await;
    assert_eq!(a.status, StatusCode::CREATED, "{}", a.text());
    let hold = a.json()["ids"][0].as_i64().expect("hold");
    for body in [r#"{"state":"sent"}"#, r#"{"state":"refused"}"#] {
        let a = call(
            &t,
            "POST",
            &format!("/api/v1/officer/holds/{hold}/state"),
            Some(body),
            Some(&l),
            false,
        )
        .await;
        assert_eq!(a.status, StatusCode::NO_CONTENT, "{}", a.text());
    }
    let a = call(
        &t,
        "PUT",
        "/api/v1/officer/identifiers/phone:+84912345670",
        Some(r#"{"verdict":"verified","reason":"đã xác minh"}"#),
        Some(&l),
        false,
    )
    .await;
    assert!(a.status.is_success(), "{}", a.text());
    let a = call(&t, "GET", "/console/lo-hong.csv", None, Some(&o), true).await;
    assert_eq!(
        a.status,
        StatusCode::FORBIDDEN,
        "oversight sees no identifiers' groups"
    );
    let csv = call(&t, "GET", "/console/lo-hong.csv", None, Some(&l), true).await;
    assert_eq!(csv.status, StatusCode::OK);
    let text = csv.text();
    let row = |prefix: &str| -> Vec<String> {
        text.lines()
            .find(|line| line.contains(prefix))
            .unwrap_or_else(|| panic!("no row {prefix}: {text}"))
            .split(',')
            .map(str::to_string)
            .collect()
    };
    // seven distinct VinaPhone numbers (091…) in seven reports, one verified
    let vina = row("VinaPhone · 091");
    assert_eq!(&vina[2..5], ["7", "7", "1"], "{vina:?}");
    // one Vietcombank account, one hold request, refused, with a proposal
    let vcb = row("Vietcombank (970436)");
    assert_eq!(&vcb[2..5], ["1", "1", "0"], "{vcb:?}");
    assert_eq!(vcb[5], "1 / 0 giữ / 1 từ chối");
    assert!(vcb[7].contains("lý do từ chối"), "{vcb:?}");
    let zalo = row("Mạng xã hội,Zalo");
    assert_eq!(&zalo[2..5], ["1", "1", "0"], "{zalo:?}");
    let page = call(&t, "GET", "/console/lo-hong?ky=2099", None, Some(&l), true).await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
}
