//! The registry of protected brands, edited by officers: the console page
//! `/console/thuong-hieu` and `PUT`/`DELETE /api/v1/brands/{key}`. Every change
//! rebuilds the registry the checks use at once and is written to the audit log.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::Json;
use canhgiac_core::i18n::Lang;
use canhgiac_core::intake::FieldError;
use canhgiac_core::roles::Permission;
use canhgiac_detect::lookalike::edit::{validate, BrandInput};
use canhgiac_detect::lookalike::{Brand, CATEGORIES};
use canhgiac_store::brands::BrandError;
use serde::Deserialize;

use super::auth::{ApiOfficer, Console, ConsoleForm};
use super::Frame;
use crate::error::ApiError;
use crate::json::ApiJson;
use crate::pages::render;
use crate::pages::{PageError, PageResult};
use crate::AppState;

fn brand_error(e: &BrandError, lang: Lang) -> ApiError {
    ApiError::refused(e, lang)
}

fn changed_field(lang: Lang) -> FieldError {
    FieldError {
        field: "key".into(),
        code: "changed_meanwhile".into(),
        detail: changed_text(lang).into(),
    }
}

fn changed_text(lang: Lang) -> &'static str {
    lang.pick(
        "Thương hiệu này vừa được người khác sửa (hoặc đã có sẵn): hãy xem lại danh sách rồi sửa lại nếu cần.",
        "Someone else has just changed this brand (or it already exists): check the list, then edit again if needed.",
    )
}

async fn saved(state: &AppState, lang: Lang) -> Result<(), Response> {
    state
        .reload_brands()
        .await
        .map_err(|e| crate::error::from_store(lang, e).into_response())
}

/// Add or replace a protected brand (officers who may edit brands).
#[utoipa::path(
    put,
    path = "/api/v1/brands/{key}",
    tag = "officer",
    params(("key" = String, Path, description = "Stable key, e.g. `vietcombank`")),
    request_body = BrandInput,
    responses((status = 200, description = "The brand as stored; checks use it at once", body = canhgiac_detect::lookalike::Brand), (status = 401, body = crate::error::ErrorBody), (status = 403, body = crate::error::ErrorBody), (status = 422, body = crate::error::ErrorBody))
)]
pub async fn api_put(
    State(state): State<AppState>,
    who: ApiOfficer,
    Path(key): Path<String>,
    ApiJson(input): ApiJson<BrandInput>,
) -> Response {
    if let Err(e) = who.require(Permission::EditBrands) {
        return e.into_response();
    }
    let registry = state.registry();
    let record = match validate(&key, &input, registry.brands(), who.lang) {
        Ok(r) => r,
        Err(errors) => return ApiError::fields(errors).into_response(),
    };
    match state
        .store
        .put_brand(who.officer(), &record, input.base.as_deref())
        .await
    {
        Ok(Ok(())) => {
            if let Err(r) = saved(&state, who.lang).await {
                return r;
            }
            Json(canhgiac_detect::lookalike::with_shipped_extras(Brand {
                key: record.key,
                name: record.name,
                category: record.category,
                domains: record.domains,
                owned: Vec::new(),
                aliases: Vec::new(),
            }))
            .into_response()
        }
        Ok(Err(e)) => brand_error(&e, who.lang).into_response(),
        Err(e) => crate::error::from_store(who.lang, e).into_response(),
    }
}

/// Remove a protected brand.
#[utoipa::path(
    delete,
    path = "/api/v1/brands/{key}",
    tag = "officer",
    params(("key" = String, Path)),
    responses((status = 204, description = "Removed"), (status = 403, body = crate::error::ErrorBody), (status = 404, body = crate::error::ErrorBody))
)]
pub async fn api_delete(
    State(state): State<AppState>,
    who: ApiOfficer,
    Path(key): Path<String>,
) -> Response {
    if let Err(e) = who.require(Permission::EditBrands) {
        return e.into_response();
    }
    match state
        .store
        .delete_brand(who.officer(), key.trim(), None)
        .await
    {
        Ok(Ok(())) => match saved(&state, who.lang).await {
            Ok(()) => StatusCode::NO_CONTENT.into_response(),
            Err(r) => r,
        },
        Ok(Err(e)) => brand_error(&e, who.lang).into_response(),
        Err(e) => crate::error::from_store(who.lang, e).into_response(),
    }
}

#[derive(Template)]
#[template(path = "console/brands.html")]
struct BrandsPage {
    f: Frame,
    /// Each brand with its fingerprint (sent back by its delete button).
    brands: Vec<(Brand, String)>,
    /// The fingerprint of the brand in the form, `new` for a blank form.
    base: String,
    form_key: String,
    form: BrandInput,
    domains_text: String,
    errors: Vec<FieldError>,
    can_edit: bool,
    /// (category, selected)
    categories: Vec<(&'static str, bool)>,
}

#[derive(Deserialize, Default)]
pub struct EditQuery {
    #[serde(default)]
    key: String,
}

fn page_of(
    state: &AppState,
    console: &Console,
    key: String,
    form: BrandInput,
    errors: Vec<FieldError>,
) -> BrandsPage {
    let registry = state.registry();
    let fp = |b: &Brand| canhgiac_store::brands::fingerprint(&b.name, &b.category, &b.domains);
    BrandsPage {
        f: Frame::new(console),
        base: registry
            .brands()
            .iter()
            .find(|b| b.key == key)
            .map(fp)
            .unwrap_or_else(|| canhgiac_store::brands::NEW_BRAND.to_string()),
        brands: registry
            .brands()
            .iter()
            .map(|b| (b.clone(), fp(b)))
            .collect(),
        domains_text: form.domains.join("\n"),
        form_key: key,
        errors,
        can_edit: console.officer().role.can(Permission::EditBrands),
        categories: CATEGORIES
            .iter()
            .map(|c| (*c, form.category == *c))
            .collect(),
        form,
    }
}

/// The brands, and the edit form (prefilled with `?key=`).
pub async fn page(
    State(state): State<AppState>,
    console: Console,
    Query(q): Query<EditQuery>,
) -> PageResult {
    console.require(Permission::ViewReports)?;
    let registry = state.registry();
    let form = registry
        .brands()
        .iter()
        .find(|b| b.key == q.key)
        .map(|b| BrandInput {
            name: b.name.clone(),
            category: b.category.clone(),
            domains: b.domains.clone(),
            base: None,
        })
        .unwrap_or_default();
    let key = if form.name.is_empty() {
        String::new()
    } else {
        q.key
    };
    Ok(render(
        StatusCode::OK,
        &page_of(&state, &console, key, form, Vec::new()),
    ))
}

#[derive(Deserialize)]
pub struct BrandForm {
    #[serde(default)]
    key: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    category: String,
    #[serde(default)]
    domains: String,
    #[serde(default)]
    delete: String,
    /// The brand's fingerprint when the page was drawn (`new` for a blank form).
    #[serde(default)]
    base: String,
}

/// Saves (or deletes) a brand from the page.
pub async fn submit(State(state): State<AppState>, f: ConsoleForm<BrandForm>) -> PageResult {
    let console = f.console.allowed(Permission::EditBrands)?;
    let lang = console.lang;
    let form = f.form;
    if form.delete == "1" {
        return Ok(
            match state
                .store
                .delete_brand(
                    console.officer(),
                    form.key.trim(),
                    Some(form.base.as_str()).filter(|b| !b.is_empty()),
                )
                .await
            {
                Ok(Ok(())) | Ok(Err(BrandError::NotFound)) => match state.reload_brands().await {
                    Ok(()) => Redirect::to("/console/thuong-hieu").into_response(),
                    Err(e) => return Err(PageError::unavailable("brands", e)),
                },
                Ok(Err(BrandError::Forbidden)) => return Err(PageError::Forbidden),
                Ok(Err(BrandError::Changed)) => render(
                    StatusCode::CONFLICT,
                    &page_of(
                        &state,
                        &console,
                        String::new(),
                        BrandInput::default(),
                        vec![changed_field(lang)],
                    ),
                ),
                Err(e) => crate::error::from_store(lang, e).into_response(),
            },
        );
    }
    let base = Some(form.base.clone()).filter(|b| !b.is_empty());
    let input = BrandInput {
        name: form.name,
        category: form.category,
        domains: form
            .domains
            .split(['\n', ',', ' '])
            .map(str::trim)
            .filter(|d| !d.is_empty())
            .map(str::to_string)
            .collect(),
        base: None,
    };
    let registry = state.registry();
    Ok(match validate(&form.key, &input, registry.brands(), lang) {
        Err(errors) => render(
            StatusCode::UNPROCESSABLE_ENTITY,
            &page_of(&state, &console, form.key, input, errors),
        ),
        Ok(record) => match state
            .store
            .put_brand(console.officer(), &record, base.as_deref())
            .await
        {
            Ok(Ok(())) => match state.reload_brands().await {
                Ok(()) => Redirect::to("/console/thuong-hieu").into_response(),
                Err(e) => return Err(PageError::unavailable("brands", e)),
            },
            Ok(Err(BrandError::Changed)) => render(
                StatusCode::CONFLICT,
                &page_of(&state, &console, form.key, input, vec![changed_field(lang)]),
            ),
            Ok(Err(_)) => return Err(PageError::Forbidden),
            Err(e) => crate::error::from_store(lang, e).into_response(),
        },
    })
}
