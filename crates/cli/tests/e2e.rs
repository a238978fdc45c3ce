//! Browser tests: starts the real `canhgiac serve` on a random port with a temporary
//! database and runs the playwright-core suite in `tests/e2e` against it with
//! Debian's Chromium. Missing Chromium or Node packages make this test fail (the
//! README's test command installs them); it is never skipped.

use std::net::TcpListener;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

struct Server(Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free port")
}

fn wait_until_up(port: u16) {
    let deadline = Instant::now() + Duration::from_secs(60);
    while Instant::now() < deadline {
        if std::net::TcpStream::connect(("127.0.0.1", port)).is_ok() {
            return;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    panic!("the server did not start on port {port}");
}

#[test]
fn citizen_and_officer_flows_work_in_chromium() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..");
    let e2e = root.join("tests/e2e");
    let chromium = std::env::var("CHROMIUM_PATH").unwrap_or_else(|_| "/usr/bin/chromium".into());
    assert!(PathBuf::from(&chromium).exists(), "Chromium not found at {chromium}: run the README's test command (scripts/test.sh), which installs it");
    assert!(e2e.join("node_modules/playwright-core").exists(), "tests/e2e/node_modules missing: run the README's test command (scripts/test.sh), which runs npm ci");

    let data = tempfile::tempdir().expect("tempdir");
    // Officer accounts with a known password (so the demo accounts are not created).
    let password = "mật khẩu kiểm thử trình duyệt";
    for (username, name, role) in [
        ("e2e.thuly", "Nguyễn Thị Thu", "investigator"),
        ("e2e.lanhdao", "Trần Văn Lãnh", "leader"),
        ("e2e.phantich", "Lê Minh Phân", "analyst"),
        ("e2e.lienlac", "Phạm Thị Liên", "liaison"),
        ("e2e.quantri", "Võ Thị Quản", "admin"),
    ] {
        let mut child = Command::new(env!("CARGO_BIN_EXE_canhgiac"))
            .args([
                "user",
                "add",
                "--username",
                username,
                "--name",
                name,
                "--role",
                role,
                "--password-stdin",
            ])
            // the liaison speaks for agency 1, the first provincial department seeded
            .args(if role == "liaison" {
                &["--agency", "1"][..]
            } else {
                &[][..]
            })
            .arg("--data-dir")
            .arg(data.path())
            .env("CANHGIAC_LOG", "warn")
            .stdin(Stdio::piped())
            .stdout(Stdio::null())
            .spawn()
            .expect("canhgiac user add");
        {
            use std::io::Write;
            let mut stdin = child.stdin.take().expect("stdin");
            writeln!(stdin, "{password}").expect("password");
        }
        assert!(
            child.wait().expect("user add").success(),
            "user add {username}"
        );
    }
    let port = free_port();
    let server = Command::new(env!("CARGO_BIN_EXE_canhgiac"))
        .args([
            "serve",
            "--address",
            &format!("127.0.0.1:{port}"),
            "--demo-reports",
            "300",
        ])
        .arg("--data-dir")
        .arg(data.path())
        .env("CANHGIAC_LOG", "warn")
        .stdout(Stdio::null())
        .spawn()
        .expect("canhgiac starts");
    let _server = Server(server);
    wait_until_up(port);

    let shots = root.join("target/e2e-screenshots");
    // The time-out guards against a hang: node applies it to a whole file too, and
    // flows.test.mjs crawls every console page (a slow CI run took 120 s for it).
    let status = Command::new("node")
        .args(["--test", "--test-concurrency=1", "--test-timeout=300000"])
        .current_dir(&e2e)
        .env("BASE_URL", format!("http://127.0.0.1:{port}"))
        .env("SCREENSHOT_DIR", &shots)
        .env("CHROMIUM_PATH", &chromium)
        .env("E2E_PASSWORD", password)
        .status()
        .expect("node runs");
    assert!(
        status.success(),
        "browser tests failed (see the output above)"
    );
}
