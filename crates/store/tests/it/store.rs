//! The store against a real SQLite file in a temporary directory.

use canhgiac_core::i18n::Lang;
use canhgiac_core::intake::{validate, ReportInput};
use canhgiac_core::tracking::TrackingCode;
use canhgiac_store::db::Backend;
use canhgiac_store::{LookupIndex, NewReport, Source, StoreError};

use crate::common::open;

const NOW: i64 = 1_760_000_000;

fn report(json: &str, key: Option<&str>) -> NewReport {
    let input: ReportInput = serde_json::from_str(json).expect("json");
    let report = validate(&input, Lang::Vi, NOW, &|_| true).expect("valid");
    NewReport {
        report,
        source: Source::Api,
        created_at: NOW,
        idempotency_key: key.map(str::to_string),
        request_hash: Some(json.len().to_string()),
    }
}

const EXAMPLE: &str = r#"{"channel": "call", "narrative": "Giả danh công an gọi điện", "amount_lost_vnd": 5000000,
  "identifiers": [{"kind": "phone", "value": "0912 345 678"}, {"kind": "bank_account", "bank": "VCB", "value": "0123456789"}],
  "reporter": {"name": "Trần Thị Bích Ngọc", "phone": "0987 111 222", "citizen_id": "079123456789", "address": "Phường Trấn Biên"}}"#;

#[tokio::test]
async fn reference_data_is_loaded_on_first_start_for_dong_nai() {
    let dir = tempfile::tempdir().expect("tempdir");
    let store = open(dir.path()).await;
    assert_eq!(store.province().name, "Đồng Nai");
    assert!(
        store.places().len() > 90,
        "Đồng Nai has 95 communes and wards, got {}",
        store.places().len()
    );
    assert!(store.places().iter().any(|p| p.name == "Phường Trấn Biên"));
    let (methods,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM methods")
        .fetch_one(store.pool())
        .await
        .expect("query");
    assert!(methods >= 30);
    drop(store);
    // A second start loads nothing twice.
    let store = open(dir.path()).await;
    let (banks,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM banks")
        .fetch_one(store.pool())
        .await
        .expect("query");
    assert!((50..100).contains(&banks));
}

#[tokio::test]
async fn a_report_is_stored_indexed_and_readable_with_its_secret_only() {
    let dir = tempfile::tempdir().expect("tempdir");
    let store = open(dir.path()).await;
    let receipt = store
        .insert_report(report(EXAMPLE, None))
        .await
        .expect("stored");
    let index = LookupIndex::new();
    assert_eq!(index.catch_up(&store).await.expect("catch up"), 1);
    assert_eq!(index.report_count("phone:+84912345678"), 1);
    assert_eq!(index.report_count("bank_account:970436:0123456789"), 1);

    let view = store
        .report_for_reporter(&receipt.tracking_code, &receipt.secret)
        .await
        .expect("query")
        .expect("found");
    assert_eq!(view.identifiers.len(), 2);
    assert_eq!(view.amount_lost_vnd, 5_000_000);
    assert!(store
        .report_for_reporter(&receipt.tracking_code, "WRONGSECRET2345")
        .await
        .expect("query")
        .is_none());
    let other = TrackingCode::parse("CG-2345-6789").expect("code");
    assert!(store
        .report_for_reporter(&other, &receipt.secret)
        .await
        .expect("query")
        .is_none());
}

#[tokio::test]
async fn a_retry_with_the_same_idempotency_key_returns_the_first_receipt() {
    let dir = tempfile::tempdir().expect("tempdir");
    let store = open(dir.path()).await;
    let first = store
        .insert_report(report(EXAMPLE, Some("key-1")))
        .await
        .expect("stored");
    let again = store
        .insert_report(report(EXAMPLE, Some("key-1")))
        .await
        .expect("replayed");
    assert!(again.replayed);
    assert_eq!(
        (first.tracking_code, first.secret),
        (again.tracking_code, again.secret)
    );
    assert_eq!(store.report_count().await.expect("count"), 1);
    let mut different = report(EXAMPLE, Some("key-1"));
    different.request_hash = Some("other".into());
    assert!(matches!(
        store.insert_report(different).await,
        Err(StoreError::Conflict(_))
    ));
}

#[tokio::test]
async fn no_file_in_the_data_directory_holds_reporter_data_in_plain_text() {
    let dir = tempfile::tempdir().expect("tempdir");
    let store = open(dir.path()).await;
    for _ in 0..3 {
        store
            .insert_report(report(EXAMPLE, None))
            .await
            .expect("stored");
    }
    if store.backend() == Backend::Postgres {
        // The database is on the server: every row of every table, as text.
        let text = canhgiac_store::testing::stored_text(&store)
            .await
            .expect("stored text");
        for needle in NEEDLES {
            let needle = String::from_utf8_lossy(needle);
            assert!(
                !text.contains(needle.as_ref()),
                "the database holds {needle:?}"
            );
            assert!(
                !text.contains(&hex::encode(needle.as_bytes())),
                "hex {needle:?}"
            );
        }
        assert!(text.len() > 10_000, "the database was read");
        assert!(scan(dir.path()) >= 1, "the key file at least");
        return;
    }
    // Once while the database is open (the WAL then holds the latest pages), once
    // after it is closed and checkpointed.
    let open_files = scan(dir.path());
    store.pool().close().await;
    drop(store);
    let closed_files = scan(dir.path());
    assert!(
        open_files >= 2 && closed_files >= 2,
        "database and key file at least"
    );
}

/// Checks every file under `dir` for reporter data; returns how many files were read.
const NEEDLES: [&[u8]; 5] = [
    b"Tr\xe1\xba\xa7n Th\xe1\xbb\x8b B\xc3\xadch Ng\xe1\xbb\x8dc",
    b"+84987111222",
    b"0987111222",
    b"079123456789",
    "Bích Ngọc".as_bytes(),
];

fn scan(dir: &std::path::Path) -> usize {
    let needles = NEEDLES;
    let mut files = 0;
    for entry in walk(dir) {
        // SQLite may remove its -wal/-shm files while we look.
        let Ok(bytes) = std::fs::read(&entry) else {
            continue;
        };
        files += 1;
        for needle in needles {
            assert!(
                !bytes.windows(needle.len()).any(|w| w == needle),
                "{} holds {:?}",
                entry.display(),
                String::from_utf8_lossy(needle)
            );
        }
    }
    files
}

fn walk(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).expect("read dir").flatten() {
        let path = entry.path();
        if path.is_dir() {
            out.extend(walk(&path));
        } else {
            out.push(path);
        }
    }
    out
}

#[tokio::test]
async fn bulk_inserts_write_all_reports_in_one_transaction() {
    let dir = tempfile::tempdir().expect("tempdir");
    let store = open(dir.path()).await;
    let batch: Vec<NewReport> = (0..1000).map(|_| report(EXAMPLE, None)).collect();
    let receipts = store.insert_reports(batch).await.expect("stored");
    assert_eq!(receipts.len(), 1000);
    let index = LookupIndex::new();
    index.catch_up(&store).await.expect("catch up");
    let stats = index.get("phone:+84912345678").expect("known");
    assert_eq!(stats.report_count, 1000);
    assert_eq!(
        stats.reporter_count, 1,
        "one reporter, identified by citizen ID"
    );
}

#[tokio::test]
async fn evidence_no_report_names_is_swept_after_a_day() {
    let dir = tempfile::tempdir().expect("tempdir");
    let store = open(dir.path()).await;
    let png = |n: u8| {
        let mut b = b"\x89PNG\r\n\x1a\n".to_vec();
        b.extend([n; 64]);
        b
    };
    let kept = store
        .save_evidence(&png(1), NOW - 2 * 86_400)
        .await
        .expect("store")
        .expect("image");
    let orphan = store
        .save_evidence(&png(2), NOW - 2 * 86_400)
        .await
        .expect("store")
        .expect("image");
    let fresh = store
        .save_evidence(&png(3), NOW)
        .await
        .expect("store")
        .expect("image");
    let json = format!(
        r#"{{"channel": "call", "narrative": "Giả danh công an gọi điện", "amount_lost_vnd": 5000000,
          "identifiers": [{{"kind": "phone", "value": "0912 345 678"}}], "evidence": ["{kept}"]}}"#
    );
    store
        .insert_report(report(&json, None))
        .await
        .expect("report");
    let file = |d: &str| {
        dir.path()
            .join("evidence")
            .join(&d[..2])
            .join(&d[2..4])
            .join(d)
    };
    assert_eq!(
        store
            .sweep_unattached_evidence(NOW - 86_400, true)
            .await
            .expect("dry run"),
        1
    );
    assert!(file(&orphan).exists(), "a dry run removes nothing");
    assert_eq!(
        store
            .sweep_unattached_evidence(NOW - 86_400, false)
            .await
            .expect("sweep"),
        1
    );
    assert!(!file(&orphan).exists());
    assert!(!store.evidence_exists(&orphan).await.expect("query"));
    for d in [&kept, &fresh] {
        assert!(file(d).exists() && store.evidence_exists(d).await.expect("query"));
    }
}

/// Group commit: reports sent at once are written together, yet each gets its own
/// answer: distinct reports each a code, repeats of one key the first report's code,
/// a key reused with other content a conflict, and nothing stored twice.
#[tokio::test]
async fn reports_sent_at_once_are_written_together_and_answered_each() {
    let dir = tempfile::tempdir().expect("tempdir");
    let store = std::sync::Arc::new(open(dir.path()).await);
    let mut tasks = Vec::new();
    for n in 0..60 {
        let store = store.clone();
        tasks.push(tokio::spawn(async move {
            let (key, hash) = match n {
                0..=39 => (format!("distinct-{n}"), "same".to_string()),
                40..=49 => ("repeated".to_string(), "same".to_string()),
                _ => ("reused".to_string(), format!("content-{}", n % 2)),
            };
            let mut new = report(EXAMPLE, Some(&key));
            new.request_hash = Some(hash);
            (n, store.insert_report(new).await)
        }));
    }
    let mut codes = std::collections::HashMap::new();
    let (mut repeated, mut reused_ok, mut conflicts) = (Vec::new(), 0, 0);
    for task in tasks {
        let (n, result) = task.await.expect("task");
        match (n, result) {
            (0..=39, Ok(receipt)) => {
                assert!(!receipt.replayed);
                assert!(codes.insert(receipt.tracking_code.to_string(), n).is_none());
            }
            (40..=49, Ok(receipt)) => repeated.push(receipt),
            (50.., Ok(_)) => reused_ok += 1,
            (50.., Err(StoreError::Conflict(_))) => conflicts += 1,
            (n, other) => panic!("report {n}: {other:?}"),
        }
    }
    assert_eq!(codes.len(), 40);
    assert_eq!(repeated.len(), 10);
    assert!(repeated
        .iter()
        .all(|r| r.tracking_code == repeated[0].tracking_code));
    assert_eq!(repeated.iter().filter(|r| !r.replayed).count(), 1);
    // Five of "reused" share the first one's content, five differ.
    assert_eq!((reused_ok, conflicts), (5, 5));
    assert_eq!(store.report_count().await.expect("count"), 42);
}
