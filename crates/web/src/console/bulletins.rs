//! The bulletin composer: an analyst picks methods, an audience and channels;
//! canhgiac drafts every variant; the analyst edits them (with the SMS segment count)
//! and publishes. Pages: `/console/ban-tin` (list and new), `/console/ban-tin/{id}`
//! (edit), `/console/ban-tin/{id}/cong-bo` (publish), `/console/ban-tin/{id}/to-roi.pdf`
//! (the leaflet, drafts included).

use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect};
use canhgiac_core::bulletin::edit::{validate, EditForm};
use canhgiac_core::bulletin::{draft, Audience, Channel, Drafts, Leaflet};
use canhgiac_core::i18n::Lang;
use canhgiac_core::intake::FieldError;
use canhgiac_core::roles::Permission;
use canhgiac_core::sms;
use canhgiac_store::bulletins::{Bulletin, BulletinError};
use serde::Deserialize;

use super::auth::{Console, ConsoleForm};
use super::field_error as err;
use super::{fmt_datetime, Frame};
use crate::pages::render;
use crate::pages::Id;
use crate::pages::{PageError, PageResult};
use crate::refusal::Refusal;
use crate::AppState;

/// Most methods in one bulletin.
pub const MAX_METHODS: usize = 5;

struct Row {
    id: i64,
    title: String,
    audience: &'static str,
    published: bool,
    when: String,
    by: String,
}

#[derive(Template)]
#[template(path = "console/bulletins.html")]
struct ListPage {
    f: Frame,
    rows: Vec<Row>,
    can_write: bool,
    /// (key, name, checked)
    methods: Vec<(String, String, bool)>,
    /// (key, label, checked)
    audiences: Vec<(&'static str, &'static str, bool)>,
    /// (key, label, checked)
    channels: Vec<(&'static str, &'static str, bool)>,
    errors: Vec<FieldError>,
}

async fn list_page(
    state: &AppState,
    console: &Console,
    chosen: &NewChoice,
    errors: Vec<FieldError>,
) -> Result<ListPage, PageError> {
    let (bulletins, catalogue) =
        tokio::try_join!(state.store.all_bulletins(200), state.store.catalogue(None))
            .map_err(|e| PageError::unavailable("bulletins", e))?;
    let lang = console.lang;
    let mut methods: Vec<(String, String, bool)> = catalogue
        .iter()
        .map(|e| {
            (
                e.method.key.clone(),
                e.method.name(lang).to_string(),
                chosen.methods.contains(&e.method.key),
            )
        })
        .collect();
    methods.sort_by(|a, b| a.1.cmp(&b.1));
    Ok(ListPage {
        f: Frame::new(console),
        rows: bulletins
            .iter()
            .map(|b| Row {
                id: b.id,
                title: b.drafts.title.clone(),
                audience: b.audience.label(),
                published: b.published,
                when: fmt_datetime(b.published_at.unwrap_or(b.updated_at)),
                by: b.created_by.clone(),
            })
            .collect(),
        can_write: console.officer().role.can(Permission::PublishBulletins),
        methods,
        audiences: Audience::ALL
            .iter()
            .map(|a| (a.key(), a.label(), Some(*a) == chosen.audience))
            .collect(),
        channels: Channel::ALL
            .iter()
            .map(|c| {
                (
                    c.key(),
                    c.label(),
                    chosen.channels.is_empty() || chosen.channels.contains(c),
                )
            })
            .collect(),
        errors,
    })
}

/// What the new-bulletin form chose.
#[derive(Default)]
struct NewChoice {
    methods: Vec<String>,
    audience: Option<Audience>,
    channels: Vec<Channel>,
}

/// `GET /console/ban-tin`.
pub async fn list(State(state): State<AppState>, console: Console) -> PageResult {
    console.require(Permission::ViewReports)?;
    Ok(
        match list_page(&state, &console, &NewChoice::default(), Vec::new()).await {
            Ok(page) => render(StatusCode::OK, &page),
            Err(r) => return Err(r),
        },
    )
}

#[derive(Deserialize, Default)]
pub struct Ignored {}

/// `POST /console/ban-tin`: drafts a bulletin from the chosen methods.
pub async fn create(State(state): State<AppState>, f: ConsoleForm<Ignored>) -> PageResult {
    let console = f.console.allowed(Permission::PublishBulletins)?;
    let lang = console.lang;
    let values = |name: &str| -> Vec<String> {
        f.pairs
            .iter()
            .filter(|(k, _)| k == name)
            .map(|(_, v)| v.clone())
            .collect()
    };
    let chosen = NewChoice {
        methods: values("methods"),
        audience: values("audience")
            .first()
            .and_then(|a| Audience::from_key(a)),
        channels: values("channels")
            .iter()
            .filter_map(|c| Channel::from_key(c))
            .collect(),
    };
    let catalogue = state.store.catalogue(None).await?;
    let methods: Vec<_> = catalogue
        .iter()
        .filter(|e| chosen.methods.contains(&e.method.key))
        .map(|e| &e.method)
        .collect();
    let mut errors = Vec::new();
    if methods.is_empty() || methods.len() > MAX_METHODS || methods.len() != chosen.methods.len() {
        errors.push(err(
            "methods",
            "methods_count",
            lang.pick(
                "Chọn từ 1 đến 5 thủ đoạn trong danh mục.",
                "Choose 1 to 5 methods of the catalogue.",
            ),
        ));
    }
    let Some(audience) = chosen.audience else {
        errors.push(err(
            "audience",
            "audience_missing",
            lang.pick("Chọn đối tượng.", "Choose an audience."),
        ));
        return Ok(match list_page(&state, &console, &chosen, errors).await {
            Ok(page) => render(StatusCode::UNPROCESSABLE_ENTITY, &page),
            Err(r) => return Err(r),
        });
    };
    if chosen.channels.is_empty() {
        errors.push(err(
            "channels",
            "channels_missing",
            lang.pick("Chọn ít nhất một kênh.", "Choose at least one channel."),
        ));
    }
    if !errors.is_empty() {
        return Ok(match list_page(&state, &console, &chosen, errors).await {
            Ok(page) => render(StatusCode::UNPROCESSABLE_ENTITY, &page),
            Err(r) => return Err(r),
        });
    }
    let drafts = draft(
        &methods,
        audience,
        &format!("{}/kiem-tra", state.public_url),
    );
    let keys: Vec<String> = methods.iter().map(|m| m.key.clone()).collect();
    Ok(
        match state
            .store
            .create_bulletin(
                console.officer(),
                audience,
                &keys,
                &chosen.channels,
                &drafts,
            )
            .await
        {
            Ok(Ok(id)) => Redirect::to(&format!("/console/ban-tin/{id}")).into_response(),
            Ok(Err(_)) => return Err(PageError::Forbidden),
            Err(e) => return Err(PageError::unavailable("create bulletin", e)),
        },
    )
}

/// The SMS length of a variant, for people.
pub struct SmsInfo {
    pub segments: usize,
    pub units: usize,
    pub encoding: &'static str,
    pub remaining: usize,
    pub problem: String,
}

fn sms_info(text: &str, plain: bool, lang: Lang) -> SmsInfo {
    let l = sms::length(text);
    let problem = if plain && l.encoding != sms::Encoding::Gsm7 {
        let odd: String = text
            .chars()
            .filter(|c| sms::gsm7_septets(*c).is_none())
            .take(10)
            .collect();
        format!(
            "{} {odd}",
            lang.pick(
                "Còn ký tự ngoài bảng GSM-7 (tin sẽ gửi dạng UCS-2, 70 ký tự mỗi tin):",
                "Characters outside GSM-7 remain (it would go as UCS-2, 70 per message):"
            )
        )
    } else if plain && l.segments > 2 {
        lang.pick(
            "Dài hơn 2 tin: hãy rút gọn.",
            "Longer than 2 messages: shorten it.",
        )
        .to_string()
    } else {
        String::new()
    };
    SmsInfo {
        segments: l.segments,
        units: l.units,
        encoding: l.encoding.label(),
        remaining: l.remaining,
        problem,
    }
}

#[derive(Template)]
#[template(path = "console/bulletin_edit.html")]
struct EditPage {
    f: Frame,
    id: i64,
    published: bool,
    audience: &'static str,
    methods: String,
    d: Drafts,
    flags_text: String,
    advice_text: String,
    sms: SmsInfo,
    sms_plain: SmsInfo,
    show_sms: bool,
    show_zalo: bool,
    show_fanpage: bool,
    show_leaflet: bool,
    /// The saved texts' fingerprint, sent back by the publish form.
    saved_fingerprint: String,
    can_write: bool,
    errors: Vec<FieldError>,
    saved: bool,
}

fn edit_page(
    console: &Console,
    b: &Bulletin,
    d: Drafts,
    errors: Vec<FieldError>,
    saved: bool,
) -> EditPage {
    let lang = console.lang;
    EditPage {
        f: Frame::new(console),
        id: b.id,
        saved_fingerprint: fingerprint(&b.drafts),
        published: b.published,
        audience: b.audience.label(),
        methods: b
            .method_keys
            .iter()
            .map(|k| {
                canhgiac_core::methods::Catalogue::get()
                    .by_key(k)
                    .map(|m| m.name(lang).to_string())
                    .unwrap_or_else(|| k.clone())
            })
            .collect::<Vec<_>>()
            .join(", "),
        flags_text: d.leaflet.red_flags.join("\n"),
        advice_text: d.leaflet.advice.join("\n"),
        sms: sms_info(&d.sms, false, lang),
        sms_plain: sms_info(&d.sms_plain, true, lang),
        show_sms: b.channels.contains(&Channel::Sms),
        show_zalo: b.channels.contains(&Channel::Zalo),
        show_fanpage: b.channels.contains(&Channel::Fanpage),
        show_leaflet: b.channels.contains(&Channel::Leaflet),
        can_write: console.officer().role.can(Permission::PublishBulletins) && !b.published,
        d,
        errors,
        saved,
    }
}

async fn load(state: &AppState, id: i64) -> Result<Bulletin, PageError> {
    match state.store.bulletin(id).await {
        Ok(Some(b)) => Ok(b),
        Ok(None) => Err(PageError::NotFound),
        Err(e) => Err(PageError::unavailable("bulletin", e)),
    }
}

#[derive(Deserialize, Default)]
pub struct SavedQuery {
    #[serde(default)]
    saved: String,
}

/// `GET /console/ban-tin/{id}`.
pub async fn page(
    State(state): State<AppState>,
    console: Console,
    Id(id): Id,
    axum::extract::Query(q): axum::extract::Query<SavedQuery>,
) -> PageResult {
    console.require(Permission::ViewReports)?;
    Ok(match load(&state, id).await {
        Ok(b) => {
            let d = b.drafts.clone();
            render(
                StatusCode::OK,
                &edit_page(&console, &b, d, Vec::new(), q.saved == "1"),
            )
        }
        Err(r) => return Err(r),
    })
}

fn bulletin_error(e: BulletinError, console: &Console, b: &Bulletin, d: Drafts) -> PageResult {
    if e != BulletinError::Published {
        return Err(e.into());
    }
    let errors = vec![err(
        e.field().unwrap_or("status"),
        e.code(),
        e.text(console.lang),
    )];
    Ok(render(
        StatusCode::CONFLICT,
        &edit_page(console, b, d, errors, false),
    ))
}

/// The publish form: the confirmation and the saved version the page showed.
#[derive(Deserialize, Default)]
pub struct PublishForm {
    #[serde(default)]
    confirm: String,
    #[serde(default)]
    saved: String,
}

/// A short fingerprint of the saved texts, so that a publication is of the version
/// the officer read.
fn fingerprint(d: &Drafts) -> String {
    use sha2::Digest;
    let bytes = serde_json::to_vec(d).unwrap_or_default();
    hex::encode(&sha2::Sha256::digest(bytes)[..8])
}

/// `POST /console/ban-tin/{id}`: saves the edited texts.
pub async fn save(
    State(state): State<AppState>,
    Id(id): Id,
    f: ConsoleForm<EditForm>,
) -> PageResult {
    let console = f.console.allowed(Permission::PublishBulletins)?;
    let lang = console.lang;
    let b = load(&state, id).await?;
    let drafts = match validate(&f.form, lang) {
        Ok(d) => d,
        Err(errors) => {
            let shown = Drafts {
                title: f.form.title.clone(),
                sms: f.form.sms.clone(),
                sms_plain: f.form.sms_plain.clone(),
                zalo: f.form.zalo.clone(),
                fanpage: f.form.fanpage.clone(),
                leaflet: Leaflet {
                    heading: f.form.heading.clone(),
                    red_flags: f.form.red_flags.lines().map(str::to_string).collect(),
                    advice: f.form.advice.lines().map(str::to_string).collect(),
                },
            };
            return Ok(render(
                StatusCode::UNPROCESSABLE_ENTITY,
                &edit_page(&console, &b, shown, errors, false),
            ));
        }
    };
    Ok(
        match state
            .store
            .update_bulletin(console.officer(), id, &drafts)
            .await
        {
            Ok(Ok(())) => Redirect::to(&format!("/console/ban-tin/{id}?saved=1")).into_response(),
            Ok(Err(e)) => bulletin_error(e, &console, &b, drafts)?,
            Err(e) => return Err(PageError::unavailable("save bulletin", e)),
        },
    )
}

/// `POST /console/ban-tin/{id}/cong-bo`: publishes the bulletin.
pub async fn publish(
    State(state): State<AppState>,
    Id(id): Id,
    f: ConsoleForm<PublishForm>,
) -> PageResult {
    let console = f.console.allowed(Permission::PublishBulletins)?;
    let lang = console.lang;
    let b = load(&state, id).await?;
    // Publishing is irreversible: confirmed, and only the version the officer saw.
    let refusal = if f.form.confirm != "1" {
        Some((
            StatusCode::UNPROCESSABLE_ENTITY,
            err(
                "confirm",
                "confirm_required",
                lang.pick(
                    "Hãy đánh dấu xác nhận trước khi công bố.",
                    "Tick the confirmation before publishing.",
                ),
            ),
        ))
    } else if f.form.saved != fingerprint(&b.drafts) {
        Some((
            StatusCode::CONFLICT,
            err(
                "saved",
                "changed_meanwhile",
                lang.pick(
                    "Bản tin đã được lưu lại sau khi bạn mở trang: hãy đọc lại bản đã lưu dưới đây rồi công bố.",
                    "The bulletin was saved again after you opened the page: read the saved version below, then publish.",
                ),
            ),
        ))
    } else {
        None
    };
    if let Some((status, e)) = refusal {
        let d = b.drafts.clone();
        return Ok(render(status, &edit_page(&console, &b, d, vec![e], false)));
    }
    Ok(
        match state.store.publish_bulletin(console.officer(), id).await {
            Ok(Ok(())) => Redirect::to(&format!("/canh-bao/ban-tin/{id}")).into_response(),
            Ok(Err(e)) => {
                let d = b.drafts.clone();
                bulletin_error(e, &console, &b, d)?
            }
            Err(e) => return Err(PageError::unavailable("publish bulletin", e)),
        },
    )
}

/// `GET /console/ban-tin/{id}/to-roi.pdf`: the leaflet, drafts included.
pub async fn leaflet(State(state): State<AppState>, console: Console, Id(id): Id) -> PageResult {
    console.require(Permission::ViewReports)?;
    let b = load(&state, id).await?;
    crate::documents::leaflet::response(&state.public_url, &state.issuer, &b)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_plain_sms_count_names_what_is_wrong() {
        assert!(sms_info("Canh giac", true, Lang::Vi).problem.is_empty());
        assert!(sms_info("Cảnh", true, Lang::Vi).problem.contains("ả"));
        assert!(!sms_info(&"a".repeat(400), true, Lang::Vi)
            .problem
            .is_empty());
        let i = sms_info("Cảnh giác", false, Lang::Vi);
        assert_eq!((i.segments, i.units, i.encoding), (1, 9, "UCS-2"));
    }
}
