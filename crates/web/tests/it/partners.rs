//! Partners and their API keys: an administrator registers a bank and issues keys in
//! the console (a key is shown once and kept only as a hash); the bank lists and
//! answers the hold requests addressed to it, and nothing else; every key refusal has
//! its status and code; a key's rate gives 429 with `Retry-After`; rotation, revocation
//! and disabling a partner take effect; two answers at once: one wins.

use crate::common::{add, app, call, login, post_json, send, Answer, Login, TestApp};
use axum::body::Body;
use axum::http::{Request, StatusCode};
use canhgiac_core::roles::Role;

const VCB: &str = "970436";
const TCB: &str = "970407";

pub(crate) async fn with_key(
    t: &TestApp,
    method: &str,
    uri: &str,
    key: &str,
    body: Option<&str>,
) -> Answer {
    let mut r = Request::builder()
        .method(method)
        .uri(uri)
        .header("authorization", format!("Bearer {key}"));
    let body = match body {
        Some(b) => {
            r = r.header("content-type", "application/json");
            Body::from(b.to_string())
        }
        None => Body::empty(),
    };
    send(&t.app, r.body(body).expect("request")).await
}

/// Registers a partner through the console and answers its id.
pub(crate) async fn partner(t: &TestApp, admin: &Login, name: &str, kind: &str, bin: &str) -> i64 {
    let a = call(
        t,
        "POST",
        "/console/doi-tac",
        Some(&format!("name={name}&kind={kind}&bank_bin={bin}")),
        Some(admin),
        true,
    )
    .await;
    assert_eq!(a.status, StatusCode::SEE_OTHER, "{}", a.text());
    a.headers["location"]
        .to_str()
        .expect("ascii")
        .rsplit('/')
        .next()
        .expect("id")
        .parse()
        .expect("number")
}

/// Issues a key through the console and reads it off the answer (the only time it is
/// shown).
pub(crate) async fn issue(
    t: &TestApp,
    admin: &Login,
    partner: i64,
    scopes: &[&str],
    per_minute: u32,
) -> String {
    let mut body = format!("per_minute={per_minute}&label=test");
    for s in scopes {
        body.push_str(&format!("&scopes={}", s.replace(':', "%3A")));
    }
    let a = call(
        t,
        "POST",
        &format!("/console/doi-tac/{partner}/khoa"),
        Some(&body),
        Some(admin),
        true,
    )
    .await;
    assert_eq!(a.status, StatusCode::CREATED, "{}", a.text());
    let keys = crate::common::select(&a.html(), "#new-key code");
    assert_eq!(keys.len(), 1, "the new key is shown");
    keys[0].clone()
}

/// Revokes a key through the console.
async fn revoke(t: &TestApp, admin: &Login, key_id: i64) -> Answer {
    let uri = format!("/console/doi-tac/khoa/{key_id}/thu-hoi");
    call(t, "POST", &uri, Some(""), Some(admin), true).await
}

/// Rotates a key through the console, the old one kept for `grace_hours`.
async fn rotate(t: &TestApp, admin: &Login, key_id: i64, grace_hours: u32) -> Answer {
    let uri = format!("/console/doi-tac/khoa/{key_id}/doi");
    let body = format!("grace_hours={grace_hours}");
    call(t, "POST", &uri, Some(&body), Some(admin), true).await
}

/// A report with a transfer to Vietcombank, its hold request made and sent.
pub(crate) async fn sent_hold(t: &TestApp) -> (i64, Login) {
    let report = r#"{"channel": "call", "narrative": "Giả danh công an, bắt chuyển tiền vào tài khoản.", "amount_lost_vnd": 50000000,
      "transfers": [{"bank": "VCB", "account": "0123456789", "amount_vnd": 50000000, "at": "2026-11-28T09:15:00+07:00"}]}"#;
    let a = post_json(&t.app, "/api/v1/reports", report, &[]).await;
    assert_eq!(a.status, StatusCode::CREATED, "{}", a.text());
    t.state.index.catch_up(&t.state.store).await.expect("index");
    add(t, "inv", Role::Investigator).await;
    let inv = login(t, "inv").await;
    let a = call(
        t,
        "POST",
        "/api/v1/officer/reports/1/holds",
        Some("{}"),
        Some(&inv),
        false,
    )
    .await;
    assert_eq!(a.status, StatusCode::CREATED, "{}", a.text());
    let id = a.json()["ids"][0].as_i64().expect("id");
    let a = call(
        t,
        "POST",
        &format!("/api/v1/officer/holds/{id}/state"),
        Some(r#"{"state":"sent"}"#),
        Some(&inv),
        false,
    )
    .await;
    assert_eq!(a.status, StatusCode::NO_CONTENT, "{}", a.text());
    (id, inv)
}

/// A partner route: method, path, body, the scope it needs (`None`: any key) and its
/// status when allowed.
type Route<'a> = (
    &'a str,
    String,
    Option<&'a str>,
    Option<&'a str>,
    StatusCode,
);

pub(crate) async fn setup() -> (TestApp, Login) {
    let t = app().await;
    add(&t, "quantri", Role::Admin).await;
    let admin = login(&t, "quantri").await;
    (t, admin)
}

#[tokio::test]
async fn a_bank_answers_the_hold_requests_addressed_to_it_and_only_those() {
    let (t, admin) = setup().await;
    let (hold, inv) = sent_hold(&t).await;
    let vcb = partner(&t, &admin, "Vietcombank", "bank", VCB).await;
    let tcb = partner(&t, &admin, "Techcombank", "bank", TCB).await;
    let vcb_key = issue(&t, &admin, vcb, &["holds:respond"], 600).await;
    let tcb_key = issue(&t, &admin, tcb, &["holds:respond"], 600).await;

    // The key is never shown again and never stored or audited as such.
    let page = call(
        &t,
        "GET",
        &format!("/console/doi-tac/{vcb}"),
        None,
        Some(&admin),
        true,
    )
    .await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(!page.text().contains(&vcb_key));
    let audit = call(
        &t,
        "GET",
        "/api/v1/officer/audit",
        None,
        Some(&admin),
        false,
    )
    .await;
    assert!(
        !audit.text().contains(&vcb_key[12..]),
        "no key material in the audit log"
    );
    assert!(audit.text().contains("key.issue"));

    // Vietcombank sees its request waiting; Techcombank sees nothing and cannot answer it.
    let a = with_key(
        &t,
        "GET",
        "/api/v1/partner/holds?state=sent",
        &vcb_key,
        None,
    )
    .await;
    assert_eq!(a.status, StatusCode::OK, "{}", a.text());
    let list = a.json();
    assert_eq!(list.as_array().map(Vec::len), Some(1), "{list}");
    assert_eq!(list[0]["id"], hold);
    assert_eq!(list[0]["letter"]["accounts"][0]["account"], "0123456789");
    let version = list[0]["version"].as_i64().expect("version");
    let a = with_key(&t, "GET", "/api/v1/partner/holds", &tcb_key, None).await;
    assert_eq!(a.json().as_array().map(Vec::len), Some(0));
    let a = with_key(
        &t,
        "GET",
        &format!("/api/v1/partner/holds/{hold}"),
        &tcb_key,
        None,
    )
    .await;
    assert_eq!(a.status, StatusCode::NOT_FOUND);
    let body = format!(r#"{{"answer":"acknowledged","version":{version}}}"#);
    let uri = format!("/api/v1/partner/holds/{hold}/answers");
    let a = with_key(&t, "POST", &uri, &tcb_key, Some(&body)).await;
    assert_eq!(a.status, StatusCode::NOT_FOUND);

    // Vietcombank: acknowledged, then held with its own time, then part returned.
    let a = with_key(&t, "POST", &uri, &vcb_key, Some(&body)).await;
    assert_eq!(a.status, StatusCode::OK, "{}", a.text());
    assert_eq!(a.json()["state"], "acknowledged");
    let v = a.json()["version"].as_i64().expect("version");
    // A stale version, bad amounts, a bad time and a bad answer are refused.
    let a = with_key(&t, "POST", &uri, &vcb_key, Some(&body)).await;
    assert_eq!(
        (a.status, a.code()),
        (StatusCode::CONFLICT, "changed_meanwhile".into())
    );
    for (bad, code) in [
        (
            format!(r#"{{"answer":"held","version":{v}}}"#),
            "bad_amount",
        ),
        (
            format!(r#"{{"answer":"held","version":{v},"amount_vnd":-5}}"#),
            "bad_amount",
        ),
        (
            format!(r#"{{"answer":"nothing_left","version":{v},"amount_vnd":5}}"#),
            "bad_amount",
        ),
        (
            format!(
                r#"{{"answer":"held","version":{v},"amount_vnd":5,"effective_at":"2099-01-01T00:00:00+07:00"}}"#
            ),
            "bad_time",
        ),
        (
            format!(
                r#"{{"answer":"held","version":{v},"amount_vnd":5,"effective_at":"2020-01-01T00:00:00+07:00"}}"#
            ),
            "bad_time",
        ),
        (
            format!(r#"{{"answer":"held","version":{v},"amount_vnd":5,"effective_at":"hôm qua"}}"#),
            "invalid_time",
        ),
        (
            format!(r#"{{"answer":"frozen","version":{v}}}"#),
            "invalid_answer",
        ),
    ] {
        let a = with_key(&t, "POST", &uri, &vcb_key, Some(&bad)).await;
        assert_eq!(
            a.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{bad}: {}",
            a.text()
        );
        assert_eq!(a.code(), code, "{bad}");
    }
    let a = with_key(
        &t,
        "POST",
        &uri,
        &vcb_key,
        Some(&format!(
            r#"{{"answer":"returned","version":{v},"amount_vnd":1}}"#
        )),
    )
    .await;
    assert_eq!(
        (a.status, a.code()),
        (StatusCode::CONFLICT, "bad_transition".into()),
        "nothing held yet"
    );
    let held_at = time::OffsetDateTime::now_utc();
    let held_at = held_at
        .format(&time::format_description::well_known::Rfc3339)
        .expect("time");
    let a = with_key(
        &t,
        "POST",
        &uri,
        &vcb_key,
        Some(&format!(r#"{{"answer":"held","version":{v},"amount_vnd":42000000,"effective_at":"{held_at}","note":"Phong tỏa lúc 9 giờ"}}"#)),
    )
    .await;
    assert_eq!(a.status, StatusCode::OK, "{}", a.text());
    let v = a.json()["version"].as_i64().expect("version");
    assert_eq!(a.json()["letter"]["held_amount_vnd"], 42_000_000);
    let a = with_key(
        &t,
        "POST",
        &uri,
        &vcb_key,
        Some(&format!(
            r#"{{"answer":"returned","version":{v},"amount_vnd":50000000}}"#
        )),
    )
    .await;
    assert_eq!(a.code(), "bad_amount", "more than held");
    let a = with_key(
        &t,
        "POST",
        &uri,
        &vcb_key,
        Some(&format!(
            r#"{{"answer":"returned","version":{v},"amount_vnd":40000000}}"#
        )),
    )
    .await;
    assert_eq!(a.status, StatusCode::OK, "{}", a.text());
    let done = a.json();
    assert_eq!(done["state"], "released");
    assert_eq!(done["returned_amount_vnd"], 40_000_000);
    let answers: Vec<&str> = done["answers"]
        .as_array()
        .expect("answers")
        .iter()
        .filter_map(|x| x["answer"].as_str())
        .collect();
    assert_eq!(answers, ["acknowledged", "held", "returned"]);

    // The officer sees the bank's answers, by the bank's name, with its times.
    let a = call(
        &t,
        "GET",
        &format!("/console/tam-giu/{hold}"),
        None,
        Some(&inv),
        true,
    )
    .await;
    assert_eq!(a.status, StatusCode::OK, "{}", a.text());
    assert!(a.text().contains("Vietcombank"), "the bank is named");
    let events = t
        .state
        .store
        .audit_entries(None, 50, Some("hold.answer"))
        .await
        .expect("audit");
    let answered: Vec<_> = events
        .iter()
        .filter(|e| e.action == "hold.answer")
        .collect();
    assert_eq!(answered.len(), 3);
    assert!(
        answered
            .iter()
            .all(|e| e.actor.starts_with("partner:Vietcombank/")),
        "{answered:?}"
    );

    // Uses are counted per key, route and answer.
    t.state.flush_key_uses().await;
    let keys = t.state.store.keys(vcb).await.expect("keys");
    let uses = t
        .state
        .store
        .key_uses(keys[0].id, 0, 100)
        .await
        .expect("uses");
    let total: i64 = uses.iter().map(|u| u.3).sum();
    assert!(total >= 12, "{uses:?}");
    assert!(uses
        .iter()
        .any(|u| u.1 == "POST /api/v1/partner/holds/{id}/answers" && u.2 == 422));
    assert!(keys[0].last_used_at.is_some());
}

#[tokio::test]
async fn every_scope_meets_every_partner_route_with_the_right_status() {
    let (t, admin) = setup().await;
    let (hold, _) = sent_hold(&t).await;
    let vcb = partner(&t, &admin, "Vietcombank", "bank", VCB).await;
    let scopes = [
        "indicators:read",
        "reports:submit",
        "holds:respond",
        "blocklist:submit",
    ];
    let mut keys = Vec::new();
    for s in scopes {
        keys.push((s, issue(&t, &admin, vcb, &[s], 600).await));
    }
    let answer = r#"{"answer":"acknowledged","version":999}"#;
    // (method, path, body, the scope it needs or None for any key, status when allowed)
    let routes: [Route; 15] = [
        (
            "GET",
            "/api/v1/partner/me".into(),
            None,
            None,
            StatusCode::OK,
        ),
        (
            "GET",
            "/api/v1/partner/holds".into(),
            None,
            Some("holds:respond"),
            StatusCode::OK,
        ),
        (
            "GET",
            format!("/api/v1/partner/holds/{hold}"),
            None,
            Some("holds:respond"),
            StatusCode::OK,
        ),
        (
            "POST",
            format!("/api/v1/partner/holds/{hold}/answers"),
            Some(answer),
            Some("holds:respond"),
            StatusCode::CONFLICT,
        ),
        (
            "POST",
            "/api/v1/partner/reports".into(),
            Some(
                r#"{"reports": [{"channel": "call", "narrative": "Giả danh công an gọi điện đòi chuyển tiền.", "identifiers": [{"kind": "phone", "value": "0903 222 333"}]}]}"#,
            ),
            Some("reports:submit"),
            StatusCode::CREATED,
        ),
        (
            "POST",
            "/api/v1/partner/blocklists?format=domains".into(),
            Some("lua-dao.vn"),
            Some("blocklist:submit"),
            StatusCode::CREATED,
        ),
        (
            "POST",
            "/api/v1/partner/blocklists/999/withdraw".into(),
            Some(r#"{"version": 1}"#),
            Some("blocklist:submit"),
            StatusCode::NOT_FOUND,
        ),
        (
            "GET",
            "/api/v1/partner/blocklists".into(),
            None,
            Some("blocklist:submit"),
            StatusCode::OK,
        ),
        (
            "GET",
            "/api/v1/partner/hashes/0a0b0c0d".into(),
            None,
            Some("indicators:read"),
            StatusCode::OK,
        ),
        (
            "GET",
            "/api/v1/partner/hash-prefixes".into(),
            None,
            Some("indicators:read"),
            StatusCode::OK,
        ),
        (
            "GET",
            "/api/v1/partner/indicators/stix".into(),
            None,
            Some("indicators:read"),
            StatusCode::OK,
        ),
        (
            "GET",
            "/api/v1/partner/indicators/misp".into(),
            None,
            Some("indicators:read"),
            StatusCode::OK,
        ),
        (
            "GET",
            "/api/v1/partner/indicators/csv".into(),
            None,
            Some("indicators:read"),
            StatusCode::OK,
        ),
        (
            "GET",
            "/api/v1/partner/indicators/changes".into(),
            None,
            Some("indicators:read"),
            StatusCode::OK,
        ),
        (
            "GET",
            "/api/v1/partner/indicators/changes.atom".into(),
            None,
            Some("indicators:read"),
            StatusCode::OK,
        ),
    ];
    for (scope, key) in &keys {
        for (method, path, body, needs, allowed) in &routes {
            let a = with_key(&t, method, path, key, *body).await;
            let want = if needs.is_none_or(|n| n == *scope) {
                *allowed
            } else {
                StatusCode::FORBIDDEN
            };
            assert_eq!(a.status, want, "{scope} {method} {path}: {}", a.text());
            if want == StatusCode::FORBIDDEN {
                assert_eq!(a.code(), "key_out_of_scope");
            }
        }
        // Without a key, each route answers 401 key_missing; an officer's session is
        // not a key.
        for (method, path, body, _, _) in &routes {
            let a = call(&t, method, path, *body, None, false).await;
            assert_eq!(
                (a.status, a.code()),
                (StatusCode::UNAUTHORIZED, "key_missing".into()),
                "{path}"
            );
            assert!(a.headers.contains_key("www-authenticate"));
            let a = call(&t, method, path, *body, Some(&admin), false).await;
            assert_eq!(a.status, StatusCode::UNAUTHORIZED, "{path}");
        }
    }
    // Only banks may be given holds:respond.
    let carrier = partner(&t, &admin, "Viettel", "carrier", "").await;
    let a = call(
        &t,
        "POST",
        &format!("/console/doi-tac/{carrier}/khoa"),
        Some("per_minute=60&scopes=holds%3Arespond"),
        Some(&admin),
        true,
    )
    .await;
    assert_eq!(a.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(a.text().contains("chỉ ngân hàng"), "{}", a.text());
    // Bad partners are refused with the field in error.
    for (body, words) in [
        ("name=Ng%C3%A2n+h%C3%A0ng+X&kind=bank&bank_bin=12", "BIN"),
        (
            "name=Vietcombank&kind=bank&bank_bin=970415",
            "Đã có đối tác tên này",
        ),
        (
            "name=VCB+2&kind=bank&bank_bin=970436",
            "Đã có đối tác là ngân hàng này",
        ),
        ("name=Zalo&kind=platform&bank_bin=970436", "BIN"),
    ] {
        let a = call(
            &t,
            "POST",
            "/console/doi-tac",
            Some(body),
            Some(&admin),
            true,
        )
        .await;
        assert_eq!(a.status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
        assert!(a.text().contains(words), "{body}: {}", a.text());
    }
    // Other roles do not reach the partner pages.
    add(&t, "lead", Role::Leader).await;
    let lead = login(&t, "lead").await;
    let a = call(&t, "GET", "/console/doi-tac", None, Some(&lead), true).await;
    assert_eq!(a.status, StatusCode::FORBIDDEN);
    let a = call(
        &t,
        "POST",
        &format!("/console/doi-tac/{vcb}/khoa"),
        Some("per_minute=60&scopes=indicators%3Aread"),
        Some(&lead),
        true,
    )
    .await;
    assert_eq!(a.status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn refused_keys_say_why_and_a_key_over_its_rate_waits() {
    let (t, admin) = setup().await;
    let vcb = partner(&t, &admin, "Vietcombank", "bank", VCB).await;
    let key = issue(&t, &admin, vcb, &["holds:respond"], 3).await;
    let me = "/api/v1/partner/me";
    // Malformed, unknown and wrong-secret keys.
    let mut wrong = key.clone();
    wrong.pop();
    wrong.push(if key.ends_with('A') { 'B' } else { 'A' });
    for (bad, code) in [
        ("cgk_nothing", "key_invalid"),
        (
            "cgk_00000000_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
            "key_invalid",
        ),
        (wrong.as_str(), "key_invalid"),
    ] {
        let a = with_key(&t, "GET", me, bad, None).await;
        assert_eq!(
            (a.status, a.code()),
            (StatusCode::UNAUTHORIZED, code.into()),
            "{bad}"
        );
    }
    let a = with_key(&t, "GET", &format!("{me}?lang=en"), "cgk_nothing", None).await;
    assert!(a.text().contains("not valid"), "{}", a.text());
    // Three a minute: the fourth waits, told how long.
    for _ in 0..3 {
        assert_eq!(
            with_key(&t, "GET", me, &key, None).await.status,
            StatusCode::OK
        );
    }
    let a = with_key(&t, "GET", me, &key, None).await;
    assert_eq!(a.status, StatusCode::TOO_MANY_REQUESTS);
    let wait: u64 = a.headers["retry-after"]
        .to_str()
        .expect("ascii")
        .parse()
        .expect("seconds");
    assert!((1..=60).contains(&wait), "{wait}");

    // Rotation: the old key works through its grace period; with none it stops at once.
    let keys = t.state.store.keys(vcb).await.expect("keys");
    let a = rotate(&t, &admin, keys[0].id, 0).await;
    assert_eq!(a.status, StatusCode::CREATED, "{}", a.text());
    let rotated = crate::common::select(&a.html(), "#new-key code")[0].clone();
    let a = with_key(&t, "GET", me, &key, None).await;
    assert_eq!(
        (a.status, a.code()),
        (StatusCode::UNAUTHORIZED, "key_expired".into())
    );
    assert_eq!(
        with_key(&t, "GET", me, &rotated, None).await.status,
        StatusCode::OK
    );
    // Rotating the old key again: refused (it was replaced).
    let a = rotate(&t, &admin, keys[0].id, 0).await;
    assert_eq!(a.status, StatusCode::CONFLICT);
    let graced = issue(&t, &admin, vcb, &["holds:respond"], 60).await;
    let id = t.state.store.keys(vcb).await.expect("keys")[0].id;
    let a = rotate(&t, &admin, id, 24).await;
    assert_eq!(a.status, StatusCode::CREATED);
    assert_eq!(
        with_key(&t, "GET", me, &graced, None).await.status,
        StatusCode::OK,
        "in its grace period"
    );

    // Revocation.
    let id = t.state.store.keys(vcb).await.expect("keys")[0].id;
    let now_key = crate::common::select(&a.html(), "#new-key code")[0].clone();
    let a = revoke(&t, &admin, id).await;
    assert_eq!(a.status, StatusCode::SEE_OTHER);
    let a = with_key(&t, "GET", me, &now_key, None).await;
    assert_eq!(
        (a.status, a.code()),
        (StatusCode::UNAUTHORIZED, "key_revoked".into())
    );
    let a = revoke(&t, &admin, id).await;
    assert_eq!(a.status, StatusCode::CONFLICT, "already revoked");

    // Disabling the partner stops every key at once; a stale version is refused.
    let a = call(
        &t,
        "POST",
        &format!("/console/doi-tac/{vcb}/trang-thai"),
        Some("version=1&active=0"),
        Some(&admin),
        true,
    )
    .await;
    assert_eq!(a.status, StatusCode::SEE_OTHER);
    let a = with_key(&t, "GET", me, &rotated, None).await;
    assert_eq!(
        (a.status, a.code()),
        (StatusCode::UNAUTHORIZED, "key_revoked".into())
    );
    let a = call(
        &t,
        "POST",
        &format!("/console/doi-tac/{vcb}/trang-thai"),
        Some("version=1&active=1"),
        Some(&admin),
        true,
    )
    .await;
    assert_eq!(a.status, StatusCode::CONFLICT);

    // An expiry in the past is refused; a key issued with a future expiry works.
    let a = call(
        &t,
        "POST",
        "/console/doi-tac",
        Some("name=Viettel&kind=carrier"),
        Some(&admin),
        true,
    )
    .await;
    let viettel: i64 = a.headers["location"]
        .to_str()
        .expect("ascii")
        .rsplit('/')
        .next()
        .expect("id")
        .parse()
        .expect("n");
    let a = call(
        &t,
        "POST",
        &format!("/console/doi-tac/{viettel}/khoa"),
        Some("per_minute=60&scopes=indicators%3Aread&expires=2020-01-01"),
        Some(&admin),
        true,
    )
    .await;
    assert_eq!(a.status, StatusCode::UNPROCESSABLE_ENTITY);
    let a = call(
        &t,
        "POST",
        &format!("/console/doi-tac/{viettel}/khoa"),
        Some("per_minute=60&scopes=indicators%3Aread&expires=2099-01-01"),
        Some(&admin),
        true,
    )
    .await;
    assert_eq!(a.status, StatusCode::CREATED, "{}", a.text());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn ten_answers_at_once_from_a_bank_one_wins() {
    let (t, admin) = setup().await;
    let (hold, _) = sent_hold(&t).await;
    let vcb = partner(&t, &admin, "Vietcombank", "bank", VCB).await;
    let key = issue(&t, &admin, vcb, &["holds:respond"], 600).await;
    let a = with_key(
        &t,
        "GET",
        &format!("/api/v1/partner/holds/{hold}"),
        &key,
        None,
    )
    .await;
    let version = a.json()["version"].as_i64().expect("version");
    let uri = format!("/api/v1/partner/holds/{hold}/answers");
    let tasks: Vec<_> = (0..10)
        .map(|i| {
            let (app, key, uri) = (t.app.clone(), key.clone(), uri.clone());
            let body = if i % 2 == 0 {
                format!(
                    r#"{{"answer":"held","version":{version},"amount_vnd":{}}}"#,
                    1000 * (i + 1)
                )
            } else {
                format!(r#"{{"answer":"nothing_left","version":{version}}}"#)
            };
            tokio::spawn(async move {
                let r = Request::post(&uri)
                    .header("authorization", format!("Bearer {key}"))
                    .header("content-type", "application/json")
                    .body(Body::from(body))
                    .expect("request");
                send(&app, r).await.status
            })
        })
        .collect();
    let mut statuses = Vec::new();
    for task in tasks {
        statuses.push(task.await.expect("task"));
    }
    assert_eq!(
        statuses.iter().filter(|s| **s == StatusCode::OK).count(),
        1,
        "{statuses:?}"
    );
    assert_eq!(
        statuses
            .iter()
            .filter(|s| **s == StatusCode::CONFLICT)
            .count(),
        9,
        "{statuses:?}"
    );
    let answered = t
        .state
        .store
        .audit_entries(None, 50, Some("hold.answer"))
        .await
        .expect("audit")
        .into_iter()
        .filter(|e| e.action == "hold.answer")
        .count();
    assert_eq!(answered, 1);
}

async fn form(t: &TestApp, uri: &str, body: &str, cookie: Option<&str>) -> Answer {
    let mut r = Request::post(uri).header("content-type", "application/x-www-form-urlencoded");
    if let Some(c) = cookie {
        r = r.header("cookie", c);
    }
    send(
        &t.app,
        r.body(Body::from(body.to_string())).expect("request"),
    )
    .await
}

async fn page_with(t: &TestApp, uri: &str, cookie: &str) -> Answer {
    send(
        &t.app,
        Request::get(uri)
            .header("cookie", cookie)
            .body(Body::empty())
            .expect("request"),
    )
    .await
}

#[tokio::test]
async fn a_bank_without_an_integration_answers_in_the_portal() {
    let (t, admin) = setup().await;
    let (hold, _) = sent_hold(&t).await;
    let vcb = partner(&t, &admin, "Vietcombank", "bank", VCB).await;
    let reader = issue(&t, &admin, vcb, &["indicators:read"], 60).await;
    let key = issue(&t, &admin, vcb, &["holds:respond"], 60).await;

    // The sign-in form; a key that may not answer holds is refused, with the reason.
    let a = crate::common::get(&t.app, "/doi-tac").await;
    assert_eq!(a.status, StatusCode::OK);
    assert!(a.text().contains("portal-sign-in"));
    let a = form(&t, "/doi-tac/dang-nhap", &format!("key={reader}"), None).await;
    assert_eq!(a.status, StatusCode::UNAUTHORIZED);
    assert!(a.text().contains("không được trả lời"), "{}", a.text());
    let a = form(&t, "/doi-tac/dang-nhap", "key=cgk_sai", None).await;
    assert_eq!(a.status, StatusCode::UNAUTHORIZED);
    let a = form(&t, "/doi-tac/dang-nhap", &format!("key={key}"), None).await;
    assert_eq!(a.status, StatusCode::SEE_OTHER);
    let set = a.headers["set-cookie"].to_str().expect("ascii").to_string();
    assert!(
        set.contains("HttpOnly") && set.contains("SameSite=Strict"),
        "{set}"
    );
    assert!(!set.contains(&key), "the cookie is not the key");
    let cookie = set.split(';').next().expect("pair").to_string();

    // The request waiting, with its account; answering needs the form's CSRF token.
    let a = page_with(&t, "/doi-tac", &cookie).await;
    assert_eq!(a.status, StatusCode::OK);
    let html = a.html();
    assert!(a.text().contains("0123456789"), "{}", a.text());
    let csrf = crate::common::attrs(&html, &format!("#hold-{hold} input[name=csrf]"), "value");
    let version =
        crate::common::attrs(&html, &format!("#hold-{hold} input[name=version]"), "value");
    assert_eq!((csrf.len(), version.len()), (1, 1));
    let uri = format!("/doi-tac/tam-giu/{hold}");
    let a = form(
        &t,
        &uri,
        &format!("answer=acknowledged&version={}", version[0]),
        Some(&cookie),
    )
    .await;
    assert_eq!(a.status, StatusCode::FORBIDDEN, "no CSRF token");
    let body = format!(
        "csrf={}&version={}&answer=held&amount_vnd=42.000.000&effective_at=&note=Phong+t%E1%BB%8Fa",
        csrf[0], version[0]
    );
    let a = form(&t, &uri, &body, Some(&cookie)).await;
    assert_eq!(a.status, StatusCode::OK, "{}", a.text());
    assert!(a.text().contains("Đã ghi nhận trả lời"), "{}", a.text());
    let a = form(&t, &uri, &body, Some(&cookie)).await;
    assert_eq!(a.status, StatusCode::CONFLICT, "the same version again");
    assert!(
        a.text().contains("vừa được người khác cập nhật"),
        "{}",
        a.text()
    );
    let held = t
        .state
        .store
        .partner_holds(
            &t.state
                .store
                .authenticate_key(&key, time::OffsetDateTime::now_utc().unix_timestamp())
                .await
                .expect("store")
                .expect("key"),
            None,
            10,
        )
        .await
        .expect("holds");
    assert_eq!(held[0].held_amount_vnd, 42_000_000);

    // Revoking the key ends its portal session; signing out too.
    let a = form(&t, "/doi-tac/dang-xuat", "", Some(&cookie)).await;
    assert_eq!(a.status, StatusCode::SEE_OTHER);
    let a = page_with(&t, "/doi-tac", &cookie).await;
    assert!(a.text().contains("portal-sign-in"), "signed out");
    let a = form(&t, "/doi-tac/dang-nhap", &format!("key={key}"), None).await;
    let cookie = a.headers["set-cookie"]
        .to_str()
        .expect("ascii")
        .split(';')
        .next()
        .expect("pair")
        .to_string();
    let id = t.state.store.keys(vcb).await.expect("keys")[0].id;
    let a = revoke(&t, &admin, id).await;
    assert_eq!(a.status, StatusCode::SEE_OTHER);
    let a = page_with(&t, "/doi-tac", &cookie).await;
    assert!(
        a.text().contains("portal-sign-in"),
        "the revoked key's session ended"
    );
}
