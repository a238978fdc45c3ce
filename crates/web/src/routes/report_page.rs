//! The public report form `/bao-cao`, a guided form of five screens (see
//! `report_steps`) that works without JavaScript. Identifiers found in the narrative
//! but not listed are offered on the "who contacted you" screen for the reporter to
//! confirm; evidence uploaded on the way is kept.

use askama::Template;
use axum::extract::{Multipart, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use canhgiac_core::banks::Banks;
use canhgiac_core::i18n::Lang;
use canhgiac_core::intake::{suggestions, validate};
use canhgiac_core::methods::Catalogue;
use canhgiac_core::report::Channel;
use canhgiac_core::{Identifier, IdentifierKind};
use canhgiac_store::{EvidenceError, Source};
use rand::Rng;
use serde::Deserialize;

use super::report_fields::*;
use super::report_review::{review, ReviewSection};
use super::report_steps::{carried, move_of, FormStep, Move, QUESTION_STEPS};
use crate::lang::ReqLang;
use crate::pages::{render, L};
use crate::routes::evidence::evidence_error;
use crate::routes::reports::submit as store_submission;
use crate::{AppState, MAX_FILES};

pub(super) const IDENTIFIER_ROWS: usize = 4;
pub(super) const TRANSFER_ROWS: usize = 2;
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

#[derive(Template)]
#[template(path = "report_form.html")]
struct FormPage {
    l: L,
    /// The screen shown, 1 to 5 ([`FormStep::number`]).
    step: usize,
    /// The screen's question.
    step_title: String,
    /// The four question screens: (number, title, done).
    steps: Vec<(usize, String, bool)>,
    /// The other screens' answers, as hidden fields.
    carried: Vec<(String, String)>,
    /// The confirmed identifiers from the narrative, carried off their screen.
    carried_confirm: Vec<String>,
    /// The reporter has seen the identifiers found in the narrative.
    confirmed: bool,
    /// Every answer, on the last screen.
    review: Vec<ReviewSection>,
    errors: Vec<(String, String, String)>,
    idempotency_key: String,
    evidence: Vec<String>,
    /// Identifiers found in the narrative: (token, label, ticked).
    suggestions: Vec<(String, String, bool)>,
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

/// The identifiers in the narrative that the report does not list yet.
fn found_in_narrative(state: &AppState, v: &FormValues, lang: Lang) -> Vec<Identifier> {
    let mut bare = v.clone();
    bare.confirm.clear();
    let (input, _) = to_input(&bare, lang);
    let now = time::OffsetDateTime::now_utc().unix_timestamp();
    match validate(&input, lang, now, &|c| state.store.has_place(c)) {
        Ok(valid) => suggestions(&valid),
        // Another screen still has a mistake: offer everything the narrative names.
        Err(_) => canhgiac_core::extract::extract_unique(&v.get("narrative"))
            .into_iter()
            .map(|f| f.identifier)
            .collect(),
    }
}

/// "Phone: 0912 345 678" for a confirmation token.
fn token_label(token: &str, lang: Lang) -> Option<String> {
    let input = from_confirm_token(token);
    let kind = IdentifierKind::parse(input.kind.as_deref()?)?;
    let ident = Identifier::parse_as(kind, input.value.as_deref()?, input.bank.as_deref()).ok()?;
    Some(format!("{}: {}", kind.label(lang), ident.display()))
}

/// The form at one screen, with the other screens' answers carried.
fn screen(state: &AppState, lang: Lang, v: &FormValues, step: FormStep) -> FormPage {
    let mut p = page(state, lang, v);
    p.step = step.number();
    p.step_title = step.title(lang).to_string();
    p.steps = QUESTION_STEPS
        .iter()
        .map(|s| (s.number(), s.title(lang).to_string(), *s < step))
        .collect();
    p.carried = carried(v, step);
    p.confirmed = v.confirmed;
    if step == FormStep::Contacted {
        p.suggestions = found_in_narrative(state, v, lang)
            .iter()
            .map(|i| {
                let token = confirm_token(i);
                let ticked = !v.confirmed || v.confirm.contains(&token);
                let label = format!("{}: {}", i.kind().label(lang), i.display());
                (token, label, ticked)
            })
            .collect();
        p.confirmed |= !p.suggestions.is_empty();
    } else {
        p.carried_confirm = v.confirm.clone();
    }
    if step == FormStep::Review {
        let found: Vec<String> = v
            .confirm
            .iter()
            .filter_map(|t| token_label(t, lang))
            .collect();
        let place = |c: i64| state.store.place_name(c).map(str::to_string);
        p.review = review(v, lang, &place, &found);
    }
    p
}

fn page(state: &AppState, lang: Lang, v: &FormValues) -> FormPage {
    let channel = v.get("channel");
    let method = v.get("method");
    let place = v.get("place_code");
    let first = FormStep::Happened;
    FormPage {
        l: L(lang),
        step: first.number(),
        step_title: first.title(lang).to_string(),
        steps: QUESTION_STEPS
            .iter()
            .map(|s| (s.number(), s.title(lang).to_string(), false))
            .collect(),
        carried: Vec::new(),
        carried_confirm: Vec::new(),
        confirmed: false,
        review: Vec::new(),
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
    render(
        StatusCode::OK,
        &screen(&state, lang, &v, FormStep::Happened),
    )
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
    let (v, mut errors, status) = match read_form(&state, multipart, lang).await {
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
    let (sent, chosen) = move_of(&v);
    let limit = match chosen {
        Move::Back => return render(StatusCode::OK, &screen(&state, lang, &v, sent.previous())),
        Move::Edit(step) => return render(StatusCode::OK, &screen(&state, lang, &v, step)),
        Move::Next => sent,
        Move::Send => FormStep::Review,
    };
    let (input, field_errors) = to_input(&v, lang);
    errors.extend(field_errors);
    if let Err(more) = validate(
        &input,
        lang,
        time::OffsetDateTime::now_utc().unix_timestamp(),
        &|c| state.store.has_place(c),
    ) {
        errors.extend(more.into_iter().map(|e| (e.field, e.code, e.detail)));
    }
    // This screen and the ones before it must be right; later screens are checked
    // when they are sent.
    errors.retain(|e| FormStep::of_error(&e.0, sent) <= limit);
    if !errors.is_empty() {
        return render(status, &with_errors(&state, lang, &v, sent, errors));
    }
    if chosen == Move::Next {
        return render(StatusCode::OK, &screen(&state, lang, &v, sent.next()));
    }
    if !v.confirmed && !found_in_narrative(&state, &v, lang).is_empty() {
        return render(
            StatusCode::OK,
            &screen(&state, lang, &v, FormStep::Contacted),
        );
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
            let errors = e
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
            render(e.status(), &with_errors(&state, lang, &v, sent, errors))
        }
    }
}

/// The first screen with a mistake, showing that screen's errors.
fn with_errors(
    state: &AppState,
    lang: Lang,
    v: &FormValues,
    sent: FormStep,
    errors: Vec<(String, String, String)>,
) -> FormPage {
    let first = errors
        .iter()
        .map(|e| FormStep::of_error(&e.0, sent))
        .min()
        .unwrap_or(sent);
    let mut p = screen(state, lang, v, first);
    p.errors = errors
        .into_iter()
        .filter(|e| FormStep::of_error(&e.0, sent) == first)
        .collect();
    p
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
    use canhgiac_core::Identifier;

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
