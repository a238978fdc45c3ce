//! `canhgiac backup` and `canhgiac restore` on PostgreSQL: `pg_dump` of one snapshot,
//! restored with `pg_restore` into a new database holds the same rows, evidence and key;
//! a database that already has tables, a missing `--database-url` and a damaged dump
//! are refused. Needs a PostgreSQL server (`CANHGIAC_TEST_POSTGRES_URL` or
//! `CANHGIAC_TEST_DATABASE_URL`; the README's test command sets it); never skipped.

use std::path::Path;
use std::process::{Command, Output};

use canhgiac_store::{Store, StoreConfig};
use sqlx::Connection;

/// The data key of the backed-up server (base64 of 32 bytes).
const DATA_KEY: &str = "ZmVkY2JhOTg3NjU0MzIxMGZlZGNiYTk4NzY1NDMyMTA=";

const PNG: &[u8] = &[
    0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d, 0x49, 0x48, 0x44, 0x52, 0, 0, 0,
    1, 0, 0, 0, 1, 8, 6, 0, 0, 0, 0x1f, 0x15, 0xc4, 0x89, 0, 0, 0, 0x0d, 0x49, 0x44, 0x41, 0x54,
    0x78, 0x9c, 0x63, 0, 1, 0, 0, 5, 0, 1, 0x0d, 0x0a, 0x2d, 0xb4, 0, 0, 0, 0, 0x49, 0x45, 0x4e,
    0x44, 0xae, 0x42, 0x60, 0x82,
];

fn server_url() -> String {
    ["CANHGIAC_TEST_POSTGRES_URL", "CANHGIAC_TEST_DATABASE_URL"]
        .iter()
        .find_map(|name| std::env::var(name).ok().filter(|v| !v.is_empty()))
        .expect("this test needs a PostgreSQL server: run the README's test command (scripts/test.sh), or set CANHGIAC_TEST_POSTGRES_URL to the URL scripts/test-postgres.sh prints")
}

fn canhgiac(args: &[&str], data: &Path, url: Option<&str>, key: bool) -> Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_canhgiac"));
    command
        .args(args)
        .arg("--data-dir")
        .arg(data)
        .env("CANHGIAC_LOG", "warn")
        .env_remove("CANHGIAC_DATA_KEY")
        .env_remove("CANHGIAC_DATABASE_URL");
    if let Some(url) = url {
        command.arg("--database-url").arg(url);
    }
    if key {
        command.env("CANHGIAC_DATA_KEY", DATA_KEY);
    }
    command.output().expect("canhgiac runs")
}

fn text(output: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    )
}

/// Rows of the tables that hold what citizens and officers entered, in a stable order.
async fn contents(url: &str) -> Vec<String> {
    let mut conn = sqlx::PgConnection::connect(url).await.expect("connect");
    let mut out = Vec::new();
    for sql in [
        "SELECT id || '|' || tracking_code || '|' || narrative || '|' || encode(coalesce(reporter_sealed, ''::bytea), 'hex') FROM reports ORDER BY id",
        "SELECT key || '|' || display FROM identifiers ORDER BY key",
        "SELECT report_id || '|' || identifier_key FROM report_identifiers ORDER BY 1",
        "SELECT sha256 || '|' || size FROM evidence ORDER BY sha256",
        "SELECT username || '|' || password_hash FROM officers ORDER BY id",
        "SELECT seq || '|' || hash FROM audit_log ORDER BY seq",
    ] {
        let rows: Vec<String> = sqlx::query_scalar(sql)
            .fetch_all(&mut conn)
            .await
            .expect(sql);
        out.push(rows.join("\n"));
    }
    out
}

#[tokio::test(flavor = "multi_thread")]
async fn a_postgres_backup_restored_into_a_new_database_holds_the_same_data() {
    let server = server_url();
    let (source_dir, target_dir, bases) = (
        tempfile::tempdir().expect("tempdir"),
        tempfile::tempdir().expect("tempdir"),
        tempfile::tempdir().expect("tempdir"),
    );
    let source = canhgiac_store::testing::database_on(&server, &bases.path().join("source"))
        .await
        .expect("source database");
    let target = canhgiac_store::testing::database_on(&server, &bases.path().join("target"))
        .await
        .expect("target database");

    // A server's data: demo reports with sealed contacts, an officer, a picture.
    let made = canhgiac(
        &["demo-data", "--reports", "300"],
        source_dir.path(),
        Some(&source),
        true,
    );
    assert!(made.status.success(), "{}", text(&made));
    let mut add = Command::new(env!("CARGO_BIN_EXE_canhgiac"))
        .args([
            "user",
            "add",
            "--username",
            "sao.luu",
            "--name",
            "Trần Sao Lưu",
            "--role",
            "admin",
            "--password-stdin",
            "--database-url",
            &source,
        ])
        .arg("--data-dir")
        .arg(source_dir.path())
        .env("CANHGIAC_DATA_KEY", DATA_KEY)
        .env("CANHGIAC_LOG", "warn")
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::null())
        .spawn()
        .expect("user add");
    {
        use std::io::Write;
        writeln!(add.stdin.take().expect("stdin"), "mật khẩu sao lưu 2026").expect("password");
    }
    assert!(add.wait().expect("user add").success());
    let mut config = StoreConfig::in_dir(source_dir.path());
    config.database_url = Some(source.clone());
    config.data_key = Some(DATA_KEY.to_string().into());
    let store = Store::open(&config).await.expect("store");
    let digest = store
        .save_evidence(PNG, 1_760_000_000)
        .await
        .expect("store")
        .expect("a picture");
    store.pool().close().await;
    drop(store);

    let backup = bases.path().join("backup");
    let done = canhgiac(
        &["backup", "--quiet", "--to", backup.to_str().expect("utf-8")],
        source_dir.path(),
        Some(&source),
        true,
    );
    assert!(done.status.success(), "{}", text(&done));
    assert!(backup.join("canhgiac.pgdump").exists());
    let from = backup.to_str().expect("utf-8");

    // Without a PostgreSQL URL: refused, nothing written.
    let refused = canhgiac(
        &["restore", "--quiet", "--from", from],
        target_dir.path(),
        None,
        true,
    );
    assert!(!refused.status.success());
    assert!(
        text(&refused).contains("--database-url"),
        "{}",
        text(&refused)
    );

    // A damaged dump: refused before anything is written.
    let damaged = bases.path().join("damaged");
    std::fs::create_dir_all(&damaged).expect("dir");
    for name in ["manifest.json", "canhgiac.pgdump"] {
        std::fs::copy(backup.join(name), damaged.join(name)).expect("copy");
    }
    let mut dump = std::fs::read(damaged.join("canhgiac.pgdump")).expect("read");
    let middle = dump.len() / 2;
    dump[middle] ^= 0xff;
    std::fs::write(damaged.join("canhgiac.pgdump"), dump).expect("write");
    let refused = canhgiac(
        &[
            "restore",
            "--quiet",
            "--from",
            damaged.to_str().expect("utf-8"),
        ],
        target_dir.path(),
        Some(&target),
        true,
    );
    assert!(!refused.status.success());
    assert!(text(&refused).contains("damaged"), "{}", text(&refused));

    // The restore: same rows, same picture, and the restored server answers.
    let restored = canhgiac(
        &["restore", "--quiet", "--from", from],
        target_dir.path(),
        Some(&target),
        true,
    );
    assert!(restored.status.success(), "{}", text(&restored));
    assert!(
        text(&restored).contains("audit log intact"),
        "{}",
        text(&restored)
    );
    let (before, after) = (contents(&source).await, contents(&target).await);
    assert!(before[0].lines().count() == 300, "300 reports backed up");
    for (table, (a, b)) in before.iter().zip(&after).enumerate() {
        if table == 5 {
            // The backup's own entry was written after its snapshot, and the restore
            // appends one: the entries of the snapshot are the same.
            let restored: Vec<&str> = b.lines().collect();
            let kept = &restored[..restored.len() - 1];
            assert!(!kept.is_empty());
            assert_eq!(
                kept,
                &a.lines().take(kept.len()).collect::<Vec<_>>()[..],
                "audit entries of the snapshot"
            );
        } else {
            assert_eq!(a, b, "table {table} differs after restore");
        }
    }
    let picture = |dir: &Path| {
        std::fs::read(
            dir.join("evidence")
                .join(&digest[..2])
                .join(&digest[2..4])
                .join(&digest),
        )
        .expect("evidence file")
    };
    assert_eq!(picture(target_dir.path()), PNG);

    // A database that already has tables is refused.
    let again = canhgiac(
        &["restore", "--quiet", "--from", from],
        target_dir.path(),
        Some(&target),
        true,
    );
    assert!(!again.status.success());
    assert!(text(&again).contains("empty database"), "{}", text(&again));
}
