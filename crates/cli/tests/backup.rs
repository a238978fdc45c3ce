//! `canhgiac backup` and `canhgiac restore` from the outside: a backup restored into a
//! fresh directory holds the same data; a damaged backup, a missing key and a wrong
//! key are refused with a clear message and nothing half-restored.

use std::path::Path;
use std::process::{Command, Output};

use sqlx::sqlite::SqliteConnectOptions;
use sqlx::ConnectOptions;

fn canhgiac(args: &[&str], env: &[(&str, &str)]) -> Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_canhgiac"));
    command
        .args(args)
        .env("CANHGIAC_LOG", "warn")
        .env_remove("CANHGIAC_DATA_KEY");
    for (k, v) in env {
        command.env(k, v);
    }
    command.output().expect("canhgiac runs")
}

fn path(p: &Path) -> &str {
    p.to_str().expect("utf-8 path")
}

/// `canhgiac restore` of `backup` into `target`, with a key file or none.
fn restore(backup: &Path, target: &Path, key: Option<&Path>) -> Output {
    let mut args = vec![
        "restore",
        "--quiet",
        "--from",
        path(backup),
        "--data-dir",
        path(target),
    ];
    if let Some(key) = key {
        args.extend(["--key-file", path(key)]);
    }
    canhgiac(&args, &[])
}

const PNG: &[u8] = &[
    0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d, 0x49, 0x48, 0x44, 0x52, 0, 0, 0,
    1, 0, 0, 0, 1, 8, 6, 0, 0, 0, 0x1f, 0x15, 0xc4, 0x89, 0, 0, 0, 0x0d, 0x49, 0x44, 0x41, 0x54,
    0x78, 0x9c, 0x63, 0, 1, 0, 0, 5, 0, 1, 0x0d, 0x0a, 0x2d, 0xb4, 0, 0, 0, 0, 0x49, 0x45, 0x4e,
    0x44, 0xae, 0x42, 0x60, 0x82,
];

/// Rows of the tables that hold what citizens and officers entered, in a stable order.
async fn contents(db: &Path) -> Vec<String> {
    let mut conn = SqliteConnectOptions::new()
        .filename(db)
        .read_only(true)
        .connect()
        .await
        .expect("open");
    let mut out = Vec::new();
    for sql in [
        "SELECT id || '|' || tracking_code || '|' || narrative || '|' || hex(coalesce(reporter_sealed, '')) FROM reports ORDER BY id",
        "SELECT key || '|' || display FROM identifiers ORDER BY key",
        "SELECT report_id || '|' || identifier_key FROM report_identifiers ORDER BY 1",
        "SELECT sha256 || '|' || size FROM evidence ORDER BY sha256",
        "SELECT username || '|' || password_hash FROM officers ORDER BY id",
    ] {
        let rows: Vec<String> = sqlx::query_scalar(sql)
            .fetch_all(&mut conn)
            .await
            .expect(sql);
        out.push(rows.join("\n"));
    }
    out
}

#[tokio::test]
async fn a_backup_restored_into_a_fresh_directory_holds_the_same_data() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (live, backup, restored) = (
        dir.path().join("live"),
        dir.path().join("backup"),
        dir.path().join("restored"),
    );
    // Reports with a reporter's sealed details, an officer, an evidence picture.
    let file = dir.path().join("reports.jsonl");
    std::fs::write(
        &file,
        concat!(
            r#"{"channel": "call", "narrative": "Giả danh công an bắt chuyển tiền", "identifiers": [{"kind": "phone", "value": "0912 345 678"}], "reporter": {"name": "Nguyễn Văn An", "phone": "0987654321"}}"#, "\n",
            r#"{"channel": "sms", "narrative": "Tin nhắn trúng thưởng", "identifiers": [{"kind": "bank_account", "bank": "VCB", "value": "0123456789"}]}"#, "\n",
        ),
    )
    .expect("write");
    let out = canhgiac(
        &["import", "--quiet", path(&file), "--data-dir", path(&live)],
        &[],
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    {
        let config = canhgiac_store::StoreConfig {
            data_dir: live.clone(),
            database_url: None,
            data_key: None,
            province: "Đồng Nai".into(),
            cache_mib: 8,
        };
        let store = canhgiac_store::Store::open(&config).await.expect("open");
        store.save_evidence(PNG, 1).await.expect("db").expect("png");
        store.pool().close().await;
    }

    let out = canhgiac(
        &[
            "backup",
            "--quiet",
            "--data-dir",
            path(&live),
            "--to",
            path(&backup),
        ],
        &[],
    );
    let said = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{said}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(said.contains("2 reports"), "{said}");
    assert!(said.contains("1 evidence files"), "{said}");
    assert!(said.contains("NOT in the backup"), "{said}");
    assert!(!backup.join("keys").exists(), "the key stays apart");
    let manifest: serde_json::Value =
        serde_json::from_slice(&std::fs::read(backup.join("manifest.json")).expect("manifest"))
            .expect("json");
    assert_eq!(manifest["format"], "canhgiac-backup/1");
    assert_eq!(manifest["database"]["tables"]["reports"], 2);

    // Without the key: refused, and the directory gets no database.
    let out = restore(&backup, &restored, None);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("holds no data key"));
    assert!(!restored.join("canhgiac.db").exists());
    // A key that is not the backup's: refused too.
    let other = dir.path().join("other.key");
    std::fs::write(&other, "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=").expect("write");
    let out = restore(&backup, &restored, Some(&other));
    assert!(String::from_utf8_lossy(&out.stderr).contains("not the one of the backup"));
    assert!(!restored.join("canhgiac.db").exists());

    // With the key file: restored, checked, the key put back beside the data.
    let key = live.join("keys/data.key");
    let out = restore(&backup, &restored, Some(&key));
    let said = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{said}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(said.contains("audit log intact"), "{said}");
    assert_eq!(
        std::fs::read(restored.join("keys/data.key")).expect("key"),
        std::fs::read(&key).expect("key")
    );
    assert_eq!(
        contents(&live.join("canhgiac.db")).await,
        contents(&restored.join("canhgiac.db")).await
    );
    let key_check = manifest["key"]["check"].as_str().expect("check");
    assert_eq!(key_check.len(), 32, "a fingerprint of the key, not the key");
    let evidence: Vec<_> = walk(&restored.join("evidence"));
    assert_eq!(evidence.len(), 1);
    // The restored server answers as the live one did.
    let live_check = canhgiac(
        &["check", "0912345678", "--json", "--data-dir", path(&live)],
        &[],
    );
    let restored_check = canhgiac(
        &[
            "check",
            "0912345678",
            "--json",
            "--data-dir",
            path(&restored),
        ],
        &[],
    );
    assert_eq!(restored_check.status.code(), Some(1));
    assert_eq!(live_check.stdout, restored_check.stdout);

    // Into a directory that holds a database: refused.
    let out = restore(&backup, &restored, Some(&key));
    assert!(String::from_utf8_lossy(&out.stderr).contains("already holds a database"));

    // A damaged backup: refused before anything is written.
    let db = backup.join("canhgiac.db");
    let mut bytes = std::fs::read(&db).expect("read");
    let middle = bytes.len() / 2;
    bytes[middle] ^= 0xff;
    std::fs::write(&db, bytes).expect("write");
    let fresh = dir.path().join("fresh");
    let out = restore(&backup, &fresh, Some(&key));
    assert!(String::from_utf8_lossy(&out.stderr).contains("is damaged"));
    assert!(!fresh.join("canhgiac.db").exists());

    // A server started on the restored data with another key refuses to run.
    let out = canhgiac(
        &["check", "0912345678", "--data-dir", path(&restored)],
        &[(
            "CANHGIAC_DATA_KEY",
            "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=",
        )],
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("not the one this database was written with")
    );
}

fn walk(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut files = Vec::new();
    for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let p = entry.path();
        if p.is_dir() {
            files.extend(walk(&p));
        } else {
            files.push(p);
        }
    }
    files
}
