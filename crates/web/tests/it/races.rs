//! Two officers (or an attacker) deciding the same thing at once: every state change is
//! a compare-and-set in one transaction, exactly one of ten conflicting requests wins,
//! the others get 409, and the audit log holds one decision.

use crate::common::{
    add, app, call, call_app, get, login, post_json, publish_form, with_report, Answer, Login,
    TestApp, METHOD_EDIT, PASSWORD,
};
use axum::http::StatusCode;
use canhgiac_core::roles::Role;

/// Sends `bodies` to `uri` all at once, each on its own task (JSON to the API).
async fn at_once(
    t: &TestApp,
    method: &'static str,
    uri: String,
    who: &Login,
    bodies: Vec<String>,
) -> Vec<Answer> {
    at_once_as(t, method, uri, who, bodies, false).await
}

/// As [`at_once`]; `form`: console forms (with the CSRF field) instead of JSON.
async fn at_once_as(
    t: &TestApp,
    method: &'static str,
    uri: String,
    who: &Login,
    bodies: Vec<String>,
    form: bool,
) -> Vec<Answer> {
    let tasks: Vec<_> = bodies
        .into_iter()
        .map(|body| {
            let (app, who, uri) = (t.app.clone(), who.clone(), uri.clone());
            tokio::spawn(async move {
                call_app(&app, method, &uri, Some(&body), Some(&who), form).await
            })
        })
        .collect();
    let mut answers = Vec::new();
    for task in tasks {
        answers.push(task.await.expect("task"));
    }
    answers
}

fn statuses(answers: &[Answer]) -> Vec<u16> {
    let mut s: Vec<u16> = answers.iter().map(|a| a.status.as_u16()).collect();
    s.sort_unstable();
    s
}

/// One winner (`ok`) and nine 409s, each with a specific error code.
fn exactly_one_wins(answers: &[Answer], ok: StatusCode) {
    let winners = answers.iter().filter(|a| a.status == ok).count();
    let losers = answers
        .iter()
        .filter(|a| a.status == StatusCode::CONFLICT)
        .count();
    assert_eq!(
        (winners, losers),
        (1, answers.len() - 1),
        "{:?}",
        statuses(answers)
    );
    for a in answers.iter().filter(|a| a.status == StatusCode::CONFLICT) {
        let json = a
            .headers
            .get("content-type")
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.starts_with("application/json"));
        if json {
            assert!(!a.code().is_empty(), "{}", a.text());
        } else {
            assert!(a.text().contains("role=\"alert\""), "{}", a.text());
        }
    }
}

async fn audited(t: &TestApp, action: &str) -> usize {
    t.state
        .store
        .audit_entries(None, 500, Some(action))
        .await
        .expect("audit")
        .len()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn parallel_wrong_passwords_lock_the_account_after_five() {
    let t = app().await;
    add(&t, "lan", Role::Investigator).await;
    let tasks: Vec<_> = (0..40)
        .map(|i| {
            let app = t.app.clone();
            tokio::spawn(async move {
                let body = serde_json::json!({"username": "lan", "password": format!("sai mat khau {i:02}")});
                post_json(&app, "/api/v1/officer/session", &body.to_string(), &[]).await
            })
        })
        .collect();
    let mut answers = Vec::new();
    for task in tasks {
        answers.push(task.await.expect("task"));
    }
    let checked = answers
        .iter()
        .filter(|a| a.status == StatusCode::UNAUTHORIZED)
        .count();
    let locked = answers
        .iter()
        .filter(|a| a.status == StatusCode::TOO_MANY_REQUESTS)
        .count();
    assert_eq!(checked + locked, 40, "{:?}", statuses(&answers));
    assert!(
        checked <= 4,
        "{checked} wrong passwords answered 401 before the lock"
    );
    assert!(locked >= 36);
    let tried = audited(&t, "login.failed").await + audited(&t, "login.lockout").await;
    assert_eq!(tried, 5, "exactly five passwords were verified");
    // The right password now meets the lock too.
    let body = serde_json::json!({"username": "lan", "password": PASSWORD}).to_string();
    let a = post_json(&t.app, "/api/v1/officer/session", &body, &[]).await;
    assert_eq!(a.status, StatusCode::TOO_MANY_REQUESTS);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn ten_decisions_on_one_dispute_one_wins() {
    let t = app().await;
    with_report(&t).await;
    add(&t, "inv", Role::Investigator).await;
    let inv = login(&t, "inv").await;
    let filed = post_json(
        &t.app,
        "/api/v1/disputes",
        r#"{"identifier": "0912345678", "name": "Trần Bình", "contact": "0987654321", "explanation": "Số của tôi bị người khác mạo danh để lừa đảo."}"#,
        &[],
    )
    .await;
    assert_eq!(filed.status, StatusCode::CREATED, "{}", filed.text());
    let code = filed.json()["code"].as_str().expect("code").to_string();
    let list = call(
        &t,
        "GET",
        "/api/v1/officer/disputes",
        None,
        Some(&inv),
        false,
    )
    .await;
    let id = list.json()[0]["id"].as_i64().expect("id");
    let bodies = (0..10)
        .map(|i| {
            let decision = if i % 2 == 0 { "keep" } else { "clear" };
            format!(r#"{{"decision":"{decision}","reason":"Quyết định số {i}"}}"#)
        })
        .collect();
    let answers = at_once(
        &t,
        "POST",
        format!("/api/v1/officer/disputes/{id}/decision"),
        &inv,
        bodies,
    )
    .await;
    exactly_one_wins(&answers, StatusCode::NO_CONTENT);
    assert_eq!(
        audited(&t, "dispute.keep").await + audited(&t, "dispute.clear").await,
        1
    );
    // The public check agrees with the decision that won.
    t.state.index.catch_up(&t.state.store).await.expect("index");
    let status = get(&t.app, &format!("/api/v1/disputes/{code}"))
        .await
        .json();
    let level = get(&t.app, "/api/v1/check?q=0912345678").await.json()["level"].clone();
    match status["status"].as_str() {
        Some("cleared") => assert_eq!(level, "cleared"),
        Some("kept") => assert_ne!(level, "cleared"),
        other => panic!("status {other:?}"),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn ten_verdicts_on_one_identifier_one_wins() {
    let t = app().await;
    with_report(&t).await;
    add(&t, "inv", Role::Investigator).await;
    let inv = login(&t, "inv").await;
    let bodies = (0..10)
        .map(|i| {
            let verdict = if i % 2 == 0 { "verified" } else { "cleared" };
            format!(r#"{{"verdict":"{verdict}","from":"none","reason":"Kết luận số {i}"}}"#)
        })
        .collect();
    let answers = at_once(
        &t,
        "PUT",
        "/api/v1/officer/identifiers/phone:+84912345678".into(),
        &inv,
        bodies,
    )
    .await;
    exactly_one_wins(&answers, StatusCode::NO_CONTENT);
    assert_eq!(
        audited(&t, "identifier.verify").await + audited(&t, "identifier.clear").await,
        1
    );
    // Without `from`, asking for the verdict it already has is refused too.
    let now = t
        .state
        .store
        .audit_entries(None, 1, None)
        .await
        .expect("audit")[0]
        .action
        .clone();
    let same = if now == "identifier.verify" {
        "verified"
    } else {
        "cleared"
    };
    let a = call(
        &t,
        "PUT",
        "/api/v1/officer/identifiers/phone:+84912345678",
        Some(&format!(r#"{{"verdict":"{same}","reason":"lần nữa"}}"#)),
        Some(&inv),
        false,
    )
    .await;
    assert_eq!(
        (a.status, a.code()),
        (StatusCode::CONFLICT, "changed_meanwhile".to_string())
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn ten_decisions_on_one_report_one_wins() {
    let t = app().await;
    with_report(&t).await;
    add(&t, "lead", Role::Leader).await;
    let lead = login(&t, "lead").await;
    let a = call(
        &t,
        "POST",
        "/api/v1/officer/reports/1/steps",
        Some(r#"{"action":"receive"}"#),
        Some(&lead),
        false,
    )
    .await;
    assert_eq!(a.status, StatusCode::OK, "{}", a.text());
    let bodies = (0..10)
        .map(|i| {
            let action = if i % 2 == 0 { "open_case" } else { "no_case" };
            format!(r#"{{"action":"{action}","reason":"Quyết định số {i}"}}"#)
        })
        .collect();
    let answers = at_once(
        &t,
        "POST",
        "/api/v1/officer/reports/1/steps".into(),
        &lead,
        bodies,
    )
    .await;
    exactly_one_wins(&answers, StatusCode::OK);
    assert_eq!(
        audited(&t, "report.open_case").await + audited(&t, "report.no_case").await,
        1
    );
    // Ten officers receiving one report: one receives it.
    with_report(&t).await;
    let answers = at_once(
        &t,
        "POST",
        "/api/v1/officer/reports/2/steps".into(),
        &lead,
        vec![r#"{"action":"receive"}"#.to_string(); 10],
    )
    .await;
    exactly_one_wins(&answers, StatusCode::OK);
    assert_eq!(audited(&t, "report.receive").await, 2);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn ten_answers_from_a_bank_one_wins() {
    let t = app().await;
    let report = r#"{"channel": "call", "narrative": "Giả danh công an, bắt chuyển tiền vào tài khoản.", "amount_lost_vnd": 50000000,
      "transfers": [{"bank": "VCB", "account": "0123456789", "amount_vnd": 50000000, "at": "2026-11-28T09:15:00+07:00"}]}"#;
    let a = post_json(&t.app, "/api/v1/reports", report, &[]).await;
    assert_eq!(a.status, StatusCode::CREATED, "{}", a.text());
    t.state.index.catch_up(&t.state.store).await.expect("index");
    add(&t, "inv", Role::Investigator).await;
    let inv = login(&t, "inv").await;
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
    let id = a.json()["ids"][0].as_i64().expect("id");
    let uri = format!("/api/v1/officer/holds/{id}/state");
    let a = call(
        &t,
        "POST",
        &uri,
        Some(r#"{"state":"sent"}"#),
        Some(&inv),
        false,
    )
    .await;
    assert_eq!(a.status, StatusCode::NO_CONTENT, "{}", a.text());
    let bodies = (0..10)
        .map(|i| {
            if i % 2 == 0 {
                format!(
                    r#"{{"state":"held","from":"sent","amount_vnd":{}}}"#,
                    1000 * (i + 1)
                )
            } else {
                r#"{"state":"refused","from":"sent"}"#.to_string()
            }
        })
        .collect();
    let answers = at_once(&t, "POST", uri.clone(), &inv, bodies).await;
    exactly_one_wins(&answers, StatusCode::NO_CONTENT);
    // sent + the one winner
    assert_eq!(audited(&t, "hold.state").await, 2);
    let v = call(
        &t,
        "GET",
        &format!("/api/v1/officer/holds/{id}"),
        None,
        Some(&inv),
        false,
    )
    .await
    .json();
    assert!(v["state"] == "held" || v["state"] == "refused", "{v}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn ten_edits_of_one_method_from_one_version_one_wins() {
    let t = app().await;
    add(&t, "ana", Role::Analyst).await;
    let ana = login(&t, "ana").await;
    let base = t
        .state
        .store
        .catalogue_method("romance", None)
        .await
        .expect("store")
        .expect("romance")
        .version;
    let bodies = (0..10)
        .map(|i| {
            let fields = METHOD_EDIT.split("&note=").next().unwrap_or(METHOD_EDIT);
            format!("{fields}&note=s%E1%BB%ADa+{i}&base_version={base}")
        })
        .collect();
    let answers = at_once_as(
        &t,
        "POST",
        "/console/thu-doan/romance".into(),
        &ana,
        bodies,
        true,
    )
    .await;
    exactly_one_wins(&answers, StatusCode::SEE_OTHER);
    let loser = answers
        .iter()
        .find(|a| a.status == StatusCode::CONFLICT)
        .expect("a loser");
    assert!(
        loser.text().contains("vừa lưu phiên bản"),
        "{}",
        loser.text()
    );
    assert_eq!(audited(&t, "method.update").await, 1);
    let now = t
        .state
        .store
        .catalogue_method("romance", None)
        .await
        .expect("store")
        .expect("romance")
        .version;
    assert_eq!(now, base + 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn ten_publications_of_one_bulletin_one_wins() {
    let t = app().await;
    add(&t, "ana", Role::Analyst).await;
    let ana = login(&t, "ana").await;
    let made = call(
        &t,
        "POST",
        "/console/ban-tin",
        Some("methods=romance&audience=public&channels=sms"),
        Some(&ana),
        true,
    )
    .await;
    assert_eq!(made.status, StatusCode::SEE_OTHER, "{}", made.text());
    let form = publish_form(&t, &ana, 1).await;
    let answers = at_once_as(
        &t,
        "POST",
        "/console/ban-tin/1/cong-bo".into(),
        &ana,
        vec![form; 10],
        true,
    )
    .await;
    exactly_one_wins(&answers, StatusCode::SEE_OTHER);
    assert_eq!(audited(&t, "bulletin.publish").await, 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn ten_edits_of_one_brand_from_one_fingerprint_one_wins() {
    let t = app().await;
    add(&t, "ana", Role::Analyst).await;
    let ana = login(&t, "ana").await;
    let list = get(&t.app, "/api/v1/brands").await.json();
    let vcb = list
        .as_array()
        .expect("brands")
        .iter()
        .find(|b| b["key"] == "vietcombank")
        .expect("vietcombank")
        .clone();
    let base = vcb["fingerprint"]
        .as_str()
        .expect("fingerprint")
        .to_string();
    let bodies = (0..10)
        .map(|i| {
            format!(
                r#"{{"name": "Vietcombank {i}", "category": "bank", "domains": ["vietcombank.com.vn"], "base": "{base}"}}"#
            )
        })
        .collect();
    let answers = at_once(&t, "PUT", "/api/v1/brands/vietcombank".into(), &ana, bodies).await;
    exactly_one_wins(&answers, StatusCode::OK);
    assert_eq!(audited(&t, "brand.put").await, 1);
    // A new brand from a blank form: one creation, the rest find it exists.
    let bodies = (0..10)
        .map(|i| {
            format!(
                r#"{{"name": "Cấp nước {i}", "category": "utility", "domains": ["dnw.com.vn"], "base": "new"}}"#
            )
        })
        .collect();
    let answers = at_once(&t, "PUT", "/api/v1/brands/dnw".into(), &ana, bodies).await;
    exactly_one_wins(&answers, StatusCode::OK);
}
