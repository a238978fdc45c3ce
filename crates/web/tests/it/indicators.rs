//! Verified indicators out: a carrier's key with `indicators:read` exports what the
//! officers verified as STIX 2.1 (checked by OASIS's `stix2-validator`), MISP and CSV,
//! and follows the feed of decisions from a cursor; a cleared identifier is published
//! as revoked. Without the scope every export answers 403.

use std::process::Command;

use axum::http::StatusCode;
use canhgiac_core::roles::Role;

use crate::common::{add, call, login, post_json, EXAMPLE};
use crate::partners::{issue, partner, setup, with_key};

const VALIDATE: &str = "import sys
from stix2validator import ValidationOptions, print_results, validate_file
r = validate_file(sys.argv[1], ValidationOptions(version='2.1'))
print_results(r)
sys.exit(0 if r.is_valid else 1)
";

/// Runs OASIS's validator over a STIX document: its verdict and its output.
fn stix_validate(json: &str) -> (bool, String) {
    let dir = tempfile::tempdir().expect("dir");
    let path = dir.path().join("bundle.json");
    std::fs::write(&path, json).expect("write");
    let out = Command::new("python3")
        .args(["-c", VALIDATE])
        .arg(&path)
        .output()
        .expect("python3 runs (the README's test command installs stix2-validator)");
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        !text.contains("No module named"),
        "stix2-validator is missing (pip install -r tests/python-requirements.txt): {text}"
    );
    // Warnings are allowed only for the deliberate UUIDv5 identifiers ({103}): custom
    // observables and properties are declared by extension definitions.
    let other: Vec<&str> = text
        .lines()
        .filter(|l| l.contains("Warning") && !l.contains("{103}"))
        .collect();
    assert!(other.is_empty(), "unexpected validator warnings: {other:?}");
    (out.status.success(), text)
}

#[tokio::test]
async fn verified_indicators_leave_as_stix_misp_csv_and_a_feed_with_clearances_revoked() {
    let (t, admin) = setup().await;
    let viettel = partner(&t, &admin, "Viettel", "carrier", "").await;
    let key = issue(&t, &admin, viettel, &["indicators:read"], 600).await;
    let other = issue(&t, &admin, viettel, &["blocklist:submit"], 600).await;

    // Nothing decided yet: an empty but valid bundle.
    let a = with_key(&t, "GET", "/api/v1/partner/indicators/stix", &key, None).await;
    assert_eq!(a.status, StatusCode::OK, "{}", a.text());
    let (valid, out) = stix_validate(&a.text());
    assert!(valid, "{out}");
    // The producer and the four extension definitions.
    assert_eq!(a.json()["objects"].as_array().map(Vec::len), Some(5));

    let r = post_json(&t.app, "/api/v1/reports", EXAMPLE, &[]).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    t.state.index.catch_up(&t.state.store).await.expect("index");
    add(&t, "inv", Role::Investigator).await;
    let inv = login(&t, "inv").await;
    let decide = |key: &'static str, verdict: &'static str, from: &'static str| {
        let inv = inv.clone();
        let t = &t;
        async move {
            let body =
                format!(r#"{{"verdict":"{verdict}","reason":"Đã xác minh","from":"{from}"}}"#);
            let a = call(
                t,
                "PUT",
                &format!("/api/v1/officer/identifiers/{key}"),
                Some(&body),
                Some(&inv),
                false,
            )
            .await;
            assert_eq!(a.status, StatusCode::NO_CONTENT, "{}", a.text());
        }
    };
    decide("phone:+84912345678", "verified", "none").await;
    decide("bank_account:970436:0123456789", "verified", "none").await;
    decide("url:vietcombank-hotro.com.vn", "verified", "none").await;
    t.state.index.catch_up(&t.state.store).await.expect("index");

    // The feed from the start: three decisions, a cursor to go on from.
    let a = with_key(&t, "GET", "/api/v1/partner/indicators/changes", &key, None).await;
    assert_eq!(a.status, StatusCode::OK, "{}", a.text());
    let feed = a.json();
    let items = feed["items"].as_array().expect("items").clone();
    assert_eq!(items.len(), 3, "{feed}");
    assert_eq!(feed["more"], false);
    let cursor = feed["next_after"].as_i64().expect("cursor");
    assert_eq!(items[2]["seq"].as_i64(), Some(cursor));
    let phone = items
        .iter()
        .find(|i| i["indicator"]["kind"] == "phone")
        .expect("phone");
    assert_eq!(phone["indicator"]["status"], "active");
    assert_eq!(phone["indicator"]["report_count"], 1);
    assert_eq!(phone["indicator"]["value"], "+84912345678");
    let a = with_key(
        &t,
        "GET",
        "/api/v1/partner/indicators/changes?limit=2",
        &key,
        None,
    )
    .await;
    assert_eq!(a.json()["more"], true);
    assert_eq!(a.json()["items"].as_array().map(Vec::len), Some(2));

    // A dispute upheld: the phone is cleared and the feed says so after the cursor.
    decide("phone:+84912345678", "cleared", "verified").await;
    t.state.index.catch_up(&t.state.store).await.expect("index");
    let a = with_key(
        &t,
        "GET",
        &format!("/api/v1/partner/indicators/changes?after={cursor}"),
        &key,
        None,
    )
    .await;
    let items = a.json()["items"].as_array().expect("items").clone();
    assert_eq!(items.len(), 1, "{}", a.text());
    assert_eq!(items[0]["indicator"]["key"], "phone:+84912345678");
    assert_eq!(items[0]["indicator"]["status"], "revoked");
    let a = with_key(
        &t,
        "GET",
        &format!("/api/v1/partner/indicators/changes.atom?after={cursor}"),
        &key,
        None,
    )
    .await;
    assert_eq!(a.status, StatusCode::OK);
    assert!(a.headers["content-type"]
        .to_str()
        .expect("ascii")
        .starts_with("application/atom+xml"));
    let atom = a.text();
    assert!(
        atom.contains("<feed") && atom.contains("Đã gỡ (thu hồi)"),
        "{atom}"
    );
    assert_eq!(atom.matches("<entry>").count(), 1);

    // STIX: three observables, three observed-data, three indicators (one revoked), valid.
    let a = with_key(&t, "GET", "/api/v1/partner/indicators/stix", &key, None).await;
    assert_eq!(a.status, StatusCode::OK);
    assert!(a.headers["content-type"]
        .to_str()
        .expect("ascii")
        .starts_with("application/stix+json"));
    let (valid, out) = stix_validate(&a.text());
    assert!(valid, "{out}\n{}", a.text());
    let bundle = a.json();
    let objects = bundle["objects"].as_array().expect("objects");
    assert_eq!(objects.len(), 5 + 3 * 3);
    let indicators: Vec<_> = objects
        .iter()
        .filter(|o| o["type"] == "indicator")
        .collect();
    assert_eq!(indicators.len(), 3);
    let revoked: Vec<_> = indicators.iter().filter(|o| o["revoked"] == true).collect();
    assert_eq!(revoked.len(), 1);
    assert_eq!(
        revoked[0]["pattern"],
        "[x-canhgiac-phone-number:value = '+84912345678']"
    );
    assert!(objects
        .iter()
        .any(|o| o["type"] == "domain-name" && o["value"] == "vietcombank-hotro.com.vn"));
    // The same identifiers the next time: partners replace rather than duplicate.
    let again = with_key(&t, "GET", "/api/v1/partner/indicators/stix", &key, None)
        .await
        .json();
    let ids = |b: &serde_json::Value| {
        b["objects"]
            .as_array()
            .map(|o| o.iter().map(|o| o["id"].to_string()).collect::<Vec<_>>())
    };
    assert_eq!(ids(&again), ids(&bundle));
    // One kind only.
    let a = with_key(
        &t,
        "GET",
        "/api/v1/partner/indicators/stix?kind=bank_account",
        &key,
        None,
    )
    .await;
    assert_eq!(a.json()["objects"].as_array().map(Vec::len), Some(5 + 3));
    let a = with_key(
        &t,
        "GET",
        "/api/v1/partner/indicators/stix?kind=fax",
        &key,
        None,
    )
    .await;
    assert_eq!(
        (a.status, a.code()),
        (StatusCode::UNPROCESSABLE_ENTITY, "invalid_kind".into())
    );

    // MISP: the cleared phone is a deleted attribute, not for detection.
    let a = with_key(&t, "GET", "/api/v1/partner/indicators/misp", &key, None).await;
    assert_eq!(a.status, StatusCode::OK);
    let event = a.json();
    let attrs = event["Event"]["Attribute"].as_array().expect("attributes");
    assert_eq!(attrs.len(), 3, "{event}");
    let phone = attrs
        .iter()
        .find(|a| a["type"] == "phone-number")
        .expect("phone");
    assert_eq!(
        (phone["deleted"].clone(), phone["to_ids"].clone()),
        (true.into(), false.into())
    );
    let account = attrs
        .iter()
        .find(|a| a["type"] == "bank-account-nr")
        .expect("account");
    assert_eq!(account["value"], "0123456789");
    assert_eq!(account["to_ids"], true);

    // CSV: a heading and a row each.
    let a = with_key(&t, "GET", "/api/v1/partner/indicators/csv", &key, None).await;
    assert_eq!(a.status, StatusCode::OK);
    let text = a.text();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 4, "{text}");
    assert!(lines[0].starts_with("kind,value,display,status"));
    assert!(lines
        .iter()
        .any(|l| l.starts_with("phone,+84912345678,") && l.contains(",revoked,")));

    // A key without the scope gets 403 everywhere; no personal data ever leaves.
    for path in [
        "/api/v1/partner/indicators/stix",
        "/api/v1/partner/indicators/misp",
        "/api/v1/partner/indicators/csv",
        "/api/v1/partner/indicators/changes",
        "/api/v1/partner/indicators/changes.atom",
    ] {
        let a = with_key(&t, "GET", path, &other, None).await;
        assert_eq!(
            (a.status, a.code()),
            (StatusCode::FORBIDDEN, "key_out_of_scope".into()),
            "{path}"
        );
        let a = with_key(&t, "GET", path, &key, None).await;
        for personal in [
            "Lê Thị Hồng Nhung",
            "0987654321",
            "+84987654321",
            "075123456789",
        ] {
            assert!(!a.text().contains(personal), "{path} leaks {personal}");
        }
    }
}

fn prefixes(b64: &str) -> Vec<[u8; 4]> {
    use base64::Engine;
    let raw = base64::engine::general_purpose::STANDARD
        .decode(b64)
        .expect("base64");
    raw.chunks(4).map(|c| [c[0], c[1], c[2], c[3]]).collect()
}

fn checksum(list: &[[u8; 4]]) -> String {
    use sha2::{Digest, Sha256};
    let mut h = Sha256::new();
    for p in list {
        h.update(p);
    }
    hex::encode(h.finalize())
}

#[tokio::test]
async fn hash_prefixes_answer_full_hashes_and_the_list_follows_by_diffs() {
    use canhgiac_core::hash_prefix::full_hash;
    let (t, admin) = setup().await;
    let bank = partner(&t, &admin, "Vietcombank", "bank", "970436").await;
    let key = issue(&t, &admin, bank, &["indicators:read"], 6000).await;
    let r = post_json(&t.app, "/api/v1/reports", EXAMPLE, &[]).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    t.state.index.catch_up(&t.state.store).await.expect("index");

    // The whole list: the phone, the account and the website of the report.
    let a = with_key(&t, "GET", "/api/v1/partner/hash-prefixes", &key, None).await;
    assert_eq!(a.status, StatusCode::OK, "{}", a.text());
    let whole = a.json();
    assert_eq!(whole["full"], true);
    let mut list = prefixes(whole["additions"].as_str().expect("additions"));
    assert_eq!(list.len(), 3);
    assert_eq!(whole["count"], 3);
    assert_eq!(whole["checksum"], checksum(&list));
    let salt = whole["salt"].as_str().expect("salt").to_string();
    assert!(salt.starts_with("canhgiac-hp-v1:"));
    let v1 = whole["version"].as_i64().expect("version");

    // A bank's transfer screen asks about an account by its prefix only.
    let account = full_hash(&salt, "bank_account:970436:0123456789");
    assert!(list.contains(&[account[0], account[1], account[2], account[3]]));
    let a = with_key(
        &t,
        "GET",
        &format!("/api/v1/partner/hashes/{}", hex::encode(&account[..4])),
        &key,
        None,
    )
    .await;
    assert_eq!(a.status, StatusCode::OK, "{}", a.text());
    let found = a.json();
    let m = found["matches"]
        .as_array()
        .expect("matches")
        .iter()
        .find(|m| m["hash"] == hex::encode(account))
        .expect("the account's full hash")
        .clone();
    assert_eq!(m["kind"], "bank_account");
    assert_eq!(m["level"], "reported");
    assert_eq!(m["report_count"], 1);
    assert!(
        !found.to_string().contains("0123456789"),
        "no identifier in the answer"
    );

    // Nothing under another prefix; a malformed prefix is refused.
    let unknown = full_hash(&salt, "phone:+84900000001");
    let a = with_key(
        &t,
        "GET",
        &format!("/api/v1/partner/hashes/{}", hex::encode(&unknown[..4])),
        &key,
        None,
    )
    .await;
    assert_eq!(a.json()["matches"].as_array().map(Vec::len), Some(0));
    for bad in ["abc", "0a0b0c0z", "0a0b0c0d0e"] {
        let a = with_key(
            &t,
            "GET",
            &format!("/api/v1/partner/hashes/{bad}"),
            &key,
            None,
        )
        .await;
        assert_eq!(
            (a.status, a.code()),
            (StatusCode::UNPROCESSABLE_ENTITY, "invalid_prefix".into()),
            "{bad}"
        );
    }

    // The phone is cleared: the diff since v1 removes its prefix, and the list the
    // client holds matches the server's checksum once applied.
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
    let a = with_key(
        &t,
        "GET",
        &format!("/api/v1/partner/hash-prefixes?since={v1}"),
        &key,
        None,
    )
    .await;
    let diff = a.json();
    assert_eq!(diff["full"], false);
    let phone = full_hash(&salt, "phone:+84912345678");
    let removed = prefixes(diff["removals"].as_str().expect("removals"));
    assert_eq!(removed, vec![[phone[0], phone[1], phone[2], phone[3]]]);
    list.retain(|p| !removed.contains(p));
    list.extend(prefixes(diff["additions"].as_str().expect("additions")));
    list.sort_unstable();
    list.dedup();
    assert_eq!(diff["checksum"], checksum(&list));
    assert_eq!(diff["count"], 2);
    assert!(diff["version"].as_i64() > Some(v1));
    let a = with_key(
        &t,
        "GET",
        &format!("/api/v1/partner/hashes/{}", hex::encode(&phone[..4])),
        &key,
        None,
    )
    .await;
    assert_eq!(a.json()["matches"].as_array().map(Vec::len), Some(0));
    let a = with_key(
        &t,
        "GET",
        "/api/v1/partner/hash-prefixes?since=-1",
        &key,
        None,
    )
    .await;
    assert_eq!(a.status, StatusCode::UNPROCESSABLE_ENTITY);
}
