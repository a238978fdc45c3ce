//! The public report form `/bao-cao`: works without JavaScript. Identifiers found
//! in the narrative but not listed are offered back for the reporter to confirm
//! before the report is stored; evidence uploaded on the way is kept.

use std::collections::HashMap;

use askama::Template;
use axum::extract::{Multipart, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use canhgiac_core::banks::Banks;
use canhgiac_core::i18n::Lang;
use canhgiac_core::intake::{
    suggestions, validate, IdentifierInput, ReportInput, ReporterInput, TransferInput,
};
use canhgiac_core::methods::Catalogue;
use canhgiac_core::report::Channel;
use canhgiac_core::{Identifier, IdentifierKind};
use canhgiac_store::{EvidenceError, Source};
use rand::Rng;
use serde::Deserialize;

use crate::lang::ReqLang;
use crate::pages::{render, L};
use crate::routes::evidence::evidence_error;
use crate::routes::reports::submit as store_submission;
use crate::{AppState, MAX_FILES};

const IDENTIFIER_ROWS: usize = 4;
const TRANSFER_ROWS: usize = 2;
const KINDS: [IdentifierKind; 6] = [
    IdentifierKind::Phone,
    IdentifierKind::BankAccount,
    IdentifierKind::Url,
    IdentifierKind::Social,
    IdentifierKind::Email,
    IdentifierKind::Wallet,
];

/// An `<option>`.
pub struct Opt {
    value: String,
    label: String,
    selected: bool,
}

fn options(items: impl Iterator<Item = (String, String)>, selected: &str) -> Vec<Opt> {
    items
        .map(|(value, label)| Opt {
            selected: value == selected,
            value,
            label,
        })
        .collect()
}

/// One identifier row.
pub struct IdentRow {
    kinds: Vec<Opt>,
    value: String,
    bank: String,
}

/// One transfer row.
pub struct TransferRow {
    bank: String,
    account: String,
    amount: String,
    at: String,
}

/// The input a field error belongs to: `transfers[0].amount_vnd` is `t_amount_0`.
fn anchor(field: &str) -> String {
    let indexed = |prefix: &str, rest: &str| -> Option<(String, String)> {
        let rest = rest.strip_prefix(prefix)?.strip_prefix('[')?;
        let (n, sub) = rest.split_once(']')?;
        Some((n.to_string(), sub.trim_start_matches('.').to_string()))
    };
    if let Some((n, sub)) = indexed("transfers", field) {
        let name = match sub.as_str() {
            "amount_vnd" => "t_amount",
            "at" => "t_at",
            "bank" => "t_bank",
            _ => "t_account",
        };
        return format!("{name}_{n}");
    }
    if let Some((n, sub)) = indexed("identifiers", field) {
        let name = match sub.as_str() {
            "kind" => "i_kind",
            "bank" => "i_bank",
            _ => "i_value",
        };
        return format!("{name}_{n}");
    }
    if let Some(sub) = field.strip_prefix("reporter.") {
        return format!("reporter_{sub}");
    }
    match field {
        "amount_lost_vnd" => "amount_lost".into(),
        f if f.starts_with("evidence") => "evidence".into(),
        f => f.to_string(),
    }
}

#[derive(Template)]
#[template(path = "report_form.html")]
struct FormPage {
    l: L,
    errors: Vec<(String, String, String)>,
    idempotency_key: String,
    evidence: Vec<String>,
    suggestions: Vec<(String, String)>,
    channels: Vec<Opt>,
    methods: Vec<Opt>,
    contacted_at: String,
    narrative: String,
    identifiers: Vec<IdentRow>,
    amount_lost: String,
    transfers: Vec<TransferRow>,
    province: String,
    places: Vec<Opt>,
    reporter_name: String,
    reporter_phone: String,
    reporter_citizen_id: String,
    reporter_address: String,
    reporter_email: String,
    banks: Vec<String>,
}

#[derive(Template)]
#[template(path = "report_done.html")]
struct DonePage {
    l: L,
    code: String,
    secret: String,
    /// The amounts as read, for the reporter to confirm: (what, "15.000.000 đ").
    amounts: Vec<(String, String)>,
    /// Money went to an account: a bank hold is possible.
    has_transfers: bool,
}

impl FormPage {
    /// The errors of the input `id`, joined (empty: none).
    fn error_for(&self, id: &str) -> String {
        self.errors
            .iter()
            .filter(|e| anchor(&e.0) == id)
            .map(|e| e.2.as_str())
            .collect::<Vec<_>>()
            .join(" ")
    }

    /// [`FormPage::error_for`] of a numbered row's input (`t_amount`, 0).
    fn error_at(&self, name: &str, index: &usize) -> String {
        self.error_for(&format!("{name}_{index}"))
    }

    /// Where the summary's link for `field` goes.
    fn anchor_of(&self, field: &str) -> String {
        anchor(field)
    }
}

/// What the form carried.
#[derive(Default)]
struct FormValues {
    fields: HashMap<String, String>,
    confirm: Vec<String>,
    evidence: Vec<String>,
    confirmed: bool,
}

impl FormValues {
    fn get(&self, name: &str) -> String {
        self.fields.get(name).cloned().unwrap_or_default()
    }

    fn opt(&self, name: &str) -> Option<String> {
        self.fields
            .get(name)
            .map(|s| s.trim().to_string())
            .filter(|s| !s.is_empty())
    }
}

fn new_idempotency_key() -> String {
    let mut rng = rand::thread_rng();
    (0..20)
        .map(|_| {
            char::from(
                canhgiac_core::tracking::ALPHABET
                    [rng.gen_range(0..canhgiac_core::tracking::ALPHABET.len())],
            )
        })
        .collect()
}

fn page(state: &AppState, lang: Lang, v: &FormValues) -> FormPage {
    let channel = v.get("channel");
    let method = v.get("method");
    let place = v.get("place_code");
    FormPage {
        l: L(lang),
        errors: Vec::new(),
        idempotency_key: v.opt("idempotency_key").unwrap_or_else(new_idempotency_key),
        evidence: v.evidence.clone(),
        suggestions: Vec::new(),
        channels: options(
            Channel::ALL
                .iter()
                .map(|c| (c.as_str().to_string(), c.label(lang).to_string())),
            &channel,
        ),
        methods: options(
            Catalogue::get()
                .all()
                .iter()
                .map(|m| (m.key.clone(), m.name(lang).to_string())),
            &method,
        ),
        contacted_at: v.get("contacted_at"),
        narrative: v.get("narrative"),
        identifiers: (0..IDENTIFIER_ROWS)
            .map(|i| {
                let kind = v.get(&format!("i_kind_{i}"));
                IdentRow {
                    kinds: options(
                        KINDS
                            .iter()
                            .map(|k| (k.as_str().to_string(), k.label(lang).to_string())),
                        &kind,
                    ),
                    value: v.get(&format!("i_value_{i}")),
                    bank: v.get(&format!("i_bank_{i}")),
                }
            })
            .collect(),
        amount_lost: v.get("amount_lost"),
        transfers: (0..TRANSFER_ROWS)
            .map(|i| TransferRow {
                bank: v.get(&format!("t_bank_{i}")),
                account: v.get(&format!("t_account_{i}")),
                amount: v.get(&format!("t_amount_{i}")),
                at: v.get(&format!("t_at_{i}")),
            })
            .collect(),
        province: state.store.province().name.clone(),
        places: options(
            state
                .store
                .places()
                .iter()
                .map(|p| (p.code.to_string(), p.name.clone())),
            &place,
        ),
        reporter_name: v.get("reporter_name"),
        reporter_phone: v.get("reporter_phone"),
        reporter_citizen_id: v.get("reporter_citizen_id"),
        reporter_address: v.get("reporter_address"),
        reporter_email: v.get("reporter_email"),
        banks: Banks::get()
            .all()
            .iter()
            .map(|b| b.short_name.clone())
            .collect(),
    }
}

#[derive(Debug, Deserialize)]
pub struct Prefill {
    kind: Option<String>,
    value: Option<String>,
}

/// `GET /bao-cao`, optionally prefilled from a check (`?kind=phone&value=…`).
pub async fn form(
    State(state): State<AppState>,
    ReqLang(lang): ReqLang,
    Query(prefill): Query<Prefill>,
) -> Response {
    let mut v = FormValues::default();
    if let (Some(kind), Some(value)) = (prefill.kind, prefill.value) {
        if let Some(k) = IdentifierKind::parse(&kind) {
            let value: String = value.chars().take(300).collect();
            if k == IdentifierKind::BankAccount {
                // The display form is "Bank NUMBER".
                if let Some((bank, number)) = value.rsplit_once(' ') {
                    v.fields.insert("i_bank_0".into(), bank.to_string());
                    v.fields.insert("i_value_0".into(), number.to_string());
                }
            } else {
                v.fields.insert("i_value_0".into(), value);
            }
            v.fields.insert("i_kind_0".into(), k.as_str().to_string());
        }
    }
    render(StatusCode::OK, &page(&state, lang, &v))
}

/// Parses an amount as people write it ("5.000.000", "15 triệu", "1,5 tỷ", "2tr5"; see
/// `core::money`).
fn parse_amount(text: &str) -> Result<Option<i64>, ()> {
    match canhgiac_core::money::parse_vnd(text) {
        Ok(a) => Ok(a.and_then(|v| i64::try_from(v).ok())),
        Err(_) => Err(()),
    }
}

/// The amounts of a report as they were read, to echo back on the receipt.
fn amounts_read(input: &ReportInput, lang: Lang) -> Vec<(String, String)> {
    let vnd = |a: i64| format!("{} đ", canhgiac_core::verdict::format_vnd(a.max(0) as u64));
    let total = input
        .amount_lost_vnd
        .filter(|a| *a > 0)
        .map(|a| (amount_label("amount_lost", lang), vnd(a)));
    let transfers = input.transfers.iter().enumerate().filter_map(|(i, t)| {
        let a = t.amount_vnd.filter(|a| *a > 0)?;
        Some((amount_label(&format!("t_amount_{i}"), lang), vnd(a)))
    });
    total.into_iter().chain(transfers).collect()
}

/// The words for a field's amount in errors and on the receipt.
fn amount_label(field: &str, lang: Lang) -> String {
    match field
        .strip_prefix("t_amount_")
        .and_then(|n| n.parse::<usize>().ok())
    {
        Some(n) => match lang {
            Lang::Vi => format!("Số tiền của lần chuyển thứ {}", n + 1),
            Lang::En => format!("Amount of transfer {}", n + 1),
        },
        None => lang.pick("Tổng số tiền bị mất", "Total lost").to_string(),
    }
}

fn confirm_token(i: &Identifier) -> String {
    match i {
        Identifier::BankAccount(a) => format!("bank_account|{}|{}", a.bin(), a.number()),
        other => format!("{}|{}", other.kind().as_str(), other.normalized()),
    }
}

fn from_confirm_token(token: &str) -> IdentifierInput {
    let mut parts = token.splitn(3, '|');
    let kind = parts.next().unwrap_or("").to_string();
    let (bank, value) = match (parts.next(), parts.next()) {
        (Some(bin), Some(number)) => (Some(bin.to_string()), number.to_string()),
        (Some(value), None) => (None, value.to_string()),
        _ => (None, String::new()),
    };
    // Social accounts are stored as "platform:id"; give them back in a parseable form.
    let value = if kind == "social" {
        value.replacen(':', " ", 1)
    } else {
        value
    };
    IdentifierInput {
        kind: Some(kind),
        value: Some(value),
        bank,
        role: None,
    }
}

/// Builds the report input; amount and place errors found here are returned beside it.
fn to_input(v: &FormValues, lang: Lang) -> (ReportInput, Vec<(String, String, String)>) {
    let mut errors = Vec::new();
    let mut amount = |field: &str| match parse_amount(&v.get(field)) {
        Ok(a) => a,
        Err(()) => {
            errors.push((
                field.to_string(),
                "amount_invalid".to_string(),
                match lang {
                    Lang::Vi => format!(
                        "{}: không đọc được “{}”. Viết như 15.000.000, 15 triệu hoặc 1,5 tỷ.",
                        amount_label(field, lang),
                        v.get(field).chars().take(40).collect::<String>()
                    ),
                    Lang::En => format!(
                        "{}: “{}” is not an amount. Write it as 15,000,000, 15 triệu or 1,5 tỷ.",
                        amount_label(field, lang),
                        v.get(field).chars().take(40).collect::<String>()
                    ),
                },
            ));
            None
        }
    };
    let amount_lost_vnd = amount("amount_lost");
    let mut transfers = Vec::new();
    for i in 0..TRANSFER_ROWS {
        let (bank, account) = (
            v.opt(&format!("t_bank_{i}")),
            v.opt(&format!("t_account_{i}")),
        );
        if bank.is_none() && account.is_none() {
            continue;
        }
        let amount_vnd = amount(&format!("t_amount_{i}"));
        transfers.push(TransferInput {
            bank,
            account,
            amount_vnd,
            at: v.opt(&format!("t_at_{i}")),
        });
    }
    let mut identifiers = Vec::new();
    for i in 0..IDENTIFIER_ROWS {
        let Some(value) = v.opt(&format!("i_value_{i}")) else {
            continue;
        };
        identifiers.push(IdentifierInput {
            kind: v.opt(&format!("i_kind_{i}")),
            value: Some(value),
            bank: v.opt(&format!("i_bank_{i}")),
            role: None,
        });
    }
    identifiers.extend(v.confirm.iter().take(20).map(|t| from_confirm_token(t)));
    let place_code = match v.opt("place_code") {
        None => None,
        Some(p) => match p.parse::<i64>() {
            Ok(c) => Some(c),
            Err(_) => {
                errors.push((
                    "place_code".into(),
                    "place_unknown".into(),
                    lang.pick("Xã, phường không hợp lệ.", "Invalid commune or ward.")
                        .into(),
                ));
                None
            }
        },
    };
    let reporter = ReporterInput {
        name: v.opt("reporter_name"),
        phone: v.opt("reporter_phone"),
        citizen_id: v.opt("reporter_citizen_id"),
        address: v.opt("reporter_address"),
        email: v.opt("reporter_email"),
    };
    let input = ReportInput {
        channel: v.opt("channel"),
        method: v.opt("method"),
        contacted_at: v.opt("contacted_at"),
        narrative: v.opt("narrative"),
        amount_lost_vnd,
        transfers,
        identifiers,
        place_code,
        evidence: v.evidence.clone(),
        reporter: (reporter != ReporterInput::default()).then_some(reporter),
        idempotency_key: None,
    };
    (input, errors)
}

/// Reads the multipart form; evidence files are checked and stored as they arrive.
async fn read_form(
    state: &AppState,
    mut multipart: Multipart,
    lang: Lang,
) -> Result<(FormValues, Vec<(String, String, String)>, StatusCode), StatusCode> {
    let mut v = FormValues::default();
    let mut errors = Vec::new();
    let mut status = StatusCode::UNPROCESSABLE_ENTITY;
    let mut files = 0;
    loop {
        let field = match multipart.next_field().await {
            Ok(Some(f)) => f,
            Ok(None) => break,
            Err(e) => return Err(e.status()),
        };
        let name = field.name().unwrap_or("").to_string();
        if name == "evidence" {
            let has_name = field.file_name().is_some_and(|n| !n.is_empty());
            let bytes = field.bytes().await.map_err(|e| e.status())?;
            if bytes.is_empty() && !has_name {
                continue;
            }
            files += 1;
            if files + v.evidence.len() > MAX_FILES {
                errors.push((
                    "evidence".into(),
                    "too_many_files".into(),
                    match lang {
                        Lang::Vi => format!("Tối đa {MAX_FILES} tệp bằng chứng."),
                        Lang::En => format!("At most {MAX_FILES} evidence files."),
                    },
                ));
                continue;
            }
            match state
                .store
                .save_evidence(&bytes, time::OffsetDateTime::now_utc().unix_timestamp())
                .await
            {
                Ok(Ok(digest)) => {
                    if !v.evidence.contains(&digest) {
                        v.evidence.push(digest);
                    }
                }
                Ok(Err(e)) => {
                    if e == EvidenceError::UnsupportedType {
                        status = StatusCode::UNSUPPORTED_MEDIA_TYPE;
                    } else if e == EvidenceError::TooLarge {
                        status = StatusCode::PAYLOAD_TOO_LARGE;
                    }
                    let api = evidence_error(&e, lang);
                    if let Some(item) = api.items().first() {
                        errors.push(("evidence".into(), item.code.clone(), item.detail.clone()));
                    }
                }
                Err(e) => {
                    tracing::error!(error = %e, "evidence could not be stored");
                    return Err(StatusCode::SERVICE_UNAVAILABLE);
                }
            }
            continue;
        }
        let text = field.text().await.map_err(|e| e.status())?;
        let text: String = text.chars().take(12_000).collect();
        match name.as_str() {
            "confirm_ident" => v.confirm.push(text),
            "confirmed" => v.confirmed = true,
            "evidence_sha" => {
                let d = text.trim().to_ascii_lowercase();
                if d.len() == 64
                    && d.bytes().all(|b| b.is_ascii_hexdigit())
                    && !v.evidence.contains(&d)
                    && v.evidence.len() < MAX_FILES
                {
                    v.evidence.push(d);
                }
            }
            _ if name.len() <= 40 => {
                v.fields.insert(name, text);
            }
            _ => {}
        }
    }
    Ok((v, errors, status))
}

/// `POST /bao-cao`.
pub async fn submit_form(state: AppState, lang: Lang, multipart: Multipart) -> Response {
    let (v, mut errors, mut status) = match read_form(&state, multipart, lang).await {
        Ok(x) => x,
        Err(code) => {
            let mut p = page(&state, lang, &FormValues::default());
            let (vi, en) = if code == StatusCode::PAYLOAD_TOO_LARGE {
                (
                    "Dữ liệu gửi lên quá lớn (tối đa 26 MB; mỗi ảnh 5 MB).",
                    "The form is too large (at most 26 MB; 5 MB per image).",
                )
            } else {
                (
                    "Không đọc được biểu mẫu gửi lên; vui lòng thử lại.",
                    "The form could not be read; please try again.",
                )
            };
            p.errors.push((
                "form".into(),
                "form_unreadable".into(),
                lang.pick(vi, en).into(),
            ));
            let status = if code.is_client_error() {
                code
            } else {
                StatusCode::BAD_REQUEST
            };
            return render(status, &p);
        }
    };
    let (input, field_errors) = to_input(&v, lang);
    errors.extend(field_errors);
    let mut p = page(&state, lang, &v);
    if !errors.is_empty() {
        // Show every problem at once: the amount/file errors and the validation errors.
        if let Err(more) = validate(
            &input,
            lang,
            time::OffsetDateTime::now_utc().unix_timestamp(),
            &|c| state.store.has_place(c),
        ) {
            errors.extend(more.into_iter().map(|e| (e.field, e.code, e.detail)));
        }
        p.errors = errors;
        return render(status, &p);
    }
    if !v.confirmed {
        if let Ok(valid) = validate(
            &input,
            lang,
            time::OffsetDateTime::now_utc().unix_timestamp(),
            &|c| state.store.has_place(c),
        ) {
            let offered = suggestions(&valid);
            if !offered.is_empty() {
                p.suggestions = offered
                    .iter()
                    .map(|i| {
                        (
                            confirm_token(i),
                            format!("{}: {}", i.kind().label(lang), i.display()),
                        )
                    })
                    .collect();
                return render(StatusCode::OK, &p);
            }
        }
    }
    let amounts = amounts_read(&input, lang);
    let has_transfers = !input.transfers.is_empty();
    match store_submission(&state, input, Source::Web, v.opt("idempotency_key"), lang).await {
        Ok(s) => render(
            StatusCode::OK,
            &DonePage {
                l: L(lang),
                code: s.receipt.tracking_code.to_string(),
                secret: s.receipt.secret,
                amounts,
                has_transfers,
            },
        ),
        Err(e) => {
            status = e.status();
            p.errors = e
                .items()
                .iter()
                .map(|i| {
                    (
                        i.field.clone().unwrap_or_default(),
                        i.code.clone(),
                        i.detail.clone(),
                    )
                })
                .collect();
            render(status, &p)
        }
    }
}

/// Handler wrapper: a missing or wrong content type is a clear error, not a bare rejection.
pub async fn submit(
    State(state): State<AppState>,
    ReqLang(lang): ReqLang,
    multipart: Result<Multipart, axum::extract::multipart::MultipartRejection>,
) -> Response {
    match multipart {
        Ok(m) => submit_form(state, lang, m).await,
        Err(_) => {
            let mut p = page(&state, lang, &FormValues::default());
            p.errors.push((
                "form".into(),
                "form_unreadable".into(),
                lang.pick(
                    "Biểu mẫu phải gửi dạng multipart/form-data.",
                    "The form must be sent as multipart/form-data.",
                )
                .into(),
            ));
            render(StatusCode::UNSUPPORTED_MEDIA_TYPE, &p)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amounts_are_read_the_way_people_type_them() {
        assert_eq!(parse_amount("5.000.000"), Ok(Some(5_000_000)));
        assert_eq!(parse_amount("5,000,000 đ"), Ok(Some(5_000_000)));
        assert_eq!(parse_amount(""), Ok(None));
        assert_eq!(parse_amount("năm triệu"), Err(()));
        assert_eq!(parse_amount("-5"), Err(()));
    }

    #[test]
    fn each_error_field_names_its_input() {
        for (field, id) in [
            ("transfers[2].amount_vnd", "t_amount_2"),
            ("transfers[0].at", "t_at_0"),
            ("transfers[1].account", "t_account_1"),
            ("identifiers[0].bank", "i_bank_0"),
            ("identifiers[3].value", "i_value_3"),
            ("reporter.phone", "reporter_phone"),
            ("amount_lost_vnd", "amount_lost"),
            ("t_amount_0", "t_amount_0"),
            ("narrative", "narrative"),
            ("evidence[1]", "evidence"),
        ] {
            assert_eq!(anchor(field), id, "{field}");
        }
    }

    #[test]
    fn confirm_tokens_round_trip_to_the_same_identifier() {
        for text in [
            "VCB 0123456789",
            "0912345678",
            "t.me/hotro_vay",
            "vietcombank-hotro.com.vn",
        ] {
            let ident = match canhgiac_core::recognize::recognize(text).expect("recognised") {
                canhgiac_core::recognize::Query::One(ident) => ident,
                canhgiac_core::recognize::Query::Number { phone: Some(p), .. } => {
                    Identifier::Phone(p)
                }
                _ => panic!("one identifier"),
            };
            let input = from_confirm_token(&confirm_token(&ident));
            let kind = IdentifierKind::parse(input.kind.as_deref().unwrap_or("")).expect("kind");
            let again = Identifier::parse_as(
                kind,
                input.value.as_deref().unwrap_or(""),
                input.bank.as_deref(),
            )
            .expect("parses");
            assert_eq!(again.key(), ident.key(), "{text}");
        }
    }
}
