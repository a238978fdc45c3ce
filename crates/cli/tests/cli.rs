//! The binary from the outside: import with bad rows, check exit codes.

use std::process::Command;

fn canhgiac(data: &std::path::Path, args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_canhgiac"))
        .args(args)
        .arg("--data-dir")
        .arg(data)
        .env("CANHGIAC_LOG", "warn")
        .output()
        .expect("canhgiac runs")
}

#[test]
fn import_reports_every_bad_row_with_its_line_and_keeps_the_good_ones() {
    let dir = tempfile::tempdir().expect("tempdir");
    let file = dir.path().join("reports.jsonl");
    std::fs::write(
        &file,
        concat!(
            r#"{"channel": "call", "narrative": "Giả danh công an", "identifiers": [{"kind": "phone", "value": "0912 345 678"}], "received_at": "2025-06-01"}"#, "\n",
            r#"{"channel": "fax", "narrative": "x"}"#, "\n",
            "not json\n",
            "\n",
            r#"{"channel": "sms", "narrative": "Tin nhắn trúng thưởng", "identifiers": [{"kind": "bank_account", "bank": "VCB", "value": "0123456789"}], "idempotency_key": "row-5"}"#, "\n",
            r#"{"channel": "zalo", "narrative": "y", "identifiers": [{"kind": "phone", "value": "0912"}]}"#, "\n",
        ),
    )
    .expect("write");
    let data = dir.path().join("data");
    let out = canhgiac(&data, &["import", "--quiet", file.to_str().expect("utf-8")]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("line 2: channel:"), "{stderr}");
    assert!(stderr.contains("line 3:"), "{stderr}");
    assert!(stderr.contains("line 6: identifiers[0].value:"), "{stderr}");
    assert!(stderr.contains("imported 2 reports"), "{stderr}");
    let rejects = std::fs::read_to_string(dir.path().join("reports.jsonl.rejects.jsonl"))
        .expect("reject file");
    let lines: Vec<serde_json::Value> = rejects
        .lines()
        .map(|l| serde_json::from_str(l).expect("json"))
        .collect();
    assert_eq!(
        lines
            .iter()
            .map(|l| l["line"].as_u64().unwrap_or(0))
            .collect::<Vec<_>>(),
        vec![2, 3, 6]
    );
    assert_eq!(lines[0]["errors"][0]["code"], "channel_invalid");
    assert_eq!(lines[0]["record"]["channel"], "fax");

    // Running the import again skips the row with an idempotency key, re-imports the others.
    let again = canhgiac(&data, &["import", "--quiet", file.to_str().expect("utf-8")]);
    assert!(String::from_utf8_lossy(&again.stderr).contains("1 already imported"));

    // The check sees the imported reports: exit 1 when flagged, 0 when nothing is known.
    let flagged = canhgiac(&data, &["check", "0912345678", "--json"]);
    assert_eq!(flagged.status.code(), Some(1));
    let verdict: serde_json::Value = serde_json::from_slice(&flagged.stdout).expect("json");
    assert_eq!(verdict["level"], "reported");
    assert_eq!(verdict["first_seen"], "2025-06-01");
    let clean = canhgiac(&data, &["check", "0987000111"]);
    assert_eq!(clean.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&clean.stdout).contains("no_reports"));
    let lookalike = canhgiac(&data, &["check", "vietcombank-hotro.com.vn", "--json"]);
    assert_eq!(lookalike.status.code(), Some(1));
    let verdict: serde_json::Value = serde_json::from_slice(&lookalike.stdout).expect("json");
    assert_eq!(verdict["level"], "suspicious");
    let bad = canhgiac(&data, &["check", "09123"]);
    assert_eq!(bad.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&bad.stderr).contains("quá ngắn"));
}

#[test]
fn csv_import_maps_columns_and_refuses_unknown_ones() {
    let dir = tempfile::tempdir().expect("tempdir");
    let good = dir.path().join("good.csv");
    std::fs::write(
        &good,
        "channel,narrative,amount_lost_vnd,phones,bank_accounts,received_at\ncall,Giả danh ngân hàng,\"2.000.000\",0912345678;0987654321,VCB 0123456789,2025-01-02\nsms,Thiếu cột,1\n",
    )
    .expect("write");
    let data = dir.path().join("data");
    let out = canhgiac(&data, &["import", "--quiet", good.to_str().expect("utf-8")]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("imported 1 reports"), "{stderr}");
    assert!(stderr.contains("line 3:"), "{stderr}");
    let check = canhgiac(&data, &["check", "VCB 0123456789", "--json"]);
    let verdict: serde_json::Value = serde_json::from_slice(&check.stdout).expect("json");
    assert_eq!(verdict["reported_loss_vnd"], 2_000_000);

    let bad = dir.path().join("bad.csv");
    std::fs::write(&bad, "channel,colour\ncall,red\n").expect("write");
    let out = canhgiac(&data, &["import", "--quiet", bad.to_str().expect("utf-8")]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("unknown CSV columns"));
}

fn check_message(data: &std::path::Path, text: &str, extra: &[&str]) -> std::process::Output {
    let args: Vec<&str> = ["check", "--message", "-"]
        .iter()
        .chain(extra)
        .copied()
        .collect();
    canhgiac_stdin(data, &args, text)
}

#[test]
fn check_message_reads_standard_input_and_exits_by_level() {
    let dir = tempfile::tempdir().expect("tempdir");
    let scam = check_message(
        dir.path(),
        "Vietcombank: tai khoan cua quy khach bi khoa. Xac thuc ngay tai https://vietcombank-xacthuc.top",
        &[],
    );
    assert_eq!(
        scam.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&scam.stderr)
    );
    let out = String::from_utf8_lossy(&scam.stdout);
    assert!(out.starts_with("[high]"), "{out}");
    assert!(out.contains("«https://vietcombank-xacthuc.top»"), "{out}");

    let otp = check_message(
        dir.path(),
        "Ma OTP cua ban la 123456. Tuyet doi khong cung cap ma nay cho bat ky ai.",
        &["--json"],
    );
    assert_eq!(otp.status.code(), Some(0));
    let json: serde_json::Value = serde_json::from_slice(&otp.stdout).expect("JSON");
    assert_eq!(json["level"], "low");

    let empty = check_message(dir.path(), "  \n", &[]);
    assert_eq!(empty.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&empty.stderr).contains("Tin nhắn trống"));
}

fn canhgiac_stdin(data: &std::path::Path, args: &[&str], input: &str) -> std::process::Output {
    use std::io::Write;
    let mut child = Command::new(env!("CARGO_BIN_EXE_canhgiac"))
        .args(args)
        .arg("--data-dir")
        .arg(data)
        .env("CANHGIAC_LOG", "warn")
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("canhgiac runs");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(input.as_bytes())
        .expect("write");
    child.wait_with_output().expect("output")
}

#[test]
fn user_add_bootstraps_an_admin_and_audit_verify_catches_tampering() {
    let dir = tempfile::tempdir().expect("tempdir");
    let data = dir.path().join("data");
    let out = canhgiac_stdin(
        &data,
        &[
            "user",
            "add",
            "--username",
            "quantri",
            "--name",
            "Nguyễn Văn Quản",
            "--role",
            "admin",
            "--password-stdin",
        ],
        "một mật khẩu rất dài\n",
    );
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    // A generated password is printed once; bad roles, units and names are refused.
    let out = canhgiac(
        &data,
        &[
            "user",
            "add",
            "--username",
            "thuly",
            "--name",
            "Lê Thu",
            "--role",
            "investigator",
            "--unit",
            "X26041",
        ],
    );
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stdout).trim().len() >= 16);
    let out = canhgiac(
        &data,
        &[
            "user",
            "add",
            "--username",
            "x1",
            "--name",
            "X",
            "--role",
            "root",
        ],
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("unknown role"));
    let out = canhgiac(
        &data,
        &[
            "user",
            "add",
            "--username",
            "thuly",
            "--name",
            "Lê Thu",
            "--role",
            "analyst",
        ],
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("taken"));
    let out = canhgiac(
        &data,
        &[
            "user",
            "add",
            "--username",
            "abc",
            "--name",
            "X",
            "--role",
            "analyst",
            "--unit",
            "NOPE",
        ],
    );
    assert!(String::from_utf8_lossy(&out.stderr).contains("no unit has the code NOPE"));
    let list = canhgiac(&data, &["user", "list"]);
    let list = String::from_utf8_lossy(&list.stdout);
    assert!(list.contains("quantri\tadmin\tNguyễn Văn Quản"), "{list}");
    assert!(
        list.contains("thuly\tinvestigator\tLê Thu\tCông an phường Trấn Biên"),
        "{list}"
    );
    let units = canhgiac(&data, &["user", "units"]);
    assert!(String::from_utf8_lossy(&units.stdout).contains("PA05\t"));

    let out = canhgiac(&data, &["audit", "verify"]);
    assert_eq!(out.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&out.stdout).contains("audit log intact: 2 entries"));

    // Someone with the database file rewrites history.
    let db = data.join("canhgiac.db");
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime")
        .block_on(async {
            let pool = sqlx::SqlitePool::connect(&format!("sqlite://{}", db.display()))
                .await
                .expect("open");
            sqlx::query("DROP TRIGGER audit_log_no_update")
                .execute(&pool)
                .await
                .expect("drop");
            sqlx::query("UPDATE audit_log SET reason = 'analyst' WHERE seq = 1")
                .execute(&pool)
                .await
                .expect("tamper");
            pool.close().await;
        });
    let out = canhgiac(&data, &["audit", "verify"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stdout).contains("AUDIT LOG BROKEN at entry 1"));
}
