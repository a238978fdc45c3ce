//! Two `canhgiac serve` nodes on one PostgreSQL database: a report sent to one and a
//! verdict given on the other reach both public checks; a session opened on one is
//! good on the other; a client's rate limit counts on both; a job taken by one node is skipped by the other until it lets
//! go. Needs a PostgreSQL server: `CANHGIAC_TEST_POSTGRES_URL` or
//! `CANHGIAC_TEST_DATABASE_URL` (the README's test command starts one and sets it);
//! without it this test fails, it is never skipped.

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use canhgiac_store::{Store, StoreConfig};

struct Node(Child);

impl Drop for Node {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

const PASSWORD: &str = "mật khẩu hai nút 2026";
/// Both nodes seal with the same data key (base64 of 32 bytes).
const DATA_KEY: &str = "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=";

fn server_url() -> String {
    ["CANHGIAC_TEST_POSTGRES_URL", "CANHGIAC_TEST_DATABASE_URL"]
        .iter()
        .find_map(|name| std::env::var(name).ok().filter(|v| !v.is_empty()))
        .expect("this test needs a PostgreSQL server: run the README's test command (scripts/test.sh), or set CANHGIAC_TEST_POSTGRES_URL to the URL scripts/test-postgres.sh prints")
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free port")
}

fn canhgiac(data: &Path, url: &str) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_canhgiac"));
    cmd.env("CANHGIAC_DATA_DIR", data)
        .env("CANHGIAC_DATABASE_URL", url)
        .env("CANHGIAC_DATA_KEY", DATA_KEY)
        .env("CANHGIAC_LOG", "warn");
    cmd
}

fn start(data: &Path, url: &str) -> (Node, u16) {
    let port = free_port();
    let child = canhgiac(data, url)
        .args(["serve", "--address", &format!("127.0.0.1:{port}")])
        .stdout(Stdio::null())
        .spawn()
        .expect("canhgiac serve");
    let node = Node(child);
    let deadline = Instant::now() + Duration::from_secs(60);
    while TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(Instant::now() < deadline, "node on {port} did not start");
        std::thread::sleep(Duration::from_millis(100));
    }
    (node, port)
}

/// (status, headers, body) of one HTTP/1.1 request.
fn http(
    port: u16,
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
    body: &str,
) -> (u16, String, String) {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).expect("connect");
    let mut request = format!(
        "{method} {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\nContent-Length: {}\r\n",
        body.len()
    );
    if !body.is_empty() {
        request.push_str("Content-Type: application/json\r\n");
    }
    for (name, value) in headers {
        request.push_str(&format!("{name}: {value}\r\n"));
    }
    request.push_str("\r\n");
    request.push_str(body);
    stream.write_all(request.as_bytes()).expect("send");
    let mut answer = String::new();
    stream.read_to_string(&mut answer).expect("read");
    let (head, body) = answer.split_once("\r\n\r\n").unwrap_or((&answer, ""));
    let status = head
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    (status, head.to_string(), body.to_string())
}

fn check_level(port: u16, q: &str) -> serde_json::Value {
    let (status, _, body) = http(port, "GET", &format!("/api/v1/check?q={q}"), &[], "");
    assert_eq!(status, 200, "{body}");
    serde_json::from_str(&body).expect("json")
}

/// Polls `port`'s check until `done` holds; the time it took.
fn until(port: u16, q: &str, done: impl Fn(&serde_json::Value) -> bool) -> Duration {
    let start = Instant::now();
    loop {
        let answer = check_level(port, q);
        if done(&answer) {
            return start.elapsed();
        }
        assert!(
            start.elapsed() < Duration::from_secs(10),
            "not propagated: {answer}"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn two_nodes_share_reports_verdicts_sessions_limits_and_jobs() {
    let server = server_url();
    let database = tempfile::tempdir().expect("tempdir");
    let url = canhgiac_store::testing::database_on(&server, database.path())
        .await
        .expect("a database of its own");
    let (dir_a, dir_b) = (
        tempfile::tempdir().expect("tempdir"),
        tempfile::tempdir().expect("tempdir"),
    );

    // An officer account, made once in the shared database.
    let mut add = canhgiac(dir_a.path(), &url)
        .args([
            "user",
            "add",
            "--username",
            "hai.nut",
            "--name",
            "Trần Hai Nút",
            "--role",
            "leader",
            "--password-stdin",
        ])
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .spawn()
        .expect("user add");
    writeln!(add.stdin.take().expect("stdin"), "{PASSWORD}").expect("password");
    assert!(add.wait().expect("user add").success());

    let (_a, port_a) = start(dir_a.path(), &url);
    let (_b, port_b) = start(dir_b.path(), &url);

    // A report sent to A reaches B's check.
    assert_eq!(check_level(port_b, "0934567812")["report_count"], 0);
    let report = r#"{"channel": "call", "narrative": "Kẻ gian gọi điện xưng là nhân viên ngân hàng, đòi mã OTP để hủy khoản vay.", "amount_lost_vnd": 2000000,
      "identifiers": [{"kind": "phone", "value": "0934 567 812"}]}"#;
    let (status, _, body) = http(port_a, "POST", "/api/v1/reports", &[], report);
    assert_eq!(status, 201, "{body}");
    let took = until(port_b, "0934567812", |a| a["report_count"] == 1);
    eprintln!("report propagated from node A to node B in {took:?}");
    assert!(
        took < Duration::from_secs(3),
        "report propagated in {took:?}"
    );

    // A session opened on A is good on B (sessions live in the database).
    let login = format!(r#"{{"username": "hai.nut", "password": "{PASSWORD}"}}"#);
    let (status, head, body) = http(port_a, "POST", "/api/v1/officer/session", &[], &login);
    assert_eq!(status, 200, "{body}");
    let cookie = head
        .lines()
        .find_map(|l| {
            l.strip_prefix("set-cookie: ")
                .or_else(|| l.strip_prefix("Set-Cookie: "))
        })
        .and_then(|c| c.split(';').next())
        .expect("a session cookie")
        .to_string();
    let csrf = serde_json::from_str::<serde_json::Value>(&body).expect("json")["csrf_token"]
        .as_str()
        .expect("csrf")
        .to_string();

    // A verdict given on B reaches A's check.
    let (status, _, body) = http(
        port_b,
        "PUT",
        "/api/v1/officer/identifiers/phone:+84934567812",
        &[("Cookie", &cookie), ("X-CSRF-Token", &csrf)],
        r#"{"verdict": "verified", "reason": "Xác minh qua nhà mạng"}"#,
    );
    assert_eq!(status, 204, "{body}");
    let took = until(port_a, "0934567812", |a| a["level"] == "dangerous");
    eprintln!("verdict propagated from node B to node A in {took:?}");
    assert!(
        took < Duration::from_secs(3),
        "verdict propagated in {took:?}"
    );

    // Per-client limits count across nodes: 30 tracking-code lookups per 10 minutes,
    // whichever node answers them.
    for i in 0..30 {
        let port = if i % 2 == 0 { port_a } else { port_b };
        let (status, _, body) = http(
            port,
            "GET",
            "/api/v1/reports/DN-0000-0000-0000",
            &[("X-Report-Secret", "khong-dung")],
            "",
        );
        assert_ne!(status, 429, "lookup {i} limited too early: {body}");
    }
    for port in [port_a, port_b] {
        let (status, head, body) = http(
            port,
            "GET",
            "/api/v1/reports/DN-0000-0000-0000",
            &[("X-Report-Secret", "khong-dung")],
            "",
        );
        assert_eq!(status, 429, "the 31st lookup, on either node: {body}");
        assert!(head.to_ascii_lowercase().contains("retry-after:"), "{head}");
    }

    // A job one node holds is skipped by the other until it lets go.
    let open = |dir: &Path| {
        let mut config = StoreConfig::in_dir(dir);
        config.database_url = Some(url.clone());
        config.data_key = Some(DATA_KEY.to_string().into());
        config
    };
    let one = Store::open(&open(dir_a.path())).await.expect("store");
    let other = Store::open(&open(dir_b.path())).await.expect("store");
    let held = one
        .try_job("drill")
        .await
        .expect("job")
        .expect("free at first");
    assert!(
        other.try_job("drill").await.expect("job").is_none(),
        "held elsewhere"
    );
    assert!(
        other.try_job("another").await.expect("job").is_some(),
        "jobs are apart"
    );
    held.release().await;
    assert!(
        other.try_job("drill").await.expect("job").is_some(),
        "free again"
    );
}
