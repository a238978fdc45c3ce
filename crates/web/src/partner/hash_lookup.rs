//! Privacy-preserving lookups (scope `indicators:read`), in the style of Safe
//! Browsing v4: a client sends the first 4 bytes of the salted SHA-256 of a
//! normalised phone, account or website (`docs/hash-prefix.md`) and gets back the
//! full hashes of the listed identifiers with that prefix, to compare on its side;
//! an offline client (an SMS filter, a browser extension, a bank's transfer screen)
//! downloads the whole prefix list once and then only what changed since its version.

use std::sync::{Arc, Mutex};

use axum::extract::{Path, Query, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use base64::Engine;
use canhgiac_core::hash_prefix;
use canhgiac_core::i18n::Lang;
use canhgiac_core::partner::KeyScope;
use canhgiac_store::LookupIndex;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::Partner;
use crate::error::ApiError;
use crate::AppState;

/// A listed identifier whose hash has the prefix asked for.
#[derive(Debug, Serialize, ToSchema)]
pub struct FullHash {
    /// The full salted SHA-256, 64 hexadecimal digits: compare it with yours.
    pub hash: String,
    /// `phone`, `bank_account` or `url`.
    pub kind: String,
    /// `reported`, `suspicious` or `dangerous` (verified by the police).
    pub level: String,
    /// Reports that name it.
    pub report_count: u32,
    /// Distinct reporters among them.
    pub reporter_count: u32,
    /// Date of the latest report (YYYY-MM-DD), if any.
    pub last_reported: Option<String>,
}

/// The answer to a prefix.
#[derive(Debug, Serialize, ToSchema)]
pub struct HashesOut {
    /// The prefix asked for.
    pub prefix: String,
    /// The salt the hashes are made with (it changes only with a new deployment).
    pub salt: String,
    /// The list's version these answers come from.
    pub version: i64,
    /// Every listed identifier with that prefix (usually none or one).
    pub matches: Vec<FullHash>,
}

fn bad_prefix(lang: Lang) -> Response {
    ApiError::localized(
        StatusCode::UNPROCESSABLE_ENTITY,
        "invalid_prefix",
        lang,
        "Tiền tố phải là 8 chữ số thập lục phân (4 byte đầu của mã băm).",
        "The prefix must be 8 hexadecimal digits (the hash's first 4 bytes).",
    )
    .field("prefix")
    .into_response()
}

fn unavailable(lang: Lang) -> Response {
    ApiError::localized(
        StatusCode::SERVICE_UNAVAILABLE,
        "hashes_unavailable",
        lang,
        "Chưa tra được theo mã băm trên máy chủ này.",
        "Hash lookups are not ready on this server.",
    )
    .into_response()
}

fn day(unix: i64) -> Option<String> {
    canhgiac_core::clock::rfc3339(unix).map(|t| t[..10].to_string())
}

/// The full hashes of the listed phones, accounts and websites whose salted hash
/// starts with `prefix`.
#[utoipa::path(
    get,
    path = "/api/v1/partner/hashes/{prefix}",
    tag = "partner",
    security(("partner_key" = ["indicators:read"])),
    params(("prefix" = String, Path, description = "The first 4 bytes of the salted SHA-256, as 8 hexadecimal digits")),
    responses((status = 200, body = HashesOut), (status = 401, description = "No key, or an unknown, expired or revoked one", body = crate::error::ErrorBody), (status = 403, description = "The key has no `indicators:read` scope", body = crate::error::ErrorBody), (status = 422, body = crate::error::ErrorBody), (status = 429, description = "Over the key's rate; see `Retry-After`", body = crate::error::ErrorBody))
)]
pub async fn hashes(
    State(state): State<AppState>,
    partner: Partner,
    Path(prefix): Path<String>,
) -> Response {
    if let Err(r) = partner.require(KeyScope::IndicatorsRead) {
        return r;
    }
    let Some(wanted) = hash_prefix::parse_prefix(&prefix) else {
        return bad_prefix(partner.lang);
    };
    let Some(salt) = state.index.hash_salt() else {
        return unavailable(partner.lang);
    };
    let matches = state
        .index
        .hash_matches(wanted)
        .into_iter()
        .map(|m| FullHash {
            hash: hex::encode(m.hash),
            kind: m.key.split(':').next().unwrap_or_default().to_string(),
            level: m.stats.level().as_str().to_string(),
            report_count: m.stats.report_count,
            reporter_count: m.stats.reporter_count,
            last_reported: (m.stats.report_count > 0)
                .then(|| day(m.stats.last_seen))
                .flatten(),
        })
        .collect();
    (
        [(header::CACHE_CONTROL, "private, max-age=60")],
        Json(HashesOut {
            prefix: format!("{wanted:08x}"),
            salt,
            version: state.index.applied_seq(),
            matches,
        }),
    )
        .into_response()
}

/// Which list to send.
#[derive(Debug, Deserialize, IntoParams)]
pub struct PrefixQuery {
    /// The version the client holds: only the changes since are sent. None or 0: the
    /// whole list.
    pub since: Option<i64>,
}

/// The prefix list, whole or as the changes since a version.
#[derive(Debug, Serialize, ToSchema)]
pub struct PrefixListOut {
    /// The version of the list once the changes are applied: send it as `since` next.
    pub version: i64,
    /// The salt the hashes are made with.
    pub salt: String,
    /// Whether this is the whole list (replace yours) or changes (apply them).
    pub full: bool,
    /// Bytes per prefix (4).
    pub prefix_bytes: usize,
    /// Prefixes to add: 4-byte big-endian prefixes, sorted, concatenated, base64.
    pub additions: String,
    /// Prefixes to remove, the same way.
    pub removals: String,
    /// Prefixes in the whole list of this version.
    pub count: usize,
    /// SHA-256 (hex) of the whole sorted list's bytes: check yours after applying.
    pub checksum: String,
}

/// The whole list of one version, kept until the index moves.
#[derive(Default)]
pub struct PrefixCache {
    list: Mutex<Option<(i64, Arc<Vec<u32>>)>>,
}

impl PrefixCache {
    fn list(&self, index: &LookupIndex) -> (i64, Arc<Vec<u32>>) {
        let applied = index.applied_seq();
        {
            let kept = self.list.lock().unwrap_or_else(|e| e.into_inner());
            if let Some((v, list)) = kept.as_ref().filter(|(v, _)| *v == applied) {
                return (*v, list.clone());
            }
        }
        let (version, list) = index.prefix_list();
        let list = Arc::new(list);
        *self.list.lock().unwrap_or_else(|e| e.into_inner()) = Some((version, list.clone()));
        (version, list)
    }
}

fn b64(prefixes: &[u32]) -> String {
    base64::engine::general_purpose::STANDARD.encode(hash_prefix::prefix_bytes(prefixes))
}

/// The list of the 4-byte prefixes of every listed phone, account and website, for
/// clients that check offline; with `since`, only what changed.
#[utoipa::path(
    get,
    path = "/api/v1/partner/hash-prefixes",
    tag = "partner",
    security(("partner_key" = ["indicators:read"])),
    params(PrefixQuery),
    responses((status = 200, body = PrefixListOut), (status = 401, description = "No key, or an unknown, expired or revoked one", body = crate::error::ErrorBody), (status = 403, description = "The key has no `indicators:read` scope", body = crate::error::ErrorBody), (status = 422, body = crate::error::ErrorBody), (status = 429, description = "Over the key's rate; see `Retry-After`", body = crate::error::ErrorBody))
)]
pub async fn prefix_list(
    State(state): State<AppState>,
    partner: Partner,
    Query(q): Query<PrefixQuery>,
) -> Response {
    if let Err(r) = partner.require(KeyScope::IndicatorsRead) {
        return r;
    }
    let since = q.since.unwrap_or(0);
    if since < 0 {
        return ApiError::localized(
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid_version",
            partner.lang,
            "Phiên bản (since) phải ≥ 0.",
            "The version (since) must be ≥ 0.",
        )
        .field("since")
        .into_response();
    }
    let Some(salt) = state.index.hash_salt() else {
        return unavailable(partner.lang);
    };
    let (version, list) = state.prefix_lists.list(&state.index);
    let checksum = hex::encode(hash_prefix::list_checksum(&list));
    // A version from the future (another node ahead of this one) gets the whole list.
    let out = if since == 0 || since > version {
        PrefixListOut {
            version,
            salt,
            full: true,
            prefix_bytes: hash_prefix::PREFIX_BYTES,
            additions: b64(&list),
            removals: String::new(),
            count: list.len(),
            checksum,
        }
    } else {
        let (_, add, remove) = state.index.prefix_diff(since);
        PrefixListOut {
            version,
            salt,
            full: false,
            prefix_bytes: hash_prefix::PREFIX_BYTES,
            additions: b64(&add),
            removals: b64(&remove),
            count: list.len(),
            checksum,
        }
    };
    Json(out).into_response()
}
