//! Verified indicators out, in open formats (scope `indicators:read`): every
//! identifier an officer verified (active) or cleared (revoked, so partners delete it
//! too), with what the reports say of it, as a STIX 2.1 bundle, a MISP event or CSV,
//! streamed page by page so that memory stays bounded whatever the size; and a feed
//! of the decisions since a cursor, as JSON or Atom.

use axum::body::{Body, Bytes};
use axum::extract::{Query, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use canhgiac_core::i18n::Lang;
use canhgiac_core::indicator::{csv_rows, misp, stix, Indicator, IndicatorStatus};
use canhgiac_core::methods::Catalogue;
use canhgiac_core::partner::KeyScope;
use canhgiac_core::IdentifierKind;
use canhgiac_store::indicators::Decided;
use canhgiac_store::LookupIndex;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::Partner;
use crate::error::ApiError;
use crate::AppState;

/// Decided identifiers read from the store at a time while streaming.
const PAGE: i64 = 5_000;
/// Chunks queued between the reader and the connection (the memory bound).
const QUEUED_CHUNKS: usize = 4;
/// Most changes in one page of the feed.
const MAX_FEED: i64 = 1_000;

/// What an export holds.
#[derive(Debug, Deserialize, IntoParams)]
pub struct ExportQuery {
    /// Only indicators of this kind (`phone`, `bank_account`, `url`, `social`, `email`,
    /// `wallet`).
    pub kind: Option<String>,
}

fn invalid_kind(lang: Lang) -> Response {
    ApiError::localized(
        StatusCode::UNPROCESSABLE_ENTITY,
        "invalid_kind",
        lang,
        "Loại chỉ dấu không hợp lệ (phone, bank_account, url, social, email, wallet).",
        "Unknown indicator kind (phone, bank_account, url, social, email, wallet).",
    )
    .field("kind")
    .into_response()
}

#[allow(clippy::result_large_err)]
fn kind_of(q: &ExportQuery, lang: Lang) -> Result<Option<IdentifierKind>, Response> {
    match q.kind.as_deref().map(str::trim).filter(|k| !k.is_empty()) {
        None => Ok(None),
        Some(k) => IdentifierKind::parse(k)
            .map(Some)
            .ok_or_else(|| invalid_kind(lang)),
    }
}

/// An officer's decision with what the reports say of it.
pub fn indicator_of(decided: Decided, index: &LookupIndex) -> Indicator {
    let stats = index.get(&decided.key).unwrap_or_default();
    let catalogue = Catalogue::get();
    let mut methods = stats.methods.clone();
    methods.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    let value = decided
        .key
        .split_once(':')
        .map_or(decided.key.as_str(), |(_, v)| v)
        .to_string();
    let seen = stats.report_count > 0;
    Indicator {
        value,
        kind: decided.kind,
        display: decided.display,
        status: if decided.verified {
            IndicatorStatus::Active
        } else {
            IndicatorStatus::Revoked
        },
        methods: methods
            .iter()
            .filter_map(|(i, _)| catalogue.by_index(*i).map(|m| m.key.clone()))
            .collect(),
        report_count: stats.report_count,
        first_seen: seen.then_some(stats.first_seen),
        last_seen: seen.then_some(stats.last_seen),
        created_at: decided.created_at,
        changed_at: decided.decided_at,
        key: decided.key,
    }
}

/// The formats an export streams in.
#[derive(Clone, Copy)]
enum Format {
    Stix,
    Misp,
    Csv,
}

impl Format {
    fn content_type(self) -> &'static str {
        match self {
            Format::Stix => "application/stix+json;version=2.1",
            Format::Misp => "application/json",
            Format::Csv => "text/csv; charset=utf-8",
        }
    }

    fn file_name(self) -> &'static str {
        match self {
            Format::Stix => "canhgiac-indicators.stix.json",
            Format::Misp => "canhgiac-indicators.misp.json",
            Format::Csv => "canhgiac-indicators.csv",
        }
    }
}

fn producer_name(state: &AppState) -> String {
    state.issuer.clone()
}

/// Streams every decided identifier (of `kind`) in `format`, page by page.
fn stream(state: AppState, kind: Option<IdentifierKind>, format: Format) -> Response {
    let (tx, rx) = tokio::sync::mpsc::channel::<Result<Bytes, std::io::Error>>(QUEUED_CHUNKS);
    let now = super::unix_now();
    tokio::spawn(async move {
        let producer = stix::Producer {
            name: producer_name(&state),
            since: 1_700_000_000,
        };
        let producer_id = producer.id();
        let head = match format {
            Format::Stix => stix::bundle_head(&producer, rand::random()),
            Format::Misp => misp::event_head(&misp::Event {
                info: format!("{}: chỉ dấu lừa đảo đã xác minh", producer.name),
                org: producer.name.clone(),
                at: now,
            }),
            Format::Csv => csv_rows::heading(),
        };
        if tx.send(Ok(Bytes::from(head))).await.is_err() {
            return;
        }
        let mut after = String::new();
        let mut first = true;
        loop {
            let page = match state.store.decided_page(&after, kind, PAGE).await {
                Ok(p) => p,
                Err(e) => {
                    // The body breaks off: a client never mistakes a part for the whole.
                    tracing::error!(error = %e, "indicator export stopped");
                    let _ = tx.send(Err(std::io::Error::other("store"))).await;
                    return;
                }
            };
            let full = page.len() as i64 == PAGE;
            let Some(last) = page.last().map(|d| d.key.clone()) else {
                break;
            };
            let mut chunk = String::with_capacity(page.len() * 900);
            for decided in page {
                let indicator = indicator_of(decided, &state.index);
                match format {
                    Format::Stix => stix::object_chunk(&indicator, &producer_id, &mut chunk),
                    Format::Misp => misp::attribute_chunk(&indicator, first, &mut chunk),
                    Format::Csv => chunk.push_str(&csv_rows::indicator_row(&indicator)),
                }
                first = false;
            }
            if tx.send(Ok(Bytes::from(chunk))).await.is_err() {
                return;
            }
            after = last;
            if !full {
                break;
            }
        }
        let tail = match format {
            Format::Stix => stix::BUNDLE_TAIL,
            Format::Misp => misp::EVENT_TAIL,
            Format::Csv => "",
        };
        let _ = tx.send(Ok(Bytes::from_static(tail.as_bytes()))).await;
    });
    let body = futures_util::stream::unfold(rx, |mut rx| async move {
        rx.recv().await.map(|item| (item, rx))
    });
    (
        [
            (header::CONTENT_TYPE, format.content_type().to_string()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{}\"", format.file_name()),
            ),
            (header::CACHE_CONTROL, "no-store".to_string()),
        ],
        Body::from_stream(body),
    )
        .into_response()
}

fn export(state: AppState, partner: &Partner, q: &ExportQuery, format: Format) -> Response {
    if let Err(r) = partner.require(KeyScope::IndicatorsRead) {
        return r;
    }
    match kind_of(q, partner.lang) {
        Ok(kind) => stream(state, kind, format),
        Err(r) => r,
    }
}

/// Every verified indicator (and every cleared one, revoked) as a STIX 2.1 bundle:
/// per indicator an observable, an `observed-data` and an `indicator`, with stable
/// identifiers (UUIDv5 of the identifier). Streamed.
#[utoipa::path(
    get,
    path = "/api/v1/partner/indicators/stix",
    tag = "partner",
    security(("partner_key" = ["indicators:read"])),
    params(ExportQuery),
    responses((status = 200, description = "A STIX 2.1 bundle", content_type = "application/stix+json;version=2.1", body = String), (status = 401, description = "No key, or an unknown, expired or revoked one", body = crate::error::ErrorBody), (status = 403, description = "The key has no `indicators:read` scope", body = crate::error::ErrorBody), (status = 422, body = crate::error::ErrorBody), (status = 429, description = "Over the key's rate; see `Retry-After`", body = crate::error::ErrorBody))
)]
pub async fn stix_bundle(
    State(state): State<AppState>,
    partner: Partner,
    Query(q): Query<ExportQuery>,
) -> Response {
    export(state, &partner, &q, Format::Stix)
}

/// Every verified indicator as one MISP event; cleared ones are attributes marked
/// `deleted` with `to_ids` off. Streamed.
#[utoipa::path(
    get,
    path = "/api/v1/partner/indicators/misp",
    tag = "partner",
    security(("partner_key" = ["indicators:read"])),
    params(ExportQuery),
    responses((status = 200, description = "A MISP event", content_type = "application/json", body = String), (status = 401, description = "No key, or an unknown, expired or revoked one", body = crate::error::ErrorBody), (status = 403, description = "The key has no `indicators:read` scope", body = crate::error::ErrorBody), (status = 422, body = crate::error::ErrorBody), (status = 429, description = "Over the key's rate; see `Retry-After`", body = crate::error::ErrorBody))
)]
pub async fn misp_event(
    State(state): State<AppState>,
    partner: Partner,
    Query(q): Query<ExportQuery>,
) -> Response {
    export(state, &partner, &q, Format::Misp)
}

/// Every verified indicator as CSV (`status` is `active` or `revoked`). Streamed.
#[utoipa::path(
    get,
    path = "/api/v1/partner/indicators/csv",
    tag = "partner",
    security(("partner_key" = ["indicators:read"])),
    params(ExportQuery),
    responses((status = 200, description = "CSV with a heading row", content_type = "text/csv", body = String), (status = 401, description = "No key, or an unknown, expired or revoked one", body = crate::error::ErrorBody), (status = 403, description = "The key has no `indicators:read` scope", body = crate::error::ErrorBody), (status = 422, body = crate::error::ErrorBody), (status = 429, description = "Over the key's rate; see `Retry-After`", body = crate::error::ErrorBody))
)]
pub async fn csv_export(
    State(state): State<AppState>,
    partner: Partner,
    Query(q): Query<ExportQuery>,
) -> Response {
    export(state, &partner, &q, Format::Csv)
}

/// Where the feed resumes.
#[derive(Debug, Deserialize, IntoParams)]
pub struct FeedQuery {
    /// The cursor: the `next_after` of the page before (0 or none: from the start).
    pub after: Option<i64>,
    /// Most changes in the page (1–1000, default 500).
    pub limit: Option<i64>,
}

/// One decision in the feed.
#[derive(Debug, Serialize, ToSchema)]
pub struct FeedItem {
    /// The change's position (a cursor).
    pub seq: i64,
    /// The indicator as decided then (`status: revoked`: delete it).
    pub indicator: Indicator,
}

/// A page of the feed.
#[derive(Debug, Serialize, ToSchema)]
pub struct FeedPage {
    /// Decisions after the cursor, oldest first.
    pub items: Vec<FeedItem>,
    /// The cursor for the next page.
    pub next_after: i64,
    /// Whether more changes wait after this page.
    pub more: bool,
}

#[allow(clippy::result_large_err)]
async fn feed_page(state: &AppState, q: &FeedQuery, lang: Lang) -> Result<FeedPage, Response> {
    let after = q.after.unwrap_or(0);
    let limit = q.limit.unwrap_or(500);
    if after < 0 || !(1..=MAX_FEED).contains(&limit) {
        return Err(ApiError::localized(
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid_cursor",
            lang,
            "Con trỏ (after ≥ 0) hoặc số mục (limit 1–1000) không hợp lệ.",
            "Invalid cursor (after ≥ 0) or page size (limit 1–1000).",
        )
        .into_response());
    }
    let changes = state
        .store
        .decision_changes(after, limit + 1)
        .await
        .map_err(|e| ApiError::unavailable(lang, &e).into_response())?;
    let more = changes.len() as i64 > limit;
    let items: Vec<FeedItem> = changes
        .into_iter()
        .take(limit as usize)
        .map(|c| FeedItem {
            seq: c.seq,
            indicator: indicator_of(c.decided, &state.index),
        })
        .collect();
    let next_after = items.last().map_or(after, |i| i.seq);
    Ok(FeedPage {
        items,
        next_after,
        more,
    })
}

/// The officers' decisions since a cursor, oldest first: each is an indicator to add
/// (`active`) or to delete (`revoked`).
#[utoipa::path(
    get,
    path = "/api/v1/partner/indicators/changes",
    tag = "partner",
    security(("partner_key" = ["indicators:read"])),
    params(FeedQuery),
    responses((status = 200, body = FeedPage), (status = 401, description = "No key, or an unknown, expired or revoked one", body = crate::error::ErrorBody), (status = 403, description = "The key has no `indicators:read` scope", body = crate::error::ErrorBody), (status = 422, body = crate::error::ErrorBody), (status = 429, description = "Over the key's rate; see `Retry-After`", body = crate::error::ErrorBody))
)]
pub async fn changes(
    State(state): State<AppState>,
    partner: Partner,
    Query(q): Query<FeedQuery>,
) -> Response {
    if let Err(r) = partner.require(KeyScope::IndicatorsRead) {
        return r;
    }
    match feed_page(&state, &q, partner.lang).await {
        Ok(page) => Json(page).into_response(),
        Err(r) => r,
    }
}

/// The same decisions as an Atom feed (RFC 4287); the `next` link carries the cursor.
#[utoipa::path(
    get,
    path = "/api/v1/partner/indicators/changes.atom",
    tag = "partner",
    security(("partner_key" = ["indicators:read"])),
    params(FeedQuery),
    responses((status = 200, description = "An Atom feed", content_type = "application/atom+xml", body = String), (status = 401, description = "No key, or an unknown, expired or revoked one", body = crate::error::ErrorBody), (status = 403, description = "The key has no `indicators:read` scope", body = crate::error::ErrorBody), (status = 422, body = crate::error::ErrorBody), (status = 429, description = "Over the key's rate; see `Retry-After`", body = crate::error::ErrorBody))
)]
pub async fn changes_atom(
    State(state): State<AppState>,
    partner: Partner,
    Query(q): Query<FeedQuery>,
) -> Response {
    use atom_syndication::{
        CategoryBuilder, ContentBuilder, EntryBuilder, FeedBuilder, FixedDateTime, LinkBuilder,
    };
    if let Err(r) = partner.require(KeyScope::IndicatorsRead) {
        return r;
    }
    let page = match feed_page(&state, &q, partner.lang).await {
        Ok(p) => p,
        Err(r) => return r,
    };
    let base = &state.public_url;
    let date = |unix: i64| {
        FixedDateTime::parse_from_rfc3339(&canhgiac_core::indicator::timestamp(unix))
            .unwrap_or_default()
    };
    let path = "/api/v1/partner/indicators/changes.atom";
    let updated = page
        .items
        .iter()
        .map(|i| i.indicator.modified_at())
        .max()
        .unwrap_or(0);
    let entries: Vec<_> = page
        .items
        .iter()
        .map(|item| {
            let i = &item.indicator;
            let verb = match i.status {
                IndicatorStatus::Active => "Đã xác minh lừa đảo",
                IndicatorStatus::Revoked => "Đã gỡ (thu hồi)",
            };
            EntryBuilder::default()
                .id(format!("urn:canhgiac:change:{}", item.seq))
                .title(format!("{verb}: {}", i.display))
                .updated(date(i.modified_at()))
                .categories(vec![
                    CategoryBuilder::default()
                        .term(i.status.as_str().to_string())
                        .build(),
                    CategoryBuilder::default()
                        .term(i.kind.as_str().to_string())
                        .build(),
                ])
                .content(Some(
                    ContentBuilder::default()
                        .value(serde_json::to_string(i).ok())
                        .content_type(Some("application/json".to_string()))
                        .build(),
                ))
                .build()
        })
        .collect();
    let mut links = vec![LinkBuilder::default()
        .href(format!("{base}{path}?after={}", q.after.unwrap_or(0)))
        .rel("self")
        .mime_type(Some("application/atom+xml".to_string()))
        .build()];
    if page.more {
        links.push(
            LinkBuilder::default()
                .href(format!("{base}{path}?after={}", page.next_after))
                .rel("next")
                .mime_type(Some("application/atom+xml".to_string()))
                .build(),
        );
    }
    let feed = FeedBuilder::default()
        .id(format!("{base}{path}"))
        .title(format!("{}: chỉ dấu lừa đảo", producer_name(&state)))
        .updated(date(updated))
        .links(links)
        .entries(entries)
        .build();
    (
        [(header::CONTENT_TYPE, "application/atom+xml; charset=utf-8")],
        feed.to_string(),
    )
        .into_response()
}
