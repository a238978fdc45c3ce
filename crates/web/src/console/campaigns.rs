//! Peak campaigns (`/console/dot-cao-diem`): a leader defines a campaign (a period, its
//! communes, methods and channels, and optionally a target such as "hold within 24 h
//! for 80% of hold requests"); its page compares the reports in its scope and the speed
//! of holds before, during and after it. Oversight accounts read them.

use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect};
use canhgiac_core::campaign::{validate, CampaignForm};
use canhgiac_core::intake::FieldError;
use canhgiac_core::methods::Catalogue;
use canhgiac_core::report::Channel;
use canhgiac_core::roles::Permission;
use canhgiac_store::campaigns::Campaign;

use super::auth::{Console, ConsoleForm};
use super::{fmt_day, vnd, Frame};
use crate::campaign_tally::{figures, Window};
use crate::pages::render;
use crate::pages::{PageError, PageResult};
use crate::AppState;

fn now() -> i64 {
    time::OffsetDateTime::now_utc().unix_timestamp()
}

struct Listed {
    id: i64,
    name: String,
    days: String,
    scope: String,
}

struct Choice {
    value: String,
    label: String,
    selected: bool,
}

#[derive(Template)]
#[template(path = "console/campaigns.html")]
struct ListPage {
    f: Frame,
    campaigns: Vec<Listed>,
    may_define: bool,
    errors: Vec<FieldError>,
    name: String,
    from: String,
    to: String,
    target_hours: String,
    target_percent: String,
    communes: Vec<Choice>,
    methods: Vec<Choice>,
    channels: Vec<Choice>,
}

fn scope_text(state: &AppState, c: &Campaign, lang: canhgiac_core::i18n::Lang) -> String {
    let catalogue = Catalogue::get();
    let mut parts: Vec<String> = Vec::new();
    parts.extend(c.scope.communes.iter().map(|code| {
        state
            .store
            .places()
            .iter()
            .find(|p| p.code == *code)
            .map(|p| p.name.clone())
            .unwrap_or_else(|| code.to_string())
    }));
    parts.extend(c.scope.methods.iter().map(|k| {
        catalogue
            .by_key(k)
            .map(|m| m.name(lang).to_string())
            .unwrap_or_else(|| k.clone())
    }));
    parts.extend(c.scope.channels.iter().map(|ch| {
        Channel::parse(ch)
            .map(|x| x.label(lang).to_string())
            .unwrap_or_else(|| ch.clone())
    }));
    parts.join("; ")
}

async fn list_page(
    state: &AppState,
    console: &Console,
    form: &CampaignForm,
    errors: Vec<FieldError>,
) -> Result<ListPage, PageError> {
    let lang = console.lang;
    let campaigns = state
        .store
        .campaigns()
        .await?
        .iter()
        .map(|c| Listed {
            id: c.id,
            name: c.name.clone(),
            days: format!("{} – {}", fmt_day(c.first), fmt_day(c.last)),
            scope: scope_text(state, c, lang),
        })
        .collect();
    let choice = |value: String, label: String, chosen: &[String]| Choice {
        selected: chosen.contains(&value),
        value,
        label,
    };
    Ok(ListPage {
        campaigns,
        may_define: console.officer().role.can(Permission::ManageQueue),
        errors,
        name: form.name.clone(),
        from: form.from.clone(),
        to: form.to.clone(),
        target_hours: form.target_hours.clone(),
        target_percent: form.target_percent.clone(),
        communes: state
            .store
            .places()
            .iter()
            .map(|p| choice(p.code.to_string(), p.name.clone(), &form.communes))
            .collect(),
        methods: Catalogue::get()
            .all()
            .iter()
            .map(|m| choice(m.key.to_string(), m.name(lang).to_string(), &form.methods))
            .collect(),
        channels: Channel::ALL
            .iter()
            .map(|c| {
                choice(
                    c.as_str().to_string(),
                    c.label(lang).to_string(),
                    &form.channels,
                )
            })
            .collect(),
        f: Frame::new(console),
    })
}

/// `GET /console/dot-cao-diem`.
pub async fn list(State(state): State<AppState>, console: Console) -> PageResult {
    console.require(Permission::ViewStatistics)?;
    let page = list_page(&state, &console, &CampaignForm::default(), Vec::new()).await?;
    Ok(render(StatusCode::OK, &page))
}

/// `POST /console/dot-cao-diem`: defines a campaign (leaders).
pub async fn create(
    State(state): State<AppState>,
    f: ConsoleForm<super::bulletins::Ignored>,
) -> PageResult {
    let console = f.console.allowed(Permission::ManageQueue)?;
    let values = |name: &str| -> Vec<String> {
        f.pairs
            .iter()
            .filter(|(k, v)| k == name && !v.trim().is_empty())
            .map(|(_, v)| v.clone())
            .collect()
    };
    let one = |name: &str| values(name).into_iter().next().unwrap_or_default();
    let form = CampaignForm {
        name: one("name"),
        from: one("from"),
        to: one("to"),
        communes: values("communes"),
        methods: values("methods"),
        channels: values("channels"),
        target_hours: one("target_hours"),
        target_percent: one("target_percent"),
    };
    let places = state.store.places();
    let catalogue = Catalogue::get();
    let checked = validate(
        &form,
        &|code| places.iter().any(|p| p.code == code),
        &|key| catalogue.by_key(key).is_some(),
        console.lang,
    );
    let campaign = match checked {
        Ok(c) => c,
        Err(errors) => {
            let page = list_page(&state, &console, &form, errors).await?;
            return Ok(render(StatusCode::UNPROCESSABLE_ENTITY, &page));
        }
    };
    match state
        .store
        .create_campaign(console.officer(), &campaign)
        .await?
    {
        Ok(id) => Ok(Redirect::to(&format!("/console/dot-cao-diem/{id}")).into_response()),
        Err(_) => Err(PageError::Forbidden),
    }
}

struct WindowRow {
    label: String,
    days: String,
    reports: String,
    loss: String,
    holds: String,
    share: String,
}

#[derive(Template)]
#[template(path = "console/campaign.html")]
struct CampaignPage {
    f: Frame,
    name: String,
    days: String,
    scope: String,
    target: String,
    verdict: String,
    rows: Vec<WindowRow>,
    hours: u32,
}

/// `GET /console/dot-cao-diem/{id}`.
pub async fn page(
    State(state): State<AppState>,
    console: Console,
    Path(id): Path<i64>,
) -> PageResult {
    console.require(Permission::ViewStatistics)?;
    let lang = console.lang;
    let c = state.store.campaign(id).await?.ok_or(PageError::NotFound)?;
    let fig = figures(&state, &c, now())
        .await
        .map_err(|e| PageError::unavailable("campaign figures", e))?;
    let row = |label: &str, w: &Window| WindowRow {
        label: label.to_string(),
        days: w
            .period
            .map(|p| format!("{} – {}", fmt_day(p.first), fmt_day(p.last)))
            .unwrap_or_else(|| lang.pick("chưa đến", "not yet").to_string()),
        reports: w.reports.to_string(),
        loss: vnd(w.loss),
        holds: w.hold_requests.to_string(),
        share: w
            .share()
            .map(|s| format!("{s}%"))
            .unwrap_or_else(|| "—".into()),
    };
    let rows = vec![
        row(lang.pick("Trước đợt", "Before"), &fig.before),
        row(lang.pick("Trong đợt", "During"), &fig.during),
        row(lang.pick("Sau đợt", "After"), &fig.after),
    ];
    let target = c
        .target
        .map(|t| {
            format!(
                "{} {} {}% {}",
                lang.pick("Tạm giữ trong", "Hold within"),
                format_args!("{} {}", t.hours, lang.pick("giờ cho", "hours for")),
                t.percent,
                lang.pick("đề nghị tạm giữ", "of hold requests")
            )
        })
        .unwrap_or_else(|| lang.pick("Không đặt chỉ tiêu", "No target").to_string());
    let verdict = match fig.target_met(&c) {
        Some(true) => lang.pick("Đạt chỉ tiêu", "Target met"),
        Some(false) => lang.pick("Chưa đạt chỉ tiêu", "Target not met"),
        None => "",
    }
    .to_string();
    Ok(render(
        StatusCode::OK,
        &CampaignPage {
            name: c.name.clone(),
            days: format!("{} – {}", fmt_day(c.first), fmt_day(c.last)),
            scope: scope_text(&state, &c, lang),
            target,
            verdict,
            rows,
            hours: fig.hours,
            f: Frame::new(&console),
        },
    ))
}
