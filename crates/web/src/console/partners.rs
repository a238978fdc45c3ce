//! Partners and their API keys (`/console/doi-tac`, administrators): register a
//! partner (a bank with its BIN, a carrier, a platform, another province, a national
//! system), issue keys with scopes, a rate and an expiry (the key is shown once, on
//! the answer to the form, and never again), rotate a key (the old one keeps working
//! for the grace hours given), revoke one, disable a whole partner at once, and read
//! how often each key was used.

use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect};
use canhgiac_core::i18n::Lang;
use canhgiac_core::partner::{KeyScope, PartnerKind, Scopes};
use canhgiac_core::roles::Permission;
use canhgiac_store::partners::{KeyInfo, NewKeySpec, Partner};

use super::auth::{Console, ConsoleForm};
use super::{fmt_datetime, Frame};
use crate::pages::render;
use crate::pages::{PageError, PageResult};
use crate::refusal::Refusal;
use crate::AppState;

fn now() -> i64 {
    time::OffsetDateTime::now_utc().unix_timestamp()
}

struct Listed {
    id: i64,
    name: String,
    kind: String,
    bin: String,
    active: bool,
}

struct KindChoice {
    value: &'static str,
    label: &'static str,
}

#[derive(Template)]
#[template(path = "console/partners.html")]
struct ListPage {
    f: Frame,
    partners: Vec<Listed>,
    kinds: Vec<KindChoice>,
    error: Option<(String, String)>,
    name: String,
    bin: String,
}

async fn list_page(
    state: &AppState,
    console: &Console,
    error: Option<(String, String)>,
    name: &str,
    bin: &str,
) -> Result<ListPage, PageError> {
    let lang = console.lang;
    Ok(ListPage {
        partners: state
            .store
            .partners()
            .await?
            .into_iter()
            .map(|p| Listed {
                id: p.id,
                kind: p.kind.label(lang).to_string(),
                bin: p.bank_bin.clone().unwrap_or_default(),
                active: p.active,
                name: p.name,
            })
            .collect(),
        kinds: PartnerKind::ALL
            .iter()
            .map(|k| KindChoice {
                value: k.as_str(),
                label: k.label(lang),
            })
            .collect(),
        error,
        name: name.to_string(),
        bin: bin.to_string(),
        f: Frame::new(console),
    })
}

/// `GET /console/doi-tac`.
pub async fn list(State(state): State<AppState>, console: Console) -> PageResult {
    console.require(Permission::ManageAccounts)?;
    let page = list_page(&state, &console, None, "", "").await?;
    Ok(render(StatusCode::OK, &page))
}

/// The fields of the forms of these pages.
#[derive(Debug, serde::Deserialize, Default)]
pub struct PartnerForm {
    #[serde(default)]
    name: String,
    #[serde(default)]
    kind: String,
    #[serde(default)]
    bank_bin: String,
    #[serde(default)]
    per_minute: String,
    #[serde(default)]
    expires: String,
    #[serde(default)]
    label: String,
    #[serde(default)]
    grace_hours: String,
    #[serde(default)]
    version: String,
    #[serde(default)]
    active: String,
    #[serde(default)]
    url: String,
}

/// `POST /console/doi-tac`: registers a partner.
pub async fn create(State(state): State<AppState>, f: ConsoleForm<PartnerForm>) -> PageResult {
    let console = f.console.allowed(Permission::ManageAccounts)?;
    let lang = console.lang;
    let refuse = |field: &str, text: String| Some((field.to_string(), text));
    let Some(kind) = PartnerKind::parse(&f.form.kind) else {
        let page = list_page(
            &state,
            &console,
            refuse(
                "kind",
                lang.pick("Chọn loại đối tác.", "Choose the kind of partner.")
                    .into(),
            ),
            &f.form.name,
            &f.form.bank_bin,
        )
        .await?;
        return Ok(render(StatusCode::UNPROCESSABLE_ENTITY, &page));
    };
    let bin = Some(f.form.bank_bin.trim()).filter(|b| !b.is_empty());
    match state
        .store
        .create_partner(console.officer(), &f.form.name, kind, bin)
        .await?
    {
        Ok(id) => Ok(Redirect::to(&format!("/console/doi-tac/{id}")).into_response()),
        Err(e) => {
            let field = e.field().unwrap_or("name");
            let page = list_page(
                &state,
                &console,
                refuse(field, e.text(lang)),
                &f.form.name,
                &f.form.bank_bin,
            )
            .await?;
            Ok(render(e.status(), &page))
        }
    }
}

struct KeyRow {
    id: i64,
    prefix: String,
    scopes: String,
    per_minute: u32,
    label: String,
    created: String,
    expires: String,
    last_used: String,
    status: String,
    working: bool,
    uses: String,
}

struct ListRow {
    id: i64,
    name: String,
    format: String,
    entries: i64,
    listed_on: String,
    confidence: u8,
    imported: String,
    key_prefix: String,
    status: String,
    active: bool,
    version: i64,
}

struct DeliveryRow {
    id: i64,
    event: String,
    created: String,
    attempts: i64,
    outcome: String,
}

struct ScopeChoice {
    value: &'static str,
    label: &'static str,
}

#[derive(Template)]
#[template(path = "console/partner.html")]
struct PartnerPage {
    f: Frame,
    id: i64,
    name: String,
    kind: String,
    bin: String,
    active: bool,
    version: i64,
    keys: Vec<KeyRow>,
    lists: Vec<ListRow>,
    is_bank: bool,
    webhook_url: String,
    webhook_set: String,
    deliveries: Vec<DeliveryRow>,
    new_secret: Option<String>,
    scopes: Vec<ScopeChoice>,
    new_key: Option<String>,
    error: Option<(String, String)>,
}

fn key_status(k: &KeyInfo, lang: Lang, at: i64) -> String {
    if k.revoked_at.is_some() {
        lang.pick("Đã thu hồi", "Revoked").into()
    } else if k.expires_at.is_some_and(|e| e <= at) {
        lang.pick("Hết hạn", "Expired").into()
    } else if k.replaced_by.is_some() {
        lang.pick("Đã thay, còn dùng tạm", "Replaced, in its grace period")
            .into()
    } else {
        lang.pick("Đang dùng", "In use").into()
    }
}

async fn partner_page(
    state: &AppState,
    console: &Console,
    p: &Partner,
    new_key: Option<String>,
    error: Option<(String, String)>,
) -> Result<PartnerPage, PageError> {
    let lang = console.lang;
    let at = now();
    let mut keys = Vec::new();
    for k in state.store.keys(p.id).await? {
        let uses: i64 = state
            .store
            .key_uses(k.id, at - 30 * 86_400, 10_000)
            .await?
            .iter()
            .map(|u| u.3)
            .sum();
        keys.push(KeyRow {
            id: k.id,
            scopes: k.scopes.to_text(),
            per_minute: k.per_minute,
            label: k.label.clone(),
            created: fmt_datetime(k.created_at),
            expires: k.expires_at.map(fmt_datetime).unwrap_or_else(|| "—".into()),
            last_used: k
                .last_used_at
                .map(fmt_datetime)
                .unwrap_or_else(|| "—".into()),
            status: key_status(&k, lang, at),
            working: k.works_at(at),
            uses: uses.to_string(),
            prefix: k.prefix,
        });
    }
    let lists = state
        .store
        .partner_lists(Some(p.id))
        .await?
        .into_iter()
        .map(|l| ListRow {
            id: l.id,
            status: if l.active {
                lang.pick("Đang áp dụng", "In force").into()
            } else {
                lang.pick("Đã tắt hoặc được thay", "Disabled or replaced")
                    .into()
            },
            listed_on: canhgiac_core::verdict::day(l.listed_on),
            imported: fmt_datetime(l.imported_at),
            name: l.name,
            format: l.format,
            entries: l.entries,
            confidence: l.confidence,
            key_prefix: l.key_prefix,
            active: l.active,
            version: l.version,
        })
        .collect();
    let webhook = state.store.webhook(p.id).await?;
    let deliveries = state
        .store
        .deliveries(p.id, 20)
        .await?
        .into_iter()
        .map(|d| DeliveryRow {
            id: d.id,
            outcome: match (d.delivered_at, d.last_status, &d.last_error) {
                (Some(at), _, _) => {
                    format!("{} {}", lang.pick("Đã nhận", "Accepted"), fmt_datetime(at))
                }
                (None, _, _) if d.attempts >= canhgiac_store::webhooks::MAX_ATTEMPTS => {
                    lang.pick("Bỏ sau nhiều lần thử", "Given up").into()
                }
                (None, Some(s), _) => format!(
                    "HTTP {s}; {} {}",
                    lang.pick("thử lại lúc", "next try"),
                    fmt_datetime(d.next_at)
                ),
                (None, None, Some(_)) => format!(
                    "{}; {} {}",
                    lang.pick("Không kết nối được", "Could not connect"),
                    lang.pick("thử lại lúc", "next try"),
                    fmt_datetime(d.next_at)
                ),
                (None, None, None) => lang.pick("Đang chờ gửi", "Waiting").into(),
            },
            event: d.event,
            created: fmt_datetime(d.created_at),
            attempts: d.attempts,
        })
        .collect();
    Ok(PartnerPage {
        lists,
        is_bank: p.bank_bin.is_some(),
        webhook_url: webhook.as_ref().map(|w| w.url.clone()).unwrap_or_default(),
        webhook_set: webhook
            .map(|w| fmt_datetime(w.created_at))
            .unwrap_or_default(),
        deliveries,
        new_secret: None,
        id: p.id,
        name: p.name.clone(),
        kind: p.kind.label(lang).to_string(),
        bin: p.bank_bin.clone().unwrap_or_default(),
        active: p.active,
        version: p.version,
        keys,
        scopes: KeyScope::ALL
            .iter()
            .filter(|s| s.fits(p.kind))
            .map(|s| ScopeChoice {
                value: s.as_str(),
                label: s.label(lang),
            })
            .collect(),
        new_key,
        error,
        f: Frame::new(console),
    })
}

/// `GET /console/doi-tac/{id}`.
pub async fn page(
    State(state): State<AppState>,
    console: Console,
    Path(id): Path<i64>,
) -> PageResult {
    console.require(Permission::ManageAccounts)?;
    let p = state.store.partner(id).await?.ok_or(PageError::NotFound)?;
    let page = partner_page(&state, &console, &p, None, None).await?;
    Ok(render(StatusCode::OK, &page))
}

/// The last day given as a date (`2027-06-30`): the key works until that day's end,
/// Vietnam time.
fn expiry_of(text: &str) -> Result<Option<i64>, ()> {
    let t = text.trim();
    if t.is_empty() {
        return Ok(None);
    }
    let day = time::Date::parse(t, time::macros::format_description!("[year]-[month]-[day]"))
        .map_err(|_| ())?;
    let next = day.next_day().ok_or(())?;
    Ok(Some(
        next.midnight()
            .assume_offset(canhgiac_core::clock::VN_OFFSET)
            .unix_timestamp(),
    ))
}

/// `POST /console/doi-tac/{id}/khoa`: issues a key; the answer shows it once.
pub async fn issue(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    f: ConsoleForm<PartnerForm>,
) -> PageResult {
    let console = f.console.allowed(Permission::ManageAccounts)?;
    let lang = console.lang;
    let p = state.store.partner(id).await?.ok_or(PageError::NotFound)?;
    let chosen: Vec<&str> = f
        .pairs
        .iter()
        .filter(|(k, _)| k == "scopes")
        .map(|(_, v)| v.as_str())
        .collect();
    let scopes = Scopes::parse(&chosen.join(" "));
    let per_minute = f.form.per_minute.trim().parse::<u32>();
    let expires = expiry_of(&f.form.expires);
    let refuse =
        |field: &str, vi: &str, en: &str| Some((field.to_string(), lang.pick(vi, en).to_string()));
    let problem = match (&scopes, &per_minute, &expires) {
        (Err(_), _, _) => refuse("scopes", "Quyền không hợp lệ.", "Unknown scope."),
        (_, Err(_), _) => refuse(
            "per_minute",
            "Số yêu cầu mỗi phút phải là số nguyên.",
            "Requests a minute must be a whole number.",
        ),
        (_, _, Err(())) => refuse(
            "expires",
            "Ngày hết hạn theo dạng năm-tháng-ngày.",
            "The expiry is a date (year-month-day).",
        ),
        _ => None,
    };
    if problem.is_some() {
        let page = partner_page(&state, &console, &p, None, problem).await?;
        return Ok(render(StatusCode::UNPROCESSABLE_ENTITY, &page));
    }
    let spec = NewKeySpec {
        scopes: scopes.unwrap_or_default(),
        per_minute: per_minute.unwrap_or(0),
        expires_at: expires.unwrap_or(None),
        label: f.form.label.clone(),
    };
    match state.store.issue_key(console.officer(), id, &spec).await? {
        Ok((_, key)) => {
            state.key_cache.clear();
            let page = partner_page(&state, &console, &p, Some(key), None).await?;
            Ok(render(StatusCode::CREATED, &page))
        }
        Err(e) => {
            let problem = Some((e.field().unwrap_or("scopes").to_string(), e.text(lang)));
            let page = partner_page(&state, &console, &p, None, problem).await?;
            Ok(render(e.status(), &page))
        }
    }
}

/// `POST /console/doi-tac/khoa/{key}/doi`: rotates a key; the answer shows the new
/// key once.
pub async fn rotate(
    State(state): State<AppState>,
    Path(key_id): Path<i64>,
    f: ConsoleForm<PartnerForm>,
) -> PageResult {
    let console = f.console.allowed(Permission::ManageAccounts)?;
    let old = state.store.key(key_id).await?.ok_or(PageError::NotFound)?;
    let p = state
        .store
        .partner(old.partner_id)
        .await?
        .ok_or(PageError::NotFound)?;
    let grace = f
        .form
        .grace_hours
        .trim()
        .parse::<i64>()
        .unwrap_or(24)
        .clamp(0, 720);
    match state
        .store
        .rotate_key(console.officer(), key_id, grace * 3_600)
        .await?
    {
        Ok((_, key)) => {
            state.key_cache.clear();
            let page = partner_page(&state, &console, &p, Some(key), None).await?;
            Ok(render(StatusCode::CREATED, &page))
        }
        Err(e) => Err(PageError::refused(e)),
    }
}

/// `POST /console/doi-tac/khoa/{key}/thu-hoi`: revokes a key at once.
pub async fn revoke(
    State(state): State<AppState>,
    Path(key_id): Path<i64>,
    f: ConsoleForm<PartnerForm>,
) -> PageResult {
    let console = f.console.allowed(Permission::ManageAccounts)?;
    let old = state.store.key(key_id).await?.ok_or(PageError::NotFound)?;
    match state.store.revoke_key(console.officer(), key_id).await? {
        Ok(()) => {
            state.key_cache.clear();
            Ok(Redirect::to(&format!("/console/doi-tac/{}", old.partner_id)).into_response())
        }
        Err(e) => Err(PageError::refused(e)),
    }
}

/// `POST /console/doi-tac/{id}/trang-thai`: enables or disables a partner, at the
/// version the administrator saw.
pub async fn set_active(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    f: ConsoleForm<PartnerForm>,
) -> PageResult {
    let console = f.console.allowed(Permission::ManageAccounts)?;
    let version = f.form.version.trim().parse::<i64>().unwrap_or(-1);
    let active = f.form.active == "1";
    match state
        .store
        .set_partner_active(console.officer(), id, active, version)
        .await?
    {
        Ok(()) => {
            state.key_cache.clear();
            Ok(Redirect::to(&format!("/console/doi-tac/{id}")).into_response())
        }
        Err(e) => Err(PageError::refused(e)),
    }
}

/// `POST /console/doi-tac/danh-sach/{list}/tat`: disables a partner's list at once, at
/// the version the administrator saw, with a reason.
pub async fn disable_list(
    State(state): State<AppState>,
    Path(list_id): Path<i64>,
    f: ConsoleForm<PartnerForm>,
) -> PageResult {
    use crate::refusal::Said;
    use canhgiac_store::partner_lists::ListError;
    let console = f.console.allowed(Permission::ManageAccounts)?;
    let list = state
        .store
        .partner_list(list_id)
        .await?
        .ok_or(PageError::NotFound)?;
    let version = f.form.version.trim().parse::<i64>().unwrap_or(-1);
    let reason = f.form.label.trim();
    if reason.is_empty() {
        return Err(PageError::refused(Said::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "reason_required",
            "Cần ghi lý do tắt danh sách.",
            "A reason is needed to disable the list.",
        )));
    }
    match state
        .store
        .disable_partner_list(console.officer(), list_id, version, reason, now())
        .await?
    {
        Ok(()) => {
            if let Err(e) = state.index.catch_up(&state.store).await {
                tracing::warn!(error = %e, "index catch-up after disabling a list");
            }
            Ok(Redirect::to(&format!("/console/doi-tac/{}", list.partner_id)).into_response())
        }
        Err(ListError::Changed) => Err(PageError::refused(Said::new(
            StatusCode::CONFLICT,
            "changed_meanwhile",
            "Danh sách đã được thay đổi trong lúc bạn xem; tải lại trang.",
            "The list changed meanwhile; reload the page.",
        ))),
        Err(ListError::NotFound) => Err(PageError::NotFound),
        Err(ListError::Forbidden) => Err(PageError::Forbidden),
    }
}

/// `POST /console/doi-tac/{id}/webhook`: sets a bank's webhook address with a new
/// signing secret, shown once on the answer.
pub async fn set_webhook(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    f: ConsoleForm<PartnerForm>,
) -> PageResult {
    use crate::refusal::Said;
    use base64::Engine;
    use canhgiac_store::webhooks::WebhookError;
    let console = f.console.allowed(Permission::ManageAccounts)?;
    let p = state.store.partner(id).await?.ok_or(PageError::NotFound)?;
    let random: [u8; 32] = rand::random();
    let secret = format!(
        "whsec_{}",
        base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(random)
    );
    match state
        .store
        .set_webhook(console.officer(), id, &f.form.url, secret.as_bytes(), now())
        .await?
    {
        Ok(()) => {
            let mut page = partner_page(&state, &console, &p, None, None).await?;
            page.new_secret = Some(secret);
            Ok(render(StatusCode::CREATED, &page))
        }
        Err(WebhookError::BadUrl) => Err(PageError::refused(Said::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid_url",
            "Địa chỉ webhook phải là https:// (http:// chỉ cho chính máy chủ này).",
            "The webhook address must be https:// (http:// only to this machine).",
        ))),
        Err(WebhookError::NotABank) => Err(PageError::refused(Said::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "not_a_bank",
            "Chỉ ngân hàng nhận đề nghị tạm giữ qua webhook.",
            "Only a bank receives hold requests by webhook.",
        ))),
        Err(WebhookError::NotFound) => Err(PageError::NotFound),
        Err(WebhookError::Forbidden) => Err(PageError::Forbidden),
    }
}
