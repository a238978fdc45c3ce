//! Shared helpers: an app over a fresh store in a temporary directory.

#![allow(dead_code)]

use std::sync::Arc;

use axum::body::Body;
use axum::http::{Request, StatusCode};
use axum::Router;
use canhgiac_core::roles::Role;
use canhgiac_store::audit::Actor;
use canhgiac_store::officers::NewOfficer;
use canhgiac_store::{Store, StoreConfig};
use canhgiac_web::{router, AppState};
use http_body_util::BodyExt;
use tower::ServiceExt;

pub struct TestApp {
    pub app: Router,
    pub state: AppState,
    pub dir: tempfile::TempDir,
}

pub async fn app() -> TestApp {
    let dir = tempfile::tempdir().expect("tempdir");
    let database_url = canhgiac_store::testing::database_url_for(dir.path())
        .await
        .expect("test database");
    let store = Store::open(&StoreConfig {
        data_dir: dir.path().to_path_buf(),
        database_url,
        data_key: None,
        province: "Đồng Nai".into(),
        cache_mib: 8,
    })
    .await
    .expect("store");
    // Each read ranks the queue anew: the tests change reports and look at once.
    store.set_queue_ranking_ttl(std::time::Duration::ZERO);
    let state = AppState::new(Arc::new(store)).await.expect("state");
    TestApp {
        app: router(state.clone()),
        state,
        dir,
    }
}

pub struct Answer {
    pub status: StatusCode,
    pub headers: axum::http::HeaderMap,
    pub body: Vec<u8>,
}

impl Answer {
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_slice(&self.body)
            .unwrap_or_else(|e| panic!("not JSON ({e}): {}", String::from_utf8_lossy(&self.body)))
    }

    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }

    pub fn html(&self) -> scraper::Html {
        scraper::Html::parse_document(&self.text())
    }

    /// The first error code of an API error body.
    pub fn code(&self) -> String {
        self.json()["errors"][0]["code"]
            .as_str()
            .unwrap_or("")
            .to_string()
    }
}

pub async fn send(app: &Router, request: Request<Body>) -> Answer {
    let response = app.clone().oneshot(request).await.expect("infallible");
    let status = response.status();
    let headers = response.headers().clone();
    let body = response
        .into_body()
        .collect()
        .await
        .expect("body")
        .to_bytes()
        .to_vec();
    Answer {
        status,
        headers,
        body,
    }
}

pub async fn get(app: &Router, uri: &str) -> Answer {
    send(app, Request::get(uri).body(Body::empty()).expect("request")).await
}

pub async fn post_json(app: &Router, uri: &str, body: &str, headers: &[(&str, &str)]) -> Answer {
    let mut request = Request::post(uri).header("content-type", "application/json");
    for (k, v) in headers {
        request = request.header(*k, *v);
    }
    send(
        app,
        request.body(Body::from(body.to_string())).expect("request"),
    )
    .await
}

pub fn select(html: &scraper::Html, css: &str) -> Vec<String> {
    let selector = scraper::Selector::parse(css).expect("selector");
    html.select(&selector)
        .map(|e| e.text().collect::<String>().trim().to_string())
        .collect()
}

/// The value of attribute `name` on each element that matches `css`.
pub fn attrs(html: &scraper::Html, css: &str, name: &str) -> Vec<String> {
    let selector = scraper::Selector::parse(css).expect("selector");
    html.select(&selector)
        .filter_map(|e| e.value().attr(name).map(str::to_string))
        .collect()
}

pub const EXAMPLE: &str = r#"{"channel": "call", "narrative": "Kẻ gian gọi điện xưng là công an, bắt chuyển tiền để chứng minh tiền sạch.", "amount_lost_vnd": 5000000,
  "identifiers": [{"kind": "phone", "value": "0912 345 678"}, {"kind": "bank_account", "bank": "VCB", "value": "0123456789"}, {"kind": "url", "value": "https://VietcomBank-hotro.com.vn/login?x=1"}],
  "reporter": {"name": "Lê Thị Hồng Nhung", "phone": "0987 654 321", "citizen_id": "075123456789", "address": "Phường Tam Hiệp, Đồng Nai"}}"#;

pub const PASSWORD: &str = "mật khẩu thử nghiệm 2026";

/// A signed-in session: the cookie header and the CSRF token.
#[derive(Clone)]
pub struct Login {
    pub cookie: String,
    pub csrf: String,
}

pub async fn add(t: &TestApp, username: &str, role: Role) {
    t.state
        .store
        .add_officer(
            NewOfficer {
                username: username.into(),
                display_name: format!("Cán bộ {username}"),
                role,
                unit_code: "PA05".into(),
                password: PASSWORD.into(),
            },
            &Actor::cli(),
        )
        .await
        .expect("store")
        .expect("account");
}

pub async fn login(t: &TestApp, username: &str) -> Login {
    let body = serde_json::json!({"username": username, "password": PASSWORD}).to_string();
    let a = post_json(&t.app, "/api/v1/officer/session", &body, &[]).await;
    assert_eq!(a.status, StatusCode::OK, "{}", a.text());
    let set = a
        .headers
        .get("set-cookie")
        .and_then(|v| v.to_str().ok())
        .expect("cookie")
        .to_string();
    assert!(
        set.contains("HttpOnly") && set.contains("SameSite=Strict"),
        "{set}"
    );
    let cookie = set.split(';').next().expect("pair").to_string();
    Login {
        cookie,
        csrf: a.json()["csrf_token"].as_str().expect("csrf").to_string(),
    }
}

pub async fn call(
    t: &TestApp,
    method: &str,
    uri: &str,
    body: Option<&str>,
    who: Option<&Login>,
    form: bool,
) -> Answer {
    call_app(&t.app, method, uri, body, who, form).await
}

/// [`call`] on a router alone (for requests sent from spawned tasks).
pub async fn call_app(
    app: &Router,
    method: &str,
    uri: &str,
    body: Option<&str>,
    who: Option<&Login>,
    form: bool,
) -> Answer {
    let mut r = Request::builder().method(method).uri(uri);
    if let Some(l) = who {
        r = r.header("cookie", l.cookie.clone());
        if !form {
            r = r.header("x-csrf-token", l.csrf.clone());
        }
    }
    let body = match (body, form, who) {
        (Some(b), true, Some(l)) => {
            r = r.header("content-type", "application/x-www-form-urlencoded");
            Body::from(format!("csrf={}&{b}", l.csrf))
        }
        (Some(b), true, None) => {
            r = r.header("content-type", "application/x-www-form-urlencoded");
            Body::from(b.to_string())
        }
        (Some(b), false, _) => {
            r = r.header("content-type", "application/json");
            Body::from(b.to_string())
        }
        (None, _, _) => Body::empty(),
    };
    send(app, r.body(body).expect("request")).await
}

/// Files the example report and lets the public index follow.
pub async fn with_report(t: &TestApp) {
    let a = post_json(&t.app, "/api/v1/reports", EXAMPLE, &[]).await;
    assert_eq!(a.status, StatusCode::CREATED, "{}", a.text());
    t.state.index.catch_up(&t.state.store).await.expect("index");
}

/// A valid edit of the `romance` method, as the console form sends it.
pub const METHOD_EDIT: &str = "name_vi=L%E1%BB%ABa+%C4%91%E1%BA%A3o+t%C3%ACnh+c%E1%BA%A3m&summary_vi=L%C3%A0m+quen+qua+m%E1%BA%A1ng+r%E1%BB%93i+d%E1%BB%A5+%C4%91%E1%BA%A7u+t%C6%B0.&red_flags_vi=H%E1%BB%A9a+g%E1%BB%ADi+qu%C3%A0&advice_vi=Kh%C3%B4ng+chuy%E1%BB%83n+ti%E1%BB%81n&channels=zalo&note=th%E1%BB%AD+ma+tr%E1%BA%ADn";

/// The publish form of a bulletin as its editor sends it: confirmed, with the saved
/// version's fingerprint the edit page shows.
pub async fn publish_form(t: &TestApp, who: &Login, id: i64) -> String {
    let page = call(
        t,
        "GET",
        &format!("/console/ban-tin/{id}"),
        None,
        Some(who),
        true,
    )
    .await
    .html();
    let saved = attrs(&page, "#publish-form input[name=saved]", "value");
    format!(
        "confirm=1&saved={}",
        saved.first().expect("the publish form")
    )
}

/// The reporter's status page (`POST /theo-doi`) for a code and a secret.
pub async fn status_page(app: &Router, code: &str, secret: &str) -> Answer {
    send(
        app,
        Request::post("/theo-doi")
            .header("content-type", "application/x-www-form-urlencoded")
            .body(Body::from(format!("code={code}&secret={secret}")))
            .expect("request"),
    )
    .await
}

/// The text of a DOCX file (the runs of word/document.xml, paragraphs on new lines).
/// Runs pdftotext (poppler-utils, installed by scripts/test.sh) over a PDF.
pub fn pdf_text(pdf: &[u8]) -> String {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("document.pdf");
    std::fs::write(&path, pdf).expect("write");
    let out = std::process::Command::new("pdftotext")
        .arg("-layout")
        .arg(&path)
        .arg("-")
        .output()
        .expect("pdftotext is needed (apt-get install poppler-utils; scripts/test.sh does)");
    assert!(out.status.success(), "pdftotext failed");
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// The pictures in a PDF, as `pdfimages -list` (poppler-utils) counts them.
pub fn pdf_image_count(pdf: &[u8]) -> usize {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("document.pdf");
    std::fs::write(&path, pdf).expect("write");
    let out = std::process::Command::new("pdfimages")
        .arg("-list")
        .arg(&path)
        .output()
        .expect("pdfimages is needed (apt-get install poppler-utils; scripts/test.sh does)");
    assert!(out.status.success(), "pdfimages failed");
    // two heading lines, then one line per image
    String::from_utf8_lossy(&out.stdout).lines().skip(2).count()
}

/// One file of a zip (a DOCX or an XLSX) as text.
pub fn zip_entry(bytes: &[u8], name: &str) -> String {
    use std::io::Read;
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).expect("a zip file");
    let mut out = String::new();
    zip.by_name(name)
        .unwrap_or_else(|_| panic!("{name} is in the zip"))
        .read_to_string(&mut out)
        .expect("utf-8");
    out
}

/// The names of the pictures inside a DOCX (`word/media/…`).
pub fn docx_media(bytes: &[u8]) -> Vec<String> {
    let zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).expect("a zip file");
    zip.file_names()
        .filter(|n| n.starts_with("word/media/") && !n.ends_with('/'))
        .map(str::to_string)
        .collect()
}

pub fn docx_text(bytes: &[u8]) -> String {
    use std::io::Read;
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).expect("a zip file");
    let mut xml = String::new();
    zip.by_name("word/document.xml")
        .expect("document.xml")
        .read_to_string(&mut xml)
        .expect("utf-8");
    let xml = xml.replace("</w:p>", "\n");
    let mut text = String::new();
    let mut inside = false;
    for c in xml.chars() {
        match c {
            '<' => inside = true,
            '>' => inside = false,
            c if !inside => text.push(c),
            _ => {}
        }
    }
    text.replace("&amp;", "&")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
}
