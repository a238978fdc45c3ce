//! The method catalogue in the console: analysts edit a method or add a new one,
//! each save is a new version with a note, and every older version can be read.
//! Pages: `/console/thu-doan`, `/console/thu-doan/{key}` (edit),
//! `/console/thu-doan/moi` (new), `/console/thu-doan/{key}/lich-su` (history),
//! `/console/thu-doan/{key}/phien-ban/{version}` (an older version).

use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect};
use canhgiac_core::i18n::Lang;
use canhgiac_core::intake::FieldError;
use canhgiac_core::methods::edit::{channel_options, validate, MethodForm};
use canhgiac_core::methods::Method;
use canhgiac_core::roles::Permission;
use canhgiac_store::catalogue::{CatalogueError, MethodVersion};
use serde::Deserialize;

use super::auth::{Console, ConsoleForm};
use super::field_error as err;
use super::{fmt_datetime, Frame};
use crate::pages::render;
use crate::pages::{PageError, PageResult};
use crate::refusal::Refusal;
use crate::AppState;

struct Row {
    key: String,
    name: String,
    version: i64,
    updated: String,
    reports: i64,
}

#[derive(Template)]
#[template(path = "console/catalogue.html")]
struct ListPage {
    f: Frame,
    rows: Vec<Row>,
    can_edit: bool,
}

/// `GET /console/thu-doan`.
pub async fn list(State(state): State<AppState>, console: Console) -> PageResult {
    console.require(Permission::ViewReports)?;
    let since = crate::pages::format::month_start(time::OffsetDateTime::now_utc().unix_timestamp());
    let entries = state.store.catalogue(Some(since)).await?;
    let lang = console.lang;
    Ok(render(
        StatusCode::OK,
        &ListPage {
            f: Frame::new(&console),
            rows: entries
                .iter()
                .map(|e| Row {
                    key: e.method.key.clone(),
                    name: e.method.name(lang).to_string(),
                    version: e.version,
                    updated: e.updated_at.map(fmt_datetime).unwrap_or_default(),
                    reports: e.period_reports,
                })
                .collect(),
            can_edit: console.officer().role.can(Permission::EditCatalogue),
        },
    ))
}

#[derive(Template)]
#[template(path = "console/method_edit.html")]
struct EditPage {
    f: Frame,
    creating: bool,
    form: MethodForm,
    /// (key, label, checked)
    channels: Vec<(&'static str, &'static str, bool)>,
    errors: Vec<FieldError>,
    version: i64,
}

fn edit_page(
    console: &Console,
    creating: bool,
    form: MethodForm,
    chosen: &[String],
    errors: Vec<FieldError>,
    version: i64,
) -> EditPage {
    EditPage {
        f: Frame::new(console),
        creating,
        channels: channel_options(console.lang)
            .into_iter()
            .map(|(k, label)| (k, label, chosen.iter().any(|c| c == k)))
            .collect(),
        form,
        errors,
        version,
    }
}

#[derive(Deserialize, Default)]
pub struct NewFrom {
    /// Report ids (comma-separated) whose narratives start the examples.
    #[serde(default)]
    bao_cao: String,
}

/// `GET /console/thu-doan/{key}` (the edit form) and `GET /console/thu-doan/moi`
/// (`?bao_cao=1,2,3` starts it from a group of reports).
pub async fn edit(
    State(state): State<AppState>,
    console: Console,
    Path(key): Path<String>,
    axum::extract::Query(from): axum::extract::Query<NewFrom>,
) -> PageResult {
    console.require(Permission::EditCatalogue)?;
    if key == "moi" {
        let ids: Vec<i64> = from
            .bao_cao
            .split(',')
            .filter_map(|s| s.trim().parse().ok())
            .collect();
        let mut form = MethodForm::default();
        if !ids.is_empty() {
            let narratives = state.store.narratives_of(&ids).await?;
            let lang = console.lang;
            form.examples = narratives
                .iter()
                .map(|(code, text)| {
                    format!(
                        "{} | {} {code}",
                        text.replace(['\n', '\r'], " "),
                        lang.pick("Báo cáo", "Report")
                    )
                })
                .collect::<Vec<_>>()
                .join("\n");
            form.note = format!(
                "{} {} {}",
                lang.pick("Mẫu mới từ", "New pattern from"),
                narratives.len(),
                lang.pick("báo cáo giống nhau", "alike reports")
            );
        }
        return Ok(render(
            StatusCode::OK,
            &edit_page(&console, true, form, &[], Vec::new(), 0),
        ));
    }
    Ok(match state.store.catalogue_method(&key, None).await {
        Ok(Some(e)) => render(
            StatusCode::OK,
            &edit_page(
                &console,
                false,
                MethodForm::of(&e.method),
                &e.method.channels,
                Vec::new(),
                e.version,
            ),
        ),
        Ok(None) => crate::pages::not_found_page(console.lang),
        Err(e) => return Err(PageError::unavailable("method", e)),
    })
}

/// `POST /console/thu-doan/{key}` (`moi` adds a method).
pub async fn save(
    State(state): State<AppState>,
    Path(key): Path<String>,
    f: ConsoleForm<MethodForm>,
) -> PageResult {
    let console = f.console.allowed(Permission::EditCatalogue)?;
    let lang = console.lang;
    let creating = key == "moi";
    let mut form = f.form;
    if !creating {
        form.key = key.clone();
    }
    let chosen: Vec<String> = f
        .pairs
        .iter()
        .filter(|(k, _)| k == "channels")
        .map(|(_, v)| v.clone())
        .collect();
    let current = if creating {
        None
    } else {
        match state.store.catalogue_method(&key, None).await {
            Ok(Some(e)) => Some(e),
            Ok(None) => return Err(PageError::NotFound),
            Err(e) => return Err(PageError::unavailable("method", e)),
        }
    };
    let version = current.as_ref().map(|e| e.version).unwrap_or(0);
    let (method, note) = match validate(
        &form,
        chosen.clone(),
        current.as_ref().map(|e| &e.method),
        time::OffsetDateTime::now_utc().year(),
        lang,
    ) {
        Ok(v) => v,
        Err(errors) => {
            return Ok(render(
                StatusCode::UNPROCESSABLE_ENTITY,
                &edit_page(&console, creating, form, &chosen, errors, version),
            ))
        }
    };
    let saved = if creating {
        state
            .store
            .create_method(console.officer(), &method, &note)
            .await
    } else {
        state
            .store
            .update_method(
                console.officer(),
                &method,
                &note,
                form.base_version.trim().parse().ok(),
            )
            .await
    };
    Ok(match saved {
        Ok(Ok(_)) => {
            Redirect::to(&format!("/console/thu-doan/{}/lich-su", method.key)).into_response()
        }
        Ok(Err(e @ (CatalogueError::Exists | CatalogueError::Changed { .. }))) => {
            // The officer's text is kept; the form now starts from the version saved.
            let base = match e {
                CatalogueError::Changed { now } => now,
                _ => version,
            };
            let refusal = err(e.field().unwrap_or("key"), e.code(), e.text(lang));
            render(
                e.status(),
                &edit_page(&console, creating, form, &chosen, vec![refusal], base),
            )
        }
        Ok(Err(CatalogueError::NotFound)) => return Err(PageError::NotFound),
        Ok(Err(CatalogueError::Forbidden)) => return Err(PageError::Forbidden),
        Err(e) => return Err(PageError::unavailable("save method", e)),
    })
}

struct VersionRow {
    version: i64,
    by: String,
    at: String,
    note: String,
}

fn version_row(v: &MethodVersion, lang: Lang) -> VersionRow {
    VersionRow {
        version: v.version,
        by: v
            .changed_by
            .clone()
            .unwrap_or_else(|| lang.pick("Bản phát hành", "As shipped").to_string()),
        at: v.changed_at.map(fmt_datetime).unwrap_or_default(),
        note: v.note.clone(),
    }
}

#[derive(Template)]
#[template(path = "console/method_history.html")]
struct HistoryPage {
    f: Frame,
    key: String,
    name: String,
    versions: Vec<VersionRow>,
    can_edit: bool,
}

/// `GET /console/thu-doan/{key}/lich-su`.
pub async fn history(
    State(state): State<AppState>,
    console: Console,
    Path(key): Path<String>,
) -> PageResult {
    console.require(Permission::ViewReports)?;
    let lang = console.lang;
    let (entry, versions) = match tokio::try_join!(
        state.store.catalogue_method(&key, None),
        state.store.method_versions(&key)
    ) {
        Ok((Some(e), v)) => (e, v),
        Ok((None, _)) => return Err(PageError::NotFound),
        Err(e) => return Err(PageError::unavailable("method history", e)),
    };
    Ok(render(
        StatusCode::OK,
        &HistoryPage {
            f: Frame::new(&console),
            name: entry.method.name(lang).to_string(),
            key,
            versions: versions.iter().map(|v| version_row(v, lang)).collect(),
            can_edit: console.officer().role.can(Permission::EditCatalogue),
        },
    ))
}

#[derive(Template)]
#[template(path = "console/method_version.html")]
struct VersionPage {
    f: Frame,
    key: String,
    v: VersionRow,
    /// (field label, value then, changed since)
    fields: Vec<(&'static str, String, bool)>,
}

fn fields_of(m: &Method) -> Vec<(&'static str, &'static str, String)> {
    vec![
        ("Tên", "Name", m.name_vi.clone()),
        ("Tên tiếng Anh", "English name", m.name_en.clone()),
        ("Tóm tắt", "Summary", m.summary_vi.clone()),
        ("Cách thức", "How it works", m.how_it_works_vi.join("\n")),
        ("Dấu hiệu", "Warning signs", m.red_flags_vi.join("\n")),
        ("Cần làm", "What to do", m.advice_vi.join("\n")),
        ("Kênh", "Channels", m.channels.join(", ")),
        (
            "Năm xuất hiện",
            "First seen",
            m.first_seen_year.map(|y| y.to_string()).unwrap_or_default(),
        ),
        (
            "Tin nhắn mẫu",
            "Examples",
            m.examples
                .iter()
                .map(|x| format!("{} | {}", x.text, x.source))
                .collect::<Vec<_>>()
                .join("\n"),
        ),
    ]
}

/// `GET /console/thu-doan/{key}/phien-ban/{version}`: a version as it read, with
/// the fields that differ from the current version marked.
pub async fn version(
    State(state): State<AppState>,
    console: Console,
    Path((key, version)): Path<(String, i64)>,
) -> PageResult {
    console.require(Permission::ViewReports)?;
    let lang = console.lang;
    let (then, current) = match tokio::try_join!(
        state.store.method_version(&key, version),
        state.store.catalogue_method(&key, None)
    ) {
        Ok((Some(then), Some(current))) => (then, current),
        Ok(_) => return Err(PageError::NotFound),
        Err(e) => return Err(PageError::unavailable("method version", e)),
    };
    let now = fields_of(&current.method);
    let fields = fields_of(&then.0)
        .into_iter()
        .zip(now)
        .map(|((vi, en, value), (_, _, current))| {
            (lang.pick(vi, en), value.clone(), value != current)
        })
        .collect();
    Ok(render(
        StatusCode::OK,
        &VersionPage {
            f: Frame::new(&console),
            key,
            v: version_row(&then.1, lang),
            fields,
        },
    ))
}
