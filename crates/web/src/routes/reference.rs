//! Reference data for clients: methods, communes/wards, banks.

use axum::extract::State;
use axum::Json;
use canhgiac_core::banks::Banks;
use canhgiac_core::methods::Catalogue;
use serde::Serialize;

use crate::lang::ReqLang;
use crate::AppState;

/// A scam method.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct MethodItem {
    /// Stable key, used in reports.
    key: String,
    /// Name in the asked language.
    name: String,
    /// Summary in the asked language.
    summary: String,
}

/// The scam-method catalogue.
#[utoipa::path(get, path = "/api/v1/methods", tag = "reference", responses((status = 200, body = Vec<MethodItem>)))]
pub async fn list_methods(ReqLang(lang): ReqLang) -> Json<Vec<MethodItem>> {
    Json(
        Catalogue::get()
            .all()
            .iter()
            .map(|m| MethodItem {
                key: m.key.clone(),
                name: m.name(lang).to_string(),
                summary: lang.pick(&m.summary_vi, &m.summary_en).to_string(),
            })
            .collect(),
    )
}

/// A commune or ward.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct PlaceItem {
    /// Code (2025 divisions), used as `place_code` in reports.
    code: i64,
    /// Name.
    name: String,
}

/// The communes and wards of the province served.
#[utoipa::path(get, path = "/api/v1/places", tag = "reference", responses((status = 200, body = Vec<PlaceItem>)))]
pub async fn list_places(State(state): State<AppState>) -> Json<Vec<PlaceItem>> {
    Json(
        state
            .store
            .places()
            .iter()
            .map(|p| PlaceItem {
                code: p.code,
                name: p.name.clone(),
            })
            .collect(),
    )
}

/// A bank.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct BankItem {
    /// Short code.
    code: String,
    /// Brand name.
    short_name: String,
    /// NAPAS BIN.
    bin: String,
    /// Full name in the asked language.
    name: String,
}

/// The banks known.
#[utoipa::path(get, path = "/api/v1/banks", tag = "reference", responses((status = 200, body = Vec<BankItem>)))]
pub async fn list_banks(ReqLang(lang): ReqLang) -> Json<Vec<BankItem>> {
    Json(
        Banks::get()
            .all()
            .iter()
            .map(|b| BankItem {
                code: b.code.clone(),
                short_name: b.short_name.clone(),
                bin: b.bin.clone(),
                name: lang.pick(&b.name_vi, &b.name_en).to_string(),
            })
            .collect(),
    )
}

/// A protected brand, with the fingerprint an edit sends back (`base`).
#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
pub struct ListedBrand {
    /// Stable key.
    pub key: String,
    /// Name for people.
    pub name: String,
    /// Category.
    pub category: String,
    /// Its real domains.
    pub domains: Vec<String>,
    /// Other domains it owns (subsidiaries, app stores, deep links): never flagged.
    pub owned: Vec<String>,
    /// Other names it goes by.
    pub aliases: Vec<String>,
    /// The content as stored, for `PUT /api/v1/brands/{key}` (`base`): an edit from
    /// an older fingerprint is refused with 409.
    pub fingerprint: String,
}

/// The protected brands whose look-alikes are flagged, with their real domains.
#[utoipa::path(
    get,
    path = "/api/v1/brands",
    tag = "reference",
    responses((status = 200, body = Vec<ListedBrand>))
)]
pub async fn list_brands(
    axum::extract::State(state): axum::extract::State<crate::AppState>,
) -> Json<Vec<ListedBrand>> {
    Json(
        state
            .registry()
            .brands()
            .iter()
            .map(|b| ListedBrand {
                key: b.key.clone(),
                name: b.name.clone(),
                category: b.category.clone(),
                domains: b.domains.clone(),
                owned: b.owned.clone(),
                aliases: b.aliases.clone(),
                fingerprint: canhgiac_store::brands::fingerprint(&b.name, &b.category, &b.domains),
            })
            .collect(),
    )
}
